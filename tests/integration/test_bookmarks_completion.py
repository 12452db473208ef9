"""Issue 15: bookmarks (`pail bookmark`, `pail bookmarks`, `pail NAME`) and live s3:// completion
against SeaweedFS, through the hidden `pail complete-s3` and through bash's completion script."""
import json
import os
import socket
import subprocess
import shlex
import textwrap

import pytest

from conftest import PAIL_BIN, ROOT
from tmux_harness import TmuxSession


@pytest.fixture
def config(tmp_path):
    return tmp_path / "pail" / "config"


def run(pail, config, *args, check=True, env=None, endpoint=True):
    return pail.run(*args, check=check, env=dict({"PAIL_CONFIG": str(config)}, **(env or {})), endpoint=endpoint)


def test_bookmark_commands_keep_the_file_and_list(pail, config):
    config.parent.mkdir(parents=True)
    original = ("# my settings\n[bucket site]\nread_only = false\n\n; uploads follow\n"
                "[upload static/**]\ncache_control = no-cache\n")
    config.write_text(original)
    run(pail, config, "bookmark", "m", "s3://site/media/")
    run(pail, config, "bookmark", "Logs", "s3://logs")
    assert config.read_text() == original + "\n[bookmarks]\nm = s3://site/media/\nLogs = s3://logs\n"
    assert run(pail, config, "bookmarks").stdout.decode() == "m     s3://site/media/\nLogs  s3://logs\n"
    lines = run(pail, config, "bookmarks", "--json").stdout.decode().splitlines()
    assert [json.loads(x) for x in lines] == [{"name": "m", "uri": "s3://site/media/"},
                                              {"name": "Logs", "uri": "s3://logs"}]
    run(pail, config, "bookmark", "--delete", "Logs")
    run(pail, config, "bookmark", "--delete", "m")
    assert config.read_text() == original + "\n[bookmarks]\n"
    for argv, message in [(("bookmark", "ls", "s3://x"), "`pail ls` is a command"),
                          (("bookmark", "m", "/tmp/x"), "is not an S3 target"),
                          (("bookmark", "--delete", "zz"), 'there is no bookmark "zz"')]:
        proc = run(pail, config, *argv, check=False)
        err = proc.stderr.decode()
        assert proc.returncode == 1 and message in err and len(err.splitlines()) == 1, (argv, err)


def test_unknown_bookmark_is_one_line_naming_the_bookmarks(pail, config):
    run(pail, config, "bookmark", "m", "s3://site/media/")
    run(pail, config, "bookmark", "docs", "s3://site/docs/")
    proc = run(pail, config, "nope", check=False)
    assert proc.returncode == 1
    assert proc.stderr.decode() == 'pail: "nope" is neither an s3:// URI nor a bookmark (bookmarks: m, docs)\n'


def test_pail_name_opens_the_bookmark(pail, s3, bucket, config):
    for key in ["media/2024/a.jpg", "media/2024/b.jpg", "static/app.css"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    run(pail, config, "bookmark", "m", f"s3://{bucket}/media/2024/")
    env = dict(pail.env, PAIL_CONFIG=str(config))
    with TmuxSession([PAIL_BIN, "--endpoint-url", pail.endpoint, "m"], env, 120, 30) as t:
        # Waited for whole: tmux may capture a frame half drawn (the title drawn, the rows not yet).
        t.wait_idle(until=lambda s: bucket in s.split("\n")[0] and "a.jpg" in s and "b.jpg" in s,
                    what="the bookmark's place, a.jpg and b.jpg listed")


def complete(pail, config, partial, endpoint=None):
    argv = [PAIL_BIN, "complete-s3", "--endpoint-url", endpoint or pail.endpoint, partial]
    proc = subprocess.run(argv, capture_output=True, env=dict(pail.env, PAIL_CONFIG=str(config)), timeout=60)
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr
    return proc.stdout.decode().splitlines()


def test_complete_s3_lists_buckets_prefixes_and_keys(pail, s3, bucket, config):
    for key in ["media/a.jpg", "media/b/c.jpg", "mediakit.zip", "static/x.css", "media/$(touch PWNED)", "media/sp ace"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    run(pail, config, "bookmark", "media", f"s3://{bucket}/media/")
    assert complete(pail, config, "") == ["s3://", "media"]
    assert complete(pail, config, "me") == ["media"]
    assert f"s3://{bucket}/" in complete(pail, config, "s3://")
    assert complete(pail, config, f"s3://{bucket[:-2]}") == [f"s3://{bucket}/"]
    assert complete(pail, config, f"s3://{bucket}/") == [f"s3://{bucket}/media/", f"s3://{bucket}/static/",
                                                           f"s3://{bucket}/mediakit.zip"]
    # A key a shell would expand, or split, is never offered.
    assert complete(pail, config, f"s3://{bucket}/media/") == [f"s3://{bucket}/media/b/", f"s3://{bucket}/media/a.jpg"]
    assert complete(pail, config, "s3://no-such-bucket-here/") == []


def test_complete_s3_gives_up_quietly_on_a_silent_server(pail, config):
    # Accepts connections and never answers: the completion ends by itself, printing nothing.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = "http://127.0.0.1:%d" % silent.getsockname()[1]
        assert complete(pail, config, "s3://", endpoint=url) == []
        assert complete(pail, config, "s3://b/p", endpoint=url) == []


def test_bash_completion_script_completes_from_the_listing(pail, s3, bucket, config, tmp_path):
    for key in ["media/a.jpg", "static/x.css"]:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    run(pail, config, "bookmark", "media", f"s3://{bucket}/media/")
    # The scripts `make install` installs, made the same way.
    subprocess.run([os.path.join(ROOT, "scripts", "completions.sh"), PAIL_BIN, str(tmp_path / "share")], check=True)
    script = tmp_path / "share" / "bash-completion" / "completions" / "pail"
    assert b'complete-s3 --line "${line}"' in script.read_bytes()
    assert b"complete-s3 --line" in (tmp_path / "share" / "fish" / "vendor_completions.d" / "pail.fish").read_bytes()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pail").symlink_to(os.path.abspath(PAIL_BIN))

    def bash_complete(words, env=None):
        # The words as bash splits them (":" is in COMP_WORDBREAKS); the cursor at the end.
        line = "".join(w if w in (":",) or (i and words[i - 1] == ":") else (" " if i else "") + w
                       for i, w in enumerate(words))
        driver = textwrap.dedent(f"""
            source {script}
            COMP_LINE={shlex.quote(line)}; COMP_POINT=${{#COMP_LINE}}
            COMP_WORDS=({' '.join(shlex.quote(w) for w in words)}); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
            complete -p pail
            _pail_with_s3 pail
            printf '%s\\n' "${{COMPREPLY[@]}}"
        """)
        e = dict(pail.env, PAIL_CONFIG=str(config), PATH=f"{bin_dir}:{pail.env['PATH']}", **(env or {}))
        proc = subprocess.run(["bash", "-O", "extglob", "-c", driver], capture_output=True, env=e, timeout=60)
        assert proc.stderr == b"", proc.stderr
        out = proc.stdout.decode().splitlines()
        assert out[0] == "complete -o filenames -F _pail_with_s3 pail"
        return [x for x in out[1:] if x]

    via_env = {"AWS_ENDPOINT_URL": pail.endpoint}
    assert f"//{bucket}/" in bash_complete(["pail", "s3", ":", "//"], via_env)
    assert bash_complete(["pail", "s3", ":", f"//{bucket}/m"], via_env) == [f"//{bucket}/media/"]
    # Any command's target, with the endpoint from the command line.
    scheme, host, port = pail.endpoint.replace("://", ":").split(":")
    words = ["pail", "ls", "--endpoint-url", scheme, ":", "//" + host, ":", port, "s3", ":", f"//{bucket}/s"]
    assert bash_complete(words) == [f"//{bucket}/static/"]
    first = bash_complete(["pail", "m"], via_env)
    assert "media" in first, first


def test_a_profile_of_pails_file_names_the_endpoint(pail, s3, bucket, config, tmp_path):
    """`[profile local]` in pail's file: its endpoint and the keys of the ~/.aws profile it names."""
    s3.put_object(Bucket=bucket, Key="here.txt", Body=b"x")
    aws = tmp_path / "aws"
    aws.mkdir()
    (aws / "credentials").write_text(f"[seaweed]\naws_access_key_id = {pail.env['AWS_ACCESS_KEY_ID']}\n"
                                     f"aws_secret_access_key = {pail.env['AWS_SECRET_ACCESS_KEY']}\n")
    config.parent.mkdir(parents=True)
    config.write_text(f"[profile local]\nendpoint_url = {pail.endpoint}   # the test server\naws_profile = seaweed\n"
                      "read_only = true\n")
    env = {"AWS_SHARED_CREDENTIALS_FILE": str(aws / "credentials"), "AWS_CONFIG_FILE": str(aws / "config"),
           "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}
    out = run(pail, config, "ls", "--profile", "local", f"s3://{bucket}/", env=env, endpoint=False).stdout.decode()
    assert "here.txt" in out
    proc = run(pail, config, "rm", "--profile", "local", "--yes", f"s3://{bucket}/here.txt", env=env, check=False,
               endpoint=False)
    assert proc.returncode == 1 and "read_only in [profile local]" in proc.stderr.decode(), proc.stderr
    proc = run(pail, config, "ls", "--profile", "nowhere", env=env, check=False, endpoint=False)
    assert proc.returncode == 1 and 'profile "nowhere"' in proc.stderr.decode()


def test_the_readme_configuration_example_is_read_as_it_is(pail, tmp_path):
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = text[text.index("### Configuration file"):]
    example = section[section.index("```ini\n") + 7:section.index("\n```", section.index("```ini\n"))]
    config = tmp_path / "config"
    config.write_text(example + "\n")
    proc = run(pail, config, "bookmarks", "--json")
    assert proc.stderr == b"" and b'"name":"m"' in proc.stdout, proc.stderr
