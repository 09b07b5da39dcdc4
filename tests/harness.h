/* SPDX-License-Identifier: GPL-3.0-or-later */
/* harness.h - a tiny unit-test harness for framescore's C tests.
 * Each check prints the failing file:line and counts; tests end with DONE(). */
#ifndef FS_TEST_HARNESS_H
#define FS_TEST_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int harness_checks, harness_failed;

#define OK(cond, ...)                                                          \
  do {                                                                         \
    harness_checks++;                                                          \
    if (!(cond)) {                                                             \
      harness_failed++;                                                        \
      fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
    }                                                                          \
  } while (0)

#define INT_EQ(got, want)                                                      \
  do {                                                                         \
    long long g_ = (long long)(got), w_ = (long long)(want);                   \
    OK(g_ == w_, "%s = %lld, want %lld", #got, g_, w_);                        \
  } while (0)

#define STR_EQ(got, want)                                                      \
  do {                                                                         \
    const char *g_ = (got), *w_ = (want);                                      \
    OK(g_ && w_ && strcmp(g_, w_) == 0, "%s = \"%s\", want \"%s\"", #got,      \
       g_ ? g_ : "(null)", w_ ? w_ : "(null)");                                \
  } while (0)

/* Relative tolerance check; want == 0 compares absolutely. */
#define NEAR(got, want, rel)                                                   \
  do {                                                                         \
    double g_ = (got), w_ = (want);                                            \
    double d_ = fabs(g_ - w_), s_ = fabs(w_) > 0 ? fabs(w_) : 1.0;             \
    OK((isnan(g_) && isnan(w_)) || d_ <= (rel) * s_,                           \
       "%s = %.17g, want %.17g (rel %.3g)", #got, g_, w_, d_ / s_);            \
  } while (0)

#define DONE()                                                                 \
  do {                                                                         \
    printf("%d checks, %d failed\n", harness_checks, harness_failed);          \
    return harness_failed ? 1 : 0;                                             \
  } while (0)

#endif
