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

static void test_binary_errors(void) {
  unsigned char *b;
  size_t n = good_binary("a 1 2\nb 3 4\nc 5 6\n", &b);
  fs_error err;
  OK(n > 64 && n % 8 == 0, "binary size %zu", n);
  INT_EQ(load_bytes(b, n, &err), FS_OK);
  /* truncated: by a byte, to the header, inside the header */
  size_t cuts[] = {n - 1, n - 8, 64, 40, 8};
  for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
    INT_EQ(load_bytes(b, cuts[i], &err), FS_ERR_INPUT);
    OK(strstr(err.msg, "not a usable binary vectors file") &&
           err.file[0] && err.line == 0,
       "truncated to %zu: %s", cuts[i], err.msg);
  }
  INT_EQ(load_bytes(b, 40, &err), FS_ERR_INPUT);
  OK(strstr(err.msg, "shorter than its 64-byte header") != NULL,
     "short header: %s", err.msg);
  INT_EQ(load_bytes(b, n - 8, &err), FS_ERR_INPUT);
  OK(strstr(err.msg, "(truncated?)") != NULL, "truncated: %s", err.msg);
  /* another version */
  b[8] = 2;
  INT_EQ(load_bytes(b, n, &err), FS_ERR_INPUT);
  OK(strstr(err.msg, "binary vectors format version 2, this framescore "
                     "reads version 1") != NULL,
     "version: %s", err.msg);
  b[8] = 1;
  /* a flipped component bit: the checksum */
  b[n - 1 - 8] ^= 0x01;
  INT_EQ(load_bytes(b, n, &err), FS_ERR_INPUT);
  OK(strstr(err.msg, "the checksum does not match") != NULL, "checksum: %s",
     err.msg);
  b[n - 1 - 8] ^= 0x01;
  /* a word made the same as another */
  unsigned char *w = memchr(b + 64 + 16 * 3, 'b', n - 64 - 48);
  OK(w != NULL, "word b");
  if (w) {
    *w = 'a';
    INT_EQ(load_bytes(b, n, &err), FS_ERR_INPUT);
    OK(strstr(err.msg, "word 2 repeats word 1") != NULL, "repeat: %s",
       err.msg);
    *w = 'b';
  }
  /* a component made infinite (0x7f800000) */
  size_t comp = n - 3 * 2 * 4 - 0; /* 6 floats, no padding (24 bytes) */
  memcpy(b + comp, "\x00\x00\x80\x7f", 4);
  INT_EQ(load_bytes(b, n, &err), FS_ERR_INPUT);
  OK(strstr(err.msg, "word 1 has a component that is not a finite") != NULL,
     "inf: %s", err.msg);
  /* not the magic: read as text, which refuses the first byte */
  b[0] = 'X';
  INT_EQ(load_bytes(b, n, &err), FS_ERR_INPUT);
  OK(err.line == 1, "a foreign file is read as text: %s", err.msg);
  free(b);
}

int main(void) {
  test_rows();
  test_load_blocks();
  test_components();
  test_errors();
  test_binary_round_trip();
  test_binary_errors();
  DONE();
}
