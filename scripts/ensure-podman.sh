#!/usr/bin/env bash
# Podman as the tests' second engine: installs Debian's podman when missing (needs root), serves
# its Docker-compatible API on a socket of its own (GUILDHALL_PODMAN_SOCKET, default
# /run/guildhall-podman/podman.sock; the Docker engine's socket is left alone) and loads the
# offline base images from the Docker engine. Idempotent: quick when all is in place.
#
# Test setup only: where root lacks CAP_SYS_RESOURCE (some CI sandboxes), Podman cannot apply its
# default rlimits and every container start fails ("error setting rlimits … operation not
# permitted"). The service is then given, through CONTAINERS_CONF, a containers.conf whose
# default_ulimits stay within its own hard limits. Without systemd Podman runs no healthchecks;
# Guildhall does not need them.
set -euo pipefail

SOCKET=${GUILDHALL_PODMAN_SOCKET:-/run/guildhall-podman/podman.sock}
DIR=$(dirname "$SOCKET")
CONF="$DIR/containers.conf"
LOG="$DIR/service.log"
PIDFILE="$DIR/service.pid"
IMAGES=("${GUILDHALL_REDIS_IMAGE:-guildhall-offline/redis:bookworm}" "${GUILDHALL_WORKER_BASE_IMAGE:-guildhall-offline/node:bookworm}")

podman_api() { docker -H "unix://$SOCKET" "$@"; }
answers() { podman_api version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if ! command -v podman >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "podman is not installed; install it (sudo apt-get install podman) or run this script as root." >&2
    exit 1
  fi
  echo "podman: installing Debian's podman"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq podman >/dev/null
fi

# Whether this root may raise rlimits (CAP_SYS_RESOURCE is capability 24).
may_raise_rlimits() {
  local caps
  caps=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
  (((0x$caps >> 24) & 1))
}

# "nofile=N:N" for the hard limit `Max open files` etc. of a process.
limit_of() { awk -v what="$2" '$0 ~ "^"what {print $(NF-1)}' "/proc/$1/limits"; }

start_service() {
  mkdir -p "$DIR"
  local env=()
  [ -f "$CONF" ] && env=(CONTAINERS_CONF="$CONF")
  # From /: the service's working directory is its containers' monitors' (conmon) too; started
  # from a folder that is later removed (a CI clone), every container start fails with "write
  # child: broken pipe".
  (cd / && exec env "${env[@]}" nohup podman system service --time=0 "unix://$SOCKET" >>"$LOG" 2>&1) &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 100); do
    answers && return 0
    sleep 0.1
  done
  echo "podman: the API service did not answer on $SOCKET within 10 s; its log follows" >&2
  tail -n 30 "$LOG" >&2
  return 1
}

stop_service() {
  local pid
  pid=$(cat "$PIDFILE")
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$SOCKET"
}

# A service left running from a folder that is gone answers, but can start no container.
service_cwd_gone() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -e "/proc/$pid" ] && [[ "$(readlink "/proc/$pid/cwd")" == *"(deleted)" ]]
}
if answers && service_cwd_gone; then
  echo "podman: the API service runs from a removed folder; restarting it"
  stop_service
fi

if answers; then
  echo "podman: API service already answers on $SOCKET"
else
  rm -f "$SOCKET"
  start_service
  if ! may_raise_rlimits && [ ! -f "$CONF" ]; then
    # The limits Podman itself runs with are the most a container may get from it.
    pid=$(cat "$PIDFILE")
    nofile=$(limit_of "$pid" 'Max open files')
    nproc=$(limit_of "$pid" 'Max processes')
    printf '[containers]\ndefault_ulimits = ["nofile=%s:%s", "nproc=%s:%s"]\n' \
      "$nofile" "$nofile" "$nproc" "$nproc" >"$CONF"
    echo "podman: root may not raise rlimits here; default_ulimits nofile=$nofile nproc=$nproc ($CONF)"
    stop_service
    start_service
  fi
  echo "podman: API service on $SOCKET ($(podman_api version --format '{{.Server.Version}}'))"
fi

for image in "${IMAGES[@]}"; do
  if ! podman_api image inspect "$image" >/dev/null 2>&1; then
    echo "podman: loading $image from the Docker engine"
    docker save "$image" | podman load -q >/dev/null
  fi
done
echo "podman: ready"
