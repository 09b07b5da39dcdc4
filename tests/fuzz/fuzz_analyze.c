/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_analyze.c - libFuzzer target: arbitrary bytes through the whole
 * analysis (tokenize, stem, match, voice, count), as English and as Russian
 * (dialogue dashes, quoted names, spelling keys). The same bytes analysed by
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

/* The same lexicon read as Russian (dialogue dashes, colon and dash speech,
 * quoted names, spelling keys), with Russian attribution for the voice
 * rules. */
static fs_lexicon *ru_lex;
static fs_ctx *ru_ctx;

static void ru_cleanup(void) {
  fs_ctx_free(ru_ctx);
  fs_lexicon_free(ru_lex);
  ru_ctx = NULL;
  ru_lex = NULL;
}

static fs_ctx *ru_shared_ctx(void) {
  static const char extra[] = "заявил\tattribution.neutral\t0\n"
                              "назвал\tattribution.accusation\t0.5\n"
                              "киевский режим*\tlabel.naming\t3\n"
                              "=ещё\thedge\t0.5\n"
                              "kiev\tplace\t0\n";
  if (!ru_ctx) {
    fs_error err = {0};
    ru_lex = fs_lexicon_new("russian", &err);
    FUZZ_CHECK(ru_lex);
    FUZZ_CHECK(fs_lexicon_load_buffer(ru_lex, "fuzz.tsv", fuzz_lexicon_tsv,
                                      sizeof fuzz_lexicon_tsv - 1,
                                      &err) == FS_OK);
    FUZZ_CHECK(fs_lexicon_load_buffer(ru_lex, "fuzz_ru.tsv", extra,
                                      sizeof extra - 1, &err) == FS_OK);
    ru_ctx = fs_ctx_new(ru_lex, &err);
    FUZZ_CHECK(ru_ctx);
    atexit(ru_cleanup);
  }
  return ru_ctx;
}

/* Analyses text with a long-lived and a fresh byte-by-byte context of one
 * lexicon and checks both. */
static void analyse_both(fs_ctx *warm, const char *text, size_t size) {
  fs_error err = {0};
  fs_ctx *fresh = fs_ctx_new(fs_ctx_lexicon(warm), &err);
  FUZZ_CHECK(fresh);
  fresh->bytewise = true;
  fs_doc *a = fs_doc_analyze(warm, text, size, &err);
  fs_doc *b = fs_doc_analyze(fresh, text, size, &err);
  FUZZ_CHECK(a && b);
  fuzz_check_doc(warm, a, size);
  fuzz_check_doc(fresh, b, size);
  same_doc(warm, a, fresh, b);
  fs_doc_free(a);
  fs_doc_free(b);
  fs_ctx_free(fresh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* a private copy, so reads past the end are caught exactly */
  char *text = malloc(size ? size : 1);
  FUZZ_CHECK(text);
  if (size)
    memcpy(text, data, size);
  analyse_both(fuzz_shared_ctx(), text, size);
  analyse_both(ru_shared_ctx(), text, size);
  free(text);
  return 0;
}
