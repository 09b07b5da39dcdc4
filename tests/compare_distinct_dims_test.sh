#!/usr/bin/env bash
# compare_distinct_dims_test.sh BIN - compare's story-relative rows per
# framing dimension (distinctive_loaded_language, distinctive_name_calling,
# ...) on an invented story: three outlets report one attack in the same
# words; "namer" adds pejorative labels (thugs, puppets, lackeys), "moralist"
# adds moral condemnation (shameless, disgraceful, despicable). Each outlet's
# distinctive row is significant in the dimension of its own words only, the
# rates are report's per-dimension distinctive scores, the dimensions' rows
# are a Benjamini-Hochberg family of their own, and the output is the same
# bytes on 1, 2 and 3 threads.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: python3 makes the corpus"; exit 77; }
lt() { awk -v x="$1" -v y="$2" 'BEGIN { exit !(x + 0 < y + 0) }'; }

python3 - "$T/c" <<'EOF'
import os, random, sys
out = sys.argv[1]
event = [
    "Gunmen opened fire in the crowded market on Friday, and the attack killed nine people.",
    "Police said the terrorists arrived in a stolen van shortly after noon.",
    "Officials called it a terrorist attack and closed the roads around the square.",
    "Hospitals in the city treated forty wounded, eleven of them children.",
    "The mayor declared three days of mourning and thanked the emergency crews.",
    "Investigators are searching the flat where the attackers stayed before the attack.",
    "The market will reopen next week under police guard, the council said.",
    "Relatives gathered outside the morgue waiting for news of the victims.",
]
# pejorative labels only (label.pejorative: name_calling, labeling)
names = [
    "The governor's thugs blocked the ambulances at the bridge.",
    "His puppets on the council met behind closed doors.",
    "A lackey of the minister read out the statement.",
    "The henchmen of the local boss watched from the cars.",
]
# moral condemnation only (loaded.moral: loaded_language)
moral = [
    "It was a shameless response from the ministry.",
    "The delays were disgraceful, residents said in their own words.",
    "Leaving the wounded waiting was despicable.",
    "The cynical timing of the announcement angered many.",
]
rng = random.Random(26)
os.makedirs(out)
with open(os.path.join(out, "manifest.csv"), "w") as m:
    m.write("path,outlet\n")
    for outlet in ("moralist", "namer", "wire"):
        for i in range(10):
            body = rng.sample(event, rng.randrange(5, 8))
            if outlet == "namer":
                body += rng.sample(names, 2)
            elif outlet == "moralist":
                body += rng.sample(moral, 2)
            rng.shuffle(body)
            name = "%s_%02d.txt" % (outlet, i)
            with open(os.path.join(out, name), "w") as f:
                f.write(" ".join(body) + "\n")
            m.write("%s,%s\n" % (name, outlet))
EOF
cd "$T/c" || exit 1
opts=(--bootstrap 200 --seed 7 --quiet)
"$BIN" compare --manifest manifest.csv --format csv "${opts[@]}" --threads 1 -o "$T/t1.csv"
check "compare ran" test $? -eq 0
# field N of measure M's row of outlet O against the rest
field() { awk -F, -v m="$1" -v o="$2" -v n="$3" \
  '$1 == m && $4 == o && $5 == "rest" { print $n }' "$4"; }
check "a distinctive_name_calling row per outlet, kind distinctive" test \
  "$(awk -F, '$1 == "distinctive_name_calling" && $2 == "distinctive"' "$T/t1.csv" | wc -l)" -eq 3
check "a distinctive_loaded_language row per outlet" test \
  "$(awk -F, '$1 == "distinctive_loaded_language"' "$T/t1.csv" | wc -l)" -eq 3
check "no row for a dimension without scored entries (hedging)" test \
  "$(awk -F, '$1 == "distinctive_epistemic_hedging"' "$T/t1.csv" | wc -l)" -eq 0
# columns: 12 rate_a, 15 rate_b, 31 perm_p, 32 perm_method, 35 perm_q
for pair in "namer distinctive_name_calling distinctive_loaded_language" \
            "moralist distinctive_loaded_language distinctive_name_calling"; do
  set -- $pair
  o=$1 own=$2 other=$3
  check "$o: $own above the rest" \
    lt "$(field $own $o 15 "$T/t1.csv")" "$(field $own $o 12 "$T/t1.csv")"
  check "$o: $own permutation q < 0.05" lt "$(field $own $o 35 "$T/t1.csv")" 0.05
  check "$o: $other about nothing (< 0.5 per 1,000)" \
    lt "$(field $other $o 12 "$T/t1.csv")" 0.5
  check "$o: $other not significantly above the rest" awk -F, -v o=$o -v m=$other '
    $1 == m && $4 == o && $5 == "rest" { exit !($12 <= $15 || $35 >= 0.05) }' "$T/t1.csv"
done
for m in distinctive_name_calling distinctive_loaded_language; do
  check "wire: $m not significantly above the rest" awk -F, -v m=$m '
    $1 == m && $4 == "wire" && $5 == "rest" { exit !($12 <= $15 || $35 >= 0.05) }' "$T/t1.csv"
done
check "dimension rows: permutation test only, monte-carlo" \
  awk -F, '$1 ~ /^distinctive_/ && ($13 $14 $24 $28 $29 $36 $46 != "" ||
    $32 != "monte-carlo") { bad = 1 } END { exit bad }' "$T/t1.csv"

# the rates are report's per-dimension outlet distinctive scores
"$BIN" report --manifest manifest.csv --quiet --scores "$T/scores.csv" -o /dev/null
check "the rates are report's DIM_distinctive outlet scores" python3 - "$T/t1.csv" "$T/scores.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
scores = [r for r in csv.DictReader(open(sys.argv[2])) if r["level"] == "outlet"]
ok, seen = True, 0
for r in rows:
    m = r["measure"]
    if r["kind"] != "distinctive" or m == "distinctive_score" or r["versus"] != "rest":
        continue
    dim = m[len("distinctive_"):]
    for s in scores:
        if s["outlet"] == r["outlet"]:
            want = float(s[dim + "_distinctive"])
            ok &= abs(float(r["rate_a"]) - want) < 1e-4  # report: 4 decimals
            seen += 1
sys.exit(0 if ok and seen >= 6 else 1)
PY

# Benjamini-Hochberg: the dimensions' rows a family of their own
check "q-values: the dimension rows a family of their own" python3 - "$T/t1.csv" <<'PY'
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
part = [r for r in rows
        if r["measure"].startswith("distinctive_") and r["measure"] != "distinctive_score"]
ok = len(part) >= 6
for r, q in zip(part, bh([r["perm_p"] for r in part])):
    ok &= q is not None and abs(float(r["perm_q"]) - q) <= 1e-9 * max(q, 1e-300)
kw = {}
for r in part:
    kw[r["measure"]] = (r["kw_p"], r["kw_q"])
names = list(kw)
for k, q in zip(names, bh([kw[k][0] for k in names])):
    ok &= q is not None and abs(float(kw[k][1]) - q) <= 1e-9 * max(q, 1e-300)
sys.exit(0 if ok else 1)
PY

# any number of threads, the same bytes (the relabellings run in blocks)
for t in 2 3; do
  "$BIN" compare --manifest manifest.csv --format csv "${opts[@]}" --threads $t -o "$T/t$t.csv"
  check "-t $t: the same bytes as -t 1" cmp -s "$T/t1.csv" "$T/t$t.csv"
done
"$BIN" compare --manifest manifest.csv --format csv "${opts[@]}" --threads 2 \
  --pair namer wire -o "$T/p2.csv"
"$BIN" compare --manifest manifest.csv --format csv "${opts[@]}" --threads 1 \
  --pair namer wire -o "$T/p1.csv"
check "--pair, -t 2: the same bytes as -t 1" cmp -s "$T/p1.csv" "$T/p2.csv"
check "--pair namer wire: name_calling p < 0.05" \
  lt "$(awk -F, '$1 == "distinctive_name_calling" { print $31 }' "$T/p1.csv")" 0.05

# text, jsonl, html carry them
"$BIN" compare --manifest manifest.csv "${opts[@]}" -o "$T/c.txt"
check "text: the rows and what they are" grep -q "distinctive_DIM: the same for each framing dimension" "$T/c.txt"
check "text: the spread's q" grep -q "distinctive_name_calling .*across the 3 outlets" "$T/c.txt"
"$BIN" compare --manifest manifest.csv --format jsonl "${opts[@]}" -o "$T/c.jsonl"
check "jsonl: kind distinctive" grep -q '"measure":"distinctive_name_calling","kind":"distinctive"' "$T/c.jsonl"
"$BIN" compare --manifest manifest.csv --format html "${opts[@]}" -o "$T/c.html"
check "html: its chart" grep -q "distinctive_name_calling" "$T/c.html"

# counts files carry no model: distinctive_score only, and the text says why
"$BIN" count --manifest manifest.csv --quiet -o "$T/all.fsc"
"$BIN" compare --counts "$T/all.fsc" "${opts[@]}" -o "$T/fsc.txt"
check "counts: no dimension rows" bash -c "! grep -q '^  distinctive_name_calling' '$T/fsc.txt'"
check "counts: says why" grep -q "no distinctive dimension rows: counts files carry no model" "$T/fsc.txt"

echo "compare_distinct_dims: $pass passed, $fail failed"
test "$fail" -eq 0
