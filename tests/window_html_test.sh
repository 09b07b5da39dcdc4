#!/usr/bin/env bash
# window_html_test.sh BIN - the html report, compare and terms' html page
# with --window-bytes: documents read in windows give the output of the same
# documents read whole, byte for byte: report --format html (the annotated
# articles with their marks, quotations and scare quotes, the document table,
# charts, keyness, distinctive scores; --matches and --dimensions beside it)
# with every article shown, a few, or one, with and without a context model;
# compare in every format with --save-counts; terms --format html (the hits
# of the terms shown, with their context across a cut); on one thread and
# three, for long generated documents (written here) with quotations that
# continue across paragraphs, multi-byte UTF-8 and bad bytes near the cuts,
# CRLF, one paragraph per line and hard-wrapped text. The html report's and
# compare's memory with windows stays the window's.
set -u
BIN=$1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

# gen STYLE SEED PARAS: a document; STYLE blank (paragraphs between blank
# lines), lines (a paragraph per line), wrapped (hard-wrapped lines,
# paragraphs between blank lines)
gen() {
  awk -v style="$1" -v seed="$2" -v paras="$3" 'BEGIN {
    srand(seed)
    p[0] = "The regime claimed the report was nonsense and a disgrace."
    p[1] = "\"It is an utterly shameful catastrophe,\" the minister insisted."
    p[2] = "Critics called the plan a \"reform\" of sorts, so-called experts agreed."
    p[3] = "The so-called '\''rogue'\'' states were not mentioned; it'\''s absurd, they said."
    p[4] = "In the '\''90s the caf\303\251 in Z\303\274rich was na\303\257ve about thugs."
    p[5] = "Officials \342\200\224 and their \302\253friends\302\273 \342\200\224 raved about it."
    p[6] = "A bad byte \377 here and \303( there did not stop the propaganda."
    p[7] = "Emoji \360\237\230\200 and \346\235\261\344\272\254 appear; the junta boasted so."
    p[8] = "They said \342\200\230not true\342\200\231 and \342\200\234very shameful\342\200\235 at once."
    p[9] = "Numbers like 3.5 and 1,200 and U.S. abbreviations allegedly end here."
    for (i = 0; i < paras; i++) {
      k = 1 + int(rand() * 4); kind = int(rand() * 6); line = ""
      if (kind == 0) line = "\"The regime is very shameful, and it goes on,"
      else if (kind == 1) line = "\342\200\234Thugs, she claimed, ruined everything"
      for (j = 0; j < k; j++) {
        line = line (line == "" ? "" : " ") p[int(rand() * 10)]
        if (style == "wrapped" && j + 1 < k) line = line " And then\n"
      }
      printf "%s\n", line
      if (style != "lines") printf "\n"
      if (rand() < 0.2) printf "  "
    }
  }'
}

mkdir -p "$T/c/a" "$T/c/b"
gen blank 1 400 > "$T/c/a/blank.txt"
gen blank 2 300 | sed 's/$/\r/' > "$T/c/a/crlf.txt"
gen lines 3 400 > "$T/c/b/lines.txt"
gen wrapped 4 300 > "$T/c/b/wrapped.txt"
printf 'A short one: the regime claimed "nonsense".\n' > "$T/c/b/short.txt"
check "generated documents are long" \
  test "$(wc -c < "$T/c/a/blank.txt")" -gt 40000

# run NAME WINDOW THREADS COMMAND [OPTIONS...]: output, exit status and
# messages into $T/NAME.WINDOW.THREADS
run() {
  local name=$1 w=$2 t=$3
  shift 3
  "$BIN" "$@" --window-bytes "$w" --threads "$t" "$T/c" > "$T/out" 2> "$T/err"
  echo "rc=$?" >> "$T/out"
  cat "$T/err" >> "$T/out"
  for f in m.csv d.csv s.csv; do [ -f "$T/$f" ] && cat "$T/$f" >> "$T/out"; done
  rm -f "$T/m.csv" "$T/d.csv" "$T/s.csv"
  mv "$T/out" "$T/$name.$w.$t"
}
same_as_whole() { # NAME COMMAND [OPTIONS...]
  local name=$1
  shift
  run "$name" 0 1 "$@"
  for w in 1 700 9000; do
    for t in 1 3; do
      run "$name" $w $t "$@"
      check "$name: windows of $w bytes, $t threads = whole" \
        cmp -s "$T/$name.0.1" "$T/$name.$w.$t"
    done
  done
}

# the html report: every article, a few, one (the others in the table)
for docs in 0 2 1; do
  same_as_whole "html$docs" report --format html --html-docs "$docs" \
    --matches "$T/m.csv" --dimensions "$T/d.csv" --scores "$T/s.csv"
done
check "html: articles annotated" \
  test "$(grep -c '<mark class=' "$T/html0.0.1")" -gt 1000
check "html: quoted speech and scare quotes set apart" \
  grep -q '<span class="sq"' "$T/html0.0.1"
check "html: one article shown of five" \
  test "$(grep -c '<article class="doc"' "$T/html1.0.1")" -eq 1
same_as_whole htmlcm report --format html --html-docs 3 \
  --context-model default --voice author

# compare, every format, and its counts
for f in text csv jsonl html; do
  same_as_whole "compare-$f" compare --format "$f" --seed 3 --bootstrap 300 \
    --save-counts "$T/s.csv"
done
check "compare: distinctive_score compared" \
  grep -q distinctive_score "$T/compare-csv.0.1"

# terms --format html: the hits of the terms shown, their context across a
# cut (with windows of 1 byte, each paragraph is one)
for opt in "" "--surface" "--pair a b" "--voice all"; do
  same_as_whole "terms${opt// /}" terms --format html $opt
done
check "terms html: hits with their context" \
  test "$(grep -c '&hellip;\|…' "$T/terms.0.1")" -gt 10
mkdir -p "$T/tiny/a" "$T/tiny/b"
printf 'Alpha beta gamma delta epsilon zeta eta theta iota kappa.\n\nZorgon the regime met.\n\nNu xi zorgon pi rho sigma tau upsilon phi chi psi omega and more.\n' \
  > "$T/tiny/a/x.txt"
printf 'Other words entirely about markets.\n\nThe markets rose.\n' > "$T/tiny/b/y.txt"
"$BIN" terms --format html --window-bytes 0 "$T/tiny" > "$T/tiny.0"
"$BIN" terms --format html --window-bytes 1 "$T/tiny" > "$T/tiny.1"
check "terms html: a context across two cuts = whole" cmp -s "$T/tiny.0" "$T/tiny.1"
check "terms html: the context reaches into the paragraphs around" \
  grep -q 'kappa\.&#10;&#10;<b>Zorgon</b> the regime met\.&#10;&#10;Nu xi zorgon' "$T/tiny.1"

# memory: a document of 6 MB read in windows peaks far below what reading
# it whole takes (about 8 times its size), with the same output
if [ -x /usr/bin/time ]; then
  mkdir -p "$T/big/x" "$T/big/y"
  for i in $(seq 1 90); do cat "$T/c/a/blank.txt"; done > "$T/big/x/one.txt"
  cp "$T/c/b/lines.txt" "$T/big/y/two.txt"
  rss() { # NAME WINDOW COMMAND...: peak RSS in KB over the big corpus
    local name=$1 w=$2
    shift 2
    /usr/bin/time -f '%M' -o "$T/rss" "$BIN" "$@" --window-bytes "$w" \
      --threads 1 "$T/big" > "$T/big.$name.$w" 2> /dev/null
    cat "$T/rss"
  }
  for cmd in "report --format html --html-docs 1" "compare --format csv" \
    "terms --format html"; do
    name=${cmd%% *}
    whole_kb=$(rss "$name" 0 $cmd)
    win_kb=$(rss "$name" 65536 $cmd)
    echo "$cmd, a 6 MB document: peak RSS $whole_kb KB whole, $win_kb KB in windows"
    check "$name big: windows = whole" cmp -s "$T/big.$name.0" "$T/big.$name.65536"
    check "$name big: windows peak at under half the memory ($win_kb KB, whole $whole_kb KB)" \
      test "$((win_kb * 2))" -lt "$whole_kb"
  done
else
  echo "skip: /usr/bin/time (GNU time) is missing: memory not checked"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
