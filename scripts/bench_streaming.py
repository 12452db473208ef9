"""`bench.py --only streaming`: peak memory and time to the first request of the listing-driven
commands that act on every object (`cp -r` S3 to S3 and S3 to local, `set-headers -r --yes`)
against scripts/keyspace_server.py, which answers their COPY, HEAD and GET without storing
anything. PAIL_BENCH_STREAMING_KEYS sets the size (default 1,000,000; the Python endpoint
serves about 1,000 object requests a second here, so a million copies take some 20 minutes);
PAIL_BENCH_STREAMING_OBJECTS=0 leaves these out.

Then the listing rows: peak memory and first line of `ls -r`, `ls -r --json` and `du` of flat
and deep (`dates-N`) keyspaces of the sizes in PAIL_BENCH_STREAMING_LISTING (default
"1000000,5000000"; add 20000000 for the 20M rows, about 6 minutes a command here), and `ls -r`
of 200,000 flat keys at 50 ms a page, pail and s5cmd back to back (PAIL_BENCH_STREAMING_RUNS
pairs, default 3). Each row records the load average (`uptime`) when it was measured: the
machine is shared, so ratios measured back to back mean more than wall times."""
import os
import shutil
import statistics
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


def _load():
    """The 1-minute load average, as `uptime` prints it."""
    return "%.1f" % os.getloadavg()[0]


def listing_rows(pail, env, run_streaming, url):
    """Rows of the listing table: first line, wall time, peak memory and the load average."""
    sizes = [int(x) for x in os.environ.get("PAIL_BENCH_STREAMING_LISTING", "1000000,5000000").split(",") if x]
    rows = []
    for n in sizes:
        for bucket in (f"flat-{n}", f"dates-{n}"):
            for args in (["ls", "-r"], ["ls", "-r", "--json"], ["du"]):
                load = _load()
                first, wall, rss, lines = run_streaming([pail, args[0], "--endpoint-url", url] + args[1:]
                                                        + [f"s3://{bucket}/"], env)
                label = " ".join(args)
                if args[0] == "ls" and lines != (n // 120 * 120 if bucket.startswith("dates") else n):
                    raise RuntimeError(f"{label} {bucket}: {lines} lines")
                rows.append(f"| `{label}` {bucket} ({n:,} keys) | pail | {first:.2f} s | {wall:.1f} s | "
                            f"{rss:.1f} MiB | {load} |")
                print(rows[-1], flush=True)
    s5 = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".venv", "bin", "s5cmd")
    bucket = "flat-200000-delay50"
    pairs = int(os.environ.get("PAIL_BENCH_STREAMING_RUNS", "3"))
    walls = {"pail": [], "s5cmd": []}
    for _ in range(pairs):
        for label, cmd in (("pail", [pail, "ls", "--endpoint-url", url, "-r", f"s3://{bucket}/"]),
                           ("s5cmd", [s5, "--endpoint-url", url, "ls", f"s3://{bucket}/*"])):
            load = _load()
            first, wall, rss, lines = run_streaming(cmd, env)
            if lines != 200_000:
                raise RuntimeError(f"{label} ls {bucket}: {lines} lines")
            walls[label].append(wall)
            rows.append(f"| `ls -r` {bucket} (200,000 keys) | {label} | {first:.2f} s | {wall:.1f} s | "
                        f"{rss:.1f} MiB | {load} |")
            print(rows[-1], flush=True)
    ratio = statistics.median(p / s for p, s in zip(walls["pail"], walls["s5cmd"]))
    return rows, ratio


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
    if os.environ.get("PAIL_BENCH_STREAMING_OBJECTS") == "0":
        cases = []
    try:
        listing, ratio = listing_rows(pail, env, run_streaming, url)
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
        "| --- | ---: | ---: | ---: |", *rows, "",
        "### Listing: first line and peak memory", "",
        "`ls -r`, `ls -r --json` and `du` stream (headers -r, rm -r --yes, set-headers -r and cp -r share their "
        "listing, above); load: the 1-minute load average when the row began (2 cores). The `-delay50` rows "
        f"alternate pail and s5cmd: pail's wall time is {ratio:.2f}× s5cmd's (median of the pairs; goal: at most "
        "0.33).", "",
        "| command | tool | first line | wall time | peak memory | load |",
        "| --- | --- | ---: | ---: | ---: | ---: |", *listing, ""])
