/* SPDX-License-Identifier: GPL-3.0-or-later */
/* terms.h - keyness of stems (or surface forms) per outlet: counts, rates,
 * document frequency, log-odds with an informative Dirichlet prior, G2,
 * chi-square, PMI, Fisher, Benjamini-Hochberg q. */
#ifndef FS_TERMS_H
#define FS_TERMS_H

#include "framescore.h"
#include "stats.h"

#include <stdbool.h>

typedef struct fs_terms_row {
  uint32_t a, b; /* outlet ids; b == FS_NONE: the rest */
  uint32_t term; /* stem id (or form id with surface) in the context */
  double count_a, count_b, rate_a, rate_b; /* rates per 1,000 words */
  size_t docs_a, docs_total_a, docs_b, docs_total_b;
  double log_odds, z, p, q; /* Monroe et al. log-odds; q = BH of p */
  double g2, g2_p, g2_q, chi2, chi2_p, pmi, fisher_p;
} fs_terms_row;

struct fs_terms;
/* Receives the kept rows of each comparison in turn, z descending. */
typedef void (*fs_terms_emit_fn)(void *user, const struct fs_terms *t,
                                 const fs_terms_row *r);

typedef struct fs_terms_opts {
  const char *pair[2];
  long min_count;   /* total count across the corpus */
  bool lexicon_only;
  long top; /* > 0: keep only the N most distinctive terms per comparison
               (q-values still count every term) */
  /* set: rows go to emit as each comparison is done, and t->rows stays
   * empty, so memory holds one comparison, not every outlet's */
  fs_terms_emit_fn emit;
  void *emit_user;
  /* [term] or NULL: terms that become no row (stop words); their counts
   * still count in every total and q-value */
  const bool *skip;
} fs_terms_opts;

/* Where what the terms know stands with one analysing context: the merged
 * ids of the context's forms and stems it has learned so far. */
typedef struct fs_vocab_mark {
  size_t forms, stems;
} fs_vocab_mark;

typedef struct fs_terms_source {
  uint32_t *form, *stem; /* the context's id -> merged id */
  size_t nforms, nstems, forms_cap, stems_cap;
} fs_terms_source;

struct fs_terms_names; /* the merged vocabulary (terms.c) */

typedef struct fs_terms {
  const fs_ctx *ctx; /* for fs_terms_add */
  fs_vocab_mark mark; /* what fs_terms_add has taken of ctx */
  int voice; /* FS_VOICE_AUTHOR, FS_VOICE_QUOTE or FS_VOICES */
  bool surface;
  struct fs_terms_names *names;
  fs_terms_source *sources;
  size_t nsources;
  char **outlets;
  size_t noutlets;
  uint32_t **count, **docfreq; /* [outlet][term] */
  double *outlet_tokens;
  size_t *outlet_docs;
  uint32_t *last_doc; /* [term]: last document that counted it */
  size_t cap, nterms, ndocs;
  uint32_t *form_count; /* [merged form id] */
  size_t form_count_cap, nforms_seen;
  double *prior; /* [term] prior counts from --prior, or NULL */
  double prior_total;
  bool *in_lex;  /* [term] */
  uint32_t *top; /* [term * 3] most frequent forms */
  fs_terms_row *rows; /* by comparison, then z descending */
  size_t nrows;
} fs_terms;

void fs_terms_init(fs_terms *t, const fs_ctx *ctx, int voice, bool surface);
/** Counts the words of one analysed document (made by t's context, which
 * is source 0 of fs_terms_add_from). */
int fs_terms_add(fs_terms *t, const char *outlet, const fs_doc *d);

/* Counting documents analysed by many contexts (one per thread): the thread
 * that analysed a document takes what its context learned for it with
 * fs_vocab_take, and fs_terms_add_from maps the context's ids to merged ids.
 * Merged ids follow the order in which documents are added, so documents
 * added in corpus order give the same ids, and the same output, for any
 * number of contexts. */
typedef struct fs_vocab_delta fs_vocab_delta;
/** Copies the forms and stems ctx learned since *mark and moves the mark
 * (a mark starts zeroed); NULL when out of memory. Release with free(). */
fs_vocab_delta *fs_vocab_take(const fs_ctx *ctx, fs_vocab_mark *mark);
/** Counts a document analysed by context number `source` (0, 1, ...),
 * with the vocabulary its context learned up to it; each source's deltas must come in the order they were taken.
 * FS_ERR_USAGE when v does not follow the source's previous delta. */
int fs_terms_add_from(fs_terms *t, size_t source, const fs_vocab_delta *v,
                      const char *outlet, const fs_doc *d);
/* A long document read in windows (window.c) counts its words as they
 * come, by the ids of the context that analysed it, and adds them at once
 * with fs_terms_add_bag: memory holds the document's distinct words, not
 * its tokens. */
typedef struct fs_term_bag_slot {
  uint32_t count, stem; /* a form's tokens, and its stem's id */
} fs_term_bag_slot;
struct fs_term_bag_own;
typedef struct fs_term_bag {
  int voice;              /* as fs_terms.voice */
  fs_term_bag_slot *slot; /* [context form id] */
  size_t cap;
  uint32_t *seen; /* the forms counted, as first met */
  size_t nseen, seen_cap;
  size_t numbers;  /* number tokens (words, not terms) */
  uint32_t *words; /* after fs_term_bag_finish: nseen (form, count, stem) */
  /* fs_term_bag_add_ctx: the document's own vocabulary (by string), and
   * words and seen in its ids instead of a context's */
  struct fs_term_bag_own *own;
} fs_term_bag;
void fs_term_bag_init(fs_term_bag *b, int voice);
/** Counts the words of a window (or document) w, analysed by the context
 * whose vocabulary deltas go with the bag to fs_terms_add_bag. FS_OK or
 * FS_ERR_NOMEM. */
int fs_term_bag_add(fs_term_bag *b, const fs_doc *w);
/** Counts the words of a window w analysed by ctx, which may be another
 * context for each window (a long document's windows analysed on several
 * threads, each with a context of its own): the bag keeps every form of
 * the windows' tokens by its string, in the order first met, so that
 * fs_terms_add_bag gives the words the merged ids they would have had had
 * one context analysed the windows in order (the same output for any
 * number of threads). Windows come in document order; ctx is read, not
 * kept past the call but as a key while the bag is filled (each context
 * must outlive the filling). Not to be mixed with fs_term_bag_add on one
 * bag. FS_OK or FS_ERR_NOMEM. */
int fs_term_bag_add_ctx(fs_term_bag *b, const fs_ctx *ctx, const fs_doc *w);
/** After the last window: keeps the counts compact (nothing more can be
 * added). FS_OK or FS_ERR_NOMEM. */
int fs_term_bag_finish(fs_term_bag *b);
void fs_term_bag_free(fs_term_bag *b);
/** fs_terms_add_from for a document whose words b holds: the same counts
 * as adding the document read whole. v is the delta of the context that
 * read the document (with fs_term_bag_add_ctx, the one whose deltas
 * source gives; its forms are learnt after the bag's own). */
int fs_terms_add_bag(fs_terms *t, size_t source, const fs_vocab_delta *v,
                     const char *outlet, const fs_term_bag *b);
/** Reads prior counts: lines "term<TAB>count" (or comma); the term is a
 * stem (or a lowercased form with surface). Call after the last add. */
int fs_terms_set_prior(fs_terms *t, const char *data, size_t len,
                       const char *file, fs_error *err);
int fs_terms_run(fs_terms *t, const fs_terms_opts *o, fs_error *err);
void fs_terms_free(fs_terms *t);
/** The term's string (stem or form). */
const char *fs_terms_name(const fs_terms *t, uint32_t term);
/** Writes "form count; form count" for a stem's most frequent forms. */
size_t fs_terms_forms(const fs_terms *t, uint32_t term, char *buf,
                      size_t cap);
/** Renders rows (top N per comparison when top > 0): text, csv or jsonl.
 * Text shows 20 per comparison when top is 0. */
int fs_render_terms(FILE *out, const fs_terms *t, const char *format,
                    long top);
/** The same for rows as fs_terms_opts.emit receives them: the csv header
 * (nothing for jsonl), then one row at a time; FS_ERR_USAGE for text. */
int fs_render_terms_header(FILE *out, const char *format);
void fs_render_terms_row(FILE *out, const fs_terms *t, const char *format,
                         const fs_terms_row *r);

/** The id of a term (a stem, or a lowercased form with surface) of the
 * counted documents, or FS_NONE. */
uint32_t fs_terms_find(const fs_terms *t, const char *s, size_t len);

/* Finding the counted terms in documents analysed again (a second pass over
 * the corpus, as terms --format html makes for the hits it shows): per
 * analysing context, its ids -> the terms' ids. New words are not added. */
typedef struct fs_terms_lookup fs_terms_lookup;
/** NULL when out of memory; free with fs_terms_lookup_free. t must outlive
 * it. */
fs_terms_lookup *fs_terms_lookup_new(const fs_terms *t);
/** Takes what context `source` learned (fs_vocab_take, the deltas of each
 * source in order, starting from a zeroed mark); FS_ERR_USAGE when v does
 * not follow the source's previous delta, FS_ERR_NOMEM. */
int fs_terms_lookup_learn(fs_terms_lookup *l, size_t source,
                          const fs_vocab_delta *v);
/** The term id of a word token of a document analysed by `source`, or
 * FS_NONE (not a word, or a word the counted documents did not have). */
uint32_t fs_terms_lookup_token(const fs_terms_lookup *l, size_t source,
                               const fs_token *tk);
void fs_terms_lookup_free(fs_terms_lookup *l);

#endif
