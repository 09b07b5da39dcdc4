/* SPDX-License-Identifier: GPL-3.0-or-later */
/* table.h - labelled data for train and eval: a CSV file (RFC 4180) or a
 * TSV file (.tsv/.tab or a TAB in the header line; one record per line, no
 * quoting) with a header naming the columns (not installed). */
#ifndef FS_TABLE_H
#define FS_TABLE_H

#include "framescore.h"

#include <stdbool.h>

typedef struct fs_table {
  const char *path;
  char *data;
  size_t len, pos;
  long line, rec_line; /* rec_line: where the current record starts */
  bool tsv;
  fs_csv_record *rec; /* CSV parsing buffer */
  char *buf;          /* TSV: the current line */
  size_t buf_cap;
  char **fields; /* the current record */
  size_t nfields;
  char **names; /* header */
  size_t ncols;
} fs_table;

/** Opens a table held in data[0..len) (malloc'd; the table owns it from now
 * on, and frees it in fs_table_close() or on error) and reads its header.
 * path names it in errors and tells TSV by its extension. FS_OK or a status
 * with err filled. */
int fs_table_open_buffer(fs_table *t, const char *path, char *data, size_t len,
                         fs_error *err);
/** The index of a column, or -1 with err naming the columns there are. */
long fs_table_column(const fs_table *t, const char *name, fs_error *err);
/** Reads the next record into t->fields: 1, 0 at the end, or -status. */
int fs_table_next(fs_table *t, fs_error *err);
void fs_table_close(fs_table *t);

#endif
