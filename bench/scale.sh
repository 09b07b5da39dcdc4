#!/bin/sh
# scale.sh - the scale-out run: a corpus counted as one job and as N shards
# (framescore count --shard K/N), the shards merged, and the results
# compared byte for byte (the merged counts file with the one-job file;
# compare --counts and terms --counts with compare and terms over the
# texts); with the wall time and peak RSS of each stage and the counts'
# size against the corpus. Prints a Markdown table.
#
#   bench/scale.sh CORPUS_DIR [SHARDS]     (CORPUS_DIR/manifest.csv)
#   FS=path/to/framescore bench/scale.sh ...  (default: build/framescore)
#
# Corpora: bench/gen_corpus.py --out DIR --mb N (FS_SCALE_REPLICAS=R counts
# the corpus R times under R folder names, copied: a larger corpus with the
# vocabulary of the one generated; not hard-linked, since framescore counts
# a file listed twice under two names once and refuses the manifest). FS_SCALE_TEXT=0
# leaves out the runs over the texts (compare, terms, report, --save-counts,
# one thread) and their byte comparisons, for large corpora; FS_SCALE_ONE=0
# also the one-job count (the merged shards are then checked against the
# tree of merges only). FS_SCALE_COMPARE="--bootstrap 200" passes options
# to both compare runs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
FS=${FS:-$here/../build/framescore}
dir=$1
n=${2:-20}
reps=${FS_SCALE_REPLICAS:-1}
export FRAMESCORE_LEXICONS=${FRAMESCORE_LEXICONS:-$here/../lexicons}
export FRAMESCORE_MODELS=${FRAMESCORE_MODELS:-$here/../models}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
man=$w/manifest.csv
echo path,outlet > "$man"
for r in $(seq 1 "$reps"); do
  if [ "$reps" = 1 ]; then
    tail -n +2 "$dir/manifest.csv" | sed "s#^#$dir/#" >> "$man"
  else
    [ -d "$dir.rep$r" ] || cp -a "$dir" "$dir.rep$r"
    tail -n +2 "$dir/manifest.csv" | sed "s#^#$dir.rep$r/#" >> "$man"
  fi
done
# in path order (framescore's canonical order), so that compare and terms
# over the texts must give the bytes of the merged counts
tail -n +2 "$man" | LC_ALL=C sort > "$w/rows"
{ echo path,outlet; cat "$w/rows"; } > "$man"
docs=$(($(wc -l < "$man") - 1))
bytes=$(tail -n +2 "$man" | cut -d, -f1 | xargs stat -L -c %s | awk '{s += $1} END {printf "%.0f", s}')
# one stage: NAME COMMAND... -> a table row with wall time and peak RSS
stage() {
  name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$w/time" "$@" >/dev/null 2>"$w/err" ||
    { echo "| $name | failed: $(tail -1 "$w/err") | |"; return 0; }
  set -- $(cat "$w/time")
  echo "| $name | $1 s | $(($2 / 1024)) MB |"
}
echo "corpus: $docs documents, $((bytes / 1000000)) MB ($reps x $dir), $n shards, $(nproc) cores"
echo
echo "| stage | wall | peak RSS |"
echo "|---|---|---|"
one=${FS_SCALE_ONE:-1}
copts=${FS_SCALE_COMPARE:-}
[ "$one" = 1 ] && stage "count, one job (2 threads)" "$FS" count --quiet --threads 2 --manifest "$man" -o "$w/one.fsc"
text=${FS_SCALE_TEXT:-1}
[ "$text" = 1 ] && stage "count, one job (1 thread)" "$FS" count --quiet --threads 1 --manifest "$man" -o "$w/one1.fsc"
max=0 total=0
for k in $(seq 1 "$n"); do
  /usr/bin/time -f "%e %M" -o "$w/time" "$FS" count --quiet --threads 1 \
    --manifest "$man" --shard "$k/$n" -o "$w/shard-$k.fsc"
  set -- $(cat "$w/time")
  total=$(echo "$total + $1" | bc)
  [ "$2" -gt "$max" ] && max=$2
done
echo "| count, $n shards of 1 thread (sum of walls; largest RSS) | $total s | $((max / 1024)) MB |"
stage "merge $n shards" "$FS" merge "$w"/shard-*.fsc -o "$w/merged.fsc"
stage "merge as a tree (4 groups, then 1)" sh -c "
  ls $w/shard-*.fsc | split -n r/4 - $w/group. &&
  for g in $w/group.*; do $FS merge \$(cat \$g) -o \$g.fsc || exit 1; done &&
  $FS merge $w/group.*.fsc -o $w/tree.fsc"
stage "compare --counts (merged)" "$FS" compare --counts "$w/merged.fsc" --threads 2 $copts --format csv -o "$w/c_counts.csv"
stage "terms --counts (merged)" "$FS" terms --counts "$w/merged.fsc" --format csv -o "$w/t_counts.csv"
# report's rows are ~80 per document: to a file only when compared
if [ "$text" = 1 ]; then
  stage "report --counts (merged; csv)" "$FS" report --counts "$w/merged.fsc" --format csv -o "$w/r_counts.csv"
else
  stage "report --counts (merged; csv to /dev/null)" "$FS" report --counts "$w/merged.fsc" --format csv
fi
[ "$text" = 1 ] && stage "compare over the texts (2 threads)" "$FS" compare --quiet --threads 2 $copts --manifest "$man" --format csv -o "$w/c_text.csv"
[ "$text" = 1 ] && stage "terms over the texts (2 threads)" "$FS" terms --quiet --threads 2 --manifest "$man" --format csv -o "$w/t_text.csv"
[ "$text" = 1 ] && stage "report over the texts (2 threads; csv)" "$FS" report --quiet --threads 2 --manifest "$man" --format csv -o "$w/r_text.csv"
[ "$text" = 1 ] && stage "compare --save-counts (old CSV)" "$FS" compare --quiet --threads 2 --manifest "$man" --save-counts "$w/old.csv" -o /dev/null
echo
same() { cmp -s "$1" "$2" && echo identical || echo DIFFERENT; }
if [ "$one" = 1 ]; then
  echo "- merged shards vs one job: $(same "$w/one.fsc" "$w/merged.fsc"); tree: $(same "$w/one.fsc" "$w/tree.fsc")"
else
  echo "- merged shards vs the tree of merges: $(same "$w/merged.fsc" "$w/tree.fsc") (no one-job count)"
  cp "$w/merged.fsc" "$w/one.fsc"
fi
[ "$text" = 1 ] && echo "- 1 vs 2 threads: $(same "$w/one.fsc" "$w/one1.fsc")" &&
echo "- compare --counts vs compare over the texts: $(same "$w/c_counts.csv" "$w/c_text.csv")"
[ "$text" = 1 ] && echo "- terms --counts vs terms over the texts: $(same "$w/t_counts.csv" "$w/t_text.csv")"
[ "$text" = 1 ] && echo "- report --counts vs report over the texts: $(same "$w/r_counts.csv" "$w/r_text.csv")"
size() { stat -c %s "$1"; }
pct() { echo "scale=2; 100 * $1 / $bytes" | bc; }
one=$(size "$w/one.fsc")
zstd -dqc "$w/one.fsc" > "$w/one.raw" 2>/dev/null || true
echo "- counts file: $one bytes = $(pct "$one") % of the corpus (uncompressed $(size "$w/one.raw" 2>/dev/null || echo '?') bytes); the $n shards together: $(cat "$w"/shard-*.fsc | wc -c) bytes"
if [ "$one" = 1 ]; then
  "$FS" count --quiet --threads 2 --model none --manifest "$man" -o "$w/nomodel.fsc"
  echo "- without the model's dimensions (--model none): $(size "$w/nomodel.fsc") bytes = $(pct "$(size "$w/nomodel.fsc")") %"
fi
[ -e "$w/old.csv" ] && echo "- compare --save-counts CSV: $(size "$w/old.csv") bytes = $(pct "$(size "$w/old.csv")") %"
true
