/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_render.c - libFuzzer target: the report renderers (text, tidy CSV,
 * JSONL, matches CSV) into memory. The input is "path\noutlet\ntext"; the
 * first byte also picks colour and voices. CSV output must read back with
 * the right number of columns and every output must be valid UTF-8. */
#include "fuzz_common.h"
#include "internal.h"

/* Reads CSV back: every record has `cols` fields; the first field of data
 * rows equals `first` when that is given. */
static void check_csv(const char *buf, size_t len, size_t cols,
                      const char *first) {
  fs_csv_record *rec = malloc(sizeof *rec);
  FUZZ_CHECK(rec);
  size_t pos = 0;
  long line = 1;
  int r, row = 0;
  fs_error err = {0};
  while ((r = fs_csv_read_record(buf, len, &pos, &line, rec, "out.csv", &err)) >
         0) {
    FUZZ_CHECK(rec->nfields == cols);
    if (row++ && first)
      FUZZ_CHECK(!strcmp(rec->fields[0], first));
  }
  /* only a record over the reader's size limit may fail to read back */
  FUZZ_CHECK(r == 0 || strstr(err.msg, "record longer"));
  free(rec);
}

/* Every byte below 0x20 in JSONL output is a line end. */
static void check_jsonl(const char *buf, size_t len) {
  FUZZ_CHECK(fuzz_valid_utf8(buf, len));
  for (size_t i = 0; i < len; i++)
    FUZZ_CHECK((unsigned char)buf[i] >= 0x20 || buf[i] == '\n');
  FUZZ_CHECK(len > 0 && buf[len - 1] == '\n' &&
             memchr(buf, '\n', len) == buf + len - 1);
}

/* A whole number field as rb_uints() writes it: its digits, no sign. */
static uint64_t number(const char *s) {
  FUZZ_CHECK(*s);
  uint64_t v = 0;
  for (; *s; s++) {
    FUZZ_CHECK(*s >= '0' && *s <= '9');
    v = v * 10 + (uint64_t)(*s - '0');
  }
  return v;
}

/* The matches CSV's position columns, row by row, against the document's
 * matches through the tokens' own accessors (fs_tok_line() and
 * fs_tok_col() search the line marks; the rows walk on from the last). */
static void check_positions(const char *buf, size_t len, const fs_doc *d) {
  fs_csv_record *rec = malloc(sizeof *rec);
  FUZZ_CHECK(rec);
  size_t pos = 0, i = 0;
  long line = 1;
  fs_error err = {0};
  int r = fs_csv_read_record(buf, len, &pos, &line, rec, "out.csv", &err);
  while (r > 0 &&
         (r = fs_csv_read_record(buf, len, &pos, &line, rec, "out.csv",
                                 &err)) > 0) {
    FUZZ_CHECK(i < d->nmatches);
    const fs_match *m = &d->matches[i++];
    const fs_tok *a = &d->tokens[m->tok_start];
    const fs_tok *b = &d->tokens[m->tok_end - 1];
    FUZZ_CHECK(number(rec->fields[2]) == a->byte_start);
    FUZZ_CHECK(number(rec->fields[3]) == b->byte_end);
    FUZZ_CHECK(number(rec->fields[4]) == a->char_start);
    FUZZ_CHECK(number(rec->fields[6]) == fs_tok_line(d, m->tok_start));
    FUZZ_CHECK(number(rec->fields[7]) == fs_tok_col(d, m->tok_start));
    FUZZ_CHECK(number(rec->fields[8]) == (uint64_t)a->sentence + 1);
  }
  /* a row per match (only one over the reader's size limit ends it) */
  FUZZ_CHECK(i == d->nmatches || strstr(err.msg, "record longer"));
  free(rec);
}

static char *field(const uint8_t **p, const uint8_t *end) {
  const uint8_t *nl = memchr(*p, '\n', (size_t)(end - *p));
  size_t n = nl ? (size_t)(nl - *p) : 0;
  char *s = malloc(n + 1);
  FUZZ_CHECK(s);
  memcpy(s, *p, n);
  s[n] = '\0';
  if (nl)
    *p = nl + 1;
  return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  fs_ctx *ctx = fuzz_shared_ctx();
  unsigned flags = data[0];
  const uint8_t *p = data + 1, *end = data + size;
  char *path = field(&p, end);
  char *outlet = field(&p, end);
  size_t len = (size_t)(end - p);
  char *text = malloc(len ? len : 1);
  FUZZ_CHECK(text);
  if (len)
    memcpy(text, p, len);
  fs_error err = {0};
  fs_doc *doc = fs_doc_analyze(ctx, text, len, &err);
  FUZZ_CHECK(doc);
  fs_report_item it = {0};
  it.path = path;
  it.outlet = (flags & 8) ? NULL : outlet;
  it.doc = doc;
  fs_report_item items[2] = {it, {0}};
  items[1].path = "missing.txt";
  char *buf;
  size_t n;
  /* what the CSV reader gives back for a field: invalid UTF-8 as U+FFFD */
  char *want = NULL;
  if (fuzz_valid_utf8(path, strlen(path)))
    want = path;

  FILE *f = open_memstream(&buf, &n);
  FUZZ_CHECK(f);
  FUZZ_CHECK(fs_render_report_text(f, ctx, items, 2, flags & 1) == FS_OK);
  fclose(f);
  FUZZ_CHECK(n > 0);
  free(buf);

  f = open_memstream(&buf, &n);
  fs_render_report_csv_header(f, NULL, 0);
  fs_render_report_csv(f, ctx, &it, (int)(flags >> 1 & 3));
  fclose(f);
  FUZZ_CHECK(fuzz_valid_utf8(buf, n));
  check_csv(buf, n, 9, want);
  free(buf);

  f = open_memstream(&buf, &n);
  fs_render_matches_csv_header(f, NULL, 0);
  fs_render_matches_csv(f, ctx, &it);
  fclose(f);
  FUZZ_CHECK(fuzz_valid_utf8(buf, n));
  check_csv(buf, n, 18, want);
  check_positions(buf, n, doc);
  free(buf);

  f = open_memstream(&buf, &n);
  fs_render_report_jsonl(f, ctx, &it, (flags & 16) == 0);
  fclose(f);
  check_jsonl(buf, n);
  free(buf);

  fs_doc_free(doc);
  free(text);
  free(path);
  free(outlet);
  return 0;
}
