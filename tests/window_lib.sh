# shellcheck shell=bash
# window_lib.sh - what the --window-bytes tests share, sourced after lib.sh
# (. "$(dirname "$0")/window_lib.sh"): long invented documents, and runs of
# a command whole and in windows whose outputs must be byte for byte the
# same. Uses lib.sh's $T and check, and $BIN.

# window_doc STYLE SEED PARAS OPEN_P INDENT_P NOPEN TEXT...: a long document
# on stdout, PARAS paragraphs of 1 to 4 sentences drawn at random (awk's
# rand() from srand(SEED)) from the TEXTs after the first NOPEN. Those NOPEN
# are openers: a paragraph opens with opener i when a draw r falls in
# [i * OPEN_P, (i + 1) * OPEN_P), a quotation that runs on into the next
# paragraph. STYLE blank: paragraphs between blank lines; lines: a
# paragraph per line; wrapped: hard-wrapped lines (" And then" ends each
# but the last), paragraphs between blank lines. INDENT_P > 0: two spaces
# open the next paragraph with that probability.
window_doc() {
  awk -v style="$1" -v seed="$2" -v paras="$3" -v open_p="$4" \
    -v indent_p="$5" -v nopen="$6" 'BEGIN {
    srand(seed)
    n = 0
    for (i = 7; i < ARGC; i++)
      if (i - 7 < nopen) o[i - 7] = ARGV[i]
      else p[n++] = ARGV[i]
    for (i = 0; i < paras; i++) {
      k = 1 + int(rand() * 4); r = rand(); line = ""
      for (q = 0; q < nopen; q++)
        if (r >= q * open_p && r < (q + 1) * open_p) line = o[q]
      for (j = 0; j < k; j++) {
        line = line (line == "" ? "" : " ") p[int(rand() * n)]
        if (style == "wrapped" && j + 1 < k) line = line " And then\n"
      }
      printf "%s\n", line
      if (style != "lines") printf "\n"
      if (indent_p > 0 && rand() < indent_p) printf "  "
    }
  }' "$@"
}

# news_doc STYLE SEED PARAS: window_doc of invented news sentences with
# loaded words, quotations (continued across paragraphs, scare quotes,
# curly and guillemet quotes), multi-byte UTF-8, bad bytes, abbreviations
# and numbers; paragraphs may open with two spaces.
news_doc() {
  window_doc "$1" "$2" "$3" 0.16666666666666666 0.2 2 \
    '"The regime is very shameful, and it goes on,' \
    $'\342\200\234Thugs, she claimed, ruined everything' \
    'The regime claimed the report was nonsense and a disgrace.' \
    '"It is an utterly shameful catastrophe," the minister insisted.' \
    'Critics called the plan a "reform" of sorts, so-called experts agreed.' \
    "The so-called 'rogue' states were not mentioned; it's absurd, they said." \
    $'In the \'90s the caf\303\251 in Z\303\274rich was na\303\257ve about thugs.' \
    $'Officials \342\200\224 and their \302\253friends\302\273 \342\200\224 raved about it.' \
    $'A bad byte \377 here and \303( there did not stop the propaganda.' \
    $'Emoji \360\237\230\200 and \346\235\261\344\272\254 appear; the junta boasted so.' \
    $'They said \342\200\230not true\342\200\231 and \342\200\234very shameful\342\200\235 at once.' \
    'Numbers like 3.5 and 1,200 and U.S. abbreviations allegedly end here.'
}

# news_corpus: $T/c with outlets a and b: news_doc documents of 300-400
# paragraphs (blank, CRLF, a paragraph per line, hard-wrapped) and a short
# one; checks that they are long.
news_corpus() {
  mkdir -p "$T/c/a" "$T/c/b"
  news_doc blank 1 400 > "$T/c/a/blank.txt"
  news_doc blank 2 300 | sed 's/$/\r/' > "$T/c/a/crlf.txt"
  news_doc lines 3 400 > "$T/c/b/lines.txt"
  news_doc wrapped 4 300 > "$T/c/b/wrapped.txt"
  printf 'A short one: the regime claimed "nonsense".\n' > "$T/c/b/short.txt"
  check "generated documents are long" \
    test "$(wc -c < "$T/c/a/blank.txt")" -gt 40000
}

# windowed NAME WINDOW THREADS ARGS...: $BIN ARGS... --window-bytes WINDOW
# --threads THREADS $CORPUS (default $T/c): its output, "rc=" its exit
# status, its messages and the files of $T named in $SIDES (each removed
# after) into $T/NAME.WINDOW.THREADS.
windowed() {
  local name=$1 w=$2 t=$3 f
  shift 3
  "$BIN" "$@" --window-bytes "$w" --threads "$t" "${CORPUS:-$T/c}" \
    > "$T/out" 2> "$T/err"
  echo "rc=$?" >> "$T/out"
  cat "$T/err" >> "$T/out"
  for f in ${SIDES:-}; do
    [ -f "$T/$f" ] && cat "$T/$f" >> "$T/out"
    rm -f "$T/$f"
  done
  mv "$T/out" "$T/$name.$w.$t"
}

# same_as_whole NAME "WINDOWS" "THREADS" ARGS...: windowed whole (window 0,
# one thread) into $T/NAME.0.1, then in each window size and thread count,
# a check each that the output is the whole's.
same_as_whole() {
  local name=$1 ws=$2 ts=$3 w t
  shift 3
  windowed "$name" 0 1 "$@"
  for w in $ws; do
    for t in $ts; do
      windowed "$name" "$w" "$t" "$@"
      check "$name: windows of $w bytes, $t threads = whole" \
        cmp -s "$T/$name.0.1" "$T/$name.$w.$t"
    done
  done
}

# peak_kb OUT ARGS...: $BIN ARGS... with its output into OUT and its
# messages dropped; prints its peak RSS in KB (GNU time: callers check for
# /usr/bin/time first).
peak_kb() {
  local out=$1
  shift
  /usr/bin/time -f '%M' -o "$T/rss" "$BIN" "$@" > "$out" 2> /dev/null
  cat "$T/rss"
}
