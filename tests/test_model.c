/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_model.c - the model format: parsing, every parse error with its
 * file:line:col, category globs, writing and reading back, the values of
 * linear and logistic dimensions on analysed text, and which models a long
 * document read in windows can be scored with. */
#include "harness.h"
#include "model.h"
#include "tagger.h"
#include "word_vectors.h"

#include <gsl/gsl_errno.h>
#include <stdlib.h>

static fs_model *parse(const char *text, fs_error *err) {
  memset(err, 0, sizeof *err);
  return fs_model_parse("t.model", text, strlen(text), err);
}

static const char *const good =
    "# a comment\n"
    "framescore-model 1\n"
    "\n"
    "dimension loaded_language\n"
    "  about   loaded words, in the outlet's voice\n"
    "  voice   author\n"
    "  norm    per_1k\n"
    "  weight  loaded.*  1\n"
    "  weight  scare_quote 0.5\n"
    "dimension doubt\n"
    "  voice all\n"
    "  norm share attribution.*\n"
    "  weight attribution.doubt 1\n"
    "dimension bias\n"
    "  kind logistic\n"
    "  unit sentence\n"
    "  transform log1p\n"
    "  intercept -1.5\n"
    "  threshold 0.4\n"
    "  weight loaded.dismissive 2\n"
    "  weight stem:sneer 1.25\n";

static void test_parse(void) {
  fs_error err;
  fs_model *m = parse(good, &err);
  OK(m != NULL, "%s", err.msg);
  INT_EQ(m->ndims, 3);
  const fs_dimension *d = &m->dims[0];
  STR_EQ(d->name, "loaded_language");
  STR_EQ(d->about, "loaded words, in the outlet's voice");
  INT_EQ(d->kind, FS_DIM_LINEAR);
  INT_EQ(d->voice, FS_VOICE_AUTHOR);
  INT_EQ(d->norm, FS_NORM_PER_1K);
  INT_EQ(d->nfeatures, 2);
  STR_EQ(d->features[0].name, "loaded.*");
  NEAR(d->features[1].weight, 0.5, 0);
  d = &m->dims[1];
  INT_EQ(d->voice, FS_VOICES);
  INT_EQ(d->norm, FS_NORM_SHARE);
  INT_EQ(d->nshare, 1);
  STR_EQ(d->share_of[0], "attribution.*");
  d = &m->dims[2];
  INT_EQ(d->kind, FS_DIM_LOGISTIC);
  INT_EQ(d->unit, FS_UNIT_SENTENCE);
  NEAR(d->intercept, -1.5, 0);
  NEAR(d->threshold, 0.4, 0);
  OK(d->features[1].stem, "stem feature");
  INT_EQ(m->nstem_features, 1);
  INT_EQ(fs_model_find(m, "doubt"), 1);
  INT_EQ(fs_model_find(m, "nope"), -1);
  fs_model_free(m);
  fs_model_free(NULL);
}

/* Each bad model fails with this message at this place. */
static void bad(const char *text, long line, long col, const char *msg) {
  fs_error err;
  fs_model *m = parse(text, &err);
  OK(m == NULL, "accepted: %s", text);
  fs_model_free(m);
  STR_EQ(err.file, "t.model");
  INT_EQ(err.line, line);
  INT_EQ(err.col, col);
  OK(strstr(err.msg, msg) != NULL, "'%s' lacks '%s'", err.msg, msg);
}

#define HEAD "framescore-model 1\n"

static void test_errors(void) {
  bad("", 0, 0, "empty model");
  bad("dimension x\n", 1, 1, "as the first line");
  bad("framescore-model 2\n", 1, 18, "unsupported model format version '2'");
  bad(HEAD, 0, 0, "no dimension");
  bad(HEAD "weight loaded.* 1\n", 2, 1, "'weight' outside a dimension");
  bad(HEAD "dimension Bad-Name\n", 2, 11, "dimension names are lowercase");
  bad(HEAD "dimension x\n weight a 1\ndimension x\n", 4, 11,
      "dimension 'x' is defined twice");
  bad(HEAD "dimension x\n", 2, 1, "dimension 'x' has no 'weight' lines");
  bad(HEAD "dimension x\n  colour red\n", 3, 3, "unknown keyword 'colour'");
  bad(HEAD "dimension x\n  voice authr\n", 3, 9,
      "unknown voice 'authr' (author, quote or all)");
  bad(HEAD "dimension x\n  norm per_10k\n", 3, 8, "unknown norm 'per_10k'");
  bad(HEAD "dimension x\n  norm share\n", 3, 13,
      "'norm share' needs the categories");
  bad(HEAD "dimension x\n  weight loaded.* 1e999\n", 3, 19,
      "'1e999' is not a finite number");
  bad(HEAD "dimension x\n  weight Loaded 1\n", 3, 10,
      "expected a category (loaded.emotive), a glob (loaded.*), stem:STEM, "
      "pair:STEM|STEM, prefix:AFFIX, suffix:AFFIX or ngram:NGRAM");
  bad(HEAD "dimension x\n  weight loaded..x 1\n", 3, 10, "expected a category");
  bad(HEAD "dimension x\n  weight loaded.*\n", 3, 18,
      "'weight' needs 2 values");
  /* columns in code points: just after "stem:café" (10 bytes, 9 code
   * points) and "stem:режим" (15 bytes, 10) */
  bad(HEAD "dimension x\n  weight stem:café\n", 3, 19,
      "'weight' needs 2 values");
  bad(HEAD "dimension x\n  weight stem:режим\n", 3, 20,
      "'weight' needs 2 values");
  bad(HEAD "dimension x\n  weight a 1 2\n", 3, 14,
      "unexpected '2' after 'weight'");
  bad(HEAD "dimension x\n  intercept 1\n  weight a 1\n", 3, 3,
      "'intercept' applies to logistic dimensions only");
  bad(HEAD "dimension x\n  kind logistic\n  norm per_1k\n  weight a 1\n", 4, 3,
      "'norm' applies to linear dimensions only");
  bad(HEAD "dimension x\n  kind logistic\n  threshold 1.5\n", 4, 13,
      "a threshold is a probability");
  bad(HEAD "dimension x\n  kind other\n", 3, 8, "unknown kind 'other'");
  bad(HEAD "dimension x\n  weight stem:\xff 1\n", 3, 10, "invalid UTF-8");
  bad(HEAD "dimension x\n  about\n", 3, 8, "'about' needs a text");
  /* CRLF line ends and a BOM are fine */
  fs_error err;
  fs_model *m =
      parse("\xEF\xBB\xBF" HEAD "dimension x\r\n weight a 1\r\n", &err);
  OK(m != NULL, "%s", err.msg);
  fs_model_free(m);
}

static void test_globs(void) {
  OK(fs_model_glob_covers("loaded.*", "loaded.emotive"), "family glob");
  OK(!fs_model_glob_covers("loaded.*", "loaded"), "not the family itself");
  OK(!fs_model_glob_covers("loaded.*", "loadedx.a"), "prefix of a name");
  OK(fs_model_glob_covers("loaded", "loaded.emotive"), "a name covers below");
  OK(fs_model_glob_covers("hedge", "hedge"), "exact");
  OK(!fs_model_glob_covers("hedge", "hedges"), "not a prefix");
  OK(fs_model_glob_covers("*", "anything.at.all"), "star");
}

/* A lexicon, a context and an analysed text for scoring. */
typedef struct fixture {
  fs_lexicon *lex;
  fs_ctx *ctx;
} fixture;

static fixture setup(void) {
  fs_error err = {0};
  fixture f;
  f.lex = fs_lexicon_new("english", &err);
  const char *tsv = "nonsense\tloaded.dismissive\t1.5\n"
                    "ludicrous\tloaded.dismissive\t2\n"
                    "tragic\tloaded.emotive\t1\n"
                    "=said\tattribution.neutral\t0\n"
                    "=claimed\tattribution.doubt\t1\n";
  fs_lexicon_load_buffer(f.lex, "t.tsv", tsv, strlen(tsv), &err);
  f.ctx = fs_ctx_new(f.lex, &err);
  return f;
}

static void test_scores(void) {
  fixture f = setup();
  fs_error err;
  const char *text =
      "Officials said the plan was ludicrous. The minister claimed it was "
      "tragic nonsense, critics said.\n\"This is nonsense,\" a rival "
      "said. Critics sneered at the plan.";
  fs_doc *d = fs_doc_analyze(f.ctx, text, strlen(text), &err);
  const fs_doc_stats *st = fs_doc_stats_get(d);
  fs_model *m = parse(good, &err);
  INT_EQ(fs_model_bind(m, f.lex, &err), FS_OK);
  OK(m->dims[0].active && m->dims[1].active && m->dims[2].active, "active");
  fs_dim_value v[3];
  INT_EQ(fs_model_score_doc(m, f.ctx, d, v), FS_OK);
  /* loaded_language: author voice: ludicrous, tragic, nonsense = 3 matches
   * (the quoted "nonsense" is not the author's), per 1,000 author words */
  NEAR(v[0].num, 3, 0);
  NEAR(v[0].den, (double)st->words[FS_VOICE_AUTHOR], 0);
  NEAR(v[0].value, 3000.0 / (double)st->words[FS_VOICE_AUTHOR], 1e-12);
  /* doubt: 1 claimed among 4 attributions (3 said + claimed), all voices */
  NEAR(v[1].num, 1, 0);
  NEAR(v[1].den, 4, 0);
  NEAR(v[1].value, 25.0, 1e-12);
  /* bias, per sentence, author voice: log1p of loaded.dismissive matches
   * and the stem "sneer" */
  double z1 = -1.5 + 2 * log1p(1); /* ludicrous */
  double z2 = -1.5 + 2 * log1p(1); /* nonsense (tragic is emotive) */
  double z3 = -1.5;                /* the quoted nonsense is not the author's */
  double z4 = -1.5 + 1.25;         /* sneered */
  double p[4] = {1 / (1 + exp(-z1)), 1 / (1 + exp(-z2)), 1 / (1 + exp(-z3)),
                 1 / (1 + exp(-z4))};
  NEAR(v[2].den, 4, 0);
  NEAR(v[2].prob_sum, p[0] + p[1] + p[2] + p[3], 1e-12);
  NEAR(v[2].num, (p[0] >= 0.4) + (p[1] >= 0.4) + (p[2] >= 0.4) + (p[3] >= 0.4),
       0);
  NEAR(v[2].value, 100.0 * v[2].num / 4, 1e-12);
  /* the whole text as one unit: 2 author-voice dismissive matches and the
   * stem */
  NEAR(fs_model_item_score(m, 2, f.ctx, d),
       1 / (1 + exp(-(-1.5 + 2 * log1p(2) + 1.25))), 1e-12);
  /* a dimension whose categories the lexicon lacks is inactive */
  fs_model *m2 = parse(HEAD "dimension x\n weight hedge 1\n", &err);
  fs_model_bind(m2, f.lex, &err);
  OK(!m2->dims[0].active, "inactive");
  fs_model_score_doc(m2, f.ctx, d, v);
  OK(isnan(v[0].value), "inactive dimensions have no value");
  fs_model_free(m2);
  /* counts: a per_1k dimension of weight 1 counts events */
  OK(fs_model_counts(&m->dims[1]), "share of matches counts");
  OK(!fs_model_counts(&m->dims[0]), "weight 0.5 does not count");
  NEAR(fs_model_scale(&m->dims[0]), 1000, 0);
  NEAR(fs_model_scale(&m->dims[1]), 100, 0);
  fs_model_free(m);
  fs_doc_free(d);
  fs_ctx_free(f.ctx);
  fs_lexicon_free(f.lex);
}

/* pair: features (two consecutive words of a sentence) and context:
 * aggregates under the dimension's embedded context model, with values
 * worked out by hand. */
static void test_pairs_context(void) {
  fixture f = setup();
  fs_error err;
  /* the context model has only an intercept of 0: every match has
   * probability 1/2 */
  const char *mtext = HEAD "dimension s\n"
                           "  kind logistic\n"
                           "  voice all\n"
                           "  intercept -1\n"
                           "  threshold 0.5\n"
                           "  context intercept 0\n"
                           "  context threshold 0.3\n"
                           "  weight context:sum 1\n"
                           "  weight context:max 2\n"
                           "  weight pair:the|plan 0.5\n"
                           "  weight pair:plan|the 7\n";
  fs_model *m = parse(mtext, &err);
  OK(m != NULL, "%s", err.msg);
  INT_EQ(fs_model_bind(m, f.lex, &err), FS_OK);
  const char *text = "The plan was ludicrous, tragic nonsense. The plan "
                     "ended. Plan, the end.";
  fs_doc *d = fs_doc_analyze(f.ctx, text, strlen(text), &err);
  fs_dim_value v;
  INT_EQ(fs_model_score_doc(m, f.ctx, d, &v), FS_OK);
  /* 1: three scoring matches (sum 1.5, max 0.5) and the pair the|plan;
   * 2: the|plan, no match; 3: plan|the (weight 7: the order counts), across
   * a comma */
  double z1 = -1 + log1p(1.5) + 2 * 0.5 + 0.5, z2 = -1 + 0.5, z3 = -1 + 7;
  double p1 = 1 / (1 + exp(-z1)), p2 = 1 / (1 + exp(-z2)),
         p3 = 1 / (1 + exp(-z3));
  NEAR(v.den, 3, 0);
  NEAR(v.prob_sum, p1 + p2 + p3, 1e-9);
  NEAR(v.num, 2, 0); /* p2 < 0.5 */
  /* the same text as one unit: sum 1.5, max 0.5, both pairs */
  NEAR(fs_model_item_score(m, 0, f.ctx, d),
       1 / (1 + exp(-(-1 + log1p(1.5) + 1 + 0.5 + 7))), 1e-9);
  /* written and read back: the context lines go with the dimension */
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  INT_EQ(fs_model_write(out, m, NULL), FS_OK);
  fclose(out);
  fs_model *m2 = fs_model_parse("w.model", buf, len, &err);
  OK(m2 != NULL, "%s", err.msg);
  OK(m2 && fs_model_bind(m2, f.lex, &err) == FS_OK, "%s", err.msg);
  if (m2)
    NEAR(fs_model_item_score(m2, 0, f.ctx, d),
         fs_model_item_score(m, 0, f.ctx, d), 1e-12);
  fs_model_free(m2);
  free(buf);
  /* errors */
  const char *bad[] = {
      HEAD "dimension s\n weight pair:plan 1\n",
      HEAD "dimension s\n weight pair:a|b|c 1\n",
      HEAD "dimension s\n weight pair:|b 1\n",
      HEAD "dimension s\n weight context:median 1\n",
      HEAD "dimension s\n context\n",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    fs_model *b = parse(bad[i], &err);
    OK(!b, "refused: %s", bad[i]);
    OK(!strcmp(err.file, "t.model") && err.line == 3 && err.col == 9,
       "%s: %s:%ld:%ld: %s", bad[i], err.file, err.line, err.col, err.msg);
    fs_model_free(b);
  }
  /* context: features without context lines load but do not bind */
  fs_model *nc = parse(HEAD "dimension s\n kind logistic\n weight "
                            "context:max 1\n",
                       &err);
  OK(nc != NULL, "%s", err.msg);
  OK(nc && fs_model_bind(nc, f.lex, &err) == FS_ERR_INPUT, "needs lines");
  OK(strstr(err.msg, "context lines") != NULL, "%s", err.msg);
  fs_model_free(nc);
  fs_model_free(m);
  fs_doc_free(d);
  fs_ctx_free(f.ctx);
  fs_lexicon_free(f.lex);
}

/* An error in a context or tagger line is told at its place in the model
 * file (line, and column in code points: the é before it is one), not at
 * the line and column of the embedded file the lines make. */
static void test_embedded_errors(void) {
  fixture f = setup();
  fs_error err;
  static const struct {
    const char *text;
    long line, col;
    const char *msg;
  } cases[] = {
      {HEAD "dimension s\n"
            "  kind logistic\n"
            "  context intercept 0\n"
            "\n"
            "  context   category \xc3\xa9 x\n"
            "  weight context:max 1\n",
       6, 24, "dimension s, context line: expected a number"},
      {HEAD "dimension s\n"
            "  kind logistic\n"
            "  context intercept 0\n"
            "  context feature bogus 1\n"
            "  weight context:max 1\n",
       5, 19, "unknown feature 'bogus'"},
      {HEAD "dimension s\n"
            "  kind logistic\n"
            "  weight tagger:half 1\n"
            "  tagger threshold 0.5\n"
            "  tagger \x01w=\xc3\xa9 x\n",
       6, 15, "dimension s, tagger line: expected a number"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    fs_model *m = parse(cases[i].text, &err);
    OK(m != NULL, "%s", err.msg);
    OK(m && fs_model_bind(m, f.lex, &err) == FS_ERR_INPUT, "%s", cases[i].text);
    STR_EQ(err.file, "t.model");
    INT_EQ(err.line, cases[i].line);
    INT_EQ(err.col, cases[i].col);
    OK(strstr(err.msg, cases[i].msg) != NULL, "'%s' lacks '%s'", err.msg,
       cases[i].msg);
    fs_model_free(m);
  }
  fs_ctx_free(f.ctx);
  fs_lexicon_free(f.lex);
}

/* context_matches: the context: aggregates count the framing matches
 * ("framing", what train writes) or every scoring match ("all", and files
 * without the line): "said" (attribution.neutral, weight 0) is a scoring
 * match that weighs nothing in the loaded-language score. */
static void test_context_matches(void) {
  fixture f = setup();
  fs_error err;
  const char *text = "Critics said the plan was ludicrous.";
  fs_doc *d = fs_doc_analyze(f.ctx, text, strlen(text), &err);
  const char *kinds[3] = {"", "  context_matches all\n",
                          "  context_matches framing\n"};
  /* every probability is 1/2: said + ludicrous sum 1, ludicrous alone 0.5 */
  const double sums[3] = {1.0, 1.0, 0.5};
  for (int k = 0; k < 3; k++) {
    char mtext[512];
    snprintf(mtext, sizeof mtext,
             HEAD "dimension s\n"
                  "  kind logistic\n"
                  "  intercept -1\n"
                  "  threshold 0.5\n"
                  "%s"
                  "  context intercept 0\n"
                  "  context threshold 0.3\n"
                  "  weight context:sum 1\n",
             kinds[k]);
    fs_model *m = parse(mtext, &err);
    OK(m != NULL, "%s", err.msg);
    INT_EQ(fs_model_bind(m, f.lex, &err), FS_OK);
    double want = 1 / (1 + exp(-(-1 + log1p(sums[k]))));
    NEAR(fs_model_item_score(m, 0, f.ctx, d), want, 1e-12);
    /* written and read back: the line goes only with "framing" */
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    INT_EQ(fs_model_write(out, m, NULL), FS_OK);
    fclose(out);
    OK((strstr(buf, "context_matches framing") != NULL) == (k == 2), "%s",
       buf);
    fs_model *m2 = fs_model_parse("w.model", buf, len, &err);
    OK(m2 && fs_model_bind(m2, f.lex, &err) == FS_OK, "%s", err.msg);
    if (m2)
      NEAR(fs_model_item_score(m2, 0, f.ctx, d), want, 1e-12);
    fs_model_free(m2);
    free(buf);
    fs_model_free(m);
  }
  fs_model *b = parse(HEAD "dimension s\n context_matches some\n", &err);
  OK(!b, "refused");
  OK(err.line == 3 && err.col == 18 && strstr(err.msg, "framing"),
     "%ld:%ld: %s", err.line, err.col, err.msg);
  fs_model_free(b);
  fs_doc_free(d);
  fs_ctx_free(f.ctx);
  fs_lexicon_free(f.lex);
}

static void test_roundtrip(void) {
  fs_error err;
  fs_model *m = parse(good, &err);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  INT_EQ(fs_model_write(f, m, "comment"), FS_OK);
  fclose(f);
  OK(!strncmp(buf, "# comment\nframescore-model 1\n", 29), "%s", buf);
  fs_model *m2 = fs_model_parse("w.model", buf, len, &err);
  OK(m2 != NULL, "%s", err.msg);
  INT_EQ(m2->ndims, m->ndims);
  for (size_t i = 0; i < m->ndims && m2; i++) {
    STR_EQ(m2->dims[i].name, m->dims[i].name);
    STR_EQ(m2->dims[i].about, m->dims[i].about);
    INT_EQ(m2->dims[i].kind, m->dims[i].kind);
    INT_EQ(m2->dims[i].voice, m->dims[i].voice);
    INT_EQ(m2->dims[i].norm, m->dims[i].norm);
    INT_EQ(m2->dims[i].nshare, m->dims[i].nshare);
    NEAR(m2->dims[i].intercept, m->dims[i].intercept, 0);
    INT_EQ(m2->dims[i].nfeatures, m->dims[i].nfeatures);
    for (size_t j = 0; j < m->dims[i].nfeatures; j++) {
      STR_EQ(m2->dims[i].features[j].name, m->dims[i].features[j].name);
      NEAR(m2->dims[i].features[j].weight, m->dims[i].features[j].weight, 0);
    }
  }
  free(buf);
  fs_model_free(m);
  fs_model_free(m2);
}

/* fs_model_reads_totals: a long document read in windows is scored from
 * the windows' totals (counts per category and voice, words: no tokens or
 * matches), so only a model whose every active dimension reads nothing else
 * may be; features of a text's tokens or matches (stems, pairs, affixes,
 * context:, shape:, tagger:) and sentence units need the document whole. */
static void test_reads_totals(void) {
  fixture f = setup();
  fs_error err;
  static const struct {
    const char *lines;
    bool totals;
  } cases[] = {
      {" weight loaded.* 1\n", true},
      {" kind logistic\n unit document\n weight loaded.* 1\n", true},
      {" kind logistic\n unit sentence\n weight loaded.* 1\n", false},
      {" norm per_sentence\n weight loaded.* 1\n", false},
      {" kind logistic\n unit document\n weight shape:words 1\n", false},
      {" kind logistic\n unit document\n weight loaded.* 1\n"
       " weight shape:exclamation 1\n",
       false},
      {" kind logistic\n unit document\n context intercept 0\n"
       " context threshold 0.3\n weight context:max 1\n",
       false},
      {" kind logistic\n unit document\n weight stem:sneer 1\n", false},
      {" kind logistic\n unit document\n weight pair:the|plan 1\n", false},
      {" kind logistic\n unit document\n weight prefix:lu 1\n", false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char text[400];
    snprintf(text, sizeof text, HEAD "dimension s\n%s", cases[i].lines);
    fs_model *m = parse(text, &err);
    OK(m != NULL, "%s", err.msg);
    if (!m)
      continue;
    INT_EQ(fs_model_bind(m, f.lex, &err), FS_OK);
    OK(fs_model_reads_totals(m) == cases[i].totals, "reads totals %d: %s",
       !cases[i].totals, cases[i].lines);
    fs_model_free(m);
  }
  fs_ctx_free(f.ctx);
  fs_lexicon_free(f.lex);
}

/* A span tagger trained with word vectors, embedded in a dimension (its
 * word_vectors line without a path): the model says which vectors it
 * needs, scores nothing before it has them, refuses others, and then tags
 * each text byte for byte as the same tagger read from its own file; the
 * line survives writing the model and reading it back. */
static const char vec_text[] = "vile 3 4\nmob -1 0\nplan 0.5 1\n";

static char *vec_tagger_lines(uint64_t digest, const char *pre,
                              const char *tab) {
  char *t = malloc(512);
  if (t)
    snprintf(t, 512,
             "%scombine%stags\n%sthreshold%s0.5\n%sintercept%s-4\n"
             "%sword_vectors%s%016llx%s2\n%svector_scale%s2\n%sv=0%s5\n",
             pre, tab, pre, tab, pre, tab, pre, tab,
             (unsigned long long)digest, tab, pre, tab, pre, tab);
  return t;
}

static void test_tagger_vectors(void) {
  fixture f = setup();
  fs_error err = {0};
  fs_word_vectors wv, other;
  fs_word_vectors_init(&wv);
  fs_word_vectors_init(&other);
  INT_EQ(fs_word_vectors_parse(&wv, "v.txt", vec_text, strlen(vec_text), 0,
                               &err),
         FS_OK);
  INT_EQ(fs_word_vectors_parse(&other, "o.txt", "vile 3 5\n", 9, 0, &err),
         FS_OK);
  char *own = vec_tagger_lines(wv.digest, "", "\t");
  char *emb = vec_tagger_lines(wv.digest, "  tagger ", " ");
  char *mt = malloc(1024);
  snprintf(mt, 1024,
           HEAD "dimension s\n  kind logistic\n  unit document\n"
                "  weight tagger:count 1\n%s",
           emb);
  char ft[600];
  snprintf(ft, sizeof ft, "framescore-tagger 1\n%s", own);
  fs_tagger *tg = fs_tagger_parse("t.tagger", ft, strlen(ft), &err);
  OK(tg != NULL, "%s", err.msg);
  fs_model *m = parse(mt, &err);
  OK(m != NULL, "%s", err.msg);
  if (!m || !tg || fs_model_bind(m, f.lex, &err) != FS_OK) {
    OK(0, "bound: %s", err.msg);
    goto done;
  }
  uint64_t digest = 0;
  unsigned dim = 0;
  OK(fs_model_tagger_vectors(m, &digest, &dim) == &m->dims[0], "needs");
  OK(digest == wv.digest && dim == 2, "digest and dim");
  const char *text = "The vile mob left. A plan, a vile plan and a mob.";
  fs_doc *d = fs_doc_analyze(f.ctx, text, strlen(text), &err);
  fs_sparse x = {0};
  /* nothing scored before the vectors are given */
  INT_EQ(fs_model_features(m, 0, f.ctx, d, 0, d->ntokens, &x), FS_ERR_USAGE);
  INT_EQ(fs_model_bind_tagger_vectors(m, &other, false, "o.txt", &err),
         FS_ERR_INPUT);
  OK(strstr(err.msg, "not the word vectors the span tagger of t.model "
                     "(dimension s) was trained with") != NULL,
     "%s", err.msg);
  OK(m->tagger_vectors == NULL, "refused vectors kept out");
  INT_EQ(fs_model_bind_tagger_vectors(m, &wv, false, "v.txt", &err), FS_OK);
  INT_EQ(fs_tagger_use_vectors(tg, &wv, &err), FS_OK);
  /* the same tags as the tagger of its own file */
  INT_EQ(fs_tagger_apply(tg, f.ctx, d), FS_OK);
  uint8_t *direct = malloc(d->ntokens);
  memcpy(direct, d->tok_tag, d->ntokens);
  size_t ntag = 0;
  for (size_t k = 0; k < d->ntokens; k++)
    ntag += direct[k] != 0;
  OK(ntag == 4, "vile, plan, vile plan: %zu tagged", ntag);
  INT_EQ(fs_tagger_apply(m->dims[0].tg[1], f.ctx, d), FS_OK);
  OK(!memcmp(direct, d->tok_tag, d->ntokens), "embedded tags = direct tags");
  INT_EQ(fs_model_features(m, 0, f.ctx, d, 0, d->ntokens, &x), FS_OK);
  OK(x.n == 1 && x.val[0] == log1p((double)ntag), "tagger:count %g",
     x.n ? x.val[0] : -1);
  /* a second binding (another lexicon, say) keeps the vectors */
  INT_EQ(fs_model_bind(m, f.lex, &err), FS_OK);
  fs_sparse_free(&x);
  memset(&x, 0, sizeof x);
  INT_EQ(fs_model_features(m, 0, f.ctx, d, 0, d->ntokens, &x), FS_OK);
  OK(x.n == 1 && x.val[0] == log1p((double)ntag), "rebound");
  /* written and read back: the word_vectors line, the same tags */
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  INT_EQ(fs_model_write(out, m, NULL), FS_OK);
  fclose(out);
  char line[80];
  snprintf(line, sizeof line, "  tagger    word_vectors %016llx 2\n",
           (unsigned long long)wv.digest);
  OK(strstr(buf, line) != NULL, "written: %s", buf);
  fs_model *back = fs_model_parse("w.model", buf, len, &err);
  OK(back && fs_model_bind(back, f.lex, &err) == FS_OK &&
         fs_model_bind_tagger_vectors(back, &wv, false, "v.txt", &err) ==
             FS_OK &&
         fs_tagger_apply(back->dims[0].tg[1], f.ctx, d) == FS_OK &&
         !memcmp(direct, d->tok_tag, d->ntokens),
     "read back: %s", err.msg);
  fs_model_free(back);
  free(buf);
  free(direct);
  fs_sparse_free(&x);
  fs_doc_free(d);
  /* a malformed word_vectors line, at its place in the model file */
  fs_model *bad = parse(HEAD "dimension s\n  kind logistic\n"
                             "  weight tagger:count 1\n"
                             "  tagger threshold 0.5\n"
                             "  tagger word_vectors 0123 2\n",
                        &err);
  OK(bad && fs_model_bind(bad, f.lex, &err) == FS_ERR_INPUT, "bad line");
  INT_EQ(err.line, 6);
  INT_EQ(err.col, 23);
  OK(strstr(err.msg, "dimension s, tagger line: expected DIGEST") != NULL,
     "%s", err.msg);
  fs_model_free(bad);
  /* a model without such a tagger needs none */
  bad = parse(good, &err);
  OK(bad && fs_model_bind(bad, f.lex, &err) == FS_OK &&
         !fs_model_tagger_vectors(bad, &digest, &dim),
     "no tagger vectors");
  fs_model_free(bad);
done:
  fs_model_free(m);
  fs_tagger_free(tg);
  free(own);
  free(emb);
  free(mt);
  fs_word_vectors_free(&wv);
  fs_word_vectors_free(&other);
  fs_ctx_free(f.ctx);
  fs_lexicon_free(f.lex);
}

int main(void) {
  gsl_set_error_handler_off();
  test_parse();
  test_errors();
  test_globs();
  test_scores();
  test_roundtrip();
  test_pairs_context();
  test_embedded_errors();
  test_context_matches();
  test_reads_totals();
  test_tagger_vectors();
  DONE();
}
