"""Issue 6: URLs in every form, presigned URLs that work, the clipboard, the public-URL check."""
import datetime
import http.server
import threading
import urllib.error
import urllib.request

import pytest

from conftest import Pail, make_boto
from test_s3_core import SPECIAL_KEYS
from tmux_harness import TmuxSession
from conftest import PAIL_BIN


def url(pail, *args, env=None, check=True):
    proc = pail.run("url", *args, env=env, check=check)
    return proc.stdout.decode().rstrip("\n"), proc


def fetch(u):
    with urllib.request.urlopen(u, timeout=10) as r:
        return r.read()


def test_presigned_urls_fetch_every_special_key(pail, s3, bucket):
    for i, key in enumerate(k for k in SPECIAL_KEYS if not k.endswith("/")):
        s3.put_object(Bucket=bucket, Key=key, Body=f"body {i}".encode())
        u, _ = url(pail, "--presign", "--expires", "15m", f"s3://{bucket}/{key}")
        assert fetch(u) == f"body {i}".encode(), key


def test_a_presigned_url_expires(pail, s3, bucket):
    """Signed a minute ago, as the server sees it: 30 s have run out, 5 minutes have not
    (no waiting for a URL to die)."""
    s3.put_object(Bucket=bucket, Key="short.txt", Body=b"short")
    signed = (datetime.datetime.now(datetime.timezone.utc)
              - datetime.timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    live, _ = url(pail, "--presign", "--expires", "5m", "--signing-time", signed, f"s3://{bucket}/short.txt")
    dead, _ = url(pail, "--presign", "--expires", "30", "--signing-time", signed, f"s3://{bucket}/short.txt")
    assert fetch(live) == b"short"
    with pytest.raises(urllib.error.HTTPError) as e:
        fetch(dead)
    assert e.value.code == 403


@pytest.mark.parametrize("key", ["media/a b+c~é/🎉 (1).jpg", "plain.txt", "x/y%z&=?#.bin"])
def test_presigned_url_equals_boto3_signature_included(pail, endpoint, monkeypatch, key):
    moment = datetime.datetime(2026, 11, 24, 18, 0, 0)
    import botocore.auth
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda *a, **k: moment)
    import boto3
    from botocore.config import Config
    from s3server import ACCESS_KEY, SECRET_KEY
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=ACCESS_KEY,
                          aws_secret_access_key=SECRET_KEY,
                          config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    expected = client.generate_presigned_url(
        "get_object", Params={"Bucket": "media-bucket", "Key": key}, ExpiresIn=3600)
    got, _ = url(pail, "--presign", "--expires", "1h", "--signing-time", "2026-11-24T18:00:00Z",
                 f"s3://media-bucket/{key}")
    assert got == expected


def test_url_forms_follow_the_endpoint(endpoint, tmp_path):
    aws = Pail(endpoint)
    aws.env["AWS_REGION"] = "eu-west-1"
    key = "media/a b+c~é.jpg"
    got = aws.run("url", f"s3://site/{key}", endpoint=False).stdout.decode().strip()
    assert got == "https://site.s3.eu-west-1.amazonaws.com/media/a%20b%2Bc~%C3%A9.jpg"
    got = aws.run("url", "--style", "path", f"s3://site/{key}", endpoint=False).stdout.decode().strip()
    assert got == "https://s3.eu-west-1.amazonaws.com/site/media/a%20b%2Bc~%C3%A9.jpg"
    got = aws.run("url", "--arn", f"s3://site/{key}", endpoint=False).stdout.decode().strip()
    assert got == f"arn:aws:s3:::site/{key}"
    got = aws.run("url", "--s3", f"s3://site/{key}", endpoint=False).stdout.decode().strip()
    assert got == f"s3://site/{key}"
    spaces = aws.run("url", "--endpoint-url", "https://nyc3.digitaloceanspaces.com", "--region", "nyc3",
                     "s3://site/k.txt",
                     endpoint=False).stdout.decode().strip()
    assert spaces == "https://site.nyc3.digitaloceanspaces.com/k.txt"
    local = Pail(endpoint).run("url", "s3://site/k.txt").stdout.decode().strip()
    assert local == f"{endpoint}/site/k.txt" and "amazonaws" not in local
    proc = Pail(endpoint).run("url", "--arn", "s3://site/k.txt", check=False)
    assert proc.returncode == 1 and "not AWS" in proc.stderr.decode()


def test_cdn_urls_from_flag_and_configuration(endpoint, tmp_path):
    pail = Pail(endpoint)
    got = pail.run("url", "--cdn", "--cdn-domain", "cdn.example.com",
                   "s3://site/static/a b.css").stdout.decode().strip()
    assert got == "https://cdn.example.com/static/a%20b.css"
    config = tmp_path / "pail"
    config.mkdir()
    (config / "config").write_text("[bucket site]\ncdn_domain = cdn.example.com\n"
                                   "cdn_origin_path = static\nurl_form = cdn\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert pail.run("url", "s3://site/static/css/app.css",
                    env=env).stdout.decode().strip() == "https://cdn.example.com/css/app.css"
    proc = pail.run("url", "--cdn", "s3://site/media/x.jpg", env=env, check=False)
    assert proc.returncode == 1 and "outside" in proc.stderr.decode()
    proc = pail.run("url", "--cdn", "s3://other/x.jpg", check=False)
    assert proc.returncode == 1 and "cdn_domain" in proc.stderr.decode()


def test_malformed_configuration_names_file_and_line_and_pail_still_runs(endpoint, tmp_path):
    (tmp_path / "pail").mkdir()
    (tmp_path / "pail" / "config").write_text("[bucket site]\ncdn_domain = cdn.example.com\n"
                                              "presign_expires = forever\n")
    proc = Pail(endpoint).run("url", "s3://site/k", env={"XDG_CONFIG_HOME": str(tmp_path)})
    err = proc.stderr.decode()
    assert "config:3" in err and "presign_expires" in err
    assert proc.stdout.decode().strip() == f"{endpoint}/site/k"


def test_lifetimes_are_checked(pail):
    for bad in ("8d", "604801", "soon", "0"):
        proc = pail.run("url", "--presign", "--expires", bad, "s3://b/k", check=False)
        assert proc.returncode != 0, bad
        assert len(proc.stderr.decode().strip().splitlines()) == 1


def test_temporary_credentials_warn(endpoint):
    pail = Pail(endpoint)
    proc = pail.run("url", "--presign", "s3://b/k", env={"AWS_SESSION_TOKEN": "token"})
    assert "temporary credentials" in proc.stderr.decode()
    assert proc.stdout.decode().count("\n") == 1 and "X-Amz-Security-Token=token" in proc.stdout.decode()


def test_copy_from_the_browser_lands_in_the_tmux_buffer(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="media/a b.jpg", Body=b"x")
    with TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, f"s3://{bucket}/media/"], pail.env) as t:
        t.tmux("set-option", "-g", "set-clipboard", "on")
        t.wait_idle()
        t.send("j")
        t.send("y")
        t.wait_for("presigned 1h")
        t.send("2")  # HTTPS
        expected = f"{pail.endpoint}/{bucket}/media/a%20b.jpg"
        t.wait_for(["copied", expected])
        # tmux sets its buffer from the OSC 52 pail wrote with the message.
        t.wait_for(lambda s: t.tmux("show-buffer", check=False).stdout == expected, what=f"{expected} in tmux's buffer")
        t.send("q")
        t.wait_for("EXITED 0")


class HeaderServer:
    """Serves fixed headers for every path, as a CDN with a stale Cache-Control would."""

    def __init__(self, headers):
        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_HEAD(self):
                self.send_response(200)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()

            do_GET = do_HEAD

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


def test_public_url_check_shows_what_differs(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="static/app.css", Body=b"body{}", ContentType="text/css",
                  CacheControl="public, max-age=31536000")
    server = HeaderServer({"Cache-Control": "max-age=60", "Content-Type": "text/css", "Age": "1234",
                           "X-Cache": "Hit from cloudfront"})
    try:
        (tmp_path / "pail").mkdir()
        (tmp_path / "pail" / "config").write_text(f"[bucket {bucket}]\ncdn_domain = {server.url}\n")
        env = dict(pail.env, XDG_CONFIG_HOME=str(tmp_path))
        with TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, f"s3://{bucket}/static/"], env) as t:
            t.wait_idle()
            t.send("j")
            t.send("y")
            # Each screen waited for whole: tmux may capture a frame half drawn.
            screen = t.wait_for(["check public URL", f"{server.url}/static/app.css"])
            t.send(screen[screen.index("check public URL") - 2])

            def cache_control_differs(s):
                line = next((l for l in s.splitlines() if "Cache-Control" in l), "")
                return "≠" in line and "max-age=60" in line and "max-age=31536000" in line
            screen = t.wait_for(lambda s: all(x in s for x in ("served by the URL", "HTTP 200", "Hit from cloudfront",
                                                              "1234", "Content-Type")) and cache_control_differs(s),
                                what="the check's answer, Cache-Control differing")
            assert "≠" not in next(l for l in screen.splitlines() if "Content-Type" in l)
            t.send("Escape")
            t.send("q")
            t.wait_for("EXITED 0")
    finally:
        server.close()


def config_env(tmp_path, text):
    (tmp_path / "pail").mkdir(exist_ok=True)
    (tmp_path / "pail" / "config").write_text(text)
    return {"XDG_CONFIG_HOME": str(tmp_path)}


KEY, ENCODED = "media/a b+ü~/🎉 (1).jpg", "media/a%20b%2B%C3%BC~/%F0%9F%8E%89%20%281%29.jpg"


def test_spaces_cdn_is_offered_beside_the_custom_domain(endpoint, tmp_path):
    pail = Pail(endpoint)
    spaces = ["--endpoint-url", "https://nyc3.digitaloceanspaces.com", "--region", "nyc3"]
    env = config_env(tmp_path, "[bucket site]\ncdn_domain = cdn.example.com\n")
    rows = dict(line.split("\t") for line in
                pail.run("url", *spaces, "--all", f"s3://site/{KEY}", env=env, endpoint=False)
                .stdout.decode().splitlines())
    assert rows["cdn"] == f"https://cdn.example.com/{ENCODED}"
    assert rows["spaces-cdn"] == f"https://site.nyc3.cdn.digitaloceanspaces.com/{ENCODED}"
    assert rows["https"] == f"https://site.nyc3.digitaloceanspaces.com/{ENCODED}"
    assert rows["s3"] == f"s3://site/{KEY}" and "arn" not in rows and "r2.dev" not in rows
    # --cdn: the custom domain where there is one, else the Spaces CDN.
    got = pail.run("url", *spaces, "--cdn", f"s3://site/{KEY}", env=env, endpoint=False).stdout.decode().strip()
    assert got == f"https://cdn.example.com/{ENCODED}"
    got = pail.run("url", *spaces, "--cdn", f"s3://other/{KEY}", env=env, endpoint=False).stdout.decode().strip()
    assert got == f"https://other.nyc3.cdn.digitaloceanspaces.com/{ENCODED}"
    # Not on Spaces: no Spaces form, and --cdn without a domain still says how to set one.
    rows = pail.run("url", "--all", "s3://site/k", env=env).stdout.decode()
    assert "spaces-cdn" not in rows and "cdn\thttps://cdn.example.com/k\n" in rows
    proc = pail.run("url", "--cdn", "s3://other/k", env=env, check=False)
    assert proc.returncode == 1 and "cdn_domain" in proc.stderr.decode()


def test_r2_development_url_from_the_configuration_file(endpoint, tmp_path):
    pail = Pail(endpoint)
    dev = "https://pub-0123456789abcdef0123456789abcdef.r2.dev"
    env = config_env(tmp_path, f"[bucket assets]\nr2_dev_url = {dev}/\n")
    r2 = ["--endpoint-url", "https://0123abcd.r2.cloudflarestorage.com", "--region", "auto"]
    got = pail.run("url", *r2, "--cdn", f"s3://assets/{KEY}", env=env, endpoint=False).stdout.decode().strip()
    assert got == f"{dev}/{ENCODED}"
    rows = pail.run("url", *r2, "--all", f"s3://assets/{KEY}", env=env, endpoint=False).stdout.decode()
    assert f"r2.dev\t{dev}/{ENCODED}\n" in rows and "\ncdn\t" not in rows
    env = config_env(tmp_path, "[bucket assets]\nr2_dev_url = https://assets.example.com\n")
    proc = pail.run("url", "s3://assets/k", env=env)
    assert "config:2" in proc.stderr.decode() and "r2_dev_url" in proc.stderr.decode()


def test_check_of_an_unreachable_cdn_names_the_cdn_domain(pail, s3, bucket, tmp_path):
    """The endpoint answers; the CDN domain does not: the error is about the CDN."""
    import socket
    s3.put_object(Bucket=bucket, Key="static/app.css", Body=b"body{}")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    env = config_env(tmp_path, f"[bucket {bucket}]\ncdn_domain = http://127.0.0.1:{closed}\n")
    proc = pail.run("url", "--check", f"s3://{bucket}/static/app.css", env=env, check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 1 and len(err.strip().splitlines()) == 1, err
    assert (f"http://127.0.0.1:{closed}, the CDN domain http://127.0.0.1:{closed} "
            f"(cdn_domain in [bucket {bucket}]") in err
    assert "--endpoint-url" not in err, err
    # Without a CDN the check goes to the endpoint, which answers.
    out = pail.run("url", "--check", f"s3://{bucket}/static/app.css").stdout.decode()
    assert f"URL: {pail.endpoint}/{bucket}/static/app.css" in out and "status: " in out
