#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""thread_ab.py - what --threads 2 costs against --threads 1, in CPU time,
for one or more binaries (or environments) interleaved round by round, so
that a shared machine's load falls on every variant alike. Each round runs
`report --quiet --format csv -o /dev/null` on MANIFEST at -t1 and -t2 for
each variant (optionally also two -t1 processes at once, each on half the
documents, and the start alone on one short document of its own), and takes wall time
and CPU time (user + sys, from wait4) and minor page faults. Prints
medians with [min-max], and per round the ratios -t2 / -t1 (CPU), -t1 /
-t2 (wall) and, with two variants, each variant's CPU over the first's.

    bench/thread_ab.py [--rounds 9] [--halves] [--start]
                       [--page-cost] MANIFEST NAME=BINARY[%VAR=VALUE] ...

A variant is a binary, optionally run with one environment variable set
(`base=build/framescore` `pop=build/framescore%GLIBC_TUNABLES=...`).
--halves: two -t1 processes at once, on the odd and the even documents
(what two independent contexts cost, each learning the vocabulary over
half the text; the second process's start is included: --start measures
it). --page-cost: first the CPU a new anonymous page costs on this machine
(touched one by one, and mapped with MADV_POPULATE_WRITE), which is what a
second thread's own tables and buffers cost per 4 KiB.
"""
import argparse
import mmap
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time


def read_manifest(path):
    """The manifest's header and rows, with paths made absolute."""
    base = os.path.dirname(os.path.abspath(path))
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    rows = []
    for line in lines[1:]:
        if not line.strip():
            continue
        p, sep, rest = line.partition(",")
        if not os.path.isabs(p):
            p = os.path.join(base, p)
        rows.append(p + sep + rest)
    return lines[0], rows


def run(cmds, env):
    """Runs cmds at once; returns wall s, CPU s (all), minor faults (all)."""
    t0 = time.perf_counter()
    procs = [subprocess.Popen(c, env=env, stdout=subprocess.DEVNULL)
             for c in cmds]
    cpu, faults = 0.0, 0
    for p in procs:
        _, status, ru = os.wait4(p.pid, 0)
        if status != 0:
            sys.exit("thread_ab.py: failed (status %d): %s" %
                     (status, " ".join(p.args)))
        cpu += ru.ru_utime + ru.ru_stime
        faults += ru.ru_minflt
    return time.perf_counter() - t0, cpu, faults


def page_cost(mb=64, reps=3):
    """CPU microseconds per new 4 KiB page: touched, and populated."""
    def cpu():
        ru = resource.getrusage(resource.RUSAGE_SELF)
        return ru.ru_utime + ru.ru_stime
    out = {}
    for mode in ("touched", "populated"):
        best = None
        for _ in range(reps):
            n = mb << 20
            m = mmap.mmap(-1, n)
            t0 = cpu()
            if mode == "populated":
                m.madvise(23)  # MADV_POPULATE_WRITE, Linux 5.14
            for i in range(0, n, 4096):
                m[i] = 1
            t1 = cpu()
            for i in range(0, n, 4096):  # the loop alone, pages mapped
                m[i] = 2
            t2 = cpu()
            m.close()
            us = ((t1 - t0) - (t2 - t1)) * 1e6 / (n // 4096)
            best = us if best is None else min(best, us)
        out[mode] = best
    return out


def q(xs, fmt="%.3f"):
    return (fmt + " [" + fmt + "-" + fmt + "]") % (
        statistics.median(xs), min(xs), max(xs))


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--halves", action="store_true")
    ap.add_argument("--start", action="store_true")
    ap.add_argument("--page-cost", action="store_true")
    ap.add_argument("manifest")
    ap.add_argument("variants", nargs="+", metavar="NAME=BINARY[%VAR=VALUE]")
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ)
    env.setdefault("FRAMESCORE_LEXICONS", os.path.join(here, "..", "lexicons"))
    env.setdefault("FRAMESCORE_MODELS", os.path.join(here, "..", "models"))
    variants = []
    for v in a.variants:
        name, _, spec = v.partition("=")
        binary, _, var = spec.partition("%")
        venv = dict(env)
        if var:
            k, _, val = var.partition("=")
            venv[k] = val
        if not os.access(binary, os.X_OK):
            sys.exit("thread_ab.py: not an executable: %s" % binary)
        variants.append((name, os.path.abspath(binary), venv))
    if a.page_cost:
        c = page_cost()
        print("a new page: %.2f us of CPU touched, %.2f us populated" %
              (c["touched"], c["populated"]))
    try:
        header, rows = read_manifest(a.manifest)
    except OSError as e:
        sys.exit("thread_ab.py: %s: %s" % (a.manifest, e.strerror))
    if not rows:
        sys.exit("thread_ab.py: %s: no documents" % a.manifest)
    with tempfile.TemporaryDirectory() as w:
        # the start: the lexicons loaded and one short document analysed
        short = os.path.join(w, "short.txt")
        with open(short, "w", encoding="utf-8") as f:
            f.write("The minister said the plan was a disaster.\n")
        mans = {}
        for key, sel in (("all", rows), ("0", rows[0::2]), ("1", rows[1::2]),
                         ("start", [short + ",start"])):
            mans[key] = os.path.join(w, key + ".csv")
            with open(mans[key], "w", encoding="utf-8") as f:
                f.write(header + "\n" + "".join(r + "\n" for r in sel))

        def cmd(binary, t, man):
            return [binary, "report", "--quiet", "--format", "csv",
                    "--threads", str(t), "-o", "/dev/null", "--manifest",
                    mans[man]]

        res = {}
        for _ in range(a.rounds):
            for name, binary, venv in variants:
                for t in (1, 2):
                    res.setdefault((name, "t%d" % t), []).append(
                        run([cmd(binary, t, "all")], venv))
                if a.halves:
                    res.setdefault((name, "halves"), []).append(
                        run([cmd(binary, 1, "0"), cmd(binary, 1, "1")], venv))
                if a.start:
                    res.setdefault((name, "start"), []).append(
                        run([cmd(binary, 1, "start")], venv))
    print("%d rounds, %d documents; medians [min-max]" % (a.rounds, len(rows)))
    for (name, what), v in res.items():
        print("%-8s %-6s wall %s  CPU %s  faults %s" % (
            name, what, q([x[0] for x in v]), q([x[1] for x in v]),
            q([x[2] for x in v], "%d")))
    for name, _, _ in variants:
        one, two = res[(name, "t1")], res[(name, "t2")]
        print("%-8s -t1/-t2 wall %s  -t2/-t1 CPU %s" % (
            name, q([x[0] / y[0] for x, y in zip(one, two)]),
            q([y[1] / x[1] for x, y in zip(one, two)])))
        for what in ("halves", "start"):
            if (name, what) in res:
                print("%-8s %s/-t1 CPU %s" % (name, what, q(
                    [y[1] / x[1] for x, y in zip(one, res[(name, what)])])))
    first = variants[0][0]
    for name, _, _ in variants[1:]:
        for t in ("t1", "t2"):
            print("%-8s -%s CPU / %s's %s" % (name, t, first, q(
                [y[1] / x[1] for x, y in zip(res[(first, t)],
                                              res[(name, t)])])))


if __name__ == "__main__":
    main()
