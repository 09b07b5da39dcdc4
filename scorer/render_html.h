/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render_html.h - one self-contained HTML page (inline CSS, SVG and a little
 * JavaScript; no external assets) of outlet charts, keyness and articles. */
#ifndef FS_RENDER_HTML_H
#define FS_RENDER_HTML_H

#include "compare.h"
#include "framescore.h"
#include "terms.h"

struct fs_actors;

/* Documents listed (beyond the annotated ones) in the page's document
 * table; the rest are counted, and are in the CSV. */
#define FS_HTML_LIST_MAX 2000
#define FS_HTML_DOCS 200 /* the command's default for max_docs */

/* An article's annotated text as fs_render_html writes it, made ahead of
 * the page piece by piece (the windows of a long document, each cut at a
 * paragraph end, in order): fs_html_text_begin, fs_html_text_add per piece
 * (a document analysed whole, or fs_doc_analyze_window's; lex the
 * lexicon that matched it), fs_html_text_end. The bytes are those of the
 * document read whole. */
typedef struct fs_html_text {
  int cur_v;       /* the voice span open (0: none) */
  uint32_t cur_c;  /* the piece's match cluster open, or FS_NONE */
  bool any;        /* a token written */
  uint32_t para;   /* the last token's paragraph */
} fs_html_text;
void fs_html_text_begin(FILE *out, fs_html_text *s);
/* FS_OK or FS_ERR_NOMEM. */
int fs_html_text_add(FILE *out, const fs_lexicon *lex, const fs_doc *d,
                     fs_html_text *s);
void fs_html_text_end(FILE *out, fs_html_text *s);

/* Where an article's text (fs_html_text_*) is in a spool file. */
typedef struct fs_html_spooled {
  long long off;
  size_t len;
} fs_html_spooled;

/* What goes on the page; every part is optional. */
typedef struct fs_html_opts {
  const char *title;               /* page heading; NULL: "framescore" */
  const fs_compare *cmp;           /* after fs_compare_run(): outlet charts
                                      with intervals, attribution table */
  const fs_compare_opts *cmp_opts; /* seed and resamples, for the notes */
  const fs_terms *terms;           /* after fs_terms_run(): keyness chart */
  long top_terms;                  /* terms per outlet (0: 12) */
  const fs_ctx *ctx;               /* the context that analysed `items` */
  const fs_report_item *items;     /* documents shown with their text */
  size_t nitems;
  size_t max_docs;                 /* articles annotated, the highest
                                      loaded scores first (0: all); the
                                      others are listed, linked to their
                                      files, up to FS_HTML_LIST_MAX */
  const struct fs_actors *actors; /* bound actors (actors.h), or NULL:
                                     actor x attribution stance per outlet */
  const fs_distinct *distinct;    /* after fs_distinct_finish(), or NULL:
                                     absolute vs story-relative scores */
  FILE *text_spool;               /* annotated texts written ahead (long
                                     documents read in windows), or NULL */
  const fs_html_spooled *spooled; /* [nitems]: where item i's text is in
                                     text_spool (len 0: rendered from its
                                     doc's tokens), or NULL */
} fs_html_opts;

/** Writes the page to out: per-outlet rates per 1,000 words as SVG bar
 * charts with 95% bootstrap intervals (cmp), the most distinctive terms per
 * outlet by log-odds z (terms, with 2+ outlets), attribution stance per
 * outlet (and per actor with actors and items), a ranking of documents, and
 * each document's text with matches highlighted by category (hover: category,
 * pattern, voice, weight, negation), quoted speech set apart from the author's
 * voice and scare quotes marked. All text is HTML-escaped; invalid UTF-8 is
 * written as U+FFFD. Returns FS_OK or FS_ERR_NOMEM. Thread-safe for distinct
 * outputs. */
int fs_render_html(FILE *out, const fs_html_opts *o);

/** Writes s (len bytes) HTML-escaped for text and attribute values alike:
 * invalid UTF-8 as U+FFFD, control characters as spaces. */
void fs_html_escape(FILE *out, const char *s, size_t len);

/** The head of a self-contained page (styles included) up to the opening
 * of <main>, and its end (with the page's script). */
void fs_html_page_start(FILE *out, const char *title);
void fs_html_page_end(FILE *out);
/** The head of a page with its own styles added (css, or NULL), up to and
 * with the open <header> and its <h1>; the caller writes the rest. */
void fs_html_page_head(FILE *out, const char *title, const char *css);
/** The colour (#rrggbb) the pages give a lexicon family: the same on every
 * page for the default lexicons' families (render_html.c). */
const char *fs_html_family_color(const fs_lexicon *lex, size_t family);

/* The first (most frequent) surface form of term ("claimed" for the stem
 * "claim"), written into buf; a surface term (terms --surface), or one
 * without forms, is its own name. */
const char *fs_html_term_label(const fs_terms *t, uint32_t term, char *buf,
                               size_t cap);

/* ---- the terms page (terms --format html, render_terms_html.c) ---------- */

/* One occurrence of a term, in its context. */
typedef struct fs_terms_hit {
  uint32_t outlet;            /* index into the terms' outlets */
  uint8_t voice;              /* FS_VOICE_AUTHOR or FS_VOICE_QUOTE */
  uint32_t doc;               /* index into the page's files */
  char *left, *match, *right; /* the bytes as written (owned) */
} fs_terms_hit;

/* A term shown on the page. */
typedef struct fs_terms_point {
  uint32_t term;
  int family;         /* the lexicon family most of its matches belong to,
                         or -1 */
  size_t nmatched;    /* occurrences inside a lexicon match */
  size_t seen;        /* occurrences found in the second pass */
  fs_terms_hit *hits; /* the first few per outlet (owned) */
  size_t nhits;
} fs_terms_point;

typedef struct fs_terms_page {
  const char *title;
  const fs_terms *terms;     /* counted and run */
  const fs_terms_row *rows;  /* the rows shown, by comparison, z
                                descending within one */
  size_t nrows;
  const fs_terms_point *points;
  size_t npoints;
  const uint32_t *point_of;  /* [term] index into points, or FS_NONE */
  const char *const *files;  /* [doc] the documents' paths as the
                                manifest writes them */
  size_t nfiles;
  const fs_lexicon *lex;     /* family names and colours, or NULL */
  long top;                  /* terms listed per side of a comparison */
  bool texts;                /* hits were looked for (not --counts) */
  const char *stop_words;    /* what was left out ("lexicons/en/
                                stopwords.txt, 180 words"), or NULL */
} fs_terms_page;

/** Writes the terms page: per comparison, every shown term placed by its
 * rate in one outlet (y) against the rest or the other outlet (x, both
 * log scales), coloured by lexicon family, the most distinctive of each
 * side by log-odds z listed beside it; a search box; a click on a term
 * lists its hits. Self-contained; all text escaped. FS_OK or
 * FS_ERR_NOMEM. */
int fs_render_terms_html(FILE *out, const fs_terms_page *p);

#endif
