#!/usr/bin/env bash
# seeds_test.sh BIN SEEDS_DIR - on the five real seed articles (not part of
# the project; skipped when absent): outlet_e frames more in its own voice
# than outlet_a and outlet_d, and outlet_a's "nonsense" is quoted speech.
set -u
BIN=$1
SEEDS=$2
if [ ! -f "$SEEDS/manifest.csv" ]; then
  echo "skipped: no seed corpus at $SEEDS"
  exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
check() {
  local name=$1
  shift
  if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $name"; fi
}
"$BIN" report --manifest "$SEEDS/manifest.csv" --format csv --voice author \
  --matches "$T/matches.csv" -o "$T/report.csv"
check "report ran" test $? -eq 0
# author-voice loaded.* matches per 1,000 author-voice words, per outlet
rate() {
  awk -F, -v o="$1" '$2 == o && $4 ~ /^loaded\./ { m += $5; t = $6 }
    END { printf "%.6f\n", t ? 1000 * m / t : 0 }' "$T/report.csv"
}
e=$(rate outlet_e) a=$(rate outlet_a) d=$(rate outlet_d)
echo "author-voice loaded.* per 1k words: outlet_e=$e outlet_a=$a outlet_d=$d"
check "outlet_e > outlet_a" awk -v x="$e" -v y="$a" 'BEGIN { exit !(x > y) }'
check "outlet_e > outlet_d" awk -v x="$e" -v y="$d" 'BEGIN { exit !(x > y) }'
# "nonsense" in outlet_a: every occurrence is quoted speech
check "outlet_a nonsense quoted" grep -q ',outlet_a,.*,quote,loaded\.[a-z]*,[^,]*,nonsense,' "$T/matches.csv"
check "outlet_a nonsense never author" test -z "$(grep ',outlet_a,.*,author,loaded\.[a-z]*,[^,]*,nonsense,' "$T/matches.csv")"
echo "$pass passed, $fail failed"
test $fail -eq 0
