#!/usr/bin/env bash
# cases_test.sh BIN CASES_DIR - runs the behaviour cases kept as data in
# CASES_DIR (see the header of each file) against the framescore binary:
#   voice.tsv   scare_quotes<TAB>text: how many scare quotes the text has
# Prints one FAIL line per case that does not hold, with its line number.
set -u
BIN=$1
DIR=$2
pass=0 fail=0
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
  lineno=$((lineno + 1))
  case $line in '#'* | '') continue ;; esac
  want=${line%%$'\t'*}
  text=${line#*$'\t'}
  got=$(printf '%s\n' "$text" | "$BIN" report --format jsonl - |
    grep -o '^{[^[]*"scare_quotes":[0-9]*' | sed 's/.*://')
  if [ "$got" = "$want" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: voice.tsv:$lineno: want $want scare quotes, got ${got:-none}: $text"
  fi
done < "$DIR/voice.tsv"
echo "$pass passed, $fail failed"
test $fail -eq 0
