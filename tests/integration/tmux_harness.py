"""Drive the real pail binary in tmux, as a person would (after junegunn/fzf's test/lib).

Each session runs on its own tmux server socket, is killed however the test ends, and
prints its screen when a wait times out.
"""
import os
import shlex
import subprocess
import time
import uuid


class TmuxSession:
    def __init__(self, argv, env, width=120, height=40):
        self.socket = f"pail-test-{uuid.uuid4().hex[:8]}"
        self.width, self.height = width, height
        assignments = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # After pail exits, print its status: tests check the exit code and that the
        # terminal came back (the marker is drawn by the shell, not by curses).
        # TERM stays tmux's own, so curses decodes the keys tmux sends.
        command = f"env -i TERM=\"$TERM\" {assignments} {' '.join(shlex.quote(a) for a in argv)}; echo \"EXITED $?\"; sleep 30"
        self.tmux("new-session", "-d", "-s", "main", "-x", str(width), "-y", str(height), command)
        self.tmux("set-option", "-g", "status", "off")

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True,
                              text=True, check=check)

    def send(self, *keys, literal=False):
        args = ["send-keys", "-t", "main"] + (["-l"] if literal else []) + list(keys)
        self.tmux(*args)

    def type(self, text):
        self.send(text, literal=True)

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", "main").stdout

    def lines(self):
        return self.screen().split("\n")

    def wait_for(self, predicate, timeout=15, what=None):
        """Polls the screen until predicate(screen) holds (a string means: appears)."""
        check = (lambda s: predicate in s) if isinstance(predicate, str) else predicate
        deadline = time.time() + timeout
        screen = ""
        while time.time() < deadline:
            screen = self.screen()
            if check(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what or predicate!r}; screen was:\n{screen}")

    def wait_idle(self, timeout=15):
        """Waits for the idle marker in the title bar: every background call has answered."""
        return self.wait_for(lambda s: "[idle]" in s.split("\n", 1)[0], timeout, "the [idle] marker")

    def resize(self, width, height):
        self.width, self.height = width, height
        self.tmux("resize-window", "-t", "main", "-x", str(width), "-y", str(height))

    def close(self):
        self.tmux("kill-server", check=False)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
