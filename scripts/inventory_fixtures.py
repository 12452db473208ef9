"""S3 Inventory reports in AWS's layout and CSV format, for tests and benchmarks.

Layout, as AWS writes it into the destination bucket:
  PREFIX/SOURCE-BUCKET/CONFIG-ID/YYYY-MM-DDTHH-MMZ/manifest.json   (+ manifest.checksum)
  PREFIX/SOURCE-BUCKET/CONFIG-ID/data/UUID.csv.gz                  (gzip'ed CSV, no header)
Every CSV field is in double quotes (doubled inside); keys are URL-encoded, form style
('+' for a space, '%2F' for '/', UTF-8 bytes as %XX).

`synthetic_rows` makes millions of rows without a source bucket (the benchmark's), cheaply:
a data file of 1M rows is written in a few seconds and cached on disk by its parameters.
"""
import gzip
import hashlib
import json
import os
import urllib.parse
import uuid

# The fields a default AWS configuration with the usual extras writes, in its order.
FIELDS = ["Bucket", "Key", "Size", "LastModifiedDate", "ETag", "StorageClass", "IsMultipartUploaded",
          "ReplicationStatus", "EncryptionStatus"]
STORAGE_CLASSES = ["STANDARD", "STANDARD", "STANDARD", "STANDARD_IA", "GLACIER_IR", "INTELLIGENT_TIERING"]


def aws_key(key):
    """A key as AWS writes it in inventory CSV."""
    return urllib.parse.quote_plus(key, safe="")


def csv_field(value):
    return '"' + value.replace('"', '""') + '"'


def csv_row(fields):
    return ",".join(csv_field(f) for f in fields) + "\n"


def synthetic_rows(bucket, start, count):
    """Rows start..start+count of a media bucket: keys like
    `media/2024/05/photo 0001234 café.jpg` (a space, a multi-byte letter, a '/' to encode),
    sizes and storage classes that vary. Yields CSV text in blocks of 10,000 rows."""
    block = []
    for n in range(start, start + count):
        key = f"media/{2015 + n % 10}/{1 + n // 10 % 12:02d}/photo {n:08d} caf\u00e9.jpg"
        size = 1000 + (n * 7919) % 5_000_000
        sc = STORAGE_CLASSES[n % len(STORAGE_CLASSES)]
        block.append(f'"{bucket}","{aws_key(key)}","{size}","2026-11-{1 + n % 28:02d}T12:{n % 60:02d}:00.000Z",'
                     f'"{n:032x}","{sc}","false","","SSE-S3"\n')
        if len(block) == 10_000:
            yield "".join(block)
            block = []
    if block:
        yield "".join(block)


def synthetic_data_file(path, bucket, start, count):
    """Writes one gzip'ed CSV data file (unless it is already there); returns its path."""
    if not os.path.exists(path):
        tmp = path + ".part"
        with gzip.open(tmp, "wb", compresslevel=6) as f:
            for text in synthetic_rows(bucket, start, count):
                f.write(text.encode())
        os.replace(tmp, path)
    return path


def upload_file(s3, bucket, key, path):
    """Uploads a file (multipart when large) and returns (size, md5 hex) for the manifest."""
    md5 = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            md5.update(chunk)
    s3.upload_file(path, bucket, key)
    return os.path.getsize(path), md5.hexdigest()


def write_manifest(s3, dest, root, source, stamp, files, fields=FIELDS, fmt="CSV", manifest_edit=None,
                   checksum=None):
    """Writes manifest.json (naming `files`: dicts with key, size, MD5checksum) and its
    manifest.checksum; returns the manifest's key."""
    manifest = {"sourceBucket": source, "destinationBucket": f"arn:aws:s3:::{dest}", "version": "2016-11-30",
                "creationTimestamp": "1796000000000", "fileFormat": fmt, "fileSchema": ", ".join(fields),
                "files": files}
    if manifest_edit:
        manifest_edit(manifest)
    body = json.dumps(manifest, indent=2).encode()
    s3.put_object(Bucket=dest, Key=f"{root}{stamp}/manifest.json", Body=body)
    s3.put_object(Bucket=dest, Key=f"{root}{stamp}/manifest.checksum",
                  Body=(checksum or hashlib.md5(body).hexdigest()).encode())
    return f"{root}{stamp}/manifest.json"


def synthetic_report(s3, dest, root, source, stamp, rows, per_file, cache_dir):
    """A report of `rows` synthetic rows in files of `per_file` rows, the data files made once
    in cache_dir and uploaded to `dest`; returns the configuration folder's s3:// URI."""
    os.makedirs(cache_dir, exist_ok=True)
    files = []
    for start in range(0, rows, per_file):
        count = min(per_file, rows - start)
        path = synthetic_data_file(os.path.join(cache_dir, f"{source}-{start}-{count}.csv.gz"), source, start, count)
        key = f"{root}data/{uuid.uuid4()}.csv.gz"
        size, md5 = upload_file(s3, dest, key, path)
        files.append({"key": key, "size": size, "MD5checksum": md5})
    write_manifest(s3, dest, root, source, stamp, files)
    return f"s3://{dest}/{root}"
