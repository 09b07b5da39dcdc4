/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_train.c - logistic regression against SciPy (tests/ref/model_refs.py),
 * fold assignment, and training from texts: the written model scores texts
 * exactly as the trainer's own fit. */
#include "eval.h"
#include "harness.h"
#include "model.h"
#include "train.h"

#include <gsl/gsl_errno.h>
#include <stdlib.h>

/* The data set of model_refs.py. */
static void tiny(fs_lr_data *x) {
  size_t n = 24, p = 3;
  x->n = n, x->p = p;
  x->row = malloc((n + 1) * sizeof *x->row);
  x->col = malloc(n * p * sizeof *x->col);
  x->val = malloc(n * p * sizeof *x->val);
  x->y = malloc(n * sizeof *x->y);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    double v[3] = {(double)(i * 7 % 11) / 5, (double)(i * 3 % 7) / 3,
                   i % 4 == 0 ? 1.0 : 0.0};
    x->row[i] = k;
    for (uint32_t j = 0; j < p; j++)
      if (v[j] != 0) { /* sparse: zeros are not stored */
        x->col[k] = j;
        x->val[k++] = v[j];
      }
    x->y[i] = ((i * 5 % 13) < 6 || v[0] > 1.4) ? 1.0 : 0.0;
  }
  x->row[n] = k;
}

static void test_lr_reference(void) {
  fs_lr_data x = {0};
  tiny(&x);
  double w[4];
  fs_lr_info info;
  INT_EQ(fs_lr_fit(&x, NULL, 0, 0.7, 1e-9, 10000, w, &info), FS_OK);
  /* BFGS2 compares function values in its line search, so the gradient
   * stalls near sqrt(machine epsilon) * |f|: ask for less than that and
   * check what it reached */
  OK(info.grad_norm < 1e-6, "gradient norm %g", info.grad_norm);
  NEAR(w[0], 0.19887188594857388, 1e-7);
  NEAR(w[1], 0.27185986158311209, 1e-7);
  NEAR(w[2], -0.20477924227865785, 1e-7);
  NEAR(w[3], 0.32949377481381897, 1e-7);
  NEAR(info.loss, 16.049158305688319, 1e-12);
  /* a subset of rows: the fit of rows 0..11 differs from the full fit */
  size_t rows[12];
  for (size_t i = 0; i < 12; i++)
    rows[i] = i;
  double w2[4];
  INT_EQ(fs_lr_fit(&x, rows, 12, 0.7, 1e-9, 10000, w2, &info), FS_OK);
  OK(fabs(w2[1] - w[1]) > 1e-3, "subset fit %g vs %g", w2[1], w[1]);
  /* predictions are the logistic of the linear predictor */
  double z = w[0] + w[1] * 0 + w[2] * 0 + w[3] * 1; /* row 0 */
  NEAR(fs_lr_predict(&x, 0, w), 1 / (1 + exp(-z)), 1e-12);
  fs_lr_data_free(&x);
}

static void test_folds(void) {
  double y[23];
  for (int i = 0; i < 23; i++)
    y[i] = i % 3 == 0;
  int f1[23], f2[23], f3[23];
  INT_EQ(fs_eval_folds(y, 23, 5, 7, f1), FS_OK);
  INT_EQ(fs_eval_folds(y, 23, 5, 7, f2), FS_OK);
  INT_EQ(fs_eval_folds(y, 23, 5, 8, f3), FS_OK);
  int same = 1, differ = 0, pos[5] = {0}, all[5] = {0};
  for (int i = 0; i < 23; i++) {
    same &= f1[i] == f2[i];
    differ |= f1[i] != f3[i];
    OK(f1[i] >= 0 && f1[i] < 5, "fold %d", f1[i]);
    all[f1[i]]++;
    pos[f1[i]] += y[i] > 0;
  }
  OK(same, "same seed, same folds");
  OK(differ, "another seed, other folds");
  for (int k = 0; k < 5; k++) {
    OK(pos[k] >= 1 && pos[k] <= 2, "fold %d has %d positives", k, pos[k]);
    OK(all[k] >= 4 && all[k] <= 5, "fold %d has %d texts", k, all[k]);
  }
}

/* Training on invented sentences: biased ones use the lexicon's loaded word
 * and the stem "sneer"; the written model must score as the trainer. */
static void test_trainer(void) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  const char *tsv =
      "nonsense\tloaded.dismissive\t1\nsaid\tattribution.neutral\t0\n";
  INT_EQ(fs_lexicon_load_buffer(lex, "t.tsv", tsv, strlen(tsv), &err), FS_OK);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  fs_train_opts o = {1.0,     3,     1, 2, FS_VOICES, FS_UNIT_SENTENCE,
                     "slant", "test",  false, false, NULL};
  fs_trainer *tr = fs_trainer_new(ctx, &o);
  OK(tr != NULL, "trainer");
  const char *pos[] = {"The minister sneered at this nonsense.",
                       "Such nonsense, the sneering critics said.",
                       "Pure nonsense from the council.",
                       "They sneered at the report.",
                       "The nonsense continued all week.",
                       "A sneering reply to the nonsense.",
                       "The council said it was nonsense.",
                       "Critics sneered again."};
  const char *neg[] = {"The council met on Monday.",
                       "The report was published in May.",
                       "The minister said the budget grew.",
                       "Rain is expected on Friday.",
                       "The council said the road will open.",
                       "A report on the budget.",
                       "The minister met the council.",
                       "Prices rose in May."};
  const char *texts[16];
  int labels[16];
  for (int i = 0; i < 8; i++) {
    texts[2 * i] = pos[i], labels[2 * i] = 1;
    texts[2 * i + 1] = neg[i], labels[2 * i + 1] = 0;
  }
  for (int i = 0; i < 16; i++) {
    fs_doc *d = fs_doc_analyze(ctx, texts[i], strlen(texts[i]), &err);
    INT_EQ(fs_trainer_add(tr, d, labels[i]), FS_OK);
    fs_doc_free(d);
  }
  fs_train_result r;
  INT_EQ(fs_trainer_run(tr, &r, &err), FS_OK);
  INT_EQ(r.n, 16);
  INT_EQ(r.positives, 8);
  OK(r.model != NULL, "a model");
  OK(r.roc_auc > 0.8, "separable data: ROC AUC %g", r.roc_auc);
  OK(r.ncats == fs_lexicon_category_count(lex), "categories %zu", r.ncats);
  OK(r.nstems > 5, "stems %zu", r.nstems);
  const fs_dimension *dm = &r.model->dims[0];
  STR_EQ(dm->name, "slant");
  INT_EQ(dm->kind, FS_DIM_LOGISTIC);
  OK(dm->threshold > 0 && dm->threshold < 1, "threshold %g", dm->threshold);
  /* the loaded category and the stem "sneer" carry positive weight */
  long cat = -1, stem = -1;
  for (size_t f = 0; f < dm->nfeatures; f++) {
    if (!strcmp(dm->features[f].name, "loaded.dismissive"))
      cat = (long)f;
    if (!strcmp(dm->features[f].name, "stem:sneer"))
      stem = (long)f;
  }
  OK(cat >= 0 && dm->features[cat].weight > 0, "loaded.dismissive weight");
  OK(stem >= 0 && dm->features[stem].weight > 0, "stem:sneer weight");
  /* write, parse, bind: the same probabilities */
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  INT_EQ(fs_model_write(f, r.model, "a comment\non two lines"), FS_OK);
  fclose(f);
  fs_model *m2 = fs_model_parse("slant.model", buf, len, &err);
  OK(m2 != NULL, "%s", err.msg);
  INT_EQ(fs_model_bind(m2, lex, &err), FS_OK);
  for (int i = 0; i < 16; i++) {
    fs_doc *d = fs_doc_analyze(ctx, texts[i], strlen(texts[i]), &err);
    double a = fs_model_item_score(r.model, 0, ctx, d);
    double b = fs_model_item_score(m2, 0, ctx, d);
    NEAR(b, a, 1e-12);
    OK(a > 0 && a < 1, "probability %g", a);
    fs_doc_free(d);
  }
  free(buf);
  fs_model_free(m2);
  fs_train_result_free(&r);
  fs_trainer_free(tr);
  /* too few texts of one class for the folds */
  fs_trainer *t2 = fs_trainer_new(ctx, &o);
  for (int i = 0; i < 5; i++) {
    fs_doc *d = fs_doc_analyze(ctx, pos[i], strlen(pos[i]), &err);
    fs_trainer_add(t2, d, i == 0);
    fs_doc_free(d);
  }
  INT_EQ(fs_trainer_run(t2, &r, &err), FS_ERR_INPUT);
  OK(strstr(err.msg, "at least 3") != NULL, "%s", err.msg);
  fs_train_result_free(&r);
  fs_trainer_free(t2);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

int main(void) {
  gsl_set_error_handler_off();
  test_lr_reference();
  test_folds();
  test_trainer();
  DONE();
}
