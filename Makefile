# One entry point for people and CI. `make help` lists the targets.
#
# Rust builds go to a target directory outside the clone, so CI reruns on the same machine
# (and several clones) reuse it. The engine is built once per run, in the dev profile.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
PYTHON ?= python3
CARGO_TARGET_DIR ?= $(HOME)/.cache/towpath/target
export CARGO_TARGET_DIR

VENV := .venv
VPY := $(VENV)/bin/python
# Every Python command runs the in-tree package (python/towpath).
PYENV := PYTHONPATH=$(CURDIR)/python
ENGINE_SO := python/towpath/_engine.abi3.so
EXAMPLE_TIMEOUT ?= 300
BENCH_N ?= 2000000
DEMO_N ?= 200000

.PHONY: help setup build build-ext build-release test test-rust test-python test-examples demo demo-batch bench bench-latency bench-latency-memory bench-pagerank bench-kafka bench-windows lint clean test-kafka kafka-up kafka-down

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# The stamp records which requirements were installed: a changed file re-runs pip.
$(VENV)/.installed-dev: requirements-dev.txt
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.installed-dev ## create .venv with the test dependencies (once)

# `build` selects the same packages and targets as `cargo test --workspace`, so both share one
# feature resolution and one set of artifacts. (`cargo build -p towpath-py` alone resolves
# features differently, pyo3's syn features and the dev-dependencies' ones, and rebuilds
# nearly every dependency a second time.)
build: ## build everything cargo test needs, and the extension into python/towpath/_engine.abi3.so
	$(CARGO) build --workspace --lib --bins --tests --examples
	@# Copy then rename: a running interpreter that has the old file mapped keeps working.
	cp $(CARGO_TARGET_DIR)/debug/libtowpath_py.so $(ENGINE_SO).tmp
	mv -f $(ENGINE_SO).tmp $(ENGINE_SO)

build-ext: ## only the extension: quicker when a test does not compile, but a second feature set
	$(CARGO) build -p towpath-py
	cp $(CARGO_TARGET_DIR)/debug/libtowpath_py.so $(ENGINE_SO).tmp
	mv -f $(ENGINE_SO).tmp $(ENGINE_SO)

build-release: ## build the extension in release mode into python/towpath (what users get)
	$(CARGO) build --release -p towpath-py
	cp $(CARGO_TARGET_DIR)/release/libtowpath_py.so $(ENGINE_SO).tmp
	mv -f $(ENGINE_SO).tmp $(ENGINE_SO)

# After the build, every suite runs even if an earlier one failed, so one run shows all
# failures; the exit status is a failure if any suite failed.
test: setup ## everything CI runs: build, Rust tests, pytest, examples
	$(MAKE) --no-print-directory build
	@status=0; \
	$(MAKE) --no-print-directory test-rust || status=1; \
	$(MAKE) --no-print-directory test-python || status=1; \
	$(MAKE) --no-print-directory test-examples || status=1; \
	$(MAKE) --no-print-directory test-kafka || status=1; \
	exit $$status

test-kafka: build ## Kafka read/write tests against a real local broker (started here if not running)
	@started=0; \
	if ! scripts/kafka.sh status >/dev/null 2>&1; then scripts/kafka.sh up >/dev/null || exit 1; started=1; fi; \
	status=0; \
	TOWPATH_KAFKA=1 $(CARGO) test -p towpath-kafka || status=1; \
	TOWPATH_KAFKA=1 TOWPATH_KAFKA_TOOL=$(CARGO_TARGET_DIR)/debug/examples/kafka_tool $(PYENV) scripts/run-pytest.sh $(VPY) tests/unit/io/test_kafka.py tests/unit/io/test_kafka_formats.py tests/unit/io/test_kafka_outage.py -q || status=1; \
	if [ $$started = 1 ]; then scripts/kafka.sh down; fi; \
	exit $$status

test-rust: ## cargo test of every crate (the extension crate links and has no tests)
	$(CARGO) test --workspace

PYTEST_THREADS ?= 1 2 4

test-python: setup ## pytest over tests/ with 1, 2 and 4 worker threads (needs `make build`)
	@status=0; for t in $(PYTEST_THREADS); do \
		echo "== pytest with $$t worker thread(s)"; \
		$(PYENV) scripts/run-pytest.sh $(VPY) --threads $$t || status=1; \
	done; exit $$status

test-examples: setup ## run every examples/*.py as a smoke test (needs `make build`)
	$(PYENV) scripts/run-examples.sh $(VPY) $(EXAMPLE_TIMEOUT)

DEMO_SECONDS ?= 10

# The feeder stops a second before the counter, so the counter's last commits see every file
# and its final check (counts == words in the files) holds.
demo: setup build ## live word count: a feeder writes a file every 0.5 s, counts print per commit
	@rm -rf $(VENV)/demo/live $(VENV)/demo/live.staging && mkdir -p $(VENV)/demo/live
	@$(VPY) examples/feed_words.py $(VENV)/demo/live --duration $$(( $(DEMO_SECONDS) - 1 )) & \
	feeder=$$!; trap 'kill $$feeder 2>/dev/null || true' EXIT; \
	$(PYENV) $(VPY) examples/streaming_wordcount.py --input $(VENV)/demo/live \
		--duration $(DEMO_SECONDS); \
	wait $$feeder

demo-batch: setup build ## count words in a generated file with examples/wordcount.py
	@mkdir -p $(VENV)/demo
	$(PYENV) $(VPY) examples/wordcount.py \
		--input "$$($(VPY) benches/wordcount/generate.py $(DEMO_N))" \
		--output $(VENV)/demo/counts.csv --top 10

bench: setup ## towpath vs Pathway word count (BENCH_N words, default 2M; 10M is the reference)
	$(VPY) benches/wordcount/run.py $(BENCH_N)

# A real single-node Apache Kafka broker (KRaft) on 127.0.0.1 from the official jars, cached in
# ~/.cache/towpath/kafka; TOWPATH_KAFKA_PORT picks the port (default 9092). See scripts/kafka.sh.
kafka-up: ## start a local Kafka broker (fetches the jars once); prints its bootstrap address
	scripts/kafka.sh up

kafka-down: ## stop the local Kafka broker (its data stays until `scripts/kafka.sh down --wipe`)
	scripts/kafka.sh down

# Every linter runs even if an earlier one complained; ruff and mypy only if pip can get them.
bench-latency: setup ## streaming word-count latency, towpath vs Pathway (benches/latency/README.md)
	$(VPY) benches/latency/run.py --search

bench-windows: setup ## sliding windows with a cutoff: throughput and RSS after 10% vs 100% of 50M rows
	$(VPY) benches/windows/run.py

bench-latency-memory: setup ## towpath at 1M words/s for 10 min, RSS over time
	$(VPY) benches/latency/run.py --memory-minutes 10 --count-sink null

bench-pagerank: setup ## integer PageRank (5 steps), towpath vs Pathway, batch and streaming (benches/pagerank)
	$(VPY) benches/pagerank/run.py $(if $(QUICK),--quick)

bench-kafka: setup ## Kafka word count: towpath, Pathway, Kafka Streams on one broker (benches/kafka_wordcount)
	$(VPY) benches/kafka_wordcount/run.py $(if $(QUICK),--quick)

lint: ## cargo clippy, then ruff and mypy if they can be installed
	@status=0; \
	echo "$(CARGO) clippy --workspace --all-targets -- -D warnings"; \
	$(CARGO) clippy --workspace --all-targets -- -D warnings || status=1; \
	if test -x $(VPY) && $(VPY) -m pip install --quiet -r requirements-lint.txt; then \
		echo "ruff check python tests examples benches"; \
		$(VENV)/bin/ruff check python tests examples benches || status=1; \
		echo "mypy (python/towpath)"; \
		$(VENV)/bin/mypy || status=1; \
	else \
		echo "ruff/mypy not available (run make setup first): skipped"; \
	fi; \
	exit $$status

clean: ## remove the venv, the built extension and benchmark builds (not the cargo target dir)
	rm -rf $(VENV) $(ENGINE_SO) benches/.build
