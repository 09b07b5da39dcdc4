#!/bin/sh
# size_instructions.sh - instructions per MB of `report --format csv
# --threads 1` on about MB megabytes of each document size of the size
# sweep (bench/run.sh --sweep-mb builds it in bench/.corpus), counted by
# valgrind's callgrind: exact, whatever else runs on the machine, so two
# binaries are compared in one invocation even under load.
#
#   bench/size_instructions.sh [SWEEP_DIR_PREFIX] [MB]
#       SWEEP_DIR_PREFIX: default bench/.corpus/sweep-ptc-40mb- (the sizes
#       5000, 300000 and 4000000 are appended); MB: default 8
#   FS=path/to/framescore FS_BEFORE=path/to/other/framescore bench/size_instructions.sh
#       both binaries, their rows side by side (FS default build/framescore)
# Prints a Markdown table: per size, the files and bytes taken, the
# instructions of each binary and their change.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
FS=${FS:-$here/../build/framescore}
prefix=${1:-$here/.corpus/sweep-ptc-40mb-}
mb=${2:-8}
export FRAMESCORE_LEXICONS=${FRAMESCORE_LEXICONS:-$here/../lexicons}
export FRAMESCORE_MODELS=${FRAMESCORE_MODELS:-$here/../models}
command -v valgrind >/dev/null ||
  { echo "size_instructions.sh: needs valgrind (apt-get install -y valgrind)" >&2
    exit 1; }
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
trap 'exit 1' INT TERM HUP
count() { # BIN MANIFEST -> instructions
  valgrind --tool=callgrind --callgrind-out-file="$w/cg" "$1" report --quiet \
    --format csv --threads 1 -o /dev/null --manifest "$2" >/dev/null \
    2>"$w/log" || { echo "size_instructions.sh: $1 failed on $2" >&2; exit 1; }
  sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$w/log"
}
echo "| documents | files | MB | ${FS_BEFORE:+before M/MB | }after M/MB${FS_BEFORE:+ | change} |"
echo "|---|---:|---:|${FS_BEFORE:+---:|}---:|${FS_BEFORE:+---:|}"
for size in 5000 300000 4000000; do
  dir=$prefix$size
  [ -f "$dir/manifest.csv" ] ||
    { echo "size_instructions.sh: no $dir/manifest.csv (make it with" \
        "bench/run.sh --sweep-mb 40 --data ../shared/data)" >&2; exit 1; }
  # the first files, in manifest order, up to MB megabytes
  dir=$(cd "$dir" && pwd)
  { echo "path,outlet"
    tail -n +2 "$dir/manifest.csv" | cut -d, -f1 | while read -r f; do
      echo "$dir/$f,sweep"
    done
  } | awk -F, -v lim="$mb" 'NR == 1 { print; next }
      { cmd = "wc -c < \"" $1 "\""; cmd | getline b; close(cmd)
        if (tot >= lim * 1e6) exit
        tot += b; print }
      END { printf "%d\n", tot > "/dev/stderr" }' \
    > "$w/m.csv" 2> "$w/size"
  read -r bytes < "$w/size"
  nfiles=$(($(wc -l < "$w/m.csv") - 1))
  after=$(count "$FS" "$w/m.csv")
  before=
  [ -n "${FS_BEFORE:-}" ] && before=$(count "$FS_BEFORE" "$w/m.csv")
  /usr/bin/python3 - "$size" "$nfiles" "$bytes" "$after" "$before" <<'EOF'
import sys
size, nfiles, nbytes, after = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
before = int(sys.argv[5]) if sys.argv[5] else None
mb = nbytes / 1e6
label = {'5000': '~5 KB', '300000': '~300 KB', '4000000': '~4 MB'}[size]
row = '| %s | %d | %.2f |' % (label, nfiles, mb)
if before is not None:
    row += ' %.2f |' % (before / 1e6 / mb)
row += ' %.2f |' % (after / 1e6 / mb)
if before is not None:
    row += ' %+.2f%% |' % (100.0 * (after - before) / before)
print(row)
EOF
done
