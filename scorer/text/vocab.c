/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vocab.c - copies of the forms and stems a context learned since a mark,
 * taken on the context's own thread, so counts made with many contexts can
 * be merged under ids of one vocabulary (terms.c) while the contexts go on
 * analysing. */
#include "internal.h"
#include "terms.h"

#include <stdlib.h>
#include <string.h>

/* Rounds n up to a multiple of the alignment of what follows. */
static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

fs_vocab_delta *fs_vocab_take(const fs_ctx *ctx, fs_vocab_mark *mark) {
  size_t f0 = mark->forms, nf = ctx->forms.count - f0;
  size_t s0 = mark->stems, ns = ctx->stems.count - s0;
  size_t chars = 0;
  for (size_t i = 0; i < nf; i++)
    chars += fs_intern_len(&ctx->forms, (uint32_t)(f0 + i)) + 1;
  for (size_t i = 0; i < ns; i++)
    chars += fs_intern_len(&ctx->stems, (uint32_t)(s0 + i)) + 1;
  if (chars > UINT32_MAX)
    return NULL;
  size_t at_stem = align8(sizeof(fs_vocab_delta));
  size_t at_off = at_stem + align8(nf * sizeof(uint32_t));
  size_t at_soff = at_off + align8((nf + 1) * sizeof(uint32_t));
  size_t at_lex = at_soff + align8((ns + 1) * sizeof(uint32_t));
  size_t at_chars = at_lex + align8(nf);
  char *block = malloc(at_chars + chars + 1);
  if (!block)
    return NULL;
  fs_vocab_delta *v = (fs_vocab_delta *)block;
  v->form_base = f0, v->nforms = nf;
  v->stem_base = s0, v->nstems = ns;
  v->form_stem = (uint32_t *)(block + at_stem);
  v->form_off = (uint32_t *)(block + at_off);
  v->stem_off = (uint32_t *)(block + at_soff);
  v->form_lex = (uint8_t *)(block + at_lex);
  v->chars = block + at_chars;
  size_t at = 0;
  for (size_t i = 0; i < nf; i++) {
    uint32_t id = (uint32_t)(f0 + i);
    size_t len = fs_intern_len(&ctx->forms, id);
    const fs_form *fi = fs_ctx_lexform(ctx, id);
    v->form_stem[i] = ctx->form_stem[id];
    v->form_lex[i] = fi->nroot > 0 || fi->cased || fi->lex_stem != FS_NONE;
    v->form_off[i] = (uint32_t)at;
    memcpy(v->chars + at, fs_intern_str(&ctx->forms, id), len + 1);
    at += len + 1;
  }
  v->form_off[nf] = (uint32_t)at;
  for (size_t i = 0; i < ns; i++) {
    uint32_t id = (uint32_t)(s0 + i);
    size_t len = fs_intern_len(&ctx->stems, id);
    v->stem_off[i] = (uint32_t)at;
    memcpy(v->chars + at, fs_intern_str(&ctx->stems, id), len + 1);
    at += len + 1;
  }
  v->stem_off[ns] = (uint32_t)at;
  mark->forms = ctx->forms.count;
  mark->stems = ctx->stems.count;
  return v;
}
