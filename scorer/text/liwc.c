/* SPDX-License-Identifier: GPL-3.0-or-later */
/* liwc.c - reads LIWC dictionaries into a lexicon, tolerantly: .dic
 * (2001/2007/2015) and LIWC-22 .dicx (CSV), warning about what is left out. */
#include "internal.h"
#include "utf8.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HASH_NONFATAL_OOM 1
#define uthash_nonfatal_oom(obj) (r->oom = 1)
#include <uthash.h>

#define MAX_WARNINGS 50 /* per file; the rest are counted in one summary */
#define MAX_NAME 128    /* bytes in a sanitised category name */
#define MAX_TOKENS 512  /* category fields on one .dic line */
#define MAX_PATTERN 4096

typedef struct liwc_cat {
  long id; /* number in a .dic header; column in a .dicx */
  char name[MAX_NAME];
} liwc_cat;

/* The categories found by id and by name in constant time (a dictionary
 * may define 100,000 of them). */
typedef struct cat_node {
  long id;
  size_t idx; /* into the reader's cats */
  char name[MAX_NAME];
  UT_hash_handle by_id, by_name;
} cat_node;

typedef struct liwc_reader {
  fs_lexicon *lex;
  const char *file;
  bool commit;      /* false: validate only */
  uint32_t source;  /* lexicon source id (when committing) */
  size_t nwarnings; /* seen in this file */
  int oom;
  liwc_cat *cats;
  size_t ncats, cats_cap;
  cat_node *ids, *names; /* the same nodes in two tables */
  fs_error *err;
} liwc_reader;

bool fs_liwc_is_dictionary(const char *name) {
  size_t n = strlen(name);
  const char *base = strrchr(name, '/');
  base = base ? base + 1 : name;
  if (base[0] == '.')
    return false;
  return (n > 4 && !strcasecmp(name + n - 4, ".dic")) ||
         (n > 5 && !strcasecmp(name + n - 5, ".dicx"));
}

static bool is_dicx(const char *name) {
  size_t n = strlen(name);
  return n > 5 && !strcasecmp(name + n - 5, ".dicx");
}

/* Records a warning (only while committing, so each is given once). */
static void warn(liwc_reader *r, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void warn(liwc_reader *r, long line, long col, const char *fmt, ...) {
  if (!r->commit)
    return;
  if (r->nwarnings++ >= MAX_WARNINGS)
    return;
  fs_error w = {0};
  snprintf(w.file, sizeof w.file, "%s", r->file);
  w.line = line;
  w.col = col;
  va_list ap;
  va_start(ap, fmt);
  memcpy(w.msg, "warning: ", 9);
  vsnprintf(w.msg + 9, sizeof w.msg - 9, fmt, ap);
  va_end(ap);
  if (fs_lexicon_warn(r->lex, &w))
    r->oom = 1;
}

/* ---- encodings: UTF-8, else UTF-16 with a BOM, else Windows-1252 -------- */

static const uint16_t cp1252_high[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

static bool valid_utf8(const char *data, size_t len) {
  size_t i = 0;
  while (i < len) {
    int bad = 0;
    fs_utf8_next((const unsigned char *)data, len, &i, &bad);
    if (bad)
      return false;
  }
  return true;
}

/* The value of the digits s[0..n), read without looking past n (the text
 * is not NUL-terminated, so strtol() could run off its end). Saturates. */
static long digits_value(const char *s, size_t n) {
  long v = 0;
  for (size_t i = 0; i < n && v < 100000000000L; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

/* Converts data to UTF-8 in a new buffer (*out, *outlen) when it is UTF-16
 * with a byte-order mark or not valid UTF-8 (read as Windows-1252). Sets
 * *what to the encoding read, or NULL when data is used as it is. Returns
 * FS_OK or FS_ERR_NOMEM. */
static int to_utf8(const char *data, size_t len, char **out, size_t *outlen,
                   const char **what) {
  const unsigned char *u = (const unsigned char *)data;
  bool le = len >= 2 && u[0] == 0xFF && u[1] == 0xFE;
  bool be = len >= 2 && u[0] == 0xFE && u[1] == 0xFF;
  *out = NULL;
  *what = NULL;
  if (!le && !be && valid_utf8(data, len))
    return FS_OK;
  char *buf = malloc(len * 3 + 4);
  if (!buf)
    return FS_ERR_NOMEM;
  size_t o = 0;
  if (le || be) {
    *what = le ? "UTF-16LE" : "UTF-16BE";
    for (size_t i = 2; i + 1 < len; i += 2) {
      uint32_t c = le ? (uint32_t)(u[i] | u[i + 1] << 8)
                      : (uint32_t)(u[i] << 8 | u[i + 1]);
      if (c >= 0xD800 && c < 0xDC00 && i + 3 < len) {
        uint32_t d = le ? (uint32_t)(u[i + 2] | u[i + 3] << 8)
                        : (uint32_t)(u[i + 2] << 8 | u[i + 3]);
        if (d >= 0xDC00 && d < 0xE000) {
          c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
          i += 2;
        } else {
          c = FS_REPLACEMENT;
        }
      } else if (c >= 0xD800 && c < 0xE000) {
        c = FS_REPLACEMENT;
      }
      o += fs_utf8_put(c, buf + o);
    }
  } else {
    *what = "Windows-1252";
    for (size_t i = 0; i < len; i++) {
      uint32_t c = u[i];
      if (c >= 0x80 && c < 0xA0)
        c = cp1252_high[c - 0x80];
      o += fs_utf8_put(c, buf + o);
    }
  }
  *out = buf;
  *outlen = o;
  return FS_OK;
}

/* ---- names and words ----------------------------------------------------- */

/* A category name made to follow the lexicon rules: ASCII letters
 * lowercased, digits kept, every other run of characters one '_', no '_' at
 * either end. Empty when nothing is left. */
static void sanitize(const char *s, size_t n, char *out, size_t cap) {
  size_t o = 0;
  bool sep = false;
  for (size_t i = 0; i < n && o + 2 < cap; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (sep && o > 0)
        out[o++] = '_';
      sep = false;
      out[o++] = c;
    } else {
      sep = true;
    }
  }
  out[o] = '\0';
}

static cat_node *by_id(liwc_reader *r, long id) {
  cat_node *n;
  HASH_FIND(by_id, r->ids, &id, sizeof id, n);
  return n;
}

static cat_node *by_name(liwc_reader *r, const char *name) {
  cat_node *n;
  HASH_FIND(by_name, r->names, name, strlen(name), n);
  return n;
}

/* Makes name (of category id) one no other category has: name_<id>, then
 * name_<id>_2, ... ("1 a", "2 a_3", "3 a" would otherwise merge 2 and 3). */
static void unique_name(liwc_reader *r, char *name, long id, long line,
                        long col) {
  const cat_node *other = by_name(r, name);
  if (!other || other->id == id)
    return;
  /* room for any long and int: the name keeps its first 100 bytes and ids
   * have at most 12 digits, so cand never reaches MAX_NAME in practice */
  char cand[MAX_NAME + 16];
  snprintf(cand, sizeof cand, "%.100s_%ld", name, id);
  for (int k = 2; by_name(r, cand); k++)
    snprintf(cand, sizeof cand, "%.100s_%ld_%d", name, id, k);
  warn(r, line, col,
       "categories %ld and %ld are both named '%s'; category %ld is "
       "called '%s'",
       other->id, id, name, id, cand);
  snprintf(name, MAX_NAME, "%.*s", MAX_NAME - 1, cand);
}

/* Adds category (id, raw name); a name that sanitises to nothing becomes
 * "category_<id>", one already taken by another id gets "_<id>" added. */
static int add_category(liwc_reader *r, long id, const char *raw, size_t n,
                        long line, long col) {
  char name[MAX_NAME];
  sanitize(raw, n, name, sizeof name);
  if (!name[0]) {
    snprintf(name, sizeof name, "category_%ld", id);
    warn(r, line, col,
         "category name '%.*s' has no ASCII letters or digits; "
         "named '%s'",
         (int)(n > 100 ? 100 : n), raw, name);
  }
  cat_node *c = by_id(r, id);
  if (c) {
    warn(r, line, col,
         "category %ld is defined again; the later name "
         "'%s' is used",
         id, name);
    unique_name(r, name, id, line, col);
    HASH_DELETE(by_name, r->names, c);
    snprintf(c->name, sizeof c->name, "%s", name);
    snprintf(r->cats[c->idx].name, sizeof r->cats[c->idx].name, "%s", name);
    HASH_ADD(by_name, r->names, name[0], strlen(c->name), c);
    return r->oom ? FS_ERR_NOMEM : FS_OK;
  }
  unique_name(r, name, id, line, col);
  if (fs_grow(&r->cats, &r->cats_cap, r->ncats + 1, sizeof *r->cats) ||
      !(c = calloc(1, sizeof *c)))
    return FS_ERR_NOMEM;
  c->id = id;
  c->idx = r->ncats;
  snprintf(c->name, sizeof c->name, "%s", name);
  r->cats[r->ncats].id = id;
  snprintf(r->cats[r->ncats].name, sizeof r->cats[r->ncats].name, "%s", name);
  r->ncats++;
  HASH_ADD(by_id, r->ids, id, sizeof c->id, c);
  if (r->oom) {
    free(c);
    return FS_ERR_NOMEM;
  }
  HASH_ADD(by_name, r->names, name[0], strlen(c->name), c);
  if (r->oom) {
    HASH_DELETE(by_id, r->ids, c);
    free(c);
    return FS_ERR_NOMEM;
  }
  return FS_OK;
}

static const liwc_cat *find_category(liwc_reader *r, long id) {
  const cat_node *c = by_id(r, id);
  return c ? &r->cats[c->idx] : NULL;
}

static void free_categories(liwc_reader *r) {
  cat_node *c, *tmp;
  HASH_CLEAR(by_name, r->names);
  HASH_ITER(by_id, r->ids, c, tmp) {
    HASH_DELETE(by_id, r->ids, c);
    free(c);
  }
  free(r->cats);
}

/* Turns a LIWC word (one or more words separated by spaces or hyphens) into
 * a lexicon pattern with LIWC's semantics: "=word" (the exact lowercased
 * form) or "word*" (a prefix). Returns false, with a warning, for words that
 * can never match a word token. */
static bool word_pattern(liwc_reader *r, const char *w, size_t n, char *out,
                         size_t cap, long line, long col) {
  const unsigned char *u = (const unsigned char *)w;
  size_t o = 0, i = 0;
  while (i < n) {
    size_t start = i, end = fs_pattern_word_end(w, i, n);
    if (end > start) {
      size_t k = start;
      bool letters = false;
      while (k < end) {
        size_t at = k;
        int bad = 0;
        uint32_t cp = fs_utf8_next(u, end, &k, &bad);
        if (cp == '*' && k == end && at > start)
          break;
        if (cp == '*') {
          warn(r, line, col,
               "'%.*s': '*' works only at the end of a word; "
               "entry left out",
               (int)n, w);
          return false;
        }
        if (fs_is_alpha(cp) || fs_is_digit(cp))
          letters = true;
        else if (!fs_is_apostrophe(cp) && cp != '.') {
          warn(r, line, col,
               "'%.*s' holds characters that are never part "
               "of a word token; entry left out",
               (int)n, w);
          return false;
        }
      }
      if (!letters) {
        warn(r, line, col,
             "'%.*s' has a word without letters or digits; "
             "entry left out",
             (int)n, w);
        return false;
      }
      bool glob = w[end - 1] == '*';
      if (o + (end - start) + 3 >= cap)
        return false;
      if (o)
        out[o++] = ' ';
      if (!glob)
        out[o++] = '=';
      memcpy(out + o, w + start, end - start);
      o += end - start;
    }
    if (end < n) {
      int bad = 0;
      fs_utf8_next(u, n, &end, &bad);
    }
    i = end;
  }
  out[o] = '\0';
  return o > 0;
}

/* Adds `word` to each category of ids[]. */
static int add_word(liwc_reader *r, const char *word, size_t n,
                    const liwc_cat *const *cats, size_t ncats, long line,
                    long col) {
  char pattern[MAX_PATTERN], shown[MAX_PATTERN];
  if (n >= sizeof shown) {
    warn(r, line, col, "entry longer than %d bytes left out", MAX_PATTERN);
    return FS_OK;
  }
  /* runs of spaces and tabs inside the word become one space */
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    bool space = word[i] == ' ' || word[i] == '\t';
    if (space && o && shown[o - 1] == ' ')
      continue;
    shown[o++] = space ? ' ' : word[i];
  }
  shown[o] = '\0';
  if (!word_pattern(r, shown, o, pattern, sizeof pattern, line, col))
    return FS_OK;
  for (size_t i = 0; i < ncats; i++) {
    int rc =
        fs_lexicon_add_entry(r->lex, r->source, shown, pattern, cats[i]->name,
                             1.0, r->file, line, col, r->commit, r->err);
    if (rc)
      return rc;
  }
  return FS_OK;
}

/* ---- .dic ---------------------------------------------------------------- */

static bool blank(char c) { return c == ' ' || c == '\t'; }

/* The next field of a .dic word line: a run of non-blank characters, where a
 * '(' ... ')' or '<' ... '>' group may hold blanks (LIWC 2007 rules such as
 * "(02 134)125/464"). */
static bool next_field(const char *s, size_t n, size_t *i, size_t *start,
                       size_t *end) {
  size_t k = *i;
  while (k < n && blank(s[k]))
    k++;
  if (k == n)
    return false;
  *start = k;
  char close = 0;
  while (k < n && (close || !blank(s[k]))) {
    if (!close && (s[k] == '(' || s[k] == '<'))
      close = s[k] == '(' ? ')' : '>';
    else if (close && s[k] == close)
      close = 0;
    k++;
  }
  *end = k;
  *i = k;
  return true;
}

static bool all_digits(const char *s, size_t n) {
  if (n == 0 || n > 9)
    return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

static bool category_field(const char *s, size_t n) {
  return all_digits(s, n) || s[0] == '(' || s[0] == '<';
}

/* One header line: "id<TAB>name" (spaces allowed; a description after a
 * further TAB or in trailing parentheses is dropped). */
static int header_line(liwc_reader *r, const char *s, size_t n, long line) {
  size_t i = 0;
  while (i < n && blank(s[i]))
    i++;
  size_t d = i;
  while (i < n && s[i] >= '0' && s[i] <= '9')
    i++;
  if (i == d || i - d > 9 || (i < n && !blank(s[i])))
    return fs_error_set(r->err, FS_ERR_INPUT, r->file, line, fs_utf8_col(s, d),
                        "expected a category number and name, or '%%' to "
                        "end the category list");
  long id = digits_value(s + d, i - d);
  while (i < n && blank(s[i]))
    i++;
  size_t ns = i, ne = n;
  const char *tab = memchr(s + ns, '\t', n - ns);
  if (tab)
    ne = (size_t)(tab - s);
  while (ne > ns && blank(s[ne - 1]))
    ne--;
  if (ne > ns && s[ne - 1] == ')') { /* "name (description)" */
    const char *open = memchr(s + ns, '(', ne - ns);
    if (open && open > s + ns) {
      ne = (size_t)(open - s);
      while (ne > ns && blank(s[ne - 1]))
        ne--;
    }
  }
  if (ne == ns)
    return fs_error_set(r->err, FS_ERR_INPUT, r->file, line, fs_utf8_col(s, d),
                        "category %ld has no name", id);
  return add_category(r, id, s + ns, ne - ns, line, fs_utf8_col(s, ns));
}

/* One word line: "word<TAB>id id ...", or with blanks only, where the
 * trailing run of numbers and rules are the categories. */
static int word_line(liwc_reader *r, const char *s, size_t n, long line) {
  size_t fs[MAX_TOKENS][2], nf = 0, i = 0, a, b;
  size_t ws = 0, we = 0, first_cat = 0;
  while (ws < n && s[ws] == ' ')
    ws++;
  const char *tab = memchr(s + ws, '\t', n - ws);
  if (tab) {
    we = (size_t)(tab - s);
    while (we > ws && s[we - 1] == ' ')
      we--;
    i = (size_t)(tab - s) + 1;
    while (nf < MAX_TOKENS && next_field(s, n, &i, &a, &b))
      fs[nf][0] = a, fs[nf][1] = b, nf++;
  } else {
    while (nf < MAX_TOKENS && next_field(s, n, &i, &a, &b))
      fs[nf][0] = a, fs[nf][1] = b, nf++;
    size_t k = nf;
    while (k > 1 &&
           category_field(s + fs[k - 1][0], fs[k - 1][1] - fs[k - 1][0]))
      k--;
    we = k ? fs[k - 1][1] : ws;
    first_cat = k;
  }
  if (we == ws) {
    warn(r, line, fs_utf8_col(s, ws),
         "no word before the categories; line left "
         "out");
    return FS_OK;
  }
  const liwc_cat *cats[MAX_TOKENS];
  size_t ncats = 0, fields = 0;
  for (size_t k = first_cat; k < nf; k++) {
    const char *f = s + fs[k][0];
    size_t len = fs[k][1] - fs[k][0];
    long col = fs_utf8_col(s, fs[k][0]);
    fields++;
    if (f[0] == '(' || f[0] == '<') {
      warn(r, line, col,
           "LIWC rule '%.*s' of '%.*s' left out (rules that "
           "depend on neighbouring words are not supported)",
           (int)len, f, (int)(we - ws), s + ws);
      continue;
    }
    if (!all_digits(f, len)) {
      warn(r, line, col, "'%.*s' is not a category number; left out", (int)len,
           f);
      continue;
    }
    long id = digits_value(f, len);
    const liwc_cat *c = find_category(r, id);
    if (!c) {
      warn(r, line, col,
           "category %ld is not defined in the category list; "
           "left out",
           id);
      continue;
    }
    bool seen = false;
    for (size_t j = 0; j < ncats; j++)
      seen |= cats[j] == c;
    if (!seen)
      cats[ncats++] = c;
  }
  if (fields == 0)
    warn(r, line, fs_utf8_col(s, ws), "'%.*s' has no category; left out",
         (int)(we - ws), s + ws);
  if (ncats == 0)
    return FS_OK;
  return add_word(r, s + ws, we - ws, cats, ncats, line, fs_utf8_col(s, ws));
}

static int read_dic(liwc_reader *r, const char *data, size_t len) {
  enum { BEFORE, HEADER, WORDS } state = BEFORE;
  size_t i = 0;
  long lineno = 0, opened = 0;
  int rc = FS_OK;
  while (i < len && rc == FS_OK && !r->oom) {
    size_t end = i;
    while (end < len && data[end] != '\n' && data[end] != '\r')
      end++;
    const char *s = data + i;
    size_t n = end - i;
    lineno++;
    i = end < len && data[end] == '\r' && end + 1 < len && data[end + 1] == '\n'
            ? end + 2
            : end + 1;
    if (memchr(s, '\0', n))
      return fs_error_set(
          r->err, FS_ERR_INPUT, r->file, lineno,
          fs_utf8_col(s, (size_t)((const char *)memchr(s, '\0', n) - s)),
          "NUL byte");
    size_t k = 0;
    while (k < n && (blank(s[k]) || s[k] == '\f' || s[k] == '\v'))
      k++;
    if (k == n)
      continue;
    if (s[k] == '%') {
      if (state == BEFORE) {
        state = HEADER;
        opened = lineno;
      } else if (state == HEADER) {
        state = WORDS;
      } else {
        warn(r, lineno, fs_utf8_col(s, k),
             "'%%' after the category list; line "
             "left out");
      }
      continue;
    }
    if (state == BEFORE)
      return fs_error_set(r->err, FS_ERR_INPUT, r->file, lineno,
                          fs_utf8_col(s, k),
                          "not a LIWC dictionary: expected '%%' to start the "
                          "category list");
    rc = state == HEADER ? header_line(r, s, n, lineno)
                         : word_line(r, s, n, lineno);
  }
  if (rc == FS_OK && state == BEFORE)
    rc = fs_error_set(r->err, FS_ERR_INPUT, r->file, 0, 0,
                      "not a LIWC dictionary: no '%%' category list");
  else if (rc == FS_OK && state == HEADER)
    rc = fs_error_set(r->err, FS_ERR_INPUT, r->file, opened, 1,
                      "the category list is never closed with a second '%%'");
  return rc;
}

/* ---- .dicx (LIWC-22) ----------------------------------------------------- */

static void trim(char **s) {
  while (**s == ' ' || **s == '\t')
    (*s)++;
  size_t n = strlen(*s);
  while (n && ((*s)[n - 1] == ' ' || (*s)[n - 1] == '\t'))
    (*s)[--n] = '\0';
}

static bool marked(char *v) {
  trim(&v);
  return v[0] && strcmp(v, "0") && strcasecmp(v, "false") &&
         strcasecmp(v, "no");
}

static int read_dicx(liwc_reader *r, const char *data, size_t len) {
  fs_csv_record *rec = malloc(sizeof *rec);
  if (!rec)
    return fs_error_set(r->err, FS_ERR_NOMEM, r->file, 0, 0, "out of memory");
  size_t pos = 0;
  long line = 1;
  int rc = FS_OK;
  int got = fs_csv_read_record(data, len, &pos, &line, rec, r->file, r->err);
  if (got <= 0) {
    free(rec);
    return got < 0 ? -got
                   : fs_error_set(r->err, FS_ERR_INPUT, r->file, 0, 0,
                                  "empty dictionary: expected a header row "
                                  "DicTerm,category,...");
  }
  char *first = rec->fields[0];
  trim(&first);
  if (strcasecmp(first, "DicTerm"))
    warn(r, 1, 1,
         "the first column is '%s', not DicTerm; read as the terms "
         "anyway",
         first);
  size_t ncols = rec->nfields;
  if (ncols < 2) {
    free(rec);
    return fs_error_set(r->err, FS_ERR_INPUT, r->file, 1, 0,
                        "no category columns after DicTerm");
  }
  /* one category per column, id = column number */
  for (size_t j = 1; j < ncols && rc == FS_OK; j++) {
    char *h = rec->fields[j];
    trim(&h);
    rc = add_category(r, (long)j + 1, h, strlen(h), 1, 0);
  }
  const liwc_cat **cats = malloc(ncols * sizeof *cats);
  if (!cats) {
    free(rec);
    return fs_error_set(r->err, FS_ERR_NOMEM, r->file, 0, 0, "out of memory");
  }
  while (rc == FS_OK && !r->oom &&
         (got = fs_csv_read_record(data, len, &pos, &line, rec, r->file,
                                   r->err)) > 0) {
    char *term = rec->fields[0];
    trim(&term);
    bool empty = !term[0];
    for (size_t j = 1; j < rec->nfields && empty; j++)
      empty = !marked(rec->fields[j]);
    if (empty)
      continue; /* a blank row */
    if (!term[0]) {
      warn(r, rec->line, 1,
           "empty DicTerm in a row with marks; row left "
           "out");
      continue;
    }
    if (rec->nfields > ncols)
      warn(r, rec->line, 0,
           "'%s' has %zu cells, the header %zu; the extra "
           "cells are left out",
           term, rec->nfields, ncols);
    size_t nc = 0;
    for (size_t j = 1; j < rec->nfields && j < ncols; j++)
      if (marked(rec->fields[j]))
        cats[nc++] = find_category(r, (long)j + 1);
    if (nc == 0) {
      warn(r, rec->line, 1, "'%s' has no category marked; left out", term);
      continue;
    }
    rc = add_word(r, term, strlen(term), cats, nc, rec->line, 1);
  }
  if (got < 0 && rc == FS_OK)
    rc = -got;
  free(cats);
  free(rec);
  return rc;
}

/* ---- entry point --------------------------------------------------------- */

int fs_liwc_load_text(fs_lexicon *lex, const char *name, const char *data,
                      size_t len, bool commit_it, fs_error *err) {
  liwc_reader r = {.lex = lex, .file = name, .commit = commit_it, .err = err};
  char *conv = NULL;
  const char *enc = NULL;
  size_t clen = 0;
  if (to_utf8(data, len, &conv, &clen, &enc))
    return fs_error_set(err, FS_ERR_NOMEM, name, 0, 0, "out of memory");
  if (conv) {
    data = conv;
    len = clen;
  }
  if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
    data += 3;
    len -= 3;
  }
  int rc = FS_OK;
  if (commit_it && fs_lexicon_add_source(lex, name, &r.source))
    rc = fs_error_set(err, FS_ERR_NOMEM, name, 0, 0, "out of memory");
  if (rc == FS_OK && enc && strncmp(enc, "UTF-16", 6))
    warn(&r, 0, 0, "not valid UTF-8: read as %s", enc);
  if (rc == FS_OK)
    rc = is_dicx(name) ? read_dicx(&r, data, len) : read_dic(&r, data, len);
  if (rc == FS_OK && r.nwarnings > MAX_WARNINGS) {
    size_t more = r.nwarnings - MAX_WARNINGS;
    r.nwarnings = 0; /* let the summary through */
    warn(&r, 0, 0, "%zu more warning%s not shown", more, more == 1 ? "" : "s");
  }
  if (rc == FS_OK && r.oom)
    rc = fs_error_set(err, FS_ERR_NOMEM, name, 0, 0, "out of memory");
  free_categories(&r);
  free(conv);
  return rc;
}
