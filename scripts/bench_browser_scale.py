"""The browser on a flat prefix of millions of direct children (issue 11), for `make bench`.

Against scripts/keyspace_server.py (`flat-N`: N keys under `k/`, nothing stored): pail in tmux
(120x40) opens the bucket, Enter on `k/`, `j` pressed every 50 ms until the listing ends, then
a filter typed one key at a time. Times come from pail's own trace (PAIL_TRACE); the time to
idle is set against `pail ls -r` of the same prefix on the same endpoint.
"""
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
HEADING = "## Browser: a flat prefix of millions of direct children"


def _rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _ls_wall(pail, url, bucket, env):
    """Wall time and peak RSS (MiB, from GNU time) of `pail ls -r` of the prefix."""
    started = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "PAIL-BENCH-RSS %M", pail, "ls", "-r", "--endpoint-url", url,
                           f"s3://{bucket}/k/"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - started
    err = proc.stderr.decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"pail ls -r failed ({proc.returncode}): {err[-500:]}")
    return wall, int(err.rsplit("PAIL-BENCH-RSS ", 1)[1].split()[0]) / 1024.0, proc.stdout.count(b"\n")


def _trace(path):
    return [line.split() for line in open(path).read().splitlines()[1:] if line.strip()]


def _cpu(event):
    return float(next(f for f in event if f.startswith("cpu="))[4:])


def _session(pail, url, bucket, count, env, trace_path, filter_text):
    sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
    from tmux_harness import TmuxSession
    penv = {k: env[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    penv.update({"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/nonexistent", "AWS_REGION": "us-east-1",
                 "PAIL_TRACE": trace_path})
    deadline = time.time() + 600
    with TmuxSession([pail, "--endpoint-url", url, f"s3://{bucket}/"], penv, 120, 40) as t:
        t.wait_idle(30)
        t.wait_for("k/")
        pid = int(open(trace_path).readline().split()[1])
        before = _rss_kib(pid)
        t.send("Enter")
        # j every 50 ms while the pages stream in, until the listing has ended.
        while time.time() < deadline:
            time.sleep(0.05)
            t.send("j")
            if any(e[1:3] == ["listed", "k/"] for e in _trace(trace_path)):
                break
        t.wait_idle(600)
        time.sleep(0.5)
        after = _rss_kib(pid)
        t.send("/")
        for c in filter_text:
            time.sleep(0.4)
            t.send(c, literal=True)
        time.sleep(0.5)
        t.wait_idle(120)
        t.send("Escape")
        t.send("q")
        t.wait_for("EXITED", 60)
    events = _trace(trace_path)
    times = [float(e[0]) for e in events]
    enter = next(float(e[0]) for e in events if e[1:3] == ["key", "Enter"])
    listed = next(float(e[0]) for e in events if e[1:3] == ["listed", "k/"])
    idle = next(float(e[0]) for e in events if e[1] == "draw" and float(e[0]) >= listed)
    first_j = next(float(e[0]) for e in events if e[1:3] == ["key", "j"])
    draws = [e for e in events if e[1] == "draw" and first_j <= float(e[0]) <= idle]
    gaps = [float(b[0]) - float(a[0]) for a, b in zip(draws, draws[1:])]
    # The main thread's CPU time between frames: the work of a frame, apart from the time a
    # loaded machine kept the thread waiting.
    works = [_cpu(b) - _cpu(a) for a, b in zip(draws, draws[1:])]
    # A key of the filter: from its event to the frame drawn after it.
    slash = next(i for i, e in enumerate(events) if e[1:3] == ["key", "/"] and times[i] > idle)
    keystrokes, keystroke_cpu = [], []
    for i in range(slash + 1, len(events)):
        if events[i][1] == "key" and events[i][2] in filter_text:
            nxt = next((j for j in range(i + 1, len(events)) if events[j][1] == "draw"), None)
            if nxt is not None:
                keystrokes.append(times[nxt] - times[i])
                keystroke_cpu.append(_cpu(events[nxt]) - _cpu(events[i]))
    return {
        "idle_s": (idle - enter) / 1000,
        "gap_max_ms": max(gaps) if gaps else float("nan"),
        "work_max_ms": max(works) if works else float("nan"),
        "keys": sum(1 for e in events if e[1:3] == ["key", "j"] and first_j <= float(e[0]) <= idle),
        "bytes_per_entry": (after - before) * 1024 / count,
        "filter_max_ms": max(keystrokes) if keystrokes else float("nan"),
        "filter_first_ms": keystrokes[0] if keystrokes else float("nan"),
        "filter_cpu_first_ms": keystroke_cpu[0] if keystroke_cpu else float("nan"),
        "filter_cpu_max_ms": max(keystroke_cpu) if keystroke_cpu else float("nan"),
    }


def bench(env, pail):
    """The rows of the section, as Markdown."""
    import tempfile
    import keyspace_server
    sizes = [int(n) for n in os.environ.get("PAIL_BENCH_BROWSER_SCALE", "1000000,3000000").split(",")]
    filter_text = "12345"
    work = tempfile.mkdtemp(prefix="pail-bench-scale-")
    proc, url = keyspace_server.start(workers=2)
    rows = []
    try:
        for n in sizes:
            bucket = f"flat-{n}"
            ls_wall, ls_rss, lines = _ls_wall(pail, url, bucket, env)
            if lines != n:
                raise RuntimeError(f"pail ls -r s3://{bucket}/k/: {lines} lines, expected {n}")
            r = _session(pail, url, bucket, n, env, os.path.join(work, f"trace-{n}"), filter_text)
            print(f"browser scale {n}: {r}, ls -r {ls_wall:.2f}s", file=sys.stderr)
            rows.append(f"| {n:,} | {r['idle_s']:.2f} s ({r['idle_s'] / ls_wall:.2f}× `ls -r`: {ls_wall:.2f} s) | "
                        f"{r['gap_max_ms']:.0f} ms / {r['work_max_ms']:.0f} ms ({r['keys']} keys) | "
                        f"{r['bytes_per_entry']:.0f} B | {r['filter_first_ms']:.0f} / {r['filter_max_ms']:.0f} ms | "
                        f"{r['filter_cpu_first_ms']:.0f} / {r['filter_cpu_max_ms']:.0f} ms |")
    finally:
        keyspace_server.stop(proc)
        subprocess.run(["rm", "-rf", work])
    return "\n".join([
        HEADING, "",
        f"Made by `scripts/bench.py --only browser-scale` on {time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores "
        "shared with the endpoint, `scripts/keyspace_server.py` on loopback (`flat-N`: N keys under `k/`). pail in "
        "tmux (120×40), Enter on `k/`, `j` every 50 ms until the listing ends, then the filter `12345` typed a key "
        "every 0.4 s; times from pail's trace (PAIL_TRACE), one session each. Goals: idle within 1.5× `pail ls -r` "
        "of the prefix, no gap over 100 ms between frames while keys are pressed, at most 100 B per entry, a filter "
        "keystroke under 50 ms at 1M. CPU: the main thread's CPU time over the same span (PAIL_TRACE's `cpu=`), "
        "the work apart from the time a loaded machine kept the thread waiting.", "",
        "| direct children | Enter to idle | longest gap between frames: wall / CPU | memory per entry (RSS growth) "
        "| filter keystroke to frame, wall (first / worst) | the same, CPU |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
        *rows, ""])


def splice(text, section):
    """text with the section replaced (from its heading to the next heading), or appended."""
    start = text.find(HEADING)
    if start < 0:
        return text.rstrip("\n") + "\n\n" + section
    ends = [i for i in (text.find("\n### ", start + 1), text.find("\n## ", start + 1)) if i >= 0]
    return text[:start] + section + (text[min(ends) + 1:] if ends else "")


if __name__ == "__main__":
    # scripts/bench_browser_scale.py [PAIL]: this section alone, spliced into BENCHMARKS.md.
    sys.path.insert(0, HERE)
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/pail"))
    environment = dict(os.environ)
    environment.setdefault("AWS_ACCESS_KEY_ID", "keyspace")
    environment.setdefault("AWS_SECRET_ACCESS_KEY", "keyspace")
    environment["AWS_REGION"] = "us-east-1"
    result = bench(environment, binary)
    path = os.path.join(ROOT, "BENCHMARKS.md")
    with open(path) as f:
        old = f.read()
    with open(path, "w") as f:
        f.write(splice(old, result))
    print(result)
