/* SPDX-License-Identifier: GPL-3.0-or-later */
/* annotated.h - annotated documents held for learning: articles with gold
 * spans (the propaganda techniques corpus) and sentences with gold biased
 * words (BABE), grouped by article for K-fold cross-validation, and their
 * span or word F1 under whatever the documents carry (a context model's
 * probabilities, a span tagger's tags). Used by context_train.c and
 * tagger.c. */
#ifndef FS_ANNOTATED_H
#define FS_ANNOTATED_H

#include "eval.h"
#include "intern.h"
#include "internal.h"

enum { FS_ANNOT_SPANS, FS_ANNOT_WORDS, FS_ANNOT_KINDS };

typedef struct fs_annot_doc {
  fs_doc *d;  /* owned */
  char *text; /* owned: the document's bytes */
  int kind;   /* FS_ANNOT_* */
  fs_gold_span *gold;
  size_t ngold;
  char *wbuf; /* gold words (FS_ANNOT_WORDS), NUL-separated */
  char **words;
  size_t nwords;
  uint32_t group; /* article */
  int fold;
} fs_annot_doc;

/* What predicts at span and word level (as `eval` does): techniques and
 * their model dimensions; word-level dimensions. */
typedef struct fs_annot_setup {
  const fs_model *m;
  const char *const *techniques;
  const size_t *span_dims;
  size_t ntech;
  const size_t *word_dims;
  size_t nword;
  size_t phrase;
  int voice;
  bool all;     /* every match is a candidate (a context model of scope all) */
  bool content; /* word level: kept matches predict their content words
                   only (fs_word_eval_content_words) */
} fs_annot_setup;

typedef struct fs_annot {
  fs_annot_setup s;
  fs_annot_doc *docs;
  size_t n, cap;
  fs_intern groups;
  size_t nkind[FS_ANNOT_KINDS]; /* documents of each kind */
} fs_annot;

void fs_annot_init(fs_annot *a, const fs_annot_setup *s);
void fs_annot_free(fs_annot *a);

/** Adds an analysed article (d and text become owned by a, also on
 * failure) with its gold spans (copied) and its group. Returns FS_OK or
 * FS_ERR_NOMEM. */
int fs_annot_add_article(fs_annot *a, fs_doc *d, char *text,
                         const fs_gold_span *gold, size_t ngold,
                         const char *group);
/** Adds an analysed sentence (d and text owned) with its gold words
 * (copied). */
int fs_annot_add_sentence(fs_annot *a, fs_doc *d, char *text,
                          const char *const *words, size_t nwords,
                          const char *group);

/** Assigns groups (articles) to k folds, shuffled with the seed. Returns
 * FS_OK, FS_ERR_INPUT (fewer groups than folds) or FS_ERR_NOMEM. */
int fs_annot_folds(fs_annot *a, long k, unsigned long seed);

/* Which documents a score covers. */
enum { FS_ANNOT_ALL, FS_ANNOT_IN_FOLD, FS_ANNOT_OUT_OF_FOLD };

/** Span (partial-credit, all techniques) and word F1, precision and recall
 * of the chosen documents, as they now are. prf[kind] is zero for a kind
 * without documents. Returns FS_OK or FS_ERR_NOMEM. */
int fs_annot_score(const fs_annot *a, int which, int fold,
                   fs_prf prf[FS_ANNOT_KINDS]);

/** The mean F1 over the kinds that have documents. */
double fs_annot_mean_f1(const fs_annot *a, const fs_prf prf[FS_ANNOT_KINDS]);

/** The threshold of a grid (grid[0..n)) with the best mean F1 on the
 * documents chosen by (which, fold), each point applied by set(user, t)
 * before scoring; ties keep the lower point. Returns FS_OK, or
 * FS_ERR_NOMEM when set or the scoring runs out of memory. */
int fs_annot_best_threshold(fs_annot *a, int which, int fold,
                            const double *grid, size_t n,
                            int (*set)(void *user, double t), void *user,
                            double *best);

struct fs_lr_data;
/* Fits an L2 logistic model (train.h: fs_lr_fit) on the rows of x whose
 * document (doc[row]) is outside `fold` (every row when fold < 0), with a
 * tolerance of tol_per_row per row used; w gets x->p + 1 weights.
 * *converged is cleared when the fit did not converge. FS_OK or the fit's
 * status. */
int fs_annot_fit(const fs_annot *a, const struct fs_lr_data *x,
                 const size_t *doc, int fold, double lambda, double tol_per_row,
                 size_t max_iter, double *w, bool *converged);

/** Is token k of the document gold (inside a gold span, or a gold word)? */
bool fs_annot_token_gold(const fs_annot_doc *ad, size_t k);

/** Does doc's match i predict (in a dimension the evaluation uses, and its
 * voice)? */
bool fs_annot_match_used(const fs_annot *a, const fs_annot_doc *ad, size_t i);

#endif
