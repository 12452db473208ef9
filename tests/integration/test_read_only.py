"""Issue 15: --read-only and read_only in pail's configuration file, checked at the server.

Every writing command runs with --read-only through a logging proxy in front of SeaweedFS:
each must fail with the one read-only line, and the proxy must have seen nothing but GET
and HEAD. The browser refuses `d` (tmux).
"""
import os

import pytest

from conftest import PAIL_BIN
from fault_proxy import FaultyProxy
from tmux_harness import TmuxSession

WRITES = {"PUT", "POST", "DELETE", "PATCH"}


@pytest.fixture
def proxy(pail):
    p = FaultyProxy(pail.endpoint, lambda m, path, n: "forward")
    yield p
    p.close()


def writing_commands(bucket, tmp_path):
    local = tmp_path / "up.txt"
    local.write_bytes(b"new\n")
    return [
        ["rm", "--yes", f"s3://{bucket}/a.txt"],
        ["rm", "-r", "--yes", f"s3://{bucket}/dir/"],
        ["rm", "-r", f"s3://{bucket}/dir/"],  # would ask first: read-only is said before that
        ["rm", "--yes", "--version-id", "v1", f"s3://{bucket}/a.txt"],
        ["set-headers", "--yes", "--cache-control", "no-cache", f"s3://{bucket}/a.txt"],
        ["set-headers", "-r", "--yes", "--cache-control", "no-cache", f"s3://{bucket}/dir/"],
        ["restore", "--version-id", "v1", f"s3://{bucket}/a.txt"],
        ["uploads", "--abort", "--yes", f"s3://{bucket}/"],
        ["cp", str(local), f"s3://{bucket}/up.txt"],
        ["cp", f"s3://{bucket}/a.txt", f"s3://{bucket}/copy.txt"],
        ["cp", "-r", str(tmp_path), f"s3://{bucket}/tree/"],
    ]


def test_no_writing_command_sends_a_write_under_read_only(pail, s3, bucket, proxy, tmp_path):
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"a")
    s3.put_object(Bucket=bucket, Key="dir/b.txt", Body=b"b")
    # An upload to abort, so uploads --abort has something it would delete.
    s3.create_multipart_upload(Bucket=bucket, Key="big.bin")
    for argv in writing_commands(bucket, tmp_path):
        proc = pail.run(argv[0], "--read-only", *argv[1:], check=False, env={"AWS_ENDPOINT_URL": proxy.url},
                        endpoint=False)
        err = proc.stderr.decode()
        assert proc.returncode == 1, (argv, err)
        assert "read-only: pail would" in err and "run without --read-only" in err, (argv, err)
        if argv[0] != "cp":
            # One line, said before anything is listed or asked (cp refuses at its first write).
            assert len(err.strip().splitlines()) == 1, (argv, err)
    sent = [(m, p) for m, p in proxy.requests if m in WRITES]
    assert sent == [], sent
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert keys == ["a.txt", "dir/b.txt"]
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads"), "the upload was not aborted"


def test_reading_commands_still_work_under_read_only(pail, s3, bucket, proxy, tmp_path):
    s3.put_object(Bucket=bucket, Key="dir/b.txt", Body=b"b")
    env = {"AWS_ENDPOINT_URL": proxy.url}
    for argv in (["ls", f"s3://{bucket}/dir/"], ["du", f"s3://{bucket}/"], ["stat", f"s3://{bucket}/dir/b.txt"],
                 ["headers", "-r", f"s3://{bucket}/"], ["rm", "--dry-run", "-r", f"s3://{bucket}/dir/"],
                 ["cp", f"s3://{bucket}/dir/b.txt", str(tmp_path / "b.txt")]):
        pail.run(argv[0], "--read-only", *argv[1:], env=env, endpoint=False)
    assert (tmp_path / "b.txt").read_bytes() == b"b", "a download is a read"
    assert [m for m, p in proxy.requests if m in WRITES] == []


def write_config(tmp_path, text):
    path = tmp_path / "pail.conf"
    path.write_text(text)
    return {"PAIL_CONFIG": str(path)}


def test_read_only_for_one_bucket_in_the_configuration_file(pail, s3, bucket, proxy, tmp_path):
    other = bucket + "-rw"
    s3.create_bucket(Bucket=other)
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"a")
    s3.put_object(Bucket=other, Key="a.txt", Body=b"a")
    env = dict(write_config(tmp_path, f"[bucket {bucket}]\nread_only = true\n"), AWS_ENDPOINT_URL=proxy.url)
    proc = pail.run("rm", "--yes", f"s3://{bucket}/a.txt", check=False, env=env, endpoint=False)
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert f"read-only: pail would DELETE s3://{bucket}/a.txt; remove read_only in [bucket {bucket}]" in err, err
    # A server-side copy into the read-only bucket is refused at the client too.
    proc = pail.run("cp", f"s3://{other}/a.txt", f"s3://{bucket}/b.txt", check=False, env=env, endpoint=False)
    assert proc.returncode == 1 and "read-only: pail would" in proc.stderr.decode(), proc.stderr
    assert [m for m, p in proxy.requests if m in WRITES] == []
    # The other bucket is writable.
    pail.run("rm", "--yes", f"s3://{other}/a.txt", env=env, endpoint=False)
    assert "Contents" not in s3.list_objects_v2(Bucket=other)
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["a.txt"]


def test_read_only_for_a_profile_in_the_configuration_file(pail, s3, bucket, proxy, tmp_path):
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"a")
    creds = tmp_path / "credentials"
    creds.write_text(f"[prod]\naws_access_key_id = {pail.env['AWS_ACCESS_KEY_ID']}\n"
                     f"aws_secret_access_key = {pail.env['AWS_SECRET_ACCESS_KEY']}\n")
    env = dict(write_config(tmp_path, "[profile prod]\nread_only = true\n"), AWS_ENDPOINT_URL=proxy.url,
               AWS_SHARED_CREDENTIALS_FILE=str(creds))
    proc = pail.run("rm", "--profile", "prod", "--yes", f"s3://{bucket}/a.txt", check=False, env=env,
                    endpoint=False)
    assert proc.returncode == 1
    assert "read-only: pail would DELETE" in proc.stderr.decode() and "[profile prod]" in proc.stderr.decode()
    assert [m for m, p in proxy.requests if m in WRITES] == []


def test_a_malformed_read_only_value_is_reported_with_file_and_line(pail, bucket, tmp_path):
    env = write_config(tmp_path, f"[bucket {bucket}]\nread_only = maybe\n")
    proc = pail.run("url", f"s3://{bucket}/a.txt", check=False, env=env)
    assert "pail.conf:2: [bucket " in proc.stderr.decode() and "must be true or false" in proc.stderr.decode()


def test_the_browser_refuses_delete_under_read_only_and_says_why(pail, s3, bucket, proxy):
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"a")
    env = dict(pail.env)
    with TmuxSession([PAIL_BIN, "--read-only", "--endpoint-url", proxy.url, f"s3://{bucket}/"], env, 120, 40) as t:
        # Waited for whole: tmux may capture a frame half drawn (the title drawn, the rows not yet).
        t.wait_idle(until=lambda s: "read-only" in s.split("\n")[0] and "read-only: --read-only" in s
                    and "no delete" in s, what="read-only said in the title and the details")
        t.send("Down")
        t.send("d")
        screen = t.wait_for("d is disabled: read-only (--read-only)", timeout=10)
        assert "Delete from s3://" not in screen
        t.send("?")
        t.wait_for(["generated from pail's keymap", "(disabled: read-only, --read-only)"])
        t.send("x")
        t.send("q")
        t.wait_for("EXITED 0")
    assert [m for m, p in proxy.requests if m in WRITES] == []
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["a.txt"]


def test_a_read_only_file_with_an_error_elsewhere_still_refuses_writes(pail, s3, bucket, proxy, tmp_path):
    # The file is skipped for its error (a warning says so); its read_only must not be.
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"a")
    env = dict(write_config(tmp_path, f"[bucket {bucket}]\nread_only = true\ncdn_domian = typo.example\n"),
               AWS_ENDPOINT_URL=proxy.url)
    proc = pail.run("rm", "--yes", f"s3://{bucket}/a.txt", check=False, env=env, endpoint=False)
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "read-only: pail would DELETE" in err and "fix the error in that file" in err, err
    assert [m for m, p in proxy.requests if m in WRITES] == []
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["a.txt"]
