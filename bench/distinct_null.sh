#!/usr/bin/env bash
# distinct_null.sh BIN [N] [rest] - how often compare's document-level permutation
# test rejects a true null (p < 0.05) for distinctive_score and for
# loaded_score: N invented corpora (default 60) of three outlets x 10
# documents drawn from one pool of sentences (so no outlet differs), outlet
# a against b. distinctive_score's permutation test estimates its outlet
# factors again for each relabelling; should reject in about 5%, with an
# exact binomial interval (bench/RESULTS.md). The rows of two framing
# dimensions (distinctive_loaded_language, distinctive_name_calling), tested
# on the same relabellings, are counted too. With "rest": outlet a against
# the rest (b and c) instead.
set -eu
BIN=$1
N=${2:-60}
MODE=${3:-pair}
pair=(--pair a b) vs=b
[ "$MODE" = rest ] && pair=() vs=rest
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
: >"$T/p"
for s in $(seq 1 "$N"); do
  rm -rf "$T/c"
  python3 "$T/gen.py" "$T/c" "$s"
  "$BIN" compare --manifest "$T/c/manifest.csv" "${pair[@]}" --format csv \
    --quiet --bootstrap 100 --seed 1 -o "$T/r.csv"
  awk -F, -v vs=$vs '$4 == "a" && $5 == vs && $1 == "loaded_score" { s = $31 }
    $4 == "a" && $5 == vs && $1 == "distinctive_score" { d = $31 }
    $4 == "a" && $5 == vs && $1 == "distinctive_loaded_language" { l = $31 }
    $4 == "a" && $5 == vs && $1 == "distinctive_name_calling" { c = $31 }
    END { print s, d, l, c }' "$T/r.csv" >>"$T/p"
done
# rejections at 0.05 with exact (Clopper-Pearson) 95% intervals
python3 - "$T/p" "$vs" <<'PY'
import math, sys
rows = [l.split() for l in open(sys.argv[1])]
def cdf(k, n, p):  # P(X <= k)
    return sum(math.comb(n, i) * p**i * (1 - p)**(n - i) for i in range(k + 1))
def solve(f, target, lo=0.0, hi=1.0):  # f decreasing in p
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) > target else (lo, mid)
    return (lo + hi) / 2
def cp(k, n):
    lo = 0.0 if k == 0 else solve(lambda p: cdf(k - 1, n, p), 0.975)
    hi = 1.0 if k == n else solve(lambda p: cdf(k, n, p), 0.025)
    return lo, hi
n = len(rows)
print("true null, a against %s, 10 documents each, %d corpora:"
      % (sys.argv[2], n))
for j, name in ((0, "loaded_score"), (1, "distinctive_score"),
                (2, "distinctive_loaded_language"),
                (3, "distinctive_name_calling")):
    ps = [float(r[j]) for r in rows if len(r) > j]
    if len(ps) < n:
        continue
    k = sum(p < 0.05 for p in ps)
    k10 = sum(p < 0.10 for p in ps)
    lo, hi = cp(k, n)
    print("  %-28s p < 0.05 in %d (%.1f%%, 95%% CI %.1f-%.1f%%), p < 0.10 in "
          "%d, mean p %.3f" % (name, k, 100.0 * k / n, 100 * lo, 100 * hi,
                               k10, sum(ps) / n))
PY
