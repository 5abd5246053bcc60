#!/usr/bin/env bash
# Prepares this machine to run Guildhall's whole test suite: a Docker engine, Debian's Chromium
# for the end-to-end tests, npm dependencies, the offline base images and a build.
# Idempotent; installing system packages needs root (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."

export ELECTRON_SKIP_BINARY_DOWNLOAD=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

bash scripts/ensure-docker-engine.sh

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    echo "chromium: installing Debian's chromium for the end-to-end tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: install it (sudo apt-get install chromium) for the end-to-end tests" >&2
    exit 1
  fi
fi

if [ ! -d node_modules ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "npm: installing dependencies"
  npm install --no-audit --no-fund --loglevel=error
fi

bash scripts/build-offline-images.sh
echo "test host ready"
