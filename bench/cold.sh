#!/usr/bin/env bash
# Cold `make start` as on a fresh machine: `make install` (every tool, the node
# dependencies, the service builds) in a fresh clone of HEAD, with HOME plus
# every cache the install writes (tool cache, Go module and build caches, npm
# cache, pnpm store, Maven repository) in an empty temp dir, so nothing warm is
# reused; then that clone's first `make start` to all healthy (initdb, Kafka's
# format, ... on an empty run dir).
#   bench/cold.sh [OUT]          install, then the first start if the stack's
#                                ports are free, then clean up
#   bench/cold.sh install OUT    install only; keeps the temp dir for:
#   bench/cold.sh start OUT      the clone's first start (the ports must be
#                                free: `make bench` stops the shared stack under
#                                the exclusive stack lock for it), its stop,
#                                and the temp dir removed
#   bench/cold.sh clean OUT      stop the clone's stack if it runs, remove the
#                                temp dir (make bench's exit path)
# OUT: key=value lines (default .run/bench/cold.env), read by bench/run.ts.
# It never touches ~/.cache/astroshop nor the running stack: with the ports in
# use the start is skipped (cold_start_skipped=) and make bench adds the warm
# start instead. The install runs under nice -n 10 (the machine is shared),
# which makes the figure pessimistic on a busy machine: the note gives the CPU
# time and the load average. It is heavy (~13 CPU-min): run it alone, under
# `flock -x /tmp/astroshop-heavy.lock` as make bench does. Not included: Debian
# packages a fresh machine would install (PostgreSQL, Redis: already here).
# COLD_OVERLAY="path ..." copies those working-tree files over the clone (to
# measure an uncommitted change); COLD_KEEP=1 keeps the temp dir.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
case ${1:-} in install | start | clean) mode=$1; shift ;; *) mode=all ;; esac
out=$(realpath -m "${1:-.run/bench/cold.env}")
mkdir -p "$(dirname "$out")"
# The ports the native stack listens on first (proxy, collector, Postgres,
# Redis, Kafka, Prometheus, Jaeger): one in use means a stack is running.
STACK_PORTS="8080 4317 4318 5432 6379 9092 9090 16686"

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) / 1e9 }'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' /; }
root_of() { sed -n 's/^cold_root=//p' "$out" 2>/dev/null | tail -n1; }

# A command in the clone with nothing inherited that points at a cache (the
# machine's CA and proxy settings stay: a fresh machine has them too).
fresh_env() { # fresh_env <root>: sets the array `fresh`
  local kv keep=()
  while IFS= read -r -d '' kv; do
    case ${kv%%=*} in
      HOME | PWD | OLDPWD | GO* | XDG_* | npm_config_* | NPM_* | PNPM_* | COREPACK_* | MAVEN_* | PIP_CACHE_DIR | ASTROSHOP_* | BENCH_* | COLD_*) ;;
      *) keep+=("$kv") ;;
    esac
  done < <(env -0)
  fresh=(env -i -C "$1/repo" "${keep[@]}" HOME="$1/home")
}

# The clone's stack down (its supervisor is detached: a killed `make start`
# leaves it running) and the temp dir gone.
clean() { # clean <root>
  local root=$1
  [ -n "$root" ] && [ -d "$root" ] || return 0
  if [ -f "$root/repo/.run/state.json" ]; then
    fresh_env "$root"
    timeout 180 "${fresh[@]}" make --no-print-directory stop >>"$root/start.log" 2>&1 || true
  fi
  rm -rf "$root"
}

install() { # install <root>
  local root=$1 log=$1/install.log
  git clone -q --no-hardlinks . "$root/repo"
  for path in ${COLD_OVERLAY:-}; do cp "$path" "$root/repo/$path"; done
  mkdir -p "$root/home/.config/go"
  # Machine settings a fresh machine has too (registry configuration), never a cache.
  [ -f "$HOME/.npmrc" ] && ln -s "$HOME/.npmrc" "$root/home/.npmrc"
  [ -f "$HOME/.config/go/env" ] && cp "$HOME/.config/go/env" "$root/home/.config/go/env"
  fresh_env "$root"
  fresh+=(nice -n 10)
  # Prove the caches are the fresh ones before timing anything.
  "${fresh[@]}" bash -c 'source scripts/tools.sh; go env GOCACHE GOMODCACHE; npm config get cache' >"$root/where" 2>&1
  grep -q "^$root" "$root/where" && ! grep -qv "^$root" "$root/where" || {
    cat "$root/where" >&2; echo "[cold] a cache points outside $root" >&2
    echo "cold_failed=a cache pointed outside the temp dir" >>"$out"; return 1
  }
  echo "cold_loadavg_start=$(loadavg)" >>"$out"
  # Wall time and CPU time (user + sys of the step and everything it waited
  # for): on a loaded machine the wall time grows, the CPU time much less, and
  # CPU / 2 cores is what an idle 2-core machine could not beat.
  step() { # step <key> <command...>: timed, output to the log
    local t0; t0=$(now)
    echo "[cold] $1: ${*:2}" >>"$log"
    /usr/bin/time -f '%U %S' -o "$root/cpu" "${fresh[@]}" "${@:2}" >>"$log" 2>&1 \
      || { tail -n 40 "$log" >&2; echo "[cold] $1 failed (log: $log)" >&2; echo "cold_failed=$1 failed" >>"$out"; return 1; }
    local s cpu; s=$(secs "$t0" "$(now)"); cpu=$(awk '{ printf "%.0f", $1 + $2 }' "$root/cpu")
    { echo "cold_${1}_s=$s"; echo "cold_${1}_cpu_s=$cpu"; } >>"$out"
    echo "[cold] $1: $s s wall, $cpu s CPU" >&2
  }
  local t0; t0=$(now)
  step tools bash scripts/tools.sh all
  step deps bash scripts/install-deps.sh
  step build bash scripts/build-services.sh
  echo "cold_install_s=$(secs "$t0" "$(now)")" >>"$out"
  echo "cold_loadavg_end=$(loadavg)" >>"$out"
  awk -F= '/^cold_(tools|deps|build)_cpu_s=/ { n += $2 } END { print "cold_install_cpu_s=" n }' "$out" >>"$out"
  # Per tool, from tools.sh's own lines ("<name> ready after N s, C CPU-s"; the
  # builds overlap). (Maven's output can leave colour codes at the start of a line: not anchored.)
  sed -n 's/.*\[tools\] \([a-z-]*\) ready after \([0-9]*\) s, \([0-9]*\) CPU-s$/cold_tool_\1_s=\2\ncold_tool_\1_cpu_s=\3/p' "$log" \
    | sed 's/-/_/g' >>"$out"
  # Go download size: what a fresh machine fetches from the module proxy.
  echo "cold_gomod_mib=$(du -sm "$root/home/.cache/astroshop/go/mod" | cut -f1)" >>"$out"
  echo "cold_gobuild_mib=$(du -sm "$root/home/.cache/astroshop/go/build" | cut -f1)" >>"$out"
  echo "cold_pnpm_store_mib=$(du -sm "$root/home/.local/share/pnpm" 2>/dev/null | cut -f1)" >>"$out"
  cp "$log" "${out%.env}.log"
}

port_in_use() { # the first of STACK_PORTS that accepts a connection
  local port
  for port in $STACK_PORTS; do
    if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

# The clone's first start: what `make start` runs after the install (the
# supervisor's start to all healthy), not niced, as the warm start is timed.
first_start() { # first_start <root>
  local root=$1 port
  if port=$(port_in_use); then
    echo "cold_start_skipped=port $port in use (a stack is running)" >>"$out"
    echo "[cold] first start skipped: port $port in use" >&2
    return 0
  fi
  fresh_env "$root"
  local t0; t0=$(now)
  if timeout 900 "${fresh[@]}" bash -c '"$(bash scripts/tools.sh node)/node" scripts/devstack/src/cli.ts start' \
    >"$root/start.log" 2>&1; then
    echo "cold_start_s=$(secs "$t0" "$(now)")" >>"$out"
    echo "[cold] first start: all healthy after $(secs "$t0" "$(now)") s" >&2
  else
    tail -n 30 "$root/start.log" >&2
    echo "cold_start_skipped=the fresh clone's make start failed" >>"$out"
  fi
  timeout 180 "${fresh[@]}" make --no-print-directory stop >>"$root/start.log" 2>&1 || true
  cp "$root/start.log" "${out%.env}-start.log"
}

case $mode in
  all | install)
    : >"$out"
    root=$(mktemp -d /tmp/astroshop-cold.XXXX)
    echo "cold_root=$root" >>"$out"
    # Killed by make bench's timeout: the EXIT trap still cleans up.
    trap 'exit 143' TERM INT
    if [ "$mode" = all ]; then
      [ "${COLD_KEEP:-0}" = 1 ] || trap 'clean "$root"' EXIT
      install "$root"
      first_start "$root"
    else
      trap 'clean "$root"' EXIT
      install "$root"
      trap - EXIT
    fi
    ;;
  start)
    root=$(root_of)
    [ -n "$root" ] && [ -d "$root/repo" ] || { echo "[cold] no installed clone in $out" >&2; exit 1; }
    trap 'exit 143' TERM INT
    [ "${COLD_KEEP:-0}" = 1 ] || trap 'clean "$root"' EXIT
    first_start "$root"
    ;;
  clean) clean "$(root_of)" ;;
esac
[ "$mode" = clean ] || grep -v '^cold_root=' "$out" >&2
