/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vector_features.c - tokens -> a sentence's vector: features: pretrained
 * word vectors pooled over its words (train --word-vectors), and binding
 * the vectors to a model that was trained with them (model.h). */
#include "model.h"
#include "internal.h"
#include "word_vectors.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const pool_names[FS_VPOOL_N] = {"mean", "max"};

const char *fs_model_vpool_name(size_t i) {
  return i < FS_VPOOL_N ? pool_names[i] : NULL;
}

/* SIF (Arora, Liang and Ma 2017): a word's weight a / (a + p), p its
 * probability under Zipf's law from its row r (0-based) of the n rows read
 * of a file ordered by frequency: 1 / ((r + 1) H_n), H_n the n-th harmonic
 * number (by its asymptotic series, within 1e-7 of the sum from n = 20
 * on; counts over a corpus of one's own would need carrying in the
 * model). */
static double harmonic(size_t n) {
  double nn = (double)(n ? n : 1);
  return log(nn) + 0.57721566490153286 + 1 / (2 * nn) - 1 / (12 * nn * nn);
}

/* h: harmonic(n), the same for every word of a table */
static double sif_weight(size_t row, double h, double a) {
  double p = 1 / ((double)(row + 1) * h);
  return a / (a + p);
}

void fs_model_vector_pool(const fs_word_vectors *wv, size_t skip, double sif_a,
                          const fs_ctx *ctx, const fs_doc *d, size_t a,
                          size_t b, int voice, double *out) {
  unsigned dim = wv->dim;
  double *mean = out, *max = out + dim;
  size_t nin = 0, nf = ctx->forms.count;
  double wsum = 0, h = sif_a > 0 ? harmonic(wv->words.count) : 0;
  memset(out, 0, FS_VPOOL_N * dim * sizeof *out);
  /* each form's row from the context's memo (the tagger's too); out of
   * memory, looked up here */
  uint32_t *memo = fs_word_vectors_memo(ctx, wv);
  for (size_t k = a; k < b && k < d->ntokens; k++) {
    const fs_tok *t = &d->tokens[k];
    if ((t->kind != FS_TOK_WORD && t->kind != FS_TOK_NUMBER) ||
        (voice != FS_VOICES && voice != t->voice) || t->form >= nf)
      continue;
    uint32_t row = memo ? memo[t->form] : FS_VECTORS_UNSEEN;
    if (row == FS_VECTORS_UNSEEN && memo)
      row = fs_word_vectors_form_row(wv, ctx, memo, t->form);
    else if (row == FS_VECTORS_UNSEEN)
      row = fs_word_vectors_row(wv, fs_intern_str(&ctx->forms, t->form),
                                fs_intern_len(&ctx->forms, t->form));
    if (row == FS_NONE || row < skip)
      continue;
    const float *v = wv->v + (size_t)row * dim;
    double len = wv->norm[row];
    if (!(len > 0))
      continue;
    double wt = sif_a > 0 ? sif_weight(row, h, sif_a) : 1;
    len /= wt;
    wsum += wt;
    for (unsigned j = 0; j < dim; j++) {
      double u = v[j] / len;
      mean[j] += u;
      if (!nin || u > max[j])
        max[j] = u;
    }
    nin++;
  }
  for (unsigned j = 0; nin && j < dim; j++)
    mean[j] /= sif_a > 0 ? wsum : (double)nin;
}

bool fs_model_needs_vectors(const fs_model *m) {
  for (size_t i = 0; i < m->ndims; i++)
    if (m->dims[i].nvec_features)
      return true;
  return false;
}

int fs_model_bind_vectors(fs_model *m, fs_word_vectors *wv, const char *name,
                          fs_error *err) {
  for (size_t i = 0; i < m->ndims; i++) {
    const fs_dimension *d = &m->dims[i];
    if (!d->nvec_features)
      continue;
    if (d->vec_dim != wv->dim || d->vec_digest != wv->digest)
      return fs_error_set(
          err, FS_ERR_INPUT, name, 0, 0,
          "not the word vectors model %s (dimension %s) was trained with: "
          "%u components, digest %016" PRIx64 " here, %u and %016" PRIx64
          " there%s",
          m->name, d->name, wv->dim, wv->digest, d->vec_dim, d->vec_digest,
          d->vec_words ? " (the model read only the file's first rows: "
                         "--vector-words)"
                       : "");
  }
  if (m->vectors) {
    fs_word_vectors_free(m->vectors);
    free(m->vectors);
  }
  m->vectors = wv;
  return FS_OK;
}

int fs_model_vector_feature(const char *s, size_t len) {
  if (len < 7 || memcmp(s, "vector:", 7))
    return 0;
  s += 7, len -= 7;
  for (size_t i = 0; i < FS_VPOOL_N; i++) {
    size_t pl = strlen(pool_names[i]);
    if (len < pl + 2 || memcmp(s, pool_names[i], pl) || s[pl] != ':')
      continue;
    const char *k = s + pl + 1;
    size_t kl = len - pl - 1;
    if (kl > 4 || (kl > 1 && k[0] == '0'))
      return 0;
    int c = 0;
    for (size_t j = 0; j < kl; j++) {
      if (k[j] < '0' || k[j] > '9')
        return 0;
      c = c * 10 + (k[j] - '0');
    }
    if (c >= FS_VECTORS_DIM_MAX)
      return 0;
    return 1 + (int)i * FS_VECTORS_DIM_MAX + c;
  }
  return 0;
}
