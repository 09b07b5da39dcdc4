#!/usr/bin/env python3
"""headline_variants.py - PTC tuning articles -> Spearman of candidate
definitions of the headline score (`loaded_score`) with the annotated
density of Loaded_Language + Name_Calling spans per 1,000 words.

What is measured
    The headline sums the weights of matches of the families loaded, label,
    attribution, evidence and scare_quote per 1,000 words, the author's
    voice at 1 and quoted speech at 0.5 of its matches and words (the
    default --quote-weight, since session 27); event entries weigh 0 and
    repeats of a `once` entry (naming labels) in a document weigh 0. Each
    variant below changes one thing (normalisation, voices, families, how repeats count) and is
    computed from one `report --matches` run, with a paired bootstrap 95%
    interval of its difference to the shipped headline (2,000 resamples of
    articles, seed 1: the same resample for both scores). Three more combine
    the families with weights learnt from the tuning articles (non-negative
    least squares, fitted on two folds and applied to the third, and
    in-sample) or average ranks. Four shrink each article's rate toward
    the rate of all tuning articles by its length (empirical Bayes, the
    prior's strength from the spread of the rates, not from annotations).
    Five weigh matches by a context model that never saw the article: for
    each tuning fold one is trained (`train --context`, as the shipped
    model's command) on the other two tuning folds and the BABE SG2 tuning
    rows (a hash of news_link, as bench/validity.sh), and `report
    --context-model` gives each match its probability; the shipped
    models/context.model was trained on all PTC articles, tuning folds
    included, so it would score them in-sample. The last two columns correlate each
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

    and, for the context variants, the models OUT/context_F.model of tuning
    folds F = 0, 1, 2 (about a minute each), OUT/babe_tuning.tsv (SG2 rows
    from DATA_DIR/babe-mbic/converted; without it the models see PTC only)
    and OUT/ctx_matches_F.csv.

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
from fsbench import TUNING_FOLDS, framescore_env, part_of, ptc_manifest

SCORED = {"loaded", "label", "attribution", "evidence", "scare_quote"}


def family(category):
    return category.split(".")[0]


def variant(doc, matches, cats=lambda c: True, voices=("author",), norm="author",
            event=0.0, once=("label.naming",), naming_scale=1.0, scale_weights=True,
            quote_weight=0.5, prob=None, parts=False, scare_scale=1.0):
    """One candidate score of a document. `once`: the categories whose
    entries count at their first match per voice only (the shipped rule
    flags every label.naming entry; () counts every use). `quote_weight`:
    quoted matches count at that fraction of their weight, and quoted words
    at that fraction of a word (norm "author" only). `prob`: "times" weighs
    each match by its out-of-fold context probability (m["p"], what `report
    --context-model` does), "only" counts the probability instead of the
    weight (the expected number of annotated matches). `parts`: return
    (summed weights, denominator in words) instead of the rate."""
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
        if c in once:  # a scare quote's pattern is '"..."': its words instead
            key = (m["surface"].lower() if c == "scare_quote" else m["pattern"], m["voice"])
            if key in seen:
                continue
            seen.add(key)
        if c == "label.naming":
            w *= naming_scale
        if c == "scare_quote":
            w *= scare_scale
        w = w if scale_weights else (1.0 if w > 0 else 0.0)
        if prob == "times":
            w *= m["p"]
        elif prob == "only":
            w = m["p"] if w > 0 else 0.0
        total += w * quote_weight if quoted else w
    if parts:
        return total, doc["author_words"] + quote_weight * doc["quote_words"]
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
    ("scare quotes once per document and quoted words",
     {"once": ("label.naming", "scare_quote")}),
    ("scare quotes at half weight", {"scare_scale": 0.5}),
    ("loaded.* entries once too",
     {"once": ("label.naming", "loaded.emotive", "loaded.moral", "loaded.dismissive",
               "loaded.exaggeration")}),
]


def babe_tuning(sg2, out):
    """The BABE SG2 rows of the tuning part (a stable hash of news_link
    modulo 5 below 3, as bench/validity.sh splits them) in OUT/babe_tuning.tsv."""
    path = os.path.join(out, "babe_tuning.tsv")
    with open(sg2, encoding="utf-8") as f, open(path, "w", encoding="utf-8") as o:
        header = f.readline()
        o.write(header)
        cols = header.rstrip("\n").split("\t")
        c = cols.index("news_link") if "news_link" in cols else None
        for n, line in enumerate(f, 2):
            fields = line.rstrip("\n").split("\t")
            key = fields[c] if c is not None and c < len(fields) else ""
            if key == "":
                key = f"line {n}"
            h = 0
            for ch in key:
                h = (h * 31 + (ord(ch) if ord(ch) < 256 else 0)) % 1000003
            if h % 5 < 3:
                o.write(line)
    return path


def context_probs(ids, labels, sg2, docs, matches, out):
    """Each tuning match's probability under a context model that never saw
    its article: for each tuning fold, `train --context` (as the shipped
    model's command: --words-weight 3, 5 folds, seed 1) on the PTC articles
    of the other two tuning folds and the BABE tuning rows, then `report
    --context-model` over the held-out fold's articles. Sets m["p"] on every
    match (matched by file, offsets, category and pattern)."""
    binary, env = framescore_env()
    words = babe_tuning(sg2, out) if os.path.isfile(sg2) else None
    for fold in sorted(TUNING_FOLDS):
        train_dir = os.path.join(out, f"ctx_train_{fold}")
        os.makedirs(train_dir, exist_ok=True)
        for a in ids:
            if int(a) % 5 != fold:
                link = os.path.join(train_dir, f"article{a}.txt")
                if not os.path.lexists(link):
                    os.symlink(os.path.realpath(os.path.join(out, docs[a]["file"])), link)
        model = os.path.join(out, f"context_{fold}.model")
        cmd = [binary, "train", "--context", "--spans", labels, "--articles", train_dir]
        if words:
            cmd += ["--words", words, "--words-weight", "3"]
        run(cmd + ["--folds", "5", "--seed", "1", "-o", model], env)
        held = [a for a in ids if int(a) % 5 == fold]
        manifest = os.path.join(out, f"ctx_manifest_{fold}.csv")
        with open(manifest, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["path", "outlet"])
            for a in held:
                w.writerow([docs[a]["file"], "ptc"])
        mcsv = os.path.join(out, f"ctx_matches_{fold}.csv")
        run([binary, "report", "--manifest", manifest, "--context-model", model, "--format",
             "jsonl", "--matches", mcsv, "--threads", "2", "-o", os.devnull], env)
        probs = {}
        with open(mcsv, newline="", encoding="utf-8") as f:
            for m in csv.DictReader(f):
                probs[(m["file"], m["byte_start"], m["byte_end"], m["category"],
                       m["pattern"])] = \
                    float(m["context_prob"]) if m["context_prob"] else math.nan
        for a in held:
            for m in matches[a]:
                m["p"] = probs.get((m["file"], m["byte_start"], m["byte_end"], m["category"],
                                    m["pattern"]), math.nan)


def run(cmd, env):
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"framescore failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return proc


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
    rows += shrunk(ids, docs, matches)
    context_probs(ids, labels, os.path.join(os.path.dirname(os.path.dirname(labels)), "babe-mbic",
                                            "converted", "final_labels_SG2.tsv"),
                  docs, matches, out)
    rows += [(name, [variant(docs[a], matches[a], **kw) for a in ids]) for name, kw in CONTEXT]
    rows.append(("expected annotated spans per 1,000 words (max p per span, every "
                 "category and voice)", [expected_spans(docs[a], matches[a]) for a in ids]))
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


CONTEXT = [
    ("context weights: weight x p (report --context-model; p out of fold)", {"prob": "times"}),
    ("context: p instead of the weight (expected annotated matches)", {"prob": "only"}),
    ("context: p instead of the weight, every use of naming labels",
     {"prob": "only", "once": ()}),
    ("context: p instead of the weight, all voices per 1,000 words",
     {"prob": "only", "voices": ("author", "quote"), "norm": "all", "quote_weight": 1.0}),
]


def expected_spans(doc, matches):
    """The expected number of annotated spans per 1,000 words, as the gold
    density counts them: every match the context model gives a probability,
    in any category and voice, the largest probability of the matches on one
    span (overlapping categories are one span)."""
    best = {}
    for m in matches:
        if m["event"] == "1" or math.isnan(m["p"]):
            continue
        key = (m["byte_start"], m["byte_end"])
        best[key] = max(best.get(key, 0.0), m["p"])
    return 1000.0 * sum(best.values()) / doc["words"] if doc["words"] else math.nan


def shrunk(ids, docs, matches):
    """Empirical-Bayes rates: each article's headline shrunk toward the
    rate of all tuning articles by its length. A gamma prior on the rate
    (mean r0, variance tau2) and compound-Poisson weights (phi = sum w^2 /
    sum w over all matches) give (A + b r0) / (n + b), n in thousands of
    (weighted) words, b = phi r0 / tau2 thousand words, tau2 = var(rates) -
    phi r0 mean(1/n) by the method of moments (the annotations are not
    read). Also b at fixed values, to see how the Spearman moves with it."""
    parts = [variant(docs[a], matches[a], parts=True) for a in ids]
    total = sum(t for t, _ in parts)
    words = sum(n for _, n in parts) / 1000.0
    r0 = total / words
    w1 = w2 = 0.0
    for a in ids:
        seen = set()
        for m in matches[a]:
            if family(m["category"]) in SCORED and m["event"] != "1":
                if m["category"] == "label.naming":
                    if (m["pattern"], m["voice"]) in seen:
                        continue
                    seen.add((m["pattern"], m["voice"]))
                w = float(m["entry_weight"]) * (0.5 if m["voice"] == "quote" else 1.0)
                w1, w2 = w1 + w, w2 + w * w
    phi = w2 / w1
    rates = [1000.0 * t / n for t, n in parts if n > 0]
    mean = sum(rates) / len(rates)
    var = sum((r - mean) ** 2 for r in rates) / (len(rates) - 1)
    inv = sum(1000.0 / n for _, n in parts if n > 0) / len(rates)
    tau2 = var - phi * r0 * inv
    b = phi * r0 / tau2 if tau2 > 0 else math.inf
    print(f"empirical Bayes: corpus rate {r0:.2f} per 1,000 words, phi {phi:.2f}, "
          f"between-article variance {tau2:.2f} of {var:.2f}, prior {b:.3f} thousand words")
    rows = []
    for name, strength in ((f"shrunk toward the corpus rate (empirical Bayes, b = {b:.2f}k words)",
                            b), ("shrunk, b = 0.25k words", 0.25), ("shrunk, b = 1k words", 1.0),
                           ("shrunk, b = 4k words", 4.0)):
        rows.append((name, [(t + strength * r0) / (n / 1000.0 + strength) if n > 0 else math.nan
                            for t, n in parts]))
    return rows


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
