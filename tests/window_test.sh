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

report() { # WINDOW THREADS FORMAT [OPTIONS...]
  local w=$1 t=$2 f=$3
  shift 3
  "$BIN" report --window-bytes "$w" --threads "$t" --format "$f" \
    --matches "$T/m.csv" --dimensions "$T/d.csv" --scores "$T/s.csv" "$@" \
    "$T/c" > "$T/out" 2> "$T/err"
  echo "rc=$?" >> "$T/out"
  cat "$T/m.csv" "$T/d.csv" "$T/s.csv" "$T/err" >> "$T/out"
  mv "$T/out" "$T/out.$w.$t.$f${1:-}"
}

for f in csv jsonl wide; do
  opt=
  fmt=$f
  [ "$f" = wide ] && fmt=csv opt=--wide
  report 0 1 "$fmt" $opt
  whole=$T/out.0.1.$fmt$opt
  check "$f: whole run has matches" test "$(wc -l < "$T/m.csv")" -gt 1000
  for w in 1 700 9000; do
    for t in 1 2; do
      report $w $t "$fmt" $opt
      check "$f: windows of $w bytes, $t threads = whole" \
        cmp -s "$whole" "$T/out.$w.$t.$fmt$opt"
    done
  done
done
check "jsonl matches carry code-point offsets" \
  grep -q '"char_start":' "$T/out.1.1.jsonl"

# a model of documents whose features read the text's tokens or matches
# (shape:, context:) is not scored from the windows' totals, which have
# neither: its dimensions are the whole's
printf 'framescore-model 1\ndimension shapey\n kind logistic\n unit document\n intercept -1\n weight loaded.* 0.5\n weight shape:question 2\n weight shape:words 0.3\n' \
  > "$T/shape.model"
printf 'framescore-model 1\ndimension ctx\n kind logistic\n unit document\n intercept -1\n context intercept 0\n context threshold 0.3\n weight context:sum 0.2\n weight context:max 1\n' \
  > "$T/ctx.model"
for mdl in shape ctx; do
  report 0 1 csv --model "$T/$mdl.model"
  report 700 2 csv --model "$T/$mdl.model"
  check "$mdl: document model, windows of 700 bytes = whole" \
    cmp -s "$T/out.0.1.csv--model" "$T/out.700.2.csv--model"
done

# the warnings of bad bytes come as for a document read whole
check "bad bytes are reported" grep -q 'invalid UTF-8' "$T/out.1.1.csv"

# a long binary file: refused with the same message, the rest reported
awk 'BEGIN { for (i = 0; i < 30000; i++) printf "%c", 1 + i % 7 }' \
  > "$T/c/a/binary.txt"
report 0 1 csv
report 1000 1 csv
check "binary: windows = whole" cmp -s "$T/out.0.1.csv" "$T/out.1000.1.csv"
check "binary: refused" grep -q 'binary.txt: looks like a binary file' \
  "$T/out.1000.1.csv"
check "binary: exit status 1" grep -q '^rc=1$' "$T/out.1000.1.csv"
# text first, binary within the first 64 KiB: refused whatever the window
rm "$T/c/a/binary.txt"
{ gen blank 5 10 | head -c 2000
  awk 'BEGIN { for (i = 0; i < 30000; i++) printf "%c", 1 + i % 7 }'
} > "$T/c/a/late.txt"
report 0 1 csv
report 500 1 csv
check "binary after text: windows = whole" \
  cmp -s "$T/out.0.1.csv" "$T/out.500.1.csv"
check "binary after text: refused" \
  grep -q 'late.txt: looks like a binary file' "$T/out.500.1.csv"

# kwic: the hits of documents read in windows = read whole, byte for byte
# (line, col, byte and code-point offsets, contexts), in every format, on
# one, two and three threads; a pattern of several words reads documents
# whole
rm "$T/c/a/late.txt"
kwic() { # WINDOW THREADS FORMAT ARGS...
  local w=$1 t=$2 f=$3
  shift 3
  "$BIN" kwic --window-bytes "$w" --threads "$t" --format "$f" "$@" "$T/c" \
    > "$T/kout" 2> "$T/kerr"
  echo "rc=$?" >> "$T/kout"
  cat "$T/kerr" >> "$T/kout"
}
for pat in "--category loaded" "--window 3 regime" "junta*" "very shameful"; do
  for f in text csv html; do
    kwic 0 1 "$f" $pat
    mv "$T/kout" "$T/kwhole"
    check "kwic $pat $f: whole run has hits" \
      test "$(grep -cE 'regime|junta|shameful' "$T/kwhole")" -gt 20
    for w in 1 700 9000; do
      for t in 1 2 3; do
        kwic $w $t "$f" $pat
        check "kwic $pat $f: windows of $w bytes, $t threads = whole" \
          cmp -s "$T/kwhole" "$T/kout"
      done
    done
  done
done
check "kwic: bad bytes are reported" grep -q 'invalid UTF-8' "$T/kout"
awk 'BEGIN { for (i = 0; i < 30000; i++) printf "%c", 1 + i % 7 }' \
  > "$T/c/a/binary.txt"
kwic 0 1 csv --category loaded
mv "$T/kout" "$T/kwhole"
kwic 1000 2 csv --category loaded
check "kwic binary: windows = whole" cmp -s "$T/kwhole" "$T/kout"
check "kwic binary: refused" grep -q 'binary.txt: looks like a binary file' \
  "$T/kout"
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
  rss() { # WINDOW: peak RSS in KB of kwic over the big document
    /usr/bin/time -f '%M' -o "$T/rss" "$BIN" kwic --window-bytes "$1" \
      --threads 1 --format csv --category loaded "$T/big" > "$T/kout.$1" \
      2> /dev/null
    cat "$T/rss"
  }
  whole_kb=$(rss 0)
  win_kb=$(rss 65536)
  echo "kwic, a 12 MB document: peak RSS $whole_kb KB whole, $win_kb KB in windows"
  check "kwic big: windows = whole" cmp -s "$T/kout.0" "$T/kout.65536"
  check "kwic big: windows peak at under half the memory ($win_kb KB, whole $whole_kb KB)" \
    test "$((win_kb * 2))" -lt "$whole_kb"
else
  echo "skip: /usr/bin/time (GNU time) is missing: kwic memory not checked"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
