# pail: `make run` opens pail on a local seeded S3 server; `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
DEBUG_BIN := .build/debug/pail
RELEASE_BIN := .build/release/pail
SYSTEM_PACKAGES := libcurl4-openssl-dev libncursesw5-dev libssl-dev tmux time
SCREENSHOT_PACKAGES := fonts-dejavu-core fonts-wqy-microhei
export LANG := C.UTF-8

.PHONY: all deps system-deps venv build release test unit-test integration-test run bench screenshots clean \
	fuzz fuzz-build fuzz-smoke

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
	$(MAKE) fuzz-smoke
	$(PY) scripts/s3server.py run --moto -- $(PY) -m pytest -q tests/integration

unit-test: system-deps
	swift test

integration-test: deps build
	$(PY) scripts/s3server.py run --moto -- $(PY) -m pytest -q tests/integration

run: deps build
	$(PY) scripts/s3server.py run --seed django -- $(PY) scripts/run-pail.py $(DEBUG_BIN)

bench: deps release
	$(PY) scripts/s3server.py run -- $(PY) scripts/bench.py $(RELEASE_BIN)

screenshots: deps build
	@for p in $(SCREENSHOT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get install -y -qq $$missing; fi
	$(PY) scripts/s3server.py run --seed django -- $(PY) scripts/screenshots.py $(DEBUG_BIN)

# libFuzzer targets (Sources/PailFuzz) for the XML readers, the AWS and pail configuration
# files, s3:// targets and the terminal escaper. They build into their own scratch path with
# the fuzzer and address sanitizers, so the normal build is never touched. `make fuzz` runs
# each target for FUZZ_SECONDS (FUZZ_TARGETS to pick some), keeping what it learns in
# .build-fuzz/corpus; `make test` runs each for FUZZ_SMOKE_SECONDS from the committed corpus
# in Tests/FuzzCorpus. A crash is written to .build-fuzz/crashes/TARGET-crash-*: rerun it with
# `ASAN_OPTIONS=detect_leaks=0 PAIL_FUZZ_TARGET=TARGET .build-fuzz/debug/PailFuzz FILE`, fix
# it, and commit the file into Tests/FuzzCorpus/TARGET so every later run replays it.
FUZZ_SCRATCH := .build-fuzz
FUZZ_BIN := $(FUZZ_SCRATCH)/debug/PailFuzz
FUZZ_XML_TARGETS := list-objects list-buckets error versions multipart small-results
FUZZ_TARGETS ?= $(FUZZ_XML_TARGETS) aws-config pail-config s3uri terminal-safe
FUZZ_SECONDS ?= 120
FUZZ_SMOKE_SECONDS ?= 4
FUZZ_OPTIONS := -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1
# Leaks inside Foundation's XML error path are not pail's; the Swift runtime's own crash
# handler trips over the address sanitizer and hides libFuzzer's report.
FUZZ_ENV := ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no TMPDIR=$(if $(wildcard /dev/shm),/dev/shm,/tmp)

fuzz-build:
	swift build -c debug --scratch-path $(FUZZ_SCRATCH) --product PailFuzz \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -DPAIL_FUZZ -Xswiftc -parse-as-library

# One target for SECONDS: new inputs go to the scratch corpus (first folder), never to git.
define fuzz-run
	mkdir -p $(FUZZ_SCRATCH)/corpus/$(1) $(FUZZ_SCRATCH)/crashes
	$(FUZZ_ENV) PAIL_FUZZ_TARGET=$(1) $(FUZZ_BIN) $(FUZZ_OPTIONS) -max_total_time=$(2) \
		$(if $(filter $(1),$(FUZZ_XML_TARGETS)),-dict=Tests/FuzzCorpus/xml.dict) \
		$(if $(filter $(1),aws-config pail-config),-dict=Tests/FuzzCorpus/config.dict) \
		-artifact_prefix=$(FUZZ_SCRATCH)/crashes/$(1)- $(FUZZ_SCRATCH)/corpus/$(1) Tests/FuzzCorpus/$(1) \
		2>$(FUZZ_SCRATCH)/$(1).log \
		|| { grep -av '^#[0-9]' $(FUZZ_SCRATCH)/$(1).log | tail -40; echo "fuzz target $(1) failed"; exit 1; }
	@grep -a 'stat::number_of_executed_units\|stat::average_exec_per_sec\|stat::peak_rss' $(FUZZ_SCRATCH)/$(1).log \
		| tr -s ' \n' ' ' | sed 's/^/$(1): /'; echo

endef

fuzz: system-deps fuzz-build
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz-run,$(t),$(FUZZ_SECONDS)))

# Skips with a message when this toolchain cannot link libFuzzer; any other build failure fails.
fuzz-smoke:
	@probe=$$(mktemp -d); \
	printf '@_cdecl("LLVMFuzzerTestOneInput")\nfunc f(_: UnsafePointer<UInt8>?, _: Int) -> CInt { 0 }\n' >$$probe/p.swift;\
	if ! swiftc -sanitize=fuzzer,address -parse-as-library $$probe/p.swift -o $$probe/p >/dev/null 2>&1; then \
		rm -rf $$probe; echo "fuzz-smoke skipped: this Swift toolchain cannot build with -sanitize=fuzzer"; \
		exit 0; fi; \
	rm -rf $$probe; \
	mkdir -p $(FUZZ_SCRATCH); \
	$(MAKE) --no-print-directory fuzz-build >$(FUZZ_SCRATCH)/build.log 2>&1 \
		|| { tail -30 $(FUZZ_SCRATCH)/build.log; exit 1; }; \
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)

clean:
	rm -rf .build $(FUZZ_SCRATCH) $(VENV)
