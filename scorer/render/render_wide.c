/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render_wide.c - per-document results -> CSV in LIWC's wide shape (Filename,
 * WC, WPS, every category as a % of words), for LIWC-based workflows. */
#include "internal.h"

#include <string.h>

static void header_start(FILE *out, const char *const *vars, size_t nvars) {
  fputs("Filename", out);
  fs_csv_var_header(out, "Filename,WC,WPS", vars, nvars);
  fputs(",WC,WPS", out);
}

void fs_render_report_wide_header(FILE *out, const fs_ctx *ctx,
                                  const char *const *vars, size_t nvars) {
  const fs_lexicon *lex = ctx->lex;
  header_start(out, vars, nvars);
  for (size_t c = 0; c < lex->ncats; c++) {
    fputc(',', out);
    fs_csv_field(out, lex->cats[c].name, strlen(lex->cats[c].name));
  }
  fputc('\n', out);
}

void fs_render_report_wide_header_cats(FILE *out, const char *const *cats,
                                       size_t ncats, const char *const *vars,
                                       size_t nvars) {
  header_start(out, vars, nvars);
  for (size_t c = 0; c < ncats; c++) {
    fputc(',', out);
    fs_csv_field(out, cats[c], strlen(cats[c]));
  }
  fputc('\n', out);
}

void fs_render_report_wide(FILE *out, const fs_ctx *ctx,
                           const fs_report_item *it, int voices) {
  fs_doc_stats st = it->doc->stats;
  st.ncat = ctx->lex->ncats;
  fs_render_report_wide_counts(out, it, &st, voices);
}

void fs_render_report_wide_counts(FILE *out, const fs_report_item *it,
                                  const fs_doc_stats *st, int voices) {
  size_t wc = 0;
  for (int v = 0; v < FS_VOICES; v++)
    if (voices & (1 << v))
      wc += st->words[v];
  size_t all = st->words[0] + st->words[1];
  fs_csv_field(out, it->path, strlen(it->path));
  fs_csv_vars(out, it, it->nvars);
  fprintf(out, ",%zu,%.2f", wc,
          st->sentences ? (double)all / (double)st->sentences : 0.0);
  for (size_t c = 0; c < st->ncat; c++) {
    size_t n = 0;
    for (int v = 0; v < FS_VOICES; v++)
      if (voices & (1 << v))
        n += st->matches[c * FS_VOICES + (size_t)v];
    fprintf(out, ",%.2f", wc ? 100.0 * (double)n / (double)wc : 0.0);
  }
  fputc('\n', out);
}
