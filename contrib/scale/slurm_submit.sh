#!/usr/bin/env bash
# slurm_submit.sh - submits the counting array and the merge that waits for
# it:  contrib/scale/slurm_submit.sh MANIFEST.csv N WORKDIR OUT.fsc
# (COUNT options in FS_COUNT_OPTIONS, the binary in FRAMESCORE).
set -euo pipefail
[ $# -eq 4 ] || { sed -n '2,4p' "$0" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$3"
export FS_MANIFEST=$1 FS_WORKDIR=$3 FS_OUT=$4
jid=$(sbatch --parsable --export=ALL --array=1-"$2" "$here/slurm_count.sbatch")
sbatch --export=ALL --dependency=afterok:"$jid" "$here/slurm_merge.sbatch"
