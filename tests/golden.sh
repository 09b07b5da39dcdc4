#!/usr/bin/env bash
# golden.sh BIN SRCDIR [--update] - runs each case in tests/golden/cases.txt
# (a name, a TAB, framescore arguments; run from SRCDIR) and compares its
# stdout with tests/golden/NAME. --update rewrites the expected files (review
# the diff before committing).
set -u
BIN=$(realpath "$1")
cd "$2" || exit 1
update=${3:-}
pass=0 fail=0
while IFS=$'\t' read -r name args; do
  case "$name" in ''|'#'*) continue ;; esac
  # shellcheck disable=SC2086
  out=$("$BIN" $args 2>&1; echo "exit=$?")
  if [ "$update" = --update ]; then
    printf '%s\n' "$out" > "tests/golden/$name"
    pass=$((pass + 1))
  elif diff -u "tests/golden/$name" <(printf '%s\n' "$out") > /tmp/golden.$$.diff; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $name"
    head -40 /tmp/golden.$$.diff
  fi
done < tests/golden/cases.txt
rm -f /tmp/golden.$$.diff
echo "$pass passed, $fail failed"
test $fail -eq 0
