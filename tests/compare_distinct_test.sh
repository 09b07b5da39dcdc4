#!/usr/bin/env bash
# compare_distinct_test.sh BIN DATA - compare's story-relative rows
# (distinctive_score) on an invented story: three outlets report one attack
# in the same words ("terrorist", "attack", "massacre"), one of them also
# writes "Kiev regime", "raved" and other loaded terms. Its distinctive row
# is significant against the rest (by its own permutation test, which
# estimates the outlet factors again for each relabelling; the tests that
# take them as fixed are left empty), the two plain outlets do not differ,
# its rows are a Benjamini-Hochberg family of their own, the
# rates are report's outlet scores, and the per-entry counts of count,
# merge (flat == tree) and --save-counts give compare --counts the bytes of
# compare on the texts. A counts file of format 2 (tests/data, made before
# entries were counted) is still read, without the row and saying why.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
DATA=$(cd "$2" && pwd)
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 makes the corpus"; exit 77; }
lt() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x + 0 < y + 0) }'; }

# 3 outlets x 10 documents, sentences drawn with a fixed seed; paths sort
# in manifest order, so outlets appear in the same order from the counts.
# The wires use the event words at the same rate.
python3 - "$T/c" <<'EOF'
import os, random, sys
out = sys.argv[1]
event = [
    "Gunmen opened fire in the crowded market on Friday, and the attack killed nine people.",
    "Police said the terrorists arrived in a stolen van shortly after noon.",
    "Officials called it a terrorist attack and closed the roads around the square.",
    "Witnesses described a massacre as shoppers ran between the stalls.",
    "The interior ministry said two terrorists were arrested at the border on Saturday.",
    "Hospitals in the city treated forty wounded, eleven of them children.",
    "The mayor declared three days of mourning and thanked the emergency crews.",
    "Investigators are searching the flat where the attackers stayed before the attack.",
    "The market will reopen next week under police guard, the council said.",
    "Relatives gathered outside the morgue waiting for news of the victims.",
]
loaded = [
    "The Kiev regime raved about the attack while its corrupt puppets spread shameless propaganda.",
    "Once again the regime's thugs and their hysterical cronies exploited the tragedy in a disgraceful stunt.",
    "Its despicable lackeys raved on television, a cynical sham that fooled no one.",
    "The Kiev regime's sinister cronies peddled outrageous lies within hours.",
]
rng = random.Random(13)
os.makedirs(out)
with open(os.path.join(out, "manifest.csv"), "w") as m:
    m.write("path,outlet\n")
    for outlet in ("herald_c", "wire_a", "wire_b"):
        for i in range(10):
            # the wires tell the story in the same words, each document
            # leaving out another sentence; the herald adds its own
            skip = (i + (3 if outlet == "wire_b" else 0)) % len(event)
            body = [s for k, s in enumerate(event) if k != skip]
            if outlet == "herald_c":
                body = rng.sample(event, rng.randrange(5, 9))
                body += rng.sample(loaded, 2)
            rng.shuffle(body)
            name = "%s_%02d.txt" % (outlet, i)
            with open(os.path.join(out, name), "w") as f:
                f.write(" ".join(body) + "\n")
            m.write("%s,%s\n" % (name, outlet))
EOF
cd "$T/c" || exit 1
opts=(--bootstrap 300 --seed 4 --quiet)
"$BIN" compare --manifest manifest.csv --format csv "${opts[@]}" \
  --save-counts "$T/saved.csv" -o "$T/text.csv"
check "compare ran" test $? -eq 0
# field N of the distinctive_score row of outlet O (against `versus`)
field() { awk -F, -v o="$1" -v v="$2" -v n="$3" \
  '$1 == "distinctive_score" && $4 == o && $5 == v { print $n }' "$4"; }
check "a distinctive_score row per outlet, kind distinctive" test \
  "$(awk -F, '$1 == "distinctive_score" && $2 == "distinctive"' "$T/text.csv" | wc -l)" -eq 3
# columns: 12 rate_a, 15 rate_b, 24 mwu_p, 26 mwu_q, 31 perm_p, 35 perm_q
check "herald_c: distinctive rate above the rest's" \
  lt "$(field herald_c rest 15 "$T/text.csv")" "$(field herald_c rest 12 "$T/text.csv")"
check "herald_c: permutation q < 0.05" lt "$(field herald_c rest 35 "$T/text.csv")" 0.05
check "herald_c: distinctive rate > 40 per 1,000" lt 40 "$(field herald_c rest 12 "$T/text.csv")"
for o in wire_a wire_b; do
  check "$o: distinctive rate < 10 per 1,000" lt "$(field $o rest 12 "$T/text.csv")" 10
  # not above the rest: below it (the herald is in the rest), or no test
  # finds a difference
  check "$o: not significantly above the rest" awk -F, -v o=$o '
    $1 == "distinctive_score" && $4 == o && $5 == "rest" {
      exit !($12 < $15 || $35 >= 0.05) }' "$T/text.csv"
done
# columns 13-14 rate_a CI, 24 mwu_p, 28 welch_t, 29 welch_p, 32
# perm_method, 36 boot_p, 46 kw_h, 48 kw_p, 49 kw_q
check "distinctive rows: no interval, Mann-Whitney, Welch, bootstrap, H" \
  awk -F, '$1 == "distinctive_score" && ($13 $14 $24 $28 $29 $36 $46 != "" ||
    $32 != "monte-carlo") { bad = 1 } END { exit bad }' "$T/text.csv"
check "distinctive across outlets: the spread's permutation p < 0.05" \
  lt "$(field herald_c rest 48 "$T/text.csv")" 0.05
# Benjamini-Hochberg families: the distinctive rows' own, the others without
# them (columns: 24 mwu_p 26 mwu_q, 31 perm_p 35 perm_q, 48 kw_p 49 kw_q)
check "q-values: distinctive rows a family of their own" python3 - "$T/text.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def bh(ps):
    idx = [i for i, p in enumerate(ps) if p != ""]
    m, q, run = len(idx), {}, 1.0
    for r, i in sorted(enumerate(sorted(idx, key=lambda i: float(ps[i])), 1),
                       key=lambda x: -x[0]):
        run = min(run, m * float(ps[i]) / r)
        q[i] = min(1.0, run)
    return [q.get(i) for i in range(len(ps))]
def family(m):  # distinctive_score, the distinctive dimensions, the rest
    return 1 if m == "distinctive_score" else \
        2 if m.startswith("distinctive_") else 0
ok = True
for own in (0, 1, 2):
    part = [r for r in rows if family(r["measure"]) == own]
    for test in ("mwu", "perm"):
        for r, q in zip(part, bh([r[test + "_p"] for r in part])):
            if q is None:
                ok &= r[test + "_q"] == ""
            else:
                ok &= abs(float(r[test + "_q"]) - q) <= 1e-9 * max(q, 1e-300)
kw = {}
for r in rows:
    kw[r["measure"]] = (r["kw_p"], r["kw_q"])
for own in (0, 1, 2):
    names = [k for k in kw if family(k) == own]
    for k, q in zip(names, bh([kw[k][0] for k in names])):
        ok &= (q is None and kw[k][1] == "") or \
            (q is not None and abs(float(kw[k][1]) - q) <= 1e-9 * max(q, 1e-300))
sys.exit(0 if ok else 1)
PY
"$BIN" compare --manifest manifest.csv --format csv "${opts[@]}" -o "$T/again.csv"
check "the same seed, the same bytes" cmp -s "$T/text.csv" "$T/again.csv"
"$BIN" compare --manifest manifest.csv --format csv --permutations 500 \
  --bootstrap 300 --seed 5 --quiet -o "$T/p500.csv"
check "--permutations sets the relabellings (min p 1/501)" test \
  "$(field herald_c rest 34 "$T/p500.csv")" = 0.001996007984
"$BIN" compare --manifest manifest.csv --format csv "${opts[@]}" \
  --pair wire_a wire_b -o "$T/pair.csv"
check "wire_a against wire_b: permutation p >= 0.05" \
  lt 0.05 "$(field wire_a wire_b 31 "$T/pair.csv")"
"$BIN" compare --manifest manifest.csv --format csv "${opts[@]}" \
  --pair herald_c wire_a -o "$T/pair2.csv"
check "herald_c against wire_a: permutation p < 0.05" \
  lt "$(field herald_c wire_a 31 "$T/pair2.csv")" 0.05

# the rates are report's outlet distinctive scores
"$BIN" report --manifest manifest.csv --quiet --scores "$T/scores.csv" -o /dev/null
for o in herald_c wire_a wire_b; do
  r=$(awk -F, -v o=$o '$1 == "outlet" && $3 == o { print $7 }' "$T/scores.csv")
  c=$(field $o rest 12 "$T/text.csv")
  check "$o: compare's rate = report's distinctive score ($c, $r)" \
    awk -v x="$c" -v y="$r" 'BEGIN { d = x - y; exit !(d < 1e-4 && d > -1e-4) }'
done

# text, jsonl, html carry it
"$BIN" compare --manifest manifest.csv "${opts[@]}" -o "$T/text.txt"
check "text: the row and its explanation" grep -q "distinctive_score: the loaded-language score story-relative" "$T/text.txt"
"$BIN" compare --manifest manifest.csv --format jsonl "${opts[@]}" -o "$T/c.jsonl"
check "jsonl: kind distinctive" grep -q '"measure":"distinctive_score","kind":"distinctive"' "$T/c.jsonl"
"$BIN" compare --manifest manifest.csv --format html "${opts[@]}" -o "$T/c.html"
check "html: its chart" grep -q "per 1,000 author-voice words, story-relative" "$T/c.html"
check "html: no interval, and why" grep -q "story-relative; 10 documents (no interval: its factors come from the same documents)" "$T/c.html"

# counts files: per-entry counts merge exactly, flat == tree == one run
"$BIN" count --manifest manifest.csv --quiet -o "$T/all.fsc"
for k in 1 2 3; do
  "$BIN" count --manifest manifest.csv --quiet --shard $k/3 -o "$T/s$k.fsc"
done
"$BIN" merge "$T/s1.fsc" "$T/s2.fsc" "$T/s3.fsc" -o "$T/flat.fsc"
"$BIN" merge "$T/s3.fsc" "$T/s1.fsc" -o "$T/t13.fsc"
"$BIN" merge "$T/t13.fsc" "$T/s2.fsc" -o "$T/tree.fsc"
check "merge: flat == tree" cmp -s "$T/flat.fsc" "$T/tree.fsc"
check "merge: flat == one count" cmp -s "$T/flat.fsc" "$T/all.fsc"
"$BIN" compare --counts "$T/tree.fsc" --format csv "${opts[@]}" -o "$T/fromfsc.csv"
# the counts carry no model: every row but the distinctive dimensions'
awk -F, '!($1 ~ /^distinctive_/ && $1 != "distinctive_score")' "$T/text.csv" >"$T/text_nodims.csv"
check "compare --counts (count, merge) == compare on the texts" cmp -s "$T/text_nodims.csv" "$T/fromfsc.csv"
"$BIN" compare --counts "$T/saved.csv" --format csv "${opts[@]}" -o "$T/fromcsv.csv"
check "compare --counts (--save-counts) == compare on the texts" cmp -s "$T/text_nodims.csv" "$T/fromcsv.csv"
check "--save-counts: an entries row per document" test \
  "$(awk -F, '$5 == "entries"' "$T/saved.csv" | wc -l)" -eq 30

# format 2 (no entries): read, no row, and the text says why
"$BIN" compare --counts "$DATA/story_format2.fsc" --quiet -o "$T/old.txt"
check "format 2 is read" test $? -eq 0
check "format 2: no distinctive_score row" bash -c "! grep -q '^  distinctive_score ' '$T/old.txt'"
check "format 2: says why" grep -q "no distinctive_score: the counts hold no per-entry counts" "$T/old.txt"
"$BIN" merge "$DATA/story_format2.fsc" "$T/s1.fsc" -o "$T/mixed.fsc" 2>"$T/err"
check "format 2 and 3 do not merge" test $? -eq 1
check "... saying so" grep -q "per-entry counts" "$T/err"
# an entry row that lies is refused
sed 's/,entry:\([0-9]*\),entry,/,entry:x\1,entry,/' "$T/saved.csv" >"$T/bad.csv"
"$BIN" compare --counts "$T/bad.csv" --quiet -o "$T/bad.txt" 2>"$T/err"
check "a bad entry row is refused" test $? -eq 1
check "... with file:line:col" grep -q "bad.csv:[0-9]*:[0-9]*: entry rows are entry:SLOT" "$T/err"

echo "compare_distinct: $pass passed, $fail failed"
test "$fail" -eq 0
