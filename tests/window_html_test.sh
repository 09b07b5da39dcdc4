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
# shellcheck source=tests/window_lib.sh
. "$(dirname "$0")/window_lib.sh"

news_corpus
SIDES="m.csv d.csv s.csv"
html_same() { # NAME COMMAND [OPTIONS...]: windows of 1, 700 and 9000 bytes
  local name=$1
  shift
  same_as_whole "$name" "1 700 9000" "1 3" "$@"
}

# the html report: every article, a few, one (the others in the table)
for docs in 0 2 1; do
  html_same "html$docs" report --format html --html-docs "$docs" \
    --matches "$T/m.csv" --dimensions "$T/d.csv" --scores "$T/s.csv"
done
check "html: articles annotated" \
  test "$(grep -c '<mark class=' "$T/html0.0.1")" -gt 1000
check "html: quoted speech and scare quotes set apart" \
  grep -q '<span class="sq"' "$T/html0.0.1"
check "html: one article shown of five" \
  test "$(grep -c '<article class="doc"' "$T/html1.0.1")" -eq 1
html_same htmlcm report --format html --html-docs 3 \
  --context-model default --voice author

# compare, every format, and its counts
for f in text csv jsonl html; do
  html_same "compare-$f" compare --format "$f" --seed 3 --bootstrap 300 \
    --save-counts "$T/s.csv"
done
check "compare: distinctive_score compared" \
  grep -q distinctive_score "$T/compare-csv.0.1"

# terms --format html: the hits of the terms shown, their context across a
# cut (with windows of 1 byte, each paragraph is one)
for opt in "" "--surface" "--pair a b" "--voice all"; do
  html_same "terms${opt// /}" terms --format html $opt
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
  for cmd in "report --format html --html-docs 1" "compare --format csv" \
    "terms --format html"; do
    name=${cmd%% *}
    whole_kb=$(peak_kb "$T/big.$name.0" $cmd --window-bytes 0 --threads 1 \
      "$T/big")
    win_kb=$(peak_kb "$T/big.$name.65536" $cmd --window-bytes 65536 \
      --threads 1 "$T/big")
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
