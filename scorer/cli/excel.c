/* excel.c - --excel-safe: CSV bytes -> the same CSV with every text cell
 * that a spreadsheet would take for a formula (starting with =, +, -, @,
 * TAB or CR) prefixed with ', as OWASP advises against CSV injection.
 * Numbers (-1.5, -Inf) are left alone. A filter stream over the output, so
 * the library's renderers stay as they are. */
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

int cli_out_csv(cli_out *out, const cli_opts *o, bool csv) {
  if (!o->excel_safe || !csv || !out->f || out->raw)
    return FS_OK;
  guard *g = calloc(1, sizeof *g);
  cookie_io_functions_t io = {NULL, guard_write, NULL, guard_close};
  FILE *f = g ? fopencookie(g, "w", io) : NULL;
  if (!f) {
    free(g);
    cli_error("out of memory");
    return FS_ERR_NOMEM;
  }
  g->real = out->f;
  out->raw = out->f;
  out->f = f;
  return FS_OK;
}
