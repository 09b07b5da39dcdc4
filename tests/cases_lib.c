/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cases_lib.c - behaviour cases kept as data (tests/cases/NAME.txt, format in
 * tests/cases/README.md) → the library: each case's text is analysed with
 * its lexicon and its match, count, doc and token lines are checked.
 * Usage: cases_lib PROJECT_DIR CASES_DIR (every *.txt there, in name
 * order); prints file:line: what for each
 * line that does not hold and exits 1 when one does not. */
#include "framescore.h"

#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_LEXICONS = 32, MAX_LINES = 128, MAX_ARGS = 16 };

typedef struct lexicon_def {
  char name[64], lang[32];
  char *entries; /* TSV text, or NULL: the project's default lexicons */
  size_t len;
  fs_lexicon *lex; /* loaded on first use */
} lexicon_def;

typedef struct case_def {
  long line; /* of "case" */
  const char *title;
  int lexicon; /* index into the file's lexicons */
  char text[4096];
  size_t len;
  int has_text;
  const char *checks[MAX_LINES]; /* expectation lines, as written */
  long check_line[MAX_LINES];
  int nchecks;
} case_def;

static const char *project, *file;
static int failed, checked, cases;

/* Reports a line that does not hold. */
static void fail(long line, const char *fmt, const char *a, const char *b) {
  failed++;
  fprintf(stderr, "%s:%ld: ", file, line);
  fprintf(stderr, fmt, a, b);
  fputc('\n', stderr);
}

/* Decodes the escapes of a text line (\n \r \t \\ \xHH) onto out; returns 0,
 * or -1 on an unknown escape or when out is full. */
static int decode(const char *s, char *out, size_t *len, size_t cap) {
  for (; *s; s++) {
    int c = (unsigned char)*s;
    if (c == '\\') {
      s++;
      if (*s == 'n')
        c = '\n';
      else if (*s == 'r')
        c = '\r';
      else if (*s == 't')
        c = '\t';
      else if (*s == '\\')
        c = '\\';
      else if (*s == 'x' && isxdigit((unsigned char)s[1]) &&
               isxdigit((unsigned char)s[2])) {
        char hex[3] = {s[1], s[2], 0};
        c = (int)strtol(hex, NULL, 16);
        s += 2;
      } else
        return -1;
    }
    if (*len + 1 >= cap)
      return -1;
    out[(*len)++] = (char)c;
  }
  return 0;
}

/* Splits a check line into words; "quoted words" may hold spaces, \" and
 * \\; KEY="value" keeps KEY= with the unquoted value. Writes into buf. Returns
 * the number of words, or -1 on an unclosed quote. */
static int split(const char *s, char *buf, char **argv) {
  int n = 0;
  while (*s) {
    while (*s == ' ' || *s == '\t')
      s++;
    if (!*s)
      break;
    if (n == MAX_ARGS)
      return -1;
    argv[n++] = buf;
    int quoted = 0;
    while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
      if (*s == '"') {
        quoted = !quoted;
        s++;
        continue;
      }
      if (quoted && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
        s++;
      *buf++ = *s++;
    }
    *buf++ = 0;
    if (quoted)
      return -1;
  }
  return n;
}

static const char *voice_name(int v) {
  return v == FS_VOICE_QUOTE ? "quote" : "author";
}

static const char *kind_name(int k) {
  return k == FS_TOK_NUMBER  ? "number"
         : k == FS_TOK_PUNCT ? "punct"
         : k == FS_TOK_QUOTE ? "quote"
                             : "word";
}

/* The text of tokens [a, b) of d into out (cut at cap). */
static void surface(const fs_doc *d, size_t a, size_t b, char *out,
                    size_t cap) {
  size_t n, len;
  const fs_token *t = fs_doc_tokens(d, &n);
  const char *s = fs_doc_text(d, &len);
  if (a == FS_NONE || a >= n || b > n || b <= a) {
    snprintf(out, cap, "none");
    return;
  }
  size_t x = t[a].byte_start, y = t[b - 1].byte_end;
  snprintf(out, cap, "%.*s", (int)(y - x), s + x);
}

/* Checks KEY=VALUE of argv[from..] against the values `have` gives by key
 * (NULL for a key it does not know). */
typedef const char *(*value_fn)(const void *obj, const char *key, char *buf,
                                size_t cap);

static void check_values(long line, const char *what, const void *obj,
                         value_fn have, char **argv, int from, int argc) {
  for (int i = from; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    char buf[256];
    if (!eq) {
      fail(line, "%s: expected KEY=VALUE, got '%s'", what, argv[i]);
      continue;
    }
    *eq = 0;
    const char *got = have(obj, argv[i], buf, sizeof buf);
    checked++;
    if (!got)
      fail(line, "%s: unknown key '%s'", what, argv[i]);
    else if (strcmp(got, eq + 1)) {
      char msg[600];
      snprintf(msg, sizeof msg, "%s=%s, want %s", argv[i], got, eq + 1);
      fail(line, "%s: %s", what, msg);
    }
    *eq = '=';
  }
}

typedef struct match_view {
  const fs_doc *d;
  const fs_match *m;
} match_view;

static const char *match_value(const void *obj, const char *key, char *buf,
                               size_t cap) {
  const match_view *v = obj;
  if (!strcmp(key, "voice"))
    return voice_name(v->m->voice);
  if (!strcmp(key, "negated"))
    return v->m->negated ? "1" : "0";
  if (!strcmp(key, "negator") || !strcmp(key, "intensifier")) {
    uint32_t t = key[0] == 'n' ? v->m->negator : v->m->intensifier;
    surface(v->d, t, t == FS_NONE ? t : t + 1, buf, cap);
    return buf;
  }
  return NULL;
}

typedef struct token_view {
  const fs_ctx *ctx;
  const fs_token *t;
} token_view;

static const char *token_value(const void *obj, const char *key, char *buf,
                               size_t cap) {
  const token_view *v = obj;
  const fs_token *t = v->t;
  const char *names[] = {"byte_start", "byte_end", "char_start", "char_end",
                         "line",       "col",      "sentence",   "paragraph"};
  size_t nums[] = {t->byte_start, t->byte_end, t->char_start, t->char_end,
                   t->line,       t->col,      t->sentence + 1,
                   t->paragraph + 1};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (!strcmp(key, names[i])) {
      snprintf(buf, cap, "%zu", nums[i]);
      return buf;
    }
  if (!strcmp(key, "voice"))
    return voice_name(t->voice);
  if (!strcmp(key, "scare"))
    return t->flags & FS_TOKF_SCARE ? "1" : "0";
  if (!strcmp(key, "joined"))
    return t->flags & FS_TOKF_JOINED ? "1" : "0";
  if (!strcmp(key, "kind"))
    return kind_name(t->kind);
  if (!strcmp(key, "form"))
    return fs_ctx_form(v->ctx, t->form);
  if (!strcmp(key, "stem"))
    return fs_ctx_stem(v->ctx, t->stem);
  return NULL;
}

/* A document count by its name in the report's JSON, or NAN. */
static double doc_value(const fs_doc_stats *st, const char *key) {
  const char *names[] = {"words",        "author_words", "quote_words",
                         "sentences",    "paragraphs",   "quotations",
                         "scare_quotes", "invalid_utf8", "nul_bytes",
                         "bom",          "loaded_score"};
  double vals[] = {(double)(st->words[0] + st->words[1]),
                   (double)st->words[FS_VOICE_AUTHOR],
                   (double)st->words[FS_VOICE_QUOTE],
                   (double)st->sentences,
                   (double)st->paragraphs,
                   (double)st->quotes,
                   (double)st->scare_quotes,
                   (double)st->invalid_utf8,
                   (double)st->nul_bytes,
                   (double)st->bom,
                   st->loaded_score};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (!strcmp(key, names[i]))
      return vals[i];
  return NAN;
}

static void check_doc(long line, const fs_doc_stats *st, char **argv,
                      int argc) {
  for (int i = 1; i < argc; i++) {
    char *eq = strchr(argv[i], '=');
    int at_least = eq && eq > argv[i] && eq[-1] == '>';
    if (!eq) {
      fail(line, "doc: expected KEY=N, got '%s'%s", argv[i], "");
      continue;
    }
    *(at_least ? eq - 1 : eq) = 0;
    double got = doc_value(st, argv[i]), want = strtod(eq + 1, NULL);
    checked++;
    /* the report writes the score to four decimals */
    int ok = at_least ? got >= want : fabs(got - want) < 0.5e-4 + 1e-9;
    if (isnan(got))
      fail(line, "doc: unknown key '%s'%s", argv[i], "");
    else if (!ok) {
      char msg[128];
      snprintf(msg, sizeof msg, "%.4f, want %s%s", got, at_least ? ">=" : "",
               eq + 1);
      fail(line, "doc: %s = %s", argv[i], msg);
    }
  }
}

/* The category name of match m. */
static const char *cat_of(const fs_lexicon *lex, const fs_match *m) {
  return fs_lexicon_category_name(lex, m->category);
}

/* Runs one expectation line against the analysed document.
 * The k-th match line of a category is checked against its k-th match. */
static void check_line(const case_def *c, int k, const fs_lexicon *lex,
                       const fs_ctx *ctx, const fs_doc *d) {
  char buf[1024], *argv[MAX_ARGS];
  long line = c->check_line[k];
  if (!strncmp(c->checks[k], "readme: ", 8))
    return; /* the program runner checks the README */
  int argc = split(c->checks[k], buf, argv);
  size_t n, nt;
  const fs_match *m = fs_doc_matches(d, &n);
  const fs_token *t = fs_doc_tokens(d, &nt);
  char got[256];
  if (argc < 1) {
    fail(line, "cannot read this line%s%s", "", "");
    return;
  }
  if (!strcmp(argv[0], "count") && argc == 3) {
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
      count += !strcmp(cat_of(lex, &m[i]), argv[1]);
    checked++;
    snprintf(got, sizeof got, "%zu", count);
    if (strcmp(got, argv[2])) {
      char msg[300];
      snprintf(msg, sizeof msg, "%s matches, want %s", got, argv[2]);
      fail(line, "count %s: %s", argv[1], msg);
    }
  } else if (!strcmp(argv[0], "match") && argc >= 3) {
    int want = 0;
    for (int j = 0; j < k; j++) {
      char b2[1024], *a2[MAX_ARGS];
      if (split(c->checks[j], b2, a2) >= 2 && !strcmp(a2[0], "match") &&
          !strcmp(a2[1], argv[1]))
        want++;
    }
    const fs_match *hit = NULL;
    for (size_t i = 0, o = 0; i < n && !hit; i++)
      if (!strcmp(cat_of(lex, &m[i]), argv[1]) && o++ == (size_t)want)
        hit = &m[i];
    checked++;
    if (!hit) {
      fail(line, "match %s: fewer matches of %s", argv[1], argv[1]);
      return;
    }
    surface(d, hit->tok_start, hit->tok_end, got, sizeof got);
    if (strcmp(got, argv[2])) {
      char msg[600];
      snprintf(msg, sizeof msg, "surface '%s', want '%s'", got, argv[2]);
      fail(line, "match %s: %s", argv[1], msg);
    }
    match_view v = {d, hit};
    check_values(line, "match", &v, match_value, argv, 3, argc);
  } else if (!strcmp(argv[0], "nomatch") && argc == 2) {
    checked++;
    for (size_t i = 0; i < n; i++) {
      surface(d, m[i].tok_start, m[i].tok_end, got, sizeof got);
      if (!strcmp(got, argv[1]))
        fail(line, "nomatch: '%s' matched %s", got, cat_of(lex, &m[i]));
    }
  } else if (!strcmp(argv[0], "doc") && argc >= 2) {
    check_doc(line, fs_doc_stats_get(d), argv, argc);
  } else if (!strcmp(argv[0], "token") && argc >= 2) {
    /* "surface"#N: the N-th such token */
    long nth = 1;
    char *hash = strrchr(argv[1], '#');
    if (hash && hash[1] && strspn(hash + 1, "0123456789") == strlen(hash + 1)) {
      nth = atol(hash + 1);
      *hash = 0;
    }
    const fs_token *hit = NULL;
    for (size_t i = 0; i < nt && !hit; i++) {
      surface(d, i, i + 1, got, sizeof got);
      if (!strcmp(got, argv[1]) && --nth == 0)
        hit = &t[i];
    }
    checked++;
    if (!hit) {
      fail(line, "token '%s' not found%s", argv[1], "");
      return;
    }
    token_view v = {ctx, hit};
    check_values(line, "token", &v, token_value, argv, 2, argc);
  } else {
    fail(line, "cannot read this line: %s%s", c->checks[k], "");
  }
}

/* Loads a lexicon definition on first use; NULL (reported) on failure. */
static fs_lexicon *lexicon_of(lexicon_def *def, long line) {
  if (def->lex)
    return def->lex;
  fs_error err;
  fs_lexicon *lex = fs_lexicon_new(def->lang, &err);
  int st = lex ? FS_OK : FS_ERR_INPUT;
  if (lex && def->entries)
    st = fs_lexicon_load_buffer(lex, def->name, def->entries, def->len, &err);
  else if (lex) {
    char path[4096];
    const char *code = !strcmp(def->lang, "english")   ? "en"
                       : !strcmp(def->lang, "russian") ? "ru"
                                                        : NULL;
    snprintf(path, sizeof path, "%s/lexicons/%s", project, code ? code : "");
    st = code ? fs_lexicon_load(lex, path, &err) : FS_ERR_INPUT;
    if (!code)
      snprintf(err.msg, sizeof err.msg, "no default lexicons for %s",
               def->lang);
  }
  if (st != FS_OK) {
    fail(line, "lexicon %s: %s", def->name, err.msg);
    fs_lexicon_free(lex);
    return NULL;
  }
  return def->lex = lex;
}

static void run_case(const case_def *c, lexicon_def *lexicons) {
  fs_error err;
  fs_ctx *ctx = NULL;
  fs_doc *d = NULL;
  cases++;
  if (c->lexicon < 0 || !c->has_text) {
    fail(c->line, "case '%s': %s", c->title,
         c->lexicon < 0 ? "no lexicon" : "no text: line");
    goto done;
  }
  fs_lexicon *lex = lexicon_of(&lexicons[c->lexicon], c->line);
  if (!lex)
    goto done;
  ctx = fs_ctx_new(lex, &err);
  d = ctx ? fs_doc_analyze(ctx, c->text, c->len, &err) : NULL;
  if (!d) {
    fail(c->line, "case '%s': %s", c->title, err.msg);
    goto done;
  }
  for (int k = 0; k < c->nchecks; k++)
    check_line(c, k, lex, ctx, d);
done:
  fs_doc_free(d);
  fs_ctx_free(ctx);
}

/* Reads a whole file into a NUL-terminated buffer the caller frees. */
static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t len = 0, cap = 0;
  if (!f)
    return NULL;
  for (;;) {
    if (len + 4096 + 1 > cap) {
      char *p = realloc(buf, cap = 2 * cap + 4096 + 1);
      if (!p) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = p;
    }
    size_t got = fread(buf + len, 1, cap - len - 1, f);
    len += got;
    if (got == 0)
      break;
  }
  fclose(f);
  if (buf)
    buf[len] = 0;
  return buf;
}

/* Runs every case of one file. */
static void run_file(const char *path) {
  lexicon_def lexicons[MAX_LEXICONS];
  int nlex = 0, in_lexicon = 0;
  case_def *c = calloc(1, sizeof *c);
  char *data = slurp(path);
  int in_case = 0;
  long lineno = 0;
  file = path;
  if (!data || !c) {
    fail(0, "cannot read %s%s", path, "");
    goto done;
  }
  for (char *s = data, *next; s && *s; s = next) {
    char *nl = strchr(s, '\n');
    next = nl ? nl + 1 : NULL;
    if (nl)
      *nl = 0;
    lineno++;
    if (*s == '#')
      continue;
    if (!*s) {
      if (in_case)
        run_case(c, lexicons);
      in_case = in_lexicon = 0;
      continue;
    }
    if (in_lexicon) {
      lexicon_def *l = &lexicons[nlex - 1];
      size_t add = strlen(s);
      char *p = realloc(l->entries, l->len + add + 2);
      if (!p) {
        fail(lineno, "out of memory%s%s", "", "");
        goto done;
      }
      l->entries = p;
      memcpy(p + l->len, s, add);
      l->len += add;
      p[l->len++] = '\n';
      p[l->len] = 0;
      if (!strcmp(l->name, "default"))
        fail(lineno, "the default lexicon takes no entries%s%s", "", "");
    } else if (in_case) {
      if (!strncmp(s, "text:", 5)) {
        const char *t = s[5] == ' ' ? s + 6 : s + 5;
        if (c->has_text && c->len + 1 < sizeof c->text)
          c->text[c->len++] = '\n';
        if (decode(t, c->text, &c->len, sizeof c->text))
          fail(lineno, "text: unknown escape or too long%s%s", "", "");
        c->has_text = 1;
      } else if (!strncmp(s, "use ", 4)) {
        c->lexicon = -1;
        for (int i = 0; i < nlex; i++)
          if (!strcmp(lexicons[i].name, s + 4))
            c->lexicon = i;
      } else if (c->nchecks < MAX_LINES) {
        c->check_line[c->nchecks] = lineno;
        c->checks[c->nchecks++] = s;
      } else
        fail(lineno, "more than %s check lines in a case%s", "128", "");
    } else if (!strncmp(s, "lexicon ", 8)) {
      if (nlex == MAX_LEXICONS) {
        fail(lineno, "too many lexicons%s%s", "", "");
        goto done;
      }
      lexicon_def *l = &lexicons[nlex++];
      memset(l, 0, sizeof *l);
      if (sscanf(s + 8, "%63s %31s", l->name, l->lang) != 2)
        fail(lineno, "expected: lexicon NAME LANGUAGE%s%s", "", "");
      in_lexicon = 1;
    } else if (!strncmp(s, "case ", 5)) {
      memset(c, 0, sizeof *c);
      c->line = lineno;
      c->title = s + 5;
      c->lexicon = nlex - 1;
      in_case = 1;
    } else
      fail(lineno, "expected 'lexicon', 'case' or a blank line: %s%s", s, "");
  }
  if (in_case)
    run_case(c, lexicons);
done:
  for (int i = 0; i < nlex; i++) {
    free(lexicons[i].entries);
    fs_lexicon_free(lexicons[i].lex);
  }
  free(c);
  free(data);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: cases_lib PROJECT_DIR CASES_DIR\n");
    return 2;
  }
  project = argv[1];
  DIR *dir = opendir(argv[2]);
  char *names[256];
  size_t n = 0;
  struct dirent *e;
  if (!dir) {
    fprintf(stderr, "%s: cannot open\n", argv[2]);
    return 1;
  }
  while ((e = readdir(dir)) && n < sizeof names / sizeof *names) {
    size_t l = strlen(e->d_name);
    if (l > 4 && !strcmp(e->d_name + l - 4, ".txt") &&
        (names[n] = malloc(strlen(argv[2]) + l + 2)))
      sprintf(names[n++], "%s/%s", argv[2], e->d_name);
  }
  closedir(dir);
  qsort(names, n, sizeof *names, by_name);
  for (size_t i = 0; i < n; i++) {
    run_file(names[i]);
    free(names[i]);
  }
  printf("%d cases, %d checks, %d failed\n", cases, checked, failed);
  return failed || !cases ? 1 : 0;
}
