"""`make bench` section: `cp -r --gzip` of a 2,000-file text tree, pail with zlib in process
against a build from before it (which spawned /bin/gzip per file): PAIL_BENCH_GZIP_BASELINE, else
.build-baseline/release/pail (registered in bench.py as "gzip"; skipped with a note without one).
The baseline: `git worktree add /tmp/base 602b16b` (the commit before zlib), then in it
`swift build -c release --scratch-path ROOT/.build-baseline`."""
import os
import random
import subprocess

import bench

FILES = 2000


def make_tree(folder):
    """2,000 CSS and JS files of 4-64 KiB in 20 folders: text that compresses as a site's does."""
    rng = random.Random(2)
    words = ["color", "margin", "padding", "display", "function", "return", "const", "flex", "grid", "none",
             "border", "width", "height", "var", "let", "this", "document", "window", "0px", "auto"]
    for i in range(FILES):
        sub = os.path.join(folder, f"d{i % 20:02d}")
        os.makedirs(sub, exist_ok=True)
        size = rng.randint(4, 64) * 1024
        text = []
        while sum(map(len, text)) < size:
            text.append(f".c{rng.randint(0, 9999)} {{ {rng.choice(words)}: {rng.choice(words)}; }}\n")
        with open(os.path.join(sub, f"f{i:05d}.{'css' if i % 2 else 'js'}"), "w") as f:
            f.write("".join(text)[:size])


def run(env):
    import tempfile
    path = os.environ.get("PAIL_BENCH_GZIP_BASELINE") or os.path.join(bench.ROOT, ".build-baseline/release/pail")
    title = f"Upload {FILES:,} CSS and JS files (4-64 KiB) with `cp -r --gzip`"
    if not os.path.exists(path):
        return f"### {title}\n\nSkipped: no build from before zlib at {path}.\n"
    work = tempfile.mkdtemp(prefix="pail-bench-gzip-")
    tree = os.path.join(work, "tree")
    make_tree(tree)
    bucket = "bench-gzip"
    bench.s5cmd(env, "mb", f"s3://{bucket}")
    def cp(binary, tag):
        return lambda i: [binary, "cp", "--endpoint-url", bench.ENDPOINT, "-r", "--gzip", tree + "/",
                          f"s3://{bucket}/{tag}-{i}/"]
    rows = bench.interleaved([
        ("pail cp -r --gzip (zlib in process)", cp(bench.PAIL, "after"), None, None, None),
        ("pail before zlib, 602b16b (spawns /bin/gzip)", cp(os.path.abspath(path), "before"), None, None, None),
    ], env, runs=5)
    subprocess.run(["rm", "-rf", work])
    return bench.table(title,
                       "Goal: zlib in process at or below the build that spawned gzip for each file.", rows)
