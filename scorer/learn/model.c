/* SPDX-License-Identifier: GPL-3.0-or-later */
/* model.c - framing models: parsing the text format (models/README.md),
 * binding category globs to a lexicon, and scoring documents, sentences and
 * labelled items on each dimension. */
#include "model.h"
#include "context.h"
#include "tagger.h"
#include "internal.h"
#include "utf8.h"
#include "word_vectors.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MODEL_MAGIC "framescore-model"
#define MODEL_VERSION 1
#define MAX_ARGS 32

/* ---- building ------------------------------------------------------------ */

fs_model *fs_model_new(const char *name) {
  fs_model *m = calloc(1, sizeof *m);
  if (!m)
    return NULL;
  m->name = strdup(name ? name : "");
  if (!m->name) {
    free(m);
    return NULL;
  }
  fs_intern_init(&m->stems);
  return m;
}

static void unbind(fs_model *m) {
  for (size_t i = 0; i < m->ndims; i++) {
    fs_dimension *d = &m->dims[i];
    for (size_t f = 0; f < d->nfeatures; f++) {
      free(d->features[f].cats);
      d->features[f].cats = NULL;
      d->features[f].ncats = 0;
    }
    free(d->catw);
    free(d->den);
    fs_context_model_free(d->cm);
    for (size_t k = 0; k < FS_TAGLV_N; k++) {
      fs_tagger_free(d->tg[k]);
      d->tg[k] = NULL;
    }
    d->catw = NULL;
    d->den = NULL;
    d->cm = NULL;
    d->active = false;
  }
  m->lex = NULL;
  m->ncats = 0;
}

void fs_model_free(fs_model *m) {
  if (!m)
    return;
  unbind(m);
  for (size_t i = 0; i < m->ndims; i++) {
    fs_dimension *d = &m->dims[i];
    for (size_t f = 0; f < d->nfeatures; f++)
      free(d->features[f].name);
    free(d->features);
    for (size_t s = 0; s < d->nshare; s++)
      free(d->share_of[s]);
    free(d->share_of);
    free(d->name);
    free(d->about);
    free(d->context_text);
    free(d->tagger_text);
    free(d->context_pos);
    free(d->tagger_pos);
  }
  free(m->dims);
  free(m->refs);
  free(m->ref_start);
  fs_intern_free(&m->stems);
  fs_word_vectors_free(m->vectors);
  free(m->vectors);
  if (m->tagger_vectors_own) {
    fs_word_vectors_free(m->tagger_vectors);
    free(m->tagger_vectors);
  }
  free(m->name);
  free(m);
}

long fs_model_find(const fs_model *m, const char *name) {
  for (size_t i = 0; i < m->ndims; i++)
    if (!strcmp(m->dims[i].name, name))
      return (long)i;
  return -1;
}

long fs_model_add_dimension(fs_model *m, const char *name, long line) {
  if (fs_grow(&m->dims, &m->dims_cap, m->ndims + 1, sizeof *m->dims))
    return -1;
  fs_dimension *d = &m->dims[m->ndims];
  memset(d, 0, sizeof *d);
  d->name = strdup(name);
  d->about = strdup("");
  if (!d->name || !d->about) {
    free(d->name);
    free(d->about);
    return -1;
  }
  d->kind = FS_DIM_LINEAR;
  d->voice = FS_VOICE_AUTHOR;
  d->norm = FS_NORM_PER_1K;
  d->unit = FS_UNIT_SENTENCE;
  d->threshold = 0.5;
  d->line = line;
  return (long)m->ndims++;
}

int fs_model_add_feature(fs_model *m, size_t dim, const char *name,
                         double weight, long line) {
  fs_dimension *d = &m->dims[dim];
  if (fs_grow(&d->features, &d->features_cap, d->nfeatures + 1,
              sizeof *d->features))
    return FS_ERR_NOMEM;
  fs_feature *f = &d->features[d->nfeatures];
  memset(f, 0, sizeof *f);
  f->name = strdup(name);
  if (!f->name)
    return FS_ERR_NOMEM;
  f->weight = weight;
  f->line = line;
  if (!strncmp(name, "stem:", 5) || !strncmp(name, "pair:", 5)) {
    f->stem = true;
    f->pair = name[0] == 'p';
    f->stem_id = fs_intern_add(&m->stems, name + 5, strlen(name + 5));
    if (f->stem_id == FS_NONE) {
      free(f->name);
      return FS_ERR_NOMEM;
    }
    f->gidx = (uint32_t)m->nstem_features++;
    m->npair_features += f->pair;
  } else if (!strncmp(name, "prefix:", 7) || !strncmp(name, "suffix:", 7)) {
    /* kept with the stems under fs_model_affix_key's key: the control
     * byte and the affix */
    size_t len = strlen(name + 7);
    char *key = malloc(len + 2);
    if (!key) {
      free(f->name);
      return FS_ERR_NOMEM;
    }
    key[0] = name[0] == 'p' ? '\x02' : '\x03';
    memcpy(key + 1, name + 7, len + 1);
    f->stem = f->affix = true;
    f->stem_id = fs_intern_add(&m->stems, key, len + 1);
    free(key);
    if (f->stem_id == FS_NONE) {
      free(f->name);
      return FS_ERR_NOMEM;
    }
    f->gidx = (uint32_t)m->nstem_features++;
    m->naffix_features++;
  } else if (!strncmp(name, "ngram:", 6) && name[6]) {
    /* kept with the stems under fs_model_ngrams' key: 0x04 and the n-gram */
    size_t len = strlen(name + 6), i = 0;
    int ncp = 0;
    char *key = malloc(len + 2);
    if (!key) {
      free(f->name);
      return FS_ERR_NOMEM;
    }
    key[0] = '\x04';
    memcpy(key + 1, name + 6, len + 1);
    f->stem = f->ngram = true;
    f->stem_id = fs_intern_add(&m->stems, key, len + 1);
    free(key);
    if (f->stem_id == FS_NONE) {
      free(f->name);
      return FS_ERR_NOMEM;
    }
    while (i < len) {
      int bad = 0;
      fs_utf8_next((const unsigned char *)name + 6, len, &i, &bad);
      ncp++;
    }
    if (!m->nngram_features || ncp < m->ngram_min)
      m->ngram_min = ncp;
    if (!m->nngram_features || ncp > m->ngram_max)
      m->ngram_max = ncp;
    f->gidx = (uint32_t)m->nstem_features++;
    m->nngram_features++;
  } else if (!strncmp(name, "context:", 8)) {
    for (size_t i = 0; fs_model_ctxagg_name(i); i++)
      if (!strcmp(name + 8, fs_model_ctxagg_name(i)))
        f->ctxagg = (int)i + 1;
    d->nctx_features += f->ctxagg > 0;
  } else if (!strncmp(name, "shape:", 6)) {
    for (size_t i = 0; fs_model_shape_name(i); i++)
      if (!strcmp(name + 6, fs_model_shape_name(i)))
        f->shape = (int)i + 1;
    d->nshape_features += f->shape > 0;
  } else if (!strncmp(name, "tagger:", 7)) {
    for (size_t i = 0; fs_model_tagagg_name(i); i++)
      if (!strcmp(name + 7, fs_model_tagagg_name(i)))
        f->tagagg = (int)i + 1;
    d->ntag_features += f->tagagg > 0;
  } else if (!strncmp(name, "vector:", 7)) {
    f->vec = fs_model_vector_feature(name, strlen(name));
    d->nvec_features += f->vec > 0;
  }
  d->nfeatures++;
  return FS_OK;
}

/* ---- parsing ------------------------------------------------------------- */

typedef struct arg {
  const char *s;
  size_t len;
  long col;
} arg;

typedef struct parser {
  const char *name;
  fs_error *err;
  fs_model *m;
  long line;
  long dim;              /* current dimension, or -1 */
  long logistic_line[4]; /* lines of intercept, threshold, unit, transform */
  long logistic_col[4];
  long norm_line, norm_col, count_line, count_col;
} parser;

static int perr(parser *p, long col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int perr(parser *p, long col, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return fs_error_set(p->err, FS_ERR_INPUT, p->name, p->line, col, "%s", msg);
}

static int oom(parser *p) {
  return fs_error_set(p->err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* The column just after a word (in code points, as a->col). */
static long col_after(const arg *a) {
  return a->col + fs_utf8_col(a->s, a->len) - 1;
}

/* A keyword that takes the rest of the line (what) but stands alone. */
static int need_rest(parser *p, const arg *k, const char *what) {
  return perr(p, col_after(k), "'%.*s' needs %s", (int)k->len, k->s, what);
}

/* The rest of the line, from args[1] to the end of the last word, in *s,
 * and its length, without the control bytes and spaces at either end: as
 * fs_model_write gives it back, its control bytes written as spaces
 * (found by fuzz_model: "about x\r\r" wrote "about x  ", which read back
 * as "x"). */
static size_t rest_text(const arg *args, size_t n, const char **s) {
  const char *a = args[1].s;
  size_t l = (size_t)(args[n - 1].s + args[n - 1].len - a);
  while (l && ((unsigned char)*a <= 0x20 || *a == 0x7F))
    a++, l--;
  while (l && ((unsigned char)a[l - 1] <= 0x20 || a[l - 1] == 0x7F))
    l--;
  *s = a;
  return l;
}

static bool arg_is(const arg *a, const char *s) {
  return a->len == strlen(s) && !memcmp(a->s, s, a->len);
}

/* Splits a line into space/TAB separated words with their columns. */
static size_t split(const char *line, size_t len, arg *args) {
  size_t n = 0, i = 0;
  long col = 1;
  while (i < len && n < MAX_ARGS) {
    /* a CR is white space too: a stray one would not survive being
     * written out and read back */
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) {
      i++;
      col++;
    }
    if (i >= len)
      break;
    args[n].s = line + i;
    args[n].col = col;
    size_t start = i;
    while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
      if (((unsigned char)line[i] & 0xC0) != 0x80)
        col++;
      i++;
    }
    args[n++].len = i - start;
  }
  return n;
}

static bool valid_name(const arg *a) {
  if (!a->len || a->len > 64)
    return false;
  for (size_t i = 0; i < a->len; i++) {
    char c = a->s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  }
  return true;
}

/* A category glob: dotted lowercase names, optionally ending in ".*", or
 * "*" alone. */
static bool valid_glob(const arg *a) {
  if (a->len == 1 && a->s[0] == '*')
    return true;
  size_t n = a->len;
  if (n > 2 && a->s[n - 1] == '*' && a->s[n - 2] == '.')
    n -= 2;
  if (!n)
    return false;
  for (size_t i = 0; i < n; i++) {
    char c = a->s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              (c == '.' && i > 0 && i + 1 < n && a->s[i - 1] != '.');
    if (!ok)
      return false;
  }
  return true;
}

static bool parse_number(const arg *a, double *out) {
  char buf[64];
  if (!a->len || a->len >= sizeof buf)
    return false;
  memcpy(buf, a->s, a->len);
  buf[a->len] = '\0';
  char *end;
  errno = 0;
  double v = strtod(buf, &end);
  if (errno || *end || end == buf || !isfinite(v))
    return false;
  *out = v;
  return true;
}

/* A weight or an intercept or threshold: a finite number within
 * FS_WEIGHT_MAX. */
static int parse_value(parser *p, const arg *a, double *out) {
  if (!parse_number(a, out))
    return perr(p, a->col, "'%.*s' is not a finite number", (int)a->len, a->s);
  if (fabs(*out) > FS_WEIGHT_MAX)
    return perr(p, a->col, "'%.*s' is outside -1e6 to 1e6", (int)a->len, a->s);
  return FS_OK;
}

/* Is f PREFIX:NAME for a name(i) (f's first plen bytes are the prefix)? */
static bool known_name(const arg *f, size_t plen, const char *(*name)(size_t)) {
  bool known = false;
  for (size_t i = 0; name(i); i++)
    known |= f->len - plen == strlen(name(i)) &&
             !memcmp(f->s + plen, name(i), f->len - plen);
  return known;
}

/* Checks that f is UTF-8 after its first `from` bytes. */
static int check_utf8(parser *p, const arg *f, size_t from, const char *what) {
  while (from < f->len) {
    int bad = 0;
    fs_utf8_next((const unsigned char *)f->s, f->len, &from, &bad);
    if (bad)
      return perr(p, f->col, "invalid UTF-8 in %s", what);
  }
  return FS_OK;
}

/* An embedded model's text (context or tagger lines) and where its lines
 * start in the model file. */
typedef struct embedded {
  char **text;
  size_t *len, *cap;
  fs_line_pos **pos;
  size_t *npos, *poscap;
} embedded;

/* Appends the rest of a line (rest_text) to an embedded model's text,
 * control bytes as spaces, as about, and where it starts; a line of
 * nothing else is a blank line of the embedded model, not kept (found by
 * fuzz_model). */
static int keep_line(parser *p, const arg *args, size_t n, embedded e) {
  const char *s;
  size_t l = rest_text(args, n, &s);
  if (!l)
    return FS_OK;
  char **text = e.text;
  size_t *len = e.len, *cap = e.cap;
  if (fs_grow(text, cap, *len + l + 2, 1) ||
      fs_grow(e.pos, e.poscap, *e.npos + 1, sizeof **e.pos))
    return oom(p);
  /* the bytes rest_text passed over are ASCII: a column each */
  (*e.pos)[(*e.npos)++] =
      (fs_line_pos){p->line, args[1].col + (long)(s - args[1].s)};
  for (size_t i = 0; i < l; i++)
    (*text)[*len + i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7F ? ' ' : s[i];
  *len += l;
  (*text)[(*len)++] = '\n';
  (*text)[*len] = '\0';
  return FS_OK;
}

static int need_args(parser *p, const arg *args, size_t n, size_t want) {
  if (n < want)
    return perr(p, col_after(&args[n - 1]),
                "'%.*s' needs %zu value%s", (int)args[0].len, args[0].s,
                want - 1, want == 2 ? "" : "s");
  if (n > want)
    return perr(p, args[want].col, "unexpected '%.*s' after '%.*s'",
                (int)args[want].len, args[want].s, (int)args[0].len, args[0].s);
  return FS_OK;
}

static char *arg_dup(const arg *a) { return strndup(a->s, a->len); }

/* Checks the dimension that just ended. */
static int finish_dimension(parser *p) {
  if (p->dim < 0)
    return FS_OK;
  fs_dimension *d = &p->m->dims[p->dim];
  long saved = p->line;
  int rc = FS_OK;
  if (d->kind == FS_DIM_LINEAR) {
    static const char *const keys[4] = {"intercept", "threshold", "unit",
                                        "transform"};
    for (int i = 0; i < 4 && rc == FS_OK; i++)
      if (p->logistic_line[i]) {
        p->line = p->logistic_line[i];
        rc = perr(p, p->logistic_col[i],
                  "'%s' applies to logistic dimensions only (add 'kind "
                  "logistic' to dimension '%s')",
                  keys[i], d->name);
      }
  } else if (p->norm_line) {
    p->line = p->norm_line;
    rc = perr(p, p->norm_col,
              "'norm' applies to linear dimensions only: a logistic "
              "dimension gives probabilities");
  } else if (p->count_line) {
    p->line = p->count_line;
    rc = perr(p, p->count_col, "'count' applies to linear dimensions only");
  }
  if (rc == FS_OK && d->nfeatures == 0) {
    p->line = d->line;
    rc = perr(p, 1, "dimension '%s' has no 'weight' lines", d->name);
  }
  p->line = saved;
  return rc;
}

static int start_dimension(parser *p, const arg *args, size_t n) {
  int rc = need_args(p, args, n, 2);
  if (rc)
    return rc;
  if (!valid_name(&args[1]))
    return perr(p, args[1].col,
                "dimension names are lowercase letters, digits and '_' "
                "(at most 64)");
  char name[80];
  snprintf(name, sizeof name, "%.*s", (int)args[1].len, args[1].s);
  if (fs_model_find(p->m, name) >= 0)
    return perr(p, args[1].col, "dimension '%s' is defined twice", name);
  if ((rc = finish_dimension(p)))
    return rc;
  p->dim = fs_model_add_dimension(p->m, name, p->line);
  if (p->dim < 0)
    return oom(p);
  memset(p->logistic_line, 0, sizeof p->logistic_line);
  p->norm_line = p->count_line = 0;
  return FS_OK;
}

static int parse_weight(parser *p, const arg *args, size_t n) {
  int rc = need_args(p, args, n, 3);
  if (rc)
    return rc;
  const arg *f = &args[1];
  if (f->len > 5 && !memcmp(f->s, "stem:", 5)) {
    if ((rc = check_utf8(p, f, 5, "stem")))
      return rc;
  } else if (f->len > 8 && !memcmp(f->s, "context:", 8)) {
    if (!known_name(f, 8, fs_model_ctxagg_name))
      return perr(p, f->col,
                  "unknown context aggregate '%.*s' (context:max, "
                  "context:sum, context:mean, context:author or "
                  "context:quote)",
                  (int)f->len, f->s);
  } else if (f->len > 6 && !memcmp(f->s, "shape:", 6)) {
    if (!known_name(f, 6, fs_model_shape_name))
      return perr(p, f->col,
                  "unknown shape feature '%.*s' (shape:words, "
                  "shape:capitalised, shape:quoted, shape:numbers, "
                  "shape:hyphenated, shape:scare, shape:question or "
                  "shape:exclamation)",
                  (int)f->len, f->s);
  } else if (f->len > 7 && !memcmp(f->s, "tagger:", 7)) {
    if (!known_name(f, 7, fs_model_tagagg_name))
      return perr(p, f->col,
                  "unknown tagger aggregate '%.*s' (tagger:half, "
                  "tagger:count or tagger:double)",
                  (int)f->len, f->s);
  } else if (f->len > 7 && !memcmp(f->s, "vector:", 7)) {
    int v = fs_model_vector_feature(f->s, f->len);
    const fs_dimension *d = &p->m->dims[p->dim];
    if (!v)
      return perr(p, f->col,
                  "unknown vector feature '%.*s' (vector:mean:K or "
                  "vector:max:K, K a component from 0)",
                  (int)f->len, f->s);
    if (!d->vec_line)
      return perr(p, f->col,
                  "'%.*s' needs the dimension's 'vectors DIGEST DIM WORDS' "
                  "line before it",
                  (int)f->len, f->s);
    if ((unsigned)((v - 1) % FS_VECTORS_DIM_MAX) >= d->vec_dim)
      return perr(p, f->col,
                  "'%.*s': the word vectors have %u components (0 to %u)",
                  (int)f->len, f->s, d->vec_dim, d->vec_dim - 1);
  } else if (f->len > 5 && !memcmp(f->s, "pair:", 5)) {
    /* two stems: "pair:law|order" */
    const char *bar = memchr(f->s + 5, '|', f->len - 5);
    if (!bar || bar == f->s + 5 || bar == f->s + f->len - 1 ||
        memchr(bar + 1, '|', (size_t)(f->s + f->len - bar - 1)))
      return perr(p, f->col, "expected pair:STEM|STEM, not '%.*s'",
                  (int)f->len, f->s);
    if ((rc = check_utf8(p, f, 5, "pair")))
      return rc;
  } else if (f->len > 7 &&
             (!memcmp(f->s, "prefix:", 7) || !memcmp(f->s, "suffix:", 7))) {
    /* a word's first or last 1 to FS_MODEL_AFFIX_MAX characters */
    size_t i = 7, ncp = 0;
    while (i < f->len) {
      int bad = 0;
      uint32_t c = fs_utf8_next((const unsigned char *)f->s, f->len, &i, &bad);
      if (bad || c < 0x20 || c == 0x7F)
        return perr(p, f->col, "invalid UTF-8 or control character in %.6s",
                    f->s);
      ncp++;
    }
    if (ncp > FS_MODEL_AFFIX_MAX)
      return perr(p, f->col, "%.6s longer than %d characters: '%.*s'", f->s,
                  FS_MODEL_AFFIX_MAX, (int)f->len, f->s);
  } else if (f->len > 6 && !memcmp(f->s, "ngram:", 6)) {
    /* 1 to FS_MODEL_NGRAM_MAX characters of a word marked "<word>" */
    size_t i = 6, ncp = 0;
    while (i < f->len) {
      int bad = 0;
      uint32_t c = fs_utf8_next((const unsigned char *)f->s, f->len, &i, &bad);
      if (bad || c < 0x20 || c == 0x7F)
        return perr(p, f->col, "invalid UTF-8 or control character in ngram");
      ncp++;
    }
    if (ncp > FS_MODEL_NGRAM_MAX)
      return perr(p, f->col, "ngram longer than %d characters: '%.*s'",
                  FS_MODEL_NGRAM_MAX, (int)f->len, f->s);
  } else if (!valid_glob(f)) {
    return perr(p, f->col,
                "expected a category (loaded.emotive), a glob (loaded.*), "
                "stem:STEM, pair:STEM|STEM, prefix:AFFIX, suffix:AFFIX or "
                "ngram:NGRAM, not '%.*s'",
                (int)f->len, f->s);
  }
  double w;
  if ((rc = parse_value(p, &args[2], &w)))
    return rc;
  char *name = arg_dup(f);
  if (!name || fs_model_add_feature(p->m, (size_t)p->dim, name, w, p->line)) {
    free(name);
    return oom(p);
  }
  free(name);
  return FS_OK;
}

static int parse_norm(parser *p, fs_dimension *d, const arg *args, size_t n) {
  if (n < 2)
    return need_rest(p, &args[0],
                     "per_1k, per_sentence, count or share GLOB...");
  p->norm_line = p->line;
  p->norm_col = args[0].col;
  /* a repeated norm replaces the earlier one, its categories included */
  for (size_t i = 0; i < d->nshare; i++)
    free(d->share_of[i]);
  d->nshare = 0;
  const arg *v = &args[1];
  if (arg_is(v, "share")) {
    if (n < 3)
      return perr(p, v->col + 5,
                  "'norm share' needs the categories it is a share of "
                  "(norm share attribution.*)");
    for (size_t i = 2; i < n; i++) {
      if (!valid_glob(&args[i]))
        return perr(p, args[i].col, "'%.*s' is not a category glob",
                    (int)args[i].len, args[i].s);
      char **s = realloc(d->share_of, (d->nshare + 1) * sizeof *s);
      if (!s)
        return oom(p);
      d->share_of = s;
      if (!(s[d->nshare] = arg_dup(&args[i])))
        return oom(p);
      d->nshare++;
    }
    d->norm = FS_NORM_SHARE;
    return FS_OK;
  }
  int rc = need_args(p, args, n, 2);
  if (rc)
    return rc;
  if (arg_is(v, "per_1k"))
    d->norm = FS_NORM_PER_1K;
  else if (arg_is(v, "per_sentence"))
    d->norm = FS_NORM_PER_SENTENCE;
  else if (arg_is(v, "count"))
    d->norm = FS_NORM_COUNT;
  else
    return perr(p, v->col,
                "unknown norm '%.*s' (per_1k, per_sentence, count or share)",
                (int)v->len, v->s);
  return FS_OK;
}

/* Keywords that take one value from a fixed set. */
static int parse_choice(parser *p, const arg *args, size_t n,
                        const char *const *names, const int *values, int *out) {
  int rc = need_args(p, args, n, 2);
  if (rc)
    return rc;
  for (size_t i = 0; names[i]; i++)
    if (arg_is(&args[1], names[i])) {
      *out = values[i];
      return FS_OK;
    }
  char list[200] = "";
  for (size_t i = 0; names[i]; i++)
    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
             i ? (names[i + 1] ? ", " : " or ") : "", names[i]);
  return perr(p, args[1].col, "unknown %.*s '%.*s' (%s)", (int)args[0].len,
              args[0].s, (int)args[1].len, args[1].s, list);
}

/* "vectors DIGEST DIM WORDS [SKIP]": the word vectors of the vector:
 * features (16 hex digits, 1 to FS_VECTORS_DIM_MAX, the rows read or 0,
 * the most frequent rows left out or 0), once, before them. */
static int parse_vectors(parser *p, fs_dimension *d, const arg *args,
                         size_t n) {
  int rc = need_args(p, args, n, n >= 5 ? 5 : 4);
  if (rc)
    return rc;
  if (d->vec_line)
    return perr(p, args[0].col, "a second 'vectors' line (the first: line %ld)",
                d->vec_line);
  uint64_t h = 0;
  if (args[1].len != 16)
    return perr(p, args[1].col, "a vectors digest is 16 hex digits");
  for (size_t i = 0; i < 16; i++) {
    char c = args[1].s[i];
    int v = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                   : -1;
    if (v < 0)
      return perr(p, args[1].col + (long)i,
                  "a vectors digest is 16 hex digits (0-9, a-f)");
    h = h << 4 | (uint64_t)v;
  }
  unsigned long long num[3] = {0, 0, 0};
  for (int i = 0; i < (int)n - 2; i++) {
    const arg *a = &args[2 + i];
    num[i] = 0;
    bool ok = a->len > 0 && a->len <= 12;
    for (size_t j = 0; ok && j < a->len; j++) {
      ok = a->s[j] >= '0' && a->s[j] <= '9';
      num[i] = num[i] * 10 + (unsigned)(a->s[j] - '0');
    }
    if (i == 0 && (!ok || num[0] < 1 || num[0] > FS_VECTORS_DIM_MAX))
      return perr(p, a->col, "a vectors DIM is 1 to %d components",
                  FS_VECTORS_DIM_MAX);
    if (!ok)
      return perr(p, a->col, "a vectors %s is a count of rows (0: %s)",
                  i == 1 ? "WORDS" : "SKIP", i == 1 ? "all" : "none");
  }
  d->vec_digest = h;
  d->vec_dim = (unsigned)num[0];
  d->vec_words = (size_t)num[1];
  d->vec_skip = (size_t)num[2];
  d->vec_line = p->line;
  return FS_OK;
}

/* "vector_sif A": the vector: features' words weighted by SIF (model.h),
 * A > 0 and <= 1, once, after the vectors line. */
static int parse_vector_sif(parser *p, fs_dimension *d, const arg *args,
                            size_t n) {
  double a;
  int rc = need_args(p, args, n, 2);
  if (rc || (rc = parse_value(p, &args[1], &a)))
    return rc;
  if (!d->vec_line)
    return perr(p, args[0].col,
                "'vector_sif' needs the dimension's 'vectors DIGEST DIM "
                "WORDS' line before it");
  if (d->vec_sif_a > 0)
    return perr(p, args[0].col, "a second 'vector_sif' line");
  if (!(a > 0 && a <= 1))
    return perr(p, args[1].col, "a vector_sif A is a number > 0 and <= 1");
  d->vec_sif_a = a;
  return FS_OK;
}

static int parse_dim_line(parser *p, const arg *args, size_t n) {
  fs_dimension *d = &p->m->dims[p->dim];
  const arg *k = &args[0];
  if (arg_is(k, "weight"))
    return parse_weight(p, args, n);
  if (arg_is(k, "about")) {
    if (n < 2)
      return need_rest(p, k, "a text");
    free(d->about);
    const char *s;
    size_t len = rest_text(args, n, &s);
    if (!(d->about = strndup(s, len)))
      return oom(p);
    for (size_t i = 0; i < len; i++) /* as fs_model_write writes them */
      if ((unsigned char)d->about[i] < 0x20 || d->about[i] == 0x7F)
        d->about[i] = ' ';
    return FS_OK;
  }
  if (arg_is(k, "context")) {
    /* a line of the embedded context model (models/README.md), kept as
     * text and parsed by fs_model_bind, which has the lexicon */
    if (n < 2)
      return need_rest(p, k, "a context model line");
    return keep_line(p, args, n,
                     (embedded){&d->context_text, &d->context_len,
                                &d->context_cap, &d->context_pos,
                                &d->ncontext_pos, &d->context_pos_cap});
  }
  if (arg_is(k, "tagger")) {
    /* a line of the embedded span tagger (models/README.md), kept as text
     * and parsed by fs_model_bind */
    if (n < 2)
      return need_rest(p, k, "a span tagger line");
    return keep_line(p, args, n,
                     (embedded){&d->tagger_text, &d->tagger_len,
                                &d->tagger_cap, &d->tagger_pos,
                                &d->ntagger_pos, &d->tagger_pos_cap});
  }
  if (arg_is(k, "vectors"))
    return parse_vectors(p, d, args, n);
  if (arg_is(k, "vector_sif"))
    return parse_vector_sif(p, d, args, n);
  if (arg_is(k, "norm"))
    return parse_norm(p, d, args, n);
  if (arg_is(k, "kind")) {
    static const char *const names[] = {"linear", "logistic", NULL};
    static const int values[] = {FS_DIM_LINEAR, FS_DIM_LOGISTIC};
    return parse_choice(p, args, n, names, values, &d->kind);
  }
  if (arg_is(k, "voice")) {
    static const char *const names[] = {"author", "quote", "all", NULL};
    static const int values[] = {FS_VOICE_AUTHOR, FS_VOICE_QUOTE, FS_VOICES};
    return parse_choice(p, args, n, names, values, &d->voice);
  }
  if (arg_is(k, "context_matches")) {
    static const char *const names[] = {"all", "framing", NULL};
    static const int values[] = {0, 1};
    int v = 0, rc = parse_choice(p, args, n, names, values, &v);
    d->ctx_framing = v;
    return rc;
  }
  if (arg_is(k, "count")) {
    static const char *const names[] = {"matches", "weights", NULL};
    static const int values[] = {0, 1};
    int v = 0, rc = parse_choice(p, args, n, names, values, &v);
    d->weights = v;
    p->count_line = p->line;
    p->count_col = k->col;
    return rc;
  }
  static const char *const logistic_keys[4] = {"intercept", "threshold", "unit",
                                               "transform"};
  for (int i = 0; i < 4; i++) {
    if (!arg_is(k, logistic_keys[i]))
      continue;
    p->logistic_line[i] = p->line;
    p->logistic_col[i] = k->col;
    if (i == 2) {
      static const char *const names[] = {"sentence", "document", NULL};
      static const int values[] = {FS_UNIT_SENTENCE, FS_UNIT_DOCUMENT};
      return parse_choice(p, args, n, names, values, &d->unit);
    }
    if (i == 3) {
      static const char *const names[] = {"log1p", NULL};
      static const int values[] = {0};
      int v;
      return parse_choice(p, args, n, names, values, &v);
    }
    double v;
    int rc = need_args(p, args, n, 2);
    if (rc || (rc = parse_value(p, &args[1], &v)))
      return rc;
    if (i == 1 && !(v > 0 && v < 1))
      return perr(p, args[1].col,
                  "a threshold is a probability between 0 "
                  "and 1 (exclusive)");
    *(i == 0 ? &d->intercept : &d->threshold) = v;
    return FS_OK;
  }
  return perr(p, k->col,
              "unknown keyword '%.*s' (weight, about, kind, voice, norm, "
              "count, intercept, threshold, unit, transform, context, "
              "context_matches, tagger, vectors, vector_sif, dimension)",
              (int)k->len, k->s);
}

static int parse_line(parser *p, const char *line, size_t len, bool *header) {
  arg args[MAX_ARGS];
  size_t n = split(line, len, args);
  if (n == 0 || args[0].s[0] == '#')
    return FS_OK;
  if (n == MAX_ARGS &&
      (arg_is(&args[0], "about") || arg_is(&args[0], "context") ||
       arg_is(&args[0], "tagger"))) {
    /* an about text, and an embedded model's line, is the rest of the
     * line, however many words (found by fuzz_model: control bytes
     * written as spaces made more than fit) */
    size_t end = len;
    while (end > 0 &&
           (line[end - 1] == ' ' || line[end - 1] == '\t' ||
            line[end - 1] == '\r'))
      end--;
    args[n - 1].len = (size_t)(line + end - args[n - 1].s);
  } else if (n == MAX_ARGS) {
    return perr(p, args[n - 1].col, "too many words on one line");
  }
  if (!*header) {
    if (!arg_is(&args[0], MODEL_MAGIC))
      return perr(p, args[0].col,
                  "expected '" MODEL_MAGIC " 1' as the first line of a model");
    int rc = need_args(p, args, n, 2);
    if (rc)
      return rc;
    if (!arg_is(&args[1], "1"))
      return perr(p, args[1].col,
                  "unsupported model format version '%.*s' (this framescore "
                  "reads version %d)",
                  (int)args[1].len, args[1].s, MODEL_VERSION);
    *header = true;
    return FS_OK;
  }
  if (arg_is(&args[0], "dimension"))
    return start_dimension(p, args, n);
  if (p->dim < 0)
    return perr(p, args[0].col,
                "'%.*s' outside a dimension (start one "
                "with 'dimension NAME')",
                (int)args[0].len, args[0].s);
  return parse_dim_line(p, args, n);
}

/* Lists every stem feature by stem id, so a token's stem finds the features
 * that use it. */
static int index_stems(fs_model *m) {
  size_t ns = m->stems.count;
  free(m->refs);
  free(m->ref_start);
  m->refs =
      malloc((m->nstem_features ? m->nstem_features : 1) * sizeof *m->refs);
  m->ref_start = calloc(ns + 2, sizeof *m->ref_start);
  if (!m->refs || !m->ref_start)
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < m->ndims; i++)
    for (size_t f = 0; f < m->dims[i].nfeatures; f++)
      if (m->dims[i].features[f].stem)
        m->ref_start[m->dims[i].features[f].stem_id + 2]++;
  for (size_t s = 0; s < ns; s++)
    m->ref_start[s + 2] += m->ref_start[s + 1];
  for (size_t i = 0; i < m->ndims; i++)
    for (size_t f = 0; f < m->dims[i].nfeatures; f++) {
      const fs_feature *ft = &m->dims[i].features[f];
      if (ft->stem)
        m->refs[m->ref_start[ft->stem_id + 1]++] =
            (fs_stem_ref){(uint32_t)i, (uint32_t)f};
    }
  return FS_OK;
}

fs_model *fs_model_parse(const char *name, const char *data, size_t len,
                         fs_error *err) {
  fs_model *m = fs_model_new(name);
  if (!m) {
    fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  parser p = {name, err, m, 0, -1, {0}, {0}, 0, 0, 0, 0};
  bool header = false;
  size_t i = 0;
  int rc = FS_OK;
  if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
    i = 3;
  while (i < len && rc == FS_OK) {
    const char *nl = memchr(data + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - data) : len;
    size_t e = end;
    if (e > i && data[e - 1] == '\r')
      e--;
    p.line++;
    if (memchr(data + i, '\0', e - i))
      rc = perr(&p, 1, "NUL byte in a model file");
    else
      rc = parse_line(&p, data + i, e - i, &header);
    i = end + 1;
  }
  if (rc == FS_OK)
    rc = finish_dimension(&p);
  if (rc == FS_OK && !header) {
    p.line = 0;
    rc = perr(&p, 0, "empty model: expected '" MODEL_MAGIC " 1'");
  }
  if (rc == FS_OK && m->ndims == 0) {
    p.line = 0;
    rc = perr(&p, 0, "the model defines no dimension");
  }
  if (rc == FS_OK && index_stems(m) != FS_OK)
    rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  if (rc != FS_OK) {
    fs_model_free(m);
    return NULL;
  }
  return m;
}

fs_model *fs_model_load(const char *path, fs_error *err) {
  char *data;
  size_t len;
  if (fs_read_file(path, FS_MODEL_FILE_MAX, "the model file limit", &data, &len,
                   err))
    return NULL;
  fs_model *m = fs_model_parse(path, data, len, err);
  free(data);
  return m;
}

/* ---- binding ------------------------------------------------------------- */

bool fs_model_glob_covers(const char *glob, const char *name) {
  size_t g = strlen(glob);
  if (g == 1 && glob[0] == '*')
    return true;
  if (g > 2 && !strcmp(glob + g - 2, ".*"))
    return !strncmp(name, glob, g - 1); /* "loaded." prefix */
  return !strncmp(name, glob, g) && (name[g] == '\0' || name[g] == '.');
}

/* An embedded model's text as a file of its own: the magic line, then its
 * lines (body, blen bytes and a NUL), in a new buffer of *len bytes and a
 * NUL. Sets err (out of memory) and returns NULL when it cannot. */
static char *embedded_file(const char *magic, const char *body, size_t blen,
                           size_t *len, fs_error *err) {
  size_t mlen = strlen(magic);
  *len = mlen + blen;
  char *text = malloc(*len + 1);
  if (!text) {
    fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  memcpy(text, magic, mlen);
  memcpy(text + mlen, body, blen + 1);
  return text;
}

/* An error of the embedded parse of a dimension's lines (what: "context"
 * or "tagger"), at line l of the embedded file (its magic line, then the
 * kept lines), told at that line's place in the model file (pos, npos);
 * errors elsewhere (the magic line, an added line, the whole file, none
 * for a model made in memory) keep the embedded file's name and place. */
static void embedded_error(const fs_model *m, const fs_dimension *d,
                           const char *what, const fs_line_pos *pos,
                           size_t npos, fs_error *err) {
  long l = err->line;
  if (l < 2 || (size_t)(l - 2) >= npos || !m->name)
    return;
  const fs_line_pos *at = &pos[l - 2];
  char msg[sizeof err->msg];
  snprintf(msg, sizeof msg, "dimension %.64s, %s line: %.400s", d->name,
           what, err->msg);
  fs_error_set(err, FS_ERR_INPUT, m->name, at->line,
               err->col > 0 ? at->col + err->col - 1 : 0, "%s", msg);
}

/* Parses a dimension's embedded context model for the lexicon. */
static int bind_context(const fs_model *m, fs_dimension *d,
                        const fs_lexicon *lex, fs_error *err) {
  if (!d->context_text || !d->nctx_features)
    return fs_error_set(err, FS_ERR_INPUT, m->name, d->line, 1,
                        "dimension '%s': context: features need context "
                        "lines (the embedded context model), and context "
                        "lines need context: features",
                        d->name);
  size_t len;
  char *text = embedded_file("framescore-context 1\n", d->context_text,
                             d->context_len, &len, err);
  if (!text)
    return FS_ERR_NOMEM;
  char name[300];
  snprintf(name, sizeof name, "%s (dimension %s, context lines)", m->name,
           d->name);
  d->cm = fs_context_model_parse(name, text, len, lex, err);
  free(text);
  if (!d->cm)
    embedded_error(m, d, "context", d->context_pos, d->ncontext_pos, err);
  return d->cm ? FS_OK : FS_ERR_INPUT;
}

/* The embedded line "word_vectors DIGEST DIM [PATH]" of [c, nl): its
 * first three spaces stand for tabs (a path may hold spaces). */
static void vectors_line_tabs(char *c, const char *nl) {
  int n = 0;
  for (char *q = c; q < nl && n < 3; q++)
    if (*q == ' ')
      *q = '\t', n++;
}

/* Gives dimension d's taggers that were trained with word vectors the
 * vectors wv (named in errors as the model's). */
static int tagger_levels_vectors(const fs_model *m, fs_dimension *d,
                                 const fs_word_vectors *wv, fs_error *err) {
  uint64_t digest;
  unsigned dim;
  for (size_t k = 0; k < FS_TAGLV_N; k++) {
    if (!fs_tagger_vectors_needed(d->tg[k], &digest, &dim))
      continue;
    int rc = fs_tagger_use_vectors(d->tg[k], wv, err);
    if (rc == FS_ERR_INPUT)
      fs_error_set(err, rc, m->name, d->line, 1,
                   "dimension %s: its span tagger (tagger lines) was "
                   "trained with other word vectors: %u components, digest "
                   "%016" PRIx64 " there, %u and %016" PRIx64 " here",
                   d->name, dim, digest, wv->dim, wv->digest);
    if (rc)
      return rc;
  }
  return FS_OK;
}

/* Parses a dimension's embedded span tagger: each "tagger" line is a line
 * of a tagger file whose last space stands for its tab (the word_vectors
 * line: vectors_line_tabs). */
static int bind_tagger(const fs_model *m, fs_dimension *d, fs_error *err) {
  if (!d->tagger_text || !d->ntag_features)
    return fs_error_set(err, FS_ERR_INPUT, m->name, d->line, 1,
                        "dimension '%s': tagger: features need tagger "
                        "lines (the embedded span tagger), and tagger "
                        "lines need tagger: features",
                        d->name);
  static const char magic[] = "framescore-tagger 1\n";
  size_t len;
  char *text = embedded_file(magic, d->tagger_text, d->tagger_len, &len, err);
  if (!text)
    return FS_ERR_NOMEM;
  for (char *c = text + sizeof magic - 1; *c;) {
    char *nl = strchr(c, '\n'), *sp = NULL;
    if (!strncmp(c, "word_vectors ", 13)) {
      vectors_line_tabs(c, nl);
      c = nl + 1;
      continue;
    }
    for (char *q = c; q < nl; q++)
      if (*q == ' ')
        sp = q;
    if (sp)
      *sp = '\t';
    c = nl + 1;
  }
  char name[300];
  snprintf(name, sizeof name, "%s (dimension %s, tagger lines)", m->name,
           d->name);
  int rc = fs_model_tagger_levels(name, text, len, d->tg, err);
  free(text);
  if (rc == FS_ERR_INPUT)
    embedded_error(m, d, "tagger", d->tagger_pos, d->ntagger_pos, err);
  if (!rc && m->tagger_vectors)
    rc = tagger_levels_vectors(m, d, m->tagger_vectors, err);
  return rc;
}

int fs_model_bind(fs_model *m, const fs_lexicon *lex, fs_error *err) {
  unbind(m);
  if (!m->ref_start && index_stems(m) != FS_OK)
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  size_t nc = lex->ncats;
  m->lex = lex;
  m->ncats = nc;
  for (size_t i = 0; i < m->ndims; i++) {
    fs_dimension *d = &m->dims[i];
    d->catw = calloc(nc ? nc : 1, sizeof *d->catw);
    d->den = calloc(nc ? nc : 1, sizeof *d->den);
    if (!d->catw || !d->den)
      goto nomem;
    if (d->nctx_features || d->context_text) {
      int rc = bind_context(m, d, lex, err);
      if (rc) {
        unbind(m);
        return rc;
      }
    }
    if (d->ntag_features || d->tagger_text) {
      int rc = bind_tagger(m, d, err);
      if (rc) {
        unbind(m);
        return rc;
      }
    }
    for (size_t f = 0; f < d->nfeatures; f++) {
      fs_feature *ft = &d->features[f];
      if (ft->stem || ft->ctxagg || ft->shape || ft->tagagg || ft->vec) {
        d->active = true;
        continue;
      }
      ft->cats = malloc((nc ? nc : 1) * sizeof *ft->cats);
      if (!ft->cats)
        goto nomem;
      for (size_t c = 0; c < nc; c++)
        if (fs_model_glob_covers(ft->name, lex->cats[c].name)) {
          ft->cats[ft->ncats++] = (uint32_t)c;
          d->catw[c] += ft->weight;
          d->active = true;
        }
    }
    for (size_t s = 0; s < d->nshare; s++)
      for (size_t c = 0; c < nc; c++)
        if (fs_model_glob_covers(d->share_of[s], lex->cats[c].name))
          d->den[c] = true;
  }
  return FS_OK;
nomem:
  unbind(m);
  return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

const fs_dimension *fs_model_tagger_vectors(const fs_model *m,
                                            uint64_t *digest, unsigned *dim) {
  for (size_t i = 0; i < m->ndims; i++)
    for (size_t k = 0; k < FS_TAGLV_N; k++)
      if (fs_tagger_vectors_needed(m->dims[i].tg[k], digest, dim))
        return &m->dims[i];
  return NULL;
}

int fs_model_bind_tagger_vectors(fs_model *m, fs_word_vectors *wv, bool own,
                                 const char *name, fs_error *err) {
  /* every tagger first, so that a refusal leaves none bound */
  for (size_t i = 0; i < m->ndims; i++)
    for (size_t k = 0; k < FS_TAGLV_N; k++) {
      const fs_dimension *d = &m->dims[i];
      uint64_t digest;
      unsigned dim;
      if (fs_tagger_vectors_needed(d->tg[k], &digest, &dim) &&
          (dim != wv->dim || digest != wv->digest))
        return fs_error_set(
            err, FS_ERR_INPUT, name, 0, 0,
            "not the word vectors the span tagger of %s (dimension %s) was "
            "trained with: %u components, digest %016" PRIx64 " here, %u "
            "and %016" PRIx64 " there",
            m->name, d->name, wv->dim, wv->digest, dim, digest);
    }
  for (size_t i = 0; i < m->ndims; i++) {
    int rc = tagger_levels_vectors(m, &m->dims[i], wv, err);
    if (rc)
      return rc;
  }
  if (m->tagger_vectors_own && m->tagger_vectors != wv) {
    fs_word_vectors_free(m->tagger_vectors);
    free(m->tagger_vectors);
  }
  m->tagger_vectors = wv;
  m->tagger_vectors_own = own;
  return FS_OK;
}

/* ---- scoring ------------------------------------------------------------- */

static bool in_voice(int want, int voice) {
  return want == FS_VOICES || want == voice;
}

static bool is_word(const fs_tok *t) {
  return t->kind == FS_TOK_WORD || t->kind == FS_TOK_NUMBER;
}

/* First match whose first token is at or after token a (matches are sorted
 * by first token). */
static size_t first_match(const fs_doc *d, size_t a) {
  size_t lo = 0, hi = d->nmatches;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->matches[mid].tok_start < a)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

void fs_sparse_free(fs_sparse *x) {
  free(x->idx);
  free(x->val);
  free(x->cat);
  free(x->cprob);
  free(x->ttag);
  free(x->tprob);
  free(x->vec);
  memset(x, 0, sizeof *x);
}

static int sparse_push(fs_sparse *x, uint32_t i, double v) {
  if (x->n == x->cap) {
    size_t cap = x->cap ? 2 * x->cap : 64;
    uint32_t *idx = realloc(x->idx, cap * sizeof *idx);
    if (idx)
      x->idx = idx;
    double *val = realloc(x->val, cap * sizeof *val);
    if (val)
      x->val = val;
    if (!idx || !val)
      return FS_ERR_NOMEM;
    x->cap = cap;
  }
  x->idx[x->n] = i;
  x->val[x->n++] = v;
  return FS_OK;
}

/* Sorts by index and adds up duplicates (a stem seen twice). */
static void sparse_settle(fs_sparse *x, bool binary) {
  for (size_t i = 1; i < x->n; i++) { /* insertion sort: vectors are short */
    uint32_t k = x->idx[i];
    double v = x->val[i];
    size_t j = i;
    for (; j > 0 && x->idx[j - 1] > k; j--) {
      x->idx[j] = x->idx[j - 1];
      x->val[j] = x->val[j - 1];
    }
    x->idx[j] = k;
    x->val[j] = v;
  }
  size_t w = 0;
  for (size_t i = 0; i < x->n; i++) {
    if (w > 0 && x->idx[w - 1] == x->idx[i]) {
      x->val[w - 1] += x->val[i];
      continue;
    }
    x->idx[w] = x->idx[i];
    x->val[w++] = x->val[i];
  }
  x->n = w;
  if (binary)
    for (size_t i = 0; i < x->n; i++)
      x->val[i] = 1.0;
}

/* Looks a token's stem up among the model's stem features. */
static uint32_t token_stem(const fs_model *m, const fs_ctx *ctx,
                           const fs_tok *t) {
  const char *s = fs_ctx_stem(ctx, t->stem);
  return fs_intern_find(&m->stems, s, strlen(s));
}

static const char *const ctxagg_names[FS_CTXAGG_N] = {"max", "sum", "mean",
                                                     "author", "quote"};

const char *fs_model_ctxagg_name(size_t i) {
  return i < FS_CTXAGG_N ? ctxagg_names[i] : NULL;
}

/* A match that weighs in the loaded-language score: not event vocabulary,
 * not an entry of weight 0 (scare quotes have no entry and weigh). */
static bool framing_match(const fs_lexicon *lex, const fs_match *m) {
  return !m->event &&
         (m->entry == FS_NONE || lex->entries[m->entry].weight != 0);
}

void fs_model_ctxagg(const fs_lexicon *lex, const fs_doc *d, const float *prob,
                     int voice, bool framing, size_t a, size_t b,
                     double out[FS_CTXAGG_N]) {
  double mx = 0, sum = 0, n = 0, author = 0, quote = 0;
  for (size_t i = first_match(d, a); i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    if (m->tok_start >= b)
      break;
    if (m->category >= lex->ncats || !fs_category_in_score(lex, m->category) ||
        !in_voice(voice, m->voice) || (framing && !framing_match(lex, m)))
      continue;
    double p = prob[i];
    mx = fmax(mx, p);
    sum += p;
    n++;
    if (m->voice == FS_VOICE_QUOTE)
      quote += p;
    else
      author += p;
  }
  out[0] = mx;
  out[1] = log1p(sum);
  out[2] = n > 0 ? sum / n : 0;
  out[3] = log1p(author);
  out[4] = log1p(quote);
}

/* Pushes the context: features of dimension dim on tokens [a, b), with the
 * document's match probabilities computed once into x. */
static int ctxagg_features(const fs_model *m, size_t dim, const fs_doc *d,
                           size_t a, size_t b, fs_sparse *x) {
  const fs_dimension *dm = &m->dims[dim];
  if (x->cdoc != d || x->cdim != dim) {
    if (fs_grow(&x->cprob, &x->cprob_cap, d->nmatches + 1, sizeof *x->cprob))
      return FS_ERR_NOMEM;
    fs_context_scratch sc = {0};
    if (fs_context_scratch_fill(&sc, m->lex, d)) {
      fs_context_scratch_free(&sc);
      return FS_ERR_NOMEM;
    }
    for (size_t i = 0; i < d->nmatches; i++)
      x->cprob[i] = d->matches[i].category < m->lex->ncats
                        ? (float)fs_context_prob(dm->cm, m->lex, &sc, d, i)
                        : 1.0f;
    fs_context_scratch_free(&sc);
    x->cdoc = d;
    x->cdim = dim;
  }
  double v[FS_CTXAGG_N];
  fs_model_ctxagg(m->lex, d, x->cprob, dm->voice, dm->ctx_framing, a, b, v);
  for (size_t f = 0; f < dm->nfeatures; f++) {
    int k = dm->features[f].ctxagg;
    if (k && v[k - 1] != 0 && sparse_push(x, (uint32_t)f, v[k - 1]))
      return FS_ERR_NOMEM;
  }
  return FS_OK;
}

static const char *const tagagg_names[FS_TAGAGG_N] = {
    "half", "count", "double", "max", "top3", "sum"};
static const double tagagg_mult[FS_TAGLV_N] = {0.5, 1, 2};

const char *fs_model_tagagg_name(size_t i) {
  return i < FS_TAGAGG_N ? tagagg_names[i] : NULL;
}

void fs_model_tagagg(const fs_doc *d, const uint8_t *tag, const double *prob,
                     size_t a, size_t b, double out[FS_TAGAGG_N]) {
  for (size_t i = 0; i < FS_TAGLV_N; i++) {
    double tagged = 0;
    for (size_t k = a; k < b && k < d->ntokens; k++)
      tagged += d->tokens[k].kind == FS_TOK_WORD && tag[i * d->ntokens + k];
    out[i] = log1p(tagged);
  }
  double top[3] = {0, 0, 0}, sum = 0;
  size_t words = 0;
  for (size_t k = a; k < b && k < d->ntokens; k++) {
    if (d->tokens[k].kind != FS_TOK_WORD)
      continue;
    double p = prob[k];
    words++;
    sum += p;
    for (size_t j = 0; j < 3; j++)
      if (p > top[j]) {
        double v = top[j];
        top[j] = p, p = v;
      }
  }
  size_t n = words < 3 ? words : 3;
  out[FS_TAGLV_N] = top[0];
  out[FS_TAGLV_N + 1] = n ? (top[0] + top[1] + top[2]) / (double)n : 0;
  out[FS_TAGLV_N + 2] = log1p(sum);
}

int fs_model_tagger_levels(const char *name, const char *text, size_t len,
                           struct fs_tagger *tg[FS_TAGLV_N], fs_error *err) {
  memset(tg, 0, FS_TAGLV_N * sizeof *tg);
  fs_tagger *base = fs_tagger_parse(name, text, len, err);
  if (!base)
    return FS_ERR_INPUT;
  /* the threshold the text gives, found the way the tagger reads it */
  double t = 0.5;
  for (const char *c = text; c && c < text + len;) {
    if (!strncmp(c, "threshold\t", 10))
      t = strtod(c + 10, NULL);
    c = memchr(c, '\n', (size_t)(text + len - c));
    c = c ? c + 1 : NULL;
  }
  fs_tagger_free(base);
  /* each level: the text with its threshold line replaced */
  char *buf = malloc(len + 64);
  if (!buf)
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  int rc = FS_OK;
  for (size_t i = 0; i < FS_TAGLV_N && !rc; i++) {
    size_t n = 0;
    bool done = false;
    for (const char *c = text; c < text + len;) {
      const char *nl = memchr(c, '\n', (size_t)(text + len - c));
      size_t l = nl ? (size_t)(nl - c) + 1 : (size_t)(text + len - c);
      if (!done && !strncmp(c, "threshold\t", 10)) {
        n += (size_t)sprintf(buf + n, "threshold\t%.17g\n",
                             fmin(t * tagagg_mult[i], 1.0));
        done = true;
      } else {
        memcpy(buf + n, c, l);
        n += l;
      }
      c += l;
    }
    if (!done)
      n += (size_t)sprintf(buf + n, "\nthreshold\t%.17g\n",
                           fmin(t * tagagg_mult[i], 1.0));
    if (!(tg[i] = fs_tagger_parse(name, buf, n, err)))
      rc = FS_ERR_INPUT;
  }
  free(buf);
  for (size_t i = 0; rc && i < FS_TAGLV_N; i++) {
    fs_tagger_free(tg[i]);
    tg[i] = NULL;
  }
  return rc;
}

/* Pushes the tagger: features of dimension dim on tokens [a, b), the
 * document tagged once into x. fs_tagger_apply() writes the tags into the
 * document and keeps its buffers in the context: both are the caller's
 * alone while it scores (one thread per context and document), and the
 * document's own tags (eval --tagger) are put back. */
static int tagagg_features(const fs_model *m, size_t dim, const fs_ctx *ctx,
                           const fs_doc *d, size_t a, size_t b, fs_sparse *x) {
  const fs_dimension *dm = &m->dims[dim];
  if (x->tdoc != d || x->tdim != dim) {
    fs_doc *md = (fs_doc *)d;
    uint8_t *own = md->tok_tag;
    bool own_union = md->tag_union;
    md->tok_tag = NULL;
    int rc = fs_grow(&x->ttag, &x->ttag_cap, FS_TAGLV_N * d->ntokens + 1, 1);
    if (!rc)
      rc = fs_grow(&x->tprob, &x->tprob_cap, d->ntokens + 1, sizeof *x->tprob);
    for (size_t i = 0; i < FS_TAGLV_N && !rc; i++) {
      /* the probabilities are the same at every level: read at one */
      rc = i == 1 ? fs_tagger_probabilities(dm->tg[i], (fs_ctx *)ctx, md,
                                            x->tprob)
                  : fs_tagger_apply(dm->tg[i], (fs_ctx *)ctx, md);
      if (!rc)
        memcpy(x->ttag + i * d->ntokens, md->tok_tag, d->ntokens);
      free(md->tok_tag);
      md->tok_tag = NULL;
    }
    md->tok_tag = own;
    md->tag_union = own_union;
    if (rc) /* FS_ERR_USAGE: the tagger's word vectors are not given */
      return rc == FS_ERR_USAGE ? rc : FS_ERR_NOMEM;
    x->tdoc = d;
    x->tdim = dim;
  }
  double v[FS_TAGAGG_N];
  fs_model_tagagg(d, x->ttag, x->tprob, a, b, v);
  for (size_t f = 0; f < dm->nfeatures; f++) {
    int k = dm->features[f].tagagg;
    if (k && v[k - 1] != 0 && sparse_push(x, (uint32_t)f, v[k - 1]))
      return FS_ERR_NOMEM;
  }
  return FS_OK;
}

static const char *const shape_names[FS_SHAPE_N] = {
    "words",      "capitalised", "quoted",   "numbers",
    "hyphenated", "scare",       "question", "exclamation"};

const char *fs_model_shape_name(size_t i) {
  return i < FS_SHAPE_N ? shape_names[i] : NULL;
}

void fs_model_shape(const fs_doc *d, size_t a, size_t b,
                    double out[FS_SHAPE_N]) {
  double words = 0, caps = 0, quoted = 0, nums = 0, joined = 0;
  bool scare = false, question = false, exclamation = false;
  for (size_t k = a; k < b && k < d->ntokens; k++) {
    const fs_tok *t = &d->tokens[k];
    if (t->kind == FS_TOK_WORD || t->kind == FS_TOK_NUMBER) {
      /* a sentence's first word is capitalised whatever it is */
      caps += words > 0 && (t->flags & FS_TOKF_UPPER);
      words++;
      nums += t->kind == FS_TOK_NUMBER;
      quoted += t->voice == FS_VOICE_QUOTE;
      joined += (t->flags & FS_TOKF_JOINED) != 0;
      scare |= (t->flags & FS_TOKF_SCARE) != 0;
    } else if (t->kind == FS_TOK_PUNCT && t->byte_start < d->len) {
      question |= d->text[t->byte_start] == '?';
      exclamation |= d->text[t->byte_start] == '!';
    }
  }
  double den = words > 0 ? words : 1;
  out[0] = log1p(words);
  out[1] = caps / den;
  out[2] = quoted / den;
  out[3] = nums / den;
  out[4] = joined / den;
  out[5] = scare;
  out[6] = question;
  out[7] = exclamation;
}

size_t fs_model_pair_name(const fs_ctx *ctx, uint32_t s1, uint32_t s2,
                          char *buf, size_t cap) {
  const char *a = fs_ctx_stem(ctx, s1), *b = fs_ctx_stem(ctx, s2);
  size_t la = strlen(a), lb = strlen(b);
  if (!la || !lb || la + lb + 2 > cap)
    return 0;
  memcpy(buf, a, la);
  buf[la] = '|';
  memcpy(buf + la + 1, b, lb);
  buf[la + 1 + lb] = '\0';
  return la + 1 + lb;
}

size_t fs_model_affix_key(const char *form, size_t len, int n, bool suffix,
                          char *buf, size_t cap) {
  if (n < 1 || n > FS_MODEL_AFFIX_MAX)
    return 0;
  /* the byte offsets of the first n + 1 code points' starts, and of the
   * last n ones' (a ring) */
  size_t head[FS_MODEL_AFFIX_MAX + 1], tail[FS_MODEL_AFFIX_MAX];
  size_t i = 0, ncp = 0;
  while (i < len) {
    if (ncp <= (size_t)n)
      head[ncp] = i;
    tail[ncp % (size_t)n] = i;
    int bad = 0;
    fs_utf8_next((const unsigned char *)form, len, &i, &bad);
    ncp++;
  }
  if (ncp <= (size_t)n)
    return 0;
  size_t a = suffix ? tail[(ncp - (size_t)n) % (size_t)n] : 0;
  size_t b = suffix ? len : head[n];
  if (b - a + 2 > cap)
    return 0;
  buf[0] = suffix ? '\x03' : '\x02';
  memcpy(buf + 1, form + a, b - a);
  buf[b - a + 1] = '\0';
  return b - a + 1;
}

int fs_model_ngrams(const char *form, size_t len, int lo, int hi,
                    int (*fn)(void *data, const char *key, size_t len),
                    void *data) {
  /* "<form>" and the byte offsets of its code points' starts (and its end) */
  char buf[4 * FS_MODEL_NGRAM_WORD + 4], key[4 * FS_MODEL_NGRAM_MAX + 2];
  size_t at[FS_MODEL_NGRAM_WORD + 3], ncp = 0, i = 0;
  if (lo < 1 || hi > FS_MODEL_NGRAM_MAX || len + 2 >= sizeof buf)
    return 0;
  at[ncp++] = 0;
  while (i < len) {
    if (ncp > FS_MODEL_NGRAM_WORD)
      return 0;
    at[ncp++] = i + 1;
    int bad = 0;
    fs_utf8_next((const unsigned char *)form, len, &i, &bad);
  }
  at[ncp++] = len + 1;
  at[ncp] = len + 2;
  buf[0] = '<';
  memcpy(buf + 1, form, len);
  buf[len + 1] = '>';
  key[0] = '\x04';
  for (int n = lo; n <= hi; n++)
    for (size_t s = 0; s + (size_t)n <= ncp; s++) {
      size_t kl = at[s + (size_t)n] - at[s];
      if (kl + 2 > sizeof key)
        continue;
      memcpy(key + 1, buf + at[s], kl);
      key[kl + 1] = '\0';
      int rc = fn(data, key, kl + 1);
      if (rc)
        return rc;
    }
  return 0;
}

/* Pushes the features of dimension dim that key s (a stem, pair or affix
 * of m->stems; FS_NONE: none) names, each with value 1. */
static int push_refs(const fs_model *m, size_t dim, uint32_t s, fs_sparse *x) {
  if (s == FS_NONE)
    return FS_OK;
  for (uint32_t r = m->ref_start[s]; r < m->ref_start[s + 1]; r++)
    if (m->refs[r].dim == dim && sparse_push(x, m->refs[r].feature, 1.0))
      return FS_ERR_NOMEM;
  return FS_OK;
}

/* Pushes the affix features of each word (not number) in tokens [a, b) in
 * the voice: the definition train --affixes counts. */
static int affix_features(const fs_model *m, size_t dim, const fs_ctx *ctx,
                          const fs_doc *d, size_t a, size_t b, fs_sparse *x) {
  const fs_dimension *dm = &m->dims[dim];
  char buf[4 * FS_MODEL_AFFIX_MAX + 2];
  for (size_t k = a; k < b && k < d->ntokens; k++) {
    const fs_tok *t = &d->tokens[k];
    if (t->kind != FS_TOK_WORD || !in_voice(dm->voice, t->voice))
      continue;
    const char *form = fs_ctx_form(ctx, t->form);
    size_t len = strlen(form);
    for (int n = 1; n <= FS_MODEL_AFFIX_MAX; n++)
      for (int suffix = 0; suffix < 2; suffix++) {
        size_t kl = fs_model_affix_key(form, len, n, suffix, buf, sizeof buf);
        if (!kl) {
          n = FS_MODEL_AFFIX_MAX; /* the word is too short for longer ones */
          break;
        }
        if (push_refs(m, dim, fs_intern_find(&m->stems, buf, kl), x))
          return FS_ERR_NOMEM;
      }
  }
  return FS_OK;
}

typedef struct ngram_push {
  const fs_model *m;
  size_t dim;
  fs_sparse *x;
} ngram_push;

static int push_ngram(void *data, const char *key, size_t len) {
  ngram_push *np = data;
  return push_refs(np->m, np->dim, fs_intern_find(&np->m->stems, key, len),
                   np->x);
}

/* Pushes the character n-gram features of each word (not number) in
 * tokens [a, b) in the voice: the definition train --char-ngrams counts. */
static int ngram_features(const fs_model *m, size_t dim, const fs_ctx *ctx,
                          const fs_doc *d, size_t a, size_t b, fs_sparse *x) {
  const fs_dimension *dm = &m->dims[dim];
  ngram_push np = {m, dim, x};
  for (size_t k = a; k < b && k < d->ntokens; k++) {
    const fs_tok *t = &d->tokens[k];
    if (t->kind != FS_TOK_WORD || !in_voice(dm->voice, t->voice))
      continue;
    const char *form = fs_ctx_form(ctx, t->form);
    if (fs_model_ngrams(form, strlen(form), m->ngram_min, m->ngram_max,
                        push_ngram, &np))
      return FS_ERR_NOMEM;
  }
  return FS_OK;
}

/* Pushes the pair features of each two consecutive words of a sentence in
 * tokens [a, b) (punctuation between them ignored), both in the voice: the
 * definition train --pairs counts (fs_model_pair_name). */
static int pair_features(const fs_model *m, size_t dim, const fs_ctx *ctx,
                         const fs_doc *d, size_t a, size_t b, fs_sparse *x) {
  const fs_dimension *dm = &m->dims[dim];
  char buf[FS_MODEL_PAIR_MAX];
  size_t prev = SIZE_MAX;
  for (size_t k = a; k < b && k < d->ntokens; k++) {
    const fs_tok *t = &d->tokens[k];
    if (!is_word(t))
      continue;
    if (!in_voice(dm->voice, t->voice)) {
      prev = SIZE_MAX;
      continue;
    }
    size_t p = prev;
    prev = k;
    if (p == SIZE_MAX || d->tokens[p].sentence != t->sentence)
      continue;
    size_t n = fs_model_pair_name(ctx, d->tokens[p].stem, t->stem, buf,
                                  sizeof buf);
    if (n && push_refs(m, dim, fs_intern_find(&m->stems, buf, n), x))
      return FS_ERR_NOMEM;
  }
  return FS_OK;
}

/* Category c's count (or weight sum) in the whole document, in the
 * dimension's voice: 0 past the document's categories. */
static double doc_cat(const fs_dimension *dm, const fs_doc_stats *st,
                      bool weighted, uint32_t c) {
  if (c >= st->ncat)
    return 0;
  const size_t *n = &st->matches[c * FS_VOICES];
  return weighted ? st->weight[c * FS_VOICES + dm->voice]
         : dm->voice == FS_VOICES
             ? (double)(n[FS_VOICE_AUTHOR] + n[FS_VOICE_QUOTE])
             : (double)n[dm->voice];
}

int fs_model_features(const fs_model *m, size_t dim, const fs_ctx *ctx,
                      const fs_doc *d, size_t a, size_t b, fs_sparse *x) {
  const fs_dimension *dm = &m->dims[dim];
  bool logistic = dm->kind == FS_DIM_LOGISTIC;
  x->n = 0;
  bool weighted = dm->weights && !logistic;
  /* the whole document: its counts per category and voice are the sums
   * (a weight sum of one voice was added up in this same match order),
   * read where a feature needs them: filling a vector of every category
   * first cost about 3,000 instructions a document (12 dimensions) */
  bool whole =
      a == 0 && b >= d->ntokens && (!weighted || dm->voice != FS_VOICES);
  if (!whole) {
    if (m->ncats > x->cat_cap) {
      double *c = realloc(x->cat, m->ncats * sizeof *c);
      if (!c)
        return FS_ERR_NOMEM;
      x->cat = c;
      x->cat_cap = m->ncats;
    }
    memset(x->cat, 0, m->ncats * sizeof *x->cat);
    for (size_t i = first_match(d, a); i < d->nmatches; i++) {
      const fs_match *mt = &d->matches[i];
      if (mt->tok_start >= b)
        break;
      if (in_voice(dm->voice, mt->voice) && mt->category < m->ncats &&
          !mt->event)
        x->cat[mt->category] += weighted ? mt->weight : 1.0;
    }
  }
  for (size_t f = 0; f < dm->nfeatures; f++) {
    const fs_feature *ft = &dm->features[f];
    if (ft->stem || ft->ctxagg || ft->shape || ft->tagagg || ft->vec ||
        !ft->ncats)
      continue;
    double v = 0;
    for (size_t c = 0; c < ft->ncats; c++)
      v += whole ? doc_cat(dm, &d->stats, weighted, ft->cats[c])
                 : x->cat[ft->cats[c]];
    if (v != 0 && sparse_push(x, (uint32_t)f, logistic ? log1p(v) : v))
      return FS_ERR_NOMEM;
  }
  if (m->nstem_features) {
    for (size_t k = a; k < b && k < d->ntokens; k++) {
      const fs_tok *t = &d->tokens[k];
      if (!is_word(t) || !in_voice(dm->voice, t->voice))
        continue;
      if (push_refs(m, dim, token_stem(m, ctx, t), x))
        return FS_ERR_NOMEM;
    }
  }
  if (m->npair_features && pair_features(m, dim, ctx, d, a, b, x))
    return FS_ERR_NOMEM;
  if (m->naffix_features && affix_features(m, dim, ctx, d, a, b, x))
    return FS_ERR_NOMEM;
  if (m->nngram_features && ngram_features(m, dim, ctx, d, a, b, x))
    return FS_ERR_NOMEM;
  if (dm->cm && dm->nctx_features && ctxagg_features(m, dim, d, a, b, x))
    return FS_ERR_NOMEM;
  if (dm->tg[0] && dm->ntag_features) {
    int rc = tagagg_features(m, dim, ctx, d, a, b, x);
    if (rc)
      return rc;
  }
  if (dm->nshape_features) {
    double v[FS_SHAPE_N];
    fs_model_shape(d, a, b, v);
    for (size_t f = 0; f < dm->nfeatures; f++) {
      int k = dm->features[f].shape;
      if (k && v[k - 1] != 0 && sparse_push(x, (uint32_t)f, v[k - 1]))
        return FS_ERR_NOMEM;
    }
  }
  if (dm->nvec_features && m->vectors) {
    unsigned vdim = m->vectors->dim;
    if (fs_grow(&x->vec, &x->vec_cap, FS_VPOOL_N * vdim, sizeof *x->vec))
      return FS_ERR_NOMEM;
    fs_model_vector_pool(m->vectors, dm->vec_skip, dm->vec_sif_a, ctx, d, a,
                         b, dm->voice, x->vec);
    for (size_t f = 0; f < dm->nfeatures; f++) {
      int v = dm->features[f].vec - 1;
      if (v < 0)
        continue;
      double val = x->vec[(unsigned)(v / FS_VECTORS_DIM_MAX) * vdim +
                          (unsigned)(v % FS_VECTORS_DIM_MAX)];
      if (val != 0 && sparse_push(x, (uint32_t)f, val))
        return FS_ERR_NOMEM;
    }
  }
  /* category features were pushed in order; stems may repeat */
  sparse_settle(x, false);
  if (logistic)
    for (size_t i = 0; i < x->n; i++)
      if (dm->features[x->idx[i]].stem)
        x->val[i] = 1.0;
  return FS_OK;
}

static double logistic_p(const fs_dimension *dm, const fs_sparse *x) {
  double z = dm->intercept;
  for (size_t i = 0; i < x->n; i++)
    z += dm->features[x->idx[i]].weight * x->val[i];
  return 1.0 / (1.0 + exp(-z));
}

static double linear_num(const fs_dimension *dm, const fs_sparse *x) {
  double s = 0;
  for (size_t i = 0; i < x->n; i++)
    s += dm->features[x->idx[i]].weight * x->val[i];
  return s;
}

double fs_model_scale(const fs_dimension *d) {
  if (d->kind == FS_DIM_LOGISTIC)
    return d->unit == FS_UNIT_SENTENCE ? 100.0 : 1.0;
  return d->norm == FS_NORM_PER_1K  ? 1000.0
         : d->norm == FS_NORM_SHARE ? 100.0
                                    : 1.0;
}

bool fs_model_counts(const fs_dimension *d) {
  if (d->kind == FS_DIM_LOGISTIC)
    return d->unit == FS_UNIT_SENTENCE;
  if (d->weights || d->norm == FS_NORM_COUNT)
    return false;
  for (size_t f = 0; f < d->nfeatures; f++)
    if (d->features[f].weight != 1.0)
      return false;
  return true;
}

/* Sentences and words of the dimension's voice. */
/* Words in the dimension's voice come from the document's totals; only a
 * per-sentence norm needs the sentences walked. */
static void voice_units(const fs_dimension *dm, const fs_doc *d, double *words,
                        double *sentences) {
  const fs_doc_stats *st = &d->stats;
  *words = dm->voice == FS_VOICES
               ? (double)(st->words[0] + st->words[1])
               : (double)st->words[dm->voice];
  *sentences = 0;
  if (dm->norm != FS_NORM_PER_SENTENCE)
    return;
  uint32_t last = FS_NONE;
  for (size_t k = 0; k < d->ntokens; k++) {
    const fs_tok *t = &d->tokens[k];
    if (!is_word(t) || !in_voice(dm->voice, t->voice))
      continue;
    if (t->sentence != last) {
      *sentences += 1;
      last = t->sentence;
    }
  }
}

static int score_linear(const fs_model *m, size_t i, const fs_ctx *ctx,
                        const fs_doc *d, fs_sparse *x, fs_dim_value *v) {
  const fs_dimension *dm = &m->dims[i];
  int rc = fs_model_features(m, i, ctx, d, 0, d->ntokens, x);
  if (rc)
    return rc;
  v->num = linear_num(dm, x);
  double words, sentences;
  voice_units(dm, d, &words, &sentences);
  switch (dm->norm) {
  case FS_NORM_PER_1K:
    v->den = words;
    break;
  case FS_NORM_PER_SENTENCE:
    v->den = sentences;
    break;
  case FS_NORM_COUNT:
    v->den = 1;
    break;
  case FS_NORM_SHARE:
    v->den = 0;
    for (size_t k = 0; k < d->nmatches; k++)
      if (in_voice(dm->voice, d->matches[k].voice) &&
          d->matches[k].category < m->ncats && dm->den[d->matches[k].category])
        v->den += 1;
    break;
  }
  return FS_OK;
}

static int score_logistic(const fs_model *m, size_t i, const fs_ctx *ctx,
                          const fs_doc *d, fs_sparse *x, fs_dim_value *v) {
  const fs_dimension *dm = &m->dims[i];
  if (dm->unit == FS_UNIT_DOCUMENT) {
    int rc = fs_model_features(m, i, ctx, d, 0, d->ntokens, x);
    if (rc)
      return rc;
    v->num = v->prob_sum = logistic_p(dm, x);
    v->den = 1;
    return FS_OK;
  }
  size_t a = 0;
  while (a < d->ntokens) {
    size_t b = a + 1;
    bool words =
        is_word(&d->tokens[a]) && in_voice(dm->voice, d->tokens[a].voice);
    while (b < d->ntokens && d->tokens[b].sentence == d->tokens[a].sentence) {
      words |=
          is_word(&d->tokens[b]) && in_voice(dm->voice, d->tokens[b].voice);
      b++;
    }
    if (words) {
      int rc = fs_model_features(m, i, ctx, d, a, b, x);
      if (rc)
        return rc;
      double p = logistic_p(dm, x);
      v->den += 1;
      v->prob_sum += p;
      v->num += p >= dm->threshold;
    }
    a = b;
  }
  return FS_OK;
}

bool fs_model_reads_totals(const fs_model *m) {
  if (m->nstem_features)
    return false;
  for (size_t i = 0; i < m->ndims; i++) {
    const fs_dimension *dm = &m->dims[i];
    if (!dm->active)
      continue;
    /* what fs_model_features and voice_units read besides the totals:
     * tags, shape and context probabilities come from the tokens and
     * matches, which the windows' totals do not have */
    if (dm->ntag_features || dm->nshape_features || dm->nctx_features ||
        dm->nvec_features)
      return false;
    if (dm->kind == FS_DIM_LOGISTIC ? dm->unit != FS_UNIT_DOCUMENT
                                    : dm->norm == FS_NORM_PER_SENTENCE ||
                                          (dm->weights &&
                                           dm->voice == FS_VOICES))
      return false;
  }
  return true;
}

int fs_model_score_doc(const fs_model *m, const fs_ctx *ctx, const fs_doc *d,
                       fs_dim_value *out) {
  fs_sparse x = {0};
  int rc = FS_OK;
  for (size_t i = 0; i < m->ndims && rc == FS_OK; i++) {
    fs_dim_value *v = &out[i];
    memset(v, 0, sizeof *v);
    v->value = NAN;
    if (!m->dims[i].active)
      continue;
    rc = m->dims[i].kind == FS_DIM_LOGISTIC
             ? score_logistic(m, i, ctx, d, &x, v)
             : score_linear(m, i, ctx, d, &x, v);
    if (v->den > 0)
      v->value = fs_model_scale(&m->dims[i]) * v->num / v->den;
  }
  fs_sparse_free(&x);
  return rc;
}

double fs_model_item_score(const fs_model *m, size_t dim, const fs_ctx *ctx,
                           const fs_doc *d) {
  const fs_dimension *dm = &m->dims[dim];
  fs_sparse x = {0};
  double s = 0;
  if (dm->kind == FS_DIM_LOGISTIC) {
    if (fs_model_features(m, dim, ctx, d, 0, d->ntokens, &x) == FS_OK)
      s = logistic_p(dm, &x);
  } else {
    fs_dim_value v = {0};
    if (score_linear(m, dim, ctx, d, &x, &v) == FS_OK && v.den > 0)
      s = fs_model_scale(dm) * v.num / v.den;
  }
  fs_sparse_free(&x);
  return s;
}

/* ---- writing and labels -------------------------------------------------- */

static const char *voice_word(int v) {
  return v == FS_VOICE_AUTHOR  ? "author"
         : v == FS_VOICE_QUOTE ? "quote"
                               : "all";
}

/* Writes s[0..n) with control bytes (C0 and DEL) as spaces: a file name or
 * label copied into a comment or an about line can never start a line of
 * its own. */
static void put_text(FILE *out, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    fputc(c < 0x20 || c == 0x7F ? ' ' : c, out);
  }
}

int fs_model_write(FILE *out, const fs_model *m, const char *comment) {
  if (comment) {
    const char *s = comment;
    while (*s) {
      const char *nl = strchr(s, '\n');
      size_t n = nl ? (size_t)(nl - s) : strlen(s);
      fputs("# ", out);
      put_text(out, s, n);
      fputc('\n', out);
      s += n + (nl != NULL);
    }
  }
  fprintf(out, "%s %d\n", MODEL_MAGIC, MODEL_VERSION);
  for (size_t i = 0; i < m->ndims; i++) {
    const fs_dimension *d = &m->dims[i];
    fprintf(out, "\ndimension %s\n", d->name);
    /* control bytes become spaces, and spaces at either end go, as the
     * parser would drop them: the text written is the text read back */
    const char *a = d->about;
    size_t an = strlen(a);
    while (an && ((unsigned char)a[an - 1] <= 0x20 || a[an - 1] == 0x7F))
      an--;
    while (an && ((unsigned char)*a <= 0x20 || *a == 0x7F))
      a++, an--;
    if (an) {
      fputs("  about     ", out);
      put_text(out, a, an);
      fputc('\n', out);
    }
    fprintf(out, "  kind      %s\n",
            d->kind == FS_DIM_LOGISTIC ? "logistic" : "linear");
    fprintf(out, "  voice     %s\n", voice_word(d->voice));
    if (d->kind == FS_DIM_LOGISTIC) {
      fprintf(out, "  unit      %s\n",
              d->unit == FS_UNIT_SENTENCE ? "sentence" : "document");
      fprintf(out, "  transform log1p\n");
      fprintf(out, "  intercept %.17g\n", d->intercept);
      fprintf(out, "  threshold %.17g\n", d->threshold);
    } else {
      static const char *const norms[] = {"per_1k", "per_sentence", "share",
                                          "count"};
      fprintf(out, "  norm      %s", norms[d->norm]);
      for (size_t s = 0; s < d->nshare; s++)
        fprintf(out, " %s", d->share_of[s]);
      fputc('\n', out);
      if (d->weights)
        fputs("  count     weights\n", out);
    }
    if (d->ctx_framing)
      fputs("  context_matches framing\n", out);
    for (const char *c = d->context_text; c && *c;) {
      size_t n = strcspn(c, "\n");
      fprintf(out, "  context   %.*s\n", (int)n, c);
      c += n + (c[n] == '\n');
    }
    for (const char *c = d->tagger_text; c && *c;) {
      size_t n = strcspn(c, "\n");
      fprintf(out, "  tagger    %.*s\n", (int)n, c);
      c += n + (c[n] == '\n');
    }
    if (d->vec_line) {
      fprintf(out, "  vectors   %016" PRIx64 " %u %zu", d->vec_digest,
              d->vec_dim, d->vec_words);
      if (d->vec_skip)
        fprintf(out, " %zu", d->vec_skip);
      fputc('\n', out);
      if (d->vec_sif_a > 0)
        fprintf(out, "  vector_sif %.17g\n", d->vec_sif_a);
    }
    for (size_t f = 0; f < d->nfeatures; f++)
      fprintf(out, "  weight    %s %.17g\n", d->features[f].name,
              d->features[f].weight);
  }
  return ferror(out) ? FS_ERR_IO : FS_OK;
}

const char *fs_model_unit_label(const fs_dimension *d) {
  if (d->kind == FS_DIM_LOGISTIC)
    return d->unit == FS_UNIT_SENTENCE ? "% of sentences at/above threshold"
                                       : "probability";
  switch (d->norm) {
  case FS_NORM_PER_1K:
    return d->voice == FS_VOICE_AUTHOR  ? "per 1,000 author-voice words"
           : d->voice == FS_VOICE_QUOTE ? "per 1,000 quoted words"
                                        : "per 1,000 words";
  case FS_NORM_PER_SENTENCE:
    return "per sentence";
  case FS_NORM_SHARE:
    return "% of";
  default:
    return "count";
  }
}

/* ---- rendering ----------------------------------------------------------- */

void fs_render_dimensions_csv_header(FILE *out) {
  fputs("file,outlet,dimension,kind,voice,unit,num,den,value\n", out);
}

static void unit_text(const fs_dimension *d, char *buf, size_t cap) {
  snprintf(buf, cap, "%s", fs_model_unit_label(d));
  for (size_t s = 0; s < d->nshare; s++)
    snprintf(buf + strlen(buf), cap - strlen(buf), " %s", d->share_of[s]);
}

static void num_out(FILE *out, double x) {
  if (isfinite(x))
    fprintf(out, "%.4f", x);
  else
    fputs("NA", out);
}

void fs_render_dimensions_csv(FILE *out, const fs_model *m, const char *path,
                              const char *outlet, const fs_dim_value *v) {
  for (size_t i = 0; i < m->ndims; i++) {
    const fs_dimension *d = &m->dims[i];
    if (!d->active)
      continue;
    char unit[256];
    unit_text(d, unit, sizeof unit);
    fs_csv_field(out, path, strlen(path));
    fputc(',', out);
    fs_csv_field(out, outlet ? outlet : "", outlet ? strlen(outlet) : 0);
    fputc(',', out);
    fs_csv_field(out, d->name, strlen(d->name));
    fprintf(out, ",%s,%s,", d->kind == FS_DIM_LOGISTIC ? "logistic" : "linear",
            voice_word(d->voice));
    fs_csv_field(out, unit, strlen(unit));
    fputc(',', out);
    num_out(out, v[i].num);
    fputc(',', out);
    num_out(out, v[i].den);
    fputc(',', out);
    num_out(out, v[i].value);
    fputc('\n', out);
  }
}

static void cell(FILE *out, const fs_dimension *d, double value) {
  char buf[32];
  if (!isfinite(value))
    snprintf(buf, sizeof buf, "-");
  else if (fs_model_scale(d) == 100.0)
    snprintf(buf, sizeof buf, "%.1f%%", value);
  else if (d->kind == FS_DIM_LOGISTIC)
    snprintf(buf, sizeof buf, "%.3f", value);
  else
    snprintf(buf, sizeof buf, "%.2f", value);
  fprintf(out, " %7s", buf);
}

int fs_render_dimensions_text(FILE *out, const fs_model *m,
                              const fs_report_item *items, size_t n) {
  size_t shown = 0;
  for (size_t i = 0; i < m->ndims; i++)
    shown += m->dims[i].active;
  if (!shown)
    return FS_OK;
  fprintf(out, "\nFraming dimensions (model %s)\n", m->name);
  for (size_t i = 0, k = 0; i < m->ndims; i++) {
    const fs_dimension *d = &m->dims[i];
    if (!d->active)
      continue;
    char unit[256];
    unit_text(d, unit, sizeof unit);
    char head[24];
    snprintf(head, sizeof head, "[%zu]", ++k);
    fprintf(out, "  %4s %-24s %s\n", head, d->name, unit);
    if (*d->about)
      fprintf(out, "       %-24s (%s)\n", "", d->about);
  }
  fprintf(out, "\n  %-44s", "document");
  for (size_t k = 1; k <= shown; k++) {
    char head[24];
    snprintf(head, sizeof head, "[%zu]", k);
    fprintf(out, " %7s", head);
  }
  fputc('\n', out);
  /* outlets in order of first appearance, pooled */
  const char **outlets = calloc(n ? n : 1, sizeof *outlets);
  double *num = calloc((n ? n : 1) * m->ndims, sizeof *num);
  double *den = calloc((n ? n : 1) * m->ndims, sizeof *den);
  if (!outlets || !num || !den) {
    free(outlets), free(num), free(den);
    return FS_ERR_NOMEM;
  }
  size_t no = 0;
  for (size_t j = 0; j < n; j++) {
    const fs_report_item *it = &items[j];
    if (!it->dims) /* not analysed, or no model */
      continue;
    const char *p = it->path;
    size_t len = strlen(p);
    fprintf(out, "  %s%-44s", len > 44 ? "..." : "",
            len > 44 ? p + len - 41 : p);
    for (size_t i = 0; i < m->ndims; i++)
      if (m->dims[i].active)
        cell(out, &m->dims[i], it->dims->v[i].value);
    fputc('\n', out);
    if (!it->outlet || !*it->outlet)
      continue;
    size_t o = 0;
    while (o < no && strcmp(outlets[o], it->outlet))
      o++;
    if (o == no)
      outlets[no++] = it->outlet;
    for (size_t i = 0; i < m->ndims; i++) {
      num[o * m->ndims + i] += it->dims->v[i].num;
      den[o * m->ndims + i] += it->dims->v[i].den;
    }
  }
  if (no) {
    fprintf(out, "\n  %-44s\n", "outlet (pooled: summed over its documents)");
    for (size_t o = 0; o < no; o++) {
      fprintf(out, "  %-44.44s", outlets[o]);
      for (size_t i = 0; i < m->ndims; i++) {
        const fs_dimension *d = &m->dims[i];
        if (!d->active)
          continue;
        double dn = den[o * m->ndims + i];
        cell(out, d,
             dn > 0 ? fs_model_scale(d) * num[o * m->ndims + i] / dn : NAN);
      }
      fputc('\n', out);
    }
  }
  free(outlets), free(num), free(den);
  return FS_OK;
}
