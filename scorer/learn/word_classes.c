/* SPDX-License-Identifier: GPL-3.0-or-later */
/* word_classes.c - a word-class file (word TAB class, e.g. clusters of
 * words learned from unlabeled text) -> a table of stems and their class,
 * which the span tagger reads as a token feature (train --word-classes). */
#include "internal.h"
#include "tagger.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

void fs_word_classes_init(fs_word_classes *wc) {
  memset(wc, 0, sizeof *wc);
  fs_intern_init(&wc->stems);
  fs_intern_init(&wc->names);
}

void fs_word_classes_free(fs_word_classes *wc) {
  if (!wc)
    return;
  fs_intern_free(&wc->stems);
  fs_intern_free(&wc->names);
  free(wc->cls);
  memset(wc, 0, sizeof *wc);
}

int fs_word_classes_add(fs_word_classes *wc, const char *stem, size_t slen,
                        const char *name, size_t nlen) {
  size_t before = wc->stems.count;
  uint32_t s = fs_intern_add(&wc->stems, stem, slen);
  uint32_t c = fs_intern_add(&wc->names, name, nlen);
  if (s == FS_NONE || c == FS_NONE ||
      fs_grow(&wc->cls, &wc->cls_cap, s + 1, sizeof *wc->cls))
    return FS_ERR_NOMEM;
  if (s < before && wc->cls[s] != c)
    return FS_ERR_INPUT; /* a stem in two classes */
  wc->cls[s] = c;
  return FS_OK;
}

size_t fs_word_class_name_bad(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
      return i + 1;
  return 0;
}

/* A word: valid UTF-8 without spaces or control bytes. */
static bool good_word(const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    int bad = 0;
    uint32_t cp = fs_utf8_next((const unsigned char *)s, n, &i, &bad);
    if (bad || cp < 0x20 || cp == 0x7f || fs_is_space(cp))
      return false;
  }
  return n > 0;
}

int fs_word_classes_parse(fs_word_classes *wc, fs_ctx *ctx, const char *name,
                          const char *data, size_t len, fs_error *err) {
  long line = 0;
  for (size_t at = 0; at < len;) {
    const char *s;
    size_t l = fs_next_line(data, len, &at, &s);
    line++;
    if (!l || *s == '#')
      continue;
    const char *tab = memchr(s, '\t', l);
    if (!tab || tab == s)
      return fs_error_set(err, FS_ERR_INPUT, name, line,
                          tab ? 1 : fs_utf8_col(s, l),
                          "expected WORD<TAB>CLASS");
    size_t wl = (size_t)(tab - s), cl = (size_t)(s + l - tab - 1);
    const char *cn = tab + 1;
    size_t bad = fs_word_class_name_bad(cn, cl);
    if (!cl || bad) /* columns in code points: the word may be any UTF-8 */
      return fs_error_set(err, FS_ERR_INPUT, name, line,
                          fs_utf8_col(s, wl + (bad ? bad : 1)),
                          "expected a class name (printable ASCII, no spaces)");
    if (wl > FS_WORD_LOOKUP_MAX || !good_word(s, wl))
      return fs_error_set(err, FS_ERR_INPUT, name, line, 1,
                          "expected a word (UTF-8 without spaces, at most "
                          "%d bytes)",
                          FS_WORD_LOOKUP_MAX);
    /* the word's stem, as tokens of a text get it */
    uint32_t form = fs_ctx_fold_form(ctx, s, wl);
    if (form == FS_NONE)
      return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    uint32_t stem = ctx->form_stem[form];
    int rc = fs_word_classes_add(wc, fs_intern_str(&ctx->stems, stem),
                                 fs_intern_len(&ctx->stems, stem), cn, cl);
    if (rc == FS_ERR_INPUT)
      return fs_error_set(err, rc, name, line, fs_utf8_col(s, wl + 1),
                          "the stem '%s' of '%.*s' has another class already",
                          fs_intern_str(&ctx->stems, stem), (int)wl, s);
    if (rc)
      return fs_error_set(err, rc, NULL, 0, 0, "out of memory");
  }
  return FS_OK;
}

int fs_word_classes_load(fs_word_classes *wc, fs_ctx *ctx, const char *path,
                         fs_error *err) {
  char *data;
  size_t len;
  int rc = fs_read_file(path, (size_t)1 << 30, "the word-class file limit",
                        &data, &len, err);
  if (rc)
    return rc;
  rc = fs_word_classes_parse(wc, ctx, path, data, len, err);
  free(data);
  return rc;
}
