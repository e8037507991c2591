#!/usr/bin/env bash
# Base images built from package registries only (no image registry needed):
#   scripts/image/base.sh node            -> astroshop-base/node:<node>-<suite>
#       Debian minbase + the node binary from the npm package node@<version>
#       at /usr/local/bin/node + user node (uid/gid 1000): a stand-in for the
#       official node:<version>-slim.
#   scripts/image/base.sh node-runtime    -> astroshop-base/node-runtime:<node>-<suite>
#       Distroless-style (issue 17: images <= 150 MB): only the node binary
#       (symbols stripped, .dynsym kept for addons: 127 -> 109 MB), the libraries it links
#       (libc6, libstdc++6, libgcc-s1) and bash (libtinfo6) for the entrypoint
#       and the /dev/tcp health check, unpacked from the Debian .debs the
#       minbase debootstrap cached; users root and node (1000). No package
#       manager, no coreutils: the service images' base.
#   scripts/image/base.sh debian <name> [pkg...]
#                                         -> astroshop-base/<name>:<suite>-<key>
#       Debian minbase with the given Debian packages (the offline set's
#       PostgreSQL, Redis, JRE).
# Each rootfs is a tarball cached under ~/.cache/astroshop/rootfs, keyed by the
# suite, the package list and (for node) the Node version; an existing image is
# never rebuilt. Prints the image name on stdout.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${ASTROSHOP_CACHE:-$HOME/.cache/astroshop}
SUITE=${DEBIAN_SUITE:-bookworm}
NODE_VERSION=$(sed -n 's/^NODE_VERSION=//p' "$root/scripts/tools.sh")
log() { printf '[base] %s\n' "$*" >&2; }
die() { printf '[base] ERROR: %s\n' "$*" >&2; exit 1; }

# The Debian mirror apt already uses on this machine (deb822 or one-line
# format); deb.debian.org otherwise.
mirror() {
  local m
  m=$(sed -n 's/^URIs: *\(\S*debian\/\?\)$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
  [ -n "$m" ] || m=$(sed -n 's/^deb \(\[[^]]*\] \)\?\(\S*\/debian\/\?\) .*/\2/p' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1)
  echo "${DEBIAN_MIRROR:-${m:-http://deb.debian.org/debian}}"
}

# Drop what a container never reads: docs, man pages, translations, apt's
# package lists and download cache, logs.
strip_rootfs() {
  local dir=$1
  rm -rf "$dir"/usr/share/doc/* "$dir"/usr/share/man/* "$dir"/usr/share/info/* \
    "$dir"/usr/share/locale/* "$dir"/usr/share/lintian "$dir"/usr/share/linda \
    "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb \
    "$dir"/var/cache/debconf/*-old "$dir"/var/lib/dpkg/*-old "$dir"/var/log/* "$dir"/tmp/* \
    "$dir"/debootstrap
  # Debian's policy-rc.d/resolv.conf/hosts are the engine's business at run time.
  : >"$dir/etc/resolv.conf"
}

# rootfs <tarball> <include,comma,list|""> <customise-fn>: debootstrap once, cached.
rootfs() {
  local tarball=$1 include=$2 customise=$3
  [ -s "$tarball" ] && return 0
  command -v debootstrap >/dev/null 2>&1 || {
    [ "$(id -u)" = 0 ] || die "debootstrap is missing (apt-get install debootstrap)"
    apt-get install -y -qq --no-install-recommends debootstrap >&2
  }
  [ "$(id -u)" = 0 ] || die "debootstrap needs root"
  mkdir -p "$CACHE/rootfs/debs"
  local tmp; tmp=$(mktemp -d "$CACHE/rootfs/build.XXXX")
  log "debootstrap --variant=minbase $SUITE ${include:+(+ $include) }from $(mirror)"
  # --cache-dir keeps the downloaded .debs: the next rootfs reuses them.
  debootstrap --variant=minbase ${include:+--include="$include"} --cache-dir="$CACHE/rootfs/debs" \
    "$SUITE" "$tmp/root" "$(mirror)" >"$tmp/debootstrap.log" 2>&1 \
    || { tail -n 20 "$tmp/debootstrap.log" >&2; die "debootstrap failed (log: $tmp/debootstrap.log)"; }
  "$customise" "$tmp/root"
  strip_rootfs "$tmp/root"
  tar --numeric-owner -C "$tmp/root" -cf "$tmp/rootfs.tar" .
  mv "$tmp/rootfs.tar" "$tarball"
  rm -rf "$tmp"
}

add_node_user() { # uid/gid 1000 as in the official node images
  local dir=$1
  chroot "$dir" groupadd --gid 1000 node
  chroot "$dir" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
}

customise_node() {
  local dir=$1 node_bin
  node_bin=$(bash "$root/scripts/tools.sh" node)/node
  install -m 0755 "$node_bin" "$dir/usr/local/bin/node"
  add_node_user "$dir"
}
# Services of the offline set run as this unprivileged user (Debian packages
# bring their own: postgres, redis).
customise_none() {
  chroot "$1" groupadd --gid 1000 app
  chroot "$1" useradd --uid 1000 --gid app --shell /usr/sbin/nologin --no-create-home --home-dir /nonexistent app
  # postgresql-15's postinst creates a cluster the image never uses (its
  # entrypoint runs initdb in the data volume), and LLVM is there only for the
  # optional JIT (off without llvmjit.so): ~150 MB less.
  rm -rf "$1"/var/lib/postgresql/* "$1"/etc/postgresql/* "$1"/usr/lib/postgresql/*/lib/bitcode
  if compgen -G "$1/usr/lib/postgresql/*/lib/llvmjit.so" >/dev/null; then
    rm -f "$1"/usr/lib/postgresql/*/lib/llvmjit*.so "$1"/usr/lib/x86_64-linux-gnu/libLLVM-*.so*
  fi
}

# The packages of the node-runtime base; `ldd node` lists libc, libm, libdl,
# libpthread (all libc6), libstdc++ and libgcc_s.
RUNTIME_DEBS=(libc6 libgcc-s1 libstdc++6 bash libtinfo6)

# runtime_rootfs <tarball>: the node-runtime rootfs, cached like the others.
runtime_rootfs() {
  local tarball=$1 arch deb pkg dir node_bin
  [ -s "$tarball" ] && return 0
  # The minbase debootstrap leaves every .deb it installed in the cache.
  rootfs "$CACHE/rootfs/minbase-$SUITE-$(printf '' | sha256sum | cut -c1-8).tar" "" customise_none
  command -v strip >/dev/null 2>&1 || die "strip is missing (apt-get install binutils)"
  arch=$(dpkg --print-architecture)
  local tmp; tmp=$(mktemp -d "$CACHE/rootfs/build.XXXX")
  dir=$tmp/root
  for pkg in "${RUNTIME_DEBS[@]}"; do
    deb=$(find "$CACHE/rootfs/debs" -name "${pkg}_*_$arch.deb" | sort -V | tail -n1)
    [ -n "$deb" ] || die "no cached .deb for $pkg (remove $CACHE/rootfs/minbase-* to debootstrap again)"
    dpkg-deb -x "$deb" "$dir"
  done
  # iconv's converters: node converts with its own ICU.
  rm -rf "$dir"/usr/lib/*/gconv "$dir"/usr/share/* "$dir"/etc/skel "$dir"/usr/bin/bashbug
  ln -s bash "$dir/bin/sh" 2>/dev/null || ln -s bash "$dir/usr/bin/sh"
  node_bin=$(bash "$root/scripts/tools.sh" node)/node
  mkdir -p "$dir/usr/local/bin" "$dir/tmp" "$dir/home/node" "$dir/root"
  strip --strip-all -o "$dir/usr/local/bin/node" "$node_bin"
  chmod 0755 "$dir/usr/local/bin/node"
  chmod 1777 "$dir/tmp"
  chown 1000:1000 "$dir/home/node"
  printf '%s\n' 'root:x:0:0:root:/root:/bin/bash' 'node:x:1000:1000::/home/node:/bin/bash' >"$dir/etc/passwd"
  printf '%s\n' 'root:x:0:' 'node:x:1000:' >"$dir/etc/group"
  printf '%s\n' 'passwd: files' 'group: files' 'hosts: files dns' >"$dir/etc/nsswitch.conf"
  echo 'include /etc/ld.so.conf.d/*.conf' >"$dir/etc/ld.so.conf"
  ldconfig -r "$dir"
  "$dir/usr/local/bin/node" --version >/dev/null || die "the stripped node does not run"
  tar --numeric-owner -C "$dir" -cf "$tmp/rootfs.tar" .
  mv "$tmp/rootfs.tar" "$tarball"
  rm -rf "$tmp"
}

import() { # import <tarball> <image> [--change ...]
  local tarball=$1 image=$2; shift 2
  log "docker import $image"
  docker import "$@" "$tarball" "$image" >/dev/null
}

case "${1:-}" in
  node)
    image="astroshop-base/node:$NODE_VERSION-$SUITE"
    if ! docker image inspect "$image" >/dev/null 2>&1; then
      tarball="$CACHE/rootfs/node-$NODE_VERSION-$SUITE.tar"
      rootfs "$tarball" "" customise_node
      import "$tarball" "$image" --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change "ENV NODE_VERSION=$NODE_VERSION" --change 'CMD ["node"]'
    fi
    echo "$image"
    ;;
  node-runtime)
    image="astroshop-base/node-runtime:$NODE_VERSION-$SUITE"
    if ! docker image inspect "$image" >/dev/null 2>&1; then
      tarball="$CACHE/rootfs/node-runtime-$NODE_VERSION-$SUITE.tar"
      runtime_rootfs "$tarball"
      import "$tarball" "$image" --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
        --change "ENV NODE_VERSION=$NODE_VERSION" --change 'CMD ["node"]'
    fi
    echo "$image"
    ;;
  debian)
    name=${2:?usage: base.sh debian <name> [pkg...]}; shift 2
    include=$(printf '%s\n' "$@" | sort | paste -sd, -)
    key=$(printf '%s' "$include" | sha256sum | cut -c1-8)
    image="astroshop-base/$name:$SUITE-$key"
    if ! docker image inspect "$image" >/dev/null 2>&1; then
      tarball="$CACHE/rootfs/$name-$SUITE-$key.tar"
      rootfs "$tarball" "$include" customise_none
      import "$tarball" "$image" --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
    fi
    echo "$image"
    ;;
  *) echo "usage: base.sh node | base.sh node-runtime | base.sh debian <name> [pkg...]" >&2; exit 2 ;;
esac
