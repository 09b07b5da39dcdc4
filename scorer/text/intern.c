/* SPDX-License-Identifier: GPL-3.0-or-later */
/* intern.c - string interning: open addressing on 64-bit hashes, strings kept
 * in chunks that never move so returned pointers stay valid. */
#include "intern.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_MIN 65536

void fs_intern_init(fs_intern *t) { memset(t, 0, sizeof *t); }

void fs_intern_free(fs_intern *t) {
  if (!t)
    return;
  for (size_t i = 0; i < t->nchunks; i++)
    free(t->chunks[i]);
  free(t->chunks);
  free(t->slots);
  free(t->strs);
  free(t->lens);
  memset(t, 0, sizeof *t);
}

uint64_t fs_hash(const char *s, size_t len) {
  /* eight bytes at a time, multiply-xorshift mixing; short keys dominate */
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)len;
  while (len >= 8) {
    uint64_t v;
    memcpy(&v, s, 8);
    h = (h ^ v) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
    s += 8;
    len -= 8;
  }
  if (len) { /* the tail byte by byte: a variable memcpy is a call */
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++)
      v |= (uint64_t)(unsigned char)s[i] << (8 * i);
    h = (h ^ v) * 0xc4ceb9fe1a85ec53ull;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

/* A slot holds the hash's high 32 bits (a tag that rules out most
 * mismatches without touching the string) and id + 1; 0 is empty. */
static uint32_t lookup(const fs_intern *t, const char *s, size_t len,
                       uint64_t h, size_t *slot) {
  size_t mask = t->nslots - 1;
  uint64_t tag = h >> 32;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    uint64_t v = t->slots[i];
    if (v == 0) {
      *slot = i;
      return UINT32_MAX;
    }
    uint32_t id = (uint32_t)v - 1;
    if ((v >> 32) == tag && t->lens[id] == len && memcmp(t->strs[id], s, len) == 0)
      return id;
  }
}

uint32_t fs_intern_find(const fs_intern *t, const char *s, size_t len) {
  if (t->nslots == 0)
    return UINT32_MAX;
  size_t slot = 0;
  return lookup(t, s, len, fs_hash(s, len), &slot);
}

static int rehash(fs_intern *t, size_t nslots) {
  uint64_t *slots = fs_table_alloc(nslots, sizeof *slots);
  if (!slots)
    return -1;
  /* hashes are recomputed rather than stored: 8 bytes less per string,
   * and growing is rare */
  for (size_t id = 0; id < t->count; id++) {
    uint64_t h = fs_hash(t->strs[id], t->lens[id]);
    size_t i = h & (nslots - 1);
    while (slots[i])
      i = (i + 1) & (nslots - 1);
    slots[i] = (h >> 32) << 32 | ((uint64_t)id + 1);
  }
  free(t->slots);
  t->slots = slots;
  t->nslots = nslots;
  return 0;
}

static char *store(fs_intern *t, const char *s, size_t len) {
  if (!t->chunk || t->chunk_used + len + 1 > t->chunk_size) {
    size_t size = len + 1 > CHUNK_MIN ? len + 1 : CHUNK_MIN;
    if (t->nchunks == t->chunks_cap) {
      size_t cap = t->chunks_cap ? 2 * t->chunks_cap : 16;
      char **c = realloc(t->chunks, cap * sizeof *c);
      if (!c)
        return NULL;
      t->chunks = c;
      t->chunks_cap = cap;
    }
    char *chunk = malloc(size);
    if (!chunk)
      return NULL;
    t->chunks[t->nchunks++] = chunk;
    t->chunk = chunk;
    t->chunk_used = 0;
    t->chunk_size = size;
  }
  char *p = t->chunk + t->chunk_used;
  memcpy(p, s, len);
  p[len] = '\0';
  t->chunk_used += len + 1;
  return p;
}

static int grow_ids(fs_intern *t) {
  size_t cap = t->cap ? 2 * t->cap : 1024;
  char **strs = realloc(t->strs, cap * sizeof *strs);
  if (!strs)
    return -1;
  t->strs = strs;
  uint32_t *lens = realloc(t->lens, cap * sizeof *lens);
  if (!lens)
    return -1;
  t->lens = lens;
  t->cap = cap;
  return 0;
}

uint32_t fs_intern_add(fs_intern *t, const char *s, size_t len) {
  if (len > UINT32_MAX - 1 || t->count >= UINT32_MAX - 1)
    return UINT32_MAX;
  if ((t->count + 1) * 2 > t->nslots &&
      rehash(t, t->nslots ? 2 * t->nslots : 2048) != 0)
    return UINT32_MAX;
  uint64_t h = fs_hash(s, len);
  size_t slot = 0;
  uint32_t id = lookup(t, s, len, h, &slot);
  if (id != UINT32_MAX)
    return id;
  if (t->count == t->cap && grow_ids(t) != 0)
    return UINT32_MAX;
  char *p = store(t, s, len);
  if (!p)
    return UINT32_MAX;
  id = (uint32_t)t->count++;
  t->strs[id] = p;
  t->lens[id] = (uint32_t)len;
  t->slots[slot] = (h >> 32) << 32 | ((uint64_t)id + 1);
  return id;
}
