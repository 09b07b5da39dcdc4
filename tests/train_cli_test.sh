#!/usr/bin/env bash
# train_cli_test.sh BIN SRCDIR - `framescore train` on labelled sentences:
# cross-validation by group (--group, news_link by default), the word prior
# (--word-prior with --words-column), word affixes (--affixes), character
# n-grams (--char-ngrams), pretrained word vectors (--word-vectors), sentence
# shape (--shape), a nested span tagger's aggregates (--tagger-features,
# --tagger-folds),
# their errors
# and determinism, and that a model written before these options still
# reads and scores the same.
# Uses only files of the project (tests/data/).
set -u
BIN=$1
SRC=$2
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1
G=tests/data/grouped.tsv # labelled.tsv with news_link (8 stories + 1 none) and outlet

# ---- --group ---------------------------------------------------------------------
"$BIN" train $G --folds 3 -o "$T/g1.model" > "$T/g1.txt"
check "train with a news_link column ran" test $? -eq 0
check "folds by news_link by default (8 links + 1 empty = 9 groups)" \
  grep -q "3-fold cross-validation by group (9 groups, seed 1)" "$T/g1.txt"
check "the model says how it was cross-validated" \
  grep -q "^# 3-fold cross-validation by news_link (9 groups) (seed 1)" "$T/g1.model"
"$BIN" train $G --folds 3 -o "$T/g2.model" > /dev/null
check "group folds are deterministic" cmp -s "$T/g1.model" "$T/g2.model"
"$BIN" train $G --folds 3 --format csv -o /dev/null > "$T/g.csv"
# (that each fold holds whole groups is test_train's test_groups)
check "group folds: every text once, both classes in each fold" awk -F, 'NR > 1 && $1 != "pooled" { s += $2; if ($3 < 1 || $3 >= $2) bad = 1 } END { exit bad || s != 24 }' "$T/g.csv"
"$BIN" train $G --folds 3 --group none -o /dev/null > "$T/none.txt"
check "--group none: folds by text" grep -q "3-fold stratified cross-validation" "$T/none.txt"
"$BIN" train tests/data/labelled.tsv --folds 3 -o /dev/null > "$T/plain.txt"
check "no news_link column: folds by text, as before" \
  grep -q "3-fold stratified cross-validation" "$T/plain.txt"
"$BIN" train $G --folds 3 --group news_link,outlet -o /dev/null > "$T/two.txt"
# each story has sentences of both outlets: link and outlet make 16 groups
check "--group with two columns" grep -q "by group (16 groups" "$T/two.txt"
"$BIN" train $G --folds 3 --group outlet -o /dev/null 2> "$T/err"
check "two groups for three folds: exit 1" test $? -eq 1
check "two groups for three folds: message" grep -q "by group: 2 groups leave fold" "$T/err"
"$BIN" train $G --folds 3 --group nosuch -o /dev/null 2> "$T/err"
check "--group with an unknown column: exit 1" test $? -eq 1
check "--group with an unknown column: message" grep -q "nosuch" "$T/err"
"$BIN" train --context --words $G --group outlet -o /dev/null 2> "$T/err"
check "--group with train --context: usage error" test $? -eq 2
"$BIN" train --words $G --word-prior 2 -o /dev/null 2> "$T/err"
check "--word-prior with the tagger: usage error" test $? -eq 2

# ---- --word-prior ------------------------------------------------------------------
"$BIN" train $G --folds 3 --min-df 1 -o "$T/w0.model" > /dev/null
"$BIN" train $G --folds 3 --min-df 1 --word-prior 10 -o "$T/w1.model" > "$T/w1.txt"
check "--word-prior ran" test $? -eq 0
check "--word-prior in the summary" grep -q "word prior 10" "$T/w1.txt"
check "--word-prior in the model's comments" grep -q "word prior 10 from biased_words" "$T/w1.model"
# "ludicrous" is listed as a biased word: its weight grows with the prior
wt() { awk -v f="$2" '$1 == "weight" && $2 == f { print $3 }' "$1"; }
check "a marked stem weighs more with the prior" \
  awk -v a="$(wt "$T/w0.model" stem:ludicr)" -v b="$(wt "$T/w1.model" stem:ludicr)" \
  'BEGIN { exit !(a > 0 && b > a) }'
"$BIN" train $G --folds 3 --word-prior -1 -o /dev/null 2> /dev/null
check "--word-prior -1: usage error" test $? -eq 2
printf 'text\tlabel\tbiased_words\nA fine day.\t0\t[]\nA vile plan.\t1\tvile\n' > "$T/badlist.tsv"
"$BIN" train "$T/badlist.tsv" --folds 2 --word-prior 1 -o /dev/null 2> "$T/err"
check "a words cell that is not a list: exit 1" test $? -eq 1
check "a words cell that is not a list: file:line" grep -q "badlist.tsv:3: the biased_words column" "$T/err"
"$BIN" train $G --folds 3 --word-prior 1 --words-column nosuch -o /dev/null 2> "$T/err"
check "--words-column that is absent: exit 1" test $? -eq 1

# ---- --affixes ---------------------------------------------------------------------
"$BIN" train $G --folds 3 --affixes 3-5 -o "$T/a1.model" > "$T/a1.txt"
check "--affixes ran" test $? -eq 0
check "--affixes: prefix and suffix features in the model" \
  sh -c "grep -q '^  weight    prefix:' '$T/a1.model' && grep -q '^  weight    suffix:' '$T/a1.model'"
check "--affixes: lengths 3 to 5 only" \
  awk '$1 == "weight" && $2 ~ /^(prefix|suffix):/ { n = length(substr($2, 8)); if (n < 3 || n > 5) bad = 1; k++ } END { exit bad || !k }' "$T/a1.model"
check "--affixes in the model's comments" grep -q "and affixes of 3-5 characters" "$T/a1.model"
"$BIN" train $G --folds 3 --affixes 3-5 -o "$T/a2.model" > /dev/null
check "--affixes is deterministic" cmp -s "$T/a1.model" "$T/a2.model"
"$BIN" eval --model "$T/a1.model" --sentences $G --format jsonl -o "$T/a.jsonl"
check "eval scores with an affix model" grep -q '"detail":"model_threshold"' "$T/a.jsonl"
printf 'The ludicrous plan was a corrupt farce.\n' > "$T/b.txt"
"$BIN" report --model "$T/a1.model" --format csv "$T/b.txt" -o "$T/arep.csv"
check "report reads an affix model" test $? -eq 0
for bad in 5-3 0-2 3-9 3 abc 3-5x; do
  "$BIN" train $G --folds 3 --affixes $bad -o /dev/null 2> "$T/err"
  check "--affixes $bad: usage error" test $? -eq 2
done
check "--affixes: the message says what it takes" grep -q "LO-HI" "$T/err"
"$BIN" train --words $G --affixes 3-5 -o /dev/null 2> /dev/null
check "--affixes with the tagger: usage error" test $? -eq 2

# ---- --char-ngrams ----------------------------------------------------------------
"$BIN" train $G --folds 3 --char-ngrams 3-5 -o "$T/n1.model" > "$T/n1.txt"
check "--char-ngrams ran" test $? -eq 0
check "--char-ngrams: n-grams with the word marks in the model" \
  sh -c "grep -q '^  weight    ngram:<' '$T/n1.model' && grep -q '^  weight    ngram:[^ ]*> ' '$T/n1.model'"
check "--char-ngrams: 3 to 5 characters only" \
  awk '$1 == "weight" && $2 ~ /^ngram:/ { n = length(substr($2, 7)); if (n < 3 || n > 5) bad = 1; k++ } END { exit bad || !k }' "$T/n1.model"
check "--char-ngrams in the model's comments (no scale when unscaled)" grep -q "and character 3-5-grams;" "$T/n1.model"
check "no n-gram features without --char-ngrams" sh -c "! grep -q 'ngram:' '$T/g1.model'"
"$BIN" train $G --folds 3 --char-ngrams 3-5 -o "$T/n2.model" > /dev/null
check "--char-ngrams is deterministic" cmp -s "$T/n1.model" "$T/n2.model"
"$BIN" eval --model "$T/n1.model" --sentences $G --format jsonl -o "$T/n.jsonl"
check "eval scores with an n-gram model" grep -q '"detail":"model_threshold"' "$T/n.jsonl"
"$BIN" report --model "$T/n1.model" --format csv "$T/b.txt" -o "$T/nrep.csv"
check "report reads an n-gram model" test $? -eq 0
# the n-grams move the scores: without its ngram: lines the same model
# puts other sentences above its threshold
awk '$2 !~ /^ngram:/ || $1 != "weight"' "$T/n1.model" > "$T/n0.model"
"$BIN" eval --model "$T/n0.model" --sentences $G --format jsonl -o "$T/n0.jsonl"
check "the n-gram features count in eval" sh -c "! cmp -s '$T/n.jsonl' '$T/n0.jsonl'"
for bad in 5-3 0-2 3-7 3 abc 3-5x; do
  "$BIN" train $G --folds 3 --char-ngrams $bad -o /dev/null 2> "$T/err"
  check "--char-ngrams $bad: usage error" test $? -eq 2
done
check "--char-ngrams: the message says what it takes" grep -q "LO-HI, 1 <= LO <= HI <= 6" "$T/err"
"$BIN" train --words $G --char-ngrams 3-5 -o /dev/null 2> /dev/null
check "--char-ngrams with the tagger: usage error" test $? -eq 2
"$BIN" train $G --folds 3 --char-ngrams 3-5 --ngram-scale 0.5 -o "$T/ns.model" > /dev/null
check "--ngram-scale ran" test $? -eq 0
check "--ngram-scale in the model's comments" grep -q "and character 3-5-grams scaled 0.5;" "$T/ns.model"
check "--ngram-scale moves the n-gram weights" sh -c "! cmp -s '$T/n1.model' '$T/ns.model'"
"$BIN" train $G --folds 3 --char-ngrams 3-5 --ngram-scale 1 -o "$T/n3.model" > /dev/null
check "--ngram-scale 1 is the default" cmp -s "$T/n1.model" "$T/n3.model"
for bad in 0 -1 abc 1e9 0.5x; do
  "$BIN" train $G --folds 3 --char-ngrams 3-5 --ngram-scale $bad -o /dev/null 2> "$T/err"
  check "--ngram-scale $bad: usage error" test $? -eq 2
done
"$BIN" train $G --folds 3 --ngram-scale 0.5 -o /dev/null 2> "$T/err"
check "--ngram-scale without --char-ngrams: usage error" test $? -eq 2
check "--ngram-scale without --char-ngrams: says so" grep -q "is for --char-ngrams" "$T/err"
printf 'framescore-model 1\ndimension bias\n  kind logistic\n  weight ngram:abcdefg 1\n' > "$T/badng.model"
"$BIN" report --model "$T/badng.model" "$T/b.txt" -o /dev/null 2> "$T/err"
check "an ngram: feature of 7 characters: exit 1" test $? -eq 1
check "an ngram: feature of 7 characters: file:line:col" grep -q "badng.model:4:10: ngram longer than 6 characters" "$T/err"

# ---- --word-vectors ------------------------------------------------------------------
# tiny vectors of the file's words: 4 components from each word's letters
tr 'A-Z' 'a-z' < $G | tr -cs 'a-z' '\n' | sort -u | awk 'NF {
  a = 0; b = 0; c = 0; for (i = 1; i <= length($1); i++) { k = index("abcdefghijklmnopqrstuvwxyz", substr($1, i, 1))
  a += k % 3; b += k % 5; c += k % 7 }
  printf "%s %.3f %.3f %.3f %.4f\n", $1, a / 10, b / 10 - 0.5, c / 10 - 1, length($1) / 20 }' > "$T/v.txt"
"$BIN" train $G --folds 3 --word-vectors "$T/v.txt" -o "$T/v1.model" > "$T/v1.txt"
check "--word-vectors ran" test $? -eq 0
check "--word-vectors: 4 vector:mean: features" \
  test "$(grep -c '^  weight    vector:mean:[0-3] ' "$T/v1.model")" -eq 4
check "--word-vectors: the model's vectors line" \
  grep -Eq '^  vectors   [0-9a-f]{16} 4 0$' "$T/v1.model"
check "--word-vectors in the model's comments" \
  grep -q "+ 4-dimensional word vectors (mean);" "$T/v1.model"
"$BIN" train $G --folds 3 --word-vectors "$T/v.txt" -o "$T/v2.model" > /dev/null
check "--word-vectors is deterministic" cmp -s "$T/v1.model" "$T/v2.model"
"$BIN" train $G --folds 3 --word-vectors "$T/v.txt" --vector-pool mean,max \
  --vector-scale 0.5 --vector-words 30 -o "$T/v3.model" > /dev/null
check "--vector-pool mean,max: 8 features" \
  test "$(grep -c '^  weight    vector:m[ea][axn]*:[0-3] ' "$T/v3.model")" -eq 8
check "--vector-words 30: in the vectors line" grep -Eq '^  vectors   [0-9a-f]{16} 4 30$' "$T/v3.model"
check "--vector-scale: in the comments" grep -q "vectors (mean, max) scaled 0.5;" "$T/v3.model"
"$BIN" train $G --folds 3 --word-vectors "$T/v.txt" --vector-skip 10 -o "$T/v4.model" > /dev/null
check "--vector-skip 10: in the vectors line" grep -Eq '^  vectors   [0-9a-f]{16} 4 0 10$' "$T/v4.model"
check "--vector-skip 10: in the comments" grep -q "vectors (mean) without the first 10 words;" "$T/v4.model"
check "--vector-skip moves the weights" sh -c "! cmp -s '$T/v1.model' '$T/v4.model'"
"$BIN" eval --model "$T/v4.model" --sentences $G --word-vectors "$T/v.txt" --format jsonl -o "$T/v4.jsonl"
check "eval scores with the model's --vector-skip" grep -q '"detail":"model_threshold"' "$T/v4.jsonl"
"$BIN" train $G --folds 3 --word-vectors "$T/v.txt" --vector-sif 0.01 -o "$T/v5.model" > /dev/null
check "--vector-sif 0.01: a vector_sif line after the vectors line" \
  sh -c "grep -A1 '^  vectors   ' '$T/v5.model' | grep -qx '  vector_sif 0.01'"
check "--vector-sif 0.01: in the comments" grep -q "vectors (mean) weighted by SIF a 0.01;" "$T/v5.model"
check "--vector-sif moves the weights" sh -c "! cmp -s '$T/v1.model' '$T/v5.model'"
check "no vector_sif line without --vector-sif" sh -c "! grep -q vector_sif '$T/v1.model'"
"$BIN" eval --model "$T/v5.model" --sentences $G --word-vectors "$T/v.txt" --format jsonl -o "$T/v5.jsonl"
check "eval scores with the model's --vector-sif" grep -q '"detail":"model_threshold"' "$T/v5.jsonl"
# the vector_sif line counts when applying: the same weights without it
# score otherwise
grep -v '^  vector_sif ' "$T/v5.model" > "$T/v5n.model"
"$BIN" eval --model "$T/v5n.model" --sentences $G --word-vectors "$T/v.txt" --format jsonl -o "$T/v5n.jsonl"
check "eval applies the vector_sif line" sh -c "! cmp -s '$T/v5.jsonl' '$T/v5n.jsonl'"
"$BIN" eval --model "$T/v1.model" --sentences $G --word-vectors "$T/v.txt" --format jsonl -o "$T/v.jsonl"
check "eval scores with the vectors" grep -q '"detail":"model_threshold"' "$T/v.jsonl"
"$BIN" eval --model "$T/v3.model" --sentences $G --word-vectors "$T/v.txt" --format jsonl -o /dev/null
check "eval reads the model's first 30 rows of the vectors, as trained" test $? -eq 0
"$BIN" report --model "$T/v1.model" --word-vectors "$T/v.txt" --format csv "$T/b.txt" -o /dev/null
check "report reads a vectors model" test $? -eq 0
# the vectors move the scores: without its vector: lines the same model
# puts other sentences elsewhere
awk '$2 !~ /^vector:/ || $1 != "weight"' "$T/v1.model" > "$T/v0.model"
"$BIN" eval --model "$T/v0.model" --sentences $G --format jsonl -o "$T/v0.jsonl"
check "the vector features count in eval" sh -c "! cmp -s '$T/v.jsonl' '$T/v0.jsonl'"
"$BIN" eval --model "$T/v1.model" --sentences $G -o /dev/null 2> "$T/err"
check "a vectors model without --word-vectors: exit 1" test $? -eq 1
check "  ... says what to give" grep -q "v1.model: dimension bias has vector: features: give the word vectors it was trained with (--word-vectors FILE: 4 components, digest" "$T/err"
sed '1s/ [0-9.-]* / 0.125 /' "$T/v.txt" > "$T/vo.txt"
"$BIN" eval --model "$T/v1.model" --sentences $G --word-vectors "$T/vo.txt" -o /dev/null 2> "$T/err"
check "other vectors (one component changed): exit 1" test $? -eq 1
check "  ... refused by digest" grep -q "vo.txt: not the word vectors .*v1.model (dimension bias) was trained with" "$T/err"
"$BIN" train $G --folds 3 --word-vectors "$T/missing.txt" -o "$T/vm.model" 2> "$T/err"
check "a missing vectors file: exit 1" test $? -eq 1
check "  ... names it" grep -q "missing.txt" "$T/err"
check "  ... and writes no model" test ! -e "$T/vm.model"
"$BIN" eval --model "$T/v1.model" --sentences $G --word-vectors "$T/missing.txt" -o /dev/null 2> "$T/err"
check "eval: a missing vectors file: exit 1" test $? -eq 1
printf 'the 0.1 0.2 0.3 0.4\ncouncil 0.1 x 0.3 0.4\n' > "$T/vb.txt"
"$BIN" train $G --folds 3 --word-vectors "$T/vb.txt" -o /dev/null 2> "$T/err"
check "a bad vectors file: exit 1" test $? -eq 1
check "  ... file:line:col" grep -q "vb.txt:2:13: " "$T/err"
for args in "--vector-pool max" "--vector-scale 2" "--vector-words 5" "--vector-skip 5" "--vector-sif 1e-3"; do
  # shellcheck disable=SC2086
  "$BIN" train $G --folds 3 $args -o /dev/null 2> "$T/err"
  check "$args without --word-vectors: usage error" test $? -eq 2
done
for args in "--vector-pool min" "--vector-scale 0" "--vector-words 0" "--vector-skip -1" \
  "--vector-sif 0" "--vector-sif 1.5" "--vector-sif x" "--vector-sif -1e-4"; do
  # shellcheck disable=SC2086
  "$BIN" train $G --folds 3 --word-vectors "$T/v.txt" $args -o /dev/null 2> /dev/null
  check "$args: usage error" test $? -eq 2
done
# the tagger takes --word-vectors too (learn_cli tests it), but not the
# sentence model's pooling options
for opt in "--vector-pool max" "--vector-words 10" "--vector-skip 1" "--vector-sif 1e-3"; do
  "$BIN" train --words $G --word-vectors "$T/v.txt" $opt -o /dev/null 2> "$T/err"
  check "$opt with the tagger: usage error" test $? -eq 2
  check "$opt with the tagger: says it is for a sentence model" grep -q "sentence model" "$T/err"
done
"$BIN" train --context --words $G --word-vectors "$T/v.txt" -o /dev/null 2> /dev/null
check "--word-vectors with train --context: usage error" test $? -eq 2
printf 'framescore-model 1\ndimension bias\n  kind logistic\n  weight vector:mean:0 1\n' > "$T/badv.model"
"$BIN" report --model "$T/badv.model" "$T/b.txt" -o /dev/null 2> "$T/err"
check "a vector: feature without a vectors line: file:line:col" grep -q "badv.model:4:10: 'vector:mean:0' needs" "$T/err"

# ---- --shape -----------------------------------------------------------------------
"$BIN" train $G --folds 3 --shape -o "$T/s1.model" > "$T/s1.txt"
check "--shape ran" test $? -eq 0
check "--shape: the eight shape features in the model" \
  awk '$1 == "weight" && $2 ~ /^shape:(words|capitalised|quoted|numbers|hyphenated|scare|question|exclamation)$/ { k++ } END { exit k != 8 }' "$T/s1.model"
check "--shape in the model's comments" grep -q "+ shape; lambda" "$T/s1.model"
check "no shape features without --shape" sh -c "! grep -q 'shape:' '$T/g1.model'"
"$BIN" train $G --folds 3 --shape -o "$T/s2.model" > /dev/null
check "--shape is deterministic" cmp -s "$T/s1.model" "$T/s2.model"
"$BIN" eval --model "$T/s1.model" --sentences $G --format jsonl -o "$T/s.jsonl"
check "eval scores with a shape model" grep -q '"detail":"model_threshold"' "$T/s.jsonl"
printf 'Is this plan a farce? It is!\n' > "$T/s.txt"
"$BIN" report --model "$T/s1.model" --format csv "$T/s.txt" -o "$T/srep.csv"
check "report reads a shape model" test $? -eq 0
sed 's/shape:question/shape:colour/' "$T/s1.model" > "$T/sbad.model"
"$BIN" report --model "$T/sbad.model" "$T/s.txt" -o /dev/null 2> "$T/err"
check "an unknown shape feature: exit 1" test $? -eq 1
check "an unknown shape feature: file:line:col" \
  grep -q "sbad.model:[0-9]*:[0-9]*: unknown shape feature 'shape:colour'" "$T/err"
"$BIN" train --words $G --shape -o /dev/null 2> /dev/null
check "--shape with the tagger: usage error" test $? -eq 2

# ---- --tagger-features -------------------------------------------------------------
"$BIN" train $G --folds 3 --tagger-features -o "$T/t1.model" > "$T/t1.txt"
check "--tagger-features ran" test $? -eq 0
check "--tagger-features: the three tagger aggregates in the model" \
  awk '$1 == "weight" && $2 ~ /^tagger:(half|count|double)$/ { k++ } END { exit k != 3 }' "$T/t1.model"
check "--tagger-features: the tagger embedded (its threshold and weights)" \
  awk '$1 == "tagger" && $2 == "threshold" { t = 1 } $1 == "tagger" { k++ } END { exit !(t && k > 10) }' "$T/t1.model"
check "--tagger-features in the model's comments" grep -q "+ tagger aggregates; lambda" "$T/t1.model"
check "no tagger lines without --tagger-features" sh -c "! grep -q 'tagger' '$T/g1.model'"
"$BIN" train $G --folds 3 --tagger-features -o "$T/t2.model" > /dev/null
check "--tagger-features is deterministic" cmp -s "$T/t1.model" "$T/t2.model"
"$BIN" eval --model "$T/t1.model" --sentences $G --format jsonl -o "$T/t.jsonl"
check "eval scores with a tagger-features model" grep -q '"detail":"model_threshold"' "$T/t.jsonl"
printf 'The ludicrous plan was a corrupt farce.\n' > "$T/t.txt"
"$BIN" report --model "$T/t1.model" --format csv "$T/t.txt" -o "$T/trep.csv"
check "report reads a tagger-features model" test $? -eq 0
sed '/^  tagger /d' "$T/t1.model" > "$T/tbad.model"
"$BIN" report --model "$T/tbad.model" "$T/t.txt" -o /dev/null 2> "$T/err"
check "tagger: features without the tagger lines: exit 1" test $? -eq 1
check "tagger: features without the tagger lines: says so" \
  grep -q "tagger: features need tagger lines" "$T/err"
"$BIN" train --words $G --tagger-features -o /dev/null 2> /dev/null
check "--tagger-features with the tagger: usage error" test $? -eq 2
# the nested tagger's own folds: 3 by default, --tagger-folds K
"$BIN" train $G --folds 3 --tagger-features --tagger-folds 3 -o "$T/t3.model" > /dev/null
check "--tagger-folds 3 is the default" cmp -s "$T/t1.model" "$T/t3.model"
"$BIN" train $G --folds 3 --tagger-features --tagger-folds 2 -o "$T/t4.model" > /dev/null
check "--tagger-folds 2 ran" test $? -eq 0
check "--tagger-folds 2: another tagger" sh -c "! cmp -s '$T/t1.model' '$T/t4.model'"
check "--tagger-folds 2 in the model's comments" \
  grep -q "+ tagger aggregates (its threshold by 2 folds); lambda" "$T/t4.model"
for bad in "$G --tagger-folds 1 --tagger-features" \
  "$G --tagger-folds 101 --tagger-features" "$G --tagger-folds 2" \
  "--words $G --tagger-folds 2"; do
  "$BIN" train $bad -o /dev/null 2> "$T/err"
  check "train $bad: usage error" test $? -eq 2
  check "train $bad: says why" grep -q -- "--tagger-folds" "$T/err"
done
"$BIN" train $G --folds 3 --tagger-features --words-column nosuch -o /dev/null 2> /dev/null
check "--tagger-features without a words column: exit 1" test $? -eq 1
# which aggregates (--tagger-aggregates): counts (the default), probs, both
"$BIN" train $G --folds 3 --tagger-features --tagger-aggregates counts -o "$T/t5.model" > /dev/null
check "--tagger-aggregates counts is the default" cmp -s "$T/t1.model" "$T/t5.model"
"$BIN" train $G --folds 3 --tagger-features --tagger-aggregates counts,probs -o "$T/t6.model" > /dev/null
check "--tagger-aggregates counts,probs ran" test $? -eq 0
check "--tagger-aggregates counts,probs: six tagger aggregates in the model" \
  awk '$1 == "weight" && $2 ~ /^tagger:(half|count|double|max|top3|sum)$/ { k++ } END { exit k != 6 }' "$T/t6.model"
check "--tagger-aggregates counts,probs in the model's comments" \
  grep -q "+ tagger aggregates (counts, probs); lambda" "$T/t6.model"
"$BIN" train $G --folds 3 --tagger-features --tagger-aggregates probs -o "$T/t7.model" > /dev/null
check "--tagger-aggregates probs: the three probability aggregates alone" \
  awk '$1 == "weight" && $2 ~ /^tagger:/ { k++; p += $2 ~ /max|top3|sum/ } END { exit !(k == 3 && p == 3) }' "$T/t7.model"
"$BIN" train $G --folds 3 --tagger-features --tagger-aggregates probs -o "$T/t8.model" > /dev/null
check "--tagger-aggregates probs is deterministic" cmp -s "$T/t7.model" "$T/t8.model"
"$BIN" eval --model "$T/t6.model" --sentences $G --format jsonl -o "$T/t6.jsonl"
check "eval scores with a probability-aggregates model" grep -q '"detail":"model_threshold"' "$T/t6.jsonl"
"$BIN" report --model "$T/t7.model" --format csv "$T/t.txt" -o "$T/t7rep.csv"
check "report reads a probability-aggregates model" test $? -eq 0
sed 's/tagger:top3/tagger:top4/' "$T/t6.model" > "$T/tbad2.model"
"$BIN" report --model "$T/tbad2.model" "$T/t.txt" -o /dev/null 2> "$T/err"
check "an unknown tagger aggregate: exit 1" test $? -eq 1
check "an unknown tagger aggregate: file:line:col" \
  grep -q "tbad2.model:[0-9]*:[0-9]*: unknown tagger aggregate 'tagger:top4'" "$T/err"
for bad in "$G --tagger-features --tagger-aggregates" \
  "$G --tagger-features --tagger-aggregates probs,colour" \
  "$G --tagger-features --tagger-aggregates counts," \
  "$G --tagger-features --tagger-aggregates ''" \
  "$G --tagger-aggregates probs" "--words $G --tagger-aggregates probs"; do
  eval "\"\$BIN\" train -o /dev/null $bad" 2> "$T/err"
  check "train $bad: usage error" test $? -eq 2
  check "train $bad: says why" grep -q -- "--tagger-aggregates" "$T/err"
done

# ---- a span tagger with word vectors inside a model ----------------------------------
# A model whose dimension counts the sentences where its embedded tagger
# tags a word (log1p(words) >= log(1.5): one or more) gives, file by file,
# the sentences where the same tagger applied with --tagger tags one.
"$BIN" train --words $G --folds 3 --min-df 1 --word-vectors "$T/v.txt" \
  -o "$T/vt.tagger" > /dev/null
check "a tagger with vectors: v= weights" grep -q "^v=0	" "$T/vt.tagger"
# a tagger file's lines as a model's tagger lines: no comments or format
# line, the word_vectors line without its path, each TAB a space
embed() { awk -F'\t' '/^#|^framescore-tagger/ { next }
  $1 == "word_vectors" { print "  tagger    " $1 " " $2 " " $3; next }
  { $1 = $1; print "  tagger    " $0 }' OFS=' ' "$1"; }
# and back: a model's tagger lines as a tagger file
unembed() { printf 'framescore-tagger 1\n'
  awk '$1 == "tagger" && $2 == "word_vectors" { print $2 "\t" $3 "\t" $4; next }
    $1 == "tagger" { $1 = ""; sub(/^ +/, ""); sub(/ [^ ]*$/, "\t&"); sub(/\t /, "\t"); print }' "$1"; }
probe() { # TAGGER-LINES-FILE: the probe model
  printf 'framescore-model 1\ndimension tagged\n  kind logistic\n  voice all\n'
  printf '  unit sentence\n  intercept -0.4054651081\n  threshold 0.5\n'
  printf '  weight tagger:count 1\n'
  cat "$1"; }
embed "$T/vt.tagger" > "$T/vt.lines"
probe "$T/vt.lines" > "$T/vt.model"
mkdir -p "$T/vc"
printf 'The ludicrous plan was pushed through. Rain fell on Tuesday.\n' > "$T/vc/a.txt"
printf 'A corrupt council approved a farce. The budget passed.\nCritics called it absurd.\n' > "$T/vc/b.txt"
printf 'The council met on Tuesday after a short debate.\n' > "$T/vc/c.txt"
# sentences with a tag, file by file: from the model's dimension, and
# from the tagger's spans
by_model() { "$BIN" report --model "$1" --word-vectors "$T/v.txt" \
    --format csv --dimensions "$T/dims.csv" "$T"/vc/*.txt > /dev/null &&
  awk -F, 'NR > 1 && $3 == "tagged" { printf "%s %d\n", $1, $7 }' "$T/dims.csv"; }
by_tagger() { "$BIN" report --model none --tagger "$1" --word-vectors "$T/v.txt" \
    --format csv --matches "$T/m.csv" "$T"/vc/*.txt > /dev/null &&
  for f in "$T"/vc/*.txt; do
    printf '%s %d\n' "$f" "$(awk -F, -v f="$f" '$1 == f && $11 == "tagger" { s[$9] = 1 }
      END { n = 0; for (k in s) n++; print n }' "$T/m.csv")"
  done; }
by_model "$T/vt.model" > "$T/vt.bymodel"
by_tagger "$T/vt.tagger" > "$T/vt.bytagger"
check "embedded vectors tagger: the tagger's sentences, file by file" \
  cmp -s "$T/vt.bymodel" "$T/vt.bytagger"
check "embedded vectors tagger: some sentence tagged" \
  awk '$2 > 0 { k++ } END { exit !k }' "$T/vt.bymodel"
check "embedded vectors tagger: a file without tags" \
  awk '$2 == 0 { k++ } END { exit !k }' "$T/vt.bymodel"
dg=$(awk -F'\t' '$1 == "word_vectors" { print $2 }' "$T/vt.tagger")
"$BIN" report --model "$T/vt.model" "$T"/vc/*.txt -o "$T/vt.out" 2> "$T/err"
check "embedded vectors tagger without --word-vectors: exit 1" test $? -eq 1
check "  ... names the model, the dimension and the digest" grep -q \
  "vt.model: dimension tagged has a span tagger (tagger lines) trained with word vectors: give them (--word-vectors FILE: 4 components, digest $dg)" "$T/err"
check "  ... nothing written" test ! -e "$T/vt.out"
awk 'NR == 1 { $2 += 0.5 } { print }' "$T/v.txt" > "$T/vo2.txt"
"$BIN" eval --model "$T/vt.model" --sentences $G --word-vectors "$T/vo2.txt" -o /dev/null 2> "$T/err"
check "embedded vectors tagger, other vectors: exit 1" test $? -eq 1
check "  ... names the vectors, the model and both digests" grep -q \
  "vo2.txt: not the word vectors the span tagger of .*vt.model (dimension tagged) was trained with: 4 components, digest [0-9a-f]\{16\} here, 4 and $dg there" "$T/err"
"$BIN" compare --model "$T/vt.model" --word-vectors "$T/v.txt" --bootstrap 20 \
  --format csv "$T"/vc/*.txt > "$T/vt.cmp"
check "compare with an embedded vectors tagger" grep -q "^tagged," "$T/vt.cmp"
"$BIN" eval --model "$T/vt.model" --sentences $G --word-vectors "$T/v.txt" --format jsonl -o "$T/vt.jsonl"
check "eval with an embedded vectors tagger" grep -q '"detail":"model_threshold"' "$T/vt.jsonl"
# the word_vectors line with a path (a tagger file's line, spaces for tabs)
# reads too: the path is not used
sed "s|^\(  tagger    word_vectors .*\)|\1 /no/such/path|" "$T/vt.model" > "$T/vtp.model"
by_model "$T/vtp.model" > "$T/vtp.bymodel"
check "an embedded word_vectors line with a path: same sentences" \
  cmp -s "$T/vtp.bymodel" "$T/vt.bymodel"
sed 's/^  tagger    word_vectors \([0-9a-f]*\) 4/  tagger    word_vectors \1 4x/' "$T/vt.model" > "$T/vtb.model"
"$BIN" report --model "$T/vtb.model" --word-vectors "$T/v.txt" "$T"/vc/*.txt -o /dev/null 2> "$T/err"
check "a bad embedded word_vectors line: file:line:col" \
  grep -q "vtb.model:[0-9]*:[0-9]*: dimension tagged, tagger line: expected DIGEST<TAB>DIM" "$T/err"
# --tagger-vectors: the nested tagger of --tagger-features takes the vectors
"$BIN" train $G --folds 3 --tagger-features --word-vectors "$T/v.txt" \
  --tagger-vectors -o "$T/tv1.model" > /dev/null
check "--tagger-vectors ran" test $? -eq 0
check "--tagger-vectors: the tagger lines record the vectors (no path)" \
  grep -q "^  tagger    word_vectors $dg 4$" "$T/tv1.model"
check "--tagger-vectors: the tagger's v= weights" grep -q "^  tagger    v=0 " "$T/tv1.model"
check "--tagger-vectors in the model's comments" \
  grep -q "+ tagger aggregates (with the word vectors) + 4-dimensional" "$T/tv1.model"
"$BIN" train $G --folds 3 --tagger-features --word-vectors "$T/v.txt" \
  --tagger-vectors -o "$T/tv2.model" > /dev/null
check "--tagger-vectors is deterministic" cmp -s "$T/tv1.model" "$T/tv2.model"
"$BIN" train $G --folds 3 --tagger-features --word-vectors "$T/v.txt" -o "$T/tv0.model" > /dev/null
check "without --tagger-vectors the nested tagger takes no vectors" \
  sh -c "! grep -q '^  tagger    \(word_vectors\|vector_scale\|v=\)' '$T/tv0.model'"
check "--tagger-vectors: another model" sh -c "! cmp -s '$T/tv0.model' '$T/tv1.model'"
"$BIN" eval --model "$T/tv1.model" --sentences $G --word-vectors "$T/v.txt" --format jsonl -o "$T/tv1.jsonl"
check "eval scores with a --tagger-vectors model" grep -q '"detail":"model_threshold"' "$T/tv1.jsonl"
"$BIN" report --model "$T/tv1.model" --word-vectors "$T/v.txt" --format csv "$T/t.txt" -o /dev/null
check "report reads a --tagger-vectors model" test $? -eq 0
# its tagger, taken out of the model, tags as it does inside one
awk '$1 == "tagger"' "$T/tv1.model" > "$T/tv1.lines"
unembed "$T/tv1.model" > "$T/tv1.tagger"
probe "$T/tv1.lines" > "$T/tv1p.model"
by_model "$T/tv1p.model" > "$T/tv1.bymodel"
by_tagger "$T/tv1.tagger" > "$T/tv1.bytagger"
check "--tagger-vectors: the embedded tagger = the tagger file it makes" \
  cmp -s "$T/tv1.bymodel" "$T/tv1.bytagger"
check "   ... (some sentence tagged)" awk '$2 > 0 { k++ } END { exit !k }' "$T/tv1.bymodel"
# with --vector-words N the tagger reads the model's first N rows too: the
# model's vectors serve both
"$BIN" train $G --folds 3 --tagger-features --word-vectors "$T/v.txt" \
  --tagger-vectors --vector-words 40 -o "$T/tvw.model" > /dev/null
check "--tagger-vectors --vector-words 40: the tagger's digest is the model's" \
  sh -c "[ \"\$(awk '\$1 == \"tagger\" && \$2 == \"word_vectors\" { print \$3 }' '$T/tvw.model')\" = \"\$(awk '\$1 == \"vectors\" { print \$2 }' '$T/tvw.model')\" ]"
"$BIN" report --model "$T/tvw.model" --word-vectors "$T/v.txt" --format csv "$T/t.txt" -o /dev/null
check "--tagger-vectors --vector-words 40: report reads it" test $? -eq 0
for bad in "$G --tagger-vectors" "$G --tagger-features --tagger-vectors" \
  "$G --word-vectors $T/v.txt --tagger-vectors" \
  "--words $G --word-vectors $T/v.txt --tagger-vectors"; do
  # shellcheck disable=SC2086
  "$BIN" train $bad -o /dev/null 2> "$T/err"
  check "train $bad: usage error" test $? -eq 2
  check "train $bad: says why" grep -q -- "--tagger-vectors" "$T/err"
done

# ---- the models apply as before ----------------------------------------------------
# the model format is unchanged: report scores a text with a group-CV model
printf 'The ludicrous plan was a corrupt farce.\n' > "$T/a.txt"
"$BIN" report --model "$T/w1.model" --format csv "$T/a.txt" -o "$T/rep.csv" 2> "$T/err"
check "report reads a --word-prior model" test $? -eq 0
"$BIN" eval --model "$T/w1.model" --sentences $G --format jsonl -o "$T/ev.jsonl"
check "eval scores with it" grep -q '"detail":"model_threshold"' "$T/ev.jsonl"

echo "train_cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
