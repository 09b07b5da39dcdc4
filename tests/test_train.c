/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_train.c - logistic regression against SciPy (tests/ref/model_refs.py),
 * fold assignment, and training from texts: the written model scores texts
 * exactly as the trainer's own fit; the tagger: features are nested (a
 * fold's texts are tagged by a tagger that never saw their marked words). */
#include "annotated.h"
#include "context.h"
#include "eval.h"
#include "harness.h"
#include "model.h"
#include "train.h"
#include "word_vectors.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Per-column penalties (train --nb): the fit reaches the optimum of the
 * penalised likelihood, where every coordinate of its gradient,
 * sum_i (p_i - y_i) x_ij + lambda pen_j w_j, is zero (computed here from
 * the definition, not by the fitter's code). */
static void test_lr_penalties(void) {
  enum { N = 12, P = 3 };
  static const double xv[N][P] = {
      {1, 0, 0.5}, {0, 1, 1.5}, {1, 1, 0},   {0, 0, 2},
      {1, 0, 1},   {0, 1, 0.2}, {1, 1, 1.1}, {0, 0, 0.7},
      {1, 0, 0.3}, {0, 1, 2.2}, {1, 1, 0.9}, {0, 0, 1.4}};
  static const double yv[N] = {1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0};
  double pen[P] = {1000, 0.01, 3}, lambda = 2.0;
  fs_lr_data x = {0};
  x.n = N, x.p = P;
  x.row = malloc((N + 1) * sizeof *x.row);
  x.col = malloc(N * P * sizeof *x.col);
  x.val = malloc(N * P * sizeof *x.val);
  x.y = malloc(N * sizeof *x.y);
  size_t k = 0;
  for (size_t i = 0; i < N; i++) {
    x.row[i] = k;
    for (uint32_t j = 0; j < P; j++)
      if (xv[i][j] != 0)
        x.col[k] = j, x.val[k++] = xv[i][j];
    x.y[i] = yv[i];
  }
  x.row[N] = k;
  x.pen = pen;
  double w[P + 1];
  fs_lr_info info;
  INT_EQ(fs_lr_fit(&x, NULL, 0, lambda, 1e-6, 10000, w, &info), FS_OK);
  OK(info.converged, "converged (gradient norm %g)", info.grad_norm);
  OK(info.iterations < 200, "%zu iterations", info.iterations);
  double g[P + 1] = {0};
  for (size_t i = 0; i < N; i++) {
    double z = w[0];
    for (size_t j = 0; j < P; j++)
      z += w[1 + j] * xv[i][j];
    double e = 1 / (1 + exp(-z)) - yv[i];
    g[0] += e;
    for (size_t j = 0; j < P; j++)
      g[1 + j] += e * xv[i][j];
  }
  for (size_t j = 0; j < P; j++)
    g[1 + j] += lambda * pen[j] * w[1 + j];
  for (size_t j = 0; j <= P; j++)
    OK(fabs(g[j]) < 1e-5, "gradient %zu: %g", j, g[j]);
  /* the first column tells the class (5 of 6 rows with it are positive):
   * penalised 1000 times, its weight is a fraction of its plain fit's */
  double w1[P + 1];
  x.pen = NULL;
  INT_EQ(fs_lr_fit(&x, NULL, 0, lambda, 1e-7, 10000, w1, &info), FS_OK);
  OK(fabs(w1[1]) > 0.5 && fabs(w[1]) < 0.1 * fabs(w1[1]),
     "penalised 1000x: %g, plain: %g", w[1], w1[1]);
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
/* Writes the trained model m (with the comment, or NULL) and reads it back
 * as `name`, bound to lex: the written text holds needle (unless NULL), and
 * both models score the n texts alike; m's scores into p[n]. */
static void round_trip(const fs_model *m, const char *comment, const char *name,
                       const char *needle, fs_lexicon *lex, fs_ctx *ctx,
                       const char *const *t, int n, double *p) {
  fs_error err = {0};
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  INT_EQ(fs_model_write(f, m, comment), FS_OK);
  fclose(f);
  if (needle)
    OK(strstr(buf, needle) != NULL, "written: %s", buf);
  fs_model *m2 = fs_model_parse(name, buf, len, &err);
  OK(m2 != NULL, "%s", err.msg);
  INT_EQ(fs_model_bind(m2, lex, &err), FS_OK);
  for (int k = 0; k < n; k++) {
    fs_doc *d = fs_doc_analyze(ctx, t[k], strlen(t[k]), &err);
    p[k] = fs_model_item_score(m, 0, ctx, d);
    NEAR(fs_model_item_score(m2, 0, ctx, d), p[k], 1e-12);
    fs_doc_free(d);
  }
  free(buf);
  fs_model_free(m2);
}

static void test_trainer(void) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  const char *tsv =
      "nonsense\tloaded.dismissive\t1\nsaid\tattribution.neutral\t0\n";
  INT_EQ(fs_lexicon_load_buffer(lex, "t.tsv", tsv, strlen(tsv), &err), FS_OK);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  fs_train_opts o = {1.0,     3,      1,     2,     FS_VOICES, FS_UNIT_SENTENCE,
                     "slant", "test", false, false, NULL,      0,
                     0,       0,      false, false, NULL, NULL, false, 0, 0, 0, 0, 0, NULL, 0, 0, 0, 0, false, 0};
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
  double p[16];
  round_trip(r.model, "a comment\non two lines", "slant.model", NULL, lex, ctx,
             texts, 16, p);
  for (int i = 0; i < 16; i++)
    OK(p[i] > 0 && p[i] < 1, "probability %g", p[i]);
  fs_train_result_free(&r);
  fs_trainer_free(tr);
  /* context aggregates under a context model of probability 1/2 for every
   * match: by default over the framing matches ("said", weight 0, left
   * out), which the written model says; with ctx_all over every scoring
   * match. Both score as the trainer after a round trip, and differ. */
  const char *cmt = "framescore-context 1\nintercept\t0\nthreshold\t0.3\n";
  fs_context_model *cm =
      fs_context_model_parse("c.model", cmt, strlen(cmt), lex, &err);
  OK(cm != NULL, "%s", err.msg);
  double pc[2][16];
  for (int all = 0; all < 2; all++) {
    fs_train_opts oc = o;
    oc.cm = cm;
    oc.ctx_all = all;
    fs_trainer *tc = fs_trainer_new(ctx, &oc);
    for (int i = 0; i < 16; i++) {
      fs_doc *d = fs_doc_analyze(ctx, texts[i], strlen(texts[i]), &err);
      INT_EQ(fs_trainer_add(tc, d, labels[i]), FS_OK);
      fs_doc_free(d);
    }
    INT_EQ(fs_trainer_run(tc, &r, &err), FS_OK);
    INT_EQ(r.model->dims[0].ctx_framing, !all);
    round_trip(r.model, NULL, "c.model",
               all ? "  context   " : "  context_matches framing\n", lex, ctx,
               texts, 16, pc[all]);
    fs_train_result_free(&r);
    fs_trainer_free(tc);
  }
  /* "The minister said the budget grew.": a match only with "said" */
  OK(fabs(pc[0][5] - pc[1][5]) > 1e-6, "framing %g, all %g", pc[0][5],
     pc[1][5]);
  fs_context_model_free(cm);
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

/* Cross-validation by group: sentences that repeat inside a group (an
 * article's copies) must not be in training when their group is tested.
 * Each of 16 invented texts has a word of its own and is given three times
 * under one group: folds by text see a copy of the test text in training
 * and look perfect; folds by group see none and have nothing to go on. */
static void test_groups(void) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  static const char *const words[16] = {
      "zorbic", "quandle", "flimmer", "glorp",  "snarfle", "wibbet",
      "trondle", "plimsk", "vaxter",  "mumble", "grivet",  "sploon",
      "narbo",  "frindle", "koplet",  "dwimmer"};
  double auc[2];
  for (int grouped = 0; grouped < 2; grouped++) {
    fs_train_opts o = {1.0,    4,    1,     1,     FS_VOICES, FS_UNIT_SENTENCE,
                       "bias", NULL, false, false, NULL,      0,
                       0,      0,    false, false, NULL, NULL, false, 0, 0, 0, 0, 0, NULL, 0, 0, 0, 0, false, 0};
    fs_trainer *tr = fs_trainer_new(ctx, &o);
    for (int i = 0; i < 16; i++)
      for (int c = 0; c < 3; c++) {
        char text[64], group[8];
        snprintf(text, sizeof text, "The %s was seen.", words[i]);
        snprintf(group, sizeof group, "g%d", i);
        fs_doc *d = fs_doc_analyze(ctx, text, strlen(text), &err);
        INT_EQ(fs_trainer_add_row(tr, d, i % 2, grouped ? group : NULL,
                                  grouped ? strlen(group) : 0, NULL, 0),
               FS_OK);
        fs_doc_free(d);
      }
    fs_train_result r;
    INT_EQ(fs_trainer_run(tr, &r, &err), FS_OK);
    INT_EQ(r.ngroups, grouped ? 16 : 0);
    for (long k = 0; grouped && k < 4; k++) {
      OK(r.folds[k].n % 3 == 0, "fold %ld: %zu texts, whole groups", k,
         r.folds[k].n);
      OK(r.folds[k].positives > 0 && r.folds[k].positives < r.folds[k].n,
         "fold %ld has both classes", k);
    }
    auc[grouped] = r.roc_auc;
    fs_train_result_free(&r);
    fs_trainer_free(tr);
  }
  OK(auc[0] > 0.95, "folds by text: the copies leak (ROC AUC %g)", auc[0]);
  OK(auc[1] < 0.7, "folds by group: no leak (ROC AUC %g)", auc[1]);
  /* fewer groups than folds: an error that says so */
  fs_train_opts o = {1.0,    4,    1,     1,     FS_VOICES, FS_UNIT_SENTENCE,
                     "bias", NULL, false, false, NULL,      0,
                     0,      0,    false, false, NULL, NULL, false, 0, 0, 0, 0, 0, NULL, 0, 0, 0, 0, false, 0};
  fs_trainer *tr = fs_trainer_new(ctx, &o);
  for (int i = 0; i < 16; i++) {
    char text[64];
    snprintf(text, sizeof text, "The %s was seen.", words[i]);
    fs_doc *d = fs_doc_analyze(ctx, text, strlen(text), &err);
    INT_EQ(fs_trainer_add_row(tr, d, i % 2, i < 8 ? "a" : "b", 1, NULL, 0),
           FS_OK);
    fs_doc_free(d);
  }
  fs_train_result r;
  INT_EQ(fs_trainer_run(tr, &r, &err), FS_ERR_INPUT);
  OK(strstr(err.msg, "by group") != NULL, "%s", err.msg);
  fs_train_result_free(&r);
  fs_trainer_free(tr);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

/* --word-prior: a stem the annotators marked is penalised less, so its
 * weight grows; an unmarked stem of the same counts keeps its weight. */
static void test_word_prior(void) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  static const char *const pos[] = {
      "The gloomy mayor spoke of ruin.", "A gloomy vote on ruin.",
      "Ruin and a gloomy budget.",       "The gloomy council feared ruin.",
      "Gloomy talk of ruin again.",      "A gloomy ruin of a plan."};
  static const char *const neg[] = {
      "The mayor spoke on Monday.", "A vote on the budget.",
      "The budget passed.",         "The council met.",
      "Talk of roads again.",       "A plan for parks."};
  static const char *const marked[] = {"gloomy"};
  double wg[2], wr[2];
  for (int prior = 0; prior < 2; prior++) {
    fs_train_opts o = {4.0,    3,    1,     2,     FS_VOICES, FS_UNIT_SENTENCE,
                       "bias", NULL, false, false, NULL,      prior ? 10.0 : 0,
                       0,      0,    false, false, NULL, NULL, false, 0, 0, 0, 0, 0, NULL, 0, 0, 0, 0, false, 0};
    fs_trainer *tr = fs_trainer_new(ctx, &o);
    for (int i = 0; i < 6; i++) {
      fs_doc *d = fs_doc_analyze(ctx, pos[i], strlen(pos[i]), &err);
      INT_EQ(fs_trainer_add_row(tr, d, 1, NULL, 0, marked, 1), FS_OK);
      fs_doc_free(d);
      d = fs_doc_analyze(ctx, neg[i], strlen(neg[i]), &err);
      INT_EQ(fs_trainer_add_row(tr, d, 0, NULL, 0, NULL, 0), FS_OK);
      fs_doc_free(d);
    }
    fs_train_result r;
    INT_EQ(fs_trainer_run(tr, &r, &err), FS_OK);
    const fs_dimension *dm = &r.model->dims[0];
    wg[prior] = wr[prior] = NAN;
    for (size_t f = 0; f < dm->nfeatures; f++) {
      if (!strcmp(dm->features[f].name, "stem:gloomi"))
        wg[prior] = dm->features[f].weight;
      if (!strcmp(dm->features[f].name, "stem:ruin"))
        wr[prior] = dm->features[f].weight;
    }
    fs_train_result_free(&r);
    fs_trainer_free(tr);
  }
  OK(wg[0] > 0 && wr[0] > 0, "both stems tell: %g %g", wg[0], wr[0]);
  NEAR(wg[0], wr[0], 1e-6); /* the same counts, the same weight */
  OK(wg[1] > 1.5 * wg[0], "marked stem: %g -> %g", wg[0], wg[1]);
  OK(wg[1] > wr[1], "marked %g beats unmarked %g", wg[1], wr[1]);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

/* The affix keys: a control byte and the first or last n characters
 * (code points, not bytes) of a word longer than n. */
static void test_affix_key(void) {
  char buf[64];
  INT_EQ((long)fs_model_affix_key("reporting", 9, 3, false, buf, sizeof buf),
         4);
  STR_EQ(buf, "\x02rep");
  INT_EQ((long)fs_model_affix_key("reporting", 9, 5, true, buf, sizeof buf), 6);
  STR_EQ(buf, "\x03rting");
  /* "naïveté": 7 characters, 9 bytes */
  const char *nv = "na\xc3\xafvet\xc3\xa9";
  INT_EQ((long)fs_model_affix_key(nv, 9, 3, false, buf, sizeof buf), 5);
  STR_EQ(buf, "\x02na\xc3\xaf");
  INT_EQ((long)fs_model_affix_key(nv, 9, 3, true, buf, sizeof buf), 5);
  STR_EQ(buf, "\x03"
              "et\xc3\xa9");
  INT_EQ((long)fs_model_affix_key(nv, 9, 6, true, buf, sizeof buf), 9);
  STR_EQ(buf, "\x03"
              "a\xc3\xafvet\xc3\xa9");
  /* a proper part only; n within 1 to FS_MODEL_AFFIX_MAX; it must fit */
  INT_EQ((long)fs_model_affix_key(nv, 9, 7, false, buf, sizeof buf), 0);
  INT_EQ((long)fs_model_affix_key("cat", 3, 3, true, buf, sizeof buf), 0);
  INT_EQ((long)fs_model_affix_key("reporting", 9, 0, true, buf, sizeof buf), 0);
  INT_EQ((long)fs_model_affix_key("disestablishment", 16, 9, false, buf,
                                  sizeof buf),
         0);
  INT_EQ((long)fs_model_affix_key("reporting", 9, 5, true, buf, 6), 0);
}

/* Eight sentences with a word ending in "-ish", each word seen once
 * (labelled 1), and the same sentences without it (labelled 0): the
 * corpus of the --affixes and --char-ngrams tests. */
static void add_ish_corpus(fs_ctx *ctx, fs_trainer *tr) {
  static const char *const pos[] = {
      "The mayor was foolish today.", "A boorish vote in the hall.",
      "The budget looks sluggish.",   "The council was childish.",
      "Such peevish talk again.",     "A brutish plan for the parks.",
      "The debate turned prudish.",   "A skittish ministry spoke."};
  static const char *const neg[] = {
      "The mayor spoke on Monday.", "A vote in the hall.",
      "The budget passed.",         "The council met.",
      "Talk of roads again.",       "A plan for the parks.",
      "The debate ended at noon.",  "A ministry spoke."};
  fs_error err = {0};
  for (int i = 0; i < 8; i++) {
    fs_doc *d = fs_doc_analyze(ctx, pos[i], strlen(pos[i]), &err);
    INT_EQ(fs_trainer_add(tr, d, 1), FS_OK);
    fs_doc_free(d);
    d = fs_doc_analyze(ctx, neg[i], strlen(neg[i]), &err);
    INT_EQ(fs_trainer_add(tr, d, 0), FS_OK);
    fs_doc_free(d);
  }
}

/* --affixes: words each seen once share no stem a model could keep
 * (min_df 2), but their common suffix is a feature; the model scores an
 * unseen word with it higher, and reads back from its file the same. */
static void test_affixes(void) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  double p[2][2];
  for (int affixes = 0; affixes < 2; affixes++) {
    fs_train_opts o = {
        1.0,  4,     1,    2,    FS_VOICES, FS_UNIT_SENTENCE, "bias",
        NULL, false, true, NULL, 0,         affixes ? 3 : 0,  affixes ? 4 : 0,
        false, false, NULL, NULL, false, 0, 0, 0, 0, 0, NULL, 0, 0, 0, 0, false, 0};
    fs_trainer *tr = fs_trainer_new(ctx, &o);
    add_ish_corpus(ctx, tr);
    fs_train_result r;
    INT_EQ(fs_trainer_run(tr, &r, &err), FS_OK);
    const fs_dimension *dm = &r.model->dims[0];
    double ish = NAN;
    bool prefix = false;
    for (size_t f = 0; f < dm->nfeatures; f++) {
      if (!strcmp(dm->features[f].name, "suffix:ish"))
        ish = dm->features[f].weight;
      prefix |= !strncmp(dm->features[f].name, "prefix:", 7);
    }
    if (affixes) {
      OK(ish > 0, "suffix:ish weighs %g", ish);
      OK(prefix, "prefix features too");
      INT_EQ((long)r.naffixes > 0, 1);
    } else {
      OK(isnan(ish) && !prefix, "no affix features without --affixes");
    }
    /* an unseen word with the suffix, and without */
    const char *t[] = {"The waspish mayor.", "The wasp mayor."};
    round_trip(r.model, NULL, "affix.model", affixes ? " suffix:ish " : NULL,
               lex, ctx, t, 2, p[affixes]);
    fs_train_result_free(&r);
    fs_trainer_free(tr);
  }
  NEAR(p[0][0], p[0][1], 1e-12); /* unseen words: no difference */
  OK(p[1][0] > p[1][1] + 0.05, "waspish %g above wasp %g", p[1][0], p[1][1]);
  /* a model file's affix features: checked where they are read */
  const char *bad[] = {"suffix:abcdefghi", "prefix:a\x01b"};
  for (int k = 0; k < 2; k++) {
    char text[200];
    int n = snprintf(text, sizeof text,
                     "framescore-model 1\ndimension bias\n  kind logistic\n"
                     "  weight %s 1\n",
                     bad[k]);
    fs_model *m = fs_model_parse("bad.model", text, (size_t)n, &err);
    OK(m == NULL && err.line == 4 &&
           strstr(err.msg, k ? "control" : "longer than 8") != NULL,
       "bad.model:%ld: %s", err.line, err.msg);
    fs_model_free(m);
  }
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

/* fs_model_ngrams' callback: the keys, each after a space */
static int collect_key(void *data, const char *key, size_t len) {
  char *out = data;
  INT_EQ((long)len, (long)strlen(key));
  INT_EQ(key[0], '\x04');
  strcat(out, " ");
  strcat(out, key + 1);
  return strlen(out) > 900; /* non-zero: stop, as a failed push does */
}

/* The character n-gram keys: 0x04 and n code points (not bytes) of the
 * word marked "<word>", every position, shortest n first. */
static void test_ngram_keys(void) {
  char out[1024] = "";
  INT_EQ(fs_model_ngrams("cat", 3, 3, 5, collect_key, out), 0);
  STR_EQ(out, " <ca cat at> <cat cat> <cat>");
  out[0] = '\0';
  INT_EQ(fs_model_ngrams("a", 1, 1, 2, collect_key, out), 0);
  STR_EQ(out, " < a > <a a>");
  out[0] = '\0';
  /* "naïf": 4 characters, 5 bytes */
  INT_EQ(fs_model_ngrams("na\xc3\xaf"
                         "f",
                         5, 3, 3, collect_key, out),
         0);
  STR_EQ(out, " <na na\xc3\xaf a\xc3\xaf"
              "f \xc3\xaf"
              "f>");
  /* repeated n-grams come once per position; the trainer counts a text's
   * distinct ones, the model's features are binary */
  out[0] = '\0';
  INT_EQ(fs_model_ngrams("nana", 4, 2, 2, collect_key, out), 0);
  STR_EQ(out, " <n na an na a>");
  /* n outside 1 to FS_MODEL_NGRAM_MAX, or a word over FS_MODEL_NGRAM_WORD
   * characters: none */
  out[0] = '\0';
  INT_EQ(fs_model_ngrams("cat", 3, 0, 3, collect_key, out), 0);
  INT_EQ(fs_model_ngrams("cat", 3, 3, FS_MODEL_NGRAM_MAX + 1, collect_key,
                         out),
         0);
  char longw[FS_MODEL_NGRAM_WORD + 2];
  memset(longw, 'x', sizeof longw - 1);
  longw[sizeof longw - 1] = '\0';
  INT_EQ(fs_model_ngrams(longw, FS_MODEL_NGRAM_WORD + 1, 3, 3, collect_key,
                         out),
         0);
  STR_EQ(out, "");
  INT_EQ(fs_model_ngrams(longw, FS_MODEL_NGRAM_WORD, 6, 6, collect_key, out),
         0);
  OK(strstr(out, " <xxxxx ") && strstr(out, " xxxxx>"), "%s", out);
  /* the callback's non-zero stops the walk and is returned */
  memset(out, 'y', 900);
  out[900] = '\0';
  INT_EQ(fs_model_ngrams("cat", 3, 3, 5, collect_key, out), 1);
  INT_EQ((long)strlen(out), 904);
}

/* --char-ngrams: words each seen once share no stem a model could keep
 * (min_df 2), but their common ending "ish>" is an n-gram; the model
 * scores an unseen word with it higher, and reads back from its file the
 * same. A model file's ngram: features are checked where they are read. */
static void test_char_ngrams(void) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  double p[3][2], wish[3] = {NAN, NAN, NAN};
  /* 0: without n-grams, 1: with, 2: with, scaled 0.25 (--ngram-scale) */
  for (int ngrams = 0; ngrams < 3; ngrams++) {
    fs_train_opts o = {
        1.0,  4,     1,    2,    FS_VOICES, FS_UNIT_SENTENCE, "bias",
        NULL, false, true, NULL, 0,         0,                0,
        false, false, NULL, NULL, false, 0, 0, ngrams ? 3 : 0, ngrams ? 5 : 0,
        ngrams == 2 ? 0.25 : 0, NULL, 0, 0, 0, 0, false, 0};
    fs_trainer *tr = fs_trainer_new(ctx, &o);
    add_ish_corpus(ctx, tr);
    fs_train_result r;
    INT_EQ(fs_trainer_run(tr, &r, &err), FS_OK);
    const fs_dimension *dm = &r.model->dims[0];
    double ish = NAN;
    size_t n = 0;
    for (size_t f = 0; f < dm->nfeatures; f++) {
      if (!strcmp(dm->features[f].name, "ngram:ish>"))
        ish = dm->features[f].weight;
      n += !strncmp(dm->features[f].name, "ngram:", 6);
    }
    INT_EQ((long)r.nngrams, (long)n);
    wish[ngrams] = ish;
    if (ngrams) {
      OK(ish > 0, "ngram:ish> weighs %g", ish);
      OK(n > 10, "%zu n-gram features", n);
      INT_EQ(r.model->ngram_min, 3);
      INT_EQ(r.model->ngram_max, 5);
    } else {
      OK(isnan(ish) && !n, "no n-gram features without --char-ngrams");
    }
    /* an unseen word with the ending, and without */
    const char *t[] = {"The waspish mayor.", "The wasp mayor."};
    round_trip(r.model, NULL, "ngram.model", ngrams ? " ngram:ish> " : NULL,
               lex, ctx, t, 2, p[ngrams]);
    fs_train_result_free(&r);
    fs_trainer_free(tr);
  }
  NEAR(p[0][0], p[0][1], 1e-12); /* unseen words: no difference */
  OK(p[1][0] > p[1][1] + 0.05, "waspish %g above wasp %g", p[1][0], p[1][1]);
  /* penalised 16 times as much: the n-grams weigh less, still the same way */
  OK(wish[2] > 0 && wish[2] < 0.5 * wish[1], "ngram:ish> scaled %g, not %g",
     wish[2], wish[1]);
  OK(p[2][0] > p[2][1] && p[2][0] - p[2][1] < p[1][0] - p[1][1],
     "scaled: waspish %g above wasp %g by less", p[2][0], p[2][1]);
  const char *bad[] = {"ngram:abcdefg", "ngram:a\x01", "ngram:a\xff"};
  const char *why[] = {"longer than 6", "control", "UTF-8"};
  for (int k = 0; k < 3; k++) {
    char text[200];
    int n = snprintf(text, sizeof text,
                     "framescore-model 1\ndimension bias\n  kind logistic\n"
                     "  weight %s 1\n",
                     bad[k]);
    fs_model *m = fs_model_parse("bad.model", text, (size_t)n, &err);
    OK(m == NULL && err.line == 4 && err.col == 10 &&
           strstr(err.msg, why[k]) != NULL,
       "bad.model:%ld:%ld: %s", err.line, err.col, err.msg);
    fs_model_free(m);
  }
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

/* Tiny word vectors for test_word_vectors: the -ish adjectives of
 * add_ish_corpus (and "waspish", never in a training text) point one way,
 * the other words another; components as a GloVe file writes them. */
static const char ish_vectors[] =
    "foolish 0.9 0.1 0\nboorish 1 0.05 0.1\nsluggish 0.8 0 0.2\n"
    "childish 1 0.1 0\npeevish 0.9 0 0.1\nbrutish 1 0.2 0\n"
    "prudish 0.7 0.1 0.1\nskittish 1 0 0\nwaspish 0.9 0.1 0.1\n"
    "mayor 0 1 0.1\nvote 0.1 1 0\nhall 0 0.9 0.2\nbudget 0 1 0\n"
    "council 0.1 0.8 0\nplan 0 1 0.3\nparks 0 0.7 0.1\ndebate 0 1 0\n"
    "ministry 0.1 1 0\nbusy 0 1 0.2\nthe 0 0 1\n";

static fs_word_vectors *ish_wv(const char *text) {
  fs_error err = {0};
  fs_word_vectors *wv = malloc(sizeof *wv);
  fs_word_vectors_init(wv);
  INT_EQ(fs_word_vectors_parse(wv, "ish.vec", text, strlen(text), 0, &err),
         FS_OK);
  return wv;
}

/* --word-vectors: words each seen once share no stem a model could keep
 * (min_df 2), but their vectors point the same way: the model scores an
 * unseen word near them higher, the mean of the words' unit vectors being
 * the features; its file records the vectors' digest and scores the same
 * when read back with the same vectors, and refuses others. */
static void test_word_vectors(void) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  fs_word_vectors *wv = ish_wv(ish_vectors);
  /* the pools by hand: "the" (0 0 1) and "mayor" (0 1 0.1) scaled to
   * length 1; "Obama" has no vector */
  const char *s = "The mayor, Obama.";
  fs_doc *d = fs_doc_analyze(ctx, s, strlen(s), &err);
  double v[FS_VPOOL_N * 3], l = sqrt(1.01);
  fs_model_vector_pool(wv, 0, 0, ctx, d, 0, SIZE_MAX, FS_VOICES, v);
  NEAR(v[0], 0, 0);
  /* the file's components are floats */
  NEAR(v[1], 0.5 / l, 1e-7);
  NEAR(v[2], (1 + 0.1 / l) / 2, 1e-7);
  NEAR(v[3], 0, 0);
  NEAR(v[4], 1 / l, 1e-7);
  NEAR(v[5], 1, 1e-7);
  fs_model_vector_pool(wv, 0, 0, ctx, d, 3, SIZE_MAX, FS_VOICES, v); /* none */
  for (int k = 0; k < 6; k++)
    NEAR(v[k], 0, 0);
  /* SIF: "mayor" is row 9 of 20, "the" row 19; p(row r) = 1 / ((r + 1)
   * H_20), weight a / (a + p), the mean divided by the weights' sum */
  double h = 0, a = 0.01;
  for (int k = 1; k <= 20; k++)
    h += 1.0 / k;
  double w_mayor = a / (a + 1 / (10 * h)), w_the = a / (a + 1 / (20 * h));
  fs_model_vector_pool(wv, 0, a, ctx, d, 0, SIZE_MAX, FS_VOICES, v);
  NEAR(v[0], 0, 0);
  NEAR(v[1], w_mayor / l / (w_mayor + w_the), 1e-7);
  NEAR(v[2], (w_the + w_mayor * 0.1 / l) / (w_mayor + w_the), 1e-7);
  NEAR(v[4], w_mayor / l, 1e-7); /* max: of the weighted unit vectors */
  NEAR(v[5], w_the, 1e-7);
  OK(w_the > w_mayor + 0.1, "the rarer word weighs more: %g %g", w_the,
     w_mayor);
  fs_doc_free(d);
  STR_EQ(fs_model_vpool_name(1), "max");
  OK(fs_model_vpool_name(FS_VPOOL_N) == NULL, "pool names end");

  const char *t[] = {"The mayor was waspish.", "The mayor was busy."};
  double p[3][2];
  for (int vec = 0; vec < 3; vec++) { /* none, vectors, vectors with SIF */
    fs_train_opts o = {
        1.0,  4,     1,    2,    FS_VOICES, FS_UNIT_SENTENCE, "bias",
        NULL, false, true, NULL, 0,         0,                0,
        false, false, NULL, NULL, false, 0, 0, 0, 0, 0,
        vec ? wv : NULL, FS_VPOOL_MEAN | FS_VPOOL_MAX, 0.5, 0, 0, false,
        vec == 2 ? 0.05 : 0};
    fs_trainer *tr = fs_trainer_new(ctx, &o);
    add_ish_corpus(ctx, tr);
    fs_train_result r;
    INT_EQ(fs_trainer_run(tr, &r, &err), FS_OK);
    fs_model *m = r.model;
    INT_EQ((long)r.nvectors, vec ? 6 : 0);
    INT_EQ((long)m->dims[0].nvec_features, vec ? 6 : 0);
    OK(fs_model_needs_vectors(m) == (vec > 0), "needs vectors: %d", vec);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    INT_EQ(fs_model_write(f, m, NULL), FS_OK);
    fclose(f);
    char line[80];
    snprintf(line, sizeof line, "  vectors   %016llx 3 0\n",
             (unsigned long long)wv->digest);
    OK((strstr(buf, line) && strstr(buf, " vector:max:2 ")) == (vec > 0),
       "written: %s", buf);
    /* the SIF weight after the vectors line, exactly (the reader applies
     * it: m2 scores as m below) */
    snprintf(line + strlen(line), sizeof line - strlen(line),
             "  vector_sif 0.050000000000000003\n");
    OK((strstr(buf, line) != NULL) == (vec == 2), "written: %s", buf);
    fs_model *m2 = fs_model_parse("vec.model", buf, len, &err);
    OK(m2 != NULL, "%s", err.msg);
    INT_EQ(fs_model_bind(m2, lex, &err), FS_OK);
    if (vec) {
      /* a model reads with the vectors it was trained with only */
      fs_word_vectors *other = ish_wv("foolish 0.9 0.1 0\nthe 0 0 1\n");
      INT_EQ(fs_model_bind_vectors(m2, other, "other.vec", &err),
             FS_ERR_INPUT);
      OK(m2->vectors == NULL && strstr(err.msg, "not the word vectors") &&
             strstr(err.file, "other.vec"),
         "%s: %s", err.file, err.msg);
      fs_word_vectors_free(other);
      free(other);
      INT_EQ(fs_model_bind_vectors(m, ish_wv(ish_vectors), "a", &err), FS_OK);
      INT_EQ(fs_model_bind_vectors(m2, ish_wv(ish_vectors), "b", &err),
             FS_OK);
    }
    for (int k = 0; k < 2; k++) {
      d = fs_doc_analyze(ctx, t[k], strlen(t[k]), &err);
      p[vec][k] = fs_model_item_score(m, 0, ctx, d);
      NEAR(fs_model_item_score(m2, 0, ctx, d), p[vec][k], 1e-9);
      fs_doc_free(d);
    }
    free(buf);
    fs_model_free(m2);
    fs_train_result_free(&r);
    fs_trainer_free(tr);
  }
  NEAR(p[0][0], p[0][1], 1e-12); /* unseen words: no difference */
  OK(p[1][0] > p[1][1] + 0.05, "waspish %g above busy %g", p[1][0], p[1][1]);
  OK(p[2][0] > p[2][1] + 0.05, "SIF: waspish %g above busy %g", p[2][0],
     p[2][1]);
  OK(fabs(p[2][0] - p[1][0]) > 1e-6, "SIF moves the score: %g %g", p[2][0],
     p[1][0]);
  /* a model file's vector: features, vectors and vector_sif lines */
  const char *bad[] = {
      "  weight vector:mean:0 1\n",
      "  vectors 0123456789abcdef 3 0\n  weight vector:mean:3 1\n",
      "  vectors 0123456789abcdef 3 0\n  weight vector:min:0 1\n",
      "  vectors 0123456789abcdef 3 0\n  weight vector:mean:01 1\n",
      "  vectors 0123456789abcdeg 3 0\n",
      "  vectors 0123456789abcdef 0 0\n",
      "  vectors 0123456789abcdef 3 0\n  vectors 0123456789abcdef 3 0\n",
      "  vector_sif 0.001\n",
      "  vectors 0123456789abcdef 3 0\n  vector_sif 0\n",
      "  vectors 0123456789abcdef 3 0\n  vector_sif 1.5\n",
      "  vectors 0123456789abcdef 3 0\n  vector_sif 1e-3x\n",
      "  vectors 0123456789abcdef 3 0\n  vector_sif 0.1\n  vector_sif 0.1\n"};
  const long lines[] = {4, 5, 5, 5, 4, 4, 5, 4, 5, 5, 5, 6};
  const long cols[] = {10, 10, 10, 10, 26, 28, 3, 3, 14, 14, 14, 3};
  const char *why[] = {"needs the dimension's 'vectors", "3 components",
                       "unknown vector feature", "unknown vector feature",
                       "16 hex digits", "1 to 1024", "a second 'vectors'",
                       "needs the dimension's 'vectors", "> 0 and <= 1",
                       "> 0 and <= 1", "not a finite number",
                       "a second 'vector_sif'"};
  for (int k = 0; k < 12; k++) {
    char text[300];
    int n = snprintf(text, sizeof text,
                     "framescore-model 1\ndimension bias\n  kind logistic\n%s",
                     bad[k]);
    fs_model *m = fs_model_parse("bad.model", text, (size_t)n, &err);
    OK(m == NULL && err.line == lines[k] && err.col == cols[k] &&
           strstr(err.msg, why[k]) != NULL,
       "%d: bad.model:%ld:%ld: %s", k, err.line, err.col, err.msg);
    fs_model_free(m);
  }
  fs_word_vectors_free(wv);
  free(wv);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

/* The shape features of a sentence, counted by hand; and a --shape model
 * that learns them scores the same once written and read back. */
static void test_shape(void) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  /* 14 words: "We" (first, capitalised but not counted), "Obama", "No"
   * capitalised; "We lost the vote today" quoted speech (five words: too
   * long for a scare quote); "2,000" a number;
   * "so-called" two words, the second joined; '?' and '!' */
  const char *s =
      "\"We lost the vote today,\" Obama said of the 2,000 so-called "
      "jobs? No!";
  fs_doc *d = fs_doc_analyze(ctx, s, strlen(s), &err);
  double v[FS_SHAPE_N];
  fs_model_shape(d, 0, SIZE_MAX, v); /* to the end: every token */
  STR_EQ(fs_model_shape_name(0), "words");
  OK(fs_model_shape_name(FS_SHAPE_N) == NULL, "names end");
  NEAR(v[0], log(15.0), 1e-12); /* log(1 + 14 words) */
  NEAR(v[1], 2.0 / 14, 1e-12);
  NEAR(v[2], 5.0 / 14, 1e-12);
  NEAR(v[3], 1.0 / 14, 1e-12);
  NEAR(v[4], 1.0 / 14, 1e-12);
  NEAR(v[5], 0, 0);
  NEAR(v[6], 1, 0);
  NEAR(v[7], 1, 0);
  fs_doc_free(d);
  /* a scare quote in the author's voice, nothing else */
  s = "the \"reform\" failed";
  d = fs_doc_analyze(ctx, s, strlen(s), &err);
  fs_model_shape(d, 0, SIZE_MAX, v);
  NEAR(v[0], log(4.0), 1e-12);
  NEAR(v[1] + v[2] + v[3] + v[4] + v[6] + v[7], 0, 0);
  NEAR(v[5], 1, 0);
  fs_doc_free(d);
  /* an empty range: no words, nothing else */
  d = fs_doc_analyze(ctx, "", 0, &err);
  fs_model_shape(d, 0, SIZE_MAX, v);
  for (int k = 0; k < FS_SHAPE_N; k++)
    NEAR(v[k], 0, 0);
  fs_doc_free(d);

  /* questions are the positive class: shape:question must carry it */
  static const char *const pos[] = {
      "Is the mayor serious?", "Who wrote this plan?", "Can the council pay?",
      "Why vote again?",       "Is it over?",          "What did the hall say?",
      "Was the debate fair?",  "Who spoke today?"};
  static const char *const neg[] = {
      "The mayor is serious.", "Someone wrote this plan.",
      "The council can pay.",  "They vote again.",
      "It is over.",           "The hall said nothing.",
      "The debate was fair.",  "A minister spoke today."};
  fs_train_opts o = {1.0,    4,    1,     1,     FS_VOICES, FS_UNIT_SENTENCE,
                     "bias", NULL, false, false, NULL,      0,
                     0,      0,    true, false, NULL, NULL, false, 0, 0, 0, 0, 0, NULL, 0, 0, 0, 0, false, 0};
  fs_trainer *tr = fs_trainer_new(ctx, &o);
  for (int i = 0; i < 8; i++) {
    d = fs_doc_analyze(ctx, pos[i], strlen(pos[i]), &err);
    INT_EQ(fs_trainer_add(tr, d, 1), FS_OK);
    fs_doc_free(d);
    d = fs_doc_analyze(ctx, neg[i], strlen(neg[i]), &err);
    INT_EQ(fs_trainer_add(tr, d, 0), FS_OK);
    fs_doc_free(d);
  }
  fs_train_result r;
  INT_EQ(fs_trainer_run(tr, &r, &err), FS_OK);
  const fs_dimension *dm = &r.model->dims[0];
  double q = NAN;
  size_t nshape = 0;
  for (size_t f = 0; f < dm->nfeatures; f++) {
    nshape += !strncmp(dm->features[f].name, "shape:", 6);
    if (!strcmp(dm->features[f].name, "shape:question"))
      q = dm->features[f].weight;
  }
  INT_EQ((long)nshape, FS_SHAPE_N);
  OK(q > 0.5, "shape:question weighs %g", q);
  const char *t[] = {"Is the budget late?", "The budget is late."};
  double p[2];
  round_trip(r.model, NULL, "shape.model", NULL, lex, ctx, t, 2, p);
  OK(p[0] > p[1] + 0.2, "question %g, statement %g", p[0], p[1]);
  fs_train_result_free(&r);
  fs_trainer_free(tr);
  /* an unknown shape feature is an error with its place */
  const char *bad = "framescore-model 1\ndimension bias\n  kind logistic\n"
                    "  weight    shape:colour 1\n";
  OK(fs_model_parse("bad.model", bad, strlen(bad), &err) == NULL, "rejected");
  OK(strstr(err.msg, "unknown shape feature 'shape:colour'") != NULL, "%s",
     err.msg);
  INT_EQ((long)err.line, 4);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

/* The trainer's tagger: features under a small model whose one word
 * dimension the taggers' thresholds are chosen for. */
static fs_model *words_model(const fs_lexicon *lex, fs_error *err) {
  const char *t = "framescore-model 1\ndimension loaded_language\n"
                  "  weight    loaded.* 1\n";
  fs_model *m = fs_model_parse("words.model", t, strlen(t), err);
  if (m && fs_model_bind(m, lex, err)) {
    fs_model_free(m);
    return NULL;
  }
  return m;
}

static double tagger_weight(const fs_model *m, const char *name) {
  const fs_dimension *dm = &m->dims[0];
  for (size_t f = 0; f < dm->nfeatures; f++)
    if (!strcmp(dm->features[f].name, name))
      return dm->features[f].weight;
  return NAN;
}

/* 24 rows, a group each, of an actor and a verb: in the odd ones one of
 * four loaded verbs, which the annotators marked; in the others "spoke".
 * Rows of test_tagger_features' parts 2 and 2b. */
static void add_marked_rows(fs_ctx *ctx, fs_trainer *tr) {
  static const char *const loaded[4] = {"sneered", "ranted", "gloated",
                                        "smirked"};
  static const char *const who[6] = {"mayor", "critic", "senator",
                                     "council", "pundit", "governor"};
  fs_error err = {0};
  for (int i = 0; i < 24; i++) {
    char text[96], group[8];
    bool pos = i % 2;
    snprintf(text, sizeof text, "The %s %s about the plan on day %d.",
             who[i % 6], pos ? loaded[(i / 2) % 4] : "spoke", i);
    snprintf(group, sizeof group, "g%d", i);
    fs_doc *d = fs_doc_analyze(ctx, text, strlen(text), &err);
    const char *marked[1] = {loaded[(i / 2) % 4]};
    INT_EQ(fs_trainer_add_row(tr, d, pos, group, strlen(group), marked,
                              pos ? 1 : 0),
           FS_OK);
    fs_doc_free(d);
  }
}

static void test_tagger_features(void) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  fs_model *wm = words_model(lex, &err);
  OK(wm != NULL, "%s", err.msg);
  size_t wd[1] = {0};
  fs_annot_setup ts = {wm, NULL, NULL, 0, wd, 1, 1, FS_VOICES, false, false};
  /* 1. Nested: each of 16 groups has a word of its own, given three times;
   * in the positive groups the annotators marked it, and "sneered" in
   * every group (so the taggers tag something). A tagger that had seen a
   * group's marks would tag its word there too and give the CV a perfect
   * ranking; out of fold the word is unseen and the tags say nothing. */
  static const char *const words[16] = {
      "zorbic", "quandle", "flimmer", "glorp",  "snarfle", "wibbet",
      "trondle", "plimsk", "vaxter",  "mumble", "grivet",  "sploon",
      "narbo",  "frindle", "koplet",  "dwimmer"};
  fs_train_opts o = {1.0,    4,    1,     1,     FS_VOICES, FS_UNIT_SENTENCE,
                     "bias", NULL, false, false, NULL,      0,
                     0,      0,    false, true,  &ts,       ctx, false, 0, 0, 0, 0, 0, NULL, 0, 0, 0, 0, false, 0};
  fs_trainer *tr = fs_trainer_new(ctx, &o);
  for (int i = 0; i < 16; i++)
    for (int c = 0; c < 8; c++) {
      char text[64], group[8];
      snprintf(text, sizeof text, "The %s came, and the crowd sneered.",
               words[i]);
      snprintf(group, sizeof group, "g%d", i);
      fs_doc *d = fs_doc_analyze(ctx, text, strlen(text), &err);
      const char *marked[2] = {"sneered", words[i]};
      INT_EQ(fs_trainer_add_row(tr, d, i % 2, group, strlen(group), marked,
                                1 + (size_t)(i % 2)),
             FS_OK);
      fs_doc_free(d);
    }
  fs_train_result r;
  INT_EQ(fs_trainer_run(tr, &r, &err), FS_OK);
  OK(r.roc_auc < 0.7, "no group's marks leak into its tags (ROC AUC %g)",
     r.roc_auc);
  fs_train_result_free(&r);
  fs_trainer_free(tr);

  /* 2. Marked words that recur: the tags carry the label, the model embeds
   * the tagger and scores as the trainer's fit after a round trip. */
  o.lambda = 1.0;
  tr = fs_trainer_new(ctx, &o);
  add_marked_rows(ctx, tr);
  INT_EQ(fs_trainer_run(tr, &r, &err), FS_OK);
  const fs_dimension *dm = &r.model->dims[0];
  INT_EQ((long)dm->ntag_features, FS_TAGLV_N);
  OK(dm->tagger_text != NULL, "the tagger is embedded");
  double wsum = 0;
  for (size_t k = 0; k < FS_TAGLV_N; k++) {
    char name[32];
    snprintf(name, sizeof name, "tagger:%s", fs_model_tagagg_name(k));
    double w = tagger_weight(r.model, name);
    OK(isfinite(w), "%s in the model", name);
    wsum += w;
  }
  OK(wsum > 0, "tags of marked words predict the label (weights sum %g)",
     wsum);
  OK(r.tagger_f1 > 0.5, "the final tagger finds the marked words (F1 %g)",
     r.tagger_f1);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  INT_EQ(fs_model_write(f, r.model, NULL), FS_OK);
  fclose(f);
  OK(strstr(buf, "\n  tagger    ") != NULL, "tagger lines written");
  fs_model *m2 = fs_model_parse("tagger.model", buf, len, &err);
  OK(m2 != NULL, "%s", err.msg);
  INT_EQ(fs_model_bind(m2, lex, &err), FS_OK);
  const char *t[] = {"The governor sneered about the budget.",
                     "The governor spoke about the budget."};
  double p[2], count[2] = {0, 0};
  for (int k = 0; k < 2; k++) {
    fs_doc *d = fs_doc_analyze(ctx, t[k], strlen(t[k]), &err);
    p[k] = fs_model_item_score(r.model, 0, ctx, d);
    NEAR(fs_model_item_score(m2, 0, ctx, d), p[k], 1e-12);
    /* the embedded tagger tags more words where "sneered" stands (summed
     * over the threshold levels) */
    fs_sparse x = {0};
    INT_EQ(fs_model_features(m2, 0, ctx, d, 0, d->ntokens, &x), FS_OK);
    for (size_t j = 0; j < x.n; j++)
      if (!strncmp(m2->dims[0].features[x.idx[j]].name, "tagger:", 7))
        count[k] += x.val[j];
    fs_sparse_free(&x);
    fs_doc_free(d);
  }
  OK(count[0] > count[1], "tagger: %g with the marked word, %g without",
     count[0], count[1]);
  OK(p[0] > p[1], "loaded %g, plain %g", p[0], p[1]);
  OK(isnan(tagger_weight(r.model, "tagger:max")),
     "no probability aggregates by default");
  free(buf);
  fs_model_free(m2);
  fs_train_result_free(&r);
  fs_trainer_free(tr);

  /* 2b. The same rows with the probability aggregates beside the counts
   * (train --tagger-aggregates counts,probs): every aggregate is a
   * feature, the round trip scores alike, and the sentence with the
   * marked word has the more probable words */
  o.tagger_aggs = FS_TAGAGG_COUNTS | FS_TAGAGG_PROBS;
  tr = fs_trainer_new(ctx, &o);
  add_marked_rows(ctx, tr);
  INT_EQ(fs_trainer_run(tr, &r, &err), FS_OK);
  INT_EQ((long)r.model->dims[0].ntag_features, FS_TAGAGG_N);
  for (size_t k = 0; k < FS_TAGAGG_N; k++) {
    char name[32];
    snprintf(name, sizeof name, "tagger:%s", fs_model_tagagg_name(k));
    OK(isfinite(tagger_weight(r.model, name)), "%s in the model", name);
  }
  f = open_memstream(&buf, &len);
  INT_EQ(fs_model_write(f, r.model, NULL), FS_OK);
  fclose(f);
  OK(strstr(buf, "tagger:top3") != NULL, "probability aggregates written");
  m2 = fs_model_parse("tagger.model", buf, len, &err);
  OK(m2 != NULL, "%s", err.msg);
  INT_EQ(fs_model_bind(m2, lex, &err), FS_OK);
  double top[2] = {0, 0};
  for (int k = 0; k < 2; k++) {
    fs_doc *d = fs_doc_analyze(ctx, t[k], strlen(t[k]), &err);
    p[k] = fs_model_item_score(r.model, 0, ctx, d);
    NEAR(fs_model_item_score(m2, 0, ctx, d), p[k], 1e-12);
    fs_sparse x = {0};
    INT_EQ(fs_model_features(m2, 0, ctx, d, 0, d->ntokens, &x), FS_OK);
    for (size_t j = 0; j < x.n; j++)
      if (!strcmp(m2->dims[0].features[x.idx[j]].name, "tagger:max"))
        top[k] = x.val[j];
    fs_sparse_free(&x);
    fs_doc_free(d);
  }
  OK(top[0] > 0.5 && top[0] > top[1], "tagger:max %g with the marked word, "
     "%g without", top[0], top[1]);
  OK(p[0] > p[1], "loaded %g, plain %g", p[0], p[1]);
  free(buf);
  fs_model_free(m2);
  fs_train_result_free(&r);
  fs_trainer_free(tr);
  o.tagger_aggs = 0;

  /* 2c. The nested tagger with word vectors (train --tagger-vectors): the
   * embedded tagger weighs v= features and its lines say which vectors
   * it needs (no path); the model read back scores as the trainer's once
   * given them, and not before */
  static const char loaded_vectors[] =
      "sneered 1 0.1 0\nranted 0.9 0.2 0\ngloated 1 0 0.1\n"
      "smirked 0.8 0.1 0.1\nspoke 0 1 0\nthe 0 0 1\n";
  fs_word_vectors *lv = ish_wv(loaded_vectors);
  o.wv = lv;
  o.tagger_vectors = true;
  tr = fs_trainer_new(ctx, &o);
  add_marked_rows(ctx, tr);
  INT_EQ(fs_trainer_run(tr, &r, &err), FS_OK);
  f = open_memstream(&buf, &len);
  INT_EQ(fs_model_write(f, r.model, NULL), FS_OK);
  fclose(f);
  char line[64];
  snprintf(line, sizeof line, "\n  tagger    word_vectors %016llx 3\n",
           (unsigned long long)lv->digest);
  OK(strstr(buf, line) != NULL, "the tagger's vectors recorded: %s", buf);
  OK(strstr(buf, "\n  tagger    v=0 ") != NULL, "v= weights embedded");
  m2 = fs_model_parse("tagger.model", buf, len, &err);
  OK(m2 != NULL, "%s", err.msg);
  INT_EQ(fs_model_bind(m2, lex, &err), FS_OK);
  uint64_t dg = 0;
  unsigned dim = 0;
  OK(fs_model_tagger_vectors(m2, &dg, &dim) && dg == lv->digest && dim == 3,
     "the model says which vectors its tagger needs");
  fs_doc *d0 = fs_doc_analyze(ctx, t[0], strlen(t[0]), &err);
  fs_sparse x0 = {0};
  INT_EQ(fs_model_features(m2, 0, ctx, d0, 0, d0->ntokens, &x0),
         FS_ERR_USAGE);
  fs_sparse_free(&x0);
  fs_doc_free(d0);
  INT_EQ(fs_model_bind_tagger_vectors(m2, lv, false, "l.vec", &err), FS_OK);
  for (int k = 0; k < 2; k++) {
    fs_doc *d = fs_doc_analyze(ctx, t[k], strlen(t[k]), &err);
    p[k] = fs_model_item_score(r.model, 0, ctx, d);
    OK(isfinite(p[k]), "the trainer's model scores");
    NEAR(fs_model_item_score(m2, 0, ctx, d), p[k], 1e-12);
    fs_doc_free(d);
  }
  OK(p[0] > p[1], "loaded %g, plain %g", p[0], p[1]);
  free(buf);
  fs_model_free(m2);
  fs_train_result_free(&r);
  fs_trainer_free(tr);
  o.wv = NULL;
  o.tagger_vectors = false;
  fs_word_vectors_free(lv);
  free(lv);

  /* 3. Errors with their place: an unknown aggregate; tagger: features
   * without the tagger they read */
  const char *bad = "framescore-model 1\ndimension bias\n  kind logistic\n"
                    "  weight    tagger:colour 1\n";
  OK(fs_model_parse("bad.model", bad, strlen(bad), &err) == NULL, "rejected");
  OK(strstr(err.msg, "unknown tagger aggregate 'tagger:colour'") != NULL, "%s",
     err.msg);
  INT_EQ((long)err.line, 4);
  bad = "framescore-model 1\ndimension bias\n  kind logistic\n"
        "  weight    tagger:count 1\n";
  fs_model *m3 = fs_model_parse("bad.model", bad, strlen(bad), &err);
  OK(m3 != NULL, "%s", err.msg);
  OK(m3 && fs_model_bind(m3, lex, &err) == FS_ERR_INPUT, "bind refused");
  OK(strstr(err.msg, "tagger: features need tagger lines") != NULL, "%s",
     err.msg);
  fs_model_free(m3);
  fs_model_free(wm);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

/* A context model read back from its file gives each match the probability
 * the written model gave, family weights included (a `family` line was read
 * as a category of that name until session 30, so no family weight ever
 * applied to a model read from a file), and says which of its names the
 * lexicons lack. */
static void test_context_file(void) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  const char *tsv = "nonsense\tloaded.dismissive\t1\n"
                    "outrageous\tloaded.emotive\t1\n"
                    "regime\tlabel.pejorative\t1\n"
                    "claimed\tattribution.doubt\t1\n";
  INT_EQ(fs_lexicon_load_buffer(lex, "t.tsv", tsv, strlen(tsv), &err), FS_OK);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  size_t ncol = fs_context_model_columns(lex);
  size_t ncat = fs_lexicon_category_count(lex);
  size_t nfam = fs_lexicon_family_count(lex);
  double *w = calloc(ncol, sizeof *w);
  w[0] = -0.5;
  w[1 + FS_CF_WEIGHT] = 0.7;
  w[1 + FS_CF_POSITION] = -0.3;
  for (size_t c = 0; c < ncat; c++)
    w[1 + FS_CF_ALL + c] = c % 2 ? 0.25 : -0.125;
  for (size_t f = 0; f < nfam; f++)
    w[1 + FS_CF_ALL + ncat + f] = 0.5 + 0.75 * (double)f;
  fs_context_model *cm = fs_context_model_new(lex);
  INT_EQ(fs_context_model_set(cm, lex, w, 0.4, false), FS_OK);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  INT_EQ(fs_context_model_write(f, cm, "a comment"), FS_OK);
  fclose(f);
  OK(strstr(buf, "\nfamily loaded ") != NULL, "%s", buf);
  fs_context_model *back =
      fs_context_model_parse("c.model", buf, len, lex, &err);
  OK(back != NULL, "%s", err.msg);
  const char *text = "The regime claimed that this outrageous nonsense was "
                     "news. Nonsense, they said.";
  fs_doc *d = fs_doc_analyze(ctx, text, strlen(text), &err);
  fs_context_scratch s = {0};
  INT_EQ(fs_context_scratch_fill(&s, lex, d), FS_OK);
  OK(d->nmatches >= 4, "%zu matches", d->nmatches);
  for (size_t i = 0; back && i < d->nmatches; i++)
    NEAR(fs_context_prob(back, lex, &s, d, i),
         fs_context_prob(cm, lex, &s, d, i), 1e-5);
  /* a family's weight alone: every loaded match has logit 3 */
  const char *fam = "framescore-context 1\nfamily loaded 3\n";
  fs_context_model *fm =
      fs_context_model_parse("f.model", fam, strlen(fam), lex, &err);
  OK(fm != NULL, "%s", err.msg);
  /* a bad value's column counts code points ("café" is 5 bytes) */
  const char *badv = "framescore-context 1\ncategory café x\n";
  fs_context_model *bm =
      fs_context_model_parse("b.model", badv, strlen(badv), lex, &err);
  OK(bm == NULL, "a weight 'x' was accepted");
  fs_context_model_free(bm);
  INT_EQ(err.line, 2);
  INT_EQ(err.col, 15);
  OK(strstr(err.msg, "expected a number") != NULL, "%s", err.msg);
  long loaded = fs_lexicon_category_find(lex, "loaded.emotive");
  size_t seen = 0;
  for (size_t i = 0; fm && i < d->nmatches; i++)
    if (d->matches[i].category == (uint32_t)loaded) {
      seen++;
      NEAR(fs_context_prob(fm, lex, &s, d, i), 1 / (1 + exp(-3.0)), 1e-9);
    }
  INT_EQ(seen, 1);
  /* names the lexicons lack: categories first, then families */
  bool is_family = true;
  size_t n = 0;
  INT_EQ(fs_context_model_unknown_name(back, lex, &is_family, &n) == NULL, 1);
  INT_EQ(n, 0);
  const char *unk = "framescore-context 1\nfamily nosuch 2\nfamily loaded 1\n"
                    "category loaded.nosuch 1\ncategory loaded.emotive 1\n"
                    "category label.gone 0\n";
  fs_context_model *um =
      fs_context_model_parse("u.model", unk, strlen(unk), lex, &err);
  OK(um != NULL, "%s", err.msg);
  const char *name =
      um ? fs_context_model_unknown_name(um, lex, &is_family, &n) : NULL;
  STR_EQ(name ? name : "(none)", "loaded.nosuch");
  INT_EQ(is_family, 0);
  INT_EQ(n, 2); /* loaded.nosuch and the family nosuch; label.gone weighs 0 */
  fs_context_model_free(um);
  fs_context_model_free(fm);
  fs_context_scratch_free(&s);
  fs_doc_free(d);
  fs_context_model_free(back);
  fs_context_model_free(cm);
  free(buf);
  free(w);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

/* The probability aggregates of a sentence: the highest word
 * probability, the mean of the three highest (of fewer words: of those),
 * log(1 + their sum); tokens that are not words never count. */
static void test_tagagg_probs(void) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  const char *text = "Critics sneered, and the mayor ranted!";
  fs_doc *d = fs_doc_analyze(ctx, text, strlen(text), &err);
  OK(d != NULL, "%s", err.msg);
  double prob[32] = {0}, out[FS_TAGAGG_N];
  uint8_t tag[FS_TAGLV_N * 32] = {0};
  static const double pw[6] = {0.1, 0.9, 0.2, 0.05, 0.3, 0.8};
  size_t words = 0;
  for (size_t k = 0; k < d->ntokens && k < 32; k++)
    if (d->tokens[k].kind == FS_TOK_WORD)
      prob[k] = pw[words++ % 6];
    else
      prob[k] = 0.99; /* punctuation: never read */
  INT_EQ((long)words, 6);
  tag[1 * d->ntokens + 1] = 1; /* "sneered", tagged at level 1 */
  fs_model_tagagg(d, tag, prob, 0, d->ntokens, out);
  NEAR(out[0], 0, 1e-12);
  NEAR(out[1], log1p(1), 1e-12);
  NEAR(out[FS_TAGLV_N], 0.9, 1e-12);
  NEAR(out[FS_TAGLV_N + 1], (0.9 + 0.8 + 0.3) / 3, 1e-12);
  NEAR(out[FS_TAGLV_N + 2], log1p(0.1 + 0.9 + 0.2 + 0.05 + 0.3 + 0.8), 1e-12);
  /* two words: the mean of both; no words: zeros */
  fs_model_tagagg(d, tag, prob, 0, 3, out);
  NEAR(out[FS_TAGLV_N], 0.9, 1e-12);
  NEAR(out[FS_TAGLV_N + 1], (0.9 + 0.1) / 2, 1e-12);
  fs_model_tagagg(d, tag, prob, 2, 3, out);
  for (size_t i = 0; i < FS_TAGAGG_N; i++)
    NEAR(out[i], 0, 1e-12);
  OK(!strcmp(fs_model_tagagg_name(FS_TAGLV_N), "max") &&
         !strcmp(fs_model_tagagg_name(FS_TAGLV_N + 1), "top3") &&
         !strcmp(fs_model_tagagg_name(FS_TAGLV_N + 2), "sum") &&
         !fs_model_tagagg_name(FS_TAGAGG_N),
     "aggregate names");
  fs_doc_free(d);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

int main(void) {
  gsl_set_error_handler_off();
  test_lr_reference();
  test_lr_penalties();
  test_folds();
  test_trainer();
  test_groups();
  test_word_prior();
  test_affix_key();
  test_affixes();
  test_ngram_keys();
  test_char_ngrams();
  test_word_vectors();
  test_shape();
  test_tagger_features();
  test_context_file();
  test_tagagg_probs();
  DONE();
}
