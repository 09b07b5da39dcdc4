/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render_distinct.c - story-relative scores (fs_distinct) -> the readable
 * "framing by outlet" section, and one row per document and per outlet as
 * CSV or JSONL (report --scores). */
#include "internal.h"
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP 5

static int cmp_outlet(const void *a, const void *b, void *user) {
  const fs_distinct *ds = user;
  fs_distinct_outlet_info x, y;
  fs_distinct_outlet(ds, *(const size_t *)a, &x);
  fs_distinct_outlet(ds, *(const size_t *)b, &y);
  if (x.absolute != y.absolute)
    return x.absolute < y.absolute ? 1 : -1;
  if (x.distinctive != y.distinctive)
    return x.distinctive < y.distinctive ? 1 : -1;
  return strcmp(x.outlet, y.outlet);
}

/* Outlet numbers, highest absolute score first, then distinctive, then by
 * name: on held-out BABE topics the absolute score orders outlets by their
 * share of biased sentences at least as well (bench/VALIDITY.md). */
static size_t *ranked(const fs_distinct *ds, size_t *n) {
  *n = fs_distinct_outlet_count(ds);
  size_t *order = malloc((*n ? *n : 1) * sizeof *order);
  if (!order)
    return NULL;
  for (size_t k = 0; k < *n; k++)
    order[k] = k;
  qsort_r(order, *n, sizeof *order, cmp_outlet, (void *)ds);
  return order;
}

static void text_field(FILE *out, const char *s) {
  char buf[512];
  fs_text_clean(buf, sizeof buf, s, strlen(s));
  fputs(buf, out);
}

static void top_text(FILE *out, const fs_distinct *ds, size_t k,
                     int distinctive) {
  fs_distinct_entry top[TOP];
  size_t n = fs_distinct_top(ds, k, distinctive, top, TOP);
  if (!n) {
    fputs(" -", out);
    return;
  }
  for (size_t j = 0; j < n; j++) {
    fprintf(out, "%s ", j ? "," : "");
    text_field(out, top[j].pattern);
    fprintf(out, " %.2f", distinctive ? top[j].distinctive : top[j].absolute);
    if (top[j].event)
      fputs(" (event)", out);
  }
}

int fs_render_distinct_text(FILE *out, const fs_distinct *ds) {
  size_t n;
  size_t *order = ranked(ds, &n);
  if (!order)
    return FS_ERR_NOMEM;
  fputs("\nFraming by outlet: absolute and story-relative (distinctive), per "
        "1,000 words\n",
        out);
  if (!fs_distinct_usable(ds)) {
    fputs("  one outlet only: there is no rest of the corpus to compare "
          "with, so only the\n  absolute score is shown (give a manifest or "
          "folders with several outlets)\n",
          out);
  }
  fputs("  absolute  distinct   docs   words  outlet\n", out);
  for (size_t r = 0; r < n; r++) {
    fs_distinct_outlet_info o;
    fs_distinct_outlet(ds, order[r], &o);
    fprintf(out, "  %8.2f", o.absolute);
    if (fs_distinct_usable(ds))
      fprintf(out, "  %8.2f", o.distinctive);
    else
      fputs("         -", out);
    fprintf(out, "  %5zu  %6zu  ", o.docs, o.words);
    text_field(out, *o.outlet ? o.outlet : "(no outlet)");
    fputs("\n      absolute from:", out);
    top_text(out, ds, order[r], 0);
    if (fs_distinct_usable(ds)) {
      fputs("\n      distinct from:", out);
      top_text(out, ds, order[r], 1);
    }
    fputc('\n', out);
  }
  fputs("  distinct: each entry's author-voice matches count only as far as "
        "they exceed\n  the rate of the other outlets (the story's own "
        "words, used by all, count about\n  nothing); event vocabulary "
        "(terrorist, massacre) counts only there. absolute:\n  the loaded "
        "score pooled over the outlet's documents (quoted speech at\n  "
        "--quote-weight; the entries listed are the outlet's own voice).\n",
        out);
  free(order);
  return FS_OK;
}

static void num_or_na(FILE *out, double x, int jsonl) {
  if (!isfinite(x)) {
    fputs(jsonl ? "null" : "", out);
    return;
  }
  fprintf(out, "%.4f", x);
}

/* The dimensions a story-relative value is defined for: linear, author
 * voice, per 1,000 words (a share or a logistic score has no excess). */
static bool dim_ok(const fs_dimension *d) {
  return d->active && d->kind == FS_DIM_LINEAR &&
         d->voice == FS_VOICE_AUTHOR && d->norm == FS_NORM_PER_1K && d->catw;
}

/* Each usable dimension's values: [2 * dim] absolute, [2 * dim + 1]
 * distinctive, per outlet and per document. */
typedef struct dim_values {
  size_t ndims;
  double **outlet, **doc;
} dim_values;

static void dim_values_free(dim_values *v) {
  for (size_t k = 0; k < 2 * v->ndims; k++) {
    if (v->outlet)
      free(v->outlet[k]);
    if (v->doc)
      free(v->doc[k]);
  }
  free(v->outlet), free(v->doc);
}

static int dim_values_fill(dim_values *v, const fs_distinct *ds,
                           const fs_model *m, size_t ndocs) {
  *v = (dim_values){m ? m->ndims : 0, NULL, NULL};
  if (!v->ndims)
    return FS_OK;
  v->outlet = calloc(2 * v->ndims, sizeof *v->outlet);
  v->doc = calloc(2 * v->ndims, sizeof *v->doc);
  if (!v->outlet || !v->doc)
    return FS_ERR_NOMEM;
  size_t no = fs_distinct_outlet_count(ds);
  for (size_t k = 0; k < v->ndims; k++) {
    const fs_dimension *d = &m->dims[k];
    if (!dim_ok(d))
      continue;
    for (int j = 0; j < 2; j++) {
      v->outlet[2 * k + j] = calloc(no ? no : 1, sizeof(double));
      v->doc[2 * k + j] = calloc(ndocs ? ndocs : 1, sizeof(double));
      if (!v->outlet[2 * k + j] || !v->doc[2 * k + j])
        return FS_ERR_NOMEM;
    }
    int rc = fs_distinct_dimension(ds, d->catw, m->ncats, d->weights,
                                   v->outlet[2 * k], v->outlet[2 * k + 1],
                                   v->doc[2 * k], v->doc[2 * k + 1]);
    if (rc)
      return rc;
  }
  return FS_OK;
}

#define SCORES_COLUMNS                                                       \
  "level,file,outlet,documents,author_words,score,distinctive_score,"        \
  "dimensions,top_absolute,top_distinctive"

static void header(FILE *out, const fs_model *m, const fs_corpus *c) {
  fputs("level,file,outlet", out);
  /* the manifest's columns follow outlet, as in every per-document output
   * (a column named like one of ours is manifest.NAME) */
  fs_csv_var_header(out, SCORES_COLUMNS, (const char *const *)c->extra_names,
                    c->nextra);
  fputs(",documents,author_words,score,distinctive_score", out);
  for (size_t k = 0; m && k < m->ndims; k++)
    if (dim_ok(&m->dims[k])) {
      fputc(',', out);
      fs_csv_field(out, m->dims[k].name, strlen(m->dims[k].name));
      fputc(',', out);
      fs_csv_field(out, m->dims[k].name, strlen(m->dims[k].name));
      fputs("_distinctive", out);
    }
  fputs(",top_absolute,top_distinctive\n", out);
}

/* The columns a document and an outlet row share; `at` indexes the
 * dimension arrays (dims: v->outlet or v->doc). */
/* Is name one of SCORES_COLUMNS? */
static bool own_column(const char *name) {
  size_t n = strlen(name);
  for (const char *p = SCORES_COLUMNS; *p;) {
    size_t k = strcspn(p, ",");
    if (k == n && !strncmp(p, name, n))
      return true;
    p += k + (p[k] == ',');
  }
  return false;
}

/* The document's manifest values (cd NULL: an outlet row, empty cells in
 * CSV, no members in JSONL). */
static void vars(FILE *out, int jsonl, const fs_corpus *c,
                 const fs_corpus_doc *cd) {
  for (size_t i = 0; i < c->nextra; i++) {
    const char *v = cd && cd->extra && cd->extra[i] ? cd->extra[i] : "";
    if (!jsonl) {
      fputc(',', out);
      fs_csv_field(out, v, strlen(v));
      continue;
    }
    if (!cd)
      continue;
    const char *name = c->extra_names[i];
    char buf[600];
    if (own_column(name)) {
      snprintf(buf, sizeof buf, "manifest.%s", name);
      name = buf;
    }
    fputc(',', out);
    fs_json_string(out, name, strlen(name));
    fputc(':', out);
    fs_json_string(out, v, strlen(v));
  }
}

static void row(FILE *out, int jsonl, const char *level, const char *file,
                const char *outlet, const fs_corpus *c,
                const fs_corpus_doc *cd, size_t docs, size_t words,
                double score, double dist, const fs_model *m,
                double *const *dims, size_t at, int usable) {
  if (jsonl) {
    fprintf(out, "{\"level\":\"%s\",\"file\":", level);
    if (file)
      fs_json_string(out, file, strlen(file));
    else
      fputs("null", out);
    fputs(",\"outlet\":", out);
    fs_json_string(out, outlet, strlen(outlet));
    vars(out, jsonl, c, cd);
    fprintf(out, ",\"documents\":%zu,\"author_words\":%zu,\"score\":", docs,
            words);
    num_or_na(out, score, 1);
    fputs(",\"distinctive_score\":", out);
    num_or_na(out, dist, 1);
    fputs(",\"dimensions\":{", out);
    bool first = true;
    for (size_t k = 0; m && k < m->ndims; k++) {
      if (!dim_ok(&m->dims[k]))
        continue;
      fputs(first ? "" : ",", out);
      first = false;
      fs_json_string(out, m->dims[k].name, strlen(m->dims[k].name));
      fputs(":{\"absolute\":", out);
      num_or_na(out, dims[2 * k][at], 1);
      fputs(",\"distinctive\":", out);
      num_or_na(out, usable ? dims[2 * k + 1][at] : NAN, 1);
      fputc('}', out);
    }
    fputc('}', out);
    return;
  }
  fprintf(out, "%s,", level);
  if (file)
    fs_csv_field(out, file, strlen(file));
  fputc(',', out);
  fs_csv_field(out, outlet, strlen(outlet));
  vars(out, jsonl, c, cd);
  fprintf(out, ",%zu,%zu,", docs, words);
  num_or_na(out, score, 0);
  fputc(',', out);
  num_or_na(out, dist, 0);
  for (size_t k = 0; m && k < m->ndims; k++) {
    if (!dim_ok(&m->dims[k]))
      continue;
    fputc(',', out);
    num_or_na(out, dims[2 * k][at], 0);
    fputc(',', out);
    num_or_na(out, usable ? dims[2 * k + 1][at] : NAN, 0);
  }
}

/* One list of top entries: a JSON array member, or a CSV cell
 * "pattern [category] contribution; ..." (with a leading comma). */
static void top_row(FILE *out, int jsonl, const char *key,
                    const fs_distinct_entry *top, size_t nt, int distinctive) {
  if (jsonl) {
    fprintf(out, ",\"%s\":[", key);
    for (size_t j = 0; j < nt; j++) {
      fputs(j ? ",{\"pattern\":" : "{\"pattern\":", out);
      fs_json_string(out, top[j].pattern, strlen(top[j].pattern));
      fputs(",\"category\":", out);
      fs_json_string(out, top[j].category, strlen(top[j].category));
      fprintf(out, ",\"event\":%s,\"matches\":%zu,\"factor\":%.4f,"
                   "\"contribution\":%.4f}",
              top[j].event ? "true" : "false", top[j].matches, top[j].factor,
              distinctive ? top[j].distinctive : top[j].absolute);
    }
    fputc(']', out);
    return;
  }
  char buf[4096];
  size_t len = 0;
  for (size_t j = 0; j < nt && len < sizeof buf; j++)
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s [%s%s] %.2f",
                            j ? "; " : "", top[j].pattern, top[j].category,
                            top[j].event ? ", event" : "",
                            distinctive ? top[j].distinctive
                                        : top[j].absolute);
  fputc(',', out);
  fs_csv_field(out, buf, len < sizeof buf ? len : sizeof buf - 1);
}

int fs_render_distinct_scores(FILE *out, int jsonl, const fs_distinct *ds,
                              const struct fs_model *model,
                              const fs_corpus *corpus) {
  size_t n;
  dim_values v;
  int rc = dim_values_fill(&v, ds, model, corpus->ndocs);
  size_t *order = rc ? NULL : ranked(ds, &n);
  if (!order) {
    dim_values_free(&v);
    return FS_ERR_NOMEM;
  }
  int usable = fs_distinct_usable(ds);
  if (!jsonl)
    header(out, model, corpus);
  for (size_t i = 0; i < corpus->ndocs; i++) {
    size_t words;
    double score;
    if (fs_distinct_doc_info(ds, i, &words, &score))
      continue;
    const fs_corpus_doc *cd = &corpus->docs[i];
    row(out, jsonl, "document", fs_corpus_name(cd),
        cd->outlet ? cd->outlet : "", corpus, cd, 1, words, score,
        usable ? fs_distinct_doc(ds, i) : NAN, model, v.doc, i, usable);
    fputs(jsonl ? "}\n" : ",,\n", out);
  }
  for (size_t r = 0; r < n; r++) {
    fs_distinct_outlet_info o;
    fs_distinct_outlet(ds, order[r], &o);
    row(out, jsonl, "outlet", NULL, o.outlet, corpus, NULL, o.docs, o.words,
        o.absolute,
        usable ? o.distinctive : NAN, model, v.outlet, order[r], usable);
    for (int kind = 0; kind < 2; kind++) {
      /* kind 0: what drives the absolute score, 1: the distinctive one */
      fs_distinct_entry top[TOP];
      size_t nt = kind && !usable
                      ? 0
                      : fs_distinct_top(ds, order[r], kind, top, TOP);
      top_row(out, jsonl, kind ? "top_distinctive" : "top_absolute", top, nt,
              kind);
    }
    fputs(jsonl ? "}\n" : "\n", out);
  }
  free(order);
  dim_values_free(&v);
  return FS_OK;
}
