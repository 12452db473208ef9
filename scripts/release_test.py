#!/usr/bin/env python3
"""Runs the release binary where no Swift toolchain is: a bare root holding only the binary
and the shared libraries it links, entered with chroot, against the test server that
scripts/s3server.py started (PAIL_TEST_ENDPOINT and the keys in the environment). Then
installs and removes the .deb in a scratch dpkg root. Exits non-zero on the first failure.

    s3server.py run -- release_test.py .build-release/release/pail .build-release/pail_V_ARCH.deb
"""
import os
import shutil
import subprocess
import sys
import tempfile
import uuid

import boto3
from botocore.config import Config


def fail(message):
    print(f"release-test: {message}", file=sys.stderr)
    sys.exit(1)


def linked_libraries(binary):
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    libs = []
    for line in out.splitlines():
        parts = line.split()
        if "=>" in parts:
            target = parts[parts.index("=>") + 1]
            if target.startswith("/"):
                libs.append(target)
        elif parts and parts[0].startswith("/"):
            libs.append(parts[0])  # the dynamic loader
    return libs


def bare_root(binary, root):
    libs = linked_libraries(binary)
    swift = [lib for lib in libs if "/opt/swift" in lib or "libswift" in os.path.basename(lib)]
    if swift:
        fail(f"the release binary still links the Swift toolchain's libraries: {swift}")
    for lib in libs:
        dest = root + lib
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copy2(os.path.realpath(lib), dest)
    os.makedirs(root + "/usr/bin")
    shutil.copy2(binary, root + "/usr/bin/pail")
    for d in ("/tmp", "/home/ops", "/dev"):
        os.makedirs(root + d, exist_ok=True)
    if os.path.exists("/opt/swift") and os.path.exists(root + "/opt/swift"):
        fail("the bare root has /opt/swift")
    return libs


def run_in_root(root, args, env):
    chroot = shutil.which("chroot") or "/usr/sbin/chroot"
    return subprocess.run([chroot, root, "/usr/bin/pail", *args], capture_output=True, text=True,
                          env=env, timeout=60)


def check_bare_root(root, libs, endpoint, key, secret, bucket):
    env = {"HOME": "/home/ops", "PATH": "/usr/bin", "LANG": "C.UTF-8", "AWS_ACCESS_KEY_ID": key,
           "AWS_SECRET_ACCESS_KEY": secret, "AWS_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}
    version = run_in_root(root, ["--version"], env)
    if version.returncode != 0 or "commit " not in version.stdout:
        fail(f"pail --version in the bare root: status {version.returncode}, {version.stdout!r} {version.stderr!r}")
    listing = run_in_root(root, ["ls", "--endpoint-url", endpoint, "-r", f"s3://{bucket}/"], env)
    if listing.returncode != 0 or "static/css/site.css" not in listing.stdout:
        fail(f"pail ls in the bare root: status {listing.returncode}, {listing.stdout!r} {listing.stderr!r}")
    # Images: libchafa and gdk-pixbuf are linked; PNG is built into Debian's gdk-pixbuf, and
    # GIF, a loader module this root lacks, says what to install instead of crashing.
    view = run_in_root(root, ["view", "--endpoint-url", endpoint, "--protocol", "symbols", "--width", "8",
                              f"s3://{bucket}/media/tiny.png"], env)
    if view.returncode != 0 or not view.stdout.endswith("2×2 PNG, 79 B\n"):
        fail(f"pail view in the bare root: status {view.returncode}, {view.stdout!r} {view.stderr!r}")
    gif = run_in_root(root, ["view", "--endpoint-url", endpoint, f"s3://{bucket}/media/two.gif"], env)
    if gif.returncode != 1 or "has no GIF loader (install libgdk-pixbuf-2.0-0)" not in gif.stderr:
        fail(f"pail view of a GIF without its loader: status {gif.returncode}, {gif.stderr!r}")
    print(f"release-test: {version.stdout.strip()} runs in a bare root with {len(libs)} system libraries "
          "and no Swift toolchain; ls and view work against the test server")


def check_deb(deb):
    with tempfile.TemporaryDirectory(prefix="pail-dpkg-") as scratch:
        admin = os.path.join(scratch, "var/lib/dpkg")
        os.makedirs(os.path.join(admin, "updates"))
        os.makedirs(os.path.join(admin, "info"))
        open(os.path.join(admin, "status"), "w").close()
        dpkg = [shutil.which("dpkg") or "/usr/bin/dpkg", f"--root={scratch}", f"--admindir={admin}",
                "--force-depends", "--force-script-chrootless", "--log=/dev/null"]
        subprocess.run(dpkg + ["-i", deb], check=True, capture_output=True)
        want = ["usr/bin/pail", "usr/share/man/man1/pail.1.gz", "usr/share/bash-completion/completions/pail",
                "usr/share/zsh/site-functions/_pail", "usr/share/fish/vendor_completions.d/pail.fish"]
        missing = [p for p in want if not os.path.isfile(os.path.join(scratch, p))]
        if missing:
            fail(f"the .deb did not install {missing}")
        subprocess.run(dpkg + ["-r", "pail"], check=True, capture_output=True)
        left = [p for p in want if os.path.exists(os.path.join(scratch, p))]
        if left:
            fail(f"removing the .deb left {left}")
        print(f"release-test: {os.path.basename(deb)} installs {len(want)} files and removes them cleanly")


def main():
    binary, deb = sys.argv[1], sys.argv[2]
    if os.geteuid() != 0:
        print("release-test: skipped, chroot needs root", file=sys.stderr)
        return
    endpoint = os.environ["PAIL_TEST_ENDPOINT"]
    key, secret = os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]
    bucket = "release-" + uuid.uuid4().hex[:8]
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key,
                      aws_secret_access_key=secret, config=Config(s3={"addressing_style": "path"}))
    s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="static/css/site.css", Body=b"body{}")
    fixtures = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "Tests", "ImagingTests",
                            "Fixtures")
    for object_key, name in (("media/tiny.png", "rgb-2x2.png"), ("media/two.gif", "two-frames.gif")):
        with open(os.path.join(fixtures, name), "rb") as f:
            s3.put_object(Bucket=bucket, Key=object_key, Body=f.read())
    with tempfile.TemporaryDirectory(prefix="pail-bare-root-") as root:
        libs = bare_root(binary, root)
        # Every machine has /proc, and the Swift runtime reads the arguments from it.
        os.makedirs(root + "/proc")
        subprocess.run(["mount", "-t", "proc", "proc", root + "/proc"], check=True)
        try:
            check_bare_root(root, libs, endpoint, key, secret, bucket)
        finally:
            subprocess.run(["umount", "-l", root + "/proc"], check=False)
    check_deb(deb)


if __name__ == "__main__":
    main()
