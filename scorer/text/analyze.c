/* SPDX-License-Identifier: GPL-3.0-or-later */
/* analyze.c - one document through the pipeline: tokenize -> match -> voice
 * -> count; and the read-only views of the result. */
#include "internal.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* Text in a legacy 8-bit encoding (Latin-1, Windows-1252) is invalid UTF-8
 * almost everywhere it is not ASCII: its accented letters stand alone where
 * UTF-8 would need continuation bytes. Mixed-up UTF-8 keeps many valid
 * sequences. */
static int legacy_8bit(const fs_doc *d) {
  const unsigned char *s = (const unsigned char *)d->text;
  size_t valid = 0;
  for (size_t i = 0; i < d->len;) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    int bad = 0;
    fs_utf8_next(s, d->len, &i, &bad);
    valid += !bad;
  }
  return valid * 10 < d->stats.invalid_utf8;
}

/* A zeroed document, with the arrays of the one recycled into ctx when
 * there is one (their contents are rewritten before they are read). */
static fs_doc *doc_new(fs_ctx *ctx) {
  fs_doc *s = ctx->spare;
  if (!s)
    return calloc(1, sizeof *s);
  ctx->spare = NULL;
  fs_doc keep = *s;
  memset(s, 0, sizeof *s);
  s->tokens = keep.tokens, s->tokens_cap = keep.tokens_cap;
  s->matches = keep.matches, s->matches_cap = keep.matches_cap;
  s->quotes = keep.quotes, s->quotes_cap = keep.quotes_cap;
  s->cand_toks = keep.cand_toks, s->cand_toks_cap = keep.cand_toks_cap;
  s->tok_lex = keep.tok_lex, s->tok_lex_cap = keep.tok_lex_cap;
  s->sent_para = keep.sent_para, s->sent_para_cap = keep.sent_para_cap;
  s->lines = keep.lines, s->lines_cap = keep.lines_cap;
  return s;
}

static fs_doc *analyze(fs_ctx *ctx, const char *text, size_t len,
                       uint8_t wrap, fs_error *err) {
  fs_doc *d = doc_new(ctx);
  if (!d) {
    fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  if (text && len > UINT32_MAX - 1) {
    /* token offsets are 32-bit */
    fs_doc_free(d);
    fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                 "a document of 4 GiB or more (%zu bytes)", len);
    return NULL;
  }
  d->text = text ? text : "";
  d->len = text ? len : 0;
  d->wrap = wrap;
  d->lang = fs_ctx_lang(ctx);
  int rc = fs_tokenize(ctx, d);
  if (rc == FS_OK)
    rc = fs_match_doc(ctx, d);
  if (rc == FS_OK)
    rc = fs_voice_resolve(ctx, d);
  if (rc == FS_OK)
    rc = fs_count_doc(ctx, d);
  if (rc == FS_OK && d->stats.invalid_utf8)
    d->stats.legacy_8bit = legacy_8bit(d);
  if (rc != FS_OK) {
    fs_doc_free(d);
    fs_error_set(err, rc, NULL, 0, 0, "out of memory");
    return NULL;
  }
  return d;
}

fs_doc *fs_doc_analyze(fs_ctx *ctx, const char *text, size_t len,
                       fs_error *err) {
  return analyze(ctx, text, len, FS_WRAP_DETECT, err);
}

fs_doc *fs_doc_analyze_window(fs_ctx *ctx, const char *text, size_t len,
                              const fs_window_base *base, fs_error *err) {
  if (base->byte + len > UINT32_MAX - 1) { /* token offsets are 32-bit */
    fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                 "a document of 4 GiB or more (past %zu bytes)",
                 base->byte + len);
    return NULL;
  }
  fs_doc *d = analyze(ctx, text, len, base->wrap, err);
  if (!d)
    return NULL;
  /* the window starts a line and a paragraph: after the analysis (which
   * indexes by the window's own sentences), its numbers move on by what
   * came before. Offsets stay 32-bit: the window reader refuses a document
   * that reaches 4 GiB. Paragraphs (per window sentence) and lines (per
   * line mark) are shifted where they are kept. */
  for (size_t k = 0; k < d->ntokens; k++) {
    fs_tok *t = &d->tokens[k];
    t->byte_start += (uint32_t)base->byte, t->byte_end += (uint32_t)base->byte;
    t->char_start += (uint32_t)base->chr;
    t->sentence += (uint32_t)base->sentence;
  }
  for (size_t k = 0; k < d->nlines; k++) {
    d->lines[k].line += (uint32_t)base->line - 1;
    d->lines[k].char_start += (uint32_t)base->chr;
  }
  d->sent_base = (uint32_t)base->sentence;
  d->para_base = (uint32_t)base->paragraph;
  d->text_base = base->byte;
  if (base->byte)
    d->stats.bom = 0;
  return d;
}

void fs_doc_free(fs_doc *d) {
  if (!d)
    return;
  free(d->tokens);
  free(d->matches);
  free(d->quotes);
  free(d->cand_toks);
  free(d->tok_lex);
  free(d->sent_para);
  free(d->lines);
  free(d->pub_tokens);
  free(d->counts);
  free(d->weights);
  free(d->ctx_prob);
  free(d->tok_tag);
  free(d);
}

/* Arrays kept for the next document at most this many tokens long (56 MB
 * of tokens, a 10 MB document): a longer one's would stay mapped beside the
 * next long document on another thread and raise the peak. */
#define RECYCLE_MAX_TOKENS (1u << 21)

void fs_doc_recycle(fs_ctx *ctx, fs_doc *d) {
  if (!d)
    return;
  if (d->tokens_cap > RECYCLE_MAX_TOKENS) {
    fs_doc_free(d);
    return;
  }
  /* the per-category and per-model arrays are small, or sized by what
   * asked for them: only the arrays sized by the text are kept */
  free(d->counts);
  free(d->weights);
  free(d->ctx_prob);
  free(d->tok_tag);
  free(d->pub_tokens);
  d->pub_tokens = NULL;
  d->counts = NULL;
  d->weights = NULL;
  d->ctx_prob = NULL;
  d->tok_tag = NULL;
  fs_doc_free(ctx->spare);
  ctx->spare = d;
}

const fs_token *fs_doc_tokens(const fs_doc *d, size_t *n) {
  *n = d->ntokens;
  if (d->pub_tokens || !d->ntokens)
    return d->pub_tokens;
  fs_token *p = malloc(d->ntokens * sizeof *p);
  if (!p) {
    *n = 0;
    return NULL;
  }
  size_t line = 0; /* index into d->lines of token k's line */
  for (size_t k = 0; k < d->ntokens; k++) {
    const fs_tok *t = &d->tokens[k];
    while (line + 1 < d->nlines && d->lines[line + 1].tok <= k)
      line++;
    p[k] = (fs_token){.byte_start = t->byte_start,
                      .byte_end = t->byte_end,
                      .char_start = t->char_start,
                      .char_end = fs_tok_char_end(d, t),
                      .line = d->lines[line].line,
                      .col = t->char_start - d->lines[line].char_start + 1,
                      .sentence = t->sentence,
                      .paragraph = fs_tok_para(d, t),
                      .form = t->form,
                      .stem = t->stem,
                      .kind = t->kind,
                      .voice = t->voice,
                      .flags = t->flags};
  }
  /* made on demand, kept with the document (which the caller owns) */
  ((fs_doc *)d)->pub_tokens = p;
  return p;
}

const fs_match *fs_doc_matches(const fs_doc *d, size_t *n) {
  *n = d->nmatches;
  return d->matches;
}

const fs_doc_stats *fs_doc_stats_get(const fs_doc *d) { return &d->stats; }

const char *fs_doc_text(const fs_doc *d, size_t *len) {
  *len = d->len;
  return d->text;
}

const char *fs_doc_lang(const fs_doc *d) { return d->lang; }
