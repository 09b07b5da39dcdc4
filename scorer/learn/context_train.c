/* SPDX-License-Identifier: GPL-3.0-or-later */
/* context_train.c - annotated documents -> one row per lexicon match that an
 * evaluation uses (its context features; label: annotators marked it) ->
 * an L2 logistic context model, K-fold cross-validated by article with
 * thresholds chosen on training folds only. */
#include "context_train.h"
#include "train.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CT_TOL_PER_ROW 1e-6
#define CT_MAX_ITER 5000

/* thresholds tried: 0 (keep every match) and 0.05, 0.075, ... 0.8 */
#define CT_GRID 32
static double grid(size_t i) { return i == 0 ? 0.0 : 0.025 * (double)(i + 1); }

typedef struct ct_rows {
  fs_lr_data x;
  size_t *doc;   /* [rows] the row's document */
  size_t *match; /* [rows] its match */
  size_t cap;
} ct_rows;

static void rows_free(ct_rows *r) {
  fs_lr_data_free(&r->x);
  free(r->doc), free(r->match);
}

/* One row per used match of every document. */
static int build_rows(const fs_annot *a, const fs_lexicon *lex, ct_rows *r) {
  fs_context_scratch s = {0};
  size_t nnz = 0, nnz_cap = 0, val_cap = 0, cap_y = 0, cap_m = 0, cap_row = 0;
  double x[FS_CF_ALL];
  fs_lr_data *X = &r->x;
  X->p = FS_CF_ALL + lex->ncats + lex->nfamilies;
  if (fs_grow(&X->row, &cap_row, 1, sizeof *X->row))
    return FS_ERR_NOMEM;
  X->row[0] = 0;
  for (size_t di = 0; di < a->n; di++) {
    const fs_annot_doc *ad = &a->docs[di];
    if (fs_context_scratch_fill(&s, lex, ad->d))
      goto nomem;
    for (size_t i = 0; i < ad->d->nmatches; i++) {
      const fs_match *mt = &ad->d->matches[i];
      if (!fs_annot_match_used(a, ad, i) || mt->category >= lex->ncats)
        continue;
      size_t n = X->n;
      if (fs_grow(&X->row, &cap_row, n + 2, sizeof *X->row) ||
          fs_grow(&X->y, &cap_y, n + 1, sizeof *X->y) ||
          fs_grow(&r->doc, &r->cap, n + 1, sizeof *r->doc) ||
          fs_grow(&r->match, &cap_m, n + 1, sizeof *r->match) ||
          fs_grow(&X->col, &nnz_cap, nnz + FS_CF_ALL + 2, sizeof *X->col) ||
          fs_grow(&X->val, &val_cap, nnz + FS_CF_ALL + 2, sizeof *X->val))
        goto nomem;
      fs_context_features_all(&s, lex, ad->d, i, x);
      for (size_t k = 0; k < FS_CF_ALL; k++)
        if (x[k] != 0)
          X->col[nnz] = (uint32_t)k, X->val[nnz++] = x[k];
      X->col[nnz] = (uint32_t)(FS_CF_ALL + mt->category), X->val[nnz++] = 1;
      X->col[nnz] =
          (uint32_t)(FS_CF_ALL + lex->ncats + lex->cats[mt->category].family);
      X->val[nnz++] = 1;
      bool gold = false;
      for (uint32_t k = mt->tok_start; k < mt->tok_end && !gold; k++)
        gold = fs_annot_token_gold(ad, k);
      X->y[n] = gold;
      r->doc[n] = di, r->match[n] = i;
      X->row[++X->n] = nnz;
    }
  }
  fs_context_scratch_free(&s);
  return FS_OK;
nomem:
  fs_context_scratch_free(&s);
  return FS_ERR_NOMEM;
}

/* Gives every document its match probabilities under w (1 for matches
 * without a row). */
static int set_probs(fs_annot *a, const ct_rows *r, const double *w) {
  for (size_t di = 0; di < a->n; di++) {
    fs_doc *d = a->docs[di].d;
    if (!d->ctx_prob &&
        !(d->ctx_prob = malloc((d->nmatches + 1) * sizeof *d->ctx_prob)))
      return FS_ERR_NOMEM;
    d->ctx_all = a->s.all;
    for (size_t i = 0; i < d->nmatches; i++)
      d->ctx_prob[i] = 1;
  }
  for (size_t i = 0; i < r->x.n; i++)
    a->docs[r->doc[i]].d->ctx_prob[r->match[i]] =
        (float)fs_lr_predict(&r->x, i, w);
  return FS_OK;
}

static int set_threshold(void *user, double t) {
  fs_annot *a = user;
  for (size_t di = 0; di < a->n; di++)
    a->docs[di].d->ctx_threshold = t;
  return FS_OK;
}

/* Each kind's threshold kt[] (-1: no documents of that kind) into the
 * result and its model, with the content-word setting of a. */
static void set_task_thresholds(const fs_annot *a,
                                const double kt[FS_ANNOT_KINDS],
                                fs_context_result *r) {
  for (int k = 0; k < FS_ANNOT_KINDS; k++) {
    r->task_threshold[k] = a->nkind[k] ? kt[k] : -1;
    fs_context_model_set_task_threshold(
        r->model,
        k == FS_ANNOT_SPANS ? FS_CONTEXT_TASK_SPANS : FS_CONTEXT_TASK_WORDS,
        r->task_threshold[k]);
  }
  fs_context_model_set_content_words(r->model, a->s.content);
}

/* The grid threshold with the best mean F1 on the documents chosen by
 * (which, fold), and each kind's best (its own F1; ties keep the lower
 * point) in kind[FS_ANNOT_KINDS]. */
static int best_threshold(fs_annot *a, int which, int fold, double *best,
                          double kind[FS_ANNOT_KINDS]) {
  double g[CT_GRID], kf1[FS_ANNOT_KINDS];
  for (size_t i = 0; i < CT_GRID; i++)
    g[i] = grid(i);
  for (int k = 0; k < FS_ANNOT_KINDS; k++)
    kf1[k] = -1, kind[k] = *best = 0;
  for (size_t i = 0; i < CT_GRID; i++) {
    fs_prf prf[FS_ANNOT_KINDS];
    if (set_threshold(a, g[i]) || fs_annot_score(a, which, fold, prf))
      return FS_ERR_NOMEM;
    for (int k = 0; k < FS_ANNOT_KINDS; k++)
      if (prf[k].f1 > kf1[k] + 1e-12)
        kf1[k] = prf[k].f1, kind[k] = g[i];
  }
  return fs_annot_best_threshold(a, which, fold, g, CT_GRID, set_threshold, a,
                                 best);
}

/* Fits design x (rows of documents doc[]) on the rows whose document's
 * fold is in `mask`, each row of a sentence (FS_ANNOT_WORDS) counted wrep
 * times: the fit takes a list of row indexes, so a row listed twice
 * weighs twice. */
static int fit_mask(const fs_annot *a, const fs_lr_data *x, const size_t *doc,
                    uint64_t mask, double lambda, long wrep, double *w,
                    bool *converged) {
  size_t rep = wrep > 1 ? (size_t)wrep : 1;
  size_t *rows = malloc((x->n * rep + 1) * sizeof *rows), nr = 0;
  if (!rows)
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < x->n; i++) {
    const fs_annot_doc *ad = &a->docs[doc[i]];
    if (!(mask >> ad->fold & 1))
      continue;
    for (size_t k = 0; k < (ad->kind == FS_ANNOT_WORDS ? rep : 1); k++)
      rows[nr++] = i;
  }
  fs_lr_info info;
  memset(w, 0, (x->p + 1) * sizeof *w);
  int rc = fs_lr_fit(x, rows, nr, lambda, CT_TOL_PER_ROW * (double)nr,
                     CT_MAX_ITER, w, &info);
  *converged &= info.converged;
  free(rows);
  return rc;
}

/* The folds but `fold` (every fold when fold < 0). */
static uint64_t all_but(long folds, int fold) {
  uint64_t m = folds >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << folds) - 1;
  return fold < 0 ? m : m & ~((uint64_t)1 << fold);
}

/* Fits on the rows of documents outside `fold` (all rows when fold < 0). */
static int fit(const fs_annot *a, const ct_rows *r, int fold, double lambda,
               long wrep, double *w, bool *converged) {
  if (wrep <= 1)
    return fs_annot_fit(a, &r->x, r->doc, fold, lambda, CT_TOL_PER_ROW,
                        CT_MAX_ITER, w, converged);
  return fit_mask(a, &r->x, r->doc, all_but(FS_CONTEXT_MAX_FOLDS, fold), lambda,
                  wrep, w, converged);
}

/* ---- the sentence stage --------------------------------------------------
 * Stacked: the second logistic pass is fitted on first-stage probabilities
 * that are out of fold for the rows it is fitted on. Inside outer fold k,
 * each other fold j gets its first-stage probabilities from a model fitted
 * on the folds but j and k, the second stage is fitted on those rows and
 * fold k's threshold is chosen on them; fold k itself is then scored with
 * the first-stage model of the folds but k followed by that second stage.
 * The final second stage is fitted on the K-fold out-of-fold first-stage
 * probabilities of every row, and the final thresholds on its output
 * there. */

#define CT_SECOND_LAMBDA 1.0

/* First-stage probabilities of every match of the documents whose fold is
 * in mask, under weights w (cm is the work model, fs_context_model_new(lex)).
 */
static int stage1(fs_annot *a, const fs_lexicon *lex, fs_context_model *cm,
                  const double *w, uint64_t mask) {
  if (fs_context_model_set(cm, lex, w, 0.5, a->s.all))
    return FS_ERR_NOMEM;
  fs_context_model_set_second(cm, NULL);
  for (size_t di = 0; di < a->n; di++)
    if (mask >> a->docs[di].fold & 1 &&
        fs_context_apply(cm, lex, a->docs[di].d, false))
      return FS_ERR_NOMEM;
  return FS_OK;
}

/* The second stage's rows: the features of every row's match from its
 * document's present probabilities, with cm's peers (zeros for a document
 * without probabilities yet, which is not fitted). */
static int second_rows(const fs_annot *a, const fs_context_model *cm,
                       const ct_rows *r, fs_lr_data *x2) {
  size_t di = SIZE_MAX, cap = 0;
  double *xd = NULL;
  for (size_t i = 0; i < r->x.n; i++) {
    const fs_doc *d = a->docs[r->doc[i]].d;
    x2->row[i] = i * FS_C2_N;
    if (d->ctx_prob && r->doc[i] != di) {
      di = r->doc[i];
      if (fs_grow(&xd, &cap, d->nmatches * FS_C2_N + 1, sizeof *xd) ||
          fs_context_second_features(cm, d, -1, xd)) {
        free(xd);
        return FS_ERR_NOMEM;
      }
    }
    for (size_t k = 0; k < FS_C2_N; k++) {
      x2->col[i * FS_C2_N + k] = (uint32_t)k;
      x2->val[i * FS_C2_N + k] =
          d->ctx_prob ? xd[r->match[i] * FS_C2_N + k] : 0;
    }
  }
  x2->row[r->x.n] = r->x.n * FS_C2_N;
  free(xd);
  return FS_OK;
}

/* Applies cm's second stage (weights v) to the documents whose fold is in
 * mask. */
static int stage2(fs_annot *a, fs_context_model *cm, const double *v,
                  uint64_t mask) {
  fs_context_model_set_second(cm, v);
  for (size_t di = 0; di < a->n; di++)
    if (mask >> a->docs[di].fold & 1 &&
        fs_context_second_apply(cm, a->docs[di].d, -1))
      return FS_ERR_NOMEM;
  return FS_OK;
}

static int train_second(fs_annot *a, const fs_lexicon *lex, const ct_rows *rows,
                        double lambda, long wrep, long folds,
                        fs_context_result *r) {
  int rc = FS_ERR_NOMEM;
  size_t nd = a->n, nr = rows->x.n;
  fs_lr_data x2 = {0};
  x2.n = nr, x2.p = FS_C2_N, x2.y = rows->x.y;
  x2.row = malloc((nr + 1) * sizeof *x2.row);
  x2.col = malloc((nr * FS_C2_N + 1) * sizeof *x2.col);
  x2.val = malloc((nr * FS_C2_N + 1) * sizeof *x2.val);
  double *w = malloc((rows->x.p + 1) * sizeof *w), v[FS_C2_N + 1];
  double kt[FS_ANNOT_KINDS];
  double *row_oof = malloc((nr + 1) * sizeof *row_oof);
  float **s1 = calloc(nd + 1, sizeof *s1), **oof = calloc(nd + 1, sizeof *oof);
  double *oof_t = calloc(nd + 1, sizeof *oof_t);
  fs_context_model *outer = fs_context_model_new(lex),
                   *inner = fs_context_model_new(lex);
  if (!x2.row || !x2.col || !x2.val || !w || !row_oof || !s1 || !oof ||
      !oof_t || !outer || !inner)
    goto done;
  for (int k = 0; k < (int)folds; k++) {
    uint64_t train = all_but(folds, k), held = (uint64_t)1 << k;
    double t = 0;
    for (int j = 0; j < (int)folds; j++)
      if (j != k &&
          (fit_mask(a, &rows->x, rows->doc, train & ~((uint64_t)1 << j), lambda,
                    wrep, w, &r->all_converged) ||
           stage1(a, lex, inner, w, (uint64_t)1 << j)))
        goto done;
    if (fit_mask(a, &rows->x, rows->doc, train, lambda, wrep, w,
                 &r->all_converged) ||
        fs_context_model_set(outer, lex, w, 0.5, a->s.all) ||
        second_rows(a, outer, rows, &x2) ||
        fit_mask(a, &x2, rows->doc, train, CT_SECOND_LAMBDA, wrep, v,
                 &r->all_converged) ||
        stage2(a, outer, v, train) ||
        best_threshold(a, FS_ANNOT_OUT_OF_FOLD, k, &t, kt) ||
        stage1(a, lex, outer, w, held))
      goto done;
    if (k < FS_CONTEXT_MAX_FOLDS)
      r->fold_threshold[k] = t;
    for (size_t di = 0; di < nd; di++) {
      fs_doc *d = a->docs[di].d;
      if (a->docs[di].fold != k)
        continue;
      if (!(s1[di] = malloc((d->nmatches + 1) * sizeof **s1)) ||
          !(oof[di] = malloc((d->nmatches + 1) * sizeof **oof)))
        goto done;
      memcpy(s1[di], d->ctx_prob, d->nmatches * sizeof **s1);
      oof_t[di] = kt[a->docs[di].kind];
    }
    if (stage2(a, outer, v, held))
      goto done;
    for (size_t di = 0; di < nd; di++)
      if (a->docs[di].fold == k)
        memcpy(oof[di], a->docs[di].d->ctx_prob,
               a->docs[di].d->nmatches * sizeof **oof);
  }
  for (size_t di = 0; di < nd; di++) {
    fs_doc *d = a->docs[di].d;
    memcpy(d->ctx_prob, oof[di], d->nmatches * sizeof **oof);
    d->ctx_threshold = oof_t[di];
  }
  for (size_t i = 0; i < nr; i++)
    row_oof[i] = a->docs[rows->doc[i]].d->ctx_prob[rows->match[i]];
  if (fs_annot_score(a, FS_ANNOT_ALL, 0, r->cv))
    goto done;
  r->roc_auc = fs_eval_roc_auc(row_oof, rows->x.y, nr);
  /* the final model: the first stage on every row, the second on the
   * out-of-fold first-stage probabilities, thresholds on its output */
  for (size_t di = 0; di < nd; di++)
    memcpy(a->docs[di].d->ctx_prob, s1[di],
           a->docs[di].d->nmatches * sizeof **s1);
  uint64_t every = all_but(folds, -1);
  if (fit_mask(a, &rows->x, rows->doc, every, lambda, wrep, w,
               &r->all_converged) ||
      !(r->model = fs_context_model_new(lex)) ||
      fs_context_model_set(r->model, lex, w, 0.5, a->s.all) ||
      second_rows(a, r->model, rows, &x2) ||
      fit_mask(a, &x2, rows->doc, every, CT_SECOND_LAMBDA, wrep, v,
               &r->all_converged) ||
      stage2(a, r->model, v, every) ||
      best_threshold(a, FS_ANNOT_ALL, 0, &r->threshold, kt) ||
      fs_context_model_set(r->model, lex, w, r->threshold, a->s.all))
    goto done;
  fs_context_model_set_second(r->model, v);
  set_task_thresholds(a, kt, r);
  rc = FS_OK;
done:
  for (size_t di = 0; di < nd; di++) {
    if (s1)
      free(s1[di]);
    if (oof)
      free(oof[di]);
  }
  free(s1), free(oof), free(oof_t), free(w), free(row_oof);
  free(x2.row), free(x2.col), free(x2.val);
  fs_context_model_free(outer), fs_context_model_free(inner);
  return rc;
}

void fs_context_result_free(fs_context_result *r) {
  fs_context_model_free(r->model);
  memset(r, 0, sizeof *r);
}

int fs_context_train(fs_annot *a, const fs_lexicon *lex, double lambda,
                     long words_weight, long folds, unsigned long seed,
                     bool second, fs_context_result *r, fs_error *err) {
  ct_rows rows = {0};
  double *w = NULL;
  float **oof = NULL;
  double *oof_t = NULL, *row_oof = NULL, kt[FS_ANNOT_KINDS];
  memset(r, 0, sizeof *r);
  r->all_converged = true;
  r->folds = folds;
  int rc = fs_annot_folds(a, folds, seed);
  if (rc == FS_ERR_INPUT) {
    fs_error_set(err, rc, NULL, 0, 0, "%zu articles are too few for %ld folds",
                 a->groups.count, folds);
    return rc;
  }
  if (rc || (rc = build_rows(a, lex, &rows)))
    goto nomem;
  r->rows = rows.x.n;
  for (size_t i = 0; i < rows.x.n; i++)
    r->positives += rows.x.y[i] > 0;
  for (int k = 0; k < FS_ANNOT_KINDS; k++)
    r->docs[k] = a->nkind[k];
  /* the lexicons alone, as eval without a context model scores them:
   * every word of a match */
  bool content = a->s.content;
  a->s.content = false;
  rc = fs_annot_score(a, FS_ANNOT_ALL, 0, r->base);
  a->s.content = content;
  if (rc)
    goto nomem;
  w = malloc((rows.x.p + 1) * sizeof *w);
  oof = calloc(a->n + 1, sizeof *oof);
  oof_t = calloc(a->n + 1, sizeof *oof_t);
  row_oof = malloc((rows.x.n + 1) * sizeof *row_oof);
  if (!w || !oof || !oof_t || !row_oof)
    goto nomem;
  if (second) {
    if (train_second(a, lex, &rows, lambda, words_weight, folds, r))
      goto nomem;
    rc = FS_OK;
    goto done;
  }
  for (int k = 0; k < (int)folds; k++) {
    double t = 0;
    if (fit(a, &rows, k, lambda, words_weight, w, &r->all_converged) ||
        set_probs(a, &rows, w) ||
        best_threshold(a, FS_ANNOT_OUT_OF_FOLD, k, &t, kt))
      goto nomem;
    if (k < FS_CONTEXT_MAX_FOLDS)
      r->fold_threshold[k] = t;
    for (size_t i = 0; i < rows.x.n; i++)
      if (a->docs[rows.doc[i]].fold == k)
        row_oof[i] = fs_lr_predict(&rows.x, i, w);
    for (size_t di = 0; di < a->n; di++) {
      fs_doc *d = a->docs[di].d;
      if (a->docs[di].fold != k)
        continue;
      if (!(oof[di] = malloc((d->nmatches + 1) * sizeof **oof)))
        goto nomem;
      memcpy(oof[di], d->ctx_prob, d->nmatches * sizeof **oof);
      /* the threshold of its task, as eval applies the model */
      oof_t[di] = kt[a->docs[di].kind];
    }
  }
  for (size_t di = 0; di < a->n; di++) {
    fs_doc *d = a->docs[di].d;
    memcpy(d->ctx_prob, oof[di], d->nmatches * sizeof **oof);
    d->ctx_threshold = oof_t[di];
  }
  if (fs_annot_score(a, FS_ANNOT_ALL, 0, r->cv))
    goto nomem;
  r->roc_auc = fs_eval_roc_auc(row_oof, rows.x.y, rows.x.n);
  /* the final model: every row, threshold on every document */
  if (fit(a, &rows, -1, lambda, words_weight, w, &r->all_converged) ||
      set_probs(a, &rows, w) ||
      best_threshold(a, FS_ANNOT_ALL, 0, &r->threshold, kt) ||
      !(r->model = fs_context_model_new(lex)))
    goto nomem;
  if (fs_context_model_set(r->model, lex, w, r->threshold, a->s.all))
    goto nomem;
  set_task_thresholds(a, kt, r);
  rc = FS_OK;
  goto done;
nomem:
  rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
done:
  for (size_t di = 0; oof && di < a->n; di++)
    free(oof[di]);
  for (size_t di = 0; di < a->n; di++) {
    free(a->docs[di].d->ctx_prob);
    a->docs[di].d->ctx_prob = NULL;
    a->docs[di].d->ctx_all = false;
  }
  free(oof), free(oof_t), free(w), free(row_oof);
  rows_free(&rows);
  if (rc)
    fs_context_result_free(r);
  return rc;
}
