"""Issue 17, the everyday path, against the real server: where the next key lands after a
relisting, prompts that show what is typed at 80 columns, edits checked before they are sent."""
import gzip
import time

from conftest import PAIL_BIN, new_bucket_name
from tmux_harness import TmuxSession


def open_pail(pail, target, tmp_path, width=120, height=40):
    env = dict(pail.env, XDG_STATE_HOME=str(tmp_path / "state"), HOME=str(tmp_path))
    return TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, target], env, width, height)


def joined(screen):
    """The screen's lines run together: a status line that wraps reads as one."""
    return "".join(line.strip() for line in screen.splitlines())


def delete_box(screen):
    return screen.split("Delete from")[1].split("└")[0]


def wait_box(t, *texts):
    """The delete box once drawn to its bottom line with every text of `texts` in it: tmux may
    capture a frame half drawn, so what a test then checks is waited for, not asserted at once."""
    def drawn(s):
        return ("Delete from s3://" in s and "└" in s.split("Delete from", 1)[1]
                and all(x in delete_box(s) for x in texts))
    return delete_box(t.wait_for(drawn, what=f"the delete box with {list(texts)!r}"))


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
        box = wait_box(t, "p-003.jpg", "1 object, 5 B", "gone for good")
        assert "p-004" not in box and "05/" not in box
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
        wait_box(t, "p-004.jpg")
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
        t.wait_for(lambda s: "Delete from s3://" in s and "└" in s.split("Delete from", 1)[1]
                   and word in "".join(line.strip("│ ") for line in delete_box(s).split("\n")),
                   what=f"the delete box asking for {word}")
        t.type(word[:-7])
        t.send("Left")
        t.send("Left")
        t.type("ZZ")
        # What is typed shows, scrolled, with the cursor after the inserted text.
        t.wait_idle(until=lambda s: "ZZ" in s and "▏" in s.split("ZZ")[1][:3], what="ZZ typed, the cursor after it")
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
        # The bucket list, with the cursor on the bucket: other buckets' rows are in view
        # (above it in a long run's list, or `other` below it), and the title left static/.
        def bucket_list(screen):
            title = screen.splitlines()[0]
            rows = [line for line in screen.splitlines()[1:] if "▸ pail-" in line and bucket + " " not in line]
            return f"s3://{bucket}/" in title and "static/" not in title and rows
        t.wait_idle(until=bucket_list, what="the bucket list, the cursor on the bucket, other buckets in view")
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
        t.wait_for(["at column 16", "Edit headers of", "max-age=3153600O"])
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
        box = wait_box(t, "delete markers")
        assert "gone for good" not in box, box
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
        screen = t.wait_for(["not copied", "set-clipboard is not on", "tmux set -g set-clipboard on"])
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
        t.wait_idle(until=["1 file exists", "o overwrite all  s skip existing  Esc cancel"])
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


def test_keys_that_arrive_after_a_question_opened_but_before_it_was_drawn_do_not_answer_it(pail, s3, bucket,
                                                                                             tmp_path):
    # The run loop reads keys before worker answers in a frame and draws a frame that only
    # answers asked for within 1/60 s, so the gap between an overwrite question opening and
    # being drawn is too short to aim a key at. PAIL_TEST_FRAME_INTERVAL stretches that gap to
    # seconds: the question opens (the download's plan found the file) and stays undrawn while
    # "o" arrives. Without the guard "o" would answer it and overwrite the file.
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"new")
    dest = tmp_path / "dl"
    dest.mkdir()
    (dest / "a.txt").write_bytes(b"old")
    env = dict(pail.env, XDG_STATE_HOME=str(tmp_path / "state"), HOME=str(tmp_path), PAIL_TEST_FRAME_INTERVAL="8")
    with TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, f"s3://{bucket}/a.txt"], env, 120, 40) as t:
        t.wait_idle()
        t.send("D")
        t.wait_for("to folder:")
        t.type(str(dest))
        t.send("Enter")
        # The frame drawn for Enter (keys count it): the plan is on its way.
        t.wait_for(lambda s: "to folder:" not in s and f"keys:{t.keys_sent}" in s.split("\n", 1)[0],
                   what="the frame after Enter")
        # Time for the plan (one HEAD on the local server) to come back and open the question,
        # well inside the 8 s in which no frame is drawn for it. Not a measure of speed: a plan
        # slower than this leaves "o" to the tree, and the test passes as it should.
        time.sleep(2)
        assert "file exists" not in t.screen()
        t.send("o")
        t.wait_for(["1 file exists", "o overwrite all  s skip existing  Esc cancel"])
        assert (dest / "a.txt").read_bytes() == b"old"
        # Now drawn, the question takes its answer.
        t.send("Escape")
        t.wait_for("download cancelled")
        assert (dest / "a.txt").read_bytes() == b"old"
        t.send("q")
        t.wait_for("EXITED 0")


def test_from_the_audit_an_edit_of_marked_objects_hints_their_values_and_comes_back(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="static/a.css", Body=b"x", ContentType="text/css", CacheControl="max-age=60")
    s3.put_object(Bucket=bucket, Key="static/b.css", Body=b"x", ContentType="text/css", CacheControl="max-age=300")
    with open_pail(pail, f"s3://{bucket}/static/", tmp_path) as t:
        t.wait_idle()
        t.send("a")
        t.wait_for("2 objects")
        t.wait_idle()
        t.send("m")
        t.wait_for("marked 2 objects")
        t.send("e")
        # The audit's values are the hints: one shared Content-Type, two Cache-Controls. (Waited
        # for, not asserted on the first screen with the title: tmux may capture a frame half drawn.)
        t.wait_for(lambda s: "Edit headers of 2 marked" in s and "(now: text/css)" in s and "(varies)" in s,
                   what="the form with the audit's values as hints")
        t.send("Down")
        t.send("C-r")  # starts from the shared value
        t.send("End")
        t.type("; charset=utf-8")
        t.send("Up")
        t.type("public, max-age=600")
        t.wait_idle()
        # Cancelled: back to the audit; e again has what was typed.
        t.send("Escape")
        t.wait_for(lambda s: "Audit s3://" in s and "Edit headers of" not in s, what="the audit again")
        t.wait_idle()
        t.send("e")
        t.wait_for(lambda s: "Edit headers of 2 marked" in s and "public, max-age=600" in s
                   and "text/css; charset=utf-8" in s, what="the form again with what was typed")
        t.send("Enter")
        t.wait_for("Preview: 2 of 2 will change")
        t.send("n")  # a cancelled preview comes back to the audit too, text kept
        t.wait_for(lambda s: "Audit s3://" in s and "Preview:" not in s, what="the audit after the preview")
        t.wait_idle()
        t.send("e")
        t.wait_for(lambda s: "Edit headers of 2 marked" in s and "public, max-age=600" in s,
                   what="the form after the preview with what was typed")
        t.send("Enter")
        t.wait_for("Preview: 2 of 2 will change")
        t.send("y")
        t.wait_for("changed 2, skipped 0, failed 0")
        # Applied: the report closes onto the audit, read again with the new values.
        t.send("Escape")
        def audit_again(s):
            rows = [line for line in s.splitlines() if line.strip().startswith(("a.css", "b.css"))]
            return ("Audit s3://" in s and "max-age=60 " not in s and "max-age=300" not in s and "(reading" not in s
                    and len(rows) == 2
                    and all("text/css; charset=utf-8" in r and "public, max-age=600" in r for r in rows))
        t.wait_for(audit_again, what="the audit, read again, both rows with the new values")
        t.wait_idle()
        t.send("Escape")
        t.wait_idle()
        t.send("q")
        t.wait_for("EXITED 0")
    for key in ["static/a.css", "static/b.css"]:
        h = s3.head_object(Bucket=bucket, Key=key)
        assert h["CacheControl"] == "public, max-age=600" and h["ContentType"] == "text/css; charset=utf-8", h


def test_the_browser_downloads_gzip_encoded_objects_decoded_with_ctrl_g(pail, s3, bucket, tmp_path):
    plain = b"body { color: red }\n" * 50
    s3.put_object(Bucket=bucket, Key="static/app.css", Body=gzip.compress(plain), ContentType="text/css",
                  ContentEncoding="gzip")
    stored, decoded = tmp_path / "stored", tmp_path / "decoded"
    stored.mkdir()
    decoded.mkdir()
    with open_pail(pail, f"s3://{bucket}/static/app.css", tmp_path) as t:
        t.wait_idle()
        t.send("D")
        t.wait_for(["to folder:", "^G gzip'ed: as stored"])
        t.type(str(stored))
        t.send("Enter")
        # The status line wraps: read as one line, whole.
        t.wait_for(lambda s: "downloaded 1 file" in joined(s) and "1 object stored gzip-encoded, written as stored,"
                   " compressed (^G in the prompt decodes)" in joined(s), what="the download's note on its encoding")
        t.wait_idle()
        t.send("D")
        t.wait_for("to folder:")
        t.send("C-g")
        t.wait_for("^G gzip'ed: decoded")
        t.type(str(decoded))
        t.send("Enter")
        t.wait_for(lambda s: "downloaded 1 file" in joined(s) and "1 object stored gzip-encoded, written decoded"
                   in joined(s), what="the download's note: decoded")
        t.wait_idle()
        t.send("q")
        t.wait_for("EXITED 0")
    assert gzip.decompress((stored / "app.css").read_bytes()) == plain
    assert (decoded / "app.css").read_bytes() == plain
    assert sorted(p.name for p in decoded.iterdir()) == ["app.css"], "no temporary left beside it"


def test_after_an_upload_the_cursor_stays_on_its_entry(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="static/css/site.css", Body=b"x")
    s3.put_object(Bucket=bucket, Key="static/b.txt", Body=b"bee")
    s3.put_object(Bucket=bucket, Key="static/c.txt", Body=b"cee")
    src = tmp_path / "a.txt"
    src.write_bytes(b"a")
    with open_pail(pail, f"s3://{bucket}/static/b.txt", tmp_path) as t:
        t.wait_idle()
        # On an object, U uploads beside it: a.txt lands above the cursor's row when listed again.
        t.send("U")
        t.wait_for(f"upload to s3://{bucket}/static/ from:")
        t.type(str(src))
        t.send("Enter")
        t.wait_for(f"uploaded 1 file, 1 B, to s3://{bucket}/static/")
        t.wait_for(lambda s: "a.txt" in s.split("\n", 2)[2], what="a.txt listed")
        t.wait_idle(30)
        # The next key is about the entry the cursor was on, not the one now at its row.
        t.send("d")
        box = wait_box(t, "b.txt")
        assert "a.txt" not in box and "c.txt" not in box, box
        t.send("n")
        t.wait_for("nothing deleted")
        t.send("q")
        t.wait_for("EXITED 0")


def test_gzip_on_a_plain_body_is_refused_and_so_is_removing_it_from_a_gzip_one(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="static/plain.css", Body=b"body{}", ContentType="text/css")
    s3.put_object(Bucket=bucket, Key="static/packed.css", Body=gzip.compress(b"body{}"), ContentType="text/css",
                  ContentEncoding="gzip")
    for key, value, reason in [
            ("static/plain.css", "gzip", "Content-Encoding: gzip refused: the object's first bytes are not gzip's"),
            ("static/packed.css", "-", "removing Content-Encoding: gzip refused: the object's bytes are gzip")]:
        with open_pail(pail, f"s3://{bucket}/{key}", tmp_path) as t:
            t.wait_idle()
            t.send("e")
            t.wait_for("Edit headers of")
            t.send("Down")
            t.send("Down")  # Content-Encoding
            t.type(value)
            t.send("Enter")
            t.wait_for("Preview: 1 of 1 will change")
            t.wait_idle()
            t.send("y")
            t.wait_for(lambda s: "failed 1" in joined(s) and reason in joined(s), what=f"failed 1: {reason}")
            t.send("Escape")
            t.wait_idle()
            t.send("q")
            t.wait_for("EXITED 0")
    assert "ContentEncoding" not in s3.head_object(Bucket=bucket, Key="static/plain.css")
    assert s3.head_object(Bucket=bucket, Key="static/packed.css")["ContentEncoding"] == "gzip"


def test_opened_at_an_object_the_details_pane_shows_its_headers(pail, s3, bucket, tmp_path):
    # The level's last page and its end were reduced in one frame: the object the rebuild put
    # under the cursor must still get its HEAD, not "loading headers…" under an [idle] title.
    s3.put_object(Bucket=bucket, Key="static/css/print.css", Body=b"x", ContentType="text/css",
                  CacheControl="max-age=600")
    s3.put_object(Bucket=bucket, Key="robots.txt", Body=b"x", ContentType="text/plain")
    for target, value in [("static/css/print.css", "max-age=600"), ("robots.txt", "text/plain")]:
        with open_pail(pail, f"s3://{bucket}/{target}", tmp_path, width=80, height=24) as t:
            t.wait_idle()
            t.wait_for(lambda s: "loading headers" not in s and value in s.split("────", 1)[-1]
                       and f"s3://{bucket}/{target}" in s.split("────", 1)[-1], what=f"the headers of {target}")
            t.send("q")
            t.wait_for("EXITED 0")


def test_the_refreshing_message_goes_when_the_refresh_ended(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="static/css/print.css", Body=b"x")
    s3.put_object(Bucket=bucket, Key="static/css/site.css", Body=b"x")
    with open_pail(pail, f"s3://{bucket}/static/css/print.css", tmp_path) as t:
        t.wait_idle()
        t.send("r")
        # Listed again: no "refreshing …" left saying otherwise (the message has no timer: only
        # the refresh's end takes it away), and the cursor on its entry.
        t.wait_idle(until=lambda s: "refreshing" not in s and "print.css" in s, what="no refreshing message")
        t.send("d")
        box = wait_box(t, "print.css")
        assert "site.css" not in box, box
        t.send("n")
        t.send("q")
        t.wait_for("EXITED 0")


def test_sorted_by_size_a_measured_prefix_takes_its_place(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="site/big/a.bin", Body=b"x" * 6000)
    s3.put_object(Bucket=bucket, Key="site/big/b.bin", Body=b"x" * 6000)
    s3.put_object(Bucket=bucket, Key="site/mid.txt", Body=b"x" * 500)

    def row(screen, name):
        # The tree's column only: the details pane beside it names the cursor's prefix too.
        # A row not drawn yet is at infinity (tmux may capture a frame half drawn).
        return next((i for i, line in enumerate(screen.splitlines()[1:]) if name in line.split("│")[0]),
                    float("inf"))

    def above(screen, first, second):
        return row(screen, first) < row(screen, second) < float("inf")

    with open_pail(pail, f"s3://{bucket}/site/", tmp_path) as t:
        t.wait_idle()
        t.send("j")  # big/
        t.send("o")  # by size: the unmeasured prefix goes after the object
        # The title says the order first, the rows follow: both waited for.
        t.wait_idle(until=lambda s: "sort:size" in s and above(s, "mid.txt", "big/"), what="sorted, mid.txt first")
        t.send("s")  # measure big/, the cursor's entry
        t.wait_idle(until=lambda s: "11.7 KiB" in s and above(s, "big/", "mid.txt"), what="big/ measured, first")
        t.send("q")
        t.wait_for("EXITED 0")


def test_measuring_a_prefix_fills_in_its_child_prefixes_sizes(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="media/a/1.bin", Body=b"x" * 3000)
    s3.put_object(Bucket=bucket, Key="media/a/deep/2.bin", Body=b"x" * 3000)
    s3.put_object(Bucket=bucket, Key="media/b/3.bin", Body=b"x" * 700)
    with open_pail(pail, f"s3://{bucket}/", tmp_path, width=100, height=30) as t:
        t.wait_idle()
        t.send("Tab")  # the tree alone: its size column
        t.send("s")    # measure media/, the cursor's entry
        t.wait_for(lambda s: "6.5 KiB" in s and "[idle]" in s, what="media/ measured")
        t.send("Right")
        # Both children have their sizes at once: nothing else was measured.
        screen = t.wait_for(lambda s: any("a/" in line and "5.9 KiB" in line and "2 obj" in line
                                          for line in s.splitlines())
                            and any("b/" in line and "700 B" in line for line in s.splitlines()),
                            what="the child prefixes' sizes")
        t.wait_idle()
        t.send("q")
        t.wait_for("EXITED 0")


def test_after_an_edit_and_a_copy_the_cursor_stays_on_its_entry(pail, s3, bucket, tmp_path):
    for name in ("b.css", "c.css", "d.css"):
        s3.put_object(Bucket=bucket, Key=f"static/{name}", Body=b"body{}", ContentType="text/css")
    with open_pail(pail, f"s3://{bucket}/static/c.css", tmp_path) as t:
        t.wait_idle()
        # An edit lists the level again; the cursor stays on c.css.
        t.send("e")
        t.wait_for("Edit headers of")
        t.type("max-age=600")
        t.send("Enter")
        t.wait_for("will change")
        t.send("y")
        t.wait_for("changed 1, skipped 0, failed 0")
        t.send("Escape")
        t.wait_idle(30)
        # A copy into a new prefix above the cursor's row: the level gains a row above it.
        t.send("c")
        t.wait_for("copy 1 item to: s3://")
        t.send("C-u")
        t.type(f"s3://{bucket}/static/a/")
        t.send("Enter")
        t.wait_for(lambda s: any(line.strip().startswith("▸ a/") for line in s.splitlines()),
                   what="the copy's prefix listed", timeout=30)
        t.wait_idle(30)
        t.send("d")
        box = wait_box(t, "c.css")
        assert "b.css" not in box and "d.css" not in box and "static/a/" not in box, box
        t.send("n")
        t.wait_for("nothing deleted")
        t.send("q")
        t.wait_for("EXITED 0")
    assert s3.head_object(Bucket=bucket, Key="static/c.css")["CacheControl"] == "max-age=600"
    assert s3.head_object(Bucket=bucket, Key="static/a/c.css")["CacheControl"] == "max-age=600"
