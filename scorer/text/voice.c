/* SPDX-License-Identifier: GPL-3.0-or-later */
/* voice.c - quotation spans -> voice: a short quoted span (1-4 words, no
 * sentence punctuation) that no attribution introduces, and that is not set
 * off as speech (dialogue dash, colon before, dash after), is a scare quote,
 * a framing device in the author's own voice; in Russian, a capitalised one
 * is a name («Полярная звезда»), the author's words too but no quotation. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define SCARE_MAX_WORDS 4
#define NAME_MAX_WORDS 6
#define SCARE_WEIGHT 1.0

static bool is_word(const fs_tok *k) {
  return k->kind == FS_TOK_WORD || k->kind == FS_TOK_NUMBER;
}

static bool sentence_punct(const fs_doc *d, const fs_tok *k) {
  if (k->kind != FS_TOK_PUNCT)
    return false;
  unsigned char c = (unsigned char)d->text[k->byte_start];
  return c == '.' || c == '!' || c == '?' || c == ';' ||
         (c == 0xE2 && k->byte_end - k->byte_start == 3 &&
          (unsigned char)d->text[k->byte_start + 1] == 0x80 &&
          (unsigned char)d->text[k->byte_start + 2] == 0xA6); /* … */
}

/* Attribution matches per sentence, so that each quote is checked in time
 * proportional to its length rather than to the document's matches. Returns
 * NULL when the lexicon has no attribution family or memory runs out (the
 * caller tells the two apart). */
static uint32_t *attribution_counts(const fs_ctx *ctx, const fs_doc *d) {
  const fs_lexicon *lex = ctx->lex;
  size_t ns = d->stats.sentences ? d->stats.sentences : 1;
  uint32_t *n = calloc(ns, sizeof *n);
  if (!n)
    return NULL;
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    if (lex->cats[m->category].family == lex->attribution_fam)
      n[d->tokens[m->tok_start].sentence]++;
  }
  return n;
}

/* Is the quote attributed: an attribution match in its sentence, before it
 * ("Kirby described the claims as "nonsense"") or after it ("nonsense," he
 * said; "may have" deterred them, Kirby claimed)? `per_sentence` comes from
 * attribution_counts(); the first `nm` matches are sorted by tok_start. */
static bool attributed(const fs_ctx *ctx, const fs_doc *d,
                       const fs_quote_span *q, const uint32_t *per_sentence,
                       size_t nm) {
  const fs_lexicon *lex = ctx->lex;
  uint32_t s_open = d->tokens[q->open].sentence;
  uint32_t s_close = d->tokens[q->close].sentence;
  size_t n = per_sentence[s_open];
  if (s_close != s_open)
    n += per_sentence[s_close];
  /* matches inside the quote itself do not attribute it */
  size_t lo = 0, hi = nm;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->matches[mid].tok_start <= q->open)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t i = lo; i < nm && d->matches[i].tok_start < q->close; i++) {
    const fs_match *m = &d->matches[i];
    uint32_t s = d->tokens[m->tok_start].sentence;
    if (lex->cats[m->category].family == lex->attribution_fam &&
        (s == s_open || s == s_close))
      n--;
  }
  return n > 0;
}

static bool punct_is(const fs_doc *d, const fs_tok *k, const char *mark) {
  size_t n = strlen(mark);
  return k->kind == FS_TOK_PUNCT && k->byte_end - k->byte_start == n &&
         !memcmp(d->text + k->byte_start, mark, n);
}

/* Is a closed quote set off as speech the way Russian prose does it: after
 * a colon ("Песков заявил: «...»") or before a dash, after a comma ("«чушь»,
 * — отрезал он") or when the quote opens with a capital, as speech does
 * ("«Чушь» — так это назвали"; "так называемые «выборы» — фарс" is the
 * outlet's sentence going on)? */
static bool speech_punctuated(const fs_doc *d, const fs_quote_span *q) {
  const fs_tok *open = &d->tokens[q->open];
  if (q->open > 0 && fs_tok_para(d, &d->tokens[q->open - 1]) == fs_tok_para(d, open) &&
      punct_is(d, &d->tokens[q->open - 1], ":"))
    return true;
  size_t k = (size_t)q->close + 1;
  bool comma = k < d->ntokens && punct_is(d, &d->tokens[k], ",");
  bool capital = q->first < q->end && q->first < d->ntokens &&
                 (d->tokens[q->first].flags & FS_TOKF_UPPER);
  if (!comma && !capital)
    return false;
  k += comma;
  return k < d->ntokens && fs_tok_para(d, &d->tokens[k]) == fs_tok_para(d, open) &&
         (punct_is(d, &d->tokens[k], "\xE2\x80\x94") ||
          punct_is(d, &d->tokens[k], "\xE2\x80\x93") ||
          punct_is(d, &d->tokens[k], "-"));
}

/* Is a closed quote a name set in quotation marks («Полярная звезда»,
 * «Единая Россия»): up to NAME_MAX_WORDS words in one paragraph, no sentence
 * punctuation, a capitalised first word, not set off as speech? */
static bool quoted_name(const fs_doc *d, const fs_quote_span *q) {
  return q->depth == 1 && q->close != FS_NONE && !q->speech && !q->clause &&
         q->words > 0 && q->words <= NAME_MAX_WORDS &&
         fs_tok_para(d, &d->tokens[q->close]) == fs_tok_para(d, &d->tokens[q->open]) &&
         (d->tokens[q->first].flags & FS_TOKF_UPPER);
}

static int cmp_match(const void *a, const void *b) {
  const fs_match *x = a, *y = b;
  if (x->tok_start != y->tok_start)
    return x->tok_start < y->tok_start ? -1 : 1;
  if (x->category != y->category)
    return x->category < y->category ? -1 : 1;
  return (x->tok_end > y->tok_end) - (x->tok_end < y->tok_end);
}

/* Sorts the matches (cmp_match, stably, as glibc's qsort does) after
 * `added` scare quotes were appended to nm matches. The scare quotes come
 * in order and the lexicon's matches nearly always are: then the two runs
 * are merged from the back, in place, which costs a pass instead of a
 * sort (the sort was 2% of the instructions of `report`). Returns FS_OK or
 * FS_ERR_NOMEM. */
static int sort_matches(fs_doc *d, size_t nm, size_t added) {
  fs_match *m = d->matches;
  bool runs = true;
  for (size_t i = 1; runs && i < nm + added; i++)
    runs = i == nm || cmp_match(&m[i - 1], &m[i]) <= 0;
  if (!runs) {
    qsort(m, nm + added, sizeof *m, cmp_match);
    return FS_OK;
  }
  fs_match *right = malloc(added * sizeof *right);
  if (!right)
    return FS_ERR_NOMEM;
  memcpy(right, m + nm, added * sizeof *right);
  /* from the back: on a tie the later run's match goes later */
  size_t i = nm, j = added, w = nm + added;
  while (j > 0) {
    if (i > 0 && cmp_match(&m[i - 1], &right[j - 1]) > 0)
      m[--w] = m[--i];
    else
      m[--w] = right[--j];
  }
  free(right);
  return FS_OK;
}

int fs_voice_resolve(const fs_ctx *ctx, fs_doc *d) {
  size_t added = 0, nm = d->nmatches;
  uint32_t *per_sentence = NULL;
  if (d->nquotes && ctx->lex->attribution_fam != FS_NONE &&
      !(per_sentence = attribution_counts(ctx, d)))
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < d->nquotes; i++) {
    fs_quote_span *q = &d->quotes[i];
    q->first = q->end = FS_NONE;
    /* only closed outermost quotes can be scare quotes; an unclosed one
     * would otherwise be scanned to the end of the document */
    uint32_t last = q->depth != 1 || q->close == FS_NONE ? 0 : q->close;
    for (uint32_t k = q->open + 1; k < last; k++) {
      const fs_tok *t = &d->tokens[k];
      if (is_word(t)) {
        if (q->first == FS_NONE)
          q->first = k;
        q->end = k + 1;
        q->words++;
      } else if (sentence_punct(d, t) ||
                 (t->kind == FS_TOK_QUOTE && (t->flags & FS_TOKF_OPEN) &&
                  fs_tok_para(d, t) != fs_tok_para(d, &d->tokens[q->open]))) {
        q->clause = true;
      }
    }
    if (ctx->dash_speech && q->close != FS_NONE && !q->speech)
      q->speech = speech_punctuated(d, q);
    if (ctx->quoted_names && quoted_name(d, q)) {
      q->name = true;
      for (uint32_t k = q->open; k <= q->close; k++)
        d->tokens[k].voice = FS_VOICE_AUTHOR;
      continue;
    }
    if (q->depth != 1 || q->close == FS_NONE || q->words == 0 || q->speech ||
        q->words > SCARE_MAX_WORDS || q->clause ||
        fs_tok_para(d, &d->tokens[q->close]) != fs_tok_para(d, &d->tokens[q->open]))
      continue;
    if (per_sentence && attributed(ctx, d, q, per_sentence, nm))
      continue;
    q->scare = true;
    for (uint32_t k = q->open; k <= q->close; k++) {
      d->tokens[k].voice = FS_VOICE_AUTHOR;
      d->tokens[k].flags |= FS_TOKF_SCARE;
    }
    if (fs_grow(&d->matches, &d->matches_cap, d->nmatches + 1,
                sizeof *d->matches)) {
      free(per_sentence);
      return FS_ERR_NOMEM;
    }
    fs_match *m = &d->matches[d->nmatches++];
    memset(m, 0, sizeof *m);
    m->tok_start = q->first;
    m->tok_end = q->end;
    m->category = ctx->lex->scare_cat;
    m->entry = FS_NONE;
    m->weight = SCARE_WEIGHT;
    m->negator = m->intensifier = FS_NONE;
    added++;
  }
  free(per_sentence);
  for (size_t i = 0; i < d->nmatches; i++)
    d->matches[i].voice = d->tokens[d->matches[i].tok_start].voice;
  if (added && sort_matches(d, nm, added))
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < d->nquotes; i++) {
    if (d->quotes[i].scare)
      d->stats.scare_quotes++;
    else if (d->quotes[i].depth == 1 && !d->quotes[i].name)
      d->stats.quotes++;
  }
  return FS_OK;
}
