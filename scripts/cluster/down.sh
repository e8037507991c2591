#!/usr/bin/env bash
# `make cluster-down`: removes everything scripts/cluster/up.sh made — pods'
# containers and network namespaces, the processes whose pids it recorded,
# kube-proxy's and kubelet's iptables chains, our own FORWARD/INPUT rules, both
# bridges, every mount under the run dirs, kubelet cgroups, changed sysctls and
# the run dirs themselves. Idempotent: safe to run when nothing is up.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ "$(id -u)" = 0 ] || cdie "needs root"
start=$(date +%s)

stop_pid() { # stop_pid <name>: TERM, up to 10 s, then KILL — only the recorded pid
  local f=$RUN/pids/$1 pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$f"
}

# 1. Stop the node agents first so nothing restarts containers behind our back.
for c in kubelet kube-proxy coredns kube-scheduler kube-controller-manager; do stop_pid $c; done

# 2. Containers: kill every task, remember the sandboxes' network namespaces,
#    delete containers. Shims were started by our containerd and carry our
#    socket path on their command line; those (and only those) are stopped.
netns=()
if [ -S "$CTRD_SOCK" ] && ctr version >/dev/null 2>&1; then
  for id in $(ctr containers ls -q 2>/dev/null); do
    ns=$(ctr containers info "$id" 2>/dev/null | jq -r '.Spec.linux.namespaces[]? | select(.type=="network") | .path // empty' 2>/dev/null)
    [ -n "$ns" ] && netns+=("$ns")
    ctr tasks kill -s SIGKILL "$id" >/dev/null 2>&1
  done
  sleep 1
  for id in $(ctr containers ls -q 2>/dev/null); do
    ctr tasks delete -f "$id" >/dev/null 2>&1
    ctr containers delete "$id" >/dev/null 2>&1
  done
fi
stop_pid containerd
for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CTRD_SOCK" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done

# 3. Control plane.
for c in kube-apiserver etcd; do stop_pid $c; done

# 4. iptables: kube-proxy's own cleanup, then any KUBE-* chain left (kubelet's
#    canaries/firewall), then our chains. Docker's chains are never touched.
if [ -x "$K8S_DIR/bin/kube-proxy" ] && [ -f "$RUN/kube-proxy.yaml" ]; then
  "$K8S_DIR/bin/kube-proxy" --cleanup >/dev/null 2>&1
fi
for ipt in iptables ip6tables; do
  for table in filter nat mangle; do
    # Rules jumping to KUBE-*/our chains in built-in chains, then the chains.
    $ipt -t $table -S 2>/dev/null | grep -E "^-A [A-Z]+ .*-j (KUBE-[A-Z0-9-]+|$FWD_CHAIN|$IN_CHAIN)( |$)" | grep -vE '^-A (KUBE-|ASTROSHOP-)' \
      | while read -r rule; do eval "$ipt -t $table ${rule/-A/-D}" 2>/dev/null; done
    for chain in $($ipt -t $table -S 2>/dev/null | awk '/^-N (KUBE-|ASTROSHOP-)/ {print $2}'); do $ipt -t $table -F "$chain" 2>/dev/null; done
    for chain in $($ipt -t $table -S 2>/dev/null | awk '/^-N (KUBE-|ASTROSHOP-)/ {print $2}'); do $ipt -t $table -X "$chain" 2>/dev/null; done
  done
done

# 5. Network namespaces of our pods (their veths go with them), bridges.
for ns in "${netns[@]}"; do umount "$ns" 2>/dev/null; rm -f "$ns"; done
ip link del "$POD_BRIDGE" 2>/dev/null
ip link del "$NODE_BRIDGE" 2>/dev/null

# 6. Mounts under our run dirs (kubelet volumes, container rootfs, shm), deepest first.
for dir in "$RUN" "$RT"; do
  awk -v d="$dir" '$5 == d || index($5, d "/") == 1 {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
  done
done

# 7. Kubelet's cgroups (kubepods*), deepest first; they are empty once the tasks died.
for ctl in /sys/fs/cgroup/*/; do
  for top in "$ctl"kubepods*; do
    [ -d "$top" ] && find "$top" -depth -type d -exec rmdir {} + 2>/dev/null
  done
done

# 8. Sysctls back to what they were.
if [ -f "$RUN/sysctl.saved" ]; then
  while IFS= read -r kv; do sysctl -qw "$kv" 2>/dev/null; done <"$RUN/sysctl.saved"
fi

rm -rf "$RUN" "$RT"
left=$(awk -v a="$RUN" -v b="$RT" 'index($5, a) == 1 || index($5, b) == 1' /proc/self/mountinfo | wc -l)
[ "$left" = 0 ] || clog "warning: $left mounts under the run dirs remain"
clog "cluster down in $(( $(date +%s) - start )) s"
