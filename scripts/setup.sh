#!/usr/bin/env bash
# setup.sh - installs what framescore needs from Debian's packages (when
# missing) and builds it in build/. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
packages="gcc make cmake libstemmer-dev uthash-dev libgsl-dev libutf8proc-dev ${FS_EXTRA_PACKAGES:-}"
missing=""
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "setup: installing$missing" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=${FS_BUILD_TYPE:-RelWithDebInfo} >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
echo "setup: built build/framescore" >&2
