#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""thread_scale.py - whether what --threads 2 costs over --threads 1 is a
fixed cost (the second context learning the vocabulary, the start) or one
per byte, from CPU time on several manifests (e.g. the same documents as
40 MB and 160 MB sweeps), interleaved round by round so that a shared
machine's load falls on every manifest and variant alike. Each round runs
`report --quiet --format csv -o /dev/null` on each manifest: -t1, -t2,
two -t1 processes at once on the odd and the even documents (halves) and
two -t1 processes at once on all of them (twice: what the two cores cost
each other, with nothing shared), and records CPU time (user + sys),
minor page faults and the load average.

    bench/thread_scale.py [--rounds 9] BINARY MANIFEST...

Prints per manifest medians [min-max] of CPU s and faults, and of the
per-round ratios -t2 / -t1, halves / -t1 and twice / (2 x -t1), and the
extra CPU of -t2 in ms (-t2 - -t1, per round): a fixed cost stays the same
from the smaller corpus to the larger, one per byte grows with it.
"""
import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from thread_ab import q, read_manifest, run  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("binary")
    ap.add_argument("manifests", nargs="+")
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ)
    env.setdefault("FRAMESCORE_LEXICONS", os.path.join(here, "..", "lexicons"))
    env.setdefault("FRAMESCORE_MODELS", os.path.join(here, "..", "models"))
    binary = os.path.abspath(a.binary)
    if not os.access(binary, os.X_OK):
        sys.exit("thread_scale.py: not an executable: %s" % binary)
    res, loads = {}, []
    with tempfile.TemporaryDirectory() as w:
        mans = []
        for k, m in enumerate(a.manifests):
            try:
                header, rows = read_manifest(m)
            except OSError as e:
                sys.exit("thread_scale.py: %s: %s" % (m, e.strerror))
            if not rows:
                sys.exit("thread_scale.py: %s: no documents" % m)
            parts = {}
            for key, sel in (("all", rows), ("0", rows[0::2]),
                             ("1", rows[1::2])):
                parts[key] = os.path.join(w, "%d-%s.csv" % (k, key))
                with open(parts[key], "w", encoding="utf-8") as f:
                    f.write(header + "\n" + "".join(r + "\n" for r in sel))
            mans.append((m, parts))

        def cmd(t, man):
            return [binary, "report", "--quiet", "--format", "csv",
                    "--threads", str(t), "-o", "/dev/null", "--manifest", man]

        for _ in range(a.rounds):
            loads.append(os.getloadavg()[0])
            for m, p in mans:
                r = res.setdefault(m, {})
                r.setdefault("t1", []).append(run([cmd(1, p["all"])], env))
                r.setdefault("t2", []).append(run([cmd(2, p["all"])], env))
                r.setdefault("halves", []).append(
                    run([cmd(1, p["0"]), cmd(1, p["1"])], env))
                r.setdefault("twice", []).append(
                    run([cmd(1, p["all"]), cmd(1, p["all"])], env))
    print("%d rounds; load average (1 min) at each round's start %s" %
          (a.rounds, q(loads, "%.1f")))
    for m, _ in mans:
        r = res[m]
        t1 = [x[1] for x in r["t1"]]
        print(m)
        for what in ("t1", "t2", "halves", "twice"):
            print("  %-6s CPU s %s  faults %s" % (
                what, q([x[1] for x in r[what]]),
                q([x[2] for x in r[what]], "%d")))
        print("  -t2/-t1 CPU %s   halves/-t1 %s   twice/(2 x -t1) %s" % (
            q([y[1] / x for x, y in zip(t1, r["t2"])]),
            q([y[1] / x for x, y in zip(t1, r["halves"])]),
            q([y[1] / (2 * x) for x, y in zip(t1, r["twice"])])))
        print("  -t2 - -t1 CPU ms %s   -t1/-t2 wall %s" % (
            q([(y[1] - x) * 1e3 for x, y in zip(t1, r["t2"])], "%.0f"),
            q([x[0] / y[0] for x, y in zip(r["t1"], r["t2"])])))

if __name__ == "__main__":
    main()
