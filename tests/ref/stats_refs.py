#!/usr/bin/python3
# stats_refs.py - reference values for tests/test_stats.c (scorer/stats/stats.c).
# Run with Debian's interpreter (scipy 1.10, numpy, mpmath): /usr/bin/python3
"""Prints `name = value` lines (17 significant digits) that are pasted into
tests/test_stats.c.  Every value is computed independently of the C code:
SciPy where SciPy implements the statistic (MWU, Welch, Kruskal, relative
risk); the published formula with numpy / scipy.stats.chi2 / scipy.stats.norm
for Williams' q, Cohen's h, PMI, the Fightin' Words log-odds and BH; 50-digit
mpmath sums for G^2, Yates' chi-square and Fisher (R's 1e-7 rule), each
asserted to agree with SciPy's chi2_contingency / fisher_exact.  The
bootstrap is re-implemented on the raw MT19937 stream (numpy's RandomState
with an integer seed is seeded exactly like GSL's gsl_rng_mt19937).
Takes about 30 s (the 2e9-token Fisher table)."""

import math

import mpmath
import numpy as np
from scipy import stats
from scipy.stats.contingency import relative_risk


def out(name, value):
    print(f"{name} = {float(value):.17g}")


def lcg_data(n, mult, mod, div, shift=0.0, start=0):
    """Same values as the C test: ((k * mult) % mod) / div + shift."""
    return [((k * mult) % mod) / div + shift for k in range(start, start + n)]


# ---------------------------------------------------------------- MWU
def mwu(tag, x, y, method):
    r = stats.mannwhitneyu(x, y, alternative="two-sided", method=method,
                           use_continuity=True)
    out(f"{tag}_u", r.statistic)
    out(f"{tag}_p", r.pvalue)


mwu("mwu1", [1.2, 3.4, 5.6, 0.5, 2.2], [4.1, 6.3, 7.7, 8.8, 3.9, 9.1],
    "exact")
mwu("mwu2", [0.8], [0.3, 1.5, 2.9], "exact")
# ties and C(30, 14) > 100,000 relabellings: asymptotic (with fewer, the C
# code enumerates: tests/ref/perm_refs.py)
mwu("mwu3", [1 + i % 5 for i in range(14)], [2 + i % 7 for i in range(16)],
    "asymptotic")
pool = lcg_data(100, 7919, 1009, 8.0)
mwu("mwu4", pool[:50], pool[50:], "exact")  # at the exact-size bound
x5 = lcg_data(60, 7919, 1009, 8.0)
y5 = lcg_data(55, 7919, 1009, 8.0, shift=20.0625, start=60)
assert len(set(x5 + y5)) == 115  # no ties, but n > 50: asymptotic
mwu("mwu5", x5, y5, "asymptotic")


# ---------------------------------------------------------------- Welch
def welch(tag, x, y):
    r = stats.ttest_ind(x, y, equal_var=False)
    vx, vy = np.var(x, ddof=1) / len(x), np.var(y, ddof=1) / len(y)
    df = (vx + vy) ** 2 / (vx**2 / (len(x) - 1) + vy**2 / (len(y) - 1))
    # scipy 1.10 does not report df: check the formula reproduces its p
    assert abs(2 * stats.t.sf(abs(r.statistic), df) - r.pvalue) \
        <= 1e-12 * r.pvalue
    out(f"{tag}_t", r.statistic)
    out(f"{tag}_df", df)
    out(f"{tag}_p", r.pvalue)


welch("welch1", [5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3],
      [4.2, 4.8, 5.0, 4.5, 4.9, 4.1, 4.6, 4.4, 4.7])
welch("welch2", [1, 2, 3, 4, 100], [2, 3, 2.5])
welch("welch3", lcg_data(40, 37, 101, 10.0),
      lcg_data(35, 53, 103, 10.0, shift=1.5))
welch("welch4", lcg_data(1500, 7919, 10007, 1000.0),
      lcg_data(1200, 104729, 10009, 1000.0, shift=0.2))


# ---------------------------------------------------------------- Kruskal
def kw(tag, *groups):
    r = stats.kruskal(*groups)
    out(f"{tag}_h", r.statistic)
    out(f"{tag}_p", r.pvalue)


kw("kw1", [2.9, 3.0, 2.5, 2.6, 3.2], [3.8, 2.7, 4.0, 2.4],
   [2.8, 3.4, 3.7, 2.2, 2.0])
kw("kw2", [1, 2, 2, 3], [2, 3, 4, 4, 5], [5, 5, 6, 1])
v3 = [((k * 7919) % 1009) / 8.0 + (k % 4) * 5.0 for k in range(40)]
kw("kw3", *[[v for k, v in enumerate(v3) if k % 4 == g] for g in range(4)])


# ---------------------------------------------------------------- bootstrap
class GslMt:
    """gsl_rng_mt19937 seeded with gsl_rng_set(r, seed), and
    gsl_rng_uniform_int (offset 0, range 2^32 - 1, rejection)."""

    def __init__(self, seed):
        self.raw = np.random.RandomState(seed).randint(
            0, 2**32, size=2_000_000, dtype=np.uint32).tolist()
        self.pos = 0

    def uniform_int(self, n):
        scale = 0xFFFFFFFF // n
        while True:
            k = self.raw[self.pos] // scale
            self.pos += 1
            if k < n:
                return k


def resample(rng, cnt, tok):
    sc = st = 0.0
    for _ in range(len(cnt)):
        j = rng.uniform_int(len(cnt))
        sc += cnt[j]
        st += tok[j]
    return sc / st


def keep(cnt, tok):
    kept = [(c, t) for c, t in zip(cnt, tok) if t > 0]
    return [c for c, _ in kept], [t for _, t in kept]


def boot_test(tag, ca, ta, cb, tb, n_iter, seed):
    ca, ta = keep(ca, ta)
    cb, tb = keep(cb, tb)
    rng = GslMt(seed)
    greater = 0.0
    for _ in range(n_iter):
        ra = resample(rng, ca, ta)
        rb = resample(rng, cb, tb)
        greater += 1.0 if ra > rb else (0.5 if ra == rb else 0.0)
    p_hi = (1 + greater) / (n_iter + 1)
    p_lo = (1 + (n_iter - greater)) / (n_iter + 1)
    out(f"{tag}_p", min(1.0, 2 * min(p_hi, p_lo)))


def gsl_quantile(sorted_data, f):
    index = f * (len(sorted_data) - 1)
    lhs = int(index)
    delta = index - lhs
    if lhs == len(sorted_data) - 1:
        return sorted_data[lhs]
    return (1 - delta) * sorted_data[lhs] + delta * sorted_data[lhs + 1]


def boot_ci(tag, cnt, tok, n_iter, level, seed):
    cnt, tok = keep(cnt, tok)
    rng = GslMt(seed)
    rates = sorted(resample(rng, cnt, tok) for _ in range(n_iter))
    alpha = 1 - level
    lo, hi = gsl_quantile(rates, alpha / 2), gsl_quantile(rates, 1 - alpha / 2)
    # same as numpy's default (linear) percentile up to rounding
    np_lo, np_hi = np.percentile(rates, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    assert abs(lo - np_lo) <= 1e-12 * abs(lo) and abs(hi - np_hi) <= 1e-12 * hi
    out(f"{tag}_lo", lo)
    out(f"{tag}_hi", hi)


BA_C = [3, 0, 5, 1, 2, 7, 0, 4]
BA_T = [500, 320, 810, 150, 400, 900, 210, 650]
BB_C = [1, 0, 2, 0, 1, 3, 0, 1, 2, 0]
BB_T = [450, 300, 700, 200, 380, 800, 250, 600, 520, 330]
boot_test("boot1_s42", BA_C, BA_T, BB_C, BB_T, 2000, 42)
boot_test("boot1_s7", BA_C, BA_T, BB_C, BB_T, 2000, 7)
# many tied replicates (both rates 0), and a zero-token document in A
boot_test("boot2_s42", [0, 0, 1, 0], [10, 10, 10, 0], [0, 1, 0], [10, 10, 10],
          500, 42)
boot_ci("ci1_s42", BA_C, BA_T, 2000, 0.95, 42)
boot_ci("ci1_s7", BA_C, BA_T, 2000, 0.95, 7)
boot_ci("ci1_90_s42", BA_C, BA_T, 999, 0.90, 42)

# ---------------------------------------------------------------- 2x2 tables
TABLES = {
    "t1": (10, 990, 25, 1475),          # moderate counts
    "t2": (3, 20, 1, 40),               # expected count < 5
    "t3": (1200, 998800, 1500, 1198500),  # large counts
    "t4": (0, 500, 7, 800),             # zero count in A
    "t5": (7, 3, 2, 8),                 # tiny table
    "t6": (6, 2, 1, 4),                 # scipy docs example
    "t7": (1, 9, 11, 3),                # classic Fisher example
    "t8": (150, 99850, 90, 119910),     # large margins, small p
    "t9": (300, 999700, 100, 1199900),  # large margins, tiny p
    "t10": (10, 10**7, 40, 10**7),      # rare term, 2e7 tokens
    "t11": (499970000, 500030000, 500030000, 499970000),  # 2e9 tokens
    # x = 3 is exactly as likely as the observed x = 0 (56 * 153 = 8568), but
    # in floating point only within the 1e-7 tolerance
    "t12": (0, 5, 8, 13),
}


def fisher_exact_mp(a, b, c, d):
    """Exact two-sided Fisher p (R's rule: tables with P <= P(obs)(1 + 1e-7))
    from ln-gamma at 50 digits.  The pmf is unimodal, so those tables are
    x <= x1 and x >= x2; both bounds are found by bisection and each tail is
    summed outward until the terms are < 1e-30 of the running sum."""
    mpmath.mp.dps = 50
    r1, k, n = a + b, a + c, a + b + c + d
    lo, hi = max(0, a - d), a + min(b, c)
    lg = mpmath.loggamma

    def lpmf(x):
        return (lg(k + 1) - lg(x + 1) - lg(k - x + 1)
                + lg(n - k + 1) - lg(r1 - x + 1) - lg(n - k - r1 + x + 1)
                - lg(n + 1) + lg(r1 + 1) + lg(n - r1 + 1))

    mode = max(lo, min(hi, (r1 + 1) * (k + 1) // (n + 2)))
    while mode < hi and lpmf(mode + 1) > lpmf(mode):
        mode += 1
    while mode > lo and lpmf(mode - 1) > lpmf(mode):
        mode -= 1
    thr = lpmf(a) + mpmath.log(1 + mpmath.mpf("1e-7"))
    if lpmf(mode) <= thr:
        return 1.0

    def tail(good, bad, end, step):
        """good satisfies lpmf <= thr, bad (nearer the mode) does not."""
        if lpmf(good) > thr:
            return mpmath.mpf(0)
        while abs(bad - good) > 1:
            mid = (good + bad) // 2
            good, bad = (mid, bad) if lpmf(mid) <= thr else (good, mid)
        total, x = mpmath.mpf(0), good
        while True:
            term = mpmath.exp(lpmf(x))
            total += term
            if x == end or term < total * mpmath.mpf("1e-30"):
                return total
            x += step

    return float(tail(lo, mode, lo, -1) + tail(hi, mode, hi, +1))


def g2_mp(a, b, c, d):
    """G^2 = 2 sum O ln(O / E) and Yates' chi-square at 50 digits."""
    mpmath.mp.dps = 50
    o = [mpmath.mpf(v) for v in (a, b, c, d)]
    n = sum(o)
    rows, cols = (o[0] + o[1], o[2] + o[3]), (o[0] + o[2], o[1] + o[3])
    e = [rows[i // 2] * cols[i % 2] / n for i in range(4)]
    g2 = 2 * sum(oi * mpmath.log(oi / ei) for oi, ei in zip(o, e) if oi > 0)
    dev = [abs(oi - ei) - min(mpmath.mpf("0.5"), abs(oi - ei))
           for oi, ei in zip(o, e)]
    chi2 = sum(dv * dv / ei for dv, ei in zip(dev, e))
    return float(g2), float(chi2)


def agree(what, got, ref, rel):
    """Cross-check SciPy against the high-precision reference."""
    err = abs(got - ref) / abs(ref) if ref else abs(got)
    assert err <= rel, (what, got, ref, err)


for tag, (a, b, c, d) in TABLES.items():
    tab = np.array([[a, b], [c, d]], dtype=float)
    n = tab.sum()
    rows, cols = tab.sum(axis=1), tab.sum(axis=0)

    # G^2 and Yates' chi-square: 50-digit values (SciPy's float sums of
    # O ln(O/E) lose up to ~1e-10 relative for the large tables), checked
    # against chi2_contingency; Williams' q from the formula with numpy.
    if (rows > 0).all() and (cols > 0).all():
        g2, chi2 = g2_mp(a, b, c, d)
        agree(f"{tag} g2", stats.chi2_contingency(
            tab, correction=False, lambda_="log-likelihood")[0], g2, 1e-6)
        sp_chi2, _, dof, _ = stats.chi2_contingency(tab, correction=True)
        assert dof == 1
        agree(f"{tag} chi2", sp_chi2, chi2, 1e-9)
        q = 1 + (n * np.sum(1 / rows) - 1) * (n * np.sum(1 / cols) - 1) / (6 * n)
        out(f"{tag}_g2", g2)
        out(f"{tag}_williams_q", q)
        out(f"{tag}_g2w", g2 / q)
        out(f"{tag}_g2_p", stats.chi2.sf(g2 / q, 1))
        out(f"{tag}_chi2", chi2)
        out(f"{tag}_chi2_p", stats.chi2.sf(chi2, 1))

    # Fisher: 50-digit sum; SciPy's fisher_exact agrees to its own accuracy
    # (its float ln-gamma differences lose ~N * 1e-16 for huge margins)
    fp = fisher_exact_mp(a, b, c, d)
    agree(f"{tag} fisher", stats.fisher_exact([[a, b], [c, d]]).pvalue, fp,
          1e-9 if n < 1e8 else 1e-6)
    out(f"{tag}_fisher", fp)

    # rate ratio: scipy's relative_risk (Katz log CI); with a zero count
    # the raw ratio (0 or inf) and the interval after the 0.5 correction
    if a > 0 and c > 0:
        rr = relative_risk(a, a + b, c, c + d)
        ci = rr.confidence_interval(0.95)
        rr_v, lo, hi = rr.relative_risk, ci.low, ci.high
    else:
        a2, b2, c2, d2 = a + .5, b + .5, c + .5, d + .5
        rr_c = (a2 / (a2 + b2)) / (c2 / (c2 + d2))
        se = math.sqrt(1 / a2 - 1 / (a2 + b2) + 1 / c2 - 1 / (c2 + d2))
        z = stats.norm.ppf(0.975)
        lo, hi = rr_c * math.exp(-z * se), rr_c * math.exp(z * se)
        rr_v = 0.0 if a == 0 else math.inf
    out(f"{tag}_rr", rr_v)
    out(f"{tag}_rr_lo", lo)
    out(f"{tag}_rr_hi", hi)

    p1, p2 = a / (a + b), c / (c + d)
    out(f"{tag}_h", 2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2)))
    if a > 0:
        out(f"{tag}_pmi", np.log2((a / n) / (((a + c) / n) * ((a + b) / n))))


# ---------------------------------------------------------------- log-odds
def log_odds(tag, ya, na, yb, nb, aw, a0):
    ya, na, yb, nb, aw, a0 = map(np.float64, (ya, na, yb, nb, aw, a0))
    delta = (np.log((ya + aw) / (na + a0 - ya - aw))
             - np.log((yb + aw) / (nb + a0 - yb - aw)))
    var = 1 / (ya + aw) + 1 / (yb + aw)
    z = delta / np.sqrt(var)
    out(f"{tag}_delta", delta)
    out(f"{tag}_var", var)
    out(f"{tag}_z", z)
    out(f"{tag}_p", 2 * stats.norm.sf(abs(z)))


log_odds("lo1", 10, 1000, 25, 1500, 2.5, 250)
log_odds("lo2", 0, 800, 12, 900, 0.1, 100)
log_odds("lo3", 1200, 1e6, 1500, 1.2e6, 27, 22000)


# ---------------------------------------------------------------- BH
def bh(p):
    """R's p.adjust(p, "BH") on the non-NaN entries."""
    p = np.asarray(p, dtype=float)
    q = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    v = p[ok]
    m = len(v)
    o = np.argsort(-v, kind="stable")  # decreasing
    i = np.arange(m, 0, -1)
    adj = np.minimum(1, np.minimum.accumulate(m / i * v[o]))
    res = np.empty(m)
    res[o] = adj
    q[ok] = res
    return q


BH_P = [0.01, 0.04, float("nan"), 0.03, 0.2, 0.04, 0.9, 0.001, 1.0, 0.0005,
        0.5]
for i, q in enumerate(bh(BH_P)):
    out(f"bh_q{i}", q)
