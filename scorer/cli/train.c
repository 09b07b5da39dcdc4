/* SPDX-License-Identifier: GPL-3.0-or-later */
/* train.c - `framescore train`: a logistic framing model from labelled
 * sentences or documents, with cross-validated precision, recall and F1. */
#include "train.h"
#include "cli.h"
#include "context.h"
#include "model.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "Usage: framescore train [OPTIONS] FILE.csv|FILE.tsv -o MODEL\n"
    "       framescore train --context [OPTIONS] (--spans LABELS --articles "
    "DIR |\n"
    "                        --words FILE)... -o CONTEXT_MODEL\n"
    "       framescore train [OPTIONS] (--spans LABELS --articles DIR |\n"
    "                        --words FILE)... -o TAGGER\n"
    "\n"
    "Learns an L2-regularised logistic regression from labelled texts (one\n"
    "sentence or document per row). Features: log(1 + matches) of every\n"
    "lexicon category and the presence of every stem found in at least\n"
    "--min-df texts. Minimised with GSL's BFGS2. Stratified K-fold\n"
    "cross-validation reports precision, recall, F1 (each fold at the\n"
    "best-F1 threshold of cross-validated predictions on its training folds),\n"
    "ROC AUC and PR AUC; the final model is fitted on every text and written\n"
    "as a model file (models/README.md) that report, compare and eval read\n"
    "with --model.\n"
    "\n"
    "With --context, learns a context model for lexicon matches from spans\n"
    "(the propaganda techniques corpus format, as eval reads them) and/or\n"
    "sentences with lists of biased words: the probability that annotators\n"
    "mark a match, from features that name no corpus word. Without it, those\n"
    "annotations train a span tagger over word tokens (a model with\n"
    "vocabulary). Both: K-fold cross-validation by article, each fold's\n"
    "threshold chosen on its training folds (models/README.md).\n"
    "  --scope all|dimensions   context model: which matches it may keep\n"
    "  --combine union|tags|anchor  tagger: add its spans to the lexicon's\n"
    "                           (union), use them alone (tags, default), or\n"
    "                           keep the lexicon's spans it does not reject\n"
    "                           and add the words it is sure of (anchor)\n"
    "  --technique T=DIMENSION, --dimension NAME, --words-column NAME,\n"
    "  --phrase-words N         as in eval\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE        the model (default stdout; the summary then\n"
    "                           goes to stderr)\n"
    "  --text-column NAME       column with the text (default text)\n"
    "  --label-column NAME      column with the label (default label)\n"
    "  --positive VALUE         label of positive texts (default 1)\n"
    "  --negative VALUE         label of negative texts (default: every other\n"
    "                           non-empty label); rows with other labels are\n"
    "                           skipped\n"
    "  --folds K                cross-validation folds (default 5)\n"
    "  --seed N                 fold assignment (default 1)\n"
    "  --lambda X               L2 penalty (default 4)\n"
    "  --min-df N               stems in at least N texts (default 2)\n"
    "  --pairs                  also pairs of consecutive stems of a sentence\n"
    "                           (pair:STEM|STEM features, --min-df applies)\n"
    "  --nb                     penalise each stem or pair by its naive\n"
    "                           Bayes log-count ratio (NB-LR)\n"
    "  --context-model FILE|default\n"
    "                           add aggregates of each text's match\n"
    "                           probabilities under a context model\n"
    "                           (context:max, sum, mean, author, quote); the\n"
    "                           model embeds it\n"
    "  --voice author|quote|all words that count (default all)\n"
    "  --unit sentence|document how report applies the model (default\n"
    "                           sentence: share of sentences above threshold)\n"
    "  --name NAME              the dimension's name (default bias)\n"
    "  --format text|csv|jsonl  the summary\n"
    "  --lexicon PATH, --no-default-lexicons, --lang LANG, --max-file-size N\n"
    "  --quiet                  no summary\n"
    "  -h, --help\n";

/* Reads every labelled row into the trainer. */
static int read_rows(const cli_opts *o, fs_ctx *ctx, fs_trainer *tr,
                     size_t *skipped) {
  fs_table t;
  fs_error err = {0};
  int rc = cli_table_open(&t, o->args[0], o->max_file_size, &err);
  long tc = rc ? -1 : fs_table_column(&t, o->text_column, &err);
  long lc = tc < 0 ? -1 : fs_table_column(&t, o->label_column, &err);
  if (rc || tc < 0 || lc < 0) {
    cli_print_error(&err);
    if (!rc)
      fs_table_close(&t);
    return FS_ERR_INPUT;
  }
  int r;
  while ((r = fs_table_next(&t, &err)) == 1) {
    const char *label = t.fields[lc], *text = t.fields[tc];
    int y = !strcmp(label, o->positive) ? 1
            : o->negative               ? (!strcmp(label, o->negative) ? 0 : -1)
            : *label                    ? 0
                                        : -1;
    if (y < 0) {
      (*skipped)++;
      continue;
    }
    fs_doc *d = fs_doc_analyze(ctx, text, strlen(text), &err);
    if (!d || fs_trainer_add(tr, d, y)) {
      fs_doc_free(d);
      fs_table_close(&t);
      cli_error("out of memory");
      return FS_ERR_INPUT;
    }
    fs_doc_free(d);
  }
  fs_table_close(&t);
  if (r < 0) {
    cli_print_error(&err);
    return FS_ERR_INPUT;
  }
  return FS_OK;
}

static int write_model(const cli_opts *o, const fs_train_result *r,
                       const fs_train_opts *to) {
  char comment[1024];
  snprintf(comment, sizeof comment,
           "written by framescore %s train from %s: %zu texts, %s = %s "
           "(%zu) against %s (%zu)\n"
           "features: %zu lexicon categories + %zu stems%s%s%s; lambda %g, "
           "min-df %ld, voice %s\n"
           "%ld-fold cross-validation (seed %lu): F1 %.3f, precision %.3f, "
           "recall %.3f, ROC AUC %.3f, PR AUC %.3f",
           FS_VERSION,
           strrchr(o->args[0], '/') ? strrchr(o->args[0], '/') + 1 : o->args[0],
           r->n, o->label_column, o->positive, r->positives,
           o->negative ? o->negative : "the rest", r->n - r->positives,
           r->ncats, r->nstems, to->pairs ? " and pairs" : "",
           to->nb ? " (naive Bayes penalties)" : "",
           to->cm ? " + context aggregates" : "", to->lambda,
           to->min_df,
           to->voice == FS_VOICES ? "all" : fs_voice_name(to->voice), to->folds,
           to->seed, r->f1, r->precision, r->recall, r->roc_auc, r->pr_auc);
  cli_out out = {0};
  if (cli_out_open(&out, o->output))
    return FS_ERR_INPUT;
  if (fs_model_write(out.f, r->model, comment) != FS_OK) {
    cli_out_abort(&out);
    cli_error("writing the model failed");
    return FS_ERR_INPUT;
  }
  return cli_out_commit(&out) ? FS_ERR_INPUT : FS_OK;
}

int cli_train(int argc, char **argv) {
  cli_opts o;
  int rc = cli_parse(&o, CLI_TRAIN, "train", help, argc, argv);
  if (rc)
    return rc < 0 ? 0 : rc;
  if (o.context || o.spans || o.words) {
    if (o.context_model) {
      cli_error("--context-model is for train from a labelled file (context "
                "aggregates of a sentence model)\nTry 'framescore train "
                "--help'.");
      return FS_ERR_USAGE;
    }
    if (o.nargs || (!o.spans != !o.articles) || (!o.spans && !o.words)) {
      cli_error("train --context and the span tagger take --spans LABELS "
                "--articles DIR and/or --words FILE (no other arguments)\n"
                "Try 'framescore train --help'.");
      return FS_ERR_USAGE;
    }
    return cli_train_annotated(
        &o, cli_given(&o, "voice") ? cli_voice(o.voice) : FS_VOICES);
  }
  if (o.nargs != 1) {
    cli_error("train takes one labelled file (CSV or TSV)\nTry 'framescore "
              "train --help'.");
    return FS_ERR_USAGE;
  }
  fs_train_opts to = {
      o.lambda,
      o.folds,
      o.seed,
      o.min_df,
      cli_given(&o, "voice") ? cli_voice(o.voice) : FS_VOICES,
      !strcmp(o.unit, "document") ? FS_UNIT_DOCUMENT : FS_UNIT_SENTENCE,
      o.name,
      NULL,
      o.pairs,
      o.nb,
      NULL};
  char about[300];
  const char *base = strrchr(o.args[0], '/');
  snprintf(about, sizeof about, "probability that %s = %s, trained on %s",
           o.label_column, o.positive, base ? base + 1 : o.args[0]);
  to.about = about;
  bool bad_name = !*o.name || strlen(o.name) > 64;
  for (const char *p = o.name; *p; p++)
    bad_name |=
        !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_');
  if (bad_name) {
    cli_error("--name takes lowercase letters, digits and '_'\nTry "
              "'framescore train --help'.");
    return FS_ERR_USAGE;
  }
  if ((rc = cli_check_outputs(&o, NULL)))
    return rc;
  fs_lexicon *lex = cli_lexicon(&o);
  fs_error err = {0};
  fs_ctx *ctx = lex ? fs_ctx_new(lex, &err) : NULL;
  bool cm_failed = false;
  fs_context_model *cm = ctx ? cli_context_model(&o, lex, &cm_failed) : NULL;
  to.cm = cm;
  fs_trainer *tr = ctx && !cm_failed ? fs_trainer_new(ctx, &to) : NULL;
  fs_train_result res = {0};
  size_t skipped = 0;
  rc = FS_ERR_INPUT;
  if (lex && !ctx)
    cli_print_error(&err);
  if (cm_failed)
    goto done;
  if (ctx && !tr)
    cli_error("out of memory");
  if (!tr || read_rows(&o, ctx, tr, &skipped))
    goto done;
  if (fs_trainer_run(tr, &res, &err)) {
    cli_print_error(&err);
    goto done;
  }
  if ((rc = write_model(&o, &res, &to)))
    goto done;
  if (!o.quiet) {
    FILE *f = o.output && strcmp(o.output, "-") ? stdout : stderr;
    fs_render_train(f, &res, &to, o.format);
    if (o.fmt == CLI_FORMAT_TEXT && skipped)
      fprintf(f, "(%zu rows with other labels skipped)\n", skipped);
  }
done:
  fs_train_result_free(&res);
  fs_trainer_free(tr);
  fs_context_model_free(cm);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
  return rc;
}
