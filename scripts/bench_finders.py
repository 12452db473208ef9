"""`bench.py --only finders`: `pail find` and `pail dupes` over the 20,000-object tree of the
listing benchmark (scripts/seed.py listing), as a ratio to `pail ls -r` of the same prefix.
Goal (issue 13): within 1.2x, as they add no request to the listing.

Every object of that tree holds the same 16 bytes, so `dupes` finds one group of 20,000: the
worst case for grouping and for choosing the copy to keep.
"""
import os
import sys
import time

HEADING = "## Finders"
COUNT, BUCKET = 20_000, "bench-listing"


def section(bench, env):
    s3 = bench.seed.client()
    try:
        have = sum(page.get("KeyCount", 0) for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET))
    except s3.exceptions.NoSuchBucket:
        have = 0
    if have < COUNT:  # else the listing section (or an earlier run) made it
        started = time.time()
        bench.seed.main_args(["listing", str(COUNT), BUCKET])
        print(f"finders: seeded {COUNT} objects in {time.time() - started:.1f}s", file=sys.stderr)
    base = [bench.PAIL]
    ep = ["--endpoint-url", bench.ENDPOINT]
    uri = f"s3://{BUCKET}/"
    cases = [
        ("pail ls -r", base + ["ls", "-r"] + ep + [uri], COUNT),
        ("pail ls -r --json", base + ["ls", "-r", "--json"] + ep + [uri], COUNT),
        ("pail find --name '*.jpg'", base + ["find"] + ep + ["--name", "*.jpg", uri], COUNT * 9 // 10),
        ("pail find --larger 1 --older 1s", base + ["find"] + ep + ["--larger", "1", "--older", "1s", uri], COUNT),
        ("pail find --regex 'img-0[0-9]*5\\.jpg$'", base + ["find"] + ep + ["--regex", "img-0[0-9]*5\\.jpg$", uri],
         COUNT // 10),
        ("pail dupes", base + ["dupes"] + ep + [uri], COUNT),
        ("pail dupes --json", base + ["dupes", "--json"] + ep + [uri], COUNT),
    ]
    # Taking turns run by run, so no command has the warmer server; best of the runs, as other
    # work on the machine only ever adds to a wall time.
    load = [os.getloadavg()[0]]
    walls = {name: [] for name, _, _ in cases}
    peaks = {name: [] for name, _, _ in cases}
    notes = {}
    for _, cmd, _ in cases:
        bench.run_once(cmd, env)  # warm-up: page cache, server caches
    for _ in range(bench.RUNS):
        for name, cmd, lines in cases:
            wall, peak, out = bench.run_once(cmd, env)
            n = out.count(b"\n")
            if n < lines:
                raise RuntimeError(f"{name}: {n} lines, expected at least {lines}")
            notes[name] = f"{n} lines"
            walls[name].append(wall)
            peaks[name].append(peak)
    load.append(os.getloadavg()[0])
    ls = min(walls["pail ls -r"])
    rows = []
    for name, _, _ in cases:
        wall = min(walls[name])
        print(f"finders: {name}: {wall:.3f}s ({wall / ls:.2f}x ls -r)", file=sys.stderr)
        rows.append(f"| `{name[5:]}` | {wall:.3f} s | {wall / ls:.2f} | {max(peaks[name]):.1f} MiB | "
                    f"{len(walls[name])} | {notes[name]} |")
    return "\n".join([
        HEADING, "",
        f"Made by `scripts/bench.py --only finders` on {time.strftime('%Y-%m-%d')}: {os.cpu_count()} cores shared with "
        f"the local SeaweedFS; the {COUNT:,}-object tree of the listing benchmark (`media/uploads/YYYY/MM/`, "
        "`static/build-NN/`, every object the same 16 bytes, so `dupes` prints one group of 20,000). The commands "
        f"take turns run by run; best of {bench.RUNS} runs after a warm-up, peak RSS from wait4; load average "
        f"{load[0]:.1f} at the start and {load[1]:.1f} at the end (other work on the 2 cores). "
        "Goal: `find` and `dupes` within 1.2× of `ls -r` (they add no request); `ls -r --json` is there "
        "to compare `dupes --json` with (both write 20,000 JSON lines).", "",
        "| command | wall time (best) | × `ls -r` | peak memory | runs | notes |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        *rows, "", ""])
