/* SPDX-License-Identifier: GPL-3.0-or-later */
/* terms.c - `framescore terms`: keyness of every stem (or surface form) for
 * each outlet against the rest, or for a pair of outlets. */
#include "cli.h"
#include "shard.h"
#include "terms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "Usage: framescore terms [OPTIONS] (--manifest FILE.csv | DIR | FILE...)\n"
    "       framescore terms [OPTIONS] --counts COUNTS.fsc...\n"
    "\n"
    "Keyness of every stem (or surface form) for each outlet against the rest\n"
    "or --pair A B: counts, rates per 1,000 words, document frequency, the\n"
    "log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi &\n"
    "Quinn 2008) with its z and p, G2 (Williams), chi-square (Yates), PMI,\n"
    "Fisher's exact p when an expected count is under 5, and BH q-values.\n"
    "For stems, the most frequent surface forms are shown beside them.\n"
    "\n"
    "Options:\n"
    "  --manifest FILE.csv      documents and outlets (path,outlet,...)\n"
    "  --outlet-from REGEX      outlet = capture group 1 of the file name\n"
    "                           (POSIX extended: [0-9], not \\d)\n"
    "  --voice author|quote|all which words count (default author)\n"
    "  --pair A B               two outlets instead of each vs the rest\n"
    "  --surface                lowercased surface forms instead of stems\n"
    "  --min-count N            only terms seen N+ times in all (default 1)\n"
    "  --top N                  the N most distinctive terms per outlet\n"
    "                           (text shows 20 unless given)\n"
    "  --lexicon-only           only terms that a lexicon pattern can match\n"
    "  --prior FILE             prior counts (term<TAB>count) instead of the\n"
    "                           pooled corpus\n"
    "  --threads N              worker threads (default: all cores); the\n"
    "                           output is the same for any number\n"
    "  --window-bytes BYTES     count longer files in windows of about this\n"
    "                           size, cut between paragraphs, in bounded\n"
    "                           memory (default 1 MiB; 0: whole)\n"
    "  --counts                 the arguments are counts files of framescore\n"
    "                           count (or merge): merge them and compute the\n"
    "                           keyness without the texts (their --voice and\n"
    "                           --surface are the counts')\n"
    "  --group-by COLUMN[:N]    group by a manifest column instead of the\n"
    "                           outlet (its first N characters: date:7 is\n"
    "                           the month)\n"
    "  --no-default-lexicons, --max-file-size N, --color auto|always|never\n"
    "  --exclude PATTERN        switch off the lexicon entries written\n"
    "                           PATTERN (repeatable)\n"
    "  --format text|csv|jsonl|html, -o FILE, --lexicon PATH, --lang LANG,\n"
    "  --quiet                  (html: the terms page, each term placed by\n"
    "                           its rate in one outlet against the rest,\n"
    "                           searchable, its hits on a click)\n"
    "  --progress               the progress line on stderr even when it\n"
    "                           is not a terminal\n"
    "  --stop-words FILE|none   leave the words of FILE (one a line) out of\n"
    "                           the rows; html leaves out the language's\n"
    "                           function words (stopwords.txt beside the\n"
    "                           default lexicons) unless given none\n"
    "  --excel-safe             csv: a text cell starting with = + - @ gets a\n"
    "                           ' first, so spreadsheets do not run it\n"
    "  -h, --help\n";

typedef struct terms_run {
  const cli_opts *o;
  fs_terms *terms;
  FILE *out;
  const char *format;
  bool started;    /* the csv header is written */
  cli_ordered *q;  /* rows rendered on the threads, or NULL */
} terms_run;

static void render_row(void *user, FILE *out, const void *item) {
  const terms_run *run = user;
  fs_render_terms_row(out, run->terms, run->format, item);
}

/* csv and jsonl rows are written as each comparison is done (the header
 * with the first, so that an error found before it leaves no output),
 * formatted on the --threads threads */
static void emit_row(void *user, const fs_terms *t, const fs_terms_row *r) {
  terms_run *run = user;
  if (!run->started)
    fs_render_terms_header(run->out, run->format);
  run->started = true;
  if (run->q)
    cli_ordered_add(run->q, r);
  else
    fs_render_terms_row(run->out, t, run->format, r);
}

/* In corpus order: a document's words (for a long one read in windows,
 * those its windows gathered: prep). */
static int add_doc(void *user, const fs_corpus_doc *cd, char *text, fs_doc *doc,
                   void *prep, size_t source, const fs_vocab_delta *vocab) {
  terms_run *r = user;
  int rc = cli_terms_add_extra(r->terms, cd, doc, prep, source, vocab);
  cli_doc_extra_free(prep);
  fs_doc_free(doc);
  free(text);
  return rc;
}

/* A long document, on the thread that reads it: its words, window by
 * window. */
static int window_doc(void *user, fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                      fs_doc **doc, void **prep, cli_stream_info *info) {
  const terms_run *r = user;
  return cli_window_totals(ctx, cd, fd, r->o, NULL, r->terms->voice, doc,
                           (cli_doc_extra **)prep, info);
}

static int no_doc(void *user, const fs_shard_doc *d, const fs_terms *t) {
  (void)user, (void)d, (void)t;
  return FS_OK;
}

/* terms --counts FILE...: the merged term counts of counts files, in *t
 * (owned by s). */
static int merged_terms(const cli_opts *o, cli_shards *s, fs_terms **t) {
  fs_error err = {0};
  *t = NULL;
  if (o->nargs == 0 || o->manifest) {
    cli_error("--counts takes counts files as arguments (no --manifest)");
    return FS_ERR_USAGE;
  }
  /* term counts are added up per outlet as they are counted */
  if (o->group_by && strcmp(o->group_by, "outlet")) {
    cli_error("--counts --group-by: the term counts are per outlet as "
              "counted; count them with --group-by %s",
              o->group_by);
    return FS_ERR_USAGE;
  }
  int rc = cli_check_outputs(o, NULL);
  if (rc || (rc = cli_shards_open(s, o->args, (size_t)o->nargs)))
    return rc;
  if (fs_shard_merge_meta(s->merge)->surface != o->surface) {
    cli_error("%s: the counts are of %s: count them again with%s --surface",
              o->args[0], o->surface ? "stems" : "surface forms",
              o->surface ? "" : "out");
    return FS_ERR_USAGE;
  }
  if ((rc = fs_shard_merge_run(s->merge, no_doc, NULL, &err))) {
    cli_print_error(&err);
    return rc;
  }
  *t = fs_shard_merge_terms(s->merge);
  return FS_OK;
}

int cli_terms(int argc, char **argv) {
  cli_opts o;
  int rc = cli_parse(&o, CLI_TERMS, "terms", help, argc, argv);
  if (rc)
    return rc < 0 ? 0 : rc;
  cli_session ss = {0};
  cli_shards shards = {0};
  fs_error err = {0};
  fs_terms own, *terms = &own;
  cli_out out = {0};
  int setup = o.counts ? merged_terms(&o, &shards, &terms)
                       : cli_begin(&o, false, &ss);
  fs_terms_init(&own, ss.ctx, cli_voice(o.voice), o.surface);
  if (!terms)
    terms = &own;
  terms_run run = {&o, terms, NULL, o.format, false, NULL};
  /* text shows the top 20 unless told otherwise: keep only what is shown */
  long top = o.top > 0 ? o.top : o.fmt == CLI_FORMAT_TEXT ? 20 : 0;
  bool *skip = NULL;
  char stop_desc[4400] = "";
  fs_terms_opts to = {{o.pair[0], o.pair[1]}, o.min_count, o.lexicon_only,
                      top, NULL, NULL, NULL};
  if (setup) {
    rc = setup;
    goto done;
  }
  if (!o.counts && (rc = cli_each_doc_prep_long(
                        &o, &ss.corpus, ss.ctx, NULL, window_doc,
                        cli_doc_extra_free, true, add_doc, &run, &ss.failed)))
    goto done;
  if (o.prior) {
    char *data, msg[512];
    size_t len;
    if (cli_read_input(o.prior, (size_t)1 << 30, &data, &len, msg,
                       sizeof msg)) {
      fprintf(stderr, "%s: %s\n", o.prior, msg);
      rc = FS_ERR_INPUT;
      goto done;
    }
    rc = fs_terms_set_prior(terms, data, len, o.prior, &err);
    free(data);
    if (rc) {
      cli_print_error(&err);
      goto done;
    }
  }
  /* stop words: --stop-words FILE for every format; the html page takes
   * the language's list unless told otherwise */
  if ((o.stop_words || o.fmt == CLI_FORMAT_HTML) &&
      (rc = cli_stop_words(&o, terms, o.counts
                                          ? fs_shard_merge_meta(shards.merge)
                                                ->lang
                                          : ss.lang,
                           ss.ctx, &skip, stop_desc, sizeof stop_desc)))
    goto done;
  to.skip = skip;
  if ((rc = cli_out_open(&out, o.output)) ||
      (rc = cli_out_filter(&out, &o, CLI_OUT_KIND(&o)))) {
    rc = FS_ERR_INPUT;
    goto done;
  }
  if (o.fmt == CLI_FORMAT_HTML) {
    if ((rc = cli_terms_html(&o, &ss, terms, skip, stop_desc, out.f)))
      goto done;
    rc = ss.failed ? FS_ERR_INPUT : FS_OK;
    if (cli_out_commit(&out))
      rc = FS_ERR_INPUT;
    goto done;
  }
  bool stream = o.fmt == CLI_FORMAT_CSV || o.fmt == CLI_FORMAT_JSONL;
  if (stream) {
    run.out = out.f;
    run.q = cli_ordered_new(out.f, (size_t)o.threads, sizeof(fs_terms_row),
                            render_row, &run);
    to.emit = emit_row;
    to.emit_user = &run;
  }
  rc = fs_terms_run(terms, &to, &err);
  int qrc = cli_ordered_finish(run.q); /* the last rows, in order */
  run.q = NULL;
  if (rc) {
    cli_print_error(&err);
    goto done;
  }
  if (qrc) {
    cli_error("out of memory");
    rc = qrc;
    goto done;
  }
  if (!stream)
    fs_render_terms(out.f, terms, o.format, o.top);
  else if (!run.started)
    fs_render_terms_header(out.f, o.format);
  rc = ss.failed ? FS_ERR_INPUT : FS_OK;
  if (cli_out_commit(&out))
    rc = FS_ERR_INPUT;
done:
  free(skip);
  cli_out_abort(&out);
  fs_terms_free(&own);
  cli_shards_close(&shards);
  cli_end(&ss);
  return rc;
}
