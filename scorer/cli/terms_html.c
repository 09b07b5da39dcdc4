/* SPDX-License-Identifier: GPL-3.0-or-later */
/* terms_html.c - `terms --format html` and --stop-words: picks the terms a
 * page shows per comparison, reads the corpus again for their hits, and
 * renders the page (render_terms_html.c); stop-word lists -> terms left
 * out of the rows. */
#include "cli.h"
#include "internal.h"
#include "render_html.h"
#include "terms.h"
#include "window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_FREQ 300     /* the most frequent terms shown per comparison */
#define PAGE_TOP 20       /* the most distinctive per side (--top) */
#define HITS_PER_OUTLET 2 /* hits kept per term and outlet */
#define HITS_MAX 12       /* ... and per term */
#define HIT_CONTEXT 60    /* bytes of context on each side of a hit */

/* ---- stop words ---------------------------------------------------------- */

/* Marks the terms of the words of list (one a line, '#' comments) in skip,
 * each analysed as the terms were (stem, or lowercased form); the number of
 * words in *nwords. */
static int mark_words(const fs_terms *t, fs_ctx *ctx, char *list, size_t len,
                      bool *skip, size_t *nwords) {
  fs_error err = {0};
  *nwords = 0;
  for (size_t i = 0; i < len;) {
    size_t n = strcspn(list + i, "\n");
    char *line = list + i;
    i += n + 1;
    char *hash = memchr(line, '#', n);
    if (hash)
      n = (size_t)(hash - line);
    fs_doc *d = fs_doc_analyze(ctx, line, n, &err);
    if (!d)
      return FS_ERR_NOMEM;
    size_t nt;
    const fs_token *tk = fs_doc_tokens(d, &nt);
    for (size_t k = 0; k < nt; k++) {
      if (tk[k].kind != FS_TOK_WORD)
        continue;
      const char *s = t->surface ? fs_ctx_form(ctx, tk[k].form)
                                 : fs_ctx_stem(ctx, tk[k].stem);
      uint32_t id = fs_terms_find(t, s, strlen(s));
      if (id != FS_NONE)
        skip[id] = true;
      ++*nwords;
    }
    fs_doc_free(d);
  }
  return FS_OK;
}

int cli_stop_words(const cli_opts *o, const fs_terms *t, const char *lang,
                   fs_ctx *ctx, bool **skip, char *desc, size_t cap) {
  char path[4200], msg[512];
  *skip = NULL;
  desc[0] = '\0';
  if (o->stop_words && !strcmp(o->stop_words, "none"))
    return FS_OK;
  if (o->stop_words) {
    snprintf(path, sizeof path, "%s", o->stop_words);
  } else { /* the html page: the language's list, when it has one */
    cli_opts lo = *o;
    char dir[4096];
    lo.lang = lang;
    if (!cli_default_lexicon_dir(&lo, dir, sizeof dir))
      return FS_OK;
    snprintf(path, sizeof path, "%s/stopwords.txt", dir);
    FILE *f = fopen(path, "r");
    if (!f)
      return FS_OK;
    fclose(f);
  }
  char *data = NULL;
  size_t len = 0;
  if (cli_read_input(path, (size_t)16 << 20, &data, &len, msg, sizeof msg)) {
    cli_error("%s: %s", path, msg);
    return FS_ERR_INPUT;
  }
  fs_error err = {0};
  fs_lexicon *lex = NULL;
  fs_ctx *own = NULL;
  int rc = FS_OK;
  if (!ctx) { /* counts files: a stemmer of their language */
    if (!(lex = fs_lexicon_new(lang, &err)) ||
        !(own = fs_ctx_new(lex, &err))) {
      cli_print_error(&err);
      rc = FS_ERR_INPUT;
      goto done;
    }
    ctx = own;
  }
  size_t nwords = 0;
  if (!(*skip = calloc(t->nterms + 1, sizeof **skip)) ||
      mark_words(t, ctx, data, len, *skip, &nwords)) {
    cli_error("out of memory");
    rc = FS_ERR_NOMEM;
    goto done;
  }
  snprintf(desc, cap, "%s, %zu words", path, nwords);
done:
  if (rc) {
    free(*skip);
    *skip = NULL;
  }
  fs_ctx_free(own);
  fs_lexicon_free(lex);
  free(data);
  return rc;
}

/* ---- the terms a page shows ---------------------------------------------- */

typedef struct page_build {
  const fs_terms *t;
  long top;
  fs_terms_row *cur; /* the comparison being emitted, z descending */
  size_t ncur, curcap;
  fs_terms_row *rows; /* the chosen rows of every comparison */
  size_t nrows, rowscap;
  bool *chosen; /* [ncur] scratch */
  size_t *order;
  size_t chosencap, ordercap;
  int rc;
} page_build;

static int by_frequency(const void *x, const void *y, void *user) {
  const fs_terms_row *r = user;
  const fs_terms_row *a = &r[*(const size_t *)x], *b = &r[*(const size_t *)y];
  double fa = a->count_a + a->count_b, fb = b->count_a + b->count_b;
  if (fa != fb)
    return fa < fb ? 1 : -1;
  return a->term < b->term ? -1 : a->term > b->term;
}

/* Keeps, of the comparison in b->cur, the `top` most distinctive terms of
 * each side and the PAGE_FREQ most frequent, in z order. */
static void choose(page_build *b) {
  size_t n = b->ncur;
  if (!n || b->rc)
    return;
  if (fs_grow(&b->chosen, &b->chosencap, n, sizeof *b->chosen) ||
      fs_grow(&b->order, &b->ordercap, n, sizeof *b->order) ||
      fs_grow(&b->rows, &b->rowscap, b->nrows + n, sizeof *b->rows)) {
    b->rc = FS_ERR_NOMEM;
    return;
  }
  for (size_t i = 0; i < n; i++) {
    b->order[i] = i;
    b->chosen[i] = ((long)i < b->top && b->cur[i].z > 0) ||
                   ((long)(n - i) <= b->top && b->cur[i].z < 0);
  }
  qsort_r(b->order, n, sizeof *b->order, by_frequency, b->cur);
  for (size_t i = 0; i < n && i < PAGE_FREQ; i++)
    b->chosen[b->order[i]] = true;
  for (size_t i = 0; i < n; i++)
    if (b->chosen[i])
      b->rows[b->nrows++] = b->cur[i];
  b->ncur = 0;
}

static void emit_page(void *user, const fs_terms *t, const fs_terms_row *r) {
  page_build *b = user;
  (void)t;
  if (b->ncur && b->cur[0].a != r->a)
    choose(b);
  if (b->rc ||
      fs_grow(&b->cur, &b->curcap, b->ncur + 1, sizeof *b->cur)) {
    b->rc = FS_ERR_NOMEM;
    return;
  }
  b->cur[b->ncur++] = *r;
}

/* ---- their hits: the corpus read again ----------------------------------- */

typedef struct hits_run {
  const cli_opts *o; /* --window-bytes, --max-file-size */
  const fs_terms *t;
  const fs_corpus_doc *docs; /* the corpus' documents (hits name them by
                                number) */
  const fs_lexicon *lex;
  fs_terms_lookup *lookup;
  fs_terms_point *points;
  const uint32_t *point_of;
  size_t npoints;
  size_t *votes; /* [point * nfamilies + family] */
  size_t nfamilies;
  int32_t *fam; /* [token] scratch */
  size_t famcap;
} hits_run;

/* bytes [from, to) of a document of len bytes, cut back to whole
 * characters and words; text holds its bytes from offset base on (a long
 * document's: the part around a window; 0 for a document read whole) */
static char *piece(const char *text, size_t base, size_t len, size_t from,
                   size_t to, int side) { /* -1 left, 0 the hit, 1 right */
  /* offsets are the document's: byte x is text[x - base] */
  bool left = side < 0;
  if (to > len)
    to = len;
  if (left && from > 0) { /* start after a character and word boundary */
    while (from < to && ((unsigned char)text[from - base] & 0xC0) == 0x80)
      from++;
    const char *sp = memchr(text + (from - base), ' ', to - from);
    if (sp && (size_t)(sp - text) + base + 1 < to)
      from = (size_t)(sp - text) + base + 1;
  }
  if (side > 0 && to < len) {
    while (to > from && ((unsigned char)text[to - base] & 0xC0) == 0x80)
      to--;
    const char *sp = memrchr(text + (from - base), ' ', to - from);
    if (sp && sp > text + (from - base))
      to = (size_t)(sp - text) + base;
  }
  char *s = malloc(to - from + 4 + 1);
  if (!s)
    return NULL;
  size_t o = 0;
  if (left && from > 0)
    memcpy(s, "\xe2\x80\xa6", 3), o = 3; /* an ellipsis */
  memcpy(s + o, text + (from - base), to - from);
  o += to - from;
  if (side > 0 && to < len)
    memcpy(s + o, "\xe2\x80\xa6", 3), o += 3;
  s[o] = '\0';
  return s;
}

/* Has pt room for one more hit of outlet? */
static bool hit_room(const fs_terms_point *pt, uint32_t outlet) {
  size_t same = 0;
  for (size_t h = 0; h < pt->nhits; h++)
    same += pt->hits[h].outlet == outlet;
  return same < HITS_PER_OUTLET && pt->nhits < HITS_MAX;
}

/* The hit's three pieces, from text (the document's bytes from base on). */
static int hit_pieces(fs_terms_hit *x, const char *text, size_t base,
                      size_t len, size_t s, size_t e) {
  x->left =
      piece(text, base, len, s > HIT_CONTEXT ? s - HIT_CONTEXT : 0, s, -1);
  x->match = piece(text, base, len, s, e, 0);
  x->right = piece(text, base, len, e, e + HIT_CONTEXT, 1);
  return x->left && x->match && x->right ? FS_OK : FS_ERR_NOMEM;
}

static int add_hit(fs_terms_point *pt, uint32_t outlet, const fs_token *tk,
                   uint32_t doc, const char *text, size_t len) {
  if (!hit_room(pt, outlet))
    return FS_OK;
  fs_terms_hit *hs = realloc(pt->hits, (pt->nhits + 1) * sizeof *hs);
  if (!hs)
    return FS_ERR_NOMEM;
  pt->hits = hs;
  fs_terms_hit *x = &hs[pt->nhits];
  x->outlet = outlet;
  x->voice = tk->voice;
  x->doc = doc;
  pt->nhits++;
  return hit_pieces(x, text, 0, len, tk->byte_start, tk->byte_end);
}

/* The outlet of cd among the terms' (FS_NONE: none). */
static uint32_t hit_outlet(const fs_terms *t, const fs_corpus_doc *cd) {
  const char *outlet = cd->outlet && *cd->outlet ? cd->outlet : "(none)";
  uint32_t o = FS_NONE;
  for (size_t i = 0; i < t->noutlets; i++)
    if (!strcmp(t->outlets[i], outlet))
      o = (uint32_t)i;
  return o;
}

/* Marks in h->fam [nt] each token's lexicon family (the first match over
 * it), -1 for none. */
static int token_families(hits_run *h, const fs_match *m, size_t nm,
                          size_t nt) {
  if (fs_grow(&h->fam, &h->famcap, nt + 1, sizeof *h->fam))
    return FS_ERR_NOMEM;
  for (size_t k = 0; k < nt; k++)
    h->fam[k] = -1;
  for (size_t i = 0; h->lex && i < nm; i++)
    for (uint32_t k = m[i].tok_start; k < m[i].tok_end && k < nt; k++)
      if (h->fam[k] < 0)
        h->fam[k] = (int32_t)fs_lexicon_category_family_id(h->lex,
                                                           m[i].category);
  return FS_OK;
}

/* ---- a long document's hits, read in windows ------------------------------
 * Window by window, analysed on whichever thread is free and handed on
 * in order (window_pair.c): the shown terms' tokens
 * (found by their strings, which is what fs_terms_lookup_learn maps the
 * context's ids by), counted as hits_doc counts them, and of each term the
 * first HITS_PER_OUTLET hits with their context (no later hit of the
 * document can be kept: they share its outlet). A context reaches across
 * cuts: the bytes around the window are kept until the hits near its end
 * have theirs. In corpus order, long_hits_add adds them as hits_doc would. */

typedef struct long_hit {
  uint32_t point;
  uint8_t voice;
  size_t s, e; /* its bytes in the document */
  fs_terms_hit x;
} long_hit;

typedef struct long_hits {
  hits_run h;    /* a copy of the run's (its fam is this thread's) */
  uint32_t outlet;
  size_t *seen;  /* [npoints] */
  size_t *votes; /* [npoints * nfamilies] */
  uint8_t *kept; /* [npoints] hits kept */
  long_hit *hits;
  size_t nhits, hitscap, ready; /* hits[ready ..) lack their context */
  char *buf; /* the document's bytes [base, base + len) */
  size_t base, len, cap;
} long_hits;

static void long_hits_free(void *p) {
  long_hits *l = p;
  if (!l)
    return;
  for (size_t i = 0; i < l->nhits; i++)
    free(l->hits[i].x.left), free(l->hits[i].x.match),
        free(l->hits[i].x.right);
  free(l->hits), free(l->seen), free(l->votes), free(l->kept);
  free(l->buf), free(l->h.fam);
  free(l);
}

/* Gives the hits whose right context ends before the bytes kept do (all
 * at the end of the document, len its size) their pieces. */
static int long_hits_ready(long_hits *l, bool end) {
  size_t have = l->base + l->len;
  for (; l->ready < l->nhits; l->ready++) {
    long_hit *x = &l->hits[l->ready];
    if (!end && x->e + HIT_CONTEXT >= have)
      break;
    if (hit_pieces(&x->x, l->buf, l->base, end ? have : SIZE_MAX, x->s,
                   x->e))
      return FS_ERR_NOMEM;
  }
  return FS_OK;
}

static int long_hits_window(void *user, fs_ctx *ctx, fs_doc *w) {
  long_hits *l = user;
  const hits_run *h = &l->h;
  const fs_terms *t = h->t;
  size_t nt, nm, len;
  const fs_token *tk = fs_doc_tokens(w, &nt);
  const fs_match *m = fs_doc_matches(w, &nm);
  const char *bytes = fs_doc_text(w, &len);
  if (nt && !tk)
    return FS_ERR_NOMEM;
  /* keep what a context may still read: HIT_CONTEXT bytes before the
   * first hit waiting for its right context, or before this window */
  size_t from = l->ready < l->nhits ? l->hits[l->ready].s : l->base + l->len;
  from = from > HIT_CONTEXT ? from - HIT_CONTEXT : 0;
  if (from > l->base) {
    size_t drop = from - l->base < l->len ? from - l->base : l->len;
    memmove(l->buf, l->buf + drop, l->len - drop);
    l->len -= drop;
    l->base += drop;
  }
  if (fs_grow(&l->buf, &l->cap, l->len + len + 1, 1))
    return FS_ERR_NOMEM;
  memcpy(l->buf + l->len, bytes, len);
  l->len += len;
  if (token_families(&l->h, m, nm, nt))
    return FS_ERR_NOMEM;
  for (size_t k = 0; l->outlet != FS_NONE && k < nt; k++) {
    if ((t->voice != FS_VOICES && tk[k].voice != t->voice) ||
        tk[k].kind != FS_TOK_WORD)
      continue;
    const char *str = t->surface ? fs_ctx_form(ctx, tk[k].form)
                                 : fs_ctx_stem(ctx, tk[k].stem);
    uint32_t id = str ? fs_terms_find(t, str, strlen(str)) : FS_NONE;
    if (id == FS_NONE || h->point_of[id] == FS_NONE)
      continue;
    uint32_t p = h->point_of[id];
    l->seen[p]++;
    if (l->h.fam[k] >= 0 && (size_t)l->h.fam[k] < h->nfamilies)
      l->votes[p * h->nfamilies + (size_t)l->h.fam[k]]++;
    if (l->kept[p] >= HITS_PER_OUTLET)
      continue;
    if (fs_grow(&l->hits, &l->hitscap, l->nhits + 1, sizeof *l->hits))
      return FS_ERR_NOMEM;
    l->hits[l->nhits++] = (long_hit){p, tk[k].voice, tk[k].byte_start,
                                     tk[k].byte_end, {0}};
    l->kept[p]++;
  }
  return long_hits_ready(l, false);
}

/* cli_window_prep_fn: a long document's hits, window by window. */
static int long_hits_doc(void *user, fs_ctx *ctx, const fs_corpus_doc *cd,
                         int fd, fs_doc **doc, void **prep,
                         cli_stream_info *info) {
  const hits_run *h = user;
  fs_window_sum sum = {0};
  long_hits *l = calloc(1, sizeof *l);
  int rc = FS_ERR_NOMEM;
  *doc = NULL;
  if (!l)
    goto done;
  l->h = *h;
  l->h.fam = NULL, l->h.famcap = 0;
  l->outlet = hit_outlet(h->t, cd);
  size_t np = h->npoints;
  if (!(l->seen = calloc(np + 1, sizeof *l->seen)) ||
      !(l->votes = calloc(np * h->nfamilies + 1, sizeof *l->votes)) ||
      !(l->kept = calloc(np + 1, 1)) || fs_window_sum_init(&sum, ctx))
    goto done;
  if ((rc = cli_read_windows_paired(ctx, cd, fd, h->o, NULL, NULL, &sum,
                                    long_hits_window, l, doc, info)))
    goto done;
  if ((rc = long_hits_ready(l, true)))
    goto done;
  *prep = l;
  l = NULL;
done:
  if (rc) {
    fs_doc_free(*doc);
    *doc = NULL;
  }
  long_hits_free(l);
  fs_window_sum_free(&sum);
  return rc;
}

/* In corpus order: a long document's hits, as hits_doc adds them. */
static int long_hits_add(hits_run *h, long_hits *l, uint32_t doc) {
  for (size_t p = 0; p < h->npoints; p++) {
    h->points[p].seen += l->seen[p];
    for (size_t f = 0; f < h->nfamilies; f++)
      h->votes[p * h->nfamilies + f] += l->votes[p * h->nfamilies + f];
  }
  for (size_t i = 0; i < l->nhits; i++) {
    fs_terms_point *pt = &h->points[l->hits[i].point];
    if (!hit_room(pt, l->outlet))
      continue;
    fs_terms_hit *hs = realloc(pt->hits, (pt->nhits + 1) * sizeof *hs);
    if (!hs)
      return FS_ERR_NOMEM;
    pt->hits = hs;
    hs[pt->nhits] = l->hits[i].x; /* the pieces move */
    hs[pt->nhits].outlet = l->outlet;
    hs[pt->nhits].voice = l->hits[i].voice;
    hs[pt->nhits].doc = doc;
    l->hits[i].x = (fs_terms_hit){0};
    pt->nhits++;
  }
  return FS_OK;
}

static int hits_doc(void *user, const fs_corpus_doc *cd, char *text,
                    fs_doc *doc, void *prep, size_t source,
                    const fs_vocab_delta *vocab) {
  hits_run *h = user;
  const fs_terms *t = h->t;
  int rc = fs_terms_lookup_learn(h->lookup, source, vocab);
  uint32_t o = hit_outlet(t, cd);
  if (prep) { /* a long document, read in windows */
    if (rc == FS_OK)
      rc = long_hits_add(h, prep, (uint32_t)(cd - h->docs));
    long_hits_free(prep);
    fs_doc_free(doc);
    free(text);
    if (rc == FS_ERR_USAGE)
      cli_error("%s: word ids out of step with their context (a bug)",
                cd->path);
    else if (rc)
      cli_error("out of memory");
    return rc;
  }
  size_t nt, nm, len;
  const fs_token *tk = fs_doc_tokens(doc, &nt);
  const fs_match *m = fs_doc_matches(doc, &nm);
  const char *bytes = fs_doc_text(doc, &len);
  if (rc == FS_OK && token_families(h, m, nm, nt))
    rc = FS_ERR_NOMEM;
  for (size_t k = 0; rc == FS_OK && o != FS_NONE && k < nt; k++) {
    if (t->voice != FS_VOICES && tk[k].voice != t->voice)
      continue;
    uint32_t id = fs_terms_lookup_token(h->lookup, source, &tk[k]);
    if (id == FS_NONE || h->point_of[id] == FS_NONE)
      continue;
    fs_terms_point *pt = &h->points[h->point_of[id]];
    pt->seen++;
    if (h->fam[k] >= 0 && (size_t)h->fam[k] < h->nfamilies)
      h->votes[h->point_of[id] * h->nfamilies + (size_t)h->fam[k]]++;
    rc = add_hit(pt, o, &tk[k], (uint32_t)(cd - h->docs), bytes, len);
  }
  if (rc == FS_ERR_USAGE)
    cli_error("%s: word ids out of step with their context (a bug)",
              cd->path);
  else if (rc)
    cli_error("out of memory");
  fs_doc_free(doc);
  free(text);
  return rc;
}

static void free_points(fs_terms_point *p, size_t n) {
  for (size_t i = 0; p && i < n; i++) {
    for (size_t h = 0; h < p[i].nhits; h++)
      free(p[i].hits[h].left), free(p[i].hits[h].match),
          free(p[i].hits[h].right);
    free(p[i].hits);
  }
  free(p);
}

int cli_terms_html(const cli_opts *o, cli_session *ss, fs_terms *t,
                   const bool *skip, const char *stop_desc, FILE *out) {
  fs_error err = {0};
  page_build b = {.t = t, .top = o->top > 0 ? o->top : PAGE_TOP};
  fs_terms_opts to = {{o->pair[0], o->pair[1]}, o->min_count,
                      o->lexicon_only, 0, emit_page, &b, skip};
  hits_run h = {.o = o, .t = t};
  uint32_t *point_of = NULL;
  fs_terms_point *points = NULL;
  const char **files = NULL;
  size_t npoints = 0;
  int rc = fs_terms_run(t, &to, &err);
  if (rc) {
    cli_print_error(&err);
    goto done;
  }
  choose(&b);
  if ((rc = b.rc) ||
      !(point_of = malloc((t->nterms + 1) * sizeof *point_of)) ||
      !(points = calloc(b.nrows + 1, sizeof *points))) {
    rc = FS_ERR_NOMEM;
    cli_error("out of memory");
    goto done;
  }
  memset(point_of, 0xff, (t->nterms + 1) * sizeof *point_of);
  for (size_t i = 0; i < b.nrows; i++)
    if (point_of[b.rows[i].term] == FS_NONE) {
      point_of[b.rows[i].term] = (uint32_t)npoints;
      points[npoints].term = b.rows[i].term;
      points[npoints++].family = -1;
    }
  h.lex = ss->lex;
  h.docs = ss->corpus.docs;
  if (ss->corpus.ndocs &&
      !(files = malloc(ss->corpus.ndocs * sizeof *files))) {
    rc = FS_ERR_NOMEM;
    cli_error("out of memory");
    goto done;
  }
  for (size_t i = 0; i < ss->corpus.ndocs; i++)
    files[i] = ss->corpus.docs[i].path;
  h.points = points;
  h.point_of = point_of;
  h.npoints = npoints;
  h.nfamilies = ss->lex ? fs_lexicon_family_count(ss->lex) : 0;
  if (ss->ctx) { /* the texts: read again for the hits of the terms shown */
    bool failed = false;
    cli_opts po = *o;
    po.quiet = true;
    if (!(h.lookup = fs_terms_lookup_new(t)) ||
        !(h.votes = calloc(npoints * h.nfamilies + 1, sizeof *h.votes))) {
      rc = FS_ERR_NOMEM;
      cli_error("out of memory");
      goto done;
    }
    /* long documents in windows: the hits and their contexts those of the
     * whole */
    if ((rc = cli_each_doc_prep_long(&po, &ss->corpus, ss->ctx, NULL,
                                     long_hits_doc, long_hits_free, true,
                                     hits_doc, &h, &failed)))
      goto done;
    for (size_t i = 0; i < npoints; i++)
      for (size_t f = 0; f < h.nfamilies; f++) {
        size_t v = h.votes[i * h.nfamilies + f];
        points[i].nmatched += v;
        if (v && (points[i].family < 0 ||
                  v > h.votes[i * h.nfamilies + (size_t)points[i].family]))
          points[i].family = (int)f;
      }
  }
  char title[600];
  const char *src = o->manifest ? o->manifest : o->nargs == 1 ? o->args[0]
                                                               : NULL;
  const char *slash = src ? strrchr(src, '/') : NULL;
  if (slash && slash[1])
    src = slash + 1;
  snprintf(title, sizeof title, "framescore terms%s%s", src ? ": " : "",
           src ? src : "");
  fs_terms_page page = {.title = title,
                        .terms = t,
                        .rows = b.rows,
                        .nrows = b.nrows,
                        .points = points,
                        .npoints = npoints,
                        .point_of = point_of,
                        .files = files,
                        .nfiles = ss->corpus.ndocs,
                        .lex = ss->lex,
                        .top = b.top,
                        .texts = ss->ctx != NULL,
                        .stop_words = stop_desc && *stop_desc ? stop_desc
                                                              : NULL};
  rc = fs_render_terms_html(out, &page);
done:
  free_points(points, npoints);
  free(point_of);
  free(files);
  fs_terms_lookup_free(h.lookup);
  free(h.votes);
  free(h.fam);
  free(b.cur), free(b.rows), free(b.chosen), free(b.order);
  return rc;
}
