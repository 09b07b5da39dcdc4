/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_eval.c - libFuzzer target: eval's annotation files. A labels file
 * either gives rows with begin < end of a technique asked for, or says
 * file:line where it fails (and leaves nothing to free); each line read as a
 * word list either parses into words that fit the line, or is refused; the
 * words are scored against a sentence. */
#include "eval.h"
#include "fuzz_common.h"

static const char model_text[] = "framescore-model 1\n"
                                 "dimension loaded_language\n"
                                 "  weight loaded.* 1\n"
                                 "dimension labeling\n"
                                 "  weight label.* 1\n";

static const char sample[] =
    "Officials claimed the so-called regime's nonsense was catastrophic.";

static fs_model *fuzz_model;
static fs_doc *fuzz_doc;

static void cleanup(void) {
  fs_doc_free(fuzz_doc);
  fs_model_free(fuzz_model);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fs_ctx *ctx = fuzz_shared_ctx();
  fs_error err = {0};
  if (!fuzz_model) {
    fuzz_model =
        fs_model_parse("fuzz.model", model_text, sizeof model_text - 1, &err);
    FUZZ_CHECK(fuzz_model);
    FUZZ_CHECK(fs_model_bind(fuzz_model, fs_ctx_lexicon(ctx), &err) == FS_OK);
    fuzz_doc = fs_doc_analyze(ctx, sample, sizeof sample - 1, &err);
    FUZZ_CHECK(fuzz_doc);
    atexit(cleanup);
  }
  const char *tech[2] = {"Loaded_Language", "propaganda"};
  fs_gold_row *rows = (fs_gold_row *)1; /* must be reset */
  size_t n = 99;
  int rc = fs_eval_read_labels("l.tsv", (const char *)data, size, tech, 2,
                               &rows, &n, &err);
  if (rc == FS_OK) {
    for (size_t i = 0; i < n; i++) {
      FUZZ_CHECK(rows[i].technique < 2);
      FUZZ_CHECK(rows[i].span.begin < rows[i].span.end);
      FUZZ_CHECK(strlen(rows[i].id) < sizeof rows[i].id);
    }
  } else {
    FUZZ_CHECK(rc == FS_ERR_INPUT && rows == NULL && n == 0);
    FUZZ_CHECK(!strcmp(err.file, "l.tsv") && err.line >= 1 && err.msg[0]);
  }
  free(rows);

  /* every line as a word-list cell */
  size_t d[2] = {0, 1};
  fs_word_eval *we = fs_word_eval_new(fuzz_model, d, 2, FS_VOICES);
  FUZZ_CHECK(we);
  for (size_t pos = 0; pos < size;) {
    const uint8_t *nl = memchr(data + pos, '\n', size - pos);
    size_t len = nl ? (size_t)(nl - data) - pos : size - pos;
    char *cell = malloc(len + 1), *buf, **words;
    FUZZ_CHECK(cell);
    memcpy(cell, data + pos, len);
    cell[len] = '\0';
    long nw = fs_eval_parse_list(cell, &buf, &words);
    if (nw >= 0) {
      size_t cl = strlen(cell), total = 0;
      FUZZ_CHECK((size_t)nw <= cl / 2);
      for (long i = 0; i < nw; i++)
        total += strlen(words[i]) + 1;
      FUZZ_CHECK(total <= cl + 1);
      FUZZ_CHECK(fs_word_eval_add(we, fuzz_doc, (const char *const *)words,
                                  (size_t)nw) == FS_OK);
    }
    free(buf), free(words), free(cell);
    pos += len + 1;
  }
  fs_prf p = fs_word_eval_scores(we);
  FUZZ_CHECK(p.tp >= 0 && p.fp >= 0 && p.fn >= 0);
  FUZZ_CHECK(p.precision >= 0 && p.precision <= 1);
  fs_word_eval_free(we);
  return 0;
}
