/* SPDX-License-Identifier: GPL-3.0-or-later */
/* compare.c - `framescore compare`: per-outlet framing rates with bootstrap
 * confidence intervals and document- and token-level tests. */
#include "cli.h"
#include "compare.h"
#include "intern.h"
#include "model.h"
#include "shard.h"
#include "terms.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const help =
    "Usage: framescore compare [OPTIONS] (--manifest FILE.csv | DIR | "
    "FILE...)\n"
    "       framescore compare [OPTIONS] --counts COUNTS.fsc...\n"
    "\n"
    "Compares outlets: per outlet and measure (each lexicon category, each\n"
    "family total such as loaded.*, and the loaded-language score) the rate\n"
    "per 1,000 words with a 95% bootstrap interval over documents; tests of\n"
    "each outlet against the rest (or --pair A B): with 2+ documents per side\n"
    "Mann-Whitney U, Welch's t and a permutation test of the difference in\n"
    "mean per-document rates (exact up to 100,000 relabellings; the bootstrap\n"
    "test over documents instead when both sides have 200+ documents), and\n"
    "Kruskal-Wallis across outlets; always the token-level G2 (Williams),\n"
    "chi-square (Yates) and Fisher's exact test (when an expected count is\n"
    "under 5), labelled token-level; rate ratio with CI and Cohen's h;\n"
    "Benjamini-Hochberg q-values within each test. With 2+ outlets, the\n"
    "measure distinctive_score: the loaded-language score story-relative\n"
    "(an entry counts as far as its outlet uses it beyond the rest of the\n"
    "corpus), tested between outlets like the others, and with a model\n"
    "distinctive_DIM for each per-1,000-words dimension (permutation tests\n"
    "that estimate the outlet factors again, on --threads threads).\n"
    "\n"
    "Options:\n"
    "  --manifest FILE.csv      documents and outlets (path,outlet,...)\n"
    "  --outlet-from REGEX      outlet = capture group 1 of the file name\n"
    "                           (POSIX extended: [0-9], not \\d)\n"
    "  --voice author|quote|all which words count (default author)\n"
    "  --quote-weight W         loaded_score (--voice author) counts quoted\n"
    "                           speech at W of its matches and words (0 to 1;\n"
    "                           default 0.5; 0: the own voice only)\n"
    "  --model FILE|none        framing dimensions, compared as measures too\n"
    "                           (default models/default.model)\n"
    ;
/* (split: C99 compilers need take no string longer than 4095 bytes) */
static const char *const help_more =
    "  --word-vectors FILE      the word vectors a model with vector: features\n"
    "                           or a tagger inside was trained with (train\n"
    "                           --word-vectors, --tagger-vectors)\n"
    "  --pair A B               compare two outlets instead of each vs rest\n"
    "  --bootstrap N            bootstrap resamples (default 2000)\n"
    "  --permutations N         random relabellings when the permutation test\n"
    "                           cannot enumerate them all (default 10000)\n"
    "  --seed N                 random seed (default 1): same seed, same output\n"
    "  --distinct-prior WORDS   distinctive_score: the prior of the rest's rate\n"
    "                           (default 500 words), as for report\n"
    "  --format text|csv|jsonl|html  (default text; html: one self-contained\n"
    "                           page with charts and distinctive words)\n"
    "  -o, --output FILE        write there (atomically)\n"
    "  --save-counts FILE.csv   also write the per-document counts (one row\n"
    "                           per document and measure): the statistics'\n"
    "                           whole input, to merge with other runs\n"
    "  --counts                 the arguments are counts files (of\n"
    "                           framescore count or merge, or the CSV of\n"
    "                           --save-counts; one per machine or batch):\n"
    "                           merge them and compute the statistics without\n"
    "                           the texts\n"
    "  --group-by COLUMN[:N]    group by a manifest column instead of the\n"
    "                           outlet (its first N characters: date:7 is\n"
    "                           the month)\n"
    "  --lexicon PATH, --no-default-lexicons, --lang LANG, --max-file-size N\n"
    "  --exclude PATTERN        switch off the lexicon entries written\n"
    "                           PATTERN (repeatable)\n"
    "  --color auto|always|never\n"
    "  --window-bytes BYTES     count longer files in windows of about this\n"
    "                           size, cut between paragraphs, in bounded\n"
    "                           memory (default 1 MiB; 0: whole)\n"
    "  --threads N              worker threads (default: all cores); the\n"
    "                           output is the same for any number\n"
    "  --quiet\n"
    "  --progress               the progress line on stderr even when it\n"
    "                           is not a terminal\n"
    "  --excel-safe             csv: a text cell starting with = + - @ gets a\n"
    "                           ' first, so spreadsheets do not run it\n"
    "  -h, --help\n";

typedef struct compare_run {
  const cli_opts *o;
  fs_compare *cmp;
  fs_terms *terms; /* --format html: keyness for the page, or NULL */
  bool names;      /* keep document names (for --save-counts) */
} compare_run;

/* On the thread that analysed the document: the model's dimensions, in a
 * cli_doc_extra as a long document's (window_doc). */
static int score_doc(void *user, fs_ctx *ctx, const fs_corpus_doc *cd,
                     fs_doc *doc, void **prep) {
  (void)cd;
  return cli_prep_extra(((const compare_run *)user)->cmp->model, ctx, doc,
                        prep);
}

/* A long document, on the thread that reads it: window by window, its
 * totals, dimensions, entries and (html) words, which count as the
 * whole's. */
static int window_doc(void *user, fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                      fs_doc **doc, void **prep, cli_stream_info *info) {
  const compare_run *r = user;
  return cli_window_totals(ctx, cd, fd, r->o, r->cmp->model,
                           r->terms ? r->terms->voice : -1, doc,
                           (cli_doc_extra **)prep, info);
}

/* In corpus order: the document's row, with keyness for the html page
 * (the term counts map the ids of the context that analysed it). */
static int add_doc(void *user, const fs_corpus_doc *cd, char *text,
                   fs_doc *doc, void *prep, size_t source,
                   const fs_vocab_delta *vocab) {
  compare_run *r = user;
  const cli_doc_extra *x = prep;
  int rc = r->terms
               ? cli_terms_add_extra(r->terms, cd, doc, x, source, vocab)
               : FS_OK;
  if (rc == FS_OK &&
      (rc = fs_compare_add_totals(r->cmp, r->names ? fs_corpus_name(cd) : NULL,
                                  cd->outlet, doc, x ? x->dv : NULL,
                                  x ? x->entry_n : NULL)))
    cli_error("out of memory");
  fs_doc_free(doc);
  free(text);
  cli_doc_extra_free(prep);
  return rc;
}

/* Writes the statistics of fs_compare_run(). */
static int write_results(const cli_opts *o, fs_compare *cmp,
                         const fs_compare_opts *co, fs_terms *terms) {
  fs_error err = {0};
  int rc = fs_compare_run(cmp, co, &err);
  if (rc != FS_OK) {
    cli_print_error(&err);
    return rc;
  }
  cli_out out = {0};
  if ((rc = cli_out_open(&out, o->output)) ||
      (rc = cli_out_filter(&out, o, CLI_OUT_KIND(o)))) {
    cli_out_abort(&out);
    return FS_ERR_INPUT;
  }
  if (terms) {
    if (cli_html_compare(o, cmp, co, terms, out.f) != FS_OK) {
      cli_error("out of memory");
      cli_out_abort(&out);
      return FS_ERR_INPUT;
    }
  } else {
    fs_render_compare(out.f, cmp, o->format, co);
  }
  return cli_out_commit(&out) ? FS_ERR_INPUT : FS_OK;
}

/* --save-counts: the documents' counts, atomically. */
static int save_counts(const char *path, const fs_compare *cmp) {
  cli_out out = {0};
  if (cli_out_open(&out, path))
    return FS_ERR_INPUT;
  if (fs_compare_write_counts(out.f, cmp) != FS_OK) {
    cli_error("%s: write error", path);
    cli_out_abort(&out);
    return FS_ERR_INPUT;
  }
  return cli_out_commit(&out) ? FS_ERR_INPUT : FS_OK;
}

#define COUNTS_CHUNK ((size_t)4 << 20)

/* Reads one counts file piece by piece: a merge of many machines' counts
 * may be larger than memory should hold (the documents' rows are kept, not
 * the text), so no --max-file-size applies to it; the buffer never grows,
 * so a record (at most FS_CSV_MAX_RECORD bytes) that does not end within
 * it is refused there, whatever the input streams. */
static int read_counts(fs_compare *cmp, const char *path, fs_intern *seen) {
  fs_error err = {0};
  int fd;
  size_t size;
  if (fs_input_open(path, SIZE_MAX, "", &fd, &size, &err)) {
    cli_print_error(&err);
    return FS_ERR_INPUT;
  }
  fs_counts_reader *cr = fs_counts_reader_new(cmp, path, seen, &err);
  size_t have = 0;
  char *buf = malloc(COUNTS_CHUNK);
  int rc = cr && buf ? FS_OK : FS_ERR_NOMEM;
  if (!cr && buf)
    cli_print_error(&err);
  else if (!buf)
    cli_error("out of memory");
  while (rc == FS_OK) {
    ssize_t n = read(fd, buf + have, COUNTS_CHUNK - have);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      cli_error("%s: %s", path, strerror(errno));
      rc = FS_ERR_INPUT;
      break;
    }
    have += (size_t)n;
    bool last = n == 0;
    size_t used = 0;
    if ((rc = fs_counts_reader_feed(cr, buf, have, last, &used, &err))) {
      cli_print_error(&err);
      break;
    }
    if (!last && used == 0 && have == COUNTS_CHUNK) {
      cli_error("%s: a record longer than %d bytes (or no line breaks)", path,
                FS_CSV_MAX_RECORD);
      rc = FS_ERR_INPUT;
      break;
    }
    memmove(buf, buf + used, have - used);
    have -= used;
    if (last)
      break;
  }
  if (rc == FS_OK) {
    rc = fs_counts_reader_finish(cr, &err);
    cr = NULL;
    if (rc)
      cli_print_error(&err);
  }
  fs_counts_reader_free(cr);
  free(buf);
  if (fd != STDIN_FILENO)
    close(fd);
  return rc == FS_OK || rc == FS_ERR_NOMEM ? rc : FS_ERR_INPUT;
}

/* compare --counts: the compare, and --group-by's column of the documents'
 * variables (-1: the outlet) and its N characters (-1: all). */
typedef struct push_run {
  fs_compare *c;
  long col, chars;
} push_run;

/* One merged document of counts files (count, merge) into the compare, in
 * its outlet or its --group-by group. */
static int push_doc(void *user, const fs_shard_doc *d, const fs_terms *t) {
  (void)t;
  const push_run *p = user;
  fs_compare *c = p->c;
  size_t M = c->nmeasures;
  double *counts = malloc((2 * M + 1) * sizeof *counts);
  char *group = NULL;
  if (p->col >= 0 || p->chars >= 0) {
    const char *v = p->col >= 0     ? d->vars[p->col]
                    : d->no_outlet ? ""
                                   : d->outlet;
    size_t len = fs_group_len(v, p->chars);
    if ((group = malloc(len + 1)))
      memcpy(group, v, len), group[len] = '\0';
  }
  uint32_t o = p->col >= 0 || p->chars >= 0
                   ? group ? fs_compare_outlet(c, group) : FS_NONE
                   : fs_compare_outlet(c, d->outlet);
  free(group);
  if (!counts || o == FS_NONE) {
    free(counts);
    cli_error("out of memory");
    return FS_ERR_NOMEM;
  }
  for (size_t k = 0; k < M; k++) {
    counts[k] = d->row[k];
    counts[M + k] = d->row[c->den_col[k]];
  }
  int rc = fs_compare_push(c, NULL, o, d->row[M], counts, counts + M);
  free(counts);
  if (rc == FS_OK && c->entries &&
      (rc = fs_compare_push_entries(
           c, d->report[FS_SHARD_REPORT_WORDS + FS_VOICE_AUTHOR], d->ent,
           d->nent)) == FS_ERR_INPUT) {
    cli_error("%s: bad entry counts", d->path);
    return rc;
  }
  if (rc)
    cli_error("out of memory");
  return rc;
}

/* compare --counts with counts files of count and merge */
static int read_shards(fs_compare *cmp, const cli_opts *o) {
  cli_shards s;
  fs_error err = {0};
  int rc = cli_shards_open(&s, o->args, (size_t)o->nargs);
  if (rc == FS_OK) {
    const fs_shard_meta *meta = fs_shard_merge_meta(s.merge);
    cmp->voice = meta->voice;
    cmp->quote_weight = meta->quote_weight;
    if (!(cmp->measures = calloc(meta->nmeasures + 1, sizeof *cmp->measures))) {
      cli_error("out of memory");
      rc = FS_ERR_NOMEM;
    }
  }
  if (rc == FS_OK) {
    const fs_shard_meta *meta = fs_shard_merge_meta(s.merge);
    memcpy(cmp->measures, meta->measures,
           meta->nmeasures * sizeof *cmp->measures);
    cmp->nmeasures = meta->nmeasures;
    if (fs_compare_layout(cmp) ||
        (meta->entries &&
         fs_compare_entries_given(cmp, meta->slot_weight, meta->nslots))) {
      cli_error("out of memory");
      rc = FS_ERR_NOMEM;
    }
  }
  push_run p = {cmp, -1, -1};
  if (rc == FS_OK && o->group_by) {
    const fs_shard_meta *meta = fs_shard_merge_meta(s.merge);
    char buf[1200];
    if ((rc = fs_group_spec(o->group_by, meta->vars, meta->nvars, &p.col,
                            &p.chars, &err)))
      cli_error("%s (in the counts files)\nTry 'framescore compare --help'.",
                fs_error_format(&err, buf, sizeof buf));
  }
  if (rc == FS_OK &&
      (rc = fs_shard_merge_run(s.merge, push_doc, &p, &err)) && err.msg[0])
    cli_print_error(&err);
  if (rc == FS_OK && cmp->ndocs == 0) {
    cli_error("no documents in the counts files");
    rc = FS_ERR_INPUT;
  }
  cli_shards_close(&s);
  return rc;
}

/* compare --counts FILE...: statistics from saved counts. A bad file stops
 * the run before any output: statistics over part of a merge would pass
 * for the whole. */
static int compare_counts(const cli_opts *o) {
  if (o->fmt == CLI_FORMAT_HTML) {
    cli_error("--counts: the html page shows the articles; use text, csv "
              "or jsonl");
    return FS_ERR_USAGE;
  }
  if (o->nargs == 0 || o->manifest || o->save_counts) {
    cli_error("--counts takes counts files as arguments (no --manifest or "
              "--save-counts)");
    return FS_ERR_USAGE;
  }
  int rc = cli_check_outputs(o, NULL);
  if (rc)
    return rc;
  fs_compare cmp;
  fs_compare_init(&cmp, NULL, FS_VOICE_AUTHOR);
  cmp.drop_names = true; /* no --save-counts here */
  cmp.distinct_prior = o->distinct_prior;
  fs_intern seen;
  fs_intern_init(&seen);
  /* counts files of count and merge, or the CSV of --save-counts */
  bool shards = cli_is_shard(o->args[0]);
  if (shards)
    rc = read_shards(&cmp, o);
  for (int i = 0; !shards && i < o->nargs && rc == FS_OK; i++)
    rc = read_counts(&cmp, o->args[i], &seen);
  fs_compare_opts co = {.seed = o->seed,
                        .bootstrap = o->bootstrap,
                        .pair = {o->pair[0], o->pair[1]},
                        .threads = o->threads,
                        .permutations = o->permutations};
  /* the names of 500,000 documents are no use to the statistics */
  fs_intern_free(&seen);
  if (rc == FS_OK)
    rc = write_results(o, &cmp, &co, NULL);
  fs_compare_free(&cmp);
  return rc == FS_OK || rc == FS_ERR_USAGE ? rc : FS_ERR_INPUT;
}

int cli_compare(int argc, char **argv) {
  cli_opts o;
  char full[8192];
  snprintf(full, sizeof full, "%s%s", help, help_more);
  int rc = cli_parse(&o, CLI_COMPARE, "compare", full, argc, argv);
  if (rc)
    return rc < 0 ? 0 : rc;
  if (o.counts)
    return compare_counts(&o);
  /* the statistics run on every thread asked for, whatever the analysis
   * of the documents may need below */
  int stat_threads = o.threads;
  bool html = o.fmt == CLI_FORMAT_HTML;
  cli_session ss;
  int setup = cli_begin(&o, false, &ss);
  fs_lexicon *lex = ss.lex;
  fs_ctx *ctx = ss.ctx;
  fs_terms terms;
  fs_terms_init(&terms, ctx, cli_voice(o.voice), false);
  fs_compare cmp;
  fs_compare_init(&cmp, lex, cli_voice(o.voice));
  cmp.distinct_prior = o.distinct_prior;
  /* --save-counts: the documents' names are the corpus's, which lives
   * until cmp is freed (a copy of each was about 50 bytes a document) */
  cmp.borrow_names = true;
  bool model_failed = false;
  fs_model *model = ctx ? cli_model(&o, lex, &model_failed) : NULL;
  cmp.model = model;
  cmp.ctx = ctx;
  /* the model scores each document on the thread that analysed it (its
   * stem features read stems through that thread's context): score_doc */
  compare_run run = {&o, &cmp, html ? &terms : NULL, o.save_counts != NULL};
  fs_compare_opts co = {.seed = o.seed,
                        .bootstrap = o.bootstrap,
                        .pair = {o.pair[0], o.pair[1]},
                        .threads = stat_threads,
                        .permutations = o.permutations};
  if (setup || model_failed) {
    rc = setup ? setup : FS_ERR_INPUT;
    goto done;
  }
  /* long documents are read in windows unless the model reads more of
   * them than their totals (stem features, sentence units) */
  bool windows = !model || fs_model_reads_totals(model);
  rc = cli_each_doc_prep_long(&o, &ss.corpus, ctx, score_doc,
                              windows ? window_doc : NULL, cli_doc_extra_free,
                              html, add_doc, &run, &ss.failed);
  if (rc == FS_OK && o.save_counts)
    rc = save_counts(o.save_counts, &cmp);
  if (rc == FS_OK)
    rc = write_results(&o, &cmp, &co, html ? &terms : NULL);
  if (rc == FS_OK && ss.failed)
    rc = FS_ERR_INPUT;
  if (cli_vectors_intact(model, NULL))
    rc = FS_ERR_INPUT;
  if (rc != FS_OK && rc != FS_ERR_USAGE)
    rc = FS_ERR_INPUT; /* exit status 1 */
done:
  fs_terms_free(&terms);
  fs_compare_free(&cmp);
  fs_model_free(model);
  cli_end(&ss);
  return rc;
}
