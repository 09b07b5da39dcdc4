/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_vectors_bin.c - libFuzzer target: the binary word-vector reader
 * (word_vectors_bin.c). A rejected buffer says "fuzz.bin: what" (no line);
 * an accepted one has every word found again at its row with finite
 * components of the stored length, writes back to the same bytes, and cut
 * at one row keeps at most one word with that row's digest. */
#include "fuzz_common.h"
#include "word_vectors.h"

#include <math.h>

static int read_bin(fs_word_vectors *wv, const uint8_t *data, size_t size,
                    size_t max_words, fs_error *err) {
  fs_word_vectors_init(wv);
  wv->marks = true;
  memset(err, 0, sizeof *err);
  return fs_word_vectors_read_binary(wv, "fuzz.bin", -1, size,
                                     (const char *)data, size, max_words,
                                     err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fs_error err;
  fs_word_vectors wv, cut;
  int rc = read_bin(&wv, data, size, 0, &err);
  if (rc != FS_OK) {
    FUZZ_CHECK(rc == FS_ERR_INPUT);
    FUZZ_CHECK(err.msg[0] && !strcmp(err.file, "fuzz.bin") && err.line == 0);
    fs_word_vectors_free(&wv);
    return 0;
  }
  FUZZ_CHECK(wv.words.count == 0 ||
             (wv.dim >= 1 && wv.dim <= FS_VECTORS_DIM_MAX));
  for (uint32_t id = 0; id < wv.words.count; id++) {
    const char *w = fs_intern_str(&wv.words, id);
    size_t wl = fs_intern_len(&wv.words, id);
    const float *v = fs_word_vectors_find(&wv, w, wl);
    FUZZ_CHECK(v == wv.v + (size_t)id * wv.dim);
    double ss = 0;
    for (unsigned d = 0; d < wv.dim; d++) {
      FUZZ_CHECK(isfinite(v[d]));
      ss += (double)v[d] * v[d];
    }
    FUZZ_CHECK(wv.norm[id] == sqrt(ss));
  }
  char *out = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&out, &n);
  FUZZ_CHECK(f && fs_word_vectors_write(&wv, f) == FS_OK);
  fclose(f);
  FUZZ_CHECK(n == size && !memcmp(out, data, size));
  free(out);
  FUZZ_CHECK(read_bin(&cut, data, size, 1, &err) == FS_OK);
  FUZZ_CHECK(cut.words.count <= 1);
  FUZZ_CHECK(!cut.words.count || cut.digest == wv.mark_digest[0]);
  fs_word_vectors_free(&cut);
  fs_word_vectors_free(&wv);
  return 0;
}
