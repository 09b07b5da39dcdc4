/* SPDX-License-Identifier: GPL-3.0-or-later */
/* framescore.h - the public API of libframescore: bytes -> tokens (with voice)
 * -> Snowball stems -> lexicon matches -> per-document framing counts. */
#ifndef FRAMESCORE_H
#define FRAMESCORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* FS_VERSION ("MAJOR.MINOR.PATCH") and FS_VERSION_MAJOR/_MINOR/_PATCH of
 * these headers, generated from the build's project(VERSION). */
#include "framescore_version.h"

/** The version of the library linked in: FS_VERSION of the headers it was
 * built with (a program compares it with its own FS_VERSION). A static
 * string. Thread-safe. */
const char *fs_version(void);

/* Status codes of library calls. (The framescore program's exit statuses
 * are its own: 0 ok, 1 bad input, 2 usage; see scorer/cli/cli.h.) */
enum {
  FS_OK = 0,        /* success */
  FS_ERR_INPUT = 1, /* bad input: a file, lexicon or manifest could not be used */
  FS_ERR_USAGE = 2, /* a bad argument from the caller (a bad regular
                       expression, an unknown column name, ...) */
  FS_ERR_NOMEM = 3, /* out of memory */
  FS_ERR_IO = 4     /* a read or write failed */
};

/* Where and what went wrong. `line`/`col` are 1-based; 0 when unknown.
 * `col` counts code points. */
typedef struct fs_error {
  char file[512];
  long line;
  long col;
  char msg[512];
} fs_error;

/* Lexicon and model weights (and a model's intercept) are at most this in
 * magnitude: sums of them over any document and corpus stay finite, so
 * every number written reads back. */
#define FS_WEIGHT_MAX 1e6

/* ---- input files --------------------------------------------------------- */

/* Size caps of the files the library reads itself. */
#define FS_LEXICON_FILE_MAX ((size_t)64 << 20) /* each lexicon file */
#define FS_MODEL_FILE_MAX ((size_t)64 << 20)   /* a model file */

/** Opens path for reading ("-": stdin, whatever it is) and checks it: a
 * regular file (a directory, FIFO, device or socket is refused, and a FIFO
 * is never waited on) of at most max bytes, the cap `limit` names in the
 * message ("--max-file-size"). Sets *fd (the caller closes it unless it is
 * stdin) and *size (0 for stdin). Returns FS_OK or FS_ERR_INPUT with
 * err = path: what. Thread-safe. */
int fs_input_open(const char *path, size_t max, const char *limit, int *fd,
                  size_t *size, fs_error *err);
/** Reads fd to its end into *data (NUL-terminated; the caller frees it) and
 * *len, never holding more than max + 1 bytes: a file that grows or a
 * stream without end is refused at the cap. hint: the expected size, or 0.
 * Returns FS_OK or FS_ERR_INPUT with err = path: what. */
int fs_input_read(const char *path, int fd, size_t max, const char *limit,
                  size_t hint, char **data, size_t *len, fs_error *err);
/** fs_input_open() and fs_input_read() in one. */
int fs_read_file(const char *path, size_t max, const char *limit, char **data,
                 size_t *len, fs_error *err);

/** Formats err as "file:line:col: msg" (parts that are unknown are left out)
 * into buf of size n. Returns buf. Thread-safe. */
char *fs_error_format(const fs_error *err, char *buf, size_t n);

/* ---- lexicons ----------------------------------------------------------- */

typedef struct fs_lexicon fs_lexicon;

/** Creates an empty lexicon for Snowball language `lang` ("english",
 * "russian", ... or NULL for english). Returns NULL and fills err when the
 * language is unknown or memory runs out. Free with fs_lexicon_free(). */
fs_lexicon *fs_lexicon_new(const char *lang, fs_error *err);

/** Frees a lexicon; NULL is a no-op. */
void fs_lexicon_free(fs_lexicon *lex);

/** Loads a lexicon file, or every `*.tsv`, `*.dic` and `*.dicx` file of a
 * directory in name order. `.dic` (LIWC 2001/2007/2015) and `.dicx`
 * (LIWC-22) files are LIWC dictionaries: each word becomes an entry of
 * weight 1 in the category named like its LIWC category (see
 * lexicons/README.md); what cannot be used is left out with a warning
 * (fs_lexicon_warning()).
 * A file whose base name equals that of an earlier-loaded file replaces it.
 * On a bad line returns FS_ERR_INPUT with err = file:line:col: message, and
 * the lexicon is left as before the call. Not thread-safe for one lexicon. */
int fs_lexicon_load(fs_lexicon *lex, const char *path, fs_error *err);

/** Makes `lang` (a Snowball language name) the language of the entries
 * loaded from now on, adding it to the lexicon when new; NULL: each entry
 * loaded from now on is added once for every language the lexicon has (its
 * words stemmed by each language's stemmer). A lexicon starts with the
 * language given to fs_lexicon_new(). One lexicon holding several languages
 * lets documents of different languages share its categories and entries
 * (a mixed corpus): a context analyses one of them (fs_ctx_new_lang) and
 * matches only its entries. A base name replaces an earlier file's only in
 * the language being loaded. FS_OK, or FS_ERR_USAGE for an unknown
 * language, more than 8 languages, or a lexicon already in use. */
int fs_lexicon_set_lang(fs_lexicon *lex, const char *lang, fs_error *err);
/** Number of languages; language i's name (owned by the lexicon, NULL out
 * of range); the index of a language name, or -1. */
size_t fs_lexicon_lang_count(const fs_lexicon *lex);
const char *fs_lexicon_lang_name(const fs_lexicon *lex, size_t i);
long fs_lexicon_lang_find(const fs_lexicon *lex, const char *lang);

/* The default weight of quoted speech in the loaded-language score. */
#define FS_QUOTE_WEIGHT 0.5
/** Sets how much quoted speech counts in the loaded-language score
 * (fs_doc_stats.loaded_score): quoted matches at w times their weight and
 * quoted words at w of a word, the author's own voice at 1. w is in [0, 1]:
 * 0 is the outlet's own voice only; a new lexicon has FS_QUOTE_WEIGHT.
 * Category counts and weights are unchanged. Set it before contexts are
 * created from the lexicon. FS_OK, or FS_ERR_USAGE for w outside [0, 1]. */
int fs_lexicon_set_quote_weight(fs_lexicon *lex, double w);
/** The weight of quoted speech in the loaded-language score. */
double fs_lexicon_quote_weight(const fs_lexicon *lex);

/** Loads lexicon text from memory; `name` is used in error messages and for
 * replacement by base name. Same contract as fs_lexicon_load(). */
int fs_lexicon_load_buffer(fs_lexicon *lex, const char *name, const char *data,
                           size_t len, fs_error *err);

/** Number of categories (dotted names), including the built-in
 * "scare_quote". Category ids are 0..n-1, in sorted name order once
 * the lexicon is used by a context. */
size_t fs_lexicon_category_count(const fs_lexicon *lex);
/** Name of category `id` (owned by the lexicon). */
const char *fs_lexicon_category_name(const fs_lexicon *lex, size_t id);
/** The category's family: the first component of its dotted name. */
const char *fs_lexicon_category_family(const fs_lexicon *lex, size_t id);
/** The number of families, and the family of category `id` as a number
 * below it (-1 for an unknown category). */
size_t fs_lexicon_family_count(const fs_lexicon *lex);
/** The lexicon's Snowball language, as given to fs_lexicon_new. */
const char *fs_lexicon_lang(const fs_lexicon *lex);
long fs_lexicon_category_family_id(const fs_lexicon *lex, size_t id);
/** Looks a category up by name; returns its id or -1. */
long fs_lexicon_category_find(const fs_lexicon *lex, const char *name);

/* One lexicon entry, as loaded (read-only view; strings owned by lexicon).
 * New fields are appended after the last one, never inserted, so the fields
 * before them keep their offsets (tests/public_header.c checks them against
 * the 0.1.0 record; `person` fits the record's tail padding on 64-bit
 * platforms, where its size is unchanged). */
typedef struct fs_entry_info {
  const char *pattern;  /* as written in the file */
  const char *key;      /* canonical match key: words as matched, e.g. "claim
                           =insisted insist*" - equal keys match the same text */
  const char *source;   /* file the entry came from */
  long line;            /* line in that file */
  size_t category;      /* category id */
  double weight;
  int event;            /* 1 when flagged "event": the story's own vocabulary */
  int once;             /* 1 when flagged "once": weighs once per document
                           and voice (a naming choice) */
  const char *note;     /* "" when absent */
  const char *lang;     /* the language the entry matches in */
  int duplicate_of;     /* index of an earlier entry with the same key and
                           category that this one overrode, or -1 */
  int person;           /* 1 when flagged "person": matches only before a
                           word of the class class.person ("corrupt
                           politician"); appended after 0.1.0 */
} fs_entry_info;

/** Switches off every entry whose pattern is written exactly `pattern` (as
 * in its file: "terrorist", "=claimed"), in any category, before the
 * lexicon is first used. Returns how many entries were switched off. */
size_t fs_lexicon_exclude(fs_lexicon *lex, const char *pattern);

/** Number of warnings from loading: parts of LIWC dictionaries that were
 * left out (rules, undefined category numbers, ...). */
size_t fs_lexicon_warning_count(const fs_lexicon *lex);
/** Warning i as "file:line:col: message" (owned by the lexicon), or NULL. */
const char *fs_lexicon_warning(const fs_lexicon *lex, size_t i);

/** Number of entries (overridden duplicates included, see duplicate_of). */
size_t fs_lexicon_entry_count(const fs_lexicon *lex);
/** Fills *info for entry i; returns 0, or -1 when i is out of range. */
int fs_lexicon_entry(const fs_lexicon *lex, size_t i, fs_entry_info *info);

/* ---- analysis ----------------------------------------------------------- */

typedef struct fs_ctx fs_ctx;
typedef struct fs_doc fs_doc;

enum { FS_VOICE_AUTHOR = 0, FS_VOICE_QUOTE = 1, FS_VOICES = 2 };

enum {
  FS_TOK_WORD = 0,  /* letters (and digits), internal apostrophes */
  FS_TOK_NUMBER,    /* digits with internal . or , */
  FS_TOK_PUNCT,     /* any other single character or an ellipsis */
  FS_TOK_QUOTE      /* a quotation mark that opened or closed a quote */
};

/* Token flags. */
enum {
  FS_TOKF_JOINED = 1, /* joined to the previous token by a hyphen */
  FS_TOKF_SCARE = 2,  /* inside a scare quote (author voice) */
  FS_TOKF_UPPER = 4,  /* first character is uppercase */
  FS_TOKF_OPEN = 8,   /* FS_TOK_QUOTE: an opening mark */
  FS_TOKF_REPLACED = 16 /* contains invalid UTF-8 that was replaced */
};

typedef struct fs_token {
  size_t byte_start, byte_end; /* [start, end) in the document's bytes */
  size_t char_start, char_end; /* the same in code points */
  uint32_t line, col;          /* 1-based; col in code points */
  uint32_t sentence;           /* 0-based sentence index in the document */
  uint32_t paragraph;          /* 0-based paragraph index */
  uint32_t form;               /* id of the lowercased form (fs_ctx_form) */
  uint32_t stem;               /* id of the Snowball stem (fs_ctx_stem) */
  uint8_t kind;                /* FS_TOK_* */
  uint8_t voice;               /* FS_VOICE_* */
  uint8_t flags;               /* FS_TOKF_* */
} fs_token;

#define FS_NONE UINT32_MAX

typedef struct fs_match {
  uint32_t tok_start, tok_end; /* token range [start, end) */
  uint32_t category;           /* category id */
  uint32_t entry;              /* lexicon entry, or FS_NONE (scare quote) */
  double weight;
  uint32_t negator;     /* token index of the negator, or FS_NONE */
  uint32_t intensifier; /* token index of the intensifier, or FS_NONE */
  uint8_t voice;        /* FS_VOICE_* of the match's first token */
  uint8_t negated;      /* 1 when a negator stands within 3 words before */
  uint8_t event;        /* 1 for an entry flagged "event" (story vocabulary):
                           weight 0 and left out of the category counts and
                           absolute scores; see fs_distinct */
} fs_match;

/* Per-document totals. Arrays are indexed [category][voice] and are owned by
 * the document. */
typedef struct fs_doc_stats {
  size_t words[FS_VOICES]; /* word and number tokens, by voice */
  size_t sentences;
  size_t paragraphs;
  size_t quotes;       /* quotations (not scare quotes) */
  size_t scare_quotes; /* short quoted spans in the author's voice */
  size_t invalid_utf8; /* invalid byte sequences replaced by U+FFFD */
  size_t nul_bytes;    /* NUL bytes (treated as spaces) */
  int bom;             /* 1 when the document starts with a UTF-8 BOM */
  int legacy_8bit;     /* 1 when the invalid bytes look like Latin-1 or
                          Windows-1252 text (next to no valid multi-byte
                          UTF-8): the file should be converted first */
  size_t ncat;
  const size_t *matches;   /* [ncat * FS_VOICES] */
  const size_t *negated;   /* [ncat * FS_VOICES] */
  const double *weight;    /* [ncat * FS_VOICES] summed match weights */
  double loaded_score;     /* weighted loaded language per 1,000 words: the
                              author's voice at 1, quoted speech at the
                              lexicon's quote weight (matches and words) */
} fs_doc_stats;

/** Creates an analysis context using `lex` (which must outlive the context
 * and must not be changed afterwards). A context owns a Snowball stemmer and
 * a cache of every word form seen (each form is stemmed once). One context
 * per thread; different contexts may share one lexicon. Returns NULL and
 * fills err on failure. */
fs_ctx *fs_ctx_new(const fs_lexicon *lex, fs_error *err);
/** The same for text in language `lang`, one of the lexicon's languages
 * (fs_lexicon_set_lang): the context stems with that language's stemmer,
 * reads its quotation conventions, and matches only its entries.
 * fs_ctx_new() is the lexicon's first language. FS_ERR_USAGE in err when
 * the lexicon does not hold the language. */
fs_ctx *fs_ctx_new_lang(const fs_lexicon *lex, const char *lang,
                        fs_error *err);
/** The language a context analyses (owned by its lexicon). */
const char *fs_ctx_lang(const fs_ctx *ctx);
/** Frees a context; NULL is a no-op. Documents it made must be freed first. */
void fs_ctx_free(fs_ctx *ctx);

/** Lowercased form string for a form id (owned by the context). */
const char *fs_ctx_form(const fs_ctx *ctx, uint32_t form);
/** Stem string for a stem id (owned by the context). */
const char *fs_ctx_stem(const fs_ctx *ctx, uint32_t stem);
/** Number of distinct forms / stems seen so far. */
size_t fs_ctx_form_count(const fs_ctx *ctx);
size_t fs_ctx_stem_count(const fs_ctx *ctx);
/** Number of stem computations done (for tests of the stem cache). */
size_t fs_ctx_stem_calls(const fs_ctx *ctx);

/* Words longer than this many bytes are folded, stemmed and looked up by
 * their first FS_WORD_LOOKUP_MAX bytes (cut at a character boundary); their
 * offsets still cover the whole word. No lexicon word is that long, so no
 * match changes, and memory per distinct word stays bounded. */
#define FS_WORD_LOOKUP_MAX 1024

/** Analyses one document: tokenizes, marks voice, stems, matches and counts.
 * `text` (len bytes, any bytes at all, less than 4 GiB) must stay valid
 * while the document is used: tokens point into it. Returns a document the
 * caller frees with fs_doc_free(), or NULL with err filled (out of memory,
 * or FS_ERR_USAGE for 4 GiB of text or more: bad bytes are replaced and
 * counted, never an error). */
fs_doc *fs_doc_analyze(fs_ctx *ctx, const char *text, size_t len,
                       fs_error *err);
/** Frees a document; NULL is a no-op. */
void fs_doc_free(fs_doc *doc);
/** Frees a document like fs_doc_free(), but keeps its token and match arrays
 * in ctx (the context that analysed it or any other) for the next
 * fs_doc_analyze() with ctx: a large document's arrays are mapped pages,
 * and mapping and faulting them again for each document took a third of
 * the time on 300 KB documents. Call it on the thread that uses ctx. ctx
 * keeps one document's arrays (freed by fs_ctx_free()), and none of a
 * document of more than 2^21 tokens (about 10 MB of text); NULL doc is a
 * no-op. */
void fs_doc_recycle(fs_ctx *ctx, fs_doc *doc);

/** The document's tokens (*n of them), owned by the document. The library
 * keeps them in a smaller form: this array is made at the first call and
 * kept until the document is freed (so a first call is not safe while
 * another thread reads the same document); NULL with *n = 0 when out of
 * memory. */
const fs_token *fs_doc_tokens(const fs_doc *doc, size_t *n);
const fs_match *fs_doc_matches(const fs_doc *doc, size_t *n);
const fs_doc_stats *fs_doc_stats_get(const fs_doc *doc);
/** The language the document was analysed in (fs_ctx_lang of its
 * context; owned by the lexicon). */
const char *fs_doc_lang(const fs_doc *doc);
/** The document's bytes as given to fs_doc_analyze(). */
const char *fs_doc_text(const fs_doc *doc, size_t *len);


/* ---- corpora: which document belongs to which outlet -------------------- */

/* Every string of a document (and the extra array) is owned by the corpus
 * and freed by fs_corpus_free(), not one by one; name may point into
 * path. */
typedef struct fs_corpus_doc {
  char *path;    /* as given, or joined to the manifest's folder: where the
                    file is read from */
  char *name;    /* the manifest's `path` as written, or NULL when the same
                    as path: the document's name in every output */
  char *outlet;  /* "" when unknown; shared by the documents of an outlet
                    and owned by the corpus */
  char **extra;  /* values of the manifest's other columns, or NULL */
  long line;     /* manifest line, 0 when not from a manifest */
} fs_corpus_doc;

typedef struct fs_corpus {
  fs_corpus_doc *docs;
  size_t ndocs, docs_cap;
  char **extra_names; /* the manifest's other column names (date, title...) */
  size_t nextra;
  struct fs_path_seen *seen; /* path and outlet indexes, internal */
  char **skipped; /* folder mode: files left out (not *.txt / *.text) */
  size_t nskipped;
} fs_corpus;

/** The document's name in outputs: the manifest's `path` value as written
 * (so that outputs join back to the manifest on it), else the path given. */
static inline const char *fs_corpus_name(const fs_corpus_doc *d) {
  return d->name ? d->name : d->path;
}

void fs_corpus_init(fs_corpus *c);
/** Frees everything the corpus holds (not c itself). */
void fs_corpus_free(fs_corpus *c);
/** Adds the documents of a manifest CSV (header with `path` and `outlet`,
 * other columns kept; paths relative to the manifest's folder). `data` holds
 * the manifest's bytes. Errors name the manifest line. */
int fs_corpus_add_manifest(fs_corpus *c, const char *manifest, const char *data,
                           size_t len, fs_error *err);
/** Adds a file (with `outlet`, may be NULL), or a corpus folder whose
 * subdirectories are outlets. In a folder only `*.txt` and `*.text` files
 * are documents; the others are listed in c->skipped. Duplicate paths are an
 * error. */
int fs_corpus_add_path(fs_corpus *c, const char *path, const char *outlet,
                       fs_error *err);
/** Sets each document's outlet from capture group 1 of an extended regular
 * expression matched against its file name. */
int fs_corpus_outlet_from(fs_corpus *c, const char *pattern, fs_error *err);
/** Groups the documents by a manifest column instead of their outlet:
 * `spec` is COLUMN or COLUMN:N (the value's first N characters, e.g.
 * date:7 for the month of an ISO date); `outlet` keeps the outlets. A
 * document with an empty value goes to the group "(none)". FS_ERR_USAGE
 * when no manifest names the column. */
int fs_corpus_group_by(fs_corpus *c, const char *spec, fs_error *err);
/** --group-by's spec against the variable names (n): *col the column, or
 * -1 for `outlet`; *chars the N of COLUMN:N, or -1. FS_ERR_USAGE with the
 * names there are when none is the column. */
int fs_group_spec(const char *spec, char *const *names, size_t n, long *col,
                  long *chars, fs_error *err);
/** The length of value v's group: all of it (chars < 0), or its first chars
 * code points. An empty group is "(none)". */
size_t fs_group_len(const char *v, long chars);

#define FS_CSV_MAX_FIELDS 256
#define FS_CSV_MAX_RECORD 65536
typedef struct fs_csv_record {
  char *fields[FS_CSV_MAX_FIELDS];
  size_t nfields;
  long line; /* line where the record starts */
  char buf[FS_CSV_MAX_RECORD];
} fs_csv_record;

/** Reads one RFC 4180 record from data at *pos (quoted fields may hold
 * commas, doubled quotes and newlines), advancing *pos and *line. Returns 1
 * for a record, 0 at the end, or -status with err set (file:line:col). */
int fs_csv_read_record(const char *data, size_t len, size_t *pos, long *line,
                       fs_csv_record *rec, const char *file, fs_error *err);


/* ---- story-relative framing: what an outlet says beyond the story ------- */

/* Distinctive scores (scorer/stats/distinct.c has the formula): an entry's
 * author-voice matches in an outlet count as far as they exceed the rate
 * of the rest of the corpus, so the story's own vocabulary, used by every
 * outlet, contributes about nothing. */
typedef struct fs_distinct fs_distinct;

/** A collector for `ndocs` documents with a prior of `prior_words` words at
 * the corpus rate (FS_DISTINCT_PRIOR by default). NULL when out of memory.
 * The lexicon must outlive it. Free with fs_distinct_free(). */
fs_distinct *fs_distinct_new(const fs_lexicon *lex, size_t ndocs,
                             double prior_words);
#define FS_DISTINCT_PRIOR 500.0
void fs_distinct_free(fs_distinct *ds);
/** Records document i (0..ndocs-1) of `outlet` (copied by pointer: it must
 * outlive ds). Calls for different i may run on different threads at once.
 * Returns FS_OK or FS_ERR_NOMEM. */
int fs_distinct_add(fs_distinct *ds, size_t i, const char *outlet,
                    const fs_doc *d);
/** The same for a document without its matches (one read in windows):
 * `d` gives its totals, entry_n[e] its author-voice matches of lexicon
 * entry e (e = the lexicon's entry count: scare quotes), each weighing 1
 * (no context model). */
int fs_distinct_add_entries(fs_distinct *ds, size_t i, const char *outlet,
                            const fs_doc *d, const size_t *entry_n);
/** fs_distinct_add_entries() with a context model's probabilities:
 * entry_mass[e] the probabilities of entry e's author-voice matches summed
 * in document order (of an entry flagged "once", its first match's). */
int fs_distinct_add_mass(fs_distinct *ds, size_t i, const char *outlet,
                         const fs_doc *d, const size_t *entry_n,
                         const double *entry_mass);
/** Computes the scores once every document is added. FS_OK or
 * FS_ERR_NOMEM. */
int fs_distinct_finish(fs_distinct *ds);
/** True when the corpus has at least two outlets (otherwise every
 * distinctive score is 0: there is no rest of the corpus to compare with,
 * and renderers fall back to the absolute score). */
int fs_distinct_usable(const fs_distinct *ds);
/** Document i's distinctive score per 1,000 author-voice words (NAN when it
 * was not added). */
double fs_distinct_doc(const fs_distinct *ds, size_t i);
/** Document i's author-voice words and absolute loaded_score; -1 when it
 * was not added. */
int fs_distinct_doc_info(const fs_distinct *ds, size_t i, size_t *words,
                         double *score);

typedef struct fs_distinct_outlet_info {
  const char *outlet;
  size_t docs, words;  /* documents, author-voice words */
  double absolute;     /* summed weights per 1,000 words (event entries 0) */
  double distinctive;  /* the same, counting only the excess over the rest */
} fs_distinct_outlet_info;
/** A framing dimension counted both ways: the author-voice matches of the
 * categories with catw[c] != 0 (ncats of them), each counted catw[c] times
 * (times its written weight when `weights`), per 1,000 author-voice words;
 * absolute without event entries, distinctive with each entry's share of
 * excess. Fills outlet_abs/outlet_dist [outlet count] and, when doc_abs is
 * not NULL, doc_abs/doc_dist [ndocs] (NAN for a document not added). After
 * fs_distinct_finish(); FS_OK, or FS_ERR_INPUT before it. */
int fs_distinct_dimension(const fs_distinct *ds, const double *catw,
                          size_t ncats, int weights, double *outlet_abs,
                          double *outlet_dist, double *doc_abs,
                          double *doc_dist);
/** Outlets in name order. */
size_t fs_distinct_outlet_count(const fs_distinct *ds);
int fs_distinct_outlet(const fs_distinct *ds, size_t k,
                       fs_distinct_outlet_info *info);

typedef struct fs_distinct_entry {
  const char *pattern, *category; /* owned by the lexicon */
  int event;                      /* flagged event vocabulary */
  size_t matches;                 /* author-voice matches in the outlet */
  double factor;                  /* share of them beyond the expected */
  double absolute, distinctive;   /* contributions per 1,000 words */
} fs_distinct_entry;
/** Fills out[0..] with outlet k's entries that contribute most to its
 * distinctive (or absolute) score, largest first; returns how many (at most
 * max, only positive contributions). */
size_t fs_distinct_top(const fs_distinct *ds, size_t k, int distinctive,
                       fs_distinct_entry *out, size_t max);

/* ---- rendering per-document results ------------------------------------- */

/** The lexicon a context matches with. */
const fs_lexicon *fs_ctx_lexicon(const fs_ctx *ctx);
/** "author" or "quote". */
const char *fs_voice_name(int voice);

struct fs_model_scores; /* model.h */

typedef struct fs_report_item {
  const char *path;
  const char *outlet; /* may be NULL */
  const fs_doc *doc;  /* NULL for a document that could not be read */
  const struct fs_model_scores *dims; /* framing dimensions, or NULL */
  const char *const *vars; /* document variables: the values of the
                              manifest's other columns (nvars), or NULL */
  const char *const *var_names; /* their column names (nvars) */
  size_t nvars;
} fs_report_item;

/** The document variables' column names (the manifest's columns other
 * than path and outlet) as an output with the columns `own` (its header,
 * comma-separated) writes them: as named, or `manifest.NAME` when NAME is
 * one of its own columns. Writes ",name" for each of the n names. */
void fs_csv_var_header(FILE *out, const char *own, const char *const *names,
                       size_t n);
/** Writes ",value" (a CSV field) for each of it->nvars variables, or n
 * empty fields when the item has none. */
void fs_csv_vars(FILE *out, const fs_report_item *it, size_t n);

/** Writes the readable report: documents ranked by author-voice loaded
 * language, then each document's categories and every match with line:col
 * and context. ANSI colour when `color`. Returns FS_OK or FS_ERR_NOMEM. */
int fs_render_report_text(FILE *out, const fs_ctx *ctx,
                          const fs_report_item *items, size_t n, int color);
/* The same report for corpora of any size: each document's section is
 * written (fs_render_report_text_doc) to a spool file as the document is
 * analysed, and only its summary is kept; the ranking is then written and
 * the sections copied from the spool in ranked order. */
typedef struct fs_report_summary {
  const char *path, *outlet;
  double score;         /* loaded_score */
  size_t words[2];      /* author, quote */
  long long off;        /* the section's place in the spool */
  size_t len;
} fs_report_summary;
/** Fills s from an analysed item (off and len zero). */
void fs_report_summarize(const fs_report_item *it, fs_report_summary *s);
/** One document's section of the text report. */
void fs_render_report_text_doc(FILE *out, const fs_ctx *ctx,
                               const fs_report_item *it, int color);
/** The lines of a section that list a document's matches: those of doc, a
 * window of a long document at a time. */
void fs_render_report_text_matches(FILE *out, const fs_ctx *ctx,
                                   const fs_doc *doc, int color);
/** fs_render_report_text_doc() with the match lines written to the stream
 * `matches` (by fs_render_report_text_matches; it is rewound and copied),
 * it->doc holding the totals. FS_OK or FS_ERR_IO. */
int fs_render_report_text_doc_spooled(FILE *out, const fs_ctx *ctx,
                                      const fs_report_item *it, FILE *matches,
                                      int color);
/** Header, ranking, then the sections from spool in ranked order: the
 * bytes of fs_render_report_text. FS_OK, FS_ERR_NOMEM or FS_ERR_IO. */
int fs_render_report_text_spooled(FILE *out, const fs_lexicon *lex,
                                  const fs_report_summary *s, size_t n,
                                  FILE *spool, int color);
/** Tidy CSV: one row per document x voice x category (see README). `voices`
 * is a bit set: 1 = author, 2 = quote. */
void fs_render_report_csv_header(FILE *out, const char *const *vars,
                                 size_t nvars);
void fs_render_report_csv(FILE *out, const fs_ctx *ctx,
                          const fs_report_item *it, int voices);
/** The same rows from a document's statistics alone (it->doc unused): st
 * with st->ncat categories named cats, as counts files keep them. */
void fs_render_report_csv_counts(FILE *out, const fs_report_item *it,
                                 const fs_doc_stats *st,
                                 const char *const *cats, int voices);
/** LIWC-shaped CSV (`report --wide`): one row per document with Filename,
 * WC (words in the chosen voices), WPS (all words per sentence), then each
 * category's matches in those voices as a percentage of WC. */
void fs_render_report_wide_header(FILE *out, const fs_ctx *ctx,
                                  const char *const *vars, size_t nvars);
void fs_render_report_wide(FILE *out, const fs_ctx *ctx,
                           const fs_report_item *it, int voices);
/** The same from the category names and a document's statistics alone
 * (it->doc unused; st->ncat categories), as counts files keep them. */
void fs_render_report_wide_header_cats(FILE *out, const char *const *cats,
                                       size_t ncats, const char *const *vars,
                                       size_t nvars);
void fs_render_report_wide_counts(FILE *out, const fs_report_item *it,
                                  const fs_doc_stats *st, int voices);
/** One JSON object per document, with its matches when with_matches; the
 * document variables follow `outlet` (a name that is one of the object's
 * own members is written `manifest.NAME`). */
void fs_render_report_jsonl(FILE *out, const fs_ctx *ctx,
                            const fs_report_item *it, int with_matches);
/** The items of a document's "matches" array (a comma before each unless
 * it is the first of all, `first` being how many came before): a window of
 * a long document at a time. */
void fs_render_report_jsonl_matches(FILE *out, const fs_ctx *ctx,
                                    const fs_doc *doc, size_t first);
/** fs_render_report_jsonl() with matches whose array items were written to
 * the stream `matches` (by fs_render_report_jsonl_matches; it is rewound
 * and copied), and it->doc holding the totals. FS_OK or FS_ERR_IO. */
int fs_render_report_jsonl_spooled(FILE *out, const fs_ctx *ctx,
                                   const fs_report_item *it, FILE *matches);
/** The items of a document's "tagger_spans" array (--tagger; a comma
 * before each unless it is the first of all, `first` being how many came
 * before): a window of a long document at a time. Returns how many. */
size_t fs_render_report_jsonl_tagged(FILE *out, const fs_doc *doc,
                                     size_t first);
/** fs_render_report_jsonl_spooled() with the tagger's spans too, written
 * to the stream `tagged` by fs_render_report_jsonl_tagged() (NULL: the
 * document has none). FS_OK or FS_ERR_IO. */
int fs_render_report_jsonl_spooled_tagged(FILE *out, const fs_ctx *ctx,
                                          const fs_report_item *it,
                                          FILE *matches, FILE *tagged);
/** One CSV row per match (see README for the columns). */
void fs_render_matches_csv_header(FILE *out, const char *const *vars,
                                  size_t nvars);
/** The same with a last column, context_prob, when `context` is non-zero (rows
 * of documents a context model was applied to end with it). */
void fs_render_matches_csv_header_with(FILE *out, const char *const *vars,
                                       size_t nvars, int context);
void fs_render_matches_csv(FILE *out, const fs_ctx *ctx,
                           const fs_report_item *it);
/** The rows of the lexicon's matches alone, and of a span tagger's spans
 * alone (category "tagger"; fs_render_matches_csv() writes both, the
 * tagger's after): a long document's windows write them to two streams. */
void fs_render_lexicon_matches_csv(FILE *out, const fs_ctx *ctx,
                                   const fs_report_item *it);
void fs_render_tagged_csv(FILE *out, const fs_report_item *it);

/** The readable "framing by outlet" section: outlets by absolute score with
 * their distinctive score and the entries that drive each. FS_OK or FS_ERR_NOMEM. */
int fs_render_distinct_text(FILE *out, const fs_distinct *ds);
struct fs_model;
/** report --scores: one row per document of the corpus that was added,
 * then one per outlet (ranked as in the text, with the entries that drive
 * each score); with a model, each linear author-voice per-1,000-words
 * dimension both ways. CSV (with a header) or JSONL. FS_OK or
 * FS_ERR_NOMEM. */
int fs_render_distinct_scores(FILE *out, int jsonl, const fs_distinct *ds,
                              const struct fs_model *model,
                              const fs_corpus *corpus);

/* ---- keyword in context ------------------------------------------------- */

/* What `framescore kwic` looks for: a lexicon entry, a category or family,
 * or a word pattern. */
typedef struct fs_kwic fs_kwic;

/** With category NULL: the matches of the lexicon entries written `pattern`
 * (as in the lexicon file, like --exclude), or when no entry is written so,
 * the words of `pattern` in a row (case-insensitive; `word*` matches any
 * word starting with word). With category: the matches of that category,
 * or of every category of that family. Returns FS_OK with *out set (free
 * it with fs_kwic_free), or a status with err filled: FS_ERR_USAGE when no
 * category is named so, FS_ERR_NOMEM. The lexicon must outlive it; it may
 * be used from several threads at once. */
int fs_kwic_new(const fs_lexicon *lex, const char *pattern,
                const char *category, fs_kwic **out, fs_error *err);
void fs_kwic_free(fs_kwic *k);

typedef struct fs_kwic_hit {
  uint32_t tok_start, tok_end; /* token range [start, end) */
  int voice;                   /* FS_VOICE_*; scare quotes are author */
  uint32_t match;              /* the match, or FS_NONE for word hits */
} fs_kwic_hit;

/** The hits in d in the voices (bit set: 1 author, 2 quote), in text
 * order, into *hits (the caller frees it). ctx analysed d. FS_OK or
 * FS_ERR_NOMEM. */
int fs_kwic_find(const fs_kwic *k, const fs_ctx *ctx, const fs_doc *d,
                 int voices, fs_kwic_hit **hits, size_t *nhits);

/** Does each of k's hits lie within one paragraph (lexicon matches, or a
 * pattern of one word)? Then a document analysed in windows cut between
 * paragraphs has the hits, and the contexts, of the whole. Returns 1 or
 * 0. */
int fs_kwic_within_paragraph(const fs_kwic *k);

enum { FS_KWIC_TEXT, FS_KWIC_CSV, FS_KWIC_HTML };
/** Writes the hits with up to `window` words of context each side (within
 * the paragraph, from the text as written): text lines, CSV rows (header:
 * fs_render_kwic_csv_header) or HTML table rows, each on one line led by
 * the escaped outlet and a TAB (for grouping). FS_OK or FS_ERR_NOMEM. */
int fs_render_kwic(FILE *out, int format, const fs_kwic *k, const fs_ctx *ctx,
                   const fs_report_item *it, const fs_kwic_hit *hits,
                   size_t nhits, size_t window);
void fs_render_kwic_csv_header(FILE *out, const char *const *vars,
                               size_t nvars);

/* ---- output helpers ----------------------------------------------------- */

/** Writes s as one CSV field per RFC 4180 (quoted when it holds a comma,
 * quote, CR or LF; quotes doubled). Invalid UTF-8 is written as U+FFFD. */
void fs_csv_field(FILE *out, const char *s, size_t len);

/** Writes s as a JSON string (with quotes), escaping as needed; invalid
 * UTF-8 is written as \ufffd. */
void fs_json_string(FILE *out, const char *s, size_t len);

#define FS_G10_MAX 32
/** Writes x as printf's "%.10g" does, without printf's cost for the common
 * cases, into buf (FS_G10_MAX bytes, NUL-terminated); returns the length. */
size_t fs_format_g10(char *buf, double x);
/** Writes ",x" as a CSV number (%.10g; empty when NaN, Inf/-Inf). */
void fs_csv_number(FILE *out, double x);
/** Writes the n numbers as fs_csv_number does, in one go. */
void fs_csv_numbers(FILE *out, const double *x, size_t n);
/** Writes ,"key":x as a JSON member: null when NaN (undefined), the string
 * "Infinity" or "-Infinity" when infinite (JSON has no such number). */
void fs_json_number(FILE *out, const char *key, double x);

/** Appends to `out` (capacity cap, always NUL-terminated) the text of
 * `len` bytes with invalid UTF-8 replaced by U+FFFD and every run of white
 * space folded to one space (kept at either edge as one space). Returns the
 * number of bytes written. */
size_t fs_text_clean(char *out, size_t cap, const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
