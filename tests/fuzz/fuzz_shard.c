/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_shard.c - libFuzzer target: counts files of count and merge. The
 * input is the uncompressed stream, compressed here so that the fuzzer
 * reaches the parser; it is read in pieces of a size the first byte
 * chooses. A rejected file names itself and a byte offset; an accepted one
 * merges to a file that merges to itself again (a fixpoint), and its term
 * statistics run. */
#include "fuzz_common.h"
#include "shard.h"

#include <zstd.h>

typedef struct mem {
  const unsigned char *p;
  size_t len, pos, chunk;
} mem;

static ssize_t mem_read(void *user, void *buf, size_t cap) {
  mem *m = user;
  size_t n = m->len - m->pos;
  n = n < cap ? n : cap;
  n = n < m->chunk ? n : m->chunk;
  memcpy(buf, m->p + m->pos, n);
  m->pos += n;
  return (ssize_t)n;
}

static int write_doc(void *user, const fs_shard_doc *d, const fs_terms *t) {
  return fs_shard_write_doc(user, d, t);
}

/* Merges one compressed file into *out (NULL when refused). */
static int merge_one(const unsigned char *z, size_t zlen, size_t chunk,
                     char **out, size_t *outlen, fs_error *err) {
  mem m = {z, zlen, 0, chunk};
  fs_shard_source src = {"c.fsc", mem_read, &m};
  fs_shard_merge *mg = fs_shard_merge_new(&src, 1, err);
  *out = NULL;
  if (!mg)
    return FS_ERR_INPUT;
  FILE *f = open_memstream(out, outlen);
  FUZZ_CHECK(f);
  fs_shard_writer *w = fs_shard_writer_new(f, fs_shard_merge_meta(mg), 1);
  FUZZ_CHECK(w);
  int rc = fs_shard_merge_run(mg, write_doc, w, err);
  if (rc == FS_OK) {
    FUZZ_CHECK(fs_shard_write_end(w, fs_shard_merge_terms(mg)) == FS_OK);
    fs_terms_opts to = {{NULL, NULL}, 1, false, 5, NULL, NULL, NULL};
    fs_error e2 = {0};
    int trc = fs_terms_run(fs_shard_merge_terms(mg), &to, &e2);
    FUZZ_CHECK(trc == FS_OK || trc == FS_ERR_USAGE);
  }
  fs_shard_writer_free(w);
  fs_shard_merge_free(mg);
  fclose(f);
  if (rc) {
    free(*out);
    *out = NULL;
  }
  return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  size_t chunk = size ? (size_t)data[0] % 97 + 1 : 1;
  size_t cap = ZSTD_compressBound(size);
  unsigned char *z = malloc(cap ? cap : 1);
  FUZZ_CHECK(z);
  size_t zlen = ZSTD_compress(z, cap, data, size, 1);
  FUZZ_CHECK(!ZSTD_isError(zlen));
  fs_error err = {0};
  char *a = NULL, *b = NULL;
  size_t alen = 0, blen = 0;
  int rc = merge_one(z, zlen, chunk, &a, &alen, &err);
  if (rc) {
    FUZZ_CHECK(!strcmp(err.file, "c.fsc") && err.msg[0]);
  } else {
    rc = merge_one((unsigned char *)a, alen, 4096, &b, &blen, &err);
    if (rc)
      fprintf(stderr, "a merged file does not read back: %s: %s\n", err.file,
              err.msg);
    FUZZ_CHECK(rc == FS_OK);
    FUZZ_CHECK(alen == blen && !memcmp(a, b, alen));
  }
  free(a), free(b), free(z);
  return 0;
}
