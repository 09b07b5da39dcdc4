/* SPDX-License-Identifier: GPL-3.0-or-later */
/* window_pair.c - a long document's windows analysed by every thread the
 * run can spare (long document fd → its windows analysed, summed and
 * handed on in order): the calling thread reads the windows into a small
 * queue and each window goes to whichever thread is free (a helper with a
 * context of its own, or the calling thread), which analyses it (and
 * applies a context model and a tagger) and, when its turn comes, hands it
 * on itself: numbered on, summed and written in document order, so the
 * output is the same as one thread's. A window is handed on by the thread
 * that analysed it because what it reads through a context (the words of
 * its matches) must not be read while another thread analyses with that
 * context. A context model or a tagger reads the document twice (the first
 * reading for what their features read of the whole): both readings go
 * through the queue, and the second applies them to the analyses the first
 * kept (within cli_keep_budget(), as io.c does on one thread), each by the
 * thread whose context made it; windows past the budget are analysed
 * again. Also a long document's totals, words and dimensions
 * (cli_window_totals: count, terms, compare), read through the queue. */
#include "cli.h"
#include "context.h"
#include "model.h"
#include "tagger.h"
#include "terms.h"
#include "window.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_HELPERS 7
/* windows read ahead, per analysing thread: one being analysed, one
 * waiting; each holds at most a window's text and analysis, so memory is
 * bounded by the window size (CLI_WINDOW_PIECE) times this */
#define SLOTS_PER_THREAD 2

typedef struct cli_window_queue wqueue;

/* A thread that helps with a queue's windows: one started for it (spare
 * threads of the run), with a context made for it, or one that joined from
 * the board (a thread of the run left without documents), with the
 * context it analysed its own documents with. */
struct cli_window_helper {
  pthread_t thread; /* when started (own) */
  bool own;
  wqueue *q;
  fs_ctx *ctx;
  bool lent;   /* ctx is the joining thread's: not freed here */
  bool failed; /* its context could not be made */
};
typedef struct cli_window_helper helper;

/* A window in the queue. KEPT: the first reading's analysis of it, kept
 * (fs_window_keep) for the second, which only its analysing thread (by)
 * may weigh and tag (TAKEN meanwhile) before it is DONE. */
typedef struct slot {
  char *text; /* a copy: the reader's buffer moves on */
  size_t cap, len;
  fs_window_base base; /* where the window was read to start */
  size_t k;            /* its number in the document */
  enum { FREE, PENDING, TAKEN, DONE, HANDING, KEPT } state;
  fs_doc *w; /* its analysis; NULL with rc */
  int rc;
  helper *by; /* the helper that analysed it; NULL: the calling thread */
  bool kept;  /* w holds a copy of its text (fs_window_unkeep) */
} slot;

/* What an analysing thread does to a window after analysing it: in the
 * second reading of a document for a context model or a tagger, what they
 * read of the whole (w), with the windows' starts known from the first
 * reading. */
typedef struct wq_apply {
  const fs_context_model *cm;
  const fs_tagger *tg;
  const fs_context_whole *whole; /* NULL: nothing to apply */
} wq_apply;

/* What the thread whose turn it is does with each window, in document
 * order: next is where it starts in the document (sentences and
 * paragraphs before it), to be moved on past it; the window was analysed
 * from `used`, with ctx, which may be read but not kept. */
typedef int (*wq_take_fn)(void *user, fs_window_base *next,
                          const fs_window_base *used, fs_ctx *ctx, fs_doc *w);

struct cli_window_queue {
  pthread_mutex_t mu;
  pthread_cond_t cv; /* any change of a slot or of the helpers */
  const fs_lexicon *lex;
  const char *lang;
  slot *slots;
  size_t nslots;
  size_t head;  /* the next window to hand on */
  size_t nread; /* windows read so far */
  bool quit;    /* the helpers go */
  bool stop;    /* a window failed: no more are taken */
  int rc;       /* the first failure */
  bool bad_read; /* the reader failed (not out of memory): err says why */
  wq_apply ap;
  wq_take_fn take; /* the reading's */
  void *user;
  fs_window_base next; /* where the next window to hand on starts */
  helper h[MAX_HELPERS];
  size_t nh, maxh; /* helpers that joined (never fewer), at most maxh */
  size_t active;   /* helpers not yet gone */
  cli_window_board *board; /* where it is posted, or NULL */
  fs_form_share *share; /* the reading context's group: the contexts made
                           for helpers join it */
  fs_ctx *share_ctx;    /* the reading context, when the group is q's own
                           (it leaves it at the end), else NULL */
  /* the first reading's analyses kept for the second: windows 0 to
   * nkept - 1, while they fit in room bytes; in the second reading the
   * windows before nfixed are these slots, not the ring's */
  slot *kept;
  size_t nkept, kept_cap, nfixed;
  size_t room;
  bool keeping; /* the first reading: keep what fits */
  bool full;    /* a window did not fit: the ones after it are read again */
};

/* Window k's slot (mu held, or k's hand-over). */
static slot *slot_at(wqueue *q, size_t k) {
  return k < q->nfixed ? &q->kept[k] : &q->slots[k % q->nslots];
}

/* Window s->k of the first reading, just handed on: kept for the second
 * (the analysis, now numbered in the document, moves into q->kept) when it
 * and every window before it fit. By the handing thread only, in order. */
static bool keep(wqueue *q, slot *s) {
  if (!q->keeping || q->full)
    return false;
  size_t size = fs_grow(&q->kept, &q->kept_cap, q->nkept + 1, sizeof *q->kept)
                    ? 0
                    : fs_window_keep(s->w, q->room);
  if (!size) {
    q->full = true;
    return false;
  }
  q->kept[q->nkept++] = (slot){.k = s->k, .w = s->w, .by = s->by, .kept = true};
  q->room -= size;
  return true;
}

/* Gives back w, an analysis by ctx's thread (or by another, ctx NULL),
 * with the text it kept. */
static void drop(fs_ctx *ctx, fs_doc *w, bool kept) {
  if (kept)
    fs_window_unkeep(w);
  if (ctx)
    fs_doc_recycle(ctx, w);
  else
    fs_doc_free(w);
}

/* Applies what q asks to window s, analysed with ctx (mu not held). */
static void apply(wqueue *q, fs_ctx *ctx, slot *s) {
  if (s->rc == FS_OK && q->ap.whole && q->ap.cm)
    s->rc = fs_context_apply_window(q->ap.cm, q->lex, q->ap.whole, s->k, s->w,
                                    true);
  if (s->rc == FS_OK && q->ap.whole && q->ap.tg)
    s->rc = fs_tagger_apply_window(q->ap.tg, ctx, q->ap.whole, s->k, s->w);
}

/* Analyses window s with ctx (mu not held) and applies what q asks. */
static void analyse(wqueue *q, fs_ctx *ctx, slot *s) {
  fs_error err = {0};
  s->w = fs_doc_analyze_window(ctx, s->text, s->len, &s->base, &err);
  s->rc = s->w ? FS_OK : FS_ERR_NOMEM;
  apply(q, ctx, s);
}

/* The waiting window read first (mu held), or NULL. */
static slot *pending(wqueue *q) {
  if (q->stop)
    return NULL;
  for (size_t k = q->head < q->nfixed ? q->nfixed : q->head; k < q->nread;
       k++) {
    slot *s = &q->slots[k % q->nslots];
    if (s->state == PENDING)
      return s;
  }
  return NULL;
}

/* The first kept window that `by` analysed and has yet to weigh and tag
 * (mu held), or NULL. */
static slot *kept_by(wqueue *q, const helper *by) {
  if (q->stop)
    return NULL;
  for (size_t k = q->head; k < q->nfixed; k++)
    if (q->kept[k].state == KEPT && q->kept[k].by == by)
      return &q->kept[k];
  return NULL;
}

/* One step of a thread working for q (mu held; by: the helper, NULL: the
 * calling thread, with ctx): hands on the next window if this thread
 * analysed it, else weighs and tags a kept window it analysed, else
 * analyses a waiting one. False when there was nothing to do. */
static bool step(wqueue *q, helper *by, fs_ctx *ctx) {
  slot *s = q->head < q->nread ? slot_at(q, q->head) : NULL;
  if (s && s->state == DONE && s->by == by && !q->stop) {
    s->state = HANDING;
    pthread_mutex_unlock(&q->mu);
    /* q->next and the reading's state are this thread's until head moves:
     * the lock orders the hand-overs */
    int rc = s->rc ? s->rc : q->take(q->user, &q->next, &s->base, ctx, s->w);
    if (rc || !keep(q, s))
      drop(ctx, s->w, s->kept);
    pthread_mutex_lock(&q->mu);
    s->w = NULL;
    s->kept = false;
    s->state = FREE;
    q->head++;
    if (rc && !q->stop) {
      q->stop = true;
      q->rc = rc;
    }
    pthread_cond_broadcast(&q->cv);
    return true;
  }
  if ((s = kept_by(q, by))) {
    s->state = TAKEN;
    pthread_mutex_unlock(&q->mu);
    apply(q, ctx, s);
    pthread_mutex_lock(&q->mu);
    s->state = DONE;
    pthread_cond_broadcast(&q->cv);
    return true;
  }
  if ((s = pending(q))) {
    s->state = TAKEN;
    pthread_mutex_unlock(&q->mu);
    analyse(q, ctx, s);
    pthread_mutex_lock(&q->mu);
    s->by = by;
    s->state = DONE;
    pthread_cond_broadcast(&q->cv);
    return true;
  }
  return false;
}

long cli_window_helper_lang(const helper *h) {
  return fs_lexicon_lang_find(h->q->lex, h->q->lang);
}

void cli_window_help(helper *h, fs_ctx *ctx) {
  wqueue *q = h->q;
  pthread_mutex_lock(&q->mu);
  /* a context that has learnt the vocabulary of the documents its thread
   * analysed: a new one would stem every word of the windows again */
  h->ctx = ctx;
  h->lent = ctx != NULL;
  while (!q->quit) {
    if (!h->ctx && pending(q)) {
      /* made when there is first a window to analyse. The lock is let go
       * meanwhile: the other threads may take every window and the queue
       * be told to quit, so the loop looks at it again before any wait
       * (waiting here once missed the quit's wake-up for good) */
      pthread_mutex_unlock(&q->mu);
      fs_error err = {0};
      fs_ctx *made = fs_ctx_new_lang(q->lex, q->lang, &err);
      if (made && q->share) /* out of memory: it learns alone */
        fs_form_share_join(q->share, made);
      pthread_mutex_lock(&q->mu);
      h->ctx = made;
      h->failed = made == NULL;
      if (h->failed)
        break; /* out of memory: the other threads take the windows */
      continue;
    }
    if (!h->ctx || !step(q, h, h->ctx))
      pthread_cond_wait(&q->cv, &q->mu);
  }
  pthread_mutex_unlock(&q->mu);
  if (!h->lent)
    fs_ctx_free(h->ctx);
  h->ctx = NULL;
  /* the last touch of q: the caller frees it once no helper is active */
  pthread_mutex_lock(&q->mu);
  q->active--;
  pthread_cond_broadcast(&q->cv);
  pthread_mutex_unlock(&q->mu);
}

static helper *wq_join(wqueue *q) {
  pthread_mutex_lock(&q->mu);
  helper *h = NULL;
  if (!q->quit && q->nh < q->maxh) {
    h = &q->h[q->nh++];
    memset(h, 0, sizeof *h);
    h->q = q;
    q->active++;
  }
  pthread_mutex_unlock(&q->mu);
  return h;
}

static void *help_thread(void *arg) {
  cli_memory_thread();
  cli_window_help(arg, NULL);
  return NULL;
}

/* ---- the run's board ---------------------------------------------------- */

struct cli_window_board {
  pthread_mutex_t *mu; /* the run's */
  pthread_cond_t *cv;
  wqueue **q; /* [joiners + 1]: one per reading thread */
  size_t n, joiners;
};

cli_window_board *cli_window_board_new(pthread_mutex_t *mu,
                                       pthread_cond_t *cv, size_t joiners) {
  cli_window_board *b = calloc(1, sizeof *b);
  if (b && !(b->q = calloc(joiners + 1, sizeof *b->q))) {
    free(b);
    b = NULL;
  }
  if (b) {
    b->mu = mu;
    b->cv = cv;
    b->joiners = joiners;
  }
  return b;
}

void cli_window_board_free(cli_window_board *b) {
  if (b)
    free(b->q);
  free(b);
}

static void board_post(cli_window_board *b, wqueue *q) {
  pthread_mutex_lock(b->mu);
  b->q[b->n++] = q;
  pthread_cond_broadcast(b->cv);
  pthread_mutex_unlock(b->mu);
}

static void board_withdraw(cli_window_board *b, wqueue *q) {
  pthread_mutex_lock(b->mu);
  for (size_t i = 0; i < b->n; i++)
    if (b->q[i] == q) {
      b->q[i] = b->q[--b->n];
      break;
    }
  pthread_mutex_unlock(b->mu);
}

helper *cli_window_board_join(cli_window_board *b) {
  for (size_t i = 0; i < b->n; i++) {
    helper *h = wq_join(b->q[i]);
    if (h)
      return h;
  }
  return NULL;
}

/* ---- one document's queue ------------------------------------------------ */

/* Makes the queue for `spare` helpers started here and the threads that
 * may join from the board (posted there when not NULL). */
static int wq_start(wqueue *q, fs_ctx *ctx, size_t spare,
                    cli_window_board *board) {
  memset(q, 0, sizeof *q);
  q->lex = fs_ctx_lexicon(ctx);
  q->lang = fs_ctx_lang(ctx);
  q->maxh = spare + (board ? board->joiners : 0);
  if (q->maxh > MAX_HELPERS)
    q->maxh = MAX_HELPERS;
  q->nslots = SLOTS_PER_THREAD * (q->maxh + 1);
  if (!(q->slots = calloc(q->nslots, sizeof *q->slots)))
    return FS_ERR_NOMEM;
  /* the helpers' contexts take the forms the others stemmed (a context
   * of one thread alone, reading a document with spare threads, gets a
   * group of its own for the document) */
  q->share = fs_ctx_form_share(ctx);
  if (!q->share && spare && (q->share = fs_form_share_new())) {
    if (fs_form_share_join(q->share, ctx) || !fs_ctx_form_share(ctx)) {
      fs_form_share_free(q->share);
      q->share = NULL;
    } else {
      q->share_ctx = ctx;
    }
  }
  pthread_mutex_init(&q->mu, NULL);
  pthread_cond_init(&q->cv, NULL);
  for (size_t i = 0; i < spare && i < q->maxh; i++) {
    helper *h = wq_join(q);
    h->own = true;
    if (pthread_create(&h->thread, NULL, help_thread, h)) {
      h->own = false;
      q->nh--;
      q->active--;
      break;
    }
  }
  if (board) {
    q->board = board;
    board_post(board, q);
  }
  return FS_OK;
}

/* Withdraws q from the board, stops the helpers (each finishes what it
 * does) and frees what the queue holds. */
static void wq_stop(wqueue *q) {
  if (q->board)
    board_withdraw(q->board, q);
  pthread_mutex_lock(&q->mu);
  q->quit = true;
  pthread_cond_broadcast(&q->cv);
  while (q->active)
    pthread_cond_wait(&q->cv, &q->mu);
  pthread_mutex_unlock(&q->mu);
  for (size_t i = 0; i < q->nh; i++)
    if (q->h[i].own)
      pthread_join(q->h[i].thread, NULL);
  for (size_t i = 0; i < q->nslots; i++)
    free(q->slots[i].text);
  free(q->slots);
  /* kept windows the second reading did not hand on (it failed, or was
   * not made) */
  for (size_t k = 0; k < q->nkept; k++)
    if (q->kept[k].w)
      drop(NULL, q->kept[k].w, q->kept[k].kept);
  free(q->kept);
  if (q->share_ctx) { /* every helper's context is gone */
    fs_form_share_leave(q->share_ctx);
    fs_form_share_free(q->share);
  }
  pthread_mutex_destroy(&q->mu);
  pthread_cond_destroy(&q->cv);
}

/* The next window of wr read, analysed and handed on by the calling
 * thread alone (mu not held; every window before it handed on, no helper
 * in the queue): analysed from the reader's buffer where the windows
 * before it end (q->next), so it is neither copied nor renumbered. Sets
 * *eof at the end. Returns as wq_read. */
static int read_alone(wqueue *q, fs_ctx *ctx, fs_window_reader *wr,
                      bool *eof, fs_error *err) {
  const char *text;
  slot s = {0};
  int rc = fs_window_next(wr, &text, &s.len, &s.base, err);
  if (rc) {
    q->bad_read = rc != FS_ERR_NOMEM;
    return rc;
  }
  if (!text) {
    *eof = true;
    return FS_OK;
  }
  s.text = (char *)text;
  s.base.sentence = q->next.sentence;
  s.base.paragraph = q->next.paragraph;
  s.k = q->nread;
  analyse(q, ctx, &s);
  rc = s.rc ? s.rc : q->take(q->user, &q->next, &s.base, ctx, s.w);
  if (rc || !keep(q, &s))
    drop(ctx, s.w, false);
  return rc;
}

/* Reads the document of wr (open) through q: windows go to whichever
 * thread is free and are handed to take() in order. bases, when not NULL,
 * gives where each window starts (a second reading): windows are then
 * analysed from there, and the first q->nfixed are the first reading's
 * kept analyses (wr then past them, or NULL when they are all). Returns
 * FS_OK or a status of the reader (then q->bad_read unless out of memory,
 * with err set), the analysis or take(). */
static int wq_read(wqueue *q, fs_ctx *ctx, fs_window_reader *wr,
                   const fs_window_base *bases, size_t nbases, wq_take_fn take,
                   void *user, fs_error *err) {
  bool eof = wr == NULL;
  int rc = FS_OK;
  pthread_mutex_lock(&q->mu);
  q->head = 0;
  q->nread = q->nfixed;
  q->take = take;
  q->user = user;
  q->next = q->nfixed ? bases[0] : wr->next;
  if (q->nfixed)
    pthread_cond_broadcast(&q->cv); /* the helpers' kept windows */
  while (!q->stop) {
    if (q->nh == 0 && !eof && q->head == q->nread) {
      /* no helper has joined (a thread of the run left without documents
       * may join at any time): read ahead, copying and renumbering
       * windows, only once one has */
      pthread_mutex_unlock(&q->mu);
      rc = read_alone(q, ctx, wr, &eof, err);
      pthread_mutex_lock(&q->mu);
      if (rc && !q->stop) {
        q->stop = true;
        q->rc = rc;
      }
      if (!eof && !rc) {
        q->nread++;
        q->head++;
      }
      continue;
    }
    /* read ahead into the free slots */
    while (!eof && q->nread < q->head + q->nslots) {
      slot *s = &q->slots[q->nread % q->nslots];
      pthread_mutex_unlock(&q->mu);
      const char *text;
      size_t len;
      fs_window_base base;
      if ((rc = fs_window_next(wr, &text, &len, &base, err)))
        q->bad_read = rc != FS_ERR_NOMEM;
      else if (text && fs_grow(&s->text, &s->cap, len + 1, 1))
        rc = FS_ERR_NOMEM;
      if (rc == FS_OK && text) {
        memcpy(s->text, text, len);
        s->text[len] = '\0';
        s->len = len;
        s->base = base;
        if (bases && q->nread < nbases) {
          s->base.sentence = bases[q->nread].sentence;
          s->base.paragraph = bases[q->nread].paragraph;
        }
        s->k = q->nread;
        s->w = NULL;
      }
      pthread_mutex_lock(&q->mu);
      if (rc && !q->stop) {
        q->stop = true;
        q->rc = rc;
      }
      if (rc || !text) {
        eof = true;
        break;
      }
      s->state = PENDING;
      q->nread++;
      pthread_cond_broadcast(&q->cv);
    }
    if (q->stop || (eof && q->head == q->nread))
      break;
    if (!step(q, NULL, ctx))
      pthread_cond_wait(&q->cv, &q->mu);
  }
  /* after a failure: the windows out with a helper come back, and what
   * was analysed and not handed on is freed, before the slots are reused
   * or freed */
  for (size_t k = q->head; k < q->nread; k++) {
    slot *s = slot_at(q, k);
    while (s->state == TAKEN || s->state == HANDING)
      pthread_cond_wait(&q->cv, &q->mu);
    /* not into a helper's context: it may be busy */
    if (s->state == DONE || s->state == KEPT)
      drop(s->by ? NULL : ctx, s->w, s->kept);
    s->w = NULL;
    s->kept = false;
    s->state = FREE;
  }
  rc = q->rc;
  q->rc = FS_OK;
  q->stop = false;
  /* the numbering as if the reader had counted every window */
  if (wr) {
    wr->next.sentence = q->next.sentence;
    wr->next.paragraph = q->next.paragraph;
  }
  pthread_mutex_unlock(&q->mu);
  return rc;
}

/* ---- the first reading: what a context model's features read of the
 * whole, and where each window starts ---------------------------------- */

typedef struct first_run {
  fs_context_whole *whole;
  fs_window_base *bases;
  size_t nbases, cap;
} first_run;

/* Moves next on past w (fs_window_done), once w is numbered from it. */
static void number(fs_window_base *next, const fs_window_base *used,
                   fs_doc *w) {
  fs_window_rebase(w, next->sentence - used->sentence,
                   next->paragraph - used->paragraph);
  next->paragraph += (uint32_t)w->stats.paragraphs;
  next->sentence += (uint32_t)w->stats.sentences;
}

static int take_first(void *user, fs_window_base *next,
                      const fs_window_base *used, fs_ctx *ctx, fs_doc *w) {
  first_run *f = user;
  if (fs_grow(&f->bases, &f->cap, f->nbases + 1, sizeof *f->bases))
    return FS_ERR_NOMEM;
  f->bases[f->nbases++] = *next;
  number(next, used, w);
  return fs_context_whole_add(f->whole, fs_ctx_lexicon(ctx), w);
}

/* ---- the reading that counts ----------------------------------------- */

typedef struct second_run {
  fs_window_sum *sum;
  cli_window_fn each;
  void *user;
} second_run;

/* A window analysed, in document order: numbered on past the windows
 * before it (a window read ahead was numbered from where the reader stood
 * then), then added to the sum and handed to each with the context that
 * analysed it. */
static int take_window(void *user, fs_window_base *next,
                       const fs_window_base *used, fs_ctx *ctx, fs_doc *w) {
  second_run *r = user;
  number(next, used, w);
  int rc = fs_window_sum_add(r->sum, ctx, w);
  return rc ? rc : r->each(r->user, ctx, w);
}

int cli_read_windows_paired(fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                            const cli_opts *o,
                            const struct fs_context_model *cm,
                            const struct fs_tagger *tg, fs_window_sum *sum,
                            cli_window_fn each, void *user, fs_doc **total,
                            cli_stream_info *info) {
  wqueue q;
  if ((info->spare_threads == 0 && !info->board) ||
      wq_start(&q, ctx, info->spare_threads, info->board))
    return cli_read_windows_tagged(ctx, cd, fd, o, cm, tg, sum, each, user,
                                   total, info);
  fs_window_reader wr = {0};
  fs_context_whole whole = {0};
  first_run first = {&whole, NULL, 0, 0};
  second_run second = {sum, each, user};
  fs_error err = {0};
  int rc;
  *total = NULL;
  if (cli_fd_looks_binary(fd)) {
    snprintf(info->msg, sizeof info->msg, "looks like a binary file, not text");
    rc = FS_ERR_INPUT;
    goto done;
  }
  if (cm || tg) {
    if ((rc = fs_window_open(&wr, cd->path, fd, cli_window_piece(o),
                             o->max_file_size, "--max-file-size", &err)))
      goto failed;
    q.keeping = true;
    q.room = cli_keep_budget();
    if ((rc = wq_read(&q, ctx, &wr, NULL, 0, take_first, &first, &err)))
      goto read;
    size_t valid = wr.valid;
    fs_window_close(&wr);
    memset(&wr, 0, sizeof wr);
    /* the kept windows, numbered in the document by the first reading,
     * wait for the threads that analysed them (the helpers look at the
     * queue meanwhile) */
    pthread_mutex_lock(&q.mu);
    q.keeping = false;
    q.ap = (wq_apply){cm, tg, &whole};
    for (size_t k = 0; k < q.nkept; k++) {
      q.kept[k].base = first.bases[k];
      q.kept[k].state = KEPT;
    }
    q.nfixed = q.nkept;
    pthread_mutex_unlock(&q.mu);
    if (q.nkept && !q.full) { /* all of them: the file is not read again */
      if ((rc = wq_read(&q, ctx, NULL, first.bases, first.nbases, take_window,
                        &second, &err)))
        goto read;
      wr.valid = valid;
      *total = cli_window_finish(sum, &wr, info);
      goto done;
    }
    if (lseek(fd, 0, SEEK_SET) != 0) {
      rc = fs_error_set(&err, FS_ERR_INPUT, cd->path, 0, 0,
                        "cannot read the file again: %s", strerror(errno));
      goto failed;
    }
  }
  /* past the windows kept, numbered on from where the first one not kept
   * starts (no first reading: nothing kept, no bases) */
  if ((rc = fs_window_open(&wr, cd->path, fd, cli_window_piece(o),
                           o->max_file_size, "--max-file-size", &err)) ||
      (rc = cli_window_skip(&wr, q.nkept,
                            q.nkept ? &first.bases[q.nkept] : NULL, &err)))
    goto failed;
  if ((rc = wq_read(&q, ctx, &wr, first.bases, first.nbases, take_window,
                    &second, &err)))
    goto read;
  *total = cli_window_finish(sum, &wr, info);
  goto done;
read: /* what the analysis or each() returned stops the run as it is */
  if (!q.bad_read)
    goto done;
failed:
  if (rc == FS_ERR_NOMEM)
    goto done;
  snprintf(info->msg, sizeof info->msg, "%s", err.msg);
  rc = FS_ERR_INPUT;
done:
  wq_stop(&q);
  fs_window_close(&wr);
  fs_context_whole_free(&whole);
  free(first.bases);
  return rc;
}

/* ---- a long document's totals, words and dimensions (count, terms,
 * compare) ------------------------------------------------------------- */

/* What each window of cli_window_totals adds. */
typedef struct totals_run {
  cli_window_dims dims;
  fs_term_bag *bag;
  bool paired; /* windows from several contexts: the bag keeps strings */
} totals_run;

static int totals_window(void *user, fs_ctx *ctx, fs_doc *w) {
  totals_run *t = user;
  int rc = cli_window_dims_add(&t->dims, ctx, w);
  if (rc == FS_OK && t->bag)
    rc = t->paired ? fs_term_bag_add_ctx(t->bag, ctx, w)
                   : fs_term_bag_add(t->bag, w);
  return rc;
}

int cli_window_totals(fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                      const cli_opts *o, const fs_model *m, int voice,
                      fs_doc **total, cli_doc_extra **extra,
                      cli_stream_info *info) {
  fs_window_sum sum = {0};
  totals_run t = {0};
  cli_doc_extra *x = calloc(1, sizeof *x);
  *total = NULL;
  *extra = NULL;
  int rc = FS_ERR_NOMEM;
  if (!x || fs_window_sum_init(&sum, ctx) || cli_window_dims_init(&t.dims, m))
    goto done;
  if (voice >= 0) {
    if (!(x->bag = t.bag = malloc(sizeof *t.bag)))
      goto done;
    fs_term_bag_init(t.bag, voice);
  }
  /* the windows go to whichever thread is free (window_pair.c) */
  t.paired = info->spare_threads > 0 || info->board;
  if ((rc = cli_read_windows_paired(ctx, cd, fd, o, NULL, NULL, &sum,
                                    totals_window, &t, total, info)))
    goto done;
  rc = FS_ERR_NOMEM;
  if (t.bag && fs_term_bag_finish(t.bag))
    goto done;
  if (m && (!(x->dv = calloc(m->ndims + 1, sizeof *x->dv)) ||
            cli_window_dims_finish(&t.dims, ctx, *total, x->dv)))
    goto done;
  /* the entries' counts move to x: the sum keeps nothing else */
  x->entry_n = sum.entry_n;
  sum.entry_n = NULL;
  *extra = x;
  x = NULL;
  rc = FS_OK;
done:
  if (rc) {
    fs_doc_free(*total);
    *total = NULL;
  }
  cli_doc_extra_free(x);
  cli_window_dims_free(&t.dims);
  fs_window_sum_free(&sum);
  return rc;
}
