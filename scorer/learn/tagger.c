/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tagger.c - word tokens -> features (stems around them, lexicon categories
 * over them, their match's context) -> the probability that a token is in
 * an annotated span; training with K-fold cross-validation by article, the
 * tagger file format, and tagging documents. */
#include "tagger.h"
#include "context.h"
#include "internal.h"
#include "train.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define TAGGER_MAGIC "framescore-tagger"
#define TG_TOL_PER_ROW 1e-6
#define TG_MAX_ITER 2000
#define TG_FILE_MAX ((size_t)1 << 30) /* a tagger model file */
#define TG_GRID 32
#define TG_STACK_N 13 /* the stacked stage's features */
static double grid(size_t i) { return 0.05 + 0.025 * (double)i; }

struct fs_tagger {
  fs_intern names; /* feature names; id = column */
  double *w;       /* [names.count] */
  size_t wcap;
  /* applying: the 64-bit hash of each name (0 = empty slot) and its
   * weight, open addressing; tagging hashes a feature's bytes and probes
   * here, without building strings or comparing them */
  struct tg_slot {
    uint64_t key;
    double w;
  } *slots;
  size_t kmask;
  uint64_t kbits; /* the bits of a key kept: all (tests narrow them) */
  /* a bit per key's high bits, set for every name's key: a stem pair
   * whose bit is clear is not in the table (most are not), so applying
   * neither fetches nor probes for it */
  uint64_t *filter;
  size_t fmask; /* bits - 1 */
  /* a bit per key of the stem pairs' first parts ("pw=" or "wn=" + the
   * bytes up to each '|' of a name), 16 bits per part: a word whose bit
   * is clear starts no pair of the tagger, so applying neither hashes nor
   * looks up its pairs (most words; a bit set by another part only costs
   * the lookup) */
  uint64_t *lefts;
  size_t lmask; /* bits - 1 */
  double intercept, threshold;
  bool uni; /* "combine union": tags add to the lexicon's predictions */
  /* "combine anchor": a match of an anchor category keeps its span (as
   * eval predicts it, with `phrase` words each side; the match's own
   * words when phrase < 0) when a word of it reaches anchor_t; other
   * words are tagged at threshold as before */
  bool anchor;
  double anchor_t;
  long phrase;
  fs_intern anchors; /* the anchor categories' names */
  uint64_t *akeys;   /* [anchors.count] their keys */
  fs_tagger_rules rules; /* anchored: the span rules after tagging */
  /* stacked (train --stack): a second stage reads each word's probability
   * with its sentence's aggregates (TG_STACK_N features, stack_w[0] the
   * intercept) and gives the probability the thresholds apply to */
  bool stacked;
  double stack_w[2 + TG_STACK_N]; /* [1 + TG_STACK_N]: the sentence
                                    * model's intercept */
  long cap; /* > 0: at most cap tagged words per sentence */
  unsigned feats; /* FS_TAGGER_F_*: optional token features */
  fs_word_classes wc; /* train --word-classes: stems and their class */
  struct tg_windex *wi; /* wc indexed by stem hash (NULL: no classes) */
  /* train --word-vectors: v= features from the vectors of vpath (vdim
   * components, digest vdigest; vdim 0: none), each vector L2-normalised
   * and times vscale; wv is the caller's, given by fs_tagger_use_vectors */
  unsigned vdim;
  uint64_t vdigest;
  double vscale;
  char *vpath;
  const fs_word_vectors *wv;
  double *vw; /* [vdim] the weights of v=0 .. v=vdim-1, looked up once by
               * fs_tagger_use_vectors: tagging multiplies by them instead
               * of hashing and probing 100 names a word */
  uint64_t serial; /* new at every change of the weights or vectors: a
                    * context's weights of it (tg_fast) are of this one */
};

/* A number no other tagger state had: contexts key what they keep of a
 * tagger by it (a freed tagger's address may come back as another's). */
static uint64_t next_serial(void) {
  static _Atomic uint64_t serials;
  return atomic_fetch_add(&serials, 1) + 1;
}

struct tg_windex;
static void windex_free(struct tg_windex *wi);

void fs_tagger_free(fs_tagger *tg) {
  if (!tg)
    return;
  fs_intern_free(&tg->names);
  fs_intern_free(&tg->anchors);
  fs_word_classes_free(&tg->wc);
  windex_free(tg->wi);
  free(tg->vpath);
  free(tg->vw);
  free(tg->akeys);
  free(tg->w);
  free(tg->slots);
  free(tg->filter);
  free(tg->lefts);
  free(tg);
}

static fs_tagger *tagger_new(void) {
  fs_tagger *tg = calloc(1, sizeof *tg);
  if (tg) {
    fs_intern_init(&tg->names);
    fs_intern_init(&tg->anchors);
    fs_word_classes_init(&tg->wc);
    tg->threshold = 0.5;
    tg->vscale = 1;
    tg->phrase = -1;
    tg->kbits = UINT64_MAX;
    tg->serial = next_serial();
  }
  return tg;
}

/* ---- features ------------------------------------------------------------ */

static bool is_word(const fs_tok *t) {
  return t->kind == FS_TOK_WORD || t->kind == FS_TOK_NUMBER;
}

/* ---- feature names and their keys --------------------------------------
 * A feature is named by text ("w=stem", "pw=stem|stem"); a tagger file
 * lists names. Tagging does not build the names: each is keyed by a
 * polynomial hash of its bytes modulo the prime 2^61 - 1, which composes
 * (H(x y) = H(x) B^|y| + H(y)), so the key of "w=" + a stem comes from
 * the stem's hash, computed once per token, in two multiplications. */

#define TG_P ((UINT64_C(1) << 61) - 1)
#define TG_B UINT64_C(0x1d5a4b3c9e6f1235) /* < TG_P */
#define TG_NAME_MAX 256                   /* longer names are left out */
#define TG_POW 64

__extension__ typedef unsigned __int128 tg_u128;

static uint64_t mulmod(uint64_t a, uint64_t b) {
  tg_u128 m = (tg_u128)a * b;
  uint64_t r = ((uint64_t)m & TG_P) + (uint64_t)(m >> 61);
  return r >= TG_P ? r - TG_P : r;
}

static uint64_t addmod(uint64_t a, uint64_t b) {
  uint64_t r = a + b;
  return r >= TG_P ? r - TG_P : r;
}

/* A piece of a feature name: its bytes, length, hash and B^length. */
typedef struct tg_str {
  const char *s;
  size_t len;
  uint64_t h, pw;
} tg_str;

static tg_str str_hashed(const char *s, size_t len) {
  tg_str t = {s, len, 0, 1};
  for (size_t i = 0; i < len; i++) {
    t.h = addmod(mulmod(t.h, TG_B), (uint64_t)(unsigned char)s[i] + 1);
    t.pw = mulmod(t.pw, TG_B);
  }
  return t;
}

static tg_str str_of(const char *s) { return str_hashed(s, strlen(s)); }

/* h(x) followed by y */
static uint64_t hash_cat(uint64_t hx, tg_str y) {
  return addmod(mulmod(hx, y.pw), y.h);
}

/* The table key of a name's hash: mixed (the hash's low bits are not
 * random enough to index with), never 0 (an empty slot). */
static uint64_t key_mix(uint64_t h) {
  h ^= h >> 33;
  h *= UINT64_C(0xff51afd7ed558ccd);
  h ^= h >> 33;
  h *= UINT64_C(0xc4ceb9fe1a85ec53);
  h ^= h >> 33;
  return h ? h : 1;
}

/* The fixed parts of feature names, hashed once per document. */
enum {
  PRE_W, PRE_P, PRE_N, PRE_PP, PRE_PW, PRE_WN, PRE_NN, PRE_S3,
  PRE_SM, /* 4: sm=0 .. sm=3 */
  PRE_DD = PRE_SM + 4, /* 4: dd=0 .. dd=3 */
  PRE_CAP = PRE_DD + 4, PRE_QUOTE, PRE_SCARE, PRE_HEADLINE,
  PRE_C, PRE_CP, PRE_CN, PRE_F, PRE_X,
  PRE_MB, PRE_MI, PRE_P3, PRE_S2, PRE_ACAPS, PRE_HYPH,
  PRE_SW, PRE_SC, /* the stacked stage's sentence model */
  PRE_C2, /* --token-features near2 */
  PRE_K,  /* --word-classes */
  PRE_P4, PRE_S4, /* --token-features affix */
  PRE_V,  /* --word-vectors */
  PRE_COUNT
};
static const char *const pre_names[PRE_COUNT] = {
    "w=",   "p=",   "n=",   "pp=",       "pw=",   "wn=",   "nn=",
    "s3=",  "sm=0", "sm=1", "sm=2",      "sm=3",  "dd=0",  "dd=1",
    "dd=2", "dd=3", "shape=cap", "quote", "scare", "headline", "c=",
    "cp=",  "cn=",  "f=",   "x:", "mb=", "mi=", "p3=", "s2=", "shape=caps",
    "shape=hyphen", "sw=", "sc=", "c2=", "k=", "p4=", "s4=", "v="};

/* A feature sink: takes the feature named pre + a, or pre + a + '|' + b
 * when b is given, with its value. Training gives emit (names are
 * interned); tagging gives none, and each feature's key and value go to
 * key[] and v[] (a direct call: an indirect one per feature showed). */
#define TG_KEYS (128 + FS_VECTORS_DIM_MAX)

typedef struct tg_sink {
  int (*emit)(struct tg_sink *, const tg_str *pre, const tg_str *a,
              const tg_str *b, double v);
  size_t n;
  uint64_t key[TG_KEYS];
  double v[TG_KEYS];
  /* applying with known vector weights: the v= terms (weight times value)
   * of the word, summed where they were emitted (before key vzat) so that
   * the sum's order, and so its value, is that of keyed features */
  size_t nvz, vzat;
  double vz[FS_VECTORS_DIM_MAX];
} tg_sink;

/* Per token: up to two matches over it (FS_NONE otherwise), and the
 * hashed stem of each word token (its bytes only when training: applying
 * keys features by hash and length alone). */
typedef struct tg_scratch {
  fs_context_scratch cs;
  uint32_t *cover; /* [2 * tokens] */
  tg_str *stem;    /* [tokens] */
  /* [2 * (tokens + 1)] word_near() before and after each, the number of
   * tokens for none (its entries: none again, and no match over it) */
  uint32_t *near;
  size_t cover_cap, stem_cap, near_cap;
  /* applying: the weights of each word token's stem, of "<s>" at
   * [tokens] */
  const struct tg_stemw **sw;
  size_t sw_cap;
  unsigned feats; /* FS_TAGGER_F_*: the optional feature families */
  const struct tg_windex *wi; /* word classes (NULL: none) */
  const fs_word_vectors *wv;  /* word vectors (NULL: none) */
  const double *vw;           /* applying: the v= weights (NULL: by key) */
  double vscale;
  /* applying: each token's row in the vectors (FS_NONE: none; trow, when
   * trow_ok), looked up once a form in the context's memo
   * (fs_word_vectors_memo) */
  uint32_t *trow;
  size_t trow_cap;
  bool trow_ok;
  /* the context's memo of each form's row (fs_word_vectors_memo): applying
   * without keys looks a form up there when it first needs its sums */
  uint32_t *memo;
  const struct fs_tagger_cache *c;
} tg_scratch;

/* Word classes by the key of their stem's hash (as stems are keyed in
 * feature names), each class's name hashed for k= features. */
typedef struct tg_windex {
  struct tg_wslot {
    uint64_t key; /* 0: empty */
    uint32_t cls;
  } *slots;
  size_t mask;
  tg_str *name; /* [classes] */
} tg_windex;

static void windex_free(tg_windex *wi) {
  if (wi) {
    free(wi->slots);
    free(wi->name);
    free(wi);
  }
}

/* Indexes wc (its names must not move while the index is used); NULL
 * when out of memory. Two stems of one key (one chance in about 2^40
 * for a million stems) would share the first one's class. */
static tg_windex *windex_new(const fs_word_classes *wc) {
  tg_windex *wi = calloc(1, sizeof *wi);
  size_t n = 16;
  while (n < 2 * wc->stems.count + 2)
    n *= 2;
  if (!wi || !(wi->slots = calloc(n, sizeof *wi->slots)) ||
      !(wi->name = malloc((wc->names.count + 1) * sizeof *wi->name))) {
    windex_free(wi);
    return NULL;
  }
  wi->mask = n - 1;
  for (uint32_t c = 0; c < wc->names.count; c++)
    wi->name[c] = str_hashed(fs_intern_str(&wc->names, c),
                             fs_intern_len(&wc->names, c));
  for (uint32_t id = 0; id < wc->stems.count; id++) {
    uint64_t key = key_mix(str_hashed(fs_intern_str(&wc->stems, id),
                                      fs_intern_len(&wc->stems, id)).h);
    size_t i = key & wi->mask;
    while (wi->slots[i].key && wi->slots[i].key != key)
      i = (i + 1) & wi->mask;
    if (!wi->slots[i].key)
      wi->slots[i] = (struct tg_wslot){key, wc->cls[id]};
  }
  return wi;
}

/* The class of a stem by its hash, or FS_NONE. */
static uint32_t windex_find(const tg_windex *wi, uint64_t h) {
  uint64_t key = key_mix(h);
  for (size_t i = key & wi->mask;; i = (i + 1) & wi->mask) {
    if (wi->slots[i].key == key)
      return wi->slots[i].cls;
    if (!wi->slots[i].key)
      return FS_NONE;
  }
}

/* What outlives a document, kept by the context that analyses it (one
 * thread): the hash and B^length of each of its stems by id (its stems
 * only grow, so an id keeps its string), of the lexicon's category and family names and of
 * the fixed parts of names, and the buffers of the last document. Hashing
 * each token's stem again in every document, with two cache misses to read
 * it, was a sixth of tagging's time. */
typedef struct tg_stem_hash {
  uint64_t h, pw; /* B^len */
  uint32_t len;
} tg_stem_hash;

/* Applying without keys. Nearly every feature's weight is a function of
 * something small that repeats: a stem (w= p= n= pp= nn= k=), a folded
 * form (s3= p3= s2= p4= s4= v=), a category or family, or a few flags
 * (sm= dd= the shapes, quote, scare, headline). A context keeps, per
 * tagger, these weights pre-summed by what they depend on (filled as they
 * are first needed): a token adds its stem's own sum, its neighbours' p=
 * n= pp= nn=, its form's sum, one entry of the flags' table, and a sum
 * per category over it; only the stem pairs (pw= wn=) are hashed and
 * probed per token. The sums' order differs from the keys' order, so a
 * logit differs from the keys' in its last bits (fs_tagger_keyed). */
enum { SW_W, SW_P, SW_N, SW_PP, SW_NN, SW_K, SW_COUNT };
typedef struct tg_stemw {
  double w[SW_COUNT];
  double own; /* w= + k= (when the stem has a class) */
  /* the stem in a stem pair: as its second part (hash, B^length), and the
   * hashes of "pw=" + it + "|" and "wn=" + it + "|" (as its first) */
  uint64_t h, pw, left[2];
  uint32_t len;
  uint32_t ok; /* 1: filled; 2: the stem has a class (k=); SW_PW, SW_WN:
                 it may start a pair pw= or wn= of the tagger */
} tg_stemw;
enum { SW_PW = 4, SW_WN = 8 };

/* A word's shapes (SH_*): whether its bytes are all ASCII, hold a small
 * letter, a hyphen, two or more capitals (A-Z). */
enum { SH_ASCII = 1, SH_SMALL = 2, SH_HYPH = 4, SH_UP2 = 8 };

/* A form's names summed: s3= p3= s2= p4= s4= and the v= terms, as an
 * ASCII word (sa: its bytes are the form's) or any other word takes them
 * (sn: s3= of the form, p4= s4=, v=). */
typedef struct tg_formw {
  double sa, sn;
  uint8_t ok;    /* 1: filled; TG_FORM_VLATER: filled but for v= (its
                    vector not looked up yet, see tg_bands) */
  uint8_t hyph;  /* SH_HYPH if the form holds a '-' */
  uint16_t alen; /* the form's length + 1 if all its bytes are ASCII and
                    it is shorter than 2^16 - 1, else 0 */
} tg_formw;
#define TG_FORM_VLATER 2

/* c= cp= cn= mb= mi= c2= of a category; c= + f= + mb= (OB), c= + f= +
 * mi= (OI) of a match over the token itself */
enum { CW_C, CW_CP, CW_CN, CW_MB, CW_MI, CW_C2, CW_OB, CW_OI, CW_COUNT };
/* the names without a varying part */
enum { FX_SM, FX_DD = FX_SM + 4, FX_CAP = FX_DD + 4, FX_QUOTE, FX_SCARE,
       FX_HEADLINE, FX_ACAPS, FX_HYPH, FX_COUNT };
/* the flags' table: a token's sm= (2 bits), dd= (2 bits), then one bit
 * each for shape=cap, quote, scare, headline, shape=caps, shape=hyphen */
enum { FT_DD = 2, FT_CAP = 4, FT_QUOTE, FT_SCARE, FT_HEADLINE, FT_ACAPS,
       FT_HYPH, FT_N = 1 << 10 };

typedef struct tg_fast {
  const fs_tagger *tg;
  uint64_t serial, used; /* tg's serial; when last used (the clock) */
  const fs_lexicon *lex; /* cat[] and fam[] are of its names */
  double *cat;           /* [ncats * CW_COUNT] */
  double *fam;           /* [nfamilies] */
  double fix[FX_COUNT];
  double *ft; /* [FT_N] the flags' weights summed */
  double x[FS_CF_N]; /* x: */
  double *v;         /* [vdim] v= */
  /* tagging alone: what a form's v= sum may add to a logit at most (the
   * v= weights' length times the scale), and the largest |weight| (the
   * intercept's too): a bound on a logit's rounding */
  double vbound, wmax;
  tg_stemw bound, empty; /* "<s>" (no word there) and a stem not known */
  tg_stemw *stem;        /* by stem id */
  size_t nstem, stem_cap;
  tg_formw *form; /* by form id */
  size_t nform, form_cap;
  /* s3= p3= s2= of ASCII words without a form, by their bytes (aff_key),
   * open addressing */
  struct tg_affw {
    uint32_t key; /* 0: empty */
    double w;
  } *aff;
  size_t amask, acount;
} tg_fast;
#define TG_FAST_N 4 /* taggers a context keeps weights of */

/* A token's weights summed (z: all but the stem pairs), the stem pairs'
 * keys to look up and add before the logit is taken. */
typedef struct tg_wbuf {
  double z;
  size_t nkey;
  uint64_t key[2];
  bool vlater; /* z is without the v= sum of the word's form */
  double sabs; /* then: a bound on the |terms| of the logit */
} tg_wbuf;

#define TG_LOG1P 256
struct fs_tagger_cache {
  const fs_lexicon *lex; /* cat[] and fam[] are of its names */
  tg_str *cat, *fam;     /* [ncats], [nfamilies] */
  tg_str cf[FS_CF_N];    /* the context features' names */
  tg_str pre[PRE_COUNT];
  tg_str bound;          /* "<s>": no word there */
  tg_str *vi;            /* [FS_VECTORS_DIM_MAX] "0", "1", ... (v=) */
  char (*vnum)[6];       /* their bytes */
  uint64_t pow[TG_POW];  /* B^i */
  tg_stem_hash *stems;   /* by stem id */
  size_t nstems, stems_cap;
  /* the hashes of "pw=" + stem + "|" and "wn=" + stem + "|" (a stem
   * pair's name but for its second stem): [0] of "<s>", [1] of the empty
   * stem, [2 + id] of stem id */
  uint64_t (*left)[2];
  size_t left_cap;
  tg_scratch sc;
  double *p; /* [tokens] probabilities */
  size_t p_cap;
  double *p2; /* [tokens] stacked probabilities */
  double *sf; /* [words * TG_STACK_N] their features */
  double *ps; /* [tokens] the sentence model's probability */
  double *zs; /* [sentences] its sums */
  size_t p2_cap, sf_cap, ps_cap, zs_cap;
  uint8_t *cat_on; /* [ncats] the tagger's anchor categories */
  uint8_t *near;   /* [matches + 1] a window's neighbours beyond its edges */
  size_t near_cap;
  tg_sink sink[2];
  tg_fast fast[TG_FAST_N];
  uint64_t clock;
  tg_wbuf *wb; /* [2] */
  bool keyed;  /* tests: apply through the keys (fs_tagger_keyed) */
  /* the context features of the last match over a token (the words of a
   * match share them) */
  uint32_t xmi; /* its index (FS_NONE: none yet in this document) */
  double xm[FS_CF_N];
  double log1p[TG_LOG1P]; /* log1p(i): the context features' counts */
};

static void fast_free(tg_fast *f) {
  free(f->cat), free(f->fam), free(f->v), free(f->stem), free(f->form);
  free(f->aff), free(f->ft);
  memset(f, 0, sizeof *f);
}

static void scratch_free(tg_scratch *s) {
  fs_context_scratch_free(&s->cs);
  free(s->cover);
  free(s->stem);
  free(s->near);
  free(s->sw);
  free(s->trow);
}

void fs_tagger_cache_free(struct fs_tagger_cache *c) {
  if (!c)
    return;
  free(c->cat), free(c->fam), free(c->stems), free(c->p), free(c->cat_on);
  free(c->left);
  free(c->p2), free(c->sf), free(c->ps), free(c->zs);
  free(c->near);
  free(c->vi), free(c->vnum);
  scratch_free(&c->sc);
  for (int i = 0; i < TG_FAST_N; i++)
    fast_free(&c->fast[i]);
  free(c->wb);
  free(c);
}

/* A short string (an affix) hashed, its B^len from the table. */
static tg_str str_short(const struct fs_tagger_cache *c, const char *s,
                        size_t len) {
  uint64_t h = 0;
  for (size_t i = 0; i < len; i++)
    h = addmod(mulmod(h, TG_B), (uint64_t)(unsigned char)s[i] + 1);
  return (tg_str){s, len, h, c->pow[len]};
}

/* pre + x + "|" hashed: a stem pair's name but for its second stem. */
static uint64_t pair_left(const tg_str *pre, const tg_str *x) {
  return addmod(mulmod(hash_cat(pre->h, *x), TG_B), (uint64_t)'|' + 1);
}

/* The context's cache, made or brought up to date with its stems and
 * lexicon; NULL when out of memory. */
static struct fs_tagger_cache *cache_of(fs_ctx *ctx) {
  struct fs_tagger_cache *c = ctx->tagger;
  if (!c) {
    if (!(c = ctx->tagger = calloc(1, sizeof *c)))
      return NULL;
    c->bound = str_hashed("<s>", 3);
    for (int i = 0; i < PRE_COUNT; i++)
      c->pre[i] = str_of(pre_names[i]);
    for (size_t i = 0; i < FS_CF_N; i++)
      c->cf[i] = str_of(fs_context_feature_name(i));
    c->vi = malloc(FS_VECTORS_DIM_MAX * sizeof *c->vi);
    c->vnum = malloc(FS_VECTORS_DIM_MAX * sizeof *c->vnum);
    if (!c->vi || !c->vnum)
      return NULL;
    for (int i = 0; i < FS_VECTORS_DIM_MAX; i++) {
      snprintf(c->vnum[i], sizeof c->vnum[i], "%d", i);
      c->vi[i] = str_of(c->vnum[i]);
    }
    c->pow[0] = 1;
    for (int i = 1; i < TG_POW; i++)
      c->pow[i] = mulmod(c->pow[i - 1], TG_B);
    for (int i = 0; i < TG_LOG1P; i++)
      c->log1p[i] = log1p((double)i);
  }
  const fs_lexicon *lex = ctx->lex;
  if (c->lex != lex) {
    free(c->cat), free(c->fam), free(c->cat_on);
    c->lex = NULL;
    c->cat = malloc((lex->ncats + 1) * sizeof *c->cat);
    c->fam = malloc((lex->nfamilies + 1) * sizeof *c->fam);
    c->cat_on = malloc(lex->ncats + 1);
    if (!c->cat || !c->fam || !c->cat_on)
      return NULL;
    for (size_t i = 0; i < lex->ncats; i++)
      c->cat[i] = str_of(lex->cats[i].name);
    for (size_t i = 0; i < lex->nfamilies; i++)
      c->fam[i] = str_of(lex->families[i]);
    c->lex = lex;
  }
  size_t n = ctx->stems.count;
  if (c->nstems < n || !c->left) {
    if (fs_grow(&c->stems, &c->stems_cap, n + 1, sizeof *c->stems) ||
        fs_grow(&c->left, &c->left_cap, n + 4, sizeof *c->left))
      return NULL;
    for (size_t id = c->nstems; id < n; id++) {
      size_t len = fs_intern_len(&ctx->stems, (uint32_t)id);
      tg_str t = str_hashed(fs_intern_str(&ctx->stems, (uint32_t)id), len);
      c->stems[id] = (tg_stem_hash){t.h, t.pw, (uint32_t)len};
      c->left[id + 2][0] = pair_left(&c->pre[PRE_PW], &t);
      c->left[id + 2][1] = pair_left(&c->pre[PRE_WN], &t);
    }
    static const tg_str empty = {"", 0, 0, 1};
    c->left[0][0] = pair_left(&c->pre[PRE_PW], &c->bound);
    c->left[0][1] = pair_left(&c->pre[PRE_WN], &c->bound);
    c->left[1][0] = pair_left(&c->pre[PRE_PW], &empty);
    c->left[1][1] = pair_left(&c->pre[PRE_WN], &empty);
    c->nstems = n;
  }
  return c;
}

/* Fills the scratch of document d: with stems, each word token's stem
 * (applying without keys reads its stems' weights instead, but for a
 * stacked tagger's sentence model), with names its bytes too. */
static int scratch_fill(tg_scratch *s, const struct fs_tagger_cache *c,
                        const fs_ctx *ctx, const fs_doc *d, bool stems,
                        bool names) {
  const fs_lexicon *lex = ctx->lex;
  s->c = c;
  s->trow_ok = false;
  s->cs.log1p = c->log1p, s->cs.nlog1p = TG_LOG1P;
  /* the stems' array (32 bytes a token) only when they are filled: grown
   * for nothing it was the largest of a long document's buffers */
  if (fs_context_scratch_fill(&s->cs, lex, d) ||
      fs_grow(&s->cover, &s->cover_cap, 2 * d->ntokens + 2, sizeof *s->cover) ||
      (stems &&
       fs_grow(&s->stem, &s->stem_cap, d->ntokens + 1, sizeof *s->stem)) ||
      fs_grow(&s->near, &s->near_cap, 2 * d->ntokens + 2, sizeof *s->near))
    return FS_ERR_NOMEM;
  /* the nearest word before and after each token within its run of
   * tokens of one sentence, as word_near() scans for it (none: nt) */
  uint32_t nt = (uint32_t)d->ntokens;
  for (size_t k = 0, run = 0, last = FS_NONE; k < d->ntokens; k++) {
    if (k && d->tokens[k].sentence != d->tokens[k - 1].sentence)
      run = k;
    s->near[2 * k] = last != FS_NONE && last >= run ? (uint32_t)last : nt;
    if (is_word(&d->tokens[k]))
      last = k;
  }
  for (size_t i = 0, run = SIZE_MAX, last = FS_NONE; i < d->ntokens; i++) {
    size_t k = d->ntokens - 1 - i;
    if (i && d->tokens[k].sentence != d->tokens[k + 1].sentence)
      run = k;
    s->near[2 * k + 1] = last != FS_NONE && last <= run ? (uint32_t)last : nt;
    if (is_word(&d->tokens[k]))
      last = k;
  }
  s->near[2 * nt] = s->near[2 * nt + 1] = nt;
  for (size_t k = 0; k < 2 * d->ntokens + 2; k++)
    s->cover[k] = FS_NONE;
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    if (m->category >= lex->ncats)
      continue;
    for (uint32_t k = m->tok_start; k < m->tok_end && k < d->ntokens; k++) {
      uint32_t *cv = &s->cover[2 * k];
      if (cv[0] == FS_NONE)
        cv[0] = (uint32_t)i;
      else if (cv[1] == FS_NONE)
        cv[1] = (uint32_t)i;
    }
  }
  for (size_t k = 0; stems && k < d->ntokens; k++) {
    uint32_t id = d->tokens[k].stem;
    if (!is_word(&d->tokens[k]) || id >= c->nstems) {
      s->stem[k] = (tg_str){"", 0, 0, 1};
      continue;
    }
    const tg_stem_hash *sh = &c->stems[id];
    s->stem[k] = (tg_str){names ? fs_intern_str(&ctx->stems, id) : NULL,
                          sh->len, sh->h, sh->pw};
  }
  return FS_OK;
}

static int sink_emit(tg_sink *s, const tg_str *pre, const tg_str *a,
                     const tg_str *b, double v) {
  if (s->emit)
    return s->emit(s, pre, a, b, v);
  if (pre->len + a->len + (b ? 1 + b->len : 0) >= TG_NAME_MAX ||
      s->n >= TG_KEYS) /* a token has fewer than 60 */
    return FS_OK;
  uint64_t h = hash_cat(pre->h, *a);
  if (b)
    h = hash_cat(addmod(mulmod(h, TG_B), (uint64_t)'|' + 1), *b);
  s->key[s->n] = key_mix(h);
  s->v[s->n++] = v;
  return FS_OK;
}

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

static const tg_str *stem_of(const tg_scratch *sc, uint32_t k) {
  return k == FS_NONE ? &sc->c->bound : &sc->stem[k];
}

static int emit1(tg_sink *s, double v, const tg_str *pre, tg_str a) {
  return sink_emit(s, pre, &a, NULL, v);
}

/* Where the first four code points of f[0..n) end (*head) and the last
 * four begin (*tail); false for a form of fewer than six. */
static bool affix_cut(const char *f, size_t n, size_t *head, size_t *tail) {
  size_t cps = 0;
  *head = 0, *tail = n;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)f[i] & 0xC0) != 0x80 && ++cps == 5)
      *head = i; /* the fifth code point starts here */
  if (cps < 6)
    return false;
  for (size_t back = 0; *tail > 0 && back < 4;)
    back += ((unsigned char)f[--*tail] & 0xC0) != 0x80;
  return true;
}

/* p4= and s4= of a folded form f[0..n) of six or more code points. */
static int affix_features(tg_sink *s, const tg_str *pre, const char *f,
                          size_t n) {
  size_t head, tail;
  if (!affix_cut(f, n, &head, &tail))
    return FS_OK;
  int rc = emit1(s, 1, &pre[PRE_P4], str_hashed(f, head));
  if (!rc)
    rc = emit1(s, 1, &pre[PRE_S4], str_hashed(f + tail, n - tail));
  return rc;
}

/* The v= terms of vector row (of length > 0) with the weights vw, summed
 * in component order from 0: applying adds this sum to a token's logit as
 * one term, once a form (tg_formw), not its 100 terms one by one (the
 * logit differs from the terms added one by one in its last bits). */
static double vector_sum(const fs_word_vectors *wv, uint32_t row,
                         double vscale, const double *vw) {
  unsigned dim = wv->dim;
  const float *x = wv->v + (size_t)row * dim;
  double m = vscale / wv->norm[row], z = 0;
  /* a component of 0 adds a 0 (m and the weights are finite): the sum is
   * the one that leaves those terms out, which the keys do (z starts at
   * +0 and a sum of doubles never gives -0 but from -0 + -0) */
  for (unsigned i = 0; i < dim; i++)
    z += vw[i] * (m * x[i]);
  return z;
}

/* v=0 .. v=dim-1 of the form f[0..n): its vector's components over its
 * length, times the scale; nothing for a form without a vector. */
static int vector_features(tg_sink *s, const tg_scratch *sc, size_t k,
                           const char *f, size_t n) {
  uint32_t row =
      sc->trow_ok ? sc->trow[k] : fs_intern_find(&sc->wv->words, f, n);
  if (row == FS_NONE || !(sc->wv->norm[row] > 0))
    return FS_OK;
  unsigned dim = sc->wv->dim;
  const float *x = sc->wv->v + (size_t)row * dim;
  double len = sc->wv->norm[row];
  double m = sc->vscale / len;
  int rc = FS_OK;
  if (sc->vw && !s->emit) { /* applying: the terms' sum where they are */
    s->vzat = s->n;
    s->vz[s->nvz++] = vector_sum(sc->wv, row, sc->vscale, sc->vw);
    return FS_OK;
  }
  for (unsigned i = 0; i < dim && !rc; i++)
    if (x[i] != 0)
      rc = sink_emit(s, &sc->c->pre[PRE_V], &sc->c->vi[i], NULL, m * x[i]);
  return rc;
}

/* The features of word token k. */
static int token_features(const fs_ctx *ctx, const fs_doc *d,
                          const tg_scratch *sc, size_t k, tg_sink *s) {
  const fs_lexicon *lex = ctx->lex;
  const fs_tok *t = &d->tokens[k];
  static const tg_str empty = {"", 0, 0, 1};
  uint32_t p = word_near(d, k, -1), n = word_near(d, k, 1);
  uint32_t pp = p == FS_NONE ? FS_NONE : word_near(d, p, -1);
  uint32_t nn = n == FS_NONE ? FS_NONE : word_near(d, n, 1);
  const tg_str *w0 = stem_of(sc, (uint32_t)k),
               *wp = stem_of(sc, p), *wn = stem_of(sc, n);
  const tg_str *pre = sc->c->pre;
  int rc = sink_emit(s, &pre[PRE_W], w0, NULL, 1) ||
           sink_emit(s, &pre[PRE_P], wp, NULL, 1) ||
           sink_emit(s, &pre[PRE_N], wn, NULL, 1) ||
           sink_emit(s, &pre[PRE_PP], stem_of(sc, pp), NULL, 1) ||
           sink_emit(s, &pre[PRE_PW], wp, w0, 1) ||
           sink_emit(s, &pre[PRE_WN], w0, wn, 1) ||
           sink_emit(s, &pre[PRE_NN], stem_of(sc, nn), NULL, 1);
  if (rc)
    return rc;
  /* a suffix generalises to words not seen: the last three bytes of the
   * lowercased form, taken from the text when the word is ASCII (the same
   * bytes; the form table is a cache miss away) */
  /* a window's offsets are the document's: its text starts at text_base */
  const unsigned char *tx =
      (const unsigned char *)d->text + (t->byte_start - d->text_base);
  size_t tl = t->byte_end - t->byte_start, ascii = 0;
  while (ascii < tl && tx[ascii] < 0x80)
    ascii++;
  if (ascii == tl && tl > 5 && tl <= FS_WORD_LOOKUP_MAX) {
    char suf[3];
    for (int j = 0; j < 3; j++) {
      unsigned char c = tx[tl - 3 + (size_t)j];
      suf[j] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    rc = emit1(s, 1, &pre[PRE_S3], str_short(sc->c, suf, 3));
  } else if (ascii < tl || tl > FS_WORD_LOOKUP_MAX) {
    size_t fl = t->form < ctx->forms.count
                    ? fs_intern_len(&ctx->forms, t->form)
                    : 0;
    if (fl > 5)
      rc = emit1(s, 1, &pre[PRE_S3],
                 str_hashed(fs_intern_str(&ctx->forms, t->form) + fl - 3, 3));
  }
  /* the first three and last two letters of an ASCII word, and its
   * shape: all capitals, hyphenated (chosen by 5-fold CV on the tuning
   * folds, bench/VALIDITY.md) */
  if (!rc && ascii == tl && tl > 3 && tl <= FS_WORD_LOOKUP_MAX) {
    char af[5];
    for (int j = 0; j < 5; j++) {
      unsigned char ch = tx[j < 3 ? (size_t)j : tl - 5 + (size_t)j];
      af[j] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    if (tl > 5)
      rc = emit1(s, 1, &pre[PRE_P3], str_short(sc->c, af, 3));
    if (!rc)
      rc = emit1(s, 1, &pre[PRE_S2], str_short(sc->c, af + 3, 2));
  }
  size_t up = 0, al = 0;
  bool hy = false;
  for (size_t j = 0; j < tl && !rc; j++) {
    unsigned char ch = tx[j];
    up += ch >= 'A' && ch <= 'Z';
    al += (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
    hy |= ch == '-';
  }
  if (!rc && al >= 2 && up == al)
    rc = sink_emit(s, &pre[PRE_ACAPS], &empty, NULL, 1);
  if (!rc && hy)
    rc = sink_emit(s, &pre[PRE_HYPH], &empty, NULL, 1);
  if (rc)
    return rc;
  /* how much framing language is around: the sentence's scoring
   * matches (capped) and the document's density (bucketed) */
  uint32_t sm = sc->cs.sent_scoring[t->sentence - sc->cs.sent_base];
  rc = sink_emit(s, &pre[PRE_SM + (sm > 3 ? 3 : sm)], &empty, NULL, 1);
  double dd = sc->cs.doc_words ? 100.0 * (double)sc->cs.doc_scoring /
                                     (double)sc->cs.doc_words
                               : 0;
  rc |= sink_emit(s, &pre[PRE_DD + (dd < 1 ? 0 : dd < 2 ? 1 : dd < 3 ? 2 : 3)],
                &empty, NULL, 1);
  if (sc->cs.word_pos[k] > 0 && (t->flags & FS_TOKF_UPPER))
    rc |= sink_emit(s, &pre[PRE_CAP], &empty, NULL, 1);
  if (t->voice == FS_VOICE_QUOTE)
    rc |= sink_emit(s, &pre[PRE_QUOTE], &empty, NULL, 1);
  if (t->flags & FS_TOKF_SCARE)
    rc |= sink_emit(s, &pre[PRE_SCARE], &empty, NULL, 1);
  if (fs_tok_para(d, t) == 0 && sc->cs.paragraphs > 1)
    rc |= sink_emit(s, &pre[PRE_HEADLINE], &empty, NULL, 1);
  /* lexicon categories over the token and its neighbours */
  const uint32_t near[3] = {(uint32_t)k, p, n};
  for (int j = 0; j < 3 && !rc; j++) {
    if (near[j] == FS_NONE)
      continue;
    for (int c = 0; c < 2 && !rc; c++) {
      uint32_t mi = sc->cover[2 * near[j] + c];
      if (mi == FS_NONE)
        continue;
      const fs_match *m = &d->matches[mi];
      rc = sink_emit(s, &pre[PRE_C + j], &sc->c->cat[m->category], NULL, 1);
      if (!rc && j == 0)
        rc = sink_emit(s, &pre[PRE_F],
                       &sc->c->fam[lex->cats[m->category].family], NULL, 1);
      /* where in the match: its first word or a later one */
      if (!rc && j == 0)
        rc = sink_emit(s, &pre[m->tok_start == k ? PRE_MB : PRE_MI],
                       &sc->c->cat[m->category], NULL, 1);
    }
  }
  /* --token-features near2: the categories of the words two before and
   * two after (a loaded word's phrase reaches past its neighbours) */
  const uint32_t far[2] = {pp, nn};
  for (int j = 0; j < 2 && !rc && (sc->feats & FS_TAGGER_F_NEAR2); j++)
    for (int c = 0; far[j] != FS_NONE && c < 2 && !rc; c++) {
      uint32_t m2 = sc->cover[2 * far[j] + c];
      if (m2 != FS_NONE)
        rc = sink_emit(s, &pre[PRE_C2], &sc->c->cat[d->matches[m2].category],
                       NULL, 1);
    }
  /* --token-features affix: the first and last four characters (code
   * points) of the folded form, for a word of six or more: a word seen
   * once shares the weight of its relatives ("-ness", "anti") */
  if (!rc && (sc->feats & FS_TAGGER_F_AFFIX) && t->form < ctx->forms.count)
    rc = affix_features(s, pre, fs_intern_str(&ctx->forms, t->form),
                        fs_intern_len(&ctx->forms, t->form));
  /* --word-classes: the class of its stem */
  if (!rc && sc->wi && w0->len) {
    uint32_t cl = windex_find(sc->wi, w0->h);
    if (cl != FS_NONE)
      rc = sink_emit(s, &pre[PRE_K], &sc->wi->name[cl], NULL, 1);
  }
  /* --word-vectors: the components of its folded form's vector, of unit
   * length (a word seen once in the annotations shares weight with the
   * words near it in the vectors' space) */
  if (!rc && sc->wv && t->form < ctx->forms.count)
    rc = vector_features(s, sc, k, fs_intern_str(&ctx->forms, t->form),
                         fs_intern_len(&ctx->forms, t->form));
  /* the context of the first match over it */
  uint32_t mi = sc->cover[2 * k];
  if (mi != FS_NONE && !rc) {
    double x[FS_CF_N];
    fs_context_features(&sc->cs, lex, d, mi, x);
    for (size_t i = 0; i < FS_CF_N && !rc; i++)
      if (x[i] != 0)
        rc = sink_emit(s, &pre[PRE_X], &sc->c->cf[i], NULL, x[i]);
  }
  return rc;
}

/* How tags are made from the words' probabilities. */
typedef struct tg_decode {
  double t;              /* a word at or above t is tagged */
  bool anchor;           /* and the spans of kept anchor matches */
  double t_lo;           /* a match is kept when a word of it reaches t_lo */
  long phrase;           /* its span: fs_eval_match_tokens(); < 0 its words */
  const uint8_t *cat_on; /* [lexicon categories] the anchor categories */
  size_t ncats;
  fs_tagger_rules rules; /* anchored: applied after the anchor spans */
  long cap;              /* > 0: at most cap tagged words per sentence */
} tg_decode;

/* ---- span rules (anchored) ----------------------------------------------
 * Partial-overlap credit (SemEval-2020 Task 11) scores each predicted span
 * by the share of it inside gold spans and each gold span by the share of
 * it predicted: the rules below change where runs of tags begin and end. */

static bool ends_phrase(const fs_doc *d, size_t k) {
  return fs_eval_function_word(d, k);
}

static bool same_sentence(const fs_doc *d, size_t j, size_t k) {
  return d->tokens[j].sentence == d->tokens[k].sentence;
}

/* A content word right before or after a run, at or above `at`, joins it;
 * one word each side (new tags are 2 until the end, so they do not grow
 * the run further). */
static void rule_extend(const fs_doc *d, const double *p, double at,
                        uint8_t *tag) {
  for (size_t k = 0; k < d->ntokens; k++) {
    if (tag[k] != 1)
      continue;
    for (int dir = -1; dir <= 1; dir += 2) {
      size_t j = k + (size_t)(long)dir;
      if ((dir < 0 && k == 0) || j >= d->ntokens || tag[j] ||
          !same_sentence(d, j, k) || d->tokens[j].kind != FS_TOK_WORD ||
          ends_phrase(d, j) || p[j] < at)
        continue;
      tag[j] = 2;
    }
  }
  for (size_t k = 0; k < d->ntokens; k++)
    tag[k] = tag[k] != 0;
}

/* One untagged function word or punctuation mark between two tagged
 * tokens of a sentence is tagged, joining their runs. */
static void rule_merge(const fs_doc *d, uint8_t *tag) {
  for (size_t k = 1; k + 1 < d->ntokens; k++)
    if (!tag[k] && tag[k - 1] && tag[k + 1] && ends_phrase(d, k) &&
        same_sentence(d, k - 1, k + 1))
      tag[k] = 1;
}

/* A run's leading and trailing function words and punctuation are
 * untagged (a run of them alone goes). */
static void rule_trim(const fs_doc *d, uint8_t *tag) {
  for (size_t k = 0; k < d->ntokens;) {
    if (!tag[k]) {
      k++;
      continue;
    }
    size_t a = k, b = k + 1;
    while (b < d->ntokens && tag[b] && same_sentence(d, a, b))
      b++;
    k = b;
    while (a < b && ends_phrase(d, a))
      tag[a++] = 0;
    while (b > a && ends_phrase(d, b - 1))
      tag[--b] = 0;
  }
}

static void apply_rules(const fs_doc *d, const double *p,
                        const fs_tagger_rules *r, uint8_t *tag) {
  if (r->extend > 0)
    rule_extend(d, p, r->extend, tag);
  if (r->merge)
    rule_merge(d, tag);
  if (r->trim)
    rule_trim(d, tag);
}

bool fs_tagger_rules_parse(const char *s, fs_tagger_rules *r) {
  fs_tagger_rules out = {0};
  if (!strcmp(s, "none")) {
    *r = out;
    return true;
  }
  while (*s) {
    size_t n = strcspn(s, ",");
    char *end;
    if (n == 5 && !strncmp(s, "merge", 5))
      out.merge = true;
    else if (n == 4 && !strncmp(s, "trim", 4))
      out.trim = true;
    else if (n > 7 && !strncmp(s, "extend=", 7)) {
      errno = 0;
      out.extend = strtod(s + 7, &end);
      if (errno || end != s + n || !(out.extend > 0 && out.extend < 1))
        return false;
    } else
      return false;
    s += n;
    if (*s == ',' && !*++s)
      return false;
  }
  *r = out;
  return true;
}

/* ---- sentences: the stacked stage and the cap -----------------------------
 * BABE ties biased words to biased sentences (most non-biased sentences
 * have no biased word), which a token's own features see only through
 * density counts. The stacked stage reads, for every word, its sentence's
 * first-stage probabilities; the cap keeps a sentence's most probable
 * tagged words. */

/* The end of the sentence that starts at token a. */
static size_t sentence_end(const fs_doc *d, size_t a) {
  size_t b = a;
  while (b < d->ntokens && d->tokens[b].sentence == d->tokens[a].sentence)
    b++;
  return b;
}

/* Keeps the cap most probable tagged words of each sentence (the first of
 * equal ones), untagging the rest. */
static void cap_sentences(const fs_doc *d, const double *p, long cap,
                          uint8_t *tag) {
  for (size_t a = 0, b; a < d->ntokens; a = b) {
    b = sentence_end(d, a);
    size_t n = 0;
    for (size_t k = a; k < b; k++)
      n += tag[k] != 0;
    if (n <= (size_t)cap)
      continue;
    for (long i = 0; i < cap; i++) {
      size_t best = SIZE_MAX;
      for (size_t k = a; k < b; k++)
        if (tag[k] == 1 && (best == SIZE_MAX || p[k] > p[best]))
          best = k;
      tag[best] = 2;
    }
    for (size_t k = a; k < b; k++)
      tag[k] = tag[k] == 2;
  }
}

/* The stacked stage's weights in a tagger file (stack.NAME), in the order
 * of stack_features(); the last is the sentence model's intercept. */
static const char *const stack_names[TG_STACK_N + 1] = {
    "p",   "z",  "zmax", "z2",  "mean",     "rank1",      "rank2",
    "rank3", "hi", "mid", "len", "sentence", "sentence_z",
    "sentence.intercept"};
/* The second stage's L2 penalty: its few dense features are fitted on
 * every word token (tens of thousands) */
#define TG_STACK_LAMBDA 1.0

static double logit_of(double p) {
  p = p < 1e-6 ? 1e-6 : p > 1 - 1e-6 ? 1 - 1e-6 : p;
  return log(p / (1 - p));
}

/* The stacked features of every word token of d, in token order, from
 * the first stage's probabilities p: its probability and logit; its
 * sentence's highest and second-highest logit and mean probability; its
 * rank there (1, 2, 3: indicators; ties share the better rank); log(1 +
 * the words at 0.5 or more), log(1 + those at 0.25 or more) and log(1 +
 * the sentence's words); the sentence model's probability ps[k] and its
 * logit. Each row goes to f + i * TG_STACK_N for the i-th
 * word token. */
static void stack_features(const fs_doc *d, const double *p, const double *ps,
                           double *f) {
  size_t row = 0;
  for (size_t a = 0, b; a < d->ntokens; a = b) {
    b = sentence_end(d, a);
    double top[3] = {-1, -1, -1}, sum = 0;
    size_t n = 0, hi = 0, mid = 0;
    for (size_t k = a; k < b; k++) {
      if (!is_word(&d->tokens[k]))
        continue;
      double v = p[k];
      n++, sum += v, hi += v >= 0.5, mid += v >= 0.25;
      if (v > top[0])
        top[2] = top[1], top[1] = top[0], top[0] = v;
      else if (v > top[1])
        top[2] = top[1], top[1] = v;
      else if (v > top[2])
        top[2] = v;
    }
    for (size_t k = a; k < b; k++) {
      if (!is_word(&d->tokens[k]))
        continue;
      double *x = f + row++ * TG_STACK_N, v = p[k];
      int rank = 1 + (top[0] > v) + (top[1] > v) + (top[2] > v);
      x[0] = v;
      x[1] = logit_of(v);
      x[2] = logit_of(top[0]);
      x[3] = logit_of(top[1] < 0 ? 0 : top[1]);
      x[4] = sum / (double)n;
      x[5] = rank == 1, x[6] = rank == 2, x[7] = rank == 3;
      x[8] = log1p((double)hi), x[9] = log1p((double)mid);
      x[10] = log1p((double)n);
      x[11] = ps[k], x[12] = logit_of(ps[k]);
    }
  }
}

/* The sentence model's features of the sentence of tokens [a, b) (at
 * training; names through the sink): "sw=" + the stem of each word and
 * "sc=" + the category of each match that starts there, counted. */
static int sentence_features(const fs_doc *d, const tg_scratch *sc, size_t a,
                             size_t b, tg_sink *s) {
  const struct fs_tagger_cache *c = sc->c;
  int rc = FS_OK;
  for (size_t k = a; k < b && !rc; k++)
    if (is_word(&d->tokens[k]))
      rc = sink_emit(s, &c->pre[PRE_SW], &sc->stem[k], NULL, 1);
  for (size_t i = 0; i < d->nmatches && !rc; i++) {
    const fs_match *m = &d->matches[i];
    if (m->tok_start >= a && m->tok_start < b && m->category < c->lex->ncats)
      rc = sink_emit(s, &c->pre[PRE_SC], &c->cat[m->category], NULL, 1);
  }
  return rc;
}

/* Applying the sentence model: ps[k] for every token k of d, the
 * probability of its sentence (zs: scratch of one double per sentence). */
static void sentence_apply(const fs_tagger *tg, const struct fs_tagger_cache *c,
                           const tg_scratch *sc, const fs_doc *d, double *zs,
                           double *ps);

/* The second stage: q[k] for every word token k of d from the first
 * stage's p (f: scratch of TG_STACK_N doubles per word token). */
static void stack_apply(const fs_doc *d, const double *w, const double *p,
                        const double *ps, double *f, double *q) {
  stack_features(d, p, ps, f);
  size_t row = 0;
  for (size_t k = 0; k < d->ntokens; k++) {
    q[k] = 0;
    if (!is_word(&d->tokens[k]))
      continue;
    const double *x = f + row++ * TG_STACK_N;
    double z = w[0];
    for (size_t j = 0; j < TG_STACK_N; j++)
      z += w[1 + j] * x[j];
    q[k] = 1.0 / (1.0 + exp(-z));
  }
}

/* Tags from probabilities: a word at or above t, and, next to a tagged
 * word of its sentence, one at or above t / 2 (annotated spans are
 * phrases: a weaker neighbour of a strong word belongs to it). Anchored,
 * the span of each anchor match that the tagger does not reject (a word
 * of it at or above t_lo) is tagged too: the lexicon's prediction,
 * filtered, with the tagger's confident words added. */
static void tag_doc(const fs_doc *d, const double *p, const tg_decode *dc,
                    uint8_t *tag) {
  double t = dc->t, half = t / 2;
  /* at or above t; then from the word before (which is behind: its tag is
   * final for this pass, as when the passes were two) */
  for (size_t k = 0; k < d->ntokens; k++) {
    tag[k] = p[k] >= t;
    if (tag[k] || p[k] < half || !is_word(&d->tokens[k]))
      continue;
    uint32_t nb = word_near(d, k, -1);
    tag[k] = nb != FS_NONE && tag[nb];
  }
  for (size_t k = d->ntokens; k-- > 0;) { /* then from the word after */
    if (tag[k] || p[k] < half || !is_word(&d->tokens[k]))
      continue;
    uint32_t nb = word_near(d, k, 1);
    tag[k] = nb != FS_NONE && tag[nb];
  }
  if (dc->cap > 0)
    cap_sentences(d, p, dc->cap, tag);
  if (!dc->anchor)
    return;
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    if (m->category >= dc->ncats || !dc->cat_on[m->category] || m->event)
      continue;
    double best = 0;
    for (uint32_t k = m->tok_start; k < m->tok_end && k < d->ntokens; k++)
      best = p[k] > best ? p[k] : best;
    if (best < dc->t_lo)
      continue;
    uint32_t a = m->tok_start, b = m->tok_end;
    if (dc->phrase >= 0)
      fs_eval_match_tokens(d, m, (size_t)dc->phrase, &a, &b);
    for (uint32_t k = a; k < b && k < d->ntokens; k++)
      tag[k] = 1;
  }
  apply_rules(d, p, &dc->rules, tag);
}

/* ---- applying ------------------------------------------------------------ */

static uint64_t key_of(const char *name, size_t len) {
  return key_mix(str_hashed(name, len).h);
}

/* The weight of a feature by its name's key; 0 when the tagger lacks it. */
static uint64_t key_narrow(const fs_tagger *tg, uint64_t key) {
  key &= tg->kbits;
  return key ? key : 1;
}

static double key_weight(const fs_tagger *tg, uint64_t key) {
  key = key_narrow(tg, key);
  for (size_t i = key & tg->kmask;; i = (i + 1) & tg->kmask) {
    if (tg->slots[i].key == key)
      return tg->slots[i].w;
    if (!tg->slots[i].key)
      return 0;
  }
}

static void sentence_apply(const fs_tagger *tg, const struct fs_tagger_cache *c,
                           const tg_scratch *sc, const fs_doc *d, double *zs,
                           double *ps) {
  if (!d->ntokens)
    return;
  uint32_t s0 = d->tokens[0].sentence;
  size_t ns = d->tokens[d->ntokens - 1].sentence - s0 + 1;
  memset(zs, 0, ns * sizeof *zs);
  for (size_t k = 0; k < d->ntokens; k++)
    if (is_word(&d->tokens[k]))
      zs[d->tokens[k].sentence - s0] += key_weight(
          tg, key_mix(hash_cat(c->pre[PRE_SW].h, sc->stem[k])));
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    if (m->tok_start < d->ntokens && m->category < c->lex->ncats)
      zs[d->tokens[m->tok_start].sentence - s0] += key_weight(
          tg, key_mix(hash_cat(c->pre[PRE_SC].h, c->cat[m->category])));
  }
  for (size_t k = 0; k < d->ntokens; k++)
    ps[k] = 1.0 / (1.0 + exp(-(tg->stack_w[1 + TG_STACK_N] +
                               zs[d->tokens[k].sentence - s0])));
}

/* Whether key (key_mix() of "pw=" or "wn=" + a stem + '|') may start a
 * stem pair of the tagger (tg->lefts). */
static bool lefts_has(const fs_tagger *tg, uint64_t key) {
  size_t bit = (size_t)key & tg->lmask;
  return tg->lefts[bit / 64] >> (bit % 64) & 1;
}

/* tg->lefts from its names. */
static int lefts_index(fs_tagger *tg) {
  size_t count = 0, n = 64;
  for (int pass = 0; pass < 2; pass++) {
    for (uint32_t id = 0; id < tg->names.count; id++) {
      const char *s = fs_intern_str(&tg->names, id);
      size_t len = fs_intern_len(&tg->names, id);
      if (len < 4 || (memcmp(s, "pw=", 3) && memcmp(s, "wn=", 3)))
        continue;
      uint64_t h = str_hashed(s, 3).h; /* of s[0..i] */
      for (size_t i = 3; i < len; i++) {
        h = addmod(mulmod(h, TG_B), (uint64_t)(unsigned char)s[i] + 1);
        if (s[i] != '|')
          continue;
        if (!pass) {
          count++;
          continue;
        }
        size_t bit = (size_t)key_mix(h) & tg->lmask;
        tg->lefts[bit / 64] |= UINT64_C(1) << (bit % 64);
      }
    }
    if (!pass) {
      while (n < 16 * count)
        n *= 2;
      free(tg->lefts);
      if (!(tg->lefts = calloc(n / 64, sizeof *tg->lefts)))
        return FS_ERR_NOMEM;
      tg->lmask = n - 1;
    }
  }
  return FS_OK;
}

/* Builds the key table from the names and weights. Two names with one
 * hash (about one chance in 5 million for a million features) would
 * share a weight: that is refused, with their ids in clash. */
static int tagger_index(fs_tagger *tg, uint32_t clash[2]) {
  size_t n = 16;
  while (n < tg->names.count + tg->names.count / 2 + 2)
    n *= 2;
  free(tg->slots);
  tg->slots = fs_table_alloc(n, sizeof *tg->slots);
  tg->kmask = n - 1;
  uint32_t *owner = malloc(n * sizeof *owner);
  if (!tg->slots || !owner) {
    free(owner);
    return FS_ERR_NOMEM;
  }
  size_t nb = 64;
  while (nb < 8 * (size_t)tg->names.count)
    nb *= 2;
  free(tg->filter);
  tg->filter = calloc(nb / 64, sizeof *tg->filter);
  tg->fmask = nb - 1;
  if (!tg->filter) {
    free(owner);
    return FS_ERR_NOMEM;
  }
  int rc = FS_OK;
  for (uint32_t id = 0; id < tg->names.count && !rc; id++) {
    uint64_t key = key_narrow(tg, key_of(fs_intern_str(&tg->names, id),
                                         fs_intern_len(&tg->names, id)));
    size_t bit = (size_t)(key >> 32) & tg->fmask;
    tg->filter[bit / 64] |= UINT64_C(1) << (bit % 64);
    size_t i = key & tg->kmask;
    while (tg->slots[i].key && tg->slots[i].key != key)
      i = (i + 1) & tg->kmask;
    if (tg->slots[i].key) {
      clash[0] = owner[i], clash[1] = id;
      rc = FS_ERR_INPUT;
    }
    tg->slots[i] = (struct tg_slot){key, tg->w[id]};
    owner[i] = id;
  }
  free(owner);
  if (!rc)
    rc = lefts_index(tg);
  tg->serial = next_serial();
  return rc;
}

/* ---- applying without keys (tg_fast) --------------------------------------
 * The weights of a token's features are gathered in the order
 * token_features() emits them and summed in that order, so every
 * probability is the double the keys give (fs_tagger_keyed() applies
 * through the keys, for the tests that compare them). */

static const tg_str tg_empty = {"", 0, 0, 1};

/* The weight of the name pre + a (+ '|' + b) as the keys give it. A name
 * sink_emit() leaves out (TG_NAME_MAX) weighs 0 here: adding 0 * v to a
 * sum leaves it as it was (but for -0, which gives the same probability). */
static double name_weight(const fs_tagger *tg, const tg_str *pre,
                          const tg_str *a, const tg_str *b) {
  if (pre->len + a->len + (b ? 1 + b->len : 0) >= TG_NAME_MAX)
    return 0;
  uint64_t h = hash_cat(pre->h, *a);
  if (b)
    h = hash_cat(addmod(mulmod(h, TG_B), (uint64_t)'|' + 1), *b);
  return key_weight(tg, key_mix(h));
}

/* The weights of a stem's names; k= when it has a class (row: its row
 * of c->left). */
static void stem_fill(const fs_tagger *tg, const struct fs_tagger_cache *c,
                      const tg_str *st, size_t row, tg_stemw *sw) {
  static const int pre[SW_K] = {PRE_W, PRE_P, PRE_N, PRE_PP, PRE_NN};
  sw->h = st->h, sw->pw = st->pw, sw->len = (uint32_t)st->len;
  sw->left[0] = c->left[row][0], sw->left[1] = c->left[row][1];
  /* a pair whose first part begins no name is not in the table: only a
   * clash of its 64-bit key with another name's would have weighed it
   * (keys narrowed by tests clash often: there every pair is looked up) */
  bool all = tg->kbits != UINT64_MAX;
  uint32_t pairs = (all || lefts_has(tg, key_mix(sw->left[0])) ? SW_PW : 0) |
                   (all || lefts_has(tg, key_mix(sw->left[1])) ? SW_WN : 0);
  for (int i = 0; i < SW_K; i++)
    sw->w[i] = name_weight(tg, &c->pre[pre[i]], st, NULL);
  sw->w[SW_K] = 0;
  sw->ok = 1 | pairs;
  if (tg->wi && st->len) {
    uint32_t cl = windex_find(tg->wi, st->h);
    if (cl != FS_NONE) {
      sw->w[SW_K] = name_weight(tg, &c->pre[PRE_K], &tg->wi->name[cl], NULL);
      sw->ok |= 2;
    }
  }
  sw->own = sw->w[SW_W] + sw->w[SW_K];
}

/* The weights of the categories' and families' names of lex (the cache's
 * lexicon). */
static int fast_lexicon(tg_fast *f, const struct fs_tagger_cache *c,
                        const fs_lexicon *lex) {
  static const int pre[CW_OB] = {PRE_C,  PRE_CP, PRE_CN,
                                 PRE_MB, PRE_MI, PRE_C2};
  free(f->cat), free(f->fam);
  f->lex = NULL;
  f->cat = malloc((lex->ncats * CW_COUNT + 1) * sizeof *f->cat);
  f->fam = malloc((lex->nfamilies + 1) * sizeof *f->fam);
  if (!f->cat || !f->fam)
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < lex->nfamilies; i++)
    f->fam[i] = name_weight(f->tg, &c->pre[PRE_F], &c->fam[i], NULL);
  for (size_t i = 0; i < lex->ncats; i++) {
    double *cw = f->cat + i * CW_COUNT;
    for (int j = 0; j < CW_OB; j++)
      cw[j] = name_weight(f->tg, &c->pre[pre[j]], &c->cat[i], NULL);
    double cf = cw[CW_C] + f->fam[lex->cats[i].family];
    cw[CW_OB] = cf + cw[CW_MB];
    cw[CW_OI] = cf + cw[CW_MI];
  }
  f->lex = lex;
  return FS_OK;
}

/* f made for tg: the weights of the names without a varying part. */
static int fast_init(tg_fast *f, const struct fs_tagger_cache *c,
                     const fs_tagger *tg) {
  f->tg = tg;
  f->serial = tg->serial;
  for (int i = 0; i < 4; i++) {
    f->fix[FX_SM + i] = name_weight(tg, &c->pre[PRE_SM + i], &tg_empty, NULL);
    f->fix[FX_DD + i] = name_weight(tg, &c->pre[PRE_DD + i], &tg_empty, NULL);
  }
  static const int fx[][2] = {{FX_CAP, PRE_CAP},     {FX_QUOTE, PRE_QUOTE},
                              {FX_SCARE, PRE_SCARE}, {FX_HEADLINE, PRE_HEADLINE},
                              {FX_ACAPS, PRE_ACAPS}, {FX_HYPH, PRE_HYPH}};
  for (size_t i = 0; i < sizeof fx / sizeof *fx; i++)
    f->fix[fx[i][0]] = name_weight(tg, &c->pre[fx[i][1]], &tg_empty, NULL);
  if (!(f->ft = malloc(FT_N * sizeof *f->ft)))
    return FS_ERR_NOMEM;
  for (unsigned i = 0; i < FT_N; i++) {
    static const int bit[][2] = {{FT_CAP, FX_CAP},
                                 {FT_QUOTE, FX_QUOTE},
                                 {FT_SCARE, FX_SCARE},
                                 {FT_HEADLINE, FX_HEADLINE}};
    double z = 0;
    if (i >> FT_ACAPS & 1)
      z += f->fix[FX_ACAPS];
    if (i >> FT_HYPH & 1)
      z += f->fix[FX_HYPH];
    z += f->fix[FX_SM + (i & 3)];
    z += f->fix[FX_DD + (i >> FT_DD & 3)];
    for (size_t j = 0; j < sizeof bit / sizeof *bit; j++)
      if (i >> bit[j][0] & 1)
        z += f->fix[bit[j][1]];
    f->ft[i] = z;
  }
  for (size_t i = 0; i < FS_CF_N; i++)
    f->x[i] = name_weight(tg, &c->pre[PRE_X], &c->cf[i], NULL);
  if (tg->vdim) {
    if (!(f->v = malloc(tg->vdim * sizeof *f->v)))
      return FS_ERR_NOMEM;
    double ss = 0;
    for (unsigned i = 0; i < tg->vdim; i++) {
      f->v[i] = name_weight(tg, &c->pre[PRE_V], &c->vi[i], NULL);
      ss += f->v[i] * f->v[i];
    }
    /* |v . x| <= |v| |x|, x of length vscale (its length's rounding and
     * the sums' are far below the margin); NaN or inf: never used */
    f->vbound = fabs(tg->vscale) * sqrt(ss) * (1 + 1e-9);
  }
  f->wmax = fabs(tg->intercept);
  for (size_t i = 0; i <= tg->kmask; i++) {
    double a = fabs(tg->slots[i].w);
    if (tg->slots[i].key && !(a <= f->wmax))
      f->wmax = isnan(a) ? INFINITY : a;
  }
  stem_fill(tg, c, &c->bound, 0, &f->bound);
  stem_fill(tg, c, &tg_empty, 1, &f->empty);
  return FS_OK;
}

/* The context's weights of tg, made (in place of the least recently used
 * tagger's) or brought up to date with its lexicon and stems; NULL when
 * out of memory. */
static tg_fast *fast_of(struct fs_tagger_cache *c, const fs_tagger *tg,
                        const fs_ctx *ctx) {
  tg_fast *f = NULL;
  for (int i = 0; i < TG_FAST_N && !f; i++)
    if (c->fast[i].tg == tg && c->fast[i].serial == tg->serial)
      f = &c->fast[i];
  if (!f) {
    f = &c->fast[0];
    for (int i = 1; i < TG_FAST_N; i++)
      if (c->fast[i].used < f->used)
        f = &c->fast[i];
    fast_free(f);
    if (fast_init(f, c, tg)) {
      fast_free(f);
      return NULL;
    }
  }
  f->used = ++c->clock;
  if (f->lex != ctx->lex && fast_lexicon(f, c, ctx->lex))
    return NULL;
  if (f->nstem < c->nstems) {
    if (fs_grow(&f->stem, &f->stem_cap, c->nstems, sizeof *f->stem))
      return NULL;
    memset(f->stem + f->nstem, 0, (c->nstems - f->nstem) * sizeof *f->stem);
    f->nstem = c->nstems;
  }
  return f;
}

/* The weights of the stem of word token k. */
static const tg_stemw *stem_w(tg_fast *f, const tg_scratch *sc,
                              const fs_doc *d, uint32_t k) {
  uint32_t id = d->tokens[k].stem;
  if (id >= f->nstem) /* as scratch_fill() and cache_of()'s left */
    return &f->empty;
  tg_stemw *sw = &f->stem[id];
  if (!sw->ok) {
    const tg_stem_hash *sh = &sc->c->stems[id];
    tg_str st = {NULL, sh->len, sh->h, sh->pw}; /* as scratch_fill() */
    stem_fill(f->tg, sc->c, &st, (size_t)id + 2, sw);
  }
  return sw;
}

/* The weight of pre + the short string b[0..len). */
static double short_weight(const tg_fast *f, const tg_scratch *sc, int pre,
                           const char *b, size_t len) {
  tg_str a = str_short(sc->c, b, len);
  return name_weight(f->tg, &sc->c->pre[pre], &a, NULL);
}

/* form_w() of a form not in the table, not filled, or (!vlater) filled
 * but for its v= sum. */
static const tg_formw *form_fill(tg_fast *f, const fs_ctx *ctx,
                                 const tg_scratch *sc, uint32_t id, bool vlater,
                                 tg_formw *tmp) {
  tg_formw *fw = tmp;
  size_t nf = ctx->forms.count;
  if (id < f->nform ||
      !fs_grow(&f->form, &f->form_cap, nf, sizeof *f->form)) {
    if (id >= f->nform) {
      memset(f->form + f->nform, 0, (nf - f->nform) * sizeof *f->form);
      f->nform = nf;
    }
    fw = &f->form[id];
  }
  const char *s = fs_intern_str(&ctx->forms, id);
  size_t n = fs_intern_len(&ctx->forms, id), head, tail;
  const tg_str *pre = sc->c->pre;
  double s3 = 0, sa = 0, rest = 0;
  if (n > 5) {
    s3 = short_weight(f, sc, PRE_S3, s + n - 3, 3);
    sa = s3 + short_weight(f, sc, PRE_P3, s, 3);
  }
  if (n > 3)
    sa += short_weight(f, sc, PRE_S2, s + n - 2, 2);
  if ((f->tg->feats & FS_TAGGER_F_AFFIX) && affix_cut(s, n, &head, &tail)) {
    tg_str a = str_hashed(s, head), b = str_hashed(s + tail, n - tail);
    rest = name_weight(f->tg, &pre[PRE_P4], &a, NULL) +
           name_weight(f->tg, &pre[PRE_S4], &b, NULL);
  }
  uint32_t row = FS_NONE;
  bool later = false;
  if (sc->wv) { /* its row in the vectors (tagging alone: when needed) */
    row = sc->memo[id];
    if (row == FS_VECTORS_UNSEEN && vlater && fw != tmp)
      later = true, row = FS_NONE;
    else if (row == FS_VECTORS_UNSEEN)
      row = fs_word_vectors_form_row(sc->wv, ctx, sc->memo, id);
  }
  if (row != FS_NONE && sc->wv->norm[row] > 0)
    rest += vector_sum(sc->wv, row, sc->vscale, f->v);
  fw->sa = sa + rest;
  fw->sn = s3 + rest;
  fw->ok = later ? TG_FORM_VLATER : 1;
  unsigned char any = 0;
  fw->hyph = 0;
  for (size_t i = 0; i < n; i++) {
    any |= (unsigned char)s[i];
    fw->hyph |= s[i] == '-' ? SH_HYPH : 0;
  }
  fw->alen = any < 0x80 && n < UINT16_MAX - 1 ? (uint16_t)(n + 1) : 0;
  return fw;
}

/* The sums of form id's names (tg_formw); in *tmp, not kept, when the
 * table cannot grow. vlater: tagging alone, the v= sum may be left out
 * (TG_FORM_VLATER) until a word needs it. */
static inline const tg_formw *form_w(tg_fast *f, const fs_ctx *ctx,
                                     const tg_scratch *sc, uint32_t id,
                                     bool vlater, tg_formw *tmp) {
  if (id < f->nform && (f->form[id].ok & (1 | (unsigned)vlater << 1)))
    return &f->form[id];
  return form_fill(f, ctx, sc, id, vlater, tmp);
}

/* The weight of s3= (pre PRE_S3), p3= or s2= + the ASCII bytes b[0..len)
 * (len <= 3), from the table of those seen (its key: which, and the
 * bytes); looked up and kept on a miss. */
static double aff_weight(tg_fast *f, const tg_scratch *sc, int pre,
                         const char *b, size_t len) {
  uint32_t key = (uint32_t)(pre == PRE_S3 ? 1 : pre == PRE_P3 ? 2 : 3) << 21;
  for (size_t i = 0; i < len; i++)
    key |= (uint32_t)(unsigned char)b[i] << (7 * i);
  uint64_t hash = (uint64_t)key * UINT64_C(0x9e3779b97f4a7c15);
  if (f->aff) {
    for (size_t i = (size_t)(hash >> 40) & f->amask;; i = (i + 1) & f->amask) {
      if (f->aff[i].key == key)
        return f->aff[i].w;
      if (!f->aff[i].key)
        break;
    }
  }
  tg_str a = str_short(sc->c, b, len);
  double w = name_weight(f->tg, &sc->c->pre[pre], &a, NULL);
  /* at most half full; a table that cannot grow keeps what it has */
  if (2 * (f->acount + 1) > (f->aff ? f->amask + 1 : 0)) {
    size_t n = f->aff ? 2 * (f->amask + 1) : 1024;
    struct tg_affw *t = calloc(n, sizeof *t);
    if (!t)
      return w;
    for (size_t j = 0; f->aff && j <= f->amask; j++) {
      if (!f->aff[j].key)
        continue;
      uint64_t hj = (uint64_t)f->aff[j].key * UINT64_C(0x9e3779b97f4a7c15);
      size_t i = (size_t)(hj >> 40) & (n - 1);
      while (t[i].key)
        i = (i + 1) & (n - 1);
      t[i] = f->aff[j];
    }
    free(f->aff);
    f->aff = t;
    f->amask = n - 1;
  }
  size_t i = (size_t)(hash >> 40) & f->amask;
  while (f->aff[i].key)
    i = (i + 1) & f->amask;
  f->aff[i] = (struct tg_affw){key, w};
  f->acount++;
  return w;
}

/* The stem pair pre + x + '|' + y (left: pair_left() of pre and x): its
 * key, when the tagger's filter may hold it, to look up when summing (its
 * slot fetched meanwhile). A name not in the table weighs 0. */
static inline void wb_pair(tg_wbuf *b, const fs_tagger *tg, const tg_str *pre,
                           const tg_stemw *x, uint64_t left,
                           const tg_stemw *y) {
  if (pre->len + x->len + 1 + y->len >= TG_NAME_MAX)
    return;
  uint64_t key =
      key_narrow(tg, key_mix(addmod(mulmod(left, y->pw), y->h)));
  size_t bit = (size_t)(key >> 32) & tg->fmask;
  if (tg->filter[bit / 64] & (UINT64_C(1) << (bit % 64))) {
    __builtin_prefetch(&tg->slots[key & tg->kmask]);
    b->key[b->nkey++] = key;
  }
}

static unsigned word_shape(const unsigned char *tx, size_t tl) {
  /* each byte's class: 1 A-Z, 2 a-z, 4 '-', 8 not ASCII */
  static const uint8_t cls[256] = {
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
      0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
      2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
      8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
      8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
      8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
      8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
      8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
      8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
      8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
      8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
  };
  unsigned any = 0, up = 0;
  for (size_t j = 0; j < tl; j++) {
    unsigned c = cls[tx[j]];
    any |= c;
    up += c & 1;
  }
  return (any & 8 ? 0 : SH_ASCII) | (any & 2 ? SH_SMALL : 0) |
         (any & 4 ? SH_HYPH : 0) | (up >= 2 ? SH_UP2 : 0);
}

/* s3= p3= s2= of an ASCII word of tl bytes tx without a form (its bytes
 * lowercased, as a form's would be). */
static double ascii_affixes(tg_fast *f, const tg_scratch *sc,
                            const unsigned char *tx, size_t tl) {
  char lw[FS_WORD_LOOKUP_MAX];
  for (size_t j = 0; j < tl; j++)
    lw[j] = (char)(tx[j] >= 'A' && tx[j] <= 'Z' ? tx[j] + 32 : tx[j]);
  double z = 0;
  if (tl > 5)
    z += aff_weight(f, sc, PRE_S3, lw + tl - 3, 3) +
         aff_weight(f, sc, PRE_P3, lw, 3);
  if (tl > 3)
    z += aff_weight(f, sc, PRE_S2, lw + tl - 2, 2);
  return z;
}

/* The sum of word token k's weights into b (but for its stem pairs, whose
 * keys go to b->key); ft: the flags' table at the document's dd=. */
static inline __attribute__((always_inline)) void
token_weights(tg_fast *f, const fs_ctx *ctx, const fs_doc *d,
              const tg_scratch *sc, size_t k, const double *ft, bool vlater,
              tg_wbuf *b, uint32_t *xmi, double *xm) {
  const fs_tagger *tg = f->tg;
  const fs_tok *t = &d->tokens[k];
  const tg_str *pre = sc->c->pre;
  /* the neighbours (none: the document's number of tokens, whose stem is
   * "<s>" and which no match covers) */
  uint32_t p = sc->near[2 * k], n = sc->near[2 * k + 1];
  uint32_t pp = sc->near[2 * p], nn = sc->near[2 * n + 1];
  const tg_stemw *const *sw = sc->sw;
  const tg_stemw *w0 = sw[k], *wp = sw[p], *wn = sw[n];
  const unsigned char *tx =
      (const unsigned char *)d->text + (t->byte_start - d->text_base);
  size_t tl = t->byte_end - t->byte_start;
  b->nkey = 0;
  b->vlater = false;
  if (wp->ok & SW_PW)
    wb_pair(b, tg, &pre[PRE_PW], wp, wp->left[0], w0);
  if (w0->ok & SW_WN)
    wb_pair(b, tg, &pre[PRE_WN], w0, w0->left[1], wn);
  double z = w0->own;
  z += wp->w[SW_P];
  z += wn->w[SW_N];
  z += sw[pp]->w[SW_PP];
  z += sw[nn]->w[SW_NN];
  /* the shapes: all capitals (two or more ASCII capitals, no small
   * letter), hyphenated; whether the word is ASCII */
  unsigned sh;
  bool asc;
  /* s3= p3= s2= p4= s4= v=: the form's sums */
  if (t->form < ctx->forms.count) {
    tg_formw tmp;
    const tg_formw *fw = form_w(f, ctx, sc, t->form, vlater, &tmp);
    b->vlater = fw->ok == TG_FORM_VLATER;
    /* The form is the folded bytes of the token (fs_fold), which writes
     * an ASCII byte as one ASCII byte and a character of two or more
     * bytes (valid UTF-8: not FS_TOKF_REPLACED) as at least one, ASCII
     * only if it shrinks: an ASCII form as long as the token is its bytes
     * lowercased, all ASCII, with the same hyphens. A small letter first
     * or second rules out all capitals (SH_UP2 is not asked then), as one
     * byte does. */
    sh = 0;
    if (fw->alen == tl + 1 && !(t->flags & FS_TOKF_REPLACED)) {
      if ((unsigned)(tx[0] - 'a') < 26 ||
          (tl > 1 && (unsigned)(tx[1] - 'a') < 26))
        sh = SH_ASCII | SH_SMALL | fw->hyph;
      else if (tl == 1)
        sh = SH_ASCII | fw->hyph;
    }
    if (!sh) /* not answered by the form */
      sh = word_shape(tx, tl);
    asc = (sh & SH_ASCII) && tl <= FS_WORD_LOOKUP_MAX;
    z += asc ? fw->sa : fw->sn;
  } else {
    sh = word_shape(tx, tl);
    asc = (sh & SH_ASCII) && tl <= FS_WORD_LOOKUP_MAX;
    if (asc)
      z += ascii_affixes(f, sc, tx, tl);
  }
  uint32_t sm = sc->cs.sent_scoring[t->sentence - sc->cs.sent_base];
  unsigned fl = (sm > 3 ? 3 : sm) |
                (unsigned)(sc->cs.word_pos[k] > 0 &&
                           (t->flags & FS_TOKF_UPPER)) << FT_CAP |
                (unsigned)(t->voice == FS_VOICE_QUOTE) << FT_QUOTE |
                (unsigned)!!(t->flags & FS_TOKF_SCARE) << FT_SCARE |
                (unsigned)(fs_tok_para(d, t) == 0 && sc->cs.paragraphs > 1)
                    << FT_HEADLINE |
                (unsigned)((sh & (SH_SMALL | SH_UP2)) == SH_UP2) << FT_ACAPS |
                (unsigned)!!(sh & SH_HYPH) << FT_HYPH;
  z += ft[fl];
  /* lexicon categories over the token, its neighbours and (near2) the
   * words two away (a token's second match, cover[1], only with a first) */
  const uint32_t near[3] = {(uint32_t)k, p, n};
  for (int j = 0; j < 3; j++) {
    const uint32_t *cv = &sc->cover[2 * near[j]];
    for (int c = 0; c < 2 && cv[c] != FS_NONE; c++) {
      const fs_match *m = &d->matches[cv[c]];
      const double *cw = f->cat + (size_t)m->category * CW_COUNT;
      z += j ? cw[CW_C + j] : cw[m->tok_start == k ? CW_OB : CW_OI];
    }
  }
  const uint32_t far[2] = {pp, nn};
  for (int j = 0; j < 2 && (tg->feats & FS_TAGGER_F_NEAR2); j++) {
    const uint32_t *cv = &sc->cover[2 * far[j]];
    for (int c = 0; c < 2 && cv[c] != FS_NONE; c++)
      z += f->cat[(size_t)d->matches[cv[c]].category * CW_COUNT + CW_C2];
  }
  uint32_t mi = sc->cover[2 * k];
  if (mi != FS_NONE) {
    if (*xmi != mi)
      fs_context_features(&sc->cs, ctx->lex, d, mi, xm);
    *xmi = mi;
    for (size_t i = 0; i < FS_CF_N; i++)
      z += f->x[i] * xm[i];
  }
  b->z = z;
  if (b->vlater) {
    /* fewer than 64 weights (intercept, stems, affixes, flags, categories,
     * pairs) and the context features' terms */
    double s = 64 * f->wmax;
    for (size_t i = 0; mi != FS_NONE && i < FS_CF_N; i++)
      s += fabs(f->x[i] * xm[i]);
    b->sabs = s;
  }
}

/* token_weights() with the v= sum of the word's form (looked up now): for
 * the few words whose band it could change, out of the main loop. */
static __attribute__((noinline)) void
token_weights_v(tg_fast *f, const fs_ctx *ctx, const fs_doc *d,
                const tg_scratch *sc, size_t k, const double *ft, tg_wbuf *b,
                uint32_t *xmi, double *xm) {
  token_weights(f, ctx, d, sc, k, ft, false, b, xmi, xm);
}

/* The logit of a token's summed weights and its stem pairs'. */
static double wb_sum(const fs_tagger *tg, const tg_wbuf *b) {
  double z = tg->intercept + b->z;
  for (size_t i = 0; i < b->nkey; i++)
    z += key_weight(tg, b->key[i]);
  return z;
}

void fs_tagger_keyed(fs_ctx *ctx, bool on) {
  struct fs_tagger_cache *c = cache_of(ctx);
  if (c)
    c->keyed = on;
}

/* A token's feature keys are collected first (sink_emit) and their slots
 * prefetched together, so that the table's cache misses overlap instead of
 * coming one after another (they were most of tagging's time). */
static double apply_sum(const fs_tagger *tg, const tg_sink *a) {
  double z = tg->intercept;
  for (size_t j = 0; j <= a->n; j++) {
    if (j == a->vzat)
      for (size_t i = 0; i < a->nvz; i++)
        z += a->vz[i];
    if (j < a->n)
      z += key_weight(tg, a->key[j]) * a->v[j];
  }
  return z;
}

/* Tokens ahead whose weights are fetched early: a stem's or form's
 * weights are read at random (by id) from tables larger than the cache,
 * and those misses, one after another, were a third of applying's time.
 * A macro: GCC takes a function that only prefetches for one without
 * effects and drops its calls. */
#define TG_AHEAD 16
#define TG_PREFETCH_STEM(f, id)                                                \
  do {                                                                         \
    if ((id) < (f)->nstem) {                                                   \
      const char *at_ = (const char *)&(f)->stem[id];                          \
      __builtin_prefetch(at_);                                                 \
      __builtin_prefetch(at_ + sizeof *(f)->stem - 1);                         \
    }                                                                          \
  } while (0)

/* Tagging alone (no probabilities asked for) with a plain threshold t:
 * tag_doc() only compares a word's probability with t and t / 2, which its
 * logit z tells but within a hair of their logits, so exp() is taken only
 * there. Elsewhere the computed probability 1 / (1 + exp(-z)) is within
 * 2^-51 (relative) of the logistic of z, and the logistic is farther than
 * that from t and t / 2 (by (1 - t) 1e-9 (1 + |logit|) at least, t <=
 * 0.999): a stand-in on the same side of both gives the same tags. */
typedef struct tg_bands {
  double half;       /* tag_doc()'s t / 2 */
  double t_lo, t_hi; /* around the logit of t */
  double h_lo, h_hi; /* around the logit of t / 2 */
} tg_bands;

static bool bands_of(const fs_tagger *tg, tg_bands *b) {
  double t = tg->threshold, half = t / 2;
  /* anchors, caps and span rules read the probabilities (rules come only
   * with anchors: train writes them so, and the parser refuses them
   * otherwise) */
  if (tg->stacked || tg->anchor || tg->cap > 0 || !(half >= 1e-12) ||
      !(t <= 0.999))
    return false;
  double zt = log(t / (1 - t)), zh = log(half / (1 - half));
  double wt = 1e-9 * (1 + fabs(zt)), wh = 1e-9 * (1 + fabs(zh));
  *b = (tg_bands){half, zt - wt, zt + wt, zh - wh, zh + wh};
  return true;
}

/* The probability of logit z, or a stand-in on the same side of t and
 * t / 2 (NaN: compared with nothing, computed). */
static double band_p(const tg_bands *b, double z) {
  if (z > b->t_hi)
    return 1; /* at or above t */
  if (z < b->h_lo)
    return 0; /* below t / 2 */
  if (z > b->h_hi && z < b->t_lo)
    return b->half; /* at or above t / 2, below t */
  return 1.0 / (1.0 + exp(-z));
}

/* Is every logit within m of z on one side of the bands (band_p() the
 * same stand-in for all, no exp)? NaN: no. */
static bool band_sure(const tg_bands *b, double z, double m) {
  double lo = z - m, hi = z + m;
  return lo > b->t_hi || hi < b->h_lo || (lo > b->h_hi && hi < b->t_lo);
}

/* Tags d with its scratch filled in c->sc; probs: the probabilities are
 * asked for (fs_tagger_probabilities), not the tags alone. */
static int apply_filled(const fs_tagger *tg, const fs_ctx *ctx,
                        struct fs_tagger_cache *c, fs_doc *d, bool probs) {
  uint8_t *tag = calloc(d->ntokens + 1, 1);
  if (!tag || fs_grow(&c->p, &c->p_cap, d->ntokens + 1, sizeof *c->p)) {
    free(tag);
    return FS_ERR_NOMEM;
  }
  double *p = c->p;
  /* 0 but for words: through the keys cleared first, else as the tokens
   * are gone through */
  if (c->keyed)
    memset(p, 0, (d->ntokens + 1) * sizeof *p);
  p[d->ntokens] = 0;
  if (!c->keyed) {
    tg_fast *f = fast_of(c, tg, ctx);
    if (!f || (!c->wb && !(c->wb = malloc(2 * sizeof *c->wb)))) {
      free(tag);
      return FS_ERR_NOMEM;
    }
    /* each word's stem's weights, once a token */
    tg_scratch *sc = &c->sc;
    if (fs_grow(&sc->sw, &sc->sw_cap, d->ntokens + 1, sizeof *sc->sw)) {
      free(tag);
      return FS_ERR_NOMEM;
    }
    for (size_t k = 0; k < d->ntokens; k++) {
      if (k + TG_AHEAD < d->ntokens)
        TG_PREFETCH_STEM(f, d->tokens[k + TG_AHEAD].stem);
      if (is_word(&d->tokens[k]))
        sc->sw[k] = stem_w(f, sc, d, (uint32_t)k);
    }
    sc->sw[d->ntokens] = &f->bound;
    /* two buffers: a token's stem pairs are being fetched while the next
     * token's weights are gathered, then summed */
    size_t prev = SIZE_MAX;
    c->xmi = FS_NONE;
    double dd = sc->cs.doc_words ? 100.0 * (double)sc->cs.doc_scoring /
                                       (double)sc->cs.doc_words
                                 : 0;
    const double *ft =
        f->ft + ((dd < 1 ? 0 : dd < 2 ? 1 : dd < 3 ? 2 : 3) << FT_DD);
    tg_bands bd = {0};
    bool bands = !probs && bands_of(tg, &bd);
    for (size_t k = 0, cur = 0; k <= d->ntokens; k++) {
      /* what token_weights() reads of a word's stem and form, ahead */
      const fs_tok *ta =
          k + TG_AHEAD < d->ntokens ? &d->tokens[k + TG_AHEAD] : NULL;
      if (ta && is_word(ta)) {
        TG_PREFETCH_STEM(f, ta->stem);
        if (ta->form < f->nform)
          __builtin_prefetch(&f->form[ta->form]);
      }
      if (k < d->ntokens && !is_word(&d->tokens[k])) {
        p[k] = 0;
        continue;
      }
      if (k < d->ntokens)
        token_weights(f, ctx, d, sc, k, ft, bands, &c->wb[cur], &c->xmi, c->xm);
      if (prev != SIZE_MAX) {
        tg_wbuf *b = &c->wb[cur ^ 1];
        double z = wb_sum(tg, b);
        /* a form's v= sum left out adds at most vbound, and the rounding
         * of the sum's fewer than 100 additions, each within 2^-53 of a
         * partial sum of at most sabs + vbound, far less than the 1e-12
         * of it here: a logit sure of its band without the v= sum is sure
         * with it, else the row is looked up and the logit made again */
        if (b->vlater &&
            !band_sure(&bd, z, f->vbound + 1e-12 * (1 + f->vbound + b->sabs))) {
          token_weights_v(f, ctx, d, sc, prev, ft, b, &c->xmi, c->xm);
          z = wb_sum(tg, b);
        }
        p[prev] = bands ? band_p(&bd, z) : 1.0 / (1.0 + exp(-z));
      }
      prev = k, cur ^= 1;
    }
  }
  /* through the keys: each feature's name hashed and probed */
  tg_sink *a = c->sink;
  size_t prev = SIZE_MAX;
  for (size_t k = 0, cur = 0; c->keyed && k <= d->ntokens; k++) {
    if (k < d->ntokens && !is_word(&d->tokens[k]))
      continue;
    if (k < d->ntokens) {
      a[cur].emit = NULL, a[cur].n = 0;
      a[cur].nvz = 0, a[cur].vzat = SIZE_MAX;
      token_features(ctx, d, &c->sc, k, &a[cur]);
      for (size_t j = 0; j < a[cur].n; j++) {
        uint64_t key = key_narrow(tg, a[cur].key[j]);
        __builtin_prefetch(&tg->slots[key & tg->kmask]);
      }
    }
    if (prev != SIZE_MAX)
      p[prev] = 1.0 / (1.0 + exp(-apply_sum(tg, &a[cur ^ 1])));
    prev = k, cur ^= 1;
  }
  if (tg->stacked) {
    size_t ns = d->ntokens ? d->tokens[d->ntokens - 1].sentence -
                                 d->tokens[0].sentence + 1
                           : 0;
    if (fs_grow(&c->p2, &c->p2_cap, d->ntokens + 1, sizeof *c->p2) ||
        fs_grow(&c->ps, &c->ps_cap, d->ntokens + 1, sizeof *c->ps) ||
        fs_grow(&c->zs, &c->zs_cap, ns + 1, sizeof *c->zs) ||
        fs_grow(&c->sf, &c->sf_cap, (d->ntokens + 1) * TG_STACK_N,
                sizeof *c->sf)) {
      free(tag);
      return FS_ERR_NOMEM;
    }
    sentence_apply(tg, c, &c->sc, d, c->zs, c->ps);
    stack_apply(d, tg->stack_w, p, c->ps, c->sf, c->p2);
    p = c->p2;
  }
  tg_decode dc = {tg->threshold, tg->anchor,      tg->anchor_t, tg->phrase,
                  c->cat_on,     ctx->lex->ncats, tg->rules,    tg->cap};
  if (tg->anchor)
    for (size_t i = 0; i < dc.ncats; i++) {
      uint64_t key = key_mix(c->cat[i].h);
      c->cat_on[i] = 0;
      for (size_t j = 0; j < tg->anchors.count && !c->cat_on[i]; j++)
        c->cat_on[i] = tg->akeys[j] == key;
    }
  tag_doc(d, p, &dc, tag);
  free(d->tok_tag);
  d->tok_tag = tag;
  d->tag_union = tg->uni;
  return FS_OK;
}

/* Applying with word vectors: the context's memo of each form's row
 * (shared with the sentence pools), and with rows (applying through the
 * keys) each word token's row (or FS_NONE), a form's looked up once in the
 * memo, not once a token. */
static int scratch_vectors(tg_scratch *sc, const fs_ctx *ctx,
                           const fs_doc *d, bool rows) {
  if (!sc->wv)
    return FS_OK;
  size_t nf = ctx->forms.count;
  uint32_t *memo = sc->memo = fs_word_vectors_memo(ctx, sc->wv);
  if (!memo)
    return FS_ERR_NOMEM;
  if (!rows)
    return FS_OK;
  if (fs_grow(&sc->trow, &sc->trow_cap, d->ntokens + 1, sizeof *sc->trow))
    return FS_ERR_NOMEM;
  for (size_t k = 0; k < d->ntokens; k++) {
    uint32_t f = d->tokens[k].form;
    sc->trow[k] = FS_NONE;
    if (!is_word(&d->tokens[k]) || f >= nf)
      continue;
    uint32_t row = memo[f];
    sc->trow[k] = row == FS_VECTORS_UNSEEN
                      ? fs_word_vectors_form_row(sc->wv, ctx, memo, f)
                      : row;
  }
  sc->trow_ok = true;
  return FS_OK;
}

/* The scratch's per-tagger options. */
static void scratch_tagger(tg_scratch *sc, const fs_tagger *tg) {
  sc->feats = tg->feats;
  sc->wi = tg->wi;
  sc->wv = tg->vdim ? tg->wv : NULL;
  sc->vw = sc->wv ? tg->vw : NULL;
  sc->vscale = tg->vscale;
}

/* fs_tagger_apply(); probs: as apply_filled() takes it. */
static int tagger_apply(const fs_tagger *tg, fs_ctx *ctx, fs_doc *d,
                        bool probs) {
  if (tg->vdim && !tg->wv)
    return FS_ERR_USAGE; /* its vectors not given: v= would not fire */
  struct fs_tagger_cache *c = cache_of(ctx);
  if (!c || scratch_fill(&c->sc, c, ctx, d, c->keyed || tg->stacked, false))
    return FS_ERR_NOMEM;
  scratch_tagger(&c->sc, tg);
  if (scratch_vectors(&c->sc, ctx, d, c->keyed))
    return FS_ERR_NOMEM;
  return apply_filled(tg, ctx, c, d, probs);
}

int fs_tagger_apply(const fs_tagger *tg, fs_ctx *ctx, fs_doc *d) {
  return tagger_apply(tg, ctx, d, false);
}

int fs_tagger_probabilities(const fs_tagger *tg, fs_ctx *ctx, fs_doc *d,
                            double *p) {
  int rc = tagger_apply(tg, ctx, d, true);
  if (rc)
    return rc;
  /* apply_filled left the probabilities the tags were made from in the
   * cache: the stacked stage's when there is one */
  const struct fs_tagger_cache *c = cache_of(ctx);
  const double *q = tg->stacked ? c->p2 : c->p;
  for (size_t k = 0; k < d->ntokens; k++)
    p[k] = is_word(&d->tokens[k]) ? q[k] : 0;
  return FS_OK;
}

int fs_tagger_apply_window(const fs_tagger *tg, fs_ctx *ctx,
                           const fs_context_whole *w, size_t k, fs_doc *win) {
  if (tg->vdim && !tg->wv)
    return FS_ERR_USAGE;
  struct fs_tagger_cache *c = cache_of(ctx);
  if (!c ||
      scratch_fill(&c->sc, c, ctx, win, c->keyed || tg->stacked, false) ||
      fs_grow(&c->near, &c->near_cap, win->nmatches + 1, 1))
    return FS_ERR_NOMEM;
  scratch_tagger(&c->sc, tg);
  if (scratch_vectors(&c->sc, ctx, win, c->keyed))
    return FS_ERR_NOMEM;
  int rc = fs_context_scratch_whole(&c->sc.cs, ctx->lex, w, k, win, c->near);
  return rc ? rc : apply_filled(tg, ctx, c, win, false);
}

const char *fs_tagger_unknown_category(const fs_tagger *tg,
                                       const fs_lexicon *lex) {
  static const char *const pre[] = {"c=", "cp=", "cn=", "mb=", "mi=", "sc="};
  for (uint32_t id = 0; id < tg->names.count; id++) {
    const char *name = fs_intern_str(&tg->names, id);
    if (tg->w[id] == 0)
      continue;
    for (size_t i = 0; i < sizeof pre / sizeof *pre; i++) {
      size_t pl = strlen(pre[i]);
      if (!strncmp(name, pre[i], pl) &&
          fs_lexicon_category_find(lex, name + pl) < 0)
        return name + pl;
    }
  }
  return NULL;
}

/* ---- the file format ----------------------------------------------------- */

/* The optional feature families by bit (FS_TAGGER_F_*), as train
 * --token-features and a tagger file's features line name them. */
static const char *const feat_names[] = {"near2", "affix"};
#define TG_NFEAT (sizeof feat_names / sizeof *feat_names)

bool fs_tagger_features_parse(const char *s, size_t len, unsigned *f) {
  unsigned out = 0;
  if (len == 4 && !memcmp(s, "none", 4)) {
    *f = 0;
    return true;
  }
  for (size_t at = 0; at < len;) {
    const char *e = memchr(s + at, ',', len - at);
    size_t n = e ? (size_t)(e - s) - at : len - at, i = 0;
    while (i < TG_NFEAT &&
           !(strlen(feat_names[i]) == n && !memcmp(s + at, feat_names[i], n)))
      i++;
    if (i == TG_NFEAT || (e && (size_t)(e - s) + 1 == len))
      return false;
    out |= 1u << i;
    at += n + (e != NULL);
  }
  *f = out;
  return len > 0;
}

int fs_tagger_write(FILE *out, const fs_tagger *tg, const char *comment) {
  for (const char *p = comment; p && *p;) {
    size_t n = strcspn(p, "\n");
    fprintf(out, "# %.*s\n", (int)n, p);
    p += n + (p[n] == '\n');
  }
  fprintf(out, "%s 1\ncombine\t%s\nthreshold\t%.6g\nintercept\t%.6g\n",
          TAGGER_MAGIC, tg->anchor ? "anchor" : tg->uni ? "union" : "tags",
          tg->threshold, tg->intercept);
  if (tg->anchor) {
    fprintf(out, "anchor_threshold\t%.6g\n", tg->anchor_t);
    if (tg->phrase >= 0)
      fprintf(out, "anchor_phrase\t%ld\n", tg->phrase);
    for (size_t i = 0; i < tg->anchors.count; i++)
      fprintf(out, "anchor\t%s\n", fs_intern_str(&tg->anchors, (uint32_t)i));
    if (tg->rules.extend > 0)
      fprintf(out, "span_extend\t%.6g\n", tg->rules.extend);
    if (tg->rules.merge)
      fprintf(out, "span_merge\t1\n");
    if (tg->rules.trim)
      fprintf(out, "span_trim\t1\n");
  }
  if (tg->cap > 0)
    fprintf(out, "sentence_cap\t%ld\n", tg->cap);
  if (tg->feats) {
    fputs("features\t", out);
    for (size_t i = 0, n = 0; i < TG_NFEAT; i++)
      if (tg->feats & (1u << i))
        fprintf(out, "%s%s", n++ ? "," : "", feat_names[i]);
    fputc('\n', out);
  }
  if (tg->vdim) /* a tagger trained without a path records none */
    fprintf(out, "word_vectors\t%016" PRIx64 "\t%u%s%s\nvector_scale\t%.6g\n",
            tg->vdigest, tg->vdim, tg->vpath && *tg->vpath ? "\t" : "",
            tg->vpath ? tg->vpath : "", tg->vscale);
  for (uint32_t i = 0; i < tg->wc.stems.count; i++)
    fprintf(out, "word_class\t%s\t%s\n", fs_intern_str(&tg->wc.stems, i),
            fs_intern_str(&tg->wc.names, tg->wc.cls[i]));
  if (tg->stacked) {
    fprintf(out, "stack.intercept\t%.9g\n", tg->stack_w[0]);
    for (size_t j = 0; j <= TG_STACK_N; j++)
      fprintf(out, "stack.%s\t%.9g\n", stack_names[j], tg->stack_w[1 + j]);
  }
  for (size_t i = 0; i < tg->names.count; i++)
    if (fabs(tg->w[i]) >= 1e-4)
      fprintf(out, "%s\t%.5g\n", fs_intern_str(&tg->names, (uint32_t)i),
              tg->w[i]);
  return ferror(out) ? FS_ERR_IO : FS_OK;
}

/* s[0..n) as a string the caller frees; NULL when out of memory. */
static char *str_dup(const char *s, size_t n) {
  char *c = malloc(n + 1);
  if (c) {
    memcpy(c, s, n);
    c[n] = '\0';
  }
  return c;
}

const char *fs_tagger_vectors_path(const fs_tagger *tg) {
  return tg->vdim ? (tg->vpath ? tg->vpath : "") : NULL;
}

bool fs_tagger_vectors_needed(const fs_tagger *tg, uint64_t *digest,
                              unsigned *dim) {
  if (!tg || !tg->vdim)
    return false;
  *digest = tg->vdigest;
  *dim = tg->vdim;
  return true;
}

int fs_tagger_use_vectors(fs_tagger *tg, const fs_word_vectors *wv,
                          fs_error *err) {
  if (!tg->vdim)
    return fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                        "the tagger was trained without word vectors");
  if (wv->dim != tg->vdim || wv->digest != tg->vdigest)
    return fs_error_set(err, FS_ERR_INPUT, NULL, 0, 0,
                        "the tagger was trained with other word vectors "
                        "(%u components, digest %016" PRIx64 "; these: %u, "
                        "%016" PRIx64 ")",
                        tg->vdim, tg->vdigest, wv->dim, wv->digest);
  double *vw = malloc(sizeof *vw * tg->vdim);
  if (!vw)
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  uint64_t pre = str_of("v=").h;
  for (unsigned i = 0; i < tg->vdim; i++) {
    char num[16];
    snprintf(num, sizeof num, "%u", i);
    vw[i] = key_weight(tg, key_mix(hash_cat(pre, str_of(num))));
  }
  free(tg->vw);
  tg->vw = vw;
  tg->wv = wv;
  tg->serial = next_serial();
  return FS_OK;
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
  return fs_tagger_parse_keys(name, data, len, 64, err);
}

fs_tagger *fs_tagger_parse_keys(const char *name, const char *data, size_t len,
                                unsigned key_bits, fs_error *err) {
  fs_tagger *tg = tagger_new();
  int rc = tg ? FS_OK : FS_ERR_NOMEM;
  if (tg && key_bits < 64)
    tg->kbits = (UINT64_C(1) << key_bits) - 1;
  bool magic = false;
  long line = 0, *lines = NULL; /* [name id] the line that named it */
  long anchored_only = 0; /* the first line only an anchored tagger uses */
  size_t lines_cap = 0;
  for (size_t at = 0; !rc && at < len;) {
    const char *s;
    size_t l = fs_next_line(data, len, &at, &s);
    line++;
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
      else if (vl == 6 && !memcmp(tab + 1, "anchor", 6))
        tg->anchor = true;
      else if (!(vl == 4 && !memcmp(tab + 1, "tags", 4)))
        rc = fs_error_set(err, FS_ERR_INPUT, name, line, 9,
                          "expected 'union', 'anchor' or 'tags'");
      continue;
    }
    if (tab && tab - s == 8 && !memcmp(s, "features", 8)) {
      if (!fs_tagger_features_parse(tab + 1, (size_t)(s + l - tab - 1),
                                    &tg->feats))
        rc = fs_error_set(err, FS_ERR_INPUT, name, line, 10,
                          "expected 'none' or a comma-separated list of "
                          "near2, affix");
      continue;
    }
    /* word_class<TAB>STEM<TAB>CLASS; embedded in a framing model (its
     * tabs written as spaces, the last one read back as a tab), spaces */
    if (l > 11 && !memcmp(s, "word_class", 10) &&
        (s[10] == '\t' || s[10] == ' ')) {
      const char *st = s + 11, *t2 = st;
      while (t2 < s + l && *t2 != '\t' && *t2 != ' ')
        t2++;
      if (t2 == s + l)
        t2 = NULL;
      size_t sl = t2 ? (size_t)(t2 - st) : 0,
             cl = t2 ? (size_t)(s + l - t2 - 1) : 0,
             bad = cl ? fs_word_class_name_bad(t2 + 1, cl) : 0;
      for (size_t i = 0; i < sl && !bad; i++)
        if ((unsigned char)st[i] < ' ')
          sl = 0;
      if (!sl || !cl || bad)
        rc = fs_error_set(err, FS_ERR_INPUT, name, line,
                          sl ? fs_utf8_col(s, (size_t)(t2 - s) +
                                                  (bad ? bad : 1))
                             : 12,
                          sl ? "expected a class name (printable ASCII)"
                             : "expected STEM<TAB>CLASS");
      else if ((rc = fs_word_classes_add(&tg->wc, st, sl, t2 + 1, cl)) ==
               FS_ERR_INPUT)
        fs_error_set(err, rc, name, line, 12, "the stem '%.*s' has a class "
                     "already", (int)sl, st);
      continue;
    }
    /* word_vectors<TAB>DIGEST<TAB>DIM[<TAB>PATH] (16 hex digits; no path
     * in a tagger embedded in a framing model, or trained without one) */
    if (tab && tab - s == 12 && !memcmp(s, "word_vectors", 12)) {
      const char *e = s + l, *d = tab + 1, *t2 = memchr(d, '\t', (size_t)(e - d));
      const char *t3 = t2 ? memchr(t2 + 1, '\t', (size_t)(e - t2 - 1)) : NULL;
      char num[24];
      bool ok = t2 && t2 - d == 16 && (!t3 || t3 + 1 < e);
      if (t2 && !t3)
        t3 = e; /* no path */
      ok = ok && t3 - t2 - 1 > 0 && t3 - t2 - 1 < 6;
      for (const char *q = d; ok && q < t2; q++)
        ok = isxdigit((unsigned char)*q);
      for (const char *q = ok ? t2 + 1 : e; ok && q < t3; q++)
        ok = *q >= '0' && *q <= '9'; /* (no t2 + 1 of a NULL t2) */
      if (ok) {
        memcpy(num, d, 16), num[16] = '\0';
        tg->vdigest = strtoull(num, NULL, 16);
        memcpy(num, t2 + 1, (size_t)(t3 - t2 - 1));
        num[t3 - t2 - 1] = '\0';
        long dim = strtol(num, NULL, 10);
        ok = dim >= 1 && dim <= FS_VECTORS_DIM_MAX;
        tg->vdim = (unsigned)dim;
      }
      if (!ok)
        rc = fs_error_set(err, FS_ERR_INPUT, name, line, 14,
                          "expected DIGEST<TAB>DIM[<TAB>PATH] (16 hex "
                          "digits, 1 to %d components, a path)",
                          FS_VECTORS_DIM_MAX);
      else if (free(tg->vpath), tg->vpath = NULL, t3 < e &&
               !(tg->vpath = str_dup(t3 + 1, (size_t)(e - t3 - 1))))
        rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
      continue;
    }
    if (tab && tab - s == 6 && !memcmp(s, "anchor", 6)) {
      if (tab + 1 == s + l)
        rc = fs_error_set(err, FS_ERR_INPUT, name, line, 8,
                          "expected a category name");
      else if (fs_intern_add(&tg->anchors, tab + 1,
                             (size_t)(s + l - tab - 1)) == FS_NONE)
        rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
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
      rc = fs_error_set(err, FS_ERR_INPUT, name, line,
                        fs_utf8_col(s, (size_t)(tab - s) + 1),
                        "expected a number");
      continue;
    }
    size_t nl2 = (size_t)(tab - s);
    if (nl2 == 9 && !memcmp(s, "threshold", 9))
      tg->threshold = v;
    else if (nl2 == 16 && !memcmp(s, "anchor_threshold", 16))
      tg->anchor_t = v;
    else if (nl2 == 13 && !memcmp(s, "anchor_phrase", 13)) {
      if (v != floor(v) || v < 0 || v > 10)
        rc = fs_error_set(err, FS_ERR_INPUT, name, line, 15,
                          "expected a whole number from 0 to 10");
      tg->phrase = (long)v;
    }
    else if (nl2 == 11 && !memcmp(s, "span_extend", 11)) {
      anchored_only = anchored_only ? anchored_only : line;
      if (!(v >= 0 && v < 1))
        rc = fs_error_set(err, FS_ERR_INPUT, name, line, 13,
                          "expected a probability from 0 to below 1");
      tg->rules.extend = v;
    } else if ((nl2 == 10 && !memcmp(s, "span_merge", 10)) ||
               (nl2 == 9 && !memcmp(s, "span_trim", 9))) {
      anchored_only = anchored_only ? anchored_only : line;
      if (v != 0 && v != 1)
        rc = fs_error_set(err, FS_ERR_INPUT, name, line, (long)nl2 + 2,
                          "expected 0 or 1");
      *(nl2 == 10 ? &tg->rules.merge : &tg->rules.trim) = v == 1;
    } else if (nl2 == 12 && !memcmp(s, "vector_scale", 12)) {
      if (!(v > 0 && v <= 1000))
        rc = fs_error_set(err, FS_ERR_INPUT, name, line, 14,
                          "expected a number above 0, at most 1000");
      tg->vscale = v;
    } else if (nl2 == 12 && !memcmp(s, "sentence_cap", 12)) {
      if (v != floor(v) || v < 0 || v > 1000)
        rc = fs_error_set(err, FS_ERR_INPUT, name, line, 14,
                          "expected a whole number from 0 to 1000");
      tg->cap = (long)v;
    } else if (nl2 > 6 && !memcmp(s, "stack.", 6)) {
      size_t j = 0;
      if (nl2 == 15 && !memcmp(s + 6, "intercept", 9))
        j = 0;
      else {
        for (j = 1; j <= TG_STACK_N + 1; j++)
          if (strlen(stack_names[j - 1]) == nl2 - 6 &&
              !memcmp(s + 6, stack_names[j - 1], nl2 - 6))
            break;
      }
      if (j > TG_STACK_N + 1)
        rc = fs_error_set(err, FS_ERR_INPUT, name, line, 7,
                          "unknown feature '%.*s' of the stacked stage",
                          (int)(nl2 - 6), s + 6);
      else
        tg->stack_w[j] = v, tg->stacked = true;
    } else if (nl2 == 9 && !memcmp(s, "intercept", 9))
      tg->intercept = v;
    else if (fs_grow(&lines, &lines_cap, tg->names.count + 1, sizeof *lines))
      rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    else if ((lines[tg->names.count] = line), set_weight(tg, s, nl2, v))
      rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  if (!rc && !magic)
    rc = fs_error_set(err, FS_ERR_INPUT, name, 1, 1, "empty: expected '%s 1'",
                      TAGGER_MAGIC);
  /* the span rules run after an anchored tagger's tags (tag_doc): in
   * another they would be read and do nothing */
  if (!rc && anchored_only && !tg->anchor)
    rc = fs_error_set(err, FS_ERR_INPUT, name, anchored_only, 1,
                      "span rules apply only to an anchored tagger (line "
                      "'combine<TAB>anchor'; train --combine anchor --span-rules)");
  if (!rc && tg->anchors.count &&
      !(tg->akeys = malloc(tg->anchors.count * sizeof *tg->akeys)))
    rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  for (size_t i = 0; !rc && i < tg->anchors.count; i++)
    tg->akeys[i] = key_of(fs_intern_str(&tg->anchors, (uint32_t)i),
                          fs_intern_len(&tg->anchors, (uint32_t)i));
  if (!rc && tg->wc.stems.count && !(tg->wi = windex_new(&tg->wc)))
    rc = FS_ERR_NOMEM;
  uint32_t clash[2];
  if (!rc && (rc = tagger_index(tg, clash)) == FS_ERR_INPUT)
    fs_error_set(err, rc, name, lines[clash[1]], 1,
                 "feature '%s' has the hash of '%s' (line %ld): rename one",
                 fs_intern_str(&tg->names, clash[1]),
                 fs_intern_str(&tg->names, clash[0]), lines[clash[0]]);
  free(lines);
  if (rc == FS_ERR_NOMEM)
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

static int train_emit(tg_sink *s, const tg_str *pre, const tg_str *a,
                      const tg_str *b, double v) {
  train_sink *t = (train_sink *)s;
  char buf[TG_NAME_MAX];
  size_t pl = pre->len, n = pl + a->len + (b ? 1 + b->len : 0);
  if (n >= sizeof buf)
    return FS_OK; /* very long stems are left out */
  memcpy(buf, pre->s, pl);
  memcpy(buf + pl, a->s, a->len);
  if (b) {
    buf[pl + a->len] = '|';
    memcpy(buf + pl + a->len + 1, b->s, b->len);
  }
  uint32_t id = fs_intern_add(t->names, buf, n);
  if (id == FS_NONE || fs_grow(&t->col, &t->cap, t->n + 1, sizeof *t->col) ||
      fs_grow(&t->val, &t->vcap, t->n + 1, sizeof *t->val))
    return t->rc = FS_ERR_NOMEM;
  t->col[t->n] = id;
  t->val[t->n++] = v;
  return FS_OK;
}

int fs_tagger_feature_names(const fs_tagger *tg, fs_ctx *ctx, const fs_doc *d,
                            fs_intern *names) {
  tg_scratch sc = {0};
  const struct fs_tagger_cache *c = cache_of(ctx);
  train_sink ts = {.base = {.emit = train_emit}, .names = names};
  int rc = c ? scratch_fill(&sc, c, ctx, d, true, true) : FS_ERR_NOMEM;
  sc.feats = tg->feats;
  sc.wi = tg->wi;
  sc.wv = tg->vdim ? tg->wv : NULL;
  sc.vscale = tg->vscale;
  for (size_t k = 0; k < d->ntokens && !rc; k++)
    if (is_word(&d->tokens[k])) {
      token_features(ctx, d, &sc, k, &ts.base);
      rc = ts.rc;
    }
  for (size_t a = 0, b; a < d->ntokens && !rc && tg->stacked; a = b) {
    b = sentence_end(d, a);
    rc = sentence_features(d, &sc, a, b, &ts.base) ? FS_ERR_NOMEM : ts.rc;
  }
  scratch_free(&sc);
  free(ts.col), free(ts.val);
  return rc;
}

typedef struct tg_rows {
  fs_lr_data x;
  bool uni;    /* tags are added to the lexicon's predictions */
  tg_decode dc; /* anchored: the anchor categories and span rule */
  bool cap_auto; /* the sentence cap is chosen with the threshold */
  size_t *doc; /* [rows] */
  uint32_t *tok;
  fs_intern names;
} tg_rows;

static void rows_free(tg_rows *r) {
  fs_lr_data_free(&r->x);
  free((void *)r->dc.cat_on);
  free(r->doc), free(r->tok);
  fs_intern_free(&r->names);
}

/* One row per word token of every document; features seen in fewer than
 * min_df rows are dropped (a cut that reads no label). */
static int build_rows(const fs_annot *a, fs_ctx *ctx, long min_df,
                      unsigned feats, const tg_windex *wi,
                      const fs_word_vectors *wv, double vscale, tg_rows *r) {
  tg_scratch sc = {0};
  const struct fs_tagger_cache *c = cache_of(ctx);
  train_sink ts = {.base = {.emit = train_emit}, .names = &r->names};
  size_t ntok = 0, *start = NULL, scap = 0, cap_y = 0, cap_d = 0, cap_t = 0;
  int rc = c ? FS_OK : FS_ERR_NOMEM;
  fs_intern_init(&r->names);
  sc.feats = feats;
  sc.wi = wi;
  sc.wv = wv, sc.vscale = vscale;
  for (size_t di = 0; di < a->n && !rc; di++) {
    const fs_annot_doc *ad = &a->docs[di];
    if (scratch_fill(&sc, c, ctx, ad->d, true, true)) {
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

/* Tags every document from row probabilities: at threshold t (and
 * anchor threshold t_lo), or at its fold's thresholds fold_t[fold]
 * (fold_lo[fold]) when fold_t is given, with at most cap tagged words a
 * sentence (fold_cap[fold] when given; 0: no cap). Rows of a document are
 * consecutive (build_rows). */
static int tag_at_cap(fs_annot *a, const tg_rows *r, const double *prob,
                      double t, double t_lo, long cap, const double *fold_t,
                      const double *fold_lo, const long *fold_cap) {
  tg_decode dc = r->dc;
  double *p = NULL;
  size_t pcap = 0;
  for (size_t i = 0; i < r->x.n;) {
    size_t di = r->doc[i];
    fs_doc *d = a->docs[di].d;
    if (fs_grow(&p, &pcap, d->ntokens + 1, sizeof *p)) {
      free(p);
      return FS_ERR_NOMEM;
    }
    memset(p, 0, (d->ntokens + 1) * sizeof *p);
    for (; i < r->x.n && r->doc[i] == di; i++)
      p[r->tok[i]] = prob[i];
    dc.t = fold_t ? fold_t[a->docs[di].fold] : t;
    dc.t_lo = fold_lo ? fold_lo[a->docs[di].fold] : t_lo;
    dc.cap = fold_cap ? fold_cap[a->docs[di].fold] : cap;
    tag_doc(d, p, &dc, d->tok_tag);
  }
  free(p);
  return FS_OK;
}

/* The anchor thresholds tried: 0 keeps every anchor match, above 1 none
 * (the tagger's own tags alone, also tried for the word threshold). */
static const double anchor_grid[] = {0,    0.02, 0.05, 0.1,  0.15, 0.2,
                                     0.25, 0.3,  0.4,  0.5,  1.5};
#define TG_AGRID (sizeof anchor_grid / sizeof *anchor_grid)
/* The sentence caps tried with --sentence-cap auto (0: none). */
static const long cap_grid[] = {0, 1, 2, 3, 4, 6};
#define TG_CGRID (sizeof cap_grid / sizeof *cap_grid)

void fs_tagger_smoothed_best(const double *f1, size_t rows, size_t cols,
                             size_t stride, long hr, long hc, size_t *bi,
                             size_t *bj) {
  double best = -1;
  *bi = *bj = 0;
  for (size_t i = 0; i < rows; i++)
    for (size_t j = 0; j < cols; j++) {
      double sum = 0;
      size_t n = 0;
      for (long di = -hr; di <= hr; di++)
        for (long dj = -hc; dj <= hc; dj++) {
          long ii = (long)i + di, jj = (long)j + dj;
          if (ii >= 0 && ii < (long)rows && jj >= 0 && jj < (long)cols)
            sum += f1[(size_t)ii * stride + (size_t)jj], n++;
        }
      if (sum / (double)n > best + 1e-12)
        best = sum / (double)n, *bi = i, *bj = j;
    }
}

/* Anchored, the half-widths of the window over which the F1 of
 * neighbouring thresholds is averaged before the best is taken: word
 * thresholds (grid steps of 0.025) and anchor thresholds. The F1 of one
 * grid point on a few hundred articles is noisy, and its arg max moved
 * with the fold seed (bench/VALIDITY.md, session 26: chosen by tuning CV
 * over fold seeds 1-3). The tagger alone keeps the plain arg max. */
#define TG_SMOOTH_W 2
#define TG_SMOOTH_A 1

/* The thresholds of best F1 on the chosen documents, averaged over a
 * window of neighbouring thresholds: the word threshold *best, and
 * anchored the anchor threshold *best_lo with it. */
static int best_threshold(fs_annot *a, const tg_rows *r, const double *prob,
                          int which, int fold, double *best, double *best_lo,
                          long *best_cap) {
  double g[TG_GRID + 1], f1[TG_AGRID > TG_CGRID ? TG_AGRID : TG_CGRID]
                               [TG_GRID + 1];
  bool caps = r->cap_auto && !r->dc.anchor;
  size_t ng = 0, na = r->dc.anchor ? TG_AGRID : caps ? TG_CGRID : 1;
  for (; ng < TG_GRID; ng++)
    g[ng] = grid(ng);
  if (r->dc.anchor)
    g[ng++] = 1.5; /* no word outside an anchor match */
  for (size_t i = 0; i < na; i++)
    for (size_t j = 0; j < ng; j++) {
      fs_prf prf[FS_ANNOT_KINDS];
      if (tag_at_cap(a, r, prob, g[j], r->dc.anchor ? anchor_grid[i] : 0,
                     caps ? cap_grid[i] : r->dc.cap, NULL, NULL, NULL) ||
          fs_annot_score(a, which, fold, prf))
        return FS_ERR_NOMEM;
      f1[i][j] = fs_annot_mean_f1(a, prf);
    }
  size_t bi, bj;
  fs_tagger_smoothed_best(&f1[0][0], na, ng, TG_GRID + 1,
                          r->dc.anchor ? TG_SMOOTH_A : 0,
                          r->dc.anchor ? TG_SMOOTH_W : 0, &bi, &bj);
  *best = g[bj];
  *best_lo = r->dc.anchor ? anchor_grid[bi] : 0;
  *best_cap = caps ? cap_grid[bi] : r->dc.cap;
  return FS_OK;
}

/* The anchor categories: those whose matches eval counts as predictions
 * (of the techniques' dimensions, the word dimensions, or every category
 * of a scope-all setup). */
static int anchor_setup(const fs_annot *a, const fs_lexicon *lex,
                        tg_decode *dc) {
  const fs_annot_setup *s = &a->s;
  uint8_t *on = calloc(lex->ncats + 1, 1);
  if (!on)
    return FS_ERR_NOMEM;
  for (size_t c = 0; c < lex->ncats && c < s->m->ncats; c++) {
    on[c] = s->all;
    for (size_t k = 0; k < s->ntech && a->nkind[FS_ANNOT_SPANS]; k++)
      on[c] |= s->m->dims[s->span_dims[k]].catw &&
               s->m->dims[s->span_dims[k]].catw[c] > 0;
    for (size_t k = 0; k < s->nword && a->nkind[FS_ANNOT_WORDS]; k++)
      on[c] |= s->m->dims[s->word_dims[k]].catw &&
               s->m->dims[s->word_dims[k]].catw[c] > 0;
  }
  dc->anchor = true;
  dc->cat_on = on;
  dc->ncats = lex->ncats;
  /* spans as eval predicts them for articles; a word list's words are
   * the matches' own */
  dc->phrase = a->nkind[FS_ANNOT_SPANS] ? (long)s->phrase : -1;
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

int fs_tagger_train(fs_annot *a, fs_ctx *ctx, double lambda, long folds,
                    unsigned long seed, long min_df, int combine,
                    fs_tagger_result *r, fs_error *err) {
  return fs_tagger_train_rules(a, ctx, lambda, folds, seed, min_df, combine,
                               NULL, r, err);
}

int fs_tagger_train_rules(fs_annot *a, fs_ctx *ctx, double lambda, long folds,
                          unsigned long seed, long min_df, int combine,
                          const fs_tagger_rules *rules, fs_tagger_result *r,
                          fs_error *err) {
  fs_tagger_opts o = {.rules = rules};
  return fs_tagger_train_opts(a, ctx, lambda, folds, seed, min_df, combine, &o,
                              r, err);
}

/* The sentence model's L2 penalty (bag of stems and categories of a
 * sentence, fitted on whether it holds a gold token) */
#define TG_SENT_LAMBDA 4.0

/* The sentence model of the stacked stage: one row per sentence of every
 * document (its label: a gold token in it), its names interned in names
 * and its final weights in *ws ([1 + names->count], ws[0] the
 * intercept); ps[i] gets, for every token row i of r, its sentence's
 * out-of-fold probability (the sentence model of fold k fitted on the
 * other folds' sentences: no token sees an in-sample sentence score). */
static int sentence_train(fs_annot *a, fs_ctx *ctx, const tg_rows *r,
                          long folds, fs_intern *names, double **ws,
                          double *ps, bool *converged) {
  tg_scratch sc = {0};
  const struct fs_tagger_cache *c = cache_of(ctx);
  train_sink ts = {.base = {.emit = train_emit}, .names = names};
  fs_lr_data x = {0};
  size_t ns = 0, rcap = 0, ycap = 0, dcap = 0, ecap = 0, *sdoc = NULL,
         *send = NULL;
  double *q = NULL;
  int rc = c ? FS_OK : FS_ERR_NOMEM;
  for (size_t di = 0; di < a->n && !rc; di++) {
    const fs_annot_doc *ad = &a->docs[di];
    const fs_doc *d = ad->d;
    if (scratch_fill(&sc, c, ctx, d, true, true)) {
      rc = FS_ERR_NOMEM;
      break;
    }
    for (size_t b0 = 0, b; b0 < d->ntokens && !rc; b0 = b) {
      b = sentence_end(d, b0);
      if (fs_grow(&x.row, &rcap, ns + 2, sizeof *x.row) ||
          fs_grow(&x.y, &ycap, ns + 1, sizeof *x.y) ||
          fs_grow(&sdoc, &dcap, ns + 1, sizeof *sdoc) ||
          fs_grow(&send, &ecap, ns + 1, sizeof *send)) {
        rc = FS_ERR_NOMEM;
        break;
      }
      x.row[ns] = ts.n;
      if ((rc = sentence_features(d, &sc, b0, b, &ts.base)) || ts.rc) {
        rc = FS_ERR_NOMEM;
        break;
      }
      x.y[ns] = 0;
      for (size_t k = b0; k < b; k++)
        if (is_word(&d->tokens[k]) && fs_annot_token_gold(ad, k))
          x.y[ns] = 1;
      sdoc[ns] = di, send[ns] = b;
      ns++;
    }
  }
  scratch_free(&sc);
  x.n = ns, x.p = names->count;
  x.col = ts.col, x.val = ts.val;
  if (!rc && (!x.row || !(q = malloc((ns + 1) * sizeof *q)) ||
              !(*ws = calloc(x.p + 1, sizeof **ws))))
    rc = FS_ERR_NOMEM;
  if (!rc)
    x.row[ns] = ts.n;
  for (int k = 0; !rc && k < (int)folds; k++) {
    if ((rc = fs_annot_fit(a, &x, sdoc, k, TG_SENT_LAMBDA, TG_TOL_PER_ROW,
                           TG_MAX_ITER, *ws, converged)))
      break;
    for (size_t i = 0; i < ns; i++)
      if (a->docs[sdoc[i]].fold == k)
        q[i] = fs_lr_predict(&x, i, *ws);
  }
  if (!rc)
    rc = fs_annot_fit(a, &x, sdoc, -1, TG_SENT_LAMBDA, TG_TOL_PER_ROW,
                      TG_MAX_ITER, *ws, converged);
  /* rows and sentences are both in document and token order */
  for (size_t i = 0, j = 0; !rc && i < r->x.n; i++) {
    while (j < ns && (sdoc[j] != r->doc[i] || send[j] <= r->tok[i]))
      j++;
    ps[i] = j < ns ? q[j] : 0;
  }
  fs_lr_data_free(&x);
  free(sdoc), free(send), free(q);
  return rc;
}

/* The stacked stage: its rows (one per first-stage row, the same
 * documents and tokens) from the first stage's out-of-fold probabilities
 * oof and the sentence model's out-of-fold probabilities (sentence_train;
 * its names and weights in snames and *ws); the stage is cross-validated
 * by the same folds (fold k's second stage fitted on the other folds'
 * rows, whose first-stage probabilities came from models that saw fold
 * k's tokens: as for the thresholds, fold k's labels choose nothing), its
 * out-of-fold probabilities replace oof, and w2 gets the final stage,
 * fitted on every row. */
static int stack_train(fs_annot *a, fs_ctx *ctx, const tg_rows *r, long folds,
                       double *oof, double *w2, fs_intern *snames, double **ws,
                       bool *converged) {
  fs_lr_data x = {0};
  size_t n = r->x.n, nf = n * TG_STACK_N, cap = 0;
  double *p = NULL, *pt = NULL, *q = malloc((n + 1) * sizeof *q);
  double *ps = malloc((n + 1) * sizeof *ps);
  x.n = n, x.p = TG_STACK_N;
  x.row = malloc((n + 1) * sizeof *x.row);
  x.col = malloc((nf + 1) * sizeof *x.col);
  x.val = malloc((nf + 1) * sizeof *x.val);
  x.y = r->x.y;
  int rc = q && ps && x.row && x.col && x.val ? FS_OK : FS_ERR_NOMEM;
  if (!rc)
    rc = sentence_train(a, ctx, r, folds, snames, ws, ps, converged);
  for (size_t i = 0; !rc && i < n;) {
    const fs_doc *d = a->docs[r->doc[i]].d;
    if (fs_grow(&p, &cap, d->ntokens + 1, sizeof *p) ||
        !(pt = realloc(pt, (d->ntokens + 1) * sizeof *pt))) {
      rc = FS_ERR_NOMEM;
      break;
    }
    memset(p, 0, (d->ntokens + 1) * sizeof *p);
    memset(pt, 0, (d->ntokens + 1) * sizeof *pt);
    size_t j = i;
    for (; j < n && r->doc[j] == r->doc[i]; j++)
      p[r->tok[j]] = oof[j], pt[r->tok[j]] = ps[j];
    stack_features(d, p, pt, x.val + i * TG_STACK_N);
    i = j;
  }
  for (size_t i = 0; !rc && i < n; i++) {
    x.row[i] = i * TG_STACK_N;
    for (size_t j = 0; j < TG_STACK_N; j++)
      x.col[i * TG_STACK_N + j] = (uint32_t)j;
  }
  if (!rc)
    x.row[n] = nf;
  for (int k = 0; !rc && k < (int)folds; k++) {
    if ((rc = fs_annot_fit(a, &x, r->doc, k, TG_STACK_LAMBDA, TG_TOL_PER_ROW,
                           TG_MAX_ITER, w2, converged)))
      break;
    for (size_t i = 0; i < n; i++)
      if (a->docs[r->doc[i]].fold == k)
        q[i] = fs_lr_predict(&x, i, w2);
  }
  if (!rc)
    rc = fs_annot_fit(a, &x, r->doc, -1, TG_STACK_LAMBDA, TG_TOL_PER_ROW,
                      TG_MAX_ITER, w2, converged);
  if (!rc)
    memcpy(oof, q, n * sizeof *q);
  x.y = NULL; /* r's */
  fs_lr_data_free(&x);
  free(p), free(pt), free(q), free(ps);
  return rc;
}

int fs_tagger_train_opts(fs_annot *a, fs_ctx *ctx, double lambda, long folds,
                         unsigned long seed, long min_df, int combine,
                         const fs_tagger_opts *opts, fs_tagger_result *r,
                         fs_error *err) {
  const fs_tagger_rules *rules = opts ? opts->rules : NULL;
  tg_rows rows = {0};
  bool uni = combine == FS_TAGGER_UNION;
  rows.uni = uni;
  double *w = NULL, *prob = NULL, *oof = NULL, w2[1 + TG_STACK_N] = {0};
  double *ws = NULL; /* stacked: the sentence model's weights */
  fs_intern snames;  /* and names */
  fs_intern_init(&snames);
  memset(r, 0, sizeof *r);
  r->all_converged = true;
  r->folds = folds;
  int rc = fs_annot_folds(a, folds, seed);
  if (rc == FS_ERR_INPUT) {
    fs_error_set(err, rc, NULL, 0, 0, "%zu articles are too few for %ld folds",
                 a->groups.count, folds);
    return rc;
  }
  unsigned feats = opts ? opts->features : 0;
  const fs_word_classes *wc =
      opts && opts->classes && opts->classes->stems.count ? opts->classes
                                                          : NULL;
  tg_windex *wi = NULL;
  if (!rc && wc && !(wi = windex_new(wc)))
    goto nomem;
  const fs_word_vectors *wv =
      opts && opts->vectors && opts->vectors->dim ? opts->vectors : NULL;
  double vscale = opts && opts->vector_scale > 0 ? opts->vector_scale : 1;
  if (rc || build_rows(a, ctx, min_df > 0 ? min_df : 1, feats, wi, wv, vscale,
                       &rows) ||
      (combine == FS_TAGGER_ANCHOR && anchor_setup(a, ctx->lex, &rows.dc)))
    goto nomem;
  if (rows.dc.anchor && rules)
    rows.dc.rules = *rules;
  rows.dc.cap = opts && opts->cap > 0 ? opts->cap : 0;
  rows.cap_auto = opts && opts->cap < 0;
  r->rows = rows.x.n, r->features = rows.x.p;
  for (size_t i = 0; i < rows.x.n; i++)
    r->positives += rows.x.y[i] > 0;
  for (int k = 0; k < FS_ANNOT_KINDS; k++)
    r->docs[k] = a->nkind[k];
  w = malloc((rows.x.p + 1) * sizeof *w);
  oof = malloc((rows.x.n + 1) * sizeof *oof);
  double *oof_t = calloc((size_t)folds, sizeof *oof_t);
  double *oof_lo = calloc((size_t)folds, sizeof *oof_lo);
  long *oof_cap = calloc((size_t)folds, sizeof *oof_cap);
  if (!w || !oof || !oof_t || !oof_lo || !oof_cap) {
    free(oof_t), free(oof_lo), free(oof_cap);
    goto nomem;
  }
  /* thresholds are chosen on out-of-fold probabilities: on its own
   * training rows a tagger is sure of itself (anchored, it would always
   * overrule the lexicon; alone, its threshold fits words it has
   * memorised). Fold k's thresholds come from the other folds'
   * out-of-fold probabilities (their models saw fold k's tokens, but fold
   * k's labels choose nothing); the final model's from all of them. */
  for (int k = 0; k < (int)folds; k++) {
    if (fit(a, &rows, k, lambda, w, &r->all_converged) ||
        set_tags(a, &rows, w, &prob)) {
      free(oof_t), free(oof_lo), free(oof_cap);
      goto nomem;
    }
    for (size_t i = 0; i < rows.x.n; i++)
      if (a->docs[rows.doc[i]].fold == k)
        oof[i] = prob[i];
  }
  /* stacked: the thresholds apply to the second stage's out-of-fold
   * probabilities */
  r->stacked = opts && opts->stack;
  if (r->stacked && stack_train(a, ctx, &rows, folds, oof, w2, &snames, &ws,
                                &r->all_converged)) {
    free(oof_t), free(oof_lo), free(oof_cap);
    goto nomem;
  }
  for (int k = 0; k < (int)folds; k++)
    if (best_threshold(a, &rows, oof, FS_ANNOT_OUT_OF_FOLD, k, &oof_t[k],
                       &oof_lo[k], &oof_cap[k])) {
      free(oof_t), free(oof_lo), free(oof_cap);
      goto nomem;
    }
  rc = tag_at_cap(a, &rows, oof, 0, 0, 0, oof_t, oof_lo, oof_cap);
  free(oof_t), free(oof_lo), free(oof_cap);
  if (rc || fs_annot_score(a, FS_ANNOT_ALL, 0, r->cv))
    goto nomem;
  if (best_threshold(a, &rows, oof, FS_ANNOT_ALL, 0, &r->threshold,
                     &r->anchor_threshold, &r->cap) ||
      fit(a, &rows, -1, lambda, w, &r->all_converged) ||
      !(r->model = tagger_new()))
    goto nomem;
  r->model->intercept = w[0];
  r->model->uni = uni;
  r->model->threshold = r->threshold;
  r->model->cap = r->cap;
  r->model->feats = feats;
  for (uint32_t i = 0; wc && i < wc->stems.count; i++)
    if (fs_word_classes_add(
            &r->model->wc, fs_intern_str(&wc->stems, i),
            fs_intern_len(&wc->stems, i),
            fs_intern_str(&wc->names, wc->cls[i]),
            fs_intern_len(&wc->names, wc->cls[i])))
      goto nomem;
  if (wc && !(r->model->wi = windex_new(&r->model->wc)))
    goto nomem;
  if (wv) {
    const char *vp = opts->vectors_path ? opts->vectors_path : "";
    r->model->vdim = wv->dim, r->model->vdigest = wv->digest;
    r->model->vscale = vscale, r->model->wv = wv;
    if (!(r->model->vpath = str_dup(vp, strlen(vp))))
      goto nomem;
  }
  r->model->stacked = r->stacked;
  if (r->stacked) {
    memcpy(r->model->stack_w, w2, sizeof w2);
    r->model->stack_w[1 + TG_STACK_N] = ws[0];
  }
  r->anchored = rows.dc.anchor;
  if (rows.dc.anchor) {
    r->model->anchor = true;
    r->model->anchor_t = r->anchor_threshold;
    r->model->phrase = rows.dc.phrase;
    r->model->rules = rows.dc.rules;
    for (size_t c = 0; c < rows.dc.ncats; c++)
      if (rows.dc.cat_on[c] &&
          fs_intern_add(&r->model->anchors, ctx->lex->cats[c].name,
                        strlen(ctx->lex->cats[c].name)) == FS_NONE)
        goto nomem;
  }
  for (size_t f = 0; f < rows.x.p; f++)
    if (set_weight(r->model, fs_intern_str(&rows.names, (uint32_t)f),
                   fs_intern_len(&rows.names, (uint32_t)f), w[1 + f]))
      goto nomem;
  for (size_t f = 0; r->stacked && f < snames.count; f++)
    if (set_weight(r->model, fs_intern_str(&snames, (uint32_t)f),
                   fs_intern_len(&snames, (uint32_t)f), ws[1 + f]))
      goto nomem;
  uint32_t clash[2];
  if ((rc = tagger_index(r->model, clash)) == FS_ERR_INPUT) {
    fs_error_set(err, rc, NULL, 0, 0,
                 "features '%s' and '%s' have one hash: cannot tell them apart",
                 fs_intern_str(&r->model->names, clash[0]),
                 fs_intern_str(&r->model->names, clash[1]));
    goto done;
  }
  if (rc)
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
  free(w), free(prob), free(oof), free(ws);
  windex_free(wi);
  fs_intern_free(&snames);
  rows_free(&rows);
  if (rc)
    fs_tagger_result_free(r);
  return rc;
}
