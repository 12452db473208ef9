"""Listing-driven commands stream (issue 11): `cp -r` (S3 to S3, S3 to local) and
`set-headers -r` act on each listed page while the next is listed, so what they hold is the
work in flight, never the listing. Seen in the keyspace server's request log, not with a clock:
a command that gathers the listing first logs every page before its first object request.
Also: `cp --skip-identical` finds the files' common folder by bytes."""
import os
import sys
import unicodedata

import pytest

from conftest import ROOT, Pail

sys.path.insert(0, os.path.join(ROOT, "scripts"))
import keyspace_server  # noqa: E402


@pytest.fixture(scope="module")
def keyspace(tmp_path_factory):
    log = str(tmp_path_factory.mktemp("keyspace") / "requests.log")
    proc, url = keyspace_server.start(workers=2, log=log)
    try:
        yield Pail(url, key="keyspace", secret="keyspace"), log
    finally:
        keyspace_server.stop(proc)


def requests_during(log, run):
    """The log lines written while run() ran."""
    seen = os.path.getsize(log)
    run()
    with open(log) as f:
        f.seek(seen)
        return f.read().splitlines()


def first_object_request_before_last_page(lines, bucket, methods):
    last_page = next(n for n, line in enumerate(lines)
                     if f" LIST {bucket} prefix=k/ " in line and "truncated=0" in line)
    first = next(n for n, line in enumerate(lines) if line.split()[1] in methods)
    return first < last_page


# 3,000 keys are three pages: a streaming command may list at most about a page ahead of
# 1,024 unfinished transfers, so it must act on objects before it lists the last page.
@pytest.mark.parametrize("what", ["copy", "download"])
def test_cp_r_acts_on_the_first_pages_before_the_listing_ends(keyspace, tmp_path, what):
    kpail, log = keyspace
    if what == "copy":
        source, dest, methods = "flat-3000", "s3://flat-3000-small/copy/", {"COPY"}
    else:
        source, dest, methods = "flat-3000-small", str(tmp_path / "dl"), {"GET"}
    out = []
    lines = requests_during(log, lambda: out.append(kpail.run("cp", "-r", f"s3://{source}/", dest, timeout=600)))
    err = out[0].stderr.decode()
    assert "3000 done, 0 skipped, 0 failed" in err, err
    assert sum(1 for line in lines if line.split()[1] in methods) == 3000
    assert first_object_request_before_last_page(lines, source, methods), \
        "every page was listed before the first object was copied: the listing was gathered first"
    if what == "download":
        files = sorted(os.listdir(tmp_path / "dl" / "k"))
        assert len(files) == 3000 and files[0] == "0000000"
        layout = keyspace_server.parse_layout(source)
        assert os.path.getsize(tmp_path / "dl" / "k" / "0002999") == layout.size(2999)


def test_set_headers_r_yes_edits_the_first_pages_before_the_listing_ends(keyspace):
    kpail, log = keyspace
    out = []
    lines = requests_during(log, lambda: out.append(kpail.run(
        "set-headers", "-r", "--yes", "--cache-control", "max-age=60", "s3://flat-3000/", timeout=600)))
    assert "changed 3000, skipped 0, failed 0" in out[0].stderr.decode()
    assert sum(1 for line in lines if line.split()[1] == "COPY") == 3000
    assert first_object_request_before_last_page(lines, "flat-3000", {"HEAD", "COPY"}), \
        "every page was listed before the first object was read: the listing was gathered first"


def test_a_preview_of_set_headers_streams_too(keyspace):
    kpail, log = keyspace
    out = []
    lines = requests_during(log, lambda: out.append(kpail.run(
        "set-headers", "-r", "--dry-run", "--cache-control", "max-age=60", "s3://flat-3000/", timeout=600)))
    assert out[0].stdout.decode().startswith("3000 objects under s3://flat-3000/: 3000 will change")
    assert first_object_request_before_last_page(lines, "flat-3000", {"HEAD"})


def test_skip_identical_finds_the_common_folder_by_bytes(pail, s3, bucket, tmp_path):
    # "e" + U+0301 and "é" are one String to Swift: a folder found with Character semantics
    # was "dst/e\u0301/", whose listing misses "dst/\u00e9/b.txt", which then went up again.
    nfd, nfc = unicodedata.normalize("NFD", "\u00e9"), "\u00e9"
    assert nfd != nfc
    src = tmp_path / "src"
    for folder, name in ((nfd, "a.txt"), (nfc, "b.txt")):
        (src / folder).mkdir(parents=True)
        (src / folder / name).write_bytes(name.encode() * 10)
    pail.run("cp", "-r", f"{src}/", f"s3://{bucket}/dst/")
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="dst/")["Contents"])
    assert keys == sorted([f"dst/{nfd}/a.txt", f"dst/{nfc}/b.txt"])
    again = pail.run("cp", "-r", "--skip-identical", f"{src}/", f"s3://{bucket}/dst/")
    err = again.stderr.decode()
    assert "0 done, 2 already identical" in err, err


def test_a_confirmed_set_headers_edits_exactly_what_was_previewed(pail, s3, bucket):
    # The preview's plan is kept on disk (key and ETag); an object changed or added while the
    # question waits is not edited, and the changed one is named.
    from conftest import PAIL_BIN
    from test_safety_rules import run_in_pty
    for name in ("a", "b", "c"):
        s3.put_object(Bucket=bucket, Key=f"p/{name}.txt", Body=name.encode(), CacheControl="no-cache")

    def answer(text):
        if not text.endswith("[y/N] "):
            return None
        s3.put_object(Bucket=bucket, Key="p/b.txt", Body=b"b, again", CacheControl="no-cache")
        s3.put_object(Bucket=bucket, Key="p/d.txt", Body=b"d", CacheControl="no-cache")
        return "y"

    argv = [PAIL_BIN, "set-headers", "--endpoint-url", pail.endpoint, "-r", "--cache-control", "max-age=60",
            f"s3://{bucket}/p/"]
    code, out = run_in_pty(argv, pail.env, answer)
    assert f"3 objects under s3://{bucket}/p/: 3 will change, 0 already right" in out, out
    assert "Cache-Control: no-cache (3) → max-age=60  [3 change]" in out, out
    assert code == 1, out
    assert f"could not edit s3://{bucket}/p/b.txt: it changed since the preview" in out, out
    assert "changed 2, skipped 0, failed 1" in out, out
    got = {k: s3.head_object(Bucket=bucket, Key=f"p/{k}.txt")["CacheControl"] for k in "abcd"}
    assert got == {"a": "max-age=60", "b": "no-cache", "c": "max-age=60", "d": "no-cache"}, got
