#!/usr/bin/env bash
# naming_once_test.sh BIN - the lexicon flag "once" (a naming choice weighs
# once per document and voice): repeats of a flagged entry are matched and
# listed with weight 0, in the loaded-language score, --matches, windowed
# reading and the distinctive score alike; an entry without the flag counts
# every use.
set -u
BIN=$1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
printf 'kiev regime\tlabel.naming\t2 once\nraved\tattribution.pejorative\t1.5\n' > "$T/once.tsv"
printf 'kiev regime\tlabel.naming\t2\nraved\tattribution.pejorative\t1.5\n' > "$T/plain.tsv"
mkdir -p "$T/c/herald" "$T/c/wire"
cat > "$T/c/herald/1.txt" <<'TXT'
The Kiev regime sent more troops to the east on Monday, the ministry said.

Officials of the Kiev regime met foreign envoys later in the week. The
minister raved about the talks and raved again on television.

By Friday the Kiev regime had asked for more money. "The Kiev regime will
not last," a protester told reporters outside the building.
TXT
cat > "$T/c/wire/1.txt" <<'TXT'
The government in Kyiv sent more troops to the east on Monday, the ministry
said. Officials met foreign envoys later in the week and asked for money.
TXT
# the own voice only (--quote-weight 0), as the distinctive score counts it;
# the quoted name at the default weight is checked below
run() { "$BIN" report --no-default-lexicons --lexicon "$T/$1.tsv" --model none \
  --quote-weight 0 "${@:2}"; }
run once "$T/c/herald/1.txt" --format jsonl --matches "$T/m.csv" -o "$T/r.jsonl"
check "report ran" test $? -eq 0
# score = 1000 * (2 once + 1.5 * 2) / author words
read -r aw score <<< "$(/usr/bin/python3 -c 'import json,sys
d = json.load(open(sys.argv[1])); print(d["author_words"], d["loaded_score"])' "$T/r.jsonl")"
want=$(awk -v w="$aw" 'BEGIN { printf "%.4f", 1000 * 5 / w }')
check "loaded_score counts the name once ($score, want $want)" \
  test "$(printf '%.4f' "$score")" = "$want"
# at the default quote weight 0.5 the quoted name counts once, at half
"$BIN" report --no-default-lexicons --lexicon "$T/once.tsv" --model none \
  "$T/c/herald/1.txt" --format jsonl -o "$T/rq.jsonl"
read -r qw qscore <<< "$(/usr/bin/python3 -c 'import json,sys
d = json.load(open(sys.argv[1])); print(d["quote_words"], d["loaded_score"])' "$T/rq.jsonl")"
want=$(awk -v w="$aw" -v q="$qw" 'BEGIN { printf "%.4f", 1000 * (5 + 0.5 * 2) / (w + 0.5 * q) }')
check "quoted name once at half weight ($qscore, want $want)" \
  test "$(printf '%.4f' "$qscore")" = "$want"
w() { awk -F, -v v="$1" '$11 == "label.naming" && $10 == v { print $14 }' "$T/m.csv" | tr '\n' ' '; }
check "author matches listed, repeats weigh 0 ($(w author))" \
  test "$(w author)" = "2.0000 0.0000 0.0000 "
check "quoted speech is a voice of its own ($(w quote))" test "$(w quote)" = "2.0000 "
check "raved counts every use" \
  test "$(grep -c ',attribution.pejorative,raved,raved,1.5000,' "$T/m.csv")" -eq 2
# read in windows (one paragraph each): the same score and weights
run once "$T/c/herald/1.txt" --format jsonl --window-bytes 80 --matches "$T/mw.csv" \
  -o "$T/rw.jsonl"
check "windowed: same matches and weights" cmp -s "$T/m.csv" "$T/mw.csv"
check "windowed: same score" test "$(grep -o '"loaded_score":[0-9.]*' "$T/rw.jsonl")" = \
  "$(grep -o '"loaded_score":[0-9.]*' "$T/r.jsonl")"
# with a context model each match's weight is times its probability: a
# repeat stays 0, the first use is positive
run once "$T/c/herald/1.txt" --context-model default --matches "$T/mc.csv" -o /dev/null
check "context model: repeats stay 0 ($(awk -F, '$11 == "label.naming" && $10 == "author" { print $14 }' "$T/mc.csv" | tr '\n' ' '))" \
  test "$(awk -F, '$11 == "label.naming" && $10 == "author" { print ($14 > 0) }' "$T/mc.csv" | tr -d '\n')" = 100
# the counts of `count` give the same score when reported (report --counts)
"$BIN" count --no-default-lexicons --lexicon "$T/once.tsv" "$T/c/herald/1.txt" -o "$T/h.fsc" 2> /dev/null
check "count wrote its file" test -s "$T/h.fsc"
"$BIN" report --counts "$T/h.fsc" --format csv -o "$T/hc.csv"
check "counts: weight_sum of naming = 2 + 2 (author, quote)" \
  test "$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) k[$i] = i }
    NR > 1 && $k["category"] == "label.naming" { s += $k["weight_sum"] } END { print s + 0 }' "$T/hc.csv")" = 4
# without the flag every use counts: 1000 * (2 * 3 + 3) / author words
run plain "$T/c/herald/1.txt" --format jsonl -o "$T/p.jsonl"
want=$(awk -v w="$aw" 'BEGIN { printf "%.4f", 1000 * 9 / w }')
check "no flag: every use counts" test "$(/usr/bin/python3 -c 'import json,sys
print("%.4f" % json.load(open(sys.argv[1]))["loaded_score"])' "$T/p.jsonl")" = "$want"
# the distinctive score weighs the same evidence: with prior 0 and entries
# only herald uses, herald's distinctive score equals its absolute one
run once "$T/c" --distinct-prior 0 --scores "$T/s.csv" -o /dev/null
read -r a d <<< "$(awk -F, '$1 == "outlet" && $3 == "herald" { print $6, $7 }' "$T/s.csv")"
check "distinctive ($d) = absolute ($a)" test "$a" = "$d"
check "absolute = the document's score ($a)" test "$a" = "$(printf '%.4f' "$score")"
# many flagged names in one document (more than a small table holds): each
# weighs once per voice, whatever its neighbours; 300 names, each used three
# times by the author and twice in one quote: weight_sum 300 author, 300 quote
/usr/bin/python3 - "$T/many.tsv" "$T/many.txt" <<'PY'
import sys
names = ["zq" + a + b + c for a in "bcdfg" for b in "aeiou" for c in "klmnprstvxyz"][:300]
with open(sys.argv[1], "w") as f:
    for n in names:
        f.write("%s\tlabel.naming\t1 once\n" % n)
with open(sys.argv[2], "w") as f:
    for rep in range(3):
        f.write("The %s. " % ". The ".join(names) + "\n\n")
    f.write('He said: "The %s."\n' % ". The ".join(names + names))
PY
"$BIN" report --no-default-lexicons --lexicon "$T/many.tsv" --model none \
  "$T/many.txt" --format csv -o "$T/many.csv"
check "300 names: each weighs once per voice ($(awk -F, '$4 == "label.naming" { printf "%s:%s:%s ", $3, $5, $9 }' "$T/many.csv"))" \
  test "$(awk -F, '$4 == "label.naming" { printf "%s:%s:%s ", $3, $5, $9 }' "$T/many.csv")" = \
  "author:900:300.0000 quote:600:300.0000 "
# the flag is parsed like event; a misspelt one names the known flags
"$BIN" lexicon check "$T/once.tsv" > /dev/null
check "once accepted" test $? -eq 0
printf 'word\tlabel.naming\t1 onse\n' > "$T/bad.tsv"
"$BIN" lexicon check "$T/bad.tsv" > /dev/null 2> "$T/err"
check "unknown flag refused with the known ones" grep -q 'bad.tsv:1:.*known: event, once' "$T/err"
echo "$pass passed, $fail failed"
test $fail -eq 0
