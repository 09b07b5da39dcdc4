#!/usr/bin/env bash
# scale_bench_test.sh BIN SRCDIR - the tools of the 10 GB run: the corpus
# generator's --pool-mb mode (bench/gen_corpus.py) is deterministic by seed,
# each corpus is a prefix of a larger one of the same seed, and its
# vocabulary grows by Heaps' law (V ~ N^0.5); bench/scale.sh stopped after
# some shards resumes without counting them again and its merges and the
# sample check (merge of shards 1..K vs one count of their documents) give
# identical bytes. Skips (77) without numpy for /usr/bin/python3.
set -u
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
SRC=$2
PY=/usr/bin/python3
if ! "$PY" -c 'import numpy' 2>/dev/null; then
  echo "SKIP: $PY has no numpy (bench/gen_corpus.py needs it)"
  exit 77
fi
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
gen() { "$PY" "$SRC/bench/gen_corpus.py" --out "$T/$1" --mb "$2" --seed "$3" --pool-mb 0.5 --outlets 4 >/dev/null; }
gen a 1 7 && gen b 1 7 && gen c 1 8 && gen big 4 7
check "generator ran" test -s "$T/big/manifest.csv"
check "same seed, same bytes" diff -r "$T/a" "$T/b"
check "other seed, other text" test -n "$(diff -rq "$T/a/outlet_00" "$T/c/outlet_00" 2>&1)"
# the documents of 1 MB are the first ones of 4 MB (the manifest is in
# generation order)
n=$(($(wc -l < "$T/a/manifest.csv") - 1))
check "1 MB is a prefix of 4 MB" diff <(head -n "$n" "$T/a/manifest.csv") <(head -n "$n" "$T/big/manifest.csv")
last=$(tail -1 "$T/a/manifest.csv" | cut -d, -f1)
check "same last document" cmp -s "$T/a/$last" "$T/big/$last"
# Heaps' law V = K N^0.5: 4 times the words, about twice the word types
# (fresh types enter per batch of 2,000 documents, ~8.6 MB, spread over
# it: both corpora here are inside the first batch, so the ratio is
# 1.6-1.7 rather than 2; sentences recombined from the pool without fresh
# types would give ~1.1)
types() {
  "$PY" - "$1" <<'PYEOF'
import os, re, sys
d = sys.argv[1]
seen, n = set(), 0
for line in open(os.path.join(d, "manifest.csv")).read().split("\n")[1:]:
    if line:
        ws = re.findall(r"[^\W\d_]+", open(os.path.join(d, line.split(",")[0]), encoding="utf-8").read().lower())
        n += len(ws)
        seen.update(ws)
print(n, len(seen))
PYEOF
}
read -r n1 v1 < <(types "$T/a")
read -r n4 v4 < <(types "$T/big")
check "4 times the words ($n1 -> $n4)" awk -v a="$n1" -v b="$n4" 'BEGIN { exit !(b > 3.5 * a && b < 4.5 * a) }'
check "about twice the types ($v1 -> $v4)" awk -v a="$v1" -v b="$v4" 'BEGIN { r = b / a; exit !(r > 1.5 && r < 2.3) }'

# bench/scale.sh: 4 shards, stopped after 2, resumed
export FS=$BIN FS_SCALE_WORK=$T/work FS_SCALE_TEXT=0 FS_SCALE_ONE=0 FS_SCALE_JOBS=2 FS_SCALE_SAMPLE=2
export FS_SCALE_STATS="terms"
FS_SCALE_SHARDS=2 sh "$SRC/bench/scale.sh" "$T/big" 4 > "$T/run1" 2>&1
check "stopped run: 2 of 4 shards" grep -q '2 of 4 shards counted' "$T/run1"
check "stopped run: sample identical" grep -q 'merge of shards 1..2 vs one job over their documents: identical' "$T/run1"
cp "$T/work/shard-1.time" "$T/shard-1.time"
touch -d '2000-01-01' "$T/work/shard-1.fsc"
sh "$SRC/bench/scale.sh" "$T/big" 4 > "$T/run2" 2>&1
check "resumed: shard 1 not counted again" test "$(stat -c %Y "$T/work/shard-1.fsc")" = "$(date -d 2000-01-01 +%s)"
check "resumed: 4 of 4 shards" grep -q 'count, 4 of 4 shards' "$T/run2"
check "resumed: flat merge = tree" grep -q 'merged shards vs the tree of merges: identical' "$T/run2"
check "resumed: terms ran" test -s "$T/work/t_counts.csv"
"$BIN" count --quiet --manifest "$T/work/manifest.csv" -o "$T/one.fsc"
check "merged shards = one count" cmp -s "$T/one.fsc" "$T/work/merged.fsc"
echo "scale_bench: $pass passed, $fail failed"
[ "$fail" = 0 ]
