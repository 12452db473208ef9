"""pail sync against SeaweedFS, boto3 checking every result."""
import hashlib
import json
import os

from conftest import put_many_keys


def tree(root, files):
    for rel, data in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def objects(s3, bucket, prefix=""):
    out = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for o in page.get("Contents", []):
            out[o["Key"]] = s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
    return out


def plan(proc):
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def test_upload_sync_sends_only_what_changed_and_deletes_within_the_prefix(pail, s3, bucket, tmp_path):
    site = tmp_path / "site"
    files = {"css/site.css": b"body{}" * 100, "js/app.js": b"x" * 9000, "img/logo.png": b"\x89PNG" + b"\0" * 50,
             "caf\u00e9.txt": b"nfc", "cafe\u0301.txt": b"nfd"}
    tree(str(site), files)
    s3.put_object(Bucket=bucket, Key="static/old.css", Body=b"gone")
    s3.put_object(Bucket=bucket, Key="static-old/keep.css", Body=b"neighbour")
    s3.put_object(Bucket=bucket, Key="static.txt", Body=b"neighbour")
    pail.run("sync", "--delete", "--yes", str(site), f"s3://{bucket}/static")
    got = objects(s3, bucket)
    assert {k: v for k, v in got.items() if k.startswith("static/")} == {"static/" + k: v for k, v in files.items()}
    assert got["static-old/keep.css"] == b"neighbour" and got["static.txt"] == b"neighbour"

    # Change one file in content only (same size), one in size, add one; a second sync sends those three.
    tree(str(site), {"css/site.css": b"BODY{}" * 100, "js/app.js": b"y" * 9001, "new.txt": b"new"})
    dry = plan(pail.run("sync", "--dry-run", "--json", str(site), f"s3://{bucket}/static/"))
    total = dry.pop()
    assert sorted(p["destination"] for p in dry) == [f"s3://{bucket}/static/{k}" for k in
                                                      ("css/site.css", "js/app.js", "new.txt")]
    assert all(p["action"] == "upload" for p in dry)
    assert total["unchanged"] == 3 and total["deletes"] == 0
    assert objects(s3, bucket, "static/")["static/css/site.css"] == b"body{}" * 100, "a dry run changes nothing"
    proc = pail.run("sync", str(site), f"s3://{bucket}/static/")
    assert "3 done" in proc.stderr.decode() and "3 already identical" in proc.stderr.decode()
    assert objects(s3, bucket, "static/")["static/css/site.css"] == b"BODY{}" * 100


def test_size_only_trusts_equal_sizes(pail, s3, bucket, tmp_path):
    tree(str(tmp_path), {"a.txt": b"aaaa"})
    s3.put_object(Bucket=bucket, Key="p/a.txt", Body=b"bbbb")
    assert plan(pail.run("sync", "--dry-run", "--json", "--size-only", str(tmp_path), f"s3://{bucket}/p/"))[-1][
        "transfers"] == 0
    assert plan(pail.run("sync", "--dry-run", "--json", str(tmp_path), f"s3://{bucket}/p/"))[-1]["transfers"] == 1


def test_excludes_and_includes_in_order(pail, s3, bucket, tmp_path):
    tree(str(tmp_path), {"a.css": b"1", "b.map": b"2", "keep.map": b"3", "sub/c.map": b"4"})
    pail.run("sync", "--exclude", "*.map", "--include", "keep.map", str(tmp_path), f"s3://{bucket}/p/")
    assert sorted(objects(s3, bucket, "p/")) == ["p/a.css", "p/keep.map"]


def test_delete_needs_a_yes_without_a_terminal(pail, s3, bucket, tmp_path):
    tree(str(tmp_path), {"a.txt": b"1"})
    s3.put_object(Bucket=bucket, Key="p/extra.txt", Body=b"x")
    proc = pail.run("sync", "--delete", str(tmp_path), f"s3://{bucket}/p/", check=False)
    assert proc.returncode != 0 and "--yes" in proc.stderr.decode()
    assert "p/extra.txt" in objects(s3, bucket, "p/"), "nothing deleted without a confirmation"


def test_download_sync_replaces_changed_files_and_deletes_only_regular_files(pail, s3, bucket, tmp_path):
    put_many_keys(s3, bucket, [f"media/{i}.bin" for i in range(5)], body=b"remote")
    dest = tmp_path / "backup"
    tree(str(dest), {"0.bin": b"remote", "1.bin": b"local!", "stale.bin": b"old"})
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"must survive")
    os.symlink(str(outside), str(dest / "link.bin"))
    pail.run("sync", "--delete", "--yes", f"s3://{bucket}/media/", str(dest))
    names = sorted(os.listdir(dest))
    assert names == ["0.bin", "1.bin", "2.bin", "3.bin", "4.bin", "link.bin"], "the link inside is not followed"
    assert all((dest / f"{i}.bin").read_bytes() == b"remote" for i in range(5))
    assert outside.read_bytes() == b"must survive"


def test_s3_to_s3_sync_copies_what_differs(pail, s3, bucket, tmp_path):
    for k, v in {"src/a": b"1", "src/b": b"2", "src/c/d": b"3"}.items():
        s3.put_object(Bucket=bucket, Key=k, Body=v)
    s3.put_object(Bucket=bucket, Key="dst/a", Body=b"1")
    s3.put_object(Bucket=bucket, Key="dst/b", Body=b"X")
    s3.put_object(Bucket=bucket, Key="dst/zzz", Body=b"extra")
    dry = plan(pail.run("sync", "--dry-run", "--json", "--delete", f"s3://{bucket}/src/", f"s3://{bucket}/dst/"))
    total = dry.pop()
    assert sorted((p["action"], p["source"]) for p in dry) == [
        ("copy", "src/b"), ("copy", "src/c/d"), ("delete", f"s3://{bucket}/dst/zzz")]
    assert total["unchanged"] == 1
    pail.run("sync", "--delete", "--yes", f"s3://{bucket}/src/", f"s3://{bucket}/dst/")
    assert objects(s3, bucket, "dst/") == {"dst/a": b"1", "dst/b": b"2", "dst/c/d": b"3"}


def test_gzip_uploads_compare_after_compressing(pail, s3, bucket, tmp_path):
    tree(str(tmp_path), {"site.css": b"body { color: red }\n" * 200})
    pail.run("sync", "--gzip", str(tmp_path), f"s3://{bucket}/s/")
    assert s3.head_object(Bucket=bucket, Key="s/site.css")["ContentEncoding"] == "gzip"
    again = pail.run("sync", "--gzip", str(tmp_path), f"s3://{bucket}/s/").stderr.decode()
    assert "1 already identical" in again and "0 done" in again
    digest = hashlib.md5(s3.get_object(Bucket=bucket, Key="s/site.css")["Body"].read()).hexdigest()
    assert digest == s3.head_object(Bucket=bucket, Key="s/site.css")["ETag"].strip('"')
