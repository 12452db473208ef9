"""`make bench` section: sync of the 2,000-file tree after 50 of its files changed, pail sync
against `aws s3 sync`, `s5cmd sync` and `rclone sync` (registered in bench.py as "sync")."""
import os
import random
import subprocess

import bench

FILES, CHANGED = 2000, 50


def make_tree(folder, seed=1):
    """The transfers section's tree: 2,000 files of 4-64 KiB in 20 folders."""
    rng = random.Random(seed)
    for i in range(FILES):
        sub = os.path.join(folder, f"d{i % 20:02d}")
        os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, f"f{i:05d}.bin"), "wb") as f:
            f.write(rng.randbytes(rng.randint(4, 64) * 1024))


def change(folder, round_):
    """Rewrites 50 files (a different 50 each round) with new bytes of the same size: the
    case a size-only check misses, so every tool must notice the content or the time."""
    rng = random.Random(1000 + round_)
    for n in range(CHANGED):
        i = (round_ * CHANGED + n * 37) % FILES
        path = os.path.join(folder, f"d{i % 20:02d}", f"f{i:05d}.bin")
        size = os.path.getsize(path)
        with open(path, "wb") as f:
            f.write(rng.randbytes(size))


def run(env):
    import tempfile
    work = tempfile.mkdtemp(prefix="pail-bench-sync-")
    bucket, E, V = "bench-sync", bench.ENDPOINT, bench.VENV_BIN
    bench.s5cmd(env, "mb", f"s3://{bucket}")
    tools = {
        "pail sync": lambda t: [bench.PAIL, "sync", "--endpoint-url", E, t + "/", f"s3://{bucket}/pail/"],
        "s5cmd sync": lambda t: [os.path.join(V, "s5cmd"), "--endpoint-url", E, "sync", t + "/", f"s3://{bucket}/s5/"],
        "rclone sync": lambda t: [os.path.join(V, "rclone"), "sync", t, f"bench:{bucket}/rclone"],
        "rclone sync --checksum": lambda t: [os.path.join(V, "rclone"), "sync", "--checksum", t,
                                             f"bench:{bucket}/rclone-sum"],
        "aws s3 sync": lambda t: [os.path.join(V, "aws"), "--endpoint-url", E, "s3", "sync", "--quiet", t,
                                  f"s3://{bucket}/aws/"],
    }
    specs = []
    for name, argv in tools.items():
        tree = os.path.join(work, name.replace(" ", "_"))
        make_tree(tree)
        bench.run_once(argv(tree), env)  # the first, full upload by the tool itself (untimed)
        specs.append((name, lambda i, a=argv, t=tree: a(t), lambda i, t=tree: change(t, i), None, None))
    rows = bench.interleaved(specs, env, runs=5)
    subprocess.run(["rm", "-rf", work])
    return bench.table(f"Sync of the {FILES:,}-file tree after {CHANGED} files changed",
                       "Goal: at or below the best peer's wall time. Each tool syncs its own copy of the tree to "
                       "its own prefix, which it uploaded first (untimed); before each run 50 files get new bytes "
                       "of the same size. Default options: pail, `rclone --checksum` compare content (MD5 against "
                       "the ETag), the others size and time (rclone reads the time from each object's metadata).",
                       rows)
