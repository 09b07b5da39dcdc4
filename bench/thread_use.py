#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""thread_use.py - how many threads of one command do work: runs it,
samples each thread's CPU time (/proc/PID/task/TID/schedstat, ns)
every few milliseconds until it exits, and prints one line:
wall seconds, CPU seconds (the process's, from wait4), the threads that
took at least --min-share of the busiest thread's CPU, and each thread's
CPU milliseconds, busiest first. A thread that lives between two samples is not
seen: the count is of threads that worked for a while, which is what
"a long document uses every thread" asks. The command's output goes to
/dev/null.

    bench/thread_use.py [--every MS] [--min-share F] -- COMMAND ARGS...
"""
import argparse
import os
import resource
import subprocess
import sys
import time


def ticks(pid):
    out = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                out[tid] = int(f.read().split()[0])  # ns on a CPU
        except (OSError, ValueError, IndexError):
            continue
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--every", type=float, default=10.0, help="ms")
    ap.add_argument("--min-share", type=float, default=0.10)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no command")
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    seen = {}
    while True:
        for tid, t in ticks(p.pid).items():
            seen[tid] = max(seen.get(tid, 0), t)
        _, status, ru = os.wait4(p.pid, os.WNOHANG)
        if _:
            break
        time.sleep(a.every / 1000)
    wall = time.monotonic() - t0
    cpu = ru.ru_utime + ru.ru_stime
    per = sorted(seen.values(), reverse=True)
    top = per[0] if per else 0
    working = sum(1 for t in per if top and t >= a.min_share * top)
    rc = os.waitstatus_to_exitcode(status)
    print(f"wall {wall:.2f} s, CPU {cpu:.2f} s, CPU/wall {cpu / wall:.2f}, "
          f"threads working {working}, ms {[round(t / 1e6) for t in per]}, exit {rc}")
    return 0 if rc == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
