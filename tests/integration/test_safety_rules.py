"""Issue 18: each safety rule has a test that fails when the rule is broken.

The prefix boundary on every path that plans a delete, an edit or a copy; the exact
DeleteObjects request; downloads whose body is cut short or corrupted; ACLs re-sent on edits;
the lifetime of presigned URLs. scripts/mutants.py breaks these rules one at a time and
expects these tests to notice (the list is tests/mutants.toml).
"""
import base64
import datetime
import hashlib
import json
import os
import pty
import re
import select
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pytest

from conftest import PAIL_BIN, Pail
from fault_proxy import FaultyProxy

INSIDE = ["media/2023/a.jpg", "media/2023/b/c.jpg"]
NEIGHBOURS = ["media/2023-old/keep.jpg", "media/2023.txt"]


def keys_in(s3, bucket, prefix=""):
    out = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        out += [o["Key"] for o in page.get("Contents", [])]
    return sorted(out)


@pytest.fixture
def media(s3, bucket):
    """media/2023/ and the two neighbours a prefix test without a "/" would reach."""
    for k in INSIDE + NEIGHBOURS:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode(), ContentType="image/jpeg", CacheControl="max-age=60")
    return bucket


def neighbours_untouched(s3, bucket):
    for k in NEIGHBOURS:
        h = s3.head_object(Bucket=bucket, Key=k)
        assert h["CacheControl"] == "max-age=60" and h["ContentType"] == "image/jpeg", k
        assert s3.get_object(Bucket=bucket, Key=k)["Body"].read() == k.encode(), k


PREFIXES = pytest.mark.parametrize("given", ["media/2023", "media/2023/"], ids=["no-slash", "slash"])


# ---------------------------------------------------------------- prefix boundary (S3 rule 8)

@PREFIXES
def test_rm_dry_run_plans_only_below_the_prefix(pail, s3, media, given):
    proc = pail.run("rm", "-r", "--dry-run", f"s3://{media}/{given}")
    planned = sorted(l.removeprefix(f"(dry run) delete: s3://{media}/") for l in proc.stdout.decode().splitlines())
    assert planned == INSIDE
    assert "dry run: 2 objects" in proc.stderr.decode()
    proc = pail.run("rm", "-r", "--dry-run", "--json", f"s3://{media}/{given}")
    assert sorted(json.loads(l)["key"] for l in proc.stdout.decode().splitlines()) == INSIDE
    assert keys_in(s3, media) == sorted(INSIDE + NEIGHBOURS)


def run_in_pty(argv, env, answer, timeout=60):
    """Runs pail on a pseudo terminal (stdin and stderr are a tty, so it asks); `answer(text)`
    sees what it printed so far and returns the line to type, or None to keep waiting."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    out = b""
    answered = False
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                out += chunk
            if not answered:
                line = answer(out.decode(errors="replace"))
                if line is not None:
                    os.write(master, line.encode() + b"\n")
                    answered = True
            elif proc.poll() is not None and not ready:
                break
        proc.wait(timeout=max(1, deadline - time.time()))
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return proc.returncode, out.decode(errors="replace").replace("\r\n", "\n")


def confirm_as_asked(text):
    """Types exactly what the confirmation asks for."""
    m = re.search(r"Type (\S+) to confirm: $", text)
    if m:
        return m.group(1)
    return "y" if text.endswith("[y/N] ") else None


@PREFIXES
def test_interactive_rm_lists_and_deletes_only_below_the_prefix(pail, s3, media, given, tmp_path):
    argv = [PAIL_BIN, "rm", "--endpoint-url", pail.endpoint, "-r", f"s3://{media}/{given}"]
    code, out = run_in_pty(argv, dict(pail.env, XDG_STATE_HOME=str(tmp_path)), confirm_as_asked)
    assert f"Delete 2 objects, 34 B, in s3://{media}/" in out, out
    listed = [l.strip() for l in out.splitlines() if l.startswith("  ")]
    assert sorted(listed) == INSIDE, out
    assert f"Type s3://{media}/media/2023/ to confirm" in out, out
    assert code == 0, out
    assert keys_in(s3, media) == sorted(NEIGHBOURS)
    neighbours_untouched(s3, media)
    (manifest,) = (tmp_path / "pail" / "deletions").iterdir()
    assert sorted(json.loads(l)["key"] for l in manifest.read_text().splitlines()) == INSIDE


def test_interactive_rm_answered_no_deletes_nothing(pail, s3, media, tmp_path):
    argv = [PAIL_BIN, "rm", "--endpoint-url", pail.endpoint, "-r", f"s3://{media}/media/2023"]
    code, out = run_in_pty(argv, dict(pail.env, XDG_STATE_HOME=str(tmp_path)),
                           lambda text: "no" if text.endswith("to confirm: ") else None)
    assert code == 1 and "nothing deleted" in out, out
    assert keys_in(s3, media) == sorted(INSIDE + NEIGHBOURS)


@PREFIXES
def test_rm_yes_deletes_only_below_the_prefix(pail, s3, media, given, tmp_path):
    proc = pail.run("rm", "-r", "--yes", "--json", f"s3://{media}/{given}", env={"XDG_STATE_HOME": str(tmp_path)})
    assert json.loads(proc.stdout.decode().splitlines()[-1])["deleted"] == 2
    assert keys_in(s3, media) == sorted(NEIGHBOURS)
    neighbours_untouched(s3, media)


@PREFIXES
def test_set_headers_dry_run_and_edit_stay_below_the_prefix(pail, s3, media, given):
    proc = pail.run("set-headers", "-r", "--dry-run", "--cache-control", "max-age=5", f"s3://{media}/{given}")
    assert "2 objects under" in proc.stdout.decode() and "2 will change" in proc.stdout.decode(), proc.stdout
    neighbours_untouched(s3, media)
    pail.run("set-headers", "-r", "--yes", "--cache-control", "max-age=5", f"s3://{media}/{given}")
    for k in INSIDE:
        assert s3.head_object(Bucket=media, Key=k)["CacheControl"] == "max-age=5", k
    neighbours_untouched(s3, media)


@PREFIXES
def test_cp_r_download_stays_below_the_prefix(pail, media, given, tmp_path):
    dest = tmp_path / "out"
    pail.run("cp", "-r", f"s3://{media}/{given}", str(dest))
    files = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())
    # Whichever folder the prefix's own name lands in, only its two objects arrive.
    assert [os.path.basename(f) for f in files] == ["a.jpg", "c.jpg"], files
    assert all(f.endswith(("a.jpg", "b/c.jpg")) for f in files), files


@PREFIXES
def test_cp_r_within_s3_stays_below_the_prefix(pail, s3, media, given):
    target = media + "-copy"
    s3.create_bucket(Bucket=target)
    pail.run("cp", "-r", f"s3://{media}/{given}", f"s3://{target}/into/")
    expected = ["into/2023/a.jpg", "into/2023/b/c.jpg"] if not given.endswith("/") else ["into/a.jpg", "into/b/c.jpg"]
    assert keys_in(s3, target) == expected
    assert keys_in(s3, media) == sorted(INSIDE + NEIGHBOURS)


# ---------------------------------------------------------------- DeleteObjects (S3 rule 7)

NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def test_delete_objects_requests_carry_the_body_md5_escaped_keys_and_at_most_1000(endpoint, s3, bucket, tmp_path):
    from conftest import put_many_keys
    odd = ["del/a&b.txt", "del/<tag>.txt", "del/quote\"'.txt", "del/amp;&amp;.txt", "del/caf\u00e9 \u65e5.txt"]
    keys = [f"del/{i:05d}.jpg" for i in range(2300)] + odd
    put_many_keys(s3, bucket, keys)
    s3.put_object(Bucket=bucket, Key="del-old/keep.jpg", Body=b"x")
    proxy = FaultyProxy(endpoint, lambda m, p, n: "forward")
    try:
        proc = Pail(proxy.url).run("rm", "-r", "--yes", "--json", f"s3://{bucket}/del",
                                   env={"XDG_STATE_HOME": str(tmp_path)})
        posts = [(proxy.requests[i][1], proxy.headers[i], proxy.bodies[i])
                 for i in range(len(proxy.requests)) if proxy.requests[i][0] == "POST"]
    finally:
        proxy.close()
    assert json.loads(proc.stdout.decode().splitlines()[-1])["deleted"] == len(keys)
    sent = []
    for path, headers, body in posts:
        assert "delete" in urllib.parse.urlsplit(path).query
        assert headers["content-md5"] == base64.b64encode(hashlib.md5(body).digest()).decode(), path
        root = ET.fromstring(body)  # well-formed: every key escaped
        batch = [o.find(NS + "Key").text for o in root.iter(NS + "Object")]
        assert 0 < len(batch) <= 1000
        sent += batch
    assert len(posts) == 3
    assert sorted(sent) == sorted(keys), "every key once, byte for byte"
    assert keys_in(s3, bucket) == ["del-old/keep.jpg"]


# ---------------------------------------------------------------- downloads (S3 rule 13)

def corrupting_proxy(endpoint, bucket, key, action):
    target = f"/{bucket}/{urllib.parse.quote(key)}"
    return FaultyProxy(endpoint, lambda m, p, n: action if m == "GET" and p.split("?")[0] == target else "forward")


@pytest.mark.parametrize("action", ["truncate", "flip-byte", "reset-body"])
@pytest.mark.parametrize("size", [300_000, 9 << 20], ids=["single", "ranged"])
def test_a_damaged_download_leaves_nothing(endpoint, s3, bucket, tmp_path, action, size):
    body = os.urandom(size)
    s3.put_object(Bucket=bucket, Key="dl/d.bin", Body=body)
    etag = s3.head_object(Bucket=bucket, Key="dl/d.bin")["ETag"]
    assert "-" not in etag, "a plain MD5 ETag: the check pail can make"
    dest = tmp_path / "dest"
    dest.mkdir()
    proxy = corrupting_proxy(endpoint, bucket, "dl/d.bin", action)
    try:
        one = Pail(proxy.url).run("cp", f"s3://{bucket}/dl/d.bin", str(dest / "d.bin"), check=False)
        many = Pail(proxy.url).run("cp", "-r", f"s3://{bucket}/dl/", str(dest / "tree"), check=False)
    finally:
        proxy.close()
    for proc in (one, many):
        assert proc.returncode != 0, proc.stderr
        assert len(proc.stderr.decode().strip().splitlines()) >= 1
    left = sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if not p.is_dir())
    assert left == [], f"no final and no temporary file: {left}"
    # Without the fault the same commands succeed, so it was the damage they refused.
    Pail(endpoint).run("cp", f"s3://{bucket}/dl/d.bin", str(dest / "d.bin"))
    assert (dest / "d.bin").read_bytes() == body


# ---------------------------------------------------------------- ACL re-sent on edits (S3 rule 2)

def test_a_header_edit_sends_the_acl_with_the_copy_itself(moto_endpoint, moto_s3, moto_bucket):
    """The grants travel on the CopyObject request (never a private moment in between), on
    the single-object path too, and an object granted to one account keeps that grant."""
    moto_s3.put_object(Bucket=moto_bucket, Key="pub.jpg", Body=b"img", ACL="public-read", ContentType="image/jpeg")
    moto_s3.put_object(Bucket=moto_bucket, Key="shared.jpg", Body=b"img", ContentType="image/jpeg")
    owner = moto_s3.get_object_acl(Bucket=moto_bucket, Key="shared.jpg")["Owner"]["ID"]
    other = "a" * 64
    moto_s3.put_object_acl(Bucket=moto_bucket, Key="shared.jpg",
                           GrantFullControl=f'id="{owner}"', GrantRead=f'id="{other}"')

    def grants(key):
        return sorted((g["Grantee"].get("URI") or g["Grantee"].get("ID"), g["Permission"])
                      for g in moto_s3.get_object_acl(Bucket=moto_bucket, Key=key)["Grants"])
    before = {k: grants(k) for k in ("pub.jpg", "shared.jpg")}
    assert (other, "READ") in before["shared.jpg"]
    proxy = FaultyProxy(moto_endpoint, lambda m, p, n: "forward")
    try:
        p = Pail(proxy.url, key="testing", secret="testing")
        for k in ("pub.jpg", "shared.jpg"):
            p.run("set-headers", "--yes", "--cache-control", "max-age=7", f"s3://{moto_bucket}/{k}")
        copies = {urllib.parse.unquote(proxy.requests[i][1].split("?")[0]).rsplit("/", 1)[1]: proxy.headers[i]
                  for i in range(len(proxy.requests))
                  if proxy.requests[i][0] == "PUT" and "x-amz-copy-source" in proxy.headers[i]}
    finally:
        proxy.close()
    assert copies["pub.jpg"].get("x-amz-acl") == "public-read", copies["pub.jpg"]
    assert f'id="{other}"' in copies["shared.jpg"].get("x-amz-grant-read", ""), copies["shared.jpg"]
    for k in ("pub.jpg", "shared.jpg"):
        assert grants(k) == before[k], k
        assert moto_s3.head_object(Bucket=moto_bucket, Key=k)["CacheControl"] == "max-age=7"


# ---------------------------------------------------------------- presigned URL lifetime (S3 rule 18)

def presign(pail, key, expires, signed_at):
    stamp = signed_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return pail.run("url", "--presign", "--expires", expires, "--signing-time", stamp, key).stdout.decode().strip()


def status_of(u):
    try:
        with urllib.request.urlopen(u, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


def test_presigned_lifetime_is_what_was_asked(pail, s3, bucket):
    """Signed two minutes ago: a 60 s URL is already dead and a 1 h one still works, as the
    server judges it; no sleeping."""
    s3.put_object(Bucket=bucket, Key="life.txt", Body=b"alive")
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    past = now - datetime.timedelta(minutes=2)
    dead = presign(pail, f"s3://{bucket}/life.txt", "60", past)
    live = presign(pail, f"s3://{bucket}/life.txt", "1h", past)
    assert status_of(live) == (200, b"alive")
    assert status_of(dead)[0] == 403
    for given, seconds in [("90", 90), ("15m", 900), ("1h", 3600), ("1d", 86400), ("7d", 604800)]:
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(presign(pail, f"s3://{bucket}/life.txt", given, past)).query)
        assert q["X-Amz-Expires"] == [str(seconds)], given
        assert q["X-Amz-Date"] == [past.strftime("%Y%m%dT%H%M%SZ")]
    proc = pail.run("url", "--presign", "--expires", "604801", f"s3://{bucket}/life.txt", check=False)
    assert proc.returncode != 0 and "7 days" in proc.stderr.decode()


def put_multipart(s3, bucket, key, body, part=5 << 20):
    """An object whose ETag is not an MD5 ("…-2"): pail has no digest to check it against."""
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    parts = []
    for n, start in enumerate(range(0, len(body), part), 1):
        etag = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=n,
                              Body=body[start:start + part])["ETag"]
        parts.append({"PartNumber": n, "ETag": etag})
    s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload, MultipartUpload={"Parts": parts})
    etag = s3.head_object(Bucket=bucket, Key=key)["ETag"]
    assert "-" in etag, etag
    return etag


@pytest.mark.parametrize("size", [(5 << 20) + 100_000, (10 << 20) + 100_000], ids=["single", "ranged"])
def test_a_cut_download_without_an_md5_to_check_leaves_nothing(endpoint, s3, bucket, tmp_path, size):
    """With a multipart ETag only the sizes can tell a body came back short."""
    put_multipart(s3, bucket, "mp/d.bin", os.urandom(size))
    dest = tmp_path / "dest"
    dest.mkdir()
    proxy = corrupting_proxy(endpoint, bucket, "mp/d.bin", "truncate")
    try:
        proc = Pail(proxy.url).run("cp", f"s3://{bucket}/mp/d.bin", str(dest / "d.bin"), check=False)
    finally:
        proxy.close()
    assert proc.returncode != 0, proc.stderr
    assert list(dest.iterdir()) == []


def test_an_object_replaced_during_a_ranged_download_is_not_mixed(endpoint, s3, bucket, tmp_path):
    """Ranges are pinned with If-Match (S3 rule 13): once the first range has arrived the
    object is replaced, and the next range must not bring the new object's bytes."""
    import threading
    size = (10 << 20) + 100_000
    put_multipart(s3, bucket, "mp/v.bin", os.urandom(size))
    target = f"/{bucket}/mp/v.bin"
    first_sent, lock, gets = threading.Event(), threading.Lock(), []

    def decide(method, path, n):
        if method != "GET" or path.split("?")[0] != target:
            return "forward"
        with lock:
            gets.append(n)
            first = len(gets) == 1
        if not first:
            first_sent.wait(30)
            with lock:
                if len(gets) == 2:
                    put_multipart(s3, bucket, "mp/v.bin", os.urandom(size))
        return "forward"

    def after(method, path, n):
        if gets and n == gets[0]:
            first_sent.set()

    dest = tmp_path / "dest"
    dest.mkdir()
    proxy = FaultyProxy(endpoint, decide, after_response=after)
    try:
        proc = Pail(proxy.url).run("cp", f"s3://{bucket}/mp/v.bin", str(dest / "v.bin"), check=False)
    finally:
        proxy.close()
    assert len(gets) >= 2, "a ranged download"
    assert proc.returncode != 0, proc.stderr
    assert list(dest.iterdir()) == []
