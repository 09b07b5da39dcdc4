/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report.c - `framescore report`: per-document framing with every match
 * located, as text, tidy CSV or JSONL, plus an optional CSV of matches. */
#include "actors.h"
#include "cli.h"
#include "compare.h"
#include "context.h"
#include "model.h"
#include "render_html.h"
#include "shard.h"
#include "tagger.h"
#include "terms.h"
#include "window.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* two literals: one would pass the 4,095 characters C99 promises */
static const char *const help_usage =
    "Usage: framescore report [OPTIONS] FILE|DIR|- ...\n"
    "       framescore report --format csv [--wide] --counts COUNTS.fsc...\n"
    "\n"
    "Scores each document: words, sentences, share of quoted speech, lexicon\n"
    "matches per category split by voice (the outlet's own 'author' voice vs\n"
    "quoted speech), rates per 1,000 author-voice words, a weighted\n"
    "loaded-language score, and every match with line:col and context.\n"
    "A folder argument is a corpus: each subfolder is an outlet.\n"
    "\n"
    "Options:\n"
    "  --format text|csv|jsonl|html  output format (default text; csv is\n"
    "                           tidy: one row per file x voice x category;\n"
    "                           html is one self-contained page with charts\n"
    "                           and the annotated articles)\n"
    "  --wide                   CSV in LIWC's shape: one row per file with\n"
    "                           Filename, WC, WPS and each category as a\n"
    "                           percentage of words (--voice: which words)\n"
    "  -o, --output FILE        write there (atomically) instead of stdout\n"
    "  --matches FILE.csv       also write one row per match\n"
    "  --html-docs N            html: annotate the N documents with the\n"
    "                           highest scores (default 200; 0: all); the\n"
    "                           others are listed with links to their files\n"
    "  --model FILE|none        framing dimensions (default "
    "models/default.model)\n"
    "  --word-vectors FILE      the word vectors a model with vector: features\n"
    "                           or a tagger inside was trained with (train\n"
    "                           --word-vectors, --tagger-vectors)\n"
    "  --dimensions FILE.csv    also write one row per document x dimension\n"
    "  --scores FILE.csv|.jsonl also write the absolute and story-relative\n"
    "                           (distinctive) score of each document and\n"
    "                           outlet, with the entries that drive them\n"
    "  --distinct-prior WORDS   strength of the corpus-rate prior in the\n"
    "                           distinctive score (default 500 words)\n"
    "  --quote-weight W         quoted speech in loaded_score (0-1; 0.5)\n"
    "  --tagger FILE            a span tagger (train --spans/--words): its\n"
    "                           spans are rows of category 'tagger' in\n"
    "                           --matches and 'tagger_spans' in jsonl\n"
    "  --word-vectors FILE      the word vectors a tagger was trained with\n"
    "                           (default: the path its file records)\n"
    "  --exclude PATTERN        switch off the lexicon entries written\n"
    "                           PATTERN (repeatable), e.g. --exclude terrorist\n";

static const char *const help_options =
    "  --actors FILE            the study's actors (see framescore actors):\n"
    "                           actor.* categories, and in html who is said\n"
    "                           to say, claim or rave, per outlet; their\n"
    "                           names join the person nouns of 'person'\n"
    "                           entries (\"the corrupt Kirby\")\n"
    "  --context-model FILE|default|none\n"
    "                           weigh each match by its probability under a\n"
    "                           context model (default none: every match at\n"
    "                           its entry's weight; 'default':\n"
    "                           models/context.model); --matches gains\n"
    "                           context_prob\n"
    "  --voice author|quote|all voices in csv rows (default all for report)\n"
    "  --manifest FILE.csv      documents and outlets (columns "
    "path,outlet,...)\n"
    "  --outlet-from REGEX      outlet = capture group 1 of the file name\n"
    "                           (POSIX extended: [0-9], not \\d)\n"
    "  --lexicon PATH           add a lexicon file or folder (repeatable); a\n"
    "                           file named like a default one replaces it\n"
    "  --no-default-lexicons    use only --lexicon files\n"
    "  --lang LANG              Snowball language (default english)\n"
    "  --max-file-size BYTES    refuse larger files (default 256 MiB)\n"
    "  --window-bytes BYTES     csv, jsonl, text, html: read longer files in\n"
    "                           windows of about this size, cut between\n"
    "                           paragraphs, in bounded memory (default 1 MiB;\n"
    "                           0: whole)\n"
    "  --threads N              worker threads (default: all cores); the\n"
    "                           output is the same for any number\n"
    "  --color auto|always|never\n"
    "  --quiet                  no warnings about replaced bytes\n"
    "  --progress               the progress line on stderr even when it\n"
    "                           is not a terminal\n"
    "  --excel-safe             csv: a text cell starting with = + - @ gets a\n"
    "                           ' first, so spreadsheets do not run it\n"
    "  --counts                 the arguments are counts files of framescore\n"
    "                           count or merge: the csv (or --wide) rows of\n"
    "                           one run over all their documents in path\n"
    "                           order, without the texts\n"
    "  -h, --help\n"
    "\n"
    "Exit status: 0 ok, 1 some input could not be used (the rest is still\n"
    "reported), 2 usage error.\n";

typedef struct report_run {
  const cli_opts *o;
  fs_ctx *ctx;
  cli_out *out, *mout, *dout;
  const fs_corpus_doc *docs; /* the corpus's documents, for their numbers */
  const fs_corpus *corpus;   /* ... and the names of their variables */
  fs_distinct *ds;           /* story-relative scores, counted as they come */
  fs_model *model; /* NULL: no framing dimensions */
  int voices;
  bool text;
  fs_report_item *items; /* text: every document, kept for the ranking */
  char **texts;
  size_t n;
  fs_terms *terms; /* html: keyness, counted as documents come */
  /* text: each document's section goes to the spool as it comes, and only
   * its summary stays (NULL spool: the documents are kept) */
  FILE *spool;
  fs_report_summary *sums;
  int color;
  const fs_context_model *cm; /* --context-model: matches weighted */
  const fs_tagger *tg;        /* --tagger: its spans in the matches */
  /* html: the outlet comparison, counted as documents come, and the
   * documents the page can still annotate (--html-docs N): a heap of item
   * indexes, the lowest-ranked at the top; the others keep only their
   * stats (heap_cap 0: every document stays whole) */
  fs_compare *cmp;
  size_t *heap, nheap, heap_cap;
  /* html: the annotated texts of long documents read in windows, written
   * ahead, and where each item's is (len 0: none) */
  FILE *hspool;
  fs_html_spooled *hsp;
} report_run;

/* The learned models on an analysed document (ctx analysed it). */
static int learned(const report_run *r, fs_ctx *ctx, fs_doc *doc) {
  if (r->cm && fs_context_apply(r->cm, fs_ctx_lexicon(ctx), doc, true))
    return FS_ERR_NOMEM;
  if (r->tg && fs_tagger_apply(r->tg, ctx, doc))
    return FS_ERR_NOMEM;
  return FS_OK;
}

static int voices_of(const char *v) {
  if (!strcmp(v, "author"))
    return 1;
  if (!strcmp(v, "quote"))
    return 2;
  return 3;
}

/* The item the renderers take for a document of the corpus: its name as
 * the manifest writes it, outlet and document variables. */
static fs_report_item item_of(const report_run *r, const fs_corpus_doc *cd,
                              const fs_doc *doc,
                              const fs_model_scores *dims) {
  fs_report_item it = {fs_corpus_name(cd), cd->outlet, doc, dims, NULL, NULL,
                       0};
  /* a document given beside the manifest has none: empty fields */
  it.vars = (const char *const *)cd->extra;
  it.var_names = (const char *const *)r->corpus->extra_names;
  it.nvars = r->corpus->nextra;
  return it;
}

/* One document's rows: framing dimensions (into *dims, with v allocated
 * here unless already scored), then the --dimensions, --matches and
 * csv/jsonl rows to whichever of dout, mout and out are non-NULL. ctx is
 * the context that analysed the document, or (dims scored) any context of
 * the lexicon. Returns FS_OK or FS_ERR_NOMEM (nothing allocated). */
static int render_rows(const report_run *r, const fs_ctx *ctx,
                       const fs_corpus_doc *cd, const fs_doc *doc,
                       fs_model_scores *dims, FILE *out, FILE *mout,
                       FILE *dout) {
  if (!dims->v)
    *dims = (fs_model_scores){r->model, NULL};
  if (r->model && !dims->v) {
    dims->v = calloc(r->model->ndims, sizeof *dims->v);
    if (!dims->v || fs_model_score_doc(r->model, ctx, doc, dims->v) != FS_OK) {
      free(dims->v);
      dims->v = NULL;
      return FS_ERR_NOMEM;
    }
  }
  if (r->model) {
    if (dout)
      fs_render_dimensions_csv(dout, r->model, fs_corpus_name(cd), cd->outlet,
                               dims->v);
  }
  fs_report_item it = item_of(r, cd, doc, r->model ? dims : NULL);
  if (mout)
    fs_render_matches_csv(mout, ctx, &it);
  if (!out)
    return FS_OK;
  if (r->o->wide)
    fs_render_report_wide(out, ctx, &it, r->voices);
  else if (r->o->fmt == CLI_FORMAT_CSV)
    fs_render_report_csv(out, ctx, &it, r->voices);
  else if (r->o->fmt == CLI_FORMAT_JSONL)
    fs_render_report_jsonl(out, ctx, &it, 1);
  return FS_OK;
}

/* csv, jsonl and --wide: rendered on the worker that analysed the document
 * into streams (out, then matches and dimensions when asked). */
static int render_doc(void *user, fs_ctx *ctx, const fs_corpus_doc *cd,
                      char *text, fs_doc *doc, FILE *const *streams) {
  const report_run *r = user;
  size_t next = 1;
  FILE *mout = r->o->matches ? streams[next++] : NULL;
  FILE *dout = r->o->dimensions ? streams[next++] : NULL;
  fs_model_scores dims = {0};
  int rc = learned(r, ctx, doc);
  if (rc == FS_OK)
    rc = render_rows(r, ctx, cd, doc, &dims, streams[0], mout, dout);
  if (rc == FS_OK)
    rc = fs_distinct_add(r->ds, (size_t)(cd - r->docs), cd->outlet, doc);
  free(dims.v);
  fs_doc_recycle(ctx, doc);
  free(text);
  return rc;
}

/* ---- long documents, in windows -------------------------------------------
 * A document of more than --window-bytes is read, analysed and rendered a
 * window at a time (window.c): its --matches rows and jsonl matches go to
 * temporary files as its windows come, and its rows, from the windows'
 * totals, once it is read. Output is byte for byte that of the whole. */

/* Can run r render long documents in windows? What reads a document's
 * tokens beyond its windows' (dimensions scored from tokens) needs it
 * whole; a context model and a tagger read it twice (cli_read_windows). */
static bool windows_apply(const report_run *r) {
  bool dims = r->model && (r->o->dimensions || r->o->fmt == CLI_FORMAT_JSONL);
  return !dims || fs_model_reads_totals(r->model);
}

/* What the windows of one long document carry to the next. */
typedef struct window_run {
  const report_run *r;
  const fs_corpus_doc *cd;
  FILE *mspool, *jspool; /* its --matches rows, its jsonl matches */
  /* --tagger: its spans' --matches rows and jsonl items, which come after
   * every match of the document */
  FILE *tmspool, *tjspool;
  cli_spool *ms, *tms; /* the thread's memory for mspool and tmspool */
  cli_window_dims wd;  /* share denominators (scored runs) */
  size_t nmatches;    /* matches of the windows before */
  size_t ntagged;     /* tagger spans of the windows before */
} window_run;

/* One window: its dimensions' share denominators and its matches. */
static int window_matches(void *user, fs_ctx *ctx, fs_doc *w) {
  window_run *wr = user;
  const report_run *r = wr->r;
  int rc = cli_window_dims_add(&wr->wd, ctx, w);
  fs_report_item it = item_of(r, wr->cd, w, NULL);
  if (wr->mspool)
    fs_render_lexicon_matches_csv(wr->mspool, ctx, &it);
  if (wr->tmspool)
    fs_render_tagged_csv(wr->tmspool, &it);
  if (wr->jspool)
    fs_render_report_jsonl_matches(wr->jspool, ctx, w, wr->nmatches);
  if (wr->tjspool)
    wr->ntagged += fs_render_report_jsonl_tagged(wr->tjspool, w, wr->ntagged);
  wr->nmatches += w->nmatches;
  if (rc == FS_OK && ((rc = cli_spool_check(wr->ms, &wr->mspool)) ||
                      (rc = cli_spool_check(wr->tms, &wr->tmspool))))
    rc = FS_ERR_IO;
  return rc;
}

static int stream_doc(void *user, fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                      FILE *const *streams, cli_stream_info *info) {
  const report_run *r = user;
  size_t next = 1;
  FILE *mout = r->o->matches ? streams[next++] : NULL;
  FILE *dout = r->o->dimensions ? streams[next++] : NULL;
  bool jsonl = r->o->fmt == CLI_FORMAT_JSONL && !r->o->wide;
  window_run wr = {r, cd, NULL, NULL, NULL, NULL, NULL, NULL, {0}, 0, 0};
  fs_window_sum sum = {0};
  fs_doc *total = NULL;
  fs_model_scores dims = {r->model, NULL};
  bool scored = r->model && (dout || jsonl);
  int rc = fs_window_sum_init(&sum, ctx);
  if (rc || (rc = cli_window_dims_init(&wr.wd, scored ? r->model : NULL)))
    goto done;
  /* the --matches rows in the thread's memory (cli_spool), the jsonl
   * matches in temporary files */
  wr.ms = info->spools, wr.tms = wr.ms ? &wr.ms[1] : NULL;
  if ((mout && !(wr.mspool = cli_spool_begin(wr.ms))) ||
      (jsonl && !(wr.jspool = tmpfile())) ||
      (mout && r->tg && !(wr.tmspool = cli_spool_begin(wr.tms))) ||
      (jsonl && r->tg && !(wr.tjspool = tmpfile()))) {
    snprintf(info->msg, sizeof info->msg, "cannot make a temporary file");
    rc = FS_ERR_INPUT;
    goto done;
  }
  if ((rc = cli_read_windows_paired(ctx, cd, fd, r->o, r->cm, r->tg, &sum,
                                    window_matches, &wr, &total, info)))
    goto done;
  if (scored) {
    /* a share's denominator counts matches, which the totals do not keep:
     * the windows' add up to the whole's (whole numbers, exact) */
    dims.v = calloc(r->model->ndims, sizeof *dims.v);
    if (!dims.v || cli_window_dims_finish(&wr.wd, ctx, total, dims.v)) {
      rc = FS_ERR_NOMEM;
      goto done;
    }
    if (dout)
      fs_render_dimensions_csv(dout, r->model, fs_corpus_name(cd), cd->outlet,
                               dims.v);
  }
  fs_report_item it = item_of(r, cd, total, dims.v ? &dims : NULL);
  if ((wr.mspool && (rc = cli_spool_copy(wr.ms, wr.mspool, mout))) ||
      (wr.tmspool && (rc = cli_spool_copy(wr.tms, wr.tmspool, mout))))
    goto done;
  if (r->o->wide)
    fs_render_report_wide(streams[0], ctx, &it, r->voices);
  else if (r->o->fmt == CLI_FORMAT_CSV)
    fs_render_report_csv(streams[0], ctx, &it, r->voices);
  else if (jsonl && (rc = fs_render_report_jsonl_spooled_tagged(
                         streams[0], ctx, &it, wr.jspool, wr.tjspool)))
    goto done;
  rc = fs_distinct_add_mass(r->ds, (size_t)(cd - r->docs), cd->outlet, total,
                            sum.entry_n, sum.entry_mass);
done:
  free(dims.v);
  cli_window_dims_free(&wr.wd);
  fs_doc_free(total);
  fs_window_sum_free(&sum);
  cli_spool_end(wr.ms, wr.mspool);
  if (wr.jspool)
    fclose(wr.jspool);
  cli_spool_end(wr.tms, wr.tmspool);
  if (wr.tjspool)
    fclose(wr.tjspool);
  return rc;
}

/* text and html: documents are kept for the ranking at the top and the
 * pages; the --matches and --dimensions rows stream. */
static void free_dims(fs_model_scores *dims) {
  if (dims)
    free(dims->v);
  free(dims);
}

/* text and html: what prep_doc (or long_doc, for a long document read in
 * windows) leaves for keep_doc_terms. */
typedef struct kept_prep {
  fs_model_scores *dims; /* NULL without a model */
  /* a long document's: its --matches rows and the match lines of its
   * section, in temporary files, and its author-voice matches by entry
   * (entry_n NULL: a document read whole) */
  FILE *mspool, *tspool;
  size_t *entry_n;
  double *entry_mass; /* their context probabilities summed */
  /* html: its annotated text (fs_html_text) and words, gathered window by
   * window */
  FILE *hspool;
  fs_term_bag *bag;
} kept_prep;

static void free_prep(void *prep) {
  kept_prep *k = prep;
  if (!k)
    return;
  free_dims(k->dims);
  if (k->mspool)
    fclose(k->mspool);
  if (k->tspool)
    fclose(k->tspool);
  if (k->hspool)
    fclose(k->hspool);
  fs_term_bag_free(k->bag);
  free(k->bag);
  free(k->entry_n);
  free(k->entry_mass);
  free(k);
}

/* text and html, on the thread that analysed the document: the learned
 * models and the framing dimensions, which read stems through the context
 * that analysed it (stem features, a span tagger), into *prep. */
static int prep_doc(void *user, fs_ctx *ctx, const fs_corpus_doc *cd,
                    fs_doc *doc, void **prep) {
  (void)cd;
  const report_run *r = user;
  if (learned(r, ctx, doc))
    return FS_ERR_NOMEM;
  if (!r->model)
    return FS_OK;
  kept_prep *k = calloc(1, sizeof *k);
  fs_model_scores *dims = calloc(1, sizeof *dims);
  if (!k || !dims) {
    free(k), free(dims);
    return FS_ERR_NOMEM;
  }
  k->dims = dims;
  dims->model = r->model;
  dims->v = calloc(r->model->ndims + 1, sizeof *dims->v);
  if (!dims->v || fs_model_score_doc(r->model, ctx, doc, dims->v) != FS_OK) {
    free_prep(k);
    return FS_ERR_NOMEM;
  }
  *prep = k;
  return FS_OK;
}

/* text and html, a long document on the thread that reads it: window by
 * window, its dimensions' share denominators, --matches rows and section's
 * match lines (text) or annotated text and words (html; temporary files),
 * then its totals and dimensions. */
typedef struct long_run {
  const report_run *r;
  const fs_corpus_doc *cd;
  kept_prep *k;
  cli_window_dims wd;
  fs_html_text hs; /* html: what is open at the end of the last window */
  FILE *tmspool;   /* --tagger: its spans' --matches rows, after the
                      matches' */
  bool paired;     /* windows from several contexts (fs_term_bag_add_ctx) */
} long_run;

static int long_window(void *user, fs_ctx *ctx, fs_doc *w) {
  long_run *lr = user;
  int rc = cli_window_dims_add(&lr->wd, ctx, w);
  fs_report_item it = item_of(lr->r, lr->cd, w, NULL);
  if (lr->k->mspool)
    fs_render_lexicon_matches_csv(lr->k->mspool, ctx, &it);
  if (lr->tmspool)
    fs_render_tagged_csv(lr->tmspool, &it);
  if (lr->k->tspool)
    fs_render_report_text_matches(lr->k->tspool, ctx, w, lr->r->color);
  if (rc == FS_OK && lr->k->hspool)
    rc = fs_html_text_add(lr->k->hspool, fs_ctx_lexicon(ctx), w, &lr->hs);
  if (rc == FS_OK && lr->k->bag)
    rc = lr->paired ? fs_term_bag_add_ctx(lr->k->bag, ctx, w)
                    : fs_term_bag_add(lr->k->bag, w);
  return rc;
}

static int long_doc(void *user, fs_ctx *ctx, const fs_corpus_doc *cd, int fd,
                    fs_doc **doc, void **prep, cli_stream_info *info) {
  const report_run *r = user;
  fs_window_sum sum = {0};
  long_run lr = {r, cd, calloc(1, sizeof(kept_prep)), {0}, {0}, NULL, false};
  kept_prep *k = lr.k;
  bool html = !r->text;
  int rc = FS_ERR_NOMEM;
  *doc = NULL;
  if (!k || fs_window_sum_init(&sum, ctx) ||
      cli_window_dims_init(&lr.wd, r->model))
    goto done;
  if (html && r->terms) {
    if (!(k->bag = malloc(sizeof *k->bag)))
      goto done;
    fs_term_bag_init(k->bag, r->terms->voice);
  }
  if ((html ? !(k->hspool = tmpfile()) : !(k->tspool = tmpfile())) ||
      (r->o->matches && !(k->mspool = tmpfile())) ||
      (r->o->matches && r->tg && !(lr.tmspool = tmpfile()))) {
    snprintf(info->msg, sizeof info->msg, "cannot make a temporary file");
    rc = FS_ERR_INPUT;
    goto done;
  }
  if (html)
    fs_html_text_begin(k->hspool, &lr.hs);
  /* windows from several contexts: the term bag keeps their strings */
  lr.paired = info->spare_threads > 0 || info->board;
  if ((rc = cli_read_windows_paired(ctx, cd, fd, r->o, r->cm, r->tg, &sum,
                                    long_window, &lr, doc, info)))
    goto done;
  if (lr.tmspool && (rc = cli_copy_spool(lr.tmspool, k->mspool)))
    goto done;
  rc = FS_ERR_NOMEM;
  if (html)
    fs_html_text_end(k->hspool, &lr.hs);
  if (k->bag && fs_term_bag_finish(k->bag))
    goto done;
  if (r->model) {
    if (!(k->dims = calloc(1, sizeof *k->dims)))
      goto done;
    k->dims->model = r->model;
    if (!(k->dims->v = calloc(r->model->ndims + 1, sizeof *k->dims->v)) ||
        cli_window_dims_finish(&lr.wd, ctx, *doc, k->dims->v))
      goto done;
  }
  k->entry_n = sum.entry_n;
  k->entry_mass = sum.entry_mass;
  sum.entry_n = NULL;
  sum.entry_mass = NULL;
  *prep = k;
  k = NULL;
  rc = FS_OK;
done:
  if (rc) {
    fs_doc_free(*doc);
    *doc = NULL;
  }
  free_prep(k);
  if (lr.tmspool)
    fclose(lr.tmspool);
  cli_window_dims_free(&lr.wd);
  fs_window_sum_free(&sum);
  return rc;
}

/* In corpus order, after prep_doc (its dims in prep). */
static int keep_doc(void *user, const fs_corpus_doc *cd, char *text,
                    fs_doc *doc, fs_model_scores *dims) {
  report_run *r = user;
  if ((r->model && !dims) ||
      render_rows(r, r->ctx, cd, doc, dims ? dims : &(fs_model_scores){0},
                  NULL, r->o->matches ? r->mout->f : NULL,
                  r->o->dimensions ? r->dout->f : NULL) != FS_OK) {
    free_dims(dims), fs_doc_free(doc), free(text);
    return FS_ERR_NOMEM;
  }
  if (fs_distinct_add(r->ds, (size_t)(cd - r->docs), cd->outlet, doc)) {
    if (dims)
      free(dims->v);
    free(dims), fs_doc_free(doc), free(text);
    return FS_ERR_NOMEM;
  }
  r->items[r->n] = item_of(r, cd, doc, dims);
  if (r->spool) {
    fs_report_summary *sm = &r->sums[r->n];
    fs_report_summarize(&r->items[r->n], sm);
    sm->off = ftello(r->spool);
    fs_render_report_text_doc(r->spool, r->ctx, &r->items[r->n], r->color);
    off_t end = ftello(r->spool);
    if (sm->off < 0 || end < sm->off) {
      r->items[r->n].dims = NULL; /* not counted in r->n: freed here */
      free_dims(dims), fs_doc_free(doc), free(text);
      cli_error("writing the report's temporary file failed");
      return FS_ERR_IO;
    }
    sm->len = (size_t)(end - sm->off);
    r->items[r->n].doc = NULL; /* the dimensions need only dims */
    fs_doc_free(doc), free(text);
    text = NULL;
  }
  r->texts[r->n++] = text;
  return FS_OK;
}

/* html: items i and j in the order of the page's document table (as
 * render_html.c ranks them): higher loaded score first, then by name, then
 * as they came. */
static bool ranks_before(const report_run *r, size_t i, size_t j) {
  const fs_report_item *x = &r->items[i], *y = &r->items[j];
  double sx = x->doc->stats.loaded_score, sy = y->doc->stats.loaded_score;
  if (sx != sy)
    return sx > sy;
  int c = strcmp(x->path, y->path);
  return c ? c < 0 : i < j;
}

/* Item i keeps only what the page needs of a document it does not annotate
 * (its row in the document table): its name, outlet and the totals of its
 * stats (the comparison has counted the rest). */
static void compact(report_run *r, size_t i) {
  fs_doc *d = (fs_doc *)r->items[i].doc;
  free(d->tokens), free(d->matches), free(d->quotes), free(d->cand_toks);
  free(d->tok_lex), free(d->ctx_prob), free(d->tok_tag);
  free(d->sent_para), free(d->lines), free(d->pub_tokens);
  free(d->counts), free(d->weights);
  d->counts = NULL, d->weights = NULL;
  d->stats.matches = d->stats.negated = NULL, d->stats.weight = NULL;
  free_dims((fs_model_scores *)r->items[i].dims);
  r->items[i].dims = NULL;
  d->tokens = NULL, d->ntokens = d->tokens_cap = 0;
  d->matches = NULL, d->nmatches = d->matches_cap = 0;
  d->quotes = NULL, d->nquotes = d->quotes_cap = 0;
  d->cand_toks = NULL, d->ncand_toks = d->cand_toks_cap = 0;
  d->tok_lex = NULL, d->tok_lex_cap = 0;
  d->sent_para = NULL, d->sent_para_cap = 0;
  d->lines = NULL, d->nlines = d->lines_cap = 0;
  d->pub_tokens = NULL;
  d->ctx_prob = NULL, d->tok_tag = NULL;
  d->text = NULL, d->len = 0;
  free(r->texts[i]);
  r->texts[i] = NULL;
}

static void heap_swap(size_t *h, size_t a, size_t b) {
  size_t t = h[a];
  h[a] = h[b], h[b] = t;
}

/* Item i, just kept: into the heap of those the page can annotate, or, when
 * the heap is full, compacted (it or the lowest-ranked one it beats). */
static void heap_offer(report_run *r, size_t i) {
  size_t *h = r->heap;
  if (r->nheap < r->heap_cap) {
    size_t k = r->nheap++;
    h[k] = i;
    while (k && ranks_before(r, h[(k - 1) / 2], h[k])) {
      heap_swap(h, k, (k - 1) / 2);
      k = (k - 1) / 2;
    }
    return;
  }
  if (!ranks_before(r, i, h[0])) {
    compact(r, i);
    return;
  }
  compact(r, h[0]);
  h[0] = i;
  for (size_t k = 0;;) {
    size_t l = 2 * k + 1, m = k;
    if (l < r->nheap && ranks_before(r, h[m], h[l]))
      m = l;
    if (l + 1 < r->nheap && ranks_before(r, h[m], h[l + 1]))
      m = l + 1;
    if (m == k)
      break;
    heap_swap(h, k, m);
    k = m;
  }
}

/* A long document read in windows (long_doc), for keep_long and
 * keep_long_html: its rows (and --dimensions rows) from its totals and k's
 * scores, and its distinctive counts from k's. FS_OK or FS_ERR_NOMEM. */
static int long_rows(report_run *r, const fs_corpus_doc *cd, fs_doc *doc,
                     const kept_prep *k) {
  fs_model_scores *dims = k->dims;
  if ((r->model && !dims) ||
      render_rows(r, r->ctx, cd, doc, dims ? dims : &(fs_model_scores){0}, NULL,
                  NULL, r->o->dimensions ? r->dout->f : NULL) ||
      fs_distinct_add_mass(r->ds, (size_t)(cd - r->docs), cd->outlet, doc,
                           k->entry_n, k->entry_mass))
    return FS_ERR_NOMEM;
  return FS_OK;
}

/* text: keep_doc for a long document read in windows (long_doc): doc holds
 * its totals; its rows and match lines come from k's temporary files. */
static int keep_long(report_run *r, const fs_corpus_doc *cd, fs_doc *doc,
                     kept_prep *k) {
  fs_model_scores *dims = k->dims;
  int rc = FS_ERR_NOMEM;
  if (long_rows(r, cd, doc, k))
    goto done;
  if (k->mspool && (rc = cli_copy_spool(k->mspool, r->mout->f)))
    goto done;
  fs_report_item *it = &r->items[r->n];
  *it = item_of(r, cd, doc, dims);
  fs_report_summary *sm = &r->sums[r->n];
  fs_report_summarize(it, sm);
  sm->off = ftello(r->spool);
  rc = fs_render_report_text_doc_spooled(r->spool, r->ctx, it, k->tspool,
                                         r->color);
  off_t end = ftello(r->spool);
  it->doc = NULL;
  if (rc || sm->off < 0 || end < sm->off) {
    it->dims = NULL;
    cli_error("writing the report's temporary file failed");
    rc = FS_ERR_IO;
    goto done;
  }
  sm->len = (size_t)(end - sm->off);
  r->texts[r->n++] = NULL;
  k->dims = NULL; /* the item's now */
  rc = FS_OK;
done:
  fs_doc_free(doc);
  free_prep(k);
  return rc;
}

/* html: keep_doc_terms for a long document read in windows (long_doc): doc
 * holds its totals and stays as the item's (the page's header and table
 * read them); its words come from k's bag, its annotated text from k's
 * temporary file, copied to the run's when the page can still show it. */
static int keep_long_html(report_run *r, const fs_corpus_doc *cd, fs_doc *doc,
                          kept_prep *k, size_t source,
                          const fs_vocab_delta *vocab) {
  fs_model_scores *dims = k->dims;
  cli_doc_extra x = {NULL, k->bag, NULL};
  int rc = FS_ERR_NOMEM;
  if (long_rows(r, cd, doc, k))
    goto done;
  if ((rc = cli_terms_add_extra(r->terms, cd, doc, &x, source, vocab)))
    goto done;
  if (k->mspool && (rc = cli_copy_spool(k->mspool, r->mout->f)))
    goto done;
  size_t i = r->n;
  r->items[i] = item_of(r, cd, doc, dims);
  r->texts[i] = NULL;
  r->n++;
  k->dims = NULL; /* the item's now */
  doc = NULL;
  rc = FS_ERR_NOMEM;
  if (fs_compare_add_totals(r->cmp, r->items[i].path, r->items[i].outlet,
                            r->items[i].doc, dims ? dims->v : NULL,
                            k->entry_n))
    goto done;
  /* its text, unless the page's heap is full of documents it ranks below */
  bool shown = !r->heap_cap || r->nheap < r->heap_cap ||
               ranks_before(r, i, r->heap[0]);
  if (shown) {
    fs_html_spooled *sp = &r->hsp[i];
    off_t off = ftello(r->hspool);
    if (off < 0 || cli_copy_spool(k->hspool, r->hspool)) {
      cli_error("writing the report's temporary file failed");
      rc = FS_ERR_IO;
      goto done;
    }
    off_t end = ftello(r->hspool);
    sp->off = off;
    sp->len = end > off ? (size_t)(end - off) : 0;
  }
  if (r->heap_cap)
    heap_offer(r, i);
  rc = FS_OK;
done:
  fs_doc_free(doc);
  free_prep(k);
  return rc;
}

/* keep_doc, and for html with the document's terms counted on the way
 * (mapped from the context that analysed it) and its row of the outlet
 * comparison (with the dimensions prep_doc scored) */
static int keep_doc_terms(void *user, const fs_corpus_doc *cd, char *text,
                          fs_doc *doc, void *prep, size_t source,
                          const fs_vocab_delta *vocab) {
  report_run *r = user;
  kept_prep *k = prep;
  if (k && k->entry_n)
    return r->text ? keep_long(r, cd, doc, k)
                   : keep_long_html(r, cd, doc, k, source, vocab);
  fs_model_scores *dims = k ? k->dims : NULL;
  free(k); /* its dims go on */
  int rc = r->terms ? cli_terms_add(r->terms, cd, doc, source, vocab) : FS_OK;
  if (rc) {
    free_dims(dims), fs_doc_free(doc), free(text);
    return rc;
  }
  if ((rc = keep_doc(user, cd, text, doc, dims)) || !r->terms)
    return rc;
  size_t i = r->n - 1;
  if (fs_compare_add_scored(r->cmp, r->items[i].path, r->items[i].outlet,
                            r->items[i].doc, dims ? dims->v : NULL))
    return FS_ERR_NOMEM; /* kept: freed with the others */
  if (r->heap_cap)
    heap_offer(r, i);
  return FS_OK;
}

/* ---- report --counts: csv rows from counts files ------------------------- */

typedef struct counts_run {
  FILE *out;
  const fs_shard_meta *meta;
  int voices;
  bool wide;
  size_t *matches, *negated; /* a document's, by category and voice */
  double *weight;
} counts_run;

static int counts_doc(void *user, const fs_shard_doc *d, const fs_terms *t) {
  (void)t;
  counts_run *r = user;
  const fs_shard_meta *m = r->meta;
  fs_doc_stats st = {0};
  for (int v = 0; v < FS_VOICES; v++)
    st.words[v] = (size_t)d->report[FS_SHARD_REPORT_WORDS + v];
  st.sentences = (size_t)d->report[FS_SHARD_REPORT_SENTENCES];
  for (size_t i = 0; i < m->ncats * FS_VOICES; i++) {
    const double *x = d->report + FS_SHARD_REPORT_CATS + 3 * i;
    r->matches[i] = (size_t)x[0];
    r->negated[i] = (size_t)x[1];
    r->weight[i] = x[2];
  }
  st.ncat = m->ncats;
  st.matches = r->matches, st.negated = r->negated, st.weight = r->weight;
  /* a document without an outlet has an empty one, as over the texts */
  fs_report_item it = {d->name,
                       d->no_outlet ? "" : d->outlet,
                       NULL,
                       NULL,
                       d->vars,
                       (const char *const *)m->vars,
                       m->nvars};
  if (r->wide)
    fs_render_report_wide_counts(r->out, &it, &st, r->voices);
  else
    fs_render_report_csv_counts(r->out, &it, &st,
                                (const char *const *)m->cats, r->voices);
  return ferror(r->out) ? FS_ERR_IO : FS_OK;
}

/* report --counts FILE...: the csv rows of the documents in counts files.
 * The lexicon's categories and the documents' variables come from the
 * files; a bad file stops the run before the output is committed. */
static int report_counts(cli_opts *o, int voices) {
  if (o->fmt != CLI_FORMAT_CSV) {
    cli_error("--counts: the counts hold the numbers of the csv rows (and "
              "--wide), not the matches the %s report shows\nTry "
              "'framescore report --help'.",
              o->format);
    return FS_ERR_USAGE;
  }
  if (o->nargs == 0 || o->manifest || o->outlet_from || o->matches ||
      o->dimensions || o->scores || o->actors || o->context_model ||
      o->nexcludes || o->nlexicons || o->model) {
    cli_error("--counts takes counts files as arguments (no --manifest, "
              "--outlet-from, --matches, --dimensions, --scores, --actors, "
              "--context-model, --exclude, --lexicon or --model: those are "
              "count's)\nTry 'framescore report --help'.");
    return FS_ERR_USAGE;
  }
  int rc = cli_check_outputs(o, NULL);
  if (rc)
    return rc;
  cli_shards s;
  cli_out out = {0};
  counts_run run = {0};
  fs_error err = {0};
  if ((rc = cli_shards_open(&s, o->args, (size_t)o->nargs)))
    goto done;
  const fs_shard_meta *m = fs_shard_merge_meta(s.merge);
  size_t n = m->ncats * FS_VOICES + 1;
  run = (counts_run){NULL,
                     m,
                     voices,
                     o->wide,
                     calloc(n, sizeof(size_t)),
                     calloc(n, sizeof(size_t)),
                     calloc(n, sizeof(double))};
  if (!run.matches || !run.negated || !run.weight) {
    cli_error("out of memory");
    rc = FS_ERR_NOMEM;
    goto done;
  }
  if ((rc = cli_out_open(&out, o->output)) ||
      (rc = cli_out_filter(&out, o, CLI_OUT_CSV)))
    goto done;
  run.out = out.f;
  const char *const *vars = (const char *const *)m->vars;
  if (o->wide)
    fs_render_report_wide_header_cats(out.f, (const char *const *)m->cats,
                                      m->ncats, vars, m->nvars);
  else
    fs_render_report_csv_header(out.f, vars, m->nvars);
  if ((rc = fs_shard_merge_run(s.merge, counts_doc, &run, &err))) {
    if (err.msg[0])
      cli_print_error(&err);
    else if (rc == FS_ERR_IO)
      cli_error("write error");
    goto done;
  }
  if (fs_shard_merge_terms(s.merge)->ndocs == 0) {
    cli_error("no documents in the counts files");
    rc = FS_ERR_INPUT;
    goto done;
  }
  rc = cli_out_commit(&out) ? FS_ERR_INPUT : FS_OK;
done:
  cli_out_abort(&out);
  free(run.matches), free(run.negated), free(run.weight);
  cli_shards_close(&s);
  return rc == FS_OK || rc == FS_ERR_USAGE ? rc : FS_ERR_INPUT;
}

int cli_report(int argc, char **argv) {
  cli_opts o;
  char help[8192];
  snprintf(help, sizeof help, "%s%s", help_usage, help_options);
  int rc = cli_parse(&o, CLI_REPORT, "report", help, argc, argv);
  if (rc)
    return rc < 0 ? 0 : rc;
  /* report lists both voices in csv unless asked otherwise */
  int voices = cli_given(&o, "voice") ? voices_of(o.voice) : 3;
  if (o.wide && o.fmt != CLI_FORMAT_TEXT && o.fmt != CLI_FORMAT_CSV) {
    cli_error("--wide writes CSV; it does not go with --format %s\n"
              "Try 'framescore report --help'.", o.format);
    return FS_ERR_USAGE;
  }
  if (o.wide) {
    o.format = "csv";
    o.fmt = CLI_FORMAT_CSV;
  }
  if (o.tagger && !o.matches && o.fmt != CLI_FORMAT_JSONL) {
    cli_error("report --tagger writes its spans to --matches FILE.csv or "
              "--format jsonl\nTry 'framescore report --help'.");
    return FS_ERR_USAGE;
  }
  if (o.counts)
    return report_counts(&o, voices);

  /* --actors adds actor.* categories */
  cli_session ss;
  int setup = cli_begin(&o, o.actors != NULL, &ss);
  fs_lexicon *lex = ss.lex;
  fs_ctx *ctx = ss.ctx;
  cli_out out = {0}, mout = {0}, dout = {0};
  bool model_failed = false;
  fs_model *model = !setup ? cli_model(&o, lex, &model_failed) : NULL;
  bool cm_failed = false;
  fs_context_model *cm = !setup && !model_failed
                             ? cli_context_model(&o, lex, &cm_failed)
                             : NULL;
  fs_error err = {0};
  fs_tagger *tg = NULL;
  bool tg_failed = false;
  fs_word_vectors wv;
  fs_word_vectors_init(&wv);
  if (!setup && !model_failed && !cm_failed && o.tagger &&
      !(tg = fs_tagger_load(o.tagger, &err))) {
    cli_print_error(&err);
    tg_failed = true;
  }
  if (tg && cli_tagger_vectors(&o, o.tagger, tg, model, &wv))
    tg_failed = true;
  cli_tagger_check_categories(o.tagger, tg, lex);
  /* a tagger reads its words' stems in one language */
  if (tg && fs_lexicon_lang_count(lex) > 1) {
    cli_error("%s: a span tagger reads one language, and this run reads "
              "several (the manifest's lang column): run each language "
              "apart",
              o.tagger);
    tg_failed = true;
  }
  /* stem features and the tagger read stems through the context that
   * analysed each document: csv and jsonl rows are scored on the worker
   * that analysed it (render_doc), text and html too (prep_doc) */
  cli_out sout = {0};
  report_run run = {
      .o = &o,
      .ctx = ctx,
      .out = &out,
      .mout = &mout,
      .dout = &dout,
      .docs = ss.corpus.docs,
      .corpus = &ss.corpus,
      .ds = fs_distinct_new(lex, ss.corpus.ndocs,
                            o.distinct_prior >= 0 ? o.distinct_prior
                                                  : FS_DISTINCT_PRIOR),
      .model = model,
      .voices = voices,
      .text = o.fmt == CLI_FORMAT_TEXT,
      .cm = cm,
      .tg = tg,
  };
  fs_compare cmp;
  if (o.fmt == CLI_FORMAT_HTML && !setup) {
    cli_html_compare_init(&o, ctx, model, &cmp);
    run.cmp = &cmp;
    /* --actors reads every document's matches: all stay whole */
    if (o.html_docs > 0 && !ss.actors &&
        (size_t)o.html_docs < ss.corpus.ndocs) {
      run.heap_cap = (size_t)o.html_docs;
      run.heap = malloc(run.heap_cap * sizeof *run.heap);
    }
  }
  run.items = calloc(ss.corpus.ndocs + 1, sizeof *run.items);
  run.texts = calloc(ss.corpus.ndocs + 1, sizeof *run.texts);
  if (o.fmt == CLI_FORMAT_HTML && (run.terms = malloc(sizeof *run.terms)))
    fs_terms_init(run.terms, ctx, cli_voice(o.voice), false);
  if (setup) {
    rc = setup;
    goto done;
  }
  /* a spool with the documents' sections, so that memory does not grow
   * with the corpus (without one, the documents are kept) */
  if (run.text && (run.spool = tmpfile()))
    run.sums = calloc(ss.corpus.ndocs + 1, sizeof *run.sums);
  /* html: long documents' annotated texts, written as they are read */
  bool html_long = o.fmt == CLI_FORMAT_HTML && !ss.actors;
  if (html_long && (run.hspool = tmpfile()))
    run.hsp = calloc(ss.corpus.ndocs + 1, sizeof *run.hsp);
  if (model_failed || cm_failed || tg_failed || !run.items || !run.texts || !run.ds ||
      (o.fmt == CLI_FORMAT_HTML && !run.terms) || (run.spool && !run.sums) ||
      (run.heap_cap && !run.heap) || (html_long && !run.hsp) ||
      cli_out_open(&out, o.output) ||
      (o.matches && cli_out_open(&mout, o.matches)) ||
      (o.dimensions && cli_out_open(&dout, o.dimensions)) ||
      cli_out_filter(&out, &o, CLI_OUT_KIND(&o)) ||
      cli_out_filter(&mout, &o, CLI_OUT_CSV) ||
      cli_out_filter(&dout, &o, CLI_OUT_CSV)) {
    rc = FS_ERR_INPUT;
    goto done;
  }
  const char *const *vars = (const char *const *)ss.corpus.extra_names;
  if (o.wide)
    fs_render_report_wide_header(out.f, ctx, vars, ss.corpus.nextra);
  else if (o.fmt == CLI_FORMAT_CSV)
    fs_render_report_csv_header(out.f, vars, ss.corpus.nextra);
  if (o.matches)
    fs_render_matches_csv_header_with(mout.f, vars, ss.corpus.nextra,
                                      cm != NULL);
  if (o.dimensions)
    fs_render_dimensions_csv_header(dout.f);
  run.color = cli_use_color(&o, &out);
  if (run.terms || run.text) {
    /* text with its sections in a spool, and html (without --actors, which
     * reads every document's matches), read long documents in windows */
    bool long_ok = ((run.text && run.spool) || html_long) &&
                   (!model || fs_model_reads_totals(model));
    rc = cli_each_doc_prep_long(
        &o, &ss.corpus, ctx, prep_doc, long_ok ? long_doc : NULL, free_prep,
        run.terms != NULL, keep_doc_terms, &run, &ss.failed);
  } else {
    FILE *outs[3];
    size_t nouts = 0;
    outs[nouts++] = out.f;
    if (o.matches)
      outs[nouts++] = mout.f;
    if (o.dimensions)
      outs[nouts++] = dout.f;
    rc = windows_apply(&run)
             ? cli_each_doc_rendered_long(&o, &ss.corpus, ctx, render_doc,
                                          stream_doc, &run, outs, nouts,
                                          &ss.failed)
             : cli_each_doc_rendered(&o, &ss.corpus, ctx, render_doc, &run,
                                     outs, nouts, &ss.failed);
  }
  /* nothing could be read: the errors said why, and an empty report
   * beside them would pass for a result */
  size_t analysed = 0;
  for (size_t i = 0; rc == FS_OK && i < ss.corpus.ndocs; i++)
    analysed += fs_distinct_doc_info(run.ds, i, &(size_t){0},
                                     &(double){0}) == 0;
  if (rc == FS_OK && analysed == 0 && ss.failed) {
    rc = FS_ERR_INPUT;
    goto done;
  }
  if (rc == FS_OK && (rc = fs_distinct_finish(run.ds)) != FS_OK) {
    cli_error("out of memory");
    rc = FS_ERR_INPUT;
    goto done;
  }
  if (rc == FS_OK && o.fmt == CLI_FORMAT_HTML &&
      cli_html_report_spooled(&o, ctx, run.cmp, ss.actors, run.items, run.n,
                              run.terms, run.ds, run.hspool, run.hsp,
                              out.f) != FS_OK) {
    rc = FS_ERR_INPUT;
    goto done;
  }
  if (rc == FS_OK && run.text) {
    rc = run.spool ? fs_render_report_text_spooled(out.f, lex, run.sums, run.n,
                                                   run.spool, run.color)
                   : fs_render_report_text(out.f, ctx, run.items, run.n,
                                           run.color);
    if (rc == FS_ERR_IO) {
      cli_error("reading the report's temporary file failed");
      rc = FS_ERR_INPUT;
      goto done;
    }
  }
  if (rc == FS_OK && run.text && model &&
      fs_render_dimensions_text(out.f, model, run.items, run.n) != FS_OK)
    rc = FS_ERR_NOMEM;
  if (rc == FS_OK && run.text)
    rc = fs_render_distinct_text(out.f, run.ds);
  if (rc == FS_OK && o.scores) {
    size_t slen = strlen(o.scores);
    if (cli_out_open(&sout, o.scores) ||
        cli_out_filter(&sout, &o,
                       slen >= 6 && !strcmp(o.scores + slen - 6, ".jsonl")
                           ? 0
                           : CLI_OUT_CSV)) {
      rc = FS_ERR_INPUT;
      goto done;
    }
    size_t len = strlen(o.scores);
    int jsonl = len >= 6 && !strcmp(o.scores + len - 6, ".jsonl");
    rc = fs_render_distinct_scores(sout.f, jsonl, run.ds, model, &ss.corpus);
  }
  if (rc != FS_OK) {
    if (rc == FS_ERR_NOMEM)
      cli_error("out of memory");
    rc = FS_ERR_INPUT;
    goto done;
  }
  rc = ss.failed ? FS_ERR_INPUT : FS_OK;
  if (cli_vectors_intact(model, &wv))
    rc = FS_ERR_INPUT;
  if (o.matches && cli_out_commit(&mout))
    rc = FS_ERR_INPUT;
  if (o.dimensions && cli_out_commit(&dout))
    rc = FS_ERR_INPUT;
  if (o.scores && cli_out_commit(&sout))
    rc = FS_ERR_INPUT;
  if (cli_out_commit(&out))
    rc = FS_ERR_INPUT;
done:
  cli_out_abort(&out);
  cli_out_abort(&sout);
  fs_distinct_free(run.ds);
  cli_out_abort(&mout);
  cli_out_abort(&dout);
  for (size_t i = 0; i < run.n; i++) {
    free_dims((fs_model_scores *)run.items[i].dims);
    fs_doc_free((fs_doc *)run.items[i].doc);
    free(run.texts[i]);
  }
  free(run.items);
  free(run.texts);
  free(run.heap);
  if (run.cmp)
    fs_compare_free(run.cmp);
  free(run.sums);
  if (run.spool)
    fclose(run.spool);
  free(run.hsp);
  if (run.hspool)
    fclose(run.hspool);
  fs_terms_free(run.terms);
  free(run.terms);
  fs_model_free(model);
  fs_context_model_free(cm);
  fs_tagger_free(tg);
  fs_word_vectors_free(&wv);
  cli_end(&ss);
  return rc;
}
