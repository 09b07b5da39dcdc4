#!/usr/bin/env bash
# quote_weight_test.sh BIN - --quote-weight W: the headline loaded_score
# counts quoted speech at W of its matches and of its words, the author's
# own voice at 1. An invented document whose score is worked out by hand for
# W = 0, 0.5 (the default) and 1, the same in report, windowed reading, a
# context model, compare, count -> compare --counts; counts files made with
# other weights do not merge, and an older counts file states its meaning.
set -u
BIN=$1
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
printf 'grim\tloaded.emotive\t2\nraved\tattribution.pejorative\t1.5\n' > "$T/lex.tsv"
mkdir -p "$T/c/herald" "$T/c/wire"
# herald: 15 author-voice words with "grim" (2) and "raved" (1.5); a quotation
# of 9 words with "grim" twice (2 + 2)
cat > "$T/c/herald/1.txt" <<'TXT'
The grim report came out on Monday. The minister raved about it.
"It is a grim day and a grim hour," the mayor said.
TXT
# wire: 14 author-voice words and 9 quoted words, no match
cat > "$T/c/wire/1.txt" <<'TXT'
The report came out on Monday. The minister spoke about it.
"It is a day and an hour for calm," the mayor said.
TXT
opts=(--no-default-lexicons --lexicon "$T/lex.tsv" --model none)
field() { grep -o "\"$1\":[0-9.]*" "$2" | head -1 | cut -d: -f2; }

# by hand: W = 0: 1000 * 3.5 / 15 = 233.3333
#          W = 0.5: 1000 * (3.5 + 0.5 * 4) / (15 + 0.5 * 9) = 282.0513
#          W = 1: 1000 * (3.5 + 4) / (15 + 9) = 312.5000
#          W = 0.25: 1000 * (3.5 + 1) / (15 + 2.25) = 260.8696
for pair in 0:233.3333 0.5:282.0513 1:312.5000 0.25:260.8696; do
  w=${pair%%:*} want=${pair#*:}
  "$BIN" report "${opts[@]}" --quote-weight "$w" "$T/c/herald/1.txt" --format jsonl \
    -o "$T/r$w.jsonl"
  check "report --quote-weight $w: $(field loaded_score "$T/r$w.jsonl"), want $want" \
    test "$(field loaded_score "$T/r$w.jsonl")" = "$want"
done
check "author and quoted words as counted by hand" \
  test "$(field author_words "$T/r0.jsonl") $(field quote_words "$T/r0.jsonl")" = "15 9"
"$BIN" report "${opts[@]}" "$T/c/herald/1.txt" --format jsonl -o "$T/rdef.jsonl"
check "the default is 0.5" test "$(field loaded_score "$T/rdef.jsonl")" = 282.0513
# the text report says how the headline counts
"$BIN" report "${opts[@]}" "$T/c/herald/1.txt" --color never -o "$T/r.txt"
check "text report states the weight" grep -q "quoted speech at 0.5" "$T/r.txt"

# bad values are usage errors
for bad in -0.1 1.5 abc ''; do
  "$BIN" report "${opts[@]}" --quote-weight "$bad" "$T/c/herald/1.txt" -o /dev/null \
    2> "$T/err"
  check "--quote-weight '$bad' refused (exit 2)" test $? -eq 2
  check "--quote-weight '$bad': says the range" grep -q "from 0 to 1" "$T/err"
done
"$BIN" terms "${opts[@]}" --quote-weight 0 "$T/c" -o /dev/null 2> /dev/null
check "terms makes no loaded_score: option refused" test $? -eq 2

# windows (about one sentence each) sum to the whole document exactly
for w in 0 0.5 1; do
  "$BIN" report "${opts[@]}" --quote-weight "$w" "$T/c/herald/1.txt" --format jsonl \
    --window-bytes 40 -o "$T/w$w.jsonl"
  check "windowed = whole at W=$w" \
    test "$(field loaded_score "$T/w$w.jsonl")" = "$(field loaded_score "$T/r$w.jsonl")"
done

# a context model weighs each match by its probability: the score is the
# listed (weight x probability) sums, quoted ones at W, over 15 + W * 9 words
# (the listed weights have 4 decimals: within 0.02)
for w in 0 0.5 1; do
  "$BIN" report "${opts[@]}" --quote-weight "$w" --context-model default \
    "$T/c/herald/1.txt" --format jsonl --matches "$T/m$w.csv" -o "$T/ctx$w.jsonl"
  want=$(awk -F, -v w="$w" 'NR > 1 { if ($10 == "author") a += $14; else q += $14 }
    END { printf "%.4f", 1000 * (a + w * q) / (15 + w * 9) }' "$T/m$w.csv")
  got=$(field loaded_score "$T/ctx$w.jsonl")
  check "context model, W=$w: $got, want $want (within rounding)" \
    awk -v a="$got" -v b="$want" 'BEGIN { d = a - b; exit !(d < 0.02 && d > -0.02) }'
done

# the outlet table: absolute is the headline pooled over the outlet's
# documents; the distinctive score and the entries behind both count the
# own voice (with prior 0, herald's entries are its own: 233.3333)
"$BIN" report "${opts[@]}" "$T/c" --distinct-prior 0 --scores "$T/s.csv" -o /dev/null
sc() { awk -F, -v l="$1" -v o="$2" '$1 == l && $3 == o { print $6, $7 }' "$T/$3"; }
check "scores: herald's document, headline and own-voice distinctive ($(sc document herald s.csv))" \
  test "$(sc document herald s.csv)" = "282.0513 233.3333"
check "scores: herald's outlet absolute = its document's ($(sc outlet herald s.csv))" \
  test "$(sc outlet herald s.csv)" = "282.0513 233.3333"
"$BIN" report "${opts[@]}" "$T/c" --distinct-prior 0 --scores "$T/sw.csv" --window-bytes 40 \
  -o /dev/null
check "scores: windowed reading gives the same bytes" cmp -s "$T/s.csv" "$T/sw.csv"
"$BIN" report "${opts[@]}" --quote-weight 0 "$T/c" --distinct-prior 0 --scores "$T/s0.csv" \
  -o /dev/null
check "scores at W=0: absolute = distinctive, the own voice ($(sc outlet herald s0.csv))" \
  test "$(sc outlet herald s0.csv)" = "233.3333 233.3333"

# compare: the loaded_score measure is the headline (its denominator the
# weighted words), the categories keep the author's voice
"$BIN" compare "${opts[@]}" "$T/c" --format csv -o "$T/cmp.csv"
row() { awk -F, -v m="$1" -v o="$2" '$1 == m && $4 == o { print $8, $10, $12 }' "$3"; }
check "compare: herald loaded_score 5.5 over 19.5 words ($(row loaded_score herald "$T/cmp.csv"))" \
  test "$(row loaded_score herald "$T/cmp.csv")" = "19.5 5.5 282.0512821"
check "compare: wire's words 14 + 0.5 x 9 ($(row loaded_score wire "$T/cmp.csv"))" \
  test "$(row loaded_score wire "$T/cmp.csv")" = "18.5 0 0"
check "compare: a category keeps the author's voice ($(row loaded.emotive herald "$T/cmp.csv"))" \
  test "$(row loaded.emotive herald "$T/cmp.csv")" = "15 1 66.66666667"
"$BIN" compare "${opts[@]}" --quote-weight 0 "$T/c" --format csv -o "$T/cmp0.csv"
check "compare --quote-weight 0: the own voice ($(row loaded_score herald "$T/cmp0.csv"))" \
  test "$(row loaded_score herald "$T/cmp0.csv")" = "15 3.5 233.3333333"
"$BIN" compare "${opts[@]}" "$T/c" -o "$T/cmp.txt"
check "compare text states the weight" grep -q "quoted speech" "$T/cmp.txt"
check "compare text: at 0.5" grep -q "at 0.5 of its matches and words" "$T/cmp.txt"

# count -> compare --counts: the same statistics, the weight kept in the file
"$BIN" count "${opts[@]}" "$T/c" -o "$T/c.fsc"
check "count ran" test $? -eq 0
"$BIN" compare --counts "$T/c.fsc" --format csv -o "$T/fromfsc.csv"
check "compare --counts = compare on the texts" cmp -s "$T/cmp.csv" "$T/fromfsc.csv"
"$BIN" count "${opts[@]}" --quote-weight 1 "$T/c/wire" -o "$T/w1.fsc"
"$BIN" count "${opts[@]}" "$T/c/herald" -o "$T/h.fsc"
"$BIN" merge "$T/w1.fsc" "$T/h.fsc" -o "$T/m.fsc" 2> "$T/err"
check "counts with other weights do not merge" test $? -eq 1
check "merge says which weights" grep -q -- "--quote-weight 0.5, not 1" "$T/err"
"$BIN" compare --counts "$T/w1.fsc" -o "$T/w1.txt" 2> /dev/null
check "compare --counts states the file's weight" grep -q "at 1 of its matches" "$T/w1.txt"
# --save-counts csv: the score's denominator is its own column, read back
"$BIN" compare "${opts[@]}" "$T/c" --save-counts "$T/saved.csv" -o /dev/null
check "saved counts: the score's den is the weighted words" \
  grep -q 'herald,author,loaded_score,score,1000,0,15,5.5,19.5$' "$T/saved.csv"
"$BIN" compare --counts "$T/saved.csv" --format csv -o "$T/fromcsv.csv"
check "compare --counts saved.csv = compare on the texts" cmp -s "$T/cmp.csv" "$T/fromcsv.csv"

# a counts file of format 2 (before --quote-weight): read with its meaning
"$BIN" compare --counts "$HERE/data/story_format2.fsc" --quiet -o "$T/old.txt"
check "format 2 still read" test $? -eq 0
check "format 2: loaded_score is the own voice only, and says so" \
  grep -q "at 0 of its matches and words (--quote-weight): the own voice only" "$T/old.txt"

echo "quote_weight: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
