"""Issue 17: set-headers refuses a Content-Encoding that lies about the stored bytes, read with
a 2-byte ranged GET: gzip on bytes without gzip's magic number, and removing gzip from bytes
that are gzip. boto3 checks that nothing changed on the refused objects and that the others were
edited."""
import gzip


def test_gzip_on_plain_bytes_is_refused_and_true_gzip_is_set(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="s/plain.css", Body=b"body { color: red }", ContentType="text/css")
    s3.put_object(Bucket=bucket, Key="s/packed.css", Body=gzip.compress(b"body{}"), ContentType="text/css")
    proc = pail.run("set-headers", "-r", "--yes", "--content-encoding", "gzip", f"s3://{bucket}/s/", check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "could not edit s3://" + bucket + "/s/plain.css: Content-Encoding: gzip refused: the object's first " \
           "bytes are not gzip's (1f 8b)" in err, err
    assert "changed 1, skipped 0, failed 1" in err, err
    assert "ContentEncoding" not in s3.head_object(Bucket=bucket, Key="s/plain.css")
    assert s3.head_object(Bucket=bucket, Key="s/packed.css")["ContentEncoding"] == "gzip"


def test_removing_gzip_from_gzip_bytes_is_refused(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="g/app.js", Body=gzip.compress(b"var x = 1;"), ContentType="text/javascript",
                  ContentEncoding="gzip")
    proc = pail.run("set-headers", "--yes", "--remove-header", "Content-Encoding", f"s3://{bucket}/g/app.js",
                    check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "removing Content-Encoding: gzip refused: the object's bytes are gzip" in err, err
    assert s3.head_object(Bucket=bucket, Key="g/app.js")["ContentEncoding"] == "gzip"
    # Other edits of the same object go through: only a change of the encoding is checked.
    pail.run("set-headers", "--yes", "--cache-control", "max-age=60", f"s3://{bucket}/g/app.js")
    head = s3.head_object(Bucket=bucket, Key="g/app.js")
    assert head["CacheControl"] == "max-age=60" and head["ContentEncoding"] == "gzip"
