/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_vectors.c - libFuzzer target: the word-vector reader
 * (word_vectors.c). A rejected buffer says where (file, line >= 1, col >=
 * 1) and what; an accepted one has one dimension for every row, every word
 * found again with finite components of the stored length, and reads to
 * the same digest twice;
 * a max_words cut keeps at most that many rows. */
#include "fuzz_vectors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  fs_error err = {0};
  fs_word_vectors wv, again;
  fs_word_vectors_init(&wv);
  int rc = fs_word_vectors_parse(&wv, "fuzz.vec", text, size, 0, &err);
  if (rc != FS_OK) {
    FUZZ_CHECK(rc == FS_ERR_INPUT);
    FUZZ_CHECK(err.msg[0] && !strcmp(err.file, "fuzz.vec"));
    FUZZ_CHECK(err.line >= 1 && err.col >= 1);
    fs_word_vectors_free(&wv);
    return 0;
  }
  FUZZ_CHECK(wv.words.count == 0 ||
             (wv.dim >= 1 && wv.dim <= FS_VECTORS_DIM_MAX));
  fuzz_check_vector_rows(&wv);
  fs_word_vectors_init(&again);
  FUZZ_CHECK(fs_word_vectors_parse(&again, "fuzz.vec", text, size, 0, &err) ==
             FS_OK);
  FUZZ_CHECK(again.digest == wv.digest && again.words.count == wv.words.count);
  fs_word_vectors_free(&again);
  fs_word_vectors_init(&again);
  FUZZ_CHECK(fs_word_vectors_parse(&again, "fuzz.vec", text, size, 1, &err) ==
             FS_OK);
  FUZZ_CHECK(again.words.count <= 1);
  fs_word_vectors_free(&again);
  fs_word_vectors_free(&wv);
  return 0;
}
