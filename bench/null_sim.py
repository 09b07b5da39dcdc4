#!/usr/bin/python3
# null_sim.py - false-positive rates of `framescore compare`'s document-level
# tests under the null: two outlets drawn from one overdispersed distribution.
"""Usage: bench/null_sim.py [--bin build/framescore] [--sizes 2,3,5,10]
                           [--reps 400] [--seed 1] [--alpha 0.05]

For each number of documents per side n and each kind of category (sparse:
mean 1 match per 1,000 words, gamma shape 0.3 between documents, so most
documents have none; common: 8 per 1,000, shape 2), it writes one counts
file (the format of `compare --save-counts`) in which every replicate is a
measure of its own, with two outlets A and B whose documents come from the
same distribution, runs `framescore compare --counts --pair A B --format csv`
on it, and prints, per test, the share of replicates with p < alpha (an
empty p counts as no rejection; the number of empty ones is shown). The
column `shown` is the resampling test the text output shows: perm_p where
there is one, else boot_p (a binary without perm_p: boot_p). With
--reps R, a rate's standard error is about sqrt(0.05 * 0.95 / R) = 0.011 at
R = 400. Only the Python standard library is used; the same seed gives the
same corpora (and framescore's own --seed is fixed), so the same table.
"""

import argparse
import csv
import io
import math
import os
import random
import subprocess
import sys
import tempfile

KINDS = {"sparse": (1.0, 0.3), "common": (8.0, 2.0)}  # per 1,000; shape


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 30:  # normal approximation is enough here
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    k, p, lim = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= lim:
            return k
        k += 1


def write_counts(path, rng, n, kind, reps):
    mean, shape = KINDS[kind]
    with open(path, "w", newline="") as f:
        f.write("file,outlet,voice,measure,kind,scale,token_tests,words,"
                "count,den\n")
        for outlet in ("A", "B"):
            for d in range(n):
                words = rng.randint(200, 1200)
                name = f"{outlet}/{d:03d}.txt"
                for r in range(reps):
                    rate = rng.gammavariate(shape, mean / shape) / 1000.0
                    c = poisson(rng, rate * words)
                    f.write(f"{name},{outlet},author,m{r:04d},category,1000,"
                            f"1,{words},{c},{words}\n")


def run(binary, path, extra):
    out = subprocess.run([binary, "compare", "--counts", path, "--pair", "A",
                          "B", "--format", "csv", "--seed", "1"] + extra,
                         check=True, capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default="build/framescore")
    ap.add_argument("--sizes", default="2,3,5,10,20,30,50")
    ap.add_argument("--reps", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--alpha", type=float, default=0.05)
    ap.add_argument("--bootstrap", default="1000",
                    help="framescore's --bootstrap (default 1000)")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    tests = None
    print(f"null false-positive rate at alpha = {a.alpha}, {a.reps} "
          f"replicates per cell (seed {a.seed})\n")
    with tempfile.TemporaryDirectory() as tmp:
        for kind in KINDS:
            for n in [int(s) for s in a.sizes.split(",")]:
                path = os.path.join(tmp, f"{kind}_{n}.csv")
                write_counts(path, rng, n, kind, a.reps)
                rows = run(a.bin, path, ["--bootstrap", a.bootstrap])
                if tests is None:
                    tests = [t for t in ("mwu_p", "welch_p", "perm_p",
                                         "boot_p") if t in rows[0]]
                    print("| category | docs a side | " +
                          " | ".join(t[:-2] for t in tests) + " | shown |")
                    print("|---|---|" + "---|" * (len(tests) + 1))
                cells = []
                for t in tests:
                    ps = [r[t] for r in rows]
                    rej = sum(1 for p in ps if p != "" and float(p) < a.alpha)
                    empty = sum(1 for p in ps if p == "")
                    cells.append(f"{rej / len(ps):.3f}" +
                                 (f" ({empty} empty)" if empty else ""))
                shown = [r.get("perm_p", "") or r["boot_p"] for r in rows]
                rej = sum(1 for p in shown if p != "" and float(p) < a.alpha)
                cells.append(f"{rej / len(shown):.3f}")
                print(f"| {kind} | {n} | " + " | ".join(cells) + " |")
                sys.stdout.flush()


if __name__ == "__main__":
    main()
