/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c - the framescore command: argv → the subcommand's exit status; an
 * internal user of libframescore (it reads internal headers: see
 * framescore_internal in CMakeLists.txt). */
#include "cli.h"

#include <gsl/gsl_errno.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const help =
    "Usage: framescore COMMAND [OPTIONS] ...\n"
    "\n"
    "Scores loaded language and framing in news text, separating each\n"
    "outlet's own voice from the speech it quotes.\n"
    "\n"
    "Commands:\n"
    "  report FILE...        per-document framing with every match located\n"
    "  compare               per-outlet rates, confidence intervals and tests\n"
    "  terms                 keyness of every stem per outlet\n"
    "  count                 mergeable counts for compare, terms, report\n"
    "  merge                 merge counts files into one\n"
    "  kwic PATTERN          every hit of a word or lexicon entry in context\n"
    "  actors                who is described as saying, claiming, raving\n"
    "  train                 learn a logistic framing model from labelled text\n"
    "  eval                  measure validity against annotated corpora\n"
    "  lexicon check PATH    validate lexicons\n"
    "  vectors convert IN    word vectors as a binary file that loads faster\n"
    "  vectors check FILE... every row of vectors files checked, digest shown\n"
    "\n"
    "  framescore COMMAND --help   options of a command\n"
    "  framescore --version\n";

/* The exit status for a command's status (FS_OK, FS_ERR_*). */
static int exit_status(int rc) {
  return rc == FS_OK          ? CLI_EXIT_OK
         : rc == FS_ERR_USAGE ? CLI_EXIT_USAGE
                              : CLI_EXIT_INPUT;
}

int main(int argc, char **argv) {
  gsl_set_error_handler_off(); /* GSL must never abort: we check statuses */
  cli_safe_stderr();           /* no file name can drive the terminal */
  /* The vocabulary's tables double as they grow. Left to glibc, the
   * threshold for mapping big blocks rises after the first is freed, and
   * the freed halves then stay in the heap: peak RSS at 1 GB of input went
   * from 195 to 212 MB with 2 threads. Map every block over 1 MiB. That
   * also fixes the trim threshold, low by default: keep up to 4 MiB free
   * rather than returning and faulting back each document's pages. */
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  mallopt(M_TRIM_THRESHOLD, 4 << 20);
  /* huge pages for the heap: one arena, a 32 MiB top pad, a 64 MiB trim
   * threshold (memory.c) */
  cli_memory_init();
  /* output to a file or pipe goes out in large writes (glibc sizes the
   * buffer by st_blksize, 4 KiB: a write per document); a terminal keeps
   * its line buffering */
  static char stdout_buf[CLI_OUT_BUFFER];
  if (!isatty(STDOUT_FILENO))
    setvbuf(stdout, stdout_buf, _IOFBF, sizeof stdout_buf);
  if (argc < 2) {
    fputs(help, stderr);
    return CLI_EXIT_USAGE;
  }
  const char *cmd = argv[1];
  int rc;
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    fputs(help, stdout);
    rc = 0;
  } else if (!strcmp(cmd, "--version")) {
    printf("framescore %s\n", fs_version());
    rc = 0;
  } else if (!strcmp(cmd, "report")) {
    rc = cli_report(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "vectors")) {
    rc = cli_vectors_cmd(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "lexicon")) {
    rc = cli_lexicon_cmd(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "compare")) {
    rc = cli_compare(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "terms")) {
    rc = cli_terms(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "count")) {
    rc = cli_count(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "merge")) {
    rc = cli_merge(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "kwic")) {
    rc = cli_kwic(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "actors")) {
    rc = cli_actors(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "train")) {
    rc = cli_train(argc - 1, argv + 1);
  } else if (!strcmp(cmd, "eval")) {
    rc = cli_eval(argc - 1, argv + 1);
  } else {
    cli_error("unknown command '%s'\nTry 'framescore --help'.", cmd);
    return CLI_EXIT_USAGE;
  }
  if (fclose(stdout) != 0) {
    perror("framescore: writing output failed");
    return CLI_EXIT_INPUT;
  }
  return exit_status(rc);
}
