/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compare_distinct.c - per-document author-voice matches of each scored
 * lexicon entry -> compare's story-relative measures, distinctive_score and
 * one per framing dimension (distinctive_DIM), with their permutation
 * tests on every thread.
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
#include "model.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdatomic.h>
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
  for (size_t i = 0; i < c->nfiles && !c->borrow_names; i++)
    free(c->files[i]);
  c->nfiles = 0;
  c->ndocs = 0;
  c->ent_len = c->ent_last = c->ent_docs = 0;
}

/* Appends the nd distinctive measures named by their model dimension
 * (dim[m]: its index, FS_NONE for distinctive_score): their columns (one
 * denominator column for all, last; the other columns keep their places)
 * go into every row, as 16-bit zeros (col_move: widened in place, so the
 * rows are never held twice) until the caller sets each document's
 * numerators and denominator (fs_compare_add_distinct), so no array of
 * them is held beside the rows. */
static int append_measures(fs_compare *c, const uint32_t *dim, size_t nd) {
  size_t M = c->nmeasures, W = c->width;
  size_t n = c->ndocs;
  uint32_t *old_col = malloc((W + 1) * sizeof *old_col);
  fs_measure *ms = realloc(c->measures, (M + nd + 1) * sizeof *ms);
  if (ms)
    c->measures = ms;
  int rc = FS_ERR_NOMEM;
  if (!old_col || !ms)
    goto done;
  memcpy(old_col, c->col, W * sizeof *old_col);
  for (size_t k = 0; k < nd; k++) {
    fs_measure *m = &c->measures[M + k];
    memset(m, 0, sizeof *m);
    if (dim[k] == FS_NONE)
      snprintf(m->name, sizeof m->name, "distinctive_score");
    else
      snprintf(m->name, sizeof m->name, "distinctive_%.100s",
               c->model->dims[dim[k]].name);
    m->kind = FS_MEASURE_DISTINCT;
    m->index = dim[k];
    m->scale = 1000.0;
    m->counts = false; /* summed weights: no token-level tests */
  }
  c->nmeasures = M + nd;
  c->dist_first = M, c->ndist = nd;
  /* c is freed after a failed run: its layout need not be whole then */
  if (fs_compare_layout(c) || c->width != W + nd + 1)
    goto done;
  if (n == 0) { /* no rows: the layout's fresh columns */
    rc = FS_OK;
    goto done;
  }
  /* new column j: the old j before the new measures, then the numerators,
   * the old columns from the words on, and last the shared denominator;
   * the new ones placed as they are appended */
  for (size_t j = 0; j < c->width; j++)
    c->col[j] = j < M ? old_col[j] : j >= M + nd && j < c->width - 1
                                         ? old_col[j - nd]
                                         : FS_COL_INDEX;
  for (size_t j = M; j < c->width; j++) {
    if (c->col[j] != FS_COL_INDEX)
      continue;
    c->col[j] = (uint32_t)c->blk[FS_COL_U16].width;
    if (fs_compare_col_zeros(c, n))
      goto done;
  }
  rc = FS_OK;
done:
  free(old_col);
  return rc;
}

/* The dimensions a story-relative value is defined for, as report's
 * (render_distinct.c): linear, author voice, per 1,000 words. */
static bool dim_ok(const fs_dimension *d) {
  return d->active && d->kind == FS_DIM_LINEAR &&
         d->voice == FS_VOICE_AUTHOR && d->norm == FS_NORM_PER_1K && d->catw;
}

/* The distinctive measures and their weights of each slot into c->dist_w
 * and dim (room for 1 + the model's dimensions): distinctive_score, then
 * each dimension that weighs some slot, as report weighs an entry in a
 * dimension (its category's weight, times the entry's when the dimension
 * sums weights). Slots of an analysed corpus only: a counts file does not
 * name the model's categories. Returns their number, 0 out of memory. */
static size_t dist_weights(fs_compare *c, uint32_t *dim) {
  size_t S = c->nslots, nd = 1;
  const fs_model *mo = c->model && c->slot_entry && c->lex &&
                               c->model->lex == c->lex
                           ? c->model
                           : NULL;
  size_t cap = 1 + (mo ? mo->ndims : 0);
  free(c->dist_w);
  if (!(c->dist_w = calloc(cap * S + 1, sizeof *c->dist_w)))
    return 0;
  if (S)
    memcpy(c->dist_w, c->slot_weight, S * sizeof *c->dist_w);
  dim[0] = FS_NONE;
  if (!c->slot_entry)
    c->distinct_dims_note = "no distinctive dimension rows: counts files "
                            "carry no model (compare on the texts has them)";
  for (size_t k = 0; mo && k < mo->ndims; k++) {
    const fs_dimension *d = &mo->dims[k];
    if (!dim_ok(d))
      continue;
    double *w = &c->dist_w[nd * S];
    bool any = false;
    for (size_t s = 0; s < S; s++) {
      uint32_t e = c->slot_entry[s];
      uint32_t cat = e == c->lex->nentries ? c->lex->scare_cat
                                           : c->lex->entries[e].category;
      if (cat < mo->ncats && d->catw[cat] != 0)
        w[s] = d->catw[cat] * (d->weights ? c->slot_weight[s] : 1.0);
      any |= w[s] != 0;
    }
    if (any)
      dim[nd++] = (uint32_t)k;
  }
  return nd;
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
  size_t cap = 1 + (c->model ? c->model->ndims : 0);
  uint32_t *dim = malloc(cap * sizeof *dim);
  double *tally = calloc(O * S + 1, sizeof *tally);
  double *excess = malloc((O * S + 1) * sizeof *excess);
  double *total = calloc(S + 1, sizeof *total);
  double *words = calloc(O, sizeof *words);
  double *sum = malloc(cap * sizeof *sum);
  size_t nd = dim ? dist_weights(c, dim) : 0;
  int rc = FS_ERR_NOMEM;
  if (!dim || !tally || !excess || !total || !words || !sum || !nd)
    goto done;
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
  /* total becomes each slot's excess in each outlet (the tallies stay) */
  for (size_t o = 0; o < O; o++)
    for (size_t s = 0; s < S; s++) {
      double t = tally[o * S + s];
      excess[o * S + s] =
          t > 0 ? fs_distinct_excess(t, total[s], words[o], N, prior) : 0;
    }
  /* the rows widened, each document's numerators and denominator go
   * straight into its new columns */
  if ((rc = append_measures(c, dim, nd)))
    goto done;
  size_t M = c->dist_first;
  p = c->ent;
  for (size_t i = 0; i < n && rc == FS_OK; i++) {
    const double *t = &tally[c->docs[i].outlet * S];
    const double *x = &excess[c->docs[i].outlet * S];
    rc = fs_compare_set(c, i, c->width - 1, (double)fs_varint_decode(&p));
    size_t k = (size_t)fs_varint_decode(&p);
    memset(sum, 0, nd * sizeof *sum);
    for (size_t j = 0, s = 0; j < k; j++, s++) {
      s += fs_varint_decode(&p);
      double v = (double)fs_varint_decode(&p);
      /* each measure's weighted factor w * excess / matches, times the
       * document's matches */
      for (size_t m = 0; m < nd; m++)
        sum[m] += c->dist_w[m * S + s] * x[s] / t[s] * v;
    }
    for (size_t m = 0; m < nd && rc == FS_OK; m++)
      rc = fs_compare_set(c, i, M + m, sum[m]);
  }
  if (rc)
    goto done;
  /* the entries stay for the permutation tests (fs_compare_distinct_tests) */
  rc = FS_OK;
done:
  free(dim), free(tally), free(excess), free(total), free(words);
  free(sum);
  return rc;
}

/* ---- the permutation tests of the distinctive measures ----
 *
 * An outlet's distinctive rate depends only on its tallies: with t(o,s)
 * its matches of slot s and W_o its words,
 *
 *   rate(o) = 1000 * sum_s w_s * excess(t(o,s), T_s, W_o, N) / W_o
 *
 * (T_s, N: the corpus's, which no relabelling changes). So each
 * relabelling of the documents re-estimates every factor by tallying the
 * relabelled documents' entries again: O(entry-document pairs) per draw.
 * Each distinctive measure has its own w_s (distinctive_score: the
 * entries' weights; a dimension: its weights of them), so one tally
 * serves them all. The draws run in blocks of FS_COMPARE_DISTINCT_BLOCK,
 * each from the observed labels with the random stream of (seed, test,
 * block), on as many threads as asked: the counts of draws at least as
 * extreme are whole numbers summed at the end, the same for any number. */

/* What every worker reads. */
typedef struct dshared {
  const fs_compare *c;
  size_t S, O, ND; /* slots, outlets, distinctive measures */
  double prior, N;
  const double *total;  /* T_s */
  const size_t *off;    /* per document, its entries in c->ent */
  const size_t *sl;     /* slot s's measures: sl_m, sl_w [sl[s], sl[s+1]) */
  const uint32_t *sl_m; /* the measure (0: distinctive_score) */
  const double *sl_w;   /* its weight of the slot */
} dshared;

/* One worker's tallies. */
typedef struct dperm {
  const dshared *sh;
  double *tally;       /* O x S, zero between draws */
  uint32_t *touched;   /* cells made non-zero */
  size_t ntouched;
  double *num, *words; /* per measure and outlet ([m * O + o]): 1000 x the
                          weighted excess; per outlet W_o */
} dperm;

static void dperm_free(dperm *d) {
  free(d->tally), free(d->touched), free(d->num), free(d->words);
}

static int dperm_init(dperm *d, const dshared *sh) {
  d->sh = sh;
  d->tally = calloc(sh->O * sh->S + 1, sizeof *d->tally);
  d->touched = malloc((sh->O * sh->S + 1) * sizeof *d->touched);
  d->num = malloc((sh->ND * sh->O + 1) * sizeof *d->num);
  d->words = malloc((sh->O + 1) * sizeof *d->words);
  return d->tally && d->touched && d->num && d->words ? FS_OK : FS_ERR_NOMEM;
}

/* Every labelled outlet's numerators and words for the documents idx[j]
 * labelled lab[j] (others: zero). */
static void dperm_rates(dperm *d, const size_t *idx, const uint32_t *lab,
                        size_t n) {
  const dshared *sh = d->sh;
  const fs_compare *c = sh->c;
  size_t S = sh->S, O = sh->O;
  memset(d->num, 0, sh->ND * O * sizeof *d->num);
  memset(d->words, 0, O * sizeof *d->words);
  d->ntouched = 0;
  for (size_t j = 0; j < n; j++) {
    const unsigned char *p = c->ent + sh->off[idx[j]];
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
    double x = fs_distinct_excess(d->tally[cell], sh->total[s], d->words[o],
                                  sh->N, sh->prior);
    for (size_t j = sh->sl[s]; j < sh->sl[s + 1]; j++)
      d->num[sh->sl_m[j] * O + o] += 1000.0 * sh->sl_w[j] * x;
    d->tally[cell] = 0;
  }
}

/* Row r's statistic: side A's rate minus side B's (B: the rest). */
static double dperm_diff(const dperm *d, const fs_compare_row *r) {
  size_t O = d->sh->O;
  const double *num = d->num + (r->measure - d->sh->c->dist_first) * O;
  double na = num[r->a], wa = d->words[r->a], nb = 0, wb = 0;
  if (r->b != FS_NONE)
    nb = num[r->b], wb = d->words[r->b];
  else
    for (size_t o = 0; o < O; o++)
      if (o != r->a)
        nb += num[o], wb += d->words[o];
  return wa > 0 && wb > 0 ? na / wa - nb / wb : NAN;
}

/* Measure m's between-outlet spread: sum_o W_o (rate(o) - overall)^2. */
static double dperm_spread(const dperm *d, size_t m) {
  size_t O = d->sh->O;
  const double *num = d->num + m * O;
  double nn = 0, ww = 0, s = 0;
  for (size_t o = 0; o < O; o++)
    nn += num[o], ww += d->words[o];
  for (size_t o = 0; ww > 0 && o < O; o++)
    if (d->words[o] > 0) {
      double x = num[o] / d->words[o] - nn / ww;
      s += d->words[o] * x * x;
    }
  return s;
}

/* As far as floating-point sums go, at least as extreme. */
static bool extreme(double x, double obs) {
  return x >= obs - 1e-9 * fmax(1.0, obs);
}

static uint64_t mix64(uint64_t h) {
  h ^= h >> 33, h *= 0xff51afd7ed558ccdULL, h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL, h ^= h >> 33;
  return h;
}

/* The random stream of block `block` of test `test`, from the seed. */
static void seed_stream(gsl_rng *rng, unsigned long seed, uint64_t test,
                        uint64_t block) {
  uint64_t h = mix64((uint64_t)seed ^ 0x9e3779b97f4a7c15ULL);
  h = mix64(h ^ (test << 40) ^ block);
  gsl_rng_set(rng, (unsigned long)(h & 0xffffffffUL));
}

/* Monte Carlo p from G of `draws` relabellings at least as extreme. */
static void mc_p(double G, size_t draws, double *p, double *err,
                 double *min_p) {
  *p = (1 + G) / (double)(draws + 1);
  *err = 1.96 * sqrt(*p * (1 - *p) / (double)draws);
  *min_p = 1 / (double)(draws + 1);
}

/* One set of relabellings (test `test`) of the documents idx with labels
 * lab: what every worker reads, and each worker's own. */
typedef struct dset {
  const dshared *sh;
  const fs_compare_opts *o;
  uint64_t test;
  const size_t *idx;
  const uint32_t *lab;
  size_t n;
  fs_compare_row **rows; /* their |difference| against obs[0..nr) */
  size_t nr;
  bool omni;             /* and each measure's spread against obs[nr + m] */
  const double *obs;
  size_t draws, nblocks;
  atomic_size_t next;    /* the next block to take */
} dset;

typedef struct dworker {
  dset *set;
  dperm d;
  uint32_t *lab; /* the block's relabelling */
  gsl_rng *rng;
  double *G;     /* per statistic: relabellings at least as extreme (whole
                    numbers: the same sum in any order) */
  int rc;
} dworker;

static void *dset_work(void *arg) {
  dworker *w = arg;
  dset *st = w->set;
  size_t ns = st->nr + (st->omni ? st->sh->ND : 0);
  for (size_t b; (b = atomic_fetch_add(&st->next, 1)) < st->nblocks;) {
    /* each block starts from the observed labels with its own stream */
    memcpy(w->lab, st->lab, st->n * sizeof *w->lab);
    seed_stream(w->rng, st->o->seed, st->test, b);
    size_t from = b * FS_COMPARE_DISTINCT_BLOCK;
    size_t to = from + FS_COMPARE_DISTINCT_BLOCK < st->draws
                    ? from + FS_COMPARE_DISTINCT_BLOCK
                    : st->draws;
    for (size_t r = from; r < to; r++) {
      gsl_ran_shuffle(w->rng, w->lab, st->n, sizeof *w->lab);
      dperm_rates(&w->d, st->idx, w->lab, st->n);
      for (size_t i = 0; i < st->nr; i++) {
        double x = fabs(dperm_diff(&w->d, st->rows[i]));
        w->G[i] += isfinite(st->obs[i]) && isfinite(x) && extreme(x, st->obs[i]);
      }
      for (size_t m = st->nr; m < ns; m++)
        w->G[m] += extreme(dperm_spread(&w->d, m - st->nr), st->obs[m]);
    }
  }
  return NULL;
}

/* One set of relabellings of the documents idx (labels lab): the rows
 * rows[0..nr) (their |difference|) and, when omni, each measure's spread
 * into c->kw. Blocks of relabellings on up to nt threads. */
static int dperm_run(const dshared *sh, const fs_compare_opts *o,
                     uint64_t test, const size_t *idx, const uint32_t *lab,
                     size_t n, fs_compare_row **rows, size_t nr, size_t draws,
                     bool omni) {
  fs_compare *c = (fs_compare *)sh->c;
  size_t ND = sh->ND, ns = nr + (omni ? ND : 0);
  dset st = {.sh = sh, .o = o, .test = test, .idx = idx, .lab = lab, .n = n,
             .rows = rows, .nr = nr, .omni = omni, .draws = draws};
  st.nblocks = (draws + FS_COMPARE_DISTINCT_BLOCK - 1) /
               FS_COMPARE_DISTINCT_BLOCK;
  atomic_init(&st.next, 0);
  /* the workers' tallies: at most 2^25 cells in all */
  size_t cells = sh->O * sh->S + 1;
  size_t nt = o->threads > 1 ? (size_t)o->threads : 1;
  if (nt > FS_COMPARE_MAX_THREADS)
    nt = FS_COMPARE_MAX_THREADS;
  if (nt > st.nblocks)
    nt = st.nblocks ? st.nblocks : 1;
  if (nt > ((size_t)1 << 25) / cells)
    nt = ((size_t)1 << 25) / cells ? ((size_t)1 << 25) / cells : 1;
  double *obs = malloc((ns + 1) * sizeof *obs);
  dworker *ws = calloc(nt, sizeof *ws);
  int rc = FS_ERR_NOMEM;
  if (!obs || !ws)
    goto done;
  for (size_t t = 0; t < nt; t++) {
    ws[t].set = &st;
    ws[t].lab = malloc((n + 1) * sizeof *ws[t].lab);
    ws[t].G = calloc(ns + 1, sizeof *ws[t].G);
    ws[t].rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (dperm_init(&ws[t].d, sh) || !ws[t].lab || !ws[t].G || !ws[t].rng)
      goto done;
  }
  dperm_rates(&ws[0].d, idx, lab, n);
  for (size_t i = 0; i < nr; i++)
    obs[i] = fabs(dperm_diff(&ws[0].d, rows[i]));
  for (size_t m = nr; m < ns; m++)
    obs[m] = dperm_spread(&ws[0].d, m - nr);
  st.obs = obs;
  fs_compare_run_workers(dset_work, ws, sizeof *ws, nt);
  for (size_t t = 1; t < nt; t++)
    for (size_t i = 0; i < ns; i++)
      ws[0].G[i] += ws[t].G[i];
  for (size_t i = 0; i < nr; i++) {
    fs_compare_row *r = rows[i];
    if (!isfinite(obs[i]))
      continue;
    mc_p(ws[0].G[i], draws, &r->perm_p, &r->perm_err, &r->perm_min_p);
    r->perm_method = (int)FS_STAT_PERM_MONTE_CARLO;
  }
  for (size_t m = nr; m < ns; m++) {
    double e, mp;
    mc_p(ws[0].G[m], draws, &c->kw[c->dist_first + m - nr].p, &e, &mp);
  }
  rc = FS_OK;
done:
  for (size_t t = 0; ws && t < nt; t++) {
    dperm_free(&ws[t].d);
    free(ws[t].lab), free(ws[t].G);
    gsl_rng_free(ws[t].rng);
  }
  free(obs), free(ws);
  return rc;
}

/* Slot s's distinctive measures with their weights, as lists: sl[s] ..
 * sl[s + 1] in sl_m, sl_w. */
static int slot_lists(const fs_compare *c, size_t **sl, uint32_t **sl_m,
                      double **sl_w) {
  size_t S = c->nslots, ND = c->ndist, n = 0;
  *sl = malloc((S + 1) * sizeof **sl);
  *sl_m = malloc((ND * S + 1) * sizeof **sl_m);
  *sl_w = malloc((ND * S + 1) * sizeof **sl_w);
  if (!*sl || !*sl_m || !*sl_w)
    return FS_ERR_NOMEM;
  for (size_t s = 0; s < S; s++) {
    (*sl)[s] = n;
    for (size_t m = 0; m < ND; m++)
      if (c->dist_w[m * S + s] != 0)
        (*sl_m)[n] = (uint32_t)m, (*sl_w)[n++] = c->dist_w[m * S + s];
  }
  (*sl)[S] = n;
  return FS_OK;
}

int fs_compare_distinct_tests(fs_compare *c, const fs_compare_opts *o) {
  c->distinct_draws = 0;
  size_t M = c->nmeasures, K = c->dist_first, ND = c->ndist;
  if (!ND || !c->ent)
    return FS_OK;
  size_t O = c->noutlets, S = c->nslots, n = c->ndocs, ncomp = c->nrows / M;
  dshared sh = {.c = c, .S = S, .O = O, .ND = ND};
  sh.prior = c->distinct_prior >= 0 ? c->distinct_prior : FS_DISTINCT_PRIOR;
  double *total = calloc(S + 1, sizeof *total);
  size_t *off = malloc((n + 1) * sizeof *off);
  size_t *idx = malloc((n + 1) * sizeof *idx);
  uint32_t *lab = malloc((n + 1) * sizeof *lab);
  fs_compare_row **rows = malloc((ND * ncomp + 1) * sizeof *rows);
  size_t *sl = NULL;
  uint32_t *sl_m = NULL;
  double *sl_w = NULL;
  int rc = slot_lists(c, &sl, &sl_m, &sl_w);
  if (rc || !total || !off || !idx || !lab || !rows) {
    rc = FS_ERR_NOMEM;
    goto done;
  }
  sh.total = total, sh.off = off, sh.sl = sl, sh.sl_m = sl_m, sh.sl_w = sl_w;
  /* each document's place, the corpus's totals, the pairs of all */
  size_t pairs = 0;
  const unsigned char *p = c->ent;
  for (size_t i = 0; i < n; i++) {
    off[i] = (size_t)(p - c->ent);
    sh.N += (double)fs_varint_decode(&p);
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
  for (size_t k = K; !pair && k < K + ND; k++)
    for (size_t i = 0; i < ncomp; i++)
      if (c->rows[k * ncomp + i].doc_tests)
        rows[nr++] = &c->rows[k * ncomp + i];
  if ((rc = dperm_run(&sh, o, 0, idx, lab, m, rows, nr, draws, true)))
    goto done;
  if (pair) {
    /* a against b: their documents relabelled, the others as they are */
    const fs_compare_row *r = &c->rows[K * ncomp];
    m = nr = 0;
    for (size_t i = 0; i < n; i++)
      if ((c->docs[i].outlet == r->a || c->docs[i].outlet == r->b) &&
          fs_compare_den(c, i, K) > 0)
        idx[m] = i, lab[m++] = c->docs[i].outlet;
    for (size_t k = K; k < K + ND; k++)
      if (c->rows[k * ncomp].doc_tests)
        rows[nr++] = &c->rows[k * ncomp];
    if (nr && (rc = dperm_run(&sh, o, 1, idx, lab, m, rows, nr, draws, false)))
      goto done;
  }
  rc = FS_OK;
done:
  free(total), free(off), free(idx), free(lab), free(rows);
  free(sl), free(sl_m), free(sl_w);
  /* the entries are used */
  free(c->ent);
  c->ent = NULL;
  c->ent_len = c->ent_cap = 0;
  return rc;
}
