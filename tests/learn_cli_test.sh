#!/usr/bin/env bash
# learn_cli_test.sh BIN SRCDIR - learned models from the command line: the
# context model (train --context, --context-model in eval and report) and
# the span tagger (train --spans/--words, eval --tagger): outputs, file
# format errors with file:line:col, determinism, and that nothing changes
# without them. Uses only files of the project (tests/data/, examples/).
set -u
BIN=$1
SRC=$2
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1
W=tests/data/labelled.tsv
S="--spans tests/data/ptc/labels.tsv --articles tests/data/ptc"

# ---- the context model -----------------------------------------------------------
"$BIN" train --context --words $W --folds 3 -o "$T/c1.model" > "$T/c1.txt"
check "train --context ran" test $? -eq 0
check "train --context summary" grep -q "words  token F1 .* cross-validated" "$T/c1.txt"
check "context model magic" grep -q "^framescore-context 1$" "$T/c1.model"
check "context model provenance" grep -q "^# written by framescore .* train --context --words labelled.tsv" "$T/c1.model"
"$BIN" train --context --words $W --folds 3 -o "$T/c2.model" > /dev/null
check "train --context is deterministic" cmp -s "$T/c1.model" "$T/c2.model"
"$BIN" train --context --words $W --folds 3 --format csv -o /dev/null > "$T/c.csv"
"$BIN" train --context --words $W --folds 3 --words-weight 3 -o "$T/c3.model" > /dev/null
check "--words-weight: in the provenance" grep -q "^# --words-weight 3: " "$T/c3.model"
check "train --context: a threshold for words" grep -q "^threshold words 0" "$T/c3.model"
"$BIN" train --context --words $W --folds 3 --words-weight 0 -o /dev/null 2> "$T/err"
check "--words-weight 0: usage error" test $? -eq 2
"$BIN" eval --words $W --words-weight 2 > /dev/null 2>&1
check "--words-weight is train's" test $? -eq 2
check "train --context csv" test "$(head -1 "$T/c.csv")" = "kind,what,precision,recall,f1"
"$BIN" train --context $S --folds 5 -o /dev/null 2> "$T/err"
check "too few articles exits 1" test $? -eq 1
check "too few articles named" grep -q "2 articles are too few for 5 folds" "$T/err"
"$BIN" train --context --spans tests/data/ptc/labels.tsv -o /dev/null 2> /dev/null
check "--spans without --articles exits 2" test $? -eq 2

"$BIN" eval --words $W --format csv > "$T/w0.csv"
"$BIN" eval --words $W --format csv --context-model none > "$T/wn.csv"
check "--context-model none changes nothing" cmp -s "$T/w0.csv" "$T/wn.csv"
check "train --context writes 'words content'" grep -q "^words content$" "$T/c1.model"
# threshold 0 keeps every match: the same scores as without a model (with
# every word of a match predicted, 'words all')
sed 's/^threshold .*/threshold 0/; s/^words content$/words all/' "$T/c1.model" > "$T/c0.model"
"$BIN" eval --words $W --format csv --context-model "$T/c0.model" > "$T/w00.csv"
check "threshold 0 keeps every match" cmp -s "$T/w0.csv" "$T/w00.csv"
sed 's/^threshold .*/threshold 1/' "$T/c1.model" > "$T/c9.model"
"$BIN" eval --words $W --format csv --context-model "$T/c9.model" > "$T/w9.csv"
check "threshold 1 keeps no match" grep -q "^words,all,,0,[0-9]*,0,0,0,0," "$T/w9.csv"
# 'words content': a kept match does not predict its function words ("of"
# in "enemy of the people"); the same matches, fewer predicted words
printf 'text\tbiased_words\nThey call him an enemy of the people.\t['"'"'enemy'"'"']\n' > "$T/fw.tsv"
printf 'enemy of the people\tlabel.pejorative\t1\n' > "$T/fw_lex.tsv"
printf 'framescore-context 1\nthreshold 0\nwords %s\n' all > "$T/fa.model"
printf 'framescore-context 1\nthreshold 0\nwords %s\n' content > "$T/fc.model"
"$BIN" eval --words "$T/fw.tsv" --lexicon "$T/fw_lex.tsv" --format csv \
  --context-model "$T/fa.model" > "$T/fa.csv"
"$BIN" eval --words "$T/fw.tsv" --lexicon "$T/fw_lex.tsv" --format csv \
  --context-model "$T/fc.model" > "$T/fc.csv"
check "words all: every word of the match" grep -q "^words,all,,4,1,1," "$T/fa.csv"
check "words content: its content words" grep -q "^words,all,,2,1,1," "$T/fc.csv"
printf 'framescore-context 1\nwords some\n' > "$T/bad3.model"
"$BIN" eval --words $W --context-model "$T/bad3.model" > /dev/null 2> "$T/err"
check "bad 'words' line: file:line:col" grep -q "bad3.model:2:1: expected 'words content' or 'words all'" "$T/err"
"$BIN" eval $S --context-model "$T/c1.model" > /dev/null
check "eval --spans with a context model" test $? -eq 0

# a family's weight applies to each category of the family (a 'family'
# line was read as a category of that name before session 30): intercept
# -1 keeps no match at threshold 0.5, 'family loaded 2' keeps the loaded ones
printf 'framescore-context 1\nwords all\nthreshold 0.5\nintercept -1\n' > "$T/f0.model"
{ cat "$T/f0.model"; printf 'family loaded 2\n'; } > "$T/f1.model"
"$BIN" eval --words $W --format csv --context-model "$T/f0.model" > "$T/f0.csv"
"$BIN" eval --words $W --format csv --context-model "$T/f1.model" > "$T/f1.csv"
check "intercept -1: no match kept" grep -q "^words,all,,0,[0-9]*,0,0,0,0," "$T/f0.csv"
check "family loaded 2: its matches kept" grep -q "^words,all,,[1-9][0-9]*,[0-9]*,[1-9]" "$T/f1.csv"
# a category or family the lexicons lack: a warning, and the same output
"$BIN" eval --words $W --format csv --context-model "$T/c1.model" > /dev/null 2> "$T/err"
check "a model of these lexicons: no warning" test ! -s "$T/err"
{ cat "$T/f1.model"; printf 'category loaded.gone 1\nfamily gone 1\ncategory label.zero 0\n'; } > "$T/fu.model"
"$BIN" eval --words $W --format csv --context-model "$T/fu.model" > "$T/fu.csv" 2> "$T/err"
check "unknown names: exit 0, the same output" cmp -s "$T/f1.csv" "$T/fu.csv"
check "unknown names: a warning naming the first" grep -q \
  "fu.model: warning: the context model weighs lexicon category 'loaded.gone', which no loaded lexicon has (and 1 more)" "$T/err"
# the shipped model with other lexicons (report, train --context-model)
"$BIN" report --no-default-lexicons --lexicon tests/data/mini.tsv --context-model default \
  examples/corpus/capital_tribune/01.txt -o /dev/null 2> "$T/err"
check "shipped model, a small lexicon: exit 0" test $? -eq 0
check "shipped model, a small lexicon: warns" grep -q "context.model: warning: the context model weighs lexicon" "$T/err"
"$BIN" train $W --folds 3 --no-default-lexicons --lexicon tests/data/mini.tsv \
  --context-model "$T/fu.model" -o "$T/fu_sent.model" > /dev/null 2> "$T/err"
check "train --context-model warns too" grep -q "fu.model: warning: the context model weighs lexicon" "$T/err"
"$BIN" report --no-default-lexicons --lexicon tests/data/mini.tsv --model "$T/fu_sent.model" \
  examples/corpus/capital_tribune/01.txt -o /dev/null 2> "$T/err"
check "embedded context lines: the same warning" grep -q \
  "fu_sent.model (dimension bias): warning: the context model weighs lexicon category 'loaded.gone'" "$T/err"

printf 'framescore-context 1\nthreshold 0.5\nfeature nope 1\n' > "$T/bad.model"
"$BIN" eval --words $W --context-model "$T/bad.model" > /dev/null 2> "$T/err"
check "bad context model exits 1" test $? -eq 1
check "bad context model: file:line:col" grep -q "bad.model:3:9: unknown feature 'nope'" "$T/err"
printf 'framescore-model 1\n' > "$T/bad2.model"
"$BIN" eval --words $W --context-model "$T/bad2.model" > /dev/null 2> "$T/err"
check "not a context model" grep -q "bad2.model:1:1: expected 'framescore-context 1'" "$T/err"

# a threshold per task: eval --words uses 'threshold words', eval --spans
# 'threshold spans', each falling back on 'threshold' (every probability
# is 1/2 here: intercept 0)
printf 'framescore-context 1\nwords all\nthreshold 0.9\nthreshold words 0.1\n' > "$T/tw.model"
"$BIN" eval --words $W --format csv --context-model "$T/tw.model" > "$T/tw.csv"
check "threshold words: eval --words keeps what it keeps" cmp -s "$T/w0.csv" "$T/tw.csv"
"$BIN" eval $S --format csv --context-model "$T/tw.model" > "$T/ts.csv"
check "threshold words: eval --spans uses threshold" grep -q "^spans,all,,0,[0-9]*,.*,0,0,0," "$T/ts.csv"
printf 'framescore-context 1\nthreshold 0.1\nthreshold spans 0.9\n' > "$T/tp.model"
"$BIN" eval $S --format csv --context-model "$T/tp.model" > "$T/tp.csv"
check "threshold spans: eval --spans keeps no match" grep -q "^spans,all,,0,[0-9]*,.*,0,0,0," "$T/tp.csv"
printf 'framescore-context 1\nthreshold headline 0.3\n' > "$T/bad4.model"
"$BIN" eval --words $W --context-model "$T/bad4.model" > /dev/null 2> "$T/err"
check "unknown task: file:line:col" grep -q "bad4.model:2:11: unknown task 'headline' (spans or words)" "$T/err"
printf 'framescore-context 1\nthreshold words 2\n' > "$T/bad5.model"
"$BIN" eval --words $W --context-model "$T/bad5.model" > /dev/null 2> "$T/err"
check "task threshold outside 0..1" test $? -eq 1
# the context model's own features: a quoted match in a one-sentence text
# (single_quote), a last word ending in -ly (suffix_ly); every other match
# has probability sigmoid(5)
printf 'text\tbiased_words\n"That is pathetic," she said of the ludicrous plan.\t[]\nThe unruly crowd heard a pathetic speech.\t[]\n' > "$T/sq.tsv"
printf 'framescore-context 1\nwords all\nthreshold 0.5\nintercept 5\nfeature %s -10\n' single_quote > "$T/sq.model"
printf 'framescore-context 1\nwords all\nthreshold 0.5\nintercept 5\nfeature %s -10\n' suffix_ly > "$T/sl.model"
"$BIN" eval --words "$T/sq.tsv" --format csv > "$T/sq0.csv"
"$BIN" eval --words "$T/sq.tsv" --format csv --context-model "$T/sq.model" > "$T/sq1.csv"
"$BIN" eval --words "$T/sq.tsv" --format csv --context-model "$T/sl.model" > "$T/sl1.csv"
check "four words predicted without a model" grep -q "^words,all,,4,0," "$T/sq0.csv"
check "single_quote drops the quoted match" grep -q "^words,all,,3,0," "$T/sq1.csv"
check "suffix_ly drops the -ly word" grep -q "^words,all,,3,0," "$T/sl1.csv"
# the sentence stage (second lines): every peer has first-stage probability
# 1/2, and `top` -10 drops each sentence's first peer ("pathetic" of the
# first row, "unruly" of the second)
P='framescore-context 1\nwords all\nthreshold 0.5\nintercept -1\ncategory loaded.dismissive 1\ncategory evaluative.judgment 1\n'
printf "${P}second intercept 5\nsecond top -10\n" > "$T/s2.model"
"$BIN" eval --words "$T/sq.tsv" --format csv --context-model "$T/s2.model" > "$T/s21.csv"
check "sentence stage: top drops each sentence's first peer" grep -q "^words,all,,2,0," "$T/s21.csv"
printf "${P}second intercept 5\n" > "$T/s3.model"
"$BIN" eval --words "$T/sq.tsv" --format csv --context-model "$T/s3.model" > "$T/s31.csv"
check "sentence stage: its intercept alone keeps every peer" grep -q "^words,all,,4,0," "$T/s31.csv"
printf "${P}second intercept 0\nsecond others_max -20\n" > "$T/s4.model"
printf 'text\tbiased_words\nA ludicrous plan.\t[]\nThe unruly crowd heard a pathetic speech.\t[]\n' > "$T/s4.tsv"
"$BIN" eval --words "$T/s4.tsv" --format csv --context-model "$T/s4.model" > "$T/s41.csv"
check "sentence stage: others_max reads the sentence's other peers" grep -q "^words,all,,1,0," "$T/s41.csv"
printf "${P}second nope 1\n" > "$T/bad6.model"
"$BIN" eval --words $W --context-model "$T/bad6.model" > /dev/null 2> "$T/err"
check "sentence stage: unknown feature, file:line:col" grep -q "bad6.model:7:8: unknown sentence-stage feature 'nope'" "$T/err"
"$BIN" train --context --sentence-stage --words $W --folds 3 -o "$T/cs1.model" > "$T/cs1.txt"
check "train --context --sentence-stage ran" test $? -eq 0
check "train --sentence-stage writes the stage" grep -q "^second logit " "$T/cs1.model"
check "train --sentence-stage provenance" grep -q "^# --sentence-stage: " "$T/cs1.model"
"$BIN" train --context --sentence-stage --words $W --folds 3 -o "$T/cs2.model" > /dev/null
check "train --sentence-stage is deterministic" cmp -s "$T/cs1.model" "$T/cs2.model"
check "without --sentence-stage no stage" test -z "$(grep '^second' "$T/c1.model")"
"$BIN" report examples/corpus/capital_tribune/01.txt --matches "$T/ms.csv" \
  --context-model "$T/cs1.model" -o /dev/null
check "report reads a sentence stage" test $? -eq 0
"$BIN" train --sentence-stage --words $W --folds 3 -o /dev/null 2> "$T/err"
check "--sentence-stage without --context: usage (exit 2)" test $? -eq 2
check "--sentence-stage without --context: says why" grep -q "is for train --context" "$T/err"

"$BIN" report examples/corpus/capital_tribune/01.txt --matches "$T/m0.csv" -o "$T/r0.txt"
"$BIN" report examples/corpus/capital_tribune/01.txt --matches "$T/m1.csv" \
  --context-model "$T/c1.model" -o "$T/r1.txt"
check "--matches: no probability without a model" test -z "$(head -1 "$T/m0.csv" | grep context_prob)"
check "--matches: context_prob column" test "$(head -1 "$T/m1.csv" | awk -F, '{ print $NF }')" = context_prob
check "--matches: one probability per row" test "$(awk -F, 'NR > 1 && $NF !~ /^[01]\.[0-9][0-9][0-9][0-9]$/' "$T/m1.csv" | wc -l)" -eq 0
check "same matches with the model" test "$(wc -l < "$T/m0.csv")" -eq "$(wc -l < "$T/m1.csv")"
"$BIN" report examples/corpus/capital_tribune/01.txt --context-model default -o /dev/null
check "--context-model default finds models/context.model" test $? -eq 0

# ---- the span tagger -------------------------------------------------------------
"$BIN" train --words $W --folds 3 --min-df 1 -o "$T/t1.model" > "$T/t1.txt"
check "train --words (tagger) ran" test $? -eq 0
check "tagger summary" grep -q "span tagger" "$T/t1.txt"
check "tagger magic" grep -q "^framescore-tagger 1$" "$T/t1.model"
check "tagger holds stems" grep -q "^w=" "$T/t1.model"
"$BIN" train --words $W --folds 3 --min-df 1 -o "$T/t2.model" > /dev/null
check "tagger training is deterministic" cmp -s "$T/t1.model" "$T/t2.model"
"$BIN" eval --words $W --tagger "$T/t1.model" --format csv > "$T/wt.csv"
check "eval --tagger words" grep -q "^words,all," "$T/wt.csv"
"$BIN" eval $S --tagger "$T/t1.model" --format csv > "$T/st.csv"
check "eval --tagger spans" grep -q "^spans,all," "$T/st.csv"
check "tagger combines: tags alone" grep -q "^combine	tags$" "$T/t1.model"
"$BIN" train --words $W --folds 3 --min-df 1 --combine union -o "$T/tu.model" > /dev/null
check "tagger combines: union" grep -q "^combine	union$" "$T/tu.model"
"$BIN" eval --words $W --tagger "$T/tu.model" --format csv > "$T/wu.csv"
# the union predicts at least every word the lexicons predict
check "union keeps the lexicon's words" test "$(awk -F, '$1 == "words" && $2 == "all" { print $4 }' "$T/wu.csv")" -ge "$(awk -F, '$1 == "words" && $2 == "all" { print $4 }' "$T/w0.csv")"
"$BIN" train --words $W --combine both -o /dev/null 2> /dev/null
check "bad --combine exits 2" test $? -eq 2
"$BIN" train --words $W --folds 3 --min-df 1 --combine anchor -o "$T/ta.model" > "$T/ta.txt"
check "tagger combines: anchor" grep -q "^combine	anchor$" "$T/ta.model"
check "anchored tagger: its anchor threshold" grep -q "^anchor_threshold	[0-9.]*$" "$T/ta.model"
check "anchored tagger: the word dimensions' categories" grep -q "^anchor	loaded\." "$T/ta.model"
check "anchored tagger (words): a match's own words" test -z "$(grep anchor_phrase "$T/ta.model")"
check "anchored tagger: summary says its anchor threshold" grep -q "anchor threshold" "$T/ta.txt"
"$BIN" train $S --folds 2 --min-df 1 --combine anchor -o "$T/tas.model" > /dev/null
check "anchored tagger (spans): eval's phrase words" grep -q "^anchor_phrase	1$" "$T/tas.model"
# span rules (--span-rules): written to the tagger file, refused without
# --combine anchor or when malformed
"$BIN" train $S --folds 2 --min-df 1 --combine anchor --span-rules extend=0.3,merge,trim \
  -o "$T/tar.model" > /dev/null
check "span rules: extend in the tagger file" grep -q "^span_extend	0.3$" "$T/tar.model"
check "span rules: merge and trim in the tagger file" test "$(grep -c '^span_merge	1$\|^span_trim	1$' "$T/tar.model")" -eq 2
check "span rules: named in its comment" grep -q "^# .*span rules extend=0.3,merge,trim" "$T/tar.model"
"$BIN" eval $S --tagger "$T/tar.model" --format csv > "$T/sr.csv"
check "span rules: eval applies the tagger" grep -q "^spans,all," "$T/sr.csv"
check "no span rules: none in the tagger file" test -z "$(grep '^span_' "$T/tas.model")"
"$BIN" train $S --folds 2 --span-rules merge -o /dev/null 2> /dev/null
check "--span-rules without --combine anchor exits 2" test $? -eq 2
"$BIN" train $S --folds 2 --combine anchor --span-rules merge,glue -o /dev/null 2> /dev/null
check "bad --span-rules exits 2" test $? -eq 2
# a tagger that rejects nothing and adds nothing predicts what the lexicons do
(printf 'framescore-tagger 1\ncombine\tanchor\nthreshold\t1.5\nintercept\t-10\n'
 printf 'anchor_threshold\t0\nanchor_phrase\t1\n'
 grep '^anchor	' "$T/tas.model") > "$T/tkeep.model"
"$BIN" eval $S --format csv > "$T/s0.csv"
"$BIN" eval $S --tagger "$T/tkeep.model" --format csv > "$T/sk.csv"
f1() { awk -F, '$1 == "spans" && $2 == "all" { print $0 }' "$1" | cut -d, -f5-7; }
check "anchored, keeping every match: the lexicon's span scores" test "$(f1 "$T/sk.csv")" = "$(f1 "$T/s0.csv")"
# a user's word list as a feature (train --lexicon DIR); applied without
# it, the tagger's features on its category never fire: a warning says so
mkdir -p "$T/lists"
printf 'absurd\tmine.word\t1\nblunder\tmine.word\t1\nclueless\tmine.word\t1\nrant\tmine.word\t1\n' \
  > "$T/lists/mine.tsv"
"$BIN" train --words $W --folds 3 --min-df 1 --lexicon "$T/lists" -o "$T/tl.model" > /dev/null
check "tagger with a word list: its category is a feature" grep -q "^c=mine\.word	" "$T/tl.model"
"$BIN" eval --words $W --tagger "$T/tl.model" --lexicon "$T/lists" > /dev/null 2> "$T/err"
check "tagger with its word list loaded: no warning" test ! -s "$T/err"
"$BIN" eval --words $W --tagger "$T/tl.model" > /dev/null 2> "$T/err"
check "tagger without its word list: still runs" test $? -eq 0
check "tagger without its word list: a warning names the category" \
  grep -q "tl.model: warning: the tagger weighs lexicon category 'mine.word'" "$T/err"
printf 'framescore-tagger 1\ncombine\tanchor\nanchor_phrase\t1.5\n' > "$T/badp.model"
"$BIN" eval --words $W --tagger "$T/badp.model" > /dev/null 2> "$T/err"
check "bad anchor_phrase: file:line:col" grep -q "badp.model:3:15: expected a whole number" "$T/err"
printf 'framescore-tagger 1\nw=x\tnot-a-number\n' > "$T/badt.model"
"$BIN" eval --words $W --tagger "$T/badt.model" > /dev/null 2> "$T/err"
check "bad tagger exits 1" test $? -eq 1
check "bad tagger: file:line:col" grep -q "badt.model:2:5: expected a number" "$T/err"
# the tagger alone chooses its threshold on out-of-fold probabilities:
# in each article one invented word is marked and another, used twice
# there only, stands in the same place unmarked. Fitted on its own rows
# the model knows each article's unmarked word, so a threshold chosen
# there is low and tags an unseen one in its place (CV F1 0.56 before
# session 27); chosen out of fold, it tags only the marked words.
printf 'text\tnews_link\tlabel_bias\tbiased_words\n' > "$T/oof.tsv"
i=0
for d in quabdan qufelkan qugimpan quhostan qujundan qukarvan qulepsan \
  qumorfan qunibtan quparkan qurindan qusolvan qutabman quvendan \
  quzimbran qubelfan qudrogan qufantan qugrolan quhimpan; do
  set -- blorft snargy wemble plimsk
  shift $((i % 4))
  printf 'The council said the %s plan was new.\thttp://ex.org/%d\tBiased\t['"'"'%s'"'"']\n' \
    "$1" $i "$1" >> "$T/oof.tsv"
  printf 'The council said the %s plan was new.\thttp://ex.org/%d\tNon-biased\t[]\n' \
    "$d" $i "$d" $i >> "$T/oof.tsv"
  i=$((i + 1))
done
"$BIN" train --words "$T/oof.tsv" --folds 5 --seed 1 --format csv -o /dev/null > "$T/oof.csv"
check "tagger: threshold out of fold (unseen unmarked words left untagged)" \
  awk -F, '$1 == "words" && $2 == "cross-validated" { ok = $5 >= 0.9 } END { exit !ok }' "$T/oof.csv"

# ---- report --tagger: the tagger's spans in --matches and jsonl -------------------
printf 'The corrupt council met. A famous singer spoke.\n' > "$T/doc.txt"
# hand-written taggers, one feature each: a stem, a word pair, a suffix
tagger() { printf 'framescore-tagger 1\ncombine\ttags\nthreshold\t0.5\nintercept\t-10\n%s\t20\n' "$1" > "$2"; }
tagger 'w=corrupt' "$T/tw.model"
tagger 'pw=the|corrupt' "$T/tp.model"
tagger 'pw=a|corrupt' "$T/tq.model"
tagger 's3=ous' "$T/ts.model"
spans() { "$BIN" report "$T/doc.txt" --tagger "$1" --matches "$T/ms.csv" -o /dev/null &&
  awk -F, '$11 == "tagger" { print $13 }' "$T/ms.csv" | tr '\n' ';'; }
check "report --tagger: a stem feature tags its word" test "$(spans "$T/tw.model")" = "corrupt;"
check "report --tagger: a word pair" test "$(spans "$T/tp.model")" = "corrupt;"
check "report --tagger: a pair not in the text tags nothing" test -z "$(spans "$T/tq.model")"
check "report --tagger: a suffix" test "$(spans "$T/ts.model")" = "famous;"
tagger 'p3=fam' "$T/tf.model"
check "report --tagger: a prefix" test "$(spans "$T/tf.model")" = "famous;"
tagger 's2=us' "$T/t2s.model"
check "report --tagger: a two-letter suffix" test "$(spans "$T/t2s.model")" = "famous;"
"$BIN" report "$T/doc.txt" --tagger "$T/tw.model" --format jsonl > "$T/tj.jsonl"
check "report --tagger: jsonl tagger_spans" grep -q '"tagger_spans":\[{"line":1,"col":5,"char_start":4,"char_end":11,"voice":"author","surface":"corrupt"}\]' "$T/tj.jsonl"
"$BIN" report "$T/doc.txt" --format jsonl > "$T/tn.jsonl"
check "report without --tagger: no tagger_spans" test -z "$(grep -l tagger_spans "$T/tn.jsonl")"
# anchored: the span of a match of an anchor category, unless rejected
anchored() { printf 'framescore-tagger 1\ncombine\tanchor\nthreshold\t%s\nintercept\t-10\nanchor_threshold\t%s\n%banchor\t%s\n%b' "$@" > "$T/tx.model"; spans "$T/tx.model"; }
check "anchored: a kept match and its phrase word" test "$(anchored 1.5 0 'anchor_phrase\t1\n' loaded.moral '')" = "corrupt council;"
check "anchored: a kept match's own words" test "$(anchored 1.5 0 '' loaded.moral '')" = "corrupt;"
check "anchored: a match the tagger rejects" test -z "$(anchored 1.5 0.5 '' loaded.moral '')"
check "anchored: a match the tagger keeps" test "$(anchored 1.5 0.5 '' loaded.moral 'w=corrupt\t20\n')" = "corrupt;"
check "anchored: a category not anchored" test -z "$(anchored 1.5 0 '' loaded.emotive '')"
check "anchored: the tagger's words beside the matches" test "$(anchored 0.5 0 '' loaded.moral 's3=ous\t20\n')" = "corrupt;famous;"
"$BIN" report "$T/doc.txt" --tagger "$T/tw.model" -o /dev/null 2> "$T/err"
check "report --tagger without --matches or jsonl exits 2" test $? -eq 2
"$BIN" report examples/corpus --tagger "$T/t1.model" --matches "$T/mt1.csv" --threads 1 -o /dev/null
"$BIN" report examples/corpus --tagger "$T/t1.model" --matches "$T/mt2.csv" --threads 1 -o /dev/null
check "report --tagger is deterministic" cmp -s "$T/mt1.csv" "$T/mt2.csv"
# any thread count: the tagger reads stems through the context that analysed
# each document (text and html run on one thread with it; csv on the worker)
for n in 2 3; do
  "$BIN" report examples/corpus --tagger "$T/t1.model" --matches "$T/mt_$n.csv" --threads $n -o /dev/null
  check "report --tagger --threads $n: same spans" cmp -s "$T/mt1.csv" "$T/mt_$n.csv"
  "$BIN" report examples/corpus --tagger "$T/t1.model" --format csv --matches "$T/mc_$n.csv" \
    --threads $n -o /dev/null
  check "report --tagger --format csv --threads $n: same spans" cmp -s "$T/mt1.csv" "$T/mc_$n.csv"
done
"$BIN" report examples/corpus --matches "$T/mt0.csv" -o /dev/null
check "report --tagger: the matches are those without it" test "$(grep -vc ',tagger,,' "$T/mt1.csv")" -eq "$(wc -l < "$T/mt0.csv")"
"$BIN" report "$T/doc.txt" --tagger "$T/badt.model" --matches /dev/null -o /dev/null 2> "$T/err"
check "report: bad tagger exits 1" test $? -eq 1
check "report: bad tagger: file:line:col" grep -q "badt.model:2:5: expected a number" "$T/err"
# ---- the stacked stage and the sentence cap (train --stack, --sentence-cap) -----
"$BIN" train --words $W --folds 3 --min-df 1 --stack -o "$T/tst.model" > "$T/tst.txt"
check "train --stack ran" test $? -eq 0
check "stacked: its weights in the tagger file" test "$(grep -c '^stack\.' "$T/tst.model")" -eq 15
check "stacked: the sentence model's stems" grep -q "^sw=" "$T/tst.model"
check "stacked: named in the summary" grep -q "threshold [0-9.]*, stacked" "$T/tst.txt"
"$BIN" train --words $W --folds 3 --min-df 1 --stack -o "$T/tst2.model" > /dev/null
check "stacked training is deterministic" cmp -s "$T/tst.model" "$T/tst2.model"
"$BIN" eval --words $W --tagger "$T/tst.model" --format csv > "$T/wst.csv"
check "eval --tagger stacked" grep -q "^words,all," "$T/wst.csv"
check "not stacked: no stack lines" test -z "$(grep '^stack\.\|^sentence_cap' "$T/t1.model")"
"$BIN" train --words $W --folds 3 --min-df 1 --sentence-cap 2 -o "$T/tcap.model" > "$T/tcap.txt"
check "--sentence-cap 2 in the tagger file" grep -q "^sentence_cap	2$" "$T/tcap.model"
"$BIN" train --words $W --folds 3 --min-df 1 --sentence-cap 0 -o /dev/null 2> /dev/null
check "--sentence-cap 0 exits 2" test $? -eq 2
"$BIN" train --words $W --folds 3 --combine anchor --sentence-cap auto -o /dev/null 2> /dev/null
check "--sentence-cap auto with --combine anchor exits 2" test $? -eq 2
"$BIN" train --context --words $W --folds 3 --stack -o /dev/null 2> /dev/null
check "--stack with --context exits 2" test $? -eq 2
# hand-written taggers over sentences written here: every word at
# probability 0.5 and threshold 0.4 tags all of them; a cap of 1 keeps one
# word a sentence; a stacked stage that reads only the sentence model
# (which weighs the stem "scandal") tags the words of its sentences alone
printf 'text\tbiased_words\nA quiet scandal grew. Nobody spoke.\t[]\nThe weather was mild today.\t[]\nThe scandal spread fast.\t[]\n' > "$T/sc.tsv"
printf 'framescore-tagger 1\ncombine\ttags\nthreshold\t0.4\nintercept\t0\n' > "$T/all.model"
npred() { awk -F, '$1 == "words" && $2 == "all" { print $4 }' "$1"; }
"$BIN" eval --words "$T/sc.tsv" --words-column biased_words --tagger "$T/all.model" --format csv > "$T/all.csv"
check "tagger at 0.5: every word predicted" test "$(npred "$T/all.csv")" -eq 15
(cat "$T/all.model"; printf 'sentence_cap\t1\n') > "$T/cap1.model"
"$BIN" eval --words "$T/sc.tsv" --words-column biased_words --tagger "$T/cap1.model" --format csv > "$T/cap1.csv"
check "sentence cap 1: one word a sentence" test "$(npred "$T/cap1.csv")" -eq 4
(cat "$T/all.model"; printf 'stack.intercept\t0\nstack.sentence_z\t1\nstack.sentence.intercept\t-10\nsw=scandal\t20\n') > "$T/stk.model"
"$BIN" eval --words "$T/sc.tsv" --words-column biased_words --tagger "$T/stk.model" --format csv > "$T/stk.csv"
check "stacked on the sentence model: its sentences' words" test "$(npred "$T/stk.csv")" -eq 8
(cat "$T/all.model"; printf 'stack.zz\t1\n') > "$T/stkbad.model"
"$BIN" eval --words "$T/sc.tsv" --words-column biased_words --tagger "$T/stkbad.model" > /dev/null 2> "$T/err"
check "unknown stack feature: file:line:col" grep -q "stkbad.model:5:7: unknown feature 'zz'" "$T/err"
(cat "$T/all.model"; printf 'sentence_cap\t1.5\n') > "$T/capbad.model"
"$BIN" eval --words "$T/sc.tsv" --words-column biased_words --tagger "$T/capbad.model" > /dev/null 2> "$T/err"
check "bad sentence_cap: file:line:col" grep -q "capbad.model:5:14: expected a whole number" "$T/err"
# ---- --token-features near2: the categories two words away ---------------------
"$BIN" train --words $W --folds 3 --min-df 1 --token-features near2 -o "$T/tn2.model" > "$T/tn2.txt"
check "train --token-features near2 ran" test $? -eq 0
check "near2: the features line" grep -q "^features	near2$" "$T/tn2.model"
check "near2: c2= features in the tagger file" grep -q "^c2=" "$T/tn2.model"
check "near2: named in the model's comment" grep -q "token features near2" "$T/tn2.model"
"$BIN" train --words $W --folds 3 --min-df 1 --token-features near2 -o "$T/tn2b.model" > /dev/null
check "near2 training is deterministic" cmp -s "$T/tn2.model" "$T/tn2b.model"
check "no option: no features line, no c2=" test -z "$(grep '^features\|^c2=' "$T/t1.model")"
"$BIN" train --words $W --folds 3 --token-features near3 -o /dev/null 2> "$T/err"
check "--token-features near3 exits 2" test $? -eq 2
"$BIN" train --context --words $W --folds 3 --token-features near2 -o /dev/null 2> /dev/null
check "--token-features with --context exits 2" test $? -eq 2
"$BIN" train $W --token-features near2 -o /dev/null 2> /dev/null
check "--token-features for a labelled file exits 2" test $? -eq 2
# hand-written: "disgraceful" is loaded.moral; c2= weighs the words two
# away from it ("called", "a") only when the file names the family
printf 'text\tbiased_words\nThey called the disgraceful plan a mistake.\t[]\n' > "$T/n2.tsv"
printf 'framescore-tagger 1\ncombine\ttags\nthreshold\t0.5\nintercept\t-10\nc2=loaded.moral\t20\n' > "$T/n2off.model"
(cat "$T/n2off.model"; printf 'features\tnear2\n') > "$T/n2on.model"
"$BIN" eval --words "$T/n2.tsv" --words-column biased_words --tagger "$T/n2off.model" --format csv > "$T/n2off.csv"
"$BIN" eval --words "$T/n2.tsv" --words-column biased_words --tagger "$T/n2on.model" --format csv > "$T/n2on.csv"
check "no features line: c2= never fires" test "$(npred "$T/n2off.csv")" -eq 0
check "features near2: the two words two away" test "$(npred "$T/n2on.csv")" -eq 2
(cat "$T/n2off.model"; printf 'features\tnear2,\n') > "$T/n2bad.model"
"$BIN" eval --words "$T/n2.tsv" --words-column biased_words --tagger "$T/n2bad.model" > /dev/null 2> "$T/err"
check "bad features line: exit 1" test $? -eq 1
check "bad features line: file:line:col" grep -q "n2bad.model:6:10: expected 'none' or a comma-separated list of near2, affix" "$T/err"
# ---- --token-features affix: a word's first and last four characters ------------
"$BIN" train --words $W --folds 3 --min-df 1 --token-features near2,affix -o "$T/tfa.model" > /dev/null
check "train --token-features near2,affix ran" test $? -eq 0
check "affix: the features line" grep -q "^features	near2,affix$" "$T/tfa.model"
check "affix: s4= and p4= in the tagger file" test -n "$(grep '^s4=' "$T/tfa.model")" -a -n "$(grep '^p4=' "$T/tfa.model")"
check "no option: no s4=, p4=" test -z "$(grep '^s4=\|^p4=' "$T/t1.model" "$T/tn2.model")"
"$BIN" train --words $W --folds 3 --min-df 1 --token-features near2,affix -o "$T/tfb.model" > /dev/null
check "affix training is deterministic" cmp -s "$T/tfa.model" "$T/tfb.model"
"$BIN" eval --words $W --tagger "$T/tfa.model" --format csv > /dev/null
check "affix: eval reads the trained tagger file" test $? -eq 0
# hand-written: words no training saw; "wokeness" ends in "ness",
# "naïveté" starts with the four code points "naïv" (five bytes), and
# "ness" alone (four letters) has no affix
printf 'text\tbiased_words\nSo much wokeness and naïveté, and ness.\t[]\n' > "$T/af.tsv"
printf 'framescore-tagger 1\ncombine\ttags\nthreshold\t0.5\nintercept\t-10\ns4=ness\t20\np4=naïv\t20\n' > "$T/afoff.model"
(cat "$T/afoff.model"; printf 'features\taffix\n') > "$T/afon.model"
"$BIN" eval --words "$T/af.tsv" --words-column biased_words --tagger "$T/afoff.model" --format csv > "$T/afoff.csv"
"$BIN" eval --words "$T/af.tsv" --words-column biased_words --tagger "$T/afon.model" --format csv > "$T/afon.csv"
check "no features line: s4=, p4= never fire" test "$(npred "$T/afoff.csv")" -eq 0
check "features affix: two unseen words by their affixes" test "$(npred "$T/afon.csv")" -eq 2
(cat "$T/afoff.model"; printf 'features\taffix,near3\n') > "$T/afbad.model"
"$BIN" eval --words "$T/af.tsv" --words-column biased_words --tagger "$T/afbad.model" > /dev/null 2> "$T/err"
check "bad features family: file:line:col" grep -q "afbad.model:7:10: expected 'none' or a comma-separated list of near2, affix" "$T/err"
"$BIN" train --words $W --folds 3 --token-features affix,, -o /dev/null 2> "$T/err"
check "--token-features affix,, exits 2" test $? -eq 2
# ---- --word-classes FILE: a word's class as a feature (k=) ----------------------
printf '# classes written for the test\nludicrous\tbad\nCorrupt\tbad\n\nscandalous\tbad\ncouncil\tbody\n' > "$T/wc.txt"
"$BIN" train --words $W --folds 3 --min-df 1 --word-classes "$T/wc.txt" -o "$T/twc.model" > "$T/twc.txt"
check "train --word-classes ran" test $? -eq 0
check "word classes: stems in the tagger file" grep -q "^word_class	corrupt	bad$" "$T/twc.model"
check "word classes: a word stemmed as a text's" grep -q "^word_class	scandal	bad$" "$T/twc.model"
check "word classes: k= features weighed" grep -q "^k=bad	" "$T/twc.model"
check "word classes: named in the model's comment" grep -q "word classes from .*wc.txt" "$T/twc.model"
"$BIN" train --words $W --folds 3 --min-df 1 --word-classes "$T/wc.txt" -o "$T/twc2.model" > /dev/null
check "word classes: training is deterministic" cmp -s "$T/twc.model" "$T/twc2.model"
check "no option: no word_class lines, no k=" test -z "$(grep '^word_class\|^k=' "$T/t1.model")"
"$BIN" eval --words $W --tagger "$T/twc.model" --format csv > "$T/twc.csv"
check "word classes: the tagger file reads back" test $? -eq 0
# hand-written: "plan" is in class kx; k=kx weighs only with the class line
printf 'framescore-tagger 1\ncombine\ttags\nthreshold\t0.5\nintercept\t-10\nk=kx\t20\n' > "$T/wcoff.model"
(cat "$T/wcoff.model"; printf 'word_class\tplan\tkx\n') > "$T/wcon.model"
"$BIN" eval --words "$T/n2.tsv" --words-column biased_words --tagger "$T/wcoff.model" --format csv > "$T/wcoff.csv"
"$BIN" eval --words "$T/n2.tsv" --words-column biased_words --tagger "$T/wcon.model" --format csv > "$T/wcon.csv"
check "no word_class line: k= never fires" test "$(npred "$T/wcoff.csv")" -eq 0
check "word_class plan: the word plan tagged" test "$(npred "$T/wcon.csv")" -eq 1
(cat "$T/wcoff.model"; printf 'word_class\tplan\n') > "$T/wcbadm.model"
"$BIN" eval --words "$T/n2.tsv" --words-column biased_words --tagger "$T/wcbadm.model" > /dev/null 2> "$T/err"
check "bad word_class line: exit 1" test $? -eq 1
check "bad word_class line: file:line:col" grep -q "wcbadm.model:6:12: expected STEM<TAB>CLASS" "$T/err"
printf 'ludicrous\tbad\nludicrous bad\n' > "$T/wcbad1.txt"
"$BIN" train --words $W --folds 3 --word-classes "$T/wcbad1.txt" -o "$T/x.model" 2> "$T/err"
check "word-class file without a tab: exit 1" test $? -eq 1
check "word-class file without a tab: file:line:col" grep -q "wcbad1.txt:2:14: expected WORD<TAB>CLASS" "$T/err"
check "word-class file error: no model written" test ! -e "$T/x.model"
printf 'ludicrous\tb c\n' > "$T/wcbad2.txt"
"$BIN" train --words $W --folds 3 --word-classes "$T/wcbad2.txt" -o /dev/null 2> "$T/err"
check "class name with a space: file:line:col" grep -q "wcbad2.txt:1:12: expected a class name" "$T/err"
printf 'corrupt\ta\ncorrupted\tb\n' > "$T/wcbad3.txt"
"$BIN" train --words $W --folds 3 --word-classes "$T/wcbad3.txt" -o /dev/null 2> "$T/err"
check "one stem in two classes: file:line:col" grep -q "wcbad3.txt:2:11: the stem 'corrupt' of 'corrupted' has another class" "$T/err"
# columns in code points: the word before the bad field may be any UTF-8
printf 'naïve bad\n' > "$T/wcbad4.txt"
"$BIN" train --words $W --folds 3 --word-classes "$T/wcbad4.txt" -o /dev/null 2> "$T/err"
check "no tab after a non-ASCII word: col in code points" grep -q "wcbad4.txt:1:10: expected WORD<TAB>CLASS" "$T/err"
printf 'café\tb c\n' > "$T/wcbad5.txt"
"$BIN" train --words $W --folds 3 --word-classes "$T/wcbad5.txt" -o /dev/null 2> "$T/err"
check "class name after a non-ASCII word: col in code points" grep -q "wcbad5.txt:1:7: expected a class name" "$T/err"
printf 'régime\ta\nrégimes\tb\n' > "$T/wcbad6.txt"
"$BIN" train --words $W --folds 3 --word-classes "$T/wcbad6.txt" -o /dev/null 2> "$T/err"
check "stem in two classes after a non-ASCII word: col in code points" grep -q "wcbad6.txt:2:9: the stem 'régime' of 'régimes' has another class" "$T/err"
(cat "$T/wcoff.model"; printf 'word_class\tcafé\t—\n') > "$T/wcbadm2.model"
"$BIN" eval --words "$T/n2.tsv" --words-column biased_words --tagger "$T/wcbadm2.model" > /dev/null 2> "$T/err"
check "bad word_class line after a non-ASCII stem: col in code points" grep -q "wcbadm2.model:6:17: expected a class name" "$T/err"
"$BIN" train --words $W --folds 3 --word-classes "$T/nonesuch.txt" -o /dev/null 2> "$T/err"
check "missing word-class file: exit 1" test $? -eq 1
check "missing word-class file: named" grep -q "nonesuch.txt" "$T/err"
"$BIN" train --context --words $W --folds 3 --word-classes "$T/wc.txt" -o /dev/null 2> /dev/null
check "--word-classes with --context exits 2" test $? -eq 2
# ---- --word-vectors FILE: a word's pretrained vector as features (v=) ----------
# a tiny vectors file written for the test (GloVe text format)
printf 'ludicrous 0.9 0.1 0\ncorrupt 0.8 0.2 0.1\nplan -0.5 0.5 0.2\ncouncil -0.7 0.3 0\nmistake 0.6 -0.1 0.3\n' > "$T/vec.txt"
"$BIN" train --words $W --folds 3 --min-df 1 --word-vectors "$T/vec.txt" -o "$T/tv.model" > "$T/tv.txt"
check "train --word-vectors ran" test $? -eq 0
check "word vectors: path, dimension and digest in the tagger file" \
  grep -q "^word_vectors	[0-9a-f]\{16\}	3	$T/vec.txt$" "$T/tv.model"
check "word vectors: scale 1 by default" grep -q "^vector_scale	1$" "$T/tv.model"
check "word vectors: v= features weighed" grep -q "^v=0	" "$T/tv.model"
check "word vectors: named in the model's comment" grep -q "word vectors from .*vec.txt (3 components, scale 1)" "$T/tv.model"
"$BIN" train --words $W --folds 3 --min-df 1 --word-vectors "$T/vec.txt" -o "$T/tv2.model" > /dev/null
check "word vectors: training is deterministic" cmp -s "$T/tv.model" "$T/tv2.model"
check "no option: no word_vectors line, no v=" test -z "$(grep '^word_vectors\|^vector_scale\|^v=' "$T/t1.model")"
"$BIN" train --words $W --folds 3 --min-df 1 --word-vectors "$T/vec.txt" --vector-scale 2.5 -o "$T/tv3.model" > /dev/null
check "--vector-scale: in the tagger file" grep -q "^vector_scale	2.5$" "$T/tv3.model"
"$BIN" eval --words $W --tagger "$T/tv.model" --format csv > "$T/tv.csv"
check "word vectors: eval loads the recorded path" test $? -eq 0
"$BIN" eval --words $W --tagger "$T/tv.model" --word-vectors "$T/vec.txt" --format csv > "$T/tv4.csv"
check "word vectors: --word-vectors FILE, same figures" cmp -s "$T/tv.csv" "$T/tv4.csv"
# hand-written: only v=0 weighs; "plan" (-0.5) is left, "mistake" (0.6) tagged
dg=$(awk -F'\t' '$1 == "word_vectors" { print $2 }' "$T/tv.model")
printf 'framescore-tagger 1\ncombine\ttags\nthreshold\t0.5\nintercept\t-10\nv=0\t30\n' > "$T/tvoff.model"
(cat "$T/tvoff.model"; printf 'word_vectors\t%s\t3\t%s\n' "$dg" "$T/vec.txt") > "$T/tvon.model"
"$BIN" eval --words "$T/n2.tsv" --words-column biased_words --tagger "$T/tvoff.model" --format csv > "$T/tvoff.csv"
"$BIN" eval --words "$T/n2.tsv" --words-column biased_words --tagger "$T/tvon.model" --format csv > "$T/tvon.csv"
check "no word_vectors line: v= never fires" test "$(npred "$T/tvoff.csv")" -eq 0
check "word_vectors line: the word with a positive v=0 tagged" test "$(npred "$T/tvon.csv")" -eq 1
"$BIN" report --tagger "$T/tvon.model" --format jsonl tests/data/ptc/article101.txt > "$T/tvr.jsonl" 2> "$T/err"
check "report --tagger with vectors: runs" test $? -eq 0
check "report --tagger with vectors: tagger spans" grep -q tagger_spans "$T/tvr.jsonl"
# other vectors (one component changed): refused, naming both digests
sed 's/^plan -0.5/plan -0.4/' "$T/vec.txt" > "$T/vec2.txt"
"$BIN" eval --words $W --tagger "$T/tv.model" --word-vectors "$T/vec2.txt" > /dev/null 2> "$T/err"
check "other vectors: exit 1" test $? -eq 1
check "other vectors: said" grep -q "tv.model: .*vec2.txt: the tagger was trained with other word vectors (3 components, digest $dg; these: 3, " "$T/err"
printf 'ludicrous 0.9 0.1\n' > "$T/vec3.txt"
"$BIN" eval --words $W --tagger "$T/tv.model" --word-vectors "$T/vec3.txt" > /dev/null 2> "$T/err"
check "vectors of another dimension: refused" grep -q "trained with other word vectors (3 components" "$T/err"
# the recorded file missing: an error naming it, and how to give another
mv "$T/vec.txt" "$T/vec.moved"
"$BIN" eval --words $W --tagger "$T/tv.model" > "$T/out" 2> "$T/err"
check "missing vectors: exit 1" test $? -eq 1
check "missing vectors: the file named" grep -q "vec.txt" "$T/err"
check "missing vectors: --word-vectors suggested" grep -q "tv.model: the tagger needs the word vectors it was trained with (.*vec.txt): give them with --word-vectors FILE" "$T/err"
check "missing vectors: nothing written" test ! -s "$T/out"
"$BIN" eval --words $W --tagger "$T/tv.model" --word-vectors "$T/vec.moved" --format csv > "$T/tv5.csv"
check "moved vectors given by --word-vectors: same figures" cmp -s "$T/tv.csv" "$T/tv5.csv"
mv "$T/vec.moved" "$T/vec.txt"
"$BIN" eval --words $W --tagger "$T/t1.model" --word-vectors "$T/vec.txt" > /dev/null 2> "$T/err"
check "--word-vectors for a tagger without them: exit 1" test $? -eq 1
check "--word-vectors for a tagger without them: said" grep -q "t1.model: --word-vectors: the tagger was trained without word vectors" "$T/err"
(cat "$T/tvoff.model"; printf 'word_vectors\t%s\t3x\t%s\n' "$dg" "$T/vec.txt") > "$T/tvbad.model"
"$BIN" eval --words $W --tagger "$T/tvbad.model" > /dev/null 2> "$T/err"
check "bad word_vectors line: file:line:col" grep -q "tvbad.model:6:14: expected DIGEST<TAB>DIM\[<TAB>PATH\]" "$T/err"
(cat "$T/tvon.model"; printf 'vector_scale\t0\n') > "$T/tvbad2.model"
"$BIN" eval --words $W --tagger "$T/tvbad2.model" > /dev/null 2> "$T/err"
check "bad vector_scale: file:line:col" grep -q "tvbad2.model:7:14: expected a number above 0" "$T/err"
printf 'ludicrous 0.9 x\n' > "$T/vecbad.txt"
"$BIN" train --words $W --folds 3 --word-vectors "$T/vecbad.txt" -o "$T/x2.model" 2> "$T/err"
check "bad vectors file: exit 1" test $? -eq 1
check "bad vectors file: file:line:col" grep -q "vecbad.txt:1:15: " "$T/err"
check "bad vectors file: no model written" test ! -e "$T/x2.model"
"$BIN" train --context --words $W --folds 3 --word-vectors "$T/vec.txt" -o /dev/null 2> /dev/null
check "--word-vectors with --context exits 2" test $? -eq 2
"$BIN" train --words $W --folds 3 --vector-scale 2 -o /dev/null 2> /dev/null
check "--vector-scale without --word-vectors exits 2" test $? -eq 2
"$BIN" train --words $W --folds 3 --word-vectors "$T/vec.txt" --vector-scale 0 -o /dev/null 2> /dev/null
check "--vector-scale 0 exits 2" test $? -eq 2
"$BIN" train --words $W --folds 3 --word-vectors "$(printf 'a\tb')" -o /dev/null 2> "$T/err"
check "--word-vectors path with a tab exits 2" test $? -eq 2
echo "$pass passed, $fail failed"
test $fail -eq 0
