/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_robust.c - regression tests for hostile input found while fuzzing and
 * hunting quadratic paths: the CSV record buffer's bounds, quotes left open,
 * attribution of scare quotes, giant words, legacy 8-bit text, duplicate
 * manifest paths, contexts created from several threads at once, and a
 * model that did not survive being written out. */
#include "framescore.h"
#include "harness.h"
#include "model.h"

#include <pthread.h>
#include <stdlib.h>

static fs_lexicon *mini(void) {
  static const char tsv[] = "said\tattribution.neutral\t0\n"
                            "=claimed\tattribution.doubt\t1\n"
                            "nonsense\tloaded.dismissive\t1.5\n"
                            "aaa*\tloaded.glob\t1\n";
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  OK(lex && fs_lexicon_load_buffer(lex, "mini.tsv", tsv, sizeof tsv - 1,
                                   &err) == FS_OK,
     "%s", err.msg);
  return lex;
}

static const fs_doc_stats *analyse(fs_ctx *ctx, const char *text,
                                   fs_doc **doc) {
  fs_error err = {0};
  *doc = fs_doc_analyze(ctx, text, strlen(text), &err);
  OK(*doc, "%s", err.msg);
  return fs_doc_stats_get(*doc);
}

static size_t count_of(const fs_ctx *ctx, const fs_doc_stats *st,
                       const char *cat, int voice) {
  long c = fs_lexicon_category_find(fs_ctx_lexicon(ctx), cat);
  return c < 0 ? 0 : st->matches[(size_t)c * FS_VOICES + (size_t)voice];
}

/* A record that nearly fills the buffer, then many empty or quoted fields,
 * used to write past the end of fs_csv_record.buf. */
static void test_csv_bounds(void) {
  size_t big = FS_CSV_MAX_RECORD - 2;
  size_t n = big + 600;
  char *data = malloc(n);
  memset(data, 'x', big);
  memset(data + big, ',', 200);
  memcpy(data + big + 200, ",\"\"\"\"\"\"\"\"", 9);
  memset(data + big + 209, '\n', n - big - 209);
  fs_csv_record *r = malloc(sizeof *r);
  fs_error err = {0};
  size_t pos = 0;
  long line = 1;
  INT_EQ(fs_csv_read_record(data, n, &pos, &line, r, "m.csv", &err),
         -FS_ERR_INPUT);
  OK(strstr(err.msg, "record longer than"), "%s", err.msg);
  /* the same with doubled quotes right after the long field */
  memcpy(data + big, ",\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"", 20);
  pos = 0, line = 1;
  INT_EQ(fs_csv_read_record(data, n, &pos, &line, r, "m.csv", &err),
         -FS_ERR_INPUT);
  /* columns are counted back to the line start only for the message,
   * across CR-only line ends too */
  const char *cr = "path,outlet\ra.txt,A\rb.txt,\"B\r";
  pos = 0, line = 1;
  while (fs_csv_read_record(cr, strlen(cr), &pos, &line, r, "m.csv", &err) > 0)
    ;
  INT_EQ(err.line, 3);
  INT_EQ(err.col, 7);
  free(r);
  free(data);
}

static void test_quotes(void) {
  fs_lexicon *lex = mini();
  fs_error err = {0};
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  fs_doc *d;
  /* attributed in its sentence, before or after: quoted speech */
  const fs_doc_stats *st =
      analyse(ctx, "Kirby claimed the report was \"nonsense\" today.", &d);
  INT_EQ(st->scare_quotes, 0);
  INT_EQ(count_of(ctx, st, "loaded.dismissive", FS_VOICE_QUOTE), 1);
  fs_doc_free(d);
  st = analyse(ctx, "\"Nonsense,\" he said.", &d);
  INT_EQ(st->scare_quotes, 0);
  fs_doc_free(d);
  /* an attribution word inside the quote does not attribute it */
  st = analyse(ctx, "The ministry's \"said nonsense\" was read out.", &d);
  INT_EQ(st->scare_quotes, 1);
  INT_EQ(count_of(ctx, st, "loaded.dismissive", FS_VOICE_AUTHOR), 1);
  fs_doc_free(d);
  /* attribution in another sentence does not count */
  st = analyse(ctx, "He said so. The \"nonsense\" went on.", &d);
  INT_EQ(st->scare_quotes, 1);
  fs_doc_free(d);
  /* quotes left open end with their paragraph, whatever follows */
  st = analyse(ctx, "\xe2\x80\x9cnonsense\n\nnonsense\n\n\xe2\x80\x9cnonsense",
               &d);
  INT_EQ(st->quotes, 2);
  INT_EQ(count_of(ctx, st, "loaded.dismissive", FS_VOICE_AUTHOR), 1);
  INT_EQ(count_of(ctx, st, "loaded.dismissive", FS_VOICE_QUOTE), 2);
  fs_doc_free(d);
  /* a run of closing marks before a capital: one sentence break */
  st = analyse(ctx, "It ended.)))\xe2\x80\x99\xe2\x80\x99 Then more.", &d);
  INT_EQ(st->sentences, 2);
  fs_doc_free(d);
  /* single quotes: a closer far ahead still opens; none ahead does not */
  st = analyse(ctx, "He said 'nonsense' and 'more nonsense' there.", &d);
  INT_EQ(st->quotes, 2);
  fs_doc_free(d);
  st = analyse(ctx, " 'a 'b 'c 'd and the '90s", &d);
  INT_EQ(st->quotes, 0);
  fs_doc_free(d);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

static void test_giant_word(void) {
  fs_lexicon *lex = mini();
  fs_error err = {0};
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  size_t n = 3 * FS_WORD_LOOKUP_MAX;
  char *text = malloc(2 * n + 2);
  memset(text, 'a', n);
  text[n] = ' ';
  memset(text + n + 1, 'a', n);
  text[2 * n] = 'b'; /* differs after the lookup prefix */
  text[2 * n + 1] = '\0';
  fs_doc *d;
  const fs_doc_stats *st = analyse(ctx, text, &d);
  size_t nt;
  const fs_token *t = fs_doc_tokens(d, &nt);
  INT_EQ(nt, 2);
  INT_EQ(t[0].byte_end, n);
  INT_EQ(t[1].char_end, 2 * n + 1);
  INT_EQ(strlen(fs_ctx_form(ctx, t[0].form)), FS_WORD_LOOKUP_MAX);
  INT_EQ(t[0].form, t[1].form);
  INT_EQ(count_of(ctx, st, "loaded.glob", FS_VOICE_AUTHOR), 2);
  fs_doc_free(d);
  /* a multi-byte character at the cut is not split */
  for (size_t i = 0; i + 1 < n; i += 2)
    memcpy(text + i, "\xc3\xa9", 2);
  text[n - 1] = ' ';
  text[n] = '\0';
  st = analyse(ctx, text + 1, &d); /* odd offset: cuts fall mid-character */
  t = fs_doc_tokens(d, &nt);
  OK(nt >= 1, "tokens");
  const char *form = fs_ctx_form(ctx, t[nt - 1].form);
  size_t flen = strlen(form);
  /* the leading stray byte became U+FFFD; the end is a whole é */
  OK(flen >= FS_WORD_LOOKUP_MAX - 3 && flen <= FS_WORD_LOOKUP_MAX + 2, "%zu",
     flen);
  STR_EQ(form + flen - 2, "\xc3\xa9");
  fs_doc_free(d);
  free(text);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

static void test_legacy_8bit(void) {
  fs_lexicon *lex = mini();
  fs_error err = {0};
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  fs_doc *d;
  const fs_doc_stats *st =
      analyse(ctx, "Caf\xe9 na\xefve \x93quoted\x94 r\xe9sum\xe9", &d);
  INT_EQ(st->invalid_utf8, 6);
  INT_EQ(st->legacy_8bit, 1);
  fs_doc_free(d);
  st = analyse(ctx,
               "Caf\xc3\xa9 na\xc3\xafve r\xc3\xa9sum\xc3\xa9 and one "
               "stray \xff byte",
               &d);
  INT_EQ(st->invalid_utf8, 1);
  INT_EQ(st->legacy_8bit, 0);
  fs_doc_free(d);
  st = analyse(ctx, "plain", &d);
  INT_EQ(st->legacy_8bit, 0);
  fs_doc_free(d);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

static void test_duplicates(void) {
  fs_corpus c;
  fs_error err = {0};
  fs_corpus_init(&c);
  const char *m = "path,outlet\na.txt,A\nb.txt,B\n";
  INT_EQ(fs_corpus_add_manifest(&c, "d/m.csv", m, strlen(m), &err), FS_OK);
  INT_EQ(fs_corpus_add_path(&c, "d/b.txt", NULL, &err), FS_ERR_INPUT);
  STR_EQ(err.msg, "duplicate path 'd/b.txt' (first listed at line 3)");
  INT_EQ(fs_corpus_add_path(&c, "d/c.txt", NULL, &err), FS_OK);
  INT_EQ(c.ndocs, 3);
  fs_corpus_free(&c);
  fs_corpus_init(&c);
  INT_EQ(fs_corpus_add_path(&c, "x.txt", NULL, &err), FS_OK);
  fs_corpus_free(&c);
}

/* fs_ctx_new() freezes the lexicon the first time: safe from many threads. */
static void *new_ctx(void *lex) {
  fs_error err = {0};
  return fs_ctx_new(lex, &err);
}

static void test_threads(void) {
  fs_lexicon *lex = mini();
  pthread_t th[8];
  fs_ctx *ctx[8];
  for (int i = 0; i < 8; i++)
    pthread_create(&th[i], NULL, new_ctx, lex);
  for (int i = 0; i < 8; i++)
    pthread_join(th[i], (void **)&ctx[i]);
  for (int i = 0; i < 8; i++) {
    OK(ctx[i] != NULL, "context %d", i);
    fs_doc *d;
    const fs_doc_stats *st = analyse(ctx[i], "It is nonsense.", &d);
    INT_EQ(count_of(ctx[i], st, "loaded.dismissive", FS_VOICE_AUTHOR), 1);
    fs_doc_free(d);
    fs_ctx_free(ctx[i]);
  }
  INT_EQ(fs_lexicon_category_count(lex), 5);
  fs_lexicon_free(lex);
}

/* Found by fuzz_model: a repeated `norm` kept the first one's share
 * categories, so the model was written out as text that did not parse. */
static void test_model_norm(void) {
  const char *text = "framescore-model 1\n"
                     "dimension x\n"
                     "  norm share attribution.*\n"
                     "  norm per_1k\n"
                     "  weight loaded.* 1\n";
  fs_error err = {0};
  fs_model *m = fs_model_parse("t.model", text, strlen(text), &err);
  OK(m, "%s", err.msg);
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  INT_EQ(fs_model_write(f, m, NULL), FS_OK);
  fclose(f);
  OK(!strstr(buf, "per_1k attribution"), "%s", buf);
  fs_model *again = fs_model_parse("t.model", buf, n, &err);
  OK(again, "%s", err.msg);
  fs_model_free(again);
  fs_model_free(m);
  free(buf);
  /* found by fuzz_model: CRs at the end of an `about` text were lost one
   * per round trip */
  text = "framescore-model 1\ndimension x\n  about a b\t\r\r\r\r\n"
         "  weight loaded.* 1\n";
  m = fs_model_parse("t.model", text, strlen(text), &err);
  OK(m, "%s", err.msg);
  f = open_memstream(&buf, &n);
  fs_model_write(f, m, NULL);
  fclose(f);
  again = fs_model_parse("t.model", buf, n, &err);
  char *buf2 = NULL;
  size_t n2 = 0;
  f = open_memstream(&buf2, &n2);
  fs_model_write(f, again, NULL);
  fclose(f);
  OK(n == n2 && !memcmp(buf, buf2, n), "%s\n---\n%s", buf, buf2);
  fs_model_free(again);
  fs_model_free(m);
  free(buf);
  free(buf2);
}

int main(void) {
  test_csv_bounds();
  test_quotes();
  test_giant_word();
  test_legacy_8bit();
  test_duplicates();
  test_threads();
  test_model_norm();
  DONE();
}
