#!/usr/bin/env python3
"""headline_variants.py - PTC tuning articles -> Spearman of candidate
definitions of the headline score (`loaded_score`) with the annotated
density of Loaded_Language + Name_Calling spans per 1,000 words.

What is measured
    The headline sums the weights of author-voice matches of the families
    loaded, label, attribution, evidence and scare_quote per 1,000
    author-voice words; event entries weigh 0 and repeats of a `once` entry
    (naming labels) in a document weigh 0. Each variant below changes one
    thing (normalisation, voices, families, how repeats count) and is
    computed from one `report --matches` run, with a paired bootstrap 95%
    interval of its difference to the shipped headline (2,000 resamples of
    articles, seed 1: the same resample for both scores).

    Only the TUNING folds (article id % 5 in 0-2) are read: this is where
    the headline's definition is decided. The report folds are measured by
    bench/article_validity.py, once per decision.

Commands
    bench/headline_variants.py DATA_DIR [OUT_DIR]

    DATA_DIR holds ``semeval2020-task11-ptc``. OUT_DIR (default: a
    temporary folder) gets symbolic links to the tuning articles, a manifest
    and framescore's outputs:

        $FRAMESCORE report --manifest OUT/manifest.csv --format jsonl \\
            --matches OUT/matches.csv --threads 2 -o OUT/report.jsonl

    FRAMESCORE, FRAMESCORE_LEXICONS and FRAMESCORE_MODELS as in fsbench.py.
    Without the data the script prints "skipped: ..." and exits 0.

Needs Python 3 and scipy.
"""

import csv
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
from collections import defaultdict

from scipy.stats import spearmanr

from article_validity import read_gold
from fsbench import framescore_env, part_of, ptc_manifest

SCORED = {"loaded", "label", "attribution", "evidence", "scare_quote"}


def family(category):
    return category.split(".")[0]


def variant(doc, matches, cats=lambda c: True, voices=("author",), norm="author",
            event=0.0, once=("label.naming",), naming_scale=1.0, scale_weights=True):
    """One candidate score of a document. `once`: the categories whose
    entries count at their first match per voice only (the shipped rule
    flags every label.naming entry; () counts every use)."""
    total, seen = 0.0, set()
    for m in matches:
        c = m["category"]
        if family(c) not in SCORED or not cats(c) or m["voice"] not in voices:
            continue
        if m["event"] == "1":
            total += event
            continue
        w = float(m["entry_weight"])
        if c in once:
            key = (m["pattern"], m["voice"])
            if key in seen:
                continue
            seen.add(key)
        if c == "label.naming":
            w *= naming_scale
        total += w if scale_weights else (1.0 if w > 0 else 0.0)
    den = {"author": doc["author_words"], "all": doc["words"],
           "sentence": doc["sentences"] / 1000.0,
           "sqrt": math.sqrt(doc["words"]) * 1000.0 / 30.0, "none": 1000.0}[norm]
    return 1000.0 * total / den if den > 0 else math.nan


VARIANTS = [
    ("shipped rule (Python copy; must equal loaded_score)", {}),
    ("every use of naming labels counts (no once)", {"once": ()}),
    ("per 1,000 words of all voices", {"norm": "all"}),
    ("per sentence", {"norm": "sentence"}),
    ("per sqrt(words)", {"norm": "sqrt"}),
    ("raw sum", {"norm": "none"}),
    ("match counts instead of weights", {"scale_weights": False}),
    ("event entries at weight 1", {"event": 1.0}),
    ("all voices, per 1,000 words", {"voices": ("author", "quote"), "norm": "all"}),
    ("without attribution", {"cats": lambda c: family(c) != "attribution"}),
    ("without evidence", {"cats": lambda c: family(c) != "evidence"}),
    ("without scare quotes", {"cats": lambda c: c != "scare_quote"}),
    ("without naming labels", {"cats": lambda c: c != "label.naming"}),
    ("loaded.* + label.pejorative",
     {"cats": lambda c: family(c) == "loaded" or c == "label.pejorative"}),
    ("loaded.* only", {"cats": lambda c: family(c) == "loaded"}),
    ("naming labels once, at half weight", {"naming_scale": 0.5}),
    ("every label.* entry once",
     {"once": ("label.naming", "label.pejorative", "label.distancing")}),
    ("loaded.* entries once too",
     {"once": ("label.naming", "loaded.emotive", "loaded.moral", "loaded.dismissive",
               "loaded.exaggeration")}),
]


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) >= 2 else 2
    ptc = os.path.join(argv[1], "semeval2020-task11-ptc")
    articles = os.path.join(ptc, "train-articles")
    labels = os.path.join(ptc, "train-task2-TC.labels")
    if not (os.path.isdir(articles) and os.path.isfile(labels)):
        print(f"skipped: PTC data not found under {ptc}")
        return 0
    if len(argv) > 2:
        os.makedirs(argv[2], exist_ok=True)
        return measure(articles, labels, argv[2])
    with tempfile.TemporaryDirectory(prefix="headline_variants.") as tmp:
        return measure(articles, labels, tmp)


def article_id(path):
    return re.search(r"article(\d+)\.txt", path).group(1)


def measure(articles, labels, out):
    gold = read_gold(labels)
    ids = sorted(m.group(1) for n in os.listdir(articles)
                 if (m := re.fullmatch(r"article(\d+)\.txt", n)) and part_of(m.group(1)) == "tuning")
    manifest = ptc_manifest(articles, ids, out)
    binary, env = framescore_env()
    jsonl, mcsv = os.path.join(out, "report.jsonl"), os.path.join(out, "matches.csv")
    cmd = [binary, "report", "--manifest", manifest, "--format", "jsonl", "--matches", mcsv,
           "--threads", "2", "-o", jsonl]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"framescore failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    docs = {}
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                docs[article_id(d["file"])] = d
    matches = defaultdict(list)
    with open(mcsv, newline="", encoding="utf-8") as f:
        for m in csv.DictReader(f):
            matches[article_id(m["file"])].append(m)
    # the written weight of each match: --matches gives 0 for repeats of a
    # once entry, so take the entry's weight from its first match
    first = {}
    for ms in matches.values():
        for m in ms:
            if float(m["weight"]) != 0 or m["event"] == "1":
                first.setdefault((m["category"], m["pattern"]), m["weight"])
    for ms in matches.values():
        for m in ms:
            m["entry_weight"] = first.get((m["category"], m["pattern"]), m["weight"])
    ids = [a for a in ids if a in docs]
    density = [1000.0 * gold[a] / docs[a]["words"] for a in ids]
    head = [float(docs[a]["loaded_score"]) for a in ids]
    rng_seed, resamples = 1, 2000
    samples = []
    rng = random.Random(rng_seed)
    for _ in range(resamples):
        samples.append([rng.randrange(len(ids)) for _ in ids])

    def rho(values, sample=None):
        idx = sample if sample is not None else range(len(ids))
        pairs = [(density[i], values[i]) for i in idx if not math.isnan(values[i])]
        return float(spearmanr([p[0] for p in pairs], [p[1] for p in pairs]).statistic)

    print(f"PTC tuning articles (folds 0-2): {len(ids)}; headline loaded_score: "
          f"Spearman {rho(head):.3f}")
    print(f"{'variant':<52}  {'rho':>6}  {'diff':>7}  {'2.5%':>7}  {'97.5%':>7}")
    for name, kw in VARIANTS:
        values = [variant(docs[a], matches[a], **kw) for a in ids]
        diffs = sorted(rho(values, s) - rho(head, s) for s in samples)
        lo, hi = diffs[int(0.025 * resamples)], diffs[int(0.975 * resamples) - 1]
        print(f"{name:<52}  {rho(values):6.3f}  {rho(values) - rho(head):+7.3f}  "
              f"{lo:+7.3f}  {hi:+7.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
