/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_common.h - shared by the libFuzzer targets in tests/fuzz: a small
 * lexicon covering every pattern kind, and invariants a document must keep
 * whatever bytes it was made from (a broken one aborts, which the fuzzer and
 * the replay driver report as a crash). */
#ifndef FS_FUZZ_COMMON_H
#define FS_FUZZ_COMMON_H

#include "framescore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stem, exact, case-sensitive, glob, multiword and overlapping patterns, and
 * the families the matcher treats specially. */
static const char fuzz_lexicon_tsv[] =
    "said\tattribution.neutral\t0\n"
    "=claimed\tattribution.doubt\t1\n"
    "==IS\tlabel.caps\t1\n"
    "regime\tlabel.pejorative\t1.5\n"
    "so-called\tlabel.distancing\t1.5\n"
    "catastroph*\tloaded.emotive\t1\n"
    "nonsense\tloaded.dismissive\t1.5\n"
    "without evidence\tevidence.lacking\t1\n"
    "shred of evidence\tevidence.lacking\t1\n"
    "a a a b\tloaded.test\t1\n"
    "a a\tloaded.test\t0.5\n"
    "a*\tloaded.glob\t0.25\n"
    "путин*\tlabel.ru\t1\n"
    "=don't\thedge\t0.5\n"
    "reportedly\thedge\t0.5\n"
    "clearly\tcertainty\t0.5\n"
    "not\tnegator\t0\n"
    "never\tnegator\t0\n"
    "very\tintensifier\t0\n";

#define FUZZ_CHECK(cond)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__,     \
              #cond);                                                          \
      abort();                                                                 \
    }                                                                          \
  } while (0)

static fs_lexicon *fuzz_lex;
static fs_ctx *fuzz_ctx;

/* Frees the shared lexicon and context at exit, so that leak checkers
 * (LeakSanitizer, valgrind) see no memory left. */
static inline void fuzz_cleanup(void) {
  fs_ctx_free(fuzz_ctx);
  fs_lexicon_free(fuzz_lex);
  fuzz_ctx = NULL;
  fuzz_lex = NULL;
}

/* The fuzzers' lexicon, built once and never changed. */
static inline fs_lexicon *fuzz_lexicon(void) {
  if (!fuzz_lex) {
    fs_error err = {0};
    fuzz_lex = fs_lexicon_new("english", &err);
    FUZZ_CHECK(fuzz_lex);
    FUZZ_CHECK(fs_lexicon_load_buffer(fuzz_lex, "fuzz.tsv", fuzz_lexicon_tsv,
                                      sizeof fuzz_lexicon_tsv - 1,
                                      &err) == FS_OK);
    atexit(fuzz_cleanup);
  }
  return fuzz_lex;
}

/* A context that lives across inputs (its word cache stays warm). */
static inline fs_ctx *fuzz_shared_ctx(void) {
  if (!fuzz_ctx) {
    fs_error err = {0};
    fuzz_ctx = fs_ctx_new(fuzz_lexicon(), &err);
    FUZZ_CHECK(fuzz_ctx);
  }
  return fuzz_ctx;
}

/* Is s[0..n) valid UTF-8 (no surrogates, no overlong forms)? */
static inline int fuzz_valid_utf8(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < n) {
    unsigned c = u[i];
    size_t need = c < 0x80                 ? 0
                  : c >= 0xC2 && c <= 0xDF ? 1
                  : c >= 0xE0 && c <= 0xEF ? 2
                  : c >= 0xF0 && c <= 0xF4 ? 3
                                           : 9;
    if (need == 9 || (need && i + need >= n))
      return 0;
    uint32_t cp = need == 0 ? c : c & (0x3F >> need);
    for (size_t k = 1; k <= need; k++) {
      if ((u[i + k] & 0xC0) != 0x80)
        return 0;
      cp = cp << 6 | (u[i + k] & 0x3F);
    }
    if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
    i += need + 1;
  }
  return 1;
}

/* Checks a document's tokens, matches and counts against its text. */
static inline void fuzz_check_doc(const fs_ctx *ctx, const fs_doc *doc,
                                  size_t len) {
  size_t nt, nm;
  const fs_token *t = fs_doc_tokens(doc, &nt);
  const fs_match *m = fs_doc_matches(doc, &nm);
  const fs_doc_stats *st = fs_doc_stats_get(doc);
  const fs_lexicon *lex = fs_ctx_lexicon(ctx);
  size_t words[FS_VOICES] = {0};
  for (size_t i = 0; i < nt; i++) {
    FUZZ_CHECK(t[i].byte_start < t[i].byte_end && t[i].byte_end <= len);
    FUZZ_CHECK(t[i].char_start < t[i].char_end);
    FUZZ_CHECK(t[i].line >= 1 && t[i].col >= 1);
    FUZZ_CHECK(t[i].kind <= FS_TOK_QUOTE && t[i].voice < FS_VOICES);
    if (i > 0) {
      FUZZ_CHECK(t[i].byte_start >= t[i - 1].byte_end);
      FUZZ_CHECK(t[i].char_start >= t[i - 1].char_end);
      FUZZ_CHECK(t[i].line >= t[i - 1].line);
      FUZZ_CHECK(t[i].sentence >= t[i - 1].sentence);
      FUZZ_CHECK(t[i].paragraph >= t[i - 1].paragraph);
    }
    FUZZ_CHECK(t[i].sentence < st->sentences);
    FUZZ_CHECK(t[i].paragraph < st->paragraphs);
    if (t[i].kind == FS_TOK_WORD || t[i].kind == FS_TOK_NUMBER) {
      words[t[i].voice]++;
      const char *form = fs_ctx_form(ctx, t[i].form);
      FUZZ_CHECK(form && *form);
      FUZZ_CHECK(fuzz_valid_utf8(form, strlen(form)));
      FUZZ_CHECK(strlen(form) <= 3 * FS_WORD_LOOKUP_MAX);
    }
  }
  FUZZ_CHECK(words[0] == st->words[0] && words[1] == st->words[1]);
  FUZZ_CHECK(st->ncat == fs_lexicon_category_count(lex));
  size_t total = 0;
  for (size_t c = 0; c < st->ncat * FS_VOICES; c++)
    total += st->matches[c];
  FUZZ_CHECK(total == nm);
  for (size_t i = 0; i < nm; i++) {
    FUZZ_CHECK(m[i].tok_start < m[i].tok_end && m[i].tok_end <= nt);
    FUZZ_CHECK(m[i].category < st->ncat && m[i].voice < FS_VOICES);
    FUZZ_CHECK(m[i].negator == FS_NONE || m[i].negator < m[i].tok_start);
    FUZZ_CHECK(m[i].intensifier == FS_NONE ||
               m[i].intensifier < m[i].tok_start);
    FUZZ_CHECK(m[i].negated == (m[i].negator != FS_NONE));
    if (i > 0)
      FUZZ_CHECK(m[i].tok_start >= m[i - 1].tok_start);
  }
  FUZZ_CHECK(st->loaded_score == st->loaded_score); /* not NaN */
}

#endif
