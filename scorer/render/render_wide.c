/* render_wide.c - per-document results -> CSV in LIWC's wide shape (Filename,
 * WC, WPS, every category as a % of words), for LIWC-based workflows. */
#include "internal.h"

#include <string.h>

void fs_render_report_wide_header(FILE *out, const fs_ctx *ctx,
                                  const char *const *vars, size_t nvars) {
  const fs_lexicon *lex = ctx->lex;
  fputs("Filename", out);
  fs_csv_var_header(out, "Filename,WC,WPS", vars, nvars);
  fputs(",WC,WPS", out);
  for (size_t c = 0; c < lex->ncats; c++) {
    fputc(',', out);
    fs_csv_field(out, lex->cats[c].name, strlen(lex->cats[c].name));
  }
  fputc('\n', out);
}

void fs_render_report_wide(FILE *out, const fs_ctx *ctx,
                           const fs_report_item *it, int voices) {
  const fs_lexicon *lex = ctx->lex;
  const fs_doc_stats *st = &it->doc->stats;
  size_t wc = 0;
  for (int v = 0; v < FS_VOICES; v++)
    if (voices & (1 << v))
      wc += st->words[v];
  size_t all = st->words[0] + st->words[1];
  fs_csv_field(out, it->path, strlen(it->path));
  fs_csv_vars(out, it, it->nvars);
  fprintf(out, ",%zu,%.2f", wc,
          st->sentences ? (double)all / (double)st->sentences : 0.0);
  for (size_t c = 0; c < lex->ncats; c++) {
    size_t n = 0;
    for (int v = 0; v < FS_VOICES; v++)
      if (voices & (1 << v))
        n += st->matches[c * FS_VOICES + (size_t)v];
    fprintf(out, ",%.2f", wc ? 100.0 * (double)n / (double)wc : 0.0);
  }
  fputc('\n', out);
}
