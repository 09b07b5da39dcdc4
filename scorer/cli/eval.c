/* SPDX-License-Identifier: GPL-3.0-or-later */
/* eval.c - `framescore eval`: validity against annotated corpora at span,
 * word and sentence level, with per-category and per-entry precision. */
#include "eval.h"
#include "cli.h"
#include "context.h"
#include "model.h"
#include "table.h"
#include "tagger.h"
#include "utf8.h"

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "Usage: framescore eval [OPTIONS] (--spans LABELS --articles DIR |\n"
    "                                  --words FILE | --sentences FILE)...\n"
    "\n"
    "Measures how well the lexicons and the model find what annotators "
    "marked.\n"
    "\n"
    "Span level (--spans LABELS --articles DIR): gold spans in the propaganda\n"
    "techniques corpus format (article_id<TAB>technique<TAB>begin<TAB>end, in\n"
    "code points, end exclusive; or article_id<TAB>begin<TAB>end) for the\n"
    "articles DIR/article<ID>.txt. Each technique is predicted by a model\n"
    "dimension (--technique TECHNIQUE=DIMENSION, repeatable; default\n"
    "Loaded_Language=loaded_language and Name_Calling,Labeling=name_calling):\n"
    "the matches of its categories with positive weight, with an intensifier\n"
    "right before and up to --phrase-words content words on each side.\n"
    "Precision, recall and F1, exact and with the partial-overlap credit of\n"
    "SemEval-2020 Task 11, per technique and for all of them; per-category\n"
    "and per-entry precision.\n"
    "\n"
    "Word level (--words FILE): sentences with a list of biased words (a\n"
    "Python-style list such as ['bizarre', 'radical']): token precision,\n"
    "recall and F1 of the words inside matches of the dimensions "
    "(--dimension,\n"
    "repeatable; default loaded_language, labeling, attribution_doubt,\n"
    "attribution_pejorative and, where the lexicons have it,\n"
    "evaluative_language).\n"
    "\n"
    "Sentence level (--sentences FILE): labelled texts scored by one "
    "dimension\n"
    "(--dimension; default the model's first logistic dimension, else\n"
    "loaded_language): ROC AUC, PR AUC and F1 at thresholds chosen by K-fold\n"
    "cross-validation on the other folds.\n"
    "\n"
    "Options:\n"
    "  --model FILE             the model (default models/default.model)\n"
    "  --word-vectors FILE      the word vectors a model with vector: features\n"
    "                           or a tagger inside was trained with (train\n"
    "                           --word-vectors, --tagger-vectors)\n"
    "  --context-model FILE|default|none\n"
    "                           span and word level: keep only matches the\n"
    "                           context model rates at or above its threshold\n"
    "                           (default none; 'default': "
    "models/context.model)\n"
    "  --tagger FILE            span and word level: spans and words from a\n"
    "                           span tagger (train --spans/--words)\n"
    "  --word-vectors FILE      the word vectors a tagger was trained with\n"
    "                           (default: the path its file records)\n"
    "  --technique T=DIMENSION  span level: technique and its dimension\n"
    "  --phrase-words N         span level: content words a predicted span\n"
    "                           takes on each side (default 1; 0: matches "
    "only)\n"
    "  --dimension NAME         word and sentence level (repeatable)\n"
    "  --text-column NAME       (default text)\n"
    "  --label-column NAME      sentence level (default label)\n"
    "  --positive VALUE         (default 1); --negative VALUE (default: the "
    "rest)\n"
    "  --words-column NAME      word level (default biased_words)\n"
    "  --voice author|quote|all matches that count at span and word level\n"
    "                           (default all: annotators mark quotes too)\n"
    "  --folds K, --seed N      sentence level (default 5, 1)\n"
    "  --top N                  entries listed in text tables (default 15)\n"
    "  --format text|csv|jsonl  csv/jsonl: one row per score, category, entry\n"
    "  -o, --output FILE\n"
    "  --lexicon PATH, --no-default-lexicons, --lang LANG, --max-file-size N\n"
    "  --exclude PATTERN        switch off the lexicon entries written\n"
    "                           PATTERN (repeatable)\n"
    "  --quiet                  no warnings about the lexicons\n"
    "  --excel-safe             csv: a text cell starting with = + - @ gets a\n"
    "                           ' first, so spreadsheets do not run it\n"
    "  -h, --help\n";

typedef struct eval_run {
  const cli_opts *o;
  fs_ctx *ctx;
  const fs_model *m;
  FILE *out;
  int voice;
  bool csv_header;
  const fs_context_model *cm; /* --context-model, or NULL */
  const fs_tagger *tg;        /* --tagger, or NULL */
} eval_run;

/* Applies the context model (with its threshold for the task,
 * FS_CONTEXT_TASK_*) or the tagger to an analysed document. */
static int learned(const eval_run *r, fs_doc *d, int task) {
  if (r->cm && fs_context_apply(r->cm, fs_ctx_lexicon(r->ctx), d, false))
    return FS_ERR_NOMEM;
  if (r->cm)
    d->ctx_threshold = fs_context_model_task_threshold(r->cm, task);
  if (r->tg && fs_tagger_apply(r->tg, r->ctx, d))
    return FS_ERR_NOMEM;
  return FS_OK;
}

static long dimension(const fs_model *m, const char *name) {
  long d = fs_model_find(m, name);
  if (d < 0)
    cli_error("the model %s has no dimension '%s'", m->name, name);
  else if (!m->dims[d].active) {
    cli_error("dimension '%s' of %s covers no category of the lexicons", name,
              m->name);
    d = -1;
  }
  return d;
}

static void section_break(eval_run *r) {
  if (r->o->fmt == CLI_FORMAT_TEXT)
    fputc('\n', r->out);
  else if (r->o->fmt == CLI_FORMAT_CSV && !r->csv_header) {
    fs_render_eval_csv_header(r->out);
    r->csv_header = true;
  }
}

/* ---- spans
 * --------------------------------------------------------------------- */

static int eval_spans(eval_run *r) {
  const cli_opts *o = r->o;
  const char *def_t[2] = {"Loaded_Language", "Name_Calling,Labeling"};
  const char *def_d[2] = {"loaded_language", "name_calling"};
  size_t nt = o->ntechniques ? (size_t)o->ntechniques : 2;
  char *tech[CLI_MAX_LEXICONS];
  size_t dims[CLI_MAX_LEXICONS];
  int rc = FS_ERR_INPUT;
  size_t nrows = 0, nfiles = 0;
  cli_gold_row *rows = NULL;
  char **files = NULL;
  fs_span_eval *e = NULL;
  for (size_t i = 0; i < nt; i++)
    tech[i] = NULL;
  for (size_t i = 0; i < nt; i++) {
    char buf[512];
    if (o->ntechniques) {
      snprintf(buf, sizeof buf, "%s", o->techniques[i]);
      *strrchr(buf, '=') = '\0';
    } else {
      snprintf(buf, sizeof buf, "%s", def_t[i]);
    }
    const char *dn =
        o->ntechniques ? strrchr(o->techniques[i], '=') + 1 : def_d[i];
    long d = dimension(r->m, dn);
    if (d < 0 || !(tech[i] = strdup(buf)))
      goto done;
    dims[i] = (size_t)d;
  }
  if (cli_read_labels(o->spans, (const char *const *)tech, nt, o->max_file_size,
                      &rows, &nrows))
    goto done;
  files = cli_article_files(o->articles, &nfiles);
  if (!nfiles) {
    fprintf(stderr, "%s: no article*.txt files\n", o->articles);
    goto done;
  }
  e = fs_span_eval_new(r->m, (const char *const *)tech, dims, nt, r->voice,
                       (size_t)o->phrase_words);
  if (!e)
    goto nomem;
  for (size_t f = 0; f < nfiles; f++) {
    char path[4096], *text, msg[512];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", o->articles, files[f]);
    if (cli_read_input(path, o->max_file_size, &text, &len, msg, sizeof msg)) {
      fprintf(stderr, "%s: %s\n", path, msg);
      goto done;
    }
    char id[64];
    snprintf(id, sizeof id, "%.*s", (int)(strlen(files[f]) - 11), files[f] + 7);
    fs_gold_span *gold = malloc((nrows + 1) * sizeof *gold);
    uint32_t *cp = malloc((len + 1) * sizeof *cp);
    fs_error err = {0};
    fs_doc *d = gold && cp ? fs_doc_analyze(r->ctx, text, len, &err) : NULL;
    int arc = d && !learned(r, d, FS_CONTEXT_TASK_SPANS)
                  ? fs_span_eval_add(
                        e, d, gold,
                        cli_article_gold(id, rows, nrows, text, len, gold, cp))
                  : FS_ERR_NOMEM;
    fs_doc_free(d);
    free(gold), free(cp), free(text);
    if (arc)
      goto nomem;
  }
  section_break(r);
  fs_render_span_eval(r->out, e, o->format, o->top);
  rc = FS_OK;
  goto done;
nomem:
  cli_error("out of memory");
done:
  for (size_t i = 0; i < nt; i++)
    free(tech[i]);
  for (size_t i = 0; i < nfiles; i++)
    free(files[i]);
  free(files);
  free(rows);
  fs_span_eval_free(e);
  return rc;
}

/* ---- words
 * ------------------------------------------------------------------- */

static int eval_words(eval_run *r) {
  const cli_opts *o = r->o;
  size_t dims[CLI_MAX_LEXICONS], nd = 0;
  const char *def[5] = {"loaded_language", "labeling", "attribution_doubt",
                        "attribution_pejorative", "evaluative_language"};
  for (int i = 0; i < (o->ndims ? o->ndims : 5); i++) {
    /* the default evaluative words predict where the lexicons have them
     * (not with another model, a small --lexicon or --lang russian) */
    if (!o->ndims && i == 4 && !cli_dimension_active(r->m, def[i]))
      continue;
    long d = dimension(r->m, o->ndims ? o->dims[i] : def[i]);
    if (d < 0)
      return FS_ERR_INPUT;
    dims[nd++] = (size_t)d;
  }
  fs_table t;
  fs_error err = {0};
  if (cli_table_open(&t, o->words, o->max_file_size, &err)) {
    cli_print_error(&err);
    return FS_ERR_INPUT;
  }
  long tc = fs_table_column(&t, o->text_column, &err);
  long wc = tc < 0 ? -1 : fs_table_column(&t, o->words_column, &err);
  fs_word_eval *e = wc < 0 ? NULL : fs_word_eval_new(r->m, dims, nd, r->voice);
  int rc = FS_ERR_INPUT, more;
  if (wc < 0) {
    cli_print_error(&err);
    goto done;
  }
  if (!e)
    goto nomem;
  /* a context model with `words content`: function words of a kept match
   * are not predicted biased words (models/README.md) */
  fs_word_eval_content_words(e, r->cm && fs_context_model_content_words(r->cm));
  while ((more = fs_table_next(&t, &err)) == 1) {
    char *buf, **words;
    long nw = cli_parse_list(t.fields[wc], &buf, &words);
    if (nw < 0) {
      fprintf(stderr,
              "%s:%ld: the %s column is not a list like ['a', "
              "'b']\n",
              o->words, t.rec_line, o->words_column);
      free(buf), free(words);
      goto done;
    }
    const char *text = t.fields[tc];
    fs_doc *d = fs_doc_analyze(r->ctx, text, strlen(text), &err);
    int arc =
        d && !learned(r, d, FS_CONTEXT_TASK_WORDS)
            ? fs_word_eval_add(e, d, (const char *const *)words, (size_t)nw)
            : FS_ERR_NOMEM;
    fs_doc_free(d);
    free(buf), free(words);
    if (arc)
      goto nomem;
  }
  if (more < 0) {
    cli_print_error(&err);
    goto done;
  }
  section_break(r);
  fs_render_word_eval(r->out, e, o->format, o->top);
  rc = FS_OK;
  goto done;
nomem:
  cli_error("out of memory");
done:
  fs_word_eval_free(e);
  fs_table_close(&t);
  return rc;
}

/* ---- sentences
 * ----------------------------------------------------------------- */

static long sentence_dimension(const eval_run *r) {
  if (r->o->ndims)
    return dimension(r->m, r->o->dims[0]);
  for (size_t i = 0; i < r->m->ndims; i++)
    if (r->m->dims[i].kind == FS_DIM_LOGISTIC && r->m->dims[i].active)
      return (long)i;
  return dimension(r->m, "loaded_language");
}

static int eval_sentences(eval_run *r) {
  const cli_opts *o = r->o;
  long dim = sentence_dimension(r);
  if (dim < 0)
    return FS_ERR_INPUT;
  fs_table t;
  fs_error err = {0};
  if (cli_table_open(&t, o->sentences, o->max_file_size, &err)) {
    cli_print_error(&err);
    return FS_ERR_INPUT;
  }
  long tc = fs_table_column(&t, o->text_column, &err);
  long lc = tc < 0 ? -1 : fs_table_column(&t, o->label_column, &err);
  double *score = NULL, *y = NULL;
  size_t n = 0, cap = 0, cap2 = 0;
  int rc = FS_ERR_INPUT, more;
  if (lc < 0) {
    cli_print_error(&err);
    goto done;
  }
  while ((more = fs_table_next(&t, &err)) == 1) {
    const char *label = t.fields[lc], *text = t.fields[tc];
    int yy = cli_label_class(o, label);
    if (yy < 0)
      continue;
    fs_doc *d = fs_doc_analyze(r->ctx, text, strlen(text), &err);
    if (!d || cli_grow(&score, &cap, n, sizeof *score) ||
        cli_grow(&y, &cap2, n, sizeof *y)) {
      fs_doc_free(d);
      cli_error("out of memory");
      goto done;
    }
    score[n] = fs_model_item_score(r->m, (size_t)dim, r->ctx, d);
    y[n++] = yy;
    fs_doc_free(d);
  }
  if (more < 0) {
    cli_print_error(&err);
    goto done;
  }
  const fs_dimension *dm = &r->m->dims[dim];
  fs_sentence_eval se;
  if (fs_eval_sentences(score, y, n, o->folds, o->seed,
                        dm->kind == FS_DIM_LOGISTIC ? dm->threshold : NAN,
                        &se)) {
    cli_error("out of memory");
    goto done;
  }
  section_break(r);
  fs_render_sentence_eval(r->out, &se, dm->name, o->format);
  rc = FS_OK;
done:
  free(score), free(y);
  fs_table_close(&t);
  return rc;
}

/* ---- the command
 * --------------------------------------------------------------- */

int cli_eval(int argc, char **argv) {
  cli_opts o;
  int rc = cli_parse(&o, CLI_EVAL, "eval", help, argc, argv);
  if (rc)
    return rc < 0 ? 0 : rc;
  if (!cli_given(&o, "top"))
    o.top = 15;
  if ((!o.spans != !o.articles) || (!o.spans && !o.words && !o.sentences) ||
      o.nargs) {
    cli_error("eval needs --spans LABELS with --articles DIR, --words FILE "
              "and/or --sentences FILE (no other arguments)\nTry 'framescore "
              "eval --help'.");
    return FS_ERR_USAGE;
  }
  if ((rc = cli_check_outputs(&o, NULL)))
    return rc;
  fs_lexicon *lex = cli_lexicon(&o);
  fs_error err = {0};
  fs_ctx *ctx = lex ? fs_ctx_new(lex, &err) : NULL;
  bool failed = false, cm_failed = false;
  fs_model *m = ctx ? cli_model(&o, lex, &failed) : NULL;
  fs_context_model *cm = m ? cli_context_model(&o, lex, &cm_failed) : NULL;
  fs_tagger *tg = NULL;
  fs_word_vectors wv;
  fs_word_vectors_init(&wv);
  if (m && !cm_failed && o.tagger && !(tg = fs_tagger_load(o.tagger, &err)))
    cli_print_error(&err);
  if (tg && cli_tagger_vectors(&o, o.tagger, tg, m, &wv)) {
    fs_tagger_free(tg);
    tg = NULL;
  }
  cli_tagger_check_categories(o.tagger, tg, lex);
  cli_out out = {0};
  rc = FS_ERR_INPUT;
  if (lex && !ctx)
    cli_print_error(&err);
  if (ctx && !m && !failed)
    cli_error("eval needs a model (not --model none)");
  if (!m || cm_failed || (o.tagger && !tg) || cli_out_open(&out, o.output) ||
      cli_out_filter(&out, &o, CLI_OUT_KIND(&o)))
    goto done;
  eval_run run = {
      .o = &o,
      .ctx = ctx,
      .m = m,
      .out = out.f,
      .voice = cli_given(&o, "voice") ? cli_voice(o.voice) : FS_VOICES,
      .cm = cm,
      .tg = tg,
  };
  if (o.fmt == CLI_FORMAT_TEXT)
    fprintf(out.f, "framescore eval: model %s; lexicons: %zu categories\n",
            m->name, fs_lexicon_category_count(lex));
  if ((o.spans && eval_spans(&run)) || (o.words && eval_words(&run)) ||
      (o.sentences && eval_sentences(&run)))
    goto done;
  rc = cli_out_commit(&out) ? FS_ERR_INPUT : FS_OK;
  if (cli_vectors_intact(m, &wv))
    rc = FS_ERR_INPUT;
done:
  cli_out_abort(&out);
  fs_tagger_free(tg);
  fs_word_vectors_free(&wv);
  fs_context_model_free(cm);
  fs_model_free(m);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
  return rc;
}
