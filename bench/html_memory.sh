#!/bin/sh
# html_memory.sh - how the HTML pages' peak memory and size grow with the
# corpus: two synthetic corpora (bench/gen_corpus.py, SMALL and 4 x SMALL
# MB, 4 outlets, the same seed), each run through report --format html
# (--html-docs 20), terms --format html and, as the baseline of the same
# invocation, terms --format csv; prints a Markdown table of peak RSS
# (GNU time) and output size, and the large/small ratios. A page whose
# memory is bounded has a ratio near the baseline's (which grows only with
# the vocabulary); one that keeps every document has a ratio near 4.
#
#   bench/html_memory.sh [SMALL_MB]          (default 2)
#   FS=path/to/framescore bench/html_memory.sh ...  (default: build/framescore)
#   BASE=path/to/older/framescore bench/html_memory.sh ...  also runs the
#     report through BASE (e.g. a build of an earlier commit) and prints, per
#     size, the peak RSS of FS over BASE's and whether the pages are
#     byte-identical
set -eu
here=$(cd "$(dirname "$0")" && pwd)
FS=${FS:-$here/../build/framescore}
small=${1:-2}
large=$((small * 4))
export FRAMESCORE_LEXICONS=${FRAMESCORE_LEXICONS:-$here/../lexicons}
export FRAMESCORE_MODELS=${FRAMESCORE_MODELS:-$here/../models}
command -v /usr/bin/time >/dev/null || { echo "html_memory.sh: needs GNU time (/usr/bin/time)" >&2; exit 1; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
for mb in "$small" "$large"; do
  /usr/bin/python3 "$here/gen_corpus.py" --out "$w/c$mb" --mb "$mb" \
    --outlets 4 --seed 1 --lexicon-dir "$here/../lexicons/en" >/dev/null
done
run() { # binary, MB, args... -> "rss_kb bytes"
  fs=$1 mb=$2
  shift 2
  /usr/bin/time -f '%M' -o "$w/rss" "$fs" "$@" --threads 1 \
    --manifest "$w/c$mb/manifest.csv" -o "$w/out" 2>/dev/null
  echo "$(tail -1 "$w/rss") $(wc -c <"$w/out")"
}
echo "| run | peak RSS $small MB | peak RSS $large MB | ratio | output $small MB | output $large MB |"
echo "|---|---|---|---|---|---|"
for cmd in "terms --format csv" "terms --format html" "report --format html --html-docs 20"; do
  # shellcheck disable=SC2086
  set -- $(run "$FS" "$small" $cmd) $(run "$FS" "$large" $cmd)
  echo "| \`$cmd\` | $(($1 / 1024)) MB | $(($3 / 1024)) MB | $(awk -v a="$1" -v b="$3" 'BEGIN { printf "%.2f", b / a }') | $(($2 / 1024)) KB | $(($4 / 1024)) KB |"
done
if [ -n "${BASE:-}" ]; then
  cmd="report --format html --html-docs 20"
  echo
  echo "| \`$cmd\` | peak RSS, BASE | peak RSS, FS | FS / BASE | same page |"
  echo "|---|---|---|---|---|"
  for mb in "$small" "$large"; do
    # shellcheck disable=SC2086
    set -- $(run "$BASE" "$mb" $cmd)
    cp "$w/out" "$w/base"
    # shellcheck disable=SC2086
    set -- "$1" $(run "$FS" "$mb" $cmd)
    same=no
    cmp -s "$w/base" "$w/out" && same=yes
    echo "| $mb MB | $(($1 / 1024)) MB | $(($2 / 1024)) MB | $(awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }') | $same |"
  done
fi
