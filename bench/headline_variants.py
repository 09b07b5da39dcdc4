#!/usr/bin/env python3
"""headline_variants.py - PTC tuning articles -> Spearman of candidate
definitions of the headline score (`loaded_score`) with the annotated
density of Loaded_Language + Name_Calling spans per 1,000 words.

What is measured
    The headline sums the weights of matches of the families loaded, label,
    attribution, evidence and scare_quote per 1,000 words, the author's
    voice at 1 and quoted speech at 0.5 of its matches and words (the
    default --quote-weight, since session 27); event entries weigh 0 and
    repeats of a `once` entry (naming labels) in a document weigh 0. Each variant below changes one
    thing (normalisation, voices, families, how repeats count) and is
    computed from one `report --matches` run, with a paired bootstrap 95%
    interval of its difference to the shipped headline (2,000 resamples of
    articles, seed 1: the same resample for both scores). Three more combine
    the families with weights learnt from the tuning articles (non-negative
    least squares, fitted on two folds and applied to the third, and
    in-sample) or average ranks. The last two columns correlate each
    variant with the own-voice gold instead: spans whose first word
    framescore puts in the author's voice, per 1,000 author-voice words
    (from `framescore kwic '*'`, as bench/article_validity.py does).

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

Needs Python 3, numpy and scipy.
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

import numpy as np
from scipy.optimize import nnls
from scipy.stats import rankdata, spearmanr

from article_validity import own_voice_density, read_gold, read_gold_spans, word_voices
from fsbench import framescore_env, part_of, ptc_manifest

SCORED = {"loaded", "label", "attribution", "evidence", "scare_quote"}


def family(category):
    return category.split(".")[0]


def variant(doc, matches, cats=lambda c: True, voices=("author",), norm="author",
            event=0.0, once=("label.naming",), naming_scale=1.0, scale_weights=True,
            quote_weight=0.5):
    """One candidate score of a document. `once`: the categories whose
    entries count at their first match per voice only (the shipped rule
    flags every label.naming entry; () counts every use). `quote_weight`:
    quoted matches count at that fraction of their weight, and quoted words
    at that fraction of a word (norm "author" only)."""
    total, seen = 0.0, set()
    for m in matches:
        c = m["category"]
        quoted = quote_weight > 0 and m["voice"] == "quote"
        if family(c) not in SCORED or not cats(c) or (m["voice"] not in voices and not quoted):
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
        w = w if scale_weights else (1.0 if w > 0 else 0.0)
        total += w * quote_weight if quoted else w
    den = {"author": doc["author_words"] + quote_weight * doc["quote_words"], "all": doc["words"],
           "sentence": doc["sentences"] / 1000.0,
           "sqrt": math.sqrt(doc["words"]) * 1000.0 / 30.0, "none": 1000.0}[norm]
    return 1000.0 * total / den if den > 0 else math.nan


VARIANTS = [
    ("shipped rule (Python copy; must equal loaded_score)", {}),
    ("own voice only (--quote-weight 0, the rule before session 27)",
     {"quote_weight": 0.0}),
    ("every use of naming labels counts (no once)", {"once": ()}),
    ("per 1,000 words of all voices", {"norm": "all"}),
    ("per sentence", {"norm": "sentence"}),
    ("per sqrt(words)", {"norm": "sqrt"}),
    ("raw sum", {"norm": "none"}),
    ("match counts instead of weights", {"scale_weights": False}),
    ("event entries at weight 1", {"event": 1.0}),
    ("all voices, per 1,000 words",
     {"voices": ("author", "quote"), "norm": "all", "quote_weight": 1.0}),
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
    ("quoted speech at 1/4 (matches and words)", {"quote_weight": 0.25}),
    ("quoted speech at 3/4 (matches and words)", {"quote_weight": 0.75}),
    ("quoted speech at full weight (matches and words)", {"quote_weight": 1.0}),
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
    spans, voices = read_gold_spans(labels), word_voices(manifest, out)
    own = [own_voice_density(spans.get(a, []), voices.get(docs[a]["file"], [])) for a in ids]
    head = [float(docs[a]["loaded_score"]) for a in ids]
    rng_seed, resamples = 1, 2000
    samples = []
    rng = random.Random(rng_seed)
    for _ in range(resamples):
        samples.append([rng.randrange(len(ids)) for _ in ids])

    def rho(values, sample=None, target=density):
        idx = sample if sample is not None else range(len(ids))
        pairs = [(target[i], values[i]) for i in idx
                 if not math.isnan(values[i]) and not math.isnan(target[i])]
        return float(spearmanr([p[0] for p in pairs], [p[1] for p in pairs]).statistic)

    rows = [(name, [variant(docs[a], matches[a], **kw) for a in ids]) for name, kw in VARIANTS]
    rows += fitted(ids, docs, matches, density, head)
    print(f"PTC tuning articles (folds 0-2): {len(ids)}; headline loaded_score: "
          f"Spearman {rho(head):.3f} (all spans per 1,000 words), "
          f"{rho(head, target=own):.3f} (own-voice spans per 1,000 author-voice words)")
    print(f"{'variant':<56}  {'rho':>6}  {'diff':>7}  {'2.5%':>7}  {'97.5%':>7}  "
          f"{'own rho':>7}  {'diff':>7}")
    for name, values in rows:
        diffs = sorted(rho(values, s) - rho(head, s) for s in samples)
        lo, hi = diffs[int(0.025 * resamples)], diffs[int(0.975 * resamples) - 1]
        r, r_own = rho(values), rho(values, target=own)
        print(f"{name:<56}  {r:6.3f}  {r - rho(head):+7.3f}  {lo:+7.3f}  {hi:+7.3f}  "
              f"{r_own:7.3f}  {r_own - rho(head, target=own):+7.3f}")
    return 0


GROUPS = [("loaded.*", lambda c: family(c) == "loaded"),
          ("label.pejorative", lambda c: c == "label.pejorative"),
          ("label.naming", lambda c: c == "label.naming"),
          ("label.distancing", lambda c: c == "label.distancing"),
          ("attribution.*", lambda c: family(c) == "attribution"),
          ("evidence.*", lambda c: family(c) == "evidence"),
          ("scare_quote", lambda c: c == "scare_quote")]


def fitted(ids, docs, matches, density, head):
    """Scores that combine the families with weights learnt from the data:
    non-negative least squares of the density on the families' headline
    rates, fitted on two tuning folds and applied to the third (so no
    article is scored by weights fitted on it), and the same fitted on all
    tuning articles (in-sample, an upper bound); and the mean of the ranks
    of the headline and of loaded.* alone."""
    x = np.nan_to_num(np.array([[variant(docs[a], matches[a], cats=f) for _, f in GROUPS]
                                for a in ids]))
    y = np.array(density)
    folds = np.array([int(a) % 5 for a in ids])
    out = np.zeros(len(ids))
    for f in sorted(set(folds)):
        w, _ = nnls(x[folds != f], y[folds != f])
        out[folds == f] = x[folds == f] @ w
    w, _ = nnls(x, y)
    weights = ", ".join(f"{n} {v / w[0]:.2f}" for (n, _), v in zip(GROUPS, w)) if w[0] else ""
    print(f"family weights fitted on all tuning articles (loaded.* = 1): {weights}")
    return [("family weights fitted (NNLS), leave-one-fold-out", list(out)),
            ("family weights fitted (NNLS), in-sample", list(x @ w)),
            ("mean rank of the headline and loaded.*",
             list(rankdata(head) + rankdata(x[:, 0])))]

if __name__ == "__main__":
    sys.exit(main(sys.argv))
