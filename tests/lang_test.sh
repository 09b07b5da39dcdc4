#!/usr/bin/env bash
# lang_test.sh BIN SRCDIR - the manifest's 'lang' column: the Russian example
# corpus (examples/ru, lang russian on every row) runs through report,
# compare and the HTML page without --lang; a row in another language is
# read in that language, and --lang only names the language of rows
# without a cell; an unknown --lang is a usage error.
set -u
BIN=$1
SRC=$2
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
M=$SRC/examples/ru/manifest.csv
"$BIN" report --manifest "$M" --color never -o "$T/r.txt"
check "report ran" test $? -eq 0
check "report read as russian" grep -q '(russian)$' "$T/r.txt"
"$BIN" report --lang ru --manifest "$M" --color never -o "$T/r2.txt"
check "--lang ru agrees" cmp -s "$T/r.txt" "$T/r2.txt"
"$BIN" compare --manifest "$M" --bootstrap 50 --format csv -o "$T/c.csv"
check "compare ran" test $? -eq 0
check "compare has the state outlet" grep -q ',derzhavny_vestnik,' "$T/c.csv"
"$BIN" report --manifest "$M" --format html -o "$T/r.html"
check "html ran" test $? -eq 0
check "html has the state outlet" grep -q 'derzhavny_vestnik' "$T/r.html"
# a row in English is read in English, the others in Russian (a mixed
# corpus: tests/mixed_lang_test.sh)
cp -r "$SRC/examples/ru/corpus" "$T/corpus"
awk 'NR == 3 { sub(/,russian$/, ",english") } { print }' "$M" > "$T/mixed.csv"
"$BIN" report --manifest "$T/mixed.csv" --color never -o "$T/mixed.txt"
check "mixed row runs" test $? -eq 0
check "mixed row read in english" \
  grep -A1 -F '== corpus/lenta_novostei/02.txt' "$T/mixed.txt" | grep -q 'language: english'
check "other rows read in russian" \
  grep -A1 -F '== corpus/lenta_novostei/01.txt' "$T/mixed.txt" | grep -q 'language: russian'
# --lang names the language of rows without a cell, not of the others
"$BIN" report --manifest "$M" --format csv -o "$T/r.csv"
"$BIN" report --lang english --manifest "$M" --format csv -o "$T/r_en.csv"
check "--lang english leaves russian rows russian" cmp -s "$T/r.csv" "$T/r_en.csv"
# an unknown --lang is a usage error (2), said before any input is read
"$BIN" report --lang klingon --manifest "$M" -o "$T/k.txt" 2> "$T/err"
check "--lang klingon exits 2" test $? -eq 2
check "--lang klingon says so" grep -q '^framescore: --lang klingon: unknown Snowball language' "$T/err"
check "--lang klingon points to help" grep -q "^Try 'framescore report --help'" "$T/err"
check "--lang klingon writes nothing" test ! -e "$T/k.txt"
"$BIN" terms --lang klingon nosuch.txt > /dev/null 2> "$T/err"
check "terms --lang klingon exits 2" test $? -eq 2
echo "$pass passed, $fail failed"
test $fail -eq 0
