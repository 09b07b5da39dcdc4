/* SPDX-License-Identifier: GPL-3.0-or-later */
/* learn.c - `framescore train --context` and `train --spans/--words`:
 * models learned from annotated spans and words (a context model for
 * lexicon matches; a span tagger), with K-fold numbers by article. */
#include "annotated.h"
#include "cli.h"
#include "context_train.h"
#include "model.h"
#include "tagger.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The techniques, their dimensions and the word dimensions, as eval
 * chooses them. Returns FS_OK or FS_ERR_INPUT after printing why. */
typedef struct learn_setup {
  char tech[CLI_MAX_LEXICONS][256];
  const char *tp[CLI_MAX_LEXICONS];
  size_t span_dims[CLI_MAX_LEXICONS], word_dims[CLI_MAX_LEXICONS];
  fs_annot_setup s;
} learn_setup;

static long dimension(const fs_model *m, const char *name) {
  long d = fs_model_find(m, name);
  if (d < 0 || !m->dims[d].active)
    cli_error("the model %s has no active dimension '%s'", m->name, name);
  return d < 0 || !m->dims[d].active ? -1 : d;
}

static int setup(const cli_opts *o, const fs_model *m, int voice,
                 learn_setup *ls) {
  const char *def_t[2] = {"Loaded_Language", "Name_Calling,Labeling"};
  const char *def_d[2] = {"loaded_language", "name_calling"};
  const char *def_w[5] = {"loaded_language", "labeling", "attribution_doubt",
                          "attribution_pejorative", "evaluative_language"};
  size_t nt = o->ntechniques ? (size_t)o->ntechniques : 2;
  /* as eval --words: the evaluative words where the lexicons have them */
  size_t nw = o->ndims ? (size_t)o->ndims
                       : 4 + (size_t)cli_dimension_active(m, def_w[4]);
  for (size_t i = 0; i < nt; i++) {
    const char *dn = def_d[i];
    if (o->ntechniques) {
      snprintf(ls->tech[i], sizeof ls->tech[i], "%s", o->techniques[i]);
      *strrchr(ls->tech[i], '=') = '\0';
      dn = strrchr(o->techniques[i], '=') + 1;
    } else {
      snprintf(ls->tech[i], sizeof ls->tech[i], "%s", def_t[i]);
    }
    ls->tp[i] = ls->tech[i];
    long d = dimension(m, dn);
    if (d < 0)
      return FS_ERR_INPUT;
    ls->span_dims[i] = (size_t)d;
  }
  for (size_t i = 0; i < nw; i++) {
    long d = dimension(m, o->ndims ? o->dims[i] : def_w[i]);
    if (d < 0)
      return FS_ERR_INPUT;
    ls->word_dims[i] = (size_t)d;
  }
  ls->s = (fs_annot_setup){m,
                           ls->tp,
                           ls->span_dims,
                           nt,
                           ls->word_dims,
                           nw,
                           (size_t)o->phrase_words,
                           voice,
                           o->scope_all,
                           /* a context model predicts content words at
                            * word level (words content): its thresholds
                            * are chosen that way */
                           o->context};
  return FS_OK;
}

static const char *const kind_name[FS_ANNOT_KINDS] = {"spans", "words"};
static const char *const kind_measure[FS_ANNOT_KINDS] = {
    "partial-credit F1 (all techniques)", "token F1"};

static void render_prf(FILE *f, const char *format, const char *kind,
                       const char *what, const fs_prf *p) {
  if (!strcmp(format, "csv"))
    fprintf(f, "%s,%s,%.6f,%.6f,%.6f\n", kind, what, p->precision, p->recall,
            p->f1);
  else if (!strcmp(format, "jsonl"))
    fprintf(f,
            "{\"kind\":\"%s\",\"what\":\"%s\",\"precision\":%.6f,"
            "\"recall\":%.6f,\"f1\":%.6f}\n",
            kind, what, p->precision, p->recall, p->f1);
  else
    fprintf(f, "  %-6s %-34s %-18s F1 %.3f (P %.3f, R %.3f)\n", kind,
            kind_measure[!strcmp(kind, "words")], what, p->f1, p->precision,
            p->recall);
}

static int write_out(const cli_opts *o,
                     int (*write)(FILE *, const void *, const char *),
                     const void *model, const char *comment) {
  cli_out out = {0};
  if (cli_out_open(&out, o->output))
    return FS_ERR_INPUT;
  if (write(out.f, model, comment) != FS_OK) {
    cli_out_abort(&out);
    cli_error("writing the model failed");
    return FS_ERR_INPUT;
  }
  return cli_out_commit(&out) ? FS_ERR_INPUT : FS_OK;
}

static int write_context(FILE *f, const void *m, const char *comment) {
  return fs_context_model_write(f, m, comment);
}
static int write_tagger(FILE *f, const void *m, const char *comment) {
  return fs_tagger_write(f, m, comment);
}

/* What the model was trained on, for its comments. */
static void provenance(const cli_opts *o, const fs_annot *a, char *buf,
                       size_t cap) {
  const char *sp = o->spans ? strrchr(o->spans, '/') : NULL;
  const char *wp = o->words ? strrchr(o->words, '/') : NULL;
  snprintf(
      buf, cap,
      "written by framescore %s train%s%s%s%s%s: %zu articles, %zu "
      "sentences; lambda %g, %ld folds by article, seed %lu",
      FS_VERSION, o->context ? " --context" : "", o->spans ? " --spans " : "",
      o->spans ? (sp ? sp + 1 : o->spans) : "", o->words ? " --words " : "",
      o->words ? (wp ? wp + 1 : o->words) : "", a->nkind[FS_ANNOT_SPANS],
      a->nkind[FS_ANNOT_WORDS], o->lambda, o->folds, o->seed);
}

/* Appends to the model's comment while there is room; *at counts what
 * would have been written, so a full comment takes nothing more. */
static void append(char *comment, size_t cap, size_t *at, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));
static void append(char *comment, size_t cap, size_t *at, const char *fmt,
                   ...) {
  if (*at >= cap)
    return;
  va_list ap;
  va_start(ap, fmt);
  *at += (size_t)vsnprintf(comment + *at, cap - *at, fmt, ap);
  va_end(ap);
}

/* The comment's first line, what the model was trained on (at most 599
 * characters); returns the length to append at. */
static size_t comment_head(const cli_opts *o, const fs_annot *a,
                           char *comment, size_t cap) {
  char head[600];
  provenance(o, a, head, sizeof head);
  size_t at = 0;
  append(comment, cap, &at, "%s\n", head);
  return at;
}

/* Where the cross-validated numbers go: stdout, unless the model does
 * (then stderr); a CSV gets its header line. */
static FILE *numbers_out(const cli_opts *o) {
  FILE *f = o->output && strcmp(o->output, "-") ? stdout : stderr;
  if (o->fmt == CLI_FORMAT_CSV)
    fprintf(f, "kind,what,precision,recall,f1\n");
  return f;
}

static int run_context(const cli_opts *o, fs_annot *a, const fs_lexicon *lex) {
  fs_context_result r;
  fs_error err = {0};
  if (fs_context_train(a, lex, o->lambda, o->words_weight, o->folds, o->seed,
                       o->sentence_stage, &r, &err)) {
    cli_print_error(&err);
    return FS_ERR_INPUT;
  }
  char comment[2048], tasks[64] = "";
  size_t at = comment_head(o, a, comment, sizeof comment);
  if (o->words_weight > 1)
    append(comment, sizeof comment, &at,
           "--words-weight %ld: each match of a sentence counts %ld times in "
           "the fits\n",
           o->words_weight, o->words_weight);
  if (o->sentence_stage)
    append(comment, sizeof comment, &at,
           "--sentence-stage: a second logistic pass over each sentence's "
           "first-stage probabilities, fitted on out-of-fold ones (nested "
           "cross-validation)\n");
  if (r.docs[0] && r.docs[1])
    snprintf(tasks, sizeof tasks, " (spans %.3f, words %.3f)",
             r.task_threshold[0], r.task_threshold[1]);
  for (int k = 0; k < FS_ANNOT_KINDS; k++)
    if (r.docs[k])
      append(comment, sizeof comment, &at,
             "%s %s: %.3f without the model, %.3f with it (pooled "
             "out-of-fold; P %.3f, R %.3f)\n",
             kind_name[k], kind_measure[k], r.base[k].f1, r.cv[k].f1,
             r.cv[k].precision, r.cv[k].recall);
  append(comment, sizeof comment, &at,
         "%zu matches (%zu marked by annotators; out-of-fold ROC AUC %.3f); "
         "threshold %.3f%s",
         r.rows, r.positives, r.roc_auc, r.threshold, tasks);
  int rc = write_out(o, write_context, r.model, comment);
  if (!rc && !o->quiet) {
    FILE *f = numbers_out(o);
    bool text = o->fmt == CLI_FORMAT_TEXT;
    if (text)
      fprintf(f,
              "framescore train --context: %zu articles, %zu sentences; %zu "
              "matches used, %zu marked by annotators\n"
              "%ld-fold cross-validation by article (seed %lu); each fold's "
              "thresholds (one per kind) chosen on its training folds:\n",
              r.docs[0], r.docs[1], r.rows, r.positives, r.folds, o->seed);
    for (int k = 0; k < FS_ANNOT_KINDS; k++)
      if (r.docs[k]) {
        render_prf(f, o->format, kind_name[k], "without", &r.base[k]);
        render_prf(f, o->format, kind_name[k], "cross-validated", &r.cv[k]);
      }
    if (text)
      fprintf(f,
              "matches ranked by their out-of-fold probability: ROC AUC "
              "%.3f\nfinal model: threshold %.3f%s%s\n",
              r.roc_auc, r.threshold, tasks,
              r.all_converged ? "" : " (some fits did not converge)");
  }
  fs_context_result_free(&r);
  return rc;
}

/* ", anchor threshold T" (a static buffer: one use per statement) */
static const char *anchor_note(double t) {
  static char buf[48];
  snprintf(buf, sizeof buf, ", anchor threshold %.3f", t);
  return buf;
}

bool cli_sentence_cap(const char *s, long *cap) {
  if (!strcmp(s, "none") || !strcmp(s, "auto")) {
    *cap = *s == 'n' ? 0 : -1;
    return true;
  }
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < 1 || v > 1000)
    return false;
  *cap = v;
  return true;
}

/* ", sentence cap N" (a static buffer: one use per statement) */
static const char *cap_note(long cap) {
  static char buf[48];
  snprintf(buf, sizeof buf, ", sentence cap %ld", cap);
  return buf;
}

static int run_tagger(const cli_opts *o, fs_annot *a, fs_ctx *ctx) {
  fs_tagger_result r;
  fs_error err = {0};
  fs_tagger_rules rules = {0};
  fs_tagger_opts opts = {.rules = &rules, .stack = o->stack};
  if ((o->span_rules && !fs_tagger_rules_parse(o->span_rules, &rules)) ||
      (o->sentence_cap && !cli_sentence_cap(o->sentence_cap, &opts.cap)) ||
      (o->token_features &&
       !fs_tagger_features_parse(o->token_features, strlen(o->token_features),
                                 &opts.features)))
    return FS_ERR_USAGE; /* checked by cli_train */
  fs_word_classes wc;
  fs_word_classes_init(&wc);
  if (o->word_classes) {
    if (fs_word_classes_load(&wc, ctx, o->word_classes, &err)) {
      cli_print_error(&err);
      fs_word_classes_free(&wc);
      return FS_ERR_INPUT;
    }
    opts.classes = &wc;
  }
  fs_word_vectors wv;
  fs_word_vectors_init(&wv);
  if (o->word_vectors) {
    /* the tagger file records the path on a line of tab-separated fields */
    if (strpbrk(o->word_vectors, "\t\n\r")) {
      cli_error("--word-vectors: a path with a tab or a line break cannot "
                "be recorded in the tagger file");
      fs_word_classes_free(&wc);
      return FS_ERR_USAGE;
    }
    if (fs_word_vectors_load(&wv, o->word_vectors, 0, &err)) {
      cli_print_error(&err);
      fs_word_classes_free(&wc);
      fs_word_vectors_free(&wv);
      return FS_ERR_INPUT;
    }
    opts.vectors = &wv;
    opts.vectors_path = o->word_vectors;
    opts.vector_scale = o->vector_scale;
  }
  int trc = fs_tagger_train_opts(a, ctx, o->lambda, o->folds, o->seed,
                                 o->min_df,
                                 o->combine_anchor  ? FS_TAGGER_ANCHOR
                                 : o->combine_union ? FS_TAGGER_UNION
                                                    : FS_TAGGER_TAGS,
                                 &opts, &r, &err);
  fs_word_classes_free(&wc);
  if (trc) {
    cli_print_error(&err);
    fs_word_vectors_free(&wv);
    return FS_ERR_INPUT;
  }
  char comment[2048];
  size_t at = comment_head(o, a, comment, sizeof comment);
  for (int k = 0; k < FS_ANNOT_KINDS; k++)
    if (r.docs[k])
      append(comment, sizeof comment, &at,
             "%s %s: %.3f (pooled out-of-fold; P %.3f, R %.3f)\n",
             kind_name[k], kind_measure[k], r.cv[k].f1, r.cv[k].precision,
             r.cv[k].recall);
  append(comment, sizeof comment, &at,
         "%zu tokens (%zu gold), %zu features; threshold %.3f", r.rows,
         r.positives, r.features, r.threshold);
  if (r.anchored)
    append(comment, sizeof comment, &at, "; anchor threshold %.3f",
           r.anchor_threshold);
  if (r.anchored && o->span_rules)
    append(comment, sizeof comment, &at, "; span rules %s", o->span_rules);
  if (r.stacked)
    append(comment, sizeof comment, &at, "; stacked");
  if (r.cap > 0)
    append(comment, sizeof comment, &at, "; sentence cap %ld", r.cap);
  if (opts.features)
    append(comment, sizeof comment, &at, "; token features %s",
           o->token_features);
  if (o->word_classes)
    append(comment, sizeof comment, &at, "; word classes from %.200s",
           o->word_classes);
  if (o->word_vectors)
    append(comment, sizeof comment, &at,
           "; word vectors from %.200s (%u components, scale %g)",
           o->word_vectors, wv.dim,
           o->vector_scale > 0 ? o->vector_scale : 1.0);
  int rc = write_out(o, write_tagger, r.model, comment);
  if (!rc && !o->quiet) {
    FILE *f = numbers_out(o);
    bool text = o->fmt == CLI_FORMAT_TEXT;
    if (text)
      fprintf(f,
              "framescore train --spans/--words (span tagger): %zu articles, "
              "%zu sentences; %zu tokens, %zu gold; %zu features\n"
              "%ld-fold cross-validation by article (seed %lu); each fold's "
              "thresholds (one per kind) chosen on its training folds:\n",
              r.docs[0], r.docs[1], r.rows, r.positives, r.features, r.folds,
              o->seed);
    for (int k = 0; k < FS_ANNOT_KINDS; k++)
      if (r.docs[k])
        render_prf(f, o->format, kind_name[k], "cross-validated", &r.cv[k]);
    if (text)
      fprintf(f, "final model: threshold %.3f%s%s%s%s\n", r.threshold,
              r.anchored ? anchor_note(r.anchor_threshold) : "",
              r.stacked ? ", stacked" : "", r.cap > 0 ? cap_note(r.cap) : "",
              r.all_converged ? "" : " (some fits did not converge)");
  }
  fs_tagger_result_free(&r);
  fs_word_vectors_free(&wv);
  return rc;
}

int cli_train_annotated(const cli_opts *o, int voice) {
  /* -o never replaces --spans, --words, --articles or another input */
  int crc = cli_check_outputs(o, NULL);
  if (crc)
    return crc;
  fs_lexicon *lex = cli_lexicon(o);
  fs_error err = {0};
  fs_ctx *ctx = lex ? fs_ctx_new(lex, &err) : NULL;
  bool failed = false;
  fs_model *m = ctx ? cli_model(o, lex, &failed) : NULL;
  fs_annot a;
  learn_setup ls;
  int rc = FS_ERR_INPUT;
  bool have = false;
  if (lex && !ctx)
    cli_print_error(&err);
  if (ctx && !m && !failed)
    cli_error("train --context and --spans need a model (not --model none)");
  if (!m || setup(o, m, voice, &ls))
    goto done;
  fs_annot_init(&a, &ls.s);
  have = true;
  if (cli_annot_load(o, ctx, &a))
    goto done;
  rc = o->context ? run_context(o, &a, lex) : run_tagger(o, &a, ctx);
  if (cli_vectors_intact(m, NULL))
    rc = FS_ERR_INPUT;
done:
  if (have)
    fs_annot_free(&a);
  fs_model_free(m);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
  return rc;
}
