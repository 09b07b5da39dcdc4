/* SPDX-License-Identifier: GPL-3.0-or-later */
/* escape.c - writing text safely into CSV (RFC 4180), JSON and one-line
 * snippets; invalid UTF-8 always comes out as U+FFFD. */
#include "internal.h"
#include "utf8.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

void fs_csv_field(FILE *out, const char *s, size_t len) {
  bool quote = false, plain = true;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == ',' || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
    plain &= c >= 0x20 && c < 0x80;
  }
  if (plain && !quote) { /* printable ASCII: as it is */
    fwrite(s, 1, len, out);
    return;
  }
  if (quote)
    fputc('"', out);
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    if (u[i] < 0x80) {
      if (u[i] == '"')
        fputc('"', out);
      fputc(u[i] ? u[i] : ' ', out);
      i++;
      continue;
    }
    size_t at = i;
    int bad = 0;
    fs_utf8_next(u, len, &i, &bad);
    if (bad)
      fputs("\xEF\xBF\xBD", out);
    else
      fwrite(s + at, 1, i - at, out);
  }
  if (quote)
    fputc('"', out);
}

void fs_json_string(FILE *out, const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  fputc('"', out);
  while (i < len) {
    unsigned c = u[i];
    if (c < 0x80) {
      i++;
      if (c == '"' || c == '\\')
        fprintf(out, "\\%c", c);
      else if (c == '\n')
        fputs("\\n", out);
      else if (c == '\r')
        fputs("\\r", out);
      else if (c == '\t')
        fputs("\\t", out);
      else if (c < 0x20 || c == 0x7F)
        fprintf(out, "\\u%04x", c);
      else
        fputc((int)c, out);
      continue;
    }
    size_t at = i;
    int bad = 0;
    uint32_t cp = fs_utf8_next(u, len, &i, &bad);
    if (bad)
      fputs("\\ufffd", out);
    else if (cp == 0x2028 || cp == 0x2029)
      fprintf(out, "\\u%04x", (unsigned)cp);
    else
      fwrite(s + at, 1, i - at, out);
  }
  fputc('"', out);
}

/* ---- numbers as "%.10g" --------------------------------------------------- */

#if LDBL_MANT_DIG >= 64
/* 10^0 .. 10^27, each exact in a long double of 64 or more mantissa bits */
static const long double pow10l_exact[28] = {
    1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
    1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
    1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};

/* a * 10^k for -27 <= k <= 54, with at most two roundings to 64 bits */
static long double scale10(double a, int k) {
  if (k < 0)
    return (long double)a / pow10l_exact[-k];
  if (k <= 27)
    return (long double)a * pow10l_exact[k];
  return (long double)a * pow10l_exact[27] * pow10l_exact[k - 27];
}

/* The 10 significant digits of a > 0 correctly rounded, and its decimal
 * exponent; false when the product is too close to a rounding tie to
 * decide (its error is about 1e-9 of a unit in the last digit) or a is out
 * of range. */
static bool digits10(double a, uint64_t *digits, int *exp10) {
  uint64_t bits;
  memcpy(&bits, &a, sizeof bits);
  int biased = (int)(bits >> 52 & 0x7ff);
  if (biased == 0 || biased == 0x7ff)
    return false; /* subnormal, or not finite */
  /* 2^b <= a < 2^(b+1); floor(b log10 2), or one less, by a fixed-point
   * product (78913 / 2^18 = log10 2 - 8e-7) */
  int b = biased - 1023;
  int e = (b * 78913) >> 18;
  if (e < -44 || e > 35) /* one step either way stays in scale10's range */
    return false;
  long double m = scale10(a, 9 - e);
  if (m >= 1e10L)
    m = scale10(a, 9 - ++e);
  else if (m < 1e9L)
    m = scale10(a, 9 - --e);
  if (m < 1e9L || m >= 1e10L)
    return false;
  uint64_t n;
#if LDBL_MANT_DIG == 64 && (defined(__x86_64__) || defined(__i386__))
  /* m rounded to an integer by adding 2^63 (the unit of the last place
   * becomes 1), read from the x87 significand: no switch of the FPU's
   * rounding mode, which a conversion to an integer costs */
  long double big = m + 0x1p63L;
  memcpy(&n, &big, sizeof n);
  n -= (uint64_t)1 << 63;
#else
  n = (uint64_t)(m + 0.5L);
#endif
  long double off = m - (long double)(int64_t)n; /* in [-0.5, 0.5] */
  if (fabsl(fabsl(off) - 0.5L) < 1e-6L)
    return false;
  if (n == 10000000000u) {
    n = 1000000000u;
    e++;
  }
  *digits = n;
  *exp10 = e;
  return true;
}
#endif

size_t fs_format_g10(char *buf, double x) {
#if LDBL_MANT_DIG >= 64
  uint64_t n;
  int e;
  if (x == 0) {
    size_t o = 0;
    if (signbit(x))
      buf[o++] = '-';
    buf[o++] = '0';
    buf[o] = '\0';
    return o;
  }
  if (fabs(x) < 1e10 && (double)(int64_t)x == x) { /* counts */
    int64_t v = (int64_t)x;
    char d[24];
    size_t k = 0, o = 0;
    uint64_t u = v < 0 ? (uint64_t)-v : (uint64_t)v;
    do
      d[k++] = (char)('0' + u % 10);
    while ((u /= 10));
    if (v < 0)
      buf[o++] = '-';
    while (k)
      buf[o++] = d[--k];
    buf[o] = '\0';
    return o;
  }
  if (digits10(fabs(x), &n, &e)) {
    char d[10];
    for (int i = 9; i >= 0; i--, n /= 10)
      d[i] = (char)('0' + n % 10);
    int nd = 10; /* significant digits left after trailing zeros go */
    while (nd > 1 && d[nd - 1] == '0')
      nd--;
    size_t o = 0;
    if (x < 0)
      buf[o++] = '-';
    if (e < -4 || e >= 10) { /* d.ddde+XX */
      buf[o++] = d[0];
      if (nd > 1) {
        buf[o++] = '.';
        memcpy(buf + o, d + 1, (size_t)nd - 1);
        o += (size_t)nd - 1;
      }
      buf[o++] = 'e';
      buf[o++] = e < 0 ? '-' : '+';
      int ae = e < 0 ? -e : e;
      if (ae >= 100)
        buf[o++] = (char)('0' + ae / 100);
      buf[o++] = (char)('0' + ae / 10 % 10);
      buf[o++] = (char)('0' + ae % 10);
    } else if (e >= 0) { /* ddd.ddd */
      memcpy(buf + o, d, (size_t)e + 1);
      o += (size_t)e + 1;
      if (nd > e + 1) {
        buf[o++] = '.';
        memcpy(buf + o, d + e + 1, (size_t)(nd - e - 1));
        o += (size_t)(nd - e - 1);
      }
    } else { /* 0.000ddd */
      buf[o++] = '0';
      buf[o++] = '.';
      for (int z = 0; z < -e - 1; z++)
        buf[o++] = '0';
      memcpy(buf + o, d, (size_t)nd);
      o += (size_t)nd;
    }
    buf[o] = '\0';
    return o;
  }
#endif
  int len = snprintf(buf, FS_G10_MAX, "%.10g", x);
  return len > 0 ? (size_t)len : 0;
}

/* Appends ",x" to buf as fs_csv_number writes it; returns the length. */
static size_t csv_number(char *buf, double x) {
  buf[0] = ',';
  if (isfinite(x))
    return 1 + fs_format_g10(buf + 1, x);
  if (!isinf(x))
    return 1;
  size_t n = x > 0 ? 3 : 4;
  memcpy(buf + 1, x > 0 ? "Inf" : "-Inf", n);
  return 1 + n;
}

void fs_csv_number(FILE *out, double x) {
  char buf[FS_G10_MAX + 1];
  fwrite(buf, 1, csv_number(buf, x), out);
}

void fs_csv_numbers(FILE *out, const double *x, size_t n) {
  char buf[16 * (FS_G10_MAX + 1)];
  while (n > 0) {
    size_t k = n < 16 ? n : 16, o = 0;
    for (size_t i = 0; i < k; i++)
      o += csv_number(buf + o, x[i]);
    fwrite(buf, 1, o, out);
    x += k, n -= k;
  }
}

void fs_json_number(FILE *out, const char *key, double x) {
  fputs(",\"", out);
  fputs(key, out);
  fputs("\":", out);
  if (isfinite(x)) {
    char buf[FS_G10_MAX];
    fwrite(buf, 1, fs_format_g10(buf, x), out);
  } else if (isinf(x)) {
    fputs(x > 0 ? "\"Infinity\"" : "\"-Infinity\"", out);
  } else {
    fputs("null", out);
  }
}

size_t fs_text_clean(char *out, size_t cap, const char *s, size_t len) {
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, o = 0;
  bool space = false;
  if (!cap)
    return 0;
  while (i < len) {
    int bad = 0;
    uint32_t cp = fs_utf8_next(u, len, &i, &bad);
    if (fs_is_space(cp) || cp < 0x20 || cp == 0x7F) {
      space = true;
      continue;
    }
    char buf[5];
    size_t k = fs_utf8_put(cp, buf);
    if (o + k + (space ? 1 : 0) >= cap)
      break;
    if (space)
      out[o++] = ' ';
    space = false;
    memcpy(out + o, buf, k);
    o += k;
  }
  if (space && o + 1 < cap)
    out[o++] = ' ';
  out[o] = '\0';
  return o;
}
