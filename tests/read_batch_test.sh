#!/usr/bin/env bash
# read_batch_test.sh BIN SRCDIR - short documents are read a batch at a time
# through io_uring where the build and the kernel allow it
# (scorer/cli/read_batch.c), one by one otherwise (FRAMESCORE_IO_URING=off):
# both give the same output, messages and exit status, on a corpus where
# good files sit between every kind of file that cannot be used (missing, a
# folder, a FIFO, binary, too large, a symlink to nothing), at 1 and 2
# threads, for report, count and terms.
set -u
BIN=$1
SRC=$2
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
MINI=(--no-default-lexicons --lexicon "$SRC/tests/data/mini.tsv")
D=$T/docs
mkdir "$D" "$D/folder"
for i in $(seq 1 40); do
  printf 'Document %d. Officials called the report nonsense, Kirby said.\n' \
    "$i" >"$D/good$i.txt"
done
: >"$D/empty.txt"
mkfifo "$D/fifo.txt"
printf 'MZ\0\0\0\0\1\2\3\4\5\6\7\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0' >"$D/binary.txt"
head -c 3000 /dev/zero | tr '\0' 'a' >"$D/large.txt"
ln -s "$D/nowhere.txt" "$D/dangling.txt"
ln -s "$D/good1.txt" "$D/link.txt"
{
  echo path,outlet
  for i in $(seq 1 40); do
    echo "good$i.txt,o$((i % 3))"
    case $i in
    3) echo missing.txt,o1 ;;
    7) echo folder,o2 ;;
    11) echo fifo.txt,o0 ;;
    17) echo binary.txt,o1 ;;
    19) echo large.txt,o2 ;;
    23) echo empty.txt,o0 ;;
    29) echo dangling.txt,o1 ;;
    esac
  done
} >"$D/manifest.csv"
# the same corpus with a document listed twice: refused before any reading
{ cat "$D/manifest.csv"; echo link.txt,o2; } >"$D/twice.csv"

# run NAME ARGS...: both ways; stdout, stderr and status the same
run() {
  local name=$1
  shift
  timeout 60 "$BIN" "$@" >"$T/$name.a.out" 2>"$T/$name.a.err"
  echo $? >"$T/$name.a.rc"
  FRAMESCORE_IO_URING=off timeout 60 "$BIN" "$@" >"$T/$name.b.out" \
    2>"$T/$name.b.err"
  echo $? >"$T/$name.b.rc"
  check "$name: same output" cmp -s "$T/$name.a.out" "$T/$name.b.out"
  check "$name: same messages" cmp -s "$T/$name.a.err" "$T/$name.b.err"
  check "$name: same status" cmp -s "$T/$name.a.rc" "$T/$name.b.rc"
}
for t in 1 2; do
  run report_t$t report "${MINI[@]}" --format csv --threads $t \
    --max-file-size 2000 --manifest "$D/manifest.csv"
  run count_t$t count "${MINI[@]}" --threads $t --max-file-size 2000 \
    --manifest "$D/manifest.csv"
  run terms_t$t terms "${MINI[@]}" --threads $t --max-file-size 2000 \
    --manifest "$D/manifest.csv"
  run twice_t$t report "${MINI[@]}" --format csv --threads $t \
    --manifest "$D/twice.csv"
done
# what the run says and writes, not only that both ways agree
check "report: every good file has rows" \
  test "$(cut -d, -f1 "$T/report_t1.a.out" | grep -c '^good')" -ge 40
check "report: exit 1 (some files could not be used)" \
  grep -qx 1 "$T/report_t1.a.rc"
for what in 'missing.txt: No such file or directory' \
  'folder: is a directory' \
  'fifo.txt: not a regular file \(FIFO, device or socket\)' \
  'binary.txt: looks like a binary file, not text' \
  'large.txt: 3000 bytes, larger than --max-file-size \(2000\)' \
  'dangling.txt: No such file or directory'; do
  check "report: says $what" grep -Eq "$what" "$T/report_t2.a.err"
done
check "twice: refused" grep -q 'is the same file as' "$T/twice_t1.a.err"

echo "read_batch: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
