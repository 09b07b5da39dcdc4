/* SPDX-License-Identifier: GPL-3.0-or-later */
/* utf8.c - UTF-8 decoding with replacement, character classes and case
 * folding. ASCII takes fast paths; the rest asks utf8proc. */
#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

uint32_t fs_utf8_next(const unsigned char *s, size_t n, size_t *i, int *bad) {
  size_t p = *i;
  unsigned c = s[p];
  if (c < 0x80) {
    *i = p + 1;
    return c;
  }
  /* the valid two- and three-byte sequences (curly quotes, dashes, most
   * letters outside ASCII) without the general loop; anything else, or a
   * sequence cut by the end, goes on to it */
  if (p + 2 < n && (s[p + 1] & 0xC0) == 0x80) {
    if (c >= 0xC2 && c <= 0xDF) {
      *i = p + 2;
      return (uint32_t)(c & 0x1F) << 6 | (s[p + 1] & 0x3F);
    }
    if ((c & 0xF0) == 0xE0 && (s[p + 2] & 0xC0) == 0x80) {
      uint32_t cp3 = (uint32_t)(c & 0x0F) << 12 |
                     (uint32_t)(s[p + 1] & 0x3F) << 6 | (s[p + 2] & 0x3F);
      if (cp3 >= 0x800 && (cp3 < 0xD800 || cp3 > 0xDFFF)) {
        *i = p + 3;
        return cp3;
      }
    }
  }
  size_t need;
  uint32_t cp, min;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1, cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2, cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3, cp = c & 0x07, min = 0x10000;
  } else {
    *i = p + 1;
    *bad = 1;
    return FS_REPLACEMENT;
  }
  size_t k = 1;
  for (; k <= need; k++) {
    if (p + k >= n || (s[p + k] & 0xC0) != 0x80)
      break;
    cp = (cp << 6) | (s[p + k] & 0x3F);
    /* Reject overlong and surrogate prefixes as early as possible so the
     * maximal valid subpart is consumed, as Unicode recommends. */
    if (k == 1 && ((c == 0xE0 && s[p + 1] < 0xA0) ||
                   (c == 0xED && s[p + 1] > 0x9F) ||
                   (c == 0xF0 && s[p + 1] < 0x90) ||
                   (c == 0xF4 && s[p + 1] > 0x8F)))
      break;
  }
  if (k <= need || cp < min || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    *i = p + (k > 1 ? k : 1);
    *bad = 1;
    return FS_REPLACEMENT;
  }
  *i = p + k;
  return cp;
}

uint32_t fs_utf8_prev(const unsigned char *s, size_t i) {
  if (i == 0)
    return 0;
  size_t p = i - 1;
  while (p > 0 && i - p < 4 && (s[p] & 0xC0) == 0x80)
    p--;
  int bad = 0;
  size_t q = p;
  uint32_t cp = fs_utf8_next(s, i, &q, &bad);
  return q == i ? cp : FS_REPLACEMENT;
}

size_t fs_utf8_put(uint32_t cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

long fs_utf8_col(const char *line, size_t off) {
  long col = 1;
  for (size_t i = 0; i < off; i++)
    if (((unsigned char)line[i] & 0xC0) != 0x80)
      col++;
  return col;
}

size_t fs_utf8_count(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

int fs_is_space(uint32_t cp) {
  if (cp < 0x80)
    return cp == ' ' || (cp >= 9 && cp <= 13) || cp == 0;
  if (cp == 0x85 || cp == 0xA0 || cp == 0xFEFF || cp == 0x200B)
    return 1;
  utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
  return c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL ||
         c == UTF8PROC_CATEGORY_ZP;
}

int fs_is_alpha(uint32_t cp) {
  if (cp < 0x80)
    return (cp | 32) >= 'a' && (cp | 32) <= 'z';
  if (cp == FS_REPLACEMENT)
    return 1; /* keep words with a bad byte in one piece */
  utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
  return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
         (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME);
}

int fs_is_digit(uint32_t cp) {
  if (cp < 0x80)
    return cp >= '0' && cp <= '9';
  return utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_ND;
}

int fs_is_upper(uint32_t cp) {
  if (cp < 0x80)
    return cp >= 'A' && cp <= 'Z';
  utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
  return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

int fs_is_apostrophe(uint32_t cp) {
  return cp == '\'' || cp == 0x2019 || cp == 0x02BC;
}

int fs_is_hyphen(uint32_t cp) {
  return cp == '-' || cp == 0x2010 || cp == 0x2011;
}

/* NFC-composes a folded word that holds combining marks (rare: decomposed
 * input). Returns the new length, or len unchanged on any failure. */
static size_t compose(char *out, size_t len, size_t cap) {
  utf8proc_uint8_t *dst = NULL;
  utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)out,
                                    (utf8proc_ssize_t)len, &dst,
                                    UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  if (r >= 0 && (size_t)r < cap) {
    memcpy(out, dst, (size_t)r);
    out[r] = '\0';
    len = (size_t)r;
  }
  free(dst);
  return len;
}

size_t fs_fold(const char *s, size_t len, char *out, size_t cap) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, o = 0;
  int marks = 0;
  if (cap == 0)
    return 0;
  /* ASCII prefix: a table-free lowercase copy */
  while (i < len && u[i] < 0x80 && o + 1 < cap) {
    unsigned char c = u[i++];
    out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  while (i < len) {
    uint32_t cp;
    if (u[i] < 0x80) {
      cp = u[i++];
      if (cp >= 'A' && cp <= 'Z')
        cp += 32;
    } else {
      int bad = 0;
      cp = fs_utf8_next(u, len, &i, &bad);
      if (fs_is_apostrophe(cp))
        cp = '\'';
      else
        cp = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
      if (cp == 0x451) /* ё is written е in most Russian print */
        cp = 0x435;
      if (cp >= 0x300 && utf8proc_category((utf8proc_int32_t)cp) ==
                             UTF8PROC_CATEGORY_MN)
        marks = 1;
    }
    char buf[4];
    size_t k = fs_utf8_put(cp, buf);
    if (o + k >= cap)
      break;
    memcpy(out + o, buf, k);
    o += k;
  }
  out[o] = '\0';
  return marks ? compose(out, o, cap) : o;
}
