/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vectors_cmd.c - `framescore vectors convert IN -o OUT`: a word-vector
 * text file (GloVe, word2vec text) -> the binary vectors file
 * (word_vectors_bin.c), which --word-vectors opens in milliseconds, to
 * the same words, components and digest. */
#include "cli.h"
#include "word_vectors.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const help =
    "Usage: framescore vectors convert IN -o OUT\n"
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
    "Options:\n"
    "  -o, --output FILE   the binary file to write (required)\n"
    "  -h, --help          this help\n"
    "\n"
    "Exit status: 0 written, 1 IN unreadable or not word vectors\n"
    "(file:line:col), or OUT not written; 2 usage.\n";


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

int cli_vectors_cmd(int argc, char **argv) {
  cli_opts o;
  int rc = cli_parse(&o, CLI_VECTORS, "vectors", help, argc, argv);
  if (rc)
    return rc < 0 ? 0 : rc;
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
