#!/usr/bin/env bash
# Installs what Siaran needs to build, run and test, idempotently: Debian
# packages that are missing (apt-get only when something is missing) and the
# npm packages of package-lock.json (npm ci only when node_modules is stale).
# Run as root (CI does) or as a user with sudo.
#   usage: scripts/install-deps.sh [--bench]   (--bench adds nginx, nginx-rtmp, wrk)
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(
  # build
  gcc make cmake pkg-config clang
  # libraries (see DESIGN.md)
  libuv1-dev node-llhttp libwslay-dev libjansson-dev libsqlite3-dev libsodium-dev
  libcurl4-openssl-dev libqrencode-dev libcmocka-dev
  # tests: real peers
  curl ffmpeg gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad
  # browser tests (playwright-core drives Debian's Chromium; no browser download)
  chromium
)
if [[ "${1:-}" == "--bench" ]]; then
  pkgs+=(nginx libnginx-mod-rtmp wrk)
fi
# Node.js: keep one that is already there (any vendor), else Debian's.
if ! command -v node >/dev/null 2>&1; then pkgs+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then pkgs+=(npm); fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-deps: Debian packages present"
fi

# npm packages: reinstall only when the lock file changed since the last install.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "install-deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.package-lock.json
else
  echo "install-deps: npm packages present"
fi
