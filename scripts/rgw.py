"""A throw-away single-node Ceph cluster with a RADOS Gateway (RGW) on 127.0.0.1, for tests.

RGW is the S3 engine behind DigitalOcean Spaces and many other providers. This starts, from
Debian's packages (ceph-mon, ceph-osd, radosgw, ceph-common), one monitor, one OSD that keeps
its objects in memory (memstore), and radosgw with the beast frontend on a free loopback port,
all under one temporary directory, then creates S3 users with the test keys. Every daemon runs
in the foreground in a process group of its own, so the caller stops it by process id.

Facts that shaped the configuration (Ceph 16.2): with auth set to none, radosgw needs
`ms mon client mode = crc` or it loops on "get_initial_auth_request returned -13"; one OSD
needs pools of size 1 (`mon allow pool size one`), `osd crush chooseleaf type = 0` and a small
pg count, since RGW creates seven or more pools; no mgr is needed for S3.
"""
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import uuid

PACKAGES = ("ceph-mon", "ceph-osd", "radosgw", "ceph-common")
BINARIES = ("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "monmaptool", "ceph")
# Host names in `rgw dns name` style, for virtual-hosted requests (bucket.s3.test).
DNS_NAME = "s3.test"


def missing():
    """Why RGW cannot start here, or None when every binary it needs is installed."""
    absent = [b for b in BINARIES if shutil.which(b) is None]
    if absent:
        return (f"Ceph RGW is not installed (missing {', '.join(absent)}): "
                f"`make ceph-deps` (run by `make test`) installs {' '.join(PACKAGES)}")
    return None


def _config(workdir, fsid, mon_port, rgw_port):
    return f"""[global]
fsid = {fsid}
mon host = v2:127.0.0.1:{mon_port}
mon initial members = a
public addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
ms mon client mode = crc
osd objectstore = memstore
memstore device bytes = 4294967296
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
osd crush chooseleaf type = 0
run dir = {workdir}/run
admin socket = {workdir}/run/$name.asok
log file = {workdir}/log/$name.log
mon data = {workdir}/mon/$name
osd data = {workdir}/osd/$name
keyring = {workdir}/keyring
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:{rgw_port}
rgw dns name = {DNS_NAME}
rgw enable usage log = false
rgw thread pool size = 64
"""


def _spawn(args, workdir, name):
    log = open(os.path.join(workdir, "log", name + ".out"), "w")
    return subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True, cwd=workdir).pid


def _run(args, workdir, timeout=60):
    proc = subprocess.run(args, capture_output=True, text=True, cwd=workdir, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed ({proc.returncode}): {proc.stderr.strip()[-800:]}")
    return proc.stdout


def _wait(check, what, timeout):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            if check():
                return
        except Exception as e:  # noqa: BLE001 - anything means "not yet"
            last = e
        time.sleep(0.25)
    raise RuntimeError(f"Ceph RGW: {what} not ready in {timeout}s ({last})")


def start(workdir, ports, users, stop_pid, timeout=120):
    """Starts the cluster under workdir on ports (monitor, gateway); users is a list of
    (uid, access key, secret). Returns (pids, endpoint); on failure stops what it started
    and raises RuntimeError with the tail of the daemon logs. stop_pid(pid) must stop a
    process and its process group."""
    mon_port, rgw_port = ports
    for sub in ("mon", "osd", "run", "log"):
        os.makedirs(os.path.join(workdir, sub), exist_ok=True)
    conf = os.path.join(workdir, "ceph.conf")
    fsid = str(uuid.uuid4())
    with open(conf, "w") as f:
        f.write(_config(workdir, fsid, mon_port, rgw_port))
    ceph = ["ceph", "-c", conf, "--connect-timeout", "10"]
    pids = []
    try:
        monmap = os.path.join(workdir, "monmap")
        _run(["monmaptool", "--create", "--addv", "a", f"[v2:127.0.0.1:{mon_port}]", "--fsid", fsid, monmap],
             workdir)
        _run(["ceph-mon", "-c", conf, "--mkfs", "-i", "a", "--monmap", monmap], workdir)
        pids.append(_spawn(["ceph-mon", "-c", conf, "-i", "a", "-f"], workdir, "mon"))
        osd_uuid = str(uuid.uuid4())
        osd_id = _run(ceph + ["osd", "new", osd_uuid], workdir).strip()
        os.makedirs(os.path.join(workdir, "osd", "osd." + osd_id), exist_ok=True)
        _run(["ceph-osd", "-c", conf, "-i", osd_id, "--mkfs", "--osd-uuid", osd_uuid], workdir)
        pids.append(_spawn(["ceph-osd", "-c", conf, "-i", osd_id, "-f"], workdir, "osd"))
        _wait(lambda: " 1 up" in _run(ceph + ["osd", "stat"], workdir), "the OSD", timeout)
        pids.append(_spawn(["radosgw", "-c", conf, "-n", "client.rgw", "-f"], workdir, "rgw"))
        endpoint = f"http://127.0.0.1:{rgw_port}"

        def gateway_answers():
            try:
                urllib.request.urlopen(endpoint + "/", timeout=2)
            except urllib.error.HTTPError:
                pass  # any S3 answer (an anonymous listing may be refused) means it is up
            return True

        _wait(gateway_answers, "radosgw", timeout)
        for uid, key, secret in users:
            _run(["radosgw-admin", "-c", conf, "user", "create", "--uid", uid, "--display-name", uid,
                  "--access-key", key, "--secret", secret], workdir)
        return pids, endpoint
    except BaseException as e:
        for pid in reversed(pids):
            stop_pid(pid)
        if isinstance(e, (RuntimeError, subprocess.TimeoutExpired, OSError)):
            raise RuntimeError(f"{e}\n{_log_tail(workdir)}") from e
        raise


def _log_tail(workdir):
    out = []
    logdir = os.path.join(workdir, "log")
    for name in sorted(os.listdir(logdir)) if os.path.isdir(logdir) else []:
        with open(os.path.join(logdir, name), errors="replace") as f:
            tail = f.read()[-1200:]
        if tail.strip():
            out.append(f"--- {name}\n{tail}")
    return "\n".join(out)
