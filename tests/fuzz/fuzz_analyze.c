/* fuzz_analyze.c - libFuzzer target: arbitrary bytes through the whole
 * analysis (tokenize, stem, match, voice, count). The same bytes analysed by
 * a long-lived context (warm word cache) and by a fresh one that tokenizes
 * byte by byte only (no 64-byte plain-prose path) must agree. */
#include "fuzz_common.h"
#include "internal.h"

/* Same tokens and matches, word forms compared as strings (ids differ
 * between contexts). */
static void same_doc(const fs_ctx *ca, const fs_doc *a, const fs_ctx *cb,
                     const fs_doc *b) {
  size_t na, nb, ma, mb;
  const fs_token *ta = fs_doc_tokens(a, &na), *tb = fs_doc_tokens(b, &nb);
  const fs_match *xa = fs_doc_matches(a, &ma), *xb = fs_doc_matches(b, &mb);
  FUZZ_CHECK(na == nb && ma == mb);
  for (size_t i = 0; i < na; i++) {
    FUZZ_CHECK(ta[i].byte_start == tb[i].byte_start &&
               ta[i].byte_end == tb[i].byte_end);
    FUZZ_CHECK(ta[i].kind == tb[i].kind && ta[i].voice == tb[i].voice &&
               ta[i].flags == tb[i].flags);
    FUZZ_CHECK(ta[i].sentence == tb[i].sentence &&
               ta[i].paragraph == tb[i].paragraph);
    if (ta[i].kind == FS_TOK_WORD || ta[i].kind == FS_TOK_NUMBER) {
      FUZZ_CHECK(
          !strcmp(fs_ctx_form(ca, ta[i].form), fs_ctx_form(cb, tb[i].form)));
      FUZZ_CHECK(
          !strcmp(fs_ctx_stem(ca, ta[i].stem), fs_ctx_stem(cb, tb[i].stem)));
    }
  }
  for (size_t i = 0; i < ma; i++) {
    FUZZ_CHECK(xa[i].tok_start == xb[i].tok_start &&
               xa[i].tok_end == xb[i].tok_end);
    FUZZ_CHECK(xa[i].category == xb[i].category && xa[i].entry == xb[i].entry &&
               xa[i].weight == xb[i].weight);
    FUZZ_CHECK(xa[i].negator == xb[i].negator &&
               xa[i].intensifier == xb[i].intensifier);
    FUZZ_CHECK(xa[i].voice == xb[i].voice && xa[i].negated == xb[i].negated);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fs_error err = {0};
  fs_ctx *warm = fuzz_shared_ctx();
  fs_ctx *fresh = fs_ctx_new(fuzz_lexicon(), &err);
  FUZZ_CHECK(fresh);
  fresh->bytewise = true;
  /* a private copy, so reads past the end are caught exactly */
  char *text = malloc(size ? size : 1);
  FUZZ_CHECK(text);
  if (size)
    memcpy(text, data, size);
  fs_doc *a = fs_doc_analyze(warm, text, size, &err);
  fs_doc *b = fs_doc_analyze(fresh, text, size, &err);
  FUZZ_CHECK(a && b);
  fuzz_check_doc(warm, a, size);
  fuzz_check_doc(fresh, b, size);
  same_doc(warm, a, fresh, b);
  fs_doc_free(a);
  fs_doc_free(b);
  fs_ctx_free(fresh);
  free(text);
  return 0;
}
