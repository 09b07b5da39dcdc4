/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stats.h - significance tests, effect sizes and FDR control for framescore.
 * Document-level tests (MWU, Welch, Kruskal, permutation, bootstrap) and 2x2
 * token tests. */
#ifndef FS_STATS_H
#define FS_STATS_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

/*
 * Conventions for the whole module
 *
 * - Functions that take arrays, allocate or use a random generator return an
 *   int status: 0 (GSL_SUCCESS) when the result was written, GSL_EINVAL for
 *   invalid arguments (NULL pointers where data is needed, out-of-range
 *   parameters) and GSL_ENOMEM when an allocation failed.  On any failure the
 *   result fields are set to NAN, so a caller that ignores the status still
 *   never reads garbage.
 * - A statistic that is mathematically undefined for valid input (n = 0, zero
 *   variance, a zero margin, ...) is NAN with status 0; it is not an error.
 * - Functions of scalars and 2x2 tables return their result by value and give
 *   NAN for invalid input (negative or non-finite counts).
 * - All p-values are two-sided and lie in [0, 1] (or are NAN).
 * - No function keeps state between calls or calls abort(): the caller must
 *   have switched GSL's error handler off (gsl_set_error_handler_off()).
 *   Functions are reentrant; those that take a gsl_rng advance it, so one
 *   generator must not be shared between threads without locking.
 * - Memory: inputs are borrowed (never freed or kept); outputs go to
 *   caller-owned storage; temporary buffers are freed before returning.
 */

/* ---------------------------------------------------------------------- */
/* Document-level tests                                                    */
/* ---------------------------------------------------------------------- */

/* Largest sample size (each side) for which the exact MWU p is used. */
#define FS_STAT_MWU_EXACT_MAX 50

/* How the Mann-Whitney p-value was obtained. */
typedef enum {
  FS_STAT_MWU_NONE = 0,  /* no p-value (undefined input or error) */
  FS_STAT_MWU_EXACT,     /* exact null distribution (given the ties) */
  FS_STAT_MWU_ASYMPTOTIC /* normal approx., tie + continuity correction */
} fs_stat_mwu_method;

typedef struct {
  double u; /* U of x: (rank sum of x) - nx(nx+1)/2, average ranks for ties */
  double p; /* two-sided p-value */
  fs_stat_mwu_method method;
} fs_stat_mwu_result;

/**
 * Two-sided Mann-Whitney U test of x (nx values) against y (ny values).
 *
 * Exact p (as scipy mannwhitneyu(method='exact'): 2 * P(U >= max(U_x, U_y)),
 * capped at 1) when the pooled sample has no ties and nx, ny <=
 * FS_STAT_MWU_EXACT_MAX; the null distribution is counted by dynamic
 * programming.  With ties, when C(nx + ny, nx) <= FS_STAT_PERM_EXACT_MAX,
 * the exact distribution given the ties: fs_stat_permutation on the average
 * ranks (p = min(1, 2 x the smaller tail of the rank sum), as
 * scipy.stats.permutation_test with U as the statistic; SciPy's and R's
 * defaults use the normal approximation there, which can give p below
 * anything the relabellings allow).  Otherwise the normal approximation
 * with tie correction and continuity correction (scipy method='asymptotic',
 * use_continuity=True).
 *
 * All values equal: p = 1 (as scipy).  Undefined (u and/or p NAN, method
 * NONE): nx or ny == 0, a NaN value.
 * Returns 0, GSL_EINVAL (NULL out, or NULL data with a non-zero size) or
 * GSL_ENOMEM.  x and y are only read.  Reentrant.
 */
int fs_stat_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
                         fs_stat_mwu_result *out);

/**
 * Average (1-based) ranks of v[0..n-1] into rank[], ties sharing the mean of
 * their positions, and *ties = the sum over tie groups of t^3 - t (in
 * ascending order of value: the same for any order of v).  v must not
 * contain NaN.  Returns 0, GSL_EINVAL or GSL_ENOMEM.  Reentrant.
 */
int fs_stat_ranks(const double *v, size_t n, double *rank, double *ties);

/**
 * fs_stat_mann_whitney from the average ranks of the pooled sample (x's
 * nx first, then y's ny, as fs_stat_ranks gives them for x and y pooled,
 * or for any arrangement of the same values: a rank depends only on the
 * values) and their tie term, so that many comparisons of one pool (each
 * outlet against the rest) rank it once; the same result, bit for bit.
 * rank is only read.  Returns 0, GSL_EINVAL or GSL_ENOMEM.
 */
int fs_stat_mann_whitney_ranked(const double *rank, size_t nx, size_t ny,
                                double ties, fs_stat_mwu_result *out);

typedef struct {
  double t;  /* (mean x - mean y) / sqrt(var x / nx + var y / ny) */
  double df; /* Welch-Satterthwaite degrees of freedom */
  double p;  /* two-sided p-value from Student's t with df */
} fs_stat_welch_result;

/**
 * Welch's unequal-variance t-test (scipy ttest_ind(equal_var=False)).
 *
 * Variances use n - 1.  Undefined (NAN fields): nx < 2 or ny < 2, both sample
 * variances zero, or non-finite data.
 * Returns 0 or GSL_EINVAL (NULL out, or NULL data with a non-zero size).
 * x and y are only read.  Reentrant.
 */
int fs_stat_welch(const double *x, size_t nx, const double *y, size_t ny,
                  fs_stat_welch_result *out);

typedef struct {
  double h;  /* tie-corrected Kruskal-Wallis H */
  double df; /* k - 1 */
  double p;  /* upper tail of chi-square(df) at h */
} fs_stat_kruskal_result;

/**
 * Kruskal-Wallis H test across k groups (scipy kruskal).
 *
 * values[i] belongs to group group[i], 0 <= group[i] < k; the order of the
 * values is irrelevant.  H is divided by the tie correction
 * 1 - sum(t^3 - t) / (N^3 - N).  Undefined (NAN fields, df = k - 1 if k >= 1):
 * k < 2, an empty group, a NaN value, or all values equal.
 * Returns 0, GSL_EINVAL (NULL out; NULL values/group with n > 0; a label
 * >= k) or GSL_ENOMEM.  Inputs are only read.  Reentrant.
 */
int fs_stat_kruskal(const double *values, const size_t *group, size_t n,
                    size_t k, fs_stat_kruskal_result *out);

/* Largest number of arrangements the permutation test enumerates. */
#define FS_STAT_PERM_EXACT_MAX 100000

/* How the permutation p-value was obtained. */
typedef enum {
  FS_STAT_PERM_NONE = 0,   /* no p-value (undefined input or error) */
  FS_STAT_PERM_EXACT,      /* every arrangement enumerated */
  FS_STAT_PERM_MONTE_CARLO /* random arrangements */
} fs_stat_perm_method;

typedef struct {
  double diff;         /* mean x - mean y */
  double p;            /* two-sided p-value */
  double err;          /* 95% Monte Carlo half-width of p; 0 when exact */
  double min_p;        /* the smallest p the test can give here */
  double arrangements; /* C(nx + ny, nx), the relabellings (as a double) */
  size_t used;         /* arrangements counted, the observed one included */
  fs_stat_perm_method method;
} fs_stat_perm_result;

/**
 * Two-sided permutation test of the difference in means of x and y (the
 * per-document rates of two sides): every way of relabelling the nx + ny
 * values into groups of nx and ny is equally likely under the null.
 *
 * With S = the sum of the smaller group (x when nx <= ny), GE = #{S* >=
 * S - tol} and LE = #{S* <= S + tol} over the arrangements counted (tol =
 * 1e-12 x the sum of |values|, so that ties are ties whatever the order of
 * summation), p = min(1, 2 min(GE, LE) / M), as scipy.stats.permutation_test
 * (statistic mean x - mean y, permutation_type 'independent',
 * alternative 'two-sided'):
 * - when C(nx + ny, nx) <= max_exact (FS_STAT_PERM_EXACT_MAX), every
 *   arrangement is enumerated (M = C, the observed one included); rng may
 *   be NULL;
 * - otherwise `draws` random arrangements (partial Fisher-Yates shuffles
 *   of the smaller group with gsl_rng_uniform_int) are counted with the
 *   observed one, M = draws + 1 (GE and LE get +1), so p >= 2 / (draws +
 *   1); err = 1.96 x 2 sqrt(t (1 - t) / draws) with t = min(GE, LE) / M.
 * min_p = min(1, 2 / M) is what the most extreme arrangement would give
 * (with distinct values): with 3 documents a side, C(6, 3) = 20 and no p is
 * below 0.1.  All values equal gives p = 1.
 *
 * Undefined (NAN fields, method NONE): nx or ny == 0, a non-finite value.
 * Returns 0, GSL_EINVAL (NULL out; NULL data with a non-zero size; Monte
 * Carlo needed with rng NULL or draws 0) or GSL_ENOMEM.  x and y are only
 * read; rng is advanced (Monte Carlo only).  Reentrant.
 */
int fs_stat_permutation(const double *x, size_t nx, const double *y, size_t ny,
                        size_t max_exact, size_t draws, gsl_rng *rng,
                        fs_stat_perm_result *out);

/**
 * The same test for m measures of the same documents at once, the
 * relabellings shared: v is n x m (row-major; v[i * m + j] is document i's
 * value for measure j), documents [0, nx) are side x and [nx, n) side y;
 * out[j] (m results, caller-owned) is what fs_stat_permutation gives for
 * column j with a generator in the same state (it is that function's
 * implementation), at the cost of one set of draws for all m.  A column with
 * a non-finite value is undefined on its own.  Returns 0, GSL_EINVAL (NULL
 * out with m > 0; NULL v with n, m > 0; nx > n; Monte Carlo needed with rng
 * NULL or draws 0) or GSL_ENOMEM.  Reentrant; rng is advanced.
 */
int fs_stat_permutation_multi(const double *v, size_t n, size_t m, size_t nx,
                              size_t max_exact, size_t draws, gsl_rng *rng,
                              fs_stat_perm_result *out);

typedef struct {
  double rate_a; /* observed pooled rate of A: sum(count_a) / sum(tokens_a) */
  double rate_b; /* observed pooled rate of B */
  double p;      /* two-sided bootstrap p-value, >= 2 / (iterations + 1) */
} fs_stat_bootstrap_result;

/**
 * Bootstrap test over documents (Lijffijt et al. 2016, "Significance testing
 * of word frequencies in corpora", Digital Scholarship in the Humanities).
 *
 * Document i of side A has count_a[i] occurrences (may be weighted, any
 * finite value) among tokens_a[i] >= 0 tokens; likewise for B.  Documents
 * with zero tokens are skipped (their count must then be 0).  Each of the
 * `iterations` replicates draws the remaining documents of A with
 * replacement (gsl_rng_uniform_int, A's draws first, then B's) and likewise
 * for B, and compares the pooled rates r_A* = sum count / sum tokens and
 * r_B*.  With G = #{r_A* > r_B*} + #{r_A* == r_B*} / 2 and L = N - G,
 *
 *   p_hi = (1 + G) / (N + 1),  p_lo = (1 + L) / (N + 1),
 *   p    = min(1, 2 * min(p_hi, p_lo)).
 *
 * This is the paper's p1 = (1 + G) / (N + 1), p = 2 min(p1, 1 - p1) with the
 * add-one also applied to the other tail, so that p is never 0 and does not
 * depend on which side is called A.
 *
 * Deterministic for a given generator type and seed.  Undefined (p NAN, rates
 * NAN where undefined): a side with no document with tokens > 0.
 * Returns 0, GSL_EINVAL (NULL out or rng; NULL arrays with a non-zero size;
 * iterations == 0; negative/non-finite tokens; non-finite count; non-zero
 * count in a zero-token document; more documents than the generator's range)
 * or GSL_ENOMEM.  Arrays are only read; rng is advanced (not thread-safe for a
 * shared rng; otherwise reentrant).
 */
int fs_stat_bootstrap_test(const double *count_a, const double *tokens_a,
                           size_t na, const double *count_b,
                           const double *tokens_b, size_t nb, size_t iterations,
                           gsl_rng *rng, fs_stat_bootstrap_result *out);

typedef struct {
  double estimate; /* observed value of the statistic */
  double lo, hi;   /* interval bounds */
} fs_stat_interval;

/**
 * Percentile bootstrap confidence interval for one side's pooled rate
 * sum(count) / sum(tokens), resampling documents with replacement.
 *
 * Inputs as for fs_stat_bootstrap_test (zero-token documents skipped).  The
 * `iterations` replicate rates are sorted (gsl_sort) and the bounds are the
 * (1 - level) / 2 and (1 + level) / 2 quantiles with linear interpolation
 * (gsl_stats_quantile_from_sorted_data, as numpy.percentile's default).
 * Deterministic for a given generator type and seed.  Undefined (NAN
 * fields): no document with tokens > 0.
 * Returns 0, GSL_EINVAL (as fs_stat_bootstrap_test, or level not in (0, 1))
 * or GSL_ENOMEM.  Arrays are only read; rng is advanced.
 */
int fs_stat_bootstrap_ci(const double *count, const double *tokens, size_t n,
                         size_t iterations, double level, gsl_rng *rng,
                         fs_stat_interval *out);

/* ---------------------------------------------------------------------- */
/* Token-level tests on a 2x2 table                                        */
/* ---------------------------------------------------------------------- */

/* a = term count in A, b = other tokens in A, c = term count in B,
 * d = other tokens in B.  Cells are non-negative and finite; they may be
 * non-integer (weighted counts) except for fs_stat_fisher. */
typedef struct {
  double a, b, c, d;
} fs_stat_table;

typedef struct {
  double g2;          /* uncorrected G^2 = 2 sum O ln(O / E) */
  double williams_q;  /* Williams (1976) correction factor q >= 1 */
  double g2_williams; /* g2 / williams_q */
  double p;           /* upper tail of chi-square(1) at g2_williams */
} fs_stat_g2_result;

/**
 * Log-likelihood ratio test G^2 with Williams' correction, df = 1.
 *
 * q = 1 + (N (1/R1 + 1/R2) - 1) (N (1/C1 + 1/C2) - 1) / (6 N) with row totals
 * R, column totals C and grand total N.  All fields NAN if any row or column
 * total is zero or a cell is invalid.  Pure function, thread-safe.
 */
fs_stat_g2_result fs_stat_g2(fs_stat_table t);

typedef struct {
  double chi2; /* Pearson chi-square with Yates' continuity correction */
  double p;    /* upper tail of chi-square(1) */
} fs_stat_chi2_result;

/**
 * Pearson chi-square with Yates' correction (scipy chi2_contingency with
 * correction=True: |O - E| is reduced by min(0.5, |O - E|)).
 *
 * All fields NAN if a row or column total is zero or a cell is invalid.
 * Pure function, thread-safe.
 */
fs_stat_chi2_result fs_stat_chi2_yates(fs_stat_table t);

/**
 * Two-sided Fisher exact test p-value (as R fisher.test and scipy
 * fisher_exact): the hypergeometric probability of all tables with the same
 * margins whose probability is <= P(observed) * (1 + 1e-7) (R's tolerance;
 * scipy 1.10 uses 1e-14, which only matters for near-ties).
 *
 * Probabilities are taken relative to the mode with the exact ratio
 * recurrence P(x+1)/P(x) and summed outward from the mode until the rest is
 * provably < 1e-17 relative, so large margins cost O(sd * sqrt(-ln p)) steps
 * and keep ~1e-14 relative accuracy (no differences of huge ln-gamma
 * values).  When a gsl_sf_lnchoose_e estimate shows that p underflows
 * (< ~5e-324), 0 is returned without walking.  Returns 1 when the margins
 * admit a single table (e.g. a zero row), NAN for a negative, non-finite,
 * non-integer or > 2^53 cell.  Pure function, thread-safe.
 */
double fs_stat_fisher(fs_stat_table t);

typedef struct {
  double ratio;  /* (a / (a + b)) / (c / (c + d)): 0 or +INFINITY possible */
  double lo, hi; /* confidence interval, exp(log ratio -/+ z SE) */
  int corrected; /* 1 if the interval added 0.5 to every cell (a or c 0) */
} fs_stat_rate_ratio_result;

/**
 * Rate ratio of the term in A versus B with a Wald confidence interval on
 * the log scale, SE = sqrt(1/a - 1/(a+b) + 1/c - 1/(c+d)), z the two-sided
 * normal quantile for `level` (e.g. 0.95).
 *
 * The ratio is always that of the raw counts: 0 when a is 0, +INFINITY
 * when c is 0.  If a or c is 0 the interval (only) is computed after adding
 * 0.5 to all four cells (Haldane-Anscombe), so that its log is finite, and
 * `corrected` is 1; the ratio then lies at one end of it or outside.  All
 * numeric fields NAN if a + b == 0, c + d == 0, a and c are both 0, a cell is
 * invalid or level is not in (0, 1).  Pure function, thread-safe.
 */
fs_stat_rate_ratio_result fs_stat_rate_ratio(fs_stat_table t, double level);

/**
 * Cohen's h effect size for two proportions: 2 asin(sqrt(p1)) -
 * 2 asin(sqrt(p2)), in [-pi, pi].  NAN unless both p are in [0, 1].
 * Pure function, thread-safe.
 */
double fs_stat_cohens_h(double p1, double p2);

/**
 * Pointwise mutual information (bits) of the term with side A:
 * log2(P(term, A) / (P(term) P(A))) = log2(a N / ((a + c) (a + b))).
 * -INFINITY when a == 0 but the term occurs in B; NAN when the term never
 * occurs (a + c == 0), A is empty (a + b == 0) or a cell is invalid.
 * Pure function, thread-safe.
 */
double fs_stat_pmi(fs_stat_table t);

typedef struct {
  double delta; /* log-odds ratio with the prior, A versus B */
  double var;   /* approx. variance 1/(y_a + alpha_w) + 1/(y_b + alpha_w) */
  double z;     /* delta / sqrt(var) */
  double p;     /* two-sided normal p-value of z */
} fs_stat_log_odds_result;

/**
 * Log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and
 * Quinn 2008, "Fightin' Words", eq. 22):
 *   delta = log((y_a + aw) / (n_a + a0 - y_a - aw))
 *         - log((y_b + aw) / (n_b + a0 - y_b - aw)),
 * with y = term count, n = total tokens of the side, aw = alpha_w (prior
 * count of the term), a0 = alpha_0 (total prior count).  Swapping the sides
 * negates delta and z exactly.  All fields NAN for non-finite or negative
 * input, alpha_w <= 0, or a non-positive log argument.
 * Pure function, thread-safe.
 */
fs_stat_log_odds_result fs_stat_log_odds(double y_a, double n_a, double y_b,
                                         double n_b, double alpha_w,
                                         double alpha_0);

/* ---------------------------------------------------------------------- */
/* Multiple testing                                                        */
/* ---------------------------------------------------------------------- */

/**
 * Benjamini-Hochberg adjusted p-values (q-values), as R p.adjust(p, "BH"):
 * q_(i) = min over j >= i of min(1, m p_(j) / j), m = number of non-NaN p.
 *
 * NaN entries of p give NaN in q and do not count in m.  q may be the same
 * array as p (in-place).  Returns 0, GSL_EINVAL (NULL p or q with n > 0, or a
 * non-NaN p outside [0, 1]; q is then all NaN) or GSL_ENOMEM (q all NaN).
 * p is only read; q (n values) is caller-owned.  Reentrant.
 */
int fs_stat_bh(const double *p, size_t n, double *q);

#endif
