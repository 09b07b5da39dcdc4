/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tagger.h - a span tagger users train on their own annotations: each word
 * token is in a span or not, from the stems of it and its neighbours, the
 * lexicon categories over it and the context features of its match; an L2
 * logistic model (GSL BFGS2); spans are runs of tagged words. The model
 * holds vocabulary (stems of the training texts): it is the user's. */
#ifndef FS_TAGGER_H
#define FS_TAGGER_H

#include "annotated.h"
#include "context.h"
#include "word_vectors.h"

#include <stdio.h>

typedef struct fs_tagger fs_tagger;

void fs_tagger_free(fs_tagger *tg);
/** Reads a tagger file; NULL with err (file:line:col) on failure. */
fs_tagger *fs_tagger_load(const char *path, fs_error *err);
fs_tagger *fs_tagger_parse(const char *name, const char *data, size_t len,
                           fs_error *err);
/** fs_tagger_parse() with feature keys of key_bits bits (64: all, as
 * fs_tagger_parse()); tests narrow them to make names clash, which a
 * tagger file must refuse (a clash would give one feature the weight of
 * another). */
fs_tagger *fs_tagger_parse_keys(const char *name, const char *data, size_t len,
                                unsigned key_bits, fs_error *err);
/** Writes it (# comment lines first). FS_OK or FS_ERR_IO. */
int fs_tagger_write(FILE *out, const fs_tagger *tg, const char *comment);

/** Tags the words of d (analysed with ctx) whose probability reaches the
 * tagger's threshold; evaluations then take spans and words from the tags.
 * ctx keeps hashes of its stems and buffers for the next document (freed
 * by fs_ctx_free()): one thread per context, as for analysing.
 * Returns FS_OK, FS_ERR_NOMEM, or FS_ERR_USAGE for a tagger trained with
 * word vectors that has none yet (fs_tagger_use_vectors()). */
int fs_tagger_apply(const fs_tagger *tg, fs_ctx *ctx, fs_doc *d);

/** fs_tagger_apply(), and p[k] for each token k of d: the probability its
 * tags were made from (0 for tokens that are not words; p has d->ntokens
 * entries, the caller's). Returns FS_OK or FS_ERR_NOMEM. */
int fs_tagger_probabilities(const fs_tagger *tg, fs_ctx *ctx, fs_doc *d,
                            double *p);

/** fs_tagger_apply() for window k (0-based) of a long document read in
 * windows (window.c), with what the features read of the whole document
 * (its density of scoring matches, paragraphs, entry counts and the
 * matches near the window's edges) from the first reading w
 * (fs_context_whole_add): the tags are those of the document read whole,
 * since a sentence never runs across a window's edge. Returns FS_OK,
 * FS_ERR_NOMEM, or FS_ERR_USAGE when win is not w's window k. */
int fs_tagger_apply_window(const fs_tagger *tg, fs_ctx *ctx,
                           const fs_context_whole *w, size_t k, fs_doc *win);

/** A lexicon category that a feature of tg with a nonzero weight names
 * and lex lacks (the tagger was trained with lexicons not loaded now, so
 * those features never fire), or NULL. The name is tg's: valid while tg
 * lives. */
const char *fs_tagger_unknown_category(const fs_tagger *tg,
                                       const fs_lexicon *lex);

typedef struct fs_tagger_result {
  size_t docs[FS_ANNOT_KINDS];
  size_t rows, positives, features;
  long folds;
  fs_prf cv[FS_ANNOT_KINDS]; /* pooled out-of-fold */
  double threshold;
  double anchor_threshold; /* anchored (FS_TAGGER_ANCHOR) */
  bool anchored;
  long cap;     /* the sentence cap (0: none) */
  bool stacked; /* a second stage over sentence aggregates */
  bool all_converged;
  fs_tagger *model;
} fs_tagger_result;

/* How a tagger's tags combine with the lexicon's predictions. */
enum {
  FS_TAGGER_TAGS,  /* its tags alone */
  FS_TAGGER_UNION, /* its tags added to the matches' spans and words */
  FS_TAGGER_ANCHOR /* the matches' spans it does not reject (a word of
                    * the match reaches the anchor threshold), and the
                    * words it tags at its threshold */
};

/** Cross-validates (folds by article, seeded; each fold's thresholds
 * chosen on the other folds' out-of-fold probabilities; the final
 * model's on all of them) and fits a tagger on every document of a,
 * combining as `combine` (FS_TAGGER_*) says.
 * Returns FS_OK, FS_ERR_INPUT (too few articles) or FS_ERR_NOMEM. */
int fs_tagger_train(fs_annot *a, fs_ctx *ctx, double lambda, long folds,
                    unsigned long seed, long min_df, int combine,
                    fs_tagger_result *r, fs_error *err);
void fs_tagger_result_free(fs_tagger_result *r);

/* Span rules an anchored tagger applies after tagging (each off when 0;
 * a tagger file names those it was trained with, and a file without them
 * tags as before). They act in this order on runs of tagged tokens of one
 * sentence. */
typedef struct fs_tagger_rules {
  double extend; /* > 0: an untagged content word right before or after a
                  * run whose probability reaches extend joins it (one
                  * word each side: "brutal attack") */
  bool merge;    /* one function word or punctuation mark between two runs
                  * joins them ("lies and smears") */
  bool trim;     /* a run's leading and trailing function words and
                  * punctuation are untagged */
} fs_tagger_rules;

/** Parses "none" or a comma-separated list of "merge", "trim" and
 * "extend=P" (0 < P < 1) into *r; false (r unchanged) when malformed. */
bool fs_tagger_rules_parse(const char *s, fs_tagger_rules *r);

/** fs_tagger_train() with span rules for an anchored tagger (rules NULL:
 * none, as fs_tagger_train(); ignored unless combine is FS_TAGGER_ANCHOR).
 * The thresholds are chosen with the rules applied. */
int fs_tagger_train_rules(fs_annot *a, fs_ctx *ctx, double lambda, long folds,
                          unsigned long seed, long min_df, int combine,
                          const fs_tagger_rules *rules, fs_tagger_result *r,
                          fs_error *err);

/* Optional token feature families (train --token-features; a tagger
 * file's features line). */
enum {
  FS_TAGGER_F_NEAR2 = 1, /* c2=: the categories two words before and after */
  FS_TAGGER_F_AFFIX = 2  /* p4=, s4=: a word's first and last 4 characters */
};

/** Parses a comma-separated list of the families' names (near2, affix) or
 * "none" from s[0..len) into *f; false (and *f unchanged) when a name is unknown
 * or the list empty. */
bool fs_tagger_features_parse(const char *s, size_t len, unsigned *f);

/* Word classes (train --word-classes FILE): each listed stem's class
 * becomes the token feature k=CLASS, so that a word seen rarely or never
 * in the annotations shares a weight with the words of its class (e.g.
 * clusters of words by their contexts in unlabeled text). */
typedef struct fs_word_classes {
  fs_intern stems; /* the stems; id = row */
  fs_intern names; /* the class names */
  uint32_t *cls;   /* [stems.count] a stem's class (an id of names) */
  size_t cls_cap;
} fs_word_classes;

void fs_word_classes_init(fs_word_classes *wc);
/** Frees what wc holds (not wc); wc may be NULL. */
void fs_word_classes_free(fs_word_classes *wc);
/** Adds a stem (already stemmed) in class name. FS_ERR_INPUT when the
 * stem has another class already, FS_ERR_NOMEM. */
int fs_word_classes_add(fs_word_classes *wc, const char *stem, size_t slen,
                        const char *name, size_t nlen);
/** Where the class name s (n bytes) breaks the rule that it is printable
 * ASCII without spaces (it becomes part of a feature name in the tagger
 * file): the 1-based byte of the first bad byte, or 0 when it is good. */
size_t fs_word_class_name_bad(const char *s, size_t n);
/** Reads lines WORD<TAB>CLASS (# comments, blank lines) from data: each
 * word is stemmed with ctx as a text's tokens are, and its stem added in
 * CLASS (printable ASCII, no spaces). Errors carry name:line:col. */
int fs_word_classes_parse(fs_word_classes *wc, fs_ctx *ctx, const char *name,
                          const char *data, size_t len, fs_error *err);
/** fs_word_classes_parse() of the file at path. */
int fs_word_classes_load(fs_word_classes *wc, fs_ctx *ctx, const char *path,
                         fs_error *err);

/* Options of fs_tagger_train_opts(). */
typedef struct fs_tagger_opts {
  const fs_tagger_rules *rules; /* as fs_tagger_train_rules() (NULL: none) */
  bool stack; /* a second, stacked stage: a logistic model of each word's
               * first-stage probability and its sentence's (highest,
               * second highest, mean, the word's rank, how many words reach
               * 0.5 and 0.25, length), fitted on out-of-fold first-stage
               * probabilities; the thresholds apply to its probabilities */
  unsigned features; /* FS_TAGGER_F_*: optional token feature families */
  const fs_word_classes *classes; /* k= features (NULL or empty: none);
                                   * the tagger keeps a copy */
  long cap;   /* > 0: at most cap tagged words per sentence (the most
               * probable); < 0: chosen with the threshold from 0 (none),
               * 1, 2, 3, 4, 6 (not anchored); 0: none */
  /* train --word-vectors: each word's pretrained vector (of its folded
   * form, L2-normalised, times vector_scale) as real-valued features
   * v=0 .. v=dim-1 (NULL: none). The tagger records vectors_path, the
   * dimension and the digest, and must be applied with the same vectors
   * (fs_tagger_use_vectors()); wv must outlive the trained tagger. */
  const fs_word_vectors *vectors;
  const char *vectors_path; /* recorded in the tagger file (no tab or
                             * newline) */
  double vector_scale;      /* <= 0: 1 */
} fs_tagger_opts;

/** The vectors file a tagger was trained with (its path as recorded), or
 * NULL when it uses none. Valid while tg lives. */
const char *fs_tagger_vectors_path(const fs_tagger *tg);
/** Whether tg was trained with word vectors: then *digest and *dim get
 * the FNV-1a digest and the components of the vectors it applies with. */
bool fs_tagger_vectors_needed(const fs_tagger *tg, uint64_t *digest,
                              unsigned *dim);
/** Gives tg (trained with word vectors) the vectors it applies with: they
 * must have the recorded dimension and digest. FS_OK; FS_ERR_INPUT with
 * err saying what differs; FS_ERR_USAGE when tg uses no vectors. wv must
 * outlive tg's use. Until it is called, such a tagger's fs_tagger_apply()
 * returns FS_ERR_USAGE. */
int fs_tagger_use_vectors(fs_tagger *tg, const fs_word_vectors *wv,
                          fs_error *err);

/** Tests: with on, tagging in ctx hashes every feature's name and probes
 * the tagger's table (the path the gathered weights must equal bit for
 * bit); off (the default), the weights ctx keeps per tagger. */
void fs_tagger_keyed(fs_ctx *ctx, bool on);
/** Tests: interns into names every feature name tg's token features give
 * the word tokens of d (and its sentence model's, when tg is stacked).
 * FS_OK or FS_ERR_NOMEM. */
int fs_tagger_feature_names(const fs_tagger *tg, fs_ctx *ctx, const fs_doc *d,
                            fs_intern *names);

/** fs_tagger_train_rules() with the options of opts (NULL: none). */
int fs_tagger_train_opts(fs_annot *a, fs_ctx *ctx, double lambda, long folds,
                         unsigned long seed, long min_df, int combine,
                         const fs_tagger_opts *opts, fs_tagger_result *r,
                         fs_error *err);

/** The cell of best mean F1 over a window: f1[i * stride + j] for i <
 * rows, j < cols is the F1 at the i-th anchor and j-th word threshold;
 * each cell is scored by the mean over the cells within hr rows and hc
 * columns of it (those inside the table), and *bi, *bj get the first
 * cell of the highest mean (row by row). With hr = hc = 0 it is the
 * plain arg max. */
void fs_tagger_smoothed_best(const double *f1, size_t rows, size_t cols,
                             size_t stride, long hr, long hc, size_t *bi,
                             size_t *bj);

#endif
