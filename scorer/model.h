/* SPDX-License-Identifier: GPL-3.0-or-later */
/* model.h - framing models: named dimensions as weighted combinations of
 * lexicon categories and stems (linear), or trained logistic regressions;
 * the text format is documented in models/README.md. */
#ifndef FS_MODEL_H
#define FS_MODEL_H

#include "framescore.h"
#include "intern.h"

#include <stdbool.h>

enum { FS_DIM_LINEAR, FS_DIM_LOGISTIC };

/* The tagger: aggregates of a sentence (or document) from a span tagger's
 * tags of its words (train --tagger-features): log(1 + tagged words) with
 * the tagger's threshold halved, as it is, and doubled (the FS_TAGLV_N
 * threshold levels: "counts"); and from its words' probabilities
 * ("probs"): the highest, the mean of the three highest (of fewer words:
 * of those), and log(1 + their sum). */
#define FS_TAGLV_N 3
#define FS_TAGAGG_N 6
/* Which aggregates a model has (fs_train_opts.tagger_aggs): bit i is
 * aggregate i. */
#define FS_TAGAGG_COUNTS 0x07u
#define FS_TAGAGG_PROBS 0x38u

/* Normalisation of a linear dimension. */
enum {
  FS_NORM_PER_1K,       /* per 1,000 words of the voice */
  FS_NORM_PER_SENTENCE, /* per sentence with words in the voice */
  FS_NORM_SHARE,        /* share (%) of the matches of other categories */
  FS_NORM_COUNT         /* raw weighted count */
};

/* Where a logistic dimension is applied in a document. */
enum { FS_UNIT_DOCUMENT, FS_UNIT_SENTENCE };

typedef struct fs_feature {
  char *name;       /* as written: "loaded.*", "scare_quote", "stem:bizarr" */
  bool stem;        /* a stem feature (name after "stem:"), or a pair */
  int ctxagg;       /* 1 + index of a context: aggregate, else 0 */
  int shape;        /* 1 + index of a shape: feature, else 0 */
  int tagagg;       /* 1 + index of a tagger: aggregate, else 0 */
  int vec;          /* 1 + pool * FS_VECTORS_DIM_MAX + component of a
                       vector: feature ("vector:mean:12"), else 0 */
  bool pair;        /* a word-pair feature ("pair:STEM|STEM", kept with the
                       stems under "STEM|STEM") */
  bool affix;       /* a word-affix feature ("prefix:abc", "suffix:ing",
                       kept with the stems under fs_model_affix_key's key) */
  bool ngram;       /* a character n-gram feature ("ngram:<re", kept with
                       the stems under fs_model_ngrams' key) */
  uint32_t stem_id; /* id in the model's stem table */
  uint32_t gidx;    /* index among all stem features of the model */
  double weight;
  long line;
  uint32_t *cats; /* bound category ids the feature covers */
  size_t ncats;
} fs_feature;

/* A line and column (in code points) of a file. */
typedef struct fs_line_pos {
  long line, col;
} fs_line_pos;

typedef struct fs_dimension {
  char *name;
  char *about;  /* "" when absent */
  int kind;     /* FS_DIM_* */
  int voice;    /* FS_VOICE_AUTHOR, FS_VOICE_QUOTE or FS_VOICES (all) */
  int norm;     /* FS_NORM_* (linear) */
  int unit;     /* FS_UNIT_* (logistic) */
  bool weights; /* linear: sum lexicon weights instead of counting matches */
  fs_feature *features;
  size_t nfeatures, features_cap;
  char **share_of; /* FS_NORM_SHARE: denominator category globs */
  size_t nshare;
  double intercept, threshold; /* logistic */
  long line;
  /* bound to a lexicon by fs_model_bind(): */
  bool active;  /* some feature covers a category, or is a stem */
  double *catw; /* linear: [ncats] summed feature weights per category */
  bool *den;    /* share: [ncats] denominator categories */
  /* logistic: an embedded context model (its "context" lines, each line's
   * text after the keyword; NULL without) for the context: features */
  char *context_text;
  size_t context_len, context_cap, nctx_features;
  /* which matches the context: aggregates count: every scoring match
   * (files without a "context_matches" line, train --context-matches all)
   * or the framing ones (fs_model_ctxagg) */
  bool ctx_framing;
  struct fs_context_model *cm; /* bound from context_text */
  size_t nshape_features;      /* shape: features (train --shape) */
  /* logistic: an embedded span tagger (its "tagger" lines, as
   * context_text) for the tagger: features (train --tagger-features) */
  char *tagger_text;
  size_t tagger_len, tagger_cap, ntag_features;
  struct fs_tagger *tg[FS_TAGLV_N]; /* bound from tagger_text, one per
                                      threshold level */
  /* logistic: the word vectors its vector: features pool (train
   * --word-vectors), from its "vectors DIGEST DIM WORDS" line: the file's
   * fs_word_vectors digest, dim and max_words (0: every row) */
  uint64_t vec_digest;
  unsigned vec_dim;
  size_t vec_words;
  size_t vec_skip; /* words among the file's first vec_skip rows (its most
                      frequent) are left out: "vectors ... WORDS SKIP" */
  /* > 0: each word's vector weighted a / (a + p(word)) (SIF): its
   * "vector_sif A" line */
  double vec_sif_a;
  size_t nvec_features;
  long vec_line; /* the vectors line, 0 without */
  /* where each line of context_text and tagger_text starts in the model
   * file, so that an error the embedded parse finds is told at the file's
   * line and column (none for a model made in memory: train) */
  fs_line_pos *context_pos, *tagger_pos;
  size_t ncontext_pos, context_pos_cap, ntagger_pos, tagger_pos_cap;
} fs_dimension;

typedef struct fs_stem_ref {
  uint32_t dim, feature;
} fs_stem_ref;

typedef struct fs_model {
  char *name; /* file the model came from, or a given name */
  fs_dimension *dims;
  size_t ndims, dims_cap;
  fs_intern stems;     /* stem strings of stem features */
  fs_stem_ref *refs;   /* stem features in stem-id order */
  uint32_t *ref_start; /* [nstems + 1] offsets into refs */
  size_t nstem_features; /* stem and pair features */
  size_t npair_features;
  size_t naffix_features;
  size_t nngram_features;
  int ngram_min, ngram_max; /* code points of its ngram: features */
  const fs_lexicon *lex; /* bound lexicon, or NULL */
  size_t ncats;
  /* the word vectors of its vector: features (fs_model_bind_vectors;
   * owned), or NULL */
  struct fs_word_vectors *vectors;
  /* the word vectors its embedded span taggers apply with, when they were
   * trained with them (fs_model_bind_tagger_vectors): owned when
   * tagger_vectors_own, else the caller's (m->vectors, say), or NULL */
  struct fs_word_vectors *tagger_vectors;
  bool tagger_vectors_own;
} fs_model;

/* One dimension's value in one document: value = scale * num / den (NAN when
 * den is 0). For logistic sentence units num counts sentences at or above
 * the threshold and den the sentences scored; prob_sum adds their
 * probabilities. */
typedef struct fs_dim_value {
  double num, den, value, prob_sum;
} fs_dim_value;

/* A document's values of every dimension of a model. */
typedef struct fs_model_scores {
  const fs_model *model;
  fs_dim_value *v; /* [model->ndims] */
} fs_model_scores;

/** Creates an empty model named `name` (copied). NULL when out of memory.
 * Free with fs_model_free(). */
fs_model *fs_model_new(const char *name);
/** Frees a model; NULL is a no-op. */
void fs_model_free(fs_model *m);

/** Parses model text (see models/README.md). `name` is used in messages.
 * Returns the model, or NULL with err = name:line:col: message. */
fs_model *fs_model_parse(const char *name, const char *data, size_t len,
                         fs_error *err);
/** Reads and parses a model file. NULL with err filled on failure. */
fs_model *fs_model_load(const char *path, fs_error *err);

/** Adds a dimension (name copied); returns its index, or -1 when out of
 * memory. Defaults: linear, author voice, per 1,000 words. */
long fs_model_add_dimension(fs_model *m, const char *name, long line);
/** Adds a feature ("stem:STEM", "pair:STEM|STEM", "prefix:AFFIX",
 * "suffix:AFFIX", "context:AGG", "shape:NAME", "tagger:AGG" or a category
 * glob) with a weight to
 * dimension `dim`. Returns FS_OK or FS_ERR_NOMEM. */
int fs_model_add_feature(fs_model *m, size_t dim, const char *name,
                         double weight, long line);

/** Binds the model to a lexicon: resolves category globs to ids. Must be
 * called (again) before scoring with another lexicon; after binding, the
 * model is read-only and may be shared by threads. A dimension whose
 * features cover no category of the lexicon and which has no stem feature
 * is marked inactive. Returns FS_OK or FS_ERR_NOMEM. */
int fs_model_bind(fs_model *m, const fs_lexicon *lex, fs_error *err);

/** Does a category glob ("loaded.*", "label", "scare_quote") cover the
 * category `name`? A glob ending in ".*" covers the family's categories; a
 * bare family name covers the family; otherwise names must be equal. */
bool fs_model_glob_covers(const char *glob, const char *name);

/** Does every active dimension of m score a document from its totals alone
 * (counts and weights per category and voice, words), never from its
 * tokens, but for the denominator of a share dimension (its matches in the
 * denominator's categories, which add up over parts of the document)? Then
 * a document read in windows scores the same from the windows' totals
 * (report --window-bytes): no stem, pair or affix features, no context:,
 * shape: or tagger: features, no logistic sentence units, no per-sentence
 * norm, and no weighted dimension over both voices. */
bool fs_model_reads_totals(const fs_model *m);

/** Scores every dimension on a document analysed by `ctx` (whose lexicon
 * the model is bound to); out has model->ndims elements. Returns FS_OK,
 * FS_ERR_NOMEM, or FS_ERR_USAGE when a span tagger of the model needs word
 * vectors that were not bound (fs_model_bind_tagger_vectors). Thread-safe
 * for distinct ctx/doc. */
int fs_model_score_doc(const fs_model *m, const fs_ctx *ctx, const fs_doc *d,
                       fs_dim_value *out);

/** One continuous score for the whole document taken as one unit: the
 * probability for a logistic dimension, the value for a linear one (0 when
 * undefined). Used for labelled sentences and documents. */
double fs_model_item_score(const fs_model *m, size_t dim, const fs_ctx *ctx,
                           const fs_doc *d);

/* A sparse feature vector: transformed values (logistic) or raw weighted
 * counts (linear) of the features of one dimension on one unit. */
typedef struct fs_sparse {
  uint32_t *idx; /* feature indexes within the dimension */
  double *val;
  size_t n, cap;
  double *cat; /* scratch: per-category counts */
  size_t cat_cap;
  /* the context probabilities of every match of cdoc, for one dimension's
   * context model: valid while x is used for that document and dimension
   * (fs_model_score_doc and fs_model_item_score use a fresh x per call) */
  const fs_doc *cdoc;
  size_t cdim;
  float *cprob;
  size_t cprob_cap;
  /* the embedded tagger's tags of every token of tdoc, for dimension tdim
   * (as cdoc) */
  const fs_doc *tdoc;
  size_t tdim;
  uint8_t *ttag;
  size_t ttag_cap;
  double *tprob; /* its probabilities of every token of tdoc */
  size_t tprob_cap;
  double *vec; /* fs_model_vector_pool's output */
  size_t vec_cap;
} fs_sparse;

/* The context: aggregates of a sentence (or document), over the scoring
 * matches of the voice: the largest context probability, log(1 + their
 * sum), their mean, log(1 + the sum) in the author's voice and in quotes. */
#define FS_CTXAGG_N 5
/** The name after "context:" of aggregate i, NULL past the last. */
const char *fs_model_ctxagg_name(size_t i);
/** Computes the aggregates of the matches starting in tokens [a, b) into
 * out, from prob[match] (the matches' context probabilities). framing:
 * only the matches that weigh in the loaded-language score (an entry of
 * weight 0, such as "said" or a person-flagged label, and event
 * vocabulary are left out); else every scoring match, as before session
 * 29. */
void fs_model_ctxagg(const fs_lexicon *lex, const fs_doc *d, const float *prob,
                     int voice, bool framing, size_t a, size_t b,
                     double out[FS_CTXAGG_N]);

/* The shape: features of a sentence (or document), over all its tokens
 * whatever their voice (train --shape): log(1 + words), the shares of the
 * words after the first that are capitalised, in quoted speech, numbers,
 * joined by a hyphen, and whether it has a scare-quoted word, a '?', a
 * '!'. */
#define FS_SHAPE_N 8
/** The name after "shape:" of shape feature i, NULL past the last. */
const char *fs_model_shape_name(size_t i);
/** Computes the shape features of tokens [a, b) of d into out. */
void fs_model_shape(const fs_doc *d, size_t a, size_t b,
                    double out[FS_SHAPE_N]);

/** The name after "tagger:" of aggregate i, NULL past the last. */
const char *fs_model_tagagg_name(size_t i);
/** Computes the aggregates of tokens [a, b) of d into out, from tag[i *
 * d->ntokens + token] (1: tagged at level i < FS_TAGLV_N) and prob[token]
 * (the tagger's probability; 0 for tokens that are not words). */
void fs_model_tagagg(const fs_doc *d, const uint8_t *tag, const double *prob,
                     size_t a, size_t b, double out[FS_TAGAGG_N]);
/** Parses span tagger text (a tagger file, tagger.h) once per level: the
 * tagger with its threshold times 0.5, 1 and 2 into tg[0..FS_TAGLV_N).
 * FS_OK, or the parse's status with err (named `name`). */
int fs_model_tagger_levels(const char *name, const char *text, size_t len,
                           struct fs_tagger *tg[FS_TAGLV_N], fs_error *err);

void fs_sparse_free(fs_sparse *x);

/* Longest "STEM|STEM" key of a pair feature, with its NUL; longer pairs are
 * no feature (in training and scoring alike). */
#define FS_MODEL_PAIR_MAX 256

/** Writes "STEM1|STEM2" of two stem ids of ctx into buf (cap bytes, NUL
 * included); returns its length, or 0 when it does not fit or a stem is
 * empty. The key of a `pair:` feature. */
size_t fs_model_pair_name(const fs_ctx *ctx, uint32_t s1, uint32_t s2,
                          char *buf, size_t cap);

/* Longest affix of an affix feature, in code points; longer ones are no
 * feature (train --affixes takes at most this). */
#define FS_MODEL_AFFIX_MAX 8

/** Writes the key of the n-code-point prefix (suffix false) or suffix of a
 * lowercased word form (len bytes) into buf (cap bytes, NUL included): a
 * control byte (0x02 prefix, 0x03 suffix, which no word holds) and the
 * affix. Returns its length, or 0 when the word has n code points or fewer
 * (an affix is a proper part of the word), n is outside 1 to
 * FS_MODEL_AFFIX_MAX, or it does not fit. The key of a `prefix:` or
 * `suffix:` feature; train --affixes counts the same. */
size_t fs_model_affix_key(const char *form, size_t len, int n, bool suffix,
                          char *buf, size_t cap);

/* Longest character n-gram of an ngram: feature, in code points with the
 * word-boundary marks (train --char-ngrams takes at most this), and the
 * longest word, in code points, whose n-grams are features. */
#define FS_MODEL_NGRAM_MAX 6
#define FS_MODEL_NGRAM_WORD 64

/** Calls fn(arg, key, len) with the key of each character n-gram of lo to
 * hi code points of a lowercased word form (len bytes) marked "<form>":
 * a control byte (0x04, which no word holds) and the n-gram, NUL ended,
 * once per position (a repeated n-gram comes twice). A word of more than
 * FS_MODEL_NGRAM_WORD code points has none. The keys of `ngram:` features;
 * train --char-ngrams counts the same. Returns the first non-zero value fn
 * returns, else 0. */
int fs_model_ngrams(const char *form, size_t len, int lo, int hi,
                    int (*fn)(void *data, const char *key, size_t len),
                    void *data);

/* The vector: features of a sentence (or document), train --word-vectors:
 * of the words (and numbers) of the voice that the word vectors hold (by
 * their lowercased form; but for the file's first `skip` rows, its most
 * frequent words), each vector scaled to length 1, the mean
 * ("vector:mean:K") and the largest value of each component
 * ("vector:max:K"); all 0 when no word has a vector. */
#define FS_VPOOL_N 2
#define FS_VPOOL_MEAN 0x1u
#define FS_VPOOL_MAX 0x2u
/** The pool name of bit i ("mean", "max"), NULL past the last. */
const char *fs_model_vpool_name(size_t i);
/** Computes both pools of tokens [a, b) of d into out[FS_VPOOL_N *
 * wv->dim] (pool i at out + i * wv->dim). sif_a > 0 weighs each word's
 * unit vector sif_a / (sif_a + p), p its probability by Zipf's law from
 * its row among wv's (SIF), and divides the mean by the weights' sum. */
void fs_model_vector_pool(const struct fs_word_vectors *wv,
                          size_t skip, double sif_a, const fs_ctx *ctx,
                          const fs_doc *d, size_t a, size_t b, int voice,
                          double *out);
/** The vector: feature named s[0..len) ("vector:mean:12": a pool name and
 * a component, 0 to FS_VECTORS_DIM_MAX - 1 without leading zeros): 1 +
 * pool * FS_VECTORS_DIM_MAX + component; 0 when s is no such name. */
int fs_model_vector_feature(const char *s, size_t len);
/** Whether some dimension of m has vector: features, which score only
 * once word vectors are bound (fs_model_bind_vectors). */
bool fs_model_needs_vectors(const fs_model *m);
/** Binds word vectors to m for its vector: features: every dimension that
 * has them must have been trained with vectors of the same digest and dim
 * (else FS_ERR_INPUT, err naming `name`, the vectors' file, and m keeps
 * none). On success m owns wv (allocated with malloc, read with
 * fs_word_vectors_load) and frees it; on failure the caller keeps it. */
int fs_model_bind_vectors(fs_model *m, struct fs_word_vectors *wv,
                          const char *name, fs_error *err);

/** The first dimension of m (bound: fs_model_bind) whose embedded span
 * tagger was trained with word vectors (its `tagger word_vectors DIGEST
 * DIM` line), or NULL; *digest and *dim get what they were. Such a
 * model scores its tagger: features only once the vectors are given
 * (fs_model_bind_tagger_vectors). */
const fs_dimension *fs_model_tagger_vectors(const fs_model *m,
                                            uint64_t *digest, unsigned *dim);
/** Gives every embedded span tagger of m trained with word vectors the
 * vectors wv, which must have their digest and dim (else FS_ERR_INPUT,
 * err naming `name`, the vectors' file, and the model file, and m keeps
 * none of them). On success, with own m frees wv (malloc'd, read with
 * fs_word_vectors_load) with itself; without, wv must outlive m (m's own
 * vectors, when its vector: features read the same rows). A later
 * fs_model_bind gives them to the taggers it makes. On failure the
 * caller keeps wv; after FS_ERR_NOMEM (not FS_ERR_INPUT) some taggers may
 * already point to wv: score nothing with m (fs_model_free does not read
 * wv). */
int fs_model_bind_tagger_vectors(fs_model *m, struct fs_word_vectors *wv,
                                 bool own, const char *name, fs_error *err);

/** Computes the features of dimension `dim` on tokens [a, b) of a document
 * into x (reused; grown as needed), ordered by feature index. For logistic
 * dimensions values are transformed (log1p of category matches, 1 for a
 * stem, pair or affix that occurs). Returns FS_OK, FS_ERR_NOMEM, or
 * FS_ERR_USAGE for tagger: features whose tagger needs word vectors not
 * given yet (fs_model_bind_tagger_vectors). */
int fs_model_features(const fs_model *m, size_t dim, const fs_ctx *ctx,
                      const fs_doc *d, size_t a, size_t b, fs_sparse *x);

/** Writes the model in the text format (round-trips through
 * fs_model_parse()); `comment` (may be NULL) is written as # lines first. */
int fs_model_write(FILE *out, const fs_model *m, const char *comment);

/** Index of the dimension called name, or -1. */
long fs_model_find(const fs_model *m, const char *name);

/** "per 1,000 words", "% of ...", "probability" ...: the unit of a
 * dimension's value, for readers. */
const char *fs_model_unit_label(const fs_dimension *d);
/** The multiplier applied to num / den (1000 for per 1,000 words, 100 for
 * shares, 1 otherwise). */
double fs_model_scale(const fs_dimension *d);
/** Whether num counts whole events (matches or sentences), so that
 * token-level count tests apply. */
bool fs_model_counts(const fs_dimension *d);

/* ---- rendering ----------------------------------------------------------- */

/** Per-document dimension rows as CSV: file, outlet, dimension, kind, voice,
 * unit, num, den, value. */
void fs_render_dimensions_csv_header(FILE *out);
void fs_render_dimensions_csv(FILE *out, const fs_model *m, const char *path,
                              const char *outlet, const fs_dim_value *v);
/** Text section: every document's values and the pooled value per outlet
 * (sum of num over sum of den), from each item's `dims`. */
int fs_render_dimensions_text(FILE *out, const fs_model *m,
                              const fs_report_item *items, size_t n);

#endif
