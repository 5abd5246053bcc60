#!/bin/sh
# The worker container's init (PID 1): runs the worker program as its child, passes SIGTERM,
# SIGINT and SIGHUP on to it, reaps every process that ends up orphaned in the container (a
# shell job's background commands are re-parented to PID 1 once their parent exits), and exits
# with the program's exit status (0 to reload processor files, 78 for bad configuration, 128+n
# when killed by signal n).
#
# It lives in the image, so the worker does not depend on the engine's own init binary (Docker's
# docker-init, Podman's catatonit, which some Podman installations lack). Plain POSIX sh: every
# base image with node has /bin/sh; `wait` reaps any child the shell has, known or not.
child=
pending=
forward() {
  if [ -n "$child" ]; then
    kill "-$1" "$child" 2>/dev/null
  else
    pending=$1
  fi
}
trap 'forward TERM' TERM
trap 'forward INT' INT
trap 'forward HUP' HUP

"$@" &
child=$!
if [ -n "$pending" ]; then kill "-$pending" "$child" 2>/dev/null; fi

# `wait` returns early when a trapped signal arrives; wait again until the program has exited.
while :; do
  wait "$child"
  status=$?
  kill -0 "$child" 2>/dev/null || exit "$status"
done
