/* SPDX-License-Identifier: GPL-3.0-or-later */
/* share.c - a vocabulary shared by the contexts of one language on several
 * threads: new form -> its stem and lexicon candidates, published once by
 * whichever context met the form first, read by the others without a lock.
 *
 * An open-addressing table of pointers to records that never move or
 * change once published: a writer (under the mutex) fills a record, then
 * stores its pointer into a slot with release order; a reader loads the
 * table and the slot with acquire order and so sees the whole record. A
 * full table is copied into one twice the size and published the same
 * way; the old one stays until the share is freed, as a reader may still
 * be probing it (the old tables add up to less than the current one). */
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define SHARE_MIN_SLOTS 4096
#define SHARE_CHUNK (256u << 10)

typedef struct share_table {
  size_t mask;
  _Atomic(const fs_shared_form *) slots[];
} share_table;

struct fs_vocab_share {
  const fs_lexicon *lex;
  uint8_t lang;
  pthread_mutex_t mu;
  _Atomic(share_table *) table;
  atomic_size_t count; /* forms published (written under mu) */
  size_t bytes;        /* records' bytes (mu), bounded */
  share_table **old;   /* tables replaced by bigger ones (mu) */
  size_t nold, old_cap;
  char **chunks;       /* record storage (mu) */
  size_t nchunks, chunks_cap;
  size_t chunk_used;   /* of chunks[nchunks - 1] */
};

static share_table *table_new(size_t nslots) {
  if (nslots > (SIZE_MAX - sizeof(share_table)) / sizeof(void *))
    return NULL;
  share_table *t =
      fs_table_alloc(1, sizeof(share_table) + nslots * sizeof t->slots[0]);
  if (t)
    t->mask = nslots - 1;
  return t;
}

fs_vocab_share *fs_vocab_share_new(const fs_lexicon *lex, const char *lang,
                                   fs_error *err) {
  long k = fs_lexicon_lang_find(lex, lang);
  if (k < 0) {
    fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                 "the lexicon has no language '%s'", lang ? lang : "");
    return NULL;
  }
  fs_vocab_share *s = calloc(1, sizeof *s);
  share_table *t = table_new(SHARE_MIN_SLOTS);
  if (!s || !t || pthread_mutex_init(&s->mu, NULL)) {
    free(s);
    free(t);
    fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  s->lex = lex;
  s->lang = (uint8_t)k;
  atomic_init(&s->table, t);
  return s;
}

void fs_vocab_share_free(fs_vocab_share *s) {
  if (!s)
    return;
  free(atomic_load_explicit(&s->table, memory_order_relaxed));
  for (size_t i = 0; i < s->nold; i++)
    free(s->old[i]);
  free(s->old);
  for (size_t i = 0; i < s->nchunks; i++)
    free(s->chunks[i]);
  free(s->chunks);
  pthread_mutex_destroy(&s->mu);
  free(s);
}

int fs_ctx_share_vocab(fs_ctx *ctx, fs_vocab_share *s) {
  if (s && (s->lex != ctx->lex || s->lang != ctx->lang))
    return FS_ERR_USAGE;
  ctx->share = s;
  return FS_OK;
}

size_t fs_vocab_share_count(const fs_vocab_share *s) {
  return atomic_load_explicit((atomic_size_t *)&s->count,
                              memory_order_relaxed);
}

static bool same_form(const fs_shared_form *e, const char *form, size_t flen,
                      uint64_t h) {
  return e->hash == h && e->flen == flen &&
         memcmp(fs_shared_form_str(e), form, flen) == 0;
}

const fs_shared_form *fs_vocab_share_find(const fs_vocab_share *s,
                                          const char *form, size_t flen,
                                          uint64_t h) {
  share_table *t = atomic_load_explicit(
      (_Atomic(share_table *) *)&s->table, memory_order_acquire);
  for (size_t i = h & t->mask;; i = (i + 1) & t->mask) {
    const fs_shared_form *e =
        atomic_load_explicit(&t->slots[i], memory_order_acquire);
    if (!e || same_form(e, form, flen, h))
      return e;
  }
}

/* Into t, whose slots only the mutex holder writes: the slot for h. */
static size_t free_slot(share_table *t, uint64_t h) {
  size_t i = h & t->mask;
  while (atomic_load_explicit(&t->slots[i], memory_order_relaxed))
    i = (i + 1) & t->mask;
  return i;
}

/* Publishes a table twice the size of t holding its records (mu held). */
static int grow(fs_vocab_share *s, share_table *t) {
  if (s->nold == s->old_cap &&
      fs_grow(&s->old, &s->old_cap, s->nold + 1, sizeof *s->old))
    return -1;
  share_table *n = table_new(2 * (t->mask + 1));
  if (!n)
    return -1;
  for (size_t i = 0; i <= t->mask; i++) {
    const fs_shared_form *e =
        atomic_load_explicit(&t->slots[i], memory_order_relaxed);
    if (e)
      atomic_store_explicit(&n->slots[free_slot(n, e->hash)], e,
                            memory_order_relaxed);
  }
  s->old[s->nold++] = t;
  atomic_store_explicit(&s->table, n, memory_order_release);
  return 0;
}

/* size bytes of record storage, 8-byte aligned (mu held); NULL when out of
 * memory. */
static void *carve(fs_vocab_share *s, size_t size) {
  size = (size + 7) & ~(size_t)7;
  if (!s->nchunks || s->chunk_used + size > SHARE_CHUNK) {
    if (s->nchunks == s->chunks_cap &&
        fs_grow(&s->chunks, &s->chunks_cap, s->nchunks + 1, sizeof *s->chunks))
      return NULL;
    char *c = malloc(size > SHARE_CHUNK ? size : SHARE_CHUNK);
    if (!c)
      return NULL;
    s->chunks[s->nchunks++] = c;
    s->chunk_used = 0;
  }
  void *p = s->chunks[s->nchunks - 1] + s->chunk_used;
  s->chunk_used += size;
  return p;
}

int fs_vocab_share_put(fs_vocab_share *s, uint64_t h, const char *form,
                       size_t flen, const char *stem, size_t slen,
                       const fs_form *f, const uint32_t *roots,
                       uint8_t flags) {
  size_t size = sizeof(fs_shared_form) + f->nroot * sizeof(uint32_t) +
                flen + slen + 2;
  int rc = 0;
  pthread_mutex_lock(&s->mu);
  share_table *t = atomic_load_explicit(&s->table, memory_order_relaxed);
  size_t i = h & t->mask;
  for (;; i = (i + 1) & t->mask) {
    const fs_shared_form *e =
        atomic_load_explicit(&t->slots[i], memory_order_relaxed);
    if (!e)
      break;
    if (same_form(e, form, flen, h))
      goto done; /* another context published it first */
  }
  if (s->bytes + size > FS_VOCAB_SHARE_MAX_BYTES)
    goto done;
  size_t count = atomic_load_explicit(&s->count, memory_order_relaxed);
  if ((count + 1) * 2 > t->mask + 1) { /* at most half full */
    if (grow(s, t)) {
      rc = -1;
      goto done;
    }
    t = atomic_load_explicit(&s->table, memory_order_relaxed);
    i = free_slot(t, h);
  }
  fs_shared_form *e = carve(s, size);
  if (!e) {
    rc = -1;
    goto done;
  }
  e->hash = h;
  e->flen = (uint32_t)flen;
  e->slen = (uint32_t)slen;
  e->lex_stem = f->lex_stem;
  e->lex_form = f->lex_form;
  e->nroot = f->nroot;
  e->flags = flags;
  e->cased = f->cased;
  if (f->nroot)
    memcpy(e->roots, roots, f->nroot * sizeof *roots);
  char *str = (char *)(e->roots + e->nroot);
  memcpy(str, form, flen);
  str[flen] = '\0';
  memcpy(str + flen + 1, stem, slen);
  str[flen + 1 + slen] = '\0';
  s->bytes += size;
  atomic_store_explicit(&s->count, count + 1, memory_order_relaxed);
  atomic_store_explicit(&t->slots[i], e, memory_order_release);
done:
  pthread_mutex_unlock(&s->mu);
  return rc;
}
