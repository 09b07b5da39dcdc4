/* SPDX-License-Identifier: GPL-3.0-or-later */
/* table.c - labelled data for train and eval, bytes -> records with named
 * columns: a CSV file (RFC 4180) or a TSV file (one record per line, no
 * quoting, as most corpus releases). */
#include "table.h"
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  return n >= m && !strcmp(s + n - m, suffix);
}

/* Splits the TSV line at t->pos into t->fields. Returns 1, or 0 at the end. */
static int tsv_next(fs_table *t) {
  while (t->pos < t->len) {
    const char *s = t->data + t->pos;
    const char *nl = memchr(s, '\n', t->len - t->pos);
    size_t n = nl ? (size_t)(nl - s) : t->len - t->pos;
    t->pos += n + (nl != NULL);
    t->line++;
    if (n && s[n - 1] == '\r')
      n--;
    if (!n)
      continue; /* blank lines */
    if (n >= t->buf_cap) {
      char *b = realloc(t->buf, n + 1);
      if (!b)
        return -FS_ERR_NOMEM;
      t->buf = b;
      t->buf_cap = n + 1;
    }
    memcpy(t->buf, s, n);
    t->buf[n] = '\0';
    t->nfields = 0;
    for (char *p = t->buf;;) {
      if (t->nfields == FS_CSV_MAX_FIELDS)
        return -FS_ERR_INPUT;
      t->fields[t->nfields++] = p;
      char *tab = strchr(p, '\t');
      if (!tab)
        break;
      *tab = '\0';
      p = tab + 1;
    }
    t->rec_line = t->line;
    return 1;
  }
  return 0;
}

static int next_record(fs_table *t, fs_error *err) {
  if (t->tsv) {
    int r = tsv_next(t);
    if (r == -FS_ERR_INPUT)
      return -fs_error_set(err, FS_ERR_INPUT, t->path, t->line, 0,
                           "more than %d columns", FS_CSV_MAX_FIELDS);
    if (r == -FS_ERR_NOMEM)
      return -fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return r;
  }
  for (;;) {
    int r = fs_csv_read_record(t->data, t->len, &t->pos, &t->line, t->rec,
                               t->path, err);
    if (r <= 0)
      return r;
    if (t->rec->nfields == 1 && !t->rec->fields[0][0])
      continue; /* blank line */
    t->nfields = t->rec->nfields;
    for (size_t i = 0; i < t->nfields; i++)
      t->fields[i] = t->rec->fields[i];
    t->rec_line = t->rec->line;
    return 1;
  }
}

int fs_table_open_buffer(fs_table *t, const char *path, char *data, size_t len,
                         fs_error *err) {
  memset(t, 0, sizeof *t);
  t->path = path;
  t->data = data;
  t->len = len;
  size_t start = 0;
  if (t->len >= 3 && !memcmp(t->data, "\xEF\xBB\xBF", 3))
    start = 3;
  const char *nl = memchr(t->data + start, '\n', t->len - start);
  size_t hl = nl ? (size_t)(nl - t->data) - start : t->len - start;
  t->tsv = ends_with(path, ".tsv") || ends_with(path, ".tab") ||
           memchr(t->data + start, '\t', hl) != NULL;
  t->pos = start;
  t->line = t->tsv ? 0 : 1; /* tsv_next counts before, CSV after a line */
  t->rec = t->tsv ? NULL : malloc(sizeof *t->rec);
  t->fields = malloc(FS_CSV_MAX_FIELDS * sizeof *t->fields);
  if ((!t->tsv && !t->rec) || !t->fields) {
    fs_table_close(t);
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  int r = next_record(t, err);
  if (r <= 0) {
    fs_table_close(t);
    return r < 0 ? -r
                 : fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                                "empty file: expected a header line");
  }
  t->ncols = t->nfields;
  t->names = malloc(t->ncols * sizeof *t->names);
  if (!t->names) {
    fs_table_close(t);
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  for (size_t i = 0; i < t->ncols; i++)
    if (!(t->names[i] = strdup(t->fields[i]))) {
      t->ncols = i;
      fs_table_close(t);
      return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
  return FS_OK;
}

long fs_table_column(const fs_table *t, const char *name, fs_error *err) {
  for (size_t i = 0; i < t->ncols; i++)
    if (!strcmp(t->names[i], name))
      return (long)i;
  char list[400] = "";
  for (size_t i = 0; i < t->ncols && strlen(list) < 300; i++)
    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
             i ? ", " : "", t->names[i]);
  fs_error_set(err, FS_ERR_INPUT, t->path, 1, 0,
               "no column '%s' (the header has: %s)", name, list);
  return -1;
}

int fs_table_next(fs_table *t, fs_error *err) {
  int r = next_record(t, err);
  if (r == 1 && t->nfields != t->ncols)
    return -fs_error_set(err, FS_ERR_INPUT, t->path, t->rec_line, 0,
                         "%zu fields where the header has %zu", t->nfields,
                         t->ncols);
  return r;
}

void fs_table_close(fs_table *t) {
  for (size_t i = 0; t->names && i < t->ncols; i++)
    free(t->names[i]);
  free(t->names);
  free(t->data);
  free(t->rec);
  free(t->fields);
  free(t->buf);
  memset(t, 0, sizeof *t);
}
