/* SPDX-License-Identifier: GPL-3.0-or-later */
/* terms_bench.c - times the statistics stage of `framescore terms` on a
 * synthetic vocabulary: TYPES word types (default 500,000) over OUTLETS
 * outlets (default 20), Zipf-distributed, every type seen at least once.
 * Prints the time to compute every statistic and write the CSV. */
#include "framescore.h"
#include "terms.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A pronounceable word for id: syllables, so the stemmer keeps them apart. */
static void word(size_t id, char *out) {
  static const char *const syl[] = {"ba", "ke", "di", "mo", "tu", "ra", "ne",
                                    "pi", "so", "lu", "ga", "fe", "zi", "vo",
                                    "hu", "ja"};
  size_t o = 0;
  out[o++] = 'q';
  do {
    const char *s = syl[id % 16];
    out[o++] = s[0];
    out[o++] = s[1];
    id /= 16;
  } while (id);
  out[o++] = 'x';
  out[o] = '\0';
}

int main(int argc, char **argv) {
  size_t types = argc > 1 ? strtoul(argv[1], NULL, 10) : 500000;
  size_t outlets = argc > 2 ? strtoul(argv[2], NULL, 10) : 20;
  size_t docs_per_outlet = 20, extra = 4 * types;
  gsl_set_error_handler_off();
  fs_error err;
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  fs_ctx *ctx = lex ? fs_ctx_new(lex, &err) : NULL;
  if (!ctx) {
    fprintf(stderr, "terms_bench: %s\n", err.msg);
    return 1;
  }
  /* Zipf draws: rank r with weight 1/r, by inverse transform on a table */
  double *cum = malloc(types * sizeof *cum), total = 0;
  for (size_t r = 0; r < types; r++)
    cum[r] = (total += 1.0 / (double)(r + 1));
  fs_terms terms;
  fs_terms_init(&terms, ctx, FS_VOICES, false);
  srand(7);
  size_t ndocs = outlets * docs_per_outlet;
  size_t per_doc = (types + extra) / ndocs + 1, next_type = 0;
  char *text = malloc(per_doc * 24 + 16);
  char name[32], w[40];
  double t0 = now();
  for (size_t d = 0; d < ndocs; d++) {
    size_t o = 0;
    for (size_t k = 0; k < per_doc; k++) {
      size_t id;
      if (next_type < types && k % 5 == 0) /* every type at least once */
        id = next_type++;
      else {
        double u = (double)rand() / RAND_MAX * total;
        size_t lo = 0, hi = types - 1;
        while (lo < hi) {
          size_t mid = (lo + hi) / 2;
          if (cum[mid] < u)
            lo = mid + 1;
          else
            hi = mid;
        }
        id = lo;
      }
      word(id, w);
      size_t l = strlen(w);
      memcpy(text + o, w, l);
      text[o + l] = ' ';
      o += l + 1;
    }
    fs_doc *doc = fs_doc_analyze(ctx, text, o, &err);
    snprintf(name, sizeof name, "outlet_%02zu", d % outlets);
    fs_terms_add(&terms, name, doc);
    fs_doc_free(doc);
  }
  while (next_type < types) { /* any types left: one more document */
    size_t o = 0;
    for (size_t k = 0; k < per_doc && next_type < types; k++) {
      word(next_type++, w);
      size_t l = strlen(w);
      memcpy(text + o, w, l);
      text[o + l] = ' ';
      o += l + 1;
    }
    fs_doc *doc = fs_doc_analyze(ctx, text, o, &err);
    fs_terms_add(&terms, "outlet_00", doc);
    fs_doc_free(doc);
  }
  double t1 = now();
  fs_terms_opts to = {{NULL, NULL}, 1, false, argc > 4 ? 20 : 0};
  FILE *null = fopen("/dev/null", "w");
  if (fs_terms_run(&terms, &to, &err) != FS_OK) {
    fprintf(stderr, "terms_bench: %s\n", err.msg);
    return 1;
  }
  double t2 = now();
  if (argc > 3) { /* statistics only, for profiling */
    printf("statistics %.2f s\n", t2 - t1);
    return 0;
  }
  fs_render_terms(null, &terms, "text", 20);
  double t3 = now();
  fs_render_terms(null, &terms, "csv", 0);
  fclose(null);
  double t4 = now();
  printf("terms: %zu types x %zu outlets = %zu rows; every statistic %.2f s; "
         "top-20 text %.2f s; full CSV %.2f s (counting the synthetic corpus "
         "%.2f s)\n",
         terms.nterms, outlets, terms.nrows, t2 - t1, t3 - t2, t4 - t3,
         t1 - t0);
  fs_terms_free(&terms);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
  free(cum);
  free(text);
  return 0;
}
