"""Issue 15 in the browser: P switches between two profiles (SeaweedFS and moto, each with its
own keys) without quitting, and m a / ' a save a place and go back to it."""
from conftest import PAIL_BIN
from tmux_harness import TmuxSession


def test_p_switches_profiles_and_bookmarks_return_to_a_place(pail, moto_pail, s3, bucket, moto_s3, moto_bucket,
                                                              tmp_path):
    s3.put_object(Bucket=bucket, Key="weed-only.txt", Body=b"x")
    moto_s3.put_object(Bucket=moto_bucket, Key="docs/report.txt", Body=b"moto")
    aws = tmp_path / "aws"
    aws.mkdir()
    (aws / "config").write_text(
        f"[profile weed]\nendpoint_url = {pail.endpoint}\nregion = us-east-1\n"
        f"aws_access_key_id = {pail.env['AWS_ACCESS_KEY_ID']}\n"
        f"aws_secret_access_key = {pail.env['AWS_SECRET_ACCESS_KEY']}\n"
        f"\n[profile moto]\nendpoint_url = {moto_pail.endpoint}\nregion = us-east-1\n"
        "aws_access_key_id = testing\naws_secret_access_key = testing\n")
    config = tmp_path / "pail" / "config"
    env = dict(pail.env, AWS_CONFIG_FILE=str(aws / "config"), AWS_SHARED_CREDENTIALS_FILE=str(aws / "credentials"),
               PAIL_CONFIG=str(config))
    # The profile's own keys, not the environment's.
    del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
    # Opened in the bucket: a long run's bucket list does not fit the screen.
    with TmuxSession([PAIL_BIN, "--profile", "weed", f"s3://{bucket}/"], env, 120, 40) as t:
        t.wait_for("weed-only.txt")
        # Each screen waited for whole, not asserted on the first [idle] frame: tmux may capture a
        # frame half drawn (the title drawn, the rows not yet, or still the old ones).
        screen = t.wait_idle(until=lambda s: "[weed]" in s.split("\n", 1)[0] and bucket in s and "weed-only.txt" in s,
                             what="the weed profile's bucket")
        assert moto_bucket not in screen

        t.send("P")
        t.wait_idle(until=["Profiles", "moto", "* weed", moto_pail.endpoint])
        # moto is listed first (by name); the cursor starts on the profile in use.
        t.send("k")
        t.send("Enter")
        t.wait_for(lambda s: "[moto]" in s.split("\n", 1)[0], what="the moto profile in the title")
        t.wait_for("now using profile moto")
        # The tree starts over at moto's bucket list (which may not fit the screen either).
        t.wait_idle(until=lambda s: "weed-only.txt" not in s and bucket not in s and "Profiles" not in s,
                    what="moto's bucket list, nothing of weed's")

        # A place in the moto bucket, bookmarked as a.
        t.send("g")
        t.type(f"s3://{moto_bucket}/docs/")
        t.send("Enter")
        t.wait_for("report.txt")
        t.wait_idle(until=lambda s: f"s3://{moto_bucket}/docs/" in s.split("\n", 1)[0], what="docs/ in the title")
        t.send("m")
        t.send("a")
        screen = t.wait_for("bookmark a saved")
        assert f"a = s3://{moto_bucket}/docs/" in config.read_text()
        # Away (docs/ closed: the bucket's top), then back with ' a.
        t.send("h")
        t.wait_idle(until=lambda s: f"s3://{moto_bucket}/docs/" not in s.split("\n", 1)[0], what="docs/ left")
        t.send("'")
        t.send("a")
        t.wait_idle(until=lambda s: f"s3://{moto_bucket}/docs/" in s.split("\n", 1)[0], what="back in docs/")
        # ' and a letter no bookmark has: which there are.
        t.send("'")
        t.send("z")
        t.wait_for(["no bookmark z", "(bookmarks: a)"])
        t.send("q")
        t.wait_for("EXITED 0")


def test_a_wrong_keys_line_stops_pail_before_the_terminal_is_taken(pail, tmp_path):
    config = tmp_path / "config"
    config.write_text("[keys]\ndelete = x\nerase = y\n")
    proc = pail.run(check=False, env={"PAIL_CONFIG": str(config)})
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert err.startswith(f"pail: {config}:3: [keys] unknown action \"erase\"; actions are "), err
    assert err.count("\n") == 1
    config.write_text("[keys]\ndelete = j\n")
    proc = pail.run(check=False, env={"PAIL_CONFIG": str(config)})
    assert proc.returncode == 1 and f"{config}:2: [keys] \"j\" is bound to both " in proc.stderr.decode()
    # A remap in the terminal: x deletes (asks first), d no longer does.
    config.write_text("[keys]\ndelete = x\n")
    with TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint], dict(pail.env, PAIL_CONFIG=str(config)),
                     120, 40) as t:
        t.wait_idle()
        t.send("?")
        t.wait_for(lambda s: "Tree keys" in s and any(line.strip().startswith("x ") and "Delete the marked" in line
                                                       for line in s.split("\n")), what="x deleting in the help")
        t.send("Escape")
        t.send("q")
        t.wait_for("EXITED 0")
