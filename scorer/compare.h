/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compare.h - outlet comparison: per-document counts per measure (category,
 * family total, loaded-language score), per-outlet rates with bootstrap
 * intervals, tests of each outlet against the rest or a chosen pair. */
#ifndef FS_COMPARE_H
#define FS_COMPARE_H

#include "framescore.h"
#include "stats.h"

#include <stdbool.h>
#include <stdio.h>

enum { FS_MEASURE_CATEGORY, FS_MEASURE_FAMILY, FS_MEASURE_SCORE,
       FS_MEASURE_DIMENSION, FS_MEASURE_DISTINCT };

typedef struct fs_measure {
  char name[128];
  int kind;       /* FS_MEASURE_* */
  uint32_t index; /* category, family or model dimension id */
  double scale;   /* rate = scale * count / denominator (1000: per 1,000) */
  bool counts;    /* counts whole events: token-level tests apply */
} fs_measure;

/* The types a column of the documents' rows is stored as, narrowest
 * first: each holds every value of the ones before it but F32 those of
 * U32. */
enum { FS_COL_U16, FS_COL_U32, FS_COL_F32, FS_COL_F64, FS_COL_TYPES };
#define FS_COL_SHIFT 28
#define FS_COL_INDEX ((1u << FS_COL_SHIFT) - 1)

typedef struct fs_compare_block {
  unsigned char *p;
  size_t cap;   /* bytes */
  size_t width; /* columns of this type in a row */
} fs_compare_block;

/* One document: its outlet. Its numbers are row `i` of the columns (its
 * words in the selected voice(s) among them: fs_compare_doc_words), its
 * name fs_compare_doc_file: a compact row, 4 bytes here. */
typedef struct fs_compare_doc {
  uint32_t outlet;
} fs_compare_doc;

/* q-value slots, one Benjamini-Hochberg family per test. */
enum {
  FS_Q_MWU,
  FS_Q_WELCH,
  FS_Q_PERM,
  FS_Q_BOOT,
  FS_Q_G2,
  FS_Q_CHI2,
  FS_Q_FISHER,
  FS_COMPARE_TESTS
};

/* The bootstrap test over documents is computed only when both sides have
 * at least this many documents: below it, it rejects a true null more
 * often than 5% (bench/null_sim.py: 0.10 to 0.33 at 2 to 5 documents a
 * side, up to 0.07-0.08 at 50 to 100, 0.04-0.07 at 200 to 300), and the
 * permutation test takes its place. */
#define FS_COMPARE_BOOT_MIN_DOCS 200
/* Random relabellings when the permutation test cannot enumerate them all
 * (fs_compare_opts.permutations 0). */
#define FS_COMPARE_PERMUTATIONS 10000
/* Outlets with fewer documents than this get the small-sample warning:
 * percentile bootstrap intervals from so few documents are too narrow and
 * the permutation test cannot reach small p-values. */
#define FS_COMPARE_FEW_DOCS 10

/* One measure for one comparison: outlet a against b (or the rest). Unset
 * statistics are NAN. Rates are per 1,000 words. */
typedef struct fs_compare_row {
  size_t measure;
  uint32_t a, b; /* b == FS_NONE: the rest of the corpus */
  size_t docs_a, docs_b;
  double tokens_a, tokens_b, count_a, count_b;
  double rate_a, rate_a_lo, rate_a_hi, rate_b, rate_b_lo, rate_b_hi;
  double rate_ratio, rr_lo, rr_hi, cohens_h;
  bool doc_tests; /* both sides have at least 2 documents */
  bool boot_test; /* ... and FS_COMPARE_BOOT_MIN_DOCS: the bootstrap test */
  double mwu_u, mwu_p;
  int mwu_method; /* fs_stat_mwu_method */
  double welch_t, welch_df, welch_p;
  /* permutation test of the difference in mean per-document rates, when
   * doc_tests and not boot_test */
  double perm_p, perm_err, perm_min_p;
  int perm_method; /* fs_stat_perm_method */
  double boot_p;
  double g2, g2_p, chi2, chi2_p, fisher_p;
  double q[FS_COMPARE_TESTS];
} fs_compare_row;

typedef struct fs_compare_opts {
  unsigned long seed;
  long bootstrap;        /* iterations for intervals and the bootstrap test */
  const char *pair[2];   /* both NULL: each outlet against the rest */
  int threads;           /* for the tests and the bootstrap (0 or 1: one);
                            the results are the same for any number */
  long permutations;     /* Monte Carlo relabellings of the permutation
                            test (0: FS_COMPARE_PERMUTATIONS) */
} fs_compare_opts;

struct fs_model;

typedef struct fs_compare {
  const fs_lexicon *lex;
  /* optional framing model (bound to lex) whose dimensions are measures
   * too; set both before the first fs_compare_add() */
  const struct fs_model *model;
  const fs_ctx *ctx;
  int voice; /* FS_VOICE_AUTHOR, FS_VOICE_QUOTE or FS_VOICES for both */
  double quote_weight; /* loaded_score under voice author: quoted matches
                          and words at this weight (the lexicon's, or the
                          counts files'); the other voices count at 1 */
  fs_measure *measures;
  size_t nmeasures;
  char **outlets; /* in order of first appearance */
  size_t noutlets, outlets_cap;
  fs_compare_doc *docs;
  size_t ndocs, docs_cap;
  char **files; /* [nfiles] the documents' names (NULL: none), kept only
                   once some document is pushed with one */
  size_t nfiles, files_cap;
  bool drop_names; /* counts files' document names not kept (only
                      --save-counts writes them): set before reading */
  bool borrow_names; /* files[] point to the names fs_compare_add_totals()
                        is given, which the caller keeps until
                        fs_compare_free() (a corpus's): no copies */
  /* The mergeable intermediate of counting: per document a row of `width`
   * numbers (columns): each measure's count (matches, or summed weights for
   * the score), the words, then the denominators of the measures that have
   * their own (the score, model dimensions; the others are per word). Stored
   * compact, as the statistics need it: each column in the narrowest of
   * four types that holds every value it has been given exactly (16- or
   * 32-bit whole numbers, float, double), the columns of a type side by
   * side in that type's block (row-major, blk[t].width a document). Every
   * column starts as 16-bit and moves to a wider type, alone, the first
   * time a value does not fit (fs_compare_set): a count of 70,000 words
   * makes the words column 32-bit, a weighted sum of 14.5 a float, and the
   * other columns stay as they are. col[j] says where column j is (type
   * << FS_COL_SHIFT | index in its block). Read with fs_compare_value. */
  fs_compare_block blk[FS_COL_TYPES];
  size_t width;
  uint32_t *col;
  size_t *den_col; /* per measure: the column of its denominator */
  /* results of fs_compare_run() */
  fs_stat_interval *ci; /* [outlet * nmeasures + measure], per 1,000 */
  fs_compare_row *rows; /* measure-major */
  size_t nrows;
  fs_stat_kruskal_result *kw; /* per measure, across all outlets */
  double *kw_q;
  size_t kw_outlets; /* outlets with 2+ documents in Kruskal-Wallis */
  bool small_sample; /* some comparison has a side with < 2 documents */
  bool few_docs;     /* some outlet has < FS_COMPARE_FEW_DOCS documents */
  bool boot_shown;   /* some row has the bootstrap test */
  bool perm_mc;      /* some row's permutation test is Monte Carlo */
  /* Story-relative framing (compare_distinct.c): per document its
   * author-voice matches of the entries that can add to the loaded-language
   * score, as slots (slot_entry: the lexicon entry, nentries for scare
   * quotes; slot_weight: its weight as written), kept compact as varints
   * (ent: per document its author-voice words, how many slots, then each
   * slot's gap from the previous and its matches). fs_compare_run turns
   * them into the measure distinctive_score (FS_MEASURE_DISTINCT, last)
   * when every document has them and there are 2+ outlets. */
  uint32_t *slot_entry, *entry_slot; /* entry_slot: per lexicon entry
                                        (nentries + 1), FS_NONE: none */
  double *slot_weight;
  size_t nslots;
  bool entries;       /* documents carry their entry counts */
  unsigned char *ent; /* the documents' entries, in document order */
  size_t ent_len, ent_cap, ent_last, ent_docs;
  uint32_t *ent_tmp; /* the last document's (slot, matches) pairs */
  size_t ent_tmp_cap;
  /* the distinctive measures fs_compare_add_distinct appended (measures
   * dist_first .. dist_first + ndist - 1): distinctive_score, then one per
   * model dimension with scored entries (distinctive_NAME); dist_w[m * nslots
   * + s] is measure m's weight of slot s (m 0: slot_weight) */
  double *dist_w;
  size_t ndist, dist_first;
  const char *distinct_dims_note; /* why there are no dimension rows */
  double distinct_prior; /* words (< 0: FS_DISTINCT_PRIOR) */
  const char *distinct_note; /* why there is no distinctive row, or NULL */
  /* relabellings of distinctive_score's permutation tests (re-estimating
   * the factors each time); capped: fewer than asked, for the work bound */
  size_t distinct_draws;
  bool distinct_capped;
} fs_compare;

/* distinctive_score tallies matches per outlet and scored entry in a dense
 * table: up to this many cells (128 MB); beyond, no distinctive_score
 * (fs_compare.distinct_note says so). */
#define FS_COMPARE_DISTINCT_CELLS ((size_t)1 << 24)
/* distinctive_score's permutation tests visit at most this many
 * entry-document pairs per set of relabellings (draws x pairs; about 30 s
 * at 7 ns a pair): fewer draws than asked beyond it, and no test when
 * fewer than FS_COMPARE_DISTINCT_MIN_DRAWS would remain. */
#define FS_COMPARE_DISTINCT_WORK ((size_t)1 << 32)
#define FS_COMPARE_DISTINCT_MIN_DRAWS 200
/* The relabellings of a permutation test run in blocks of this many, each
 * from its own random stream (seed, test, block): any number of threads
 * takes the blocks, the output stays the same. */
#define FS_COMPARE_DISTINCT_BLOCK 250
/* Threads for the statistics, at most. */
#define FS_COMPARE_MAX_THREADS 64

/* Runs fn(arg + t * size) for t < n, on n - 1 new threads and this one (all
 * on this one when a thread cannot be started); n <= FS_COMPARE_MAX_THREADS. */
void fs_compare_run_workers(void *(*fn)(void *), void *arg, size_t size,
                            size_t n);

/* Column j of a document's row. */
static inline double fs_compare_value(const fs_compare *c, size_t doc,
                                      size_t j) {
  uint32_t x = c->col[j];
  const fs_compare_block *b = &c->blk[x >> FS_COL_SHIFT];
  size_t at = doc * b->width + (x & FS_COL_INDEX);
  switch (x >> FS_COL_SHIFT) {
  case FS_COL_U16:
    return ((const uint16_t *)(const void *)b->p)[at];
  case FS_COL_U32:
    return ((const uint32_t *)(const void *)b->p)[at];
  case FS_COL_F32:
    return ((const float *)(const void *)b->p)[at];
  default:
    return ((const double *)(const void *)b->p)[at];
  }
}

/* Stores x as column j of document doc's row (doc < ndocs), moving the
 * column to a wider type first when x does not fit its own (exactly).
 * FS_OK or FS_ERR_NOMEM (the rows unchanged). */
int fs_compare_set(fs_compare *c, size_t doc, size_t j, double x);

/* Appends a 16-bit column of zeros to the first n rows (index
 * blk[FS_COL_U16].width before the call: the caller points a col[] at it).
 * FS_OK or FS_ERR_NOMEM (the rows unchanged). */
int fs_compare_col_zeros(fs_compare *c, size_t n);

/* A document's words in the selected voice(s) (the column after the
 * measures' counts), and its name or NULL. */
static inline double fs_compare_doc_words(const fs_compare *c, size_t doc) {
  return fs_compare_value(c, doc, c->nmeasures);
}
static inline const char *fs_compare_doc_file(const fs_compare *c,
                                              size_t doc) {
  return doc < c->nfiles ? c->files[doc] : NULL;
}

/* A document's count and denominator for measure k. */
static inline double fs_compare_count(const fs_compare *c, size_t doc,
                                      size_t k) {
  return fs_compare_value(c, doc, k);
}
static inline double fs_compare_den(const fs_compare *c, size_t doc,
                                    size_t k) {
  return fs_compare_value(c, doc, c->den_col[k]);
}

/* Sets width and den_col once the measures are known (dimensions have their
 * own denominator), and, while no rows are stored, every column as 16-bit.
 * Returns FS_OK or FS_ERR_NOMEM. */
int fs_compare_layout(fs_compare *c);

/* The id of outlet `name` ("(none)" when empty or NULL), added when new;
 * FS_NONE when out of memory. */
uint32_t fs_compare_outlet(fs_compare *c, const char *name);

/* Appends a document: counts[k] and den[k] per measure (den[k] must be the
 * words unless measure k is a dimension). Takes file (may be NULL). */
int fs_compare_push(fs_compare *c, char *file, uint32_t outlet, double words,
                    const double *counts, const double *den);

void fs_compare_init(fs_compare *c, const fs_lexicon *lex, int voice);
/** Builds the measures and their layout from the lexicon and model, when
 * not yet done (the first fs_compare_add does it too). FS_OK or
 * FS_ERR_NOMEM. */
int fs_compare_measures(fs_compare *c);
/** Records one analysed document of `outlet`; file names it in the counts
 * file (may be NULL). Both are copied. */
int fs_compare_add(fs_compare *c, const char *file, const char *outlet,
                   const fs_doc *d);
struct fs_dim_value;
/** fs_compare_add with the model's dimensions of d already scored (by
 * fs_model_score_doc with the context that analysed d, on the thread that
 * analysed it; NULL: scored here with c->ctx, which must have analysed
 * d). */
int fs_compare_add_scored(fs_compare *c, const char *file, const char *outlet,
                          const fs_doc *d, const struct fs_dim_value *scored);

/** fs_compare_add_scored for a document's totals (a long document read in
 * windows: window.c): d has stats and counts but no matches; entry_n
 * [nentries + 1] its author-voice matches by entry, the last scare quotes
 * (fs_window_sum.entry_n; NULL: d's matches). */
int fs_compare_add_totals(fs_compare *c, const char *file, const char *outlet,
                          const fs_doc *d, const struct fs_dim_value *scored,
                          const size_t *entry_n);

/* ---- story-relative framing (compare_distinct.c) ---- */

/** Entry slots from c->lex: each entry (and scare quotes) that adds to the
 * loaded-language score with a non-zero weight; documents added from then
 * on carry their entries. FS_OK or FS_ERR_NOMEM. */
int fs_compare_entries_from_lexicon(fs_compare *c);
/** Entry slots given (a counts file's): nslots weights, copied; entry ids
 * unknown. FS_OK or FS_ERR_NOMEM. */
int fs_compare_entries_given(fs_compare *c, const double *weight,
                             size_t nslots);
/** The entries of the document pushed last: author_words, and k pairs
 * (slot, matches) in slot order (pairs[2 * i], pairs[2 * i + 1]). FS_OK
 * or FS_ERR_INPUT (a slot out of range, a zero count: bad data). */
int fs_compare_push_entries(fs_compare *c, double author_words,
                            const uint32_t *pairs, size_t k);
/** Records the entries of an analysed document (its author-voice
 * matches), after its row (fs_compare_add does it). FS_OK or
 * FS_ERR_NOMEM. */
int fs_compare_entries_of(fs_compare *c, const fs_doc *d);
/** fs_compare_entries_of from the document's author-voice matches counted
 * by entry (entry_n [nentries + 1], the last scare quotes). */
int fs_compare_entries_counted(fs_compare *c, const fs_doc *d,
                               const size_t *entry_n);
/** The pairs of the last document recorded from an analysed document
 * (fs_compare_add): *pairs (owned by c, valid until the next call) and
 * their number. */
size_t fs_compare_last_entries(fs_compare *c, const uint32_t **pairs);
/** Forgets every document's rows and entries (count: one at a time). */
void fs_compare_drop_docs(fs_compare *c);
/** Adds the measure distinctive_score from the documents' entries (when
 * every document has them and there are 2+ outlets; else sets
 * distinct_note), and with a model bound to c->lex distinctive_NAME for
 * each linear author-voice per-1,000 dimension NAME that weighs some slot
 * (its categories' weights times the entries' as report's per-dimension
 * distinctive scores). Called by fs_compare_run. FS_OK or FS_ERR_NOMEM. */
int fs_compare_add_distinct(fs_compare *c);
/** The distinctive measures' tests, after the rows' (fs_compare_run): a
 * permutation test per row that re-estimates the outlet factors under
 * each relabelling of the documents (statistic: the difference of the two
 * sides' rates), and over all outlets the same for their spread
 * (sum_o W_o (rate(o) - overall)^2) into c->kw[k].p (NAN: none). Seeded
 * from o->seed in blocks of FS_COMPARE_DISTINCT_BLOCK relabellings, on
 * o->threads threads (the same result for any number); frees the entries.
 * FS_OK or FS_ERR_NOMEM. */
int fs_compare_distinct_tests(fs_compare *c, const fs_compare_opts *o);

/** Writes the per-document counts (counts_csv.c): one CSV row per document and
 * measure, columns file,outlet,voice,measure,kind,scale,token_tests,words,
 * count,den. Returns FS_OK or FS_ERR_IO. */
int fs_compare_write_counts(FILE *out, const fs_compare *c);

struct fs_intern;

/** Reads a counts file held in data and adds its documents; the first file
 * read sets the measures and voice, later ones must have the same. `seen`
 * (an initialised intern table shared by the files of one run) finds
 * documents listed twice. Errors name file:line:col. */
int fs_compare_read_counts(fs_compare *c, const char *file, const char *data,
                           size_t len, struct fs_intern *seen, fs_error *err);
/* The same piece by piece, for files larger than memory should hold: feed
 * parses the whole records at the start of data (all of it when last) and
 * says in *used how many bytes it took; the caller keeps the rest, with
 * more of the file after it, for the next call. finish checks the end and
 * frees the reader (free drops it after an error). */
typedef struct fs_counts_reader fs_counts_reader;
fs_counts_reader *fs_counts_reader_new(fs_compare *c, const char *file,
                                       struct fs_intern *seen, fs_error *err);
int fs_counts_reader_feed(fs_counts_reader *cr, const char *data, size_t len,
                          bool last, size_t *used, fs_error *err);
int fs_counts_reader_finish(fs_counts_reader *cr, fs_error *err);
void fs_counts_reader_free(fs_counts_reader *cr);
/** Computes intervals, tests and q-values. Deterministic for a seed. */
int fs_compare_run(fs_compare *c, const fs_compare_opts *o, fs_error *err);
void fs_compare_free(fs_compare *c);
/** The outlet's documents with words in the voice (the docs_a of a row). */
size_t fs_compare_outlet_docs(const fs_compare *c, size_t outlet);

/** Renders the results: text (readable summary), csv (one row per measure
 * and comparison, columns documented in README) or jsonl. */
int fs_render_compare(FILE *out, const fs_compare *c, const char *format,
                      const fs_compare_opts *o);

#endif
