# Vigor — the two commands: `make run` and `make test`.
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
DEBIAN_PACKAGES := libsqlite3-dev libcurl4-openssl-dev libffi-dev
## What `make test` installs on top: the PostgreSQL server its throwaway cluster runs on
## (Tests/Scripts/postgres.sh; the binaries are found under /usr/lib/postgresql/*/bin).
TEST_DEBIAN_PACKAGES := postgresql nginx
PLUGIN_PRODUCTS := VigorFallback VigorPlanner VigorOpenAI VigorGemini VigorPerplexity VigorLLMPlanner VigorAnthropic
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
BIN := $(shell $(SWIFT) build --show-bin-path 2>/dev/null || echo .build/debug)

.PHONY: deps test-deps build plugins run test test-asan check-plugins clean-plugins lint format

## Install the Debian packages the build needs, only when missing.
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## The test-only Debian packages, only when missing.
test-deps: deps
	@missing=""; for p in $(TEST_DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

## Copy the bundled plugins into ./plugins (the folder `make run` serves from).
plugins: build
	@# The host refuses plugin files and folders that other users can write: set the modes
	@# whatever the umask is (a user-private-group umask of 002 would leave them group-writable).
	@mkdir -p plugins && chmod 0755 plugins
	@for p in $(PLUGIN_PRODUCTS); do cp -f "$(BIN)/lib$$p.so" "plugins/lib$$p.so.tmp" && chmod 0755 "plugins/lib$$p.so.tmp" && mv -f "plugins/lib$$p.so.tmp" "plugins/lib$$p.so"; done
	@echo "plugins in ./plugins: $$(ls plugins | tr '\n' ' ')"

run: plugins
	@mkdir -p data
	$(BIN)/vigor serve --host 127.0.0.1 --port 8080 --database data/vigor.sqlite --plugins plugins

test: deps test-deps
	@# The OpenAI-compatible API is checked with the official `openai` Python package (best effort).
	@if command -v python3 >/dev/null 2>&1; then python3 -c "import openai" 2>/dev/null || python3 -m pip install --quiet openai 2>/dev/null || pip install --quiet openai 2>/dev/null || echo "note: could not install the openai Python package; its test will be skipped"; fi
	@# The OpenAPI document is held to the server by Schemathesis against a live host (installed when missing).
	@if command -v python3 >/dev/null 2>&1; then python3 -c "import schemathesis" 2>/dev/null || python3 -m pip install --quiet schemathesis 2>/dev/null || pip install --quiet schemathesis 2>/dev/null || echo "note: could not install schemathesis; the contract check will be skipped"; fi
	$(SWIFT) build --build-tests
	@# Every store and ledger test runs on SQLite and on PostgreSQL: a throwaway cluster (a temp folder,
	@# a free loopback port) is started for the run and removed after it, also on failure or Ctrl-C.
	@# An exported VIGOR_TEST_POSTGRES_URL is used instead. A PostgreSQL test without a server fails.
	@# The suites that start real servers and clusters or time a connection (MultiHost, PostgresStoreTests) run in
	@# a pass of their own after the rest: on two cores, a parallel run starves their timers and children.
	@# Each swift test pass runs under Tests/Scripts/test-pass.sh: a time limit (a hung test fails the run with its name and
	@# backtraces instead of holding CI to its own limit), and nothing a test started outlives the pass.
	Tests/Scripts/postgres.sh run sh -c 'Tests/Scripts/test-pass.sh 900 $(SWIFT) test --skip-build --skip "MultiHost|PostgresStoreTests|PostgresLedgerTests" && Tests/Scripts/test-pass.sh 600 $(SWIFT) test --skip-build --filter "MultiHost|PostgresStoreTests|PostgresLedgerTests"'
	SWIFT=$(SWIFT) Tests/Scripts/schemathesis_check.sh
	@# The web client in headless Chromium against a real host (installs chromium, chromium-driver and selenium when missing; screenshots in .build/screenshots).
	SWIFT=$(SWIFT) Tests/Browser/run.sh
	@# The out-of-tree examples and the `vigor plugin new` scaffold, built as their users build them, in a serial pass of their own.
	VIGOR_EXAMPLE_BUILDS=1 Tests/Scripts/test-pass.sh 1200 $(SWIFT) test --skip-build --filter ExamplesTests

## Formatting: the toolchain's `swift format` with the root .swift-format; any warning fails.
LINT_PATHS := Package.swift Sources Plugins Tests Examples
lint:
	$(SWIFT) format lint --strict --parallel --recursive $(LINT_PATHS)

## Rewrite the tree in the house format (run before committing).
format:
	$(SWIFT) format format --in-place --parallel --recursive $(LINT_PATHS)

## AddressSanitizer: `vigor plugin check` on every bundled plugin from a sanitized build in .build-asan
## (a separate build: ~30 min cold on two cores, about a minute warm). ASAN=0 skips it.
ASAN ?= 1
test-asan: deps
	ASAN=$(ASAN) SWIFT=$(SWIFT) PLUGIN_PRODUCTS="$(PLUGIN_PRODUCTS)" scripts/asan-check.sh

clean-plugins:
	rm -rf plugins

.PHONY: bench bench-peer

## Benchmark (release build): host vs direct-to-mock at c=1/10/50/200, plugin and start-up figures.
## Knobs: DURATION, CONCS, STREAM, SKIP_BUILD, ... (see bench/run.sh). Results: bench/results/latest.json.
## Also measures, in the same run, the baseline gateway bench/baseline (the stack's own ceiling; BASELINE=0 skips it);
## ROUNDS=3 repeats every point interleaved; PG=1 adds hosts on PostgreSQL (PG_ADMIN_URL, PG_TWO). Release builds use
## their own scratch paths (.build-bench, .build-baseline), never the default .build.
bench: deps
	SWIFT=$(SWIFT) PLUGIN_PRODUCTS="$(PLUGIN_PRODUCTS)" bench/run.sh

## The same host side by side with the LiteLLM proxy, via /work/shared/bench/peer/run_peer.sh.
bench-peer: deps
	SWIFT=$(SWIFT) PLUGIN_PRODUCTS="$(PLUGIN_PRODUCTS)" bench/peer.sh
