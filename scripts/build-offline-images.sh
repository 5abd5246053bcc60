#!/usr/bin/env bash
# Builds Guildhall's offline base images from Debian packages, for hosts that cannot reach a
# container registry (CI, air-gapped machines). Idempotent: images that exist are kept.
#
#   guildhall-offline/redis:bookworm  Debian bookworm minbase + redis-server
#   guildhall-offline/node:bookworm   the same root file system + this host's node binary (>= 20)
#
# Point Guildhall at them with:
#   GUILDHALL_REDIS_IMAGE=guildhall-offline/redis:bookworm
#   GUILDHALL_WORKER_BASE_IMAGE=guildhall-offline/node:bookworm
set -euo pipefail

REDIS_IMAGE=${GUILDHALL_REDIS_IMAGE:-guildhall-offline/redis:bookworm}
NODE_IMAGE=${GUILDHALL_WORKER_BASE_IMAGE:-guildhall-offline/node:bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

if have_image "$REDIS_IMAGE" && have_image "$NODE_IMAGE"; then
  echo "offline images: present ($REDIS_IMAGE, $NODE_IMAGE)"
  exit 0
fi

node_bin=$(command -v node || true)
if [ -z "$node_bin" ]; then
  echo "node is not on PATH; the worker base image needs this host's node binary (>= 20)" >&2
  exit 1
fi
node_major=$("$node_bin" -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "node $("$node_bin" --version) is too old for the worker base image; need >= 20" >&2
  exit 1
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "debootstrap is missing; install it (sudo apt-get install debootstrap) and retry" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

work=$(mktemp -d /tmp/guildhall-rootfs.XXXXXX)
trap 'rm -rf "$work"' EXIT
root="$work/root"

echo "offline images: debootstrap bookworm (minbase + redis-server)"
debootstrap --variant=minbase --include=redis-server bookworm "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 || {
  tail -n 30 "$work/debootstrap.log" >&2
  exit 1
}
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*

if ! have_image "$REDIS_IMAGE"; then
  echo "offline images: importing $REDIS_IMAGE"
  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'WORKDIR /data' \
    --change 'EXPOSE 6379' \
    --change 'CMD ["redis-server"]' - "$REDIS_IMAGE" >/dev/null
fi

if ! have_image "$NODE_IMAGE"; then
  echo "offline images: importing $NODE_IMAGE (node $("$node_bin" --version))"
  install -m 0755 "$node_bin" "$root/usr/local/bin/node"
  tar -C "$root" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' - "$NODE_IMAGE" >/dev/null
fi

docker run --rm "$NODE_IMAGE" node --version >/dev/null
docker run --rm "$REDIS_IMAGE" redis-server --version >/dev/null
echo "offline images: ready ($REDIS_IMAGE, $NODE_IMAGE)"
