/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shard.h - counts files (.fsc) -> merged counts: the compact, mergeable
 * intermediate of `framescore count`, `merge`, `compare --counts` and
 * `terms --counts`.
 *
 * A counts file holds, for a batch of documents in path order, each
 * document's name, outlet and variables (the manifest's other columns), its
 * measure counts (compare), its words, sentences and matches per category
 * and voice (report --format csv), and the words it brought into the
 * vocabulary; then the batch's term counts per outlet (terms), all
 * zstd-compressed. Any number of such files, in any order, merge into the
 * counts of one run over their documents in path order: documents are
 * merged by path (each file is sorted), the vocabulary takes each word at
 * the document that brought it first, and term counts add up. Merging
 * streams: memory holds the vocabulary and one document per file. */
#ifndef FS_SHARD_H
#define FS_SHARD_H

#include "compare.h"
#include "terms.h"

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* 2: document names and variables, and the counts of report's CSV rows;
 * 3: per document its author-voice matches of each entry that adds to the
 * loaded-language score (compare's distinctive_score); 4: loaded_score
 * counts quoted speech at the header's quote weight, with its own
 * denominator column (author words + weight x quoted words). Formats 2 and
 * 3 are still read with their meaning: quote weight 0, loaded_score the
 * own voice only (format 2 without entries); others are refused (count the
 * documents again). */
#define FS_SHARD_FORMAT 4
#define FS_SHARD_FORMAT_OLDEST 2

/* What a file was made with; files merge only when all of it agrees. */
typedef struct fs_shard_meta {
  char version[32]; /* framescore version */
  char lang[64];
  int voice;               /* FS_VOICE_AUTHOR, FS_VOICE_QUOTE or FS_VOICES */
  double quote_weight;     /* loaded_score's weight of quoted speech (format
                              4; 0 in older files: own voice only) */
  bool surface;            /* term counts are of surface forms, not stems */
  uint64_t lexicon, model; /* fingerprints (model 0: none) */
  fs_measure *measures;    /* owned by a reader, borrowed by a writer */
  size_t nmeasures;
  char **cats; /* the lexicon's categories, in its order (report) */
  size_t ncats;
  char **vars; /* the document variables' names (manifest columns) */
  size_t nvars;
  /* format 3: the documents carry entry counts (compare.h's slots) */
  bool entries;
  size_t nslots;
  double *slot_weight; /* each slot's weight */
  char **slot_names;   /* "pattern<TAB>category", for a reader */
} fs_shard_meta;

/* report's numbers of a document (fs_shard_doc.report): words by voice,
 * sentences, then per category and voice (c * FS_VOICES + v) its matches,
 * negated matches and summed weight. */
#define FS_SHARD_REPORT_WORDS 0
#define FS_SHARD_REPORT_SENTENCES FS_VOICES
#define FS_SHARD_REPORT_CATS (FS_VOICES + 1)
static inline size_t fs_shard_report_width(size_t ncats) {
  return FS_SHARD_REPORT_CATS + 3 * FS_VOICES * ncats;
}

struct fs_model;
/** Fingerprints of what the counts depend on: the active entries of the
 * lexicon (pattern, category, weight), and the model's dimensions (0 for
 * none). */
uint64_t fs_shard_lexicon_fingerprint(const fs_lexicon *lex);
uint64_t fs_shard_model_fingerprint(const struct fs_model *m);

/** The settings of counts made by c (with its lexicon, model and measures,
 * which meta borrows) and term counts of forms (surface) or stems; the
 * documents carry the variables vars (nvars names, borrowed). FS_OK or
 * FS_ERR_NOMEM; fs_shard_meta_done frees what it allocated. */
int fs_shard_meta_init(fs_shard_meta *meta, const fs_compare *c, bool surface,
                       char *const *vars, size_t nvars);
void fs_shard_meta_done(fs_shard_meta *meta);

/* One document of a counts file: what count writes and a merge delivers
 * (then valid during the callback). */
typedef struct fs_shard_doc {
  const char *path, *outlet;
  const char *name;        /* the manifest's path as written (not NULL) */
  const char *const *vars; /* its variables' values (meta nvars; "" none) */
  const double *row;       /* width numbers (fs_compare_layout) */
  const double *report;    /* fs_shard_report_width(ncats) numbers */
  size_t stems0, forms0;   /* its new words: the vocabulary from here */
  const uint32_t *ent;     /* meta entries: nent (slot, matches) pairs */
  size_t nent;
  bool no_outlet;          /* it had none (outlet is then "(none)") */
} fs_shard_doc;

/** report's numbers of a document from its statistics, into report
 * (fs_shard_report_width(st->ncat) numbers). */
void fs_shard_report_row(const fs_doc_stats *st, double *report);

/* ---- writing ----------------------------------------------------------- */

typedef struct fs_shard_writer fs_shard_writer;

/** Starts a counts file on out (compressed at zstd `level`, 0: default);
 * writes nothing until the first document or the end. NULL when out of
 * memory. */
fs_shard_writer *fs_shard_writer_new(FILE *out, const fs_shard_meta *meta,
                                     int level);
/** Appends a document: its name, outlet and variables, its row of measure
 * counts (fs_compare.vals layout, fs_compare_layout), its report numbers,
 * and the stems and forms of t from d->stems0 and d->forms0 on, which it
 * brought into the vocabulary. Paths must come in strictly increasing byte
 * order. FS_OK, FS_ERR_USAGE (out of order), FS_ERR_IO. */
int fs_shard_write_doc(fs_shard_writer *w, const fs_shard_doc *d,
                       const fs_terms *t);
/** Writes the term counts of t (whose outlets are the documents' outlets in
 * order of appearance) and ends the file. FS_OK, FS_ERR_USAGE, FS_ERR_IO. */
int fs_shard_write_end(fs_shard_writer *w, const fs_terms *t);
void fs_shard_writer_free(fs_shard_writer *w);

/* ---- merging ----------------------------------------------------------- */

/* A counts file to read: read() fills up to cap bytes and returns how many
 * (0 at the end, -1 on an error, with errno). */
typedef struct fs_shard_source {
  const char *name;
  ssize_t (*read)(void *user, void *buf, size_t cap);
  void *user;
} fs_shard_source;

typedef int (*fs_shard_doc_fn)(void *user, const fs_shard_doc *d,
                               const fs_terms *t);

typedef struct fs_shard_merge fs_shard_merge;

/** Opens the sources and reads their headers; NULL with err filled when one
 * is not a counts file or was made with other settings than the first (the
 * message names the setting). The sources must outlive the merge. */
fs_shard_merge *fs_shard_merge_new(const fs_shard_source *src, size_t n,
                                   fs_error *err);
/** The settings the files share (valid until fs_shard_merge_free). */
const fs_shard_meta *fs_shard_merge_meta(const fs_shard_merge *m);
/** Delivers the documents of every file in path order to fn (with the
 * merged vocabulary so far), and adds up their term counts; then
 * fs_shard_merge_terms holds the whole. A document in two files, bad data
 * or a non-zero return of fn stop it. */
int fs_shard_merge_run(fs_shard_merge *m, fs_shard_doc_fn fn, void *user,
                       fs_error *err);
/** The merged vocabulary and term counts (surface per the files). */
fs_terms *fs_shard_merge_terms(fs_shard_merge *m);
void fs_shard_merge_free(fs_shard_merge *m);

/** Whether data starts like a counts file (zstd's magic number). */
bool fs_shard_sniff(const void *data, size_t len);

/* ---- the vocabulary and term counts of fs_terms (terms.c) --------------- */

int fs_terms_learn_stem(fs_terms *t, const char *s, size_t len, uint32_t *id);
int fs_terms_learn_form(fs_terms *t, const char *s, size_t len, uint32_t stem,
                        bool lex, uint32_t *id);
size_t fs_terms_nstems(const fs_terms *t);
size_t fs_terms_nforms(const fs_terms *t);
const char *fs_terms_stem(const fs_terms *t, uint32_t id, size_t *len);
const char *fs_terms_form(const fs_terms *t, uint32_t id, size_t *len,
                          uint32_t *stem, bool *lex);
/* The outlet's id, added when new (FS_NONE: out of memory). */
uint32_t fs_terms_outlet(fs_terms *t, const char *name);
/* Adds counts; FS_ERR_INPUT when one would pass 2^32 - 1. */
int fs_terms_add_counts(fs_terms *t, uint32_t outlet, uint32_t term,
                        uint64_t count, uint64_t docs);
int fs_terms_add_form_count(fs_terms *t, uint32_t form, uint64_t count);

#endif
