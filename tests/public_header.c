/* SPDX-License-Identifier: GPL-3.0-or-later */
/* public_header.c - the installed headers, alone (no internal include
 * folder on the path) → a C11 program that uses them: they compile by
 * themselves, and the library reports the version the headers name.
 * Built a second time as C++ (public_header.cpp includes this file). */
#include <framescore/compare.h>
#include <framescore/framescore.h>
#include <framescore/stats.h>
#include <framescore/terms.h>

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* fs_entry_info as version 0.1.0 installed it: a field added since is
 * appended, so a program built against that header finds every one of
 * these at the same offset (and, on 64-bit platforms, in a record of the
 * same size: `person` took the tail padding). */
typedef struct entry_info_0_1_0 {
  const char *pattern, *key, *source;
  long line;
  size_t category;
  double weight;
  int event, once;
  const char *note, *lang;
  int duplicate_of;
} entry_info_0_1_0;

#define SAME_OFFSET(f)                                                         \
  (offsetof(fs_entry_info, f) == offsetof(entry_info_0_1_0, f))

static int entry_layout(void) {
  int ok = SAME_OFFSET(pattern) && SAME_OFFSET(key) && SAME_OFFSET(source) &&
           SAME_OFFSET(line) && SAME_OFFSET(category) && SAME_OFFSET(weight) &&
           SAME_OFFSET(event) && SAME_OFFSET(once) && SAME_OFFSET(note) &&
           SAME_OFFSET(lang) && SAME_OFFSET(duplicate_of) &&
           offsetof(fs_entry_info, person) >=
               offsetof(entry_info_0_1_0, duplicate_of) + sizeof(int);
  if (sizeof(void *) == 8 && sizeof(fs_entry_info) != sizeof(entry_info_0_1_0))
    ok = 0;
  if (!ok)
    fprintf(stderr, "fs_entry_info: a field moved or the record grew\n");
  return ok;
}

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
  if (!entry_layout())
    failed = 1;
  /* the opaque handles and the status codes as a user sees them */
  fs_error err;
  memset(&err, 0, sizeof err);
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  const char *tsv = "claimed\tattribution.doubt\t1\n"
                    "=corrupt\tlabel.pejorative\t0 person\n";
  if (!lex || fs_lexicon_load_buffer(lex, "t.tsv", tsv, strlen(tsv), &err) !=
                  FS_OK) {
    fprintf(stderr, "lexicon: %s\n", err.msg);
    failed = 1;
  } else {
    /* the entry record, person flag included */
    fs_entry_info e;
    memset(&e, 0xff, sizeof e);
    if (fs_lexicon_entry(lex, 1, &e) || strcmp(e.key, "=corrupt") ||
        e.person != 1 || e.once != 0 || fs_lexicon_entry(lex, 0, &e) ||
        e.person != 0) {
      fprintf(stderr, "fs_lexicon_entry: person flag not given\n");
      failed = 1;
    }
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
