/* SPDX-License-Identifier: GPL-3.0-or-later */
/* eval.h - measuring validity against annotated corpora: span level
 * (propaganda techniques corpus: exact and SemEval-2020 partial-overlap
 * precision/recall/F1), word level (biased words: token P/R/F1) and
 * sentence level (labelled sentences: ROC AUC, PR AUC, F1 at thresholds
 * chosen on training folds), with per-category and per-entry precision. */
#ifndef FS_EVAL_H
#define FS_EVAL_H

#include "framescore.h"
#include "model.h"

#include <stdbool.h>

/* ---- binary classification metrics --------------------------------------- */

/** Area under the ROC curve of scores against labels y (0/1): the
 * probability that a random positive scores above a random negative, ties
 * counting one half (Mann-Whitney). NAN without both classes. */
double fs_eval_roc_auc(const double *score, const double *y, size_t n);

/** Area under the precision-recall curve as average precision:
 * sum over distinct thresholds (high to low) of (R_k - R_{k-1}) P_k, as
 * scikit-learn's average_precision_score. NAN without positives. */
double fs_eval_pr_auc(const double *score, const double *y, size_t n);

/** The threshold with the highest F1 when "score >= threshold" predicts
 * positive: the midpoint between the lowest score predicted positive and
 * the next lower distinct score. Writes that F1 to *f1 (may be NULL).
 * Returns NAN when n is 0 or there are no positives. */
double fs_eval_best_threshold(const double *score, const double *y, size_t n,
                              double *f1);

typedef struct fs_prf {
  double tp, fp, fn, tn;
  double precision, recall, f1; /* 0 when undefined (as the PTC scorer) */
} fs_prf;

/** Precision, recall and F1 from counts. */
fs_prf fs_eval_prf(double tp, double fp, double fn, double tn);
/** Counts of "score >= threshold" against y. */
fs_prf fs_eval_at(const double *score, const double *y, size_t n,
                  double threshold);

/* ---- spans
 * -------------------------------------------------------------------- */

/* [begin, end) in code points. */
typedef struct fs_span {
  size_t begin, end;
} fs_span;

/** Sorts spans and merges those that share a code point, as the official
 * SemEval-2020 Task 11 scorer merges overlapping gold spans. Returns the new
 * count. */
size_t fs_span_merge(fs_span *s, size_t n);

/* Accumulators for span precision and recall over many articles. */
typedef struct fs_span_score {
  double npred, ngold;          /* spans, after merging */
  double p_credit, r_credit;    /* partial-overlap credit */
  double p_exact, r_exact;      /* exactly equal spans */
  double precision, recall, f1; /* partial overlap */
  double exact_precision, exact_recall, exact_f1;
} fs_span_score;

/** Adds one article: pred and gold merged and sorted. Partial credit
 * (Da San Martino et al. 2019, SemEval-2020 Task 11 SI scorer): each
 * predicted span s earns sum_t |s & t| / |s| toward precision, each gold
 * span t earns sum_s |s & t| / |t| toward recall. */
void fs_span_score_add(fs_span_score *a, const fs_span *pred, size_t np,
                       const fs_span *gold, size_t ng);
/** Computes precision, recall and F1 from the sums. */
void fs_span_score_finish(fs_span_score *a);

/** Trims a gold span [begin, end) of leading and trailing spaces, line
 * breaks and . , : ; (the PTC release's own trimming rule) in the article's
 * code points cp[0..ncp). */
void fs_span_trim(fs_span *s, const uint32_t *cp, size_t ncp);

/* ---- annotation files -----------------------------------------------------
 */

/* One gold span of a labels file. */
typedef struct fs_gold_row {
  char id[64];      /* article id */
  size_t technique; /* index into the techniques asked for */
  fs_span span;
} fs_gold_row;

/** Parses a labels file in the propaganda techniques corpus format
 * (article_id<TAB>technique<TAB>begin<TAB>end, or article_id<TAB>begin
 * <TAB>end for the technique "propaganda"; blank lines and CRLF allowed)
 * held in data[0..len), keeping the rows of techniques[0..n). Fills *rows
 * (the caller frees it with free()) and *nrows. On an error returns
 * FS_ERR_INPUT (or FS_ERR_NOMEM) with err = file:line: what, and *rows is
 * NULL: nothing is left to free. */
int fs_eval_read_labels(const char *file, const char *data, size_t len,
                        const char *const *techniques, size_t n,
                        fs_gold_row **rows, size_t *nrows, fs_error *err);

/** Parses a Python-style list of strings (['a', "b's"]; backslash escapes
 * the next byte; an empty or blank cell is no words) into words: pointers
 * into *buf. Returns the count, or -1 when s is not such a list (or out of
 * memory). The caller frees *buf and *words in either case. */
long fs_eval_parse_list(const char *s, char **buf, char ***words);

/* ---- span-level evaluation ----------------------------------------------- */

typedef struct fs_span_eval fs_span_eval;

/** An evaluation of techniques[i] predicted by model dimension dims[i] (its
 * categories with positive weight; matches of voices `voice`). A predicted
 * span is a match with its intensifier and up to `phrase` content words on
 * each side (0: the match alone). NULL when out of memory. The model must
 * be bound to the lexicon the documents use. */
fs_span_eval *fs_span_eval_new(const fs_model *m, const char *const *techniques,
                               const size_t *dims, size_t n, int voice,
                               size_t phrase);
void fs_span_eval_free(fs_span_eval *e);
/** Adds one article: its analysis and its gold spans (technique index into
 * the techniques given, begin, end; trimmed by the caller). gold is sorted
 * and merged in place per technique. Returns FS_OK or FS_ERR_NOMEM. */
typedef struct fs_gold_span {
  size_t technique;
  fs_span span;
} fs_gold_span;
int fs_span_eval_add(fs_span_eval *e, const fs_doc *d, fs_gold_span *gold,
                     size_t ngold);
/** The gold spans of article `id` among rows[0..nrows), with offsets in
 * the code points of text[0..len) (invalid UTF-8 counts as one U+FFFD per
 * maximal invalid sequence), each trimmed by the corpus's rule
 * (fs_span_trim) and kept when not empty, into out (room for nrows); cp is
 * scratch for len + 1 code points. Returns the count. */
size_t fs_eval_article_gold(const char *id, const fs_gold_row *rows,
                            size_t nrows, const char *text, size_t len,
                            fs_gold_span *out, uint32_t *cp);
/** The CSV header shared by every evaluation's rows: section, name, detail
 * and the metric columns (empty where they do not apply). */
void fs_render_eval_csv_header(FILE *out);

/** Renders per-technique and combined scores, the per-category table and
 * the `top` entries with most false and most true positives (all entries in
 * csv/jsonl). */
void fs_render_span_eval(FILE *out, fs_span_eval *e, const char *format,
                         long top);
/** Combined (technique-agnostic) partial-credit F1, after rendering or
 * fs_span_eval_finish(). */
void fs_span_eval_finish(fs_span_eval *e);
const fs_span_score *fs_span_eval_combined(const fs_span_eval *e);

/** Does a match predict for model dimension dim (a category of positive
 * weight, not event vocabulary)? */
bool fs_eval_predicts(const fs_model *m, size_t dim, const fs_match *mt);

/** The tokens [*a, *b) of a match's predicted span (eval --spans): the
 * match, the intensifier right before it and up to `phrase` content words
 * on each side within its sentence. */
void fs_eval_match_tokens(const fs_doc *d, const fs_match *mt, size_t phrase,
                          uint32_t *a, uint32_t *b);
/** Whether token k of d ends a phrase: an English function word (the
 * list fs_eval_match_tokens() stops at), a number or punctuation. */
bool fs_eval_function_word(const fs_doc *d, size_t k);

/* ---- word-level evaluation ----------------------------------------------- */

/** Is the token's folded form one of the gold words or their parts (split
 * at hyphens and spaces)? */
typedef struct fs_tok fs_tok; /* internal.h */
bool fs_eval_gold_word(const fs_doc *d, const fs_tok *t,
                       const char *const *gold, size_t ng);

typedef struct fs_word_eval fs_word_eval;

/** Tokens are predicted biased when a match of a category with positive
 * weight in any of dims[0..n) covers them. */
fs_word_eval *fs_word_eval_new(const fs_model *m, const size_t *dims, size_t n,
                               int voice);
void fs_word_eval_free(fs_word_eval *e);
/** Adds one sentence: gold[0..ngold) are its biased words (case and
 * apostrophes folded; a hyphenated or spaced word marks each part). */
int fs_word_eval_add(fs_word_eval *e, const fs_doc *d, const char *const *gold,
                     size_t ngold);
/** content true: kept matches predict only their words that are not
 * English function words ("of", "that" in a phrase match; the list that
 * stops a span's phrase); false (the default): every word. */
void fs_word_eval_content_words(fs_word_eval *e, bool content);
void fs_render_word_eval(FILE *out, const fs_word_eval *e, const char *format,
                         long top);
fs_prf fs_word_eval_scores(const fs_word_eval *e);

/* ---- sentence-level evaluation ------------------------------------------- */

typedef struct fs_sentence_eval {
  size_t n, positives;
  double roc_auc, pr_auc;
  fs_prf cv; /* pooled over folds, each at a threshold chosen on
                the other folds */
  double cv_f1_mean;
  fs_prf at_model; /* at the model's own threshold (logistic), or NAN */
  double model_threshold;
  long folds;
} fs_sentence_eval;

/** Metrics for scores against labels: thresholds chosen by K-fold
 * cross-validation (stratified, seeded): each fold is classified at the
 * best-F1 threshold of the other folds. model_threshold may be NAN. */
int fs_eval_sentences(const double *score, const double *y, size_t n,
                      long folds, unsigned long seed, double model_threshold,
                      fs_sentence_eval *r);
void fs_render_sentence_eval(FILE *out, const fs_sentence_eval *r,
                             const char *dimension, const char *format);

/** Stratified fold assignment: fold[i] in 0..k-1, positives and negatives
 * shuffled separately with the seed and dealt round-robin. Returns FS_OK or
 * FS_ERR_NOMEM. */
int fs_eval_folds(const double *y, size_t n, long k, unsigned long seed,
                  int *fold);

#endif
