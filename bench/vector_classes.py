#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""vector_classes.py OUT VECTORS [SOURCE...] - word classes for `framescore
train --word-classes OUT` from pretrained word vectors (the GloVe text
format: WORD X1 ... Xd, most frequent words first).

The first --words rows (letters and apostrophes only) are L2-normalised and
clustered by spherical k-means (25 rounds) into --classes classes (seeded: the output is
deterministic). OUT gets `word<TAB>kN`, one word per Snowball English stem
(the first, i.e. commonest, form wins; the tagger keys classes by stem).
With SOURCEs (folders of .txt files or .tsv files with a `text` column; no
labels are read), only the words whose stem is seen fewer than --rare times
in them are written (a frequent word's own stem feature already carries
what its class would); words absent from them are written too.

PyStemmer's stems can differ from the tagger's folding and stemming for a
few words (GloVe 6B, 50,000 words: one, "kyiv"), which `train` refuses
with file:line:col ("has another class already"): drop that line.

Needs numpy and PyStemmer (bench/VALIDITY.md, session 32)."""
import argparse
import collections
import re
import sys

import numpy as np
import Stemmer

sys.path.insert(0, __file__.rsplit("/", 1)[0] if "/" in __file__ else ".")
from wordclasses import texts, WORD  # noqa: E402

ALPHA = re.compile(r"^[a-z]+(?:'[a-z]+)?$")


def kmeans(x, k, iters, seed):
    """Spherical k-means (cosine) on the rows of x, unit length; centres
    start at k rows drawn by the seed. Returns each row's cluster."""
    rng = np.random.RandomState(seed)
    c = x[rng.choice(len(x), k, replace=False)].copy()
    lab = None
    for _ in range(iters):
        new = np.argmax(x @ c.T, axis=1)
        if lab is not None and np.array_equal(new, lab):
            break
        lab = new
        for j in range(k):
            m = x[lab == j]
            if len(m):
                v = m.sum(0)
                c[j] = v / max(np.linalg.norm(v), 1e-12)
    return lab


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("vectors")
    ap.add_argument("sources", nargs="*")
    ap.add_argument("--words", type=int, default=50000)
    ap.add_argument("--classes", type=int, default=500)
    ap.add_argument("--rare", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    st = Stemmer.Stemmer("english")
    words, rows = [], []
    with open(a.vectors, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ")
            if len(parts) < 3 or not ALPHA.match(parts[0]):
                continue
            words.append(parts[0])
            rows.append(np.array(parts[1:], dtype=np.float64))
            if len(words) >= a.words:
                break
    if len(words) <= a.classes:
        sys.exit("vector_classes: %d words: too few for %d classes" %
                 (len(words), a.classes))
    x = np.vstack(rows)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    lab = kmeans(x.astype(np.float32), a.classes, 25, a.seed)
    freq = collections.Counter()
    for src in a.sources:
        for line in texts(src):
            freq.update(st.stemWords([w.lower() for w in WORD.findall(line)]))
    seen, n = set(), 0
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("# word classes by bench/vector_classes.py: %d classes of "
                "the first %d words of %s%s\n" %
                (a.classes, len(words), a.vectors.rsplit("/", 1)[-1],
                 ", stems seen fewer than %d times in the sources" % a.rare
                 if a.sources else ""))
        for w, s, k in zip(words, st.stemWords(words), lab):
            if s in seen:
                continue
            seen.add(s)
            if a.sources and freq[s] >= a.rare:
                continue
            f.write("%s\tk%d\n" % (w, k))
            n += 1
    print("%d words (stems) in %d classes" % (n, a.classes))


if __name__ == "__main__":
    main()
