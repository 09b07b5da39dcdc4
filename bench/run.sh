#!/bin/sh
# run.sh - one-command benchmark of framescore against `wc -w` and a Python
# baseline on synthetic news corpora (cached in bench/.corpus/).
#
#   bench/run.sh [--sizes "10 100 1000"] [--runs 3] [--data SHARED_DATA_DIR]
#                [--sweep-mb 40]
#                [--outlets 20] [--seed 1] [--no-crosscheck] [--tagger FILE]
#                [--vectors-tagger FILE] [--vectors-lexicon DIR]...
#   FS=path/to/framescore bench/run.sh ...     (default: build/framescore)
#   FRAMESCORE_VECTORS=FILE bench/run.sh ...   (the vectors tagger rows)
#
# For each size (MB) it times, in one invocation, `wc -w`, bench/baseline.py
# and `framescore report` (1 and 2 threads, plus 1 thread with only
# bench/simple.tsv, like for like with baseline.py), `compare` and `terms`, --runs
# times each, and prints a Markdown table of medians (a failing framescore
# subcommand is marked failed and the run goes on). Then it cross-checks
# framescore's per-category counts against baseline.py on the 10 MB corpus.
# With FRAMESCORE_VECTORS (word vectors, text or `framescore vectors
# convert` binary) each corpus and sweep size also gets `report -t1` with a
# span tagger that uses them (--vectors-tagger, or one trained on
# tests/data/labelled.tsv with them), and the sweep its ratio to plain
# `report -t1`; without it those rows are skipped with a message.
# With --data DIR it also runs on DIR/semeval2020-task11-ptc/train-articles.
# The report is also saved to bench/.results/last.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3

# What the bench runs besides framescore (GNU time, and PyStemmer and numpy
# for baseline.py), installed from Debian's packages when missing, as
# scripts/setup.sh installs the build's.
missing=""
[ -x /usr/bin/time ] || missing="$missing time"
"$PY" -c 'import Stemmer' 2>/dev/null || missing="$missing python3-stemmer"
"$PY" -c 'import numpy' 2>/dev/null || missing="$missing python3-numpy"
if [ -n "$missing" ]; then
    echo "run.sh: installing$missing" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if ! { $sudo apt-get update -qq &&
           DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
               --no-install-recommends $missing >/dev/null; }; then
        echo "run.sh: could not install$missing; install them with:" >&2
        echo "    apt-get install -y$missing" >&2
        exit 2
    fi
fi
# Without FS=..., build an optimised binary of this tree to measure.
if [ -z "${FS:-}" ]; then
    cmake -S "$here/.." -B "$here/../build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$here/../build-bench" -j"$(nproc)" --target framescore >/dev/null
    FS="$here/../build-bench/framescore"
    export FS
fi
mkdir -p "$here/.results"
status=0
"$PY" "$here/runbench.py" "$@" >"$here/.results/last.md" || status=$?
cat "$here/.results/last.md"
exit $status
