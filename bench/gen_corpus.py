#!/usr/bin/python3
"""Generate a deterministic synthetic news corpus for framescore benchmarks.

    /usr/bin/python3 bench/gen_corpus.py --out DIR --mb N --outlets M --seed S
        [--lexicon-dir DIR] [--pool-mb P]

Writes DIR/outlet_XX/NNNNNN.txt (UTF-8 news-like documents of ~300-1500 words:
a title line, paragraphs separated by blank lines, capitalised sentences ending
in periods, quotations with attribution) and DIR/manifest.csv (path,outlet;
paths relative to DIR). The same arguments always give byte-identical files.

Text model
  * Vocabulary: a core of ~2,000 English word types (bench/words.py, inflected
    here) followed by invented pronounceable words (with inflected forms that
    share a Snowball stem, derivational endings, and capitalised names).
  * Token frequencies follow a two-regime Zipf law (Ferrer-i-Cancho & Sole
    2001): p(r) ~ 1/r^1.1 up to rank 6,000 and ~ 1/r^2 beyond, so the core
    words cover ~80% of tokens. The 1/r^2 tail gives Heaps' law V ~ K*N^0.5
    for the number of distinct word types seen in N tokens (K ~ 35-40), so the
    vocabulary grows with corpus size as in real text.
  * Lexicon terms: the words of every pattern in --lexicon-dir/*.tsv
    (markers '=', '==', trailing '*' stripped, '*' completed with an English
    suffix) are inserted at 1-3% of tokens, the rate and the category mix
    varying by outlet. Skipped if the directory has no .tsv files.
  * Quotations: ~15-25% of body sentences (by outlet) are quoted, with
    trailing ('," the minister said.') or leading ('Police said: "...')
    attribution; some sentences carry a single scare-quoted word. Outlets
    prefer curly or straight quotes and apostrophes.
  * Numbers, possessives, commas, questions and contractions at modest rates.

Fast mode (--pool-mb P, for corpora of GB): P MB of documents are drawn
once by the model above, and every document written is recombined from their
sentences (title and body sentences of its outlet), with fresh invented word
types inserted as Heaps' law requires (class Recombiner). About 30 MB of
text per CPU second at GB sizes (half the model's CPU at 100 MB, and the
model's cost per MB grows with its vocabulary); a third of it is the
system's file creation. See bench/RESULTS.md, "10 GB".

Prints only one summary line.
"""

import argparse
import csv
import glob
import io
import math
import os
import re
import shutil
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import words as W  # noqa: E402

ZIPF_BEND = 6000  # rank where the 1/r^1.1 regime turns into 1/r^2
ZIPF_S1 = 1.1  # exponent of the first regime
ZIPF_Q = 2.7  # Zipf-Mandelbrot offset, flattens the very top ranks
BYTES_PER_TOKEN = 6.2  # measured on this generator's output; sizes the vocab
BATCH_DOCS = 2000

OPEN_Q, CLOSE_Q = "\x01", "\x02"  # placeholders; styled per document
DOC_END = "\x00"
SENT_END = "\x03"  # ends a sentence of the pool (--pool-mb)
CURLY = tuple(c.encode("utf-8") for c in "\u201c\u201d\u2019")
WORD_RE = re.compile(r"[^\W\d_]+")  # words as the pool's types are counted


def dedupe(seq):
    seen, out = set(), []
    for w in seq:
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

def _verb_forms(v):
    if v.endswith("e") and v not in ("see", "flee", "agree"):
        ing = v[:-1] + "ing"
        ed = v + "d"
    elif v.endswith("y") and v[-2:-1] not in "aeiou":
        ing = v + "ing"
        ed = v[:-1] + "ied"
    elif v in W.DOUBLING:
        ing = v + v[-1] + "ing"
        ed = v + v[-1] + "ed"
    else:
        ing = v + "ing"
        ed = v + "ed"
    if v.endswith(("s", "sh", "ch", "x", "z", "o")):
        s = v + "es"
    elif v.endswith("y") and v[-2:-1] not in "aeiou":
        s = v[:-1] + "ies"
    else:
        s = v + "s"
    past = W.IRREGULAR.get(v, ed)
    part = W.PARTICIPLES.get(v, past)
    return s, past, part, ing


def _plural(n):
    if n.endswith(("s", "sh", "ch", "x", "z")):
        return n + "es"
    if n.endswith("y") and n[-2:-1] not in "aeiou":
        return n[:-1] + "ies"
    if n in ("man", "woman"):
        return n[:-2] + "en"
    if n.endswith(("women", "men", "people", "data", "police", "rights")):
        return None
    return n + "s"


ADV_OK = ("al", "ous", "ive", "nt", "ic", "ful", "ar", "ate", "ct", "ear",
          "ong", "ow", "ent", "ious", "eme", "rect", "ick", "ant")


def core_vocabulary():
    """Core word types ordered by an approximate frequency rank."""
    scored = []  # (score, word); lower score = more frequent
    func = dedupe(W.FUNCTION)
    for i, w in enumerate(func):
        scored.append((i, w))
    base = len(func)
    classes = [dedupe(W.NOUNS), dedupe(W.VERBS), dedupe(W.ADJECTIVES),
               dedupe(W.ADVERBS), dedupe(W.PROPER)]
    total = sum(len(c) for c in classes)
    for ci, cls in enumerate(classes):
        for i, w in enumerate(cls):
            # spread every class evenly over the content ranks
            s = base + (i + 0.5) / len(cls) * total + ci * 0.01
            scored.append((s, w))
            if ci == 0:
                p = _plural(w)
                if p:
                    scored.append((s * 1.6 + 40, p))
            elif ci == 1:
                vs, past, part, ing = _verb_forms(w)
                scored.append((s * 1.9 + 60, vs))
                scored.append((s * 1.2 + 20, past))
                scored.append((s * 2.4 + 80, part))
                scored.append((s * 1.7 + 50, ing))
            elif ci == 2 and w.endswith(ADV_OK):
                adv = (w[:-1] + "ily") if w.endswith("y") else w + "ly"
                scored.append((s * 2.0 + 60, adv))
    scored.sort(key=lambda t: t[0])
    return dedupe(w for _, w in scored)


ONSETS = ("b c d f g h j k l m n p r s t v w z b c d f g k l m n p r s t "
          "bl br ch cl cr dr fl fr gr pl pr sh sp st th tr").split()
NUCLEI = "a e i o u a e i o a e i ai ea ee oo ou".split()
CODAS = "n r s t l m d k n r s t nd nt st ck ng".split()
DERIV = "tion ment ness ity al ous ive ize ism ist ence er".split()


def invented_vocabulary(rng, n_types, taken, seen=None):
    """n_types invented word types in rank order (lemma then its forms);
    none of them in taken or, if given, in the set seen (lower case),
    which gets every form drawn."""
    syl = [o + n for o in ONSETS for n in NUCLEI]
    syl += [o + n + c for o in ONSETS[:18] for n in NUCLEI[:5]
            for c in CODAS[:8]]
    syl = np.array(syl, dtype=object)
    codas = np.array(CODAS, dtype=object)
    derivs = np.array(DERIV, dtype=object)
    out = []
    if seen is None:
        seen = set(w.lower() for w in taken)
    while len(out) < n_types:
        m = int((n_types - len(out)) / 1.8) + 1000  # lemmas; ~1.9 forms each
        nsyl = rng.choice(np.array([1, 2, 3, 4]), size=m,
                          p=[0.20, 0.50, 0.25, 0.05])
        parts = syl[rng.integers(0, len(syl), size=(m, 4))]
        lemma = parts[:, 0].copy()
        for k in range(1, 4):
            more = nsyl > k
            lemma[more] = lemma[more] + parts[more, k]
        # a final consonant makes inflected forms look English
        add_coda = rng.random(m) < 0.45
        lemma[add_coda] = (lemma[add_coda]
                           + codas[rng.integers(0, len(codas), m)][add_coda])
        add_d = rng.random(m) < 0.2
        lemma[add_d] = (lemma[add_d]
                        + derivs[rng.integers(0, len(derivs), m)][add_d])
        kind = rng.choice(4, size=m, p=[0.45, 0.25, 0.15, 0.15])
        for lem, k in zip(lemma.tolist(), kind.tolist()):
            if k == 0:  # noun
                forms = (lem, lem + "s")
            elif k == 1:  # verb
                forms = (lem, lem + "s", lem + "ed", lem + "ing")
            elif k == 2:  # adjective
                forms = (lem, lem + "ly")
            else:  # name
                forms = (lem[:1].upper() + lem[1:],)
            for f in forms:
                key = f.lower()
                if key not in seen:
                    seen.add(key)
                    out.append(f)
    return out[:n_types]


def zipf_weights(n):
    r = np.arange(1, n + 1, dtype=np.float64)
    w = (r + ZIPF_Q) ** -ZIPF_S1
    tail = r > ZIPF_BEND
    w[tail] = (ZIPF_BEND + ZIPF_Q) ** (2 - ZIPF_S1) / (r[tail] + ZIPF_Q) ** 2
    return w


def zipf_cumulative(n):
    c = np.cumsum(zipf_weights(n))
    return c / c[-1]


def vocabulary_size(n_tokens, n_core):
    """Ranks needed so the 1/r^2 tail is not cut short for n_tokens: ranks
    past 6*sqrt(N*C) (p(r) = C/r^2) would add only a few % more types."""
    z = zipf_weights(ZIPF_BEND).sum() + (ZIPF_BEND + ZIPF_Q) ** (1 - ZIPF_S1)
    c = (ZIPF_BEND + ZIPF_Q) ** (2 - ZIPF_S1) / z
    return max(ZIPF_BEND * 2, n_core + int(6 * math.sqrt(n_tokens * c)))


# --------------------------------------------------------------------------
# Lexicon terms
# --------------------------------------------------------------------------

PREFIX_SUFFIXES = ["", "s", "ed", "ing", "ly", "er"]


def load_lexicon_terms(lexdir):
    """[(phrase, category)] from lexdir/*.tsv, markers stripped."""
    terms = []
    if not lexdir or not os.path.isdir(lexdir):
        return terms
    for path in sorted(glob.glob(os.path.join(lexdir, "*.tsv"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.rstrip("\r\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                cols = line.split("\t")
                if len(cols) < 2:
                    continue
                pat, cat = cols[0].strip(), cols[1].strip()
                if not pat:
                    continue
                for i, suffix in enumerate(PREFIX_SUFFIXES):
                    ws = []
                    for w in pat.split(" "):
                        if not w:
                            continue
                        w = w.lstrip("=")
                        if w.endswith("*"):
                            w = w.rstrip("*") + suffix
                        ws.append(w)
                    if ws:
                        terms.append((" ".join(ws), cat))
                    if "*" not in pat:
                        break
                    if i >= 2:  # three variants of a prefix pattern
                        break
    return terms


# --------------------------------------------------------------------------
# Number strings
# --------------------------------------------------------------------------

def number_pool(rng):
    pool = [str(y) for y in range(1990, 2026)] * 3
    pool += [str(i) for i in range(1, 101)]
    pool += ["%d.%d" % (a, b) for a, b in zip(rng.integers(1, 20, 300),
                                               rng.integers(1, 10, 300))]
    pool += ["%d%%" % p for p in rng.integers(1, 100, 100)]
    pool += ["$%d" % p for p in rng.integers(1, 1000, 100)]
    pool += ["%d,%03d" % (a, b) for a, b in zip(rng.integers(1, 999, 200),
                                                 rng.integers(0, 1000, 200))]
    pool = dedupe(pool)
    return np.array(pool, dtype=object), zipf_cumulative(len(pool))


# --------------------------------------------------------------------------
# Document generation
# --------------------------------------------------------------------------

class Outlet:
    def __init__(self, rng, n_cats):
        self.curly = float(rng.uniform(0.05, 0.95))
        self.quote_rate = float(rng.uniform(0.15, 0.25))
        self.lex_rate = float(rng.uniform(0.01, 0.03))
        self.cat_tilt = rng.lognormal(0.0, 0.7, size=max(n_cats, 1))


class Generator:
    def __init__(self, seed, n_tokens, n_outlets, lexicon_terms):
        self.rng = np.random.default_rng(seed)
        rng = self.rng
        core = core_vocabulary()
        self.n_core = len(core)
        v = vocabulary_size(n_tokens, len(core))
        inv = invented_vocabulary(rng, v - len(core), core)
        self.vocab = np.array(core + inv, dtype=object)
        self.cum = zipf_cumulative(len(self.vocab))
        self.nums, self.num_cum = number_pool(rng)

        # quotation pieces
        spk = [s.strip() for s in W.SPEAKERS if s.strip()]
        verbs = [v.strip() for v in W.ATTRIBUTION_VERBS if v.strip()]
        trail, lead = [], []
        for s in spk:
            for vb in verbs:
                plain = vb in ("said", "added", "wrote")
                if plain and s[0].islower() and rng.random() < 0.3:
                    trail.append(", %s %s." % (vb, s))  # ," said the minister.
                else:
                    trail.append(", %s %s." % (s, vb))
                lead.append("%s %s: " % (s[:1].upper() + s[1:], vb))
        # trail entries look like ',\x02 the minister said.'
        self.trail = np.array(["," + CLOSE_Q + t[1:] for t in trail],
                              dtype=object)
        self.lead = np.array([t + OPEN_Q for t in lead], dtype=object)

        # lexicon terms, each outlet with its own category mix
        self.lex = np.array([t for t, _ in lexicon_terms], dtype=object)
        cats = sorted(set(c for _, c in lexicon_terms))
        self.lex_cat = np.array([cats.index(c) for _, c in lexicon_terms],
                                dtype=np.int64)
        self.lex_len = (np.array([t.count(" ") + 1 for t in self.lex])
                        if len(self.lex) else np.zeros(0))
        order = rng.permutation(len(self.lex))
        base_w = np.empty(len(self.lex))
        base_w[order] = 1.0 / (np.arange(len(self.lex)) + 3.0)
        self.outlets = [Outlet(rng, len(cats)) for _ in range(n_outlets)]
        self.lex_cums = []
        for o in self.outlets:
            if len(self.lex):
                w = base_w * o.cat_tilt[self.lex_cat]
                c = np.cumsum(w)
                self.lex_cums.append(c / c[-1])
            else:
                self.lex_cums.append(None)
        ow = 1.0 / (np.arange(n_outlets) + 2.0) ** 0.8
        self.outlet_cum = np.cumsum(ow) / ow.sum()
        self.out_curly = np.array([o.curly for o in self.outlets])
        self.out_quote = np.array([o.quote_rate for o in self.outlets])
        mean_len = self.lex_len.mean() if len(self.lex) else 1.0
        self.out_lex = np.array([o.lex_rate / mean_len for o in self.outlets])

    def _parts(self, nd):
        """Draw nd documents as tokens, separators and sentence ends (every
        random draw of a batch but the quote styles)."""
        rng = self.rng
        outlet = np.searchsorted(self.outlet_cum, rng.random(nd))
        outlet = np.minimum(outlet, len(self.outlets) - 1)
        target = np.clip(rng.lognormal(math.log(620), 0.45, nd), 300, 1500)
        n_body = np.maximum(3, np.rint(target / 21.5)).astype(np.int64)
        n_sent = n_body + 1  # + title
        S = int(n_sent.sum())
        sent_doc = np.repeat(np.arange(nd), n_sent)
        first = np.cumsum(n_sent) - n_sent
        is_title = np.zeros(S, bool)
        is_title[first] = True
        is_last = np.zeros(S, bool)
        is_last[first + n_sent - 1] = True

        sent_len = np.clip(np.rint(rng.gamma(3.2, 5.4, S) + 4), 4, 70)
        sent_len[is_title] = rng.integers(5, 14, int(is_title.sum()))
        sent_len = sent_len.astype(np.int64)

        # sentence kinds: 0 plain, 1 trailing-attribution quote,
        # 2 leading-attribution quote, 3 question, 4 scare quote, 5 title
        u = rng.random(S)
        q = self.out_quote[outlet[sent_doc]]
        kind = np.zeros(S, np.int64)
        kind[u < q * 0.88] = 1
        kind[u < q * 0.30] = 2
        kind[(u >= q) & (u < q + 0.02)] = 3
        kind[(u >= q + 0.02) & (u < q + 0.05)] = 4
        kind[is_title] = 5
        para_end = (rng.random(S) < 0.38) | is_title

        T = int(sent_len.sum())
        ends = np.cumsum(sent_len) - 1
        starts = ends - sent_len + 1
        tok_doc = np.repeat(sent_doc, sent_len)
        tok_outlet = outlet[tok_doc]

        ids = np.searchsorted(self.cum, rng.random(T))
        np.minimum(ids, len(self.vocab) - 1, out=ids)
        toks = self.vocab[ids]

        num = np.flatnonzero(rng.random(T) < 0.012)
        toks[num] = self.nums[np.minimum(
            np.searchsorted(self.num_cum, rng.random(len(num))),
            len(self.nums) - 1)]

        if len(self.lex):
            lex = np.flatnonzero(rng.random(T) < self.out_lex[tok_outlet])
            ulex = rng.random(len(lex))
            lo = tok_outlet[lex]
            for oi in np.unique(lo):
                sel = lo == oi
                k = np.searchsorted(self.lex_cums[oi], ulex[sel])
                toks[lex[sel]] = self.lex[np.minimum(k, len(self.lex) - 1)]

        poss = np.flatnonzero((rng.random(T) < 0.012) & (ids >= 300))
        toks[poss] = toks[poss] + "'s"

        # capitalise sentence starts
        toks[starts] = [t[:1].upper() + t[1:] for t in toks[starts].tolist()]

        # scare quotes around one inner word
        sc = np.flatnonzero(kind == 4)
        pos = starts[sc] + 1 + (rng.random(len(sc)) *
                                (sent_len[sc] - 2)).astype(np.int64)
        toks[pos] = OPEN_Q + toks[pos] + CLOSE_Q

        # opening quotes
        t1 = np.flatnonzero(kind == 1)
        toks[starts[t1]] = OPEN_Q + toks[starts[t1]]
        t2 = np.flatnonzero(kind == 2)
        toks[starts[t2]] = (self.lead[rng.integers(0, len(self.lead),
                                                   len(t2))]
                            + toks[starts[t2]])

        # separators after each token
        seps = np.full(T, " ", dtype=object)
        seps[rng.random(T) < 0.055] = ", "
        end_body = np.full(S, ".", dtype=object)
        end_body[kind == 3] = "?"
        end_body[kind == 5] = ""
        end_body[t1] = self.trail[rng.integers(0, len(self.trail), len(t1))]
        end_body[t2] = "." + CLOSE_Q
        return outlet, sent_doc, is_title, is_last, para_end, toks, seps, \
            ends, end_body

    def sentences(self, nd):
        """Draw nd documents and return their sentences (quote placeholders
        kept): (outlet per sentence, is-title per sentence, sentences)."""
        (outlet, sent_doc, is_title, _, _, toks, seps, ends,
         end_body) = self._parts(nd)
        seps[ends] = end_body + SENT_END
        out = np.empty(2 * len(toks), dtype=object)
        out[0::2] = toks
        out[1::2] = seps
        sents = "".join(out.tolist()).split(SENT_END)[:len(ends)]
        return outlet[sent_doc], is_title, sents

    def batch(self, nd):
        """Generate nd documents: list of (outlet index, text)."""
        rng = self.rng
        (outlet, _, _, is_last, para_end, toks, seps, ends,
         end_body) = self._parts(nd)
        T = len(toks)
        tail = np.where(para_end, "\n\n", " ").astype(object)
        tail[is_last] = "\n" + DOC_END
        seps[ends] = end_body + tail

        out = np.empty(2 * T, dtype=object)
        out[0::2] = toks
        out[1::2] = seps
        text = "".join(out.tolist())
        docs = text.split(DOC_END)[:nd]

        return style(rng, self.out_curly, outlet, docs)


def style(rng, out_curly, outlet, docs):
    """Quote style per document: [(outlet index, text)]."""
    nd = len(docs)
    curly = rng.random(nd) < out_curly[outlet]
    curly_apos = rng.random(nd) < 0.85
    res = []
    if docs and isinstance(docs[0], bytes):  # the same in UTF-8
        oq, cq, ap = OPEN_Q.encode(), CLOSE_Q.encode(), b"'"
        for i, d in enumerate(docs):
            if curly[i]:
                d = d.replace(oq, CURLY[0]).replace(cq, CURLY[1])
                if curly_apos[i]:
                    d = d.replace(ap, CURLY[2])
            else:
                d = d.replace(oq, b'"').replace(cq, b'"')
            res.append((int(outlet[i]), d))
        return res
    for i, d in enumerate(docs):
        if curly[i]:
            d = d.replace(OPEN_Q, "\u201c").replace(CLOSE_Q, "\u201d")
            if curly_apos[i]:
                d = d.replace("'", "\u2019")
        else:
            d = d.replace(OPEN_Q, '"').replace(CLOSE_Q, '"')
        res.append((int(outlet[i]), d))
    return res


class Recombiner:
    """Documents recombined from the sentences of a pool (--pool-mb): the
    pool is drawn once by Generator; each new document takes a title and
    body sentences of its outlet's pool sentences at random, so outlets keep
    their lexicon and quotation rates. Word types beyond the pool's enter
    as Heaps' law V = K * N^0.5 requires (K measured on the pool): each
    batch inserts as many fresh invented types as the law adds for its
    tokens, and as many repeats of earlier fresh tokens (a Simon process:
    half of the tail's tokens are new types, the others drawn in proportion
    to their past counts), each after the first word of a random sentence.
    Fresh types are counted per batch of BATCH_DOCS documents (~8.6 MB) and
    spread over it, so the law holds from a few batches on."""

    FRESH_CHUNK = 100000

    def __init__(self, seed, pool_mb, n_outlets, lexicon_terms):
        pool_target = int(pool_mb * 1e6)
        gen = Generator(seed, pool_target / BYTES_PER_TOKEN, n_outlets,
                        lexicon_terms)
        outs, titles, sents = [], [], []
        size = 0
        while size < pool_target:
            o, t, ss = gen.sentences(BATCH_DOCS)
            outs.append(o)
            titles.append(t)
            sents += ss
            size += sum(len(x) for x in ss)
        outlet = np.concatenate(outs)
        title = np.concatenate(titles)
        pool = np.array([x.encode("utf-8") for x in sents], dtype=object)
        types = set()
        ntok = []
        for x in sents:
            ws = WORD_RE.findall(x.lower())
            ntok.append(len(ws))
            types.update(ws)
        self.ntok = np.array(ntok, np.int64)
        self.n_types = len(types)
        self.heaps_k = self.n_types / math.sqrt(self.ntok.sum())
        # sentences grouped by outlet: [start, count) per outlet and kind
        self.kinds = []
        for is_t in (True, False):
            sel = np.flatnonzero(title == is_t)
            order = sel[np.argsort(outlet[sel], kind="stable")]
            cnt = np.bincount(outlet[order], minlength=n_outlets)
            self.kinds.append((order, np.cumsum(cnt) - cnt, cnt))
        if (self.kinds[0][2] == 0).any() or (self.kinds[1][2] == 0).any():
            sys.exit("gen_corpus: --pool-mb too small for every outlet to "
                     "have sentences in the pool")
        self.pool = pool
        self.outlet_cum = gen.outlet_cum
        self.out_curly = gen.out_curly
        self.n_outlets = n_outlets
        self.rng = np.random.default_rng([seed, 1])
        self.seen = set(w.lower() for w in gen.vocab.tolist())
        self.fresh_words = []  # fresh types, by id
        self.fresh_buf = []
        self.fresh_occ = np.zeros(0, np.int64)  # fresh tokens so far, by id
        self.tokens = 0  # tokens written

    def _pick(self, kind, outlet):
        order, start, cnt = self.kinds[kind]
        u = self.rng.random(len(outlet))
        return order[start[outlet] + (u * cnt[outlet]).astype(np.int64)]

    def _fresh(self, n):
        while len(self.fresh_buf) < n:
            more = invented_vocabulary(self.rng, self.FRESH_CHUNK, (),
                                       self.seen)
            self.fresh_buf = more + self.fresh_buf
        new = self.fresh_buf[len(self.fresh_buf) - n:][::-1]
        del self.fresh_buf[len(self.fresh_buf) - n:]
        return new

    def batch(self, nd):
        """Generate nd documents: list of (outlet index, text)."""
        rng = self.rng
        outlet = np.searchsorted(self.outlet_cum, rng.random(nd))
        outlet = np.minimum(outlet, self.n_outlets - 1)
        target = np.clip(rng.lognormal(math.log(620), 0.45, nd), 300, 1500)
        n_body = np.maximum(3, np.rint(target / 21.5)).astype(np.int64)
        n_sent = n_body + 1
        S = int(n_sent.sum())
        first = np.cumsum(n_sent) - n_sent
        is_title = np.zeros(S, bool)
        is_title[first] = True
        sent_outlet = np.repeat(outlet, n_sent)
        idx = np.empty(S, np.int64)
        idx[is_title] = self._pick(0, outlet)
        body = np.flatnonzero(~is_title)
        idx[body] = self._pick(1, sent_outlet[body])
        sents = self.pool[idx]
        tokens = self.tokens + int(self.ntok[idx].sum())

        # fresh types as Heaps' law adds them, and as many repeats
        want = int(self.heaps_k * math.sqrt(tokens))
        n_new = max(0, want - self.n_types - len(self.fresh_words))
        if n_new:
            ids = np.arange(len(self.fresh_words),
                            len(self.fresh_words) + n_new)
            self.fresh_words += [w.encode("utf-8")
                                 for w in self._fresh(n_new)]
            occ = np.concatenate([self.fresh_occ, ids])
            rep = occ[rng.integers(0, len(occ), n_new)]
            toks = np.concatenate([ids, rep])
            self.fresh_occ = np.concatenate([occ, rep])
            where = body[rng.integers(0, len(body), len(toks))]
            for w, t in zip(where.tolist(), toks.tolist()):
                x = sents[w]
                i = x.find(b" ") + 1
                if i == 0:
                    i = len(x)
                sents[w] = x[:i] + self.fresh_words[t] + b" " + x[i:]
            tokens += len(toks)
        self.tokens = tokens

        tail = np.where(rng.random(S) < 0.38, b"\n\n", b" ").astype(object)
        tail[is_title] = b"\n\n"
        tail[first + n_sent - 1] = b"\n" + DOC_END.encode()
        out = np.empty(2 * S, dtype=object)
        out[0::2] = sents
        out[1::2] = tail
        docs = b"".join(out.tolist()).split(DOC_END.encode())[:nd]
        return style(rng, self.out_curly, outlet, docs)


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--mb", type=float, required=True,
                    help="corpus size in MB (10^6 bytes of text)")
    ap.add_argument("--outlets", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lexicon-dir",
                    default=os.path.join(here, "..", "lexicons", "en"),
                    help="lexicon TSVs whose terms are inserted "
                         "(default ../lexicons/en; skipped if absent)")
    ap.add_argument("--pool-mb", type=float, default=0,
                    help="draw a pool of this many MB once and recombine "
                         "its sentences, with fresh word types by Heaps' "
                         "law (fast: for corpora of GB; default 0: every "
                         "document drawn from the word model)")
    a = ap.parse_args(argv)
    if a.mb <= 0 or a.outlets < 1:
        ap.error("--mb must be > 0 and --outlets >= 1")
    t0 = time.time()

    target = int(a.mb * 1e6)
    terms = load_lexicon_terms(a.lexicon_dir)
    if 0 < a.pool_mb < a.mb:
        gen = Recombiner(a.seed, a.pool_mb, a.outlets, terms)
    else:
        gen = Generator(a.seed, target / BYTES_PER_TOKEN, a.outlets, terms)
    width = max(2, len(str(a.outlets - 1)))
    names = ["outlet_%0*d" % (width, i) for i in range(a.outlets)]

    os.makedirs(a.out, exist_ok=True)
    # remove only what an earlier run of this script wrote
    for p in glob.glob(os.path.join(a.out, "outlet_*")):
        if os.path.isdir(p):
            shutil.rmtree(p)
    for n in names:
        os.makedirs(os.path.join(a.out, n))

    manifest = io.StringIO()
    mw = csv.writer(manifest, lineterminator="\n")
    mw.writerow(["path", "outlet"])
    total = ndocs = nwords = 0
    while total < target:
        for oi, text in gen.batch(BATCH_DOCS):
            if total >= target:
                break
            data = text if isinstance(text, bytes) else text.encode("utf-8")
            rel = "%s/%06d.txt" % (names[oi], ndocs)
            fd = os.open(os.path.join(a.out, rel),
                         os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
            mw.writerow([rel, names[oi]])
            total += len(data)
            ndocs += 1
            nwords += data.count(b" ") + data.count(b"\n\n") + 1
    with open(os.path.join(a.out, "manifest.csv"), "w", encoding="utf-8",
              newline="") as f:
        f.write(manifest.getvalue())
    dt = time.time() - t0
    print("gen_corpus: %.1f MB in %d docs (~%.1fM words, %d lexicon terms) "
          "across %d outlets, seed %d -> %s in %.1f s (%.1f MB/s)"
          % (total / 1e6, ndocs, nwords / 1e6, len(terms), a.outlets, a.seed,
             a.out, dt, total / 1e6 / dt))
    return 0


if __name__ == "__main__":
    sys.exit(main())
