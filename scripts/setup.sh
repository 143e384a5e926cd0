#!/usr/bin/env bash
# Installs everything Berth needs on Debian 12 and builds it. Idempotent: each step is skipped
# when its result is already there. Sourced by main.sh and test.sh; run as root.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "berth: this must run as root (it installs packages, mounts filesystems and creates namespaces)." >&2
  echo "       try: sudo bash $0" >&2
  exit 1
fi

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

# Debian packages: the runtime stack, and what the engine calls at run time.
packages=(runc conmon containernetworking-plugins iptables busybox-static tini catatonit
  iproute2 util-linux attr ca-certificates)
[ "${BERTH_TEST_PACKAGES:-}" = 1 ] && packages+=(jq tmux docker-registry skopeo umoci apache2-utils openssl zstd
  docker-compose python3-docker)
# Node.js may come from elsewhere than Debian; take Debian's only when there is none.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "berth: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's docker-registry package enables a system registry on :5000; the tests start their own on
# 127.0.0.1 and nothing else may listen, so keep the packaged service off.
if command -v systemctl >/dev/null && systemctl is-enabled docker-registry >/dev/null 2>&1; then
  systemctl disable --now docker-registry >/dev/null 2>&1 || true
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  # Debian 12 ships Node 18; the npm registry carries Node 20 as the `node` package.
  echo "berth: Node.js $(node --version) is too old; installing Node.js 20 from the npm registry"
  npm install -g --prefix /usr/local --no-audit --no-fund node@20 >/dev/null
  hash -r
  node_major=$(/usr/local/bin/node -p 'process.versions.node.split(".")[0]')
  [ "$node_major" -ge 20 ] || { echo "berth: could not install Node.js 20" >&2; exit 1; }
  export PATH="/usr/local/bin:$PATH"
fi

# npm dependencies at the locked versions; reinstalled only when the lock file changed. (`npm ci`
# refuses this lock: node-unix-socket lists prebuilt packages for other platforms that the registry
# does not serve, so they are absent from the lock; `npm install` skips them as optional.)
stamp=node_modules/.berth-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "berth: installing npm dependencies"
  npm install --no-save --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi

# Build (incremental).
npx tsc -p tsconfig.json
chmod +x dist/bin/berth.js dist/bin/berthd.js
ln -sf "$repo/dist/bin/berth.js" /usr/local/bin/berth
ln -sf "$repo/dist/bin/berthd.js" /usr/local/bin/berthd
