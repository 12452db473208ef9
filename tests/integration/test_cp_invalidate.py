"""Issue 14: `cp --invalidate` sends what it wrote (uploads, copies within S3) to the bucket's
CloudFront distribution, against moto_server's CloudFront as in test_cloudfront.py."""
from conftest import make_boto, new_bucket_name
from test_cloudfront import cdn_pail, cloudfront, make_distribution, sent_invalidations  # noqa: F401


def setup_bucket(moto_endpoint, tmp_path):
    cf = cloudfront(moto_endpoint)
    s3 = make_boto(moto_endpoint, "testing", "testing")
    bucket = new_bucket_name()
    s3.create_bucket(Bucket=bucket)
    dist = make_distribution(cf, f"{bucket}.s3.amazonaws.com", origin_path="/static")
    (tmp_path / "config").write_text(f"[bucket {bucket}]\ncloudfront_distribution = {dist['Id']}\n"
                                     "cdn_origin_path = static/\n")
    return cf, s3, bucket, dist["Id"]


def test_cp_invalidate_sends_the_uploaded_and_copied_keys(cdn_pail, moto_endpoint, tmp_path):
    cf, s3, bucket, dist = setup_bucket(moto_endpoint, tmp_path)
    src = tmp_path / "site"
    (src / "css").mkdir(parents=True)
    (src / "css" / "app.css").write_bytes(b"body{}")
    (src / "logo.png").write_bytes(b"png")
    cdn_pail.run("cp", "-r", "--invalidate", f"{src}/", f"s3://{bucket}/static/")
    assert s3.get_object(Bucket=bucket, Key="static/css/app.css")["Body"].read() == b"body{}"
    sent = sent_invalidations(cf, dist)
    assert [sorted(p) for p, _ in sent.values()] == [["/css/app.css", "/logo.png"]], sent
    # A copy within S3: only the key written is sent, mapped through the origin path.
    s3.put_object(Bucket=bucket, Key="build/app.js", Body=b"js")
    cdn_pail.run("cp", "--invalidate", f"s3://{bucket}/build/app.js", f"s3://{bucket}/static/js/")
    sent = sent_invalidations(cf, dist)
    assert sorted(sorted(p) for p, _ in sent.values()) == [["/css/app.css", "/logo.png"], ["/js/app.js"]], sent


def test_cp_invalidate_sends_nothing_when_nothing_was_written(cdn_pail, moto_endpoint, tmp_path):
    cf, s3, bucket, dist = setup_bucket(moto_endpoint, tmp_path)
    (tmp_path / "a.css").write_bytes(b"a")
    cdn_pail.run("cp", str(tmp_path / "a.css"), f"s3://{bucket}/static/")
    again = cdn_pail.run("cp", "--skip-identical", "--invalidate", str(tmp_path / "a.css"), f"s3://{bucket}/static/")
    assert "1 already identical" in again.stderr.decode()
    assert sent_invalidations(cf, dist) == {}


def test_cp_invalidate_refuses_downloads(cdn_pail, tmp_path):
    proc = cdn_pail.run("cp", "--invalidate", "s3://b/k", str(tmp_path / "k"), check=False)
    assert proc.returncode != 0 and "--invalidate is for uploads and copies" in proc.stderr.decode()
