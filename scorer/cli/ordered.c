/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ordered.c - records rendered to text on several threads and written in
 * the order they came (terms' csv and jsonl rows: millions of rows whose
 * numbers cost more to format than to compute). */
#include "cli.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_ITEMS 2048      /* records rendered at once */
#define CHUNKS_PER_THREAD 4   /* chunks in flight per thread */

typedef struct chunk {
  char *items; /* CHUNK_ITEMS records */
  size_t n;
  FILE *f;     /* memory stream of the rendered text */
  char *buf;
  size_t size;
  int state;   /* FREE, FULL (to render) or DONE (rendered) */
  int rc;
} chunk;

enum { FREE, FULL, DONE };

struct cli_ordered {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  chunk *ring;
  size_t nring;
  size_t filled, taken, written; /* chunks handed over, taken, written */
  bool stop;
  FILE *out;
  size_t size;
  cli_item_fn fn;
  void *user;
  pthread_t *threads;
  size_t nthreads;
  int rc;
};

/* Renders a chunk's records into its memory stream (outside the lock). */
static void render(cli_ordered *q, chunk *c) {
  c->rc = FS_OK;
  if (!c->f || fseeko(c->f, 0, SEEK_SET)) {
    if (c->f)
      fclose(c->f);
    free(c->buf);
    c->buf = NULL;
    c->size = 0;
    c->f = open_memstream(&c->buf, &c->size);
  }
  if (!c->f) {
    c->rc = FS_ERR_NOMEM;
    return;
  }
  for (size_t i = 0; i < c->n; i++)
    q->fn(q->user, c->f, c->items + i * q->size);
  /* the size is the stream's position once flushed */
  if (fflush(c->f))
    c->rc = FS_ERR_NOMEM;
}

/* Takes the next full chunk and renders it (q->mu held, and held again on
 * return). */
static void take_one(cli_ordered *q) {
  chunk *c = &q->ring[q->taken++ % q->nring];
  pthread_mutex_unlock(&q->mu);
  render(q, c);
  pthread_mutex_lock(&q->mu);
  c->state = DONE;
  pthread_cond_broadcast(&q->cv);
}

static void *work(void *arg) {
  cli_ordered *q = arg;
  cli_memory_thread();
  pthread_mutex_lock(&q->mu);
  for (;;) {
    while (!q->stop && q->taken == q->filled)
      pthread_cond_wait(&q->cv, &q->mu);
    if (q->taken == q->filled)
      break;
    take_one(q);
  }
  pthread_mutex_unlock(&q->mu);
  return NULL;
}

/* Writes the rendered chunks that are next in order (q->mu held). */
static void write_done(cli_ordered *q) {
  while (q->written < q->filled) {
    chunk *c = &q->ring[q->written % q->nring];
    if (c->state != DONE)
      return;
    pthread_mutex_unlock(&q->mu);
    if (c->rc == FS_OK)
      fwrite(c->buf, 1, c->size, q->out);
    else
      q->rc = c->rc;
    pthread_mutex_lock(&q->mu);
    c->state = FREE;
    c->n = 0;
    q->written++;
  }
}

cli_ordered *cli_ordered_new(FILE *out, size_t threads, size_t size,
                             cli_item_fn fn, void *user) {
  if (threads < 2 || size == 0)
    return NULL;
  cli_ordered *q = calloc(1, sizeof *q);
  if (!q)
    return NULL;
  q->out = out, q->size = size, q->fn = fn, q->user = user;
  q->nring = threads * CHUNKS_PER_THREAD;
  q->ring = calloc(q->nring, sizeof *q->ring);
  q->threads = calloc(threads - 1, sizeof *q->threads);
  bool ok = q->ring && q->threads;
  for (size_t i = 0; ok && i < q->nring; i++)
    ok = (q->ring[i].items = malloc(CHUNK_ITEMS * size)) != NULL;
  pthread_mutex_init(&q->mu, NULL);
  pthread_cond_init(&q->cv, NULL);
  for (; ok && q->nthreads < threads - 1; q->nthreads++)
    if (pthread_create(&q->threads[q->nthreads], NULL, work, q))
      break;
  if (!ok || q->nthreads == 0) {
    cli_ordered_finish(q);
    return NULL;
  }
  return q;
}

/* Writes chunks in order until `target` of them are written, rendering
 * one itself whenever none is ready and one is left to take (q->mu held). */
static void write_until(cli_ordered *q, size_t target) {
  for (;;) {
    write_done(q);
    if (q->written >= target)
      return;
    if (q->taken < q->filled)
      take_one(q);
    else
      pthread_cond_wait(&q->cv, &q->mu);
  }
}

/* Hands the chunk being filled to the renderers and waits until the next
 * slot of the ring is free (its chunk written). */
static void submit(cli_ordered *q) {
  pthread_mutex_lock(&q->mu);
  q->ring[q->filled % q->nring].state = FULL;
  q->filled++;
  pthread_cond_broadcast(&q->cv);
  write_until(q, q->filled >= q->nring ? q->filled - q->nring + 1 : 0);
  pthread_mutex_unlock(&q->mu);
}

void cli_ordered_add(cli_ordered *q, const void *item) {
  chunk *c = &q->ring[q->filled % q->nring];
  memcpy(c->items + c->n * q->size, item, q->size);
  if (++c->n == CHUNK_ITEMS)
    submit(q);
}

int cli_ordered_finish(cli_ordered *q) {
  if (!q)
    return FS_OK;
  if (q->ring && q->ring[q->filled % q->nring].n > 0)
    submit(q);
  pthread_mutex_lock(&q->mu);
  q->stop = true;
  pthread_cond_broadcast(&q->cv);
  write_until(q, q->filled);
  pthread_mutex_unlock(&q->mu);
  for (size_t i = 0; i < q->nthreads; i++)
    pthread_join(q->threads[i], NULL);
  int rc = q->rc;
  for (size_t i = 0; q->ring && i < q->nring; i++) {
    if (q->ring[i].f)
      fclose(q->ring[i].f);
    free(q->ring[i].buf);
    free(q->ring[i].items);
  }
  pthread_mutex_destroy(&q->mu);
  pthread_cond_destroy(&q->cv);
  free(q->ring);
  free(q->threads);
  free(q);
  return rc;
}
