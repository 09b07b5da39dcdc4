/* SPDX-License-Identifier: GPL-3.0-or-later */
/* count.c - `framescore count` (documents -> a counts file) and
 * `framescore merge` (counts files -> one counts file): the counting stage
 * of compare and terms, split into shards that run anywhere and merge. */
#include "cli.h"
#include "compare.h"
#include "model.h"
#include "shard.h"
#include "terms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const count_help =
    "Usage: framescore count [OPTIONS] (--manifest FILE.csv | DIR | FILE...)"
    " -o OUT.fsc\n"
    "\n"
    "Counts what compare, terms and report --format csv need from a batch\n"
    "of documents (each document's variables, measure counts and report\n"
    "numbers, the batch's term counts per outlet) into a compact,\n"
    "zstd-compressed counts file. Counts files of any batches merge\n"
    "(framescore merge, or compare / terms / report --counts with many\n"
    "files) into the results of one run over all their documents in path\n"
    "order, whatever the split, the order of the files or the threads.\n"
    "\n"
    "Options:\n"
    "  --manifest FILE.csv      documents and outlets (path,outlet,...)\n"
    "  --outlet-from REGEX      outlet = capture group 1 of the file name\n"
    "  --group-by COLUMN[:N]    the outlets are the values of a manifest\n"
    "                           column (its first N characters), for terms\n"
    "                           by it (compare --counts groups by any)\n"
    "  --shard K/N              only the K-th of N equal runs of the\n"
    "                           documents in path order (1 <= K <= N): one\n"
    "                           job of an array, all reading one manifest\n"
    "  --voice author|quote|all which words count (default author)\n"
    "  --quote-weight W         loaded_score counts quoted speech at W of its\n"
    "                           matches and words (0 to 1; default 0.5; 0:\n"
    "                           the own voice only); kept in the file\n"
    "  --model FILE|none        framing dimensions (default the default\n"
    "                           model)\n"
    "  --word-vectors FILE      the word vectors a model with vector: features\n"
    "                           or a tagger inside was trained with (train\n"
    "                           --word-vectors, --tagger-vectors)\n"
    "  --surface                term counts of lowercased surface forms\n"
    "                           (for terms --surface) instead of stems\n"
    "  -o, --output FILE        the counts file (atomically; - for stdout)\n"
    "  --lexicon PATH, --no-default-lexicons, --lang LANG, --max-file-size N\n"
    "  --exclude PATTERN        switch off the lexicon entries written\n"
    "                           PATTERN (repeatable)\n"
    "  --window-bytes BYTES     count longer files in windows of about this\n"
    "                           size, cut between paragraphs, in bounded\n"
    "                           memory, with the counts of the whole (default\n"
    "                           1 MiB; 0: whole)\n"
    "  --threads N              worker threads (default: all cores)\n"
    "  --quiet\n"
    "  --progress               the progress line on stderr even when it\n"
    "                           is not a terminal\n"
    "  -h, --help\n";

static const char *const merge_help =
    "Usage: framescore merge COUNTS.fsc... -o OUT.fsc\n"
    "\n"
    "Merges counts files of framescore count (or of merge: a tree of merges\n"
    "gives the same file) into one. Streams: memory holds the vocabulary and\n"
    "a document per file. Files made with different settings (lexicons,\n"
    "model, language, voice, --surface, framescore version) are refused, and\n"
    "so is a document in two files.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE        the merged file (atomically; - for stdout)\n"
    "  --quiet\n"
    "  -h, --help\n";

/* ---- reading counts files ------------------------------------------------ */

static ssize_t fd_read(void *user, void *buf, size_t cap) {
  return read(*(int *)user, buf, cap);
}

bool cli_is_shard(const char *path) {
  fs_error err = {0};
  int fd;
  size_t size;
  /* only regular files: "-" and anything else stay the CSV reader's, which
   * refuses them with its messages */
  if (!strcmp(path, "-") || fs_input_open(path, SIZE_MAX, "", &fd, &size, &err))
    return false;
  unsigned char b[4];
  ssize_t n = read(fd, b, sizeof b);
  close(fd);
  return n == 4 && fs_shard_sniff(b, 4);
}

int cli_shards_open(cli_shards *s, char *const *paths, size_t n) {
  memset(s, 0, sizeof *s);
  s->src = calloc(n ? n : 1, sizeof *s->src);
  s->fd = malloc((n ? n : 1) * sizeof *s->fd);
  if (!s->src || !s->fd) {
    cli_error("out of memory");
    return FS_ERR_NOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    fs_error err = {0};
    size_t size;
    if (fs_input_open(paths[i], SIZE_MAX, "", &s->fd[i], &size, &err)) {
      cli_print_error(&err);
      return FS_ERR_INPUT;
    }
    s->n = i + 1;
    s->src[i] = (fs_shard_source){paths[i], fd_read, &s->fd[i]};
  }
  fs_error err = {0};
  if (!(s->merge = fs_shard_merge_new(s->src, n, &err))) {
    cli_print_error(&err);
    return FS_ERR_INPUT;
  }
  return FS_OK;
}

void cli_shards_close(cli_shards *s) {
  fs_shard_merge_free(s->merge);
  for (size_t i = 0; i < s->n; i++)
    if (s->fd[i] != STDIN_FILENO)
      close(s->fd[i]);
  free(s->src), free(s->fd);
  memset(s, 0, sizeof *s);
}

/* ---- count ------------------------------------------------------------------
 */

typedef struct count_run {
  const cli_opts *o;
  fs_compare *cmp;
  fs_terms *terms;
  fs_shard_writer *w;
  double *report; /* a document's report numbers */
} count_run;

/* On the thread that analysed the document: the model's dimensions, in a
 * cli_doc_extra (NULL without a model). */
static int score_doc(void *user, fs_ctx *ctx, const fs_corpus_doc *cd,
                     fs_doc *doc, void **prep) {
  (void)cd;
  return cli_prep_extra(((const count_run *)user)->cmp->model, ctx, doc, prep);
}

/* A long document, on the thread that reads it: window by window, its
 * totals, dimensions, words and entries, which count as the whole's. */
static int window_doc(void *user, fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                      fs_doc **doc, void **prep, cli_stream_info *info) {
  const count_run *r = user;
  return cli_window_totals(ctx, cd, fd, r->o, r->cmp->model, r->terms->voice,
                           doc, (cli_doc_extra **)prep, info);
}

static int count_doc(void *user, const fs_corpus_doc *cd, char *text,
                     fs_doc *doc, void *prep, size_t source,
                     const fs_vocab_delta *vocab) {
  count_run *r = user;
  const cli_doc_extra *x = prep;
  size_t stems0 = fs_terms_nstems(r->terms), forms0 = fs_terms_nforms(r->terms);
  int rc = cli_terms_add_extra(r->terms, cd, doc, x, source, vocab);
  if (rc == FS_OK &&
      (rc = fs_compare_add_totals(r->cmp, NULL, cd->outlet, doc,
                                  x ? x->dv : NULL, x ? x->entry_n : NULL)))
    cli_error("out of memory");
  cli_doc_extra_free(prep);
  if (rc == FS_OK)
    fs_shard_report_row(fs_doc_stats_get(doc), r->report);
  fs_doc_free(doc);
  free(text);
  if (rc)
    return rc;
  /* one document's row at a time: the file holds them, not memory */
  fs_compare *c = r->cmp;
  const fs_compare_doc *d = &c->docs[c->ndocs - 1];
  /* the row as the counts file holds it: every column a double */
  double *row = malloc((c->width + 1) * sizeof *row);
  if (!row) {
    cli_error("out of memory");
    return FS_ERR_NOMEM;
  }
  for (size_t j = 0; j < c->width; j++)
    row[j] = fs_compare_value(c, c->ndocs - 1, j);
  const uint32_t *ent;
  size_t nent = fs_compare_last_entries(c, &ent);
  /* a document given beside the manifest has no variables (NULL): empty */
  fs_shard_doc sd = {.path = cd->path,
                     .outlet = c->outlets[d->outlet],
                     .name = fs_corpus_name(cd),
                     .vars = (const char *const *)cd->extra,
                     .row = row,
                     .report = r->report,
                     .stems0 = stems0,
                     .forms0 = forms0,
                     .ent = ent,
                     .nent = nent,
                     .no_outlet = !cd->outlet || !*cd->outlet};
  rc = fs_shard_write_doc(r->w, &sd, r->terms);
  free(row);
  fs_compare_drop_docs(c);
  if (rc == FS_ERR_USAGE)
    cli_error("%s: listed twice", cd->path);
  else if (rc)
    cli_error("write error");
  return rc;
}

static int by_path(const void *a, const void *b) {
  return strcmp(((const fs_corpus_doc *)a)->path,
                ((const fs_corpus_doc *)b)->path);
}

int cli_count(int argc, char **argv) {
  cli_opts o;
  int rc = cli_parse(&o, CLI_COUNT, "count", count_help, argc, argv);
  if (rc)
    return rc < 0 ? 0 : rc;
  if (!o.output) {
    cli_error("count needs -o FILE (- for stdout)\nTry 'framescore count "
              "--help'.");
    return FS_ERR_USAGE;
  }
  cli_session ss;
  int setup = cli_begin(&o, false, &ss);
  fs_ctx *ctx = ss.ctx;
  fs_terms terms;
  fs_terms_init(&terms, ctx, cli_voice(o.voice), o.surface);
  fs_compare cmp;
  fs_compare_init(&cmp, ss.lex, cli_voice(o.voice));
  bool model_failed = false;
  fs_model *model = ctx ? cli_model(&o, ss.lex, &model_failed) : NULL;
  cmp.model = model;
  cmp.ctx = ctx;
  fs_shard_writer *w = NULL;
  fs_shard_meta meta = {0};
  double *report = NULL;
  cli_out out = {0};
  if (setup || model_failed) {
    rc = setup ? setup : FS_ERR_INPUT;
    goto done;
  }
  /* stem features read stems through the analysing context: score_doc
   * scores on the thread that analysed the document */
  /* the canonical order: by path, so that any split merges back to it */
  fs_corpus view = ss.corpus;
  qsort(view.docs, view.ndocs, sizeof *view.docs, by_path);
  if (o.shard_n) {
    size_t n = ss.corpus.ndocs, k = (size_t)o.shard_k - 1;
    size_t from = n * k / (size_t)o.shard_n;
    size_t to = n * (k + 1) / (size_t)o.shard_n;
    view.docs += from;
    view.ndocs = to - from;
  }
  if (fs_compare_measures(&cmp)) {
    cli_error("out of memory");
    rc = FS_ERR_NOMEM;
    goto done;
  }
  if (fs_shard_meta_init(&meta, &cmp, o.surface, ss.corpus.extra_names,
                         ss.corpus.nextra) ||
      !(report = calloc(fs_shard_report_width(meta.ncats), sizeof *report))) {
    cli_error("out of memory");
    rc = FS_ERR_NOMEM;
    goto done;
  }
  if ((rc = cli_out_open(&out, o.output)))
    goto done;
  if (!(w = fs_shard_writer_new(out.f, &meta, 0))) {
    cli_error("out of memory");
    rc = FS_ERR_NOMEM;
    goto done;
  }
  count_run run = {&o, &cmp, &terms, w, report};
  /* long documents are read in windows unless the model reads more of
   * them than their totals (stem features, sentence units) */
  bool windows = !model || fs_model_reads_totals(model);
  if ((rc = cli_each_doc_prep_long(
           &o, &view, ctx, score_doc, windows ? window_doc : NULL,
           cli_doc_extra_free, true, count_doc, &run, &ss.failed)))
    goto done;
  if ((rc = fs_shard_write_end(w, &terms))) {
    cli_error("%s: write error", o.output);
    goto done;
  }
  rc = cli_out_commit(&out) ? FS_ERR_INPUT : ss.failed ? FS_ERR_INPUT : FS_OK;
  if (cli_vectors_intact(model, NULL))
    rc = FS_ERR_INPUT;
done:
  cli_out_abort(&out);
  fs_shard_writer_free(w);
  fs_shard_meta_done(&meta);
  free(report);
  fs_terms_free(&terms);
  fs_compare_free(&cmp);
  fs_model_free(model);
  cli_end(&ss);
  return rc == FS_OK || rc == FS_ERR_USAGE ? rc : FS_ERR_INPUT;
}

/* ---- merge ------------------------------------------------------------------
 */

static int merge_doc(void *user, const fs_shard_doc *d, const fs_terms *t) {
  int rc = fs_shard_write_doc(user, d, t);
  if (rc)
    cli_error("write error");
  return rc;
}

int cli_merge(int argc, char **argv) {
  cli_opts o;
  int rc = cli_parse(&o, CLI_MERGE, "merge", merge_help, argc, argv);
  if (rc)
    return rc < 0 ? 0 : rc;
  if (!o.output || o.nargs == 0) {
    cli_error("merge takes counts files and -o FILE\nTry 'framescore merge "
              "--help'.");
    return FS_ERR_USAGE;
  }
  if ((rc = cli_check_outputs(&o, NULL)))
    return rc;
  cli_shards s;
  cli_out out = {0};
  fs_shard_writer *w = NULL;
  fs_error err = {0};
  if ((rc = cli_shards_open(&s, o.args, (size_t)o.nargs)) ||
      (rc = cli_out_open(&out, o.output)))
    goto done;
  if (!(w = fs_shard_writer_new(out.f, fs_shard_merge_meta(s.merge), 0))) {
    cli_error("out of memory");
    rc = FS_ERR_NOMEM;
    goto done;
  }
  if ((rc = fs_shard_merge_run(s.merge, merge_doc, w, &err))) {
    if (err.msg[0])
      cli_print_error(&err);
    goto done;
  }
  if ((rc = fs_shard_write_end(w, fs_shard_merge_terms(s.merge)))) {
    cli_error("%s: write error", o.output);
    goto done;
  }
  rc = cli_out_commit(&out) ? FS_ERR_INPUT : FS_OK;
done:
  cli_out_abort(&out);
  fs_shard_writer_free(w);
  cli_shards_close(&s);
  return rc == FS_OK || rc == FS_ERR_USAGE ? rc : FS_ERR_INPUT;
}
