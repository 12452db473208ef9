# pail: `make run` opens pail on a local seeded S3 server; `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
DEBUG_BIN := .build/debug/pail
RELEASE_BIN := .build/release/pail
SYSTEM_PACKAGES := libcurl4-openssl-dev libncursesw5-dev libssl-dev tmux time
# A throw-away single-node Ceph with a RADOS Gateway for the server matrix (scripts/rgw.py).
CEPH_PACKAGES := ceph-mon ceph-osd radosgw ceph-common
SCREENSHOT_PACKAGES := fonts-dejavu-core fonts-wqy-microhei
export LANG := C.UTF-8

.PHONY: all deps system-deps ceph-deps venv build release test unit-test integration-test run bench screenshots clean

all: build

deps: system-deps venv

# Installs the Debian packages pail builds against, only when one is missing.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Ceph for the tests only (about 250 MB, so not for `make build`), without the recommended
# extras (a mgr, dashboards, Python modules) that an S3 gateway does not need. Where it cannot
# be installed the RGW tests skip with the reason, except under CI, where that is a failure.
ceph-deps:
	@missing=""; for p in $(CEPH_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		{ $$SUDO apt-get update -qq && \
		  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; } || \
		{ echo "could not install$$missing: the Ceph RGW tests will skip"; [ "$${CI:-}" != true ]; }; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

build: system-deps
	swift build

release: system-deps
	swift build -c release

# Unit tests, then integration and end-to-end tests against a real SeaweedFS, moto_server and
# Ceph RGW, which scripts/s3server.py starts on free loopback ports and always stops.
test: deps ceph-deps
	swift build --build-tests
	swift test --skip-build
	$(PY) scripts/s3server.py run --moto --rgw -- $(PY) -m pytest -q tests/integration

unit-test: system-deps
	swift test

integration-test: deps ceph-deps build
	$(PY) scripts/s3server.py run --moto --rgw -- $(PY) -m pytest -q tests/integration

run: deps build
	$(PY) scripts/s3server.py run --seed django -- $(PY) scripts/run-pail.py $(DEBUG_BIN)

bench: deps release
	$(PY) scripts/s3server.py run -- $(PY) scripts/bench.py $(RELEASE_BIN)

screenshots: deps build
	@for p in $(SCREENSHOT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get install -y -qq $$missing; fi
	$(PY) scripts/s3server.py run --seed django -- $(PY) scripts/screenshots.py $(DEBUG_BIN)

clean:
	rm -rf .build $(VENV)
