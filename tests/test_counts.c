/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_counts.c - counts files read piece by piece (as `compare --counts`
 * streams them) give what one read of the whole file gives, wherever the
 * pieces end: inside a record, a quoted field or a CRLF; errors keep their
 * line numbers. */
#include "compare.h"
#include "harness.h"
#include "intern.h"

#include <math.h>
#include <stdlib.h>

static const char counts[] =
    "file,outlet,voice,measure,kind,scale,token_tests,words,count,den\r\n"
    "a.txt,north,author,loaded,category,1000,1,120,3,120\r\n"
    "a.txt,north,author,hedges,family,1000,1,120,0.5,120\r\n"
    "\"b, \"\"quoted\"\"\nname.txt\",south,author,loaded,category,1000,1,80,"
    "1,80\n"
    "\"b, \"\"quoted\"\"\nname.txt\",south,author,hedges,family,1000,1,80,"
    "2.25,80\n"
    "c.txt,north,author,loaded,category,1000,1,40,0,40\n"
    "c.txt,north,author,hedges,family,1000,1,40,1,40";

typedef struct loaded {
  int rc;
  size_t ndocs, nvals, noutlets;
  double vals[64];
  char names[3][64];
  long line, col;
} loaded;

static void keep(const fs_compare *c, int rc, const fs_error *err,
                 loaded *out) {
  out->rc = rc;
  out->line = err->line;
  out->col = err->col;
  out->ndocs = c->ndocs;
  out->noutlets = c->noutlets;
  out->nvals = rc == FS_OK ? c->ndocs * c->width : 0;
  for (size_t i = 0; i < out->nvals && i < 64; i++)
    out->vals[i] = fs_compare_value(c, i / c->width, i % c->width);
  for (size_t d = 0; rc == FS_OK && d < c->ndocs && d < 3; d++)
    snprintf(out->names[d], sizeof out->names[d], "%s",
             fs_compare_doc_file(c, d) ? fs_compare_doc_file(c, d) : "(null)");
}

/* Reads text in pieces of `step` bytes (0: all at once, through
 * fs_compare_read_counts), keeping what a piece leaves, as the CLI does. */
static loaded read_pieces(const char *text, size_t len, size_t step) {
  loaded out = {0};
  fs_compare c;
  fs_compare_init(&c, NULL, FS_VOICE_AUTHOR);
  fs_intern seen;
  fs_intern_init(&seen);
  fs_error err = {0};
  int rc;
  if (step == 0) {
    rc = fs_compare_read_counts(&c, "t.csv", text, len, &seen, &err);
  } else {
    fs_counts_reader *cr = fs_counts_reader_new(&c, "t.csv", &seen, &err);
    char *buf = malloc(len + 1);
    size_t have = 0, at = 0;
    rc = cr && buf ? FS_OK : FS_ERR_NOMEM;
    while (rc == FS_OK) {
      size_t n = len - at < step ? len - at : step;
      memcpy(buf + have, text + at, n);
      have += n, at += n;
      size_t used = 0;
      rc = fs_counts_reader_feed(cr, buf, have, n == 0, &used, &err);
      if (rc)
        break;
      OK(used <= have, "used %zu of %zu", used, have);
      memmove(buf, buf + used, have - used);
      have -= used;
      if (n == 0)
        break;
    }
    if (rc == FS_OK) {
      rc = fs_counts_reader_finish(cr, &err);
      cr = NULL;
    }
    fs_counts_reader_free(cr);
    free(buf);
  }
  keep(&c, rc, &err, &out);
  fs_intern_free(&seen);
  fs_compare_free(&c);
  return out;
}

static void same(const loaded *a, const loaded *b, size_t step) {
  OK(a->rc == b->rc && a->ndocs == b->ndocs && a->noutlets == b->noutlets &&
         a->nvals == b->nvals && a->line == b->line,
     "step %zu: rc %d/%d docs %zu/%zu line %ld/%ld", step, a->rc, b->rc,
     a->ndocs, b->ndocs, a->line, b->line);
  for (size_t i = 0; i < a->nvals && i < 64; i++)
    OK(a->vals[i] == b->vals[i], "step %zu: value %zu", step, i);
  for (size_t d = 0; d < a->ndocs && d < 3; d++)
    OK(!strcmp(a->names[d], b->names[d]), "step %zu: name %zu", step, d);
}

static void test_pieces(void) {
  size_t len = strlen(counts);
  loaded whole = read_pieces(counts, len, 0);
  INT_EQ(whole.rc, FS_OK);
  INT_EQ(whole.ndocs, 3);
  INT_EQ(whole.noutlets, 2);
  STR_EQ(whole.names[1], "b, \"quoted\"\nname.txt");
  for (size_t step = 1; step <= len; step++) {
    loaded p = read_pieces(counts, len, step);
    same(&whole, &p, step);
  }
}

static void test_errors(void) {
  /* a bad count in the record of line 6 (each quoted name spans two):
   * told where it stands, on line 7, after 'name.txt",south,...,80,' */
  char *bad = strdup(counts);
  char *at = strstr(bad, "2.25");
  memcpy(at, "x.25", 4);
  size_t len = strlen(bad);
  loaded whole = read_pieces(bad, len, 0);
  INT_EQ(whole.rc, FS_ERR_INPUT);
  INT_EQ(whole.line, 7);
  INT_EQ(whole.col, 48);
  for (size_t step = 1; step <= len; step += 7) {
    loaded p = read_pieces(bad, len, step);
    INT_EQ(p.rc, FS_ERR_INPUT);
    INT_EQ(p.line, whole.line);
    INT_EQ(p.col, whole.col);
  }
  free(bad);
  loaded empty = read_pieces("", 0, 3);
  INT_EQ(empty.rc, FS_ERR_INPUT);
  const char *header = "file,outlet,voice,measure,kind,scale,token_tests,"
                       "words,count,den\n";
  loaded none = read_pieces(header, strlen(header), 5);
  INT_EQ(none.rc, FS_ERR_INPUT);
}

/* Document d's value in column j of test_rows: small whole numbers, until
 * one column after another gets a value its type does not hold. */
static double row_value(size_t d, size_t j) {
  double x = (double)((d * 7 + j * 13) % 1000);
  if (j == 1 && d >= 1000)
    return d == 1000 ? 70000 : x; /* -> 32-bit */
  if (j == 2 && d >= 2000)
    return d % 3 ? x + 0.25 : x; /* -> float */
  if (j == 3 && d == 3000)
    return 0.1; /* words: -> double */
  if (j == 4 && d >= 4000)
    return d == 4000 ? 5e9 + 1 : d == 4500 ? -0.0 : x; /* -> double */
  return x;
}

/* Each column of the rows keeps the narrowest type that holds its values,
 * moving alone to a wider one, and every value stays as it was given. */
static void test_rows(void) {
  fs_compare c;
  fs_compare_init(&c, NULL, FS_VOICE_AUTHOR);
  c.measures = calloc(3, sizeof *c.measures);
  OK(c.measures != NULL, "out of memory");
  c.measures[2].kind = FS_MEASURE_DIMENSION; /* its own denominator */
  c.nmeasures = 3;
  INT_EQ(fs_compare_layout(&c), FS_OK);
  INT_EQ(c.width, 5);
  size_t n = 5000;
  for (size_t d = 0; d < n; d++) {
    double cnt[3] = {row_value(d, 0), row_value(d, 1), row_value(d, 2)};
    double den[3] = {row_value(d, 3), row_value(d, 3), row_value(d, 4)};
    INT_EQ(fs_compare_push(&c, NULL, (uint32_t)(d % 2), row_value(d, 3), cnt,
                           den),
           FS_OK);
  }
  bool same = true;
  for (size_t d = 0; d < n && same; d++)
    for (size_t j = 0; j < 5 && same; j++) {
      double v = fs_compare_value(&c, d, j), want = row_value(d, j);
      same = v == want && signbit(v) == signbit(want);
      OK(same, "document %zu column %zu: %g, not %g", d, j, v, want);
    }
  static const int type[5] = {FS_COL_U16, FS_COL_U32, FS_COL_F32,
                              FS_COL_F64, FS_COL_F64};
  for (size_t j = 0; j < 5; j++)
    INT_EQ(c.col[j] >> FS_COL_SHIFT, type[j]);
  INT_EQ(c.blk[FS_COL_U16].width, 1);
  INT_EQ(c.blk[FS_COL_F64].width, 2);
  fs_compare_free(&c);
}

int main(void) {
  test_pieces();
  test_errors();
  test_rows();
  DONE();
}
