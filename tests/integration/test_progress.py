"""Issue 15: long listings show a live count on stderr when it is a terminal, never on a pipe.

stderr goes to a pseudo-terminal (python's pty module), stdout to a pipe, as in
`pail find ... > keys.txt` run by a person; then both to pipes, as in a script.
"""
import os
import pty
import re
import select
import subprocess

import pytest

from conftest import PAIL_BIN, put_many_keys

ERASE = "\r\x1b[K"
COUNT = re.compile(r"(listed|scanned|read the headers of) \d+ objects?, .*/s")


def run_with_terminal_stderr(pail, argv):
    """Runs pail with stderr on a pty; returns (exit status, stdout, what the terminal got)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([PAIL_BIN, argv[0], "--endpoint-url", pail.endpoint, *argv[1:]], env=pail.env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    got = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not chunk:
            break
        got += chunk
    out = proc.stdout.read()
    proc.wait(60)
    os.close(master)
    return proc.returncode, out.decode(), got.decode(errors="replace")


COMMANDS = [
    (["du", "{b}/"], "listed"),
    (["find", "{b}/", "--name", "*.txt"], "scanned"),
    (["dupes", "{b}/"], "scanned"),
    (["headers", "-r", "{b}/"], "read the headers of"),
    (["rm", "-r", "--dry-run", "{b}/many/"], "listed"),
    (["set-headers", "-r", "--dry-run", "--cache-control", "no-cache", "{b}/many/"], "listed"),
]


@pytest.fixture
def many(s3, bucket):
    put_many_keys(s3, bucket, [f"many/{i:03}.txt" for i in range(120)])
    return bucket


@pytest.mark.parametrize("argv,verb", COMMANDS, ids=[c[0][0] + ("-r" if "-r" in c[0] else "") for c in COMMANDS])
def test_a_terminal_sees_a_live_count_that_is_erased_at_the_end(pail, many, argv, verb):
    argv = [a.replace("{b}", f"s3://{many}") for a in argv]
    status, out, tty = run_with_terminal_stderr(pail, argv)
    assert status == 0, tty
    assert f"{verb} " in tty and " objects, " in tty and "/s" in tty, repr(tty)
    # The last count drawn is erased: the terminal ends on the command's own lines.
    last = tty.rfind(f"{verb} ")
    assert ERASE in tty[last:], repr(tty[last:])
    assert not COUNT.search(out) and "\r" not in out, "stdout never gets the count"


@pytest.mark.parametrize("argv,verb", COMMANDS, ids=[c[0][0] + ("-r" if "-r" in c[0] else "") for c in COMMANDS])
def test_a_pipe_sees_no_count(pail, many, argv, verb):
    argv = [a.replace("{b}", f"s3://{many}") for a in argv]
    proc = pail.run(*argv)
    err, out = proc.stderr.decode(), proc.stdout.decode()
    assert "\r" not in err and "\x1b" not in err and not COUNT.search(err), repr(err)
    assert "\r" not in out
