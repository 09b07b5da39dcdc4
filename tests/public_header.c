/* SPDX-License-Identifier: GPL-3.0-or-later */
/* public_header.c - the installed headers, alone (no internal include
 * folder on the path) → a C11 program that uses them: they compile by
 * themselves, and the library reports the version the headers name.
 * Built a second time as C++ (public_header.cpp includes this file). */
#include <framescore/compare.h>
#include <framescore/framescore.h>
#include <framescore/stats.h>
#include <framescore/terms.h>

#include <stdio.h>
#include <string.h>

int main(void) {
  int failed = 0;
  char want[64];
  snprintf(want, sizeof want, "%d.%d.%d", FS_VERSION_MAJOR, FS_VERSION_MINOR,
           FS_VERSION_PATCH);
  if (strcmp(fs_version(), FS_VERSION) || strcmp(FS_VERSION, want)) {
    fprintf(stderr, "fs_version() %s, FS_VERSION %s, macros %s\n",
            fs_version(), FS_VERSION, want);
    failed = 1;
  }
  /* the opaque handles and the status codes as a user sees them */
  fs_error err;
  memset(&err, 0, sizeof err);
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  const char *tsv = "claimed\tattribution.doubt\t1\n";
  if (!lex || fs_lexicon_load_buffer(lex, "t.tsv", tsv, strlen(tsv), &err) !=
                  FS_OK) {
    fprintf(stderr, "lexicon: %s\n", err.msg);
    failed = 1;
  } else {
    fs_ctx *ctx = fs_ctx_new(lex, &err);
    const char *text = "Officials claimed it.";
    fs_doc *d = ctx ? fs_doc_analyze(ctx, text, strlen(text), &err) : NULL;
    size_t n = 0;
    if (!d || (fs_doc_matches(d, &n), n != 1)) {
      fprintf(stderr, "analysis: %zu matches, want 1\n", n);
      failed = 1;
    }
    fs_doc_free(d);
    fs_ctx_free(ctx);
  }
  fs_lexicon_free(lex);
  printf("public headers: %s\n", failed ? "FAILED" : "ok");
  return failed;
}
