/* SPDX-License-Identifier: GPL-3.0-or-later */
/* word_vectors.h - pretrained word vectors (the GloVe or word2vec text
 * format: WORD then its components, separated by spaces), read once and
 * looked up by a token's folded form; train's sentence model and the span
 * tagger can use them as features (train --word-vectors FILE). */
#ifndef FS_WORD_VECTORS_H
#define FS_WORD_VECTORS_H

#include "framescore.h"
#include "intern.h"

#include <stddef.h>
#include <stdint.h>

/* The longest component list a file may give a word. */
#define FS_VECTORS_DIM_MAX 1024

typedef struct fs_word_vectors {
  fs_intern words; /* the words as the file writes them; id = row */
  float *v;        /* [words.count * dim] the components, by row */
  size_t v_cap;    /* floats allocated in v */
  double *norm;    /* [words.count] each row's L2 length: the sqrt of the
                    * double sum of its squared components, in order */
  size_t norm_cap;
  unsigned dim;    /* components per word (the first row's count) */
  uint64_t digest; /* FNV-1a 64 of the rows read (words and components as
                    * written): a model file records it, so that a model
                    * is never applied with other vectors */
  size_t skipped;  /* rows left out: a word seen before (the first wins) */
} fs_word_vectors;

void fs_word_vectors_init(fs_word_vectors *wv);
/** Frees what wv holds (not wv); wv may be NULL. */
void fs_word_vectors_free(fs_word_vectors *wv);
/** Reads rows WORD X1 ... Xd from data (one space or tab between fields;
 * blank lines skipped; a first line of two integers, word2vec's "COUNT DIM"
 * header, is skipped too). Every row has the first row's number of
 * components (1 to FS_VECTORS_DIM_MAX), each a finite decimal number.
 * max_words > 0 keeps the first max_words rows only (files are usually
 * ordered by frequency). Errors carry name:line:col (col in code points). */
int fs_word_vectors_parse(fs_word_vectors *wv, const char *name,
                          const char *data, size_t len, size_t max_words,
                          fs_error *err);
/** fs_word_vectors_parse() of the file at path (at most 8 GiB). */
int fs_word_vectors_load(fs_word_vectors *wv, const char *path,
                         size_t max_words, fs_error *err);
/** The components of word s[0..n) (dim floats), or NULL when absent. */
const float *fs_word_vectors_find(const fs_word_vectors *wv, const char *s,
                                  size_t n);

/* ---- a context's forms -> rows (the sentence pools and the tagger) ----
 * Each folded form of a context is looked up once in a table of vectors,
 * not once a token: the memo is kept in the context (one per table, keyed
 * by the table's content: dimension, rows and digest, so two loads of one
 * file share it), and used by whatever reads vectors through it. */

/* A memo slot for a form not looked up yet. */
#define FS_VECTORS_UNSEEN (UINT32_MAX - 1)

/** ctx's memo for wv: by form id, the form's row, FS_NONE (no vector) or
 * FS_VECTORS_UNSEEN (then fs_word_vectors_form_row); a slot for every form
 * ctx has now. Valid until the next call for ctx; NULL when out of memory.
 * A cache kept through a const context: not thread-safe for one ctx (a
 * context is one thread's at a time). */
uint32_t *fs_word_vectors_memo(const fs_ctx *ctx, const fs_word_vectors *wv);
/** Looks form id `form` (< ctx's forms when memo was got) up in wv and
 * records its row (or FS_NONE) in memo; returns it. */
uint32_t fs_word_vectors_form_row(const fs_word_vectors *wv,
                                  const fs_ctx *ctx, uint32_t *memo,
                                  uint32_t form);
struct fs_vector_memo;
/** Frees a context's memos (fs_ctx_free); NULL is a no-op. */
void fs_vector_memo_free(struct fs_vector_memo *m);

#endif
