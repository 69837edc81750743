# Vigor — the two commands: `make run` and `make test`.
SWIFT ?= swift
DEBIAN_PACKAGES := libsqlite3-dev libcurl4-openssl-dev libffi-dev
PLUGIN_PRODUCTS := VigorFallback VigorPlanner VigorOpenAI VigorGemini VigorPerplexity
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
BIN := $(shell $(SWIFT) build --show-bin-path 2>/dev/null || echo .build/debug)

.PHONY: deps build plugins run test check-plugins clean-plugins

## Install the Debian packages the build needs, only when missing.
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

## Copy the bundled plugins into ./plugins (the folder `make run` serves from).
plugins: build
	@mkdir -p plugins
	@for p in $(PLUGIN_PRODUCTS); do cp -f "$(BIN)/lib$$p.so" "plugins/lib$$p.so.tmp" && mv -f "plugins/lib$$p.so.tmp" "plugins/lib$$p.so"; done
	@echo "plugins in ./plugins: $$(ls plugins | tr '\n' ' ')"

run: plugins
	@mkdir -p data
	$(BIN)/vigor serve --host 127.0.0.1 --port 8080 --database data/vigor.sqlite --plugins plugins

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean-plugins:
	rm -rf plugins
