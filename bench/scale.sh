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
#
# For corpora of many GB (the 10 GB run, bench/RESULTS.md):
#   FS_SCALE_WORK=DIR   keeps the counts files, outputs and each stage's
#       table row in DIR, and skips a stage whose output is there: a run
#       stopped anywhere resumes where it stopped (counting, shard by shard).
#   FS_SCALE_JOBS=J     counts J shards at a time (each with one thread).
#   FS_SCALE_SHARDS=K   counts only shards 1..K of the N (the rest later,
#       with the same FS_SCALE_WORK); merges and statistics need all N,
#       or FS_SCALE_PARTIAL=1: they run over the counted shards 1..M (the
#       one-job count and the runs over the texts are then left out).
#   FS_SCALE_SAMPLE=K   checks the merge against one job over a sample:
#       one count (2 threads) over the documents of shards 1..K (the first
#       K/N of the documents in path order) vs the merge of shards 1..K.
#   FS_SCALE_STATS="compare terms report" (default) the statistics run over
#       the merged counts; "" for none.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
FS=${FS:-$here/../build/framescore}
dir=$1
n=${2:-20}
reps=${FS_SCALE_REPLICAS:-1}
export FRAMESCORE_LEXICONS=${FRAMESCORE_LEXICONS:-$here/../lexicons}
export FRAMESCORE_MODELS=${FRAMESCORE_MODELS:-$here/../models}
if [ -n "${FS_SCALE_WORK:-}" ]; then
  w=$FS_SCALE_WORK
  mkdir -p "$w"
else
  w=$(mktemp -d)
  trap 'rm -rf "$w"' EXIT
fi
man=$w/manifest.csv
# (written aside and renamed: a resumed run may start while jobs of an
# earlier one still read it)
for r in $(seq 1 "$reps"); do
  if [ "$reps" = 1 ]; then
    tail -n +2 "$dir/manifest.csv" | sed "s#^#$dir/#"
  else
    [ -d "$dir.rep$r" ] || cp -a "$dir" "$dir.rep$r"
    tail -n +2 "$dir/manifest.csv" | sed "s#^#$dir.rep$r/#"
  fi
done > "$w/rows.tmp"
# in path order (framescore's canonical order), so that compare and terms
# over the texts must give the bytes of the merged counts
LC_ALL=C sort "$w/rows.tmp" > "$w/rows"
rm -f "$w/rows.tmp"
{ echo path,outlet; cat "$w/rows"; } > "$man.tmp"
mv "$man.tmp" "$man"
docs=$(($(wc -l < "$man") - 1))
bytes=$(tail -n +2 "$man" | cut -d, -f1 | xargs stat -L -c %s | awk '{s += $1} END {printf "%.0f", s}')
same() { cmp -s "$1" "$2" && echo identical || echo DIFFERENT; }
# one stage: NAME COMMAND... -> a table row with wall time and peak RSS;
# with FS_SCALE_WORK, NAME=OUT:NAME names the stage's output file OUT, and
# the stage is skipped (its row printed again) when OUT exists
stage() {
  name=$1
  shift
  row=
  case $name in
    *:*) out=${name%%:*} name=${name#*:} row=$w/$(basename "$out").row ;;
  esac
  if [ -n "${FS_SCALE_WORK:-}" ] && [ -n "$row" ] && [ -e "$out" ] && [ -e "$row" ]; then
    cat "$row"
    return 0
  fi
  /usr/bin/time -f "%e %M" -o "$w/time" "$@" >/dev/null 2>"$w/err" ||
    { echo "| $name | failed: $(tail -1 "$w/err") | |"; return 0; }
  set -- $(cat "$w/time")
  line="| $name | $1 s | $(($2 / 1024)) MB |"
  [ -n "$row" ] && echo "$line" > "$row"
  echo "$line"
}
echo "corpus: $docs documents, $((bytes / 1000000)) MB ($reps x $dir), $n shards, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at $(date -u +%H:%M) UTC"
echo
echo "| stage | wall | peak RSS |"
echo "|---|---|---|"
one=${FS_SCALE_ONE:-1}
copts=${FS_SCALE_COMPARE:-}
[ "$one" = 1 ] && stage "$w/one.fsc:count, one job (2 threads)" "$FS" count --quiet --threads 2 --manifest "$man" -o "$w/one.fsc"
text=${FS_SCALE_TEXT:-1}
[ "$text" = 1 ] && stage "$w/one1.fsc:count, one job (1 thread)" "$FS" count --quiet --threads 1 --manifest "$man" -o "$w/one1.fsc"
# shard K: its counts file, and "wall RSS" in shard-K.time once it is whole
jobs=${FS_SCALE_JOBS:-1}
upto=${FS_SCALE_SHARDS:-$n}
t0=$(date +%s)
export w n man FS
seq 1 "$upto" | xargs -P "$jobs" -I{} sh -c '
  [ -e "$w/shard-$1.fsc" ] && [ -e "$w/shard-$1.time" ] && exit 0
  /usr/bin/time -f "%e %M" -o "$w/shard-$1.t" "$FS" count --quiet \
    --threads 1 --manifest "$man" --shard "$1/$n" -o "$w/shard-$1.fsc" &&
  mv "$w/shard-$1.t" "$w/shard-$1.time"' sh {}
done_n=0 max=0 total=0
for k in $(seq 1 "$n"); do
  [ -e "$w/shard-$k.time" ] || continue
  set -- $(cat "$w/shard-$k.time")
  total=$(echo "$total + $1" | bc)
  [ "$2" -gt "$max" ] && max=$2
  done_n=$((done_n + 1))
done
echo "| count, $done_n of $n shards of 1 thread, $jobs at a time (sum of walls; largest RSS; this run's wall $(($(date +%s) - t0)) s) | $total s | $((max / 1024)) MB |"
sample=${FS_SCALE_SAMPLE:-0}
if [ "$sample" != 0 ]; then
  # the documents of shards 1..K, as count --shard splits the path order
  rows=$(tail -n +2 "$man" | wc -l)
  tail -n +2 "$man" | head -n $((rows * sample / n)) > "$w/sample$sample.rows"
  { echo path,outlet; cat "$w/sample$sample.rows"; } > "$w/sample$sample.csv"
  stage "$w/sample$sample-merged.fsc:merge shards 1..$sample" "$FS" merge $(seq 1 "$sample" | sed "s#.*#$w/shard-&.fsc#") -o "$w/sample$sample-merged.fsc"
  stage "$w/sample$sample-one.fsc:count, one job over shards 1..$sample's $(wc -l < "$w/sample$sample.rows") documents (2 threads)" "$FS" count --quiet --threads 2 --manifest "$w/sample$sample.csv" -o "$w/sample$sample-one.fsc"
fi
# shards 1..m are counted
m=0
while [ "$m" -lt "$n" ] && [ -e "$w/shard-$((m + 1)).time" ]; do m=$((m + 1)); done
sfx=
if [ "$m" != "$n" ]; then
  [ "$sample" != 0 ] && echo && echo "- merge of shards 1..$sample vs one job over their documents: $(same "$w/sample$sample-merged.fsc" "$w/sample$sample-one.fsc")"
  echo
  echo "- $done_n of $n shards counted (FS_SCALE_WORK=$w resumes)"
  [ "${FS_SCALE_PARTIAL:-0}" = 1 ] && [ "$m" -gt 0 ] || exit 0
  # FS_SCALE_PARTIAL=1: the merges and statistics over shards 1..m
  one=0 text=0 sfx=-of$m
  rows=$(tail -n +2 "$man" | wc -l)
  bytes=$(tail -n +2 "$man" | head -n $((rows * m / n)) | cut -d, -f1 | xargs stat -L -c %s | awk '{s += $1} END {printf "%.0f", s}')
  echo "- below: shards 1..$m only, their $((rows * m / n)) documents, $bytes bytes"
  echo
fi
shards=$(seq 1 "$m" | sed "s#.*#$w/shard-&.fsc#")
merged=$w/merged$sfx.fsc tree=$w/tree$sfx.fsc
stage "$merged:merge $m shards" "$FS" merge $shards -o "$merged"
stage "$tree:merge as a tree (4 groups, then 1)" sh -c "
  rm -f $w/group.* && echo '$shards' | split -n r/4 - $w/group. &&
  for g in $w/group.??; do [ -s \$g ] || continue; $FS merge \$(cat \$g) -o \$g.fsc || exit 1; done &&
  $FS merge $w/group.??.fsc -o $tree"
stats=${FS_SCALE_STATS-compare terms report}
has() { case " $stats " in *" $1 "*) return 0 ;; esac; return 1; }
has compare && stage "$w/c_counts$sfx.csv:compare --counts (merged)" "$FS" compare --counts "$merged" --threads 2 $copts --format csv -o "$w/c_counts$sfx.csv"
has terms && stage "$w/t_counts$sfx.csv:terms --counts (merged)" "$FS" terms --counts "$merged" --format csv -o "$w/t_counts$sfx.csv"
# report's rows are ~80 per document: to a file only when compared
if ! has report; then
  :
elif [ "$text" = 1 ]; then
  stage "report --counts (merged; csv)" "$FS" report --counts "$merged" --format csv -o "$w/r_counts.csv"
else
  stage "report --counts (merged; csv to /dev/null)" "$FS" report --counts "$merged" --format csv
fi
[ "$text" = 1 ] && stage "compare over the texts (2 threads)" "$FS" compare --quiet --threads 2 $copts --manifest "$man" --format csv -o "$w/c_text.csv"
[ "$text" = 1 ] && stage "terms over the texts (2 threads)" "$FS" terms --quiet --threads 2 --manifest "$man" --format csv -o "$w/t_text.csv"
[ "$text" = 1 ] && stage "report over the texts (2 threads; csv)" "$FS" report --quiet --threads 2 --manifest "$man" --format csv -o "$w/r_text.csv"
[ "$text" = 1 ] && stage "compare --save-counts (old CSV)" "$FS" compare --quiet --threads 2 --manifest "$man" --save-counts "$w/old.csv" -o /dev/null
echo
if [ "$one" = 1 ]; then
  echo "- merged shards vs one job: $(same "$w/one.fsc" "$merged"); tree: $(same "$w/one.fsc" "$tree")"
else
  echo "- merged shards vs the tree of merges: $(same "$merged" "$tree") (no one-job count)"
fi
[ "$sample" != 0 ] && echo "- merge of shards 1..$sample vs one job over their documents: $(same "$w/sample$sample-merged.fsc" "$w/sample$sample-one.fsc")"
[ "$text" = 1 ] && echo "- 1 vs 2 threads: $(same "$w/one.fsc" "$w/one1.fsc")" &&
echo "- compare --counts vs compare over the texts: $(same "$w/c_counts.csv" "$w/c_text.csv")"
[ "$text" = 1 ] && echo "- terms --counts vs terms over the texts: $(same "$w/t_counts.csv" "$w/t_text.csv")"
[ "$text" = 1 ] && echo "- report --counts vs report over the texts: $(same "$w/r_counts.csv" "$w/r_text.csv")"
size() { stat -c %s "$1"; }
pct() { echo "scale=2; 100 * $1 / $bytes" | bc; }
sz=$(size "$merged")
zstd -dqc "$merged" > "$w/merged.raw" 2>/dev/null || true
echo "- counts file: $sz bytes = $(pct "$sz") % of the corpus (uncompressed $(size "$w/merged.raw" 2>/dev/null || echo '?') bytes); the $m shards together: $(cat $shards | wc -c) bytes"
rm -f "$w/merged.raw"
if [ "$one" = 1 ]; then
  "$FS" count --quiet --threads 2 --model none --manifest "$man" -o "$w/nomodel.fsc"
  echo "- without the model's dimensions (--model none): $(size "$w/nomodel.fsc") bytes = $(pct "$(size "$w/nomodel.fsc")") %"
fi
[ -e "$w/old.csv" ] && echo "- compare --save-counts CSV: $(size "$w/old.csv") bytes = $(pct "$(size "$w/old.csv")") %"
true
