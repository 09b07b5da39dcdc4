/* SPDX-License-Identifier: GPL-3.0-or-later */
/* word_vectors.c - a pretrained word-vector file (GloVe or word2vec text
 * format) -> a table of words and their components (word_vectors.h). */
#include "word_vectors.h"

#include "internal.h"
#include "utf8.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void fs_word_vectors_init(fs_word_vectors *wv) {
  memset(wv, 0, sizeof *wv);
  fs_intern_init(&wv->words);
  wv->digest = 0xcbf29ce484222325ULL;
}

void fs_word_vectors_free(fs_word_vectors *wv) {
  if (!wv)
    return;
  fs_word_vectors_free_words(wv);
  if (!wv->rows_mapped) /* else the file's (version 2), not allocated */
    free(wv->norm);
  if (wv->map && wv->map_malloced)
    free(wv->map);
  else if (wv->map)
    munmap(wv->map, wv->map_len);
  if (!wv->map)
    free(wv->v);
  free(wv->mark_row);
  free(wv->mark_digest);
  free(wv->path);
  memset(wv, 0, sizeof *wv);
}

static uint64_t fnv1a(uint64_t h, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
  return h;
}

static bool is_sep(char c) { return c == ' ' || c == '\t'; }

/* A field of line s[0..l) from *at: its start and length (0 at the end). */
static size_t next_field(const char *s, size_t l, size_t *at,
                         const char **f) {
  while (*at < l && is_sep(s[*at]))
    (*at)++;
  size_t b = *at;
  while (*at < l && !is_sep(s[*at]))
    (*at)++;
  *f = s + b;
  return *at - b;
}

/* A decimal number filling f[0..n) exactly, finite: digits with an
 * optional sign, point and exponent (not strtof's hex, "inf" or "nan").
 * Up to 15 significant digits and a power of ten up to 22 (every GloVe
 * component) take the fast path: the digits as an integer, multiplied or
 * divided by an exact power of ten, which gives the nearest double, then
 * rounded to float; a 300 MB file reads in a second instead of nine with
 * strtof. Anything longer goes to strtof (the C locale). */
static bool parse_component(const char *f, size_t n, float *x) {
  static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                               1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                               1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
                               1e18, 1e19, 1e20, 1e21, 1e22};
  size_t i = 0;
  bool neg = false;
  if (i < n && (f[i] == '-' || f[i] == '+'))
    neg = f[i++] == '-';
  uint64_t m = 0;
  int sig = 0, frac = 0, digits = 0;
  bool point = false;
  for (; i < n; i++) {
    if (f[i] == '.' && !point) {
      point = true;
      continue;
    }
    if (f[i] < '0' || f[i] > '9')
      break;
    digits++;
    if (m || f[i] != '0')
      sig++;
    if (sig > 15)
      goto slow;
    m = m * 10 + (uint64_t)(f[i] - '0');
    frac += point;
  }
  if (!digits)
    return false;
  long e = 0;
  if (i < n && (f[i] == 'e' || f[i] == 'E')) {
    i++;
    bool eneg = false;
    if (i < n && (f[i] == '-' || f[i] == '+'))
      eneg = f[i++] == '-';
    if (i == n)
      return false;
    for (; i < n; i++) {
      if (f[i] < '0' || f[i] > '9')
        return false;
      if (e < 100000)
        e = e * 10 + (f[i] - '0');
    }
    if (eneg)
      e = -e;
  }
  if (i != n)
    return false;
  e -= frac;
  if (e < -22 || e > 22)
    goto slow;
  double d = e < 0 ? (double)m / p10[-e] : (double)m * p10[e];
  float v = (float)d;
  if (!isfinite(v))
    return false;
  *x = neg ? -v : v;
  return true;
slow:;
  char buf[64];
  if (n >= sizeof buf)
    return false;
  memcpy(buf, f, n);
  buf[n] = '\0';
  for (size_t k = 0; k < n; k++)
    if (!strchr("0123456789+-.eE", buf[k]))
      return false;
  char *end;
  float v2 = strtof(buf, &end);
  if (end != buf + n || !isfinite(v2))
    return false;
  *x = v2;
  return true;
}

/* A row's L2 length, summed in double in the components' order (what the
 * sentence pools and the tagger's v= features divide by). */
static double row_norm(const float *x, unsigned d) {
  double ss = 0;
  for (unsigned i = 0; i < d; i++)
    ss += (double)x[i] * x[i];
  return sqrt(ss);
}

/* Row id's place in the text file (row row_no, and the digest so far). */
static int mark(fs_word_vectors *wv, uint32_t id, uint64_t row_no) {
  size_t cap = wv->marks_cap;
  if (fs_grow(&wv->mark_row, &cap, (size_t)id + 1, sizeof *wv->mark_row))
    return -1;
  cap = wv->marks_cap;
  if (fs_grow(&wv->mark_digest, &cap, (size_t)id + 1,
              sizeof *wv->mark_digest))
    return -1;
  wv->marks_cap = cap;
  wv->mark_row[id] = row_no;
  wv->mark_digest[id] = wv->digest;
  return 0;
}

/* "COUNT DIM": a line of two unsigned integers. */
static bool is_header(const char *s, size_t l) {
  size_t at = 0, n, fields = 0;
  const char *f;
  while ((n = next_field(s, l, &at, &f))) {
    for (size_t i = 0; i < n; i++)
      if (f[i] < '0' || f[i] > '9')
        return false;
    fields++;
  }
  return fields == 2;
}

/* The rows of data[0..len), whole lines; *line counts the lines before
 * them and moves past them. *full is set when max_words rows are kept. */
static int parse_rows(fs_word_vectors *wv, const char *name, const char *data,
                      size_t len, size_t max_words, long *line, bool *full,
                      fs_error *err) {
  float row[FS_VECTORS_DIM_MAX];
  for (size_t at = 0; at < len;) {
    const char *s;
    if (max_words && wv->words.count + wv->skipped >= max_words) {
      *full = true;
      break;
    }
    size_t l = fs_next_line(data, len, &at, &s);
    long ln = ++*line;
    size_t pos = 0;
    const char *w;
    size_t wl = next_field(s, l, &pos, &w);
    if (!wl)
      continue; /* blank */
    if (ln == 1 && is_header(s, l))
      continue;
    size_t bad = 0;
    for (size_t i = 0; i < wl && !bad;) {
      int e = 0;
      size_t b = i;
      uint32_t cp = fs_utf8_next((const unsigned char *)w, wl, &i, &e);
      if (e || cp < 0x20 || cp == 0x7f)
        bad = b + 1;
    }
    if (bad)
      return fs_error_set(err, FS_ERR_INPUT, name, ln,
                          fs_utf8_col(s, (size_t)(w - s) + bad - 1),
                          "expected a word (valid UTF-8, no control "
                          "characters)");
    if (wl > FS_WORD_LOOKUP_MAX)
      return fs_error_set(err, FS_ERR_INPUT, name, ln,
                          fs_utf8_col(s, (size_t)(w - s)),
                          "a word longer than %d bytes", FS_WORD_LOOKUP_MAX);
    unsigned d = 0;
    const char *f;
    size_t fl;
    while ((fl = next_field(s, l, &pos, &f))) {
      if (d == FS_VECTORS_DIM_MAX || (wv->dim && d == wv->dim))
        return fs_error_set(err, FS_ERR_INPUT, name, ln,
                            fs_utf8_col(s, (size_t)(f - s)),
                            "more than %u components",
                            wv->dim ? wv->dim : FS_VECTORS_DIM_MAX);
      if (!parse_component(f, fl, &row[d]))
        return fs_error_set(err, FS_ERR_INPUT, name, ln,
                            fs_utf8_col(s, (size_t)(f - s)),
                            "expected a finite decimal number");
      d++;
    }
    if (!d || (wv->dim && d != wv->dim))
      return fs_error_set(err, FS_ERR_INPUT, name, ln,
                          fs_utf8_col(s, l),
                          "%u components, expected %u", d,
                          wv->dim ? wv->dim : 1);
    wv->dim = d;
    if (fs_intern_find(&wv->words, w, wl) != FS_NONE) {
      wv->skipped++;
      continue;
    }
    uint64_t row_no = wv->words.count + wv->skipped;
    uint32_t id = fs_intern_add(&wv->words, w, wl);
    if (id == FS_NONE ||
        fs_grow(&wv->v, &wv->v_cap, ((size_t)id + 1) * d, sizeof *wv->v))
      return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    memcpy(wv->v + (size_t)id * d, row, d * sizeof *row);
    if (fs_grow(&wv->norm, &wv->norm_cap, (size_t)id + 1, sizeof *wv->norm))
      return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    wv->norm[id] = row_norm(row, d);
    wv->digest = fnv1a(wv->digest, s, l);
    wv->digest = fnv1a(wv->digest, "\n", 1);
    if (wv->marks && mark(wv, id, row_no))
      return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  return FS_OK;
}

int fs_word_vectors_parse(fs_word_vectors *wv, const char *name,
                          const char *data, size_t len, size_t max_words,
                          fs_error *err) {
  long line = 0;
  bool full = false;
  return parse_rows(wv, name, data, len, max_words, &line, &full, err);
}

/* The file is read in blocks of whole lines, so that memory holds the
 * table and one block, not the file (a 300 MB GloVe file: 140 MB of
 * floats), and a max_words cut stops the reading. A file that starts with
 * the binary magic goes to word_vectors_bin.c. */
int fs_word_vectors_load(fs_word_vectors *wv, const char *path,
                         size_t max_words, fs_error *err) {
  enum { BLOCK = 1 << 22 };
  int fd;
  size_t size;
  int rc = fs_input_open(path, (size_t)8 << 30, "the word-vector file limit",
                         &fd, &size, err);
  if (rc)
    return rc;
  size_t cap = BLOCK, have = 0;
  char *buf = malloc(cap);
  long line = 0;
  bool full = false, eof = false, sniffed = false;
  if (!buf)
    rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  while (!rc && !full && !eof) {
    if (have == cap) { /* a line longer than the buffer */
      char *nb = cap > ((size_t)8 << 30) ? NULL : realloc(buf, cap * 2);
      if (!nb) {
        rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        break;
      }
      buf = nb, cap *= 2;
    }
    /* the first read only sniffs: a binary file is then mapped whole */
    ssize_t got = read(fd, buf + have, sniffed ? cap - have : 64 - have);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      rc = fs_error_set(err, FS_ERR_INPUT, path, 0, 0, "%s", strerror(errno));
      break;
    }
    have += (size_t)got;
    eof = got == 0;
    if (!line && !sniffed && (have >= 8 || eof)) { /* binary or text */
      sniffed = true;
      if (have >= 8 && !memcmp(buf, FS_VECTORS_MAGIC, 8)) {
        rc = fd == STDIN_FILENO
                 ? fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                                "a binary vectors file is read from a "
                                "file, not standard input")
                 : fs_word_vectors_read_binary(wv, path, fd, size, buf,
                                               have, max_words, err);
        break;
      }
    }
    /* whole lines now; at the end, the last line without its newline */
    const char *nl = eof ? NULL : memrchr(buf, '\n', have);
    size_t upto = eof ? have : nl ? (size_t)(nl - buf) + 1 : 0;
    if (!upto)
      continue;
    rc = parse_rows(wv, path, buf, upto, max_words, &line, &full, err);
    memmove(buf, buf + upto, have - upto);
    have -= upto;
  }
  free(buf);
  if (fd != STDIN_FILENO)
    close(fd);
  return rc;
}

const float *fs_word_vectors_find(const fs_word_vectors *wv, const char *s,
                                  size_t n) {
  uint32_t id = fs_word_vectors_row(wv, s, n);
  return id == FS_NONE ? NULL : wv->v + (size_t)id * wv->dim;
}

/* One memo a table, in a short list (a run reads one or two tables). */
struct fs_vector_memo {
  uint64_t digest; /* the table: digest, rows and dimension */
  size_t count;
  unsigned dim;
  uint32_t *row; /* [n] by form id */
  size_t n, cap;
  struct fs_vector_memo *next;
};

enum { MEMO_TABLES = 4 };

void fs_vector_memo_free(struct fs_vector_memo *m) {
  while (m) {
    struct fs_vector_memo *next = m->next;
    free(m->row);
    free(m);
    m = next;
  }
}

uint32_t *fs_word_vectors_memo(const fs_ctx *ctx, const fs_word_vectors *wv) {
  /* the memo is a cache of what ctx and wv say: kept in the context the
   * caller holds (contexts are allocated, never const objects) */
  fs_ctx *c = (fs_ctx *)ctx;
  struct fs_vector_memo **at = &c->vmemo, *m = NULL;
  size_t depth = 0;
  for (; *at; at = &(*at)->next, depth++)
    if ((*at)->digest == wv->digest && (*at)->count == wv->words.count &&
        (*at)->dim == wv->dim) {
      m = *at;
      break;
    }
  if (!m && depth >= MEMO_TABLES) { /* the oldest (first) starts again */
    m = c->vmemo;
    m->n = 0;
  } else if (!m) {
    if (!(m = calloc(1, sizeof *m)))
      return NULL;
    *at = m;
  }
  m->digest = wv->digest, m->count = wv->words.count, m->dim = wv->dim;
  size_t nf = ctx->forms.count;
  if (fs_grow(&m->row, &m->cap, nf + 1, sizeof *m->row))
    return NULL;
  for (; m->n < nf; m->n++)
    m->row[m->n] = FS_VECTORS_UNSEEN;
  return m->row;
}

uint32_t fs_word_vectors_form_row(const fs_word_vectors *wv,
                                  const fs_ctx *ctx, uint32_t *memo,
                                  uint32_t form) {
  uint32_t id = fs_word_vectors_row(wv, fs_intern_str(&ctx->forms, form),
                                    fs_intern_len(&ctx->forms, form));
  memo[form] = id;
  return id;
}
