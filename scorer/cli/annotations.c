/* SPDX-License-Identifier: GPL-3.0-or-later */
/* annotations.c - reading annotated corpora for eval and train: labels
 * in the propaganda techniques corpus format, its article folders, and
 * Python-style lists of biased words. */
#include "annotated.h"
#include "cli.h"
#include "eval.h"
#include "table.h"
#include "utf8.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grows *p to hold n + 1 elements of size elt (doubling). */
int cli_grow(void *p, size_t *cap, size_t n, size_t elt) {
  if (n < *cap)
    return 0;
  size_t c = *cap ? 2 * *cap : 64;
  void *q = realloc(*(void **)p, c * elt);
  if (!q)
    return -1;
  *(void **)p = q;
  *cap = c;
  return 0;
}

static int cmp_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the labels file: rows of the chosen techniques (the parser is the
 * library's, fuzzed: fs_eval_read_labels). */
int cli_read_labels(const char *path, const char *const *tech, size_t nt,
                    size_t max, cli_gold_row **rows, size_t *n) {
  char *data, msg[512];
  size_t len;
  *rows = NULL, *n = 0;
  if (cli_read_input(path, max, &data, &len, msg, sizeof msg)) {
    fprintf(stderr, "%s: %s\n", path, msg);
    return FS_ERR_INPUT;
  }
  fs_error err = {0};
  int rc = fs_eval_read_labels(path, data, len, tech, nt, rows, n, &err);
  if (rc)
    cli_print_error(&err);
  free(data);
  return rc;
}

/* The article files of a folder (article*.txt), sorted. */
char **cli_article_files(const char *dir, size_t *n) {
  DIR *d = opendir(dir);
  char **names = NULL;
  size_t cap = 0;
  *n = 0;
  if (!d)
    return NULL;
  struct dirent *e;
  while ((e = readdir(d))) {
    size_t l = strlen(e->d_name);
    if (strncmp(e->d_name, "article", 7) || l < 12 ||
        strcmp(e->d_name + l - 4, ".txt"))
      continue;
    if (cli_grow(&names, &cap, *n, sizeof *names) ||
        !(names[*n] = strdup(e->d_name)))
      break;
    (*n)++;
  }
  closedir(d);
  if (*n)
    qsort(names, *n, sizeof *names, cmp_name);
  return names;
}

/* Gold spans of one article, trimmed by the corpus's rule (the library's,
 * fuzzed: fs_eval_article_gold). */
size_t cli_article_gold(const char *id, const cli_gold_row *rows, size_t nrows,
                        const char *text, size_t len, fs_gold_span *out,
                        uint32_t *cp) {
  return fs_eval_article_gold(id, rows, nrows, text, len, out, cp);
}

/* Parses a Python-style list of strings (the library's parser). */
long cli_parse_list(const char *s, char **buf, char ***words) {
  return fs_eval_parse_list(s, buf, words);
}

/* Reads --spans LABELS with --articles DIR into a. */
static int load_articles(const cli_opts *o, fs_ctx *ctx, fs_annot *a) {
  cli_gold_row *rows = NULL;
  size_t nrows = 0, nfiles = 0;
  char **files = NULL;
  int rc = FS_ERR_INPUT;
  if (cli_read_labels(o->spans, a->s.techniques, a->s.ntech, o->max_file_size,
                      &rows, &nrows))
    return FS_ERR_INPUT;
  files = cli_article_files(o->articles, &nfiles);
  if (!nfiles) {
    fprintf(stderr, "%s: no article*.txt files\n", o->articles);
    goto done;
  }
  for (size_t f = 0; f < nfiles; f++) {
    char path[4096], *text, msg[512], id[64];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", o->articles, files[f]);
    if (cli_read_input(path, o->max_file_size, &text, &len, msg, sizeof msg)) {
      fprintf(stderr, "%s: %s\n", path, msg);
      goto done;
    }
    snprintf(id, sizeof id, "%.*s", (int)(strlen(files[f]) - 11), files[f] + 7);
    fs_gold_span *gold = malloc((nrows + 1) * sizeof *gold);
    uint32_t *cp = malloc((len + 1) * sizeof *cp);
    fs_error err = {0};
    fs_doc *d = gold && cp ? fs_doc_analyze(ctx, text, len, &err) : NULL;
    int arc = FS_ERR_NOMEM;
    if (d)
      arc = fs_annot_add_article(
          a, d, text, gold,
          cli_article_gold(id, rows, nrows, text, len, gold, cp), id);
    else
      free(text);
    free(gold), free(cp);
    if (arc) {
      cli_error("out of memory");
      goto done;
    }
  }
  rc = FS_OK;
done:
  for (size_t i = 0; i < nfiles; i++)
    free(files[i]);
  free(files), free(rows);
  return rc;
}

/* Reads --words FILE into a: each sentence grouped by its news_link
 * column when there is one (sentences of one article stay in one fold). */
static int load_sentences(const cli_opts *o, fs_ctx *ctx, fs_annot *a) {
  fs_table t;
  fs_error err = {0}, ignored = {0};
  if (cli_table_open(&t, o->words, o->max_file_size, &err)) {
    cli_print_error(&err);
    return FS_ERR_INPUT;
  }
  long tc = fs_table_column(&t, o->text_column, &err);
  long wc = tc < 0 ? -1 : fs_table_column(&t, o->words_column, &err);
  long gc = fs_table_column(&t, "news_link", &ignored);
  int rc = FS_ERR_INPUT, more;
  if (wc < 0) {
    cli_print_error(&err);
    goto done;
  }
  while ((more = fs_table_next(&t, &err)) == 1) {
    char *buf, **words, group[64];
    long nw = cli_parse_list(t.fields[wc], &buf, &words);
    if (nw < 0) {
      fprintf(stderr, "%s:%ld: the %s column is not a list like ['a', 'b']\n",
              o->words, t.rec_line, o->words_column);
      free(buf), free(words);
      goto done;
    }
    if (gc >= 0 && *t.fields[gc])
      snprintf(group, sizeof group, "%016llx",
               (unsigned long long)fs_hash(t.fields[gc], strlen(t.fields[gc])));
    else
      snprintf(group, sizeof group, "line %ld", t.rec_line);
    char *text = strdup(t.fields[tc]);
    fs_doc *d = text ? fs_doc_analyze(ctx, text, strlen(text), &err) : NULL;
    int arc = FS_ERR_NOMEM;
    if (d)
      arc = fs_annot_add_sentence(a, d, text, (const char *const *)words,
                                  (size_t)nw, group);
    else
      free(text);
    free(buf), free(words);
    if (arc) {
      cli_error("out of memory");
      goto done;
    }
  }
  if (more < 0) {
    cli_print_error(&err);
    goto done;
  }
  rc = FS_OK;
done:
  fs_table_close(&t);
  return rc;
}

int cli_annot_load(const cli_opts *o, fs_ctx *ctx, fs_annot *a) {
  if (o->spans && load_articles(o, ctx, a))
    return FS_ERR_INPUT;
  if (o->words && load_sentences(o, ctx, a))
    return FS_ERR_INPUT;
  return FS_OK;
}
