/* SPDX-License-Identifier: GPL-3.0-or-later */
/* eval.c - validity measures: binary classification metrics, span-level
 * scores against the propaganda techniques corpus (exact and partial
 * overlap), token-level scores against biased-word annotations, and
 * per-category and per-entry precision tables for lexicon authors. */
#include "eval.h"
#include "context.h"
#include "internal.h"
#include "utf8.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- binary classification metrics --------------------------------------- */

typedef struct scored {
  double s, y;
} scored;

static int cmp_desc(const void *a, const void *b) {
  double x = ((const scored *)a)->s, y = ((const scored *)b)->s;
  return (x < y) - (x > y);
}

/* Pairs sorted by score, highest first; NULL when out of memory. */
static scored *sorted(const double *score, const double *y, size_t n) {
  scored *v = malloc((n ? n : 1) * sizeof *v);
  if (!v)
    return NULL;
  for (size_t i = 0; i < n; i++)
    v[i] = (scored){score[i], y[i] > 0 ? 1.0 : 0.0};
  qsort(v, n, sizeof *v, cmp_desc);
  return v;
}

double fs_eval_roc_auc(const double *score, const double *y, size_t n) {
  scored *v = sorted(score, y, n);
  if (!v)
    return NAN;
  /* rank sum of positives, ascending ranks, ties averaged */
  double npos = 0, rank_sum = 0;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j < n && v[j].s == v[i].s)
      j++;
    /* descending positions i..j-1 have ascending ranks n-j+1 .. n-i */
    double avg = ((double)(n - j + 1) + (double)(n - i)) / 2.0;
    for (size_t k = i; k < j; k++)
      if (v[k].y > 0) {
        npos++;
        rank_sum += avg;
      }
    i = j;
  }
  free(v);
  double nneg = (double)n - npos;
  if (npos == 0 || nneg == 0)
    return NAN;
  return (rank_sum - npos * (npos + 1) / 2.0) / (npos * nneg);
}

double fs_eval_pr_auc(const double *score, const double *y, size_t n) {
  scored *v = sorted(score, y, n);
  if (!v)
    return NAN;
  double npos = 0;
  for (size_t i = 0; i < n; i++)
    npos += v[i].y;
  double tp = 0, fp = 0, ap = 0, r_prev = 0;
  for (size_t i = 0; i < n && npos > 0;) {
    size_t j = i;
    for (; j < n && v[j].s == v[i].s; j++) {
      tp += v[j].y;
      fp += 1 - v[j].y;
    }
    double r = tp / npos;
    ap += (r - r_prev) * tp / (tp + fp);
    r_prev = r;
    i = j;
  }
  free(v);
  return npos > 0 ? ap : NAN;
}

double fs_eval_best_threshold(const double *score, const double *y, size_t n,
                              double *f1) {
  if (f1)
    *f1 = NAN;
  scored *v = sorted(score, y, n);
  if (!v)
    return NAN;
  double npos = 0;
  for (size_t i = 0; i < n; i++)
    npos += v[i].y;
  double tp = 0, fp = 0, best = -1, th = NAN;
  for (size_t i = 0; i < n && npos > 0;) {
    size_t j = i;
    for (; j < n && v[j].s == v[i].s; j++) {
      tp += v[j].y;
      fp += 1 - v[j].y;
    }
    double f = 2 * tp / (2 * tp + fp + (npos - tp));
    if (f > best) {
      best = f;
      th = j < n ? (v[i].s + v[j].s) / 2.0 : v[i].s;
    }
    i = j;
  }
  free(v);
  if (f1 && best >= 0)
    *f1 = best;
  return th;
}

fs_prf fs_eval_prf(double tp, double fp, double fn, double tn) {
  fs_prf r = {tp, fp, fn, tn, 0, 0, 0};
  r.precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  r.recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  r.f1 = r.precision + r.recall > 0
             ? 2 * r.precision * r.recall / (r.precision + r.recall)
             : 0;
  return r;
}

fs_prf fs_eval_at(const double *score, const double *y, size_t n,
                  double threshold) {
  double tp = 0, fp = 0, fn = 0, tn = 0;
  for (size_t i = 0; i < n; i++) {
    bool p = score[i] >= threshold, g = y[i] > 0;
    tp += p && g, fp += p && !g, fn += !p && g, tn += !p && !g;
  }
  return fs_eval_prf(tp, fp, fn, tn);
}

int fs_eval_folds(const double *y, size_t n, long k, unsigned long seed,
                  int *fold) {
  size_t *pos = malloc((n ? n : 1) * sizeof *pos);
  size_t *neg = malloc((n ? n : 1) * sizeof *neg);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  if (!pos || !neg || !rng) {
    free(pos), free(neg), gsl_rng_free(rng);
    return FS_ERR_NOMEM;
  }
  gsl_rng_set(rng, seed);
  size_t np = 0, nn = 0;
  for (size_t i = 0; i < n; i++) {
    if (y[i] > 0)
      pos[np++] = i;
    else
      neg[nn++] = i;
  }
  if (np > 1)
    gsl_ran_shuffle(rng, pos, np, sizeof *pos);
  if (nn > 1)
    gsl_ran_shuffle(rng, neg, nn, sizeof *neg);
  for (size_t i = 0; i < np; i++)
    fold[pos[i]] = (int)(i % (size_t)k);
  for (size_t i = 0; i < nn; i++) /* continue the rotation: equal sizes */
    fold[neg[i]] = (int)((np + i) % (size_t)k);
  free(pos), free(neg);
  gsl_rng_free(rng);
  return FS_OK;
}

/* ---- spans --------------------------------------------------------------- */

static int cmp_span(const void *a, const void *b) {
  const fs_span *x = a, *y = b;
  if (x->begin != y->begin)
    return x->begin < y->begin ? -1 : 1;
  return (x->end > y->end) - (x->end < y->end);
}

size_t fs_span_merge(fs_span *s, size_t n) {
  qsort(s, n, sizeof *s, cmp_span);
  size_t w = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i].end <= s[i].begin)
      continue; /* empty */
    if (w > 0 && s[i].begin < s[w - 1].end) {
      if (s[i].end > s[w - 1].end)
        s[w - 1].end = s[i].end;
      continue;
    }
    s[w++] = s[i];
  }
  return w;
}

static size_t overlap(const fs_span *a, const fs_span *b) {
  size_t lo = a->begin > b->begin ? a->begin : b->begin;
  size_t hi = a->end < b->end ? a->end : b->end;
  return hi > lo ? hi - lo : 0;
}

/* First span of sorted, disjoint s[0..n) that ends after position p. */
static size_t first_after(const fs_span *s, size_t n, size_t p) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s[mid].end <= p)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

void fs_span_score_add(fs_span_score *a, const fs_span *pred, size_t np,
                       const fs_span *gold, size_t ng) {
  a->npred += (double)np;
  a->ngold += (double)ng;
  for (size_t i = 0; i < np; i++) {
    const fs_span *s = &pred[i];
    for (size_t j = first_after(gold, ng, s->begin);
         j < ng && gold[j].begin < s->end; j++) {
      double o = (double)overlap(s, &gold[j]);
      a->p_credit += o / (double)(s->end - s->begin);
      a->r_credit += o / (double)(gold[j].end - gold[j].begin);
      if (s->begin == gold[j].begin && s->end == gold[j].end)
        a->p_exact += 1, a->r_exact += 1;
    }
  }
}

static void prf_of(double p_num, double p_den, double r_num, double r_den,
                   double *p, double *r, double *f) {
  *p = p_den > 0 ? p_num / p_den : 0;
  *r = r_den > 0 ? r_num / r_den : 0;
  *f = *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0;
}

void fs_span_score_finish(fs_span_score *a) {
  prf_of(a->p_credit, a->npred, a->r_credit, a->ngold, &a->precision,
         &a->recall, &a->f1);
  prf_of(a->p_exact, a->npred, a->r_exact, a->ngold, &a->exact_precision,
         &a->exact_recall, &a->exact_f1);
}

static bool trimmed(uint32_t c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '.' ||
         c == ',' || c == ':' || c == ';';
}

void fs_span_trim(fs_span *s, const uint32_t *cp, size_t ncp) {
  if (s->end > ncp)
    s->end = ncp;
  while (s->begin < s->end && trimmed(cp[s->begin]))
    s->begin++;
  while (s->end > s->begin && trimmed(cp[s->end - 1]))
    s->end--;
}

size_t fs_eval_article_gold(const char *id, const fs_gold_row *rows,
                            size_t nrows, const char *text, size_t len,
                            fs_gold_span *out, uint32_t *cp) {
  size_t ncp = 0;
  for (size_t i = 0; i < len;) {
    int bad = 0;
    cp[ncp++] = fs_utf8_next((const unsigned char *)text, len, &i, &bad);
  }
  size_t n = 0;
  for (size_t i = 0; i < nrows; i++)
    if (!strcmp(rows[i].id, id)) {
      out[n].technique = rows[i].technique;
      out[n].span = rows[i].span;
      fs_span_trim(&out[n].span, cp, ncp);
      n += out[n].span.end > out[n].span.begin;
    }
  return n;
}

/* ---- annotation files -----------------------------------------------------
 */

#define LABELS_FIELDS 5

/* One labels line, NUL-terminated in line[0..n): adds its row when its
 * technique is asked for. */
static int label_line(const char *file, long ln, char *line,
                      const char *const *tech, size_t nt, fs_gold_row **rows,
                      size_t *nrows, size_t *cap, fs_error *err) {
  char *f[LABELS_FIELDS];
  size_t nf = 0;
  for (char *p = line; nf < LABELS_FIELDS;) {
    f[nf++] = p;
    char *tab = strchr(p, '\t');
    if (!tab)
      break;
    *tab = '\0';
    p = tab + 1;
  }
  if ((nf != 4 && nf != 3) || strlen(f[0]) >= sizeof((*rows)->id))
    return fs_error_set(err, FS_ERR_INPUT, file, ln, 0,
                        "expected article_id<TAB>technique<TAB>begin<TAB>end");
  const char *t = nf == 4 ? f[1] : "propaganda";
  char *end;
  long b = strtol(f[nf - 2], &end, 10), e;
  bool ok = !*end && b >= 0;
  e = strtol(f[nf - 1], &end, 10);
  if (!(ok && !*end && e > b))
    return fs_error_set(err, FS_ERR_INPUT, file, ln, 0,
                        "begin and end must be offsets with begin < end");
  for (size_t k = 0; k < nt; k++) {
    if (strcmp(t, tech[k]))
      continue;
    if (*nrows == *cap) {
      size_t c = *cap ? 2 * *cap : 64;
      fs_gold_row *r = realloc(*rows, c * sizeof *r);
      if (!r)
        return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
      *rows = r, *cap = c;
    }
    fs_gold_row *g = &(*rows)[(*nrows)++];
    snprintf(g->id, sizeof g->id, "%s", f[0]);
    g->technique = k;
    g->span = (fs_span){(size_t)b, (size_t)e};
  }
  return FS_OK;
}

int fs_eval_read_labels(const char *file, const char *data, size_t len,
                        const char *const *tech, size_t nt, fs_gold_row **rows,
                        size_t *nrows, fs_error *err) {
  size_t cap = 0, lcap = 0;
  char *line = NULL;
  int rc = FS_OK;
  long ln = 0;
  *rows = NULL, *nrows = 0;
  for (size_t pos = 0; pos < len && rc == FS_OK;) {
    const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - s) : len - pos;
    pos += n + (nl != NULL);
    ln++;
    if (n && s[n - 1] == '\r')
      n--;
    if (!n)
      continue; /* blank */
    if (memchr(s, '\0', n)) {
      rc = fs_error_set(err, FS_ERR_INPUT, file, ln, 0, "NUL byte");
      break;
    }
    if (n >= lcap) {
      char *b = realloc(line, n + 1);
      if (!b) {
        rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        break;
      }
      line = b, lcap = n + 1;
    }
    memcpy(line, s, n);
    line[n] = '\0';
    rc = label_line(file, ln, line, tech, nt, rows, nrows, &cap, err);
  }
  free(line);
  if (rc != FS_OK) {
    free(*rows);
    *rows = NULL, *nrows = 0;
  }
  return rc;
}

long fs_eval_parse_list(const char *s, char **buf, char ***words) {
  size_t n = strlen(s), nw = 0;
  char *b = malloc(n + 1), **w = malloc((n / 2 + 1) * sizeof *w);
  *buf = b, *words = w;
  if (!b || !w)
    return -1;
  size_t i = 0, k = 0;
  while (i < n && (s[i] == ' ' || s[i] == '\t'))
    i++;
  if (i == n)
    return 0; /* empty cell: no words */
  if (s[i++] != '[')
    return -1;
  for (;;) {
    while (i < n && (s[i] == ' ' || s[i] == ','))
      i++;
    if (i < n && s[i] == ']')
      return (long)nw;
    if (i >= n || (s[i] != '\'' && s[i] != '"'))
      return -1;
    char q = s[i++];
    w[nw++] = b + k;
    for (; i < n && s[i] != q; i++) {
      if (s[i] == '\\' && i + 1 < n)
        i++;
      b[k++] = s[i];
    }
    if (i >= n)
      return -1;
    i++;
    b[k++] = '\0';
  }
}

/* ---- span-level evaluation ----------------------------------------------- */

/* Predictions of one category or lexicon entry against the gold spans. */
typedef struct pred_stat {
  double n, hits, credit, gold_touched;
} pred_stat;

struct fs_span_eval {
  const fs_model *m;
  const fs_lexicon *lex;
  size_t phrase; /* content words a predicted span may take on each side */
  size_t ntech;
  char **tech;
  size_t *dims;
  int voice;
  fs_span_score *per; /* [ntech] */
  fs_span_score all;
  pred_stat *cats;    /* [ncats] */
  pred_stat *entries; /* [nentries + 1]: the last for scare quotes */
  size_t articles;
  /* scratch */
  fs_span *pred, *gold;
  size_t pred_cap, gold_cap;
  bool *touch;
  size_t touch_cap;
};

fs_span_eval *fs_span_eval_new(const fs_model *m, const char *const *techniques,
                               const size_t *dims, size_t n, int voice,
                               size_t phrase) {
  fs_span_eval *e = calloc(1, sizeof *e);
  if (!e)
    return NULL;
  e->m = m;
  e->phrase = phrase;
  e->lex = m->lex;
  e->ntech = n;
  e->voice = voice;
  e->tech = calloc(n ? n : 1, sizeof *e->tech);
  e->dims = malloc((n ? n : 1) * sizeof *e->dims);
  e->per = calloc(n ? n : 1, sizeof *e->per);
  e->cats = calloc(e->lex->ncats + 1, sizeof *e->cats);
  e->entries = calloc(e->lex->nentries + 1, sizeof *e->entries);
  if (!e->tech || !e->dims || !e->per || !e->cats || !e->entries) {
    fs_span_eval_free(e);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    e->dims[i] = dims[i];
    if (!(e->tech[i] = strdup(techniques[i]))) {
      fs_span_eval_free(e);
      return NULL;
    }
  }
  return e;
}

void fs_span_eval_free(fs_span_eval *e) {
  if (!e)
    return;
  for (size_t i = 0; e->tech && i < e->ntech; i++)
    free(e->tech[i]);
  free(e->tech), free(e->dims), free(e->per), free(e->cats);
  free(e->entries), free(e->pred), free(e->gold), free(e->touch);
  free(e);
}

static bool voice_ok(int want, int v) { return want == FS_VOICES || want == v; }

/* Does a match predict for dimension dim (a category of positive weight)? */
bool fs_eval_predicts(const fs_model *m, size_t dim, const fs_match *mt) {
  const fs_dimension *d = &m->dims[dim];
  return mt->category < m->ncats && d->catw && d->catw[mt->category] > 0 &&
         !mt->event;
}

/* English function words (fs_function_word): a phrase does not grow over
 * them. */
static bool function_word(const fs_doc *d, const fs_tok *t) {
  char form[64];
  if (t->kind != FS_TOK_WORD)
    return true; /* numbers and punctuation end a phrase too */
  /* a window's offsets are the document's: its text starts at text_base */
  size_t n = fs_fold(d->text + (t->byte_start - d->text_base),
                     t->byte_end - t->byte_start, form, sizeof form);
  return fs_function_word(form, n);
}

bool fs_eval_function_word(const fs_doc *d, size_t k) {
  return function_word(d, &d->tokens[k]);
}

/* A match's span: with the intensifier right before it ("absolutely
 * laughable") and up to `phrase` content words on each side, since
 * annotators mark phrases ("brutal attack", "Chechen jihadists"), not
 * words. A phrase does not cross punctuation, function words or the end
 * of its sentence. */
void fs_eval_match_tokens(const fs_doc *d, const fs_match *mt, size_t phrase,
                          uint32_t *ta, uint32_t *tb) {
  uint32_t a = mt->intensifier != FS_NONE ? mt->intensifier : mt->tok_start;
  uint32_t b = mt->tok_end, sent = d->tokens[a].sentence;
  for (size_t k = 0; k < phrase && a > 0 && d->tokens[a - 1].sentence == sent &&
                     !function_word(d, &d->tokens[a - 1]);
       k++)
    a--;
  for (size_t k = 0;
       k < phrase && b < d->ntokens && d->tokens[b].sentence == sent &&
       !function_word(d, &d->tokens[b]);
       k++)
    b++;
  *ta = a, *tb = b;
}

static fs_span match_span(const fs_doc *d, const fs_match *mt, size_t phrase) {
  uint32_t a, b;
  fs_eval_match_tokens(d, mt, phrase, &a, &b);
  return (fs_span){d->tokens[a].char_start,
                   fs_tok_char_end(d, &d->tokens[b - 1])};
}

/* Spans of a span tagger: runs of tagged words in one sentence (what lies
 * between two tagged words of a run, punctuation or a hyphen, belongs to
 * the span). */
static size_t tagged_spans(const fs_doc *d, fs_span *out) {
  size_t n = 0;
  for (size_t k = 0; k < d->ntokens;) {
    if (!d->tok_tag[k]) {
      k++;
      continue;
    }
    size_t a = k, b = k + 1;
    while (b < d->ntokens && d->tokens[b].sentence == d->tokens[a].sentence &&
           d->tok_tag[b])
      b++;
    out[n++] = (fs_span){d->tokens[a].char_start, fs_tok_char_end(d, &d->tokens[b - 1])};
    k = b;
  }
  return n;
}

/* Predicted spans of one technique (tech == ntech: of any), merged. A
 * span tagger predicts the same spans for every technique. */
static size_t predictions(fs_span_eval *e, const fs_doc *d, size_t tech) {
  size_t n = 0;
  if (d->tok_tag) {
    n = tagged_spans(d, e->pred);
    if (!d->tag_union)
      return fs_span_merge(e->pred, n);
  }
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *mt = &d->matches[i];
    if (!voice_ok(e->voice, mt->voice) || !fs_doc_context_keeps(d, i))
      continue;
    /* a context model of scope "all" lets any kept match predict */
    bool yes = tech == e->ntech && d->ctx_all && mt->category < e->m->ncats;
    for (size_t t = 0; t < e->ntech && !yes; t++)
      yes = (tech == e->ntech || tech == t) &&
            fs_eval_predicts(e->m, e->dims[t], mt);
    if (yes)
      e->pred[n++] = match_span(d, mt, e->phrase);
  }
  return fs_span_merge(e->pred, n);
}

/* Gold spans of one technique (tech == ntech: of any), merged. */
static size_t gold_of(fs_span_eval *e, const fs_gold_span *g, size_t ng,
                      size_t tech) {
  size_t n = 0;
  for (size_t i = 0; i < ng; i++)
    if (tech == e->ntech || g[i].technique == tech)
      e->gold[n++] = g[i].span;
  return fs_span_merge(e->gold, n);
}

/* Per-category and per-entry precision of every predicting match against
 * the merged gold spans of all chosen techniques (e->gold[0..ng)). */
static void match_stats(fs_span_eval *e, const fs_doc *d, size_t ng) {
  size_t nc = e->lex->ncats;
  memset(e->touch, 0, nc * (ng ? ng : 1) * sizeof *e->touch);
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *mt = &d->matches[i];
    bool yes = d->ctx_all && mt->category < e->m->ncats;
    for (size_t t = 0; t < e->ntech && !yes; t++)
      yes = fs_eval_predicts(e->m, e->dims[t], mt);
    if (!yes || !voice_ok(e->voice, mt->voice) || !fs_doc_context_keeps(d, i))
      continue;
    fs_span s = match_span(d, mt, e->phrase);
    double credit = 0;
    for (size_t j = first_after(e->gold, ng, s.begin);
         j < ng && e->gold[j].begin < s.end; j++) {
      credit += (double)overlap(&s, &e->gold[j]) / (double)(s.end - s.begin);
      e->touch[mt->category * ng + j] = true;
    }
    pred_stat *ps[2] = {
        &e->cats[mt->category],
        &e->entries[mt->entry == FS_NONE ? e->lex->nentries : mt->entry]};
    for (int k = 0; k < 2; k++) {
      ps[k]->n += 1;
      ps[k]->hits += credit > 0;
      ps[k]->credit += credit;
    }
  }
  for (size_t c = 0; c < nc; c++)
    for (size_t j = 0; j < ng; j++)
      e->cats[c].gold_touched += e->touch[c * ng + j];
}

int fs_span_eval_add(fs_span_eval *e, const fs_doc *d, fs_gold_span *gold,
                     size_t ngold) {
  size_t nc = e->lex->ncats;
  if (fs_grow(&e->pred, &e->pred_cap, d->nmatches + d->ntokens + 1,
              sizeof *e->pred) ||
      fs_grow(&e->gold, &e->gold_cap, ngold + 1, sizeof *e->gold) ||
      fs_grow(&e->touch, &e->touch_cap, nc * (ngold + 1), sizeof *e->touch))
    return FS_ERR_NOMEM;
  for (size_t t = 0; t < e->ntech; t++) {
    size_t np = predictions(e, d, t), ng = gold_of(e, gold, ngold, t);
    fs_span_score_add(&e->per[t], e->pred, np, e->gold, ng);
  }
  size_t np = predictions(e, d, e->ntech);
  size_t ng = gold_of(e, gold, ngold, e->ntech);
  fs_span_score_add(&e->all, e->pred, np, e->gold, ng);
  if (!d->tok_tag)
    match_stats(e, d, ng);
  e->articles++;
  return FS_OK;
}

void fs_span_eval_finish(fs_span_eval *e) {
  for (size_t t = 0; t < e->ntech; t++)
    fs_span_score_finish(&e->per[t]);
  fs_span_score_finish(&e->all);
}

const fs_span_score *fs_span_eval_combined(const fs_span_eval *e) {
  return &e->all;
}

/* ---- rendering shared by span and word tables ---------------------------- */

static void cnum(FILE *out, double x) {
  fputc(',', out);
  if (isfinite(x))
    fprintf(out, "%.6g", x);
}

static void jnum(FILE *out, const char *key, double x) {
  fprintf(out, ",\"%s\":", key);
  if (isfinite(x))
    fprintf(out, "%.6g", x);
  else
    fputs("null", out);
}

/* One machine-readable row: section, name, detail and named numbers. */
static void row(FILE *out, bool json, const char *section, const char *name,
                const char *detail, const char *const *keys, const double *v,
                size_t nv) {
  if (json) {
    fprintf(out, "{\"section\":\"%s\",\"name\":", section);
    fs_json_string(out, name, strlen(name));
    fputs(",\"detail\":", out);
    fs_json_string(out, detail, strlen(detail));
    for (size_t i = 0; i < nv; i++)
      jnum(out, keys[i], v[i]);
    fputs("}\n", out);
    return;
  }
  fprintf(out, "%s,", section);
  fs_csv_field(out, name, strlen(name));
  fputc(',', out);
  fs_csv_field(out, detail, strlen(detail));
  for (size_t i = 0; i < nv; i++)
    cnum(out, v[i]);
  fputc('\n', out);
}

/* The columns of every machine-readable row (empty where they do not
 * apply): predicted positives, gold positives, true positives, ... */
static const char *const table_keys[] = {
    "n_pred",  "n_gold",          "hits",         "precision",   "recall",
    "f1",      "exact_precision", "exact_recall", "exact_f1",    "gold_touched",
    "roc_auc", "pr_auc",          "threshold",    "f1_fold_mean"};
#define NKEYS (sizeof table_keys / sizeof *table_keys)

void fs_render_eval_csv_header(FILE *out) {
  fputs("section,name,detail", out);
  for (size_t i = 0; i < NKEYS; i++)
    fprintf(out, ",%s", table_keys[i]);
  fputc('\n', out);
}

/* A row's values: all NAN but the first n given. */
static void fill(double *v, const double *given, size_t n) {
  for (size_t i = 0; i < NKEYS; i++)
    v[i] = i < n ? given[i] : NAN;
}

static const char *entry_name(const fs_lexicon *lex, size_t i) {
  return i == lex->nentries ? "\"...\" (scare quote)" : lex->entries[i].pattern;
}

static const char *entry_cat(const fs_lexicon *lex, size_t i) {
  return i == lex->nentries ? "scare_quote"
                            : lex->cats[lex->entries[i].category].name;
}

/* Indexes of entries with predictions, by false positives (fp) or hits. */
typedef struct ranked {
  size_t i;
  double key, n;
} ranked;

static int cmp_ranked(const void *a, const void *b) {
  const ranked *x = a, *y = b;
  if (x->key != y->key)
    return x->key < y->key ? 1 : -1;
  if (x->n != y->n)
    return x->n < y->n ? 1 : -1;
  return (x->i > y->i) - (x->i < y->i);
}

static void entry_tables(FILE *out, const fs_lexicon *lex,
                         const pred_stat *entries, long top, const char *unit) {
  size_t ne = lex->nentries + 1, n = 0;
  ranked *r = malloc(ne * sizeof *r);
  if (!r)
    return;
  for (int pass = 0; pass < 2; pass++) {
    n = 0;
    for (size_t i = 0; i < ne; i++) {
      double key = pass ? entries[i].hits : entries[i].n - entries[i].hits;
      if (key > 0)
        r[n++] = (ranked){i, key, entries[i].n};
    }
    qsort(r, n, sizeof *r, cmp_ranked);
    fprintf(out, "\n  Entries with the most %s (top %ld of %zu)\n",
            pass ? "true positives" : "false positives", top, n);
    fprintf(out, "    %-30s %-24s %7s %6s %9s\n", "pattern", "category", unit,
            "hits", "precision");
    for (size_t k = 0; k < n && (long)k < top; k++) {
      const pred_stat *s = &entries[r[k].i];
      fprintf(out, "    %-30.30s %-24.24s %7.0f %6.0f %9.3f\n",
              entry_name(lex, r[k].i), entry_cat(lex, r[k].i), s->n, s->hits,
              s->n > 0 ? s->credit / s->n : 0);
    }
  }
  free(r);
}

void fs_render_span_eval(FILE *out, fs_span_eval *e, const char *format,
                         long top) {
  fs_span_eval_finish(e);
  const fs_lexicon *lex = e->lex;
  bool csv = !strcmp(format, "csv"), json = !strcmp(format, "jsonl");
  if (csv || json) {
    for (size_t t = 0; t <= e->ntech; t++) {
      const fs_span_score *s = t < e->ntech ? &e->per[t] : &e->all;
      double v[NKEYS], g[] = {s->npred,           s->ngold,        NAN,
                              s->precision,       s->recall,       s->f1,
                              s->exact_precision, s->exact_recall, s->exact_f1};
      fill(v, g, sizeof g / sizeof *g);
      row(out, json, "spans", t < e->ntech ? e->tech[t] : "all",
          t < e->ntech ? e->m->dims[e->dims[t]].name : "", table_keys, v,
          NKEYS);
    }
    for (size_t c = 0; c < lex->ncats; c++) {
      const pred_stat *s = &e->cats[c];
      if (s->n == 0)
        continue;
      double v[NKEYS], g[] = {s->n, NAN, s->hits, s->credit / s->n, NAN, NAN,
                              NAN,  NAN, NAN,     s->gold_touched};
      fill(v, g, sizeof g / sizeof *g);
      row(out, json, "span_category", lex->cats[c].name, "", table_keys, v,
          NKEYS);
    }
    for (size_t i = 0; i <= lex->nentries; i++) {
      const pred_stat *s = &e->entries[i];
      if (s->n == 0)
        continue;
      double v[NKEYS], g[] = {s->n, NAN, s->hits, s->credit / s->n};
      fill(v, g, sizeof g / sizeof *g);
      row(out, json, "span_entry", entry_name(lex, i), entry_cat(lex, i),
          table_keys, v, NKEYS);
    }
    return;
  }
  fprintf(out,
          "Span level: %zu articles. Predicted spans: matches of each "
          "technique's dimension\n(its categories with positive weight; "
          "voice %s) with their intensifier and up to %zu content\n"
          "word%s on each side, merged where they overlap; gold spans "
          "trimmed of [ \\n.,:;] and\nmerged where they overlap, as the "
          "SemEval-2020 Task 11 scorer.\n",
          e->articles, e->voice == FS_VOICES ? "all" : fs_voice_name(e->voice),
          e->phrase, e->phrase == 1 ? "" : "s");
  fprintf(out, "  %-30s %-18s %6s %6s  %-22s  %s\n", "technique", "dimension",
          "pred", "gold", "partial  P     R     F1", "exact  P     R     F1");
  for (size_t t = 0; t <= e->ntech; t++) {
    const fs_span_score *s = t < e->ntech ? &e->per[t] : &e->all;
    fprintf(out,
            "  %-30.30s %-18.18s %6.0f %6.0f  %13.3f %5.3f %5.3f  %12.3f "
            "%5.3f %5.3f\n",
            t < e->ntech ? e->tech[t] : "all of them (any technique)",
            t < e->ntech ? e->m->dims[e->dims[t]].name : "", s->npred, s->ngold,
            s->precision, s->recall, s->f1, s->exact_precision, s->exact_recall,
            s->exact_f1);
  }
  fputs("\n  Per category (each match against the gold spans of all chosen "
        "techniques)\n",
        out);
  fprintf(out, "    %-28s %8s %6s %9s %13s\n", "category", "matches", "hits",
          "precision", "gold touched");
  for (size_t c = 0; c < lex->ncats; c++) {
    const pred_stat *s = &e->cats[c];
    if (s->n > 0)
      fprintf(out, "    %-28s %8.0f %6.0f %9.3f %13.0f\n", lex->cats[c].name,
              s->n, s->hits, s->credit / s->n, s->gold_touched);
  }
  entry_tables(out, lex, e->entries, top, "matches");
}

/* ---- word-level evaluation ----------------------------------------------- */

struct fs_word_eval {
  const fs_model *m;
  const fs_lexicon *lex;
  size_t *dims, ndims;
  int voice;
  double tp, fp, fn, tn;
  size_t sentences;
  pred_stat *cats, *entries;
  bool *cover;
  size_t cover_cap;
  bool content; /* a match predicts its content words only */
};

fs_word_eval *fs_word_eval_new(const fs_model *m, const size_t *dims, size_t n,
                               int voice) {
  fs_word_eval *e = calloc(1, sizeof *e);
  if (!e)
    return NULL;
  e->m = m;
  e->lex = m->lex;
  e->voice = voice;
  e->ndims = n;
  e->dims = malloc((n ? n : 1) * sizeof *e->dims);
  e->cats = calloc(e->lex->ncats + 1, sizeof *e->cats);
  e->entries = calloc(e->lex->nentries + 1, sizeof *e->entries);
  if (!e->dims || !e->cats || !e->entries) {
    fs_word_eval_free(e);
    return NULL;
  }
  memcpy(e->dims, dims, n * sizeof *dims);
  return e;
}

void fs_word_eval_free(fs_word_eval *e) {
  if (!e)
    return;
  free(e->dims), free(e->cats), free(e->entries), free(e->cover);
  free(e);
}

static bool is_word(const fs_tok *t) {
  return t->kind == FS_TOK_WORD || t->kind == FS_TOK_NUMBER;
}

/* Is the token's folded form one of the gold words or their parts? */
bool fs_eval_gold_word(const fs_doc *d, const fs_tok *t,
                       const char *const *gold, size_t ng) {
  char form[256], g[256];
  /* a window's offsets are the document's: its text starts at text_base */
  fs_fold(d->text + (t->byte_start - d->text_base),
          t->byte_end - t->byte_start, form, sizeof form);
  size_t fl = strlen(form);
  for (size_t i = 0; i < ng; i++) {
    fs_fold(gold[i], strlen(gold[i]), g, sizeof g);
    /* parts split at hyphens and spaces: "gun-toting" marks both words */
    for (char *p = g; *p;) {
      size_t n = strcspn(p, "- ");
      if (n == fl && !memcmp(p, form, n))
        return true;
      p += n;
      while (*p == '-' || *p == ' ')
        p++;
    }
  }
  return false;
}

void fs_word_eval_content_words(fs_word_eval *e, bool content) {
  e->content = content;
}

int fs_word_eval_add(fs_word_eval *e, const fs_doc *d, const char *const *gold,
                     size_t ngold) {
  if (fs_grow(&e->cover, &e->cover_cap, d->ntokens + 1, sizeof *e->cover))
    return FS_ERR_NOMEM;
  memset(e->cover, 0, (d->ntokens + 1) * sizeof *e->cover);
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *mt = &d->matches[i];
    bool yes = d->ctx_all && mt->category < e->m->ncats;
    for (size_t k = 0; k < e->ndims && !yes; k++)
      yes = fs_eval_predicts(e->m, e->dims[k], mt);
    if (!yes || !voice_ok(e->voice, mt->voice) || !fs_doc_context_keeps(d, i) ||
        (d->tok_tag && !d->tag_union))
      continue;
    pred_stat *ps[2] = {
        &e->cats[mt->category],
        &e->entries[mt->entry == FS_NONE ? e->lex->nentries : mt->entry]};
    for (uint32_t k = mt->tok_start; k < mt->tok_end; k++) {
      if (!is_word(&d->tokens[k]) ||
          (e->content && d->tokens[k].kind == FS_TOK_WORD &&
           function_word(d, &d->tokens[k])))
        continue;
      bool g = fs_eval_gold_word(d, &d->tokens[k], gold, ngold);
      for (int j = 0; j < 2; j++) {
        ps[j]->n += 1;
        ps[j]->hits += g;
        ps[j]->credit += g;
      }
      e->cover[k] = true;
    }
  }
  for (size_t k = 0; k < d->ntokens; k++) {
    if (!is_word(&d->tokens[k]))
      continue;
    bool g = fs_eval_gold_word(d, &d->tokens[k], gold, ngold);
    bool p = d->tok_tag && !d->tag_union
                 ? d->tok_tag[k] != 0
                 : e->cover[k] || (d->tok_tag && d->tok_tag[k]);
    e->tp += p && g, e->fp += p && !g, e->fn += !p && g, e->tn += !p && !g;
  }
  e->sentences++;
  return FS_OK;
}

fs_prf fs_word_eval_scores(const fs_word_eval *e) {
  return fs_eval_prf(e->tp, e->fp, e->fn, e->tn);
}

void fs_render_word_eval(FILE *out, const fs_word_eval *e, const char *format,
                         long top) {
  const fs_lexicon *lex = e->lex;
  fs_prf s = fs_word_eval_scores(e);
  bool csv = !strcmp(format, "csv"), json = !strcmp(format, "jsonl");
  if (csv || json) {
    double v[NKEYS],
        g[] = {s.tp + s.fp, s.tp + s.fn, s.tp, s.precision, s.recall, s.f1};
    fill(v, g, sizeof g / sizeof *g);
    row(out, json, "words", "all", "", table_keys, v, NKEYS);
    for (size_t c = 0; c < lex->ncats; c++)
      if (e->cats[c].n > 0) {
        double w[NKEYS], g2[] = {e->cats[c].n, NAN, e->cats[c].hits,
                                 e->cats[c].hits / e->cats[c].n};
        fill(w, g2, sizeof g2 / sizeof *g2);
        row(out, json, "word_category", lex->cats[c].name, "", table_keys, w,
            NKEYS);
      }
    for (size_t i = 0; i <= lex->nentries; i++)
      if (e->entries[i].n > 0) {
        double w[NKEYS], g2[] = {e->entries[i].n, NAN, e->entries[i].hits,
                                 e->entries[i].hits / e->entries[i].n};
        fill(w, g2, sizeof g2 / sizeof *g2);
        row(out, json, "word_entry", entry_name(lex, i), entry_cat(lex, i),
            table_keys, w, NKEYS);
      }
    return;
  }
  fprintf(out,
          "Word level: %zu sentences, %.0f words (%.0f annotated as biased). "
          "Predicted: words inside\na match of the dimensions'",
          e->sentences, s.tp + s.fp + s.fn + s.tn, s.tp + s.fn);
  for (size_t k = 0; k < e->ndims; k++)
    fprintf(out, " %s", e->m->dims[e->dims[k]].name);
  fprintf(out,
          " (voice %s).\n  precision %.3f  recall %.3f  F1 %.3f  (tp %.0f, "
          "fp %.0f, fn %.0f)\n",
          e->voice == FS_VOICES ? "all" : fs_voice_name(e->voice), s.precision,
          s.recall, s.f1, s.tp, s.fp, s.fn);
  fputs("\n  Per category\n", out);
  fprintf(out, "    %-28s %8s %6s %9s\n", "category", "words", "biased",
          "precision");
  for (size_t c = 0; c < lex->ncats; c++)
    if (e->cats[c].n > 0)
      fprintf(out, "    %-28s %8.0f %6.0f %9.3f\n", lex->cats[c].name,
              e->cats[c].n, e->cats[c].hits, e->cats[c].hits / e->cats[c].n);
  entry_tables(out, lex, e->entries, top, "words");
}

/* ---- sentence-level evaluation ------------------------------------------- */

int fs_eval_sentences(const double *score, const double *y, size_t n,
                      long folds, unsigned long seed, double model_threshold,
                      fs_sentence_eval *r) {
  memset(r, 0, sizeof *r);
  r->n = n;
  r->folds = folds;
  for (size_t i = 0; i < n; i++)
    r->positives += y[i] > 0;
  r->roc_auc = fs_eval_roc_auc(score, y, n);
  r->pr_auc = fs_eval_pr_auc(score, y, n);
  r->model_threshold = model_threshold;
  r->at_model = isfinite(model_threshold)
                    ? fs_eval_at(score, y, n, model_threshold)
                    : (fs_prf){NAN, NAN, NAN, NAN, NAN, NAN, NAN};
  int *fold = malloc((n ? n : 1) * sizeof *fold);
  double *ts = malloc((n ? n : 1) * sizeof *ts);
  double *ty = malloc((n ? n : 1) * sizeof *ty);
  double *fs = malloc((n ? n : 1) * sizeof *fs);
  double *fy = malloc((n ? n : 1) * sizeof *fy);
  int rc = FS_ERR_NOMEM;
  if (!fold || !ts || !ty || !fs || !fy ||
      fs_eval_folds(y, n, folds, seed, fold))
    goto done;
  double tp = 0, fp = 0, fn = 0, tn = 0;
  for (long k = 0; k < folds; k++) {
    size_t a = 0, b = 0;
    for (size_t i = 0; i < n; i++) {
      if (fold[i] == k) {
        fs[b] = score[i];
        fy[b++] = y[i];
      } else {
        ts[a] = score[i];
        ty[a++] = y[i];
      }
    }
    double th = fs_eval_best_threshold(ts, ty, a, NULL);
    fs_prf c = fs_eval_at(fs, fy, b, isfinite(th) ? th : INFINITY);
    tp += c.tp, fp += c.fp, fn += c.fn, tn += c.tn;
    r->cv_f1_mean += c.f1 / (double)folds;
  }
  r->cv = fs_eval_prf(tp, fp, fn, tn);
  rc = FS_OK;
done:
  free(fold), free(ts), free(ty), free(fs), free(fy);
  return rc;
}

void fs_render_sentence_eval(FILE *out, const fs_sentence_eval *r,
                             const char *dimension, const char *format) {
  bool csv = !strcmp(format, "csv"), json = !strcmp(format, "jsonl");
  if (csv || json) {
    for (int k = 0; k < 2; k++) {
      const fs_prf *c = k ? &r->at_model : &r->cv;
      if (k && !isfinite(r->model_threshold))
        break;
      double v[] = {c->tp + c->fp,
                    (double)r->positives,
                    c->tp,
                    c->precision,
                    c->recall,
                    c->f1,
                    NAN,
                    NAN,
                    NAN,
                    NAN,
                    r->roc_auc,
                    r->pr_auc,
                    k ? r->model_threshold : NAN,
                    k ? NAN : r->cv_f1_mean};
      row(out, json, "sentences", dimension,
          k ? "model_threshold" : "cv_threshold", table_keys, v, NKEYS);
    }
    return;
  }
  fprintf(out,
          "Sentence level: %zu texts (%zu positive); score: dimension %s\n"
          "  ROC AUC %.3f, PR AUC %.3f\n"
          "  %ld-fold, thresholds chosen on the other folds: precision %.3f, "
          "recall %.3f, F1 %.3f\n  (fold mean F1 %.3f)\n",
          r->n, r->positives, dimension, r->roc_auc, r->pr_auc, r->folds,
          r->cv.precision, r->cv.recall, r->cv.f1, r->cv_f1_mean);
  if (isfinite(r->model_threshold))
    fprintf(out,
            "  at the model's own threshold %.3f: precision %.3f, recall "
            "%.3f, F1 %.3f\n  (in-sample if the model was trained on these "
            "texts)\n",
            r->model_threshold, r->at_model.precision, r->at_model.recall,
            r->at_model.f1);
}
