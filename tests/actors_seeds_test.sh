#!/usr/bin/env bash
# actors_seeds_test.sh BIN SRCDIR SEEDS_DIR - on the five real seed articles
# (not part of the project; skipped when absent), with the example actors file
# models/actors/crocus.actors: per outlet, who is described as claiming,
# raving or saying.
set -u
BIN=$1
SRC=$2
SEEDS=$3
if [ ! -f "$SEEDS/manifest.csv" ]; then
  echo "skipped: no seed corpus at $SEEDS"
  exit 77
fi
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
"$BIN" actors --actors "$SRC/models/actors/crocus.actors" \
  --manifest "$SEEDS/manifest.csv" --matches "$T/who.csv" -o "$T/actors.txt"
check "actors ran" test $? -eq 0
"$BIN" actors --actors "$SRC/models/actors/crocus.actors" \
  --manifest "$SEEDS/manifest.csv" --format csv -o "$T/actors.csv"
check "actors csv ran" test $? -eq 0
# who.csv: file,outlet,line,col,char_start,char_end,sentence,voice,category,
#          verb,actor,side,resolution,actor_line,actor_col,actor_text
said() { # outlet actor verb category: that outlet writes "<actor> <verb>"
  awk -F, -v o="$1" -v a="$2" -v v="$3" -v c="$4" \
    '$2 == o && $11 == a && tolower($10) == v && $9 == c { f = 1 }
     END { exit !f }' "$T/who.csv"
}
never() { # outlet actor category: no attribution of that stance
  awk -F, -v o="$1" -v a="$2" -v c="$3" \
    '$2 == o && $11 == a && $9 == c { f = 1 } END { exit f }' "$T/who.csv"
}
# outlet_e: the AP-credited opinionated report
check "outlet_e: Patrushev raved" said outlet_e patrushev raved attribution.pejorative
check "outlet_e: Patrushev claimed" said outlet_e patrushev claimed attribution.doubt
check "outlet_e: Putin grudgingly admitted" said outlet_e putin "grudgingly admitted" attribution.concession
check "outlet_e: Russian officials stammered" said outlet_e russian_officials stammered attribution.pejorative
# outlet_b: the Sputnik report
check "outlet_b: Kirby claimed" said outlet_b kirby claimed attribution.doubt
check "outlet_b: Miller assured" said outlet_b miller assured attribution.doubt
check "outlet_b: Macron boasted" said outlet_b macron boasted attribution.pejorative
# outlet_a: the wire report says "said" and nothing stronger of Kirby
check "outlet_a: Kirby said" said outlet_a kirby said attribution.neutral
check "outlet_a: Kirby never claimed" never outlet_a kirby attribution.doubt
check "outlet_a: Kirby never raved" never outlet_a kirby attribution.pejorative
# "he added" after Kirby's quotation resolves to Kirby through the pronoun
check "outlet_a: he added = Kirby" awk -F, '$2 == "outlet_a" && $10 == "added" && $11 == "kirby" && $13 == "pronoun" { f = 1 } END { exit !f }' "$T/who.csv"
# the readable report names the verbs per outlet and actor
check "text lists outlet_e" grep -q "^== outlet_e" "$T/actors.txt"
check "text lists raved" grep -q "pejorative  *raved 1" "$T/actors.txt"
# tidy rows: the us side in outlet_b has a doubt share
check "csv side rows" grep -q "^outlet_b,side,,us,attribution,attribution.doubt," "$T/actors.csv"
echo "per outlet (actor verb stance):"
awk -F, 'NR > 1 && $11 != "" { printf "  %s: %s %s (%s)\n", $2, $11, tolower($10), $9 }' "$T/who.csv" | sort -u
echo "$pass passed, $fail failed"
test $fail -eq 0
