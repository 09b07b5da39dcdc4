/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kwic.c - `framescore kwic`: every hit of a word, a lexicon entry or a
 * category across a corpus, with its outlet, document, voice and context. */
#include "cli.h"
#include "internal.h"
#include "render_html.h"
#include "window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "Usage: framescore kwic [OPTIONS] PATTERN (--manifest FILE.csv | DIR | "
    "FILE...)\n"
    "       framescore kwic [OPTIONS] --category C (--manifest FILE.csv | DIR "
    "| FILE...)\n"
    "\n"
    "Keyword in context: one row per hit with its document, outlet (and the\n"
    "manifest's other columns in csv), line:col, voice (author or quoted\n"
    "speech) and the words before and after it, from the text as written.\n"
    "PATTERN is a lexicon pattern as written in the lexicon file (its\n"
    "matches: 'claimed', '=claimed', 'Kiev regime'), or else words in a row\n"
    "(case-insensitive; 'regime*' matches any word starting with regime).\n"
    "\n"
    "Options:\n"
    "  --category C             the matches of lexicon category C, or of\n"
    "                           every category of family C (e.g. loaded)\n"
    "  --window N               words of context each side (default 8)\n"
    "  --window-bytes BYTES     read longer files in windows of about BYTES\n"
    "                           cut between paragraphs, in bounded memory,\n"
    "                           with the hits of the whole (default 1 MiB;\n"
    "                           0: whole)\n"
    "  --voice author|quote|all which hits (default all)\n"
    "  --format text|csv|html   (default text; html: one self-contained page\n"
    "                           with the hits grouped by outlet)\n"
    "  -o, --output FILE        write there (atomically)\n"
    "  --manifest FILE.csv      documents and outlets (path,outlet,...)\n"
    "  --outlet-from REGEX      outlet = capture group 1 of the file name\n"
    "                           (POSIX extended: [0-9], not \\d)\n"
    "  --group-by COLUMN[:N]    group by a manifest column (its first N\n"
    "                           characters: date:7 is the month)\n"
    "  --lexicon PATH, --no-default-lexicons, --lang LANG, --exclude PATTERN\n"
    "  --max-file-size N, --threads N, --quiet\n"
    "  --progress               the progress line on stderr even when it\n"
    "                           is not a terminal\n"
    "  --excel-safe             csv: a text cell starting with = + - @ gets a\n"
    "                           ' first, so spreadsheets do not run it\n"
    "  -h, --help\n"
    "\n"
    "Exit status: 0 ok, 1 some input could not be used, 2 usage error.\n";

typedef struct kwic_run {
  const cli_opts *o;
  const fs_corpus *corpus;
  const fs_kwic *k;
  int voices;
  int format;
} kwic_run;

/* Writes the hits in doc (a document or a window of one) to out. */
static int render_hits(const kwic_run *r, fs_ctx *ctx, const fs_corpus_doc *cd,
                       const fs_doc *doc, FILE *out) {
  fs_kwic_hit *hits;
  size_t n;
  int rc = fs_kwic_find(r->k, ctx, doc, r->voices, &hits, &n);
  if (rc == FS_OK && n) {
    fs_report_item it = {
        fs_corpus_name(cd), cd->outlet, doc, NULL, NULL, NULL, 0};
    it.vars = (const char *const *)cd->extra;
    it.var_names = (const char *const *)r->corpus->extra_names;
    it.nvars = r->corpus->nextra;
    rc = fs_render_kwic(out, r->format, r->k, ctx, &it, hits, n,
                        (size_t)r->o->window);
  }
  free(hits);
  return rc;
}

/* Runs on the worker that analysed the document, with its context. */
static int render_doc(void *user, fs_ctx *ctx, const fs_corpus_doc *cd,
                      char *text, fs_doc *doc, FILE *const *streams) {
  int rc = render_hits(user, ctx, cd, doc, streams[0]);
  fs_doc_recycle(ctx, doc);
  free(text);
  return rc;
}

/* ---- long documents, in windows -------------------------------------------
 * A document of more than --window-bytes is read, analysed and its hits
 * rendered a window at a time (window.c). A hit's context never leaves its
 * paragraph and a window ends at a paragraph break, so the rows are byte for
 * byte those of the document read whole, offsets included; a pattern of
 * several words, which may run across a paragraph break, reads documents
 * whole (windows_apply). */

static bool windows_apply(const fs_kwic *k) {
  return fs_kwic_within_paragraph(k);
}

/* One window's hits, into the document's spool. */
typedef struct window_run {
  const kwic_run *r;
  const fs_corpus_doc *cd;
  FILE *spool;
} window_run;

static int window_hits(void *user, fs_ctx *ctx, fs_doc *w) {
  const window_run *wr = user;
  return render_hits(wr->r, ctx, wr->cd, w, wr->spool);
}

static int stream_doc(void *user, fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                      FILE *const *streams, cli_stream_info *info) {
  const kwic_run *r = user;
  fs_window_sum sum = {0};
  fs_doc *total = NULL;
  /* the rows wait in a temporary file until the document has been read
   * to its end: one that fails later (a read error, a file that grew past
   * the size limit) writes none, as when read whole */
  window_run wr = {r, cd, NULL};
  int rc = fs_window_sum_init(&sum, ctx);
  if (rc)
    goto done;
  if (!(wr.spool = tmpfile())) {
    snprintf(info->msg, sizeof info->msg, "cannot make a temporary file");
    rc = FS_ERR_INPUT;
    goto done;
  }
  /* the windows go to whichever thread is free, their hits are rendered
   * in order (window_pair.c) */
  rc = cli_read_windows_paired(ctx, cd, fd, r->o, NULL, NULL, &sum,
                               window_hits, &wr, &total, info);
  if (rc == FS_OK)
    rc = cli_copy_spool(wr.spool, streams[0]);
done:
  fs_doc_free(total);
  fs_window_sum_free(&sum);
  if (wr.spool)
    fclose(wr.spool);
  return rc;
}

typedef struct row {
  char *line;   /* outlet TAB html row */
  size_t group; /* outlet in order of first appearance */
} row;

static int cmp_row(const void *a, const void *b) {
  const row *x = a, *y = b;
  if (x->group != y->group)
    return x->group < y->group ? -1 : 1;
  return x < y ? -1 : x > y;
}

/* The html page from the rows in `rows` (one per line, outlet TAB row):
 * hits grouped by outlet, in order of first appearance. */
static int write_html(FILE *out, FILE *rows, const char *what) {
  row *r = NULL;
  size_t n = 0, cap = 0, ngroups = 0, gcap = 0;
  char **groups = NULL, *line = NULL;
  size_t lcap = 0;
  ssize_t len;
  int rc = FS_OK;
  rewind(rows);
  while ((len = getline(&line, &lcap, rows)) > 0) {
    char *tab = strchr(line, '\t');
    if (!tab)
      continue;
    *tab = '\0';
    size_t g = 0;
    while (g < ngroups && strcmp(groups[g], line))
      g++;
    if (g == ngroups) {
      if (fs_grow(&groups, &gcap, ngroups + 1, sizeof *groups) ||
          !(groups[ngroups] = strdup(line))) {
        rc = FS_ERR_NOMEM;
        break;
      }
      ngroups++;
    }
    *tab = '\t';
    if (fs_grow(&r, &cap, n + 1, sizeof *r) || !(r[n].line = strdup(line))) {
      rc = FS_ERR_NOMEM;
      break;
    }
    r[n++].group = g;
  }
  free(line);
  if (rc == FS_OK) {
    qsort(r, n, sizeof *r, cmp_row);
    char title[600];
    snprintf(title, sizeof title, "framescore kwic: %s", what);
    fs_html_page_start(out, title);
    fprintf(out, "<section id=\"hits\">\n<h2>%zu hit%s in %zu outlet%s</h2>\n",
            n, n == 1 ? "" : "s", ngroups, ngroups == 1 ? "" : "s");
    fputs("<p class=\"note\">Voice: <b>author</b> is the outlet's own words "
          "(scare quotes included), <b>quote</b> is quoted speech. The "
          "context is the text as written, within the paragraph.</p>\n",
          out);
    for (size_t i = 0; i < n;) {
      size_t g = r[i].group, k = i;
      while (k < n && r[k].group == g)
        k++;
      /* the outlet is already escaped: written as it came */
      fprintf(out,
              "<h3>%s <small>(%zu hit%s)</small></h3>\n<table "
              "class=\"kwic\">\n<tr><th class=\"l\">document:line:col"
              "</th><th class=\"l\">voice</th><th>before</th><th>hit"
              "</th><th class=\"l\">after</th><th class=\"l\">category"
              "</th></tr>\n",
              *groups[g] ? groups[g] : "(none)", k - i, k - i == 1 ? "" : "s");
      for (; i < k; i++)
        fputs(strchr(r[i].line, '\t') + 1, out);
      fputs("</table>\n", out);
    }
    fputs("</section>\n", out);
    fs_html_page_end(out);
  }
  for (size_t i = 0; i < n; i++)
    free(r[i].line);
  free(r);
  for (size_t g = 0; g < ngroups; g++)
    free(groups[g]);
  free(groups);
  return rc;
}

int cli_kwic(int argc, char **argv) {
  cli_opts o;
  int rc = cli_parse(&o, CLI_KWIC, "kwic", help, argc, argv);
  if (rc)
    return rc < 0 ? 0 : rc;
  bool voice_given = cli_given(&o, "voice");
  const char *pattern = NULL;
  if (!o.category) {
    if (o.nargs < 1) {
      cli_error("kwic needs a PATTERN or --category C\n"
                "Try 'framescore kwic --help'.");
      return FS_ERR_USAGE;
    }
    pattern = o.args[0];
    o.args++, o.nargs--;
  }
  if (o.fmt == CLI_FORMAT_JSONL) {
    cli_error("kwic writes text, csv or html\nTry 'framescore kwic --help'.");
    return FS_ERR_USAGE;
  }
  int format = o.fmt == CLI_FORMAT_CSV    ? FS_KWIC_CSV
               : o.fmt == CLI_FORMAT_HTML ? FS_KWIC_HTML
                                          : FS_KWIC_TEXT;
  cli_session ss;
  cli_out out = {0};
  fs_kwic *k = NULL;
  FILE *rows = NULL;
  int setup = cli_begin(&o, false, &ss);
  if (setup) {
    rc = setup;
    goto done;
  }
  fs_error err = {0};
  if ((rc = fs_kwic_new(ss.lex, pattern, o.category, &k, &err))) {
    char buf[1200];
    cli_error("%s%s", fs_error_format(&err, buf, sizeof buf),
              rc == FS_ERR_USAGE ? "\nTry 'framescore kwic --help'." : "");
    rc = rc == FS_ERR_USAGE ? FS_ERR_USAGE : FS_ERR_INPUT;
    goto done;
  }
  if (cli_out_open(&out, o.output) ||
      (format == FS_KWIC_HTML && !(rows = tmpfile()))) {
    if (format == FS_KWIC_HTML && !rows)
      cli_error("cannot make a temporary file");
    rc = FS_ERR_INPUT;
    goto done;
  }
  if (format == FS_KWIC_CSV)
    fs_render_kwic_csv_header(out.f, (const char *const *)ss.corpus.extra_names,
                              ss.corpus.nextra);
  kwic_run run = {&o, &ss.corpus, k, voice_given ? 1 << cli_voice(o.voice) : 3,
                  format};
  if (voice_given && !strcmp(o.voice, "all"))
    run.voices = 3;
  FILE *outs[1] = {rows ? rows : out.f};
  rc = windows_apply(k)
           ? cli_each_doc_rendered_long(&o, &ss.corpus, ss.ctx, render_doc,
                                        stream_doc, &run, outs, 1, &ss.failed)
           : cli_each_doc_rendered(&o, &ss.corpus, ss.ctx, render_doc, &run,
                                   outs, 1, &ss.failed);
  if (rc == FS_OK && rows &&
      (fflush(rows) || ferror(rows) ||
       write_html(out.f, rows, pattern ? pattern : o.category) != FS_OK)) {
    cli_error("out of memory or temporary file error");
    rc = FS_ERR_INPUT;
  }
  if (rc != FS_OK) {
    rc = FS_ERR_INPUT;
    goto done;
  }
  rc = ss.failed ? FS_ERR_INPUT : FS_OK;
  if (cli_out_commit(&out))
    rc = FS_ERR_INPUT;
done:
  cli_out_abort(&out);
  if (rows)
    fclose(rows);
  fs_kwic_free(k);
  cli_end(&ss);
  return rc;
}
