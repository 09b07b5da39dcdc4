/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_liwc.c - LIWC dictionaries: 2001/2007/2015 .dic and LIWC-22 .dicx
 * read tolerantly, warnings with file:line:col, errors, encodings, matching. */
#include "framescore.h"
#include "harness.h"

#include <stdbool.h>
#include <stdlib.h>

#define DATA "tests/data/liwc/" /* ctest runs this from the source tree */

static const char *const text =
    "I was glad, and I wondered, perhaps, about the neighbours and the "
    "neighborhood folk. Gladly! It was kind of sad, sort of fun. Feeling "
    "good about well-being and well being; we get together as a team, I "
    "like it. Hopeful.";

/* Matches of `category` (both voices) in `text` with lexicon `lex`; -1 when
 * the category does not exist. */
static long count(fs_lexicon *lex, const char *category) {
  fs_error err = {0};
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  if (!ctx)
    return -2;
  fs_doc *d = fs_doc_analyze(ctx, text, strlen(text), &err);
  long id = fs_lexicon_category_find(lex, category), n = -1;
  if (d && id >= 0) {
    const fs_doc_stats *st = fs_doc_stats_get(d);
    n = (long)(st->matches[id * FS_VOICES] + st->matches[id * FS_VOICES + 1]);
  }
  fs_doc_free(d);
  fs_ctx_free(ctx);
  return n;
}

/* Loads a file or folder into a new lexicon (NULL on error, message shown). */
static fs_lexicon *load(const char *path) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  if (fs_lexicon_load(lex, path, &err) != FS_OK) {
    char buf[1200];
    fprintf(stderr, "%s\n", fs_error_format(&err, buf, sizeof buf));
    fs_lexicon_free(lex);
    return NULL;
  }
  return lex;
}

/* Loads a buffer named `name`; returns the status, the message in msg. */
static int load_buffer(const char *name, const char *data, size_t len,
                       fs_lexicon **out, char *msg, size_t cap) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  int rc = fs_lexicon_load_buffer(lex, name, data, len, &err);
  fs_error_format(&err, msg, cap);
  if (out && rc == FS_OK)
    *out = lex;
  else
    fs_lexicon_free(lex);
  return rc;
}

static bool has_warning(const fs_lexicon *lex, const char *prefix,
                        const char *what) {
  for (size_t i = 0; i < fs_lexicon_warning_count(lex); i++) {
    const char *w = fs_lexicon_warning(lex, i);
    if (!strncmp(w, prefix, strlen(prefix)) && strstr(w, what))
      return true;
  }
  return false;
}

static void test_2001(void) {
  fs_lexicon *lex = load(DATA "liwc2001_style.dic");
  OK(lex != NULL, "2001 style loads");
  if (!lex)
    return;
  INT_EQ(fs_lexicon_warning_count(lex), 0);
  INT_EQ(fs_lexicon_entry_count(lex), 7);
  /* names lowercased; exact forms (glad, not gladly) and prefixes */
  INT_EQ(count(lex, "feeling"), 3); /* glad, wondered, Hopeful */
  INT_EQ(count(lex, "doubt"), 2);   /* wondered, perhaps */
  INT_EQ(count(lex, "people"), 3);  /* neighbours, neighborhood, folk */
  INT_EQ(count(lex, "Feeling"), -1);
  fs_entry_info e;
  fs_lexicon_entry(lex, 0, &e);
  STR_EQ(e.pattern, "glad");
  STR_EQ(e.key, "=glad");
  NEAR(e.weight, 1.0, 0);
  INT_EQ(e.line, 6);
  fs_lexicon_entry(lex, 2, &e);
  STR_EQ(e.key, "wonder*");
  fs_lexicon_free(lex);
}

static void test_2007_tolerance(void) {
  fs_lexicon *lex = load(DATA "liwc2007_style.dic");
  OK(lex != NULL, "2007 style loads despite its faults");
  if (!lex)
    return;
  const char *f = DATA "liwc2007_style.dic";
  char p[256];
  INT_EQ(fs_lexicon_warning_count(lex), 6);
  snprintf(p, sizeof p, "%s:12:6: warning:", f);
  OK(has_warning(lex, p, "LIWC rule '(02 03)10/01' of 'like' left out"),
     "parenthetical rule");
  snprintf(p, sizeof p, "%s:13:6: warning:", f);
  OK(has_warning(lex, p, "LIWC rule '<of>02/10'"), "<of> rule");
  snprintf(p, sizeof p, "%s:14:9: warning:", f);
  OK(has_warning(lex, p, "category 99 is not defined"), "undefined id");
  snprintf(p, sizeof p, "%s:15:1: warning:", f);
  OK(has_warning(lex, p, "no word before the categories"), "no word");
  snprintf(p, sizeof p, "%s:16:1: warning:", f);
  OK(has_warning(lex, p, "'maybe' has no category"), "no category");
  snprintf(p, sizeof p, "%s:17:6: warning:", f);
  OK(has_warning(lex, p, "'x7' is not a category number"), "bad number");
  /* double tabs, spaces, trailing blanks, leading zeros, a description */
  INT_EQ(count(lex, "feeling"), 4); /* glad, wondered, like, Hopeful */
  INT_EQ(count(lex, "doubt"), 2);   /* wondered, perhaps */
  INT_EQ(count(lex, "people"), 3);  /* neighbours, neighborhood, folk */
  INT_EQ(count(lex, "social"), 3);  /* neighbours, neighborhood, team */
  fs_lexicon_free(lex);
}

static void test_2015_multiword(void) {
  fs_lexicon *lex = load(DATA "liwc2015_style.dic");
  OK(lex != NULL, "2015 style loads");
  if (!lex)
    return;
  INT_EQ(fs_lexicon_warning_count(lex), 0);
  INT_EQ(count(lex, "doubt"), 2);   /* kind of, sort of */
  INT_EQ(count(lex, "feeling"), 4); /* glad, Feeling good, well-being x2 */
  INT_EQ(count(lex, "social"), 3);  /* neighbours, neighborhood, get together */
  fs_entry_info e;
  fs_lexicon_entry(lex, 1, &e);
  STR_EQ(e.pattern, "kind of");
  STR_EQ(e.key, "=kind =of");
  fs_lexicon_entry(lex, 3, &e);
  STR_EQ(e.pattern, "feel* good");
  STR_EQ(e.key, "feel* =good");
  fs_lexicon_entry(lex, 4, &e);
  STR_EQ(e.key, "=well =being");
  fs_lexicon_free(lex);
}

static void test_dicx(void) {
  fs_lexicon *lex = load(DATA "liwc22_style.dicx");
  OK(lex != NULL, "LIWC-22 .dicx loads");
  if (!lex)
    return;
  INT_EQ(fs_lexicon_warning_count(lex), 2);
  char p[256];
  snprintf(p, sizeof p, "%s:8:1: warning:", DATA "liwc22_style.dicx");
  OK(has_warning(lex, p, "empty DicTerm"), "empty term");
  snprintf(p, sizeof p, "%s:9:1: warning:", DATA "liwc22_style.dicx");
  OK(has_warning(lex, p, "'lonely' has no category marked"), "unmarked");
  INT_EQ(count(lex, "feeling"), 2);     /* glad, wondered */
  INT_EQ(count(lex, "doubt"), 3);       /* wondered, perhaps, kind of */
  INT_EQ(count(lex, "social_life"), 2); /* "Social Life" */
  fs_lexicon_free(lex);
  /* tolerant: a header without DicTerm, CRLF, extra cells */
  const char *x = "Term,A\r\nglad,X,X\r\n";
  char msg[1200];
  INT_EQ(load_buffer("x.dicx", x, strlen(x), &lex, msg, sizeof msg), FS_OK);
  OK(has_warning(lex, "x.dicx:1:1: warning:", "not DicTerm"), "header");
  OK(has_warning(lex, "x.dicx:2: warning:", "extra cells"), "extra cells");
  INT_EQ(count(lex, "a"), 1);
  fs_lexicon_free(lex);
  x = "DicTerm\nglad\n";
  INT_EQ(load_buffer("x.dicx", x, strlen(x), NULL, msg, sizeof msg),
         FS_ERR_INPUT);
  OK(strstr(msg, "x.dicx:1: no category columns") != NULL, "%s", msg);
  INT_EQ(load_buffer("x.dicx", "", 0, NULL, msg, sizeof msg), FS_ERR_INPUT);
  OK(strstr(msg, "empty dictionary") != NULL, "%s", msg);
}

static void expect_error_n(const char *dic, size_t len, const char *want) {
  char msg[1200];
  int rc = load_buffer("x.dic", dic, len, NULL, msg, sizeof msg);
  INT_EQ(rc, FS_ERR_INPUT);
  OK(!strncmp(msg, want, strlen(want)), "for '%s' got '%s', want '%s'", dic,
     msg, want);
}

static void expect_error(const char *dic, const char *want) {
  expect_error_n(dic, strlen(dic), want);
}

static void test_errors(void) {
  expect_error("glad\t1\n", "x.dic:1:1: not a LIWC dictionary");
  expect_error("", "x.dic: not a LIWC dictionary: no '%'");
  expect_error("%\n1\tfeeling\n\n",
               "x.dic:1:1: the category list is never closed");
  expect_error("%\n1\tfeeling\nglad\t1\n",
               "x.dic:3:1: expected a category number and name, or '%'");
  expect_error("%\nfeeling\t1\n%\n", "x.dic:2:1: expected a category number");
  expect_error("%\n 12x feeling\n%\n", "x.dic:2:2: expected a category");
  expect_error("%\n7\t\n%\n", "x.dic:2:1: category 7 has no name");
  expect_error_n("%\n1 a\n%\nab\0c\t1\n", 13, "x.dic:4:3: NUL byte");
  /* a bad dictionary in a folder leaves the lexicon unchanged */
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new(NULL, &err);
  INT_EQ(fs_lexicon_load_buffer(lex, "bad.dic", "x", 1, &err), FS_ERR_INPUT);
  INT_EQ(fs_lexicon_entry_count(lex), 0);
  fs_lexicon_free(lex);
}

static void test_names_and_words(void) {
  const char *d = "%\n"
                  "1\tSocial Processes!\n"
                  "2\t\xD0\xA1\xD0\xBE\xD1\x86\n" /* Cyrillic */
                  "3\tsocial-processes\n"
                  "1\tSocial\n" /* defined again */
                  "%\n"
                  "team\t1 2 3\n"
                  "t*am\t1\n"
                  ":)\t1\n"
                  "*\t1\n"
                  "don't\t1\n"
                  "%\n";
  fs_lexicon *lex = NULL;
  char msg[1200];
  INT_EQ(load_buffer("n.dic", d, strlen(d), &lex, msg, sizeof msg), FS_OK);
  if (!lex)
    return;
  OK(has_warning(lex, "n.dic:3:3: warning:", "named 'category_2'"),
     "no ASCII name");
  OK(has_warning(lex, "n.dic:4:3: warning:", "'social_processes_3'"),
     "collision");
  OK(has_warning(lex, "n.dic:5:3: warning:", "defined again"), "redefined");
  OK(has_warning(lex, "n.dic:8:1: warning:", "'*' works only at the end"),
     "inner star");
  OK(has_warning(lex, "n.dic:9:1: warning:", "never part of a word"),
     "emoticon");
  OK(has_warning(lex, "n.dic:10:1: warning:", "'*'"), "lone star");
  OK(has_warning(lex, "n.dic:12:1: warning:", "'%' after the category list"),
     "stray percent");
  INT_EQ(count(lex, "social"), 1);
  INT_EQ(count(lex, "category_2"), 1);
  INT_EQ(count(lex, "social_processes_3"), 1);
  fs_lexicon_free(lex);
}

static void test_encodings(void) {
  fs_lexicon *lex = NULL;
  char msg[1200];
  /* Windows-1252: caf\xe9 = café; \x92 = right single quote */
  const char *d = "%\n1\tfood\n%\ncaf\xe9\t1\nit\x92s\t1\n";
  INT_EQ(load_buffer("w.dic", d, strlen(d), &lex, msg, sizeof msg), FS_OK);
  if (lex) {
    OK(has_warning(lex, "w.dic: warning:", "read as Windows-1252"), "1252");
    fs_error err = {0};
    fs_ctx *ctx = fs_ctx_new(lex, &err);
    const char *t = "Caf\xc3\xa9 time, it's late.";
    fs_doc *doc = fs_doc_analyze(ctx, t, strlen(t), &err);
    size_t n;
    fs_doc_matches(doc, &n);
    INT_EQ(n, 2);
    fs_doc_free(doc);
    fs_ctx_free(ctx);
    fs_lexicon_free(lex);
  }
  /* UTF-16LE with a byte-order mark, CRLF */
  const char *a = "%\r\n1\tfood\r\n%\r\nglad\t1\r\n";
  size_t n = strlen(a);
  char *u = malloc(2 * n + 2);
  u[0] = (char)0xFF, u[1] = (char)0xFE;
  for (size_t i = 0; i < n; i++)
    u[2 + 2 * i] = a[i], u[3 + 2 * i] = 0;
  lex = NULL;
  INT_EQ(load_buffer("u.dic", u, 2 * n + 2, &lex, msg, sizeof msg), FS_OK);
  if (lex) {
    INT_EQ(fs_lexicon_warning_count(lex), 0);
    INT_EQ(fs_lexicon_entry_count(lex), 1);
    fs_lexicon_free(lex);
  }
  free(u);
  /* a UTF-8 BOM, CR-only line ends */
  d = "\xEF\xBB\xBF%\r1\tfood\r%\rglad\t1\r";
  lex = NULL;
  INT_EQ(load_buffer("b.dic", d, strlen(d), &lex, msg, sizeof msg), FS_OK);
  if (lex) {
    INT_EQ(count(lex, "food"), 1);
    fs_lexicon_free(lex);
  }
}

static void test_folder(void) {
  /* a folder mixing .tsv, .dic and .dicx files */
  fs_lexicon *lex = load(DATA);
  OK(lex != NULL, "folder loads");
  if (!lex)
    return;
  OK(fs_lexicon_warning_count(lex) >= 8, "warnings kept per file");
  OK(count(lex, "social_life") == 2, "dicx in the folder");
  OK(count(lex, "loaded.test") == 0, "tsv in the folder");
  fs_lexicon_free(lex);
}

static void test_warning_cap(void) {
  /* 60 faulty lines: 50 warnings and one summary */
  char d[4096] = "%\n1\ta\n%\n";
  for (int i = 0; i < 60; i++)
    strcat(d, "w\t9\n");
  fs_lexicon *lex = NULL;
  char msg[1200];
  INT_EQ(load_buffer("c.dic", d, strlen(d), &lex, msg, sizeof msg), FS_OK);
  if (!lex)
    return;
  INT_EQ(fs_lexicon_warning_count(lex), 51);
  OK(has_warning(lex, "c.dic: warning:", "10 more warnings not shown"),
     "summary");
  fs_lexicon_free(lex);
}

int main(void) {
  test_2001();
  test_2007_tolerance();
  test_2015_multiword();
  test_dicx();
  test_errors();
  test_names_and_words();
  test_encodings();
  test_folder();
  test_warning_cap();
  DONE();
}
