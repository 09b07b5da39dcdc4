#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""wall_ratio.py - the wall-time ratio `report --threads 1` / `--threads 2`
of one or more builds on one or more corpora (folders or manifests),
interleaved: each round runs every corpus, and on it every binary at -t1
then -t2 (the binaries' order turning round by round), so that the load of
a shared machine falls on all of them alike.

    bench/wall_ratio.py [--rounds 9] [--wait-idle F] [--pin] [--halves] CORPUS... -- NAME=BINARY...

Each run is `report --quiet --format csv -o /dev/null --threads T`, with
--manifest for a .csv corpus. Prints per corpus and binary the median
[min-max] wall s of -t1 and -t2 and of the ratio -t1 / -t2 round by round,
CPU s (user + sys) of each, and the load average before and after.
--wait-idle F: before each run, wait (up to 30 s) until the machine's CPUs
were idle at least a fraction F of the last 0.25 s (/proc/stat), so that
on a machine others share the runs fall in its quiet moments; prints how
long that took and how many runs went ahead without it.
--pin: each -t1 run is made once on each CPU (pinned, as `taskset -c K`;
-t2 stays free), and the ratio is given against the faster CPU's -t1 and
the slower one's, round by round, with the two CPUs' -t1 ratio: on a
virtual machine whose CPUs are not alike (session 36: one CPU's memory
accesses beyond its private cache up to 4x slower than the other's, as
the host's neighbours come and go), an unpinned -t1 lands on either and
the ratio moves with it; -t2 gets the sum of both.
--halves (manifest corpora): also two -t1 processes at once, one on the odd
and one on the even rows (wall until both end): what this machine gives to
two processes that share nothing, the bound of any split of the work
(session 37: 1.42-1.66x of -t1 in an hour when -t2 made 1.53-1.69x).
"""
import argparse
import csv
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from thread_ab import q, run  # noqa: E402


def label(corpus):
    """A corpus's name: its folder's, for a manifest."""
    c = corpus.rstrip("/")
    return os.path.basename(os.path.dirname(c) if c.endswith(".csv") else c)


def cpu_times():
    """(idle, total) jiffies of all CPUs, from /proc/stat."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return v[3] + v[4], sum(v)


def wait_idle(frac, timeout=30.0, step=0.25):
    """Waits until the CPUs were idle >= frac of the last step seconds, or
    timeout; returns (seconds waited, whether it was reached)."""
    t0 = time.monotonic()
    while True:
        i0, a0 = cpu_times()
        time.sleep(step)
        i1, a1 = cpu_times()
        if a1 > a0 and (i1 - i0) / (a1 - a0) >= frac:
            return time.monotonic() - t0, True
        if time.monotonic() - t0 > timeout:
            return time.monotonic() - t0, False


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit("usage: wall_ratio.py [--rounds N] CORPUS... -- NAME=BINARY...")
    cut = argv.index("--")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--wait-idle", type=float, default=None)
    ap.add_argument("--pin", action="store_true")
    ap.add_argument("--halves", action="store_true")
    ap.add_argument("corpora", nargs="+")
    a = ap.parse_args(argv[:cut])
    bins = []
    for v in argv[cut + 1:]:
        name, _, path = v.partition("=")
        if not path:
            sys.exit("wall_ratio.py: expected NAME=BINARY, got " + v)
        bins.append((name, os.path.abspath(path)))
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ)
    env.setdefault("FRAMESCORE_LEXICONS", os.path.join(here, "..", "lexicons"))
    env.setdefault("FRAMESCORE_MODELS", os.path.join(here, "..", "models"))

    def cmd(binary, corpus, threads):
        c = [binary, "report", "--quiet", "--format", "csv", "-o", "/dev/null",
             "--threads", str(threads)]
        return c + (["--manifest", corpus] if corpus.endswith(".csv")
                    else [corpus])

    cpus = sorted(os.sched_getaffinity(0)) if a.pin else [None]
    # (threads, CPU pinned to or None)
    kinds = [(1, k) for k in cpus] + [(2, None)]

    def pinned(c, k):
        return c if k is None else ["taskset", "-c", str(k)] + c

    tmp = tempfile.TemporaryDirectory(prefix="wall_ratio.")
    halves = {}
    if a.halves:
        if a.pin:
            sys.exit("wall_ratio.py: --halves is for the table without --pin")
        for corpus in a.corpora:
            if not corpus.endswith(".csv"):
                sys.exit("wall_ratio.py: --halves needs manifests: " + corpus)
            halves[corpus] = split_manifest(corpus, tmp.name, len(halves))

    wall, cpu = {}, {}
    waits, missed = [], 0
    load0 = os.getloadavg()
    for r in range(a.rounds):
        order = bins if r % 2 == 0 else bins[::-1]
        for corpus in a.corpora:
            for name, binary in order:
                for t, k in kinds:
                    if a.wait_idle is not None:
                        waited, ok = wait_idle(a.wait_idle)
                        waits.append(waited)
                        missed += not ok
                    w, c, _ = run([pinned(cmd(binary, corpus, t), k)], env)
                    wall.setdefault((corpus, name, t, k), []).append(w)
                    cpu.setdefault((corpus, name, t, k), []).append(c)
                if corpus in halves:
                    if a.wait_idle is not None:
                        waited, ok = wait_idle(a.wait_idle)
                        waits.append(waited)
                        missed += not ok
                    w, c, _ = run([cmd(binary, h, 1) for h in halves[corpus]],
                                  env)
                    wall.setdefault((corpus, name, 0, None), []).append(w)
    load1 = os.getloadavg()
    print("load average before %.2f %.2f %.2f, after %.2f %.2f %.2f; %d rounds"
          % (load0 + load1 + (a.rounds,)))
    if waits:
        print("waited for idle CPUs (>= %.2f) %.1f s in all, median %.2f s a "
              "run; %d of %d runs went ahead without"
              % (a.wait_idle, sum(waits), statistics.median(waits), missed,
                 len(waits)))
    if a.pin:
        print_pinned(a.corpora, bins, cpus, wall)
        return
    print("| corpus | build | -t1 wall s | -t2 wall s | -t1 / -t2 by round |"
          " -t1 CPU s | -t2 CPU s |%s" % (
              " two -t1 on halves wall s | -t1 / halves by round |"
              if halves else ""))
    print("|---|---|---:|---:|---:|---:|---:|%s" % ("---:|---:|"
                                                   if halves else ""))
    for corpus in a.corpora:
        for name, _ in bins:
            w1 = wall[(corpus, name, 1, None)]
            w2 = wall[(corpus, name, 2, None)]
            ratio = [x / y for x, y in zip(w1, w2)]
            more = ""
            if halves:
                wh = wall[(corpus, name, 0, None)]
                more = " %s | %s |" % (
                    q(wh), q([x / y for x, y in zip(w1, wh)], "%.2f"))
            print("| %s | %s | %s | %s | %s | %s | %s |%s" % (
                label(corpus), name, q(w1), q(w2),
                q(ratio, "%.2f"), q(cpu[(corpus, name, 1, None)]),
                q(cpu[(corpus, name, 2, None)]), more))


def split_manifest(corpus, folder, n):
    """The odd and the even rows of manifest corpus, as two manifests in
    folder (paths made absolute, every other column kept)."""
    base = os.path.dirname(os.path.abspath(corpus))
    with open(corpus, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("path")
    out = []
    for k in (0, 1):
        p = os.path.join(folder, "half%d.%d.csv" % (n, k))
        with open(p, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(rows[0])
            for r in rows[1 + k::2]:
                r = list(r)
                r[col] = os.path.join(base, r[col])
                w.writerow(r)
        out.append(p)
    return out


def print_pinned(corpora, bins, cpus, wall):
    """The --pin table: -t1 on each CPU, -t2, and the ratios by round."""
    print("| corpus | build | %s | -t2 wall s | -t1 fastest CPU / -t2 |"
          " -t1 slowest CPU / -t2 | -t1 slowest / fastest CPU |"
          % " | ".join("-t1 CPU %d wall s" % k for k in cpus))
    print("|---|---|%s---:|---:|---:|---:|" % ("---:|" * len(cpus)))
    for corpus in corpora:
        for name, _ in bins:
            w1 = [wall[(corpus, name, 1, k)] for k in cpus]
            w2 = wall[(corpus, name, 2, None)]
            fast = [min(r) / y for r, y in zip(zip(*w1), w2)]
            slow = [max(r) / y for r, y in zip(zip(*w1), w2)]
            spread = [max(r) / min(r) for r in zip(*w1)]
            print("| %s | %s | %s | %s | %s | %s | %s |" % (
                label(corpus), name, " | ".join(q(w) for w in w1), q(w2),
                q(fast, "%.2f"), q(slow, "%.2f"), q(spread, "%.2f")))


if __name__ == "__main__":
    main()
