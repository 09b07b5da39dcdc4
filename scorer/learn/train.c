/* SPDX-License-Identifier: GPL-3.0-or-later */
/* train.c - labelled texts -> features (log1p of lexicon category matches,
 * presence of stems, word pairs, word affixes, character n-grams, sentence
 * shape) ->
 * L2-regularised logistic
 * regression (GSL BFGS2) with stratified cross-validation -> a logistic
 * model file. */
#include "train.h"
#include "word_vectors.h"
#include "eval.h"
#include "annotated.h"
#include "context.h"
#include "intern.h"
#include "internal.h"
#include "tagger.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LR_TOL_PER_ROW 1e-6 /* gradient-norm tolerance per training row */
#define LR_MAX_ITER 5000

/* ---- logistic regression ------------------------------------------------- */

void fs_lr_data_free(fs_lr_data *x) {
  free(x->row);
  free(x->col);
  free(x->val);
  free(x->y);
  memset(x, 0, sizeof *x);
}

/* With per-column penalties (x->pen) the minimiser works on u_j = w_j *
 * sqrt(pen_j), whose penalty is the plain lambda/2 * u_j^2: the same
 * optimum, but without the penalties' spread (1 to 1000 for --nb) in the
 * Hessian, on which BFGS's line search stalled before the tolerance. */
typedef struct lr_problem {
  const fs_lr_data *x;
  const size_t *rows;
  size_t nrows;
  double lambda;
  const double *s; /* [p] column scales 1 / sqrt(pen_j), or NULL */
} lr_problem;

static double row_z(const fs_lr_data *x, size_t i, const double *w) {
  double z = w[0];
  for (size_t k = x->row[i]; k < x->row[i + 1]; k++)
    z += w[1 + x->col[k]] * x->val[k];
  return z;
}

static double row_zs(const fs_lr_data *x, size_t i, const double *u,
                     const double *s) {
  if (!s)
    return row_z(x, i, u);
  double z = u[0];
  for (size_t k = x->row[i]; k < x->row[i + 1]; k++)
    z += u[1 + x->col[k]] * s[x->col[k]] * x->val[k];
  return z;
}

/* log(1 + exp(z)) without overflow */
static double softplus(double z) {
  return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
}

static double sigmoid(double z) {
  if (z >= 0)
    return 1.0 / (1.0 + exp(-z));
  double e = exp(z);
  return e / (1.0 + e);
}

double fs_lr_predict(const fs_lr_data *x, size_t i, const double *w) {
  return sigmoid(row_z(x, i, w));
}

/* The penalised negative log-likelihood of the (scaled) weights u and,
 * when g is not NULL, its gradient. */
static double lr_eval(const lr_problem *pr, const double *u, double *g) {
  const fs_lr_data *x = pr->x;
  const double *s = pr->s;
  size_t p = x->p;
  double f = 0;
  if (g)
    memset(g, 0, (p + 1) * sizeof *g);
  for (size_t r = 0; r < pr->nrows; r++) {
    size_t i = pr->rows ? pr->rows[r] : r;
    double z = row_zs(x, i, u, s), y = x->y[i];
    f += softplus(z) - y * z;
    if (!g)
      continue;
    double e = sigmoid(z) - y;
    g[0] += e;
    for (size_t k = x->row[i]; k < x->row[i + 1]; k++)
      g[1 + x->col[k]] += e * x->val[k] * (s ? s[x->col[k]] : 1.0);
  }
  for (size_t j = 1; j <= p; j++) {
    f += 0.5 * pr->lambda * u[j] * u[j];
    if (g)
      g[j] += pr->lambda * u[j];
  }
  return f;
}

static double mm_f(const gsl_vector *v, void *params) {
  return lr_eval(params, v->data, NULL);
}

static void mm_df(const gsl_vector *v, void *params, gsl_vector *g) {
  lr_eval(params, v->data, g->data);
}

static void mm_fdf(const gsl_vector *v, void *params, double *f,
                   gsl_vector *g) {
  *f = lr_eval(params, v->data, g->data);
}

int fs_lr_fit(const fs_lr_data *x, const size_t *rows, size_t nrows,
              double lambda, double tol, size_t max_iter, double *w,
              fs_lr_info *info) {
  lr_problem pr = {x, rows, rows ? nrows : x->n, lambda, NULL};
  size_t dim = x->p + 1;
  memset(info, 0, sizeof *info);
  double *s = NULL;
  if (x->pen) {
    if (!(s = malloc((x->p ? x->p : 1) * sizeof *s)))
      return FS_ERR_NOMEM;
    for (size_t j = 0; j < x->p; j++)
      s[j] = 1.0 / sqrt(x->pen[j]);
    pr.s = s;
  }
  gsl_multimin_function_fdf fn = {mm_f, mm_df, mm_fdf, dim, &pr};
  gsl_vector *v = gsl_vector_calloc(dim);
  gsl_multimin_fdfminimizer *mm = gsl_multimin_fdfminimizer_alloc(
      gsl_multimin_fdfminimizer_vector_bfgs2, dim);
  if (!v || !mm) {
    free(s);
    gsl_vector_free(v);
    gsl_multimin_fdfminimizer_free(mm);
    return FS_ERR_NOMEM;
  }
  /* start from the base rate: w0 = logit(mean y), other weights 0 */
  double pos = 0;
  for (size_t r = 0; r < pr.nrows; r++)
    pos += x->y[rows ? rows[r] : r];
  double mean = pr.nrows ? (pos + 0.5) / ((double)pr.nrows + 1.0) : 0.5;
  gsl_vector_set(v, 0, log(mean / (1.0 - mean)));
  int status = gsl_multimin_fdfminimizer_set(mm, &fn, v, 0.1, 0.1);
  if (status == GSL_ENOMEM) {
    free(s);
    gsl_vector_free(v);
    gsl_multimin_fdfminimizer_free(mm);
    return FS_ERR_NOMEM;
  }
  size_t it = 0;
  while (status == GSL_SUCCESS && it < max_iter &&
         gsl_multimin_test_gradient(mm->gradient, tol) == GSL_CONTINUE) {
    it++;
    /* GSL_ENOPROG ends the loop: the line search cannot improve further
     * (near sqrt(machine epsilon) * |f| it compares equal values) */
    status = gsl_multimin_fdfminimizer_iterate(mm);
  }
  const gsl_vector *sol = gsl_multimin_fdfminimizer_x(mm);
  memcpy(w, sol->data, dim * sizeof *w);
  for (size_t j = 0; s && j < x->p; j++)
    w[1 + j] *= s[j];
  free(s);
  info->iterations = it;
  info->loss = gsl_multimin_fdfminimizer_minimum(mm);
  info->grad_norm = gsl_blas_dnrm2(mm->gradient);
  info->converged = info->grad_norm <= tol;
  gsl_multimin_fdfminimizer_free(mm);
  gsl_vector_free(v);
  return FS_OK;
}

/* ---- texts -> features --------------------------------------------------- */

typedef struct fs_catx {
  uint32_t idx; /* category */
  double val;   /* log1p(matches) */
} fs_catx;

struct fs_trainer {
  const fs_ctx *ctx;
  fs_train_opts o;
  fs_model *cats; /* one logistic dimension: a feature per category */
  size_t ncats;
  size_t ndense; /* context aggregates (o.cm), then shape features
                    (o.shape), after the categories */
  fs_context_scratch cs;
  float *cprob;
  size_t cprob_cap;
  fs_sparse x;
  /* per item: category features, stem ids, label */
  fs_catx *cx; /* category features of every item, item after item */
  size_t ncx, cx_cap;
  size_t *cstart; /* [n + 1] */
  uint32_t *stems;
  size_t nst, st_cap;
  uint8_t *smark; /* [nst] a word of that stem is among the item's marked
                     words (o.word_prior) */
  size_t smark_cap;
  size_t *sstart; /* [n + 1] */
  double *y;
  size_t n, cap;
  uint32_t *seen; /* [stem id] last item + 1 that counted it */
  size_t seen_cap;
  /* --pairs: "STEM|STEM" keys, each item's pair ids */
  fs_intern pair_keys;
  uint32_t *pairs;
  size_t npr, pr_cap;
  size_t *pstart;  /* [n + 1] */
  uint32_t *pseen; /* [pair id] last item + 1 that counted it */
  size_t pseen_cap;
  /* cross-validation groups: each item's group id (FS_NONE: its own) */
  fs_intern group_keys;
  uint32_t *group;
  size_t group_cap;
  /* o.tagger: each item's text and marked words (NUL-separated), for the
   * span taggers; the final one, for the model */
  char **text;
  char **wbuf;
  size_t *nw;
  size_t text_cap, wbuf_cap, nw_cap;
  fs_tagger *tg;
  double tg_f1;
  /* o.wv: the vector: columns after the dense ones (before the stems), each
   * item's pooled values (raw: design() standardises them) */
  size_t nvec;
  double *vec, *vpool;
  size_t vec_cap;
};

/* The tagger: columns of the aggregates in aggs (FS_TAGAGG_* bits). */
static size_t tagger_ncols(unsigned aggs) {
  size_t n = 0;
  for (size_t i = 0; i < FS_TAGAGG_N; i++)
    n += (aggs >> i) & 1;
  return n;
}

fs_trainer *fs_trainer_new(const fs_ctx *ctx, const fs_train_opts *o) {
  fs_trainer *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->ctx = ctx;
  t->o = *o;
  fs_intern_init(&t->pair_keys);
  fs_intern_init(&t->group_keys);
  const fs_lexicon *lex = fs_ctx_lexicon(ctx);
  t->ncats = lex->ncats;
  if (!t->o.tagger_aggs)
    t->o.tagger_aggs = FS_TAGAGG_COUNTS;
  t->ndense = (o->cm ? FS_CTXAGG_N : 0) + (o->shape ? FS_SHAPE_N : 0) +
              (o->tagger ? tagger_ncols(t->o.tagger_aggs) : 0);
  if (o->wv) {
    if (!t->o.vector_pools)
      t->o.vector_pools = FS_VPOOL_MEAN;
    for (size_t i = 0; i < FS_VPOOL_N; i++)
      t->nvec += ((t->o.vector_pools >> i) & 1) * o->wv->dim;
    if (!(t->vpool = malloc(FS_VPOOL_N * o->wv->dim * sizeof *t->vpool)))
      goto fail;
  }
  t->cats = fs_model_new("features");
  fs_error err;
  if (!t->cats || fs_model_add_dimension(t->cats, "x", 0) < 0)
    goto fail;
  t->cats->dims[0].kind = FS_DIM_LOGISTIC;
  t->cats->dims[0].voice = o->voice;
  for (size_t c = 0; c < lex->ncats; c++)
    if (fs_model_add_feature(t->cats, 0, lex->cats[c].name, 1.0, 0))
      goto fail;
  if (fs_model_bind(t->cats, lex, &err))
    goto fail;
  t->cstart = calloc(1, sizeof *t->cstart);
  t->sstart = calloc(1, sizeof *t->sstart);
  t->pstart = calloc(1, sizeof *t->pstart);
  if (!t->cstart || !t->sstart || !t->pstart)
    goto fail;
  return t;
fail:
  fs_trainer_free(t);
  return NULL;
}

void fs_trainer_free(fs_trainer *t) {
  if (!t)
    return;
  fs_model_free(t->cats);
  fs_sparse_free(&t->x);
  free(t->cx), free(t->cstart);
  free(t->stems), free(t->sstart), free(t->y), free(t->seen);
  free(t->smark);
  fs_intern_free(&t->pair_keys);
  fs_intern_free(&t->group_keys);
  free(t->group);
  fs_context_scratch_free(&t->cs);
  free(t->cprob);
  free(t->pairs), free(t->pstart), free(t->pseen);
  for (size_t i = 0; t->text && i < t->n; i++)
    free(t->text[i]), free(t->wbuf[i]);
  free(t->text), free(t->wbuf), free(t->nw);
  fs_tagger_free(t->tg);
  free(t->vec), free(t->vpool);
  free(t);
}

static bool in_voice(int want, int voice) {
  return want == FS_VOICES || want == voice;
}

/* Key buf[0..len) (a pair or an affix) among item n's terms, once. */
static int add_key(fs_trainer *t, const char *buf, size_t len, size_t n) {
  uint32_t id = fs_intern_add(&t->pair_keys, buf, len);
  if (id == FS_NONE)
    return FS_ERR_NOMEM;
  if ((size_t)id + 1 > t->pseen_cap) {
    size_t old = t->pseen_cap;
    if (fs_grow(&t->pseen, &t->pseen_cap, (size_t)id + 1, sizeof *t->pseen))
      return FS_ERR_NOMEM;
    memset(t->pseen + old, 0, (t->pseen_cap - old) * sizeof *t->pseen);
  }
  if (t->pseen[id] == n + 1)
    return FS_OK;
  t->pseen[id] = (uint32_t)(n + 1);
  if (fs_grow(&t->pairs, &t->pr_cap, t->npr + 1, sizeof *t->pairs))
    return FS_ERR_NOMEM;
  t->pairs[t->npr++] = id;
  return FS_OK;
}

/* Each distinct pair of consecutive words of a sentence (punctuation between
 * them ignored; both in the voice) of item n, once: the definition the
 * model's pair features score (model.c). */
static int add_pairs(fs_trainer *t, const fs_doc *d, size_t n) {
  char buf[FS_MODEL_PAIR_MAX];
  size_t prev = SIZE_MAX;
  for (size_t k = 0; k < d->ntokens; k++) {
    const fs_tok *tk = &d->tokens[k];
    if (tk->kind != FS_TOK_WORD && tk->kind != FS_TOK_NUMBER)
      continue;
    if (!in_voice(t->o.voice, tk->voice)) {
      prev = SIZE_MAX;
      continue;
    }
    size_t p = prev;
    prev = k;
    if (p == SIZE_MAX || d->tokens[p].sentence != tk->sentence)
      continue;
    size_t len = fs_model_pair_name(t->ctx, d->tokens[p].stem, tk->stem, buf,
                                    sizeof buf);
    if (!len)
      continue;
    if (add_key(t, buf, len, n))
      return FS_ERR_NOMEM;
  }
  return FS_OK;
}

/* Each distinct affix (o.affix_min..o.affix_max code points) of the words
 * (not numbers) in the voice of item n, once, as terms beside the pairs:
 * the definition the model's affix features score (model.c). */
static int add_affixes(fs_trainer *t, const fs_doc *d, size_t n) {
  char buf[4 * FS_MODEL_AFFIX_MAX + 2];
  for (size_t k = 0; k < d->ntokens; k++) {
    const fs_tok *tk = &d->tokens[k];
    if (tk->kind != FS_TOK_WORD || !in_voice(t->o.voice, tk->voice))
      continue;
    const char *form = fs_ctx_form(t->ctx, tk->form);
    size_t len = strlen(form);
    for (int a = t->o.affix_min; a <= t->o.affix_max; a++)
      for (int suffix = 0; suffix < 2; suffix++) {
        size_t kl = fs_model_affix_key(form, len, a, suffix, buf, sizeof buf);
        if (kl && add_key(t, buf, kl, n))
          return FS_ERR_NOMEM;
      }
  }
  return FS_OK;
}

typedef struct ngram_add {
  fs_trainer *t;
  size_t n;
} ngram_add;

static int add_ngram(void *data, const char *key, size_t len) {
  ngram_add *na = data;
  return add_key(na->t, key, len, na->n);
}

/* Each distinct character n-gram (o.ngram_min..o.ngram_max code points) of
 * the words (not numbers) in the voice of item n, once, as terms beside
 * the pairs: the definition the model's ngram: features score (model.c). */
static int add_ngrams(fs_trainer *t, const fs_doc *d, size_t n) {
  ngram_add na = {t, n};
  for (size_t k = 0; k < d->ntokens; k++) {
    const fs_tok *tk = &d->tokens[k];
    if (tk->kind != FS_TOK_WORD || !in_voice(t->o.voice, tk->voice))
      continue;
    const char *form = fs_ctx_form(t->ctx, tk->form);
    if (fs_model_ngrams(form, strlen(form), t->o.ngram_min, t->o.ngram_max,
                        add_ngram, &na))
      return FS_ERR_NOMEM;
  }
  return FS_OK;
}

/* The context aggregates of the whole text under o.cm, as the model's
 * context: features score them (model.c). */
static int add_context(fs_trainer *t, const fs_doc *d) {
  const fs_lexicon *lex = fs_ctx_lexicon(t->ctx);
  if (fs_grow(&t->cprob, &t->cprob_cap, d->nmatches + 1, sizeof *t->cprob) ||
      fs_context_scratch_fill(&t->cs, lex, d) ||
      fs_grow(&t->cx, &t->cx_cap, t->ncx + FS_CTXAGG_N, sizeof *t->cx))
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < d->nmatches; i++)
    t->cprob[i] = d->matches[i].category < lex->ncats
                      ? (float)fs_context_prob(t->o.cm, lex, &t->cs, d, i)
                      : 1.0f;
  double v[FS_CTXAGG_N];
  fs_model_ctxagg(lex, d, t->cprob, t->o.voice, !t->o.ctx_all, 0, d->ntokens,
                  v);
  for (size_t k = 0; k < FS_CTXAGG_N; k++)
    if (v[k] != 0)
      t->cx[t->ncx++] = (fs_catx){(uint32_t)(t->ncats + k), v[k]};
  return FS_OK;
}

/* The shape features of the whole text, after the context aggregates: the
 * model's shape: features (model.c). */
static int add_shape(fs_trainer *t, const fs_doc *d) {
  double v[FS_SHAPE_N];
  fs_model_shape(d, 0, d->ntokens, v);
  if (fs_grow(&t->cx, &t->cx_cap, t->ncx + FS_SHAPE_N, sizeof *t->cx))
    return FS_ERR_NOMEM;
  size_t base = t->ncats + (t->o.cm ? FS_CTXAGG_N : 0);
  for (size_t k = 0; k < FS_SHAPE_N; k++)
    if (v[k] != 0)
      t->cx[t->ncx++] = (fs_catx){(uint32_t)(base + k), v[k]};
  return FS_OK;
}

/* o.tagger: item t->n's text and marked words, kept for the taggers. */
static int keep_text(fs_trainer *t, const fs_doc *d, const char *const *words,
                     size_t nwords) {
  size_t n = t->n, len = 0;
  if (fs_grow(&t->text, &t->text_cap, n + 1, sizeof *t->text) ||
      fs_grow(&t->wbuf, &t->wbuf_cap, n + 1, sizeof *t->wbuf) ||
      fs_grow(&t->nw, &t->nw_cap, n + 1, sizeof *t->nw))
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < nwords; i++)
    len += strlen(words[i]) + 1;
  t->text[n] = malloc(d->len + 1);
  t->wbuf[n] = malloc(len + 1);
  if (!t->text[n] || !t->wbuf[n]) {
    free(t->text[n]), free(t->wbuf[n]);
    t->text[n] = t->wbuf[n] = NULL;
    return FS_ERR_NOMEM;
  }
  memcpy(t->text[n], d->text, d->len);
  t->text[n][d->len] = '\0';
  char *w = t->wbuf[n];
  for (size_t i = 0; i < nwords; i++) {
    size_t l = strlen(words[i]) + 1;
    memcpy(w, words[i], l);
    w += l;
  }
  t->nw[n] = nwords;
  return FS_OK;
}

/* o.wv: the pools of item n's words (model.c's vector: features). */
static int add_vectors(fs_trainer *t, const fs_doc *d, size_t n) {
  if (fs_grow(&t->vec, &t->vec_cap, (n + 1) * t->nvec, sizeof *t->vec))
    return FS_ERR_NOMEM;
  unsigned dim = t->o.wv->dim;
  fs_model_vector_pool(t->o.wv, t->o.vector_skip, t->o.vector_sif, t->ctx, d,
                       0, d->ntokens, t->o.voice, t->vpool);
  double *out = t->vec + n * t->nvec;
  for (size_t i = 0; i < FS_VPOOL_N; i++)
    if ((t->o.vector_pools >> i) & 1) {
      memcpy(out, t->vpool + i * dim, dim * sizeof *out);
      out += dim;
    }
  return FS_OK;
}

int fs_trainer_add(fs_trainer *t, const fs_doc *d, int label) {
  return fs_trainer_add_row(t, d, label, NULL, 0, NULL, 0);
}

int fs_trainer_add_row(fs_trainer *t, const fs_doc *d, int label,
                       const char *group, size_t len,
                       const char *const *words, size_t nwords) {
  size_t n = t->n;
  if (fs_grow(&t->y, &t->cap, n + 1, sizeof *t->y) ||
      fs_grow(&t->group, &t->group_cap, n + 1, sizeof *t->group))
    return FS_ERR_NOMEM;
  t->group[n] = FS_NONE;
  if (group && len &&
      (t->group[n] = fs_intern_add(&t->group_keys, group, len)) == FS_NONE)
    return FS_ERR_NOMEM;
  size_t *cs = realloc(t->cstart, (n + 2) * sizeof *cs);
  if (cs)
    t->cstart = cs;
  size_t *ss = realloc(t->sstart, (n + 2) * sizeof *ss);
  if (ss)
    t->sstart = ss;
  size_t *ps = realloc(t->pstart, (n + 2) * sizeof *ps);
  if (ps)
    t->pstart = ps;
  if (!cs || !ss || !ps)
    return FS_ERR_NOMEM;
  /* categories: the model's own transform, so scoring agrees with training */
  if (fs_model_features(t->cats, 0, t->ctx, d, 0, d->ntokens, &t->x))
    return FS_ERR_NOMEM;
  if (fs_grow(&t->cx, &t->cx_cap, t->ncx + t->x.n, sizeof *t->cx))
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < t->x.n; i++)
    t->cx[t->ncx++] = (fs_catx){t->x.idx[i], t->x.val[i]};
  /* stems: each distinct stem of the voice's words, once */
  for (size_t k = 0; k < d->ntokens; k++) {
    const fs_tok *tk = &d->tokens[k];
    if ((tk->kind != FS_TOK_WORD && tk->kind != FS_TOK_NUMBER) ||
        !in_voice(t->o.voice, tk->voice))
      continue;
    size_t need = (size_t)tk->stem + 1;
    if (need > t->seen_cap) {
      size_t old = t->seen_cap;
      if (fs_grow(&t->seen, &t->seen_cap, need, sizeof *t->seen))
        return FS_ERR_NOMEM;
      memset(t->seen + old, 0, (t->seen_cap - old) * sizeof *t->seen);
    }
    bool marked = nwords && fs_eval_gold_word(d, tk, words, nwords);
    if (t->seen[tk->stem] == n + 1) {
      for (size_t j = t->sstart[n]; marked && j < t->nst; j++)
        if (t->stems[j] == tk->stem)
          t->smark[j] = 1;
      continue;
    }
    t->seen[tk->stem] = (uint32_t)(n + 1);
    if (fs_grow(&t->stems, &t->st_cap, t->nst + 1, sizeof *t->stems) ||
        fs_grow(&t->smark, &t->smark_cap, t->nst + 1, sizeof *t->smark))
      return FS_ERR_NOMEM;
    t->smark[t->nst] = marked;
    t->stems[t->nst++] = tk->stem;
  }
  if (t->o.cm && add_context(t, d))
    return FS_ERR_NOMEM;
  if (t->o.shape && add_shape(t, d))
    return FS_ERR_NOMEM;
  if (t->o.pairs && add_pairs(t, d, n))
    return FS_ERR_NOMEM;
  if (t->o.affix_min > 0 && add_affixes(t, d, n))
    return FS_ERR_NOMEM;
  if (t->o.ngram_min > 0 && add_ngrams(t, d, n))
    return FS_ERR_NOMEM;
  if (t->o.tagger && keep_text(t, d, words, nwords))
    return FS_ERR_NOMEM;
  if (t->nvec && add_vectors(t, d, n))
    return FS_ERR_NOMEM;
  t->y[n] = label ? 1.0 : 0.0;
  t->cstart[n + 1] = t->ncx;
  t->sstart[n + 1] = t->nst;
  t->pstart[n + 1] = t->npr;
  t->n++;
  return FS_OK;
}

/* Columns: every category, then stems, then pairs in at least min_df of the
 * rows; col[term] is the column of a term (a stem id, or nstems_ctx + a pair
 * id) or UINT32_MAX. col holds nstems_ctx + pair_keys.count terms. */
static size_t vocabulary(const fs_trainer *t, const bool *use, uint32_t *col,
                         size_t nstems_ctx) {
  size_t nterms = nstems_ctx + t->pair_keys.count;
  uint32_t *df = calloc(nterms ? nterms : 1, sizeof *df);
  if (!df)
    return SIZE_MAX;
  for (size_t i = 0; i < t->n; i++)
    if (!use || use[i]) {
      for (size_t k = t->sstart[i]; k < t->sstart[i + 1]; k++)
        df[t->stems[k]]++;
      for (size_t k = t->pstart[i]; k < t->pstart[i + 1]; k++)
        df[nstems_ctx + t->pairs[k]]++;
    }
  size_t p = t->ncats + t->ndense + t->nvec;
  for (size_t s = 0; s < nterms; s++)
    col[s] = df[s] >= (uint32_t)t->o.min_df ? (uint32_t)p++ : UINT32_MAX;
  free(df);
  return p;
}

/* The vector: columns' means and standard deviations over the rows in use
 * (every row when use is NULL) into mu and sd ([t->nvec] each; sd 1 for a
 * constant column), and the factor that scales the standardised values. */
static double vector_moments(const fs_trainer *t, const bool *use, double *mu,
                             double *sd) {
  size_t m = t->nvec, nr = 0;
  for (size_t j = 0; j < m; j++)
    mu[j] = sd[j] = 0;
  for (size_t i = 0; i < t->n; i++)
    if (!use || use[i]) {
      nr++;
      for (size_t j = 0; j < m; j++)
        mu[j] += t->vec[i * m + j];
    }
  for (size_t j = 0; j < m; j++)
    mu[j] /= (double)(nr ? nr : 1);
  for (size_t i = 0; i < t->n; i++)
    if (!use || use[i])
      for (size_t j = 0; j < m; j++)
        sd[j] += pow(t->vec[i * m + j] - mu[j], 2);
  for (size_t j = 0; j < m; j++) {
    sd[j] = sqrt(sd[j] / (double)(nr ? nr : 1));
    if (!(sd[j] > 1e-12))
      sd[j] = 1;
  }
  return t->o.vector_scale > 0 ? t->o.vector_scale : 1.0;
}

/* The design matrix of every row over the given columns, the vector:
 * columns standardised on the rows in use (NULL: all); *mark (when mark
 * is not NULL) receives, for each stored value, whether it is a stem that
 * was among the row's marked words. */
static int design(const fs_trainer *t, const bool *use, const uint32_t *col,
                  size_t nstems_ctx, size_t p, fs_lr_data *x, uint8_t **mark) {
  memset(x, 0, sizeof *x);
  x->n = t->n;
  x->p = p;
  size_t nnz = t->ncx + t->nst + t->npr + t->n * t->nvec;
  double *mu = NULL, *sd = NULL, scale = 1;
  if (t->nvec) {
    mu = malloc(t->nvec * sizeof *mu);
    sd = malloc(t->nvec * sizeof *sd);
    if (!mu || !sd) {
      free(mu), free(sd);
      return FS_ERR_NOMEM;
    }
    scale = vector_moments(t, use, mu, sd);
  }
  x->row = malloc((t->n + 1) * sizeof *x->row);
  x->col = malloc((nnz ? nnz : 1) * sizeof *x->col);
  x->val = malloc((nnz ? nnz : 1) * sizeof *x->val);
  x->y = malloc((t->n ? t->n : 1) * sizeof *x->y);
  uint8_t *mk = mark ? calloc(nnz ? nnz : 1, 1) : NULL;
  if (!x->row || !x->col || !x->val || !x->y || (mark && !mk)) {
    free(mk), free(mu), free(sd);
    fs_lr_data_free(x);
    return FS_ERR_NOMEM;
  }
  if (mark)
    *mark = mk;
  size_t k = 0;
  for (size_t i = 0; i < t->n; i++) {
    x->row[i] = k;
    for (size_t j = t->cstart[i]; j < t->cstart[i + 1]; j++) {
      x->col[k] = t->cx[j].idx;
      x->val[k++] = t->cx[j].val;
    }
    for (size_t j = 0; j < t->nvec; j++) {
      x->col[k] = (uint32_t)(t->ncats + t->ndense + j);
      x->val[k++] = scale * (t->vec[i * t->nvec + j] - mu[j]) / sd[j];
    }
    /* stems in increasing column order is not needed: sums commute */
    for (size_t j = t->sstart[i]; j < t->sstart[i + 1]; j++)
      if (col[t->stems[j]] != UINT32_MAX) {
        if (mk)
          mk[k] = t->smark[j];
        x->col[k] = col[t->stems[j]];
        x->val[k++] = 1.0;
      }
    for (size_t j = t->pstart[i]; j < t->pstart[i + 1]; j++)
      if (col[nstems_ctx + t->pairs[j]] != UINT32_MAX) {
        x->col[k] = col[nstems_ctx + t->pairs[j]];
        x->val[k++] = 1.0;
      }
    x->y[i] = t->y[i];
  }
  x->row[t->n] = k;
  free(mu), free(sd);
  return FS_OK;
}

static double tol_for(size_t rows) {
  return LR_TOL_PER_ROW * (double)(rows > 0 ? rows : 1);
}

/* --nb: the penalty of each binary (stem, pair) column from its naive Bayes
 * log-count ratio r on the fitting rows, 1 / r^2 (floored): fitting with it
 * is fitting NB-scaled features (Wang and Manning 2012) with the usual L2
 * penalty, whose weights are then the model's weights times r. Category
 * columns keep penalty 1. */
static int nb_penalty(fs_lr_data *x, const size_t *rows, size_t nr,
                      size_t ncats, bool nb, const uint8_t *mark,
                      double prior) {
  double *c1 = calloc(x->p + 1, sizeof *c1), *c0 = calloc(x->p + 1, sizeof *c0);
  double *cm = calloc(x->p + 1, sizeof *cm);
  if (!c1 || !c0 || !cm) {
    free(c1), free(c0), free(cm);
    return FS_ERR_NOMEM;
  }
  double s1 = 0, s0 = 0;
  for (size_t r = 0; r < nr; r++) {
    size_t i = rows ? rows[r] : r;
    double *c = x->y[i] > 0 ? c1 : c0;
    for (size_t k = x->row[i]; k < x->row[i + 1]; k++)
      if (x->col[k] >= ncats) {
        c[x->col[k]] += 1;
        if (mark)
          cm[x->col[k]] += mark[k];
      }
  }
  for (size_t j = ncats; j < x->p; j++)
    s1 += c1[j] + 1, s0 += c0[j] + 1;
  for (size_t j = 0; j < x->p; j++) {
    if (j < ncats) {
      x->pen[j] = 1;
      continue;
    }
    double r = log((c1[j] + 1) / s1) - log((c0[j] + 1) / s0);
    x->pen[j] = nb ? 1.0 / fmax(r * r, 1e-3) : 1.0;
    /* --word-prior: a stem the annotators marked in a share m of the
     * fitting rows that hold it is penalised 1 + prior * m times less */
    if (mark)
      x->pen[j] /= 1.0 + prior * cm[j] / (c1[j] + c0[j] + 1);
  }
  free(c1), free(c0), free(cm);
  return FS_OK;
}

/* Is --ngram-scale in force? */
static bool ngram_scaled(const fs_trainer *t) {
  return t->o.ngram_min > 0 && t->o.ngram_scale > 0 && t->o.ngram_scale != 1;
}

/* The penalties of rows[0..nr) (nb_penalty), and --ngram-scale's factor on
 * the n-gram columns (col: the vocabulary's column of each term). */
static int penalties(const fs_trainer *t, fs_lr_data *x, const uint8_t *mark,
                     const size_t *rows, size_t nr, const uint32_t *col,
                     size_t nstems) {
  if (nb_penalty(x, rows, nr, t->ncats + t->ndense + t->nvec, t->o.nb, mark,
                 t->o.word_prior))
    return FS_ERR_NOMEM;
  if (!ngram_scaled(t))
    return FS_OK;
  double f = 1.0 / (t->o.ngram_scale * t->o.ngram_scale);
  for (size_t s = 0; s < t->pair_keys.count; s++)
    if (col[nstems + s] != UINT32_MAX &&
        *fs_intern_str(&t->pair_keys, (uint32_t)s) == '\x04')
      x->pen[col[nstems + s]] *= f;
  return FS_OK;
}

/* Fits on rows[0..nr) and returns the probabilities of rows out[0..no). */
static int fit_predict(const fs_trainer *t, fs_lr_data *x,
                       const uint8_t *mark, const uint32_t *col, size_t nstems,
                       const size_t *rows, size_t nr, const size_t *out,
                       size_t no, double lambda, double *w, double *pred,
                       fs_lr_info *info) {
  if (x->pen && penalties(t, x, mark, rows, nr, col, nstems))
    return FS_ERR_NOMEM;
  if (fs_lr_fit(x, rows, nr, lambda, tol_for(nr), LR_MAX_ITER, w, info))
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < no; i++)
    pred[i] = fs_lr_predict(x, out[i], w);
  return FS_OK;
}

/* One outer fold: vocabulary and inner cross-validation on its training
 * rows, then the fit on all of them; fills r->oof for the test rows. */
static int outer_fold(fs_trainer *t, const int *fold, long k, size_t nstems,
                      fs_train_result *r, fs_train_fold *fr) {
  size_t n = t->n, ntr = 0, nte = 0;
  long K = t->o.folds;
  int rc = FS_ERR_NOMEM;
  bool *use = calloc(n, sizeof *use);
  uint32_t *col = malloc((nstems + t->pair_keys.count + 1) * sizeof *col);
  size_t *tr = malloc(n * sizeof *tr), *te = malloc(n * sizeof *te);
  size_t *itr = malloc(n * sizeof *itr), *ite = malloc(n * sizeof *ite);
  double *inner = malloc(n * sizeof *inner), *iy = malloc(n * sizeof *iy);
  double *pred = malloc(n * sizeof *pred), *w = NULL;
  uint8_t *mark = NULL;
  fs_lr_data x = {0};
  if (!use || !col || !tr || !te || !itr || !ite || !inner || !iy || !pred)
    goto done;
  for (size_t i = 0; i < n; i++) {
    use[i] = fold[i] != k;
    if (use[i])
      tr[ntr++] = i;
    else
      te[nte++] = i;
  }
  size_t p = vocabulary(t, use, col, nstems);
  bool marks = t->o.word_prior > 0;
  if (p == SIZE_MAX ||
      design(t, use, col, nstems, p, &x, marks ? &mark : NULL) ||
      !(w = malloc((p + 1) * sizeof *w)))
    goto done;
  fr->features = p;
  if ((t->o.nb || marks || ngram_scaled(t)) &&
      !(x.pen = malloc((p + 1) * sizeof *x.pen)))
    goto done;
  /* inner folds: the outer folds other than k, so thresholds are chosen on
   * predictions for training rows from models that did not see them */
  size_t nin = 0;
  for (long j = 0; j < K; j++) {
    if (j == k)
      continue;
    size_t a = 0, b = 0;
    for (size_t i = 0; i < ntr; i++)
      if (fold[tr[i]] == j)
        ite[b++] = tr[i];
      else
        itr[a++] = tr[i];
    fs_lr_info info;
    if (fit_predict(t, &x, mark, col, nstems, itr, a, ite, b, t->o.lambda, w,
                    pred, &info))
      goto done;
    r->all_converged &= info.converged;
    for (size_t i = 0; i < b; i++) {
      inner[nin] = pred[i];
      iy[nin++] = t->y[ite[i]];
    }
  }
  fr->threshold = fs_eval_best_threshold(inner, iy, nin, NULL);
  fs_lr_info info;
  if (fit_predict(t, &x, mark, col, nstems, tr, ntr, te, nte, t->o.lambda, w,
                  pred, &info))
    goto done;
  r->all_converged &= info.converged;
  for (size_t i = 0; i < nte; i++) {
    r->oof[te[i]] = pred[i];
    iy[i] = t->y[te[i]];
  }
  fs_prf c = fs_eval_at(pred, iy, nte, fr->threshold);
  fr->n = nte;
  fr->positives = (size_t)(c.tp + c.fn);
  fr->tp = c.tp, fr->fp = c.fp, fr->fn = c.fn, fr->tn = c.tn;
  fr->precision = c.precision, fr->recall = c.recall, fr->f1 = c.f1;
  fr->roc_auc = fs_eval_roc_auc(pred, iy, nte);
  rc = FS_OK;
done:
  free(x.pen), free(mark);
  fs_lr_data_free(&x);
  free(use), free(col), free(tr), free(te), free(itr), free(ite);
  free(inner), free(iy), free(pred), free(w);
  return rc;
}

/* Stem features sorted by weight magnitude, most telling first. */
typedef struct stem_w {
  uint32_t stem;
  double w;
} stem_w;

static int cmp_stem_w(const void *a, const void *b) {
  const stem_w *x = a, *y = b;
  double ax = fabs(x->w), ay = fabs(y->w);
  if (ax != ay)
    return ax < ay ? 1 : -1;
  return (x->stem > y->stem) - (x->stem < y->stem);
}

/* Appends to *text (length *len, capacity *cap) the lines of buf that are
 * not empty, comments or the format line (starting with header), each TAB
 * a space when tab_space: an embedded model's lines in a dimension. */
static int keep_lines(const char *buf, const char *header, bool tab_space,
                      char **text, size_t *len, size_t *cap) {
  size_t hl = strlen(header);
  for (const char *c = buf; *c;) {
    size_t n = strcspn(c, "\n");
    if (n && *c != '#' && strncmp(c, header, hl)) {
      if (fs_grow(text, cap, *len + n + 2, 1))
        return FS_ERR_NOMEM;
      for (size_t i = 0; i < n; i++)
        (*text)[(*len)++] = tab_space && c[i] == '\t' ? ' ' : c[i];
      (*text)[(*len)++] = '\n';
      (*text)[*len] = '\0';
    }
    c += n + (c[n] == '\n');
  }
  return *text ? FS_OK : FS_ERR_NOMEM;
}

/* Adds to the model's dimension the n features PREFIX:NAME, each name
 * name(k), with the weights w[0..n). */
static int add_named(fs_model *m, const char *prefix,
                     const char *(*name)(size_t), size_t n, const double *w) {
  for (size_t k = 0; k < n; k++) {
    char feature[64];
    snprintf(feature, sizeof feature, "%s:%s", prefix, name(k));
    if (fs_model_add_feature(m, 0, feature, w[k], 0))
      return FS_ERR_NOMEM;
  }
  return FS_OK;
}

/* What an embedded model's writer prints, without a comment. */
typedef int (*write_fn)(FILE *out, const void *model);

static int write_context(FILE *out, const void *cm) {
  return fs_context_model_write(out, cm, NULL);
}

static int write_tagger(FILE *out, const void *tg) {
  return fs_tagger_write(out, tg, NULL);
}

/* The text write() gives of model, in *buf (the caller frees it) of *len
 * bytes. Returns FS_OK or FS_ERR_NOMEM. */
static int written(write_fn write, const void *model, char **buf, size_t *len) {
  *buf = NULL;
  *len = 0;
  FILE *f = open_memstream(buf, len);
  if (!f)
    return FS_ERR_NOMEM;
  int rc = write(f, model);
  if (fclose(f) || rc) {
    free(*buf);
    *buf = NULL;
    return FS_ERR_NOMEM;
  }
  return FS_OK;
}

/* Appends the text write() gives of model to *text as keep_lines does: an
 * embedded model's lines in the dimension. */
static int embed_text(write_fn write, const void *model, const char *header,
                      bool tab_space, char **text, size_t *len, size_t *cap) {
  char *buf;
  size_t n;
  if (written(write, model, &buf, &n))
    return FS_ERR_NOMEM;
  int rc = keep_lines(buf, header, tab_space, text, len, cap);
  free(buf);
  return rc;
}

/* The context: features with their weights, and the context model they
 * need as the dimension's context lines (the text of
 * fs_context_model_write without its comments and format line). */
static int embed_context(const fs_trainer *t, fs_model *m, const double *w) {
  fs_dimension *d = &m->dims[0];
  d->ctx_framing = !t->o.ctx_all;
  if (add_named(m, "context", fs_model_ctxagg_name, FS_CTXAGG_N, w))
    return FS_ERR_NOMEM;
  return embed_text(write_context, t->o.cm, "framescore-context", false,
                    &d->context_text, &d->context_len, &d->context_cap);
}

/* ---- the tagger: features (o.tagger) -------------------------------------- */

#define TAGGER_LAMBDA 1.0  /* as bench/validity.sh trains BABE taggers */
#define TAGGER_MIN_DF 2

/* The word vectors the nested taggers take (o.tagger_vectors), or NULL. */
static const fs_word_vectors *tagger_wv(const fs_trainer *t) {
  return t->o.tagger_vectors && t->o.wv && t->o.wv->dim ? t->o.wv : NULL;
}

/* Trains a span tagger on the items whose fold is not `fold` (every item
 * when fold < 0); *tg receives it, *f1 its cross-validated word F1. */
static int tagger_fit(fs_trainer *t, const int *fold, long k, fs_tagger **tg,
                      double *f1, fs_error *err) {
  fs_annot a;
  fs_annot_init(&a, t->o.tag_setup);
  int rc = FS_OK;
  for (size_t i = 0; i < t->n && !rc; i++) {
    if (k >= 0 && fold[i] == k)
      continue;
    /* the tagger's own folds keep the items' groups together too */
    char key[48];
    const char *group = key;
    if (t->group[i] != FS_NONE)
      group = fs_intern_str(&t->group_keys, t->group[i]);
    else
      snprintf(key, sizeof key, "\x1frow %zu", i);
    char *text = strdup(t->text[i]);
    const char **words = malloc((t->nw[i] + 1) * sizeof *words);
    fs_doc *d = text && words ? fs_doc_analyze(t->o.tag_ctx, text,
                                               strlen(text), err)
                              : NULL;
    const char *w = t->wbuf[i];
    for (size_t j = 0; words && j < t->nw[i]; j++, w += strlen(w) + 1)
      words[j] = w;
    if (!d) {
      free(text), free(words);
      return FS_ERR_NOMEM;
    }
    rc = fs_annot_add_sentence(&a, d, text, words, t->nw[i], group);
    free(words);
  }
  fs_tagger_result tr;
  long folds =
      t->o.tagger_folds > 0 ? t->o.tagger_folds : FS_TRAIN_TAGGER_FOLDS;
  /* o.tagger_vectors: v= features of the vectors, recorded without a path
   * (a model that embeds the tagger is given them with --word-vectors) */
  fs_tagger_opts topts = {.vectors = tagger_wv(t)};
  if (!rc && !(rc = fs_tagger_train_opts(
                   &a, t->o.tag_ctx, TAGGER_LAMBDA, folds, t->o.seed,
                   TAGGER_MIN_DF, FS_TAGGER_TAGS, &topts, &tr, err))) {
    *tg = tr.model;
    *f1 = tr.cv[FS_ANNOT_WORDS].f1;
    tr.model = NULL;
    fs_tagger_result_free(&tr);
  }
  fs_annot_free(&a);
  return rc;
}

/* The tagger at each threshold level, as a model that embeds it reads it
 * (fs_model_tagger_levels on its text), given the vectors wv when it was
 * trained with them. */
static int tagger_levels(const fs_tagger *tg, const fs_word_vectors *wv,
                         fs_tagger *lv[FS_TAGLV_N], fs_error *err) {
  char *buf;
  size_t len;
  if (written(write_tagger, tg, &buf, &len))
    return FS_ERR_NOMEM;
  int rc = fs_model_tagger_levels("the fold's tagger", buf, len, lv, err);
  free(buf);
  for (size_t j = 0; wv && !rc && j < FS_TAGLV_N; j++)
    rc = fs_tagger_use_vectors(lv[j], wv, err);
  for (size_t j = 0; rc && j < FS_TAGLV_N; j++) {
    fs_tagger_free(lv[j]);
    lv[j] = NULL;
  }
  return rc;
}

/* The tagger: aggregates of every item, tagged by a tagger that did not see
 * its fold, as columns after the others; then the final tagger. */
static int tagger_columns(fs_trainer *t, const int *fold, long K,
                          fs_error *err) {
  unsigned aggs = t->o.tagger_aggs;
  size_t n = t->n, m = tagger_ncols(aggs);
  size_t cap = t->ncx + n * m + 1;
  double *v = calloc(n * m + 1, sizeof *v);
  fs_catx *cx = malloc(cap * sizeof *cx);
  int rc = v && cx ? FS_OK : FS_ERR_NOMEM;
  uint8_t *tags = NULL;
  double *prob = NULL;
  size_t tags_cap = 0, prob_cap = 0;
  for (long k = 0; k < K && !rc; k++) {
    fs_tagger *tg = NULL, *lv[FS_TAGLV_N] = {0};
    double f1;
    if ((rc = tagger_fit(t, fold, k, &tg, &f1, err)) ||
        (rc = tagger_levels(tg, tagger_wv(t), lv, err))) {
      fs_tagger_free(tg);
      break;
    }
    for (size_t i = 0; i < n && !rc; i++) {
      if (fold[i] != k)
        continue;
      fs_error ignored;
      fs_doc *d = fs_doc_analyze(t->o.tag_ctx, t->text[i], strlen(t->text[i]),
                                 &ignored);
      rc = d ? fs_grow(&tags, &tags_cap, FS_TAGLV_N * d->ntokens + 1, 1)
             : FS_ERR_NOMEM;
      if (!rc)
        rc = fs_grow(&prob, &prob_cap, d->ntokens + 1, sizeof *prob);
      for (size_t j = 0; j < FS_TAGLV_N && !rc; j++) {
        /* as a model reads them (tagagg_features in model.c) */
        rc = j == 1 ? fs_tagger_probabilities(lv[j], t->o.tag_ctx, d, prob)
                    : fs_tagger_apply(lv[j], t->o.tag_ctx, d);
        if (!rc)
          memcpy(tags + j * d->ntokens, d->tok_tag, d->ntokens);
      }
      if (!rc) {
        double all[FS_TAGAGG_N];
        fs_model_tagagg(d, tags, prob, 0, d->ntokens, all);
        for (size_t j = 0, c = 0; j < FS_TAGAGG_N; j++)
          if ((aggs >> j) & 1)
            v[i * m + c++] = all[j];
      }
      fs_doc_free(d);
    }
    fs_tagger_free(tg);
    for (size_t j = 0; j < FS_TAGLV_N; j++)
      fs_tagger_free(lv[j]);
  }
  free(tags);
  free(prob);
  if (!rc)
    rc = tagger_fit(t, fold, -1, &t->tg, &t->tg_f1, err);
  if (rc) {
    free(v), free(cx);
    return rc;
  }
  size_t base = t->ncats + t->ndense - m, k = 0;
  for (size_t i = 0; i < n; i++) {
    size_t a = t->cstart[i], b = t->cstart[i + 1];
    t->cstart[i] = k;
    for (size_t j = a; j < b; j++)
      cx[k++] = t->cx[j];
    for (size_t j = 0; j < m; j++)
      if (v[i * m + j] != 0)
        cx[k++] = (fs_catx){(uint32_t)(base + j), v[i * m + j]};
  }
  t->cstart[n] = k;
  free(t->cx);
  t->cx = cx, t->ncx = k, t->cx_cap = cap;
  free(v);
  return FS_OK;
}

/* The tagger: features with their weights, and the final tagger as the
 * dimension's tagger lines (its file without comments and format line,
 * each TAB a space). */
static int embed_tagger(const fs_trainer *t, fs_model *m, const double *w) {
  fs_dimension *d = &m->dims[0];
  for (size_t j = 0, c = 0; j < FS_TAGAGG_N; j++) {
    char feature[64];
    snprintf(feature, sizeof feature, "tagger:%s", fs_model_tagagg_name(j));
    if (((t->o.tagger_aggs >> j) & 1) &&
        fs_model_add_feature(m, 0, feature, w[c++], 0))
      return FS_ERR_NOMEM;
  }
  return embed_text(write_tagger, t->tg, "framescore-tagger", true,
                    &d->tagger_text, &d->tagger_len, &d->tagger_cap);
}

/* The final fit's vector: weights w (on standardised columns) as weights
 * of the pooled values themselves, the means moved into the intercept:
 * the model file then needs no standardisation of its own. */
static int unstandardise(const fs_trainer *t, double *w) {
  double *mu = malloc(t->nvec * sizeof *mu), *sd = malloc(t->nvec * sizeof *sd);
  if (!mu || !sd) {
    free(mu), free(sd);
    return FS_ERR_NOMEM;
  }
  double scale = vector_moments(t, NULL, mu, sd);
  double *wv = w + 1 + t->ncats + t->ndense;
  for (size_t j = 0; j < t->nvec; j++) {
    wv[j] *= scale / sd[j];
    w[0] -= wv[j] * mu[j];
  }
  free(mu), free(sd);
  return FS_OK;
}

/* The vector: features with their weights, and the vectors line. */
static int embed_vectors(const fs_trainer *t, fs_model *m, const double *w) {
  fs_dimension *d = &m->dims[0];
  d->vec_digest = t->o.wv->digest;
  d->vec_dim = t->o.wv->dim;
  d->vec_words = t->o.vector_words;
  d->vec_skip = t->o.vector_skip;
  d->vec_sif_a = t->o.vector_sif;
  d->vec_line = -1; /* not from a file, but there */
  for (size_t i = 0, c = 0; i < FS_VPOOL_N; i++) {
    if (!((t->o.vector_pools >> i) & 1))
      continue;
    for (unsigned k = 0; k < t->o.wv->dim; k++) {
      char feature[64];
      snprintf(feature, sizeof feature, "vector:%s:%u",
               fs_model_vpool_name(i), k);
      if (fs_model_add_feature(m, 0, feature, w[c++], 0))
        return FS_ERR_NOMEM;
    }
  }
  return FS_OK;
}

static int final_model(fs_trainer *t, size_t nstems, fs_train_result *r) {
  const fs_lexicon *lex = fs_ctx_lexicon(t->ctx);
  size_t nterms = nstems + t->pair_keys.count;
  uint32_t *col = malloc((nterms + 1) * sizeof *col);
  fs_lr_data x = {0};
  double *w = NULL;
  stem_w *sw = NULL;
  int rc = FS_ERR_NOMEM;
  size_t p = col ? vocabulary(t, NULL, col, nstems) : SIZE_MAX;
  bool marks = t->o.word_prior > 0;
  uint8_t *mark = NULL;
  if (p == SIZE_MAX ||
      design(t, NULL, col, nstems, p, &x, marks ? &mark : NULL) ||
      !(w = malloc((p + 1) * sizeof *w)) ||
      !(sw = malloc((p - t->ncats + 1) * sizeof *sw)))
    goto done;
  if ((t->o.nb || marks || ngram_scaled(t)) &&
      (!(x.pen = malloc((p + 1) * sizeof *x.pen)) ||
       penalties(t, &x, mark, NULL, x.n, col, nstems)))
    goto done;
  if (fs_lr_fit(&x, NULL, 0, t->o.lambda, tol_for(t->n), LR_MAX_ITER, w,
                &r->final_info))
    goto done;
  r->all_converged &= r->final_info.converged;
  r->ncats = t->ncats;
  r->nstems = p - t->ncats - t->nvec;
  r->nvectors = t->nvec;
  if (t->nvec && unstandardise(t, w))
    goto done;
  for (size_t s = nstems; s < nterms; s++)
    if (col[s] != UINT32_MAX) {
      const char *key = fs_intern_str(&t->pair_keys, (uint32_t)(s - nstems));
      bool affix = *key == '\x02' || *key == '\x03', ngram = *key == '\x04';
      r->npairs += !affix && !ngram;
      r->naffixes += affix;
      r->nngrams += ngram;
    }
  fs_model *m = r->model = fs_model_new(t->o.name);
  if (!m || fs_model_add_dimension(m, t->o.name, 0) < 0)
    goto done;
  fs_dimension *d = &m->dims[0];
  d->kind = FS_DIM_LOGISTIC;
  d->voice = t->o.voice;
  d->unit = t->o.unit;
  /* what a model file may hold (FS_WEIGHT_MAX): near-separable data with a
   * tiny --lambda could go past it, and the model would not load */
  for (size_t i = 0; i <= p; i++)
    w[i] = fmax(-FS_WEIGHT_MAX, fmin(FS_WEIGHT_MAX, w[i]));
  d->intercept = w[0];
  d->threshold = r->threshold;
  if (t->o.about) {
    free(d->about);
    if (!(d->about = strdup(t->o.about)))
      goto done;
    for (char *c = d->about; *c; c++) /* a file name with a newline */
      if ((unsigned char)*c < 0x20 || *c == 0x7F)
        *c = ' ';
  }
  for (size_t c = 0; c < t->ncats; c++)
    if (fs_model_add_feature(m, 0, lex->cats[c].name, w[1 + c], 0))
      goto done;
  if (t->o.cm && embed_context(t, m, w + 1 + t->ncats))
    goto done;
  if (t->o.shape &&
      add_named(m, "shape", fs_model_shape_name, FS_SHAPE_N,
                w + 1 + t->ncats + (t->o.cm ? FS_CTXAGG_N : 0)))
    goto done;
  if (t->o.tagger &&
      embed_tagger(t, m, w + 1 + t->ncats + (t->o.cm ? FS_CTXAGG_N : 0) +
                             (t->o.shape ? FS_SHAPE_N : 0)))
    goto done;
  if (t->nvec && embed_vectors(t, m, w + 1 + t->ncats + t->ndense))
    goto done;
  size_t ns = 0;
  for (size_t s = 0; s < nterms; s++)
    if (col[s] != UINT32_MAX)
      sw[ns++] = (stem_w){(uint32_t)s, w[1 + col[s]]};
  qsort(sw, ns, sizeof *sw, cmp_stem_w);
  for (size_t i = 0; i < ns; i++) {
    /* a stem may be as long as a word's first FS_WORD_LOOKUP_MAX bytes
     * folded: a fixed buffer would cut it inside a character */
    bool pair = sw[i].stem >= nstems;
    const char *stem =
        pair ? fs_intern_str(&t->pair_keys, (uint32_t)(sw[i].stem - nstems))
             : fs_ctx_stem(t->ctx, sw[i].stem);
    /* the pair table holds affixes and n-grams too, under a control byte */
    const char *kind = !pair             ? "stem"
                       : *stem == '\x02' ? "prefix"
                       : *stem == '\x03' ? "suffix"
                       : *stem == '\x04' ? "ngram"
                                         : "pair";
    stem += pair && *stem >= '\x02' && *stem <= '\x04';
    char *name = malloc(strlen(stem) + 8);
    if (!name)
      goto done;
    sprintf(name, "%s:%s", kind, stem);
    int arc = fs_model_add_feature(m, 0, name, sw[i].w, 0);
    free(name);
    if (arc)
      goto done;
  }
  fs_error err;
  rc = fs_model_bind(m, lex, &err);
  /* its tagger scores with the caller's vectors (not the model's own) */
  if (!rc && tagger_wv(t))
    rc = fs_model_bind_tagger_vectors(m, (fs_word_vectors *)tagger_wv(t),
                                      false, "the trainer's vectors", &err);
done:
  free(x.pen), free(mark);
  fs_lr_data_free(&x);
  free(col), free(w), free(sw);
  return rc;
}

typedef struct cv_group {
  size_t n, pos, order; /* rows, positive rows, place after the shuffle */
  int fold;
} cv_group;

static int cmp_group_size(const void *a, const void *b) {
  const cv_group *x = *(cv_group *const *)a, *y = *(cv_group *const *)b;
  if (x->n != y->n)
    return x->n < y->n ? 1 : -1;
  return (x->order > y->order) - (x->order < y->order);
}

/* Folds by group: every item of a group in one fold. The groups, shuffled
 * with the seed and then taken largest first, each go to the fold whose
 * fuller class (as a share of that class's per-fold target) stays lowest,
 * fewest items breaking ties: folds of about equal size and class balance.
 * Items without a group are groups of one. *ngroups receives the count. */
static int group_folds(const fs_trainer *t, long k, unsigned long seed,
                       int *fold, size_t *ngroups) {
  size_t n = t->n, nkeyed = t->group_keys.count, ng = nkeyed;
  for (size_t i = 0; i < n; i++)
    ng += t->group[i] == FS_NONE;
  *ngroups = ng;
  cv_group *g = calloc(ng ? ng : 1, sizeof *g);
  cv_group **ord = malloc((ng ? ng : 1) * sizeof *ord);
  size_t *gid = malloc((n ? n : 1) * sizeof *gid);
  double *fpos = calloc((size_t)k, sizeof *fpos);
  double *fneg = calloc((size_t)k, sizeof *fneg);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  int rc = FS_ERR_NOMEM;
  if (!g || !ord || !gid || !fpos || !fneg || !rng)
    goto done;
  size_t next = nkeyed;
  double pos = 0;
  for (size_t i = 0; i < n; i++) {
    gid[i] = t->group[i] == FS_NONE ? next++ : t->group[i];
    g[gid[i]].n++;
    g[gid[i]].pos += t->y[i] > 0;
    pos += t->y[i] > 0;
  }
  for (size_t j = 0; j < ng; j++)
    ord[j] = &g[j];
  gsl_rng_set(rng, seed);
  if (ng > 1)
    gsl_ran_shuffle(rng, ord, ng, sizeof *ord);
  for (size_t j = 0; j < ng; j++)
    ord[j]->order = j;
  qsort(ord, ng, sizeof *ord, cmp_group_size);
  double tp = fmax(pos / (double)k, 1), tn = fmax((n - pos) / (double)k, 1);
  for (size_t j = 0; j < ng; j++) {
    cv_group *c = ord[j];
    long best = 0;
    double best_cost = HUGE_VAL, best_size = HUGE_VAL;
    for (long f = 0; f < k; f++) {
      double cost = fmax((fpos[f] + (double)c->pos) / tp,
                         (fneg[f] + (double)(c->n - c->pos)) / tn);
      double size = fpos[f] + fneg[f];
      if (cost < best_cost || (cost == best_cost && size < best_size))
        best = f, best_cost = cost, best_size = size;
    }
    c->fold = (int)best;
    fpos[best] += (double)c->pos;
    fneg[best] += (double)(c->n - c->pos);
  }
  for (size_t i = 0; i < n; i++)
    fold[i] = g[gid[i]].fold;
  rc = FS_OK;
done:
  free(g), free(ord), free(gid), free(fpos), free(fneg);
  gsl_rng_free(rng);
  return rc;
}

int fs_trainer_run(fs_trainer *t, fs_train_result *r, fs_error *err) {
  memset(r, 0, sizeof *r);
  size_t n = t->n;
  long K = t->o.folds;
  for (size_t i = 0; i < n; i++)
    r->positives += t->y[i] > 0;
  r->n = n;
  if (r->positives < (size_t)K || n - r->positives < (size_t)K)
    return fs_error_set(err, FS_ERR_INPUT, NULL, 0, 0,
                        "%zu-fold cross-validation needs at least %ld "
                        "texts of each class (%zu positive, %zu negative)",
                        (size_t)K, K, r->positives, n - r->positives);
  size_t nstems = fs_ctx_stem_count(t->ctx);
  int *fold = malloc(n * sizeof *fold);
  r->folds = calloc((size_t)K, sizeof *r->folds);
  r->oof = calloc(n, sizeof *r->oof);
  r->all_converged = true;
  int rc = FS_ERR_NOMEM;
  if (!fold || !r->folds || !r->oof)
    goto done;
  if (t->group_keys.count) {
    if (group_folds(t, K, t->o.seed, fold, &r->ngroups))
      goto done;
    /* every fold needs texts of both classes */
    for (long k = 0; k < K; k++) {
      size_t c[2] = {0, 0};
      for (size_t i = 0; i < n; i++)
        if (fold[i] == k)
          c[t->y[i] > 0]++;
      if (!c[0] || !c[1]) {
        rc = fs_error_set(err, FS_ERR_INPUT, NULL, 0, 0,
                          "%ld-fold cross-validation by group: %zu groups "
                          "leave fold %ld without %s texts",
                          K, r->ngroups, k + 1,
                          c[1] ? "negative" : "positive");
        goto done;
      }
    }
  } else if (fs_eval_folds(t->y, n, K, t->o.seed, fold))
    goto done;
  if (t->o.tagger) {
    if ((rc = tagger_columns(t, fold, K, err)))
      goto done;
    rc = FS_ERR_NOMEM;
  }
  for (long k = 0; k < K; k++) {
    fs_train_fold *fr = &r->folds[k];
    if (outer_fold(t, fold, k, nstems, r, fr))
      goto done;
    r->tp += fr->tp, r->fp += fr->fp, r->fn += fr->fn, r->tn += fr->tn;
    r->f1_mean += fr->f1 / (double)K;
  }
  for (long k = 0; k < K; k++)
    r->f1_sd += pow(r->folds[k].f1 - r->f1_mean, 2) / (double)(K - 1);
  r->f1_sd = sqrt(r->f1_sd);
  fs_prf c = fs_eval_prf(r->tp, r->fp, r->fn, r->tn);
  r->precision = c.precision, r->recall = c.recall, r->f1 = c.f1;
  r->accuracy = (r->tp + r->tn) / (double)n;
  r->roc_auc = fs_eval_roc_auc(r->oof, t->y, n);
  r->pr_auc = fs_eval_pr_auc(r->oof, t->y, n);
  /* the final model's threshold: best F1 on predictions for every text by
   * models that did not see it */
  r->threshold = fs_eval_best_threshold(r->oof, t->y, n, NULL);
  rc = final_model(t, nstems, r);
  r->tagger_f1 = t->tg_f1;
done:
  free(fold);
  if (rc == FS_ERR_NOMEM)
    fs_error_set(err, rc, NULL, 0, 0, "out of memory");
  return rc;
}

void fs_train_result_free(fs_train_result *r) {
  free(r->folds);
  free(r->oof);
  fs_model_free(r->model);
  memset(r, 0, sizeof *r);
}

/* ---- rendering ----------------------------------------------------------- */

void fs_render_train(FILE *out, const fs_train_result *r,
                     const fs_train_opts *o, const char *format) {
  bool csv = !strcmp(format, "csv"), json = !strcmp(format, "jsonl");
  if (csv || json) {
    if (csv)
      fputs("fold,n,positives,threshold,tp,fp,fn,tn,precision,recall,f1,"
            "roc_auc,pr_auc,accuracy\n",
            out);
    for (long k = 0; k <= o->folds; k++) {
      bool pooled = k == o->folds;
      const fs_train_fold *f = pooled ? NULL : &r->folds[k];
      double v[] = {pooled ? (double)r->n : (double)f->n,
                    pooled ? (double)r->positives : (double)f->positives,
                    pooled ? r->threshold : f->threshold,
                    pooled ? r->tp : f->tp,
                    pooled ? r->fp : f->fp,
                    pooled ? r->fn : f->fn,
                    pooled ? r->tn : f->tn,
                    pooled ? r->precision : f->precision,
                    pooled ? r->recall : f->recall,
                    pooled ? r->f1 : f->f1,
                    pooled ? r->roc_auc : f->roc_auc,
                    pooled ? r->pr_auc : NAN,
                    pooled ? r->accuracy
                           : (f->tp + f->tn) / (f->n ? (double)f->n : 1.0)};
      static const char *const keys[] = {
          "n",       "positives", "threshold", "tp",     "fp",
          "fn",      "tn",        "precision", "recall", "f1",
          "roc_auc", "pr_auc",    "accuracy"};
      if (csv)
        pooled ? fputs("pooled", out) : fprintf(out, "%ld", k + 1);
      else if (pooled)
        fputs("{\"fold\":\"pooled\"", out);
      else
        fprintf(out, "{\"fold\":%ld", k + 1);
      for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        if (json)
          fprintf(out, ",\"%s\":", keys[i]);
        else
          fputc(',', out);
        if (isfinite(v[i]))
          fprintf(out, "%.6g", v[i]);
        else if (json)
          fputs("null", out);
      }
      fputs(json ? "}\n" : "\n", out);
    }
    return;
  }
  fprintf(out,
          "framescore train: %zu texts (%zu positive, %zu negative); "
          "features: %zu lexicon categories (log1p of matches) + %zu stems "
          "(present in >= %ld texts); L2 lambda %g; voice %s\n",
          r->n, r->positives, r->n - r->positives, r->ncats, r->nstems,
          o->min_df, o->lambda,
          o->voice == FS_VOICES ? "all" : fs_voice_name(o->voice));
  if (o->word_prior > 0)
    fprintf(out,
            "stems marked by the annotators penalised less (word prior "
            "%g)\n",
            o->word_prior);
  if (r->ngroups)
    fprintf(out,
            "\n%ld-fold cross-validation by group (%zu groups, seed %lu); "
            "each fold is classified\nat the best-F1 threshold of "
            "cross-validated predictions on its own training folds\n",
            o->folds, r->ngroups, o->seed);
  else
    fprintf(out,
            "\n%ld-fold stratified cross-validation (seed %lu); each fold is "
            "classified at the\nbest-F1 threshold of cross-validated "
            "predictions on its own training folds\n",
            o->folds, o->seed);
  fprintf(out, "  %5s %6s %5s %9s %9s %7s %7s %8s\n", "fold", "texts", "pos",
          "threshold", "precision", "recall", "F1", "ROC AUC");
  for (long k = 0; k < o->folds; k++) {
    const fs_train_fold *f = &r->folds[k];
    fprintf(out, "  %5ld %6zu %5zu %9.3f %9.3f %7.3f %7.3f %8.3f\n", k + 1,
            f->n, f->positives, f->threshold, f->precision, f->recall, f->f1,
            f->roc_auc);
  }
  fprintf(out,
          "  pooled: precision %.3f, recall %.3f, F1 %.3f (fold mean %.3f, "
          "sd %.3f), accuracy %.3f\n"
          "          ROC AUC %.3f, PR AUC %.3f (out-of-fold probabilities)\n",
          r->precision, r->recall, r->f1, r->f1_mean, r->f1_sd, r->accuracy,
          r->roc_auc, r->pr_auc);
  fprintf(out,
          "\nfinal model: fitted on all %zu texts in %zu BFGS iterations "
          "(gradient norm %.2g); threshold %.3f\n(best F1 on the "
          "cross-validated predictions)\n",
          r->n, r->final_info.iterations, r->final_info.grad_norm,
          r->threshold);
  if (!r->all_converged)
    fputs("warning: some fits stopped before the gradient tolerance; the "
          "weights are the best found\n",
          out);
}
