/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util.c - small helpers every module uses: growing arrays, filling
 * fs_error with a location, and the library's version. */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void fs_prefault(void *p, size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  if (bytes < FS_PREFAULT_MIN)
    return;
  uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t a = ((uintptr_t)p + page - 1) & ~(page - 1);
  uintptr_t e = ((uintptr_t)p + bytes) & ~(page - 1);
  if (e > a)
    (void)madvise((void *)a, e - a, MADV_POPULATE_WRITE); /* advice only */
#else
  (void)p, (void)bytes;
#endif
}

int fs_grow_slow(void *ptr, size_t *cap, size_t need, size_t elt) {
  if (need <= *cap)
    return 0;
  size_t n = *cap ? *cap : 16;
  while (n < need) {
    if (n > SIZE_MAX / 2)
      return -1;
    n *= 2;
  }
  if (n > SIZE_MAX / elt)
    return -1;
  void *p = realloc(*(void **)ptr, n * elt);
  if (!p)
    return -1;
  *(void **)ptr = p;
  *cap = n;
  return 0;
}

int fs_error_set(fs_error *err, int status, const char *file, long line,
                 long col, const char *fmt, ...) {
  if (!err)
    return status;
  snprintf(err->file, sizeof err->file, "%s", file ? file : "");
  err->line = line;
  err->col = col;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  va_end(ap);
  return status;
}

char *fs_error_format(const fs_error *err, char *buf, size_t n) {
  if (!n)
    return buf;
  if (!err->file[0])
    snprintf(buf, n, "%s", err->msg);
  else if (err->line <= 0)
    snprintf(buf, n, "%s: %s", err->file, err->msg);
  else if (err->col <= 0)
    snprintf(buf, n, "%s:%ld: %s", err->file, err->line, err->msg);
  else
    snprintf(buf, n, "%s:%ld:%ld: %s", err->file, err->line, err->col,
             err->msg);
  return buf;
}

int fs_find_pair(char *const *names, size_t n, const char *const pair[2],
                 uint32_t *a, uint32_t *b, fs_error *err) {
  *a = *b = FS_NONE;
  if (!pair[0])
    return FS_OK;
  for (size_t i = 0; i < n; i++) {
    if (!strcmp(names[i], pair[0]))
      *a = (uint32_t)i;
    if (!strcmp(names[i], pair[1]))
      *b = (uint32_t)i;
  }
  if (*a == FS_NONE || *b == FS_NONE || *a == *b)
    return fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                        "--pair needs two different outlets of the corpus "
                        "('%s' and '%s' given)",
                        pair[0], pair[1]);
  return FS_OK;
}

const char *fs_version(void) { return FS_VERSION; }

/* English function words (fs_function_word) */
static const char *const function_words_en[] = {
    "the",   "a",     "an",    "of",   "and",   "or",    "but",   "nor",
    "to",    "in",    "on",    "at",   "by",    "for",   "with",  "from",
    "as",    "into",  "than",  "that", "this",  "these", "those", "which",
    "who",   "whom",  "whose", "what", "is",    "are",   "was",   "were",
    "be",    "been",  "being", "has",  "have",  "had",   "do",    "does",
    "did",   "will",  "would", "can",  "could", "may",   "might", "should",
    "must",  "shall", "not",   "no",   "it",    "its",   "he",    "his",
    "him",   "she",   "her",   "they", "their", "them",  "we",    "our",
    "us",    "i",     "my",    "me",   "you",   "your",  "if",    "so",
    "there", "then",  NULL};
/* Russian: conjunctions, prepositions, particles, pronouns, "быть" */
static const char *const function_words_ru[] = {
    "и",       "а",       "но",      "или",   "либо", "да",    "ни",
    "не",      "же",      "ли",      "бы",    "в",    "во",    "на",
    "с",       "со",      "к",       "ко",    "по",   "о",     "об",
    "обо",     "от",      "до",      "из",    "за",   "для",   "без",
    "у",       "при",     "про",     "над",   "под",  "перед", "через",
    "между",   "после",   "что",     "чтобы", "как",  "так",   "это",
    "этот",    "эта",     "эти",     "этих",  "тот",  "та",    "те",
    "того",    "его",     "её",      "ее",    "их",   "им",    "ему",
    "ей",      "он",      "она",     "оно",   "они",  "мы",    "вы",
    "я",       "ты",      "нас",     "вас",   "нам",  "вам",   "был",
    "была",    "были",    "было",    "быть",  "есть", "будет", "свой",
    "своих",   "все",     "всех",    "весь",  "вся",  "всё",   "кто",
    "который", "которые", "которых", "уже",   "ещё",  "еще",   "тоже",
    "также",   "очень",   NULL};

const char *const *fs_function_word_list(int which) {
  return which == 0 ? function_words_en : which == 1 ? function_words_ru : NULL;
}

bool fs_function_word(const char *folded, size_t len) {
  /* a word starting with a non-ASCII byte is in no English list */
  const char *const *list = len && (unsigned char)folded[0] >= 0xC0
                                ? function_words_ru
                                : function_words_en;
  for (size_t i = 0; list[i]; i++)
    if (strlen(list[i]) == len && !memcmp(list[i], folded, len))
      return true;
  return false;
}
