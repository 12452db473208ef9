"""`pail bucket show`, `pail bucket edit` (driven through $EDITOR), `pail tags` and `pail acl`,
against SeaweedFS and moto_server, with boto3 reading back every change."""
import json
import os
import stat
import sys

import botocore.exceptions
import pytest

EDITOR_SCRIPT = """
import os, shutil, sys
path = sys.argv[1]
if os.environ.get("EDIT_SEEN"):
    shutil.copyfile(path, os.environ["EDIT_SEEN"])
    os.chmod(os.environ["EDIT_SEEN"], 0o600)
    with open(os.environ["EDIT_SEEN"] + ".mode", "w") as f:
        f.write(oct(os.stat(path).st_mode & 0o777))
with open(os.environ["EDIT_SOURCE"], "rb") as src, open(path, "wb") as dst:
    dst.write(src.read())
"""

CORS = {"CORSRules": [{"AllowedHeaders": ["*"], "AllowedMethods": ["GET", "HEAD"],
                       "AllowedOrigins": ["https://www.example.com"], "ExposeHeaders": ["ETag"],
                       "MaxAgeSeconds": 3000}]}
LIFECYCLE = {"Rules": [{"ID": "tmp", "Filter": {"Prefix": "tmp/"}, "Status": "Enabled",
                        "Expiration": {"Days": 7}}]}
TAGS = {"TagSet": [{"Key": "team", "Value": "web"}, {"Key": "cost-centre", "Value": "42"}]}


@pytest.fixture(params=["seaweedfs", "moto"])
def server(request):
    """(name, boto3 client, bucket, Pail) for each real server."""
    if request.param == "moto":
        return ("moto", request.getfixturevalue("moto_s3"), request.getfixturevalue("moto_bucket"),
                request.getfixturevalue("moto_pail"))
    return ("seaweedfs", request.getfixturevalue("s3"), request.getfixturevalue("bucket"),
            request.getfixturevalue("pail"))


def policy_for(bucket):
    return {"Version": "2012-10-17", "Statement": [
        {"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{bucket}/*"}]}


def bucket_cmd(p, *args, **kw):
    """`pail bucket SUB --endpoint-url E ...` (the endpoint goes after the nested subcommand)."""
    return p.run("bucket", args[0], "--endpoint-url", p.endpoint, *args[1:], endpoint=False, **kw)


def show_json(p, bucket):
    out = bucket_cmd(p, "show", "--json", f"s3://{bucket}").stdout.decode()
    lines = [json.loads(line) for line in out.splitlines()]
    return {line["section"]: line for line in lines}


class Editor:
    """$EDITOR as a script: records what pail opened, then writes the given text."""

    def __init__(self, tmp_path):
        self.dir = tmp_path
        self.script = tmp_path / "edit.py"
        self.script.write_text(EDITOR_SCRIPT)
        self.source = tmp_path / "new.json"
        self.seen = tmp_path / "seen.json"
        self.state = tmp_path / "state"

    def env(self, text):
        self.source.write_text(text if isinstance(text, str) else json.dumps(text, indent=2))
        return {"EDITOR": f"{sys.executable} {self.script}", "EDIT_SOURCE": str(self.source),
                "EDIT_SEEN": str(self.seen), "XDG_STATE_HOME": str(self.state)}

    def backups(self):
        d = self.state / "pail" / "bucket-configs"
        return sorted(d.iterdir()) if d.exists() else []


@pytest.fixture
def editor(tmp_path):
    return Editor(tmp_path)


def strip(resp):
    resp.pop("ResponseMetadata", None)
    # boto3 adds this from a response header; it is not part of the lifecycle document.
    resp.pop("TransitionDefaultMinimumObjectSize", None)
    return resp


def test_show_on_a_new_bucket_says_not_set_with_the_servers_code(server):
    name, s3, bucket, p = server
    sections = show_json(p, bucket)
    assert list(sections) == ["region", "versioning", "ownership", "encryption", "public-access-block", "policy",
                              "cors", "lifecycle", "website", "tags"]
    for section, code in [("policy", "NoSuchBucketPolicy"), ("cors", "NoSuchCORSConfiguration"),
                          ("lifecycle", "NoSuchLifecycleConfiguration"), ("website", "NoSuchWebsiteConfiguration"),
                          ("tags", "NoSuchTagSet"), ("encryption", "ServerSideEncryptionConfigurationNotFoundError")]:
        assert sections[section] == {"section": section, "status": "not_set", "code": code}, section
    assert sections["versioning"] == {"section": "versioning", "status": "set", "configuration": {}}
    if name == "moto":
        assert sections["region"]["configuration"] == {"LocationConstraint": None}
        assert sections["public-access-block"]["code"] == "NoSuchPublicAccessBlockConfiguration"
        assert sections["ownership"]["code"] == "OwnershipControlsNotFoundError"
    else:
        # SeaweedFS answers ?location with a CreateBucketConfiguration and has no public access block.
        assert sections["region"]["status"] == "unsupported"
        assert "CreateBucketConfiguration" in sections["region"]["message"]
        assert sections["public-access-block"] == {"section": "public-access-block", "status": "unsupported",
                                                   "message": "NotImplemented"}
        assert sections["ownership"]["configuration"] == {
            "OwnershipControls": {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}}
    text = bucket_cmd(p, "show", f"s3://{bucket}").stdout.decode()
    assert "CORS: not set (NoSuchCORSConfiguration)\n" in text
    assert "versioning: never enabled\n" in text


def test_show_reads_what_boto3_set_in_the_aws_cli_shape(server):
    name, s3, bucket, p = server
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=CORS)
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=LIFECYCLE)
    s3.put_bucket_tagging(Bucket=bucket, Tagging=TAGS)
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy_for(bucket)))
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    sections = show_json(p, bucket)
    assert sections["cors"]["configuration"] == strip(s3.get_bucket_cors(Bucket=bucket))
    assert sections["lifecycle"]["configuration"] == strip(s3.get_bucket_lifecycle_configuration(Bucket=bucket))
    assert sections["tags"]["configuration"] == strip(s3.get_bucket_tagging(Bucket=bucket))
    assert json.loads(sections["policy"]["configuration"]["Policy"]) == policy_for(bucket)
    assert sections["versioning"].get("configuration", {}).get("Status") == "Enabled", sections["versioning"]
    text = bucket_cmd(p, "show", f"s3://{bucket}").stdout.decode()
    assert "versioning: Enabled\n" in text
    # The policy pretty-printed, one field a line.
    assert '\n              "Effect": "Allow",\n' in text
    assert '"MaxAgeSeconds": 3000' in text


@pytest.mark.parametrize("section", ["cors", "lifecycle", "tags", "policy"])
def test_edit_replaces_the_configuration_after_saving_the_old_one(server, editor, section):
    name, s3, bucket, p = server
    old = {"cors": CORS, "lifecycle": LIFECYCLE, "tags": TAGS, "policy": policy_for(bucket)}[section]
    new = {
        "cors": {"CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"], "MaxAgeSeconds": 60}]},
        "lifecycle": {"Rules": [{"ID": "uploads", "Filter": {"Prefix": ""}, "Status": "Enabled",
                                 "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}}]},
        "tags": {"TagSet": [{"Key": "team", "Value": "ops"}]},
        "policy": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]},
    }[section]
    put = {"cors": lambda: s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=old),
           "lifecycle": lambda: s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=old),
           "tags": lambda: s3.put_bucket_tagging(Bucket=bucket, Tagging=old),
           "policy": lambda: s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps(old))}[section]
    get = {"cors": lambda: strip(s3.get_bucket_cors(Bucket=bucket)),
           "lifecycle": lambda: strip(s3.get_bucket_lifecycle_configuration(Bucket=bucket)),
           "tags": lambda: strip(s3.get_bucket_tagging(Bucket=bucket)),
           "policy": lambda: json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])}[section]
    put()
    before = get()
    proc = bucket_cmd(p, "edit", "--yes", f"s3://{bucket}", section, env=editor.env(new))
    err = proc.stderr.decode()
    # The editor was given the current configuration, in a file only the user can read.
    assert json.loads(editor.seen.read_text()) == before
    assert (editor.dir / "seen.json.mode").read_text() == "0o600"
    assert get() == new if section != "lifecycle" else get()["Rules"][0]["ID"] == "uploads"
    backups = editor.backups()
    assert len(backups) == 1 and section in backups[0].name
    assert json.loads(backups[0].read_text()) == before
    assert stat.S_IMODE(os.stat(backups[0]).st_mode) == 0o600
    assert f"saved the previous configuration to {backups[0]}" in err
    assert "- " in err and "+ " in err  # the diff was shown


def test_website_edit_on_moto(moto_s3, moto_bucket, moto_pail, editor):
    site = {"IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "404.html"}}
    bucket_cmd(moto_pail, "edit", "--yes", f"s3://{moto_bucket}", "website", env=editor.env(site))
    assert strip(moto_s3.get_bucket_website(Bucket=moto_bucket)) == site
    assert editor.seen.read_text() == ""  # nothing set before: an empty file, and no backup
    assert editor.backups() == []
    assert show_json(moto_pail, moto_bucket)["website"]["configuration"] == site


def test_seaweedfs_website_put_is_said_to_be_unsupported_and_the_edit_kept(s3, bucket, pail, editor):
    site = {"IndexDocument": {"Suffix": "index.html"}}
    proc = bucket_cmd(pail, "edit", "--yes", f"s3://{bucket}", "website", env=editor.env(site), check=False)
    err = proc.stderr.decode().splitlines()
    assert proc.returncode == 1
    assert err[-1].startswith("pail: the server at ") and "does not support setting the website configuration " \
        "(it answered BucketAlreadyOwnedByYou); nothing was changed; the edit is kept in " in err[-1]
    assert json.loads(open(err[-1].split("the edit is kept in ")[1]).read()) == site


def test_invalid_json_is_refused_with_its_line_and_the_edit_kept(server, editor):
    name, s3, bucket, p = server
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=CORS)
    typed = '{\n  "CORSRules": [\n    {"AllowedMethods": ["GET"] "AllowedOrigins": ["*"]}\n  ]\n}\n'
    proc = bucket_cmd(p, "edit", "--yes", f"s3://{bucket}", "cors", env=editor.env(typed), check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert "line 3: expected ',' or '}'" in err
    kept = err.split("the edit is kept in ")[1].strip()
    assert open(kept).read() == typed
    assert strip(s3.get_bucket_cors(Bucket=bucket)) == strip(s3.get_bucket_cors(Bucket=bucket))
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"][0]["MaxAgeSeconds"] == 3000
    assert editor.backups() == []


def test_a_field_the_aws_shape_does_not_have_is_refused_before_sending(server, editor):
    name, s3, bucket, p = server
    typed = ('{\n  "CORSRules": [\n    {\n      "AllowedMethods": ["GET"],\n      "AllowedOrigin": ["*"]\n'
             '    }\n  ]\n}\n')
    proc = bucket_cmd(p, "edit", "--yes", f"s3://{bucket}", "cors", env=editor.env(typed), check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert 'line 5: unknown field "AllowedOrigin" (did you mean "AllowedOrigins"?)' in err
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_cors(Bucket=bucket)
    assert e.value.response["Error"]["Code"] == "NoSuchCORSConfiguration"


def test_without_a_terminal_or_yes_nothing_is_sent(server, editor):
    name, s3, bucket, p = server
    s3.put_bucket_tagging(Bucket=bucket, Tagging=TAGS)
    proc = bucket_cmd(p, "edit", f"s3://{bucket}", "tags", env=editor.env({"TagSet": []}), check=False)
    assert proc.returncode == 1
    assert "no terminal to confirm on; pass --yes" in proc.stderr.decode()
    assert tags_of_bucket(s3, bucket) == tags_of_bucket_doc(TAGS)
    assert editor.backups() == []


def tags_of_bucket(s3, bucket):
    return tags_of_bucket_doc(s3.get_bucket_tagging(Bucket=bucket))


def tags_of_bucket_doc(doc):
    return {t["Key"]: t["Value"] for t in doc["TagSet"]}


def test_an_emptied_file_deletes_the_configuration(server, editor):
    name, s3, bucket, p = server
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=CORS)
    proc = bucket_cmd(p, "edit", "--yes", f"s3://{bucket}", "cors", env=editor.env("\n"))
    assert "deleted the CORS configuration" in proc.stderr.decode()
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_cors(Bucket=bucket)
    assert e.value.response["Error"]["Code"] == "NoSuchCORSConfiguration"
    assert json.loads(editor.backups()[0].read_text()) == CORS


def test_an_unchanged_file_sends_nothing(server, editor, tmp_path):
    name, s3, bucket, p = server
    env = editor.env("")
    env["EDITOR"] = "true"
    proc = bucket_cmd(p, "edit", f"s3://{bucket}", "lifecycle", env=env)
    assert "nothing sent" in proc.stderr.decode()


def test_versioning_enable_and_suspend(server):
    name, s3, bucket, p = server
    proc = bucket_cmd(p, "edit", f"s3://{bucket}", "versioning", "--enable", check=False)
    assert proc.returncode == 1 and "pass --yes" in proc.stderr.decode()
    assert s3.get_bucket_versioning(Bucket=bucket).get("Status") is None
    bucket_cmd(p, "edit", "--yes", f"s3://{bucket}", "versioning", "--enable")
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    bucket_cmd(p, "edit", "--yes", f"s3://{bucket}", "versioning", "--suspend")
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Suspended"


def tags_of(s3, bucket, key):
    return {t["Key"]: t["Value"] for t in s3.get_object_tagging(Bucket=bucket, Key=key)["TagSet"]}


def test_object_tags_show_set_remove(server):
    name, s3, bucket, p = server
    key = "media/caf\u00e9 \u001b[31m.jpg"
    s3.put_object(Bucket=bucket, Key=key, Body=b"x", Tagging="a=1&b=2")
    uri = f"s3://{bucket}/{key}"
    out = p.run("tags", "--endpoint-url", p.endpoint, "--json", uri, endpoint=False).stdout
    assert json.loads(out) == {"key": key, "tags": tags_of(s3, bucket, key)}
    p.run("tags", "--endpoint-url", p.endpoint, "--set", "b=3", "--set", "c=x=y", "--remove", "a", uri, endpoint=False)
    assert tags_of(s3, bucket, key) == {"b": "3", "c": "x=y"}
    text = p.run("tags", "--endpoint-url", p.endpoint, uri, endpoint=False).stdout.decode()
    assert sorted(text.splitlines()) == ["b=3", "c=x=y"]
    p.run("tags", "--endpoint-url", p.endpoint, "--remove", "b", "--remove", "c", uri, endpoint=False)
    assert tags_of(s3, bucket, key) == {}
    # A key with a control character is escaped in text, exact in JSON.
    proc = p.run("tags", "--endpoint-url", p.endpoint, uri, endpoint=False)
    assert b"\x1b" not in proc.stderr and "has no tags" in proc.stderr.decode()


def test_tag_keys_are_bytes_nfc_and_nfd_are_two_tags(s3, bucket, pail):
    # moto refuses tag keys outside ASCII letters, SeaweedFS combining marks; both spellings
    # of A with a ring are letters, canonically equivalent, and two keys to S3.
    nfc, nfd = "\u00c5", "\u212b"
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": [{"Key": nfc, "Value": "1"}]})
    pail.run("tags", "--endpoint-url", pail.endpoint, "--set", f"{nfd}=2", f"s3://{bucket}/k", endpoint=False)
    assert tags_of(s3, bucket, "k") == {nfc: "1", nfd: "2"}


def test_object_acl_show_and_set_canned(moto_s3, moto_bucket, moto_pail):
    moto_s3.put_object(Bucket=moto_bucket, Key="report.pdf", Body=b"x")
    uri = f"s3://{moto_bucket}/report.pdf"
    shown = json.loads(moto_pail.run("acl", "--endpoint-url", moto_pail.endpoint, "--json", uri,
                                     endpoint=False).stdout)
    owner = moto_s3.get_object_acl(Bucket=moto_bucket, Key="report.pdf")["Owner"]["ID"]
    assert shown["owner"] == owner and shown["canned"] == "private"
    assert shown["grants"] == [{"grantee": f'id="{owner}"', "permission": "FULL_CONTROL"}]
    proc = moto_pail.run("acl", "--endpoint-url", moto_pail.endpoint, "--set-canned", "public-read", uri,
                         endpoint=False, check=False)
    assert proc.returncode == 1 and "pass --yes" in proc.stderr.decode()
    moto_pail.run("acl", "--endpoint-url", moto_pail.endpoint, "--set-canned", "public-read", "--yes", uri,
                  endpoint=False)
    grants = moto_s3.get_object_acl(Bucket=moto_bucket, Key="report.pdf")["Grants"]
    assert any(g["Grantee"].get("URI", "").endswith("/AllUsers") and g["Permission"] == "READ" for g in grants)
    text = moto_pail.run("acl", "--endpoint-url", moto_pail.endpoint, uri, endpoint=False).stdout.decode()
    assert "canned: public-read\n" in text


TWO_STEP_EDITOR = """
import os, sys
count = os.path.join(os.environ["EDIT_DIR"], "count")
n = int(open(count).read()) if os.path.exists(count) else 0
open(count, "w").write(str(n + 1))
src = os.path.join(os.environ["EDIT_DIR"], "try%d.json" % min(n, 1))
open(sys.argv[1], "w").write(open(src).read())
"""


def test_at_a_terminal_a_mistake_reopens_the_editor_and_the_change_is_confirmed(s3, bucket, pail, tmp_path):
    from tmux_harness import TmuxSession
    from conftest import PAIL_BIN
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=CORS)
    (tmp_path / "edit.py").write_text(TWO_STEP_EDITOR)
    (tmp_path / "try0.json").write_text('{\n  "CORSRules": [\n    {"AllowedMethods": ["GET"],, }\n  ]\n}\n')
    fixed = {"CORSRules": [{"AllowedMethods": ["PUT"], "AllowedOrigins": ["https://a.example"], "MaxAgeSeconds": 60}]}
    (tmp_path / "try1.json").write_text(json.dumps(fixed))  # on one line: the diff is of the layouts pail prints
    env = dict(pail.env, EDITOR=f"{sys.executable} {tmp_path / 'edit.py'}", EDIT_DIR=str(tmp_path),
               XDG_STATE_HOME=str(tmp_path / "state"))
    argv = [PAIL_BIN, "bucket", "edit", "--endpoint-url", pail.endpoint, f"s3://{bucket}", "cors"]
    with TmuxSession(argv, env, count_keys=False) as t:
        t.wait_for(["cors.json line 3: expected a field name in double quotes", "Open the editor again? [y/N]"])
        t.type("y")
        t.send("Enter")
        # The question is printed after the diff: waited for whole all the same.
        screen = t.wait_for(["Replace the CORS configuration of", '+                 "PUT"\n',
                             '-                 "GET",\n'])
        assert '                  "https://a.example"' in screen.replace("+ ", "  ")
        # Not sent before the answer.
        assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"][0]["AllowedMethods"] == ["GET", "HEAD"]
        t.type("y")
        t.send("Enter")
        t.wait_for("EXITED 0")
        assert "replaced the CORS configuration" in t.screen()
    assert strip(s3.get_bucket_cors(Bucket=bucket)) == fixed
    assert (tmp_path / "count").read_text() == "2"
    backups = list((tmp_path / "state" / "pail" / "bucket-configs").iterdir())
    assert [json.loads(b.read_text()) for b in backups] == [CORS]
