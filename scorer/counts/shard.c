/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shard.c - counts files (.fsc) -> merged documents and term counts: the
 * writer of `framescore count` and `merge`, and the streaming k-way merge
 * that `merge`, `compare --counts` and `terms --counts` read through.
 *
 * The bytes, before zstd (varint: LEB128; str: varint length + bytes):
 *   "FSCOUNTS" varint(format) str(version) str(lang) byte(voice)
 *   f64(quote weight; format 4) byte(surface) u64(lexicon) u64(model) varint(measures)
 *     { str(name) byte(kind) f64(scale) byte(token_tests) }
 *     varint(categories) { str } varint(variables) { str }
 *     byte(entries) [entries: varint(slots) { str(pattern TAB category)
 *       f64(weight) }]                                  (format 3)
 *   'D' str(path) str(name; empty: the path)
 *     varint(2 outlet + 1 when the document had none, "(none)";
 *            outlet == outlets so far: str(name) follows)
 *     { str(value) } per variable
 *     varint(nonzero) { varint(column gap) value }   the measures' row
 *     varint(nonzero) { varint(column gap) value }   report's numbers
 *     [entries: varint(n) { varint(slot gap) varint(matches) }] (format 3)
 *     varint(stems) { str } varint(forms) { str varint(stem) byte(lex) }
 *   ... one 'D' per document, paths strictly increasing ...
 *   'E' varint(stems) varint(forms) varint(outlets)
 *     { varint(words) varint(docs) varint(nonzero)
 *       { varint(term gap) varint(count) varint(docs) } }
 *     varint(nonzero) { varint(form gap) varint(count) }
 *   'Z'
 * A value is varint(2n) for an integer n in [0, 2^52]; varint(2q + 3) for
 * q / 4 with q in [1, 2^52] not a multiple of 4 (summed weights of 0.5 and
 * 1.5); else varint(1) and the IEEE double, little-endian: counts cost a
 * byte or two, and every double reads back exactly. Zeros are not
 * written. Format 2 is format 3 without the entries byte and lists;
 * formats 2 and 3 have no quote weight and no denominator column of the
 * score (it is the words column): read as weight 0, the column filled in. */
#include "shard.h"
#include "intern.h"
#include "internal.h"
#include "model.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#define MAGIC "FSCOUNTS"
#define MAX_STR ((uint64_t)1 << 20)
#define FLUSH_AT ((size_t)1 << 17)
/* small zstd windows, so that merging a thousand files holds a thousand
 * windows of 128 KiB, not of 8 MiB */
#define WINDOW_LOG 17

/* ---- fingerprints -------------------------------------------------------- */

static uint64_t mix(uint64_t h, const void *p, size_t n) {
  uint64_t x = fs_hash(p, n);
  return (h ^ x) * 0x100000001b3ull + (h >> 29);
}

static uint64_t mix_str(uint64_t h, const char *s) {
  return mix(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

uint64_t fs_shard_lexicon_fingerprint(const fs_lexicon *lex) {
  uint64_t h = mix_str(0xcbf29ce484222325ull, lex->lang);
  for (size_t i = 0; i < lex->nentries; i++) {
    const fs_entry *e = &lex->entries[i];
    if (!e->active)
      continue;
    h = mix_str(h, e->pattern);
    h = mix_str(h, lex->cats[e->category].name);
    h = mix(h, &e->weight, sizeof e->weight);
    h = mix(h, &e->event, sizeof e->event);
  }
  return h ? h : 1;
}

uint64_t fs_shard_model_fingerprint(const fs_model *m) {
  if (!m)
    return 0;
  uint64_t h = 0x84222325cbf29ce4ull;
  for (size_t i = 0; i < m->ndims; i++) {
    const fs_dimension *d = &m->dims[i];
    h = mix_str(h, d->name);
    int ints[] = {d->kind, d->voice, d->norm, d->unit, d->weights, d->active};
    h = mix(h, ints, sizeof ints);
    h = mix(h, &d->intercept, sizeof d->intercept);
    h = mix(h, &d->threshold, sizeof d->threshold);
    h = mix(h, &d->nfeatures, sizeof d->nfeatures);
    if (d->catw && m->ncats)
      h = mix(h, d->catw, m->ncats * sizeof *d->catw);
  }
  for (size_t i = 0; i < m->stems.count; i++)
    h = mix_str(h, fs_intern_str(&m->stems, (uint32_t)i));
  return h ? h : 1;
}

int fs_shard_meta_init(fs_shard_meta *meta, const fs_compare *c, bool surface,
                       char *const *vars, size_t nvars) {
  memset(meta, 0, sizeof *meta);
  snprintf(meta->version, sizeof meta->version, "%s", FS_VERSION);
  snprintf(meta->lang, sizeof meta->lang, "%.63s", c->lex->lang);
  meta->voice = c->voice;
  meta->quote_weight = c->quote_weight;
  meta->surface = surface;
  meta->lexicon = fs_shard_lexicon_fingerprint(c->lex);
  meta->model = fs_shard_model_fingerprint(c->model);
  meta->measures = c->measures;
  meta->nmeasures = c->nmeasures;
  meta->vars = (char **)vars;
  meta->nvars = nvars;
  meta->ncats = c->lex->ncats;
  if (!(meta->cats = malloc((meta->ncats + 1) * sizeof *meta->cats)))
    return FS_ERR_NOMEM;
  for (size_t k = 0; k < meta->ncats; k++)
    meta->cats[k] = c->lex->cats[k].name;
  if (!c->entries)
    return FS_OK;
  meta->entries = true;
  meta->nslots = c->nslots;
  meta->slot_weight = c->slot_weight;
  if (!(meta->slot_names = calloc(c->nslots + 1, sizeof *meta->slot_names)))
    return FS_ERR_NOMEM;
  for (size_t k = 0; k < c->nslots; k++) {
    uint32_t e = c->slot_entry[k];
    bool quote = e == c->lex->nentries;
    const char *pat = quote ? "\"...\"" : c->lex->entries[e].pattern;
    const char *cat =
        c->lex->cats[quote ? c->lex->scare_cat : c->lex->entries[e].category]
            .name;
    size_t n = strlen(pat) + strlen(cat) + 2;
    if (!(meta->slot_names[k] = malloc(n)))
      return FS_ERR_NOMEM;
    snprintf(meta->slot_names[k], n, "%s\t%s", pat, cat);
  }
  return FS_OK;
}

void fs_shard_meta_done(fs_shard_meta *meta) {
  free(meta->cats);
  meta->cats = NULL;
  for (size_t k = 0; meta->slot_names && k < meta->nslots; k++)
    free(meta->slot_names[k]);
  free(meta->slot_names);
  meta->slot_names = NULL;
}

void fs_shard_report_row(const fs_doc_stats *st, double *report) {
  for (int v = 0; v < FS_VOICES; v++)
    report[FS_SHARD_REPORT_WORDS + v] = (double)st->words[v];
  report[FS_SHARD_REPORT_SENTENCES] = (double)st->sentences;
  for (size_t i = 0; i < st->ncat * FS_VOICES; i++) {
    double *r = report + FS_SHARD_REPORT_CATS + 3 * i;
    r[0] = (double)st->matches[i];
    r[1] = (double)st->negated[i];
    r[2] = st->weight[i];
  }
}

bool fs_shard_sniff(const void *data, size_t len) {
  static const unsigned char zmagic[4] = {0x28, 0xb5, 0x2f, 0xfd};
  return len >= 4 && !memcmp(data, zmagic, 4);
}

/* ---- writing ------------------------------------------------------------- */

struct fs_shard_writer {
  FILE *out;
  ZSTD_CCtx *z;
  fs_shard_meta meta;
  size_t width;
  unsigned char *buf;
  size_t len, cap;
  void *zout;
  size_t zout_cap;
  bool started, failed;
  fs_intern outlets;
  char *last; /* the previous document's path */
};

static void put(fs_shard_writer *w, const void *p, size_t n) {
  if (w->failed)
    return;
  if (fs_grow(&w->buf, &w->cap, w->len + n, 1)) {
    w->failed = true;
    return;
  }
  memcpy(w->buf + w->len, p, n);
  w->len += n;
}

static void put_byte(fs_shard_writer *w, unsigned v) {
  unsigned char b = (unsigned char)v;
  put(w, &b, 1);
}

static void put_varint(fs_shard_writer *w, uint64_t v) {
  unsigned char b[10];
  put(w, b, fs_varint_encode(b, v));
}

static void put_u64(fs_shard_writer *w, uint64_t v) {
  unsigned char b[8];
  for (int i = 0; i < 8; i++)
    b[i] = (unsigned char)(v >> (8 * i));
  put(w, b, 8);
}

static void put_f64(fs_shard_writer *w, double x) {
  uint64_t v;
  memcpy(&v, &x, 8);
  put_u64(w, v);
}

static void put_str(fs_shard_writer *w, const char *s, size_t n) {
  put_varint(w, n);
  put(w, s, n);
}

static void put_value(fs_shard_writer *w, double x) {
  if (x >= 0 && x <= 4503599627370496.0 && x == floor(x) && !signbit(x)) {
    put_varint(w, (uint64_t)x << 1);
    return;
  }
  double q = 4 * x;
  if (q > 0 && q <= 4503599627370496.0 && q == floor(q)) {
    put_varint(w, ((uint64_t)q << 1) + 3);
    return;
  }
  put_varint(w, 1);
  put_f64(w, x);
}

/* Compresses what is buffered (all of it, and ends the frame, when end). */
static int flush(fs_shard_writer *w, bool end) {
  if (w->failed)
    return FS_ERR_IO;
  ZSTD_inBuffer in = {w->buf, w->len, 0};
  for (;;) {
    ZSTD_outBuffer out = {w->zout, w->zout_cap, 0};
    size_t left = ZSTD_compressStream2(w->z, &out, &in,
                                       end ? ZSTD_e_end : ZSTD_e_continue);
    if (ZSTD_isError(left) || fwrite(w->zout, 1, out.pos, w->out) != out.pos) {
      w->failed = true;
      return FS_ERR_IO;
    }
    if (end ? left == 0 : in.pos == in.size)
      break;
  }
  w->len = 0;
  return FS_OK;
}

/* The measures' counts, the words, then a denominator for each measure
 * that has its own (the score, a dimension), as fs_compare_layout. */
static size_t row_width(const fs_shard_meta *m) {
  size_t width = m->nmeasures + 1;
  for (size_t k = 0; k < m->nmeasures; k++)
    width += m->measures[k].kind == FS_MEASURE_DIMENSION ||
             m->measures[k].kind == FS_MEASURE_SCORE;
  return width;
}

/* A format 2 or 3 row (no denominator column for the score) into the
 * layout of row_width: the score's denominator is the words. */
static void widen_old_row(const fs_shard_meta *m, double *row, size_t width) {
  size_t M = m->nmeasures, col = M + 1;
  for (size_t k = 0; k < M; k++) {
    int kind = m->measures[k].kind;
    if (kind == FS_MEASURE_SCORE) {
      memmove(row + col + 1, row + col, (width - col - 1) * sizeof *row);
      row[col] = row[M];
    }
    col += kind == FS_MEASURE_DIMENSION || kind == FS_MEASURE_SCORE;
  }
}

fs_shard_writer *fs_shard_writer_new(FILE *out, const fs_shard_meta *meta,
                                     int level) {
  fs_shard_writer *w = calloc(1, sizeof *w);
  if (!w)
    return NULL;
  w->out = out;
  w->meta = *meta;
  w->width = row_width(meta);
  fs_intern_init(&w->outlets);
  w->z = ZSTD_createCCtx();
  w->zout_cap = ZSTD_CStreamOutSize();
  w->zout = malloc(w->zout_cap);
  if (!w->z || !w->zout ||
      ZSTD_isError(ZSTD_CCtx_setParameter(w->z, ZSTD_c_compressionLevel,
                                          level ? level : 3)) ||
      ZSTD_isError(
          ZSTD_CCtx_setParameter(w->z, ZSTD_c_windowLog, WINDOW_LOG))) {
    fs_shard_writer_free(w);
    return NULL;
  }
  return w;
}

void fs_shard_writer_free(fs_shard_writer *w) {
  if (!w)
    return;
  ZSTD_freeCCtx(w->z);
  fs_intern_free(&w->outlets);
  free(w->zout), free(w->buf), free(w->last);
  free(w);
}

static void write_header(fs_shard_writer *w) {
  const fs_shard_meta *m = &w->meta;
  put(w, MAGIC, 8);
  put_varint(w, FS_SHARD_FORMAT);
  put_str(w, m->version, strlen(m->version));
  put_str(w, m->lang, strlen(m->lang));
  put_byte(w, (unsigned)m->voice);
  put_f64(w, m->quote_weight);
  put_byte(w, m->surface);
  put_u64(w, m->lexicon);
  put_u64(w, m->model);
  put_varint(w, m->nmeasures);
  for (size_t k = 0; k < m->nmeasures; k++) {
    const fs_measure *ms = &m->measures[k];
    put_str(w, ms->name, strlen(ms->name));
    put_byte(w, (unsigned)ms->kind);
    put_f64(w, ms->scale);
    put_byte(w, ms->counts);
  }
  put_varint(w, m->ncats);
  for (size_t k = 0; k < m->ncats; k++)
    put_str(w, m->cats[k], strlen(m->cats[k]));
  put_varint(w, m->nvars);
  for (size_t k = 0; k < m->nvars; k++)
    put_str(w, m->vars[k], strlen(m->vars[k]));
  put_byte(w, m->entries);
  if (m->entries) {
    put_varint(w, m->nslots);
    for (size_t k = 0; k < m->nslots; k++) {
      put_str(w, m->slot_names[k], strlen(m->slot_names[k]));
      put_f64(w, m->slot_weight[k]);
    }
  }
  w->started = true;
}

/* Numbers, sparse: the count of non-zeros, then each as its gap and value. */
static void put_row(fs_shard_writer *w, const double *row, size_t width) {
  size_t nz = 0;
  for (size_t i = 0; i < width; i++)
    nz += row[i] != 0 || signbit(row[i]);
  put_varint(w, nz);
  size_t prev = 0;
  for (size_t i = 0; i < width; i++)
    if (row[i] != 0 || signbit(row[i])) {
      put_varint(w, i - prev);
      put_value(w, row[i]);
      prev = i + 1;
    }
}

int fs_shard_write_doc(fs_shard_writer *w, const fs_shard_doc *d,
                       const fs_terms *t) {
  const char *path = d->path, *outlet = d->outlet;
  size_t stems0 = d->stems0, forms0 = d->forms0;
  if (w->last && strcmp(w->last, path) >= 0)
    return FS_ERR_USAGE;
  free(w->last);
  if (!(w->last = strdup(path)))
    return FS_ERR_IO;
  if (!w->started)
    write_header(w);
  put_byte(w, 'D');
  put_str(w, path, strlen(path));
  if (d->name && strcmp(d->name, path))
    put_str(w, d->name, strlen(d->name));
  else
    put_varint(w, 0);
  size_t before = w->outlets.count;
  uint32_t o = fs_intern_add(&w->outlets, outlet, strlen(outlet));
  if (o == FS_NONE)
    return FS_ERR_IO;
  put_varint(w, 2 * (uint64_t)o + d->no_outlet);
  if (w->outlets.count != before)
    put_str(w, outlet, strlen(outlet));
  for (size_t k = 0; k < w->meta.nvars; k++) {
    const char *v = d->vars && d->vars[k] ? d->vars[k] : "";
    put_str(w, v, strlen(v));
  }
  put_row(w, d->row, w->width);
  put_row(w, d->report, fs_shard_report_width(w->meta.ncats));
  if (w->meta.entries) {
    put_varint(w, d->nent);
    for (size_t i = 0, prev = 0; i < d->nent; i++) {
      put_varint(w, d->ent[2 * i] - prev);
      put_varint(w, d->ent[2 * i + 1]);
      prev = d->ent[2 * i] + 1;
    }
  }
  size_t nstems = fs_terms_nstems(t), nforms = fs_terms_nforms(t);
  put_varint(w, nstems - stems0);
  for (size_t i = stems0; i < nstems; i++) {
    size_t len;
    const char *s = fs_terms_stem(t, (uint32_t)i, &len);
    put_str(w, s, len);
  }
  put_varint(w, nforms - forms0);
  for (size_t i = forms0; i < nforms; i++) {
    size_t len;
    uint32_t stem;
    bool lex;
    const char *s = fs_terms_form(t, (uint32_t)i, &len, &stem, &lex);
    put_str(w, s, len);
    put_varint(w, stem);
    put_byte(w, lex);
  }
  return w->len >= FLUSH_AT ? flush(w, false) : w->failed ? FS_ERR_IO : FS_OK;
}

int fs_shard_write_end(fs_shard_writer *w, const fs_terms *t) {
  if (!w->started)
    write_header(w);
  if (t->noutlets != w->outlets.count)
    return FS_ERR_USAGE;
  for (size_t o = 0; o < t->noutlets; o++)
    if (strcmp(t->outlets[o], fs_intern_str(&w->outlets, (uint32_t)o)))
      return FS_ERR_USAGE;
  put_byte(w, 'E');
  put_varint(w, fs_terms_nstems(t));
  put_varint(w, fs_terms_nforms(t));
  put_varint(w, t->noutlets);
  for (size_t o = 0; o < t->noutlets; o++) {
    put_varint(w, (uint64_t)t->outlet_tokens[o]);
    put_varint(w, t->outlet_docs[o]);
    size_t nz = 0, prev = 0;
    for (size_t id = 0; id < t->nterms; id++)
      nz += t->count[o][id] || t->docfreq[o][id];
    put_varint(w, nz);
    for (size_t id = 0; id < t->nterms; id++)
      if (t->count[o][id] || t->docfreq[o][id]) {
        put_varint(w, id - prev);
        put_varint(w, t->count[o][id]);
        put_varint(w, t->docfreq[o][id]);
        prev = id + 1;
      }
    if (w->len >= FLUSH_AT && flush(w, false))
      return FS_ERR_IO;
  }
  size_t nz = 0, prev = 0;
  for (size_t f = 0; f < t->nforms_seen; f++)
    nz += t->form_count[f] != 0;
  put_varint(w, nz);
  for (size_t f = 0; f < t->nforms_seen; f++)
    if (t->form_count[f]) {
      put_varint(w, f - prev);
      put_varint(w, t->form_count[f]);
      prev = f + 1;
    }
  put_byte(w, 'Z');
  return flush(w, true);
}

/* ---- reading ------------------------------------------------------------- */

/* One file being merged: its decompressed bytes, the document read ahead
 * and the maps from its ids to the merged ones. */
typedef struct input {
  const fs_shard_source *src;
  ZSTD_DStream *z;
  unsigned char *zin, *buf;
  size_t zin_len, zin_pos, zin_cap, len, pos, cap;
  uint64_t off; /* bytes decompressed before buf */
  uint64_t format; /* the file's counts format */
  bool src_end;
  fs_shard_meta meta;
  /* the document read ahead */
  bool has_doc;
  char *path;
  size_t path_cap;
  uint32_t outlet; /* the file's outlet id */
  bool no_outlet;  /* it had none: "(none)" */
  char *name;      /* its name as written ("": the path) */
  size_t name_len, name_cap;
  char *vals; /* its variables' values, NUL-separated */
  size_t vals_len, vals_cap;
  const char **var_ptrs; /* ... each */
  double *row, *report;
  uint32_t *ent; /* its entry counts: nent (slot, matches) pairs */
  size_t nent, ent_cap;
  char *chars; /* its new stems and forms, NUL-separated */
  size_t chars_len, chars_cap;
  size_t nstems, nforms; /* ... how many */
  uint32_t *form_stem;   /* its forms' stems (file ids) */
  uint8_t *form_lex;
  size_t fs_cap, fl_cap;
  /* file id -> merged id */
  uint32_t *stem_map, *form_map, *outlet_map;
  size_t stems, forms, outlets, sm_cap, fm_cap, om_cap;
  char **outlet_names; /* the file's outlets (for the documents) */
  size_t on_cap;
} input;

struct fs_shard_merge {
  input *in;
  size_t n;
  size_t *heap; /* inputs with a document, by path */
  size_t nheap;
  fs_shard_meta meta;
  size_t width, report_width;
  fs_terms terms;
};

static int fail(const input *r, fs_error *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(const input *r, fs_error *err, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return fs_error_set(err, FS_ERR_INPUT, r->src->name, 0, 0,
                      "byte %llu (uncompressed): %s",
                      (unsigned long long)(r->off + r->pos), msg);
}

/* Decompresses more into buf; FS_OK with r->len > r->pos, or an error
 * (the end of the data is one: every file ends with 'Z'). */
static int refill(input *r, fs_error *err) {
  r->off += r->pos;
  r->len = r->pos = 0;
  while (r->len == 0) {
    if (r->zin_pos == r->zin_len) {
      if (r->src_end)
        return fail(r, err, "the file ends early (truncated?)");
      ssize_t got;
      do
        got = r->src->read(r->src->user, r->zin, r->zin_cap);
      while (got < 0 && errno == EINTR);
      if (got < 0)
        return fs_error_set(err, FS_ERR_INPUT, r->src->name, 0, 0, "%s",
                            strerror(errno));
      r->zin_len = (size_t)got, r->zin_pos = 0;
      r->src_end = got == 0;
    }
    ZSTD_inBuffer in = {r->zin, r->zin_len, r->zin_pos};
    ZSTD_outBuffer out = {r->buf, r->cap, 0};
    size_t rc = ZSTD_decompressStream(r->z, &out, &in);
    if (ZSTD_isError(rc))
      return fail(r, err, "not a framescore counts file, or damaged (%s)",
                  ZSTD_getErrorName(rc));
    r->zin_pos = in.pos;
    r->len = out.pos;
  }
  return FS_OK;
}

static int get(input *r, void *p, size_t n, fs_error *err) {
  unsigned char *d = p;
  while (n > 0) {
    int rc;
    if (r->pos == r->len && (rc = refill(r, err)))
      return rc;
    size_t k = r->len - r->pos < n ? r->len - r->pos : n;
    memcpy(d, r->buf + r->pos, k);
    r->pos += k, d += k, n -= k;
  }
  return FS_OK;
}

static int get_byte(input *r, unsigned *v, fs_error *err) {
  unsigned char b;
  int rc = get(r, &b, 1, err);
  *v = b;
  return rc;
}

static int get_varint(input *r, uint64_t *v, fs_error *err) {
  *v = 0;
  for (int shift = 0;; shift += 7) {
    unsigned b;
    int rc = get_byte(r, &b, err);
    if (rc)
      return rc;
    if (shift == 63 && b > 1)
      return fail(r, err, "number too large");
    *v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80))
      return FS_OK;
  }
}

/* A varint that must be at most max. */
static int get_count(input *r, uint64_t *v, uint64_t max, const char *what,
                     fs_error *err) {
  int rc = get_varint(r, v, err);
  if (rc == FS_OK && *v > max)
    return fail(r, err, "%s %llu out of range (at most %llu)", what,
                (unsigned long long)*v, (unsigned long long)max);
  return rc;
}

static int get_u64(input *r, uint64_t *v, fs_error *err) {
  unsigned char b[8];
  int rc = get(r, b, 8, err);
  *v = 0;
  for (int i = 0; i < 8; i++)
    *v |= (uint64_t)b[i] << (8 * i);
  return rc;
}

static int get_f64(input *r, double *x, fs_error *err) {
  uint64_t v;
  int rc = get_u64(r, &v, err);
  memcpy(x, &v, 8);
  if (rc == FS_OK && !isfinite(*x))
    return fail(r, err, "a number is not finite");
  return rc;
}

/* A string appended to *buf at *len with a NUL after it. */
static int get_str(input *r, char **buf, size_t *len, size_t *cap,
                   fs_error *err) {
  uint64_t n;
  int rc = get_count(r, &n, MAX_STR, "string length", err);
  if (rc)
    return rc;
  if (fs_grow(buf, cap, *len + n + 1, 1))
    return fs_error_set(err, FS_ERR_NOMEM, r->src->name, 0, 0, "out of memory");
  if ((rc = get(r, *buf + *len, n, err)))
    return rc;
  if (memchr(*buf + *len, '\0', n))
    return fail(r, err, "a NUL byte in a string");
  (*buf)[*len + n] = '\0';
  *len += n + 1;
  return FS_OK;
}

static int get_fixed(input *r, char *out, size_t cap, const char *what,
                     fs_error *err) {
  char *s = NULL;
  size_t len = 0, scap = 0;
  int rc = get_str(r, &s, &len, &scap, err);
  if (rc == FS_OK && (len > cap || (len == 1 && cap == 128)))
    rc = fail(r, err, "%s empty or too long", what);
  if (rc == FS_OK)
    memcpy(out, s, len);
  free(s);
  return rc;
}

static int get_value(input *r, double *x, fs_error *err) {
  uint64_t v;
  int rc = get_varint(r, &v, err);
  if (rc)
    return rc;
  if (v == 1)
    return get_f64(r, x, err);
  if (v & 1) { /* a multiple of 1/4 */
    uint64_t q = (v - 3) >> 1;
    if (q % 4 == 0 || q > ((uint64_t)1 << 52))
      return fail(r, err, "bad number tag %llu", (unsigned long long)v);
    *x = (double)q / 4;
    return FS_OK;
  }
  if ((v >> 1) > ((uint64_t)1 << 52))
    return fail(r, err, "integer too large");
  *x = (double)(v >> 1);
  return FS_OK;
}

/* A count and as many strings, into an array of its own (freed by
 * free_names). */
static int get_names(input *r, char ***names, size_t *n, const char *what,
                     fs_error *err) {
  uint64_t count;
  int rc = get_count(r, &count, 100000, what, err);
  if (rc)
    return rc;
  if (!(*names = calloc(count + 1, sizeof **names)))
    return fs_error_set(err, FS_ERR_NOMEM, r->src->name, 0, 0, "out of memory");
  for (size_t k = 0; k < count; k++) {
    size_t len = 0, cap = 0;
    if ((rc = get_str(r, &(*names)[k], &len, &cap, err))) {
      free((*names)[k]);
      (*names)[k] = NULL;
      return rc;
    }
    *n = k + 1;
  }
  return FS_OK;
}

static void free_names(char **names, size_t n) {
  for (size_t k = 0; names && k < n; k++)
    free(names[k]);
  free(names);
}

/* Format 3's entry slots: names and weights. */
static int read_slots(input *r, fs_error *err) {
  fs_shard_meta *m = &r->meta;
  uint64_t n;
  int rc = get_count(r, &n, (uint64_t)1 << 24, "entry slots", err);
  if (rc)
    return rc;
  m->slot_names = calloc(n + 1, sizeof *m->slot_names);
  m->slot_weight = calloc(n + 1, sizeof *m->slot_weight);
  if (!m->slot_names || !m->slot_weight)
    return fs_error_set(err, FS_ERR_NOMEM, r->src->name, 0, 0, "out of memory");
  for (size_t k = 0; k < n; k++) {
    size_t len = 0, cap = 0;
    rc = get_str(r, &m->slot_names[k], &len, &cap, err);
    m->nslots = k + 1;
    if (rc || (rc = get_f64(r, &m->slot_weight[k], err)))
      return rc;
    if (!isfinite(m->slot_weight[k]) || m->slot_weight[k] == 0)
      return fail(r, err, "bad weight of entry slot %zu", k + 1);
  }
  return FS_OK;
}

static int read_header(input *r, fs_error *err) {
  char magic[8];
  uint64_t format, n;
  unsigned voice, surface, kind, counts;
  int rc = get(r, magic, 8, err);
  if (rc == FS_OK && memcmp(magic, MAGIC, 8))
    return fail(r, err, "not a framescore counts file");
  if (rc || (rc = get_varint(r, &format, err)))
    return rc;
  if (format < FS_SHARD_FORMAT_OLDEST || format > FS_SHARD_FORMAT)
    return fail(r, err,
                "counts format %llu, made by %s framescore; this one reads "
                "formats %d to %d: count the documents again with it",
                (unsigned long long)format,
                format < FS_SHARD_FORMAT ? "an older" : "a newer",
                FS_SHARD_FORMAT_OLDEST, FS_SHARD_FORMAT);
  fs_shard_meta *m = &r->meta;
  r->format = format;
  if ((rc = get_fixed(r, m->version, sizeof m->version, "version", err)) ||
      (rc = get_fixed(r, m->lang, sizeof m->lang, "language", err)) ||
      (rc = get_byte(r, &voice, err)) ||
      (format >= 4 && (rc = get_f64(r, &m->quote_weight, err))) ||
      (rc = get_byte(r, &surface, err)) ||
      (rc = get_u64(r, &m->lexicon, err)) ||
      (rc = get_u64(r, &m->model, err)) ||
      (rc = get_count(r, &n, 100000, "measures", err)))
    return rc;
  if (voice > FS_VOICES || surface > 1)
    return fail(r, err, "bad voice or surface setting");
  if (!(m->quote_weight >= 0 && m->quote_weight <= 1))
    return fail(r, err, "bad quote weight");
  m->voice = (int)voice, m->surface = surface;
  m->measures = calloc(n ? n : 1, sizeof *m->measures);
  if (!m->measures)
    return fs_error_set(err, FS_ERR_NOMEM, r->src->name, 0, 0, "out of memory");
  for (size_t k = 0; k < n; k++) {
    fs_measure *ms = &m->measures[k];
    if ((rc = get_fixed(r, ms->name, sizeof ms->name, "measure name", err)) ||
        (rc = get_byte(r, &kind, err)) || (rc = get_f64(r, &ms->scale, err)) ||
        (rc = get_byte(r, &counts, err)))
      return rc;
    if (kind > FS_MEASURE_DIMENSION || counts > 1 || !(ms->scale > 0))
      return fail(r, err, "bad measure '%s'", ms->name);
    for (size_t j = 0; j < k; j++)
      if (!strcmp(m->measures[j].name, ms->name) &&
          m->measures[j].kind == (int)kind)
        return fail(r, err, "measure '%s' listed twice", ms->name);
    ms->kind = (int)kind, ms->counts = counts, ms->index = FS_NONE;
    m->nmeasures++;
  }
  if ((rc = get_names(r, &m->cats, &m->ncats, "categories", err)) ||
      (rc = get_names(r, &m->vars, &m->nvars, "variables", err)))
    return rc;
  unsigned entries = 0;
  if (format >= 3 && (rc = get_byte(r, &entries, err)))
    return rc;
  if (entries > 1)
    return fail(r, err, "bad entries flag %u", entries);
  m->entries = entries;
  return entries ? read_slots(r, err) : FS_OK;
}

static int nomem(const input *r, fs_error *err) {
  return fs_error_set(err, FS_ERR_NOMEM, r->src->name, 0, 0, "out of memory");
}

/* Sparse numbers into row (width of them). */
static int get_row(input *r, double *row, size_t width, fs_error *err) {
  uint64_t n, gap;
  int rc;
  memset(row, 0, width * sizeof *row);
  if ((rc = get_count(r, &n, width, "columns", err)))
    return rc;
  for (size_t i = 0, col = 0; i < n; i++, col++) {
    if (col >= width)
      return fail(r, err, "more columns than there are");
    if ((rc = get_count(r, &gap, width - col - 1, "column", err)))
      return rc;
    col += gap;
    if ((rc = get_value(r, &row[col], err)))
      return rc;
  }
  return FS_OK;
}

/* A document's entry counts: (slot, matches) pairs in slot order. */
static int read_entries(input *r, size_t nslots, fs_error *err) {
  uint64_t n, gap, x;
  int rc = get_count(r, &n, nslots, "entries", err);
  if (rc)
    return rc;
  if (fs_grow(&r->ent, &r->ent_cap, 2 * n + 1, sizeof *r->ent))
    return nomem(r, err);
  for (size_t i = 0, slot = 0; i < n; i++, slot++) {
    if (slot >= nslots)
      return fail(r, err, "more entries than there are");
    if ((rc = get_count(r, &gap, nslots - slot - 1, "entry", err)) ||
        (rc = get_count(r, &x, UINT32_MAX, "matches", err)))
      return rc;
    if (x == 0)
      return fail(r, err, "an entry with no matches");
    slot += gap;
    r->ent[2 * i] = (uint32_t)slot;
    r->ent[2 * i + 1] = (uint32_t)x;
  }
  r->nent = n;
  return FS_OK;
}

/* Reads the next record: a document (has_doc), or the end of the documents,
 * whose term counts go into t. */
static int read_trailer(fs_shard_merge *m, input *r, fs_error *err);

static int read_doc(fs_shard_merge *m, input *r, fs_error *err) {
  unsigned tag;
  uint64_t n, o;
  int rc = get_byte(r, &tag, err);
  r->has_doc = false;
  if (rc)
    return rc;
  if (tag == 'E')
    return read_trailer(m, r, err);
  if (tag != 'D')
    return fail(r, err, "expected a document or the end");
  r->chars_len = 0;
  if ((rc = get_str(r, &r->chars, &r->chars_len, &r->chars_cap, err)))
    return rc;
  if (r->chars_len == 1)
    return fail(r, err, "empty document path");
  if (r->path && strcmp(r->path, r->chars) >= 0)
    return fail(r, err, "document '%s' after '%s': paths must increase",
                r->chars, r->path);
  if (fs_grow(&r->path, &r->path_cap, r->chars_len, 1))
    return nomem(r, err);
  memcpy(r->path, r->chars, r->chars_len);
  r->name_len = 0;
  if ((rc = get_str(r, &r->name, &r->name_len, &r->name_cap, err)))
    return rc;
  if (r->name_len > 1 && !strcmp(r->name, r->path))
    return fail(r, err, "document '%s' named as its path", r->path);
  if ((rc = get_count(r, &o, 2 * (uint64_t)r->outlets + 1, "outlet", err)))
    return rc;
  r->no_outlet = o & 1;
  o >>= 1;
  if (o == r->outlets) { /* a new outlet, named here */
    r->chars_len = 0;
    if ((rc = get_str(r, &r->chars, &r->chars_len, &r->chars_cap, err)))
      return rc;
    for (size_t i = 0; i < r->outlets; i++)
      if (!strcmp(r->outlet_names[i], r->chars))
        return fail(r, err, "outlet '%s' named twice", r->chars);
    char *name = strdup(r->chars);
    if (!name ||
        fs_grow(&r->outlet_names, &r->on_cap, r->outlets + 1,
                sizeof *r->outlet_names) ||
        fs_grow(&r->outlet_map, &r->om_cap, r->outlets + 1,
                sizeof *r->outlet_map)) {
      free(name);
      return nomem(r, err);
    }
    r->outlet_names[r->outlets] = name;
    r->outlet_map[r->outlets++] = FS_NONE; /* given when delivered */
  }
  r->outlet = (uint32_t)o;
  r->vals_len = 0;
  for (size_t k = 0; k < m->meta.nvars; k++)
    if ((rc = get_str(r, &r->vals, &r->vals_len, &r->vals_cap, err)))
      return rc;
  for (size_t k = 0, at = 0; k < m->meta.nvars; k++) {
    r->var_ptrs[k] = r->vals + at;
    at += strlen(r->vals + at) + 1;
  }
  size_t nscore = 0; /* format 2 and 3 rows lack the score's denominator */
  for (size_t k = 0; r->format < 4 && k < m->meta.nmeasures; k++)
    nscore += m->meta.measures[k].kind == FS_MEASURE_SCORE;
  if ((rc = get_row(r, r->row, m->width - nscore, err)) ||
      (rc = get_row(r, r->report, m->report_width, err)))
    return rc;
  if (nscore)
    widen_old_row(&m->meta, r->row, m->width);
  /* report's numbers are counts (weights may be fractions, negative) */
  for (size_t i = 0; i < m->report_width; i++) {
    bool weight = i >= FS_SHARD_REPORT_CATS &&
                  (i - FS_SHARD_REPORT_CATS) % 3 == 2;
    if (!weight && (r->report[i] < 0 || r->report[i] != floor(r->report[i])))
      return fail(r, err, "report count %g is not a count", r->report[i]);
  }
  /* what the row means: counts of matches, words and denominators are not
   * negative (summed weights may be) */
  const fs_shard_meta *mt = &m->meta;
  if (r->row[mt->nmeasures] < 0)
    return fail(r, err, "negative words");
  for (size_t k = 0, den = mt->nmeasures + 1; k < mt->nmeasures; k++) {
    int kind = mt->measures[k].kind;
    if (r->row[k] < 0 &&
        (kind == FS_MEASURE_CATEGORY || kind == FS_MEASURE_FAMILY))
      return fail(r, err, "negative count of '%s'", mt->measures[k].name);
    if ((kind == FS_MEASURE_DIMENSION || kind == FS_MEASURE_SCORE) &&
        r->row[den++] < 0)
      return fail(r, err, "negative denominator of '%s'", mt->measures[k].name);
  }
  if (mt->entries && (rc = read_entries(r, mt->nslots, err)))
    return rc;
  /* the words it brought: stems, then forms */
  r->chars_len = 0;
  if ((rc = get_count(r, &n, UINT32_MAX, "stems", err)))
    return rc;
  r->nstems = n;
  for (size_t i = 0; i < n; i++)
    if ((rc = get_str(r, &r->chars, &r->chars_len, &r->chars_cap, err)))
      return rc;
  if ((rc = get_count(r, &n, UINT32_MAX, "forms", err)))
    return rc;
  r->nforms = n;
  for (size_t i = 0; i < n; i++) {
    uint64_t stem;
    unsigned lex;
    if ((rc = get_str(r, &r->chars, &r->chars_len, &r->chars_cap, err)) ||
        (rc = r->stems + r->nstems ? FS_OK
                                   : fail(r, err, "a form before any stem")) ||
        (rc = get_count(r, &stem, r->stems + r->nstems - 1, "stem", err)) ||
        (rc = get_byte(r, &lex, err)))
      return rc;
    if (lex > 1)
      return fail(r, err, "bad lexicon flag %u", lex);
    if (fs_grow(&r->form_stem, &r->fs_cap, i + 1, sizeof *r->form_stem) ||
        fs_grow(&r->form_lex, &r->fl_cap, i + 1, sizeof *r->form_lex))
      return nomem(r, err);
    r->form_stem[i] = (uint32_t)stem;
    r->form_lex[i] = (uint8_t)lex;
  }
  r->has_doc = true;
  return FS_OK;
}

static int read_trailer(fs_shard_merge *m, input *r, fs_error *err) {
  uint64_t nstems, nforms, nout, tokens, docs, n, gap, count, df;
  fs_terms *t = &m->terms;
  int rc;
  if ((rc = get_varint(r, &nstems, err)) ||
      (rc = get_varint(r, &nforms, err)) || (rc = get_varint(r, &nout, err)))
    return rc;
  if (nstems != r->stems || nforms != r->forms || nout != r->outlets)
    return fail(r, err,
                "the end says %llu stems, %llu forms and %llu outlets; the "
                "documents brought %zu, %zu and %zu",
                (unsigned long long)nstems, (unsigned long long)nforms,
                (unsigned long long)nout, r->stems, r->forms, r->outlets);
  size_t nterms = m->meta.surface ? r->forms : r->stems;
  const uint32_t *map = m->meta.surface ? r->form_map : r->stem_map;
  for (size_t o = 0; o < r->outlets; o++) {
    uint32_t mo = r->outlet_map[o];
    if ((rc = get_count(r, &tokens, (uint64_t)1 << 52, "words", err)) ||
        (rc = get_count(r, &docs, (uint64_t)1 << 52, "documents", err)) ||
        (rc = get_count(r, &n, nterms, "terms", err)))
      return rc;
    t->outlet_tokens[mo] += (double)tokens;
    t->outlet_docs[mo] += docs;
    for (size_t i = 0, id = 0; i < n; i++, id++) {
      if (id >= nterms)
        return fail(r, err, "more terms than the documents brought");
      if ((rc = get_count(r, &gap, nterms - id - 1, "term", err)) ||
          (rc = get_count(r, &count, UINT32_MAX, "count", err)) ||
          (rc = get_count(r, &df, count, "document frequency", err)))
        return rc;
      id += gap;
      if (fs_terms_add_counts(t, mo, map[id], count, df))
        return fail(r, err, "term counts pass 2^32 - 1");
    }
  }
  if ((rc = get_count(r, &n, r->forms, "forms", err)))
    return rc;
  for (size_t i = 0, f = 0; i < n; i++, f++) {
    if (f >= r->forms)
      return fail(r, err, "more forms than the documents brought");
    if ((rc = get_count(r, &gap, r->forms - f - 1, "form", err)) ||
        (rc = get_count(r, &count, UINT32_MAX, "count", err)))
      return rc;
    f += gap;
    if (fs_terms_add_form_count(t, r->form_map[f], count))
      return fail(r, err, "form counts pass 2^32 - 1");
  }
  unsigned tag;
  if ((rc = get_byte(r, &tag, err)))
    return rc;
  if (tag != 'Z')
    return fail(r, err, "expected the end of the file");
  /* nothing may follow */
  for (;;) {
    if (r->pos < r->len)
      return fail(r, err, "data after the end");
    if (r->zin_pos == r->zin_len) {
      if (r->src_end)
        return FS_OK;
      ssize_t got = r->src->read(r->src->user, r->zin, r->zin_cap);
      if (got < 0)
        return fs_error_set(err, FS_ERR_INPUT, r->src->name, 0, 0, "%s",
                            strerror(errno));
      r->zin_len = (size_t)got, r->zin_pos = 0, r->src_end = got == 0;
      continue;
    }
    ZSTD_inBuffer in = {r->zin, r->zin_len, r->zin_pos};
    ZSTD_outBuffer out = {r->buf, r->cap, 0};
    size_t z = ZSTD_decompressStream(r->z, &out, &in);
    if (ZSTD_isError(z))
      return fail(r, err, "damaged after the end (%s)", ZSTD_getErrorName(z));
    r->off += r->len;
    r->zin_pos = in.pos, r->len = out.pos, r->pos = 0;
  }
}

/* ---- merging --------------------------------------------------------------
 */

static void input_free(input *r) {
  ZSTD_freeDStream(r->z);
  r->z = NULL;
  free(r->zin), free(r->buf), free(r->path), free(r->row), free(r->chars);
  free(r->form_stem), free(r->form_lex), free(r->stem_map), free(r->form_map);
  free(r->outlet_map), free(r->name), free(r->vals), free(r->var_ptrs);
  free(r->report), free(r->ent);
  for (size_t i = 0; i < r->outlets; i++)
    free(r->outlet_names[i]);
  free(r->outlet_names);
  free(r->meta.measures);
  free_names(r->meta.cats, r->meta.ncats);
  free_names(r->meta.vars, r->meta.nvars);
  free_names(r->meta.slot_names, r->meta.nslots);
  free(r->meta.slot_weight);
  memset(r, 0, sizeof *r);
}

static bool same_names(char *const *a, size_t na, char *const *b, size_t nb) {
  if (na != nb)
    return false;
  for (size_t k = 0; k < na; k++)
    if (strcmp(a[k], b[k]))
      return false;
  return true;
}

/* names, comma-separated, into buf (cut at cap) */
static void join_names(char *buf, size_t cap, char *const *names, size_t n) {
  size_t o = 0;
  buf[0] = '\0';
  for (size_t k = 0; k < n && o + 1 < cap; k++)
    o += (size_t)snprintf(buf + o, cap - o, "%s%s", k ? "," : "", names[k]);
}

/* The first setting in which b differs from a, or NULL. */
static const char *differs(const fs_shard_meta *a, const fs_shard_meta *b,
                           char *buf, size_t cap) {
  static const char *const voices[] = {"author", "quote", "all"};
  if (strcmp(a->version, b->version))
    snprintf(buf, cap, "framescore version %s, not %s", b->version, a->version);
  else if (a->entries != b->entries) /* the format first: an older file's
                                        other settings may differ too */
    snprintf(buf, cap, "%s",
             b->entries ? "per-entry counts, not without them"
                        : "no per-entry counts (an older format), not with "
                          "them");
  else if (strcmp(a->lang, b->lang))
    snprintf(buf, cap, "language (--lang) %s, not %s", b->lang, a->lang);
  else if (a->voice != b->voice)
    snprintf(buf, cap, "--voice %s, not %s", voices[b->voice],
             voices[a->voice]);
  else if (a->quote_weight != b->quote_weight)
    snprintf(buf, cap, "--quote-weight %g, not %g%s", b->quote_weight,
             a->quote_weight,
             a->quote_weight == 0 || b->quote_weight == 0
                 ? " (an older counts file has 0: its loaded_score is the "
                   "own voice only)"
                 : "");
  else if (a->surface != b->surface)
    snprintf(buf, cap, "term counts of %s, not %s",
             b->surface ? "surface forms (--surface)" : "stems",
             a->surface ? "surface forms (--surface)" : "stems");
  else if (a->lexicon != b->lexicon)
    snprintf(buf, cap, "other lexicons (fingerprint %016llx, not %016llx)",
             (unsigned long long)b->lexicon, (unsigned long long)a->lexicon);
  else if (a->model != b->model)
    snprintf(buf, cap,
             "another model (--model; fingerprint %016llx, not "
             "%016llx)",
             (unsigned long long)b->model, (unsigned long long)a->model);
  else if (a->nmeasures != b->nmeasures)
    snprintf(buf, cap, "%zu measures, not %zu", b->nmeasures, a->nmeasures);
  else if (!same_names(a->cats, a->ncats, b->cats, b->ncats))
    snprintf(buf, cap, "other categories (%zu, not %zu)", b->ncats, a->ncats);
  else if (!same_names(a->vars, a->nvars, b->vars, b->nvars)) {
    char x[160], y[160];
    join_names(x, sizeof x, b->vars, b->nvars);
    join_names(y, sizeof y, a->vars, a->nvars);
    snprintf(buf, cap,
             "document variables (manifest columns) '%s', not '%s'", x, y);
  } else if (!same_names(a->slot_names, a->nslots, b->slot_names, b->nslots) ||
           (a->nslots &&
            memcmp(a->slot_weight, b->slot_weight,
                   a->nslots * sizeof *a->slot_weight)))
    snprintf(buf, cap, "other entry slots (%zu, not %zu)", b->nslots,
             a->nslots);
  else {
    for (size_t k = 0; k < a->nmeasures; k++) {
      const fs_measure *x = &a->measures[k], *y = &b->measures[k];
      if (strcmp(x->name, y->name) || x->kind != y->kind ||
          x->scale != y->scale || x->counts != y->counts) {
        snprintf(buf, cap, "measure %zu '%s', not '%s'", k + 1, y->name,
                 x->name);
        return buf;
      }
    }
    return NULL;
  }
  return buf;
}

static int input_open(input *r, const fs_shard_source *src, fs_error *err) {
  r->src = src;
  r->z = ZSTD_createDStream();
  /* small buffers: a merge of many files holds one per file */
  r->zin_cap = 16384;
  r->cap = 16384;
  r->zin = malloc(r->zin_cap);
  r->buf = malloc(r->cap);
  if (!r->z || !r->zin || !r->buf ||
      ZSTD_isError(ZSTD_DCtx_setParameter(r->z, ZSTD_d_windowLogMax, 27)))
    return nomem(r, err);
  return read_header(r, err);
}

/* A copy of n names (*to, *nto), for the merge: the first file's may be
 * freed before the end. */
static int copy_names(char ***to, size_t *nto, char **const *from, size_t n) {
  if (!(*to = calloc(n + 1, sizeof **to)))
    return FS_ERR_NOMEM;
  for (size_t k = 0; k < n; k++) {
    if (!((*to)[k] = strdup((*from)[k])))
      return FS_ERR_NOMEM;
    *nto = k + 1;
  }
  return FS_OK;
}

fs_shard_merge *fs_shard_merge_new(const fs_shard_source *src, size_t n,
                                   fs_error *err) {
  fs_shard_merge *m = calloc(1, sizeof *m);
  if (!m || !(m->in = calloc(n ? n : 1, sizeof *m->in)) ||
      !(m->heap = calloc(n ? n : 1, sizeof *m->heap))) {
    free(m ? m->in : NULL), free(m);
    fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  m->n = n;
  int rc = FS_OK;
  for (size_t i = 0; i < n && rc == FS_OK; i++) {
    rc = input_open(&m->in[i], &src[i], err);
    char why[400];
    if (rc == FS_OK && i > 0 &&
        differs(&m->in[0].meta, &m->in[i].meta, why, sizeof why))
      rc = fs_error_set(err, FS_ERR_INPUT, src[i].name, 0, 0,
                        "made with %s (as %s was): counts made with "
                        "different settings do not merge",
                        why, src[0].name);
  }
  if (rc == FS_OK && n > 0) {
    m->meta = m->in[0].meta; /* its own measures: in[0] may end first */
    size_t k = m->meta.nmeasures ? m->meta.nmeasures : 1;
    if (!(m->meta.measures = malloc(k * sizeof *m->meta.measures))) {
      fs_shard_merge_free(m);
      fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
      return NULL;
    }
    memcpy(m->meta.measures, m->in[0].meta.measures,
           k * sizeof *m->meta.measures);
    m->meta.cats = m->meta.vars = m->meta.slot_names = NULL;
    m->meta.ncats = m->meta.nvars = m->meta.nslots = 0;
    m->meta.slot_weight = NULL;
    m->width = row_width(&m->meta);
    m->report_width = fs_shard_report_width(m->in[0].meta.ncats);
    fs_terms_init(&m->terms, NULL, m->meta.voice, m->meta.surface);
    if (copy_names(&m->meta.cats, &m->meta.ncats, &m->in[0].meta.cats,
                   m->in[0].meta.ncats) ||
        copy_names(&m->meta.vars, &m->meta.nvars, &m->in[0].meta.vars,
                   m->in[0].meta.nvars) ||
        copy_names(&m->meta.slot_names, &m->meta.nslots,
                   &m->in[0].meta.slot_names, m->in[0].meta.nslots) ||
        !(m->meta.slot_weight =
              malloc((m->meta.nslots + 1) * sizeof *m->meta.slot_weight)))
      rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n && rc == FS_OK; i++) {
      input *r = &m->in[i];
      if (!(r->row = calloc(m->width, sizeof(double))) ||
          !(r->report = calloc(m->report_width, sizeof(double))) ||
          !(r->var_ptrs = calloc(m->meta.nvars + 1, sizeof *r->var_ptrs)))
        rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
  }
  if (rc == FS_OK && n > 0 && m->meta.nslots > 0) /* format 2: no slots */
    memcpy(m->meta.slot_weight, m->in[0].meta.slot_weight,
           m->meta.nslots * sizeof *m->meta.slot_weight);
  if (rc == FS_OK)
    return m;
  fs_shard_merge_free(m);
  return NULL;
}

const fs_shard_meta *fs_shard_merge_meta(const fs_shard_merge *m) {
  return &m->meta;
}

fs_terms *fs_shard_merge_terms(fs_shard_merge *m) { return &m->terms; }

void fs_shard_merge_free(fs_shard_merge *m) {
  if (!m)
    return;
  for (size_t i = 0; i < m->n; i++)
    input_free(&m->in[i]);
  fs_terms_free(&m->terms);
  free(m->meta.measures);
  free_names(m->meta.cats, m->meta.ncats);
  free_names(m->meta.vars, m->meta.nvars);
  free_names(m->meta.slot_names, m->meta.nslots);
  free(m->meta.slot_weight);
  free(m->in), free(m->heap);
  free(m);
}

/* ---- the heap of inputs by their next document's path ---- */

static bool before(const fs_shard_merge *m, size_t a, size_t b) {
  int c = strcmp(m->in[a].path, m->in[b].path);
  return c < 0 || (c == 0 && a < b);
}

static void sift_down(fs_shard_merge *m, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, min = i;
    if (l < m->nheap && before(m, m->heap[l], m->heap[min]))
      min = l;
    if (r < m->nheap && before(m, m->heap[r], m->heap[min]))
      min = r;
    if (min == i)
      return;
    size_t x = m->heap[i];
    m->heap[i] = m->heap[min], m->heap[min] = x;
    i = min;
  }
}

/* Gives the document's new words merged ids and delivers it. */
static int deliver(fs_shard_merge *m, input *r, fs_shard_doc_fn fn, void *user,
                   fs_error *err) {
  fs_terms *t = &m->terms;
  /* outlets and words take merged ids in the merged order */
  if (r->outlet_map[r->outlet] == FS_NONE &&
      (r->outlet_map[r->outlet] =
           fs_terms_outlet(t, r->outlet_names[r->outlet])) == FS_NONE)
    return nomem(r, err);
  fs_shard_doc d = {r->path,
                    r->outlet_names[r->outlet],
                    r->name_len > 1 ? r->name : r->path,
                    r->var_ptrs,
                    r->row,
                    r->report,
                    fs_terms_nstems(t),
                    fs_terms_nforms(t),
                    r->ent,
                    r->nent,
                    r->no_outlet};
  if (fs_grow(&r->stem_map, &r->sm_cap, r->stems + r->nstems + 1,
              sizeof *r->stem_map) ||
      fs_grow(&r->form_map, &r->fm_cap, r->forms + r->nforms + 1,
              sizeof *r->form_map))
    return nomem(r, err);
  const char *s = r->chars;
  int rc = FS_OK;
  for (size_t i = 0; i < r->nstems && rc == FS_OK; i++) {
    size_t len = strlen(s);
    uint32_t id;
    rc = fs_terms_learn_stem(t, s, len, &id);
    r->stem_map[r->stems++] = id;
    s += len + 1;
  }
  for (size_t i = 0; i < r->nforms && rc == FS_OK; i++) {
    size_t len = strlen(s);
    uint32_t id;
    rc = fs_terms_learn_form(t, s, len, r->stem_map[r->form_stem[i]],
                             r->form_lex[i], &id);
    r->form_map[r->forms++] = id;
    s += len + 1;
  }
  if (rc)
    return nomem(r, err);
  t->ndocs++;
  return fn(user, &d, t);
}

int fs_shard_merge_run(fs_shard_merge *m, fs_shard_doc_fn fn, void *user,
                       fs_error *err) {
  int rc = FS_OK;
  char *last = NULL;
  size_t last_cap = 0;
  m->nheap = 0;
  for (size_t i = 0; i < m->n && rc == FS_OK; i++)
    if ((rc = read_doc(m, &m->in[i], err)) == FS_OK && m->in[i].has_doc)
      m->heap[m->nheap++] = i;
  for (size_t i = m->nheap; rc == FS_OK && i-- > 0;)
    sift_down(m, i);
  while (rc == FS_OK && m->nheap > 0) {
    input *r = &m->in[m->heap[0]];
    if (last && !strcmp(last, r->path)) {
      rc = fail(r, err, "document '%s' is in an earlier file too", r->path);
      break;
    }
    size_t len = strlen(r->path) + 1;
    if (fs_grow(&last, &last_cap, len, 1)) {
      rc = nomem(r, err);
      break;
    }
    memcpy(last, r->path, len);
    if ((rc = deliver(m, r, fn, user, err)) || (rc = read_doc(m, r, err)))
      break;
    if (!r->has_doc) { /* its counts are in: the file is done */
      m->heap[0] = m->heap[--m->nheap];
      input_free(r);
    }
    sift_down(m, 0);
  }
  free(last);
  return rc;
}
