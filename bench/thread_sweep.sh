#!/bin/sh
# thread_sweep.sh - `report --format csv` at --threads 1 and 2 on the size
# sweep's documents (bench/run.sh --sweep-mb builds them in bench/.corpus),
# runs alternated (-t1, -t2, -t1, ...) so that a shared machine's load
# weighs on both alike: per size, the median wall -t1 / -t2 of the pairs,
# and the CPU seconds (user + system) of each, whose sum over wall time
# says how busy the two threads kept the cores.
#
#   bench/thread_sweep.sh [RUNS] [SWEEP_DIR_PREFIX]
#       RUNS: pairs per size (default 7); SWEEP_DIR_PREFIX: default
#       bench/.corpus/sweep-ptc-40mb-
#   FS=path/to/framescore (default build/framescore)
#   FS_BEFORE=path/to/other/framescore: its pairs alternated with FS's
#   ARGS="--context-model default ...": more options for report
set -eu
here=$(cd "$(dirname "$0")" && pwd)
FS=${FS:-$here/../build/framescore}
runs=${1:-7}
prefix=${2:-$here/.corpus/sweep-ptc-40mb-}
export FRAMESCORE_LEXICONS=${FRAMESCORE_LEXICONS:-$here/../lexicons}
export FRAMESCORE_MODELS=${FRAMESCORE_MODELS:-$here/../models}
[ -x /usr/bin/time ] || { echo "thread_sweep.sh: needs GNU time" >&2; exit 2; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
trap 'exit 1' INT TERM HUP
bins="after=$FS"
[ -n "${FS_BEFORE:-}" ] && bins="before=$FS_BEFORE $bins"
for size in 5000 300000 4000000; do
  man="$prefix$size/manifest.csv"
  [ -f "$man" ] || { echo "thread_sweep.sh: no $man (run" \
    "bench/run.sh --sweep-mb 40 --data ../shared/data)" >&2; exit 1; }
  cat "$prefix$size"/*.txt > /dev/null # into the page cache
  i=0
  while [ $i -lt "$runs" ]; do
    for b in $bins; do
      for t in 1 2; do
        # shellcheck disable=SC2086
        /usr/bin/time -f "$size ${b%%=*} $t %e %U %S" -a -o "$w/times" \
          "${b#*=}" report --quiet --format csv --threads $t ${ARGS:-} \
          -o /dev/null --manifest "$man" > /dev/null
      done
    done
    i=$((i + 1))
  done
done
/usr/bin/python3 - "$w/times" <<'PYEOF'
import statistics as st, sys
rows = {}
for line in open(sys.argv[1]):
    size, b, t, wall, u, s = line.split()
    rows.setdefault((int(size), b), {}).setdefault(t, []).append(
        (float(wall), float(u) + float(s)))
print("| documents | binary | wall s -t1 / -t2 | -t1 / -t2 wall (median of pairs) "
      "| CPU s -t1 / -t2 | -t2 CPU / wall |")
print("|---|---|---|---:|---|---:|")
for (size, b), r in sorted(rows.items()):
    one, two = r["1"], r["2"]
    pairs = st.median(a[0] / c[0] for a, c in zip(one, two))
    w1, w2 = st.median(x[0] for x in one), st.median(x[0] for x in two)
    c1, c2 = st.median(x[1] for x in one), st.median(x[1] for x in two)
    busy = st.median(x[1] / x[0] for x in two)
    label = {5000: "5 KB", 300000: "300 KB", 4000000: "4 MB"}[size]
    print("| %s | %s | %.3f / %.3f | %.2fx | %.3f / %.3f | %.2f |" % (
        label, b, w1, w2, pairs, c1, c2, busy))
PYEOF
