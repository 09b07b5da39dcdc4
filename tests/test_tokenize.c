/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_tokenize.c - generated texts → the tokenizer: words found 64 bytes at
 * a time against a byte-by-byte reading, the stem cache, and the public
 * token records (made from the library's smaller ones) against a plain
 * reading of the text. The tokenizer's
 * cases (offsets, sentences, voice, quotes, forms, bad bytes) are data in
 * tests/cases/tokenize.txt. */
#include "framescore.h"
#include "harness.h"
#include "internal.h"

#include <stdbool.h>
#include <stdlib.h>

static const char *lexicon_text =
    "said\tattribution.neutral\t0\n"
    "claimed\tattribution.doubt\t1\n"
    "described\tattribution.neutral\t0\n"
    "nonsense\tloaded.dismissive\t1.5\n";

static fs_lexicon *lex;

static fs_doc *analyze(fs_ctx *ctx, const char *text) {
  fs_error err;
  fs_doc *d = fs_doc_analyze(ctx, text, strlen(text), &err);
  OK(d != NULL, "analyze failed: %s", err.msg);
  return d;
}

/* Index of the n-th (0-based) token whose surface is `surface`, or -1. */
static long find_tok(const fs_doc *d, const char *surface, int nth) {
  size_t n, len;
  const fs_token *t = fs_doc_tokens(d, &n);
  const char *text = fs_doc_text(d, &len);
  for (size_t i = 0; i < n; i++)
    if (t[i].byte_end - t[i].byte_start == strlen(surface) &&
        !memcmp(text + t[i].byte_start, surface, strlen(surface)) &&
        nth-- == 0)
      return (long)i;
  return -1;
}

static const fs_token *tok(const fs_doc *d, const char *surface, int nth) {
  size_t n;
  const fs_token *t = fs_doc_tokens(d, &n);
  long i = find_tok(d, surface, nth);
  OK(i >= 0, "token '%s' #%d not found", surface, nth);
  static fs_token none;
  return i >= 0 ? &t[i] : &none;
}

static void test_stem_cache(void) {
  fs_error err;
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  size_t before = fs_ctx_stem_calls(ctx);
  fs_doc *d = analyze(ctx, "claims claimed Claims CLAIMS claims claimed");
  /* two distinct lowercased forms: stemmed once each */
  INT_EQ(fs_ctx_stem_calls(ctx) - before, 2);
  INT_EQ(tok(d, "claims", 0)->stem, tok(d, "claimed", 0)->stem);
  STR_EQ(fs_ctx_stem(ctx, tok(d, "claims", 0)->stem), "claim");
  fs_doc_free(d);
  d = analyze(ctx, "claims again");
  INT_EQ(fs_ctx_stem_calls(ctx) - before, 3);
  fs_doc_free(d);
  fs_ctx_free(ctx);
}

/* Contexts in a group (one per thread of a run) take the forms another
 * has stemmed instead of stemming them again, and make of a text what a
 * context alone makes of it: the same stems, lexicon sides, flags and
 * matches. */
static void test_form_share(void) {
  fs_error err;
  const char *text = "Officials claimed the nonsense was described as "
                     "claims; they said Mr. Smith's claims were nonsense.";
  fs_ctx *alone = fs_ctx_new(lex, &err);
  fs_ctx *a = fs_ctx_new(lex, &err);
  fs_ctx *b = fs_ctx_new(lex, &err);
  fs_form_share *s = fs_form_share_new();
  OK(alone && a && b && s, "contexts");
  INT_EQ(fs_form_share_join(s, a), FS_OK);
  INT_EQ(fs_form_share_join(s, b), FS_OK);
  OK(fs_ctx_form_share(b) == s, "b in the group");
  fs_doc *d0 = analyze(alone, text);
  size_t stemmed = fs_ctx_stem_calls(alone);
  fs_doc *da = analyze(a, text);
  INT_EQ(fs_ctx_stem_calls(a), stemmed);
  size_t before = fs_ctx_stem_calls(b);
  fs_doc *db = analyze(b, text);
  /* every form was a's: b stems none */
  INT_EQ(fs_ctx_stem_calls(b) - before, 0);
  size_t n0, nb;
  const fs_token *t0 = fs_doc_tokens(d0, &n0);
  const fs_token *tb = fs_doc_tokens(db, &nb);
  INT_EQ(nb, n0);
  for (size_t i = 0; i < n0 && i < nb; i++) {
    STR_EQ(fs_ctx_stem(b, tb[i].stem), fs_ctx_stem(alone, t0[i].stem));
    uint32_t f0 = fs_ctx_form_id(alone, fs_ctx_form(alone, t0[i].form),
                                 strlen(fs_ctx_form(alone, t0[i].form)));
    uint32_t fb = fs_ctx_form_id(b, fs_ctx_form(b, tb[i].form),
                                 strlen(fs_ctx_form(b, tb[i].form)));
    INT_EQ(b->form_bits[fb], alone->form_bits[f0]);
    const fs_form *l0 = fs_ctx_lexform(alone, f0), *lb = fs_ctx_lexform(b, fb);
    INT_EQ(lb->lex_stem, l0->lex_stem);
    INT_EQ(lb->lex_form, l0->lex_form);
    INT_EQ(lb->nroot, l0->nroot);
    INT_EQ(lb->cased, l0->cased);
    INT_EQ(lb->walk_always, l0->walk_always);
    OK(lb->next_bits == l0->next_bits && lb->as_next == l0->as_next,
       "filter bits of token %zu", i);
    for (uint32_t k = 0; k < l0->nroot && k < lb->nroot; k++)
      INT_EQ(b->roots[lb->root + k], alone->roots[l0->root + k]);
  }
  size_t m0, mb;
  const fs_match *x0 = fs_doc_matches(d0, &m0);
  const fs_match *xb = fs_doc_matches(db, &mb);
  INT_EQ(mb, m0);
  OK(m0 >= 4, "the lexicon's words matched (%zu)", m0);
  for (size_t i = 0; i < m0 && i < mb; i++) {
    INT_EQ(xb[i].tok_start, x0[i].tok_start);
    INT_EQ(xb[i].entry, x0[i].entry);
  }
  /* a form new to both: b stems it, a then takes it */
  before = fs_ctx_stem_calls(b);
  fs_doc_free(analyze(b, "unprecedented"));
  INT_EQ(fs_ctx_stem_calls(b) - before, 1);
  before = fs_ctx_stem_calls(a);
  fs_doc_free(analyze(a, "unprecedented"));
  INT_EQ(fs_ctx_stem_calls(a) - before, 0);
  /* out of the group, b stems on its own what a has stemmed */
  fs_doc_free(analyze(a, "hitherto"));
  fs_form_share_leave(b);
  before = fs_ctx_stem_calls(b);
  fs_doc_free(analyze(b, "hitherto"));
  INT_EQ(fs_ctx_stem_calls(b) - before, 1);
  fs_doc_free(d0);
  fs_doc_free(da);
  fs_doc_free(db);
  fs_ctx_free(alone);
  fs_ctx_free(a);
  fs_ctx_free(b);
  fs_form_share_free(s);
}

/* Tables grown many times over (the surface cache and the intern tables
 * in place, the form-share index refilled from the logs) still find
 * every word: 40,000 made-up words, each twice, give each token the form
 * of its own surface, the same stem in a context of a group as alone, and
 * a second analysis stems nothing and finds every word where it was. */
static void test_growing_tables(void) {
  enum { WORDS = 40000 };
  size_t cap = (size_t)WORDS * 2 * 9, len = 0;
  char *text = malloc(cap);
  OK(text != NULL, "malloc");
  if (!text)
    return;
  for (int pass = 0; pass < 2; pass++)
    for (unsigned i = 0; i < WORDS; i++) {
      unsigned v = (i * 7919u + (unsigned)pass * 13u) % WORDS;
      text[len++] = 'q';
      do {
        text[len++] = (char)('a' + v % 26);
        v /= 26;
      } while (v);
      text[len++] = ' ';
    }
  fs_error err;
  fs_ctx *alone = fs_ctx_new(lex, &err);
  fs_ctx *a = fs_ctx_new(lex, &err);
  fs_ctx *b = fs_ctx_new(lex, &err);
  fs_form_share *s = fs_form_share_new();
  fs_doc *d0 = NULL, *d = NULL;
  OK(alone && a && b && s, "contexts");
  if (!alone || !a || !b || !s)
    goto done;
  fs_form_share_join(s, a);
  fs_form_share_join(s, b);
  fs_doc_free(fs_doc_analyze(a, text, len, &err));
  size_t before = fs_ctx_stem_calls(b);
  d0 = fs_doc_analyze(alone, text, len, &err);
  d = fs_doc_analyze(b, text, len, &err);
  OK(d0 && d, "analyze");
  if (!d0 || !d)
    goto done;
  INT_EQ(fs_ctx_stem_calls(b) - before, 0); /* all of them a's */
  size_t n, n0;
  const fs_token *t = fs_doc_tokens(d, &n);
  const fs_token *t0 = fs_doc_tokens(d0, &n0);
  INT_EQ(n, (size_t)WORDS * 2);
  INT_EQ(n0, n);
  int bad = 0;
  for (size_t i = 0; i < n && i < n0 && !bad; i++) {
    size_t l = t[i].byte_end - t[i].byte_start;
    const char *f = fs_ctx_form(b, t[i].form);
    bad = strlen(f) != l || memcmp(f, text + t[i].byte_start, l) ||
                  strcmp(fs_ctx_stem(b, t[i].stem),
                         fs_ctx_stem(alone, t0[i].stem))
              ? (int)i + 1
              : 0;
  }
  OK(!bad, "token %d: wrong form or stem", bad - 1);
  before = fs_ctx_stem_calls(b);
  fs_doc *again = fs_doc_analyze(b, text, len, &err);
  OK(again != NULL, "analyze");
  INT_EQ(fs_ctx_stem_calls(b) - before, 0);
  const fs_token *t2 = again ? fs_doc_tokens(again, &n0) : NULL;
  bad = 0;
  for (size_t i = 0; t2 && i < n && !bad; i++)
    bad = t2[i].form != t[i].form || t2[i].stem != t[i].stem ? (int)i + 1 : 0;
  OK(!bad, "token %d: another form the second time", bad - 1);
  fs_doc_free(again);
  /* each cached surface reachable from its home slot, none lost (a lost
   * one would only be slower: the forms alone do not show it) */
  OK(b->surf_nslots > 4 * 4096, "the cache grew: %zu", b->surf_nslots);
  size_t cached = 0, mask = b->surf_nslots - 1;
  bad = 0;
  for (size_t i = 0; i < b->surf_nslots && !bad; i++) {
    const fs_sslot *x = &b->surf_slots[i];
    if (!x->len)
      continue;
    cached++;
    for (size_t j = fs_surface_hash(x->a, x->b, x->len) & mask; j != i;
         j = (j + 1) & mask)
      bad = b->surf_slots[j].len ? 0 : (int)i + 1;
  }
  OK(!bad, "slot %d not reachable from its home", bad - 1);
  INT_EQ(cached, b->surf_count);
  INT_EQ(cached, (size_t)WORDS);
done:
  fs_doc_free(d0);
  fs_doc_free(d);
  fs_ctx_free(alone);
  fs_ctx_free(a);
  fs_ctx_free(b);
  fs_form_share_free(s);
  free(text);
}

/* A form's FS_FORM_FUNCTION flag, set once when the form is made, agrees
 * with fs_function_word() (the person class's test, per form instead of
 * per call): every listed word, in either language's context, and words
 * that only look like them. */
static void test_function_flag(void) {
  fs_error err;
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  const char *others[] = {"thee", "them ", "tho", "of'", "ofs", "и.", "иo",
                          "politician", "xx", "i2", "ии", "которыйй", NULL};
  for (int l = 0; l < 3; l++) {
    const char *const *list = l < 2 ? fs_function_word_list(l) : others;
    for (; *list; list++) {
      uint32_t f = fs_ctx_form_id(ctx, *list, strlen(*list));
      OK(f != FS_NONE, "form of '%s'", *list);
      const char *form = fs_ctx_form(ctx, f);
      bool flagged = (ctx->form_bits[f] & FS_FORM_FUNCTION) != 0;
      OK(flagged == fs_function_word(form, strlen(form)),
         "'%s': flag %d", *list, flagged);
      OK(flagged == (l < 2), "'%s' is%s a function word", *list,
         l < 2 ? "" : " not");
    }
  }
  uint32_t f = fs_ctx_form_id(ctx, "The", 3);
  OK(ctx->form_bits[f] & FS_FORM_FUNCTION, "'The' folds to a function word");
  fs_ctx_free(ctx);
}

/* Words are found 64 bytes at a time: runs that start, end or cross block
 * boundaries, fill whole blocks, or end the text, against a byte-by-byte
 * reading of the same text. */
static void check_runs(fs_ctx *ctx, const char *text, size_t len) {
  fs_error err;
  fs_doc *d = fs_doc_analyze(ctx, text, len, &err);
  OK(d != NULL, "analyze failed: %s", err.msg);
  if (!d)
    return;
  size_t n;
  const fs_token *t = fs_doc_tokens(d, &n);
  size_t k = 0, i = 0;
  while (i < len) {
    if (text[i] == ' ') {
      i++;
      continue;
    }
    size_t j = i;
    bool letter = false;
    if (text[i] == ',')
      j++;
    else
      for (; j < len && text[j] != ' ' && text[j] != ','; j++)
        letter |= text[j] >= 'a';
    OK(k < n, "token at byte %zu missing", i);
    if (k >= n)
      break;
    INT_EQ(t[k].byte_start, i);
    INT_EQ(t[k].byte_end, j);
    INT_EQ(t[k].kind, text[i] == ',' ? FS_TOK_PUNCT
                      : letter        ? FS_TOK_WORD
                                      : FS_TOK_NUMBER);
    k++;
    i = j;
  }
  INT_EQ(n, k);
  fs_doc_free(d);
}

static void test_block_runs(fs_ctx *ctx) {
  char text[4096];
  size_t len = 0;
  /* words of 1 to 150 bytes, letters and digits mixed, some all digits,
   * after one space or ", " */
  for (int w = 1; w <= 150 && len + w + 3 < sizeof text; w++) {
    for (int c = 0; c < w; c++)
      text[len++] = w % 5 == 0 ? (char)('0' + c % 10)
                               : (char)(c % 7 == 3 ? '0' + c % 10
                                                   : 'a' + c % 26);
    if (w % 3 == 0)
      text[len++] = ',';
    text[len++] = ' ';
  }
  for (size_t cut = 1; cut <= len; cut += cut < 300 ? 1 : 37)
    check_runs(ctx, text, cut); /* the text ends anywhere in a block */
  /* bytes after the end are not read as part of the last word */
  memset(text, 'q', 200);
  check_runs(ctx, text, 64);
  check_runs(ctx, text, 128);
  check_runs(ctx, text, 129);
}

/* The 64-byte path for plain prose gives the tokens the byte-by-byte paths
 * give: random texts over an alphabet rich in what ends or continues a
 * span (periods and commas before letters, digits or spaces, apostrophes,
 * hyphens, quotes, newlines, tabs, a multi-byte letter). */
static void test_spans_match_bytes(void) {
  static const char *const pieces[] = {
      "a",  "b",  "Z", "q",  "7",  "0",  " ",  " ",   " ",  " ", ".", ",",
      ". ", ", ", "'", "-",  "\n", "\t", "\"", "“",  "”",  "é", "U.S.",
      "3.5", "1,000", "...", "Mr. ", "e.g.", "don't", "well-known", "  ",
      /* what plain_span() takes as it stops at it, or stops after */
      "(", ")", ":", ";", "?", "!", "/", "[", "]", "*", ".\n", ",\"", ".)",
      "-", "--", "a-b", "9-", "-z", "\r\n", "\v", "\f", "—", "–",
      "…", "‘", "’", "„", "\xe2\x80", "\xe2", ".,", ",.", "..", "?!"};
  size_t np = sizeof pieces / sizeof *pieces;
  fs_error err;
  unsigned long long x = 88172645463325252ull; /* xorshift64 */
  char text[2048];
  for (int round = 0; round < 1500; round++) {
    size_t len = 0;
    size_t target = 64 + (size_t)(round * 37 % 1500);
    while (len + 16 < target) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      /* mostly letters and spaces, so that spans are long */
      size_t k = x % 10 < 7 ? x % 7 : x % np;
      size_t l = strlen(pieces[k]);
      memcpy(text + len, pieces[k], l);
      len += l;
    }
    fs_doc *d[2];
    for (int mode = 0; mode < 2; mode++) {
      fs_ctx *ctx = fs_ctx_new(lex, &err);
      OK(ctx != NULL, "context");
      if (!ctx)
        return;
      ctx->bytewise = mode == 1;
      d[mode] = fs_doc_analyze(ctx, text, len, &err);
      fs_ctx_free(ctx);
    }
    OK(d[0] && d[1], "analyze failed");
    if (!d[0] || !d[1]) {
      fs_doc_free(d[0]), fs_doc_free(d[1]);
      return;
    }
    size_t n0, n1;
    const fs_token *t0 = fs_doc_tokens(d[0], &n0);
    const fs_token *t1 = fs_doc_tokens(d[1], &n1);
    INT_EQ(n0, n1);
    int differ = 0;
    for (size_t i = 0; i < n0 && i < n1 && !differ; i++)
      differ = t0[i].byte_start != t1[i].byte_start ||
               t0[i].byte_end != t1[i].byte_end ||
               t0[i].char_start != t1[i].char_start ||
               t0[i].char_end != t1[i].char_end ||
               t0[i].line != t1[i].line || t0[i].col != t1[i].col ||
               t0[i].sentence != t1[i].sentence ||
               t0[i].paragraph != t1[i].paragraph ||
               t0[i].kind != t1[i].kind || t0[i].voice != t1[i].voice ||
               t0[i].flags != t1[i].flags ? (int)i + 1 : 0;
    OK(!differ, "round %d: token %d differs with and without spans", round,
       differ - 1);
    fs_doc_free(d[0]);
    fs_doc_free(d[1]);
  }
}

/* A long document (many lookup batches of the tokenizer) analysed with
 * batches of 1, 7 and 4096 words, and with a context that first analysed
 * and recycled another document, gives the same tokens (offsets, ids,
 * sentences, voice) and the same matches: sentences and quotations that
 * cross a batch boundary, quotations continued across paragraphs, and
 * lexicon words on both sides of the boundaries. */
static void test_batches_and_recycling(void) {
  static const char *const paras[] = {
      "Mr. Smith said the plan was nonsense. Officials described it.",
      "\"It is nonsense,\" he claimed. \"We said so in May.",
      "\"And we said it again,\" the minister said.",
      "The U.S. team claimed the 3.5 percent rise was ‘nonsense’ too.",
      "She said: “Nobody claimed that. Nobody.” Then she left.",
      "Gen. Ross described the reform's costs, which were not nonsense."};
  size_t np = sizeof paras / sizeof *paras;
  size_t cap = 200000, len = 0;
  char *text = malloc(cap);
  OK(text != NULL, "malloc");
  if (!text)
    return;
  for (size_t i = 0; len + 200 < cap; i++) {
    const char *p = paras[(i * 5 + i / 7) % np];
    size_t l = strlen(p);
    memcpy(text + len, p, l);
    len += l;
    /* mostly blank lines between paragraphs, sometimes one newline */
    const char *sep = i % 3 ? "\n\n" : "\n";
    memcpy(text + len, sep, strlen(sep));
    len += strlen(sep);
  }
  static const size_t batches[] = {4096, 1, 7};
  fs_error err;
  fs_doc *d[4] = {0};
  fs_ctx *ctxs[4] = {0};
  for (int m = 0; m < 4; m++) {
    ctxs[m] = fs_ctx_new(lex, &err);
    OK(ctxs[m] != NULL, "context");
    if (!ctxs[m])
      goto done;
    if (m < 3)
      ctxs[m]->surf_batch = batches[m];
    else { /* a recycled document's arrays, longer than this one's */
      fs_doc *other = fs_doc_analyze(ctxs[m], text, len, &err);
      OK(other != NULL, "analyze");
      fs_doc_recycle(ctxs[m], other);
      fs_doc *small = fs_doc_analyze(ctxs[m], "It said so.", 11, &err);
      OK(small != NULL, "analyze");
      fs_doc_recycle(ctxs[m], small);
    }
    d[m] = fs_doc_analyze(ctxs[m], text, len, &err);
    OK(d[m] != NULL, "analyze");
    if (!d[m])
      goto done;
  }
  size_t n0, nm0;
  const fs_token *t0 = fs_doc_tokens(d[0], &n0);
  const fs_match *m0 = fs_doc_matches(d[0], &nm0);
  OK(n0 > 3 * 4096, "the document spans batches: %zu tokens", n0);
  OK(nm0 > 1000, "matches on both sides of the boundaries: %zu", nm0);
  for (int m = 1; m < 4; m++) {
    size_t n, nm;
    const fs_token *t = fs_doc_tokens(d[m], &n);
    const fs_match *mm = fs_doc_matches(d[m], &nm);
    INT_EQ(n, n0);
    INT_EQ(nm, nm0);
    int differ = 0;
    for (size_t i = 0; i < n && i < n0 && !differ; i++)
      differ = t[i].byte_start != t0[i].byte_start ||
               t[i].byte_end != t0[i].byte_end ||
               t[i].char_start != t0[i].char_start ||
               t[i].line != t0[i].line || t[i].col != t0[i].col ||
               t[i].sentence != t0[i].sentence ||
               t[i].paragraph != t0[i].paragraph ||
               t[i].kind != t0[i].kind || t[i].voice != t0[i].voice ||
               t[i].flags != t0[i].flags ||
               strcmp(fs_ctx_form(ctxs[m], t[i].form),
                      fs_ctx_form(ctxs[0], t0[i].form)) ||
               strcmp(fs_ctx_stem(ctxs[m], t[i].stem),
                      fs_ctx_stem(ctxs[0], t0[i].stem))
                   ? (int)i + 1
                   : 0;
    OK(!differ, "mode %d: token %d differs", m, differ - 1);
    differ = 0;
    for (size_t i = 0; i < nm && i < nm0 && !differ; i++)
      differ = mm[i].tok_start != m0[i].tok_start ||
               mm[i].tok_end != m0[i].tok_end ||
               mm[i].category != m0[i].category ||
               mm[i].entry != m0[i].entry || mm[i].voice != m0[i].voice ||
               mm[i].negated != m0[i].negated
                   ? (int)i + 1
                   : 0;
    OK(!differ, "mode %d: match %d differs", m, differ - 1);
    const fs_doc_stats *a = fs_doc_stats_get(d[m]);
    const fs_doc_stats *b = fs_doc_stats_get(d[0]);
    INT_EQ(a->sentences, b->sentences);
    INT_EQ(a->paragraphs, b->paragraphs);
  }
  /* the quotation continued across paragraphs is one span, in quote voice
   * from its opening mark to its close two paragraphs later */
  const char *w = strstr(text, "again");
  OK(w != NULL, "text");
  for (size_t i = 0; w && i < n0; i++)
    if (t0[i].byte_start == (size_t)(w - text))
      INT_EQ(t0[i].voice, FS_VOICE_QUOTE);
done:
  for (int m = 0; m < 4; m++) {
    fs_doc_free(d[m]);
    fs_ctx_free(ctxs[m]);
  }
  free(text);
}

/* Code points in s[0..n) as the tokenizer counts them: each lead byte or
 * byte that is not a continuation byte starts one (the text below has no
 * truncated sequences). */
static size_t ref_cps(const unsigned char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    c += (s[i] & 0xC0) != 0x80;
  return c;
}

/* The library keeps tokens in a smaller record and derives the code-point
 * end, line, column and paragraph: the public records against a plain
 * reading of the text, over a BOM, CRLF and lone-CR lines, tabs, multi-byte
 * letters, a replaced byte, words of 254, 255 and 300 code points (the
 * stored length saturates at 255) and paragraphs of several lines. */
static void test_derived_fields(void) {
  char text[4096];
  size_t len = 0;
#define PUT(str) (memcpy(text + len, str, strlen(str)), len += strlen(str))
  PUT("\xEF\xBB\xBF"
      "Caf\xC3\xA9 na\xC3\xAFve \xE4\xB8\xAD\xE6\x96\x87 said.\r\n");
  PUT("\tline two\xF0\x9F\x98\x80 x\rline three \xFF bad\n\n");
  for (int i = 0; i < 254; i++)
    PUT("a");
  PUT(" ");
  for (int i = 0; i < 255; i++)
    PUT("b");
  PUT(" said.\n\n");
  for (int i = 0; i < 300; i++)
    PUT("\xC3\xA9");
  PUT(" end of it.\n");
#undef PUT
  fs_error err;
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  OK(ctx != NULL, "context");
  if (!ctx)
    return;
  fs_doc *d = fs_doc_analyze(ctx, text, len, &err);
  OK(d != NULL, "analyze");
  if (!d) {
    fs_ctx_free(ctx);
    return;
  }
  size_t n;
  const fs_token *t = fs_doc_tokens(d, &n);
  const fs_token *again = fs_doc_tokens(d, &n);
  OK(t == again, "the public records are made once");
  const unsigned char *u = (const unsigned char *)text;
  int bad = 0;
  for (size_t k = 0; k < n && !bad; k++) {
    size_t b = t[k].byte_start;
    /* line: newlines before, a CR alone counting as one; column: code
     * points since the line's start, the BOM not counted */
    uint32_t line = 1;
    size_t ls = 0;
    for (size_t i = 0; i < b; i++)
      if (u[i] == '\n' || (u[i] == '\r' && u[i + 1] != '\n'))
        line++, ls = i + 1;
    if (ls == 0)
      ls = 3; /* after the BOM */
    size_t cs = ref_cps(u, b), ce = ref_cps(u, t[k].byte_end);
    if (t[k].char_start != cs || t[k].char_end != ce || t[k].line != line ||
        t[k].col != ref_cps(u + ls, b - ls) + 1) {
      OK(0, "token %zu (byte %zu): char %zu-%zu line %u col %u, expected "
            "%zu-%zu %u %zu", k, b, t[k].char_start, t[k].char_end,
         t[k].line, t[k].col, cs, ce, line, ref_cps(u + ls, b - ls) + 1);
      bad = 1;
    }
    if (k && t[k].sentence == t[k - 1].sentence &&
        t[k].paragraph != t[k - 1].paragraph) {
      OK(0, "token %zu: a sentence across a paragraph break", k);
      bad = 1;
    }
  }
  long a254 = -1, b255 = -1, e300 = -1, end = -1;
  for (size_t k = 0; k < n; k++) {
    size_t cl = t[k].char_end - t[k].char_start;
    if (cl == 254)
      a254 = (long)k;
    if (cl == 255)
      b255 = (long)k;
    if (cl == 300)
      e300 = (long)k;
    if (t[k].byte_end - t[k].byte_start == 3 &&
        !memcmp(text + t[k].byte_start, "end", 3))
      end = (long)k;
  }
  OK(a254 >= 0 && b255 >= 0 && e300 >= 0 && end >= 0, "long words found");
  if (a254 >= 0 && b255 >= 0 && e300 >= 0 && end >= 0) {
    INT_EQ(t[e300].byte_end - t[e300].byte_start, 600);
    INT_EQ(t[a254].paragraph, t[0].paragraph + 3); /* a paragraph a line */
    INT_EQ(t[b255].paragraph, t[a254].paragraph);
    INT_EQ(t[end].paragraph, t[a254].paragraph + 1);
    INT_EQ(t[end].line, 7);
    INT_EQ(t[end].col, 302);
  }
  INT_EQ(fs_doc_stats_get(d)->paragraphs, 5);
  fs_doc_free(d);
  /* token offsets are 32-bit: 4 GiB of text is refused, before a byte of
   * it is read */
  if (SIZE_MAX > UINT32_MAX) {
    d = fs_doc_analyze(ctx, text, (size_t)UINT32_MAX + 1, &err);
    OK(d == NULL && strstr(err.msg, "4 GiB") != NULL, "4 GiB refused");
    fs_doc_free(d);
  }
  fs_ctx_free(ctx);
}

int main(void) {
  fs_error err;
  lex = fs_lexicon_new("english", &err);
  OK(lex != NULL, "lexicon");
  OK(fs_lexicon_load_buffer(lex, "test.tsv", lexicon_text,
                            strlen(lexicon_text), &err) == FS_OK,
     "load: %s", err.msg);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  test_block_runs(ctx);
  test_spans_match_bytes();
  test_batches_and_recycling();
  test_stem_cache();
  test_form_share();
  test_growing_tables();
  test_function_flag();
  test_derived_fields();
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
  DONE();
}
