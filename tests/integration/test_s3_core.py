"""Issue 2: the S3 client against a real server, cross-checked with boto3."""
import json
import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import Pail, make_boto
from fault_proxy import FaultyProxy

# Every character class the contract names, one key each, plus a trailing slash.
SPECIAL_KEYS = [
    "space name.txt", "plus+sign.txt", "percent%41.txt", "tilde~.txt", "quote'.txt", "paren(1).txt",
    "bang!.txt", "star*.txt", "equals=.txt", "amp&.txt", "question?.txt", "hash#.txt", "semi;.txt",
    "colon:.txt", "at@.txt", "accents/éàü ñ.txt", "cjk/漢字テスト.txt", "emoji/🎉🚀.txt",
    "dir/trailing-slash/", "ctrl/tab\there.txt", "ctrl/new\nline.txt", "ctrl/esc\x1b[31mred.txt",
]

# SeaweedFS folds or refuses these; moto_server keeps them as AWS does.
AWS_ONLY_KEYS = ["a//b", "/x", "../x", "k" * 1024]


def ls_json(pail, target, recursive=True):
    args = ["ls", "--json"] + (["-r"] if recursive else []) + [target]
    out = pail.run(*args).stdout.decode()
    return [json.loads(line) for line in out.splitlines()]


def size_for(i, key):
    # A key ending in "/" is a folder marker: SeaweedFS keeps it as an empty directory entry.
    return 0 if key.endswith("/") else i


def test_keys_written_by_boto3_are_listed_and_stated_exactly(pail, s3, bucket):
    for i, key in enumerate(SPECIAL_KEYS):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x" * size_for(i, key))
    listed = ls_json(pail, f"s3://{bucket}")
    assert sorted(o["key"] for o in listed) == sorted(SPECIAL_KEYS)
    sizes = {o["key"]: o["size"] for o in listed}
    for i, key in enumerate(SPECIAL_KEYS):
        assert sizes[key] == size_for(i, key)
        stat = json.loads(pail.run("stat", "--json", f"s3://{bucket}/{key}").stdout)
        assert stat["key"] == key
        assert stat["size"] == size_for(i, key)


def test_keys_written_by_pail_read_back_by_boto3(pail, s3, bucket, tmp_path):
    for i, key in enumerate(SPECIAL_KEYS):
        if key.endswith("/"):
            continue
        src = tmp_path / f"f{i}"
        src.write_bytes(f"content {i} {key}".encode())
        pail.run("cp", str(src), f"s3://{bucket}/{key}")
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        assert body == f"content {i} {key}".encode()


def test_text_listing_escapes_control_characters(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="esc\x1b[31mred\ttab", Body=b"1")
    out = pail.run("ls", "-r", f"s3://{bucket}").stdout
    assert b"\x1b" not in out and b"\t" not in out
    assert b"esc\\x1b[31mred\\ttab" in out


@pytest.mark.parametrize("key", AWS_ONLY_KEYS, ids=["double-slash", "leading-slash", "dot-dot", "1024-bytes"])
def test_keys_seaweedfs_folds_round_trip_on_moto(moto_pail, moto_s3, moto_bucket, tmp_path, key):
    moto_s3.put_object(Bucket=moto_bucket, Key=key, Body=b"from boto3")
    assert [o["key"] for o in ls_json(moto_pail, f"s3://{moto_bucket}")] == [key]
    stat = json.loads(moto_pail.run("stat", "--json", f"s3://{moto_bucket}/{key}").stdout)
    assert stat["key"] == key and stat["size"] == 10
    moto_s3.delete_object(Bucket=moto_bucket, Key=key)
    src = tmp_path / "src"
    src.write_bytes(b"from pail")
    moto_pail.run("cp", str(src), f"s3://{moto_bucket}/{key}")
    assert moto_s3.get_object(Bucket=moto_bucket, Key=key)["Body"].read() == b"from pail"
    assert [o["Key"] for o in moto_s3.list_objects_v2(Bucket=moto_bucket)["Contents"]] == [key]


def put_many(s3, bucket, keys, body=b"."):
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=body), keys))


def test_listing_crosses_pages_and_groups_common_prefixes(pail, s3, bucket):
    keys = [f"many/{i:05d}.txt" for i in range(2100)] + [f"tree/p{i:04d}/x" for i in range(1050)] + ["tree/top.txt"]
    put_many(s3, bucket, keys)
    listed = ls_json(pail, f"s3://{bucket}/many/")
    assert [o["key"] for o in listed] == sorted(k for k in keys if k.startswith("many/"))
    everything = ls_json(pail, f"s3://{bucket}")
    assert [o["key"] for o in everything] == sorted(keys)
    level = ls_json(pail, f"s3://{bucket}/tree/", recursive=False)
    prefixes = [e["prefix"] for e in level if "prefix" in e]
    objects = [e["key"] for e in level if "key" in e]
    assert prefixes == [f"tree/p{i:04d}/" for i in range(1050)]
    assert objects == ["tree/top.txt"]
    text = pail.run("ls", f"s3://{bucket}/tree/").stdout.decode().splitlines()
    assert text[0].strip() == "PRE p0000/" and text[-1].endswith(" top.txt")


def test_json_fields_follow_the_contract(pail, s3, bucket, moto_pail, moto_s3, moto_bucket):
    s3.put_object(Bucket=bucket, Key="a/b.css", Body=b"body{}", ContentType="text/css", CacheControl="max-age=60",
                  ContentEncoding="gzip", ContentDisposition="inline", ContentLanguage="fr",
                  Expires="Wed, 21 Oct 2026 07:28:00 GMT", Metadata={"Origin": "test", "x": "1"})
    (obj,) = ls_json(pail, f"s3://{bucket}")
    assert set(obj) == {"key", "size", "last_modified", "etag", "storage_class"}
    assert obj["etag"] == s3.head_object(Bucket=bucket, Key="a/b.css")["ETag"].strip('"')
    assert obj["last_modified"].endswith("Z")
    stat = json.loads(pail.run("stat", "--json", f"s3://{bucket}/a/b.css").stdout)
    assert stat["content_type"] == "text/css"
    assert stat["cache_control"] == "max-age=60"
    assert stat["content_encoding"] == "gzip"
    assert stat["content_disposition"] == "inline"
    assert stat["content_language"] == "fr"
    assert stat["metadata"] == {"origin": "test", "x": "1"}
    assert stat["expires"] == "Wed, 21 Oct 2026 07:28:00 GMT"
    # Unversioned and unencrypted: the fields are there, and null.
    assert stat["version_id"] is None and stat["server_side_encryption"] is None
    # moto (as AWS) keeps versions and SSE-S3: the values are the server's.
    moto_s3.put_bucket_versioning(Bucket=moto_bucket, VersioningConfiguration={"Status": "Enabled"})
    first = moto_s3.put_object(Bucket=moto_bucket, Key="v.txt", Body=b"1")["VersionId"]
    second = moto_s3.put_object(Bucket=moto_bucket, Key="v.txt", Body=b"2", ServerSideEncryption="AES256")["VersionId"]
    assert first != second
    stat = json.loads(moto_pail.run("stat", "--json", f"s3://{moto_bucket}/v.txt").stdout)
    assert stat["version_id"] == second
    assert stat["server_side_encryption"] == "AES256"
    assert stat["expires"] is None


def test_wrong_secret_gives_a_clear_error_and_never_prints_it(endpoint, bucket, tmp_path):
    secret = "WRONG-secret-value-that-must-not-leak-123"
    pail = Pail(endpoint, secret=secret)
    log = tmp_path / "debug.log"
    proc = pail.run("ls", "--debug", str(log), f"s3://{bucket}", check=False)
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "SignatureDoesNotMatch" in err and "secret access key" in err
    assert len(err.strip().splitlines()) == 1
    for blob in (proc.stdout.decode(), err, log.read_text()):
        assert secret not in blob


def test_unknown_access_key_is_named(endpoint, bucket):
    proc = Pail(endpoint, key="NOSUCHKEYID12345", secret="whatever").run("ls", f"s3://{bucket}", check=False)
    assert proc.returncode == 1 and "InvalidAccessKeyId" in proc.stderr.decode()


def test_access_denied_for_a_read_only_identity(endpoint, server_env, bucket, tmp_path):
    pail = Pail(endpoint, key=server_env["PAIL_TEST_READONLY_KEY"], secret=server_env["PAIL_TEST_READONLY_SECRET"])
    src = tmp_path / "f"
    src.write_bytes(b"x")
    proc = pail.run("cp", str(src), f"s3://{bucket}/denied.txt", check=False)
    assert proc.returncode == 1 and "access denied" in proc.stderr.decode()


def test_endpoint_not_listening_fails_fast_and_clearly():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    started = time.time()
    proc = Pail(f"http://127.0.0.1:{port}").run("ls", check=False)
    assert time.time() - started < 12
    assert proc.returncode == 1
    assert "cannot connect" in proc.stderr.decode()


def test_missing_bucket_and_key_errors(pail, bucket):
    proc = pail.run("ls", "s3://pail-no-such-bucket-xyz", check=False)
    assert proc.returncode == 1 and "NoSuchBucket" in proc.stderr.decode()
    proc = pail.run("stat", f"s3://{bucket}/missing.txt", check=False)
    assert proc.returncode == 1 and "not found" in proc.stderr.decode()


def test_no_credentials_lists_where_pail_looked(endpoint, tmp_path):
    proc = Pail(endpoint, key=None, home=str(tmp_path)).run("ls", check=False)
    assert proc.returncode == 1
    err = proc.stderr.decode()
    assert "no AWS credentials" in err and "AWS_ACCESS_KEY_ID" in err and ".aws/credentials" in err


def test_profiles_from_aws_files(endpoint, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="p.txt", Body=b"p")
    aws = tmp_path / ".aws"
    aws.mkdir()
    from s3server import ACCESS_KEY, SECRET_KEY
    (aws / "credentials").write_text(f"[base]\naws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
                                     "[wrong]\naws_access_key_id = X\naws_secret_access_key = Y\n")
    helper = tmp_path / "creds.sh"
    helper.write_text(f"#!/bin/sh\necho '{{\"Version\": 1, \"AccessKeyId\": \"{ACCESS_KEY}\", "
                      f"\"SecretAccessKey\": \"{SECRET_KEY}\"}}'\n")
    helper.chmod(0o755)
    (aws / "config").write_text(
        "[profile dev]\nsource_profile = base\nregion = us-east-1\n"
        f"s3 =\n  addressing_style = path\n  endpoint_url = {endpoint}\n"
        f"[profile proc]\ncredential_process = {helper}\nendpoint_url = {endpoint}\n")
    for profile in ("dev", "proc"):
        pail = Pail(endpoint, key=None, home=str(tmp_path))
        proc = pail.run("ls", "--profile", profile, "--json", f"s3://{bucket}", endpoint=False)
        assert [json.loads(l)["key"] for l in proc.stdout.decode().splitlines()] == ["p.txt"]
    # --profile beats the environment's keys, as in aws-cli.
    pail = Pail(endpoint, key="X", secret="Y", home=str(tmp_path))
    assert pail.run("ls", "--profile", "dev", f"s3://{bucket}", endpoint=False).returncode == 0
    # AWS_PROFILE picks the profile; environment keys still come first.
    pail = Pail(endpoint, key=None, home=str(tmp_path))
    assert pail.run("ls", f"s3://{bucket}", endpoint=False, env={"AWS_PROFILE": "proc"}).returncode == 0
    proc = pail.run("ls", "--profile", "nosuch", f"s3://{bucket}", endpoint=False, check=False)
    assert proc.returncode == 1 and "nosuch" in proc.stderr.decode()


def test_du_totals_a_prefix_by_child_prefix_biggest_first(pail, s3, bucket):
    sizes = {"media/uploads/a.jpg": 5000, "media/uploads/2024/b.jpg": 7000, "media/thumbs/t.jpg": 300,
             "media/readme.txt": 10, "media-old/x.jpg": 99999}
    for key, size in sizes.items():
        s3.put_object(Bucket=bucket, Key=key, Body=b"x" * size)
    rows = [json.loads(l) for l in pail.run("du", "--json", f"s3://{bucket}/media").stdout.decode().splitlines()]
    assert rows == [
        {"prefix": "media/uploads/", "size": 12000, "objects": 2},
        {"prefix": "media/thumbs/", "size": 300, "objects": 1},
        {"prefix": "media/", "size": 10, "objects": 1, "direct": True},
        {"prefix": "media/", "size": 12310, "objects": 4, "total": True},
    ]
    text = pail.run("du", f"s3://{bucket}/media/").stdout.decode().splitlines()
    assert text[0].split() == ["11.7", "KiB", "2", "objects", f"s3://{bucket}/media/uploads/"]
    assert text[-1].endswith(f"total s3://{bucket}/media/") and "4 objects" in text[-1]


def test_role_profiles_assume_their_role_through_sts(moto_endpoint, moto_s3, moto_bucket, tmp_path):
    """A profile with role_arn: one AssumeRole call signed with the source profile's keys, then
    S3 requests signed with the role's temporary keys and session token (moto plays STS)."""
    moto_s3.put_object(Bucket=moto_bucket, Key="media/a.jpg", Body=b"x")
    aws = tmp_path / ".aws"
    aws.mkdir()
    (aws / "credentials").write_text("[base]\naws_access_key_id = AKIDPAILBASE\n"
                                     "aws_secret_access_key = base-secret-value\n")
    (aws / "config").write_text("[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deploy\n"
                                "source_profile = base\nrole_session_name = pail-test\nregion = us-east-1\n")
    proxy = FaultyProxy(moto_endpoint, lambda m, p, n: "forward")
    debug = tmp_path / "debug.log"
    try:
        pail = Pail(proxy.url, key=None, home=str(tmp_path))
        proc = pail.run("ls", "--profile", "deploy", "--debug", str(debug), "--json", f"s3://{moto_bucket}/media/",
                        env={"AWS_ENDPOINT_URL_STS": proxy.url})
        assert [json.loads(l)["key"] for l in proc.stdout.decode().splitlines()] == ["media/a.jpg"]
        (method, path), sts = proxy.requests[0], proxy.headers[0]
        assert (method, path) == ("POST", "/")
        assert "Credential=AKIDPAILBASE/" in sts["authorization"]
        assert "/us-east-1/sts/aws4_request" in sts["authorization"]
        assert len(proxy.requests) >= 2
        for headers in proxy.headers[1:]:
            credential = headers["authorization"].split("Credential=")[1]
            assert credential.startswith("ASIA") and "/s3/aws4_request" in credential, credential
            assert headers.get("x-amz-security-token")
        log = debug.read_text()
        assert "role arn:aws:iam::123456789012:role/deploy assumed with profile base" in log.splitlines()[0]
        assert "base-secret-value" not in log + proc.stderr.decode()

        # STS out of reach: one line that names the profile, the role and what to check.
        proc = pail.run("ls", "--profile", "deploy", f"s3://{moto_bucket}/", check=False,
                        env={"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1"})
        err = proc.stderr.decode()
        assert proc.returncode == 1 and err.count("\n") == 1, err
        assert "could not assume role arn:aws:iam::123456789012:role/deploy" in err and "AWS_ENDPOINT_URL_STS" in err
    finally:
        proxy.close()


def test_an_mfa_protected_role_asks_for_the_code_on_the_terminal(moto_endpoint, moto_s3, moto_bucket, tmp_path):
    """In tmux, as a person: the code is asked for without echo, sent to STS with the device's
    serial number, and the listing follows. Without a terminal, a one-line refusal."""
    from tmux_harness import TmuxSession
    from conftest import PAIL_BIN
    moto_s3.put_object(Bucket=moto_bucket, Key="mfa-ok.txt", Body=b"x")
    aws = tmp_path / ".aws"
    aws.mkdir()
    (aws / "credentials").write_text("[base]\naws_access_key_id = AKIDPAILBASE\n"
                                     "aws_secret_access_key = base-secret-value\n")
    (aws / "config").write_text("[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = base\n"
                                "mfa_serial = arn:aws:iam::123456789012:mfa/alice\n")
    proxy = FaultyProxy(moto_endpoint, lambda m, p, n: "forward")
    try:
        env = dict(Pail(proxy.url, key=None, home=str(tmp_path)).env, AWS_ENDPOINT_URL_STS=proxy.url)
        argv = [PAIL_BIN, "ls", "--profile", "mfa", "--endpoint-url", proxy.url, f"s3://{moto_bucket}/"]
        with TmuxSession(argv, env, 100, 10) as t:
            t.wait_for("MFA code for arn:aws:iam::123456789012:mfa/alice (profile mfa):")
            t.type("246810")
            t.send("Enter")
            screen = t.wait_for("EXITED")
            assert "mfa-ok.txt" in screen and "EXITED 0" in screen and "246810" not in screen, screen
        assert proxy.requests[0] == ("POST", "/")
        proc = Pail(proxy.url, key=None, home=str(tmp_path)).run("ls", "--profile", "mfa", f"s3://{moto_bucket}/",
                                                                 check=False, env={"AWS_ENDPOINT_URL_STS": proxy.url})
        assert proc.returncode == 1 and "no terminal to ask on" in proc.stderr.decode()
    finally:
        proxy.close()


def test_web_identity_tokens_are_exchanged_for_a_role(moto_endpoint, moto_s3, moto_bucket, tmp_path):
    """A Kubernetes service account's token file and AWS_ROLE_ARN: AssumeRoleWithWebIdentity,
    not signed, then S3 with the role's keys (moto plays STS)."""
    token = tmp_path / "token"
    token.write_text("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYWlsIn0.c2lnbmF0dXJl\n")
    proxy = FaultyProxy(moto_endpoint, lambda m, p, n: "forward")
    try:
        pail = Pail(proxy.url, key=None, home=str(tmp_path))
        pail.run("ls", f"s3://{moto_bucket}/", env={
            "AWS_ENDPOINT_URL_STS": proxy.url, "AWS_WEB_IDENTITY_TOKEN_FILE": str(token),
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/pod", "AWS_ROLE_SESSION_NAME": "pod-1"})
        sts = proxy.headers[0]
        assert proxy.requests[0] == ("POST", "/") and "authorization" not in sts
        assert proxy.headers[1]["authorization"].split("Credential=")[1].startswith("ASIA")
    finally:
        proxy.close()


class FakeCredentialServices:
    """The EC2 instance metadata service (IMDSv2), a container credentials endpoint and the IAM
    Identity Center portal, handing out the test server's real keys: S3 calls succeed only if
    pail found and used them."""

    def __init__(self, key, secret):
        import http.server
        import threading
        self.seen = []
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_PUT(self):
                fake.seen.append(("PUT", self.path, dict(self.headers)))
                if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                    return self.answer(200, b"imds-session-token")
                self.answer(404, b"")

            def do_GET(self):
                fake.seen.append(("GET", self.path, dict(self.headers)))
                creds = json.dumps({"Code": "Success", "AccessKeyId": key, "SecretAccessKey": secret,
                                    "Expiration": "2099-01-01T00:00:00Z"}).encode()
                if self.path.startswith("/latest/") \
                        and self.headers.get("X-aws-ec2-metadata-token") != "imds-session-token":
                    return self.answer(401, b"")
                if self.path == "/latest/meta-data/iam/security-credentials/":
                    return self.answer(200, b"web-server")
                if self.path == "/latest/meta-data/iam/security-credentials/web-server":
                    return self.answer(200, creds)
                if self.path == "/task-creds" and self.headers.get("Authorization") == "task-auth-token":
                    return self.answer(200, creds)
                if self.path == "/federation/credentials?account_id=111122223333&role_name=SiteAdmin":
                    if self.headers.get("x-amz-sso_bearer_token") != "sso-sign-in-token":
                        return self.answer(401, b'{"message": "Session token not found or invalid"}')
                    return self.answer(200, json.dumps({"roleCredentials": {
                        "accessKeyId": key, "secretAccessKey": secret, "expiration": 4070908800000}}).encode())
                self.answer(404, b"")

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def test_the_machines_own_credentials_are_found_last(endpoint, s3, bucket, tmp_path):
    from s3server import ACCESS_KEY, SECRET_KEY
    s3.put_object(Bucket=bucket, Key="m.txt", Body=b"m")
    fake = FakeCredentialServices(ACCESS_KEY, SECRET_KEY)
    try:
        pail = Pail(endpoint, key=None, home=str(tmp_path))
        # An EC2 instance's role, through IMDSv2's session token.
        proc = pail.run("ls", "--debug", str(tmp_path / "imds.log"), f"s3://{bucket}/",
                        env={"AWS_EC2_METADATA_DISABLED": "", "AWS_EC2_METADATA_SERVICE_ENDPOINT": fake.url})
        assert "m.txt" in proc.stdout.decode()
        assert [(m, p) for m, p, _ in fake.seen] == [
            ("PUT", "/latest/api/token"), ("GET", "/latest/meta-data/iam/security-credentials/"),
            ("GET", "/latest/meta-data/iam/security-credentials/web-server")]
        assert f"credentials from the EC2 instance metadata service at {fake.url} (role web-server)" in \
            (tmp_path / "imds.log").read_text().splitlines()[0]
        # A container's, before the instance's.
        fake.seen.clear()
        proc = pail.run("ls", f"s3://{bucket}/", env={
            "AWS_EC2_METADATA_DISABLED": "", "AWS_EC2_METADATA_SERVICE_ENDPOINT": fake.url,
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": fake.url + "/task-creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "task-auth-token"})
        assert "m.txt" in proc.stdout.decode()
        assert [(m, p) for m, p, _ in fake.seen] == [("GET", "/task-creds")]
        # Nothing there: the error lists the metadata service among the places searched.
        fake.close()
        proc = pail.run("ls", f"s3://{bucket}/", check=False,
                        env={"AWS_EC2_METADATA_DISABLED": "", "AWS_EC2_METADATA_SERVICE_ENDPOINT": fake.url})
        err = proc.stderr.decode()
        assert proc.returncode == 1 and "no AWS credentials" in err and "instance metadata" in err, err
    finally:
        fake.close()


def test_sso_profiles_use_the_token_aws_sso_login_left(endpoint, s3, bucket, tmp_path):
    import hashlib
    s3.put_object(Bucket=bucket, Key="sso.txt", Body=b"s")
    aws = tmp_path / ".aws"
    (aws / "sso" / "cache").mkdir(parents=True)
    (aws / "config").write_text("[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\n"
                                "sso_role_name = SiteAdmin\n"
                                "[sso-session corp]\nsso_region = us-east-1\n"
                                "sso_start_url = https://corp.awsapps.com/start\n")
    cache = aws / "sso" / "cache" / (hashlib.sha1(b"corp").hexdigest() + ".json")
    cache.write_text(json.dumps({"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1",
                                 "accessToken": "sso-sign-in-token", "expiresAt": "2099-01-01T00:00:00Z"}))
    from s3server import ACCESS_KEY, SECRET_KEY
    fake = FakeCredentialServices(ACCESS_KEY, SECRET_KEY)
    try:
        pail = Pail(endpoint, key=None, home=str(tmp_path))
        proc = pail.run("ls", "--profile", "dev", f"s3://{bucket}/", env={"AWS_ENDPOINT_URL_SSO": fake.url})
        assert "sso.txt" in proc.stdout.decode()
        # A token the portal no longer takes: one line saying to sign in again.
        cache.write_text(json.dumps({"accessToken": "stale", "expiresAt": "2099-01-01T00:00:00Z"}))
        proc = pail.run("ls", "--profile", "dev", f"s3://{bucket}/", check=False,
                        env={"AWS_ENDPOINT_URL_SSO": fake.url})
        err = proc.stderr.decode()
        assert proc.returncode == 1 and err.count("\n") == 1 and "run `aws sso login --profile dev`" in err, err
    finally:
        fake.close()


def slowdown_proxy(upstream, failures):
    """Answers the first `failures` requests with 503 SlowDown, then forwards to the server."""
    return FaultyProxy(upstream, lambda method, path, n: "503-slowdown" if n < failures else "forward")


def test_slowdown_is_retried_until_it_succeeds(endpoint, s3, bucket):
    s3.put_object(Bucket=bucket, Key="r.txt", Body=b"r")
    proxy = slowdown_proxy(endpoint, 3)
    try:
        proc = Pail(proxy.url).run("ls", "--json", f"s3://{bucket}")
        assert [json.loads(l)["key"] for l in proc.stdout.decode().splitlines()] == ["r.txt"]
        assert proxy.seen == 4
    finally:
        proxy.close()


def test_slowdown_that_never_ends_gives_up_with_a_clear_error(endpoint, bucket):
    proxy = slowdown_proxy(endpoint, 1000)
    try:
        proc = Pail(proxy.url).run("ls", f"s3://{bucket}", check=False)
        assert proc.returncode == 1 and "slow down" in proc.stderr.decode()
        assert proxy.seen == 5
    finally:
        proxy.close()


def test_download_never_leaves_a_partial_file(pail, s3, bucket, tmp_path, endpoint):
    s3.put_object(Bucket=bucket, Key="d.bin", Body=os.urandom(300_000))
    dest = tmp_path / "d.bin"
    pail.run("cp", f"s3://{bucket}/d.bin", str(dest))
    assert dest.read_bytes() == s3.get_object(Bucket=bucket, Key="d.bin")["Body"].read()
    proc = pail.run("cp", f"s3://{bucket}/missing.bin", str(tmp_path / "m.bin"), check=False)
    assert proc.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.bin"]
    proc = pail.run("cp", f"s3://{bucket}/d.bin", str(dest), check=False)
    assert proc.returncode == 1 and "--overwrite" in proc.stderr.decode()
    assert dest.read_bytes() == s3.get_object(Bucket=bucket, Key="d.bin")["Body"].read()
    # Bytes that arrive wrong after the headers: a body cut short with a Content-Length that
    # agrees, and one bit flipped with the ETag kept. Nothing is left: no file, no temporary.
    target = f"/{bucket}/d.bin"
    for fault, says in (("truncate", "does not match the object's 300000"), ("flip-byte", "does not match the ETag")):
        proxy = FaultyProxy(endpoint, lambda m, p, n: fault if m == "GET" and p.split("?")[0] == target else "forward")
        try:
            proc = Pail(proxy.url).run("cp", f"s3://{bucket}/d.bin", str(tmp_path / "bad.bin"), check=False)
        finally:
            proxy.close()
        assert proc.returncode == 1, (fault, proc.stderr)
        assert says in proc.stderr.decode(), proc.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == ["d.bin"], fault
