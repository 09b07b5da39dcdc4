#!/usr/bin/env bash
# cases_test.sh BIN CASES_DIR - runs the behaviour cases kept as data in
# CASES_DIR (format in CASES_DIR/README.md) against the framescore binary:
#   voice.tsv      scare_quotes<TAB>[quoted_words<TAB>]text (English)
#   voice_LL.tsv   the same for language LL (ru: --lang russian)
# how many scare quotes the text has and, when given, how many of its words
# are quoted speech. A literal \n in a text is a paragraph break.
#   *.txt          records of a lexicon, a text and the matches and counts
# that must come out, read through report --format jsonl --matches (token
# lines and the bom count are for the library runner, tests/cases_lib.c,
# since the program does not show tokens); readme: lines must be in the
# README as written.
# Prints one FAIL line per case that does not hold, with its line number.
set -u
BIN=$1
DIR=$2
pass=0 fail=0
for file in "$DIR"/voice*.tsv; do
  name=${file##*/}
  lang=()
  case $name in
  voice_ru.tsv) lang=(--lang russian) ;;
  voice_*.tsv) echo "FAIL: $name: no language known for it"; fail=$((fail + 1)); continue ;;
  esac
  lineno=0
  while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    case $line in '#'* | '') continue ;; esac
    want=${line%%$'\t'*}
    text=${line#*$'\t'}
    want_q=
    rest=${text%%$'\t'*}
    if [ "$rest" != "$text" ] && [[ $rest =~ ^[0-9]+$ ]]; then
      want_q=$rest
      text=${text#*$'\t'}
    fi
    json=$(printf '%s\n' "${text//\\n/$'\n'}" |
      "$BIN" report "${lang[@]}" --format jsonl -)
    got=$(printf '%s' "$json" | grep -o '^{[^[]*"scare_quotes":[0-9]*' | sed 's/.*://')
    got_q=$(printf '%s' "$json" | grep -o '^{[^[]*"quote_words":[0-9]*' | sed 's/.*://')
    if [ "$got" = "$want" ] && { [ -z "$want_q" ] || [ "$got_q" = "$want_q" ]; }; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "FAIL: $name:$lineno: want $want scare quotes${want_q:+ and $want_q quoted words}, got ${got:-none}${want_q:+ and ${got_q:-none}}: $text"
    fi
  done < "$file"
done

# ---- *.txt records ----------------------------------------------------------
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
README=$DIR/../../README.md

# Splits $1 into the array W: words, "quoted words" (\" and \\ inside).
split_words() {
  local s=$1 w= q=0 c i have=0
  W=()
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    if ((q)) && [ "$c" = '\\' ] && [[ ${s:i+1:1} == [\"\\] ]]; then
      w+=${s:i+1:1} i=$((i + 1))
    elif [ "$c" = '"' ]; then
      q=$((!q)) have=1
    elif ((!q)) && [[ $c == [\ $'\t'] ]]; then
      ((have)) && W+=("$w")
      w= have=0
    else
      w+=$c have=1
    fi
  done
  ((have)) && W+=("$w")
}

# The matches CSV as category US surface US voice US negated US negator US
# intensifier lines (US = \x1f; empty negator/intensifier: none).
matches_table() {
  awk '
    function parse(line,   i, c, f, q, n) {
      n = 0; f = ""; q = 0
      for (i = 1; i <= length(line); i++) {
        c = substr(line, i, 1)
        if (q) {
          if (c == "\"") {
            if (substr(line, i + 1, 1) == "\"") { f = f "\""; i++ } else q = 0
          } else f = f c
        } else if (c == "\"") q = 1
        else if (c == ",") { F[++n] = f; f = "" }
        else f = f c
      }
      F[++n] = f
      return n
    }
    NR == 1 { n = parse($0); for (i = 1; i <= n; i++) col[F[i]] = i; next }
    {
      parse($0)
      neg = F[col["negator"]]; ins = F[col["intensifier"]]
      printf "%s\037%s\037%s\037%s\037%s\037%s\n", F[col["category"]],
        F[col["surface"]], F[col["voice"]], F[col["negated"]],
        neg == "" ? "none" : neg, ins == "" ? "none" : ins
    }' "$1"
}

# One case: lexicon $lexname, text lines in T, check lines in C (with their
# line numbers in CL). Appends to pass/fail.
run_case() {
  local file=$1 name=${1##*/} args=(--model none --format jsonl --quiet) k
  local lang=${LEXLANG[$lexname]:-} ok=1
  if [ -z "$lexname" ] || [ -z "$lang" ]; then
    echo "FAIL: $name:$case_line: no lexicon for this case"
    fail=$((fail + 1))
    return
  fi
  args+=(--lang "$lang")
  if [ "$lexname" != default ]; then
    printf '%s' "${LEXTEXT[$lexname]}" > "$tmp/$lexname.tsv"
    args+=(--no-default-lexicons --lexicon "$tmp/$lexname.tsv")
  fi
  local IFS=$'\n'
  printf '%b' "${T[*]}" > "$tmp/doc.txt"
  IFS=$' \t\n'
  if ! "$BIN" report "${args[@]}" --matches "$tmp/m.csv" "$tmp/doc.txt" \
    > "$tmp/o.json" 2> "$tmp/err"; then
    echo "FAIL: $name:$case_line: report failed: $(head -c 300 "$tmp/err")"
    fail=$((fail + 1))
    return
  fi
  matches_table "$tmp/m.csv" > "$tmp/m.tsv"
  local head
  head=$(sed 's/"categories":.*//' "$tmp/o.json")
  declare -A seen=()
  for k in "${!C[@]}"; do
    local line=${C[k]} at="$name:${CL[k]}" why=
    split_words "$line"
    case ${W[0]} in
    count)
      local got
      got=$(awk -F $'\037' -v c="${W[1]}" '$1 == c' "$tmp/m.tsv" | wc -l)
      [ "$got" -eq "${W[2]}" ] || why="$got matches, want ${W[2]}"
      ;;
    match)
      local n=${seen[${W[1]}]:-0} row
      seen[${W[1]}]=$((n + 1))
      row=$(awk -F $'\037' -v c="${W[1]}" -v n="$n" '$1 == c && k++ == n' \
        "$tmp/m.tsv")
      if [ -z "$row" ]; then
        why="fewer matches of ${W[1]}"
      else
        local cat surface voice negated negator intensifier kv key val
        IFS=$'\037' read -r cat surface voice negated negator intensifier \
          <<< "$row"
        [ "$surface" = "${W[2]}" ] || why="surface '$surface', want '${W[2]}'"
        for kv in "${W[@]:3}"; do
          key=${kv%%=*} val=${kv#*=}
          case $key in
          voice) got=$voice ;; negated) got=$negated ;;
          negator) got=$negator ;; intensifier) got=$intensifier ;;
          *) got="(unknown key)" ;;
          esac
          [ "$got" = "$val" ] || why+=" $key=$got, want $val"
        done
      fi
      ;;
    nomatch)
      if cut -d $'\037' -f2 "$tmp/m.tsv" | grep -qxF -- "${W[1]}"; then
        why="'${W[1]}' matched"
      fi
      ;;
    doc)
      local kv key val op got
      for kv in "${W[@]:1}"; do
        key=${kv%%=*} val=${kv#*=} op='='
        [ "${key%>}" != "$key" ] && key=${key%>} op='>='
        [ "$key" = bom ] && continue # library only
        got=$(printf '%s' "$head" | grep -o "\"$key\":[0-9.]*" | head -1)
        got=${got#*:}
        if [ -z "$got" ]; then
          why+=" unknown key $key"
        elif ! awk -v g="$got" -v w="$val" -v o="$op" \
          'BEGIN { exit !(o == "=" ? (g - w < 5e-5 && w - g < 5e-5) : g >= w) }'; then
          why+=" $key = $got, want $op $val"
        fi
      done
      ;;
    token) ;; # library only
    readme:)
      grep -qF -- "${line#readme: }" "$README" ||
        why="not in README.md: ${line#readme: }"
      ;;
    *) why="cannot read this line" ;;
    esac
    if [ -n "$why" ]; then
      echo "FAIL: $at: $line: ${why# }"
      ok=0
    fi
  done
  if ((ok)); then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}

for file in "$DIR"/*.txt; do
  declare -A LEXLANG=() LEXTEXT=()
  lexname= mode= lineno=0
  T=() C=() CL=()
  while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    case $line in '#'*) continue ;; esac
    if [ -z "$line" ]; then
      [ "$mode" = case ] && run_case "$file"
      mode=
      continue
    fi
    case $mode in
    lexicon) LEXTEXT[$lexname]+="$line"$'\n' ;;
    case)
      case $line in
      'text:'*) t=${line#text:}; T+=("${t# }") ;;
      'use '*) lexname=${line#use } ;;
      *) C+=("$line"); CL+=("$lineno") ;;
      esac
      ;;
    *)
      case $line in
      'lexicon '*)
        read -r _ lexname lang <<< "$line"
        LEXLANG[$lexname]=$lang LEXTEXT[$lexname]=
        mode=lexicon
        ;;
      'case '*) mode=case case_line=$lineno T=() C=() CL=() ;;
      *) echo "FAIL: ${file##*/}:$lineno: cannot read this line"; fail=$((fail + 1)) ;;
      esac
      ;;
    esac
  done < "$file"
  [ "$mode" = case ] && run_case "$file"
  unset LEXLANG LEXTEXT
done

echo "$pass passed, $fail failed"
test $fail -eq 0
