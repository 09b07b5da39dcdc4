#!/usr/bin/env bash
# scale_test.sh BIN SRCDIR - the scale-out recipes of contrib/scale give the
# counts file of one `framescore count` of the whole manifest, byte for
# byte: GNU parallel (local jobs), the Slurm array scripts (run with the
# array variables set by hand) and the Dask module on a LocalCluster of 2
# workers. A recipe whose engine is missing is skipped with a message.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$2
S=$SRC/contrib/scale
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
skipped=0
skip() { echo "SKIP: $1"; skipped=$((skipped + 1)); }
export FRAMESCORE=$BIN
cp -r "$SRC/examples/corpus" "$T/corpus"
M=$T/manifest.csv
{ echo path,outlet
  for f in "$T"/corpus/*/*.txt; do echo "corpus/${f#"$T"/corpus/},$(basename "$(dirname "$f")")"; done
} > "$M"
"$BIN" count --manifest "$M" -o "$T/one.fsc"
check "one count" test $? -eq 0

# GNU parallel, local jobs (--sshlogin is the same command on more machines)
if command -v parallel >/dev/null; then
  FS_JOBS=2 bash "$S/parallel.sh" "$M" 5 "$T/parallel.fsc"
  check "parallel.sh runs" test $? -eq 0
  check "parallel.sh = one count" cmp -s "$T/one.fsc" "$T/parallel.fsc"
  check "parallel.sh removes its shards" test ! -e "$T/parallel.fsc.shards"
  FS_JOBS=2 bash "$S/parallel.sh" "$M" 3 "$T/quote.fsc" --voice quote
  "$BIN" count --manifest "$M" --voice quote -o "$T/one_quote.fsc"
  check "parallel.sh passes count options" cmp -s "$T/one_quote.fsc" "$T/quote.fsc"
else
  skip "GNU parallel is not installed (Debian: parallel; scripts/setup.sh installs it)"
fi

# Slurm: the array's tasks with SLURM_ARRAY_TASK_ID set by hand, then the
# merge job
mkdir "$T/slurm"
ok=0
for k in 1 2 3 4; do
  FS_MANIFEST=$M FS_WORKDIR=$T/slurm SLURM_ARRAY_TASK_ID=$k \
    SLURM_ARRAY_TASK_COUNT=4 bash "$S/slurm_count.sbatch" || ok=1
done
check "slurm_count.sbatch tasks run" test $ok -eq 0
FS_WORKDIR=$T/slurm FS_OUT=$T/slurm.fsc bash "$S/slurm_merge.sbatch"
check "slurm_merge.sbatch runs" test $? -eq 0
check "slurm array + merge = one count" cmp -s "$T/one.fsc" "$T/slurm.fsc"
FS_MANIFEST=$M FS_WORKDIR=$T/slurm bash "$S/slurm_count.sbatch" 2> "$T/err"
check "slurm_count.sbatch outside an array fails" test $? -ne 0
check "... saying why" grep -q "not in a job array" "$T/err"

# Dask distributed: a LocalCluster of 2 worker processes, a tree of merges
PY=/usr/bin/python3
if [ -x $PY ] && $PY -c 'import dask.distributed' 2>/dev/null; then
  (cd "$T" && timeout 300 $PY "$S/framescore_dask.py" --local 2 \
    --framescore "$BIN" --fan-in 2 --workdir "$T/dask" "$M" 5 "$T/dask.fsc") \
    > "$T/dask.log" 2>&1
  rc=$?
  [ $rc -eq 0 ] || cat "$T/dask.log"
  check "dask LocalCluster runs" test $rc -eq 0
  check "dask count + tree merge = one count" cmp -s "$T/one.fsc" "$T/dask.fsc"
else
  skip "python3-distributed is not installed (scripts/setup.sh installs it without FS_QUICK=1)"
fi

echo "scale tests: $pass passed, $fail failed, $skipped engines skipped"
[ $fail -eq 0 ]
