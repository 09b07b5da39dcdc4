#!/usr/bin/env bash
# plot_test.sh BIN SRCDIR OUTDIR - examples/plot_outlets.py turns compare CSV
# into a PNG (skipped with exit 77 when /usr/bin/python3 lacks pandas or
# matplotlib: FS_WITH_PLOTS=1 bash scripts/setup.sh installs them).
set -u
BIN=$1
SRC=$2
OUT=$3
PY=/usr/bin/python3
if ! [ -x "$PY" ] || ! "$PY" -c 'import pandas, matplotlib' 2>/dev/null; then
  echo "SKIP: plot example: /usr/bin/python3 with pandas and matplotlib is not installed (apt-get install python3-pandas python3-matplotlib)"
  exit 77
fi
mkdir -p "$OUT"
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
rm -f "$OUT/outlets.png" "$OUT/pair.png"
"$BIN" compare --manifest "$SRC/examples/manifest.csv" --format csv \
  --bootstrap 500 -o "$OUT/compare.csv"
check "compare csv" test $? -eq 0
MPLCONFIGDIR=$OUT/mpl "$PY" "$SRC/examples/plot_outlets.py" "$OUT/compare.csv" \
  -o "$OUT/outlets.png" >"$OUT/plot.log" 2>&1
check "plot_outlets.py exits 0" test $? -eq 0
check "a PNG" test "$(head -c 8 "$OUT/outlets.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a
check "the summary line" grep -q 'wrote .*outlets.png (.* measures, 4 outlets)' "$OUT/plot.log"
"$BIN" compare --manifest "$SRC/examples/manifest.csv" --format csv \
  --pair capital_tribune harbor_wire --bootstrap 200 -o "$OUT/pair.csv"
MPLCONFIGDIR=$OUT/mpl "$PY" "$SRC/examples/plot_outlets.py" "$OUT/pair.csv" \
  --measures loaded_score,loaded.* -o "$OUT/pair.png" >"$OUT/pair.log" 2>&1
check "a pair comparison, chosen measures" grep -q '(2 measures, 2 outlets)' "$OUT/pair.log"
MPLCONFIGDIR=$OUT/mpl "$PY" "$SRC/examples/plot_outlets.py" "$SRC/examples/manifest.csv" \
  -o "$OUT/bad.png" >/dev/null 2>"$OUT/bad.log"
check "other CSV refused" grep -q 'is not framescore compare CSV' "$OUT/bad.log"
echo "plot: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
