#!/usr/bin/env python3
"""mixed_lang.py - what a mixed English and Russian run costs (issue 20).

    python3 bench/mixed_lang.py FS [BASE_FS] [--copies 1500] [--runs 9]

Builds a corpus in a temporary folder from the invented example articles
(examples/corpus, English, and examples/ru/corpus, Russian: COPIES copies
of each language), then times `report --format csv` in one invocation, the
runs of each binary alternated, and prints medians of wall time and the
ratios that count on a shared machine: the mixed run against the sum of the
two one-language runs (same binary), and, with BASE_FS (a build of the
commit before the change), FS against BASE_FS on each language alone.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def corpus(root, copies):
    src = {
        "en": sorted(os.path.join(dp, f)
                     for dp, _, fs in os.walk(os.path.join(HERE, "..", "examples", "corpus"))
                     for f in fs if f.endswith(".txt")),
        "ru": sorted(os.path.join(dp, f)
                     for dp, _, fs in os.walk(os.path.join(HERE, "..", "examples", "ru", "corpus"))
                     for f in fs if f.endswith(".txt")),
    }
    rows = {"en": [], "ru": []}
    for i in range(copies):
        for lang in ("en", "ru"):
            outlet = f"{lang}{i % 10}"
            os.makedirs(os.path.join(root, outlet), exist_ok=True)
            path = f"{outlet}/{i}.txt"
            shutil.copy(src[lang][i % len(src[lang])], os.path.join(root, path))
            rows[lang].append(f"{path},{outlet},{lang}")
    head = "path,outlet,lang\n"
    for lang in ("en", "ru"):
        with open(os.path.join(root, f"{lang}.csv"), "w") as f:
            f.write(head + "\n".join(rows[lang]) + "\n")
    with open(os.path.join(root, "mixed.csv"), "w") as f:
        mixed = [r for pair in zip(rows["en"], rows["ru"]) for r in pair]
        f.write(head + "\n".join(mixed) + "\n")


def timed(fs, manifest):
    t = time.perf_counter()
    subprocess.run([fs, "report", "--manifest", manifest, "--format", "csv",
                    "--threads", "1", "--quiet", "-o", os.devnull], check=True)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fs")
    ap.add_argument("base", nargs="?")
    ap.add_argument("--copies", type=int, default=1500)
    ap.add_argument("--runs", type=int, default=9)
    a = ap.parse_args()
    bins = {"fs": a.fs}
    if a.base:
        bins["base"] = a.base
    with tempfile.TemporaryDirectory() as root:
        corpus(root, a.copies)
        jobs = [(b, m) for m in ("en", "ru", "mixed") for b in bins
                if not (b == "base" and m == "mixed")]
        for b, m in jobs:  # warm the page cache once
            timed(bins[b], os.path.join(root, m + ".csv"))
        times = {j: [] for j in jobs}
        for _ in range(a.runs):
            for b, m in jobs:
                times[(b, m)].append(timed(bins[b], os.path.join(root, m + ".csv")))
    med = {j: statistics.median(v) for j, v in times.items()}
    print(f"report --format csv --threads 1, {a.copies} documents a language, "
          f"{a.runs} runs, medians of wall time")
    for (b, m), v in med.items():
        print(f"  {b:4} {m:5} {v:.3f} s")
    print(f"mixed / (english + russian): "
          f"{med[('fs', 'mixed')] / (med[('fs', 'en')] + med[('fs', 'ru')]):.3f}")
    if a.base:
        for m in ("en", "ru"):
            print(f"{m}: fs / base {med[('fs', m)] / med[('base', m)]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
