"""Issue 13's last browser pieces against SeaweedFS: storage classes in a prefix's measure,
^C stopping a running find (not quitting), and a bucket's incomplete uploads said without M."""
import threading
import urllib.parse

from conftest import PAIL_BIN
from fault_proxy import FaultyProxy
from tmux_harness import TmuxSession


def open_pail(pail, bucket, endpoint=None, width=120):
    return TmuxSession([PAIL_BIN, "--endpoint-url", endpoint or pail.endpoint, f"s3://{bucket}/"], pail.env, width, 40)


def row(screen, text):
    """The tree's part of the row naming `text` (left of the details pane)."""
    return next((tree for tree in (line.split("│")[0] for line in screen.split("\n")) if text in tree), "")


def test_a_measure_breaks_the_prefix_down_by_storage_class(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="media/a.jpg", Body=b"a" * 1000, StorageClass="STANDARD")
    s3.put_object(Bucket=bucket, Key="media/old/b.jpg", Body=b"b" * 3000, StorageClass="GLACIER")
    s3.put_object(Bucket=bucket, Key="media/old/c.jpg", Body=b"c" * 50, StorageClass="STANDARD_IA")
    s3.put_object(Bucket=bucket, Key="static/app.css", Body=b"x" * 10, StorageClass="STANDARD")
    # Wide enough for the tree's class column beside the details pane.
    with open_pail(pail, bucket, width=180) as t:
        t.wait_idle()
        t.send("s")
        # The whole breakdown waited for: tmux may capture a frame half drawn.
        t.wait_for(lambda s: "(measuring" not in s and "GLACIER     2.9 KiB (74%), 1 object" in s
                   and "STANDARD    1000 B (25%), 1 object" in s and "STANDARD_IA 50 B (1%), 1 object" in s
                   and row(s, "media/").rstrip().endswith("mixed"), what="the measure's classes, media/ mixed")
        t.send("j", "s")
        screen = t.wait_for(lambda s: row(s, "static/").rstrip().endswith("STD"), what="one class: its label")
        t.send("q")
        t.wait_for("EXITED 0")


def test_ctrl_c_stops_a_running_find_and_a_second_ctrl_c_quits(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="media/a/one.jpg", Body=b"1")
    s3.put_object(Bucket=bucket, Key="media/a/two.jpg", Body=b"2")
    s3.put_object(Bucket=bucket, Key="media/z/late.jpg", Body=b"3")
    release = threading.Event()

    def hold_z(method, path):
        # The listing of media/z/ waits: the find is still running when ^C comes.
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
        if method == "GET" and query.get("prefix") == ["media/z/"]:
            release.wait(60)

    proxy = FaultyProxy(pail.endpoint, lambda m, p, n: "forward", before_body=hold_z)
    try:
        with open_pail(pail, bucket, endpoint=proxy.url) as t:
            t.wait_idle()
            t.send("F")
            t.wait_for(f"find in s3://{bucket}/media/")
            t.type("*.jpg")
            t.send("Enter")
            t.wait_for(lambda s: "2 matched  (listing…)" in s, what="the find running, two found")
            t.send("C-c")
            screen = t.wait_for(lambda s: ("(stopped)" in s or "(stopping…)" in s)
                                and "one.jpg" in s and "two.jpg" in s,
                                what="the find stopping, what it found still shown")
            assert "EXITED" not in screen, screen
            release.set()
            screen = t.wait_for("2 matched  (stopped)")
            assert "late.jpg" not in screen, screen
            t.send("C-c")
            t.wait_for("EXITED 0")
    finally:
        release.set()
        proxy.close()


def test_opening_a_bucket_says_its_incomplete_uploads_without_m(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="media/a.jpg", Body=b"a")
    with open_pail(pail, bucket) as t:
        screen = t.wait_idle()
        assert "incomplete" not in screen.split("\n")[0], screen
        t.send("q")
        t.wait_for("EXITED 0")
    # An interrupted multipart upload: one part sent, never completed.
    up = s3.create_multipart_upload(Bucket=bucket, Key="media/video.mp4")
    s3.upload_part(Bucket=bucket, Key="media/video.mp4", UploadId=up["UploadId"], PartNumber=1,
                   Body=b"v" * (5 << 20))
    with open_pail(pail, bucket) as t:
        t.wait_for(lambda s: f"s3://{bucket}/  · 1 incomplete upload, 5.0 MiB (M)" in s.split("\n")[0],
                   what="the title's note")
        t.send("M")
        t.wait_for("1 upload, 5.0 MiB stored")
        t.send("a")
        t.wait_for("Abort 1 upload")
        t.send("y")
        t.wait_for("no incomplete uploads")
        t.send("Escape")
        t.wait_for(lambda s: "incomplete upload" not in s.split("\n")[0], what="the note gone after the abort")
        t.send("q")
        t.wait_for("EXITED 0")
    assert not s3.list_multipart_uploads(Bucket=bucket).get("Uploads")
