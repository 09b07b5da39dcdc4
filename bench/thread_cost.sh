#!/bin/sh
# thread_cost.sh - what a second thread costs `report --format csv`, in
# measures a loaded machine does not move: the instructions of -t1 and -t2
# (valgrind's callgrind counts them exactly, whatever else runs) with the
# functions whose counts grow, and the CPU time of one -t1 process alone,
# of each of two -t1 processes run at once (what the cores cost each other:
# no sharing in the program) and of one -t2 process, medians of RUNS
# interleaved runs. The start (the lexicons loaded, one word analysed) is
# counted too, and the speed-up two threads could reach if every
# instruction cost the same (a bound that load does not move) is -t1's
# instructions over -t2's critical path:
# - several documents, handed to whichever thread is free: the start alone,
#   then the rest of -t2's instructions split evenly (the split valgrind
#   shows is its own scheduling's, one thread at a time, not two cores');
# - one document (fewer documents than threads): the thread that reads it
#   and a helper analyse every other window in step, a split the program
#   fixes, so the path is at least the busier thread's instructions (which
#   hold the start, the first reading, the cuts, the totals and the
#   renumbering; the helper waits while they run, so even this overstates
#   it a little). An even split would overstate it more: on a generated
#   3 MB document, 1.57x for the busier thread's 1.49x.
#
#   bench/thread_cost.sh MANIFEST.csv [NDOCS] [RUNS]
#       NDOCS: the first NDOCS documents under callgrind (default 200; it
#       runs about 50 times slower), RUNS: default 5 (0: instructions only)
#   FS=path/to/framescore bench/thread_cost.sh ...  (default: build/framescore)
#   FS_BEFORE=path/to/other/framescore bench/thread_cost.sh ...: the same for
#       both binaries in one invocation, their CPU runs interleaved
set -eu
here=$(cd "$(dirname "$0")" && pwd)
FS=${FS:-$here/../build/framescore}
man=${1:?usage: bench/thread_cost.sh MANIFEST.csv [NDOCS] [RUNS]}
ndocs=${2:-200}
runs=${3:-5}
export FRAMESCORE_LEXICONS=${FRAMESCORE_LEXICONS:-$here/../lexicons}
export FRAMESCORE_MODELS=${FRAMESCORE_MODELS:-$here/../models}
for tool in valgrind callgrind_annotate perf; do
  command -v $tool >/dev/null ||
    { echo "thread_cost.sh: needs $tool (apt-get install -y valgrind" \
        "linux-perf)" >&2; exit 1; }
done
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
trap 'exit 1' INT TERM HUP
# the first NDOCS rows, with paths made absolute
dir=$(cd "$(dirname "$man")" && pwd)
{ head -1 "$man"
  tail -n +2 "$man" | head -n "$ndocs" | awk -v d="$dir" '/^\// { print; next }
    { print d "/" $0 }'
} > "$w/head.csv"
instructions() { # BIN: the instruction table of -t1 and -t2
# -t2 with a profile per thread (cg2-01 the main thread, cg2-02 the
# worker), and the start alone (the lexicons loaded, one word analysed)
for t in 1 2; do
  valgrind --tool=callgrind --separate-threads=yes \
    --callgrind-out-file="$w/cg$t" "$1" report --quiet --format csv \
    --threads $t -o /dev/null --manifest "$w/head.csv" > /dev/null 2>&1
  for f in "$w/cg$t"-*; do # one table per thread, added up below
    callgrind_annotate --inclusive=no --threshold=100 "$f"
  done > "$w/ann$t"
done
for f in "$w"/cg2-*; do
  callgrind_annotate --threshold=100 "$f" | grep 'PROGRAM TOTALS'
done > "$w/per_thread"
echo word > "$w/one.txt"
valgrind --tool=callgrind --callgrind-out-file="$w/cgs" "$1" report --quiet \
  --format csv -o /dev/null "$w/one.txt" > /dev/null 2>&1
callgrind_annotate --threshold=100 "$w/cgs" | grep 'PROGRAM TOTALS' \
  > "$w/start"
/usr/bin/python3 - "$w/ann1" "$w/ann2" "$ndocs" "$1" "$w/per_thread" \
  "$w/start" "$(($(wc -l < "$w/head.csv") - 1))" <<'EOF'
import re, sys
def load(path):
    d = {}
    for line in open(path):
        m = re.match(r'\s*([\d,]+)\s+\([^)]*\)\s+(\S+)', line)
        if m:
            d[m.group(2)] = d.get(m.group(2), 0) + int(m.group(1).replace(',', ''))
    return d
def totals(path):
    return [int(l.split()[0].replace(',', '')) for l in open(path)]
a, b = load(sys.argv[1]), load(sys.argv[2])
ta, tb = a.pop('PROGRAM'), b.pop('PROGRAM')
threads, start = totals(sys.argv[5]), totals(sys.argv[6])[0]
docs = int(sys.argv[7])
print('### Instructions, the first %s documents (callgrind), %s\n' % (sys.argv[3], sys.argv[4]))
print('| | -t1 | -t2 | -t2 / -t1 |\n|---|---:|---:|---:|')
print('| all | %d | %d | %.3f |' % (ta, tb, tb / ta))
# what bounds -t2's speed-up when every instruction costs the same: the
# start (before any thread is made) runs alone, then the rest split evenly
# among documents handed to whichever thread is free (valgrind runs one
# thread at a time, so the split it shows is its own scheduling's, not
# what two cores do); one document is split by the program, window by
# window between the reading thread and its helper, so no less than the
# busier thread's instructions can be the path
if len(threads) == 2:
    even = start + (tb - start) / 2
    print('| start (one word) | %d | | %.1f%% of -t1 |' % (start, 100.0 * start / ta))
    if docs < 2:
        crit = max(even, max(threads))
        print('| -t2 reading thread / helper | | %d / %d | |' % tuple(threads))
        print('| -t2 critical path (the busier thread; an even split: %d, %.2fx) | | %d | speed-up bound %.2fx |' % (even, ta / even, crit, ta / crit))
    else:
        print('| -t2 main thread / worker (as valgrind ran them) | | %d / %d | |' % tuple(threads))
        print('| -t2 critical path (start + half the rest) | | %d | speed-up bound %.2fx |' % (even, ta / even))
grow = sorted(set(a) | set(b), key=lambda k: a.get(k, 0) - b.get(k, 0))
for k in grow[:12]:
    name = k.split(':', 1)[1] if ':' in k else k
    print('| %s | %d | %d | +%.2f%% of -t1 |' % (
        name, a.get(k, 0), b.get(k, 0), 100.0 * (b.get(k, 0) - a.get(k, 0)) / ta))
EOF
}
[ -n "${FS_BEFORE:-}" ] && instructions "$FS_BEFORE"
instructions "$FS"
[ "$runs" -gt 0 ] || exit 0
one() { # TAG BIN THREADS -> task-clock ms
  perf stat -x, -e task-clock -o "$w/ps.$1" "$2" report --quiet \
    --format csv --threads "$3" -o /dev/null --manifest "$man" 2>/dev/null
  grep task-clock "$w/ps.$1" | cut -d, -f1
}
i=0
while [ $i -lt "$runs" ]; do
  for b in ${FS_BEFORE:+before} after; do
    bin=$FS
    [ $b = before ] && bin=$FS_BEFORE
    echo "$b alone $(one a "$bin" 1)"
    one b "$bin" 1 > "$w/pb" & one c "$bin" 1 > "$w/pc"
    wait
    echo "$b pair $(cat "$w/pb")"
    echo "$b pair $(cat "$w/pc")"
    echo "$b t2 $(one d "$bin" 2)"
  done
  i=$((i + 1))
done > "$w/cpu"
/usr/bin/python3 - "$w/cpu" <<'EOF'
import statistics, sys
d = {}
for line in open(sys.argv[1]):
    b, k, v = line.split()
    d.setdefault(b, {}).setdefault(k, []).append(float(v))
print('\n### CPU time, the whole manifest (medians, ms)\n')
print('| binary | run | CPU ms | vs alone |\n|---|---|---:|---:|')
for b in ('before', 'after'):
    if b not in d:
        continue
    alone = statistics.median(d[b]['alone'])
    for k, label in (('alone', 'one -t1 process alone'),
                     ('pair', 'each of two -t1 processes at once'),
                     ('t2', 'one -t2 process')):
        m = statistics.median(d[b][k])
        print('| %s | %s | %.0f | %.3f |' % (b, label, m, m / alone))
EOF
