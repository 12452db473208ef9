"""Issues 4 and 5 in the browser: delete, edit, audit and transfers, driven by keys in tmux."""
import os

from conftest import PAIL_BIN
from tmux_harness import TmuxSession


def open_pail(pail, target, tmp_path, width=120, height=40):
    env = dict(pail.env, XDG_STATE_HOME=str(tmp_path / "state"), HOME=str(tmp_path))
    return TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, target], env, width, height)


def keys_in(s3, bucket, prefix=""):
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []))


def test_mark_and_delete_through_the_confirmation(pail, s3, bucket, tmp_path):
    for k in ["media/a.jpg", "media/b.jpg", "media/c.jpg", "media-old/keep.jpg"]:
        s3.put_object(Bucket=bucket, Key=k, Body=b"12345")
    with open_pail(pail, f"s3://{bucket}/media/", tmp_path) as t:
        t.wait_idle()
        t.send("j")          # a.jpg
        t.send("Space")      # mark a, cursor to b
        t.send("j")          # c
        t.send("Space")      # mark c
        t.wait_for("2 marked (10 B)")
        t.send("d")
        # The whole box waited for: tmux may capture a frame half drawn.
        screen = t.wait_for(lambda s: all(x in s for x in ("Delete from s3://", "2 objects, 10 B", "media/a.jpg",
                                                            "media/c.jpg", "└")),
                            what="the delete box with a.jpg and c.jpg")
        assert "b.jpg" not in screen.split("Delete from")[1].split("└")[0]
        t.send("n")          # any other key cancels
        t.wait_for("nothing deleted")
        assert keys_in(s3, bucket) == ["media-old/keep.jpg", "media/a.jpg", "media/b.jpg", "media/c.jpg"]
        t.send("d")
        t.wait_for("Delete from s3://")
        t.send("y")
        t.wait_for("deleted 2 of 2 objects")
        t.wait_idle(until="manifest:")
        assert keys_in(s3, bucket) == ["media-old/keep.jpg", "media/b.jpg"]
        t.send("Escape")
        t.wait_for(lambda s: "a.jpg" not in s and "b.jpg" in s, what="the tree listed again")
        t.send("q")
        t.wait_for("EXITED 0")
    manifests = list((tmp_path / "state" / "pail" / "deletions").iterdir())
    assert len(manifests) == 1 and "media/a.jpg" in manifests[0].read_text()


def test_deleting_a_prefix_needs_its_name_typed(pail, s3, bucket, tmp_path):
    for k in ["media/2023/a.jpg", "media/2023/b.jpg", "media/2023-old/c.jpg"]:
        s3.put_object(Bucket=bucket, Key=k, Body=b"x")
    with open_pail(pail, f"s3://{bucket}/media/", tmp_path) as t:
        t.wait_idle()
        t.send("j")  # 2023/
        t.send("d")
        screen = t.wait_for(["Type this, then Enter, to delete", f"s3://{bucket}/media/2023/", "2 objects"])
        assert "2023-old" not in screen
        t.send("y")
        t.send("Enter")
        t.wait_for("type s3://")
        assert len(keys_in(s3, bucket)) == 3
        t.send("C-u")
        t.type(f"s3://{bucket}/media/2023/")
        t.send("Enter")
        t.wait_for("deleted 2 of 2")
        assert keys_in(s3, bucket) == ["media/2023-old/c.jpg"]
        t.send("Escape")
        t.send("q")
        t.wait_for("EXITED 0")


def test_edit_cache_control_on_a_prefix_through_form_and_preview(pail, s3, bucket, tmp_path):
    for i in range(4):
        s3.put_object(Bucket=bucket, Key=f"static/f{i}.css", Body=b"x", ContentType="text/css", ContentEncoding="gzip",
                      CacheControl="max-age=60" if i else "public, max-age=31536000", Metadata={"n": str(i)})
    with open_pail(pail, f"s3://{bucket}/", tmp_path) as t:
        t.wait_idle()
        t.send("e")  # on static/
        t.wait_for("Edit headers of")
        t.type("public, max-age=31536000")
        t.send("Enter")
        t.wait_for(["Preview: 3 of 4 will change", "before (3 objects): max-age=60",
                    "after (3 changes): public, max-age=31536000"])
        t.send("y")
        t.wait_for("changed 3, skipped 1, failed 0")
        t.wait_idle()
        t.send("Escape")
        t.send("q")
        t.wait_for("EXITED 0")
    for i in range(4):
        h = s3.head_object(Bucket=bucket, Key=f"static/f{i}.css")
        assert h["CacheControl"] == "public, max-age=31536000"
        assert h["ContentType"] == "text/css" and h["ContentEncoding"] == "gzip" and h["Metadata"] == {"n": str(i)}


def test_audit_finds_and_fixes_objects_without_cache_control(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="site/ok.css", Body=b"x", ContentType="text/css", CacheControl="max-age=31536000")
    s3.put_object(Bucket=bucket, Key="site/img/bare.png", Body=b"x", ContentType="image/png")
    s3.put_object(Bucket=bucket, Key="site/bare.js", Body=b"x", ContentType="text/javascript")
    with open_pail(pail, f"s3://{bucket}/", tmp_path) as t:
        t.wait_idle()
        t.send("a")
        screen = t.wait_for("3 objects")
        t.wait_idle()
        t.send("1")  # Cache-Control missing
        # The filtered rows waited for, not the filter's mark alone (a frame may be half drawn).
        screen = t.wait_idle(until=lambda s: "1[x]" in s and "KEY" in s and "bare.js" in s.split("KEY", 1)[1]
                             and "img/bare.png" in s.split("KEY", 1)[1], what="the two objects missing Cache-Control")
        assert "ok.css" not in screen.split("KEY", 1)[1]
        t.send("m")
        t.wait_for("marked 2 objects")
        t.send("e")
        t.wait_for("Edit headers of 2 marked")
        t.type("max-age=86400")
        t.send("Enter")
        t.wait_for("Preview: 2 of 2 will change")
        t.send("y")
        t.wait_for("changed 2, skipped 0, failed 0")
        # Closing the report returns to the audit, read again: nothing is missing Cache-Control now.
        t.send("Escape")
        t.wait_for(lambda s: "KEY" in s and "bare.js" not in s.split("KEY", 1)[1], what="the audit, refreshed")
        t.wait_idle()
        t.send("Escape")
        t.wait_idle()
        t.send("q")
        t.wait_for("EXITED 0")
    assert s3.head_object(Bucket=bucket, Key="site/bare.js")["CacheControl"] == "max-age=86400"
    assert s3.head_object(Bucket=bucket, Key="site/img/bare.png")["CacheControl"] == "max-age=86400"
    assert s3.head_object(Bucket=bucket, Key="site/ok.css")["CacheControl"] == "max-age=31536000"


def test_upload_with_tab_completion_then_download(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="in/existing.txt", Body=b"e")
    src = tmp_path / "uploads-folder"
    (src / "sub").mkdir(parents=True)
    (src / "hello.txt").write_bytes(b"hello")
    (src / "sub" / "big.bin").write_bytes(os.urandom(9 * 1024 * 1024))
    with open_pail(pail, f"s3://{bucket}/in/", tmp_path) as t:
        t.wait_idle()
        t.send("U")
        t.wait_for("upload to s3://")
        t.type(str(tmp_path) + "/uploads-f")
        t.send("Tab")
        t.wait_for("uploads-folder/▏")
        t.send("Enter")
        # Proof that Enter was handled (the prompt line itself shows "uploads-folder/"), then
        # the busy marker covers the transfers until they are done. A fast upload may already
        # have replaced the message with its summary.
        t.wait_for(lambda s: "uploading 1 path" in s or "uploaded 2 files" in s, what="the upload started")
        t.wait_idle(30)
        t.wait_for(lambda s: "▸ uploads-folder/" in s, what="the upload in the tree")
        t.send("t")
        t.wait_for(["Transfers:", "done", "big.bin"])
        t.send("Escape")
        assert sorted(keys_in(s3, bucket)) == ["in/existing.txt", "in/uploads-folder/hello.txt",
                                               "in/uploads-folder/sub/big.bin"]
        # Download the prefix into a folder, twice: the second time asks about existing files.
        dest = tmp_path / "dl"
        dest.mkdir()
        t.send("g")
        t.type("in/uploads-folder/")
        t.send("Enter")
        t.wait_idle()
        for attempt in range(2):
            t.send("D")
            t.wait_for("download 1 item to folder")
            t.type(str(dest))
            t.send("Enter")
            if attempt == 1:
                t.wait_for(lambda s: "exist, e.g." in s or "exists, e.g." in s, what="the overwrite question")
                t.send("s")
            t.wait_idle(30)
        t.send("q")
        t.wait_for("EXITED 0")
    assert (dest / "uploads-folder" / "hello.txt").read_bytes() == b"hello"
    assert (dest / "uploads-folder" / "sub" / "big.bin").read_bytes() == (src / "sub" / "big.bin").read_bytes()


def test_copy_a_prefix_within_s3_from_the_browser(pail, s3, bucket, tmp_path):
    for k in ["static/css/app.css", "static/js/app.js", "static-old/keep.css"]:
        s3.put_object(Bucket=bucket, Key=k, Body=k.encode(), ContentType="text/css", CacheControl="max-age=60")
    with open_pail(pail, f"s3://{bucket}/static/", tmp_path) as t:
        t.wait_idle()
        t.send("c")
        t.wait_for(f"copy 1 item to: s3://{bucket}/")
        t.type("backup/2024")
        t.send("Enter")
        t.wait_for(lambda s: "copying to s3://" in s or "copied 2 files" in s, what="the copy started")
        t.wait_idle(30)
        t.send("t")
        t.wait_for(lambda s: "Transfers:" in s and s.count("⇒") == 2 and "done" in s,
                   what="the transfers page with the two copies done")
        t.send("Escape")
        t.send("q")
        t.wait_for("EXITED 0")
    # The prefix keeps its name under the destination; the sibling prefix is not touched.
    assert keys_in(s3, bucket, "backup/") == ["backup/2024/static/css/app.css", "backup/2024/static/js/app.js"]
    copied = s3.head_object(Bucket=bucket, Key="backup/2024/static/css/app.css")
    assert copied["CacheControl"] == "max-age=60" and copied["ContentType"] == "text/css"
