#!/usr/bin/env bash
# Moves images from the local docker engine into the cluster's containerd (no
# registry is reachable here): `docker save | ctr images import`, in one stream
# so layers shared between images (the Node base) travel once.
#   scripts/cluster/load-images.sh IMAGE...        # explicit refs
#   scripts/cluster/load-images.sh --chart [helm args...]
#       every image `helm template` of the chart renders with those args
# Images the node already has (same image id) are skipped.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
REPO_ROOT=$(cd "$CLUSTER_SCRIPTS/../.." && pwd)

images=()
if [ "${1:-}" = --chart ]; then
  shift
  bash "$CLUSTER_SCRIPTS/build.sh" helm
  mapfile -t images < <("$HELM" template astronomy-shop "$REPO_ROOT/helm/astronomy-shop" "$@" \
    | sed -n 's/^[[:space:]]*image:[[:space:]]*"\{0,1\}\([^"[:space:]]*\)"\{0,1\}[[:space:]]*$/\1/p' | sort -u)
else
  images=("$@")
fi
[ "${#images[@]}" -gt 0 ] || cdie "no images given"
ctr version >/dev/null 2>&1 || cdie "the cluster's containerd is not running (make cluster)"
docker info >/dev/null 2>&1 || cdie "docker is not answering (scripts/image/docker-up.sh starts it)"

# The name containerd stores: docker.io/ (and library/) added like the kubelet does.
normalize() {
  local r=$1 first=${1%%/*}
  if [ "$first" = "$r" ]; then r=docker.io/library/$r
  elif [[ $first != *.* && $first != *:* && $first != localhost ]]; then r=docker.io/$r; fi
  echo "$r"
}
todo=()
missing=()
for img in "${images[@]}"; do
  id=$(docker image inspect -f '{{.Id}}' "$img" 2>/dev/null) || { missing+=("$img"); continue; }
  # ctr lists the config digest as the image's target for docker-archive imports.
  have=$(ctr images ls 2>/dev/null | awk -v r="$(normalize "$img")" '$1 == r {print $3}')
  if [ -n "$have" ]; then
    conf=$(ctr content get "$have" 2>/dev/null | jq -r '.config.digest // empty' 2>/dev/null)
    [ "$conf" = "$id" ] && continue
  fi
  todo+=("$img")
done
[ "${#missing[@]}" -eq 0 ] || cdie "not in docker (build them first: make images / make images OFFLINE=1): ${missing[*]}"
if [ "${#todo[@]}" -eq 0 ]; then clog "all ${#images[@]} images already on the node"; exit 0; fi
start=$(date +%s)
clog "importing ${#todo[@]} of ${#images[@]} images"
docker save "${todo[@]}" | ctr images import --all-platforms - >/dev/null
# Listed once into a variable: `ctr … | grep -q` can fail on SIGPIPE under pipefail.
have=$(ctr images ls -q)
for img in "${todo[@]}"; do
  grep -qxF "$(normalize "$img")" <<<"$have" || cdie "$img did not arrive on the node"
done
clog "imported ${#todo[@]} images in $(( $(date +%s) - start )) s"
