/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stats.c - significance tests, effect sizes and FDR control for framescore.
 * See stats.h for the conventions (status codes, NAN, thread safety). */
#include "stats.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

/* Relative tolerance for "as or less probable" tables (R fisher.test). */
#define FISHER_REL_TOL 1e-7
/* Fisher sums stop once the remainder is provably below this fraction. */
#define TAIL_REL_EPS 1e-17
/* Below this df the t p-value comes from the incomplete beta function;
 * above it from gsl_cdf_tdist_Q (whose Cornish-Fisher branch is accurate
 * there and whose beta branch fails for very large df). */
#define T_BETA_MAX_DF 1000.0

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */
/* ---------------------------------------------------------------------- */

static int has_nan(const double *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (isnan(v[i]))
      return 1;
  return 0;
}

static int all_finite(const double *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isfinite(v[i]))
      return 0;
  return 1;
}

static double clip01(double p) {
  if (isnan(p))
    return p;
  return p < 0.0 ? 0.0 : (p > 1.0 ? 1.0 : p);
}

/* A double's bits as an unsigned key with the same order (no NaN). */
static inline uint64_t order_key(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u >> 63 ? ~u : u | 0x8000000000000000ull;
}

/* perm = the indexes of v in ascending order of value (equal values in any
 * order: only ranks are taken from it). An LSD radix sort on 11-bit digits:
 * ranking the documents of each measure for every outlet was mostly heap
 * sorting (gsl_sort_index) before. Returns 0 or GSL_ENOMEM. */
static int sort_index(size_t *perm, const double *v, size_t n) {
  enum { BITS = 11, BUCKETS = 1 << BITS, PASSES = (64 + BITS - 1) / BITS };
  if (n < 64) {
    gsl_sort_index(perm, v, 1, n);
    return GSL_SUCCESS;
  }
  uint64_t *key = malloc(2 * n * sizeof *key);
  size_t *tmp = malloc(n * sizeof *tmp);
  size_t *count = malloc(BUCKETS * sizeof *count);
  if (!key || !tmp || !count) {
    free(key), free(tmp), free(count);
    return GSL_ENOMEM;
  }
  uint64_t *key2 = key + n;
  for (size_t i = 0; i < n; i++) {
    key[i] = order_key(v[i]);
    perm[i] = i;
  }
  for (int pass = 0; pass < PASSES; pass++) {
    int shift = pass * BITS;
    memset(count, 0, BUCKETS * sizeof *count);
    for (size_t i = 0; i < n; i++)
      count[(key[i] >> shift) & (BUCKETS - 1)]++;
    if (count[(key[0] >> shift) & (BUCKETS - 1)] == n)
      continue; /* every key has this digit: nothing moves */
    size_t at = 0;
    for (size_t b = 0; b < BUCKETS; b++) {
      size_t c = count[b];
      count[b] = at;
      at += c;
    }
    for (size_t i = 0; i < n; i++) {
      size_t to = count[(key[i] >> shift) & (BUCKETS - 1)]++;
      key2[to] = key[i];
      tmp[to] = perm[i];
    }
    uint64_t *k = key;
    key = key2, key2 = k;
    memcpy(perm, tmp, n * sizeof *perm);
  }
  free(key < key2 ? key : key2);
  free(tmp);
  free(count);
  return GSL_SUCCESS;
}

/* Average (1-based) ranks of v[0..n-1] into rank[], ties sharing the mean of
 * their positions; *tie_term = sum over tie groups of t^3 - t.  v must not
 * contain NaN.  Returns 0 or GSL_ENOMEM. */
static int average_ranks(const double *v, size_t n, double *rank,
                         double *tie_term) {
  size_t *perm = malloc((n ? n : 1) * sizeof *perm);
  if (!perm || sort_index(perm, v, n)) {
    free(perm);
    return GSL_ENOMEM;
  }
  double ties = 0.0;
  size_t i = 0;
  while (i < n) {
    size_t j = i + 1;
    while (j < n && v[perm[j]] == v[perm[i]])
      j++;
    /* positions i..j-1 hold ranks i+1..j */
    double avg = 0.5 * ((double)(i + 1) + (double)j);
    for (size_t k = i; k < j; k++)
      rank[perm[k]] = avg;
    double t = (double)(j - i);
    ties += t * t * t - t;
    i = j;
  }
  free(perm);
  *tie_term = ties;
  return GSL_SUCCESS;
}

/* ---------------------------------------------------------------------- */
/* Mann-Whitney U                                                          */
/* ---------------------------------------------------------------------- */

/* Exact two-sided p = 2 P(U <= lmin) for sizes m, n (U symmetric), where the
 * frequency of U = u is the number of partitions of u into at most m parts,
 * each at most n.  Counted in doubles (all additions of non-negative
 * numbers; C(100, 50) ~ 1e29 fits easily).  Returns 0 or GSL_ENOMEM. */
static int mwu_exact_p(size_t m, size_t n, size_t lmin, double *p) {
  size_t w = m * n + 1;
  /* g[k * w + u] = partitions of u into exactly k parts, each <= s */
  double *g = calloc((m + 1) * w, sizeof *g);
  if (!g)
    return GSL_ENOMEM;
  g[0] = 1.0;
  for (size_t s = 1; s <= n; s++)
    for (size_t k = 1; k <= m; k++)
      for (size_t u = s; u <= k * s; u++)
        g[k * w + u] += g[(k - 1) * w + u - s];
  double total = 0.0, low = 0.0;
  for (size_t u = 0; u < w; u++) {
    double f = 0.0;
    for (size_t k = 0; k <= m; k++)
      f += g[k * w + u];
    total += f;
    if (u <= lmin)
      low += f;
  }
  free(g);
  *p = clip01(2.0 * (low / total));
  return GSL_SUCCESS;
}

int fs_stat_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
                         fs_stat_mwu_result *out) {
  if (!out)
    return GSL_EINVAL;
  out->u = NAN;
  out->p = NAN;
  out->method = FS_STAT_MWU_NONE;
  if ((nx && !x) || (ny && !y))
    return GSL_EINVAL;
  if (nx == 0 || ny == 0 || has_nan(x, nx) || has_nan(y, ny))
    return GSL_SUCCESS;

  size_t n = nx + ny;
  double *pool = malloc(2 * n * sizeof *pool);
  if (!pool)
    return GSL_ENOMEM;
  double *rank = pool + n;
  for (size_t i = 0; i < nx; i++)
    pool[i] = x[i];
  for (size_t i = 0; i < ny; i++)
    pool[nx + i] = y[i];
  double ties;
  int st = average_ranks(pool, n, rank, &ties);
  if (st == GSL_SUCCESS)
    st = fs_stat_mann_whitney_ranked(rank, nx, ny, ties, out);
  free(pool);
  return st;
}

int fs_stat_ranks(const double *v, size_t n, double *rank, double *ties) {
  if ((n && (!v || !rank)) || !ties)
    return GSL_EINVAL;
  return average_ranks(v, n, rank, ties);
}

int fs_stat_mann_whitney_ranked(const double *rank, size_t nx, size_t ny,
                                double ties, fs_stat_mwu_result *out) {
  if (!out)
    return GSL_EINVAL;
  out->u = NAN;
  out->p = NAN;
  out->method = FS_STAT_MWU_NONE;
  if (nx == 0 || ny == 0)
    return GSL_SUCCESS;
  if (!rank)
    return GSL_EINVAL;
  size_t n = nx + ny;
  int st;
  double r1 = 0.0;
  for (size_t i = 0; i < nx; i++)
    r1 += rank[i];
  /* ties: the exact distribution of the rank sum given the ties, by
   * enumerating the relabellings of the average ranks, when they are few
   * enough (the normal approximation gives p = 0.047 for 3 tied documents
   * against 3, where no relabelling can give less than 0.1) */
  fs_stat_perm_result pr = {0};
  if (ties > 0.0 &&
      fs_stat_permutation_multi(rank, n, 1, nx, FS_STAT_PERM_EXACT_MAX, 0, NULL,
                                &pr) == GSL_ENOMEM)
    return GSL_ENOMEM;

  double dnx = (double)nx, dny = (double)ny, dn = (double)n;
  double u1 = r1 - dnx * (dnx + 1.0) / 2.0;
  double u2 = dnx * dny - u1;
  out->u = u1;

  if (ties == 0.0 && nx <= FS_STAT_MWU_EXACT_MAX &&
      ny <= FS_STAT_MWU_EXACT_MAX) {
    /* no ties: u1 is an integer */
    size_t lmin = (size_t)llround(u1 < u2 ? u1 : u2);
    st = mwu_exact_p(nx, ny, lmin, &out->p);
    if (st)
      return st;
    out->method = FS_STAT_MWU_EXACT;
    return GSL_SUCCESS;
  }

  if (ties > 0.0 && pr.method == FS_STAT_PERM_EXACT) {
    out->p = pr.p;
    out->method = FS_STAT_MWU_EXACT;
    return GSL_SUCCESS;
  }
  double var = dnx * dny / 12.0 * ((dn + 1.0) - ties / (dn * (dn - 1.0)));
  if (!(var > 0.0)) {
    /* all values equal: every arrangement ties, p = 1 (as scipy) */
    out->p = 1.0;
    out->method = FS_STAT_MWU_ASYMPTOTIC;
    return GSL_SUCCESS;
  }
  double umax = u1 > u2 ? u1 : u2;
  double z = (umax - dnx * dny / 2.0 - 0.5) / sqrt(var);
  out->p = clip01(2.0 * gsl_cdf_ugaussian_Q(z));
  out->method = FS_STAT_MWU_ASYMPTOTIC;
  return GSL_SUCCESS;
}

/* ---------------------------------------------------------------------- */
/* Welch's t                                                               */
/* ---------------------------------------------------------------------- */

/* Two-sided Student t p-value 2 P(T_df > |t|). */
static double t_two_sided_p(double t, double df) {
  double t2 = t * t;
  double p;
  if (df < T_BETA_MAX_DF) {
    /* 2 Q_t(|t|) = I_{df/(df+t^2)}(df/2, 1/2); pass whichever argument of
     * the beta is small so that it is formed without cancellation. */
    if (t2 > df)
      p = gsl_cdf_beta_P(df / (df + t2), df / 2.0, 0.5);
    else
      p = gsl_cdf_beta_Q(t2 / (df + t2), 0.5, df / 2.0);
    if (!isnan(p))
      return clip01(p);
  }
  p = 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
  return clip01(p);
}

int fs_stat_welch(const double *x, size_t nx, const double *y, size_t ny,
                  fs_stat_welch_result *out) {
  if (!out)
    return GSL_EINVAL;
  out->t = out->df = out->p = NAN;
  if ((nx && !x) || (ny && !y))
    return GSL_EINVAL;
  if (nx < 2 || ny < 2 || !all_finite(x, nx) || !all_finite(y, ny))
    return GSL_SUCCESS;
  double mx = gsl_stats_mean(x, 1, nx), my = gsl_stats_mean(y, 1, ny);
  double sx = gsl_stats_variance_m(x, 1, nx, mx) / (double)nx;
  double sy = gsl_stats_variance_m(y, 1, ny, my) / (double)ny;
  double se2 = sx + sy;
  if (!(se2 > 0.0))
    return GSL_SUCCESS;
  out->t = (mx - my) / sqrt(se2);
  out->df =
      se2 * se2 / (sx * sx / (double)(nx - 1) + sy * sy / (double)(ny - 1));
  out->p = t_two_sided_p(out->t, out->df);
  return GSL_SUCCESS;
}

/* ---------------------------------------------------------------------- */
/* Kruskal-Wallis                                                          */
/* ---------------------------------------------------------------------- */

int fs_stat_kruskal(const double *values, const size_t *group, size_t n,
                    size_t k, fs_stat_kruskal_result *out) {
  if (!out)
    return GSL_EINVAL;
  out->h = out->df = out->p = NAN;
  if (n && (!values || !group))
    return GSL_EINVAL;
  for (size_t i = 0; i < n; i++)
    if (group[i] >= k)
      return GSL_EINVAL;
  if (k >= 1)
    out->df = (double)(k - 1);
  if (k < 2 || has_nan(values, n))
    return GSL_SUCCESS;

  double *rank = malloc((n + 2 * k) * sizeof *rank);
  if (!rank)
    return GSL_ENOMEM;
  double *rsum = rank + n, *cnt = rank + n + k;
  double ties;
  int st = average_ranks(values, n, rank, &ties);
  if (st) {
    free(rank);
    return st;
  }
  for (size_t j = 0; j < k; j++)
    rsum[j] = cnt[j] = 0.0;
  for (size_t i = 0; i < n; i++) {
    rsum[group[i]] += rank[i];
    cnt[group[i]] += 1.0;
  }
  double dn = (double)n, mid = (dn + 1.0) / 2.0, ss = 0.0;
  int empty = 0;
  for (size_t j = 0; j < k; j++) {
    if (cnt[j] == 0.0) {
      empty = 1;
      break;
    }
    double dev = rsum[j] / cnt[j] - mid;
    ss += cnt[j] * dev * dev;
  }
  free(rank);
  if (empty)
    return GSL_SUCCESS;
  double corr = 1.0 - ties / (dn * dn * dn - dn);
  if (!(corr > 0.0))
    return GSL_SUCCESS; /* all values equal */
  out->h = 12.0 / (dn * (dn + 1.0)) * ss / corr;
  out->p = clip01(gsl_cdf_chisq_Q(out->h, out->df));
  return GSL_SUCCESS;
}

/* ---------------------------------------------------------------------- */
/* Bootstrap over documents                                                */
/* ---------------------------------------------------------------------- */

/* Copies the documents with tokens > 0 into cnt/tok (each n long) and sets
 * *kept.  Returns GSL_EINVAL for invalid values. */
static int keep_documents(const double *count, const double *tokens, size_t n,
                          double *cnt, double *tok, size_t *kept) {
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (!isfinite(count[i]) || !isfinite(tokens[i]) || tokens[i] < 0.0)
      return GSL_EINVAL;
    if (tokens[i] == 0.0) {
      if (count[i] != 0.0)
        return GSL_EINVAL;
      continue;
    }
    cnt[m] = count[i];
    tok[m] = tokens[i];
    m++;
  }
  *kept = m;
  return GSL_SUCCESS;
}

static double pooled_rate(const double *cnt, const double *tok, size_t n) {
  double sc = 0.0, st = 0.0;
  for (size_t i = 0; i < n; i++) {
    sc += cnt[i];
    st += tok[i];
  }
  return sc / st;
}

/* Pooled rate of one bootstrap resample (n > 0 draws with replacement). */
static double resampled_rate(const double *cnt, const double *tok, size_t n,
                             gsl_rng *rng) {
  double sc = 0.0, st = 0.0;
  for (size_t i = 0; i < n; i++) {
    size_t j = (size_t)gsl_rng_uniform_int(rng, n);
    sc += cnt[j];
    st += tok[j];
  }
  return sc / st;
}

static int rng_can_draw(const gsl_rng *rng, size_t n) {
  unsigned long range = gsl_rng_max(rng) - gsl_rng_min(rng);
  return (unsigned long long)n <= (unsigned long long)range;
}

int fs_stat_bootstrap_test(const double *count_a, const double *tokens_a,
                           size_t na, const double *count_b,
                           const double *tokens_b, size_t nb, size_t iterations,
                           gsl_rng *rng, fs_stat_bootstrap_result *out) {
  if (!out)
    return GSL_EINVAL;
  out->rate_a = out->rate_b = out->p = NAN;
  if (!rng || iterations == 0 || (na && (!count_a || !tokens_a)) ||
      (nb && (!count_b || !tokens_b)) || !rng_can_draw(rng, na) ||
      !rng_can_draw(rng, nb))
    return GSL_EINVAL;

  size_t total = 2 * (na + nb);
  double *buf = malloc((total ? total : 1) * sizeof *buf);
  if (!buf)
    return GSL_ENOMEM;
  double *ca = buf, *ta = buf + na, *cb = buf + 2 * na, *tb = cb + nb;
  size_t ma = 0, mb = 0;
  int st = keep_documents(count_a, tokens_a, na, ca, ta, &ma);
  if (!st)
    st = keep_documents(count_b, tokens_b, nb, cb, tb, &mb);
  if (st) {
    free(buf);
    return st;
  }
  if (ma > 0)
    out->rate_a = pooled_rate(ca, ta, ma);
  if (mb > 0)
    out->rate_b = pooled_rate(cb, tb, mb);
  if (ma == 0 || mb == 0) {
    free(buf);
    return GSL_SUCCESS;
  }

  double greater = 0.0; /* #{r_A* > r_B*} + #{r_A* == r_B*} / 2 */
  for (size_t it = 0; it < iterations; it++) {
    double ra = resampled_rate(ca, ta, ma, rng);
    double rb = resampled_rate(cb, tb, mb, rng);
    if (ra > rb)
      greater += 1.0;
    else if (ra == rb)
      greater += 0.5;
  }
  free(buf);
  double nit = (double)iterations;
  double p_hi = (1.0 + greater) / (nit + 1.0);
  double p_lo = (1.0 + (nit - greater)) / (nit + 1.0);
  out->p = clip01(2.0 * (p_hi < p_lo ? p_hi : p_lo));
  return GSL_SUCCESS;
}

int fs_stat_bootstrap_ci(const double *count, const double *tokens, size_t n,
                         size_t iterations, double level, gsl_rng *rng,
                         fs_stat_interval *out) {
  if (!out)
    return GSL_EINVAL;
  out->estimate = out->lo = out->hi = NAN;
  if (!rng || iterations == 0 || (n && (!count || !tokens)) ||
      !(level > 0.0 && level < 1.0) || !rng_can_draw(rng, n))
    return GSL_EINVAL;
  if (iterations > SIZE_MAX / sizeof(double) - 2 * n)
    return GSL_ENOMEM;

  double *buf = malloc((2 * n + iterations) * sizeof *buf);
  if (!buf)
    return GSL_ENOMEM;
  double *cnt = buf, *tok = buf + n, *rates = buf + 2 * n;
  size_t m;
  int st = keep_documents(count, tokens, n, cnt, tok, &m);
  if (st || m == 0) {
    free(buf);
    return st;
  }
  out->estimate = pooled_rate(cnt, tok, m);
  for (size_t it = 0; it < iterations; it++)
    rates[it] = resampled_rate(cnt, tok, m, rng);
  gsl_sort(rates, 1, iterations);
  double alpha = 1.0 - level;
  out->lo =
      gsl_stats_quantile_from_sorted_data(rates, 1, iterations, alpha / 2.0);
  out->hi = gsl_stats_quantile_from_sorted_data(rates, 1, iterations,
                                                1.0 - alpha / 2.0);
  free(buf);
  return GSL_SUCCESS;
}

/* ---------------------------------------------------------------------- */
/* Permutation test of the difference in means                             */
/* ---------------------------------------------------------------------- */

/* C(n, k) as a double, or +INFINITY once it exceeds cap. */
static double choose_capped(size_t n, size_t k, double cap) {
  double c = 1.0;
  if (k > n - k)
    k = n - k;
  for (size_t i = 1; i <= k; i++) {
    c = c * (double)(n - k + i) / (double)i;
    if (c > cap)
      return INFINITY;
  }
  return nearbyint(c);
}

/* Counts, over every k-subset of the n rows of v (n x m, row-major), for
 * each column j whose bad[j] is 0, the subsets whose column sum is >= s[j] -
 * tol[j] (ge[j]) and <= s[j] + tol[j] (le[j]); lexicographic order, with
 * the prefix sums kept so that each subset costs O(m) amortised. */
static int perm_enumerate(const double *v, size_t n, size_t m, size_t k,
                          const double *s, const double *tol, const char *bad,
                          double *ge, double *le) {
  size_t *c = malloc((k + 1) * sizeof *c);
  double *ps = malloc((k + 1) * m * sizeof *ps); /* row i: sum of c[0..i) */
  if (!c || !ps) {
    free(c), free(ps);
    return GSL_ENOMEM;
  }
  for (size_t j = 0; j < m; j++)
    ps[j] = 0.0;
  for (size_t i = 0; i < k; i++) {
    c[i] = i;
    for (size_t j = 0; j < m; j++)
      ps[(i + 1) * m + j] = ps[i * m + j] + v[i * m + j];
  }
  for (;;) {
    const double *sum = &ps[k * m];
    for (size_t j = 0; j < m; j++)
      if (!bad[j]) {
        ge[j] += sum[j] >= s[j] - tol[j];
        le[j] += sum[j] <= s[j] + tol[j];
      }
    /* the rightmost index that can move right */
    size_t i = k;
    while (i > 0 && c[i - 1] == n - k + i - 1)
      i--;
    if (i == 0)
      break;
    c[i - 1]++;
    for (size_t j = i; j < k; j++)
      c[j] = c[j - 1] + 1;
    for (size_t r = i - 1; r < k; r++)
      for (size_t j = 0; j < m; j++)
        ps[(r + 1) * m + j] = ps[r * m + j] + v[c[r] * m + j];
  }
  free(c), free(ps);
  return GSL_SUCCESS;
}

/* Adds, for `draws` random k-subsets of the n rows of v, the column sums'
 * tails to ge and le (as perm_enumerate). A partial Fisher-Yates shuffle of
 * the row indices draws a uniform k-subset from any arrangement, so the
 * indices are not reset between draws. */
static int perm_monte_carlo(const double *v, size_t n, size_t m, size_t k,
                            size_t draws, gsl_rng *rng, const double *s,
                            const double *tol, const char *bad, double *ge,
                            double *le) {
  size_t *idx = malloc(n * sizeof *idx);
  double *sum = malloc(m * sizeof *sum);
  if (!idx || !sum) {
    free(idx), free(sum);
    return GSL_ENOMEM;
  }
  for (size_t i = 0; i < n; i++)
    idx[i] = i;
  for (size_t it = 0; it < draws; it++) {
    for (size_t j = 0; j < m; j++)
      sum[j] = 0.0;
    for (size_t i = 0; i < k; i++) {
      size_t r = i + (size_t)gsl_rng_uniform_int(rng, n - i);
      size_t t = idx[i];
      idx[i] = idx[r], idx[r] = t;
      const double *row = &v[idx[i] * m];
      for (size_t j = 0; j < m; j++)
        sum[j] += row[j];
    }
    for (size_t j = 0; j < m; j++)
      if (!bad[j]) {
        ge[j] += sum[j] >= s[j] - tol[j];
        le[j] += sum[j] <= s[j] + tol[j];
      }
  }
  free(idx), free(sum);
  return GSL_SUCCESS;
}

static void perm_unset(fs_stat_perm_result *r) {
  r->diff = r->p = r->err = r->min_p = r->arrangements = NAN;
  r->used = 0;
  r->method = FS_STAT_PERM_NONE;
}

int fs_stat_permutation_multi(const double *v, size_t n, size_t m, size_t nx,
                              size_t max_exact, size_t draws, gsl_rng *rng,
                              fs_stat_perm_result *out) {
  if (!out && m)
    return GSL_EINVAL;
  for (size_t j = 0; j < m; j++)
    perm_unset(&out[j]);
  if ((n && m && !v) || nx > n)
    return GSL_EINVAL;
  size_t ny = n - nx;
  if (nx == 0 || ny == 0 || m == 0)
    return GSL_SUCCESS;
  /* the smaller group is the subset drawn; its sum orders the arrangements
   * as the difference in means does (decreasingly when it is y) */
  size_t k = nx <= ny ? nx : ny, first = nx <= ny ? 0 : nx;
  double all = choose_capped(n, k, 1e300);
  bool exact = all <= (double)max_exact;
  if (!exact && (!rng || draws == 0 || !rng_can_draw(rng, n)))
    return GSL_EINVAL;
  double *buf = calloc(7 * m, sizeof *buf);
  char *bad = calloc(m, 1);
  if (!buf || !bad) {
    free(buf), free(bad);
    return GSL_ENOMEM;
  }
  double *sx = buf, *sy = buf + m, *scale = buf + 2 * m, *s = buf + 3 * m;
  double *tol = buf + 4 * m, *ge = buf + 5 * m, *le = buf + 6 * m;
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < m; j++) {
      double x = v[i * m + j];
      bad[j] |= !isfinite(x);
      (i < nx ? sx : sy)[j] += x;
      scale[j] += fabs(x);
      if (i >= first && i < first + k)
        s[j] += x;
    }
  /* ties are ties whatever the order of summation */
  for (size_t j = 0; j < m; j++)
    tol[j] = 1e-12 * scale[j];
  int st = exact
               ? perm_enumerate(v, n, m, k, s, tol, bad, ge, le)
               : perm_monte_carlo(v, n, m, k, draws, rng, s, tol, bad, ge, le);
  double M = exact ? all : (double)draws + 1.0;
  for (size_t j = 0; j < m && !st; j++) {
    fs_stat_perm_result *r = &out[j];
    if (bad[j])
      continue;
    if (!exact) /* the observed arrangement counts as one of the draws */
      ge[j] += 1.0, le[j] += 1.0;
    double tail = (ge[j] < le[j] ? ge[j] : le[j]) / M;
    r->diff = sx[j] / (double)nx - sy[j] / (double)ny;
    r->p = clip01(2.0 * tail);
    r->min_p = fmin(1.0, 2.0 / M);
    r->arrangements = all;
    r->used = (size_t)M;
    r->method = exact ? FS_STAT_PERM_EXACT : FS_STAT_PERM_MONTE_CARLO;
    r->err = exact ? 0.0
                   : fmin(1.0, 2.0 * 1.959963984540054 *
                                   sqrt(tail * (1.0 - tail) / (double)draws));
  }
  free(buf), free(bad);
  return st;
}

int fs_stat_permutation(const double *x, size_t nx, const double *y, size_t ny,
                        size_t max_exact, size_t draws, gsl_rng *rng,
                        fs_stat_perm_result *out) {
  if (!out)
    return GSL_EINVAL;
  perm_unset(out);
  if ((nx && !x) || (ny && !y))
    return GSL_EINVAL;
  if (nx == 0 || ny == 0)
    return GSL_SUCCESS;
  double *v = malloc((nx + ny) * sizeof *v);
  if (!v)
    return GSL_ENOMEM;
  memcpy(v, x, nx * sizeof *v);
  memcpy(v + nx, y, ny * sizeof *v);
  int st =
      fs_stat_permutation_multi(v, nx + ny, 1, nx, max_exact, draws, rng, out);
  free(v);
  return st;
}

/* ---------------------------------------------------------------------- */
/* 2x2 tables                                                              */
/* ---------------------------------------------------------------------- */

static int table_ok(fs_stat_table t) {
  return isfinite(t.a) && isfinite(t.b) && isfinite(t.c) && isfinite(t.d) &&
         t.a >= 0.0 && t.b >= 0.0 && t.c >= 0.0 && t.d >= 0.0;
}

/* Row totals r1, r2, column totals c1, c2, grand total; 1 if all > 0. */
static int margins(fs_stat_table t, double *r1, double *r2, double *c1,
                   double *c2, double *n) {
  *r1 = t.a + t.b;
  *r2 = t.c + t.d;
  *c1 = t.a + t.c;
  *c2 = t.b + t.d;
  *n = *r1 + *r2;
  return *r1 > 0.0 && *r2 > 0.0 && *c1 > 0.0 && *c2 > 0.0;
}

fs_stat_g2_result fs_stat_g2(fs_stat_table t) {
  fs_stat_g2_result r = {NAN, NAN, NAN, NAN};
  double r1, r2, c1, c2, n;
  if (!table_ok(t) || !margins(t, &r1, &r2, &c1, &c2, &n))
    return r;
  /* O - E = +-delta in every cell; log(O/E) = log1p(+-delta / E) keeps the
   * precision when O and E are large and close. */
  double delta = (t.a * t.d - t.b * t.c) / n;
  const double o[4] = {t.a, t.b, t.c, t.d};
  const double e[4] = {r1 * c1 / n, r1 * c2 / n, r2 * c1 / n, r2 * c2 / n};
  const double sign[4] = {1.0, -1.0, -1.0, 1.0};
  double sum = 0.0;
  for (int i = 0; i < 4; i++)
    if (o[i] > 0.0)
      sum += o[i] * log1p(sign[i] * delta / e[i]);
  r.g2 = sum > 0.0 ? 2.0 * sum : 0.0;
  r.williams_q = 1.0 + (n * (1.0 / r1 + 1.0 / r2) - 1.0) *
                           (n * (1.0 / c1 + 1.0 / c2) - 1.0) / (6.0 * n);
  r.g2_williams = r.g2 / r.williams_q;
  r.p = clip01(gsl_cdf_chisq_Q(r.g2_williams, 1.0));
  return r;
}

fs_stat_chi2_result fs_stat_chi2_yates(fs_stat_table t) {
  fs_stat_chi2_result r = {NAN, NAN};
  double r1, r2, c1, c2, n;
  if (!table_ok(t) || !margins(t, &r1, &r2, &c1, &c2, &n))
    return r;
  /* |O - E| is the same in all four cells; sum 1/E = n (sum 1/R)(sum 1/C) */
  double dev = fabs(t.a * t.d - t.b * t.c) / n;
  dev -= dev < 0.5 ? dev : 0.5;
  r.chi2 = dev * dev * n * (1.0 / r1 + 1.0 / r2) * (1.0 / c1 + 1.0 / c2);
  r.p = clip01(gsl_cdf_chisq_Q(r.chi2, 1.0));
  return r;
}

/* Fisher: X = a is hypergeometric: r1 = a + b draws from n = a + b + c + d
 * tokens of which k = a + c are the term. */
typedef struct {
  double k, r1, n;
} hyper;

/* ln C(n, m) for integer-valued 0 <= m <= n; NAN on a GSL error. */
static double ln_choose(double n, double m) {
  gsl_sf_result res;
  if (n <= (double)UINT_MAX) {
    if (gsl_sf_lnchoose_e((unsigned int)n, (unsigned int)m, &res))
      return NAN;
    return res.val;
  }
  gsl_sf_result g1, g2, g3;
  if (gsl_sf_lngamma_e(n + 1.0, &g1) || gsl_sf_lngamma_e(m + 1.0, &g2) ||
      gsl_sf_lngamma_e(n - m + 1.0, &g3))
    return NAN;
  return g1.val - g2.val - g3.val;
}

/* ln P(X = x) up to an additive constant (the same for every x). */
static double hyper_lnweight(const hyper *h, double x) {
  return ln_choose(h->k, x) + ln_choose(h->n - h->k, h->r1 - x);
}

/* P(X = x + 1) / P(X = x) and P(X = x - 1) / P(X = x). */
static double hyper_up(const hyper *h, double x) {
  return (h->k - x) * (h->r1 - x) /
         ((x + 1.0) * (h->n - h->k - h->r1 + x + 1.0));
}

static double hyper_down(const hyper *h, double x) {
  return x * (h->n - h->k - h->r1 + x) / ((h->k - x + 1.0) * (h->r1 - x + 1.0));
}

/* ln(P(X = x) / P(X = mode)) by the ratio recurrence from the mode. */
static double hyper_walk_to(const hyper *h, double mode, double x) {
  double l = 0.0;
  for (double y = mode; y < x; y += 1.0)
    l += log(hyper_up(h, y));
  for (double y = mode; y > x; y -= 1.0)
    l += log(hyper_down(h, y));
  return l;
}

/* Walks from the mode towards `end` (dir = +1 or -1), adding every table's
 * P / P(mode) to *total and, for those with ln(P / P(mode)) <= thr, its
 * P / P(obs) = exp(l - lobs) to *tail.  Past the mode the ratios only shrink
 * (the pmf is log-concave), so after a step with ratio r < 1 the rest of the
 * side is at most exp(l) r / (1 - r); the walk stops once that is below
 * exp(lfloor). */
static void hyper_walk_side(const hyper *h, double mode, double end, int dir,
                            double lobs, double thr, double lfloor,
                            double *total, double *tail) {
  double x = mode, l = 0.0;
  while (x != end) {
    double r = dir > 0 ? hyper_up(h, x) : hyper_down(h, x);
    l += log(r);
    x += dir;
    *total += exp(l);
    if (l <= thr)
      *tail += exp(l - lobs);
    if (r < 1.0 && l + log(r / (1.0 - r)) < lfloor)
      break;
  }
}

double fs_stat_fisher(fs_stat_table t) {
  const double maxint = 9007199254740992.0; /* 2^53 */
  if (!table_ok(t) || t.a != floor(t.a) || t.b != floor(t.b) ||
      t.c != floor(t.c) || t.d != floor(t.d) || t.a > maxint || t.b > maxint ||
      t.c > maxint || t.d > maxint)
    return NAN;
  hyper h = {t.a + t.c, t.a + t.b, t.a + t.b + t.c + t.d};
  double lo = t.a > t.d ? t.a - t.d : 0.0;
  double hi = t.a + (t.b < t.c ? t.b : t.c);
  if (lo == hi)
    return 1.0; /* the margins admit one table */

  /* a mode: the usual formula, then nudged in case of rounding */
  double mode = floor((h.r1 + 1.0) * (h.k + 1.0) / (h.n + 2.0));
  mode = mode < lo ? lo : (mode > hi ? hi : mode);
  while (mode < hi && hyper_up(&h, mode) > 1.0)
    mode += 1.0;
  while (mode > lo && hyper_down(&h, mode) > 1.0)
    mode -= 1.0;

  /* If P(obs) / P(mode) < e^-782 (estimated with lnchoose, allowing for its
   * rounding), p < 2^53 P(obs) / P(mode) underflows: skip the long walk. */
  double est = hyper_lnweight(&h, t.a) - hyper_lnweight(&h, mode);
  if (isnan(est))
    return NAN;
  if (est < -(745.0 + 37.0) - (10.0 + 1e-13 * h.n))
    return 0.0;

  /* Exact path: every probability relative to the mode by the recurrence,
   * so no large ln-gamma values are subtracted; p = tail P(obs) / total. */
  double lobs = hyper_walk_to(&h, mode, t.a);
  double thr = lobs + log1p(FISHER_REL_TOL);
  if (thr >= 0.0)
    return 1.0; /* the observed table is (within tolerance) the most likely */
  double lfloor = (lobs < 0.0 ? lobs : 0.0) + log(TAIL_REL_EPS);
  double total = 1.0, tail = 0.0;
  hyper_walk_side(&h, mode, lo, -1, lobs, thr, lfloor, &total, &tail);
  hyper_walk_side(&h, mode, hi, +1, lobs, thr, lfloor, &total, &tail);
  return clip01(exp(log(tail) + lobs - log(total)));
}

fs_stat_rate_ratio_result fs_stat_rate_ratio(fs_stat_table t, double level) {
  fs_stat_rate_ratio_result r = {NAN, NAN, NAN, 0};
  if (!table_ok(t) || !(level > 0.0 && level < 1.0) || t.a + t.b == 0.0 ||
      t.c + t.d == 0.0 || (t.a == 0.0 && t.c == 0.0))
    return r;
  /* the point estimate from the raw counts (0 or +inf when a side has no
   * match); the correction only makes the interval's log finite */
  r.ratio = t.a == 0.0   ? 0.0
            : t.c == 0.0 ? INFINITY
                         : (t.a / (t.a + t.b)) / (t.c / (t.c + t.d));
  if (t.a == 0.0 || t.c == 0.0) {
    t.a += 0.5;
    t.b += 0.5;
    t.c += 0.5;
    t.d += 0.5;
    r.corrected = 1;
  }
  double n1 = t.a + t.b, n2 = t.c + t.d;
  double lrr = log((t.a / n1) / (t.c / n2));
  double se = sqrt(1.0 / t.a - 1.0 / n1 + 1.0 / t.c - 1.0 / n2);
  double z = gsl_cdf_ugaussian_Pinv(1.0 - (1.0 - level) / 2.0);
  r.lo = exp(lrr - z * se);
  r.hi = exp(lrr + z * se);
  return r;
}

double fs_stat_cohens_h(double p1, double p2) {
  if (!(p1 >= 0.0 && p1 <= 1.0 && p2 >= 0.0 && p2 <= 1.0))
    return NAN;
  return 2.0 * asin(sqrt(p1)) - 2.0 * asin(sqrt(p2));
}

double fs_stat_pmi(fs_stat_table t) {
  if (!table_ok(t))
    return NAN;
  double term = t.a + t.c, side = t.a + t.b, n = side + t.c + t.d;
  if (term == 0.0 || side == 0.0)
    return NAN;
  if (t.a == 0.0)
    return -INFINITY;
  return log2(t.a * n / (term * side));
}

fs_stat_log_odds_result fs_stat_log_odds(double y_a, double n_a, double y_b,
                                         double n_b, double alpha_w,
                                         double alpha_0) {
  fs_stat_log_odds_result r = {NAN, NAN, NAN, NAN};
  if (!isfinite(y_a) || !isfinite(n_a) || !isfinite(y_b) || !isfinite(n_b) ||
      !isfinite(alpha_w) || !isfinite(alpha_0) || y_a < 0.0 || n_a < 0.0 ||
      y_b < 0.0 || n_b < 0.0 || !(alpha_w > 0.0) || alpha_0 < 0.0)
    return r;
  double num_a = y_a + alpha_w, den_a = n_a + alpha_0 - y_a - alpha_w;
  double num_b = y_b + alpha_w, den_b = n_b + alpha_0 - y_b - alpha_w;
  if (!(den_a > 0.0 && den_b > 0.0))
    return r;
  r.delta = log(num_a / den_a) - log(num_b / den_b);
  r.var = 1.0 / num_a + 1.0 / num_b;
  r.z = r.delta / sqrt(r.var);
  r.p = clip01(2.0 * gsl_cdf_ugaussian_Q(fabs(r.z)));
  return r;
}

/* ---------------------------------------------------------------------- */
/* Benjamini-Hochberg                                                      */
/* ---------------------------------------------------------------------- */

int fs_stat_bh(const double *p, size_t n, double *q) {
  if (n == 0)
    return GSL_SUCCESS;
  if (!p || !q)
    return GSL_EINVAL;
  int bad = 0;
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (isnan(p[i]))
      continue;
    if (p[i] < 0.0 || p[i] > 1.0)
      bad = 1;
    m++;
  }
  double *vals = bad ? NULL : malloc((m ? m : 1) * sizeof *vals);
  size_t *where = vals ? malloc((m ? m : 1) * sizeof *where) : NULL;
  size_t *perm = where ? malloc((m ? m : 1) * sizeof *perm) : NULL;
  if (!perm) {
    free(vals);
    free(where);
    for (size_t i = 0; i < n; i++)
      q[i] = NAN;
    return bad ? GSL_EINVAL : GSL_ENOMEM;
  }
  for (size_t i = 0, j = 0; i < n; i++)
    if (!isnan(p[i])) {
      vals[j] = p[i];
      where[j++] = i;
    }
  /* from here on p is not read again, so q may alias it */
  for (size_t i = 0; i < n; i++)
    q[i] = NAN;
  gsl_sort_index(perm, vals, 1, m);
  double running = 1.0, dm = (double)m;
  for (size_t r = m; r >= 1; r--) {
    size_t j = perm[r - 1];
    double v = dm / (double)r * vals[j];
    if (v < running)
      running = v;
    q[where[j]] = running;
  }
  free(vals);
  free(where);
  free(perm);
  return GSL_SUCCESS;
}
