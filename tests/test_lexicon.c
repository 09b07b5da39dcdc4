/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_lexicon.c - every lexicon parse error with its file:line:col, comments
 * and CRLF, duplicates, replacement by file name, category order, and a
 * lexicon of two languages with a context per language. */
#include "framescore.h"
#include "harness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Loads text; returns the status and leaves "file:line:col: msg" in out. */
static int load(const char *text, char *out, size_t cap) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  int rc = fs_lexicon_load_buffer(lex, "x.tsv", text, strlen(text), &err);
  fs_error_format(&err, out, cap);
  fs_lexicon_free(lex);
  return rc;
}

static void expect_error(const char *text, const char *where,
                         const char *what) {
  char msg[1200];
  int rc = load(text, msg, sizeof msg);
  INT_EQ(rc, FS_ERR_INPUT);
  OK(!strncmp(msg, where, strlen(where)), "for %s got '%s', want prefix '%s'",
     text, msg, where);
  OK(strstr(msg, what) != NULL, "for %s got '%s', want '%s'", text, msg, what);
}

static void test_errors(void) {
  expect_error("ok\tloaded.x\t1\nno tab here\n", "x.tsv:2:12:",
               "expected TAB after pattern");
  expect_error("word\tloaded\n", "x.tsv:1:12:", "expected TAB after category");
  expect_error("\tloaded\t1\n", "x.tsv:1:1:", "empty pattern");
  expect_error("word\tLoaded.X\t1\n", "x.tsv:1:6:", "bad category name");
  expect_error("word\tloaded..x\t1\n", "x.tsv:1:13:", "bad category name");
  expect_error("word\t\t1\n", "x.tsv:1:6:", "empty category");
  expect_error("word\tloaded\tabc\n", "x.tsv:1:13:", "not a finite");
  expect_error("word\tloaded\tnan\n", "x.tsv:1:13:", "not a finite");
  expect_error("word\tloaded\tinf\n", "x.tsv:1:13:", "not a finite");
  expect_error("word\tloaded\t1e999\n", "x.tsv:1:13:", "not a finite");
  expect_error("word\tloaded\t\n", "x.tsv:1:13:", "missing weight");
  expect_error("wo*rd\tloaded\t1\n", "x.tsv:1:3:", "'*' is allowed only");
  expect_error("good bad*word\tloaded\t1\n", "x.tsv:1:9:", "'*'");
  expect_error("= x\tloaded\t1\n", "x.tsv:1:1:", "empty word");
  expect_error("a\tb\t1\tnote\textra\n", "x.tsv:1:11:", "too many columns");
  expect_error("caf\xc3\tloaded\t1\n", "x.tsv:1:4:", "invalid UTF-8");
  /* bad bytes past the first eight (the check takes eight ASCII bytes at
   * a time), after valid two-byte letters, and in the last column */
  expect_error("really bad caf\xc3\tloaded\t1\n", "x.tsv:1:15:",
               "invalid UTF-8");
  expect_error("caf\xc3\xa9 cr\xc3\xa8me \x80\tloaded\t1\n", "x.tsv:1:12:",
               "invalid UTF-8");
  expect_error("word\tloaded.category\t1\tnote \xff\n", "x.tsv:1:29:",
               "invalid UTF-8");
  {
    const char nul[] = "a longer word\0\tloaded\t1\n";
    fs_error err = {0};
    char msg[200];
    fs_lexicon *lex = fs_lexicon_new("english", &err);
    INT_EQ(fs_lexicon_load_buffer(lex, "x.tsv", nul, sizeof nul - 1, &err),
           FS_ERR_INPUT);
    fs_error_format(&err, msg, sizeof msg);
    OK(strstr(msg, "x.tsv:1:14:") && strstr(msg, "NUL byte"), "got '%s'",
       msg);
    fs_lexicon_free(lex);
  }
  /* a pattern word of 300 letters */
  char longp[400];
  memset(longp, 'a', 300);
  strcpy(longp + 300, "\tloaded\t1\n");
  expect_error(longp, "x.tsv:1:1:", "longer than");
}

static void test_accepts(void) {
  char msg[512];
  /* comments, blank lines, CRLF, BOM, spaces around fields, a note */
  const char *text = "\xEF\xBB\xBF# a comment\r\n\r\n"
                     "  raved \t attribution.pejorative \t 2 \t why\r\n"
                     "so-called\tlabel.distancing\t-1.5\n"
                     "==IS\tactor.group\t0\n"
                     "insist*\tattribution.doubt\t1\n"
                     "=claimed\tattribution.doubt\t1\n"
                     "the tyrant\tlabel.naming\t2 event once\n"
                     "politician\tclass.person\t0\n"
                     "=corrupt\tlabel.pejorative\t0 person";
  INT_EQ(load(text, msg, sizeof msg), FS_OK);
  fs_error err;
  fs_lexicon *lex = fs_lexicon_new(NULL, &err);
  INT_EQ(fs_lexicon_load_buffer(lex, "y.tsv", text, strlen(text), &err),
         FS_OK);
  INT_EQ(fs_lexicon_entry_count(lex), 7); /* a class line is no entry */
  fs_entry_info e;
  fs_lexicon_entry(lex, 0, &e);
  STR_EQ(e.pattern, "raved");
  STR_EQ(e.key, "rave");
  STR_EQ(e.note, "why");
  INT_EQ(e.line, 3);
  fs_lexicon_entry(lex, 1, &e);
  STR_EQ(e.key, "so call");
  NEAR(e.weight, -1.5, 0);
  fs_lexicon_entry(lex, 2, &e);
  STR_EQ(e.key, "==IS");
  fs_lexicon_entry(lex, 3, &e);
  STR_EQ(e.key, "insist*");
  fs_lexicon_entry(lex, 4, &e);
  STR_EQ(e.key, "=claimed");
  INT_EQ(e.event, 0);
  INT_EQ(e.once, 0);
  INT_EQ(e.person, 0);
  fs_lexicon_entry(lex, 5, &e); /* flags after the weight */
  NEAR(e.weight, 2, 0);
  INT_EQ(e.event, 1);
  INT_EQ(e.once, 1);
  INT_EQ(e.person, 0);
  fs_lexicon_entry(lex, 6, &e);
  STR_EQ(e.key, "=corrupt");
  INT_EQ(e.line, 10);
  INT_EQ(e.event, 0);
  INT_EQ(e.once, 0);
  INT_EQ(e.person, 1);
  /* categories are sorted by name once a context uses the lexicon, and the
   * built-in scare_quote is there */
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  STR_EQ(fs_lexicon_category_name(lex, 0), "actor.group");
  STR_EQ(fs_lexicon_category_name(lex, 1), "attribution.doubt");
  STR_EQ(fs_lexicon_category_family(lex, 1), "attribution");
  OK(fs_lexicon_category_find(lex, "scare_quote") >= 0, "scare_quote");
  /* a frozen lexicon refuses changes */
  OK(fs_lexicon_load_buffer(lex, "z.tsv", "a\tb\t1\n", 6, &err) != FS_OK,
     "frozen");
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

static void test_duplicates_and_replacement(void) {
  fs_error err;
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  const char *a = "claimed\tattribution.doubt\t1\nclaims\tattribution.doubt\t"
                  "3\nraved\tattribution.pejorative\t2\n";
  INT_EQ(fs_lexicon_load_buffer(lex, "dir/attribution.tsv", a, strlen(a),
                                &err),
         FS_OK);
  fs_entry_info e;
  fs_lexicon_entry(lex, 1, &e);
  INT_EQ(e.duplicate_of, 0); /* same stem "claim", same category */
  /* a bad file leaves the lexicon unchanged */
  const char *bad = "fine\tloaded\t1\nbroken\n";
  INT_EQ(fs_lexicon_load_buffer(lex, "more.tsv", bad, strlen(bad), &err),
         FS_ERR_INPUT);
  INT_EQ(fs_lexicon_entry_count(lex), 3);
  /* a file with the same base name replaces the earlier one */
  const char *b = "ranted\tattribution.pejorative\t2\n";
  INT_EQ(fs_lexicon_load_buffer(lex, "user/attribution.tsv", b, strlen(b),
                                &err),
         FS_OK);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  const char *text = "He claimed it and raved, then ranted.";
  fs_doc *d = fs_doc_analyze(ctx, text, strlen(text), &err);
  size_t n;
  const fs_match *m = fs_doc_matches(d, &n);
  INT_EQ(n, 1);
  fs_lexicon_entry(lex, m[0].entry, &e);
  STR_EQ(e.pattern, "ranted");
  fs_doc_free(d);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

/* Weights: plain decimals are read without strtod() (lexicon.c), and must
 * come out as the same doubles, bit for bit, at every length of digits
 * and fraction, with either sign, next to forms only strtod() reads. */
static void test_weights_as_strtod(void) {
  fs_error err;
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  enum { N = 3000 };
  char *text = malloc(N * 64), (*ws)[40] = malloc(N * sizeof *ws);
  size_t at = 0;
  uint64_t r = 88172645463325252ull;
  const char *fixed[] = {"-0", "+0.5", "0.1", "999999999999999", "1e3",
                         ".25", "-7.", "0.000000000000001", "1000000",
                         "123456.7890123456", "+000012.50"};
  size_t nfixed = sizeof fixed / sizeof *fixed;
  for (size_t i = 0; i < N; i++) {
    r ^= r << 13, r ^= r >> 7, r ^= r << 17;
    if (i < nfixed) {
      snprintf(ws[i], sizeof ws[i], "%s", fixed[i]);
    } else {
      /* 1 to 17 digits, a period after any of them, a sign or none */
      int nd = 1 + (int)(r % 17), dot = (int)(r >> 8 & 31) % (nd + 4);
      size_t k = 0;
      if (r >> 20 & 1)
        ws[i][k++] = r >> 21 & 1 ? '-' : '+';
      uint64_t v = r >> 24;
      for (int j = 0; j < nd; j++, v /= 10) {
        if (j == dot && j)
          ws[i][k++] = '.';
        ws[i][k++] = (char)('0' + v % 10);
      }
      ws[i][k] = '\0';
    }
    double w = strtod(ws[i], NULL);
    if (fabs(w) > 1e6) /* outside the weight range: not loaded */
      snprintf(ws[i], sizeof ws[i], "%d", (int)(i % 7));
    at += (size_t)snprintf(text + at, 64, "w%zu\tloaded.x\t%s\n", i, ws[i]);
  }
  INT_EQ(fs_lexicon_load_buffer(lex, "w.tsv", text, at, &err), FS_OK);
  INT_EQ(fs_lexicon_entry_count(lex), N);
  for (size_t i = 0; i < N && i < fs_lexicon_entry_count(lex); i++) {
    fs_entry_info e;
    fs_lexicon_entry(lex, i, &e);
    double w = strtod(ws[i], NULL);
    OK(!memcmp(&e.weight, &w, sizeof w), "weight '%s': %.17g, strtod %.17g",
       ws[i], e.weight, w);
  }
  free(text);
  free(ws);
  fs_lexicon_free(lex);
}

static void test_unknown_language(void) {
  fs_error err = {0};
  OK(fs_lexicon_new("klingon", &err) == NULL, "unknown language refused");
  OK(strstr(err.msg, "klingon") != NULL, "message names it: %s", err.msg);
}

/* The categories and patterns of a text's author- and quote-voice matches,
 * "cat:pattern cat:pattern ...", into out. */
static void matched(fs_ctx *ctx, const char *text, char *out, size_t cap) {
  fs_error err = {0};
  fs_doc *d = fs_doc_analyze(ctx, text, strlen(text), &err);
  size_t n = 0, used = 0;
  out[0] = '\0';
  const fs_match *m = d ? fs_doc_matches(d, &n) : NULL;
  const fs_lexicon *lex = fs_ctx_lexicon(ctx);
  for (size_t i = 0; i < n && used < cap; i++) {
    fs_entry_info e;
    if (m[i].entry == FS_NONE || fs_lexicon_entry(lex, m[i].entry, &e))
      continue;
    used += (size_t)snprintf(out + used, cap - used, "%s%s:%s", used ? " " : "",
                             fs_lexicon_category_name(lex, m[i].category),
                             e.pattern);
  }
  fs_doc_free(d);
}

/* Many entries of one pattern (more than the matcher's node sorts by
 * insertion), a later duplicate overriding the strongest, a few entries of
 * another pattern: per family the strongest entry still wins, as it did
 * before the lexicon's storage and sorts changed (session 34). */
static void test_one_pattern_many_entries(void) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  char text[4096];
  size_t at = 0;
  for (int i = 1; i <= 12; i++)
    at += (size_t)snprintf(text + at, sizeof text - at,
                           "regime\tlabel.a%d\t%d\nregime\tloaded.b%d\t%d\n",
                           i, i, i, 13 - i);
  /* the later line of the same pattern and category wins: label.a12's
   * weight 12 becomes 0.5, so label.a11 is the strongest label */
  at += (size_t)snprintf(text + at, sizeof text - at,
                         "regime\tlabel.a12\t0.5\ncrazy\tlabel.a1\t1\n"
                         "crazy\tloaded.b3\t2\ncrazy\tloaded.b2\t3\n");
  INT_EQ(fs_lexicon_load_buffer(lex, "x.tsv", text, at, &err), FS_OK);
  INT_EQ(fs_lexicon_entry_count(lex), 28);
  fs_entry_info e;
  fs_lexicon_entry(lex, 24, &e);
  INT_EQ(e.duplicate_of, 22);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  OK(ctx != NULL, "context: %s", err.msg);
  if (ctx) {
    char got[512];
    matched(ctx, "The crazy regime.", got, sizeof got);
    STR_EQ(got, "label.a1:crazy loaded.b2:crazy label.a11:regime "
                "loaded.b1:regime");
  }
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
  /* a category is checked again when it differs from the line before's */
  char msg[1200];
  INT_EQ(load("a\tloaded.x\t1\nb\tloaded.x\t1\nc\tloaded.x.\t1\n", msg,
              sizeof msg),
         FS_ERR_INPUT);
  OK(strstr(msg, "x.tsv:3:") && strstr(msg, "bad category name"), "got '%s'",
     msg);
}

/* One lexicon, two languages: each context stems with its language's
 * stemmer and matches only its language's entries; a base name replaces a
 * file only in its language; entries loaded with NULL are in both. */
static void test_two_languages(void) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  const char *en = "regime\tlabel.x\t1\nlied\tattribution.y\t1\n";
  const char *ru = "режим*\tlabel.x\t1\nсолгал\tattribution.y\t1\n"
                   "бредит\tattribution.z\t1\n";
  const char *ru2 = "=лгун\tlabel.x\t1\n";
  const char *both = "pier\tloaded.w\t1\nпричал\tloaded.w\t1\n";
  INT_EQ(fs_lexicon_load_buffer(lex, "en/a.tsv", en, strlen(en), &err), FS_OK);
  INT_EQ(fs_lexicon_set_lang(lex, "russian", &err), FS_OK);
  INT_EQ(fs_lexicon_load_buffer(lex, "ru/a.tsv", ru, strlen(ru), &err), FS_OK);
  /* replaces ru/a.tsv, not en/a.tsv */
  INT_EQ(fs_lexicon_load_buffer(lex, "user/a.tsv", ru2, strlen(ru2), &err),
         FS_OK);
  INT_EQ(fs_lexicon_set_lang(lex, NULL, &err), FS_OK);
  INT_EQ(fs_lexicon_load_buffer(lex, "b.tsv", both, strlen(both), &err),
         FS_OK);
  INT_EQ(fs_lexicon_lang_count(lex), 2);
  STR_EQ(fs_lexicon_lang_name(lex, 1), "russian");
  INT_EQ(fs_lexicon_lang_find(lex, "english"), 0);
  INT_EQ(fs_lexicon_lang_find(lex, "german"), -1);
  OK(fs_lexicon_set_lang(lex, "klingon", &err) == FS_ERR_USAGE,
     "unknown language refused");
  fs_ctx *cen = fs_ctx_new(lex, &err);
  fs_ctx *cru = fs_ctx_new_lang(lex, "russian", &err);
  OK(fs_ctx_new_lang(lex, "german", &err) == NULL, "a language not held");
  OK(cen && cru, "contexts: %s", err.msg);
  if (!cen || !cru)
    goto done;
  STR_EQ(fs_ctx_lang(cru), "russian");
  char got[512];
  /* English: its own entries and the shared ones, none of Russian's */
  matched(cen, "The regime lied about the piers, лгун солгал.", got,
          sizeof got);
  STR_EQ(got, "label.x:regime attribution.y:lied loaded.w:pier");
  /* Russian: Russian stems (режима, причала), its replacement file (лгун,
   * not солгал), never the English words */
  matched(cru, "Режима у причала нет; regime lied; лгун.", got, sizeof got);
  STR_EQ(got, "loaded.w:причал label.x:=лгун");
  fs_doc *d = fs_doc_analyze(cru, "x", 1, &err);
  STR_EQ(d ? fs_doc_lang(d) : NULL, "russian");
  fs_doc_free(d);
  /* entries of both languages, each telling its language */
  size_t nru = 0;
  for (size_t i = 0; i < fs_lexicon_entry_count(lex); i++) {
    fs_entry_info e;
    fs_lexicon_entry(lex, i, &e);
    nru += !strcmp(e.lang, "russian");
  }
  INT_EQ(nru, 6); /* 3 of ru/a.tsv (replaced), 1 of user, 2 shared */
done:
  fs_ctx_free(cen);
  fs_ctx_free(cru);
  fs_lexicon_free(lex);
}

int main(void) {
  test_two_languages();
  test_errors();
  test_accepts();
  test_duplicates_and_replacement();
  test_one_pattern_many_entries();
  test_unknown_language();
  test_weights_as_strtod();
  DONE();
}
