/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_tagger.c - a tagger file whose feature names share a key is refused
 * with the lines of both names: keys narrowed to 10 bits make names clash
 * (at 64 bits they are about one chance in 5 million per million names);
 * thresholds are chosen on a smoothed F1 table, not at a lone peak; an
 * anchored tagger's span rules (extend, merge, trim) move the ends of its
 * runs of tags as documented, and its file keeps them; a tagger with word
 * vectors keeps their digest through its file, tags only once given the
 * same vectors, and refuses others; tagging with the weights a context
 * keeps per tagger (pre-summed in another order) gives every tag the
 * feature keys give and every logit to within 1e-12 (1 + |z|), for
 * taggers with and without word classes, affix and near2 features, word
 * vectors and a stacked stage, applied in turn to one context; the
 * context features' neighbour bits are those of every match looked at. */
#include "harness.h"
#include "internal.h"
#include "tagger.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A tagger file of n features w=f0 .. w=f<n-1>, line 3 + i naming f<i>;
 * with skip < n, f<skip> is left out (its line stays, a comment). */
static char *tagger_text(int n, int skip) {
  size_t cap = 64 + (size_t)n * 32, at = 0;
  char *s = malloc(cap);
  at += (size_t)snprintf(s + at, cap - at,
                         "framescore-tagger 1\nintercept\t-1\n");
  for (int i = 0; i < n; i++)
    at += (size_t)snprintf(s + at, cap - at, i == skip ? "# f%d\n"
                                                       : "w=f%d\t0.5\n", i);
  return s;
}

static void test_clash(void) {
  fs_error err = {0};
  char *t = tagger_text(200, -1);
  /* all 64 bits: no two of 200 names share a key */
  fs_tagger *tg = fs_tagger_parse_keys("t.tagger", t, strlen(t), 64, &err);
  OK(tg != NULL, "%s", err.msg);
  fs_tagger_free(tg);
  /* 10 bits: 200 names in 1024 keys clash (birthday) */
  memset(&err, 0, sizeof err);
  tg = fs_tagger_parse_keys("t.tagger", t, strlen(t), 10, &err);
  OK(tg == NULL, "200 names in 10-bit keys were accepted");
  fs_tagger_free(tg);
  free(t);
  STR_EQ(err.file, "t.tagger");
  int a = -1, b = -1;
  long la = 0;
  OK(sscanf(err.msg, "feature 'w=f%d' has the hash of 'w=f%d' (line %ld)", &b,
            &a, &la) == 3,
     "message: %s", err.msg);
  if (a < 0 || b < 0)
    return;
  /* the lines named are those of the two names, the later one first */
  INT_EQ(err.line, 3 + b);
  INT_EQ(la, 3 + a);
  OK(a < b, "%d before %d", a, b);
  INT_EQ(err.col, 1);
  /* the first clash is between them: without the later name, the file up
   * to it reads (so the refusal is no artefact of a full table) */
  t = tagger_text(b + 1, b);
  tg = fs_tagger_parse_keys("t.tagger", t, strlen(t), 10, &err);
  OK(tg != NULL, "names before the clash: %s", err.msg);
  fs_tagger_free(tg);
  free(t);
  /* and the two alone clash */
  char two[128];
  snprintf(two, sizeof two, "framescore-tagger 1\nw=f%d\t1\nw=f%d\t2\n", a, b);
  tg = fs_tagger_parse_keys("two", two, strlen(two), 10, &err);
  OK(tg == NULL, "w=f%d and w=f%d did not clash alone", a, b);
  fs_tagger_free(tg);
  INT_EQ(err.line, 3);
}

/* An F1 table (2 anchor x 8 word thresholds) with a lone peak at (0, 1)
 * and a broad ridge around (1, 5): the plain arg max takes the peak, a
 * window of one cell each side the ridge, whose neighbours are near it. */
static void test_smoothed_best(void) {
  static const double f1[2][8] = {
      {0.30, 0.46, 0.30, 0.38, 0.41, 0.42, 0.41, 0.38},
      {0.30, 0.31, 0.32, 0.40, 0.43, 0.44, 0.43, 0.40}};
  size_t bi, bj;
  fs_tagger_smoothed_best(&f1[0][0], 2, 8, 8, 0, 0, &bi, &bj);
  INT_EQ(bi, 0);
  INT_EQ(bj, 1);
  /* word thresholds smoothed: the peak's row (0.353 around it) loses to
   * the ridge of row 1 (0.433 around j = 5) */
  fs_tagger_smoothed_best(&f1[0][0], 2, 8, 8, 0, 1, &bi, &bj);
  INT_EQ(bi, 1);
  INT_EQ(bj, 5);
  /* both smoothed: rows are averaged too, the ridge still wins */
  fs_tagger_smoothed_best(&f1[0][0], 2, 8, 8, 1, 1, &bi, &bj);
  INT_EQ(bj, 5);
  /* a ridge at the table's edge is averaged over the cells inside it
   * only (no zeros from outside pull it down) */
  static const double edge[1][4] = {{0.50, 0.50, 0.20, 0.10}};
  fs_tagger_smoothed_best(&edge[0][0], 1, 4, 4, 3, 1, &bi, &bj);
  INT_EQ(bi, 0);
  INT_EQ(bj, 0);
  /* the stride skips unused cells of a wider table */
  static const double wide[2][3] = {{0.1, 0.2, 9}, {0.3, 0.1, 9}};
  fs_tagger_smoothed_best(&wide[0][0], 2, 2, 3, 0, 0, &bi, &bj);
  INT_EQ(bi, 1);
  INT_EQ(bj, 0);
}

/* The tags of "The vile and cruel mob swept across town." under an anchored
 * tagger (no anchor categories: its own tags alone) whose only features
 * are the words: "The", "vile", "cruel" at 0.88, "mob" and "swept" at
 * 0.20 (under half the threshold, so the neighbour rule leaves them),
 * everything else near 0; `rules` is appended to the file. The tags of
 * the eight words as a string of 0 and 1 go to out. */
static void rule_tags(const char *rules, char out[9]) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  fs_ctx *ctx = lex ? fs_ctx_new(lex, &err) : NULL;
  char text[512];
  snprintf(text, sizeof text,
           "framescore-tagger 1\ncombine\tanchor\nthreshold\t0.5\n"
           "intercept\t-10\nanchor_threshold\t0\nw=the\t12\nw=vile\t12\n"
           "w=cruel\t12\nw=mob\t8.6\nw=swept\t8.6\n%s",
           rules);
  fs_tagger *tg = fs_tagger_parse("t.tagger", text, strlen(text), &err);
  OK(tg != NULL, "%s", err.msg);
  const char *s = "The vile and cruel mob swept across town.";
  fs_doc *d = ctx ? fs_doc_analyze(ctx, s, strlen(s), &err) : NULL;
  memset(out, '?', 8);
  out[8] = '\0';
  if (tg && d && fs_tagger_apply(tg, ctx, d) == FS_OK && d->ntokens >= 8)
    for (size_t k = 0; k < 8; k++)
      out[k] = d->tok_tag[k] ? '1' : '0';
  /* the file written keeps the rules: it tags the same when read back */
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (tg && f && fs_tagger_write(f, tg, NULL) == FS_OK && !fclose(f)) {
    fs_tagger *back = fs_tagger_parse("back", buf, len, &err);
    OK(back != NULL, "written file: %s", err.msg);
    if (back && d && fs_tagger_apply(back, ctx, d) == FS_OK)
      for (size_t k = 0; k < 8; k++)
        OK(out[k] == (d->tok_tag[k] ? '1' : '0'), "%s: token %zu read back",
           rules, k);
    fs_tagger_free(back);
  }
  free(buf);
  fs_doc_free(d);
  fs_tagger_free(tg);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

static void test_span_rules(void) {
  char t[9];
  /* The vile and cruel mob swept across town */
  rule_tags("", t); /* a file of before the rules */
  STR_EQ(t, "11010000");
  /* merge: "and" between two tagged words joins them */
  rule_tags("span_merge\t1\n", t);
  STR_EQ(t, "11110000");
  /* trim: the run "The vile" loses its leading function word */
  rule_tags("span_trim\t1\n", t);
  STR_EQ(t, "01010000");
  rule_tags("span_merge\t1\nspan_trim\t1\n", t);
  STR_EQ(t, "01110000");
  /* extend at 0.15: "mob" (0.20) joins "cruel", but "swept" beyond it
   * does not (one word each side); "and" is a function word */
  rule_tags("span_extend\t0.15\n", t);
  STR_EQ(t, "11011000");
  /* at 0.25, "mob" stays out */
  rule_tags("span_extend\t0.25\n", t);
  STR_EQ(t, "11010000");
  rule_tags("span_extend\t0.15\nspan_merge\t1\nspan_trim\t1\n", t);
  STR_EQ(t, "01111000");
  /* bad values are refused where they stand */
  fs_error err = {0};
  const char *bad = "framescore-tagger 1\nspan_merge\t2\n";
  fs_tagger *tg = fs_tagger_parse("b.tagger", bad, strlen(bad), &err);
  OK(tg == NULL, "span_merge 2 was accepted");
  INT_EQ(err.line, 2);
  INT_EQ(err.col, 12);
  bad = "framescore-tagger 1\nspan_extend\t1\n";
  tg = fs_tagger_parse("b.tagger", bad, strlen(bad), &err);
  OK(tg == NULL, "span_extend 1 was accepted");
  INT_EQ(err.line, 2);
  /* a rule in a tagger that is not anchored would do nothing: refused at
   * its line, whichever comes first */
  bad = "framescore-tagger 1\ncombine\ttags\nthreshold\t0.5\n"
        "span_merge\t1\nspan_extend\t0.2\n";
  tg = fs_tagger_parse("b.tagger", bad, strlen(bad), &err);
  OK(tg == NULL, "span rules in a tags-alone tagger were accepted");
  INT_EQ(err.line, 4);
  OK(strstr(err.msg, "combine") != NULL, "%s", err.msg);
  bad = "framescore-tagger 1\nspan_trim\t1\ncombine\tunion\n";
  tg = fs_tagger_parse("b.tagger", bad, strlen(bad), &err);
  OK(tg == NULL, "span rules in a union tagger were accepted");
  INT_EQ(err.line, 2);
  bad = "framescore-tagger 1\nspan_trim\t1\ncombine\tanchor\n";
  tg = fs_tagger_parse("b.tagger", bad, strlen(bad), &err);
  OK(tg != NULL, "span rules before 'combine anchor': %s", err.msg);
  fs_tagger_free(tg);
  /* the option's syntax */
  fs_tagger_rules r;
  OK(fs_tagger_rules_parse("extend=0.3,merge", &r), "extend=0.3,merge");
  OK(r.extend == 0.3 && r.merge && !r.trim, "extend=0.3,merge: %g %d %d",
     r.extend, r.merge, r.trim);
  OK(fs_tagger_rules_parse("none", &r) && !r.merge && r.extend == 0, "none");
  OK(!fs_tagger_rules_parse("merge,", &r), "a trailing comma");
  OK(!fs_tagger_rules_parse("extend=1", &r), "extend=1");
  OK(!fs_tagger_rules_parse("extend=0.2x", &r), "extend=0.2x");
  OK(!fs_tagger_rules_parse("glue", &r), "glue");
}

/* Columns count code points, as every file:line:col does: text before the
 * bad field that is not ASCII moves it by characters, not bytes. */
static void col_is(const char *body, long col, const char *msg) {
  char text[256];
  snprintf(text, sizeof text, "framescore-tagger 1\n%s\n", body);
  fs_error err = {0};
  fs_tagger *tg = fs_tagger_parse("c.tagger", text, strlen(text), &err);
  OK(tg == NULL, "accepted: %s", body);
  fs_tagger_free(tg);
  INT_EQ(err.line, 2);
  INT_EQ(err.col, col);
  OK(strstr(err.msg, msg) != NULL, "'%s' lacks '%s'", err.msg, msg);
}

static void test_error_columns(void) {
  /* the class name: after "word_class", the stem and a separator */
  col_is("word_class\tbank\tb c", 18, "expected a class name");
  col_is("word_class\tcafé\tb c", 18, "expected a class name");
  col_is("word_class\tрежим\tb c", 19, "expected a class name");
  col_is("word_class\tcafé\t", 17, "expected a class name");
  col_is("word_class café —", 17, "expected a class name");
  /* a feature's weight */
  col_is("w=cafe\tx", 8, "expected a number");
  col_is("w=café\tx", 8, "expected a number");
  col_is("w=—\tx", 5, "expected a number");
}

/* "The vile mob left." under a tagger whose only weight is v=0: "vile"
 * (its vector's first component positive) is tagged, "mob" (negative) and
 * "the" and "left" (no vector) are not. */
static void test_vectors(void) {
  static const char vec[] = "vile 3 4\nmob -1 0\n";
  fs_error err = {0};
  fs_word_vectors wv, other;
  fs_word_vectors_init(&wv);
  fs_word_vectors_init(&other);
  INT_EQ(fs_word_vectors_parse(&wv, "v.txt", vec, strlen(vec), 0, &err),
         FS_OK);
  INT_EQ(fs_word_vectors_parse(&other, "o.txt", "vile 3 5\n", 9, 0, &err),
         FS_OK);
  char text[512];
  snprintf(text, sizeof text,
           "framescore-tagger 1\ncombine\ttags\nthreshold\t0.5\n"
           "intercept\t-4\nword_vectors\t%016llx\t2\tv.txt\n"
           "vector_scale\t2\nv=0\t5\n",
           (unsigned long long)wv.digest);
  fs_tagger *tg = fs_tagger_parse("t.tagger", text, strlen(text), &err);
  OK(tg != NULL, "%s", err.msg);
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  fs_ctx *ctx = lex ? fs_ctx_new(lex, &err) : NULL;
  const char *s = "The vile mob left.";
  fs_doc *d = ctx ? fs_doc_analyze(ctx, s, strlen(s), &err) : NULL;
  OK(d && d->ntokens >= 4, "analysed");
  if (tg && d && d->ntokens >= 4) {
    STR_EQ(fs_tagger_vectors_path(tg), "v.txt");
    /* without its vectors it refuses to tag (v= would not fire) */
    INT_EQ(fs_tagger_apply(tg, ctx, d), FS_ERR_USAGE);
    INT_EQ(fs_tagger_use_vectors(tg, &other, &err), FS_ERR_INPUT);
    OK(strstr(err.msg, "other word vectors") != NULL, "%s", err.msg);
    INT_EQ(fs_tagger_use_vectors(tg, &wv, &err), FS_OK);
    INT_EQ(fs_tagger_apply(tg, ctx, d), FS_OK);
    /* vile: 2 * 3/5 * 5 - 4 = 2 > 0; mob: 2 * -1 * 5 - 4 < 0 */
    char got[5] = "????";
    for (size_t k = 0; k < 4; k++)
      got[k] = d->tok_tag[k] ? '1' : '0';
    STR_EQ(got, "0100");
    /* written and read back: the same lines, the same tags */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f && fs_tagger_write(f, tg, NULL) == FS_OK && !fclose(f)) {
      OK(strstr(buf, "word_vectors\t") && strstr(buf, "\t2\tv.txt\n") &&
             strstr(buf, "vector_scale\t2\n"),
         "written: %s", buf);
      fs_tagger *back = fs_tagger_parse("back", buf, len, &err);
      OK(back != NULL, "written file: %s", err.msg);
      if (back) {
        INT_EQ(fs_tagger_use_vectors(back, &wv, &err), FS_OK);
        INT_EQ(fs_tagger_apply(back, ctx, d), FS_OK);
        for (size_t k = 0; k < 4; k++)
          OK(got[k] == (d->tok_tag[k] ? '1' : '0'), "token %zu read back", k);
      }
      fs_tagger_free(back);
    }
    free(buf);
  }
  /* a tagger without vectors takes none */
  const char *plain = "framescore-tagger 1\nintercept\t-1\n";
  fs_tagger *p = fs_tagger_parse("p.tagger", plain, strlen(plain), &err);
  OK(p && !fs_tagger_vectors_path(p), "no vectors path");
  if (p)
    INT_EQ(fs_tagger_use_vectors(p, &wv, &err), FS_ERR_USAGE);
  fs_tagger_free(p);
  /* malformed lines, where they stand */
  col_is("word_vectors\t0123\t2\tv.txt", 14, "expected DIGEST<TAB>DIM");
  col_is("word_vectors\t0123456789abcdef\t0\tv.txt", 14, "1 to 1024");
  col_is("word_vectors\t0123456789abcdef\t2\t", 14, "a path");
  col_is("vector_scale\t-1", 14, "expected a number above 0");
  fs_doc_free(d);
  fs_tagger_free(tg);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
  fs_word_vectors_free(&wv);
  fs_word_vectors_free(&other);
}

/* ---- the weights a context keeps = the keys ---------------------------- */

static unsigned long long lcg_state;
static unsigned lcg(unsigned n) {
  lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (unsigned)((lcg_state >> 33) % n);
}

/* A weight with all of a double's digits (so that the order of a sum
 * shows in its last bits). */
static double lcg_weight(void) {
  return ((double)lcg(1000000007u) / 1000000007.0 - 0.5) * 3.1;
}

/* A generated article: a headline and paragraphs of sentences of words
 * that match the test lexicon (some twice over), capitals, all capitals,
 * hyphens, non-ASCII words, long words, numbers, quotes. */
static char *gen_article(void) {
  static const char *const words[] = {
      "the",       "mayor",     "slammed",  "radical",   "left",
      "regime",    "reportedly", "very",    "crisis",    "said",
      "claimed",   "council",   "NATO",     "well-known", "café",
      "naïve",     "Über",      "plan",     "on",        "a",
      "2024",      "Internationalization", "of", "and",  "critics",
      "EU-backed", "déjà",      "anti-government", "reform", "budget",
      "sneered",   "Radical",   "REGIME",   "x",         "résumés"};
  size_t nw = sizeof words / sizeof *words, cap = 8192, at = 0;
  char *s = malloc(cap);
  at += (size_t)snprintf(s, cap, "Mayor Slammed Over Radical Plan\n\n");
  for (int para = 0; para < 3; para++) {
    for (int sent = 0; sent < 4; sent++) {
      int len = 3 + (int)lcg(12), quote = lcg(4) == 0 ? 1 + (int)lcg(len) : -1;
      for (int w = 0; w < len && at + 80 < cap; w++) {
        const char *x = words[lcg((unsigned)nw)];
        at += (size_t)snprintf(s + at, cap - at,
                               w == quote ? "%s\"%s\"" : "%s%s",
                               w ? " " : "", x);
      }
      at += (size_t)snprintf(s + at, cap - at, "%s", lcg(5) ? ". " : "! ");
    }
    at += (size_t)snprintf(s + at, cap - at, "\n\n");
  }
  return s;
}

typedef struct fast_variant {
  const char *features; /* NULL: none */
  bool classes, vectors, stacked, anchor;
  double threshold; /* 0: 0.4 */
} fast_variant;

/* A tagger of variant v with a random weight for every name its features
 * give the documents (and a few it never meets); NULL on failure. */
static fs_tagger *fast_tagger(const fast_variant *v, fs_ctx *ctx,
                              fs_doc *const *docs, size_t ndocs,
                              const fs_word_vectors *wv) {
  fs_error err = {0};
  size_t cap = 1 << 20, at = 0;
  char *t = malloc(cap);
  at += (size_t)snprintf(t, cap,
                         "framescore-tagger 1\ncombine\t%s\nthreshold\t%.17g\n"
                         "intercept\t%.17g\n",
                         v->anchor ? "anchor" : "tags",
                         v->threshold > 0 ? v->threshold : 0.4, lcg_weight());
  if (v->anchor)
    at += (size_t)snprintf(t + at, cap - at,
                           "anchor_threshold\t0.2\nanchor\tloaded.dismissive\n");
  if (v->features)
    at += (size_t)snprintf(t + at, cap - at, "features\t%s\n", v->features);
  if (v->vectors)
    at += (size_t)snprintf(t + at, cap - at,
                           "word_vectors\t%016llx\t%u\tv.txt\nvector_scale\t1.7\n",
                           (unsigned long long)wv->digest, wv->dim);
  for (uint32_t id = 0; v->classes && id < ctx->stems.count; id += 2)
    if (fs_intern_len(&ctx->stems, id))
      at += (size_t)snprintf(t + at, cap - at, "word_class\t%s\tcl%u\n",
                             fs_intern_str(&ctx->stems, id), id % 5);
  /* the names: from a tagger of these options without weights */
  fs_tagger *tg = fs_tagger_parse("names", t, at, &err);
  OK(tg != NULL, "%s", err.msg);
  fs_intern names;
  fs_intern_init(&names);
  if (tg && v->vectors)
    INT_EQ(fs_tagger_use_vectors(tg, wv, &err), FS_OK);
  for (size_t i = 0; tg && i < ndocs; i++)
    INT_EQ(fs_tagger_feature_names(tg, ctx, docs[i], &names), FS_OK);
  fs_tagger_free(tg);
  if (v->stacked) {
    static const char *const st[] = {
        "intercept", "p",    "z",    "zmax", "z2",  "mean",     "rank1",
        "rank2",     "rank3", "hi", "mid",  "len", "sentence", "sentence_z",
        "sentence.intercept"};
    for (size_t i = 0; i < sizeof st / sizeof *st; i++)
      at += (size_t)snprintf(t + at, cap - at, "stack.%s\t%.17g\n", st[i],
                             lcg_weight() * 0.3);
  }
  for (uint32_t id = 0; id < names.count && at + 600 < cap; id++)
    at += (size_t)snprintf(t + at, cap - at, "%s\t%.17g\n",
                           fs_intern_str(&names, id), lcg_weight());
  at += (size_t)snprintf(t + at, cap - at, "w=nevermet\t1\ns3=zzz\t2\n");
  OK(names.count > 100, "%zu names", (size_t)names.count);
  fs_intern_free(&names);
  tg = fs_tagger_parse("t.tagger", t, at, &err);
  OK(tg != NULL, "%s", err.msg);
  if (tg && v->vectors)
    INT_EQ(fs_tagger_use_vectors(tg, wv, &err), FS_OK);
  free(t);
  return tg;
}

/* Applies tg to d through the keys and through the kept weights: the
 * same tags, and probabilities within a logit's rounding. Returns the
 * words whose probability is not the intercept's alone. */
static size_t fast_same(const fs_tagger *tg, bool tg_stacked, fs_ctx *ctx,
                        fs_doc *d, const char *what) {
  size_t n = d->ntokens, moved = 0;
  double *p1 = calloc(n + 1, sizeof *p1), *p2 = calloc(n + 1, sizeof *p2);
  unsigned char *t1 = calloc(n + 1, 1);
  fs_tagger_keyed(ctx, true);
  INT_EQ(fs_tagger_probabilities(tg, ctx, d, p1), FS_OK);
  for (size_t k = 0; k < n; k++)
    t1[k] = d->tok_tag[k];
  fs_tagger_keyed(ctx, false);
  INT_EQ(fs_tagger_probabilities(tg, ctx, d, p2), FS_OK);
  /* the kept weights are summed in another order than the keys: a
   * logit may differ in its last bits, |dz| <= 1e-12 (1 + |z|), so a
   * probability by p (1 - p) dz and its own rounding; a stacked tagger's
   * second stage takes logits of the first's probabilities (their
   * rounding near 0 and 1 grows), so a looser bound there */
  double rel = tg_stacked ? 1e-9 : 1e-12;
  for (size_t k = 0; k < n; k++) {
    double q = p1[k], z = q > 0 && q < 1 ? log(q / (1 - q)) : 0;
    double tol = q * (1 - q) * rel * (1 + fabs(z)) + 4 * DBL_EPSILON;
    OK(fabs(p1[k] - p2[k]) <= tol, "%s: token %zu: %.17g and %.17g", what, k,
       p1[k], p2[k]);
  }
  for (size_t k = 0; k < n; k++) {
    OK(t1[k] == d->tok_tag[k], "%s: token %zu's tag", what, k);
    moved += p1[k] != 0 && p1[k] != p1[0];
  }
  free(p1), free(p2), free(t1);
  return moved;
}

/* Tagging alone (fs_tagger_apply) takes a word's probability only when
 * its logit is near the threshold's or half the threshold's (bands_of in
 * tagger.c): with the threshold at a word's probability, just above it,
 * and at twice one, its tags are those of the probabilities. The taggers
 * are v's with its weights (lcg seed) and those thresholds. */
static void bands_same(const fast_variant *v, unsigned long long seed,
                       const fs_tagger *tg, fs_ctx *ctx, fs_doc *const *docs,
                       size_t ndocs, const fs_word_vectors *wv) {
  fs_doc *d = docs[0];
  size_t n = d->ntokens, pick = SIZE_MAX;
  double *p = calloc(n + 1, sizeof *p);
  unsigned char *want = calloc(n + 1, 1);
  INT_EQ(fs_tagger_probabilities(tg, ctx, d, p), FS_OK);
  for (size_t k = 0; k < n && pick == SIZE_MAX; k++)
    if (p[k] > 0.02 && p[k] < 0.45)
      pick = k;
  OK(pick != SIZE_MAX, "a probability to put the threshold at");
  for (int j = 0; j < 3 && pick != SIZE_MAX; j++) {
    fast_variant w = *v;
    w.threshold = j == 0   ? p[pick]
                  : j == 1 ? nextafter(p[pick], 1)
                           : 2 * p[pick];
    unsigned long long keep = lcg_state;
    lcg_state = seed;
    fs_tagger *t = fast_tagger(&w, ctx, docs, ndocs, wv);
    lcg_state = keep;
    if (!t)
      continue;
    INT_EQ(fs_tagger_probabilities(t, ctx, d, p), FS_OK);
    for (size_t k = 0; k < n; k++)
      want[k] = d->tok_tag[k];
    size_t on = 0;
    for (size_t k = 0; k < n; k++)
      on += want[k];
    OK(on > 0 && on < n, "threshold %d: some words tagged, not all", j);
    INT_EQ(fs_tagger_apply(t, ctx, d), FS_OK);
    for (size_t k = 0; k < n; k++)
      OK(want[k] == d->tok_tag[k], "threshold %d: token %zu's tag", j, k);
    fs_tagger_free(t);
  }
  free(p), free(want);
}

static void test_fast_apply(void) {
  static const char tsv[] =
      "slammed\tattribution.doubt\t1\nclaimed\tattribution.doubt\t1\n"
      "radical\tloaded.dismissive\t1.5\nradical left\tlabels.pejorative\t2\n"
      "regime\tlabels.pejorative\t2\nreportedly\thedges.report\t0.5\n"
      "very\tintensifiers.plain\t0.5\ncrisis\tloaded.emotive\t1\n"
      "said\tattribution.neutral\t0\nsneered\tloaded.dismissive\t2\n"
      "left\tloaded.emotive\t0.5\nanti-government\tlabels.pejorative\t1\n";
  static const char vec[] =
      "the 0.1 0 0.3 -0.2\nmayor 1 2 0 -1\nradical -0.5 0.25 3 1\n"
      "crisis 0.3 0.3 0.3 0.3\ncafé 0 0 1 0\nregime 2 -1 0.5 0.125\n"
      "plan 0 0 0 0\nx 0.7 -0.1 0.2 0.9\n";
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  INT_EQ(fs_lexicon_load_buffer(lex, "t.tsv", tsv, strlen(tsv), &err), FS_OK);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  fs_word_vectors wv;
  fs_word_vectors_init(&wv);
  INT_EQ(fs_word_vectors_parse(&wv, "v.txt", vec, strlen(vec), 0, &err),
         FS_OK);
  lcg_state = 34;
  enum { NDOCS = 6 };
  fs_doc *docs[NDOCS];
  char *texts[NDOCS]; /* a document reads its text: kept until it goes */
  for (int i = 0; i < NDOCS; i++) {
    texts[i] = gen_article();
    size_t len = strlen(texts[i]);
    if (i >= NDOCS - 2) {
      /* a last word at the very end of the bytes, which are not followed
       * by a 0 (its shapes read up to there and no further) */
      const char *tail = i == NDOCS - 2 ? "Mayor EU-BACKED" : "the x AB";
      char *t = malloc(len + strlen(tail));
      memcpy(t, texts[i], len);
      memcpy(t + len, tail, strlen(tail));
      len += strlen(tail);
      free(texts[i]);
      texts[i] = t;
    }
    docs[i] = fs_doc_analyze(ctx, texts[i], len, &err);
    OK(docs[i] != NULL, "%s", err.msg);
  }
  static const fast_variant vs[] = {
      {NULL, false, false, false, false, 0},
      {"near2,affix", true, false, false, false, 0},
      {NULL, false, true, false, false, 0},
      {"near2", true, false, true, false, 0},
      {"affix", false, true, true, true, 0},
      {"near2,affix", true, true, false, true, 0}};
  enum { NV = sizeof vs / sizeof *vs };
  fs_tagger *tg[NV];
  unsigned long long seed[NV];
  for (int i = 0; i < NV; i++) {
    seed[i] = lcg_state;
    tg[i] = fast_tagger(&vs[i], ctx, docs, NDOCS, &wv);
  }
  /* every tagger on every document, in turn: more taggers than a context
   * keeps weights of, and each back after others */
  for (int round = 0; round < 2; round++)
    for (int di = 0; di < NDOCS; di++)
      for (int i = 0; i < NV; i++) {
        int j = round ? NV - 1 - i : i;
        if (!tg[j] || !docs[di])
          continue;
        char what[64];
        snprintf(what, sizeof what, "tagger %d, document %d", j, di);
        OK(fast_same(tg[j], vs[j].stacked, ctx, docs[di], what) > 10,
           "%s: weights fire", what);
      }
  /* a tagger that met only the first documents: many words of the others
   * start no stem pair of it (their pairs are not looked up) */
  fs_tagger *half = fast_tagger(&vs[1], ctx, docs, NDOCS / 2, &wv);
  for (int di = NDOCS / 2; half && di < NDOCS; di++)
    OK(fast_same(half, vs[1].stacked, ctx, docs[di], "half") > 10,
       "half: weights fire");
  fs_tagger_free(half);
  for (int i = 0; i < 3; i++)
    if (tg[i])
      bands_same(&vs[i], seed[i], tg[i], ctx, docs, NDOCS, &wv);
  /* a tagger freed and another read (perhaps at its address), and one
   * whose vectors change: the context keeps no stale weights */
  for (int i = 0; i < 3; i++) {
    fs_tagger_free(tg[0]);
    tg[0] = fast_tagger(&vs[0], ctx, docs, NDOCS, &wv);
    if (tg[0])
      fast_same(tg[0], vs[0].stacked, ctx, docs[i], "read again");
  }
  fs_word_vectors wv2;
  fs_word_vectors_init(&wv2);
  INT_EQ(fs_word_vectors_parse(&wv2, "v.txt", vec, strlen(vec), 0, &err),
         FS_OK);
  if (tg[2]) {
    INT_EQ(fs_tagger_use_vectors(tg[2], &wv2, &err), FS_OK);
    fast_same(tg[2], vs[2].stacked, ctx, docs[1], "other vectors");
  }
  for (int i = 0; i < NV; i++)
    fs_tagger_free(tg[i]);
  for (int i = 0; i < NDOCS; i++) {
    fs_doc_free(docs[i]);
    free(texts[i]);
  }
  fs_word_vectors_free(&wv);
  fs_word_vectors_free(&wv2);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

/* Tagging alone leaves a form's vector unread while no word of it could
 * be tagged otherwise (its v= sum bounded by the v= weights' length: the
 * tg_bands in tagger.c). In contexts new to the vectors, the tags at a
 * plain threshold, at a word's probability, just above it and at twice
 * it are those of the probabilities (in another context); over them some
 * forms with a vector are left unread and others read. */
static void test_vectors_later(void) {
  static const char tsv[] = "radical\tloaded.dismissive\t1.5\n"
                            "regime\tlabels.pejorative\t2\n"
                            "claimed\tattribution.doubt\t1\n";
  static const char vec[] =
      "the 0.1 0 0.3 -0.2\nmayor 1 2 0 -1\nradical -0.5 0.25 3 1\n"
      "crisis 0.3 0.3 0.3 0.3\ncafé 0 0 1 0\nregime 2 -1 0.5 0.125\n"
      "council 0.5 -0.5 0.5 -0.5\nleft -1 0 0 1\nsaid 0 1 1 0\n";
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  INT_EQ(fs_lexicon_load_buffer(lex, "t.tsv", tsv, strlen(tsv), &err), FS_OK);
  fs_word_vectors wv;
  fs_word_vectors_init(&wv);
  INT_EQ(fs_word_vectors_parse(&wv, "v.txt", vec, strlen(vec), 0, &err), FS_OK);
  fs_ctx *ref = fs_ctx_new(lex, &err);
  lcg_state = 77;
  char *text = gen_article();
  size_t len = strlen(text), unread = 0, read = 0;
  fs_doc *d = fs_doc_analyze(ref, text, len, &err);
  OK(d != NULL, "%s", err.msg);
  unsigned long long seed = lcg_state;
  fast_variant v = {"near2", false, true, false, false, 0};
  double *p = d ? calloc(d->ntokens + 1, sizeof *p) : NULL;
  uint8_t *want = d ? calloc(d->ntokens + 1, 1) : NULL;
  double th[5] = {0.4, 0, 0, 0, 0.05};
  for (int j = 0; p && want && j < 5; j++) {
    v.threshold = th[j];
    lcg_state = seed;
    fs_tagger *t = fast_tagger(&v, ref, &d, 1, &wv);
    if (!t)
      continue;
    INT_EQ(fs_tagger_probabilities(t, ref, d, p), FS_OK);
    size_t on = 0;
    for (size_t k = 0; k < d->ntokens; k++)
      on += want[k] = d->tok_tag[k];
    /* the next thresholds: at a word's probability, above it, twice it */
    for (size_t k = 0; j == 0 && k < d->ntokens; k++)
      if (p[k] > 0.05 && p[k] < 0.45) {
        th[1] = p[k], th[2] = nextafter(p[k], 1), th[3] = 2 * p[k];
        break;
      }
    OK(on > 0 && on < d->ntokens, "threshold %d: some words tagged", j);
    fs_ctx *ctx = fs_ctx_new(lex, &err);
    fs_doc *e = ctx ? fs_doc_analyze(ctx, text, len, &err) : NULL;
    OK(e && e->ntokens == d->ntokens, "analysed again");
    if (e && e->ntokens == d->ntokens) {
      INT_EQ(fs_tagger_apply(t, ctx, e), FS_OK);
      for (size_t k = 0; k < e->ntokens; k++)
        OK(want[k] == e->tok_tag[k], "threshold %d: token %zu's tag", j, k);
      const uint32_t *memo = fs_word_vectors_memo(ctx, &wv);
      for (uint32_t f = 0; memo && f < ctx->forms.count; f++) {
        if (fs_word_vectors_row(&wv, fs_intern_str(&ctx->forms, f),
                                fs_intern_len(&ctx->forms, f)) == FS_NONE)
          continue;
        unread += memo[f] == FS_VECTORS_UNSEEN;
        read += memo[f] != FS_VECTORS_UNSEEN;
      }
    }
    fs_doc_free(e);
    fs_ctx_free(ctx);
    fs_tagger_free(t);
  }
  OK(unread > 0 && read > 0, "forms with a vector unread %zu, read %zu", unread,
     read);
  free(p), free(want);
  fs_doc_free(d);
  free(text);
  fs_ctx_free(ref);
  fs_word_vectors_free(&wv);
  fs_lexicon_free(lex);
}

/* The neighbour bits of match i as documented (context.c): another match
 * among the 16 before and after it in order, not over its words, of the
 * families "loaded" or "label" (1) or attribution (2), with at most 3
 * words between them; counted here word by word. */
static int near_bits(const fs_lexicon *lex, const fs_doc *d, size_t i) {
  const fs_match *m = &d->matches[i];
  int bits = 0;
  for (size_t j = i > 16 ? i - 16 : 0; j < i + 17 && j < d->nmatches; j++) {
    const fs_match *o = &d->matches[j];
    if (j == i || o->category >= lex->ncats ||
        (o->tok_start < m->tok_end && m->tok_start < o->tok_end))
      continue;
    uint32_t f = lex->cats[o->category].family;
    const char *fam = lex->families[f];
    int bit = !strcmp(fam, "loaded") || !strcmp(fam, "label") ? 1
              : f == lex->attribution_fam                      ? 2
                                                               : 0;
    uint32_t a = o->tok_end <= m->tok_start ? o->tok_end : m->tok_end;
    uint32_t b = o->tok_end <= m->tok_start ? m->tok_start : o->tok_start;
    size_t words = 0;
    for (uint32_t k = a; k < b; k++)
      words += d->tokens[k].kind == FS_TOK_WORD ||
               d->tokens[k].kind == FS_TOK_NUMBER;
    if (words <= 3)
      bits |= bit;
  }
  return bits;
}

/* The context features' neighbour bits (near_loaded, near_attribution):
 * the scan that stops at the first match too far away on each side gives
 * what looking at every match gives, with the matches in order and (the
 * scan then looks at all of them) out of order. */
static void test_neighbours(void) {
  static const char tsv[] =
      "said\tattribution.neutral\t0\nclaimed\tattribution.doubt\t1\n"
      "radical\tloaded.dismissive\t1.5\nradical left plan\tlabel.pejorative\t2\n"
      "regime\tlabel.pejorative\t2\ncrisis\tloaded.emotive\t1\n"
      "reportedly\thedges.report\t0.5\nvery\tintensifiers.plain\t0.5\n";
  static const char *const words[] = {
      "said", "claimed", "radical", "regime", "crisis", "reportedly", "very",
      "the", "of", "a", "plan", "left", "mayor", "x", "budget", "2024"};
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  INT_EQ(fs_lexicon_load_buffer(lex, "n.tsv", tsv, strlen(tsv), &err), FS_OK);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  char text[6000];
  size_t at = 0;
  lcg_state = 35;
  while (at + 40 < sizeof text) {
    unsigned r = lcg(40);
    const char *w = r < 3 ? "radical left plan" : words[r % 16];
    at += (size_t)snprintf(text + at, sizeof text - at, "%s%s", w,
                           lcg(9) ? " " : ". ");
  }
  fs_doc *d = fs_doc_analyze(ctx, text, at, &err);
  OK(d != NULL, "%s", err.msg);
  fs_context_scratch cs = {0};
  double x[FS_CF_N];
  size_t seen[4] = {0};
  for (int round = 0; d && round < 2; round++) {
    if (round) /* out of order: the first match moved to the end */
      for (size_t i = 0; i + 1 < d->nmatches; i++) {
        fs_match t = d->matches[i];
        d->matches[i] = d->matches[i + 1];
        d->matches[i + 1] = t;
      }
    INT_EQ(fs_context_scratch_fill(&cs, lex, d), FS_OK);
    OK(cs.sorted == !round, "round %d: sorted %d", round, (int)cs.sorted);
    OK(cs.longest == 3, "the longest match: %u tokens", (unsigned)cs.longest);
    for (size_t i = 0; i < d->nmatches; i++) {
      int bits = near_bits(lex, d, i);
      fs_context_features(&cs, lex, d, i, x);
      OK(x[FS_CF_NEAR_LOADED] == (bits & 1) &&
             x[FS_CF_NEAR_ATTRIB] == (bits >> 1),
         "round %d, match %zu: near %g %g, expected %d", round, i,
         x[FS_CF_NEAR_LOADED], x[FS_CF_NEAR_ATTRIB], bits);
      seen[bits]++;
    }
  }
  OK(d && d->nmatches > 200, "%zu matches", d ? d->nmatches : 0);
  OK(seen[0] && seen[1] && seen[2] && seen[3], "bits %zu %zu %zu %zu",
     seen[0], seen[1], seen[2], seen[3]);
  fs_context_scratch_free(&cs);
  fs_doc_free(d);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
}

int main(void) {
  test_neighbours();
  test_fast_apply();
  test_vectors_later();
  test_clash();
  test_vectors();
  test_error_columns();
  test_smoothed_best();
  test_span_rules();
  DONE();
}
