/* SPDX-License-Identifier: GPL-3.0-or-later */
/* window_pair.c - a long document's windows two at a time (long document
 * fd → its windows analysed, summed and handed on in order): the even ones
 * on the calling thread, the odd ones on a helper thread with a context of
 * its own, for a run with a thread to spare (fewer documents than
 * --threads), so that one long document does not leave a thread idle. */
#include "cli.h"
#include "window.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The helper: one window at a time, handed over under mu. Its context is
 * made, fed and freed on its own thread; the calling thread reads it (and
 * the window analysed with it) only while the helper waits for the next
 * window, which the mutex orders. */
typedef struct helper {
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  const fs_lexicon *lex;
  const char *lang;
  fs_ctx *ctx; /* the helper's; NULL when it could not be made */
  /* the window handed over: */
  const char *text;
  size_t len;
  fs_window_base base;
  fs_doc *w;    /* its analysis, NULL when out of memory */
  fs_doc *back; /* a window the calling thread is done with: recycled by
                   the helper into its context before its next one */
  enum { IDLE, WORK, DONE, QUIT } state;
  bool ready; /* the context is made (or failed to be) */
} helper;

static void *help(void *arg) {
  helper *h = arg;
  fs_error err = {0};
  fs_ctx *ctx = fs_ctx_new_lang(h->lex, h->lang, &err);
  pthread_mutex_lock(&h->mu);
  h->ctx = ctx;
  h->ready = true;
  pthread_cond_broadcast(&h->cv);
  while (ctx) {
    while (h->state != WORK && h->state != QUIT)
      pthread_cond_wait(&h->cv, &h->mu);
    fs_doc *back = h->back;
    h->back = NULL;
    if (h->state == QUIT) {
      pthread_mutex_unlock(&h->mu);
      fs_doc_recycle(ctx, back);
      fs_ctx_free(ctx);
      return NULL;
    }
    pthread_mutex_unlock(&h->mu);
    fs_doc_recycle(ctx, back);
    fs_doc *w = fs_doc_analyze_window(ctx, h->text, h->len, &h->base, &err);
    pthread_mutex_lock(&h->mu);
    h->w = w;
    h->state = DONE;
    pthread_cond_broadcast(&h->cv);
  }
  pthread_mutex_unlock(&h->mu);
  return NULL;
}

/* Starts h with a context for ctx's language; false when the thread or its
 * context could not be made (the caller then reads alone). */
static bool helper_start(helper *h, const fs_ctx *ctx) {
  memset(h, 0, sizeof *h);
  h->lex = fs_ctx_lexicon(ctx);
  h->lang = fs_ctx_lang(ctx);
  pthread_mutex_init(&h->mu, NULL);
  pthread_cond_init(&h->cv, NULL);
  if (pthread_create(&h->thread, NULL, help, h)) {
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cv);
    return false;
  }
  pthread_mutex_lock(&h->mu);
  while (!h->ready)
    pthread_cond_wait(&h->cv, &h->mu);
  bool ok = h->ctx != NULL;
  pthread_mutex_unlock(&h->mu);
  if (!ok) {
    pthread_join(h->thread, NULL);
    pthread_mutex_destroy(&h->mu);
    pthread_cond_destroy(&h->cv);
  }
  return ok;
}

/* Hands the helper a window (text stays valid until it is done). */
static void helper_give(helper *h, const char *text, size_t len,
                        const fs_window_base *base) {
  pthread_mutex_lock(&h->mu);
  h->text = text;
  h->len = len;
  h->base = *base;
  h->state = WORK;
  pthread_cond_broadcast(&h->cv);
  pthread_mutex_unlock(&h->mu);
}

/* Waits for the helper's window; NULL when out of memory. */
static fs_doc *helper_take(helper *h) {
  pthread_mutex_lock(&h->mu);
  while (h->state != DONE)
    pthread_cond_wait(&h->cv, &h->mu);
  fs_doc *w = h->w;
  h->w = NULL;
  h->state = IDLE;
  pthread_mutex_unlock(&h->mu);
  return w;
}

/* Gives back w (may be NULL) and stops the helper, which frees its context.
 * A window given back at the end of the loop and not yet recycled (the
 * helper had no next window) stays in h->back: it is not overwritten. */
static void helper_stop(helper *h, fs_doc *w) {
  pthread_mutex_lock(&h->mu);
  if (!h->back)
    h->back = w;
  else
    fs_doc_free(w);
  h->state = QUIT;
  pthread_cond_broadcast(&h->cv);
  pthread_mutex_unlock(&h->mu);
  pthread_join(h->thread, NULL);
  pthread_mutex_destroy(&h->mu);
  pthread_cond_destroy(&h->cv);
}

/* A window analysed, in document order: its numbering moved on past the
 * windows before it, then added to the sum and handed to each with the
 * context that analysed it. */
static int take_window(fs_window_reader *wr, const fs_window_base *used,
                       fs_ctx *ctx, fs_doc *w, fs_window_sum *sum,
                       cli_window_fn each, void *user) {
  fs_window_rebase(w, wr->next.sentence - used->sentence,
                   wr->next.paragraph - used->paragraph);
  fs_window_done(wr, w);
  int rc = fs_window_sum_add(sum, ctx, w);
  return rc ? rc : each(user, ctx, w);
}

int cli_read_windows_paired(fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                            const cli_opts *o,
                            const struct fs_context_model *cm,
                            fs_window_sum *sum, cli_window_fn each, void *user,
                            fs_doc **total, cli_stream_info *info) {
  helper h;
  if (cm || info->spare_threads == 0 || !helper_start(&h, ctx))
    return cli_read_windows(ctx, cd, fd, o, cm, sum, each, user, total, info);
  fs_window_reader wr = {0};
  fs_error err = {0};
  char *copy = NULL; /* the even window: the reader's buffer moves on */
  size_t copy_cap = 0;
  fs_doc *mine = NULL, *theirs = NULL;
  int rc;
  *total = NULL;
  if (cli_fd_looks_binary(fd)) {
    snprintf(info->msg, sizeof info->msg, "looks like a binary file, not text");
    rc = FS_ERR_INPUT;
    goto done;
  }
  if ((rc = fs_window_open(&wr, cd->path, fd, cli_window_piece(o),
                           o->max_file_size, "--max-file-size", &err)))
    goto failed;
  for (;;) {
    const char *text, *next;
    size_t len, nlen;
    fs_window_base base, nbase;
    if ((rc = fs_window_next(&wr, &text, &len, &base, &err)))
      goto failed;
    if (!text)
      break;
    if (fs_grow(&copy, &copy_cap, len + 1, 1)) {
      rc = FS_ERR_NOMEM;
      goto done;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    if ((rc = fs_window_next(&wr, &next, &nlen, &nbase, &err)))
      goto failed;
    /* the odd window is numbered from where the even one starts: its own
     * sentences and paragraphs move on once the even one is counted */
    if (next)
      helper_give(&h, next, nlen, &nbase);
    mine = fs_doc_analyze_window(ctx, copy, len, &base, &err);
    rc = mine ? take_window(&wr, &base, ctx, mine, sum, each, user)
              : FS_ERR_NOMEM;
    fs_doc_recycle(ctx, mine);
    mine = NULL;
    if (next) {
      /* the helper's window, given back to it with the next one */
      fs_doc *w = helper_take(&h);
      theirs = w;
      if (rc == FS_OK)
        rc = w ? take_window(&wr, &nbase, h.ctx, w, sum, each, user)
               : FS_ERR_NOMEM;
    }
    if (rc)
      goto done;
    if (!next)
      break;
    /* the helper recycles its window while the next pair is read */
    pthread_mutex_lock(&h.mu);
    h.back = theirs;
    theirs = NULL;
    pthread_mutex_unlock(&h.mu);
  }
  *total = cli_window_finish(sum, &wr, info);
  goto done;
failed:
  if (rc == FS_ERR_NOMEM)
    goto done;
  snprintf(info->msg, sizeof info->msg, "%s", err.msg);
  rc = FS_ERR_INPUT;
done:
  helper_stop(&h, theirs);
  free(copy);
  fs_window_close(&wr);
  return rc;
}
