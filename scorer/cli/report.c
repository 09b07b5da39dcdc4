/* report.c - `framescore report`: per-document framing with every match
 * located, as text, tidy CSV or JSONL, plus an optional CSV of matches. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "Usage: framescore report [OPTIONS] FILE|DIR|- ...\n"
    "\n"
    "Scores each document: words, sentences, share of quoted speech, lexicon\n"
    "matches per category split by voice (the outlet's own 'author' voice vs\n"
    "quoted speech), rates per 1,000 author-voice words, a weighted\n"
    "loaded-language score, and every match with line:col and context.\n"
    "A folder argument is a corpus: each subfolder is an outlet.\n"
    "\n"
    "Options:\n"
    "  --format text|csv|jsonl  output format (default text; csv is tidy: one\n"
    "                           row per file x voice x category)\n"
    "  -o, --output FILE        write there (atomically) instead of stdout\n"
    "  --matches FILE.csv       also write one row per match\n"
    "  --voice author|quote|all voices in csv rows (default all for report)\n"
    "  --manifest FILE.csv      documents and outlets (columns path,outlet,...)\n"
    "  --outlet-from REGEX      outlet = capture group 1 of the file name\n"
    "  --lexicon PATH           add a lexicon file or folder (repeatable); a\n"
    "                           file named like a default one replaces it\n"
    "  --no-default-lexicons    use only --lexicon files\n"
    "  --lang LANG              Snowball language (default english)\n"
    "  --max-file-size BYTES    refuse larger files (default 256 MiB)\n"
    "  --color auto|always|never\n"
    "  --quiet                  no warnings about replaced bytes\n"
    "  -h, --help\n"
    "\n"
    "Exit status: 0 ok, 1 some input could not be used (the rest is still\n"
    "reported), 2 usage error.\n";

typedef struct loaded {
  char *text;
  fs_doc *doc;
} loaded;

static int voices_of(const char *v) {
  if (!strcmp(v, "author"))
    return 1;
  if (!strcmp(v, "quote"))
    return 2;
  return 3;
}

int cli_report(int argc, char **argv) {
  cli_opts o;
  int rc = cli_parse(&o, CLI_REPORT, "report", argc, argv);
  if (rc < 0) {
    fputs(help, stdout);
    return 0;
  }
  if (rc)
    return rc;
  /* report lists both voices in csv unless asked otherwise */
  bool voice_given = false;
  for (int i = 1; i < argc; i++)
    if (!strncmp(argv[i], "--voice", 7))
      voice_given = true;
  int voices = voice_given ? voices_of(o.voice) : 3;

  fs_corpus corpus;
  bool failed = false;
  if ((rc = cli_corpus(&o, &corpus, &failed))) {
    fs_corpus_free(&corpus);
    return rc;
  }
  fs_lexicon *lex = cli_lexicon(&o);
  fs_error err = {0};
  fs_ctx *ctx = lex ? fs_ctx_new(lex, &err) : NULL;
  if (lex && !ctx)
    cli_print_error(&err);
  cli_out out = {0}, mout = {0};
  bool text = !strcmp(o.format, "text");
  loaded *docs = calloc(corpus.ndocs, sizeof *docs);
  fs_report_item *items = calloc(corpus.ndocs, sizeof *items);
  if (!ctx || !docs || !items || cli_out_open(&out, o.output) ||
      (o.matches && cli_out_open(&mout, o.matches))) {
    rc = FS_ERR_INPUT;
    goto done;
  }
  if (!strcmp(o.format, "csv"))
    fs_render_report_csv_header(out.f);
  if (o.matches)
    fs_render_matches_csv_header(mout.f);
  for (size_t i = 0; i < corpus.ndocs; i++) {
    const fs_corpus_doc *cd = &corpus.docs[i];
    char msg[512];
    size_t len;
    items[i].path = cd->path;
    items[i].outlet = cd->outlet;
    if (cli_read_input(cd->path, o.max_file_size, &docs[i].text, &len, msg,
                       sizeof msg)) {
      fprintf(stderr, "%s: %s\n", cd->path, msg);
      failed = true;
      continue;
    }
    docs[i].doc = fs_doc_analyze(ctx, docs[i].text, len, &err);
    if (!docs[i].doc) {
      fprintf(stderr, "%s: %s\n", cd->path, err.msg);
      failed = true;
      continue;
    }
    items[i].doc = docs[i].doc;
    const fs_doc_stats *st = fs_doc_stats_get(docs[i].doc);
    if (!o.quiet && (st->invalid_utf8 || st->nul_bytes))
      fprintf(stderr,
              "%s: warning: %zu invalid UTF-8 sequences and %zu NUL bytes "
              "replaced\n",
              cd->path, st->invalid_utf8, st->nul_bytes);
    if (o.matches)
      fs_render_matches_csv(mout.f, ctx, &items[i]);
    if (!strcmp(o.format, "csv"))
      fs_render_report_csv(out.f, ctx, &items[i], voices);
    else if (!strcmp(o.format, "jsonl"))
      fs_render_report_jsonl(out.f, ctx, &items[i], 1);
    if (!text) { /* streaming formats keep nothing */
      fs_doc_free(docs[i].doc);
      free(docs[i].text);
      docs[i].doc = NULL;
      docs[i].text = NULL;
      items[i].doc = NULL;
    }
  }
  if (text && fs_render_report_text(out.f, ctx, items, corpus.ndocs,
                                    cli_use_color(&o, &out)) != FS_OK) {
    cli_error("out of memory");
    failed = true;
  }
  rc = failed ? FS_ERR_INPUT : FS_OK;
  if (o.matches && cli_out_commit(&mout))
    rc = FS_ERR_INPUT;
  if (cli_out_commit(&out))
    rc = FS_ERR_INPUT;
done:
  cli_out_abort(&out);
  cli_out_abort(&mout);
  for (size_t i = 0; docs && i < corpus.ndocs; i++) {
    fs_doc_free(docs[i].doc);
    free(docs[i].text);
  }
  free(docs);
  free(items);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
  fs_corpus_free(&corpus);
  return rc;
}
