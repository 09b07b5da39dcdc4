#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""wordclasses.py OUT SOURCE... - word classes for `framescore train
--word-classes OUT`, learned from unlabeled text (no labels are read).

Each SOURCE is a folder of .txt files or a .tsv file with a `text` column.
Words (lowercased, Snowball English stems) seen at least --min-count times
get a context vector: the 3,000 most frequent stems one word before, one
after, and two away, weighed by positive PMI (context counts smoothed by
the power 0.75); the vectors are reduced to --dim dimensions (truncated
SVD) and clustered by k-means into --classes classes (both seeded: the
output is deterministic). OUT gets `word<TAB>kN` for the words seen fewer
than --rare times (a frequent word's own stem feature already carries what
its class would), one word (its commonest form) per stem.

Needs numpy, scipy and PyStemmer. bench/validity.sh uses it on the PTC
train articles and the BABE tuning sentences (bench/VALIDITY.md)."""
import argparse
import collections
import csv
import glob
import os
import re
import sys

import numpy as np
import scipy.sparse as sp
from scipy.cluster.vq import kmeans2
from scipy.sparse.linalg import svds
import Stemmer

WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def texts(src):
    if os.path.isdir(src):
        for fn in sorted(glob.glob(os.path.join(src, "*.txt"))):
            with open(fn, encoding="utf-8", errors="replace") as f:
                yield from f.read().split("\n")
        return
    csv.field_size_limit(1 << 30)
    with open(src, newline="", encoding="utf-8", errors="replace") as f:
        r = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        head = next(r)
        if "text" not in head:
            sys.exit("wordclasses: %s: no 'text' column" % src)
        ti = head.index("text")
        for row in r:
            if len(row) > ti:
                yield row[ti]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("sources", nargs="+")
    ap.add_argument("--classes", type=int, default=200)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--rare", type=int, default=20)
    a = ap.parse_args()
    st = Stemmer.Stemmer("english")
    sents, forms = [], collections.defaultdict(collections.Counter)
    for src in a.sources:
        if not os.path.exists(src):
            sys.exit("wordclasses: %s: no such file or folder" % src)
        for line in texts(src):
            ws = [w.lower() for w in WORD.findall(line)]
            ss = st.stemWords(ws)
            for w, s in zip(ws, ss):
                forms[s][w] += 1
            sents.append(ss)
    freq = collections.Counter(s for t in sents for s in t)
    vocab = sorted((s for s, c in freq.items() if c >= a.min_count),
                   key=lambda s: (-freq[s], s))
    if len(vocab) <= max(a.dim, a.classes):
        sys.exit("wordclasses: %d words seen %d times or more: too few for "
                 "%d dimensions and %d classes" %
                 (len(vocab), a.min_count, a.dim, a.classes))
    vi = {s: i for i, s in enumerate(vocab)}
    nc = min(len(vocab), 3000)
    rows, cols = [], []
    for t in sents:
        for i, s in enumerate(t):
            if s not in vi:
                continue
            for off, base in ((-1, 0), (1, nc), (-2, 2 * nc), (2, 2 * nc)):
                j = i + off
                if 0 <= j < len(t) and vi.get(t[j], nc) < nc:
                    rows.append(vi[s])
                    cols.append(base + vi[t[j]])
    m = sp.coo_matrix((np.ones(len(rows)), (rows, cols)),
                      shape=(len(vocab), 3 * nc)).tocsr().tocoo()
    tot = m.sum()
    rs = np.asarray(m.tocsr().sum(1)).ravel()
    cs = np.asarray(m.tocsr().sum(0)).ravel() ** 0.75
    cs = cs / cs.sum()
    pmi = np.log((m.data / tot) / ((rs[m.row] / tot) * cs[m.col]))
    keep = pmi > 0
    p = sp.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape)
    rng = np.random.RandomState(1)
    u, s, _ = svds(p, k=a.dim, v0=rng.rand(min(p.shape)))
    x = u * np.sqrt(s)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    _, lab = kmeans2(x, a.classes, iter=30, minit="++", seed=1)
    n = 0
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("# word classes by bench/wordclasses.py: %d classes of %d "
                "words, the %s seen fewer than %d times\n" %
                (a.classes, len(vocab), "words", a.rare))
        for s in sorted(vocab):
            if freq[s] < a.rare:
                form = min(forms[s].items(), key=lambda kv: (-kv[1], kv[0]))[0]
                f.write("%s\tk%d\n" % (form, lab[vi[s]]))
                n += 1
    print("%d words in %d classes (%d stems clustered)" %
          (n, a.classes, len(vocab)))


if __name__ == "__main__":
    main()
