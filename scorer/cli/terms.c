/* terms.c - `framescore terms`: keyness of every stem per outlet. */
#include "cli.h"

int cli_terms(int argc, char **argv) {
  (void)argc, (void)argv;
  cli_error("terms: not available in this build");
  return FS_ERR_USAGE;
}
