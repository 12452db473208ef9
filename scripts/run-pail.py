#!/usr/bin/env python3
"""`make run`: opens pail on the local server that s3server.py started and seeded."""
import os
import sys

pail = os.path.abspath(sys.argv[1])
os.execv(pail, [pail, "--endpoint-url", os.environ["PAIL_TEST_ENDPOINT"], *sys.argv[2:]])
