/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render_report.c - per-document results -> text (for reading), tidy CSV and
 * JSONL (for pandas and R), and one CSV row per match. */
#include "internal.h"
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CONTEXT_TOKENS 9 /* tokens of context each side of a match */

const fs_lexicon *fs_ctx_lexicon(const fs_ctx *ctx) { return ctx->lex; }

static const char *voice_name(int v) {
  return v == FS_VOICE_QUOTE ? "quote" : "author";
}

const char *fs_voice_name(int voice) { return voice_name(voice); }

static void csv_str(FILE *out, const char *s) { fs_csv_field(out, s, strlen(s)); }

static double per_1k(size_t n, size_t words) {
  return words ? 1000.0 * (double)n / (double)words : 0.0;
}

/* Prints a double the same way everywhere (locale-free, fixed digits). */
static void num(FILE *out, double x, int digits) {
  if (!isfinite(x))
    fputs(isnan(x) ? "NA" : (x > 0 ? "Inf" : "-Inf"), out);
  else
    fprintf(out, "%.*f", digits, x);
}

/* num() for JSON, which has no Inf or NaN: null (weights are bounded at
 * load, FS_WEIGHT_MAX, so no sum of them reaches infinity; this is the
 * guard should one ever do). */
static void jnum(FILE *out, double x, int digits) {
  if (isfinite(x))
    fprintf(out, "%.*f", digits, x);
  else
    fputs("null", out);
}

/* ---- document variables ------------------------------------------------- */

/* Is name one of the comma-separated columns of own? */
static bool own_column(const char *own, const char *name) {
  size_t n = strlen(name);
  for (const char *p = own; *p;) {
    size_t k = strcspn(p, ",");
    if (k == n && !strncmp(p, name, n))
      return true;
    p += k + (p[k] == ',');
  }
  return false;
}

void fs_csv_var_header(FILE *out, const char *own, const char *const *names,
                       size_t n) {
  for (size_t i = 0; i < n; i++) {
    fputc(',', out);
    if (own_column(own, names[i])) {
      char buf[600];
      snprintf(buf, sizeof buf, "manifest.%s", names[i]);
      csv_str(out, buf);
    } else {
      csv_str(out, names[i]);
    }
  }
}

void fs_csv_vars(FILE *out, const fs_report_item *it, size_t n) {
  for (size_t i = 0; i < n; i++) {
    fputc(',', out);
    if (it->vars && i < it->nvars && it->vars[i])
      csv_str(out, it->vars[i]);
  }
}

/* ---- tidy CSV ----------------------------------------------------------- */

#define REPORT_CSV_COLUMNS                                                     \
  "file,outlet,voice,category,matches,tokens,rate_per_1k,negated,weight_sum"

void fs_render_report_csv_header(FILE *out, const char *const *vars,
                                 size_t nvars) {
  fputs("file,outlet", out);
  fs_csv_var_header(out, REPORT_CSV_COLUMNS, vars, nvars);
  fputs(",voice,category,matches,tokens,rate_per_1k,negated,weight_sum\n",
        out);
}

static size_t unsigned_dec(char *buf, size_t v) {
  if (v < 10) { /* most counts of a short document */
    buf[0] = (char)('0' + v);
    return 1;
  }
  char tmp[24];
  size_t n = 0, o = 0;
  do
    tmp[n++] = (char)('0' + v % 10);
  while ((v /= 10));
  while (n)
    buf[o++] = tmp[--n];
  return o;
}

/* Appends x with 4 decimals (as %.4f, rounding half away from zero) to
 * buf; the per-row printf calls dominated CSV output before. */
static size_t fixed4(char *buf, double x) {
  if (x == 0) { /* most categories of a short document: no llround() */
    memcpy(buf, "0.0000", 6);
    return 6;
  }
  if (!isfinite(x) || fabs(x) >= 1e14) {
    return (size_t)sprintf(buf, "%.4f", x);
  }
  size_t o = 0;
  bool neg = x < 0;
  /* llround's half away from zero without the library call (about 10
   * instructions of a non-zero row's 2): y - its whole part is exact, so
   * the comparison with 0.5 is too, for every y below 1e18 */
  double y = fabs(x) * 10000.0;
  unsigned long long v = (unsigned long long)y;
  v += y - (double)v >= 0.5;
  if (neg && v)
    buf[o++] = '-';
  unsigned f = (unsigned)(v % 10000); /* the decimals, at fixed places */
  o += unsigned_dec(buf + o, (size_t)(v / 10000));
  buf[o] = '.';
  buf[o + 1] = (char)('0' + f / 1000);
  buf[o + 2] = (char)('0' + f / 100 % 10);
  buf[o + 3] = (char)('0' + f / 10 % 10);
  buf[o + 4] = (char)('0' + f % 10);
  return o + 5;
}

/* A category's name from the lexicon (u) or from an array of names (u). */
static const char *lex_cat(const void *u, size_t c) {
  return ((const fs_lexicon *)u)->cats[c].name;
}

static const char *array_cat(const void *u, size_t c) {
  return ((const char *const *)u)[c];
}

/* Does fs_csv_field() write s as it is (printable ASCII, nothing to quote)? */
static bool csv_plain(const char *s, size_t *len) {
  size_t i = 0;
  for (; s[i]; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 || c >= 0x80 || c == ',' || c == '"')
      return false;
  }
  *len = i;
  return true;
}

/* The rows' first fields (file, outlet, variables and the comma after
 * them) when none of them needs escaping, as the escaping path writes
 * them, in a buffer the caller frees: a stream per document cost about
 * 9,000 instructions (most of them clearing its buffer), 0.8% of `report`
 * on 5 KB documents. Returns false, with nothing allocated, when a field
 * needs escaping (or memory ran out: the stream then says so). */
static bool plain_prefix(const fs_report_item *it, char **out, size_t *len) {
  const char *outlet = it->outlet ? it->outlet : "";
  size_t pl, ol, n = 0;
  if (!csv_plain(it->path, &pl) || !csv_plain(outlet, &ol))
    return false;
  n = pl + ol + 2;
  for (size_t i = 0; i < it->nvars; i++) {
    size_t vl = 0;
    if (it->vars && it->vars[i] && !csv_plain(it->vars[i], &vl))
      return false;
    n += 1 + vl;
  }
  char *b = malloc(n + 1);
  if (!b)
    return false;
  size_t o = 0;
  memcpy(b + o, it->path, pl), o += pl;
  b[o++] = ',';
  memcpy(b + o, outlet, ol), o += ol;
  for (size_t i = 0; i < it->nvars; i++) {
    b[o++] = ',';
    if (it->vars && it->vars[i]) {
      size_t vl = strlen(it->vars[i]);
      memcpy(b + o, it->vars[i], vl), o += vl;
    }
  }
  b[o++] = ',';
  b[o] = '\0';
  *out = b;
  *len = o;
  return true;
}

/* The fields every csv row of a document starts with (file, outlet, the
 * manifest's variables) and a comma, escaped once a document: the caller
 * frees it; NULL when out of memory. */
static char *rows_prefix(const fs_report_item *it, size_t *plen) {
  char *prefix = NULL;
  if (plain_prefix(it, &prefix, plen))
    return prefix;
  FILE *pf = open_memstream(&prefix, plen);
  if (!pf)
    return NULL;
  csv_str(pf, it->path);
  fputc(',', pf);
  csv_str(pf, it->outlet ? it->outlet : "");
  fs_csv_vars(pf, it, it->nvars);
  fputc(',', pf);
  if (fclose(pf) != 0) {
    free(prefix);
    return NULL;
  }
  return prefix;
}

/* The first fields of a match or tagged-span row (those of rows_prefix(),
 * without its comma): from prefix when there is one, else escaped here. */
static void match_prefix(FILE *out, const fs_report_item *it,
                         const char *prefix, size_t plen) {
  if (prefix) {
    fwrite(prefix, 1, plen - 1, out);
    return;
  }
  csv_str(out, it->path);
  fputc(',', out);
  csv_str(out, it->outlet ? it->outlet : "");
  fs_csv_vars(out, it, it->nvars);
}

/* The rows of a document with statistics st and ncats categories, named by
 * cat(u, c). */
static void report_csv_rows(FILE *out, const fs_report_item *it,
                            const fs_doc_stats *st, size_t ncats,
                            const char *(*cat)(const void *, size_t),
                            const void *u, int voices) {
  /* the file and outlet fields are the same on every row: escape once */
  size_t plen = 0;
  char *prefix = rows_prefix(it, &plen);
  if (!prefix)
    return;
  /* the rows go out a buffer at a time, not two fwrite() calls a row
   * (about 130 instructions each: 1.3% of `report` on 5 KB documents);
   * ROW_ROOM bytes hold a row after the prefix */
  enum { ROW_ROOM = 1024 };
  char buf[16384];
  size_t o = 0;
  for (int v = 0; v < FS_VOICES; v++) {
    if (!(voices & (1 << v)))
      continue;
    /* per voice once: its name, its word count, and the end of a row with
     * no match (most rows of a short document: matches, negated and weight
     * all 0, so its rate is 0 too), as the general path writes them */
    const char *vname = voice_name(v);
    size_t vl = strlen(vname);
    char words[24], zero[64];
    size_t wl = unsigned_dec(words, st->words[v]), zl = 0;
    memcpy(zero, ",0,", 3), zl = 3;
    memcpy(zero + zl, words, wl), zl += wl;
    memcpy(zero + zl, ",0.0000,0,0.0000\n", 17), zl += 17;
    for (size_t c = 0; c < ncats; c++) {
      size_t at = c * FS_VOICES + (size_t)v;
      const char *name = cat(u, c);
      size_t nl = strlen(name);
      if (o + plen + ROW_ROOM > sizeof buf) {
        fwrite(buf, 1, o, out);
        o = 0;
      }
      if (plen + ROW_ROOM > sizeof buf) /* a long path: as it is */
        fwrite(prefix, 1, plen, out);
      else
        memcpy(buf + o, prefix, plen), o += plen;
      char *row = buf;
      memcpy(row + o, vname, vl);
      o += vl;
      row[o++] = ',';
      if (nl > 200)
        nl = 200; /* category names are short ASCII; never overflow */
      memcpy(row + o, name, nl);
      o += nl;
      if (st->matches[at] == 0 && st->negated[at] == 0 &&
          st->weight[at] == 0) {
        memcpy(row + o, zero, zl);
        o += zl;
        continue;
      }
      row[o++] = ',';
      o += unsigned_dec(row + o, st->matches[at]);
      row[o++] = ',';
      memcpy(row + o, words, wl);
      o += wl;
      row[o++] = ',';
      o += fixed4(row + o, per_1k(st->matches[at], st->words[v]));
      row[o++] = ',';
      o += unsigned_dec(row + o, st->negated[at]);
      row[o++] = ',';
      o += fixed4(row + o, st->weight[at]);
      row[o++] = '\n';
    }
  }
  fwrite(buf, 1, o, out);
  free(prefix);
}

void fs_render_report_csv(FILE *out, const fs_ctx *ctx,
                          const fs_report_item *it, int voices) {
  report_csv_rows(out, it, &it->doc->stats, ctx->lex->ncats, lex_cat, ctx->lex,
                  voices);
}

void fs_render_report_csv_counts(FILE *out, const fs_report_item *it,
                                 const fs_doc_stats *st,
                                 const char *const *cats, int voices) {
  report_csv_rows(out, it, st, st->ncat, array_cat, cats, voices);
}

/* ---- matches CSV -------------------------------------------------------- */

#define MATCHES_CSV_COLUMNS                                                    \
  "byte_start,byte_end,char_start,char_end,line,col,sentence,voice,"          \
  "category,pattern,surface,weight,negated,negator,intensifier,event"

void fs_render_matches_csv_header_with(FILE *out, const char *const *vars,
                                       size_t nvars, int context) {
  fputs("file,outlet", out);
  fs_csv_var_header(out, "file,outlet," MATCHES_CSV_COLUMNS, vars, nvars);
  fputs("," MATCHES_CSV_COLUMNS, out);
  fputs(context ? ",context_prob\n" : "\n", out);
}

void fs_render_matches_csv_header(FILE *out, const char *const *vars,
                                  size_t nvars) {
  fs_render_matches_csv_header_with(out, vars, nvars, 0);
}

/* The bytes at document offset `at` (a window's text starts at
 * text_base). */
static const char *doc_bytes(const fs_doc *d, size_t at) {
  return d->text + (at - d->text_base);
}

static const char *match_pattern(const fs_lexicon *lex, const fs_match *m) {
  return m->entry == FS_NONE ? "\"...\"" : lex->entries[m->entry].pattern;
}

/* The next span of a span tagger from token *k on: a run of tagged tokens
 * in one sentence, [*a, *b) (as eval takes them). False when none is left. */
static bool next_tagged(const fs_doc *d, size_t *k, size_t *a, size_t *b) {
  while (*k < d->ntokens && !d->tok_tag[*k])
    (*k)++;
  if (*k >= d->ntokens)
    return false;
  *a = *k, *b = *k + 1;
  while (*b < d->ntokens && d->tokens[*b].sentence == d->tokens[*a].sentence &&
         d->tok_tag[*b])
    (*b)++;
  *k = *b;
  return true;
}

/* The match rows go out through a buffer, a document's rows at a time:
 * a row's 15-odd fwrite() and fputc() calls (60-130 instructions each)
 * and fprintf() of its weight were most of `report --matches`' cost of
 * writing them. A field that needs escaping goes to fs_csv_field() after
 * the buffer, so the bytes are those of writing each piece in turn. */
typedef struct rowbuf {
  FILE *out;
  size_t o;
  char b[8192];
} rowbuf;

static void rb_flush(rowbuf *r) {
  if (r->o)
    fwrite(r->b, 1, r->o, r->out);
  r->o = 0;
}

/* Room for n more bytes (n <= sizeof r->b). */
static char *rb_room(rowbuf *r, size_t n) {
  if (n > sizeof r->b - r->o)
    rb_flush(r);
  return r->b + r->o;
}

static void rb_put(rowbuf *r, const char *s, size_t n) {
  if (n > sizeof r->b / 2) {
    rb_flush(r);
    fwrite(s, 1, n, r->out);
    return;
  }
  memcpy(rb_room(r, n), s, n);
  r->o += n;
}

static void rb_ch(rowbuf *r, char c) {
  *rb_room(r, 1) = c;
  r->o++;
}

/* fs_csv_field() of s[0..n) */
static void rb_field(rowbuf *r, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 || c >= 0x80 || c == ',' || c == '"') {
      rb_flush(r);
      fs_csv_field(r->out, s, n);
      return;
    }
  }
  rb_put(r, s, n); /* printable ASCII, nothing to quote: as it is */
}

/* The lengths of the category names and patterns a document's match rows
 * wrote as they are (printable ASCII without ',' or '"': most), by the
 * string's address: the rows repeat them, and each was scanned byte by
 * byte for every row. The lexicon does not change while a document's rows
 * are written. */
#define RB_SEEN 128
typedef struct rb_seen {
  const char *s[RB_SEEN];
  size_t n[RB_SEEN];
} rb_seen;

/* rb_field() of the string s, whose length a row before found (in seen),
 * or found in one pass (no strlen() first) and noted when s is written as
 * it is. */
static void rb_str_seen(rowbuf *r, rb_seen *seen, const char *s) {
  size_t h = ((uintptr_t)s >> 3 ^ (uintptr_t)s >> 10) % RB_SEEN;
  if (seen->s[h] == s) {
    rb_put(r, s, seen->n[h]);
    return;
  }
  size_t n = 0;
  for (unsigned char c; (c = (unsigned char)s[n]) != 0; n++)
    if (c < 0x20 || c >= 0x80 || c == ',' || c == '"') {
      rb_flush(r);
      fs_csv_field(r->out, s, strlen(s));
      return;
    }
  seen->s[h] = s, seen->n[h] = n;
  rb_put(r, s, n);
}

/* num(x, 4) as fprintf's "%.4f" writes a finite x. When |x| * 10000
 * rounds to a whole number V below 1e15, x's exact value is within
 * V 2^-53 of V / 10000, far nearer than half a unit of the fourth
 * decimal, so "%.4f" writes V / 10000: the weights of lexicon entries
 * (0, 0.5, 1.5, 2); any other value is formatted by snprintf(). */
static void rb_num4(rowbuf *r, double x) {
  double y = fabs(x) * 10000.0;
  if (!isfinite(x)) {
    rb_flush(r);
    num(r->out, x, 4);
    return;
  }
  char *p = rb_room(r, 64);
  if (x == 0) { /* "%.4f" keeps the sign of -0 */
    size_t o = signbit(x) ? 1 : 0;
    memcpy(p, &"-0.0000"[1 - o], 6 + o);
    r->o += 6 + o;
    return;
  }
  if (y >= 1 && y < 1e15 && y == floor(y)) {
    r->o += fixed4(p, x); /* no rounding to do: the same digits */
    return;
  }
  int n = snprintf(p, 64, "%.4f", x);
  if (n > 0 && n < 64)
    r->o += (size_t)n;
  else { /* longer than the room left (|x| of 1e59 and more) */
    rb_flush(r);
    fprintf(r->out, "%.4f", x);
  }
}

/* ",v" for each of the n values, as fprintf's %u and %zu write them (the
 * match rows' fprintf was most of the cost of `report --matches`), two
 * digits at a time. */
static void rb_uints(rowbuf *r, const uint64_t *v, size_t n) {
  static const char dig2[] = "00010203040506070809101112131415161718192021222324"
                             "25262728293031323334353637383940414243444546474849"
                             "50515253545556575859606162636465666768697071727374"
                             "75767778798081828384858687888990919293949596979899";
  /* each number's length first, then its digits written in place from
   * its end (copied from a buffer, the copy was a call to memcpy, or, 16
   * bytes at a time, a load of bytes just stored, a stall) */
  static const uint64_t p10[20] = {
      UINT64_C(1),                     UINT64_C(10),
      UINT64_C(100),                   UINT64_C(1000),
      UINT64_C(10000),                 UINT64_C(100000),
      UINT64_C(1000000),               UINT64_C(10000000),
      UINT64_C(100000000),             UINT64_C(1000000000),
      UINT64_C(10000000000),           UINT64_C(100000000000),
      UINT64_C(1000000000000),         UINT64_C(10000000000000),
      UINT64_C(100000000000000),       UINT64_C(1000000000000000),
      UINT64_C(10000000000000000),     UINT64_C(100000000000000000),
      UINT64_C(1000000000000000000),   UINT64_C(10000000000000000000)};
  char *p = rb_room(r, 8 * 21), *p0 = p;
  for (size_t i = 0; i < n && i < 8; i++) {
    uint64_t x = v[i];
    /* t: log10 of 2^bits (1233 / 4096 ~ log10 2), the length t + 1 or t */
    size_t t = (size_t)(64 - __builtin_clzll(x | 1)) * 1233 >> 12;
    size_t len = t + 1 - ((x | 1) < p10[t]);
    *p++ = ',';
    char *q = p + len;
    for (; x >= 100; x /= 100)
      q -= 2, memcpy(q, dig2 + 2 * (x % 100), 2);
    if (x >= 10)
      q -= 2, memcpy(q, dig2 + 2 * x, 2);
    else
      *--q = (char)('0' + x);
    p += len;
  }
  r->o += (size_t)(p - p0);
}

/* The first fields of a match or tagged-span row (those of rows_prefix(),
 * without its comma): from prefix when there is one, else escaped here. */
static void rb_prefix(rowbuf *r, const fs_report_item *it, const char *prefix,
                      size_t plen) {
  if (prefix) {
    rb_put(r, prefix, plen - 1);
    return;
  }
  rb_flush(r);
  match_prefix(r->out, it, NULL, 0);
}

/* A match's or tagged span's position columns, from its first and last
 * tokens a and b: ",byte_start,byte_end,char_start,char_end,line,col,
 * sentence,voice,"; *line: where to look for a's line from (the last
 * row's, fs_tok_line_at). */
static void csv_position(rowbuf *r, const fs_doc *d, uint32_t a, uint32_t b,
                         int voice, size_t *line) {
  const fs_tok *ta = &d->tokens[a], *tb = &d->tokens[b];
  const fs_line_mark *lm = fs_tok_line_at(d, a, line);
  const uint64_t v[7] = {ta->byte_start,
                         tb->byte_end,
                         ta->char_start,
                         fs_tok_char_end(d, tb),
                         lm->line,
                         ta->char_start - lm->char_start + 1,
                         (uint64_t)ta->sentence + 1};
  rb_uints(r, v, 7);
  if (voice == FS_VOICE_QUOTE)
    rb_put(r, ",quote,", 7);
  else
    rb_put(r, ",author,", 8);
}

/* --tagger: a row per tagged span, category "tagger", after the matches */
static void tagged_csv(FILE *out, const fs_report_item *it) {
  const fs_doc *d = it->doc;
  size_t a, b, plen = 0, line = 0;
  char *prefix = NULL;
  rowbuf r;
  r.out = out, r.o = 0;
  for (size_t k = 0; d->tok_tag && next_tagged(d, &k, &a, &b);) {
    const fs_tok *ta = &d->tokens[a], *tb = &d->tokens[b - 1];
    if (!prefix)
      prefix = rows_prefix(it, &plen);
    rb_prefix(&r, it, prefix, plen);
    csv_position(&r, d, (uint32_t)a, (uint32_t)(b - 1), ta->voice, &line);
    rb_put(&r, "tagger,,", 8);
    rb_field(&r, doc_bytes(d, ta->byte_start), tb->byte_end - ta->byte_start);
    rb_put(&r, ",,0,,,0", 7);
    if (d->ctx_prob)
      rb_put(&r, ",\n", 2);
    else
      rb_ch(&r, '\n');
  }
  rb_flush(&r);
  free(prefix);
}

void fs_render_tagged_csv(FILE *out, const fs_report_item *it) {
  tagged_csv(out, it);
}

void fs_render_matches_csv(FILE *out, const fs_ctx *ctx,
                           const fs_report_item *it) {
  fs_render_lexicon_matches_csv(out, ctx, it);
  tagged_csv(out, it);
}

/* ",v" of a match's flag (negated, event): one digit but for a value above
 * 9, which rb_uints() writes (its lengths and table, ~60 instructions a
 * number, for a 0 or 1). */
static void rb_flag(rowbuf *r, unsigned v) {
  if (v > 9) {
    rb_uints(r, (const uint64_t[]){v}, 1);
    return;
  }
  char *p = rb_room(r, 2);
  p[0] = ',', p[1] = (char)('0' + v);
  r->o += 2;
}

/* A token's text as a csv field (none: nothing). */
static void rb_token(rowbuf *r, const fs_doc *d, uint32_t k) {
  if (k == FS_NONE)
    return;
  const fs_tok *t = &d->tokens[k];
  rb_field(r, doc_bytes(d, t->byte_start), t->byte_end - t->byte_start);
}

void fs_render_lexicon_matches_csv(FILE *out, const fs_ctx *ctx,
                                   const fs_report_item *it) {
  const fs_doc *d = it->doc;
  const fs_lexicon *lex = ctx->lex;
  size_t plen = 0, line = 0;
  char *prefix = d->nmatches ? rows_prefix(it, &plen) : NULL;
  rowbuf r;
  r.out = out, r.o = 0;
  rb_seen seen;
  if (d->nmatches)
    memset(seen.s, 0, sizeof seen.s);
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    const fs_tok *a = &d->tokens[m->tok_start];
    const fs_tok *b = &d->tokens[m->tok_end - 1];
    rb_prefix(&r, it, prefix, plen);
    csv_position(&r, d, m->tok_start, m->tok_end - 1, m->voice, &line);
    rb_str_seen(&r, &seen, lex->cats[m->category].name);
    rb_ch(&r, ',');
    rb_str_seen(&r, &seen, match_pattern(lex, m));
    rb_ch(&r, ',');
    rb_field(&r, doc_bytes(d, a->byte_start), b->byte_end - a->byte_start);
    rb_ch(&r, ',');
    rb_num4(&r, m->weight);
    rb_flag(&r, m->negated);
    rb_ch(&r, ',');
    rb_token(&r, d, m->negator);
    rb_ch(&r, ',');
    rb_token(&r, d, m->intensifier);
    rb_flag(&r, m->event);
    if (d->ctx_prob) {
      char *p = rb_room(&r, 64);
      int n = snprintf(p, 64, ",%.4f", d->ctx_prob[i]);
      if (n > 0 && n < 64)
        r.o += (size_t)n;
      else {
        rb_flush(&r);
        fprintf(out, ",%.4f", d->ctx_prob[i]);
      }
    }
    rb_ch(&r, '\n');
  }
  rb_flush(&r);
  free(prefix);
}

/* ---- JSONL -------------------------------------------------------------- */

#define JSONL_MEMBERS                                                          \
  "file,outlet,words,author_words,quote_words,quote_share,sentences,"         \
  "paragraphs,quotations,scare_quotes,invalid_utf8,nul_bytes,loaded_score,"   \
  "categories,matches,tagger_spans,dimensions"

/* The members up to the matches: the document, its manifest variables and
 * its totals. */
static void jsonl_head(FILE *out, const fs_ctx *ctx, const fs_report_item *it) {
  const fs_lexicon *lex = ctx->lex;
  const fs_doc *d = it->doc;
  const fs_doc_stats *st = &d->stats;
  size_t words = st->words[0] + st->words[1];
  fputs("{\"file\":", out);
  fs_json_string(out, it->path, strlen(it->path));
  fputs(",\"outlet\":", out);
  fs_json_string(out, it->outlet ? it->outlet : "",
                 it->outlet ? strlen(it->outlet) : 0);
  for (size_t i = 0; it->var_names && i < it->nvars; i++) {
    const char *name = it->var_names[i];
    fputc(',', out);
    if (own_column(JSONL_MEMBERS, name)) {
      char buf[600];
      snprintf(buf, sizeof buf, "manifest.%s", name);
      fs_json_string(out, buf, strlen(buf));
    } else {
      fs_json_string(out, name, strlen(name));
    }
    fputc(':', out);
    const char *v = it->vars && it->vars[i] ? it->vars[i] : "";
    fs_json_string(out, v, strlen(v));
  }
  fprintf(out,
          ",\"words\":%zu,\"author_words\":%zu,\"quote_words\":%zu,"
          "\"quote_share\":",
          words, st->words[0], st->words[1]);
  jnum(out, words ? (double)st->words[1] / (double)words : 0.0, 4);
  fprintf(out,
          ",\"sentences\":%zu,\"paragraphs\":%zu,\"quotations\":%zu,"
          "\"scare_quotes\":%zu,\"invalid_utf8\":%zu,\"nul_bytes\":%zu,"
          "\"loaded_score\":",
          st->sentences, st->paragraphs, st->quotes, st->scare_quotes,
          st->invalid_utf8, st->nul_bytes);
  jnum(out, st->loaded_score, 4);
  fputs(",\"categories\":{", out);
  bool first = true;
  for (size_t c = 0; c < lex->ncats; c++) {
    size_t a = c * FS_VOICES, q = a + 1;
    if (!st->matches[a] && !st->matches[q])
      continue;
    fprintf(out, "%s", first ? "" : ",");
    first = false;
    fs_json_string(out, lex->cats[c].name, strlen(lex->cats[c].name));
    fprintf(out, ":{\"author\":%zu,\"quote\":%zu,\"author_per_1k\":",
            st->matches[a], st->matches[q]);
    jnum(out, per_1k(st->matches[a], st->words[0]), 4);
    fprintf(out, ",\"negated\":%zu}", st->negated[a] + st->negated[q]);
  }
  fputc('}', out);
}

void fs_render_report_jsonl_matches(FILE *out, const fs_ctx *ctx,
                                    const fs_doc *d, size_t first) {
  const fs_lexicon *lex = ctx->lex;
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    const fs_tok *a = &d->tokens[m->tok_start];
    const fs_tok *b = &d->tokens[m->tok_end - 1];
    fprintf(out,
            "%s{\"line\":%u,\"col\":%u,\"char_start\":%u,\"char_end\":%zu,"
            "\"voice\":\"%s\",\"category\":",
            i + first ? "," : "", fs_tok_line(d, m->tok_start),
            fs_tok_col(d, m->tok_start), a->char_start, fs_tok_char_end(d, b),
            voice_name(m->voice));
    const char *cat = lex->cats[m->category].name;
    fs_json_string(out, cat, strlen(cat));
    fputs(",\"surface\":", out);
    fs_json_string(out, doc_bytes(d, a->byte_start),
                   b->byte_end - a->byte_start);
    fprintf(out, ",\"negated\":%s}", m->negated ? "true" : "false");
  }
}

size_t fs_render_report_jsonl_tagged(FILE *out, const fs_doc *d,
                                     size_t first) {
  size_t a, b, n = 0;
  for (size_t k = 0; d->tok_tag && next_tagged(d, &k, &a, &b); n++) {
    const fs_tok *ta = &d->tokens[a], *tb = &d->tokens[b - 1];
    fprintf(out,
            "%s{\"line\":%u,\"col\":%u,\"char_start\":%u,\"char_end\":%zu,"
            "\"voice\":\"%s\",\"surface\":",
            n + first ? "," : "", fs_tok_line(d, a), fs_tok_col(d, a),
            ta->char_start, fs_tok_char_end(d, tb), voice_name(ta->voice));
    fs_json_string(out, doc_bytes(d, ta->byte_start),
                   tb->byte_end - ta->byte_start);
    fputc('}', out);
  }
  return n;
}

/* Copies the rest of spool from its start to out. */
static int copy_spool(FILE *spool, FILE *out) {
  if (fflush(spool) || fseeko(spool, 0, SEEK_SET))
    return FS_ERR_IO;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, spool)) > 0)
    fwrite(buf, 1, n, out);
  return ferror(spool) ? FS_ERR_IO : FS_OK;
}

/* The members after the matches: the tagger's spans (from the document's
 * tags, or the spool `tagged` of a long document's windows) and the
 * dimensions. */
static int jsonl_tail(FILE *out, const fs_report_item *it, int with_matches,
                      FILE *tagged) {
  const fs_doc *d = it->doc;
  if (with_matches && (d->tok_tag || tagged)) { /* --tagger: its spans */
    fputs(",\"tagger_spans\":[", out);
    if (tagged && copy_spool(tagged, out))
      return FS_ERR_IO;
    fs_render_report_jsonl_tagged(out, d, 0);
    fputc(']', out);
  }
  if (it->dims) { /* framing dimensions: value per dimension, null if none */
    const fs_model *m = it->dims->model;
    fputs(",\"dimensions\":{", out);
    for (size_t i = 0, k = 0; i < m->ndims; i++) {
      if (!m->dims[i].active)
        continue;
      fprintf(out, "%s", k++ ? "," : "");
      fs_json_string(out, m->dims[i].name, strlen(m->dims[i].name));
      fputc(':', out);
      if (isfinite(it->dims->v[i].value))
        jnum(out, it->dims->v[i].value, 4);
      else
        fputs("null", out);
    }
    fputc('}', out);
  }
  fputs("}\n", out);
  return FS_OK;
}

void fs_render_report_jsonl(FILE *out, const fs_ctx *ctx,
                            const fs_report_item *it, int with_matches) {
  jsonl_head(out, ctx, it);
  if (with_matches) {
    fputs(",\"matches\":[", out);
    fs_render_report_jsonl_matches(out, ctx, it->doc, 0);
    fputc(']', out);
  }
  jsonl_tail(out, it, with_matches, NULL);
}

int fs_render_report_jsonl_spooled(FILE *out, const fs_ctx *ctx,
                                   const fs_report_item *it, FILE *matches) {
  return fs_render_report_jsonl_spooled_tagged(out, ctx, it, matches, NULL);
}

int fs_render_report_jsonl_spooled_tagged(FILE *out, const fs_ctx *ctx,
                                          const fs_report_item *it,
                                          FILE *matches, FILE *tagged) {
  jsonl_head(out, ctx, it);
  fputs(",\"matches\":[", out);
  if (copy_spool(matches, out))
    return FS_ERR_IO;
  fputc(']', out);
  return jsonl_tail(out, it, 1, tagged);
}

/* ---- text --------------------------------------------------------------- */

typedef struct paint {
  const char *bold, *dim, *hi, *quote, *off;
} paint;

static paint paints(int color) {
  paint p = {"", "", "", "", ""};
  if (color) {
    p.bold = "\033[1m";
    p.dim = "\033[2m";
    p.hi = "\033[1;31m";
    p.quote = "\033[36m";
    p.off = "\033[0m";
  }
  return p;
}

/* Writes the match with a few tokens of context on one line. */
static void snippet(FILE *out, const fs_doc *d, const fs_match *m,
                    const paint *p) {
  uint32_t para = fs_tok_para(d, &d->tokens[m->tok_start]);
  uint32_t a = m->tok_start, b = m->tok_end;
  for (int i = 0; i < CONTEXT_TOKENS && a > 0 &&
                  fs_tok_para(d, &d->tokens[a - 1]) == para;
       i++)
    a--;
  for (int i = 0; i < CONTEXT_TOKENS && b < d->ntokens &&
                  fs_tok_para(d, &d->tokens[b]) == para;
       i++)
    b++;
  char buf[1024];
  /* offsets are the document's; a window's text starts at text_base */
  size_t s0 = d->tokens[a].byte_start - d->text_base;
  size_t s1 = d->tokens[m->tok_start].byte_start - d->text_base;
  size_t s2 = d->tokens[m->tok_end - 1].byte_end - d->text_base;
  size_t s3 = d->tokens[b - 1].byte_end - d->text_base;
  fputs(a > 0 && fs_tok_para(d, &d->tokens[a - 1]) == para ? "..." : "", out);
  fs_text_clean(buf, sizeof buf, d->text + s0, s1 - s0);
  fputs(buf, out);
  fs_text_clean(buf, sizeof buf, d->text + s1, s2 - s1);
  fprintf(out, "%s[%s]%s", p->hi, buf, p->off);
  fs_text_clean(buf, sizeof buf, d->text + s2, s3 - s2);
  fputs(buf, out);
  fputs(b < d->ntokens && fs_tok_para(d, &d->tokens[b]) == para ? "..." : "", out);
}

/* The match lines of a document's section: d's matches (a window's, of a
 * long document). */
static void doc_matches(FILE *out, const fs_ctx *ctx, const fs_doc *d,
                        const paint *p) {
  const fs_lexicon *lex = ctx->lex;
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    char lc[32];
    snprintf(lc, sizeof lc, "%u:%u", fs_tok_line(d, m->tok_start),
             fs_tok_col(d, m->tok_start));
    fprintf(out, "  %8s %s%-6s%s %-28s %3s ", lc,
            m->voice == FS_VOICE_QUOTE ? p->quote : "", voice_name(m->voice),
            p->off, lex->cats[m->category].name,
            m->negated ? "NEG"
            : m->event ? "EVT"
                       : "");
    snippet(out, d, m, p);
    fputc('\n', out);
  }
}

/* A document's section up to its match lines, from its totals; false when
 * it has no matches (no lines follow). */
static bool doc_head(FILE *out, const fs_ctx *ctx, const fs_report_item *it,
                     const paint *p) {
  const fs_lexicon *lex = ctx->lex;
  const fs_doc *d = it->doc;
  const fs_doc_stats *st = &d->stats;
  size_t words = st->words[0] + st->words[1];
  fprintf(out, "\n%s== %s%s%s%s%s\n", p->bold, it->path,
          it->outlet && *it->outlet ? "  [" : "",
          it->outlet ? it->outlet : "", it->outlet && *it->outlet ? "]" : "",
          p->off);
  if (lex->nlangs > 1) /* a mixed corpus: which language this one was */
    fprintf(out, "  language: %s\n", d->lang);
  fprintf(out,
          "  %zu words: %zu author voice, %zu quoted (%.1f%%); %zu "
          "sentences; %zu paragraphs; %zu quotations; %zu scare quotes\n",
          words, st->words[0], st->words[1],
          words ? 100.0 * (double)st->words[1] / (double)words : 0.0,
          st->sentences, st->paragraphs, st->quotes, st->scare_quotes);
  if (st->invalid_utf8 || st->nul_bytes || st->bom)
    fprintf(out,
            "  note: %zu invalid UTF-8 sequences replaced, %zu NUL bytes, "
            "%s\n",
            st->invalid_utf8, st->nul_bytes,
            st->bom ? "UTF-8 BOM skipped" : "no BOM");
  fprintf(out,
          "  %sloaded-language score %.2f%s per 1,000 words (quoted speech "
          "at %g)\n",
          p->bold, st->loaded_score, p->off, fs_lexicon_quote_weight(lex));
  bool any = false;
  for (size_t c = 0; c < lex->ncats; c++) {
    size_t a = c * FS_VOICES;
    if (!st->matches[a] && !st->matches[a + 1])
      continue;
    if (!any)
      fprintf(out, "  %-30s %6s %6s %10s %8s\n", "category", "author",
              "quote", "author/1k", "negated");
    any = true;
    fprintf(out, "  %-30s %6zu %6zu %10.2f %8zu\n", lex->cats[c].name,
            st->matches[a], st->matches[a + 1],
            per_1k(st->matches[a], st->words[0]),
            st->negated[a] + st->negated[a + 1]);
  }
  if (!any) {
    fputs("  no lexicon matches\n", out);
    return false;
  }
  fputs("  matches (line:col, voice, category, context):\n", out);
  return true;
}

static void doc_text(FILE *out, const fs_ctx *ctx, const fs_report_item *it,
                     const paint *p) {
  if (doc_head(out, ctx, it, p))
    doc_matches(out, ctx, it->doc, p);
}

static int cmp_score(const void *a, const void *b) {
  const fs_report_summary *x = *(fs_report_summary *const *)a;
  const fs_report_summary *y = *(fs_report_summary *const *)b;
  if (x->score != y->score)
    return x->score < y->score ? 1 : -1;
  return strcmp(x->path, y->path);
}

void fs_report_summarize(const fs_report_item *it, fs_report_summary *s) {
  const fs_doc_stats *st = &it->doc->stats;
  *s = (fs_report_summary){it->path, it->outlet, st->loaded_score,
                           {st->words[0], st->words[1]}, 0, 0};
}

void fs_render_report_text_doc(FILE *out, const fs_ctx *ctx,
                               const fs_report_item *it, int color) {
  paint p = paints(color);
  doc_text(out, ctx, it, &p);
}

void fs_render_report_text_matches(FILE *out, const fs_ctx *ctx,
                                   const fs_doc *doc, int color) {
  paint p = paints(color);
  doc_matches(out, ctx, doc, &p);
}

int fs_render_report_text_doc_spooled(FILE *out, const fs_ctx *ctx,
                                      const fs_report_item *it, FILE *matches,
                                      int color) {
  paint p = paints(color);
  if (!doc_head(out, ctx, it, &p))
    return FS_OK;
  if (fflush(matches) || fseeko(matches, 0, SEEK_SET))
    return FS_ERR_IO;
  char buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, matches)) > 0)
    fwrite(buf, 1, n, out);
  return ferror(matches) ? FS_ERR_IO : FS_OK;
}

/* The header and the ranking; returns the documents in ranked order
 * (malloc'd), NULL when out of memory. */
static const fs_report_summary **ranking(FILE *out, const fs_lexicon *lex,
                                         const fs_report_summary *s,
                                         size_t n, const paint *p) {
  size_t nentries = 0;
  for (size_t i = 0; i < lex->nentries; i++)
    nentries += lex->entries[i].active;
  const fs_report_summary **rank = malloc((n ? n : 1) * sizeof *rank);
  if (!rank)
    return NULL;
  for (size_t i = 0; i < n; i++)
    rank[i] = &s[i];
  qsort(rank, n, sizeof *rank, cmp_score);
  fprintf(out,
          "%sframescore %s report%s: %zu documents; lexicons: %zu entries in "
          "%zu categories (%s)\n",
          p->bold, FS_VERSION, p->off, n, nentries, lex->ncats, lex->lang);
  fprintf(out, "\nLoaded language, highest first\n");
  fprintf(out, "  %4s %9s %12s %9s  %s\n", "rank", "score/1k", "author words",
          "quoted", "document");
  for (size_t i = 0; i < n; i++) {
    const fs_report_summary *r = rank[i];
    size_t words = r->words[0] + r->words[1];
    fprintf(out, "  %4zu %9.2f %12zu %8.1f%%  %s%s%s%s\n", i + 1, r->score,
            r->words[0],
            words ? 100.0 * (double)r->words[1] / (double)words : 0.0,
            r->path, r->outlet && *r->outlet ? "  [" : "",
            r->outlet ? r->outlet : "",
            r->outlet && *r->outlet ? "]" : "");
  }
  fprintf(out,
          "  score: summed weights of matches in loaded.*, label.*, "
          "attribution.*, evidence.*\n  and scare quotes per 1,000 words: "
          "the outlet's own voice at 1, quoted speech\n  at %g of its "
          "matches and words (--quote-weight; 0: the own voice only).\n",
          fs_lexicon_quote_weight(lex));
  return rank;
}

int fs_render_report_text(FILE *out, const fs_ctx *ctx,
                          const fs_report_item *items, size_t n, int color) {
  paint p = paints(color);
  size_t ok = 0;
  fs_report_summary *s = calloc(n ? n : 1, sizeof *s);
  const fs_report_item **by = malloc((n ? n : 1) * sizeof *by);
  if (!s || !by) {
    free(s), free(by);
    return FS_ERR_NOMEM;
  }
  for (size_t i = 0; i < n; i++)
    if (items[i].doc) {
      fs_report_summarize(&items[i], &s[ok]);
      by[ok++] = &items[i];
    }
  const fs_report_summary **rank = ranking(out, ctx->lex, s, ok, &p);
  for (size_t i = 0; rank && i < ok; i++)
    doc_text(out, ctx, by[rank[i] - s], &p);
  int rc = rank ? FS_OK : FS_ERR_NOMEM;
  free(rank), free(s), free(by);
  return rc;
}

int fs_render_report_text_spooled(FILE *out, const fs_lexicon *lex,
                                  const fs_report_summary *s, size_t n,
                                  FILE *spool, int color) {
  paint p = paints(color);
  const fs_report_summary **rank = ranking(out, lex, s, n, &p);
  if (!rank)
    return FS_ERR_NOMEM;
  int rc = fflush(spool) ? FS_ERR_IO : FS_OK;
  char buf[1 << 16];
  for (size_t i = 0; rc == FS_OK && i < n; i++) {
    if (fseeko(spool, (off_t)rank[i]->off, SEEK_SET)) {
      rc = FS_ERR_IO;
      break;
    }
    for (size_t left = rank[i]->len; left > 0;) {
      size_t k = left < sizeof buf ? left : sizeof buf;
      if (fread(buf, 1, k, spool) != k) {
        rc = FS_ERR_IO;
        break;
      }
      fwrite(buf, 1, k, out);
      left -= k;
    }
  }
  free(rank);
  return rc;
}
