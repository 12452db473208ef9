"""Issue 14, the CDN: `pail invalidate` and `set-headers --invalidate` against moto_server's
CloudFront (the same endpoint as its S3, told apart by the signature's service), a
purge_command run with the changed URLs, and the CORS part of the public-URL check against a
small local HTTP server answering with and without CORS headers."""
import http.server
import json
import os
import stat
import threading
import uuid

import boto3
import pytest

from conftest import Pail, make_boto, new_bucket_name


def cloudfront(moto_endpoint):
    return boto3.client("cloudfront", endpoint_url=moto_endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def make_distribution(cf, origin_host, origin_path="", aliases=()):
    config = {
        "CallerReference": str(uuid.uuid4()), "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "o1", "DomainName": origin_host, "OriginPath": origin_path,
                                              "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "o1", "ViewerProtocolPolicy": "allow-all", "MinTTL": 0,
                                 "TrustedSigners": {"Enabled": False, "Quantity": 0},
                                 "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}}},
    }
    if aliases:
        config["Aliases"] = {"Quantity": len(aliases), "Items": list(aliases)}
    return cf.create_distribution(DistributionConfig=config)["Distribution"]


def sent_invalidations(cf, distribution):
    """Every invalidation of a distribution: id -> (paths, caller reference)."""
    out = {}
    for item in cf.list_invalidations(DistributionId=distribution)["InvalidationList"].get("Items", []):
        batch = cf.get_invalidation(DistributionId=distribution, Id=item["Id"])["Invalidation"]["InvalidationBatch"]
        out[item["Id"]] = (batch["Paths"].get("Items", []), batch["CallerReference"])
    return out


@pytest.fixture
def cdn_pail(moto_endpoint, tmp_path):
    p = Pail(moto_endpoint, key="testing", secret="testing", home=str(tmp_path))
    p.env["AWS_ENDPOINT_URL_CLOUDFRONT"] = moto_endpoint
    p.env["PAIL_CONFIG"] = str(tmp_path / "config")
    return p


def invalidate(p, *args, check=True):
    return p.run("invalidate", "--endpoint-url", p.endpoint, *args, check=check, endpoint=False)


def test_invalidate_finds_the_distribution_by_its_origin_and_maps_keys_through_the_origin_path(cdn_pail, moto_endpoint):
    cf = cloudfront(moto_endpoint)
    bucket = new_bucket_name()
    other = make_distribution(cf, f"{new_bucket_name()}.s3.amazonaws.com")
    dist = make_distribution(cf, f"{bucket}.s3.eu-west-1.amazonaws.com", origin_path="/static")
    proc = invalidate(cdn_pail, f"s3://{bucket}/static/css/app.css", f"s3://{bucket}/static/fonts/a b~[1]?.woff2",
                      f"s3://{bucket}/static/img/", f"s3://{bucket}/static/img/logo.png", f"s3://{bucket}/media/x.jpg",
                      f"s3://{bucket}/static/café.css")
    printed = proc.stdout.decode().split()
    sent = sent_invalidations(cf, dist["Id"])
    assert printed == list(sent), (printed, sent)
    paths, reference = sent[printed[0]]
    # The origin path is dropped, unsafe and non-ASCII bytes are encoded and nothing else, the
    # prefix is one wildcard that also covers the key under it, and media/ is not on the CDN.
    assert paths == ["/css/app.css", "/fonts/a%20b%7E%5B1%5D%3F.woff2", "/img/*", "/caf%C3%A9.css"], paths
    assert reference.startswith("pail-")
    assert sent_invalidations(cf, other["Id"]) == {}
    err = proc.stderr.decode()
    assert f"CloudFront distribution {dist['Id']}" in err and "1 target is outside the CDN's origin path static/" in err


def test_invalidate_with_a_distribution_prints_json_and_batches_wildcards_within_cloudfronts_limit(
        cdn_pail, moto_endpoint):
    cf = cloudfront(moto_endpoint)
    bucket = new_bucket_name()
    dist = make_distribution(cf, f"{bucket}.s3.amazonaws.com")
    prefixes = [f"s3://{bucket}/p{i:02}/" for i in range(16)]
    proc = invalidate(cdn_pail, "--distribution", dist["Id"], "--json", "--no-wait", *prefixes)
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    # 16 wildcard paths: CloudFront takes 15 in progress, so two invalidations, the second sent
    # after the first completed.
    assert [r["paths"] for r in rows] == [15, 1], rows
    sent = sent_invalidations(cf, dist["Id"])
    assert sorted(len(p) for p, _ in sent.values()) == [1, 15]
    assert {r["invalidation_id"] for r in rows} == set(sent)
    assert all(r["distribution"] == dist["Id"] for r in rows)
    assert sorted(p for paths, _ in sent.values() for p in paths) == [f"/p{i:02}/*" for i in range(16)]
    assert len({ref for _, ref in sent.values()}) == 2, "every invalidation has its own CallerReference"


def test_invalidate_refuses_what_it_cannot_resolve(cdn_pail, moto_endpoint):
    cf = cloudfront(moto_endpoint)
    bucket = new_bucket_name()
    proc = invalidate(cdn_pail, f"s3://{bucket}/a.css", check=False)
    assert proc.returncode == 1
    assert f"no CloudFront distribution has bucket {bucket} as an origin" in proc.stderr.decode()
    make_distribution(cf, f"{bucket}.s3.amazonaws.com")
    make_distribution(cf, f"{bucket}.s3-website-us-east-1.amazonaws.com")
    proc = invalidate(cdn_pail, f"s3://{bucket}/a.css", check=False)
    assert proc.returncode == 1 and "several CloudFront distributions" in proc.stderr.decode()
    proc = invalidate(cdn_pail, "--distribution", "E0DOESNOTEXIST", f"s3://{bucket}/a.css", check=False)
    assert proc.returncode == 1 and "NoSuchDistribution" in proc.stderr.decode()
    assert proc.stderr.decode().count("\n") == 1, proc.stderr


def test_set_headers_invalidate_sends_only_what_changed(cdn_pail, moto_endpoint, tmp_path):
    cf = cloudfront(moto_endpoint)
    s3 = make_boto(moto_endpoint, "testing", "testing")
    bucket = new_bucket_name()
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="static/a.css", Body=b"a", CacheControl="no-cache")
    s3.put_object(Bucket=bucket, Key="static/b.css", Body=b"b", CacheControl="public, max-age=60")
    s3.put_object(Bucket=bucket, Key="static/c.css", Body=b"c", CacheControl="no-cache")
    dist = make_distribution(cf, f"{bucket}.s3.amazonaws.com", origin_path="/static")
    (tmp_path / "config").write_text(f"[bucket {bucket}]\ncloudfront_distribution = {dist['Id']}\n"
                                     "cdn_origin_path = static/\n")
    cdn_pail.run("set-headers", "-r", "--yes", "--invalidate", "--cache-control", "public, max-age=60",
                 f"s3://{bucket}/static/")
    sent = sent_invalidations(cf, dist["Id"])
    assert [sorted(p) for p, _ in sent.values()] == [["/a.css", "/c.css"]], sent
    assert s3.head_object(Bucket=bucket, Key="static/a.css")["CacheControl"] == "public, max-age=60"
    # Every object under the prefix changed: one wildcard for the prefix, here the whole origin.
    cdn_pail.run("set-headers", "-r", "--yes", "--invalidate", "--cache-control", "public, max-age=120",
                 f"s3://{bucket}/static/")
    sent = sent_invalidations(cf, dist["Id"])
    assert sorted(sorted(p) for p, _ in sent.values()) == [["/*"], ["/a.css", "/c.css"]], sent


PURGE_SCRIPT = """#!/usr/bin/env python3
import sys
with open(sys.argv[1], "a") as f:
    f.write("ARGS " + " ".join(sys.argv[2:]) + "\\n")
    f.write("STDIN " + " ".join(sys.stdin.read().split()) + "\\n")
sys.exit(int(sys.argv[2]) if sys.argv[2].isdigit() else 0)
"""


def test_purge_command_runs_without_a_shell_with_the_changed_urls(cdn_pail, tmp_path):
    script = tmp_path / "purge.py"
    script.write_text(PURGE_SCRIPT)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / "log; touch pwned"
    bucket = new_bucket_name()
    (tmp_path / "config").write_text(f"[bucket {bucket}]\ncdn_domain = cdn.example.com\ncdn_origin_path = static/\n"
                                     f"purge_command = {script} '{log}'\n")
    proc = invalidate(cdn_pail, f"s3://{bucket}/static/css/app.css", f"s3://{bucket}/static/a b.js",
                      f"s3://{bucket}/static/img/", f"s3://{bucket}/$(touch pwned2)")
    lines = log.read_text().splitlines()
    urls = "https://cdn.example.com/css/app.css https://cdn.example.com/a%20b.js https://cdn.example.com/img/*"
    assert lines == ["ARGS " + urls, "STDIN " + urls], lines
    assert not (tmp_path / "pwned").exists() and not os.path.exists("pwned2")
    assert "outside cdn_origin_path" in proc.stderr.decode()
    # A failing command is an error, with its status.
    (tmp_path / "config").write_text(f"[bucket {bucket}]\ncdn_domain = cdn.example.com\n"
                                     f"purge_command = {script} '{log}' 3\n")
    proc = invalidate(cdn_pail, f"s3://{bucket}/x.css", check=False)
    assert proc.returncode == 1 and "exited with status 3" in proc.stderr.decode()


class CORSHandler(http.server.BaseHTTPRequestHandler):
    seen = []

    def do_HEAD(self):
        CORSHandler.seen.append((self.path, self.headers.get("Origin")))
        self.send_response(200)
        self.send_header("Content-Type", "font/woff2")
        self.send_header("Cache-Control", "public, max-age=31536000")
        if self.path.startswith("/cors/"):
            self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin") or "*")
            self.send_header("Vary", "Origin")
        elif self.path.startswith("/novary/"):
            self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin") or "*")
        self.send_header("X-Cache", "Hit from cloudfront")
        self.send_header("Age", "42")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cors_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CORSHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    CORSHandler.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_public_url_check_sends_the_site_origin_and_reports_cors(cdn_pail, cors_server, tmp_path):
    bucket = new_bucket_name()
    (tmp_path / "config").write_text(f"[bucket {bucket}]\ncdn_domain = {cors_server}\n"
                                     "site_origin = https://www.example.com/\n")

    def check(key, *extra):
        return cdn_pail.run("url", "--check", *extra, f"s3://{bucket}/{key}").stdout.decode().splitlines()

    with_cors = check("cors/font.woff2")
    assert CORSHandler.seen[-1] == ("/cors/font.woff2", "https://www.example.com")
    assert "Access-Control-Allow-Origin: https://www.example.com" in with_cors, with_cors
    assert "Vary: Origin" in with_cors
    assert "cache: X-Cache: Hit from cloudfront, Age: 42" in with_cors
    assert not any("blocks" in line for line in with_cors)

    without = check("plain/font.woff2")
    assert ("Access-Control-Allow-Origin: (none)  (a browser on https://www.example.com blocks fonts and modules "
            "from here)") in without, without

    no_vary = check("novary/font.woff2", "--origin", "https://other.example.org")
    assert CORSHandler.seen[-1] == ("/novary/font.woff2", "https://other.example.org")
    assert any(line.startswith("Vary: (none)  (no Origin") for line in no_vary), no_vary


def test_header_audit_finds_fonts_served_without_cors_for_the_site(pail, s3, bucket, cors_server, tmp_path):
    for key in ["static/cors/a.woff2", "static/plain/b.woff2", "static/plain/c.ttf", "static/plain/d.css",
                "static/novary/e.otf"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    config = tmp_path / "config"
    config.write_text(f"[bucket {bucket}]\ncdn_domain = {cors_server}\ncdn_origin_path = static/\n"
                      "site_origin = https://www.example.com\n")
    proc = pail.run("headers", "-r", "--json", "--match", "no-cors", f"s3://{bucket}/static/",
                    env={"PAIL_CONFIG": str(config)})
    keys = [json.loads(line)["key"] for line in proc.stdout.decode().splitlines()]
    # The CSS needs no CORS; the fonts the CDN answers without it are what the site cannot load.
    assert keys == ["static/plain/b.woff2", "static/plain/c.ttf"], keys
    assert ("/plain/b.woff2", "https://www.example.com") in CORSHandler.seen
    assert not any(path.endswith(".css") for path, _ in CORSHandler.seen), "only fonts are probed"


def test_sync_invalidate_sends_what_it_uploaded_and_deleted(cdn_pail, moto_endpoint, tmp_path):
    cf = cloudfront(moto_endpoint)
    s3 = make_boto(moto_endpoint, "testing", "testing")
    bucket = new_bucket_name()
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="static/same.css", Body=b"same")
    s3.put_object(Bucket=bucket, Key="static/gone.css", Body=b"gone")
    dist = make_distribution(cf, f"{bucket}.s3.amazonaws.com")
    (tmp_path / "config").write_text(f"[bucket {bucket}]\ncloudfront_distribution = {dist['Id']}\n")
    site = tmp_path / "site"
    site.mkdir()
    (site / "same.css").write_bytes(b"same")
    (site / "new.css").write_bytes(b"new")
    cdn_pail.run("sync", "--delete", "--yes", "--invalidate", str(site), f"s3://{bucket}/static/")
    sent = sent_invalidations(cf, dist["Id"])
    assert [sorted(p) for p, _ in sent.values()] == [["/static/gone.css", "/static/new.css"]], sent
