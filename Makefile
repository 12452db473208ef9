# pail: `make run` opens pail on a local seeded S3 server; `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
DEBUG_BIN := .build/debug/pail
RELEASE_BIN := .build/release/pail
SYSTEM_PACKAGES := libcurl4-openssl-dev libncursesw5-dev libssl-dev tmux time
SCREENSHOT_PACKAGES := fonts-dejavu-core fonts-wqy-microhei
export LANG := C.UTF-8

.PHONY: all deps system-deps venv build release test unit-test integration-test run bench screenshots clean mutants

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

venv: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

build: system-deps
	swift build

release: system-deps
	swift build -c release

# Unit tests, then integration and end-to-end tests against a real SeaweedFS (and
# moto_server), which scripts/s3server.py starts on free loopback ports and always stops.
test: deps
	swift build --build-tests
	swift test --skip-build
	$(PY) scripts/s3server.py run --moto -- $(PY) -m pytest -q tests/integration

unit-test: system-deps
	swift test

integration-test: deps build
	$(PY) scripts/s3server.py run --moto -- $(PY) -m pytest -q tests/integration

# Mutation testing of the safety rules (tests/mutants.toml): each listed bug applied alone to
# a scratch copy in .build-mutants/, built, and run against the tests that must catch it.
mutants: deps
	$(PY) scripts/mutants.py

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
