#!/bin/sh
# lexicon_shapes.sh - crafted lexicons -> a Markdown table of matching cost
# as ratios: for each lexicon shape, the run over text that hits the words
# its entries share against the run over as many tokens that miss them
# (both load the same lexicon, so the ratio is the cost of matching), for
# the binary measured and, with FS_BASE, for another one (the matcher
# before the phrase trie: build commit 8291ffa), in the same invocation.
#
#   bench/lexicon_shapes.sh [REPS]       (text repetitions, default 50000)
#   FS=build/framescore FS_BASE=/tmp/fs-before bench/lexicon_shapes.sh
#   FS_TIMEOUT=300 (seconds a run may take before it is cut: "> 300 s")
#
# The shapes are those of issue 14, item 6 (tests/pathological_test.sh
# checks the same ones against a bound on the ratio).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
FS=${FS:-$here/../build/framescore}
BASE=${FS_BASE:-}
TMO=${FS_TIMEOUT:-300}
reps=${1:-50000}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
rep() { awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }

rep 'The junta w7 said the junta ruled. ' "$reps" >"$w/junta.txt"
rep 'She jumbo w7 said she jumbo ruled. ' "$reps" >"$w/jumbo.txt"
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "the junta w%d\tloaded.x\t1\n", i }' >"$w/shared.tsv"
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "the junta w%d*\tloaded.x\t1\n", i }' >"$w/globs.tsv"
awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "th*\tloaded.c%d\t1\n", i }' >"$w/th.tsv"
awk 'BEGIN { for (i = 1; i <= 10000; i++) { for (j = 0; j < 31; j++) printf "a ";
  printf "w%d\tloaded.x\t1\n", i } }' >"$w/long.tsv"
rep 'a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a a w7. ' $((reps * 2 / 5)) >"$w/along.txt"
rep 'b b b b b b b b b b b b b b b b b b b b b b b b b b b b b b b w7. ' $((reps * 2 / 5)) >"$w/blong.txt"
awk 'BEGIN { w = "juntajuntajunt"; for (m = 0; m < 16384; m++) { s = "";
  for (j = 0; j < 14; j++) { c = substr(w, j + 1, 1);
    s = s (int(m / 2 ^ j) % 2 ? toupper(c) : c) }
  printf "==%s\tloaded.c%d\t1\n", s, m } }' >"$w/cased.tsv"
rep 'JuntaJuntaJunt said so. ' $((reps * 2)) >"$w/cased.txt"
rep 'JumboJumboJumb said so. ' $((reps * 2)) >"$w/uncased.txt"

# secs BIN LEXICON TEXT: wall seconds of one report, or "> TMO"
secs() {
  s=$(date +%s.%N)
  if timeout "$TMO" "$1" report --no-default-lexicons --lexicon "$2" \
    --format csv "$3" >/dev/null 2>&1; then
    awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }'
  else
    printf '> %s' "$TMO"
  fi
}
# ratio A B: A / B, a lower bound ("> R") when A timed out
ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (b ~ />/) print "-";
    else if (a ~ />/) { sub(/> /, "", a); printf "> %.0f", a / b }
    else printf "%.2f", a / b }'
}

printf '| shape | text | after: hit s | miss s | ratio |'
[ -n "$BASE" ] && printf ' before: hit s | miss s | ratio | before/after (hit) |'
printf '\n|---|---|---|---|---|'
[ -n "$BASE" ] && printf -- '---|---|---|---|'
printf '\n'
for shape in "100,000 phrases sharing two words:shared:junta:jumbo" \
  "100,000 glob phrases sharing two words:globs:junta:jumbo" \
  "20,000 copies of th* in different categories:th:junta:jumbo" \
  "10,000 phrases of 32 words sharing 31:long:along:blong" \
  "16,384 casings of one word:cased:cased:uncased"; do
  IFS=: read -r name lex hit miss <<EOF
$shape
EOF
  size=$(wc -c <"$w/$hit.txt")
  a=$(secs "$FS" "$w/$lex.tsv" "$w/$hit.txt")
  b=$(secs "$FS" "$w/$lex.tsv" "$w/$miss.txt")
  printf '| %s | %s bytes | %s | %s | %s |' "$name" "$size" "$a" "$b" "$(ratio "$a" "$b")"
  if [ -n "$BASE" ]; then
    c=$(secs "$BASE" "$w/$lex.tsv" "$w/$hit.txt")
    d=$(secs "$BASE" "$w/$lex.tsv" "$w/$miss.txt")
    printf ' %s | %s | %s | %s |' "$c" "$d" "$(ratio "$c" "$d")" "$(ratio "$c" "$a")"
  fi
  printf '\n'
done
