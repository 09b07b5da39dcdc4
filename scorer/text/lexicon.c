/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lexicon.c - parses lexicon TSV files (pattern, category, weight, note) into
 * pattern words keyed by Snowball stem, form, prefix or cased surface. */
#include "internal.h"
#include "utf8.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libstemmer.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HASH_NONFATAL_OOM 1
#define uthash_nonfatal_oom(obj) (oom = 1)
#include <uthash.h>

#define MAX_WORD 256  /* bytes in one pattern word */
#define MAX_WORDS 32  /* words in one pattern */
#define MAX_LINE 4096 /* bytes in one lexicon line */

struct fs_first_index {
  uint64_t key; /* kind << 32 | id */
  uint32_t *list;
  size_t n, cap;
  UT_hash_handle hh;
};

static void free_trie(fs_lexicon *lex);

/* One parsed line before it is committed to the lexicon. */
typedef struct parsed {
  char pattern[MAX_LINE];
  char category[MAX_LINE];
  char note[MAX_LINE];
  double weight;
  bool event; /* flag "event": story vocabulary */
  bool once;  /* flag "once": a naming choice, weighed once per document */
  bool person; /* flag "person": only before a word of the person class */
  int nwords;
  uint8_t kind[MAX_WORDS];
  char word[MAX_WORDS][MAX_WORD + 1]; /* folded (or cased) word */
} parsed;

bool fs_lang_dash_speech(const char *lang) {
  /* languages whose news and prose set direct speech off with dashes (a
   * paragraph opening "— ") as well as with quotation marks */
  static const char *const dash[] = {
      "russian", "ru",         "rus",       "serbian", "sr",      "srp",
      "french",  "fr",         "fra",       "fre",     "spanish", "es",
      "spa",     "catalan",    "ca",        "cat",     "italian", "it",
      "ita",     "portuguese", "pt",        "por",     "greek",   "el",
      "ell",     "gre",        "swedish",   "sv",      "swe",     "finnish",
      "fi",      "fin",        "hungarian", "hu",      "hun",     "lithuanian",
      "lt",      "lit",        NULL};
  for (const char *const *l = dash; lang && *l; l++)
    if (!strcmp(lang, *l))
      return true;
  return false;
}

bool fs_lang_quoted_names(const char *lang) {
  return lang && (!strcmp(lang, "russian") || !strcmp(lang, "ru") ||
                  !strcmp(lang, "rus"));
}

fs_lexicon *fs_lexicon_new(const char *lang, fs_error *err) {
  if (!lang)
    lang = "english";
  struct sb_stemmer *st = sb_stemmer_new(lang, "UTF_8");
  if (!st) {
    fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                 "unknown Snowball language '%s' (try english, russian, "
                 "german, french, spanish, ...)",
                 lang);
    return NULL;
  }
  fs_lexicon *lex = calloc(1, sizeof *lex);
  if (!lex) {
    sb_stemmer_delete(st);
    fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  if (pthread_mutex_init(&lex->freeze_mu, NULL)) {
    sb_stemmer_delete(st);
    free(lex);
    fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "cannot create a mutex");
    return NULL;
  }
  lex->quote_weight = FS_QUOTE_WEIGHT;
  snprintf(lex->lang, sizeof lex->lang, "%s", lang);
  snprintf(lex->langs[0], sizeof lex->langs[0], "%s", lang);
  lex->stemmers[0] = st;
  lex->nlangs = 1;
  fs_intern_init(&lex->strings);
  fs_intern_init(&lex->cat_names);
  fs_intern_init(&lex->family_names);
  fs_intern_init(&lex->dups);
  lex->last_cat = FS_NONE;
  lex->scare_cat = FS_NONE;
  lex->negator_fam = lex->intensifier_fam = lex->attribution_fam = FS_NONE;
  return lex;
}

void fs_lexicon_free(fs_lexicon *lex) {
  if (!lex)
    return;
  for (size_t i = 0; i < lex->nlangs; i++)
    if (lex->stemmers[i])
      sb_stemmer_delete(lex->stemmers[i]);
  for (size_t i = 0; i < FS_MAX_LANGS; i++) {
    fs_intern_free(&lex->stemmed[i]);
    free(lex->stemmed_id[i]);
  }
  fs_intern_free(&lex->strings);
  fs_intern_free(&lex->cat_names);
  fs_intern_free(&lex->family_names);
  free(lex->entries);
  free(lex->pwords);
  free(lex->class_words);
  for (size_t i = 0; i < lex->ncats; i++)
    free(lex->cats[i].name);
  free(lex->cats);
  for (size_t i = 0; i < lex->nfamilies; i++)
    free(lex->families[i]);
  free(lex->families);
  for (size_t i = 0; i < lex->nsources; i++)
    free(lex->sources[i]);
  free(lex->sources);
  free(lex->source_lang);
  for (size_t i = 0; i < lex->nwarnings; i++)
    free(lex->warnings[i]);
  free(lex->warnings);
  fs_intern_free(&lex->dups);
  free(lex->dup_entry);
  for (size_t i = 0; i < lex->narena; i++)
    free(lex->arena[i]);
  free(lex->arena);
  fs_first_index *f, *ft;
  HASH_ITER(hh, lex->first, f, ft) {
    HASH_DEL(lex->first, f);
    free(f->list);
    free(f);
  }
  free_trie(lex);
  pthread_mutex_destroy(&lex->freeze_mu);
  free(lex);
}

long fs_lexicon_lang_find(const fs_lexicon *lex, const char *lang) {
  for (size_t i = 0; lang && i < lex->nlangs; i++)
    if (!strcmp(lex->langs[i], lang))
      return (long)i;
  return -1;
}

size_t fs_lexicon_lang_count(const fs_lexicon *lex) { return lex->nlangs; }

const char *fs_lexicon_lang_name(const fs_lexicon *lex, size_t i) {
  return i < lex->nlangs ? lex->langs[i] : NULL;
}

int fs_lexicon_set_lang(fs_lexicon *lex, const char *lang, fs_error *err) {
  if (lex->frozen)
    return fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                        "lexicon is in use and can no longer change");
  if (!lang) {
    lex->cur_lang = FS_LANG_ALL;
    return FS_OK;
  }
  long k = fs_lexicon_lang_find(lex, lang);
  if (k >= 0) {
    lex->cur_lang = (uint8_t)k;
    return FS_OK;
  }
  if (lex->nlangs == FS_MAX_LANGS)
    return fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                        "more than %d languages in one run ('%s')",
                        FS_MAX_LANGS, lang);
  size_t used = strlen(lex->lang);
  if (strlen(lang) >= sizeof lex->langs[0] ||
      used + 1 + strlen(lang) >= sizeof lex->lang)
    return fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                        "language name '%.64s' too long", lang);
  struct sb_stemmer *st = sb_stemmer_new(lang, "UTF_8");
  if (!st)
    return fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                        "unknown Snowball language '%s' (try english, "
                        "russian, german, french, spanish, ...)",
                        lang);
  snprintf(lex->langs[lex->nlangs], sizeof lex->langs[0], "%s", lang);
  snprintf(lex->lang + used, sizeof lex->lang - used, "+%s", lang);
  lex->stemmers[lex->nlangs] = st;
  lex->cur_lang = (uint8_t)lex->nlangs++;
  return FS_OK;
}

/* ---- parsing one line --------------------------------------------------- */

static bool valid_category(const char *s, size_t *bad) {
  /* a-z, 0-9 and _ as bits of one bitmap: [0] for bytes 0-63, [1] 64-127 */
  static const uint64_t name_byte[2] = {0x03FF000000000000ull,
                                        0x07FFFFFE80000000ull};
  size_t i = 0;
  if (!*s) {
    *bad = 0;
    return false;
  }
  for (; s[i]; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 128 && (name_byte[c >> 6] >> (c & 63) & 1))
      continue;
    if (c == '.' && i > 0 && s[i + 1] && s[i - 1] != '.')
      continue;
    *bad = i;
    return false;
  }
  return true;
}

size_t fs_pattern_word_end(const char *s, size_t i, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  while (i < n) {
    if (u[i] < 0x80) { /* ASCII without decoding */
      if (u[i] == ' ' || u[i] == '-')
        break;
      i++;
      continue;
    }
    size_t q = i;
    int bad = 0;
    uint32_t cp = fs_utf8_next(u, n, &q, &bad);
    if (cp == ' ' || fs_is_hyphen(cp))
      break;
    i = q;
  }
  return i;
}

/* Splits the pattern field into marked words. Returns 0 or sets err. */
static int parse_pattern(parsed *p, const char *line, size_t start,
                         size_t end, const char *file, long lineno,
                         fs_error *err) {
  const unsigned char *u = (const unsigned char *)line;
  size_t i = start;
  p->nwords = 0;
  while (i < end) {
    size_t wstart = i;
    size_t wend = fs_pattern_word_end(line, i, end);
    if (wend > wstart) {
      if (p->nwords == MAX_WORDS)
        return fs_error_set(err, FS_ERR_INPUT, file, lineno,
                            fs_utf8_col(line, wstart),
                            "pattern has more than %d words", MAX_WORDS);
      const char *w = line + wstart;
      size_t len = wend - wstart;
      uint8_t kind = FS_PW_STEM;
      size_t skip = 0;
      if (len >= 2 && w[0] == '=' && w[1] == '=')
        kind = FS_PW_CASE, skip = 2;
      else if (w[0] == '=')
        kind = FS_PW_EXACT, skip = 1;
      w += skip;
      len -= skip;
      if (len > 0 && w[len - 1] == '*' && kind == FS_PW_STEM) {
        kind = FS_PW_GLOB;
        len--;
      }
      const char *star = memchr(w, '*', len);
      if (star)
        return fs_error_set(err, FS_ERR_INPUT, file, lineno,
                            fs_utf8_col(line, (size_t)(star - line)),
                            "'*' is allowed only at the end of a word "
                            "(as a prefix glob)");
      if (len == 0)
        return fs_error_set(err, FS_ERR_INPUT, file, lineno,
                            fs_utf8_col(line, wstart),
                            "empty word after '%.*s' marker", (int)skip, "==");
      if (len > MAX_WORD)
        return fs_error_set(err, FS_ERR_INPUT, file, lineno,
                            fs_utf8_col(line, wstart),
                            "pattern word longer than %d bytes", MAX_WORD);
      int k = p->nwords++;
      p->kind[k] = kind;
      if (kind == FS_PW_CASE) {
        /* keep the surface, apostrophes unified */
        size_t o = 0, j = 0;
        while (j < len) {
          int bad = 0;
          uint32_t cp =
              fs_utf8_next((const unsigned char *)w, len, &j, &bad);
          if (fs_is_apostrophe(cp))
            cp = '\'';
          o += fs_utf8_put(cp, p->word[k] + o);
        }
        p->word[k][o] = '\0';
      } else {
        fs_fold(w, len, p->word[k], sizeof p->word[k]);
      }
    }
    if (wend < end) {
      int bad = 0;
      fs_utf8_next(u, end, &wend, &bad);
    }
    i = wend;
  }
  if (p->nwords == 0)
    return fs_error_set(err, FS_ERR_INPUT, file, lineno,
                        fs_utf8_col(line, start), "empty pattern");
  return 0;
}

/* Copies the first len bytes of src (up to a NUL) into dst of size bytes,
 * cut to fit and NUL-terminated, as snprintf(dst, size, "%.*s", len, src)
 * does: a lexicon has thousands of lines, and snprintf took a quarter of
 * the start's instructions, which a run on any number of threads does
 * alone before it starts them.
 * Returns the length copied. */
static size_t copy_span(char *dst, size_t size, const char *src, size_t len) {
  len = strnlen(src, len);
  if (len >= size)
    len = size - 1;
  memcpy(dst, src, len);
  dst[len] = '\0';
  return len;
}

static size_t trim_end(const char *s, size_t start, size_t end) {
  while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\r'))
    end--;
  return end;
}

static size_t trim_start(const char *s, size_t start, size_t end) {
  while (start < end && s[start] == ' ')
    start++;
  return start;
}

/* A weight written as most are ("1", "0.5", "-1.25": a sign, at most 15
 * digits with a period between two of them, nothing else) read without
 * strtod(), which took a tenth of the start-up: the digits as an integer
 * m < 2^53 over 10^frac, both exact doubles, so the one rounding of the
 * division gives the nearest double, which is what strtod() returns.
 * Returns false, *w unset, for anything else. */
static bool plain_decimal(const char *s, double *w) {
  static const double pow10[16] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                   1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15};
  bool neg = *s == '-';
  if (*s == '-' || *s == '+')
    s++;
  uint64_t m = 0;
  int digits = 0, frac = 0;
  for (; *s >= '0' && *s <= '9'; s++, digits++)
    m = m * 10 + (uint64_t)(*s - '0');
  if (*s == '.') {
    if (!digits)
      return false;
    for (s++; *s >= '0' && *s <= '9'; s++, digits++, frac++)
      m = m * 10 + (uint64_t)(*s - '0');
    if (!frac)
      return false;
  }
  if (*s || !digits || digits > 15)
    return false;
  double v = (double)m / pow10[frac];
  *w = neg ? -v : v;
  return true;
}

/* Parses one line (without its newline). Returns 1 for an entry, 0 for a
 * blank or comment line, or -status with err set. */
static int parse_line(parsed *p, const char *line, size_t len,
                      const char *file, long lineno, fs_error *err) {
  if (len && line[len - 1] == '\r')
    len--;
  size_t s = trim_start(line, 0, len);
  if (s == len || line[s] == '#')
    return 0;
  if (len >= MAX_LINE)
    return -fs_error_set(err, FS_ERR_INPUT, file, lineno, 1,
                         "line longer than %d bytes", MAX_LINE);
  /* validate UTF-8 (ASCII bytes but NUL need no decoding: eight at a
   * time, where a byte of 0 or from 0x80 sets its top bit in x - 1 | x) */
  for (size_t i = 0; i < len;) {
    uint64_t x;
    if (i + 8 <= len && (memcpy(&x, line + i, 8),
                         !(((x - 0x0101010101010101ull) | x) &
                           0x8080808080808080ull))) {
      i += 8;
      continue;
    }
    if ((unsigned char)line[i] - 1u < 0x7Fu) {
      i++;
      continue;
    }
    int bad = 0;
    size_t at = i;
    fs_utf8_next((const unsigned char *)line, len, &i, &bad);
    if (bad)
      return -fs_error_set(err, FS_ERR_INPUT, file, lineno,
                           fs_utf8_col(line, at), "invalid UTF-8");
    if (line[at] == '\0')
      return -fs_error_set(err, FS_ERR_INPUT, file, lineno,
                           fs_utf8_col(line, at), "NUL byte");
  }
  size_t tabs[4] = {0};
  int ntabs = 0;
  for (const char *q = line; (q = memchr(q, '\t', len - (size_t)(q - line)));
       q++) {
    size_t i = (size_t)(q - line);
    if (ntabs == 3)
      return -fs_error_set(err, FS_ERR_INPUT, file, lineno, fs_utf8_col(line, i),
                           "too many columns (expected pattern, category, "
                           "weight and an optional note)");
    tabs[ntabs++] = i;
  }
  if (ntabs == 0)
    return -fs_error_set(err, FS_ERR_INPUT, file, lineno,
                         fs_utf8_col(line, len),
                         "expected TAB after pattern (format: "
                         "pattern<TAB>category<TAB>weight[<TAB>note])");
  if (ntabs == 1)
    return -fs_error_set(err, FS_ERR_INPUT, file, lineno,
                         fs_utf8_col(line, len),
                         "expected TAB after category (a weight is "
                         "required)");
  size_t pend = trim_end(line, s, tabs[0]);
  if (pend == s)
    return -fs_error_set(err, FS_ERR_INPUT, file, lineno, fs_utf8_col(line, s),
                         "empty pattern");
  copy_span(p->pattern, sizeof p->pattern, line + s, pend - s);
  int rc = parse_pattern(p, line, s, pend, file, lineno, err);
  if (rc)
    return -rc;

  size_t cs = trim_start(line, tabs[0] + 1, tabs[1]);
  size_t ce = trim_end(line, cs, tabs[1]);
  /* lines of a category come together: p->category still holds the last
   * line's, valid (parse_text() starts it empty, which is not) */
  bool same = ce > cs && ce - cs < sizeof p->category &&
              !memcmp(p->category, line + cs, ce - cs) &&
              !p->category[ce - cs];
  copy_span(p->category, sizeof p->category, line + cs, ce - cs);
  size_t bad = 0;
  if (!same && !valid_category(p->category, &bad))
    return -fs_error_set(err, FS_ERR_INPUT, file, lineno,
                         fs_utf8_col(line, cs + bad),
                         ce == cs ? "empty category"
                                  : "bad category name '%s' (lowercase "
                                    "a-z, 0-9 and _ separated by dots)",
                         p->category);

  size_t wend = ntabs == 3 ? tabs[2] : len;
  size_t ws = trim_start(line, tabs[1] + 1, wend);
  size_t we = trim_end(line, ws, wend);
  char num[64];
  if (we == ws || we - ws >= sizeof num)
    return -fs_error_set(err, FS_ERR_INPUT, file, lineno, fs_utf8_col(line, ws),
                         we == ws ? "missing weight" : "weight too long");
  memcpy(num, line + ws, we - ws);
  num[we - ws] = '\0';
  /* "1.5 event": a weight, then flag words */
  p->event = p->once = p->person = false;
  size_t nlen = strcspn(num, " \t");
  for (size_t f = nlen; num[f];) {
    while (num[f] == ' ' || num[f] == '\t')
      f++;
    size_t fl = strcspn(num + f, " \t");
    if (fl == 5 && !strncmp(num + f, "event", 5))
      p->event = true;
    else if (fl == 4 && !strncmp(num + f, "once", 4))
      p->once = true;
    else if (fl == 6 && !strncmp(num + f, "person", 6))
      p->person = true;
    else if (fl && !isalpha((unsigned char)num[f]))
      break; /* "1 2": not a flag, the weight is bad */
    else if (fl)
      return -fs_error_set(err, FS_ERR_INPUT, file, lineno,
                           fs_utf8_col(line, ws + f),
                           "unknown flag '%.*s' after the weight (known: "
                           "event, once, person)",
                           (int)fl, num + f);
    f += fl;
  }
  if (!num[nlen] || p->event || p->once || p->person)
    num[nlen] = '\0';
  double w;
  if (!plain_decimal(num, &w)) {
    char *endp;
    errno = 0;
    w = strtod(num, &endp);
    if (*endp || endp == num || !isfinite(w) || errno == ERANGE ||
        isalpha((unsigned char)num[0]) || strpbrk(num, "xXpP"))
      return -fs_error_set(err, FS_ERR_INPUT, file, lineno, fs_utf8_col(line, ws),
                           "weight '%s' is not a finite decimal number", num);
  }
  if (fabs(w) > FS_WEIGHT_MAX)
    return -fs_error_set(err, FS_ERR_INPUT, file, lineno, fs_utf8_col(line, ws),
                         "weight '%s' is outside -1e6 to 1e6", num);
  p->weight = w;
  p->note[0] = '\0';
  if (ntabs == 3) {
    size_t ns = trim_start(line, tabs[2] + 1, len);
    size_t ne = trim_end(line, ns, len);
    copy_span(p->note, sizeof p->note, line + ns, ne - ns);
  }
  /* the family "class" lists words of a class, not entries */
  if (strncmp(p->category, "class.", 6) && strcmp(p->category, "class"))
    return 1;
  if (strcmp(p->category, "class.person"))
    return -fs_error_set(err, FS_ERR_INPUT, file, lineno, fs_utf8_col(line, cs),
                         "unknown word class '%s' (known: class.person)",
                         p->category);
  if (p->nwords != 1 ||
      (p->kind[0] != FS_PW_STEM && p->kind[0] != FS_PW_EXACT))
    return -fs_error_set(err, FS_ERR_INPUT, file, lineno, fs_utf8_col(line, s),
                         "a class.person line names one word, by its stem "
                         "(politician) or exactly (=politicians)");
  if (p->event || p->once || p->person)
    return -fs_error_set(err, FS_ERR_INPUT, file, lineno, fs_utf8_col(line, ws),
                         "a class.person line takes no flags");
  return 2;
}

/* ---- committing entries ------------------------------------------------- */

#define ARENA_CHUNK_MIN ((size_t)16 << 10)
#define ARENA_CHUNK_MAX ((size_t)1 << 20)

/* n bytes aligned for any object, from the lexicon's arena; NULL when out
 * of memory. Freed only with the lexicon. */
static void *arena_alloc(fs_lexicon *lex, size_t n) {
  const size_t align = _Alignof(max_align_t);
  size_t at = (lex->arena_used + align - 1) & ~(align - 1);
  if (!lex->narena || at > lex->arena_size || n > lex->arena_size - at) {
    size_t size = lex->arena_size ? 2 * lex->arena_size : ARENA_CHUNK_MIN;
    if (size > ARENA_CHUNK_MAX)
      size = ARENA_CHUNK_MAX;
    if (size < n)
      size = n;
    char *chunk = malloc(size);
    if (!chunk || fs_grow(&lex->arena, &lex->arena_cap, lex->narena + 1,
                          sizeof *lex->arena)) {
      free(chunk);
      return NULL;
    }
    lex->arena[lex->narena++] = chunk;
    lex->arena_size = size;
    at = 0;
  }
  lex->arena_used = at + n;
  return lex->arena[lex->narena - 1] + at;
}

/* A copy of the first len bytes of s, NUL-terminated, in the arena (bytes
 * only: no alignment). */
static char *arena_str(fs_lexicon *lex, const char *s, size_t len) {
  char *p;
  if (lex->narena && len < lex->arena_size - lex->arena_used) {
    p = lex->arena[lex->narena - 1] + lex->arena_used;
    lex->arena_used += len + 1;
  } else if (!(p = arena_alloc(lex, len + 1))) {
    return NULL;
  }
  memcpy(p, s, len);
  p[len] = '\0';
  return p;
}

static uint32_t family_id(fs_lexicon *lex, const char *cat) {
  size_t n = strcspn(cat, ".");
  uint32_t id = fs_intern_find(&lex->family_names, cat, n);
  if (id != FS_NONE)
    return id;
  if (fs_grow(&lex->families, &lex->families_cap, lex->nfamilies + 1,
              sizeof *lex->families))
    return FS_NONE;
  char *f = strndup(cat, n);
  if (!f || fs_intern_add(&lex->family_names, cat, n) != lex->nfamilies) {
    free(f);
    return FS_NONE;
  }
  lex->families[lex->nfamilies] = f;
  return (uint32_t)lex->nfamilies++;
}

/* The id of category `name`, added when new: a hash lookup (an actors file
 * adds a category per actor, tens of thousands). */
static uint32_t category_id(fs_lexicon *lex, const char *name) {
  if (lex->last_cat < lex->ncats && !strcmp(lex->cats[lex->last_cat].name, name))
    return lex->last_cat;
  size_t len = strlen(name);
  uint32_t id = fs_intern_find(&lex->cat_names, name, len);
  if (id != FS_NONE)
    return lex->last_cat = id;
  if (fs_grow(&lex->cats, &lex->cats_cap, lex->ncats + 1, sizeof *lex->cats))
    return FS_NONE;
  uint32_t fam = family_id(lex, name);
  char *n = strdup(name);
  if (fam == FS_NONE || !n ||
      fs_intern_add(&lex->cat_names, name, len) != lex->ncats) {
    free(n);
    return FS_NONE;
  }
  lex->cats[lex->ncats].name = n;
  lex->cats[lex->ncats].family = fam;
  return lex->last_cat = (uint32_t)lex->ncats++;
}

/* Stems the matching key of a folded word (fs_spelling_key) with the
 * stemmer of language `lang` into out, as the context stems the text's
 * words, and adds the stem to lex->strings (where commit_lang() puts it
 * next). A word met before in this language takes its stem from
 * lex->stemmed instead of the stemmer. */
static int stem_word(fs_lexicon *lex, unsigned lang, const char *w, char *out,
                     size_t cap) {
  size_t wlen = strlen(w);
  fs_intern *memo = &lex->stemmed[lang];
  uint32_t mid = fs_intern_find(memo, w, wlen);
  if (mid != FS_NONE) {
    uint32_t sid = lex->stemmed_id[lang][mid];
    copy_span(out, cap, fs_intern_str(&lex->strings, sid),
              fs_intern_len(&lex->strings, sid));
    return 0;
  }
  char key[MAX_WORD * 2 + 8];
  size_t klen = fs_spelling_key(w, wlen, key, sizeof key);
  struct sb_stemmer *st = lex->stemmers[lang];
  const sb_symbol *s = sb_stemmer_stem(st, (const sb_symbol *)key, (int)klen);
  if (!s)
    return -1;
  int n = sb_stemmer_length(st);
  const char *root = fs_spelling_root(key, klen, (const char *)s, (size_t)n);
  if (root) {
    s = (const sb_symbol *)root;
    n = (int)strlen(root);
  }
  if ((size_t)n >= cap)
    n = (int)cap - 1;
  memcpy(out, s, (size_t)n);
  out[n] = '\0';
  /* remembered only whole: the id array first, then the word */
  uint32_t sid = fs_intern_add(&lex->strings, out, (size_t)n);
  if (sid == FS_NONE ||
      fs_grow(&lex->stemmed_id[lang], &lex->stemmed_cap[lang],
              memo->count + 1, sizeof *lex->stemmed_id[lang]))
    return -1;
  mid = fs_intern_add(memo, w, wlen);
  if (mid == FS_NONE)
    return -1;
  lex->stemmed_id[lang][mid] = sid;
  return 0;
}

/* Adds the entry of a parsed line in language `lang` (an index). */
static int commit_lang(fs_lexicon *lex, const parsed *p, uint32_t source,
                       long lineno, unsigned lang) {
  char key[MAX_WORDS * (MAX_WORD + 4)];
  size_t klen = 0;
  key[0] = '\0';
  if (fs_grow(&lex->pwords, &lex->pwords_cap, lex->npwords + p->nwords,
              sizeof *lex->pwords) ||
      fs_grow(&lex->entries, &lex->entries_cap, lex->nentries + 1,
              sizeof *lex->entries))
    return FS_ERR_NOMEM;
  uint32_t word0 = (uint32_t)lex->npwords;
  for (int k = 0; k < p->nwords; k++) {
    char buf[MAX_WORD * 2 + 8];
    fs_pword pw = {.kind = p->kind[k], .low = FS_NONE};
    const char *str = p->word[k];
    if (pw.kind == FS_PW_STEM) {
      if (stem_word(lex, lang, p->word[k], buf, sizeof buf))
        return FS_ERR_NOMEM;
      str = buf;
    } else if (pw.kind == FS_PW_EXACT) {
      fs_spelling_key(p->word[k], strlen(p->word[k]), buf, sizeof buf);
      str = buf;
    }
    pw.id = fs_intern_add(&lex->strings, str, strlen(str));
    if (pw.id == FS_NONE)
      return FS_ERR_NOMEM;
    if (pw.kind == FS_PW_CASE) {
      char low[MAX_WORD * 2 + 8];
      char lowkey[sizeof low];
      size_t n = fs_fold(str, strlen(str), low, sizeof low);
      n = fs_spelling_key(low, n, lowkey, sizeof lowkey);
      pw.low = fs_intern_add(&lex->strings, lowkey, n);
      if (pw.low == FS_NONE)
        return FS_ERR_NOMEM;
    }
    lex->pwords[lex->npwords++] = pw;
    /* the key as written: words apart by a space, "=" or "==" before an
     * exact or case-sensitive word, "*" after a prefix */
    if (k)
      klen += copy_span(key + klen, sizeof key - klen, " ", 1);
    if (pw.kind == FS_PW_EXACT || pw.kind == FS_PW_CASE)
      klen += copy_span(key + klen, sizeof key - klen, "==",
                        pw.kind == FS_PW_CASE ? 2 : 1);
    klen += copy_span(key + klen, sizeof key - klen, str, strlen(str));
    if (pw.kind == FS_PW_GLOB)
      klen += copy_span(key + klen, sizeof key - klen, "*", 1);
  }
  uint32_t cat = category_id(lex, p->category);
  if (cat == FS_NONE)
    return FS_ERR_NOMEM;
  fs_entry e = {0};
  e.pattern = arena_str(lex, p->pattern, strlen(p->pattern));
  e.note = arena_str(lex, p->note, strlen(p->note));
  e.key = arena_str(lex, key, klen);
  if (!e.pattern || !e.note || !e.key)
    return FS_ERR_NOMEM;
  size_t clen = strlen(p->category);
  char dkey[sizeof key + MAX_LINE + 24];
  /* key TAB category TAB language index, without sprintf (see copy_span) */
  char num[12];
  size_t nd = 0;
  unsigned v = lang;
  do
    num[sizeof num - ++nd] = (char)('0' + v % 10);
  while ((v /= 10) && nd < sizeof num);
  char *dk = dkey;
  memcpy(dk, key, klen), dk += klen, *dk++ = '\t';
  memcpy(dk, p->category, clen), dk += clen, *dk++ = '\t';
  memcpy(dk, num + sizeof num - nd, nd), dk += nd, *dk = '\0';
  /* a "person" line is another rule than the plain line of its pattern
   * and category: neither overrides the other */
  if (p->person)
    memcpy(dk, "\tperson", 8);
  e.source = source;
  e.line = lineno;
  e.category = cat;
  e.weight = p->weight;
  e.event = p->event;
  e.once = p->once;
  e.person = p->person;
  e.lang = (uint8_t)lang;
  e.duplicate_of = -1;
  e.active = true;
  e.word0 = word0;
  e.nwords = (uint32_t)p->nwords;
  uint32_t id = (uint32_t)lex->nentries;
  size_t dlen = (size_t)(dk - dkey) + (p->person ? 7 : 0);
  size_t ndups = lex->dups.count;
  if (fs_grow(&lex->dup_entry, &lex->dup_entry_cap, ndups + 1,
              sizeof *lex->dup_entry))
    return FS_ERR_NOMEM;
  uint32_t dup = fs_intern_add(&lex->dups, dkey, dlen);
  if (dup == FS_NONE)
    return FS_ERR_NOMEM;
  if (dup < ndups) {
    uint32_t prev = lex->dup_entry[dup];
    if (lex->entries[prev].active) {
      lex->entries[prev].active = false;
      e.duplicate_of = (int)prev;
    }
  }
  lex->dup_entry[dup] = id;
  lex->entries[lex->nentries++] = e;
  return FS_OK;
}

/* Adds a parsed line's entry in the language being loaded, or in each
 * language of the lexicon. */
static int commit(fs_lexicon *lex, const parsed *p, uint32_t source,
                  long lineno) {
  if (lex->cur_lang != FS_LANG_ALL)
    return commit_lang(lex, p, source, lineno, lex->cur_lang);
  int rc = FS_OK;
  for (size_t l = 0; l < lex->nlangs && rc == FS_OK; l++)
    rc = commit_lang(lex, p, source, lineno, (unsigned)l);
  return rc;
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* Adds a source file name; entries of an earlier source with the same base
 * name are switched off (a user lexicon replaces a default one) in the
 * language being loaded (all of them when loading for every language). */
static int add_source(fs_lexicon *lex, const char *name, uint32_t *id) {
  uint8_t cur = lex->cur_lang;
  for (size_t i = 0; i < lex->nsources; i++)
    if (!strcmp(base_name(lex->sources[i]), base_name(name)))
      for (size_t e = 0; e < lex->nentries; e++)
        if (lex->entries[e].source == i &&
            (cur == FS_LANG_ALL || lex->entries[e].lang == cur))
          lex->entries[e].active = false;
  if (fs_grow(&lex->sources, &lex->sources_cap, lex->nsources + 1,
              sizeof *lex->sources) ||
      fs_grow(&lex->source_lang, &lex->source_lang_cap, lex->nsources + 1,
              sizeof *lex->source_lang))
    return FS_ERR_NOMEM;
  lex->source_lang[lex->nsources] = cur;
  char *s = strdup(name);
  if (!s)
    return FS_ERR_NOMEM;
  lex->sources[lex->nsources] = s;
  *id = (uint32_t)lex->nsources++;
  return FS_OK;
}

size_t fs_lexicon_exclude(fs_lexicon *lex, const char *pattern) {
  size_t n = 0;
  if (lex->frozen)
    return 0;
  for (size_t i = 0; i < lex->nentries; i++)
    if (lex->entries[i].active && !strcmp(lex->entries[i].pattern, pattern)) {
      lex->entries[i].active = false;
      n++;
    }
  return n;
}

int fs_lexicon_add_source(fs_lexicon *lex, const char *name, uint32_t *id) {
  return add_source(lex, name, id);
}

int fs_lexicon_add_entry(fs_lexicon *lex, uint32_t source, const char *shown,
                         const char *pattern, const char *category,
                         double weight, const char *file, long line,
                         long col, bool commit_it, fs_error *err) {
  size_t bad = 0;
  if (!valid_category(category, &bad))
    return fs_error_set(err, FS_ERR_INPUT, file, line, col,
                        "bad category name '%s'", category);
  if (strlen(shown) >= MAX_LINE || strlen(category) >= MAX_LINE)
    return fs_error_set(err, FS_ERR_INPUT, file, line, col,
                        "entry longer than %d bytes", MAX_LINE);
  parsed *p = malloc(sizeof *p);
  if (!p)
    return fs_error_set(err, FS_ERR_NOMEM, file, line, 0, "out of memory");
  int rc = parse_pattern(p, pattern, 0, strlen(pattern), file, line, err);
  if (rc && err)
    err->col = col; /* the pattern was rewritten: point at the entry */
  if (!rc && commit_it) {
    snprintf(p->pattern, sizeof p->pattern, "%s", shown);
    snprintf(p->category, sizeof p->category, "%s", category);
    p->note[0] = '\0';
    p->weight = weight;
    p->event = p->once = p->person = false;
    if ((rc = commit(lex, p, source, line)))
      fs_error_set(err, rc, file, line, 0, "out of memory");
  }
  free(p);
  return rc;
}

int fs_lexicon_warn(fs_lexicon *lex, const fs_error *w) {
  char buf[1200];
  fs_error_format(w, buf, sizeof buf);
  char *s = strdup(buf);
  if (!s || fs_grow(&lex->warnings, &lex->warnings_cap, lex->nwarnings + 1,
                    sizeof *lex->warnings)) {
    free(s);
    return FS_ERR_NOMEM;
  }
  lex->warnings[lex->nwarnings++] = s;
  return FS_OK;
}

/* Adds the word of a class.person line in the language being loaded (each
 * language when loading for all). */
static int commit_class(fs_lexicon *lex, const parsed *p) {
  for (size_t l = 0; l < lex->nlangs; l++) {
    if (lex->cur_lang != FS_LANG_ALL && l != lex->cur_lang)
      continue;
    char buf[MAX_WORD * 2 + 8];
    if (p->kind[0] == FS_PW_STEM) {
      if (stem_word(lex, (unsigned)l, p->word[0], buf, sizeof buf))
        return FS_ERR_NOMEM;
    } else {
      fs_spelling_key(p->word[0], strlen(p->word[0]), buf, sizeof buf);
    }
    uint32_t id = fs_intern_add(&lex->strings, buf, strlen(buf));
    if (id == FS_NONE ||
        fs_grow(&lex->class_words, &lex->class_words_cap,
                lex->nclass_words + 1, sizeof *lex->class_words))
      return FS_ERR_NOMEM;
    lex->class_words[lex->nclass_words++] =
        (fs_class_word){id, p->kind[0], (uint8_t)l};
  }
  return FS_OK;
}

int fs_lexicon_add_person_head(fs_lexicon *lex, size_t i) {
  if (lex->frozen || i >= lex->nentries)
    return FS_ERR_USAGE;
  const fs_entry *e = &lex->entries[i];
  if (!e->active || !e->nwords)
    return FS_OK;
  const fs_pword *w = &lex->pwords[e->word0 + e->nwords - 1];
  /* a word written with case or as a prefix has no class form: "==May"
   * must not make every "may" a person */
  if (w->kind != FS_PW_STEM && w->kind != FS_PW_EXACT)
    return FS_OK;
  if (fs_function_word(fs_intern_str(&lex->strings, w->id),
                       fs_intern_len(&lex->strings, w->id)))
    return FS_OK;
  if (fs_grow(&lex->class_words, &lex->class_words_cap, lex->nclass_words + 1,
              sizeof *lex->class_words))
    return FS_ERR_NOMEM;
  lex->class_words[lex->nclass_words++] =
      (fs_class_word){w->id, w->kind, e->lang};
  return FS_OK;
}

/* Class words by language, kind, then string id. */
static int cmp_class_word(const void *a, const void *b) {
  const fs_class_word *x = a, *y = b;
  if (x->lang != y->lang)
    return x->lang < y->lang ? -1 : 1;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return (x->id > y->id) - (x->id < y->id);
}

/* Called for each new form of a context, after fs_lexicon_freeze() sorted
 * the class: a binary search per kind. */
bool fs_lexicon_is_person(const fs_lexicon *lex, unsigned lang,
                          uint32_t lex_stem, uint32_t lex_form) {
  const int kinds[2] = {FS_PW_STEM, FS_PW_EXACT};
  const uint32_t ids[2] = {lex_stem, lex_form};
  for (int i = 0; i < 2; i++) {
    if (ids[i] == FS_NONE || !lex->nclass_words)
      continue;
    fs_class_word key = {ids[i], (uint8_t)kinds[i], (uint8_t)lang};
    if (bsearch(&key, lex->class_words, lex->nclass_words,
                sizeof *lex->class_words, cmp_class_word))
      return true;
  }
  return false;
}

/* The entry and class lines of a file as parse_line() read them, packed one
 * after another: the file is parsed once, to validate it (and every other
 * file of a folder) before any line is committed, and committed from here
 * (parsing it again doubled the cost of parsing, a third of loading the
 * default lexicons that is not stemming). Per line: a packed_head, the
 * words' kinds, then the pattern, category, note and words, each
 * NUL-terminated. */
typedef struct packed_lines {
  char *buf;
  size_t len, cap;
} packed_lines;

typedef struct packed_head {
  long lineno;
  double weight;
  uint8_t type; /* parse_line's 1 (an entry) or 2 (a class word) */
  uint8_t nwords;
  bool event, once, person;
} packed_head;

static char *put_str(char *o, const char *s, size_t len) {
  memcpy(o, s, len);
  o[len] = '\0';
  return o + len + 1;
}

static int pack_line(packed_lines *pl, const parsed *p, int type,
                     long lineno) {
  size_t lp = strlen(p->pattern), lc = strlen(p->category);
  size_t ln = strlen(p->note), lw[MAX_WORDS];
  size_t need = sizeof(packed_head) + (size_t)p->nwords + lp + lc + ln + 3;
  for (int k = 0; k < p->nwords; k++)
    need += (lw[k] = strlen(p->word[k])) + 1;
  if (fs_grow(&pl->buf, &pl->cap, pl->len + need, 1))
    return FS_ERR_NOMEM;
  packed_head h = {.lineno = lineno,
                   .weight = p->weight,
                   .type = (uint8_t)type,
                   .nwords = (uint8_t)p->nwords,
                   .event = p->event,
                   .once = p->once,
                   .person = p->person};
  char *o = pl->buf + pl->len;
  memcpy(o, &h, sizeof h);
  o += sizeof h;
  memcpy(o, p->kind, (size_t)p->nwords);
  o += p->nwords;
  o = put_str(o, p->pattern, lp);
  o = put_str(o, p->category, lc);
  o = put_str(o, p->note, ln);
  for (int k = 0; k < p->nwords; k++)
    o = put_str(o, p->word[k], lw[k]);
  pl->len += need;
  return FS_OK;
}

static const char *get_str(char *dst, const char *in) {
  size_t n = strlen(in) + 1;
  memcpy(dst, in, n);
  return in + n;
}

/* Unpacks the line at in into p; returns where the next line starts. */
static const char *unpack_line(const char *in, parsed *p, packed_head *h) {
  memcpy(h, in, sizeof *h);
  in += sizeof *h;
  p->nwords = h->nwords;
  p->weight = h->weight;
  p->event = h->event;
  p->once = h->once;
  p->person = h->person;
  memcpy(p->kind, in, h->nwords);
  in += h->nwords;
  in = get_str(p->pattern, in);
  in = get_str(p->category, in);
  in = get_str(p->note, in);
  for (int k = 0; k < h->nwords; k++)
    in = get_str(p->word[k], in);
  return in;
}

/* Validates a whole buffer, packing its entry and class lines into pl. */
static int parse_text(const char *name, const char *data, size_t len,
                      packed_lines *pl, fs_error *err) {
  parsed *p = malloc(sizeof *p);
  if (!p)
    return fs_error_set(err, FS_ERR_NOMEM, name, 0, 0, "out of memory");
  p->category[0] = '\0'; /* no valid category before the first line */
  int rc = FS_OK;
  size_t i = 0;
  long lineno = 0;
  if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
    i = 3;
  while (i < len && rc == FS_OK) {
    const char *nl = memchr(data + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - data) : len;
    lineno++;
    int r = parse_line(p, data + i, end - i, name, lineno, err);
    if (r < 0)
      rc = -r;
    else if (r > 0 && (rc = pack_line(pl, p, r, lineno)))
      fs_error_set(err, rc, name, lineno, 0, "out of memory");
    i = end + 1;
  }
  free(p);
  return rc;
}

/* Commits the lines parse_text() packed, as source `name`. */
static int commit_text(fs_lexicon *lex, const char *name,
                       const packed_lines *pl, fs_error *err) {
  parsed *p = malloc(sizeof *p);
  if (!p)
    return fs_error_set(err, FS_ERR_NOMEM, name, 0, 0, "out of memory");
  uint32_t source = 0;
  int rc = add_source(lex, name, &source);
  if (rc != FS_OK) {
    free(p);
    return fs_error_set(err, rc, name, 0, 0, "out of memory");
  }
  /* offsets, not pointers: an empty file packed nothing (buf NULL) */
  for (size_t at = 0; at < pl->len && rc == FS_OK;) {
    packed_head h;
    at = (size_t)(unpack_line(pl->buf + at, p, &h) - pl->buf);
    rc = h.type == 1 ? commit(lex, p, source, h.lineno) : commit_class(lex, p);
    if (rc)
      fs_error_set(err, rc, name, h.lineno, 0, "out of memory");
  }
  free(p);
  return rc;
}

/* Validates a whole buffer into pl (commit_it false), or commits what that
 * packed (commit_it true). */
static int load_text(fs_lexicon *lex, const char *name, const char *data,
                     size_t len, packed_lines *pl, bool commit_it,
                     fs_error *err) {
  if (fs_liwc_is_dictionary(name))
    return fs_liwc_load_text(lex, name, data, len, commit_it, err);
  return commit_it ? commit_text(lex, name, pl, err)
                   : parse_text(name, data, len, pl, err);
}

int fs_lexicon_load_buffer(fs_lexicon *lex, const char *name, const char *data,
                           size_t len, fs_error *err) {
  if (lex->frozen)
    return fs_error_set(err, FS_ERR_USAGE, name, 0, 0,
                        "lexicon is in use and can no longer change");
  packed_lines pl = {0};
  int rc = load_text(lex, name, data, len, &pl, false, err);
  if (rc == FS_OK)
    rc = load_text(lex, name, data, len, &pl, true, err);
  free(pl.buf);
  return rc;
}

/* Reads a lexicon file: a regular file within FS_LEXICON_FILE_MAX (a
 * FIFO or a link to a device in a lexicon folder is refused, not read). */
static int read_file(const char *path, char **data, size_t *len,
                     fs_error *err) {
  return fs_read_file(path, FS_LEXICON_FILE_MAX, "the lexicon file limit", data,
                      len, err);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_lexicon_file(const char *name) {
  size_t n = strlen(name);
  return name[0] != '.' && ((n > 4 && !strcmp(name + n - 4, ".tsv")) ||
                            fs_liwc_is_dictionary(name));
}

int fs_lexicon_load(fs_lexicon *lex, const char *path, fs_error *err) {
  struct stat st;
  if (stat(path, &st) != 0)
    return fs_error_set(err, FS_ERR_INPUT, path, 0, 0, "%s", strerror(errno));
  if (!S_ISDIR(st.st_mode)) {
    if (!S_ISREG(st.st_mode))
      return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                          "not a regular file");
    char *data;
    size_t len;
    int rc = read_file(path, &data, &len, err);
    if (rc)
      return rc;
    rc = fs_lexicon_load_buffer(lex, path, data, len, err);
    free(data);
    return rc;
  }
  DIR *d = opendir(path);
  if (!d)
    return fs_error_set(err, FS_ERR_INPUT, path, 0, 0, "%s", strerror(errno));
  char **names = NULL;
  size_t n = 0, cap = 0;
  int rc = FS_OK;
  struct dirent *de;
  while ((de = readdir(d)) && rc == FS_OK) {
    if (!is_lexicon_file(de->d_name))
      continue;
    char *full = malloc(strlen(path) + strlen(de->d_name) + 2);
    if (!full || fs_grow(&names, &cap, n + 1, sizeof *names)) {
      free(full);
      rc = fs_error_set(err, FS_ERR_NOMEM, path, 0, 0, "out of memory");
      break;
    }
    sprintf(full, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/",
            de->d_name);
    names[n++] = full;
  }
  closedir(d);
  if (rc == FS_OK && n == 0)
    rc = fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                      "directory holds no lexicon (*.tsv, *.dic or *.dicx) "
                      "files");
  if (n)
    qsort(names, n, sizeof *names, cmp_str);
  char **datas = calloc(n ? n : 1, sizeof *datas);
  size_t *lens = calloc(n ? n : 1, sizeof *lens);
  packed_lines *packs = calloc(n ? n : 1, sizeof *packs);
  if (!datas || !lens || !packs)
    rc = fs_error_set(err, FS_ERR_NOMEM, path, 0, 0, "out of memory");
  /* validate every file before committing any, so a bad file leaves the
   * lexicon unchanged */
  for (size_t i = 0; i < n && rc == FS_OK; i++) {
    rc = read_file(names[i], &datas[i], &lens[i], err);
    if (rc == FS_OK)
      rc = load_text(lex, names[i], datas[i], lens[i], &packs[i], false, err);
  }
  for (size_t i = 0; i < n && rc == FS_OK; i++)
    rc = load_text(lex, names[i], datas[i], lens[i], &packs[i], true, err);
  for (size_t i = 0; i < n; i++) {
    free(names[i]);
    if (datas)
      free(datas[i]);
    if (packs)
      free(packs[i].buf);
  }
  free(names);
  free(datas);
  free(lens);
  free(packs);
  return rc;
}

/* ---- freezing: categories sorted, match indexes built -------------------- */

static int cmp_cat(const void *a, const void *b, void *cats) {
  const fs_cat *c = cats;
  return strcmp(c[*(const uint32_t *)a].name, c[*(const uint32_t *)b].name);
}

static int index_add(fs_lexicon *lex, uint64_t key, uint32_t entry) {
  int oom = 0;
  fs_first_index *f = NULL;
  HASH_FIND(hh, lex->first, &key, sizeof key, f);
  if (!f) {
    f = calloc(1, sizeof *f);
    if (!f)
      return -1;
    f->key = key;
    HASH_ADD(hh, lex->first, key, sizeof f->key, f);
    if (oom) {
      free(f);
      return -1;
    }
  }
  if (fs_grow(&f->list, &f->cap, f->n + 1, sizeof *f->list))
    return -1;
  f->list[f->n++] = entry;
  return 0;
}

static uint64_t first_key(unsigned lang, int kind, uint32_t id) {
  return (uint64_t)lang << 40 | (uint64_t)kind << 32 | id;
}

/* ---- the phrase trie ---------------------------------------------------- */

static void free_trie(fs_lexicon *lex) {
  free(lex->tnodes);
  free(lex->tkids);
  free(lex->tends);
  free(lex->tglens);
  lex->tnodes = NULL, lex->tkids = NULL, lex->tends = NULL;
  lex->tglens = NULL;
  lex->ntnodes = 0;
}

/* Entries in pattern order: word by word by (kind, id), a pattern before
 * the longer ones it starts. */
static int cmp_pattern(const void *a, const void *b, void *arg) {
  const fs_lexicon *lex = arg;
  const fs_entry *x = &lex->entries[*(const uint32_t *)a];
  const fs_entry *y = &lex->entries[*(const uint32_t *)b];
  if (x->lang != y->lang)
    return x->lang < y->lang ? -1 : 1;
  uint32_t n = x->nwords < y->nwords ? x->nwords : y->nwords;
  for (uint32_t i = 0; i < n; i++) {
    const fs_pword *u = &lex->pwords[x->word0 + i];
    const fs_pword *v = &lex->pwords[y->word0 + i];
    uint64_t ku = fs_trie_key(u->kind, u->id), kv = fs_trie_key(v->kind, v->id);
    if (ku != kv)
      return ku < kv ? -1 : 1;
  }
  if (x->nwords != y->nwords)
    return x->nwords < y->nwords ? -1 : 1;
  return (*(const uint32_t *)a > *(const uint32_t *)b) -
         (*(const uint32_t *)a < *(const uint32_t *)b);
}

/* The active entries sorted in pattern order by a merge sort whose
 * comparison inlines: each item carries its entry's language and first
 * word as one number, which decides most comparisons without reading the
 * entry (glibc's qsort_r calls cmp_pattern through a pointer, and that
 * reads both entries and their first words, ~60 instructions a call). */
typedef struct sort_item {
  uint64_t first; /* lang << 35 | fs_trie_key(kind, id) of word 0 */
  uint32_t entry;
} sort_item;

static inline bool item_before(const fs_lexicon *lex, const sort_item *a,
                               const sort_item *b) {
  if (a->first != b->first)
    return a->first < b->first;
  return cmp_pattern(&a->entry, &b->entry, (void *)lex) < 0;
}

#define SORT_RUN 16 /* insertion-sorted before merging */

static void sort_entries(const fs_lexicon *lex, sort_item *a, sort_item *tmp,
                         size_t n) {
  for (size_t lo = 0; lo < n; lo += SORT_RUN) {
    size_t hi = lo + SORT_RUN < n ? lo + SORT_RUN : n;
    for (size_t i = lo + 1; i < hi; i++) {
      sort_item x = a[i];
      size_t j = i;
      for (; j > lo && item_before(lex, &x, &a[j - 1]); j--)
        a[j] = a[j - 1];
      a[j] = x;
    }
  }
  sort_item *from = a, *to = tmp;
  for (size_t width = SORT_RUN; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n;
      size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, o = lo;
      while (i < mid && j < hi)
        to[o++] = item_before(lex, &from[j], &from[i]) ? from[j++] : from[i++];
      while (i < mid)
        to[o++] = from[i++];
      while (j < hi)
        to[o++] = from[j++];
    }
    sort_item *t = from;
    from = to, to = t;
  }
  if (from != a)
    memcpy(a, from, n * sizeof *a);
}

/* Entries ending at one node: by family, the family's "person" entries
 * first (they match only before a person word, so the plain entry after
 * them is kept too), then as the matcher prefers them (stronger weight,
 * then earlier entry). */
static int cmp_end(const void *a, const void *b, void *arg) {
  const fs_lexicon *lex = arg;
  uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
  uint32_t fi = lex->cats[lex->entries[i].category].family;
  uint32_t fj = lex->cats[lex->entries[j].category].family;
  if (fi != fj)
    return fi < fj ? -1 : 1;
  if (lex->entries[i].person != lex->entries[j].person)
    return lex->entries[i].person ? -1 : 1;
  double wi = fabs(lex->entries[i].weight), wj = fabs(lex->entries[j].weight);
  if (wi != wj)
    return wi > wj ? -1 : 1;
  return (i > j) - (i < j);
}

static int cmp_u16(const void *a, const void *b) {
  return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* Builds the trie breadth first from the active entries in language, then
 * pattern order: a node is a run of them sharing its first `depth` words,
 * so its children are the runs sharing one more, stored next to each
 * other. Node l (l < nlangs) is the root of language l's entries. */
static int build_trie(fs_lexicon *lex) {
  free_trie(lex);
  size_t n = 0, ncap = 0, kcap = 0, ecap = 0, gcap = 0;
  size_t nkids = 0, nends = 0, nglens = 0;
  uint32_t *order = malloc((lex->nentries ? lex->nentries : 1) * sizeof *order);
  sort_item *items = malloc((lex->nentries ? lex->nentries : 1) * 2 *
                            sizeof *items);
  /* per node while building: its run [lo, hi) of order and its depth */
  uint32_t(*run)[3] = NULL;
  size_t rcap = 0;
  int rc = -1;
  if (!order || !items)
    goto done;
  for (size_t i = 0; i < lex->nentries; i++) {
    const fs_entry *e = &lex->entries[i];
    if (!e->active)
      continue;
    const fs_pword *w = &lex->pwords[e->word0];
    items[n].first = (uint64_t)e->lang << 35 |
                     (e->nwords ? fs_trie_key(w->kind, w->id) : 0);
    items[n++].entry = (uint32_t)i;
  }
  sort_entries(lex, items, items + n, n);
  for (size_t i = 0; i < n; i++)
    order[i] = items[i].entry;
  free(items);
  items = NULL;
  size_t nroots = lex->nlangs ? lex->nlangs : 1;
  if (fs_grow(&lex->tnodes, &ncap, nroots, sizeof *lex->tnodes) ||
      fs_grow(&run, &rcap, nroots, sizeof *run))
    goto done;
  lex->ntnodes = nroots;
  for (size_t l = 0, k = 0; l < nroots; l++) {
    run[l][0] = (uint32_t)k;
    while (k < n && (l + 1 == nroots || lex->entries[order[k]].lang == l))
      k++;
    run[l][1] = (uint32_t)k, run[l][2] = 0;
  }
  for (size_t t = 0; t < lex->ntnodes; t++) {
    uint32_t lo = run[t][0], hi = run[t][1], depth = run[t][2];
    fs_tnode nd = {0};
    /* the entries that end here come first */
    uint32_t k = lo;
    while (k < hi && lex->entries[order[k]].nwords == depth)
      k++;
    if (k > lo) {
      if (k - lo > SORT_RUN) {
        qsort_r(order + lo, k - lo, sizeof *order, cmp_end, lex);
      } else { /* few: glibc's qsort_r costs ~800 instructions a call */
        for (uint32_t i = lo + 1; i < k; i++) {
          uint32_t x = order[i], j = i;
          for (; j > lo && cmp_end(&x, &order[j - 1], lex) < 0; j--)
            order[j] = order[j - 1];
          order[j] = x;
        }
      }
      nd.end = (uint32_t)nends;
      for (uint32_t i = lo; i < k; i++) {
        uint32_t fam = lex->cats[lex->entries[order[i]].category].family;
        if (nd.nend && lex->tends[nends - 1].family == fam &&
            lex->entries[lex->tends[nends - 1].entry].person ==
                lex->entries[order[i]].person)
          continue;
        if (fs_grow(&lex->tends, &ecap, nends + 1, sizeof *lex->tends))
          goto done;
        lex->tends[nends++] = (fs_tend){fam, order[i]};
        nd.nend++;
      }
    }
    /* the children: runs of one word at position depth */
    nd.kid = (uint32_t)nkids;
    nd.glen = (uint32_t)nglens;
    while (k < hi) {
      const fs_pword *w = &lex->pwords[lex->entries[order[k]].word0 + depth];
      uint64_t key = fs_trie_key(w->kind, w->id);
      uint32_t e = k + 1;
      while (e < hi) {
        const fs_pword *v = &lex->pwords[lex->entries[order[e]].word0 + depth];
        if (fs_trie_key(v->kind, v->id) != key)
          break;
        e++;
      }
      size_t c = lex->ntnodes;
      if (fs_grow(&lex->tkids, &kcap, nkids + 1, sizeof *lex->tkids) ||
          fs_grow(&lex->tnodes, &ncap, c + 1, sizeof *lex->tnodes) ||
          fs_grow(&run, &rcap, c + 1, sizeof *run))
        goto done;
      lex->tkids[nkids++] = (fs_tkid){key, (uint32_t)c};
      run[c][0] = k, run[c][1] = e, run[c][2] = depth + 1;
      lex->ntnodes++;
      nd.nkid++;
      nd.kinds |= (uint8_t)(1u << w->kind);
      if (w->kind == FS_PW_GLOB) {
        if (fs_grow(&lex->tglens, &gcap, nglens + 1, sizeof *lex->tglens))
          goto done;
        lex->tglens[nglens++] = (uint16_t)fs_intern_len(&lex->strings, w->id);
      }
      k = e;
    }
    /* glob lengths, each once */
    size_t g = nglens - nd.glen;
    if (g > 1) {
      qsort(lex->tglens + nd.glen, g, sizeof *lex->tglens, cmp_u16);
      size_t u = 1;
      for (size_t i = 1; i < g; i++)
        if (lex->tglens[nd.glen + i] != lex->tglens[nd.glen + u - 1])
          lex->tglens[nd.glen + u++] = lex->tglens[nd.glen + i];
      nglens = nd.glen + u;
      g = u;
    }
    nd.nglen = (uint16_t)g;
    lex->tnodes[t] = nd;
  }
  rc = 0;
done:
  free(order);
  free(items);
  free(run);
  if (rc)
    free_trie(lex);
  return rc;
}

uint32_t fs_trie_kid(const fs_lexicon *lex, uint32_t node, int kind,
                     uint32_t id) {
  const fs_tnode *nd = &lex->tnodes[node];
  return fs_trie_kid_in(lex->tkids + nd->kid, nd->nkid, fs_trie_key(kind, id));
}

static int push_kid(uint32_t kid, uint32_t **out, size_t *n, size_t *cap) {
  if (kid == FS_NONE)
    return 0;
  if (fs_grow(out, cap, *n + 1, sizeof **out))
    return -1;
  (*out)[(*n)++] = kid;
  return 0;
}

int fs_trie_kids(const fs_lexicon *lex, uint32_t node, uint32_t stem,
                 uint32_t lform, const char *form, size_t flen, uint32_t **out,
                 size_t *n, size_t *cap) {
  const fs_tnode *nd = &lex->tnodes[node];
  if ((nd->kinds & 1u << FS_PW_STEM) && stem != FS_NONE &&
      push_kid(fs_trie_kid(lex, node, FS_PW_STEM, stem), out, n, cap))
    return -1;
  if ((nd->kinds & 1u << FS_PW_EXACT) && lform != FS_NONE &&
      push_kid(fs_trie_kid(lex, node, FS_PW_EXACT, lform), out, n, cap))
    return -1;
  /* a prefix is looked up once per length a glob child has: the cost is
   * bounded by the word's length, whatever the number of globs */
  for (uint32_t i = 0; i < nd->nglen && lex->tglens[nd->glen + i] <= flen;
       i++) {
    uint32_t id = fs_intern_find(&lex->strings, form, lex->tglens[nd->glen + i]);
    if (id != FS_NONE &&
        push_kid(fs_trie_kid(lex, node, FS_PW_GLOB, id), out, n, cap))
      return -1;
  }
  return 0;
}

uint32_t fs_trie_case_kid(const fs_lexicon *lex, uint32_t node, const char *s,
                          size_t len) {
  if (!(lex->tnodes[node].kinds & 1u << FS_PW_CASE))
    return FS_NONE;
  /* the surface as the pattern would spell it; no pattern word is longer
   * than MAX_WORD bytes */
  char buf[MAX_WORD + 8];
  size_t i = 0, o = 0;
  while (i < len) {
    int bad = 0;
    uint32_t cp = fs_utf8_next((const unsigned char *)s, len, &i, &bad);
    if (fs_is_apostrophe(cp))
      cp = '\'';
    if (o > MAX_WORD)
      return FS_NONE;
    o += fs_utf8_put(cp, buf + o);
  }
  uint32_t id = fs_intern_find(&lex->strings, buf, o);
  return id == FS_NONE ? FS_NONE : fs_trie_kid(lex, node, FS_PW_CASE, id);
}

static int freeze(fs_lexicon *lex, fs_error *err);

int fs_lexicon_freeze(fs_lexicon *lex, fs_error *err) {
  pthread_mutex_lock(&lex->freeze_mu);
  int rc = lex->frozen ? FS_OK : freeze(lex, err);
  pthread_mutex_unlock(&lex->freeze_mu);
  return rc;
}

static int freeze(fs_lexicon *lex, fs_error *err) {
  /* make sure the built-in category exists */
  if (category_id(lex, "scare_quote") == FS_NONE)
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  uint32_t scare = category_id(lex, "scare_quote");
  /* keep used categories, sorted by name */
  bool *used = calloc(lex->ncats, sizeof *used);
  uint32_t *order = malloc(lex->ncats * sizeof *order);
  uint32_t *remap = malloc(lex->ncats * sizeof *remap);
  if (!used || !order || !remap) {
    free(used), free(order), free(remap);
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  used[scare] = true;
  for (size_t i = 0; i < lex->nentries; i++)
    if (lex->entries[i].active)
      used[lex->entries[i].category] = true;
  size_t n = 0;
  for (size_t i = 0; i < lex->ncats; i++)
    if (used[i])
      order[n++] = (uint32_t)i;
  qsort_r(order, n, sizeof *order, cmp_cat, lex->cats);
  fs_cat *cats = malloc((n ? n : 1) * sizeof *cats);
  if (!cats) {
    free(used), free(order), free(remap);
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  for (size_t i = 0; i < lex->ncats; i++)
    remap[i] = FS_NONE;
  for (size_t i = 0; i < n; i++) {
    cats[i] = lex->cats[order[i]];
    remap[order[i]] = (uint32_t)i;
  }
  for (size_t i = 0; i < lex->ncats; i++)
    if (!used[i])
      free(lex->cats[i].name);
  free(lex->cats);
  lex->cats = cats;
  lex->ncats = lex->cats_cap = n;
  /* the names again, in the new order */
  fs_intern_free(&lex->cat_names);
  fs_intern_init(&lex->cat_names);
  for (size_t i = 0; i < n; i++)
    if (fs_intern_add(&lex->cat_names, cats[i].name, strlen(cats[i].name)) !=
        i) {
      free(used), free(order), free(remap);
      return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
  for (size_t i = 0; i < lex->nentries; i++)
    lex->entries[i].category = remap[lex->entries[i].category];
  lex->scare_cat = remap[scare];
  lex->last_cat = FS_NONE; /* ids renumbered */
  free(used), free(order), free(remap);
  for (size_t i = 0; i < n; i++)
    cats[i].in_score = fs_family_in_score(lex->families[cats[i].family]);

  for (size_t f = 0; f < lex->nfamilies; f++) {
    if (!strcmp(lex->families[f], "negator"))
      lex->negator_fam = (uint32_t)f;
    else if (!strcmp(lex->families[f], "intensifier"))
      lex->intensifier_fam = (uint32_t)f;
    else if (!strcmp(lex->families[f], "attribution"))
      lex->attribution_fam = (uint32_t)f;
  }
  /* first-word indexes (rebuilt from scratch if an earlier attempt ran out
   * of memory half-way) */
  fs_first_index *fi, *ft;
  HASH_ITER(hh, lex->first, fi, ft) {
    HASH_DEL(lex->first, fi);
    free(fi->list);
    free(fi);
  }
  for (size_t i = 0; i < lex->nentries; i++) {
    const fs_entry *e = &lex->entries[i];
    const fs_pword *w = &lex->pwords[e->word0];
    if (e->active && w->kind == FS_PW_CASE &&
        index_add(lex, first_key(e->lang, w->kind, w->low), (uint32_t)i))
      return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  /* the person class, sorted for fs_lexicon_is_person's binary search */
  if (lex->nclass_words)
    qsort(lex->class_words, lex->nclass_words, sizeof *lex->class_words,
          cmp_class_word);
  if (build_trie(lex))
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  lex->frozen = true;
  return FS_OK;
}

size_t fs_lexicon_first(const fs_lexicon *lex, unsigned lang, int kind,
                        uint32_t id, const uint32_t **list) {
  uint64_t key = first_key(lang, kind, id);
  fs_first_index *f = NULL;
  HASH_FIND(hh, lex->first, &key, sizeof key, f);
  if (!f)
    return 0;
  *list = f->list;
  return f->n;
}

/* ---- read-only views ---------------------------------------------------- */

size_t fs_lexicon_category_count(const fs_lexicon *lex) { return lex->ncats; }

const char *fs_lexicon_category_name(const fs_lexicon *lex, size_t id) {
  return id < lex->ncats ? lex->cats[id].name : NULL;
}

const char *fs_lexicon_category_family(const fs_lexicon *lex, size_t id) {
  return id < lex->ncats ? lex->families[lex->cats[id].family] : NULL;
}

const char *fs_lexicon_lang(const fs_lexicon *lex) { return lex->lang; }

size_t fs_lexicon_family_count(const fs_lexicon *lex) {
  return lex->nfamilies;
}

long fs_lexicon_category_family_id(const fs_lexicon *lex, size_t id) {
  return id < lex->ncats ? (long)lex->cats[id].family : -1;
}

long fs_lexicon_category_find(const fs_lexicon *lex, const char *name) {
  for (size_t i = 0; i < lex->ncats; i++)
    if (!strcmp(lex->cats[i].name, name))
      return (long)i;
  return -1;
}

size_t fs_lexicon_entry_count(const fs_lexicon *lex) { return lex->nentries; }

size_t fs_lexicon_warning_count(const fs_lexicon *lex) {
  return lex->nwarnings;
}

const char *fs_lexicon_warning(const fs_lexicon *lex, size_t i) {
  return i < lex->nwarnings ? lex->warnings[i] : NULL;
}

int fs_lexicon_entry(const fs_lexicon *lex, size_t i, fs_entry_info *info) {
  if (i >= lex->nentries)
    return -1;
  const fs_entry *e = &lex->entries[i];
  info->pattern = e->pattern;
  info->key = e->key;
  info->source = lex->sources[e->source];
  info->line = e->line;
  info->category = e->category;
  info->weight = e->weight;
  info->event = e->event;
  info->once = e->once;
  info->lang = lex->langs[e->lang];
  info->note = e->note;
  info->duplicate_of = e->duplicate_of;
  info->person = e->person;
  return 0;
}
