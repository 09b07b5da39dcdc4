#!/usr/bin/python3
"""babe_outlets.py DATA_DIR OUT_DIR - turns the BABE sentences (from
DATA_DIR/babe-mbic/converted/final_labels_SG2.tsv) into a multi-document
corpus grouped by outlet: OUT_DIR/<outlet>/<n>.txt, one sentence per
document, and OUT_DIR/manifest.csv with the label as an extra column.
Used to show compare's document-level tests on real data; the output stays
outside the project (it is third-party text)."""
import csv
import os
import re
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src = os.path.join(sys.argv[1], "babe-mbic", "converted",
                       "final_labels_SG2.tsv")
    if not os.path.exists(src):
        print("skipped: no BABE data at " + src)
        return
    out = sys.argv[2]
    rows = []
    with open(src, encoding="utf-8") as f:
        for rec in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            outlet = re.sub(r"[^a-z0-9]+", "_", rec["outlet"].lower()).strip("_")
            if outlet:
                rows.append((outlet, rec["text"], rec["label_bias"]))
    counts = {}
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "manifest.csv"), "w", newline="",
              encoding="utf-8") as m:
        w = csv.writer(m)
        w.writerow(["path", "outlet", "label_bias"])
        for outlet, text, label in rows:
            n = counts.get(outlet, 0)
            counts[outlet] = n + 1
            path = os.path.join(outlet, "%05d.txt" % n)
            os.makedirs(os.path.join(out, outlet), exist_ok=True)
            with open(os.path.join(out, path), "w", encoding="utf-8") as t:
                t.write(text + "\n")
            w.writerow([path, outlet, label])
    print("%d sentences from %d outlets -> %s" % (len(rows), len(counts), out))


if __name__ == "__main__":
    main()
