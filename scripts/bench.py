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

PAIL = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build/release/pail"))
ENDPOINT = os.environ["PAIL_TEST_ENDPOINT"]
RUNS = int(os.environ.get("PAIL_BENCH_RUNS", "5"))


def tool_env():
    env = dict(os.environ)
    env.update({
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "S3_ENDPOINT_URL": ENDPOINT,
        "RCLONE_CONFIG_BENCH_TYPE": "s3",
        "RCLONE_CONFIG_BENCH_PROVIDER": "SeaweedFS",
        "RCLONE_CONFIG_BENCH_ENDPOINT": ENDPOINT,
        "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID": os.environ["AWS_ACCESS_KEY_ID"],
        "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY": os.environ["AWS_SECRET_ACCESS_KEY"],
        "RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE": "true",
    })
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
    return {"tool": name, "wall": statistics.median(walls), "rss": max(rss), "note": note}


def table(title, goal, rows):
    base = next(r for r in rows if r["tool"].startswith("pail"))
    lines = [f"### {title}", "", goal, "",
             "| tool | wall time (median) | × pail | peak memory | × pail | notes |",
             "| --- | ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        lines.append(f"| {r['tool']} | {r['wall']:.3f} s | {r['wall'] / base['wall']:.2f} | {r['rss']:.1f} MiB | "
                     f"{r['rss'] / base['rss']:.2f} | {r['note']} |")
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
        measure("pail ls -r", [PAIL, "ls", "-r", "--endpoint-url", ENDPOINT, f"s3://{bucket}"], env, count_lines(count)),
        measure("s5cmd ls", [os.path.join(VENV_BIN, "s5cmd"), "--endpoint-url", ENDPOINT, "ls", f"s3://{bucket}/*"], env,
                count_lines(count)),
        measure("rclone lsf -R", [os.path.join(VENV_BIN, "rclone"), "lsf", "-R", f"bench:{bucket}"], env, count_lines(count)),
        measure("aws s3 ls --recursive", aws + ["s3", "ls", "--recursive", f"s3://{bucket}"], env, count_lines(count)),
    ]
    return table(f"Full recursive listing of {count:,} objects",
                 "Goal: pail at or below s5cmd's wall time and below its peak memory.", rows)


def main():
    env = tool_env()
    sections = [bench_listing(env)]
    cpu = platform.processor() or platform.machine()
    header = (f"# Benchmarks\n\nMade by `make bench` on {time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores, {cpu}, "
              f"local SeaweedFS (`weed mini`) on loopback; median of {RUNS} runs after a warm-up, peak RSS from wait4. "
              "Lower is better; ratios are to pail.\n\n")
    text = header + "\n".join(sections)
    with open(os.path.join(ROOT, "BENCHMARKS.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
