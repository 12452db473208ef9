"""Fixtures for pail's integration tests: a real S3 server, the pail binary, and boto3 as
the independent client that cross-checks every read and write.

The server comes from scripts/s3server.py: `make test` starts it and exports
PAIL_TEST_ENDPOINT (and PAIL_TEST_MOTO_ENDPOINT); run alone, this file starts its own.
"""
import os
import subprocess
import sys
import uuid

import boto3
import pytest
from botocore.config import Config

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import s3server  # noqa: E402


@pytest.fixture(scope="session")
def server_env():
    if os.environ.get("PAIL_TEST_ENDPOINT"):
        yield {k: v for k, v in os.environ.items() if k.startswith(("PAIL_TEST_", "AWS_"))}
        return

    class Args:
        moto = True
        seed = None

    state = s3server.start(Args())
    os.environ.update(state["env"])
    try:
        yield state["env"]
    finally:
        s3server.stop(state)


@pytest.fixture(scope="session")
def endpoint(server_env):
    return server_env["PAIL_TEST_ENDPOINT"]


@pytest.fixture(scope="session")
def moto_endpoint(server_env):
    ep = server_env.get("PAIL_TEST_MOTO_ENDPOINT")
    if not ep:
        pytest.fail("moto_server is not running: start the tests through scripts/s3server.py run --moto")
    return ep


def make_boto(endpoint, key=None, secret=None):
    return boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id=key or s3server.ACCESS_KEY, aws_secret_access_key=secret or s3server.SECRET_KEY,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}))


@pytest.fixture(scope="session")
def s3(endpoint):
    return make_boto(endpoint)


@pytest.fixture(scope="session")
def moto_s3(moto_endpoint):
    return make_boto(moto_endpoint, "testing", "testing")


def new_bucket_name():
    return "pail-" + uuid.uuid4().hex[:12]


@pytest.fixture
def bucket(s3):
    name = new_bucket_name()
    s3.create_bucket(Bucket=name)
    yield name


@pytest.fixture
def moto_bucket(moto_s3):
    name = new_bucket_name()
    moto_s3.create_bucket(Bucket=name)
    yield name


# Subcommands that take --endpoint-url (Pail.run inserts it after the subcommand's name).
SUBCOMMANDS = ("ls", "du", "stat", "cp", "rm", "headers", "set-headers", "url", "versions", "restore", "find", "dupes",
               "stale-static", "uploads", "sync", "invalidate")

PAIL_BIN = os.environ.get("PAIL_BIN", os.path.join(ROOT, ".build", "debug", "pail"))


class Pail:
    """Runs the real pail binary with a clean environment: only what a test passes."""

    def __init__(self, endpoint, key=s3server.ACCESS_KEY, secret=s3server.SECRET_KEY, home=None):
        self.endpoint = endpoint
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home or "/nonexistent-pail-home",
            "LANG": "C.UTF-8",
            "TZ": "UTC",
            "AWS_REGION": "us-east-1",
            # Hermetic: no probe of an EC2 metadata service the test machine may have.
            "AWS_EC2_METADATA_DISABLED": "true",
        }
        if key:
            self.env["AWS_ACCESS_KEY_ID"] = key
            self.env["AWS_SECRET_ACCESS_KEY"] = secret

    def run(self, *args, check=True, env=None, timeout=120, endpoint=True, input=None):
        argv = [PAIL_BIN]
        if args and args[0] in SUBCOMMANDS and endpoint:
            argv += [args[0], "--endpoint-url", self.endpoint] + list(args[1:])
        else:
            argv += list(args)
        proc = subprocess.run(argv, capture_output=True, env=dict(self.env, **(env or {})), timeout=timeout,
                              input=input)
        if check and proc.returncode != 0:
            raise AssertionError(f"pail {args} failed ({proc.returncode}): {proc.stderr.decode(errors='replace')}")
        return proc


@pytest.fixture
def pail(endpoint):
    return Pail(endpoint)


@pytest.fixture
def moto_pail(moto_endpoint):
    return Pail(moto_endpoint, key="testing", secret="testing")


def put_many_keys(s3, bucket, keys, body=b"."):
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=body), keys))


@pytest.fixture
def hostile_server():
    """Starts hostile S3 servers (tests/integration/hostile_server.py) on free loopback ports:
    `hostile_server(mode)` returns one (`.url`, `.log`, `.trap`); all are stopped afterwards."""
    from hostile_server import HostileServer
    servers = []

    def start(mode="honest", **kwargs):
        server = HostileServer(mode, **kwargs)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


# ---------------------------------------------------------------- the server matrix (issue 16)
# Tests that take `matrix` run once against SeaweedFS and once against Ceph RGW (the engine
# behind DigitalOcean Spaces). RGW comes from `s3server.py run --rgw` (PAIL_TEST_RGW_ENDPOINT);
# without it, the first RGW test starts one for the session. Where Ceph is not installed the
# RGW half skips with the reason, except under CI=true, where a missing server is a failure.
MATRIX_SERVERS = ("seaweedfs", "rgw")


class MatrixServer:
    def __init__(self, name, endpoint):
        self.name = name
        self.endpoint = endpoint
        self.s3 = make_boto(endpoint)
        self.pail = Pail(endpoint)

    def new_bucket(self):
        name = new_bucket_name()
        self.s3.create_bucket(Bucket=name)
        return name

    def __repr__(self):
        return f"<{self.name} at {self.endpoint}>"


def _rgw_unavailable(reason):
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"Ceph RGW is required under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def rgw_endpoint(server_env, tmp_path_factory):
    ep = server_env.get("PAIL_TEST_RGW_ENDPOINT") or os.environ.get("PAIL_TEST_RGW_ENDPOINT")
    if ep:
        yield ep
        return
    reason = server_env.get("PAIL_TEST_RGW_UNAVAILABLE") or os.environ.get("PAIL_TEST_RGW_UNAVAILABLE")
    if reason:
        _rgw_unavailable(reason)
    # Started here, once for the session, and stopped by process id at its end.
    workdir = str(tmp_path_factory.mktemp("rgw"))
    result = {}
    s3server.start_rgw(workdir, result)
    if "endpoint" not in result:
        _rgw_unavailable(result["unavailable"].splitlines()[0][:300])
    try:
        yield result["endpoint"]
    finally:
        for pid in reversed(result["pids"]):
            s3server.stop_pid(pid)


@pytest.fixture(scope="session", params=MATRIX_SERVERS)
def matrix(request, endpoint):
    """The server under test: .name, .endpoint, .s3 (boto3), .pail, .new_bucket()."""
    if request.param == "seaweedfs":
        return MatrixServer("seaweedfs", endpoint)
    return MatrixServer("rgw", request.getfixturevalue("rgw_endpoint"))


@pytest.fixture
def matrix_bucket(matrix):
    return matrix.new_bucket()
