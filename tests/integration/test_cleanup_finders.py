"""pail find, dupes and stale-static against SeaweedFS, with fixtures written by boto3 and by a
real Django (collectstatic with S3ManifestStaticStorage, Storage.save with S3Storage)."""
import json
import os
import subprocess
import sys
import textwrap

from conftest import ROOT, s3server

DJANGO_SCRIPT = textwrap.dedent("""
    import sys, django
    from django.conf import settings
    endpoint, bucket, static_dir, action = sys.argv[1:5]
    s3 = {"bucket_name": bucket, "endpoint_url": endpoint, "access_key": "%s", "secret_key": "%s",
          "region_name": "us-east-1", "addressing_style": "path", "querystring_auth": False}
    settings.configure(
        INSTALLED_APPS=["django.contrib.staticfiles"], STATIC_URL="/static/", STATICFILES_DIRS=[static_dir],
        STORAGES={"default": {"BACKEND": "storages.backends.s3.S3Storage",
                              "OPTIONS": dict(s3, location="media", file_overwrite=False)},
                  "staticfiles": {"BACKEND": "storages.backends.s3.S3ManifestStaticStorage",
                                  "OPTIONS": dict(s3, location="static")}})
    django.setup()
    if action == "collectstatic":
        from django.core.management import call_command
        call_command("collectstatic", interactive=False, verbosity=0)
    else:
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage
        for _ in range(int(sys.argv[5])):
            print(default_storage.save("uploads/photo.jpg", ContentFile(b"the same photo bytes" * 100)))
""" % (s3server.ACCESS_KEY, s3server.SECRET_KEY))


def django(endpoint, bucket, static_dir, action, *extra):
    script = os.path.join(static_dir, "..", "django_run.py")
    with open(script, "w") as f:
        f.write(DJANGO_SCRIPT)
    proc = subprocess.run([sys.executable, script, endpoint, bucket, static_dir, action, *extra],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def keys(s3, bucket, prefix=""):
    out = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        out += [o["Key"] for o in page.get("Contents", [])]
    return out


def json_lines(proc):
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def test_find_matches_every_criterion_within_the_prefix(pail, s3, bucket):
    objects = {"media/2023/a.jpg": 5000, "media/2023/b.jpg": 10, "media/2023/c.png": 5000,
               "media/2023/deep/d.JPG": 7000, "media/2023-old/keep.jpg": 9000, "media/2023.jpg": 9000}
    for k, n in objects.items():
        s3.put_object(Bucket=bucket, Key=k, Body=b"x" * n)
    found = json_lines(pail.run("find", "--name", "*.jpg", "--larger", "1K", "--json", f"s3://{bucket}/media/2023"))
    assert [o["key"] for o in found] == ["media/2023/a.jpg"], "the boundary holds and the pattern is exact"
    assert found[0]["size"] == 5000 and found[0]["etag"]
    found = pail.run("find", "--regex", r"\.(?i:jpe?g)$", "--smaller", "6K",
                     f"s3://{bucket}/media/2023/").stdout.decode()
    assert "media/2023/a.jpg" in found and "media/2023/b.jpg" in found
    assert "deep/d.JPG" not in found and "c.png" not in found
    assert pail.run("find", "--newer", "1h", "--json", f"s3://{bucket}/media/").stdout.count(b"\n") == 6
    assert pail.run("find", "--older", "1d", f"s3://{bucket}/media/").stdout == b""


def test_find_refuses_bad_criteria_with_one_line(pail, bucket):
    for args, words in ((["--larger", "ten"], "not a size"), (["--regex", "(unclosed"], "not a regular expression"),
                        (["--larger", "10M", "--smaller", "1M"], "no size between")):
        proc = pail.run("find", *args, f"s3://{bucket}/", check=False)
        assert proc.returncode != 0
        err = proc.stderr.decode()
        assert words in err and err.count("\n") == 1, err


def test_dupes_groups_django_collision_renames_and_keeps_the_original(pail, s3, bucket, endpoint, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    saved = django(endpoint, bucket, str(static), "save", "3")
    assert saved[0] == "uploads/photo.jpg" and len(set(saved)) == 3, saved
    s3.put_object(Bucket=bucket, Key="media/uploads/other.jpg", Body=b"different bytes")
    s3.put_object(Bucket=bucket, Key="media/uploads/empty-1", Body=b"")
    s3.put_object(Bucket=bucket, Key="media/uploads/empty-2", Body=b"")
    rows = json_lines(pail.run("dupes", "--json", f"s3://{bucket}/media/"))
    total = rows.pop()
    assert total["total"] is True and total["groups"] == 1 and total["duplicates"] == 2
    assert total["size"] == 2 * 2000
    assert [r["key"] for r in rows if r["keep"]] == ["media/uploads/photo.jpg"]
    renamed = {r["key"] for r in rows if not r["keep"]}
    assert renamed == {"media/" + k for k in saved[1:]}
    assert all(r["django_rename_of"] == "media/uploads/photo.jpg" for r in rows if not r["keep"])
    text = pail.run("dupes", f"s3://{bucket}/media/").stdout.decode()
    assert "3 copies of" in text and "keep" in text and "Django's rename of media/uploads/photo.jpg" in text
    assert "1 group, 2 duplicates" in text


def test_stale_static_lists_exactly_what_the_new_manifest_no_longer_references(pail, s3, bucket, endpoint, tmp_path):
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "js").mkdir()
    (static / "css" / "site.css").write_text("body { color: red }")
    (static / "js" / "app.js").write_text("console.log(1)")
    (static / "robots.txt").write_text("User-agent: *")
    django(endpoint, bucket, str(static), "collectstatic")
    (static / "css" / "site.css").write_text("body { color: blue }")
    (static / "js" / "app.js").write_text("console.log(2)")
    django(endpoint, bucket, str(static), "collectstatic")
    s3.put_object(Bucket=bucket, Key="static-old/css/site.0123456789ab.css", Body=b"outside the prefix")

    manifest = json.loads(s3.get_object(Bucket=bucket, Key="static/staticfiles.json")["Body"].read())
    current = {"static/" + v for v in manifest["paths"].values()}
    originals = {"static/css/site.css", "static/js/app.js", "static/robots.txt", "static/staticfiles.json"}
    # What Django itself wrote and no longer references: neither an original nor in the manifest.
    expected = set(keys(s3, bucket, "static/")) - originals - current
    assert len(expected) >= 2, expected

    rows = json_lines(pail.run("stale-static", "--json", f"s3://{bucket}/static"))
    total = rows.pop()
    assert {r["key"] for r in rows} == expected
    assert total["objects"] == len(expected) and total["referenced"] == len(manifest["paths"])
    assert pail.run("stale-static", "--older", "1d", f"s3://{bucket}/static/").stdout.decode().startswith("0 stale")


def test_stale_static_without_a_manifest_lists_nothing(pail, s3, bucket):
    s3.put_object(Bucket=bucket, Key="static/css/site.0123456789ab.css", Body=b"hashed, but no manifest")
    proc = pail.run("stale-static", f"s3://{bucket}/static/", check=False)
    assert proc.returncode != 0 and proc.stdout == b""
    assert "no staticfiles.json" in proc.stderr.decode()


def test_uploads_lists_incomplete_multipart_uploads_and_aborts_them(pail, s3, bucket):
    started = s3.create_multipart_upload(Bucket=bucket, Key="media/big.bin")["UploadId"]
    s3.upload_part(Bucket=bucket, Key="media/big.bin", UploadId=started, PartNumber=1, Body=b"x" * (5 << 20))
    other = s3.create_multipart_upload(Bucket=bucket, Key="media-old/other.bin")["UploadId"]
    rows = json_lines(pail.run("uploads", "--json", f"s3://{bucket}/media/"))
    total = rows.pop()
    assert [(r["key"], r["upload_id"], r["parts"], r["size"]) for r in rows] == [("media/big.bin", started, 1, 5 << 20)]
    assert total["uploads"] == 1 and total["size"] == 5 << 20
    assert pail.run("uploads", "--older", "1d", f"s3://{bucket}/media/").stdout.decode().startswith("0 incomplete")
    refused = pail.run("uploads", "--abort", f"s3://{bucket}/media/", check=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr.decode(), "no terminal to ask: nothing aborted"
    assert len(s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])) == 2
    pail.run("uploads", "--abort", "--yes", f"s3://{bucket}/media")
    left = [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])]
    assert left == [other], "only the upload below the prefix was aborted"
