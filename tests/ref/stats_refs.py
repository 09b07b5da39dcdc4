#!/usr/bin/python3
# stats_refs.py - reference values for tests/test_stats.c (scorer/stats.c).
# Run with Debian's interpreter (scipy 1.10, numpy, mpmath): /usr/bin/python3
"""Prints `name = value` lines (17 significant digits) that are pasted into
tests/test_stats.c.  Every value is computed independently of the C code:
scipy where scipy implements the statistic, otherwise the published formula
with numpy / scipy.stats.chi2 / scipy.stats.norm; Fisher p-values are also
cross-checked against an exact mpmath sum with R's 1e-7 rule, and the
bootstrap is re-implemented on the raw MT19937 stream (numpy's RandomState
with an integer seed is seeded exactly like GSL's gsl_rng_mt19937)."""

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
mwu("mwu3", [1, 2, 2, 3, 4, 4, 5], [2, 3, 3, 5, 6, 6, 7, 8], "asymptotic")
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
}


def fisher_exact_mp(a, b, c, d):
    """Exact two-sided Fisher p (R's rule, relErr 1 + 1e-7) with mpmath."""
    mpmath.mp.dps = 60
    r1, k, n = a + b, a + c, a + b + c + d
    lo, hi = max(0, a - d), a + min(b, c)

    def lpmf(x):
        return (mpmath.log(mpmath.binomial(k, x))
                + mpmath.log(mpmath.binomial(n - k, r1 - x))
                - mpmath.log(mpmath.binomial(n, r1)))

    thr = lpmf(a) + mpmath.log(1 + mpmath.mpf("1e-7"))
    # the pmf is negligible (< e^-60 of the mode) far out; sum near the mode
    sd = math.sqrt(r1 * k / n * (1 - k / n) * (n - r1) / max(n - 1, 1)) + 1
    mode = int((r1 + 1) * (k + 1) / (n + 2))
    span = int(60 * sd) + 2 * abs(a - mode) + 60
    total = mpmath.mpf(0)
    for x in range(max(lo, mode - span, min(a, mode) - span),
                   min(hi, max(a, mode) + span) + 1):
        lp = lpmf(x)
        if lp <= thr:
            total += mpmath.exp(lp)
    return float(total)


for tag, (a, b, c, d) in TABLES.items():
    tab = np.array([[a, b], [c, d]], dtype=float)
    n = tab.sum()
    rows, cols = tab.sum(axis=1), tab.sum(axis=0)

    # G^2: scipy's log-likelihood statistic, Williams' q from the formula
    if (rows > 0).all() and (cols > 0).all():
        g2 = stats.chi2_contingency(tab, correction=False,
                                    lambda_="log-likelihood")[0]
        e = np.outer(rows, cols) / n
        mask = tab > 0
        g2_np = 2 * np.sum(tab[mask] * np.log(tab[mask] / e[mask]))
        assert abs(g2 - g2_np) <= 1e-9 * g2
        q = 1 + (n * np.sum(1 / rows) - 1) * (n * np.sum(1 / cols) - 1) / (6 * n)
        out(f"{tag}_g2", g2)
        out(f"{tag}_williams_q", q)
        out(f"{tag}_g2w", g2 / q)
        out(f"{tag}_g2_p", stats.chi2.sf(g2 / q, 1))

        chi2, p, dof, _ = stats.chi2_contingency(tab, correction=True)
        assert dof == 1
        out(f"{tag}_chi2", chi2)
        out(f"{tag}_chi2_p", p)

    fp = stats.fisher_exact([[a, b], [c, d]]).pvalue
    fp_mp = fisher_exact_mp(a, b, c, d)
    assert abs(fp - fp_mp) <= 1e-9 * fp_mp, (tag, fp, fp_mp)
    out(f"{tag}_fisher", fp_mp)

    # rate ratio: scipy's relative_risk (Katz log CI) or the 0.5 correction
    if a > 0 and c > 0:
        rr = relative_risk(a, a + b, c, c + d)
        ci = rr.confidence_interval(0.95)
        rr_v, lo, hi = rr.relative_risk, ci.low, ci.high
    else:
        a2, b2, c2, d2 = a + .5, b + .5, c + .5, d + .5
        rr_v = (a2 / (a2 + b2)) / (c2 / (c2 + d2))
        se = math.sqrt(1 / a2 - 1 / (a2 + b2) + 1 / c2 - 1 / (c2 + d2))
        z = stats.norm.ppf(0.975)
        lo, hi = rr_v * math.exp(-z * se), rr_v * math.exp(z * se)
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
