/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_articles.c - libFuzzer target: eval's article files (any bytes as
 * DIR/article7.txt) with gold spans of every shape: from a labels file
 * (inside the text, across its end, far past it, of another article) and
 * from the input's first bytes. Each span kept is trimmed to non-empty
 * code points of the article that the corpus's rule does not trim; the
 * article is scored and rendered in every format, with precision and
 * recall in [0, 1]. */
#include "eval.h"
#include "fuzz_common.h"
#include "utf8.h"

#include <math.h>

static const char model_text[] = "framescore-model 1\n"
                                 "dimension loaded_language\n"
                                 "  weight loaded.* 1\n"
                                 "dimension labeling\n"
                                 "  weight label.* 1\n";

static const char labels[] = "7\tLoaded_Language\t0\t5\n"
                             "7\tName_Calling,Labeling\t3\t40\n"
                             "7\tLoaded_Language\t10\t11\n"
                             "7\tName_Calling,Labeling\t0\t1000000\n"
                             "7\tLoaded_Language\t999999\t1000001\n"
                             "8\tLoaded_Language\t0\t10\n"
                             "70\tLoaded_Language\t0\t10\n";

static fs_model *fuzz_model;
static fs_gold_row *fixed;
static size_t nfixed;

static void cleanup(void) {
  fs_model_free(fuzz_model);
  free(fixed);
}

static bool trims(uint32_t c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '.' ||
         c == ',' || c == ':' || c == ';';
}

static uint32_t u32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static bool unit(double x) { return isnan(x) || (x >= 0 && x <= 1 + 1e-9); }

/* Scores the article and renders the result in one format. */
static void score(const fs_doc *d, const fs_gold_span *gold, size_t n,
                  const char *format) {
  const char *tech[2] = {"Loaded_Language", "Name_Calling,Labeling"};
  size_t dims[2] = {0, 1};
  fs_span_eval *e = fs_span_eval_new(fuzz_model, tech, dims, 2, FS_VOICES, 2);
  FUZZ_CHECK(e);
  /* fs_span_eval_add sorts and merges its copy */
  fs_gold_span *g = malloc((n + 1) * sizeof *g);
  FUZZ_CHECK(g);
  memcpy(g, gold, n * sizeof *g);
  FUZZ_CHECK(fs_span_eval_add(e, d, g, n) == FS_OK);
  free(g);
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  FUZZ_CHECK(out);
  fs_render_span_eval(out, e, format, 5);
  FUZZ_CHECK(fclose(out) == 0 && len > 0 && strlen(buf) == len);
  const fs_span_score *s = fs_span_eval_combined(e);
  FUZZ_CHECK(unit(s->precision) && unit(s->recall) && unit(s->f1));
  FUZZ_CHECK(unit(s->exact_precision) && unit(s->exact_recall));
  FUZZ_CHECK(s->p_exact <= s->p_credit + 1e-9);
  free(buf);
  fs_span_eval_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fs_ctx *ctx = fuzz_shared_ctx();
  fs_error err = {0};
  if (!fuzz_model) {
    fuzz_model =
        fs_model_parse("fuzz.model", model_text, sizeof model_text - 1, &err);
    FUZZ_CHECK(fuzz_model);
    FUZZ_CHECK(fs_model_bind(fuzz_model, fs_ctx_lexicon(ctx), &err) == FS_OK);
    const char *tech[2] = {"Loaded_Language", "Name_Calling,Labeling"};
    FUZZ_CHECK(fs_eval_read_labels("labels.tsv", labels, sizeof labels - 1,
                                   tech, 2, &fixed, &nfixed, &err) == FS_OK);
    FUZZ_CHECK(nfixed == 7);
    atexit(cleanup);
  }
  /* the fixed rows and two more whose offsets the input chooses */
  fs_gold_row rows[9];
  size_t nrows = nfixed;
  memcpy(rows, fixed, nfixed * sizeof *rows);
  for (size_t i = 0; i + 8 <= size && i < 16; i += 8) {
    fs_gold_row *r = &rows[nrows++];
    snprintf(r->id, sizeof r->id, "7");
    r->technique = data[i] & 1;
    r->span.begin = u32(data + i) % (size + 8);
    r->span.end = r->span.begin + 1 + u32(data + i + 4) % (size + 8);
  }
  const char *text = (const char *)data;
  uint32_t *cp = malloc((size + 1) * sizeof *cp);
  fs_gold_span *gold = malloc((nrows + 1) * sizeof *gold);
  FUZZ_CHECK(cp && gold);
  size_t n = fs_eval_article_gold("7", rows, nrows, text, size, gold, cp);
  size_t ncp = 0;
  for (size_t i = 0; i < size; ncp++) {
    int bad = 0;
    (void)fs_utf8_next(data, size, &i, &bad);
  }
  size_t mine = 0;
  for (size_t i = 0; i < nrows; i++)
    mine += !strcmp(rows[i].id, "7");
  FUZZ_CHECK(n <= mine);
  for (size_t i = 0; i < n; i++) {
    const fs_span *s = &gold[i].span;
    FUZZ_CHECK(gold[i].technique < 2);
    FUZZ_CHECK(s->begin < s->end && s->end <= ncp);
    FUZZ_CHECK(!trims(cp[s->begin]) && !trims(cp[s->end - 1]));
  }
  /* the whole text as one span keeps what is not trimmed at its ends */
  fs_gold_row all = {.id = "7", .technique = 0, .span = {0, ncp}};
  fs_gold_span whole;
  size_t nw = fs_eval_article_gold("7", &all, 1, text, size, &whole, cp);
  bool any = false;
  for (size_t i = 0; i < ncp; i++)
    any |= !trims(cp[i]);
  FUZZ_CHECK(nw == (size_t)any);

  fs_doc *d = fs_doc_analyze(ctx, text, size, &err);
  FUZZ_CHECK(d);
  static const char *const formats[] = {"text", "csv", "jsonl"};
  for (int f = 0; f < 3; f++)
    score(d, gold, n, formats[f]);
  fs_doc_free(d);
  free(cp);
  free(gold);
  return 0;
}
