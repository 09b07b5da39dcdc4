/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_manifest.c - libFuzzer target: the manifest CSV reader. Every record
 * read must move forward; an accepted manifest gives documents with a path
 * under the manifest's folder (or absolute) and an outlet; a rejected one
 * says where. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size ? size : 1);
  FUZZ_CHECK(text);
  if (size)
    memcpy(text, data, size);
  /* raw records */
  fs_csv_record *rec = malloc(sizeof *rec);
  FUZZ_CHECK(rec);
  size_t pos = 0;
  long line = 1;
  int r;
  fs_error err = {0};
  while ((r = fs_csv_read_record(text, size, &pos, &line, rec, "m.csv", &err)) >
         0) {
    FUZZ_CHECK(pos <= size && rec->nfields >= 1);
    FUZZ_CHECK(rec->nfields <= FS_CSV_MAX_FIELDS);
    FUZZ_CHECK(rec->line >= 1 && line > rec->line);
  }
  FUZZ_CHECK(r == 0 || (r < 0 && err.msg[0] && err.line >= 1));
  free(rec);

  fs_corpus c;
  fs_corpus_init(&c);
  int rc = fs_corpus_add_manifest(&c, "dir/manifest.csv", text, size, &err);
  if (rc == FS_OK) {
    FUZZ_CHECK(c.ndocs >= 1);
    for (size_t i = 0; i < c.ndocs; i++) {
      const fs_corpus_doc *d = &c.docs[i];
      FUZZ_CHECK(!strncmp(d->path, "dir/", 4) || d->path[0] == '/');
      FUZZ_CHECK(d->outlet && d->outlet[0] && d->line >= 2);
      for (size_t k = 0; k < c.nextra; k++)
        FUZZ_CHECK(d->extra && d->extra[k]);
    }
    /* the regex path: outlet from the file name's first character */
    rc = fs_corpus_outlet_from(&c, "^(.)", &err);
    FUZZ_CHECK(rc == FS_OK || rc == FS_ERR_INPUT);
    /* a second manifest may repeat paths: that is an error, not a crash */
    rc = fs_corpus_add_manifest(&c, "dir/manifest.csv", text, size, &err);
    FUZZ_CHECK(rc == FS_ERR_INPUT);
  } else {
    FUZZ_CHECK(rc == FS_ERR_INPUT && err.msg[0]);
  }
  fs_corpus_free(&c);
  free(text);
  return 0;
}
