#!/usr/bin/env bash
# Prepares this machine to run Guildhall's whole test suite: a Docker engine, Podman's API
# service as the second engine (scripts/ensure-podman.sh), Debian's Chromium for the end-to-end
# tests, prometheus for the metrics test, docker-compose for the export test, Debian's Celery
# for the Celery pool test, npm dependencies, the offline base images, the example Celery image
# and a build.
# Idempotent; installing system packages needs root (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."

export ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

bash scripts/ensure-docker-engine.sh

# Chromium for the end-to-end tests, a CJK font so Japanese screenshots render, Debian's
# redis-cli, with which a test checks that `guildhall connect`'s URL works, a Prometheus
# server that the metrics test starts itself, and Debian's Celery client (celery,
# python3-celery, python3-redis for /usr/bin/python3, not a pyenv python3 on PATH).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus)
# Debian's docker-compose (v1), with which the export test runs the exported compose file.
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
fc-list 2>/dev/null | grep -i 'Noto Sans CJK' >/dev/null || missing+=(fonts-noto-cjk)
[ -x /usr/bin/celery ] || missing+=(celery)
/usr/bin/python3 -c 'import celery' >/dev/null 2>&1 || missing+=(python3-celery)
/usr/bin/python3 -c 'import redis' >/dev/null 2>&1 || missing+=(python3-redis)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "packages: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing packages: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "npm: installing dependencies"
  npm install --no-audit --no-fund --loglevel=error
fi

bash scripts/build-offline-images.sh
# The example Celery worker image, on the offline base (cached by its recipe's hash).
bash scripts/build-celery-image.sh
# After the offline images: it loads them into Podman from the Docker engine.
bash scripts/ensure-podman.sh
echo "test host ready"
