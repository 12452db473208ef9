"""The tmux harness itself, against a stand-in for pail that draws a frame in two writes (its
title, then its rows, as tmux may take a frame of curses' output): a wait for the title
alone sees a frame half drawn; waiting for the whole predicate does not, and a value that
never comes times out naming what was missing."""
import sys

import pytest

from tmux_harness import TmuxSession

# The title first ([idle], the keys read), the rows once the test says so (a file appears):
# what a capture between two of tmux's reads of one frame looks like, held as long as needed.
# Then it waits for a key, counts it, and draws again.
HALF_DRAWN = r"""
import os, sys, time, tty
tty.setcbreak(sys.stdin.fileno())
sys.stdout.write("\x1b[2J\x1b[H pail  s3://site/  [idle] keys:0\n")
sys.stdout.flush()
while not os.path.exists(sys.argv[1]):
    time.sleep(0.05)
sys.stdout.write(" ▸ media/\n robots.txt\n")
sys.stdout.flush()
sys.stdin.read(1)
sys.stdout.write("\x1b[H pail  s3://site/  [idle] keys:1\n")
sys.stdout.flush()
time.sleep(60)
"""


@pytest.fixture
def half_drawn(tmp_path):
    script = tmp_path / "half_drawn.py"
    script.write_text(HALF_DRAWN)
    rows = tmp_path / "rows"
    with TmuxSession([sys.executable, str(script), str(rows)], {}, 60, 10) as t:
        yield t, rows


def test_wait_idle_until_waits_for_the_rows_below_the_title(half_drawn):
    t, rows = half_drawn
    # The pattern the tests no longer use: the first [idle] frame, asserted on at once.
    screen = t.wait_idle()
    assert "[idle]" in screen and "robots.txt" not in screen, screen
    rows.touch()
    screen = t.wait_idle(until=["▸ media/", "robots.txt"])
    assert "robots.txt" in screen


def test_a_value_that_never_comes_times_out_saying_what_was_missing(half_drawn):
    t, rows = half_drawn
    with pytest.raises(AssertionError, match=r"\['robots.txt'\] missing"):
        t.wait_for(["pail  s3://site/", "robots.txt"], timeout=2)
    with pytest.raises(AssertionError, match=r"with the rows \(\['robots.txt'\] missing\)"):
        t.wait_idle(timeout=2, until="robots.txt", what="the rows")
    with pytest.raises(AssertionError, match=r"the \[idle\] marker after 0 keys with all of"):
        t.wait_idle(timeout=2, until=["▸ media/"])


def test_wait_idle_waits_for_the_keys_sent(half_drawn):
    t, rows = half_drawn
    rows.touch()
    t.wait_idle(until="robots.txt")
    t.send("j")
    # keys:0 stays up until the stand-in has read the key.
    assert "keys:1" in t.wait_idle()
