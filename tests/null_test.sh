#!/usr/bin/env bash
# null_test.sh BIN SRCDIR - calibration of compare's document-level test
# under the null (bench/null_sim.py: two outlets drawn from one overdispersed
# distribution, sparse and common categories, 2 to 50 documents a side, 400
# replicates, fixed seeds, so the same table every run). The test shown in
# compare's output (the permutation test, or the bootstrap from 200
# documents a side), and Mann-Whitney and Welch, which compare prints too,
# must not reject more often than alpha = 0.05 allows:
# every rate <= 0.08 (0.05 plus 2.7 binomial standard errors at 400
# replicates), and from 10 documents a side >= 0.02 (not uselessly
# conservative). Below 5 documents a side no relabelling test can reach
# p < 0.05 at all (3 a side: 20 arrangements, smallest p 0.1); 0 is right.
set -u
BIN=$1
SRC=$2
if [ ! -x /usr/bin/python3 ]; then
  echo "skipped: no /usr/bin/python3"
  exit 77
fi
table=$(/usr/bin/python3 "$SRC/bench/null_sim.py" --bin "$BIN" \
  --sizes 2,3,5,10,20,30,50 --reps 400) || { echo "FAIL: null_sim.py"; exit 1; }
echo "$table"
echo "$table" | awk -F'|' '
  $2 ~ /sparse|common/ {
    n = $3 + 0; r = $8 + 0; rows++
    if (r > 0.08) { print "FAIL: " $2 " " n " a side: shown test rate " r " > 0.08"; bad++ }
    if (n >= 10 && r < 0.02) { print "FAIL: " $2 " " n " a side: shown test rate " r " < 0.02"; bad++ }
    # Mann-Whitney and Welch are printed too: never too eager either
    if ($4 + 0 > 0.08) { print "FAIL: " $2 " " n " a side: Mann-Whitney rate " $4 + 0 " > 0.08"; bad++ }
    if ($5 + 0 > 0.08) { print "FAIL: " $2 " " n " a side: Welch rate " $5 + 0 " > 0.08"; bad++ }
  }
  END { if (rows != 14) { print "FAIL: expected 14 rows, got " rows; bad++ }
        print rows - bad " passed, " bad + 0 " failed"; exit bad > 0 }'
