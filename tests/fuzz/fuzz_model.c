/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_model.c - libFuzzer target: the framing-model parser. A rejected
 * model says where; an accepted one binds to a lexicon (or, when it embeds
 * a context model, is refused with a message then), scores a document,
 * and is written out as text that parses again to the same text. */
#include "fuzz_common.h"
#include "model.h"
#include "word_vectors.h"

static const char sample[] =
    "Officials claimed the so-called regime's \"investigation\" was "
    "nonsense. \"It is not very clearly catastrophic,\" he said.";

/* Vectors for a model whose embedded tagger was trained with word vectors
 * (a `tagger word_vectors DIGEST DIM` line): dim components for some
 * words of the sample, with the digest the line asks for (the fuzzer
 * cannot make rows of a given digest), so that its tags are scored.
 * False when its taggers ask for two kinds (refused with a message: the
 * model cannot be scored). */
static bool tagger_vectors(fs_model *m, fs_word_vectors *wv) {
  uint64_t digest;
  unsigned dim;
  fs_word_vectors_init(wv);
  if (!fs_model_tagger_vectors(m, &digest, &dim))
    return true;
  static const char *const words[] = {"officials", "nonsense", "regime"};
  size_t cap = 3 * (16 + 8 * (size_t)dim), n = 0;
  char *text = malloc(cap);
  FUZZ_CHECK(text);
  for (size_t w = 0; w < 3; w++) {
    n += (size_t)snprintf(text + n, cap - n, "%s", words[w]);
    for (unsigned k = 0; k < dim; k++)
      n += (size_t)snprintf(text + n, cap - n, " %d", (int)((w + k) % 5) - 2);
    n += (size_t)snprintf(text + n, cap - n, "\n");
  }
  fs_error err = {0};
  FUZZ_CHECK(fs_word_vectors_parse(wv, "fuzz.vec", text, n, 0, &err) == FS_OK);
  free(text);
  wv->digest = digest;
  int rc = fs_model_bind_tagger_vectors(m, wv, false, "fuzz.vec", &err);
  FUZZ_CHECK(rc == FS_OK || (rc == FS_ERR_INPUT && err.msg[0]));
  return rc == FS_OK;
}

static char *write_model(const fs_model *m, size_t *n) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, n);
  FUZZ_CHECK(f);
  FUZZ_CHECK(fs_model_write(f, m, NULL) == FS_OK);
  fclose(f);
  return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = malloc(size ? size : 1);
  FUZZ_CHECK(text);
  if (size)
    memcpy(text, data, size);
  fs_error err = {0};
  fs_model *m = fs_model_parse("fuzz.model", text, size, &err);
  free(text);
  if (!m) {
    FUZZ_CHECK(err.msg[0] && !strcmp(err.file, "fuzz.model"));
    return 0;
  }
  fs_ctx *ctx = fuzz_shared_ctx();
  int bound = fs_model_bind(m, fs_ctx_lexicon(ctx), &err);
  if (bound != FS_OK) {
    /* only an embedded context model (context: features and context lines)
     * or span tagger (tagger: features and tagger lines) is read when the
     * model is bound, since it names the lexicon's categories: it may be
     * refused then, with a message */
    bool embeds = false;
    for (size_t i = 0; i < m->ndims; i++)
      embeds |= m->dims[i].nctx_features || m->dims[i].context_text ||
                m->dims[i].ntag_features || m->dims[i].tagger_text;
    FUZZ_CHECK(bound == FS_ERR_INPUT && embeds && err.msg[0]);
    fs_model_free(m);
    return 0;
  }
  fs_word_vectors wv;
  bool scored = tagger_vectors(m, &wv);
  /* with vectors, a context of this input's own: a tagger's context keeps
   * each form's vector found, by the vectors' address, which this wv (on
   * the stack) shares with the last input's */
  fs_ctx *own = NULL;
  if (wv.dim) {
    FUZZ_CHECK(own = fs_ctx_new(fuzz_lexicon(), &err));
    ctx = own;
  }
  fs_doc *doc = fs_doc_analyze(ctx, sample, sizeof sample - 1, &err);
  FUZZ_CHECK(doc);
  fs_dim_value *v = calloc(m->ndims ? m->ndims : 1, sizeof *v);
  FUZZ_CHECK(v);
  FUZZ_CHECK(fs_model_score_doc(m, ctx, doc, v) == FS_OK || !scored);
  for (size_t i = 0; i < m->ndims && scored; i++)
    (void)fs_model_item_score(m, i, ctx, doc);
  /* written text parses again, to the same text */
  size_t n1, n2;
  char *t1 = write_model(m, &n1);
  fs_model *m2 = fs_model_parse("fuzz.model", t1, n1, &err);
  if (!m2)
    fprintf(stderr, "rewritten model does not parse: %s:%ld:%ld: %s\n%s",
            err.file, err.line, err.col, err.msg, t1);
  FUZZ_CHECK(m2);
  FUZZ_CHECK(m2->ndims == m->ndims);
  char *t2 = write_model(m2, &n2);
  FUZZ_CHECK(n1 == n2 && !memcmp(t1, t2, n1));
  free(t1);
  free(t2);
  free(v);
  fs_doc_free(doc);
  fs_model_free(m2);
  fs_model_free(m);
  fs_ctx_free(own);
  fs_word_vectors_free(&wv);
  return 0;
}
