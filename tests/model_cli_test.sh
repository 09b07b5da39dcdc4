#!/usr/bin/env bash
# model_cli_test.sh BIN SRCDIR - the command line of framing models, actors,
# train and eval: options, errors with file:line:col, outputs, determinism.
# Uses only files of the project (examples/, tests/data/, models/).
set -u
BIN=$1
SRC=$2
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1
MAN="--manifest examples/manifest.csv"

# ---- models in report and compare --------------------------------------------
"$BIN" report $MAN --color never > "$T/r.txt"
check "report shows dimensions" grep -q "^Framing dimensions (model default.model)" "$T/r.txt"
check "report pools outlets" grep -q "^  capital_tribune " "$T/r.txt"
"$BIN" report $MAN --model none --color never > "$T/none.txt"
check "--model none: no dimensions" test -z "$(grep 'Framing dimensions' "$T/none.txt")"
"$BIN" report $MAN --format csv --dimensions "$T/d.csv" -o /dev/null
check "--dimensions header" test "$(head -1 "$T/d.csv")" = "file,outlet,dimension,kind,voice,unit,num,den,value"
# 12 documents x the active dimensions of the default model
ndims=$(grep -c '^dimension ' models/default.model)
check "--dimensions rows" test "$(($(wc -l < "$T/d.csv") - 1))" -eq $((12 * ndims))
check "attribution share" grep -q '^corpus/capital_tribune/02.txt\|capital_tribune/02.txt,capital_tribune,attribution_pejorative,linear,author,% of attribution.\*,5.0000,15.0000,33.3333$' "$T/d.csv"
"$BIN" report --format jsonl examples/corpus/harbor_wire/01.txt | grep -q '"dimensions":{"loaded_language":'
check "jsonl dimensions" test $? -eq 0
"$BIN" compare $MAN --bootstrap 50 --format csv > "$T/c.csv"
check "compare dimension rows" grep -q '^attribution_pejorative,dimension,author,capital_tribune,rest,' "$T/c.csv"
"$BIN" compare $MAN --bootstrap 50 --color never > "$T/c.txt"
check "compare names units" grep -q "attribution_doubt  *% of attribution.\*" "$T/c.txt"

# ---- model errors -------------------------------------------------------------
printf 'framescore-model 1\ndimension x\n  voice authr\n  weight loaded.* 1\n' > "$T/bad.model"
"$BIN" report --model "$T/bad.model" examples/corpus/harbor_wire/01.txt > /dev/null 2> "$T/err"
check "bad model exits 1" test $? -eq 1
check "bad model located" grep -q "bad.model:3:9: unknown voice 'authr'" "$T/err"
FRAMESCORE_MODELS="$T/nowhere" "$BIN" report examples/corpus/harbor_wire/01.txt > /dev/null 2> "$T/err"
check "FRAMESCORE_MODELS missing exits 1" test $? -eq 1
check "FRAMESCORE_MODELS named" grep -q "FRAMESCORE_MODELS=.*has no default.model" "$T/err"
mkdir "$T/models"
printf 'framescore-model 1\ndimension only_hedges\n  weight hedge 1\n' > "$T/models/default.model"
FRAMESCORE_MODELS="$T/models" "$BIN" report --format csv --dimensions "$T/h.csv" -o /dev/null examples/corpus/harbor_wire/01.txt
check "FRAMESCORE_MODELS used" grep -q ",only_hedges," "$T/h.csv"

# ---- actors -------------------------------------------------------------------
"$BIN" actors $MAN > /dev/null 2> "$T/err"
check "actors needs --actors" test $? -eq 2
printf 'Vry\tvry\tvarnell\nVry\tVRY\tvarnell\n' > "$T/bad.actors"
"$BIN" actors --actors "$T/bad.actors" $MAN > /dev/null 2> "$T/err"
check "bad actors exits 1" test $? -eq 1
check "bad actors located" grep -q "bad.actors:2:5: actor ids are lowercase" "$T/err"
"$BIN" actors --actors models/actors/drevna.actors $MAN --matches "$T/who.csv" -o "$T/a.txt"
check "actors ran" test $? -eq 0
check "capital_tribune: Vry raved" grep -q ',capital_tribune,.*,attribution.pejorative,raved,vry,varnell,' "$T/who.csv"
check "north_star_news: Tessaly ranted" grep -q ',north_star_news,.*,ranted,tessaly,kessar,left,' "$T/who.csv"
check "north_star_news: Vry revealed" grep -q ',north_star_news,.*,attribution.endorsement,revealed,vry,varnell,' "$T/who.csv"
check "harbor_wire: no pejorative" test -z "$(grep ',harbor_wire,.*attribution.pejorative' "$T/who.csv")"
"$BIN" actors --actors models/actors/drevna.actors $MAN --format jsonl > "$T/a.jsonl"
check "actors jsonl" grep -q '"level":"side","actor":"","side":"kessar","relation":"attribution"' "$T/a.jsonl"
"$BIN" actors --actors models/actors/drevna.actors $MAN --threads 4 --matches "$T/who4.csv" -o "$T/a4.txt"
check "actors: same with 4 threads" cmp -s "$T/a.txt" "$T/a4.txt"

# ---- train ----------------------------------------------------------------------
"$BIN" train tests/data/labelled.tsv --folds 3 -o "$T/m1.model" > "$T/t1.txt"
check "train ran" test $? -eq 0
check "train summary" grep -q "pooled: precision" "$T/t1.txt"
"$BIN" train tests/data/labelled.tsv --folds 3 -o "$T/m2.model" > "$T/t2.txt"
check "train is deterministic" cmp -s "$T/m1.model" "$T/m2.model"
"$BIN" train tests/data/labelled.tsv --folds 3 --seed 9 -o "$T/m3.model" > /dev/null
check "the seed changes folds" test -n "$(cmp "$T/t1.txt" <("$BIN" train tests/data/labelled.tsv --folds 3 --seed 9 -o /dev/null))"
check "model header" grep -q "^framescore-model 1$" "$T/m1.model"
"$BIN" report --model "$T/m1.model" --format csv --dimensions "$T/md.csv" -o /dev/null $MAN
check "report uses a trained model" grep -q ",bias,logistic,all,% of sentences" "$T/md.csv"
"$BIN" train tests/data/labelled.tsv --folds 1 -o /dev/null 2> /dev/null
check "--folds 1 is a usage error" test $? -eq 2
"$BIN" train tests/data/labelled.tsv --label-column nope -o /dev/null 2> "$T/err"
check "missing column exits 1" test $? -eq 1
check "missing column named" grep -q "no column 'nope' (the header has: text, label, biased_words, source)" "$T/err"
"$BIN" train tests/data/labelled.tsv --folds 3 --format csv -o /dev/null > "$T/t.csv"
check "train csv" test "$(head -1 "$T/t.csv")" = "fold,n,positives,threshold,tp,fp,fn,tn,precision,recall,f1,roc_auc,pr_auc,accuracy"
# --pairs: word order that stems cannot see ("dog bit man" against "man bit
# dog", the same words in both classes)
{
  printf 'text\tlabel\n'
  for place in park street town field yard lane market river hill bridge; do
    printf 'The dog bit the man in the %s.\t1\n' "$place"
    printf 'The man bit the dog in the %s.\t0\n' "$place"
  done
} > "$T/order.tsv"
"$BIN" train "$T/order.tsv" --folds 2 --lambda 0.1 -o "$T/o1.model" --quiet
"$BIN" train "$T/order.tsv" --folds 2 --lambda 0.1 --pairs -o "$T/o2.model" --quiet
check "--pairs writes pair features" grep -q "weight    pair:dog|bit " "$T/o2.model"
check "no pairs without --pairs" test -z "$(grep pair: "$T/o1.model")"
"$BIN" eval --model "$T/o1.model" --sentences "$T/order.tsv" --folds 2 --format csv > "$T/o1.csv"
"$BIN" eval --model "$T/o2.model" --sentences "$T/order.tsv" --folds 2 --format csv > "$T/o2.csv"
check "stems alone cannot order words (ROC AUC 0.5)" grep -q "^sentences,bias,.*,0.5,0.5,," "$T/o1.csv"
check "pairs can (ROC AUC 1)" grep -q "^sentences,bias,.*,1,1,," "$T/o2.csv"
"$BIN" train tests/data/labelled.tsv --folds 3 --pairs --nb --context-model default -o "$T/c1.model" > /dev/null
"$BIN" train tests/data/labelled.tsv --folds 3 --pairs --nb --context-model default -o "$T/c2.model" > /dev/null
check "train --context-model embeds it" grep -q "^  context   intercept " "$T/c1.model"
check "train --context-model: aggregates" grep -q "^  weight    context:max " "$T/c1.model"
check "train --pairs --nb --context-model is deterministic" cmp -s "$T/c1.model" "$T/c2.model"
# the aggregates count the framing matches (weight-0 entries such as
# "said" left out) unless --context-matches all, as before session 29
check "train --context-model: framing matches by default" grep -q "^  context_matches framing$" "$T/c1.model"
"$BIN" train tests/data/labelled.tsv --folds 3 --pairs --nb --context-model default \
  --context-matches all -o "$T/c3.model" > /dev/null
check "--context-matches all: no context_matches line" test -z "$(grep context_matches "$T/c3.model")"
check "--context-matches all: other aggregate weights" test -n "$(diff "$T/c1.model" "$T/c3.model" | grep "context:")"
"$BIN" train tests/data/labelled.tsv --folds 3 --context-matches all -o /dev/null 2> "$T/err"
check "--context-matches without --context-model: usage (exit 2)" test $? -eq 2
check "--context-matches without --context-model: says why" grep -q "needs --context-model" "$T/err"
"$BIN" train tests/data/labelled.tsv --folds 3 --context-model default --context-matches some -o /dev/null 2> "$T/err"
check "--context-matches some: usage (exit 2)" test $? -eq 2
"$BIN" eval --model "$T/c1.model" --sentences tests/data/labelled.tsv --folds 3 > "$T/cs.txt"
check "eval reads a model with context lines" test $? -eq 0
"$BIN" train --context --context-model default --words tests/data/labelled.tsv -o /dev/null 2> "$T/err"
check "train --context refuses --context-model" test $? -eq 2

# ---- eval -----------------------------------------------------------------------
"$BIN" eval > /dev/null 2>&1
check "eval without data exits 2" test $? -eq 2
"$BIN" eval --spans tests/data/ptc/labels.tsv --articles tests/data/ptc --phrase-words 0 > "$T/e.txt"
check "spans: exact F1 1" grep -q "all of them (any technique)  *2  *2  *1.000 1.000 1.000  *1.000 1.000 1.000" "$T/e.txt"
"$BIN" eval --spans tests/data/ptc/labels.tsv --articles tests/data/ptc --format csv > "$T/e.csv"
# with a content word each side: "thugs lied" earns 5/10 of gold "thugs",
# "utter nonsense" (function words around it) is exact: P 0.75, R 1
check "spans csv" grep -q "^spans,all,,2,2,,0.75,1,0.857143,0.5,0.5,0.5," "$T/e.csv"
"$BIN" eval --words tests/data/labelled.tsv --format csv > "$T/w.csv"
# "regime" and "cover-up" are event vocabulary (weight 0 in predictions):
# 30 predicted words, 25 of the 26 gold ("scheme", evaluative_language, is
# the 30th: not marked in this file)
check "words csv" grep -q "^words,all,,30,26,25,0.833333,0.961538,0.892857," "$T/w.csv"
"$BIN" eval --words tests/data/labelled.tsv --dimension loaded_language \
  --dimension labeling --dimension attribution_doubt \
  --dimension attribution_pejorative --format csv > "$T/w4.csv"
check "words csv, the four dimensions before evaluative_language" \
  grep -q "^words,all,,29,26,25,0.862069,0.961538,0.909091," "$T/w4.csv"
"$BIN" eval --words tests/data/labelled.tsv --model "$SRC/models/default.model" \
  --no-default-lexicons --lexicon "$SRC/lexicons/en/loaded.tsv" \
  --lexicon "$SRC/lexicons/en/labels.tsv" --lexicon "$SRC/lexicons/en/attribution.tsv" \
  --format csv > "$T/w1.csv"
check "words without evaluative lexicons: its default dimension is skipped" \
  grep -q "^words,all,,29,26,25,0.862069,0.961538,0.909091," "$T/w1.csv"
# evaluative words (lexicons/en/evaluative.tsv) have their own dimension and
# stay out of the headline: 3 matches in 11 words, loaded_score 0
printf 'The stingy plan was a boondoggle, and the aide was cagey.\n' > "$T/ev.txt"
"$BIN" report "$T/ev.txt" --format jsonl -o "$T/ev.jsonl"
check "evaluative words: not in loaded_score" grep -q '"loaded_score":0.0000,' "$T/ev.jsonl"
check "evaluative words: evaluative_language 3 per 11 words" \
  grep -q '"evaluative_language":272.7273' "$T/ev.jsonl"
printf "text\tbiased_words\nThe stingy plan was a boondoggle, and the aide was cagey.\t['boondoggle']\n" > "$T/ev.tsv"
"$BIN" eval --words "$T/ev.tsv" --format csv > "$T/ev.csv"
check "evaluative words predict biased words (3 predicted, 1 marked)" \
  grep -q "^words,all,,3,1,1," "$T/ev.csv"
"$BIN" eval --model "$T/m1.model" --sentences tests/data/labelled.tsv --folds 3 > "$T/s.txt"
check "sentences" grep -q "ROC AUC 1.000" "$T/s.txt"
"$BIN" eval --technique Loaded_Language=nope --spans tests/data/ptc/labels.tsv --articles tests/data/ptc > /dev/null 2> "$T/err"
check "unknown dimension exits 1" test $? -eq 1
check "unknown dimension named" grep -q "has no dimension 'nope'" "$T/err"
echo "$pass passed, $fail failed"
test $fail -eq 0
