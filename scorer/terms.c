/* terms.c - term counts per outlet -> keyness of every stem (or surface
 * form): log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi
 * and Quinn 2008), G2, chi-square, PMI and Fisher, with BH q-values. */
#include "terms.h"
#include "internal.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FORMS_SHOWN 3

void fs_terms_init(fs_terms *t, const fs_ctx *ctx, int voice, bool surface) {
  memset(t, 0, sizeof *t);
  t->ctx = ctx;
  t->voice = voice;
  t->surface = surface;
}

void fs_terms_free(fs_terms *t) {
  if (!t)
    return;
  for (size_t o = 0; o < t->noutlets; o++) {
    free(t->outlets[o]);
    free(t->count[o]);
    free(t->docfreq[o]);
  }
  free(t->outlets);
  free(t->count);
  free(t->docfreq);
  free(t->outlet_tokens);
  free(t->outlet_docs);
  free(t->last_doc);
  free(t->form_count);
  free(t->rows);
  free(t->prior);
  free(t->in_lex);
  free(t->top);
  memset(t, 0, sizeof *t);
}

static uint32_t outlet_id(fs_terms *t, const char *name) {
  for (size_t i = 0; i < t->noutlets; i++)
    if (!strcmp(t->outlets[i], name))
      return (uint32_t)i;
  size_t n = t->noutlets + 1;
  char **outlets = realloc(t->outlets, n * sizeof *outlets);
  if (outlets)
    t->outlets = outlets;
  uint32_t **count = realloc(t->count, n * sizeof *count);
  if (count)
    t->count = count;
  uint32_t **df = realloc(t->docfreq, n * sizeof *df);
  if (df)
    t->docfreq = df;
  double *tok = realloc(t->outlet_tokens, n * sizeof *tok);
  if (tok)
    t->outlet_tokens = tok;
  size_t *docs = realloc(t->outlet_docs, n * sizeof *docs);
  if (docs)
    t->outlet_docs = docs;
  if (!outlets || !count || !df || !tok || !docs)
    return FS_NONE;
  size_t o = t->noutlets;
  t->outlets[o] = strdup(name);
  t->count[o] = calloc(t->cap ? t->cap : 1, sizeof **t->count);
  t->docfreq[o] = calloc(t->cap ? t->cap : 1, sizeof **t->docfreq);
  t->outlet_tokens[o] = 0;
  t->outlet_docs[o] = 0;
  if (!t->outlets[o] || !t->count[o] || !t->docfreq[o])
    return FS_NONE;
  t->noutlets++;
  return (uint32_t)o;
}

/* Makes room for term ids below `need` in every per-term array. */
static int reserve(fs_terms *t, size_t need) {
  if (need <= t->cap)
    return 0;
  size_t cap = t->cap ? t->cap : 4096;
  while (cap < need)
    cap *= 2;
  for (size_t o = 0; o < t->noutlets; o++) {
    uint32_t *c = realloc(t->count[o], cap * sizeof *c);
    if (c)
      t->count[o] = c;
    uint32_t *d = realloc(t->docfreq[o], cap * sizeof *d);
    if (d)
      t->docfreq[o] = d;
    if (!c || !d)
      return -1;
    memset(c + t->cap, 0, (cap - t->cap) * sizeof *c);
    memset(d + t->cap, 0, (cap - t->cap) * sizeof *d);
  }
  uint32_t *last = realloc(t->last_doc, cap * sizeof *last);
  if (!last)
    return -1;
  t->last_doc = last;
  memset(last + t->cap, 0xff, (cap - t->cap) * sizeof *last);
  t->cap = cap;
  return 0;
}

int fs_terms_add(fs_terms *t, const char *outlet, const fs_doc *d) {
  uint32_t o = outlet_id(t, outlet && *outlet ? outlet : "(none)");
  if (o == FS_NONE)
    return FS_ERR_NOMEM;
  size_t nterms = t->surface ? t->ctx->forms.count : t->ctx->stems.count;
  size_t nforms = t->ctx->forms.count;
  if (reserve(t, nterms) ||
      fs_grow(&t->form_count, &t->form_count_cap, nforms,
              sizeof *t->form_count))
    return FS_ERR_NOMEM;
  for (size_t i = t->nforms_seen; i < nforms; i++)
    t->form_count[i] = 0;
  t->nforms_seen = nforms;
  uint32_t doc = (uint32_t)t->ndocs++;
  for (size_t k = 0; k < d->ntokens; k++) {
    const fs_token *tk = &d->tokens[k];
    if (tk->kind != FS_TOK_WORD)
      continue;
    if (t->voice != FS_VOICES && tk->voice != t->voice)
      continue;
    uint32_t id = t->surface ? tk->form : tk->stem;
    t->count[o][id]++;
    t->form_count[tk->form]++;
    if (t->last_doc[id] != doc) {
      t->last_doc[id] = doc;
      t->docfreq[o][id]++;
    }
    t->outlet_tokens[o]++;
  }
  t->outlet_docs[o]++;
  if (nterms > t->nterms)
    t->nterms = nterms;
  return FS_OK;
}

int fs_terms_set_prior(fs_terms *t, const char *data, size_t len,
                       const char *file, fs_error *err) {
  free(t->prior);
  t->prior = calloc(t->nterms ? t->nterms : 1, sizeof *t->prior);
  if (!t->prior)
    return fs_error_set(err, FS_ERR_NOMEM, file, 0, 0, "out of memory");
  const fs_intern *names = t->surface ? &t->ctx->forms : &t->ctx->stems;
  size_t i = 0;
  long line = 0;
  t->prior_total = 0;
  while (i < len) {
    const char *nl = memchr(data + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - data) : len;
    line++;
    size_t e = end;
    if (e > i && data[e - 1] == '\r')
      e--;
    const char *sep = NULL;
    for (size_t k = i; k < e; k++)
      if (data[k] == '\t' || data[k] == ',') {
        sep = data + k;
        break;
      }
    if (e > i && data[i] != '#') {
      if (!sep)
        return fs_error_set(err, FS_ERR_INPUT, file, line, (long)(e - i + 1),
                            "expected term<TAB>count");
      char num[64];
      size_t nl2 = (size_t)(data + e - sep - 1);
      snprintf(num, sizeof num, "%.*s", (int)(nl2 < 63 ? nl2 : 63), sep + 1);
      char *endp;
      double v = strtod(num, &endp);
      if (endp == num || *endp || !isfinite(v) || v < 0) {
        if (line == 1)
          goto next; /* a header line */
        return fs_error_set(err, FS_ERR_INPUT, file, line,
                            (long)(sep - (data + i)) + 2,
                            "count '%s' is not a non-negative number", num);
      }
      uint32_t id = fs_intern_find(names, data + i, (size_t)(sep - data - i));
      t->prior_total += v;
      if (id != FS_NONE && id < t->nterms)
        t->prior[id] = v;
    }
  next:
    i = end + 1;
  }
  if (t->prior_total <= 0)
    return fs_error_set(err, FS_ERR_INPUT, file, 0, 0,
                        "the prior holds no counts");
  return FS_OK;
}

/* ---- statistics ---------------------------------------------------------- */

static int cmp_row(const void *a, const void *b) {
  const fs_terms_row *x = a, *y = b;
  if (x->a != y->a)
    return x->a < y->a ? -1 : 1;
  if (x->z != y->z) /* NaN never reaches here: z is finite for kept rows */
    return x->z > y->z ? -1 : 1;
  return x->term < y->term ? -1 : x->term > y->term;
}

/* One pass over the forms: which terms the lexicon knows, and each stem's
 * most frequent forms. */
static int index_forms(fs_terms *t) {
  const fs_ctx *ctx = t->ctx;
  size_t nt = t->nterms ? t->nterms : 1;
  t->in_lex = calloc(nt, sizeof *t->in_lex);
  t->top = malloc(nt * FORMS_SHOWN * sizeof *t->top);
  if (!t->in_lex || !t->top)
    return -1;
  memset(t->top, 0xff, nt * FORMS_SHOWN * sizeof *t->top);
  for (size_t f = 0; f < t->nforms_seen; f++) {
    const fs_form *fi = &ctx->form_info[f];
    uint32_t term = t->surface ? (uint32_t)f : fi->stem;
    if (term >= t->nterms)
      continue;
    if (fi->ncand > 0 || fi->lex_stem != FS_NONE)
      t->in_lex[term] = true;
    if (!t->form_count[f])
      continue;
    uint32_t *best = &t->top[term * FORMS_SHOWN];
    size_t pos = FORMS_SHOWN;
    while (pos > 0 && (best[pos - 1] == FS_NONE ||
                       t->form_count[best[pos - 1]] < t->form_count[f])) {
      if (pos < FORMS_SHOWN)
        best[pos] = best[pos - 1];
      pos--;
    }
    if (pos < FORMS_SHOWN)
      best[pos] = (uint32_t)f;
  }
  return 0;
}

int fs_terms_run(fs_terms *t, const fs_terms_opts *o, fs_error *err) {
  uint32_t pa, pb;
  if (fs_find_pair(t->outlets, t->noutlets, o->pair, &pa, &pb, err))
    return FS_ERR_USAGE;
  size_t nt = t->nterms;
  double *total = calloc(nt ? nt : 1, sizeof *total);
  bool *keep = calloc(nt ? nt : 1, sizeof *keep);
  if (!total || !keep) {
    free(total), free(keep);
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  if (index_forms(t)) {
    free(total), free(keep);
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  double all = 0;
  for (size_t o2 = 0; o2 < t->noutlets; o2++)
    for (size_t id = 0; id < nt; id++)
      total[id] += t->count[o2][id];
  for (size_t id = 0; id < nt; id++) {
    all += total[id];
    keep[id] = total[id] >= (double)o->min_count &&
               (!o->lexicon_only || t->in_lex[id]);
  }
  size_t ncomp = pa != FS_NONE ? 1 : t->noutlets, nkeep = 0;
  for (size_t id = 0; id < nt; id++)
    nkeep += keep[id];
  t->rows = calloc(ncomp * nkeep + 1, sizeof *t->rows);
  double *p = malloc((nkeep + 1) * sizeof *p), *q = malloc((nkeep + 1) * sizeof *q);
  int rc = FS_OK;
  if (!t->rows || !p || !q) {
    rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto done;
  }
  t->nrows = 0;
  for (size_t ci = 0; ci < ncomp; ci++) {
    uint32_t a = pa != FS_NONE ? pa : (uint32_t)ci;
    double na = t->outlet_tokens[a];
    double nb = pa != FS_NONE ? t->outlet_tokens[pb] : 0;
    size_t docs_b = pa != FS_NONE ? t->outlet_docs[pb] : 0;
    if (pa == FS_NONE)
      for (size_t o2 = 0; o2 < t->noutlets; o2++)
        if (o2 != a)
          nb += t->outlet_tokens[o2], docs_b += t->outlet_docs[o2];
    size_t first = t->nrows;
    for (size_t id = 0; id < nt; id++) {
      if (!keep[id])
        continue;
      fs_terms_row *r = &t->rows[t->nrows++];
      r->a = a;
      r->b = pa != FS_NONE ? pb : FS_NONE;
      r->term = (uint32_t)id;
      r->count_a = t->count[a][id];
      r->docs_a = t->docfreq[a][id];
      r->docs_total_a = t->outlet_docs[a];
      if (pa != FS_NONE) {
        r->count_b = t->count[pb][id];
        r->docs_b = t->docfreq[pb][id];
      } else {
        r->count_b = total[id] - r->count_a;
        r->docs_b = 0;
        for (size_t o2 = 0; o2 < t->noutlets; o2++)
          if (o2 != a)
            r->docs_b += t->docfreq[o2][id];
      }
      r->docs_total_b = docs_b;
      r->rate_a = na > 0 ? 1000.0 * r->count_a / na : NAN;
      r->rate_b = nb > 0 ? 1000.0 * r->count_b / nb : NAN;
      double aw = t->prior ? (t->prior[id] > 0 ? t->prior[id] : 0.01)
                           : total[id];
      double a0 = t->prior ? t->prior_total : all;
      fs_stat_log_odds_result lo =
          fs_stat_log_odds(r->count_a, na, r->count_b, nb, aw, a0);
      r->log_odds = lo.delta, r->z = lo.z, r->p = lo.p;
      fs_stat_table tb = {r->count_a, na - r->count_a, r->count_b,
                          nb - r->count_b};
      fs_stat_g2_result g = fs_stat_g2(tb);
      r->g2 = g.g2_williams, r->g2_p = g.p;
      fs_stat_chi2_result x = fs_stat_chi2_yates(tb);
      r->chi2 = x.chi2, r->chi2_p = x.p;
      r->pmi = fs_stat_pmi(tb);
      double n = na + nb;
      double min_e = fmin(fmin((na * (r->count_a + r->count_b)) / n,
                               (nb * (r->count_a + r->count_b)) / n),
                          fmin(na * (n - r->count_a - r->count_b) / n,
                               nb * (n - r->count_a - r->count_b) / n));
      r->fisher_p = min_e < 5 ? fs_stat_fisher(tb) : NAN;
      if (!isfinite(r->z))
        r->z = 0; /* keep sorting total; p stays NaN */
    }
    /* q-values within the comparison */
    size_t m = t->nrows - first;
    for (size_t i = 0; i < m; i++)
      p[i] = t->rows[first + i].p;
    fs_stat_bh(p, m, q);
    for (size_t i = 0; i < m; i++)
      t->rows[first + i].q = q[i];
    for (size_t i = 0; i < m; i++)
      p[i] = t->rows[first + i].g2_p;
    fs_stat_bh(p, m, q);
    for (size_t i = 0; i < m; i++)
      t->rows[first + i].g2_q = q[i];
  }
  qsort(t->rows, t->nrows, sizeof *t->rows, cmp_row);
done:
  free(total), free(keep), free(p), free(q);
  return rc;
}

const char *fs_terms_name(const fs_terms *t, uint32_t term) {
  return t->surface ? fs_ctx_form(t->ctx, term) : fs_ctx_stem(t->ctx, term);
}

size_t fs_terms_forms(const fs_terms *t, uint32_t term, char *buf,
                      size_t cap) {
  size_t o = 0;
  buf[0] = '\0';
  if (t->surface || !t->top || term >= t->nterms)
    return 0;
  for (size_t i = 0; i < FORMS_SHOWN && o < cap; i++) {
    uint32_t f = t->top[term * FORMS_SHOWN + i];
    if (f == FS_NONE)
      break;
    o += (size_t)snprintf(buf + o, cap - o, "%s%s %u", i ? "; " : "",
                          fs_ctx_form(t->ctx, f), t->form_count[f]);
  }
  return o < cap ? o : cap - 1;
}
