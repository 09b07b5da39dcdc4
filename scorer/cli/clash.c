/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clash.c - files compared by device and inode after symlinks, before any
 * work: an output path (-o, --matches, --dimensions, --scores,
 * --save-counts) that is an input or another output is refused, and so is a document listed twice
 * under different names (b.txt, ./b.txt, sub/../b.txt, a link). */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_OUTPUTS 8

typedef struct output {
  const char *opt, *path;
  bool exists; /* a regular file now: dev and ino */
  dev_t dev;
  ino_t ino;
  char *where; /* not there yet: its folder resolved, then its name */
} output;

typedef struct outputs {
  output o[MAX_OUTPUTS];
  size_t n;
  bool any_exists;
} outputs;

/* The path a file not yet there will have: realpath of its folder + its
 * name. NULL when the folder cannot be resolved (opening it fails later,
 * with its own message). */
static char *future_path(const char *path) {
  const char *slash = strrchr(path, '/');
  char dir[PATH_MAX], *res;
  if (!slash)
    snprintf(dir, sizeof dir, ".");
  else if (slash == path)
    snprintf(dir, sizeof dir, "/");
  else if ((size_t)(slash - path) < sizeof dir)
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
  else
    return NULL; /* longer than any path the system opens */
  if (!(res = realpath(dir, NULL)))
    return NULL;
  const char *name = slash ? slash + 1 : path;
  char *full = malloc(strlen(res) + strlen(name) + 2);
  if (full)
    sprintf(full, "%s/%s", res, name);
  free(res);
  return full;
}

static void add_output(outputs *out, const char *opt, const char *path) {
  if (!path || !strcmp(path, "-"))
    return;
  output w = {.opt = opt, .path = path};
  struct stat st;
  if (stat(path, &st) == 0) {
    if (!S_ISREG(st.st_mode))
      return; /* devices and FIFOs are written in place */
    w.exists = out->any_exists = true;
    w.dev = st.st_dev;
    w.ino = st.st_ino;
  } else if (!(w.where = future_path(path))) {
    return;
  }
  out->o[out->n++] = w;
}

static int refuse(const output *w, const char *what, const char *path) {
  cli_error("%s %s is the same file as %s %s: an output never replaces an "
            "input or another output",
            w->opt, w->path, what, path);
  return FS_ERR_USAGE;
}

/* Checks one input file against the outputs. */
static int check_input(const outputs *out, const char *what, const char *path) {
  struct stat st;
  if (!out->any_exists || !path || !strcmp(path, "-") || stat(path, &st) != 0)
    return FS_OK;
  for (size_t i = 0; i < out->n; i++)
    if (out->o[i].exists && out->o[i].dev == st.st_dev &&
        out->o[i].ino == st.st_ino)
      return refuse(&out->o[i], what, path);
  return FS_OK;
}

/* An input that may be a folder: checks the files in it (lexicon folders,
 * --articles). */
static int check_tree(const outputs *out, const char *what, const char *path) {
  struct stat st;
  if (!out->any_exists || !path || stat(path, &st) != 0)
    return FS_OK;
  if (!S_ISDIR(st.st_mode))
    return check_input(out, what, path);
  DIR *d = opendir(path);
  if (!d)
    return FS_OK;
  int rc = FS_OK;
  struct dirent *e;
  char full[PATH_MAX];
  while (rc == FS_OK && (e = readdir(d)))
    if (e->d_name[0] != '.' && snprintf(full, sizeof full, "%s/%s", path,
                                        e->d_name) < (int)sizeof full)
      rc = check_input(out, what, full);
  closedir(d);
  return rc;
}

typedef struct file_id {
  dev_t dev;
  ino_t ino;
  size_t doc;
} file_id;

static int cmp_id(const void *a, const void *b) {
  const file_id *x = a, *y = b;
  if (x->dev != y->dev)
    return x->dev < y->dev ? -1 : 1;
  if (x->ino != y->ino)
    return x->ino < y->ino ? -1 : 1;
  return (x->doc > y->doc) - (x->doc < y->doc);
}

/* The first document (in corpus order) that is the same file as an output,
 * found in the duplicate check's ids (sorted by cmp_id) without a stat of
 * its own; FS_OK, or the refusal. */
static int check_doc_ids(const outputs *out, const fs_corpus *c,
                         const file_id *ids, size_t nids) {
  size_t first = SIZE_MAX, which = 0;
  for (size_t i = 0; i < out->n; i++) {
    const output *w = &out->o[i];
    size_t lo = 0, hi = nids;
    while (w->exists && lo < hi) { /* the first id not below (dev, ino) */
      size_t mid = lo + (hi - lo) / 2;
      if (ids[mid].dev < w->dev ||
          (ids[mid].dev == w->dev && ids[mid].ino < w->ino))
        lo = mid + 1;
      else
        hi = mid;
    }
    if (w->exists && lo < nids && ids[lo].dev == w->dev &&
        ids[lo].ino == w->ino && ids[lo].doc < first) {
      first = ids[lo].doc;
      which = i;
    }
  }
  return first == SIZE_MAX
             ? FS_OK
             : refuse(&out->o[which], "the document", c->docs[first].path);
}

/* cli_check_outputs; the documents of c are looked up in ids (nids of them,
 * sorted) when ids is not NULL, else each is stat'ed. */
static int check_outputs(const cli_opts *o, const fs_corpus *c,
                         const file_id *ids, size_t nids) {
  outputs out = {0};
  char lexicon_dir[4096];
  add_output(&out, "-o", o->output);
  add_output(&out, "--matches", o->matches);
  add_output(&out, "--dimensions", o->dimensions);
  add_output(&out, "--scores", o->scores);
  add_output(&out, "--save-counts", o->save_counts);
  int rc = FS_OK;
  for (size_t i = 0; i < out.n && rc == FS_OK; i++)
    for (size_t j = 0; j < i && rc == FS_OK; j++) {
      const output *a = &out.o[i], *b = &out.o[j];
      if (a->exists ? b->exists && a->dev == b->dev && a->ino == b->ino
                    : !b->exists && !strcmp(a->where, b->where))
        rc = refuse(a, b->opt, b->path);
    }
  if (rc == FS_OK)
    rc = check_input(&out, "--manifest", o->manifest);
  for (int i = 0; i < o->nlexicons && rc == FS_OK; i++)
    rc = check_tree(&out, "--lexicon", o->lexicons[i]);
  if (rc == FS_OK && out.any_exists &&
      cli_default_lexicon_dir(o, lexicon_dir, sizeof lexicon_dir))
    rc = check_tree(&out, "the default lexicon", lexicon_dir);
  /* the other inputs named by options ("none": no file) */
  const struct {
    const char *what, *path;
    bool tree;
  } in[] = {
      {"--model", o->model && strcmp(o->model, "none") ? o->model : NULL,
       false},
      {"--actors", o->actors, false},
      {"--context-model",
       o->context_model && strcmp(o->context_model, "none") ? o->context_model
                                                            : NULL,
       false},
      {"--tagger", o->tagger, false},
      {"--word-classes", o->word_classes, false},
      {"--word-vectors", o->word_vectors, false},
      {"--prior", o->prior, false},
      {"--spans", o->spans, false},
      {"--articles", o->articles, true},
      {"--words", o->words, false},
      {"--sentences", o->sentences, false},
  };
  for (size_t i = 0; i < sizeof in / sizeof *in && rc == FS_OK; i++)
    rc = in[i].tree ? check_tree(&out, in[i].what, in[i].path)
                    : check_input(&out, in[i].what, in[i].path);
  /* the documents, or the arguments of train and compare --counts */
  if (rc == FS_OK && c && ids && out.any_exists)
    rc = check_doc_ids(&out, c, ids, nids);
  for (size_t i = 0; c && !ids && i < c->ndocs && rc == FS_OK; i++)
    rc = check_input(&out, "the document", c->docs[i].path);
  for (int i = 0; !c && i < o->nargs && rc == FS_OK; i++)
    rc = check_input(&out, "the input", o->args[i]);
  for (size_t i = 0; i < out.n; i++)
    free(out.o[i].where);
  return rc;
}

int cli_check_outputs(const cli_opts *o, const fs_corpus *c) {
  return check_outputs(o, c, NULL, 0);
}

/* Documents [from, to) of a corpus, stat'ed by one thread: ids[i] is
 * document i's (doc SIZE_MAX when no regular file was found: the rest is
 * reported when it is read) and sizes[i] its size. */
typedef struct stat_part {
  const fs_corpus *c;
  size_t from, to;
  file_id *ids;
  size_t *sizes; /* or NULL */
  pthread_t thread;
} stat_part;

static void *stat_docs(void *arg) {
  stat_part *s = arg;
  struct stat st;
  for (size_t i = s->from; i < s->to; i++) {
    const char *path = s->c->docs[i].path;
    s->ids[i].doc = SIZE_MAX;
    if (s->sizes)
      s->sizes[i] = CLI_SIZE_UNKNOWN;
    if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
      s->ids[i] = (file_id){st.st_dev, st.st_ino, i};
      if (s->sizes && (unsigned long long)st.st_size < CLI_SIZE_UNKNOWN)
        s->sizes[i] = (size_t)st.st_size;
    }
  }
  return NULL;
}

/* Documents a thread of the check takes at least: a stat costs ~3 us on a
 * virtual machine (a system call ~1 us), starting a thread ~50 us, so a
 * large corpus (4,119 files: ~12 ms, alone before any thread analyses)
 * is stat'ed by as many threads as --threads. */
#define STAT_PART_MIN 512
#define STAT_PARTS_MAX 8

int cli_check_documents(const cli_opts *o, const fs_corpus *c, size_t *sizes,
                        void (*beside)(void *), void *arg) {
  file_id *ids = malloc((c->ndocs + 1) * sizeof *ids);
  size_t n = 0;
  if (!ids) {
    cli_error("out of memory");
    return FS_ERR_NOMEM;
  }
  stat_part part[STAT_PARTS_MAX];
  size_t nparts = c->ndocs / STAT_PART_MIN;
  if (nparts > (size_t)(o->threads > 1 ? o->threads : 1))
    nparts = (size_t)(o->threads > 1 ? o->threads : 1);
  if (nparts > STAT_PARTS_MAX)
    nparts = STAT_PARTS_MAX;
  if (nparts < 1)
    nparts = 1;
  bool started[STAT_PARTS_MAX] = {false};
  for (size_t k = 0; k < nparts; k++) {
    part[k] = (stat_part){.c = c,
                          .from = c->ndocs * k / nparts,
                          .to = c->ndocs * (k + 1) / nparts,
                          .ids = ids,
                          .sizes = sizes};
    /* part 0 is this thread's unless beside() has it; a part whose
     * thread cannot start too */
    started[k] = (k > 0 || beside) &&
                 !pthread_create(&part[k].thread, NULL, stat_docs, &part[k]);
  }
  if (beside)
    beside(arg);
  for (size_t k = 0; k < nparts; k++)
    if (!started[k])
      stat_docs(&part[k]);
  for (size_t k = 0; k < nparts; k++)
    if (started[k])
      pthread_join(part[k].thread, NULL);
  for (size_t i = 0; i < c->ndocs; i++) /* in order, as one thread found */
    if (ids[i].doc != SIZE_MAX)
      ids[n++] = ids[i];
  qsort(ids, n, sizeof *ids, cmp_id);
  int rc = FS_OK;
  for (size_t i = 1; i < n && rc == FS_OK; i++) {
    if (ids[i].dev != ids[i - 1].dev || ids[i].ino != ids[i - 1].ino)
      continue;
    const fs_corpus_doc *a = &c->docs[ids[i - 1].doc],
                        *b = &c->docs[ids[i].doc];
    if (b->line)
      fprintf(stderr, "%s:%ld: '%s' is the same file as '%s'", o->manifest,
              b->line, b->path, a->path);
    else
      fprintf(stderr, "framescore: '%s' is the same file as '%s'", b->path,
              a->path);
    if (a->line)
      fprintf(stderr, " (line %ld)", a->line);
    fputs(": a document is counted once\n", stderr);
    rc = FS_ERR_INPUT;
  }
  if (rc == FS_OK) /* the outputs, with the documents' stats just taken */
    rc = check_outputs(o, c, ids, n);
  free(ids);
  return rc;
}
