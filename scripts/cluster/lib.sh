# Sourced by scripts/cluster/{up,down,load-images}.sh: names, addresses and
# paths of the one local cluster. Everything the cluster creates is named here so
# that down.sh can remove exactly that and nothing else.
# shellcheck shell=bash
CLUSTER_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.sh
. "$CLUSTER_SCRIPTS/versions.sh"

RUN=${CLUSTER_RUN:-$CACHE/cluster-run}        # certs, configs, etcd, kubelet root, logs, pids
RT=/run/astroshop-k8s                          # containerd socket + state (tmpfs)
CTRD_SOCK=$RT/containerd.sock
NODE_NAME=astroshop
# No dummy netdev and no loadable modules here: the node IP lives on an empty
# bridge of our own; pods hang off a second bridge managed by the CNI plugin.
NODE_BRIDGE=astro0
NODE_IP=10.250.0.1
POD_BRIDGE=astro-cni0
POD_CIDR=10.252.0.0/24
SERVICE_CIDR=10.251.0.0/24
API_SERVICE_IP=10.251.0.1
API_PORT=16443
ETCD_CLIENT_PORT=23790
ETCD_PEER_PORT=23800
# CoreDNS runs on the node IP; kubelet hands it to pods as their nameserver.
DNS_IP=$NODE_IP
DNS_HEALTH_PORT=19080
DNS_READY_PORT=19181
FWD_CHAIN=ASTROSHOP-FWD
IN_CHAIN=ASTROSHOP-IN
# Sysctls the kubelet/kube-proxy may change: saved at up, restored at down.
SAVED_SYSCTLS="net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables vm.overcommit_memory vm.panic_on_oom
kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.conf.all.route_localnet"

export KUBECONFIG=$RUN/pki/admin.kubeconfig
KUBECTL=$K8S_DIR/bin/kubectl
HELM=$HELM3_DIR/bin/helm
export CONTAINERD_ADDRESS=$CTRD_SOCK CONTAINERD_NAMESPACE=k8s.io

clog() { printf '[cluster %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
cdie() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }

# wait_for <seconds> <description> <command...>: bounded poll, 0.5 s apart.
wait_for() {
  local limit=$1 what=$2; shift 2
  local deadline=$(( $(date +%s) + limit ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || { clog "timed out after ${limit}s waiting for $what"; return 1; }
    sleep 0.5
  done
}
