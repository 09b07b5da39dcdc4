#!/usr/bin/env bash
# cli_test.sh BIN SRCDIR - the command line's contract: exit statuses, error
# messages with locations, partial failures, atomic outputs, stdin.
set -u
BIN=$1
SRC=$2
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
MINI="--no-default-lexicons --lexicon $SRC/tests/data/mini.tsv"
good=$SRC/examples/corpus/harbor_wire/01.txt

# usage errors exit 2 with a hint
"$BIN" >/dev/null 2>"$T/err"; check "no command exits 2" test $? -eq 2
"$BIN" report --bogus x 2>"$T/err" >/dev/null; rc=$?
check "unknown option exits 2" test $rc -eq 2
check "unknown option hint" grep -q "Try 'framescore report --help'" "$T/err"
check "unknown option named" grep -q "unknown option '--bogus'" "$T/err"
# an unknown letter in a cluster ("-t1") is named, not the word before it
"$BIN" report -t1 "$good" 2>"$T/err" >/dev/null; rc=$?
check "unknown short option exits 2" test $rc -eq 2
check "unknown short option named" grep -q "unknown option '-t'" "$T/err"
"$BIN" report 2>"$T/err" >/dev/null; check "no files exits 2" test $? -eq 2
"$BIN" report --format xml "$good" 2>/dev/null >/dev/null; check "bad format exits 2" test $? -eq 2
"$BIN" report --help | grep -q "Usage: framescore report"; check "report --help" test $? -eq 0
# the help is two literals (one would pass C99's 4,095 characters): both
# halves are printed, the options report takes are all listed
"$BIN" report --help > "$T/help"
check "report --help lists --context-model" grep -q -- "--context-model FILE" "$T/help"
check "report --help: actors join the person nouns" grep -q "names join the person nouns" "$T/help"
check "report --help ends with the exit status" grep -q "2 usage error" "$T/help"
"$BIN" --version | grep -q "^framescore [0-9]"; check "--version" test $? -eq 0

# a missing file, a directory and a binary file: one message each, the good
# file is still reported, exit 1
head -c 4096 /dev/urandom | tr -d '\n' > "$T/binary.bin"
printf '\x00\x01\x02\x03%.0s' $(seq 200) >> "$T/binary.bin"
mkdir "$T/adir"
"$BIN" report $MINI --format csv "$good" "$T/missing.txt" "$T/adir/" "$T/binary.bin" >"$T/out" 2>"$T/err"
rc=$?
check "partial failure exits 1" test $rc -eq 1
check "missing file named" grep -q "missing.txt: No such file" "$T/err"
check "binary file named" grep -q "binary.bin: looks like a binary file" "$T/err"
check "good file still reported" grep -q "harbor_wire/01.txt" "$T/out"
check "directory named" grep -q "adir/: folder holds no documents" "$T/err"
check "three messages" test "$(wc -l < "$T/err")" -eq 3

# a bad lexicon line: file:line:col, exit 1, no output file
printf 'good\tloaded.x\t1\nbad line without tabs\n' > "$T/bad.tsv"
"$BIN" report --lexicon "$T/bad.tsv" -o "$T/report.csv" --format csv "$good" 2>"$T/err"
check "bad lexicon exits 1" test $? -eq 1
check "bad lexicon located" grep -q "bad.tsv:2:22: expected TAB after pattern" "$T/err"
check "no output file after lexicon error" test ! -e "$T/report.csv"
check "no temporary file left" test -z "$(ls "$T" | grep report)"

# lexicon check
"$BIN" lexicon check "$T/bad.tsv" >/dev/null 2>"$T/err"
check "lexicon check bad exits 1" test $? -eq 1
"$BIN" lexicon check "$SRC/tests/data/mini.tsv" >"$T/out"
check "lexicon check ok" test $? -eq 0
check "lexicon check counts" grep -q "attribution.pejorative *3" "$T/out"
printf 'claims\tattribution.doubt\t1\nclaimed\tattribution.doubt\t2\n' > "$T/dup.tsv"
"$BIN" lexicon check "$T/dup.tsv" >"$T/out"
check "duplicate reported" grep -q "dup.tsv:2: duplicate" "$T/out"
check "stem collision reported" grep -q "same stems" "$T/out"

# output written atomically, and a failed write is an error
"$BIN" report $MINI --format csv -o "$T/r.csv" --matches "$T/m.csv" "$good"
check "output written" test -s "$T/r.csv"
check "matches written" grep -q "^file,outlet,byte_start" "$T/m.csv"
if [ -w /dev/full ]; then
  "$BIN" report $MINI --format csv "$good" >/dev/full 2>"$T/err"
  check "write failure exits 1" test $? -eq 1
  check "write failure message" grep -q "writing output failed" "$T/err"
fi

# stdin
printf 'They claimed it was nonsense.' | "$BIN" report $MINI --format csv - >"$T/out"
check "stdin" grep -q '^-,,author,loaded.dismissive,1,' "$T/out"

# deterministic: same input, same bytes
"$BIN" report $MINI --format jsonl --manifest "$SRC/examples/manifest.csv" >"$T/a"
"$BIN" report $MINI --format jsonl --manifest "$SRC/examples/manifest.csv" >"$T/b"
check "deterministic" cmp -s "$T/a" "$T/b"

# folder mode: *.txt and *.text are documents; other files are skipped and named
mkdir -p "$T/fm/A" "$T/fm/B"
printf 'The regime lied again.\n' > "$T/fm/A/1.txt"
printf 'path,note\n' > "$T/fm/A/meta.csv"
printf 'Officials said so.\n' > "$T/fm/B/1.text"
printf 'x\n' > "$T/fm/B/photo.jpg"
printf 'notes\n' > "$T/fm/README.md"
"$BIN" report $MINI --format csv "$T/fm" > "$T/fm.csv" 2> "$T/fm.err"
check "folder mode: runs" test $? -eq 0
check "folder mode: two documents" test "$(cut -d, -f1 "$T/fm.csv" | sort -u | grep -c 'fm/')" -eq 2
check "folder mode: meta.csv skipped, named" grep -q 'fm/A/meta.csv: warning: skipped' "$T/fm.err"
check "folder mode: photo.jpg skipped, named" grep -q 'fm/B/photo.jpg: warning: skipped' "$T/fm.err"
check "folder mode: top-level README not a warning" test -z "$(grep README "$T/fm.err")"
"$BIN" report $MINI --format csv --quiet "$T/fm" > /dev/null 2> "$T/fm.err"
check "folder mode: --quiet" test ! -s "$T/fm.err"

echo "$pass passed, $fail failed"
test $fail -eq 0
