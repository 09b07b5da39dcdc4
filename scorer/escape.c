/* escape.c - writing text safely into CSV (RFC 4180), JSON and one-line
 * snippets; invalid UTF-8 always comes out as U+FFFD. */
#include "internal.h"
#include "utf8.h"

#include <math.h>
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

void fs_csv_number(FILE *out, double x) {
  fputc(',', out);
  if (isfinite(x))
    fprintf(out, "%.10g", x);
  else if (isinf(x))
    fputs(x > 0 ? "Inf" : "-Inf", out);
}

void fs_json_number(FILE *out, const char *key, double x) {
  fprintf(out, ",\"%s\":", key);
  if (isfinite(x))
    fprintf(out, "%.10g", x);
  else
    fputs("null", out);
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
