#!/bin/sh
# compare_memory.sh - peak memory of `compare` against the number of
# documents: N small invented documents (a few sentences each, from a pool
# written here, 8 outlets) for each N in COUNTS, `compare` over the texts
# (one thread) and `compare --counts` over its --save-counts CSV, with few
# resamples (the statistics' buffers, not their time, are measured). Prints
# a Markdown table with the peak RSS and, between consecutive sizes, the
# bytes each added document costs (the slope: what grows with the
# documents). With FS_BASE=another/framescore, the same runs with it in
# the same invocation (before/after), and whether their outputs are the same.
#
#   bench/compare_memory.sh [COUNTS]      (default "10000 40000 160000")
#   FS=path/to/framescore (default: build/framescore)
#   TMPDIR=... for the generated files (about 500 bytes a document)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
FS=${FS:-$here/../build/framescore}
counts=${1:-10000 40000 160000}
export FRAMESCORE_LEXICONS=${FRAMESCORE_LEXICONS:-$here/../lexicons}
export FRAMESCORE_MODELS=${FRAMESCORE_MODELS:-$here/../models}
command -v /usr/bin/time >/dev/null || { echo "compare_memory.sh: needs GNU time (/usr/bin/time)" >&2; exit 1; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
trap 'exit 1' INT TERM HUP
opts="--threads 1 --bootstrap 50 --permutations 100 --format csv"

gen() { # N DIR: N documents in DIR/o0 .. DIR/o7
  awk -v n="$1" -v dir="$2" 'BEGIN {
    srand(7)
    p[0] = "The regime claimed the report was nonsense and a disgrace."
    p[1] = "\"It is a shameful catastrophe,\" the minister insisted on Monday."
    p[2] = "Critics called the plan a \"reform\", and so-called experts agreed."
    p[3] = "Officials met delegates in the capital to discuss the budget."
    p[4] = "The junta boasted of its victory while markets fell sharply."
    p[5] = "Residents said the storm damaged roads and several bridges."
    p[6] = "The opposition allegedly raved about the thugs in the streets."
    p[7] = "Prices rose 3 percent, the statistics office reported."
    for (o = 0; o < 8; o++) system("mkdir -p " dir "/o" o)
    for (i = 0; i < n; i++) {
      f = dir "/o" (i % 8) "/d" i ".txt"
      k = 2 + int(rand() * 5)
      for (j = 0; j < k; j++)
        printf "%s%s", p[int(rand() * 8 + (i % 8 < 2 ? 0 : 2)) % 8], (j + 1 < k ? " " : "\n") > f
      close(f)
    }
  }'
}

peak() { # OUT BIN ARGS...: peak RSS in KB
  out=$1 bin=$2
  shift 2
  /usr/bin/time -f '%M' -o "$w/rss" "$bin" "$@" > "$out" 2> "$w/err" || {
    cat "$w/err" >&2
    exit 1
  }
  cat "$w/rss"
}

echo "| documents | binary | compare KB | bytes/doc added | compare --counts KB | bytes/doc added |"
echo "|---:|---|---:|---:|---:|---:|"
for bin in ${FS_BASE:+base} fs; do
  b=$FS
  [ "$bin" = base ] && b=$FS_BASE
  prev_n= prev_t= prev_c=
  for n in $counts; do
    [ -d "$w/c$n" ] || gen "$n" "$w/c$n"
    t=$(peak "$w/out.$bin.$n" "$b" compare $opts --save-counts "$w/sc.$bin.$n.csv" "$w/c$n")
    c=$(peak "$w/outc.$bin.$n" "$b" compare --counts $opts "$w/sc.$bin.$n.csv")
    st=- sc=-
    if [ -n "$prev_n" ]; then
      st=$(( (t - prev_t) * 1024 / (n - prev_n) ))
      sc=$(( (c - prev_c) * 1024 / (n - prev_n) ))
    fi
    echo "| $n | $bin | $t | $st | $c | $sc |"
    prev_n=$n prev_t=$t prev_c=$c
  done
done
if [ -n "${FS_BASE:-}" ]; then
  for n in $counts; do
    if cmp -s "$w/out.base.$n" "$w/out.fs.$n" &&
       cmp -s "$w/outc.base.$n" "$w/outc.fs.$n" &&
       cmp -s "$w/sc.base.$n.csv" "$w/sc.fs.$n.csv"; then
      echo "$n documents: outputs identical"
    else
      echo "$n documents: outputs DIFFER"
    fi
  done
fi
