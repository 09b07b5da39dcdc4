/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render_compare.c - comparison results -> a readable summary with the
 * small-sample warning, tidy CSV (one row per measure x comparison), JSONL. */
#include "compare.h"
#include "internal.h"
#include "model.h"

#include <math.h>
#include <string.h>

static const char *const csv_header =
    "measure,kind,voice,outlet,versus,docs_a,docs_b,tokens_a,tokens_b,"
    "count_a,count_b,rate_a,rate_a_lo,rate_a_hi,rate_b,rate_b_lo,rate_b_hi,"
    "rate_ratio,rr_lo,rr_hi,cohens_h,doc_tests,mwu_u,mwu_p,mwu_method,mwu_q,"
    "welch_t,welch_df,welch_p,welch_q,perm_p,perm_method,perm_err,perm_min_p,"
    "perm_q,boot_p,boot_q,g2,g2_p,g2_q,chi2,chi2_p,chi2_q,fisher_p,fisher_q,"
    "kw_h,kw_df,kw_p,kw_q\n";

static const char *kind_name(int k) {
  return k == FS_MEASURE_CATEGORY ? "category"
         : k == FS_MEASURE_FAMILY ? "family"
         : k == FS_MEASURE_DIMENSION ? "dimension"
         : k == FS_MEASURE_DISTINCT  ? "distinctive"
                                  : "score";
}

static const char *voice_label(int v) {
  return v == FS_VOICE_AUTHOR ? "author" : v == FS_VOICE_QUOTE ? "quote" : "all";
}

static const char *method_name(int m) {
  return m == FS_STAT_MWU_EXACT ? "exact"
         : m == FS_STAT_MWU_ASYMPTOTIC ? "normal"
                                       : "";
}

static const char *perm_name(int m) {
  return m == FS_STAT_PERM_EXACT         ? "exact"
         : m == FS_STAT_PERM_MONTE_CARLO ? "monte-carlo"
                                         : "";
}

static const char *versus(const fs_compare *c, const fs_compare_row *r) {
  return r->b == FS_NONE ? "rest" : c->outlets[r->b];
}

static void render_csv(FILE *out, const fs_compare *c) {
  fputs(csv_header, out);
  for (size_t i = 0; i < c->nrows; i++) {
    const fs_compare_row *r = &c->rows[i];
    const fs_measure *m = &c->measures[r->measure];
    fs_csv_field(out, m->name, strlen(m->name));
    fprintf(out, ",%s,%s,", kind_name(m->kind), voice_label(c->voice));
    fs_csv_field(out, c->outlets[r->a], strlen(c->outlets[r->a]));
    fputc(',', out);
    fs_csv_field(out, versus(c, r), strlen(versus(c, r)));
    fprintf(out, ",%zu,%zu", r->docs_a, r->docs_b);
    double v1[] = {r->tokens_a, r->tokens_b, r->count_a, r->count_b,
                   r->rate_a, r->rate_a_lo, r->rate_a_hi, r->rate_b,
                   r->rate_b_lo, r->rate_b_hi, r->rate_ratio, r->rr_lo,
                   r->rr_hi, r->cohens_h};
    for (size_t k = 0; k < sizeof v1 / sizeof *v1; k++)
      fs_csv_number(out, v1[k]);
    fprintf(out, ",%d", r->doc_tests);
    fs_csv_number(out, r->mwu_u);
    fs_csv_number(out, r->mwu_p);
    fprintf(out, ",%s", method_name(r->mwu_method));
    double v2[] = {r->q[FS_Q_MWU], r->welch_t, r->welch_df, r->welch_p,
                   r->q[FS_Q_WELCH], r->perm_p};
    for (size_t k = 0; k < sizeof v2 / sizeof *v2; k++)
      fs_csv_number(out, v2[k]);
    fprintf(out, ",%s", perm_name(r->perm_method));
    double v3[] = {r->perm_err, r->perm_min_p, r->q[FS_Q_PERM], r->boot_p,
                   r->q[FS_Q_BOOT], r->g2, r->g2_p, r->q[FS_Q_G2], r->chi2,
                   r->chi2_p, r->q[FS_Q_CHI2], r->fisher_p, r->q[FS_Q_FISHER],
                   c->kw[r->measure].h, c->kw[r->measure].df,
                   c->kw[r->measure].p, c->kw_q[r->measure]};
    for (size_t k = 0; k < sizeof v3 / sizeof *v3; k++)
      fs_csv_number(out, v3[k]);
    fputc('\n', out);
  }
}

static void render_jsonl(FILE *out, const fs_compare *c) {
  for (size_t i = 0; i < c->nrows; i++) {
    const fs_compare_row *r = &c->rows[i];
    const fs_measure *m = &c->measures[r->measure];
    fputs("{\"measure\":", out);
    fs_json_string(out, m->name, strlen(m->name));
    fprintf(out, ",\"kind\":\"%s\",\"voice\":\"%s\",\"outlet\":",
            kind_name(m->kind), voice_label(c->voice));
    fs_json_string(out, c->outlets[r->a], strlen(c->outlets[r->a]));
    fputs(",\"versus\":", out);
    fs_json_string(out, versus(c, r), strlen(versus(c, r)));
    fprintf(out, ",\"docs_a\":%zu,\"docs_b\":%zu,\"doc_tests\":%s", r->docs_a,
            r->docs_b, r->doc_tests ? "true" : "false");
    const char *k1[] = {"tokens_a", "tokens_b", "count_a", "count_b",
                        "rate_a", "rate_a_lo", "rate_a_hi", "rate_b",
                        "rate_b_lo", "rate_b_hi", "rate_ratio", "rr_lo",
                        "rr_hi", "cohens_h", "mwu_u", "mwu_p", "mwu_q",
                        "welch_t", "welch_df", "welch_p", "welch_q",
                        "perm_p", "perm_err", "perm_min_p", "perm_q",
                        "boot_p", "boot_q", "g2", "g2_p", "g2_q", "chi2",
                        "chi2_p", "chi2_q", "fisher_p", "fisher_q", "kw_h",
                        "kw_df", "kw_p", "kw_q"};
    double v1[] = {r->tokens_a, r->tokens_b, r->count_a, r->count_b,
                   r->rate_a, r->rate_a_lo, r->rate_a_hi, r->rate_b,
                   r->rate_b_lo, r->rate_b_hi, r->rate_ratio, r->rr_lo,
                   r->rr_hi, r->cohens_h, r->mwu_u, r->mwu_p,
                   r->q[FS_Q_MWU], r->welch_t, r->welch_df, r->welch_p,
                   r->q[FS_Q_WELCH], r->perm_p, r->perm_err, r->perm_min_p,
                   r->q[FS_Q_PERM], r->boot_p, r->q[FS_Q_BOOT], r->g2,
                   r->g2_p, r->q[FS_Q_G2], r->chi2, r->chi2_p,
                   r->q[FS_Q_CHI2], r->fisher_p, r->q[FS_Q_FISHER],
                   c->kw[r->measure].h, c->kw[r->measure].df,
                   c->kw[r->measure].p, c->kw_q[r->measure]};
    for (size_t k = 0; k < sizeof v1 / sizeof *v1; k++)
      fs_json_number(out, k1[k], v1[k]);
    fprintf(out, ",\"mwu_method\":\"%s\",\"perm_method\":\"%s\"}\n",
            method_name(r->mwu_method), perm_name(r->perm_method));
  }
}

/* ---- text --------------------------------------------------------------- */

static bool has_matches(const fs_compare *c, size_t k) {
  for (size_t i = 0; i < c->nrows; i++)
    if (c->rows[i].measure == k && c->rows[i].count_a > 0)
      return true;
  return false;
}

static bool shown(const fs_compare *c, size_t k) {
  return c->measures[k].kind != FS_MEASURE_CATEGORY || has_matches(c, k);
}

/* The width of a table's measure column: at least min, and wide enough
 * for the longest name shown (up to 64), so no name is cut
 * ("distinctive_evidence_framing"). */
static int measure_width(const fs_compare *c, int min) {
  int w = min;
  for (size_t k = 0; k < c->nmeasures; k++) {
    size_t n = strlen(c->measures[k].name);
    if (shown(c, k) && n > (size_t)w)
      w = n < 64 ? (int)n : 64;
  }
  return w;
}

/* A p-value for reading: 3 significant digits; one that underflowed to 0
 * (below the smallest double) is "<1e-300", not a literal 0. */
static void pfmt(char *buf, size_t cap, double p) {
  if (p < 1e-300)
    snprintf(buf, cap, "<1e-300");
  else
    snprintf(buf, cap, "%.3g", p);
}

static void pval(FILE *out, double p, double q) {
  if (!isfinite(p)) {
    fprintf(out, " %17s", "-");
    return;
  }
  char buf[64], ps[16], qs[16];
  pfmt(ps, sizeof ps, p);
  pfmt(qs, sizeof qs, q);
  snprintf(buf, sizeof buf, "%s (q %s)%s", ps, qs, q < 0.05 ? "*" : " ");
  fprintf(out, " %17s", buf);
}

/* The document-level resampling test of a row: the permutation test (with
 * its Monte Carlo error) below FS_COMPARE_BOOT_MIN_DOCS documents a side,
 * the bootstrap test (marked b) from there. */
static void resample_pval(FILE *out, const fs_compare_row *r) {
  if (r->boot_test) {
    char buf[64];
    if (!isfinite(r->boot_p)) {
      fprintf(out, " %22s", "-");
      return;
    }
    char ps[16], qs[16];
    pfmt(ps, sizeof ps, r->boot_p);
    pfmt(qs, sizeof qs, r->q[FS_Q_BOOT]);
    snprintf(buf, sizeof buf, "%s (q %s)b%s", ps, qs,
             r->q[FS_Q_BOOT] < 0.05 ? "*" : " ");
    fprintf(out, " %22s", buf);
    return;
  }
  if (!isfinite(r->perm_p)) {
    fprintf(out, " %22s", "-");
    return;
  }
  char buf[80], ps[40], qs[16];
  pfmt(ps, sizeof ps, r->perm_p);
  if (r->perm_method == FS_STAT_PERM_MONTE_CARLO)
    snprintf(ps + strlen(ps), sizeof ps - strlen(ps), "+-%.1g", r->perm_err);
  pfmt(qs, sizeof qs, r->q[FS_Q_PERM]);
  snprintf(buf, sizeof buf, "%s (q %s)%s", ps, qs,
           r->q[FS_Q_PERM] < 0.05 ? "*" : " ");
  fprintf(out, " %22s", buf);
}

static void render_text(FILE *out, const fs_compare *c,
                        const fs_compare_opts *o) {
  fprintf(out,
          "framescore compare: %zu documents from %zu outlets; voice: %s; "
          "95%% intervals from %ld bootstrap resamples of documents (seed "
          "%lu)\n",
          c->ndocs, c->noutlets, voice_label(c->voice), o->bootstrap,
          o->seed);
  if (c->small_sample) {
    fputs("\nWARNING: small samples.", out);
    for (size_t i = 0; i < c->noutlets; i++) {
      size_t n = fs_compare_outlet_docs(c, i);
      if (n < 2)
        fprintf(out, " %s has %zu document%s.", c->outlets[i], n,
                n == 1 ? "" : "s");
    }
    fputs("\nDocument-level tests (Mann-Whitney, Welch, permutation) need "
          "at least\n2 documents on each side, so they are "
          "left out where a side has fewer. The\ntoken-level tests shown "
          "instead (G2, chi-square, Fisher) assume every word is an\n"
          "independent draw; words cluster within documents, so these "
          "p-values overstate\nsignificance. Read them as descriptive, and "
          "collect more documents per outlet.\n",
          out);
  }
  if (c->few_docs) {
    fputs("\nNOTE: few documents.", out);
    for (size_t i = 0; i < c->noutlets; i++) {
      size_t n = fs_compare_outlet_docs(c, i);
      if (n >= 2 && n < FS_COMPARE_FEW_DOCS)
        fprintf(out, " %s has %zu.", c->outlets[i], n);
    }
    fprintf(out,
            "\nWith under %d documents an outlet's bootstrap interval "
            "is too narrow (three\ndocuments without a match give [0.00, "
            "0.00]), and the permutation test cannot\ngo below its "
            "smallest p (2 / the number of relabellings: 0.1 with 3 "
            "documents\na side; perm_min_p in CSV). A large p there "
            "means too little data, not no\ndifference.\n",
            FS_COMPARE_FEW_DOCS);
  }
  fprintf(out, "\nRates per 1,000 %s-voice words", voice_label(c->voice));
  fputs(" (95% CI when an outlet has 2+ documents)\n", out);
  int mw = measure_width(c, 28);
  fprintf(out, "  %-*s", mw, "measure");
  for (size_t i = 0; i < c->noutlets; i++)
    fprintf(out, " %22.22s", c->outlets[i]);
  fputc('\n', out);
  for (size_t k = 0; k < c->nmeasures; k++) {
    if (!shown(c, k))
      continue;
    fprintf(out, "  %-*.*s", mw, mw, c->measures[k].name);
    for (size_t i = 0; i < c->noutlets; i++) {
      const fs_stat_interval *iv = &c->ci[i * c->nmeasures + k];
      char buf[64];
      if (isfinite(iv->lo))
        snprintf(buf, sizeof buf, "%.2f [%.2f, %.2f]", iv->estimate, iv->lo,
                 iv->hi);
      else if (isfinite(iv->estimate))
        snprintf(buf, sizeof buf, "%.2f", iv->estimate);
      else
        snprintf(buf, sizeof buf, "-");
      fprintf(out, " %22s", buf);
    }
    fputc('\n', out);
  }
  for (size_t k = 0; c->model && k < c->nmeasures; k++) {
    const fs_measure *m = &c->measures[k];
    if (m->kind != FS_MEASURE_DIMENSION)
      continue;
    const fs_dimension *d = &c->model->dims[m->index];
    if (k == 0 || c->measures[k - 1].kind != FS_MEASURE_DIMENSION)
      fprintf(out, "  Framing dimensions (model %s) have their own units and "
                   "voices:\n", c->model->name);
    fprintf(out, "    %-26s %s", m->name, fs_model_unit_label(d));
    for (size_t s = 0; s < d->nshare; s++)
      fprintf(out, " %s", d->share_of[s]);
    fputc('\n', out);
  }
  if (c->voice == FS_VOICE_AUTHOR && isfinite(c->quote_weight))
    fprintf(out,
            "  loaded_score: per 1,000 words, the outlet's own voice at 1 and "
            "quoted speech\n  at %g of its matches and words "
            "(--quote-weight)%s.\n",
            c->quote_weight,
            c->quote_weight == 0 ? ": the own voice only" : "");
  if (c->ndist)
    fputs("  distinctive_score: the loaded-language score story-relative, "
          "per 1,000\n  author-voice words: an entry counts only as far as "
          "its outlet uses it\n  beyond the rest of the corpus (README, "
          "\"Story-relative framing\").\n  Its factors come from the "
          "same documents, so its only test is a permutation\n  test that "
          "estimates them again for each relabelling of the documents\n  "
          "(its own q-values; no interval, Mann-Whitney, Welch, bootstrap "
          "or\n  Kruskal-Wallis: they assume fixed factors).\n",
          out);
  if (c->ndist > 1)
    fputs("  distinctive_DIM: the same for each framing dimension's scored "
          "entries,\n  weighted as in the dimension; the same test, on the "
          "same relabellings,\n  q-values a family of their own.\n",
          out);
  if (c->distinct_dims_note)
    fprintf(out, "  (%s)\n", c->distinct_dims_note);
  if (c->distinct_draws && c->distinct_draws < FS_COMPARE_DISTINCT_MIN_DRAWS)
    fputs("  (distinctive_score: no permutation test, the corpus is too "
          "large for its work bound)\n",
          out);
  else if (c->distinct_capped)
    fprintf(out,
            "  (distinctive_score's permutation tests: %zu relabellings, "
            "capped by their work bound)\n",
            c->distinct_draws);
  if (c->distinct_note)
    fprintf(out, "  (%s)\n", c->distinct_note);
  bool pair = o->pair[0] != NULL;
  fprintf(out, "\nDifferences: %s%s%s (rate ratio with 95%% CI; p with "
               "Benjamini-Hochberg q; * q < 0.05)\n",
          pair ? o->pair[0] : "each outlet against the rest",
          pair ? " against " : "", pair ? o->pair[1] : "");
  fprintf(out,
          "Permutation: exact test of the difference in mean per-document "
          "rates over all\nrelabellings of the documents (up to %d; "
          "beyond, %ld random ones, p +- its\n95%% Monte Carlo error)",
          FS_STAT_PERM_EXACT_MAX,
          o->permutations > 0 ? o->permutations : FS_COMPARE_PERMUTATIONS);
  if (c->boot_shown)
    fprintf(out, "; b: the bootstrap test over documents, used instead "
                 "when both\nsides have %d+ documents",
            FS_COMPARE_BOOT_MIN_DOCS);
  fputs(". A rate ratio of 0 or inf: no match on one side\n(its interval "
        "adds 0.5 to every count).\n",
        out);
  int dw = measure_width(c, 24);
  fprintf(out, "  %-*s %-18s %22s %17s %22s %17s %17s\n", dw, "measure",
           "outlet", "rate ratio [95% CI]", "Mann-Whitney", "permutation",
           "G2 (token-level)", "Fisher (token)");
  for (size_t i = 0; i < c->nrows; i++) {
    const fs_compare_row *r = &c->rows[i];
    if (!shown(c, r->measure))
      continue;
    char rr[64];
    if (!isnan(r->rate_ratio)) /* inf: no match on side B */
      snprintf(rr, sizeof rr, "%.2f [%.2f, %.2f]", r->rate_ratio, r->rr_lo,
               r->rr_hi);
    else
      snprintf(rr, sizeof rr, "-");
    fprintf(out, "  %-*.*s %-18.18s %22s", dw, dw, c->measures[r->measure].name,
            c->outlets[r->a], rr);
    pval(out, r->mwu_p, r->q[FS_Q_MWU]);
    resample_pval(out, r);
    pval(out, r->g2_p, r->q[FS_Q_G2]);
    pval(out, r->fisher_p, r->q[FS_Q_FISHER]);
    fputc('\n', out);
  }
  bool kw = false;
  for (size_t k = 0; k < c->nmeasures; k++)
    kw |= isfinite(c->kw[k].p) &&
          c->measures[k].kind != FS_MEASURE_DISTINCT;
  if (kw) {
    fprintf(out,
            "\nKruskal-Wallis across the %zu outlets with 2+ documents "
            "(per-document rates)\n",
            c->kw_outlets);
    for (size_t k = 0; k < c->nmeasures; k++)
      if (shown(c, k) && isfinite(c->kw[k].p) &&
          c->measures[k].kind != FS_MEASURE_DISTINCT)
        fprintf(out, "  %-28s H = %7.3f, df = %.0f, p = %.3g, q = %.3g%s\n",
                c->measures[k].name, c->kw[k].h, c->kw[k].df, c->kw[k].p,
                c->kw_q[k], c->kw_q[k] < 0.05 ? " *" : "");
  } else {
    fputs("\nKruskal-Wallis across outlets: not computed (it needs 2+ "
          "outlets with 2+ documents).\n",
          out);
  }
  for (size_t k = 0; k < c->nmeasures; k++)
    if (shown(c, k) && isfinite(c->kw[k].p) &&
        c->measures[k].kind == FS_MEASURE_DISTINCT)
    {
      fprintf(out,
              "  %-28s across the %zu outlets: permutation test of the "
              "spread of\n  %-28s their rates, factors estimated again: p = "
              "%.3g",
              c->measures[k].name, c->noutlets, "", c->kw[k].p);
      /* the dimensions' spreads: a family of several tests */
      if (c->measures[k].index != FS_NONE)
        fprintf(out, ", q = %.3g%s\n", c->kw_q[k],
                c->kw_q[k] < 0.05 ? " *" : "");
      else
        fputs(c->kw[k].p < 0.05 ? " *\n" : "\n", out);
    }
  fputs("\nAll statistics (Welch's t, chi-square, Cohen's h, ...): --format "
        "csv or jsonl.\n",
        out);
}

int fs_render_compare(FILE *out, const fs_compare *c, const char *format,
                      const fs_compare_opts *o) {
  if (!strcmp(format, "csv"))
    render_csv(out, c);
  else if (!strcmp(format, "jsonl"))
    render_jsonl(out, c);
  else
    render_text(out, c, o);
  return FS_OK;
}
