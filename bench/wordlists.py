#!/usr/bin/env python3
# wordlists.py - third-party word lists (../shared/data/lexicons layout) ->
# framescore lexicon files (pattern<TAB>category<TAB>1) in OUT_DIR, one
# category family per list, for `train --lexicon OUT_DIR` (bench/validity.sh).
#
#   wordlists.py LEXICONS_DIR OUT_DIR
#
# The lists are third-party (see LEXICONS_DIR/SOURCE.md for their origins and
# citations): they are converted at run time into OUT_DIR, never into the
# project. A list whose file is absent is skipped with a message. Entries
# that are not plain lowercase words or phrases (globs such as "f**k",
# "a+") are left out. Exit status: 0, or 2 on usage.
import os
import re
import sys

PLAIN = re.compile(r"^[a-z][a-z' -]*$")


def read_lines(path, encoding="utf-8", comment="#"):
    with open(path, encoding=encoding, errors="replace") as f:
        for line in f.read().splitlines():
            line = line.strip()
            if line and not line.startswith(comment):
                yield line


def write(out, name, category, words):
    seen = []
    got = set()
    for w in words:
        w = w.strip().lower()
        if PLAIN.match(w) and w not in got:
            got.add(w)
            seen.append(w)
    path = os.path.join(out, name + ".tsv")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("# %s: converted by bench/wordlists.py (not part of framescore)\n" % name)
        for w in seen:
            f.write("%s\t%s\t1\n" % (w, category))
    os.replace(path + ".tmp", path)
    print("%-28s %-22s %5d entries" % (name, category, len(seen)))


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        sys.stderr.write("usage: wordlists.py LEXICONS_DIR OUT_DIR\n")
        return 2
    src, out = argv[1], argv[2]
    os.makedirs(out, exist_ok=True)
    mpqa = os.path.join(src, "mpqa-subjectivity-clues", "subjclueslen1-HLTEMNLP05.tff")
    if os.path.exists(mpqa):
        groups = {}
        for line in read_lines(mpqa):
            kv = dict(p.split("=", 1) for p in line.split() if "=" in p)
            if "word1" not in kv or "type" not in kv:
                continue
            strength = "strong" if kv["type"].startswith("strong") else "weak"
            pol = {"negative": "neg", "positive": "pos"}.get(kv.get("priorpolarity"), "other")
            groups.setdefault(strength + pol, []).append(kv["word1"])
        for key in sorted(groups):
            write(out, "mpqa_" + key, "mpqa." + key, groups[key])
    else:
        print("skipped: MPQA (no %s)" % mpqa)
    hl = os.path.join(src, "hu-liu-opinion-lexicon")
    for pol in ("negative", "positive"):
        p = os.path.join(hl, pol + "-words.txt")
        if os.path.exists(p):
            write(out, "huliu_" + pol[:3], "huliu%s.word" % pol[:3],
                  read_lines(p, "latin-1", ";"))
        else:
            print("skipped: Hu-Liu %s (no %s)" % (pol, p))
    lists = [("recasens2013-bias-lexicon/bias-lexicon.txt", "recasens", "recasens.bias")]
    for name in ("assertives_hooper1975", "factives_hooper1975", "hedges_hyland2005",
                 "implicatives_karttunen1971", "report_verbs"):
        lists.append(("recasens2013-bias-related-lexicons/%s.txt" % name, name,
                      "r%s.word" % name.split("_")[0]))
    for rel, name, cat in lists:
        p = os.path.join(src, rel)
        if os.path.exists(p):
            write(out, name, cat, read_lines(p))
        else:
            print("skipped: %s (no %s)" % (name, p))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
