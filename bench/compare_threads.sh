#!/bin/sh
# compare_threads.sh - what compare's statistics gain from a second thread
# (the distinctive rows' permutation tests run in blocks on every thread):
# CPU (user + sys) and wall of `compare --quiet` at --threads 1 and 2, and
# optionally of a baseline binary at --threads 1, RUNS interleaved runs of
# each in one invocation, medians and their ratios. Peak RSS too.
#
#   bench/compare_threads.sh MANIFEST.csv|COUNTS.fsc [RUNS]
#       COUNTS.fsc (of framescore count): the statistics alone, --counts
#   FS=path/to/framescore (default build/framescore)
#   BASE=path/to/other/framescore (optional: its -t1 for the CPU ratio)
#
# The bench corpus of bench/run.sh: python3 bench/gen_corpus.py --out DIR
#   --mb 1 --outlets 20 --seed 1 --lexicon-dir lexicons/en
set -eu
here=$(cd "$(dirname "$0")" && pwd)
FS=${FS:-$here/../build/framescore}
man=${1:?usage: bench/compare_threads.sh MANIFEST.csv [RUNS]}
runs=${2:-5}
export FRAMESCORE_LEXICONS=${FRAMESCORE_LEXICONS:-$here/../lexicons}
export FRAMESCORE_MODELS=${FRAMESCORE_MODELS:-$here/../models}
[ -x /usr/bin/time ] || { echo "compare_threads.sh: needs GNU time" \
  "(apt-get install -y time)" >&2; exit 2; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
trap 'exit 1' INT TERM HUP
input="--manifest $man"
case $man in *.fsc) input="--counts $man" ;; esac
one() { # label binary threads
  # shellcheck disable=SC2086 # input is two words
  /usr/bin/time -f "%e %U %S %M" -o "$w/t" "$2" compare --quiet \
    --threads "$3" $input -o "$w/$1.out" >/dev/null 2>&1 ||
    { echo "compare_threads.sh: $1 failed" >&2; exit 1; }
  awk -v l="$1" '{ print l, $1, $2 + $3, $4 / 1024 }' "$w/t" >>"$w/times"
}
: >"$w/times"
i=0
while [ $i -lt "$runs" ]; do
  [ -n "${BASE:-}" ] && one base "$BASE" 1
  one t1 "$FS" 1
  one t2 "$FS" 2
  i=$((i + 1))
done
cmp -s "$w/t1.out" "$w/t2.out" ||
  { echo "compare_threads.sh: -t1 and -t2 differ" >&2; exit 1; }
python3 - "$w/times" "$runs" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for label in ("base", "t1", "t2"):
    r = [x for x in rows if x[0] == label]
    if r:
        med[label] = [statistics.median(float(x[i]) for x in r) for i in (1, 2, 3)]
print("compare --quiet, medians of %s runs (wall s, CPU s, peak RSS MB):" % sys.argv[2])
for label, v in med.items():
    print("  %-4s %7.2f %7.2f %7.1f" % (label, *v))
t1, t2 = med["t1"], med["t2"]
print("  -t2 wall speed-up over -t1: %.2fx; -t2 CPU / -t1 CPU: %.2fx" %
      (t1[0] / t2[0], t2[1] / t1[1]))
if "base" in med:
    b = med["base"]
    print("  -t1 CPU / base -t1 CPU: %.2fx; -t2 wall / base -t1 wall: %.2fx" %
          (t1[1] / b[1], t2[0] / b[0]))
PY
