/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_counts.c - libFuzzer target: the counts file of compare --counts.
 * Read whole and read in pieces (as the command streams it) give the same
 * status and the same documents; a rejected file says file:line; an
 * accepted one is written out as counts that read back to the same bytes,
 * and its statistics run. */
#include "compare.h"
#include "fuzz_common.h"
#include "intern.h"

/* Reads data into c in pieces of `chunk` bytes, as compare --counts does. */
static int read_pieces(fs_compare *c, fs_intern *seen, const char *data,
                       size_t size, size_t chunk, fs_error *err) {
  fs_counts_reader *cr = fs_counts_reader_new(c, "c.csv", seen, err);
  FUZZ_CHECK(cr);
  char *buf = malloc(size + 1);
  FUZZ_CHECK(buf);
  size_t have = 0, pos = 0;
  int rc = FS_OK;
  for (;;) {
    size_t n = size - pos < chunk ? size - pos : chunk;
    memcpy(buf + have, data + pos, n);
    pos += n, have += n;
    bool last = n == 0;
    size_t used = 0;
    if ((rc = fs_counts_reader_feed(cr, buf, have, last, &used, err)))
      break;
    FUZZ_CHECK(used <= have);
    memmove(buf, buf + used, have - used);
    have -= used;
    if (last)
      break;
  }
  free(buf);
  if (rc) {
    fs_counts_reader_free(cr);
    return rc;
  }
  return fs_counts_reader_finish(cr, err);
}

static char *write_counts(const fs_compare *c, size_t *n) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, n);
  FUZZ_CHECK(f);
  FUZZ_CHECK(fs_compare_write_counts(f, c) == FS_OK);
  fclose(f);
  return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t chunk = size ? (size_t)data[0] % 64 + 1 : 1;
  const char *text = (const char *)data;
  fs_error err = {0}, err2 = {0};
  fs_compare a, b;
  fs_intern sa, sb;
  fs_compare_init(&a, NULL, FS_VOICE_AUTHOR);
  fs_compare_init(&b, NULL, FS_VOICE_AUTHOR);
  fs_intern_init(&sa);
  fs_intern_init(&sb);
  int ra = fs_compare_read_counts(&a, "c.csv", text, size, &sa, &err);
  int rb = read_pieces(&b, &sb, text, size, chunk, &err2);
  FUZZ_CHECK(ra == rb);
  if (ra != FS_OK) {
    FUZZ_CHECK(ra == FS_ERR_INPUT && !strcmp(err.file, "c.csv") && err.msg[0]);
    FUZZ_CHECK(!strcmp(err.msg, err2.msg) && err.line == err2.line);
  } else {
    FUZZ_CHECK(a.ndocs == b.ndocs && a.nmeasures == b.nmeasures);
    size_t n1, n2, n3;
    char *t1 = write_counts(&a, &n1), *t2 = write_counts(&b, &n2);
    FUZZ_CHECK(n1 == n2 && !memcmp(t1, t2, n1));
    /* written counts read back to the same bytes */
    fs_compare c;
    fs_intern sc;
    fs_compare_init(&c, NULL, FS_VOICE_AUTHOR);
    fs_intern_init(&sc);
    int rc = fs_compare_read_counts(&c, "w.csv", t1, n1, &sc, &err);
    if (rc)
      fprintf(stderr, "written counts do not read back: %s:%ld:%ld: %s\n%s",
              err.file, err.line, err.col, err.msg, t1);
    FUZZ_CHECK(rc == FS_OK);
    char *t3 = write_counts(&c, &n3);
    FUZZ_CHECK(n1 == n3 && !memcmp(t1, t3, n1));
    fs_compare_opts co = {1, 20, {NULL, NULL}, 1, 200};
    rc = fs_compare_run(&a, &co, &err);
    FUZZ_CHECK(rc == FS_OK || rc == FS_ERR_INPUT || rc == FS_ERR_USAGE);
    free(t1), free(t2), free(t3);
    fs_intern_free(&sc);
    fs_compare_free(&c);
  }
  fs_intern_free(&sa);
  fs_intern_free(&sb);
  fs_compare_free(&a);
  fs_compare_free(&b);
  return 0;
}
