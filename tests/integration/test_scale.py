"""Listings at scale against scripts/keyspace_server.py (computed keys, nothing stored): `ls -r`
streams in key order (UTF-8 bytes) and holds a few pages, never the listing; `du` adds up the
same keys. No timing assertions: streaming is seen in the server's request log, memory in the
peak RSS of the process."""
import json
import os
import subprocess
import sys

import pytest

from conftest import PAIL_BIN, ROOT, Pail

sys.path.insert(0, os.path.join(ROOT, "scripts"))
import keyspace_server  # noqa: E402


@pytest.fixture(scope="module")
def keyspace(tmp_path_factory):
    log = str(tmp_path_factory.mktemp("keyspace") / "requests.log")
    proc, url = keyspace_server.start(workers=2, log=log)
    try:
        yield url, log
    finally:
        keyspace_server.stop(proc)


@pytest.fixture(scope="module")
def kpail(keyspace):
    return Pail(keyspace[0], key="keyspace", secret="keyspace")


def argv(pail, command, *args):
    return [PAIL_BIN, command, "--endpoint-url", pail.endpoint, *args]


def expected_keys(bucket):
    layout = keyspace_server.parse_layout(bucket)
    keys = layout.all_keys()
    assert keys == sorted(keys), "the server's keys are in byte order"
    return layout, keys


def peak_rss_mib(command, env):
    """Peak RSS of command, run from a fresh small Python process (a child forked from pytest
    would count pytest's own memory in its ru_maxrss)."""
    code = ("import resource, subprocess, sys\n"
            "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
            "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", code, *command], env=env, capture_output=True, timeout=600, check=True)
    rc, kib = out.stdout.split()
    assert rc == b"0", out.stderr
    return int(kib) / 1024


def test_ls_r_streams_a_flat_prefix_in_key_order(kpail, keyspace):
    bucket = "flat-200000"
    _, keys = expected_keys(bucket)
    log = keyspace[1]
    seen = os.path.getsize(log)
    proc = subprocess.Popen(argv(kpail, "ls", "-r", "--json", f"s3://{bucket}/"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=kpail.env)
    try:
        first = proc.stdout.readline()
        # pail now waits on the full pipe; it may only have listed the pages it holds.
        with open(log) as f:
            f.seek(seen)
            requests = [line for line in f if f" LIST {bucket} prefix=k/ " in line]
        assert not any("truncated=0" in line for line in requests), \
            "the first line came only after the last page: the listing was gathered before printing"
        assert len(requests) < 50, f"{len(requests)} pages listed ahead of a consumer that reads nothing"
        rest = proc.stdout.read()
    finally:
        proc.stdout.close()
        err = proc.stderr.read()
        proc.wait(timeout=60)
    assert proc.returncode == 0, err
    listed = [json.loads(line)["key"].encode() for line in [first] + rest.splitlines()]
    assert len(listed) == len(keys)
    assert listed == keys


def test_ls_r_keeps_byte_order_and_decodes_keys_below_unicode_prefixes(kpail):
    bucket = "mixed-50000"
    layout, keys = expected_keys(bucket)
    out = kpail.run("ls", "-r", "--json", f"s3://{bucket}/").stdout.decode()
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["key"].encode() for r in rows] == keys, "e + U+0301 before f before \u00e9, a.txt before a/"
    assert [r["size"] for r in rows] == [layout.size(i) for i in range(layout.total)]


def test_du_adds_up_every_key_of_a_date_tree(kpail):
    bucket = "dates-240000"
    layout, keys = expected_keys(bucket)
    # 240 pages from a Python endpoint: the default 120 s is too short for a loaded machine.
    out = kpail.run("du", "--json", f"s3://{bucket}/", timeout=300).stdout.decode()
    rows = [json.loads(line) for line in out.splitlines()]
    want = {}
    for i, k in enumerate(keys):
        year = k.decode()[:5]
        size, count = want.get(year, (0, 0))
        want[year] = (size + layout.size(i), count + 1)
    assert {r["prefix"]: (r["size"], r["objects"]) for r in rows if not r.get("total")} == want
    total = rows[-1]
    assert total["total"] and total["objects"] == len(keys)
    assert total["size"] == sum(layout.size(i) for i in range(layout.total))


@pytest.mark.parametrize("command,bucket,bound", [
    (["ls", "-r"], "flat-200000", 60),
    (["ls", "-r", "--json"], "dates-240000", 64),
    (["du"], "dates-240000", 64),
])
def test_memory_is_bounded_by_pages_in_flight(kpail, command, bucket, bound):
    # About 30 MiB of that is the process itself, and a flat prefix has up to 8 ranges of pages in
    # flight and 32 pages waiting (about 20 MiB); 200,000 keys held would add 40 or more.
    rss = peak_rss_mib(argv(kpail, command[0], *command[1:], f"s3://{bucket}/"), kpail.env)
    assert rss < bound, f"pail {' '.join(command)} of {bucket}: peak RSS {rss:.1f} MiB"


def listing_requests(log, bucket, seen):
    """(began, ended, fields) of each list request for bucket logged after offset seen."""
    out = []
    with open(log) as f:
        f.seek(seen)
        for line in f:
            parts = line.split()
            if len(parts) < 3 or parts[1] != "LIST" or parts[2] != bucket:
                continue
            fields = dict(p.split("=", 1) for p in parts[3:] if "=" in p)
            out.append((float(fields["began"]), float(parts[0]), fields))
    return out


def most_at_once(requests):
    events = sorted([(b, 1) for b, _, _ in requests] + [(e, -1) for _, e, _ in requests])
    now = peak = 0
    for _, step in events:
        now += step
        peak = max(peak, now)
    return peak


@pytest.mark.parametrize("bucket", ["flat-60000-delay20", "uflat-70000-delay5"])
def test_a_flat_prefix_is_listed_in_ranges_at_once_like_one_chain(kpail, keyspace, bucket):
    """Ranges from start-after points give the lines of one chain, in the same order, with
    keys that start and end with multi-byte characters (NFC and NFD pairs); no more requests
    at once than the lister's parallelism (8) and the one that found the level flat."""
    _, keys = expected_keys(bucket)
    log = keyspace[1]
    seen = os.path.getsize(log)
    out = kpail.run("ls", "-r", "--json", f"s3://{bucket}/", timeout=300).stdout.decode()
    assert [json.loads(line)["key"].encode() for line in out.splitlines()] == keys
    requests = listing_requests(log, bucket, seen)
    ranges = {r[2]["after"] for r in requests if r[2].get("after")}
    assert len(ranges) >= 8, f"listed in ranges from start-after points: {sorted(ranges)[:20]}"
    if bucket.startswith("uflat"):
        assert any("%C3" in a or "%CC" in a or "%F0" in a for a in ranges), "points with bytes above 0x7F"
    peak = most_at_once(requests)
    assert 1 < peak <= 9, f"{peak} list requests at once"
