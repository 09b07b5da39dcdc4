#!/usr/bin/env bash
# workflow_test.sh BIN SRCDIR - from a number to its evidence: `kwic` finds
# every hit with outlet, document, voice and context; the manifest's columns
# (date, title, any other) and its `path` as written reach every
# per-document output (report --scores too); --group-by compares by any
# manifest column.
set -u
BIN=$1
SRC=$2
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
MINI="--no-default-lexicons --lexicon $SRC/tests/data/mini.tsv"

# an invented corpus: two outlets, a manifest with a date, a title holding a
# comma and quotes, a section, and a column named like an output column
mkdir -p "$T/c/a" "$T/c/b"
printf 'The regime claimed the so-called “investigation” was over.\n\nOfficials said the dam held.\n' >"$T/c/a/1.txt"
printf 'Critics said the regime “lied”, and the minister claimed otherwise.\n' >"$T/c/a/2.txt"
printf 'The ministry said repairs began. “The regime claimed nothing,” a resident said.\n' >"$T/c/b/1.txt"
cat >"$T/c/m.csv" <<'M'
path,outlet,date,title,section,voice
a/1.txt,Alpha,2025-04-12,"Dam, ""held""",news,x
a/2.txt,Alpha,2025-05-02,Critics,opinion,y
b/1.txt,Beta,2025-05-03,Ministry,news,z
M

# ---- kwic -----------------------------------------------------------------
"$BIN" kwic $MINI =claimed --manifest "$T/c/m.csv" --format csv -o "$T/k.csv"
check "kwic csv exits 0" test $? -eq 0
check "kwic csv header" test "$(head -1 "$T/k.csv")" = \
  "file,outlet,date,title,section,manifest.voice,line,col,byte_start,byte_end,char_start,char_end,voice,category,pattern,left,match,right"
check "kwic: one row per hit" test "$(($(wc -l <"$T/k.csv") - 1))" -eq 3
check "kwic: path as written, variables" grep -q '^a/1.txt,Alpha,2025-04-12,"Dam, ""held""",news,x,1,12,' "$T/k.csv"
check "kwic: quoted hit is quote voice" grep -q '^b/1.txt,Beta,.*,quote,attribution.doubt,=claimed,[^,]* “The regime,claimed,"nothing,” a resident said."$' "$T/k.csv"
check "kwic: author hit" grep -q '^a/2.txt,Alpha,.*,author,attribution.doubt,=claimed,' "$T/k.csv"
"$BIN" kwic $MINI claimed --manifest "$T/c/m.csv" --format csv | tail -n +2 >"$T/k1"
check "kwic word pattern: no category" test "$(grep -c ',\(author\|quote\),,claimed,' "$T/k1")" -eq 3
"$BIN" kwic $MINI =claimed --manifest "$T/c/m.csv" --voice author --format csv | tail -n +2 >"$T/k2"
check "kwic --voice author" test "$(wc -l <"$T/k2")" -eq 2
# a word pattern (no lexicon entry is written so): words in a row, globs,
# context from the text as written (the hyphen and the quotation marks kept)
"$BIN" kwic $MINI 'so-called' --manifest "$T/c/m.csv" --format csv >"$T/k3.csv"
check "kwic words: hyphen kept in context" grep -q ',so-called,“investigation” was over.$' "$T/k3.csv"
"$BIN" kwic $MINI 'regi*' --manifest "$T/c/m.csv" --window 1 --format csv | tail -n +2 >"$T/k4"
check "kwic glob" test "$(wc -l <"$T/k4")" -eq 3
check "kwic --window 1" grep -q ',The,regime,claimed$' "$T/k4"
"$BIN" kwic $MINI --category attribution --manifest "$T/c/m.csv" >"$T/k5"
check "kwic --category family" test "$(grep -c '\[' "$T/k5")" -ge 5
check "kwic text: voice, outlet, place" grep -q 'quote  *Beta  *b/1.txt:1:' "$T/k5"
"$BIN" kwic $MINI --category nosuch "$T/c/a" >/dev/null 2>"$T/err"
check "kwic unknown category exits 2" test $? -eq 2
check "kwic unknown category hint" grep -q "Try 'framescore kwic --help'" "$T/err"
"$BIN" kwic $MINI >/dev/null 2>"$T/err"
check "kwic without pattern exits 2" test $? -eq 2
"$BIN" kwic $MINI =claimed --format html --manifest "$T/c/m.csv" -o "$T/k.html"
check "kwic html exits 0" test $? -eq 0
check "kwic html grouped by outlet" test "$(grep -c '^<h3>' "$T/k.html")" -eq 2
check "kwic html rows" test "$(grep -c '<td class="hit">claimed</td>' "$T/k.html")" -eq 3
check "kwic html self-contained" test -z "$(grep -Eo '(src|href)="(https?:)?//' "$T/k.html")"
"$BIN" kwic $MINI =claimed --threads 3 --manifest "$T/c/m.csv" --format csv >"$T/k6.csv"
check "kwic threads: same bytes" cmp -s "$T/k.csv" "$T/k6.csv"

# ---- document variables in every per-document output -----------------------
"$BIN" report $MINI --manifest "$T/c/m.csv" --format csv -o "$T/r.csv" --matches "$T/m.csv"
check "report csv header" test "$(head -1 "$T/r.csv")" = \
  "file,outlet,date,title,section,manifest.voice,voice,category,matches,tokens,rate_per_1k,negated,weight_sum"
check "report csv: path as written" grep -q '^a/2.txt,Alpha,2025-05-02,Critics,opinion,y,author,' "$T/r.csv"
check "matches header" grep -q '^file,outlet,date,title,section,manifest.voice,byte_start,' "$T/m.csv"
check "matches row" grep -q '^b/1.txt,Beta,2025-05-03,Ministry,news,z,' "$T/m.csv"
"$BIN" report $MINI --manifest "$T/c/m.csv" --format jsonl >"$T/r.jsonl"
check "jsonl variables" grep -q '^{"file":"a/1.txt","outlet":"Alpha","date":"2025-04-12","title":"Dam, \\"held\\"","section":"news","voice":"x",' "$T/r.jsonl"
"$BIN" report $MINI --manifest "$T/c/m.csv" --wide >"$T/w.csv"
check "wide variables" grep -q '^Filename,date,title,section,voice,WC,WPS,' "$T/w.csv"
check "wide row" grep -q '^a/1.txt,2025-04-12,"Dam, ""held""",news,x,' "$T/w.csv"
# report --scores: document rows carry the variables, outlet rows leave
# them empty (CSV) or out (JSONL)
"$BIN" report $MINI --manifest "$T/c/m.csv" --scores "$T/s.csv" -o /dev/null
check "scores csv header" grep -q '^level,file,outlet,date,title,section,voice,documents,author_words,score,distinctive_score' "$T/s.csv"
check "scores csv document row" grep -q '^document,a/1.txt,Alpha,2025-04-12,"Dam, ""held""",news,x,1,' "$T/s.csv"
check "scores csv outlet row" grep -q '^outlet,,Alpha,,,,,2,' "$T/s.csv"
"$BIN" report $MINI --manifest "$T/c/m.csv" --scores "$T/s.jsonl" -o /dev/null
check "scores jsonl document row" grep -q '^{"level":"document","file":"b/1.txt","outlet":"Beta","date":"2025-05-03","title":"Ministry","section":"news","voice":"z","documents":1,' "$T/s.jsonl"
check "scores jsonl outlet row" grep -q '^{"level":"outlet","file":null,"outlet":"Beta","documents":1,' "$T/s.jsonl"
if command -v python3 >/dev/null && python3 -c 'import pandas' 2>/dev/null; then
  check "scores csv merges back on the manifest path" python3 -c "
import pandas as pd, sys
s = pd.read_csv(sys.argv[1], keep_default_na=False)
m = pd.read_csv(sys.argv[2], keep_default_na=False)
d = s[s.level == 'document'].merge(m, left_on='file', right_on='path')
assert len(d) == 3 and (d.date_x == d.date_y).all(), d
" "$T/s.csv" "$T/c/m.csv"
fi
# a file argument beside the manifest has empty variables
"$BIN" report $MINI --manifest "$T/c/m.csv" --format csv "$SRC/examples/corpus/harbor_wire/01.txt" >"$T/r2.csv"
check "no variables: empty fields" grep -q 'harbor_wire/01.txt,,,,,,author,' "$T/r2.csv"
if command -v python3 >/dev/null && python3 -c 'import pandas' 2>/dev/null; then
  check "pandas merge on path" python3 - "$T" <<'P'
import sys, pandas as pd
t = sys.argv[1]
m = pd.read_csv(f"{t}/c/m.csv", keep_default_na=False)
r = pd.read_csv(f"{t}/r.csv", keep_default_na=False)
j = r.merge(m, left_on="file", right_on="path", suffixes=("", "_m"))
sys.exit(0 if len(j) == len(r) and (j["date"] == j["date_m"]).all() else 1)
P
fi

# ---- --group-by ------------------------------------------------------------
"$BIN" compare $MINI --manifest "$T/c/m.csv" --group-by section --format csv --bootstrap 50 >"$T/g.csv"
check "compare --group-by section" test "$(tail -n +2 "$T/g.csv" | cut -d, -f4 | sort -u | tr '\n' ' ')" = "news opinion "
"$BIN" compare $MINI --manifest "$T/c/m.csv" --group-by date:7 --bootstrap 50 >"$T/g.txt"
check "compare --group-by date:7" grep -q '2025-04 .*2025-05' "$T/g.txt"
"$BIN" terms $MINI --manifest "$T/c/m.csv" --group-by section --format csv >"$T/t.csv"
check "terms --group-by" grep -q '^opinion,rest,' "$T/t.csv"
"$BIN" terms $MINI --manifest "$T/c/m.csv" --group-by nosuch >/dev/null 2>"$T/err"
check "--group-by unknown column exits 2" test $? -eq 2
check "--group-by names the columns" grep -q "there are: outlet, date, title, section, voice" "$T/err"
"$BIN" report $MINI --group-by date "$T/c/a" >/dev/null 2>&1
check "--group-by is not a report option" test $? -eq 2

# ---- what a new user ran into ----------------------------------------------
"$BIN" report $MINI "$T/nosuch.txt" >"$T/out" 2>"$T/err"
check "report nosuch.txt exits 1" test $? -eq 1
check "report nosuch.txt: no empty report beside the error" test ! -s "$T/out"
check "report nosuch.txt: the error" grep -q "nosuch.txt: No such file" "$T/err"
"$BIN" report $MINI --outlet-from '^(\d+)_' "$T/c/a/1.txt" >/dev/null 2>"$T/err"
check "--outlet-from \\d is a usage error" test $? -eq 2
check "--outlet-from \\d: says what to write" grep -q 'POSIX extended (ERE): write \[0-9\]' "$T/err"
"$BIN" report --help | grep -q 'POSIX extended'
check "--help says the regex flavour" test $? -eq 0

# --progress: the progress line on stderr without a terminal, with an ETA
# only after the warm-up (the first files give no estimate), and 'done'
"$BIN" report $MINI --manifest "$T/c/m.csv" --progress -o /dev/null 2>"$T/prog"
check "--progress exits 0" test $? -eq 0
check "--progress: the line" grep -q '3/3 files, [0-9.]*/[0-9.]* MB, [0-9.]* MB/s, done' "$T/prog"
"$BIN" report $MINI --manifest "$T/c/m.csv" -o /dev/null 2>"$T/prog"
check "no --progress, no terminal: no line" test -z "$(grep -o 'files, ' "$T/prog")"
"$BIN" report $MINI --manifest "$T/c/m.csv" --progress --quiet -o /dev/null 2>"$T/prog"
check "--quiet wins" test ! -s "$T/prog"
echo "$pass passed, $fail failed"
test $fail -eq 0
