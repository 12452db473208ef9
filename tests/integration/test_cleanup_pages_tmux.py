"""Issue 13 in the browser: find a seeded object with F, delete a duplicate through the duplicates page."""
from conftest import PAIL_BIN
from tmux_harness import TmuxSession


def keys_in(s3, bucket):
    return sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_find_then_delete_a_duplicate(pail, s3, bucket, tmp_path):
    photo = b"\xff\xd8\xff" + b"same bytes " * 100
    s3.put_object(Bucket=bucket, Key="media/photo.jpg", Body=photo)
    # What Django's storage saves when the name is taken: the same bytes under a renamed key.
    s3.put_object(Bucket=bucket, Key="media/photo_AbC1234.jpg", Body=photo)
    s3.put_object(Bucket=bucket, Key="media/docs/report-2024.pdf", Body=b"%PDF-1.4 report")
    s3.put_object(Bucket=bucket, Key="media/docs/notes.txt", Body=b"notes")
    env = dict(pail.env, XDG_STATE_HOME=str(tmp_path / "state"), HOME=str(tmp_path))
    with TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, f"s3://{bucket}/"], env, 120, 40) as t:
        t.wait_idle()
        # The only row is media/: F asks for the criteria there.
        t.send("F")
        t.wait_for(f"find in s3://{bucket}/media/")
        t.type("report-* --smaller 1K")
        t.send("Enter")
        screen = t.wait_for(["4 scanned, 1 matched", "docs/report-2024.pdf"])
        assert "notes.txt" not in screen and "photo" not in screen
        t.send("Escape")
        t.wait_for(lambda s: "Find " not in s, what="back to the tree")

        t.send("=")
        t.wait_for(lambda s: "2 in 1 group" in s and any(r.startswith("┌ photo.jpg") for r in s.split("\n"))
                   and any(r.startswith("* photo_AbC1234.jpg") for r in s.split("\n")),
                   what="the group of photo.jpg, its copy marked")
        t.send("d")
        t.wait_for(["Delete from s3://", "1 object", "media/photo_AbC1234.jpg"])
        t.send("y")
        t.wait_for("deleted 1 of 1 objects")
        # The page looks again: no group is left.
        t.wait_for("nothing found")
        assert keys_in(s3, bucket) == ["media/docs/notes.txt", "media/docs/report-2024.pdf", "media/photo.jpg"]
        t.send("Escape")
        t.send("q")
        t.wait_for("EXITED 0")
    manifests = list((tmp_path / "state" / "pail" / "deletions").iterdir())
    assert len(manifests) == 1 and "media/photo_AbC1234.jpg" in manifests[0].read_text()
