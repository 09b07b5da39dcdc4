/* SPDX-License-Identifier: GPL-3.0-or-later */
/* annotated.c - annotated documents -> folds by article -> span and word
 * F1 of whatever the documents carry (see annotated.h). */
#include "annotated.h"
#include "context.h"
#include "train.h"

#include <stdlib.h>
#include <string.h>

void fs_annot_init(fs_annot *a, const fs_annot_setup *s) {
  memset(a, 0, sizeof *a);
  a->s = *s;
  fs_intern_init(&a->groups);
}

void fs_annot_free(fs_annot *a) {
  for (size_t i = 0; i < a->n; i++) {
    fs_annot_doc *ad = &a->docs[i];
    fs_doc_free(ad->d);
    free(ad->text), free(ad->gold), free(ad->wbuf), free(ad->words);
  }
  free(a->docs);
  fs_intern_free(&a->groups);
  memset(a, 0, sizeof *a);
}

/* A new document record (zeroed) with d, text and group, or NULL (d and
 * text freed). */
static fs_annot_doc *add(fs_annot *a, fs_doc *d, char *text, int kind,
                         const char *group) {
  uint32_t g = fs_intern_add(&a->groups, group, strlen(group));
  if (g == FS_NONE || fs_grow(&a->docs, &a->cap, a->n + 1, sizeof *a->docs)) {
    fs_doc_free(d);
    free(text);
    return NULL;
  }
  fs_annot_doc *ad = &a->docs[a->n++];
  memset(ad, 0, sizeof *ad);
  ad->d = d, ad->text = text, ad->kind = kind, ad->group = g;
  a->nkind[kind]++;
  return ad;
}

int fs_annot_add_article(fs_annot *a, fs_doc *d, char *text,
                         const fs_gold_span *gold, size_t ngold,
                         const char *group) {
  fs_annot_doc *ad = add(a, d, text, FS_ANNOT_SPANS, group);
  if (!ad || !(ad->gold = malloc((ngold + 1) * sizeof *gold)))
    return FS_ERR_NOMEM;
  memcpy(ad->gold, gold, ngold * sizeof *gold);
  ad->ngold = ngold;
  return FS_OK;
}

int fs_annot_add_sentence(fs_annot *a, fs_doc *d, char *text,
                          const char *const *words, size_t nwords,
                          const char *group) {
  fs_annot_doc *ad = add(a, d, text, FS_ANNOT_WORDS, group);
  if (!ad)
    return FS_ERR_NOMEM;
  size_t bytes = 1;
  for (size_t i = 0; i < nwords; i++)
    bytes += strlen(words[i]) + 1;
  ad->wbuf = malloc(bytes);
  ad->words = malloc((nwords + 1) * sizeof *ad->words);
  if (!ad->wbuf || !ad->words)
    return FS_ERR_NOMEM;
  char *p = ad->wbuf;
  for (size_t i = 0; i < nwords; i++) {
    size_t l = strlen(words[i]);
    memcpy(p, words[i], l + 1);
    ad->words[i] = p;
    p += l + 1;
  }
  ad->nwords = nwords;
  return FS_OK;
}

int fs_annot_folds(fs_annot *a, long k, unsigned long seed) {
  size_t ng = a->groups.count;
  if (k < 2 || ng < (size_t)k)
    return FS_ERR_INPUT;
  double *y = calloc(ng + 1, sizeof *y);
  int *fold = malloc((ng + 1) * sizeof *fold);
  int rc = y && fold ? fs_eval_folds(y, ng, k, seed, fold) : FS_ERR_NOMEM;
  for (size_t i = 0; !rc && i < a->n; i++)
    a->docs[i].fold = fold[a->docs[i].group];
  free(y), free(fold);
  return rc;
}

static bool chosen(const fs_annot_doc *ad, int which, int fold) {
  return which == FS_ANNOT_ALL ||
         (which == FS_ANNOT_IN_FOLD) == (ad->fold == fold);
}

int fs_annot_score(const fs_annot *a, int which, int fold,
                   fs_prf prf[FS_ANNOT_KINDS]) {
  const fs_annot_setup *s = &a->s;
  fs_span_eval *se = fs_span_eval_new(s->m, s->techniques, s->span_dims,
                                      s->ntech, s->voice, s->phrase);
  fs_word_eval *we = fs_word_eval_new(s->m, s->word_dims, s->nword, s->voice);
  int rc = se && we ? FS_OK : FS_ERR_NOMEM;
  if (we)
    fs_word_eval_content_words(we, s->content);
  for (size_t i = 0; !rc && i < a->n; i++) {
    const fs_annot_doc *ad = &a->docs[i];
    if (!chosen(ad, which, fold))
      continue;
    rc = ad->kind == FS_ANNOT_SPANS
             ? fs_span_eval_add(se, ad->d, ad->gold, ad->ngold)
             : fs_word_eval_add(we, ad->d, (const char *const *)ad->words,
                                ad->nwords);
  }
  if (!rc) {
    fs_span_eval_finish(se);
    const fs_span_score *c = fs_span_eval_combined(se);
    prf[FS_ANNOT_SPANS] = (fs_prf){0};
    prf[FS_ANNOT_SPANS].precision = c->precision;
    prf[FS_ANNOT_SPANS].recall = c->recall;
    prf[FS_ANNOT_SPANS].f1 = c->f1;
    prf[FS_ANNOT_WORDS] = fs_word_eval_scores(we);
  }
  fs_span_eval_free(se);
  fs_word_eval_free(we);
  return rc;
}

double fs_annot_mean_f1(const fs_annot *a, const fs_prf prf[FS_ANNOT_KINDS]) {
  double sum = 0;
  int n = 0;
  for (int k = 0; k < FS_ANNOT_KINDS; k++)
    if (a->nkind[k])
      sum += prf[k].f1, n++;
  return n ? sum / n : 0;
}

int fs_annot_best_threshold(fs_annot *a, int which, int fold,
                            const double *grid, size_t n,
                            int (*set)(void *user, double t), void *user,
                            double *best) {
  double best_f1 = -1;
  for (size_t g = 0; g < n; g++) {
    fs_prf prf[FS_ANNOT_KINDS];
    if (set(user, grid[g]) || fs_annot_score(a, which, fold, prf))
      return FS_ERR_NOMEM;
    double f1 = fs_annot_mean_f1(a, prf);
    if (f1 > best_f1 + 1e-12)
      best_f1 = f1, *best = grid[g];
  }
  return FS_OK;
}

bool fs_annot_token_gold(const fs_annot_doc *ad, size_t k) {
  const fs_tok *t = &ad->d->tokens[k];
  if (t->kind != FS_TOK_WORD && t->kind != FS_TOK_NUMBER)
    return false;
  if (ad->kind == FS_ANNOT_WORDS)
    return fs_eval_gold_word(ad->d, t, (const char *const *)ad->words,
                             ad->nwords);
  for (size_t g = 0; g < ad->ngold; g++)
    if (ad->gold[g].span.begin < fs_tok_char_end(ad->d, t) &&
        t->char_start < ad->gold[g].span.end)
      return true;
  return false;
}

bool fs_annot_match_used(const fs_annot *a, const fs_annot_doc *ad, size_t i) {
  const fs_match *mt = &ad->d->matches[i];
  const fs_annot_setup *s = &a->s;
  if (s->voice != FS_VOICES && s->voice != mt->voice)
    return false;
  if (s->all)
    return mt->category < s->m->ncats;
  const size_t *dims = ad->kind == FS_ANNOT_SPANS ? s->span_dims : s->word_dims;
  size_t n = ad->kind == FS_ANNOT_SPANS ? s->ntech : s->nword;
  for (size_t k = 0; k < n; k++)
    if (fs_eval_predicts(s->m, dims[k], mt))
      return true;
  return false;
}

int fs_annot_fit(const fs_annot *a, const fs_lr_data *x, const size_t *doc,
                 int fold, double lambda, double tol_per_row, size_t max_iter,
                 double *w, bool *converged) {
  size_t *rows = malloc((x->n + 1) * sizeof *rows), nr = 0;
  if (!rows)
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < x->n; i++)
    if (fold < 0 || a->docs[doc[i]].fold != fold)
      rows[nr++] = i;
  fs_lr_info info;
  memset(w, 0, (x->p + 1) * sizeof *w);
  int rc = fs_lr_fit(x, rows, nr, lambda, tol_per_row * (double)nr, max_iter,
                     w, &info);
  *converged &= info.converged;
  free(rows);
  return rc;
}
