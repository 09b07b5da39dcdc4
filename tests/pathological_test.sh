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

# ratio NAME MAX LEXICON HIT MISS MATCHES: the run over HIT (text whose
# words the lexicon's entries share, throughout) takes at most MAX times the
# run over MISS (as many tokens, none of them shared), and finds MATCHES
# matches in loaded.*. Both runs load the same lexicon, so the ratio is the
# cost of matching, whatever the machine's speed; a walk that scans the
# entries sharing a word costs 20 to 1,000 times more (the timeout only
# stops a run that would take minutes).
ratio() {
  local name=$1 max=$2 lex=$3 hit=$4 miss=$5 want=$6 s e1 e2 rc1 rc2 got
  s=$(date +%s.%N)
  timeout 120 "$BIN" report --no-default-lexicons --lexicon "$lex" \
    --format csv "$hit" >"$T/out" 2>"$T/err"
  rc1=$?
  e1=$(date +%s.%N)
  got=$(awk -F, '$4 ~ /^loaded/ { n += $5 } END { print n + 0 }' "$T/out")
  timeout 120 "$BIN" report --no-default-lexicons --lexicon "$lex" \
    --format csv "$miss" >/dev/null 2>>"$T/err"
  rc2=$?
  e2=$(date +%s.%N)
  local r
  r=$(awk -v s="$s" -v a="$e1" -v b="$e2" \
    'BEGIN { d = b - a; if (d < 0.01) d = 0.01; printf "%.2f", (a - s) / d }')
  if [ $rc1 -eq 0 ] && [ $rc2 -eq 0 ] && [ "$got" = "$want" ] &&
    awk -v r="$r" -v m="$max" 'BEGIN { exit !(r <= m) }'; then
    pass=$((pass + 1))
    echo "ok: $name: ratio $r (bound $max), $got matches"
  else
    fail=$((fail + 1))
    echo "FAIL: $name: exit $rc1/$rc2, ratio $r (bound $max), $got matches (want $want)"
    head -3 "$T/err"
  fi
}

# crafted lexicons against the phrase trie (issue 14, item 6): 100,000
# phrases sharing their first two words, the same as globs, 20,000 copies
# of th* in different categories, 10,000 phrases of 32 words sharing 31,
# and the 16,384 casings of one word
rep 'The junta w7 said the junta ruled. ' 50000 >"$T/junta.txt"
rep 'She jumbo w7 said she jumbo ruled. ' 50000 >"$T/jumbo.txt"
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "the junta w%d\tloaded.x\t1\n", i }' >"$T/shared.tsv"
ratio "100,000 phrases sharing two words" 4 "$T/shared.tsv" "$T/junta.txt" "$T/jumbo.txt" 50000
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "the junta w%d*\tloaded.x\t1\n", i }' >"$T/globs.tsv"
ratio "100,000 glob phrases sharing two words" 4 "$T/globs.tsv" "$T/junta.txt" "$T/jumbo.txt" 50000
awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "th*\tloaded.c%d\t1\n", i }' >"$T/th.tsv"
ratio "20,000 copies of th* in different categories" 4 "$T/th.tsv" "$T/junta.txt" "$T/jumbo.txt" 100000
awk 'BEGIN { for (i = 1; i <= 10000; i++) { for (j = 0; j < 31; j++) printf "a ";
  printf "w%d\tloaded.x\t1\n", i } }' >"$T/long.tsv"
rep 'a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a w7. ' 20000 >"$T/along.txt"
rep 'b b b b b b b b b b b b b b b b b b b b b b b b b b b b b b b w7. ' 20000 >"$T/blong.txt"
ratio "10,000 phrases of 32 words sharing 31" 4 "$T/long.tsv" "$T/along.txt" "$T/blong.txt" 20000
awk 'BEGIN { w = "juntajuntajunt"; for (m = 0; m < 16384; m++) { s = "";
  for (j = 0; j < 14; j++) { c = substr(w, j + 1, 1);
    s = s (int(m / 2 ^ j) % 2 ? toupper(c) : c) }
  printf "==%s\tloaded.c%d\t1\n", s, m } }' >"$T/cased.tsv"
rep 'JuntaJuntaJunt said so. ' 100000 >"$T/cased.txt"
rep 'JumboJumboJumb said so. ' 100000 >"$T/uncased.txt"
ratio "16,384 casings of one word" 4 "$T/cased.tsv" "$T/cased.txt" "$T/uncased.txt" 100000

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
