#!/usr/bin/env bash
# `make cluster`: a single-node Kubernetes from the binaries scripts/cluster/build.sh
# caches, as plain processes: a containerd of its own (never dockerd's), etcd,
# apiserver, controller-manager, scheduler, kubelet, kube-proxy and CoreDNS.
# Every pid, bridge, iptables chain and mount is recorded or named in lib.sh so
# that `make cluster-down` removes exactly what this made.
# Afterwards: export KUBECONFIG=~/.cache/astroshop/cluster-run/pki/admin.kubeconfig
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ "$(id -u)" = 0 ] || cdie "needs root (bridges, iptables, mounts)"
if [ -f "$RUN/up.done" ] && "$KUBECTL" get --raw /readyz >/dev/null 2>&1; then
  clog "cluster already up (KUBECONFIG=$KUBECONFIG)"; exit 0
fi
if [ -d "$RUN" ] || [ -d "$RT" ]; then
  clog "leftovers of an earlier cluster: tearing them down first"
  bash "$CLUSTER_SCRIPTS/down.sh"
fi
start=$(date +%s)
# The cluster needs kubernetes (+ pause) and CoreDNS; Helm is built by its users.
bash "$CLUSTER_SCRIPTS/build.sh" pause
bash "$CLUSTER_SCRIPTS/build.sh" coredns
for b in containerd runc iptables conntrack ip openssl; do command -v $b >/dev/null || cdie "$b missing (apt-get install containerd runc iptables conntrack iproute2 openssl)"; done
for p in bridge host-local loopback portmap; do [ -x /usr/lib/cni/$p ] || cdie "CNI plugin $p missing (apt-get install containernetworking-plugins)"; done
for port in $ETCD_CLIENT_PORT $ETCD_PEER_PORT $API_PORT 10250 10248 10256 10249 $DNS_HEALTH_PORT $DNS_READY_PORT; do
  ! ss -Hltn "sport = :$port" | grep -q . || cdie "port $port is taken"
done
! ss -Hlun "sport = :53" | grep -q "$DNS_IP" || cdie "port 53 on $DNS_IP is taken"

mkdir -p "$RUN"/{pki,logs,pids,etcd,kubelet,cni/net.d,cni/ipam,containerd} "$RT"
trap 'clog "up failed: see $RUN/logs; make cluster-down removes what was made"' ERR
B=$K8S_DIR/bin

for s in $SAVED_SYSCTLS; do v=$(sysctl -n "$s" 2>/dev/null) && echo "$s=$v"; done >"$RUN/sysctl.saved"
sysctl -qw net.ipv4.ip_forward=1
sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null \
  || cdie "br_netfilter is not available: Service traffic between pods on one bridge needs it"

# --- network: node bridge, pod bridge comes from CNI; firewall first ---------
ip link add "$NODE_BRIDGE" type bridge
ip addr add "$NODE_IP/32" dev "$NODE_BRIDGE"
ip link set "$NODE_BRIDGE" up
# Docker's FORWARD policy is DROP. Pods may talk to pods; nothing a pod sends
# may leave the machine. From pods the host answers only the apiserver and DNS
# (and replies to connections it opened: probes, port-forward).
iptables -N "$FWD_CHAIN"
iptables -A "$FWD_CHAIN" -i "$POD_BRIDGE" -o "$POD_BRIDGE" -j ACCEPT
iptables -A "$FWD_CHAIN" -i "$POD_BRIDGE" -d "$POD_CIDR" -j ACCEPT
iptables -A "$FWD_CHAIN" -i "$POD_BRIDGE" -j REJECT
iptables -A "$FWD_CHAIN" -o "$POD_BRIDGE" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A "$FWD_CHAIN" -o "$POD_BRIDGE" -j REJECT
iptables -I FORWARD 1 -j "$FWD_CHAIN"
iptables -N "$IN_CHAIN"
iptables -A "$IN_CHAIN" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
iptables -A "$IN_CHAIN" -d "$NODE_IP" -p tcp --dport "$API_PORT" -j ACCEPT
iptables -A "$IN_CHAIN" -d "$DNS_IP" -p udp --dport 53 -j ACCEPT
iptables -A "$IN_CHAIN" -d "$DNS_IP" -p tcp --dport 53 -j ACCEPT
iptables -A "$IN_CHAIN" -j REJECT
iptables -I INPUT 1 -i "$POD_BRIDGE" -j "$IN_CHAIN"

cat >"$RUN/cni/net.d/10-astroshop.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "astroshop",
  "plugins": [
    {
      "type": "bridge", "bridge": "$POD_BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": { "type": "host-local", "dataDir": "$RUN/cni/ipam", "ranges": [[{ "subnet": "$POD_CIDR" }]], "routes": [{ "dst": "0.0.0.0/0" }] }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
JSON

# --- containerd: our own socket, root and state ------------------------------
# Root here lacks CAP_SYS_RESOURCE: a negative oom_score_adj (the kubelet asks
# -998 for pause) kills runc, so containerd clamps it (restrict_oom_score_adj).
cat >"$RUN/containerd/config.toml" <<TOML
version = 2
root = "$RUN/containerd/root"
state = "$RT/state"
oom_score = 0
disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$CTRD_SOCK"
[ttrpc]
  address = "$RT/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  # Pod network namespaces under our state dir, so tear-down finds exactly ours.
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$RUN/cni/net.d"
TOML

spawn() { # spawn <name> <cmd...>: background process, pid recorded, log to file
  local name=$1; shift
  setsid "$@" >"$RUN/logs/$name.log" 2>&1 < /dev/null &
  echo $! >"$RUN/pids/$name"
}
alive() { kill -0 "$(cat "$RUN/pids/$1")" 2>/dev/null; }
need_alive() { alive "$1" || { tail -n 30 "$RUN/logs/$1.log" >&2; cdie "$1 exited"; }; }

clog "containerd"
spawn containerd containerd --config "$RUN/containerd/config.toml"
wait_for 30 containerd ctr version || { need_alive containerd; exit 1; }
ctr images import "$PAUSE_DIR/pause.tar" >/dev/null
have=$(ctr images ls -q)
grep -qxF "$PAUSE_IMAGE" <<<"$have" || cdie "pause image not imported"

# --- certificates: one CA, one identity per component ------------------------
P=$RUN/pki
clog "certificates"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
  -subj "/CN=astroshop-cluster-ca" -keyout "$P/ca.key" -out "$P/ca.crt" 2>/dev/null
cert() { # cert <file> <CN> <O or -> <client|server|both> [SANs]
  local f=$1 cn=$2 o=$3 use=$4 san=${5:-} subj="/CN=$2" eku
  [ "$o" = - ] || subj="/O=$o/CN=$cn"
  case $use in client) eku=clientAuth ;; server) eku=serverAuth ;; both) eku=serverAuth,clientAuth ;; esac
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "$subj" \
    -keyout "$P/$f.key" -out "$P/$f.csr" 2>/dev/null
  { echo "basicConstraints=CA:FALSE"; echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"; [ -z "$san" ] || echo "subjectAltName=$san"; } >"$P/$f.ext"
  openssl x509 -req -in "$P/$f.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" -CAcreateserial -days 825 \
    -extfile "$P/$f.ext" -out "$P/$f.crt" 2>/dev/null
  rm -f "$P/$f.csr" "$P/$f.ext"
}
cert apiserver kube-apiserver - server \
  "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:$NODE_IP,IP:$API_SERVICE_IP,IP:127.0.0.1"
cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters client
cert admin astroshop-admin system:masters client
cert controller-manager system:kube-controller-manager - client
cert scheduler system:kube-scheduler - client
cert kubelet-client "system:node:$NODE_NAME" system:nodes client
cert kubelet-server "system:node:$NODE_NAME" - server "DNS:$NODE_NAME,IP:$NODE_IP"
cert kube-proxy system:kube-proxy - client
cert coredns astroshop:coredns - client
openssl genrsa -out "$P/sa.key" 2048 2>/dev/null
openssl rsa -in "$P/sa.key" -pubout -out "$P/sa.pub" 2>/dev/null
kubeconfig() { # kubeconfig <name>: a kubeconfig using <name>.crt/.key
  cat >"$P/$1.kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: astroshop
  cluster: { server: "https://$NODE_IP:$API_PORT", certificate-authority: "$P/ca.crt" }
users:
- name: $1
  user: { client-certificate: "$P/$1.crt", client-key: "$P/$1.key" }
contexts:
- name: astroshop
  context: { cluster: astroshop, user: $1, namespace: default }
current-context: astroshop
YAML
}
for k in admin controller-manager scheduler kubelet-client kube-proxy coredns; do kubeconfig $k; done

# --- control plane -----------------------------------------------------------
clog "etcd"
spawn etcd "$B/etcd" --name astroshop --data-dir "$RUN/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "astroshop=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "" \
  --quota-backend-bytes 2147483648 --log-level warn
wait_for 30 etcd curl -fsS "http://127.0.0.1:$ETCD_CLIENT_PORT/health" || { need_alive etcd; exit 1; }

clog "kube-apiserver"
spawn kube-apiserver "$B/kube-apiserver" \
  --advertise-address "$NODE_IP" --bind-address "$NODE_IP" --secure-port "$API_PORT" \
  --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --service-cluster-ip-range "$SERVICE_CIDR" --service-node-port-range 30000-32767 \
  --client-ca-file "$P/ca.crt" --tls-cert-file "$P/apiserver.crt" --tls-private-key-file "$P/apiserver.key" \
  --kubelet-client-certificate "$P/apiserver-kubelet-client.crt" --kubelet-client-key "$P/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority "$P/ca.crt" --kubelet-preferred-address-types InternalIP \
  --service-account-key-file "$P/sa.pub" --service-account-signing-key-file "$P/sa.key" \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
  --allow-privileged=false --profiling=false --v=1
wait_for 60 "apiserver /readyz" "$KUBECTL" get --raw /readyz || { need_alive kube-apiserver; exit 1; }
clog "apiserver ready after $(( $(date +%s) - start )) s"

clog "controller-manager, scheduler"
spawn kube-controller-manager "$B/kube-controller-manager" --kubeconfig "$P/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$P/controller-manager.kubeconfig" --authorization-kubeconfig "$P/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false --use-service-account-credentials \
  --service-account-private-key-file "$P/sa.key" --root-ca-file "$P/ca.crt" \
  --cluster-signing-cert-file "$P/ca.crt" --cluster-signing-key-file "$P/ca.key" \
  --service-cluster-ip-range "$SERVICE_CIDR" --profiling=false --v=1
spawn kube-scheduler "$B/kube-scheduler" --kubeconfig "$P/scheduler.kubeconfig" \
  --authentication-kubeconfig "$P/scheduler.kubeconfig" --authorization-kubeconfig "$P/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false --profiling=false --v=1

# CoreDNS reads Services/EndpointSlices with its own identity.
"$KUBECTL" apply -f - >/dev/null <<YAML
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: "astroshop:coredns" }
rules:
- { apiGroups: [""], resources: [endpoints, services, pods, namespaces], verbs: [list, watch] }
- { apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch] }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: "astroshop:coredns" }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "astroshop:coredns" }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: "astroshop:coredns" }]
YAML

# --- node --------------------------------------------------------------------
clog "kubelet"
printf 'nameserver %s\n' "$DNS_IP" >"$RUN/resolv.conf"
cat >"$RUN/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: "$P/ca.crt" }
authorization: { mode: Webhook }
tlsCertFile: "$P/kubelet-server.crt"
tlsPrivateKeyFile: "$P/kubelet-server.key"
# cgroup v1 with containerd 1.6 and no systemd here.
failCgroupV1: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: "unix://$CTRD_SOCK"
clusterDomain: cluster.local
clusterDNS: ["$DNS_IP"]
# Pods with dnsPolicy Default get only our DNS too: nothing reaches the host's resolver.
resolvConf: "$RUN/resolv.conf"
failSwapOn: false
serializeImagePulls: false
maxPods: 60
evictionHard: { memory.available: 200Mi, nodefs.available: 5%, imagefs.available: 5% }
imageGCHighThresholdPercent: 95
imageGCLowThresholdPercent: 90
YAML
spawn kubelet "$B/kubelet" --config "$RUN/kubelet.yaml" --kubeconfig "$P/kubelet-client.kubeconfig" \
  --root-dir "$RUN/kubelet" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v=1

clog "kube-proxy"
cat >"$RUN/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: { kubeconfig: "$P/kube-proxy.kubeconfig" }
hostnameOverride: $NODE_NAME
clusterCIDR: $POD_CIDR
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# NodePorts only on the node IP: the host's loopback services stay untouched.
nodePortAddresses: ["$NODE_IP/32"]
iptables: { localhostNodePorts: false, masqueradeAll: false }
# Leave the host's conntrack sysctls alone.
conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s }
YAML
spawn kube-proxy "$B/kube-proxy" --config "$RUN/kube-proxy.yaml" --v=1

clog "coredns"
cat >"$RUN/Corefile" <<COREFILE
.:53 {
    bind $DNS_IP
    errors
    health 127.0.0.1:$DNS_HEALTH_PORT
    ready 127.0.0.1:$DNS_READY_PORT
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $P/coredns.kubeconfig
        pods insecure
    }
    cache 30
    loadbalance
}
COREFILE
spawn coredns "$COREDNS_DIR/bin/coredns" -conf "$RUN/Corefile"

node_ready() { "$KUBECTL" get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' | grep -qx True; }
wait_for 90 "node Ready" node_ready || { for c in kubelet kube-proxy; do need_alive $c; done; tail -n 20 "$RUN/logs/kubelet.log" >&2; exit 1; }
wait_for 30 "CoreDNS ready" curl -fsS "http://127.0.0.1:$DNS_READY_PORT/ready" || { need_alive coredns; exit 1; }
wait_for 60 "default ServiceAccount" "$KUBECTL" -n default get serviceaccount default
for c in containerd etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy coredns; do need_alive $c; done
touch "$RUN/up.done"
clog "cluster up in $(( $(date +%s) - start )) s — export KUBECONFIG=$KUBECONFIG; kubectl: $KUBECTL"
