#!/bin/sh
# long_doc_threads.sh - each command on one long document (default 4 MB,
# bench/gen_corpus.py, seed 1, its articles concatenated as in
# long_doc.sh) at --threads 1 and 2, alternated (and alternated between
# two binaries when FS_BEFORE is set), RUNS times: medians of wall and
# CPU seconds, -t2 / -t1 wall and CPU, and how many threads did work at
# -t2 (bench/thread_use.py: threads with at least a tenth of the busiest
# one's CPU). Prints a Markdown table and the load average before and
# after. The machine's other load makes wall ratios meaningless unless
# -t2's CPU / wall is near 2 (given too).
#
#   bench/long_doc_threads.sh [RUNS] [MB]      (default 5, 4)
#   FS=build/framescore FS_BEFORE=path/to/old/framescore bench/long_doc_threads.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
FS=${FS:-$here/../build/framescore}
runs=${1:-5}
mb=${2:-4}
export FRAMESCORE_LEXICONS=${FRAMESCORE_LEXICONS:-$here/../lexicons}
export FRAMESCORE_MODELS=${FRAMESCORE_MODELS:-$here/../models}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
trap 'exit 1' INT TERM HUP
/usr/bin/python3 "$here/gen_corpus.py" --out "$w/c" --mb "$mb" \
  --outlets 4 --seed 1 --lexicon-dir "$here/../lexicons/en" >/dev/null
find "$w/c" -name '*.txt' -print0 | sort -z |
  xargs -0 awk 'FNR == 1 && NR > 1 { print "" } { print }' > "$w/doc.txt"
rm -rf "$w/c"
stems=$here/../tests/data/stems.model
bins="after=$FS"
[ -n "${FS_BEFORE:-}" ] && bins="before=$FS_BEFORE $bins"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $(wc -c < "$w/doc.txt") bytes, $runs runs"
echo
echo "| command | binary | wall s -t1 / -t2 | -t2 / -t1 wall | CPU s -t1 / -t2 | -t2 CPU / wall | threads working -t2 |"
echo "|---|---|---|---:|---|---:|---:|"
while IFS='|' read -r label args; do
  : > "$w/res"
  for i in $(seq 1 "$runs"); do
    for b in $bins; do
      for t in 1 2; do
        # shellcheck disable=SC2086
        line=$(/usr/bin/python3 "$here/thread_use.py" -- "${b#*=}" $args \
          --threads $t -o "$w/out" "$w/doc.txt" 2>/dev/null | tail -1)
        echo "${b%%=*} $t $line" >> "$w/res"
      done
    done
  done
  for b in $bins; do
    /usr/bin/python3 - "$w/res" "${b%%=*}" "$label" <<'EOF'
import re, statistics as st, sys
rows = [l.split(" ", 2) for l in open(sys.argv[1]) if l.startswith(sys.argv[2] + " ")]
def col(t, key):
    return [float(re.search(key + r" ([0-9.]+)", r[2]).group(1)) for r in rows if r[1] == t]
w1, w2 = st.median(col("1", "wall")), st.median(col("2", "wall"))
c1, c2 = st.median(col("1", "CPU")), st.median(col("2", "CPU"))
cw = st.median(col("2", "CPU/wall"))
th = st.median(col("2", "threads working"))
print(f"| {sys.argv[3]} | {sys.argv[2]} | {w1:.2f} / {w2:.2f} | {w1 / w2:.2f}x "
      f"| {c1:.2f} / {c2:.2f} | {cw:.2f} | {th:g} |")
EOF
  done
done <<EOT
report csv|report --format csv
report html|report --format html
report text, stems.model|report --color never --model $stems
count|count
terms|terms --format csv
terms html|terms --format html
compare csv|compare --format csv
compare html|compare --format html
kwic|kwic --category loaded
EOT
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
