/* SPDX-License-Identifier: GPL-3.0-or-later */
/* doc_counts.c - matches -> per-document counts by category and voice, and the
 * weighted loaded-language score per 1,000 words (the author's voice at 1,
 * quoted speech at the lexicon's quote weight). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Families that make up the loaded-language score. Modifiers (negator,
 * intensifier) and epistemic markers (hedge, certainty) are reported but do
 * not add to it; neutral entries carry weight 0. */
static const char *const score_families[] = {"loaded", "label", "attribution",
                                             "evidence", "scare_quote", NULL};

bool fs_family_in_score(const char *family) {
  for (const char *const *f = score_families; *f; f++)
    if (!strcmp(*f, family))
      return true;
  return false;
}

bool fs_category_in_score(const fs_lexicon *lex, uint32_t cat) {
  return lex->cats[cat].in_score;
}

int fs_lexicon_set_quote_weight(fs_lexicon *lex, double w) {
  if (!(w >= 0 && w <= 1))
    return FS_ERR_USAGE;
  lex->quote_weight = w;
  return FS_OK;
}

double fs_lexicon_quote_weight(const fs_lexicon *lex) {
  return lex->quote_weight;
}

/* An outlet answers for the quotes it chooses to print, less than for its
 * own words (bench/VALIDITY.md, sessions 26-27): quoted matches and quoted
 * words count at w. With w = 0 this is exactly the own-voice score
 * (0 * x adds nothing to a double). */
double fs_loaded_score(const fs_lexicon *lex, double author, double quote,
                       const size_t words[FS_VOICES]) {
  double w = lex->quote_weight;
  double den = (double)words[FS_VOICE_AUTHOR] +
               w * (double)words[FS_VOICE_QUOTE];
  return den > 0 ? 1000.0 * (author + w * quote) / den : 0.0;
}

bool fs_once_repeat(const fs_lexicon *lex, const fs_match *m, uint8_t *seen) {
  if (!fs_entry_once(lex, m->entry))
    return false;
  uint8_t *s = &seen[(size_t)m->entry * FS_VOICES + m->voice];
  bool repeat = *s;
  *s = 1;
  return repeat;
}

/* Puts key (not 0) in the open-addressing set of cap slots (a power of
 * two, never full); returns whether it was there already. */
static bool once_set_put(uint32_t *set, size_t cap, uint32_t key) {
  size_t h = (key * 2654435761u) & (cap - 1);
  while (set[h] && set[h] != key)
    h = (h + 1) & (cap - 1);
  bool had = set[h] != 0;
  set[h] = key;
  return had;
}

/* A naming choice ("illegal aliens", "Kiev regime") is made once in a
 * document, however often the name recurs: the second and later matches of
 * an entry flagged "once" in one voice weigh 0. They stay matches (counted,
 * listed), as event vocabulary does. The (entry, voice) pairs seen are kept
 * in a small open-addressing set, on the stack until it needs more than
 * 256 slots: a table over the whole lexicon, cleared per document, cost
 * about 10,000 instructions for each short document with such a match. */
static int weigh_once(const fs_lexicon *lex, fs_doc *d) {
  uint32_t local[256], *set = NULL; /* keys: entry * FS_VOICES + voice + 1 */
  size_t cap = 0, used = 0;
  int rc = FS_OK;
  for (size_t i = 0; i < d->nmatches; i++) {
    fs_match *m = &d->matches[i];
    if (!fs_entry_once(lex, m->entry))
      continue;
    if (!set) {
      set = local, cap = sizeof local / sizeof *local;
      memset(set, 0, sizeof local);
    }
    if (2 * (used + 1) > cap) { /* at most half full: rehash into 4x */
      uint32_t *big = calloc(4 * cap, sizeof *big);
      if (!big) {
        rc = FS_ERR_NOMEM;
        break;
      }
      for (size_t j = 0; j < cap; j++)
        if (set[j])
          once_set_put(big, 4 * cap, set[j]);
      if (set != local)
        free(set);
      set = big, cap *= 4;
    }
    if (once_set_put(set, cap, m->entry * FS_VOICES + m->voice + 1))
      m->weight = 0; /* a repeat */
    else
      used++;
  }
  if (set != local)
    free(set);
  return rc;
}

int fs_doc_counts_new(fs_doc *d, const fs_lexicon *lex) {
  size_t n = lex->ncats * FS_VOICES;
  d->counts = calloc(2 * n + 1, sizeof *d->counts);
  d->weights = calloc(n + 1, sizeof *d->weights);
  if (!d->counts || !d->weights)
    return FS_ERR_NOMEM;
  d->stats.ncat = lex->ncats;
  d->stats.matches = d->counts;
  d->stats.negated = d->counts + n;
  d->stats.weight = d->weights;
  return FS_OK;
}

void fs_count_match(const fs_lexicon *lex, fs_doc *d, const fs_match *m,
                    double score[FS_VOICES]) {
  if (m->event) /* story vocabulary: only the distinctive score counts it */
    return;
  size_t at = m->category * FS_VOICES + m->voice;
  d->counts[at]++;
  if (m->negated)
    d->counts[lex->ncats * FS_VOICES + at]++;
  d->weights[at] += m->weight;
  if (fs_category_in_score(lex, m->category))
    score[m->voice] += m->weight;
}

int fs_count_doc(const fs_ctx *ctx, fs_doc *d) {
  const fs_lexicon *lex = ctx->lex;
  if (weigh_once(lex, d) || fs_doc_counts_new(d, lex))
    return FS_ERR_NOMEM;
  for (size_t k = 0; k < d->ntokens; k++) {
    const fs_tok *t = &d->tokens[k];
    d->stats.words[t->voice] +=
        t->kind == FS_TOK_WORD || t->kind == FS_TOK_NUMBER;
  }
  double score[FS_VOICES] = {0, 0};
  for (size_t i = 0; i < d->nmatches; i++)
    fs_count_match(lex, d, &d->matches[i], score);
  d->stats.loaded_score =
      fs_loaded_score(lex, score[FS_VOICE_AUTHOR], score[FS_VOICE_QUOTE],
                      d->stats.words);
  return FS_OK;
}
