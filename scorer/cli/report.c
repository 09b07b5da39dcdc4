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
    "  --threads N              worker threads (default: all cores); the\n"
    "                           output is the same for any number\n"
    "  --color auto|always|never\n"
    "  --quiet                  no warnings about replaced bytes\n"
    "  -h, --help\n"
    "\n"
    "Exit status: 0 ok, 1 some input could not be used (the rest is still\n"
    "reported), 2 usage error.\n";

typedef struct report_run {
  const cli_opts *o;
  fs_ctx *ctx;
  cli_out *out, *mout;
  int voices;
  bool text;
  fs_report_item *items; /* text: every document, kept for the ranking */
  char **texts;
  size_t n;
} report_run;

static int voices_of(const char *v) {
  if (!strcmp(v, "author"))
    return 1;
  if (!strcmp(v, "quote"))
    return 2;
  return 3;
}

/* Streams csv/jsonl and matches per document; text keeps documents for the
 * ranking at the top. */
static int one_doc(void *user, const fs_corpus_doc *cd, char *text,
                   fs_doc *doc) {
  report_run *r = user;
  fs_report_item it = {cd->path, cd->outlet, doc};
  if (r->o->matches)
    fs_render_matches_csv(r->mout->f, r->ctx, &it);
  if (!strcmp(r->o->format, "csv"))
    fs_render_report_csv(r->out->f, r->ctx, &it, r->voices);
  else if (!strcmp(r->o->format, "jsonl"))
    fs_render_report_jsonl(r->out->f, r->ctx, &it, 1);
  if (r->text) {
    r->items[r->n] = it;
    r->texts[r->n++] = text;
    return FS_OK;
  }
  fs_doc_free(doc);
  free(text);
  return FS_OK;
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
  report_run run = {&o, ctx, &out, &mout, voices, !strcmp(o.format, "text"),
                    NULL, NULL, 0};
  run.items = calloc(corpus.ndocs, sizeof *run.items);
  run.texts = calloc(corpus.ndocs, sizeof *run.texts);
  if (!ctx || !run.items || !run.texts || cli_out_open(&out, o.output) ||
      (o.matches && cli_out_open(&mout, o.matches))) {
    rc = FS_ERR_INPUT;
    goto done;
  }
  if (!strcmp(o.format, "csv"))
    fs_render_report_csv_header(out.f);
  if (o.matches)
    fs_render_matches_csv_header(mout.f);
  rc = cli_each_doc(&o, &corpus, ctx, one_doc, &run, &failed);
  if (rc == FS_OK && run.text &&
      fs_render_report_text(out.f, ctx, run.items, run.n,
                            cli_use_color(&o, &out)) != FS_OK)
    rc = FS_ERR_NOMEM;
  if (rc != FS_OK) {
    cli_error("out of memory");
    rc = FS_ERR_INPUT;
    goto done;
  }
  rc = failed ? FS_ERR_INPUT : FS_OK;
  if (o.matches && cli_out_commit(&mout))
    rc = FS_ERR_INPUT;
  if (cli_out_commit(&out))
    rc = FS_ERR_INPUT;
done:
  cli_out_abort(&out);
  cli_out_abort(&mout);
  for (size_t i = 0; i < run.n; i++) {
    fs_doc_free((fs_doc *)run.items[i].doc);
    free(run.texts[i]);
  }
  free(run.items);
  free(run.texts);
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
  fs_corpus_free(&corpus);
  return rc;
}
