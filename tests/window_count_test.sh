#!/usr/bin/env bash
# window_count_test.sh BIN - count, terms and report --context-model
# with --window-bytes: documents read
# in windows give the counts file (every document's variables, measure
# counts, report numbers and per-entry author-voice matches, the term
# counts per outlet) and the terms rows of the same documents read whole,
# byte for byte, on one thread and two; the lexicon flag "once" weighs a
# name once per document and voice across windows; report with a context
# model reads long documents in windows too, with the whole's output (csv,
# jsonl, --matches, --dimensions); a long binary file is
# refused as when read whole; memory with windows stays the window's.
set -u
BIN=$1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/window_lib.sh
. "$(dirname "$0")/window_lib.sh"

# gen SEED PARAS LINES: an invented news-like document; LINES 1: a
# paragraph per line, else paragraphs between blank lines
gen() {
  local style=blank
  [ "$3" = 1 ] && style=lines
  window_doc "$style" "$1" "$2" 0.15 0 1 \
    '"The Kiev regime is shameful, and it goes on,' \
    'The Kiev regime sent envoys again, the ministry announced on Monday.' \
    '"This is a shameful disgrace," the spokesman insisted, and raved on.' \
    'So-called experts called the plan a "reform"; the junta boasted of it.' \
    'Officials of the Kiev regime met 14 delegates and 2.5 million voters.' \
    $'The caf\303\251 owner in M\303\274nchen said the thugs were na\303\257ve.' \
    $'A bad byte \377 here did not stop the propaganda, critics claimed.' \
    $'\342\200\234The regime is not legitimate,\342\200\235 she said; it is absurd.' \
    'Markets rose 3 percent while the minister allegedly raved about it.'
}

mkdir -p "$T/c/herald" "$T/c/wire"
gen 11 500 0 > "$T/c/herald/long1.txt"
gen 12 400 1 > "$T/c/herald/long2.txt"
gen 13 450 0 | sed 's/$/\r/' > "$T/c/wire/crlf.txt"
gen 14 6 0 > "$T/c/wire/short.txt"
check "generated documents are long" \
  test "$(wc -c < "$T/c/herald/long1.txt")" -gt 40000
# a name flagged once (weight 2 the first time in a document and voice,
# then 0), in every window of the long documents
printf 'kiev regime\tlabel.naming\t2 once\nraved\tattribution.pejorative\t1.5\nshameful\tloaded.moral\t1\n' \
  > "$T/once.tsv"
printf 'kiev regime\tlabel.naming\t2\nraved\tattribution.pejorative\t1.5\nshameful\tloaded.moral\t1\n' \
  > "$T/plain.tsv"

count() { # NAME WINDOW THREADS [OPTIONS...]: the counts file
  local n=$1 w=$2 t=$3
  shift 3
  "$BIN" count --window-bytes "$w" --threads "$t" "$@" "$T/c" \
    -o "$T/$n.$w.$t.fsc" 2> "$T/err.$n.$w.$t"
  echo "rc=$?" >> "$T/err.$n.$w.$t"
}

for setup in default once; do
  opts=()
  [ "$setup" = once ] &&
    opts=(--no-default-lexicons --lexicon "$T/once.tsv" --model none)
  count "$setup" 0 1 "${opts[@]}"
  check "count $setup: whole run worked" grep -qx 'rc=0' "$T/err.$setup.0.1"
  for w in 3000 65536; do
    for t in 1 2; do
      count "$setup" "$w" "$t" "${opts[@]}"
      check "count $setup --window-bytes $w -t$t: counts file = whole" \
        cmp -s "$T/$setup.0.1.fsc" "$T/$setup.$w.$t.fsc"
      check "count $setup --window-bytes $w -t$t: messages = whole" \
        cmp -s "$T/err.$setup.0.1" "$T/err.$setup.$w.$t"
    done
  done
done
# what the counts file says, read back: the documents' report rows and the
# comparison (per-entry counts give the distinctive score)
"$BIN" report --counts "$T/once.3000.1.fsc" --format csv > "$T/r.win.csv"
"$BIN" report --no-default-lexicons --lexicon "$T/once.tsv" --model none \
  --window-bytes 0 --format csv "$T/c" > "$T/r.whole.csv" 2> /dev/null
check "report --counts of windowed counts = report of the whole documents" \
  cmp -s "$T/r.win.csv" "$T/r.whole.csv"
"$BIN" compare --counts "$T/default.3000.2.fsc" --seed 1 --format csv \
  > "$T/cmp.win.csv" 2> /dev/null
"$BIN" compare --counts "$T/default.0.1.fsc" --seed 1 --format csv \
  > "$T/cmp.whole.csv" 2> /dev/null
check "compare --counts has rows" test "$(wc -l < "$T/cmp.whole.csv")" -gt 3
check "compare --counts of windowed counts = of whole" \
  cmp -s "$T/cmp.win.csv" "$T/cmp.whole.csv"
# the flag matters here, so the comparisons above can fail: the name weighs
# once per document and voice, not once per window
count plain 0 1 --no-default-lexicons --lexicon "$T/plain.tsv" --model none
differ() { ! cmp -s "$1" "$2"; }
check "once and plain lexicons give different counts" \
  differ "$T/once.0.1.fsc" "$T/plain.0.1.fsc"
names=$(awk -F, '/long1/ && $3 == "author" && $4 == "label.naming" { print $5 }' \
  "$T/r.win.csv")
weight=$(awk -F, '/long1/ && $3 == "author" && $4 == "label.naming" { print $NF }' \
  "$T/r.win.csv")
check "long1 names the regime in many windows (${names:-none})" \
  test "${names:-0}" -gt 20
check "once: long1's author-voice name weighs 2 once (${weight:-none})" \
  test "$weight" = 2.0000

for f in csv jsonl text; do
  for opt in "" --surface --voice=all; do
    same_as_whole "terms $f$opt" 3000 "1 2" terms --format "$f" $opt
    check "terms $f $opt: whole run has rows" \
      test "$(wc -l < "$T/terms $f$opt.0.1")" -gt 10
  done
done

# report with a context model: its features that look across the document
# (how often an entry occurs, the density of scoring matches, whether there
# is more than one paragraph, loaded or attribution matches within three
# words in the window before or after) come from a first reading of the
# windows, so the probabilities, weights and scores are the whole's
# (the story-relative scores sum the matches' probabilities per entry);
# the text report reads long documents in windows too, with or without one
# and a model with a sentence stage (second lines; session 28): each
# sentence's aggregates are the whole's too (windows cut at paragraphs)
cp "$(dirname "$0")/../models/context.model" "$T/stage.model"
printf 'second intercept 0.2\nsecond logit 0.9\nsecond top -0.3\nsecond others_max 0.5\nsecond others_sum 0.4\nsecond others_above -0.2\nsecond single 0.1\n' >> "$T/stage.model"
SIDES="cm.m.csv cm.d.csv cm.s.csv"
for cm in default none "$T/stage.model"; do
  for f in csv jsonl text; do
    [ "$cm" = none ] && [ "$f" != text ] && continue
    name="cm ${cm##*/} $f"
    same_as_whole "$name" "1500 3000" "1 2" report --context-model "$cm" \
      --format "$f" --matches "$T/cm.m.csv" --dimensions "$T/cm.d.csv" \
      --scores "$T/cm.s.csv"
    check "$name: whole run worked" grep -qx 'rc=0' "$T/$name.0.1"
    [ "$cm" = default ] &&
      check "context model $f: matches have probabilities" \
        grep -q 'context_prob' "$T/$name.0.1"
  done
done
SIDES=

check "the sentence stage changes the probabilities" \
  test "$(cmp -s "$T/cm default csv.0.1" "$T/cm stage.model csv.0.1"; echo $?)" = 1

# a long binary file is refused from its first bytes, as when read whole
head -c 20000 /dev/zero > "$T/c/wire/binary.txt"
count bin 0 1
count bin 3000 2
check "count: a binary file refused the same way" \
  cmp -s "$T/err.bin.0.1" "$T/err.bin.3000.2"
check "count: the refusal says why" grep -q 'binary' "$T/err.bin.3000.2"
rm "$T/c/wire/binary.txt"

# memory is the window's: a document of 12 MB peaks far below what reading
# it whole takes (about 8 times its size)
if [ -x /usr/bin/time ]; then
  mkdir -p "$T/big"
  for i in $(seq 1 150); do cat "$T/c/herald/long1.txt"; done \
    > "$T/big/one.txt"
  rss() { # COMMAND WINDOW: peak RSS in KB over the big document
    case $1 in
    count) peak_kb /dev/null count --window-bytes "$2" --threads 1 "$T/big" \
      -o "$T/big.$2.fsc" ;;
    text) # the windows' own memory: at most 1 MiB of analyses kept from
      # the context model's first reading (FRAMESCORE_KEEP_WINDOWS; the
      # default budget, 32 MiB, is checked below)
      FRAMESCORE_KEEP_WINDOWS=${KEEP-1048576} peak_kb "$T/big.$2.txt" \
        report --window-bytes "$2" --threads 1 --format text \
        --context-model default "$T/big" ;;
    *) peak_kb "$T/big.$2.csv" terms --window-bytes "$2" --threads 1 \
      --format csv "$T/big" ;;
    esac
  }
  for cmd in count terms text; do
    whole_kb=$(rss "$cmd" 0)
    win_kb=$(rss "$cmd" 65536)
    echo "$cmd, a $(($(wc -c < "$T/big/one.txt") >> 20)) MB document: peak RSS $whole_kb KB whole, $win_kb KB in windows"
    check "$cmd big: windows peak at under half the memory ($win_kb KB, whole $whole_kb KB)" \
      test "$((win_kb * 2))" -lt "$whole_kb"
  done
  # with the default budget the first reading keeps up to 32 MiB of
  # analyses (about 5 MB of this text), still well below reading it whole
  keep_kb=$(KEEP= rss text 65536)
  echo "text, default keep budget: peak RSS $keep_kb KB in windows"
  check "text big, the default keep budget: below the whole's peak ($keep_kb KB, whole $whole_kb KB)" \
    test "$keep_kb" -lt "$whole_kb"
  check "text big, the default keep budget: the same report" \
    cmp -s "$T/big.0.txt" "$T/big.65536.txt"
  check "count big: windows = whole" cmp -s "$T/big.0.fsc" "$T/big.65536.fsc"
  check "terms big: windows = whole" cmp -s "$T/big.0.csv" "$T/big.65536.csv"
  check "text report big: windows = whole" \
    cmp -s "$T/big.0.txt" "$T/big.65536.txt"
else
  echo "skip: /usr/bin/time (GNU time) is missing: memory not checked"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
