#!/usr/bin/python3
"""The Python pipeline a researcher would write: the speed and count baseline.

    /usr/bin/python3 bench/baseline.py LEXICON.tsv FILE_OR_DIR...
    /usr/bin/python3 bench/baseline.py LEXICON.tsv --files0-from LIST

Reads each file, tokenizes words with the regex [^\\W\\d_]+(?:['’][^\\W\\d_]+)*
(lowercased, curly apostrophes normalised to '), stems each token with
PyStemmer's Snowball English stemmer (cached per word form), looks the token
up in the single-word patterns of the lexicon and counts categories. Prints
CSV 'category,matches' (totals over all files, sorted by category) on stdout
and the token count on stderr.

Lexicon lines are 'pattern<TAB>category<TAB>weight[<TAB>note]', '#' comments.
A pattern word matches by Snowball stem; '=word' by exact lowercased form;
'==Word' by exact surface; 'word*' by lowercased prefix. Multiword patterns
(spaces or hyphens) are skipped. A token counts at most once per category.

A directory argument stands for every *.txt below it (sorted); --files0-from
reads NUL-separated paths (as `find -print0` writes), for corpora whose file
list does not fit on a command line.
"""

import re
import sys
from collections import Counter

import Stemmer

WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def load_lexicon(path, stem):
    by_stem, by_form, by_surface, by_prefix = {}, {}, {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 3:
                sys.exit("%s: bad line: %r" % (path, line))
            pat, cat = cols[0].strip(), cols[1].strip()
            if " " in pat or "-" in pat:
                continue  # multiword: not handled by this baseline
            pat = pat.replace("’", "'")
            if pat.startswith("=="):
                by_surface.setdefault(pat[2:], set()).add(cat)
            elif pat.startswith("="):
                by_form.setdefault(pat[1:].lower(), set()).add(cat)
            elif pat.endswith("*"):
                by_prefix.setdefault(pat.rstrip("*").lower(), set()).add(cat)
            else:
                by_stem.setdefault(stem(pat.lower()), set()).add(cat)
    return by_stem, by_form, by_surface, by_prefix


def file_list(args):
    import os
    out = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--files0-from":
            with open(args[i + 1], "rb") as f:
                out += [p.decode() for p in f.read().split(b"\0") if p]
            i += 2
            continue
        if os.path.isdir(a):
            found = []
            for root, _, names in os.walk(a):
                found += [os.path.join(root, n) for n in names
                          if n.endswith(".txt")]
            out += sorted(found)
        else:
            out.append(a)
        i += 1
    return out


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    stemmer = Stemmer.Stemmer("english")
    by_stem, by_form, by_surface, by_prefix = load_lexicon(
        argv[0], stemmer.stemWord)
    prefixes = sorted(by_prefix.items())
    stem_cache = {}
    counts = Counter()
    ntokens = 0
    for path in file_list(argv[1:]):
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        if by_surface:
            tokens = WORD_RE.findall(text)
        else:
            tokens = WORD_RE.findall(text.lower())
        ntokens += len(tokens)
        for tok in tokens:
            surface = tok
            tok = tok.lower().replace("’", "'") if by_surface else \
                tok.replace("’", "'")
            stem = stem_cache.get(tok)
            if stem is None:
                stem = stem_cache[tok] = stemmer.stemWord(tok)
            cats = by_stem.get(stem)
            if by_form or by_surface or prefixes:
                cats = set(cats or ())
                cats |= by_form.get(tok, set())
                cats |= by_surface.get(surface, set())
                for p, pc in prefixes:
                    if tok.startswith(p):
                        cats |= pc
            if cats:
                counts.update(cats)
    sys.stdout.write("category,matches\n")
    for cat in sorted(counts):
        sys.stdout.write("%s,%d\n" % (cat, counts[cat]))
    sys.stderr.write("tokens: %d\n" % ntokens)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
