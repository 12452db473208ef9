#!/usr/bin/env python3
"""`make bench`: pail and its peers on the same local S3 server and data, in one run.

Each measurement is the median wall time of several runs and the peak resident memory of
the process (from wait4), reported as ratios to pail. Results go to BENCHMARKS.md.
"""
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
sys.path.insert(0, HERE)
import seed  # noqa: E402
import bench_inventory  # noqa: E402
import bench_finders  # noqa: E402



def parse_args(argv):
    """PAIL_BINARY [--only SECTION,...] [--baseline PATH[=LABEL]]: --only runs some sections
    (also PAIL_BENCH_ONLY); --baseline adds rows for another pail binary to the scale section."""
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("pail", nargs="?", default=os.path.join(ROOT, ".build/release/pail"))
    p.add_argument("--only", default=os.environ.get("PAIL_BENCH_ONLY"))
    p.add_argument("--baseline")
    return p.parse_args(argv)


ARGS = parse_args(sys.argv[1:])
PAIL = os.path.abspath(ARGS.pail)
# Only the sections on SeaweedFS need it; the scale section starts its own endpoint.
ENDPOINT = os.environ.get("PAIL_TEST_ENDPOINT", "")
RUNS = int(os.environ.get("PAIL_BENCH_RUNS", "5"))


def tool_env():
    env = dict(os.environ)
    env.setdefault("AWS_ACCESS_KEY_ID", "keyspace")
    env.setdefault("AWS_SECRET_ACCESS_KEY", "keyspace")
    env.update({
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "S3_ENDPOINT_URL": ENDPOINT,
        "RCLONE_CONFIG_BENCH_TYPE": "s3",
        "RCLONE_CONFIG_BENCH_PROVIDER": "SeaweedFS",
        "RCLONE_CONFIG_BENCH_ENDPOINT": ENDPOINT,
        "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": env["AWS_ACCESS_KEY_ID"],
        "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": env["AWS_SECRET_ACCESS_KEY"],
        "RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE": "true",
    })
    if not ENDPOINT:
        del env["S3_ENDPOINT_URL"], env["RCLONE_CONFIG_BENCH_ENDPOINT"]
    return env


def run_once(cmd, env):
    """Wall time, peak RSS in MiB and stdout of one run. Memory is read by GNU time, a small
    C parent: ru_maxrss of a child forked from this Python process would include Python's
    own ~90 MiB, which survives exec."""
    started = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-f", "PAIL-BENCH-RSS %M"] + cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    text = err.decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {text[-500:]}")
    rss_kib = int(text.rsplit("PAIL-BENCH-RSS ", 1)[1].split()[0])
    return wall, rss_kib / 1024.0, out


def measure(name, cmd, env, check=None):
    walls, rss = [], []
    output = b""
    run_once(cmd, env)  # warm-up: connection pools, page cache, server caches
    for _ in range(RUNS):
        wall, peak, output = run_once(cmd, env)
        walls.append(wall)
        rss.append(peak)
    note = check(output) if check else ""
    return {"tool": name, "wall": statistics.median(walls), "rss": max(rss), "note": note, "runs": len(walls)}


def table(title, goal, rows):
    base = next(r for r in rows if r["tool"].startswith("pail"))
    print(f"{title}: " + ", ".join(f"{r['tool']} {r['wall']:.2f}s" for r in rows), file=sys.stderr)
    lines = [f"### {title}", "", goal, "",
             "| tool | wall time (median) | × pail | peak memory | × pail | runs | notes |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        lines.append(f"| {r['tool']} | {r['wall']:.3f} s | {r['wall'] / base['wall']:.2f} | {r['rss']:.1f} MiB | "
                     f"{r['rss'] / base['rss']:.2f} | {r['runs']} | {r['note']} |")
    return "\n".join(lines) + "\n"


def count_lines(expected):
    def check(output):
        n = output.count(b"\n")
        if n < expected:
            raise RuntimeError(f"listed {n} lines, expected at least {expected}")
        return f"{n} lines"
    return check


def bench_listing(env):
    count, bucket = 20_000, "bench-listing"
    started = time.time()
    seed.main_args(["listing", str(count), bucket])
    print(f"seeded {count} objects in {time.time() - started:.1f}s", file=sys.stderr)
    aws = [os.path.join(VENV_BIN, "aws"), "--endpoint-url", ENDPOINT]
    rows = [
        measure("pail ls -r", [PAIL, "ls", "-r", "--endpoint-url", ENDPOINT, f"s3://{bucket}"], env,
                count_lines(count)),
        measure("s5cmd ls", [os.path.join(VENV_BIN, "s5cmd"), "--endpoint-url", ENDPOINT, "ls", f"s3://{bucket}/*"],
                env, count_lines(count)),
        measure("rclone lsf -R", [os.path.join(VENV_BIN, "rclone"), "lsf", "-R", f"bench:{bucket}"], env,
                count_lines(count)),
        measure("aws s3 ls --recursive", aws + ["s3", "ls", "--recursive", f"s3://{bucket}"], env, count_lines(count)),
    ]
    return table(f"Full recursive listing of {count:,} objects",
                 "Goal: pail at or below s5cmd's wall time and below its peak memory.", rows)


def s5cmd(env, *args):
    subprocess.run([os.path.join(VENV_BIN, "s5cmd"), "--endpoint-url", ENDPOINT, *args], env=env, check=True,
                   stdout=subprocess.DEVNULL)


def seed_with_s5cmd(env, bucket, keys, workdir, body=b"x" * 16):
    """Uploads one small body under many keys through `s5cmd run` (fast: 256 workers)."""
    import tempfile
    src = os.path.join(workdir, "body")
    with open(src, "wb") as f:
        f.write(body)
    commands = os.path.join(workdir, "commands.txt")
    with open(commands, "w") as f:
        for k in keys:
            f.write(f"cp {src} s3://{bucket}/{k}\n")
    subprocess.run([os.path.join(VENV_BIN, "s5cmd"), "--endpoint-url", ENDPOINT, "mb", f"s3://{bucket}"], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fails harmlessly when it exists
    s5cmd(env, "run", commands)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def browser_run(env, bucket, prefix, count, trace_path):
    """One session in tmux: open the bucket, press Enter on the prefix, press j while pages
    stream in. Returns the timings read back from pail's trace."""
    sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
    from tmux_harness import TmuxSession
    penv = {k: env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    penv.update({"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/nonexistent", "AWS_REGION": "us-east-1",
                 "PAIL_TRACE": trace_path})
    with TmuxSession([PAIL, "--endpoint-url", ENDPOINT, f"s3://{bucket}/"], penv, 120, 40) as t:
        t.wait_idle(30)
        t.wait_for(prefix)
        pid = int(open(trace_path).readline().split()[1])
        before = rss_kib(pid)
        t.send("Enter")
        # Keys while the listing streams: each should redraw within a frame.
        for _ in range(40):
            time.sleep(0.05)
            t.send("j")
        t.wait_idle(120)
        time.sleep(0.3)
        after = rss_kib(pid)
        t.send("q")
        t.wait_for("EXITED")
    events = [line.split() for line in open(trace_path).read().splitlines()[1:]]
    enter = next(float(e[0]) for e in events if e[1:3] == ["key", "Enter"])
    first_page = next(float(e[0]) for e in events if e[1] == "page" and float(e[0]) >= enter)
    first_draw = next(float(e[0]) for e in events if e[1] == "draw" and float(e[0]) >= first_page)
    listed = next(float(e[0]) for e in events if e[1] == "listed" and float(e[0]) >= enter)
    latencies = []
    for i, e in enumerate(events):
        if e[1:3] == ["key", "j"] and float(e[0]) < listed:
            nxt = next((float(x[0]) for x in events[i + 1:] if x[1] == "draw"), None)
            if nxt is not None:
                latencies.append(nxt - float(e[0]))
    latencies.sort()
    return {
        "first_rows_ms": first_draw - enter,
        "listed_s": (listed - enter) / 1000,
        "key_p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "key_max_ms": latencies[-1] if latencies else float("nan"),
        "keys_during_stream": len(latencies),
        "bytes_per_entry": (after - before) * 1024 / count,
    }


def bench_browser(env):
    import tempfile
    count, bucket, prefix = 100_000, "bench-browser", "wide/"
    work = tempfile.mkdtemp(prefix="pail-bench-")
    started = time.time()
    seed_with_s5cmd(env, bucket, (f"{prefix}photo-{i:06d}-upload.jpg" for i in range(count)), work)
    print(f"seeded {count} objects under one prefix in {time.time() - started:.1f}s", file=sys.stderr)
    s5 = measure("s5cmd ls (one level)", [os.path.join(VENV_BIN, "s5cmd"), "--endpoint-url", ENDPOINT, "ls",
                                          f"s3://{bucket}/{prefix}"], env, count_lines(count))
    runs = [browser_run(env, bucket, prefix, count, os.path.join(work, f"trace{i}")) for i in range(3)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    ratio = med["listed_s"] / s5["wall"]
    lines = [f"### Browser: a prefix of {count:,} direct children", "",
             "pail in tmux (120×40), Enter on the prefix, `j` pressed every 50 ms while pages stream in; "
             "times from pail's own trace (PAIL_TRACE), median of 3 sessions.", "",
             "| measure | pail | goal |", "| --- | ---: | --- |",
             f"| Enter to first rows on screen | {med['first_rows_ms']:.0f} ms | under 150 ms |",
             f"| whole prefix listed | {med['listed_s']:.2f} s ({ratio:.2f}× `s5cmd ls`: {s5['wall']:.2f} s) "
             "| within 1.10× |",
             f"| key press to redraw while streaming (median / worst of {med['keys_during_stream']:.0f}) | "
             f"{med['key_p50_ms']:.1f} / {med['key_max_ms']:.1f} ms | under 16 ms |",
             f"| memory per listed entry (RSS growth / entries) | {med['bytes_per_entry']:.0f} B "
             "| under 200 B (rclone ncdu: 0.5-1 KiB) |",
             ""]
    return "\n".join(lines)


def measure_each(name, argv_for, env, runs=3, setup=None, check=None):
    """Like measure, for commands that change state: argv_for(i) and setup(i) per run, no
    warm-up run; setup is not timed."""
    walls, rss = [], []
    output = b""
    for i in range(runs):
        if setup:
            setup(i)
        wall, peak, output = run_once(argv_for(i), env)
        walls.append(wall)
        rss.append(peak)
    note = check(output) if check else ""
    return {"tool": name, "wall": statistics.median(walls), "rss": max(rss), "note": note, "runs": runs}


def interleaved(specs, env, runs=3):
    """Runs tools in turn, run by run (pail, s5cmd, rclone, aws, s5cmd, ...), with `sync`
    before each, so no tool pays for another's dirty pages or enjoys a warmer server.
    specs: (name, argv_for(i), setup(i) or None, max_runs or None, check or None)."""
    walls = {s[0]: [] for s in specs}
    rss = {s[0]: [] for s in specs}
    notes = {}
    for i in range(runs):
        # Each round starts with the next tool, so none is always the one that runs right
        # after another tool's writes or pays for the server growing its volumes.
        for name, argv_for, setup, max_runs, check in specs[i % len(specs):] + specs[:i % len(specs)]:
            if max_runs is not None and i >= max_runs:
                continue
            if setup:
                setup(i)
            os.sync()
            wall, peak, out = run_once(argv_for(i), env)
            walls[name].append(wall)
            rss[name].append(peak)
            if check:
                notes[name] = check(out)
    return [{"tool": s[0], "wall": statistics.median(walls[s[0]]), "rss": max(rss[s[0]]), "note": notes.get(s[0], ""),
             "runs": len(walls[s[0]])} for s in specs]


def bench_transfers(env):
    import tempfile
    work = tempfile.mkdtemp(prefix="pail-bench-transfers-")
    big = os.path.join(work, "big.bin")
    with open(big, "wb") as f:
        block = os.urandom(1 << 20)
        for i in range(1024):
            f.write(block[i:] + block[:i])
    small = os.path.join(work, "small")
    os.makedirs(small)
    import random
    rng = random.Random(1)
    for i in range(2000):
        sub = os.path.join(small, f"d{i % 20:02d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"f{i:05d}.bin"), "wb") as f:
            f.write(os.urandom(rng.randint(4, 64) * 1024))
    bucket = "bench-transfers"
    s5cmd(env, "mb", f"s3://{bucket}")
    aws = [os.path.join(VENV_BIN, "aws"), "--endpoint-url", ENDPOINT]
    s5 = [os.path.join(VENV_BIN, "s5cmd"), "--endpoint-url", ENDPOINT]
    rc = [os.path.join(VENV_BIN, "rclone")]
    pl = [PAIL, "cp", "--endpoint-url", ENDPOINT]
    def fresh(i, tag):
        d = os.path.join(work, f"out-{tag}-{i}")
        subprocess.run(["rm", "-rf", d])
        return d
    sections = []
    # Five runs of each transfer: one run can be 30% off on this shared two-core machine (the
    # server and the client compete for the cores).
    up = interleaved([
        ("pail cp", lambda i: pl + [big, f"s3://{bucket}/big/pail-{i}.bin"], None, None, None),
        ("s5cmd cp", lambda i: s5 + ["cp", big, f"s3://{bucket}/big/s5-{i}.bin"], None, None, None),
        ("rclone copyto", lambda i: rc + ["copyto", big, f"bench:{bucket}/big/rclone-{i}.bin"], None, None, None),
        ("aws s3 cp", lambda i: aws + ["s3", "cp", "--quiet", big, f"s3://{bucket}/big/aws-{i}.bin"], None, None, None),
    ], env, runs=5)
    sections.append(table("Upload one 1 GiB file",
                          "Goal: at or below the best peer's wall time; memory bounded by the parts in flight.", up))
    s5cmd(env, "cp", big, f"s3://{bucket}/big/source.bin")
    down = interleaved([
        # setup: each tool's previous copy goes first (untimed), so 20 GiB do not pile up.
        ("pail cp", lambda i: pl + [f"s3://{bucket}/big/source.bin", fresh(i, "pail")],
         lambda i: fresh(i - 1, "pail"), None, None),
        ("s5cmd cp", lambda i: s5 + ["cp", f"s3://{bucket}/big/source.bin", fresh(i, "s5")],
         lambda i: fresh(i - 1, "s5"), None, None),
        ("rclone copyto", lambda i: rc + ["copyto", f"bench:{bucket}/big/source.bin", fresh(i, "rclone")],
         lambda i: fresh(i - 1, "rclone"), None, None),
        ("aws s3 cp", lambda i: aws + ["s3", "cp", "--quiet", f"s3://{bucket}/big/source.bin", fresh(i, "aws")],
         lambda i: fresh(i - 1, "aws"), None, None),
    ], env, runs=5)
    sections.append(table("Download one 1 GiB file",
                          "Goal: at or below the best peer's wall time; memory bounded by the parts in flight.", down))
    for name in os.listdir(work):
        if name.startswith("out-"):
            subprocess.run(["rm", "-rf", os.path.join(work, name)])
    up = interleaved([
        ("pail cp -r", lambda i: pl + ["-r", "--concurrency", "64", small + "/", f"s3://{bucket}/small-pail-{i}/"],
         None, None, None),
        ("s5cmd cp", lambda i: s5 + ["cp", small + "/*", f"s3://{bucket}/small-s5-{i}/"], None, None, None),
        ("rclone copy", lambda i: rc + ["copy", "--transfers", "64", small, f"bench:{bucket}/small-rclone-{i}"],
         None, None, None),
        ("aws s3 cp --recursive",
         lambda i: aws + ["s3", "cp", "--quiet", "--recursive", small, f"s3://{bucket}/small-aws-{i}/"],
         None, None, None),
    ], env, runs=5)
    sections.append(table("Upload 2,000 small files (4-64 KiB)", "Goal: at or below the best peer's wall time.", up))
    down = interleaved([
        ("pail cp -r", lambda i: pl + ["-r", "--concurrency", "64", f"s3://{bucket}/small-pail-0/", fresh(i, "pail")],
         None, None, None),
        ("s5cmd cp", lambda i: s5 + ["cp", f"s3://{bucket}/small-pail-0/*", fresh(i, "s5") + "/"], None, None, None),
        ("rclone copy",
         lambda i: rc + ["copy", "--transfers", "64", f"bench:{bucket}/small-pail-0", fresh(i, "rclone")],
         None, None, None),
        ("aws s3 cp --recursive",
         lambda i: aws + ["s3", "cp", "--quiet", "--recursive", f"s3://{bucket}/small-pail-0/", fresh(i, "aws")],
         None, None, None),
    ], env, runs=5)
    sections.append(table("Download 2,000 small files (4-64 KiB)", "Goal: at or below the best peer's wall time.",
                          down))
    subprocess.run(["rm", "-rf", work])
    return "\n".join(sections)


def bench_cleanup(env):
    import tempfile
    work = tempfile.mkdtemp(prefix="pail-bench-cleanup-")
    bucket = "bench-cleanup"
    aws = [os.path.join(VENV_BIN, "aws"), "--endpoint-url", ENDPOINT]
    s5 = [os.path.join(VENV_BIN, "s5cmd"), "--endpoint-url", ENDPOINT]
    def seed_prefix(prefix, n):
        seed_with_s5cmd(env, bucket, (f"{prefix}img-{i:05d}.jpg" for i in range(n)), work)
    sections = []
    n = 10_000
    rows = interleaved([
        ("pail rm -r --yes",
         lambda i: [PAIL, "rm", "--endpoint-url", ENDPOINT, "-r", "--yes", f"s3://{bucket}/del-pail-{i}/"],
         lambda i: seed_prefix(f"del-pail-{i}/", n), None, None),
        ("s5cmd rm", lambda i: s5 + ["rm", f"s3://{bucket}/del-s5-{i}/*"], lambda i: seed_prefix(f"del-s5-{i}/", n),
         None, None),
        ("aws s3 rm --recursive", lambda i: aws + ["s3", "rm", "--quiet", "--recursive", f"s3://{bucket}/del-aws-{i}/"],
         lambda i: seed_prefix(f"del-aws-{i}/", n), 2, None),
    ], env)
    sections.append(table(f"Delete {n:,} objects under a prefix",
                          "Goal: at or below s5cmd's wall time and ten times faster than the aws CLI "
                          "(aws: two runs, 12 s each).", rows))
    n = 5_000
    for tag in ("pail", "s5", "aws"):
        seed_prefix(f"edit-{tag}/", n)
    cc = "public, max-age=31536000"
    rows = interleaved([
        ("pail set-headers -r (keeps every header)",
         lambda i: [PAIL, "set-headers", "--endpoint-url", ENDPOINT, "-r", "--yes", "--cache-control", f"{cc}, v{i}",
                    f"s3://{bucket}/edit-pail/"], None, None, None),
        ("s5cmd cp --metadata-directive REPLACE (drops others)",
         lambda i: s5 + ["cp", "--metadata-directive", "REPLACE", "--cache-control", f"{cc}, v{i}",
                         f"s3://{bucket}/edit-s5/*", f"s3://{bucket}/edit-s5/"], None, None, None),
        ("aws s3 cp --recursive --metadata-directive REPLACE (drops others)",
         lambda i: aws + ["s3", "cp", "--quiet", "--recursive", "--metadata-directive", "REPLACE", "--cache-control",
                          f"{cc}, v{i}", f"s3://{bucket}/edit-aws/", f"s3://{bucket}/edit-aws/"], None, 2, None),
    ], env)
    sections.append(table(f"Set Cache-Control on {n:,} objects",
                          "Goal: within 1.5× of s5cmd although pail reads and keeps every header (aws: two runs).",
                          rows))
    rows = [measure_each("pail headers -r --json",
                         lambda i: [PAIL, "headers", "--endpoint-url", ENDPOINT, "-r", "--json",
                                    f"s3://{bucket}/edit-pail/"], env, check=count_lines(n))]
    sections.append(table(f"Audit the headers of {n:,} objects",
                          "No peer shows headers of a prefix; pail's time for reference.", rows))
    subprocess.run(["rm", "-rf", work])
    return "\n".join(sections)


def run_streaming(cmd, env):
    """Time to the first line of output, wall time, peak RSS in MiB (from GNU time, as in
    run_once) and the number of lines, reading the output as it comes."""
    started = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-f", "PAIL-BENCH-RSS %M"] + cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    first, lines = None, 0
    while True:
        chunk = os.read(proc.stdout.fileno(), 1 << 20)
        if not chunk:
            break
        n = chunk.count(b"\n")
        if n and first is None:
            first = time.perf_counter() - started
        lines += n
    err = proc.stderr.read().decode(errors="replace")
    proc.wait()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}): {err[-500:]}")
    rss_kib = int(err.rsplit("PAIL-BENCH-RSS ", 1)[1].split()[0])
    return first if first is not None else wall, wall, rss_kib / 1024.0, lines


SCALE_HEADING = "## Scale: a computed keyspace"


def bench_scale(env):
    """ls -r and du of millions of keys from scripts/keyspace_server.py (nothing stored, about
    700 pages a second here), for pail and s5cmd: time to first line, wall time, peak memory."""
    import keyspace_server
    runs = int(os.environ.get("PAIL_BENCH_SCALE_RUNS", "1"))
    cases = [("ls -r", "flat-1000000", 1_000_000), ("ls -r", "dates-1200000", 1_200_000),
             ("du", "dates-1200000", 1_200_000), ("ls -r", "flat-200000-delay50", 200_000),
             ("ls -r", "flat-5000000", 5_000_000)]
    if os.environ.get("PAIL_BENCH_SCALE_20M"):
        cases.append(("ls -r", "flat-20000000", 20_000_000))
    if os.environ.get("PAIL_BENCH_SCALE_CASES"):  # a comma-separated subset of the buckets
        cases = [c for c in cases if c[1] in os.environ["PAIL_BENCH_SCALE_CASES"].split(",")]
    pails = [("pail", PAIL)]
    if ARGS.baseline:
        path, _, label = ARGS.baseline.partition("=")
        pails.append((label or "pail (baseline)", os.path.abspath(path)))
    proc, url = keyspace_server.start(workers=2)
    rows = []
    try:
        for what, bucket, count in cases:
            # A baseline that holds every key is left out above 2M keys (1.3 GiB at 5M).
            tools = [(label, [binary] + what.split() + ["--endpoint-url", url, f"s3://{bucket}/"])
                     for n, (label, binary) in enumerate(pails) if n == 0 or count <= 2_000_000]
            s5 = [os.path.join(VENV_BIN, "s5cmd"), "--endpoint-url", url]
            tools.append(("s5cmd", s5 + (["ls"] if what == "ls -r" else ["du"]) + [f"s3://{bucket}/*"]))
            for label, cmd in tools:
                results = [run_streaming(cmd, env) for _ in range(runs)]
                first = statistics.median(r[0] for r in results)
                wall = statistics.median(r[1] for r in results)
                rss = max(r[2] for r in results)
                lines = results[-1][3]
                if what == "ls -r" and lines != count:
                    raise RuntimeError(f"{label} {what} {bucket}: {lines} lines, expected {count}")
                print(f"scale: {label} {what} {bucket}: first line {first:.2f}s, wall {wall:.2f}s, {rss:.1f} MiB",
                      file=sys.stderr)
                rows.append(f"| `{what}` {bucket} ({count:,} keys) | {label} | {first:.2f} s | {wall:.2f} s | "
                            f"{rss:.1f} MiB |")
    finally:
        keyspace_server.stop(proc)
    return "\n".join([
        SCALE_HEADING, "",
        f"Made by `scripts/bench.py --only scale` on {time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores shared with "
        "the endpoint, `scripts/keyspace_server.py` on loopback (two processes, about 700 pages of 1000 keys a "
        "second: the endpoint, not the client, sets the pace of one chain). "
        f"{'Median of ' + str(runs) + ' runs' if runs > 1 else 'One run each'}; "
        "`flat-N` is one prefix of N keys, `dates-1200000` 10 years × 12 months of 10,000 keys, "
        "`-delay50` adds 50 ms to each page (a far region). Peak RSS from wait4. "
        "Goal: output within 1 s and under 64 MiB whatever the size."
        + (f" Rows \"{pails[1][0]}\": another build of pail, up to 2M keys." if len(pails) > 1 else ""), "",
        "| command | tool | first line | wall time | peak memory |",
        "| --- | --- | ---: | ---: | ---: |",
        *rows, ""])


def splice_section(path, heading, text, old=None):
    """Replaces the section named heading in path (or appends it), keeping the rest: a `## `
    section up to the next `## `, a `### ` one up to the next heading of either level."""
    if old is None:
        old = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    start = old.find(heading)
    if start < 0:
        return old.rstrip("\n") + "\n\n" + text
    marks = ["\n## "] if heading.startswith("## ") else ["\n## ", "\n### "]
    ends = [e for e in (old.find(m, start + len(heading)) for m in marks) if e >= 0]
    return old[:start] + text + (old[min(ends) + 1:] if ends else "")


def main():
    env = tool_env()
    only = ARGS.only
    inventory = lambda env: bench_inventory.section(PAIL, ENDPOINT, env, run_once)  # noqa: E731
    finders = lambda env: bench_finders.section(sys.modules[__name__], env)  # noqa: E731
    alone = {"scale": (SCALE_HEADING, bench_scale), "inventory": (bench_inventory.HEADING, inventory),
             "finders": (bench_finders.HEADING, finders)}
    if only in alone:
        # A section of its own alone: the rest of BENCHMARKS.md stays as it was.
        text = splice_section(os.path.join(ROOT, "BENCHMARKS.md"), alone[only][0], alone[only][1](env))
        with open(os.path.join(ROOT, "BENCHMARKS.md"), "w") as f:
            f.write(text)
        print(text)
        return
    sections = []
    for name, fn in (("listing", bench_listing), ("browser", bench_browser), ("transfers", bench_transfers),
                     ("cleanup", bench_cleanup), *((m, __import__("bench_" + m).run) for m in ("sync", "gzip")),
                     ("scale", bench_scale), ("inventory", inventory), ("finders", finders),
                     ("streaming", lambda e: __import__("bench_streaming").bench(PAIL, e, run_streaming)),
                     ("browser-scale", lambda env: __import__("bench_browser_scale").bench(env, PAIL))):
        if only and name not in only.split(","):
            continue
        sections.append(fn(env))
    if only:
        # Some sections: each replaces its own in BENCHMARKS.md, the rest stays as it was.
        path = os.path.join(ROOT, "BENCHMARKS.md")
        text = None
        for section in sections:
            heading = section.lstrip("\n").split("\n", 1)[0]
            text = splice_section(path, heading, section.rstrip("\n") + "\n", text)
        if text is not None:
            with open(path, "w") as f:
                f.write(text)
            print(text)
        return
    cpu = platform.processor() or platform.machine()
    header = (f"# Benchmarks\n\nMade by `make bench` on {time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores, {cpu}, "
              f"local SeaweedFS (`weed mini`) on loopback. Read-only commands: median of {RUNS} runs after a warm-up. "
              "Commands that change state: the tools take turns run by run, with `sync` before each run. "
              "Peak RSS from wait4. Lower is better; ratios are to pail.\n\n")
    text = header + "\n".join(sections)
    with open(os.path.join(ROOT, "BENCHMARKS.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
