#!/usr/bin/env bash
# Cold `make install` (every tool, the node dependencies, the service builds)
# as on a fresh machine: a fresh clone of HEAD, and HOME plus every cache the
# install writes (tool cache, Go module and build caches, npm cache, pnpm
# store, Maven repository) in an empty temp dir, so nothing warm is reused.
#   bench/cold.sh [OUT]   (OUT: key=value lines; default .run/bench/cold.env)
# It never touches the running stack: `make start` is `make install` plus the
# supervisor's start, which bench/startup.sh times warm and adds.
# Runs under nice -n 10 (the machine is shared), which makes the figure
# pessimistic on a busy machine. Not included: Debian packages a fresh machine
# would install (PostgreSQL, Redis: already on this one).
# COLD_OVERLAY="path ..." copies those working-tree files over the clone (to
# measure an uncommitted change); COLD_KEEP=1 keeps the temp dir.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=$(realpath -m "${1:-.run/bench/cold.env}")
mkdir -p "$(dirname "$out")"
: >"$out"
root=$(mktemp -d /tmp/astroshop-cold.XXXX)
[ "${COLD_KEEP:-0}" = 1 ] || trap 'rm -rf "$root"' EXIT
log=$root/install.log
git clone -q --no-hardlinks . "$root/repo"
for path in ${COLD_OVERLAY:-}; do cp "$path" "$root/repo/$path"; done
mkdir -p "$root/home/.config/go"
# Machine settings a fresh machine has too (registry configuration), never a cache.
[ -f "$HOME/.npmrc" ] && ln -s "$HOME/.npmrc" "$root/home/.npmrc"
[ -f "$HOME/.config/go/env" ] && cp "$HOME/.config/go/env" "$root/home/.config/go/env"
# A command in the clone with nothing inherited that points at a cache (the
# machine's CA and proxy settings stay: a fresh machine has them too).
keep=()
while IFS= read -r -d '' kv; do
  case ${kv%%=*} in
    HOME | PWD | OLDPWD | GO* | XDG_* | npm_config_* | NPM_* | PNPM_* | COREPACK_* | MAVEN_* | PIP_CACHE_DIR | ASTROSHOP_* | BENCH_*) ;;
    *) keep+=("$kv") ;;
  esac
done < <(env -0)
fresh=(env -i -C "$root/repo" "${keep[@]}" HOME="$root/home" nice -n 10)
fresh() { "${fresh[@]}" "$@"; }
# Prove the caches are the fresh ones before timing anything.
fresh bash -c 'source scripts/tools.sh; go env GOCACHE GOMODCACHE; npm config get cache' >"$root/where" 2>&1
grep -q "^$root" "$root/where" && ! grep -qv "^$root" "$root/where" || {
  cat "$root/where" >&2; echo "[cold] a cache points outside $root" >&2; exit 1
}
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", (b - a) / 1e9 }'; }
# Wall time and CPU time (user + sys of the step and everything it waited
# for): on a loaded machine the wall time grows, the CPU time much less, and
# CPU / 2 cores is what an idle 2-core machine could not beat.
step() { # step <key> <command...>: timed, output to the log
  local t0; t0=$(now)
  echo "[cold] $1: ${*:2}" >>"$log"
  /usr/bin/time -f '%U %S' -o "$root/cpu" "${fresh[@]}" "${@:2}" >>"$log" 2>&1 \
    || { tail -n 40 "$log" >&2; echo "[cold] $1 failed (log: $log)" >&2; exit 1; }
  local s cpu; s=$(secs "$t0" "$(now)"); cpu=$(awk '{ printf "%.0f", $1 + $2 }' "$root/cpu")
  { echo "cold_${1}_s=$s"; echo "cold_${1}_cpu_s=$cpu"; } >>"$out"
  echo "[cold] $1: $s s wall, $cpu s CPU" >&2
}
t0=$(now)
step tools bash scripts/tools.sh all
step deps bash scripts/install-deps.sh
step build bash scripts/build-services.sh
echo "cold_install_s=$(secs "$t0" "$(now)")" >>"$out"
awk -F= '/^cold_(tools|deps|build)_cpu_s=/ { n += $2 } END { print "cold_install_cpu_s=" n }' "$out" >>"$out"
# Per tool, from tools.sh's own lines ("<name> ready after N s"; the builds overlap).
# (Maven's output can leave colour codes at the start of a line: not anchored.)
sed -n 's/.*\[tools\] \([a-z-]*\) ready after \([0-9]*\) s$/cold_tool_\1_s=\2/p' "$log" | tr - _ >>"$out"
# Go download size: what a fresh machine fetches from the module proxy.
echo "cold_gomod_mib=$(du -sm "$root/home/.cache/astroshop/go/mod" | cut -f1)" >>"$out"
echo "cold_gobuild_mib=$(du -sm "$root/home/.cache/astroshop/go/build" | cut -f1)" >>"$out"
echo "cold_pnpm_store_mib=$(du -sm "$root/home/.local/share/pnpm" 2>/dev/null | cut -f1)" >>"$out"
cp "$log" "${out%.env}.log"
cat "$out" >&2
