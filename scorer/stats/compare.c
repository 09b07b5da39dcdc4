/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compare.c - per-document counts -> per-outlet rates with bootstrap
 * confidence intervals, and document- and token-level tests of each outlet
 * against the rest (or a chosen pair), with Benjamini-Hochberg q-values. */
#include "compare.h"
#include "internal.h"
#include "model.h"
#include "stats.h"

#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void fs_compare_init(fs_compare *c, const fs_lexicon *lex, int voice) {
  memset(c, 0, sizeof *c);
  c->lex = lex;
  c->voice = voice;
  c->quote_weight = lex ? fs_lexicon_quote_weight(lex) : NAN; /* unknown */
  c->distinct_prior = -1;
}

/* Measures: every category, every family total ("loaded.*"), the
 * weighted loaded-language score, and the model's dimensions. */
static int build_measures(fs_compare *c) {
  const fs_lexicon *lex = c->lex;
  size_t n = lex->ncats + lex->nfamilies + 1 + (c->model ? c->model->ndims : 0);
  c->measures = calloc(n, sizeof *c->measures);
  if (!c->measures)
    return FS_ERR_NOMEM;
  size_t k = 0;
  for (size_t i = 0; i < lex->ncats; i++) {
    fs_measure *m = &c->measures[k++];
    snprintf(m->name, sizeof m->name, "%s", lex->cats[i].name);
    m->kind = FS_MEASURE_CATEGORY;
    m->index = (uint32_t)i;
  }
  /* families with more than one category get a total; sorted by name */
  for (size_t f = 0; f < lex->nfamilies; f++) {
    size_t members = 0;
    for (size_t i = 0; i < lex->ncats; i++)
      members += lex->cats[i].family == f;
    if (members < 2)
      continue;
    fs_measure *m = &c->measures[k++];
    snprintf(m->name, sizeof m->name, "%s.*", lex->families[f]);
    m->kind = FS_MEASURE_FAMILY;
    m->index = (uint32_t)f;
  }
  fs_measure *m = &c->measures[k++];
  snprintf(m->name, sizeof m->name, "loaded_score");
  m->kind = FS_MEASURE_SCORE;
  for (size_t i = 0; i < k; i++) {
    c->measures[i].scale = 1000.0;
    c->measures[i].counts = c->measures[i].kind != FS_MEASURE_SCORE;
  }
  for (size_t i = 0; c->model && i < c->model->ndims; i++) {
    const fs_dimension *d = &c->model->dims[i];
    if (!d->active)
      continue;
    m = &c->measures[k++];
    snprintf(m->name, sizeof m->name, "%s", d->name);
    m->kind = FS_MEASURE_DIMENSION;
    m->index = (uint32_t)i;
    m->scale = fs_model_scale(d);
    m->counts = fs_model_counts(d);
  }
  c->nmeasures = k;
  return FS_OK;
}

uint32_t fs_compare_outlet(fs_compare *c, const char *name) {
  if (!name || !*name)
    name = "(none)";
  for (size_t i = 0; i < c->noutlets; i++)
    if (!strcmp(c->outlets[i], name))
      return (uint32_t)i;
  if (fs_grow(&c->outlets, &c->outlets_cap, c->noutlets + 1,
              sizeof *c->outlets))
    return FS_NONE;
  c->outlets[c->noutlets] = strdup(name);
  if (!c->outlets[c->noutlets])
    return FS_NONE;
  return (uint32_t)c->noutlets++;
}

int fs_compare_layout(fs_compare *c) {
  size_t M = c->nmeasures;
  free(c->den_col);
  free(c->col);
  c->den_col = malloc((M + 1) * sizeof *c->den_col);
  c->col = malloc((2 * M + 1) * sizeof *c->col);
  if (!c->den_col || !c->col)
    return FS_ERR_NOMEM;
  c->width = M + 1; /* the words are column M */
  /* the distinctive measures share one: the author-voice words */
  size_t dden = SIZE_MAX;
  for (size_t k = 0; k < M; k++) {
    int kind = c->measures[k].kind;
    if (kind == FS_MEASURE_DISTINCT && dden == SIZE_MAX)
      dden = c->width++;
    c->den_col[k] = kind == FS_MEASURE_DIMENSION || kind == FS_MEASURE_SCORE
                        ? c->width++
                    : kind == FS_MEASURE_DISTINCT ? dden
                                                   : M;
  }
  /* every column 16-bit until a value says otherwise (fs_compare_set);
   * with rows stored the caller places the columns (append_measures) */
  if (c->ndocs == 0) {
    for (size_t t = 0; t < FS_COL_TYPES; t++)
      c->blk[t].width = 0;
    for (size_t j = 0; j < c->width; j++)
      c->col[j] = (uint32_t)j;
    c->blk[FS_COL_U16].width = c->width;
  }
  return FS_OK;
}

static const size_t col_size[FS_COL_TYPES] = {2, 4, 4, 8};

/* Does type t hold x exactly (its sign too)? */
static bool col_fits(int t, double x) {
  switch (t) {
  case FS_COL_U16:
    return x >= 0 && x <= 65535 && x == floor(x) && !signbit(x);
  case FS_COL_U32:
    return x >= 0 && x <= (double)UINT32_MAX && x == floor(x) && !signbit(x);
  case FS_COL_F32:
    return fabs(x) <= FLT_MAX && (double)(float)x == x;
  default:
    return true;
  }
}

static double col_load(int t, const unsigned char *p) {
  uint16_t h;
  uint32_t u;
  float f;
  double d;
  switch (t) {
  case FS_COL_U16:
    return memcpy(&h, p, sizeof h), h;
  case FS_COL_U32:
    return memcpy(&u, p, sizeof u), u;
  case FS_COL_F32:
    return memcpy(&f, p, sizeof f), f;
  default:
    return memcpy(&d, p, sizeof d), d;
  }
}

/* Stores x, which type t holds (col_fits). */
static void col_store(int t, unsigned char *p, double x) {
  uint16_t h = (uint16_t)(t == FS_COL_U16 ? x : 0);
  uint32_t u = (uint32_t)(t == FS_COL_U32 ? x : 0);
  float f = (float)(t == FS_COL_F32 ? x : 0);
  switch (t) {
  case FS_COL_U16:
    memcpy(p, &h, sizeof h);
    break;
  case FS_COL_U32:
    memcpy(p, &u, sizeof u);
    break;
  case FS_COL_F32:
    memcpy(p, &f, sizeof f);
    break;
  default:
    memcpy(p, &x, sizeof x);
  }
}

/* Appends a column of type tb to the first n rows: column j's values (j
 * of another type, which it then leaves), or zeros when j is SIZE_MAX
 * (the caller places it). In place: type tb's block grows, its rows move
 * back from the last, and j's block closes up from the first, so no rows
 * are held twice. FS_OK or FS_ERR_NOMEM (nothing changed). */
static int col_move(fs_compare *c, size_t j, int tb, size_t n) {
  fs_compare_block *b = &c->blk[tb];
  size_t sb = col_size[tb], wb = b->width;
  if (wb >= FS_COL_INDEX ||
      fs_grow(&b->p, &b->cap, (n * (wb + 1) + 1) * sb, 1))
    return FS_ERR_NOMEM;
  int ta = j == SIZE_MAX ? -1 : (int)(c->col[j] >> FS_COL_SHIFT);
  size_t ka = j == SIZE_MAX ? 0 : c->col[j] & FS_COL_INDEX;
  fs_compare_block *a = ta < 0 ? NULL : &c->blk[ta];
  size_t sa = ta < 0 ? 0 : col_size[ta], wa = a ? a->width : 0;
  for (size_t i = n; i-- > 0;) {
    double v = a ? col_load(ta, a->p + (i * wa + ka) * sa) : 0;
    memmove(b->p + i * (wb + 1) * sb, b->p + i * wb * sb, wb * sb);
    col_store(tb, b->p + (i * (wb + 1) + wb) * sb, v);
  }
  b->width++;
  if (!a)
    return FS_OK;
  for (size_t i = 0; i < n; i++) {
    unsigned char *from = a->p + i * wa * sa, *to = a->p + i * (wa - 1) * sa;
    memmove(to, from, ka * sa);
    memmove(to + ka * sa, from + (ka + 1) * sa, (wa - 1 - ka) * sa);
  }
  a->width--;
  for (size_t k = 0; k < c->width; k++)
    if (c->col[k] >> FS_COL_SHIFT == (uint32_t)ta &&
        (c->col[k] & FS_COL_INDEX) > ka)
      c->col[k]--;
  c->col[j] = (uint32_t)tb << FS_COL_SHIFT | (uint32_t)wb;
  return FS_OK;
}

/* Stores x in column j of row doc of the first n rows. */
static int set_in(fs_compare *c, size_t n, size_t doc, size_t j, double x) {
  int t = (int)(c->col[j] >> FS_COL_SHIFT);
  if (!col_fits(t, x)) {
    /* the narrowest type that holds the column's values and x */
    int to = t == FS_COL_U16 && col_fits(FS_COL_U32, x)   ? FS_COL_U32
             : t == FS_COL_U16 && col_fits(FS_COL_F32, x) ? FS_COL_F32
                                                          : FS_COL_F64;
    if (col_move(c, j, to, n))
      return FS_ERR_NOMEM;
    t = to;
  }
  const fs_compare_block *b = &c->blk[t];
  col_store(t, b->p + (doc * b->width + (c->col[j] & FS_COL_INDEX)) *
                          col_size[t],
            x);
  return FS_OK;
}

int fs_compare_set(fs_compare *c, size_t doc, size_t j, double x) {
  return set_in(c, c->ndocs, doc, j, x);
}

int fs_compare_col_zeros(fs_compare *c, size_t n) {
  return col_move(c, SIZE_MAX, FS_COL_U16, n);
}

int fs_compare_push(fs_compare *c, char *file, uint32_t outlet, double words,
                    const double *counts, const double *den) {
  size_t M = c->nmeasures, n = c->ndocs + 1;
  if (fs_grow(&c->docs, &c->docs_cap, n, sizeof *c->docs) ||
      ((file || c->nfiles) &&
       fs_grow(&c->files, &c->files_cap, n, sizeof *c->files)))
    return FS_ERR_NOMEM;
  for (size_t t = 0; t < FS_COL_TYPES; t++) {
    fs_compare_block *b = &c->blk[t];
    if (fs_grow(&b->p, &b->cap, (n * b->width + 1) * col_size[t], 1))
      return FS_ERR_NOMEM;
    memset(b->p + c->ndocs * b->width * col_size[t], 0,
           b->width * col_size[t]);
  }
  /* the new row is row n - 1 of n while its columns are set (a column
   * that moves to a wider type moves in it too) */
  int rc = set_in(c, n, c->ndocs, M, words);
  for (size_t k = 0; k < M && rc == FS_OK; k++)
    rc = set_in(c, n, c->ndocs, k, counts[k]);
  for (size_t k = 0; k < M && rc == FS_OK; k++)
    rc = set_in(c, n, c->ndocs, c->den_col[k], den[k]);
  if (rc)
    return rc;
  if (file || c->nfiles) { /* names, from the first document with one */
    while (c->nfiles < c->ndocs)
      c->files[c->nfiles++] = NULL;
    c->files[c->nfiles++] = file;
  }
  c->docs[c->ndocs++].outlet = outlet;
  return FS_OK;
}

int fs_compare_measures(fs_compare *c) {
  if (!c->measures &&
      (build_measures(c) != FS_OK || fs_compare_layout(c) != FS_OK ||
       fs_compare_entries_from_lexicon(c) != FS_OK))
    return FS_ERR_NOMEM;
  return FS_OK;
}

int fs_compare_add(fs_compare *c, const char *file, const char *outlet,
                   const fs_doc *d) {
  return fs_compare_add_scored(c, file, outlet, d, NULL);
}

int fs_compare_add_scored(fs_compare *c, const char *file, const char *outlet,
                          const fs_doc *d, const fs_dim_value *scored) {
  return fs_compare_add_totals(c, file, outlet, d, scored, NULL);
}

int fs_compare_add_totals(fs_compare *c, const char *file, const char *outlet,
                          const fs_doc *d, const fs_dim_value *scored,
                          const size_t *entry_n) {
  if (fs_compare_measures(c) != FS_OK)
    return FS_ERR_NOMEM;
  const fs_lexicon *lex = c->lex;
  uint32_t o = fs_compare_outlet(c, outlet);
  if (o == FS_NONE)
    return FS_ERR_NOMEM;
  double *counts = calloc(2 * c->nmeasures + 1, sizeof *counts);
  double *den = counts + c->nmeasures;
  char *name = !file ? NULL : c->borrow_names ? (char *)file : strdup(file);
  fs_dim_value *own =
      c->model && !scored ? calloc(c->model->ndims, sizeof *own) : NULL;
  const fs_dim_value *dv = scored ? scored : own;
  if (!counts || (c->model && !dv) || (file && !name) ||
      (own && fs_model_score_doc(c->model, c->ctx, d, own) != FS_OK)) {
    free(counts), free(own);
    if (!c->borrow_names)
      free(name);
    return FS_ERR_NOMEM;
  }
  const fs_doc_stats *st = &d->stats;
  int v0 = c->voice == FS_VOICE_QUOTE ? 1 : 0;
  int v1 = c->voice == FS_VOICE_AUTHOR ? 0 : 1;
  double words = 0;
  for (int v = v0; v <= v1; v++)
    words += (double)st->words[v];
  for (size_t k = 0; k < c->nmeasures; k++) {
    const fs_measure *m = &c->measures[k];
    double sum = 0, quoted = 0;
    den[k] = words;
    if (m->kind == FS_MEASURE_DIMENSION) {
      counts[k] = dv[m->index].num;
      den[k] = dv[m->index].den;
      continue;
    }
    for (size_t cat = 0; cat < lex->ncats; cat++) {
      bool in = m->kind == FS_MEASURE_CATEGORY ? cat == m->index
                : m->kind == FS_MEASURE_FAMILY ? lex->cats[cat].family == m->index
                : fs_category_in_score(lex, (uint32_t)cat);
      if (!in)
        continue;
      for (int v = v0; v <= v1; v++)
        sum += m->kind == FS_MEASURE_SCORE
                   ? st->weight[cat * FS_VOICES + (size_t)v]
                   : (double)st->matches[cat * FS_VOICES + (size_t)v];
      if (m->kind == FS_MEASURE_SCORE && c->voice == FS_VOICE_AUTHOR)
        quoted += st->weight[cat * FS_VOICES + FS_VOICE_QUOTE];
    }
    counts[k] = sum;
    /* the headline: quoted speech at the quote weight, matches and words */
    if (m->kind == FS_MEASURE_SCORE && c->voice == FS_VOICE_AUTHOR) {
      counts[k] += c->quote_weight * quoted;
      den[k] += c->quote_weight * (double)st->words[FS_VOICE_QUOTE];
    }
  }
  int rc = fs_compare_push(c, name, o, words, counts, den);
  if (rc)
    free(name);
  else if (c->entries)
    rc = entry_n ? fs_compare_entries_counted(c, d, entry_n)
                 : fs_compare_entries_of(c, d);
  free(counts);
  free(own);
  return rc;
}

/* ---- running the tests --------------------------------------------------- */

/* Collects one side's per-document counts, denominators (tokens) and rates
 * (scaled, e.g. per 1,000) for measure k: documents of outlet `a`, or of
 * every outlet but `a` when `rest`, or of outlet b. Documents with a zero
 * denominator are left out. */
/* One side of a row: its documents' rates into rate[], and their counts
 * and denominators summed in document order into *count and *tokens (the
 * sums of arrays of them, without the arrays). */
static size_t side(const fs_compare *c, size_t k, uint32_t a, bool rest,
                   double *count, double *tokens, double *rate) {
  size_t n = 0;
  double sc = 0, st = 0;
  for (size_t i = 0; i < c->ndocs; i++) {
    double cnt = fs_compare_count(c, i, k), den = fs_compare_den(c, i, k);
    if ((c->docs[i].outlet == a) == rest || den <= 0)
      continue;
    sc += cnt;
    st += den;
    rate[n] = c->measures[k].scale * cnt / den;
    n++;
  }
  *count = sc, *tokens = st;
  return n;
}

static void row_init(fs_compare_row *r) {
  double *f[] = {&r->rate_a_lo,  &r->rate_a_hi, &r->rate_b_lo, &r->rate_b_hi,
                 &r->rate_ratio, &r->rr_lo,     &r->rr_hi,     &r->cohens_h,
                 &r->mwu_u,      &r->mwu_p,     &r->welch_t,   &r->welch_df,
                 &r->welch_p,    &r->perm_p,    &r->perm_err,  &r->perm_min_p,
                 &r->boot_p,     &r->g2,        &r->g2_p,      &r->chi2,
                 &r->chi2_p,     &r->fisher_p,  &r->q[0],      &r->q[1],
                 &r->q[2],       &r->q[3],      &r->q[4],      &r->q[5],
                 &r->q[6]};
  for (size_t i = 0; i < sizeof f / sizeof *f; i++)
    *f[i] = NAN;
}

#define DRAW_AHEAD 4 /* rows between a prefetch and its use */

void fs_compare_run_workers(void *(*fn)(void *), void *arg, size_t size,
                            size_t n) {
  pthread_t th[FS_COMPARE_MAX_THREADS];
  bool started[FS_COMPARE_MAX_THREADS] = {false};
  for (size_t t = 1; t < n; t++)
    started[t] = !pthread_create(&th[t], NULL, fn, (char *)arg + t * size);
  fn(arg);
  for (size_t t = 1; t < n; t++) {
    if (started[t])
      pthread_join(th[t], NULL);
    else
      fn((char *)arg + t * size);
  }
}

/* One worker's share of a batch of bootstrap iterations, with its own
 * sums; G (per row) is its own too, added up at the end (halves and ones:
 * exact in any order). */
typedef struct boot_worker {
  const fs_compare *c;
  const size_t *start; /* outlet o's documents: [start[o], start[o + 1]) */
  const uint32_t *draws; /* a batch of iterations' draws, nd each */
  size_t nd, N;        /* draws per iteration; iterations in all */
  size_t it0, nb;      /* the batch: iterations [it0, it0 + nb) */
  atomic_size_t *next; /* the batch's next iteration to take */
  double *S, *T, *ST, *TT, *acc, *G, *reps;
} boot_worker;

static void *boot_work(void *arg) {
  boot_worker *w = arg;
  const fs_compare *c = w->c;
  size_t O = c->noutlets, M = c->nmeasures, N = w->N;
  const fs_compare_block *blk = c->blk;
  size_t off[FS_COL_TYPES + 1] = {0}; /* each type's sums in acc */
  for (size_t t = 0; t < FS_COL_TYPES; t++)
    off[t + 1] = off[t] + blk[t].width;
  for (size_t b; (b = atomic_fetch_add(w->next, 1)) < w->nb;) {
    size_t it = w->it0 + b;
    const uint32_t *draw = &w->draws[b * w->nd];
    memset(w->ST, 0, M * sizeof *w->ST);
    memset(w->TT, 0, M * sizeof *w->TT);
    for (size_t out = 0; out < O; out++) {
      size_t n = w->start[out + 1] - w->start[out];
      const uint32_t *dr = &draw[w->start[out]];
      double *s = &w->S[out * M], *tt = &w->T[out * M], *acc = w->acc;
      /* acc: each type's columns' sums (every value is exact in a
       * double: the same sums as with every column a double) */
      double *a16 = acc + off[FS_COL_U16], *a32 = acc + off[FS_COL_U32];
      double *af = acc + off[FS_COL_F32], *ad = acc + off[FS_COL_F64];
      size_t w16 = blk[FS_COL_U16].width, w32 = blk[FS_COL_U32].width;
      size_t wf = blk[FS_COL_F32].width, wd = blk[FS_COL_F64].width;
      const uint16_t *v16 = (const uint16_t *)(const void *)blk[0].p;
      const uint32_t *v32 = (const uint32_t *)(const void *)blk[1].p;
      const float *vf = (const float *)(const void *)blk[2].p;
      const double *vd = (const double *)(const void *)blk[3].p;
      memset(acc, 0, off[FS_COL_TYPES] * sizeof *acc);
      for (size_t j = 0; j < n; j++) {
        if (j + DRAW_AHEAD < n) {
          size_t i = dr[j + DRAW_AHEAD];
          for (size_t t = 0; t < FS_COL_TYPES; t++)
            for (size_t k = 0; k < blk[t].width * col_size[t]; k += 64)
              __builtin_prefetch(blk[t].p + i * blk[t].width * col_size[t] +
                                 k);
        }
        size_t i = dr[j];
        for (size_t k = 0; k < w16; k++)
          a16[k] += (double)v16[i * w16 + k];
        for (size_t k = 0; k < w32; k++)
          a32[k] += (double)v32[i * w32 + k];
        for (size_t k = 0; k < wf; k++)
          af[k] += (double)vf[i * wf + k];
        for (size_t k = 0; k < wd; k++)
          ad[k] += vd[i * wd + k];
      }
      for (size_t m = 0; m < M; m++) {
        uint32_t xs = c->col[m], xt = c->col[c->den_col[m]];
        s[m] = acc[off[xs >> FS_COL_SHIFT] + (xs & FS_COL_INDEX)];
        tt[m] = acc[off[xt >> FS_COL_SHIFT] + (xt & FS_COL_INDEX)];
        w->ST[m] += s[m];
        w->TT[m] += tt[m];
        w->reps[(out * M + m) * N + it] =
            tt[m] > 0 ? c->measures[m].scale * s[m] / tt[m] : NAN;
      }
    }
    for (size_t i = 0; i < c->nrows; i++) {
      const fs_compare_row *r = &c->rows[i];
      if (!r->boot_test)
        continue;
      size_t m = r->measure;
      const double *S = w->S, *T = w->T;
      double ra = S[r->a * M + m] / T[r->a * M + m];
      double rb = r->b == FS_NONE ? (w->ST[m] - S[r->a * M + m]) /
                                        (w->TT[m] - T[r->a * M + m])
                                  : S[r->b * M + m] / T[r->b * M + m];
      w->G[i] += ra > rb ? 1.0 : ra == rb ? 0.5 : 0.0;
    }
  }
  return NULL;
}

#define BATCH_BYTES ((size_t)16 << 20) /* draws of one batch, at most */
#define BATCH_MAX 32                   /* iterations in a batch */

/* One bootstrap for everything: each iteration resamples the documents of
 * every outlet with replacement (so "the rest" is resampled within each of
 * its outlets, a stratified bootstrap) and gives every outlet's pooled rate
 * for every measure at once. From the replicates come the per-outlet 95%
 * percentile intervals and the bootstrap test of each row (Lijffijt et al.
 * 2016): with G = #{rate_A* > rate_B*} + #{ties} / 2 over N iterations,
 * p = min(1, 2 min((1 + G) / (N + 1), (1 + N - G) / (N + 1))). Costs
 * N x documents x measures additions, instead of that per row. The draws
 * of a batch of iterations are made here, in the order of one iteration
 * after another, so the random stream is the same for any thread count;
 * the workers sum each outlet's drawn rows in draw order with the rows
 * ahead prefetched. */
/* Draws nb iterations' resamples: each outlet's documents with
 * replacement, one iteration after another. */
static void draw_batch(gsl_rng *rng, const uint32_t *idx, const size_t *start,
                       size_t O, size_t nd, size_t nb, uint32_t *draws) {
  for (size_t b = 0; b < nb; b++)
    for (size_t out = 0; out < O; out++) {
      size_t n = start[out + 1] - start[out];
      const uint32_t *docs = &idx[start[out]];
      uint32_t *dr = &draws[b * nd + start[out]];
      for (size_t j = 0; j < n; j++)
        dr[j] = docs[gsl_rng_uniform_int(rng, n)];
    }
}

static int bootstrap_all(fs_compare *c, const fs_compare_opts *o,
                         gsl_rng *rng) {
  size_t O = c->noutlets, M = c->nmeasures, N = (size_t)o->bootstrap;
  size_t W = c->width;
  size_t nt = o->threads > 1 ? (size_t)o->threads : 1;
  if (nt > FS_COMPARE_MAX_THREADS)
    nt = FS_COMPARE_MAX_THREADS;
  int rc = FS_ERR_NOMEM;
  size_t *start = calloc(O + 1, sizeof *start);
  uint32_t *idx = malloc((c->ndocs + 1) * sizeof *idx);
  double *reps = N ? malloc((O * M * N + 1) * sizeof *reps) : NULL;
  double *G = calloc(c->nrows + 1, sizeof *G);
  boot_worker *ws = calloc(nt, sizeof *ws);
  /* this batch's draws and the next's: document numbers in 32 bits, half
   * the memory of size_t (a batch holds up to BATCH_BYTES of them) */
  uint32_t *draws = NULL, *ahead = NULL;
  c->ci = malloc((O * M + 1) * sizeof *c->ci);
  if (!start || !idx || (N && !reps) || !G || !ws || !c->ci ||
      c->ndocs > UINT32_MAX)
    goto done;
  /* documents with words, grouped by outlet */
  for (size_t d = 0; d < c->ndocs; d++)
    if (fs_compare_doc_words(c, d) > 0)
      start[c->docs[d].outlet + 1]++;
  for (size_t i = 0; i < O; i++)
    start[i + 1] += start[i];
  {
    size_t *fill = calloc(O + 1, sizeof *fill);
    if (!fill)
      goto done;
    for (size_t d = 0; d < c->ndocs; d++)
      if (fs_compare_doc_words(c, d) > 0) {
        uint32_t out = c->docs[d].outlet;
        idx[start[out] + fill[out]++] = (uint32_t)d;
      }
    free(fill);
  }
  size_t nd = start[O];
  size_t batch = BATCH_BYTES / ((nd + 1) * sizeof *draws);
  batch = batch < 1 ? 1 : batch > BATCH_MAX ? BATCH_MAX : batch;
  if (batch > N)
    batch = N ? N : 1;
  /* one thread takes one iteration's draws at a time (4 bytes a
   * document, twice): a batch (up to 2 x BATCH_BYTES, 32 MB for 233,762
   * documents) only holds draws for other threads to sum in parallel;
   * the draws and their order are the same */
  if (nt == 1)
    batch = 1;
  if (nt > batch)
    nt = batch;
  if (!(draws = malloc((batch * nd + 1) * sizeof *draws)) ||
      !(ahead = malloc((batch * nd + 1) * sizeof *ahead)))
    goto done;
  atomic_size_t next;
  for (size_t t = 0; t < nt; t++) {
    boot_worker *w = &ws[t];
    *w = (boot_worker){.c = c, .start = start, .nd = nd, .N = N,
                       .next = &next, .reps = reps};
    w->S = malloc((O * M + 1) * sizeof *w->S);
    w->T = malloc((O * M + 1) * sizeof *w->T);
    w->ST = malloc((M + 1) * sizeof *w->ST);
    w->TT = malloc((M + 1) * sizeof *w->TT);
    w->acc = malloc((W + 1) * sizeof *w->acc);
    w->G = calloc(c->nrows + 1, sizeof *w->G);
    if (!w->S || !w->T || !w->ST || !w->TT || !w->acc || !w->G)
      goto done;
  }
  /* the draws of the next batch are made (in order, on this thread) while
   * the other threads sum the current one; this thread then takes its
   * remaining iterations */
  draw_batch(rng, idx, start, O, nd, N < batch ? N : batch, draws);
  for (size_t it0 = 0; it0 < N; it0 += batch) {
    size_t nb = N - it0 < batch ? N - it0 : batch;
    atomic_store(&next, 0);
    for (size_t t = 0; t < nt; t++)
      ws[t].it0 = it0, ws[t].nb = nb, ws[t].draws = draws;
    pthread_t th[FS_COMPARE_MAX_THREADS];
    bool started[FS_COMPARE_MAX_THREADS] = {false};
    for (size_t t = 1; t < nt; t++)
      started[t] = !pthread_create(&th[t], NULL, boot_work, &ws[t]);
    size_t it1 = it0 + nb;
    if (it1 < N)
      draw_batch(rng, idx, start, O, nd, N - it1 < batch ? N - it1 : batch,
                 ahead);
    boot_work(&ws[0]);
    for (size_t t = 1; t < nt; t++)
      if (started[t])
        pthread_join(th[t], NULL);
    uint32_t *swap = draws;
    draws = ahead, ahead = swap;
  }
  for (size_t t = 0; t < nt; t++)
    for (size_t i = 0; i < c->nrows; i++)
      G[i] += ws[t].G[i];
  for (size_t out = 0; out < O; out++)
    for (size_t m = 0; m < M; m++) {
      fs_stat_interval *iv = &c->ci[out * M + m];
      double cnt = 0, tok = 0;
      for (size_t j = start[out]; j < start[out + 1]; j++) {
        cnt += fs_compare_count(c, idx[j], m);
        tok += fs_compare_den(c, idx[j], m);
      }
      iv->estimate = tok > 0 ? c->measures[m].scale * cnt / tok : NAN;
      iv->lo = iv->hi = NAN;
      /* distinctive_score: resampling with its factors held fixed would
       * understate its spread, so no interval */
      if (start[out + 1] - start[out] >= 2 && N > 0 &&
          c->measures[m].kind != FS_MEASURE_DISTINCT) {
        double *v = &reps[(out * M + m) * N];
        gsl_sort(v, 1, N);
        iv->lo = gsl_stats_quantile_from_sorted_data(v, 1, N, 0.025);
        iv->hi = gsl_stats_quantile_from_sorted_data(v, 1, N, 0.975);
      }
    }
  for (size_t i = 0; i < c->nrows; i++) {
    fs_compare_row *r = &c->rows[i];
    const fs_stat_interval *ia = &c->ci[r->a * M + r->measure];
    r->rate_a_lo = ia->lo, r->rate_a_hi = ia->hi;
    if (r->b != FS_NONE) {
      const fs_stat_interval *ib = &c->ci[r->b * M + r->measure];
      r->rate_b_lo = ib->lo, r->rate_b_hi = ib->hi;
    }
    if (r->boot_test && N > 0) {
      double hi = (1 + G[i]) / (double)(N + 1);
      double lo = (1 + (double)N - G[i]) / (double)(N + 1);
      r->boot_p = fmin(1.0, 2 * fmin(hi, lo));
    }
  }
  rc = FS_OK;
done:
  for (size_t t = 0; ws && t < nt; t++) {
    free(ws[t].S), free(ws[t].T), free(ws[t].ST), free(ws[t].TT);
    free(ws[t].acc), free(ws[t].G);
  }
  free(ws), free(start), free(idx), free(draws), free(ahead), free(reps);
  free(G);
  return rc;
}

/* The generator of row i's permutation test: seeded from the run's seed
 * and the row, so that every row draws the same relabellings whichever
 * thread runs it. */
static void seed_row(gsl_rng *rng, unsigned long seed, size_t i) {
  uint64_t h = ((uint64_t)seed << 32) ^ (uint64_t)i;
  h ^= h >> 33, h *= 0xff51afd7ed558ccdULL, h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL, h ^= h >> 33;
  gsl_rng_set(rng, (unsigned long)(h & 0xffffffffUL));
}

/* The ranks of measure k's per-document rates over every document with a
 * denominator (in document order), which each outlet's comparison with the
 * rest pools: ranked once per measure instead of once per outlet (552,000
 * documents in 20 outlets spent most of compare --counts in ranking).
 * Leaves them in rank[], their tie term in *ties; false when a rate is NaN
 * (then each row ranks its own pool, as fs_stat_mann_whitney does) or
 * memory ran out. */
static bool rank_measure(const fs_compare *c, size_t k, double *rate,
                         double *rank, double *ties) {
  size_t n = 0;
  for (size_t i = 0; i < c->ndocs; i++) {
    double den = fs_compare_den(c, i, k);
    if (den <= 0)
      continue;
    rate[n] = c->measures[k].scale * fs_compare_count(c, i, k) / den;
    if (isnan(rate[n]))
      return false;
    n++;
  }
  return fs_stat_ranks(rate, n, rank, ties) == GSL_SUCCESS;
}

/* Row r's pooled ranks, its outlet's documents first and then the rest's,
 * each in document order (as side() collects them), from the measure's
 * ranks (rank_measure). */
static void pool_ranks(const fs_compare *c, const fs_compare_row *r,
                       const double *rank, size_t na, double *pool) {
  size_t j = 0, a = 0, b = na;
  for (size_t i = 0; i < c->ndocs; i++) {
    if (fs_compare_den(c, i, r->measure) <= 0)
      continue;
    if (c->docs[i].outlet == r->a)
      pool[a++] = rank[j++];
    else
      pool[b++] = rank[j++];
  }
}

/* Row r's tests; buf holds 2 x ndocs numbers. rank (NULL: none) holds the
 * ranks of r's measure over every document (rank_measure) with their tie
 * term ties, for a row of an outlet against the rest. */
static int test_row(fs_compare *c, const fs_compare_opts *o, gsl_rng *rng,
                    fs_compare_row *r, double *buf, const double *rank,
                    double ties) {
  /* the two sides' rates side by side (no document is on both), the
   * pooled ranks after them */
  size_t N = c->ndocs;
  double *ra = buf;
  size_t k = r->measure;
  bool rest = r->b == FS_NONE;
  row_init(r);
  size_t na = side(c, k, r->a, false, &r->count_a, &r->tokens_a, ra);
  double *rb = ra + na;
  size_t nb = rest ? side(c, k, r->a, true, &r->count_b, &r->tokens_b, rb)
                   : side(c, k, r->b, false, &r->count_b, &r->tokens_b, rb);
  r->docs_a = na, r->docs_b = nb;
  double scale = c->measures[k].scale;
  r->rate_a = r->tokens_a > 0 ? scale * r->count_a / r->tokens_a : NAN;
  r->rate_b = r->tokens_b > 0 ? scale * r->count_b / r->tokens_b : NAN;
  r->doc_tests = na >= 2 && nb >= 2;
  /* distinctive_score's factors come from the documents the tests would
   * compare: tests of its per-document values are not valid (under no
   * difference p < 0.05 far more often than 5%, bench/distinct_null.sh);
   * its permutation test re-estimates them (fs_compare_distinct_tests) */
  bool distinct = c->measures[k].kind == FS_MEASURE_DISTINCT;
  r->boot_test = !distinct && na >= FS_COMPARE_BOOT_MIN_DOCS &&
                 nb >= FS_COMPARE_BOOT_MIN_DOCS;
  if (distinct)
    return FS_OK;
  if (r->doc_tests) {
    fs_stat_mwu_result u;
    fs_stat_welch_result w;
    int st;
    if (rank && rest) {
      double *pool = buf + N;
      pool_ranks(c, r, rank, na, pool);
      st = fs_stat_mann_whitney_ranked(pool, na, nb, ties, &u);
    } else {
      st = fs_stat_mann_whitney(ra, na, rb, nb, &u);
    }
    if (st == GSL_ENOMEM)
      return FS_ERR_NOMEM;
    r->mwu_u = u.u, r->mwu_p = u.p, r->mwu_method = (int)u.method;
    fs_stat_welch(ra, na, rb, nb, &w);
    r->welch_t = w.t, r->welch_df = w.df, r->welch_p = w.p;
  }
  /* per word, the measures of a comparison share their relabellings
   * (perm_all); a model dimension has its own denominator, so documents */
  if (r->doc_tests && !r->boot_test && c->den_col[k] != c->nmeasures) {
    fs_stat_perm_result pr;
    seed_row(rng, o->seed, (size_t)(r - c->rows));
    size_t draws =
        o->permutations > 0 ? (size_t)o->permutations : FS_COMPARE_PERMUTATIONS;
    int st = fs_stat_permutation(ra, na, rb, nb, FS_STAT_PERM_EXACT_MAX, draws,
                                 rng, &pr);
    if (st == GSL_ENOMEM)
      return FS_ERR_NOMEM;
    r->perm_p = pr.p, r->perm_err = pr.err, r->perm_min_p = pr.min_p;
    r->perm_method = (int)pr.method;
  }
  if (!c->measures[k].counts)
    return FS_OK; /* weights are not counts: no token-level tests */
  fs_stat_table t = {r->count_a, r->tokens_a - r->count_a, r->count_b,
                     r->tokens_b - r->count_b};
  if (t.b < 0 || t.d < 0)
    return FS_OK; /* more matches than words (overlapping categories) */
  fs_stat_g2_result g = fs_stat_g2(t);
  r->g2 = g.g2_williams, r->g2_p = g.p;
  fs_stat_chi2_result x = fs_stat_chi2_yates(t);
  r->chi2 = x.chi2, r->chi2_p = x.p;
  double n = t.a + t.b + t.c + t.d, min_e = INFINITY;
  if (n > 0) {
    double rows[2] = {t.a + t.b, t.c + t.d}, cols[2] = {t.a + t.c, t.b + t.d};
    for (int i = 0; i < 2; i++)
      for (int j = 0; j < 2; j++)
        min_e = fmin(min_e, rows[i] * cols[j] / n);
  }
  if (min_e < 5)
    r->fisher_p = fs_stat_fisher(t);
  fs_stat_rate_ratio_result rr = fs_stat_rate_ratio(t, 0.95);
  r->rate_ratio = rr.ratio, r->rr_lo = rr.lo, r->rr_hi = rr.hi;
  if (t.a + t.b > 0 && t.c + t.d > 0)
    r->cohens_h = fs_stat_cohens_h(t.a / (t.a + t.b), t.c / (t.c + t.d));
  return FS_OK;
}

/* Every row's tests, on o->threads threads (rows are independent): each
 * worker takes every step-th measure, ranks it once for the comparisons
 * of each outlet with the rest, and runs its rows, with its own buffers
 * (the first worker's buf is the caller's). */
typedef struct rows_worker {
  fs_compare *c;
  const fs_compare_opts *o;
  gsl_rng *rng; /* reseeded for each row */
  double *buf;  /* 2 x ndocs */
  double *rate, *rank; /* ndocs each: rank_measure's */
  size_t first, step;
  int rc;
} rows_worker;

static void *rows_work(void *arg) {
  rows_worker *w = arg;
  fs_compare *c = w->c;
  size_t M = c->nmeasures, ncomp = c->nrows / (M ? M : 1);
  for (size_t k = w->first; k < M && !w->rc; k += w->step) {
    const fs_compare_row *r0 = &c->rows[k * ncomp];
    double ties = 0;
    bool ranked = ncomp > 0 && r0->b == FS_NONE && w->rate && w->rank &&
                  rank_measure(c, k, w->rate, w->rank, &ties);
    for (size_t i = 0; i < ncomp && !w->rc; i++)
      w->rc = test_row(c, w->o, w->rng, &c->rows[k * ncomp + i], w->buf,
                       ranked ? w->rank : NULL, ties);
  }
  return NULL;
}

static int test_rows(fs_compare *c, const fs_compare_opts *o, double *buf) {
  size_t nt = o->threads > 1 ? (size_t)o->threads : 1;
  if (nt > FS_COMPARE_MAX_THREADS)
    nt = FS_COMPARE_MAX_THREADS;
  if (nt > c->nmeasures)
    nt = c->nmeasures ? c->nmeasures : 1;
  rows_worker ws[FS_COMPARE_MAX_THREADS];
  int rc = FS_OK;
  for (size_t t = 0; t < nt; t++) {
    ws[t] = (rows_worker){
        .c = c,
        .o = o,
        .rng = gsl_rng_alloc(gsl_rng_mt19937),
        .buf = t ? malloc((2 * c->ndocs + 1) * sizeof *buf) : buf,
        .rate = malloc((c->ndocs + 1) * sizeof *buf),
        .rank = malloc((c->ndocs + 1) * sizeof *buf),
        .first = t,
        .step = nt};
    if (!ws[t].buf || !ws[t].rng || !ws[t].rate || !ws[t].rank)
      rc = FS_ERR_NOMEM;
  }
  if (rc == FS_OK)
    fs_compare_run_workers(rows_work, ws, sizeof *ws, nt);
  for (size_t t = 0; t < nt; t++) {
    if (rc == FS_OK)
      rc = ws[t].rc;
    if (t)
      free(ws[t].buf);
    free(ws[t].rate), free(ws[t].rank);
    gsl_rng_free(ws[t].rng);
  }
  return rc;
}

/* The permutation tests of one comparison's per-word measures at once:
 * they have the same documents (those with words), so one set of
 * relabellings serves them all, seeded from the comparison. */
typedef struct perm_worker {
  fs_compare *c;
  const fs_compare_opts *o;
  size_t first, step;
  int rc;
} perm_worker;

static int perm_comparison(fs_compare *c, const fs_compare_opts *o, size_t ci,
                           gsl_rng *rng) {
  size_t M = c->nmeasures, ncomp = c->nrows / (M ? M : 1);
  size_t *J = malloc((M + 1) * sizeof *J), nj = 0;
  if (!J)
    return FS_ERR_NOMEM;
  for (size_t k = 0; k < M; k++) {
    const fs_compare_row *r = &c->rows[k * ncomp + ci];
    if (c->den_col[k] == M && r->doc_tests && !r->boot_test)
      J[nj++] = k;
  }
  if (nj == 0) {
    free(J);
    return FS_OK;
  }
  const fs_compare_row *r0 = &c->rows[J[0] * ncomp + ci];
  size_t n = 0, na = 0;
  double *v = malloc((r0->docs_a + r0->docs_b + 1) * nj * sizeof *v);
  fs_stat_perm_result *res = malloc(nj * sizeof *res);
  int rc = FS_ERR_NOMEM;
  if (!v || !res)
    goto done;
  /* side A's documents with words, then side B's */
  for (int sb = 0; sb < 2; sb++)
    for (size_t d = 0; d < c->ndocs; d++) {
      uint32_t out = c->docs[d].outlet;
      bool in = sb == 0            ? out == r0->a
                : r0->b == FS_NONE ? out != r0->a
                                   : out == r0->b;
      double words = fs_compare_count(c, d, M);
      if (!in || !(words > 0))
        continue;
      for (size_t j = 0; j < nj; j++)
        v[n * nj + j] =
            c->measures[J[j]].scale * fs_compare_count(c, d, J[j]) / words;
      n++;
      na += sb == 0;
    }
  /* streams past every row up to distinctive_score's: the distinctive
   * dimensions' rows (absent from counts files) leave them as they are */
  size_t before = c->ndist ? (c->dist_first + 1) * ncomp : c->nrows;
  seed_row(rng, o->seed, before + ci);
  size_t draws =
      o->permutations > 0 ? (size_t)o->permutations : FS_COMPARE_PERMUTATIONS;
  if (fs_stat_permutation_multi(v, n, nj, na, FS_STAT_PERM_EXACT_MAX, draws,
                                rng, res) == GSL_ENOMEM)
    goto done;
  for (size_t j = 0; j < nj; j++) {
    fs_compare_row *r = &c->rows[J[j] * ncomp + ci];
    r->perm_p = res[j].p, r->perm_err = res[j].err;
    r->perm_min_p = res[j].min_p, r->perm_method = (int)res[j].method;
  }
  rc = FS_OK;
done:
  free(J), free(v), free(res);
  return rc;
}

static void *perm_work(void *arg) {
  perm_worker *w = arg;
  size_t M = w->c->nmeasures, ncomp = w->c->nrows / (M ? M : 1);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  if (!rng) {
    w->rc = FS_ERR_NOMEM;
    return NULL;
  }
  for (size_t i = w->first; i < ncomp && !w->rc; i += w->step)
    w->rc = perm_comparison(w->c, w->o, i, rng);
  gsl_rng_free(rng);
  return NULL;
}

static int perm_all(fs_compare *c, const fs_compare_opts *o) {
  size_t nt = o->threads > 1 ? (size_t)o->threads : 1;
  if (nt > FS_COMPARE_MAX_THREADS)
    nt = FS_COMPARE_MAX_THREADS;
  perm_worker ws[FS_COMPARE_MAX_THREADS];
  for (size_t t = 0; t < nt; t++)
    ws[t] = (perm_worker){c, o, t, nt, FS_OK};
  fs_compare_run_workers(perm_work, ws, sizeof *ws, nt);
  for (size_t t = 0; t < nt; t++)
    if (ws[t].rc)
      return ws[t].rc;
  return FS_OK;
}

/* Measure k's Benjamini-Hochberg family: 0 the fixed measures, 1
 * distinctive_score, 2 the distinctive dimensions. */
static int family(const fs_compare *c, size_t k) {
  const fs_measure *m = &c->measures[k];
  return m->kind != FS_MEASURE_DISTINCT ? 0 : m->index == FS_NONE ? 1 : 2;
}

/* Benjamini-Hochberg across every row, one family per test. */
static int adjust(fs_compare *c) {
  /* rows for the tests, measures for Kruskal-Wallis: with no documents
   * read there are measures but no rows */
  size_t n = c->nrows > c->nmeasures ? c->nrows : c->nmeasures;
  double *p = malloc((n ? n : 1) * sizeof *p);
  double *q = malloc((n ? n : 1) * sizeof *q);
  if (!p || !q) {
    free(p), free(q);
    return FS_ERR_NOMEM;
  }
  /* distinctive_score's rows are a family of their own (their test is not
   * the others'), the distinctive dimensions' another: pass 0 the other
   * rows, pass 1 distinctive_score's, pass 2 the dimensions' */
  for (int own = 0; own < 3; own++)
    for (int t = 0; t < FS_COMPARE_TESTS; t++) {
      size_t m = 0;
      for (size_t i = 0; i < c->nrows; i++) {
        const fs_compare_row *r = &c->rows[i];
        if (family(c, r->measure) != own)
          continue;
        const double v[FS_COMPARE_TESTS] = {r->mwu_p,  r->welch_p, r->perm_p,
                                            r->boot_p, r->g2_p,    r->chi2_p,
                                            r->fisher_p};
        p[m++] = v[t];
      }
      fs_stat_bh(p, m, q);
      for (size_t i = 0, j = 0; i < c->nrows; i++)
        if (family(c, c->rows[i].measure) == own)
          c->rows[i].q[t] = q[j++];
    }
  /* across outlets, one per measure; the same families */
  for (int own = 0; own < 3; own++) {
    size_t m = 0;
    for (size_t k = 0; k < c->nmeasures; k++)
      if (family(c, k) == own)
        p[m++] = c->kw[k].p;
    fs_stat_bh(p, m, q);
    for (size_t k = 0, j = 0; k < c->nmeasures; k++)
      if (family(c, k) == own)
        c->kw_q[k] = q[j++];
  }
  free(p), free(q);
  return FS_OK;
}

static int kruskal_all(fs_compare *c, double *buf) {
  size_t *group = malloc((c->ndocs ? c->ndocs : 1) * sizeof *group);
  c->kw = malloc(c->nmeasures * sizeof *c->kw);
  c->kw_q = malloc(c->nmeasures * sizeof *c->kw_q);
  if (!group || !c->kw || !c->kw_q) {
    free(group);
    return FS_ERR_NOMEM;
  }
  size_t *per = calloc(c->noutlets ? c->noutlets : 1, sizeof *per);
  if (!per) {
    free(group);
    return FS_ERR_NOMEM;
  }
  for (size_t i = 0; i < c->ndocs; i++)
    if (fs_compare_doc_words(c, i) > 0)
      per[c->docs[i].outlet]++;
  /* outlets with fewer than 2 documents carry no spread: leave them out */
  size_t used = 0;
  for (size_t o = 0; o < c->noutlets; o++)
    per[o] = per[o] >= 2 ? used++ : SIZE_MAX;
  bool enough = used >= 2;
  c->kw_outlets = used;
  for (size_t k = 0; k < c->nmeasures; k++) {
    c->kw[k].h = c->kw[k].df = c->kw[k].p = NAN;
    c->kw_q[k] = NAN;
    if (!enough || c->measures[k].kind == FS_MEASURE_DISTINCT)
      continue; /* distinctive_score: fs_compare_distinct_tests */
    size_t n = 0;
    for (size_t i = 0; i < c->ndocs; i++) {
      double den = fs_compare_den(c, i, k);
      uint32_t out = c->docs[i].outlet;
      if (den <= 0 || per[out] == SIZE_MAX)
        continue;
      buf[n] = c->measures[k].scale * fs_compare_count(c, i, k) / den;
      group[n++] = per[out];
    }
    if (fs_stat_kruskal(buf, group, n, used, &c->kw[k]) == GSL_ENOMEM) {
      free(group), free(per);
      return FS_ERR_NOMEM;
    }
  }
  free(group), free(per);
  return FS_OK;
}

int fs_compare_run(fs_compare *c, const fs_compare_opts *o, fs_error *err) {
  if (!c->measures && build_measures(c) != FS_OK)
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  uint32_t pa, pb;
  if (fs_find_pair(c->outlets, c->noutlets, o->pair, &pa, &pb, err))
    return FS_ERR_USAGE;
  if (fs_compare_add_distinct(c) != FS_OK)
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  double *buf = malloc((2 * c->ndocs + 1) * sizeof *buf);
  int rc = FS_ERR_NOMEM;
  if (!rng || !buf)
    goto done;
  gsl_rng_set(rng, o->seed);
  size_t ncomp = pa != FS_NONE ? 1 : c->noutlets;
  c->rows = calloc(ncomp * c->nmeasures + 1, sizeof *c->rows);
  rc = FS_ERR_NOMEM;
  if (!c->rows)
    goto done;
  for (size_t k = 0; k < c->nmeasures; k++)
    for (size_t i = 0; i < ncomp; i++) {
      fs_compare_row *r = &c->rows[c->nrows++];
      r->measure = k;
      r->a = pa != FS_NONE ? pa : (uint32_t)i;
      r->b = pa != FS_NONE ? pb : FS_NONE;
    }
  if ((rc = test_rows(c, o, buf)) || (rc = perm_all(c, o)))
    goto done;
  /* the tests' 2 numbers a document are not kept through the bootstrap,
   * whose own arrays then come on top of the columns alone; the
   * Kruskal-Wallis tests take one a document */
  free(buf);
  buf = NULL;
  if ((rc = bootstrap_all(c, o, rng)))
    goto done;
  rc = FS_ERR_NOMEM;
  if (!(buf = malloc((c->ndocs + 1) * sizeof *buf)) ||
      (rc = kruskal_all(c, buf)))
    goto done;
  /* the spread's permutation test into kw[k].p: no H, no df */
  if ((rc = fs_compare_distinct_tests(c, o)))
    goto done;
  if ((rc = adjust(c)))
    goto done;
  /* the honest warnings: document-level tests need 2 documents per side;
   * with few documents intervals are too narrow and p cannot be small */
  for (size_t i = 0; i < c->nrows; i++) {
    const fs_compare_row *r = &c->rows[i];
    c->small_sample |= !r->doc_tests;
    c->boot_shown |= r->boot_test;
    c->perm_mc |= r->perm_method == FS_STAT_PERM_MONTE_CARLO;
  }
  for (size_t i = 0; i < c->noutlets; i++)
    c->few_docs |= fs_compare_outlet_docs(c, i) < FS_COMPARE_FEW_DOCS;
  rc = FS_OK;
done:
  gsl_rng_free(rng);
  free(buf);
  if (rc)
    fs_error_set(err, rc, NULL, 0, 0, "out of memory");
  return rc;
}

void fs_compare_free(fs_compare *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->nfiles && !c->borrow_names; i++)
    free(c->files[i]);
  free(c->files);
  for (size_t t = 0; t < FS_COL_TYPES; t++)
    free(c->blk[t].p);
  free(c->col);
  free(c->den_col);
  free(c->docs);
  for (size_t i = 0; i < c->noutlets; i++)
    free(c->outlets[i]);
  free(c->outlets);
  free(c->measures);
  free(c->rows);
  free(c->ci);
  free(c->kw);
  free(c->kw_q);
  free(c->slot_entry), free(c->entry_slot), free(c->slot_weight);
  free(c->ent), free(c->ent_tmp);
  free(c->dist_w);
  memset(c, 0, sizeof *c);
}

size_t fs_compare_outlet_docs(const fs_compare *c, size_t outlet) {
  size_t n = 0; /* documents with words in the voice, as docs_a counts */
  for (size_t i = 0; i < c->ndocs; i++)
    n += c->docs[i].outlet == outlet && fs_compare_doc_words(c, i) > 0;
  return n;
}
