#!/usr/bin/env python3
"""Within-topic outlet validity of framescore on BABE (SG2).

What is measured
    BABE's SG2 file labels single news sentences as "Biased", "Non-biased"
    or "No agreement", with their outlet and topic.  Within each topic,
    outlets with at least 8 sentences are kept (topics with fewer than 3
    such outlets are skipped).  Each outlet's share of "Biased" sentences
    ("No agreement" counts as not biased; how many there are is printed)
    is compared, by Spearman correlation across the topic's outlets, with
    three framescore outlet scores:

    * ``score``        outlet-level absolute score from ``--scores``;
    * ``distinctive``  outlet-level ``distinctive_score`` (story-relative:
                       the outlet against the other outlets of the topic);
    * ``wmean_loaded`` mean of the per-document (per-sentence)
                       ``loaded_score`` weighted by author-voice words
                       (loaded_score is a rate per 1,000 author-voice words).

    The figure reported is the mean Spearman over topics.  Topics where a
    correlation is undefined (a constant score or bias share) are left out
    of that mean and counted.

Fold rule (never report a number measured on data that informed a decision)
    The distinct topic names are sorted; fold = index % 5; folds 0, 1, 2
    are TUNING topics, folds 3, 4 are REPORT topics.  Every figure is
    printed for tuning, report and all topics.

Commands
    bench/babe_topics.py DATA_DIR [OUT_DIR]

    DATA_DIR holds ``babe-mbic/converted/final_labels_SG2.tsv``.  Without
    OUT_DIR a temporary folder is used and removed.  For every kept topic
    the script writes one file per sentence,
    OUT/<NN-topic>/<outlet>/<row>.txt (<row> = the sentence's 0-based row in
    the TSV), a manifest OUT/<NN-topic>/manifest.csv (``path,outlet``), and
    runs

        $FRAMESCORE report --manifest OUT/<NN-topic>/manifest.csv \\
            --format jsonl --scores OUT/<NN-topic>/scores.csv --threads 2 \\
            -o OUT/<NN-topic>/report.jsonl

    FRAMESCORE defaults to build/framescore in the repository (the parent
    of this script's folder); FRAMESCORE_LEXICONS / FRAMESCORE_MODELS
    default to the repository's lexicons/ and models/.  When the data are
    absent the script prints "skipped: ..." and exits 0.  Do not point
    OUT_DIR into the repository: the sentence files are third-party text.

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
from collections import Counter, defaultdict

from scipy.stats import spearmanr

from fsbench import PARTS, framescore_env, part_of

MIN_SENTENCES = 8
MIN_OUTLETS = 3
SCORES = ("score", "distinctive", "wmean_loaded", "loaded_language",
          "loaded_language_distinctive")
COLUMNS = ("text", "outlet", "topic", "label_bias")


def slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "x"


def read_rows(path):
    """The TSV's rows.  The file is unquoted TSV (texts may begin with a
    quotation mark), so QUOTE_NONE; fall back to default quoting if that
    leaves rows with missing or extra fields."""
    for quoting, label in ((csv.QUOTE_NONE, "QUOTE_NONE"), (csv.QUOTE_MINIMAL, "default quoting")):
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f, delimiter="\t", quoting=quoting)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                sys.exit(f"{path}: no column(s) {', '.join(missing)}")
            rows = list(reader)
        broken = sum(1 for r in rows if None in r or any(v is None for v in r.values()))
        if not broken:
            print(f"parsed {len(rows)} rows with {label}")
            return rows
        print(f"warning: {broken} broken rows with {label}", file=sys.stderr)
    print("warning: using default quoting despite broken rows", file=sys.stderr)
    return [r for r in rows if None not in r and all(v is not None for v in r.values())]


def spearman(xs, ys):
    if len(xs) < 3 or any(math.isnan(v) for v in xs + ys) or len(set(xs)) < 2 or len(set(ys)) < 2:
        return math.nan
    return float(spearmanr(xs, ys).statistic)


def run_topic(topic_dir, outlets):
    """Writes the sentence files and manifest, runs framescore, and returns
    outlet -> {score name: value}."""
    manifest = os.path.join(topic_dir, "manifest.csv")
    with open(manifest, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["path", "outlet"])
        for outlet, sentences in sorted(outlets.items()):
            sub = slug(outlet)
            os.makedirs(os.path.join(topic_dir, sub), exist_ok=True)
            for rowno, text in sentences:
                rel = f"{sub}/{rowno:05d}.txt"
                with open(os.path.join(topic_dir, rel), "w", encoding="utf-8") as g:
                    g.write(text.strip() + "\n")
                w.writerow([rel, outlet])

    binary, env = framescore_env()
    jsonl = os.path.join(topic_dir, "report.jsonl")
    scores_csv = os.path.join(topic_dir, "scores.csv")
    cmd = [binary, "report", "--manifest", manifest, "--format", "jsonl",
           "--scores", scores_csv, "--threads", "2", "-o", jsonl,
           *os.environ.get("FRAMESCORE_ARGS", "").split()]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.stderr.strip():
        lines = proc.stderr.strip().splitlines()
        print(f"framescore ({os.path.basename(topic_dir)}): {len(lines)} line(s) on stderr, "
              f"first: {lines[0]}", file=sys.stderr)
    if proc.returncode not in (0, 1):  # 1 = some input unusable, rest reported
        sys.exit(f"framescore failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")

    result = {o: {k: math.nan for k in SCORES} for o in outlets}
    with open(scores_csv, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["level"] != "outlet":
                continue
            for key, col in (("score", "score"), ("distinctive", "distinctive_score"),
                             ("loaded_language", "loaded_language"),
                             ("loaded_language_distinctive", "loaded_language_distinctive")):
                v = row[col].strip()
                result[row["outlet"]][key] = math.nan if v in ("", "NA") else float(v)
    num, den = defaultdict(float), defaultdict(float)
    docs = Counter()
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                docs[d["outlet"]] += 1
                num[d["outlet"]] += float(d["loaded_score"]) * d["author_words"]
                den[d["outlet"]] += d["author_words"]
    for o in outlets:
        if docs[o] != len(outlets[o]):
            print(f"warning: {os.path.basename(topic_dir)}/{o}: {docs[o]} of "
                  f"{len(outlets[o])} sentences scored", file=sys.stderr)
        result[o]["wmean_loaded"] = num[o] / den[o] if den[o] > 0 else math.nan
    return result


def measure(rows, out_dir):
    started = time.time()
    by_topic = defaultdict(lambda: defaultdict(list))  # topic -> outlet -> rows
    for i, r in enumerate(rows):
        by_topic[r["topic"]][r["outlet"]].append((i, r))
    topics = sorted(by_topic)
    part = {t: part_of(i) for i, t in enumerate(topics)}

    rhos = {p: {s: [] for s in SCORES} for p in PARTS}
    undefined = {p: Counter() for p in PARTS}
    used = Counter()
    skipped = []
    no_agreement = 0
    print(f"{'topic':<40} {'part':<6} {'outl':>4} {'sent':>5} "
          + " ".join(f"{s:>12}" for s in SCORES))
    for i, topic in enumerate(topics):
        kept = {o: rs for o, rs in by_topic[topic].items() if len(rs) >= MIN_SENTENCES}
        if len(kept) < MIN_OUTLETS:
            skipped.append(f"{topic} ({len(kept)} outlet(s) with >= {MIN_SENTENCES})")
            continue
        topic_dir = os.path.join(out_dir, f"{i:02d}-{slug(topic)}")
        os.makedirs(topic_dir, exist_ok=True)
        result = run_topic(topic_dir, {o: [(n, r["text"]) for n, r in rs] for o, rs in kept.items()})
        outlets = sorted(kept)
        share = [sum(r["label_bias"] == "Biased" for _, r in kept[o]) / len(kept[o]) for o in outlets]
        no_agreement += sum(r["label_bias"] == "No agreement" for o in outlets for _, r in kept[o])
        cells = []
        for s in SCORES:
            rho = spearman([result[o][s] for o in outlets], share)
            cells.append(f"{rho:12.3f}" if not math.isnan(rho) else f"{'undef':>12}")
            for p in (part[topic], "all"):
                if math.isnan(rho):
                    undefined[p][s] += 1
                else:
                    rhos[p][s].append(rho)
        for p in (part[topic], "all"):
            used[p] += 1
        n_sent = sum(len(rs) for rs in kept.values())
        print(f"{topic:<40} {part[topic]:<6} {len(outlets):>4} {n_sent:>5} " + " ".join(cells))

    print()
    print(f"topics: {len(topics)} distinct; {used['all']} used "
          f"(tuning {used['tuning']}, report {used['report']}); {len(skipped)} skipped: "
          + "; ".join(skipped))
    print(f"'No agreement' sentences in kept topics/outlets (counted as not biased): {no_agreement}")
    print()
    print(f"mean Spearman over topics (n = topics with a defined correlation, "
          f"undef = topics left out)")
    print(f"{'score':<14}" + "".join(f"{p:>22}" for p in PARTS))
    for s in SCORES:
        cells = []
        for p in PARTS:
            vals = rhos[p][s]
            mean = sum(vals) / len(vals) if vals else math.nan
            cells.append(f"{mean:8.3f} n={len(vals):<3d} undef={undefined[p][s]:<2d}")
        print(f"{s:<14}" + "".join(f"{c:>22}" for c in cells))
    print(f"elapsed {time.time() - started:.1f}s")
    return 0


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) >= 2 else 2
    tsv = os.path.join(argv[1], "babe-mbic", "converted", "final_labels_SG2.tsv")
    if not os.path.isfile(tsv):
        print(f"skipped: BABE SG2 file not found: {tsv}")
        return 0
    rows = read_rows(tsv)
    if len(argv) > 2:
        os.makedirs(argv[2], exist_ok=True)
        return measure(rows, argv[2])
    with tempfile.TemporaryDirectory(prefix="babe_topics.") as tmp:
        return measure(rows, tmp)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
