/* SPDX-License-Identifier: GPL-3.0-or-later */
/* word_vectors_bin.c - a table of word vectors <-> the binary vectors file
 * (format in word_vectors.h): written once from the text file, opened with
 * nothing to parse or build (version 2: the word index stored, rows read
 * and checked where they are looked up), to the same words, components
 * and digest. */
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

enum { HEADER = 64, HEADER2 = 128 };

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

/* get64 as one load where the host is little-endian (the checksum and the
 * index check read every word of what is checked at load) */
static inline uint64_t word64(const unsigned char *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
#else
  return get64(p);
#endif
}

static inline uint32_t word32(const unsigned char *p) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
#else
  return get32(p);
#endif
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
    c->l[c->n % 4] = (c->l[c->n % 4] ^ word64(s + i)) * ck_mul[c->n % 4];
  for (; i + 32 <= n; i += 32, c->n += 4)
    for (int k = 0; k < 4; k++)
      c->l[k] = (c->l[k] ^ word64(s + i + 8 * k)) * ck_mul[k];
  for (; i + 8 <= n; i += 8, c->n++)
    c->l[c->n % 4] = (c->l[c->n % 4] ^ word64(s + i)) * ck_mul[c->n % 4];
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

static size_t pad8(size_t n) { return (8 - n % 8) % 8; }

/* The word index's slots for count words (the format's rule: a load of at
 * most two thirds, so a probe ends in a few slots). */
static size_t index_slots(size_t count) {
  size_t n = 8;
  while (n <= count + count / 2 && n < ((size_t)1 << 62))
    n *= 2;
  return n;
}

/* Row i's check: its components (as the file holds them, little-endian,
 * padded to 8 bytes) and its length, seeded with i so that two rows
 * swapped are found too. */
static uint64_t row_check(const unsigned char *comp, unsigned dim,
                          const unsigned char *norm, size_t i) {
  checksum c = CHECKSUM_INIT;
  c.l[0] ^= (uint64_t)i;
  size_t cb = (size_t)dim * 4;
  checksum_add(&c, comp, cb - cb % 8);
  unsigned char tail[16] = {0};
  size_t t = cb % 8;
  memcpy(tail, comp + cb - t, t);
  memcpy(tail + (t ? 8 : 0), norm, 8);
  checksum_add(&c, tail, t ? 16 : 8);
  return checksum_end(&c);
}

/* v[0..n) as little-endian bytes at out. */
static void put_floats(unsigned char *out, const float *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint32_t u;
    memcpy(&u, &v[i], 4);
    put32(out + 4 * i, u);
  }
}

static void put_double(unsigned char *out, double d) {
  uint64_t u;
  memcpy(&u, &d, 8);
  put64(out, u);
}

/* The pieces before the marks, the marks, the row checks and lengths: all
 * but the components, as the file holds them. */
typedef struct bin_pieces {
  unsigned char *meta; /* slots, lengths, words (padded) */
  size_t meta_bytes, words_bytes, nslots;
  unsigned char *marks;  /* 16 * count */
  unsigned char *checks; /* 8 * count row checks, then 8 * count lengths */
} bin_pieces;

static void pieces_free(bin_pieces *p) {
  free(p->meta), free(p->marks), free(p->checks);
}

static int pieces_make(bin_pieces *p, const fs_word_vectors *wv) {
  size_t count = wv->words.count, dim = wv->dim;
  size_t wb = 0;
  for (uint32_t id = 0; id < count; id++)
    wb += fs_intern_len(&wv->words, id) + 1;
  size_t ns = index_slots(count), lb = 4 * count + pad8(4 * count);
  p->nslots = ns, p->words_bytes = wb;
  p->meta_bytes = 8 * ns + lb + wb + pad8(wb);
  p->meta = calloc(1, p->meta_bytes);
  p->marks = malloc(count ? 16 * count : 1);
  p->checks = malloc(count ? 16 * count : 1);
  unsigned char *row = malloc(dim ? 4 * dim : 1);
  if (!p->meta || !p->marks || !p->checks || !row) {
    free(row);
    return FS_ERR_NOMEM;
  }
  unsigned char *slots = p->meta, *lens = slots + 8 * ns;
  char *words = (char *)lens + lb;
  for (uint32_t id = 0; id < count; id++) {
    const char *w = fs_intern_str(&wv->words, id);
    size_t l = fs_intern_len(&wv->words, id);
    uint64_t h = fs_hash(w, l);
    size_t at = h & (ns - 1);
    while (get64(slots + 8 * at))
      at = (at + 1) & (ns - 1);
    put64(slots + 8 * at, (h >> 32) << 32 | ((uint64_t)id + 1));
    put32(lens + 4 * id, (uint32_t)l);
    memcpy(words, w, l + 1);
    words += l + 1;
    put64(p->marks + 8 * id, wv->mark_row[id]);
    put64(p->marks + 8 * (count + id), wv->mark_digest[id]);
    unsigned char *norm = p->checks + 8 * (count + id);
    put_double(norm, wv->norm[id]);
    put_floats(row, wv->v + (size_t)id * dim, dim);
    put64(p->checks + 8 * id, row_check(row, (unsigned)dim, norm, id));
  }
  free(row);
  return FS_OK;
}

/* The header (meta check and marks check in place). */
static void header_make(unsigned char h[HEADER2], const fs_word_vectors *wv,
                        const bin_pieces *p) {
  size_t count = wv->words.count;
  memset(h, 0, HEADER2);
  memcpy(h, FS_VECTORS_MAGIC, 8);
  put32(h + 8, FS_VECTORS_VERSION);
  put32(h + 12, wv->dim);
  put64(h + 16, count);
  put64(h + 24, count + wv->skipped);
  put64(h + 32, wv->digest);
  put64(h + 40, p->words_bytes);
  put64(h + 48, p->nslots);
  checksum c = CHECKSUM_INIT;
  checksum_add(&c, h, HEADER2);
  checksum_add(&c, p->meta, p->meta_bytes);
  put64(h + 56, checksum_end(&c));
  checksum m = CHECKSUM_INIT;
  checksum_add(&m, p->marks, 16 * count);
  put64(h + 64, checksum_end(&m));
}

int fs_word_vectors_write(const fs_word_vectors *wv, FILE *f) {
  size_t count = wv->words.count, dim = wv->dim;
  if (count && (!wv->mark_row || !wv->mark_digest)) {
    errno = EINVAL; /* read without marks */
    return FS_ERR_IO;
  }
  bin_pieces p = {0};
  if (pieces_make(&p, wv)) {
    pieces_free(&p);
    return FS_ERR_NOMEM;
  }
  unsigned char h[HEADER2];
  header_make(h, wv, &p);
  static const unsigned char zero[8];
  size_t cb = count * dim * sizeof(float);
  bool ok = fwrite(h, 1, HEADER2, f) == HEADER2 &&
            fwrite(p.meta, 1, p.meta_bytes, f) == p.meta_bytes &&
            fwrite(p.marks, 1, 16 * count, f) == 16 * count &&
            fwrite(p.checks, 1, 16 * count, f) == 16 * count;
  if (host_le()) {
    ok = ok && fwrite(wv->v, 1, cb, f) == cb;
  } else { /* the components in the file's order, a row at a time */
    unsigned char row[4 * FS_VECTORS_DIM_MAX];
    for (size_t i = 0; ok && i < count; i++) {
      put_floats(row, wv->v + i * dim, dim);
      ok = fwrite(row, 1, 4 * dim, f) == 4 * dim;
    }
  }
  ok = ok && fwrite(zero, 1, pad8(cb), f) == pad8(cb);
  pieces_free(&p);
  return ok ? FS_OK : FS_ERR_IO;
}

/* ---- reading ------------------------------------------------------------ */

static int bad(fs_error *err, const char *path, const char *what) {
  return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                      "not a usable binary vectors file: %s", what);
}

/* FS_OK when the file has the size its header gives. */
static int sized(fs_error *err, const char *path, size_t size, size_t want) {
  if (want == size)
    return FS_OK;
  return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                      "not a usable binary vectors file: %zu bytes, its "
                      "header says %zu (truncated?)",
                      size, want);
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

/* Both versions' header: the dimension, the word and row counts in range. */
static int check_counts(const char *path, uint32_t dim, uint64_t count,
                        uint64_t rows, fs_error *err) {
  if (dim > FS_VECTORS_DIM_MAX || (count && !dim) || (!count && dim))
    return bad(err, path, "a dimension out of range");
  if (count >= UINT32_MAX - 1 || rows < count)
    return bad(err, path, "a word count out of range");
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
  uint32_t dim = get32(b + 12);
  uint64_t count = get64(b + 16), rows = get64(b + 24), wb = get64(b + 40);
  h->digest = get64(b + 32), h->checksum = get64(b + 48);
  if (get64(b + 56))
    return bad(err, path, "reserved header bytes are not 0");
  int rc = check_counts(path, dim, count, rows, err);
  if (rc)
    return rc;
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
  return sized(err, path, size, want);
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
  fs_word_vectors_free_words(wv);
  wv->words = words;
  return FS_OK;
}

/* Version 1: everything checked at load (the checksum of the whole body),
 * the word index built. On success the table takes the mapping (map, or
 * NULL when file is a copy the caller frees). */
static int read_v1(fs_word_vectors *wv, const char *path,
                   const unsigned char *file, size_t size, void *map,
                   size_t max_words, fs_error *err) {
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
  wv->map_malloced = false;
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
  return rc;
}

/* ---- version 2 ------------------------------------------------------------ */

/* Version 2's header and where its pieces start. */
typedef struct v2_layout {
  unsigned dim;
  size_t count, rows, words_bytes, nslots;
  size_t lens, words, marks, checks, norms, comp, comp_bytes; /* offsets */
  uint64_t digest;
} v2_layout;

static int read_header2(v2_layout *h, const char *path,
                        const unsigned char *b, size_t size, fs_error *err) {
  if (size < HEADER2)
    return bad(err, path, "shorter than its 128-byte header");
  /* the callers sniff it, but the reader is the one that must not accept
   * what it would not write back (fuzz_vectors_bin) */
  if (memcmp(b, FS_VECTORS_MAGIC, 8))
    return bad(err, path, "no magic \\x89FSVEC\\r\\n");
  uint32_t dim = get32(b + 12);
  uint64_t count = get64(b + 16), rows = get64(b + 24), wb = get64(b + 40),
           ns = get64(b + 48);
  h->digest = get64(b + 32);
  for (size_t i = 72; i < HEADER2; i++)
    if (b[i])
      return bad(err, path, "reserved header bytes are not 0");
  int rc = check_counts(path, dim, count, rows, err);
  if (rc)
    return rc;
  /* every size below the file's: no sum or product below overflows */
  if (wb > size || ns > size / 8 || count > size / 48 ||
      (dim && count > size / 4 / dim))
    return bad(err, path, "sizes larger than the file (truncated?)");
  h->dim = dim, h->count = (size_t)count, h->rows = (size_t)rows;
  h->words_bytes = (size_t)wb, h->nslots = (size_t)ns;
  if (h->nslots != index_slots(h->count))
    return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                        "not a usable binary vectors file: a word index of "
                        "%zu slots for %zu words (the format's: %zu)",
                        h->nslots, h->count, index_slots(h->count));
  h->lens = HEADER2 + 8 * h->nslots;
  h->words = h->lens + 4 * h->count + pad8(4 * h->count);
  h->marks = h->words + h->words_bytes + pad8(h->words_bytes);
  h->checks = h->marks + 16 * h->count;
  h->norms = h->checks + 8 * h->count;
  h->comp = h->norms + 8 * h->count;
  h->comp_bytes = h->count * h->dim * sizeof(float);
  size_t want = h->comp + h->comp_bytes + pad8(h->comp_bytes);
  return sized(err, path, size, want);
}

/* The stored word index, before any probe: every slot empty or a word id
 * in range (so fs_intern_find never reads outside the table), and one
 * empty at least (so a probe ends). */
static int check_index(const v2_layout *h, const char *path,
                       const unsigned char *slots, fs_error *err) {
  size_t empty = 0;
  for (size_t i = 0; i < h->nslots; i++) {
    uint64_t v = word64(slots + 8 * i);
    uint32_t id1 = (uint32_t)v;
    empty += !v;
    if (v && (!id1 || id1 > h->count))
      return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                          "not a usable binary vectors file: word index "
                          "slot %zu out of range",
                          i);
  }
  if (!empty)
    return bad(err, path, "a word index without an empty slot");
  return FS_OK;
}

/* The words' lengths against the words block: each word 1 to
 * FS_WORD_LOOKUP_MAX bytes and NUL-terminated where its length says, the
 * block filled exactly, the paddings 0; each word's start into strs. */
static int check_lengths(const v2_layout *h, const char *path,
                         const unsigned char *file, const char **strs,
                         fs_error *err) {
  const unsigned char *lens = file + h->lens;
  const char *words = (const char *)file + h->words;
  size_t at = 0, wb = h->words_bytes;
  for (size_t id = 0; id < h->count; id++) {
    size_t l = get32(lens + 4 * id);
    if (!l || l > FS_WORD_LOOKUP_MAX || l >= wb - at)
      return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                          "not a usable binary vectors file: word %zu's "
                          "length out of range",
                          id + 1);
    if (words[at + l])
      return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                          "not a usable binary vectors file: word %zu does "
                          "not end where its length says",
                          id + 1);
    if (strs)
      strs[id] = words + at;
    at += l + 1;
  }
  if (at != wb)
    return bad(err, path, "bytes after the last word");
  for (size_t i = h->lens + 4 * h->count; i < h->words; i++)
    if (file[i])
      return bad(err, path, "padding bytes are not 0");
  for (size_t i = h->words + wb; i < h->marks; i++)
    if (file[i])
      return bad(err, path, "padding bytes are not 0");
  return FS_OK;
}

/* Row id of the file's pieces: its check, finite components and the length
 * the text reader's row_norm gives them. */
static bool row_good(const unsigned char *comp, unsigned dim,
                     const unsigned char *norm, const unsigned char *check,
                     size_t id) {
  if (row_check(comp, dim, norm, id) != word64(check))
    return false;
  double ss = 0;
  for (unsigned j = 0; j < dim; j++) {
    uint32_t u = word32(comp + 4 * j);
    float x;
    memcpy(&x, &u, 4);
    ss += (double)x * x;
  }
  uint64_t nu = word64(norm);
  double n;
  memcpy(&n, &nu, 8);
  return isfinite(ss) && n == sqrt(ss);
}

/* Every row, and every word found at its own id (valid words, none
 * repeated): what a version 1 file's load checks, for training. */
static int check_all(const fs_word_vectors *wv, const v2_layout *h,
                     const char *path, const unsigned char *file,
                     fs_error *err) {
  for (size_t id = 0; id < h->count; id++)
    if (!row_good(file + h->comp + id * h->dim * 4, h->dim,
                  file + h->norms + 8 * id, file + h->checks + 8 * id, id))
      return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                          "not a usable binary vectors file: word %zu's "
                          "components or length do not match its checksum "
                          "(a damaged file)",
                          id + 1);
  for (uint32_t id = 0; id < h->count; id++) {
    const char *w = fs_intern_str(&wv->words, id);
    size_t wl = fs_intern_len(&wv->words, id);
    for (size_t i = 0; i < wl;) {
      int e = 0;
      uint32_t cp = fs_utf8_next((const unsigned char *)w, wl, &i, &e);
      if (e || cp <= 0x20 || cp == 0x7f)
        return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                            "not a usable binary vectors file: word %" PRIu32
                            " is not valid UTF-8 or has a space or control "
                            "character",
                            id + 1);
    }
    uint32_t got = fs_intern_find(&wv->words, w, wl);
    if (got != id)
      return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                          "not a usable binary vectors file: the word index "
                          "does not find word %" PRIu32 " at its row",
                          id + 1);
  }
  return FS_OK;
}

/* The table over the file's pieces (file: a mapping or an owned copy, on a
 * little-endian host): the stored index as wv->words (its slots and
 * lengths used in place, only the words' start pointers made), the
 * components and lengths in place. */
static int table_in_place(fs_word_vectors *wv, const v2_layout *h,
                          const char *path, const unsigned char *file,
                          fs_error *err) {
  const char **strs = malloc((h->count ? h->count : 1) * sizeof *strs);
  if (!strs)
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  int rc = check_index(h, path, file + HEADER2, err);
  if (!rc)
    rc = check_lengths(h, path, file, strs, err);
  if (rc) {
    free(strs);
    return rc;
  }
  fs_intern_free(&wv->words);
  /* read only: fs_intern_find never writes, and nothing adds to a table
   * read from a file (fs_word_vectors_free_words gives these back) */
  wv->words.slots = (uint64_t *)(file + HEADER2);
  wv->words.nslots = h->nslots;
  wv->words.strs = (char **)strs;
  wv->words.lens = (uint32_t *)(file + h->lens);
  wv->words.count = wv->words.cap = h->count;
  wv->index_mapped = true;
  wv->v = (float *)(file + h->comp);
  wv->norm = (double *)(file + h->norms);
  wv->rows_mapped = true;
  return FS_OK;
}

/* A big-endian host: the words interned, the components and lengths
 * copied in the host's order. */
static int table_copied(fs_word_vectors *wv, const v2_layout *h,
                        const char *path, const unsigned char *file,
                        fs_error *err) {
  int rc = check_lengths(h, path, file, NULL, err);
  if (!rc)
    rc = read_words(wv, path, (const char *)file + h->words, h->words_bytes,
                    h->count, err);
  if (rc)
    return rc;
  size_t n = h->count * h->dim;
  float *v = malloc(n ? n * sizeof *v : 1);
  double *norm = malloc(h->count ? h->count * sizeof *norm : 1);
  if (!v || !norm) {
    free(v), free(norm);
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  for (size_t i = 0; i < n; i++) {
    uint32_t u = get32(file + h->comp + 4 * i);
    memcpy(&v[i], &u, 4);
  }
  for (size_t i = 0; i < h->count; i++) {
    uint64_t u = get64(file + h->norms + 8 * i);
    memcpy(&norm[i], &u, 8);
  }
  wv->v = v, wv->v_cap = n;
  wv->norm = norm, wv->norm_cap = h->count;
  return FS_OK;
}

/* The marks: rows in order, the last digest the file's, their checksum. */
static int check_marks2(const v2_layout *h, const char *path,
                        const unsigned char *file, fs_error *err) {
  bin_header b = {.count = h->count, .rows = h->rows, .digest = h->digest};
  int rc = check_marks(&b, path, file + h->marks, err);
  if (rc)
    return rc;
  checksum c = CHECKSUM_INIT;
  checksum_add(&c, file + h->marks, 16 * h->count);
  if (checksum_end(&c) != get64(file + 64))
    return bad(err, path, "the marks' checksum does not match (a damaged "
                          "file)");
  return FS_OK;
}

/* Version 2 (file: the whole file, size bytes: a mapping, or a copy the
 * table frees). Read lazily (wv->lazy on a little-endian host), the
 * header, index, lengths and words are checked at load and each row when
 * looked up; else every row too. */
static int read_v2(fs_word_vectors *wv, const char *path,
                   const unsigned char *file, size_t size, size_t max_words,
                   fs_error *err) {
  v2_layout h = {0};
  int rc = read_header2(&h, path, file, size, err);
  if (rc)
    return rc;
  bool le = host_le(), lazy = wv->lazy && le;
  checksum c = CHECKSUM_INIT;
  unsigned char head[HEADER2];
  memcpy(head, file, HEADER2);
  memset(head + 56, 0, 16);
  checksum_add(&c, head, HEADER2);
  checksum_add(&c, file + HEADER2, h.marks - HEADER2);
  /* the checksum is compared after the structure's checks: a damaged file
   * goes through them first (and the fuzz target reaches them) */
  rc = le ? table_in_place(wv, &h, path, file, err)
          : table_copied(wv, &h, path, file, err);
  if (rc)
    return rc;
  uint64_t last = h.count ? get64(file + h.marks + 8 * (2 * h.count - 1))
                          : 0xcbf29ce484222325ULL;
  if (last != h.digest)
    return bad(err, path, "the last word's digest is not the file's");
  if (checksum_end(&c) != get64(file + 56))
    return bad(err, path, "the checksum of its header and words does not "
                          "match (a damaged file)");
  bool cutting = max_words && max_words < h.rows;
  if ((!lazy || cutting || wv->marks) &&
      (rc = check_marks2(&h, path, file, err)))
    return rc;
  if (!lazy && (rc = check_all(wv, &h, path, file, err)))
    return rc;
  /* the format's hash is intern.h's fs_hash: a file whose index another
   * hash built finds none of its words (checked in full above) */
  for (int k = 0; lazy && k < 3 && h.count; k++) {
    uint32_t id = (uint32_t)(k == 0 ? 0 : k == 1 ? h.count / 2 : h.count - 1);
    if (fs_intern_find(&wv->words, fs_intern_str(&wv->words, id),
                       fs_intern_len(&wv->words, id)) != id)
      return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                          "not a usable binary vectors file: the word index "
                          "does not find word %" PRIu32 " at its row",
                          id + 1);
  }
  const unsigned char *marks = file + h.marks;
  size_t keep = h.count, rows = h.rows;
  if (cutting) {
    rows = max_words;
    keep = 0;
    while (keep < h.count && get64(marks + 8 * keep) < max_words)
      keep++;
  }
  if (keep < h.count && cut(wv, keep))
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  if (wv->marks) {
    wv->mark_row = malloc((keep ? keep : 1) * sizeof *wv->mark_row);
    wv->mark_digest = malloc((keep ? keep : 1) * sizeof *wv->mark_digest);
    if (!wv->mark_row || !wv->mark_digest)
      return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
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
  wv->row_check = lazy ? (const uint64_t *)(file + h.checks) : NULL;
  return FS_OK;
}

/* The whole file in memory: mapped (read-only, the pieces used where they
 * lie: pages the page cache shares, read only when touched; populated at
 * once when every page is read), or a copy of the bytes already read when
 * they are all of it (a small file; the fuzz target): *owned set. */
static unsigned char *view(int fd, size_t size, const char *head, size_t have,
                           bool *owned) {
  *owned = false;
  if (have >= size) {
    unsigned char *p = malloc(size ? size : 1);
    if (p) {
      memcpy(p, head, size);
      *owned = true;
    }
    return p;
  }
  if (fd < 0 || !size)
    return NULL;
  void *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  return p == MAP_FAILED ? NULL : p;
}

int fs_word_vectors_read_binary(fs_word_vectors *wv, const char *path, int fd,
                                size_t size, const char *head, size_t have,
                                size_t max_words, fs_error *err) {
  bool owned;
  unsigned char *file = view(fd, size, head, have, &owned);
  if (!file)
    return fs_error_set(err, FS_ERR_INPUT, path, 0, 0, "cannot map: %s",
                        strerror(errno));
  uint32_t version = size >= 12 ? get32(file + 8) : 0;
  int rc;
  if (size < 12) {
    rc = bad(err, path, "shorter than its header");
  } else if (version == 1) {
#ifdef MADV_POPULATE_READ
    if (!owned) /* every page is read (checksum): fault them at once */
      madvise(file, size, MADV_POPULATE_READ);
#endif
    rc = read_v1(wv, path, file, size, owned ? NULL : file, max_words, err);
    if (!rc) { /* the table holds the mapping, or copied what it needs */
      if (owned)
        free(file);
      return FS_OK;
    }
  } else if (version == FS_VECTORS_VERSION) {
#ifdef MADV_POPULATE_READ
    if (!owned && (!wv->lazy || !host_le()))
      madvise(file, size, MADV_POPULATE_READ);
#endif
    rc = read_v2(wv, path, file, size, max_words, err);
    if (!rc) {
      if (!host_le()) { /* copied: the file's pages are not needed */
        if (owned)
          free(file);
        else
          munmap(file, size);
      } else {
        wv->map = file, wv->map_len = size, wv->map_malloced = owned;
      }
      if (!(wv->path = strdup(path))) {
        rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        fs_word_vectors_free(wv);
        fs_word_vectors_init(wv);
      }
      return rc;
    }
    fs_word_vectors_free_words(wv);
    free(wv->mark_row), free(wv->mark_digest);
    wv->mark_row = wv->mark_digest = NULL;
    if (!host_le()) /* copies; else in the file, which goes */
      free(wv->v), free(wv->norm);
    wv->v = NULL, wv->norm = NULL, wv->row_check = NULL;
    wv->rows_mapped = false;
    wv->v_cap = wv->norm_cap = 0;
  } else {
    rc = fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                      "binary vectors format version %" PRIu32
                      ", this framescore reads versions 1 and %u: convert "
                      "the text file again (framescore vectors convert)",
                      version, FS_VECTORS_VERSION);
  }
  if (owned)
    free(file);
  else
    munmap(file, size);
  return rc;
}

/* ---- rows looked up (a lazily read version 2 file) ------------------------ */

void fs_word_vectors_free_words(fs_word_vectors *wv) {
  if (wv->index_mapped) { /* the slots and lengths are the file's */
    free(wv->words.strs);
    memset(&wv->words, 0, sizeof wv->words);
    wv->index_mapped = false;
  } else {
    fs_intern_free(&wv->words);
  }
}

uint32_t fs_word_vectors_row(const fs_word_vectors *wv, const char *s,
                             size_t n) {
  if (!wv->dim)
    return FS_NONE;
  uint32_t id = fs_intern_find(&wv->words, s, n);
  if (id == FS_NONE || !wv->row_check)
    return id;
  const unsigned char *comp =
      (const unsigned char *)(wv->v + (size_t)id * wv->dim);
  if (row_good(comp, wv->dim, (const unsigned char *)&wv->norm[id],
               (const unsigned char *)&wv->row_check[id], id))
    return id;
  /* the first damaged row is kept for fs_word_vectors_intact; the table
   * is otherwise read only, and may be shared by threads */
  uint64_t none = 0;
  __atomic_compare_exchange_n(&((fs_word_vectors *)wv)->damaged, &none,
                              (uint64_t)id + 1, false, __ATOMIC_RELAXED,
                              __ATOMIC_RELAXED);
  return FS_NONE;
}

int fs_word_vectors_intact(const fs_word_vectors *wv, fs_error *err) {
  uint64_t d = wv ? __atomic_load_n(&wv->damaged, __ATOMIC_RELAXED) : 0;
  if (!d)
    return FS_OK;
  uint32_t id = (uint32_t)(d - 1);
  return fs_error_set(err, FS_ERR_INPUT, wv->path, 0, 0,
                      "not a usable binary vectors file: word %" PRIu32
                      " (%s)'s components or length do not match its "
                      "checksum (a damaged file): it was left out of the "
                      "scores written; convert the text file again",
                      id + 1, fs_intern_str(&wv->words, id));
}
