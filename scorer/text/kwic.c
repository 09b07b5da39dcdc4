/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kwic.c - keyword in context: the hits of a lexicon entry, a category or
 * a word pattern in a document, each with its left and right context, as
 * text, CSV or HTML rows (`framescore kwic`). */
#include "internal.h"
#include "render_html.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#define KWIC_MAX_WORDS 32  /* words of a word pattern */
#define KWIC_TEXT_WIDTH 40 /* code points of context in the text format */

struct fs_kwic {
  const fs_lexicon *lex;
  char *pattern;               /* as given */
  bool *entry;                 /* [nentries]: hits are this entry's matches */
  bool *cat;                   /* [ncats]: ... or this category's */
  bool by_matches;             /* lexicon hits (entry or cat), else words */
  char *words[KWIC_MAX_WORDS]; /* folded words; a trailing '*' is a glob */
  size_t nwords;
};

void fs_kwic_free(fs_kwic *k) {
  if (!k)
    return;
  for (size_t i = 0; i < k->nwords; i++)
    free(k->words[i]);
  free(k->entry);
  free(k->cat);
  free(k->pattern);
  free(k);
}

/* The folded words of a word pattern. */
static int split_words(fs_kwic *k, const char *p, fs_error *err) {
  while (*p) {
    size_t n = strcspn(p, " \t");
    if (n) {
      if (k->nwords == KWIC_MAX_WORDS)
        return fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                            "a pattern has at most %d words", KWIC_MAX_WORDS);
      size_t cap = 4 * n + 8;
      char *w = malloc(cap);
      if (!w)
        return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
      fs_fold(p, n, w, cap);
      k->words[k->nwords++] = w;
    }
    p += n;
    p += strspn(p, " \t");
  }
  if (!k->nwords)
    return fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0, "empty pattern");
  return FS_OK;
}

int fs_kwic_new(const fs_lexicon *lex, const char *pattern,
                const char *category, fs_kwic **out, fs_error *err) {
  fs_kwic *k = calloc(1, sizeof *k);
  *out = NULL;
  int rc = FS_OK;
  if (!k || !(k->entry = calloc(lex->nentries + 1, sizeof *k->entry)) ||
      !(k->cat = calloc(lex->ncats + 1, sizeof *k->cat)) ||
      !(k->pattern = strdup(pattern    ? pattern
                            : category ? category
                                       : ""))) {
    rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto done;
  }
  k->lex = lex;
  if (category) {
    /* a category, or a family: every category named FAMILY.* */
    size_t n = strlen(category);
    for (size_t c = 0; c < lex->ncats; c++) {
      const char *name = lex->cats[c].name;
      if (!strcmp(name, category) ||
          (!strncmp(name, category, n) && name[n] == '.'))
        k->cat[c] = k->by_matches = true;
    }
    if (!k->by_matches)
      rc = fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                        "--category %s: no lexicon category or family of "
                        "that name (framescore lexicon check lists them)",
                        category);
    goto done;
  }
  /* a lexicon pattern as written (like --exclude), else words */
  for (size_t i = 0; i < lex->nentries; i++)
    if (lex->entries[i].active && !strcmp(lex->entries[i].pattern, pattern))
      k->entry[i] = k->by_matches = true;
  if (!k->by_matches)
    rc = split_words(k, pattern, err);
done:
  if (rc) {
    fs_kwic_free(k);
    return rc;
  }
  *out = k;
  return FS_OK;
}

int fs_kwic_within_paragraph(const fs_kwic *k) {
  /* lexicon matches never cross a paragraph break; words in a row may */
  return k->by_matches || k->nwords == 1;
}

static bool word_fits(const char *w, const char *form) {
  size_t n = strlen(w);
  if (n && w[n - 1] == '*')
    return !strncmp(form, w, n - 1);
  return !strcmp(form, w);
}

static bool is_word(const fs_tok *t) {
  return t->kind == FS_TOK_WORD || t->kind == FS_TOK_NUMBER;
}

static int voice_of(const fs_tok *t) {
  return t->flags & FS_TOKF_SCARE ? FS_VOICE_AUTHOR : t->voice;
}

static int add_hit(fs_kwic_hit **h, size_t *n, size_t *cap, fs_kwic_hit hit) {
  if (fs_grow(h, cap, *n + 1, sizeof **h))
    return FS_ERR_NOMEM;
  (*h)[(*n)++] = hit;
  return FS_OK;
}

int fs_kwic_find(const fs_kwic *k, const fs_ctx *ctx, const fs_doc *d,
                 int voices, fs_kwic_hit **hits, size_t *nhits) {
  size_t n = 0, cap = 0;
  fs_kwic_hit *h = NULL;
  int rc = FS_OK;
  if (k->by_matches) {
    for (size_t i = 0; i < d->nmatches && rc == FS_OK; i++) {
      const fs_match *m = &d->matches[i];
      bool in = m->entry == FS_NONE ? k->cat[m->category]
                                    : k->entry[m->entry] || k->cat[m->category];
      if (in && (voices & (1 << m->voice)))
        rc = add_hit(
            &h, &n, &cap,
            (fs_kwic_hit){m->tok_start, m->tok_end, m->voice, (uint32_t)i});
    }
  } else {
    for (size_t i = 0; i + k->nwords <= d->ntokens && rc == FS_OK; i++) {
      size_t w = 0;
      for (; w < k->nwords; w++) {
        const fs_tok *t = &d->tokens[i + w];
        if (!is_word(t) || !word_fits(k->words[w], fs_ctx_form(ctx, t->form)))
          break;
      }
      int v = voice_of(&d->tokens[i]);
      if (w == k->nwords && (voices & (1 << v)))
        rc = add_hit(
            &h, &n, &cap,
            (fs_kwic_hit){(uint32_t)i, (uint32_t)(i + k->nwords), v, FS_NONE});
    }
  }
  if (rc) {
    free(h);
    h = NULL, n = 0;
  }
  *hits = h;
  *nhits = n;
  return rc;
}

/* ---- context ------------------------------------------------------------- */

typedef struct context {
  char *left, *match, *right; /* cleaned, trimmed, malloc'd */
  bool gap_left, gap_right;   /* white space between them in the text */
} context;

static char *clean(const char *s, size_t len) {
  size_t cap = 3 * len + 4;
  char *out = malloc(cap);
  if (!out)
    return NULL;
  size_t n = fs_text_clean(out, cap, s, len);
  size_t a = out[0] == ' ';
  if (n > a && out[n - 1] == ' ')
    n--;
  memmove(out, out + a, n - a);
  out[n - a] = '\0';
  return out;
}

/* Up to `window` words each side of tokens [s, e), within the paragraph. */
static int context_of(const fs_doc *d, uint32_t s, uint32_t e, size_t window,
                      context *c) {
  uint32_t para = fs_tok_para(d, &d->tokens[s]);
  uint32_t a = s, b = e;
  for (size_t w = 0; a > 0 && fs_tok_para(d, &d->tokens[a - 1]) == para;) {
    if (is_word(&d->tokens[a - 1]) && w++ == window)
      break;
    a--;
  }
  for (size_t w = 0; b < d->ntokens && fs_tok_para(d, &d->tokens[b]) == para;) {
    if (is_word(&d->tokens[b]) && w++ == window)
      break;
    b++;
  }
  size_t s0 = d->tokens[a].byte_start, s1 = d->tokens[s].byte_start;
  size_t s2 = d->tokens[e - 1].byte_end, s3 = d->tokens[b - 1].byte_end;
  if (a == s)
    s0 = s1;
  if (b == e)
    s3 = s2;
  c->gap_left = a < s && d->tokens[s - 1].byte_end < s1;
  c->gap_right = b > e && d->tokens[e].byte_start > s2;
  /* offsets are the document's; a window's text starts at text_base */
  const char *text = d->text;
  s0 -= d->text_base, s1 -= d->text_base, s2 -= d->text_base;
  s3 -= d->text_base;
  c->left = clean(text + s0, s1 - s0);
  c->match = clean(text + s1, s2 - s1);
  c->right = clean(text + s2, s3 - s2);
  if (!c->left || !c->match || !c->right) {
    free(c->left), free(c->match), free(c->right);
    return FS_ERR_NOMEM;
  }
  return FS_OK;
}

/* ---- rendering ----------------------------------------------------------- */

#define KWIC_CSV_COLUMNS                                                       \
  "file,outlet,line,col,byte_start,byte_end,char_start,char_end,voice,"        \
  "category,pattern,left,match,right"

void fs_render_kwic_csv_header(FILE *out, const char *const *vars,
                               size_t nvars) {
  fputs("file,outlet", out);
  fs_csv_var_header(out, KWIC_CSV_COLUMNS, vars, nvars);
  fputs(",line,col,byte_start,byte_end,char_start,char_end,voice,category,"
        "pattern,left,match,right\n",
        out);
}

static void csv_str(FILE *out, const char *s) {
  fs_csv_field(out, s, strlen(s));
}

/* The hit's category and pattern: its match's, or none and the words. */
static void hit_names(const fs_kwic *k, const fs_doc *d, const fs_kwic_hit *h,
                      const char **cat, const char **pat) {
  *cat = "";
  *pat = k->pattern;
  if (h->match != FS_NONE) {
    const fs_match *m = &d->matches[h->match];
    *cat = k->lex->cats[m->category].name;
    *pat = m->entry == FS_NONE ? "\"...\"" : k->lex->entries[m->entry].pattern;
  }
}

/* The last `max` code points of s; *cut when some were left out. */
static const char *tail(const char *s, size_t max, bool *cut) {
  size_t n = fs_utf8_count(s);
  size_t skip = n > max ? n - max : 0;
  *cut = skip > 0;
  for (; skip && *s; skip--)
    for (s++; ((unsigned char)*s & 0xC0) == 0x80; s++)
      ;
  return s;
}

/* The first `max` code points of s: its byte length. */
static size_t head(const char *s, size_t max) {
  size_t i = 0, n = 0;
  for (; s[i]; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == max)
      break;
  return i;
}

int fs_render_kwic(FILE *out, int format, const fs_kwic *k, const fs_ctx *ctx,
                   const fs_report_item *it, const fs_kwic_hit *hits,
                   size_t nhits, size_t window) {
  (void)ctx;
  const fs_doc *d = it->doc;
  const char *outlet = it->outlet ? it->outlet : "";
  for (size_t i = 0; i < nhits; i++) {
    const fs_kwic_hit *h = &hits[i];
    const fs_tok *a = &d->tokens[h->tok_start];
    const fs_tok *b = &d->tokens[h->tok_end - 1];
    uint32_t line = fs_tok_line(d, h->tok_start);
    uint32_t col = fs_tok_col(d, h->tok_start);
    const char *cat, *pat;
    context c;
    if (context_of(d, h->tok_start, h->tok_end, window, &c))
      return FS_ERR_NOMEM;
    hit_names(k, d, h, &cat, &pat);
    if (format == FS_KWIC_CSV) {
      csv_str(out, it->path);
      fputc(',', out);
      csv_str(out, outlet);
      fs_csv_vars(out, it, it->nvars);
      fprintf(out, ",%u,%u,%u,%u,%u,%zu,%s,", line, col, a->byte_start,
              b->byte_end, a->char_start, fs_tok_char_end(d, b),
              fs_voice_name(h->voice));
      csv_str(out, cat);
      fputc(',', out);
      csv_str(out, pat);
      fputc(',', out);
      csv_str(out, c.left);
      fputc(',', out);
      csv_str(out, c.match);
      fputc(',', out);
      csv_str(out, c.right);
      fputc('\n', out);
    } else if (format == FS_KWIC_HTML) {
      /* one line per row, led by the outlet and a tab, for grouping */
      fs_html_escape(out, outlet, strlen(outlet));
      fputs("\t<tr><td class=\"l\">", out);
      fs_html_escape(out, it->path, strlen(it->path));
      fprintf(out, ":%u:%u</td><td class=\"l v%c\">%s</td><td class=\"left\">",
              line, col, h->voice == FS_VOICE_QUOTE ? 'q' : 'a',
              fs_voice_name(h->voice));
      fs_html_escape(out, c.left, strlen(c.left));
      fputs("</td><td class=\"hit\">", out);
      fs_html_escape(out, c.match, strlen(c.match));
      fputs("</td><td class=\"l\">", out);
      fs_html_escape(out, c.right, strlen(c.right));
      fputs("</td><td class=\"l\">", out);
      fs_html_escape(out, cat, strlen(cat));
      fputs("</td></tr>\n", out);
    } else {
      bool cut;
      const char *l = tail(c.left, KWIC_TEXT_WIDTH, &cut);
      size_t pad = KWIC_TEXT_WIDTH + 2 - fs_utf8_count(l) - cut - c.gap_left;
      /* the hits line up: context first, then where it is */
      size_t rn = head(c.right, KWIC_TEXT_WIDTH);
      bool rcut = c.right[rn] != '\0';
      size_t rpad = KWIC_TEXT_WIDTH + 2 - fs_utf8_count(c.right) +
                    (rcut ? fs_utf8_count(c.right + rn) : 0) - rcut -
                    c.gap_right;
      fprintf(out, "%*s%s%s%s[%s]%s%.*s%s%*s  %-6s %s  %s:%u:%u\n", (int)pad,
              "", cut ? "\xE2\x80\xA6" : "", l, c.gap_left ? " " : "", c.match,
              c.gap_right ? " " : "", (int)rn, c.right,
              rcut ? "\xE2\x80\xA6" : "", (int)rpad, "",
              fs_voice_name(h->voice), *outlet ? outlet : "(none)", it->path,
              line, col);
    }
    free(c.left), free(c.match), free(c.right);
  }
  return FS_OK;
}
