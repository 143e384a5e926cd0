#!/usr/bin/env bash
# Runs every check and test: installs what is missing, builds, lints, checks the wire types and the
# layering, then runs the unit, integration and compat tests (real daemons, runc, conmon, mounts).
set -euo pipefail
export BERTH_TEST_PACKAGES=1
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

# The docker CLI is only a client for the compat tests. When the machine has none, take the
# binary out of Debian's docker.io package without installing (or starting) its daemon.
if ! command -v docker >/dev/null; then
  tools="$repo/.tools"
  if [ ! -x "$tools/docker" ]; then
    echo "berth: fetching the docker CLI from Debian's docker.io package"
    tmp=$(mktemp -d)
    (cd "$tmp" && { apt-get download docker.io >/dev/null 2>&1 ||
      { apt-get update -qq && apt-get download docker.io >/dev/null; }; } && dpkg-deb -x docker.io_*.deb x)
    mkdir -p "$tools" && cp "$tmp/x/usr/bin/docker" "$tools/docker"
    rm -rf "$tmp"
  fi
  export PATH="$tools:$PATH"
fi

echo "== lint, format, layering"
npx eslint .
npx prettier --check .
npx depcruise --config .dependency-cruiser.cjs bin src
echo "== wire types match the pinned spec"
node dist/scripts/gen-api.js --check
echo "== tests"
mapfile -t files < <(find dist/src dist/test dist/scripts -name '*.test.js' | sort)
node --test --test-concurrency=2 "${files[@]}"
