"""Issue 17: downloads of objects stored gzip-encoded say so in the summary, and `cp --gunzip`
writes them decoded, streaming through zlib; a corrupt stream is an error and leaves no file
at the final path (nor a temporary one)."""
import gzip
import os


def test_download_says_gzip_encoded_and_gunzip_writes_the_decoded_file(pail, s3, bucket, tmp_path):
    css = b"body { color: red }\n" * 5000
    s3.put_object(Bucket=bucket, Key="z/app.css", Body=gzip.compress(css), ContentEncoding="gzip",
                  ContentType="text/css")
    s3.put_object(Bucket=bucket, Key="z/plain.txt", Body=b"plain")
    stored = pail.run("cp", "-r", f"s3://{bucket}/z/", str(tmp_path / "stored"))
    err = stored.stderr.decode()
    assert "1 object is stored gzip-encoded (Content-Encoding: gzip): written as stored, compressed; " \
           "--gunzip writes them decoded" in err, err
    assert gzip.decompress((tmp_path / "stored" / "app.css").read_bytes()) == css
    decoded = pail.run("cp", "-r", "--gunzip", f"s3://{bucket}/z/", str(tmp_path / "decoded"))
    assert "stored gzip-encoded (Content-Encoding: gzip): written decoded" in decoded.stderr.decode()
    assert (tmp_path / "decoded" / "app.css").read_bytes() == css
    assert (tmp_path / "decoded" / "plain.txt").read_bytes() == b"plain"
    assert sorted(os.listdir(tmp_path / "decoded")) == ["app.css", "plain.txt"]


def test_a_corrupt_gzip_stream_is_an_error_and_no_file_is_left(pail, s3, bucket, tmp_path):
    body = gzip.compress(b"x" * 100000)
    broken = body[:10] + bytes(b ^ 0x55 for b in body[10:40]) + body[40:]
    s3.put_object(Bucket=bucket, Key="bad.js", Body=broken, ContentEncoding="gzip")
    dest = tmp_path / "out"
    dest.mkdir()
    proc = pail.run("cp", "--gunzip", f"s3://{bucket}/bad.js", str(dest / "bad.js"), check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "failed s3://" in err and "bad.js" in err, err
    assert os.listdir(dest) == [], "neither the decoded file nor a temporary one may be left"
