# Sourced by scripts/cluster/*.sh: the one place the cluster's versions are pinned.
# These four build and run together on cgroup v1 + containerd 1.6 (see build.sh).
# shellcheck shell=bash
K8S_VERSION=1.34.4
ETCD_VERSION=3.6.4
COREDNS_VERSION=1.14.7
# Helm 3 for the cluster: its client-go (0.34) matches the cluster. scripts/tools.sh
# pins a Helm 4 for linting; that one is not used against the cluster.
HELM3_VERSION=3.19.5
PAUSE_VERSION=3.10.1
PAUSE_IMAGE=registry.k8s.io/pause:$PAUSE_VERSION

CACHE=${ASTROSHOP_CACHE:-$HOME/.cache/astroshop}
K8S_DIR=$CACHE/kubernetes-$K8S_VERSION
# The suffix names the plugin set compiled in (build.sh); change it with the set.
COREDNS_DIR=$CACHE/coredns-$COREDNS_VERSION-minimal2
HELM3_DIR=$CACHE/helm-$HELM3_VERSION
PAUSE_DIR=$CACHE/pause-$PAUSE_VERSION
