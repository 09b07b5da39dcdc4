/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lexicon_cmd.c - `framescore lexicon check PATH...`: validates lexicons and
 * shows entries per category, duplicates and patterns with equal stems. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "Usage: framescore lexicon check [--lang LANG] PATH...\n"
    "\n"
    "Validates lexicon files or folders (format: lexicons/README.md). LIWC\n"
    "dictionaries (.dic, .dicx) are read too; what of them cannot be used is\n"
    "listed as warnings. Prints the number of entries per category,\n"
    "duplicate entries (the later one wins), and different patterns that\n"
    "collapse to the same Snowball stems. Without --lang, a folder named\n"
    "ru (or a file in it) is read as russian, anything else as english.\n"
    "Exit status: 0 valid, 1 a lexicon has an error (file:line:col), 2 usage.\n";

static int cmp_key(const void *a, const void *b, void *lexp) {
  const fs_lexicon *lex = lexp;
  fs_entry_info x, y;
  fs_lexicon_entry(lex, *(const size_t *)a, &x);
  fs_lexicon_entry(lex, *(const size_t *)b, &y);
  int c = strcmp(x.key, y.key);
  if (c)
    return c;
  return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* The language of a lexicon folder named for it, as the defaults are
 * (lexicons/ru, lexicons/ru/labels.tsv), when --lang does not say. */
static const char *path_lang(const char *path) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", path);
  size_t n = strlen(buf);
  while (n > 1 && buf[n - 1] == '/')
    buf[--n] = '\0';
  for (int up = 0; up < 2; up++) { /* the folder, or the folder of a file */
    char *slash = strrchr(buf, '/');
    if (!strcmp(slash ? slash + 1 : buf, "ru"))
      return "russian";
    if (!slash)
      break;
    *slash = '\0';
  }
  return "english";
}

static int check_one(const cli_opts *o, const char *path) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new(o->lang ? o->lang : path_lang(path), &err);
  if (!lex) {
    cli_print_error(&err);
    return FS_ERR_USAGE;
  }
  if (fs_lexicon_load(lex, path, &err) != FS_OK) {
    cli_print_error(&err);
    fs_lexicon_free(lex);
    return FS_ERR_INPUT;
  }
  for (size_t i = 0; i < fs_lexicon_warning_count(lex); i++)
    printf("%s\n", fs_lexicon_warning(lex, i));
  fs_ctx *ctx = fs_ctx_new(lex, &err); /* freezes: categories sorted */
  if (!ctx) {
    cli_print_error(&err);
    fs_lexicon_free(lex);
    return FS_ERR_INPUT;
  }
  size_t n = fs_lexicon_entry_count(lex), ncat = fs_lexicon_category_count(lex);
  size_t *per = calloc(ncat, sizeof *per), *order = malloc(n * sizeof *order);
  size_t active = 0, dups = 0, collisions = 0;
  fs_entry_info e, f;
  for (size_t i = 0; i < n; i++) {
    fs_lexicon_entry(lex, i, &e);
    order[i] = i;
    if (e.duplicate_of >= 0)
      dups++;
  }
  /* active = not overridden by a later duplicate */
  bool *over = calloc(n ? n : 1, sizeof *over);
  for (size_t i = 0; i < n; i++) {
    fs_lexicon_entry(lex, i, &e);
    if (e.duplicate_of >= 0)
      over[e.duplicate_of] = true;
  }
  for (size_t i = 0; i < n; i++) {
    fs_lexicon_entry(lex, i, &e);
    if (!over[i]) {
      per[e.category]++;
      active++;
    }
  }
  printf("%s: %zu entries (%zu after duplicates) in %zu categories\n", path,
         n, active, ncat - 1);
  for (size_t c = 0; c < ncat; c++)
    if (per[c])
      printf("  %-32s %6zu\n", fs_lexicon_category_name(lex, c), per[c]);
  for (size_t i = 0; i < n; i++) {
    fs_lexicon_entry(lex, i, &e);
    if (e.duplicate_of < 0)
      continue;
    fs_lexicon_entry(lex, (size_t)e.duplicate_of, &f);
    printf("%s:%ld: duplicate: '%s' (%s) repeats %s:%ld; the later weight "
           "%g wins\n",
           e.source, e.line, e.pattern, fs_lexicon_category_name(lex, e.category),
           f.source, f.line, e.weight);
  }
  qsort_r(order, n, sizeof *order, cmp_key, lex);
  for (size_t i = 1; i < n; i++) {
    fs_lexicon_entry(lex, order[i - 1], &f);
    fs_lexicon_entry(lex, order[i], &e);
    if (!strcmp(e.key, f.key) && strcmp(e.pattern, f.pattern)) {
      collisions++;
      printf("%s:%ld: same stems: '%s' (%s) and '%s' (%s at %s:%ld) both "
             "match '%s'\n",
             e.source, e.line, e.pattern,
             fs_lexicon_category_name(lex, e.category), f.pattern,
             fs_lexicon_category_name(lex, f.category), f.source, f.line,
             e.key);
    }
  }
  printf("%zu duplicates, %zu stem collisions\n", dups, collisions);
  free(per);
  free(order);
  free(over);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
  return FS_OK;
}

int cli_lexicon_cmd(int argc, char **argv) {
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    fputs(help, argc < 2 ? stderr : stdout);
    return argc < 2 ? FS_ERR_USAGE : 0;
  }
  if (strcmp(argv[1], "check")) {
    cli_error("unknown lexicon command '%s'\nTry 'framescore lexicon --help'.",
              argv[1]);
    return FS_ERR_USAGE;
  }
  cli_opts o;
  int rc = cli_parse(&o, CLI_LEXICON, "lexicon", help, argc - 1, argv + 1);
  if (rc)
    return rc < 0 ? 0 : rc;
  if (o.nargs == 0) {
    cli_error("lexicon check needs a PATH\nTry 'framescore lexicon --help'.");
    return FS_ERR_USAGE;
  }
  /* file names, patterns, categories and notes are the user's: no control
   * byte of theirs reaches the terminal raw */
  cli_safe_stdout();
  int worst = 0;
  for (int i = 0; i < o.nargs; i++) {
    int r = check_one(&o, o.args[i]);
    if (r > worst)
      worst = r;
  }
  return worst;
}
