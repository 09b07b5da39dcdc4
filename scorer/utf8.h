/* SPDX-License-Identifier: GPL-3.0-or-later */
/* utf8.h - UTF-8 decoding with replacement, character classes and case
 * folding shared by the tokenizer and the lexicon parser. */
#ifndef FS_UTF8_H
#define FS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#define FS_REPLACEMENT 0xFFFDu

/* Decodes the code point at s[*i] (n bytes in all) and advances *i past it.
 * An invalid, overlong, surrogate or truncated sequence yields U+FFFD,
 * advances past its maximal valid prefix (at least one byte) and sets *bad. */
uint32_t fs_utf8_next(const unsigned char *s, size_t n, size_t *i, int *bad);

/* Decodes the code point that ends just before s[i] (start of text at 0)
 * without validation beyond structure; returns 0 at the start. */
uint32_t fs_utf8_prev(const unsigned char *s, size_t i);

/* Writes cp as UTF-8 into out (4 bytes room); returns the byte count. */
size_t fs_utf8_put(uint32_t cp, char *out);

/* The column (1-based, in code points) of byte offset off in line: what
 * file:line:col messages give. Counts lead bytes, so it needs no valid
 * UTF-8. */
long fs_utf8_col(const char *line, size_t off);

/* The code points of the NUL-terminated s (its lead bytes). */
size_t fs_utf8_count(const char *s);

/* Character classes. */
int fs_is_space(uint32_t cp);  /* white space, including NBSP and NUL */
int fs_is_alpha(uint32_t cp);  /* letters and combining marks */
int fs_is_digit(uint32_t cp);  /* decimal digits */
int fs_is_upper(uint32_t cp);  /* uppercase or titlecase letters */
int fs_is_apostrophe(uint32_t cp); /* ' U+2019 U+02BC */
int fs_is_hyphen(uint32_t cp);     /* - U+2010 U+2011 */

/* Case-folds and normalises a word (NFC, simple lowercase, apostrophes
 * unified to ', Russian ё to е), writing at most cap-1 bytes plus a NUL into out. Returns the
 * length written; a result longer than cap-1 is cut at a code point
 * boundary. Invalid UTF-8 becomes U+FFFD. */
size_t fs_fold(const char *s, size_t len, char *out, size_t cap);

#endif
