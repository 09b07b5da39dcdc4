/* match.c - tokens -> lexicon matches: the longest pattern per category
 * family wins, each token counts once per family; negators and intensifiers
 * before a match are recorded on it. */
#include "internal.h"
#include "utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEGATION_WINDOW 3 /* words to the left searched for a negator */

static bool is_word(const fs_token *k) {
  return k->kind == FS_TOK_WORD || k->kind == FS_TOK_NUMBER;
}

/* Compares a token's surface with a case-sensitive pattern word, treating
 * every apostrophe as '. */
static bool same_surface(const fs_doc *d, const fs_token *k, const char *w,
                         size_t wlen) {
  const unsigned char *s = (const unsigned char *)d->text;
  size_t i = k->byte_start, j = 0;
  while (i < k->byte_end && j < wlen) {
    int bad = 0;
    uint32_t a = fs_utf8_next(s, k->byte_end, &i, &bad);
    uint32_t b = fs_utf8_next((const unsigned char *)w, wlen, &j, &bad);
    if (fs_is_apostrophe(a))
      a = '\'';
    if (a != b)
      return false;
  }
  return i == k->byte_end && j == wlen;
}

static bool word_matches(const fs_ctx *ctx, const fs_doc *d,
                         const fs_pword *w, const fs_token *k) {
  const fs_lexicon *lex = ctx->lex;
  const fs_form *f = fs_ctx_lexform(ctx, k->form);
  switch (w->kind) {
  case FS_PW_STEM:
    return f->lex_stem == w->id;
  case FS_PW_EXACT:
    return f->lex_form == w->id;
  case FS_PW_GLOB: {
    size_t plen = fs_intern_len(&lex->strings, w->id);
    const char *form = fs_intern_str(&ctx->forms, k->form);
    return fs_intern_len(&ctx->forms, k->form) >= plen &&
           !memcmp(form, fs_intern_str(&lex->strings, w->id), plen);
  }
  case FS_PW_CASE:
    return same_surface(d, k, fs_intern_str(&lex->strings, w->id),
                        fs_intern_len(&lex->strings, w->id));
  }
  return false;
}

/* Number of tokens candidate c covers when it starts at token k, or 0. Words
 * must be consecutive tokens (a joining hyphen makes no token). */
static uint32_t match_len(const fs_ctx *ctx, const fs_doc *d,
                          const fs_cand *c, size_t k) {
  const fs_pword *w = &ctx->lex->pwords[c->word0];
  if (k + c->nwords > d->ntokens)
    return 0;
  for (uint32_t i = 0; i < c->nwords; i++) {
    const fs_token *t = &d->tokens[k + i];
    if (!is_word(t) || !word_matches(ctx, d, &w[i], t))
      return 0;
    if (i > 0 && t->sentence != d->tokens[k].sentence)
      return 0;
  }
  return c->nwords;
}

static int add_match(fs_doc *d, uint32_t start, uint32_t len, uint32_t entry,
                     const fs_entry *e) {
  if (fs_grow(&d->matches, &d->matches_cap, d->nmatches + 1,
              sizeof *d->matches))
    return FS_ERR_NOMEM;
  fs_match *m = &d->matches[d->nmatches++];
  m->tok_start = start;
  m->tok_end = start + len;
  m->category = e->category;
  m->entry = entry;
  m->weight = e->event ? 0.0 : e->weight;
  m->negator = m->intensifier = FS_NONE;
  m->voice = d->tokens[start].voice;
  m->negated = 0;
  m->event = e->event;
  return FS_OK;
}

/* The run of candidates in [lo, hi) whose second word id is `id` (the
 * range is sorted by it); returns its start and sets *end. */
static uint32_t run_of(const fs_cand *c, uint32_t lo, uint32_t hi, uint32_t id,
                       uint32_t *end) {
  uint32_t a = lo, b = hi;
  while (a < b) { /* first with w1id >= id */
    uint32_t mid = a + (b - a) / 2;
    if (c[mid].w1id < id)
      a = mid + 1;
    else
      b = mid;
  }
  uint32_t e = a;
  while (e < hi && c[e].w1id == id)
    e++;
  *end = e;
  return a;
}

/* Finds the longest match per family at every token, left to right. A
 * candidate is tried only when the next token can be its second word. */
static int find_matches(const fs_ctx *ctx, fs_doc *d, uint32_t *cover,
                        uint32_t *best, uint32_t *best_len) {
  const fs_lexicon *lex = ctx->lex;
  size_t nf = lex->nfamilies;
  if (fs_grow(&d->matches, &d->matches_cap, d->ncand_toks, sizeof *d->matches))
    return FS_ERR_NOMEM;
  for (size_t ci = 0; ci < d->ncand_toks; ci++) {
    size_t k = d->cand_toks[ci];
    const fs_token *t = &d->tokens[k];
    const fs_form *f = &ctx->lexforms[d->tok_lex[k]];
    /* the next word's lexicon ids, needed only by phrases whose second
     * word is a stem or form (and only when it is a lexicon word at all:
     * tok_lex is FS_NONE for other words and for punctuation) */
    uint32_t nl = k + 1 < d->ntokens ? d->tok_lex[k + 1] : FS_NONE;
    const fs_form *next =
        nl != FS_NONE && f->ncand > f->nany ? &ctx->lexforms[nl] : NULL;
    bool by_stem = next && next->lex_stem != FS_NONE &&
                   (f->second & fs_second_bit(next->lex_stem));
    bool by_form = next && next->lex_form != FS_NONE &&
                   (f->second & fs_second_bit(next->lex_form));
    /* the common case: a function word that starts phrases only, none of
     * them with this second word */
    if (!f->nany && !by_stem && !by_form)
      continue;
    bool has_next =
        k + 1 < d->ntokens && is_word(&t[1]) && t[1].sentence == t->sentence;
    const fs_cand *c = &ctx->cands[f->cand];
    /* three ranges: any second word; stem second word == next's stem;
     * exact second word == next's form */
    uint32_t lo[3] = {0, 0, 0}, hi[3] = {f->nany, 0, 0};
    if (has_next && by_stem)
      lo[1] = run_of(c, f->nany, f->nany + f->nstem, next->lex_stem, &hi[1]);
    if (has_next && by_form)
      lo[2] = run_of(c, f->nany + f->nstem, f->ncand, next->lex_form, &hi[2]);
    bool found = false;
    for (int r = 0; r < 3; r++)
      for (uint32_t i = lo[r]; i < hi[r]; i++) {
        const fs_cand *cd = &c[i];
        uint32_t fam = cd->family;
        if (k < cover[fam] || (cd->nwords > 1 && !has_next))
          continue;
        if (!found) {
          for (size_t j = 0; j < nf; j++)
            best_len[j] = 0;
          found = true;
        }
        if (cd->nwords < best_len[fam])
          continue;
        /* a one-word entry found by its stem, form or prefix is matched
         * already; cased words and phrases are checked word by word */
        uint32_t len = cd->nwords == 1 && cd->w0kind != FS_PW_CASE
                           ? 1
                           : match_len(ctx, d, cd, k);
        if (!len)
          continue;
        const fs_entry *e = &lex->entries[cd->entry];
        /* longest wins; on a tie the stronger weight, then the earlier
         * entry (the candidates' order is not the entries' order) */
        const fs_entry *b = best_len[fam] ? &lex->entries[best[fam]] : NULL;
        if (len > best_len[fam] ||
            (len == best_len[fam] &&
             (fabs(e->weight) > fabs(b->weight) ||
              (fabs(e->weight) == fabs(b->weight) && cd->entry < best[fam])))) {
          best_len[fam] = len;
          best[fam] = cd->entry;
        }
      }
    if (!found)
      continue;
    for (size_t i = 0; i < nf; i++) {
      if (!best_len[i])
        continue;
      if (add_match(d, (uint32_t)k, best_len[i], best[i],
                    &lex->entries[best[i]]))
        return FS_ERR_NOMEM;
      cover[i] = (uint32_t)k + best_len[i];
    }
  }
  return FS_OK;
}

/* Marks negation (a negator among the 3 words before, in the same clause)
 * and intensifiers (the word right before). */
static void modifiers(const fs_ctx *ctx, fs_doc *d, uint8_t *role) {
  const fs_lexicon *lex = ctx->lex;
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    uint32_t fam = lex->cats[m->category].family;
    if (fam == lex->negator_fam && fam != FS_NONE)
      for (uint32_t k = m->tok_start; k < m->tok_end; k++)
        role[k] |= 1;
    if (fam == lex->intensifier_fam && fam != FS_NONE)
      for (uint32_t k = m->tok_start; k < m->tok_end; k++)
        role[k] |= 2;
  }
  for (size_t i = 0; i < d->nmatches; i++) {
    fs_match *m = &d->matches[i];
    uint32_t fam = lex->cats[m->category].family;
    if (fam == lex->negator_fam || m->tok_start == 0)
      continue;
    const fs_token *first = &d->tokens[m->tok_start];
    int words = 0;
    for (size_t k = m->tok_start; k-- > 0 && words < NEGATION_WINDOW;) {
      const fs_token *t = &d->tokens[k];
      if (t->sentence != first->sentence || t->kind == FS_TOK_PUNCT)
        break;
      if (t->kind == FS_TOK_QUOTE)
        continue;
      if (words == 0 && (role[k] & 2) && fam != lex->intensifier_fam &&
          m->intensifier == FS_NONE)
        m->intensifier = (uint32_t)k;
      if ((role[k] & 1) && !m->negated) {
        m->negated = 1;
        m->negator = (uint32_t)k;
      }
      words++;
    }
  }
}

/* Drops negator and intensifier matches that lie inside a longer match of
 * another family: "so" in "so-called", "not" in "not a shred of evidence"
 * are part of the phrase, not modifiers. */
static void drop_inner_modifiers(const fs_ctx *ctx, fs_doc *d) {
  const fs_lexicon *lex = ctx->lex;
  size_t w = 0;
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    uint32_t fam = lex->cats[m->category].family;
    bool inner = false;
    if (fam == lex->negator_fam || fam == lex->intensifier_fam)
      for (size_t j = i; j-- > 0 && d->matches[j].tok_end > m->tok_start;)
        inner |= d->matches[j].tok_end - d->matches[j].tok_start >
                     m->tok_end - m->tok_start &&
                 lex->cats[d->matches[j].category].family != fam;
    for (size_t j = i + 1;
         !inner && j < d->nmatches && d->matches[j].tok_start < m->tok_end;
         j++)
      inner |= (fam == lex->negator_fam || fam == lex->intensifier_fam) &&
               d->matches[j].tok_start >= m->tok_start &&
               d->matches[j].tok_end - d->matches[j].tok_start >
                   m->tok_end - m->tok_start &&
               lex->cats[d->matches[j].category].family != fam;
    if (!inner)
      d->matches[w++] = *m;
  }
  d->nmatches = w;
}

int fs_match_doc(const fs_ctx *ctx, fs_doc *d) {
  size_t nf = ctx->lex->nfamilies ? ctx->lex->nfamilies : 1;
  uint32_t *cover = calloc(nf, sizeof *cover);
  uint32_t *best = calloc(nf, sizeof *best);
  uint32_t *best_len = calloc(nf, sizeof *best_len);
  uint8_t *role = calloc(d->ntokens ? d->ntokens : 1, 1);
  int rc = FS_ERR_NOMEM;
  if (cover && best && best_len && role) {
    rc = find_matches(ctx, d, cover, best, best_len);
    if (rc == FS_OK) {
      drop_inner_modifiers(ctx, d);
      modifiers(ctx, d, role);
    }
  }
  free(cover);
  free(best);
  free(best_len);
  free(role);
  return rc;
}
