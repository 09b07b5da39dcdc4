/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_window.c - generated long documents -> windows (window.c) -> the
 * windows' analyses against the whole document's: every token (offsets in
 * bytes and code points, line, column, sentence, paragraph, voice), every
 * match and every count must be the same, with quotations that continue
 * across paragraphs, multi-byte UTF-8 and bad bytes at the cuts, CRLF, one
 * paragraph per line, hard-wrapped text and text with no break at all. */
#include "framescore.h"
#include "harness.h"
#include "internal.h"
#include "window.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static const char *lexicon_text =
    "said\tattribution.neutral\t0\n"
    "claimed\tattribution.doubt\t1\n"
    "nonsense\tloaded.dismissive\t1.5\n"
    "regime\tlabel.pejorative\t1.25\n"
    "thugs\tlabel.pejorative\t2\n"
    "=not\tnegator\t0\n"
    "=very\tintensifier\t0\n"
    "shameful\tloaded.moral\t0.75\n"
    "catastrophe\tloaded.exaggeration\t1.1\n";

/* Sentences the generator draws from: quotations that stay in their
 * paragraph, scare quotes, single quotes that open ('rogue') and do not
 * (it's, '90s), multi-byte letters and marks, a bad byte, dashes. */
static const char *const pieces[] = {
    "The regime claimed the report was nonsense.",
    "\"It is a very shameful catastrophe,\" the minister said.",
    "Critics called the plan a \"reform\" of sorts.",
    "The so-called 'rogue' states were not mentioned, it's said.",
    "In the '90s the café in Zürich was naïve about thugs.",
    "Officials — and their «friends» — said nothing at all.",
    "A bad byte \xff here and \xc3( there did not stop them.",
    "Emoji \xf0\x9f\x98\x80 and 東京 appear; the regime said so.",
    "They said ‘not true’ and “very shameful” in one breath.",
    "Numbers like 3.5 and 1,200 and U.S. abbreviations end here.",
};
#define NPIECES (sizeof pieces / sizeof *pieces)

typedef struct gen {
  char *s;
  size_t n, cap;
  unsigned long seed;
} gen;

static unsigned rnd(gen *g, unsigned n) {
  g->seed = g->seed * 6364136223846793005ul + 1442695040888963407ul;
  return (unsigned)(g->seed >> 33) % n;
}

static void put(gen *g, const char *s) {
  size_t k = strlen(s);
  if (g->n + k + 1 > g->cap) {
    g->cap = 2 * (g->n + k + 1);
    g->s = realloc(g->s, g->cap);
  }
  memcpy(g->s + g->n, s, k + 1);
  g->n += k;
}

enum { STYLE_BLANK, STYLE_CRLF, STYLE_LINES, STYLE_WRAPPED, STYLE_ONE };

/* A document of about `paras` paragraphs in a style: paragraphs between
 * blank lines (LF or CRLF), one paragraph per line, hard-wrapped lines
 * with blank lines between paragraphs, or hard-wrapped without any. */
static char *generate(int style, int paras, unsigned long seed, size_t *len) {
  gen g = {NULL, 0, 0, seed};
  put(&g, "");
  const char *nl = style == STYLE_CRLF ? "\r\n" : "\n";
  for (int p = 0; p < paras; p++) {
    int k = 1 + (int)rnd(&g, 4);
    unsigned kind = rnd(&g, 6);
    if (kind == 0) /* a quotation continued in the next paragraph */
      put(&g, "\"The regime is very shameful, and it goes on,");
    else if (kind == 1)
      put(&g, "“Thugs, she said, claimed everything");
    else if (kind == 2)
      put(&g, "«Это провокация, — сказал он.");
    for (int i = 0; i < k; i++) {
      put(&g, " ");
      put(&g, pieces[rnd(&g, NPIECES)]);
      if ((style == STYLE_WRAPPED || style == STYLE_ONE) && i + 1 < k)
        put(&g, " And then\n"); /* a line that runs on */
    }
    if (style == STYLE_ONE || p + 1 == paras) {
      put(&g, nl);
      continue;
    }
    put(&g, nl);
    if (style != STYLE_LINES)
      put(&g, nl);
    if (rnd(&g, 5) == 0)
      put(&g, "  "); /* indented */
  }
  *len = g.n;
  return g.s;
}

/* Analyses the document in the file f window by window (target bytes) with
 * ctx, and checks each window's tokens, matches and the totals against the
 * whole document's analysis w. Returns the number of windows. */
static size_t check_windows(fs_ctx *ctx, const fs_doc *w, FILE *f,
                            size_t target, const char *what) {
  rewind(f);
  fs_window_reader r;
  fs_window_sum sum;
  fs_error err = {0};
  OK(fs_window_sum_init(&sum, ctx) == FS_OK, "%s: sum", what);
  int rc = fs_window_open(&r, "generated", fileno(f), target, SIZE_MAX,
                          "the limit", &err);
  OK(rc == FS_OK, "%s: open: %s", what, err.msg);
  size_t nwin = 0, tok = 0, match = 0, bytes = 0, bad = 0;
  for (;;) {
    const char *text;
    size_t len;
    fs_window_base base;
    if (rc || (rc = fs_window_next(&r, &text, &len, &base, &err)) || !text)
      break;
    nwin++;
    OK(base.byte == bytes, "%s: window %zu starts at %zu", what, nwin,
       base.byte);
    OK(!memcmp(text, w->text + bytes, len), "%s: window bytes", what);
    bytes += len;
    fs_doc *d = fs_doc_analyze_window(ctx, text, len, &base, &err);
    OK(d != NULL, "%s: analyse", what);
    if (!d)
      break;
    fs_window_done(&r, d);
    OK(fs_window_sum_add(&sum, ctx, d) == FS_OK, "%s: add", what);
    for (size_t k = 0; k < d->ntokens && tok + k < w->ntokens; k++) {
      const fs_tok *a = &d->tokens[k], *b = &w->tokens[tok + k];
      size_t ka = k, kb = tok + k;
      bool same = a->byte_start == b->byte_start &&
                  a->byte_end == b->byte_end &&
                  a->char_start == b->char_start &&
                  fs_tok_char_end(d, a) == fs_tok_char_end(w, b) &&
                  fs_tok_line(d, ka) == fs_tok_line(w, kb) &&
                  fs_tok_col(d, ka) == fs_tok_col(w, kb) &&
                  a->sentence == b->sentence &&
                  fs_tok_para(d, a) == fs_tok_para(w, b) &&
                  a->kind == b->kind && a->voice == b->voice &&
                  a->flags == b->flags &&
                  !strcmp(fs_ctx_form(ctx, a->form),
                          fs_ctx_form(ctx, b->form));
      if (!same && bad++ < 3)
        OK(same,
           "%s: token %zu: bytes %u-%u line %u:%u sentence %u paragraph "
           "%u voice %u, whole: %u-%u %u:%u %u %u %u",
           what, tok + k, a->byte_start, a->byte_end, fs_tok_line(d, ka),
           fs_tok_col(d, ka), a->sentence, fs_tok_para(d, a), a->voice,
           b->byte_start, b->byte_end, fs_tok_line(w, kb), fs_tok_col(w, kb),
           b->sentence, fs_tok_para(w, b), b->voice);
    }
    for (size_t i = 0; i < d->nmatches && match + i < w->nmatches; i++) {
      const fs_match *a = &d->matches[i], *b = &w->matches[match + i];
      bool same = a->tok_start + tok == b->tok_start &&
                  a->tok_end + tok == b->tok_end &&
                  a->category == b->category && a->entry == b->entry &&
                  a->weight == b->weight && a->voice == b->voice &&
                  a->negated == b->negated &&
                  (a->negator == FS_NONE ? b->negator == FS_NONE
                                         : a->negator + tok == b->negator);
      if (!same && bad++ < 3)
        OK(same, "%s: match %zu differs", what, match + i);
    }
    tok += d->ntokens;
    match += d->nmatches;
    fs_doc_recycle(ctx, d);
  }
  OK(rc == FS_OK, "%s: next: %s", what, err.msg);
  INT_EQ(bytes, w->len);
  INT_EQ(tok, w->ntokens);
  INT_EQ(match, w->nmatches);
  /* the author-voice matches by entry (the distinctive score's input) */
  const fs_lexicon *lex = fs_ctx_lexicon(ctx);
  size_t *want = calloc(lex->nentries + 1, sizeof *want);
  for (size_t i = 0; want && i < w->nmatches; i++)
    if (w->matches[i].voice == FS_VOICE_AUTHOR)
      want[w->matches[i].entry == FS_NONE ? lex->nentries
                                          : w->matches[i].entry]++;
  OK(want && !memcmp(want, sum.entry_n, (lex->nentries + 1) * sizeof *want),
     "%s: author-voice matches by entry differ", what);
  free(want);
  fs_doc *t = fs_window_sum_finish(&sum, &r);
  const fs_doc_stats *a = &t->stats, *b = &w->stats;
  OK(a->words[0] == b->words[0] && a->words[1] == b->words[1] &&
         a->sentences == b->sentences && a->paragraphs == b->paragraphs &&
         a->quotes == b->quotes && a->scare_quotes == b->scare_quotes &&
         a->invalid_utf8 == b->invalid_utf8 && a->nul_bytes == b->nul_bytes &&
         a->bom == b->bom && a->legacy_8bit == b->legacy_8bit,
     "%s: totals: words %zu/%zu sentences %zu paragraphs %zu quotes %zu "
     "scare %zu, whole: %zu/%zu %zu %zu %zu %zu",
     what, a->words[0], a->words[1], a->sentences, a->paragraphs, a->quotes,
     a->scare_quotes, b->words[0], b->words[1], b->sentences, b->paragraphs,
     b->quotes, b->scare_quotes);
  size_t n = a->ncat * FS_VOICES;
  OK(a->ncat == b->ncat && !memcmp(a->matches, b->matches, n * sizeof(size_t)) &&
         !memcmp(a->negated, b->negated, n * sizeof(size_t)) &&
         !memcmp(a->weight, b->weight, n * sizeof(double)),
     "%s: counts per category differ", what);
  /* the same bits: the sums were made in the same order */
  OK(!memcmp(&a->loaded_score, &b->loaded_score, sizeof(double)),
     "%s: loaded score %.17g, whole %.17g", what, a->loaded_score,
     b->loaded_score);
  fs_doc_free(t);
  fs_window_sum_free(&sum);
  fs_window_close(&r);
  return nwin;
}

static void test_style_sized(fs_ctx *wctx, fs_ctx *dctx, int style,
                             const char *name, bool cuts, int paras,
                             const size_t *targets, size_t ntargets) {
  size_t len;
  char *text = generate(style, paras, 7 + (unsigned long)style, &len);
  fs_error err = {0};
  fs_doc *w = fs_doc_analyze(wctx, text, len, &err);
  OK(w != NULL, "%s: whole", name);
  FILE *f = tmpfile();
  OK(f && fwrite(text, 1, len, f) == len && fflush(f) == 0, "%s: file", name);
  OK(w && w->nquotes > 10 && w->nmatches > 50, "%s: a text with quotes "
     "and matches (%zu, %zu)", name, w ? w->nquotes : 0,
     w ? w->nmatches : 0);
  for (size_t i = 0; w && f && i < ntargets; i++) {
    char what[64];
    snprintf(what, sizeof what, "%s, windows of %zu", name, targets[i]);
    size_t nwin = check_windows(dctx, w, f, targets[i], what);
    if (targets[i] >= len)
      INT_EQ(nwin, 1); /* shorter than a window: one */
    else if (cuts)
      OK(nwin > len / (targets[i] + 2500), "%s: %zu windows in %zu bytes",
         what, nwin, len);
    else
      INT_EQ(nwin, 1); /* no clean cut anywhere */
  }
  if (f)
    fclose(f);
  fs_doc_free(w);
  free(text);
}

static void test_style(fs_ctx *wctx, fs_ctx *dctx, int style,
                       const char *name, bool cuts) {
  static const size_t targets[] = {1, 90, 777, 5000, 1u << 20};
  test_style_sized(wctx, dctx, style, name, cuts, 120, targets,
                   sizeof targets / sizeof *targets);
}

/* A document of several hundred KB: windows that take several reads
 * (window.c reads 64 KiB at a time) and a hard-wrap pass in several
 * windows of its own (at most 256 KiB each). */
static void test_long(fs_ctx *wctx, fs_ctx *dctx, int style,
                      const char *name) {
  static const size_t targets[] = {70000, 300000};
  test_style_sized(wctx, dctx, style, name, true, 6000, targets,
                   sizeof targets / sizeof *targets);
}

/* A reader of windows of text (as small as the reader makes them) from a
 * temporary file, which it returns (the caller closes it). */
static FILE *text_reader(fs_window_reader *r, const char *name,
                         const char *text, fs_error *err) {
  FILE *f = tmpfile();
  fwrite(text, 1, strlen(text), f);
  fflush(f);
  rewind(f);
  OK(fs_window_open(r, name, fileno(f), 1, SIZE_MAX, "the limit", err) ==
         FS_OK,
     "open: %s", err->msg);
  return f;
}

/* A quotation that continues across paragraphs is never cut inside; a cut
 * lands after a blank line, before a paragraph that does not open with a
 * quotation mark. */
static void test_cuts(void) {
  const char *text = "One regime.\n\n\"Two, she said,\n\n\"three.\"\n\n"
                     "Four\n\n\xef\xbb\xbf" "Five.\n";
  fs_window_reader r;
  fs_error err = {0};
  FILE *f = text_reader(&r, "cuts", text, &err);
  const char *want[] = {"One regime.\n\n\"Two, she said,\n\n\"three.\"\n\n",
                        "Four\n\n\xef\xbb\xbf" "Five.\n"};
  size_t k = 0;
  for (;;) {
    const char *w;
    size_t len;
    fs_window_base base;
    if (fs_window_next(&r, &w, &len, &base, &err) || !w)
      break;
    OK(k < 2 && len == strlen(want[k]) && !memcmp(w, want[k], len),
       "window %zu: \"%.*s\"", k, (int)len, w);
    k++;
  }
  INT_EQ(k, 2);
  fs_window_close(&r);
  fclose(f);
}

/* A window kept past the reader's next one (fs_window_keep): its own text
 * and tokens as analysed, its arrays cut to their contents; one that does
 * not fit its room is left as it was. */
static void test_keep(fs_ctx *ctx) {
  const char *text = "The regime claimed it was nonsense.\n\n"
                     "Thugs, she said, were not very shameful.\n";
  fs_window_reader r;
  fs_error err = {0};
  FILE *f = text_reader(&r, "keep", text, &err);
  const char *w;
  size_t len;
  fs_window_base base;
  OK(fs_window_next(&r, &w, &len, &base, &err) == FS_OK && w, "window 0");
  fs_doc *d = w ? fs_doc_analyze_window(ctx, w, len, &base, &err) : NULL;
  OK(d != NULL, "analyse 0");
  if (!d) {
    fs_window_close(&r);
    fclose(f);
    return;
  }
  fs_window_done(&r, d);
  size_t ntok = d->ntokens, nmatch = d->nmatches;
  INT_EQ(fs_window_keep(d, 100), 0); /* more than 100 bytes */
  OK(d->text == w && d->cand_toks != NULL, "not kept: as it was");
  size_t size = fs_window_keep(d, SIZE_MAX);
  OK(size > len + ntok * sizeof *d->tokens, "kept: %zu bytes", size);
  OK(d->text != w && d->tokens_cap == ntok && !d->cand_toks && !d->tok_lex,
     "kept: own text, arrays cut");
  OK(fs_window_next(&r, &w, &len, &base, &err) == FS_OK && w, "window 1");
  INT_EQ(d->len, strlen("The regime claimed it was nonsense.\n\n"));
  OK(!memcmp(d->text, text, d->len), "kept text: \"%.*s\"", (int)d->len,
     d->text);
  INT_EQ(d->ntokens, ntok);
  INT_EQ(d->nmatches, nmatch);
  OK(nmatch >= 2 && !strcmp(fs_ctx_form(ctx, d->tokens[1].form), "regime"),
     "kept tokens and matches");
  fs_window_unkeep(d);
  fs_doc_recycle(ctx, d);
  fs_window_close(&r);
  fclose(f);
}

int main(void) {
  fs_error err;
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  OK(lex != NULL, "lexicon");
  OK(fs_lexicon_load_buffer(lex, "test.tsv", lexicon_text,
                            strlen(lexicon_text), &err) == FS_OK,
     "load: %s", err.msg);
  /* one context for the whole documents, one for the windows: the forms
   * are compared by their strings */
  fs_ctx *wctx = fs_ctx_new(lex, &err), *dctx = fs_ctx_new(lex, &err);
  test_cuts();
  /* a context of its own: the others number forms in the same order */
  fs_ctx *kctx = fs_ctx_new(lex, &err);
  test_keep(kctx);
  fs_ctx_free(kctx);
  test_style(wctx, dctx, STYLE_BLANK, "blank lines", true);
  test_style(wctx, dctx, STYLE_CRLF, "CRLF", true);
  test_style(wctx, dctx, STYLE_LINES, "a paragraph per line", true);
  test_style(wctx, dctx, STYLE_WRAPPED, "hard-wrapped", true);
  test_style(wctx, dctx, STYLE_ONE, "hard-wrapped, no blank line", false);
  test_long(wctx, dctx, STYLE_CRLF, "long, CRLF");
  test_long(wctx, dctx, STYLE_WRAPPED, "long, hard-wrapped");
  fs_ctx_free(wctx);
  fs_ctx_free(dctx);
  fs_lexicon_free(lex);
  DONE();
}
