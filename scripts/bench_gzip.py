"""`make bench` section: `cp -r --gzip` of a 2,000-file text tree, against `cp -r` of the same tree
without --gzip (what --gzip costs) and, when there is one, an earlier build:
PAIL_BENCH_GZIP_BASELINE=PATH[=LABEL], else .build-baseline/release/pail (the build before zlib,
which spawned /bin/gzip per file: `git worktree add /tmp/base 602b16b`, then in it
`swift build -c release --scratch-path ROOT/.build-baseline`). Registered in bench.py as "gzip"."""
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
    spec = os.environ.get("PAIL_BENCH_GZIP_BASELINE") or os.path.join(bench.ROOT, ".build-baseline/release/pail")
    path, _, label = spec.partition("=")
    label = label or "pail before zlib, 602b16b (spawns /bin/gzip)"
    title = f"Upload {FILES:,} CSS and JS files (4-64 KiB) with `cp -r --gzip`"
    work = tempfile.mkdtemp(prefix="pail-bench-gzip-")
    tree = os.path.join(work, "tree")
    make_tree(tree)
    bucket = "bench-gzip"
    bench.s5cmd(env, "mb", f"s3://{bucket}")
    def cp(binary, tag, *options):
        return lambda i: [binary, "cp", "--endpoint-url", bench.ENDPOINT, "-r", *options, tree + "/",
                          f"s3://{bucket}/{tag}-{i}/"]
    specs = [("pail cp -r --gzip", cp(bench.PAIL, "after", "--gzip"), None, None, None),
             ("pail cp -r (the same tree, no --gzip)", cp(bench.PAIL, "plain"), None, None, None)]
    if os.path.exists(path):
        specs.append((label, cp(os.path.abspath(path), "before", "--gzip"), None, None, None))
    rows = bench.interleaved(specs, env, runs=5)
    subprocess.run(["rm", "-rf", work])
    return bench.table(title, "Goal: --gzip costs little more than the deflate CPU over the plain upload "
                       "(70 MB of text go up as 15 MB).", rows)
