# Astronomy Shop, native mode: every component runs as a local process under
# one supervisor (scripts/devstack). Tools are cached in ~/.cache/astroshop.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE_BIN = $(shell bash scripts/tools.sh node)
DEVSTACK = "$(NODE_BIN)/node" scripts/devstack/src/cli.ts
ONLY ?= all

.PHONY: help install tools deps build start stop status logs reset test

help:
	@echo "make install  - build/fetch tools into ~/.cache/astroshop and install node deps"
	@echo "make start    - start the whole native stack (ONLY=backends|services|name,... for a subset)"
	@echo "make stop     - stop everything that was started"
	@echo "make status   - one line per component: pid, state, health, restarts, RSS"
	@echo "make logs     - tail the component logs (LOG=name for one)"
	@echo "make reset    - stop and delete the run dir's data and logs"
	@echo "make test     - lint, typecheck, unit tests, then the stack tests against a fresh stack"
	@echo "make bench    - every footprint/overhead figure against its goal, one table (~20 min, restarts the stack)"
	@echo "make test-robustness - property-based and raw-socket bad input against the running stack"
	@echo "make faults   - stop Redis, PostgreSQL, Kafka, the collector and flagd in turn under load (running stack)"
	@echo "make images   - build every image (OFFLINE=1: the offline third-party set; REGISTRY=... PUSH=1 to push)"
	@echo "make test-compose - compose with the offline set, end to end, then down -v"
	@echo "make cluster / cluster-down - a single-node Kubernetes built here (cached), and its removal"
	@echo "make test-cluster - cluster up, helm install (offline values), the whole walkthrough, cluster down"

install: tools deps build

tools:
	bash scripts/tools.sh all

deps:
	bash scripts/install-deps.sh

build: deps
	bash scripts/build-services.sh

start: install
	$(DEVSTACK) start --only $(ONLY)

stop:
	@$(DEVSTACK) stop

status:
	@$(DEVSTACK) status

logs:
	@$(DEVSTACK) logs $(LOG)

reset:
	@$(DEVSTACK) reset

test:
	bash scripts/test.sh

# Every figure of the footprint/overhead goals (issue 17) in one table: restarts
# the native stack (timed), 10 min of the default load, then telemetry on/off
# pairs on spare ports. ~20 min, loopback only. Figures, never a test failure.
.PHONY: bench
bench:
	bash bench/run.sh

# Real outages (test/faults): Redis, PostgreSQL, Kafka, the collector and flagd
# stopped in turn for 30 s (FAULTS_OUTAGE_S) on the running stack under load,
# then brought back; prints the table, fails on any violation. It stops shared
# components, so it takes the stack lock exclusively (do not wrap it in flock).
.PHONY: faults
faults:
	flock -x /tmp/astroshop-stack.lock "$(NODE_BIN)/node" test/faults/run.ts

# One request never stops a process: property-based and raw-socket inputs
# against the running stack (test/robustness). The negative control runs
# first (the oracle must catch a crashing/500ing fake); the suite then holds
# the shared stack lock so outage tests do not restart services under it.
# SEED=, RUNS= (per method/route) and ONLY=<group substring> narrow a rerun.
.PHONY: test-robustness
test-robustness:
	"$(NODE_BIN)/node" --test --test-reporter=dot test/robustness/oracle.test.ts
	flock -s /tmp/astroshop-stack.lock "$(NODE_BIN)/node" test/robustness/run.ts

# Fault scenarios (test/scenarios): run each check with the flag off (the
# negative control: it must fail), switch the flag on and prove its symptom in
# Jaeger/Prometheus/logs, switch it back, prove recovery. MODE=default-load
# drives nothing: only the load generator's default users, then symptom and
# alert firing within 2 min, leaks OOM-restarted within 10 min. Needs the
# running stack (make start).
SCENARIO_LOAD = $(if $(filter default-load,$(MODE)),default,driven)
.PHONY: scenario scenarios
scenario:
	@test -n "$(FLAG)" || { echo "usage: make scenario FLAG=<flag name> [MODE=default-load]"; exit 2; }
	SCENARIO_LOAD=$(SCENARIO_LOAD) "$(NODE_BIN)/node" test/scenarios/run.ts $(FLAG)

scenarios:
	SCENARIO_LOAD=$(SCENARIO_LOAD) "$(NODE_BIN)/node" test/scenarios/run.ts

# A real single-node Kubernetes from binaries built here (scripts/cluster;
# cold build ≈ 30 min, cached in ~/.cache/astroshop), and the chart's walkthrough on it.
.PHONY: cluster cluster-down test-cluster
cluster:
	bash scripts/cluster/up.sh

cluster-down:
	bash scripts/cluster/down.sh

test-cluster:
	"$(NODE_BIN)/node" test/cluster/run.ts

# Containers (issue 12). `make images`: every deployable's image from the one
# Dockerfile (base: node, its libraries and bash from Debian packages + npm);
# OFFLINE=1 builds the third-party offline set instead (collector, Jaeger,
# Prometheus, Kafka, PostgreSQL, Redis, flagd) from the sources `make install`
# uses. REGISTRY=<registry/namespace> PUSH=1 tags and pushes.
.PHONY: images test-compose
images:
ifeq ($(OFFLINE),1)
	bash scripts/image/offline/build.sh
else
	bash scripts/image/build-images.sh
endif

# The shop in compose with the offline set, end to end (test/compose/run.ts).
test-compose:
	bash scripts/image/docker-up.sh compose
	bash scripts/tools.sh chromium >/dev/null
	"$(NODE_BIN)/node" test/compose/run.ts
