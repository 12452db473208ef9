# pail: `make run` opens pail on a local seeded S3 server; `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
DEBUG_BIN := .build/debug/pail
RELEASE_DIR := .build-release
RELEASE_BIN := $(RELEASE_DIR)/release/pail
PREFIX ?= /usr/local
DESTDIR ?=
VERSION := $(shell sed -n 's/.*return "\([0-9][0-9.]*\) .*/\1/p' Sources/pail/Pail.swift)
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
SYSTEM_PACKAGES := libcurl4-openssl-dev libncursesw5-dev libssl-dev zlib1g-dev tmux time \
	libchafa-dev libgdk-pixbuf-2.0-dev webp-pixbuf-loader zsh
# A throw-away single-node Ceph with a RADOS Gateway for the server matrix (scripts/rgw.py).
CEPH_PACKAGES := ceph-mon ceph-osd radosgw ceph-common
SCREENSHOT_PACKAGES := fonts-dejavu-core fonts-wqy-microhei
export LANG := C.UTF-8

.PHONY: all deps system-deps ceph-deps venv build release release-test install uninstall deb test unit-test integration-test \
	run bench screenshots clean mutants \
	fuzz fuzz-build fuzz-smoke FORCE

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

# A binary for any Debian or Ubuntu machine: the Swift runtime and Foundation linked in
# statically, the system's libcurl, ncursesw, libcrypto, libxml2, libchafa and gdk-pixbuf (with GLib)
# dynamically. The git
# commit is linked in as an object of its own (see Sources/CBuildInfo), so a new commit
# only relinks.
release: system-deps $(RELEASE_DIR)/commit.o
	swift build -c release --product pail --static-swift-stdlib --scratch-path $(RELEASE_DIR) -Xlinker $(abspath $(RELEASE_DIR)/commit.o)

$(RELEASE_DIR)/commit.o: FORCE
	@mkdir -p $(RELEASE_DIR)
	@commit="$$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)$$(git diff --quiet HEAD 2>/dev/null || echo -dirty)"; \
	printf 'const char *pail_build_commit(void) { return "%s"; }\n' "$$commit" > $(RELEASE_DIR)/commit.c.new; \
	cmp -s $(RELEASE_DIR)/commit.c.new $(RELEASE_DIR)/commit.c 2>/dev/null || mv $(RELEASE_DIR)/commit.c.new $(RELEASE_DIR)/commit.c; \
	rm -f $(RELEASE_DIR)/commit.c.new; \
	[ $(RELEASE_DIR)/commit.o -nt $(RELEASE_DIR)/commit.c ] || cc -O2 -c -o $(RELEASE_DIR)/commit.o $(RELEASE_DIR)/commit.c

# The man page (every subcommand, from the same help text as --help) and shell completions.
$(RELEASE_DIR)/share: release
	@rm -rf $@ && mkdir -p $@/man/man1 $@/bash-completion/completions $@/zsh/site-functions $@/fish/vendor_completions.d
	swift build --scratch-path .build-manual --product generate-manual
	.build-manual/debug/generate-manual $(RELEASE_BIN) --date 2026-12-01 -o $@/man/man1
	gzip -9n $@/man/man1/pail.1
	scripts/completions.sh $(RELEASE_BIN) $@

install: $(RELEASE_DIR)/share
	install -D -m 0755 -s $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/pail
	install -D -m 0644 $(RELEASE_DIR)/share/man/man1/pail.1.gz $(DESTDIR)$(PREFIX)/share/man/man1/pail.1.gz
	install -D -m 0644 $(RELEASE_DIR)/share/bash-completion/completions/pail \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/pail
	install -D -m 0644 $(RELEASE_DIR)/share/zsh/site-functions/_pail $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_pail
	install -D -m 0644 $(RELEASE_DIR)/share/fish/vendor_completions.d/pail.fish \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/pail.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/pail $(DESTDIR)$(PREFIX)/share/man/man1/pail.1.gz \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/pail $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_pail \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/pail.fish

# A .deb with the same files under /usr, made with dpkg-deb (no network).
deb: $(RELEASE_DIR)/share
	@rm -rf $(RELEASE_DIR)/deb && $(MAKE) --no-print-directory install DESTDIR=$(abspath $(RELEASE_DIR)/deb) PREFIX=/usr
	@mkdir -p $(RELEASE_DIR)/deb/DEBIAN
	@printf '%s\n' "Package: pail" "Version: $(VERSION)" "Architecture: $(DEB_ARCH)" \
		"Maintainer: pail developers <pail@localhost>" "Section: utils" "Priority: optional" \
		"Depends: libc6, libcurl4, libncursesw6, libtinfo6, libssl3, libxml2, libstdc++6, libgcc-s1, zlib1g, \
	libchafa0, libgdk-pixbuf-2.0-0, libglib2.0-0" \
		"Description: interactive terminal browser for S3 buckets" \
		" Inspect, clean up, fix cache headers and transfer files in S3 and S3-compatible stores." \
		> $(RELEASE_DIR)/deb/DEBIAN/control
	dpkg-deb --root-owner-group --build $(RELEASE_DIR)/deb $(RELEASE_DIR)/pail_$(VERSION)_$(DEB_ARCH).deb

# The release binary, installed and packaged, run in a bare root that has only the libraries
# it links (no /opt/swift), against the test server.
release-test: deps deb
	$(PY) scripts/s3server.py run -- $(PY) scripts/release_test.py $(RELEASE_BIN) \
		$(RELEASE_DIR)/pail_$(VERSION)_$(DEB_ARCH).deb

# Unit tests, then integration and end-to-end tests against a real SeaweedFS, moto_server and
# Ceph RGW, which scripts/s3server.py starts on free loopback ports and always stops.
test: deps ceph-deps
	swift build --build-tests
	swift test --skip-build
	$(MAKE) --no-print-directory fuzz-smoke
	$(PY) scripts/s3server.py run --moto --rgw -- $(PY) -m pytest -q tests/integration

unit-test: system-deps
	swift test

integration-test: deps ceph-deps build
	$(PY) scripts/s3server.py run --moto --rgw -- $(PY) -m pytest -q tests/integration

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

# libFuzzer targets (Sources/PailFuzz) for the XML readers, the AWS and pail configuration
# files, s3:// targets and the terminal escaper. They build into their own scratch path with
# the fuzzer and address sanitizers, so the normal build is never touched. `make fuzz` runs
# each target for FUZZ_SECONDS (FUZZ_TARGETS to pick some), keeping what it learns in
# .build-fuzz/corpus; `make test` runs each for FUZZ_SMOKE_RUNS inputs from the committed corpus
# in Tests/FuzzCorpus. A crash is written to .build-fuzz/crashes/TARGET-crash-*: rerun it with
# `ASAN_OPTIONS=detect_leaks=0 PAIL_FUZZ_TARGET=TARGET .build-fuzz/debug/PailFuzz FILE`, fix
# it, and commit the file into Tests/FuzzCorpus/TARGET so every later run replays it.
FUZZ_SCRATCH := .build-fuzz
FUZZ_BIN := $(FUZZ_SCRATCH)/debug/PailFuzz
FUZZ_XML_TARGETS := list-objects list-buckets error versions multipart small-results
FUZZ_TARGETS ?= $(FUZZ_XML_TARGETS) aws-config pail-config s3uri terminal-safe image-decode
FUZZ_SECONDS ?= 120
# The smoke run is repeatable: a fixed seed and number of runs from the committed corpus
# alone, so `make test` passes or fails the same way every time for the same code.
FUZZ_SMOKE_RUNS ?= 1500
FUZZ_CORPUS ?= $(FUZZ_SCRATCH)/corpus
FUZZ_OPTIONS := -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1
# Leaks inside Foundation's XML error path are not pail's; the Swift runtime's own crash
# handler trips over the address sanitizer and hides libFuzzer's report.
FUZZ_ENV := ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no TMPDIR=$(if $(wildcard /dev/shm),/dev/shm,/tmp)

fuzz-build:
	swift build -c debug --scratch-path $(FUZZ_SCRATCH) --product PailFuzz \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -DPAIL_FUZZ -Xswiftc -parse-as-library

# One target for SECONDS: new inputs go to the scratch corpus (first folder), never to git.
define fuzz-run
	mkdir -p $(FUZZ_CORPUS)/$(1) $(FUZZ_SCRATCH)/crashes
	$(FUZZ_ENV) PAIL_FUZZ_TARGET=$(1) $(FUZZ_BIN) $(FUZZ_OPTIONS) $(or $(FUZZ_LIMIT),-max_total_time=$(2)) \
		$(if $(filter $(1),$(FUZZ_XML_TARGETS)),-dict=Tests/FuzzCorpus/xml.dict) \
		$(if $(filter $(1),aws-config pail-config),-dict=Tests/FuzzCorpus/config.dict) \
		-artifact_prefix=$(FUZZ_SCRATCH)/crashes/$(1)- $(FUZZ_CORPUS)/$(1) Tests/FuzzCorpus/$(1) \
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
	rm -rf $(FUZZ_SCRATCH)/smoke-corpus
	$(MAKE) --no-print-directory fuzz FUZZ_CORPUS=$(FUZZ_SCRATCH)/smoke-corpus FUZZ_LIMIT="-seed=1 -runs=$(FUZZ_SMOKE_RUNS)"

clean:
	rm -rf .build .build-release .build-manual $(VENV)
