/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_share.c - contexts sharing a vocabulary (fs_vocab_share) -> the same
 * tokens, stems and matches as a context alone, each form stemmed once for
 * all of them, on one thread and on four at once (the ThreadSanitizer run
 * of the share when built with FS_TSAN). */
#include "framescore.h"
#include "harness.h"
#include "internal.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* stems, exact forms, a prefix glob, a cased word, a spelling variant and
 * a phrase: each kind of lexicon candidate a shared record carries */
static const char *lexicon_text =
    "said\tattribution.neutral\t0\n"
    "=claimed\tattribution.doubt\t1\n"
    "insist*\tattribution.doubt\t1\n"
    "==NATO\tlabel.acronym\t1\n"
    "=kyiv\tlabel.place\t1\n"
    "grudgingly admitted\tattribution.concession\t1\n"
    "regime\tlabel.pejorative\t1.5\n";

static const char *texts[] = {
    "The regime claimed, Dr. Smith said, that NATO insisted on Kiev.\n\n"
    "Officials grudgingly admitted nothing. The regimes' claims were insistent.",
    "Mr. Jones said the regime's \"experts\" grudgingly admitted it. Nato and "
    "NATO met in Kyiv; insisting, insistence, claimed, claims.",
    "Regimes insist. They said so. Kiev, Kyiv and KIEV: three spellings of "
    "one city, which the regime claimed."};
#define NTEXTS (sizeof texts / sizeof *texts)

static fs_lexicon *lex;

/* One line per token (form, stem, flags) and per match: what an analysis
 * gave, in strings, so contexts that number forms differently compare.
 * NULL when the analysis failed (no check here: the harness's counters are
 * not for threads). */
static char *describe(const fs_ctx *ctx, const char *text) {
  fs_error err;
  char *out = NULL;
  size_t size = 0;
  FILE *f = open_memstream(&out, &size);
  fs_doc *d = fs_doc_analyze((fs_ctx *)ctx, text, strlen(text), &err);
  if (!d && f) {
    fclose(f);
    free(out);
    return NULL;
  }
  if (d && f) {
    size_t n, m;
    const fs_token *t = fs_doc_tokens(d, &n);
    for (size_t i = 0; i < n; i++)
      fprintf(f, "%zu %s %s %u %u %u\n", t[i].byte_start,
              fs_ctx_form(ctx, t[i].form), fs_ctx_stem(ctx, t[i].stem),
              t[i].kind, t[i].sentence, t[i].voice);
    const fs_match *mt = fs_doc_matches(d, &m);
    for (size_t i = 0; i < m; i++)
      fprintf(f, "match %u-%u %s %g\n", mt[i].tok_start, mt[i].tok_end,
              fs_lexicon_category_name(lex, mt[i].category), mt[i].weight);
  }
  fs_doc_free(d);
  if (f)
    fclose(f);
  return out;
}

/* Context b, sharing with a, analyses what a did: the same results with no
 * stemming of its own; a context on its own gives them too. */
static void test_one_thread(void) {
  fs_error err;
  fs_vocab_share *s = fs_vocab_share_new(lex, "english", &err);
  fs_ctx *a = fs_ctx_new(lex, &err), *b = fs_ctx_new(lex, &err),
         *alone = fs_ctx_new(lex, &err);
  INT_EQ(fs_ctx_share_vocab(a, s), FS_OK);
  INT_EQ(fs_ctx_share_vocab(b, s), FS_OK);
  for (size_t i = 0; i < NTEXTS; i++) {
    char *x = describe(a, texts[i]);
    char *want = describe(alone, texts[i]);
    STR_EQ(x, want);
    free(x);
    free(want);
  }
  INT_EQ(fs_ctx_stem_calls(a), fs_ctx_stem_calls(alone));
  INT_EQ(fs_vocab_share_count(s), fs_ctx_form_count(alone));
  /* b in the other order: other ids, the same strings, no stemming */
  for (size_t i = NTEXTS; i-- > 0;) {
    char *got = describe(b, texts[i]);
    char *want = describe(alone, texts[i]);
    STR_EQ(got, want);
    free(got);
    free(want);
  }
  INT_EQ(fs_ctx_stem_calls(b), 0);
  INT_EQ(fs_ctx_form_count(b), fs_ctx_form_count(alone));
  /* a new form b meets first is published for a */
  char *got = describe(b, "Unheard-of stammering.");
  free(got);
  size_t before = fs_ctx_stem_calls(a);
  got = describe(a, "Unheard-of stammering.");
  char *want = describe(alone, "Unheard-of stammering.");
  STR_EQ(got, want);
  INT_EQ(fs_ctx_stem_calls(a), before);
  free(got);
  free(want);
  /* detached, a context stems for itself again */
  INT_EQ(fs_ctx_share_vocab(b, NULL), FS_OK);
  before = fs_ctx_stem_calls(b);
  free(describe(b, "Brand newish vocabulary."));
  OK(fs_ctx_stem_calls(b) > before, "a detached context stems");
  fs_ctx_free(a);
  fs_ctx_free(b);
  fs_ctx_free(alone);
  fs_vocab_share_free(s);
}

/* A share of another language or lexicon is refused. */
static void test_mismatch(void) {
  fs_error err;
  fs_lexicon *other = fs_lexicon_new("english", &err);
  fs_vocab_share *s = fs_vocab_share_new(other, "english", &err);
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  INT_EQ(fs_ctx_share_vocab(ctx, s), FS_ERR_USAGE);
  OK(fs_vocab_share_new(lex, "russian", &err) == NULL, "no such language");
  OK(strstr(err.msg, "russian") != NULL, "says which: %s", err.msg);
  fs_ctx_free(ctx);
  fs_vocab_share_free(s);
  fs_lexicon_free(other);
  fs_vocab_share_free(NULL);
}

/* Four threads each analyse every text, from different starts, many times,
 * with made-up words so the share keeps growing (and its table is replaced
 * while others read it). */
#define THREADS 4
#define ROUNDS 40

typedef struct job {
  fs_vocab_share *s;
  size_t index;
  char *got[ROUNDS];
} job;

static char *round_text(size_t r) {
  char *t = NULL;
  if (asprintf(&t, "%s Zorblax%zu glimmered%zu; quoth%zu \"blorp%zu\".",
               texts[r % NTEXTS], r, r * 7, r % 13, r / 3) < 0)
    return NULL;
  return t;
}

static void *run(void *arg) {
  job *j = arg;
  fs_error err;
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  if (!ctx || fs_ctx_share_vocab(ctx, j->s))
    return NULL;
  for (size_t k = 0; k < ROUNDS; k++) {
    size_t r = (k + j->index * ROUNDS / THREADS) % ROUNDS;
    char *t = round_text(r);
    j->got[r] = t ? describe(ctx, t) : NULL;
    free(t);
  }
  fs_ctx_free(ctx);
  return NULL;
}

static void test_threads(void) {
  fs_error err;
  fs_ctx *alone = fs_ctx_new(lex, &err);
  fs_vocab_share *s = fs_vocab_share_new(lex, "english", &err);
  job jobs[THREADS];
  pthread_t th[THREADS];
  for (size_t i = 0; i < THREADS; i++) {
    memset(&jobs[i], 0, sizeof jobs[i]);
    jobs[i].s = s;
    jobs[i].index = i;
    OK(pthread_create(&th[i], NULL, run, &jobs[i]) == 0, "thread");
  }
  for (size_t i = 0; i < THREADS; i++)
    pthread_join(th[i], NULL);
  size_t ok = 0;
  for (size_t r = 0; r < ROUNDS; r++) {
    char *t = round_text(r);
    char *want = describe(alone, t);
    for (size_t i = 0; i < THREADS; i++) {
      ok += jobs[i].got[r] && want && !strcmp(jobs[i].got[r], want);
      free(jobs[i].got[r]);
    }
    free(want);
    free(t);
  }
  INT_EQ(ok, THREADS * ROUNDS);
  /* every form the threads met is in the share once */
  INT_EQ(fs_vocab_share_count(s), fs_ctx_form_count(alone));
  fs_ctx_free(alone);
  fs_vocab_share_free(s);
}

int main(void) {
  fs_error err;
  lex = fs_lexicon_new("english", &err);
  OK(lex != NULL, "lexicon");
  OK(fs_lexicon_load_buffer(lex, "share.tsv", lexicon_text,
                            strlen(lexicon_text), &err) == FS_OK,
     "load: %s", err.msg);
  test_one_thread();
  test_mismatch();
  test_threads();
  fs_lexicon_free(lex);
  DONE();
}
