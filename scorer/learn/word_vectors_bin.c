/* SPDX-License-Identifier: GPL-3.0-or-later */
/* word_vectors_bin.c - a table of word vectors <-> the binary vectors file
 * (format in word_vectors.h): written once from the text file, read in one
 * piece with nothing to parse, to the same words, components and digest. */
#include "word_vectors.h"

#include "internal.h"
#include "utf8.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { HEADER = 64 };

static bool host_le(void) {
  const uint16_t one = 1;
  unsigned char b;
  memcpy(&b, &one, 1);
  return b == 1;
}

static void put32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; i++)
    p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; i++)
    v |= (uint32_t)p[i] << (8 * i);
  return v;
}

static uint64_t get64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v |= (uint64_t)p[i] << (8 * i);
  return v;
}

/* Swaps n 32- or 64-bit words between the file's order and a big-endian
 * host's. */
static void swap_words(void *p, size_t n, size_t width) {
  unsigned char *b = p;
  for (size_t i = 0; i < n; i++, b += width)
    for (size_t j = 0; j < width / 2; j++) {
      unsigned char t = b[j];
      b[j] = b[width - 1 - j];
      b[width - 1 - j] = t;
    }
}

/* The checksum: over the body as little-endian 64-bit words (every piece
 * of it is a multiple of 8 bytes), four lanes so that the multiplies
 * overlap; it finds a flipped or truncated component, which the sizes
 * alone would not. */
typedef struct checksum {
  uint64_t l[4];
  size_t n; /* words so far: word i goes to lane i % 4, however the body
             * is split into pieces */
} checksum;

static const uint64_t ck_mul[4] = {0x9E3779B97F4A7C15ull,
                                   0xC2B2AE3D27D4EB4Full,
                                   0x165667B19E3779F9ull,
                                   0xD6E8FEB86659FD93ull};

static void checksum_add(checksum *c, const void *p, size_t n) {
  const unsigned char *s = p;
  size_t i = 0;
  for (; i + 8 <= n && c->n % 4; i += 8, c->n++)
    c->l[c->n % 4] = (c->l[c->n % 4] ^ get64(s + i)) * ck_mul[c->n % 4];
  for (; i + 32 <= n; i += 32, c->n += 4)
    for (int k = 0; k < 4; k++)
      c->l[k] = (c->l[k] ^ get64(s + i + 8 * k)) * ck_mul[k];
  for (; i + 8 <= n; i += 8, c->n++)
    c->l[c->n % 4] = (c->l[c->n % 4] ^ get64(s + i)) * ck_mul[c->n % 4];
}

static uint64_t checksum_end(const checksum *c) {
  uint64_t h = 0;
  for (int k = 0; k < 4; k++) {
    h = (h ^ c->l[k]) * 0xff51afd7ed558ccdull;
    h ^= h >> 33;
  }
  return h;
}

#define CHECKSUM_INIT                                                          \
  {                                                                            \
    {                                                                          \
      0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull,     \
          0xa54ff53a5f1d36f1ull                                                \
    }                                                                          \
    , 0                                                                        \
  }

/* The body's pieces in order: checksummed on the host's bytes when they
 * are the file's (little-endian), which is what is written and read. */
static size_t pad8(size_t n) { return (8 - n % 8) % 8; }

static size_t words_bytes(const fs_word_vectors *wv) {
  size_t n = 0;
  for (uint32_t id = 0; id < wv->words.count; id++)
    n += fs_intern_len(&wv->words, id) + 1;
  return n;
}

int fs_word_vectors_write(const fs_word_vectors *wv, FILE *f) {
  size_t count = wv->words.count, dim = wv->dim;
  if (count && (!wv->mark_row || !wv->mark_digest)) {
    errno = EINVAL; /* read without marks */
    return FS_ERR_IO;
  }
  size_t wb = words_bytes(wv);
  static const unsigned char zero[8];
  bool le = host_le();
  unsigned char *marks = malloc(count ? 16 * count : 1);
  float *comp = NULL;
  if (!marks)
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < count; i++) {
    put64(marks + 8 * i, wv->mark_row[i]);
    put64(marks + 8 * (count + i), wv->mark_digest[i]);
  }
  const float *v = wv->v;
  if (!le && count) { /* the components in the file's order */
    if (!(comp = malloc(count * dim * sizeof *comp))) {
      free(marks);
      return FS_ERR_NOMEM;
    }
    memcpy(comp, wv->v, count * dim * sizeof *comp);
    swap_words(comp, count * dim, 4);
    v = comp;
  }
  checksum c = CHECKSUM_INIT;
  checksum_add(&c, marks, 16 * count);
  /* the words block is checksummed as written, padding included */
  char *words = malloc(wb + pad8(wb) + 1);
  if (!words) {
    free(marks), free(comp);
    return FS_ERR_NOMEM;
  }
  char *w = words;
  for (uint32_t id = 0; id < count; id++) {
    size_t l = fs_intern_len(&wv->words, id) + 1;
    memcpy(w, fs_intern_str(&wv->words, id), l);
    w += l;
  }
  memset(w, 0, pad8(wb));
  checksum_add(&c, words, wb + pad8(wb));
  size_t cb = count * dim * sizeof(float);
  checksum_add(&c, v, cb - cb % 8);
  if (cb % 8) { /* the last component with its padding */
    unsigned char last[8] = {0};
    memcpy(last, (const unsigned char *)v + cb - 4, 4);
    checksum_add(&c, last, 8);
  }
  unsigned char h[HEADER] = {0};
  memcpy(h, FS_VECTORS_MAGIC, 8);
  put32(h + 8, FS_VECTORS_VERSION);
  put32(h + 12, (uint32_t)dim);
  put64(h + 16, count);
  put64(h + 24, count + wv->skipped);
  put64(h + 32, wv->digest);
  put64(h + 40, wb);
  put64(h + 48, checksum_end(&c));
  bool ok = fwrite(h, 1, HEADER, f) == HEADER &&
            fwrite(marks, 1, 16 * count, f) == 16 * count &&
            fwrite(words, 1, wb + pad8(wb), f) == wb + pad8(wb) &&
            fwrite(v, 1, cb, f) == cb &&
            fwrite(zero, 1, pad8(cb), f) == pad8(cb);
  free(marks), free(comp), free(words);
  return ok ? FS_OK : FS_ERR_IO;
}

/* ---- reading ------------------------------------------------------------ */

static int bad(fs_error *err, const char *path, const char *what) {
  return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                      "not a usable binary vectors file: %s", what);
}

/* The words block: count NUL-terminated words, each one the text reader
 * would take (valid UTF-8 without spaces or control characters, at most
 * FS_WORD_LOOKUP_MAX bytes), no two the same; into wv->words. */
static int read_words(fs_word_vectors *wv, const char *path, const char *b,
                      size_t n, size_t count, fs_error *err) {
  size_t at = 0;
  for (size_t id = 0; id < count; id++) {
    const char *w = b + at;
    const char *nul = memchr(w, '\0', n - at);
    if (!nul)
      return bad(err, path, "the words block ends inside a word");
    size_t wl = (size_t)(nul - w);
    if (!wl || wl > FS_WORD_LOOKUP_MAX)
      return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                          "not a usable binary vectors file: word %zu is "
                          "empty or longer than %d bytes",
                          id + 1, FS_WORD_LOOKUP_MAX);
    for (size_t i = 0; i < wl;) {
      int e = 0;
      uint32_t cp = fs_utf8_next((const unsigned char *)w, wl, &i, &e);
      if (e || cp <= 0x20 || cp == 0x7f) /* a space ends a text word */
        return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                            "not a usable binary vectors file: word %zu is "
                            "not valid UTF-8 or has a space or control "
                            "character",
                            id + 1);
    }
    uint32_t got = fs_intern_add(&wv->words, w, wl);
    if (got == FS_NONE)
      return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (got != id)
      return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                          "not a usable binary vectors file: word %zu "
                          "repeats word %" PRIu32,
                          id + 1, got + 1);
    at += wl + 1;
  }
  if (at != n)
    return bad(err, path, "bytes after the last word");
  return FS_OK;
}

/* The header's numbers, checked against each other and the file's size. */
typedef struct bin_header {
  unsigned dim;
  size_t count, rows, words_bytes, marks_bytes, comp_bytes;
  uint64_t digest, checksum;
} bin_header;

static int read_header(bin_header *h, const char *path,
                       const unsigned char *b, size_t size, fs_error *err) {
  if (size < HEADER)
    return bad(err, path, "shorter than its 64-byte header");
  if (memcmp(b, FS_VECTORS_MAGIC, 8))
    return bad(err, path, "no magic \\x89FSVEC\\r\\n");
  uint32_t version = get32(b + 8);
  if (version != FS_VECTORS_VERSION)
    return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                        "binary vectors format version %" PRIu32
                        ", this framescore reads version %u: convert the "
                        "text file again (framescore vectors convert)",
                        version, FS_VECTORS_VERSION);
  uint32_t dim = get32(b + 12);
  uint64_t count = get64(b + 16), rows = get64(b + 24), wb = get64(b + 40);
  h->digest = get64(b + 32), h->checksum = get64(b + 48);
  if (get64(b + 56))
    return bad(err, path, "reserved header bytes are not 0");
  if (dim > FS_VECTORS_DIM_MAX || (count && !dim) || (!count && dim))
    return bad(err, path, "a dimension out of range");
  if (count >= UINT32_MAX - 1 || rows < count)
    return bad(err, path, "a word count out of range");
  /* every size below the file's: no product overflows */
  if (wb > size || count > size / 16 || count > size / 2 ||
      (dim && count > size / 4 / dim))
    return bad(err, path, "sizes larger than the file (truncated?)");
  h->dim = dim, h->count = (size_t)count, h->rows = (size_t)rows;
  h->words_bytes = (size_t)wb;
  h->marks_bytes = 16 * h->count;
  h->comp_bytes = h->count * dim * sizeof(float);
  size_t want = HEADER + h->marks_bytes + h->words_bytes +
                pad8(h->words_bytes) + h->comp_bytes + pad8(h->comp_bytes);
  if (want != size)
    return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                        "not a usable binary vectors file: %zu bytes, its "
                        "header says %zu (truncated?)",
                        size, want);
  return FS_OK;
}

/* The row marks: rows strictly increasing below h->rows, the last digest
 * the file's. */
static int check_marks(const bin_header *h, const char *path,
                       const unsigned char *m, fs_error *err) {
  uint64_t prev = 0;
  for (size_t i = 0; i < h->count; i++) {
    uint64_t row = get64(m + 8 * i);
    if ((i && row <= prev) || row >= h->rows)
      return bad(err, path, "word rows out of order");
    prev = row;
  }
  uint64_t last = h->count ? get64(m + 8 * (2 * h->count - 1))
                           : 0xcbf29ce484222325ULL;
  if (last != h->digest)
    return bad(err, path, "the last word's digest is not the file's");
  return FS_OK;
}

/* The components: each finite (a row's sum of squares is finite exactly
 * when its components are), each row's length as the text reader's
 * row_norm computes it. */
static int check_components(const bin_header *h, const char *path,
                            const float *v, double *norm, fs_error *err) {
  for (size_t i = 0; i < h->count; i++) {
    const float *x = v + i * h->dim;
    double ss = 0;
    for (unsigned j = 0; j < h->dim; j++)
      ss += (double)x[j] * x[j];
    if (!isfinite(ss))
      return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                          "not a usable binary vectors file: word %zu has "
                          "a component that is not a finite number",
                          i + 1);
    norm[i] = sqrt(ss);
  }
  return FS_OK;
}

/* Keeps the first `keep` rows of wv (a max_words cut); the words table is
 * rebuilt, as small as the text reader's. */
static int cut(fs_word_vectors *wv, size_t keep) {
  fs_intern words;
  fs_intern_init(&words);
  for (uint32_t id = 0; id < keep; id++)
    if (fs_intern_add(&words, fs_intern_str(&wv->words, id),
                      fs_intern_len(&wv->words, id)) != id) {
      fs_intern_free(&words);
      return FS_ERR_NOMEM;
    }
  fs_intern_free(&wv->words);
  wv->words = words;
  return FS_OK;
}

/* The whole file in memory: mapped (read-only, the components used where
 * they lie: no copy, and pages the page cache shares), or the bytes
 * already read when they are all of it (a small file; the fuzz target). */
static const unsigned char *view(int fd, size_t size, const char *head,
                                 size_t have, void **map) {
  *map = NULL;
  if (have >= size)
    return (const unsigned char *)head;
  if (fd < 0 || !size)
    return NULL;
  int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
  flags |= MAP_POPULATE; /* every page is read (checksum): fault them at
                          * once */
#endif
  void *p = mmap(NULL, size, PROT_READ, flags, fd, 0);
  if (p == MAP_FAILED)
    return NULL;
  *map = p;
  return p;
}

int fs_word_vectors_read_binary(fs_word_vectors *wv, const char *path, int fd,
                                size_t size, const char *head, size_t have,
                                size_t max_words, fs_error *err) {
  void *map;
  const unsigned char *file = view(fd, size, head, have, &map);
  if (!file)
    return fs_error_set(err, FS_ERR_INPUT, path, 0, 0, "cannot map: %s",
                        strerror(errno));
  bin_header h = {0};
  double *norm = NULL;
  float *own = NULL; /* the components, when not used in the mapping */
  int rc = read_header(&h, path, file, size, err);
  if (rc)
    goto done;
  const unsigned char *marks = file + HEADER;
  const char *words = (const char *)marks + h.marks_bytes;
  size_t wpad = h.words_bytes + pad8(h.words_bytes);
  const unsigned char *comp = (const unsigned char *)words + wpad;
  checksum c = CHECKSUM_INIT;
  checksum_add(&c, marks, h.marks_bytes + wpad);
  checksum_add(&c, comp, h.comp_bytes + pad8(h.comp_bytes));
  /* the checksum is compared last: a damaged file goes through every
   * check of its structure first (and the fuzz target reaches them) */
  if ((rc = check_marks(&h, path, marks, err)))
    goto done;
  for (size_t i = h.words_bytes; i < wpad; i++)
    if (words[i]) {
      rc = bad(err, path, "padding bytes are not 0");
      goto done;
    }
  const float *v = (const float *)comp; /* 8-aligned in a page-aligned map */
  if (!map || !host_le()) {
    if (!(own = malloc(h.comp_bytes ? h.comp_bytes : 1)))
      goto nomem;
    memcpy(own, comp, h.comp_bytes);
    if (!host_le())
      swap_words(own, h.count * h.dim, 4);
    v = own;
  }
  if (!(norm = malloc(h.count ? h.count * sizeof *norm : 1)))
    goto nomem;
  if ((rc = check_components(&h, path, v, norm, err)) ||
      (rc = read_words(wv, path, words, h.words_bytes, h.count, err)))
    goto done;
  if (checksum_end(&c) != h.checksum) {
    rc = bad(err, path, "the checksum does not match (a damaged file)");
    goto done;
  }
  /* max_words: the rows the text reader would read, the words among them */
  size_t keep = h.count, rows = h.rows;
  if (max_words && max_words < h.rows) {
    rows = max_words;
    keep = 0;
    while (keep < h.count && get64(marks + 8 * keep) < max_words)
      keep++;
  }
  if (keep < h.count && cut(wv, keep))
    goto nomem;
  if (wv->marks) {
    wv->mark_row = malloc((keep ? keep : 1) * sizeof *wv->mark_row);
    wv->mark_digest = malloc((keep ? keep : 1) * sizeof *wv->mark_digest);
    if (!wv->mark_row || !wv->mark_digest)
      goto nomem;
    wv->marks_cap = keep ? keep : 1;
    for (size_t i = 0; i < keep; i++) {
      wv->mark_row[i] = get64(marks + 8 * i);
      wv->mark_digest[i] = get64(marks + 8 * (h.count + i));
    }
  }
  wv->dim = keep ? h.dim : 0;
  wv->digest = keep ? get64(marks + 8 * (h.count + keep - 1))
                    : 0xcbf29ce484222325ULL;
  wv->skipped = rows - keep;
  wv->v = own ? own : (float *)v; /* a read-only mapping: never written */
  wv->v_cap = own ? h.count * h.dim : 0;
  wv->norm = norm, wv->norm_cap = h.count;
  if (own && map) { /* components copied (a big-endian host): the file's
                     * pages are not needed, and v is freed, not unmapped */
    munmap(map, size);
    map = NULL;
  }
  wv->map = map, wv->map_len = map ? size : 0;
  /* the marks and words are in the table now: their pages leave the
   * process (8 MB of GloVe 6B 100d's), the components' stay */
  long page = sysconf(_SC_PAGESIZE);
  size_t lead = page > 0 ? (size_t)(comp - file) / (size_t)page * (size_t)page
                         : 0;
  if (map && lead)
    madvise(map, lead, MADV_DONTNEED);
  return FS_OK;
nomem:
  rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
done:
  free(own), free(norm);
  if (map)
    munmap(map, size);
  return rc;
}
