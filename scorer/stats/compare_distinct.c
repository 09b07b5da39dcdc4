/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compare_distinct.c - per-document author-voice matches of each scored
 * lexicon entry -> compare's story-relative measure, distinctive_score.
 *
 * The distinctive score (distinct.c, README "Story-relative framing")
 * depends on the whole corpus: an entry counts in an outlet only as far as
 * the outlet uses it beyond the rest of the corpus. So compare keeps each
 * document's entry counts until every document is in, compactly (varints:
 * about 3 bytes per entry a document uses), and computes each document's
 * score with its outlet's factors when the statistics run:
 *
 *   distinctive(d) = 1000 * sum_e w_e * excess(e,o) / n(e,o) * n(e,d) / N_d
 *
 * with o the document's outlet (or --group-by group) and N_d its
 * author-voice words. The outlet's rate (sum over its documents of the
 * numerators over the sum of their words) is report's outlet score; the
 * tests compare the documents' scores, as for every other measure. */
#include "compare.h"
#include "internal.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int put_varint(fs_compare *c, uint64_t v) {
  unsigned char b[10];
  size_t n = fs_varint_encode(b, v);
  if (fs_grow(&c->ent, &c->ent_cap, c->ent_len + n, 1))
    return FS_ERR_NOMEM;
  memcpy(c->ent + c->ent_len, b, n);
  c->ent_len += n;
  return FS_OK;
}

int fs_compare_entries_from_lexicon(fs_compare *c) {
  const fs_lexicon *lex = c->lex;
  size_t ne = lex->nentries + 1;
  free(c->entry_slot), free(c->slot_entry), free(c->slot_weight);
  c->entry_slot = malloc(ne * sizeof *c->entry_slot);
  c->slot_entry = malloc(ne * sizeof *c->slot_entry);
  c->slot_weight = malloc(ne * sizeof *c->slot_weight);
  c->nslots = 0;
  if (!c->entry_slot || !c->slot_entry || !c->slot_weight)
    return FS_ERR_NOMEM;
  for (size_t e = 0; e < ne; e++) {
    double w = fs_distinct_weight(lex, (uint32_t)e);
    c->entry_slot[e] = w != 0 ? (uint32_t)c->nslots : FS_NONE;
    if (w != 0) {
      c->slot_entry[c->nslots] = (uint32_t)e;
      c->slot_weight[c->nslots++] = w;
    }
  }
  c->entries = true;
  return FS_OK;
}

int fs_compare_entries_given(fs_compare *c, const double *weight,
                             size_t nslots) {
  free(c->slot_weight);
  if (!(c->slot_weight = malloc((nslots + 1) * sizeof *c->slot_weight)))
    return FS_ERR_NOMEM;
  if (nslots)
    memcpy(c->slot_weight, weight, nslots * sizeof *weight);
  c->nslots = nslots;
  c->entries = true;
  return FS_OK;
}

int fs_compare_push_entries(fs_compare *c, double author_words,
                            const uint32_t *pairs, size_t k) {
  if (!(author_words >= 0) || author_words != floor(author_words))
    return FS_ERR_INPUT;
  for (size_t i = 0; i < k; i++)
    if (pairs[2 * i] >= c->nslots || pairs[2 * i + 1] == 0 ||
        (i > 0 && pairs[2 * i] <= pairs[2 * i - 2]))
      return FS_ERR_INPUT;
  size_t at = c->ent_len;
  int rc = put_varint(c, (uint64_t)author_words);
  if (rc == FS_OK)
    rc = put_varint(c, k);
  for (size_t i = 0, prev = 0; i < k && rc == FS_OK; i++) {
    if ((rc = put_varint(c, pairs[2 * i] - prev)) == FS_OK)
      rc = put_varint(c, pairs[2 * i + 1]);
    prev = pairs[2 * i] + 1;
  }
  if (rc) {
    c->ent_len = at;
    return rc;
  }
  c->ent_last = at;
  c->ent_docs++;
  return FS_OK;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

int fs_compare_entries_of(fs_compare *c, const fs_doc *d) {
  const fs_lexicon *lex = c->lex;
  size_t k = 0;
  if (fs_grow(&c->ent_tmp, &c->ent_tmp_cap, 3 * d->nmatches + 2,
              sizeof *c->ent_tmp))
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    if (m->voice != FS_VOICE_AUTHOR)
      continue;
    uint32_t e = m->entry == FS_NONE ? (uint32_t)lex->nentries : m->entry;
    uint32_t s = c->entry_slot[e];
    if (s != FS_NONE)
      c->ent_tmp[k++] = s;
  }
  /* slot order, each slot once with its matches */
  uint32_t *t = c->ent_tmp;
  qsort(t, k, sizeof *t, cmp_u32);
  /* into pairs at the back of the array, then moved to the front */
  size_t np = 0;
  uint32_t *pairs = t + k;
  for (size_t i = 0; i < k; i++) {
    if (np && pairs[2 * (np - 1)] == t[i]) {
      pairs[2 * (np - 1) + 1]++;
      continue;
    }
    pairs[2 * np] = t[i], pairs[2 * np + 1] = 1;
    np++;
  }
  memmove(t, pairs, 2 * np * sizeof *t);
  return fs_compare_push_entries(c, (double)d->stats.words[FS_VOICE_AUTHOR], t,
                                 np);
}

int fs_compare_entries_counted(fs_compare *c, const fs_doc *d,
                               const size_t *entry_n) {
  size_t n = c->lex->nentries + 1, np = 0;
  if (!c->slot_entry)
    return FS_ERR_USAGE; /* slots given by a counts file: no entries */
  if (fs_grow(&c->ent_tmp, &c->ent_tmp_cap, 2 * n + 2, sizeof *c->ent_tmp))
    return FS_ERR_NOMEM;
  /* (slot, matches) pairs in slot order, as fs_compare_entries_of makes */
  uint32_t *t = c->ent_tmp;
  for (size_t s = 0; s < c->nslots; s++) {
    uint32_t e = c->slot_entry[s];
    if (e < n && entry_n[e])
      t[2 * np] = (uint32_t)s, t[2 * np + 1] = (uint32_t)entry_n[e], np++;
  }
  return fs_compare_push_entries(c, (double)d->stats.words[FS_VOICE_AUTHOR], t,
                                 np);
}

size_t fs_compare_last_entries(fs_compare *c, const uint32_t **pairs) {
  const unsigned char *p = c->ent + c->ent_last;
  *pairs = c->ent_tmp;
  if (!c->ent_docs)
    return 0;
  (void)fs_varint_decode(&p); /* the words */
  size_t k = (size_t)fs_varint_decode(&p);
  /* ent_tmp holds at least 2 * k numbers: fs_compare_entries_of sized it */
  for (size_t i = 0, prev = 0; i < k; i++) {
    c->ent_tmp[2 * i] = (uint32_t)(prev + fs_varint_decode(&p));
    c->ent_tmp[2 * i + 1] = (uint32_t)fs_varint_decode(&p);
    prev = c->ent_tmp[2 * i] + 1;
  }
  return k;
}

void fs_compare_drop_docs(fs_compare *c) {
  c->ndocs = 0;
  c->ent_len = c->ent_last = c->ent_docs = 0;
}

/* Appends measure distinctive_score with per-document numerators num and
 * denominators den: its two columns (both doubles: the integer columns keep
 * their places) go into every row of vals, widened in place from the last
 * row back, so the rows are never held twice. */
static int append_measure(fs_compare *c, const double *num, const double *den) {
  size_t M = c->nmeasures, W = c->width, DW = c->dwidth, IW = c->iwidth;
  uint32_t *old_col = malloc((W + 1) * sizeof *old_col);
  double *old = malloc((DW + 1) * sizeof *old);
  fs_measure *ms = realloc(c->measures, (M + 2) * sizeof *ms);
  if (ms)
    c->measures = ms;
  int rc = FS_ERR_NOMEM;
  if (!old_col || !old || !ms)
    goto done;
  memcpy(old_col, c->col, W * sizeof *old_col);
  fs_measure *m = &c->measures[M];
  memset(m, 0, sizeof *m);
  snprintf(m->name, sizeof m->name, "distinctive_score");
  m->kind = FS_MEASURE_DISTINCT;
  m->index = FS_NONE;
  m->scale = 1000.0;
  m->counts = false; /* summed weights: no token-level tests */
  c->nmeasures = M + 1;
  /* c is freed after a failed run: its layout need not be whole then */
  if (fs_compare_layout(c) || c->iwidth != IW ||
      fs_grow(&c->vals, &c->vals_cap, c->ndocs * c->dwidth + 1,
              sizeof *c->vals))
    goto done;
  for (size_t i = c->ndocs; i-- > 0;) {
    memcpy(old, c->vals + i * DW, DW * sizeof *old);
    for (size_t j = 0; j < c->width; j++) {
      uint32_t x = c->col[j];
      if (!(x & FS_COMPARE_DBL))
        continue; /* ivals: unchanged */
      double val;
      if (j == M)
        val = num[i];
      else if (j == c->width - 1)
        val = den[i];
      else {
        uint32_t y = old_col[j < M ? j : j - 1];
        val = y & FS_COMPARE_DBL ? old[y & ~FS_COMPARE_DBL]
                                 : (double)c->ivals[i * IW + y];
      }
      c->vals[i * c->dwidth + (x & ~FS_COMPARE_DBL)] = val;
    }
  }
  rc = FS_OK;
done:
  free(old_col), free(old);
  return rc;
}

int fs_compare_add_distinct(fs_compare *c) {
  if (!c->entries || c->ent_docs != c->ndocs || c->ndocs == 0) {
    c->distinct_note = "no distinctive_score: the counts hold no per-entry "
                       "counts for every document (counts format 2, or a "
                       "--save-counts CSV written before them)";
    return FS_OK;
  }
  if (c->noutlets < 2) {
    c->distinct_note = "no distinctive_score: one outlet, no rest of the "
                       "corpus to compare it with";
    return FS_OK;
  }
  size_t O = c->noutlets, S = c->nslots, n = c->ndocs;
  if (S && O > FS_COMPARE_DISTINCT_CELLS / S) {
    c->distinct_note = "no distinctive_score: too many outlets or groups "
                       "(outlets x scored entries over 2^24)";
    return FS_OK;
  }
  double prior = c->distinct_prior >= 0 ? c->distinct_prior : FS_DISTINCT_PRIOR;
  double *tally = calloc(O * S + 1, sizeof *tally);
  double *total = calloc(S + 1, sizeof *total);
  double *words = calloc(O, sizeof *words);
  double *num = malloc((2 * n + 1) * sizeof *num);
  int rc = FS_ERR_NOMEM;
  if (!tally || !total || !words || !num)
    goto done;
  double *den = num + n;
  /* the outlets' matches per slot and words */
  double N = 0;
  const unsigned char *p = c->ent;
  for (size_t i = 0; i < n; i++) {
    double *t = &tally[c->docs[i].outlet * S];
    double w = (double)fs_varint_decode(&p);
    words[c->docs[i].outlet] += w;
    N += w;
    size_t k = (size_t)fs_varint_decode(&p);
    for (size_t j = 0, s = 0; j < k; j++, s++) {
      s += fs_varint_decode(&p);
      double x = (double)fs_varint_decode(&p);
      t[s] += x;
      total[s] += x;
    }
  }
  /* tally becomes each slot's weighted factor in each outlet */
  for (size_t o = 0; o < O; o++)
    for (size_t s = 0; s < S; s++) {
      double *t = &tally[o * S + s];
      if (*t > 0)
        *t = c->slot_weight[s] *
             fs_distinct_excess(*t, total[s], words[o], N, prior) / *t;
    }
  p = c->ent;
  for (size_t i = 0; i < n; i++) {
    const double *f = &tally[c->docs[i].outlet * S];
    den[i] = (double)fs_varint_decode(&p);
    size_t k = (size_t)fs_varint_decode(&p);
    double sum = 0;
    for (size_t j = 0, s = 0; j < k; j++, s++) {
      s += fs_varint_decode(&p);
      sum += f[s] * (double)fs_varint_decode(&p);
    }
    num[i] = sum;
  }
  /* the entries stay for the permutation tests (fs_compare_distinct_tests) */
  rc = append_measure(c, num, den);
done:
  free(tally), free(total), free(words), free(num);
  return rc;
}

/* ---- the permutation tests of distinctive_score ----
 *
 * An outlet's distinctive rate depends only on its tallies: with t(o,s)
 * its matches of slot s and W_o its words,
 *
 *   rate(o) = 1000 * sum_s w_s * excess(t(o,s), T_s, W_o, N) / W_o
 *
 * (T_s, N: the corpus's, which no relabelling changes). So each
 * relabelling of the documents re-estimates every factor by tallying the
 * relabelled documents' entries again: O(entry-document pairs) per draw. */

typedef struct dperm {
  const fs_compare *c;
  size_t S, O;
  double prior, N;
  const double *total; /* T_s */
  const size_t *off;   /* per document, its entries in c->ent */
  double *tally;       /* O x S, zero between draws */
  uint32_t *touched;   /* cells made non-zero */
  size_t ntouched;
  double *num, *words; /* per outlet: 1000 x the weighted excess, W_o */
} dperm;

/* Every labelled outlet's numerator and words for the documents idx[j]
 * labelled lab[j] (others: zero). */
static void dperm_rates(dperm *d, const size_t *idx, const uint32_t *lab,
                        size_t n) {
  const fs_compare *c = d->c;
  size_t S = d->S;
  memset(d->num, 0, d->O * sizeof *d->num);
  memset(d->words, 0, d->O * sizeof *d->words);
  d->ntouched = 0;
  for (size_t j = 0; j < n; j++) {
    const unsigned char *p = c->ent + d->off[idx[j]];
    double *t = &d->tally[(size_t)lab[j] * S];
    d->words[lab[j]] += (double)fs_varint_decode(&p);
    size_t k = (size_t)fs_varint_decode(&p);
    for (size_t i = 0, s = 0; i < k; i++, s++) {
      s += fs_varint_decode(&p);
      if (t[s] == 0)
        d->touched[d->ntouched++] = (uint32_t)((size_t)lab[j] * S + s);
      t[s] += (double)fs_varint_decode(&p);
    }
  }
  for (size_t i = 0; i < d->ntouched; i++) {
    size_t cell = d->touched[i], o = cell / S, s = cell % S;
    d->num[o] += 1000.0 * c->slot_weight[s] *
                 fs_distinct_excess(d->tally[cell], d->total[s], d->words[o],
                                    d->N, d->prior);
    d->tally[cell] = 0;
  }
}

/* Row r's statistic: side A's rate minus side B's (B: the rest). */
static double dperm_diff(const dperm *d, const fs_compare_row *r) {
  double na = d->num[r->a], wa = d->words[r->a], nb = 0, wb = 0;
  if (r->b != FS_NONE)
    nb = d->num[r->b], wb = d->words[r->b];
  else
    for (size_t o = 0; o < d->O; o++)
      if (o != r->a)
        nb += d->num[o], wb += d->words[o];
  return wa > 0 && wb > 0 ? na / wa - nb / wb : NAN;
}

/* The between-outlet spread: sum_o W_o (rate(o) - overall)^2. */
static double dperm_spread(const dperm *d) {
  double nn = 0, ww = 0, s = 0;
  for (size_t o = 0; o < d->O; o++)
    nn += d->num[o], ww += d->words[o];
  for (size_t o = 0; ww > 0 && o < d->O; o++)
    if (d->words[o] > 0) {
      double x = d->num[o] / d->words[o] - nn / ww;
      s += d->words[o] * x * x;
    }
  return s;
}

/* As far as floating-point sums go, at least as extreme. */
static bool extreme(double x, double obs) {
  return x >= obs - 1e-9 * fmax(1.0, obs);
}

static void seed_stream(gsl_rng *rng, unsigned long seed, uint64_t stream) {
  uint64_t h = ((uint64_t)seed << 32) ^ stream ^ 0x9e3779b97f4a7c15ULL;
  h ^= h >> 33, h *= 0xff51afd7ed558ccdULL, h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL, h ^= h >> 33;
  gsl_rng_set(rng, (unsigned long)(h & 0xffffffffUL));
}

/* Monte Carlo p from G of `draws` relabellings at least as extreme. */
static void mc_p(double G, size_t draws, double *p, double *err,
                 double *min_p) {
  *p = (1 + G) / (double)(draws + 1);
  *err = 1.96 * sqrt(*p * (1 - *p) / (double)draws);
  *min_p = 1 / (double)(draws + 1);
}

/* One set of relabellings of the documents idx (labels lab, shuffled in
 * place): the rows rows[0..nr) (their |difference|) and, when omni, the
 * spread into *omni_p. */
static int dperm_run(dperm *d, gsl_rng *rng, size_t *idx, uint32_t *lab,
                     size_t n, fs_compare_row **rows, size_t nr, size_t draws,
                     double *omni_p) {
  double *obs = malloc((nr + 2) * sizeof *obs);
  double *G = calloc(nr + 2, sizeof *G);
  int rc = FS_ERR_NOMEM;
  if (!obs || !G)
    goto done;
  dperm_rates(d, idx, lab, n);
  for (size_t i = 0; i < nr; i++)
    obs[i] = fabs(dperm_diff(d, rows[i]));
  obs[nr] = dperm_spread(d);
  for (size_t b = 0; b < draws; b++) {
    gsl_ran_shuffle(rng, lab, n, sizeof *lab);
    dperm_rates(d, idx, lab, n);
    for (size_t i = 0; i < nr; i++) {
      double x = fabs(dperm_diff(d, rows[i]));
      G[i] += isfinite(obs[i]) && isfinite(x) && extreme(x, obs[i]);
    }
    if (omni_p)
      G[nr] += extreme(dperm_spread(d), obs[nr]);
  }
  for (size_t i = 0; i < nr; i++) {
    fs_compare_row *r = rows[i];
    if (!isfinite(obs[i]))
      continue;
    mc_p(G[i], draws, &r->perm_p, &r->perm_err, &r->perm_min_p);
    r->perm_method = (int)FS_STAT_PERM_MONTE_CARLO;
  }
  if (omni_p) {
    double e, m;
    mc_p(G[nr], draws, omni_p, &e, &m);
  }
  rc = FS_OK;
done:
  free(obs), free(G);
  return rc;
}

int fs_compare_distinct_tests(fs_compare *c, const fs_compare_opts *o,
                              double *omni_p) {
  *omni_p = NAN;
  c->distinct_draws = 0;
  size_t M = c->nmeasures, K = M ? M - 1 : 0;
  if (!M || c->measures[K].kind != FS_MEASURE_DISTINCT || !c->ent)
    return FS_OK;
  size_t O = c->noutlets, S = c->nslots, n = c->ndocs, ncomp = c->nrows / M;
  dperm d = {.c = c, .S = S, .O = O};
  d.prior = c->distinct_prior >= 0 ? c->distinct_prior : FS_DISTINCT_PRIOR;
  double *total = calloc(S + 1, sizeof *total);
  size_t *off = malloc((n + 1) * sizeof *off);
  size_t *idx = malloc((n + 1) * sizeof *idx);
  uint32_t *lab = malloc((n + 1) * sizeof *lab);
  fs_compare_row **rows = malloc((ncomp + 1) * sizeof *rows);
  d.tally = calloc(O * S + 1, sizeof *d.tally);
  d.touched = malloc((O * S + 1) * sizeof *d.touched);
  d.num = malloc((O + 1) * sizeof *d.num);
  d.words = malloc((O + 1) * sizeof *d.words);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  int rc = FS_ERR_NOMEM;
  if (!total || !off || !idx || !lab || !rows || !d.tally || !d.touched ||
      !d.num || !d.words || !rng)
    goto done;
  d.total = total, d.off = off;
  /* each document's place, the corpus's totals, the pairs of all */
  size_t pairs = 0;
  const unsigned char *p = c->ent;
  for (size_t i = 0; i < n; i++) {
    off[i] = (size_t)(p - c->ent);
    d.N += (double)fs_varint_decode(&p);
    size_t k = (size_t)fs_varint_decode(&p);
    pairs += k + 1;
    for (size_t j = 0, s = 0; j < k; j++, s++) {
      s += fs_varint_decode(&p);
      total[s] += (double)fs_varint_decode(&p);
    }
  }
  size_t want =
      o->permutations > 0 ? (size_t)o->permutations : FS_COMPARE_PERMUTATIONS;
  size_t draws = want;
  /* bounded work: draws x entry-document pairs */
  if (pairs && draws > FS_COMPARE_DISTINCT_WORK / pairs)
    draws = FS_COMPARE_DISTINCT_WORK / pairs;
  c->distinct_draws = draws;
  c->distinct_capped = draws < want;
  if (draws < FS_COMPARE_DISTINCT_MIN_DRAWS) {
    rc = FS_OK;
    goto done; /* too large a corpus: no test (distinct_draws says so) */
  }
  bool pair = c->rows[K * ncomp].b != FS_NONE;
  /* the omnibus, and with it each outlet against the rest: every document
   * with author-voice words relabelled */
  size_t nr = 0, m = 0;
  for (size_t i = 0; i < n; i++)
    if (fs_compare_den(c, i, K) > 0)
      idx[m] = i, lab[m++] = c->docs[i].outlet;
  for (size_t i = 0; !pair && i < ncomp; i++)
    if (c->rows[K * ncomp + i].doc_tests)
      rows[nr++] = &c->rows[K * ncomp + i];
  seed_stream(rng, o->seed, 0);
  if ((rc = dperm_run(&d, rng, idx, lab, m, rows, nr, draws, omni_p)))
    goto done;
  if (pair) {
    /* a against b: their documents relabelled, the others as they are */
    fs_compare_row *r = &c->rows[K * ncomp];
    m = 0;
    for (size_t i = 0; i < n; i++)
      if ((c->docs[i].outlet == r->a || c->docs[i].outlet == r->b) &&
          fs_compare_den(c, i, K) > 0)
        idx[m] = i, lab[m++] = c->docs[i].outlet;
    seed_stream(rng, o->seed, 1);
    if (r->doc_tests &&
        (rc = dperm_run(&d, rng, idx, lab, m, &r, 1, draws, NULL)))
      goto done;
  }
  rc = FS_OK;
done:
  free(total), free(off), free(idx), free(lab), free(rows);
  free(d.tally), free(d.touched), free(d.num), free(d.words);
  gsl_rng_free(rng);
  /* the entries are used */
  free(c->ent);
  c->ent = NULL;
  c->ent_len = c->ent_cap = 0;
  return rc;
}
