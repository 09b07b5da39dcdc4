#!/usr/bin/env bash
# parallel.sh - manifest -> counts file with GNU parallel: counts the N
# shards of a manifest (framescore count --shard K/N) as parallel jobs, then
# merges them. The result is byte-identical to one `framescore count` of the
# whole manifest, whatever N and the number of jobs.
#
#   contrib/scale/parallel.sh MANIFEST.csv N OUT.fsc [COUNT OPTIONS...]
#
# Environment: FRAMESCORE (the binary; default: framescore on PATH),
# FS_JOBS (parallel jobs; default: one per core), FS_SSHLOGIN (e.g.
# "8/node1,8/node2,:": run on those machines with parallel --sshlogin; the
# manifest, the documents and the shard folder must be at the same paths
# there, e.g. on a shared file system), FS_WORKDIR (where the shards go;
# default: OUT.fsc.shards, removed after the merge).
set -euo pipefail
[ $# -ge 3 ] || { sed -n '2,16p' "$0" >&2; exit 2; }
manifest=$1 n=$2 out=$3
shift 3
fs=${FRAMESCORE:-framescore}
work=${FS_WORKDIR:-$out.shards}
mkdir -p "$work"
remote=()
[ -n "${FS_SSHLOGIN:-}" ] && remote=(--sshlogin "$FS_SSHLOGIN")
# each job: one shard; --halt stops at the first failure, so that a merge
# never passes over a missing shard
parallel --will-cite --halt now,fail=1 --jobs "${FS_JOBS:-100%}" "${remote[@]}" \
  "$fs" count --quiet --threads 1 --manifest "$manifest" --shard {}/"$n" \
  -o "$work"/shard-{}.fsc "$@" ::: $(seq 1 "$n")
"$fs" merge "$work"/shard-*.fsc -o "$out"
[ -n "${FS_WORKDIR:-}" ] || rm -rf "$work"
