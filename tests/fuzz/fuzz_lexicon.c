/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_lexicon.c - libFuzzer target: the lexicon parsers (TSV, LIWC .dic
 * and .dicx). A rejected buffer must leave the lexicon as it was and say
 * where; an accepted one is loaded twice (the second, with the same base
 * name, replaces the first), then used to analyse its own text. */
#include "fuzz_common.h"

/* The input is a TSV lexicon, or a LIWC dictionary when it starts with byte
 * 1 (.dic) or 2 (.dicx), which is then dropped. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const names[3][2] = {{"a/fuzz.tsv", "b/fuzz.tsv"},
                                          {"a/fuzz.dic", "b/fuzz.dic"},
                                          {"a/fuzz.dicx", "b/fuzz.dicx"}};
  int kind = size && (data[0] == 1 || data[0] == 2) ? data[0] : 0;
  if (kind)
    data++, size--;
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  FUZZ_CHECK(lex);
  char *text = malloc(size ? size : 1);
  FUZZ_CHECK(text);
  if (size)
    memcpy(text, data, size);
  int rc = fs_lexicon_load_buffer(lex, names[kind][0], text, size, &err);
  if (rc != FS_OK) {
    FUZZ_CHECK(rc == FS_ERR_INPUT);
    FUZZ_CHECK(err.msg[0] && !strcmp(err.file, names[kind][0]));
    FUZZ_CHECK(kind || err.line >= 1);
    FUZZ_CHECK(fs_lexicon_entry_count(lex) == 0);
  } else {
    size_t n = fs_lexicon_entry_count(lex);
    FUZZ_CHECK(fs_lexicon_load_buffer(lex, names[kind][1], text, size, &err) ==
               FS_OK);
    FUZZ_CHECK(fs_lexicon_entry_count(lex) == 2 * n);
  }
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  FUZZ_CHECK(ctx);
  size_t ncat = fs_lexicon_category_count(lex);
  FUZZ_CHECK(ncat >= 1 && fs_lexicon_category_find(lex, "scare_quote") >= 0);
  for (size_t c = 0; c < ncat; c++) {
    const char *name = fs_lexicon_category_name(lex, c);
    FUZZ_CHECK(name && fs_lexicon_category_family(lex, c));
    FUZZ_CHECK(fs_lexicon_category_find(lex, name) == (long)c);
    if (c > 0)
      FUZZ_CHECK(strcmp(fs_lexicon_category_name(lex, c - 1), name) < 0);
  }
  for (size_t i = 0; i < fs_lexicon_entry_count(lex); i++) {
    fs_entry_info e;
    FUZZ_CHECK(fs_lexicon_entry(lex, i, &e) == 0);
    FUZZ_CHECK(e.pattern[0] && e.key[0] && e.line >= 1);
    FUZZ_CHECK(e.duplicate_of < (int)i);
    FUZZ_CHECK(e.weight == e.weight && e.weight - e.weight == 0);
  }
  fs_doc *doc = fs_doc_analyze(ctx, text, size, &err);
  FUZZ_CHECK(doc);
  fuzz_check_doc(ctx, doc, size);
  fs_doc_free(doc);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
  free(text);
  return 0;
}
