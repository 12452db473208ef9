"""Keys typed ahead of a jump, against the real server: `g static/css/` Enter `j` sent in one
burst ends one row below the jump's target, as a person typing them means."""
from conftest import PAIL_BIN
from tmux_harness import TmuxSession


def open_pail(pail, target, tmp_path, width=120, height=40):
    env = dict(pail.env, XDG_STATE_HOME=str(tmp_path / "state"), HOME=str(tmp_path))
    return TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, target], env, width, height)


def delete_box(screen):
    return screen.split("Delete from")[1].split("└")[0]


def test_a_key_sent_with_a_jump_in_one_burst_moves_from_the_jump_target(pail, s3, bucket, tmp_path):
    for k in ["robots.txt", "static/css/a.css", "static/css/b.css", "static/js/app.js"]:
        s3.put_object(Bucket=bucket, Key=k, Body=b"x", ContentType="text/css")
    with open_pail(pail, f"s3://{bucket}/", tmp_path) as t:
        t.wait_for("static/")
        t.wait_idle()
        # One send-keys: pail reads j before static/ and static/css/ are listed.
        t.send("g", "static/css/", "Enter", "j")
        t.wait_for("a.css")
        t.wait_idle()
        # The details pane is about the object under the cursor, and gets its answer.
        t.wait_for(f"s3://{bucket}/static/css/a.css")
        t.wait_for(lambda s: "text/css" in s and "loading headers" not in s, what="a.css's headers")
        # The cursor is on a.css, one row below css/ (d names what the cursor is on).
        t.send("d")
        box = delete_box(t.wait_for("Delete from s3://"))
        assert "a.css" in box and "css/ " not in box and "b.css" not in box, box
        t.send("n")
        t.wait_for("nothing deleted")
        t.send("q")
        t.wait_for("EXITED 0")
