/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_vectors_bin.c - libFuzzer target: the binary word-vector reader
 * (word_vectors_bin.c), versions 1 and 2, read whole and lazily. A rejected
 * buffer says "fuzz.bin: what" (no line); an accepted one has every word
 * found again at its row with finite components of the stored length,
 * writes back to the same bytes (version 2; version 1 to the same table),
 * and cut at one row keeps at most one word with that row's digest. A lazy
 * read never crashes, and accepts what the whole read accepts. */
#include "fuzz_vectors.h"

static int read_bin(fs_word_vectors *wv, const uint8_t *data, size_t size,
                    size_t max_words, bool lazy, fs_error *err) {
  fs_word_vectors_init(wv);
  wv->marks = !lazy;
  wv->lazy = lazy;
  memset(err, 0, sizeof *err);
  return fs_word_vectors_read_binary(wv, "fuzz.bin", -1, size,
                                     (const char *)data, size, max_words,
                                     err);
}

/* Read lazily (version 2: the stored index used in place, rows checked
 * when looked up): never a crash; what the whole read accepts is accepted
 * too, with every row intact. */
static void lazily(const uint8_t *data, size_t size, bool accepted) {
  fs_error err;
  fs_word_vectors wv;
  int rc = read_bin(&wv, data, size, 0, true, &err);
  FUZZ_CHECK(rc == FS_OK || (!accepted && rc == FS_ERR_INPUT));
  for (uint32_t id = 0; rc == FS_OK && id < wv.words.count; id++) {
    uint32_t got = fs_word_vectors_row(&wv, fs_intern_str(&wv.words, id),
                                       fs_intern_len(&wv.words, id));
    FUZZ_CHECK(got == id || (!accepted && got == FS_NONE) ||
               (!accepted && got < wv.words.count));
  }
  FUZZ_CHECK(!accepted || fs_word_vectors_intact(&wv, &err) == FS_OK);
  fs_word_vectors_free(&wv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fs_error err;
  fs_word_vectors wv, cut;
  int rc = read_bin(&wv, data, size, 0, false, &err);
  lazily(data, size, rc == FS_OK);
  if (rc != FS_OK) {
    FUZZ_CHECK(rc == FS_ERR_INPUT);
    FUZZ_CHECK(err.msg[0] && !strcmp(err.file, "fuzz.bin") && err.line == 0);
    fs_word_vectors_free(&wv);
    return 0;
  }
  FUZZ_CHECK(wv.words.count == 0 ||
             (wv.dim >= 1 && wv.dim <= FS_VECTORS_DIM_MAX));
  fuzz_check_vector_rows(&wv);
  char *out = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&out, &n);
  FUZZ_CHECK(f && fs_word_vectors_write(&wv, f) == FS_OK);
  fclose(f);
  if (data[8] == FS_VECTORS_VERSION) { /* the same bytes */
    FUZZ_CHECK(n == size && !memcmp(out, data, size));
  } else { /* version 1, written as 2: the same table */
    fs_word_vectors again;
    FUZZ_CHECK(read_bin(&again, (const uint8_t *)out, n, 0, false, &err) ==
               FS_OK);
    FUZZ_CHECK(again.digest == wv.digest &&
               again.words.count == wv.words.count &&
               again.skipped == wv.skipped);
    fs_word_vectors_free(&again);
  }
  free(out);
  FUZZ_CHECK(read_bin(&cut, data, size, 1, false, &err) == FS_OK);
  FUZZ_CHECK(cut.words.count <= 1);
  FUZZ_CHECK(!cut.words.count || cut.digest == wv.mark_digest[0]);
  fs_word_vectors_free(&cut);
  fs_word_vectors_free(&wv);
  return 0;
}
