"""Issue 15: the ten most common first-run failures each end in one line that says what to do.

Server answers pail cannot get from SeaweedFS on demand (a wrong region, a skewed clock, a
listing refused while reads are allowed) come from the fault proxy in front of it; TLS from
the same proxy behind a self-signed certificate.
"""
import hashlib
import json
import socket
import ssl
import subprocess

import pytest

from conftest import Pail
from fault_proxy import FaultyProxy


def one_line(proc):
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert err.count("\n") == 1 and err.startswith("pail: "), repr(err)
    return err


def error_body(code, message, extra=""):
    return (f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code><Message>{message}</Message>"
            f"{extra}<RequestId>r1</RequestId></Error>").encode()


@pytest.fixture
def answering():
    """A proxy in front of the test server that answers some requests itself."""
    proxies = []

    def start(upstream, decide):
        p = FaultyProxy(upstream, decide)
        proxies.append(p)
        return p

    yield start
    for p in proxies:
        p.close()


def test_no_credentials(endpoint, tmp_path):
    err = one_line(Pail(endpoint, key=None, home=str(tmp_path)).run("ls", check=False))
    assert "no AWS credentials found" in err
    assert "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, use --profile" in err


def test_wrong_region(endpoint, bucket, answering):
    body = error_body("AuthorizationHeaderMalformed",
                      "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'",
                      "<Region>eu-west-1</Region>")
    proxy = answering(endpoint, lambda m, p, n: ("respond", 400, body))
    err = one_line(Pail(proxy.url).run("ls", f"s3://{bucket}/", check=False))
    assert "use --region eu-west-1" in err, err


def test_wrong_endpoint_connection_refused():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    err = one_line(Pail(f"http://127.0.0.1:{port}").run("ls", check=False))
    assert f"cannot connect to http://127.0.0.1:{port}" in err and "check --endpoint-url" in err


def test_wrong_endpoint_unknown_host():
    err = one_line(Pail("http://no-such-host.invalid:9000").run("ls", check=False))
    assert "cannot resolve the host of http://no-such-host.invalid:9000" in err and "check --endpoint-url" in err


def test_sso_token_expired(endpoint, bucket, tmp_path):
    aws = tmp_path / ".aws"
    (aws / "sso" / "cache").mkdir(parents=True)
    (aws / "config").write_text("[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\n"
                                "sso_role_name = SiteAdmin\n[sso-session corp]\nsso_region = us-east-1\n"
                                "sso_start_url = https://corp.awsapps.com/start\n")
    (aws / "sso" / "cache" / (hashlib.sha1(b"corp").hexdigest() + ".json")).write_text(json.dumps(
        {"accessToken": "old", "expiresAt": "2020-01-01T00:00:00Z"}))
    pail = Pail(endpoint, key=None, home=str(tmp_path))
    err = one_line(pail.run("ls", "--profile", "dev", f"s3://{bucket}/", check=False))
    assert "expired" in err and "run `aws sso login --profile dev`" in err


def test_clock_skew(endpoint, bucket, answering):
    body = error_body("RequestTimeTooSkewed",
                      "The difference between the request time and the current time is too large.")
    proxy = answering(endpoint, lambda m, p, n: ("respond", 403, body))
    err = one_line(Pail(proxy.url).run("ls", f"s3://{bucket}/", check=False))
    assert "RequestTimeTooSkewed" in err and "fix the system time" in err and "timedatectl" in err


def test_access_denied_on_list_but_not_get(endpoint, s3, bucket, answering):
    s3.put_object(Bucket=bucket, Key="reports/2024.csv", Body=b"x")
    body = error_body("AccessDenied", "Access Denied")
    proxy = answering(endpoint, lambda m, p, n: ("respond", 403, body) if "list-type=2" in p else "forward")
    pail = Pail(proxy.url)
    err = one_line(pail.run("ls", f"s3://{bucket}/reports/", check=False))
    assert f"s3://{bucket}/reports/" in err and "s3:ListBucket" in err, err
    assert f"pail stat s3://{bucket}/KEY" in err, err
    # What it says works: the object itself can be read by its full name.
    assert pail.run("stat", f"s3://{bucket}/reports/2024.csv").returncode == 0


def make_certificate(tmp_path, names):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    san = ",".join(["IP:127.0.0.1"] + [f"DNS:{n}" for n in names])
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", f"subjectAltName={san}", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return key, cert


def tls_proxy(endpoint, tmp_path, names=("localhost",)):
    """The fault proxy behind a self-signed certificate, as a corporate TLS-inspecting proxy."""
    key, cert = make_certificate(tmp_path, names)
    proxy = FaultyProxy(endpoint, lambda m, p, n: "forward")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    proxy.server.socket = context.wrap_socket(proxy.server.socket, server_side=True)
    return proxy, cert, proxy.server.server_address[1]


def test_tls_failure_behind_a_corporate_proxy(endpoint, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"a")
    proxy, cert, port = tls_proxy(endpoint, tmp_path)
    try:
        pail = Pail(f"https://127.0.0.1:{port}")
        err = one_line(pail.run("ls", f"s3://{bucket}/", check=False))
        assert "TLS failed" in err and "set AWS_CA_BUNDLE" in err, err
        # The advice works: with the proxy's CA named, the same listing goes through.
        proc = pail.run("ls", f"s3://{bucket}/", env={"AWS_CA_BUNDLE": str(cert)})
        assert "a.txt" in proc.stdout.decode()
    finally:
        proxy.close()


def test_bucket_name_with_dots_on_virtual_hosts_over_https(endpoint, s3, tmp_path):
    # A wildcard certificate (*.localhost) cannot cover my.dotted.bucket.localhost: pail
    # addresses a dotted bucket path style over https even when told --virtual-host, so the
    # first try works instead of failing with a certificate error.
    bucket = f"pail.dots.{hashlib.sha1(str(tmp_path).encode()).hexdigest()[:8]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="a.txt", Body=b"a")
    proxy, cert, port = tls_proxy(endpoint, tmp_path, names=("localhost", "*.localhost"))
    try:
        pail = Pail(f"https://localhost:{port}")
        proc = pail.run("ls", "--virtual-host", f"s3://{bucket}/", env={"AWS_CA_BUNDLE": str(cert)}, check=False)
        assert proc.returncode == 0 and "a.txt" in proc.stdout.decode(), proc.stderr
        assert any(p.startswith(f"/{bucket}") for m, p in proxy.requests), proxy.requests
    finally:
        proxy.close()
        s3.delete_object(Bucket=bucket, Key="a.txt")
        s3.delete_bucket(Bucket=bucket)


def test_endpoint_without_scheme(endpoint):
    hostport = endpoint.split("://", 1)[1]
    err = one_line(Pail(hostport).run("ls", check=False))
    assert f"\"{hostport}\" has no scheme: add http:// (--endpoint-url http://{hostport})" in err, err


def test_a_profile_that_does_not_exist(endpoint, tmp_path):
    aws = tmp_path / ".aws"
    aws.mkdir()
    (aws / "credentials").write_text("[default]\naws_access_key_id = a\naws_secret_access_key = b\n"
                                     "[prod]\naws_access_key_id = a\naws_secret_access_key = b\n")
    (aws / "config").write_text("[profile staging]\nregion = eu-west-1\n")
    err = one_line(Pail(endpoint, key=None, home=str(tmp_path)).run("ls", "--profile", "prdo", check=False))
    assert 'profile "prdo" is not in' in err
    assert "known profiles: default, prod, staging" in err and "aws configure --profile prdo" in err, err
