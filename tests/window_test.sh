#!/usr/bin/env bash
# window_test.sh BIN - report --window-bytes: documents read in windows give
# the output of the same documents read whole, byte for byte: csv, --wide,
# jsonl (matches with line, col and code-point offsets), --matches rows
# (byte and code-point offsets), --dimensions and --scores, on one thread
# and two, for long generated documents (written here) with quotations
# that continue across paragraphs, multi-byte UTF-8 and bad bytes near the
# cuts, CRLF, one paragraph per line and hard-wrapped text; a model of
# documents with shape: or context: features gives the whole's dimensions;
# and a long binary file is refused as when read whole. The same for kwic (every
# format; lexicon hits and one-word patterns read in windows, longer ones
# whole), whose memory with windows stays the window's.
set -u
BIN=$1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/window_lib.sh
. "$(dirname "$0")/window_lib.sh"

news_corpus

SIDES="m.csv d.csv s.csv"
report() { # NAME WINDOW THREADS FORMAT [OPTIONS...]: windowed report
  local name=$1 w=$2 t=$3 f=$4
  shift 4
  windowed "$name" "$w" "$t" report --format "$f" --matches "$T/m.csv" \
    --dimensions "$T/d.csv" --scores "$T/s.csv" "$@"
}
for f in csv jsonl wide; do
  opt=
  fmt=$f
  [ "$f" = wide ] && fmt=csv opt=--wide
  same_as_whole "$f" "1 700 9000" "1 2" report --format "$fmt" \
    --matches "$T/m.csv" --dimensions "$T/d.csv" --scores "$T/s.csv" $opt
  check "$f: whole run has matches" \
    test "$(grep -c ',loaded\.' "$T/$f.0.1")" -gt 1000
done
check "jsonl matches carry code-point offsets" \
  grep -q '"char_start":' "$T/jsonl.1.1"

# a model of documents whose features read the text's tokens or matches
# (shape:, context:) is not scored from the windows' totals, which have
# neither: its dimensions are the whole's
printf 'framescore-model 1\ndimension shapey\n kind logistic\n unit document\n intercept -1\n weight loaded.* 0.5\n weight shape:question 2\n weight shape:words 0.3\n' \
  > "$T/shape.model"
printf 'framescore-model 1\ndimension ctx\n kind logistic\n unit document\n intercept -1\n context intercept 0\n context threshold 0.3\n weight context:sum 0.2\n weight context:max 1\n' \
  > "$T/ctx.model"
for mdl in shape ctx; do
  report "$mdl" 0 1 csv --model "$T/$mdl.model"
  report "$mdl" 700 2 csv --model "$T/$mdl.model"
  check "$mdl: document model, windows of 700 bytes = whole" \
    cmp -s "$T/$mdl.0.1" "$T/$mdl.700.2"
done

# the warnings of bad bytes come as for a document read whole
check "bad bytes are reported" grep -q 'invalid UTF-8' "$T/csv.1.1"

# a long binary file: refused with the same message, the rest reported
awk 'BEGIN { for (i = 0; i < 30000; i++) printf "%c", 1 + i % 7 }' \
  > "$T/c/a/binary.txt"
report binary 0 1 csv
report binary 1000 1 csv
check "binary: windows = whole" cmp -s "$T/binary.0.1" "$T/binary.1000.1"
check "binary: refused" grep -q 'binary.txt: looks like a binary file' \
  "$T/binary.1000.1"
check "binary: exit status 1" grep -q '^rc=1$' "$T/binary.1000.1"
# text first, binary within the first 64 KiB: refused whatever the window
rm "$T/c/a/binary.txt"
{ news_doc blank 5 10 | head -c 2000
  awk 'BEGIN { for (i = 0; i < 30000; i++) printf "%c", 1 + i % 7 }'
} > "$T/c/a/late.txt"
report late 0 1 csv
report late 500 1 csv
check "binary after text: windows = whole" \
  cmp -s "$T/late.0.1" "$T/late.500.1"
check "binary after text: refused" \
  grep -q 'late.txt: looks like a binary file' "$T/late.500.1"

# kwic: the hits of documents read in windows = read whole, byte for byte
# (line, col, byte and code-point offsets, contexts), in every format, on
# one, two and three threads; a pattern of several words reads documents
# whole
rm "$T/c/a/late.txt"
SIDES=
for pat in "--category loaded" "--window 3 regime" "junta*" "very shameful"; do
  for f in text csv html; do
    same_as_whole "kwic $pat $f" "1 700 9000" "1 2 3" kwic --format "$f" $pat
    check "kwic $pat $f: whole run has hits" \
      test "$(grep -cE 'regime|junta|shameful' "$T/kwic $pat $f.0.1")" -gt 20
  done
done
check "kwic: bad bytes are reported" \
  grep -q 'invalid UTF-8' "$T/kwic very shameful html.9000.3"
awk 'BEGIN { for (i = 0; i < 30000; i++) printf "%c", 1 + i % 7 }' \
  > "$T/c/a/binary.txt"
windowed kwicbin 0 1 kwic --format csv --category loaded
windowed kwicbin 1000 2 kwic --format csv --category loaded
check "kwic binary: windows = whole" \
  cmp -s "$T/kwicbin.0.1" "$T/kwicbin.1000.2"
check "kwic binary: refused" grep -q 'binary.txt: looks like a binary file' \
  "$T/kwicbin.1000.2"
rm "$T/c/a/binary.txt"

# kwic's memory is the window's: a document of 12 MB peaks far below what
# reading it whole takes (about 8 times its size)
if [ -x /usr/bin/time ]; then
  mkdir -p "$T/big"
  for i in 1 2 3 4 5 6 7 8 9 10; do cat "$T/c/a/blank.txt"; done \
    > "$T/big/part.txt"
  for i in 1 2 3 4 5 6 7 8 9 10 11 12; do cat "$T/big/part.txt"; done \
    > "$T/big/one.txt"
  rm "$T/big/part.txt"
  whole_kb=$(peak_kb "$T/kout.0" kwic --window-bytes 0 --threads 1 \
    --format csv --category loaded "$T/big")
  win_kb=$(peak_kb "$T/kout.65536" kwic --window-bytes 65536 --threads 1 \
    --format csv --category loaded "$T/big")
  echo "kwic, a 12 MB document: peak RSS $whole_kb KB whole, $win_kb KB in windows"
  check "kwic big: windows = whole" cmp -s "$T/kout.0" "$T/kout.65536"
  check "kwic big: windows peak at under half the memory ($win_kb KB, whole $whole_kb KB)" \
    test "$((win_kb * 2))" -lt "$whole_kb"
else
  echo "skip: /usr/bin/time (GNU time) is missing: kwic memory not checked"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
