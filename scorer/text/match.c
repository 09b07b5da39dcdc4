/* SPDX-License-Identifier: GPL-3.0-or-later */
/* match.c - tokens -> lexicon matches: the longest pattern per category
 * family wins, each token counts once per family; an entry flagged
 * "person" only before a person noun; negators and intensifiers before a
 * match are recorded on it. */
#include "internal.h"
#include "utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEGATION_WINDOW 3 /* words to the left searched for a negator */

static bool is_word(const fs_tok *k) {
  return k->kind == FS_TOK_WORD || k->kind == FS_TOK_NUMBER;
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

/* Whether a person word follows a "person" entry's match that ends before
 * token j: j is a person word, or j a content word and j + 1 a person word
 * ("corrupt career politicians"), both in sentence `sent`. */
static bool person_after(const fs_ctx *ctx, const fs_doc *d, size_t j,
                         uint32_t sent) {
  for (uint32_t gap = 0; gap < 2 && j + gap < d->ntokens; gap++) {
    const fs_tok *t = &d->tokens[j + gap];
    if (t->kind != FS_TOK_WORD || t->sentence != sent)
      return false;
    uint32_t li = d->tok_lex[j + gap];
    if (li != FS_NONE && ctx->lexforms[li].person)
      return true;
    if (ctx->form_bits[t->form] & FS_FORM_FUNCTION) /* fs_function_word */
      return false;
  }
  return false;
}

/* Whether the walk from candidate token k (first form f) can match: when
 * no root of f ends an entry or has a glob or cased child, a match needs
 * a next word of the sentence that is some root's stem or exact child,
 * and the filter of f's next words rules most out (of 608,000 candidates
 * in 8 MB of news, 531,000 have no such root, and most of those are "the",
 * "to" and "of" before a word that goes nowhere). The next token's
 * lexicon side is read first: it sits beside token k's in tok_lex, where
 * the tokens are six times as wide. */
static bool may_match(const fs_ctx *ctx, const fs_doc *d, const fs_form *f,
                      size_t k) {
  if (f->walk_always)
    return true;
  if (k + 1 >= d->ntokens)
    return false;
  uint32_t li = d->tok_lex[k + 1];
  if (li == FS_NONE || !(f->next_bits & ctx->lexforms[li].as_next))
    return false;
  const fs_tok *t = &d->tokens[k];
  return is_word(t) && is_word(t + 1) && t[1].sentence == t->sentence;
}

/* The trie walk's scratch: nodes still to visit, each with the number of
 * words it is deep. */
typedef struct walk {
  uint32_t *nodes, *depth;
  size_t n, cap, dcap;
  uint32_t *kids; /* the children of one node that the next token matches */
  size_t nkids, kids_cap;
} walk;

/* Pushes the children of `node` that token k (a word) matches, `depth`
 * words deep. */
static int push_kids(const fs_ctx *ctx, const fs_doc *d, walk *w,
                     uint32_t node, size_t k, uint32_t depth) {
  static const fs_form none = {.lex_stem = FS_NONE, .lex_form = FS_NONE};
  const fs_lexicon *lex = ctx->lex;
  const fs_tnode *nd = &lex->tnodes[node];
  if (!nd->nkid)
    return FS_OK;
  /* the word's fs_ctx_lexform, from its tok_lex: read in token order, so
   * in cache, where the form's entry of form_lex is anywhere */
  const fs_tok *t = &d->tokens[k];
  uint32_t li = d->tok_lex[k];
  const fs_form *f = li == FS_NONE ? &none : &ctx->lexforms[li];
  w->nkids = 0;
  /* most words after a phrase's first are in no pattern (no lexicon stem
   * or form) and most nodes have no glob or cased children: such a word
   * is turned away here, without the calls */
  bool stem = (nd->kinds & 1u << FS_PW_STEM) && f->lex_stem != FS_NONE;
  bool exact = (nd->kinds & 1u << FS_PW_EXACT) && f->lex_form != FS_NONE;
  if (nd->kinds & 1u << FS_PW_GLOB) {
    if (fs_trie_kids(lex, node, f->lex_stem, f->lex_form,
                     fs_intern_str(&ctx->forms, t->form),
                     fs_intern_len(&ctx->forms, t->form), &w->kids,
                     &w->nkids, &w->kids_cap))
      return FS_ERR_NOMEM;
  } else if (stem || exact) {
    /* what fs_trie_kids() finds without globs, without the call and its
     * nine arguments (the matcher's commonest step: 1.3% fewer
     * instructions in all on 300 KB documents) */
    const fs_tkid *kid0 = lex->tkids + nd->kid;
    uint32_t s = stem ? fs_trie_kid_in(kid0, nd->nkid,
                                       fs_trie_key(FS_PW_STEM, f->lex_stem))
                      : FS_NONE;
    uint32_t x = exact ? fs_trie_kid_in(kid0, nd->nkid,
                                        fs_trie_key(FS_PW_EXACT, f->lex_form))
                       : FS_NONE;
    if ((s != FS_NONE || x != FS_NONE) &&
        fs_grow(&w->kids, &w->kids_cap, 2, sizeof *w->kids))
      return FS_ERR_NOMEM;
    if (s != FS_NONE)
      w->kids[w->nkids++] = s;
    if (x != FS_NONE)
      w->kids[w->nkids++] = x;
  }
  uint32_t c = nd->kinds & 1u << FS_PW_CASE
                   ? fs_trie_case_kid(lex, node, d->text + t->byte_start,
                                      t->byte_end - t->byte_start)
                   : FS_NONE;
  if (c != FS_NONE) {
    if (fs_grow(&w->kids, &w->kids_cap, w->nkids + 1, sizeof *w->kids))
      return FS_ERR_NOMEM;
    w->kids[w->nkids++] = c;
  }
  if (fs_grow(&w->nodes, &w->cap, w->n + w->nkids, sizeof *w->nodes) ||
      fs_grow(&w->depth, &w->dcap, w->n + w->nkids, sizeof *w->depth))
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < w->nkids; i++) {
    w->nodes[w->n] = w->kids[i];
    w->depth[w->n++] = depth;
  }
  return FS_OK;
}

/* Finds the longest match per family at every token, left to right, by
 * walking the phrase trie from the token: each step looks its word up
 * among a node's children, so entries sharing words cost nothing until
 * the text matches them. best_len[] is 0 for every family between two
 * tokens; fams[] lists the families with a match at this one, ascending
 * (their matches go out in that order), so only those are visited and
 * cleared. */
static int find_matches(const fs_ctx *ctx, fs_doc *d, uint32_t *cover,
                        uint32_t *best, uint32_t *best_len, uint32_t *fams,
                        walk *w) {
  const fs_lexicon *lex = ctx->lex;
  if (fs_grow(&d->matches, &d->matches_cap, d->ncand_toks, sizeof *d->matches))
    return FS_ERR_NOMEM;
  for (size_t ci = 0; ci < d->ncand_toks; ci++) {
    size_t k = d->cand_toks[ci];
    const fs_form *f = &ctx->lexforms[d->tok_lex[k]];
    if (!may_match(ctx, d, f, k))
      continue;
    const fs_tok *t = &d->tokens[k];
    /* a first word only a cased entry starts: its surface decides */
    bool word = is_word(t);
    w->n = 0;
    if (fs_grow(&w->nodes, &w->cap, f->nroot + 1, sizeof *w->nodes) ||
        fs_grow(&w->depth, &w->dcap, f->nroot + 1, sizeof *w->depth))
      return FS_ERR_NOMEM;
    for (uint32_t i = 0; i < f->nroot; i++) {
      w->nodes[w->n] = ctx->roots[f->root + i];
      w->depth[w->n++] = 1;
    }
    if (f->cased && word) {
      uint32_t c = fs_trie_case_kid(lex, ctx->lang, d->text + t->byte_start,
                                    t->byte_end - t->byte_start);
      if (c != FS_NONE) {
        w->nodes[w->n] = c;
        w->depth[w->n++] = 1;
      }
    }
    size_t nfams = 0;
    while (w->n) {
      w->n--;
      uint32_t node = w->nodes[w->n], len = w->depth[w->n];
      const fs_tnode *nd = &lex->tnodes[node];
      for (uint32_t i = 0; i < nd->nend; i++) {
        const fs_tend *te = &lex->tends[nd->end + i];
        uint32_t fam = te->family;
        if (k < cover[fam])
          continue;
        /* a "person" entry matches only before a person word; the match
         * is its own words (the noun stays free for other entries, and a
         * word-level prediction is the adjective, as annotators mark it) */
        if (lex->entries[te->entry].person &&
            !person_after(ctx, d, k + len, t->sentence))
          continue;
        if (!best_len[fam]) {
          size_t j = nfams++;
          for (; j > 0 && fams[j - 1] > fam; j--)
            fams[j] = fams[j - 1];
          fams[j] = fam;
        }
        /* longest wins; on a tie the stronger weight, then the earlier
         * entry (the walk's order is not the entries' order) */
        const fs_entry *e = &lex->entries[te->entry];
        const fs_entry *b = best_len[fam] ? &lex->entries[best[fam]] : NULL;
        if (len > best_len[fam] ||
            (len == best_len[fam] &&
             (fabs(e->weight) > fabs(b->weight) ||
              (fabs(e->weight) == fabs(b->weight) && te->entry < best[fam])))) {
          best_len[fam] = len;
          best[fam] = te->entry;
        }
      }
      /* a phrase's words are consecutive words of one sentence (a
       * joining hyphen makes no token) */
      if (!nd->nkid || !word || k + len >= d->ntokens)
        continue;
      const fs_tok *next = &d->tokens[k + len];
      if (!is_word(next) || next->sentence != t->sentence)
        continue;
      int rc = push_kids(ctx, d, w, node, k + len, len + 1);
      if (rc)
        return rc;
    }
    for (size_t j = 0; j < nfams; j++) {
      uint32_t i = fams[j];
      if (add_match(d, (uint32_t)k, best_len[i], best[i],
                    &lex->entries[best[i]]))
        return FS_ERR_NOMEM;
      cover[i] = (uint32_t)k + best_len[i];
      best_len[i] = 0;
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
    const fs_tok *first = &d->tokens[m->tok_start];
    int words = 0;
    for (size_t k = m->tok_start; k-- > 0 && words < NEGATION_WINDOW;) {
      const fs_tok *t = &d->tokens[k];
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
  uint32_t *fams = malloc(nf * sizeof *fams);
  uint8_t *role = calloc(d->ntokens ? d->ntokens : 1, 1);
  walk w = {0};
  int rc = FS_ERR_NOMEM;
  if (cover && best && best_len && fams && role) {
    rc = find_matches(ctx, d, cover, best, best_len, fams, &w);
    if (rc == FS_OK) {
      drop_inner_modifiers(ctx, d);
      modifiers(ctx, d, role);
    }
  }
  free(cover);
  free(best);
  free(best_len);
  free(fams);
  free(role);
  free(w.nodes);
  free(w.depth);
  free(w.kids);
  return rc;
}
