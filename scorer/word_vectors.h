/* SPDX-License-Identifier: GPL-3.0-or-later */
/* word_vectors.h - pretrained word vectors (the GloVe or word2vec text
 * format: WORD then its components, separated by spaces), read once and
 * looked up by a token's folded form; train's sentence model and the span
 * tagger can use them as features (train --word-vectors FILE). */
#ifndef FS_WORD_VECTORS_H
#define FS_WORD_VECTORS_H

#include "framescore.h"
#include "intern.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The longest component list a file may give a word. */
#define FS_VECTORS_DIM_MAX 1024

typedef struct fs_word_vectors {
  fs_intern words; /* the words as the file writes them; id = row */
  float *v;        /* [words.count * dim] the components, by row: read
                    * only (in map when map is set) */
  size_t v_cap;    /* floats allocated in v */
  void *map;       /* a binary file's read-only mapping (or its copy when
                    * map_malloced), or NULL */
  size_t map_len;
  bool map_malloced;
  double *norm;    /* [words.count] each row's L2 length: the sqrt of the
                    * double sum of its squared components, in order */
  size_t norm_cap;
  unsigned dim;    /* components per word (the first row's count) */
  uint64_t digest; /* FNV-1a 64 of the rows read (words and components as
                    * written): a model file records it, so that a model
                    * is never applied with other vectors */
  size_t skipped;  /* rows left out: a word seen before (the first wins) */
  /* set before reading to keep, for each row kept, where it was in the
   * text file: what the binary format records so that a cut at max_words
   * has the text file's rows and digest (fs_word_vectors_write) */
  bool marks;
  uint64_t *mark_row;    /* [words.count] its row (0-based, as max_words
                          * counts rows: duplicates too) */
  uint64_t *mark_digest; /* [words.count] the digest up to and with it */
  size_t marks_cap;
  /* set before reading a binary file (version 2) when every row the caller
   * uses is looked up with fs_word_vectors_row() or _form_row() (applying
   * models and taggers, not training them): the components and lengths
   * are then checked row by row when first looked up, not all at load */
  bool lazy;
  /* a version 2 file read lazily: each row's check (in the mapping), the
   * row looked up again when it does not match; NULL when every row was
   * checked at load */
  const uint64_t *row_check;
  bool index_mapped; /* words' slots and lengths lie in the mapping */
  bool rows_mapped;  /* and the lengths (norm), with the components */
  char *path;        /* the binary file's name, for fs_word_vectors_intact */
  uint64_t damaged;  /* 1 + the first row found damaged (atomic), or 0 */
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
/** fs_word_vectors_parse() of the file at path (at most 8 GiB), or, when
 * it starts with the binary format's magic, fs_word_vectors_read_binary():
 * either gives the same table (words, components, digest). */
int fs_word_vectors_load(fs_word_vectors *wv, const char *path,
                         size_t max_words, fs_error *err);

/* ---- the binary format (word_vectors_bin.c; models/README.md) ----------
 * A table read from a text file, written so that opening it costs what the
 * run uses: no numbers to parse, no word index to build (it is stored),
 * the components mapped and read only where a word is looked up. All
 * integers and floats little-endian (IEEE 754 binary32 components, binary64
 * lengths). Version 2:
 *   0  magic "\x89FSVEC\r\n" (8 bytes)
 *   8  u32 version (2)        12  u32 dim (components per word)
 *  16  u64 count (words)      24  u64 rows (the text file's rows: count and
 *                                 the duplicates left out)
 *  32  u64 digest (the text file's, fs_word_vectors.digest)
 *  40  u64 words_bytes (the words block)
 *  48  u64 slots (the word index's: the least power of two >= 8 and
 *          > count * 3 / 2)
 *  56  u64 meta check: the checksum of the header (bytes 56-71 as 0), the
 *          index, the lengths and the words (everything before the marks)
 *  64  u64 marks check: the checksum of the marks
 *  72  56 bytes 0 (reserved)
 * 128  u64 slot[slots]: 0 (empty) or (fs_hash(word) >> 32) << 32 | id + 1,
 *          word id at the first empty slot from fs_hash(word) % slots on
 *          (linear probing, words in id order): intern.h's table
 *      u32 len[count] (each word's bytes), 0 bytes to a multiple of 8
 *      the words, each NUL-terminated (words_bytes), 0 bytes to a multiple
 *          of 8
 *      u64 row[count], u64 digest[count] (fs_word_vectors.mark_*)
 *      u64 check[count]: row i's checksum (seeded with i) of its components
 *          (0 bytes to a multiple of 8) and its length
 *      f64 length[count] (fs_word_vectors.norm)
 *      f32 components[count * dim], 0 bytes to a multiple of 8.
 * The checksum: 64-bit little-endian words in four multiply-xor lanes.
 * Version 1 (session 33: no index, lengths or row checks; one checksum of
 * everything after a 64-byte header, checked at each load) is still read. */
#define FS_VECTORS_MAGIC "\x89" "FSVEC\r\n"
#define FS_VECTORS_VERSION 2u

/** Writes wv (read with marks set) in the binary format to f; FS_OK or
 * FS_ERR_IO (errno set). */
int fs_word_vectors_write(const fs_word_vectors *wv, FILE *f);
/** Reads a binary file from fd (its first `have` bytes already in head;
 * size: the file's size) into wv (init'ed, empty), as the text reader would
 * with max_words (0: all). A short, corrupt or unknown file is
 * FS_ERR_INPUT with "path: what". */
int fs_word_vectors_read_binary(fs_word_vectors *wv, const char *path, int fd,
                                size_t size, const char *head, size_t have,
                                size_t max_words, fs_error *err);
/** Gives back wv->words (built, or a version 2 file's index in place). */
void fs_word_vectors_free_words(fs_word_vectors *wv);
/** The components of word s[0..n) (dim floats), or NULL when absent (or
 * its row damaged: see fs_word_vectors_row). */
const float *fs_word_vectors_find(const fs_word_vectors *wv, const char *s,
                                  size_t n);
/** The row of word s[0..n), or FS_NONE when absent. A row of a lazily read
 * binary file (wv->lazy) is checked here (its components and length
 * against its stored checksum); a damaged one is FS_NONE and recorded for
 * fs_word_vectors_intact. Thread-safe for a table no thread changes. */
uint32_t fs_word_vectors_row(const fs_word_vectors *wv, const char *s,
                             size_t n);
/** FS_OK, or FS_ERR_INPUT with "path: not a usable binary vectors file:
 * ..." when a row looked up was found damaged (and left out: the run's
 * scores are not those of the file as converted). */
int fs_word_vectors_intact(const fs_word_vectors *wv, fs_error *err);

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
