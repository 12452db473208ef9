"""S3 Inventory reports as a listing source: reports written by boto3 into SeaweedFS in AWS's
layout (prefix/SOURCE/CONFIG/YYYY-MM-DDTHH-MMZ/manifest.json + manifest.checksum, data/*.csv.gz)
and AWS's CSV format (every field quoted, keys form-encoded), read by `pail ls -r`, `du`, `find`,
`dupes` with --inventory, and cross-checked against a real listing of the same objects."""
import gzip
import hashlib
import io
import json
import urllib.parse
import uuid

from conftest import new_bucket_name

FIELDS = ["Bucket", "Key", "Size", "LastModifiedDate", "ETag", "StorageClass", "IsMultipartUploaded"]

KEYS = {
    "plain.txt": b"hello",
    "dir/a b.txt": b"spaces " * 10,
    "dir/c+d.txt": b"plus",
    "dir/na\u00efve \u20ac \U0001F600.txt": b"unicode" * 3,
    "dir/comma,here.txt": b"comma",
    'dir/quote"x.txt': b"quote",
    "dir/sub/deep.bin": b"x" * 3000,
    "dir/sub/copy-of-deep.bin": b"x" * 3000,
    "dir2/next.txt": b"not in dir/",
    "other/big.bin": b"y" * 20000,
}


def aws_key(key, i):
    """Keys as AWS writes them: form-encoded ('+' for a space, '%2B' for a plus). Every third
    row uses %20 for spaces and leaves commas literal inside the quotes, which a reader must
    take as well."""
    if i % 3 == 2:
        return urllib.parse.quote(key, safe='/,"')
    return urllib.parse.quote_plus(key, safe="/")


def csv_field(value):
    return '"' + value.replace('"', '""') + '"'


def rows_from_listing(s3, source):
    rows = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=source):
        for i, o in enumerate(page.get("Contents", [])):
            rows.append([source, aws_key(o["Key"], i), str(o["Size"]),
                         o["LastModified"].strftime("%Y-%m-%dT%H:%M:%S.000Z"), o["ETag"].strip('"'),
                         o.get("StorageClass", "STANDARD"), "false"])
    return rows


def gz_csv(rows):
    text = "".join(",".join(csv_field(f) for f in row) + "\n" for row in rows)
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
        f.write(text.encode())
    return buf.getvalue()


def write_report(s3, dest, root, source, stamp, data_files, fmt="CSV", fields=FIELDS, manifest_edit=None,
                 checksum=None, sizes=None, md5s=None, data_keys=None):
    """Uploads data files (bytes each) and a manifest naming them; returns the manifest's key."""
    files = []
    for n, data in enumerate(data_files):
        key = (data_keys or {}).get(n) or f"{root}data/{uuid.uuid4()}.csv.gz"
        s3.put_object(Bucket=dest, Key=key, Body=data)
        files.append({"key": key, "size": (sizes or {}).get(n, len(data)),
                      "MD5checksum": (md5s or {}).get(n, hashlib.md5(data).hexdigest())})
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


def setup_source(s3, bucket):
    for k, body in KEYS.items():
        s3.put_object(Bucket=bucket, Key=k, Body=body)
    dest = new_bucket_name()
    s3.create_bucket(Bucket=dest)
    return dest


def lines(proc):
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def keys_sizes(proc):
    return sorted((o["key"], o["size"]) for o in lines(proc))


def test_inventory_reads_like_a_listing(s3, bucket, pail):
    dest = setup_source(s3, bucket)
    root = f"inventories/{bucket}/daily/"
    rows = rows_from_listing(s3, bucket)
    assert len(rows) == len(KEYS)
    # An older report with only two objects, split over two data files like a large report.
    write_report(s3, dest, root, bucket, "2026-11-29T01-00Z", [gz_csv(rows[:1]), gz_csv(rows[1:2])])
    write_report(s3, dest, root, bucket, "2026-11-30T01-00Z", [gz_csv(rows[:4]), gz_csv(rows[4:])])
    inv = f"s3://{dest}/{root}"

    for prefix in ["", "dir/", "dir/sub/", "dir", "missing/"]:
        listed = pail.run("ls", "-r", "--json", f"s3://{bucket}/{prefix}")
        read = pail.run("ls", "-r", "--json", "--inventory", inv, f"s3://{bucket}/{prefix}")
        assert keys_sizes(read) == keys_sizes(listed), prefix
        assert b"2026-11-30 01:00 UTC" in read.stderr
    got = {o["key"]: o for o in lines(pail.run("ls", "-r", "--json", "--inventory", inv, f"s3://{bucket}/"))}
    assert set(got) == set(KEYS), "every awkward key decodes to itself"
    assert got["dir/sub/deep.bin"]["storage_class"] == "STANDARD"
    assert got["plain.txt"]["etag"] == hashlib.md5(b"hello").hexdigest()

    # du: the same rows, the same totals, to the byte.
    for prefix in ["", "dir/"]:
        assert pail.run("du", "--inventory", inv, f"s3://{bucket}/{prefix}").stdout == \
            pail.run("du", f"s3://{bucket}/{prefix}").stdout
    # find and dupes see the same objects.
    found = pail.run("find", "--json", "--larger", "1000", "--inventory", inv, f"s3://{bucket}/")
    assert keys_sizes(found) == [("dir/sub/copy-of-deep.bin", 3000), ("dir/sub/deep.bin", 3000),
                                 ("other/big.bin", 20000)]
    dupes = lines(pail.run("dupes", "--json", "--inventory", inv, f"s3://{bucket}/"))
    assert sorted(d["key"] for d in dupes if "key" in d) == ["dir/sub/copy-of-deep.bin", "dir/sub/deep.bin"]

    # --inventory-date picks the older report; show lists both, marks the chosen, names the fields.
    old = pail.run("ls", "-r", "--json", "--inventory", inv, "--inventory-date", "2026-11-29", f"s3://{bucket}/")
    assert keys_sizes(old) == sorted((urllib.parse.unquote_plus(r[1]), int(r[2])) for r in rows[:2])
    shown = pail.run("inventory", "show", "--endpoint-url", pail.endpoint, inv, endpoint=False).stdout.decode()
    assert "    2026-11-29 01:00 UTC  2026-11-29T01-00Z/" in shown
    assert "  * 2026-11-30 01:00 UTC  2026-11-30T01-00Z/" in shown
    assert f"bucket {bucket}, format CSV, 2 data files" in shown
    assert "fields: Bucket, Key, Size, LastModifiedDate, ETag, StorageClass, IsMultipartUploaded" in shown
    missing = pail.run("ls", "-r", "--inventory", inv, "--inventory-date", "2026-01-01", f"s3://{bucket}/",
                       check=False)
    assert missing.returncode == 1 and b"no inventory report of 2026-01-01" in missing.stderr
    wrong = pail.run("ls", "-r", "--inventory", inv, f"s3://{dest}/", check=False)
    assert wrong.returncode == 1 and f"lists bucket {bucket}, not {dest}".encode() in wrong.stderr


def test_many_rows_stream_across_chunks_and_files(s3, bucket, pail):
    """60k rows (several MiB of CSV, far more than one 256 KiB inflate chunk) over three files:
    records cut at every kind of boundary still come out whole, each exactly once."""
    dest = new_bucket_name()
    s3.create_bucket(Bucket=dest)
    root = f"inv/{bucket}/big/"
    # Commas and quotes left literal (so the CSV quoting carries them, doubled quotes and all).
    rows = [[bucket, urllib.parse.quote(f"logs/{n // 1000:03d}/entry {n},\"x\".log", safe='/,"'), str(n),
             "2026-11-30T00:00:00.000Z", "d41d8cd98f00b204e9800998ecf8427e", "STANDARD_IA", "false"]
            for n in range(60000)]
    write_report(s3, dest, root, bucket, "2026-11-30T02-00Z",
                 [gz_csv(rows[:10000]), gz_csv(rows[10000:45000]), gz_csv(rows[45000:])])
    du = lines(pail.run("du", "--json", "--inventory", f"s3://{dest}/{root}", f"s3://{bucket}/logs/"))
    assert du[-1]["objects"] == 60000 and du[-1]["size"] == sum(range(60000))
    out = lines(pail.run("ls", "-r", "--json", "--inventory", f"s3://{dest}/{root}", f"s3://{bucket}/logs/007/"))
    assert sorted(o["key"] for o in out) == sorted(f"logs/007/entry {n},\"x\".log" for n in range(7000, 8000))


def test_hostile_reports_are_refused_or_their_rows_dropped(s3, bucket, pail):
    dest = new_bucket_name()
    s3.create_bucket(Bucket=dest)
    good = [[bucket, "a.txt", "5", "2026-11-30T00:00:00.000Z", "e", "STANDARD", "false"],
            [bucket, "b.txt", "7", "2026-11-30T00:00:00.000Z", "e", "STANDARD", "false"]]

    def run(root, *args):
        return pail.run("ls", "-r", "--json", "--inventory", f"s3://{dest}/{root}", *args, f"s3://{bucket}/",
                        check=False)

    # A manifest that does not match manifest.checksum is not read at all.
    write_report(s3, dest, "r1/", bucket, "2026-11-30T00-00Z", [gz_csv(good)], checksum="0" * 32)
    p = run("r1/")
    assert p.returncode == 1 and b"does not match its manifest.checksum" in p.stderr and p.stdout == b""

    # A data file whose MD5 differs from the manifest's: an error naming it.
    write_report(s3, dest, "r2/", bucket, "2026-11-30T00-00Z", [gz_csv(good)], md5s={0: "f" * 32})
    p = run("r2/")
    assert p.returncode == 1 and b"does not match the MD5 in its manifest" in p.stderr

    # A truncated gzip, with a manifest that agrees with the cut file: still an error.
    cut = gz_csv(good * 200)[:-12]
    write_report(s3, dest, "r3/", bucket, "2026-11-30T00-00Z", [cut])
    p = run("r3/")
    assert p.returncode == 1 and b"truncated" in p.stderr

    # A data file larger than the manifest says.
    write_report(s3, dest, "r4/", bucket, "2026-11-30T00-00Z", [gz_csv(good)], sizes={0: 10})
    p = run("r4/")
    assert p.returncode == 1 and b"larger than the 10 bytes its manifest gives" in p.stderr

    # Bad rows are dropped with one warning; the good ones are read.
    bad = good + [[bucket, "short.txt", "1"],
                  ["another-bucket", "c.txt", "1", "2026-11-30T00:00:00.000Z", "e", "STANDARD", "false"],
                  [bucket, "bad%ZZkey", "1", "2026-11-30T00:00:00.000Z", "e", "STANDARD", "false"],
                  [bucket, "nosize.txt", "-1", "2026-11-30T00:00:00.000Z", "e", "STANDARD", "false"]]
    write_report(s3, dest, "r5/", bucket, "2026-11-30T00-00Z", [gz_csv(bad)])
    p = run("r5/")
    assert p.returncode == 0, p.stderr
    assert keys_sizes(p) == [("a.txt", 5), ("b.txt", 7)]
    assert (b"dropped 4 inventory rows: 1 malformed (wrong field count, quoting or UTF-8), 1 with a key that "
            b"does not URL-decode exactly, 1 of another bucket, 1 without a valid size") in p.stderr

    # ORC and Parquet: a clear message.
    write_report(s3, dest, "r6/", bucket, "2026-11-30T00-00Z", [b"ORC..."], fmt="ORC")
    p = run("r6/")
    assert p.returncode == 1 and b"pail reads CSV reports only" in p.stderr

    # A manifest pointing outside its configuration's folder is not followed.
    s3.put_object(Bucket=dest, Key="elsewhere/secret.csv.gz", Body=gz_csv(good))
    write_report(s3, dest, "r7/", bucket, "2026-11-30T00-00Z", [gz_csv(good)],
                 data_keys={0: "elsewhere/secret.csv.gz"})
    p = run("r7/")
    assert p.returncode == 1 and b"outside the configuration's folder" in p.stderr

    # No Size field: pail says what it needs.
    write_report(s3, dest, "r8/", bucket, "2026-11-30T00-00Z", [gz_csv([r[:2] for r in good])],
                 fields=["Bucket", "Key"])
    p = run("r8/")
    assert p.returncode == 1 and b"lacks the Bucket, Key or Size field" in p.stderr

    # A versioned report: noncurrent versions and delete markers are not objects a listing shows.
    vfields = ["Bucket", "Key", "VersionId", "IsLatest", "IsDeleteMarker", "Size", "LastModifiedDate", "ETag"]
    vrows = [[bucket, "kept.txt", "v2", "true", "false", "3", "2026-11-30T00:00:00.000Z", "e"],
             [bucket, "kept.txt", "v1", "false", "false", "9", "2026-11-29T00:00:00.000Z", "e"],
             [bucket, "gone.txt", "v4", "true", "true", "", "2026-11-30T00:00:00.000Z", ""],
             [bucket, "gone.txt", "v3", "false", "false", "4", "2026-11-29T00:00:00.000Z", "e"]]
    write_report(s3, dest, "r9/", bucket, "2026-11-30T00-00Z", [gz_csv(vrows)], fields=vfields)
    p = run("r9/")
    assert p.returncode == 0 and keys_sizes(p) == [("kept.txt", 3)] and b"dropped" not in p.stderr

    # No report at all; and --inventory without -r.
    p = run("nothing/")
    assert p.returncode == 1 and b"no inventory report under" in p.stderr
    p = pail.run("ls", "--inventory", f"s3://{dest}/r5/", f"s3://{bucket}/", check=False)
    assert p.returncode != 0 and b"add -r" in p.stderr
