#!/bin/bash
# person_forms.sh - how Russian person nouns are best listed in the class
# class.person (lexicons/README.md): the phrases of
# tests/data/ru_person/phrases.txt (written for framescore: an evaluative
# adjective before a person noun in each case, and before other words) run
# through the default Russian lexicons with four persons.tsv variants made
# from the shipped one: exact nominative forms (the first two of each line's
# note), exact forms of every note (about 465), stems of every line (the '='
# dropped), and the shipped mix. Prints a Markdown table: person phrases
# found (TP of "+" and "?" lines) and other phrases taken (FP of "-" lines).
#
#   bench/person_forms.sh            FS=path/to/framescore (build/framescore)
set -eu
FS=${FS:-build/framescore}
SRC=$(cd "$(dirname "$0")/.." && pwd)
PH=$SRC/tests/data/ru_person/phrases.txt
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
grep '^[-+?] ' "$PH" > "$T/lab.txt"
cut -c3- "$T/lab.txt" | awk '{ print $0 "\n" }' > "$T/doc.txt"
P=$SRC/lexicons/ru/persons.tsv
variant() { # NAME AWK-PROGRAM
  mkdir -p "$T/$1"
  cp "$SRC"/lexicons/ru/*.tsv "$T/$1/"
  awk -F'\t' "/^#/ || !NF { next } $2" "$P" | awk '!s[$0]++' > "$T/$1/persons.tsv"
}
variant nominative '{ n = split($4, f, ", "); for (i = 1; i <= n && i <= 2; i++) print "=" f[i] "\tclass.person\t0\t" f[i] }'
variant exact '{ n = split($4, f, ", "); for (i = 1; i <= n; i++) print "=" f[i] "\tclass.person\t0\t" f[i] }'
variant stems '{ p = $1; sub(/^=/, "", p); print p "\tclass.person\t0\t" $4 }'
variant shipped '{ print }'
echo "| persons.tsv | lines | person phrases found | other phrases taken |"
echo "|---|---:|---:|---:|"
for v in nominative exact stems shipped; do
  "$FS" report --lang russian --no-default-lexicons --lexicon "$T/$v" \
    "$T/doc.txt" --matches - -o /dev/null |
    awk -F, '$11 == "label.pejorative" && $14 == "0.0000" { print ($7 + 1) / 2 }' |
    sort -un > "$T/hit"
  awk -v v="$v" -v n="$(grep -c . "$T/$v/persons.tsv")" '
    NR == FNR { h[$1] = 1; next }
    { s = substr($0, 1, 1); p = FNR in h
      if (s == "-") { neg++; fp += p } else { pos++; tp += p } }
    END { printf "| %s | %d | %d of %d | %d of %d |\n", v, n, tp, pos, fp, neg }' \
    "$T/hit" "$T/lab.txt"
done
