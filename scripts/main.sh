#!/usr/bin/env bash
# The main job: install what is missing, build, start berthd if it is not running, run a container.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

sock=/run/berth/berth.sock
if ! berth version >/dev/null 2>&1; then
  echo "berth: starting berthd (log: /var/log/berthd.log)"
  mkdir -p /run/berth
  setsid berthd >>/var/log/berthd.log 2>&1 < /dev/null &
  for _ in $(seq 1 100); do
    [ -S "$sock" ] && berth version >/dev/null 2>&1 && break
    sleep 0.1
  done
  berth version >/dev/null || { echo "berth: berthd did not come up; see /var/log/berthd.log" >&2; exit 1; }
fi
berth run --rm busybox echo hello from berth
