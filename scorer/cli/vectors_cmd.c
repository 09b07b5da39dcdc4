/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vectors_cmd.c - `framescore vectors convert IN -o OUT`: a word-vector
 * text file (GloVe, word2vec text) -> the binary vectors file
 * (word_vectors_bin.c), which --word-vectors opens in milliseconds, to
 * the same words, components and digest; `framescore vectors check
 * FILE...`: every row of each file read and checked, and what a model
 * records of it (digest, components) printed. */
#include "cli.h"
#include "word_vectors.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const help =
    "Usage: framescore vectors convert IN -o OUT\n"
    "       framescore vectors check FILE...\n"
    "\n"
    "Writes the word vectors of IN (GloVe or word2vec text, or a binary\n"
    "file of either version) to OUT in framescore's binary vectors format,\n"
    "version 2 (models/README.md), which --word-vectors reads too and opens\n"
    "in milliseconds (rows are read and checked where they are looked up):\n"
    "the same words, components and digest, so that a model or tagger\n"
    "trained with either file is applied with the other. Every row of IN is\n"
    "checked. OUT is written to a temporary file and renamed into place; it\n"
    "cannot be IN.\n"
    "\n"
    "check reads every row of each FILE (text, or binary of either version:\n"
    "each row against its checksum, which --word-vectors does only for the\n"
    "rows a run looks up) and prints its format, words, components and the\n"
    "digest that a model or tagger trained with it records (its\n"
    "word_vectors line). A bad file is reported (file:line:col) and the\n"
    "others are still checked.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE   the binary file to write (required)\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit status: 0 written (checked), 1 IN (a FILE) unreadable or not word\n"
    "vectors (file:line:col), or OUT not written; 2 usage.\n";


static int convert(const char *in, const char *out_path) {
  if (!strcmp(out_path, "-")) {
    cli_error("vectors convert writes a binary file: give -o FILE, not "
              "standard output");
    return FS_ERR_USAGE;
  }
  fs_word_vectors wv;
  fs_word_vectors_init(&wv);
  wv.marks = true;
  fs_error err = {0};
  int rc = fs_word_vectors_load(&wv, in, 0, &err);
  if (rc) {
    cli_print_error(&err);
    fs_word_vectors_free(&wv);
    return rc == FS_ERR_NOMEM ? FS_ERR_INPUT : rc;
  }
  cli_out out = {0};
  rc = cli_out_open(&out, out_path);
  if (!rc && fs_word_vectors_write(&wv, out.f) != FS_OK) {
    cli_error("%s: cannot write output: %s", out_path, strerror(errno));
    rc = FS_ERR_INPUT;
  }
  if (!rc && cli_out_commit(&out))
    rc = FS_ERR_INPUT;
  cli_out_abort(&out);
  if (!rc)
    printf("%s: %zu words, %u components, digest %016" PRIx64
           " (%zu repeated rows left out)\n",
           out_path, wv.words.count, wv.dim, wv.digest, wv.skipped);
  fs_word_vectors_free(&wv);
  return rc ? FS_ERR_INPUT : FS_OK;
}

/* "text", "binary version N" or "binary" (unknown version: the reader has
 * refused it already) by the file's first 12 bytes. */
static void format_of(const char *path, char *out, size_t cap) {
  unsigned char head[12];
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : NULL; /* stdin: text */
  size_t got = f ? fread(head, 1, sizeof head, f) : 0;
  if (f)
    fclose(f);
  if (got < 8 || memcmp(head, FS_VECTORS_MAGIC, 8)) {
    snprintf(out, cap, "text");
    return;
  }
  uint32_t v = got < 12 ? 0
                        : (uint32_t)head[8] | (uint32_t)head[9] << 8 |
                              (uint32_t)head[10] << 16 |
                              (uint32_t)head[11] << 24;
  snprintf(out, cap, "binary version %" PRIu32, v);
}

/* Reads every row of each file (not lazily) and says what it holds. */
static int check(char **paths, size_t n) {
  int worst = FS_OK;
  for (size_t i = 0; i < n; i++) {
    const char *path = paths[i];
    fs_word_vectors wv;
    fs_word_vectors_init(&wv);
    fs_error err = {0};
    int rc = fs_word_vectors_load(&wv, path, 0, &err);
    if (rc) {
      cli_print_error(&err);
      worst = FS_ERR_INPUT;
    } else {
      char format[40];
      format_of(path, format, sizeof format);
      printf("%s: %s, %zu words, %u components, digest %016" PRIx64
             " (%zu repeated rows left out)\n",
             path, format, wv.words.count, wv.dim, wv.digest, wv.skipped);
    }
    fs_word_vectors_free(&wv);
    if (fflush(stdout)) {
      cli_error("cannot write output: %s", strerror(errno));
      return FS_ERR_INPUT;
    }
  }
  return worst;
}

int cli_vectors_cmd(int argc, char **argv) {
  cli_opts o;
  int rc = cli_parse(&o, CLI_VECTORS, "vectors", help, argc, argv);
  if (rc)
    return rc < 0 ? 0 : rc;
  if (o.nargs && !strcmp(o.args[0], "check")) {
    if (o.nargs < 2 || o.output) {
      cli_error("vectors check needs one or more FILEs and no -o\nTry "
                "'framescore vectors --help'.");
      return FS_ERR_USAGE;
    }
    return check(o.args + 1, (size_t)o.nargs - 1);
  }
  if (o.nargs == 0 || strcmp(o.args[0], "convert")) {
    if (o.nargs)
      cli_error("unknown vectors command '%s'\nTry 'framescore vectors "
                "--help'.",
                o.args[0]);
    else
      fputs(help, stderr);
    return FS_ERR_USAGE;
  }
  if (o.nargs != 2 || !o.output) {
    cli_error("vectors convert needs one IN file and -o OUT\nTry "
              "'framescore vectors --help'.");
    return FS_ERR_USAGE;
  }
  /* -o IN (or a link to it) is refused before anything is read */
  if ((rc = cli_check_outputs(&o, NULL)))
    return rc;
  return convert(o.args[1], o.output);
}
