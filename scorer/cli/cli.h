/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli.h - pieces shared by the framescore subcommands: options, reading
 * input files, atomic output files and lexicon set-up. */
#ifndef FS_CLI_H
#define FS_CLI_H

#include "eval.h"
#include "framescore.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_MAX_LEXICONS 64

/* The program's exit statuses (README: Exit status), its own rather than the
 * library's status codes: main() turns a command's FS_OK / FS_ERR_* status
 * into one of these (FS_ERR_USAGE: usage; any other error: input). */
enum { CLI_EXIT_OK = 0, CLI_EXIT_INPUT = 1, CLI_EXIT_USAGE = 2 };
#define CLI_MAX_OPTIONS 128 /* long options cli_parse knows */

/* --format, parsed (cli_opts.format keeps the name as written, which the
 * library's renderers take). */
typedef enum cli_format {
  CLI_FORMAT_TEXT,
  CLI_FORMAT_CSV,
  CLI_FORMAT_JSONL,
  CLI_FORMAT_HTML
} cli_format;

typedef struct cli_opts {
  const char *cmd;
  const char *lexicons[CLI_MAX_LEXICONS];
  int nlexicons;
  bool no_default_lexicons;
  const char *lang;
  const char *format;  /* text, csv, jsonl, html */
  cli_format fmt;      /* the same as an enum */
  bool wide;           /* report --wide: LIWC-shaped CSV */
  bool excel_safe;     /* --excel-safe: CSV text cells cannot be formulas */
  const char *output;  /* NULL or "-" = stdout */
  const char *matches; /* --matches FILE.csv */
  const char *manifest;
  const char *outlet_from;
  const char *voice; /* author, quote, all */
  const char *group_by;  /* --group-by COLUMN[:N] (compare, terms, kwic) */
  const char *category;  /* kwic --category C */
  long window;           /* kwic --window N words of context */
  long html_docs;        /* report --html-docs N articles (0: all) */
  const char *stop_words; /* terms --stop-words FILE|none */
  bool progress;          /* --progress: the progress line even when
                             stderr is not a terminal */
  int threads;
  bool quiet;
  int color; /* -1 auto, 0 never, 1 always */
  size_t max_file_size;
  size_t window_bytes; /* report --window-bytes: longer documents are read
                          in windows of about this size, at most
                          CLI_WINDOW_PIECE (0: whole) */
  const size_t *doc_sizes; /* set by cli_begin: document i's size as the
                              duplicate check's stat found it
                              (CLI_SIZE_UNKNOWN: not a regular file then),
                              or NULL */
  /* compare / terms */
  unsigned long seed;
  long bootstrap;
  long permutations; /* compare: Monte Carlo relabellings */
  const char *pair[2];
  bool surface;
  long min_count;
  long top;
  bool lexicon_only;
  const char *prior;
  const char *save_counts; /* compare --save-counts FILE.csv */
  bool counts; /* compare, terms --counts: the arguments are counts */
  long shard_k, shard_n; /* count --shard K/N (0/0: every document) */
  /* models, actors, train, eval */
  const char *model;      /* --model FILE ("none": no dimensions) */
  const char *dimensions; /* report --dimensions FILE.csv */
  const char *scores;     /* report --scores FILE.csv|.jsonl */
  double distinct_prior;  /* report --distinct-prior WORDS, or -1 */
  const char *excludes[CLI_MAX_LEXICONS]; /* --exclude PATTERN */
  int nexcludes;
  const char *actors;
  const char *text_column, *label_column, *words_column;
  const char *positive, *negative;
  long folds;
  double lambda;
  long min_df;
  const char *unit;
  const char *name;
  const char *spans, *articles, *sentences, *words;
  const char *techniques[CLI_MAX_LEXICONS];
  int ntechniques;
  const char *dims[CLI_MAX_LEXICONS];
  int ndims;
  long phrase_words;
  bool context;              /* train --context: a context model */
  bool scope_all;            /* train --context --scope all */
  bool combine_union;        /* train (tagger) --combine union */
  bool combine_anchor;       /* train (tagger) --combine anchor */
  const char *context_model; /* --context-model FILE ("none": off) */
  const char *tagger;        /* eval --tagger FILE */
  bool pairs;                /* train --pairs: word-pair features */
  bool nb;                   /* train --nb: naive Bayes penalties */
  const char *group;         /* train --group COLUMN[,COLUMN...]: CV groups */
  double word_prior;         /* train --word-prior X (0: off) */
  int affix_min, affix_max;  /* train --affixes LO-HI (0: off) */
  int ngram_min, ngram_max;  /* train --char-ngrams LO-HI (0: off) */
  double ngram_scale;        /* train --ngram-scale S (0: not given) */
  bool shape;                /* train --shape: sentence-shape features */
  long words_weight;         /* train --context --words-weight N (1) */
  bool sentence_stage;       /* train --context --sentence-stage */
  double quote_weight; /* --quote-weight W: quoted speech in loaded_score */
  const char *span_rules;    /* train --span-rules LIST (anchored tagger) */
  bool stack;                /* train --stack: the tagger's stacked stage */
  const char *sentence_cap;  /* train --sentence-cap N|auto|none (tagger) */
  const char *token_features; /* train --token-features LIST (tagger) */
  const char *word_classes;   /* train --word-classes FILE (tagger) */
  const char *word_vectors;   /* --word-vectors FILE: train's vector:
                               * features (sentence model) or v= features
                               * (tagger); eval/report/compare: the
                               * vectors of a model or tagger */
  bool tagger_features;      /* train --tagger-features: nested span tagger */
  const char *context_matches; /* train --context-matches all|framing */
  long tagger_folds;         /* train --tagger-folds K: its own folds (3) */
  const char *tagger_aggregates; /* train --tagger-aggregates LIST */
  const char *vector_pool;   /* train --vector-pool mean|max|mean,max */
  double vector_scale;       /* train --vector-scale S (0: not given) */
  long vector_words;         /* train --vector-words N (0: every row) */
  long vector_skip;          /* train --vector-skip N (0: none) */
  bool tagger_vectors;       /* train --tagger-vectors: the nested tagger
                              * of --tagger-features takes --word-vectors */
  double vector_sif;         /* train --vector-sif A (0: not given) */
  char **args;
  int nargs;
  bool given[CLI_MAX_OPTIONS]; /* by option, in cli_parse's table: see
                                  cli_given() */
} cli_opts;

/* Option applicability, by bit. */
enum {
  CLI_REPORT = 1,
  CLI_COMPARE = 2,
  CLI_TERMS = 4,
  CLI_LEXICON = 8,
  CLI_TRAIN = 16,
  CLI_EVAL = 32,
  CLI_ACTORS = 64,
  CLI_COUNT = 128,
  CLI_MERGE = 256,
  CLI_KWIC = 512,
  CLI_ALL = 1023,
  CLI_VECTORS = 1024 /* vectors convert: -o and --help only (not in ALL) */
};

/* Parses argv (after the subcommand) for command bit `cmd`. Returns 0; -1
 * after printing `help` for --help; or FS_ERR_USAGE after printing a message
 * with a hint. */
int cli_parse(cli_opts *o, int cmd, const char *name, const char *help,
              int argc, char **argv);
/* Whether the long option `name` ("voice", "top") was given on the command
 * line (in any spelling getopt accepts), as cli_parse recorded it. */
bool cli_given(const cli_opts *o, const char *name);
/* The class of a labelled text by --positive and --negative: 1 positive;
 * 0 negative (--negative's label or, without it, any other non-empty
 * label); -1 a text to skip. */
int cli_label_class(const cli_opts *o, const char *label);

/* Prints "framescore: " + message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_print_error(const fs_error *err);
/* Prints "framescore: " + message and a hint to run `framescore NAME
 * --help`; returns FS_ERR_USAGE. */
int cli_usage_error(const char *name, const char *message);

/* The installed data folder `sub` ("lexicons", "models") found from the
 * running binary's place (bin/../share/framescore/sub), into out. Returns
 * false when the binary's path is unknown; the folder may not exist. */
bool cli_installed_data(const char *sub, char *out, size_t cap);

/* Builds the lexicon: the default lexicons for the language (unless
 * --no-default-lexicons), then each --lexicon. NULL after printing the error. */
fs_lexicon *cli_lexicon(const cli_opts *o);

/* Languages one run can hold (a mixed corpus: the manifest's lang column). */
#define CLI_MAX_LANGS 8

/* cli_lexicon for the languages langs[0..nlangs) (Snowball names): each
 * language's default lexicons as its entries, then each --lexicon for
 * every language. NULL after printing the error. */
fs_lexicon *cli_lexicon_langs(const cli_opts *o, const char *const *langs,
                              size_t nlangs);
/* cli_lexicon_langs in two steps, for a lexicon built before its messages'
 * turn: cli_lexicon_build prints nothing (NULL with *msg the error's line,
 * or NULL when out of memory); cli_lexicon_built prints that message (and
 * frees it) or the lexicon's warnings, as cli_lexicon_langs would have at
 * this point, and returns lex. */
fs_lexicon *cli_lexicon_build(const cli_opts *o, const char *const *langs,
                              size_t nlangs, char **msg);
fs_lexicon *cli_lexicon_built(const cli_opts *o, fs_lexicon *lex, char *msg);

/* The index, among lex's languages, of the language document d of c is
 * read in: its manifest row's 'lang' cell (en and ru stand for english and
 * russian), else the run's first language (--lang, or the manifest's first
 * lang cell). */
size_t cli_doc_lang(const fs_corpus *c, const fs_corpus_doc *d,
                    const fs_lexicon *lex);

/* The default lexicon folder the options load (none with
 * --no-default-lexicons); false when there is none. */
bool cli_default_lexicon_dir(const cli_opts *o, char *out, size_t cap);
/* The Snowball name for a --lang value or a manifest's lang cell ("en" and
 * "ru" stand for english and russian; any other name as given). */
const char *cli_lang_name(const char *lang);

/* Refuses outputs (-o, --matches, --dimensions, --save-counts) that are the
 * same file (device and inode, after symlinks) as an input named by the
 * options, a document of c (NULL: the arguments are the inputs), or as each
 * other (clash.c). Returns FS_OK, or FS_ERR_USAGE after saying which. */
int cli_check_outputs(const cli_opts *o, const fs_corpus *c);
/* Refuses a document of c listed twice under different names (device and
 * inode, after symlinks), FS_ERR_INPUT after saying which; then does
 * cli_check_outputs(o, c) with the stats that check took (one stat a
 * document). Returns FS_OK or the first refusal's status.
 * Fills sizes[i] (when not NULL) with document i's size when its stat found
 * a regular file, else CLI_SIZE_UNKNOWN: a short file is then opened and
 * read without a second stat (cli_input_open_sized). */
#define CLI_SIZE_UNKNOWN SIZE_MAX
/* beside (when not NULL) is run with arg on the calling thread while other
 * threads take the stats; it prints nothing: the check's messages come
 * first. */
int cli_check_documents(const cli_opts *o, const fs_corpus *c, size_t *sizes,
                        void (*beside)(void *), void *arg);

/* Builds the corpus from --manifest, the arguments and --outlet-from
 * (session.c).
 * Returns 0 or prints the error and returns its status; a file or folder
 * argument that cannot be used is reported, sets *failed, and the rest goes
 * on. */
int cli_corpus(const cli_opts *o, fs_corpus *c, bool *failed);

/* Reads a whole input file ("-" = stdin). Returns 0, or fills msg and
 * returns FS_ERR_INPUT (missing, directory, not a regular file, too large,
 * binary). */
int cli_read_input(const char *path, size_t max, char **data, size_t *len,
                   char *msg, size_t msgcap);

/* The same in steps, so that files can be opened (and their reading
 * started) ahead of their turn: open and check; ask the kernel to read it
 * in the background; read it whole and close; or close unread. */
typedef struct cli_input {
  int fd; /* -1 when closed */
  size_t size;
  char *buf;   /* the whole file, when the prefetch found it cached */
  size_t have;
} cli_input;
int cli_input_open(cli_input *in, const char *path, size_t max, char *msg,
                   size_t msgcap);
void cli_input_prefetch(cli_input *in);
/* cli_input_open() and cli_input_prefetch() in one, for a file that the
 * duplicate check found regular and `known` bytes long (CLI_SIZE_UNKNOWN:
 * not known): a short one is read whole at once, without a second stat
 * when its read returns exactly those bytes. */
int cli_input_open_sized(cli_input *in, const char *path, size_t max,
                         size_t known, char *msg, size_t msgcap);
/* Files at most this large are read whole when opened ahead. */
#define CLI_PREREAD_MAX ((size_t)1 << 20)

/* Short files opened, read whole and closed a batch at a time in one
 * system call (read_batch.c, io_uring); one per thread. */
typedef struct cli_reader cli_reader;
#define CLI_READER_MAX 16 /* files in a batch */
/* A reader, or NULL where there is none (built without liburing, io_uring
 * refused or too old, FRAMESCORE_IO_URING=off): open files one by one. */
cli_reader *cli_reader_new(void);
void cli_reader_free(cli_reader *r);
/* Opens and reads paths[k] (k < n), whose duplicate check found a regular
 * file of known[k] bytes (CLI_SIZE_UNKNOWN: left alone): done[k] is true
 * when its read returned exactly those bytes, and in[k] then holds them (a
 * buffer the caller frees; no descriptor). The others, done[k] false, are
 * for the caller to open as before (their errors said then). */
void cli_reader_read(cli_reader *r, size_t n, const char *const *paths,
                     const size_t *known, cli_input *in, bool *done);
int cli_input_read(cli_input *in, size_t max, char **data, size_t *len,
                   char *msg, size_t msgcap);
void cli_input_close(cli_input *in);

/* An output written to a temporary file and renamed into place on commit,
 * so a failure never leaves a partial file. */
typedef struct cli_out {
  FILE *f;
  char *path; /* NULL for stdout */
  char *tmp;
  char *buf; /* f's buffer */
  FILE *raw; /* --excel-safe: the stream under f's filter, or NULL */
} cli_out;

#define CLI_OUT_BUFFER (256u << 10) /* output buffers (stdout too) */

int cli_out_open(cli_out *o, const char *path);
/* Flushes and renames into place; returns 0 or prints an error and returns
 * FS_ERR_IO (the temporary file is removed). */
int cli_out_commit(cli_out *o);
/* Removes the temporary file without publishing it. */
void cli_out_abort(cli_out *o);
/* Filters over an output (filter.c): CLI_OUT_CSV, with --excel-safe,
 * prefixes formula-like text cells with '; CLI_OUT_TEXT, with --format
 * text, writes control bytes (from file and outlet names) as \\xHH. FS_OK,
 * or FS_ERR_NOMEM after printing the error. */
enum { CLI_OUT_CSV = 1, CLI_OUT_TEXT };
int cli_out_filter(cli_out *out, const cli_opts *o, int kind);
/* The main output's filter: CSV or text by --format. */
#define CLI_OUT_KIND(o)                                                        \
  ((o)->fmt == CLI_FORMAT_CSV ? CLI_OUT_CSV : CLI_OUT_TEXT)
/* stderr through the text filter: messages name files. */
void cli_safe_stderr(void);

/* memory.c: glibc's heap, and each thread's arena, on transparent huge
 * pages (off with FRAMESCORE_HUGEPAGES=0 and under sanitizers). Call
 * cli_memory_init once in main before any thread exists, after the other
 * mallopt settings; cli_memory_advise between documents, from one thread
 * (the one delivering results): a cheap check, a madvise when the heap has
 * grown; cli_memory_thread first thing in each thread the program starts
 * (before it allocates): its arena is advised too. */
void cli_memory_init(void);
void cli_memory_advise(void);
void cli_memory_thread(void);
/* Advises n bytes from p (a mapping of the caller's, on a 2 MiB boundary)
 * to be backed by huge pages, when the heap is. */
void cli_memory_huge(void *p, size_t n);
/* stdout through the text filter, for commands that print names and
 * lexicon text there without a --format (lexicon check). */
void cli_safe_stdout(void);

/* What every corpus command sets up first: the documents, the lexicon
 * (with the --actors patterns when asked) and an analysis context. */
typedef struct cli_session {
  fs_corpus corpus;
  bool failed; /* a file or folder argument could not be used */
  fs_lexicon *lex;
  struct fs_actors *actors;
  fs_ctx *ctx;
  size_t *doc_sizes; /* [corpus.ndocs]: cli_check_documents' sizes */
  const char *lang; /* the run's language (--lang or the manifest's), or
                       NULL: english */
} cli_session;

/* terms --stop-words (terms_html.c): the terms of a stop-word list (the
 * file given, or for html the language's stopwords.txt beside its default
 * lexicons; none with "none" or when the language has no list), each word
 * stemmed with ctx (NULL: a stemmer for lang) -> *skip [term] (NULL: none)
 * and "FILE, N words" in desc. FS_OK or the status after saying why. */
struct fs_terms;
int cli_stop_words(const cli_opts *o, const struct fs_terms *t,
                   const char *lang, fs_ctx *ctx, bool **skip, char *desc,
                   size_t cap);
/* terms --format html: the page of t (counted, not run), with the hits of
 * its terms read again from the session's corpus (none without ss->ctx:
 * counts files). */
int cli_terms_html(const cli_opts *o, cli_session *ss, struct fs_terms *t,
                   const bool *skip, const char *stop_desc, FILE *out);

/* Builds the session (session.c) and points o->doc_sizes at the sizes the
 * duplicate check found (the session's); returns FS_OK, or the status after
 * printing what went wrong. Call cli_end() in either case. */
int cli_begin(cli_opts *o, bool with_actors, cli_session *s);
void cli_end(cli_session *s);

/* Whether text output to `o` should be coloured. */
bool cli_use_color(const cli_opts *o, const cli_out *out);

/* Called for each document that was read and analysed, in corpus order.
 * `text` and `doc` belong to the callee, which frees them (or keeps them).
 * A non-zero return stops the run with that status. */
typedef int (*cli_doc_fn)(void *user, const fs_corpus_doc *cd, char *text,
                          fs_doc *doc);

/* Reads and analyses every document of the corpus on o->threads threads
 * (each with its own context; this thread analyses a batch whenever the next
 * document is not ready) and calls fn in corpus order on this thread;
 * a document that cannot be read is reported on stderr, sets *failed, and
 * the rest goes on. With more than one thread the documents' form and stem
 * ids belong to worker contexts that are gone when this returns: callers
 * that need ids take them through cli_each_doc_vocab. */
int cli_each_doc(const cli_opts *o, const fs_corpus *c, fs_ctx *ctx,
                 cli_doc_fn fn, void *user, bool *failed);

struct fs_vocab_delta;

/* Called like cli_doc_fn, with the number of the context that analysed the
 * document (0 to threads - 1) and what that context learned up to it
 * (fs_vocab_take; owned by the caller of fn), for callers that map the
 * documents' ids to ids of their own (terms: fs_terms_add_from). */
typedef int (*cli_vocab_fn)(void *user, const fs_corpus_doc *cd, char *text,
                            fs_doc *doc, size_t source,
                            const struct fs_vocab_delta *vocab);

/* cli_each_doc with vocabulary deltas: any thread count. */
int cli_each_doc_vocab(const cli_opts *o, const fs_corpus *c, fs_ctx *ctx,
                       cli_vocab_fn fn, void *user, bool *failed);

/* Work on a document on the thread that analysed it, with the context that
 * analysed it, before the document is delivered in order: what reads the
 * context's form and stem ids (a model's stem features, a span tagger),
 * which the delivering thread cannot (its context is another, and the
 * worker's changes as it goes). It may change doc (a tagger's tags) and
 * leaves in *prep what the delivery takes (NULL: nothing). Returns FS_OK,
 * or a status that stops the run (FS_ERR_NOMEM: "out of memory" said on
 * delivery, in order). */
typedef int (*cli_prep_fn)(void *user, fs_ctx *ctx, const fs_corpus_doc *cd,
                           fs_doc *doc, void **prep);

/* Called like cli_vocab_fn, with what prep left (owned by the callee);
 * source is 0 and vocab NULL unless deltas were asked for. */
typedef int (*cli_prepped_fn)(void *user, const fs_corpus_doc *cd,
                              char *text, fs_doc *doc, void *prep,
                              size_t source,
                              const struct fs_vocab_delta *vocab);

/* cli_each_doc (with vocabulary deltas when vocab) with prep run on the
 * analysing thread first, so that work needing the analysing context runs
 * on every thread, the same for any number of them; free_prep frees what
 * prep left of a document a stopped run never delivered. */
int cli_each_doc_prep(const cli_opts *o, const fs_corpus *c, fs_ctx *ctx,
                      cli_prep_fn prep, void (*free_prep)(void *), bool vocab,
                      cli_prepped_fn fn, void *user, bool *failed);
struct fs_terms;
/* fs_terms_add_from for a delivered document (session.c); prints why when
 * it fails. */
int cli_terms_add(struct fs_terms *t, const fs_corpus_doc *cd,
                  const fs_doc *doc, size_t source,
                  const struct fs_vocab_delta *vocab);

/* cli_terms_add for a document with what count or terms keep of it (x may
 * be NULL): the words of x->bag for a long document read in windows. */
struct cli_doc_extra;
int cli_terms_add_extra(struct fs_terms *t, const fs_corpus_doc *cd,
                        const fs_doc *doc, const struct cli_doc_extra *x,
                        size_t source, const struct fs_vocab_delta *vocab);

struct fs_model;
/* A cli_prep_fn's work for the model m (session.c): on the thread that
 * analysed doc (a stem feature reads stems through ctx), its dimensions
 * into *prep, an array of m->ndims + 1 values the caller frees with free();
 * nothing without a model (m NULL). FS_OK or FS_ERR_NOMEM. */
int cli_prep_dims(const struct fs_model *m, fs_ctx *ctx, fs_doc *doc,
                  void **prep);
/* cli_prep_dims for count and compare (session.c): the dimensions in a
 * cli_doc_extra (below) into *prep, freed with cli_doc_extra_free; nothing
 * without a model (m NULL). FS_OK or FS_ERR_NOMEM. */
int cli_prep_extra(const struct fs_model *m, fs_ctx *ctx, fs_doc *doc,
                   void **prep);

/* Renders one record to out (ordered.c); called on any of the threads. */
typedef void (*cli_item_fn)(void *user, FILE *out, const void *item);
typedef struct cli_ordered cli_ordered;

/* Records of `size` bytes rendered by fn on `threads` threads (this one
 * among them) and written to out in the order they were added; NULL with
 * fewer than 2 threads or when threads cannot be started (render them
 * directly then). fn may only read what it shares with this thread until
 * cli_ordered_finish returns. */
cli_ordered *cli_ordered_new(FILE *out, size_t threads, size_t size,
                             cli_item_fn fn, void *user);
/* Copies the record; the copy is rendered later, and written in turn. */
void cli_ordered_add(cli_ordered *q, const void *item);
/* Renders and writes the rest, stops the threads and frees q (NULL: does
 * nothing); FS_OK, or FS_ERR_NOMEM when some text could not be kept. */
int cli_ordered_finish(cli_ordered *q);

#define CLI_MAX_STREAMS 4

/* Renders one analysed document into streams[0..nstreams) and frees `text`
 * and `doc` (fs_doc_recycle() into ctx: the next document reuses its
 * arrays). It runs on the worker thread that analysed the document, with
 * that worker's context, so it must only read `user`. A non-zero return
 * stops the run with that status. */
typedef int (*cli_render_fn)(void *user, fs_ctx *ctx,
                             const fs_corpus_doc *cd, char *text, fs_doc *doc,
                             FILE *const *streams);

/* cli_each_doc for output that is rendered document by document (report's
 * csv and jsonl): the workers render each document into memory streams of
 * their own, and this thread writes them to outs[0..nouts) in corpus order,
 * so the output is the same for any thread count, and the delivering
 * thread does little more than write. */
int cli_each_doc_rendered(const cli_opts *o, const fs_corpus *c, fs_ctx *ctx,
                          cli_render_fn fn, void *user, FILE *const *outs,
                          size_t nouts, bool *failed);

/* What rendering a long document in windows found (cli_stream_fn): the
 * warnings' counts, and why it failed (msg) when it returns FS_ERR_INPUT. */
/* The memory a thread keeps for long documents' rows between documents
 * (cli_spool_*, io.c): a stream into a buffer, emptied for each document,
 * instead of a temporary file made and filled each time (the file
 * system's work for a 4 MB document's 11 MB of --matches rows was some 6%
 * of the run), its pages reused. */
typedef struct cli_spool {
  FILE *f;       /* writes into buf (NULL until first used) */
  char *buf;     /* the rows of the document */
  size_t len;    /* bytes of them */
  size_t cap;    /* buf's size */
} cli_spool;

/* Rows of one document held in memory up to this many bytes; beyond it
 * they move to a temporary file (cli_spool_check; a 4 MB document's
 * --matches rows take some 8 MB, its tagger's 3.5 MB).
 * FRAMESCORE_SPOOL_MEMORY=BYTES sets it for a run. */
#define CLI_SPOOL_MEMORY ((size_t)16 << 20)

/* A stream for a document's rows: s's memory stream, rewound (s NULL: a
 * temporary file). NULL when neither can be made. */
FILE *cli_spool_begin(cli_spool *s);
/* After a part of the rows: *f moved to a temporary file when it is s's
 * memory stream and holds more than CLI_SPOOL_MEMORY. FS_OK, FS_ERR_IO. */
int cli_spool_check(cli_spool *s, FILE **f);
/* Appends the rows written to f (from cli_spool_begin(s) or
 * cli_spool_check) to `to`. FS_OK or FS_ERR_IO. */
int cli_spool_copy(const cli_spool *s, FILE *f, FILE *to);
/* Done with f (closed unless it is s's memory stream, kept for the next
 * document; memory beyond CLI_SPOOL_MEMORY is let go). */
void cli_spool_end(cli_spool *s, FILE *f);
void cli_spool_free(cli_spool *s);

typedef struct cli_stream_info {
  size_t invalid_utf8, nul_bytes;
  int legacy_8bit;
  char msg[512];
  size_t spare_threads; /* in: threads the run leaves idle (fewer documents
                           than --threads), for cli_read_windows_paired */
  struct cli_window_board *board; /* in: where threads of the run left
                                     without documents look for windows to
                                     analyse (NULL: one thread) */
  cli_spool *spools; /* in: the thread's CLI_SPOOLS, for the document's
                        rows (NULL: temporary files) */
} cli_stream_info;

#define CLI_SPOOLS 2

/* A long document's windows open to other threads (window_pair.c), posted
 * on the run's board while it is read: a thread of the run with no
 * document left to take joins it and analyses its windows until the
 * document is read. The board's lock and condition are the run's (mu,
 * cv: broadcast when a document is posted); `joiners` threads at most
 * join one document. NULL when out of memory. */
typedef struct cli_window_board cli_window_board;
struct cli_window_helper;
cli_window_board *cli_window_board_new(pthread_mutex_t *mu,
                                       pthread_cond_t *cv, size_t joiners);
void cli_window_board_free(cli_window_board *b);
/* A helper's place in a posted document (b's lock held), or NULL when
 * none takes one; then cli_window_help() with the lock let go, which
 * returns when the document is read. ctx: the joining thread's context
 * for the document's language (cli_window_helper_lang(), the lexicon's
 * index), which it must not use meanwhile and which is not freed; NULL:
 * one is made for the help. */
struct cli_window_helper *cli_window_board_join(cli_window_board *b);
long cli_window_helper_lang(const struct cli_window_helper *h);
void cli_window_help(struct cli_window_helper *h, fs_ctx *ctx);

/* Reads, analyses and renders into streams a document longer than
 * o->window_bytes from fd (a regular file at offset 0; the caller closes
 * it), window by window with ctx. Returns FS_OK, FS_ERR_INPUT (the document
 * could not be used: info->msg says why, nothing was written) or another
 * status that stops the run. */
typedef int (*cli_stream_fn)(void *user, fs_ctx *ctx, const fs_corpus_doc *cd,
                             int fd, FILE *const *streams,
                             cli_stream_info *info);

/* cli_each_doc_rendered, with the documents of more than o->window_bytes
 * bytes (regular files; 0: none) rendered by stream instead of read whole. */
int cli_each_doc_rendered_long(const cli_opts *o, const fs_corpus *c,
                               fs_ctx *ctx, cli_render_fn fn,
                               cli_stream_fn stream, void *user,
                               FILE *const *outs, size_t nouts, bool *failed);

/* Is this the start of a binary file rather than text (io.c)? */
bool cli_looks_binary(const char *s, size_t n);

/* Is the file open as fd (a regular file) binary, judged from its first
 * bytes as when it is read whole (io.c)? Reads with pread: the offset stays. */
bool cli_fd_looks_binary(int fd);

/* Appends what the temporary file `from` holds to `to` (io.c): a long
 * document's rows, written once it has been read to the end. Returns FS_OK
 * or FS_ERR_IO. */
int cli_copy_spool(FILE *from, FILE *to);

struct fs_window_sum;
struct fs_window_reader;
/* The document's totals once its last window is read, with what they
 * say of its bytes (invalid UTF-8, NUL bytes, 8-bit text) copied to info. */
fs_doc *cli_window_finish(struct fs_window_sum *sum,
                          struct fs_window_reader *wr, cli_stream_info *info);
/* Reads the regular file on fd (at offset 0) a window at a time (io.c;
 * window.c, with o's --window-bytes and --max-file-size): a binary file is
 * refused from its first bytes, as when read whole; each window is
 * analysed, added to sum (fs_window_sum_init'ed by the caller, who frees it)
 * and handed to each(user, ctx, w), which must not keep it; with a context
 * model cm (NULL: none), the document is read twice, first for what the
 * model's features read of the whole (fs_context_whole), then its matches
 * are weighed window by window as in the whole document (the first
 * reading's analyses are kept for the second while they fit a budget,
 * FRAMESCORE_KEEP_WINDOWS: those windows are read and analysed once). On
 * FS_OK, *total holds the whole document's totals (the caller frees them)
 * and info its byte counts; an input error is FS_ERR_INPUT with info->msg. */
struct fs_context_model;
typedef int (*cli_window_fn)(void *user, fs_ctx *ctx, fs_doc *w);
int cli_read_windows(fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                     const cli_opts *o, const struct fs_context_model *cm,
                     struct fs_window_sum *sum, cli_window_fn each, void *user,
                     fs_doc **total, cli_stream_info *info);
/* cli_read_windows() with a span tagger tg too (NULL: none), which tags
 * each window as in the whole document (fs_tagger_apply_window; the
 * document is read twice, as for a context model) before each() sees it. */
struct fs_tagger;
int cli_read_windows_tagged(fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                            const cli_opts *o,
                            const struct fs_context_model *cm,
                            const struct fs_tagger *tg,
                            struct fs_window_sum *sum, cli_window_fn each,
                            void *user, fs_doc **total,
                            cli_stream_info *info);

/* The bytes of a long document's analyses that its first reading for a
 * context model or a tagger keeps for the second (io.c): 32 MiB, or
 * FRAMESCORE_KEEP_WINDOWS=BYTES. */
size_t cli_keep_budget(void);

struct fs_window_base;
/* Moves wr (just opened) past its first n windows, kept from a first
 * reading (the reader counts their bytes), numbering on from resume, where
 * the first window not kept starts (read only when n > 0). FS_OK or the
 * reader's status. */
int cli_window_skip(struct fs_window_reader *wr, size_t n,
                    const struct fs_window_base *resume, fs_error *err);

/* cli_read_windows_tagged with, when info->spare_threads > 0, that many
 * helper threads (at most 7), each with contexts of its own: the windows
 * are read ahead into a small queue and each goes to whichever thread is
 * free, this one included (window_pair.c); they are numbered, weighed by
 * cm and tg, summed and handed to each in document order as by
 * cli_read_windows_tagged, so the output is the same. each gets the
 * context that analysed the window (read it, don't keep it: a term bag's
 * form ids are that context's) and runs on the calling thread. */
int cli_read_windows_paired(fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                            const cli_opts *o,
                            const struct fs_context_model *cm,
                            const struct fs_tagger *tg,
                            struct fs_window_sum *sum, cli_window_fn each,
                            void *user, fs_doc **total, cli_stream_info *info);

/* A model's dimensions of a long document read in windows (io.c): what
 * each window adds (the share dimensions' denominators count matches,
 * which the totals do not keep; whole numbers, so the windows' add up to
 * the whole's exactly), then the document's from its totals. Only for a
 * model that fs_model_reads_totals. */
struct fs_dim_value;
typedef struct cli_window_dims {
  const struct fs_model *m;
  struct fs_dim_value *wv; /* a window's */
  double *share_den;       /* the share dimensions' denominators so far */
} cli_window_dims;
/* FS_OK or FS_ERR_NOMEM; cli_window_dims_free() in any case. */
int cli_window_dims_init(cli_window_dims *w, const struct fs_model *m);
int cli_window_dims_add(cli_window_dims *w, fs_ctx *ctx, const fs_doc *win);
/* The document's dimensions into out [m->ndims]. FS_OK or FS_ERR_NOMEM. */
int cli_window_dims_finish(const cli_window_dims *w, fs_ctx *ctx,
                           const fs_doc *total, struct fs_dim_value *out);
void cli_window_dims_free(cli_window_dims *w);

/* What count and terms keep of a document besides its fs_doc (a
 * cli_prep_fn's *prep): for a long document read in windows, whose fs_doc
 * holds its totals but no tokens or matches, its words and entries. */
struct fs_term_bag;
typedef struct cli_doc_extra {
  struct fs_dim_value *dv; /* [ndims + 1] the model's dimensions, or NULL */
  struct fs_term_bag *bag; /* its words (terms), or NULL: the doc's tokens */
  size_t *entry_n; /* [nentries + 1] author-voice matches by entry (the last
                      scare quotes), or NULL: the doc's matches */
} cli_doc_extra;
void cli_doc_extra_free(void *extra);

/* Reads the long document on fd in windows (cli_read_windows_paired: with
 * info's spare threads and board, on whichever thread is free) into
 * *total, its totals (as fs_doc_analyze would count them), and *extra: the
 * dimensions of m (NULL: none; a model that fs_model_reads_totals) and,
 * when voice >= 0, its words in that voice (fs_term_bag; by string when
 * other threads may help, fs_term_bag_add_ctx). Returns FS_OK,
 * FS_ERR_INPUT with info->msg, or FS_ERR_NOMEM. */
int cli_window_totals(fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                      const cli_opts *o, const struct fs_model *m, int voice,
                      fs_doc **total, cli_doc_extra **extra,
                      cli_stream_info *info);

/* The size of the windows a long document is read in: --window-bytes, but
 * at most 128 KiB. A window's tokens and matches (about 5.5 times its
 * bytes) then stay in a core's cache while they are analysed: 4 MB
 * documents cost 15% less CPU than in 1 MiB windows (bench/RESULTS.md,
 * session 28). Output does not depend on the window's size. */
#define CLI_WINDOW_PIECE ((size_t)128 << 10)
static inline size_t cli_window_piece(const cli_opts *o) {
  return o->window_bytes < CLI_WINDOW_PIECE ? o->window_bytes
                                            : CLI_WINDOW_PIECE;
}

/* Reads, analyses and sums a document longer than o->window_bytes from fd
 * (a regular file at offset 0; the caller closes it) on the thread that
 * analyses it, as a cli_prep_fn would leave a document read whole: *doc
 * its totals, *prep what the delivered callback reads (freed with the
 * free_prep of cli_each_doc_prep_long). Returns FS_OK, FS_ERR_INPUT (the
 * document could not be used: info->msg says why) or another status that
 * stops the run. */
typedef int (*cli_window_prep_fn)(void *user, fs_ctx *ctx,
                                  const fs_corpus_doc *cd, int fd, fs_doc **doc,
                                  void **prep, cli_stream_info *info);
/* cli_each_doc_prep with the documents of more than o->window_bytes bytes
 * (regular files; 0: none) read by wprep in windows instead of whole
 * (prep may be NULL: nothing for documents read whole). */
int cli_each_doc_prep_long(const cli_opts *o, const fs_corpus *c, fs_ctx *ctx,
                           cli_prep_fn prep, cli_window_prep_fn wprep,
                           void (*free_prep)(void *), bool vocab,
                           cli_prepped_fn fn, void *user, bool *failed);

/* FS_VOICE_AUTHOR, FS_VOICE_QUOTE or FS_VOICES (all) for a --voice value
 * (session.c). */
int cli_voice(const char *v);

struct fs_compare;
struct fs_compare_opts;
struct fs_model;
struct fs_actors;

/* Reads an actors file into lex (before it is frozen); NULL after printing
 * the error (session.c). */
struct fs_actors *cli_load_actors(const char *path, fs_lexicon *lex);

/* --format html (html.c). Report: compares the documents' outlets, finds
 * their distinctive terms (terms, filled from the same documents as they
 * were delivered) and renders every document; compare: renders cmp and,
 * without --pair, the keyness of terms (filled likewise). Return FS_OK or
 * FS_ERR_NOMEM after printing the error. */
int cli_html_report(const cli_opts *o, fs_ctx *ctx,
                    const struct fs_model *model, struct fs_actors *actors,
                    const fs_report_item *items, size_t n,
                    struct fs_terms *terms, const fs_distinct *distinct,
                    FILE *out);
int cli_html_compare(const cli_opts *o, const struct fs_compare *cmp,
                     const struct fs_compare_opts *co, struct fs_terms *terms,
                     FILE *out);
/* Report pages whose documents are counted as they come (report.c keeps
 * whole only those the page can annotate): cmp starts empty with
 * cli_html_compare_init(), each document goes in with fs_compare_add() in
 * the order of items, and cli_html_report_counted() renders the page (the
 * items not annotated may hold only their stats); the caller frees cmp
 * with fs_compare_free(). */
void cli_html_compare_init(const cli_opts *o, fs_ctx *ctx,
                           const struct fs_model *model,
                           struct fs_compare *cmp);
int cli_html_report_counted(const cli_opts *o, fs_ctx *ctx,
                            struct fs_compare *cmp, struct fs_actors *actors,
                            const fs_report_item *items, size_t n,
                            struct fs_terms *terms,
                            const fs_distinct *distinct, FILE *out);
/* cli_html_report_counted with the annotated texts of documents read in
 * windows written ahead into spool (spooled[i]: item i's, len 0: none;
 * both NULL: none). */
struct fs_html_spooled;
int cli_html_report_spooled(const cli_opts *o, fs_ctx *ctx,
                            struct fs_compare *cmp, struct fs_actors *actors,
                            const fs_report_item *items, size_t n,
                            struct fs_terms *terms,
                            const fs_distinct *distinct, FILE *spool,
                            const struct fs_html_spooled *spooled, FILE *out);

int cli_report(int argc, char **argv);
int cli_lexicon_cmd(int argc, char **argv);
/* framescore vectors convert (vectors_cmd.c). */
int cli_vectors_cmd(int argc, char **argv);
int cli_compare(int argc, char **argv);
int cli_terms(int argc, char **argv);
int cli_train(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_actors(int argc, char **argv);
int cli_count(int argc, char **argv);
int cli_merge(int argc, char **argv);

struct fs_shard_merge;
/* Counts files (cli/count.c) opened for merging: their descriptors and the
 * merge reading them. */
typedef struct cli_shards {
  struct fs_shard_source *src;
  int *fd;
  size_t n;
  struct fs_shard_merge *merge;
} cli_shards;
/* Opens the files (a header made with other settings than the first's is
 * an error); FS_OK, or the status after printing why. Call cli_shards_close
 * in either case. */
int cli_shards_open(cli_shards *s, char *const *paths, size_t n);
void cli_shards_close(cli_shards *s);
/* Whether the file starts like a counts file of `count` (not the CSV of
 * --save-counts); false when it cannot be read. */
bool cli_is_shard(const char *path);

int cli_kwic(int argc, char **argv);

struct fs_table;
/* Reads a labelled table (table.h) from a file ("-" = stdin) within max
 * bytes and opens it; FS_OK or a status with err filled (io.c). */
int cli_table_open(struct fs_table *t, const char *path, size_t max,
                   fs_error *err);

struct fs_model;
/* Loads --model FILE, or the default model (models/default.model:
 * $FRAMESCORE_MODELS, the installed data folder, then the source tree), and
 * binds it to lex. NULL with *failed unset for --model none; NULL with
 * *failed set after printing the error (models.c). */
struct fs_word_vectors;
/* Reads a word-vector file (its first max_words rows; 0: all), or prints
 * the error (file:line:col) and returns NULL. lazy: the vectors are only
 * applied (a binary file's rows checked when looked up: see
 * cli_vectors_intact), not trained with. Free with fs_word_vectors_free()
 * and free(). */
struct fs_word_vectors *cli_word_vectors(const char *path, size_t max_words,
                                         bool lazy);
/* After a run that applied model m's vectors and wv (either may be NULL):
 * FS_OK, or prints that a binary file's row looked up was damaged (left
 * out of the scores) and returns FS_ERR_INPUT (models.c). */
struct fs_model;
int cli_vectors_intact(const struct fs_model *m,
                       const struct fs_word_vectors *wv);
struct fs_model *cli_model(const cli_opts *o, const fs_lexicon *lex,
                           bool *failed);

struct fs_context_model;
/* Loads --context-model FILE ("default": context.model from where the
 * default model is found). NULL with *failed unset without one or for
 * "none"; NULL with *failed set after printing the error (models.c). */
struct fs_context_model *cli_context_model(const cli_opts *o,
                                           const fs_lexicon *lex,
                                           bool *failed);

struct fs_tagger;
/* Warns (on stderr, naming path) when tagger tg weighs a lexicon category no
 * loaded lexicon has: it was trained with other --lexicon folders. tg may be
 * NULL (models.c). */
struct fs_word_vectors;
/* For a tagger (loaded from path) trained with word vectors: gives tg the
 * vectors of model m (may be NULL: its vector: features' or its own
 * tagger's) when they are the tagger's (same dimension and digest: the
 * file is read once), else loads them into wv
 * (init'ed by the caller, freed after tg) from --word-vectors or the path
 * the tagger records. FS_OK (a tagger without vectors and no
 * --word-vectors too); else prints the error and returns FS_ERR_INPUT
 * (missing file, other vectors, or --word-vectors for a tagger without
 * them). tg is used while m lives. */
struct fs_model;
int cli_tagger_vectors(const cli_opts *o, const char *path,
                       struct fs_tagger *tg, const struct fs_model *m,
                       struct fs_word_vectors *wv);
void cli_tagger_check_categories(const char *path, const struct fs_tagger *tg,
                                 const fs_lexicon *lex);

/* True when the model has a dimension NAME that covers a category of the
 * lexicons it is bound to (an optional default dimension, models.c). */
bool cli_dimension_active(const struct fs_model *m, const char *name);

/* ---- annotated corpora (annotations.c) ----------------------------------- */

/* Grows *p to hold n + 1 elements of size elt (doubling). 0 or -1. */
int cli_grow(void *p, size_t *cap, size_t n, size_t elt);

/* One gold span of the labels file (eval.h: fs_gold_row). */
typedef struct fs_gold_row cli_gold_row;

/* Reads a labels file (article_id<TAB>technique<TAB>begin<TAB>end, or
 * without the technique): the rows of techniques tech[0..nt). Prints
 * path:line: errors. Returns FS_OK or FS_ERR_INPUT. */
int cli_read_labels(const char *path, const char *const *tech, size_t nt,
                    size_t max, cli_gold_row **rows, size_t *n);
/* The article*.txt files of a folder, sorted (caller frees each and the
 * array); NULL with *n 0 when none. */
char **cli_article_files(const char *dir, size_t *n);
/* Gold spans of article `id`, trimmed by the corpus's rule, into out;
 * cp is scratch for len + 1 code points. Returns the count. */
size_t cli_article_gold(const char *id, const cli_gold_row *rows, size_t nrows,
                        const char *text, size_t len, fs_gold_span *out,
                        uint32_t *cp);
/* Parses a Python-style list of strings: ['a', "b's"] -> words (pointers
 * into *buf); caller frees *buf and *words. The count, or -1. */
long cli_parse_list(const char *s, char **buf, char ***words);

struct fs_annot;
/* Reads --spans LABELS with --articles DIR (the techniques of a's setup)
 * and --words FILE into a, each document analysed with ctx. Prints the
 * error and returns FS_ERR_INPUT on failure. */
int cli_annot_load(const cli_opts *o, fs_ctx *ctx, struct fs_annot *a);

/* `train --context` (a context model) and `train --spans/--words` (a span
 * tagger) from annotated documents (learn.c); voice: matches that count. */
int cli_train_annotated(const cli_opts *o, int voice);
/* `--sentence-cap`: "none" (0), "auto" (-1) or N in 1..1000 into *cap;
 * false when malformed (learn.c). */
bool cli_sentence_cap(const char *s, long *cap);

#endif
