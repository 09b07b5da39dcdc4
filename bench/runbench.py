#!/usr/bin/python3
"""Benchmark driver behind bench/run.sh (see there for usage).

For each corpus size: generate (or reuse) a synthetic corpus, then time
`wc -w`, the Python baseline and framescore's report/compare/terms, several
runs each, and print a Markdown table of medians. Then cross-check
framescore's per-category counts against the baseline on the 10 MB corpus.
"""

import argparse
import csv
import glob
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
PY = "/usr/bin/python3"
TIME = "/usr/bin/time"
CACHE = os.path.join(HERE, ".corpus")
RESULTS = os.path.join(HERE, ".results")
SIMPLE = os.path.join(HERE, "simple.tsv")
LEXDIR = os.path.join(REPO, "lexicons", "en")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Corpora
# --------------------------------------------------------------------------

def file_digest(paths):
    h = hashlib.sha256()
    for p in paths:
        h.update(p.encode())
        with open(p, "rb") as f:
            h.update(f.read())
    return h.hexdigest()


def corpus(mb, outlets, seed):
    """Directory of a generated corpus, regenerated when its inputs change."""
    d = os.path.join(CACHE, "%gmb-o%d-s%d" % (mb, outlets, seed))
    inputs = [os.path.join(HERE, "gen_corpus.py"), os.path.join(HERE,
                                                               "words.py")]
    inputs += sorted(glob.glob(os.path.join(LEXDIR, "*.tsv")))
    stamp = "%s mb=%g outlets=%d seed=%d\n" % (file_digest(inputs), mb,
                                               outlets, seed)
    sp = os.path.join(d, ".stamp")
    if os.path.exists(sp) and open(sp).read() == stamp and \
            os.path.exists(os.path.join(d, "manifest.csv")):
        return d
    log("generating %g MB corpus in %s ..." % (mb, os.path.relpath(d, REPO)))
    if os.path.exists(sp):
        os.remove(sp)
    r = subprocess.run([PY, os.path.join(HERE, "gen_corpus.py"), "--out", d,
                        "--mb", str(mb), "--outlets", str(outlets),
                        "--seed", str(seed), "--lexicon-dir", LEXDIR],
                       stdout=subprocess.PIPE, text=True)
    if r.returncode:
        sys.exit("gen_corpus.py failed")
    log("  " + r.stdout.strip())
    with open(sp, "w") as f:
        f.write(stamp)
    return d


def ptc_corpus(data):
    """Manifest over the SemEval-2020 task 11 articles (absolute paths;
    four pseudo-outlets by file order, the articles have no outlet)."""
    src = os.path.join(data, "semeval2020-task11-ptc", "train-articles")
    if not os.path.isdir(src):
        return None
    d = os.path.join(CACHE, "ptc")
    os.makedirs(d, exist_ok=True)
    files = sorted(glob.glob(os.path.join(os.path.abspath(src), "*.txt")))
    with open(os.path.join(d, "manifest.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["path", "outlet"])
        for i, p in enumerate(files):
            w.writerow([p, "ptc_%d" % (i % 4)])
    return d


SWEEP_SIZES = (("5 KB", 5000), ("300 KB", 300000), ("4 MB", 4000000))


def sweep_corpora(mb, source_files, tag):
    """The same ~mb MB of text as documents of ~5 KB, ~300 KB and ~4 MB:
    the source documents, in order and repeated as needed, concatenated
    (a blank line between them) until each document reaches its size.
    Returns [(label, dir)], each dir with a manifest.csv (one outlet)."""
    texts = []
    for p in source_files:
        with open(p, "rb") as f:
            texts.append(f.read())
    stamp = "%s mb=%g\n" % (file_digest(source_files), mb)
    out = []
    for label, size in SWEEP_SIZES:
        d = os.path.join(CACHE, "sweep-%s-%gmb-%d" % (tag, mb, size))
        out.append((label, d))
        sp = os.path.join(d, ".stamp")
        if os.path.exists(sp) and open(sp).read() == stamp:
            continue
        log("writing the %s documents of the size sweep in %s ..." %
            (label, os.path.relpath(d, REPO)))
        os.makedirs(d, exist_ok=True)
        if os.path.exists(sp):
            os.remove(sp)
        names, i, total = [], 0, 0
        while total < mb * 1e6:
            parts, n = [], 0
            while n < size:
                t = texts[i % len(texts)]
                i += 1
                parts.append(t)
                n += len(t) + 2
            name = "%06d.txt" % len(names)
            data = b"\n\n".join(parts)
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
            names.append(name)
            total += len(data)
        with open(os.path.join(d, "manifest.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["path", "outlet"])
            for name in names:
                w.writerow([name, "sweep"])
        with open(sp, "w") as f:
            f.write(stamp)
    return out


def bench_sweep(corpora, runs, fs, logdir, nfiles, vt=None):
    """`wc -w` and `report` (1 and 2 threads, plain and with the shipped
    context model) on each document size; with vt, `report -t1` with the
    vectors tagger too."""
    groups = []
    cenv = dict(os.environ, LC_ALL="C")
    for label, d in corpora:
        files = manifest_files(d)
        files0 = write_files0(d, files)
        mbytes = sum(os.path.getsize(p) for p in files) / 1e6
        label = "sweep %s" % label
        log("%s: %d files, %.1f MB" % (label, len(files), mbytes))
        warm(files)
        rows = []
        wc = Row("wc -w", label)
        rows.append(run_tool(wc, ["wc", "-w", "--files0-from=" + files0],
                             runs, logdir, env=cenv, files=files))
        tokens = 0
        if not wc.failed:
            out = os.path.join(logdir, "%s.wc_-w.out" % label)
            tokens = int(open(out).read().split("\n")[-2].split()[0])
        man = os.path.join(d, "manifest.csv")
        for t in ("1", "2"):
            rows.append(run_tool(
                Row("framescore report -t" + t, label),
                [fs, "report", "--quiet", "--format", "csv", "--threads", t,
                 "-o", "/dev/null", "--manifest", man], runs, logdir,
                files=files))
        # a long document's two readings for a context model go through
        # the threads' window queue at -t2 (window_pair.c)
        for t in ("1", "2"):
            rows.append(run_tool(
                Row("framescore report -t%s context" % t, label),
                [fs, "report", "--quiet", "--format", "csv", "--threads", t,
                 "--context-model",
                 os.path.join(REPO, "models", "context.model"),
                 "-o", "/dev/null", "--manifest", man], runs, logdir,
                files=files))
        if vt:
            rows.append(run_tool(
                Row("framescore report -t1 vectors tagger", label),
                [fs] + vectors_args(vt, man), runs, logdir, files=files))
        groups.append((label, mbytes, tokens, rows))
        nfiles[label] = len(files)
    return groups


def sweep_summary(groups, nfiles):
    """Per document size: report -t1 against wc -w, against the fastest
    size per MB (CPU time), and -t2 against -t1 (wall time), plain and
    with the context model."""
    print("\n### Size sweep: the same text as documents of each size\n")
    print("| documents | files | report -t1 CPU s/MB | CPU vs wc -w "
          "| vs fastest size | -t2 vs -t1 (wall) "
          "| the same, context model | peak RSS MB -t1 "
          "| vectors tagger vs -t1 (CPU) | its peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    per = []
    for label, mbytes, tokens, rows in groups:
        r = {x.tool: x for x in rows if not x.failed and x.cpus}
        t1 = r.get("framescore report -t1")
        per.append(statistics.median(t1.cpus) / mbytes if t1 else None)
    best = min([x for x in per if x] or [0])
    for (label, mbytes, tokens, rows), c in zip(groups, per):
        r = {x.tool: x for x in rows if not x.failed and x.cpus}
        t1, t2, wc = (r.get("framescore report -t1"),
                      r.get("framescore report -t2"), r.get("wc -w"))
        files = nfiles.get(label, "-")
        vs_wc = (statistics.median(wc.cpus) / statistics.median(t1.cpus)
                 if wc and t1 else None)
        par = (statistics.median(t1.walls) / statistics.median(t2.walls)
               if t1 and t2 else None)
        c1, c2 = (r.get("framescore report -t1 context"),
                  r.get("framescore report -t2 context"))
        cpar = (statistics.median(c1.walls) / statistics.median(c2.walls)
                if c1 and c2 else None)
        vt = r.get("framescore report -t1 vectors tagger")
        vs_vt = (statistics.median(t1.cpus) / statistics.median(vt.cpus)
                 if vt and t1 else None)
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            label, files, "%.4f" % c if c else "failed",
            fmt_ratio(vs_wc) if vs_wc else "-",
            fmt_ratio(best / c) if c else "-",
            fmt_ratio(par) if par else "-",
            fmt_ratio(cpar) if cpar else "-",
            "%.1f" % (max(t1.rss) / 1024) if t1 else "-",
            fmt_ratio(vs_vt) if vs_vt else "-",
            "%.1f" % (max(vt.rss) / 1024) if vt else "-"))


def manifest_files(d):
    out = []
    with open(os.path.join(d, "manifest.csv"), newline="",
              encoding="utf-8") as f:
        for row in csv.DictReader(f):
            p = row["path"]
            out.append(p if os.path.isabs(p) else os.path.join(d, p))
    return out


def write_files0(d, files):
    p = os.path.join(d, ".files0")
    with open(p, "wb") as f:
        f.write(b"".join(x.encode() + b"\0" for x in files))
    return p


def warm(files):
    for p in files:
        with open(p, "rb") as f:
            while f.read(1 << 20):
                pass


# --------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------

class Row:
    def __init__(self, tool, label):
        self.tool, self.label = tool, label
        self.walls, self.cpus, self.rss = [], [], []
        self.failed = None


def timed(cmd, stdout_path, stderr_path, env=None):
    """Run cmd under /usr/bin/time; return (rc, wall s, CPU s (user +
    system), peak RSS KiB)."""
    fd, tf = tempfile.mkstemp(prefix="fs-time-")
    os.close(fd)
    try:
        with open(stdout_path, "wb") as so, open(stderr_path, "wb") as se:
            t0 = time.perf_counter()
            rc = subprocess.call([TIME, "-f", "%e %U %S %M", "-o", tf] + cmd,
                                 stdout=so, stderr=se, stdin=subprocess.DEVNULL,
                                 env=env, cwd=REPO)
            wall = time.perf_counter() - t0
        txt = open(tf).read().split()
        rss = int(txt[-1]) if txt and txt[-1].isdigit() else 0
        try:
            cpu = float(txt[-3]) + float(txt[-2])
        except (IndexError, ValueError):
            cpu = float("nan")
    finally:
        os.remove(tf)
    return rc, wall, cpu, rss


def first_error(path):
    try:
        with open(path, errors="replace") as f:
            lines = [l.strip() for l in f if l.strip()]
    except OSError:
        return ""
    lines = [l for l in lines if not l.startswith("Command exited")]
    return lines[0][:80] if lines else ""


def run_tool(row, cmd, runs, logdir, env=None, check=None, files=None):
    """Times cmd `runs` times. With files, reads them all first each time:
    on a machine whose page cache comes and goes, every tool then starts
    from the same warm cache (otherwise a tool that follows another on the
    same corpus gets its cache, and the first pays the disk)."""
    tag = row.tool.replace(" ", "_").replace("(", "").replace(")", "")
    for i in range(runs):
        out = os.path.join(logdir, "%s.%s.out" % (row.label, tag))
        err = os.path.join(logdir, "%s.%s.err" % (row.label, tag))
        if files:
            warm(files)
        rc, wall, cpu, rss = timed(cmd, out, err, env)
        if rc != 0:
            row.failed = "exit %d: %s" % (rc, first_error(err))
            log("  %-28s FAILED (%s)" % (row.tool, row.failed))
            return row
        if check:
            check(out)
        row.walls.append(wall)
        row.cpus.append(cpu)
        row.rss.append(rss)
        log("    run %d: %.3f s wall, %.3f s CPU" % (i + 1, wall, cpu))
    log("  %-28s median %.3f s (CPU %.3f s)" % (
        row.tool, statistics.median(row.walls), statistics.median(row.cpus)))
    return row


# --------------------------------------------------------------------------
# Cross-check
# --------------------------------------------------------------------------

def read_baseline_csv(path):
    with open(path, newline="") as f:
        return {r["category"]: int(r["matches"]) for r in csv.DictReader(f)}


def crosscheck(fs, d, files0, logdir):
    print("\n### Cross-check: framescore vs baseline.py on %s with "
          "bench/simple.tsv\n" % os.path.relpath(d, REPO))
    py_out = os.path.join(logdir, "xcheck.baseline.csv")
    py_err = os.path.join(logdir, "xcheck.baseline.err")
    with open(py_out, "wb") as so, open(py_err, "wb") as se:
        rc = subprocess.call([PY, os.path.join(HERE, "baseline.py"), SIMPLE,
                              "--files0-from", files0], stdout=so, stderr=se)
    if rc:
        print("baseline.py failed: %s" % first_error(py_err))
        return False
    py = read_baseline_csv(py_out)
    py_tokens = int(open(py_err).read().split()[-1])

    fs_out = os.path.join(logdir, "xcheck.framescore.csv")
    fs_err = os.path.join(logdir, "xcheck.framescore.err")
    cmd = [fs, "report", "--no-default-lexicons", "--lexicon", SIMPLE,
           "--format", "csv", "--voice", "all", "--quiet",
           "--manifest", os.path.join(d, "manifest.csv"), "-o", fs_out]
    print("`%s`\n" % " ".join(os.path.relpath(c, REPO) if c.startswith(REPO)
                              else c for c in cmd))
    with open(fs_err, "wb") as se:
        rc = subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=se,
                             cwd=REPO) if os.access(fs, os.X_OK) else 127
    if rc:
        print("framescore failed (exit %d): %s" % (rc, first_error(fs_err)
                                                    or "not built"))
        return False
    fsc, voices, tok = {}, set(), {}
    try:
        with open(fs_out, newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                voices.add(r["voice"])
                if r["voice"] not in ("author", "quote"):
                    continue
                fsc[r["category"]] = fsc.get(r["category"], 0) + \
                    int(float(r["matches"]))
                if r.get("tokens") not in (None, ""):
                    tok[(r["file"], r["voice"])] = int(float(r["tokens"]))
    except (KeyError, ValueError) as e:
        print("cannot read framescore csv (%s): %r" % (fs_out, e))
        return False
    lexcats = set()
    with open(SIMPLE, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and not line.startswith("#"):
                lexcats.add(cols[1].strip())
    extra = {c: n for c, n in fsc.items() if c not in lexcats}
    fsc = {c: n for c, n in fsc.items() if c in lexcats}
    print("| category | baseline.py | framescore (author+quote) | rel. diff |")
    print("|---|---:|---:|---:|")
    worst = 0.0
    for cat in sorted(lexcats | set(py)):
        a, b = py.get(cat, 0), fsc.get(cat, 0)
        rel = (b - a) / a if a else float("inf") if b else 0.0
        worst = max(worst, abs(rel))
        print("| %s | %d | %d | %+.3f%% |" % (cat, a, b, 100 * rel))
    ta, tb = sum(py.values()), sum(fsc.values())
    print("| **total** | %d | %d | %+.3f%% |"
          % (ta, tb, 100 * (tb - ta) / ta if ta else 0))
    if tok:
        fs_tokens = sum(tok.values())
        print("\nTokens: baseline.py %d, framescore %d (%+.3f%%; framescore's "
              "sum of `tokens` over the (file, author|quote voice) pairs that "
              "have rows). Voices in framescore's csv: %s." % (py_tokens, fs_tokens,
                                          100 * (fs_tokens - py_tokens)
                                          / py_tokens, ", ".join(sorted(
                                              voices))))
    if extra:
        print("\nframescore's own categories (not in the lexicon, not "
              "compared): %s." % ", ".join("%s %d" % kv for kv in
                                          sorted(extra.items())))
    ok = worst <= 0.01
    print("\nLargest per-category difference: %.3f%% -> %s" %
          (100 * worst, "OK (<= 1%)" if ok else "MISMATCH (> 1%)"))
    return ok


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def machine():
    model = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = 0
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return "Machine: nproc %d, %s, RAM %.1f GiB, %s" % (
        len(os.sched_getaffinity(0)), model, mem,
        os.uname().sysname + " " + os.uname().release)


def fmt_ratio(x):
    return "%.2fx" % x if x >= 0.1 else "%.3fx" % x


def table(groups):
    print("| tool | size | MB/s | Mtokens/s | peak RSS MB | speed vs wc -w "
          "| speed vs Python | median s | CPU s | CPU vs wc -w "
          "| CPU vs Python |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, mbytes, tokens, rows in groups:
        ref = {r.tool: statistics.median(r.walls) for r in rows
               if not r.failed and r.walls}
        cref = {r.tool: statistics.median(r.cpus) for r in rows
                if not r.failed and r.cpus}
        for r in rows:
            if r.failed:
                print("| %s | %s | failed | | | | | %s | | | |" %
                      (r.tool, label, r.failed.replace("|", "/")))
                continue
            t = statistics.median(r.walls)
            c = statistics.median(r.cpus)
            vs_wc = ref["wc -w"] / t if "wc -w" in ref else None
            vs_py = ref["baseline.py"] / t if "baseline.py" in ref else None
            cvs_wc = cref["wc -w"] / c if "wc -w" in cref and c > 0 else None
            cvs_py = (cref["baseline.py"] / c
                      if "baseline.py" in cref and c > 0 else None)
            print("| %s | %s | %.1f | %.2f | %.1f | %s | %s | %.3f | %.3f "
                  "| %s | %s |" % (
                      r.tool, label, mbytes / t, tokens / t / 1e6,
                      max(r.rss) / 1024, fmt_ratio(vs_wc) if vs_wc else "-",
                      fmt_ratio(vs_py) if vs_py else "-", t, c,
                      fmt_ratio(cvs_wc) if cvs_wc else "-",
                      fmt_ratio(cvs_py) if cvs_py else "-"))


def small_tagger(fs, logdir):
    """A span tagger for the `report -t1 tagger` row when --tagger is not
    given: trained on the project's own tests/data/labelled.tsv (a small
    vocabulary, so its weight table stays in cache: a user's tagger trained
    on a corpus is slower; pass it with --tagger)."""
    out = os.path.join(logdir, "small.tagger")
    r = subprocess.run([fs, "train", "--words",
                        os.path.join(REPO, "tests", "data", "labelled.tsv"),
                        "--folds", "3", "--min-df", "1", "-o", out],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode:
        log("training the small tagger failed: %s" % r.stderr.strip())
        return None
    return out


def vectors_tagger(fs, logdir, vectors):
    """A span tagger with word vectors (train --word-vectors) for the
    `report -t1 vectors tagger` rows when --vectors-tagger is not given:
    the small tagger's data with --token-features near2 and the vectors of
    FRAMESCORE_VECTORS (the v= features cost the same whatever the tagger
    was trained on: a lookup and the components of each word's vector)."""
    out = os.path.join(logdir, "vectors.tagger")
    r = subprocess.run([fs, "train", "--words",
                        os.path.join(REPO, "tests", "data", "labelled.tsv"),
                        "--folds", "3", "--min-df", "1", "--token-features",
                        "near2", "--word-vectors", vectors, "-o", out],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode:
        log("training the vectors tagger failed: %s" % r.stderr.strip())
        return None
    return out


def vectors_args(vt, man):
    """`report -t1` with the vectors tagger: like the tagger row, with the
    vectors given (vt = (tagger, vectors file, extra options))."""
    tagger, vectors, extra = vt
    return (["report", "--quiet", "--format", "csv", "--threads", "1",
             "--matches", "/dev/null", "--tagger", tagger, "--word-vectors",
             vectors] + extra + ["-o", "/dev/null", "--manifest", man])


def bench_corpus(label, d, files, runs, fs, logdir, tagger=None, vt=None):
    files0 = write_files0(d, files)
    mbytes = sum(os.path.getsize(p) for p in files) / 1e6
    log("%s: %d files, %.1f MB" % (label, len(files), mbytes))
    warm(files)
    rows = []
    cenv = dict(os.environ, LC_ALL="C")
    wc = Row("wc -w", label)
    rows.append(run_tool(wc, ["wc", "-w", "--files0-from=" + files0], runs,
                         logdir, env=cenv, files=files))
    tokens = 0
    if not wc.failed:
        out = os.path.join(logdir, "%s.wc_-w.out" % label)
        tokens = int(open(out).read().split("\n")[-2].split()[0])
    rows.append(run_tool(Row("baseline.py", label),
                         [PY, os.path.join(HERE, "baseline.py"), SIMPLE,
                          "--files0-from", files0], runs, logdir,
                         files=files))
    man = os.path.join(d, "manifest.csv")
    fs_cmds = [
        ("framescore report -t1", ["report", "--quiet", "--format", "csv",
                                   "--threads", "1", "-o", "/dev/null",
                                   "--manifest", man]),
        ("framescore report -t2", ["report", "--quiet", "--format", "csv",
                                   "--threads", "2", "-o", "/dev/null",
                                   "--manifest", man]),
        # like for like with baseline.py: the same lexicon, one thread
        ("framescore report -t1 simple", [
            "report", "--quiet", "--format", "csv", "--threads", "1",
            "--no-default-lexicons", "--lexicon", SIMPLE, "-o", "/dev/null",
            "--manifest", man]),
        # with the shipped context model (each match weighted by it)
        ("framescore report -t1 context", [
            "report", "--quiet", "--format", "csv", "--threads", "1",
            "--context-model", os.path.join(REPO, "models", "context.model"),
            "-o", "/dev/null", "--manifest", man]),
        # the matches CSV, and the same with a span tagger's spans in it
        # (tagger / matches is the cost of tagging alone)
        ("framescore report -t1 matches", [
            "report", "--quiet", "--format", "csv", "--threads", "1",
            "--matches", "/dev/null", "-o", "/dev/null", "--manifest", man]),
        ("framescore report -t1 tagger", [
            "report", "--quiet", "--format", "csv", "--threads", "1",
            "--matches", "/dev/null", "--tagger", tagger or "missing",
            "-o", "/dev/null", "--manifest", man]),
    ]
    if vt:  # with word vectors (FRAMESCORE_VECTORS)
        fs_cmds.append(("framescore report -t1 vectors tagger",
                        vectors_args(vt, man)))
    fs_cmds += [
        # the readable report: a section per document, ranked
        ("framescore report text", ["report", "--quiet", "--color", "never",
                                    "-o", "/dev/null", "--manifest", man]),
        ("framescore compare", ["compare", "--quiet", "--manifest", man,
                                "-o", "/dev/null"]),
        ("framescore terms", ["terms", "--quiet", "--manifest", man,
                              "-o", "/dev/null"]),
        # every term of every outlet, as loaded into pandas or R
        ("framescore terms csv", ["terms", "--quiet", "--format", "csv",
                                  "--manifest", man, "-o", "/dev/null"]),
    ]
    for name, args in fs_cmds:
        row = Row(name, label)
        if not os.access(fs, os.X_OK):
            row.failed = "not built: %s" % os.path.relpath(fs, REPO)
            log("  %-28s FAILED (%s)" % (name, row.failed))
            rows.append(row)
            continue
        rows.append(run_tool(row, [fs] + args, runs, logdir, files=files))
    return (label, mbytes, tokens, rows)


def main(argv=None):
    ap = argparse.ArgumentParser(prog="bench/run.sh")
    ap.add_argument("--sizes", default="10 100 1000",
                    help='corpus sizes in MB (default "10 100 1000")')
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--data", help="shared data dir; runs also on "
                    "DATA/semeval2020-task11-ptc/train-articles if present")
    ap.add_argument("--outlets", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-crosscheck", action="store_true")
    ap.add_argument("--tagger", help="span tagger for the `report -t1 "
                    "tagger` row (default: one trained on "
                    "tests/data/labelled.tsv)")
    ap.add_argument("--vectors-tagger", help="span tagger trained with word "
                    "vectors for the `report -t1 vectors tagger` rows, "
                    "applied with FRAMESCORE_VECTORS (default: one trained "
                    "on tests/data/labelled.tsv with them)")
    ap.add_argument("--vectors-lexicon", action="append", default=[],
                    help="a --lexicon for the vectors tagger rows (the "
                    "lexicons it was trained with; repeatable)")
    ap.add_argument("--sweep-mb", type=float, default=40,
                    help="size sweep: this many MB as documents of ~5 KB, "
                    "~300 KB and ~4 MB (PTC articles with --data, else the "
                    "generated corpus of the first size); 0: none")
    a = ap.parse_args(argv)
    sizes = [float(s) for s in a.sizes.replace(",", " ").split()]
    fs = os.environ.get("FS") or os.path.join(REPO, "build", "framescore")
    fs = os.path.abspath(fs)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    logdir = os.path.join(RESULTS, stamp)
    os.makedirs(logdir, exist_ok=True)

    tagger = os.path.abspath(a.tagger) if a.tagger else \
        small_tagger(fs, logdir)
    # the vectors tagger rows: FRAMESCORE_VECTORS (text or binary file,
    # `framescore vectors convert`)
    vectors = os.environ.get("FRAMESCORE_VECTORS") or ""
    vt = None
    if vectors and os.path.exists(vectors):
        vtagger = os.path.abspath(a.vectors_tagger) if a.vectors_tagger \
            else vectors_tagger(fs, logdir, vectors)
        extra = [x for lx in a.vectors_lexicon for x in ("--lexicon", lx)]
        vt = (vtagger, os.path.abspath(vectors), extra) if vtagger else None
    else:
        log("skipped: the vectors tagger rows (FRAMESCORE_VECTORS unset or "
            "no such file; bench/fetch_vectors.sh FILE fetches GloVe)")
    groups = []
    for mb in sizes:
        d = corpus(mb, a.outlets, a.seed)
        groups.append(bench_corpus("%g MB" % mb, d, manifest_files(d),
                                   a.runs, fs, logdir, tagger, vt))
    if a.data:
        d = ptc_corpus(a.data)
        if d:
            groups.append(bench_corpus("PTC", d, manifest_files(d), a.runs,
                                       fs, logdir, tagger, vt))
        else:
            log("no semeval2020-task11-ptc/train-articles under %s" % a.data)

    sweep, nfiles = [], {}
    if a.sweep_mb > 0:
        src = ptc_corpus(a.data) if a.data else None
        tag = "ptc" if src else "gen"
        if not src:
            src = corpus(sizes[0] if sizes else 10, a.outlets, a.seed)
        sweep = bench_sweep(sweep_corpora(a.sweep_mb, manifest_files(src),
                                          tag), a.runs, fs, logdir, nfiles,
                            vt)
        groups += sweep

    print("\n## framescore benchmark (%s)\n" % stamp)
    print(machine())
    print("\nFS=%s; %d runs each, medians of wall time; tokens = `wc -w` "
          "count; sizes in 10^6 bytes; speed ratios are throughput "
          "ratios (>1 = faster than the reference); `wc -w` runs with "
          "LC_ALL=C and --files0-from; baseline.py uses bench/simple.tsv, "
          "as does `report -t1 simple` (like for like); the other "
          "framescore rows use the default lexicons. Every run starts "
          "after the corpus is read once (the same warm page cache for "
          "every tool); CPU s is user + system time, whose ratios do not "
          "depend on disk waits or other jobs on the machine.\n"
          % (os.path.relpath(fs, REPO) if fs.startswith(REPO) else fs,
             a.runs))
    if not vt:
        print("The `report -t1 vectors tagger` rows: skipped "
              "(FRAMESCORE_VECTORS unset or no such file).\n")
    table(groups)
    if sweep:
        sweep_summary(sweep, nfiles)
    if not a.no_crosscheck:
        d = corpus(10, a.outlets, a.seed)
        files0 = write_files0(d, manifest_files(d))
        crosscheck(fs, d, files0, logdir)
    print("\nLogs: %s" % os.path.relpath(logdir, REPO))
    failed_ref = any(r.failed for g in groups for r in g[3]
                     if r.tool in ("wc -w", "baseline.py"))
    return 1 if failed_ref else 0


if __name__ == "__main__":
    sys.exit(main())
