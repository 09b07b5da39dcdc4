#!/usr/bin/env bash
# stats_cli_test.sh BIN SRCDIR [SEEDS_DIR] - compare and terms end to end:
# p and q in [0,1], seeds give identical output, the log-odds z changes sign
# when the pair is swapped, document-level tests appear with 2+ documents per
# outlet (the permutation test below 200 a side, not the bootstrap test),
# zero counts give rate ratios of 0 or Inf, report/compare/terms count words
# and documents alike, and one-document outlets get token-level tests with
# the warning.
set -u
BIN=$1
SRC=$2
SEEDS=${3:-}
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
M=$SRC/examples/manifest.csv

# every column named *_p or *_q (or p, q) holds a number in [0,1] or nothing
pq_ok() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /(^|_)[pq]$/) c[i] = 1; next }
    { for (i in c) if ($i != "" && ($i < 0 || $i > 1)) { print "bad " $i " in col " i; bad = 1 } }
    END { exit bad }' "$1"
}

"$BIN" compare --manifest "$M" --format csv --bootstrap 500 --seed 7 -o "$T/c1.csv"
check "compare runs" test $? -eq 0
check "compare p and q in [0,1]" pq_ok "$T/c1.csv"
"$BIN" compare --manifest "$M" --format csv --bootstrap 500 --seed 7 -o "$T/c2.csv"
check "same seed, same bytes" cmp -s "$T/c1.csv" "$T/c2.csv"
"$BIN" compare --manifest "$M" --format csv --bootstrap 500 --seed 8 -o "$T/c3.csv"
check "another seed, other bootstrap" test -n "$(cmp "$T/c1.csv" "$T/c3.csv")"
# awk over a compare CSV with its columns by name: h["mwu_p"] is the column
hawk() { # PROGRAM FILE
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) h[$i] = i; next } '"$1" "$2"
}
# 3 documents per outlet: document-level tests and Kruskal-Wallis are there;
# the permutation test is exact (C(12, 3) = 220 relabellings) and the
# bootstrap test, which needs 200 documents a side, is not
check "doc-level tests present" hawk '$1 == "loaded_score" && $h["doc_tests"] == 1 && $h["mwu_p"] != "" && $h["perm_p"] != "" && $h["perm_method"] == "exact" && $h["boot_p"] == "" { n++ } END { exit n != 4 }' "$T/c1.csv"
# (distinctive_score's own permutation test is Monte Carlo: compare_distinct)
check "smallest permutation p" hawk '$h["perm_min_p"] != "" && $h["kind"] != "distinctive" { if ($h["perm_min_p"] - 2 / 220 > 1e-12 || 2 / 220 - $h["perm_min_p"] > 1e-12 || $h["perm_p"] < $h["perm_min_p"]) bad++; n++ } END { exit bad || n == 0 }' "$T/c1.csv"
check "kruskal present" hawk '$1 == "loaded.*" && $h["kw_p"] != "" { n++ } END { exit n == 0 }' "$T/c1.csv"
# the issue's reproducer: no bootstrap star on a 3-document outlet, and the
# permutation p agrees with Mann-Whitney that certainty is not significant
"$BIN" compare --manifest "$M" > "$T/c.txt"
check "certainty capital_tribune: no star" awk '/^  certainty  *capital_tribune/ { n++; if (index($0, "*")) bad++ } END { exit bad || n == 0 }' "$T/c.txt"
# no rate ratio above 1 for a side without matches, nor below 1 for a rest
# without them (the distinctive rows have none: summed weights)
check "rate ratio of zero counts" hawk '$h["kind"] == "distinctive" { next } $h["count_a"] == 0 && $h["count_b"] > 0 && $h["rate_ratio"] != 0 { bad++ } $h["count_b"] == 0 && $h["count_a"] > 0 && $h["rate_ratio"] != "Inf" { bad++ } END { exit bad }' "$T/c1.csv"
# more relabellings than 100,000: Monte Carlo, with its error
"$BIN" compare --manifest "$M" --format csv --pair capital_tribune civic_ledger --permutations 500 -o "$T/c4.csv"
check "--permutations" test $? -eq 0
"$BIN" compare --manifest "$M" --format csv --permutations 0 -o /dev/null 2>/dev/null
check "--permutations 0 is a usage error" test $? -eq 2
check "no warning with 3 docs per outlet" test -z "$(grep WARNING "$T/c.txt")"
"$BIN" compare --manifest "$M" --pair capital_tribune nobody >/dev/null 2>"$T/err"
check "unknown pair is a usage error" test $? -eq 2

# terms: z flips sign exactly when the pair is swapped
"$BIN" terms --manifest "$M" --format csv --pair capital_tribune civic_ledger -o "$T/t1.csv"
"$BIN" terms --manifest "$M" --format csv --pair civic_ledger capital_tribune -o "$T/t2.csv"
check "terms p and q in [0,1]" pq_ok "$T/t1.csv"
check "z flips sign" awk -F, 'NR == FNR { if (FNR > 1) z[$3] = $15; next }
  FNR > 1 { n++; if (z[$3] + $15 > 1e-9 || z[$3] + $15 < -1e-9) bad++ }
  END { exit bad || n < 100 }' "$T/t1.csv" "$T/t2.csv"
"$BIN" terms --manifest "$M" --format csv --top 5 --lexicon-only -o "$T/t3.csv"
check "top 5 per outlet" test "$(($(wc -l < "$T/t3.csv") - 1))" -eq 20
check "lexicon-only" test -z "$(awk -F, 'NR > 1 && $5 != 1' "$T/t3.csv")"
"$BIN" terms --manifest "$M" --surface --format csv -o "$T/t4.csv"
check "surface forms" grep -q '^harbor_wire,rest,said,' "$T/t4.csv"

# one way to count: report, compare and terms give the same rate per 1,000
# words for the same text (numbers are words: 10 here, not 8), and compare's
# docs_a and terms' docs_total_a leave out the empty document alike
mkdir -p "$T/same/A" "$T/same/B" "$T/same/C"
printf 'qka reportedly qfi 2024 qfi 12 qfi qfi qfi qfi\n' > "$T/same/A/1.txt"
: > "$T/same/A/2.txt"
printf 'Plain words only here, nothing else.\n' > "$T/same/B/1.txt"
printf 'Zzyzx road.\n' > "$T/same/C/1.txt"
"$BIN" report --format csv "$T/same/A/1.txt" > "$T/same_r.csv"
check "report: 100 per 1,000" grep -q ',author,hedge,1,10,100.0000,' "$T/same_r.csv"
"$BIN" compare "$T/same" --model none --format csv > "$T/same_c.csv"
check "compare: 100 per 1,000, 1 document" hawk '$1 == "hedge" && $h["outlet"] == "A" { n++; if ($h["rate_a"] != 100 || $h["tokens_a"] != 10 || $h["docs_a"] != 1) bad++ } END { exit bad || n != 1 }' "$T/same_c.csv"
"$BIN" terms "$T/same" --surface --format csv > "$T/same_t.csv"
check "terms: 100 per 1,000, 1 document" hawk '$1 == "A" && $h["term"] == "reportedly" { n++; if ($h["rate_a"] != 100 || $h["docs_total_a"] != 1) bad++ } END { exit bad || n != 1 }' "$T/same_t.csv"
check "terms: numbers are not terms" hawk '$h["term"] == "2024" { n++ } END { exit n != 0 }' "$T/same_t.csv"
# --prior FILE: a bad line's column counts code points (a term may be any
# UTF-8): "régime 12" is 10 bytes, 9 code points; "régime<TAB>x" has x at 8
printf 'term\tcount\nrégime 12\n' > "$T/prior1.tsv"
"$BIN" terms "$T/same" --prior "$T/prior1.tsv" --format csv > /dev/null 2> "$T/err"
check "--prior without a tab: exit 1" test $? -eq 1
check "--prior without a tab: col in code points" grep -q "prior1.tsv:2:10: expected term<TAB>count" "$T/err"
printf 'term\tcount\nrégime\tx\n' > "$T/prior2.tsv"
"$BIN" terms "$T/same" --prior "$T/prior2.tsv" --format csv > /dev/null 2> "$T/err"
check "--prior bad count: col in code points" grep -q "prior2.tsv:2:8: count 'x' is not" "$T/err"
# --pair lists only terms one of the pair uses
"$BIN" terms "$T/same" --surface --pair A B --format csv > "$T/same_p.csv"
check "terms --pair: no term of neither" hawk '$h["count_a"] + $h["count_b"] == 0 || $h["term"] == "zzyzx" { bad++ } END { exit bad || NR < 5 }' "$T/same_p.csv"
# JSON has no infinity: PMI of a term side A never uses is "-Infinity",
# undefined values are null
"$BIN" terms "$T/same" --surface --format jsonl > "$T/same_t.jsonl"
check "terms jsonl: -Infinity" grep -q '"outlet":"B".*"term":"reportedly".*"pmi":"-Infinity"' "$T/same_t.jsonl"

# the real seed corpus: one document per outlet
if [ -n "$SEEDS" ] && [ -f "$SEEDS/manifest.csv" ]; then
  "$BIN" compare --manifest "$SEEDS/manifest.csv" --pair outlet_e outlet_a > "$T/s.txt"
  check "seeds: warning" grep -q "WARNING: small samples" "$T/s.txt"
  check "seeds: token-level label" grep -q "token-level" "$T/s.txt"
  "$BIN" compare --manifest "$SEEDS/manifest.csv" --pair outlet_e outlet_a --format csv > "$T/s.csv"
  check "seeds: loaded.* has G2 but no doc-level test" hawk '$1 == "loaded.*" && $h["doc_tests"] == 0 && $h["mwu_p"] == "" && $h["perm_p"] == "" && $h["g2_p"] != "" { n++ } END { exit n != 1 }' "$T/s.csv"
  # the issue's reproducer: 0 matches against 1 is a rate ratio of 0 (or
  # inf the other way), never the corrected 3.00
  "$BIN" compare --manifest "$SEEDS/manifest.csv" --format csv > "$T/s2.csv"
  check "seeds: zero-count rate ratios" hawk '$h["kind"] == "distinctive" { next } $h["count_a"] == 0 && $h["count_b"] > 0 { n++; if ($h["rate_ratio"] != 0) bad++ } END { exit bad || n == 0 }' "$T/s2.csv"
else
  echo "seed checks skipped: no seed corpus at ${SEEDS:-(none)}"
fi
echo "$pass passed, $fail failed"
test $fail -eq 0
