/* SPDX-License-Identifier: GPL-3.0-or-later */
/* intern.h - an open-addressing string intern table: each distinct string gets
 * a dense id; strings live in chunked storage that never moves. */
#ifndef FS_INTERN_H
#define FS_INTERN_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define FS_HUGE_PAGE ((size_t)2 << 20)

/* Zeroed memory for a hash table, written at once: calloc hands out
 * untouched pages that fault on the first read and again (with a TLB flush
 * on every core the process runs on) on the first write, which made
 * growing tables a fifth of the extra cost of a second worker thread. */
static inline void *fs_table_alloc(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size)
    return NULL;
  size_t bytes = n * size;
  void *p = NULL;
  if (bytes >= FS_HUGE_PAGE) {
    /* big tables are probed at random: on 2 MiB pages where the kernel
     * gives them, a probe costs a cache miss without a TLB miss too */
    if (posix_memalign(&p, FS_HUGE_PAGE, bytes))
      return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, bytes, MADV_HUGEPAGE);
#endif
  } else {
    p = malloc(bytes ? bytes : 1);
  }
  if (p) /* not memset: compilers turn malloc + memset into calloc */
    explicit_bzero(p, bytes);
  return p;
}

typedef struct fs_intern {
  uint64_t *slots;   /* hash tag << 32 | id + 1; 0 = empty */
  size_t nslots;     /* power of two */
  char **strs;       /* id -> NUL-terminated string */
  uint32_t *lens;    /* id -> length */
  size_t count, cap;
  char *chunk;       /* current storage chunk */
  size_t chunk_used, chunk_size;
  char **chunks;     /* every chunk, for freeing */
  size_t nchunks, chunks_cap;
} fs_intern;

void fs_intern_init(fs_intern *t);
void fs_intern_free(fs_intern *t);
/* Also the binary vectors file's index hash (word_vectors.h, version 2):
 * changing it needs a new format version. */
uint64_t fs_hash(const char *s, size_t len);
/* Returns the id of s, adding it when absent; FS_NONE (UINT32_MAX) on out of
 * memory. */
uint32_t fs_intern_add(fs_intern *t, const char *s, size_t len);
/* Returns the id of s or UINT32_MAX when absent. */
uint32_t fs_intern_find(const fs_intern *t, const char *s, size_t len);
static inline const char *fs_intern_str(const fs_intern *t, uint32_t id) {
  return t->strs[id];
}
static inline size_t fs_intern_len(const fs_intern *t, uint32_t id) {
  return t->lens[id];
}

#endif
