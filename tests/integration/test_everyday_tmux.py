"""Issue 17, the everyday path, against the real server: where the next key lands after a
relisting, prompts that show what is typed at 80 columns, edits checked before they are sent."""
from conftest import PAIL_BIN, new_bucket_name
from tmux_harness import TmuxSession


def open_pail(pail, target, tmp_path, width=120, height=40):
    env = dict(pail.env, XDG_STATE_HOME=str(tmp_path / "state"), HOME=str(tmp_path))
    return TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, target], env, width, height)


def delete_box(screen):
    return screen.split("Delete from")[1].split("└")[0]


def test_after_a_delete_the_cursor_stays_on_its_entry(pail, s3, bucket, tmp_path):
    for k in ["photos/05/x.jpg", "photos/p-001.jpg", "photos/p-002.jpg", "photos/p-003.jpg", "photos/p-004.jpg"]:
        s3.put_object(Bucket=bucket, Key=k, Body=b"12345")
    with open_pail(pail, f"s3://{bucket}/photos/", tmp_path) as t:
        t.wait_idle()
        t.send("j")      # 05/
        t.send("j")      # p-001
        t.send("j")      # p-002
        t.send("Space")  # mark p-002, cursor to p-003
        t.wait_for("1 marked")
        t.send("d")
        t.wait_for("Delete from s3://")
        t.send("y")
        t.wait_for("deleted 1 of 1")
        t.wait_idle()
        t.send("Escape")
        t.wait_for(lambda s: "p-002" not in s, what="the level listed again")
        t.wait_idle()
        # The next d is about the entry the cursor was on, not the one at its old row number.
        t.send("d")
        box = delete_box(t.wait_for("Delete from s3://"))
        assert "p-003.jpg" in box and "p-004" not in box and "05/" not in box
        assert "1 object, 5 B" in box and "gone for good" in box
        t.send("n")
        t.wait_for("nothing deleted")
        # Now the cursor's own entry goes: the next one takes its place.
        t.send("d")
        t.wait_for("Delete from s3://")
        t.send("y")
        t.wait_for("deleted 1 of 1")
        t.wait_idle()
        t.send("Escape")
        t.wait_for(lambda s: "p-003" not in s, what="the level listed again")
        t.wait_idle()
        t.send("d")
        box = delete_box(t.wait_for("Delete from s3://"))
        assert "p-004.jpg" in box
        t.send("n")
        t.send("q")
        t.wait_for("EXITED 0")
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))
    assert keys == ["photos/05/x.jpg", "photos/p-001.jpg", "photos/p-004.jpg"]


def test_the_typed_confirmation_is_visible_at_80_columns(pail, s3, bucket, tmp_path):
    prefix = "static/admin/fonts-and-other-things-with-a-long-name/"
    s3.put_object(Bucket=bucket, Key=prefix + "a.woff", Body=b"x")
    s3.put_object(Bucket=bucket, Key=prefix + "b.woff", Body=b"x")
    with open_pail(pail, f"s3://{bucket}/static/admin/", tmp_path, width=80, height=24) as t:
        t.wait_idle()
        t.send("j")  # the long prefix
        t.send("d")
        word = f"s3://{bucket}/{prefix}"
        screen = t.wait_for("Delete from s3://")
        box = "".join(line.strip("│ ") for line in delete_box(screen).split("\n"))
        assert word in box, screen
        t.type(word[:-7])
        t.send("Left")
        t.send("Left")
        t.type("ZZ")
        screen = t.wait_idle()
        # What is typed shows, scrolled, with the cursor after the inserted text.
        assert "ZZ" in screen and "▏" in screen.split("ZZ")[1][:3], screen
        t.send("Escape")
        t.wait_for("nothing deleted")
        t.send("q")
        t.wait_for("EXITED 0")


def test_h_goes_up_from_a_bucket_opened_at_a_prefix_to_the_bucket_list(pail, s3, bucket, tmp_path):
    # Named to sort right after `bucket`, so it is not on the first screen of its tree.
    other = bucket + "-other"
    s3.create_bucket(Bucket=other)
    s3.put_object(Bucket=bucket, Key="static/site.css", Body=b"x")
    s3.put_object(Bucket=bucket, Key="media/a.jpg", Body=b"x")
    with open_pail(pail, f"s3://{bucket}/static/", tmp_path) as t:
        t.wait_idle()
        assert other not in t.screen()
        t.send("h")  # collapses static/
        t.send("h")  # the bucket's top: up to the bucket list
        screen = t.wait_idle()
        # The bucket list, with the cursor on the bucket: other buckets' rows are in view
        # (above it in a long run's list, or `other` below it), and the title left static/.
        title = screen.splitlines()[0]
        assert f"s3://{bucket}/" in title and "static/" not in title, screen
        rows = [line for line in screen.splitlines()[1:] if "▸ pail-" in line and bucket + " " not in line]
        assert rows, screen
        t.send("q")
        t.wait_for("EXITED 0")


def test_a_bad_cache_control_is_refused_with_its_column(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="static/app.js", Body=b"x", CacheControl="max-age=60",
                  ContentType="text/javascript")
    with open_pail(pail, f"s3://{bucket}/static/app.js", tmp_path) as t:
        t.wait_idle()
        t.send("e")
        t.wait_for("Edit headers of")
        t.type("max-age=3153600O")
        t.send("Enter")
        screen = t.wait_for("at column 16")
        assert "Edit headers of" in screen and "max-age=3153600O" in screen
        t.send("Escape")
        t.send("q")
        t.wait_for("EXITED 0")
    assert s3.head_object(Bucket=bucket, Key="static/app.js")["CacheControl"] == "max-age=60"

    # The same check in set-headers, before anything is read or sent.
    proc = pail.run("set-headers", "--cache-control", "max-age=3153600O", "--yes", f"s3://{bucket}/static/app.js",
                    check=False)
    err = proc.stderr.decode()
    assert proc.returncode != 0 and "at column 16" in err and len(err.strip().splitlines()) == 1, err
    proc = pail.run("set-headers", "--cache-control", "no-store, max-age=60", "--yes", f"s3://{bucket}/static/app.js",
                    check=False)
    assert proc.returncode != 0 and "no-store contradicts max-age at column 11" in proc.stderr.decode()
    # A type that does not match the extension needs --allow-type-mismatch.
    proc = pail.run("set-headers", "--content-type", "image/png", "--yes", f"s3://{bucket}/static/app.js", check=False)
    err = proc.stderr.decode()
    assert proc.returncode != 0 and "--allow-type-mismatch" in err and "text/javascript" in err, err
    assert s3.head_object(Bucket=bucket, Key="static/app.js")["ContentType"] == "text/javascript"
    pail.run("set-headers", "--content-type", "image/png", "--allow-type-mismatch", "--yes",
             f"s3://{bucket}/static/app.js")
    assert s3.head_object(Bucket=bucket, Key="static/app.js")["ContentType"] == "image/png"


def test_the_delete_confirmation_says_whether_versioning_keeps_the_data(pail, s3, bucket, tmp_path):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"x")
    with open_pail(pail, f"s3://{bucket}/a.txt", tmp_path) as t:
        t.wait_idle()
        t.send("d")
        box = delete_box(t.wait_for("Delete from s3://"))
        assert "delete markers" in box and "gone for good" not in box, box
        t.send("n")
        t.wait_for("nothing deleted")
        t.send("q")
        t.wait_for("EXITED 0")


def test_with_tmux_set_clipboard_off_pail_says_how_to_enable_it_instead_of_copied(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="page.html", Body=b"x")
    env = dict(pail.env, XDG_STATE_HOME=str(tmp_path / "state"), HOME=str(tmp_path))
    with TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, f"s3://{bucket}/"], env, 120, 40,
                     keep_tmux=True) as t:
        t.tmux("set-option", "-g", "set-clipboard", "off")
        t.wait_idle()
        t.send("y")
        t.wait_for("Copy a URL of")
        t.wait_idle()
        t.send("1")  # the s3:// form
        screen = t.wait_for("not copied")
        assert "set-clipboard is not on" in screen and "tmux set -g set-clipboard on" in screen, screen
        assert "copied (OSC 52" not in screen, screen
        # Turned on as the message says: the next copy reaches tmux's buffer, and says so.
        t.tmux("set-option", "-g", "set-clipboard", "on")
        t.send("y")
        t.wait_for("Copy a URL of")
        t.wait_idle()
        t.send("1")
        t.wait_for("copied (OSC 52)")
        assert t.tmux("show-buffer").stdout == f"s3://{bucket}/page.html"
        t.send("q")
        t.wait_for("EXITED 0")


def test_keys_typed_ahead_do_not_answer_the_overwrite_question_that_opened_after_them(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"new")
    dest = tmp_path / "dl"
    dest.mkdir()
    (dest / "a.txt").write_bytes(b"old")
    with open_pail(pail, f"s3://{bucket}/", tmp_path) as t:
        t.wait_idle()
        t.send("D")
        t.wait_for("to folder:")
        t.type(str(dest))
        # Enter and "o" (overwrite all) in one write, as fast typing sends them: the question
        # opens only once the server answered, after "o" was read (by the tree, or dropped
        # if the question opened but was not drawn yet), so "o" is not its answer.
        t.send("Enter", "o")
        t.wait_for("1 file exists")
        screen = t.wait_idle()
        assert "o overwrite all  s skip existing  Esc cancel" in screen, screen
        assert (dest / "a.txt").read_bytes() == b"old"
        t.send("Escape")
        t.wait_for("download cancelled")
        assert (dest / "a.txt").read_bytes() == b"old"
        t.send("q")
        t.wait_for("EXITED 0")


def test_an_upload_asks_before_replacing_objects(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="d/a.txt", Body=b"old")
    src = tmp_path / "up"
    src.mkdir()
    (src / "a.txt").write_bytes(b"new")
    (src / "b.txt").write_bytes(b"bee")

    def body(key):
        return s3.get_object(Bucket=bucket, Key=key)["Body"].read()

    with open_pail(pail, f"s3://{bucket}/d/", tmp_path) as t:
        t.wait_idle()
        t.send("U")
        t.wait_for("upload to s3://")
        t.type(f"{src}/a.txt {src}/b.txt")
        t.send("Enter")
        t.wait_for(f"1 object exists, e.g. s3://{bucket}/d/a.txt")
        t.wait_idle()
        t.send("s")  # skip the existing one, upload the other
        # Work that ends says so, with what it did.
        t.wait_for(f"uploaded 1 file, 3 B, to s3://{bucket}/d/")
        t.wait_for(lambda s: "b.txt" in s.split("\n", 2)[2], what="b.txt listed")
        t.wait_idle(30)
        assert body("d/a.txt") == b"old" and body("d/b.txt") == b"bee"
        t.send("U")
        t.wait_for("upload to s3://")
        t.type(f"{src}/a.txt")
        t.send("Enter")
        t.wait_for("1 object exists")
        t.wait_idle()
        t.send("o")
        t.wait_for(f"uploaded 1 file, 3 B, to s3://{bucket}/d/")
        t.wait_idle(30)
        assert body("d/a.txt") == b"new"
        t.send("q")
        t.wait_for("EXITED 0")
