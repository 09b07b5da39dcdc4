#!/usr/bin/env bash
# lexicon_forms_test.sh BIN LEXDIR LANG - every entry of the lexicons in
# LEXDIR lists example forms at the start of its note (comma-separated, up
# to the first ';': "заявил, заявила, заявили; comment"), and each form,
# standing alone, must be matched whole by that entry in language LANG. This
# checks the Snowball stems (and globs, exact forms, spelling keys) of every
# entry against the inflected forms it is meant to catch, and that no other
# entry of the family takes the form from it. A class.person line's forms
# must be words of the class (a probe entry flagged person matches before
# each: "xprobe чиновникам"); an entry flagged person is tried before a
# probe class word ("лживых xperson"). Also: `lexicon check` reports no
# duplicates and no stem collisions.
set -u
BIN=$1
DIR=$2
LANG_=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
# expect: line<TAB>category<TAB>pattern<TAB>surface<TAB>file:line<TAB>text;
# the document holds each text (the form, or the form beside a probe) as a
# paragraph of its own (line numbers 1, 3, 5, ...)
for f in "$DIR"/*.tsv; do
  awk -F'\t' -v file="${f##*/}" '
    /^#/ || /^[ \t\r]*$/ { next }
    {
      if (NF < 4 || $4 == "") { printf "MISSING\t%s:%d\t%s\n", file, NR, $1; next }
      seg = $4; sub(/;.*/, "", seg)
      n = split(seg, forms, ",")
      for (i = 1; i <= n; i++) {
        w = forms[i]; gsub(/^ +| +$/, "", w)
        if (w == "") continue
        if ($2 == "class.person")
          printf "probe.person\t=xprobe\txprobe\t%s:%d\txprobe %s\n", file, NR, w
        else if ($3 ~ /[ \t]person( |$)/)
          printf "%s\t%s\t%s\t%s:%d\t%s xperson\n", $2, $1, w, file, NR, w
        else
          printf "%s\t%s\t%s\t%s:%d\t%s\n", $2, $1, w, file, NR, w
      }
    }' "$f"
done > "$T/all"
grep '^MISSING' "$T/all" | while IFS=$'\t' read -r _ where pat; do
  echo "FAIL: $where: '$pat' has no example forms in its note"
done
missing=$(grep -c '^MISSING' "$T/all")
grep -v '^MISSING' "$T/all" | awk -F'\t' '{ printf "%d\t%s\n", 2 * NR - 1, $0 }' > "$T/expect"
cut -f6 "$T/expect" | sed 's/$/\n/' > "$T/doc.txt"
printf '=xprobe\tprobe.person\t1 person\n=xperson\tclass.person\t0\n' > "$T/probe.tsv"
"$BIN" report --lang "$LANG_" --no-default-lexicons --lexicon "$DIR" \
  --lexicon "$T/probe.tsv" \
  --format csv -o /dev/null --matches "$T/m.csv" "$T/doc.txt" ||
  { echo "FAIL: report on the forms did not run"; exit 1; }
# line,category,pattern,surface of each match
awk -F, 'NR > 1 { printf "%s\t%s\t%s\t%s\n", $7, $11, $12, $13 }' "$T/m.csv" > "$T/got"
awk -F'\t' '
  NR == FNR { got[$1 "\t" $2 "\t" $3 "\t" $4] = 1; any[$1 "\t" $2] = any[$1 "\t" $2] " " $3 " (" $4 ")"; next }
  {
    if (!(($1 "\t" $2 "\t" $3 "\t" $4) in got)) {
      printf "FAIL: %s: %s (%s) does not match its form in \"%s\"", $5, $3, $2, $6
      if (($1 "\t" $2) in any) printf "; the family matched:%s", any[$1 "\t" $2]
      printf "\n"
      bad++
    }
  }
  END { exit bad > 0 }' "$T/got" "$T/expect" || fail=1
checked=$(wc -l < "$T/expect")
"$BIN" lexicon check --lang "$LANG_" "$DIR" > "$T/check" || fail=1
if ! grep -q '^0 duplicates, 0 stem collisions$' "$T/check"; then
  grep -v '^  \|entries' "$T/check" | sed 's/^/FAIL: lexicon check: /'
  fail=1
fi
echo "$checked forms checked, $missing entries without forms"
[ "$missing" -eq 0 ] && [ $fail -eq 0 ]
