#!/usr/bin/env bash
# Builds the example Celery worker image for custom pools, guildhall-offline/celery:bookworm,
# from resources/examples/celery on the offline Debian base (scripts/build-offline-images.sh):
# Debian's celery, python3-celery and python3-redis, installed by apt inside the build (the
# engine's network reaches Debian's package registry), and the example app in /app.
# Idempotent and cached: the image carries the hash of its recipe (base image id, Dockerfile,
# app) and is rebuilt only when that changes.
#
#   GUILDHALL_CELERY_IMAGE       the tag to build (default guildhall-offline/celery:bookworm)
#   GUILDHALL_CELERY_BASE_IMAGE  a Debian bookworm image to build on (default: the worker base
#                                image, GUILDHALL_WORKER_BASE_IMAGE or guildhall-offline/node:bookworm)
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${GUILDHALL_CELERY_IMAGE:-guildhall-offline/celery:bookworm}
BASE=${GUILDHALL_CELERY_BASE_IMAGE:-${GUILDHALL_WORKER_BASE_IMAGE:-guildhall-offline/node:bookworm}}
CONTEXT=resources/examples/celery

have_image() { docker image inspect "$1" >/dev/null 2>&1; }

if ! have_image "$BASE"; then
  case "$BASE" in
    guildhall-offline/*) bash scripts/build-offline-images.sh ;;
    *) docker pull -q "$BASE" >/dev/null ;;
  esac
fi

base_id=$(docker image inspect --format '{{.Id}}' "$BASE")
recipe=$(
  {
    echo "$base_id"
    sha256sum "$CONTEXT/Dockerfile" "$CONTEXT/tasks.py"
  } | sha256sum | cut -c1-16
)

if have_image "$IMAGE" &&
  [ "$(docker image inspect --format '{{index .Config.Labels "io.guildhall.recipe"}}' "$IMAGE")" = "$recipe" ]; then
  echo "celery image: present ($IMAGE)"
  exit 0
fi

echo "celery image: building $IMAGE on $BASE (apt: celery python3-celery python3-redis)"
log=$(mktemp /tmp/guildhall-celery-build.XXXXXX)
trap 'rm -f "$log"' EXIT
if ! docker build --pull=false --build-arg "BASE_IMAGE=$BASE" \
  --label "io.guildhall.recipe=$recipe" --label io.guildhall.example=celery \
  -t "$IMAGE" "$CONTEXT" >"$log" 2>&1; then
  echo "celery image: the build failed; the last lines of its log:" >&2
  tail -n 30 "$log" >&2
  exit 1
fi

docker run --rm --entrypoint python3 "$IMAGE" -c 'import celery, redis; print("celery", celery.__version__, "redis-py", redis.__version__)'
echo "celery image: ready ($IMAGE)"
