/* SPDX-License-Identifier: GPL-3.0-or-later */
/* filter.c - filter streams over outputs, so the library's renderers stay
 * as they are: --excel-safe (CSV bytes -> the same CSV with every text cell
 * that a spreadsheet would take for a formula, starting with =, +, -, @,
 * TAB or CR, prefixed with ', as OWASP advises against CSV injection;
 * numbers such as -1.5 are left alone), and terminal safety (text reports
 * and stderr: control bytes from file and outlet names -> \xHH, so that no
 * name can move the cursor, retitle or reprogram a terminal). */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

enum { AT_START, UNQUOTED, QUOTED_FIRST, QUOTED, QUOTE_SEEN };

typedef struct guard {
  FILE *real;
  int state;
  char *cell; /* the unquoted cell so far */
  size_t n, cap;
  bool failed;
} guard;

static bool risky(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* A cell the renderers write as a number (fs_csv_number and the fixed
 * formats): optional minus, digits, point, exponent; or Inf/-Inf/NA. */
static bool numeric(const char *s, size_t n) {
  if ((n == 4 && !memcmp(s, "-Inf", 4)) || (n == 3 && !memcmp(s, "Inf", 3)))
    return true;
  char buf[64], *end;
  if (n == 0 || n >= sizeof buf)
    return false;
  memcpy(buf, s, n);
  buf[n] = '\0';
  strtod(buf, &end);
  return *end == '\0' && strspn(buf, "+-0123456789.eE") == n;
}

static void put(guard *g, const char *s, size_t n) {
  if (n && fwrite(s, 1, n, g->real) != n)
    g->failed = true;
}

static void end_cell(guard *g) {
  if (g->n && risky(g->cell[0]) && !numeric(g->cell, g->n))
    put(g, "'", 1);
  put(g, g->cell, g->n);
  g->n = 0;
}

static void feed(guard *g, char c) {
  switch (g->state) {
  case AT_START:
    if (c == '"') {
      put(g, &c, 1);
      g->state = QUOTED_FIRST;
      return;
    }
    g->state = UNQUOTED;
    /* fall through */
  case UNQUOTED:
    if (c == ',' || c == '\n') {
      end_cell(g);
      put(g, &c, 1);
      g->state = AT_START;
      return;
    }
    if (g->n == g->cap) {
      size_t cap = g->cap ? 2 * g->cap : 256;
      char *b = realloc(g->cell, cap);
      if (!b) { /* cannot hold the cell: write it as it is */
        g->failed = true;
        return;
      }
      g->cell = b, g->cap = cap;
    }
    g->cell[g->n++] = c;
    return;
  case QUOTED_FIRST:
    if (risky(c))
      put(g, "'", 1);
    g->state = QUOTED;
    /* fall through */
  case QUOTED:
    put(g, &c, 1);
    if (c == '"')
      g->state = QUOTE_SEEN;
    return;
  case QUOTE_SEEN:
    put(g, &c, 1);
    g->state = c == '"' ? QUOTED : c == ',' || c == '\n' ? AT_START : QUOTED;
    return;
  }
}

static ssize_t guard_write(void *cookie, const char *buf, size_t n) {
  guard *g = cookie;
  for (size_t i = 0; i < n; i++)
    feed(g, buf[i]);
  return g->failed ? -1 : (ssize_t)n;
}

static int guard_close(void *cookie) {
  guard *g = cookie;
  if (g->state == UNQUOTED)
    end_cell(g);
  int bad = g->failed || fflush(g->real) != 0;
  free(g->cell);
  free(g);
  return bad ? -1 : 0;
}

/* ---- terminal safety ------------------------------------------------------
 * Every C0 control byte but LF and TAB, DEL, and the C1 controls (U+0080 to
 * U+009F, as C2 80..9F) are written as \xHH. In coloured output the colour
 * sequences the text renderers write (ESC [ digits and ; m, SGR) pass:
 * there the worst a name can do with one is colour text. */

enum { T_PLAIN, T_ESC, T_SGR, T_C2 };

typedef struct tguard {
  FILE *real;
  bool sgr; /* colour sequences pass (the output is coloured) */
  int state;
  char seq[32]; /* an escape sequence or a C2 byte being decided */
  size_t n;
  bool failed;
} tguard;

static void tput(tguard *g, const char *s, size_t n) {
  if (n && fwrite(s, 1, n, g->real) != n)
    g->failed = true;
}

static void escaped(tguard *g, unsigned char c) {
  char b[5];
  snprintf(b, sizeof b, "\\x%02X", c);
  tput(g, b, 4);
}

/* Writes what was held as not a colour sequence. */
static void release(tguard *g) {
  for (size_t i = 0; i < g->n; i++) {
    unsigned char c = (unsigned char)g->seq[i];
    if (c == 0x1B || c == 0xC2)
      escaped(g, c);
    else
      tput(g, (const char *)&g->seq[i], 1);
  }
  g->n = 0;
  g->state = T_PLAIN;
}

static void tfeed(tguard *g, unsigned char c) {
  switch (g->state) {
  case T_ESC:
    if (c == '[' && g->sgr) {
      g->seq[g->n++] = (char)c;
      g->state = T_SGR;
      return;
    }
    release(g);
    break;
  case T_SGR:
    if (c == 'm') {
      tput(g, g->seq, g->n);
      tput(g, "m", 1);
      g->n = 0;
      g->state = T_PLAIN;
      return;
    }
    if (((c >= '0' && c <= '9') || c == ';') && g->n < sizeof g->seq) {
      g->seq[g->n++] = (char)c;
      return;
    }
    release(g);
    break;
  case T_C2:
    if (c >= 0x80 && c <= 0x9F) {
      escaped(g, 0xC2);
      escaped(g, c);
      g->n = 0;
      g->state = T_PLAIN;
      return;
    }
    g->n = 0;
    g->state = T_PLAIN;
    tput(g, "\xC2", 1);
    break;
  }
  if (c == 0x1B || c == 0xC2) {
    g->seq[0] = (char)c;
    g->n = 1;
    g->state = c == 0x1B ? T_ESC : T_C2;
  } else if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
    escaped(g, c);
  } else {
    tput(g, (const char *)&c, 1);
  }
}

/* Bytes that pass as they are whatever comes around them. */
static bool plain(unsigned char c) {
  return (c >= 0x20 && c != 0x7F && c != 0xC2) || c == '\n' || c == '\t';
}

static ssize_t tguard_write(void *cookie, const char *buf, size_t n) {
  tguard *g = cookie;
  const unsigned char *u = (const unsigned char *)buf;
  for (size_t i = 0; i < n;) {
    if (g->state != T_PLAIN || !plain(u[i])) {
      tfeed(g, u[i++]);
      continue;
    }
    size_t j = i; /* most text: one write for the run */
    while (j < n && plain(u[j]))
      j++;
    tput(g, buf + i, j - i);
    i = j;
  }
  return g->failed ? -1 : (ssize_t)n;
}

static int tguard_close(void *cookie) {
  tguard *g = cookie;
  if (g->state == T_C2)
    tput(g, "\xC2", 1);
  else if (g->n)
    release(g);
  int bad = g->failed || fflush(g->real) != 0;
  free(g);
  return bad ? -1 : 0;
}

/* A filter stream over real; NULL when out of memory. */
static FILE *filter(FILE *real, bool text, bool sgr) {
  void *g = text ? calloc(1, sizeof(tguard)) : calloc(1, sizeof(guard));
  cookie_io_functions_t io =
      text ? (cookie_io_functions_t){NULL, tguard_write, NULL, tguard_close}
           : (cookie_io_functions_t){NULL, guard_write, NULL, guard_close};
  FILE *f = g ? fopencookie(g, "w", io) : NULL;
  if (!f) {
    free(g);
    return NULL;
  }
  if (text) {
    ((tguard *)g)->real = real;
    ((tguard *)g)->sgr = sgr;
  } else
    ((guard *)g)->real = real;
  return f;
}

int cli_out_filter(cli_out *out, const cli_opts *o, int kind) {
  bool csv = kind == CLI_OUT_CSV && o->excel_safe,
       text = kind == CLI_OUT_TEXT && o->fmt == CLI_FORMAT_TEXT;
  if (!(csv || text) || !out->f || out->raw)
    return FS_OK;
  FILE *f = filter(out->f, text, text && cli_use_color(o, out));
  if (!f) {
    cli_error("out of memory");
    return FS_ERR_NOMEM;
  }
  out->raw = out->f;
  out->f = f;
  return FS_OK;
}

static FILE *raw_stderr;

/* At exit: writes what the filter holds and frees it. */
static void restore_stderr(void) {
  if (!raw_stderr)
    return;
  FILE *f = stderr;
  stderr = raw_stderr;
  raw_stderr = NULL;
  fclose(f);
}

void cli_safe_stderr(void) {
  static char buf[4096];
  FILE *f = filter(stderr, true, false);
  if (f) {
    setvbuf(f, buf, _IOLBF, sizeof buf);
    raw_stderr = stderr;
    stderr = f;
    atexit(restore_stderr);
  }
}

void cli_safe_stdout(void) {
  FILE *f = filter(stdout, true, false);
  if (f)
    stdout = f; /* main's fclose(stdout) writes what it holds, and says
                   whether the real stdout took it */
}
