"""`bench.py --only streaming`: peak memory and time to the first request of the listing-driven
commands that act on every object (`cp -r` S3 to S3 and S3 to local, `set-headers -r --yes`)
against scripts/keyspace_server.py, which answers their COPY, HEAD and GET without storing
anything. PAIL_BENCH_STREAMING_KEYS sets the size (default 1,000,000; the Python endpoint
serves about 1,000 object requests a second here, so a million copies take some 20 minutes)."""
import os
import shutil
import tempfile
import time

HEADING = "## Streaming: commands that act on every listed object"


def _first_object_request(log, since, started):
    """Seconds from `started` to the first COPY/HEAD/GET in the log after offset `since`."""
    with open(log) as f:
        f.seek(since)
        for line in f:
            fields = line.split()
            if len(fields) > 1 and fields[1] in ("COPY", "HEAD", "GET"):
                return float(fields[0]) - started
    return None


def bench(pail, env, run_streaming):
    import keyspace_server
    n = int(os.environ.get("PAIL_BENCH_STREAMING_KEYS", "1000000"))
    work = tempfile.mkdtemp(prefix="pail-bench-streaming-")
    log = os.path.join(work, "requests.log")
    proc, url = keyspace_server.start(workers=2, log=log)
    cases = [("cp -r S3 to S3", ["cp", "-r", f"s3://flat-{n}/", f"s3://flat-{n}-small/copy/"]),
             ("cp -r S3 to local", ["cp", "-r", f"s3://flat-{n}-small/", os.path.join(work, "dl")]),
             ("set-headers -r --yes", ["set-headers", "-r", "--yes", "--cache-control", "max-age=60",
                                       f"s3://flat-{n}/"])]
    rows = []
    try:
        for label, args in cases:
            since = os.path.getsize(log)
            started = time.time()
            _, wall, rss, _ = run_streaming([pail, args[0], "--endpoint-url", url] + args[1:], env)
            first = _first_object_request(log, since, started)
            rows.append(f"| `{label}` flat-{n} ({n:,} keys) | {first:.2f} s | {wall:.1f} s | {rss:.1f} MiB |")
            shutil.rmtree(os.path.join(work, "dl"), ignore_errors=True)
    finally:
        keyspace_server.stop(proc)
        shutil.rmtree(work, ignore_errors=True)
    return "\n".join([
        HEADING, "",
        f"Made by `scripts/bench.py --only streaming` on {time.strftime('%Y-%m-%d')}: the keyspace endpoint on "
        "loopback (two Python processes); the first request for an object, counted from the start, shows that "
        "work begins before the listing ends. Peak RSS from wait4. Goal: under 64 MiB whatever the size.", "",
        "| command | first object request | wall time | peak memory |",
        "| --- | ---: | ---: | ---: |", *rows, ""])
