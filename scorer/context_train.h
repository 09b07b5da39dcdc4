/* SPDX-License-Identifier: GPL-3.0-or-later */
/* context_train.h - learning a context model from annotated documents
 * (annotated.h): one row per lexicon match an evaluation uses, L2
 * logistic regression (GSL BFGS2, as train.h), K-fold cross-validation by
 * article with each fold's threshold chosen on its training folds. */
#ifndef FS_CONTEXT_TRAIN_H
#define FS_CONTEXT_TRAIN_H

#include "annotated.h"
#include "context.h"

#define FS_CONTEXT_MAX_FOLDS 64

typedef struct fs_context_result {
  size_t docs[FS_ANNOT_KINDS]; /* articles, sentences */
  size_t rows, positives;      /* matches used, marked by annotators */
  long folds;
  fs_prf base[FS_ANNOT_KINDS]; /* every match kept (no context model) */
  fs_prf cv[FS_ANNOT_KINDS];   /* pooled out-of-fold */
  double roc_auc; /* of out-of-fold match probabilities against the labels */
  double fold_threshold[FS_CONTEXT_MAX_FOLDS];
  double threshold; /* the final model's, on every document */
  double task_threshold[FS_ANNOT_KINDS]; /* each kind's own (-1: none) */
  bool all_converged;
  fs_context_model *model; /* fitted on every document */
} fs_context_result;

/** Cross-validates and fits a context model on the documents of a
 * (folds by article, seeded), each row of a sentence with biased words
 * counted words_weight (>= 1) times in the fits; the threshold maximises
 * the mean of span and word F1 over the kinds present, and each kind gets
 * its own best threshold too (task_threshold; eval uses that one). With
 * second, a sentence stage is stacked on it (context.h; fitted on
 * out-of-fold first-stage probabilities, cross-validated nested). Returns
 * FS_OK, FS_ERR_INPUT (too few articles: err says so) or FS_ERR_NOMEM. */
int fs_context_train(fs_annot *a, const fs_lexicon *lex, double lambda,
                     long words_weight, long folds, unsigned long seed,
                     bool second, fs_context_result *r, fs_error *err);
void fs_context_result_free(fs_context_result *r);

#endif
