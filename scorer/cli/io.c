/* SPDX-License-Identifier: GPL-3.0-or-later */
/* io.c - reading input files whole (with clear refusals for directories,
 * FIFOs, binary and oversized files) and writing outputs atomically. */
#include "cli.h"
#include "context.h"
#include "model.h"
#include "table.h"
#include "tagger.h"
#include "terms.h"
#include "window.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define SNIFF_BYTES 65536

/* Binary data: many NUL or control bytes near the start. */
static bool looks_binary(const char *s, size_t n) {
  /* control characters other than \t \n \v \f \r (9-13) and ESC;
   * every byte of most files passes through here: 16 or 64 at a time (the
   * compiler's vector code for the loop below took 2.8 instructions a
   * byte, 2.5% of `report` on 5 KB documents) */
  size_t m = n < SNIFF_BYTES ? n : SNIFF_BYTES, bad = 0;
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
#ifdef __SSE2__
  const __m128i x1f = _mm_set1_epi8(0x1F), nine = _mm_set1_epi8(9);
  const __m128i four = _mm_set1_epi8(4), esc = _mm_set1_epi8(0x1B);
  const __m128i lf = _mm_set1_epi8('\n');
  for (; i + 16 <= m; i += 16) {
    /* text has no control byte but LF in most 64-byte blocks: one test
     * for such a block (half the instructions), the exact count 16 bytes
     * at a time for a block with a tab, CR or another control byte */
    if (i + 64 <= m && (i & 63) == 0) {
      __m128i any = _mm_setzero_si128();
      for (int k = 0; k < 64; k += 16) {
        __m128i v =
            _mm_loadu_si128((const __m128i *)(const void *)(u + i + k));
        __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, x1f), v);
        any = _mm_or_si128(any, _mm_andnot_si128(_mm_cmpeq_epi8(v, lf), ctl));
      }
      if (!_mm_movemask_epi8(any)) {
        i += 48; /* and the loop's 16 */
        continue;
      }
    }
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
    __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, x1f), v); /* < 0x20 */
    __m128i w = _mm_sub_epi8(v, nine);
    __m128i space = _mm_cmpeq_epi8(_mm_min_epu8(w, four), w); /* 9-13 */
    __m128i ok = _mm_or_si128(space, _mm_cmpeq_epi8(v, esc));
    unsigned mask = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(ok, ctl));
    if (mask) /* rare in text */
      bad += (size_t)__builtin_popcount(mask);
  }
#endif
  for (; i < m; i++) {
    unsigned char c = u[i];
    bad += (c < 0x20) & ((unsigned char)(c - 9) > 4) & (c != 0x1B);
  }
  return m > 0 && bad * 10 > m;
}

bool cli_looks_binary(const char *s, size_t n) { return looks_binary(s, n); }

int cli_copy_spool(FILE *from, FILE *to) {
  char buf[65536];
  size_t n;
  if (fflush(from) || fseeko(from, 0, SEEK_SET))
    return FS_ERR_IO;
  while ((n = fread(buf, 1, sizeof buf, from)) > 0)
    if (fwrite(buf, 1, n, to) != n)
      return FS_ERR_IO;
  return ferror(from) ? FS_ERR_IO : FS_OK;
}

/* A byte count from the environment variable `name` (a run's setting),
 * or dflt when it is unset, empty or not a whole number. */
static size_t env_bytes(const char *name, size_t dflt) {
  const char *env = getenv(name);
  if (!env || !*env)
    return dflt;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(env, &end, 10);
  return errno || *end ? dflt : (size_t)v;
}

/* CLI_SPOOL_MEMORY, or FRAMESCORE_SPOOL_MEMORY=BYTES for a run (the tests
 * move rows to a file with 0) */
static size_t spool_memory(void) {
  return env_bytes("FRAMESCORE_SPOOL_MEMORY", CLI_SPOOL_MEMORY);
}

/* A spool's buffer of cap bytes, its contents kept: a mapping of
 * its own, on huge pages when the heap is (cli_memory_huge), grown by
 * mremap on Linux (its pages stay where they are; from malloc's heap, a
 * buffer regrown was copied into fresh pages, and open_memstream zeroes
 * the new tail too: some 4,500 small page faults on the first 4 MB
 * document, twice the rows' pages). NULL when out of memory. */
static char *spool_grow(char *buf, size_t old, size_t cap) {
#ifdef __linux__
  const size_t huge = (size_t)2 << 20;
  if (buf) {
    void *b = mremap(buf, old, cap, MREMAP_MAYMOVE);
    return b == MAP_FAILED ? NULL : b;
  }
  /* cap (a multiple of 2 MiB) on a 2 MiB boundary: mapped with room to
   * spare, the rest unmapped */
  char *m = mmap(NULL, cap + huge, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED)
    return NULL;
  char *b = (char *)(((uintptr_t)m + huge - 1) & ~(uintptr_t)(huge - 1));
  if (b > m)
    munmap(m, (size_t)(b - m));
  munmap(b + cap, (size_t)(m + huge - b));
  cli_memory_huge(b, cap);
  return b;
#else
  (void)old;
  return realloc(buf, cap);
#endif
}

static void spool_unmap(char *buf, size_t cap) {
#ifdef __linux__
  if (buf)
    munmap(buf, cap);
#else
  (void)cap;
  free(buf);
#endif
}

/* A spool's first size: room for the rows a document may keep in it (few
 * of its pages are touched: a mapping's come as they are written), a
 * multiple of 2 MiB. */
static size_t spool_first_cap(void) {
  return (spool_memory() + ((size_t)4 << 20)) & ~(((size_t)2 << 20) - 1);
}

/* The write function of a spool's stream: appended to its buffer. */
static ssize_t spool_write(void *cookie, const char *p, size_t n) {
  cli_spool *s = cookie;
  if (n > s->cap - s->len) {
    size_t cap = s->cap ? s->cap : spool_first_cap();
    while (cap - s->len < n)
      cap *= 2;
    char *b = spool_grow(s->buf, s->cap, cap);
    if (!b)
      return 0; /* the stream's error */
    s->buf = b;
    s->cap = cap;
  }
  memcpy(s->buf + s->len, p, n);
  s->len += n;
  return (ssize_t)n;
}

FILE *cli_spool_begin(cli_spool *s) {
  if (!s)
    return tmpfile();
  if (!s->f) {
    cookie_io_functions_t io = {.write = spool_write};
    s->f = fopencookie(s, "w", io);
  } else
    clearerr(s->f); /* flushed when the last document was done */
  s->len = 0;
  return s->f;
}

int cli_spool_check(cli_spool *s, FILE **f) {
  if (!s || !*f || *f != s->f)
    return FS_OK;
  if (fflush(*f))
    return FS_ERR_IO;
  if (s->len <= spool_memory())
    return FS_OK;
  FILE *t = tmpfile();
  if (!t || cli_spool_copy(s, *f, t)) {
    if (t)
      fclose(t);
    return FS_ERR_IO;
  }
  cli_spool_free(s); /* a larger document's rows: not held */
  *f = t;
  return FS_OK;
}

int cli_spool_copy(const cli_spool *s, FILE *f, FILE *to) {
  if (!s || f != s->f)
    return cli_copy_spool(f, to);
  if (fflush(f) || ferror(f))
    return FS_ERR_IO;
  return fwrite(s->buf, 1, s->len, to) == s->len ? FS_OK : FS_ERR_IO;
}

void cli_spool_end(cli_spool *s, FILE *f) {
  if (!f)
    return;
  if (!s || f != s->f) {
    fclose(f);
    return;
  }
  /* kept, its pages with it, unless it grew past its first size (a
   * larger document's rows: not held) */
  if (fflush(f) || s->cap > spool_first_cap())
    cli_spool_free(s);
}

void cli_spool_free(cli_spool *s) {
  if (s->f)
    fclose(s->f); /* flushes into s->buf */
  spool_unmap(s->buf, s->cap);
  memset(s, 0, sizeof *s);
}

bool cli_fd_looks_binary(int fd) {
  char head[SNIFF_BYTES];
  ssize_t got;
  while ((got = pread(fd, head, sizeof head, 0)) < 0 && errno == EINTR)
    ;
  return got > 0 && looks_binary(head, (size_t)got);
}

/* The analyses of a long document's first reading (for a context model or
 * a tagger) kept for the second, which then applies to them instead of
 * reading and analysing their windows again: the windows from the first
 * on, while they hold at most the budget (cli_keep_budget); the windows after
 * them are read and analysed twice. */
typedef struct kept_windows {
  fs_doc **w;
  size_t n, cap;
  size_t room;           /* bytes they may still take */
  bool full;             /* a window did not fit: the rest is read again */
  fs_window_base resume; /* where the first window not kept starts */
  size_t valid;          /* the reader's valid multi-byte sequences, all kept */
} kept_windows;

/* The bytes of analyses kept: a 4 MB document's (about 7 bytes a byte of
 * text: tokens, their lines and sentences, matches and the text) fit;
 * FRAMESCORE_KEEP_WINDOWS=BYTES sets it for a run (0: every window is read
 * twice; the tests run both ways). */
#define KEEP_BUDGET ((size_t)32 << 20)

size_t cli_keep_budget(void) {
  return env_bytes("FRAMESCORE_KEEP_WINDOWS", KEEP_BUDGET);
}

/* Keeps w, window k of the first reading that starts at base, when it and
 * the windows before it fit (w is then k's, and is not recycled). */
static bool keep_window(kept_windows *kw, fs_doc *w,
                        const fs_window_base *base) {
  if (kw->full)
    return false;
  size_t size = fs_grow(&kw->w, &kw->cap, kw->n + 1, sizeof *kw->w)
                    ? 0
                    : fs_window_keep(w, kw->room);
  if (!size) {
    kw->full = true;
    kw->resume = *base;
    return false;
  }
  kw->w[kw->n++] = w;
  kw->room -= size;
  return true;
}

static void kept_free(fs_ctx *ctx, kept_windows *kw) {
  for (size_t k = 0; k < kw->n; k++)
    if (kw->w[k]) {
      fs_window_unkeep(kw->w[k]);
      fs_doc_recycle(ctx, kw->w[k]);
    }
  free(kw->w);
  memset(kw, 0, sizeof *kw);
}

/* The first reading of a document for a context model: what its features
 * read of the whole document (fs_context_whole), window by window, keeping
 * what fits of the analyses in kw. Leaves fd at offset 0. */
static int context_reading(fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                           const cli_opts *o, fs_context_whole *whole,
                           kept_windows *kw, fs_error *err) {
  fs_window_reader wr = {0};
  int rc = fs_window_open(&wr, cd->path, fd, cli_window_piece(o),
                          o->max_file_size, "--max-file-size", err);
  while (rc == FS_OK) {
    const char *text;
    size_t len;
    fs_window_base base;
    if ((rc = fs_window_next(&wr, &text, &len, &base, err)) || !text)
      break;
    fs_doc *w = fs_doc_analyze_window(ctx, text, len, &base, err);
    if (!w) {
      rc = fs_error_set(err, FS_ERR_NOMEM, cd->path, 0, 0, "out of memory");
      break;
    }
    fs_window_done(&wr, w);
    if (fs_context_whole_add(whole, fs_ctx_lexicon(ctx), w))
      rc = fs_error_set(err, FS_ERR_NOMEM, cd->path, 0, 0, "out of memory");
    if (rc != FS_OK || !keep_window(kw, w, &base))
      fs_doc_recycle(ctx, w);
  }
  kw->valid = wr.valid;
  fs_window_close(&wr);
  if (rc == FS_OK && kw->full && lseek(fd, 0, SEEK_SET) != 0)
    rc = fs_error_set(err, FS_ERR_INPUT, cd->path, 0, 0,
                      "cannot read the file again: %s", strerror(errno));
  return rc;
}

/* Window k of the second reading, analysed: weighed by cm and tagged by tg
 * with what the first reading gathered of the whole (when they are given),
 * added to sum and handed to each. */
static int take_window(fs_ctx *ctx, const fs_context_model *cm,
                       const fs_tagger *tg, const fs_context_whole *whole,
                       size_t k, fs_window_sum *sum, cli_window_fn each,
                       void *user, fs_doc *w) {
  /* the context model's probabilities weigh the matches before they are
   * summed, as in the whole document */
  int rc = cm ? fs_context_apply_window(cm, fs_ctx_lexicon(ctx), whole, k, w,
                                        true)
              : FS_OK;
  /* the tagger reads the whole's quantities as the context model does */
  if (rc == FS_OK && tg)
    rc = fs_tagger_apply_window(tg, ctx, whole, k, w);
  if (rc == FS_OK)
    rc = fs_window_sum_add(sum, ctx, w);
  if (rc == FS_OK)
    rc = each(user, ctx, w);
  return rc;
}

int cli_window_skip(fs_window_reader *wr, size_t n,
                    const fs_window_base *resume, fs_error *err) {
  for (size_t k = 0; k < n; k++) {
    const char *text;
    size_t len;
    fs_window_base base;
    int rc = fs_window_next(wr, &text, &len, &base, err);
    if (rc)
      return rc;
  }
  if (n) {
    wr->next.sentence = resume->sentence;
    wr->next.paragraph = resume->paragraph;
  }
  return FS_OK;
}

fs_doc *cli_window_finish(fs_window_sum *sum, fs_window_reader *wr,
                          cli_stream_info *info) {
  fs_doc *total = fs_window_sum_finish(sum, wr);
  info->invalid_utf8 = total->stats.invalid_utf8;
  info->nul_bytes = total->stats.nul_bytes;
  info->legacy_8bit = total->stats.legacy_8bit;
  return total;
}

int cli_read_windows(fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                     const cli_opts *o, const fs_context_model *cm,
                     fs_window_sum *sum, cli_window_fn each, void *user,
                     fs_doc **total, cli_stream_info *info) {
  return cli_read_windows_tagged(ctx, cd, fd, o, cm, NULL, sum, each, user,
                                 total, info);
}

int cli_read_windows_tagged(fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                            const cli_opts *o, const fs_context_model *cm,
                            const fs_tagger *tg, fs_window_sum *sum,
                            cli_window_fn each, void *user, fs_doc **total,
                            cli_stream_info *info) {
  fs_window_reader wr = {0};
  fs_context_whole whole = {0};
  kept_windows kw = {.room = cli_keep_budget()};
  fs_error err = {0};
  size_t k = 0;
  int rc;
  *total = NULL;
  if (cli_fd_looks_binary(fd)) {
    snprintf(info->msg, sizeof info->msg, "looks like a binary file, not text");
    return FS_ERR_INPUT;
  }
  if (cm || tg) {
    if ((rc = context_reading(ctx, cd, fd, o, &whole, &kw, &err)))
      goto failed;
    /* the windows kept from the first reading, then those after them */
    for (; k < kw.n; k++) {
      fs_doc *w = kw.w[k];
      kw.w[k] = NULL;
      rc = take_window(ctx, cm, tg, &whole, k, sum, each, user, w);
      fs_window_unkeep(w);
      fs_doc_recycle(ctx, w);
      if (rc)
        goto done;
    }
    if (!kw.full) { /* all of them: the file is not read again */
      wr.valid = kw.valid;
      *total = cli_window_finish(sum, &wr, info);
      goto done;
    }
  }
  if ((rc = fs_window_open(&wr, cd->path, fd, cli_window_piece(o),
                           o->max_file_size, "--max-file-size", &err)) ||
      (rc = cli_window_skip(&wr, k, &kw.resume, &err)))
    goto failed;
  for (;;) {
    const char *text;
    size_t len;
    fs_window_base base;
    if ((rc = fs_window_next(&wr, &text, &len, &base, &err)))
      goto failed;
    if (!text)
      break;
    fs_doc *w = fs_doc_analyze_window(ctx, text, len, &base, &err);
    if (!w) {
      rc = FS_ERR_NOMEM;
      goto done;
    }
    fs_window_done(&wr, w);
    rc = take_window(ctx, cm, tg, &whole, k++, sum, each, user, w);
    fs_doc_recycle(ctx, w);
    if (rc)
      goto done;
  }
  *total = cli_window_finish(sum, &wr, info);
  goto done;
failed:
  if (rc == FS_ERR_NOMEM)
    goto done;
  snprintf(info->msg, sizeof info->msg, "%s", err.msg);
  rc = FS_ERR_INPUT;
done:
  fs_window_close(&wr);
  fs_context_whole_free(&whole);
  kept_free(ctx, &kw);
  return rc;
}

/* ---- a long document's totals -------------------------------------------- */

int cli_window_dims_init(cli_window_dims *w, const fs_model *m) {
  memset(w, 0, sizeof *w);
  w->m = m;
  if (!m)
    return FS_OK;
  w->wv = calloc(m->ndims + 1, sizeof *w->wv);
  w->share_den = calloc(m->ndims + 1, sizeof *w->share_den);
  return w->wv && w->share_den ? FS_OK : FS_ERR_NOMEM;
}

int cli_window_dims_add(cli_window_dims *w, fs_ctx *ctx, const fs_doc *win) {
  if (!w->m)
    return FS_OK;
  int rc = fs_model_score_doc(w->m, ctx, win, w->wv);
  for (size_t i = 0; rc == FS_OK && i < w->m->ndims; i++)
    w->share_den[i] += w->wv[i].den;
  return rc;
}

int cli_window_dims_finish(const cli_window_dims *w, fs_ctx *ctx,
                           const fs_doc *total, fs_dim_value *out) {
  const fs_model *m = w->m;
  if (fs_model_score_doc(m, ctx, total, out))
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < m->ndims; i++) {
    const fs_dimension *dm = &m->dims[i];
    if (!dm->active || dm->kind != FS_DIM_LINEAR || dm->norm != FS_NORM_SHARE)
      continue;
    out[i].den = w->share_den[i];
    out[i].value = w->share_den[i] > 0
                       ? fs_model_scale(dm) * out[i].num / w->share_den[i]
                       : NAN;
  }
  return FS_OK;
}

void cli_window_dims_free(cli_window_dims *w) {
  free(w->wv);
  free(w->share_den);
  w->wv = NULL;
  w->share_den = NULL;
}

void cli_doc_extra_free(void *extra) {
  cli_doc_extra *x = extra;
  if (!x)
    return;
  free(x->dv);
  fs_term_bag_free(x->bag);
  free(x->bag);
  free(x->entry_n);
  free(x);
}

int cli_input_open(cli_input *in, const char *path, size_t max, char *msg,
                   size_t msgcap) {
  in->buf = NULL;
  in->have = 0;
  fs_error err = {0};
  int rc =
      fs_input_open(path, max, "--max-file-size", &in->fd, &in->size, &err);
  if (rc)
    snprintf(msg, msgcap, "%s", err.msg);
  return rc;
}

/* Files read at open-ahead time are at most this large: several are open
 * ahead, and a big one is better read in its turn. */
#define PREREAD_MAX CLI_PREREAD_MAX

int cli_input_open_sized(cli_input *in, const char *path, size_t max,
                         size_t known, char *msg, size_t msgcap) {
#ifdef RWF_NOWAIT
  if (known == CLI_SIZE_UNKNOWN || known > max || known > PREREAD_MAX) {
    int rc = cli_input_open(in, path, max, msg, msgcap);
    if (rc == FS_OK)
      cli_input_prefetch(in);
    return rc;
  }
  fs_error err = {0};
  in->buf = NULL;
  in->have = 0;
  in->size = known;
  /* the duplicate check's stat found a regular file of this size: its
   * bytes, and one more asked for to see the end, in one read that does
   * not wait for the disk, then no fstat (a syscall is some 1.3 us of
   * CPU on a kernel with page-table isolation). Anything else (a file
   * grown, shrunk or replaced since, or not cached) is checked by fstat
   * as cli_input_open does, before the file is used: a FIFO or device
   * put in its place is read at most known + 1 bytes without waiting. */
  in->fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
  if (in->fd < 0) {
    fs_error_set(&err, FS_ERR_INPUT, path, 0, 0, "%s", strerror(errno));
    snprintf(msg, msgcap, "%s", err.msg);
    return FS_ERR_INPUT;
  }
  char *buf = malloc(known + 2);
  if (buf) {
    struct iovec v = {buf, known + 1};
    ssize_t r = preadv2(in->fd, &v, 1, 0, RWF_NOWAIT);
    if (r >= 0 && (size_t)r == known) {
      buf[r] = '\0';
      in->buf = buf;
      in->have = (size_t)r;
      return FS_OK;
    }
    free(buf);
  }
  int fd = in->fd;
  in->fd = -1;
  int rc = fs_input_check(path, fd, max, "--max-file-size", &in->size, &err);
  if (rc) {
    snprintf(msg, msgcap, "%s", err.msg);
    return rc;
  }
  in->fd = fd;
  cli_input_prefetch(in);
  return FS_OK;
#else
  (void)known;
  int rc = cli_input_open(in, path, max, msg, msgcap);
  if (rc == FS_OK)
    cli_input_prefetch(in);
  return rc;
#endif
}

void cli_input_prefetch(cli_input *in) {
  if (in->fd == STDIN_FILENO || in->fd < 0)
    return;
#ifdef RWF_NOWAIT
  if (in->size > PREREAD_MAX)
    goto advise;
  /* A file the page cache holds (the usual case when a corpus is scored
   * again) is read now in one call that does not wait for the disk: no
   * read-ahead advice and no second read to see the end. Asking for one
   * byte more than its size tells a complete read from one cut short by
   * pages that are not cached. */
  char *buf = malloc(in->size + 2);
  if (buf) {
    struct iovec v = {buf, in->size + 1};
    ssize_t r = preadv2(in->fd, &v, 1, 0, RWF_NOWAIT);
    if (r >= 0 && (size_t)r == in->size) {
      buf[r] = '\0';
      in->buf = buf;
      in->have = (size_t)r;
      return;
    }
    free(buf);
  }
advise:
#endif
  posix_fadvise(in->fd, 0, 0, POSIX_FADV_WILLNEED);
}

int cli_input_read(cli_input *in, size_t max, char **data, size_t *len,
                   char *msg, size_t msgcap) {
  int rc = FS_OK;
  if (in->buf) {
    *data = in->buf;
    *len = in->have;
    in->buf = NULL;
  } else {
    fs_error err = {0};
    rc = fs_input_read("", in->fd, max, "--max-file-size", in->size, data, len,
                       &err);
    if (rc)
      snprintf(msg, msgcap, "%s", err.msg);
  }
  if (in->fd >= 0 && in->fd != STDIN_FILENO)
    close(in->fd);
  in->fd = -1;
  if (rc == FS_OK && looks_binary(*data, *len)) {
    free(*data);
    *data = NULL;
    snprintf(msg, msgcap, "looks like a binary file, not text");
    return FS_ERR_INPUT;
  }
  return rc;
}

void cli_input_close(cli_input *in) {
  if (in->fd >= 0 && in->fd != STDIN_FILENO)
    close(in->fd);
  in->fd = -1;
  free(in->buf);
  in->buf = NULL;
}

int cli_read_input(const char *path, size_t max, char **data, size_t *len,
                   char *msg, size_t msgcap) {
  cli_input in;
  int rc = cli_input_open(&in, path, max, msg, msgcap);
  return rc ? rc : cli_input_read(&in, max, data, len, msg, msgcap);
}

/* ---- temporary files removed on SIGINT, SIGTERM and SIGHUP ----------------
 * The handler may run on any thread at any moment, so it reads only this
 * fixed table of lock-free atomic pointers and calls only unlink(),
 * sigaction() and raise(), which are async-signal-safe. A path is listed
 * once its temporary file exists and unlisted after the rename (so the
 * handler at worst unlinks a name that is gone). */
#define TMP_SLOTS 8
static _Atomic(const char *) tmp_slots[TMP_SLOTS];
static const int tmp_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void on_signal(int sig) {
  int saved = errno;
  for (size_t i = 0; i < TMP_SLOTS; i++) {
    const char *p = atomic_load(&tmp_slots[i]);
    if (p)
      unlink(p);
  }
  /* then die of the signal, as without the handler */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
  errno = saved;
  raise(sig);
}

/* Installs the handler once, leaving signals that were ignored ignored
 * (nohup, a background job of a non-interactive shell). */
static void tmp_handlers(void) {
  static atomic_flag done = ATOMIC_FLAG_INIT;
  if (atomic_flag_test_and_set(&done))
    return;
  for (size_t i = 0; i < sizeof tmp_signals / sizeof *tmp_signals; i++) {
    struct sigaction old, sa;
    if (sigaction(tmp_signals[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
      continue;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t k = 0; k < sizeof tmp_signals / sizeof *tmp_signals; k++)
      sigaddset(&sa.sa_mask, tmp_signals[k]);
    sigaction(tmp_signals[i], &sa, NULL);
  }
}

static void tmp_list(const char *path) {
  tmp_handlers();
  for (size_t i = 0; i < TMP_SLOTS; i++) {
    const char *none = NULL;
    if (atomic_compare_exchange_strong(&tmp_slots[i], &none, path))
      return;
  }
}

static void tmp_unlist(const char *path) {
  for (size_t i = 0; path && i < TMP_SLOTS; i++) {
    const char *p = path;
    if (atomic_compare_exchange_strong(&tmp_slots[i], &p, NULL))
      return;
  }
}

/* Output files get a large buffer of their own (setvbuf with a NULL buffer
 * keeps glibc's 4 KiB, st_blksize, whatever size is asked for): report
 * writes tens of bytes per call, and 4 KiB made a system call per
 * document. */
static void big_buffer(cli_out *o) {
  o->buf = malloc(CLI_OUT_BUFFER);
  if (o->buf) /* else glibc's own */
    setvbuf(o->f, o->buf, _IOFBF, CLI_OUT_BUFFER);
}

/* Opens a temporary file beside path, to be renamed over it: with the
 * mode of the file it replaces, else (mode -1) 0666 less the umask. */
static int open_temporary(cli_out *o, const char *path, int mode) {
  o->path = strdup(path);
  o->tmp = malloc(strlen(path) + 16);
  if (!o->path || !o->tmp) {
    cli_error("out of memory");
    free(o->path), free(o->tmp);
    o->path = o->tmp = NULL;
    return FS_ERR_IO;
  }
  sprintf(o->tmp, "%s.XXXXXX", path);
  /* listed before it exists: a signal between mkstemp and the listing
   * would leave it behind (unlinking a name not yet made is harmless) */
  tmp_list(o->tmp);
  int fd = mkstemp(o->tmp);
  if (fd < 0) {
    tmp_unlist(o->tmp);
    cli_error("%s: cannot create output: %s", path, strerror(errno));
    free(o->path), free(o->tmp);
    o->path = o->tmp = NULL;
    return FS_ERR_IO;
  }
  if (mode < 0) {
    mode_t mask = umask(0);
    umask(mask);
    mode = (int)(0666 & ~mask);
  }
  fchmod(fd, (mode_t)mode);
  o->f = fdopen(fd, "w");
  if (!o->f) {
    int e = errno;
    close(fd);
    unlink(o->tmp);
    tmp_unlist(o->tmp);
    cli_error("%s: %s", path, strerror(e));
    return FS_ERR_IO;
  }
  big_buffer(o);
  return 0;
}

/* Writes in place to a device or FIFO (/dev/null, /dev/stdout, a pipe):
 * renaming a temporary file over it would replace it. */
static int open_in_place(cli_out *o, const char *path) {
  o->path = strdup(path);
  o->f = o->path ? fopen(path, "w") : NULL;
  if (!o->f) {
    cli_error("%s: cannot write output: %s", path,
              o->path ? strerror(errno) : "out of memory");
    free(o->path);
    o->path = NULL;
    return FS_ERR_IO;
  }
  big_buffer(o);
  return 0;
}

int cli_out_open(cli_out *o, const char *path) {
  memset(o, 0, sizeof *o);
  if (!path || !strcmp(path, "-")) {
    o->f = stdout;
    return 0;
  }
  /* a symlink is written through: the file it points to is replaced, the
   * link stays (one that points nowhere is refused) */
  struct stat st;
  char *target = NULL;
  if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
      !(target = realpath(path, NULL))) {
    cli_error("%s: cannot write output: a symlink to %s", path,
              errno == ENOENT ? "a file that does not exist" : strerror(errno));
    return FS_ERR_IO;
  }
  const char *dest = target ? target : path;
  bool exists = stat(dest, &st) == 0;
  int rc = 0;
  if (exists && S_ISDIR(st.st_mode)) {
    cli_error("%s: cannot write output: is a directory", path);
    rc = FS_ERR_IO;
  } else if (exists && !S_ISREG(st.st_mode)) {
    rc = open_in_place(o, dest);
  } else if (exists && access(dest, W_OK) != 0) {
    /* a read-only file stays, as with cp (root may replace it) */
    cli_error("%s: cannot write output: %s", path, strerror(errno));
    rc = FS_ERR_IO;
  } else {
    rc = open_temporary(o, dest, exists ? (int)(st.st_mode & 07777) : -1);
  }
  free(target);
  return rc;
}

/* Closes an --excel-safe filter (writing what it holds); false when that
 * failed. */
static bool unguard(cli_out *o) {
  if (!o->raw)
    return true;
  bool ok = fclose(o->f) == 0;
  o->f = o->raw;
  o->raw = NULL;
  return ok;
}

int cli_out_commit(cli_out *o) {
  if (!o->f)
    return FS_ERR_IO;
  bool guarded = unguard(o);
  if (!o->path) {
    if (!guarded || fflush(stdout) != 0 || ferror(stdout)) {
      cli_error("writing output failed: %s", strerror(errno));
      return FS_ERR_IO;
    }
    return 0;
  }
  int bad = !guarded || fflush(o->f) != 0 || ferror(o->f);
  bad |= fclose(o->f) != 0;
  o->f = NULL;
  free(o->buf);
  o->buf = NULL;
  if (!o->tmp) { /* written in place */
    if (bad)
      cli_error("%s: writing output failed: %s", o->path, strerror(errno));
    free(o->path);
    o->path = NULL;
    return bad ? FS_ERR_IO : 0;
  }
  if (bad || rename(o->tmp, o->path) != 0) {
    cli_error("%s: writing output failed: %s", o->path, strerror(errno));
    unlink(o->tmp);
    tmp_unlist(o->tmp);
    free(o->path), free(o->tmp);
    o->path = o->tmp = NULL;
    return FS_ERR_IO;
  }
  tmp_unlist(o->tmp);
  free(o->path), free(o->tmp);
  o->path = o->tmp = NULL;
  return 0;
}

void cli_out_abort(cli_out *o) {
  if (o->f)
    unguard(o);
  if (!o->path) {
    o->f = NULL;
    return;
  }
  if (o->f)
    fclose(o->f);
  if (o->tmp) {
    unlink(o->tmp);
    tmp_unlist(o->tmp);
  }
  free(o->path), free(o->tmp), free(o->buf);
  memset(o, 0, sizeof *o);
}

int cli_table_open(fs_table *t, const char *path, size_t max, fs_error *err) {
  char msg[512], *data;
  size_t len;
  memset(t, 0, sizeof *t);
  if (cli_read_input(path, max, &data, &len, msg, sizeof msg)) {
    snprintf(err->file, sizeof err->file, "%s", path);
    err->line = err->col = 0;
    snprintf(err->msg, sizeof err->msg, "%s", msg);
    return FS_ERR_INPUT;
  }
  return fs_table_open_buffer(t, path, data, len, err);
}
