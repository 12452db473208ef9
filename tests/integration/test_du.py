"""`pail du --by-storage-class` (from a listing and from an S3 Inventory report) and du's note
about incomplete multipart uploads, against moto (storage classes kept as written) and
SeaweedFS, fixtures written by boto3."""
import json

from conftest import new_bucket_name
from test_inventory import gz_csv, write_report

CLASSES = {"hot/a.bin": (b"a" * 100, "STANDARD"), "hot/b.bin": (b"b" * 50, "STANDARD"),
           "cold/c.bin": (b"c" * 1000, "GLACIER"), "cold/d.bin": (b"d" * 300, "STANDARD_IA"),
           "top.txt": (b"t" * 7, "STANDARD_IA"), "elsewhere/e.bin": (b"e" * 9, "GLACIER")}


def lines(proc):
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def test_by_storage_class_from_a_listing_and_from_an_inventory(moto_s3, moto_bucket, moto_pail):
    for key, (body, sc) in CLASSES.items():
        moto_s3.put_object(Bucket=moto_bucket, Key=key, Body=body, StorageClass=sc)
    rows = lines(moto_pail.run("du", "--json", "--by-storage-class", f"s3://{moto_bucket}/"))
    assert rows == [{"storage_class": "GLACIER", "size": 1009, "objects": 2},
                    {"storage_class": "STANDARD_IA", "size": 307, "objects": 2},
                    {"storage_class": "STANDARD", "size": 150, "objects": 2},
                    {"prefix": "", "size": 1466, "objects": 6, "total": True}]
    text = moto_pail.run("du", "--by-storage-class", f"s3://{moto_bucket}/cold/").stdout.decode()
    assert text.splitlines() == ["    1000 B          1 object  GLACIER", "     300 B          1 object  STANDARD_IA",
                                 "   1.3 KiB         2 objects  total s3://" + moto_bucket + "/cold/"]
    # Without the flag, du is as before: rows per child prefix.
    assert "GLACIER" not in moto_pail.run("du", f"s3://{moto_bucket}/").stdout.decode()

    # The same objects from an inventory report give the same rows.
    dest = new_bucket_name()
    moto_s3.create_bucket(Bucket=dest)
    listed = moto_s3.list_objects_v2(Bucket=moto_bucket)["Contents"]
    assert sorted(o["StorageClass"] for o in listed) == sorted(sc for _, sc in CLASSES.values())
    report = [[moto_bucket, o["Key"].replace("/", "%2F"), str(o["Size"]), "2026-11-30T00:00:00.000Z",
               o["ETag"].strip('"'), o["StorageClass"], "false"] for o in listed]
    root = f"inv/{moto_bucket}/daily/"
    write_report(moto_s3, dest, root, moto_bucket, "2026-11-30T01-00Z", [gz_csv(report[:3]), gz_csv(report[3:])])
    inv = lines(moto_pail.run("du", "--json", "--by-storage-class", "--inventory", f"s3://{dest}/{root}",
                              f"s3://{moto_bucket}/"))
    assert inv == rows

    # A report without the StorageClass field: du says what is missing.
    write_report(moto_s3, dest, "inv2/", moto_bucket, "2026-11-30T01-00Z", [gz_csv([r[:3] for r in report])],
                 fields=["Bucket", "Key", "Size"])
    p = moto_pail.run("du", "--by-storage-class", "--inventory", f"s3://{dest}/inv2/", f"s3://{moto_bucket}/",
                      check=False)
    assert p.returncode == 1 and b"has no StorageClass field, which --by-storage-class needs" in p.stderr
    # ...and plain du of it still works (it needs no storage class).
    assert moto_pail.run("du", "--inventory", f"s3://{dest}/inv2/", f"s3://{moto_bucket}/").returncode == 0


def test_du_mentions_incomplete_uploads_with_their_size(s3, bucket, pail):
    s3.put_object(Bucket=bucket, Key="media/done.jpg", Body=b"j" * 10)
    p = pail.run("du", f"s3://{bucket}/media/")
    assert b"incomplete" not in p.stderr, "none: nothing said"
    assert "incomplete_uploads" not in lines(pail.run("du", "--json", f"s3://{bucket}/media/"))[-1]

    started = s3.create_multipart_upload(Bucket=bucket, Key="media/big.bin")["UploadId"]
    s3.upload_part(Bucket=bucket, Key="media/big.bin", UploadId=started, PartNumber=1, Body=b"x" * (5 << 20))
    s3.create_multipart_upload(Bucket=bucket, Key="media-old/other.bin")
    p = pail.run("du", f"s3://{bucket}/media/")
    assert p.stderr.decode().splitlines() == [
        f"pail: 1 incomplete multipart upload below s3://{bucket}/media/ (5.0 MiB, not counted above): "
        f"`pail uploads s3://{bucket}/media/` lists them"]
    assert p.stdout.decode().splitlines()[-1].endswith(f"1 object  total s3://{bucket}/media/"), "not in the total"
    total = lines(pail.run("du", "--json", f"s3://{bucket}/media/"))[-1]
    assert total["objects"] == 1 and total["size"] == 10
    assert total["incomplete_uploads"] == 1 and total["incomplete_uploads_size"] == 5 << 20
    # The whole bucket holds both uploads (media-old/ is outside media/, rule 8).
    assert lines(pail.run("du", "--json", f"s3://{bucket}/"))[-1]["incomplete_uploads"] == 2


def test_many_uploads_are_counted_without_a_part_list_each(moto_s3, moto_bucket, moto_pail):
    for n in range(25):
        moto_s3.create_multipart_upload(Bucket=moto_bucket, Key=f"up/{n:02d}.bin")
    p = moto_pail.run("du", f"s3://{moto_bucket}/")
    assert p.stderr.decode().splitlines() == [
        f"pail: 25 incomplete multipart uploads below s3://{moto_bucket}/ (not counted above): "
        f"`pail uploads s3://{moto_bucket}/` lists them"]
    total = lines(moto_pail.run("du", "--json", f"s3://{moto_bucket}/"))[-1]
    assert total["incomplete_uploads"] == 25 and "incomplete_uploads_size" not in total
