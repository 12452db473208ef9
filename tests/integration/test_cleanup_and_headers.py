"""Issue 5: safe deletes, header edits that keep everything else, and the header audit."""
import json
import os
import random
import re

import pytest

from conftest import Pail, put_many_keys
from fault_proxy import FaultyProxy

FULL = dict(ContentType="text/css", ContentEncoding="gzip", ContentDisposition='attachment; filename="a.css"',
            ContentLanguage="fr-CA", Expires="Wed, 21 Oct 2026 07:28:00 GMT", CacheControl="max-age=60",
            Metadata={"origin": "django", "build": "42"})


def head(s3, bucket, key):
    h = s3.head_object(Bucket=bucket, Key=key)
    return {k: h.get(k) for k in ("ContentType", "ContentEncoding", "ContentDisposition", "ContentLanguage", "Expires",
                                  "CacheControl", "Metadata", "ContentLength")}


def keys_in(s3, bucket, prefix=""):
    out = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        out += [o["Key"] for o in page.get("Contents", [])]
    return out


# ---------------------------------------------------------------- header edits

def test_cache_control_edit_keeps_every_other_header_metadata_and_tag(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="static/app.css", Body=b"body{}" * 50, Tagging="team=web&tier=static", **FULL)
    before = head(s3, bucket, "static/app.css")
    pail.run("set-headers", "--yes", "--cache-control", "public, max-age=31536000", f"s3://{bucket}/static/app.css")
    after = head(s3, bucket, "static/app.css")
    assert after["CacheControl"] == "public, max-age=31536000"
    before.pop("CacheControl"), after.pop("CacheControl")
    assert after == before
    assert s3.get_object_tagging(Bucket=bucket, Key="static/app.css")["TagSet"] == [
        {"Key": "team", "Value": "web"}, {"Key": "tier", "Value": "static"}]
    assert s3.get_object(Bucket=bucket, Key="static/app.css")["Body"].read() == b"body{}" * 50


def test_prefix_of_500_objects_with_varied_headers(pail, s3, bucket):
    rng = random.Random(7)
    expected = {}
    def put(i):
        key = f"media/{i:04d}.{rng.choice(['jpg', 'css', 'js', 'png'])}"
        extra = {}
        if i % 2: extra["ContentType"] = rng.choice(["image/jpeg", "text/css", "application/octet-stream"])
        if i % 3: extra["ContentEncoding"] = "gzip"
        if i % 5: extra["ContentDisposition"] = "inline"
        if i % 7: extra["Metadata"] = {"n": str(i)}
        if i % 4 == 0: extra["CacheControl"] = "max-age=31536000"  # already right: skipped
        return key, extra
    items = [put(i) for i in range(500)]
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda kv: s3.put_object(Bucket=bucket, Key=kv[0], Body=b"x", **kv[1]), items))
    for key, _ in items:
        expected[key] = head(s3, bucket, key)
    s3.put_object(Bucket=bucket, Key="media-other/untouched.jpg", Body=b"x", CacheControl="no-cache")
    proc = pail.run("set-headers", "-r", "--yes", "--cache-control", "max-age=31536000", f"s3://{bucket}/media/")
    assert "changed 375, skipped 125, failed 0" in proc.stderr.decode()
    with ThreadPoolExecutor(16) as pool:
        heads = dict(zip([k for k, _ in items], pool.map(lambda k: head(s3, bucket, k), [k for k, _ in items])))
    for key, before in expected.items():
        after = heads[key]
        assert after["CacheControl"] == "max-age=31536000", key
        before = dict(before, CacheControl="max-age=31536000")
        assert after == before, key
    assert s3.head_object(Bucket=bucket, Key="media-other/untouched.jpg")["CacheControl"] == "no-cache"


def test_random_header_sets_survive_any_single_edit(pail, s3, bucket):
    """A property test: for random header sets and a random edit, exactly the edited field
    changes and everything else reads back the same."""
    rng = random.Random(2026)
    values = {
        "ContentType": ["text/plain", "image/webp", "application/json; charset=utf-8"],
        "ContentEncoding": ["gzip", "br", "identity"],
        "ContentDisposition": ["inline", 'attachment; filename="x y.txt"'],
        "ContentLanguage": ["en", "de-AT"],
        "CacheControl": ["no-store", "public, max-age=600", "private"],
        "Expires": ["Thu, 01 Jan 2037 00:00:00 GMT"],
    }
    flags = {"ContentType": "--content-type", "ContentEncoding": "--content-encoding",
             "ContentDisposition": "--content-disposition", "ContentLanguage": "--content-language",
             "CacheControl": "--cache-control"}
    for n in range(25):
        key = f"prop/{n}"
        extra = {k: rng.choice(v) for k, v in values.items() if rng.random() < 0.6}
        meta = {f"m{i}": rng.choice(["a", "b c", "ünï"]) .encode("ascii", "ignore").decode() or "x"
                for i in range(rng.randint(0, 3))}
        if meta:
            extra["Metadata"] = meta
        s3.put_object(Bucket=bucket, Key=key, Body=b"p", **extra)
        before = head(s3, bucket, key)
        field = rng.choice(list(flags))
        # Cache-Control and Content-Type are checked before they are sent: valid values of those.
        new = {"CacheControl": f"max-age={n}", "ContentType": f"application/x-value-{n}"}.get(field, f"value-{n}")
        args = [flags[field], new]
        if rng.random() < 0.3:
            args += ["--metadata", f"added={n}"]
        pail.run("set-headers", "--yes", *args, f"s3://{bucket}/{key}")
        after = head(s3, bucket, key)
        assert after[field] == new, (key, field)
        expected_meta = dict(before["Metadata"], **({"added": str(n)} if "--metadata" in args else {}))
        assert after["Metadata"] == expected_meta
        for k in before:
            if k not in (field, "Metadata"):
                assert after[k] == before[k], (key, k, before, after)


def test_remove_header_and_metadata(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="r.txt", Body=b"r", **FULL)
    pail.run("set-headers", "--yes", "--remove-header", "content-encoding", "--remove-metadata", "build",
             f"s3://{bucket}/r.txt")
    h = head(s3, bucket, "r.txt")
    assert h["ContentEncoding"] is None and h["Metadata"] == {"origin": "django"} and h["ContentType"] == "text/css"


def test_dry_run_preview_changes_nothing(pail, s3, bucket):
    for i in range(3):
        s3.put_object(Bucket=bucket, Key=f"d/{i}.css", Body=b"x",
                      CacheControl="max-age=60" if i else "max-age=31536000")
    out = pail.run("set-headers", "-r", "--dry-run", "--cache-control", "max-age=31536000",
                   f"s3://{bucket}/d/").stdout.decode()
    assert "2 will change, 1 already right" in out
    assert "max-age=60 (2)" in out and "→ max-age=31536000" in out
    assert s3.head_object(Bucket=bucket, Key="d/1.css")["CacheControl"] == "max-age=60"


def test_objects_above_the_copy_limit_go_through_upload_part_copy(pail, s3, bucket):
    body = os.urandom(12 * 1024 * 1024 + 5)
    s3.put_object(Bucket=bucket, Key="big.bin", Body=body, Tagging="keep=yes", **FULL)
    before = head(s3, bucket, "big.bin")
    pail.run("set-headers", "--yes", "--cache-control", "no-cache", "--multipart-copy-threshold", str(5 << 20),
             "--copy-part-size", str(5 << 20), f"s3://{bucket}/big.bin")
    after = head(s3, bucket, "big.bin")
    assert after["CacheControl"] == "no-cache"
    before.pop("CacheControl"), after.pop("CacheControl")
    assert after == before
    assert s3.get_object(Bucket=bucket, Key="big.bin")["Body"].read() == body
    assert s3.get_object_tagging(Bucket=bucket, Key="big.bin")["TagSet"] == [{"Key": "keep", "Value": "yes"}]
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_public_read_stays_public_read_on_aws_semantics(moto_pail, moto_s3, moto_bucket):
    moto_s3.put_object(Bucket=moto_bucket, Key="media/public.jpg", Body=b"img", ACL="public-read",
                       ContentType="image/jpeg",
                       Metadata={"a": "b"})
    moto_s3.put_object(Bucket=moto_bucket, Key="media/private.jpg", Body=b"img", ContentType="image/jpeg")
    def grants(key):
        return sorted((g["Grantee"].get("URI") or g["Grantee"].get("ID"), g["Permission"])
                      for g in moto_s3.get_object_acl(Bucket=moto_bucket, Key=key)["Grants"])
    before_public, before_private = grants("media/public.jpg"), grants("media/private.jpg")
    assert any("AllUsers" in (g or "") for g, _ in before_public)
    moto_pail.run("set-headers", "-r", "--yes", "--cache-control", "max-age=86400", f"s3://{moto_bucket}/media/")
    assert grants("media/public.jpg") == before_public
    assert grants("media/private.jpg") == before_private
    h = moto_s3.head_object(Bucket=moto_bucket, Key="media/public.jpg")
    assert h["CacheControl"] == "max-age=86400" and h["ContentType"] == "image/jpeg" and h["Metadata"] == {"a": "b"}


def test_set_headers_refuses_without_terminal_or_yes(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"k")
    proc = pail.run("set-headers", "--cache-control", "max-age=60", f"s3://{bucket}/k", check=False)
    assert proc.returncode == 1 and "--yes" in proc.stderr.decode()
    proc = pail.run("set-headers", "--cache-control", "max-age=60", f"s3://{bucket}/", check=False)
    assert proc.returncode == 1 and "-r" in proc.stderr.decode()


# ---------------------------------------------------------------- deletes

def test_recursive_delete_never_crosses_the_prefix_boundary(pail, s3, bucket, tmp_path):
    for k in ["media/2023/a.jpg", "media/2023/b/c.jpg", "media/2023-old/a.jpg", "media/2023.txt", "media/2024/a.jpg"]:
        s3.put_object(Bucket=bucket, Key=k, Body=b"x")
    proc = pail.run("rm", "-r", "--yes", f"s3://{bucket}/media/2023", env={"XDG_STATE_HOME": str(tmp_path)})
    assert sorted(keys_in(s3, bucket)) == ["media/2023-old/a.jpg", "media/2023.txt", "media/2024/a.jpg"]
    assert "deleted 2 objects" in proc.stderr.decode()


def test_delete_2500_objects_in_batches_with_a_manifest(pail, s3, bucket, tmp_path):
    keys = [f"bulk/{i:05d}.jpg" for i in range(2500)]
    put_many_keys(s3, bucket, keys, body=b"12345")
    s3.put_object(Bucket=bucket, Key="keep/me.jpg", Body=b"x")
    proc = pail.run("rm", "-r", "--yes", "--json", f"s3://{bucket}/bulk/", env={"XDG_STATE_HOME": str(tmp_path)})
    result = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    assert result["deleted"] == 2500 and result["failed"] == 0
    assert keys_in(s3, bucket) == ["keep/me.jpg"]
    manifest = result["manifest"]
    assert manifest.startswith(str(tmp_path / "pail" / "deletions"))
    lines = [json.loads(l) for l in open(manifest)]
    assert [l["key"] for l in lines] == keys
    assert all(l["size"] == 5 and len(l["etag"]) == 32 and l["last_modified"].endswith("Z") for l in lines)
    assert manifest in proc.stderr.decode()


def test_a_confirmed_delete_goes_page_by_page_and_says_where_a_failed_listing_stopped(endpoint, s3, bucket, tmp_path):
    """rm -r --yes deletes each listed page while listing the next: overlapping prefixes are
    listed once, and when the listing fails part way, what was listed (and is in the
    manifest) is gone and the rest is untouched."""
    keys = [f"pages/{i:05d}.jpg" for i in range(2500)]
    put_many_keys(s3, bucket, keys)
    s3.put_object(Bucket=bucket, Key="pages-old/keep.jpg", Body=b"x")
    proxy = FaultyProxy(endpoint, lambda m, p, n: "500" if m == "GET" and "continuation-token" in p else "forward")
    try:
        proc = Pail(proxy.url).run("rm", "-r", "--yes", "--json", f"s3://{bucket}/pages/", f"s3://{bucket}/pages/000",
                                   env={"XDG_STATE_HOME": str(tmp_path)}, check=False)
    finally:
        proxy.close()
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "the listing stopped" in err and "InternalError" in err, err
    result = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    assert result["deleted"] == 1000 and result["failed"] == 0
    left = keys_in(s3, bucket)
    assert left == keys[1000:] + ["pages-old/keep.jpg"]
    assert [json.loads(l)["key"] for l in open(result["manifest"])] == keys[:1000]
    # Without the fault, the rest goes, each key once.
    proc = Pail(endpoint).run("rm", "-r", "--yes", "--json", f"s3://{bucket}/pages/", f"s3://{bucket}/pages/01",
                              env={"XDG_STATE_HOME": str(tmp_path)})
    result = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    assert result["deleted"] == 1500 and result["failed"] == 0
    assert [json.loads(l)["key"] for l in open(result["manifest"])] == keys[1000:]
    assert keys_in(s3, bucket) == ["pages-old/keep.jpg"]


def test_control_character_keys_are_deleted_one_by_one(pail, s3, bucket, tmp_path):
    keys = ["ctl/esc\x1b[31m.txt", "ctl/tab\t.txt", "ctl/nl\n.txt", "ctl/plain.txt", "ctl/amp&<lt>.txt"]
    for k in keys:
        s3.put_object(Bucket=bucket, Key=k, Body=b"x")
    pail.run("rm", "-r", "--yes", f"s3://{bucket}/ctl/", env={"XDG_STATE_HOME": str(tmp_path)})
    assert keys_in(s3, bucket) == []


def test_dry_run_deletes_nothing(pail, s3, bucket):
    for i in range(5):
        s3.put_object(Bucket=bucket, Key=f"dry/{i}", Body=b"x")
    proc = pail.run("rm", "-r", "--dry-run", f"s3://{bucket}/dry/")
    assert proc.stdout.decode().count("(dry run) delete") == 5
    assert "nothing was" in proc.stderr.decode()
    assert len(keys_in(s3, bucket)) == 5


def test_rm_refuses_without_a_terminal_and_without_yes(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="x", Body=b"x")
    proc = pail.run("rm", f"s3://{bucket}/x", check=False)
    assert proc.returncode == 1 and "--yes" in proc.stderr.decode()
    proc = pail.run("rm", "--yes", f"s3://{bucket}/prefix/", check=False)
    assert proc.returncode == 1 and "-r" in proc.stderr.decode()
    assert keys_in(s3, bucket) == ["x"]


def error_injecting_proxy(upstream, failing_key):
    """Forwards to the server, but answers DeleteObjects itself with one per-key <Error>."""
    payload = (f"<?xml version='1.0'?><DeleteResult><Error><Key>{failing_key}</Key><Code>AccessDenied</Code>"
               "<Message>Access Denied</Message></Error></DeleteResult>").encode()
    return FaultyProxy(upstream, lambda method, path, n: ("respond", 200, payload)
                       if method == "POST" and "delete" in path else "forward")


def test_per_key_errors_are_reported_by_key(endpoint, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="e/locked.jpg", Body=b"x")
    proxy = error_injecting_proxy(endpoint, "e/locked.jpg")
    try:
        proc = Pail(proxy.url).run("rm", "-r", "--yes", f"s3://{bucket}/e/", env={"XDG_STATE_HOME": str(tmp_path)},
                                   check=False)
    finally:
        proxy.close()
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "could not delete s3://%s/e/locked.jpg: AccessDenied" % bucket in err
    assert "1 failed" in err


# ---------------------------------------------------------------- audit

def test_header_audit_filters(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="s/app.css", Body=b"x", ContentType="text/css", ContentEncoding="gzip",
                  CacheControl="max-age=31536000")
    s3.put_object(Bucket=bucket, Key="s/raw.js", Body=b"x", ContentType="text/javascript", CacheControl="max-age=300")
    # SeaweedFS replaces application/octet-stream with its own guess: use a wrong type it keeps.
    s3.put_object(Bucket=bucket, Key="s/legacy.js", Body=b"x", ContentType="text/plain")
    s3.put_object(Bucket=bucket, Key="s/img/logo.png", Body=b"x", ContentType="image/png", CacheControl="max-age=86400")
    def keys(*args):
        out = pail.run("headers", "-r", "--json", *args, f"s3://{bucket}/s/").stdout.decode()
        return [json.loads(l)["key"] for l in out.splitlines()]
    assert keys() == ["s/app.css", "s/img/logo.png", "s/legacy.js", "s/raw.js"]
    assert keys("--missing", "cache-control") == ["s/legacy.js"]
    assert keys("--match", "not-gzip") == ["s/legacy.js", "s/raw.js"]
    assert keys("--match", "type-mismatch") == ["s/legacy.js"]
    assert keys("--match", "max-age<1d") == ["s/legacy.js", "s/raw.js"]
    assert keys("--match", "content-type~image") == ["s/img/logo.png"]
    level = pail.run("headers", "--json", f"s3://{bucket}/s/").stdout.decode()
    assert "logo.png" not in level
    row = json.loads(pail.run("headers", "--json", f"s3://{bucket}/s/app.css").stdout.decode().splitlines()[0])
    assert row == {"key": "s/app.css", "size": 1, "last_modified": row["last_modified"], "content_type": "text/css",
                   "cache_control": "max-age=31536000", "content_encoding": "gzip"}
    text = pail.run("headers", "-r", "--missing", "cache-control", f"s3://{bucket}/s/").stdout.decode()
    assert "text/plain" in text and "s/legacy.js" in text
