#!/usr/bin/env bash
# story_test.sh BIN DATA - story-relative framing on the invented story of
# tests/data/story (three outlets, one attack): every outlet says
# "terrorist", "attack" and "massacre" at about the same rate, one also
# writes "Kiev regime" and "raved". The distinctive score goes to that
# outlet only, event vocabulary weighs 0 in the absolute score, and
# --exclude switches an entry off.
set -u
BIN=$1
DATA=$2
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
gt() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x > y) }'; }
"$BIN" report --manifest "$DATA/story/manifest.csv" --scores "$T/s.csv" \
  --matches "$T/m.csv" -o "$T/r.txt"
check "report ran" test $? -eq 0
# outlet,distinctive from the outlet rows
dist() { awk -F, -v o="$1" '$1 == "outlet" && $3 == o { print $7 }' "$T/s.csv"; }
abs() { awk -F, -v o="$1" '$1 == "outlet" && $3 == o { print $6 }' "$T/s.csv"; }
c=$(dist herald_c) a=$(dist wire_a) b=$(dist wire_b)
echo "distinctive per 1k: herald_c=$c wire_a=$a wire_b=$b"
check "herald_c distinctive > 40" gt "$c" 40
check "wire_a distinctive < 2" gt 2 "$a"
check "wire_b distinctive < 2" gt 2 "$b"
check "herald_c ranked first" test "$(awk -F, '$1 == "outlet" { print $3; exit }' "$T/s.csv")" = herald_c
check "herald_c driven by kiev regime and raved" \
  grep -q '^outlet,,herald_c,.*kiev regime \[label.naming\].*=raved \[attribution.pejorative\]' "$T/s.csv"
# the story's words are found and marked, but weigh nothing in absolute terms
check "terrorist matched as event" grep -q ',terrorist,terrorist,0\.0000,0,,,1$' "$T/m.csv"
check "wire_a absolute 0" test "$(abs wire_a)" = 0.0000
check "event shown in text" grep -q 'EVT' "$T/r.txt"
check "one document per row" test "$(grep -c '^document,' "$T/s.csv")" -eq 6
# one outlet: no rest of the corpus, the distinctive score is absent
"$BIN" report "$DATA/story/herald_c/1.txt" --scores "$T/one.csv" -o "$T/one.txt"
check "single outlet: empty distinctive" grep -q '^document,.*,[0-9.]*,,$' "$T/one.csv"
check "single outlet: says so" grep -q 'one outlet only' "$T/one.txt"
# JSONL form
"$BIN" report --manifest "$DATA/story/manifest.csv" --scores "$T/s.jsonl" -o /dev/null
check "scores jsonl" grep -q '"level":"outlet","file":null,"outlet":"herald_c"' "$T/s.jsonl"
# dimensions both ways: the absolute value is the framing model's own
"$BIN" report --manifest "$DATA/story/manifest.csv" --dimensions "$T/d.csv" \
  --scores "$T/sd.csv" --format csv -o /dev/null
col() { awk -F, -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i }
  NR > 1 && $2 ~ /herald_c\/1.txt$/ { print $k }' "$T/sd.csv"; }
dimv=$(awk -F, '$1 ~ /herald_c\/1.txt$/ && $3 == "labeling" { print $NF }' "$T/d.csv")
check "labeling absolute = the model's ($dimv)" test "$(col labeling)" = "$dimv"
check "labeling distinctive > 0" gt "$(col labeling_distinctive)" 0
# HTML: the outlet table with both scores and what drives them
"$BIN" report --manifest "$DATA/story/manifest.csv" --format html -o "$T/r.html"
check "html distinct section" grep -q '<section id="distinct">' "$T/r.html"
check "html herald_c first" grep -q 'driven by</th></tr>.<tr><td class="l">herald_c</td>' <(tr '\n' '.' < "$T/r.html")
# --exclude: "kiev regime" off, the herald's score drops; unknown pattern refused
"$BIN" report --manifest "$DATA/story/manifest.csv" --exclude 'kiev regime' \
  --scores "$T/x.csv" -o /dev/null
check "exclude lowers the score" gt "$c" "$(awk -F, '$1 == "outlet" && $3 == "herald_c" { print $7 }' "$T/x.csv")"
"$BIN" report --manifest "$DATA/story/manifest.csv" --exclude 'no such entry' \
  -o /dev/null 2> "$T/err"
check "exclude unknown: status 1" test $? -eq 1
check "exclude unknown: message" grep -q 'no lexicon entry has this pattern' "$T/err"
# a lexicon flag other than event is an error with its place
printf 'word\tloaded.x\t1 evnt\n' > "$T/bad.tsv"
"$BIN" lexicon check "$T/bad.tsv" > /dev/null 2> "$T/err"
check "unknown flag refused" grep -q 'bad.tsv:1:.*unknown flag .evnt.' "$T/err"
# with a context model the distinctive score weighs each match by its
# probability, as the absolute score does: entries only herald_c uses, prior
# 0, so every factor is 1 and the two scores agree with or without the model
printf 'kiev regime\tlabel.naming\t1\nraved\tattribution.pejorative\t1.5\n' > "$T/own.tsv"
both() { awk -F, '$1 == "outlet" && $3 == "herald_c" { print $6, $7 }' "$1"; }
for cm in none default; do
  "$BIN" report --no-default-lexicons --lexicon "$T/own.tsv" --context-model $cm \
    --distinct-prior 0 --manifest "$DATA/story/manifest.csv" --scores "$T/cm_$cm.csv" -o /dev/null
  read -r a d <<< "$(both "$T/cm_$cm.csv")"
  check "context $cm: distinctive ($d) = absolute ($a)" test "$a" = "$d"
done
check "context model lowers both" gt "$(both "$T/cm_none.csv" | cut -d' ' -f1)" \
  "$(both "$T/cm_default.csv" | cut -d' ' -f1)"
echo "$pass passed, $fail failed"
test $fail -eq 0
