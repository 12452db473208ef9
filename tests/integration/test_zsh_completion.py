"""Issue 15: live s3:// completion in zsh for every command's targets, not only the browser's:
an interactive zsh in tmux with the `_pail` that `make install` installs (scripts/completions.sh)
and `compinit`, Tab pressed against SeaweedFS."""
import os
import shutil
import subprocess

import pytest

from conftest import PAIL_BIN, ROOT
from tmux_harness import TmuxSession

pytestmark = pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed (make system-deps)")


@pytest.fixture
def zsh(pail, tmp_path):
    """A function that opens an interactive zsh whose prompt is `% ` (extra: more environment)."""
    share = tmp_path / "share"
    subprocess.run([os.path.join(ROOT, "scripts", "completions.sh"), PAIL_BIN, str(share)], check=True)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pail").symlink_to(os.path.abspath(PAIL_BIN))
    home = tmp_path / "home"
    home.mkdir()
    # What a person's .zshrc has; -D: no dump file, so the completion is read from the file.
    (home / ".zshrc").write_text(f"fpath=({share}/zsh/site-functions $fpath)\n"
                                 "autoload -U compinit && compinit -u -D\nPS1='%% '\n")

    def start(extra=None):
        env = dict(pail.env, HOME=str(home), ZDOTDIR=str(home), PATH=f"{bin_dir}:{pail.env['PATH']}",
                   PAIL_CONFIG=str(tmp_path / "pail-config"), **(extra or {}))
        session = TmuxSession(["zsh", "-i"], env, 160, 30, count_keys=False)
        session.wait_for(lambda s: s.rstrip().endswith("%"), what="the zsh prompt")
        return session
    return start


def complete(session, typed):
    """Types `typed`, presses Tab and returns the prompt's line once the completion has changed it,
    up to the cursor (so a space the completion added is seen: tmux drops trailing blanks)."""
    session.send("C-u")
    session.type(typed)
    session.wait_for(lambda s: any(line.startswith("% " + typed) for line in s.splitlines()), what=typed)
    session.send("Tab")
    # The line changed, and the same on two captures in a row: tmux may capture zsh's redraw of
    # the line half written.
    previous = [None]

    def changed(screen):
        lines = [line for line in screen.splitlines() if line.startswith("% ")]
        last = lines[-1].rstrip() if lines else None
        settled, previous[0] = last == previous[0], last
        return last is not None and last != "% " + typed and settled
    screen = session.wait_for(changed, what=f"the completion of {typed!r}")
    line = [line for line in screen.splitlines() if line.startswith("% ")][-1]
    cursor = int(session.tmux("display-message", "-p", "-t", "main", "#{cursor_x}").stdout)
    return line.ljust(cursor)[2:cursor]


def test_zsh_completes_s3_targets_of_every_command(pail, s3, bucket, zsh):
    for key in ["static/app.css", "static/site.js", "media/a.jpg", "index.html"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    with zsh({"AWS_ENDPOINT_URL": pail.endpoint}) as t:
        # A prefix completes without a space after it, so its keys can follow; a key with one.
        assert complete(t, f"pail cp s3://{bucket}/st") == f"pail cp s3://{bucket}/static/"
        assert complete(t, f"pail cp ./x s3://{bucket}/static/a") == f"pail cp ./x s3://{bucket}/static/app.css "
        assert complete(t, f"pail rm -r s3://{bucket}/me") == f"pail rm -r s3://{bucket}/media/"
        assert complete(t, f"pail set-headers s3://{bucket}/in") == f"pail set-headers s3://{bucket}/index.html "
        assert complete(t, f"pail s3://{bucket}/st") == f"pail s3://{bucket}/static/"
        # Bucket names, and argument-parser's own completion of options and subcommands.
        assert complete(t, f"pail du s3://{bucket[:-2]}") == f"pail du s3://{bucket}/"
        assert complete(t, "pail set-hea") == "pail set-headers "
        # (argument-parser's zsh script lists a lone option with its help rather than insert it)
        t.send("C-u")
        t.type("pail cp --gzi")
        t.send("Tab")
        t.wait_for("--gzip  -- Compress text types")


def test_zsh_reads_the_endpoint_from_the_command_line(pail, s3, bucket, zsh):
    s3.put_object(Bucket=bucket, Key="static/app.css", Body=b"x")
    with zsh() as t:
        typed = f"pail ls --endpoint-url {pail.endpoint} s3://{bucket}/st"
        assert complete(t, typed) == typed[:-2] + "static/"
