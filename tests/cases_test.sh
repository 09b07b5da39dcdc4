#!/usr/bin/env bash
# cases_test.sh BIN CASES_DIR - runs the behaviour cases kept as data in
# CASES_DIR (see the header of each file) against the framescore binary:
#   voice.tsv      scare_quotes<TAB>[quoted_words<TAB>]text (English)
#   voice_LL.tsv   the same for language LL (ru: --lang russian)
# how many scare quotes the text has and, when given, how many of its words
# are quoted speech. A literal \n in a text is a paragraph break.
# Prints one FAIL line per case that does not hold, with its line number.
set -u
BIN=$1
DIR=$2
pass=0 fail=0
for file in "$DIR"/voice*.tsv; do
  name=${file##*/}
  lang=()
  case $name in
  voice_ru.tsv) lang=(--lang russian) ;;
  voice_*.tsv) echo "FAIL: $name: no language known for it"; fail=$((fail + 1)); continue ;;
  esac
  lineno=0
  while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    case $line in '#'* | '') continue ;; esac
    want=${line%%$'\t'*}
    text=${line#*$'\t'}
    want_q=
    rest=${text%%$'\t'*}
    if [ "$rest" != "$text" ] && [[ $rest =~ ^[0-9]+$ ]]; then
      want_q=$rest
      text=${text#*$'\t'}
    fi
    json=$(printf '%s\n' "${text//\\n/$'\n'}" |
      "$BIN" report "${lang[@]}" --format jsonl -)
    got=$(printf '%s' "$json" | grep -o '^{[^[]*"scare_quotes":[0-9]*' | sed 's/.*://')
    got_q=$(printf '%s' "$json" | grep -o '^{[^[]*"quote_words":[0-9]*' | sed 's/.*://')
    if [ "$got" = "$want" ] && { [ -z "$want_q" ] || [ "$got_q" = "$want_q" ]; }; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "FAIL: $name:$lineno: want $want scare quotes${want_q:+ and $want_q quoted words}, got ${got:-none}${want_q:+ and ${got_q:-none}}: $text"
    fi
  done < "$file"
done
echo "$pass passed, $fail failed"
test $fail -eq 0
