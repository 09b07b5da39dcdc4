#!/usr/bin/env bash
# liwc_cli_test.sh BIN SRCDIR - LIWC dictionaries from the command line
# (--lexicon x.dic just works; warnings on stderr, --quiet) and report --wide
# (LIWC's one-row-per-file CSV, honouring --voice).
set -u
BIN=$1
SRC=$2
D=$SRC/tests/data/liwc
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
printf 'I was glad, and I wondered. Perhaps the neighbours were "glad, as we all were."\n' >"$T/a.txt"
printf 'Nothing here.\n' >"$T/b.txt"

# a .dic next to the default lexicons, its warnings, --quiet
"$BIN" report --format csv --lexicon "$D/liwc2007_style.dic" "$T/a.txt" >"$T/out" 2>"$T/err"
check "report with a .dic exits 0" test $? -eq 0
check "LIWC category counted" grep -q ',author,feeling,2,' "$T/out"
check "quoted words are quote voice" grep -q ',quote,feeling,1,' "$T/out"
check "default lexicons still there" grep -q ',attribution.neutral,' "$T/out"
check "warnings on stderr" test "$(grep -c 'liwc2007_style.dic:[0-9]*:[0-9]*: warning:' "$T/err")" -eq 6
"$BIN" report --quiet --format csv --lexicon "$D/liwc2007_style.dic" "$T/a.txt" >/dev/null 2>"$T/err"
check "--quiet silences warnings" test ! -s "$T/err"
"$BIN" report --format csv --no-default-lexicons --lexicon "$D/liwc22_style.dicx" "$T/a.txt" >"$T/out" 2>/dev/null
check "a .dicx alone" grep -q ',author,social_life,1,' "$T/out"
check "only its categories" test -z "$(grep -c attribution "$T/out" | grep -v '^0$')"
printf 'not a dictionary\n' >"$T/bad.dic"
"$BIN" report --lexicon "$T/bad.dic" "$T/a.txt" >/dev/null 2>"$T/err"
check "a broken .dic exits 1" test $? -eq 1
check "a broken .dic located" grep -q 'bad.dic:1:1: not a LIWC dictionary' "$T/err"
"$BIN" lexicon check "$D" >"$T/out" 2>&1
check "lexicon check on a mixed folder" test $? -eq 0
check "lexicon check lists warnings" grep -q 'warning: LIWC rule' "$T/out"

# --wide: Filename, WC, WPS, then every category as % of words
L="--no-default-lexicons --lexicon $D/liwc2001_style.dic"
"$BIN" report --wide $L "$T/a.txt" "$T/b.txt" >"$T/out" 2>/dev/null
check "--wide exits 0" test $? -eq 0
check "--wide header" test "$(head -n 1 "$T/out")" = "Filename,WC,WPS,doubt,feeling,people,scare_quote"
# a.txt: 15 words (5 quoted) in 2 sentences; doubt: wondered, perhaps;
# feeling: glad, wondered, glad (quoted); people: neighbours
check "--wide row" grep -qx "$T/a.txt,15,7.50,13.33,20.00,6.67,0.00" "$T/out"
check "--wide zero row" grep -qx "$T/b.txt,2,2.00,0.00,0.00,0.00,0.00" "$T/out"
check "--wide one row per file" test "$(wc -l <"$T/out")" -eq 3
"$BIN" report --wide --voice author $L "$T/a.txt" >"$T/out" 2>/dev/null
check "--wide --voice author" grep -qx "$T/a.txt,10,7.50,20.00,20.00,10.00,0.00" "$T/out"
"$BIN" report --wide --format csv -o "$T/w.csv" $L "$T/a.txt" 2>/dev/null
check "--wide --format csv -o" grep -q '^Filename,WC,WPS' "$T/w.csv"
"$BIN" report --wide --format html $L "$T/a.txt" >/dev/null 2>&1
check "--wide --format html is a usage error" test $? -eq 2
echo "liwc_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
