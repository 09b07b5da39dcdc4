#!/usr/bin/env bash
# window_tagger_test.sh BIN SRC - report --tagger with --window-bytes: long
# documents read in windows get the tagger's spans of the same documents
# read whole, byte for byte (--matches rows of category tagger, jsonl
# tagger_spans, with their offsets, lines and columns), in csv, jsonl,
# text and html, on one thread and two, with taggers trained here on
# invented annotations (tags alone, union, anchored with span rules) and
# with a context model beside the tagger; and the run's memory stays the
# window's.
set -u
BIN=$1
SRC=$2
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/window_lib.sh
. "$(dirname "$0")/window_lib.sh"
cd "$SRC" || exit 1

# ---- invented annotations --------------------------------------------------
# sentences with the words an annotator would mark (words format) ...
cat > "$T/words.tsv" <<'EOF'
text	label	biased_words	source
The council voted on the harbour budget on Monday.	0	[]	invented
The reckless council rammed through a shameful budget.	1	['reckless', 'shameful']	invented
Ferries will run every hour from the harbour in June.	0	[]	invented
Spineless officials hid the disastrous figures again.	1	['spineless', 'disastrous']	invented
The mayor opened the new library on Tuesday.	0	[]	invented
The mayor's cronies pocketed the grant, critics fumed.	1	['cronies', 'fumed']	invented
Engineers inspected the bridge and found no faults.	0	[]	invented
A laughable inspection whitewashed the crumbling bridge.	1	['laughable', 'whitewashed']	invented
The school board published its annual report.	0	[]	invented
The board's arrogant chair sneered at worried parents.	1	['arrogant', 'sneered']	invented
Residents can comment on the plan until March.	0	[]	invented
This sinister plan will gut the old town, opponents raged.	1	['sinister', 'gut', 'raged']	invented
The museum extended its opening hours.	0	[]	invented
Bungling managers squandered the museum's savings.	1	['bungling', 'squandered']	invented
Buses on line four will be replaced by trams.	0	[]	invented
The outrageous tram scheme is a colossal waste.	1	['outrageous', 'colossal', 'waste']	invented
The regional court heard the case on Thursday.	0	[]	invented
The regime's thugs bullied the court into silence.	1	['regime', 'thugs', 'bullied']	invented
The hospital hired twelve nurses this spring.	0	[]	invented
Callous administrators gutted the hospital's wards.	1	['callous', 'gutted']	invented
Farmers met the minister to discuss the harvest.	0	[]	invented
The minister's pathetic excuses fooled no one.	1	['pathetic', 'excuses']	invented
The port handled more containers than last year.	0	[]	invented
Greedy port bosses grabbed a scandalous bonus.	1	['greedy', 'scandalous']	invented
EOF
# ... and articles with labelled spans (spans format: character offsets,
# found here in the invented text)
mkdir -p "$T/art"
: > "$T/labels.tsv"
art() { # ID TEXT MARKED...
  local id=$1 text=$2
  shift 2
  printf '%s\n' "$text" > "$T/art/article$id.txt"
  for w in "$@"; do
    awk -v id="$id" -v w="$w" '{ s = s $0 "\n" } END {
      i = index(s, w); if (i) printf "%s\tLoaded_Language\t%d\t%d\n", id, i - 1, i - 1 + length(w) }' \
      "$T/art/article$id.txt" >> "$T/labels.tsv"
  done
}
art 1 "The reckless council rammed through a shameful budget.

Ferries will run every hour from the harbour in June." "reckless council" "shameful budget"
art 2 "Spineless officials hid the disastrous figures.

The mayor opened the new library on Tuesday." "Spineless officials" "disastrous figures"
art 3 "The regime's thugs bullied the court.

Engineers inspected the bridge." "thugs bullied" "regime"
art 4 "Bungling managers squandered the savings.

The museum extended its opening hours." "Bungling managers" "squandered"
art 5 "The outrageous tram scheme is a colossal waste.

Buses will be replaced." "outrageous tram scheme" "colossal waste"
art 6 "Callous administrators gutted the wards.

The hospital hired nurses." "Callous administrators" "gutted"

# ---- taggers ---------------------------------------------------------------
"$BIN" train --words "$T/words.tsv" --folds 3 --min-df 1 -o "$T/tags.model" \
  > /dev/null 2>&1
check "tagger (tags) trained" test -s "$T/tags.model"
"$BIN" train --words "$T/words.tsv" --folds 3 --min-df 1 --combine union \
  -o "$T/union.model" > /dev/null 2>&1
check "tagger (union) trained" test -s "$T/union.model"
"$BIN" train --spans "$T/labels.tsv" --articles "$T/art" --folds 2 \
  --min-df 1 --combine anchor --span-rules extend=0.2,merge,trim \
  -o "$T/anchor.model" > /dev/null 2>&1
check "tagger (anchor, span rules) trained" grep -q "^span_merge	1$" \
  "$T/anchor.model"
# a second stage reading each sentence's words, and a cap per sentence:
# both stay within a sentence, which never runs across a window's cut
"$BIN" train --words "$T/words.tsv" --folds 3 --min-df 1 --stack \
  --sentence-cap 2 -o "$T/stack.model" > /dev/null 2>&1
check "tagger (stacked, capped) trained" grep -q "^sentence_cap	2$" \
  "$T/stack.model"
"$BIN" train --context --words "$T/words.tsv" --folds 3 -o "$T/ctx.model" \
  > /dev/null 2>&1
check "context model trained" test -s "$T/ctx.model"

# ---- long documents ----------------------------------------------------------
# gen STYLE SEED PARAS: a document of the invented sentences; STYLE blank
# (paragraphs between blank lines) or lines (a paragraph per line); quotes
# that run on into the next paragraph, multi-byte words near the cuts
gen() {
  window_doc "$1" "$2" "$3" 0.15 0 1 \
    '"The outrageous tram scheme goes on,' \
    'The reckless council rammed through a shameful budget.' \
    '"Spineless officials hid the disastrous figures," she said.' \
    'The mayor opened the new library on Tuesday!' \
    'Greedy port bosses grabbed a scandalous bonus, critics fumed.' \
    $'The caf\303\251 owners called it a \342\200\234colossal waste\342\200\235 of money?' \
    "The regime's thugs bullied the court into silence." \
    $'Callous administrators gutted the hospital\'s wards in Z\303\274rich.' \
    'Ferries will run every hour from the harbour in June.' \
    "NO ONE believed the minister's pathetic, laughable excuses." \
    'This sinister plan will gut the old town, opponents raged.'
}
mkdir -p "$T/c/a" "$T/c/b"
gen blank 1 300 > "$T/c/a/blank.txt"
gen lines 2 300 > "$T/c/b/lines.txt"
gen blank 3 200 | sed 's/$/\r/' > "$T/c/b/crlf.txt"
printf 'A short one: the reckless council.\n' > "$T/c/b/short.txt"

SIDES=m.csv
for tg in tags union anchor stack; do
  for f in csv jsonl text html; do
    name="$tg $f"
    same_as_whole "$name" "1 5000" "1 2" report --format "$f" \
      --tagger "$T/$tg.model" --matches "$T/m.csv"
    windowed "$name" 700 1 report --format "$f" --tagger "$T/$tg.model" \
      --matches "$T/m.csv"
    check "$name: windows of 700 bytes, 1 threads = whole" \
      cmp -s "$T/$name.0.1" "$T/$name.700.1"
    check "$name: the whole run tags spans" \
      test "$(grep -c ',tagger,' "$T/$name.0.1")" -gt 100
    [ "$f" = jsonl ] && check "$tg jsonl: tagger_spans" \
      test "$(grep -o '"tagger_spans":\[{' "$T/$name.0.1" | wc -l)" -ge 3
  done
done

# with a context model beside the tagger: both read the whole document's
# quantities from the first reading
for f in csv jsonl; do
  name="context model + tagger $f"
  same_as_whole "$name" "1 3000" 2 report --format "$f" \
    --tagger "$T/anchor.model" --matches "$T/m.csv" \
    --context-model "$T/ctx.model"
  check "$name: context_prob" grep -q ',0\.[0-9]\{4\}$' "$T/$name.0.1"
done

# the first reading's analyses kept for the second (io.c, within
# FRAMESCORE_KEEP_WINDOWS bytes; the windows past the budget are read and
# analysed again): every window kept (the default budget), none (0) and the
# first few (40000 bytes, some ten of a document's windows of 700 bytes)
# give the document read whole, with a tagger and a context model, alone
# and together
for f in csv jsonl text; do
  windowed "kept $f" 0 1 report --format "$f" --tagger "$T/anchor.model" \
    --matches "$T/m.csv" --context-model "$T/ctx.model"
done
for keep in "" 0 40000; do
  for f in csv jsonl text; do
    for t in 1 2; do
      name="keep=$keep $f"
      FRAMESCORE_KEEP_WINDOWS=$keep windowed "$name" 700 "$t" report \
        --format "$f" --tagger "$T/anchor.model" --matches "$T/m.csv" \
        --context-model "$T/ctx.model"
      check "$name: tagger + context model, windows of 700 bytes, $t threads = whole" \
        cmp -s "$T/kept $f.0.1" "$T/$name.700.$t"
    done
  done
  FRAMESCORE_KEEP_WINDOWS=$keep windowed "keep=$keep tagger" 900 1 report \
    --format csv --tagger "$T/stack.model" --matches "$T/m.csv"
  check "keep=$keep: tagger alone, windows of 900 bytes = whole" \
    cmp -s "$T/stack csv.0.1" "$T/keep=$keep tagger.900.1"
  FRAMESCORE_KEEP_WINDOWS=$keep windowed "keep=$keep context" 900 1 report \
    --format jsonl --context-model "$T/ctx.model" --matches "$T/m.csv"
  windowed "keep=$keep context" 0 1 report --format jsonl \
    --context-model "$T/ctx.model" --matches "$T/m.csv"
  check "keep=$keep: context model alone, windows of 900 bytes = whole" \
    cmp -s "$T/keep=$keep context.0.1" "$T/keep=$keep context.900.1"
done
# a long document's --matches rows held in the thread's memory between
# documents (io.c, cli_spool, within FRAMESCORE_SPOOL_MEMORY bytes) and
# moved to a temporary file past it (0: after the first window; 3000: some
# windows in): the documents read whole's, on one thread and two
for spool in 0 3000; do
  for t in 1 2; do
    FRAMESCORE_SPOOL_MEMORY=$spool windowed "spool=$spool" 700 "$t" report \
      --format csv --tagger "$T/anchor.model" --matches "$T/m.csv" \
      --context-model "$T/ctx.model"
    check "spool=$spool: rows moved to a file, windows of 700 bytes, $t threads = whole" \
      cmp -s "$T/kept csv.0.1" "$T/spool=$spool.700.$t"
  done
done
# a document whose windows are all kept is read once for them, not twice
# (the rewinds before each reading of the file: one for the hard-wrap
# sniff of each, counted by strace when there is one)
if command -v strace > /dev/null; then
  rewinds() { # KEEP
    FRAMESCORE_KEEP_WINDOWS=$1 strace -f -e trace=lseek -o "$T/trace" \
      "$BIN" report --format csv --window-bytes 700 --threads 1 \
      --tagger "$T/anchor.model" --matches /dev/null -o /dev/null \
      "$T/c/a/blank.txt" \
      > /dev/null 2>&1
    grep -c 'lseek(.*, 0, SEEK_SET) *= 0' "$T/trace"
  }
  once=$(rewinds "") twice=$(rewinds 0)
  check "kept: $once rewinds, read again: $twice" test "$once" -lt "$twice"
fi

# memory: a long document with a tagger read in windows stays the window's
# (GNU time's maximum resident set size, when there is one), on one thread:
# with more, each helper thread has a context of its own (window_pair.c),
# a fixed cost that under ASan is about as large as the document's
# analysis
if [ -x /usr/bin/time ]; then
  for i in 1 2 3 4 5 6 7 8; do cat "$T/c/a/blank.txt"; done > "$T/big.txt"
  for i in 1 2 3 4 5 6 7 8; do cat "$T/big.txt"; done > "$T/huge.txt"
  # (the analyses kept between the readings, and the --matches rows held
  # in memory, within budgets of 200 KB here: a budget bounds them as the
  # defaults' 32 and 16 MiB do)
  rss() { # WINDOW
    FRAMESCORE_KEEP_WINDOWS=200000 FRAMESCORE_SPOOL_MEMORY=200000 \
      peak_kb /dev/null report \
      --window-bytes "$1" --format csv --threads 1 \
      --tagger "$T/tags.model" --matches /dev/null "$T/huge.txt"
  }
  whole=$(rss 0) win=$(rss 20000)
  check "memory with windows ($win KB) < half the whole's ($whole KB)" \
    test "$((win * 2))" -lt "$whole"
fi

echo "window_tagger: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
