#!/usr/bin/env bash
# Makes sure a Docker engine answers on this host. Used by CI and by fresh Linux machines:
# when none is reachable it installs Debian's docker.io (needs root) and starts dockerd.
set -euo pipefail

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if engine_answers; then
  echo "docker engine: already running ($(docker version --format '{{.Server.Version}}'))"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "No Docker engine is reachable and dockerd is not installed. Install Docker (https://docs.docker.com/engine/install/) or run this script as root." >&2
    exit 1
  fi
  echo "docker engine: installing docker.io from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

if [ "$(id -u)" != 0 ]; then
  echo "dockerd is installed but not running; start it (sudo systemctl start docker) and retry." >&2
  exit 1
fi

echo "docker engine: starting dockerd"
log=${DOCKERD_LOG:-/var/log/guildhall-dockerd.log}
nohup dockerd >"$log" 2>&1 &
for _ in $(seq 1 60); do
  if engine_answers; then
    echo "docker engine: up ($(docker version --format '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 1
done
echo "dockerd did not answer within 60 s; its log follows" >&2
tail -n 40 "$log" >&2
exit 1
