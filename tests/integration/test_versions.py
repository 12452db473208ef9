"""Issue 5, versioned buckets: deletes only add markers (and say so), versions are listed,
one version can be deleted for good or restored over the current one."""
import json

from conftest import PAIL_BIN
from tmux_harness import TmuxSession


def versioned(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    ids = []
    for body in (b"one", b"two!", b"three"):
        ids.append(s3.put_object(Bucket=bucket, Key="doc.txt", Body=body, ContentType="text/plain",
                                 CacheControl="max-age=9")["VersionId"])
    return ids


def versions(pail, bucket):
    out = pail.run("versions", "--json", f"s3://{bucket}/doc.txt").stdout.decode()
    return [json.loads(l) for l in out.splitlines()]


def test_versions_listed_and_one_deleted_for_good(pail, s3, bucket):
    ids = versioned(s3, bucket)
    listed = versions(pail, bucket)
    assert [v["version_id"] for v in listed] == list(reversed(ids))
    assert [v["is_latest"] for v in listed] == [True, False, False]
    assert [v["size"] for v in listed] == [5, 4, 3]
    pail.run("rm", "--yes", f"--version-id={ids[1]}", f"s3://{bucket}/doc.txt")
    remaining = [v["VersionId"] for v in s3.list_object_versions(Bucket=bucket, Prefix="doc.txt")["Versions"]]
    assert sorted(remaining) == sorted([ids[0], ids[2]])


def test_restore_copies_an_old_version_over_the_current(pail, s3, bucket):
    ids = versioned(s3, bucket)
    pail.run("restore", f"--version-id={ids[0]}", f"s3://{bucket}/doc.txt")
    got = s3.get_object(Bucket=bucket, Key="doc.txt")
    assert got["Body"].read() == b"one"
    assert got["ContentType"] == "text/plain" and got["CacheControl"] == "max-age=9"
    assert len(versions(pail, bucket)) == 4


def test_delete_on_a_versioned_bucket_says_it_adds_markers(pail, s3, bucket, tmp_path):
    versioned(s3, bucket)
    dry = pail.run("rm", "--dry-run", f"s3://{bucket}/doc.txt")
    assert "delete markers" in dry.stderr.decode()
    proc = pail.run("rm", "--yes", f"s3://{bucket}/doc.txt", env={"XDG_STATE_HOME": str(tmp_path)})
    assert "delete markers were added" in proc.stderr.decode()
    listed = versions(pail, bucket)
    assert listed[0]["delete_marker"] is True and len(listed) == 4


def test_versions_view_in_the_browser(pail, s3, bucket, tmp_path):
    ids = versioned(s3, bucket)
    env = dict(pail.env, XDG_STATE_HOME=str(tmp_path))
    with TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, f"s3://{bucket}/"], env) as t:
        t.wait_idle()
        t.send("v")
        t.wait_for([ids[0], "current", ids[2]])
        t.send("j")
        t.send("j")  # the oldest version
        t.send("r")
        t.wait_for("Copy version")
        t.send("y")
        t.wait_for("restored version")
        t.wait_idle()
        assert s3.get_object(Bucket=bucket, Key="doc.txt")["Body"].read() == b"one"
        # Still in the versions view, now with four versions.
        t.wait_for(lambda s: s.count("  STD") == 0
                   and len([l for l in s.splitlines() if "B  " in l or "marker" in l]) >= 4,
                   what="four versions")
        for _ in range(4):
            t.send("k")
        for _ in range(3):
            t.send("j")  # the oldest of four
        t.send("d")
        t.wait_for("for good?")
        t.send("y")
        t.wait_for("deleted version")
        t.wait_idle()
        t.send("Escape")
        t.send("q")
        t.wait_for("EXITED 0")
    remaining = [v["VersionId"] for v in s3.list_object_versions(Bucket=bucket, Prefix="doc.txt")["Versions"]]
    assert ids[0] not in remaining and len(remaining) == 3
