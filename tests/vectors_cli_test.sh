#!/usr/bin/env bash
# vectors_cli_test.sh BIN SRCDIR - `framescore vectors convert` and `check`: the binary
# vectors file reads to the same table as its text file (the same digest;
# a tagger and a sentence model trained with the text file score the same
# with the binary one, and the other way round), --word-vectors sniffs
# either; the output is written atomically and never over the input; usage
# and damaged files are refused with the reason.
# Uses only files of the project (tests/data/) and vectors written here.
set -u
BIN=$1
SRC=$2
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$SRC" || exit 1
G=tests/data/grouped.tsv
W=tests/data/labelled.tsv

# tiny vectors of the files' words: 4 components from each word's letters,
# a repeated row and a word2vec header, so that rows != words
{ echo "999 4"
  cat $G $W | tr 'A-Z' 'a-z' | tr -cs 'a-z' '\n' | sort -u | awk 'NF {
  a = 0; b = 0; c = 0; for (i = 1; i <= length($1); i++) { k = index("abcdefghijklmnopqrstuvwxyz", substr($1, i, 1))
  a += k % 3; b += k % 5; c += k % 7 }
  printf "%s %.3f %.3f %.3f %.4f\n", $1, a / 10, b / 10 - 0.5, c / 10 - 1, length($1) / 20 }'
  echo "the 9 9 9 9"; } > "$T/v.txt"

# ---- convert ---------------------------------------------------------------------
"$BIN" vectors convert "$T/v.txt" -o "$T/v.bin" > "$T/out"
check "convert: exit 0" test $? -eq 0
check "convert: version 2" sh -c "head -c 9 '$T/v.bin' | tail -c 1 | od -An -tu1 | grep -qx ' *2'"
check "convert: the binary magic" sh -c "head -c 8 '$T/v.bin' | od -An -c | grep -q '211   F   S   V   E   C  \\\\r  \\\\n'"
check "convert: says words, components and digest, the repeated row" \
  grep -Eq "v.bin: [0-9]+ words, 4 components, digest [0-9a-f]{16} \(1 repeated rows left out\)" "$T/out"
"$BIN" vectors convert "$T/v.bin" -o "$T/v2.bin" > /dev/null
check "convert of the binary file: the same bytes" cmp -s "$T/v.bin" "$T/v2.bin"
"$BIN" vectors convert "$T/v.txt" -o "$T/v3.bin" > /dev/null
check "convert is deterministic" cmp -s "$T/v.bin" "$T/v3.bin"

# ---- trained with text, applied with binary (and the other way) -------------------
"$BIN" train --words $W --folds 3 --min-df 1 --word-vectors "$T/v.txt" -o "$T/tt.model" > /dev/null
"$BIN" eval --words $W --tagger "$T/tt.model" --word-vectors "$T/v.txt" --format csv > "$T/tt_text.csv"
"$BIN" eval --words $W --tagger "$T/tt.model" --word-vectors "$T/v.bin" --format csv > "$T/tt_bin.csv"
check "tagger trained on text, eval with binary: exit 0 and rows" test -s "$T/tt_bin.csv"
check "tagger trained on text, eval with binary: byte-identical" cmp -s "$T/tt_text.csv" "$T/tt_bin.csv"
"$BIN" train --words $W --folds 3 --min-df 1 --word-vectors "$T/v.bin" -o "$T/tb.model" > /dev/null
"$BIN" eval --words $W --tagger "$T/tb.model" --word-vectors "$T/v.txt" --format csv > "$T/tb_text.csv"
check "tagger trained on binary, eval with text: the same figures" cmp -s "$T/tt_text.csv" "$T/tb_text.csv"
check "the tagger file records the same digest either way" \
  test "$(grep '^word_vectors' "$T/tt.model" | cut -f2,3)" = "$(grep '^word_vectors' "$T/tb.model" | cut -f2,3)"
"$BIN" train $G --folds 3 --word-vectors "$T/v.txt" --vector-words 40 -o "$T/st.model" > /dev/null
"$BIN" eval --model "$T/st.model" --sentences $G --word-vectors "$T/v.txt" --format jsonl -o "$T/st_text.jsonl"
"$BIN" eval --model "$T/st.model" --sentences $G --word-vectors "$T/v.bin" --format jsonl -o "$T/st_bin.jsonl"
check "sentence model (--vector-words 40) trained on text, eval with binary: byte-identical" \
  cmp -s "$T/st_text.jsonl" "$T/st_bin.jsonl"
check "  ... and scored" grep -q '"detail":"model_threshold"' "$T/st_bin.jsonl"

# a model with the tagger's lines inside (no vector: features) and the same
# tagger given with --tagger: the vectors are read once, so standard input
# serves both (read twice, the second read found nothing)
{ printf 'framescore-model 1\ndimension tagged\n  kind logistic\n  voice all\n'
  printf '  unit sentence\n  intercept -0.4054651081\n  threshold 0.5\n'
  printf '  weight tagger:count 1\n'
  awk -F'\t' '/^#|^framescore-tagger/ { next }
    $1 == "word_vectors" { print "  tagger    " $1 " " $2 " " $3; next }
    { $1 = $1; print "  tagger    " $0 }' OFS=' ' "$T/tt.model"; } > "$T/emb.model"
printf 'The ludicrous plan was pushed through. Rain fell on Tuesday.\n' > "$T/e.txt"
"$BIN" report --model "$T/emb.model" --tagger "$T/tt.model" --word-vectors "$T/v.txt" \
  --matches "$T/emb_m.csv" --dimensions "$T/emb_d.csv" -o "$T/emb.csv" "$T/e.txt"
"$BIN" report --model "$T/emb.model" --tagger "$T/tt.model" --word-vectors - \
  --matches "$T/emb_m1.csv" --dimensions "$T/emb_d1.csv" -o "$T/emb1.csv" "$T/e.txt" < "$T/v.txt" 2> "$T/err"
check "report --model M (a vectors tagger inside) --tagger T: the vectors read once" test $? -eq 0
check "  ... the same spans, dimensions and report" sh -c "cmp -s '$T/emb_m.csv' '$T/emb_m1.csv' && cmp -s '$T/emb_d.csv' '$T/emb_d1.csv' && cmp -s '$T/emb.csv' '$T/emb1.csv'"
check "  ... with tagger spans" grep -q ",tagger," "$T/emb_m1.csv"

# count takes --word-vectors as report and compare do: a model with vector:
# features counted, then compared from the counts, as compare reads it
"$BIN" train $G --folds 3 --word-vectors "$T/v.txt" -o "$T/sv.model" > /dev/null
"$BIN" count --quiet --model "$T/sv.model" --word-vectors "$T/v.bin" -o "$T/sv.fsc" tests/data/story 2> "$T/err"
check "count --word-vectors: a model with vector: features, exit 0" test $? -eq 0
"$BIN" compare --quiet --format csv --counts "$T/sv.fsc" -o "$T/sv_counts.csv"
"$BIN" compare --quiet --format csv --model "$T/sv.model" --word-vectors "$T/v.txt" tests/data/story -o "$T/sv_direct.csv"
check "  ... compare --counts = compare of the texts" cmp -s "$T/sv_counts.csv" "$T/sv_direct.csv"
check "  ... with the model's dimension" grep -q "bias" "$T/sv_counts.csv"
"$BIN" count --quiet --model "$T/sv.model" -o "$T/sv0.fsc" tests/data/story 2> "$T/err"
check "count without the vectors: exit 1, says to give them" \
  grep -q "give the word vectors it was trained with (--word-vectors FILE" "$T/err"

# ---- atomic output, never over the input -----------------------------------------
echo "keep me" > "$T/old.bin"
printf 'the 0.1 0.2\ncouncil 0.1 x\n' > "$T/bad.txt"
"$BIN" vectors convert "$T/bad.txt" -o "$T/old.bin" 2> "$T/err"
check "a bad text file: exit 1" test $? -eq 1
check "  ... file:line:col" grep -q "bad.txt:2:13: expected a finite decimal number" "$T/err"
check "  ... the output is left as it was" grep -qx "keep me" "$T/old.bin"
check "  ... and no temporary file is left" test "$(find "$T" -name '*old.bin?*' | wc -l)" -eq 0
cp "$T/v.bin" "$T/same.bin"
"$BIN" vectors convert "$T/same.bin" -o "$T/same.bin" 2> "$T/err"
check "-o the input: usage error" test $? -eq 2
check "  ... says why" grep -q "same.bin is the same file as the input .*same.bin" "$T/err"
check "  ... the input is untouched" cmp -s "$T/v.bin" "$T/same.bin"
ln -s same.bin "$T/link.bin"
"$BIN" vectors convert "$T/link.bin" -o "$T/same.bin" 2> /dev/null
check "-o the input through a symlink: usage error" test $? -eq 2
cp "$T/v.txt" "$T/keep.txt"
"$BIN" train --words $W --folds 3 --min-df 1 --word-vectors "$T/keep.txt" -o "$T/keep.txt" > /dev/null 2> "$T/err"
check "train -o the --word-vectors file: usage error" test $? -eq 2
check "  ... says why" grep -q "is the same file as --word-vectors" "$T/err"
check "  ... the vectors are untouched" cmp -s "$T/v.txt" "$T/keep.txt"
cp $W "$T/words.tsv"
"$BIN" train --words "$T/words.tsv" --folds 3 --min-df 1 -o "$T/words.tsv" > /dev/null 2> "$T/err"
check "train -o the --words file: usage error" test $? -eq 2
check "  ... the annotations are untouched" cmp -s $W "$T/words.tsv"
"$BIN" vectors convert "$T/v.txt" -o /nonexistent/dir/v.bin 2> "$T/err"
check "an unwritable output: exit 1" test $? -eq 1

# ---- damaged binary files: file: what --------------------------------------------
size=$(stat -c %s "$T/v.bin")
head -c $((size - 4)) "$T/v.bin" > "$T/short.bin"
"$BIN" eval --words $W --tagger "$T/tt.model" --word-vectors "$T/short.bin" > /dev/null 2> "$T/err"
check "a truncated binary file: exit 1" test $? -eq 1
check "  ... file: what" grep -q "short.bin: not a usable binary vectors file: $((size - 4)) bytes, its header says $size (truncated?)" "$T/err"
{ head -c 8 "$T/v.bin"; printf '\007\000\000\000'; tail -c +13 "$T/v.bin"; } > "$T/v7.bin"
"$BIN" vectors convert "$T/v7.bin" -o "$T/x.bin" 2> "$T/err"
check "another format version: exit 1" test $? -eq 1
check "  ... says which" grep -q "v7.bin: binary vectors format version 7, this framescore reads versions 1 and 2" "$T/err"
check "  ... and writes nothing" test ! -e "$T/x.bin"
{ printf 'X'; tail -c +2 "$T/v.bin"; } > "$T/magic.bin"
"$BIN" vectors convert "$T/magic.bin" -o "$T/x.bin" 2> "$T/err"
check "another magic: read as text, refused at 1:1" grep -q "magic.bin:1:" "$T/err"
{ head -c $((size - 16)) "$T/v.bin"; printf '\001'; tail -c 15 "$T/v.bin"; } > "$T/flip.bin"
"$BIN" vectors convert "$T/flip.bin" -o "$T/x.bin" 2> "$T/err"
check "a changed component: its row's checksum (convert reads every row)" \
  grep -Eq "flip.bin: not a usable binary vectors file: word [0-9]+'s components or length do not match its checksum" "$T/err"
# applying reads a row when a word is looked up: the damaged row is left out,
# the run says so and exits 1, and what it wrote is kept. Tagging alone
# looks a word up only when its tag could depend on its vector (within the
# v= weights' reach of a threshold): with those weights made large, always
flipped_word=$(sed -n "s/.*word \([0-9]*\)'s components.*/\1/p" "$T/err")
word=$(grep -v "^999 " "$T/v.txt" | sed -n "${flipped_word}p" | cut -d" " -f1)
echo "The $word council met." > "$T/flip.txt"
awk -F'\t' -v OFS='\t' '/^v=/ { $2 = $2 * 1000 } 1' "$T/tt.model" > "$T/tv.model"
"$BIN" report --quiet --tagger "$T/tv.model" --word-vectors "$T/flip.bin" --matches "$T/flip_m.csv" -o "$T/flip_r.csv" "$T/flip.txt" 2> "$T/err"
check "report with a damaged row it looks up: exit 1" test $? -eq 1
check "  ... names the file, the word and what was done" \
  grep -q "flip.bin: not a usable binary vectors file: word $flipped_word ($word)'s components or length do not match its checksum (a damaged file): it was left out" "$T/err"
check "  ... the outputs are written" test -s "$T/flip_r.csv"
# with the trained weights: the row is read and reported, or the word's tag
# did not depend on it and the outputs are those of the intact vectors
"$BIN" report --quiet --tagger "$T/tt.model" --word-vectors "$T/flip.bin" --matches "$T/flip_m2.csv" -o "$T/flip_r2.csv" "$T/flip.txt" 2> "$T/err"
rc=$?
"$BIN" report --quiet --tagger "$T/tt.model" --word-vectors "$T/v.txt" --matches "$T/flip_mt.csv" -o "$T/flip_rt.csv" "$T/flip.txt"
check "report tagging alone: the damaged row reported, or not needed" \
  sh -c "{ test $rc -eq 1 && grep -q 'word $flipped_word ($word)' '$T/err'; } || { test $rc -eq 0 && cmp -s '$T/flip_m2.csv' '$T/flip_mt.csv' && cmp -s '$T/flip_r2.csv' '$T/flip_rt.csv'; }"
mkdir -p "$T/cmp/a" "$T/cmp/b"
echo "The $word council met. The plan was pushed." > "$T/cmp/a/1.txt"
echo "A council met on Tuesday." > "$T/cmp/b/1.txt"
"$BIN" compare --quiet --format csv --model "$T/sv.model" --word-vectors "$T/flip.bin" "$T/cmp" -o "$T/flip_c.csv" 2> "$T/err"
check "compare, a model with vector: features, the damaged row looked up: exit 1" test $? -eq 1
check "  ... names the word" grep -q "flip.bin: not a usable binary vectors file: word $flipped_word ($word)'s" "$T/err"
"$BIN" count --quiet --model "$T/sv.model" --word-vectors "$T/flip.bin" -o "$T/flip.fsc" "$T/cmp" 2> "$T/err"
check "count, the same: exit 1" test $? -eq 1
echo "The council met." > "$T/noflip.txt"
"$BIN" report --quiet --tagger "$T/tt.model" --word-vectors "$T/flip.bin" --matches "$T/noflip_m.csv" -o "$T/noflip_r.csv" "$T/noflip.txt" 2> "$T/err"
check "report that never looks the damaged row up: exit 0" test $? -eq 0
"$BIN" report --quiet --tagger "$T/tt.model" --word-vectors "$T/v.txt" --matches "$T/noflip_mt.csv" -o "$T/noflip_rt.csv" "$T/noflip.txt"
check "  ... the same output as with the text file" cmp -s "$T/noflip_r.csv" "$T/noflip_rt.csv"
check "  ... and spans" cmp -s "$T/noflip_m.csv" "$T/noflip_mt.csv"
# version 1 (session 33's format) is still read: the same scores
printf 'council 0.25 -1 0.5\nthe 1 2 3\nslammed -0.125 0 4\nthe 9 9 9\nplan 0.5 0.5 -0.75\n' > "$T/f.txt"
"$BIN" train --words $W --folds 3 --min-df 1 --word-vectors "$T/f.txt" -o "$T/tf.model" > /dev/null
"$BIN" eval --words $W --tagger "$T/tf.model" --word-vectors "$T/f.txt" --format csv > "$T/tf_text.csv"
"$BIN" eval --words $W --tagger "$T/tf.model" --word-vectors tests/data/vectors_v1.fsv --format csv > "$T/tf_v1.csv"
check "a version 1 file: eval byte-identical with the text file's" cmp -s "$T/tf_text.csv" "$T/tf_v1.csv"
"$BIN" vectors convert tests/data/vectors_v1.fsv -o "$T/f2.bin" > /dev/null
"$BIN" vectors convert "$T/f.txt" -o "$T/f3.bin" > /dev/null
check "  ... converted to version 2: the bytes of the text file's" cmp -s "$T/f2.bin" "$T/f3.bin"
# vectors check: every row of each file, the others checked after a bad one
digest=$(sed -n 's/.*digest \([0-9a-f]*\).*/\1/p' "$T/out")
"$BIN" vectors check "$T/v.txt" "$T/flip.bin" "$T/v.bin" tests/data/vectors_v1.fsv > "$T/chk" 2> "$T/err"
check "vectors check with a damaged file: exit 1" test $? -eq 1
check "  ... the damaged row named (every row is read)" \
  grep -q "flip.bin: not a usable binary vectors file: word $flipped_word's components or length do not match its checksum" "$T/err"
check "  ... the text file: its format and digest, the convert's" \
  grep -q "^$T/v.txt: text, [0-9]* words, 4 components, digest $digest (1 repeated rows left out)$" "$T/chk"
check "  ... the file after the bad one is still checked: version 2, the same digest" \
  grep -q "^$T/v.bin: binary version 2, [0-9]* words, 4 components, digest $digest " "$T/chk"
check "  ... a version 1 file" grep -q "^tests/data/vectors_v1.fsv: binary version 1, 4 words, 3 components, digest " "$T/chk"
check "  ... the damaged file prints no line" sh -c "! grep -q flip.bin '$T/chk'"
"$BIN" vectors check "$T/v.bin" > /dev/null
check "vectors check of a good file: exit 0" test $? -eq 0
"$BIN" vectors check 2> "$T/err"
check "vectors check without a file: usage error" test $? -eq 2
"$BIN" vectors convert - -o "$T/x.bin" < "$T/v.bin" 2> "$T/err"
check "a binary file on standard input: exit 1" test $? -eq 1
check "  ... says to give a file" grep -q "read from a file, not standard input" "$T/err"

# ---- usage -----------------------------------------------------------------------
"$BIN" vectors --help > "$T/help"
check "vectors --help: exit 0" test $? -eq 0
check "  ... the usage line" grep -q "^Usage: framescore vectors convert IN -o OUT" "$T/help"
check "  ... and check's" grep -q "^       framescore vectors check FILE\.\.\.$" "$T/help"
"$BIN" vectors 2> /dev/null
check "vectors alone: usage error" test $? -eq 2
"$BIN" vectors convert "$T/v.txt" 2> "$T/err"
check "convert without -o: usage error" test $? -eq 2
check "  ... says what it needs" grep -q "vectors convert needs one IN file and -o OUT" "$T/err"
"$BIN" vectors convert "$T/v.txt" -o - 2> "$T/err"
check "convert to standard output: usage error" test $? -eq 2
"$BIN" vectors shrink "$T/v.txt" -o "$T/x.bin" 2> "$T/err"
check "an unknown vectors command: usage error" test $? -eq 2
check "  ... names it" grep -q "unknown vectors command 'shrink'" "$T/err"
"$BIN" vectors convert "$T/v.txt" -o "$T/x.bin" --threads 2 2> "$T/err"
check "an option of another command: usage error" grep -q "option '--threads' does not apply to 'vectors'" "$T/err"
echo "$pass passed, $fail failed"
test $fail -eq 0
