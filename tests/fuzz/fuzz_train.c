/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_train.c - libFuzzer target: train's labelled input (CSV or TSV with
 * a header, table.h). Every record has the header's width or is refused
 * with file:line; the texts of the text and label columns go through the
 * trainer (with the group column as cross-validation groups and the words
 * column's first word as a marked word, when there are such columns),
 * whose model (when the classes and groups allow the folds) is written out
 * and parses again. */
#include "fuzz_common.h"
#include "model.h"
#include "table.h"
#include "train.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* the first byte chooses the name, so both readers see every input */
  const char *path = size && data[0] & 1 ? "t.tsv" : "t.csv";
  char *text = malloc(size + 1);
  FUZZ_CHECK(text);
  memcpy(text, data, size);
  text[size] = '\0';
  fs_error err = {0};
  fs_table t;
  int rc = fs_table_open_buffer(&t, path, text, size, &err);
  if (rc) {
    FUZZ_CHECK(rc == FS_ERR_INPUT && !strcmp(err.file, path) && err.msg[0]);
    return 0;
  }
  FUZZ_CHECK(t.ncols >= 1 && t.ncols <= FS_CSV_MAX_FIELDS);
  long tc = fs_table_column(&t, "text", &err);
  long lc = fs_table_column(&t, "label", &err);
  fs_error ignored = {0};
  long gc = fs_table_column(&t, "group", &ignored);
  long wc = fs_table_column(&t, "words", &ignored);
  fs_ctx *ctx = fuzz_shared_ctx();
  fs_train_opts o = {4.0,       2,
                     1,         1,
                     FS_VOICES, FS_UNIT_SENTENCE,
                     "bias",    "fuzz \"about\"\nline",
                     false,     false,
                     NULL,      2.0,
                     3,         5,
                     true,      false,
                     NULL,      NULL,
                     false,     0,
                     0,         2,
                     4,         0.5, NULL, 0, 0, 0, 0, false, 0};
  fs_trainer *tr = fs_trainer_new(ctx, &o);
  FUZZ_CHECK(tr);
  size_t rows = 0;
  while ((rc = fs_table_next(&t, &err)) == 1) {
    FUZZ_CHECK(t.nfields == t.ncols && t.rec_line >= 2);
    if (tc < 0 || lc < 0 || rows >= 64)
      continue;
    const char *s = t.fields[tc];
    fs_doc *d = fs_doc_analyze(ctx, s, strlen(s), &err);
    FUZZ_CHECK(d);
    const char *g = gc >= 0 ? t.fields[gc] : NULL;
    const char *w = wc >= 0 ? t.fields[wc] : NULL;
    FUZZ_CHECK(fs_trainer_add_row(tr, d, !strcmp(t.fields[lc], "1"), g,
                                  g ? strlen(g) : 0, w ? &w : NULL,
                                  w ? 1 : 0) == FS_OK);
    fs_doc_free(d);
    rows++;
  }
  FUZZ_CHECK(rc == 0 || (rc < 0 && err.msg[0]));
  fs_table_close(&t);
  fs_train_result r = {0};
  if (fs_trainer_run(tr, &r, &err) == FS_OK) {
    FUZZ_CHECK(r.model && r.n == rows);
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    FUZZ_CHECK(f);
    FUZZ_CHECK(fs_model_write(f, r.model, "from t.csv\nweight x 1") == FS_OK);
    fclose(f);
    fs_model *m = fs_model_parse("m.model", buf, n, &err);
    if (!m)
      fprintf(stderr, "trained model does not parse: %s:%ld:%ld: %s\n%s",
              err.file, err.line, err.col, err.msg, buf);
    FUZZ_CHECK(m && m->ndims == 1);
    fs_model_free(m);
    free(buf);
  }
  fs_train_result_free(&r);
  fs_trainer_free(tr);
  return 0;
}
