#!/usr/bin/env bash
# hugepages_test.sh BIN SRCDIR [SANITIZED] - glibc's heap and the threads'
# arenas on transparent huge pages (scorer/cli/memory.c) change no
# output: report (csv, jsonl and --matches), compare and terms at 1 and 2
# threads give the same bytes, messages and status as with
# FRAMESCORE_HUGEPAGES=0. And the setting does what it says: where the
# kernel has THP, a running framescore's heap is advised for huge pages
# (VmFlags "hg" in /proc/PID/smaps), and so is a worker thread's arena (an
# anonymous mapping besides the heap), and neither with
# FRAMESCORE_HUGEPAGES=0, when GLIBC_TUNABLES asks glibc to do it, or in a
# sanitizer build (SANITIZED non-empty).
set -u
BIN=$1
SRC=$2
SANITIZED=${3:-}
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
unset GLIBC_TUNABLES FRAMESCORE_HUGEPAGES
MINI=(--no-default-lexicons --lexicon "$SRC/tests/data/mini.tsv")
D=$T/docs
mkdir "$D"
# 24 documents over 3 outlets, ~1.3 MB, with a vocabulary that keeps growing
# (the contexts' tables: what the heap's pages are for)
for i in $(seq 1 24); do
  awk -v d="$i" 'BEGIN {
    for (l = 0; l < 900; l++)
      printf "Officials called report%d nonsense, Kirby said of term%d_%d. " \
        "A disgrace, the minister claimed; word%d was fine.\n", \
        l, d, l, l * 7 + d
  }' >"$D/doc$i.txt"
done
{
  echo path,outlet
  for i in $(seq 1 24); do echo "doc$i.txt,o$((i % 3))"; done
} >"$D/manifest.csv"

# run NAME ARGS...: with and without; stdout, stderr, status the same
run() {
  local name=$1
  shift
  timeout 120 "$BIN" "$@" >"$T/$name.a.out" 2>"$T/$name.a.err"
  echo $? >"$T/$name.a.rc"
  [ -f "$T/m.csv" ] && mv "$T/m.csv" "$T/$name.a.m"
  FRAMESCORE_HUGEPAGES=0 timeout 120 "$BIN" "$@" >"$T/$name.b.out" \
    2>"$T/$name.b.err"
  echo $? >"$T/$name.b.rc"
  [ -f "$T/m.csv" ] && mv "$T/m.csv" "$T/$name.b.m"
  check "$name: same output" cmp -s "$T/$name.a.out" "$T/$name.b.out"
  check "$name: same messages" cmp -s "$T/$name.a.err" "$T/$name.b.err"
  check "$name: same status" cmp -s "$T/$name.a.rc" "$T/$name.b.rc"
  if [ -f "$T/$name.a.m" ]; then
    check "$name: same matches" cmp -s "$T/$name.a.m" "$T/$name.b.m"
  fi
}
for t in 1 2; do
  run csv_t$t report "${MINI[@]}" --format csv --threads $t \
    --manifest "$D/manifest.csv"
  run jsonl_t$t report "${MINI[@]}" --format jsonl --threads $t \
    --matches "$T/m.csv" --manifest "$D/manifest.csv"
  run compare_t$t compare "${MINI[@]}" --threads $t \
    --manifest "$D/manifest.csv"
  run terms_t$t terms "${MINI[@]}" --threads $t --manifest "$D/manifest.csv"
done
check "report: rows for every document" \
  test "$(cut -d, -f1 "$T/csv_t2.a.out" | sort -u | grep -c '^doc')" -eq 24
check "report: matches found" test "$(wc -l <"$T/jsonl_t2.a.m")" -gt 1000
check "compare: every outlet" grep -q o2 "$T/compare_t2.a.out"

# advised [--arena] ENV...: whether framescore's heap (with --arena: an
# anonymous mapping besides the heap, a worker thread's arena) is advised
# for huge pages, as it waits for a document on stdin (a FIFO); --arena
# runs two threads on a file and stdin, so the worker is there
advised() {
  local fifo=$T/fifo pid i state found=1 arena=0
  local docs=(-)
  if [ "${1:-}" = --arena ]; then
    arena=1
    docs=(--threads 2 "$D/doc1.txt" -)
    shift
  fi
  rm -f "$fifo"
  mkfifo "$fifo"
  env "$@" "$BIN" report "${MINI[@]}" --format csv "${docs[@]}" <"$fifo" \
    >/dev/null 2>&1 &
  pid=$!
  exec 3>"$fifo"
  for i in $(seq 1 100); do
    if awk -v arena=$arena '
            /^[0-9a-f]+-[0-9a-f]+ / { heap = / \[heap\]$/; anon = NF == 5 }
            /^VmFlags:/ && / hg / && (arena ? anon : heap) { found = 1 }
            END { exit !found }' "/proc/$pid/smaps" 2>/dev/null; then
      found=0
      break
    fi
    state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)
    [ "$i" -ge 10 ] && [ "$state" = S ] && break # waiting on stdin
    sleep 0.1
  done
  exec 3>&-
  wait "$pid"
  return $found
}
not_advised() { ! advised "$@"; }
thp=/sys/kernel/mm/transparent_hugepage/enabled
if [ ! -r "$thp" ] || grep -q '\[never\]' "$thp" || [ ! -r /proc/self/smaps ]
then
  echo "hugepages: no transparent huge pages here: advice not checked"
elif [ -n "$SANITIZED" ]; then
  check "sanitizer build: heap left alone" not_advised
  check "sanitizer build: arenas left alone" not_advised --arena
else
  check "heap advised for huge pages" advised
  check "a worker thread's arena advised" advised --arena
  check "FRAMESCORE_HUGEPAGES=0: not advised" not_advised FRAMESCORE_HUGEPAGES=0
  check "FRAMESCORE_HUGEPAGES=0: arena not advised" \
    not_advised --arena FRAMESCORE_HUGEPAGES=0
  check "GLIBC_TUNABLES sets hugetlb: left to glibc" \
    not_advised GLIBC_TUNABLES=glibc.malloc.hugetlb=0
fi

echo "hugepages: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
