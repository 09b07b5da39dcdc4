/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stem.c - the analysis context: a Snowball stemmer per context and a cache of
 * word forms, so each distinct lowercased form is stemmed and looked up in
 * the lexicon once per run. */
#include "internal.h"
#include "utf8.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

static int special_forms(fs_ctx *ctx);

fs_ctx *fs_ctx_new(const fs_lexicon *lex, fs_error *err) {
  return fs_ctx_new_lang(lex, lex->langs[0], err);
}

fs_ctx *fs_ctx_new_lang(const fs_lexicon *lex, const char *lang,
                        fs_error *err) {
  long k = fs_lexicon_lang_find(lex, lang);
  if (k < 0) {
    fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                 "the lexicon has no language '%s'", lang ? lang : "");
    return NULL;
  }
  if (fs_lexicon_freeze((fs_lexicon *)lex, err) != FS_OK)
    return NULL;
  fs_ctx *ctx = calloc(1, sizeof *ctx);
  if (!ctx) {
    fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  ctx->lex = lex;
  ctx->lang = (uint8_t)k;
  ctx->dash_speech = fs_lang_dash_speech(lang);
  ctx->quoted_names = fs_lang_quoted_names(lang);
  ctx->surf_batch = FS_SURF_BATCH;
  ctx->stemmer = sb_stemmer_new(lang, "UTF_8");
  if (!ctx->stemmer) {
    free(ctx);
    fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "cannot create stemmer");
    return NULL;
  }
  fs_intern_init(&ctx->forms);
  fs_intern_init(&ctx->stems);
  fs_intern_init(&ctx->special);
  fs_intern_init(&ctx->surfaces);
  if (special_forms(ctx)) {
    fs_ctx_free(ctx);
    fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  return ctx;
}

void fs_ctx_free(fs_ctx *ctx) {
  if (!ctx)
    return;
  sb_stemmer_delete(ctx->stemmer);
  fs_intern_free(&ctx->forms);
  fs_intern_free(&ctx->stems);
  fs_intern_free(&ctx->special);
  fs_intern_free(&ctx->surfaces);
  free(ctx->surface_form);
  fs_surface_free(ctx);
  free(ctx->form_stem);
  free(ctx->form_bits);
  free(ctx->form_lex);
  free(ctx->lexforms);
  free(ctx->roots);
  free(ctx->fold);
  fs_doc_free(ctx->spare);
  fs_tagger_cache_free(ctx->tagger);
  fs_vector_memo_free(ctx->vmemo);
  free(ctx);
}

const char *fs_ctx_form(const fs_ctx *ctx, uint32_t form) {
  return form < ctx->forms.count ? fs_intern_str(&ctx->forms, form) : "";
}

const char *fs_ctx_stem(const fs_ctx *ctx, uint32_t stem) {
  return stem < ctx->stems.count ? fs_intern_str(&ctx->stems, stem) : "";
}

const char *fs_ctx_lang(const fs_ctx *ctx) { return ctx->lex->langs[ctx->lang]; }

size_t fs_ctx_form_count(const fs_ctx *ctx) { return ctx->forms.count; }
size_t fs_ctx_stem_count(const fs_ctx *ctx) { return ctx->stems.count; }
size_t fs_ctx_stem_calls(const fs_ctx *ctx) { return ctx->stem_calls; }

/* Forms after which a period does not end a sentence (Mr., Gen.), and
 * words that usually open one (after "U.S." only these split). */
static const char *const abbreviations[] = {
    "mr",   "mrs",  "ms",   "dr",  "prof", "gen",  "sen",  "rep",  "gov",
    "lt",   "col",  "capt", "sgt", "st",   "jr",   "sr",   "vs",   "etc",
    "inc",  "corp", "co",   "ltd", "no",   "jan",  "feb",  "mar",  "apr",
    "jun",  "jul",  "aug",  "sep", "sept", "oct",  "nov",  "dec",  "mt",
    "ft",   "fig",  "ave",  "rev", "hon",  "pres", "adm",  "maj",  "cpl",
    "pvt",  "supt", "dept", "univ", "est", "approx", "cmdr", "brig", "messrs",
    "gov't", "atty", "op",  "vol", "pp",  "ch",   "art",  "para", NULL};

static const char *const starters[] = {
    "the",  "he",    "she",  "it",   "they",  "we",   "i",     "but",
    "and",  "in",    "a",    "an",   "this",  "that", "there", "on",
    "at",   "for",   "his",  "her",  "their", "its",  "after", "as",
    "when", "while", "however", "if", "some", "many", "most",  "both",
    "all",  "one",   "officials", "authorities", "meanwhile", "yet",
    "still", "so",   "those", "these", "what", "our", "my", NULL};

/* Interns both lists, and fs_function_word()'s, into ctx->special with
 * their flags: a new form finds all of them in one lookup. */
static int special_forms(fs_ctx *ctx) {
  const char *const *lists[4] = {abbreviations, starters,
                                 fs_function_word_list(0),
                                 fs_function_word_list(1)};
  const uint8_t flag[4] = {FS_FORM_ABBREV, FS_FORM_STARTER, FS_FORM_FUNCTION,
                           FS_FORM_FUNCTION};
  for (int l = 0; l < 4; l++)
    for (const char *const *a = lists[l]; *a; a++) {
      uint32_t id = fs_intern_add(&ctx->special, *a, strlen(*a));
      if (id == FS_NONE || id >= sizeof ctx->special_flags)
        return -1;
      ctx->special_flags[id] |= flag[l];
    }
  return 0;
}

static uint8_t form_flags(const fs_ctx *ctx, const char *form, size_t len) {
  uint32_t id = fs_intern_find(&ctx->special, form, len);
  return id == FS_NONE ? 0 : ctx->special_flags[id];
}

/* The first-word filter of form f (fs_form.walk_always, next_bits) and its
 * bits as a next word (as_next): the matcher turns most candidates away
 * with one AND of the next token's bits instead of walking the trie. */
static void lead_filter(const fs_ctx *ctx, fs_form *f) {
  const fs_lexicon *lex = ctx->lex;
  f->walk_always = f->cased;
  f->next_bits = 0;
  for (uint32_t i = 0; i < f->nroot; i++) {
    const fs_tnode *nd = &lex->tnodes[ctx->roots[f->root + i]];
    if (nd->nend || (nd->kinds & (1u << FS_PW_GLOB | 1u << FS_PW_CASE)))
      f->walk_always = true;
    for (uint32_t j = 0; j < nd->nkid; j++)
      f->next_bits |= fs_trie_bit(lex->tkids[nd->kid + j].key);
  }
  f->as_next = 0;
  if (f->lex_stem != FS_NONE)
    f->as_next |= fs_trie_bit(fs_trie_key(FS_PW_STEM, f->lex_stem));
  if (f->lex_form != FS_NONE)
    f->as_next |= fs_trie_bit(fs_trie_key(FS_PW_EXACT, f->lex_form));
}

/* Fills the lexicon side of a new form: its stem and form ids in the
 * lexicon's strings, and the trie nodes its word reaches from the root. */
static int describe_form(fs_ctx *ctx, fs_form *f, const char *form, size_t flen,
                         const char *key, size_t klen, const char *stem,
                         size_t slen) {
  const fs_lexicon *lex = ctx->lex;
  f->lex_stem = fs_intern_find(&lex->strings, stem, slen);
  f->lex_form = fs_intern_find(&lex->strings, key, klen);
  f->root = (uint32_t)ctx->nroots;
  if (fs_trie_kids(lex, ctx->lang, f->lex_stem, f->lex_form, form, flen, &ctx->roots,
                   &ctx->nroots, &ctx->roots_cap))
    return -1;
  f->nroot = (uint32_t)(ctx->nroots - f->root);
  const uint32_t *list;
  f->cased = f->lex_form != FS_NONE &&
             fs_lexicon_first(lex, ctx->lang, FS_PW_CASE, f->lex_form,
                              &list) > 0;
  f->person = (f->lex_stem != FS_NONE || f->lex_form != FS_NONE) &&
              fs_lexicon_is_person(lex, ctx->lang, f->lex_stem, f->lex_form);
  lead_filter(ctx, f);
  return 0;
}

uint32_t fs_ctx_form_id(fs_ctx *ctx, const char *s, size_t len) {
  /* bounded work and memory per form: a lexicon word is at most 256 bytes,
   * so a longer prefix changes no match */
  if (len > FS_WORD_LOOKUP_MAX) {
    len = FS_WORD_LOOKUP_MAX;
    while (len > FS_WORD_LOOKUP_MAX - 3 &&
           ((unsigned char)s[len] & 0xC0) == 0x80)
      len--;
  }
  /* most tokens repeat a surface seen before: skip folding for them */
  size_t nsurf = ctx->surfaces.count;
  uint32_t sid = fs_intern_add(&ctx->surfaces, s, len);
  if (sid == FS_NONE)
    return FS_NONE;
  if (sid < nsurf)
    return ctx->surface_form[sid];
  if (fs_grow(&ctx->surface_form, &ctx->surface_form_cap, sid + 1,
              sizeof *ctx->surface_form))
    return FS_NONE;
  uint32_t id = fs_ctx_fold_form(ctx, s, len);
  ctx->surface_form[sid] = id;
  return id;
}

/* Folds a surface never seen before and finds (or makes) its form. Its
 * callers pass at most FS_WORD_LOOKUP_MAX bytes. */
uint32_t fs_ctx_fold_form(fs_ctx *ctx, const char *s, size_t len) {
  /* folding may grow a code point to 3 bytes; the matching key (no longer
   * than the folded word) follows it */
  size_t need = 2 * (len * 3 + 8);
  if (need > ctx->fold_cap && fs_grow(&ctx->fold, &ctx->fold_cap, need, 1))
    return FS_NONE;
  size_t flen = fs_fold(s, len, ctx->fold, ctx->fold_cap / 2);
  size_t before = ctx->forms.count;
  uint32_t id = fs_intern_add(&ctx->forms, ctx->fold, flen);
  if (id == FS_NONE || ctx->forms.count == before)
    return id;
  /* a new form: stem it once and find its lexicon candidates */
  size_t n = ctx->forms.count;
  if (fs_grow(&ctx->form_stem, &ctx->form_stem_cap, n, sizeof *ctx->form_stem) ||
      fs_grow(&ctx->form_bits, &ctx->form_bits_cap, n, sizeof *ctx->form_bits) ||
      fs_grow(&ctx->form_lex, &ctx->form_lex_cap, n, sizeof *ctx->form_lex))
    return FS_NONE;
  const char *form = fs_intern_str(&ctx->forms, id);
  if (ctx->share) { /* another thread's context may have stemmed it */
    int got = fs_form_share_adopt(ctx, id, form, flen);
    if (got)
      return got > 0 ? id : FS_NONE;
  }
  char *key = ctx->fold + ctx->fold_cap / 2;
  size_t klen = fs_spelling_key(form, flen, key, ctx->fold_cap / 2);
  if (!klen && flen)
    return FS_NONE;
  ctx->stem_calls++;
  const sb_symbol *st =
      sb_stemmer_stem(ctx->stemmer, (const sb_symbol *)key, (int)klen);
  if (!st)
    return FS_NONE;
  size_t slen = (size_t)sb_stemmer_length(ctx->stemmer);
  const char *root = fs_spelling_root(key, klen, (const char *)st, slen);
  if (root) {
    st = (const sb_symbol *)root;
    slen = strlen(root);
  }
  uint32_t stem = fs_intern_add(&ctx->stems, (const char *)st, slen);
  if (stem == FS_NONE)
    return FS_NONE;
  fs_form f;
  if (describe_form(ctx, &f, form, flen, key, klen,
                    fs_intern_str(&ctx->stems, stem), slen))
    return FS_NONE;
  bool lexical = f.lex_stem != FS_NONE || f.lex_form != FS_NONE;
  ctx->form_stem[id] = stem;
  ctx->form_bits[id] =
      form_flags(ctx, form, flen) |
      (f.nroot || f.cased ? FS_FORM_CAND : 0);
  ctx->form_lex[id] = FS_NONE;
  if ((lexical || f.nroot || f.cased) && fs_ctx_set_lexform(ctx, id, &f))
    return FS_NONE;
  if (ctx->share)
    fs_form_share_publish(ctx, id);
  return id;
}
