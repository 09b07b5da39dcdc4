#!/usr/bin/env bash
# bad_input_test.sh BIN SRCDIR - hostile input, each with its expected outcome:
# broken text is processed with a warning count; unusable files, manifests and
# lexicons give a clear "file[:line[:col]]: what" and exit 1; failed outputs
# exit 1. No output file is ever left half-written, and no temporary file is
# left behind. The inputs are generated here, into a temporary folder.
set -u
BIN=$1
SRC=$2
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
trap 'chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"' EXIT
mkdir "$T/o"
MINI=(--no-default-lexicons --lexicon "$SRC/tests/data/mini.tsv")

# expect NAME STATUS STDERR-ERE STDOUT-ERE -- ARGS...: runs `framescore ARGS`
# (at most 60 s) and checks the exit status, that stderr matches (or is
# empty for ""), and that stdout matches (or is empty for ""). NAME.out and
# NAME.err keep the streams for further checks.
expect() {
  local name=$1 want=$2 err_re=$3 out_re=$4
  shift 5
  timeout 60 "$BIN" "$@" >"$T/$name.out" 2>"$T/$name.err"
  local rc=$? ok=1
  [ "$rc" -eq "$want" ] || { ok=0; echo "FAIL: $name: exit $rc, want $want"; }
  if [ -z "$err_re" ]; then
    [ ! -s "$T/$name.err" ] || { ok=0; echo "FAIL: $name: unexpected stderr"; }
  elif ! grep -Eq -- "$err_re" "$T/$name.err"; then
    ok=0; echo "FAIL: $name: stderr does not match /$err_re/"
  fi
  if [ -z "$out_re" ]; then
    [ ! -s "$T/$name.out" ] || { ok=0; echo "FAIL: $name: unexpected stdout"; }
  elif ! grep -Eq -- "$out_re" "$T/$name.out"; then
    ok=0; echo "FAIL: $name: stdout does not match /$out_re/"
  fi
  if [ $ok -eq 0 ]; then
    fail=$((fail + 1))
    sed 's/^/  stderr: /' "$T/$name.err" | head -5
    cut -c1-300 "$T/$name.out" | sed 's/^/  stdout: /' | head -5
  else
    pass=$((pass + 1))
  fi
}
# no temporary output files (NAME.XXXXXX) anywhere in the output folder
no_temp() { ! ls "$T/o" | grep -Eq '\.[A-Za-z0-9]{6}$'; }

good=$T/good.txt
printf 'Officials called the report nonsense, Kirby said.\n' >"$good"

# ---- text: processed, with warnings that count what was replaced ---------
printf 'caf\xc3\xa9 \xc3\x28 nonsense \xff\n' >"$T/invalid.txt"
expect invalid_utf8 0 'invalid.txt: warning: 2 invalid UTF-8 sequences and 0 NUL bytes replaced' \
  '"invalid_utf8":2,.*"loaded.dismissive"' -- report "${MINI[@]}" --format jsonl "$T/invalid.txt"
printf 'a\xc0\xaf b \xe0\x80\xaf c \xf0\x80\x80\xaf nonsense\n' >"$T/overlong.txt"
expect overlong 0 'warning: 9 invalid UTF-8' '"invalid_utf8":9,.*"surface":"nonsense"' -- \
  report "${MINI[@]}" --format jsonl "$T/overlong.txt"
printf 'x\xed\xa0\x80y \xed\xbf\xbf nonsense\n' >"$T/surrogate.txt"
expect surrogates 0 'warning: 6 invalid UTF-8' '"invalid_utf8":6,.*"surface":"nonsense"' -- \
  report "${MINI[@]}" --format jsonl "$T/surrogate.txt"
printf 'It was\0nonsense, and the rest of this line is ordinary text.\0\n' >"$T/nul.txt"
expect nul_bytes 0 'warning: 0 invalid UTF-8 sequences and 2 NUL bytes replaced' \
  '"words":12,.*"nul_bytes":2,.*"surface":"nonsense"' -- report "${MINI[@]}" --format jsonl "$T/nul.txt"
printf '\xef\xbb\xbfnonsense\n' >"$T/bom.txt"
expect bom 0 '' '"line":1,"col":1,"char_start":1,"char_end":9' -- \
  report "${MINI[@]}" --format jsonl "$T/bom.txt"
printf 'one\rtwo\rIt was nonsense.\r' >"$T/cr.txt"
expect cr_only 0 '' '"line":3,"col":8,' -- report "${MINI[@]}" --format jsonl "$T/cr.txt"
printf 'one\r\ntwo\r\nIt was nonsense.\r\n' >"$T/crlf.txt"
expect crlf 0 '' '"line":3,"col":8,' -- report "${MINI[@]}" --format jsonl "$T/crlf.txt"
{ head -c 1000000 /dev/zero | tr '\0' a; printf ' nonsense\n'; } >"$T/token.txt"
expect token_1mb 0 '' '"words":2,.*"char_start":1000001' -- \
  report "${MINI[@]}" --format jsonl "$T/token.txt"
printf 'He said "this is never closed.\n\nIt was nonsense.\n' >"$T/unbalanced.txt"
expect unbalanced_quote 0 '' '"quotations":1,.*"voice":"author","category":"loaded.dismissive"' -- \
  report "${MINI[@]}" --format jsonl "$T/unbalanced.txt"
printf 'It was nonsense\xe2\x80\x9d \xe2\x80\x99 \xc2\xbb ) ] it was nonsense.\n' >"$T/closers.txt"
expect stray_closers 0 '' '"quotations":0,.*"loaded.dismissive":\{"author":2,' -- \
  report "${MINI[@]}" --format jsonl "$T/closers.txt"
printf '\xe2\x80\x9cA \xe2\x80\x98b \xe2\x80\x9cc nonsense\xe2\x80\x9d d\xe2\x80\x99 e,\xe2\x80\x9d she said.\n' >"$T/nested.txt"
expect nested_quotes 0 '' '"quotations":1,.*"loaded.dismissive":\{"author":0,"quote":1,' -- \
  report "${MINI[@]}" --format jsonl "$T/nested.txt"
: >"$T/empty.txt"
expect empty_file 0 '' '"words":0,"author_words":0,.*"sentences":0' -- \
  report "${MINI[@]}" --format jsonl "$T/empty.txt"
printf '!!! ... ??? ,,, \xe2\x80\x94\xe2\x80\x94 "" \xe2\x80\x9c\xe2\x80\x9d\n' >"$T/punct.txt"
expect punctuation_only 0 '' '"words":0,' -- report "${MINI[@]}" --format jsonl "$T/punct.txt"
printf 'The caf\xe9 served \x93nonsense\x94 na\xefvely, \xab\xa0da\xbb.\n' >"$T/cp1252.txt"
expect windows_1252 0 'cp1252.txt: warning: not UTF-8: looks like Latin-1 or Windows-1252' \
  '"invalid_utf8":7,' -- report "${MINI[@]}" --format jsonl "$T/cp1252.txt"
head -c 3000 /dev/urandom >"$T/binary.bin"
printf '\0\1\2\3%.0s' $(seq 100) >>"$T/binary.bin"
expect binary 1 'binary.bin: looks like a binary file, not text' '^file,' -- \
  report "${MINI[@]}" --format csv "$T/binary.bin"
# the binary sniff's bound: one byte in ten a control character other than
# \t-\r and ESC is text, one more is binary (330 bytes: 20 blocks of 16 and
# a tail of 10, the last control byte in the tail)
unit='abc\001\033\tdefg'
printf "$(printf "$unit%.0s" $(seq 33))" >"$T/tenth.txt"
expect binary_bound_text 0 '' '"words":' -- \
  report "${MINI[@]}" --format jsonl "$T/tenth.txt"
printf "$(printf "$unit%.0s" $(seq 32))abc\001\033\tde\002g" >"$T/tenth_more.txt"
expect binary_bound_binary 1 'tenth_more.txt: looks like a binary file, not text' \
  '^file,' -- report "${MINI[@]}" --format csv "$T/tenth_more.txt"
# the same bound where ten clean 64-byte blocks (letters and LFs, passed
# whole) come before the control bytes: 71 of 711 bytes is text, 72 of 712
# binary
clean=$(printf 'abcdefg\n%.0s' $(seq 80))
{ printf '%s\n' "$clean"; printf '\001%.0s' $(seq 71); } >"$T/late.txt"
expect binary_late_text 0 '' '"words":' -- \
  report "${MINI[@]}" --format jsonl "$T/late.txt"
{ printf '%s\n' "$clean"; printf '\001%.0s' $(seq 72); } >"$T/late_more.txt"
expect binary_late_binary 1 'late_more.txt: looks like a binary file, not text' \
  '^file,' -- report "${MINI[@]}" --format csv "$T/late_more.txt"
expect max_file_size 1 'good.txt: [0-9]+ bytes, larger than --max-file-size \(10\)' '^file,' -- \
  report "${MINI[@]}" --format csv --max-file-size 10 "$good"

# ---- a manifest none of whose documents can be read: errors, no crash ----
printf 'path,outlet\nnope1.txt,a\nnope2.txt,b\n' > "$T/unreadable.csv"
for fmt in text csv html; do
  expect "unreadable_compare_$fmt" 1 'nope1.txt: No such file' '' -- \
    compare --manifest "$T/unreadable.csv" --format $fmt -o "$T/unreadable_out.$fmt"
done
expect unreadable_terms 1 'nope2.txt: No such file' '' -- \
  terms --manifest "$T/unreadable.csv" -o "$T/unreadable.terms"

# ---- files: each refused with a reason; the other files are still read ----
mkdir "$T/emptydir"
expect directory 1 'emptydir: folder holds no documents' '^' -- \
  report "${MINI[@]}" --format csv "$T/emptydir" "$good"
check "directory: good file reported" grep -q 'good.txt,,author,loaded.dismissive,1,' "$T/directory.out"
if [ "$(id -u)" -ne 0 ]; then
  printf 'secret\n' >"$T/unreadable.txt"
  chmod 000 "$T/unreadable.txt"
  expect unreadable 1 'unreadable.txt: Permission denied' '^' -- \
    report "${MINI[@]}" --format csv "$T/unreadable.txt" "$good"
else
  # root reads any file; a file whose read fails stands in for one
  expect unreadable 1 '^/proc/self/mem: read error: ' '^' -- \
    report "${MINI[@]}" --format csv /proc/self/mem "$good"
fi
mkfifo "$T/fifo"
expect fifo 1 'fifo: not a regular file \(FIFO, device or socket\)' '^' -- \
  report "${MINI[@]}" --format csv "$T/fifo" "$good"
# learned models are read through the same opener: a FIFO is refused, not
# waited on
expect fifo_context_model 1 'fifo: not a regular file' '' -- \
  report "${MINI[@]}" --context-model "$T/fifo" "$good"
expect fifo_tagger 1 'fifo: not a regular file' '' -- \
  eval --spans "$SRC/tests/data/ptc/labels.tsv" --articles "$SRC/tests/data/ptc" \
  --tagger "$T/fifo"
ln -s loop2 "$T/loop1"
ln -s loop1 "$T/loop2"
expect symlink_loop 1 'loop1: Too many levels of symbolic links' '^' -- \
  report "${MINI[@]}" --format csv "$T/loop1" "$good"
printf 'gone\n' >"$T/vanished.txt"
ln -s vanished.txt "$T/dangling.txt"
rm "$T/vanished.txt"
expect vanished 1 'dangling.txt: No such file or directory' '^' -- \
  report "${MINI[@]}" --format csv "$T/dangling.txt" "$good"
check "vanished: one message" test "$(wc -l <"$T/vanished.err")" -eq 1

# ---- outputs: a failed write is exit 1 and leaves nothing behind -----------
if [ -w /dev/full ]; then
  timeout 60 "$BIN" report "${MINI[@]}" --format csv "$good" >/dev/full 2>"$T/full.err"
  check "stdout on a full disk exits 1" test $? -eq 1
  check "stdout on a full disk: message" grep -q 'writing output failed: No space left' "$T/full.err"
fi
# -o onto a device writes to it in place (renaming a file over it would
# replace it). Private device nodes when we may make them (root), so that a
# broken build cannot clobber /dev/full or /dev/null; without root, /dev is
# not writable and the real ones are safe to use.
if mknod "$T/full" c 1 7 2>/dev/null && mknod "$T/null" c 1 3 2>/dev/null; then
  full=$T/full null=$T/null
else
  full=/dev/full null=/dev/null
fi
if [ -w "$full" ]; then
  expect full_device 1 'full: writing output failed: No space left on device' '' -- \
    report "${MINI[@]}" --format csv -o "$full" "$good"
  check "-o FULL is still a device" test -c "$full"
fi
expect output_to_null 0 '' '' -- report "${MINI[@]}" --format csv -o "$null" "$good"
check "-o NULL is still a device" test -c "$null"
expect output_in_missing_dir 1 'nodir/r.csv: cannot create output' '' -- \
  report "${MINI[@]}" --format csv -o "$T/nodir/r.csv" "$good"
expect output_is_dir 1 'emptydir: cannot write output: is a directory' '' -- \
  report "${MINI[@]}" --format csv -o "$T/emptydir" "$good"
# a file-size limit makes the disk "full" after 1 KiB
big=$SRC/examples/corpus/harbor_wire/01.txt
(trap '' XFSZ; ulimit -f 1; exec "$BIN" report "${MINI[@]}" --format csv \
  -o "$T/o/limited.csv" --matches "$T/o/limited_m.csv" "$big") 2>"$T/limited.err"
check "file-size limit exits 1" test $? -eq 1
check "file-size limit: message" grep -q 'limited.csv: writing output failed: File too large' "$T/limited.err"
check "file-size limit: no partial file" test ! -e "$T/o/limited.csv"
check "file-size limit: no temporary file" no_temp

# ---- manifests: an unusable manifest stops the run with file:line[:col] ----
man() { printf "$2" >"$T/$1.csv"; }
run_man() { # NAME STATUS STDERR-ERE
  expect "$1" "$2" "$3" '' -- report "${MINI[@]}" --format csv \
    --manifest "$T/$1.csv" -o "$T/o/$1.csv"
  if [ "$2" -ne 0 ]; then
    check "$1: no output file" test ! -e "$T/o/$1.csv"
  fi
  check "$1: no temporary file" no_temp
}
cp "$good" "$T/a.txt"
cp "$good" "$T/b.txt"
man m_missing_column 'path,source\na.txt,A\n'
run_man m_missing_column 1 'm_missing_column.csv:1: the header must name the columns .path. and .outlet.'
man m_short_row 'path,outlet\na.txt,A\nb.txt\n'
run_man m_short_row 1 'm_short_row.csv:3: expected 2 columns as in the header, found 1'
man m_unterminated 'path,outlet\na.txt,A\nb.txt,"B\n'
run_man m_unterminated 1 'm_unterminated.csv:3:7: unterminated quoted field'
man m_embedded_newline 'path,outlet,title\na.txt,A,"two\nlines"\nb.txt,B\n'
run_man m_embedded_newline 1 'm_embedded_newline.csv:4: expected 3 columns as in the header, found 2'
man m_quote_in_field 'path,outlet\na.txt,A"x\n'
run_man m_quote_in_field 1 'm_quote_in_field.csv:2:8: quote inside an unquoted field'
man m_after_quote 'path,outlet\n"a.txt"x,A\n'
run_man m_after_quote 1 'm_after_quote.csv:2:8: unexpected text after a closing quote'
man m_duplicate 'path,outlet\na.txt,A\nb.txt,B\na.txt,C\n'
run_man m_duplicate 1 "m_duplicate.csv:4: duplicate path '.*/a.txt' \(first listed at line 2\)"
man m_empty ''
run_man m_empty 1 'm_empty.csv:1: the header must name the columns'
man m_no_docs 'path,outlet\n\n'
run_man m_no_docs 1 'm_no_docs.csv: the manifest lists no documents'
man m_empty_outlet 'path,outlet\na.txt,\n'
run_man m_empty_outlet 1 'm_empty_outlet.csv:2: empty outlet'
man m_crlf_bom '\xef\xbb\xbfpath,outlet\r\n"a.txt","A, B"\r\nb.txt,B\r\n'
run_man m_crlf_bom 0 ''
check "m_crlf_bom: both documents" test "$(grep -c ',author,loaded.dismissive,1,' "$T/o/m_crlf_bom.csv")" -eq 2
man m_cr_only 'path,outlet\ra.txt,A\rb.txt,B\r'
run_man m_cr_only 0 ''
mkdir "$T/sub"
man sub/m_escape 'path,outlet\n../a.txt,A\n/dev/null,B\n../sub/../b.txt,C\n'
expect m_escape 1 "sub/m_escape.csv:2: warning: '.*/sub/../a.txt' is outside the manifest's folder" '' -- \
  report "${MINI[@]}" --format csv --manifest "$T/sub/m_escape.csv" -o "$T/o/m_escape.csv"
check "m_escape: absolute path warned" grep -q "m_escape.csv:3: warning: '/dev/null' is outside" "$T/m_escape.err"
check "m_escape: ../sub/../ warned" grep -q "m_escape.csv:4: warning: .* is outside" "$T/m_escape.err"
check "m_escape: the files are read" test "$(grep -c ',author,loaded.dismissive,1,' "$T/o/m_escape.csv")" -eq 2
check "m_escape: /dev/null refused" grep -q "/dev/null: not a regular file" "$T/m_escape.err"
man m_dir 'path,outlet\nemptydir,A\na.txt,A\n'
expect m_directory 1 'emptydir: is a directory' '^file,' -- \
  report "${MINI[@]}" --format csv --manifest "$T/m_dir.csv"

# ---- lexicons: file:line:col, exit 1, and no output at all -----------------
lex() { printf "$2" >"$T/$1.tsv"; }
run_lex() { # NAME STATUS STDERR-ERE
  expect "$1" "$2" "$3" '' -- report --no-default-lexicons --lexicon "$T/$1.tsv" \
    --format csv -o "$T/o/$1.csv" "$good"
  if [ "$2" -ne 0 ]; then
    check "$1: no output file" test ! -e "$T/o/$1.csv"
  fi
  check "$1: no temporary file" no_temp
}
lex l_missing_tab 'said\tattribution.neutral\t0\nnonsense loaded.x 1\n'
run_lex l_missing_tab 1 'l_missing_tab.tsv:2:20: expected TAB after pattern'
lex l_missing_weight 'nonsense\tloaded.x\n'
run_lex l_missing_weight 1 'l_missing_weight.tsv:1:18: expected TAB after category'
for w in nan NaN inf -Infinity 1e999 abc 0x10 1,5 '1 2'; do
  name=l_weight_${w//[^a-zA-Z0-9]/_}
  lex "$name" "nonsense\tloaded.x\t$w\n"
  run_lex "$name" 1 "$name.tsv:1:19: weight '$w' is not a finite decimal number"
done
lex l_weight_empty "nonsense\tloaded.x\t\n"
run_lex l_weight_empty 1 'l_weight_empty.tsv:1:19: missing weight'
lex l_bad_category 'nonsense\tLoaded.X\t1\n'
run_lex l_bad_category 1 "l_bad_category.tsv:1:10: bad category name 'Loaded.X'"
lex l_empty_category 'nonsense\t\t1\n'
run_lex l_empty_category 1 'l_empty_category.tsv:1:10: empty category'
# unknown but well-formed categories are new categories (not scored unless
# their family is loaded, label, attribution or evidence)
lex l_new_category 'nonsense\tmy_family.custom\t1\n'
run_lex l_new_category 0 ''
check "l_new_category: reported" grep -q ',author,my_family.custom,1,' "$T/o/l_new_category.csv"
lex l_empty_pattern '\tloaded.x\t1\n'
run_lex l_empty_pattern 1 'l_empty_pattern.tsv:1:1: empty pattern'
lex l_blank_pattern '   \tloaded.x\t1\n'
run_lex l_blank_pattern 1 'l_blank_pattern.tsv:1:4: empty pattern'
lex l_empty_marker '== x\tloaded.x\t1\n'
run_lex l_empty_marker 1 "l_empty_marker.tsv:1:1: empty word after '==' marker"
lex l_star 'non*sense\tloaded.x\t1\n'
run_lex l_star 1 "l_star.tsv:1:4: '\\*' is allowed only at the end of a word"
lex l_long_line "nonsense\tloaded.x\t1\t$(head -c 5000 /dev/zero | tr '\0' n)\n"
run_lex l_long_line 1 'l_long_line.tsv:1:1: line longer than 4096 bytes'
lex l_long_word "x $(head -c 300 /dev/zero | tr '\0' w)\tloaded.x\t1\n"
run_lex l_long_word 1 'l_long_word.tsv:1:3: pattern word longer than 256 bytes'
lex l_many_words "$(printf 'w %.0s' $(seq 40))\tloaded.x\t1\n"
run_lex l_many_words 1 'l_many_words.tsv:1:65: pattern has more than 32 words'
lex l_invalid_utf8 'non\xffsense\tloaded.x\t1\n'
run_lex l_invalid_utf8 1 'l_invalid_utf8.tsv:1:4: invalid UTF-8'
lex l_nul 'non\0sense\tloaded.x\t1\n'
run_lex l_nul 1 'l_nul.tsv:1:4: NUL byte'
lex l_columns 'nonsense\tloaded.x\t1\tnote\textra\n'
run_lex l_columns 1 'l_columns.tsv:1:25: too many columns'
lex l_empty ''
run_lex l_empty 0 ''
mkdir "$T/nolex"
expect l_no_tsv 1 'nolex: directory holds no lexicon' '' -- \
  report --no-default-lexicons --lexicon "$T/nolex" --format csv "$good"
# duplicates: the later entry wins, and lexicon check says so
lex l_duplicate 'nonsense\tloaded.x\t1\nnonsense\tloaded.x\t2.5\n'
run_lex l_duplicate 0 ''
check "l_duplicate: later weight" grep -q ',author,loaded.x,1,[0-9]*,[0-9.]*,0,2.5000$' "$T/o/l_duplicate.csv"
expect l_duplicate_check 0 '' 'l_duplicate.tsv:2: duplicate: .nonsense. \(loaded.x\) repeats' -- \
  lexicon check "$T/l_duplicate.tsv"
# CRLF and a BOM read as LF
lex l_lf 'nonsense\tloaded.x\t1\n# comment\nsaid\tattribution.neutral\t0\n'
lex l_crlf '\xef\xbb\xbfnonsense\tloaded.x\t1\r\n# comment\r\nsaid\tattribution.neutral\t0\r\n'
run_lex l_lf 0 ''
run_lex l_crlf 0 ''
check "l_crlf: same report as LF" cmp -s "$T/o/l_lf.csv" "$T/o/l_crlf.csv"

# ---- framing models: the same contract ---------------------------------
model() { printf "$2" >"$T/$1.model"; }
run_model() { # NAME STATUS STDERR-ERE
  expect "$1" "$2" "$3" '' -- report "${MINI[@]}" --model "$T/$1.model" \
    --format csv -o "$T/o/$1.csv" "$good"
  if [ "$2" -ne 0 ]; then
    check "$1: no output file" test ! -e "$T/o/$1.csv"
  fi
  check "$1: no temporary file" no_temp
}
for w in nan inf abc 1e999; do
  model "md_weight_$w" "framescore-model 1\ndimension x\n  weight loaded.* $w\n"
  run_model "md_weight_$w" 1 "md_weight_$w.model:3:19: '$w' is not a finite number"
done
model md_missing_value 'framescore-model 1\ndimension x\nweight\n'
run_model md_missing_value 1 "md_missing_value.model:3:7: 'weight' needs 2 values"
# a category glob that covers nothing makes the dimension inactive; CRLF ok
model md_unknown_crlf 'framescore-model 1\r\ndimension x\r\n  weight nosuch.* 1\r\n'
run_model md_unknown_crlf 0 ''
model md_long "framescore-model 1\ndimension x\n  weight $(head -c 5000 /dev/zero | tr '\0' a) 1\n"
run_model md_long 0 ''

# ---- eval, train, actors and counts inputs ------------------------------
# a bad labels line after a good one: once a double free (abort, 134)
printf '101\tLoaded_Language\t32\t46\nbad\n' >"$T/labels_bad.tsv"
expect eval_labels_bad 1 'labels_bad.tsv:2: expected article_id<TAB>technique' \
  '' -- eval --model "$SRC/models/default.model" --format csv \
  --spans "$T/labels_bad.tsv" --articles "$SRC/tests/data/ptc"
printf '101\tLoaded_Language\t32\t46\n101\tLoaded_Language\t46\t32\n' \
  >"$T/labels_order.tsv"
expect eval_labels_order 1 'labels_order.tsv:2: begin and end must be offsets' \
  '' -- eval --model "$SRC/models/default.model" --format csv \
  --spans "$T/labels_order.tsv" --articles "$SRC/tests/data/ptc"

# ---- an output that is an input, or another output: refused (status 2) ---
mkdir "$T/clash"
C=$T/clash
cp "$good" "$C/d.txt"
cp "$SRC/tests/data/mini.tsv" "$C/lex.tsv"
mkdir "$C/lexdir" && cp "$SRC/tests/data/mini.tsv" "$C/lexdir/a.tsv"
cp "$SRC/models/default.model" "$C/m.model"
printf 'path,outlet\nd.txt,a\n' >"$C/man.csv"
ln -s d.txt "$C/link.txt"
CL=(--no-default-lexicons --lexicon "$C/lex.tsv")
same='is the same file as'
clash() { # NAME ERE ARGS...: status 2, the message, every input unchanged
  local name=$1 re=$2
  shift 2
  expect "$name" 2 "$re" '' -- "$@"
  check "$name: inputs unchanged" cmp -s "$C/d.txt" "$good"
  check "$name: lexicon unchanged" cmp -s "$C/lex.tsv" "$SRC/tests/data/mini.tsv"
  check "$name: manifest unchanged" test "$(cat "$C/man.csv")" = "$(printf 'path,outlet\nd.txt,a')"
  check "$name: model unchanged" cmp -s "$C/m.model" "$SRC/models/default.model"
}
clash clash_doc "-o $C/d.txt $same the document $C/d.txt" report "${CL[@]}" "$C/d.txt" -o "$C/d.txt"
clash clash_symlink "-o $C/link.txt $same the document $C/d.txt" report "${CL[@]}" "$C/d.txt" -o "$C/link.txt"
clash clash_dotpath "$same the document $C/./d.txt" report "${CL[@]}" "$C/./d.txt" -o "$C/../clash/d.txt"
clash clash_manifest "-o $C/man.csv $same --manifest" report "${CL[@]}" --manifest "$C/man.csv" -o "$C/man.csv"
clash clash_lexicon "-o $C/lex.tsv $same --lexicon" report "${CL[@]}" "$C/d.txt" --format csv -o "$C/lex.tsv"
clash clash_lexdir "$same --lexicon $C/lexdir/a.tsv" report --no-default-lexicons --lexicon "$C/lexdir" "$C/d.txt" -o "$C/lexdir/a.tsv"
clash clash_model "-o $C/m.model $same --model" report "${CL[@]}" --model "$C/m.model" "$C/d.txt" -o "$C/m.model"
clash clash_save_counts "--save-counts $C/man.csv $same --manifest" compare "${CL[@]}" --manifest "$C/man.csv" --save-counts "$C/man.csv" -o "$T/o/c.txt"
clash clash_matches "--matches $T/o/./x.csv $same -o $T/o/x.csv" report "${CL[@]}" "$C/d.txt" -o "$T/o/x.csv" --matches "$T/o/./x.csv"
check "clash_matches: nothing written" test ! -e "$T/o/x.csv"
"$BIN" compare "${CL[@]}" --model none "$C/d.txt" --save-counts "$C/counts.csv" -o /dev/null 2>/dev/null
clash clash_counts "-o $C/counts.csv $same the input" compare --counts "$C/counts.csv" -o "$C/counts.csv"
printf 'text\tlabel\nnonsense\t1\nsaid\t0\n' >"$C/train.tsv"
clash clash_train "-o $C/train.tsv $same the input" train "${CL[@]}" "$C/train.tsv" -o "$C/train.tsv"
clash clash_eval "-o $C/train.tsv $same --sentences" eval "${CL[@]}" --model "$C/m.model" --sentences "$C/train.tsv" -o "$C/train.tsv"
# documents of a manifest are compared by the duplicate check's stats (one
# stat a document): the first document in manifest order that an output
# replaces is named, with the path as the manifest resolves it
cp "$good" "$C/e1.txt" && cp "$good" "$C/e2.txt"
printf 'path,outlet\ne1.txt,a\ne2.txt,b\nd.txt,a\n' >"$C/man3.csv"
clash clash_manifest_doc "-o $C/d.txt $same the document $C/d.txt" report "${CL[@]}" --manifest "$C/man3.csv" -o "$C/d.txt"
clash clash_manifest_first "--matches $C/e2.txt $same the document $C/e2.txt" report "${CL[@]}" --manifest "$C/man3.csv" -o "$C/d.txt" --matches "$C/e2.txt"
check "clash_manifest_first: e1, e2 unchanged" sh -c "cmp -s '$C/e1.txt' '$good' && cmp -s '$C/e2.txt' '$good'"
clash clash_model_before_doc "-o $C/m.model $same --model" report "${CL[@]}" --model "$C/m.model" --manifest "$C/man3.csv" --matches "$C/e1.txt" -o "$C/m.model"
expect clash_manifest_none 0 '' '' -- report "${CL[@]}" --manifest "$C/man3.csv" -o "$T/o/m3.txt"
# outputs that are devices are written in place, never compared
expect clash_devnull 0 '' '' -- report "${CL[@]}" "$C/d.txt" -o /dev/null --matches /dev/null

# ---- interrupted runs: the temporary output is removed, the signal kept ----
# (the run reads stdin from a FIFO, so it is still running when signalled;
# env --default-signal: a background job's SIGINT would be ignored)
mkfifo "$T/sig.fifo"
mkdir "$T/sig"
for sig in INT TERM HUP; do
  env --default-signal="$sig" "$BIN" report "${MINI[@]}" --format csv \
    -o "$T/sig/out.csv" - <"$T/sig.fifo" 2>/dev/null &
  pid=$!
  exec 9>"$T/sig.fifo"
  for _ in $(seq 100); do
    [ -n "$(ls "$T/sig")" ] && break
    sleep 0.1
  done
  check "signal $sig: the temporary file was made" test -n "$(ls "$T/sig")"
  kill -s "$sig" "$pid"
  wait "$pid"
  st=$?
  exec 9>&-
  check "signal $sig: killed by it (status $st)" test "$st" -eq $((128 + $(kill -l "$sig")))
  check "signal $sig: no temporary file left" test -z "$(ls "$T/sig")"
done

# ---- models, lexicon folders and counts files: regular files within a cap --
mkdir "$T/in"
I=$T/in
mkfifo "$I/fifo.model"
expect model_device 1 '/dev/zero: not a regular file' '' -- report "${MINI[@]}" --model /dev/zero "$good"
expect model_fifo 1 'fifo.model: not a regular file' '' -- report "${MINI[@]}" --model "$I/fifo.model" "$good"
truncate -s 100M "$I/big.model"
expect model_big 1 'big.model: 104857600 bytes, larger than the model file limit \(67108864\)' '' -- \
  report "${MINI[@]}" --model "$I/big.model" "$good"
mkdir "$I/models"
ln -s /dev/zero "$I/models/default.model"
FRAMESCORE_MODELS=$I/models timeout 20 "$BIN" report "${MINI[@]}" "$good" >/dev/null 2>"$I/env.err"
check "default model -> /dev/zero: status 1" test $? -eq 1
check "default model -> /dev/zero: named" grep -q 'default.model: not a regular file' "$I/env.err"
for kind in zero fifo big; do
  mkdir "$I/lex_$kind"
  cp "$SRC/tests/data/mini.tsv" "$I/lex_$kind/a.tsv"
done
ln -s /dev/zero "$I/lex_zero/z.tsv"
mkfifo "$I/lex_fifo/x.tsv"
truncate -s 100M "$I/lex_big/x.tsv"
expect lexdir_zero 1 'lex_zero/z.tsv: not a regular file' '' -- report --no-default-lexicons --lexicon "$I/lex_zero" "$good"
expect lexdir_fifo 1 'lex_fifo/x.tsv: not a regular file' '' -- report --no-default-lexicons --lexicon "$I/lex_fifo" "$good"
expect lexdir_big 1 'lex_big/x.tsv: 104857600 bytes, larger than the lexicon file limit' '' -- \
  report --no-default-lexicons --lexicon "$I/lex_big" "$good"
expect lexcheck_zero 1 'lex_zero/z.tsv: not a regular file' '' -- lexicon check "$I/lex_zero"
expect counts_device 1 '/dev/zero: not a regular file' '' -- compare --counts /dev/zero
expect counts_fifo 1 'fifo.model: not a regular file' '' -- compare --counts "$I/fifo.model"
timeout 20 "$BIN" compare --counts - </dev/zero >/dev/null 2>"$I/stdin.err"
check "counts - < /dev/zero: status 1" test $? -eq 1
check "counts - < /dev/zero: named" grep -q -- '-: a record longer than 65536 bytes' "$I/stdin.err"
{ printf 'file,outlet,voice,measure,kind,scale,token_tests,words,count,den\n'; head -c 5000000 /dev/zero | tr '\0' a; } >"$I/long.csv"
expect counts_long_record 1 'long.csv: a record longer than 65536 bytes' '' -- compare --counts "$I/long.csv"

# ---- an existing output keeps its mode, its links and a read-only guard ----
mkdir "$T/perm"
P=$T/perm
touch "$P/private.csv" && chmod 600 "$P/private.csv"
expect perm_mode 0 '' '' -- report "${MINI[@]}" --format csv -o "$P/private.csv" "$good"
check "perm_mode: 0600 kept" test "$(stat -c %a "$P/private.csv")" = 600
touch "$P/target.csv" && ln -s target.csv "$P/link.csv"
expect perm_link 0 '' '' -- report "${MINI[@]}" --format csv -o "$P/link.csv" "$good"
check "perm_link: still a symlink" test -L "$P/link.csv"
check "perm_link: written through it" test -s "$P/target.csv"
ln -s nowhere.csv "$P/dangling.csv"
expect perm_dangling 1 'dangling.csv: cannot write output: a symlink to a file that does not exist' '' -- \
  report "${MINI[@]}" -o "$P/dangling.csv" "$good"
check "perm_dangling: nothing made" test ! -e "$P/nowhere.csv"
printf 'keep\n' >"$P/readonly.csv" && chmod 444 "$P/readonly.csv"
if [ "$(id -u)" -ne 0 ]; then
  expect perm_readonly 1 'readonly.csv: cannot write output: Permission denied' '' -- \
    report "${MINI[@]}" -o "$P/readonly.csv" "$good"
  check "perm_readonly: unchanged" test "$(cat "$P/readonly.csv")" = keep
else # root may replace it, as with cp; the mode stays
  expect perm_readonly 0 '' '' -- report "${MINI[@]}" --format csv -o "$P/readonly.csv" "$good"
  check "perm_readonly: 0444 kept" test "$(stat -c %a "$P/readonly.csv")" = 444
fi

# ---- numbers: weights bounded at load; every output reads back -----------
mkdir "$T/num"
N=$T/num
printf 'nonsense\tloaded.x\t1.7e308\n' >"$N/huge.tsv"
expect weight_huge 1 "huge.tsv:1:[0-9]+: weight '1.7e308' is outside -1e6 to 1e6" '' -- \
  report --no-default-lexicons --lexicon "$N/huge.tsv" "$good"
model md_weight_huge 'framescore-model 1\ndimension x\n  weight loaded.* 1e300\n'
run_model md_weight_huge 1 "md_weight_huge.model:3:19: '1e300' is outside -1e6 to 1e6"
# the largest weights, many matches: JSONL is JSON, CSV is CSV, counts read back
printf 'nonsense\tloaded.x\t1e6\nnonsense\tloaded.y\t-1e6\nregime\tlabel.p\t1e6\n' >"$N/max.tsv"
for i in $(seq 2000); do printf 'nonsense regime nonsense. '; done >"$N/d1.txt"
printf 'said nothing\n' >"$N/d2.txt"
NL=(--no-default-lexicons --lexicon "$N/max.tsv" --model none)
"$BIN" report "${NL[@]}" --format jsonl -o "$N/r.jsonl" --matches "$N/m.csv" "$N/d1.txt" "$N/d2.txt"
check "max weights: report runs" test $? -eq 0
"$BIN" report "${NL[@]}" --format csv -o "$N/r.csv" "$N/d1.txt" "$N/d2.txt"
"$BIN" compare "${NL[@]}" --format jsonl --bootstrap 50 -o "$N/c.jsonl" \
  --save-counts "$N/counts.csv" "$N/d1.txt" "$N/d2.txt"
check "max weights: compare runs" test $? -eq 0
"$BIN" compare --format csv --bootstrap 50 -o "$N/c.csv" --counts "$N/counts.csv"
check "max weights: counts read back" test $? -eq 0
"$BIN" compare --format jsonl --bootstrap 50 -o "$N/c2.jsonl" --counts "$N/counts.csv"
check "max weights: same statistics from the counts" cmp -s "$N/c.jsonl" "$N/c2.jsonl"
"$BIN" terms --no-default-lexicons --lexicon "$N/max.tsv" --format jsonl -o "$N/t.jsonl" "$N/d1.txt" "$N/d2.txt"
if command -v python3 >/dev/null; then
  check "max weights: every JSONL line is strict JSON" python3 -c '
import json, sys
def bad(c): raise ValueError(c)
for f in sys.argv[1:]:
    for line in open(f, encoding="utf-8"):
        json.loads(line, parse_constant=bad)
' "$N/r.jsonl" "$N/c.jsonl" "$N/t.jsonl"
  check "max weights: every CSV has rows of the header's width" python3 -c '
import csv, sys
for f in sys.argv[1:]:
    rows = list(csv.reader(open(f, encoding="utf-8", newline="")))
    assert rows and all(len(r) == len(rows[0]) for r in rows), f
' "$N/r.csv" "$N/m.csv" "$N/c.csv" "$N/counts.csv"
fi

# ---- --excel-safe: formula-like text cells get a ', numbers do not -------
mkdir "$T/xl"
printf 'Officials called it nonsense, Kirby said.\n' >"$T/xl/=cmd.txt"
printf 'path,outlet\n=cmd.txt,"=HYPERLINK(""http://x"")"\n' >"$T/xl/m.csv"
printf 'nonsense\tloaded.x\t-1\n' >"$T/xl/neg.tsv"
XL=(--no-default-lexicons --lexicon "$T/xl/neg.tsv" --model none --manifest "$T/xl/m.csv")
expect excel_safe 0 '' "^'?\\./=cmd.txt|'=HYPERLINK" -- report "${XL[@]}" --format csv --excel-safe
check "excel_safe: outlet guarded" grep -q "\"'=HYPERLINK(\"\"http://x\"\")\"" "$T/excel_safe.out"
check "excel_safe: negative weight sum still a number" grep -q ',-1.0000$' "$T/excel_safe.out"
expect excel_plain 0 '' 'HYPERLINK' -- report "${XL[@]}" --format csv
check "excel_safe: only the ' added" cmp -s <(tr -d "'" <"$T/excel_safe.out") "$T/excel_plain.out"
expect excel_matches 0 '' '' -- report "${XL[@]}" --format csv --excel-safe -o /dev/null --matches "$T/o/xm.csv"
check "excel_matches: guarded" grep -q "'=HYPERLINK" "$T/o/xm.csv"

# ---- control bytes in names never reach a terminal raw ------------------
mkdir "$T/esc"
E=$T/esc
evil=$(printf 'evil\033]0;pwned\007\033[2J.txt')
cp "$good" "$E/$evil"
printf 'path,outlet\n%s,"%s"\n' "$evil" "$(printf 'out\033[31mlet\302\233x')" >"$E/m.csv"
has_raw() { LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1"; }
expect esc_report 0 '' 'evil\\x1B\]0;pwned\\x07\\x1B\[2J\.txt  \[out\\x1B\[31mlet\\xC2\\x9Bx\]' -- \
  report "${MINI[@]}" --model none --manifest "$E/m.csv"
check "esc_report: no raw control byte" eval '! has_raw "$T/esc_report.out"'
expect esc_stderr 1 'no\\x1B\[2Jsuch: No such file' '' -- report "${MINI[@]}" --format csv -o "$T/o/esc.csv" "$(printf 'no\033[2Jsuch')"
check "esc_stderr: no raw control byte" eval '! has_raw "$T/esc_stderr.err"'
expect esc_compare 0 '' 'out\\x1B\[31mlet' -- compare "${MINI[@]}" --model none --bootstrap 10 --manifest "$E/m.csv"
check "esc_compare: no raw control byte" eval '! has_raw "$T/esc_compare.out"'

# ---- one file under two names is one document, listed twice: an error ----
mkdir -p "$T/dup/sub"
cp "$good" "$T/dup/b.txt"
ln -s b.txt "$T/dup/link.txt"
printf 'path,outlet\nb.txt,x\nsub/../b.txt,y\n' >"$T/dup/m.csv"
expect dup_dot 1 "'$T/dup/./b.txt' is the same file as '$T/dup/b.txt': a document is counted once" '' -- \
  report "${MINI[@]}" --format csv "$T/dup/b.txt" "$T/dup/./b.txt"
expect dup_link 1 "'$T/dup/link.txt' is the same file as '$T/dup/b.txt'" '' -- \
  report "${MINI[@]}" --format csv "$T/dup/b.txt" "$T/dup/link.txt"
expect dup_manifest 1 "m.csv:3: '$T/dup/sub/../b.txt' is the same file as '$T/dup/b.txt' \(line 2\)" '' -- \
  compare "${MINI[@]}" --manifest "$T/dup/m.csv"
# a large manifest is stat'ed by --threads threads, a part each (clash.c):
# the same duplicate found at any thread count, whichever parts its two
# names fall in (a file missing is left to the documents' read)
mkdir -p "$T/dupmany/sub"
for i in $(seq 1 1600); do echo "doc $i nonsense" >"$T/dupmany/d$i.txt"; done
ln -s d1400.txt "$T/dupmany/l1400.txt"
dupmany() { # NAME LINE...: a manifest of the 1,600 files, then LINE...
  local name=$1
  shift
  {
    echo path,outlet
    for i in $(seq 1 1600); do echo "d$i.txt,x"; done
    printf '%s\n' "$@"
  } >"$T/dupmany/$name.csv"
}
dupmany across missing.txt,y ./d10.txt,y
dupmany last missing.txt,y l1400.txt,y
dupmany first sub/../d3.txt,y
D=$T/dupmany
for t in 1 2 3; do
  expect "dup_across_t$t" 1 "across.csv:1603: '$D/./d10.txt' is the same file as '$D/d10.txt' \(line 11\)" '' -- \
    report "${MINI[@]}" --format csv --threads $t --manifest "$D/across.csv"
  expect "dup_last_t$t" 1 "last.csv:1603: '$D/l1400.txt' is the same file as '$D/d1400.txt' \(line 1401\)" '' -- \
    report "${MINI[@]}" --format csv --threads $t --manifest "$D/last.csv"
  expect "dup_first_t$t" 1 "first.csv:1602: '$D/sub/../d3.txt' is the same file as '$D/d3.txt' \(line 4\)" '' -- \
    report "${MINI[@]}" --format csv --threads $t --manifest "$D/first.csv"
done

# ---- LIWC names made unique never merge two categories ------------------
printf '%%\n1\ta\n2\ta_3\n3\ta\n%%\nfoo\t1\nbar\t2\nbaz\t3\n' >"$T/collide.dic"
expect liwc_collision 0 '' \
  "categories 1 and 3 are both named 'a'; category 3 is called 'a_3_2'" -- lexicon check "$T/collide.dic"
check "liwc_collision: 3 categories" grep -q 'in 3 categories' "$T/liwc_collision.out"

# ---- --outlet-from: a backreference (exponential in glibc) is refused ----
expect outlet_backref 2 'backreferences \(\\1\) are not supported' '' -- \
  report "${MINI[@]}" --outlet-from '^(a*)*\1$' "$good"

# ---- lexicon check prints names and patterns: no control byte raw --------
mkdir "$T/lexesc"
lexesc=$T/lexesc/$(printf 'l\033[31m.tsv')
printf 'non\033]0;x\007sense\tloaded.x\t1\nnon\033]0;x\007sense\tloaded.x\t2\nnon\302\233sensical\tloaded.x\t1\nnon\302\233sensical\tloaded.x\t3\n' >"$lexesc"
expect lexicon_check_esc 0 '' "l\\\\x1B\[31m\.tsv:2: duplicate: 'non\\\\x1B\]0;x\\\\x07sense' \(loaded\.x\) repeats" -- \
  lexicon check "$lexesc"
check "lexicon_check_esc: a C1 control escaped" grep -q "'non\\\\xC2\\\\x9Bsensical'" "$T/lexicon_check_esc.out"
check "lexicon_check_esc: no raw control byte" eval '! has_raw "$T/lexicon_check_esc.out"'
check "lexicon_check_esc: no raw C1 control" eval '! LC_ALL=C grep -q "$(printf "\302\233")" "$T/lexicon_check_esc.out"'
printf '%%\n1\tgood\n%%\nfoo\tx\033[2J\nbar\t1\n' >"$T/lexesc/esc.dic"
expect lexicon_check_liwc_esc 0 '' "esc\.dic:4:5: warning: 'x\\\\x1B\[2J' is not a category number" -- \
  lexicon check "$T/lexesc/esc.dic"
check "lexicon_check_liwc_esc: no raw control byte" eval '! has_raw "$T/lexicon_check_liwc_esc.out"'
# the filter still reports a failed write
if [ -w /dev/full ]; then
  timeout 60 "$BIN" lexicon check "$lexesc" >/dev/full 2>"$T/lexicon_check_full.err"
  check "lexicon_check_full: exit 1" test $? -eq 1
  check "lexicon_check_full: says so" grep -q 'writing output failed' "$T/lexicon_check_full.err"
fi

# ---- a model's lines never come from a file name or a label (item 14) ----
# train copies the input's name and --positive into the model's comments
# and its about line: a newline or CR in them must not start a line that
# the model parser reads as a weight
mkdir "$T/inj"
evl=$(printf 'yes\r\n  weight stem:said 1000\n  weight loaded.* 99')
awk -F'\t' -v y="$evl" 'NR == 1 { print "text,label"; next }
  { gsub(/"/, "\"\"", $1); printf "\"%s\",\"%s\"\n", $1, ($2 == 1 ? y : "no") }' \
  "$SRC/tests/data/labelled.tsv" >"$T/inj/$(printf 'lab\r\n  weight stem:said 2000\n.csv')"
expect train_name_inject 0 '' 'framescore train: 24 texts \(12 positive' -- train \
  "$T/inj/$(printf 'lab\r\n  weight stem:said 2000\n.csv')" --folds 3 \
  --positive "$evl" -o "$T/inj/m.model"
check "train_name_inject: no weight line from the name or label" \
  eval '! grep -Eq "^[[:space:]]*weight[[:space:]]+(stem:said[[:space:]]+[12]000|loaded\.\*[[:space:]]+99)" "$T/inj/m.model"'
check "train_name_inject: no CR in the model" eval '! grep -q "$(printf "\r")" "$T/inj/m.model"'
check "train_name_inject: the about line keeps the name on one line" \
  grep -Eq '^  about +probability that label = yes +weight stem:said 1000 +weight loaded\.\* 99, trained on lab +weight stem:said 2000 \.csv$' "$T/inj/m.model"
expect train_name_model 0 '' '' -- report "${MINI[@]}" --model "$T/inj/m.model" \
  --format csv -o "$T/o/inj.csv" "$good"
# the same model as from a plain name and label, but for those lines
awk -F'\t' 'NR == 1 { print "text,label"; next }
  { gsub(/"/, "\"\"", $1); printf "\"%s\",%s\n", $1, ($2 == 1 ? "yes" : "no") }' \
  "$SRC/tests/data/labelled.tsv" >"$T/inj/plain.csv"
expect train_plain 0 '' '^pooled,24,12,' -- train "$T/inj/plain.csv" --folds 3 --positive yes \
  -o "$T/inj/plain.model" --format csv
check "train_name_inject: the same weights as from a plain name" \
  cmp -s <(grep -v '^#\|^  about ' "$T/inj/m.model") <(grep -v '^#\|^  about ' "$T/inj/plain.model")

echo "$pass passed, $fail failed"
test $fail -eq 0
