/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_eval.c - evaluation metrics on tiny fixed inputs checked by hand (and
 * by tests/ref/model_refs.py): ROC AUC with ties, average precision, the
 * best-F1 threshold, span merging, trimming, exact and partial-overlap
 * credit, and word-level scores on an analysed sentence. */
#include "eval.h"
#include "harness.h"
#include "model.h"

#include <gsl/gsl_errno.h>
#include <stdlib.h>

static void test_binary(void) {
  double s[] = {0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.4, 0.3, 0.1};
  double y[] = {1, 1, 0, 1, 0, 1, 0, 0, 1, 0};
  /* 17.5 of 25 positive-negative pairs ordered right (ties: one half) */
  NEAR(fs_eval_roc_auc(s, y, 10), 0.7, 1e-12);
  NEAR(fs_eval_pr_auc(s, y, 10), 0.70873015873015877, 1e-12);
  double f1;
  NEAR(fs_eval_best_threshold(s, y, 10, &f1), 0.2, 1e-12);
  NEAR(f1, 0.7142857142857143, 1e-12);
  fs_prf c = fs_eval_at(s, y, 10, 0.65); /* 0.9 0.8 0.8 0.7 predicted */
  INT_EQ(c.tp, 3);
  INT_EQ(c.fp, 1);
  INT_EQ(c.fn, 2);
  INT_EQ(c.tn, 4);
  NEAR(c.precision, 0.75, 1e-12);
  NEAR(c.recall, 0.6, 1e-12);
  NEAR(c.f1, 2 * 0.75 * 0.6 / 1.35, 1e-12);
  /* one class only: undefined */
  double ones[] = {1, 1};
  OK(isnan(fs_eval_roc_auc(s, ones, 2)), "AUC without negatives");
  double zeros[] = {0, 0};
  OK(isnan(fs_eval_pr_auc(s, zeros, 2)), "AP without positives");
  /* perfect ranking */
  double s2[] = {3, 2, 1}, y2[] = {1, 1, 0};
  NEAR(fs_eval_roc_auc(s2, y2, 3), 1.0, 1e-12);
  NEAR(fs_eval_pr_auc(s2, y2, 3), 1.0, 1e-12);
  NEAR(fs_eval_best_threshold(s2, y2, 3, &f1), 1.5, 1e-12);
  NEAR(f1, 1.0, 1e-12);
}

static void test_spans(void) {
  fs_span s[] = {{10, 20}, {0, 5}, {15, 25}, {5, 8}, {30, 30}};
  size_t n = fs_span_merge(s, 5);
  /* [0,5) and [5,8) touch but share no code point: kept apart; the empty
   * span is dropped */
  INT_EQ(n, 3);
  INT_EQ(s[0].begin, 0);
  INT_EQ(s[0].end, 5);
  INT_EQ(s[1].begin, 5);
  INT_EQ(s[1].end, 8);
  INT_EQ(s[2].begin, 10);
  INT_EQ(s[2].end, 25);

  /* predicted [0,10) [20,24) [40,45); gold [5,15) [20,24) [50,60):
   * precision credit: 5/10 + 4/4 + 0 = 1.5 of 3 spans;
   * recall credit: 5/10 + 4/4 + 0 = 1.5 of 3 spans; exact: 1 */
  fs_span pred[] = {{0, 10}, {20, 24}, {40, 45}};
  fs_span gold[] = {{5, 15}, {20, 24}, {50, 60}};
  fs_span_score a = {0};
  fs_span_score_add(&a, pred, 3, gold, 3);
  /* a second article: predicted [0,4), gold [0,2) [3,8):
   * precision 2/4 + 1/4 = 0.75; recall 2/2 + 1/5 = 1.2 */
  fs_span p2[] = {{0, 4}}, g2[] = {{0, 2}, {3, 8}};
  fs_span_score_add(&a, p2, 1, g2, 2);
  fs_span_score_finish(&a);
  INT_EQ(a.npred, 4);
  INT_EQ(a.ngold, 5);
  NEAR(a.precision, (1.5 + 0.75) / 4, 1e-12);
  NEAR(a.recall, (1.5 + 1.2) / 5, 1e-12);
  NEAR(a.f1, 2 * a.precision * a.recall / (a.precision + a.recall), 1e-12);
  NEAR(a.exact_precision, 1.0 / 4, 1e-12);
  NEAR(a.exact_recall, 1.0 / 5, 1e-12);
  /* nothing predicted: zeros, not NAN (as the official scorer) */
  fs_span_score z = {0};
  fs_span_score_add(&z, NULL, 0, gold, 3);
  fs_span_score_finish(&z);
  NEAR(z.precision, 0, 0);
  NEAR(z.recall, 0, 0);
  NEAR(z.f1, 0, 0);

  /* trimming: " bad, " -> "bad" */
  uint32_t cp[] = {'x', ' ', 'b', 'a', 'd', ',', ' ', '.', 'y'};
  fs_span t = {1, 8};
  fs_span_trim(&t, cp, 9);
  INT_EQ(t.begin, 2);
  INT_EQ(t.end, 5);
  fs_span all = {1, 2};
  fs_span_trim(&all, cp, 9);
  OK(all.end <= all.begin, "a span of spaces trims to nothing");
}

/* Span and word evaluation of one analysed sentence with a tiny lexicon. */
static void test_eval_docs(void) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  const char *tsv = "nonsense\tloaded.dismissive\t1\n"
                    "regime\tlabel.pejorative\t1\n"
                    "enemy of the people\tlabel.pejorative\t1\n"
                    "=utterly\tintensifier\t0\n";
  fs_lexicon_load_buffer(lex, "t.tsv", tsv, strlen(tsv), &err);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  const char *mtext = "framescore-model 1\n"
                      "dimension loaded\n  voice all\n  weight loaded.* 1\n"
                      "dimension names\n  voice all\n  weight label.* 1\n";
  fs_model *m = fs_model_parse("t.model", mtext, strlen(mtext), &err);
  fs_model_bind(m, lex, &err);
  /*                0         1         2         3         4
   *                0123456789012345678901234567890123456789012345 */
  const char *s = "The regime spread utterly nonsense claims today.";
  fs_doc *d = fs_doc_analyze(ctx, s, strlen(s), &err);

  const char *tech[] = {"Loaded_Language", "Name_Calling"};
  size_t dims[] = {0, 1};
  /* phrase 0: "utterly nonsense" [18,34) and "regime" [4,10) */
  fs_span_eval *e = fs_span_eval_new(m, tech, dims, 2, FS_VOICES, 0);
  fs_gold_span gold[] = {{0, {18, 41}}, {1, {0, 10}}};
  INT_EQ(fs_span_eval_add(e, d, gold, 2), FS_OK);
  fs_span_eval_finish(e);
  const fs_span_score *c = fs_span_eval_combined(e);
  /* precision: both predicted spans lie inside gold: (1 + 1) / 2;
   * recall: 16/23 + 6/10, over 2 */
  NEAR(c->precision, 1.0, 1e-12);
  NEAR(c->recall, (16.0 / 23 + 6.0 / 10) / 2, 1e-12);
  fs_span_eval_free(e);
  /* phrase 1: each match grows by a content word on each side: "regime
   * spread" [4,17) ("The" is a function word) and "spread utterly nonsense
   * claims" [11,41); they overlap and merge */
  e = fs_span_eval_new(m, tech, dims, 2, FS_VOICES, 1);
  INT_EQ(fs_span_eval_add(e, d, gold, 2), FS_OK);
  fs_span_eval_finish(e);
  c = fs_span_eval_combined(e);
  /* merged prediction [4,41) against gold [0,10) and [18,41):
   * precision (6 + 23) / 37; recall (23/23 + 6/10) / 2 */
  INT_EQ(c->npred, 1);
  NEAR(c->precision, 29.0 / 37, 1e-12);
  NEAR(c->recall, (1.0 + 0.6) / 2, 1e-12);
  fs_span_eval_free(e);

  /* words: gold "nonsense" and "claims"; predicted "regime", "nonsense" */
  const char *words[] = {"nonsense", "claims"};
  fs_word_eval *w = fs_word_eval_new(m, dims, 2, FS_VOICES);
  INT_EQ(fs_word_eval_add(w, d, words, 2), FS_OK);
  fs_prf p = fs_word_eval_scores(w);
  INT_EQ(p.tp, 1);
  INT_EQ(p.fp, 1);
  INT_EQ(p.fn, 1);
  INT_EQ(p.tn, 4);
  NEAR(p.f1, 0.5, 1e-12);
  fs_word_eval_free(w);
  /* a hyphenated gold word marks both parts; case is folded */
  const char *h = "A Brain-Dead idea.";
  fs_doc *d2 = fs_doc_analyze(ctx, h, strlen(h), &err);
  const char *hw[] = {"brain-dead"};
  w = fs_word_eval_new(m, dims, 2, FS_VOICES);
  fs_word_eval_add(w, d2, hw, 1);
  INT_EQ(fs_word_eval_scores(w).fn, 2);
  fs_word_eval_free(w);
  fs_doc_free(d2);
  /* a phrase match predicts each of its words; with content words only
   * (a context model's `words content`), not "of" and "the" */
  const char *en = "They call him an enemy of the people.";
  const char *ew[] = {"enemy", "people"};
  d2 = fs_doc_analyze(ctx, en, strlen(en), &err);
  w = fs_word_eval_new(m, dims, 2, FS_VOICES);
  fs_word_eval_add(w, d2, ew, 2);
  p = fs_word_eval_scores(w);
  INT_EQ(p.tp, 2);
  INT_EQ(p.fp, 2);
  fs_word_eval_free(w);
  w = fs_word_eval_new(m, dims, 2, FS_VOICES);
  fs_word_eval_content_words(w, true);
  fs_word_eval_add(w, d2, ew, 2);
  p = fs_word_eval_scores(w);
  INT_EQ(p.tp, 2);
  INT_EQ(p.fp, 0);
  INT_EQ(p.fn, 0);
  INT_EQ(p.tn, 6);
  NEAR(p.f1, 1.0, 1e-12);
  fs_word_eval_free(w);
  fs_doc_free(d2);

  fs_doc_free(d);
  fs_model_free(m);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

static void test_sentences(void) {
  /* scores that separate the classes perfectly: every fold's threshold
   * classifies its held-out texts right */
  double s[20], y[20];
  for (int i = 0; i < 20; i++) {
    y[i] = i % 2;
    s[i] = y[i] ? 0.6 + i / 100.0 : 0.2 + i / 100.0;
  }
  fs_sentence_eval r;
  INT_EQ(fs_eval_sentences(s, y, 20, 5, 1, 0.5, &r), FS_OK);
  INT_EQ(r.n, 20);
  INT_EQ(r.positives, 10);
  NEAR(r.roc_auc, 1.0, 1e-12);
  NEAR(r.cv.f1, 1.0, 1e-12);
  NEAR(r.at_model.f1, 1.0, 1e-12);
  INT_EQ(fs_eval_sentences(s, y, 20, 5, 1, NAN, &r), FS_OK);
  OK(isnan(r.at_model.f1), "no model threshold");
}

int main(void) {
  gsl_set_error_handler_off();
  test_binary();
  test_spans();
  test_eval_docs();
  test_sentences();
  DONE();
}
