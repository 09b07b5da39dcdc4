#!/usr/bin/env bash
# person_flag_test.sh BIN - the lexicon flag "person" and the word class
# class.person: a flagged entry (an evaluative adjective) matches only before
# a person noun, directly or after one content word; the match is the
# adjective's own words (the noun stays free for other entries); the
# adjective's plain entry of another family still matches alone.
# Errors of class lines; the default lexicons' class. And the quote weight
# row of counts CSV files (compare --save-counts / --counts).
set -u
BIN=$1
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
cat > "$T/lex.tsv" <<'TSV'
=corrupt	loaded.moral	1
=corrupt	label.pejorative	0 person
crazy	label.pejorative	0.5 person
=utterly	intensifier	1
career politicians	label.pejorative	1
politician	class.person	0
=leftists	class.person	0
TSV
opts=(--no-default-lexicons --lexicon "$T/lex.tsv" --model none)
# the label matches of a text: "surface" per line
labels() {
  printf '%s\n' "$1" > "$T/t.txt"
  "$BIN" report "${opts[@]}" "$T/t.txt" --matches - -o /dev/null |
    awk -F, '$11 == "label.pejorative" { print $13 }'
}
loaded() {
  printf '%s\n' "$1" > "$T/t.txt"
  "$BIN" report "${opts[@]}" "$T/t.txt" --matches - -o /dev/null |
    awk -F, '$11 == "loaded.moral" { print $13 }'
}
check "before a person noun" test "$(labels 'He is a corrupt politician.')" = "corrupt"
check "stem class word: plural" test "$(labels 'They are corrupt politicians.')" = "corrupt"
check "after one content word" test "$(labels 'Corrupt senior politicians ran it.')" = "Corrupt"
check "the noun stays free" test "$(labels 'Corrupt career politicians ran it.' | tr '\n' '|')" = "Corrupt|career politicians|"
check "exact class word" test "$(labels 'Only crazy leftists believe it.')" = "crazy"
check "exact class word, other form" test -z "$(labels 'Only a crazy leftist believes it.')"
check "not over a function word" test -z "$(labels 'They tried to corrupt the politician.')"
check "not before another noun" test -z "$(labels 'It is a corrupt system.')"
check "not two content words apart" test -z "$(labels 'A corrupt old senior politician.')"
check "not across a sentence" test -z "$(labels 'It was corrupt. Politicians knew.')"
check "not across punctuation" test -z "$(labels 'It was corrupt, politicians said.')"
check "plain entry stays" test "$(loaded 'He is a corrupt politician.')" = "corrupt"
check "plain entry alone" test "$(loaded 'It is a corrupt system.')" = "corrupt"
# the intensifier before the adjective is recorded on the match
printf 'An utterly corrupt politician.\n' > "$T/t.txt"
"$BIN" report "${opts[@]}" "$T/t.txt" --matches - -o /dev/null > "$T/m.csv"
check "intensifier recorded" grep -q 'label.pejorative,=corrupt,corrupt,0.0000,0,,utterly' "$T/m.csv"
# weight: the flagged entry's own (0.5 for crazy), in the category counts
printf 'Crazy leftists and crazy leftists.\n' > "$T/t.txt"
"$BIN" report "${opts[@]}" "$T/t.txt" --format csv -o "$T/r.csv"
check "category count and weight" grep -q ',author,label.pejorative,2,5,400.0000,0,1.0000$' "$T/r.csv"

# a person line and the plain line of the same pattern and category are two
# rules: neither overrides the other (on a tie the stronger weight wins)
printf '=vile\tlabel.pejorative\t2\n=vile\tlabel.pejorative\t0 person\npolitician\tclass.person\t0\n' > "$T/both.tsv"
printf 'A vile politician. A vile smell.\n' > "$T/t.txt"
"$BIN" report --no-default-lexicons --lexicon "$T/both.tsv" --model none "$T/t.txt" --matches - -o /dev/null > "$T/b.csv"
check "person line keeps the plain line" test "$(grep -c 'label.pejorative,=vile,vile,2.0000' "$T/b.csv")" = 2

# errors: file:line:col, exit 1
err() { # LINE WANT
  printf '%b\n' "$1" > "$T/bad.tsv"
  "$BIN" lexicon check "$T/bad.tsv" > /dev/null 2> "$T/err"
  local rc=$?
  [ $rc -eq 1 ] && grep -q "$2" "$T/err"
}
check "class: one word" err 'crooked cop\tclass.person\t0' 'bad.tsv:1:1: a class.person line names one word'
check "class: no glob" err 'polit*\tclass.person\t0' 'bad.tsv:1:1: a class.person line names one word'
check "class: unknown class" err 'cop\tclass.people\t0' "bad.tsv:1:5: unknown word class 'class.people'"
check "class: no flags" err 'cop\tclass.person\t0 once' 'bad.tsv:1:18: a class.person line takes no flags'
check "unknown flag lists person" err 'cop\tlabel.pejorative\t1 persons' 'known: event, once, person'
printf 'cop\tclass.person\t0\n=corrupt\tlabel.pejorative\t1 person\n' > "$T/ok.tsv"
check "class lines are not entries" sh -c "'$BIN' lexicon check '$T/ok.tsv' | grep -q '1 entries'"

# the default lexicons (lexicons/en/persons.tsv and labels.tsv)
printf 'The notorious senator met a crazy activist. Crazy weather.\n' > "$T/d.txt"
"$BIN" report "$T/d.txt" --matches - -o /dev/null > "$T/dm.csv"
check "default: notorious senator" grep -q 'label.pejorative,notorious,notorious,' "$T/dm.csv"
check "default: crazy activist" grep -q 'label.pejorative,crazy,crazy,' "$T/dm.csv"
check "default: crazy weather is loaded only" test "$(grep -c 'label.pejorative' "$T/dm.csv")" = 2

# an actors file's people are person nouns (the last word of each pattern
# of a person, he or she actor); without --actors nothing changes
cat > "$T/a.actors" <<'ACT'
John Kirby	kirby	us	he
the spokesman	kirby	us	he
==May	may	uk	she
Kessar government	kessar	kessar	group
ACT
alabels() { # TEXT [--actors FILE]
  printf '%s\n' "$1" > "$T/t.txt"
  shift
  "$BIN" report "${opts[@]}" "$@" "$T/t.txt" --matches - -o /dev/null |
    awk -F, '$11 == "label.pejorative" { print $13 }'
}
check "actors: no file, no person" test -z "$(alabels 'The corrupt Kirby lied.')"
check "actors: an alias's last word" test "$(alabels 'The corrupt Kirby lied.' --actors "$T/a.actors")" = "corrupt"
check "actors: the full name" test "$(alabels 'A corrupt John Kirby lied.' --actors "$T/a.actors")" = "corrupt"
check "actors: possessive form by stem" test "$(alabels "Crazy Kirby's plan." --actors "$T/a.actors")" = "Crazy"
check "actors: a role alias" test "$(alabels 'The crazy spokesman lied.' --actors "$T/a.actors")" = "crazy"
check "actors: not a group" test -z "$(alabels 'The corrupt Kessar government fell.' --actors "$T/a.actors")"
check "actors: a cased name is left out" test -z "$(alabels 'He said crazy may be right.' --actors "$T/a.actors")"
check "actors: not across punctuation" test -z "$(alabels 'It was corrupt, Kirby said.' --actors "$T/a.actors")"
# the actors command: the label shares the sentence with the actor
mkdir -p "$T/ac/herald"
printf 'The corrupt John Kirby said it was fine.\n' > "$T/ac/herald/1.txt"
{ cat "$T/lex.tsv"; printf '=said\tattribution.neutral\t1\n'; } > "$T/al.tsv"
"$BIN" actors --no-default-lexicons --lexicon "$T/al.tsv" --actors "$T/a.actors" "$T/ac" --format csv -o "$T/ac.csv"
check "actors: the command counts the label" grep -q '^herald,actor,kirby,us,cooccurrence,label.pejorative,1,' "$T/ac.csv"

# Russian (lexicons/ru/persons.tsv and labels.tsv): person nouns in every
# case, by stem or exact form; not before a word whose stem a person noun
# shares (политика, демократия, суд, мэрия), over a function word (с, и,
# для) or across punctuation. tests/data/ru_person/phrases.txt: "+" lines
# must give a person match, "-" lines none.
PH="$(dirname "$0")/data/ru_person/phrases.txt"
grep '^[-+?] ' "$PH" > "$T/ru_lab.txt"
cut -c3- "$T/ru_lab.txt" | awk '{ print $0 "\n" }' > "$T/ru.txt"
"$BIN" report --lang russian "$T/ru.txt" --matches - -o /dev/null > "$T/ru.csv"
# line of the document -> the surface of its person matches (weight 0)
awk -F, '$11 == "label.pejorative" && $14 == "0.0000" { print ($7 + 1) / 2 "\t" $13 }' "$T/ru.csv" > "$T/ru_hits"
ru_bad=$(awk -F'\t' 'NR == FNR { hit[$1] = hit[$1] " " $2; next }
  { s = substr($0, 1, 1)
    if (s == "+" && !(FNR in hit)) print "want a match: " $0
    if (s == "-" && (FNR in hit)) print "want none:" hit[FNR] ": " $0 }' \
  "$T/ru_hits" "$T/ru_lab.txt")
check "russian: every phrase as written" test -z "$ru_bad"
[ -z "$ru_bad" ] || printf '%s\n' "$ru_bad"
check "russian: the match is the adjective" grep -q ',label.pejorative,коррумпированный,коррумпированными,0.0000' "$T/ru.csv"
check "russian: a two-word adjective" grep -q ',label.pejorative,печально известный,Печально известный,0.0000' "$T/ru.csv"
check "russian: the phrases are there" test "$(grep -c '^+ ' "$PH")" -ge 30
check "russian: the loaded word stays" sh -c "grep -q ',loaded.moral,коррумпированный,Коррумпированная,' '$T/ru.csv'"
# an actors file's Russian names join the Russian class
# (Snowball stems "Петров" apart from "Петрова", "Петрову": both listed)
printf 'Иван Петров\tpetrov\tru\the\nПетрова\tpetrov\tru\the\n' > "$T/ru.actors"
printf 'Лживый Петров снова выступил. Лживого Петрова снова не было.\n' > "$T/rp.txt"
check "russian: an actor's name" test "$("$BIN" report --lang russian --actors "$T/ru.actors" "$T/rp.txt" --matches - -o /dev/null |
  awk -F, '$11 == "label.pejorative" && $14 == "0.0000" { print $13 }' | tr '\n' '|')" = "Лживый|Лживого|"

# counts CSV: the quote weight W in a setting row per document
mkdir -p "$T/c/herald" "$T/c/wire"
printf 'The grim report came out. "It is grim," she said.\n' > "$T/c/herald/1.txt"
printf 'The report came out on Monday. "It is late," he said.\n' > "$T/c/wire/1.txt"
printf 'grim\tloaded.emotive\t2\n' > "$T/g.tsv"
copts=(--no-default-lexicons --lexicon "$T/g.tsv" --model none)
"$BIN" compare "${copts[@]}" "$T/c" --save-counts "$T/w5.csv" -o /dev/null
"$BIN" compare "${copts[@]}" "$T/c" --quote-weight 0.25 --save-counts "$T/w25.csv" -o /dev/null
check "csv: W row" grep -q '/herald/1.txt,herald,author,quote_weight,setting,1,0,10,0.5,10$' "$T/w5.csv"
check "csv: W row per document" test "$(grep -c ',quote_weight,setting,' "$T/w25.csv")" = 2
"$BIN" compare --counts "$T/w25.csv" --color never -o "$T/from25.txt"
check "csv: compare --counts states W" grep -q 'at 0.25 of its matches and words' "$T/from25.txt"
sed 's#/c/#/x/#' "$T/w25.csv" > "$T/w25b.csv"
"$BIN" compare --counts "$T/w5.csv" "$T/w25b.csv" -o "$T/out" 2> "$T/err"
check "csv: other W refused" sh -c "[ $? -eq 1 ] && grep -q 'quote weight 0.25, not the first document.s 0.5' '$T/err' && [ ! -e '$T/out' ]"
grep -v ',quote_weight,setting,' "$T/w25b.csv" > "$T/old.csv"
"$BIN" compare --counts "$T/w5.csv" "$T/old.csv" -o /dev/null 2> "$T/err"
check "csv: file without W not merged with one with W" sh -c "[ $? -eq 1 ] && grep -q 'document has no quote_weight row' '$T/err'"
"$BIN" compare --counts "$T/old.csv" --color never -o "$T/fromold.txt"
check "csv: file without W read, W not stated" sh -c "[ $? -eq 0 ] && ! grep -q 'quote-weight' '$T/fromold.txt'"
"$BIN" compare "${copts[@]}" "$T/c" --quote-weight 0.25 --color never -o "$T/direct25.txt"
# the same tables; the counts carry no model (a line says so)
check "csv: --counts gives the direct compare" sh -c "grep -v 'no distinctive dimension rows' '$T/from25.txt' | cmp -s '$T/direct25.txt' -"

echo "person_flag: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
