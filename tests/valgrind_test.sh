#!/usr/bin/env bash
# valgrind_test.sh BIN SRCDIR REPLAY... - the golden CLI runs (the cases of
# tests/golden/cases.txt), a few failing runs, and the fuzz seed corpora
# replayed, all under valgrind's memcheck: no invalid reads or writes, no use
# of uninitialised values, no leaks. The golden test checks their output;
# this one checks memory only. Skipped (77) when valgrind is missing.
set -u
BIN=$(realpath "$1")
SRC=$2
shift 2
if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed: skipped (scripts/setup.sh installs it)"
  exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
VG=(valgrind -q --error-exitcode=99 --leak-check=full
  --show-leak-kinds=definite,indirect,possible
  --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes)
pass=0 fail=0
run() { # NAME COMMAND...: memcheck must find nothing (exit 99 when it does)
  local name=$1
  shift
  "${VG[@]}" "$@" >/dev/null 2>"$T/err"
  local rc=$?
  if [ $rc -eq 99 ] || grep -q '^==[0-9]*== ' "$T/err"; then
    fail=$((fail + 1))
    echo "FAIL: $name"
    grep '^==' "$T/err" | head -40
  else
    pass=$((pass + 1))
  fi
}
cd "$SRC" || exit 1
export FRAMESCORE_LEXICONS=$SRC/lexicons
while IFS=$'\t' read -r name args; do
  case "$name" in '' | '#'*) continue ;; esac
  # shellcheck disable=SC2086
  run "golden $name" "$BIN" $args
done <tests/golden/cases.txt
MINI=(--no-default-lexicons --lexicon tests/data/mini.tsv)
printf 'caf\xe9 \xc3\x28 nonsense\0 "open\n\n' >"$T/bad.txt"
printf 'nonsense\tloaded.x\tnan\n' >"$T/bad.tsv"
printf 'path,outlet\na.txt,A\n"b.txt,B\n' >"$T/bad.csv"
run "bad bytes, a missing file" "$BIN" report "${MINI[@]}" --format jsonl \
  --matches "$T/m.csv" "$T/bad.txt" "$T/missing.txt"
run "bad lexicon" "$BIN" report --no-default-lexicons --lexicon "$T/bad.tsv" \
  -o "$T/r.csv" "$T/bad.txt"
run "bad manifest" "$BIN" report "${MINI[@]}" --manifest "$T/bad.csv"
run "threads" "$BIN" report "${MINI[@]}" --threads 3 --format csv examples/corpus
run "lexicon check" "$BIN" lexicon check lexicons/en
for r in "$@"; do
  t=${r##*/replay_}
  run "replay $t" "$r" "tests/fuzz/$t"
done
echo "$pass passed, $fail failed"
test $fail -eq 0
