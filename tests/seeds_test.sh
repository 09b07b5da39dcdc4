#!/usr/bin/env bash
# seeds_test.sh BIN SEEDS_DIR - on the five real seed articles (not part of
# the project; skipped when absent), what a careful reader sees, checked from
# the matches that drive each score: outlet_e and outlet_b frame in their
# own voice ("Russian dictator", "raved"; "Kiev regime", "boasted"),
# outlet_a and outlet_d mostly report (their loaded words are quoted
# speech, their quoted words attributed, not scare quotes), and outlet_c's
# weight is not the story's own words ("terrorist", "massacre").
set -u
BIN=$1
SEEDS=$2
if [ ! -f "$SEEDS/manifest.csv" ]; then
  echo "skipped: no seed corpus at $SEEDS"
  exit 77
fi
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
"$BIN" report --manifest "$SEEDS/manifest.csv" --format csv --voice author \
  --matches "$T/matches.csv" -o "$T/report.csv"
check "report ran" test $? -eq 0
# author-voice loaded.* matches per 1,000 author-voice words, per outlet
# (counted from the end of the row: the manifest's own columns, which may
# hold commas, come between outlet and voice)
rate() {
  awk -F, -v o="$1" '$2 == o && $(NF-5) ~ /^loaded\./ { m += $(NF-4); t = $(NF-3) }
    END { printf "%.6f\n", t ? 1000 * m / t : 0 }' "$T/report.csv"
}
e=$(rate outlet_e) a=$(rate outlet_a) d=$(rate outlet_d)
echo "author-voice loaded.* per 1k words: outlet_e=$e outlet_a=$a outlet_d=$d"
check "outlet_e > outlet_a" awk -v x="$e" -v y="$a" 'BEGIN { exit !(x > y) }'
check "outlet_e > outlet_d" awk -v x="$e" -v y="$d" 'BEGIN { exit !(x > y) }'
# "nonsense" in outlet_a: every occurrence is quoted speech
check "outlet_a nonsense quoted" grep -q ',outlet_a,.*,quote,loaded\.[a-z]*,[^,]*,nonsense,' "$T/matches.csv"
check "outlet_a nonsense never author" test -z "$(grep ',outlet_a,.*,author,loaded\.[a-z]*,[^,]*,nonsense,' "$T/matches.csv")"
# ---- the scores and the entries behind them (report --scores) ----
"$BIN" report --manifest "$SEEDS/manifest.csv" --scores "$T/s.csv" -o "$T/r.txt"
check "scores ran" test $? -eq 0
score() { awk -F, -v o="$1" '$1 == "outlet" && $3 == o { print $6 }' "$T/s.csv"; }
top() { awk -F, -v o="$1" '$1 == "outlet" && $3 == o' "$T/s.csv"; }
gt() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x > y) }'; }
for framer in outlet_e outlet_b; do
  for reporter in outlet_a outlet_c outlet_d; do
    check "$framer frames more than $reporter" gt "$(score $framer)" "$(score $reporter)"
  done
done
check "outlet_e: driven by Russian dictator" grep -q 'russian dictator \[label' <(top outlet_e)
check "outlet_e: driven by raved" grep -q '=raved \[attribution.pejorative\]' <(top outlet_e)
check "outlet_b: driven by Kiev regime" grep -q 'kiev regime \[label' <(top outlet_b)
check "outlet_b: driven by boasted" grep -q '=boasted \[attribution.pejorative\]' <(top outlet_b)
# outlet_c: "terrorist" and "massacre" are found, marked event, and weigh
# nothing in its absolute score
check "outlet_c: terrorist is event vocabulary" \
  grep -q ',outlet_c,.*,author,label.pejorative,terrorist,terrorist,0.0000,.*,1$' "$T/matches.csv"
check "outlet_c: no event entry in absolute top" \
  test -z "$(top outlet_c | cut -d, -f8 | grep -E 'terrorist|massacre')"
# attributed quotes are the speaker's, not the outlet's scare quotes:
# "accused Washington of "blackmail"" (outlet_d), "as Watson put it" (outlet_e)
check "outlet_d: no scare quotes" test -z "$(grep ',outlet_d,.*,scare_quote,' "$T/matches.csv")"
check "outlet_e: no scare quotes" test -z "$(grep ',outlet_e,.*,scare_quote,' "$T/matches.csv")"
check "outlet_a: propaganda quoted" grep -q ',outlet_a,.*,quote,loaded\.[a-z]*,[^,]*,propaganda,' "$T/matches.csv"
echo "$pass passed, $fail failed"
test $fail -eq 0
