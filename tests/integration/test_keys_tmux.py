"""Issue 15: `[keys]` of pail's file moves the keys of every page, not only the tree's:
`page.action = key` for a page's action, read back from the screen of the real browser."""
from conftest import PAIL_BIN
from tmux_harness import TmuxSession


def test_a_preview_key_moved_in_keys_scrolls_and_help_and_footer_show_it(pail, s3, bucket, tmp_path):
    body = "".join(f"line {i:03d}\n" for i in range(1, 200)).encode()
    s3.put_object(Bucket=bucket, Key="notes/long.txt", Body=body, ContentType="text/plain")
    config = tmp_path / "config"
    config.write_text("[keys]\npreview.down = n\ndelete = x\n")
    env = dict(pail.env, PAIL_CONFIG=str(config))
    with TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, f"s3://{bucket}/notes/"], env, 120, 40) as t:
        t.wait_for("long.txt")
        # The tree's own remap still holds (the file's lines without a page are the tree's).
        t.wait_idle(until=lambda s: "x delete" in "".join(s.split("\n")[-2:]), what="x delete in the footer")
        t.send("j")
        t.send("p")
        def footer(s):
            return ([line for line in s.rstrip("\n").split("\n") if line.strip()] or [""])[-1]
        # The footer is the last line drawn: waited for with the preview's first line.
        t.wait_for(lambda s: "line 001" in s and "n scroll" in footer(s) and "↑↓ PgUp PgDn" not in footer(s),
                   what="the preview, n scroll in its footer")
        # n scrolls the preview now.
        t.send("n")
        screen = t.wait_for(lambda s: "line 001" not in s and "line 002" in s, what="the preview one line down")
        # The preview's help names n for scrolling down, and j no more.
        t.send("?")
        screen = t.wait_for(lambda s: "Preview keys" in s
                            and any(line.strip().startswith("n ") and "Scroll down" in line for line in s.split("\n")),
                            what="the preview's help, n scrolling down")
        lines = screen.split("\n")
        assert not any("j" in line.split("Scroll down")[0] for line in lines if "Scroll down" in line), screen
        t.send("Escape")
        t.wait_for("line 002")
        # j is any other key on the preview now: it closes it instead of scrolling.
        t.send("j")
        t.wait_for(lambda s: "line 00" not in s and "long.txt" in s, what="the tree again")
        t.send("q")
        t.wait_for("EXITED 0")


def test_a_wrong_page_line_stops_pail_with_one_line(pail, tmp_path):
    config = tmp_path / "config"
    config.write_text("[keys]\npreview.down = n\npreview.up = n\n")
    proc = pail.run(check=False, env={"PAIL_CONFIG": str(config)})
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert err == (f"pail: {config}:3: [keys] \"n\" is bound to both preview.down and preview.up "
                   "on the Preview page\n"), err
    config.write_text("[keys]\nreport.invalidate = I\n")
    proc = pail.run(check=False, env={"PAIL_CONFIG": str(config)})
    err = proc.stderr.decode()
    assert proc.returncode == 1 and err.count("\n") == 1, err
    assert f"{config}:2: [keys] unknown action \"report.invalidate\"; the Report page's actions are " in err, err
