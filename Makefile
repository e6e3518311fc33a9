# The two commands a newcomer needs: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
STATE_DIR ?= .seedtest
PORT ?= 8080
BIN := .build/release/seedtest-pipelines

.PHONY: deps build release run test lint bench fuzz format clean

deps:
	@scripts/install-deps.sh

build: deps
	swift build

release: deps
	swift build -c release

## Serve on 127.0.0.1:$(PORT) with an embedded PostgreSQL in $(STATE_DIR), loading demo data on first start.
run: release
	$(BIN) serve --state-dir $(STATE_DIR) --port $(PORT) --load-demo-data

## The whole suite against a throwaway PostgreSQL (or TEST_DATABASE_URL when set).
test: deps
	@scripts/install-test-tools.sh
	swift build --build-tests
	swift test --skip-build

## Style, and every target's imports against its declared dependencies in Package.swift.
lint:
	swift format lint --strict -r Sources Tests Package.swift
	scripts/check-imports.py

format:
	swift format -i -r Sources Tests Package.swift

## Benchmarks: figures are printed, targets are not asserted.
bench: release
	@scripts/install-deps.sh --bench
	@scripts/bench.sh

## Fuzzing: each libFuzzer target for FUZZ_SECONDS (default 300); `make test` replays the seed corpora.
fuzz: deps
	@scripts/fuzz.sh

clean:
	rm -rf .build
