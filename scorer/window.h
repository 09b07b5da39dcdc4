/* SPDX-License-Identifier: GPL-3.0-or-later */
/* window.h - long documents read in windows (window.c): a reader that cuts a
 * file at clean paragraph breaks, and the totals of its windows' analyses
 * (not installed). */
#ifndef FS_WINDOW_H
#define FS_WINDOW_H

#include "internal.h"

/* A document read window by window from a file descriptor. The buffer holds
 * one window and the start of the next: memory is bounded by the window
 * size plus the longest paragraph, not by the document. */
typedef struct fs_window_reader {
  const char *path;  /* for messages */
  const char *limit; /* the name of the size limit, for messages */
  int fd;
  size_t target; /* a window ends at the first clean cut past this many bytes */
  size_t max;    /* the document's size limit */
  char *buf;     /* [cap + 1] */
  size_t cap, len;
  size_t wlen;  /* bytes of buf handed out as the current window */
  size_t read;  /* bytes read in this pass */
  bool eof, started;
  fs_window_base next; /* where the next window starts */
  size_t valid;        /* valid multi-byte sequences so far */
} fs_window_reader;

/* Opens a reader on fd (a regular file at offset 0, which it does not
 * close): reads the file once for the hard-wrap decision, which is the
 * whole document's, and rewinds it. Windows end at the first clean cut at
 * or after `target` bytes. Returns FS_OK or a status with err set (path in
 * it); fs_window_close() in any case. */
int fs_window_open(fs_window_reader *r, const char *path, int fd,
                   size_t target, size_t max, const char *limit,
                   fs_error *err);

/* The next window: *text (owned by the reader, valid until the next call)
 * and *len, where it starts in *base; *text NULL at the end. Returns FS_OK
 * or a status with err set. */
int fs_window_next(fs_window_reader *r, const char **text, size_t *len,
                   fs_window_base *base, fs_error *err);

/* Moves the numbering on past the window just analysed as d. */
void fs_window_done(fs_window_reader *r, const fs_doc *d);

void fs_window_close(fs_window_reader *r);

/* Keeps d, a window just analysed from the reader's buffer (d->text points
 * into it), for a later reading of the same window, when it then holds at
 * most `room` bytes: copies its text (d owns the copy until
 * fs_window_unkeep()) and cuts its arrays to their contents, dropping the
 * matcher's (nothing reads them after the analysis). Returns the bytes it
 * holds, or 0 (d as it was) when they would be more than room or memory
 * ran out. */
size_t fs_window_keep(fs_doc *d, size_t room);

/* Frees the text fs_window_keep() copied: d is then an analysis without
 * text, for fs_doc_recycle() or fs_doc_free(). */
void fs_window_unkeep(fs_doc *d);

/* Moves the sentence and paragraph numbers of w, a window analysed from a
 * base that did not yet count the window before it (the two analysed at
 * once), on by that window's sentences and paragraphs: w is then what
 * fs_doc_analyze_window() makes from the document's base. */
void fs_window_rebase(fs_doc *w, uint32_t sentences, uint32_t paragraphs);

/* The document's totals over its windows. */
typedef struct fs_window_sum {
  fs_doc *doc;  /* stats and counts: no tokens, matches or text */
  const fs_lexicon *lex; /* the context's (its quote weight) */
  double score[FS_VOICES]; /* the loaded-language weight so far, by voice */
  size_t *entry_n; /* [nentries + 1] author-voice matches by entry, the
                      last scare quotes (fs_distinct_add_entries) */
  uint8_t *once_seen; /* [nentries * FS_VOICES] "once" entries seen in an
                         earlier window (fs_once_repeat) */
  double *entry_mass; /* [nentries + 1] the author-voice matches' context
                         probabilities summed in document order, a "once"
                         entry's first only (fs_distinct_add_mass) */
  uint8_t *mass_seen; /* [nentries + 1] entries with a match in entry_mass */
} fs_window_sum;

/* Returns FS_OK or FS_ERR_NOMEM; fs_window_sum_free() in any case. */
int fs_window_sum_init(fs_window_sum *s, const fs_ctx *ctx);

/* Adds a window's analysis (by ctx) in document order. A match of an entry
 * flagged "once" that an earlier window already had in its voice gets
 * weight 0 in w, as in the whole document. Returns FS_OK or FS_ERR_NOMEM. */
int fs_window_sum_add(fs_window_sum *s, const fs_ctx *ctx, fs_doc *w);

/* The document's totals, as fs_doc_analyze() would count them: a document
 * with stats and counts but no tokens, matches or text (what reads only
 * those, as fs_model_score_doc under fs_model_reads_totals does but for
 * the denominators of share dimensions, gives the whole's result). The
 * caller frees it with fs_doc_free(); s->entry_n stays for
 * fs_distinct_add_entries until fs_window_sum_free(). */
fs_doc *fs_window_sum_finish(fs_window_sum *s, const fs_window_reader *r);

void fs_window_sum_free(fs_window_sum *s);

#endif
