"""Issue 10, the rig that keeps it fixed: every subcommand that lists, reads or writes, run
against a hostile S3 server in each of its modes (see hostile_server.py).

Whatever the server does, pail must: exit non-zero with a one-line error (or, where dropping
what is bad is the contract, succeed with a warning and never act on what it dropped); never
hang; never crash; never delete, rewrite or copy a key outside the target prefix; never write
a file outside the destination folder or leave a temporary file; never put a raw control
byte on the terminal. Each case checks all of it from the outside: the exit status, the
output, the server's log of requests received and the temporary folder.

The cases run in parallel in the background as soon as the first one is asked for (most
of them wait on sockets, not on the CPU), so the whole matrix takes about as long as its
slowest case. Run alone: `.venv/bin/python -m pytest -q tests/integration/test_hostile.py`
(no S3 server needed).
"""
import os
import re
import resource
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import PAIL_BIN
from hostile_server import BUCKET, CONTROL_KEYS, INSIDE, OUTSIDE, PREFIX, HostileServer

TARGET = f"s3://{BUCKET}/media/2023/"
OBJECT = TARGET + "a.jpg"
DEST = os.path.join("w", "x", "y", "z", "dest")  # deep, so a ../ that escapes lands inside the case folder
ROOTED = "/tmp/pail-hostile-rooted"  # where "media/2023//tmp/..." lands if joined as an absolute path
UPLOAD_SIZE = 6 * 1024 * 1024 + 123  # two parts with --part-size 5

# Each subcommand: its arguments ({dest} and {src} are folders of the case), what it may
# read (object keys HEADed or GET), what it may write (PUT, DELETE, multipart), where its
# copies may come from, and whether its stdout is JSON.
COMMANDS = {
    "ls": dict(args=["ls", TARGET]),
    "ls-r": dict(args=["ls", "-r", TARGET]),
    "ls-r-json": dict(args=["ls", "-r", "--json", TARGET], json=True),
    "du": dict(args=["du", TARGET]),
    "headers-r": dict(args=["headers", "-r", TARGET]),
    "stat": dict(args=["stat", OBJECT], read=[b"media/2023/a.jpg"], exact=True),
    "cp-get": dict(args=["cp", OBJECT, "{dest}/"], read=[b"media/2023/a.jpg"], exact=True),
    "cp-r-get": dict(args=["cp", "-r", TARGET, "{dest}/"]),
    "rm-dry": dict(args=["rm", "-r", "--dry-run", TARGET]),
    "rm-yes": dict(args=["rm", "-r", "--yes", TARGET], write=[PREFIX]),
    "set-headers": dict(args=["set-headers", "-r", "--yes", "--cache-control", "max-age=31536000", TARGET],
                        write=[PREFIX], copy_from=[PREFIX], self_copy=True),
    "cp-s3": dict(args=["cp", "-r", TARGET, f"s3://{BUCKET}/copy/"], read=[PREFIX, b"copy/"], write=[b"copy/"],
                  copy_from=[PREFIX]),
    "cp-up": dict(args=["cp", "-r", "--part-size", "5", "{src}/", f"s3://{BUCKET}/media/2023/up/"],
                  read=[b"media/2023/up/"], write=[b"media/2023/up/"]),
    "ls-buckets": dict(args=["ls"], read=[]),
}
LISTING = ["ls", "ls-r", "ls-r-json", "du", "headers-r", "cp-r-get", "rm-dry", "rm-yes", "set-headers", "cp-s3"]
SINGLE = ["stat", "cp-get"]
DOWNLOADS = ["cp-get", "cp-r-get"]

# Mode -> (subcommands, contract). Contracts: "ok" must succeed; "fail" must exit non-zero
# with a one-line error; "warn" may instead succeed with a warning on stderr, having dropped
# what was bad; "any" leaves the exit status free (only the invariants hold). A dict gives
# a contract per subcommand, "*" for the rest.
MATRIX = {
    "honest": (LISTING + SINGLE + ["cp-up", "ls-buckets"], "ok"),
    "wrong-prefix": (LISTING, "warn"),
    "wrong-level": (LISTING, "warn"),
    "token-repeat": (LISTING, "fail"),
    "token-cycle": (LISTING, "fail"),
    "no-advance": (LISTING, "fail"),
    "size-2p62": (LISTING + SINGLE, {"cp-get": "fail", "cp-r-get": "fail", "*": "any"}),
    "size-2p50": (LISTING + SINGLE, {"cp-get": "fail", "cp-r-get": "fail", "*": "any"}),
    "size-negative": (LISTING + SINGLE, {"cp-get": "fail", "cp-r-get": "fail", "*": "any"}),
    "copy-error-long": (["set-headers", "cp-s3"], "fail"),
    "copy-error-short": (["set-headers", "cp-s3"], "fail"),
    "copy-empty": (["set-headers", "cp-s3"], "fail"),
    "copy-html": (["set-headers", "cp-s3"], "fail"),
    "complete-error-long": (["set-headers", "cp-up"], "fail"),
    "complete-empty": (["set-headers", "cp-up"], "fail"),
    "complete-html": (["set-headers", "cp-up"], "fail"),
    "xml-truncated": (LISTING + ["ls-buckets"], "fail"),
    "xml-endless-slow": (LISTING, "fail"),
    "xml-endless-fast": (LISTING, "fail"),
    "xml-entities": (LISTING, "warn"),
    "xml-xxe": (LISTING, "warn"),
    "bad-utf8": (LISTING, "warn"),
    "control-keys": (LISTING + ["ls-buckets"],
                     {"cp-r-get": "any", "set-headers": "any", "cp-s3": "any", "*": "ok"}),
    "traversal": (LISTING, "any"),
    "get-longer": (DOWNLOADS, "any"),
    "drip": (LISTING + SINGLE + ["ls-buckets"], "fail"),
    "stall": (LISTING + SINGLE + ["ls-buckets"], "fail"),
    "redirect-permanent": (LISTING + SINGLE, "fail"),
    "redirect-location": (LISTING + SINGLE, "fail"),
    "reset": (LISTING + SINGLE + ["ls-buckets"], "fail"),
    "html": (LISTING + ["ls-buckets"], "fail"),
}
CASES = [(mode, cmd) for mode, (cmds, _) in MATRIX.items() for cmd in cmds]

# Modes where a correct pail waits for a deadline: they get the long bound. Everything else
# a correct pail answers in a few seconds (retries with backoff included).
SLOW_MODES = {"drip", "stall", "xml-endless-slow"}
SHORT_BOUND = 20
LONG_BOUND = 60
# One endless fast stream at a time: today pail buffers all of it.
HEAVY_MODES = {"xml-endless-fast"}
# Modes that loop today spin the CPU: few at once.
SPINNING_MODES = {"token-repeat", "token-cycle", "no-advance"}

# What pail may use against a hostile server: these listings are a few keys long, so
# anything near this is a body or a size taken on trust.
MAX_RSS = 256 << 20
KILL_RSS = 1 << 30
CRASH_MARKERS = [b"Fatal error", b"failed to allocate", b"Segmentation fault", b"Illegal instruction",
                 b"Current stack trace", b"Stack dump", b"Assertion failed", b"Trace/breakpoint trap",
                 b"Aborted", b"malloc():", b"double free"]
TEMP_NAME = re.compile(r"\.pail-|\.part$|\.tmp$|~$")


def contract(mode, cmd):
    c = MATRIX[mode][1]
    return c.get(cmd, c["*"]) if isinstance(c, dict) else c


def timeout_args():
    """`--timeout 3` once pail has such a flag (issue 10, defect 7): drips and stalls then end fast."""
    try:
        text = subprocess.run([PAIL_BIN, "ls", "--help"], capture_output=True, timeout=30).stdout.decode()
    except (OSError, subprocess.SubprocessError):
        return []
    return ["--timeout", "3"] if re.search(r"--timeout(?![\w-])", text) else []


TIMEOUT_ARGS = timeout_args()


def limit_memory():
    # A pail that buffers an endless body must not take the test machine down with it.
    resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))


class Result:
    pass


class MemoryWatch:
    """Follows a process's peak resident memory (VmHWM) and kills it past KILL_RSS, so a
    pail that buffers an endless body is reported, not left to eat the machine."""

    def __init__(self, proc):
        self.proc, self.peak, self.killed = proc, 0, False
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.done.is_set():
            try:
                with open(f"/proc/{self.proc.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            self.peak = max(self.peak, int(line.split()[1]) * 1024)
            except (OSError, ValueError):
                return
            if self.peak > KILL_RSS and self.proc.poll() is None:
                self.killed = True
                self.proc.kill()
                return
            self.done.wait(0.1)

    def stop(self):
        self.done.set()
        self.thread.join()


def snapshot(root):
    paths = set()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            if os.path.islink(full) or not os.path.isdir(full):
                paths.add(rel)
    return paths


def make_case_dir(base, cmd):
    case = tempfile.mkdtemp(prefix=f"{cmd}-", dir=base)
    for d in (DEST, "src", "home", "cwd"):
        os.makedirs(os.path.join(case, d))
    if cmd == "cp-up":
        with open(os.path.join(case, "src", "big.bin"), "wb") as f:
            f.write(os.urandom(1024) * (UPLOAD_SIZE // 1024) + b"x" * (UPLOAD_SIZE % 1024))
        with open(os.path.join(case, "src", "small.txt"), "wb") as f:
            f.write(b"small\n")
    return case


def run_case(base, mode, cmd):
    spec = COMMANDS[cmd]
    case = make_case_dir(base, cmd)
    before = snapshot(case)
    server = HostileServer(mode)
    bound = LONG_BOUND if mode in SLOW_MODES else SHORT_BOUND
    argv = [PAIL_BIN, spec["args"][0], "--endpoint-url", server.url] + TIMEOUT_ARGS
    argv += [a.replace("{dest}", os.path.join(case, DEST)).replace("{src}", os.path.join(case, "src"))
             for a in spec["args"][1:]]
    home = os.path.join(case, "home")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "LANG": "C.UTF-8", "TZ": "UTC",
           "XDG_STATE_HOME": os.path.join(home, "state"), "XDG_CONFIG_HOME": os.path.join(home, "config"),
           "AWS_ACCESS_KEY_ID": "HOSTILEACCESSKEY", "AWS_SECRET_ACCESS_KEY": "hostile-secret",
           "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}
    r = Result()
    r.mode, r.cmd, r.argv, r.bound, r.case = mode, cmd, argv, bound, case
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=os.path.join(case, "cwd"), stdin=subprocess.DEVNULL, preexec_fn=limit_memory)
    watch = MemoryWatch(proc)
    try:
        r.out, r.err = proc.communicate(timeout=bound)
        r.hung = False
    except subprocess.TimeoutExpired:
        proc.kill()
        r.out, r.err = proc.communicate()
        r.hung = True
    r.rc = None if r.hung else proc.returncode
    r.elapsed = time.monotonic() - started
    watch.stop()
    r.peak_rss, r.memory_killed = watch.peak, watch.killed
    if r.memory_killed:
        r.hung, r.rc = False, None
    server.close()
    r.log = server.requests()
    r.trap_log = list(server.trap.log)
    r.injected = server.injected
    r.objects = dict(server.objects)
    r.initial_keys = server.initial_keys
    r.new_paths = sorted(snapshot(case) - before)
    r.all_paths = sorted(snapshot(case))
    r.rooted = os.path.exists(ROOTED)
    if r.rooted:
        os.unlink(ROOTED)
    return r


class Runner:
    """Runs the selected cases in background pools and hands each test its result."""

    def __init__(self, base, cases):
        self.base = base
        self.futures = {}
        self.pools = {"heavy": ThreadPoolExecutor(1), "spin": ThreadPoolExecutor(3),
                      "slow": ThreadPoolExecutor(16), "fast": ThreadPoolExecutor(4)}
        for case in cases:
            self.submit(case)

    def submit(self, case):
        mode, cmd = case
        pool = ("heavy" if mode in HEAVY_MODES else "spin" if mode in SPINNING_MODES
                else "slow" if mode in SLOW_MODES else "fast")
        self.futures[case] = self.pools[pool].submit(run_case, self.base, mode, cmd)

    def result(self, case):
        if case not in self.futures:
            self.submit(case)
        return self.futures[case].result()

    def close(self):
        for pool in self.pools.values():
            pool.shutdown(wait=True, cancel_futures=True)


@pytest.fixture(scope="module")
def runner(request, tmp_path_factory):
    base = str(tmp_path_factory.mktemp("hostile"))
    selected = [item.callspec.params["case"] for item in request.session.items
                if getattr(item, "callspec", None) and "case" in item.callspec.params
                and item.module.__name__ == __name__]
    r = Runner(base, selected)
    yield r
    r.close()


# ---------------------------------------------------------------- the invariants

def under(key, prefixes):
    return any(key.startswith(p) for p in prefixes)


def raw_controls(data, text_mode):
    """The control characters in `data` a terminal would act on, as reprs."""
    s = data.decode("utf-8", "surrogateescape")
    bad = set()
    for ch in s:
        o = ord(ch)
        if (o < 0x20 and ch not in "\n\t") or o == 0x7f:
            bad.add(repr(ch))
        elif 0x80 <= o <= 0x9f and text_mode:
            bad.add(repr(ch))
        elif 0xdc80 <= o <= 0xdcff:
            bad.add(f"raw byte 0x{o - 0xdc00:02x}")
    return sorted(bad)


def last_line(data):
    lines = [line for line in data.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1] if lines else ""


def shown(key):
    return key.decode("utf-8", "backslashreplace")


def normalized_lines(data):
    """stderr lines with numbers and folders blanked: what stays is the kind of message."""
    text = data.decode("utf-8", "replace")
    return {re.sub(r"/tmp/\S*|\d+", "N", line).strip() for line in text.splitlines() if line.strip()}


def problems_of(r, baseline=None):
    """What went wrong in one run. `baseline` is the same subcommand against an honest
    server: a warning is a stderr line of a kind the honest run did not print."""
    spec = COMMANDS[r.cmd]
    expect = contract(r.mode, r.cmd)
    if r.mode in ("wrong-prefix", "wrong-level") and not r.injected:
        expect = "ok"  # it never listed the way the server answers wrongly
    out = []
    # Never a hang, never a crash.
    if r.memory_killed:
        out.append(f"grows past {KILL_RSS >> 20} MiB of memory (killed)")
    elif r.peak_rss > MAX_RSS:
        out.append(f"uses {r.peak_rss >> 20} MiB of memory")
    if r.hung:
        out.append(f"hangs (killed after {r.bound} s, {len(r.log)} requests received)")
    elif r.rc is None:
        pass
    elif r.rc < 0:
        out.append(f"crashes (signal {-r.rc})")
    markers = [m.decode() for m in CRASH_MARKERS if m in r.err]
    if markers:
        out.append(f"crashes ({', '.join(markers)} on stderr)")
    # The contract.
    if not r.hung and r.rc is not None and r.rc >= 0:
        if r.rc == 0 and expect == "fail":
            out.append(f"exits 0 (accepts the misbehaviour; stderr: {last_line(r.err)[:160]!r})")
        if r.rc == 0 and expect == "warn" and not (normalized_lines(r.err) - normalized_lines(baseline or b"")):
            out.append("exits 0 with no warning on stderr")
        if r.rc != 0 and expect == "ok":
            out.append(f"fails (exit {r.rc}: {last_line(r.err)[:200]!r})")
        if r.rc != 0:
            line = last_line(r.err)
            if not line:
                out.append(f"exits {r.rc} with nothing on stderr")
            elif len(line) > 300:
                out.append(f"its error is not one clear line ({len(line)} characters)")
            elif len(re.sub(r"^pail:|\([^)]*\)", "", line).split()) < 3:
                out.append(f"its error says nothing ({line!r})")
    # What it did to the bucket, from the server's log.
    reads = spec.get("read", [PREFIX])
    writes = spec.get("write", [])
    copy_from = spec.get("copy_from", [])
    deleted = {}
    for e in r.log:
        key = e["key"]
        if e["delete_keys"] is not None:
            for k in e["delete_keys"]:
                deleted[k] = deleted.get(k, 0) + 1
                if not under(k, writes):
                    out.append(f"deletes {shown(k)!r} (outside its target)")
                elif k not in r.initial_keys:
                    out.append(f"deletes {shown(k)!r}, a key the server never had")
        if key is None:
            listed = e["query"].get("prefix", "").encode()
            if "list-type" in e["query"] and not (under(listed, reads) or any(p.startswith(listed) for p in reads)):
                out.append(f"lists {e['query'].get('prefix', '')!r} (outside its target)")
            continue
        is_write = e["method"] in ("PUT", "DELETE") or (e["method"] == "POST")
        if e["method"] == "DELETE" and "uploadId" not in e["query"]:
            deleted[key] = deleted.get(key, 0) + 1
        if is_write and not under(key, writes):
            out.append(f"{e['method']}s {shown(key)!r} (outside its target)")
        elif not is_write and (key not in reads if spec.get("exact") else not under(key, reads)):
            out.append(f"{e['method']}s {shown(key)!r} (outside its target)")
        elif key not in r.initial_keys and not under(key, writes):
            out.append(f"{e['method']}s {shown(key)!r}, a key the server never had")
        if e["copy_source"] is not None:
            sb, sk = e["copy_source"]
            if sb != BUCKET or not under(sk, copy_from):
                out.append(f"copies from {sb}/{shown(sk)!r} (outside its target)")
            elif sk not in r.initial_keys:
                out.append(f"copies from {shown(sk)!r}, a key the server never had")
            elif spec.get("self_copy") and sk != key:
                out.append(f"copies {shown(sk)!r} onto another key {shown(key)!r}")
    for k, n in deleted.items():
        if n > 1:
            out.append(f"deletes {shown(k)!r} {n} times")
    for k, (body, _) in OUTSIDE.items():
        obj = r.objects.get(k)
        if obj is None:
            out.append(f"{shown(k)} is gone")
        elif obj.body != body or obj.headers.get("Cache-Control") != "max-age=60":
            out.append(f"{shown(k)} was rewritten")
    if r.trap_log:
        out.append(f"follows the server to another host ({len(r.trap_log)} requests to the trap, "
                   f"first {r.trap_log[0]['method']} {r.trap_log[0]['path'][:80]})")
    # What it wrote locally.
    dest_prefix = DEST + os.sep
    for p in r.new_paths:
        if not (p.startswith(dest_prefix) or p.startswith("home" + os.sep)):
            out.append(f"writes {p!r} outside the destination folder")
    if r.rooted:
        out.append(f"writes {ROOTED} (a key joined as an absolute path)")
    for p in r.all_paths:
        if TEMP_NAME.search(os.path.basename(p)):
            out.append(f"leaves the temporary file {p!r}")
    if r.cmd in DOWNLOADS and r.rc == 0:
        for k, (body, _) in INSIDE.items():
            name = k[len(PREFIX):] if r.cmd == "cp-r-get" else k.rsplit(b"/", 1)[1]
            path = os.path.join(r.case, DEST, name.decode())
            if os.path.isfile(path) and open(path, "rb").read() != body:
                out.append(f"reports success but wrote {os.path.getsize(path)} wrong bytes for {shown(k)}")
    names = {os.path.basename(p) for p in r.new_paths if p.startswith(dest_prefix)}
    if names & {"important", "keep"}:
        out.append(f"downloads keys outside the prefix ({', '.join(sorted(names & {'important', 'keep'}))})")
    # What it printed.
    for stream, data, text_mode in (("stdout", r.out, not spec.get("json")), ("stderr", r.err, True)):
        bad = raw_controls(data, text_mode)
        if bad:
            out.append(f"writes raw control characters to {stream}: {', '.join(bad[:6])}")
    if r.mode == "wrong-prefix":
        for word in (b"important", b"2023-old", b"keep", b"etc/"):
            if word in r.out:
                out.append(f"prints {word.decode()!r}, outside the prefix, on stdout")
    if r.mode == "wrong-level" and r.cmd in ("ls", "du") and b"deeper" in r.out:
        out.append("prints a prefix not directly in the one listed")
    if r.mode == "bad-utf8" and r.cmd.startswith("rm") and "\ufffd".encode() in r.out:
        out.append("its delete plan holds a key it cannot represent (U+FFFD for %FF%FE)")
    if r.mode == "xml-xxe" and b"root:" in r.out + r.err:
        out.append("resolves an external entity (prints /etc/passwd)")
    if r.mode == "xml-entities" and b"lol" * 1000 in r.out + r.err:
        out.append("expands the entities (prints the billion laughs)")
    if r.mode == "redirect-permanent" and re.search(rb"endpoint-url\W+\S*attacker\.example", r.err):
        out.append("suggests --endpoint-url with the host a server named")
    if len(r.out) + len(r.err) > 1 << 20:
        out.append(f"prints {len(r.out) + len(r.err)} bytes")
    if r.mode == "honest" and not out:
        out += honest_problems(r)
    return out


def honest_problems(r):
    """Against a well-behaved server each subcommand does its job: the rig itself is right."""
    dest = os.path.join(r.case, DEST)
    out = []
    if r.cmd == "cp-r-get":
        got = sorted(p[len(DEST) + 1:] for p in r.new_paths if p.startswith(DEST + os.sep))
        want = sorted(k[len(PREFIX):].decode() for k in INSIDE)
        if got != want:
            out.append(f"downloads {got}, not {want}")
        for k, (body, _) in INSIDE.items():
            path = os.path.join(dest, k[len(PREFIX):].decode())
            if os.path.exists(path) and open(path, "rb").read() != body:
                out.append(f"downloads wrong bytes for {shown(k)}")
    if r.cmd == "cp-get" and open(os.path.join(dest, "a.jpg"), "rb").read() != INSIDE[b"media/2023/a.jpg"][0]:
        out.append("downloads wrong bytes")
    if r.cmd == "rm-yes" and any(k in r.objects for k in INSIDE):
        out.append("leaves objects it should have deleted")
    if r.cmd == "set-headers":
        for k in INSIDE:
            if r.objects[k].headers.get("Cache-Control") != "max-age=31536000":
                out.append(f"did not set Cache-Control on {shown(k)}")
    if r.cmd == "cp-s3":
        for k in INSIDE:
            if b"copy/" + k[len(PREFIX):] not in r.objects:
                out.append(f"did not copy {shown(k)}")
    if r.cmd == "cp-up":
        big = r.objects.get(b"media/2023/up/big.bin")
        if big is None or len(big.body) != UPLOAD_SIZE:
            out.append("did not upload big.bin whole")
    if r.cmd in ("ls-r", "ls-r-json", "headers-r", "rm-dry"):
        for k in INSIDE:
            if shown(k).encode() not in r.out and shown(k)[len("media/2023/"):].encode() not in r.out:
                out.append(f"does not show {shown(k)}")
    return out


@pytest.mark.parametrize("case", CASES, ids=[f"{m}-{c}" for m, c in CASES])
def test_hostile_server(case, runner):
    r = runner.result(case)
    mode, cmd = case
    baseline = runner.result(("honest", cmd)).err if mode != "honest" and cmd in MATRIX["honest"][0] else None
    problems = problems_of(r, baseline)
    if problems:
        pytest.fail(f"pail {' '.join(COMMANDS[r.cmd]['args'])} against mode {r.mode} "
                    f"(exit {r.rc}, {r.elapsed:.1f} s): " + "; ".join(dict.fromkeys(problems))
                    + f"\n  stderr: {r.err[-600:].decode('utf-8', 'backslashreplace')}", pytrace=False)


# ---------------------------------------------------------------- the rig itself

def test_control_endpoints_switch_modes_and_return_the_log(hostile_server):
    """The mode can be switched and the log read over HTTP, for runs outside pytest."""
    import json
    import urllib.request
    server = hostile_server("honest")
    req = urllib.request.Request(server.url + "/__mode?name=wrong-prefix", method="POST")
    assert urllib.request.urlopen(req, timeout=10).read() == b"ok\n"
    page = urllib.request.urlopen(server.url + "/b?list-type=2&prefix=media%2F2023%2F", timeout=10).read()
    assert b"etc/important" in page
    log = json.loads(urllib.request.urlopen(server.url + "/__log", timeout=10).read())
    assert [(e["method"], e["key"]) for e in log] == [("GET", None)]
    assert log[0]["query"]["prefix"] == "media/2023/"


def test_control_keys_are_listed_by_pail_exactly(hostile_server, tmp_path):
    """Control-character keys reach pail byte for byte (the server encodes them), so
    escaping, not loss, is what the matrix checks."""
    import json
    server = hostile_server("control-keys")
    proc = subprocess.run([PAIL_BIN, "ls", "--endpoint-url", server.url, "-r", "--json", TARGET],
                          capture_output=True, timeout=SHORT_BOUND, cwd=tmp_path,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "AWS_ACCESS_KEY_ID": "k",
                               "AWS_SECRET_ACCESS_KEY": "s", "AWS_EC2_METADATA_DISABLED": "true"})
    assert proc.returncode == 0, proc.stderr
    keys = {json.loads(line)["key"].encode() for line in proc.stdout.splitlines()}
    assert set(CONTROL_KEYS) <= keys
