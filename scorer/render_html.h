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

#endif
