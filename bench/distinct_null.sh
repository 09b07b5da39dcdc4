#!/usr/bin/env bash
# distinct_null.sh BIN [N] - how often compare's document-level permutation
# test rejects a true null (p < 0.05) for distinctive_score and for
# loaded_score: N invented corpora (default 60) of three outlets x 10
# documents drawn from one pool of sentences (so no outlet differs), outlet
# a against b. The distinctive score's factors are estimated from the same
# documents the test compares, so its rate is far above 5% (bench/RESULTS.md).
set -eu
BIN=$1
N=${2:-60}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat > "$T/gen.py" <<'PY'
import os, random, sys
out, seed = sys.argv[1], int(sys.argv[2])
pool = [
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
    "Critics slammed the shameless response and the disgraceful delays.",
    "A corrupt official was accused of a cynical cover story.",
]
rng = random.Random(seed)
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "manifest.csv"), "w") as m:
    m.write("path,outlet\n")
    for outlet in ("a", "b", "c"):
        for i in range(10):
            name = "%s_%02d.txt" % (outlet, i)
            with open(os.path.join(out, name), "w") as f:
                f.write(" ".join(rng.sample(pool, rng.randrange(4, 9))) + "\n")
            m.write("%s,%s\n" % (name, outlet))
PY
ns=0 nd=0
for s in $(seq 1 "$N"); do
  rm -rf "$T/c"
  python3 "$T/gen.py" "$T/c" "$s"
  "$BIN" compare --manifest "$T/c/manifest.csv" --pair a b --format csv \
    --quiet --bootstrap 100 --seed 1 -o "$T/r.csv"
  read -r ps pd < <(awk -F, '$1 == "loaded_score" { s = $31 }
    $1 == "distinctive_score" { d = $31 } END { print s, d }' "$T/r.csv")
  awk -v p="$ps" 'BEGIN { exit !(p < 0.05) }' && ns=$((ns + 1))
  awk -v p="$pd" 'BEGIN { exit !(p < 0.05) }' && nd=$((nd + 1))
done
echo "true null, a against b, 10 documents each, $N corpora: permutation p < 0.05 for loaded_score $ns, for distinctive_score $nd"
