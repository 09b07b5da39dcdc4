#!/usr/bin/env bash
# shard_test.sh BIN SRCDIR - counts files of `framescore count` and `merge`:
# compare --counts, terms --counts and report --counts (csv, --wide) over
# any split of a corpus (random splits with empty and one-document shards,
# files in any order, any threads, trees of merges, --shard K/N) give the
# bytes of one run over the corpus in path order, document variables (the
# manifest's other columns) and compare --group-by on them included; files
# made with other settings or another counts format, damaged files and
# documents counted twice are refused with a message and no output.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$2
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 makes the corpus"; exit 77; }

# a corpus of 60 documents in 4 outlets, mixed from the example articles'
# sentences (one document of a single word, one with no words at all), with
# a date (one empty) and a title (commas, quotes, non-ASCII) per document
python3 - "$SRC/examples/corpus" "$T/c" <<'EOF'
import os, random, re, sys
src, out = sys.argv[1], sys.argv[2]
sents = []
for root, _, files in sorted(os.walk(src)):
    for f in sorted(files):
        text = open(os.path.join(root, f), encoding="utf-8").read()
        sents += [s for s in re.split(r"(?<=[.!?\"”])\s+", text) if s.strip()]
rng = random.Random(7)
os.makedirs(out)
with open(os.path.join(out, "manifest.csv"), "w") as m:
    m.write("path,outlet,date,title\n")
    for i in range(60):
        outlet = "outlet_%d" % (i % 4) if i % 7 else "outlet_%d" % rng.randrange(4)
        name = "d%03d.txt" % rng.randrange(1000) + "_%d" % i
        if i == 5:
            body = "Word"
        elif i == 6:
            body = "-- ... --"
        else:
            body = " ".join(rng.choice(sents) for _ in range(rng.randrange(2, 25)))
        open(os.path.join(out, name), "w", encoding="utf-8").write(body + "\n")
        date = "" if i == 9 else "2024-%02d-%02d" % (1 + rng.randrange(6), 1 + i % 28)
        title = '"Title %d, ""quoted"" – näive"' % i if i % 5 else "t%d" % i
        m.write("%s,%s,%s,%s\n" % (name, outlet, date, title))
EOF
# compare on the texts has a row per framing dimension's distinctive score
# that counts files (no model) cannot have: drop them to compare the rest
no_dim_rows() { # FILE: csv or jsonl, in place
  awk -F, '!(($1 ~ /^distinctive_/ && $1 != "distinctive_score") ||
    /^\{"measure":"distinctive_/ && !/^\{"measure":"distinctive_score"/)' \
    "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}
cd "$T/c" || exit 1
head -1 manifest.csv > all.csv
tail -n +2 manifest.csv | LC_ALL=C sort >> all.csv
tail -n +2 all.csv > rows

"$BIN" compare --manifest all.csv --format csv --bootstrap 300 --seed 5 -o "$T/compare.csv"
"$BIN" compare --manifest all.csv --format jsonl --bootstrap 300 --seed 5 \
  --pair outlet_1 outlet_2 -o "$T/pair.jsonl"
"$BIN" terms --manifest all.csv --format csv -o "$T/terms.csv"
"$BIN" terms --manifest all.csv --format csv --surface -o "$T/surface.csv"
"$BIN" terms --manifest all.csv --format text --voice all -o "$T/all_voices.txt"
"$BIN" report --manifest all.csv --format csv -o "$T/report.csv"
"$BIN" report --manifest all.csv --wide --voice author -o "$T/wide.csv"
"$BIN" compare --manifest all.csv --group-by date:7 --format csv --bootstrap 300 \
  --seed 5 -o "$T/by_month.csv"
check "report over the texts has the variables" \
  grep -q '^file,outlet,date,title,voice,' "$T/report.csv"
for f in compare.csv pair.jsonl by_month.csv; do no_dim_rows "$T/$f"; done
"$BIN" count --manifest all.csv -o "$T/all.fsc"
check "count runs" test $? -eq 0
"$BIN" count --manifest all.csv --surface -o "$T/all_surface.fsc"
"$BIN" count --manifest all.csv --voice all -o "$T/all_voices.fsc"

# the results of a set of counts files = the results of one run
same_results() { # NAME FILE...
  local name=$1
  shift
  "$BIN" compare --counts "$@" --format csv --bootstrap 300 --seed 5 -o "$T/r.csv" &&
    "$BIN" compare --counts "$@" --format jsonl --bootstrap 300 --seed 5 \
      --pair outlet_1 outlet_2 -o "$T/r.jsonl" &&
    "$BIN" terms --counts "$@" --format csv -o "$T/t.csv" &&
    "$BIN" report --counts "$@" --format csv -o "$T/rep.csv" &&
    "$BIN" report --counts "$@" --wide --voice author -o "$T/w.csv" &&
    "$BIN" compare --counts "$@" --group-by date:7 --format csv --bootstrap 300 \
      --seed 5 -o "$T/m.csv"
  check "$name: runs" test $? -eq 0
  check "$name: compare" cmp -s "$T/compare.csv" "$T/r.csv"
  check "$name: compare --pair" cmp -s "$T/pair.jsonl" "$T/r.jsonl"
  check "$name: terms" cmp -s "$T/terms.csv" "$T/t.csv"
  check "$name: report --format csv" cmp -s "$T/report.csv" "$T/rep.csv"
  check "$name: report --wide" cmp -s "$T/wide.csv" "$T/w.csv"
  check "$name: compare --group-by date:7" cmp -s "$T/by_month.csv" "$T/m.csv"
}
same_results "one file" "$T/all.fsc"
"$BIN" terms --counts "$T/all_surface.fsc" --surface --format csv -o "$T/t.csv"
check "terms --surface" cmp -s "$T/surface.csv" "$T/t.csv"
"$BIN" terms --counts "$T/all_voices.fsc" --format text -o "$T/t.txt"
check "terms, all voices" cmp -s "$T/all_voices.txt" "$T/t.txt"

# random splits: shards of any size (empty, one document), counted with any
# number of threads, listed in any order
for trial in 1 2 3 4 5; do
  n=$((2 + RANDOM % 5))
  rm -f s_*.csv "$T"/s_*.fsc
  for k in $(seq 1 $n); do head -1 all.csv > s_$k.csv; done
  i=0
  while IFS= read -r line; do
    i=$((i + 1))
    if [ $trial = 1 ] && [ $i = 1 ]; then k=1; # a one-document shard
    elif [ $trial = 1 ]; then k=$((2 + RANDOM % (n - 1)));
    else k=$((1 + RANDOM % n)); fi
    echo "$line" >> s_$k.csv
  done < rows
  files=()
  if [ $trial = 2 ]; then # an empty shard (60 documents: 0 of them)
    "$BIN" count --manifest all.csv --shard 1/100 -o "$T/s_0.fsc"
    files+=("$T/s_0.fsc")
  fi
  for k in $(seq 1 $n); do
    "$BIN" count --quiet --manifest s_$k.csv --threads $((1 + RANDOM % 3)) \
      -o "$T/s_$k.fsc"
    files+=("$T/s_$k.fsc")
  done
  shuffled=($(printf '%s\n' "${files[@]}" | shuf --random-source=<(yes $trial)))
  same_results "split $trial into $n" "${shuffled[@]}"
  "$BIN" merge "${shuffled[@]}" -o "$T/merged.fsc"
  check "split $trial: merge = count of the whole" cmp -s "$T/all.fsc" "$T/merged.fsc"
  # a tree: the first two, then the rest with that
  "$BIN" merge "${files[0]}" "${files[1]}" -o "$T/m01.fsc" &&
    "$BIN" merge "${files[@]:2}" "$T/m01.fsc" -o "$T/tree.fsc"
  check "split $trial: tree of merges = count of the whole" cmp -s "$T/all.fsc" "$T/tree.fsc"
done
same_results "merged file" "$T/tree.fsc"

# --shard K/N of one manifest, as a job array runs it
for k in 1 2 3 4; do
  "$BIN" count --manifest manifest.csv --shard $k/4 -o "$T/k$k.fsc"
done
"$BIN" merge "$T"/k*.fsc -o "$T/k.fsc"
check "--shard K/N: merged = count of the whole" cmp -s "$T/all.fsc" "$T/k.fsc"
"$BIN" count --manifest manifest.csv --shard 5/4 -o "$T/x.fsc" 2> "$T/err"
check "--shard 5/4 is a usage error" test $? -eq 2

# count --group-by: the term counts are of the groups
"$BIN" terms --manifest all.csv --group-by date:7 --format csv -o "$T/terms_month.csv"
"$BIN" count --quiet --manifest all.csv --group-by date:7 -o "$T/month.fsc"
"$BIN" terms --counts "$T/month.fsc" --format csv -o "$T/t.csv"
check "count --group-by: terms --counts" cmp -s "$T/terms_month.csv" "$T/t.csv"

# documents without a manifest (no outlet, no variables): report's rows too
ls d*.txt_* | LC_ALL=C sort | head -12 > few
"$BIN" report --format csv $(cat few) -o "$T/few.csv"
"$BIN" count $(head -5 few) -o "$T/few1.fsc" &&
  "$BIN" count $(tail -n +6 few) -o "$T/few2.fsc" &&
  "$BIN" report --counts "$T/few2.fsc" "$T/few1.fsc" --format csv -o "$T/r.csv"
check "no manifest: report --counts = report" cmp -s "$T/few.csv" "$T/r.csv"

# refusals: a message that names the reason, exit 1 (2 for usage), no output
refused() { # NAME WANT-RC WANT-MESSAGE COMMAND...
  local name=$1 want_rc=$2 want=$3
  shift 3
  rm -f "$T/out"
  "$@" -o "$T/out" 2> "$T/err"
  local rc=$?
  check "$name: exit $want_rc" test $rc -eq "$want_rc"
  check "$name: message" grep -q -- "$want" "$T/err"
  check "$name: no output" test ! -e "$T/out"
}
refused "other voice" 1 "made with --voice all, not author" \
  "$BIN" compare --counts "$T/all.fsc" "$T/all_voices.fsc"
"$BIN" count --quiet --manifest s_1.csv --model none -o "$T/nomodel.fsc"
refused "other model" 1 "another model (--model" \
  "$BIN" merge "$T/all.fsc" "$T/nomodel.fsc"
"$BIN" count --quiet --manifest s_1.csv --no-default-lexicons \
  --lexicon "$SRC/lexicons/en/labels.tsv" -o "$T/lex.fsc" 2>/dev/null
refused "other lexicons" 1 "other lexicons" \
  "$BIN" terms --counts "$T/all.fsc" "$T/lex.fsc"
refused "stems vs surface" 1 "term counts of surface forms" \
  "$BIN" merge "$T/all.fsc" "$T/all_surface.fsc"
refused "terms --surface on stems" 2 "count them again with --surface" \
  "$BIN" terms --counts "$T/all.fsc" --surface
refused "a document twice" 1 "is in an earlier file too" \
  "$BIN" compare --counts "$T/s_1.fsc" "$T/all.fsc"
size=$(stat -c %s "$T/all.fsc")
head -c $((size / 2)) "$T/all.fsc" > "$T/cut.fsc"
refused "truncated" 1 "cut.fsc: byte [0-9]* (uncompressed): the file ends early" \
  "$BIN" compare --counts "$T/cut.fsc"
printf '\x28\xb5\x2f\xfdgarbage' > "$T/junk.fsc"
refused "damaged" 1 "junk.fsc: byte 0 (uncompressed): not a framescore counts file" \
  "$BIN" terms --counts "$T/junk.fsc"
printf 'FSCOUNTS' | zstd -q > "$T/short.fsc" 2>/dev/null &&
  refused "a header cut short" 1 "short.fsc: byte 8 (uncompressed): the file ends early" \
    "$BIN" merge "$T/short.fsc"
refused "a CSV counts file after a counts file" 1 "not a framescore counts file" \
  "$BIN" compare --counts "$T/all.fsc" "$T/compare.csv"
printf 'FSCOUNTS\001' | zstd -q > "$T/old.fsc" 2>/dev/null &&
  refused "an older counts format" 1 "old.fsc: byte 9 (uncompressed): counts format 1, made by an older framescore; this one reads formats 2 to 4: count the documents again" \
    "$BIN" report --counts "$T/old.fsc" --format csv
printf 'FSCOUNTS\005' | zstd -q > "$T/new.fsc" 2>/dev/null &&
  refused "a newer counts format" 1 "counts format 5, made by a newer framescore" \
    "$BIN" merge "$T/new.fsc"
cut -d, -f1-3 s_1.csv > s_cols.csv
"$BIN" count --quiet --manifest s_cols.csv -o "$T/cols.fsc"
refused "other manifest columns" 1 "made with document variables (manifest columns) 'date', not 'date,title'" \
  "$BIN" report --counts "$T/all.fsc" "$T/cols.fsc" --format csv
refused "report --counts, text" 2 "the counts hold the numbers of the csv rows" \
  "$BIN" report --counts "$T/all.fsc"
refused "report --counts --matches" 2 "those are count's" \
  "$BIN" report --counts "$T/all.fsc" --format csv --matches "$T/mm.csv"
refused "compare --counts --group-by, no such column" 2 "no such manifest column (there are: outlet, date, title) (in the counts files)" \
  "$BIN" compare --counts "$T/all.fsc" --group-by section
refused "terms --counts --group-by" 2 "count them with --group-by date" \
  "$BIN" terms --counts "$T/all.fsc" --group-by date

echo "shard tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
