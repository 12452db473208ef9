"""Issue 10 in the browser, end to end: the real pail binary in tmux against SeaweedFS.

What only shows on a terminal: the clipboard's bytes (tmux keeps OSC 52 in its paste
buffer), a screen that keeps answering while presigning waits for credentials, the quit
question, and what SIGTERM and SIGHUP leave behind.
"""
import datetime
import json
import os
import signal
import subprocess
import sys
import threading
import urllib.parse

import pytest

from conftest import PAIL_BIN, Pail
from fault_proxy import FaultyProxy
from tmux_harness import TmuxSession
import s3server


def open_pail(pail, *args, endpoint=None, env=None, width=120, height=40):
    e = dict(pail.env, **(env or {}))
    return TmuxSession([PAIL_BIN, "--endpoint-url", endpoint or pail.endpoint, *args], e, width, height)


def pail_pid(t):
    """pail runs as the only child of the pane's shell."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(t.pane_pid())], capture_output=True, text=True).stdout
    pids = [int(p) for p in out.split()]
    assert len(pids) == 1, out
    return pids[0]


def test_the_clipboard_gets_a_key_with_control_and_invisible_characters_percent_encoded(pail, s3, bucket):
    key = "evil\x1b]0;pwned\x07\u200b.txt"
    s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    with open_pail(pail, f"s3://{bucket}/") as t:
        # tmux keeps what OSC 52 sets in its paste buffer, which is what a paste would insert.
        t.tmux("set-option", "-g", "set-clipboard", "on")
        # Each screen waited for whole (the key escaped, and the warning beside it in the
        # details), not asserted on the first [idle] frame: tmux may capture one half drawn.
        t.wait_idle(until=["evil\\x1b]0;pwned\\x07\\u{200b}.txt", "key has invisible or control characters"],
                    what="the key escaped, and the warning beside it in the details")
        t.send("y")
        t.wait_idle(until=["Copy a URL of",
                           "key has control or invisible characters: shown escaped, copied percent-encoded"])
        t.send("1")  # the s3:// form
        t.wait_for(["copied (OSC 52",
                    "warning: key has control or invisible characters: copied percent-encoded · copied"])
        pasted = t.tmux("show-buffer").stdout
        assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c == "\u200b" for c in pasted), repr(pasted)
        assert pasted == f"s3://{bucket}/" + urllib.parse.quote(key), repr(pasted)
        # The HTTPS form is percent-encoded anyway; it reaches the clipboard whole.
        t.send("y")
        t.wait_for("Copy a URL of")
        t.wait_idle()
        t.send("2")
        t.wait_for(lambda s: "copied (OSC 52" in s and "http" in s.split("copied (OSC 52", 1)[1],
                   what="the HTTPS URL copied")
        pasted = t.tmux("show-buffer").stdout
        assert pasted.endswith(f"/{bucket}/" + urllib.parse.quote(key)), repr(pasted)
        t.send("q")
        t.wait_for("EXITED 0")


CREDENTIALS = r"""
import datetime, json, os, sys, time
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "started"), "a") as f:
    f.write(".")
if os.path.exists(os.path.join(here, "block")):
    open(os.path.join(here, "blocked"), "w").close()
    for _ in range(1200):
        if os.path.exists(os.path.join(here, "release")):
            break
        time.sleep(0.05)
# Expiring within pail's refresh window: every signature asks this process again.
expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=120)
print(json.dumps({"Version": 1, "AccessKeyId": sys.argv[1], "SecretAccessKey": sys.argv[2],
                  "Expiration": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}), flush=True)
with open(os.path.join(here, "ended"), "a") as f:
    f.write(".")
"""


def no_credential_process_running(folder):
    """Every credential process started so far has ended: a refresh still in flight would be the
    one thread that refreshes, and a presign meanwhile signs with the current credentials."""
    def count(name):
        path = folder / name
        return len(path.read_text()) if path.exists() else 0
    return count("started") == count("ended")


def test_presigning_waits_for_credentials_on_a_worker_and_the_screen_keeps_answering(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="report.pdf", Body=b"%PDF")
    helper = tmp_path / "creds.py"
    helper.write_text(CREDENTIALS)
    aws = tmp_path / ".aws"
    aws.mkdir()
    (aws / "config").write_text(
        f"[profile slow]\ncredential_process = {sys.executable} {helper} {s3server.ACCESS_KEY} {s3server.SECRET_KEY}\n")
    slow = Pail(pail.endpoint, key=None, home=str(tmp_path))
    with open_pail(slow, "--profile", "slow", f"s3://{bucket}/") as t:
        # The details pane's answer waited for too: its HEAD is asked after the cursor rests
        # (a debounce), and [idle] can be up before it is asked.
        t.wait_idle(until=lambda s: "report.pdf" in s and "loading headers" not in s and "ACL" in s,
                    what="the details pane of report.pdf")
        # The details pane's calls (HEAD, tags, ACL) each refreshed; wait for the last to end, or
        # the presign below would find a refresh in flight and sign with the current credentials.
        t.wait_for(lambda s: no_credential_process_running(tmp_path), timeout=20,
                   what="the details pane's credential processes ended")
        # From now on the credential process hangs until released, as an STS or IMDS call can.
        (tmp_path / "block").touch()
        t.send("y")
        # Drawn while the presign waits: the run loop did not block on it.
        t.wait_for(lambda s: "building URLs…" in s and "[busy]" in s.split("\n")[0], timeout=10,
                   what="the URL menu, [busy], while credentials are fetched")
        assert (tmp_path / "blocked").exists() or t.wait_for(lambda s: (tmp_path / "blocked").exists(), timeout=10)
        t.send("Escape")
        t.wait_for(lambda s: "Copy a URL of" not in s, timeout=10, what="Escape answered while presigning waits")
        t.send("?")
        t.wait_for("generated from pail's keymap", timeout=10)
        t.send("x")
        (tmp_path / "release").touch()
        t.wait_idle(30)
        t.send("q")
        t.wait_for("EXITED 0")


def test_q_asks_before_cancelling_a_running_transfer_and_cancel_aborts_the_upload(pail, s3, bucket, tmp_path):
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(24 << 20))  # three 8 MiB parts
    release = threading.Event()

    def hold_parts(method, path):
        # Every part after the first waits: the upload is running, part way, until released.
        if method == "PUT" and "partNumber=" in path and "partNumber=1&" not in path + "&":
            release.wait(60)

    proxy = FaultyProxy(pail.endpoint, lambda m, p, n: "forward", before_body=hold_parts)
    try:
        with open_pail(pail, f"s3://{bucket}/", endpoint=proxy.url) as t:
            t.wait_idle()
            t.send("U")
            t.wait_for("upload to s3://")
            t.type(str(src))
            t.send("Enter")
            t.wait_for(lambda s: s3.list_multipart_uploads(Bucket=bucket).get("Uploads"), timeout=30,
                       what="the multipart upload started")
            t.send("t")
            t.wait_for("Transfers: 1 active")
            t.send("q")
            screen = t.wait_for(["Quit pail?", "1 transfer is running or queued"])
            assert "EXITED" not in screen
            t.send("n")
            t.wait_for(lambda s: "Quit pail?" not in s and "Transfers: 1 active" in s,
                       what="back in the transfers panel")
            t.send("q")
            t.wait_for("Quit pail?")
            t.send("y")
            t.wait_for("EXITED 0", timeout=30)
        assert not s3.list_multipart_uploads(Bucket=bucket).get("Uploads"), "the upload was aborted before pail exited"
        assert "Contents" not in s3.list_objects_v2(Bucket=bucket)
    finally:
        release.set()
        proxy.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_an_upload_aborts_it_and_restores_the_terminal(pail, s3, bucket, tmp_path, sig):
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(24 << 20))
    release = threading.Event()

    def hold_parts(method, path):
        if method == "PUT" and "partNumber=" in path and "partNumber=1&" not in path + "&":
            release.wait(60)

    proxy = FaultyProxy(pail.endpoint, lambda m, p, n: "forward", before_body=hold_parts)
    try:
        with open_pail(pail, f"s3://{bucket}/", endpoint=proxy.url) as t:
            t.wait_idle()
            t.send("U")
            t.wait_for("upload to s3://")
            t.type(str(src))
            t.send("Enter")
            t.wait_for(lambda s: s3.list_multipart_uploads(Bucket=bucket).get("Uploads"), timeout=30,
                       what="the multipart upload started")
            assert t.alternate_screen()
            os.kill(pail_pid(t), sig)
            # pail dies of the signal after cleaning up: the shell reports 128 + its number.
            screen = t.wait_for(f"EXITED {128 + sig}", timeout=30)
            assert not t.alternate_screen(), "the terminal is back on its normal screen"
            assert "[busy]" not in screen and "[idle]" not in screen, screen
        assert not s3.list_multipart_uploads(Bucket=bucket).get("Uploads"), "no multipart upload left behind"
        assert "Contents" not in s3.list_objects_v2(Bucket=bucket)
    finally:
        release.set()
        proxy.close()


def test_control_r_on_a_missing_header_starts_from_nothing_never_from_the_display_text(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="a.css", Body=b"a{}", ContentType="text/css")
    with open_pail(pail, f"s3://{bucket}/") as t:
        t.wait_idle()
        t.send("Enter")  # the details pane asks for the headers now
        screen = t.wait_for("(none)", what="the missing Cache-Control in the details pane")
        t.wait_idle()
        t.send("e")
        t.wait_for("Edit headers of")
        screen = t.wait_for("(now: not set)")
        t.send("C-r")  # Cache-Control has the focus: there is no value to start from
        t.send("Enter")
        t.wait_for("nothing to change")
        t.send("Down")
        t.send("C-r")  # Content-Type starts from the stored value
        t.wait_for("text/css▏")
        t.send("Escape")
        t.wait_idle()
        t.send("q")
        t.wait_for("EXITED 0")
    assert "CacheControl" not in s3.head_object(Bucket=bucket, Key="a.css"), "no header was written"
