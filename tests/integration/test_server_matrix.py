"""Issue 16: the behaviour that must not depend on the server, run against SeaweedFS and Ceph
RGW (the engine behind DigitalOcean Spaces) alike. A behaviour that differs between them is a
failure here, or a difference written down and tested (`matrix.name == "rgw"` branches)."""
import hashlib
import json
import os
import urllib.request

import pytest

from conftest import put_many_keys

MiB = 1024 * 1024

# Keys a person's site has: spaces, reserved characters, accents, CJK, emoji, and the two
# spellings of "é" (NFC and NFD) that are different keys because keys are bytes.
KEYS = ["space name.txt", "plus+sign.txt", "percent%41.txt", "amp&eq=.txt", "question?.txt", "hash#.txt",
        "accents/éàü ñ.txt", "cjk/漢字テスト.txt", "emoji/🎉🚀.txt", "nf/\u00e9.txt", "nf/e\u0301.txt",
        "ctrl/tab\there.txt"]

FULL = dict(ContentType="text/css", ContentEncoding="gzip", ContentDisposition='attachment; filename="a.css"',
            ContentLanguage="fr-CA", CacheControl="max-age=60", Metadata={"origin": "django", "build": "42"})


def ls_json(pail, target, recursive=True):
    args = ["ls", "--json"] + (["-r"] if recursive else []) + [target]
    return [json.loads(line) for line in pail.run(*args).stdout.decode().splitlines()]


def head(s3, bucket, key):
    h = s3.head_object(Bucket=bucket, Key=key)
    return {k: h.get(k) for k in ("ContentType", "ContentEncoding", "ContentDisposition", "ContentLanguage",
                                  "CacheControl", "Metadata", "ContentLength")}


def tags(s3, bucket, key):
    return sorted((t["Key"], t["Value"]) for t in s3.get_object_tagging(Bucket=bucket, Key=key).get("TagSet", []))


def body(size, seed):
    block = hashlib.sha256(str(seed).encode()).digest() * (MiB // 32)
    return (block * (size // len(block) + 1))[:size]


def test_listing_and_stat_of_special_keys_agree_with_boto3(matrix, matrix_bucket):
    s3, pail, b = matrix.s3, matrix.pail, matrix_bucket
    for i, key in enumerate(KEYS):
        s3.put_object(Bucket=b, Key=key, Body=b"x" * i)
    listed = ls_json(pail, f"s3://{b}")
    assert [o["key"] for o in listed] == sorted(KEYS, key=lambda k: k.encode())
    sizes = {o["key"]: o["size"] for o in listed}
    assert sizes == {k: i for i, k in enumerate(KEYS)}
    for i, key in enumerate(KEYS):
        stat = json.loads(pail.run("stat", "--json", f"s3://{b}/{key}").stdout)
        assert (stat["key"], stat["size"]) == (key, i)
    level = ls_json(pail, f"s3://{b}/", recursive=False)
    assert [e["prefix"] for e in level if "prefix" in e] == ["accents/", "cjk/", "ctrl/", "emoji/", "nf/"]


def test_listing_crosses_pages(matrix, matrix_bucket):
    keys = [f"many/{i:04d}" for i in range(1003)] + ["many/sub/x", "other"]
    put_many_keys(matrix.s3, matrix_bucket, keys)
    assert [o["key"] for o in ls_json(matrix.pail, f"s3://{matrix_bucket}/many/")] == sorted(keys[:-1])
    level = ls_json(matrix.pail, f"s3://{matrix_bucket}/many/", recursive=False)
    assert len([e for e in level if "key" in e]) == 1003
    assert [e["prefix"] for e in level if "prefix" in e] == ["many/sub/"]


@pytest.mark.parametrize("size", [0, 8 * MiB + 1], ids=["empty", "multipart"])
def test_upload_and_download_round_trip(matrix, matrix_bucket, tmp_path, size):
    src = tmp_path / "up.bin"
    src.write_bytes(body(size, size))
    matrix.pail.run("cp", str(src), f"s3://{matrix_bucket}/d/up.bin")
    got = matrix.s3.get_object(Bucket=matrix_bucket, Key="d/up.bin")
    assert got["Body"].read() == src.read_bytes()
    assert ("-" in got["ETag"]) == (size > 8 * MiB)
    assert matrix.s3.list_multipart_uploads(Bucket=matrix_bucket).get("Uploads", []) == []
    dest = tmp_path / "down" / "f.bin"
    matrix.pail.run("cp", f"s3://{matrix_bucket}/d/up.bin", str(dest))
    assert dest.read_bytes() == src.read_bytes()
    assert os.listdir(dest.parent) == ["f.bin"]


def test_unicode_folders_upload_and_download(matrix, matrix_bucket, tmp_path):
    files = {"index.html": b"<h1>hi</h1>", "img/ünï cödé.svg": b"<svg/>", "docs/日本語/資料.pdf": b"%PDF",
             "emoji/🎉.txt": b"party"}
    src = tmp_path / "site"
    for rel, data in files.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_bytes(data)
    matrix.pail.run("cp", "-r", str(src), f"s3://{matrix_bucket}/www/")
    listed = sorted(o["Key"] for o in matrix.s3.list_objects_v2(Bucket=matrix_bucket)["Contents"])
    assert listed == sorted(f"www/site/{k}" for k in files)
    out = tmp_path / "back"
    matrix.pail.run("cp", "-r", f"s3://{matrix_bucket}/www/site/", str(out))
    for rel, data in files.items():
        assert (out / rel).read_bytes() == data


def test_recursive_delete_never_crosses_the_prefix_boundary(matrix, matrix_bucket, tmp_path):
    for k in ["media/2023/a.jpg", "media/2023/b/c.jpg", "media/2023-old/a.jpg", "media/2023.txt", "media/2024/a.jpg"]:
        matrix.s3.put_object(Bucket=matrix_bucket, Key=k, Body=b"x")
    proc = matrix.pail.run("rm", "-r", "--yes", f"s3://{matrix_bucket}/media/2023",
                           env={"XDG_STATE_HOME": str(tmp_path)})
    left = sorted(o["Key"] for o in matrix.s3.list_objects_v2(Bucket=matrix_bucket)["Contents"])
    assert left == ["media/2023-old/a.jpg", "media/2023.txt", "media/2024/a.jpg"]
    assert "deleted 2 objects" in proc.stderr.decode()


def test_set_headers_keeps_every_other_header_metadata_and_tag(matrix, matrix_bucket):
    """RGW ignores `x-amz-tagging-directive: COPY` on a copy that replaces metadata: pail
    notices that the tags are gone, puts them back and says so; SeaweedFS keeps them."""
    s3, b = matrix.s3, matrix_bucket
    s3.put_object(Bucket=b, Key="static/app.css", Body=b"body{}" * 50, Tagging="team=web&tier=st%C3%A4tic", **FULL)
    s3.put_object(Bucket=b, Key="static/plain.css", Body=b"p{}", **FULL)
    keys = ("static/app.css", "static/plain.css")
    before = {key: head(s3, b, key) for key in keys}
    proc = matrix.pail.run("set-headers", "-r", "--yes", "--cache-control", "public, max-age=31536000",
                           f"s3://{b}/static/")
    for key in keys:
        after = head(s3, b, key)
        assert after.pop("CacheControl") == "public, max-age=31536000"
        before[key].pop("CacheControl")
        assert after == before[key], key
    assert tags(s3, b, "static/app.css") == [("team", "web"), ("tier", "stätic")]
    assert tags(s3, b, "static/plain.css") == []
    assert s3.get_object(Bucket=b, Key="static/app.css")["Body"].read() == b"body{}" * 50
    err = proc.stderr.decode()
    assert "changed 2, skipped 0, failed 0" in err
    if matrix.name == "rgw":
        assert "tags put back on 1 (the server dropped them in the copy)" in err
    else:
        assert "tags put back" not in err


def test_set_headers_above_the_copy_limit_keeps_tags(matrix, matrix_bucket):
    """The multipart copy path: RGW drops `x-amz-tagging` on CreateMultipartUpload too."""
    s3, b = matrix.s3, matrix_bucket
    data = body(6 * MiB + 5, 3)
    s3.put_object(Bucket=b, Key="big.bin", Body=data, Tagging="keep=yes", **FULL)
    proc = matrix.pail.run("set-headers", "--yes", "--cache-control", "no-cache", "--multipart-copy-threshold",
                           str(5 * MiB), "--copy-part-size", str(5 * MiB), f"s3://{b}/big.bin")
    assert s3.head_object(Bucket=b, Key="big.bin")["CacheControl"] == "no-cache"
    assert s3.get_object(Bucket=b, Key="big.bin")["Body"].read() == data
    assert tags(s3, b, "big.bin") == [("keep", "yes")]
    assert ("tags put back on 1" in proc.stderr.decode()) == (matrix.name == "rgw")
    assert s3.list_multipart_uploads(Bucket=b).get("Uploads", []) == []


def test_copy_within_s3_keeps_headers_and_tags(matrix, matrix_bucket):
    s3, b = matrix.s3, matrix_bucket
    s3.put_object(Bucket=b, Key="src/app.css", Body=b"body{}", Tagging="team=web", **FULL)
    matrix.pail.run("cp", f"s3://{b}/src/app.css", f"s3://{b}/dst/")
    assert head(s3, b, "dst/app.css") == head(s3, b, "src/app.css")
    assert tags(s3, b, "dst/app.css") == [("team", "web")]


def test_presigned_urls_fetch_with_urllib(matrix, matrix_bucket):
    for i, key in enumerate(["plain.txt", "media/a b+c~é/🎉 (1).jpg", "x/y%z&=?#.bin"]):
        matrix.s3.put_object(Bucket=matrix_bucket, Key=key, Body=f"body {i}".encode())
        proc = matrix.pail.run("url", "--presign", "--expires", "15m", f"s3://{matrix_bucket}/{key}")
        url = proc.stdout.decode().strip()
        with urllib.request.urlopen(url, timeout=10) as r:
            assert r.read() == f"body {i}".encode(), key


def test_versions_are_listed_and_one_deleted_for_good(matrix, matrix_bucket):
    s3, b = matrix.s3, matrix_bucket
    s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
    ids = [s3.put_object(Bucket=b, Key="doc.txt", Body=data)["VersionId"] for data in (b"one", b"two!", b"three")]
    out = matrix.pail.run("versions", "--json", f"s3://{b}/doc.txt").stdout.decode()
    listed = [json.loads(line) for line in out.splitlines()]
    assert [v["version_id"] for v in listed] == list(reversed(ids))
    assert [v["size"] for v in listed] == [5, 4, 3]
    matrix.pail.run("rm", "--yes", f"--version-id={ids[1]}", f"s3://{b}/doc.txt")
    remaining = [v["VersionId"] for v in s3.list_object_versions(Bucket=b, Prefix="doc.txt")["Versions"]]
    assert sorted(remaining) == sorted([ids[0], ids[2]])


def test_multipart_copy_within_s3_keeps_tags(matrix, matrix_bucket):
    """RGW drops `x-amz-tagging` on CreateMultipartUpload, so a copy above the CopyObject limit
    loses the tags unless pail puts them back (TagKeeper around TransferEngine.runCopy)."""
    s3, b = matrix.s3, matrix_bucket
    data = body(3 * MiB + 5, 4)
    s3.put_object(Bucket=b, Key="src/big.bin", Body=data, Tagging="team=web", **FULL)
    matrix.pail.run("cp", "--multipart-copy-threshold", str(1 * MiB), "--copy-part-size", str(5 * MiB),
                    f"s3://{b}/src/big.bin", f"s3://{b}/dst/big.bin")
    assert s3.get_object(Bucket=b, Key="dst/big.bin")["Body"].read() == data
    assert head(s3, b, "dst/big.bin") == head(s3, b, "src/big.bin")
    assert tags(s3, b, "dst/big.bin") == [("team", "web")]
