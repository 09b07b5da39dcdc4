/* SPDX-License-Identifier: GPL-3.0-or-later */
/* distinct.c - per-document lexicon matches in the author voice -> story-
 * relative ("distinctive") framing scores per document and per outlet.
 *
 * Every outlet covering one story uses the story's own words ("attack",
 * "terrorist" in coverage of an attack). An entry's use by an outlet counts
 * only as far as it exceeds what the rest of the corpus leads one to expect:
 *
 *   expected_eo = N_o * (n_e,rest + a * n_e / N) / (N_rest + a)
 *   excess_eo   = max(0, n_eo - expected_eo)
 *   factor_eo   = excess_eo / n_eo                        (0 .. 1)
 *
 * with n_eo the author-voice matches of entry e in outlet o, N_o the
 * outlet's author-voice words, "rest" the other outlets, and a prior of `a`
 * words at the corpus rate that keeps one stray use elsewhere from deciding
 * (a shrunken rate difference). A document's distinctive score is
 * 1000 * sum_e w_e * factor_eo * n_ed / N_d; an outlet's is
 * 1000 * sum_e w_e * excess_eo / N_o, the word-weighted mean of its
 * documents'. w_e is the entry's weight as written, so event vocabulary
 * (weight 0 in absolute scores) counts here where an outlet stands out.
 * Scare quotes are one pseudo-entry of weight 1. An entry flagged "once"
 * (a naming choice) counts its first match in a document only, as the
 * absolute score does. With fewer than two
 * outlets there is no rest to compare with: fs_distinct_usable() is false.
 * With a context model applied (fs_context_apply), every n above is the
 * matches' summed probability instead of their number, as in the absolute
 * score; without one each match weighs 1 and n is the count. */
#include "context.h"
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct dcount {
  uint32_t entry; /* lexicon entry, or nentries for scare quotes */
  uint32_t n;     /* matches */
  double mass;    /* matches weighted by their context probability */
} dcount;

typedef struct ddoc {
  const char *outlet;
  size_t words;
  double score; /* the absolute loaded_score */
  size_t qwords;  /* quoted words, and the summed weight of the quoted */
  double qweight; /* matches the loaded score counts (at its quote weight) */
  dcount *c; /* sorted by entry */
  uint32_t nc;
  bool added;
} ddoc;

typedef struct doutlet {
  const char *name;
  size_t docs, words;
  size_t qwords;  /* summed over its documents: quoted words, */
  double qweight; /* the quoted matches' weight */
  dcount *c; /* summed over its documents, sorted by entry */
  double *factor;
  uint32_t nc;
  double absolute, distinctive;
} doutlet;

struct fs_distinct {
  const fs_lexicon *lex;
  double prior;
  ddoc *docs;
  size_t ndocs;
  doutlet *outlets;
  size_t noutlets;
  uint32_t *doc_outlet;
};

fs_distinct *fs_distinct_new(const fs_lexicon *lex, size_t ndocs,
                             double prior_words) {
  fs_distinct *ds = calloc(1, sizeof *ds);
  if (!ds)
    return NULL;
  ds->lex = lex;
  ds->prior = prior_words > 0 ? prior_words : 0;
  ds->ndocs = ndocs;
  ds->docs = calloc(ndocs ? ndocs : 1, sizeof *ds->docs);
  if (!ds->docs) {
    free(ds);
    return NULL;
  }
  return ds;
}

void fs_distinct_free(fs_distinct *ds) {
  if (!ds)
    return;
  for (size_t i = 0; i < ds->ndocs; i++)
    free(ds->docs[i].c);
  for (size_t k = 0; k < ds->noutlets; k++)
    free(ds->outlets[k].c), free(ds->outlets[k].factor);
  free(ds->docs), free(ds->outlets), free(ds->doc_outlet);
  free(ds);
}

/* The weight an entry is written with (event entries included). */
static double nominal(const fs_lexicon *lex, uint32_t entry) {
  return entry == lex->nentries ? 1.0 : lex->entries[entry].weight;
}

/* The category of an entry (scare quotes: scare_quote). */
static uint32_t category_of(const fs_lexicon *lex, uint32_t entry) {
  return entry == lex->nentries ? lex->scare_cat
                                : lex->entries[entry].category;
}

/* Does the entry add to the loaded-language score? */
static bool scored(const fs_lexicon *lex, uint32_t entry) {
  return fs_category_in_score(lex, category_of(lex, entry)) &&
         nominal(lex, entry) != 0;
}

double fs_distinct_weight(const fs_lexicon *lex, uint32_t e) {
  return scored(lex, e) ? nominal(lex, e) : 0;
}

double fs_distinct_excess(double n, double total, double No, double N,
                          double prior) {
  double Nr = N - No, rest = total - n;
  double expected =
      Nr + prior > 0 ? No * (rest + prior * (N > 0 ? total / N : 0)) /
                           (Nr + prior)
                     : n;
  return n > expected ? n - expected : 0;
}

static bool is_event(const fs_lexicon *lex, uint32_t entry) {
  return entry < lex->nentries && lex->entries[entry].event;
}

/* An author-voice match: its entry and context probability. */
typedef struct dmatch {
  uint32_t entry;
  double p;
} dmatch;

/* Sorts a[0..n) (collected in match order) into entry order, equal
 * entries in the order of their matches, so the summed probabilities do
 * not depend on the sort: a stable radix sort on the entry, a byte a pass
 * (qsort's comparisons were 5% of the instructions of `report`), or an
 * insertion sort for a few matches. tmp holds n. Returns a or tmp, the one
 * that holds the sorted matches. */
static dmatch *sort_dmatch(dmatch *a, dmatch *tmp, size_t n,
                           uint32_t max_entry) {
  if (n < 64) {
    for (size_t i = 1; i < n; i++) {
      dmatch x = a[i];
      size_t j = i;
      for (; j > 0 && a[j - 1].entry > x.entry; j--)
        a[j] = a[j - 1];
      a[j] = x;
    }
    return a;
  }
  for (unsigned shift = 0; shift < 32 && (max_entry >> shift); shift += 8) {
    /* the top byte's buckets stop at max_entry's (no entry is above it):
     * for a short document the fixed cost of the pass is its buckets */
    size_t nb = (max_entry >> shift) < 255 ? (max_entry >> shift) + 1 : 256;
    size_t at[256];
    memset(at, 0, nb * sizeof *at);
    for (size_t i = 0; i < n; i++)
      at[(a[i].entry >> shift) & 255]++;
    size_t sum = 0;
    for (size_t b = 0; b < nb; b++) {
      size_t c = at[b];
      at[b] = sum;
      sum += c;
    }
    for (size_t i = 0; i < n; i++)
      tmp[at[(a[i].entry >> shift) & 255]++] = a[i];
    dmatch *x = a;
    a = tmp;
    tmp = x;
  }
  return a;
}

/* The quoted part of d's loaded score (ddoc.qwords, qweight), from its
 * per-category weights: the same matches the score sums. */
static void quoted_part(const fs_lexicon *lex, const fs_doc *d, ddoc *dd) {
  dd->qwords = d->stats.words[FS_VOICE_QUOTE];
  dd->qweight = 0;
  for (size_t c = 0; c < lex->ncats && d->stats.weight; c++)
    if (fs_category_in_score(lex, (uint32_t)c))
      dd->qweight += d->stats.weight[c * FS_VOICES + FS_VOICE_QUOTE];
}

/* The rest of the record dd of d, once its nc counts are in dd->c: the
 * outlet, the author-voice words and score, the quoted part. */
static void doc_added(const fs_lexicon *lex, const fs_doc *d,
                      const char *outlet, size_t nc, ddoc *dd) {
  dd->nc = (uint32_t)nc;
  dd->outlet = outlet ? outlet : "";
  dd->words = d->stats.words[FS_VOICE_AUTHOR];
  dd->score = d->stats.loaded_score;
  quoted_part(lex, d, dd);
  dd->added = true;
}

int fs_distinct_add_entries(fs_distinct *ds, size_t i, const char *outlet,
                            const fs_doc *d, const size_t *entry_n) {
  return fs_distinct_add_mass(ds, i, outlet, d, entry_n, NULL);
}

int fs_distinct_add_mass(fs_distinct *ds, size_t i, const char *outlet,
                         const fs_doc *d, const size_t *entry_n,
                         const double *entry_mass) {
  const fs_lexicon *lex = ds->lex;
  if (i >= ds->ndocs)
    return FS_ERR_INPUT;
  ddoc *dd = &ds->docs[i];
  size_t nc = 0;
  for (size_t e = 0; e <= lex->nentries; e++)
    nc += entry_n[e] != 0;
  dd->c = malloc((nc ? nc : 1) * sizeof *dd->c);
  if (!dd->c)
    return FS_ERR_NOMEM;
  nc = 0;
  /* without probabilities each match weighs 1: the summed mass is the
   * count, as in fs_distinct_add without a context model */
  for (size_t e = 0; e <= lex->nentries; e++)
    if (entry_n[e]) {
      size_t k = fs_entry_once(lex, (uint32_t)e) ? 1 : entry_n[e];
      dd->c[nc++] = (dcount){(uint32_t)e, (uint32_t)k,
                             entry_mass ? entry_mass[e] : (double)k};
    }
  doc_added(lex, d, outlet, nc, dd);
  return FS_OK;
}

int fs_distinct_add(fs_distinct *ds, size_t i, const char *outlet,
                    const fs_doc *d) {
  const fs_lexicon *lex = ds->lex;
  if (i >= ds->ndocs)
    return FS_ERR_INPUT;
  ddoc *dd = &ds->docs[i];
  size_t n = 0;
  dmatch *ids = malloc((d->nmatches ? 2 * d->nmatches : 1) * sizeof *ids);
  if (!ids)
    return FS_ERR_NOMEM;
  for (size_t k = 0; k < d->nmatches; k++) {
    const fs_match *m = &d->matches[k];
    if (m->voice == FS_VOICE_AUTHOR)
      ids[n++] = (dmatch){m->entry == FS_NONE ? (uint32_t)lex->nentries
                                              : m->entry,
                          fs_doc_context_prob(d, k)};
  }
  dmatch *sorted = sort_dmatch(ids, ids + n, n, (uint32_t)lex->nentries);
  size_t nc = 0;
  for (size_t k = 0; k < n; k++)
    nc += k == 0 || sorted[k].entry != sorted[k - 1].entry;
  dd->c = malloc((nc ? nc : 1) * sizeof *dd->c);
  if (!dd->c) {
    free(ids);
    return FS_ERR_NOMEM;
  }
  nc = 0;
  for (size_t k = 0; k < n; k++) {
    if (k == 0 || sorted[k].entry != sorted[k - 1].entry)
      dd->c[nc++] = (dcount){sorted[k].entry, 0, 0};
    else if (fs_entry_once(lex, sorted[k].entry))
      continue; /* a repeated name: its first match counts */
    dd->c[nc - 1].n++;
    dd->c[nc - 1].mass += sorted[k].p;
  }
  free(ids);
  doc_added(lex, d, outlet, nc, dd);
  return FS_OK;
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(((const doutlet *)a)->name, ((const doutlet *)b)->name);
}

static uint32_t outlet_of(const fs_distinct *ds, const char *name) {
  size_t lo = 0, hi = ds->noutlets;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(ds->outlets[mid].name, name);
    if (!c)
      return (uint32_t)mid;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return FS_NONE;
}

/* Sums the outlet's documents' counts into o->c (entry order); dense and
 * mass are zeroed scratch arrays of nentries + 1, left zeroed. */
static int sum_outlet(fs_distinct *ds, uint32_t k, size_t nentries,
                      uint32_t *dense, double *mass) {
  doutlet *o = &ds->outlets[k];
  size_t nc = 0;
  for (size_t i = 0; i < ds->ndocs; i++) {
    const ddoc *dd = &ds->docs[i];
    if (!dd->added || ds->doc_outlet[i] != k)
      continue;
    for (uint32_t j = 0; j < dd->nc; j++) {
      nc += dense[dd->c[j].entry] == 0;
      dense[dd->c[j].entry] += dd->c[j].n;
      mass[dd->c[j].entry] += dd->c[j].mass;
    }
  }
  o->c = malloc((nc ? nc : 1) * sizeof *o->c);
  o->factor = calloc(nc ? nc : 1, sizeof *o->factor);
  if (!o->c || !o->factor)
    return FS_ERR_NOMEM;
  o->nc = 0;
  for (size_t e = 0; e <= nentries && o->nc < nc; e++)
    if (dense[e]) {
      o->c[o->nc++] = (dcount){(uint32_t)e, dense[e], mass[e]};
      dense[e] = 0;
      mass[e] = 0;
    }
  return FS_OK;
}

int fs_distinct_finish(fs_distinct *ds) {
  const fs_lexicon *lex = ds->lex;
  size_t ne = lex->nentries + 1;
  ds->doc_outlet = malloc((ds->ndocs ? ds->ndocs : 1) * sizeof *ds->doc_outlet);
  ds->outlets = calloc(ds->ndocs ? ds->ndocs : 1, sizeof *ds->outlets);
  uint32_t *dense = calloc(ne, sizeof *dense);
  double *total = calloc(ne, sizeof *total);
  double *mass = calloc(ne, sizeof *mass);
  int rc = FS_ERR_NOMEM;
  if (!ds->doc_outlet || !ds->outlets || !dense || !total || !mass)
    goto done;
  for (size_t i = 0; i < ds->ndocs; i++)
    if (ds->docs[i].added)
      ds->outlets[ds->noutlets++].name = ds->docs[i].outlet;
  qsort(ds->outlets, ds->noutlets, sizeof *ds->outlets, cmp_name);
  size_t w = 0;
  for (size_t k = 0; k < ds->noutlets; k++)
    if (w == 0 || strcmp(ds->outlets[w - 1].name, ds->outlets[k].name))
      ds->outlets[w++].name = ds->outlets[k].name;
  ds->noutlets = w;
  double N = 0;
  for (size_t i = 0; i < ds->ndocs; i++) {
    const ddoc *dd = &ds->docs[i];
    ds->doc_outlet[i] = dd->added ? outlet_of(ds, dd->outlet) : FS_NONE;
    if (!dd->added)
      continue;
    doutlet *o = &ds->outlets[ds->doc_outlet[i]];
    o->docs++;
    o->words += dd->words;
    o->qwords += dd->qwords;
    o->qweight += dd->qweight;
    N += (double)dd->words;
    for (uint32_t j = 0; j < dd->nc; j++)
      total[dd->c[j].entry] += dd->c[j].mass;
  }
  for (uint32_t k = 0; k < ds->noutlets; k++)
    if ((rc = sum_outlet(ds, k, lex->nentries, dense, mass)))
      goto done;
  for (size_t k = 0; k < ds->noutlets; k++) {
    doutlet *o = &ds->outlets[k];
    double No = (double)o->words, abs_w = 0, dist_w = 0;
    for (uint32_t j = 0; j < o->nc; j++) {
      uint32_t e = o->c[j].entry;
      double n = o->c[j].mass;
      double wt = nominal(lex, e);
      double excess = fs_distinct_excess(n, total[e], No, N, ds->prior);
      o->factor[j] = n > 0 ? excess / n : 0;
      if (!scored(lex, e))
        continue;
      if (!is_event(lex, e))
        abs_w += wt * n;
      dist_w += wt * excess;
    }
    /* the headline pooled: quoted speech at the quote weight (0: exactly
     * the own voice); the distinctive score is the own voice only */
    double qw = fs_lexicon_quote_weight(lex);
    double den = No + qw * (double)o->qwords;
    o->absolute = den > 0 ? 1000.0 * (abs_w + qw * o->qweight) / den : 0;
    o->distinctive = No > 0 ? 1000.0 * dist_w / No : 0;
  }
  rc = FS_OK;
done:
  free(dense), free(total), free(mass);
  return rc;
}

int fs_distinct_usable(const fs_distinct *ds) { return ds->noutlets >= 2; }

/* The factor of entry e in outlet k (0 when the outlet never used it). */
static double factor_of(const doutlet *o, uint32_t e) {
  size_t lo = 0, hi = o->nc;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (o->c[mid].entry == e)
      return o->factor[mid];
    if (o->c[mid].entry < e)
      lo = mid + 1;
    else
      hi = mid;
  }
  return 0;
}

double fs_distinct_doc(const fs_distinct *ds, size_t i) {
  if (i >= ds->ndocs || !ds->docs[i].added || !ds->doc_outlet)
    return NAN;
  const ddoc *dd = &ds->docs[i];
  const doutlet *o = &ds->outlets[ds->doc_outlet[i]];
  double s = 0;
  for (uint32_t j = 0; j < dd->nc; j++)
    if (scored(ds->lex, dd->c[j].entry))
      s += nominal(ds->lex, dd->c[j].entry) * factor_of(o, dd->c[j].entry) *
           dd->c[j].mass;
  return dd->words ? 1000.0 * s / (double)dd->words : 0;
}

int fs_distinct_doc_info(const fs_distinct *ds, size_t i, size_t *words,
                         double *score) {
  if (i >= ds->ndocs || !ds->docs[i].added)
    return -1;
  *words = ds->docs[i].words;
  *score = ds->docs[i].score;
  return 0;
}

size_t fs_distinct_outlet_count(const fs_distinct *ds) { return ds->noutlets; }

int fs_distinct_outlet(const fs_distinct *ds, size_t k,
                       fs_distinct_outlet_info *info) {
  if (k >= ds->noutlets)
    return -1;
  const doutlet *o = &ds->outlets[k];
  *info = (fs_distinct_outlet_info){o->name, o->docs, o->words, o->absolute,
                                    o->distinctive};
  return 0;
}

static void fill_entry(const fs_distinct *ds, const doutlet *o, uint32_t j,
                       fs_distinct_entry *x) {
  const fs_lexicon *lex = ds->lex;
  uint32_t e = o->c[j].entry;
  double wt = nominal(lex, e);
  x->pattern = e == lex->nentries ? "\"...\"" : lex->entries[e].pattern;
  x->category = e == lex->nentries
                    ? "scare_quote"
                    : lex->cats[lex->entries[e].category].name;
  x->event = is_event(lex, e);
  x->matches = o->c[j].n;
  x->factor = o->factor[j];
  x->absolute = x->event || !o->words ? 0 : 1000.0 * wt * o->c[j].mass /
                                                (double)o->words;
  x->distinctive =
      o->words ? 1000.0 * wt * o->factor[j] * o->c[j].mass / (double)o->words
               : 0;
}

/* Orders an outlet's entries by distinctive contribution (then absolute,
 * then entry order): the `max` largest. */
size_t fs_distinct_top(const fs_distinct *ds, size_t k, int distinctive,
                       fs_distinct_entry *out, size_t max) {
  if (k >= ds->noutlets)
    return 0;
  const doutlet *o = &ds->outlets[k];
  size_t n = 0;
  for (uint32_t j = 0; j < o->nc; j++) {
    if (!scored(ds->lex, o->c[j].entry))
      continue;
    fs_distinct_entry x;
    fill_entry(ds, o, j, &x);
    double v = distinctive ? x.distinctive : x.absolute;
    if (v <= 0)
      continue;
    /* insertion into the sorted top list; ties keep entry order */
    size_t at = n;
    while (at > 0 &&
           (distinctive ? out[at - 1].distinctive : out[at - 1].absolute) < v)
      at--;
    if (at >= max)
      continue;
    size_t last = n < max ? n : max - 1;
    memmove(out + at + 1, out + at, (last - at) * sizeof *out);
    out[at] = x;
    if (n < max)
      n++;
  }
  return n;
}

/* Adds entry e's n matches (with the outlet's factor) to a dimension's
 * absolute and distinctive sums. */
static void dim_add(const fs_lexicon *lex, const double *catw, size_t ncats,
                    int weights, uint32_t e, double n, double factor,
                    double *abs, double *dist) {
  uint32_t c = category_of(lex, e);
  if (c >= ncats || catw[c] == 0)
    return;
  double v = catw[c] * (weights ? nominal(lex, e) : 1.0);
  if (!is_event(lex, e))
    *abs += v * n;
  *dist += v * factor * n;
}

int fs_distinct_dimension(const fs_distinct *ds, const double *catw,
                          size_t ncats, int weights, double *outlet_abs,
                          double *outlet_dist, double *doc_abs,
                          double *doc_dist) {
  const fs_lexicon *lex = ds->lex;
  if (!ds->doc_outlet)
    return FS_ERR_INPUT;
  for (size_t k = 0; k < ds->noutlets; k++) {
    const doutlet *o = &ds->outlets[k];
    double a = 0, d = 0;
    for (uint32_t j = 0; j < o->nc; j++)
      dim_add(lex, catw, ncats, weights, o->c[j].entry, o->c[j].mass,
              o->factor[j], &a, &d);
    double w = (double)o->words;
    outlet_abs[k] = w > 0 ? 1000.0 * a / w : 0;
    outlet_dist[k] = w > 0 ? 1000.0 * d / w : 0;
  }
  for (size_t i = 0; doc_abs && i < ds->ndocs; i++) {
    const ddoc *dd = &ds->docs[i];
    if (!dd->added) {
      doc_abs[i] = doc_dist[i] = NAN;
      continue;
    }
    const doutlet *o = &ds->outlets[ds->doc_outlet[i]];
    double a = 0, d = 0;
    for (uint32_t j = 0; j < dd->nc; j++)
      dim_add(lex, catw, ncats, weights, dd->c[j].entry, dd->c[j].mass,
              factor_of(o, dd->c[j].entry), &a, &d);
    double w = (double)dd->words;
    doc_abs[i] = w > 0 ? 1000.0 * a / w : 0;
    doc_dist[i] = w > 0 ? 1000.0 * d / w : 0;
  }
  return FS_OK;
}
