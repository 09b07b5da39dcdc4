/* stem.c - the analysis context: a Snowball stemmer per context and a cache of
 * word forms, so each distinct lowercased form is stemmed and looked up in
 * the lexicon once per run. */
#include "internal.h"
#include "utf8.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

fs_ctx *fs_ctx_new(const fs_lexicon *lex, fs_error *err) {
  if (fs_lexicon_freeze((fs_lexicon *)lex, err) != FS_OK)
    return NULL;
  fs_ctx *ctx = calloc(1, sizeof *ctx);
  if (!ctx) {
    fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  ctx->lex = lex;
  ctx->stemmer = sb_stemmer_new(lex->lang, "UTF_8");
  if (!ctx->stemmer) {
    free(ctx);
    fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "cannot create stemmer");
    return NULL;
  }
  fs_intern_init(&ctx->forms);
  fs_intern_init(&ctx->stems);
  return ctx;
}

void fs_ctx_free(fs_ctx *ctx) {
  if (!ctx)
    return;
  sb_stemmer_delete(ctx->stemmer);
  fs_intern_free(&ctx->forms);
  fs_intern_free(&ctx->stems);
  free(ctx->form_info);
  free(ctx->cands);
  free(ctx->fold);
  free(ctx);
}

const char *fs_ctx_form(const fs_ctx *ctx, uint32_t form) {
  return form < ctx->forms.count ? fs_intern_str(&ctx->forms, form) : "";
}

const char *fs_ctx_stem(const fs_ctx *ctx, uint32_t stem) {
  return stem < ctx->stems.count ? fs_intern_str(&ctx->stems, stem) : "";
}

size_t fs_ctx_form_count(const fs_ctx *ctx) { return ctx->forms.count; }
size_t fs_ctx_stem_count(const fs_ctx *ctx) { return ctx->stems.count; }
size_t fs_ctx_stem_calls(const fs_ctx *ctx) { return ctx->stem_calls; }

static int add_cands(fs_ctx *ctx, const uint32_t *list, size_t n) {
  if (fs_grow(&ctx->cands, &ctx->cands_cap, ctx->ncands + n,
              sizeof *ctx->cands))
    return -1;
  memcpy(ctx->cands + ctx->ncands, list, n * sizeof *list);
  ctx->ncands += n;
  return 0;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

/* Fills the lexicon side of a new form: its stem and form ids in the
 * lexicon's strings, and the entries whose first word can match it. */
static int describe_form(fs_ctx *ctx, fs_form *f, const char *form,
                         size_t flen, const char *stem, size_t slen) {
  const fs_lexicon *lex = ctx->lex;
  f->lex_stem = fs_intern_find(&lex->strings, stem, slen);
  f->lex_form = fs_intern_find(&lex->strings, form, flen);
  f->cand = (uint32_t)ctx->ncands;
  const uint32_t *list;
  size_t n;
  if (f->lex_stem != FS_NONE &&
      (n = fs_lexicon_first(lex, FS_PW_STEM, f->lex_stem, &list)) &&
      add_cands(ctx, list, n))
    return -1;
  if (f->lex_form != FS_NONE &&
      (n = fs_lexicon_first(lex, FS_PW_EXACT, f->lex_form, &list)) &&
      add_cands(ctx, list, n))
    return -1;
  if (f->lex_form != FS_NONE &&
      (n = fs_lexicon_first(lex, FS_PW_CASE, f->lex_form, &list)) &&
      add_cands(ctx, list, n))
    return -1;
  for (size_t g = 0; g < lex->nglobs; g++) {
    const fs_entry *e = &lex->entries[lex->globs[g]];
    uint32_t id = lex->pwords[e->word0].id;
    size_t plen = fs_intern_len(&lex->strings, id);
    if (plen <= flen && !memcmp(form, fs_intern_str(&lex->strings, id), plen) &&
        add_cands(ctx, &lex->globs[g], 1))
      return -1;
  }
  f->ncand = (uint32_t)(ctx->ncands - f->cand);
  if (f->ncand > 1)
    qsort(ctx->cands + f->cand, f->ncand, sizeof *ctx->cands, cmp_u32);
  return 0;
}

uint32_t fs_ctx_form_id(fs_ctx *ctx, const char *s, size_t len) {
  size_t need = len * 3 + 8; /* folding may grow a code point to 3 bytes */
  if (fs_grow(&ctx->fold, &ctx->fold_cap, need, 1))
    return FS_NONE;
  size_t flen = fs_fold(s, len, ctx->fold, ctx->fold_cap);
  size_t before = ctx->forms.count;
  uint32_t id = fs_intern_add(&ctx->forms, ctx->fold, flen);
  if (id == FS_NONE || ctx->forms.count == before)
    return id;
  /* a new form: stem it once and find its lexicon candidates */
  if (fs_grow(&ctx->form_info, &ctx->form_info_cap, ctx->forms.count,
              sizeof *ctx->form_info))
    return FS_NONE;
  const char *form = fs_intern_str(&ctx->forms, id);
  ctx->stem_calls++;
  const sb_symbol *st =
      sb_stemmer_stem(ctx->stemmer, (const sb_symbol *)form, (int)flen);
  if (!st)
    return FS_NONE;
  size_t slen = (size_t)sb_stemmer_length(ctx->stemmer);
  fs_form *f = &ctx->form_info[id];
  f->stem = fs_intern_add(&ctx->stems, (const char *)st, slen);
  if (f->stem == FS_NONE)
    return FS_NONE;
  if (describe_form(ctx, f, form, flen, fs_intern_str(&ctx->stems, f->stem),
                    slen))
    return FS_NONE;
  return id;
}
