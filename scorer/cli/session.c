/* SPDX-License-Identifier: GPL-3.0-or-later */
/* session.c - options → what every corpus command sets up first: the
 * corpus (manifest, arguments, --outlet-from, --group-by), the language of
 * the run, the lexicon with the --actors patterns and an analysis context;
 * and the helpers several commands share (--voice, actors files, adding a
 * document to the terms, a model's dimensions of a document). Uses
 * common.c, io.c and clash.c; no command. */
#include "actors.h"
#include "cli.h"
#include "model.h"
#include "terms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cli_voice(const char *v) {
  if (!strcmp(v, "author"))
    return FS_VOICE_AUTHOR;
  if (!strcmp(v, "quote"))
    return FS_VOICE_QUOTE;
  return FS_VOICES;
}

fs_actors *cli_load_actors(const char *path, fs_lexicon *lex) {
  char *data, msg[512];
  size_t len;
  if (cli_read_input(path, (size_t)64 << 20, &data, &len, msg, sizeof msg)) {
    fprintf(stderr, "%s: %s\n", path, msg);
    return NULL;
  }
  fs_error err = {0};
  fs_actors *a = fs_actors_load(lex, path, data, len, &err);
  free(data);
  if (!a)
    cli_print_error(&err);
  return a;
}

int cli_terms_add(fs_terms *t, const fs_corpus_doc *cd, const fs_doc *doc,
                  size_t source, const fs_vocab_delta *vocab) {
  int rc = fs_terms_add_from(t, source, vocab, cd->outlet, doc);
  if (rc == FS_ERR_NOMEM)
    cli_error("out of memory");
  else if (rc)
    cli_error("%s: word ids out of step with their context (a bug)",
              cd->path);
  return rc;
}

int cli_terms_add_extra(struct fs_terms *t, const fs_corpus_doc *cd,
                        const fs_doc *doc, const cli_doc_extra *x,
                        size_t source, const struct fs_vocab_delta *vocab) {
  if (!x || !x->bag)
    return cli_terms_add(t, cd, doc, source, vocab);
  int rc = fs_terms_add_bag(t, source, vocab, cd->outlet, x->bag);
  if (rc == FS_ERR_NOMEM)
    cli_error("out of memory");
  else if (rc)
    cli_error("%s: word ids out of step with their context (a bug)", cd->path);
  return rc;
}

int cli_prep_dims(const fs_model *m, fs_ctx *ctx, fs_doc *doc, void **prep) {
  if (!m)
    return FS_OK;
  fs_dim_value *dv = calloc(m->ndims + 1, sizeof *dv);
  if (!dv || fs_model_score_doc(m, ctx, doc, dv) != FS_OK) {
    free(dv);
    return FS_ERR_NOMEM;
  }
  *prep = dv;
  return FS_OK;
}

int cli_prep_extra(const fs_model *m, fs_ctx *ctx, fs_doc *doc, void **prep) {
  void *dv = NULL;
  int rc = cli_prep_dims(m, ctx, doc, &dv);
  if (rc || !dv)
    return rc;
  cli_doc_extra *x = calloc(1, sizeof *x);
  if (!x) {
    free(dv);
    return FS_ERR_NOMEM;
  }
  x->dv = dv;
  *prep = x;
  return FS_OK;
}

/* Does a manifest path (as joined to the manifest's folder) leave that
 * folder: absolute elsewhere, or climbing out with ".."? */
static bool outside_manifest(const char *manifest, const char *path) {
  const char *slash = strrchr(manifest, '/');
  size_t blen = slash ? (size_t)(slash - manifest) : 1;
  const char *base = slash ? manifest : ".";
  if (slash == manifest)
    blen = 0; /* the manifest is in / */
  if (strncmp(path, base, blen) || path[blen] != '/')
    return true;
  long depth = 0;
  for (const char *p = path + blen + 1; *p;) {
    size_t n = strcspn(p, "/");
    if (n == 2 && !strncmp(p, "..", 2)) {
      if (--depth < 0)
        return true;
    } else if (n && !(n == 1 && *p == '.')) {
      depth++;
    }
    p += n + (p[n] == '/');
  }
  return false;
}

int cli_corpus(const cli_opts *o, fs_corpus *c, bool *failed) {
  fs_error err = {0};
  int rc = FS_OK;
  fs_corpus_init(c);
  if (o->manifest) {
    char *data, msg[512];
    size_t len;
    /* --max-file-size, at least 64 MiB: a manifest of millions of
     * documents (a 10 GB corpus: 2.3 million rows, 122 MB) is read whole
     * by every shard's job */
    size_t cap = (size_t)64 << 20;
    if (o->max_file_size > cap)
      cap = o->max_file_size;
    if (cli_read_input(o->manifest, cap, &data, &len, msg, sizeof msg)) {
      fprintf(stderr, "%s: %s\n", o->manifest, msg);
      return FS_ERR_INPUT;
    }
    rc = fs_corpus_add_manifest(c, o->manifest, data, len, &err);
    free(data);
    /* allowed (corpora often live elsewhere), but worth a look in a
     * manifest from someone else */
    for (size_t i = 0; rc == FS_OK && !o->quiet && i < c->ndocs; i++)
      if (outside_manifest(o->manifest, c->docs[i].path))
        fprintf(stderr,
                "%s:%ld: warning: '%s' is outside the manifest's folder\n",
                o->manifest, c->docs[i].line, c->docs[i].path);
  }
  /* a bad file or folder argument is reported and the rest goes on */
  for (int i = 0; i < o->nargs && rc == FS_OK; i++)
    if (fs_corpus_add_path(c, o->args[i], NULL, &err) != FS_OK) {
      cli_print_error(&err);
      *failed = true;
    }
  /* folder mode reads *.txt and *.text: say what it left out */
  for (size_t i = 0; !o->quiet && i < c->nskipped && i < 20; i++)
    fprintf(stderr, "%s: warning: skipped (a corpus folder's documents are "
                    "*.txt and *.text files)\n",
            c->skipped[i]);
  if (!o->quiet && c->nskipped > 20)
    fprintf(stderr, "framescore: warning: %zu more files skipped\n",
            c->nskipped - 20);
  if (rc == FS_OK && o->outlet_from)
    rc = fs_corpus_outlet_from(c, o->outlet_from, &err);
  if (rc == FS_OK && o->group_by)
    rc = fs_corpus_group_by(c, o->group_by, &err);
  if (rc == FS_ERR_USAGE) {
    char buf[1200];
    return cli_usage_error(o->cmd, fs_error_format(&err, buf, sizeof buf));
  }
  if (rc != FS_OK)
    cli_print_error(&err);
  else if (c->ndocs == 0 && !*failed)
    rc = cli_usage_error(o->cmd, "no documents: give files, folders, '-' or "
                                 "--manifest FILE.csv");
  else if (c->ndocs == 0)
    rc = FS_ERR_INPUT;
  return rc;
}

/* The manifest's 'lang' column, or c->nextra when it has none. */
static size_t lang_column(const fs_corpus *c) {
  size_t col = c->nextra;
  for (size_t k = 0; k < c->nextra; k++)
    if (!strcmp(c->extra_names[k], "lang"))
      col = k;
  return col;
}

/* The language a document's row names, or NULL (no lang cell). */
static const char *row_lang(const fs_corpus *c, size_t col,
                            const fs_corpus_doc *d) {
  if (col >= c->nextra || !d->extra || !d->extra[col][0])
    return NULL;
  return cli_lang_name(d->extra[col]);
}

/* The languages of the run, into langs[0..*n): first the default one
 * (--lang, else the first 'lang' cell of the manifest, else english) that
 * documents without a lang cell are read in, then the other languages of
 * the manifest's rows in the order they first appear. Returns FS_OK, or
 * FS_ERR_INPUT after naming the row of an unknown language (or one too
 * many). */
static int run_langs(const cli_opts *o, const fs_corpus *c,
                     const char *langs[CLI_MAX_LANGS], size_t *n) {
  size_t col = lang_column(c);
  const char *first = NULL;
  for (size_t i = 0; !first && i < c->ndocs; i++)
    first = row_lang(c, col, &c->docs[i]);
  langs[0] = o->lang ? cli_lang_name(o->lang) : first ? first : "english";
  *n = 1;
  for (size_t i = 0; i < c->ndocs; i++) {
    const fs_corpus_doc *d = &c->docs[i];
    const char *l = row_lang(c, col, d);
    size_t k = 0;
    while (l && k < *n && strcmp(langs[k], l))
      k++;
    if (!l || k < *n)
      continue;
    fs_error err = {0};
    fs_lexicon *probe = *n < CLI_MAX_LANGS ? fs_lexicon_new(l, &err) : NULL;
    if (!probe) {
      cli_error("%s:%ld: lang '%s': %s", o->manifest, d->line, d->extra[col],
                *n < CLI_MAX_LANGS ? err.msg
                                   : "more languages than one run can hold "
                                     "(8)");
      return FS_ERR_INPUT;
    }
    fs_lexicon_free(probe);
    langs[(*n)++] = l;
  }
  return FS_OK;
}

size_t cli_doc_lang(const fs_corpus *c, const fs_corpus_doc *d,
                    const fs_lexicon *lex) {
  const char *l = row_lang(c, lang_column(c), d);
  long k = l ? fs_lexicon_lang_find(lex, l) : 0;
  return k > 0 ? (size_t)k : 0;
}

/* The lexicon built while other threads take the duplicate check's stats
 * (4,119 documents: ~7-12 ms on a virtual machine, a start no thread
 * analyses in): for the language the run has unless its manifest says
 * otherwise, and its messages held back until the check's are out. */
typedef struct early_lexicon {
  const cli_opts *o;
  const char *lang;
  fs_lexicon *lex;
  char *msg;
  bool built;
} early_lexicon;

static void build_early(void *arg) {
  early_lexicon *e = arg;
  e->lex = cli_lexicon_build(e->o, &e->lang, 1, &e->msg);
  e->built = true;
}

/* Documents from which the lexicon is built beside the check: where its
 * stats take a thread of their own (clash.c's STAT_PART_MIN). */
#define EARLY_LEXICON_DOCS 512

int cli_begin(cli_opts *o, bool with_actors, cli_session *s) {
  memset(s, 0, sizeof *s);
  o->doc_sizes = NULL;
  int rc = cli_corpus(o, &s->corpus, &s->failed);
  if (rc)
    return rc;
  /* NULL when out of memory: every document is then stat'ed when opened */
  s->doc_sizes = malloc((s->corpus.ndocs + 1) * sizeof *s->doc_sizes);
  /* with more than one thread and one language known (no 'lang' column),
   * the lexicon is built while other threads take the stats */
  early_lexicon early = {.o = o,
                         .lang = cli_lang_name(o->lang ? o->lang : "english")};
  bool ahead = o->threads > 1 && s->corpus.ndocs >= EARLY_LEXICON_DOCS &&
               lang_column(&s->corpus) == s->corpus.nextra;
  rc = cli_check_documents(o, &s->corpus, s->doc_sizes,
                           ahead ? build_early : NULL, &early);
  const char *langs[CLI_MAX_LANGS];
  size_t nlangs;
  if (!rc)
    rc = run_langs(o, &s->corpus, langs, &nlangs);
  if (!rc && early.built && (nlangs != 1 || strcmp(langs[0], early.lang)))
    early.built = false; /* not the run's language: built again */
  if (rc || !early.built) {
    fs_lexicon_free(early.lex);
    free(early.msg);
    if (rc)
      return rc;
  }
  o->doc_sizes = s->doc_sizes;
  s->lang = langs[0];
  s->lex = early.built ? cli_lexicon_built(o, early.lex, early.msg)
                       : cli_lexicon_langs(o, langs, nlangs);
  if (!s->lex)
    return FS_ERR_INPUT;
  if (with_actors && !(s->actors = cli_load_actors(o->actors, s->lex)))
    return FS_ERR_INPUT;
  fs_error err = {0};
  if (!(s->ctx = fs_ctx_new(s->lex, &err))) {
    cli_print_error(&err);
    return FS_ERR_INPUT;
  }
  return FS_OK;
}

void cli_end(cli_session *s) {
  fs_ctx_free(s->ctx);
  fs_actors_free(s->actors);
  fs_lexicon_free(s->lex);
  fs_corpus_free(&s->corpus);
  free(s->doc_sizes);
  memset(s, 0, sizeof *s);
}
