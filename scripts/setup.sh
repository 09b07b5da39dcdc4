#!/usr/bin/env bash
# setup.sh - installs what framescore needs from Debian's packages (when
# missing) and builds it in build/. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
packages="gcc make cmake libstemmer-dev uthash-dev libgsl-dev libutf8proc-dev libzstd-dev liburing-dev pkgconf groff-base ${FS_EXTRA_PACKAGES:-}"
# (liburing-dev is optional: short documents are read in batches through
# io_uring with it, one by one without)
# optional test tools: FS_WITH_BROWSER=1 for the headless-Chromium check of
# the HTML report (about 30 s to install), FS_WITH_PLOTS=1 for the pandas +
# matplotlib example; without them those tests are skipped
[ "${FS_WITH_BROWSER:-0}" = 1 ] && packages="$packages chromium fonts-dejavu-core"
[ "${FS_WITH_PLOTS:-0}" = 1 ] && packages="$packages python3-pandas python3-matplotlib"
# robustness runs of scripts/test.sh: clang's sanitizers and libFuzzer,
# valgrind, and the scale-out recipes' engines: GNU parallel and Dask
# distributed (about 5 MB; the Slurm recipe runs without Slurm's tools).
# FS_QUICK=1 skips them; the tests that need them say so and skip.
[ "${FS_QUICK:-0}" = 1 ] ||
  packages="$packages clang libclang-rt-14-dev valgrind parallel python3-distributed"
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
