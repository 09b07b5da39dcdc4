/* compare.c - `framescore compare`: per-outlet framing rates with bootstrap
 * confidence intervals and document- and token-level tests. */
#include "cli.h"

#include <stdio.h>

int cli_compare(int argc, char **argv) {
  (void)argc, (void)argv;
  cli_error("compare is not built yet");
  return FS_ERR_USAGE;
}

int cli_terms(int argc, char **argv) {
  (void)argc, (void)argv;
  cli_error("terms is not built yet");
  return FS_ERR_USAGE;
}
