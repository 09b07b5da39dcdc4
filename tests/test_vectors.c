/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_vectors.c - a word-vector file (GloVe / word2vec text format) is
 * read row by row: words found by their exact form, components as
 * written, word2vec's header skipped, a repeated word's first row kept,
 * max_words honoured; every malformed row is refused with its
 * file:line:col (col in code points), and the digest tells files apart.
 * The binary file (vectors convert) reads back to the same table, cut at
 * max_words as the text is, and a short, foreign or damaged one is refused
 * with "file: what". */
#include "harness.h"
#include "word_vectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int parse(fs_word_vectors *wv, const char *text, size_t max,
                 fs_error *err) {
  fs_word_vectors_init(wv);
  memset(err, 0, sizeof *err);
  return fs_word_vectors_parse(wv, "v.txt", text, strlen(text), max, err);
}

/* wv (read with marks) written as a binary file at path. */
static int write_binary(const fs_word_vectors *wv, const char *path) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  int rc = fs_word_vectors_write(wv, f);
  return fclose(f) || rc ? -1 : 0;
}

/* Two tables are the same: words, ids, components, lengths, digest. */
static void same_table(const fs_word_vectors *a, const fs_word_vectors *b,
                       const char *what) {
  bool same = a->words.count == b->words.count && a->dim == b->dim &&
              a->digest == b->digest && a->skipped == b->skipped;
  for (uint32_t id = 0; same && id < a->words.count; id++) {
    const char *w = fs_intern_str(&a->words, id);
    size_t wl = fs_intern_len(&a->words, id);
    const float *x = fs_word_vectors_find(b, w, wl);
    same = x == b->v + (size_t)id * b->dim &&
           !memcmp(x, a->v + (size_t)id * a->dim, a->dim * sizeof *x) &&
           a->norm[id] == b->norm[id];
  }
  OK(same, "binary = text: %s (%zu/%zu words, digests %llx %llx)", what,
     a->words.count, b->words.count, (unsigned long long)a->digest,
     (unsigned long long)b->digest);
}

static void test_rows(void) {
  fs_word_vectors wv;
  fs_error err;
  const char *t = "the 0.5 -1 2.5e-1\n"
                  "\n"
                  "régime\t1 2 3\r\n"
                  "the 9 9 9\n"
                  "kiev -0.125 0 1E2\n";
  INT_EQ(parse(&wv, t, 0, &err), FS_OK);
  INT_EQ(wv.dim, 3);
  INT_EQ(wv.words.count, 3);
  INT_EQ(wv.skipped, 1);
  const float *v = fs_word_vectors_find(&wv, "the", 3);
  OK(v && v[0] == 0.5f && v[1] == -1.0f && v[2] == 0.25f, "the");
  v = fs_word_vectors_find(&wv, "régime", strlen("régime"));
  OK(v && v[2] == 3.0f, "régime (tab-separated, CRLF)");
  v = fs_word_vectors_find(&wv, "kiev", 4);
  OK(v && v[0] == -0.125f && v[2] == 100.0f, "kiev");
  OK(fs_word_vectors_find(&wv, "The", 3) == NULL, "case is the file's");
  OK(fs_word_vectors_find(&wv, "th", 2) == NULL, "a prefix is not a word");
  uint64_t all = wv.digest;
  fs_word_vectors_free(&wv);

  /* the first two rows only; the digest covers the rows kept */
  INT_EQ(parse(&wv, t, 2, &err), FS_OK);
  INT_EQ(wv.words.count, 2);
  OK(fs_word_vectors_find(&wv, "kiev", 4) == NULL, "max_words");
  OK(wv.digest != all, "digest of fewer rows");
  fs_word_vectors_free(&wv);

  /* word2vec's "COUNT DIM" header */
  INT_EQ(parse(&wv, "2 2\na 1 2\nb 3 4\n", 0, &err), FS_OK);
  INT_EQ(wv.words.count, 2);
  INT_EQ(wv.dim, 2);
  fs_word_vectors_free(&wv);

  /* one changed component changes the digest */
  fs_word_vectors a, b;
  parse(&a, "a 1 2\nb 3 4\n", 0, &err);
  parse(&b, "a 1 2\nb 3 5\n", 0, &err);
  OK(a.digest != b.digest, "digest");
  fs_word_vectors_free(&a);
  fs_word_vectors_free(&b);
  /* an empty file: no vectors, every lookup absent */
  INT_EQ(parse(&wv, "", 0, &err), FS_OK);
  OK(fs_word_vectors_find(&wv, "a", 1) == NULL, "empty");
  fs_word_vectors_free(&wv);
}

static void bad(const char *text, long line, long col, const char *what) {
  fs_word_vectors wv;
  fs_error err;
  int rc = parse(&wv, text, 0, &err);
  OK(rc == FS_ERR_INPUT, "accepted: %s", text);
  INT_EQ(err.line, line);
  INT_EQ(err.col, col);
  OK(strstr(err.msg, what) != NULL, "message '%s', want '%s'", err.msg, what);
  STR_EQ(err.file, "v.txt");
  fs_word_vectors_free(&wv);
}

static void test_errors(void) {
  bad("a 1 2\nb 1 x\n", 2, 5, "finite decimal");
  bad("a 1 2\nb 1 nan\n", 2, 5, "finite decimal");
  bad("a 1 2\nb 1 inf\n", 2, 5, "finite decimal");
  bad("a 1 2\nb 1 0x10\n", 2, 5, "finite decimal");
  bad("a 1 2\nb 1 1e99\n", 2, 5, "finite decimal");
  bad("a 1 2\nb 1\n", 2, 4, "1 components, expected 2");
  bad("a 1 2\nb 1 2 3\n", 2, 7, "more than 2");
  bad("a\n", 1, 2, "0 components");
  /* columns count code points, not bytes */
  bad("a 1 2\nрежим 1 x\n", 2, 9, "finite decimal");
  bad("a 1 2\nрежим 1\n", 2, 8, "1 components");
  bad("a 1 2\nb\xff 1 2\n", 2, 2, "valid UTF-8");
  bad("a 1 2\né\x01 1 2\n", 2, 2, "control");
}

/* The fast path gives what strtof gives, for components written as GloVe
 * files write them (%.6g, %.5f) and longer ones (strtof's path). */
static void test_components(void) {
  enum { ROWS = 400, DIM = 50 };
  size_t cap = (size_t)ROWS * DIM * 32 + 64, at = 0;
  char *t = malloc(cap);
  float *want = malloc(sizeof *want * ROWS * DIM);
  unsigned long long r = 88172645463325252ULL;
  for (int i = 0; i < ROWS; i++) {
    at += (size_t)snprintf(t + at, cap - at, "w%d", i);
    for (int j = 0; j < DIM; j++) {
      r ^= r << 13, r ^= r >> 7, r ^= r << 17;
      double x = ((double)(r >> 11) / 9007199254740992.0 - 0.5) *
                 (j % 3 == 0 ? 8.0 : j % 3 == 1 ? 1e-3 : 1e5);
      const char *fmt = j % 4 == 0 ? " %.6g" : j % 4 == 1 ? " %.5f"
                        : j % 4 == 2 ? " %.17g" : " %.3e";
      int k = snprintf(t + at, cap - at, fmt, x);
      want[i * DIM + j] = strtof(t + at + 1, NULL);
      at += (size_t)k;
    }
    t[at++] = '\n';
  }
  t[at] = '\0';
  fs_word_vectors wv;
  fs_error err;
  INT_EQ(parse(&wv, t, 0, &err), FS_OK);
  int diff = 0;
  for (int i = 0; i < ROWS; i++) {
    char w[16];
    int wl = snprintf(w, sizeof w, "w%d", i);
    const float *v = fs_word_vectors_find(&wv, w, (size_t)wl);
    for (int j = 0; v && j < DIM; j++)
      diff += memcmp(&v[j], &want[i * DIM + j], sizeof(float)) != 0;
    OK(v != NULL, "%s", w);
  }
  INT_EQ(diff, 0);
  fs_word_vectors_free(&wv);
  free(t);
  free(want);
}

/* A file of more than one reading block (4 MiB) reads as the same text
 * parsed whole: rows across block ends, line numbers of an error past the
 * first block, the last line without its newline, max_words. */
static void test_load_blocks(void) {
  enum { ROWS = 30000, DIM = 20 };
  char path[] = "/tmp/fs_test_vectors_XXXXXX";
  int fd = mkstemp(path);
  OK(fd >= 0, "mkstemp");
  if (fd < 0)
    return;
  FILE *f = fdopen(fd, "w");
  size_t cap = (size_t)ROWS * DIM * 12 + 64, at = 0;
  char *t = malloc(cap);
  for (int i = 0; i < ROWS; i++) {
    at += (size_t)snprintf(t + at, cap - at, "w%d", i);
    for (int j = 0; j < DIM; j++)
      at += (size_t)snprintf(t + at, cap - at, " %.6g",
                             (i * 31 + j * 7) % 1000 / 997.0 - 0.5);
    if (i < ROWS - 1)
      t[at++] = '\n';
  }
  fwrite(t, 1, at, f);
  fclose(f);
  OK(at > (size_t)(5 << 20), "the file spans blocks (%zu bytes)", at);
  fs_word_vectors whole, read;
  fs_error err;
  INT_EQ(parse(&whole, t, 0, &err), FS_OK);
  fs_word_vectors_init(&read);
  INT_EQ(fs_word_vectors_load(&read, path, 0, &err), FS_OK);
  INT_EQ(read.words.count, ROWS);
  OK(read.digest == whole.digest, "digest of the blocks = of the text");
  OK(!memcmp(read.v, whole.v, sizeof(float) * ROWS * DIM), "components");
  fs_word_vectors_free(&read);
  fs_word_vectors_init(&read);
  INT_EQ(fs_word_vectors_load(&read, path, 25000, &err), FS_OK);
  INT_EQ(read.words.count, 25000);
  fs_word_vectors_free(&read);
  /* the same as a binary file larger than a block: mapped, the same */
  fs_word_vectors_free(&whole);
  fs_word_vectors_init(&whole);
  whole.marks = true;
  INT_EQ(fs_word_vectors_parse(&whole, "w.txt", t, at, 0, &err), FS_OK);
  char bpath[] = "/tmp/fs_test_vbig_XXXXXX";
  int bfd = mkstemp(bpath);
  FILE *bf = bfd >= 0 ? fdopen(bfd, "wb") : NULL;
  OK(bf && fs_word_vectors_write(&whole, bf) == FS_OK && !fclose(bf),
     "written");
  fs_word_vectors_init(&read);
  INT_EQ(fs_word_vectors_load(&read, bpath, 0, &err), FS_OK);
  OK(read.map != NULL, "a large binary file is mapped");
  same_table(&whole, &read, "30000 rows, mapped");
  fs_word_vectors_free(&read);
  remove(bpath);
  fs_word_vectors_free(&whole);
  /* an error in the second block says its line */
  char *bad = strstr(t, "\nw28000 ");
  OK(bad != NULL, "row 28000");
  if (bad) {
    bad[9] = 'x';
    f = fopen(path, "w");
    fwrite(t, 1, at, f);
    fclose(f);
    fs_word_vectors_init(&read);
    memset(&err, 0, sizeof err);
    INT_EQ(fs_word_vectors_load(&read, path, 0, &err), FS_ERR_INPUT);
    INT_EQ(err.line, 28001);
    INT_EQ(err.col, 8);
    STR_EQ(err.file, path);
    fs_word_vectors_free(&read);
  }
  /* missing file: the path and why */
  fs_word_vectors_init(&read);
  memset(&err, 0, sizeof err);
  OK(fs_word_vectors_load(&read, "/nonexistent/v.txt", 0, &err) ==
         FS_ERR_INPUT && strstr(err.file, "/nonexistent/v.txt"),
     "missing file");
  fs_word_vectors_free(&read);
  remove(path);
  free(t);
}

/* The binary file reads back to the text's table, whole and cut at every
 * max_words (repeated rows counted, as the text reader counts them). */
static void test_binary_round_trip(void) {
  const char *t = "4 3\n"
                  "the 0.5 -1 2.5e-1\n"
                  "\n"
                  "régime\t1 2 3\r\n"
                  "the 9 9 9\n"
                  "kiev -0.125 0 1E2\n"
                  "zero 0 0 0\n"
                  "kiev 1 1 1\n"
                  "last 3 4 12\n";
  char path[] = "/tmp/fs_test_vbin_XXXXXX";
  int fd = mkstemp(path);
  OK(fd >= 0, "mkstemp");
  if (fd < 0)
    return;
  close(fd);
  fs_error err;
  for (size_t max = 0; max <= 8; max++) {
    fs_word_vectors text, bin;
    fs_word_vectors_init(&text);
    text.marks = true;
    memset(&err, 0, sizeof err);
    INT_EQ(fs_word_vectors_parse(&text, "v.txt", t, strlen(t), 0, &err),
           FS_OK);
    INT_EQ(write_binary(&text, path), 0);
    fs_word_vectors_free(&text);
    INT_EQ(parse(&text, t, max, &err), FS_OK);
    fs_word_vectors_init(&bin);
    INT_EQ(fs_word_vectors_load(&bin, path, max, &err), FS_OK);
    char what[32];
    snprintf(what, sizeof what, "max_words %zu", max);
    same_table(&text, &bin, what);
    OK(bin.map != NULL, "a binary file is mapped");
    fs_word_vectors_free(&bin);
    fs_word_vectors_init(&bin); /* the index and rows used in place */
    bin.lazy = true;
    INT_EQ(fs_word_vectors_load(&bin, path, max, &err), FS_OK);
    snprintf(what, sizeof what, "max_words %zu, lazily", max);
    same_table(&text, &bin, what);
    INT_EQ(fs_word_vectors_intact(&bin, &err), FS_OK);
    fs_word_vectors_free(&text);
    fs_word_vectors_free(&bin);
  }
  /* binary -> binary: the same bytes */
  fs_word_vectors a;
  fs_word_vectors_init(&a);
  a.marks = true;
  INT_EQ(fs_word_vectors_load(&a, path, 0, &err), FS_OK);
  char path2[] = "/tmp/fs_test_vbin2_XXXXXX";
  fd = mkstemp(path2);
  if (fd >= 0)
    close(fd);
  INT_EQ(write_binary(&a, path2), 0);
  FILE *f1 = fopen(path, "rb"), *f2 = fopen(path2, "rb");
  bool same = f1 && f2;
  for (int c1 = 0, c2 = 0; same && c1 != EOF;) {
    c1 = getc(f1), c2 = getc(f2);
    same = c1 == c2;
  }
  OK(same, "binary written again from binary: the same bytes");
  if (f1)
    fclose(f1);
  if (f2)
    fclose(f2);
  fs_word_vectors_free(&a);
  /* a table read without marks is not written */
  parse(&a, t, 0, &err);
  FILE *f = fopen(path2, "wb");
  OK(f && fs_word_vectors_write(&a, f) != FS_OK, "no marks: not written");
  if (f)
    fclose(f);
  fs_word_vectors_free(&a);
  remove(path);
  remove(path2);
}

/* Reads bytes b[0..n) as a vectors file; the error's message. */
static int load_bytes(const unsigned char *b, size_t n, fs_error *err) {
  char path[] = "/tmp/fs_test_vbad_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    return -1;
  bool ok = write(fd, b, n) == (ssize_t)n;
  close(fd);
  fs_word_vectors wv;
  fs_word_vectors_init(&wv);
  memset(err, 0, sizeof *err);
  int rc = ok ? fs_word_vectors_load(&wv, path, 0, err) : -1;
  fs_word_vectors_free(&wv);
  remove(path);
  return rc;
}

/* A good binary file of t's rows in *b (the caller frees), its size. */
static size_t good_binary(const char *t, unsigned char **b) {
  fs_word_vectors wv;
  fs_error err;
  fs_word_vectors_init(&wv);
  wv.marks = true;
  fs_word_vectors_parse(&wv, "v.txt", t, strlen(t), 0, &err);
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  fs_word_vectors_write(&wv, f);
  fclose(f);
  fs_word_vectors_free(&wv);
  *b = malloc(n);
  if (*b)
    memcpy(*b, buf, n);
  free(buf);
  return *b ? n : 0;
}

/* Reads bytes b[0..n) as a vectors file, lazily or not; the error's
 * message in err. */
static int load_lazy(const unsigned char *b, size_t n, bool lazy,
                     fs_error *err) {
  char path[] = "/tmp/fs_test_vlazy_XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0)
    return -1;
  bool ok = write(fd, b, n) == (ssize_t)n;
  close(fd);
  fs_word_vectors wv;
  fs_word_vectors_init(&wv);
  wv.lazy = lazy;
  memset(err, 0, sizeof *err);
  int rc = ok ? fs_word_vectors_load(&wv, path, 0, err) : -1;
  fs_word_vectors_free(&wv);
  remove(path);
  return rc;
}

/* Refused either way (lazily or not), with what in the message. */
static void refused(const unsigned char *b, size_t n, const char *what,
                    const char *why) {
  fs_error err;
  for (int lazy = 0; lazy < 2; lazy++) {
    int rc = load_lazy(b, n, lazy, &err);
    OK(rc == FS_ERR_INPUT && strstr(err.msg, what) && err.file[0] &&
           err.line == 0,
       "%s (lazy %d): %s", why, lazy, err.msg);
  }
}

/* "a 1 2\nb 3 4\nc 5 6\n" as version 2: 8 slots (128), lengths (192),
 * words (208), marks (216), row checks (264), lengths (288), components
 * (312), 336 bytes. */
enum { B_SLOTS = 128, B_LENS = 192, B_WORDS = 208, B_MARKS = 216,
       B_CHECKS = 264, B_NORMS = 288, B_COMP = 312, B_SIZE = 336 };

/* b[0..n) with word `row` (1-based: "a", "b" or "c") damaged: refused when
 * read whole; read lazily, the other rows are found, that one is not, and
 * fs_word_vectors_intact names it. */
static void damaged_row(const unsigned char *b, size_t n, int row) {
  fs_error err;
  char want[96];
  snprintf(want, sizeof want,
           "word %d's components or length do not match its checksum", row);
  INT_EQ(load_bytes(b, n, &err), FS_ERR_INPUT);
  OK(strstr(err.msg, want) != NULL, "row %d, whole: %s", row, err.msg);
  char path[] = "/tmp/fs_test_vflip_XXXXXX";
  int fd = mkstemp(path);
  OK(fd >= 0 && write(fd, b, n) == (ssize_t)n, "write");
  close(fd);
  fs_word_vectors wv;
  fs_word_vectors_init(&wv);
  wv.lazy = true;
  INT_EQ(fs_word_vectors_load(&wv, path, 0, &err), FS_OK);
  INT_EQ(fs_word_vectors_intact(&wv, &err), FS_OK);
  for (int r = 1; r <= 3; r++) {
    char w = (char)('a' + r - 1);
    const float *x = fs_word_vectors_find(&wv, &w, 1);
    OK(r == row ? x == NULL : x == wv.v + (size_t)(r - 1) * wv.dim,
       "row %d damaged: lookup of row %d", row, r);
  }
  INT_EQ(fs_word_vectors_intact(&wv, &err), FS_ERR_INPUT);
  snprintf(want, sizeof want,
           "not a usable binary vectors file: word %d (%c)'s components", row,
           'a' + row - 1);
  OK(strstr(err.msg, want) && strstr(err.file, "fs_test_vflip_"),
     "intact: %s: %s", err.file, err.msg);
  fs_word_vectors_free(&wv);
  remove(path);
}

static void test_binary_errors(void) {
  unsigned char *b;
  size_t n = good_binary("a 1 2\nb 3 4\nc 5 6\n", &b);
  fs_error err;
  INT_EQ((long)n, B_SIZE);
  INT_EQ(load_bytes(b, n, &err), FS_OK);
  INT_EQ(load_lazy(b, n, true, &err), FS_OK);
  /* truncated: by a byte, to the header, inside the header */
  size_t cuts[] = {n - 1, n - 8, 128, 64, 40, 8};
  for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
    char why[32];
    snprintf(why, sizeof why, "truncated to %zu", cuts[i]);
    refused(b, cuts[i], "not a usable binary vectors file", why);
  }
  refused(b, 100, "shorter than its 128-byte header", "short header");
  refused(b, n - 8, "(truncated?)", "truncated");
  /* another version */
  b[8] = 7;
  refused(b, n, "binary vectors format version 7, this framescore reads "
                "versions 1 and 2", "version");
  b[8] = 2;
  /* every header field is checked: a count, the rows, the digest */
  b[24] ^= 0x01; /* rows 3 -> 2: fewer rows than words */
  refused(b, n, "a word count out of range", "rows < count");
  b[24] = 5;
  refused(b, n, "the checksum of its header and words does not match",
          "rows changed");
  b[24] = 3;
  b[32] ^= 0x10; /* the digest */
  refused(b, n, "the last word's digest is not the file's", "digest");
  b[32] ^= 0x10;
  b[100] = 1; /* reserved */
  refused(b, n, "reserved header bytes are not 0", "reserved");
  b[100] = 0;
  b[48] = 16; /* another index size */
  refused(b, n, "a word index of 16 slots for 3 words", "slots");
  b[48] = 8;
  /* a corrupt index: a slot beyond the words, a full table, a slot moved */
  size_t used = 0;
  while (used < 8 && !b[B_SLOTS + 8 * used])
    used++;
  OK(used < 8, "an occupied slot");
  unsigned char keep[64];
  memcpy(keep, b + B_SLOTS, 64);
  b[B_SLOTS + 8 * used] = 9; /* word 9 of 3 */
  refused(b, n, "word index slot", "a slot out of range");
  b[B_SLOTS + 8 * used] = 0;
  b[B_SLOTS + 8 * used + 4] = 1; /* a tag with id 0: not empty, no word */
  refused(b, n, "word index slot", "a tag without a word");
  for (int i = 0; i < 8; i++)
    b[B_SLOTS + 8 * i] = b[B_SLOTS + 8 * i] ? b[B_SLOTS + 8 * i] : 1;
  refused(b, n, "without an empty slot", "a full index");
  memcpy(b + B_SLOTS, keep, 64);
  size_t empty = (used + 1) % 8;
  while (b[B_SLOTS + 8 * empty])
    empty = (empty + 1) % 8;
  memcpy(b + B_SLOTS + 8 * empty, keep + 8 * used, 8);
  memset(b + B_SLOTS + 8 * used, 0, 8);
  refused(b, n, "not a usable binary vectors file", "a slot moved");
  memcpy(b + B_SLOTS, keep, 64);
  /* a word's length, a word's bytes */
  b[B_LENS] = 2;
  refused(b, n, "word 1 does not end where its length says", "length");
  b[B_LENS] = 1;
  b[B_LENS + 4] = 200;
  refused(b, n, "word 2's length out of range", "length beyond the block");
  b[B_LENS + 4] = 1;
  b[B_WORDS + 2] = 'a';
  refused(b, n, "does not match", "a word made the same as another");
  b[B_WORDS + 2] = 'b';
  /* a flipped component bit, a flipped sign (the length is the same), a
   * changed length: refused at load when not lazy; lazily, the row is
   * left out when looked up and the table says so */
  size_t flips[][2] = {{B_COMP + 8, 0x01}, {B_COMP + 3, 0x80},
                       {B_NORMS + 8, 0x01}, {B_CHECKS + 16, 0x04}};
  for (size_t i = 0; i < sizeof flips / sizeof *flips; i++) {
    b[flips[i][0]] ^= (unsigned char)flips[i][1];
    damaged_row(b, n, i == 1 ? 1 : i == 3 ? 3 : 2);
    b[flips[i][0]] ^= (unsigned char)flips[i][1];
  }
  /* the marks: checked when used (convert, max_words), not lazily */
  b[B_MARKS + 8] ^= 0x01;
  INT_EQ(load_lazy(b, n, true, &err), FS_OK);
  INT_EQ(load_bytes(b, n, &err), FS_ERR_INPUT);
  OK(strstr(err.msg, "word rows out of order") ||
         strstr(err.msg, "the marks' checksum does not match"),
     "marks: %s", err.msg);
  b[B_MARKS + 8] ^= 0x01;
  INT_EQ(load_bytes(b, n, &err), FS_OK);
  /* not the magic: read as text, which refuses the first byte */
  b[0] = 'X';
  INT_EQ(load_bytes(b, n, &err), FS_ERR_INPUT);
  OK(err.line == 1, "a foreign file is read as text: %s", err.msg);
  free(b);
}

/* A version 1 file (session 33's, tests/data/vectors_v1.fsv, written from
 * the text below) reads to the text file's table; convert writes it as
 * version 2. */
static void test_version1(void) {
  const char *t = "council 0.25 -1 0.5\nthe 1 2 3\nslammed -0.125 0 4\n"
                  "the 9 9 9\nplan 0.5 0.5 -0.75\n";
  fs_word_vectors text, v1;
  fs_error err;
  INT_EQ(parse(&text, t, 0, &err), FS_OK);
  for (int lazy = 0; lazy < 2; lazy++) {
    fs_word_vectors_init(&v1);
    v1.lazy = lazy;
    v1.marks = true;
    INT_EQ(fs_word_vectors_load(&v1, "tests/data/vectors_v1.fsv", 0, &err),
           FS_OK);
    same_table(&text, &v1, lazy ? "version 1, lazy" : "version 1");
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    INT_EQ(fs_word_vectors_write(&v1, f), FS_OK);
    fclose(f);
    OK(n > 12 && buf[8] == 2, "written again as version 2");
    free(buf);
    fs_word_vectors_free(&v1);
  }
  fs_word_vectors_free(&text);
}

/* Version 2 stores intern.h's table: its hash is part of the format. A
 * change of fs_hash needs a new format version (the loader would refuse
 * every version 2 file: "the word index does not find word N"). */
static void test_format_hash(void) {
  OK(fs_hash("the", 3) == 0x404e353ffdf6f68eULL &&
         fs_hash("government's", 12) == 0x3fcfaad8b5f83048ULL,
     "fs_hash is the binary vectors format's hash (word_vectors.h)");
}

int main(void) {
  test_format_hash();
  test_rows();
  test_load_blocks();
  test_components();
  test_errors();
  test_binary_round_trip();
  test_binary_errors();
  test_version1();
  DONE();
}
