/* SPDX-License-Identifier: GPL-3.0-or-later */
/* context.h - the context model: the probability that annotators would mark
 * a lexicon match, from features of where it stands that name no corpus
 * word (category, voice, position, neighbours, ...); its file format is in
 * models/README.md. Training is in context_train.c. */
#ifndef FS_CONTEXT_H
#define FS_CONTEXT_H

#include "framescore.h"
#include "internal.h"

#include <stdbool.h>
#include <stdio.h>

/* The dense features of a match, by index; their names are in
 * fs_context_feature_name(). */
enum {
  FS_CF_WEIGHT,         /* the entry's weight */
  FS_CF_QUOTE,          /* in quoted speech */
  FS_CF_NEGATED,        /* a negator within three words before */
  FS_CF_INTENSIFIED,    /* an intensifier right before */
  FS_CF_HEADLINE,       /* in the first paragraph of a document with more */
  FS_CF_SENT_START,     /* the sentence's first word */
  FS_CF_POSITION,       /* word position in the sentence, 0 to 1 */
  FS_CF_CAPITAL,        /* capitalised, not at a sentence start */
  FS_CF_ALL_CAPS,       /* every letter uppercase (two or more) */
  FS_CF_MULTIWORD,      /* words in the match beyond the first */
  FS_CF_NEAR_LOADED,    /* another loaded or label match within 3 words */
  FS_CF_NEAR_ATTRIB,    /* an attribution match within 3 words */
  FS_CF_SENT_MATCHES,   /* log(1 + other scoring matches in the sentence) */
  FS_CF_SENT_DENSITY,   /* scoring matches per word in the sentence */
  FS_CF_SENT_WORDS,     /* log(1 + words in the sentence) */
  FS_CF_ATTRIBUTED,     /* the sentence has an attribution match */
  FS_CF_QUOTE_SENTENCE, /* the sentence holds quoted words */
  FS_CF_SCARE,          /* inside a scare quote */
  FS_CF_PARA_FIRST,     /* in the first sentence of its paragraph */
  FS_CF_EXCLAIM,        /* the sentence has '!' */
  FS_CF_QUESTION,       /* the sentence has '?' */
  FS_CF_REPEATS,        /* log(1 + other matches of the entry in the doc) */
  FS_CF_EVENT,          /* an event-vocabulary entry */
  FS_CF_DOC_DENSITY,    /* scoring matches per 100 words in the document */
  FS_CF_N,
  /* context-model features only (the span tagger's x: features are the
   * ones above): fs_context_features_all() */
  FS_CF_SINGLE = FS_CF_N, /* the text is one sentence (a sentence list's
                             row, as BABE's) */
  FS_CF_SINGLE_QUOTE,     /* in quoted speech, in a one-sentence text */
  FS_CF_SUFFIX_LY,        /* the match's last word ends in -ly (an adverb) */
  FS_CF_SUFFIX_ADJ,  /* ... in an adjective suffix (-ous, -ive, -ful, ...) */
  FS_CF_SUFFIX_IST,  /* ... in -ist(s), -ism(s) (a stance noun) */
  FS_CF_SUFFIX_VERB, /* ... in -ed, -ing, -ize(d) (a verb form) */
  FS_CF_SUFFIX_NOUN, /* ... in -tion, -ment, -ness, -ity (an abstract noun) */
  FS_CF_ALL
};

/** The name of dense feature i < FS_CF_ALL ("weight", "quote", ...). */
const char *fs_context_feature_name(size_t i);

/** The dense features of match `i` of a document: x[0..FS_CF_N). `sw` is
 * scratch from fs_context_scratch() for the same document. */
typedef struct fs_context_scratch {
  uint32_t *sent_words;   /* [sentences] words */
  uint32_t *sent_scoring; /* [sentences] scoring matches */
  uint8_t *sent_flags;    /* [sentences] 1 attributed, 2 quoted, 4 '!', 8 '?' */
  uint32_t *word_pos;     /* [tokens] word index within its sentence */
  uint32_t *para_first;   /* [tokens] 1: in its paragraph's first sentence */
  uint32_t *entry_count;  /* [entries + 1] matches of each entry */
  uint32_t *cum_words;    /* [tokens + 1] words before each token */
  uint8_t *fam_bit;       /* [families] the bit a neighbour of it sets */
  size_t nsent, cap[8];
  size_t doc_words, doc_scoring;
  uint32_t sent_base;  /* the document's (a window's first sentence) */
  size_t paragraphs;   /* the whole document's */
  const uint8_t *near; /* [matches] or NULL: neighbours beyond the document
                          (a window's, in the windows beside it) */
  /* the matches in order of their first token (as analysis leaves them),
   * and the most tokens one spans: the neighbour scan stops at the first
   * match too far away on each side */
  bool sorted;
  uint32_t longest;
  /* NULL, or log1p(i) for i < nlog1p, as fs_context_features() takes it of
   * its counts (a caller that fills many documents keeps one) */
  const double *log1p;
  size_t nlog1p;
} fs_context_scratch;

/** Fills the scratch for document d (analysed with a context on lex).
 * Returns FS_OK or FS_ERR_NOMEM. */
int fs_context_scratch_fill(fs_context_scratch *s, const fs_lexicon *lex,
                            const fs_doc *d);
void fs_context_scratch_free(fs_context_scratch *s);
void fs_context_features(const fs_context_scratch *s, const fs_lexicon *lex,
                         const fs_doc *d, size_t i, double *x);
/** The same and the context model's own: x[0..FS_CF_ALL). */
void fs_context_features_all(const fs_context_scratch *s, const fs_lexicon *lex,
                             const fs_doc *d, size_t i, double *x);

typedef struct fs_context_model fs_context_model;

/** A model with every weight 0 (probability 1/2 everywhere) for a
 * lexicon's categories and families; training fills it. NULL when out of
 * memory. */
fs_context_model *fs_context_model_new(const fs_lexicon *lex);
void fs_context_model_free(fs_context_model *cm);

/** Reads a context model file; NULL with err (file:line:col) on failure.
 * Category and family names the lexicon lacks are kept and ignored. */
fs_context_model *fs_context_model_load(const char *path, const fs_lexicon *lex,
                                        fs_error *err);
/** Parses model text (name for messages). */
fs_context_model *fs_context_model_parse(const char *name, const char *data,
                                         size_t len, const fs_lexicon *lex,
                                         fs_error *err);

/** A category or family that cm weighs (a non-zero `category` or `family`
 * line) and lex lacks, or NULL; *n (when n is not NULL) is set to how many
 * such names cm has, categories and families. Such a weight never applies
 * (no match has that category), so it changes no probability; it says the
 * model was trained with other lexicons, whose categories the loaded ones
 * may weigh otherwise. The name is cm's: valid while cm lives. */
const char *fs_context_model_unknown_name(const fs_context_model *cm,
                                          const fs_lexicon *lex, bool *family,
                                          size_t *n);

/** Weights, by column of the training design: [0] intercept, [1..FS_CF_ALL]
 * dense features, then one per lexicon category, then one per family. */
size_t fs_context_model_columns(const fs_lexicon *lex);
/* all: the scope (every match may predict when kept; else only those of
 * the evaluated dimensions) */
/* Returns FS_OK or FS_ERR_NOMEM. The model must come from
 * fs_context_model_new(lex). */
int fs_context_model_set(fs_context_model *cm, const fs_lexicon *lex,
                         const double *w, double threshold, bool all);
double fs_context_model_threshold(const fs_context_model *cm);

/* The tasks a model may carry a threshold of its own for (`threshold spans
 * T`, `threshold words T`): eval --spans, eval --words. */
enum { FS_CONTEXT_TASK_SPANS, FS_CONTEXT_TASK_WORDS, FS_CONTEXT_TASKS };
/** Sets the threshold of a task (t < 0: none, the model's threshold). */
void fs_context_model_set_task_threshold(fs_context_model *cm, int task,
                                         double t);
/** The task's threshold, or the model's when the file gives none. */
double fs_context_model_task_threshold(const fs_context_model *cm, int task);
/** `words content`: at word level (eval --words), a kept match predicts
 * only its words that are not English function words
 * (fs_word_eval_content_words). Off (`words all`) unless the file says
 * so. */
void fs_context_model_set_content_words(fs_context_model *cm, bool content);
bool fs_context_model_content_words(const fs_context_model *cm);

/* ---- the sentence stage (`second` lines; train --context --sentence-stage)
 * A second logistic pass gives each match of a named category (the model
 * has a non-zero `category` weight for it: the categories it was trained
 * on, its peers) a new probability from its first-stage probability and
 * those of the other peers of its sentence: */
enum {
  FS_C2_LOGIT,  /* logit of its first-stage probability (clamped to +-10) */
  FS_C2_TOP,    /* it is its sentence's most probable peer (first of ties) */
  FS_C2_MAX,    /* the largest first-stage probability of the other peers */
  FS_C2_SUM,    /* log(1 + the other peers' probabilities summed) */
  FS_C2_ABOVE,  /* log(1 + other peers at 0.5 or more) */
  FS_C2_SINGLE, /* the text is one sentence (as FS_CF_SINGLE) */
  FS_C2_N
};
/** The name of sentence-stage feature i < FS_C2_N ("logit", ...). */
const char *fs_context_second_name(size_t i);
/** Is match category c a peer (named with a non-zero weight)? */
bool fs_context_model_peer(const fs_context_model *cm, size_t c);
/** The sentence-stage features of every match of d from its first-stage
 * probabilities d->ctx_prob: x[i * FS_C2_N + k]; a match that is not a
 * peer gets zeros. x holds d->nmatches * FS_C2_N. `single`: whether the
 * text is one sentence (< 0: d read whole says). FS_OK or FS_ERR_NOMEM. */
int fs_context_second_features(const fs_context_model *cm, const fs_doc *d,
                               int single, double *x);
/** Sets the sentence stage: v[0] the intercept, v[1..FS_C2_N] the
 * weights; v NULL removes it. */
void fs_context_model_set_second(fs_context_model *cm, const double *v);
bool fs_context_model_has_second(const fs_context_model *cm);
/** Replaces each peer's first-stage probability in d->ctx_prob by the
 * sentence stage's (a model without one leaves them); `single` as for
 * fs_context_second_features(). fs_context_apply() calls it. FS_OK or
 * FS_ERR_NOMEM. */
int fs_context_second_apply(const fs_context_model *cm, fs_doc *d, int single);

/** Writes the model; `comment` lines (may be NULL) first as # lines.
 * Returns FS_OK or FS_ERR_IO. */
int fs_context_model_write(FILE *out, const fs_context_model *cm,
                           const char *comment);

/* ---- a long document read in windows (window.c) ----
 * Some features look across the document: how often the match's entry
 * occurs (repeats), the document's density of scoring matches, whether it
 * has more than one paragraph (headline), and the matches within NEAR words,
 * which may be in the window before or after. A first reading of the
 * windows gathers them (fs_context_whole_add, in order), and the second
 * gives each window the probabilities of the document read whole
 * (fs_context_apply_window). */
typedef struct fs_context_edge {
  uint8_t idx;   /* match index from the window's start (head) or end (tail,
                    1 = the last) */
  uint8_t words; /* words between it and that edge */
  uint8_t bits;  /* 1 loaded or label, 2 attribution */
} fs_context_edge;
#define FS_CONTEXT_EDGE 17 /* matches looked at either side (neighbours) */
typedef struct fs_context_window {
  fs_context_edge head[FS_CONTEXT_EDGE], tail[FS_CONTEXT_EDGE];
  uint8_t nhead, ntail;
  size_t nmatches;
} fs_context_window;
typedef struct fs_context_whole {
  uint32_t *entry_count; /* [entries + 1] */
  size_t doc_words, doc_scoring, paragraphs;
  fs_context_window *win;
  size_t nwin, cap;
} fs_context_whole;
/** Adds the next window of the first reading. FS_OK or FS_ERR_NOMEM. */
int fs_context_whole_add(fs_context_whole *w, const fs_lexicon *lex,
                         const fs_doc *win);
/** fs_context_apply for window k (0-based) of the second reading, with
 * the whole document's features from w. FS_OK or FS_ERR_NOMEM. */
int fs_context_apply_window(const fs_context_model *cm, const fs_lexicon *lex,
                            const fs_context_whole *w, size_t k, fs_doc *win,
                            bool reweight);
/** Gives scratch s, filled for window k (0-based) of the second reading,
 * the whole document's quantities from w (entry counts, density,
 * paragraphs) and the neighbours beyond the window's edges, written to
 * near ([win->nmatches + 1], the caller's; s points to it until it is
 * filled again). FS_OK, or FS_ERR_USAGE when win is not the first
 * reading's window k. */
int fs_context_scratch_whole(fs_context_scratch *s, const fs_lexicon *lex,
                             const fs_context_whole *w, size_t k,
                             const fs_doc *win, uint8_t *near);
void fs_context_whole_free(fs_context_whole *w);

/** The probability of match i (scratch filled for d). */
double fs_context_prob(const fs_context_model *cm, const fs_lexicon *lex,
                       const fs_context_scratch *s, const fs_doc *d, size_t i);

/** Computes every match's probability into the document (see
 * fs_doc_context_prob()) with the model's threshold; when reweight is
 * true, each match's weight becomes its weight times its probability and
 * the summed weights and loaded score are recounted (counts are
 * unchanged). Returns
 * FS_OK or FS_ERR_NOMEM. Thread-safe for distinct documents. */
int fs_context_apply(const fs_context_model *cm, const fs_lexicon *lex,
                     fs_doc *d, bool reweight);

/** Match i's probability (1 when no context model was applied). */
double fs_doc_context_prob(const fs_doc *d, size_t i);
/** Does match i pass the context model (always, without one)? */
bool fs_doc_context_keeps(const fs_doc *d, size_t i);

#endif
