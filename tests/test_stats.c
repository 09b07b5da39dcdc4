/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_stats.c - unit tests for scorer/stats/stats.c against SciPy reference values.
 * Expected numbers come from tests/ref/stats_refs.py (/usr/bin/python3). */
#include "harness.h"
#include "stats.h"

#include "ref/perm_refs.h"

#include <stdbool.h>
#include <stdint.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

/* Every reference is an exact quantity or a closed formula, so all checks
 * use EXACT: the C code and the reference differ only by rounding.  That
 * includes the asymptotic MWU, Welch and Kruskal p-values (the same
 * deterministic formula in C and SciPy, so no approximation error between
 * them) and the bootstrap values (stats_refs.py replays the same MT19937
 * stream).  G^2, Yates' chi-square and Fisher references are 50-digit mpmath
 * values, checked there against SciPy. */
#define EXACT 1e-9

#define N_OF(arr) (sizeof(arr) / sizeof((arr)[0]))

static const fs_stat_table T1 = {10, 990, 25, 1475};

/* ((k * mult) % mod) / div + shift for k = start .. start + n - 1, exactly
 * as lcg_data() in stats_refs.py. */
static void lcg_data(double *v, size_t n, long mult, long mod, double div,
                     double shift, long start) {
  for (size_t i = 0; i < n; i++) {
    long k = start + (long)i;
    v[i] = (double)((k * mult) % mod) / div + shift;
  }
}

static int in01(double p) { return p >= 0.0 && p <= 1.0; }

static void test_mann_whitney(void) {
  fs_stat_mwu_result r;

  const double x1[] = {1.2, 3.4, 5.6, 0.5, 2.2};
  const double y1[] = {4.1, 6.3, 7.7, 8.8, 3.9, 9.1};
  INT_EQ(fs_stat_mann_whitney(x1, N_OF(x1), y1, N_OF(y1), &r), 0);
  INT_EQ(r.method, FS_STAT_MWU_EXACT);
  NEAR(r.u, 2, EXACT);
  NEAR(r.p, 0.017316017316017316, EXACT);

  const double x2[] = {0.8}, y2[] = {0.3, 1.5, 2.9};
  INT_EQ(fs_stat_mann_whitney(x2, 1, y2, 3, &r), 0);
  INT_EQ(r.method, FS_STAT_MWU_EXACT);
  NEAR(r.u, 1, EXACT);
  NEAR(r.p, 1, EXACT);

  /* ties with few relabellings: the exact p given the ties
   * (tests/ref/perm_refs.h, checked against scipy.stats.permutation_test),
   * not scipy's default normal approximation (0.0796 for the second case) */
  for (size_t i = 0; i < N_OF(MWU_TIES_REFS); i++) {
    const mwu_ties_ref *e = &MWU_TIES_REFS[i];
    INT_EQ(fs_stat_mann_whitney(e->v, e->nx, e->v + e->nx, e->ny, &r), 0);
    INT_EQ(r.method, FS_STAT_MWU_EXACT);
    NEAR(r.u, e->u, EXACT);
    NEAR(r.p, e->p, EXACT);
  }
  /* ties with more than 100,000 relabellings: asymptotic, as scipy
   * mannwhitneyu(x, y, method='asymptotic') (stats_refs.py, mwu3) */
  double x3[14], y3[16];
  for (size_t i = 0; i < 14; i++)
    x3[i] = (double)(1 + i % 5);
  for (size_t i = 0; i < 16; i++)
    y3[i] = (double)(2 + i % 7);
  INT_EQ(fs_stat_mann_whitney(x3, 14, y3, 16, &r), 0);
  INT_EQ(r.method, FS_STAT_MWU_ASYMPTOTIC);
  NEAR(r.u, 57, EXACT);
  NEAR(r.p, 0.021845040442585114, EXACT);

  /* 50 vs 50, no ties: exact at the size bound */
  double pool[100];
  lcg_data(pool, 100, 7919, 1009, 8.0, 0.0, 0);
  INT_EQ(fs_stat_mann_whitney(pool, 50, pool + 50, 50, &r), 0);
  INT_EQ(r.method, FS_STAT_MWU_EXACT);
  NEAR(r.u, 1273, EXACT);
  NEAR(r.p, 0.87728262159784298, EXACT);

  /* 60 vs 55, no ties: beyond the bound, asymptotic */
  double x5[60], y5[55];
  lcg_data(x5, 60, 7919, 1009, 8.0, 0.0, 0);
  lcg_data(y5, 55, 7919, 1009, 8.0, 20.0625, 60);
  INT_EQ(fs_stat_mann_whitney(x5, 60, y5, 55, &r), 0);
  INT_EQ(r.method, FS_STAT_MWU_ASYMPTOTIC);
  NEAR(r.u, 1115, EXACT);
  NEAR(r.p, 0.0027658894721218747, EXACT);

  /* swapping the samples gives U' = nx ny - U and the same p */
  INT_EQ(fs_stat_mann_whitney(y1, N_OF(y1), x1, N_OF(x1), &r), 0);
  NEAR(r.u, 28, EXACT);
  NEAR(r.p, 0.017316017316017316, EXACT);

  /* degenerate */
  INT_EQ(fs_stat_mann_whitney(NULL, 0, y1, 3, &r), 0);
  OK(isnan(r.u) && isnan(r.p), "empty x");
  INT_EQ(r.method, FS_STAT_MWU_NONE);
  const double same[] = {2, 2, 2, 2};
  INT_EQ(fs_stat_mann_whitney(same, 2, same + 2, 2, &r), 0);
  NEAR(r.p, 1, EXACT); /* scipy: 1 when every value is equal */
  NEAR(r.u, 2, EXACT);
  const double withnan[] = {1, NAN};
  INT_EQ(fs_stat_mann_whitney(withnan, 2, y1, 3, &r), 0);
  OK(isnan(r.p), "NaN input: p = %g", r.p);
  INT_EQ(fs_stat_mann_whitney(NULL, 2, y1, 3, &r), GSL_EINVAL);
  INT_EQ(fs_stat_mann_whitney(x1, 2, y1, 3, NULL), GSL_EINVAL);
}

/* Large samples with many ties, negative values and -0.0 (ranked by the
 * radix sort): U equals the count of pairs x > y plus half the ties,
 * computed here pair by pair. */
/* Ranks of a pool taken in another order (documents of both sides mixed,
 * as compare ranks every document of a measure once) give the same U and
 * p: scipy's values for x3/y3 above (stats_refs.py, mwu3), bit for bit
 * those of fs_stat_mann_whitney. */
static void test_mann_whitney_ranked(void) {
  double x[14], y[16], mixed[30], rank[30], pool[30], ties = -1;
  for (size_t i = 0; i < 14; i++)
    x[i] = (double)(1 + i % 5);
  for (size_t i = 0; i < 16; i++)
    y[i] = (double)(2 + i % 7);
  /* document order: y, x, y, x, ... then the last two of y */
  bool from_x[30];
  for (size_t i = 0, a = 0, b = 0; i < 30; i++) {
    from_x[i] = i % 2 == 1 && a < 14;
    mixed[i] = from_x[i] ? x[a++] : y[b++];
  }
  INT_EQ(fs_stat_ranks(mixed, 30, rank, &ties), 0);
  OK(ties > 0, "ties counted: %g", ties);
  for (size_t i = 0, a = 0, b = 14; i < 30; i++)
    pool[from_x[i] ? a++ : b++] = rank[i];
  fs_stat_mwu_result r, plain;
  INT_EQ(fs_stat_mann_whitney_ranked(pool, 14, 16, ties, &r), 0);
  INT_EQ(fs_stat_mann_whitney(x, 14, y, 16, &plain), 0);
  INT_EQ(r.method, FS_STAT_MWU_ASYMPTOTIC);
  NEAR(r.u, 57, EXACT);
  NEAR(r.p, 0.021845040442585114, EXACT);
  OK(r.u == plain.u && r.p == plain.p && r.method == plain.method,
     "ranked = plain: U %.17g %.17g, p %.17g %.17g", r.u, plain.u, r.p,
     plain.p);
  /* 3 against 3 with ties: the exact distribution given the ties */
  double v[6] = {1, 2, 2, 3, 2, 1}, rk[6], pl[6], t6;
  INT_EQ(fs_stat_ranks(v, 6, rk, &t6), 0);
  /* x = v[0], v[2], v[4]; y = v[1], v[3], v[5] */
  for (size_t i = 0; i < 3; i++)
    pl[i] = rk[2 * i], pl[3 + i] = rk[2 * i + 1];
  double x6[3] = {1, 2, 2}, y6[3] = {2, 3, 1};
  INT_EQ(fs_stat_mann_whitney_ranked(pl, 3, 3, t6, &r), 0);
  INT_EQ(fs_stat_mann_whitney(x6, 3, y6, 3, &plain), 0);
  INT_EQ(r.method, FS_STAT_MWU_EXACT);
  OK(r.u == plain.u && r.p == plain.p, "ties, exact: p %.17g %.17g", r.p,
     plain.p);
}

static void test_mann_whitney_ties(void) {
  enum { NX = 700, NY = 450 };
  static double x[NX], y[NY];
  uint32_t st = 12345;
  for (size_t i = 0; i < NX + NY; i++) {
    st = st * 1103515245u + 12345u;
    double v = (double)((st >> 16) % 41) - 20.0; /* -20..20: many ties */
    if (v == 0 && (st & 1))
      v = -0.0;
    if (st & 2)
      v *= 0.25; /* fractions, still exact */
    if (i < NX)
      x[i] = v;
    else
      y[i - NX] = v;
  }
  double u = 0;
  for (size_t i = 0; i < NX; i++)
    for (size_t j = 0; j < NY; j++)
      u += x[i] > y[j] ? 1.0 : x[i] == y[j] ? 0.5 : 0.0;
  fs_stat_mwu_result r;
  INT_EQ(fs_stat_mann_whitney(x, NX, y, NY, &r), 0);
  NEAR(r.u, u, EXACT);
  INT_EQ(r.method, FS_STAT_MWU_ASYMPTOTIC);
  OK(r.p >= 0 && r.p <= 1, "p in [0,1]: %g", r.p);
}

static void test_welch(void) {
  fs_stat_welch_result r;

  const double x1[] = {5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3};
  const double y1[] = {4.2, 4.8, 5.0, 4.5, 4.9, 4.1, 4.6, 4.4, 4.7};
  INT_EQ(fs_stat_welch(x1, N_OF(x1), y1, N_OF(y1), &r), 0);
  NEAR(r.t, 4.6387892220044078, EXACT);
  NEAR(r.df, 9.7091815570236886, EXACT);
  NEAR(r.p, 0.00099882067512078706, EXACT);

  const double x2[] = {1, 2, 3, 4, 100}, y2[] = {2, 3, 2.5};
  INT_EQ(fs_stat_welch(x2, N_OF(x2), y2, N_OF(y2), &r), 0);
  NEAR(r.t, 0.99956197983005868, EXACT);
  NEAR(r.df, 4.0017518885659964, EXACT);
  NEAR(r.p, 0.37406603291268364, EXACT);

  double x3[40], y3[35];
  lcg_data(x3, 40, 37, 101, 10.0, 0.0, 0);
  lcg_data(y3, 35, 53, 103, 10.0, 1.5, 0);
  INT_EQ(fs_stat_welch(x3, 40, y3, 35, &r), 0);
  NEAR(r.t, -2.2485600804832329, EXACT);
  NEAR(r.df, 71.39226953021614, EXACT);
  NEAR(r.p, 0.027628203304304454, EXACT);

  /* df > 1000: the gsl_cdf_tdist_Q branch */
  static double x4[1500], y4[1200];
  lcg_data(x4, 1500, 7919, 10007, 1000.0, 0.0, 0);
  lcg_data(y4, 1200, 104729, 10009, 1000.0, 0.2, 0);
  INT_EQ(fs_stat_welch(x4, 1500, y4, 1200, &r), 0);
  NEAR(r.t, -1.7901570710246768, EXACT);
  NEAR(r.df, 2568.8390450597612, EXACT);
  NEAR(r.p, 0.073546396278945783, EXACT);

  /* degenerate */
  INT_EQ(fs_stat_welch(x1, 1, y1, 5, &r), 0);
  OK(isnan(r.t) && isnan(r.df) && isnan(r.p), "n = 1");
  INT_EQ(fs_stat_welch(NULL, 0, NULL, 0, &r), 0);
  OK(isnan(r.p), "n = 0");
  const double c1[] = {3, 3, 3}, c2[] = {5, 5};
  INT_EQ(fs_stat_welch(c1, 3, c2, 2, &r), 0);
  OK(isnan(r.t) && isnan(r.p), "zero variance: t = %g", r.t);
  INT_EQ(fs_stat_welch(NULL, 3, c2, 2, &r), GSL_EINVAL);
}

static void test_kruskal(void) {
  fs_stat_kruskal_result r;

  const double v1[] = {2.9, 3.0, 2.5, 2.6, 3.2, 3.8, 2.7,
                       4.0, 2.4, 2.8, 3.4, 3.7, 2.2, 2.0};
  const size_t g1[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2};
  INT_EQ(fs_stat_kruskal(v1, g1, N_OF(v1), 3, &r), 0);
  NEAR(r.h, 0.77142857142857224, EXACT);
  NEAR(r.df, 2, EXACT);
  NEAR(r.p, 0.67996477357889362, EXACT);

  /* ties; groups interleaved to show order does not matter */
  const double v2[] = {1, 2, 5, 2, 3, 5, 2, 4, 6, 3, 4, 1, 5};
  const size_t g2[] = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 1};
  INT_EQ(fs_stat_kruskal(v2, g2, N_OF(v2), 3, &r), 0);
  NEAR(r.h, 3.8422096317280521, EXACT);
  NEAR(r.p, 0.14644507787542491, EXACT);

  double v3[40];
  size_t g3[40];
  for (size_t k = 0; k < 40; k++) {
    v3[k] = (double)((k * 7919) % 1009) / 8.0 + (double)(k % 4) * 5.0;
    g3[k] = k % 4;
  }
  INT_EQ(fs_stat_kruskal(v3, g3, 40, 4, &r), 0);
  NEAR(r.h, 1.4239024390243884, EXACT);
  NEAR(r.df, 3, EXACT);
  NEAR(r.p, 0.6999415557047628, EXACT);

  /* degenerate */
  INT_EQ(fs_stat_kruskal(v1, g1, N_OF(v1), 4, &r), 0); /* group 3 empty */
  OK(isnan(r.h) && isnan(r.p), "empty group");
  const size_t zeros[] = {0, 0, 0};
  INT_EQ(fs_stat_kruskal(v1, zeros, 3, 1, &r), 0);
  OK(isnan(r.p), "k = 1");
  const double same[] = {1, 1, 1, 1};
  const size_t g4[] = {0, 1, 0, 1};
  INT_EQ(fs_stat_kruskal(same, g4, 4, 2, &r), 0);
  OK(isnan(r.h), "all equal");
  INT_EQ(fs_stat_kruskal(NULL, NULL, 0, 2, &r), 0);
  OK(isnan(r.h), "n = 0");
  INT_EQ(fs_stat_kruskal(v1, g1, N_OF(v1), 2, &r), GSL_EINVAL); /* label 2 */
}

static const double BA_C[] = {3, 0, 5, 1, 2, 7, 0, 4};
static const double BA_T[] = {500, 320, 810, 150, 400, 900, 210, 650};
static const double BB_C[] = {1, 0, 2, 0, 1, 3, 0, 1, 2, 0};
static const double BB_T[] = {450, 300, 700, 200, 380, 800, 250, 600, 520, 330};

static gsl_rng *seeded(unsigned long seed) {
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  if (r)
    gsl_rng_set(r, seed);
  return r;
}

static void test_bootstrap(void) {
  gsl_rng *r1 = seeded(42), *r2 = seeded(42), *r3 = seeded(7);
  OK(r1 && r2 && r3, "gsl_rng_alloc");
  if (!r1 || !r2 || !r3)
    return;
  fs_stat_bootstrap_result b1, b2, b3;
  INT_EQ(fs_stat_bootstrap_test(BA_C, BA_T, 8, BB_C, BB_T, 10, 2000, r1, &b1),
         0);
  INT_EQ(fs_stat_bootstrap_test(BA_C, BA_T, 8, BB_C, BB_T, 10, 2000, r2, &b2),
         0);
  INT_EQ(fs_stat_bootstrap_test(BA_C, BA_T, 8, BB_C, BB_T, 10, 2000, r3, &b3),
         0);
  NEAR(b1.rate_a, 22.0 / 3940.0, EXACT);
  NEAR(b1.rate_b, 10.0 / 4530.0, EXACT);
  NEAR(b1.p, 0.0029985007496251873, EXACT);
  NEAR(b3.p, 0.0079960019990004995, EXACT);
  OK(b1.p == b2.p, "same seed, same p: %g vs %g", b1.p, b2.p);
  OK(b1.p != b3.p, "other seed, other p: %g", b1.p);
  OK(in01(b1.p) && b1.p >= 2.0 / 2001.0, "p range %g", b1.p);

  /* many tied replicates and a zero-token document */
  gsl_rng_set(r1, 42);
  const double c2a[] = {0, 0, 1, 0}, t2a[] = {10, 10, 10, 0};
  const double c2b[] = {0, 1, 0}, t2b[] = {10, 10, 10};
  INT_EQ(fs_stat_bootstrap_test(c2a, t2a, 4, c2b, t2b, 3, 500, r1, &b1), 0);
  NEAR(b1.p, 0.99201596806387227, EXACT);

  fs_stat_interval c1, c2, c3;
  gsl_rng_set(r1, 42);
  gsl_rng_set(r2, 42);
  gsl_rng_set(r3, 7);
  INT_EQ(fs_stat_bootstrap_ci(BA_C, BA_T, 8, 2000, 0.95, r1, &c1), 0);
  INT_EQ(fs_stat_bootstrap_ci(BA_C, BA_T, 8, 2000, 0.95, r2, &c2), 0);
  INT_EQ(fs_stat_bootstrap_ci(BA_C, BA_T, 8, 2000, 0.95, r3, &c3), 0);
  NEAR(c1.estimate, 22.0 / 3940.0, EXACT);
  NEAR(c1.lo, 0.0036192321239873208, EXACT);
  NEAR(c1.hi, 0.0067798527494439742, EXACT);
  NEAR(c3.lo, 0.0035964799588900321, EXACT);
  NEAR(c3.hi, 0.0067762677061218805, EXACT);
  OK(c1.lo == c2.lo && c1.hi == c2.hi, "same seed, same CI");
  OK(c1.lo != c3.lo && c1.hi != c3.hi, "other seed, other CI");
  OK(c1.lo <= c1.estimate && c1.estimate <= c1.hi, "CI covers estimate");
  gsl_rng_set(r1, 42);
  INT_EQ(fs_stat_bootstrap_ci(BA_C, BA_T, 8, 999, 0.90, r1, &c1), 0);
  NEAR(c1.lo, 0.0039739116517285523, EXACT);
  NEAR(c1.hi, 0.0065709513058891753, EXACT);

  /* degenerate and invalid */
  const double zc[] = {0, 0}, zt[] = {0, 0};
  INT_EQ(fs_stat_bootstrap_test(zc, zt, 2, BB_C, BB_T, 10, 100, r1, &b1), 0);
  OK(isnan(b1.p) && isnan(b1.rate_a) && !isnan(b1.rate_b), "no tokens in A");
  INT_EQ(fs_stat_bootstrap_test(NULL, NULL, 0, BB_C, BB_T, 10, 100, r1, &b1),
         0);
  OK(isnan(b1.p), "no documents in A");
  INT_EQ(fs_stat_bootstrap_ci(NULL, NULL, 0, 100, 0.95, r1, &c1), 0);
  OK(isnan(c1.lo) && isnan(c1.hi) && isnan(c1.estimate), "empty CI");
  /* all documents identical: every replicate ties */
  const double ec[] = {2, 2, 2}, et[] = {100, 100, 100};
  INT_EQ(fs_stat_bootstrap_test(ec, et, 3, ec, et, 3, 99, r1, &b1), 0);
  NEAR(b1.p, 1, EXACT);
  INT_EQ(fs_stat_bootstrap_ci(ec, et, 3, 99, 0.95, r1, &c1), 0);
  OK(c1.lo == 0.02 && c1.hi == 0.02, "constant CI [%g, %g]", c1.lo, c1.hi);
  INT_EQ(fs_stat_bootstrap_test(BA_C, BA_T, 8, BB_C, BB_T, 10, 0, r1, &b1),
         GSL_EINVAL);
  OK(isnan(b1.p), "error result is NAN");
  INT_EQ(fs_stat_bootstrap_test(BA_C, BA_T, 8, BB_C, BB_T, 10, 10, NULL, &b1),
         GSL_EINVAL);
  const double badc[] = {1}, badt[] = {0};
  INT_EQ(fs_stat_bootstrap_test(badc, badt, 1, BB_C, BB_T, 10, 10, r1, &b1),
         GSL_EINVAL);
  INT_EQ(fs_stat_bootstrap_ci(BA_C, BA_T, 8, 10, 1.0, r1, &c1), GSL_EINVAL);

  gsl_rng_free(r1);
  gsl_rng_free(r2);
  gsl_rng_free(r3);
}

typedef struct {
  const char *name;
  fs_stat_table t;
  double g2, q, g2w, g2_p, chi2, chi2_p, fisher, rr, rr_lo, rr_hi, h, pmi;
} table_ref;

/* Values from stats_refs.py (tN_g2, tN_williams_q, ...); pmi NAN
 * stands for -inf (a == 0). */
static const table_ref TABLE_REFS[] = {
    {.name = "t1",
     .t = {10, 990, 25, 1475},
     .g2 = 2.0152577925001962,
     .q = 1.0150823626002126,
     .g2w = 1.9853145584541103,
     .g2_p = 0.15883164688065332,
     .chi2 = 1.4790398918187966,
     .chi2_p = 0.22392480056491229,
     .fisher = 0.22329252347540735,
     .rr = 0.59999999999999998,
     .rr_lo = 0.28944246539952323,
     .rr_hi = 1.2437705003068045,
     .h = -0.058586699683101595,
     .pmi = -0.48542682717024194},
    {.name = "t2",
     .t = {3, 20, 1, 40},
     .g2 = 2.7110099152158669,
     .q = 1.1398964961117002,
     .g2w = 2.3782948052418709,
     .g2_p = 0.1230317764733507,
     .chi2 = 1.3075998586072817,
     .chi2_p = 0.25282967421293207,
     .fisher = 0.12821699277278337,
     .rr = 5.3478260869565215,
     .rr_lo = 0.58970680033112621,
     .rr_hi = 48.497395384068732,
     .h = 0.42538650832511599,
     .pmi = 1.0614005446641432},
    {.name = "t3",
     .t = {1200, 998800, 1500, 1198500},
     .g2 = 1.1139272695517142,
     .q = 1.0001872430807253,
     .g2w = 1.1137187334250063,
     .g2_p = 0.29127500468342699,
     .chi2 = 1.0720595365917656,
     .chi2_p = 0.30048070826401974,
     .fisher = 0.29641807606705645,
     .rr = 0.95999999999999985,
     .rr_lo = 0.88986575014399316,
     .rr_hi = 1.0356618398346846,
     .h = -0.0014295216054836801,
     .pmi = -0.032421477692377174},
    {.name = "t4",
     .t = {0, 500, 7, 800},
     .g2 = 6.7736621256694152,
     .q = 1.0769921890241081,
     .g2w = 6.2894254895267299,
     .g2_p = 0.012146041541761243,
     .chi2 = 2.884118049688849,
     .chi2_p = 0.089456977619790115,
     .fisher = 0.048399470702500745,
     .rr = 0, /* raw counts: a == 0 */
     .rr_lo = 0.0061541141538297333,
     .rr_hi = 1.8784481153384622,
     .h = -0.18654005789279765,
     .pmi = NAN},
    {.name = "t5",
     .t = {7, 3, 2, 8},
     .g2 = 5.3002180366819118,
     .q = 1.0760101010101011,
     .g2w = 4.9258069526543933,
     .g2_p = 0.026458442692716373,
     .chi2 = 3.2323232323232323,
     .chi2_p = 0.072198197701657738,
     .fisher = 0.069778518694927363,
     .rr = 3.4999999999999996,
     .rr_lo = 0.94976156473078865,
     .rr_hi = 12.897974033590502,
     .h = 1.0550179548607725,
     .pmi = 0.63742992061529158},
    {.name = "t6",
     .t = {6, 2, 1, 4},
     .g2 = 3.9434410272060965,
     .q = 1.1250228937728939,
     .g2w = 3.5052095819857607,
     .g2_p = 0.061176104771184757,
     .chi2 = 1.8590773809523808,
     .chi2_p = 0.17273132149675396,
     .fisher = 0.10256410256410256,
     .rr = 3.75,
     .rr_lo = 0.62103861273947547,
     .rr_hi = 22.643519600123792,
     .h = 1.167099884391583,
     .pmi = 0.4780472968046442},
    {.name = "t7",
     .t = {1, 9, 11, 3},
     .g2 = 12.221169703393979,
     .q = 1.0648809523809524,
     .g2w = 11.476559587312401,
     .g2_p = 0.00070479478336998109,
     .chi2 = 8.4000000000000004,
     .chi2_p = 0.0037522101008738498,
     .fisher = 0.0027594561852200836,
     .rr = 0.12727272727272729,
     .rr_lo = 0.019432203414004902,
     .rr_hi = 0.83358262376791392,
     .h = -1.535540796911822,
     .pmi = -2.3219280948873626},
    {.name = "t8",
     .t = {150, 99850, 90, 119910},
     .g2 = 28.122014461493801,
     .q = 1.0021064839911062,
     .g2w = 28.062900411033951,
     .g2_p = 1.1743566335141792e-07,
     .chi2 = 27.471670483962303,
     .chi2_p = 1.5941256935240914e-07,
     .fisher = 1.199259646702863e-07,
     .rr = 2,
     .rr_lo = 1.5402633858423829,
     .rr_hi = 2.5969584402036325,
     .h = 0.022699940329658858,
     .pmi = 0.45943161863729731},
    {.name = "t9",
     .t = {300, 999700, 100, 1199900},
     .g2 = 144.45907212291172,
     .q = 1.001263888930678,
     .g2w = 144.27672237055307,
     .g2_p = 3.0909362008561905e-33,
     .chi2 = 139.66958196944898,
     .chi2_p = 3.1439028610382869e-32,
     .fisher = 4.9832076967728385e-33,
     .rr = 3.5999999999999996,
     .rr_lo = 2.8709192035791053,
     .rr_hi = 4.514233623796545,
     .h = 0.01638507626778055,
     .pmi = 0.72246602447109121},
    {.name = "t10",
     .t = {10, 1e7, 40, 1e7},
     .g2 = 19.274430702288242,
     .q = 1.0100000000000926,
     .g2w = 19.083594754739085,
     .g2_p = 1.2511576415560473e-05,
     .chi2 = 16.819955050150345,
     .chi2_p = 4.1098851550000915e-05,
     .fisher = 2.3860802536751906e-05,
     .rr = 0.25000074999925004,
     .rr_lo = 0.12502485531306534,
     .rr_hi = 0.49990359791807021,
     .h = -0.0019999953333457335,
     .pmi = -1.321925930848588},
    {.name = "t11",
     .t = {499970000, 500030000, 500030000, 499970000},
     .g2 = 7.2000000043199996,
     .q = 1.0000000007500001,
     .g2w = 7.1999999989199992,
     .g2_p = 0.007290358095923038,
     .chi2 = 7.1997600019999997,
     .chi2_p = 0.0072913331282795845,
     .fisher = 0.0072913331131664377,
     .rr = 0.99988000719956815,
     .rr_lo = 0.99979236930372017,
     .rr_hi = 0.99996765277741195,
     .h = -0.00012000000007184042,
     .pmi = -8.6564299408216515e-05},
    {.name = "t12",
     .t = {0, 5, 8, 13},
     .g2 = 4.1863776024713264,
     .q = 1.1287867996201331,
     .g2w = 3.708740750582975,
     .g2_p = 0.054128212807548447,
     .chi2 = 1.2535714285714286,
     .chi2_p = 0.26287144847185984,
     .fisher = 0.28051079355427183,
     .rr = 0, /* raw counts: a == 0 */
     .rr_lo = 0.014415085161108884,
     .rr_hi = 3.2272143030710945,
     .h = -1.3303921100256373,
     .pmi = NAN},
};

static void test_tables(void) {
  for (size_t i = 0; i < N_OF(TABLE_REFS); i++) {
    const table_ref *e = &TABLE_REFS[i];
    fs_stat_table t = e->t;
    int failed_before = harness_failed;
    fs_stat_g2_result g = fs_stat_g2(t);
    NEAR(g.g2, e->g2, EXACT);
    NEAR(g.williams_q, e->q, EXACT);
    NEAR(g.g2_williams, e->g2w, EXACT);
    NEAR(g.p, e->g2_p, EXACT);
    fs_stat_chi2_result c = fs_stat_chi2_yates(t);
    NEAR(c.chi2, e->chi2, EXACT);
    NEAR(c.p, e->chi2_p, EXACT);
    NEAR(fs_stat_fisher(t), e->fisher, EXACT);
    fs_stat_rate_ratio_result rr = fs_stat_rate_ratio(t, 0.95);
    NEAR(rr.ratio, e->rr, EXACT);
    NEAR(rr.lo, e->rr_lo, EXACT);
    NEAR(rr.hi, e->rr_hi, EXACT);
    INT_EQ(rr.corrected, t.a == 0 || t.c == 0);
    NEAR(fs_stat_cohens_h(t.a / (t.a + t.b), t.c / (t.c + t.d)), e->h, EXACT);
    double pmi = fs_stat_pmi(t);
    if (isnan(e->pmi))
      OK(isinf(pmi) && pmi < 0, "%s: pmi = %g, want -inf", e->name, pmi);
    else
      NEAR(pmi, e->pmi, EXACT);
    OK(in01(g.p) && in01(c.p) && in01(fs_stat_fisher(t)), "%s: p range",
       e->name);
    if (harness_failed != failed_before)
      fprintf(stderr, "  (failures above are for table %s)\n", e->name);
  }
}

static void test_tables_degenerate(void) {
  /* a zero row or column: asymptotic tests undefined, Fisher p = 1 */
  const fs_stat_table zero_row = {0, 0, 5, 100}, zero_col = {0, 10, 0, 20};
  const fs_stat_table empty = {0, 0, 0, 0}, neg = {-1, 2, 3, 4};
  const fs_stat_table frac = {1.5, 2, 3, 4}, inf = {INFINITY, 1, 1, 1};
  fs_stat_g2_result g = fs_stat_g2(zero_row);
  OK(isnan(g.g2) && isnan(g.p) && isnan(g.williams_q), "g2 zero row");
  OK(isnan(fs_stat_g2(zero_col).p), "g2 zero column");
  OK(isnan(fs_stat_g2(empty).p), "g2 empty");
  OK(isnan(fs_stat_chi2_yates(zero_col).chi2), "chi2 zero column");
  OK(isnan(fs_stat_chi2_yates(neg).p), "chi2 negative cell");
  NEAR(fs_stat_fisher(zero_row), 1, EXACT);
  NEAR(fs_stat_fisher(zero_col), 1, EXACT);
  NEAR(fs_stat_fisher(empty), 1, EXACT);
  OK(isnan(fs_stat_fisher(neg)), "fisher negative");
  OK(isnan(fs_stat_fisher(frac)), "fisher non-integer");
  OK(isnan(fs_stat_fisher(inf)), "fisher infinite");
  /* the 2x2 tests other than Fisher accept weighted (fractional) counts */
  OK(!isnan(fs_stat_g2(frac).p), "g2 fractional counts");
  /* a table exactly at expectation */
  const fs_stat_table indep = {10, 90, 20, 180};
  g = fs_stat_g2(indep);
  NEAR(g.g2, 0, EXACT);
  NEAR(g.p, 1, EXACT);
  NEAR(fs_stat_chi2_yates(indep).p, 1, EXACT);
  NEAR(fs_stat_fisher(indep), 1, EXACT);
  NEAR(fs_stat_pmi(indep), 0, 1e-12);
  /* symmetric margins: the mirror table has exactly the same probability */
  NEAR(fs_stat_fisher((fs_stat_table){2, 3, 3, 2}), 1, EXACT);
  NEAR(fs_stat_fisher((fs_stat_table){0, 5, 5, 0}), 2.0 / 252.0,
       EXACT); /* 2 / C(10, 5) */

  fs_stat_rate_ratio_result rr = fs_stat_rate_ratio(zero_col, 0.95);
  OK(isnan(rr.ratio) && isnan(rr.lo), "rate ratio a = c = 0");
  OK(isnan(fs_stat_rate_ratio(zero_row, 0.95).ratio), "rate ratio empty A");
  OK(isnan(fs_stat_rate_ratio(T1, 1.5).lo), "rate ratio bad level");
  /* no match in B: the point estimate is +inf, not the corrected value; the
   * interval is the corrected one (the seeds' 0-against-1 row: 0.5 / 1.5
   * times the word ratio) */
  rr = fs_stat_rate_ratio((fs_stat_table){1, 99, 0, 200}, 0.95);
  OK(isinf(rr.ratio) && rr.ratio > 0 && rr.corrected, "rr 1 vs 0: %g",
     rr.ratio);
  OK(isfinite(rr.lo) && rr.lo < rr.hi, "rr 1 vs 0 interval");
  rr = fs_stat_rate_ratio((fs_stat_table){0, 100, 1, 199}, 0.95);
  OK(rr.ratio == 0 && isfinite(rr.lo) && rr.lo > 0, "rr 0 vs 1: %g", rr.ratio);
  rr = fs_stat_rate_ratio(T1, 0.99);
  OK(rr.lo < 0.28944246539952323 && rr.hi > 1.2437705003068045,
     "99%% CI wider than 95%%");
  OK(isnan(fs_stat_pmi(zero_col)), "pmi absent term");
  OK(isnan(fs_stat_pmi(zero_row)), "pmi empty A");
  NEAR(fs_stat_cohens_h(0, 1), -acos(-1.0), EXACT);
  NEAR(fs_stat_cohens_h(0.3, 0.3), 0, EXACT);
  OK(isnan(fs_stat_cohens_h(-0.1, 0.5)), "h out of range");
  OK(isnan(fs_stat_cohens_h(NAN, 0.5)), "h NaN");
}

static void check_log_odds(double ya, double na, double yb, double nb,
                           double aw, double a0, double delta, double var,
                           double z, double p) {
  fs_stat_log_odds_result r = fs_stat_log_odds(ya, na, yb, nb, aw, a0);
  NEAR(r.delta, delta, EXACT);
  NEAR(r.var, var, EXACT);
  NEAR(r.z, z, EXACT);
  NEAR(r.p, p, EXACT);
  fs_stat_log_odds_result s = fs_stat_log_odds(yb, nb, ya, na, aw, a0);
  OK(s.z == -r.z && s.delta == -r.delta, "swap flips z exactly: %.17g %.17g",
     r.z, s.z);
  OK(s.var == r.var && s.p == r.p, "swap keeps var and p");
}

static void test_log_odds(void) {
  check_log_odds(10, 1000, 25, 1500, 2.5, 250, -0.45777385191930176,
                 0.11636363636363636, -1.3419685559233561, 0.179606191279436);
  check_log_odds(0, 800, 12, 900, 0.1, 100, -4.7024927135862153,
                 10.082644628099173, -1.4809517222074129, 0.13861943881329142);
  check_log_odds(1200, 1e6, 1500, 1.2e6, 27, 22000, -0.040054555397979641,
                 0.0014698747724336035, -1.0447484786462125,
                 0.29613923259075481);
  /* equal sides: delta 0, p 1 */
  fs_stat_log_odds_result r = fs_stat_log_odds(5, 100, 5, 100, 1, 10);
  NEAR(r.z, 0, EXACT);
  NEAR(r.p, 1, EXACT);
  OK(isnan(fs_stat_log_odds(5, 100, 5, 100, 0, 10).z), "alpha_w = 0");
  OK(isnan(fs_stat_log_odds(5, 100, 5, 100, 1, -1).z), "alpha_0 < 0");
  OK(isnan(fs_stat_log_odds(5, 3, 5, 100, 1, 0).z), "y > n + a0");
  OK(isnan(fs_stat_log_odds(NAN, 100, 5, 100, 1, 10).p), "NaN input");
  r = fs_stat_log_odds(0, 0, 0, 0, 1, 10);
  NEAR(r.delta, 0, EXACT); /* empty sides: prior only, still defined */
}

static void test_bh(void) {
  const double p[] = {0.01, 0.04,  NAN, 0.03,   0.2, 0.04,
                      0.9,  0.001, 1.0, 0.0005, 0.5};
  const double want[] = {0.033333333333333333,
                         0.066666666666666666,
                         NAN,
                         0.066666666666666666,
                         0.28571428571428575,
                         0.066666666666666666,
                         1,
                         0.0050000000000000001,
                         1,
                         0.0050000000000000001,
                         0.625};
  enum { N = sizeof(p) / sizeof(p[0]) };
  double q[N], inplace[N];
  INT_EQ(fs_stat_bh(p, N, q), 0);
  for (size_t i = 0; i < N; i++) {
    NEAR(q[i], want[i], EXACT);
    OK(isnan(p[i]) || (in01(q[i]) && q[i] >= p[i]), "q[%zu] range", i);
  }
  /* monotone: p_i <= p_j implies q_i <= q_j */
  for (size_t i = 0; i < N; i++)
    for (size_t j = 0; j < N; j++)
      if (!isnan(p[i]) && !isnan(p[j]) && p[i] <= p[j])
        OK(q[i] <= q[j], "monotone at %zu, %zu", i, j);
  memcpy(inplace, p, sizeof p);
  INT_EQ(fs_stat_bh(inplace, N, inplace), 0);
  for (size_t i = 0; i < N; i++)
    NEAR(inplace[i], want[i], EXACT);

  double one = 0.3, q1;
  INT_EQ(fs_stat_bh(&one, 1, &q1), 0);
  NEAR(q1, 0.3, EXACT);
  const double nans[] = {NAN, NAN};
  double qn[2];
  INT_EQ(fs_stat_bh(nans, 2, qn), 0);
  OK(isnan(qn[0]) && isnan(qn[1]), "all NaN");
  INT_EQ(fs_stat_bh(NULL, 0, NULL), 0);
  const double bad[] = {0.5, 1.5};
  INT_EQ(fs_stat_bh(bad, 2, qn), GSL_EINVAL);
  OK(isnan(qn[0]) && isnan(qn[1]), "invalid p gives NaN q");
}

/* All p-values stay in [0, 1] over a sweep of small and extreme tables. */
static void test_p_ranges(void) {
  const double cells[] = {0, 1, 2, 5, 40, 1000};
  size_t nc = N_OF(cells);
  int bad = 0;
  for (size_t i = 0; i < nc * nc * nc * nc; i++) {
    fs_stat_table t = {cells[i % nc], cells[i / nc % nc],
                       cells[i / nc / nc % nc], cells[i / nc / nc / nc]};
    double ps[] = {fs_stat_g2(t).p, fs_stat_chi2_yates(t).p, fs_stat_fisher(t),
                   fs_stat_log_odds(t.a, t.a + t.b, t.c, t.c + t.d, 0.5, 50).p};
    for (size_t k = 0; k < N_OF(ps); k++)
      if (!(isnan(ps[k]) || in01(ps[k])) || (k == 2 && isnan(ps[k])))
        bad++;
  }
  INT_EQ(bad, 0);
}

/* The permutation test against tests/ref/perm_refs.h (itertools
 * enumeration, checked against scipy.stats.permutation_test); Monte Carlo
 * (forced with max_exact 0) within 1.5 times its 95% error (2.9 standard
 * errors) of the exact p: the seeds are fixed, so this is deterministic. */
static void test_permutation(void) {
  fs_stat_perm_result r;
  for (size_t i = 0; i < N_OF(PERM_REFS); i++) {
    const perm_ref *e = &PERM_REFS[i];
    INT_EQ(fs_stat_permutation(e->v, e->nx, e->v + e->nx, e->ny,
                               FS_STAT_PERM_EXACT_MAX, 0, NULL, &r),
           0);
    INT_EQ(r.method, FS_STAT_PERM_EXACT);
    NEAR(r.p, e->p, EXACT);
    NEAR(r.diff, e->diff, 1e-12);
    NEAR(r.arrangements, e->arrangements, EXACT);
    OK(r.err == 0 && r.min_p <= r.p, "case %zu: err %g min_p %g", i, r.err,
       r.min_p);
    /* swapping the sides negates the difference, keeps p */
    fs_stat_perm_result s;
    INT_EQ(fs_stat_permutation(e->v + e->nx, e->ny, e->v, e->nx,
                               FS_STAT_PERM_EXACT_MAX, 0, NULL, &s),
           0);
    NEAR(s.p, e->p, EXACT);
    gsl_rng *rng = seeded(5 + (unsigned long)i);
    if (!rng)
      continue;
    INT_EQ(fs_stat_permutation(e->v, e->nx, e->v + e->nx, e->ny, 0, 20000, rng,
                               &r),
           0);
    INT_EQ(r.method, FS_STAT_PERM_MONTE_CARLO);
    OK(fabs(r.p - e->p) <= 1.5 * r.err + 1e-12 || (e->p == 1 && r.p == 1),
       "case %zu: Monte Carlo p %g +- %g, exact %g", i, r.p, r.err, e->p);
    OK(r.p >= 2.0 / 20001.0 && r.used == 20001, "case %zu: p %g used %zu", i,
       r.p, r.used);
    gsl_rng_free(rng);
  }
  /* the same seed gives the same Monte Carlo p */
  double big[30];
  lcg_data(big, 30, 7919, 1009, 8.0, 0.0, 0);
  fs_stat_perm_result m1, m2;
  gsl_rng *r1 = seeded(3), *r2 = seeded(3);
  OK(r1 && r2, "gsl_rng_alloc");
  if (r1 && r2) {
    INT_EQ(fs_stat_permutation(big, 15, big + 15, 15, FS_STAT_PERM_EXACT_MAX,
                               999, r1, &m1),
           0);
    INT_EQ(fs_stat_permutation(big, 15, big + 15, 15, FS_STAT_PERM_EXACT_MAX,
                               999, r2, &m2),
           0);
    INT_EQ(m1.method, FS_STAT_PERM_MONTE_CARLO); /* C(30, 15) > 100,000 */
    OK(m1.p == m2.p && in01(m1.p), "same seed: %g %g", m1.p, m2.p);
    NEAR(m1.min_p, 2.0 / 1000.0, EXACT);
  }
  gsl_rng_free(r1), gsl_rng_free(r2);
  /* several measures at once: each column as if alone, with the same
   * generator state (exact and Monte Carlo); a NaN spoils its column only */
  double mv[30 * 3];
  for (size_t i = 0; i < 30; i++) {
    mv[i * 3] = big[i];
    mv[i * 3 + 1] = (double)(i % 4 == 0) * big[29 - i];
    mv[i * 3 + 2] = i == 7 ? NAN : 1.0;
  }
  for (int exact = 0; exact < 2; exact++) {
    size_t n = exact ? 12 : 30, nx = exact ? 5 : 13;
    fs_stat_perm_result mr[3], one;
    gsl_rng *ra = seeded(11), *rb = seeded(11);
    if (!ra || !rb)
      break;
    INT_EQ(fs_stat_permutation_multi(mv, n, 3, nx, FS_STAT_PERM_EXACT_MAX, 3000,
                                     ra, mr),
           0);
    for (size_t j = 0; j < 3; j++) {
      double col[30];
      for (size_t i = 0; i < n; i++)
        col[i] = mv[i * 3 + j];
      gsl_rng_set(rb, 11);
      INT_EQ(fs_stat_permutation(col, nx, col + nx, n - nx,
                                 FS_STAT_PERM_EXACT_MAX, 3000, rb, &one),
             0);
      OK((isnan(one.p) && isnan(mr[j].p)) ||
             (one.p == mr[j].p && one.diff == mr[j].diff &&
              one.method == mr[j].method),
         "multi column %zu (exact %d): %g vs %g", j, exact, mr[j].p, one.p);
    }
    OK(isnan(mr[2].p) == (n > 7), "NaN column undefined");
    gsl_rng_free(ra), gsl_rng_free(rb);
  }

  /* degenerate and invalid */
  INT_EQ(fs_stat_permutation(big, 0, big, 3, 10, 0, NULL, &r), 0);
  OK(isnan(r.p) && r.method == FS_STAT_PERM_NONE, "empty side");
  const double withnan[] = {1, NAN, 2};
  INT_EQ(fs_stat_permutation(withnan, 2, withnan + 2, 1, 10, 0, NULL, &r), 0);
  OK(isnan(r.p), "NaN input");
  INT_EQ(fs_stat_permutation(big, 15, big + 15, 15, 10, 0, NULL, &r),
         GSL_EINVAL); /* Monte Carlo without a generator */
  OK(isnan(r.p), "error result is NAN");
  INT_EQ(fs_stat_permutation(NULL, 2, big, 2, 10, 0, NULL, &r), GSL_EINVAL);
  INT_EQ(fs_stat_permutation(big, 2, big, 2, 10, 0, NULL, NULL), GSL_EINVAL);
}

/* All p-values of the document-level tests stay in [0, 1] (or are NAN) over
 * random small samples, with and without ties. */
static void test_random_samples(void) {
  gsl_rng *rng = seeded(1);
  OK(rng != NULL, "gsl_rng_alloc");
  if (!rng)
    return;
  double x[60], y[60], v[120], tok[60];
  size_t g[120];
  int bad = 0;
  for (int trial = 0; trial < 400; trial++) {
    size_t nx = 1 + gsl_rng_uniform_int(rng, 60);
    size_t ny = 1 + gsl_rng_uniform_int(rng, 60);
    int ties = trial % 2;
    for (size_t i = 0; i < nx; i++)
      x[i] = ties ? (double)gsl_rng_uniform_int(rng, 5) : gsl_rng_uniform(rng);
    for (size_t i = 0; i < ny; i++)
      y[i] = ties ? (double)gsl_rng_uniform_int(rng, 5) : gsl_rng_uniform(rng);
    fs_stat_mwu_result m;
    fs_stat_welch_result w;
    fs_stat_kruskal_result k;
    fs_stat_bootstrap_result b;
    bad += fs_stat_mann_whitney(x, nx, y, ny, &m) != 0;
    bad += !(isnan(m.p) || in01(m.p));
    bad += !ties && nx <= FS_STAT_MWU_EXACT_MAX &&
           ny <= FS_STAT_MWU_EXACT_MAX && m.method != FS_STAT_MWU_EXACT;
    bad += !(m.u >= 0 && m.u <= (double)(nx * ny));
    bad += fs_stat_welch(x, nx, y, ny, &w) != 0;
    bad += !(isnan(w.p) || in01(w.p));
    for (size_t i = 0; i < nx + ny; i++) {
      v[i] = i < nx ? x[i] : y[i - nx];
      g[i] = i % 3;
    }
    bad += fs_stat_kruskal(v, g, nx + ny, 3, &k) != 0;
    bad += !(isnan(k.p) || in01(k.p));
    for (size_t i = 0; i < 60; i++)
      tok[i] = 10.0;
    bad += fs_stat_bootstrap_test(x, tok, nx, y, tok, ny, 50, rng, &b) != 0;
    bad += !in01(b.p);
  }
  INT_EQ(bad, 0);
  gsl_rng_free(rng);
}

int main(void) {
  gsl_set_error_handler_off();
  test_mann_whitney();
  test_mann_whitney_ties();
  test_mann_whitney_ranked();
  test_welch();
  test_kruskal();
  test_bootstrap();
  test_permutation();
  test_tables();
  test_tables_degenerate();
  test_log_odds();
  test_bh();
  test_p_ranges();
  test_random_samples();
  DONE();
}
