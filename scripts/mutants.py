#!/usr/bin/env python3
"""Mutation testing of pail's safety rules: `make mutants`.

Each mutation in tests/mutants.toml is one plausible bug (an exact piece of source text and
what it becomes) with the tests that must notice it. They are applied one at a time to a
scratch copy of the repository in .build-mutants/ (kept between runs, so builds are
incremental), which is built and run against the listed tests: XCTest filters through
`swift test`, pytest node ids against a real SeaweedFS and moto_server (scripts/s3server.py).
A mutation survives when every listed test still passes.

It prints the score and every survivor, and exits non-zero when a mutation survives, when
its original text is no longer in its file exactly once (the list needs updating after the
code moved), when a mutation does not build, or when the listed tests fail without any
mutation (they would kill everything and prove nothing).

    scripts/mutants.py                  # everything
    scripts/mutants.py --check          # only that every original text still matches
    scripts/mutants.py --only ID [ID…]  # some mutations
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIST = os.path.join(ROOT, "tests", "mutants.toml")
SCRATCH = os.path.join(ROOT, ".build-mutants", "src")
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
# Mutations are for a short list of safety rules; anything slower than this is stuck.
TIMEOUT = 900


def load(path):
    with open(path, "rb") as f:
        data = tomllib.load(f)
    mutants = data.get("mutant", [])
    seen = set()
    for m in mutants:
        for field in ("id", "rule", "file", "original", "replacement"):
            if not isinstance(m.get(field), str):
                sys.exit(f"{path}: mutation {m.get('id', '?')} has no {field}")
        if m["id"] in seen:
            sys.exit(f"{path}: mutation id {m['id']} appears twice")
        seen.add(m["id"])
        m.setdefault("xctest", [])
        m.setdefault("pytest", [])
        if not m["xctest"] and not m["pytest"]:
            sys.exit(f"{path}: mutation {m['id']} names no test expected to fail")
    return mutants


def stale(mutants, root):
    """Mutations whose original text is not in their file exactly once."""
    problems = []
    for m in mutants:
        path = os.path.join(root, m["file"])
        if not os.path.exists(path):
            problems.append((m["id"], f"{m['file']} does not exist"))
            continue
        n = open(path, encoding="utf-8").read().count(m["original"])
        if n != 1:
            problems.append((m["id"], f"the original text is in {m['file']} {n} times, not once"))
    return problems


def sync_scratch():
    """Copies the working tree (tracked and untracked, not ignored files) into the scratch
    copy, writing only files that differ so its .build stays incremental."""
    listed = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                            capture_output=True).stdout.decode().split("\0")
    # Package.resolved is ignored by git but pins the dependencies the build already has.
    wanted = {p for p in listed + ["Package.resolved"] if p and os.path.isfile(os.path.join(ROOT, p))}
    os.makedirs(SCRATCH, exist_ok=True)
    for rel in wanted:
        src, dst = os.path.join(ROOT, rel), os.path.join(SCRATCH, rel)
        with open(src, "rb") as f:
            data = f.read()
        if os.path.exists(dst) and not os.path.islink(dst):
            with open(dst, "rb") as f:
                if f.read() == data:
                    continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.lexists(dst):
            os.unlink(dst)
        with open(dst, "wb") as f:
            f.write(data)
        shutil.copymode(src, dst)
    for top, dirs, files in os.walk(SCRATCH):
        rel_top = os.path.relpath(top, SCRATCH)
        if rel_top == ".":
            dirs[:] = [d for d in dirs if not d.startswith(".build")]
        for name in files:
            rel = os.path.normpath(os.path.join(rel_top, name))
            if rel not in wanted:
                os.unlink(os.path.join(top, name))


def run(argv, env=None, cwd=SCRATCH, timeout=TIMEOUT, tail=3000):
    """Runs a command; returns (exit code, the tail of its output, all of it with tail=None)."""
    try:
        proc = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        out = proc.stdout.decode(errors="replace")
        return proc.returncode, out if tail is None else out[-tail:]
    except subprocess.TimeoutExpired as e:
        return "timeout", (e.stdout or b"").decode(errors="replace")[-3000:]


def build(tests=True):
    """Builds the scratch copy: with its tests, or only the `pail` binary pytest runs (a mutation
    listing no XCTest case need not rebuild every test target)."""
    return run(["swift", "build", "--build-tests"] if tests else ["swift", "build", "--product", "pail"])


def xctest_names():
    code, out = run(["swift", "test", "list", "--skip-build"], timeout=300, tail=None)
    if code != 0:
        sys.exit("swift test list failed:\n" + out)
    return [l.strip() for l in out.splitlines() if "." in l and "/" in l]


def run_xctest(filters):
    """Exit code of the XCTest cases the filters name (one regular expression each)."""
    return run(["swift", "test", "--skip-build", "--filter", "|".join(f"({f})" for f in filters)], tail=None)


def run_pytest(node_ids, server_env):
    env = dict(os.environ, **server_env, PAIL_BIN=os.path.join(SCRATCH, ".build", "debug", "pail"))
    return run([PYTHON, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *node_ids], env=env, tail=None)


def failed_tests(out):
    """The tests a run names as failed (XCTest's cases, pytest's node ids), so a report says
    which test killed a mutation."""
    names = re.findall(r"Test Case '([^']+)' failed", out) + re.findall(r"^FAILED (\S+)", out, re.M)
    return list(dict.fromkeys(names))


def start_server():
    sys.path.insert(0, os.path.join(ROOT, "scripts"))
    import s3server

    class Args:
        moto = True
        seed = None

    state = s3server.start(Args())
    return state, lambda: s3server.stop(state)


def main():
    ap = argparse.ArgumentParser(description="Apply each listed mutation, run its tests, report survivors.")
    ap.add_argument("--list", default=LIST, help="the mutation list (default tests/mutants.toml)")
    ap.add_argument("--only", nargs="+", metavar="ID", help="run only these mutations")
    ap.add_argument("--check", action="store_true", help="only check that every original text still matches")
    ap.add_argument("--no-baseline", action="store_true", help="skip running the tests on the unmutated code")
    args = ap.parse_args()

    mutants = load(args.list)
    if args.only:
        unknown = set(args.only) - {m["id"] for m in mutants}
        if unknown:
            sys.exit(f"no such mutation: {', '.join(sorted(unknown))}")
        mutants = [m for m in mutants if m["id"] in args.only]
    problems = stale(mutants, ROOT)
    for mid, why in problems:
        print(f"STALE     {mid}: {why}")
    if args.check:
        print(f"{len(mutants) - len(problems)} of {len(mutants)} mutations match the code")
        return 1 if problems else 0
    bad = {mid for mid, _ in problems}
    runnable = [m for m in mutants if m["id"] not in bad]

    print(f"scratch copy: {SCRATCH}", flush=True)
    sync_scratch()
    code, out = build()
    if code != 0:
        print(out)
        sys.exit(f"the unmutated code did not build within {TIMEOUT} s (a loaded machine? run it again)"
                 if code == "timeout" else "the unmutated code does not build")
    names = xctest_names()
    for m in runnable:
        for f in m["xctest"]:
            if not any(re.search(f, n) for n in names):
                sys.exit(f"mutation {m['id']}: the XCTest filter {f!r} names no test")

    needs_server = any(m["pytest"] for m in runnable)
    stop = lambda: None
    server_env = {}
    if needs_server:
        state, stop = start_server()
        server_env = state["env"]
    results = []
    try:
        if not args.no_baseline:
            xs = sorted({f for m in runnable for f in m["xctest"]})
            ps = sorted({p for m in runnable for p in m["pytest"]})
            runs = (("XCTest", xs, lambda: run_xctest(xs)), ("pytest", ps, lambda: run_pytest(ps, server_env)))
            for kind, tests, runner in runs:
                if not tests:
                    continue
                code, out = runner()
                if code != 0:
                    print(out)
                    sys.exit(f"the listed {kind} tests fail on the unmutated code: fix them first")
            print(f"baseline: the listed tests pass on the unmutated code", flush=True)

        for i, m in enumerate(runnable, 1):
            started = time.time()
            path = os.path.join(SCRATCH, m["file"])
            original = open(path, encoding="utf-8").read()
            try:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(original.replace(m["original"], m["replacement"], 1))
                code, out = build(tests=bool(m["xctest"]))
                if code != 0:
                    verdict, detail = "NO BUILD", out.strip().splitlines()[-5:]
                else:
                    verdict, detail = "SURVIVED", []
                    if m["xctest"]:
                        code, out = run_xctest(m["xctest"])
                        if code != 0:
                            verdict, detail = "KILLED", [
                                f"by XCTest ({'timed out' if code == 'timeout' else 'failed'})",
                                *failed_tests(out)]
                    if verdict == "SURVIVED" and m["pytest"]:
                        code, out = run_pytest(m["pytest"], server_env)
                        if code != 0:
                            verdict, detail = "KILLED", [
                                f"by pytest ({'timed out' if code == 'timeout' else f'exit {code}'})",
                                *failed_tests(out)]
            finally:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(original)
            results.append((m, verdict))
            took = int(time.time() - started)
            print(f"[{i}/{len(runnable)}] {verdict:<8} {m['id']} ({m['rule']}) {' '.join(detail)} [{took}s]",
                  flush=True)
    finally:
        stop()
        # Leave the scratch copy unmutated and built, ready for the next run.
        build()

    killed = [m for m, v in results if v == "KILLED"]
    survivors = [m for m, v in results if v == "SURVIVED"]
    broken = [m for m, v in results if v == "NO BUILD"]
    print()
    print(f"score: {len(killed)} of {len(results)} mutations killed")
    for m in survivors:
        print(f"SURVIVOR  {m['id']}: {m['rule']}: {m['file']}: "
              f"{m['original'].strip()!r} -> {m['replacement'].strip()!r}")
        print(f"          expected to fail: {', '.join(m['xctest'] + m['pytest'])}")
    for m in broken:
        print(f"NO BUILD  {m['id']}: the mutation does not compile; change its replacement")
    for mid, why in problems:
        print(f"STALE     {mid}: {why}; update tests/mutants.toml")
    return 1 if survivors or broken or problems else 0


if __name__ == "__main__":
    sys.exit(main())
