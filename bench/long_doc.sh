#!/bin/sh
# long_doc.sh - peak memory and time of one long document through report
# --format csv --matches (also with --context-model default), count, kwic
# --category loaded, compare, terms --format html and report --format html,
# read in windows
# (--window-bytes, default 1 MiB) against the same document read whole
# (--window-bytes 0) and `wc -w`, in one invocation, one thread. The
# document is a synthetic corpus
# (bench/gen_corpus.py, BASE_MB, 4 outlets, seed 1) concatenated into one
# file with blank lines between the articles; sizes above BASE_MB repeat it
# (so the vocabulary stops growing past BASE_MB). The whole read is skipped
# above WHOLE_MAX_MB (it needs about 15 bytes of memory per byte of text).
# Prints a Markdown table and whether the outputs are byte-identical.
#
#   bench/long_doc.sh [SIZES_MB] [BASE_MB] [WHOLE_MAX_MB]
#       (default "100 1000", 100, 200)
#   FS=path/to/framescore bench/long_doc.sh ...  (default: build/framescore)
#   TMPDIR=... for the generated files (SIZES_MB x 2 of disk space)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
FS=${FS:-$here/../build/framescore}
sizes=${1:-100 1000}
base=${2:-100}
whole_max=${3:-200}
export FRAMESCORE_LEXICONS=${FRAMESCORE_LEXICONS:-$here/../lexicons}
export FRAMESCORE_MODELS=${FRAMESCORE_MODELS:-$here/../models}
command -v /usr/bin/time >/dev/null || { echo "long_doc.sh: needs GNU time (/usr/bin/time)" >&2; exit 1; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
trap 'exit 1' INT TERM HUP
/usr/bin/python3 "$here/gen_corpus.py" --out "$w/c" --mb "$base" \
  --outlets 4 --seed 1 --lexicon-dir "$here/../lexicons/en" >/dev/null
find "$w/c" -name '*.txt' -print0 | sort -z |
  xargs -0 awk 'FNR == 1 && NR > 1 { print "" } { print }' > "$w/base.txt"
rm -rf "$w/c"
run() { # label, command... -> "| label | s | user s | peak RSS MB |"
  label=$1
  shift
  /usr/bin/time -f '%e %U %M' -o "$w/t" "$@" >/dev/null 2>"$w/err" ||
    { echo "| $label | failed: $(tail -1 "$w/err") | | |"; return; }
  set -- $(tail -1 "$w/t")
  echo "| $label | $1 | $2 | $(($3 / 1024)) |"
}
echo "| run | wall s | user s | peak RSS MB |"
echo "|---|---|---|---|"
for mb in $sizes; do
  : > "$w/doc.txt"
  n=0
  while [ $((n * base)) -lt "$mb" ]; do
    cat "$w/base.txt" >> "$w/doc.txt"
    n=$((n + 1))
  done
  bytes=$(wc -c < "$w/doc.txt")
  max=$((bytes + 1))
  run "wc -w, $mb MB" wc -w "$w/doc.txt"
  run "report csv --matches, windows of 1 MiB, $mb MB" "$FS" report \
    --format csv --threads 1 --max-file-size "$max" --matches "$w/m1.csv" \
    -o "$w/o1.csv" "$w/doc.txt"
  if [ "$mb" -le "$whole_max" ]; then
    run "report csv --matches, whole, $mb MB" "$FS" report --format csv \
      --threads 1 --max-file-size "$max" --window-bytes 0 \
      --matches "$w/m0.csv" -o "$w/o0.csv" "$w/doc.txt"
    if cmp -s "$w/o0.csv" "$w/o1.csv" && cmp -s "$w/m0.csv" "$w/m1.csv"; then
      echo "| $mb MB: windows = whole, byte for byte | yes | | |"
    else
      echo "| $mb MB: windows = whole, byte for byte | NO | | |"
    fi
  fi
  run "kwic csv --category loaded, windows of 1 MiB, $mb MB" "$FS" kwic \
    --category loaded --format csv --threads 1 --max-file-size "$max" \
    -o "$w/k1.csv" "$w/doc.txt"
  if [ "$mb" -le "$whole_max" ]; then
    run "kwic csv --category loaded, whole, $mb MB" "$FS" kwic \
      --category loaded --format csv --threads 1 --max-file-size "$max" \
      --window-bytes 0 -o "$w/k0.csv" "$w/doc.txt"
    if cmp -s "$w/k0.csv" "$w/k1.csv"; then
      echo "| $mb MB: kwic windows = whole, byte for byte | yes | | |"
    else
      echo "| $mb MB: kwic windows = whole, byte for byte | NO | | |"
    fi
  fi
  # a context model reads a long document twice (a first reading for
  # what its features read of the whole), and count and terms gather
  # their counts window by window
  run "report csv --matches --context-model, windows of 1 MiB, $mb MB" \
    "$FS" report --format csv --threads 1 --max-file-size "$max" \
    --context-model default --matches "$w/c1.csv" -o "$w/p1.csv" "$w/doc.txt"
  run "count, windows of 1 MiB, $mb MB" "$FS" count --threads 1 \
    --max-file-size "$max" -o "$w/n1.fsc" "$w/doc.txt"
  if [ "$mb" -le "$whole_max" ]; then
    run "report csv --matches --context-model, whole, $mb MB" "$FS" report \
      --format csv --threads 1 --max-file-size "$max" --window-bytes 0 \
      --context-model default --matches "$w/c0.csv" -o "$w/p0.csv" \
      "$w/doc.txt"
    if cmp -s "$w/p0.csv" "$w/p1.csv" && cmp -s "$w/c0.csv" "$w/c1.csv"; then
      echo "| $mb MB: --context-model windows = whole, byte for byte | yes | | |"
    else
      echo "| $mb MB: --context-model windows = whole, byte for byte | NO | | |"
    fi
    run "count, whole, $mb MB" "$FS" count --threads 1 \
      --max-file-size "$max" --window-bytes 0 -o "$w/n0.fsc" "$w/doc.txt"
    if cmp -s "$w/n0.fsc" "$w/n1.fsc"; then
      echo "| $mb MB: count windows = whole, byte for byte | yes | | |"
    else
      echo "| $mb MB: count windows = whole, byte for byte | NO | | |"
    fi
  fi
  # compare, terms' html page and the html report read long documents in
  # windows too (the html report only up to WHOLE_MAX_MB: its page is
  # about 9 times the document)
  both() { # NAME OUT-EXT ARGS...: windows of 1 MiB, whole, and the bytes
    name=$1 ext=$2
    shift 2
    run "$name, windows of 1 MiB, $mb MB" "$FS" "$@" --threads 1 \
      --max-file-size "$max" -o "$w/x1.$ext" "$w/doc.txt"
    [ "$mb" -le "$whole_max" ] || return 0
    run "$name, whole, $mb MB" "$FS" "$@" --threads 1 --max-file-size "$max" \
      --window-bytes 0 -o "$w/x0.$ext" "$w/doc.txt"
    if cmp -s "$w/x0.$ext" "$w/x1.$ext"; then
      echo "| $mb MB: $name windows = whole, byte for byte | yes | | |"
    else
      echo "| $mb MB: $name windows = whole, byte for byte | NO | | |"
    fi
  }
  both "compare csv" csv compare --format csv --bootstrap 200
  both "terms html" html terms --format html
  [ "$mb" -le "$whole_max" ] && both "report html" html report --format html
  rm -f "$w"/o?.csv "$w"/m?.csv "$w"/k?.csv "$w"/c?.csv "$w"/p?.csv \
    "$w"/n?.fsc "$w"/x?.*
done
