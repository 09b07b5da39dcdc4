#!/usr/bin/env bash
# counts_test.sh BIN SRCDIR - the per-document counts file: compare from
# saved counts gives the same statistics as compare from the texts; counts
# saved in two batches merge into the statistics of the whole corpus; bad
# counts files are refused with file:line:col and no output is written.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$2
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
M=$SRC/examples/manifest.csv
cd "$SRC/examples" || exit 1

# compare on the texts has a row per framing dimension's distinctive score
# that counts files (no model) cannot have: drop them to compare the rest
no_dim_rows() { # FILE: csv or jsonl, in place
  awk -F, '!(($1 ~ /^distinctive_/ && $1 != "distinctive_score") ||
    /^\{"measure":"distinctive_/ && !/^\{"measure":"distinctive_score"/)' \
    "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}
# the whole corpus, with its counts saved
"$BIN" compare --manifest "$M" --format csv --bootstrap 400 --seed 3 \
  --save-counts "$T/all.counts.csv" -o "$T/direct.csv"
check "compare --save-counts runs" test $? -eq 0
no_dim_rows "$T/direct.csv"
check "one row per document and measure" awk -F, 'NR > 1 && $5 !~ /^entr/ { d[$1] = 1; n++ }
  END { nd = 0; for (k in d) nd++; exit !(nd == 12 && n % 12 == 0) }' \
  "$T/all.counts.csv"
check "an entries row per document, entry rows after it" awk -F, '
  NR > 1 && $5 == "entries" { e[$1]++; left = $9; next }
  NR > 1 && $5 == "entry" { if (left-- <= 0 || $4 !~ /^entry:[0-9]+$/) bad = 1 }
  END { nd = 0; for (k in e) { nd++; if (e[k] != 1) bad = 1 }
        exit !(nd == 12 && !bad) }' "$T/all.counts.csv"
"$BIN" compare --counts "$T/all.counts.csv" --format csv --bootstrap 400 \
  --seed 3 -o "$T/from_counts.csv"
check "statistics from counts = statistics from texts" \
  cmp -s "$T/direct.csv" "$T/from_counts.csv"

# two batches (as from two machines), merged
head -1 "$M" > "$T/m1.csv"
sed -n '2,7p' "$M" >> "$T/m1.csv"
head -1 "$M" > "$T/m2.csv"
sed -n '8,$p' "$M" >> "$T/m2.csv"
sed -i "s#^\([^,/][^,]*\),#$SRC/examples/\1,#" "$T/m1.csv" "$T/m2.csv"
sed -i "1s#.*#$(head -1 "$M")#" "$T/m1.csv" "$T/m2.csv"
"$BIN" compare --quiet --manifest "$T/m1.csv" --save-counts "$T/b1.csv" -o /dev/null
"$BIN" compare --quiet --manifest "$T/m2.csv" --save-counts "$T/b2.csv" -o /dev/null
"$BIN" compare --counts "$T/b1.csv" "$T/b2.csv" --format csv --bootstrap 400 \
  --seed 3 -o "$T/merged.csv"
check "merge runs" test $? -eq 0
check "merged batches = whole corpus" cmp -s "$T/direct.csv" "$T/merged.csv"
"$BIN" compare --counts "$T/b1.csv" "$T/b2.csv" --pair harbor_wire \
  capital_tribune --format csv --bootstrap 400 -o "$T/pair.csv"
check "--pair works on counts" test $? -eq 0

# bad files: a clear error with file:line:col, exit 1, nothing written
bad() { # name, file contents, expected message part
  local name=$1 want=$3
  printf '%s' "$2" > "$T/bad.csv"
  rm -f "$T/out.csv"
  "$BIN" compare --counts "$T/bad.csv" -o "$T/out.csv" 2> "$T/err"
  local rc=$?
  check "$name: exit 1" test $rc -eq 1
  check "$name: message" grep -q "$want" "$T/err"
  check "$name: no output" test ! -e "$T/out.csv"
}
H='file,outlet,voice,measure,kind,scale,token_tests,words,count,den'
bad "not a counts file" $'path,outlet\na.txt,x\n' "bad.csv:1:1: not a counts file"
bad "bad number" "$H"$'\na,x,author,m,category,1000,1,10,zz,10\n' \
  "bad.csv:2:[0-9]*: count must be"
bad "bad voice" "$H"$'\na,x,loud,m,category,1000,1,10,1,10\n' \
  "voice must be"
bad "missing measure" "$H"$'\na,x,author,m,category,1000,1,10,1,10\na,x,author,n,category,1000,1,10,1,10\nb,y,author,m,category,1000,1,10,1,10\n' \
  "document has 1 of the 2 measures"
bad "duplicate document" "$H"$'\na,x,author,m,category,1000,1,10,1,10\nb,y,author,m,category,1000,1,10,1,10\na,x,author,m,category,1000,1,10,1,10\n' \
  "bad.csv:4:1: document listed twice"
bad "empty" "" "empty counts file"
bad "negative count" "$H"$'\na,x,author,m,category,1000,1,10,-1,10\n' \
  "bad.csv:2:[0-9]*: count must be >= 0 for a category or family"
# columns in code points, the fields before as written (quoted when they
# hold a comma): count stands at 45 and 41
bad "bad number after UTF-8 fields" "$H"$'\né.txt,Ведомости,author,m,category,1000,1,10,zz,10\n' \
  "bad.csv:2:45: count must be"
bad "bad number after a quoted field" "$H"$'\n"a,b.txt",x,author,m,category,1000,1,10,zz,10\n' \
  "bad.csv:2:41: count must be"
# the place is read from the bytes: a quoted field that holds a line break
# (the row goes on at line 3), doubled quotes, or quotes it did not need
bad "bad number after a multi-line quoted field" "$H"$'\n"é\nб.txt",x,author,m,category,1000,1,10,zz,10\n' \
  "bad.csv:3:38: count must be"
bad "bad number after doubled quotes and a line break" "$H"$'\na,"x""y\n",author,m,category,1000,1,10,zz,10\n' \
  "bad.csv:3:31: count must be"
bad "bad number after needless quotes" "$H"$'\n"a.txt",x,author,m,category,1000,1,10,zz,10\n' \
  "bad.csv:2:39: count must be"
bad "invalid UTF-8 in a measure" "$H"$'\na,x,author,m\xff,category,1000,1,10,1,10\n' \
  "bad.csv:2:[0-9]*: invalid UTF-8"
bad "per-word measure with another denominator" \
  "$H"$'\na,x,author,m,category,1000,1,10,1,7\n' "den must equal words"
# mixing voices cannot merge
"$BIN" compare --manifest "$M" --voice all --save-counts "$T/all_voices.csv" \
  -o /dev/null
"$BIN" compare --counts "$T/all.counts.csv" "$T/all_voices.csv" -o "$T/x.csv" \
  2> "$T/err"
check "voices do not mix" grep -q "voice differs" "$T/err"
check "voices do not mix: no output" test ! -e "$T/x.csv"
# the same batch twice is a duplicate
"$BIN" compare --counts "$T/b1.csv" "$T/b1.csv" -o "$T/x.csv" 2> "$T/err"
check "a batch given twice is refused" grep -q "listed twice" "$T/err"
"$BIN" compare --counts --format html "$T/b1.csv" -o "$T/x.html" 2>/dev/null
check "html from counts is a usage error" test $? -eq 2

# whole counts are kept as 32-bit integers: a count with a fraction, or
# beyond 2^32, in a counts file is kept as it is (the rows turn to doubles)
for extra in 0.5 5000000000; do
  awk -F, -v OFS=, -v x="$extra" 'NR == 2 { $9 = $9 + x } { print }' \
    "$T/all.counts.csv" > "$T/odd.csv"
  "$BIN" compare --counts "$T/odd.csv" --format csv --bootstrap 20 \
    -o "$T/odd_out.csv"
  read -r file outlet measure count <<<"$(awk -F, 'NR == 2 { print $1, $2, $4, $9 }' "$T/odd.csv")"
  check "count $extra kept: $measure of $outlet sums it" awk -F, \
    -v m="$measure" -v o="$outlet" -v x="$extra" '
    FILENAME == ARGV[1] && $1 == m && $4 == o && $5 == "rest" { a = $10 }
    FILENAME == ARGV[2] && $1 == m && $4 == o && $5 == "rest" { b = $10 }
    END { exit !(b != "" && b - a == x) }' "$T/direct.csv" "$T/odd_out.csv"
done

echo "counts: $pass passed, $fail failed"
test "$fail" -eq 0
