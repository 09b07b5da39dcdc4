/* SPDX-License-Identifier: GPL-3.0-or-later */
/* surface.c - token bytes -> form and stem ids, a batch of words at a time.
 *
 * Surfaces of up to 16 bytes (nearly every token) live in a cache whose
 * 32-byte slots hold the key itself, so a lookup touches one cache line and
 * no string storage. A batch of words is looked up in one pass with
 * the slot of a word SURF_AHEAD positions later prefetched, so the memory
 * waits of rare words overlap instead of following one another. A surface
 * seen for the first time goes through fs_ctx_fold_form() (folding,
 * stemming, lexicon candidates); longer ones through fs_ctx_form_id(). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define SURF_AHEAD 16   /* words between a prefetch and its lookup */
#define SURF_MIN_SLOTS 4096

/* Slot of (a, b, len) or of the empty slot where it belongs. */
static inline fs_sslot *probe(fs_sslot *slots, size_t mask, uint64_t h,
                              uint64_t a, uint64_t b, uint16_t len) {
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    fs_sslot *s = &slots[i];
    if (s->len == 0 || (s->a == a && s->b == b && s->len == len))
      return s;
  }
}

static int grow_slots(fs_ctx *ctx) {
  size_t n = ctx->surf_nslots ? 2 * ctx->surf_nslots : SURF_MIN_SLOTS;
  fs_sslot *slots = fs_table_alloc(n, sizeof *slots);
  if (!slots)
    return -1;
  for (size_t i = 0; i < ctx->surf_nslots; i++) {
    const fs_sslot *s = &ctx->surf_slots[i];
    if (s->len)
      *probe(slots, n - 1, fs_surface_hash(s->a, s->b, s->len), s->a, s->b,
             s->len) = *s;
  }
  free(ctx->surf_slots);
  ctx->surf_slots = slots;
  ctx->surf_nslots = n;
  return 0;
}

void fs_surface_free(fs_ctx *ctx) {
  free(ctx->surf_slots);
  free(ctx->surf_keys);
}

/* A short surface not in the cache: find its form the slow way, and keep
 * it unless the form is new. About half the words of a corpus occur only
 * once; caching them would double the table for nothing, and a surface that
 * comes back finds its form made the first time. Returns FS_OK or
 * FS_ERR_NOMEM. */
static int add_surface(fs_ctx *ctx, const char *text, fs_tok *k,
                       const fs_pending *p) {
  size_t nforms = ctx->forms.count;
  uint32_t form =
      fs_ctx_fold_form(ctx, text + k->byte_start, k->byte_end - k->byte_start);
  if (form == FS_NONE)
    return FS_ERR_NOMEM;
  k->form = form;
  k->stem = ctx->form_stem[form];
  if (ctx->forms.count != nforms)
    return FS_OK;
  /* at most 3/4 full: probes stay short */
  if ((ctx->surf_count + 1) * 4 > ctx->surf_nslots * 3 && grow_slots(ctx))
    return FS_ERR_NOMEM;
  fs_sslot *s = probe(ctx->surf_slots, ctx->surf_nslots - 1, p->h, p->a,
                      p->b, (uint16_t)p->len);
  s->a = p->a;
  s->b = p->b;
  s->len = (uint16_t)p->len;
  s->form = form;
  s->stem = k->stem;
  s->bits = ctx->form_bits[form];
  s->lex = ctx->form_lex[form];
  ctx->surf_count++;
  return FS_OK;
}

/* Looks up a pending word the cache did not answer (a surface seen for
 * the first time, or one longer than a slot holds); sets its token's ids
 * and returns the form's FS_FORM_* bits and lexicon side in *bits and
 * *lex. May grow the cache. Returns FS_OK or FS_ERR_NOMEM. */
static int lookup_slow(fs_ctx *ctx, fs_doc *d, const fs_pending *p,
                       fs_sslot *s, uint32_t *bits, uint32_t *lex) {
  fs_tok *t = &d->tokens[p->tok];
  if (s) {
    if (add_surface(ctx, d->text, t, p))
      return FS_ERR_NOMEM;
  } else {
    t->form = fs_ctx_form_id(ctx, d->text + t->byte_start, p->len);
    if (t->form == FS_NONE)
      return FS_ERR_NOMEM;
    t->stem = ctx->form_stem[t->form];
  }
  *bits = ctx->form_bits[t->form];
  *lex = ctx->form_lex[t->form];
  return FS_OK;
}

int fs_surface_reserve(fs_ctx *ctx, size_t n) {
  return n > ctx->surf_keys_cap && fs_grow(&ctx->surf_keys,
                                           &ctx->surf_keys_cap, n,
                                           sizeof *ctx->surf_keys)
             ? FS_ERR_NOMEM
             : FS_OK;
}

int fs_surface_lookup(fs_ctx *ctx, fs_doc *d) {
  if (!ctx->surf_slots && grow_slots(ctx))
    return FS_ERR_NOMEM;
  const fs_pending *keys = ctx->surf_keys;
  size_t n = ctx->surf_nkeys;
  if (fs_grow(&d->cand_toks, &d->cand_toks_cap, d->ncand_toks + n,
              sizeof *d->cand_toks) ||
      fs_grow(&d->tok_lex, &d->tok_lex_cap, d->ntokens, sizeof *d->tok_lex))
    return FS_ERR_NOMEM;
  /* punctuation has no lexicon side */
  if (d->ntokens > ctx->surf_done)
    memset(d->tok_lex + ctx->surf_done, 0xff,
           (d->ntokens - ctx->surf_done) * sizeof *d->tok_lex);
  ctx->surf_done = d->ntokens;
  ctx->surf_nkeys = 0;
  /* the arrays in locals: stores through the token and list pointers
   * would otherwise make the compiler reload them for every word; only a
   * new surface (lookup_slow) may grow the cache */
  fs_sslot *slots = ctx->surf_slots;
  size_t mask = ctx->surf_nslots - 1;
  fs_tok *tokens = d->tokens;
  uint32_t *tok_lex = d->tok_lex, *cand = d->cand_toks;
  size_t ncand = d->ncand_toks;
  size_t ahead = n < SURF_AHEAD ? n : SURF_AHEAD;
  for (size_t i = 0; i < ahead; i++)
    __builtin_prefetch(&slots[keys[i].h & mask]);
  for (size_t i = 0; i < n; i++) {
    if (i + SURF_AHEAD < n)
      __builtin_prefetch(&slots[keys[i + SURF_AHEAD].h & mask]);
    const fs_pending *p = &keys[i];
    uint32_t bits, lex;
    fs_sslot *s = p->len > FS_SURF_INLINE
                      ? NULL
                      : probe(slots, mask, p->h, p->a, p->b, (uint16_t)p->len);
    if (s && s->len) {
      fs_tok *t = &tokens[p->tok];
      t->form = s->form;
      t->stem = s->stem;
      bits = s->bits;
      lex = s->lex;
    } else {
      if (lookup_slow(ctx, d, p, s, &bits, &lex)) {
        d->ncand_toks = ncand;
        return FS_ERR_NOMEM;
      }
      slots = ctx->surf_slots; /* a new surface may grow the table */
      mask = ctx->surf_nslots - 1;
    }
    tok_lex[p->tok] = lex;
    /* stored always, kept when an entry may start here: no branch on it */
    cand[ncand] = p->tok;
    ncand += (bits & FS_FORM_CAND) != 0;
  }
  d->ncand_toks = ncand;
  return FS_OK;
}
