/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_vectors.h - the per-row check the word-vector fuzz targets share:
 * a table read (text or binary) has every word found again at its own row,
 * with finite components of the stored length. */
#ifndef FS_FUZZ_VECTORS_H
#define FS_FUZZ_VECTORS_H

#include "fuzz_common.h"
#include "word_vectors.h"

#include <math.h>

static inline void fuzz_check_vector_rows(const fs_word_vectors *wv) {
  for (uint32_t id = 0; id < wv->words.count; id++) {
    const char *w = fs_intern_str(&wv->words, id);
    size_t wl = fs_intern_len(&wv->words, id);
    const float *v = fs_word_vectors_find(wv, w, wl);
    FUZZ_CHECK(v == wv->v + (size_t)id * wv->dim);
    double ss = 0;
    for (unsigned d = 0; d < wv->dim; d++) {
      FUZZ_CHECK(isfinite(v[d]));
      ss += (double)v[d] * v[d];
    }
    FUZZ_CHECK(wv->norm[id] == sqrt(ss));
  }
}

#endif
