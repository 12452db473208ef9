#!/usr/bin/env python3
"""Seed the local S3 server with data shaped like a Django site's bucket.

    seed.py django            # bucket "django-site": what `make run` opens
    seed.py listing N BUCKET  # N objects in a media/static tree, for benchmarks

Uses boto3 (the independent client) with the endpoint and keys that s3server.py exports.
"""
import gzip
import io
import json
import os
import random
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

LONG_CACHE = "public, max-age=31536000, immutable"


def client():
    return boto3.client("s3", endpoint_url=os.environ["PAIL_TEST_ENDPOINT"], region_name="us-east-1",
                        aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
                        config=Config(s3={"addressing_style": "path"}, max_pool_connections=32,
                                      retries={"max_attempts": 5}))


def put_all(s3, bucket, objects, threads=24):
    """objects: iterable of (key, body, extra put_object arguments)."""
    def put(item):
        key, body, extra = item
        s3.put_object(Bucket=bucket, Key=key, Body=body, **extra)
    with ThreadPoolExecutor(threads) as pool:
        for _ in pool.map(put, objects):
            pass


def fake_jpeg(rng, size):
    return b"\xff\xd8\xff\xe0" + rng.randbytes(max(0, size - 4))


def real_photo(width=320, height=200, fmt="JPEG"):
    """A small real picture (sky, sun, hills, a lake), so the browser's p shows a photo; the
    fake JPEG bytes when Pillow is not installed. Deterministic: the same bytes every seed."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        return fake_jpeg(random.Random(1), 30000)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=(int(40 + 180 * t), int(90 + 100 * t), int(200 - 60 * t)))
    draw.ellipse([width * 0.62, height * 0.12, width * 0.82, height * 0.44], fill=(255, 214, 90))
    draw.polygon([(0, height * 0.7), (width * 0.3, height * 0.38), (width * 0.6, height * 0.72)], fill=(46, 110, 60))
    draw.polygon([(width * 0.35, height * 0.75), (width * 0.75, height * 0.45), (width, height * 0.74)],
                 fill=(70, 140, 70))
    draw.rectangle([0, height * 0.72, width, height], fill=(40, 90, 150))
    for i in range(6):
        y = height * (0.78 + i * 0.035)
        draw.line([(width * 0.55, y), (width * 0.9, y)], fill=(250, 220, 140), width=1)
    out = io.BytesIO()
    image.save(out, format=fmt, quality=85)
    return out.getvalue()


def django_objects(rng):
    css = b"body{margin:0;font-family:system-ui}" * 40
    js = b"(function(){console.log('pail');})();" * 60
    yield "static/css/app.4f3a2b.css", gzip.compress(css), dict(ContentType="text/css", ContentEncoding="gzip",
                                                                CacheControl=LONG_CACHE)
    yield "static/css/admin.css", gzip.compress(css), dict(ContentType="text/css", ContentEncoding="gzip",
                                                           CacheControl=LONG_CACHE)
    yield "static/js/app.9c1d7e.js", gzip.compress(js), dict(ContentType="text/javascript", ContentEncoding="gzip",
                                                             CacheControl=LONG_CACHE)
    yield "static/js/vendor.js", js, dict(ContentType="text/javascript", CacheControl="public, max-age=300")
    # The mistakes a header audit should find.
    yield "static/js/legacy.js", js, dict(ContentType="text/plain")
    yield "static/css/print.css", css, dict(ContentType="text/css")
    yield ("static/img/logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
           dict(ContentType="image/svg+xml", CacheControl=LONG_CACHE))
    yield "static/fonts/inter.woff2", rng.randbytes(30000), dict(ContentType="font/woff2", CacheControl=LONG_CACHE)
    yield "static/admin/js/core.js", js, dict(ContentType="text/javascript", CacheControl=LONG_CACHE)
    for year in (2023, 2024, 2025):
        for month in range(1, 13):
            for i in range(rng.randint(2, 6)):
                size = rng.randint(20_000, 400_000)
                yield (f"media/uploads/{year}/{month:02d}/photo-{year}{month:02d}-{i:03d}.jpg", fake_jpeg(rng, size),
                       dict(ContentType="image/jpeg", CacheControl="public, max-age=86400",
                            Metadata={"uploaded-by": rng.choice(["alice", "bob", "admin"])}))
    yield "media/uploads/2024/05/wrong-type.png", fake_jpeg(rng, 5000), dict(ContentType="binary/octet-stream")
    yield "media/uploads/2024/05/no-cache.jpg", fake_jpeg(rng, 5000), dict(ContentType="image/jpeg")
    for name in ("Café menu.pdf", "日本語ドキュメント.pdf", "résumé (final).pdf", "🎉 party.jpg", "Ünïcödé ñame.txt"):
        yield f"media/documents/{name}", rng.randbytes(2000), dict(ContentType="application/pdf")
    yield "media/documents/odd\x1b[31mname.txt", b"escape", dict(ContentType="text/plain")
    for i in range(3000):
        yield f"media/thumbnails/thumb-{i:05d}.webp", rng.randbytes(64), dict(ContentType="image/webp",
                                                                              CacheControl=LONG_CACHE)
    yield "robots.txt", b"User-agent: *\nDisallow:\n", dict(ContentType="text/plain", CacheControl="max-age=3600")
    yield "media/2023/report.pdf", rng.randbytes(1000), dict(ContentType="application/pdf")
    yield "media/2023-old/report.pdf", rng.randbytes(1000), dict(ContentType="application/pdf")
    # What a few deploys with Django's ManifestStaticFilesStorage leave behind: the manifest
    # names the current hashed copies, the older ones are what `pail stale-static` finds.
    current = {"css/site.css": "css/site.55e7cbb9ba48.css", "js/main.js": "js/main.0c5d3a7b9e21.js"}
    stale = ["css/site.8d1f0e2a4b6c.css", "css/site.f00dfeed1234.css", "js/main.77aa01bc23de.js"]
    yield "static/staticfiles.json", json.dumps({"paths": current, "version": "1.1"}).encode(), \
        dict(ContentType="application/json", CacheControl="no-cache")
    for name in list(current) + list(current.values()) + stale:
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        yield f"static/{name}", gzip.compress((css if kind == "text/css" else js) + name.encode()), \
            dict(ContentType=kind, ContentEncoding="gzip", CacheControl=LONG_CACHE)
    # Django's collision renames: one photo uploaded three times.
    photo = real_photo()
    for name in ("team.jpg", "team_Xk3pQ9a.jpg", "team_b7Rt2Lm.jpg"):
        yield f"media/uploads/2025/06/{name}", photo, dict(ContentType="image/jpeg",
                                                           CacheControl="public, max-age=86400")
    # A real photo and a PNG for the image page (p).
    yield "media/uploads/2025/07/lake.jpg", real_photo(640, 400), dict(ContentType="image/jpeg")
    yield "media/uploads/2025/07/lake.png", real_photo(160, 100, "PNG"), dict(ContentType="image/png")


def listing_objects(rng, count):
    """count small objects spread like a site: media/uploads/YYYY/MM/ and, for one in ten,
    static/build-NN/; every key distinct."""
    body = b"x" * 16
    months = [(year, month) for year in range(2015, 2026) for month in range(1, 13)]
    for n in range(count):
        if n % 10 == 9:
            yield f"static/build-{n // 1000:02d}/chunk-{n:06d}.js", body, {}
        else:
            year, month = months[n % len(months)]
            yield f"media/uploads/{year}/{month:02d}/img-{n:06d}.jpg", body, {}


def main():
    main_args(sys.argv[1:])


def main_args(argv):
    what = argv[0] if argv else "django"
    s3 = client()
    rng = random.Random(42)
    if what == "django":
        s3.create_bucket(Bucket="django-site")
        put_all(s3, "django-site", django_objects(rng))
        s3.create_bucket(Bucket="empty-bucket")
        print("seeded s3://django-site and s3://empty-bucket", file=sys.stderr)
    elif what == "listing":
        count, bucket = int(argv[1]), argv[2]
        s3.create_bucket(Bucket=bucket)
        put_all(s3, bucket, listing_objects(rng, count))
    else:
        sys.exit(f"seed.py: unknown data set {what}")


if __name__ == "__main__":
    main()
