/* SPDX-License-Identifier: GPL-3.0-or-later */
/* train.h - learning a logistic framing model from labelled texts: features
 * from the lexicon categories and stems of each text, L2-regularised
 * logistic regression minimised with GSL's BFGS2, stratified K-fold
 * cross-validation with thresholds chosen on training folds only. */
#ifndef FS_TRAIN_H
#define FS_TRAIN_H

#include "framescore.h"
#include "model.h"

#include <stdbool.h>

/* A sparse design matrix in compressed rows; the intercept is implicit. */
typedef struct fs_lr_data {
  size_t n, p;   /* rows, feature columns */
  size_t *row;   /* [n + 1] offsets into col/val */
  uint32_t *col; /* column of each stored value */
  double *val;
  double *y; /* [n] labels, 0 or 1 */
  double *pen; /* [p] or NULL: each column's L2 penalty is lambda * pen[j]
                  (pen[j] > 0; not freed by fs_lr_data_free: the caller's) */
} fs_lr_data;

void fs_lr_data_free(fs_lr_data *x);

typedef struct fs_lr_info {
  size_t iterations;
  double loss;      /* penalised negative log-likelihood at the solution */
  double grad_norm; /* Euclidean norm of its gradient */
  bool converged;   /* grad_norm fell below the tolerance */
} fs_lr_info;

/**
 * Fits an L2-regularised logistic regression on the rows `rows[0..nrows)`
 * of x (all rows when rows is NULL): minimises
 *   sum_i [log(1 + exp(z_i)) - y_i z_i] + lambda/2 * sum_{j>=1} w_j^2,
 *   z_i = w_0 + sum_j x_ij w_j
 * (the intercept w_0 is not penalised) with gsl_multimin's vector_bfgs2,
 * stopping when the gradient norm is below `tol` or after max_iter
 * iterations. With x->pen the penalty of w_j is lambda/2 * pen_j * w_j^2,
 * and the minimiser (and the tolerance) works on w_j * sqrt(pen_j). w has p + 1 entries (w[0] the intercept) and receives the
 * solution. Returns FS_OK (see info->converged) or FS_ERR_NOMEM.
 * Reentrant: no state outside its arguments.
 */
int fs_lr_fit(const fs_lr_data *x, const size_t *rows, size_t nrows,
              double lambda, double tol, size_t max_iter, double *w,
              fs_lr_info *info);

/** The fitted probability of row i. */
double fs_lr_predict(const fs_lr_data *x, size_t i, const double *w);

/* ---- training from labelled texts ---------------------------------------- */

typedef struct fs_train_opts {
  double lambda;      /* L2 penalty */
  long folds;         /* cross-validation folds (>= 2) */
  unsigned long seed; /* fold assignment */
  long min_df;        /* stems in at least this many training texts */
  int voice;          /* FS_VOICE_* or FS_VOICES: tokens that count */
  int unit;           /* FS_UNIT_*: how report applies the model */
  const char *name;   /* dimension name in the model */
  const char *about;  /* its description, or NULL */
  bool pairs;         /* also pairs of consecutive stems (min_df applies) */
  bool nb;            /* stem and pair penalties from naive Bayes ratios */
  /* context aggregates under this context model (bound to the trainer's
   * lexicon; the caller's, kept while the trainer runs), or NULL */
  const struct fs_context_model *cm;
  /* > 0: a stem's penalty is divided by 1 + word_prior * (share of the
   * fitting texts holding it where it was among the marked words) */
  double word_prior;
  /* > 0: also the first and last affix_min..affix_max characters of each
   * word longer than them (prefix:, suffix: features; min_df applies) */
  int affix_min, affix_max;
  /* the shape: features of each text (fs_model_shape) after the context
   * aggregates, penalised as the categories */
  bool shape;
  /* the tagger: aggregates (fs_model_tagagg) after the shape features:
   * the tags of a span tagger (tagger.h, L2 lambda 1, min-df 2, its
   * threshold by tagger_folds-fold cross-validation) trained on the words
   * marked in the texts (fs_trainer_add_row), nested: in each fold of the
   * cross-validation one trained on the other folds' texts tags the
   * fold's texts; those out-of-fold tags are every text's features, and
   * the final model embeds a tagger trained on every text. tag_setup says
   * what the tagger's threshold is chosen for (the word dimensions);
   * tag_ctx is the trainer's context, writable: the tagger keeps buffers
   * in it. */
  bool tagger;
  const struct fs_annot_setup *tag_setup;
  fs_ctx *tag_ctx;
  /* the context aggregates (cm) count every scoring match, as before
   * session 29, not only the framing ones (fs_model_ctxagg) */
  bool ctx_all;
  /* the folds of each tagger's own cross-validation (its threshold), 2 to
   * 100; 0: FS_TRAIN_TAGGER_FOLDS */
  long tagger_folds;
  /* which tagger: aggregates are columns (FS_TAGAGG_* bits of model.h;
   * 0: FS_TAGAGG_COUNTS, the three threshold levels) */
  unsigned tagger_aggs;
  /* > 0: also the character n-grams of ngram_min..ngram_max code points
   * of each word marked "<word>" (ngram: features, fs_model_ngrams; min_df
   * and nb apply as to stems) */
  int ngram_min, ngram_max;
  /* > 0 and not 1: the n-gram columns' penalties times 1 / ngram_scale^2
   * (as if their values were ngram_scale under the common penalty) */
  double ngram_scale;
  /* non-NULL: also vector: features (model.h) from these word vectors (the
   * caller's, kept while the trainer runs): the pools in vector_pools
   * (FS_VPOOL_* bits; 0: FS_VPOOL_MEAN), each column standardised on the
   * fitting rows and times vector_scale (<= 0: 1), which under the common
   * penalty weighs them as --ngram-scale does n-grams; vector_words is the
   * rows read of the vectors' file (0: all), for the model's vectors line */
  const struct fs_word_vectors *wv;
  unsigned vector_pools;
  double vector_scale;
  size_t vector_words;
  size_t vector_skip; /* the pools leave out the words among the file's
                         first vector_skip rows (its most frequent) */
  /* with tagger and wv: the nested taggers take the vectors too (their v=
   * features, scale 1: tagger.h), and the embedded tagger's lines record
   * the vectors' digest and dim (no path); the result's model has its
   * tagger bound to wv (fs_model_bind_tagger_vectors, not owned): keep wv
   * while it scores */
  bool tagger_vectors;
  /* > 0: each word's vector in the pools weighted vector_sif / (vector_sif
   * + p(word)), p by Zipf's law from its row, and the mean divided by the
   * weights' sum (SIF; model.h) */
  double vector_sif;
} fs_train_opts;

/* The nested tagger's folds by default (train --tagger-folds). */
#define FS_TRAIN_TAGGER_FOLDS 3

/* Results of one cross-validation fold. */
typedef struct fs_train_fold {
  size_t n, positives;
  double threshold; /* chosen on the fold's training part */
  double tp, fp, fn, tn;
  double precision, recall, f1, roc_auc;
  size_t features;
} fs_train_fold;

typedef struct fs_train_result {
  size_t n, positives;
  size_t ncats, nstems;  /* features of the final model */
  size_t npairs;         /* of them pair features (counted in nstems too) */
  size_t naffixes;       /* of them affix features (counted in nstems too) */
  size_t nngrams;        /* of them n-gram features (counted in nstems too) */
  size_t nvectors;       /* vector: features (not in nstems) */
  size_t ngroups;        /* cross-validation groups (0: folds by text) */
  fs_train_fold *folds;  /* [folds] */
  double *oof;           /* [n] out-of-fold probabilities */
  double tp, fp, fn, tn; /* pooled over folds, each at its threshold */
  double precision, recall, f1, accuracy, roc_auc, pr_auc;
  double f1_mean, f1_sd; /* across folds */
  double threshold;      /* the final model's: best F1 on oof */
  fs_lr_info final_info;
  bool all_converged;
  fs_model *model; /* the trained model (caller frees) */
  double tagger_f1; /* opts.tagger: the final tagger's own cross-validated
                       word F1 */
} fs_train_result;

typedef struct fs_trainer fs_trainer;

/** A trainer for texts analysed with ctx (single-threaded: stems are read
 * through it). NULL when out of memory. */
fs_trainer *fs_trainer_new(const fs_ctx *ctx, const fs_train_opts *o);
void fs_trainer_free(fs_trainer *t);
/** Adds one analysed text with its label (0 or 1). Returns FS_OK or
 * FS_ERR_NOMEM. The document may be freed afterwards. */
int fs_trainer_add(fs_trainer *t, const fs_doc *d, int label);
/** The same, with the text's cross-validation group (len bytes; NULL or
 * empty: a group of its own) and the words annotators marked in it (NULL
 * or none: no marks; see fs_train_opts.word_prior). Once any text has a group, the folds keep
 * each group's texts together (stratified by class as far as the groups
 * allow): sentences of one article, say, are never split between fitting
 * and testing. */
int fs_trainer_add_row(fs_trainer *t, const fs_doc *d, int label,
                       const char *group, size_t len,
                       const char *const *words, size_t nwords);
/** Runs the cross-validation and fits the final model on every text.
 * Fills *r (free with fs_train_result_free()). Returns FS_OK, FS_ERR_INPUT
 * (too few texts of a class for the folds: err says so) or FS_ERR_NOMEM. */
int fs_trainer_run(fs_trainer *t, fs_train_result *r, fs_error *err);
void fs_train_result_free(fs_train_result *r);

/** Writes the cross-validation summary: text, csv or jsonl. */
void fs_render_train(FILE *out, const fs_train_result *r,
                     const fs_train_opts *o, const char *format);

#endif
