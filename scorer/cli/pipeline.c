/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pipeline.c - reads and analyses a corpus's documents on N threads (one
 * analysis context each; the calling thread is one of them) and hands them,
 * or what the workers rendered of them, to the caller in corpus order, so
 * output is the same for any thread count; shows progress on a terminal. */
#include "cli.h"
#include "internal.h"
#include "terms.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BATCH 16            /* documents a worker takes at once, at most */
#define BATCH_BYTES (256u << 10) /* ... and about this much text */
#define WINDOW_PER_THREAD 4 /* batches in flight per worker */

typedef struct result {
  bool ready;
  bool ok;     /* read and analysed (else msg says why) */
  char *text;  /* with doc: NULL once rendered on the worker */
  fs_doc *doc;
  int rc;      /* of the worker's render callback */
  fs_vocab_delta *vocab; /* what the context learned up to the document */
  void *prep;            /* what the prep callback left, or NULL */
  size_t source;         /* which context analysed it */
  fs_ctx *ctx;           /* that context (gone after the run) */
  size_t len;  /* bytes read, for the progress line */
  size_t invalid_utf8, nul_bytes;
  int legacy_8bit;
  int fd; /* a long document left open to be rendered in windows, or -1 */
  FILE *spool[CLI_MAX_STREAMS]; /* what a worker rendered of a long
                                   document: temporary files, not memory */
  char msg[512]; /* when not ok */
} result;

/* A memory stream a worker renders one document into; the slot's own, kept
 * from one document to the next. */
typedef struct membuf {
  FILE *f;
  char *buf;
  size_t size;
} membuf;

/* Larger buffers are freed before the slot's next document: a window of
 * slots may each have held a big document's rows. */
#define MEMBUF_KEEP (256u << 10)

typedef struct pool {
  const cli_opts *o;
  const fs_corpus *c;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  size_t next;      /* next document to take */
  size_t delivered; /* documents handed to the caller */
  size_t window;
  size_t nthreads;  /* analysing threads, for the size of a batch */
  size_t done_docs, done_bytes; /* analysed so far, for the size of a batch */
  result *slots;    /* [window], document i in slot i % window */
  bool stop;
  cli_render_fn render; /* NULL: documents are delivered unrendered */
  cli_stream_fn stream; /* long documents, when non-NULL */
  bool vocab;           /* take vocabulary deltas (cli_each_doc_vocab) */
  cli_prep_fn prep;     /* run on the analysing thread (cli_each_doc_prep) */
  cli_window_prep_fn wprep; /* long documents, when non-NULL */
  void *user;
  size_t nouts;
  membuf *bufs; /* [window * nouts]: slot k's streams from k * nouts */
  size_t spare; /* threads per analysing thread that --threads leaves idle */
  cli_window_board *board; /* long documents being read in windows, that
                              threads left without documents help with */
  size_t running; /* batches being analysed */
} pool;

/* A document opened ahead of its turn, with the kernel asked to read it in
 * the background, so reading overlaps analysis when the corpus is not in
 * the page cache (archives on disk usually are not). */
typedef struct opened {
  cli_input in;
  int rc; /* of opening; msg says why */
  char msg[512];
} opened;

#define READ_AHEAD 8 /* documents opened ahead by the sequential path */

/* Opens document i of c ahead of its turn (the size the duplicate check
 * found spares its fstat). */
static void open_ahead(const cli_opts *o, const fs_corpus *c, size_t i,
                       opened *op) {
  op->rc = cli_input_open_sized(
      &op->in, c->docs[i].path, o->max_file_size,
      o->doc_sizes ? o->doc_sizes[i] : CLI_SIZE_UNKNOWN, op->msg,
      sizeof op->msg);
}

/* An analyser, numbered, with a context per language of the lexicon (made
 * when its first document comes; ctx[0] may be the caller's, not owned),
 * each with what its deltas have copied. Context k of analyser i is source
 * i * nlangs + k of the vocabulary deltas. */
typedef struct analyser {
  const fs_lexicon *lex;
  fs_ctx *ctx[CLI_MAX_LANGS];
  fs_vocab_mark mark[CLI_MAX_LANGS];
  bool owned[CLI_MAX_LANGS];
  size_t index;
  fs_form_share *const *share; /* [language]: the run's groups (a context
                                  made joins its language's), or NULL */
  cli_reader *reader; /* this thread's batches of short files, or NULL */
  bool reader_tried;
  cli_spool spools[CLI_SPOOLS]; /* long documents' rows, between them */
} analyser;

static void analyser_init(analyser *a, const fs_lexicon *lex, size_t index) {
  memset(a, 0, sizeof *a);
  a->lex = lex;
  a->index = index;
}

/* The context for language k, made when new; NULL when out of memory. */
static fs_ctx *analyser_ctx(analyser *a, size_t k) {
  if (!a->ctx[k]) {
    fs_error err = {0};
    a->ctx[k] = fs_ctx_new_lang(a->lex, fs_lexicon_lang_name(a->lex, k), &err);
    a->owned[k] = a->ctx[k] != NULL;
    /* the forms the other threads' contexts stem are not stemmed again
     * (out of memory: this one learns alone) */
    if (a->ctx[k] && a->share && a->share[k])
      fs_form_share_join(a->share[k], a->ctx[k]);
  }
  return a->ctx[k];
}

/* a's context for the document that h helps with (its language), or NULL
 * (a new one is then made for the help) */
static fs_ctx *analyser_help_ctx(analyser *a,
                                 const struct cli_window_helper *h) {
  long k = cli_window_helper_lang(h);
  return k >= 0 && k < CLI_MAX_LANGS ? analyser_ctx(a, (size_t)k) : NULL;
}

static void analyser_free(analyser *a) {
  for (size_t k = 0; k < CLI_MAX_LANGS; k++)
    if (a->owned[k])
      fs_ctx_free(a->ctx[k]);
  cli_reader_free(a->reader);
  for (size_t k = 0; k < CLI_SPOOLS; k++)
    cli_spool_free(&a->spools[k]);
}

/* Opens documents [first, first + n) of c ahead of their turn into op[],
 * the short ones the duplicate check found regular read whole in one
 * batch with a's reader (made the first time two can go together). */
static void open_batch(const cli_opts *o, const fs_corpus *c, size_t first,
                       size_t n, analyser *a, opened *op) {
  const char *paths[CLI_READER_MAX];
  size_t known[CLI_READER_MAX];
  bool done[CLI_READER_MAX] = {false};
  size_t short_ones = 0;
  /* a document read whole has no descriptor left, so only one that is
   * not long for --window-bytes goes */
  size_t most = o->window_bytes && o->window_bytes < CLI_PREREAD_MAX
                    ? o->window_bytes
                    : CLI_PREREAD_MAX;
  if (most > o->max_file_size)
    most = o->max_file_size;
  for (size_t k = 0; o->doc_sizes && k < n && n <= CLI_READER_MAX; k++) {
    paths[k] = c->docs[first + k].path;
    known[k] = o->doc_sizes[first + k];
    if (known[k] > most)
      known[k] = CLI_SIZE_UNKNOWN;
    else
      short_ones++;
  }
  if (short_ones >= 2 && !a->reader_tried) {
    a->reader = cli_reader_new();
    a->reader_tried = true;
  }
  cli_input got[CLI_READER_MAX];
  if (short_ones && a->reader)
    cli_reader_read(a->reader, n, paths, known, got, done);
  for (size_t k = 0; k < n; k++)
    if (done[k]) {
      op[k].in = got[k];
      op[k].rc = FS_OK;
    } else {
      open_ahead(o, c, first + k, &op[k]);
    }
}

/* Reads and analyses an opened document (d of c) with a's context for its
 * language; fills r, with a vocabulary delta when asked and what prep (when
 * not NULL) leaves of it. */
static void analyse(const cli_opts *o, const fs_corpus *c,
                    const fs_corpus_doc *d, opened *op, analyser *a, bool vocab,
                    bool stream, cli_prep_fn prep, cli_window_prep_fn wprep,
                    void *user, size_t spare, cli_window_board *board,
                    result *r) {
  fs_error err = {0};
  memset(r, 0, offsetof(result, msg));
  r->fd = -1;
  if (op->rc) {
    memcpy(r->msg, op->msg, sizeof r->msg);
    return;
  }
  size_t lang = cli_doc_lang(c, d, a->lex);
  fs_ctx *ctx = analyser_ctx(a, lang);
  if (!ctx) {
    cli_input_close(&op->in);
    snprintf(r->msg, sizeof r->msg, "out of memory");
    return;
  }
  bool is_long = o->window_bytes && op->in.fd >= 0 &&
                 op->in.fd != STDIN_FILENO && op->in.size > o->window_bytes;
  if (wprep && is_long) {
    /* a long document: read window by window into its totals, here */
    free(op->in.buf);
    op->in.buf = NULL;
    int fd = op->in.fd;
    op->in.fd = -1;
    r->len = op->in.size;
    cli_stream_info info = {.spare_threads = spare, .board = board};
    r->rc = wprep(user, ctx, d, fd, &r->doc, &r->prep, &info);
    close(fd);
    if (r->rc == FS_ERR_INPUT) {
      r->rc = FS_OK;
      memcpy(r->msg, info.msg, sizeof r->msg);
      return;
    }
    r->ok = true;
    r->source = a->index * fs_lexicon_lang_count(a->lex) + lang;
    r->ctx = ctx;
    if (vocab)
      r->vocab = fs_vocab_take(ctx, &a->mark[lang]);
    r->invalid_utf8 = info.invalid_utf8;
    r->nul_bytes = info.nul_bytes;
    r->legacy_8bit = info.legacy_8bit;
    return;
  }
  if (stream && is_long) {
    /* a long document: rendered window by window from the open file */
    free(op->in.buf);
    op->in.buf = NULL;
    r->fd = op->in.fd;
    op->in.fd = -1;
    r->len = op->in.size;
    r->ok = true;
    r->source = a->index * fs_lexicon_lang_count(a->lex) + lang;
    r->ctx = ctx;
    return;
  }
  if (cli_input_read(&op->in, o->max_file_size, &r->text, &r->len, r->msg,
                     sizeof r->msg))
    return;
  r->doc = fs_doc_analyze(ctx, r->text, r->len, &err);
  if (!r->doc) {
    snprintf(r->msg, sizeof r->msg, "%s", err.msg);
    free(r->text);
    r->text = NULL;
    return;
  }
  const fs_doc_stats *st = fs_doc_stats_get(r->doc);
  r->ok = true;
  r->source = a->index * fs_lexicon_lang_count(a->lex) + lang;
  r->ctx = ctx;
  if (vocab) /* NULL when out of memory: deliver() says so */
    r->vocab = fs_vocab_take(ctx, &a->mark[lang]);
  r->invalid_utf8 = st->invalid_utf8;
  r->nul_bytes = st->nul_bytes;
  r->legacy_8bit = st->legacy_8bit;
  if (prep)
    r->rc = prep(user, ctx, d, r->doc, &r->prep);
}

/* Renders a long document (r->fd) with stream into streams; afterwards r
 * says whether it could be used and what to warn of. Returns the
 * callback's status unless it is FS_ERR_INPUT (then r is not ok). */
static int render_long(cli_stream_fn stream, void *user, fs_ctx *ctx,
                       const fs_corpus_doc *cd, result *r, FILE *const *streams,
                       size_t spare, cli_window_board *board,
                       cli_spool *spools) {
  cli_stream_info info = {
      .spare_threads = spare, .board = board, .spools = spools};
  int rc = stream(user, ctx, cd, r->fd, streams, &info);
  close(r->fd);
  r->fd = -1;
  r->invalid_utf8 = info.invalid_utf8;
  r->nul_bytes = info.nul_bytes;
  r->legacy_8bit = info.legacy_8bit;
  if (rc == FS_ERR_INPUT) {
    r->ok = false;
    memcpy(r->msg, info.msg, sizeof r->msg);
    return FS_OK;
  }
  return rc;
}

/* Renders an analysed document into its slot's memory streams (worker
 * side of cli_each_doc_rendered); a long one's rows with the help of the
 * thread's spools. */
static void render_into(pool *p, fs_ctx *ctx, const fs_corpus_doc *cd,
                        result *r, membuf *b, cli_spool *spools) {
  FILE *streams[CLI_MAX_STREAMS];
  for (size_t j = 0; j < p->nouts; j++) {
    if (b[j].f && b[j].size > MEMBUF_KEEP) {
      fclose(b[j].f);
      free(b[j].buf);
      b[j].f = NULL;
    }
    if (!b[j].f) {
      b[j].buf = NULL;
      b[j].size = 0;
      b[j].f = open_memstream(&b[j].buf, &b[j].size);
    } else if (fseeko(b[j].f, 0, SEEK_SET)) {
      fclose(b[j].f);
      free(b[j].buf);
      b[j].f = NULL;
    }
    if (!b[j].f) {
      r->rc = FS_ERR_NOMEM;
      if (r->fd >= 0)
        close(r->fd);
      r->fd = -1;
      fs_doc_free(r->doc);
      free(r->text);
      r->doc = NULL;
      r->text = NULL;
      return;
    }
    streams[j] = b[j].f;
  }
  if (r->fd >= 0) {
    /* a long document's rows (every match) go to temporary files that the
     * delivering thread copies: memory stays the window's */
    for (size_t j = 0; j < p->nouts; j++)
      if (!(r->spool[j] = tmpfile())) {
        r->rc = FS_ERR_IO;
        close(r->fd);
        r->fd = -1;
        return;
      }
    r->rc = render_long(p->stream, p->user, ctx, cd, r, r->spool, p->spare,
                        p->board, spools);
  } else
    r->rc = p->render(p->user, ctx, cd, r->text, r->doc, streams);
  r->doc = NULL;
  r->text = NULL;
  /* the size is the stream's position once flushed */
  for (size_t j = 0; j < p->nouts; j++)
    if (fflush(b[j].f) && r->rc == FS_OK)
      r->rc = FS_ERR_NOMEM;
}

typedef struct worker {
  pool *p;
  analyser a;
  pthread_t thread;
} worker;

/* Takes the next batch of consecutive documents (p->mu held): one lock and
 * one wake-up per batch instead of per document when documents are short.
 * A batch holds about BATCH_BYTES of text at the mean size of the documents
 * analysed so far (one document until the first are done), so that long
 * documents go one by one to whichever thread is free, and at most a share
 * 1 / (2 x threads) of the documents left, so that the last ones are spread
 * over every thread instead of one taking them all (10 documents of 4 MB
 * on 2 threads went all to one). Returns its size, 0 when there is none to
 * take now. */
static size_t take_batch(pool *p, size_t *first) {
  if (p->stop || p->next >= p->c->ndocs ||
      p->next >= p->delivered + p->window)
    return 0;
  size_t left = p->c->ndocs - p->next;
  size_t n = (left + 2 * p->nthreads - 1) / (2 * p->nthreads);
  size_t fit = p->done_docs && p->done_bytes
                   ? BATCH_BYTES / (p->done_bytes / p->done_docs + 1)
                   : 1;
  if (n > fit)
    n = fit ? fit : 1;
  if (n > BATCH)
    n = BATCH;
  if (n > p->delivered + p->window - p->next)
    n = p->delivered + p->window - p->next;
  *first = p->next;
  p->next += n;
  return n;
}

/* Reads, analyses (and renders) documents [first, first + n) with a's
 * context and publishes them in their slots. */
static void run_batch(pool *p, analyser *a, size_t first, size_t n) {
  result r[BATCH];
  opened op[BATCH];
  open_batch(p->o, p->c, first, n, a, op);
  for (size_t k = 0; k < n; k++) {
    analyse(p->o, p->c, &p->c->docs[first + k], &op[k], a, p->vocab,
            p->stream != NULL, p->prep, p->wprep, p->user, p->spare,
            p->board, &r[k]);
    if (p->render && r[k].ok)
      render_into(p, r[k].ctx, &p->c->docs[first + k], &r[k],
                  &p->bufs[((first + k) % p->window) * p->nouts], a->spools);
  }
  pthread_mutex_lock(&p->mu);
  p->running--;
  for (size_t k = 0; k < n; k++) {
    p->done_docs++;
    p->done_bytes += r[k].len;
    r[k].ready = true;
    p->slots[(first + k) % p->window] = r[k];
  }
  pthread_cond_broadcast(&p->cv);
  pthread_mutex_unlock(&p->mu);
}

/* Takes the next batch (p->mu held; counted as running), or, when there
 * are no documents left to take, a long document's windows to help with
 * (*help). 0 and no help: wait, or (*done) go. */
static size_t take_work(pool *p, size_t *first,
                        struct cli_window_helper **help, bool *done) {
  size_t n = take_batch(p, first);
  *help = NULL;
  *done = false;
  if (n) {
    p->running++;
    return n;
  }
  if (p->stop)
    *done = true;
  else if (p->next >= p->c->ndocs &&
           !(*help = p->board ? cli_window_board_join(p->board) : NULL))
    *done = p->running == 0; /* nothing is being read that could post */
  return 0;
}

static void *work(void *arg) {
  worker *w = arg;
  pool *p = w->p;
  cli_memory_thread(); /* before the context's tables take its arena */
  /* the context is made here, not by the thread that starts this one: its
   * tables then come from this thread's malloc arena, not from cache lines
   * beside the other threads' data, and the contexts are made at once */
  if (!analyser_ctx(&w->a, 0))
    return NULL; /* out of memory: the other threads take the documents */
  pthread_mutex_lock(&p->mu);
  for (;;) {
    size_t first = 0, n;
    struct cli_window_helper *help;
    bool done;
    while (!(n = take_work(p, &first, &help, &done)) && !help && !done)
      pthread_cond_wait(&p->cv, &p->mu);
    if (done)
      break;
    pthread_mutex_unlock(&p->mu);
    if (n)
      run_batch(p, &w->a, first, n);
    else
      cli_window_help(help, analyser_help_ctx(&w->a, help));
    pthread_mutex_lock(&p->mu);
  }
  pthread_mutex_unlock(&p->mu);
  return NULL;
}

/* ---- progress ------------------------------------------------------------ */

/* The ETA is the bytes left at the rate measured after a warm-up (the
 * first second: lexicons loaded, threads started, the first files read
 * cold), so that the start does not make the first estimate far off. */
#define PROGRESS_WARMUP 1.0 /* seconds */

typedef struct progress {
  bool on;
  double start, last;
  double bytes, total;
  double warm_t, warm_bytes; /* when the warm-up ended, and bytes by then */
} progress;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress_init(progress *g, const cli_opts *o, const fs_corpus *c) {
  memset(g, 0, sizeof *g);
  g->on = !o->quiet && (o->progress || isatty(STDERR_FILENO)) &&
          c->ndocs > 1;
  if (!g->on)
    return;
  for (size_t i = 0; i < c->ndocs; i++) {
    struct stat st;
    if (stat(c->docs[i].path, &st) == 0)
      g->total += (double)st.st_size;
  }
  g->start = g->last = now();
}

static void progress_step(progress *g, const fs_corpus *c, size_t done,
                          const result *r) {
  if (!g->on)
    return;
  if (r->ok)
    g->bytes += (double)r->len;
  double t = now();
  if (t - g->last < 0.5 && done < c->ndocs)
    return;
  g->last = t;
  if (g->warm_t == 0 && t - g->start >= PROGRESS_WARMUP) {
    g->warm_t = t;
    g->warm_bytes = g->bytes;
  }
  double rate = g->bytes / (t - g->start + 1e-9) / 1e6;
  fprintf(stderr, "\r%zu/%zu files, %.1f/%.1f MB, %.1f MB/s, ", done,
          c->ndocs, g->bytes / 1e6, g->total / 1e6, rate);
  double warm = g->warm_t > 0 && t > g->warm_t
                    ? (g->bytes - g->warm_bytes) / (t - g->warm_t)
                    : 0;
  if (done == c->ndocs)
    fputs("done   ", stderr);
  else if (warm > 0)
    fprintf(stderr, "ETA %.0f s   ",
            g->total > g->bytes ? (g->total - g->bytes) / warm : 0.0);
  else
    fputs("ETA ...   ", stderr);
  if (done == c->ndocs)
    fputc('\n', stderr);
}

/* ---- delivery in corpus order -------------------------------------------- */

/* What the caller wants done with each delivered document: fn, or (render
 * non-NULL) render it into outs, or write what a worker rendered (bufs). */
typedef struct sink {
  cli_doc_fn fn;
  cli_vocab_fn vocab_fn;
  cli_prep_fn prep; /* with prepped: cli_each_doc_prep */
  cli_window_prep_fn wprep; /* long documents (cli_each_doc_prep_long) */
  void (*free_prep)(void *);
  cli_prepped_fn prepped;
  bool vocab;       /* prepped takes vocabulary deltas */
  cli_render_fn render;
  cli_stream_fn stream;
  void *user;
  FILE *const *outs;
  size_t nouts;
  size_t spare; /* threads --threads leaves idle (each_doc) */
} sink;

/* Reports a document that could not be used, or its warnings; returns
 * whether it was analysed. */
static bool announce(const cli_opts *o, const fs_corpus_doc *cd,
                     const result *r, bool *failed) {
  if (!r->ok) {
    fprintf(stderr, "%s: %s\n", cd->path, r->msg);
    *failed = true;
    return false;
  }
  if (!o->quiet && (r->invalid_utf8 || r->nul_bytes))
    fprintf(stderr,
            "%s: warning: %zu invalid UTF-8 sequences and %zu NUL bytes "
            "replaced\n",
            cd->path, r->invalid_utf8, r->nul_bytes);
  if (!o->quiet && r->legacy_8bit)
    fprintf(stderr,
            "%s: warning: not UTF-8: looks like Latin-1 or Windows-1252 "
            "text; convert it first (iconv -f WINDOWS-1252 -t UTF-8)\n",
            cd->path);
  return true;
}

static int deliver(const cli_opts *o, const fs_corpus_doc *cd, result *r,
                   const sink *k, const membuf *b, cli_spool *spools,
                   bool *failed) {
  if (r->fd >= 0) { /* a long document, not rendered yet: the sequential
                       path renders it straight into the outputs */
    int rc = render_long(k->stream, k->user, r->ctx, cd, r, k->outs, k->spare,
                         NULL, spools);
    announce(o, cd, r, failed);
    return rc;
  }
  if (!announce(o, cd, r, failed))
    return FS_OK;
  if (k->prepped) {
    if (r->rc || (k->vocab && !r->vocab)) {
      if (r->rc == FS_ERR_NOMEM || !r->rc)
        cli_error("out of memory");
      int rc = r->rc ? r->rc : FS_ERR_NOMEM;
      fs_doc_free(r->doc), free(r->text), free(r->vocab);
      if (r->prep)
        k->free_prep(r->prep);
      return rc;
    }
    int rc = k->prepped(k->user, cd, r->text, r->doc, r->prep, r->source,
                        r->vocab);
    free(r->vocab);
    return rc;
  }
  if (k->fn)
    return k->fn(k->user, cd, r->text, r->doc);
  if (k->vocab_fn) {
    if (!r->vocab) {
      cli_error("out of memory");
      fs_doc_free(r->doc);
      free(r->text);
      return FS_ERR_NOMEM;
    }
    int rc = k->vocab_fn(k->user, cd, r->text, r->doc, r->source, r->vocab);
    free(r->vocab);
    return rc;
  }
  if (r->doc) /* not rendered yet: the sequential path */
    return k->render(k->user, r->ctx, cd, r->text, r->doc, k->outs);
  if (r->rc)
    return r->rc;
  if (r->spool[0]) { /* a long document a worker rendered */
    char buf[65536];
    for (size_t j = 0; j < k->nouts; j++) {
      size_t n;
      if (fflush(r->spool[j]) || fseeko(r->spool[j], 0, SEEK_SET))
        return FS_ERR_IO;
      while ((n = fread(buf, 1, sizeof buf, r->spool[j])) > 0)
        fwrite(buf, 1, n, k->outs[j]);
      if (ferror(r->spool[j]))
        return FS_ERR_IO;
    }
    return FS_OK;
  }
  for (size_t j = 0; j < k->nouts; j++)
    if (b[j].size)
      fwrite(b[j].buf, 1, b[j].size, k->outs[j]);
  return FS_OK;
}

/* Closes the temporary files of a long document's rows. */
static void close_spools(result *r) {
  for (size_t j = 0; j < CLI_MAX_STREAMS; j++)
    if (r->spool[j]) {
      fclose(r->spool[j]);
      r->spool[j] = NULL;
    }
}

static void discard(result *r, const sink *k) {
  if (r->fd >= 0)
    close(r->fd);
  r->fd = -1;
  close_spools(r);
  fs_doc_free(r->doc);
  free(r->text);
  free(r->vocab);
  if (r->prep)
    k->free_prep(r->prep);
  r->doc = NULL;
  r->text = NULL;
  r->vocab = NULL;
  r->prep = NULL;
}

static int sequential(const cli_opts *o, const fs_corpus *c, fs_ctx *ctx,
                      const sink *k, bool *failed) {
  progress g;
  progress_init(&g, o, c);
  opened ring[READ_AHEAD];
  analyser a;
  analyser_init(&a, fs_ctx_lexicon(ctx), 0);
  a.ctx[0] = ctx; /* the caller's */
  size_t ahead = 0; /* documents [i, ahead) are open */
  int rc = FS_OK;
  for (size_t i = 0; i < c->ndocs && rc == FS_OK; i++) {
    if (ahead == i) { /* the next READ_AHEAD at once: i % READ_AHEAD == 0 */
      size_t n = c->ndocs - i < READ_AHEAD ? c->ndocs - i : READ_AHEAD;
      open_batch(o, c, i, n, &a, ring);
      ahead = i + n;
    }
    result r;
    analyse(o, c, &c->docs[i], &ring[i % READ_AHEAD], &a,
            k->vocab_fn != NULL || k->vocab, k->stream != NULL, k->prep,
            k->wprep, k->user, k->spare, NULL, &r);
    progress_step(&g, c, i + 1, &r);
    cli_memory_advise();
    rc = deliver(o, &c->docs[i], &r, k, NULL, a.spools, failed);
    if (rc)
      for (size_t j = i + 1; j < ahead; j++)
        cli_input_close(&ring[j % READ_AHEAD].in);
  }
  analyser_free(&a);
  return rc;
}

static int each_doc(const cli_opts *o, const fs_corpus *c, fs_ctx *ctx,
                    const sink *given, bool *failed) {
  size_t nthreads = o->threads > 1 ? (size_t)o->threads : 1;
  if (nthreads > c->ndocs)
    nthreads = c->ndocs;
  /* fewer documents than threads: the threads left over, shared out among
   * the analysing threads, help with long documents' windows
   * (cli_read_windows_paired) */
  sink own_sink = *given;
  const sink *k = &own_sink;
  own_sink.spare = nthreads && o->threads > 1 && (size_t)o->threads > nthreads
                       ? ((size_t)o->threads - nthreads) / nthreads
                       : 0;
  if (nthreads <= 1)
    return sequential(o, c, ctx, k, failed);
  pool p = {.o = o,
            .c = c,
            .window = nthreads * WINDOW_PER_THREAD * BATCH,
            .nthreads = nthreads,
            .render = k->render,
            .stream = k->stream,
            .vocab = k->vocab_fn != NULL || k->vocab,
            .prep = k->prep,
            .wprep = k->wprep,
            .user = k->user,
            .nouts = k->nouts,
            .spare = k->spare};
  /* nthreads analyse: nthreads - 1 workers and this thread, which takes a
   * batch itself whenever the next document to deliver is not ready (a
   * delivering thread of its own would contend with the workers for the
   * cores) */
  worker *ws = calloc(nthreads, sizeof *ws);
  p.slots = calloc(p.window, sizeof *p.slots);
  if (k->render)
    p.bufs = calloc(p.window * k->nouts + 1, sizeof *p.bufs);
  if (!ws || !p.slots || (k->render && !p.bufs)) {
    free(ws), free(p.slots), free(p.bufs);
    return sequential(o, c, ctx, k, failed);
  }
  pthread_mutex_init(&p.mu, NULL);
  pthread_cond_init(&p.cv, NULL);
  /* NULL when out of memory: long documents are then read alone */
  p.board = cli_window_board_new(&p.mu, &p.cv, nthreads - 1);
  size_t started = 0;
  const fs_lexicon *lex = fs_ctx_lexicon(ctx);
  /* a group per language of the contexts that share new forms (NULL when
   * out of memory: each learns alone) */
  fs_form_share *share[CLI_MAX_LANGS] = {0};
  for (size_t l = 0; l < fs_lexicon_lang_count(lex) && l < CLI_MAX_LANGS; l++)
    share[l] = fs_form_share_new();
  /* this thread's analyser is number 0, the workers' 1, 2, ... */
  cli_memory_advise(); /* what loading grew, before the workers start */
  analyser own;
  analyser_init(&own, lex, 0);
  own.share = share;
  for (; analyser_ctx(&own, 0) && started < nthreads - 1; started++) {
    ws[started].p = &p;
    analyser_init(&ws[started].a, lex, started + 1);
    ws[started].a.share = share;
    if (pthread_create(&ws[started].thread, NULL, work, &ws[started]))
      break;
  }
  int rc = FS_OK;
  progress g;
  progress_init(&g, o, c);
  for (size_t i = 0; i < c->ndocs && started > 0; i++) {
    pthread_mutex_lock(&p.mu);
    while (!p.slots[i % p.window].ready) {
      /* the next document to deliver is not ready: analyse the next
       * batch, or help with a long document's windows, meanwhile */
      size_t first = 0;
      struct cli_window_helper *help;
      bool done;
      size_t n = take_work(&p, &first, &help, &done);
      if (n || help) {
        pthread_mutex_unlock(&p.mu);
        if (n)
          run_batch(&p, &own, first, n);
        else
          cli_window_help(help, analyser_help_ctx(&own, help));
        pthread_mutex_lock(&p.mu);
      } else {
        pthread_cond_wait(&p.cv, &p.mu);
      }
    }
    result r = p.slots[i % p.window];
    p.slots[i % p.window].ready = false;
    pthread_mutex_unlock(&p.mu);
    progress_step(&g, c, i + 1, &r);
    cli_memory_advise();
    if (rc == FS_OK) {
      rc = deliver(o, &c->docs[i], &r, k,
                   p.bufs ? &p.bufs[(i % p.window) * p.nouts] : NULL, NULL,
                   failed);
      close_spools(&r);
    } else {
      discard(&r, k);
    }
    pthread_mutex_lock(&p.mu);
    p.delivered = i + 1;
    if (rc)
      p.stop = true;
    /* workers wait for room for a whole batch's worth; wake them once per
     * batch delivered */
    if (rc || p.delivered % BATCH == 0 || p.delivered == c->ndocs)
      pthread_cond_broadcast(&p.cv);
    pthread_mutex_unlock(&p.mu);
    if (rc)
      break;
  }
  pthread_mutex_lock(&p.mu);
  p.stop = true;
  pthread_cond_broadcast(&p.cv);
  pthread_mutex_unlock(&p.mu);
  for (size_t t = 0; t < started; t++)
    pthread_join(ws[t].thread, NULL);
  /* results a stopped run never delivered */
  for (size_t j = 0; j < p.window; j++)
    if (p.slots[j].ready)
      discard(&p.slots[j], k);
  for (size_t j = 0; p.bufs && j < p.window * p.nouts; j++)
    if (p.bufs[j].f) {
      fclose(p.bufs[j].f);
      free(p.bufs[j].buf);
    }
  free(p.bufs);
  if (started == 0)
    rc = sequential(o, c, ctx, k, failed);
  /* documents do not point to their context, so the callers may keep them
   * after the worker contexts are gone */
  for (size_t t = 0; t < started; t++)
    analyser_free(&ws[t].a);
  analyser_free(&own);
  for (size_t l = 0; l < CLI_MAX_LANGS; l++)
    fs_form_share_free(share[l]);
  free(ws);
  free(p.slots);
  cli_window_board_free(p.board);
  pthread_mutex_destroy(&p.mu);
  pthread_cond_destroy(&p.cv);
  return rc;
}

int cli_each_doc(const cli_opts *o, const fs_corpus *c, fs_ctx *ctx,
                 cli_doc_fn fn, void *user, bool *failed) {
  sink k = {.fn = fn, .user = user};
  return each_doc(o, c, ctx, &k, failed);
}

int cli_each_doc_vocab(const cli_opts *o, const fs_corpus *c, fs_ctx *ctx,
                       cli_vocab_fn fn, void *user, bool *failed) {
  sink k = {.vocab_fn = fn, .user = user};
  return each_doc(o, c, ctx, &k, failed);
}

int cli_each_doc_rendered(const cli_opts *o, const fs_corpus *c, fs_ctx *ctx,
                          cli_render_fn fn, void *user, FILE *const *outs,
                          size_t nouts, bool *failed) {
  if (nouts > CLI_MAX_STREAMS)
    return FS_ERR_USAGE;
  sink k = {.render = fn, .user = user, .outs = outs, .nouts = nouts};
  return each_doc(o, c, ctx, &k, failed);
}

int cli_each_doc_rendered_long(const cli_opts *o, const fs_corpus *c,
                               fs_ctx *ctx, cli_render_fn fn,
                               cli_stream_fn stream, void *user,
                               FILE *const *outs, size_t nouts,
                               bool *failed) {
  if (nouts > CLI_MAX_STREAMS)
    return FS_ERR_USAGE;
  sink k = {.render = fn,
            .stream = stream,
            .user = user,
            .outs = outs,
            .nouts = nouts};
    return each_doc(o, c, ctx, &k, failed);
}

int cli_each_doc_prep(const cli_opts *o, const fs_corpus *c, fs_ctx *ctx,
                      cli_prep_fn prep, void (*free_prep)(void *), bool vocab,
                      cli_prepped_fn fn, void *user, bool *failed) {
  sink k = {.prep = prep,
            .free_prep = free_prep,
            .prepped = fn,
            .vocab = vocab,
            .user = user};
  return each_doc(o, c, ctx, &k, failed);
}

int cli_each_doc_prep_long(const cli_opts *o, const fs_corpus *c, fs_ctx *ctx,
                           cli_prep_fn prep, cli_window_prep_fn wprep,
                           void (*free_prep)(void *), bool vocab,
                           cli_prepped_fn fn, void *user, bool *failed) {
  sink k = {.prep = prep,
            .wprep = wprep,
            .free_prep = free_prep,
            .prepped = fn,
            .vocab = vocab,
            .user = user};
  return each_doc(o, c, ctx, &k, failed);
}
