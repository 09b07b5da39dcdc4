/* SPDX-License-Identifier: GPL-3.0-or-later */
/* terms.c - term counts per outlet -> keyness of every stem (or surface
 * form): log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi
 * and Quinn 2008), G2, chi-square, PMI and Fisher, with BH q-values. */
#include "terms.h"
#include "internal.h"
#include "utf8.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FORMS_SHOWN 3

/* The merged vocabulary: every form and stem of the added documents, with
 * each form's stem and whether the lexicon can match it. */
struct fs_terms_names {
  fs_intern forms, stems;
  uint32_t *form_stem;
  uint8_t *form_lex;
  size_t form_cap, lex_cap;
};

void fs_terms_init(fs_terms *t, const fs_ctx *ctx, int voice, bool surface) {
  memset(t, 0, sizeof *t);
  t->ctx = ctx;
  t->voice = voice;
  t->surface = surface;
}

void fs_terms_free(fs_terms *t) {
  if (!t)
    return;
  for (size_t o = 0; o < t->noutlets; o++) {
    free(t->outlets[o]);
    free(t->count[o]);
    free(t->docfreq[o]);
  }
  for (size_t i = 0; i < t->nsources; i++) {
    free(t->sources[i].form);
    free(t->sources[i].stem);
  }
  if (t->names) {
    fs_intern_free(&t->names->forms);
    fs_intern_free(&t->names->stems);
    free(t->names->form_stem);
    free(t->names->form_lex);
    free(t->names);
  }
  free(t->sources);
  free(t->outlets);
  free(t->count);
  free(t->docfreq);
  free(t->outlet_tokens);
  free(t->outlet_docs);
  free(t->last_doc);
  free(t->form_count);
  free(t->rows);
  free(t->prior);
  free(t->in_lex);
  free(t->top);
  memset(t, 0, sizeof *t);
}

static uint32_t outlet_id(fs_terms *t, const char *name) {
  for (size_t i = 0; i < t->noutlets; i++)
    if (!strcmp(t->outlets[i], name))
      return (uint32_t)i;
  size_t n = t->noutlets + 1;
  char **outlets = realloc(t->outlets, n * sizeof *outlets);
  if (outlets)
    t->outlets = outlets;
  uint32_t **count = realloc(t->count, n * sizeof *count);
  if (count)
    t->count = count;
  uint32_t **df = realloc(t->docfreq, n * sizeof *df);
  if (df)
    t->docfreq = df;
  double *tok = realloc(t->outlet_tokens, n * sizeof *tok);
  if (tok)
    t->outlet_tokens = tok;
  size_t *docs = realloc(t->outlet_docs, n * sizeof *docs);
  if (docs)
    t->outlet_docs = docs;
  if (!outlets || !count || !df || !tok || !docs)
    return FS_NONE;
  size_t o = t->noutlets;
  t->outlets[o] = strdup(name);
  t->count[o] = calloc(t->cap ? t->cap : 1, sizeof **t->count);
  t->docfreq[o] = calloc(t->cap ? t->cap : 1, sizeof **t->docfreq);
  t->outlet_tokens[o] = 0;
  t->outlet_docs[o] = 0;
  if (!t->outlets[o] || !t->count[o] || !t->docfreq[o])
    return FS_NONE;
  t->noutlets++;
  return (uint32_t)o;
}

/* Makes room for term ids below `need` in every per-term array. */
static int reserve(fs_terms *t, size_t need) {
  if (need <= t->cap)
    return 0;
  size_t cap = t->cap ? t->cap : 4096;
  while (cap < need) /* by half: 2 x outlets arrays of every term */
    cap += cap / 2;
  for (size_t o = 0; o < t->noutlets; o++) {
    uint32_t *c = realloc(t->count[o], cap * sizeof *c);
    if (c)
      t->count[o] = c;
    uint32_t *d = realloc(t->docfreq[o], cap * sizeof *d);
    if (d)
      t->docfreq[o] = d;
    if (!c || !d)
      return -1;
    memset(c + t->cap, 0, (cap - t->cap) * sizeof *c);
    memset(d + t->cap, 0, (cap - t->cap) * sizeof *d);
  }
  uint32_t *last = realloc(t->last_doc, cap * sizeof *last);
  if (!last)
    return -1;
  t->last_doc = last;
  memset(last + t->cap, 0xff, (cap - t->cap) * sizeof *last);
  t->cap = cap;
  return 0;
}

/* The source's record, made when new; NULL when out of memory. */
static fs_terms_source *source_get(fs_terms *t, size_t source) {
  if (!t->names) {
    t->names = calloc(1, sizeof *t->names);
    if (!t->names)
      return NULL;
    fs_intern_init(&t->names->forms);
    fs_intern_init(&t->names->stems);
  }
  if (source >= t->nsources) {
    fs_terms_source *s = realloc(t->sources, (source + 1) * sizeof *s);
    if (!s)
      return NULL;
    memset(s + t->nsources, 0, (source + 1 - t->nsources) * sizeof *s);
    t->sources = s;
    t->nsources = source + 1;
  }
  return &t->sources[source];
}

/* Interns form s (len bytes) in nm; when it is new there, it gets stem and
 * lex. Its merged id in *id; FS_OK or FS_ERR_NOMEM. */
static int names_add_form(struct fs_terms_names *nm, const char *s, size_t len,
                          uint32_t stem, uint8_t lex, uint32_t *id) {
  size_t before = nm->forms.count;
  *id = fs_intern_add(&nm->forms, s, len);
  if (*id == FS_NONE)
    return FS_ERR_NOMEM;
  if (nm->forms.count != before) {
    if (fs_grow(&nm->form_stem, &nm->form_cap, *id + 1,
                sizeof *nm->form_stem) ||
        fs_grow(&nm->form_lex, &nm->lex_cap, *id + 1, sizeof *nm->form_lex))
      return FS_ERR_NOMEM;
    nm->form_stem[*id] = stem;
    nm->form_lex[*id] = lex;
  }
  return FS_OK;
}

/* Gives the delta's forms and stems their merged ids (new ones in the
 * delta's order). */
static int learn(fs_terms *t, fs_terms_source *s, const fs_vocab_delta *v) {
  struct fs_terms_names *nm = t->names;
  if (v->form_base != s->nforms || v->stem_base != s->nstems)
    return FS_ERR_USAGE;
  if (fs_grow(&s->stem, &s->stems_cap, s->nstems + v->nstems + 1,
              sizeof *s->stem) ||
      fs_grow(&s->form, &s->forms_cap, s->nforms + v->nforms + 1,
              sizeof *s->form))
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < v->nstems; i++) {
    uint32_t id =
        fs_intern_add(&nm->stems, v->chars + v->stem_off[i],
                      v->stem_off[i + 1] - v->stem_off[i] - 1);
    if (id == FS_NONE)
      return FS_ERR_NOMEM;
    s->stem[s->nstems++] = id;
  }
  for (size_t i = 0; i < v->nforms; i++) {
    if (v->form_stem[i] >= s->nstems)
      return FS_ERR_USAGE;
    uint32_t id;
    if (names_add_form(nm, v->chars + v->form_off[i],
                       v->form_off[i + 1] - v->form_off[i] - 1,
                       s->stem[v->form_stem[i]], v->form_lex[i], &id))
      return FS_ERR_NOMEM;
    s->form[s->nforms++] = id;
  }
  return FS_OK;
}

int fs_terms_add(fs_terms *t, const char *outlet, const fs_doc *d) {
  fs_vocab_delta *v = fs_vocab_take(t->ctx, &t->mark);
  if (!v)
    return FS_ERR_NOMEM;
  int rc = fs_terms_add_from(t, 0, v, outlet, d);
  free(v);
  return rc;
}

/* What counting a document starts with: the source's new words learned,
 * the outlet's id in *o and the room for every term; *s the source. */
static int begin_doc(fs_terms *t, size_t source, const fs_vocab_delta *v,
                     const char *outlet, fs_terms_source **s, uint32_t *o) {
  if (!(*s = source_get(t, source)))
    return FS_ERR_NOMEM;
  int rc = learn(t, *s, v);
  if (rc)
    return rc;
  *o = outlet_id(t, outlet && *outlet ? outlet : "(none)");
  if (*o == FS_NONE)
    return FS_ERR_NOMEM;
  size_t nforms = t->names->forms.count;
  size_t nterms = t->surface ? nforms : t->names->stems.count;
  if (reserve(t, nterms) ||
      fs_grow(&t->form_count, &t->form_count_cap, nforms,
              sizeof *t->form_count))
    return FS_ERR_NOMEM;
  for (size_t i = t->nforms_seen; i < nforms; i++)
    t->form_count[i] = 0;
  t->nforms_seen = nforms;
  return FS_OK;
}

int fs_terms_add_from(fs_terms *t, size_t source, const fs_vocab_delta *v,
                      const char *outlet, const fs_doc *d) {
  fs_terms_source *s;
  uint32_t o;
  int rc = begin_doc(t, source, v, outlet, &s, &o);
  if (rc)
    return rc;
  size_t nterms = t->surface ? t->names->forms.count : t->names->stems.count;
  uint32_t doc = (uint32_t)t->ndocs++;
  const uint32_t *fmap = s->form, *smap = s->stem;
  size_t words = 0;
  for (size_t k = 0; k < d->ntokens; k++) {
    const fs_tok *tk = &d->tokens[k];
    /* a word is a word or number token, as in every rate framescore
     * gives; numbers count in the denominator but are not terms */
    if (tk->kind != FS_TOK_WORD && tk->kind != FS_TOK_NUMBER)
      continue;
    if (t->voice != FS_VOICES && tk->voice != t->voice)
      continue;
    if (tk->kind == FS_TOK_NUMBER) {
      t->outlet_tokens[o]++;
      words++;
      continue;
    }
    if (tk->form >= s->nforms || tk->stem >= s->nstems)
      return FS_ERR_USAGE; /* ids the source's deltas did not give */
    uint32_t form = fmap[tk->form];
    uint32_t id = t->surface ? form : smap[tk->stem];
    t->count[o][id]++;
    t->form_count[form]++;
    if (t->last_doc[id] != doc) {
      t->last_doc[id] = doc;
      t->docfreq[o][id]++;
    }
    t->outlet_tokens[o]++;
    words++;
  }
  /* documents count when they have words in the voice, as in compare */
  t->outlet_docs[o] += words > 0;
  if (nterms > t->nterms)
    t->nterms = nterms;
  return FS_OK;
}

/* ---- a long document's words, gathered window by window ---------------- */

void fs_term_bag_init(fs_term_bag *b, int voice) {
  memset(b, 0, sizeof *b);
  b->voice = voice;
}

int fs_term_bag_add(fs_term_bag *b, const fs_doc *w) {
  for (size_t k = 0; k < w->ntokens; k++) {
    const fs_tok *tk = &w->tokens[k];
    if (tk->kind != FS_TOK_WORD && tk->kind != FS_TOK_NUMBER)
      continue;
    if (b->voice != FS_VOICES && tk->voice != b->voice)
      continue;
    if (tk->kind == FS_TOK_NUMBER) {
      b->numbers++;
      continue;
    }
    if (tk->form >= b->cap) {
      size_t old = b->cap;
      if (fs_grow(&b->slot, &b->cap, (size_t)tk->form + 1, sizeof *b->slot))
        return FS_ERR_NOMEM;
      memset(b->slot + old, 0, (b->cap - old) * sizeof *b->slot);
    }
    fs_term_bag_slot *sl = &b->slot[tk->form];
    if (!sl->count++) {
      if (fs_grow(&b->seen, &b->seen_cap, b->nseen + 1, sizeof *b->seen))
        return FS_ERR_NOMEM;
      b->seen[b->nseen++] = tk->form;
      sl->stem = tk->stem;
    }
  }
  return FS_OK;
}

/* ---- a bag filled by windows of several contexts -------------------------
 * Each context numbers the forms it meets in its own order, so the bag
 * keeps the document's own vocabulary: every form of the windows' tokens
 * (any voice: a context learns them all) by its string, in the order
 * first met, which is the order one context reading the windows in order
 * would have learnt those it did not know. fs_terms_add_bag learns them in
 * that order before the reading context's delta, so the merged ids, and
 * the order of ties in every table, are those of one thread. */

typedef struct own_form {
  uint32_t stem;  /* the bag's stem id */
  uint32_t count; /* tokens in the bag's voice */
  uint8_t lex;    /* a lexicon pattern can match it (as fs_vocab_delta) */
} own_form;

/* A context that analysed some of the windows: its form ids, the bag's. */
typedef struct own_map {
  const fs_ctx *ctx;
  uint32_t *local; /* [context form id] the bag's id + 1; 0: not met */
  size_t cap;
} own_map;

struct fs_term_bag_own {
  fs_intern forms, stems;
  own_form *f; /* [the bag's form id] */
  size_t fcap;
  own_map *maps;
  size_t nmaps;
};

static void own_maps_free(struct fs_term_bag_own *o) {
  for (size_t i = 0; i < o->nmaps; i++)
    free(o->maps[i].local);
  free(o->maps);
  o->maps = NULL;
  o->nmaps = 0;
}

static void own_free(struct fs_term_bag_own *o) {
  if (!o)
    return;
  own_maps_free(o);
  fs_intern_free(&o->forms);
  fs_intern_free(&o->stems);
  free(o->f);
  free(o);
}

static own_map *own_map_of(struct fs_term_bag_own *o, const fs_ctx *ctx) {
  for (size_t i = 0; i < o->nmaps; i++)
    if (o->maps[i].ctx == ctx)
      return &o->maps[i];
  own_map *m = realloc(o->maps, (o->nmaps + 1) * sizeof *m);
  if (!m)
    return NULL;
  o->maps = m;
  m = &o->maps[o->nmaps++];
  memset(m, 0, sizeof *m);
  m->ctx = ctx;
  return m;
}

/* The bag's id of form f of m's context, learnt when first met; FS_NONE
 * when out of memory. */
static uint32_t own_id(struct fs_term_bag_own *o, own_map *m, uint32_t f) {
  const fs_ctx *ctx = m->ctx;
  if (f >= m->cap) {
    size_t old = m->cap;
    if (fs_grow(&m->local, &m->cap, (size_t)f + 1, sizeof *m->local))
      return FS_NONE;
    memset(m->local + old, 0, (m->cap - old) * sizeof *m->local);
  }
  if (m->local[f])
    return m->local[f] - 1;
  size_t before = o->forms.count;
  uint32_t id = fs_intern_add(&o->forms, fs_intern_str(&ctx->forms, f),
                              fs_intern_len(&ctx->forms, f));
  if (id == FS_NONE)
    return FS_NONE;
  if (o->forms.count != before) {
    uint32_t st = ctx->form_stem[f];
    uint32_t sid = fs_intern_add(&o->stems, fs_intern_str(&ctx->stems, st),
                                 fs_intern_len(&ctx->stems, st));
    if (sid == FS_NONE || fs_grow(&o->f, &o->fcap, (size_t)id + 1, sizeof *o->f))
      return FS_NONE;
    const fs_form *fi = fs_ctx_lexform(ctx, f);
    o->f[id] = (own_form){
        sid, 0, fi->nroot > 0 || fi->cased || fi->lex_stem != FS_NONE};
  }
  m->local[f] = id + 1;
  return id;
}

int fs_term_bag_add_ctx(fs_term_bag *b, const fs_ctx *ctx, const fs_doc *w) {
  if (b->slot || b->words)
    return FS_ERR_USAGE; /* filled by fs_term_bag_add, or finished */
  if (!b->own) {
    if (!(b->own = calloc(1, sizeof *b->own)))
      return FS_ERR_NOMEM;
    fs_intern_init(&b->own->forms);
    fs_intern_init(&b->own->stems);
  }
  struct fs_term_bag_own *o = b->own;
  own_map *m = own_map_of(o, ctx);
  if (!m)
    return FS_ERR_NOMEM;
  for (size_t k = 0; k < w->ntokens; k++) {
    const fs_tok *tk = &w->tokens[k];
    if (tk->form == FS_NONE)
      continue;
    uint32_t id = own_id(o, m, tk->form);
    if (id == FS_NONE)
      return FS_ERR_NOMEM;
    if (b->voice != FS_VOICES && tk->voice != b->voice)
      continue;
    if (tk->kind == FS_TOK_NUMBER) {
      b->numbers++;
      continue;
    }
    if (tk->kind != FS_TOK_WORD || o->f[id].count++)
      continue;
    if (fs_grow(&b->seen, &b->seen_cap, b->nseen + 1, sizeof *b->seen))
      return FS_ERR_NOMEM;
    b->seen[b->nseen++] = id;
  }
  return FS_OK;
}

int fs_term_bag_finish(fs_term_bag *b) {
  /* what waits for its turn to be counted holds the document's words, not
   * an array as long as the context's vocabulary */
  uint32_t *w = malloc((3 * b->nseen + 1) * sizeof *w);
  if (!w)
    return FS_ERR_NOMEM;
  for (size_t k = 0; k < b->nseen; k++) {
    uint32_t f = b->seen[k];
    if (b->own) {
      const own_form *of = &b->own->f[f];
      w[3 * k] = f, w[3 * k + 1] = of->count, w[3 * k + 2] = of->stem;
    } else {
      const fs_term_bag_slot *sl = &b->slot[f];
      w[3 * k] = f, w[3 * k + 1] = sl->count, w[3 * k + 2] = sl->stem;
    }
  }
  free(b->slot), free(b->seen);
  b->slot = NULL, b->seen = NULL;
  b->cap = b->seen_cap = 0;
  b->words = w;
  if (b->own) /* the contexts may go now */
    own_maps_free(b->own);
  return FS_OK;
}

void fs_term_bag_free(fs_term_bag *b) {
  if (!b)
    return;
  free(b->slot);
  free(b->seen);
  free(b->words);
  own_free(b->own);
  memset(b, 0, sizeof *b);
}

/* Gives a bag's own forms and stems their merged ids, new ones in the
 * order the document met them: *fmap [the bag's form], *smap [its stem]
 * (the caller frees both). */
static int learn_own(fs_terms *t, const struct fs_term_bag_own *o,
                     uint32_t **fmap, uint32_t **smap) {
  struct fs_terms_names *nm = t->names;
  size_t nf = o->forms.count, ns = o->stems.count;
  *fmap = malloc((nf + 1) * sizeof **fmap);
  *smap = malloc((ns + 1) * sizeof **smap);
  if (!*fmap || !*smap)
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < ns; i++)
    (*smap)[i] = FS_NONE;
  for (size_t i = 0; i < nf; i++) {
    const own_form *of = &o->f[i];
    uint32_t *sid = &(*smap)[of->stem];
    if (*sid == FS_NONE &&
        (*sid = fs_intern_add(&nm->stems, fs_intern_str(&o->stems, of->stem),
                              fs_intern_len(&o->stems, of->stem))) ==
            FS_NONE)
      return FS_ERR_NOMEM;
    if (names_add_form(nm, fs_intern_str(&o->forms, (uint32_t)i),
                       fs_intern_len(&o->forms, (uint32_t)i), *sid, of->lex,
                       &(*fmap)[i]))
      return FS_ERR_NOMEM;
  }
  return FS_OK;
}

int fs_terms_add_bag(fs_terms *t, size_t source, const fs_vocab_delta *v,
                     const char *outlet, const fs_term_bag *b) {
  if (!b->words)
    return FS_ERR_USAGE; /* not finished */
  fs_terms_source *s;
  uint32_t o, *fmap = NULL, *smap = NULL;
  int rc = FS_ERR_NOMEM;
  /* a bag of several contexts: its own forms first, in the document's
   * order (every form of the reading context's delta is among them) */
  if (b->own && (!source_get(t, source) ||
                 (rc = learn_own(t, b->own, &fmap, &smap)))) {
    free(fmap), free(smap);
    return rc;
  }
  if ((rc = begin_doc(t, source, v, outlet, &s, &o))) {
    free(fmap), free(smap);
    return rc;
  }
  size_t nterms = t->surface ? t->names->forms.count : t->names->stems.count;
  uint32_t doc = (uint32_t)t->ndocs++;
  /* counted as fs_terms_add_from counts the tokens one by one: sums of
   * whole numbers, in any order the same */
  size_t words = b->numbers;
  t->outlet_tokens[o] += (double)b->numbers;
  for (size_t k = 0; k < b->nseen; k++) {
    uint32_t f = b->words[3 * k], n = b->words[3 * k + 1];
    uint32_t st = b->words[3 * k + 2];
    uint32_t form, id;
    if (fmap) {
      form = fmap[f];
      id = t->surface ? form : smap[st];
    } else {
      if (f >= s->nforms || st >= s->nstems)
        return FS_ERR_USAGE; /* ids the source's deltas did not give */
      form = s->form[f];
      id = t->surface ? form : s->stem[st];
    }
    t->count[o][id] += n;
    t->form_count[form] += n;
    if (t->last_doc[id] != doc) {
      t->last_doc[id] = doc;
      t->docfreq[o][id]++;
    }
    t->outlet_tokens[o] += (double)n;
    words += n;
  }
  free(fmap), free(smap);
  t->outlet_docs[o] += words > 0;
  if (nterms > t->nterms)
    t->nterms = nterms;
  return FS_OK;
}

int fs_terms_set_prior(fs_terms *t, const char *data, size_t len,
                       const char *file, fs_error *err) {
  free(t->prior);
  t->prior = calloc(t->nterms ? t->nterms : 1, sizeof *t->prior);
  if (!t->prior)
    return fs_error_set(err, FS_ERR_NOMEM, file, 0, 0, "out of memory");
  if (!t->names)
    return fs_error_set(err, FS_ERR_INPUT, file, 0, 0,
                        "no documents were counted");
  const fs_intern *names = t->surface ? &t->names->forms : &t->names->stems;
  size_t i = 0;
  long line = 0;
  t->prior_total = 0;
  while (i < len) {
    const char *nl = memchr(data + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - data) : len;
    line++;
    size_t e = end;
    if (e > i && data[e - 1] == '\r')
      e--;
    const char *sep = NULL;
    for (size_t k = i; k < e; k++)
      if (data[k] == '\t' || data[k] == ',') {
        sep = data + k;
        break;
      }
    if (e > i && data[i] != '#') {
      if (!sep)
        return fs_error_set(err, FS_ERR_INPUT, file, line,
                            fs_utf8_col(data + i, e - i),
                            "expected term<TAB>count");
      char num[64];
      size_t nl2 = (size_t)(data + e - sep - 1);
      snprintf(num, sizeof num, "%.*s", (int)(nl2 < 63 ? nl2 : 63), sep + 1);
      char *endp;
      double v = strtod(num, &endp);
      if (endp == num || *endp || !isfinite(v) || v < 0) {
        if (line == 1)
          goto next; /* a header line */
        return fs_error_set(err, FS_ERR_INPUT, file, line,
                            fs_utf8_col(data + i,
                                        (size_t)(sep - data) - i + 1),
                            "count '%s' is not a non-negative number", num);
      }
      uint32_t id = fs_intern_find(names, data + i, (size_t)(sep - data - i));
      t->prior_total += v;
      if (id != FS_NONE && id < t->nterms)
        t->prior[id] = v;
    }
  next:
    i = end + 1;
  }
  if (t->prior_total <= 0)
    return fs_error_set(err, FS_ERR_INPUT, file, 0, 0,
                        "the prior holds no counts");
  return FS_OK;
}

/* ---- statistics ---------------------------------------------------------- */

/* One pass over the forms: which terms the lexicon knows, and each stem's
 * most frequent forms. */
static int index_forms(fs_terms *t) {
  const struct fs_terms_names *nm = t->names;
  size_t nt = t->nterms ? t->nterms : 1;
  t->in_lex = calloc(nt, sizeof *t->in_lex);
  t->top = malloc(nt * FORMS_SHOWN * sizeof *t->top);
  if (!t->in_lex || !t->top)
    return -1;
  memset(t->top, 0xff, nt * FORMS_SHOWN * sizeof *t->top);
  for (size_t f = 0; f < t->nforms_seen; f++) {
    uint32_t term = t->surface ? (uint32_t)f : nm->form_stem[f];
    if (term >= t->nterms)
      continue;
    if (nm->form_lex[f])
      t->in_lex[term] = true;
    if (!t->form_count[f])
      continue;
    uint32_t *best = &t->top[term * FORMS_SHOWN];
    size_t pos = FORMS_SHOWN;
    while (pos > 0 && (best[pos - 1] == FS_NONE ||
                       t->form_count[best[pos - 1]] < t->form_count[f])) {
      if (pos < FORMS_SHOWN)
        best[pos] = best[pos - 1];
      pos--;
    }
    if (pos < FORMS_SHOWN)
      best[pos] = (uint32_t)f;
  }
  return 0;
}

/* Statistics of a row depend only on (count_a, count_b, prior count) once
 * the comparison is fixed, and a large vocabulary has few distinct such
 * tuples (most terms occur once or twice): each is computed once. */
typedef struct memo {
  double a, c, aw; /* the key */
  double log_odds, z, p, g2, g2_p, chi2, chi2_p, pmi, fisher_p, q, g2_q;
  size_t n; /* rows with this key */
} memo;

typedef struct memo_table {
  uint32_t *slots; /* index + 1 */
  size_t nslots;
  memo *v;
  size_t n, cap;
} memo_table;

static uint64_t key_hash(double a, double c, double aw) {
  uint64_t x[3];
  memcpy(&x[0], &a, 8), memcpy(&x[1], &c, 8), memcpy(&x[2], &aw, 8);
  return fs_hash((const char *)x, sizeof x);
}

/* Returns the memo entry for the key, computing its statistics when new;
 * NULL when out of memory. */
static memo *memo_get(memo_table *mt, double a, double c, double aw,
                      double na, double nb, double a0) {
  if ((mt->n + 1) * 2 > mt->nslots) {
    size_t ns = mt->nslots ? 2 * mt->nslots : 4096;
    uint32_t *slots = calloc(ns, sizeof *slots);
    if (!slots)
      return NULL;
    for (size_t i = 0; i < mt->n; i++) {
      size_t h = key_hash(mt->v[i].a, mt->v[i].c, mt->v[i].aw) & (ns - 1);
      while (slots[h])
        h = (h + 1) & (ns - 1);
      slots[h] = (uint32_t)i + 1;
    }
    free(mt->slots);
    mt->slots = slots;
    mt->nslots = ns;
  }
  size_t h = key_hash(a, c, aw) & (mt->nslots - 1);
  for (; mt->slots[h]; h = (h + 1) & (mt->nslots - 1)) {
    memo *m = &mt->v[mt->slots[h] - 1];
    if (m->a == a && m->c == c && m->aw == aw)
      return m;
  }
  if (fs_grow(&mt->v, &mt->cap, mt->n + 1, sizeof *mt->v))
    return NULL;
  memo *m = &mt->v[mt->n];
  mt->slots[h] = (uint32_t)++mt->n;
  memset(m, 0, sizeof *m);
  m->a = a, m->c = c, m->aw = aw;
  fs_stat_log_odds_result lo = fs_stat_log_odds(a, na, c, nb, aw, a0);
  m->log_odds = lo.delta, m->z = isfinite(lo.z) ? lo.z : 0, m->p = lo.p;
  fs_stat_table tb = {a, na - a, c, nb - c};
  fs_stat_g2_result g = fs_stat_g2(tb);
  m->g2 = g.g2_williams, m->g2_p = g.p;
  fs_stat_chi2_result x = fs_stat_chi2_yates(tb);
  m->chi2 = x.chi2, m->chi2_p = x.p;
  m->pmi = fs_stat_pmi(tb);
  double n = na + nb, k = a + c;
  double min_e = fmin(fmin(na * k / n, nb * k / n),
                      fmin(na * (n - k) / n, nb * (n - k) / n));
  m->fisher_p = min_e < 5 ? fs_stat_fisher(tb) : NAN;
  return m;
}

/* Benjamini-Hochberg over the rows of a comparison, computed on distinct
 * p-values with their multiplicities (the same q as R's p.adjust "BH" on
 * the expanded list): q of a group = min(1, min over groups with p at least
 * as large of m p / (rank of their last row)). `which` 0: log-odds p, 1:
 * G2 p. */
static int bh_grouped(memo_table *mt, int which) {
  size_t n = mt->n, m = 0;
  if (n == 0)
    return 0;
  double *p = malloc((n + 1) * sizeof *p);
  size_t *order = malloc((n + 1) * sizeof *order);
  if (!p || !order) {
    free(p), free(order);
    return -1;
  }
  for (size_t i = 0; i < n; i++) {
    p[i] = which ? mt->v[i].g2_p : mt->v[i].p;
    if (isnan(p[i]))
      p[i] = INFINITY; /* sorts last, counts in no rank */
    else
      m += mt->v[i].n;
  }
  gsl_sort_index(order, p, 1, n);
  size_t rank = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(p[order[i]]))
      rank += mt->v[order[i]].n;
  double running = 1.0;
  for (size_t i = n; i-- > 0;) {
    memo *e = &mt->v[order[i]];
    double q = NAN;
    if (isfinite(p[order[i]])) {
      running = fmin(running, (double)m * p[order[i]] / (double)rank);
      q = fmin(1.0, running);
      rank -= e->n;
    }
    if (which)
      e->g2_q = q;
    else
      e->q = q;
  }
  free(p), free(order);
  return 0;
}

typedef struct sort_key {
  double z;
  uint32_t term;
  uint32_t row; /* its memo entry */
} sort_key;

static int cmp_key(const void *x, const void *y) {
  const sort_key *a = x, *b = y;
  if (a->z != b->z)
    return a->z > b->z ? -1 : 1;
  return a->term < b->term ? -1 : a->term > b->term;
}

/* One comparison: outlet a against outlet b, or against the rest. */
typedef struct comparison {
  uint32_t a, b; /* b == FS_NONE: the rest */
  double na, nb; /* their words */
  size_t docs_b;
  const double *total, *dftotal; /* [term] over every outlet */
} comparison;

/* A row's counts and rates (its statistics come from the memo). */
static void fill_counts(const fs_terms *t, const comparison *c, uint32_t id,
                        fs_terms_row *r) {
  r->a = c->a;
  r->b = c->b;
  r->term = id;
  r->count_a = t->count[c->a][id];
  r->docs_a = t->docfreq[c->a][id];
  r->docs_total_a = t->outlet_docs[c->a];
  if (c->b != FS_NONE) {
    r->count_b = t->count[c->b][id];
    r->docs_b = t->docfreq[c->b][id];
  } else {
    r->count_b = c->total[id] - r->count_a;
    r->docs_b = (size_t)c->dftotal[id] - r->docs_a;
  }
  r->docs_total_b = c->docs_b;
  r->rate_a = c->na > 0 ? 1000.0 * r->count_a / c->na : NAN;
  r->rate_b = c->nb > 0 ? 1000.0 * r->count_b / c->nb : NAN;
}

static void fill_stats(fs_terms_row *r, const memo *e) {
  r->log_odds = e->log_odds, r->z = e->z, r->p = e->p, r->q = e->q;
  r->g2 = e->g2, r->g2_p = e->g2_p, r->g2_q = e->g2_q;
  r->chi2 = e->chi2, r->chi2_p = e->chi2_p, r->pmi = e->pmi;
  r->fisher_p = e->fisher_p;
}

int fs_terms_run(fs_terms *t, const fs_terms_opts *o, fs_error *err) {
  uint32_t pa, pb;
  if (fs_find_pair(t->outlets, t->noutlets, o->pair, &pa, &pb, err))
    return FS_ERR_USAGE;
  size_t nt = t->nterms;
  double *total = calloc(nt ? nt : 1, sizeof *total);
  double *dftotal = calloc(nt ? nt : 1, sizeof *dftotal);
  bool *keep = calloc(nt ? nt : 1, sizeof *keep);
  memo_table mt = {0};
  sort_key *keys = NULL;
  int rc = FS_OK;
  if (!total || !dftotal || !keep || index_forms(t)) {
    rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto done;
  }
  double all = 0; /* the prior's total: every word, numbers included */
  for (size_t o2 = 0; o2 < t->noutlets; o2++)
    all += t->outlet_tokens[o2];
  for (size_t o2 = 0; o2 < t->noutlets; o2++)
    for (size_t id = 0; id < nt; id++) {
      total[id] += t->count[o2][id];
      dftotal[id] += t->docfreq[o2][id];
    }
  size_t nkeep = 0, nshown = 0; /* shown: kept and not skipped */
  for (size_t id = 0; id < nt; id++) {
    keep[id] = total[id] >= (double)o->min_count &&
               (!o->lexicon_only || t->in_lex[id]);
    nkeep += keep[id];
    nshown += keep[id] && !(o->skip && o->skip[id]);
  }
  size_t ncomp = pa != FS_NONE ? 1 : t->noutlets;
  size_t keep_rows = o->top > 0 && (size_t)o->top < nshown ? (size_t)o->top
                                                           : nshown;
  /* a comparison's terms are sorted by (z, term) with their memo entry;
   * only the kept ones (all, or the top N) become rows, emitted or kept
   * in t->rows */
  if (!o->emit)
    t->rows = calloc(ncomp * keep_rows + 1, sizeof *t->rows);
  keys = malloc((nkeep + 1) * sizeof *keys);
  if ((!o->emit && !t->rows) || !keys) {
    rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto done;
  }
  t->nrows = 0;
  for (size_t ci = 0; ci < ncomp; ci++) {
    comparison c = {pa != FS_NONE ? pa : (uint32_t)ci,
                    pa != FS_NONE ? pb : FS_NONE,
                    0, 0, 0, total, dftotal};
    c.na = t->outlet_tokens[c.a];
    if (pa != FS_NONE) {
      c.nb = t->outlet_tokens[pb];
      c.docs_b = t->outlet_docs[pb];
    } else {
      for (size_t o2 = 0; o2 < t->noutlets; o2++)
        if (o2 != c.a)
          c.nb += t->outlet_tokens[o2], c.docs_b += t->outlet_docs[o2];
    }
    double a0 = t->prior ? t->prior_total : all;
    size_t m = 0;
    mt.n = 0;
    if (mt.slots)
      memset(mt.slots, 0, mt.nslots * sizeof *mt.slots);
    for (size_t id = 0; id < nt; id++) {
      if (!keep[id])
        continue;
      fs_terms_row r;
      fill_counts(t, &c, (uint32_t)id, &r);
      if (r.count_a + r.count_b == 0)
        continue; /* --pair: a term neither outlet uses */
      double aw = t->prior ? (t->prior[id] > 0 ? t->prior[id] : 0.01)
                           : total[id];
      memo *e = memo_get(&mt, r.count_a, r.count_b, aw, c.na, c.nb, a0);
      if (!e) {
        rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto done;
      }
      e->n++;
      keys[m].term = (uint32_t)id;
      keys[m++].row = (uint32_t)(e - mt.v); /* the memo entry, for now */
    }
    if (bh_grouped(&mt, 0) || bh_grouped(&mt, 1)) {
      rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
      goto done;
    }
    for (size_t i = 0; i < m; i++)
      keys[i].z = mt.v[keys[i].row].z;
    /* by z, most distinctive first; ties by term id (first seen) */
    qsort(keys, m, sizeof *keys, cmp_key);
    if (o->skip) { /* the skipped terms counted in the q-values only */
      size_t w = 0;
      for (size_t i = 0; i < m; i++)
        if (!o->skip[keys[i].term])
          keys[w++] = keys[i];
      m = w;
    }
    size_t kept = m < keep_rows ? m : keep_rows;
    for (size_t i = 0; i < kept; i++) {
      fs_terms_row r;
      fill_counts(t, &c, keys[i].term, &r);
      fill_stats(&r, &mt.v[keys[i].row]);
      if (o->emit)
        o->emit(o->emit_user, t, &r);
      else
        t->rows[t->nrows + i] = r;
    }
    if (!o->emit)
      t->nrows += kept;
  }
done:
  free(total), free(dftotal), free(keep), free(keys);
  free(mt.slots), free(mt.v);
  return rc;
}

const char *fs_terms_name(const fs_terms *t, uint32_t term) {
  if (!t->names)
    return "";
  const fs_intern *names = t->surface ? &t->names->forms : &t->names->stems;
  return term < names->count ? fs_intern_str(names, term) : "";
}

size_t fs_terms_forms(const fs_terms *t, uint32_t term, char *buf,
                      size_t cap) {
  size_t o = 0;
  buf[0] = '\0';
  if (t->surface || !t->top || term >= t->nterms)
    return 0;
  for (size_t i = 0; i < FORMS_SHOWN; i++) {
    uint32_t f = t->top[term * FORMS_SHOWN + i];
    if (f == FS_NONE)
      break;
    /* "; form count", cut at cap - 1 bytes like snprintf */
    char num[16];
    size_t nl = 0;
    for (uint32_t c = t->form_count[f]; nl == 0 || c; c /= 10)
      num[sizeof num - 1 - nl++] = (char)('0' + c % 10);
    size_t fl = fs_intern_len(&t->names->forms, f);
    const char *parts[] = {"; ", fs_intern_str(&t->names->forms, f), " ",
                           num + sizeof num - nl};
    size_t lens[] = {i ? 2u : 0u, fl, 1, nl};
    for (size_t k = 0; k < 4; k++) {
      size_t n = lens[k] < cap - 1 - o ? lens[k] : cap - 1 - o;
      memcpy(buf + o, parts[k], n);
      o += n;
    }
    buf[o] = '\0';
  }
  return o;
}

/* ---- the vocabulary and counts of counts files (shard.c) ----------------- */

/* Keeps nterms, the per-term arrays and the form counts in step with the
 * names after they grew. */
static int names_grew(fs_terms *t) {
  size_t nforms = t->names->forms.count;
  size_t nterms = t->surface ? nforms : t->names->stems.count;
  if (reserve(t, nterms) ||
      fs_grow(&t->form_count, &t->form_count_cap, nforms + 1,
              sizeof *t->form_count))
    return FS_ERR_NOMEM;
  for (size_t i = t->nforms_seen; i < nforms; i++)
    t->form_count[i] = 0;
  t->nforms_seen = nforms;
  if (nterms > t->nterms)
    t->nterms = nterms;
  return FS_OK;
}

int fs_terms_learn_stem(fs_terms *t, const char *s, size_t len,
                        uint32_t *id) {
  if (!source_get(t, 0))
    return FS_ERR_NOMEM;
  *id = fs_intern_add(&t->names->stems, s, len);
  return *id == FS_NONE ? FS_ERR_NOMEM : names_grew(t);
}

int fs_terms_learn_form(fs_terms *t, const char *s, size_t len, uint32_t stem,
                        bool lex, uint32_t *id) {
  if (!source_get(t, 0))
    return FS_ERR_NOMEM;
  struct fs_terms_names *nm = t->names;
  if (stem >= nm->stems.count)
    return FS_ERR_USAGE;
  if (names_add_form(nm, s, len, stem, lex, id))
    return FS_ERR_NOMEM;
  return names_grew(t);
}

size_t fs_terms_nstems(const fs_terms *t) {
  return t->names ? t->names->stems.count : 0;
}

size_t fs_terms_nforms(const fs_terms *t) {
  return t->names ? t->names->forms.count : 0;
}

const char *fs_terms_stem(const fs_terms *t, uint32_t id, size_t *len) {
  *len = fs_intern_len(&t->names->stems, id);
  return fs_intern_str(&t->names->stems, id);
}

const char *fs_terms_form(const fs_terms *t, uint32_t id, size_t *len,
                          uint32_t *stem, bool *lex) {
  *len = fs_intern_len(&t->names->forms, id);
  *stem = t->names->form_stem[id];
  *lex = t->names->form_lex[id];
  return fs_intern_str(&t->names->forms, id);
}

uint32_t fs_terms_outlet(fs_terms *t, const char *name) {
  for (size_t i = 0; i < t->noutlets; i++)
    if (!strcmp(t->outlets[i], name))
      return (uint32_t)i;
  if (reserve(t, 1))
    return FS_NONE;
  return outlet_id(t, name);
}

/* a + b within uint32_t, or false */
static bool add32(uint32_t *a, uint64_t b) {
  if (b > UINT32_MAX - *a)
    return false;
  *a += (uint32_t)b;
  return true;
}

int fs_terms_add_counts(fs_terms *t, uint32_t outlet, uint32_t term,
                        uint64_t count, uint64_t docs) {
  if (outlet >= t->noutlets || term >= t->nterms)
    return FS_ERR_USAGE;
  return add32(&t->count[outlet][term], count) &&
                 add32(&t->docfreq[outlet][term], docs)
             ? FS_OK
             : FS_ERR_INPUT;
}

int fs_terms_add_form_count(fs_terms *t, uint32_t form, uint64_t count) {
  if (form >= t->nforms_seen)
    return FS_ERR_USAGE;
  return add32(&t->form_count[form], count) ? FS_OK : FS_ERR_INPUT;
}

uint32_t fs_terms_find(const fs_terms *t, const char *s, size_t len) {
  if (!t->names)
    return FS_NONE;
  uint32_t id = fs_intern_find(t->surface ? &t->names->forms
                                          : &t->names->stems,
                               s, len);
  return id < t->nterms ? id : FS_NONE;
}

/* One analysing context of a lookup. */
typedef struct lookup_source {
  uint32_t *map; /* the context's stem (form with surface) id -> term */
  size_t n, cap;
  size_t nforms, nstems; /* what the context's deltas gave so far */
} lookup_source;

struct fs_terms_lookup {
  const fs_terms *t;
  lookup_source *src;
  size_t nsrc;
};

fs_terms_lookup *fs_terms_lookup_new(const fs_terms *t) {
  fs_terms_lookup *l = calloc(1, sizeof *l);
  if (l)
    l->t = t;
  return l;
}

void fs_terms_lookup_free(fs_terms_lookup *l) {
  if (!l)
    return;
  for (size_t i = 0; i < l->nsrc; i++)
    free(l->src[i].map);
  free(l->src);
  free(l);
}

int fs_terms_lookup_learn(fs_terms_lookup *l, size_t source,
                          const fs_vocab_delta *v) {
  if (source >= l->nsrc) {
    void *p = realloc(l->src, (source + 1) * sizeof *l->src);
    if (!p)
      return FS_ERR_NOMEM;
    l->src = p;
    memset(l->src + l->nsrc, 0, (source + 1 - l->nsrc) * sizeof *l->src);
    l->nsrc = source + 1;
  }
  lookup_source *s = &l->src[source];
  bool surface = l->t->surface;
  size_t n = surface ? v->nforms : v->nstems;
  const uint32_t *off = surface ? v->form_off : v->stem_off;
  if (v->form_base != s->nforms || v->stem_base != s->nstems)
    return FS_ERR_USAGE;
  if (fs_grow(&s->map, &s->cap, s->n + n + 1, sizeof *s->map))
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < n; i++)
    s->map[s->n++] =
        fs_terms_find(l->t, v->chars + off[i], off[i + 1] - off[i] - 1);
  s->nforms += v->nforms;
  s->nstems += v->nstems;
  return FS_OK;
}

uint32_t fs_terms_lookup_token(const fs_terms_lookup *l, size_t source,
                               const fs_token *tk) {
  if (tk->kind != FS_TOK_WORD || source >= l->nsrc)
    return FS_NONE;
  uint32_t id = l->t->surface ? tk->form : tk->stem;
  return id < l->src[source].n ? l->src[source].map[id] : FS_NONE;
}
