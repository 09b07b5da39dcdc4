#!/usr/bin/env bash
# run_fuzz.sh FUZZER SEEDS ARTIFACTS SECONDS - one bounded libFuzzer run with
# a fixed seed, starting from the seed corpus (left unchanged: new inputs go
# to a temporary folder). A crash, leak, timeout or broken invariant fails the
# test; the input is saved under ARTIFACTS. Turn it into a regression test by
# copying it into SEEDS (the replay_* tests then run it in every build).
set -u
bin=$1 seeds=$2 artifacts=$3 secs=$4
name=$(basename "$bin")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$artifacts"
# -timeout: no input of a few KB may take seconds (a hang or quadratic path)
"$bin" -seed=1 -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
  -max_len=8192 -print_final_stats=1 -artifact_prefix="$artifacts/$name-" \
  "$work/corpus" "$seeds" >"$work/log" 2>&1
rc=$?
grep -E '^(INFO: seed corpus|#[0-9]+.*DONE|stat::number_of_executed_units)' "$work/log"
if [ $rc -ne 0 ]; then
  tail -60 "$work/log"
  echo "FAIL: $name exited $rc; the input is in $artifacts/ (add it to $seeds)"
  exit 1
fi
echo "$name: no crash in $secs s"
