#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""thread_idle.py - where the threads of one `report` run spend their wall
time, from the scheduler's own record (`perf sched record`, tracepoints: no
hardware counters needed): per thread, the time it ran, slept (waiting for
the other thread, a lock or I/O: idle the program chose) and sat runnable
but preempted (the machine's load), and the timeline (when the worker, the
other thread that ran most, first ran; how long the last thread ran alone
at the end).

    bench/thread_idle.py [--rounds 3] [--threads 2] [--wait-idle F] CORPUS... \
        -- NAME=BINARY[%VAR=VALUE,...]... [-- ARGS]

CORPUS is a folder or a manifest (.csv). Each run is `BINARY report --quiet
--format csv -o /dev/null --threads T` plus ARGS, with the variant's
environment variables; variants and corpora are interleaved round by round.
The binary is run through a copy named `fsidle` so that its threads are
told from other processes'. Prints one row per run, then per corpus and
variant the medians of the rounds. Needs perf with the sched tracepoints
(root, or perf_event_paranoid <= 1). --wait-idle F: as wall_ratio.py's.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wall_ratio import wait_idle  # noqa: E402

COMM = "fsidle"


def timehist(data):
    """(time, tid, pid, run, sched delay, state) per switch-out of COMM's
    threads, in time order (times in ms)."""
    out = subprocess.run(["perf", "sched", "timehist", "-i", data, "--state"],
                         capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        f = line.split()
        if len(f) < 7 or not f[2].startswith(COMM + "["):
            continue
        ids = f[2][len(COMM) + 1:-1].split("/")
        tid = int(ids[0])
        pid = int(ids[1]) if len(ids) > 1 else tid
        try:
            rows.append((float(f[0]) * 1e3, tid, pid, float(f[5]),
                         float(f[4]), f[6]))
        except ValueError:
            continue
    return rows


def analyse(rows):
    """Per thread: ran, slept (and how many times), preempted (ms), first
    start, last end; the run's span; the time two threads ran at once."""
    th = {}
    spans = []
    for t, tid, pid, run, delay, state in rows:
        d = th.setdefault(tid, {"ran": 0.0, "slept": 0.0, "sleeps": 0,
                                "preempted": 0.0, "first": None, "last": 0.0,
                                "out": None, "state": None})
        start = t - run
        if d["out"] is not None:
            gap = max(0.0, start - d["out"])
            if d["state"].startswith("R"):
                d["preempted"] += gap
            else:
                d["slept"] += max(0.0, gap - delay)
                d["preempted"] += min(gap, delay)
                d["sleeps"] += 1
        if d["first"] is None:
            d["first"] = start
        d["ran"] += run
        d["last"] = t
        d["out"], d["state"] = t, state
        spans.append((start, t, tid))
    if not th:
        return None
    t0 = min(d["first"] for d in th.values())
    t1 = max(d["last"] for d in th.values())
    # time covered by two or more threads' runs at once
    ev = sorted([(s, 1) for s, _, _ in spans] + [(e, -1) for _, e, _ in spans])
    both = 0.0
    n, prev = 0, t0
    for x, k in ev:
        if n >= 2:
            both += x - prev
        n += k
        prev = x
    return t0, t1, th, both


def q(v, fmt="%.1f"):
    return (fmt + " [" + fmt + "-" + fmt + "]") % (
        statistics.median(v), min(v), max(v))


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit("usage: thread_idle.py [--rounds N] [--threads T] CORPUS... "
                 "-- NAME=BINARY[%VAR=VALUE,...]... [-- ARGS]")
    cut = argv.index("--")
    rest = argv[cut + 1:]
    extra = []
    if "--" in rest:
        extra = rest[rest.index("--") + 1:]
        rest = rest[:rest.index("--")]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--wait-idle", type=float, default=None)
    ap.add_argument("corpora", nargs="+")
    a = ap.parse_args(argv[:cut])
    here = os.path.dirname(os.path.abspath(__file__))
    base_env = dict(os.environ)
    base_env.setdefault("FRAMESCORE_LEXICONS",
                        os.path.join(here, "..", "lexicons"))
    base_env.setdefault("FRAMESCORE_MODELS", os.path.join(here, "..", "models"))
    tmp = tempfile.mkdtemp(prefix="thread_idle.")
    variants = []
    for k, v in enumerate(rest):
        name, _, spec = v.partition("=")
        path, _, envs = spec.partition("%")
        if not path:
            sys.exit("thread_idle.py: expected NAME=BINARY, got " + v)
        d = os.path.join(tmp, str(k))
        os.mkdir(d)
        shutil.copy(path, os.path.join(d, COMM))
        env = dict(base_env)
        for e in filter(None, envs.split(",")):
            var, _, val = e.partition("=")
            env[var] = val
        variants.append((name, os.path.join(d, COMM), env))
    data = os.path.join(tmp, "sched.data")
    load0 = os.getloadavg()
    print("| corpus | variant | wall ms | CPUs used | ran ms (main, others) "
          "| slept ms (times) | preempted ms | worker's first run at ms "
          "| last thread alone ms | two running ms |")
    print("|---|---|---:|---:|---|---|---|---:|---:|---:|")
    med = {}
    for r in range(a.rounds):
        order = variants if r % 2 == 0 else variants[::-1]
        for corpus in a.corpora:
            name = os.path.basename(os.path.dirname(corpus)
                                    if corpus.endswith(".csv")
                                    else corpus.rstrip("/"))
            for vname, binary, env in order:
                cmd = [binary, "report", "--quiet", "--format", "csv", "-o",
                       "/dev/null", "--threads", str(a.threads)]
                cmd += ["--manifest", corpus] if corpus.endswith(".csv") \
                    else [corpus]
                if a.wait_idle is not None:
                    wait_idle(a.wait_idle)
                subprocess.run(["perf", "sched", "record", "-q", "-o", data,
                                "--"] + cmd + extra, env=env, check=True,
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
                res = analyse(timehist(data))
                if not res:
                    print("no samples of", COMM, file=sys.stderr)
                    continue
                t0, t1, th, both = res
                main_tid = min(th)  # the process's first thread
                others = [th[k] for k in sorted(th) if k != main_tid]
                m = th[main_tid]
                ran = sum(d["ran"] for d in th.values())
                wall = t1 - t0
                # the worker: the other thread that ran most (a short one,
                # such as the duplicate check's, may start first)
                worker = max(others, key=lambda d: d["ran"], default=None)
                first = (worker["first"] if worker else t0) - t0
                ends = sorted(d["last"] for d in th.values())
                alone = ends[-1] - ends[-2] if len(ends) > 1 else 0.0

                def f(key, fmt="%.0f"):
                    return (fmt + ", %s") % (m[key], " ".join(
                        fmt % d[key] for d in others))
                sl = "%s (%s)" % (f("slept"), f("sleeps", "%d"))
                print("| %s | %s | %.0f | %.2f | %s | %s | %s | %.1f | %.1f "
                      "| %.0f |" % (name, vname, wall, ran / wall, f("ran"),
                                    sl, f("preempted"), first, alone, both))
                for k, v in (("wall", wall), ("cpus", ran / wall),
                             ("ran", ran),
                             ("slept", sum(d["slept"] for d in th.values())),
                             ("sleeps", sum(d["sleeps"] for d in th.values())),
                             ("preempted",
                              sum(d["preempted"] for d in th.values())),
                             ("first", first), ("alone", alone),
                             ("both", both)):
                    med.setdefault((name, vname, k), []).append(v)
    load1 = os.getloadavg()
    print("\nload average before %.2f %.2f %.2f, after %.2f %.2f %.2f; "
          "medians [min-max] of %d rounds:\n" % (load0 + load1 + (a.rounds,)))
    keys = ["wall", "cpus", "ran", "slept", "sleeps", "preempted", "first",
            "alone", "both"]
    print("| corpus | variant | " + " | ".join(keys) + " |")
    print("|---|---|" + "---:|" * len(keys))
    for corpus in a.corpora:
        name = os.path.basename(os.path.dirname(corpus)
                                if corpus.endswith(".csv")
                                else corpus.rstrip("/"))
        for vname, _, _ in variants:
            if (name, vname, "wall") not in med:
                continue
            print("| %s | %s | %s |" % (name, vname, " | ".join(
                q(med[(name, vname, k)], "%.2f" if k == "cpus" else
                  "%.0f" if k == "sleeps" else "%.1f") for k in keys)))
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
