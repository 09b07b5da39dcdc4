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

#endif
