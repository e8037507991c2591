#!/usr/bin/env bash
# `make test`: everything CI runs. Installs what it needs (cached, idempotent),
# runs lint, typecheck and unit tests, then starts a fresh native stack, runs
# the stack tests against it and ALWAYS stops it again. Exits non-zero if any
# step failed (all steps run; failures are summed up at the end).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export ASTROSHOP_RUN_DIR=${ASTROSHOP_RUN_DIR:-$PWD/.run}

step() { printf '\n==== %s ====\n' "$*"; }
failed=()

step "install tools and dependencies"
bash scripts/tools.sh all || { echo "tool install failed"; exit 1; }
bash scripts/install-deps.sh || { echo "pnpm install failed"; exit 1; }
bash scripts/build-services.sh || { echo "a service build failed"; exit 1; }
NODE_BIN=$(bash scripts/tools.sh node)
export PATH="$NODE_BIN:$PATH"
DEVSTACK=("$NODE_BIN/node" scripts/devstack/src/cli.ts)

# Every step has a time limit, so one hanging test cannot eat CI's budget.
limit() { local s=$1; shift; timeout --kill-after=15 "$s" "$@"; }
# `checked NAME SECONDS CMD...`: runs a step under its limit, keeps its output
# in $ASTROSHOP_RUN_DIR/test-steps/NAME.log and records a failure. CI shows
# only the tail of the output, so the summary at the end repeats each failed
# step's verdict lines from that log.
STEP_LOGS="$ASTROSHOP_RUN_DIR/test-steps"
mkdir -p "$STEP_LOGS"
checked() {
  local name=$1 seconds=$2; shift 2
  limit "$seconds" "$@" 2>&1 | tee "$STEP_LOGS/$name.log"
  local rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || failed+=("$name")
  return 0
}
# The lines that say why a step failed: test failures, ✘ verdicts, time-outs.
why_failed() {
  local log="$STEP_LOGS/$1.log"
  [ -f "$log" ] || return 0
  grep -E '✘|✖|FAIL|not ok|Error:|error:|timed out|Terminated' "$log" | grep -vE '^\s*(#|ok )' | grep -v '⤷' | tail -n 12 | cut -c1-240
  # A component that restarted or stopped during the step: its exit reason and
  # last log lines with the crash's stack (test/lib/crash-report.ts), once each.
  grep '⤷' "$log" | awk '!seen[$0]++' | head -n 60 | cut -c1-300
}
if [ "${SKIP_CHECKS:-0}" != 1 ]; then
  step "lint";       checked lint 300 pnpm lint
  step "typecheck";  checked typecheck 600 pnpm typecheck
  step "unit tests"; checked test:unit 900 pnpm test:unit
  # The frontend image's runtime tree (a file trace, scripts/image/prune-next.ts)
  # starts and serves pages: no file the server loads was pruned.
  step "frontend image tree"; checked frontend-image 600 node --test test/image/frontend-tree.test.ts
fi

cleanup() {
  step "stop the stack"
  "${DEVSTACK[@]}" stop || true
}
trap cleanup EXIT
# Make INT/TERM (Ctrl-C, a CI time-out) exit through the EXIT trap too.
trap 'exit 130' INT
trap 'exit 143' TERM

step "start the stack (${STACK_ONLY:-all})"
# A stale stack from an earlier run would hold the ports.
"${DEVSTACK[@]}" stop >/dev/null 2>&1 || true
if "${DEVSTACK[@]}" start --only "${STACK_ONLY:-all}"; then
  step "stack tests"; checked test:stack 1500 pnpm test:stack
  # Every service, span name, attribute key and metric the shop emitted while
  # the load generator and the stack tests ran, diffed against the original's
  # (test/telemetry-names: upstream.json, explained.json). The table is kept
  # in the run dir.
  step "telemetry names"
  checked telemetry-names 300 node test/telemetry-names/run.ts --lookback-min 60 --table "$ASTROSHOP_RUN_DIR/telemetry-names.md"
  # One request never stops a process: fuzzed gRPC/HTTP inputs and raw-socket
  # cases, alive checks after each group (test/robustness; its negative
  # control is in the unit tests). SKIP_ROBUSTNESS=1 to skip.
  if [ "${SKIP_ROBUSTNESS:-0}" != 1 ]; then
    step "robustness"; checked robustness 600 node test/robustness/run.ts
  fi
  # Real outages: Redis, PostgreSQL, Kafka, the collector and flagd stopped in
  # turn under load, then back (test/faults; make faults). The evaluator's
  # negative controls are in the unit tests. SKIP_FAULTS=1 to skip.
  if [ "${SKIP_FAULTS:-0}" != 1 ]; then
    step "outages"; checked faults 480 node test/faults/run.ts
  fi
  # Every flag's symptom proven on the real stack, then reset (make scenarios);
  # each check also runs with its flag off and must fail there (negative
  # control, 20 s window here, 30 s in make scenarios).
  if [ "${SKIP_SCENARIOS:-0}" != 1 ]; then
    step "fault scenarios"
    SCENARIO_NEGATIVE_MS=20000 checked scenarios 1500 node test/scenarios/run.ts
  fi
  "${DEVSTACK[@]}" status || true
else
  failed+=(stack-start)
fi

# Stop the stack before the summary, so the summary is the last thing printed.
trap - EXIT
cleanup

if [ ${#failed[@]} -gt 0 ]; then
  for name in "${failed[@]}"; do
    printf '\n---- %s: why (full log: %s) ----\n' "$name" "$STEP_LOGS/$name.log"
    why_failed "$name"
  done
  printf '\nFAILED: %s\n' "${failed[*]}"
  exit 1
fi
printf '\nall test steps passed\n'
