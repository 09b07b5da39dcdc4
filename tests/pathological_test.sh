#!/usr/bin/env bash
# pathological_test.sh BIN SRCDIR - inputs built to find quadratic paths, each
# with a time bound far above its normal time (an optimised build takes a
# few seconds at most for each) but far below what a quadratic path takes.
# Inputs are generated here, into a temporary folder.
set -u
BIN=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
MINI=(--no-default-lexicons --lexicon "$SRC/tests/data/mini.tsv")

# within NAME SECONDS ARGS...: framescore ARGS must finish, exit 0, in time
within() {
  local name=$1 secs=$2
  shift 2
  local start end rc
  start=$(date +%s.%N)
  timeout "$secs" "$BIN" "$@" >"$T/out" 2>"$T/err"
  rc=$?
  end=$(date +%s.%N)
  local took
  took=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  if [ $rc -eq 0 ]; then
    pass=$((pass + 1))
    echo "ok: $name ${took}s (bound ${secs}s)"
  else
    fail=$((fail + 1))
    echo "FAIL: $name: exit $rc after ${took}s (bound ${secs}s; 124 = timed out)"
    head -3 "$T/err"
  fi
}
rep() { # TEXT COUNT: TEXT repeated COUNT times
  awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'
}

# quotation marks: closers scanned back from every token, single quotes
# looking ahead for a closer, quotes left open at each paragraph end
rep '"' 1000000 >"$T/dq.txt"
within "1M straight double quotes" 20 report "${MINI[@]}" "$T/dq.txt"
rep $'\xe2\x80\x9c' 1000000 >"$T/open.txt"
within "1M opening curly quotes" 20 report "${MINI[@]}" "$T/open.txt"
rep $'\xe2\x80\x99' 1000000 >"$T/close.txt"
within "1M closing curly quotes" 20 report "${MINI[@]}" "$T/close.txt"
rep "'" 1000000 >"$T/sq.txt"
within "1M straight single quotes" 20 report "${MINI[@]}" "$T/sq.txt"
rep " 'a" 1000000 >"$T/sqa.txt"
within "1M single quotes before words" 20 report "${MINI[@]}" "$T/sqa.txt"
rep ')' 1000000 >"$T/paren.txt"
within "1M closing parentheses" 20 report "${MINI[@]}" "$T/paren.txt"
rep $'\xc2\xab \xc2\xbb ' 500000 >"$T/guil.txt"
within "500k guillemet pairs" 20 report "${MINI[@]}" "$T/guil.txt"
rep $'\xe2\x80\x9cnonsense\n\nsaid b\n\n' 200000 >"$T/unclosed.txt"
within "200k quotes left open at paragraph ends" 20 report "${MINI[@]}" "$T/unclosed.txt"
rep '"nonsense" he said. ' 300000 >"$T/scare.txt"
within "300k short quotes with attribution" 20 report "${MINI[@]}" --format csv "$T/scare.txt"

# one word 10^7 times (50 MB), a 50 MB line of matches, a 50 MB word
rep 'word ' 10000000 >"$T/word.txt"
within "one word 10^7 times" 60 report "${MINI[@]}" --format csv "$T/word.txt"
rep 'the claimed regime, ' 2621440 >"$T/line.txt"
within "50 MB single line" 60 report "${MINI[@]}" --format csv "$T/line.txt"
head -c 52428800 /dev/zero | tr '\0' a >"$T/token.txt"
within "50 MB single token" 60 report "${MINI[@]}" --format csv "$T/token.txt"

# many overlapping multiword lexicon prefixes: a, a a, ... (32 words) and
# a ... a b, in four families, over a million a's
: >"$T/prefix.tsv"
for fam in loaded label hedge certainty; do
  p=a
  for n in $(seq 1 32); do
    printf '%s\t%s.x\t1\n%s b\t%s.y\t1\n' "$p" "$fam" "${p% a}" "$fam" >>"$T/prefix.tsv"
    p="$p a"
  done
done
rep 'a ' 1000000 >"$T/a.txt"
within "overlapping multiword prefixes" 30 report --no-default-lexicons \
  --lexicon "$T/prefix.tsv" --format csv "$T/a.txt"
# many entries sharing a first word: candidates are grouped by their second
# word, so 40,000 of them cost a binary search per token (this took 112 s
# when they were scanned)
awk 'BEGIN { for (i = 1; i <= 40000; i++) printf "a w%d\tloaded.x\t1\n", i }' >"$T/wide.tsv"
rep 'a ' 100000 >"$T/a100k.txt"
within "40000 entries sharing a first word" 20 report --no-default-lexicons \
  --lexicon "$T/wide.tsv" --format csv "$T/a100k.txt"

# a manifest of 200,000 rows with CR-only line ends (missing files: each is
# reported, the run goes on)
awk 'BEGIN { printf "path,outlet\r"; for (i = 1; i <= 200000; i++) printf "f%d.txt,o\r", i }' >"$T/m.csv"
timeout 30 "$BIN" report "${MINI[@]}" --format csv --manifest "$T/m.csv" >/dev/null 2>"$T/err"
rc=$?
if [ $rc -eq 1 ] && [ "$(wc -l <"$T/err")" -eq 200000 ]; then
  pass=$((pass + 1)); echo "ok: 200k-row manifest"
else
  fail=$((fail + 1)); echo "FAIL: 200k-row manifest: exit $rc"
fi

# a LIWC dictionary with 100,000 categories (was a linear scan per
# category: 2 minutes)
awk 'BEGIN { print "%"; for (i = 1; i <= 100000; i++) printf "%d\tcat%d\n", i, i;
  print "%"; for (i = 1; i <= 100000; i += 7) printf "word%d\t%d\n", i, i }' >"$T/big.dic"
within "LIWC dictionary of 100k categories" 30 lexicon check "$T/big.dic"

# 50,000 actors over 30 outlets (a dense table per outlet was outlets x
# actors^2: 40 GB; actor lookups were linear: minutes)
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "Person%d\tp%d\tside%d\the\n", i, i, i % 3 }' >"$T/many.actors"
mkdir "$T/act"
awk -v dir="$T/act" 'BEGIN { print "path,outlet" > (dir "/m.csv");
  for (d = 0; d < 60; d++) { f = dir "/d" d ".txt";
    for (k = 0; k < 50; k++) printf "Person%d claimed the regime nonsense, Person%d said. He raved. ", (d * 977 + k * 131) % 50000, (k * 7919) % 50000 > f;
    printf "d%d.txt,o%d\n", d, d % 30 > (dir "/m.csv") } }'
within "50,000 actors, 30 outlets" 30 actors --actors "$T/many.actors" --manifest "$T/act/m.csv" --format csv

echo "$pass passed, $fail failed"
test $fail -eq 0
