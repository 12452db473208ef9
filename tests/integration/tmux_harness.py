"""Drive the real pail binary in tmux, as a person would (after junegunn/fzf's test/lib).

Each session runs on its own tmux server socket, is killed however the test ends, and
prints its screen when a wait times out.

Right after a key is sent, the screen may still be the frame drawn before pail read it,
`[idle]` included. So pail runs with PAIL_TEST_INPUT_COUNT=1, which puts `keys:N` (the keys
it has read) in its title bar; the session counts the keys it sends while pail is in front
(a shell's keys, before pail starts or while it is suspended, are not pail's), and
`wait_idle()` waits for a frame that has seen all of them and is idle.
"""
import os
import re
import shlex
import subprocess
import time
import uuid


# tmux key names that send one key (Enter, C-u, F1, ...); any other string is sent as its
# characters. M- sends Escape first: two keys for curses.
KEY_NAME = re.compile(r"^(C-|S-)*(.|Enter|Escape|Space|Tab|BTab|BSpace|Up|Down|Left|Right|Home|End|PageUp|PageDown"
                      r"|PgUp|PgDn|PPage|NPage|DC|IC|F[0-9]{1,2})$")
TITLE_KEYS = re.compile(r"keys:(\d+)")


def keys_in(name):
    if name.startswith("M-"):
        return 1 + keys_in(name[2:])
    return 1 if KEY_NAME.match(name) else len(name)


class _Lazy:
    """A description worked out when a wait times out (from the last screen seen)."""

    def __init__(self, make):
        self.make = make

    def __str__(self):
        return self.make()


class TmuxSession:
    def __init__(self, argv, env, width=120, height=40, count_keys=True, keep_tmux=False):
        self.socket = f"pail-test-{uuid.uuid4().hex[:8]}"
        self.width, self.height = width, height
        self.count_keys = count_keys
        self.keys_sent = 0
        if count_keys:
            env = dict(env, PAIL_TEST_INPUT_COUNT="1")
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # After pail exits, print its status: tests check the exit code and that the
        # terminal came back (the marker is drawn by the shell, not by curses).
        # TERM stays tmux's own, so curses decodes the keys tmux sends.
        # keep_tmux: pail sees $TMUX, as it would in a person's tmux (it then asks tmux things).
        if keep_tmux:
            assignments = 'TMUX="$TMUX" ' + assignments
        command = (f"env -i TERM=\"$TERM\" {assignments} {' '.join(shlex.quote(a) for a in argv)}; "
                   "echo \"EXITED $?\"; sleep 30")
        self.tmux("new-session", "-d", "-s", "main", "-x", str(width), "-y", str(height), command)
        self.tmux("set-option", "-g", "status", "off")

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True,
                              text=True, check=check)

    def send(self, *keys, literal=False):
        args = ["send-keys", "-t", "main"] + (["-l"] if literal else []) + list(keys)
        if self.count_keys and TITLE_KEYS.search(self.screen().split("\n", 1)[0]):
            self.keys_sent += sum(len(k) if literal else keys_in(k) for k in keys)
        self.tmux(*args)

    def type(self, text):
        self.send(text, literal=True)

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", "main").stdout

    def lines(self):
        return self.screen().split("\n")

    def wait_for(self, predicate, timeout=15, what=None):
        """Polls the screen until predicate(screen) holds: a string means it appears, a list or
        tuple of strings that all of them appear on the same screen.

        tmux may capture a frame half drawn (the title drawn, the rows below not yet), so wait
        for everything a test then checks, not for one part of it and assert on the rest."""
        if isinstance(predicate, str):
            check = lambda s: predicate in s  # noqa: E731
        elif isinstance(predicate, (list, tuple)):
            check = lambda s: all(p in s for p in predicate)  # noqa: E731
        else:
            check = predicate
        deadline = time.time() + timeout
        screen = ""
        while time.time() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.05)
        if isinstance(predicate, (list, tuple)):
            missing = [p for p in predicate if p not in screen]
            what = f"{what or 'all of ' + repr(list(predicate))} ({missing!r} missing)"
        raise AssertionError(f"timed out waiting for {what or repr(predicate)}; screen was:\n{screen}")

    def wait_idle(self, timeout=15, until=None, what=None):
        """Waits for the idle marker in the title bar of a frame drawn after pail read every key
        sent so far: every background call, including those the keys started, has answered.
        `until` (as wait_for's predicate) must hold on that same screen: the title is drawn
        first, so [idle] alone does not say the rows below it are drawn yet."""
        if isinstance(until, str):
            until = [until]
        texts = until if isinstance(until, (list, tuple)) else []
        if texts:
            until = lambda s: all(p in s for p in texts)  # noqa: E731
            what = what or f"all of {list(texts)!r}"
        last = [""]

        def idle(screen):
            last[0] = screen
            title = screen.split("\n", 1)[0]
            if "[idle]" not in title:
                return False
            if until is not None and not until(screen):
                return False
            if not self.count_keys:
                return True
            seen = TITLE_KEYS.search(title)
            return seen is not None and int(seen.group(1)) >= self.keys_sent
        also = f" with {what or 'the screen asked for'}" if until is not None else ""
        missing = lambda: [p for p in texts if p not in last[0]]  # noqa: E731
        return self.wait_for(idle, timeout, _Lazy(lambda: f"the [idle] marker after {self.keys_sent} keys{also}"
                                                  + (f" ({missing()!r} missing)" if missing() else "")))

    def pane_pid(self):
        """The pid of the shell running pail in the pane."""
        return int(self.tmux("display-message", "-p", "-t", "main", "#{pane_pid}").stdout.strip())

    def alternate_screen(self):
        """Whether the pane shows the alternate screen (curses is still in charge of it)."""
        return self.tmux("display-message", "-p", "-t", "main", "#{alternate_on}").stdout.strip() == "1"

    def resize(self, width, height):
        self.width, self.height = width, height
        self.tmux("resize-window", "-t", "main", "-x", str(width), "-y", str(height))

    def close(self):
        self.tmux("kill-server", check=False)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
