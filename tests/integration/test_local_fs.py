"""Issue 10: the local file system as an adversary (links, pipes, unreadable and changing
files, long and look-alike names, a full disk) and signals during transfers, against the
real server, with boto3 seeding and checking."""
import fcntl
import hashlib
import os
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unicodedata

import pytest

from conftest import PAIL_BIN, Pail
from fault_proxy import FaultyProxy

MiB = 1024 * 1024


def data(size, seed=0):
    block = hashlib.sha256(str(seed).encode()).digest() * (MiB // 32)
    return (block * (size // len(block) + 1))[:size]


def temporaries(folder):
    return [n for n in os.listdir(folder) if n.startswith(".pail-") or n.endswith(".part")]


def tree(folder):
    """Every entry below `folder` (links not followed), as relative paths."""
    out = []
    for root, dirs, files in os.walk(folder):
        for n in dirs + files:
            out.append(os.path.relpath(os.path.join(root, n), folder))
    return sorted(out)


def wait_for(predicate, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


# ---------------------------------------------------------------- downloads: links and names

def test_a_symlinked_folder_in_the_destination_is_refused_not_followed(pail, s3, bucket, tmp_path):
    for key in ["d/ok.txt", "d/link/evil.txt", "d/link/deeper/evil2.txt", "d/real/fine.txt"]:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    outside = tmp_path / "outside"
    outside.mkdir()
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "link").symlink_to(outside)
    proc = pail.run("cp", "-r", f"s3://{bucket}/d/", str(dest), check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert f"{dest}/link is a symbolic link; pail does not follow links inside the destination" in err
    assert "2 done, 0 skipped, 2 failed" in err, err
    assert list(outside.iterdir()) == []
    assert (dest / "ok.txt").read_bytes() == b"d/ok.txt"
    assert (dest / "real" / "fine.txt").read_bytes() == b"d/real/fine.txt"
    assert os.path.islink(dest / "link")


@pytest.mark.parametrize("overwrite", [False, True], ids=["keep", "overwrite"])
def test_a_link_at_the_final_name_is_neither_followed_nor_replaced(pail, s3, bucket, tmp_path, overwrite):
    s3.put_object(Bucket=bucket, Key="f/a.txt", Body=b"from the server")
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "a.txt").symlink_to(victim)
    args = ["cp", "-r"] + (["--overwrite"] if overwrite else []) + [f"s3://{bucket}/f/", str(dest)]
    proc = pail.run(*args, check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert f"{dest}/a.txt is a symbolic link; pail neither writes through nor replaces links" in err
    assert victim.read_bytes() == b"keep me"
    assert os.readlink(dest / "a.txt") == str(victim)
    assert temporaries(dest) == []
    # A folder at the final name is refused too, and nothing is left beside it.
    (dest / "a.txt").unlink()
    (dest / "a.txt").mkdir()
    proc = pail.run(*args, check=False)
    assert proc.returncode == 1 and f"{dest}/a.txt is a folder" in proc.stderr.decode()
    assert tree(dest) == ["a.txt"]


def test_temporary_names_are_unpredictable_and_short(endpoint, s3, bucket, tmp_path):
    """A 250-byte name downloads (its temporary name once did not fit), and the temporary
    file is `.pail-<16 hex>.part`, whatever the final name."""
    long_name = "n" * 246 + ".bin"
    assert len(long_name.encode()) == 250
    s3.put_object(Bucket=bucket, Key="long/" + long_name, Body=data(12 * MiB, 1))
    seen = []
    first = threading.Lock()  # ranged GETs arrive together: only the first one looks

    def decide(method, path, n):
        with first:
            if method == "GET" and "long/" in path and not seen:
                seen.extend(n for n in os.listdir(dest) if n != long_name)
        return "forward"

    dest = tmp_path / "dest"
    dest.mkdir()
    proxy = FaultyProxy(endpoint, decide)
    try:
        Pail(proxy.url).run("cp", "-r", f"s3://{bucket}/long/", str(dest))
    finally:
        proxy.close()
    assert (dest / long_name).read_bytes() == data(12 * MiB, 1)
    assert len(seen) == 1 and len(seen[0]) == len(".pail-0123456789abcdef.part"), seen
    assert seen[0].startswith(".pail-") and seen[0].endswith(".part")
    assert temporaries(dest) == []


def test_nfc_and_nfd_names_are_two_objects_and_two_files(pail, s3, bucket, tmp_path):
    nfc = unicodedata.normalize("NFC", "café.txt")
    nfd = unicodedata.normalize("NFD", "café.txt")
    assert nfc.encode() != nfd.encode()
    s3.put_object(Bucket=bucket, Key="u/" + nfc, Body=b"nfc")
    s3.put_object(Bucket=bucket, Key="u/" + nfd, Body=b"nfd")
    dest = tmp_path / "dest"
    proc = pail.run("cp", "-r", f"s3://{bucket}/u/", str(dest))
    assert "2 done, 0 skipped, 0 failed" in proc.stderr.decode()
    assert sorted(os.listdir(os.fsencode(dest))) == sorted([nfc.encode(), nfd.encode()])
    assert open(os.path.join(os.fsencode(dest), nfc.encode()), "rb").read() == b"nfc"
    assert open(os.path.join(os.fsencode(dest), nfd.encode()), "rb").read() == b"nfd"
    # And back up: two files, two keys.
    pail.run("cp", "-r", str(dest) + "/", f"s3://{bucket}/back/")
    keys = sorted(o["Key"].encode() for o in s3.list_objects_v2(Bucket=bucket, Prefix="back/")["Contents"])
    assert keys == sorted([b"back/" + nfc.encode(), b"back/" + nfd.encode()])


def test_a_listing_that_repeats_a_key_downloads_it_once_and_says_so(endpoint, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="r/a.txt", Body=b"a")
    s3.put_object(Bucket=bucket, Key="r/b.txt", Body=b"b")
    listing = s3.list_objects_v2(Bucket=bucket, Prefix="r/")["Contents"]
    a = next(o for o in listing if o["Key"] == "r/a.txt")
    entry = (f"<Contents><Key>r/a.txt</Key><Size>1</Size><ETag>{a['ETag'].replace(chr(34), '&quot;')}</ETag>"
             "<LastModified>2024-01-01T00:00:00.000Z</LastModified></Contents>")
    b = next(o for o in listing if o["Key"] == "r/b.txt")
    entry_b = entry.replace("r/a.txt", "r/b.txt").replace(a["ETag"].replace('"', "&quot;"),
                                                          b["ETag"].replace('"', "&quot;"))
    body = ('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>' + bucket + "</Name><Prefix>r/</Prefix>"
            "<KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
            + entry + entry + entry_b + "</ListBucketResult>").encode()

    def decide(method, path, n):
        return ("respond", 200, body) if method == "GET" and "list-type=2" in path else "forward"

    dest = tmp_path / "dest"
    proxy = FaultyProxy(endpoint, decide)
    try:
        proc = Pail(proxy.url).run("cp", "-r", f"s3://{bucket}/r/", str(dest), check=False)
    finally:
        proxy.close()
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "skipped r/a.txt: the listing returned this key more than once" in err
    assert "2 done, 1 skipped, 0 failed" in err, err
    assert sorted(os.listdir(dest)) == ["a.txt", "b.txt"]


@pytest.mark.parametrize("overwrite", [False, True], ids=["keep", "overwrite"])
def test_two_keys_for_one_local_file_are_a_collision_not_an_overwrite(pail, s3, bucket, tmp_path, overwrite):
    s3.put_object(Bucket=bucket, Key="x/f.txt", Body=b"from x")
    s3.put_object(Bucket=bucket, Key="y/f.txt", Body=b"from y")
    dest = tmp_path / "dest"
    dest.mkdir()
    args = (["cp"] + (["--overwrite"] if overwrite else [])
            + [f"s3://{bucket}/x/f.txt", f"s3://{bucket}/y/f.txt", str(dest)])
    proc = pail.run(*args, check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "1 done, 0 skipped, 1 failed" in err, err
    kept = (dest / "f.txt").read_bytes().decode().removeprefix("from ")
    lost = "y" if kept == "x" else "x"
    assert f"{lost}/f.txt and {kept}/f.txt map to the same local file" in err, err
    assert f"the file holds {kept}/f.txt" in err, err
    assert os.listdir(dest) == ["f.txt"]


def test_sizes_beyond_s3s_largest_object_are_refused(endpoint, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="h/huge.bin", Body=b"x")
    body = ('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>' + bucket + "</Name><Prefix>h/</Prefix>"
            "<KeyCount>1</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>"
            f"<Contents><Key>h/huge.bin</Key><Size>{2**62}</Size><ETag>&quot;x&quot;</ETag>"
            "<LastModified>2024-01-01T00:00:00.000Z</LastModified></Contents></ListBucketResult>").encode()
    proxy = FaultyProxy(endpoint,
                        lambda m, p, n: ("respond", 200, body) if m == "GET" and "list-type=2" in p else "forward")
    dest = tmp_path / "dest"
    try:
        proc = Pail(proxy.url).run("cp", "-r", f"s3://{bucket}/h/", str(dest), check=False)
    finally:
        proxy.close()
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    # The listing refuses the size first; the engine's own bound is a unit test (LocalFileSystemTests).
    assert str(2**62) in err and "5 TiB" in err, err
    assert tree(dest) == []


# ---------------------------------------------------------------- downloads: a full disk

def test_a_full_disk_is_refused_before_anything_is_written(pail, s3, bucket, tmp_path):
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare")
    s3.put_object(Bucket=bucket, Key="big/f.bin", Body=data(3 * MiB, 2))
    s3.put_object(Bucket=bucket, Key="big/small.txt", Body=b"fits")
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True)
    prefix = ["unshare", "--mount"] if probe.returncode == 0 else ["unshare", "--user", "--map-root-user", "--mount"]
    script = (f'mount -t tmpfs -o size=1m tmpfs "{mnt}" || exit 99; '
              f'"{PAIL_BIN}" cp --endpoint-url "{pail.endpoint}" -r "s3://{bucket}/big/" "{mnt}/dl"; '
              f'echo "rc=$?"; ls -A "{mnt}/dl"')
    proc = subprocess.run(prefix + ["sh", "-c", script], capture_output=True, env=pail.env, timeout=120)
    if proc.returncode == 99:
        pytest.skip("cannot mount a tmpfs here: " + proc.stderr.decode())
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert "rc=1" in out, (out, err)
    assert f"not enough room in {mnt}/dl: the object needs 3.0 MiB" in err, err
    assert out.split("rc=1")[1].split() == ["small.txt"], out


def test_the_file_size_limit_is_refused_with_its_reason(pail, s3, bucket, tmp_path):
    s3.put_object(Bucket=bucket, Key="lim/f.bin", Body=data(2 * MiB, 3))
    dest = tmp_path / "dest"
    dest.mkdir()

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 * MiB, resource.RLIM_INFINITY))

    argv = [PAIL_BIN, "cp", "--endpoint-url", pail.endpoint, f"s3://{bucket}/lim/f.bin", str(dest / "f.bin")]
    proc = subprocess.run(argv, capture_output=True, env=pail.env, preexec_fn=limit, timeout=60)
    err = proc.stderr.decode()
    assert proc.returncode == 1, (proc.returncode, err)
    assert "more than this process may write to one file (ulimit -f: 1.0 MiB)" in err
    assert os.listdir(dest) == []


# ---------------------------------------------------------------- uploads: what a folder holds

def test_a_symlink_given_on_the_command_line_is_followed(pail, s3, bucket, tmp_path):
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "a.txt").write_bytes(b"a")
    (real / "sub" / "b.txt").write_bytes(b"b")
    (tmp_path / "linkdir").symlink_to(real)
    proc = pail.run("cp", "-r", str(tmp_path / "linkdir"), f"s3://{bucket}/y/")
    assert "2 done, 0 skipped, 0 failed" in proc.stderr.decode()
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
    assert keys == ["y/linkdir/a.txt", "y/linkdir/sub/b.txt"]


def test_every_entry_left_out_of_a_folder_is_named_and_counted(pail, s3, bucket):
    # Run as an unprivileged user so an unreadable file is unreadable (root reads anything).
    top = tempfile.mkdtemp(prefix="pail-lfs-", dir="/tmp")
    try:
        os.chmod(top, 0o755)
        site = os.path.join(top, "site")
        os.makedirs(os.path.join(site, "sub"))
        open(os.path.join(site, "ok.txt"), "wb").write(b"ok")
        open(os.path.join(site, "sub", "ok2.txt"), "wb").write(b"ok2")
        secret = os.path.join(top, "secret.txt")
        open(secret, "wb").write(b"secret")
        os.symlink(secret, os.path.join(site, "link.txt"))
        os.symlink(site, os.path.join(site, "sub", "loop"))
        os.mkfifo(os.path.join(site, "pipe"))
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(os.path.join(site, "sock"))
        unreadable = os.path.join(site, "locked.txt")
        open(unreadable, "wb").write(b"locked")
        os.chmod(unreadable, 0o000)
        for d in (site, os.path.join(site, "sub")):
            os.chmod(d, 0o755)

        def nobody():
            os.setgid(65534)
            os.setuid(65534)

        argv = [PAIL_BIN, "cp", "--endpoint-url", pail.endpoint, "-r", site, f"s3://{bucket}/up/"]
        proc = subprocess.run(argv, capture_output=True, env=pail.env, preexec_fn=nobody if os.geteuid() == 0 else None,
                              timeout=60)
        sock.close()
        err = proc.stderr.decode()
        assert proc.returncode == 1, err
        assert (f"skipped {site}/link.txt: a symbolic link; "
                "pail follows links only when they are given on the command line") in err
        assert f"skipped {site}/sub/loop: a symbolic link" in err
        assert f"skipped {site}/pipe: a named pipe (FIFO), not a file" in err
        assert f"skipped {site}/sock: a socket, not a file" in err
        assert f"skipped {site}/locked.txt: it cannot be read: Permission denied" in err
        assert "2 done, 5 skipped, 0 failed" in err, err
        keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"])
        assert keys == ["up/site/ok.txt", "up/site/sub/ok2.txt"]
    finally:
        shutil.rmtree(top, ignore_errors=True)


def test_a_folder_that_yields_nothing_says_so(pail, s3, bucket, tmp_path):
    d = tmp_path / "only-links"
    d.mkdir()
    (tmp_path / "t.txt").write_bytes(b"t")
    (d / "l.txt").symlink_to(tmp_path / "t.txt")
    proc = pail.run("cp", "-r", str(d), f"s3://{bucket}/z/", check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert f"{d} holds no file to upload" in err
    assert "0 done, 1 skipped, 0 failed" in err, err
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


# ---------------------------------------------------------------- uploads: files that change

@pytest.mark.parametrize("size,part", [(8 * MiB, None), (40 * MiB, "32")], ids=["put", "multipart"])
def test_a_file_that_shrinks_during_an_upload_is_reported_as_changed(endpoint, s3, bucket, tmp_path, size, part):
    src = tmp_path / "shrinking.bin"
    src.write_bytes(data(size, 4))
    cut = []

    def before_body(method, path):
        # curl is still reading the file (the proxy has not read the body yet): cut it short.
        if method == "PUT" and not cut:
            os.truncate(src, 1000)
            cut.append(path)

    proxy = FaultyProxy(endpoint, lambda m, p, n: "forward", before_body=before_body)
    try:
        args = ["cp"] + (["--part-size", part] if part else []) + [str(src), f"s3://{bucket}/shrinking.bin"]
        proc = Pail(proxy.url).run(*args, check=False)
    finally:
        proxy.close()
    err = proc.stderr.decode()
    assert cut and proc.returncode == 1, err
    changed = f"{src} changed while it was being read ({size} bytes when planned, 1000 now); nothing was stored"
    assert changed in err, err
    assert "cancelled" not in err
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


def test_a_file_that_grows_during_an_upload_is_reported_and_its_object_removed(endpoint, s3, bucket, tmp_path):
    src = tmp_path / "growing.log"
    src.write_bytes(data(4 * MiB, 5))
    grown = []

    def before_body(method, path):
        if method == "PUT" and not grown:
            with open(src, "ab") as f:
                f.write(b"more lines\n")
            grown.append(path)

    proxy = FaultyProxy(endpoint, lambda m, p, n: "forward", before_body=before_body)
    try:
        proc = Pail(proxy.url).run("cp", str(src), f"s3://{bucket}/growing.log", check=False)
    finally:
        proxy.close()
    err = proc.stderr.decode()
    assert grown and proc.returncode == 1, err
    assert f"{src} changed while it was being read ({4 * MiB} bytes when planned, {4 * MiB + 11} now)" in err, err
    assert f"pail removed the object it had stored at s3://{bucket}/growing.log" in err
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


# ---------------------------------------------------------------- uploads: a failed check after storing

@pytest.mark.parametrize("delete_fails", [False, True], ids=["removed", "left"])
def test_an_object_that_fails_its_check_after_upload_is_removed_or_named(endpoint, s3, bucket, tmp_path, delete_fails):
    src = tmp_path / "big.bin"
    src.write_bytes(data(12 * MiB, 6))
    denied = (b"<Error><Code>AccessDenied</Code><Message>no</Message></Error>")

    def decide(method, path, n):
        # The HEAD after CompleteMultipartUpload answers 0 bytes: not what was sent. (An
        # empty body: bytes after a HEAD's headers would be read as the next answer.)
        if method == "HEAD" and "big.bin" in path:
            return ("respond", 200, b"")
        if method == "DELETE" and delete_fails:
            return ("respond", 403, denied)
        return "forward"

    proxy = FaultyProxy(endpoint, decide)
    try:
        proc = Pail(proxy.url).run("cp", str(src), f"s3://{bucket}/big.bin", check=False)
    finally:
        proxy.close()
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert f"uploaded s3://{bucket}/big.bin has 0 bytes, the file {12 * MiB}" in err, err
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    if delete_fails:
        assert f"pail could not remove the object it stored" in err and f"delete s3://{bucket}/big.bin yourself" in err
        assert keys == ["big.bin"]
    else:
        assert f"pail removed the object it had stored at s3://{bucket}/big.bin" in err
        assert keys == []


# ---------------------------------------------------------------- signals

def signalled(proxy, args, ready, sig):
    """Runs `pail ARGS` through `proxy`, sends `sig` once `ready()` holds, waits for pail to
    end and closes the proxy; returns the process and its stderr."""
    try:
        argv = [PAIL_BIN, args[0], "--endpoint-url", proxy.url, *args[1:]]
        proc = subprocess.Popen(argv, env=Pail(proxy.url).env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert wait_for(ready)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=60)
    finally:
        proxy.close()
    return proc, err


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_term_and_hup_during_a_multipart_upload_abort_it(endpoint, s3, bucket, tmp_path, sig):
    src = tmp_path / "slow.bin"
    src.write_bytes(data(40 * MiB, 7))
    proxy = FaultyProxy(endpoint, lambda m, p, n: ("delay", 0.5) if "partNumber" in p else "forward")
    proc, err = signalled(proxy, ["cp", str(src), f"s3://{bucket}/slow.bin"],
                          lambda: proxy.count(lambda m, p: "partNumber" in p) >= 1, sig)
    name = signal.Signals(sig).name
    assert proc.returncode == 128 + sig, err
    assert f"interrupted ({name}); unfinished uploads were aborted".encode() in err, err
    assert b"0 done, 0 skipped, 0 failed, 1 cancelled" in err, err
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_term_and_hup_during_a_download_leave_no_temporary_file(endpoint, s3, bucket, tmp_path, sig):
    s3.put_object(Bucket=bucket, Key="slow.bin", Body=data(20 * MiB, 8))
    dest = tmp_path / "dl"
    dest.mkdir()
    # Ranges held back long enough that the signal always comes while they are in flight.
    proxy = FaultyProxy(endpoint, lambda m, p, n: ("delay", 3) if m == "GET" and "slow.bin" in p else "forward")
    proc, err = signalled(proxy, ["cp", f"s3://{bucket}/slow.bin", str(dest / "slow.bin")],
                          lambda: temporaries(dest), sig)
    assert proc.returncode == 128 + sig, err
    assert os.listdir(dest) == [], err


def test_interrupted_queued_transfers_are_counted(endpoint, s3, bucket, tmp_path):
    src = tmp_path / "many"
    src.mkdir()
    for i in range(12):
        (src / f"f{i:02}.txt").write_bytes(b"x" * 10)
    proxy = FaultyProxy(endpoint, lambda m, p, n: ("delay", 1.0) if m == "PUT" else "forward")
    proc, err = signalled(proxy, ["cp", "--concurrency", "1", "-r", str(src), f"s3://{bucket}/q/"],
                          lambda: proxy.count(lambda m, p: m == "PUT") >= 1, signal.SIGINT)
    assert proc.returncode == 130, err
    summary = [line for line in err.decode().splitlines() if " done, " in line][0]
    counts = summary.split(";")[0].replace(",", "").split()
    numbers = dict(zip(counts[1::2], map(int, counts[0::2])))
    assert sum(numbers.values()) == 12, summary
    assert numbers.get("cancelled", 0) >= 10, summary


def test_after_a_kill_the_next_download_removes_stale_temporaries(endpoint, pail, s3, bucket, tmp_path):
    body = data(20 * MiB, 9)
    s3.put_object(Bucket=bucket, Key="k/slow.bin", Body=body)
    dest = tmp_path / "dl"
    dest.mkdir()
    # A temporary file another live pail holds (locked) must survive the sweep.
    held = dest / ".pail-00000000deadbeef.part"
    held_fd = os.open(held, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(held_fd, fcntl.LOCK_EX)
    proxy = FaultyProxy(endpoint, lambda m, p, n: ("delay", 0.5) if m == "GET" and "slow.bin" in p else "forward")
    try:
        argv = [PAIL_BIN, "cp", "--endpoint-url", proxy.url, "-r", f"s3://{bucket}/k/", str(dest)]
        proc = subprocess.Popen(argv, env=Pail(proxy.url).env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert wait_for(lambda: len(temporaries(dest)) == 2)
        proc.kill()
        proc.communicate(timeout=30)
    finally:
        proxy.close()
    stale = [n for n in temporaries(dest) if n != held.name]
    assert len(stale) == 1 and os.path.getsize(dest / stale[0]) == 20 * MiB  # preallocated
    pail.run("cp", "-r", f"s3://{bucket}/k/", str(dest))
    assert (dest / "slow.bin").read_bytes() == body
    assert sorted(temporaries(dest)) == [held.name]
    os.close(held_fd)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=["TERM", "HUP", "INT"])
def test_signals_during_a_multipart_header_edit_leave_no_upload(endpoint, s3, bucket, sig):
    """set-headers of objects above the CopyObject limit (here 1 MiB) copies in parts: a signal
    between parts aborts the multipart copy, and edits not yet started are not started."""
    for name in ("a.bin", "b.bin"):
        s3.put_object(Bucket=bucket, Key=f"big/{name}", Body=data(12 * MiB, 3), CacheControl="no-cache")
    proxy = FaultyProxy(endpoint, lambda m, p, n: ("delay", 0.7) if "partNumber" in p else "forward")
    args = ["set-headers", "-r", "--yes", "--multipart-copy-threshold", str(MiB), "--copy-part-size", str(5 * MiB),
            "--cache-control", "public, max-age=60", f"s3://{bucket}/big/"]
    proc, err = signalled(proxy, args, lambda: proxy.count(lambda m, p: "partNumber" in p) >= 1, sig)
    name = signal.Signals(sig).name
    assert proc.returncode == 128 + sig, err
    assert f"interrupted ({name})".encode() in err, err
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == [], "no multipart copy left behind"
    kept = [s3.head_object(Bucket=bucket, Key=f"big/{n}")["CacheControl"] for n in ("a.bin", "b.bin")]
    assert kept.count("no-cache") >= 1, "the edit stopped before every object was rewritten"
