"""Issue 14 in the browser against moto_server (its CloudFront too): the report's invalidation
after a header edit, and the details pane's tags and ACL; the real pail binary in tmux."""
from conftest import PAIL_BIN, Pail
from test_cloudfront import cloudfront, make_distribution, sent_invalidations
from tmux_harness import TmuxSession


def open_pail(pail, *args, width=110, height=32):
    return TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, *args], dict(pail.env), width, height)


def test_the_report_invalidates_the_edited_object_on_the_distribution_found_by_origin(
        moto_endpoint, moto_s3, moto_bucket, tmp_path):
    cf = cloudfront(moto_endpoint)
    dist = make_distribution(cf, f"{moto_bucket}.s3.amazonaws.com", origin_path="/site")
    moto_s3.put_object(Bucket=moto_bucket, Key="site/app.css", Body=b"body{}", ContentType="text/css",
                       CacheControl="public, max-age=60")
    p = Pail(moto_endpoint, key="testing", secret="testing", home=str(tmp_path))
    p.env["AWS_ENDPOINT_URL_CLOUDFRONT"] = moto_endpoint
    p.env["PAIL_CONFIG"] = str(tmp_path / "config")
    with open_pail(p, f"s3://{moto_bucket}/site/") as t:
        t.wait_for("app.css")
        t.wait_idle()
        t.send("e")
        t.wait_for("Edit headers of")
        t.type("no-cache")
        t.send("Enter")
        t.wait_for("will change")
        t.send("y")
        t.wait_for(["changed 1, skipped 0, failed 0",
                    f"i invalidates 1 changed object on CloudFront distribution {dist['Id']}"],
                   what="the report's offer")
        assert sent_invalidations(cf, dist["Id"]) == {}, "nothing sent before i"
        t.send("i")
        t.wait_for(f"on {dist['Id']}: 1 path,", what="the invalidation's id")
        sent = sent_invalidations(cf, dist["Id"])
        assert len(sent) == 1, sent
        (invalidation, (paths, reference)), = sent.items()
        t.wait_for(f"invalidation {invalidation} on {dist['Id']}", what="the id of the invalidation sent")
    assert moto_s3.head_object(Bucket=moto_bucket, Key="site/app.css")["CacheControl"] == "no-cache"
    # Mapped through the origin path (site/app.css is /app.css on the CDN).
    assert paths == ["/app.css"], paths
    assert reference.startswith("pail-")


def details_of(pail, bucket, key_name, expected):
    """The screen once the details pane shows the tags and ACL lines with every text of
    `expected` (the lines may be drawn before their values, and a frame half drawn)."""
    with open_pail(pail, f"s3://{bucket}/") as t:
        t.wait_for(key_name)
        t.wait_idle()
        # Off and on again: the details of the row under the cursor are asked for at once.
        t.send("Tab")
        t.wait_for(lambda s: "loading headers" not in s, what="the details pane hidden")
        t.send("Tab")
        return t.wait_for(lambda s: "Tags" in s and "ACL" in s and "edit: pail tags" in s
                          and all(x in s for x in expected), what=f"the tags and ACL lines with {expected!r}")


def test_the_details_pane_shows_the_tags_and_acl_boto3_wrote_on_moto(moto_pail, moto_s3, moto_bucket):
    moto_s3.put_object(Bucket=moto_bucket, Key="logo.png", Body=b"png", ContentType="image/png",
                       Tagging="env=prod&team=web", ACL="public-read")
    details_of(moto_pail, moto_bucket, "logo.png", ["env=prod", "team=web", "public-read", "everyone (AllUsers)"])


def test_the_details_pane_shows_the_tags_boto3_wrote_on_seaweedfs(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="logo.png", Body=b"png", ContentType="image/png", Tagging="env=prod")
    screen = details_of(pail, bucket, "logo.png", ["env=prod", "private"])
    # SeaweedFS answers the ACL as private (the owner's full control).
    acl = [line for line in screen.split("\n") if "ACL" in line]
    assert acl and "private" in acl[0], screen
    assert "error" not in screen.split("\n")[-2].lower(), screen
