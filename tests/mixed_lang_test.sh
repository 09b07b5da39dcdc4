#!/usr/bin/env bash
# mixed_lang_test.sh BIN SRCDIR - a corpus of English and Russian documents
# in one run (tests/data/mixed: invented articles, the manifest's lang
# column per row). Each document is read in its own language: its rows are
# those of a run of its language alone; report, compare, terms, kwic, count
# and the HTML page give the same bytes for 1, 2 and 4 threads; the text
# report names each document's language; a --lexicon file holds entries for
# both languages, each stemmed by its own stemmer; an unknown language and a
# model with stem features are refused.
set -u
BIN=$1
SRC=$2
D=$SRC/tests/data/mixed
M=$D/manifest.csv
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# the manifest's rows split by language, beside the documents
cp -r "$D" "$T/m"
{ head -1 "$M"; grep -E ',(en|english)$' "$M"; } > "$T/m/en.csv"
{ head -1 "$M"; grep -E ',(ru|russian)$' "$M"; } > "$T/m/ru.csv"
M=$T/m/manifest.csv

# 1. every document as in a run of its own language
"$BIN" report --manifest "$M" --format csv --matches "$T/mix_m.csv" -o "$T/mix.csv"
check "mixed report ran" test $? -eq 0
"$BIN" report --manifest "$T/m/en.csv" --format csv --matches "$T/en_m.csv" -o "$T/en.csv"
"$BIN" report --manifest "$T/m/ru.csv" --format csv --matches "$T/ru_m.csv" -o "$T/ru.csv"
both() { { tail -n +2 "$1"; tail -n +2 "$2"; } | LC_ALL=C sort; }
check "report rows as in one-language runs" \
  cmp -s <(tail -n +2 "$T/mix.csv" | LC_ALL=C sort) <(both "$T/en.csv" "$T/ru.csv")
check "matches as in one-language runs" \
  cmp -s <(tail -n +2 "$T/mix_m.csv" | LC_ALL=C sort) <(both "$T/en_m.csv" "$T/ru_m.csv")
# Russian inflections found by the Russian stemmer, English by the English
check "russian label matched in a russian document" \
  grep -q '^ru_vestnik/01.txt,.*неонацистам' "$T/mix_m.csv"
check "russian attribution with stance" \
  grep -q '^ru_vestnik/01.txt,.*attribution.pejorative.*солгал' "$T/mix_m.csv"
check "english label matched in an english document" \
  grep -q '^en_meridian/01.txt,.*neo-nazi' "$T/mix_m.csv"
# dialogue dashes are speech in Russian, not in English
check "russian dash line is quoted speech" \
  grep -q '^ru_golos/01.txt,.*,quote,loaded.emotive,чудовищный' "$T/mix_m.csv"
check "english dash line stays the author's" \
  grep -q '^en_harbor/01.txt,.*,author,loaded.emotive,brutal' "$T/mix_m.csv"
# --lang sets only the rows without a cell
"$BIN" report --lang ru --manifest "$M" --format csv -o "$T/mix_ru.csv"
check "--lang does not override the rows" cmp -s "$T/mix.csv" "$T/mix_ru.csv"

# 2. the same bytes for any thread count
for j in 1 2 4; do
  "$BIN" report --threads $j --manifest "$M" --color never -o "$T/rt$j.txt"
  "$BIN" report --threads $j --manifest "$M" --format csv --matches "$T/rm$j.csv" -o "$T/rc$j.csv"
  "$BIN" report --threads $j --manifest "$M" --format html -o "$T/rh$j.html"
  "$BIN" compare --threads $j --manifest "$M" --bootstrap 50 --format csv -o "$T/cc$j.csv"
  "$BIN" compare --threads $j --manifest "$M" --bootstrap 50 --format html -o "$T/ch$j.html"
  "$BIN" terms --threads $j --manifest "$M" -o "$T/t$j.txt"
  "$BIN" kwic --threads $j --manifest "$M" --category label.naming -o "$T/k$j.txt"
  "$BIN" count --threads $j --manifest "$M" -o "$T/n$j.counts"
done
for f in rt%.txt rc%.csv rm%.csv rh%.html cc%.csv ch%.html t%.txt k%.txt n%.counts; do
  a=$T/${f/\%/1}
  check "$f made" test -s "$a"
  for j in 2 4; do
    check "$f same with $j threads" cmp -s "$a" "$T/${f/\%/$j}"
  done
done

# 3. what the outputs say
check "text report header names both languages" \
  grep -q '(english+russian)$' "$T/rt1.txt"
check "text report: a russian document's language" \
  grep -A1 -F '== ru_golos/01.txt' "$T/rt1.txt" | grep -q 'language: russian'
check "text report: an english document's language" \
  grep -A1 -F '== en_harbor/02.txt' "$T/rt1.txt" | grep -q 'language: english'
check "compare holds all four outlets" \
  test "$(grep -oE ',(en_harbor|en_meridian|ru_vestnik|ru_golos),' "$T/cc1.csv" | sort -u | wc -l)" -eq 4
check "html page names a russian outlet" grep -q 'ru_vestnik' "$T/rh1.html"
check "html page shows a russian match" grep -q 'неонацистам' "$T/rh1.html"
check "html page names each document's language" \
  test "$(grep -c 'class="meta">language: russian' "$T/rh1.html")" -eq 3
check "terms has russian stems" grep -q 'вессарск' "$T/t1.txt"
check "terms columns line up in Cyrillic (characters, not bytes)" \
  grep -qE '^  вессарск {11}вессарский 1; вессарскому 1 {13}2 ' "$T/t1.txt"
check "kwic finds both languages" \
  test "$(grep -cE 'ru_vestnik/01.txt|en_meridian/01.txt' "$T/k1.txt")" -eq 2

# 4. a --lexicon file is read in every language of the run
printf 'pier\tloaded.test\t1\nпричал\tloaded.test\t1\n' > "$T/user.tsv"
"$BIN" report --manifest "$M" --lexicon "$T/user.tsv" --format csv --matches "$T/u.csv" -o /dev/null
check "user entry matches english" grep -q '^en_harbor/01.txt,.*loaded.test' "$T/u.csv"
check "user entry stemmed in russian (причала)" \
  grep -q '^ru_golos/01.txt,.*loaded.test.*причала' "$T/u.csv"

# 5. refusals
awk -F, 'NR == 3 { sub(/,ru$/, ",klingon") } { print }' "$M" > "$T/m/bad.csv"
"$BIN" report --manifest "$T/m/bad.csv" -o /dev/null 2> "$T/err"
check "unknown language exits 1" test $? -eq 1
check "unknown language names the row" grep -q "bad.csv:3: lang 'klingon': unknown Snowball language" "$T/err"
"$BIN" report --manifest "$M" --model "$SRC/tests/data/stems.model" -o /dev/null 2> "$T/err"
check "stem-feature model refused in a mixed run" test $? -eq 1
check "stem-feature refusal says why" grep -q 'stem features reads one language' "$T/err"
"$BIN" report --manifest "$T/m/ru.csv" --model "$SRC/tests/data/stems.model" -o /dev/null 2> "$T/err"
check "stem-feature model still fine in one language" test $? -eq 0
printf 'framescore-tagger 1\ncombine\ttags\nthreshold\t0.5\nintercept\t-10\nw=harbor\t20\n' > "$T/tg.model"
"$BIN" report --manifest "$M" --tagger "$T/tg.model" --matches "$T/tg.csv" -o /dev/null 2> "$T/err"
check "tagger refused in a mixed run" test $? -eq 1
check "tagger refusal says why" grep -q 'span tagger reads one language' "$T/err"

echo "$pass passed, $fail failed"
test $fail -eq 0
