#!/usr/bin/env python3
"""Start a throw-away S3 server for pail's tests, `make run` and `make bench`.

SeaweedFS (`weed mini`) listens on 127.0.0.1 only, on free ports, with a fresh data
directory and an identities file with test keys, so SigV4 signatures are checked for real.
`--moto` also starts moto_server, for the AWS-only behaviour SeaweedFS does not model.
`--rgw` also starts a single-node Ceph cluster with a RADOS Gateway (see rgw.py), the engine
behind DigitalOcean Spaces, in parallel with SeaweedFS.

    s3server.py run [--moto] [--rgw] [--seed django] -- COMMAND...   # start, run, always stop
    s3server.py start --state FILE [--moto] [--rgw] [--seed django]  # start, leave running
    s3server.py stop --state FILE                                    # stop by process id

`run` and `start` export (or write to FILE) PAIL_TEST_ENDPOINT, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_REGION, PAIL_TEST_READONLY_KEY/SECRET, with --moto
PAIL_TEST_MOTO_ENDPOINT, and with --rgw PAIL_TEST_RGW_ENDPOINT (same keys) or, when RGW is
not installed or did not start, PAIL_TEST_RGW_UNAVAILABLE with the reason (the RGW tests
skip with it, and fail under CI=true).
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
VENV_BIN = os.path.join(os.path.dirname(HERE), ".venv", "bin")

ACCESS_KEY = "PAILTESTACCESSKEY01"
SECRET_KEY = "pail-test-secret-key-0123456789abcdefXYZ"
READONLY_KEY = "PAILREADONLYKEY0001"
READONLY_SECRET = "pail-readonly-secret-0123456789abcdefXYZ"


def free_ports(n):
    """n distinct free TCP ports on loopback, none of them n+10000 of another (SeaweedFS's
    default gRPC offset), all held until chosen so they are distinct."""
    socks, ports = [], []
    while len(ports) < n:
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        if port < 55000:
            socks.append(s)
            ports.append(port)
        else:
            s.close()
    for s in socks:
        s.close()
    return ports


def tool(name):
    path = os.path.join(VENV_BIN, name)
    return path if os.path.exists(path) else (shutil.which(name) or name)


def wait_for_s3(endpoint, key, secret, timeout=90):
    import boto3
    from botocore.config import Config

    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key, aws_secret_access_key=secret,
                          region_name="us-east-1",
                          config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                                        connect_timeout=2, read_timeout=10))
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            client.list_buckets()
            # A bucket round trip proves the filer behind the gateway is up too.
            client.create_bucket(Bucket="pail-ready-probe")
            client.put_object(Bucket="pail-ready-probe", Key="probe", Body=b"x")
            client.delete_object(Bucket="pail-ready-probe", Key="probe")
            client.delete_bucket(Bucket="pail-ready-probe")
            return
        except Exception as e:  # noqa: BLE001 - anything means "not yet"
            last = e
            time.sleep(0.3)
    raise SystemExit(f"s3server: SeaweedFS at {endpoint} did not become ready in {timeout}s: {last}")


def start_seaweed(workdir):
    data = os.path.join(workdir, "data")
    os.makedirs(data, exist_ok=True)
    identities = {
        "identities": [
            {"name": "pail-test", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
             "actions": ["Admin", "Read", "Write", "List", "Tagging"]},
            {"name": "pail-readonly", "credentials": [{"accessKey": READONLY_KEY, "secretKey": READONLY_SECRET}],
             "actions": ["Read", "List"]},
        ]
    }
    config = os.path.join(workdir, "identities.json")
    with open(config, "w") as f:
        json.dump(identities, f)
    names = ["master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port",
             "filer.port.grpc", "s3.port", "s3.port.grpc", "webdav.port", "admin.port", "admin.port.grpc",
             "debug.port", "s3.debug.port", "volume.port.public", "filer.port.public"]
    ports = dict(zip(names, free_ports(len(names))))
    args = [tool("weed"), "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.telemetry=false", "-admin.ui=false", "-webdav=false", f"-s3.config={config}",
            "-s3.port.iceberg=0", "-s3.port.lance=0",
            # Every bucket is a SeaweedFS collection with volumes of its own; mini mode caps the
            # count at a few dozen, which a test run with a bucket per test exhausts. Volume
            # files are sparse, so a high cap costs no disk up front.
            "-volume.max=2000", "-master.volumeSizeLimitMB=256"]
    args += [f"-{name}={port}" for name, port in ports.items()]
    log = open(os.path.join(workdir, "weed.log"), "w")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True, cwd=workdir)
    endpoint = f"http://127.0.0.1:{ports['s3.port']}"
    try:
        wait_for_s3(endpoint, ACCESS_KEY, SECRET_KEY)
    except SystemExit:
        stop_pid(proc.pid)
        sys.stderr.write(open(os.path.join(workdir, "weed.log")).read()[-3000:])
        raise
    return proc.pid, endpoint


def start_moto(workdir):
    port = free_ports(1)[0]
    log = open(os.path.join(workdir, "moto.log"), "w")
    proc = subprocess.Popen([tool("moto_server"), "-H", "127.0.0.1", "-p", str(port)], stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(endpoint + "/moto-api/", timeout=2)
            return proc.pid, endpoint
        except Exception:  # noqa: BLE001
            time.sleep(0.2)
    stop_pid(proc.pid)
    raise SystemExit("s3server: moto_server did not start")


def start_rgw(workdir, result):
    """Starts Ceph RGW under workdir/rgw; sets result["pids"] and result["endpoint"], or
    result["unavailable"] to the reason it cannot run here. Runs in a thread beside SeaweedFS."""
    import rgw

    try:
        reason = rgw.missing()
        if reason:
            result["unavailable"] = reason
            return
        started = time.time()
        pids, endpoint = rgw.start(os.path.join(workdir, "rgw"), free_ports(2),
                                   [("pail-test", ACCESS_KEY, SECRET_KEY)], stop_pid)
        result["pids"], result["endpoint"] = pids, endpoint
        result["seconds"] = time.time() - started
    except Exception as e:  # noqa: BLE001 - reported as the reason the RGW tests skip
        result["unavailable"] = f"Ceph RGW did not start: {e}"


def stop_pid(pid):
    """Stop a server and everything it started (its own process group)."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
            # Reap it if it is our child.
            try:
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    return
            except ChildProcessError:
                pass
            time.sleep(0.1)
        except ProcessLookupError:
            return
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def start(args):
    workdir = tempfile.mkdtemp(prefix="pail-s3-")
    state = {"workdir": workdir, "pids": []}
    rgw_result, rgw_thread = {}, None
    try:
        if getattr(args, "rgw", False):
            rgw_thread = threading.Thread(target=start_rgw, args=(workdir, rgw_result), daemon=True)
            rgw_thread.start()
        try:
            pid, endpoint = start_seaweed(workdir)
            state["pids"].append(pid)
        finally:
            if rgw_thread:
                rgw_thread.join()
                # Stopped gateway first, monitor last, so no daemon waits on a gone monitor.
                state["pids"] += list(reversed(rgw_result.get("pids", [])))
        env = {
            "PAIL_TEST_ENDPOINT": endpoint,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_REGION": "us-east-1",
            "PAIL_TEST_READONLY_KEY": READONLY_KEY,
            "PAIL_TEST_READONLY_SECRET": READONLY_SECRET,
        }
        if args.moto:
            mpid, mendpoint = start_moto(workdir)
            state["pids"].append(mpid)
            env["PAIL_TEST_MOTO_ENDPOINT"] = mendpoint
        if rgw_thread:
            if "endpoint" in rgw_result:
                env["PAIL_TEST_RGW_ENDPOINT"] = rgw_result["endpoint"]
                print(f"s3server: Ceph RGW at {rgw_result['endpoint']} (started in {rgw_result['seconds']:.1f}s)",
                      file=sys.stderr)
            else:
                env["PAIL_TEST_RGW_UNAVAILABLE"] = rgw_result["unavailable"].splitlines()[0][:300]
                print(f"s3server: {rgw_result['unavailable']}", file=sys.stderr)
        state["env"] = env
        if args.seed:
            seed_env = dict(os.environ, **env)
            subprocess.run([sys.executable, os.path.join(HERE, "seed.py"), args.seed], env=seed_env, check=True)
    except BaseException:
        stop(state)
        raise
    return state


def stop(state):
    for pid in state.get("pids", []):
        stop_pid(pid)
    shutil.rmtree(state.get("workdir", "/nonexistent"), ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    for name in ("run", "start"):
        p = sub.add_parser(name)
        p.add_argument("--moto", action="store_true", help="also start moto_server")
        p.add_argument("--rgw", action="store_true", help="also start Ceph RGW when it is installed")
        p.add_argument("--seed", help="seed data set (see seed.py)")
        if name == "start":
            p.add_argument("--state", required=True)
        else:
            p.add_argument("command", nargs=argparse.REMAINDER)
    p = sub.add_parser("stop")
    p.add_argument("--state", required=True)
    args = parser.parse_args()

    if args.cmd == "stop":
        with open(args.state) as f:
            stop(json.load(f))
        os.unlink(args.state)
        return 0
    state = start(args)
    if args.cmd == "start":
        with open(args.state, "w") as f:
            json.dump(state, f)
        for k, v in state["env"].items():
            print(f"export {k}={v}")
        return 0
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        stop(state)
        parser.error("run needs a command after --")
    # Stop the servers however the command ends, including Ctrl-C and SIGTERM.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        return subprocess.call(command, env=dict(os.environ, **state["env"]))
    except KeyboardInterrupt:
        return 130
    finally:
        stop(state)


if __name__ == "__main__":
    sys.exit(main())
