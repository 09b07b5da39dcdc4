#!/usr/bin/env bash
# threads_test.sh BIN SRCDIR - `--threads 4` gives the same bytes as one
# thread for report, compare and terms, bad files included. Built with
# FS_TSAN, this is the ThreadSanitizer run of the parallel path (any race
# report fails it).
set -u
BIN=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 ${TSAN_OPTIONS:-}"
pass=0 fail=0
MINI=(--no-default-lexicons --lexicon "$SRC/tests/data/mini.tsv")

# a corpus of 60 documents in 4 outlets (copies of examples/), a missing file
# and a binary one, so workers run ahead of delivery and failures interleave
printf 'path,outlet\n' >"$T/manifest.csv"
for d in "$SRC"/examples/corpus/*/; do
  outlet=$(basename "$d")
  mkdir -p "$T/$outlet"
  for copy in 1 2 3 4 5; do
    for f in "$d"*.txt; do
      cp "$f" "$T/$outlet/${copy}_$(basename "$f")"
      printf '%s/%s,%s\n' "$outlet" "${copy}_$(basename "$f")" "$outlet" >>"$T/manifest.csv"
    done
  done
done
printf 'missing.txt,x\n' >>"$T/manifest.csv"
head -c 2000 /dev/zero >"$T/binary.bin"
printf 'binary.bin,x\n' >>"$T/manifest.csv"

same() { # NAME ARGS...: threads 1 and 4 agree on stdout, stderr and status
  local name=$1
  shift
  rm -f "$T/matches.csv" "$T/dims.csv"
  "$BIN" "$@" --threads 1 >"$T/1.out" 2>"$T/1.err"
  local r1=$?
  [ -e "$T/matches.csv" ] && cat "$T/matches.csv" >>"$T/1.out"
  [ -e "$T/dims.csv" ] && cat "$T/dims.csv" >>"$T/1.out"
  rm -f "$T/matches.csv" "$T/dims.csv"
  "$BIN" "$@" --threads 4 >"$T/4.out" 2>"$T/4.err"
  local r4=$?
  [ -e "$T/matches.csv" ] && cat "$T/matches.csv" >>"$T/4.out"
  [ -e "$T/dims.csv" ] && cat "$T/dims.csv" >>"$T/4.out"
  if [ $r4 -eq 66 ] || grep -q 'ThreadSanitizer' "$T/4.err"; then
    fail=$((fail + 1)); echo "FAIL: $name: ThreadSanitizer"; head -60 "$T/4.err"
  elif [ $r1 -ne $r4 ] || ! cmp -s "$T/1.out" "$T/4.out" || ! cmp -s "$T/1.err" "$T/4.err"; then
    fail=$((fail + 1)); echo "FAIL: $name: --threads 4 differs (exit $r1 vs $r4)"
    diff "$T/1.out" "$T/4.out" | head -10
    diff "$T/1.err" "$T/4.err" | head -10
  elif [ ! -s "$T/1.out" ]; then
    fail=$((fail + 1)); echo "FAIL: $name: no output"; head -5 "$T/1.err"
  else
    pass=$((pass + 1))
  fi
}
M=(--manifest "$T/manifest.csv")
same "report jsonl" report "${MINI[@]}" --format jsonl "${M[@]}"
same "report csv + matches" report "${MINI[@]}" --format csv --matches "$T/matches.csv" "${M[@]}"
same "report wide + dimensions + matches" report --wide \
  --dimensions "$T/dims.csv" --matches "$T/matches.csv" "${M[@]}"
same "report jsonl + dimensions" report --format jsonl \
  --dimensions "$T/dims.csv" "${M[@]}"
# stem features are read through the context that analysed the document
same "report csv, a model with stem features" report --format csv \
  --model "$SRC/tests/data/stems.model" --dimensions "$T/dims.csv" "${M[@]}"
same "report text" report "${MINI[@]}" --color never "${M[@]}"
same "report default lexicons" report --format jsonl "${M[@]}"
same "report folder" report "${MINI[@]}" --format csv "$SRC/examples/corpus"
same "compare" compare "${MINI[@]}" --bootstrap 50 --format csv "${M[@]}"
# the bootstrap's batches split across threads, and a batch shorter than
# the thread count
same "compare default lexicons, 333 iterations" compare --bootstrap 333 \
  --format jsonl "${M[@]}"
same "compare pair, 3 iterations" compare --bootstrap 3 \
  --pair harbor_wire civic_ledger --format csv "${M[@]}"
same "terms" terms "${MINI[@]}" --top 20 "${M[@]}"
# every term, so ties in z keep their order (first seen in the corpus) only
# if the workers' vocabularies merge in corpus order
same "terms csv, every term" terms --format csv "${M[@]}"
same "terms surface, all voices" terms --surface --voice all --format jsonl \
  "${M[@]}"
same "terms pair, lexicon only" terms --pair harbor_wire civic_ledger \
  --lexicon-only --format csv "${M[@]}"
# a large vocabulary (made-up words, 4 outlets): some 100,000 rows, so the
# rows are formatted in many chunks on the threads and written in order
mkdir -p "$T/vocab"
printf 'path,outlet\n' >"$T/vocab.csv"
for d in $(seq 1 40); do
  awk -v d="$d" 'BEGIN { srand(d); for (i = 0; i < 900; i++) {
      w = ""; n = 3 + int(rand() * 6)
      for (k = 0; k < n; k++) w = w substr("bcdfghklmnprstvaeiou", 1 + int(rand() * 20), 1)
      printf "%s%s", w, (i % 12 == 11 ? ".\n" : " ") } }' >"$T/vocab/$d.txt"
  printf 'vocab/%s.txt,o%s\n' "$d" $((d % 4)) >>"$T/vocab.csv"
done
same "terms csv, a large vocabulary" terms --format csv --voice all \
  --manifest "$T/vocab.csv"
same "report html (keyness, actors)" report --format html \
  --actors "$SRC/models/actors/crocus.actors" "${M[@]}"
same "compare html (keyness)" compare --format html --bootstrap 20 "${M[@]}"
# stem features and a span tagger read stems through the context that
# analysed each document: text, html and compare score them on that
# worker, so they run on every thread and give the same bytes for 1, 2
# and 3 (the dimensions and the tagger's spans checked to be there)
same3() { # NAME ARGS...: threads 1, 2 and 3 agree on stdout and status
  local name=$1 t r1=
  shift
  for t in 1 2 3; do
    rm -f "$T/matches.csv" "$T/dims.csv"
    "$BIN" "$@" --threads $t >"$T/$t.out" 2>"$T/$t.err"
    local r=$?
    cat "$T/matches.csv" "$T/dims.csv" >>"$T/$t.out" 2>/dev/null
    [ -z "$r1" ] && r1=$r
    if [ $r -eq 66 ] || grep -q 'ThreadSanitizer' "$T/$t.err"; then
      fail=$((fail + 1)); echo "FAIL: $name: ThreadSanitizer"; head -60 "$T/$t.err"; return
    elif [ $r -ne $r1 ] || ! cmp -s "$T/1.out" "$T/$t.out" || ! cmp -s "$T/1.err" "$T/$t.err"; then
      fail=$((fail + 1)); echo "FAIL: $name: --threads $t differs from 1 (exit $r1 vs $r)"
      diff "$T/1.out" "$T/$t.out" | head -10; return
    fi
  done
  pass=$((pass + 1))
}
has() { # NAME FILE PATTERN: the run of same3 wrote what it is about
  if grep -q "$3" "$2"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: $1: no '$3' in $2"; fi
}
"$BIN" train --words "$SRC/tests/data/labelled.tsv" --folds 3 --min-df 1 \
  -o "$T/tagger.model" >/dev/null 2>&1
STEMS=(--model "$SRC/tests/data/stems.model")
same3 "report text, stem features and a tagger" report --color never \
  "${STEMS[@]}" --tagger "$T/tagger.model" --matches "$T/matches.csv" \
  --dimensions "$T/dims.csv" "${M[@]}"
has "report text, stem features" "$T/1.out" '^[^,]*,[^,]*,doubt,linear,all,"per 1,000 words",[1-9]'
has "report text, a tagger" "$T/1.out" ',tagger,'
same3 "report html, stem features and a tagger" report --format html \
  "${STEMS[@]}" --tagger "$T/tagger.model" --matches "$T/matches.csv" \
  "${M[@]}"
same3 "compare, stem features" compare --bootstrap 20 --format csv \
  "${STEMS[@]}" "${M[@]}"
has "compare, stem features" "$T/1.out" '^doubt,'
same3 "compare html, stem features" compare --format html --bootstrap 20 \
  "${STEMS[@]}" "${M[@]}"
# each thread's context learns the words it meets in its own order: the
# same bytes for 1, 2 and 3 threads on a vocabulary that keeps growing,
# matched by stem, exact form and prefix, and with the documents in the
# other order (other forms met first by other threads)
printf 'bat\tloaded.dismissive\t1\n=kos\tlabel.pejorative\t1\nsi*\tattribution.doubt\t1\nbat kos\tloaded.dismissive\t2\n' \
  >"$T/made.tsv"
MADE=(--no-default-lexicons --lexicon "$T/made.tsv")
same3 "report csv + matches, a growing vocabulary" report "${MADE[@]}" \
  --format csv --matches "$T/matches.csv" --manifest "$T/vocab.csv"
has "report csv + matches, a growing vocabulary" "$T/1.out" 'loaded.dismissive'
{ head -1 "$T/vocab.csv"; tail -n +2 "$T/vocab.csv" | tac; } >"$T/vocab_rev.csv"
same3 "report jsonl, a growing vocabulary in reverse" report "${MADE[@]}" \
  --format jsonl --manifest "$T/vocab_rev.csv"
{ head -1 "$T/manifest.csv"; tail -n +2 "$T/manifest.csv" | tac; } >"$T/rev.csv"
same3 "report csv + matches, default lexicons, in reverse" report \
  --format csv --matches "$T/matches.csv" --manifest "$T/rev.csv"
# one long document and threads to spare: its windows go to whichever
# thread is free, helpers with contexts of their own (window_pair.c), and
# are numbered, summed and written in order: the same bytes (sentence
# numbers, offsets, totals, the invalid-UTF-8 warning) for 1, 2 and 3
# threads (one and two helpers), with an odd and an even number of windows,
# and a binary file refused the same
{ for copy in 1 2; do cat "$SRC"/examples/corpus/*/*.txt; printf '\n\n'; done
  printf 'A bad byte \377 here.\n\n'
  cat "$SRC"/examples/corpus/*/*.txt; } >"$T/long.txt"
for wb in 3000 4100; do
  same3 "report csv + matches, one long document, windows of $wb bytes" \
    report --format csv --window-bytes $wb --matches "$T/matches.csv" \
    "$T/long.txt"
  has "one long document, windows of $wb bytes: matches past sentence 99" \
    "$T/1.out" 'long.txt,.*,[0-9][0-9][0-9],\(author\|quote\),'
  has "one long document, windows of $wb bytes: the bad byte counted" \
    "$T/1.err" 'invalid UTF-8'
  same3 "report jsonl + dimensions, one long document, windows of $wb bytes" \
    report --format jsonl --window-bytes $wb --dimensions "$T/dims.csv" \
    "$T/long.txt"
done
same3 "report wide, one long document, windows of 3000 bytes" report --wide \
  --window-bytes 3000 "$T/long.txt"
# a context model and a tagger read the document twice, both readings
# through the helpers; the second analyses each window from where the
# first found it starts (a paragraph's number decides the headline
# feature), and weighs and tags it on the thread that analysed it
same3 "report csv + matches, one long document, a context model" report \
  --format csv --window-bytes 3000 --context-model default \
  --matches "$T/matches.csv" "$T/long.txt"
has "one long document, a context model: probabilities in the matches" \
  "$T/1.out" ',0\.[0-9]*$'
same3 "report jsonl + matches, one long document, a tagger" report \
  --format jsonl --window-bytes 4100 --tagger "$T/tagger.model" \
  --context-model default --matches "$T/matches.csv" "$T/long.txt"
has "one long document, a tagger: its spans" "$T/1.out" ',tagger,'
# the first reading's analyses kept for the second (window_pair.c, within
# FRAMESCORE_KEEP_WINDOWS bytes), each weighed and tagged by the thread
# that analysed it: every window kept (above), none, and the first few
# (the rest read and analysed again): the same bytes
cp "$T/1.out" "$T/keep_all.out"
for keep in 0 100000; do
  FRAMESCORE_KEEP_WINDOWS=$keep same3 "report jsonl + matches, one long document, a tagger, keep=$keep" \
    report --format jsonl --window-bytes 4100 --tagger "$T/tagger.model" \
    --context-model default --matches "$T/matches.csv" "$T/long.txt"
  if cmp -s "$T/keep_all.out" "$T/1.out"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: keep=$keep differs from every window kept"; fi
done
# text output reads its long documents through the helpers too; html (its
# keyness keeps a term bag of one context's form ids) on one thread
same3 "report text + matches, one long document, a tagger" report \
  --color never --window-bytes 3000 --tagger "$T/tagger.model" \
  "${STEMS[@]}" --dimensions "$T/dims.csv" --matches "$T/matches.csv" \
  "$T/long.txt"
same3 "report html, one long document, a context model" report \
  --format html --window-bytes 3000 --context-model default "$T/long.txt"
# long documents among short ones: a thread left without documents joins
# the reading of a long one (the run's board, pipeline.c), the thread that
# waits to deliver it too
cp "$T/long.txt" "$T/long2.txt"
cp "$T/long.txt" "$T/long3.txt"
printf 'path,outlet\nlong.txt,a\nlong2.txt,b\n' >"$T/longs.csv"
tail -n +2 "$T/manifest.csv" | head -3 >>"$T/longs.csv"
printf 'long3.txt,c\n' >>"$T/longs.csv"
same3 "report csv + matches, long documents among short ones" report \
  --format csv --window-bytes 3000 --matches "$T/matches.csv" \
  --manifest "$T/longs.csv"
has "long documents among short ones: the last one" "$T/1.out" '^long3.txt,c,'
same "report jsonl, long documents among short ones, a context model" \
  report --format jsonl --window-bytes 4100 --context-model default \
  --manifest "$T/longs.csv"
same "report text, long documents among short ones, a tagger" report \
  --color never --window-bytes 3000 --tagger "$T/tagger.model" \
  --matches "$T/matches.csv" --manifest "$T/longs.csv"
same "report html, long documents among short ones" report --format html \
  --window-bytes 3000 --manifest "$T/longs.csv"
# every command reads a long document's windows on whichever thread is
# free: kwic and terms --format html render each window's hits in order;
# count, terms, compare and html keep its words by their strings when its
# windows come from several contexts (fs_term_bag_add_ctx), so the words'
# ids, and the order of ties, are one thread's
same3 "kwic, one long document" kwic --category loaded --window-bytes 3000 \
  "$T/long.txt"
has "kwic, one long document: hits past line 300" "$T/1.out" \
  'long.txt:[3-9][0-9][0-9]:[0-9]'
same3 "kwic html, long documents among short ones" kwic --category loaded \
  --format html --window-bytes 3000 --manifest "$T/longs.csv"
same3 "count, long documents among short ones" count --window-bytes 3000 \
  --manifest "$T/longs.csv"
same3 "terms csv, every term, long documents among short ones" terms \
  --format csv --voice all --window-bytes 3000 --manifest "$T/longs.csv"
same3 "terms csv, every term, a growing vocabulary in windows" terms \
  --format csv --voice all --window-bytes 2000 --manifest "$T/vocab.csv"
# and the same rows as the documents read whole
"$BIN" terms --format csv --voice all --window-bytes 0 --threads 3 \
  --manifest "$T/vocab.csv" >"$T/whole.out" 2>&1
if cmp -s "$T/whole.out" "$T/1.out"; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL: terms csv, a growing vocabulary: windows differ from whole"
  diff "$T/whole.out" "$T/1.out" | head -5
fi
same3 "terms surface jsonl, a growing vocabulary in windows" terms \
  --surface --format jsonl --window-bytes 2000 --manifest "$T/vocab_rev.csv"
same3 "terms html, long documents among short ones" terms --format html \
  --window-bytes 3000 --manifest "$T/longs.csv"
same3 "compare csv, long documents among short ones" compare --bootstrap 20 \
  --format csv --window-bytes 3000 --manifest "$T/longs.csv"
same3 "compare html, long documents among short ones" compare --format html \
  --bootstrap 20 --window-bytes 3000 --manifest "$T/longs.csv"
same3 "report html, one long document" report --format html \
  --window-bytes 3000 "$T/long.txt"
same3 "report html, a growing vocabulary in windows" report --format html \
  --window-bytes 2000 --manifest "$T/vocab.csv"
{ head -c 5000 "$T/long.txt"; head -c 3000 /dev/zero; } >"$T/long.bin"
same3 "report csv, one long binary file" report --format csv \
  --window-bytes 3000 "$T/long.bin"
# word vectors: a span tagger and a sentence model trained with them read
# each word's vector through the worker's context (its form memo) and the
# vectors all threads share: the same bytes for 1, 2 and 3 threads, on
# short documents and on one long one in windows. The vectors are tiny,
# written here: 4 components from each word's letters, for every word of
# the training texts and the corpus.
cat "$SRC/tests/data/grouped.tsv" "$SRC"/examples/corpus/*/*.txt |
  tr 'A-Z' 'a-z' | tr -cs 'a-z' '\n' | sort -u | awk 'NF {
  a = 0; b = 0; c = 0
  for (i = 1; i <= length($1); i++) {
    k = index("abcdefghijklmnopqrstuvwxyz", substr($1, i, 1))
    a += k % 3; b += k % 5; c += k % 7 }
  printf "%s %.3f %.3f %.3f %.4f\n", $1, a / 10, b / 10 - 0.5, c / 10 - 1,
    length($1) / 20 }' >"$T/vec.txt"
"$BIN" train --words "$SRC/tests/data/grouped.tsv" --folds 3 --min-df 1 \
  --word-vectors "$T/vec.txt" -o "$T/vtagger.model" >/dev/null 2>&1
"$BIN" train "$SRC/tests/data/grouped.tsv" --folds 3 \
  --word-vectors "$T/vec.txt" -o "$T/vsent.model" >/dev/null 2>&1
has "vectors: the tagger has v= weights" "$T/vtagger.model" '^v=0	'
has "vectors: the sentence model has vector: weights" "$T/vsent.model" \
  'weight *vector:mean:0 '
VEC=(--word-vectors "$T/vec.txt" --tagger "$T/vtagger.model"
  --model "$T/vsent.model")
same3 "report csv + matches + dimensions, a vectors tagger and model" \
  report --format csv "${VEC[@]}" --matches "$T/matches.csv" \
  --dimensions "$T/dims.csv" "${M[@]}"
has "vectors: the tagger's spans" "$T/1.out" ',tagger,'
has "vectors: the model's dimension" "$T/1.out" ',bias,logistic,'
same3 "report jsonl, a vectors tagger and model, in reverse" report \
  --format jsonl "${VEC[@]}" --manifest "$T/rev.csv"
same3 "report text + matches, one long document, a vectors tagger and model" \
  report --color never --window-bytes 3000 "${VEC[@]}" \
  --dimensions "$T/dims.csv" --matches "$T/matches.csv" "$T/long.txt"
has "vectors, one long document: the tagger's spans" "$T/1.out" ',tagger,'
same3 "report jsonl + matches, long documents among short ones, vectors" \
  report --format jsonl --window-bytes 4100 "${VEC[@]}" \
  --matches "$T/matches.csv" --manifest "$T/longs.csv"
# a model with a vectors tagger inside (train --tagger-vectors): its three
# threshold levels tag each sentence on the worker's context, with the
# model's vectors
"$BIN" train "$SRC/tests/data/grouped.tsv" --folds 3 --tagger-features \
  --word-vectors "$T/vec.txt" --tagger-vectors -o "$T/vtv.model" >/dev/null 2>&1
has "vectors: a tagger inside the model with vectors" "$T/vtv.model" \
  '^  tagger    v=0 '
VTV=(--word-vectors "$T/vec.txt" --model "$T/vtv.model")
same3 "report csv + dimensions, a vectors tagger inside the model" report \
  --format csv "${VTV[@]}" --tagger "$T/vtagger.model" \
  --matches "$T/matches.csv" --dimensions "$T/dims.csv" "${M[@]}"
has "a vectors tagger inside the model: its dimension" "$T/1.out" \
  ',bias,logistic,'
same3 "report jsonl, one long document, a vectors tagger inside the model" \
  report --format jsonl --window-bytes 3000 "${VTV[@]}" \
  --dimensions "$T/dims.csv" "$T/long.txt"
same "compare, a vectors tagger inside the model" compare --bootstrap 20 \
  --format csv "${VTV[@]}" "${M[@]}"
# a helper that made its context while the other threads took every window
# and the queue was told to quit once waited for good (about one run in
# 15 at 3 threads): 40 runs, each bounded by timeout
hung=0
for i in $(seq 1 40); do
  timeout 20 "$BIN" report --wide --window-bytes 3000 --threads 3 \
    "$T/long.txt" >/dev/null 2>&1
  [ $? -eq 124 ] && hung=$((hung + 1))
done
if [ $hung -eq 0 ]; then pass=$((pass + 1)); else
  fail=$((fail + 1))
  echo "FAIL: one long document at 3 threads: $hung of 40 runs hung"
fi
echo "$pass passed, $fail failed"
test $fail -eq 0
