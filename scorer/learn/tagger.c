/* tagger.c - word tokens -> features (stems around them, lexicon categories
 * over them, their match's context) -> the probability that a token is in
 * an annotated span; training with K-fold cross-validation by article, the
 * tagger file format, and tagging documents. */
#include "tagger.h"
#include "context.h"
#include "train.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TAGGER_MAGIC "framescore-tagger"
#define TG_TOL_PER_ROW 1e-6
#define TG_MAX_ITER 2000
#define TG_FILE_MAX ((size_t)1 << 30) /* a tagger model file */
#define TG_GRID 32
static double grid(size_t i) { return 0.05 + 0.025 * (double)i; }

struct fs_tagger {
  fs_intern names; /* feature names; id = column */
  double *w;       /* [names.count] */
  size_t wcap;
  double intercept, threshold;
  bool uni; /* "combine union": tags add to the lexicon's predictions */
};

void fs_tagger_free(fs_tagger *tg) {
  if (!tg)
    return;
  fs_intern_free(&tg->names);
  free(tg->w);
  free(tg);
}

static fs_tagger *tagger_new(void) {
  fs_tagger *tg = calloc(1, sizeof *tg);
  if (tg) {
    fs_intern_init(&tg->names);
    tg->threshold = 0.5;
  }
  return tg;
}

/* ---- features ------------------------------------------------------------ */

static bool is_word(const fs_token *t) {
  return t->kind == FS_TOK_WORD || t->kind == FS_TOK_NUMBER;
}

/* Per token: up to two matches over it (FS_NONE otherwise). */
typedef struct tg_scratch {
  fs_context_scratch cs;
  uint32_t *cover; /* [2 * tokens] */
  size_t cover_cap;
} tg_scratch;

static void scratch_free(tg_scratch *s) {
  fs_context_scratch_free(&s->cs);
  free(s->cover);
}

static int scratch_fill(tg_scratch *s, const fs_lexicon *lex, const fs_doc *d) {
  if (fs_context_scratch_fill(&s->cs, lex, d) ||
      fs_grow(&s->cover, &s->cover_cap, 2 * d->ntokens + 2, sizeof *s->cover))
    return FS_ERR_NOMEM;
  for (size_t k = 0; k < 2 * d->ntokens; k++)
    s->cover[k] = FS_NONE;
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    if (m->category >= lex->ncats)
      continue;
    for (uint32_t k = m->tok_start; k < m->tok_end && k < d->ntokens; k++) {
      uint32_t *c = &s->cover[2 * k];
      if (c[0] == FS_NONE)
        c[0] = (uint32_t)i;
      else if (c[1] == FS_NONE)
        c[1] = (uint32_t)i;
    }
  }
  return FS_OK;
}

/* A feature sink: names of features with their values. */
typedef struct tg_sink {
  int (*emit)(struct tg_sink *, const char *, size_t, double);
} tg_sink;

/* The nearest word token before (dir -1) or after (dir 1) k in its
 * sentence, or FS_NONE. */
static uint32_t word_near(const fs_doc *d, size_t k, int dir) {
  uint32_t sent = d->tokens[k].sentence;
  for (long j = (long)k + dir; j >= 0 && (size_t)j < d->ntokens; j += dir) {
    if (d->tokens[j].sentence != sent)
      break;
    if (is_word(&d->tokens[j]))
      return (uint32_t)j;
  }
  return FS_NONE;
}

static const char *stem_of(const fs_ctx *ctx, const fs_doc *d, uint32_t k) {
  return k == FS_NONE ? "<s>" : fs_ctx_stem(ctx, d->tokens[k].stem);
}

static int emitf(tg_sink *s, double v, const char *fmt, const char *a,
                 const char *b) {
  char buf[256];
  int n = snprintf(buf, sizeof buf, fmt, a, b);
  if (n < 0 || (size_t)n >= sizeof buf)
    return FS_OK; /* very long stems are left out */
  return s->emit(s, buf, (size_t)n, v);
}

/* The features of word token k. */
static int token_features(const fs_ctx *ctx, const fs_doc *d,
                          const tg_scratch *sc, size_t k, tg_sink *s) {
  const fs_lexicon *lex = ctx->lex;
  const fs_token *t = &d->tokens[k];
  uint32_t p = word_near(d, k, -1), n = word_near(d, k, 1);
  uint32_t pp = p == FS_NONE ? FS_NONE : word_near(d, p, -1);
  const char *w0 = stem_of(ctx, d, (uint32_t)k), *wp = stem_of(ctx, d, p),
             *wn = stem_of(ctx, d, n);
  int rc = emitf(s, 1, "w=%s%s", w0, "") || emitf(s, 1, "p=%s%s", wp, "") ||
           emitf(s, 1, "n=%s%s", wn, "") ||
           emitf(s, 1, "pp=%s%s", stem_of(ctx, d, pp), "") ||
           emitf(s, 1, "pw=%s|%s", wp, w0) || emitf(s, 1, "wn=%s|%s", w0, wn);
  if (rc)
    return rc;
  uint32_t nn = n == FS_NONE ? FS_NONE : word_near(d, n, 1);
  const char *form = fs_ctx_form(ctx, t->form);
  size_t fl = strlen(form);
  rc = emitf(s, 1, "nn=%s%s", stem_of(ctx, d, nn), "");
  if (!rc && fl > 5) /* a suffix generalises to words not seen */
    rc = emitf(s, 1, "s3=%s%s", form + fl - 3, "");
  if (rc)
    return rc;
  /* how much framing language is around: the sentence's scoring
   * matches (capped) and the document's density (bucketed) */
  char b[32];
  uint32_t sm = sc->cs.sent_scoring[t->sentence];
  int nb = snprintf(b, sizeof b, "sm=%u", sm > 3 ? 3 : sm);
  rc = s->emit(s, b, (size_t)nb, 1);
  double dd = sc->cs.doc_words ? 100.0 * (double)sc->cs.doc_scoring /
                                     (double)sc->cs.doc_words
                               : 0;
  nb = snprintf(b, sizeof b, "dd=%d", dd < 1 ? 0 : dd < 2 ? 1 : dd < 3 ? 2 : 3);
  rc |= s->emit(s, b, (size_t)nb, 1);
  if (sc->cs.word_pos[k] > 0 && (t->flags & FS_TOKF_UPPER))
    rc |= s->emit(s, "shape=cap", 9, 1);
  if (t->voice == FS_VOICE_QUOTE)
    rc |= s->emit(s, "quote", 5, 1);
  if (t->flags & FS_TOKF_SCARE)
    rc |= s->emit(s, "scare", 5, 1);
  if (t->paragraph == 0 && d->stats.paragraphs > 1)
    rc |= s->emit(s, "headline", 8, 1);
  /* lexicon categories over the token and its neighbours */
  const uint32_t near[3] = {(uint32_t)k, p, n};
  const char *pre[3] = {"c=%s%s", "cp=%s%s", "cn=%s%s"};
  for (int j = 0; j < 3 && !rc; j++) {
    if (near[j] == FS_NONE)
      continue;
    for (int c = 0; c < 2 && !rc; c++) {
      uint32_t mi = sc->cover[2 * near[j] + c];
      if (mi == FS_NONE)
        continue;
      const fs_match *m = &d->matches[mi];
      rc = emitf(s, 1, pre[j], lex->cats[m->category].name, "");
      if (!rc && j == 0)
        rc = emitf(s, 1, "f=%s%s", lex->families[lex->cats[m->category].family],
                   "");
    }
  }
  /* the context of the first match over it */
  uint32_t mi = sc->cover[2 * k];
  if (mi != FS_NONE && !rc) {
    double x[FS_CF_N];
    fs_context_features(&sc->cs, lex, d, mi, x);
    for (size_t i = 0; i < FS_CF_N && !rc; i++)
      if (x[i] != 0)
        rc = emitf(s, x[i], "x:%s%s", fs_context_feature_name(i), "");
  }
  return rc;
}

/* Tags from probabilities: a word at or above t, and, next to a tagged
 * word of its sentence, one at or above t / 2 (annotated spans are
 * phrases: a weaker neighbour of a strong word belongs to it). */
static void tag_doc(const fs_doc *d, const double *p, double t, uint8_t *tag) {
  for (size_t k = 0; k < d->ntokens; k++)
    tag[k] = p[k] >= t;
  for (int dir = 0; dir < 2; dir++)
    for (size_t i = 0; i < d->ntokens; i++) {
      size_t k = dir ? d->ntokens - 1 - i : i;
      if (tag[k] || p[k] < t / 2 || !is_word(&d->tokens[k]))
        continue;
      uint32_t nb = word_near(d, k, dir ? 1 : -1);
      tag[k] = nb != FS_NONE && tag[nb];
    }
}

/* ---- applying ------------------------------------------------------------ */

typedef struct apply_sink {
  tg_sink base;
  const fs_tagger *tg;
  double z;
} apply_sink;

static int apply_emit(tg_sink *s, const char *name, size_t len, double v) {
  apply_sink *a = (apply_sink *)s;
  uint32_t id = fs_intern_find(&a->tg->names, name, len);
  if (id != FS_NONE)
    a->z += a->tg->w[id] * v;
  return FS_OK;
}

int fs_tagger_apply(const fs_tagger *tg, const fs_ctx *ctx, fs_doc *d) {
  tg_scratch sc = {0};
  uint8_t *tag = calloc(d->ntokens + 1, 1);
  int rc = tag ? scratch_fill(&sc, ctx->lex, d) : FS_ERR_NOMEM;
  double *p = rc ? NULL : calloc(d->ntokens + 1, sizeof *p);
  if (!rc && !p)
    rc = FS_ERR_NOMEM;
  for (size_t k = 0; !rc && k < d->ntokens; k++) {
    if (!is_word(&d->tokens[k]))
      continue;
    apply_sink a = {{apply_emit}, tg, tg->intercept};
    token_features(ctx, d, &sc, k, &a.base);
    p[k] = 1.0 / (1.0 + exp(-a.z));
  }
  if (!rc)
    tag_doc(d, p, tg->threshold, tag);
  free(p);
  scratch_free(&sc);
  if (rc) {
    free(tag);
    return rc;
  }
  free(d->tok_tag);
  d->tok_tag = tag;
  d->tag_union = tg->uni;
  return FS_OK;
}

/* ---- the file format ----------------------------------------------------- */

int fs_tagger_write(FILE *out, const fs_tagger *tg, const char *comment) {
  for (const char *p = comment; p && *p;) {
    size_t n = strcspn(p, "\n");
    fprintf(out, "# %.*s\n", (int)n, p);
    p += n + (p[n] == '\n');
  }
  fprintf(out, "%s 1\ncombine\t%s\nthreshold\t%.6g\nintercept\t%.6g\n",
          TAGGER_MAGIC, tg->uni ? "union" : "tags", tg->threshold,
          tg->intercept);
  for (size_t i = 0; i < tg->names.count; i++)
    if (fabs(tg->w[i]) >= 1e-4)
      fprintf(out, "%s\t%.5g\n", fs_intern_str(&tg->names, (uint32_t)i),
              tg->w[i]);
  return ferror(out) ? FS_ERR_IO : FS_OK;
}

static int set_weight(fs_tagger *tg, const char *name, size_t len, double w) {
  uint32_t id = fs_intern_add(&tg->names, name, len);
  if (id == FS_NONE || fs_grow(&tg->w, &tg->wcap, id + 1, sizeof *tg->w))
    return FS_ERR_NOMEM;
  tg->w[id] = w;
  return FS_OK;
}

fs_tagger *fs_tagger_parse(const char *name, const char *data, size_t len,
                           fs_error *err) {
  fs_tagger *tg = tagger_new();
  int rc = tg ? FS_OK : FS_ERR_NOMEM;
  bool magic = false;
  long line = 0;
  for (size_t at = 0; !rc && at < len;) {
    const char *s = data + at, *nl = memchr(s, '\n', len - at);
    size_t l = nl ? (size_t)(nl - s) : len - at;
    at += l + 1;
    line++;
    if (l && s[l - 1] == '\r')
      l--;
    if (!l || *s == '#')
      continue;
    if (!magic) {
      magic = l == strlen(TAGGER_MAGIC) + 2 && !memcmp(s, TAGGER_MAGIC " 1", l);
      if (!magic)
        rc = fs_error_set(err, FS_ERR_INPUT, name, line, 1,
                          "expected '%s 1' (a span tagger file)", TAGGER_MAGIC);
      continue;
    }
    const char *tab = memchr(s, '\t', l);
    if (tab && tab - s == 7 && !memcmp(s, "combine", 7)) {
      size_t vl = (size_t)(s + l - tab - 1);
      if (vl == 5 && !memcmp(tab + 1, "union", 5))
        tg->uni = true;
      else if (!(vl == 4 && !memcmp(tab + 1, "tags", 4)))
        rc = fs_error_set(err, FS_ERR_INPUT, name, line, 9,
                          "expected 'union' or 'tags'");
      continue;
    }
    char num[64];
    if (!tab || (size_t)(s + l - tab - 1) >= sizeof num) {
      rc = fs_error_set(err, FS_ERR_INPUT, name, line, 1,
                        "expected NAME<TAB>WEIGHT");
      continue;
    }
    memcpy(num, tab + 1, (size_t)(s + l - tab - 1));
    num[s + l - tab - 1] = '\0';
    char *end;
    errno = 0;
    double v = strtod(num, &end);
    if (errno || *end || end == num || !isfinite(v)) {
      rc = fs_error_set(err, FS_ERR_INPUT, name, line, (long)(tab - s) + 2,
                        "expected a number");
      continue;
    }
    size_t nl2 = (size_t)(tab - s);
    if (nl2 == 9 && !memcmp(s, "threshold", 9))
      tg->threshold = v;
    else if (nl2 == 9 && !memcmp(s, "intercept", 9))
      tg->intercept = v;
    else if (set_weight(tg, s, nl2, v))
      rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  if (!rc && !magic)
    rc = fs_error_set(err, FS_ERR_INPUT, name, 1, 1, "empty: expected '%s 1'",
                      TAGGER_MAGIC);
  if (rc == FS_ERR_NOMEM && !tg)
    fs_error_set(err, rc, NULL, 0, 0, "out of memory");
  if (rc) {
    fs_tagger_free(tg);
    return NULL;
  }
  return tg;
}

fs_tagger *fs_tagger_load(const char *path, fs_error *err) {
  char *data;
  size_t len;
  /* the shared opener: a regular file, within the limit for a tagger (it
   * holds a vocabulary, so more than a framing model's) */
  if (fs_read_file(path, TG_FILE_MAX, "the tagger file limit", &data, &len,
                   err))
    return NULL;
  fs_tagger *tg = fs_tagger_parse(path, data, len, err);
  free(data);
  return tg;
}

/* ---- training ------------------------------------------------------------ */

/* Collects one row's features: interned names (with document counts for
 * the min-df cut) and values. */
typedef struct train_sink {
  tg_sink base;
  fs_intern *names;
  uint32_t *col;
  double *val;
  size_t n, cap, vcap;
  int rc;
} train_sink;

static int train_emit(tg_sink *s, const char *name, size_t len, double v) {
  train_sink *t = (train_sink *)s;
  uint32_t id = fs_intern_add(t->names, name, len);
  if (id == FS_NONE || fs_grow(&t->col, &t->cap, t->n + 1, sizeof *t->col) ||
      fs_grow(&t->val, &t->vcap, t->n + 1, sizeof *t->val))
    return t->rc = FS_ERR_NOMEM;
  t->col[t->n] = id;
  t->val[t->n++] = v;
  return FS_OK;
}

typedef struct tg_rows {
  fs_lr_data x;
  bool uni;    /* tags are added to the lexicon's predictions */
  size_t *doc; /* [rows] */
  uint32_t *tok;
  fs_intern names;
} tg_rows;

static void rows_free(tg_rows *r) {
  fs_lr_data_free(&r->x);
  free(r->doc), free(r->tok);
  fs_intern_free(&r->names);
}

/* One row per word token of every document; features seen in fewer than
 * min_df rows are dropped (a cut that reads no label). */
static int build_rows(const fs_annot *a, const fs_ctx *ctx, long min_df,
                      tg_rows *r) {
  tg_scratch sc = {0};
  train_sink ts = {{train_emit}, &r->names, NULL, NULL, 0, 0, 0, FS_OK};
  size_t ntok = 0, *start = NULL, scap = 0, cap_y = 0, cap_d = 0, cap_t = 0;
  int rc = FS_OK;
  fs_intern_init(&r->names);
  for (size_t di = 0; di < a->n && !rc; di++) {
    const fs_annot_doc *ad = &a->docs[di];
    if (scratch_fill(&sc, ctx->lex, ad->d)) {
      rc = FS_ERR_NOMEM;
      break;
    }
    for (size_t k = 0; k < ad->d->ntokens && !rc; k++) {
      if (!is_word(&ad->d->tokens[k]))
        continue;
      if (fs_grow(&start, &scap, ntok + 2, sizeof *start) ||
          fs_grow(&r->x.y, &cap_y, ntok + 1, sizeof *r->x.y) ||
          fs_grow(&r->doc, &cap_d, ntok + 1, sizeof *r->doc) ||
          fs_grow(&r->tok, &cap_t, ntok + 1, sizeof *r->tok)) {
        rc = FS_ERR_NOMEM;
        break;
      }
      start[ntok] = ts.n;
      token_features(ctx, ad->d, &sc, k, &ts.base);
      rc = ts.rc;
      r->x.y[ntok] = fs_annot_token_gold(ad, k);
      r->doc[ntok] = di, r->tok[ntok] = (uint32_t)k;
      ntok++;
    }
  }
  scratch_free(&sc);
  size_t nf = r->names.count;
  uint32_t *df = calloc(nf + 1, sizeof *df), *remap = malloc((nf + 1) * 4);
  r->x.row = malloc((ntok + 1) * sizeof *r->x.row);
  if (rc || !df || !remap || !r->x.row) {
    free(df), free(remap), free(start), free(ts.col), free(ts.val);
    return FS_ERR_NOMEM;
  }
  start[ntok] = ts.n;
  for (size_t i = 0; i < ts.n; i++)
    df[ts.col[i]]++;
  size_t p = 0;
  for (size_t f = 0; f < nf; f++)
    remap[f] = df[f] >= (uint32_t)min_df ? (uint32_t)p++ : FS_NONE;
  size_t out = 0;
  for (size_t i = 0; i < ntok; i++) {
    r->x.row[i] = out;
    for (size_t j = start[i]; j < start[i + 1]; j++)
      if (remap[ts.col[j]] != FS_NONE) {
        ts.col[out] = remap[ts.col[j]];
        ts.val[out++] = ts.val[j];
      }
  }
  r->x.row[ntok] = out;
  r->x.col = ts.col, r->x.val = ts.val;
  r->x.n = ntok, r->x.p = p;
  /* keep the names of kept features, in column order */
  fs_intern kept;
  fs_intern_init(&kept);
  for (size_t f = 0; f < nf && !rc; f++)
    if (remap[f] != FS_NONE &&
        fs_intern_add(&kept, fs_intern_str(&r->names, (uint32_t)f),
                      fs_intern_len(&r->names, (uint32_t)f)) == FS_NONE)
      rc = FS_ERR_NOMEM;
  fs_intern_free(&r->names);
  r->names = kept;
  free(df), free(remap), free(start);
  return rc;
}

static int set_tags(fs_annot *a, const tg_rows *r, const double *w,
                    double **prob) {
  for (size_t di = 0; di < a->n; di++) {
    fs_doc *d = a->docs[di].d;
    if (!d->tok_tag && !(d->tok_tag = calloc(d->ntokens + 1, 1)))
      return FS_ERR_NOMEM;
    d->tag_union = r->uni;
  }
  if (!*prob && !(*prob = malloc((r->x.n + 1) * sizeof **prob)))
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < r->x.n; i++)
    (*prob)[i] = fs_lr_predict(&r->x, i, w);
  return FS_OK;
}

/* Tags every document from row probabilities: at threshold t, or at its
 * fold's threshold fold_t[fold] when fold_t is given. Rows of a document
 * are consecutive (build_rows). */
static int tag_at(fs_annot *a, const tg_rows *r, const double *prob, double t,
                  const double *fold_t) {
  double *p = NULL;
  size_t cap = 0;
  for (size_t i = 0; i < r->x.n;) {
    size_t di = r->doc[i];
    fs_doc *d = a->docs[di].d;
    if (fs_grow(&p, &cap, d->ntokens + 1, sizeof *p)) {
      free(p);
      return FS_ERR_NOMEM;
    }
    memset(p, 0, (d->ntokens + 1) * sizeof *p);
    for (; i < r->x.n && r->doc[i] == di; i++)
      p[r->tok[i]] = prob[i];
    tag_doc(d, p, fold_t ? fold_t[a->docs[di].fold] : t, d->tok_tag);
  }
  free(p);
  return FS_OK;
}

static int best_threshold(fs_annot *a, const tg_rows *r, const double *prob,
                          int which, int fold, double *best) {
  double best_f1 = -1;
  for (size_t g = 0; g < TG_GRID; g++) {
    fs_prf prf[FS_ANNOT_KINDS];
    if (tag_at(a, r, prob, grid(g), NULL) ||
        fs_annot_score(a, which, fold, prf))
      return FS_ERR_NOMEM;
    double f1 = fs_annot_mean_f1(a, prf);
    if (f1 > best_f1 + 1e-12)
      best_f1 = f1, *best = grid(g);
  }
  return FS_OK;
}

/* Fits on the rows of documents outside `fold` (all rows when fold < 0). */
static int fit(const fs_annot *a, const tg_rows *r, int fold, double lambda,
               double *w, bool *converged) {
  return fs_annot_fit(a, &r->x, r->doc, fold, lambda, TG_TOL_PER_ROW,
                      TG_MAX_ITER, w, converged);
}

void fs_tagger_result_free(fs_tagger_result *r) {
  fs_tagger_free(r->model);
  memset(r, 0, sizeof *r);
}

int fs_tagger_train(fs_annot *a, const fs_ctx *ctx, double lambda, long folds,
                    unsigned long seed, long min_df, bool uni,
                    fs_tagger_result *r, fs_error *err) {
  tg_rows rows = {0};
  rows.uni = uni;
  double *w = NULL, *prob = NULL, *oof = NULL;
  memset(r, 0, sizeof *r);
  r->all_converged = true;
  r->folds = folds;
  int rc = fs_annot_folds(a, folds, seed);
  if (rc == FS_ERR_INPUT) {
    fs_error_set(err, rc, NULL, 0, 0, "%zu articles are too few for %ld folds",
                 a->groups.count, folds);
    return rc;
  }
  if (rc || build_rows(a, ctx, min_df > 0 ? min_df : 1, &rows))
    goto nomem;
  r->rows = rows.x.n, r->features = rows.x.p;
  for (size_t i = 0; i < rows.x.n; i++)
    r->positives += rows.x.y[i] > 0;
  for (int k = 0; k < FS_ANNOT_KINDS; k++)
    r->docs[k] = a->nkind[k];
  w = malloc((rows.x.p + 1) * sizeof *w);
  oof = malloc((rows.x.n + 1) * sizeof *oof);
  double *oof_t = calloc((size_t)folds, sizeof *oof_t);
  if (!w || !oof || !oof_t) {
    free(oof_t);
    goto nomem;
  }
  for (int k = 0; k < (int)folds; k++) {
    if (fit(a, &rows, k, lambda, w, &r->all_converged) ||
        set_tags(a, &rows, w, &prob) ||
        best_threshold(a, &rows, prob, FS_ANNOT_OUT_OF_FOLD, k, &oof_t[k])) {
      free(oof_t);
      goto nomem;
    }
    for (size_t i = 0; i < rows.x.n; i++)
      if (a->docs[rows.doc[i]].fold == k)
        oof[i] = prob[i];
  }
  rc = tag_at(a, &rows, oof, 0, oof_t);
  free(oof_t);
  if (rc || fs_annot_score(a, FS_ANNOT_ALL, 0, r->cv))
    goto nomem;
  if (fit(a, &rows, -1, lambda, w, &r->all_converged) ||
      set_tags(a, &rows, w, &prob) ||
      best_threshold(a, &rows, prob, FS_ANNOT_ALL, 0, &r->threshold) ||
      !(r->model = tagger_new()))
    goto nomem;
  r->model->intercept = w[0];
  r->model->uni = uni;
  r->model->threshold = r->threshold;
  for (size_t f = 0; f < rows.x.p; f++)
    if (set_weight(r->model, fs_intern_str(&rows.names, (uint32_t)f),
                   fs_intern_len(&rows.names, (uint32_t)f), w[1 + f]))
      goto nomem;
  rc = FS_OK;
  goto done;
nomem:
  rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
done:
  for (size_t di = 0; di < a->n; di++) {
    free(a->docs[di].d->tok_tag);
    a->docs[di].d->tok_tag = NULL;
    a->docs[di].d->tag_union = false;
  }
  free(w), free(prob), free(oof);
  rows_free(&rows);
  if (rc)
    fs_tagger_result_free(r);
  return rc;
}
