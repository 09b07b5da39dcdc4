/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models.c - finding and loading the framing model for report, compare and
 * eval: --model FILE, or models/default.model from the usual places; and a
 * tagger checked against the loaded lexicons. */
#include "cli.h"
#include "context.h"
#include "model.h"
#include "tagger.h"
#include "word_vectors.h"

#include <inttypes.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The default model: $FRAMESCORE_MODELS/default.model, the installed data
 * folder, then the source tree. */
static bool model_file(const char *file, char *out, size_t cap) {
  char beside[4096]; /* installed beside the binary (cli_installed_data) */
  const char *roots[4] = {
      getenv("FRAMESCORE_MODELS"),
      cli_installed_data("models", beside, sizeof beside) ? beside : NULL,
      FS_INSTALL_MODELS, FS_SOURCE_MODELS};
  for (int i = 0; i < 4; i++) {
    if (!roots[i] || !*roots[i])
      continue;
    int n = snprintf(out, cap, "%s/%s", roots[i], file);
    if (n >= 0 && (size_t)n < cap && access(out, R_OK) == 0)
      return true;
    if (i == 0) /* an explicit setting that does not work is an error */
      return false;
  }
  return false;
}

/* A weight for a category no loaded lexicon has never applies, but it says
 * that the context model was trained with other lexicons: a warning, as for
 * a tagger, and the run goes on. */
static void context_check_categories(const char *where,
                                     const fs_context_model *cm,
                                     const fs_lexicon *lex) {
  bool family = false;
  size_t n = 0;
  const char *name = fs_context_model_unknown_name(cm, lex, &family, &n);
  if (!name)
    return;
  fprintf(stderr,
          "%s: warning: the context model weighs lexicon %s '%s', which no "
          "loaded lexicon has",
          where, family ? "family" : "category", name);
  if (n > 1)
    fprintf(stderr, " (and %zu more)", n - 1);
  fputs(": it was trained with other lexicons; load those (--lexicon) for "
        "its probabilities to mean what they did in training\n",
        stderr);
}

struct fs_word_vectors *cli_word_vectors(const char *path, size_t max_words,
                                         bool lazy) {
  fs_word_vectors *wv = malloc(sizeof *wv);
  if (!wv) {
    cli_error("out of memory");
    return NULL;
  }
  fs_word_vectors_init(wv);
  wv->lazy = lazy;
  fs_error err = {0};
  if (fs_word_vectors_load(wv, path, max_words, &err) != FS_OK) {
    cli_print_error(&err);
    fs_word_vectors_free(wv);
    free(wv);
    return NULL;
  }
  return wv;
}

/* A model's vector: features: the vectors of --word-vectors, read as the
 * model's vectors line says (its first rows only, if so), bound when they
 * are the ones it was trained with. */
static int model_vectors(const cli_opts *o, fs_model *m, const char *path) {
  const fs_dimension *d = NULL;
  for (size_t i = 0; i < m->ndims && !d; i++)
    if (m->dims[i].nvec_features)
      d = &m->dims[i];
  if (!o->word_vectors) {
    cli_error("%s: dimension %s has vector: features: give the word vectors "
              "it was trained with (--word-vectors FILE: %u components, "
              "digest %016" PRIx64 ")",
              path, d->name, d->vec_dim, d->vec_digest);
    return FS_ERR_INPUT;
  }
  fs_word_vectors *wv = cli_word_vectors(o->word_vectors, d->vec_words, true);
  if (!wv)
    return FS_ERR_INPUT;
  fs_error err = {0};
  if (fs_model_bind_vectors(m, wv, o->word_vectors, &err) != FS_OK) {
    cli_print_error(&err);
    fs_word_vectors_free(wv);
    free(wv);
    return FS_ERR_INPUT;
  }
  return FS_OK;
}

/* A model whose embedded span tagger was trained with word vectors: the
 * vectors of --word-vectors, read whole as for --tagger (or the model's own
 * when its vector: features read the same rows), bound when they are the
 * ones the tagger was trained with. */
static int model_tagger_vectors(const cli_opts *o, fs_model *m,
                                const char *path) {
  uint64_t digest;
  unsigned dim;
  const fs_dimension *d = fs_model_tagger_vectors(m, &digest, &dim);
  if (!o->word_vectors) {
    cli_error("%s: dimension %s has a span tagger (tagger lines) trained "
              "with word vectors: give them (--word-vectors FILE: %u "
              "components, digest %016" PRIx64 ")",
              path, d->name, dim, digest);
    return FS_ERR_INPUT;
  }
  bool own = !m->vectors || m->vectors->dim != dim ||
             m->vectors->digest != digest;
  fs_word_vectors *wv = own ? cli_word_vectors(o->word_vectors, 0, true)
                           : m->vectors;
  if (!wv)
    return FS_ERR_INPUT;
  fs_error err = {0};
  if (fs_model_bind_tagger_vectors(m, wv, own, o->word_vectors, &err)) {
    cli_print_error(&err);
    if (own) {
      fs_word_vectors_free(wv);
      free(wv);
    }
    return FS_ERR_INPUT;
  }
  return FS_OK;
}

struct fs_model *cli_model(const cli_opts *o, const fs_lexicon *lex,
                           bool *failed) {
  char path[4096];
  *failed = false;
  if (o->model && !strcmp(o->model, "none"))
    return NULL;
  if (o->model) {
    snprintf(path, sizeof path, "%s", o->model);
  } else if (!model_file("default.model", path, sizeof path)) {
    if (getenv("FRAMESCORE_MODELS") && *getenv("FRAMESCORE_MODELS"))
      cli_error("FRAMESCORE_MODELS=%s has no default.model",
                getenv("FRAMESCORE_MODELS"));
    else
      cli_error("no default model (looked in FRAMESCORE_MODELS, %s and %s); "
                "give --model FILE or --model none",
                FS_INSTALL_MODELS, FS_SOURCE_MODELS);
    *failed = true;
    return NULL;
  }
  fs_error err = {0};
  fs_model *m = fs_model_load(path, &err);
  if (m && fs_model_bind(m, lex, &err) != FS_OK) {
    fs_model_free(m);
    m = NULL;
  }
  if (!m) {
    cli_print_error(&err);
    *failed = true;
    return NULL;
  }
  /* stem features are one language's stems */
  if (m->nstem_features && fs_lexicon_lang_count(lex) > 1) {
    cli_error("%s: a model with stem features reads one language, and this "
              "run holds %zu (the manifest's lang column): run each language "
              "separately",
              path, fs_lexicon_lang_count(lex));
    fs_model_free(m);
    *failed = true;
    return NULL;
  }
  if (fs_model_needs_vectors(m) && model_vectors(o, m, path)) {
    fs_model_free(m);
    *failed = true;
    return NULL;
  }
  uint64_t tdigest;
  unsigned tdim;
  if (fs_model_tagger_vectors(m, &tdigest, &tdim) &&
      model_tagger_vectors(o, m, path)) {
    fs_model_free(m);
    *failed = true;
    return NULL;
  }
  /* an embedded context model (`context` lines) as a --context-model */
  for (size_t d = 0; d < m->ndims; d++)
    if (m->dims[d].cm) {
      char where[4200];
      snprintf(where, sizeof where, "%s (dimension %s)", path, m->dims[d].name);
      context_check_categories(where, m->dims[d].cm, lex);
    }
  /* the default model is named by its file name only, so outputs do not
   * depend on where framescore is installed */
  if (!o->model) {
    char *name = strdup("default.model");
    if (name) {
      free(m->name);
      m->name = name;
    }
  }
  return m;
}

struct fs_context_model *
cli_context_model(const cli_opts *o, const fs_lexicon *lex, bool *failed) {
  char path[4096];
  *failed = false;
  if (!o->context_model || !strcmp(o->context_model, "none"))
    return NULL;
  if (strcmp(o->context_model, "default"))
    snprintf(path, sizeof path, "%s", o->context_model);
  else if (!model_file("context.model", path, sizeof path)) {
    cli_error("no context.model (looked in FRAMESCORE_MODELS, %s and %s)",
              FS_INSTALL_MODELS, FS_SOURCE_MODELS);
    *failed = true;
    return NULL;
  }
  fs_error err = {0};
  fs_context_model *cm = fs_context_model_load(path, lex, &err);
  if (!cm) {
    cli_print_error(&err);
    *failed = true;
    return NULL;
  }
  context_check_categories(path, cm, lex);
  return cm;
}

bool cli_dimension_active(const struct fs_model *m, const char *name) {
  long d = m ? fs_model_find(m, name) : -1;
  return d >= 0 && m->dims[d].active;
}

int cli_tagger_vectors(const cli_opts *o, const char *path, fs_tagger *tg,
                       const fs_model *m, fs_word_vectors *wv) {
  const char *rec = tg ? fs_tagger_vectors_path(tg) : NULL;
  fs_error err = {0};
  if (!tg)
    return FS_OK;
  if (!rec) {
    if (!o->word_vectors)
      return FS_OK;
    cli_error("%s: --word-vectors: the tagger was trained without word "
              "vectors",
              path);
    return FS_ERR_INPUT;
  }
  /* the model's vectors when they are the same rows (digest): those of
   * its vector: features, or of its own span tagger; the file read once */
  if (m && m->vectors && fs_tagger_use_vectors(tg, m->vectors, &err) == FS_OK)
    return FS_OK;
  if (m && m->tagger_vectors && m->tagger_vectors != m->vectors &&
      fs_tagger_use_vectors(tg, m->tagger_vectors, &err) == FS_OK)
    return FS_OK;
  const char *vp = o->word_vectors ? o->word_vectors : rec;
  if (!*vp) {
    cli_error("%s: the tagger was trained with word vectors and records no "
              "path: give them with --word-vectors FILE",
              path);
    return FS_ERR_INPUT;
  }
  wv->lazy = true; /* applied only: each row checked when looked up */
  if (fs_word_vectors_load(wv, vp, 0, &err)) {
    cli_print_error(&err);
    cli_error("%s: the tagger needs the word vectors it was trained with "
              "(%s)%s",
              path, rec,
              o->word_vectors ? "" : ": give them with --word-vectors FILE");
    return FS_ERR_INPUT;
  }
  if (fs_tagger_use_vectors(tg, wv, &err)) {
    cli_error("%s: %s: %s", path, vp, err.msg);
    return FS_ERR_INPUT;
  }
  return FS_OK;
}

void cli_tagger_check_categories(const char *path, const fs_tagger *tg,
                                 const fs_lexicon *lex) {
  const char *cat = tg ? fs_tagger_unknown_category(tg, lex) : NULL;
  if (cat)
    fprintf(stderr,
            "%s: warning: the tagger weighs lexicon category '%s', which no "
            "loaded lexicon has: load the lexicons it was trained with "
            "(--lexicon)\n",
            path, cat);
}

int cli_vectors_intact(const fs_model *m, const fs_word_vectors *wv) {
  const fs_word_vectors *all[3] = {m ? m->vectors : NULL,
                                   m ? m->tagger_vectors : NULL, wv};
  int rc = FS_OK;
  for (int i = 0; i < 3; i++) {
    fs_error err = {0};
    if (all[i] && (i != 1 || all[1] != all[0]) &&
        fs_word_vectors_intact(all[i], &err)) {
      cli_print_error(&err);
      rc = FS_ERR_INPUT;
    }
  }
  return rc;
}
