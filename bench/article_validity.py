#!/usr/bin/env python3
"""Article-level validity of framescore's loaded-language scores on PTC.

What is measured
    For every article of the SemEval-2020 Task 11 Propaganda Techniques
    Corpus (PTC, training part) the gold density is the number of spans
    annotated ``Loaded_Language`` or ``Name_Calling,Labeling`` per 1,000
    words (words = the "words" field framescore reports for the article).
    The script prints the Spearman correlation between that density and
    each per-article score framescore produces:

    * ``loaded_score`` (the headline score of the JSONL output);
    * every framing dimension of ``--dimensions`` (its per-document
      ``value`` column; documents whose value is NA are left out);
    * candidate headline scores computed from the JSONL categories,
      author-voice counts per 1,000 author-voice words:
        (a) loaded.*
        (b) loaded.* + label.pejorative
        (c) loaded.* + label.*
        (d) loaded.* + label.* + scare_quote
      and (e) loaded.* + label.pejorative in all voices (author + quote)
      per 1,000 words.

Fold rule (never report a number measured on data that informed a decision)
    fold = int(article_id) % 5; folds 0, 1, 2 are TUNING, folds 3, 4 are
    REPORT.  Every correlation is printed for tuning, report and all.

Commands
    bench/article_validity.py DATA_DIR [OUT_DIR]

    DATA_DIR holds ``semeval2020-task11-ptc`` (``train-articles/`` and
    ``train-task2-TC.labels``).  Without OUT_DIR a temporary folder is used
    and removed.  The articles are never copied: OUT_DIR gets a folder of
    symbolic links, a manifest (``path,outlet``; one outlet "ptc") and
    framescore's outputs, from

        $FRAMESCORE report --manifest OUT/manifest.csv --format jsonl \\
            --dimensions OUT/dims.csv --scores OUT/scores.csv --threads 2 \\
            -o OUT/report.jsonl

    FRAMESCORE defaults to build/framescore in the repository (the parent
    of this script's folder); FRAMESCORE_LEXICONS / FRAMESCORE_MODELS
    default to the repository's lexicons/ and models/.  When the data are
    absent the script prints "skipped: ..." and exits 0.

Needs Python 3 and scipy.
"""

import csv
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter

from scipy.stats import spearmanr

from fsbench import PARTS, framescore_env, part_of, ptc_manifest

GOLD_TECHNIQUES = {"Loaded_Language", "Name_Calling,Labeling"}


def read_gold(labels_path):
    """article id -> number of Loaded_Language / Name_Calling spans."""
    counts = Counter()
    with open(labels_path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            fields = line.split("\t")
            if len(fields) != 4:
                print(f"warning: {labels_path}:{lineno}: {len(fields)} fields", file=sys.stderr)
                continue
            if fields[1] in GOLD_TECHNIQUES:
                counts[fields[0]] += 1
    return counts


def read_gold_spans(labels_path):
    """article id -> [(begin, end)] of the Loaded_Language / Name_Calling spans."""
    spans = {}
    with open(labels_path, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 4 and fields[1] in GOLD_TECHNIQUES:
                spans.setdefault(fields[0], []).append((int(fields[2]), int(fields[3])))
    return spans


def word_voices(manifest, out_dir):
    """article path -> sorted [(char_start, char_end, voice)] of every word,
    from `framescore kwic '*'` (the voice framescore gives each word)."""
    binary, env = framescore_env()
    out = os.path.join(out_dir, "words.csv")
    cmd = [binary, "kwic", "*", "--window", "0", "--format", "csv", "--manifest", manifest,
           "--threads", "2", "-o", out]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit(f"framescore failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    words = {}
    with open(out, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            words.setdefault(row["file"], []).append(
                (int(row["char_start"]), int(row["char_end"]), row["voice"]))
    for w in words.values():
        w.sort()
    return words


def own_voice_density(spans, words):
    """Gold spans whose first word framescore puts in the author's voice,
    per 1,000 author-voice words (nan without author-voice words)."""
    author = sum(1 for _, _, v in words if v == "author")
    n = 0
    for begin, end in spans:
        first = next((w for w in words if w[1] > begin), None)
        if first and first[0] < end and first[2] == "author":
            n += 1
    return per_1k(n, author)


def run_framescore(manifest, out_dir):
    binary, env = framescore_env()
    jsonl = os.path.join(out_dir, "report.jsonl")
    dims = os.path.join(out_dir, "dims.csv")
    scores = os.path.join(out_dir, "scores.csv")
    cmd = [binary, "report", "--manifest", manifest, "--format", "jsonl",
           "--dimensions", dims, "--scores", scores, "--threads", "2", "-o", jsonl]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.stderr.strip():
        lines = proc.stderr.strip().splitlines()
        print(f"framescore: {len(lines)} line(s) on stderr, first: {lines[0]}", file=sys.stderr)
    if proc.returncode not in (0, 1):  # 1 = some input unusable, rest reported
        sys.exit(f"framescore failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return jsonl, dims, scores


def per_1k(num, den):
    return 1000.0 * num / den if den > 0 else math.nan


def voice_sum(categories, match, voices):
    return sum(c.get(v, 0) for name, c in categories.items() if match(name) for v in voices)


def is_loaded(name):
    return name.startswith("loaded.")


CANDIDATES = [
    ("cand_a loaded.*", lambda n: is_loaded(n), ("author",), "author_words"),
    ("cand_b loaded.*+label.pejorative",
     lambda n: is_loaded(n) or n == "label.pejorative", ("author",), "author_words"),
    ("cand_c loaded.*+label.*",
     lambda n: is_loaded(n) or n.startswith("label."), ("author",), "author_words"),
    ("cand_d loaded.*+label.*+scare_quote",
     lambda n: is_loaded(n) or n.startswith("label.") or n == "scare_quote",
     ("author",), "author_words"),
    ("cand_e all-voice loaded.*+label.pejorative",
     lambda n: is_loaded(n) or n == "label.pejorative", ("author", "quote"), "words"),
]


def spearman(pairs):
    """(rho, n) over pairs with both values finite; rho is nan if undefined."""
    pairs = [(x, y) for x, y in pairs if not (math.isnan(x) or math.isnan(y))]
    if len(pairs) < 3 or len({x for x, _ in pairs}) < 2 or len({y for _, y in pairs}) < 2:
        return math.nan, len(pairs)
    rho = spearmanr([x for x, _ in pairs], [y for _, y in pairs]).statistic
    return float(rho), len(pairs)


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) >= 2 else 2
    ptc = os.path.join(argv[1], "semeval2020-task11-ptc")
    articles_dir = os.path.join(ptc, "train-articles")
    labels = os.path.join(ptc, "train-task2-TC.labels")
    if not (os.path.isdir(articles_dir) and os.path.isfile(labels)):
        print(f"skipped: PTC data not found under {ptc}")
        return 0

    if len(argv) > 2:
        os.makedirs(argv[2], exist_ok=True)
        return measure(articles_dir, labels, argv[2])
    with tempfile.TemporaryDirectory(prefix="article_validity.") as tmp:
        return measure(articles_dir, labels, tmp)


def measure(articles_dir, labels, out_dir):
    started = time.time()
    gold = read_gold(labels)
    ids = sorted(m.group(1) for f in os.listdir(articles_dir)
                 if (m := re.fullmatch(r"article(\d+)\.txt", f)))
    unlabelled = set(gold) - set(ids)
    if unlabelled:
        print(f"warning: {len(unlabelled)} labelled ids have no article", file=sys.stderr)

    manifest = ptc_manifest(articles_dir, ids, out_dir)

    jsonl, dims_csv, _ = run_framescore(manifest, out_dir)

    def article_id(path):
        return re.fullmatch(r"article(\d+)\.txt", os.path.basename(path)).group(1)

    docs = {}
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                docs[article_id(row["file"])] = row
    missing = [a for a in ids if a not in docs]
    if missing:
        print(f"warning: {len(missing)} articles missing from framescore's output", file=sys.stderr)

    # score name -> article id -> value
    scores = {"loaded_score": {}}
    for aid, d in docs.items():
        scores["loaded_score"][aid] = float(d["loaded_score"])
        for name, match, voices, den in CANDIDATES:
            scores.setdefault(name, {})[aid] = per_1k(
                voice_sum(d.get("categories", {}), match, voices), d[den])
    dim_names = []
    with open(dims_csv, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = "dim " + row["dimension"]
            if name not in scores:
                scores[name] = {}
                dim_names.append(name)
            value = row["value"].strip()  # "NA" (or empty) when undefined
            scores[name][article_id(row["file"])] = (
                math.nan if value in ("", "NA") else float(value))

    density = {aid: per_1k(gold.get(aid, 0), d["words"]) for aid, d in docs.items()}
    gold_spans = read_gold_spans(labels)
    voices = word_voices(manifest, out_dir)
    own_density = {aid: own_voice_density(gold_spans.get(aid, []), voices.get(d["file"], []))
                   for aid, d in docs.items()}
    parts = {aid: part_of(aid) for aid in docs}
    counts = Counter(parts.values())

    print(f"PTC articles: {len(docs)} (tuning {counts['tuning']}, report {counts['report']}); "
          f"gold spans {sum(gold[a] for a in docs)}; "
          f"articles without gold spans {sum(1 for a in docs if gold.get(a, 0) == 0)}")
    order = ["loaded_score"] + [c[0] for c in CANDIDATES] + dim_names
    width = max(len(n) for n in order)
    for title, gold_density in (("all spans per 1,000 words", density),
                                ("own-voice spans per 1,000 author-voice words", own_density)):
        print(f"\nSpearman with the annotated density: {title}")
        print(f"{'score':<{width}}  {'tuning':>7}  {'report':>7}  {'all':>7}  {'n':>4}")
        for name in order:
            cells = []
            n_all = 0
            for part in PARTS:
                pairs = [(gold_density[a], scores[name].get(a, math.nan)) for a in docs
                         if part == "all" or parts[a] == part]
                rho, n = spearman(pairs)
                cells.append("    nan" if math.isnan(rho) else f"{rho:7.3f}")
                if part == "all":
                    n_all = n
            print(f"{name:<{width}}  {'  '.join(cells)}  {n_all:>4}")
    bootstrap(docs, parts, density, scores)
    spans_by_part(articles_dir, labels, ids, out_dir)
    print(f"elapsed {time.time() - started:.1f}s")
    return 0


def bootstrap(docs, parts, density, scores, resamples=2000, seed=1):
    """How much of a difference between two scores is noise: for each part,
    a 95% percentile interval of the headline's Spearman with the all-span
    density, and of the paired difference (score - headline) for the single
    dimension and the candidate sums, over articles resampled with
    replacement (the same resample for both scores of a pair)."""
    import random
    rivals = ["dim loaded_language", "cand_a loaded.*", "cand_b loaded.*+label.pejorative"]
    print(f"\nBootstrap over articles ({resamples} resamples, seed {seed}): 95% intervals "
          "(all spans per 1,000 words)")
    print(f"{'part':<7}  {'what':<48}  {'rho/diff':>8}  {'2.5%':>7}  {'97.5%':>7}")
    for part in ("tuning", "report"):
        ids = [a for a in sorted(docs) if parts[a] == part
               and all(not math.isnan(scores[n].get(a, math.nan)) for n in ["loaded_score"] + rivals)]
        rng = random.Random(seed)

        def rho(sample, name):
            r, _ = spearman([(density[a], scores[name][a]) for a in sample])
            return r

        draws = {name: [] for name in ["loaded_score"] + rivals}
        for _ in range(resamples):
            sample = [ids[rng.randrange(len(ids))] for _ in ids]
            head = rho(sample, "loaded_score")
            draws["loaded_score"].append(head)
            for name in rivals:
                draws[name].append(rho(sample, name) - head)
        for name, values in draws.items():
            values = sorted(v for v in values if not math.isnan(v))
            lo, hi = values[int(0.025 * len(values))], values[int(0.975 * len(values)) - 1]
            point = rho(ids, name) - (0 if name == "loaded_score" else rho(ids, "loaded_score"))
            what = "loaded_score" if name == "loaded_score" else name + " - loaded_score"
            print(f"{part:<7}  {what:<48}  {point:8.3f}  {lo:7.3f}  {hi:7.3f}")


def spans_by_part(articles_dir, labels, ids, out_dir, extra=()):
    """Span F1 (SemEval-2020 Task 11 partial credit, eval --spans with the
    default lexicons and model) on the tuning and report articles apart."""
    binary, env = framescore_env()
    print()
    print("PTC Loaded_Language + Name_Calling spans, partial-credit F1 "
          "(eval --spans" + "".join(" " + a for a in extra) + ")")
    print(f"{'part':<8}  {'F1':>6}  {'P':>6}  {'R':>6}  {'LL F1':>6}  {'NC F1':>6}  articles")
    for part in ("tuning", "report"):
        folder = os.path.join(out_dir, "articles_" + part)
        os.makedirs(folder, exist_ok=True)
        n = 0
        for aid in ids:
            if part_of(aid) != part:
                continue
            name = f"article{aid}.txt"
            link = os.path.join(folder, name)
            if not os.path.lexists(link):
                os.symlink(os.path.abspath(os.path.join(articles_dir, name)), link)
            n += 1
        cmd = [binary, "eval", "--spans", labels, "--articles", folder,
               "--format", "jsonl", *extra]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"framescore failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
        rows = {}
        for line in proc.stdout.splitlines():
            row = json.loads(line)
            if row.get("section") == "spans":
                rows[row["name"]] = row
        a = rows["all"]
        print(f"{part:<8}  {a['f1']:6.3f}  {a['precision']:6.3f}  {a['recall']:6.3f}  "
              f"{rows['Loaded_Language']['f1']:6.3f}  "
              f"{rows['Name_Calling,Labeling']['f1']:6.3f}  {n}")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
