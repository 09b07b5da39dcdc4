/* SPDX-License-Identifier: GPL-3.0-or-later */
/* train.c - `framescore train`: a logistic framing model from labelled
 * sentences or documents, with cross-validated precision, recall and F1. */
#include "train.h"
#include "annotated.h"
#include "cli.h"
#include "context.h"
#include "internal.h"
#include "model.h"
#include "table.h"
#include "tagger.h"
#include "word_vectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* in two literals: ISO C promises 4095 characters in one */
static const char *const help_usage =
    "Usage: framescore train [OPTIONS] FILE.csv|FILE.tsv -o MODEL\n"
    "       framescore train --context [OPTIONS] (--spans LABELS --articles "
    "DIR |\n"
    "                        --words FILE)... -o CONTEXT_MODEL\n"
    "       framescore train [OPTIONS] (--spans LABELS --articles DIR |\n"
    "                        --words FILE)... -o TAGGER\n"
    "\n"
    "Learns an L2-regularised logistic regression (GSL BFGS2) from labelled\n"
    "texts, one sentence or document per row: log(1 + matches) of every\n"
    "lexicon category and the presence of every stem in --min-df texts.\n"
    "K-fold cross-validation reports precision, recall, F1 (each fold at the\n"
    "best-F1 threshold of cross-validated predictions on its training folds),\n"
    "ROC AUC and PR AUC; the final model, fitted on every text, is a model\n"
    "file (models/README.md) that report, compare and eval read (--model).\n"
    "\n"
    "With --context, learns a context model for lexicon matches from spans\n"
    "(the propaganda techniques corpus format, as eval reads them) and/or\n"
    "sentences with lists of biased words: the probability that annotators\n"
    "mark a match, from features that name no corpus word. Without it, those\n"
    "annotations train a span tagger over word tokens (a model with\n"
    "vocabulary). Both: K-fold cross-validation by article, each fold's\n"
    "threshold chosen on its training folds (models/README.md).\n"
    "  --scope all|dimensions   context model: which matches it may keep\n"
    "  --words-weight N         context model: --words rows count N times\n"
    "  --sentence-stage         context model: a second pass over each\n"
    "                           sentence's match probabilities (stacked)\n"
    "  --combine union|tags|anchor  tagger: add its spans to the lexicon's\n"
    "                           (union), use them alone (tags, default), or\n"
    "                           keep the lexicon's spans it does not reject\n"
    "                           and add the words it is sure of (anchor)\n"
    "  --span-rules extend=P,merge,trim\n"
    "  --stack                  tagger: a second stage reads each word's\n"
    "                           probability with its sentence's (out of fold)\n"
    "  --sentence-cap N|auto|none  tagger: at most N tagged words a sentence\n"
    "                           (auto: chosen by cross-validation)\n"
    "  --token-features LIST|none  tagger: optional feature families,\n"
    "                           comma-separated: near2 (the lexicon\n"
    "                           categories two words before and after),\n"
    "                           affix (a word's first and last 4 letters)\n"
    "  --word-classes FILE      tagger: lines WORD<TAB>CLASS; a word's class\n"
    "                           is a feature (kept in the tagger file)\n"
    "  --word-vectors FILE      tagger: pretrained word vectors (GloVe text\n"
    "                           format); a word's vector is a feature; the\n"
    "                           tagger records the file and is applied with it\n"
    "  --vector-scale S         tagger: the vectors' scale (1; unit length)\n"
    "  --technique T=DIMENSION, --dimension NAME, --words-column NAME,\n"
    "  --phrase-words N         as in eval\n"
    "\n";

static const char *const help_options =
    "Options:\n"
    "  -o, --output FILE        the model (default stdout, the summary to\n"
    "                           stderr)\n"
    "  --text-column NAME       column with the text (default text)\n"
    "  --label-column NAME      column with the label (default label)\n"
    "  --positive VALUE         label of positive texts (default 1)\n"
    "  --negative VALUE         label of negative texts (default: every other\n"
    "                           non-empty label); rows with other labels are\n"
    "                           skipped\n"
    "  --folds K                cross-validation folds (default 5)\n"
    "  --seed N                 fold assignment (default 1)\n"
    "  --group COLUMN[,COLUMN...]|none\n"
    "                           folds keep texts with equal values of these\n"
    "                           columns together (default: news_link if there\n"
    "                           is one; empty cells: a group of one); none:\n"
    "                           folds by text\n"
    "  --word-prior X           with the --words-column lists of the words\n"
    "                           annotators marked in each text: a stem marked\n"
    "                           in a share m of the training texts holding it\n"
    "                           is penalised 1 + X*m times less (default 0: off)\n"
    "  --lambda X               L2 penalty (default 4)\n"
    "  --min-df N               stems in at least N texts (default 2)\n"
    "  --pairs                  also pairs of consecutive stems of a sentence\n"
    "                           (pair:STEM|STEM features, --min-df applies)\n"
    "  --nb                     penalise each stem or pair by its naive\n"
    "                           Bayes log-count ratio (NB-LR)\n"
    "  --affixes LO-HI          also each word's first and last LO to HI\n"
    "                           (<= 8) characters (prefix:, suffix:)\n"
    "  --char-ngrams LO-HI      also the character n-grams of LO to HI (<= 6)\n"
    "                           characters of each word marked <word>\n"
    "                           (ngram: features; --min-df and --nb apply)\n"
    "  --ngram-scale S          those n-grams penalised 1/S^2 times as much\n"
    "                           as stems (default 1)\n"
    "  --shape                  also the text's shape: log(1 + words), the\n"
    "                           shares of capitalised, quoted, number and\n"
    "                           hyphen-joined words, and whether it has a\n"
    "                           scare quote, '?' or '!' (shape: features)\n"
    "  --tagger-features        also aggregates of a span tagger's tags\n"
    "                           (tagger: features), a tagger trained on the\n"
    "                           --words-column lists inside each fold and\n"
    "                           embedded in the model\n"
    "  --tagger-folds K         the folds in which that tagger chooses its\n"
    "                           threshold (default 3)\n"
    "  --tagger-aggregates counts|probs|counts,probs\n"
    "                           which aggregates: words tagged at three\n"
    "                           thresholds (counts, the default), or the\n"
    "                           highest, top-3 mean and summed probability\n"
    "                           of its words (probs)\n"
    "  --tagger-vectors         that tagger takes --word-vectors too (v=\n"
    "                           features; default: without them)\n"
    ;
/* (split: C99 compilers need take no string longer than 4095 bytes) */
static const char *const help_vectors =
    "  --word-vectors FILE      also the text's words' pretrained vectors\n"
    "                           (GloVe or word2vec text format), each scaled\n"
    "                           to length 1 and pooled (vector: features);\n"
    "                           the model records their digest, and eval and\n"
    "                           report need the same --word-vectors FILE\n"
    "  --vector-pool mean|max|mean,max\n"
    "                           how (default mean: the mean; max: each\n"
    "                           component's largest value)\n"
    "  --vector-scale S         those columns, standardised, times S against\n"
    "                           the common penalty (default 1)\n"
    "  --vector-words N         only the file's first N rows (its most\n"
    "                           frequent words)\n"
    "  --vector-skip N          pool no word among the file's first N rows\n"
    "                           (a stop list by frequency)\n"
    "  --vector-sif A           weigh each word's vector A / (A + p), p its\n"
    "                           probability by Zipf's law from its row in\n"
    "                           the file, and divide the mean by the sum of\n"
    "                           the weights (SIF; 3e-5 chosen on BABE)\n"
    "  --context-model FILE|default\n"
    "                           add aggregates of each text's match\n"
    "                           probabilities under a context model\n"
    "                           (embedded in the model)\n"
    "  --context-matches framing|all\n"
    "                           the matches those aggregates count: the\n"
    "                           ones that weigh in the loaded-language\n"
    "                           score (default), or every scoring match\n"
    "                           with weight-0 and event entries too\n"
    "  --voice author|quote|all words that count (default all)\n"
    "  --unit sentence|document how report applies the model (default\n"
    "                           sentence: share of sentences above threshold)\n"
    "  --name NAME              the dimension's name (default bias)\n"
    "  --format text|csv|jsonl  the summary\n"
    "  --lexicon PATH, --no-default-lexicons, --lang LANG, --max-file-size N\n"
    "  --exclude PATTERN        switch off the lexicon entries written\n"
    "                           PATTERN (repeatable)\n"
    "  --quiet                  no summary\n"
    "  -h, --help\n";

#define MAX_GROUP_COLUMNS 8

/* The columns of --group (comma-separated names) into gc; their count, or
 * -1 after printing the error. Without --group: the news_link column when
 * the table has one (BABE's: sentences of one article stay together, as in
 * train --words); --group none: none. */
static long group_columns(const cli_opts *o, const fs_table *t, long *gc) {
  long n = 0;
  if (!o->group) {
    fs_error ignored = {0};
    gc[0] = fs_table_column(t, "news_link", &ignored);
    return gc[0] >= 0;
  }
  if (!strcmp(o->group, "none"))
    return 0;
  for (const char *c = o->group; c && *c;) {
    size_t len = strcspn(c, ",");
    char name[256];
    if (!len || len >= sizeof name || n == MAX_GROUP_COLUMNS) {
      cli_error("--group takes up to %d column names separated by ','",
                MAX_GROUP_COLUMNS);
      return -1;
    }
    memcpy(name, c, len);
    name[len] = '\0';
    fs_error err = {0};
    if ((gc[n++] = fs_table_column(t, name, &err)) < 0) {
      cli_print_error(&err);
      return -1;
    }
    c += len + (c[len] == ',');
  }
  return n;
}

/* A row's group key: its --group cells joined by a unit separator, or
 * length 0 when every cell is empty (the row is a group of its own). */
static size_t group_key(const fs_table *t, const long *gc, long ng,
                        char **buf, size_t *cap) {
  size_t len = 0;
  bool any = false;
  for (long g = 0; g < ng; g++) {
    const char *v = t->fields[gc[g]];
    size_t l = strlen(v);
    any |= l > 0;
    if (fs_grow(buf, cap, len + l + 2, 1))
      return SIZE_MAX;
    memcpy(*buf + len, v, l);
    len += l;
    (*buf)[len++] = '\x1f';
  }
  return any ? len : 0;
}

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
  long gc[MAX_GROUP_COLUMNS];
  long ng = group_columns(o, &t, gc);
  if (ng < 0) {
    fs_table_close(&t);
    return FS_ERR_INPUT;
  }
  long wc = -1;
  if ((o->word_prior > 0 || o->tagger_features) &&
      (wc = fs_table_column(&t, o->words_column, &err)) < 0) {
    cli_print_error(&err);
    fs_table_close(&t);
    return FS_ERR_INPUT;
  }
  char *key = NULL;
  size_t key_cap = 0;
  int r;
  while ((r = fs_table_next(&t, &err)) == 1) {
    const char *label = t.fields[lc], *text = t.fields[tc];
    int y = cli_label_class(o, label);
    if (y < 0) {
      (*skipped)++;
      continue;
    }
    char *wbuf = NULL, **words = NULL;
    long nw = wc < 0 ? 0 : cli_parse_list(t.fields[wc], &wbuf, &words);
    if (nw < 0) {
      fprintf(stderr, "%s:%ld: the %s column is not a list like ['a', 'b']\n",
              o->args[0], t.rec_line, o->words_column);
      free(wbuf), free(words), free(key);
      fs_table_close(&t);
      return FS_ERR_INPUT;
    }
    size_t klen = group_key(&t, gc, ng, &key, &key_cap);
    fs_doc *d = klen == SIZE_MAX
                    ? NULL
                    : fs_doc_analyze(ctx, text, strlen(text), &err);
    if (!d || fs_trainer_add_row(tr, d, y, key, klen,
                                 (const char *const *)words, (size_t)nw)) {
      fs_doc_free(d);
      fs_table_close(&t);
      free(wbuf), free(words), free(key);
      cli_error("out of memory");
      return FS_ERR_INPUT;
    }
    free(wbuf), free(words);
    fs_doc_free(d);
  }
  free(key);
  fs_table_close(&t);
  if (r < 0) {
    cli_print_error(&err);
    return FS_ERR_INPUT;
  }
  return FS_OK;
}

/* --tagger-aggregates: a comma-separated list of counts and probs into
 * *aggs (FS_TAGAGG_* bits); false when a name is unknown or the list
 * empty. */
static bool parse_aggregates(const char *s, unsigned *aggs) {
  unsigned a = 0;
  for (const char *c = s;;) {
    size_t n = strcspn(c, ",");
    if (n == 6 && !strncmp(c, "counts", 6))
      a |= FS_TAGAGG_COUNTS;
    else if (n == 5 && !strncmp(c, "probs", 5))
      a |= FS_TAGAGG_PROBS;
    else
      return false;
    if (!c[n])
      break;
    c += n + 1;
  }
  *aggs = a;
  return true;
}

/* --vector-pool: FS_VPOOL_* bits of a comma-separated list */
static bool parse_pools(const char *s, unsigned *pools) {
  unsigned a = 0;
  for (const char *c = s;;) {
    size_t n = strcspn(c, ",");
    size_t i = 0;
    while (fs_model_vpool_name(i) &&
           (strlen(fs_model_vpool_name(i)) != n ||
            strncmp(c, fs_model_vpool_name(i), n)))
      i++;
    if (!fs_model_vpool_name(i))
      return false;
    a |= 1u << i;
    if (!c[n])
      break;
    c += n + 1;
  }
  *pools = a;
  return true;
}

static int write_model(const cli_opts *o, const fs_train_result *r,
                       const fs_train_opts *to) {
  char comment[1300], groups[320] = "";
  char prior[96] = "", affixes[64] = "", ngrams[64] = "";
  char tagger_folds[64] = "", vectors[240] = "";
  if (to->wv) {
    char scale[160] = "";
    if (to->vector_scale > 0 && to->vector_scale != 1)
      snprintf(scale, sizeof scale, " scaled %.6g", to->vector_scale);
    if (to->vector_skip)
      snprintf(scale + strlen(scale), sizeof scale - strlen(scale),
               " without the first %zu words", to->vector_skip);
    if (to->vector_sif > 0)
      snprintf(scale + strlen(scale), sizeof scale - strlen(scale),
               " weighted by SIF a %.6g", to->vector_sif);
    snprintf(vectors, sizeof vectors,
             " + %u-dimensional word vectors (%s)%s", to->wv->dim,
             to->vector_pools == FS_VPOOL_MAX                   ? "max"
             : to->vector_pools == (FS_VPOOL_MEAN | FS_VPOOL_MAX) ? "mean, max"
                                                                  : "mean",
             scale);
  }
  if (to->tagger && to->tagger_folds != FS_TRAIN_TAGGER_FOLDS)
    snprintf(tagger_folds, sizeof tagger_folds, " (its threshold by %ld folds)",
             to->tagger_folds);
  if (to->tagger && to->tagger_vectors) { /* after the folds, if any */
    size_t n = strlen(tagger_folds);
    snprintf(tagger_folds + n, sizeof tagger_folds - n,
             " (with the word vectors)");
  }
  if (to->affix_min > 0)
    snprintf(affixes, sizeof affixes, " and affixes of %d-%d characters",
             to->affix_min, to->affix_max);
  if (to->ngram_min > 0 && to->ngram_scale > 0 && to->ngram_scale != 1)
    snprintf(ngrams, sizeof ngrams, " and character %d-%d-grams scaled %.6g",
             to->ngram_min, to->ngram_max, to->ngram_scale);
  else if (to->ngram_min > 0)
    snprintf(ngrams, sizeof ngrams, " and character %d-%d-grams",
             to->ngram_min, to->ngram_max);
  if (to->word_prior > 0)
    snprintf(prior, sizeof prior, ", word prior %g from %.40s", to->word_prior,
             o->words_column);
  if (r->ngroups)
    snprintf(groups, sizeof groups, " by %.200s (%zu groups)",
             o->group ? o->group : "news_link", r->ngroups);
  snprintf(comment, sizeof comment,
           "written by framescore %s train from %s: %zu texts, %s = %s "
           "(%zu) against %s (%zu)\n"
           "features: %zu lexicon categories + %zu stems%s%s%s%s%s%s%s%s%s; "
           "lambda %g, "
           "min-df %ld, voice %s%s\n"
           "%ld-fold cross-validation%s (seed %lu): F1 %.3f, precision %.3f, "
           "recall %.3f, ROC AUC %.3f, PR AUC %.3f",
           FS_VERSION,
           strrchr(o->args[0], '/') ? strrchr(o->args[0], '/') + 1 : o->args[0],
           r->n, o->label_column, o->positive, r->positives,
           o->negative ? o->negative : "the rest", r->n - r->positives,
           r->ncats, r->nstems, to->pairs ? " and pairs" : "", affixes, ngrams,
           to->nb ? " (naive Bayes penalties)" : "",
           to->cm ? " + context aggregates" : "",
           to->shape ? " + shape" : "",
           !to->tagger                               ? ""
           : to->tagger_aggs == FS_TAGAGG_PROBS      ? " + tagger aggregates (probs)"
           : to->tagger_aggs & FS_TAGAGG_PROBS       ? " + tagger aggregates (counts, probs)"
                                                     : " + tagger aggregates",
           tagger_folds, vectors, to->lambda,
           to->min_df,
           to->voice == FS_VOICES ? "all" : fs_voice_name(to->voice), prior,
           to->folds, groups, to->seed, r->f1, r->precision, r->recall, r->roc_auc, r->pr_auc);
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
  char help[12288];
  snprintf(help, sizeof help, "%s%s%s", help_usage, help_options,
           help_vectors);
  int rc = cli_parse(&o, CLI_TRAIN, "train", help, argc, argv);
  if (rc)
    return rc < 0 ? 0 : rc;
  if (o.sentence_stage && !o.context) {
    cli_error("--sentence-stage is for train --context (a context model's "
              "second pass)\nTry 'framescore train --help'.");
    return FS_ERR_USAGE;
  }
  if (o.word_classes && (o.context || (!o.spans && !o.words))) {
    cli_error("--word-classes is for the span tagger (train --spans/--words "
              "without --context)\nTry 'framescore train --help'.");
    return FS_ERR_USAGE;
  }
  if ((o.word_vectors || o.vector_scale > 0) && o.context) {
    cli_error("--word-vectors and --vector-scale are for the span tagger "
              "(train --spans/--words) and for a sentence model (train from "
              "a labelled file), not for train --context\nTry 'framescore "
              "train --help'.");
    return FS_ERR_USAGE;
  }
  if (o.vector_scale > 0 && !o.word_vectors) {
    cli_error("--vector-scale needs --word-vectors\nTry 'framescore train "
              "--help'.");
    return FS_ERR_USAGE;
  }
  if (o.token_features && !o.spans && !o.words) {
    cli_error("--token-features is for the span tagger (train --spans/--words)"
              "\nTry 'framescore train --help'.");
    return FS_ERR_USAGE;
  }
  if (o.context || o.spans || o.words) {
    if (o.group || o.word_prior > 0) {
      cli_error("--group and --word-prior are for train from a labelled "
                "file (annotations are folded by article already)\nTry "
                "'framescore train --help'.");
      return FS_ERR_USAGE;
    }
    if (o.affix_min > 0 || o.ngram_min > 0 || o.shape ||
        o.tagger_features || cli_given(&o, "tagger-folds") ||
        o.tagger_aggregates || o.tagger_vectors) {
      cli_error("--affixes, --char-ngrams, --shape, --tagger-features, "
                "--tagger-folds, --tagger-aggregates and "
                "--tagger-vectors are for train from a labelled file "
                "(features of a sentence model)\nTry 'framescore train "
                "--help'.");
      return FS_ERR_USAGE;
    }
    if (o.vector_pool || o.vector_words || o.vector_skip ||
        o.vector_sif > 0) {
      cli_error("--vector-pool, --vector-words, --vector-skip and "
                "--vector-sif are for train from a labelled file (features "
                "of a sentence model)\nTry 'framescore train --help'.");
      return FS_ERR_USAGE;
    }
    if (o.context_model || o.context_matches) {
      cli_error("--context-model and --context-matches are for train from "
                "a labelled file (context "
                "aggregates of a sentence model)\nTry 'framescore train "
                "--help'.");
      return FS_ERR_USAGE;
    }
    fs_tagger_rules rules;
    if (o.span_rules && (o.context || !o.combine_anchor ||
                         !fs_tagger_rules_parse(o.span_rules, &rules))) {
      cli_error("--span-rules takes none or a comma-separated list of "
                "merge, trim and extend=P (0 < P < 1), for a tagger with "
                "--combine anchor\nTry 'framescore train --help'.");
      return FS_ERR_USAGE;
    }
    long cap;
    unsigned feats;
    if (o.token_features &&
        (o.context || !fs_tagger_features_parse(o.token_features,
                                                strlen(o.token_features),
                                                &feats))) {
      cli_error("--token-features takes none or a comma-separated list of "
                "near2, affix, for the span tagger (not --context)\nTry 'framescore train --help'.");
      return FS_ERR_USAGE;
    }
    if ((o.stack || o.sentence_cap) && o.context) {
      cli_error("--stack and --sentence-cap are for the span tagger (train "
                "--spans/--words without --context)\nTry 'framescore train "
                "--help'.");
      return FS_ERR_USAGE;
    }
    if (o.sentence_cap && (!cli_sentence_cap(o.sentence_cap, &cap) ||
                           (cap < 0 && o.combine_anchor))) {
      cli_error("--sentence-cap takes none, auto or a whole number from 1 "
                "to 1000 (auto: not with --combine anchor)\nTry 'framescore "
                "train --help'.");
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
      NULL,
      o.word_prior,
      o.affix_min,
      o.affix_max,
      o.shape,
      false,
      NULL,
      NULL,
      false, /* ctx_all: set below */
      o.tagger_folds,
      0,     /* tagger_aggs: set below */
      0,     /* ngram_min, ngram_max, ngram_scale: set below */
      0,
      0,
      NULL, /* wv, vector_pools, vector_scale, vector_words, vector_skip,
               tagger_vectors, vector_sif: set below */
      0,
      0,
      0,
      0,
      false,
      0};
  char about[300];
  const char *base = strrchr(o.args[0], '/');
  snprintf(about, sizeof about, "probability that %s = %s, trained on %s",
           o.label_column, o.positive, base ? base + 1 : o.args[0]);
  to.about = about;
  if (o.context_matches && (!o.context_model ||
                            (strcmp(o.context_matches, "framing") &&
                             strcmp(o.context_matches, "all")))) {
    cli_error(o.context_model
                  ? "--context-matches takes framing or all\nTry "
                    "'framescore train --help'."
                  : "--context-matches needs --context-model\nTry "
                    "'framescore train --help'.");
    return FS_ERR_USAGE;
  }
  to.ctx_all = o.context_matches && !strcmp(o.context_matches, "all");
  to.ngram_min = o.ngram_min;
  to.ngram_max = o.ngram_max;
  to.ngram_scale = o.ngram_scale;
  if (o.ngram_scale > 0 && !o.ngram_min) {
    cli_error("--ngram-scale is for --char-ngrams\nTry 'framescore train "
              "--help'.");
    return FS_ERR_USAGE;
  }
  if (o.tagger_aggregates &&
      (!o.tagger_features ||
       !parse_aggregates(o.tagger_aggregates, &to.tagger_aggs))) {
    cli_error(o.tagger_features
                  ? "--tagger-aggregates takes counts, probs or "
                    "counts,probs\nTry 'framescore train --help'."
                  : "--tagger-aggregates is for --tagger-features\nTry "
                    "'framescore train --help'.");
    return FS_ERR_USAGE;
  }
  if ((o.vector_pool || o.vector_scale > 0 || o.vector_words ||
       o.vector_skip || o.vector_sif > 0) &&
      !o.word_vectors) {
    cli_error("--vector-pool, --vector-scale, --vector-words, "
              "--vector-skip and --vector-sif are for --word-vectors\nTry "
              "'framescore train --help'.");
    return FS_ERR_USAGE;
  }
  if (o.vector_pool && !parse_pools(o.vector_pool, &to.vector_pools)) {
    cli_error("--vector-pool takes mean, max or mean,max\nTry 'framescore "
              "train --help'.");
    return FS_ERR_USAGE;
  }
  if (!to.vector_pools)
    to.vector_pools = FS_VPOOL_MEAN;
  to.vector_scale = o.vector_scale;
  to.vector_words = (size_t)o.vector_words;
  to.vector_skip = (size_t)o.vector_skip;
  if (o.tagger_vectors && (!o.tagger_features || !o.word_vectors)) {
    cli_error("--tagger-vectors is for --tagger-features with "
              "--word-vectors (the nested tagger takes the vectors)\nTry "
              "'framescore train --help'.");
    return FS_ERR_USAGE;
  }
  to.tagger_vectors = o.tagger_vectors;
  to.vector_sif = o.vector_sif;
  if (cli_given(&o, "tagger-folds") && !o.tagger_features) {
    cli_error("--tagger-folds is for --tagger-features (the nested "
              "tagger's own folds)\nTry 'framescore train --help'.");
    return FS_ERR_USAGE;
  }
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
  /* --tagger-features: the tagger's thresholds are chosen for the word
   * dimensions eval --words scores (the default model's) */
  fs_model *wm = NULL;
  size_t wd[5], nwd = 0;
  fs_annot_setup ts = {0};
  if (ctx && !cm_failed && o.tagger_features) {
    static const char *const def_w[5] = {
        "loaded_language", "labeling", "attribution_doubt",
        "attribution_pejorative", "evaluative_language"};
    bool wm_failed = false;
    wm = cli_model(&o, lex, &wm_failed);
    for (size_t i = 0; wm && i < 5; i++) {
      long d = fs_model_find(wm, def_w[i]);
      if (d >= 0 && wm->dims[d].active)
        wd[nwd++] = (size_t)d;
    }
    if (!nwd) {
      if (!wm_failed)
        cli_error("--tagger-features needs the default model's word "
                  "dimensions (loaded_language, labeling, ...)");
      cm_failed = true;
    }
    ts = (fs_annot_setup){wm,  NULL,      NULL,  0,     wd,
                          nwd, (size_t)o.phrase_words, to.voice, false,
                          false};
    to.tagger = true;
    to.tag_setup = &ts;
    to.tag_ctx = ctx;
  }
  fs_word_vectors *wv = NULL;
  if (ctx && !cm_failed && o.word_vectors &&
      !(wv = cli_word_vectors(o.word_vectors, to.vector_words, false)))
    cm_failed = true;
  to.wv = wv;
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
  if ((rc = cli_vectors_intact(wm, NULL)))
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
  fs_model_free(wm);
  fs_word_vectors_free(wv);
  free(wv);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
  return rc;
}
