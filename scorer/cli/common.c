/* SPDX-License-Identifier: GPL-3.0-or-later */
/* common.c - argv → options, messages, the data folders and the lexicon:
 * the bottom of the command-line tool, which uses no other file of it
 * (corpus and session set-up are in session.c). */
#include "cli.h"
#include "model.h"
#include "train.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("framescore: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

void cli_print_error(const fs_error *err) {
  char buf[1200];
  fprintf(stderr, "%s\n", fs_error_format(err, buf, sizeof buf));
}

enum {
  OPT_LEXICON = 256,
  OPT_NO_DEFAULT,
  OPT_LANG,
  OPT_FORMAT,
  OPT_MATCHES,
  OPT_MANIFEST,
  OPT_OUTLET_FROM,
  OPT_VOICE,
  OPT_THREADS,
  OPT_QUIET,
  OPT_COLOR,
  OPT_MAX_FILE,
  OPT_SEED,
  OPT_BOOTSTRAP,
  OPT_PERMUTATIONS,
  OPT_PAIR,
  OPT_SURFACE,
  OPT_MIN_COUNT,
  OPT_TOP,
  OPT_LEXICON_ONLY,
  OPT_PRIOR,
  OPT_HELP,
  OPT_MODEL,
  OPT_DIMENSIONS,
  OPT_SCORES,
  OPT_EXCLUDE,
  OPT_DISTINCT_PRIOR,
  OPT_ACTORS,
  OPT_TEXT_COLUMN,
  OPT_LABEL_COLUMN,
  OPT_WORDS_COLUMN,
  OPT_POSITIVE,
  OPT_NEGATIVE,
  OPT_FOLDS,
  OPT_LAMBDA,
  OPT_MIN_DF,
  OPT_UNIT,
  OPT_NAME,
  OPT_SPANS,
  OPT_ARTICLES,
  OPT_SENTENCES,
  OPT_WORDS,
  OPT_TECHNIQUE,
  OPT_DIMENSION,
  OPT_WIDE,
  OPT_PHRASE_WORDS,
  OPT_SAVE_COUNTS,
  OPT_COUNTS,
  OPT_EXCEL_SAFE,
  OPT_CONTEXT,
  OPT_CONTEXT_MODEL,
  OPT_TAGGER,
  OPT_SCOPE,
  OPT_COMBINE,
  OPT_SHARD,
  OPT_GROUP_BY,
  OPT_CATEGORY,
  OPT_WINDOW,
  OPT_HTML_DOCS,
  OPT_STOP_WORDS,
  OPT_PROGRESS,
  OPT_PAIRS,
  OPT_NB,
  OPT_WINDOW_BYTES,
  OPT_GROUP,
  OPT_WORD_PRIOR,
  OPT_AFFIXES,
  OPT_CHAR_NGRAMS,
  OPT_NGRAM_SCALE,
  OPT_SHAPE,
  OPT_WORDS_WEIGHT,
  OPT_QUOTE_WEIGHT,
  OPT_SPAN_RULES,
  OPT_STACK,
  OPT_SENTENCE_CAP,
  OPT_SENTENCE_STAGE,
  OPT_TAGGER_FEATURES,
  OPT_CONTEXT_MATCHES,
  OPT_TAGGER_FOLDS,
  OPT_TOKEN_FEATURES,
  OPT_WORD_CLASSES,
  OPT_TAGGER_AGGREGATES,
  OPT_WORD_VECTORS,
  OPT_VECTOR_POOL,
  OPT_VECTOR_SCALE,
  OPT_VECTOR_WORDS,
  OPT_VECTOR_SKIP,
  OPT_TAGGER_VECTORS,
  OPT_VECTOR_SIF
};

#define CLI_DOCS (CLI_REPORT | CLI_COMPARE | CLI_TERMS | CLI_KWIC)
#define CLI_MINE (CLI_TRAIN | CLI_EVAL | CLI_ACTORS)

typedef struct opt_info {
  struct option opt;
  int cmds;
} opt_info;

static const opt_info options[] = {
    {{"lexicon", required_argument, 0, OPT_LEXICON}, CLI_ALL & ~CLI_MERGE},
    {{"no-default-lexicons", no_argument, 0, OPT_NO_DEFAULT},
     CLI_DOCS | CLI_MINE | CLI_COUNT},
    {{"lang", required_argument, 0, OPT_LANG}, CLI_ALL & ~CLI_MERGE},
    {{"format", required_argument, 0, OPT_FORMAT},
     CLI_DOCS | CLI_MINE},
    {{"output", required_argument, 0, 'o'},
     CLI_DOCS | CLI_MINE | CLI_COUNT | CLI_MERGE | CLI_VECTORS},
    {{"matches", required_argument, 0, OPT_MATCHES}, CLI_REPORT | CLI_ACTORS},
    {{"manifest", required_argument, 0, OPT_MANIFEST},
     CLI_DOCS | CLI_ACTORS | CLI_COUNT},
    {{"outlet-from", required_argument, 0, OPT_OUTLET_FROM},
     CLI_DOCS | CLI_ACTORS | CLI_COUNT},
    {{"voice", required_argument, 0, OPT_VOICE},
     CLI_DOCS | CLI_MINE | CLI_COUNT},
    {{"threads", required_argument, 0, OPT_THREADS},
     CLI_REPORT | CLI_COMPARE | CLI_TERMS | CLI_ACTORS | CLI_COUNT |
         CLI_KWIC},
    {{"quiet", no_argument, 0, OPT_QUIET}, CLI_ALL},
    {{"color", required_argument, 0, OPT_COLOR},
     CLI_REPORT | CLI_COMPARE | CLI_TERMS},
    {{"max-file-size", required_argument, 0, OPT_MAX_FILE},
     CLI_DOCS | CLI_MINE | CLI_COUNT},
    {{"seed", required_argument, 0, OPT_SEED},
     CLI_COMPARE | CLI_TRAIN | CLI_EVAL},
    {{"bootstrap", required_argument, 0, OPT_BOOTSTRAP}, CLI_COMPARE},
    {{"permutations", required_argument, 0, OPT_PERMUTATIONS}, CLI_COMPARE},
    {{"pair", required_argument, 0, OPT_PAIR}, CLI_COMPARE | CLI_TERMS},
    {{"surface", no_argument, 0, OPT_SURFACE}, CLI_TERMS | CLI_COUNT},
    {{"min-count", required_argument, 0, OPT_MIN_COUNT}, CLI_TERMS},
    {{"top", required_argument, 0, OPT_TOP}, CLI_TERMS | CLI_EVAL},
    {{"lexicon-only", no_argument, 0, OPT_LEXICON_ONLY}, CLI_TERMS},
    {{"prior", required_argument, 0, OPT_PRIOR}, CLI_TERMS},
    {{"model", required_argument, 0, OPT_MODEL},
     CLI_REPORT | CLI_COMPARE | CLI_EVAL | CLI_TRAIN |
         CLI_COUNT},
    {{"dimensions", required_argument, 0, OPT_DIMENSIONS}, CLI_REPORT},
    {{"scores", required_argument, 0, OPT_SCORES}, CLI_REPORT},
    {{"distinct-prior", required_argument, 0, OPT_DISTINCT_PRIOR},
     CLI_REPORT | CLI_COMPARE},
    {{"exclude", required_argument, 0, OPT_EXCLUDE},
     CLI_ALL & ~CLI_MERGE},
    {{"actors", required_argument, 0, OPT_ACTORS}, CLI_ACTORS | CLI_REPORT},
    {{"text-column", required_argument, 0, OPT_TEXT_COLUMN},
     CLI_TRAIN | CLI_EVAL},
    {{"label-column", required_argument, 0, OPT_LABEL_COLUMN},
     CLI_TRAIN | CLI_EVAL},
    {{"words-column", required_argument, 0, OPT_WORDS_COLUMN},
     CLI_EVAL | CLI_TRAIN},
    {{"positive", required_argument, 0, OPT_POSITIVE}, CLI_TRAIN | CLI_EVAL},
    {{"negative", required_argument, 0, OPT_NEGATIVE}, CLI_TRAIN | CLI_EVAL},
    {{"folds", required_argument, 0, OPT_FOLDS}, CLI_TRAIN | CLI_EVAL},
    {{"lambda", required_argument, 0, OPT_LAMBDA}, CLI_TRAIN},
    {{"min-df", required_argument, 0, OPT_MIN_DF}, CLI_TRAIN},
    {{"unit", required_argument, 0, OPT_UNIT}, CLI_TRAIN},
    {{"name", required_argument, 0, OPT_NAME}, CLI_TRAIN},
    {{"spans", required_argument, 0, OPT_SPANS}, CLI_EVAL | CLI_TRAIN},
    {{"articles", required_argument, 0, OPT_ARTICLES}, CLI_EVAL | CLI_TRAIN},
    {{"sentences", required_argument, 0, OPT_SENTENCES}, CLI_EVAL},
    {{"words", required_argument, 0, OPT_WORDS}, CLI_EVAL | CLI_TRAIN},
    {{"context", no_argument, 0, OPT_CONTEXT}, CLI_TRAIN},
    {{"scope", required_argument, 0, OPT_SCOPE}, CLI_TRAIN},
    {{"combine", required_argument, 0, OPT_COMBINE}, CLI_TRAIN},
    {{"context-model", required_argument, 0, OPT_CONTEXT_MODEL},
     CLI_REPORT | CLI_EVAL | CLI_TRAIN},
    {{"tagger", required_argument, 0, OPT_TAGGER}, CLI_EVAL | CLI_REPORT},
    {{"technique", required_argument, 0, OPT_TECHNIQUE}, CLI_EVAL | CLI_TRAIN},
    {{"dimension", required_argument, 0, OPT_DIMENSION}, CLI_EVAL | CLI_TRAIN},
    {{"phrase-words", required_argument, 0, OPT_PHRASE_WORDS},
     CLI_EVAL | CLI_TRAIN},
    {{"wide", no_argument, 0, OPT_WIDE}, CLI_REPORT},
    {{"save-counts", required_argument, 0, OPT_SAVE_COUNTS}, CLI_COMPARE},
    {{"counts", no_argument, 0, OPT_COUNTS},
     CLI_COMPARE | CLI_TERMS | CLI_REPORT},
    {{"shard", required_argument, 0, OPT_SHARD}, CLI_COUNT},
    {{"excel-safe", no_argument, 0, OPT_EXCEL_SAFE},
     CLI_DOCS | CLI_EVAL | CLI_ACTORS},
    {{"group-by", required_argument, 0, OPT_GROUP_BY},
     CLI_COMPARE | CLI_TERMS | CLI_KWIC | CLI_COUNT},
    {{"category", required_argument, 0, OPT_CATEGORY}, CLI_KWIC},
    {{"window", required_argument, 0, OPT_WINDOW}, CLI_KWIC},
    {{"html-docs", required_argument, 0, OPT_HTML_DOCS}, CLI_REPORT},
    {{"stop-words", required_argument, 0, OPT_STOP_WORDS}, CLI_TERMS},
    {{"progress", no_argument, 0, OPT_PROGRESS},
     CLI_DOCS | CLI_ACTORS | CLI_COUNT},
    {{"pairs", no_argument, 0, OPT_PAIRS}, CLI_TRAIN},
    {{"nb", no_argument, 0, OPT_NB}, CLI_TRAIN},
    {{"help", no_argument, 0, 'h'}, CLI_ALL | CLI_VECTORS},
    {{"window-bytes", required_argument, 0, OPT_WINDOW_BYTES},
     CLI_REPORT | CLI_KWIC | CLI_COUNT | CLI_TERMS | CLI_COMPARE},
    {{"group", required_argument, 0, OPT_GROUP}, CLI_TRAIN},
    {{"word-prior", required_argument, 0, OPT_WORD_PRIOR}, CLI_TRAIN},
    {{"affixes", required_argument, 0, OPT_AFFIXES}, CLI_TRAIN},
    {{"char-ngrams", required_argument, 0, OPT_CHAR_NGRAMS}, CLI_TRAIN},
    {{"ngram-scale", required_argument, 0, OPT_NGRAM_SCALE}, CLI_TRAIN},
    {{"shape", no_argument, 0, OPT_SHAPE}, CLI_TRAIN},
    {{"words-weight", required_argument, 0, OPT_WORDS_WEIGHT}, CLI_TRAIN},
    {{"quote-weight", required_argument, 0, OPT_QUOTE_WEIGHT},
     CLI_REPORT | CLI_COMPARE | CLI_COUNT},
    {{"span-rules", required_argument, 0, OPT_SPAN_RULES}, CLI_TRAIN},
    {{"stack", no_argument, 0, OPT_STACK}, CLI_TRAIN},
    {{"sentence-cap", required_argument, 0, OPT_SENTENCE_CAP}, CLI_TRAIN},
    {{"sentence-stage", no_argument, 0, OPT_SENTENCE_STAGE}, CLI_TRAIN},
    {{"tagger-features", no_argument, 0, OPT_TAGGER_FEATURES}, CLI_TRAIN},
    {{"context-matches", required_argument, 0, OPT_CONTEXT_MATCHES},
     CLI_TRAIN},
    {{"tagger-folds", required_argument, 0, OPT_TAGGER_FOLDS}, CLI_TRAIN},
    {{"token-features", required_argument, 0, OPT_TOKEN_FEATURES}, CLI_TRAIN},
    {{"word-classes", required_argument, 0, OPT_WORD_CLASSES}, CLI_TRAIN},
    {{"tagger-aggregates", required_argument, 0, OPT_TAGGER_AGGREGATES},
     CLI_TRAIN},
    {{"word-vectors", required_argument, 0, OPT_WORD_VECTORS},
     CLI_TRAIN | CLI_EVAL | CLI_REPORT | CLI_COMPARE | CLI_COUNT},
    {{"vector-pool", required_argument, 0, OPT_VECTOR_POOL}, CLI_TRAIN},
    {{"vector-scale", required_argument, 0, OPT_VECTOR_SCALE}, CLI_TRAIN},
    {{"vector-words", required_argument, 0, OPT_VECTOR_WORDS}, CLI_TRAIN},
    {{"vector-skip", required_argument, 0, OPT_VECTOR_SKIP}, CLI_TRAIN},
    {{"tagger-vectors", no_argument, 0, OPT_TAGGER_VECTORS}, CLI_TRAIN},
    {{"vector-sif", required_argument, 0, OPT_VECTOR_SIF}, CLI_TRAIN},
    {{0, 0, 0, 0}, 0}};

static int usage_error(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int usage_error(const char *name, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("framescore: ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nTry 'framescore %s --help'.\n", name);
  return FS_ERR_USAGE;
}

/* Does --lang name a Snowball stemmer ("en" and "ru" stand for english and
 * russian)? An unknown language is a usage error, found before any input
 * is read. */
static bool lang_known(const char *lang) {
  if (!strcmp(lang, "en") || !strcmp(lang, "ru"))
    return true;
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new(lang, &err);
  fs_lexicon_free(lex);
  return lex != NULL;
}

int cli_usage_error(const char *name, const char *message) {
  return usage_error(name, "%s", message);
}

static bool parse_long(const char *s, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi)
    return false;
  *out = v;
  return true;
}

/* The defaults of every option, before argv is read. */
static void set_defaults(cli_opts *o, const char *name) {
  memset(o, 0, sizeof *o);
  o->cmd = name;
  o->format = "text";
  o->voice = "author";
  o->color = -1;
  o->distinct_prior = -1;
  o->threads = 0;
  o->max_file_size = (size_t)256 << 20;
  o->seed = 1;
  o->bootstrap = 2000;
  o->permutations = 10000;
  o->min_count = 1;
  o->top = 0;
  o->text_column = "text";
  o->label_column = "label";
  o->words_column = "biased_words";
  o->positive = "1";
  o->folds = 5;
  o->tagger_folds = FS_TRAIN_TAGGER_FOLDS;
  o->lambda = 4.0;
  o->min_df = 2;
  o->unit = "sentence";
  o->name = "bias";
  o->phrase_words = 1;
  o->window = 8;
  o->html_docs = 200;
  o->window_bytes = (size_t)1 << 20;
  o->words_weight = 1;
  o->quote_weight = FS_QUOTE_WEIGHT;
}

/* Does option c apply to the command? Records it as given when it does. */
static int check_command(cli_opts *o, int c, int cmd, const char *name) {
  for (size_t i = 0; options[i].opt.name; i++) {
    if (options[i].opt.val == c && !(options[i].cmds & cmd))
      return usage_error(name, "option '--%s' does not apply to '%s'",
                         options[i].opt.name, name);
    if (options[i].opt.val == c)
      o->given[i] = true;
  }
  return FS_OK;
}

/* The options that take a whole number: its range, and the message when
 * the value is not a number in it. */
typedef struct number_info {
  int val;
  long lo, hi;
  const char *what;
} number_info;

static const number_info numbers[] = {
    {OPT_THREADS, 0, 256, "--threads takes a number from 0 to 256"},
    {OPT_MAX_FILE, 1, 1L << 40, "--max-file-size takes a size in bytes"},
    {OPT_SEED, 0, 4294967295L, "--seed takes a number from 0 to 4294967295"},
    {OPT_BOOTSTRAP, 0, 1000000,
     "--bootstrap takes a number from 0 to 1000000"},
    {OPT_PERMUTATIONS, 1, 10000000,
     "--permutations takes a number from 1 to 10000000"},
    {OPT_WINDOW, 0, 100, "--window takes a number of words from 0 to 100"},
    {OPT_HTML_DOCS, 0, 1L << 30,
     "--html-docs takes a number of documents (0: all)"},
    {OPT_MIN_COUNT, 1, 1L << 40, "--min-count takes a positive number"},
    {OPT_TOP, 0, 1L << 40, "--top takes a number"},
    {OPT_DISTINCT_PRIOR, 0, 1L << 40,
     "--distinct-prior takes a number of words"},
    {OPT_FOLDS, 2, 100, "--folds takes a number from 2 to 100"},
    {OPT_MIN_DF, 1, 1000000, "--min-df takes a positive number"},
    {OPT_PHRASE_WORDS, 0, 10, "--phrase-words takes a number from 0 to 10"},
    {OPT_WINDOW_BYTES, 0, 1L << 40,
     "--window-bytes takes a size in bytes (0: read documents whole)"},
    {OPT_WORDS_WEIGHT, 1, 100, "--words-weight takes a number from 1 to 100"},
    {OPT_TAGGER_FOLDS, 2, 100,
     "--tagger-folds takes a number from 2 to 100"},
    {OPT_VECTOR_WORDS, 1, 1L << 40,
     "--vector-words takes a positive number of rows"},
    {OPT_VECTOR_SKIP, 1, 1L << 40,
     "--vector-skip takes a positive number of rows"},
};

static int set_number(cli_opts *o, const number_info *n, const char *name) {
  long v;
  if (!parse_long(optarg, n->lo, n->hi, &v))
    return usage_error(name, "%s", n->what);
  switch (n->val) {
  case OPT_THREADS: o->threads = (int)v; break;
  case OPT_MAX_FILE: o->max_file_size = (size_t)v; break;
  case OPT_SEED: o->seed = (unsigned long)v; break;
  case OPT_BOOTSTRAP: o->bootstrap = v; break;
  case OPT_PERMUTATIONS: o->permutations = v; break;
  case OPT_WINDOW: o->window = v; break;
  case OPT_HTML_DOCS: o->html_docs = v; break;
  case OPT_MIN_COUNT: o->min_count = v; break;
  case OPT_TOP: o->top = v; break;
  case OPT_DISTINCT_PRIOR: o->distinct_prior = (double)v; break;
  case OPT_FOLDS: o->folds = v; break;
  case OPT_MIN_DF: o->min_df = v; break;
  case OPT_PHRASE_WORDS: o->phrase_words = v; break;
  case OPT_WINDOW_BYTES: o->window_bytes = (size_t)v; break;
  case OPT_WORDS_WEIGHT: o->words_weight = v; break;
  case OPT_TAGGER_FOLDS: o->tagger_folds = v; break;
  case OPT_VECTOR_WORDS: o->vector_words = v; break;
  case OPT_VECTOR_SKIP: o->vector_skip = v; break;
  }
  return FS_OK;
}

/* The options that may be given several times, up to CLI_MAX_LEXICONS. */
static int add_to_list(cli_opts *o, int c, const char *name) {
  switch (c) {
  case OPT_LEXICON:
    if (o->nlexicons == CLI_MAX_LEXICONS)
      return usage_error(name, "at most %d --lexicon options",
                         CLI_MAX_LEXICONS);
    o->lexicons[o->nlexicons++] = optarg;
    break;
  case OPT_EXCLUDE:
    if (o->nexcludes == CLI_MAX_LEXICONS)
      return usage_error(name, "at most %d --exclude options",
                         CLI_MAX_LEXICONS);
    o->excludes[o->nexcludes++] = optarg;
    break;
  case OPT_TECHNIQUE:
    if (o->ntechniques == CLI_MAX_LEXICONS || !strrchr(optarg, '='))
      return usage_error(name, "--technique takes TECHNIQUE=DIMENSION "
                               "(at most %d)", CLI_MAX_LEXICONS);
    o->techniques[o->ntechniques++] = optarg;
    break;
  case OPT_DIMENSION:
    if (o->ndims == CLI_MAX_LEXICONS)
      return usage_error(name, "at most %d --dimension options",
                         CLI_MAX_LEXICONS);
    o->dims[o->ndims++] = optarg;
    break;
  }
  return FS_OK;
}

/* The options whose value is one of a few words. */
static int set_choice(cli_opts *o, int c, int cmd, const char *name) {
  switch (c) {
  case OPT_LANG:
    if (!lang_known(optarg))
      return usage_error(name, "--lang %s: unknown Snowball language "
                               "(try english, russian, german, french, "
                               "spanish, ...)",
                         optarg);
    o->lang = optarg;
    break;
  case OPT_FORMAT:
    if (strcmp(optarg, "text") && strcmp(optarg, "csv") &&
        strcmp(optarg, "jsonl") && strcmp(optarg, "html"))
      return usage_error(name, "--format must be text, csv, jsonl or html");
    if (!strcmp(optarg, "html") &&
        !(cmd & (CLI_REPORT | CLI_COMPARE | CLI_KWIC | CLI_TERMS)))
      return usage_error(name, "--format html is for report, compare, "
                               "terms and kwic");
    o->format = optarg;
    o->fmt = !strcmp(optarg, "csv")     ? CLI_FORMAT_CSV
             : !strcmp(optarg, "jsonl") ? CLI_FORMAT_JSONL
             : !strcmp(optarg, "html")  ? CLI_FORMAT_HTML
                                        : CLI_FORMAT_TEXT;
    break;
  case OPT_VOICE:
    if (strcmp(optarg, "author") && strcmp(optarg, "quote") &&
        strcmp(optarg, "all"))
      return usage_error(name, "--voice must be author, quote or all");
    o->voice = optarg;
    break;
  case OPT_COLOR:
    if (!strcmp(optarg, "always")) o->color = 1;
    else if (!strcmp(optarg, "never")) o->color = 0;
    else if (!strcmp(optarg, "auto")) o->color = -1;
    else return usage_error(name, "--color must be auto, always or never");
    break;
  case OPT_SCOPE:
    if (strcmp(optarg, "all") && strcmp(optarg, "dimensions"))
      return usage_error(name, "--scope must be all or dimensions");
    o->scope_all = !strcmp(optarg, "all");
    break;
  case OPT_COMBINE:
    if (strcmp(optarg, "union") && strcmp(optarg, "tags") &&
        strcmp(optarg, "anchor"))
      return usage_error(name, "--combine must be union, anchor or tags");
    o->combine_union = !strcmp(optarg, "union");
    o->combine_anchor = !strcmp(optarg, "anchor");
    break;
  case OPT_UNIT:
    if (strcmp(optarg, "sentence") && strcmp(optarg, "document"))
      return usage_error(name, "--unit must be sentence or document");
    o->unit = optarg;
    break;
  }
  return FS_OK;
}

/* --pair A B: the second outlet is the next argument. */
static int set_pair(cli_opts *o, const char *name, int argc, char **argv) {
  if (optind >= argc || argv[optind][0] == '-')
    return usage_error(name, "--pair takes two outlets: --pair A B");
  o->pair[0] = optarg;
  o->pair[1] = argv[optind++];
  return FS_OK;
}

/* --shard K/N */
static int set_shard(cli_opts *o, const char *name) {
  char *slash = strchr(optarg, '/');
  if (!slash || slash == optarg)
    return usage_error(name, "--shard takes K/N (1 <= K <= N)");
  *slash = '\0';
  bool ok = parse_long(optarg, 1, 1000000, &o->shard_k) &&
            parse_long(slash + 1, 1, 1000000, &o->shard_n) &&
            o->shard_k <= o->shard_n;
  *slash = '/';
  if (!ok)
    return usage_error(name, "--shard takes K/N (1 <= K <= N)");
  return FS_OK;
}

static int set_lambda(cli_opts *o, const char *name) {
  char *end;
  errno = 0;
  o->lambda = strtod(optarg, &end);
  if (errno || *end || end == optarg || !(o->lambda > 0) || o->lambda > 1e9)
    return usage_error(name, "--lambda takes a positive number");
  return FS_OK;
}

static int set_word_prior(cli_opts *o, const char *name) {
  char *end;
  errno = 0;
  o->word_prior = strtod(optarg, &end);
  if (errno || *end || end == optarg || !(o->word_prior >= 0) ||
      o->word_prior > 1e6)
    return usage_error(name, "--word-prior takes a number >= 0");
  return FS_OK;
}

/* --ngram-scale S: the n-gram columns' scale against the common penalty */
static int set_ngram_scale(cli_opts *o, const char *name) {
  char *end;
  errno = 0;
  o->ngram_scale = strtod(optarg, &end);
  if (errno || *end || end == optarg || !(o->ngram_scale > 0) ||
      o->ngram_scale > 100)
    return usage_error(name, "--ngram-scale takes a number > 0 and <= 100");
  return FS_OK;
}

/* --vector-scale S: the vector: columns' scale against the common penalty */
static int set_vector_scale(cli_opts *o, const char *name) {
  char *end;
  errno = 0;
  o->vector_scale = strtod(optarg, &end);
  if (errno || *end || end == optarg || !(o->vector_scale > 0) ||
      o->vector_scale > 100)
    return usage_error(name, "--vector-scale takes a number > 0 and <= 100");
  return FS_OK;
}

/* --vector-sif A: SIF's a, the word probability at which a word's vector
 * counts half (smoothed inverse frequency, model.h) */
static int set_vector_sif(cli_opts *o, const char *name) {
  char *end;
  errno = 0;
  o->vector_sif = strtod(optarg, &end);
  if (errno || *end || end == optarg || !(o->vector_sif > 0) ||
      o->vector_sif > 1)
    return usage_error(name, "--vector-sif takes a number > 0 and <= 1");
  return FS_OK;
}

/* --quote-weight W: how much quoted speech counts in loaded_score */
static int set_quote_weight(cli_opts *o, const char *name) {
  char *end;
  errno = 0;
  o->quote_weight = strtod(optarg, &end);
  if (errno || *end || end == optarg || !(o->quote_weight >= 0) ||
      o->quote_weight > 1)
    return usage_error(name, "--quote-weight takes a number from 0 to 1");
  return FS_OK;
}

/* LO-HI in optarg with 1 <= LO <= HI <= max into *lo and *hi; false when
 * it is not one */
static bool parse_range(long max, int *lo, int *hi) {
  char *end;
  errno = 0;
  long a = strtol(optarg, &end, 10), b = -1;
  if (!errno && end != optarg && *end == '-') {
    const char *h = end + 1;
    b = strtol(h, &end, 10);
    if (errno || end == h || *end)
      b = -1;
  }
  if (a < 1 || b < a || b > max)
    return false;
  *lo = (int)a;
  *hi = (int)b;
  return true;
}

/* --affixes LO-HI: word prefixes and suffixes of LO to HI characters */
static int set_affixes(cli_opts *o, const char *name) {
  if (!parse_range(FS_MODEL_AFFIX_MAX, &o->affix_min, &o->affix_max))
    return usage_error(name, "--affixes takes LO-HI, 1 <= LO <= HI <= 8");
  return FS_OK;
}

/* --char-ngrams LO-HI: character n-grams of LO to HI code points */
static int set_char_ngrams(cli_opts *o, const char *name) {
  if (!parse_range(FS_MODEL_NGRAM_MAX, &o->ngram_min, &o->ngram_max))
    return usage_error(name, "--char-ngrams takes LO-HI, 1 <= LO <= HI <= 6");
  return FS_OK;
}

/* The options that are a flag or take any text. */
static void set_text(cli_opts *o, int c) {
  switch (c) {
  case OPT_NO_DEFAULT: o->no_default_lexicons = true; break;
  case OPT_WIDE: o->wide = true; break;
  case OPT_STOP_WORDS: o->stop_words = optarg; break;
  case OPT_PROGRESS: o->progress = true; break;
  case OPT_PAIRS: o->pairs = true; break;
  case OPT_NB: o->nb = true; break;
  case OPT_SHAPE: o->shape = true; break;
  case OPT_STACK: o->stack = true; break;
  case OPT_TAGGER_FEATURES: o->tagger_features = true; break;
  case OPT_TAGGER_VECTORS: o->tagger_vectors = true; break;
  case OPT_CONTEXT_MATCHES: o->context_matches = optarg; break;
  case OPT_TAGGER_AGGREGATES: o->tagger_aggregates = optarg; break;
  case OPT_GROUP: o->group = optarg; break;
  case 'o': o->output = optarg; break;
  case OPT_MATCHES: o->matches = optarg; break;
  case OPT_MANIFEST: o->manifest = optarg; break;
  case OPT_OUTLET_FROM: o->outlet_from = optarg; break;
  case OPT_QUIET: o->quiet = true; break;
  case OPT_SURFACE: o->surface = true; break;
  case OPT_SAVE_COUNTS: o->save_counts = optarg; break;
  case OPT_COUNTS: o->counts = true; break;
  case OPT_EXCEL_SAFE: o->excel_safe = true; break;
  case OPT_CONTEXT: o->context = true; break;
  case OPT_SENTENCE_STAGE: o->sentence_stage = true; break;
  case OPT_CONTEXT_MODEL: o->context_model = optarg; break;
  case OPT_TAGGER: o->tagger = optarg; break;
  case OPT_GROUP_BY: o->group_by = optarg; break;
  case OPT_CATEGORY: o->category = optarg; break;
  case OPT_LEXICON_ONLY: o->lexicon_only = true; break;
  case OPT_PRIOR: o->prior = optarg; break;
  case OPT_MODEL: o->model = optarg; break;
  case OPT_DIMENSIONS: o->dimensions = optarg; break;
  case OPT_SCORES: o->scores = optarg; break;
  case OPT_ACTORS: o->actors = optarg; break;
  case OPT_TEXT_COLUMN: o->text_column = optarg; break;
  case OPT_LABEL_COLUMN: o->label_column = optarg; break;
  case OPT_WORDS_COLUMN: o->words_column = optarg; break;
  case OPT_POSITIVE: o->positive = optarg; break;
  case OPT_NEGATIVE: o->negative = optarg; break;
  case OPT_NAME: o->name = optarg; break;
  case OPT_SPANS: o->spans = optarg; break;
  case OPT_ARTICLES: o->articles = optarg; break;
  case OPT_SENTENCES: o->sentences = optarg; break;
  case OPT_WORDS: o->words = optarg; break;
  case OPT_SPAN_RULES: o->span_rules = optarg; break;
  case OPT_SENTENCE_CAP: o->sentence_cap = optarg; break;
  case OPT_TOKEN_FEATURES: o->token_features = optarg; break;
  case OPT_WORD_CLASSES: o->word_classes = optarg; break;
  case OPT_WORD_VECTORS: o->word_vectors = optarg; break;
  case OPT_VECTOR_POOL: o->vector_pool = optarg; break;
  }
}

/* One option's value (optarg) into o: FS_OK, or a usage error. */
static int set_option(cli_opts *o, int c, int cmd, const char *name, int argc,
                      char **argv) {
  for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
    if (numbers[i].val == c)
      return set_number(o, &numbers[i], name);
  switch (c) {
  case OPT_LEXICON:
  case OPT_EXCLUDE:
  case OPT_TECHNIQUE:
  case OPT_DIMENSION: return add_to_list(o, c, name);
  case OPT_LANG:
  case OPT_FORMAT:
  case OPT_VOICE:
  case OPT_COLOR:
  case OPT_SCOPE:
  case OPT_COMBINE:
  case OPT_UNIT: return set_choice(o, c, cmd, name);
  case OPT_PAIR: return set_pair(o, name, argc, argv);
  case OPT_SHARD: return set_shard(o, name);
  case OPT_LAMBDA: return set_lambda(o, name);
  case OPT_WORD_PRIOR: return set_word_prior(o, name);
  case OPT_AFFIXES: return set_affixes(o, name);
  case OPT_CHAR_NGRAMS: return set_char_ngrams(o, name);
  case OPT_NGRAM_SCALE: return set_ngram_scale(o, name);
  case OPT_VECTOR_SCALE: return set_vector_scale(o, name);
  case OPT_VECTOR_SIF: return set_vector_sif(o, name);
  case OPT_QUOTE_WEIGHT: return set_quote_weight(o, name);
  default: set_text(o, c); return FS_OK;
  }
}

int cli_parse(cli_opts *o, int cmd, const char *name, const char *help,
              int argc, char **argv) {
  struct option longs[sizeof options / sizeof *options];
  for (size_t i = 0; i < sizeof options / sizeof *options; i++)
    longs[i] = options[i].opt;
  set_defaults(o, name);
  optind = 1;
  opterr = 0;
  int c, idx, rc;
  while ((c = getopt_long(argc, argv, ":ho:", longs, &idx)) != -1) {
    /* an unknown short option inside a cluster ("-t1") leaves optind on
     * it: name the letter, not the argument before */
    if (c == '?' && optopt > 0 && optopt < 128)
      return usage_error(name, "unknown option '-%c'", optopt);
    if (c == '?')
      return usage_error(name, "unknown option '%s'", argv[optind - 1]);
    if (c == ':')
      return usage_error(name, "option '%s' needs a value", argv[optind - 1]);
    if ((rc = check_command(o, c, cmd, name)))
      return rc;
    if (c == 'h') {
      fputs(help, stdout);
      return -1;
    }
    if ((rc = set_option(o, c, cmd, name, argc, argv)))
      return rc;
  }
  o->args = argv + optind;
  o->nargs = argc - optind;
  if (o->threads == 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    o->threads = n > 0 ? (int)(n > 64 ? 64 : n) : 1;
  }
  return 0;
}

_Static_assert(sizeof options / sizeof *options <= CLI_MAX_OPTIONS,
               "cli_opts.given has room for every option");

bool cli_given(const cli_opts *o, const char *name) {
  for (size_t i = 0; options[i].opt.name; i++)
    if (!strcmp(options[i].opt.name, name))
      return o->given[i];
  return false;
}

int cli_label_class(const cli_opts *o, const char *label) {
  if (!strcmp(label, o->positive))
    return 1;
  if (o->negative)
    return !strcmp(label, o->negative) ? 0 : -1;
  return *label ? 0 : -1;
}

static const char *lang_dir(const char *lang) {
  if (!lang || !strcmp(lang, "english") || !strcmp(lang, "en"))
    return "en";
  if (!strcmp(lang, "russian") || !strcmp(lang, "ru"))
    return "ru";
  return lang;
}

static bool is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

bool cli_installed_data(const char *sub, char *out, size_t cap) {
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0)
    return false;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (!slash)
    return false;
  *slash = '\0';
  int w = snprintf(out, cap, "%s/%s/%s", exe, FS_BIN_TO_DATA, sub);
  return w > 0 && (size_t)w < cap;
}

/* The default lexicon folder for a language: $FRAMESCORE_LEXICONS, the
 * data folder installed beside the binary, the configured install folder,
 * then the source tree. */
static bool default_lexicons(const char *lang, char *out, size_t cap) {
  char beside[4096];
  const char *roots[4] = {getenv("FRAMESCORE_LEXICONS"),
                          cli_installed_data("lexicons", beside, sizeof beside)
                              ? beside
                              : NULL,
                          FS_INSTALL_LEXICONS, FS_SOURCE_LEXICONS};
  for (int i = 0; i < 4; i++) {
    if (!roots[i] || !*roots[i])
      continue;
    snprintf(out, cap, "%s/%s", roots[i], lang_dir(lang));
    if (is_dir(out))
      return true;
    if (i == 0) /* an explicit setting that does not work is an error */
      return false;
  }
  return false;
}

bool cli_default_lexicon_dir(const cli_opts *o, char *out, size_t cap) {
  return !o->no_default_lexicons && default_lexicons(o->lang, out, cap);
}

const char *cli_lang_name(const char *lang) {
  if (!strcmp(lang, "en"))
    return "english";
  if (!strcmp(lang, "ru"))
    return "russian";
  return lang;
}

/* *msg = the printf-style message (NULL when out of memory: the caller
 * then says that); for messages held back until their turn. */
static void hold_msg(char **msg, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  *msg = n < 0 ? NULL : malloc((size_t)n + 1);
  if (!*msg)
    return;
  va_start(ap, fmt);
  vsnprintf(*msg, (size_t)n + 1, fmt, ap);
  va_end(ap);
}

/* Loads the default lexicons of language `lang` into lex as that
 * language's entries. FS_OK, or FS_ERR_INPUT with the message (a line,
 * as cli_print_error or cli_error prints it) in msg. */
static int load_defaults(const cli_opts *o, fs_lexicon *lex, const char *lang,
                         char **msg) {
  fs_error err = {0};
  char dir[4096], buf[1200];
  if (fs_lexicon_set_lang(lex, lang, &err) != FS_OK) {
    hold_msg(msg, "%s\n", fs_error_format(&err, buf, sizeof buf));
    return FS_ERR_INPUT;
  }
  if (o->no_default_lexicons)
    return FS_OK;
  if (default_lexicons(lang, dir, sizeof dir)) {
    if (fs_lexicon_load(lex, dir, &err) == FS_OK)
      return FS_OK;
    hold_msg(msg, "%s\n", fs_error_format(&err, buf, sizeof buf));
  } else if (getenv("FRAMESCORE_LEXICONS") &&
             *getenv("FRAMESCORE_LEXICONS")) {
    hold_msg(msg, "framescore: FRAMESCORE_LEXICONS=%s has no folder '%s'\n",
             getenv("FRAMESCORE_LEXICONS"), lang_dir(lang));
  } else if (o->nlexicons == 0) {
    hold_msg(msg,
             "framescore: no default lexicons for language '%s' (looked in "
             "FRAMESCORE_LEXICONS, %s and %s); give --lexicon PATH\n",
             lang, FS_INSTALL_LEXICONS, FS_SOURCE_LEXICONS);
  } else {
    return FS_OK;
  }
  return FS_ERR_INPUT;
}

fs_lexicon *cli_lexicon(const cli_opts *o) {
  const char *lang = cli_lang_name(o->lang ? o->lang : "english");
  return cli_lexicon_langs(o, &lang, 1);
}

fs_lexicon *cli_lexicon_build(const cli_opts *o, const char *const *langs,
                              size_t nlangs, char **msg) {
  fs_error err = {0};
  *msg = NULL;
  char buf[1200];
  fs_lexicon *lex = fs_lexicon_new(langs[0], &err);
  if (!lex) {
    hold_msg(msg, "%s\n", fs_error_format(&err, buf, sizeof buf));
    return NULL;
  }
  for (size_t k = 0; k < nlangs; k++)
    if (load_defaults(o, lex, langs[k], msg)) {
      fs_lexicon_free(lex);
      return NULL;
    }
  /* --lexicon files (and actors) hold entries for every language */
  fs_lexicon_set_lang(lex, NULL, &err);
  for (int i = 0; i < o->nlexicons; i++)
    if (fs_lexicon_load(lex, o->lexicons[i], &err) != FS_OK) {
      hold_msg(msg, "%s\n", fs_error_format(&err, buf, sizeof buf));
      fs_lexicon_free(lex);
      return NULL;
    }
  fs_lexicon_set_quote_weight(lex, o->quote_weight); /* checked: 0 .. 1 */
  for (int i = 0; i < o->nexcludes; i++)
    if (fs_lexicon_exclude(lex, o->excludes[i]) == 0) {
      hold_msg(msg,
               "framescore: --exclude %s: no lexicon entry has this pattern "
               "(write it as in the lexicon file, e.g. 'terrorist' or "
               "'=claimed')\n",
               o->excludes[i]);
      fs_lexicon_free(lex);
      return NULL;
    }
  return lex;
}

fs_lexicon *cli_lexicon_built(const cli_opts *o, fs_lexicon *lex, char *msg) {
  if (!lex) {
    fputs(msg ? msg : "framescore: out of memory\n", stderr);
    free(msg);
    return NULL;
  }
  for (size_t i = 0; !o->quiet && i < fs_lexicon_warning_count(lex); i++)
    fprintf(stderr, "%s\n", fs_lexicon_warning(lex, i));
  return lex;
}

fs_lexicon *cli_lexicon_langs(const cli_opts *o, const char *const *langs,
                              size_t nlangs) {
  char *msg;
  fs_lexicon *lex = cli_lexicon_build(o, langs, nlangs, &msg);
  return cli_lexicon_built(o, lex, msg);
}

bool cli_use_color(const cli_opts *o, const cli_out *out) {
  if (o->color >= 0)
    return o->color;
  if (out->path || getenv("NO_COLOR"))
    return false;
  const char *term = getenv("TERM");
  return isatty(STDOUT_FILENO) && term && strcmp(term, "dumb");
}
