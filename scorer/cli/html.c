/* SPDX-License-Identifier: GPL-3.0-or-later */
/* html.c - `--format html` for report and compare: gathers the outlet
 * comparison and keyness the page shows, then renders it (render_html.c). */
#include "actors.h"
#include "cli.h"
#include "compare.h"
#include "render_html.h"
#include "terms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTML_TOP_TERMS 12

/* "framescore report: corpus.csv" and the like, into buf. */
static const char *page_title(const cli_opts *o, const char *what, char *buf,
                              size_t cap) {
  const char *src = o->manifest;
  if (!src && o->nargs == 1)
    src = o->args[0];
  if (src) {
    const char *slash = strrchr(src, '/');
    if (slash && slash[1])
      src = slash + 1;
    snprintf(buf, cap, "framescore %s: %s", what, src);
  } else {
    snprintf(buf, cap, "framescore %s", what);
  }
  return buf;
}

/* Keyness of each outlet against the rest, without the language's function
 * words (as the terms page: --stop-words does not apply here); failures
 * leave the chart out. ctx stems the stop words (NULL: a stemmer of lang). */
static bool run_terms(const cli_opts *o, fs_ctx *ctx, const char *lang,
                      fs_terms *t, long top) {
  fs_error err = {0};
  fs_terms_opts to = {{NULL, NULL}, 1, false, top, NULL, NULL, NULL};
  bool *skip = NULL;
  char desc[4400];
  cli_opts so = *o;
  so.stop_words = NULL; /* the language's list */
  if (t->noutlets < 2)
    return false;
  if (cli_stop_words(&so, t, lang, ctx, &skip, desc, sizeof desc) != FS_OK)
    return false;
  to.skip = skip;
  int rc = fs_terms_run(t, &to, &err);
  free(skip);
  if (rc != FS_OK) {
    cli_print_error(&err);
    return false;
  }
  return true;
}

int cli_html_compare(const cli_opts *o, const fs_compare *cmp,
                     const fs_compare_opts *co, fs_terms *terms, FILE *out) {
  char title[600];
  long top = o->top > 0 ? o->top : HTML_TOP_TERMS;
  bool keyness =
      terms && !co->pair[0] &&
      run_terms(o, NULL, cmp->lex ? fs_lexicon_lang(cmp->lex) : o->lang,
                terms, top);
  fs_html_opts h = {.title = page_title(o, "compare", title, sizeof title),
                    .cmp = cmp,
                    .cmp_opts = co,
                    .terms = keyness ? terms : NULL,
                    .top_terms = top};
  return fs_render_html(out, &h);
}

int cli_html_report(const cli_opts *o, fs_ctx *ctx,
                    const struct fs_model *model, fs_actors *actors,
                    const fs_report_item *items, size_t n,
                    fs_terms *terms, const fs_distinct *distinct, FILE *out) {
  fs_compare cmp;
  cli_html_compare_init(o, ctx, model, &cmp);
  int rc = FS_OK;
  for (size_t i = 0; i < n && rc == FS_OK; i++)
    if (items[i].doc &&
        (rc = fs_compare_add(&cmp, items[i].path, items[i].outlet,
                             items[i].doc)))
      cli_error("out of memory");
  if (rc == FS_OK)
    rc = cli_html_report_counted(o, ctx, &cmp, actors, items, n, terms,
                                 distinct, out);
  fs_compare_free(&cmp);
  return rc;
}

void cli_html_compare_init(const cli_opts *o, fs_ctx *ctx,
                           const struct fs_model *model,
                           struct fs_compare *cmp) {
  fs_compare_init(cmp, fs_ctx_lexicon(ctx), cli_voice(o->voice));
  cmp->model = model;
  cmp->ctx = ctx;
  cmp->distinct_prior = o->distinct_prior;
}

int cli_html_report_counted(const cli_opts *o, fs_ctx *ctx,
                            struct fs_compare *cmp, fs_actors *actors,
                            const fs_report_item *items, size_t n,
                            fs_terms *terms, const fs_distinct *distinct,
                            FILE *out) {
  return cli_html_report_spooled(o, ctx, cmp, actors, items, n, terms,
                                 distinct, NULL, NULL, out);
}

int cli_html_report_spooled(const cli_opts *o, fs_ctx *ctx,
                            struct fs_compare *cmp, fs_actors *actors,
                            const fs_report_item *items, size_t n,
                            fs_terms *terms, const fs_distinct *distinct,
                            FILE *spool, const fs_html_spooled *spooled,
                            FILE *out) {
  const fs_lexicon *lex = fs_ctx_lexicon(ctx);
  fs_error err = {0};
  fs_compare_opts co = {o->seed, o->bootstrap, {NULL, NULL}, o->threads,
                        o->permutations};
  int rc = actors ? fs_actors_bind(actors, lex) : FS_OK;
  if (rc)
    cli_error("out of memory");
  if (rc == FS_OK && (rc = fs_compare_run(cmp, &co, &err)))
    cli_print_error(&err);
  if (rc == FS_OK) {
    char title[600];
    fs_html_opts h = {.title = page_title(o, "report", title, sizeof title),
                      .cmp = cmp,
                      .cmp_opts = &co,
                      .terms = run_terms(o, ctx, fs_lexicon_lang(lex), terms,
                                         HTML_TOP_TERMS)
                                   ? terms
                                   : NULL,
                      .top_terms = HTML_TOP_TERMS,
                      .ctx = ctx,
                      .items = items,
                      .nitems = n,
                      .max_docs = (size_t)o->html_docs,
                      .actors = actors,
                      .distinct = distinct,
                      .text_spool = spool,
                      .spooled = spooled};
    rc = fs_render_html(out, &h);
    if (rc == FS_ERR_IO)
      cli_error("reading the report's temporary file failed");
    else if (rc)
      cli_error("out of memory");
  }
  return rc;
}
