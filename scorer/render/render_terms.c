/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render_terms.c - keyness rows -> a readable top list per outlet, tidy CSV
 * and JSONL (columns documented in README). */
#include "internal.h"
#include "terms.h"
#include "utf8.h"

#include <math.h>
#include <string.h>

static const char *versus(const fs_terms *t, const fs_terms_row *r) {
  return r->b == FS_NONE ? "rest" : t->outlets[r->b];
}

/* Calls fn for the first `top` rows of each comparison (all when top <= 0). */
static void each_row(FILE *out, const fs_terms *t, long top,
                     void (*fn)(FILE *, const fs_terms *,
                                const fs_terms_row *)) {
  long n = 0;
  for (size_t i = 0; i < t->nrows; i++) {
    if (i > 0 && t->rows[i].a != t->rows[i - 1].a)
      n = 0;
    if (top > 0 && n >= top)
      continue;
    n++;
    fn(out, t, &t->rows[i]);
  }
}

static void csv_row(FILE *out, const fs_terms *t, const fs_terms_row *r) {
  char forms[256];
  const char *name = fs_terms_name(t, r->term);
  fs_csv_field(out, t->outlets[r->a], strlen(t->outlets[r->a]));
  fputc(',', out);
  fs_csv_field(out, versus(t, r), strlen(versus(t, r)));
  fputc(',', out);
  fs_csv_field(out, name, strlen(name));
  fputc(',', out);
  size_t fl = fs_terms_forms(t, r->term, forms, sizeof forms);
  fs_csv_field(out, forms, fl);
  fputs(t->in_lex && t->in_lex[r->term] ? ",1" : ",0", out);
  double v[] = {r->count_a, r->count_b, r->rate_a, r->rate_b,
                (double)r->docs_a, (double)r->docs_total_a,
                (double)r->docs_b, (double)r->docs_total_b, r->log_odds,
                r->z, r->p, r->q, r->g2, r->g2_p, r->g2_q, r->chi2,
                r->chi2_p, r->pmi, r->fisher_p};
  fs_csv_numbers(out, v, sizeof v / sizeof *v);
  fputc('\n', out);
}

static void json_row(FILE *out, const fs_terms *t, const fs_terms_row *r) {
  char forms[256];
  const char *name = fs_terms_name(t, r->term);
  fputs("{\"outlet\":", out);
  fs_json_string(out, t->outlets[r->a], strlen(t->outlets[r->a]));
  fputs(",\"versus\":", out);
  fs_json_string(out, versus(t, r), strlen(versus(t, r)));
  fputs(",\"term\":", out);
  fs_json_string(out, name, strlen(name));
  fputs(",\"forms\":", out);
  size_t fl = fs_terms_forms(t, r->term, forms, sizeof forms);
  fs_json_string(out, forms, fl);
  fprintf(out, ",\"in_lexicon\":%s",
          t->in_lex && t->in_lex[r->term] ? "true" : "false");
  const char *k[] = {"count_a", "count_b", "rate_a", "rate_b", "docs_a",
                     "docs_total_a", "docs_b", "docs_total_b", "log_odds",
                     "z", "p", "q", "g2", "g2_p", "g2_q", "chi2", "chi2_p",
                     "pmi", "fisher_p"};
  double v[] = {r->count_a, r->count_b, r->rate_a, r->rate_b,
                (double)r->docs_a, (double)r->docs_total_a,
                (double)r->docs_b, (double)r->docs_total_b, r->log_odds,
                r->z, r->p, r->q, r->g2, r->g2_p, r->g2_q, r->chi2,
                r->chi2_p, r->pmi, r->fisher_p};
  for (size_t i = 0; i < sizeof v / sizeof *v; i++)
    fs_json_number(out, k[i], v[i]);
  fputs("}\n", out);
}

/* Writes s cut or padded to `width` characters (code points, so Cyrillic
 * columns line up as Latin ones do; printf's %-18.18s counts bytes and
 * could cut a letter in half). */
static void cell(FILE *out, const char *s, size_t width) {
  const unsigned char *u = (const unsigned char *)s;
  size_t n = strlen(s), i = 0, chars = 0;
  while (i < n && chars < width) {
    int bad = 0;
    fs_utf8_next(u, n, &i, &bad);
    chars++;
  }
  fwrite(s, 1, i, out);
  for (; chars < width; chars++)
    fputc(' ', out);
}

static void text_row(FILE *out, const fs_terms *t, const fs_terms_row *r) {
  char forms[256];
  fs_terms_forms(t, r->term, forms, sizeof forms);
  char q[16]; /* a q that underflowed to 0 is below 1e-300, not 0 */
  if (r->q < 1e-300)
    snprintf(q, sizeof q, "<1e-300");
  else
    snprintf(q, sizeof q, "%.3g", r->q);
  fputs("  ", out);
  cell(out, fs_terms_name(t, r->term), 18);
  fputc(' ', out);
  cell(out, forms, 34);
  fprintf(out, " %6.0f %6.0f %8.2f %8.2f %7.2f %8s%s\n", r->count_a,
          r->count_b, r->rate_a, r->rate_b, r->z, q, r->q < 0.05 ? " *" : "");
}

int fs_render_terms_header(FILE *out, const char *format) {
  if (!strcmp(format, "csv")) {
    fputs("outlet,versus,term,forms,in_lexicon,count_a,count_b,rate_a,rate_b,"
          "docs_a,docs_total_a,docs_b,docs_total_b,log_odds,z,p,q,g2,g2_p,"
          "g2_q,chi2,chi2_p,pmi,fisher_p\n",
          out);
    return FS_OK;
  }
  return !strcmp(format, "jsonl") ? FS_OK : FS_ERR_USAGE;
}

void fs_render_terms_row(FILE *out, const fs_terms *t, const char *format,
                         const fs_terms_row *r) {
  if (!strcmp(format, "csv"))
    csv_row(out, t, r);
  else if (!strcmp(format, "jsonl"))
    json_row(out, t, r);
}

int fs_render_terms(FILE *out, const fs_terms *t, const char *format,
                    long top) {
  if (!strcmp(format, "csv") || !strcmp(format, "jsonl")) {
    fs_render_terms_header(out, format);
    each_row(out, t, top, format[0] == 'c' ? csv_row : json_row);
    return FS_OK;
  }
  long n = top > 0 ? top : 20;
  fprintf(out,
          "framescore terms: %zu documents, %zu outlets, %zu %s; keyness by "
          "log-odds with an informative Dirichlet prior (Monroe et al. "
          "2008)\n",
          t->ndocs, t->noutlets, t->nterms, t->surface ? "forms" : "stems");
  fputs("z > 0: used more by the outlet; q: Benjamini-Hochberg; * q < 0.05. "
        "Token-level: words are\nnot independent, so treat p and q as "
        "descriptive on small corpora.\n",
        out);
  for (size_t i = 0; i < t->nrows;) {
    const fs_terms_row *r = &t->rows[i];
    fprintf(out, "\n%s vs %s: top %ld\n", t->outlets[r->a], versus(t, r), n);
    fprintf(out, "  %-18s %-34s %6s %6s %8s %8s %7s %8s\n",
            t->surface ? "form" : "stem", "forms", "n_a", "n_b", "per1k_a",
            "per1k_b", "z", "q");
    long shown = 0;
    size_t j = i;
    for (; j < t->nrows && t->rows[j].a == r->a; j++)
      if (shown < n) {
        text_row(out, t, &t->rows[j]);
        shown++;
      }
    i = j;
  }
  return FS_OK;
}
