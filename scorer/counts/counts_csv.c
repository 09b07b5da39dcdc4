/* SPDX-License-Identifier: GPL-3.0-or-later */
/* counts_csv.c - the per-document counts file: the mergeable intermediate
 * between counting and statistics.
 *
 * `compare --save-counts` writes, for every document, one CSV row per
 * measure; `compare --counts FILE...` reads one or more such files back
 * and runs the statistics on them without the texts, so partial results
 * from many machines (or many runs) merge by listing their files. Numbers
 * are written with 17 significant digits and read back exactly: the
 * statistics from the files are the statistics from the documents.
 *
 * After a document's measures, when the compare kept its entry counts
 * (compare_distinct.c): a row of kind `entries` (count: how many entry
 * rows follow; den: the author-voice words), then one row of kind `entry`
 * per entry the document uses (measure `entry:SLOT`, scale: its weight,
 * count: its author-voice matches, den: the author-voice words). Files
 * without them are still read; they give no distinctive_score.
 *
 * Under voice author, after the measures, a row of kind `setting`, measure
 * `quote_weight` (count: the weight W of quoted speech in loaded_score,
 * as the binary counts format 4 keeps it): documents of other weights do
 * not merge. Files written before it (sessions up to 27) are still read,
 * with the weight unknown, but not merged with files that have it. */
#include "compare.h"
#include "internal.h"
#include "utf8.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const columns[] = {"file",  "outlet", "voice", "measure",
                                      "kind",  "scale",  "token_tests",
                                      "words", "count",  "den"};
enum { C_FILE, C_OUTLET, C_VOICE, C_MEASURE, C_KIND, C_SCALE, C_TOKEN,
       C_WORDS, C_COUNT, C_DEN, NCOLS };

static const char *const kinds[] = {"category", "family", "score",
                                    "dimension"};

static void number(FILE *out, double x) { fprintf(out, ",%.17g", x); }

/* The document's entry rows, from its entries at *p (moved past them). */
static void write_entries(FILE *out, const fs_compare *c, size_t d,
                          const unsigned char **p) {
  const fs_compare_doc *cd = &c->docs[d];
  const char *file =
      fs_compare_doc_file(c, d) ? fs_compare_doc_file(c, d) : "";
  double words = fs_compare_doc_words(c, d);
  const char *voice = c->voice == FS_VOICES ? "all" : fs_voice_name(c->voice);
  double author = (double)fs_varint_decode(p);
  uint64_t k = fs_varint_decode(p);
  fs_csv_field(out, file, strlen(file));
  fputc(',', out);
  fs_csv_field(out, c->outlets[cd->outlet], strlen(c->outlets[cd->outlet]));
  fprintf(out, ",%s,entries,entries", voice);
  number(out, 1);
  fputs(",0", out);
  number(out, words);
  number(out, (double)k);
  number(out, author);
  fputc('\n', out);
  for (uint64_t i = 0, slot = 0; i < k; i++, slot++) {
    slot += fs_varint_decode(p);
    uint64_t n = fs_varint_decode(p);
    fs_csv_field(out, file, strlen(file));
    fputc(',', out);
    fs_csv_field(out, c->outlets[cd->outlet], strlen(c->outlets[cd->outlet]));
    fprintf(out, ",%s,entry:%llu,entry", voice, (unsigned long long)slot);
    number(out, c->slot_weight[slot]);
    fputs(",0", out);
    number(out, words);
    number(out, (double)n);
    number(out, author);
    fputc('\n', out);
  }
}

int fs_compare_write_counts(FILE *out, const fs_compare *c) {
  const unsigned char *p = c->ent;
  for (size_t i = 0; i < NCOLS; i++)
    fprintf(out, "%s%s", i ? "," : "", columns[i]);
  fputc('\n', out);
  for (size_t d = 0; d < c->ndocs; d++) {
    const fs_compare_doc *cd = &c->docs[d];
    const char *file =
        fs_compare_doc_file(c, d) ? fs_compare_doc_file(c, d) : "";
    double words = fs_compare_doc_words(c, d);
    for (size_t k = 0; k < c->nmeasures; k++) {
      const fs_measure *m = &c->measures[k];
      fs_csv_field(out, file, strlen(file));
      fputc(',', out);
      fs_csv_field(out, c->outlets[cd->outlet], strlen(c->outlets[cd->outlet]));
      fprintf(out, ",%s,",
              c->voice == FS_VOICES ? "all" : fs_voice_name(c->voice));
      fs_csv_field(out, m->name, strlen(m->name));
      fprintf(out, ",%s", kinds[m->kind]);
      number(out, m->scale);
      fprintf(out, ",%d", m->counts ? 1 : 0);
      number(out, words);
      number(out, fs_compare_count(c, d, k));
      number(out, fs_compare_den(c, d, k));
      fputc('\n', out);
    }
    if (c->voice == FS_VOICE_AUTHOR && isfinite(c->quote_weight)) {
      fs_csv_field(out, file, strlen(file));
      fputc(',', out);
      fs_csv_field(out, c->outlets[cd->outlet],
                   strlen(c->outlets[cd->outlet]));
      fputs(",author,quote_weight,setting", out);
      number(out, 1);
      fputs(",0", out);
      number(out, words);
      number(out, c->quote_weight);
      number(out, words);
      fputc('\n', out);
    }
    if (c->entries && c->ent_docs == c->ndocs)
      write_entries(out, c, d, &p);
  }
  return ferror(out) ? FS_ERR_IO : FS_OK;
}

/* ---- reading --------------------------------------------------------------- */

typedef struct reader {
  fs_compare *c;
  const char *file;
  fs_intern *seen;    /* document names read so far (all files) */
  bool have_measures; /* c->measures came from an earlier document */
  bool open;          /* a document is being read: */
  uint32_t outlet;
  double words;
  double *counts, *den; /* per measure so far */
  size_t k;             /* its next measure */
  size_t counts_cap, den_cap;
  char *doc_name;
  /* its entry rows: expected (-1: no `entries` row), author-voice words,
   * (slot, matches) pairs so far */
  long ent_expect;
  double ent_author;
  double qw; /* its quote_weight row's weight, NaN without one */
  uint32_t *ent;
  size_t nent, ent_cap;
  /* the bytes of the record being read (NULL: none), for error places */
  const char *raw;
  size_t rawlen;
} reader;

static int parse_number(const char *s, double *x) {
  char *end;
  errno = 0;
  *x = strtod(s, &end);
  return *s && !*end && errno != ERANGE && isfinite(*x) ? 0 : -1;
}

/* The line and column (in code points) where field i of the record starts,
 * found in the record's bytes (r->raw) as fs_csv_read_record read them: a
 * quoted field before it may hold line breaks and doubled quotes, or be
 * quoted without need. */
static void field_place(const reader *r, const fs_csv_record *rec, size_t i,
                        long *line, long *col) {
  const char *d = r->raw;
  size_t n = r->rawlen, p = 0, from = 0; /* from: where its line starts */
  *line = rec->line;
  for (size_t k = 0; k < i && p < n; k++) {
    if (d[p] == '"')
      for (p++; p < n; p++) {
        if (d[p] == '"' && !(p + 1 < n && d[p + 1] == '"'))
          break;
        if (d[p] == '"')
          p++; /* a doubled quote */
        else if (d[p] == '\n')
          (*line)++, from = p + 1;
      }
    while (p < n && d[p] != ',' && d[p] != '\n' && d[p] != '\r')
      p++; /* the unquoted field, or the closing quote */
    if (p < n && d[p] == ',')
      p++;
  }
  *col = 1;
  for (size_t k = from; k < p && k < n; k++)
    *col += ((unsigned char)d[k] & 0xC0) != 0x80;
}

static int bad(reader *r, const fs_csv_record *rec, size_t i,
               fs_error *err, const char *what) {
  long line = rec->line, col = 1;
  if (r->raw)
    field_place(r, rec, i, &line, &col);
  return fs_error_set(err, FS_ERR_INPUT, r->file, line, col, "%s", what);
}

/* Closes the document being read: checks it has every measure and keeps
 * it. */
static int finish_doc(reader *r, const fs_csv_record *rec, fs_error *err) {
  fs_compare *c = r->c;
  if (!r->open)
    return FS_OK;
  r->open = false;
  if (r->k != c->nmeasures) {
    free(r->doc_name);
    r->doc_name = NULL;
    return fs_error_set(err, FS_ERR_INPUT, r->file, rec ? rec->line : 0, 1,
                        "document has %zu of the %zu measures",
                        r->k, c->nmeasures);
  }
  /* the first document sets the quote weight (NaN: none recorded); every
   * other must have the same */
  if (!r->have_measures)
    c->quote_weight = r->qw;
  else if (!(r->qw == c->quote_weight ||
             (isnan(r->qw) && isnan(c->quote_weight)))) {
    free(r->doc_name);
    r->doc_name = NULL;
    if (isnan(r->qw) || isnan(c->quote_weight))
      return fs_error_set(
          err, FS_ERR_INPUT, r->file, rec ? rec->line : 0, 1,
          "%s: counts of different versions do not merge (write them "
          "again)",
          isnan(r->qw) ? "document has no quote_weight row, the first "
                         "document has one"
                       : "document has a quote_weight row, the first "
                         "document has none");
    return fs_error_set(err, FS_ERR_INPUT, r->file, rec ? rec->line : 0, 1,
                        "quote weight %g, not the first document's %g: "
                        "loaded_score of different weights does not merge",
                        r->qw, c->quote_weight);
  }
  if ((!r->have_measures && fs_compare_layout(c) != FS_OK) ||
      fs_compare_push(c, c->drop_names ? NULL : r->doc_name, r->outlet,
                      r->words, r->counts,
                      r->den) != FS_OK) {
    free(r->doc_name);
    r->doc_name = NULL;
    return fs_error_set(err, FS_ERR_NOMEM, r->file, 0, 0, "out of memory");
  }
  if (c->drop_names)
    free(r->doc_name);
  r->doc_name = NULL; /* the compare owns it now */
  if (r->ent_expect >= 0 && (size_t)r->ent_expect != r->nent)
    return fs_error_set(err, FS_ERR_INPUT, r->file, rec ? rec->line : 0, 1,
                        "document has %zu of its %ld entry rows", r->nent,
                        r->ent_expect);
  if (r->ent_expect >= 0 &&
      fs_compare_push_entries(c, r->ent_author, r->ent, r->nent) != FS_OK)
    return fs_error_set(err, FS_ERR_NOMEM, r->file, 0, 0, "out of memory");
  r->have_measures = true;
  return FS_OK;
}

static int find_kind(const char *s) {
  for (int i = 0; i < 4; i++)
    if (!strcmp(s, kinds[i]))
      return i;
  return -1;
}

/* The measure of one row: the next of the list, or a new one while the
 * first document is read. */
static int row_measure(reader *r, const fs_csv_record *rec, fs_error *err) {
  fs_compare *c = r->c;
  const char *name = rec->fields[C_MEASURE];
  int kind = find_kind(rec->fields[C_KIND]);
  double scale;
  if (kind < 0)
    return bad(r, rec, C_KIND, err,
               "kind must be category, family, score or dimension");
  if (parse_number(rec->fields[C_SCALE], &scale) || scale <= 0)
    return bad(r, rec, C_SCALE, err, "scale must be a positive number");
  const char *tt = rec->fields[C_TOKEN];
  if (strcmp(tt, "0") && strcmp(tt, "1"))
    return bad(r, rec, C_TOKEN, err, "token_tests must be 0 or 1");
  if (strlen(name) >= sizeof c->measures[0].name || !*name)
    return bad(r, rec, C_MEASURE, err, "measure name empty or too long");
  if (!r->have_measures) {
    for (size_t k = 0; k < c->nmeasures; k++)
      if (!strcmp(c->measures[k].name, name) && c->measures[k].kind == kind)
        return bad(r, rec, C_MEASURE, err,
                   "measure listed twice for one document");
    size_t cap = c->nmeasures;
    if (fs_grow(&c->measures, &cap, c->nmeasures + 1, sizeof *c->measures))
      return fs_error_set(err, FS_ERR_NOMEM, r->file, 0, 0, "out of memory");
    fs_measure *m = &c->measures[c->nmeasures++];
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", name);
    m->kind = kind;
    m->index = FS_NONE; /* no lexicon or model behind it */
    m->scale = scale;
    m->counts = tt[0] == '1';
    return FS_OK;
  }
  if (r->k >= c->nmeasures || strcmp(c->measures[r->k].name, name))
    return bad(r, rec, C_MEASURE, err,
               r->k >= c->nmeasures
                   ? "more measures than the first document has"
                   : "measures must come in the first document's order");
  const fs_measure *m = &c->measures[r->k];
  if (m->kind != kind || m->scale != scale || m->counts != (tt[0] == '1'))
    return bad(r, rec, C_KIND, err,
               "kind, scale or token_tests differ from the first document's");
  return FS_OK;
}

static int start_doc(reader *r, const fs_csv_record *rec, fs_error *err) {
  fs_compare *c = r->c;
  const char *name = rec->fields[C_FILE];
  size_t before = r->seen->count;
  uint32_t id = fs_intern_add(r->seen, name, strlen(name));
  if (id == FS_NONE)
    return fs_error_set(err, FS_ERR_NOMEM, r->file, 0, 0, "out of memory");
  if (r->seen->count == before)
    return bad(r, rec, C_FILE, err,
               "document listed twice (in this or an earlier counts file)");
  r->outlet = fs_compare_outlet(c, rec->fields[C_OUTLET]);
  if (r->outlet == FS_NONE)
    return fs_error_set(err, FS_ERR_NOMEM, r->file, 0, 0, "out of memory");
  r->words = 0;
  r->k = 0;
  r->ent_expect = -1;
  r->nent = 0;
  r->qw = NAN;
  r->doc_name = strdup(name);
  if (!r->doc_name)
    return fs_error_set(err, FS_ERR_NOMEM, r->file, 0, 0, "out of memory");
  r->open = true;
  return FS_OK;
}

/* Text the writer would change (it writes invalid UTF-8 as U+FFFD, which
 * may make a name too long or two names one): refused, so that every file
 * read is a file the writer could have written. */
static bool valid_utf8(const char *s) {
  size_t n = strlen(s), i = 0;
  while (i < n) {
    int bad = 0;
    fs_utf8_next((const unsigned char *)s, n, &i, &bad);
    if (bad)
      return false;
  }
  return true;
}

/* A row of kind entries or entry (after the document's measures). */
static int entry_row(reader *r, const fs_csv_record *rec, fs_error *err) {
  fs_compare *c = r->c;
  bool head = !strcmp(rec->fields[C_KIND], "entries");
  double words, count, den, scale;
  char *end;
  if (r->k == 0 || (head ? r->ent_expect >= 0 : r->ent_expect < 0))
    return bad(r, rec, C_KIND, err,
               head ? "entries row before the measures or twice"
                    : "entry row without an entries row before it");
  if (parse_number(rec->fields[C_WORDS], &words) || words != r->words)
    return bad(r, rec, C_WORDS, err, "words differ between rows of a document");
  if (parse_number(rec->fields[C_DEN], &den) || den < 0 || den != floor(den) ||
      (!head && den != r->ent_author))
    return bad(r, rec, C_DEN, err,
               "den must be the document's author-voice words");
  if (parse_number(rec->fields[C_COUNT], &count) || count < 0 ||
      count != floor(count) || count > UINT32_MAX || (!head && count == 0))
    return bad(r, rec, C_COUNT, err, "count must be a whole number of matches");
  if (head) {
    r->ent_expect = (long)count;
    r->ent_author = den;
    c->entries = true;
    return FS_OK;
  }
  const char *m = rec->fields[C_MEASURE];
  errno = 0;
  unsigned long slot = strncmp(m, "entry:", 6) ? ULONG_MAX
                                               : strtoul(m + 6, &end, 10);
  if (slot >= ((size_t)1 << 24) || errno || end == m + 6 || *end ||
      (r->nent && slot <= r->ent[2 * (r->nent - 1)]))
    return bad(r, rec, C_MEASURE, err,
               "entry rows are entry:SLOT, slots increasing");
  if (parse_number(rec->fields[C_SCALE], &scale) || scale == 0)
    return bad(r, rec, C_SCALE, err, "an entry's weight is a number, not 0");
  if (slot >= c->nslots) {
    double *w = realloc(c->slot_weight, (slot + 1) * sizeof *w);
    if (!w)
      return fs_error_set(err, FS_ERR_NOMEM, r->file, 0, 0, "out of memory");
    for (size_t i = c->nslots; i <= slot; i++)
      w[i] = 0;
    c->slot_weight = w;
    c->nslots = slot + 1;
  }
  if (c->slot_weight[slot] != 0 && c->slot_weight[slot] != scale)
    return bad(r, rec, C_SCALE, err,
               "the entry's weight differs from an earlier document's");
  c->slot_weight[slot] = scale;
  c->entries = true;
  if (fs_grow(&r->ent, &r->ent_cap, 2 * r->nent + 2, sizeof *r->ent))
    return fs_error_set(err, FS_ERR_NOMEM, r->file, 0, 0, "out of memory");
  r->ent[2 * r->nent] = (uint32_t)slot;
  r->ent[2 * r->nent + 1] = (uint32_t)count;
  r->nent++;
  return FS_OK;
}

/* A document's `setting` row: the quote weight of loaded_score, once, after
 * its measures, under voice author. */
static int setting_row(reader *r, const fs_csv_record *rec, fs_error *err) {
  double w;
  if (strcmp(rec->fields[C_MEASURE], "quote_weight"))
    return bad(r, rec, C_MEASURE, err,
               "the only setting is quote_weight");
  if (r->c->voice != FS_VOICE_AUTHOR)
    return bad(r, rec, C_VOICE, err,
               "quote_weight is a setting of voice author only");
  if (!isnan(r->qw) || r->k != r->c->nmeasures)
    return bad(r, rec, C_KIND, err,
               "quote_weight comes once, after the document's measures");
  if (parse_number(rec->fields[C_COUNT], &w) || !(w >= 0 && w <= 1))
    return bad(r, rec, C_COUNT, err, "quote weight must be from 0 to 1");
  r->qw = w;
  return FS_OK;
}

static int read_row(reader *r, const fs_csv_record *rec, fs_error *err) {
  fs_compare *c = r->c;
  if (rec->nfields != NCOLS)
    return fs_error_set(err, FS_ERR_INPUT, r->file, rec->line, 1,
                        "%zu fields, expected %d", rec->nfields, NCOLS);
  const size_t text[3] = {C_FILE, C_OUTLET, C_MEASURE};
  for (size_t i = 0; i < 3; i++)
    if (!valid_utf8(rec->fields[text[i]]))
      return bad(r, rec, text[i], err, "invalid UTF-8");
  const char *v = rec->fields[C_VOICE];
  int voice = !strcmp(v, "author")  ? FS_VOICE_AUTHOR
              : !strcmp(v, "quote") ? FS_VOICE_QUOTE
              : !strcmp(v, "all")   ? FS_VOICES
                                    : -1;
  if (voice < 0)
    return bad(r, rec, C_VOICE, err, "voice must be author, quote or all");
  if (c->ndocs == 0 && !r->open && !r->have_measures)
    c->voice = voice;
  else if (voice != c->voice)
    return bad(r, rec, C_VOICE, err,
               "voice differs from the first document's: counts of "
               "different voices do not merge");
  if (!*rec->fields[C_FILE])
    return bad(r, rec, C_FILE, err, "empty file name");
  bool same = r->open && !strcmp(r->doc_name, rec->fields[C_FILE]);
  int rc;
  if (!same && ((rc = finish_doc(r, rec, err)) || (rc = start_doc(r, rec, err))))
    return rc;
  if (!strcmp(rec->fields[C_KIND], "entries") ||
      !strcmp(rec->fields[C_KIND], "entry"))
    return entry_row(r, rec, err);
  if (!strcmp(rec->fields[C_KIND], "setting"))
    return setting_row(r, rec, err);
  if ((rc = row_measure(r, rec, err)))
    return rc;
  if (fs_grow(&r->counts, &r->counts_cap, r->k + 1, sizeof(double)) ||
      fs_grow(&r->den, &r->den_cap, r->k + 1, sizeof(double)))
    return fs_error_set(err, FS_ERR_NOMEM, r->file, 0, 0, "out of memory");
  double words, count, den;
  if (parse_number(rec->fields[C_WORDS], &words) || words < 0)
    return bad(r, rec, C_WORDS, err, "words must be a number >= 0");
  int kind = c->measures[r->k].kind;
  if (parse_number(rec->fields[C_COUNT], &count))
    return bad(r, rec, C_COUNT, err, "count must be a finite number");
  /* matches are counted; only summed weights (the score, a dimension) may
   * be negative */
  if (count < 0 && (kind == FS_MEASURE_CATEGORY || kind == FS_MEASURE_FAMILY))
    return bad(r, rec, C_COUNT, err,
               "count must be >= 0 for a category or family");
  if (parse_number(rec->fields[C_DEN], &den) || den < 0)
    return bad(r, rec, C_DEN, err, "den must be a number >= 0");
  if (r->k > 0 && words != r->words)
    return bad(r, rec, C_WORDS, err, "words differ between rows of a document");
  if (kind != FS_MEASURE_DIMENSION && kind != FS_MEASURE_SCORE && den != words)
    return bad(r, rec, C_DEN, err,
               "den must equal words, except for the score and a dimension");
  r->words = words;
  r->counts[r->k] = count;
  r->den[r->k] = den;
  r->k++;
  return FS_OK;
}

struct fs_counts_reader {
  reader r;
  fs_csv_record *rec;
  long line;
  bool header; /* read and checked */
};

fs_counts_reader *fs_counts_reader_new(fs_compare *c, const char *file,
                                       fs_intern *seen, fs_error *err) {
  if (c->model) {
    fs_error_set(err, FS_ERR_USAGE, file, 0, 0,
                 "counts files carry their own measures: no model");
    return NULL;
  }
  fs_counts_reader *cr = calloc(1, sizeof *cr);
  if (cr)
    cr->rec = malloc(sizeof *cr->rec);
  if (!cr || !cr->rec) {
    free(cr);
    fs_error_set(err, FS_ERR_NOMEM, file, 0, 0, "out of memory");
    return NULL;
  }
  cr->r = (reader){.c = c, .file = file, .seen = seen,
                   .have_measures = c->ndocs > 0};
  cr->line = 1;
  return cr;
}

/* The end of the last whole record in data (just past a newline outside
 * quotes; data starts at a record boundary), 0 when there is none. RFC 4180
 * quotes come in pairs inside a quoted field, so a newline ends a record
 * when the quotes before it are even. */
static size_t records_end(const char *data, size_t len) {
  const char *nl = memrchr(data, '\n', len);
  if (!nl)
    return 0;
  if (!memchr(data, '"', (size_t)(nl - data))) /* the usual: no quotes */
    return (size_t)(nl - data) + 1;
  size_t end = 0;
  bool quoted = false;
  for (size_t i = 0; i < len; i++) {
    if (data[i] == '"')
      quoted = !quoted;
    else if (data[i] == '\n' && !quoted)
      end = i + 1;
  }
  return end;
}

int fs_counts_reader_feed(fs_counts_reader *cr, const char *data, size_t len,
                          bool last, size_t *used, fs_error *err) {
  reader *r = &cr->r;
  size_t end = last ? len : records_end(data, len), pos = 0;
  *used = 0;
  int got = 0, rc = FS_OK;
  if (!cr->header && end > 0) {
    got = fs_csv_read_record(data, end, &pos, &cr->line, cr->rec, r->file,
                             err);
    if (got < 0)
      return -got;
    for (size_t i = 0; got > 0 && i < NCOLS; i++)
      if (cr->rec->nfields != NCOLS || strcmp(cr->rec->fields[i], columns[i]))
        return fs_error_set(err, FS_ERR_INPUT, r->file, 1, 1,
                            "not a counts file: the header must be "
                            "file,outlet,voice,measure,kind,scale,"
                            "token_tests,words,count,den");
    cr->header = got > 0;
  }
  for (size_t start = pos;
       rc == FS_OK && (got = fs_csv_read_record(data, end, &pos, &cr->line,
                                                cr->rec, r->file, err)) > 0;
       start = pos) {
    r->raw = data + start;
    r->rawlen = pos - start;
    rc = read_row(r, cr->rec, err);
    r->raw = NULL;
  }
  if (rc == FS_OK && got < 0)
    rc = -got;
  *used = pos;
  return rc;
}

int fs_counts_reader_finish(fs_counts_reader *cr, fs_error *err) {
  reader *r = &cr->r;
  int rc = FS_OK;
  if (!cr->header)
    rc = fs_error_set(err, FS_ERR_INPUT, r->file, 1, 1, "empty counts file");
  if (rc == FS_OK)
    rc = finish_doc(r, NULL, err);
  if (rc == FS_OK && r->c->ndocs == 0)
    rc = fs_error_set(err, FS_ERR_INPUT, r->file, cr->line, 1,
                      "no documents in the counts file");
  fs_counts_reader_free(cr);
  return rc;
}

void fs_counts_reader_free(fs_counts_reader *cr) {
  if (!cr)
    return;
  free(cr->r.counts), free(cr->r.den), free(cr->r.doc_name), free(cr->r.ent);
  free(cr->rec);
  free(cr);
}

int fs_compare_read_counts(fs_compare *c, const char *file, const char *data,
                           size_t len, fs_intern *seen, fs_error *err) {
  fs_counts_reader *cr = fs_counts_reader_new(c, file, seen, err);
  if (!cr)
    return c->model ? FS_ERR_USAGE : FS_ERR_NOMEM;
  size_t used;
  int rc = fs_counts_reader_feed(cr, data, len, true, &used, err);
  if (rc) {
    fs_counts_reader_free(cr);
    return rc;
  }
  return fs_counts_reader_finish(cr, err);
}
