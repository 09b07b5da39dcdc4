/* SPDX-License-Identifier: GPL-3.0-or-later */
/* form_share.c - what the contexts of one run (one per thread, one
 * language) learn of new word forms, shared without a lock: each context
 * appends the forms it stemmed to a log of its own (single writer, the
 * count published with release), and a context meeting a form new to it
 * looks it up among the others' logs before stemming it. Its tables get
 * the same stem and lexicon side that stemming would give (a function of
 * the folded form, the lexicon and the language), under ids of its own, so
 * nothing a context numbers changes; only the stemmer and the trie walk
 * are not run twice for a form. */
#include "internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define SHARE_MAX 16           /* members of a group that publish and read */
#define BLOCK_BITS 12          /* entries per block: 4096 */
#define SHARE_BLOCKS 4096      /* blocks per log: 2^24 forms at most */
#define ARENA_MIN (256u << 10) /* bytes per arena chunk */

/* A form one member stemmed: its strings and lexicon side are copies in
 * the member's arena, which lives as long as the group. */
typedef struct share_entry {
  uint64_t hash; /* fs_hash of the form */
  const char *form, *stem;
  const fs_form *lex; /* NULL: no lexicon side; else f.nroot trie nodes
                         follow it (f.root is not used) */
  uint32_t form_len, stem_len;
  uint8_t bits; /* its fs_ctx.form_bits */
} share_entry;

struct fs_share_member {
  fs_form_share *s;
  size_t self; /* its index in the group */
  /* the log: written by the member's context only */
  _Atomic size_t count;
  share_entry *blocks[SHARE_BLOCKS];
  char **chunks; /* arena */
  size_t nchunks, chunks_cap;
  char *chunk;
  size_t chunk_used, chunk_size;
  /* the others' entries it has read: hash tag << 32 | (member << 24 | i)
   * + 1, 0 empty */
  uint64_t *slots;
  size_t nslots, nindexed;
  size_t seen[SHARE_MAX];
};

struct fs_form_share {
  pthread_mutex_t mu; /* joining */
  _Atomic size_t n;
  fs_share_member *m[SHARE_MAX];
};

fs_form_share *fs_form_share_new(void) {
  fs_form_share *s = calloc(1, sizeof *s);
  if (s)
    pthread_mutex_init(&s->mu, NULL);
  return s;
}

void fs_form_share_free(fs_form_share *s) {
  if (!s)
    return;
  size_t n = atomic_load(&s->n);
  for (size_t i = 0; i < n; i++) {
    fs_share_member *m = s->m[i];
    for (size_t b = 0; b < SHARE_BLOCKS && m->blocks[b]; b++)
      free(m->blocks[b]);
    for (size_t c = 0; c < m->nchunks; c++)
      free(m->chunks[c]);
    free(m->chunks);
    free(m->slots);
    free(m);
  }
  pthread_mutex_destroy(&s->mu);
  free(s);
}

int fs_form_share_join(fs_form_share *s, fs_ctx *ctx) {
  fs_share_member *m = calloc(1, sizeof *m);
  if (!m)
    return FS_ERR_NOMEM;
  m->s = s;
  pthread_mutex_lock(&s->mu);
  size_t n = atomic_load_explicit(&s->n, memory_order_relaxed);
  if (n == SHARE_MAX) {
    pthread_mutex_unlock(&s->mu);
    free(m);
    return FS_OK; /* a full group: this context learns alone */
  }
  m->self = n;
  s->m[n] = m;
  atomic_store_explicit(&s->n, n + 1, memory_order_release);
  pthread_mutex_unlock(&s->mu);
  ctx->share = m;
  return FS_OK;
}

fs_form_share *fs_ctx_form_share(const fs_ctx *ctx) {
  return ctx->share ? ctx->share->s : NULL;
}

void fs_form_share_leave(fs_ctx *ctx) { ctx->share = NULL; }

static const share_entry *entry(const fs_share_member *m, size_t i) {
  return &m->blocks[i >> BLOCK_BITS][i & ((1u << BLOCK_BITS) - 1)];
}

static int grow_index(fs_share_member *m) {
  size_t nslots = m->nslots ? 2 * m->nslots : 4096;
  uint64_t *slots = fs_table_alloc(nslots, sizeof *slots);
  if (!slots)
    return -1;
  for (size_t i = 0; i < m->nslots; i++) {
    uint64_t v = m->slots[i];
    if (!v)
      continue;
    uint32_t ref = (uint32_t)v - 1;
    uint64_t h = entry(m->s->m[ref >> 24], ref & 0xffffff)->hash;
    size_t j = h & (nslots - 1);
    while (slots[j])
      j = (j + 1) & (nslots - 1);
    slots[j] = v;
  }
  free(m->slots);
  m->slots = slots;
  m->nslots = nslots;
  return 0;
}

/* Indexes what the other members published since m last looked. */
static int catch_up(fs_share_member *m) {
  fs_form_share *s = m->s;
  size_t n = atomic_load_explicit(&s->n, memory_order_acquire);
  for (size_t k = 0; k < n; k++) {
    if (k == m->self)
      continue;
    const fs_share_member *o = s->m[k];
    size_t upto = atomic_load_explicit(&o->count, memory_order_acquire);
    for (size_t i = m->seen[k]; i < upto; i++) {
      if ((m->nindexed + 1) * 2 > m->nslots && grow_index(m))
        return -1;
      uint64_t h = entry(o, i)->hash;
      size_t j = h & (m->nslots - 1);
      while (m->slots[j])
        j = (j + 1) & (m->nslots - 1);
      m->slots[j] = (h >> 32) << 32 | ((uint64_t)(k << 24 | i) + 1);
      m->nindexed++;
    }
    m->seen[k] = upto;
  }
  return 0;
}

/* Another member's entry for form, or NULL. */
static const share_entry *find(fs_share_member *m, const char *form,
                               size_t len) {
  if (catch_up(m) || !m->nslots)
    return NULL;
  uint64_t h = fs_hash(form, len);
  size_t mask = m->nslots - 1;
  for (size_t j = h & mask;; j = (j + 1) & mask) {
    uint64_t v = m->slots[j];
    if (!v)
      return NULL;
    if ((v >> 32) != h >> 32)
      continue;
    uint32_t ref = (uint32_t)v - 1;
    const share_entry *e = entry(m->s->m[ref >> 24], ref & 0xffffff);
    if (e->form_len == len && memcmp(e->form, form, len) == 0)
      return e;
  }
}

int fs_form_share_adopt(fs_ctx *ctx, uint32_t id, const char *form,
                        size_t len) {
  const share_entry *e = find(ctx->share, form, len);
  if (!e)
    return 0;
  uint32_t stem = fs_intern_add(&ctx->stems, e->stem, e->stem_len);
  if (stem == FS_NONE)
    return -1;
  ctx->form_stem[id] = stem;
  ctx->form_bits[id] = e->bits;
  ctx->form_lex[id] = FS_NONE;
  if (!e->lex)
    return 1;
  fs_form f = *e->lex;
  if (fs_grow(&ctx->roots, &ctx->roots_cap, ctx->nroots + f.nroot + 1,
              sizeof *ctx->roots))
    return -1;
  f.root = (uint32_t)ctx->nroots;
  memcpy(ctx->roots + ctx->nroots, e->lex + 1, f.nroot * sizeof *ctx->roots);
  ctx->nroots += f.nroot;
  return fs_ctx_set_lexform(ctx, id, &f) ? -1 : 1;
}

/* n bytes of m's arena, 8-aligned, or NULL. */
static void *arena(fs_share_member *m, size_t n) {
  n = (n + 7) & ~(size_t)7;
  if (!m->chunk || m->chunk_used + n > m->chunk_size) {
    size_t size = n > ARENA_MIN ? n : ARENA_MIN;
    if (fs_grow(&m->chunks, &m->chunks_cap, m->nchunks + 1, sizeof *m->chunks))
      return NULL;
    if (!(m->chunk = malloc(size)))
      return NULL;
    m->chunks[m->nchunks++] = m->chunk;
    m->chunk_used = 0;
    m->chunk_size = size;
  }
  void *p = m->chunk + m->chunk_used;
  m->chunk_used += n;
  return p;
}

void fs_form_share_publish(fs_ctx *ctx, uint32_t id) {
  fs_share_member *m = ctx->share;
  size_t i = atomic_load_explicit(&m->count, memory_order_relaxed);
  size_t b = i >> BLOCK_BITS;
  if (b >= SHARE_BLOCKS)
    return; /* full: the others stem what comes after */
  if (!m->blocks[b] &&
      !(m->blocks[b] = malloc(sizeof(share_entry) << BLOCK_BITS)))
    return;
  const char *form = fs_intern_str(&ctx->forms, id);
  size_t flen = fs_intern_len(&ctx->forms, id);
  uint32_t stem = ctx->form_stem[id];
  const char *st = fs_intern_str(&ctx->stems, stem);
  size_t slen = fs_intern_len(&ctx->stems, stem);
  const fs_form *f =
      ctx->form_lex[id] == FS_NONE ? NULL : &ctx->lexforms[ctx->form_lex[id]];
  size_t lexbytes = f ? sizeof *f + f->nroot * sizeof *ctx->roots : 0;
  char *p = arena(m, lexbytes + flen + slen + 2);
  if (!p)
    return;
  share_entry *e = &m->blocks[b][i & ((1u << BLOCK_BITS) - 1)];
  e->lex = NULL;
  if (f) {
    memcpy(p, f, sizeof *f);
    if (f->nroot) /* no roots: ctx->roots may still be NULL */
      memcpy(p + sizeof *f, ctx->roots + f->root,
             f->nroot * sizeof *ctx->roots);
    e->lex = (const fs_form *)p;
    p += lexbytes;
  }
  memcpy(p, form, flen + 1);
  e->form = p;
  memcpy(p + flen + 1, st, slen + 1);
  e->stem = p + flen + 1;
  e->form_len = (uint32_t)flen;
  e->stem_len = (uint32_t)slen;
  e->bits = ctx->form_bits[id];
  e->hash = fs_hash(form, flen);
  /* the entry and its strings before the count that shows them */
  atomic_store_explicit(&m->count, i + 1, memory_order_release);
}
