/* SPDX-License-Identifier: GPL-3.0-or-later */
/* context.c - lexicon matches -> context features -> the probability that
 * annotators would mark each match; the context model's file format. */
#include "context.h"
#include "utf8.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CONTEXT_MAGIC "framescore-context"
#define NEAR 3 /* words either side that count as a neighbour */

static const char *const feature_names[FS_CF_ALL] = {"weight",
                                                     "quote",
                                                     "negated",
                                                     "intensified",
                                                     "headline",
                                                     "sentence_start",
                                                     "position",
                                                     "capitalised",
                                                     "all_caps",
                                                     "multiword",
                                                     "near_loaded",
                                                     "near_attribution",
                                                     "sentence_matches",
                                                     "sentence_density",
                                                     "sentence_words",
                                                     "attributed",
                                                     "quote_sentence",
                                                     "scare",
                                                     "paragraph_first",
                                                     "exclaim",
                                                     "question",
                                                     "repeats",
                                                     "event",
                                                     "doc_density",
                                                     "single",
                                                     "single_quote",
                                                     "suffix_ly",
                                                     "suffix_adj",
                                                     "suffix_ist",
                                                     "suffix_verb",
                                                     "suffix_noun"};

static const char *const second_names[FS_C2_N] = {
    "logit", "top", "others_max", "others_sum", "others_above", "single"};

const char *fs_context_feature_name(size_t i) {
  return i < FS_CF_ALL ? feature_names[i] : NULL;
}

/* ---- features ------------------------------------------------------------ */

static bool is_word(const fs_tok *t) {
  return t->kind == FS_TOK_WORD || t->kind == FS_TOK_NUMBER;
}

static const char *family_of(const fs_lexicon *lex, uint32_t cat) {
  return lex->families[lex->cats[cat].family];
}

static bool scoring(const fs_lexicon *lex, const fs_match *m) {
  return m->category < lex->ncats && fs_category_in_score(lex, m->category);
}

static int family_bit(const fs_lexicon *lex, uint32_t f);

void fs_context_scratch_free(fs_context_scratch *s) {
  free(s->sent_words), free(s->sent_scoring), free(s->sent_flags);
  free(s->word_pos), free(s->para_first), free(s->entry_count);
  free(s->cum_words), free(s->fam_bit);
  memset(s, 0, sizeof *s);
}

int fs_context_scratch_fill(fs_context_scratch *s, const fs_lexicon *lex,
                            const fs_doc *d) {
  /* sentences are the document's, numbered from d->sent_base (a window's
   * first) */
  uint32_t sb = d->sent_base;
  size_t ns = 1, nt = d->ntokens ? d->ntokens : 1;
  for (size_t k = 0; k < d->ntokens; k++)
    if (d->tokens[k].sentence - sb + 1u > ns)
      ns = d->tokens[k].sentence - sb + 1u;
  if (fs_grow(&s->sent_words, &s->cap[0], ns, sizeof *s->sent_words) ||
      fs_grow(&s->sent_scoring, &s->cap[1], ns, sizeof *s->sent_scoring) ||
      fs_grow(&s->sent_flags, &s->cap[2], ns, 1) ||
      fs_grow(&s->word_pos, &s->cap[3], nt, sizeof *s->word_pos) ||
      fs_grow(&s->para_first, &s->cap[4], nt, sizeof *s->para_first) ||
      fs_grow(&s->entry_count, &s->cap[5], lex->nentries + 1,
              sizeof *s->entry_count) ||
      fs_grow(&s->cum_words, &s->cap[6], nt + 1, sizeof *s->cum_words) ||
      fs_grow(&s->fam_bit, &s->cap[7], lex->nfamilies + 1, 1))
    return FS_ERR_NOMEM;
  for (size_t f = 0; f < lex->nfamilies; f++)
    s->fam_bit[f] = (uint8_t)family_bit(lex, (uint32_t)f);
  s->nsent = ns;
  memset(s->sent_words, 0, ns * sizeof *s->sent_words);
  memset(s->sent_scoring, 0, ns * sizeof *s->sent_scoring);
  memset(s->sent_flags, 0, ns);
  /* only the entries of this document's matches are read (and a window's
   * are the whole document's, fs_context_scratch_whole): not the whole
   * lexicon's entries cleared for each document */
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    s->entry_count[m->entry == FS_NONE ? lex->nentries : m->entry] = 0;
  }
  s->doc_words = s->doc_scoring = 0;
  s->sent_base = sb;
  s->paragraphs = d->stats.paragraphs;
  s->near = NULL;
  uint32_t para = UINT32_MAX, first_sent = 0;
  for (size_t k = 0; k < d->ntokens; k++) {
    const fs_tok *t = &d->tokens[k];
    if (fs_tok_para(d, t) != para) {
      para = fs_tok_para(d, t);
      first_sent = t->sentence;
    }
    s->para_first[k] = t->sentence == first_sent;
    s->cum_words[k] = (uint32_t)s->doc_words;
    uint32_t sent = t->sentence - sb;
    s->word_pos[k] = s->sent_words[sent];
    if (is_word(t)) {
      s->sent_words[sent]++;
      s->doc_words++;
      if (t->voice == FS_VOICE_QUOTE)
        s->sent_flags[sent] |= 2;
    } else if (t->byte_end > t->byte_start) {
      char c = d->text[t->byte_start - d->text_base];
      s->sent_flags[sent] |= c == '!' ? 4 : c == '?' ? 8 : 0;
    }
  }
  s->cum_words[d->ntokens] = (uint32_t)s->doc_words;
  s->sorted = true;
  s->longest = 0;
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    if (i && m->tok_start < m[-1].tok_start)
      s->sorted = false;
    if (m->tok_end > m->tok_start && m->tok_end - m->tok_start > s->longest)
      s->longest = m->tok_end - m->tok_start;
    uint32_t sent = d->tokens[m->tok_start].sentence - sb;
    if (scoring(lex, m)) {
      s->sent_scoring[sent]++;
      s->doc_scoring++;
    }
    if (m->category < lex->ncats &&
        lex->cats[m->category].family == lex->attribution_fam)
      s->sent_flags[sent] |= 1;
    s->entry_count[m->entry == FS_NONE ? lex->nentries : m->entry]++;
  }
  return FS_OK;
}

/* Is the word's every letter uppercase (with at least two letters)? */
static bool all_caps(const fs_doc *d, const fs_tok *t) {
  size_t letters = 0;
  /* a window's offsets are the document's: its text starts at text_base */
  for (size_t i = t->byte_start; i < t->byte_end; i++) {
    char c = d->text[i - d->text_base];
    if (c >= 'a' && c <= 'z')
      return false;
    letters += c >= 'A' && c <= 'Z';
  }
  return letters >= 2;
}

/* The neighbour bit of family f: 1 for the families that frame (loaded,
 * label), 2 for attribution, 0 for none. */
static int family_bit(const fs_lexicon *lex, uint32_t f) {
  const char *fam = lex->families[f];
  if (!strcmp(fam, "loaded") || !strcmp(fam, "label"))
    return 1;
  return f == lex->attribution_fam ? 2 : 0;
}

/* Which neighbour bit match o sets. */
static int neighbour_bit(const fs_lexicon *lex, const fs_match *o) {
  if (o->category >= lex->ncats)
    return 0;
  return family_bit(lex, lex->cats[o->category].family);
}

/* The bit match o adds to bits as a neighbour of match m (0: none). */
static int neighbour_bit_of(const fs_context_scratch *s, const fs_lexicon *lex,
                            const fs_match *m, const fs_match *o, int bits) {
  if (o->category >= lex->ncats)
    return 0;
  int bit = s->fam_bit[lex->cats[o->category].family];
  if ((bits | bit) == bits)
    return 0; /* it would add nothing */
  if (o->tok_start < m->tok_end && m->tok_start < o->tok_end)
    return 0; /* overlapping: the same words */
  /* words between them */
  uint32_t a = o->tok_end <= m->tok_start ? o->tok_end : m->tok_end;
  uint32_t b = o->tok_end <= m->tok_start ? m->tok_start : o->tok_start;
  return s->cum_words[b] - s->cum_words[a] > NEAR ? 0 : bit;
}

/* Other matches of the families that frame (loaded, label) or attribute
 * within NEAR words of match i: bit 1 and bit 2 (the scratch's bits of
 * the families and words before each token: no name compared, no token
 * read per neighbour). */
static int neighbours(const fs_context_scratch *s, const fs_lexicon *lex,
                      const fs_doc *d, size_t i) {
  const fs_match *m = &d->matches[i];
  int bits = 0;
  size_t lo = i > 16 ? i - 16 : 0,
         hi = i + 17 < d->nmatches ? i + 17 : d->nmatches;
  /* the matches after i, then those before it; in order of their first
   * token (s->sorted), those past the first one too far away are farther */
  for (size_t j = i + 1; j < hi && bits != 3; j++) {
    const fs_match *o = &d->matches[j];
    if (s->sorted && o->tok_start >= m->tok_end &&
        s->cum_words[o->tok_start] - s->cum_words[m->tok_end] > NEAR)
      break; /* it, and every match after it, starts past NEAR words */
    bits |= neighbour_bit_of(s, lex, m, o, bits);
  }
  for (size_t j = i; j-- > lo && bits != 3;) {
    const fs_match *o = &d->matches[j];
    /* it, and every match before it, ends by its first token + longest */
    size_t e = (size_t)o->tok_start + s->longest;
    if (s->sorted && e <= m->tok_start &&
        s->cum_words[m->tok_start] - s->cum_words[e] > NEAR)
      break;
    bits |= neighbour_bit_of(s, lex, m, o, bits);
  }
  return bits;
}

/* log1p(v) of a count v >= 0: from the scratch's table when it has one
 * and v is in it (its entries are log1p's: the same doubles). */
static double log1p_count(const fs_context_scratch *s, double v) {
  if (v >= 0 && v < (double)s->nlog1p && v == (double)(size_t)v)
    return s->log1p[(size_t)v];
  return log1p(v);
}

void fs_context_features(const fs_context_scratch *s, const fs_lexicon *lex,
                         const fs_doc *d, size_t i, double *x) {
  const fs_match *m = &d->matches[i];
  const fs_tok *t = &d->tokens[m->tok_start];
  uint32_t sent = t->sentence - s->sent_base;
  double sw = s->sent_words[sent];
  size_t words = 0;
  for (uint32_t k = m->tok_start; k < m->tok_end; k++)
    words += is_word(&d->tokens[k]);
  double others = s->sent_scoring[sent] - (scoring(lex, m) ? 1.0 : 0.0);
  int near = neighbours(s, lex, d, i) | (s->near ? s->near[i] : 0);
  uint32_t pos = s->word_pos[m->tok_start];
  size_t entry = m->entry == FS_NONE ? lex->nentries : m->entry;
  x[FS_CF_WEIGHT] =
      m->entry != FS_NONE ? lex->entries[m->entry].weight : m->weight;
  x[FS_CF_QUOTE] = m->voice == FS_VOICE_QUOTE;
  x[FS_CF_NEGATED] = m->negated;
  x[FS_CF_INTENSIFIED] = m->intensifier != FS_NONE;
  x[FS_CF_HEADLINE] = fs_tok_para(d, t) == 0 && s->paragraphs > 1;
  x[FS_CF_SENT_START] = pos == 0;
  x[FS_CF_POSITION] = sw > 1 ? pos / (sw - 1) : 0;
  x[FS_CF_CAPITAL] = pos > 0 && (t->flags & FS_TOKF_UPPER);
  x[FS_CF_ALL_CAPS] = all_caps(d, t);
  x[FS_CF_MULTIWORD] = words > 1 ? (double)(words - 1) : 0;
  x[FS_CF_NEAR_LOADED] = (near & 1) != 0;
  x[FS_CF_NEAR_ATTRIB] = (near & 2) != 0;
  x[FS_CF_SENT_MATCHES] = log1p_count(s, others > 0 ? others : 0);
  x[FS_CF_SENT_DENSITY] = sw > 0 ? s->sent_scoring[sent] / sw : 0;
  x[FS_CF_SENT_WORDS] = log1p_count(s, sw);
  x[FS_CF_ATTRIBUTED] = (s->sent_flags[sent] & 1) != 0;
  x[FS_CF_QUOTE_SENTENCE] = (s->sent_flags[sent] & 2) != 0;
  x[FS_CF_SCARE] = (t->flags & FS_TOKF_SCARE) != 0;
  x[FS_CF_PARA_FIRST] = s->para_first[m->tok_start] != 0;
  x[FS_CF_EXCLAIM] = (s->sent_flags[sent] & 4) != 0;
  x[FS_CF_QUESTION] = (s->sent_flags[sent] & 8) != 0;
  x[FS_CF_REPEATS] = log1p_count(s, (double)s->entry_count[entry] - 1);
  x[FS_CF_EVENT] = m->event;
  x[FS_CF_DOC_DENSITY] =
      s->doc_words ? 100.0 * (double)s->doc_scoring / (double)s->doc_words : 0;
}

/* Closed English suffix classes (written for framescore: morphology, no
 * corpus word), matched case-blind at the end of a word of 4+ letters. */
static const char *const suffix_class[][8] = {
    [FS_CF_SUFFIX_LY - FS_CF_SUFFIX_LY] = {"ly", NULL},
    [FS_CF_SUFFIX_ADJ - FS_CF_SUFFIX_LY] = {"ous", "ive", "ful", "less", "ic",
                                            "able", "ible", NULL},
    [FS_CF_SUFFIX_IST - FS_CF_SUFFIX_LY] = {"ist", "ists", "ism", "isms", NULL},
    [FS_CF_SUFFIX_VERB - FS_CF_SUFFIX_LY] = {"ed", "ing", "ize", "izes", NULL},
    [FS_CF_SUFFIX_NOUN -
        FS_CF_SUFFIX_LY] = {"tion", "tions", "ment", "ness", "ity", NULL},
};

static bool ends_with(const char *w, size_t n, const char *suf) {
  size_t k = strlen(suf);
  if (n < k + 2)
    return false;
  for (size_t i = 0; i < k; i++) {
    char c = w[n - k + i];
    if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != suf[i])
      return false;
  }
  return true;
}

/* The suffix class features of the match's last word. */
static void suffixes(const fs_doc *d, const fs_match *m, double *x) {
  const fs_tok *last = NULL;
  for (uint32_t k = m->tok_start; k < m->tok_end; k++)
    if (is_word(&d->tokens[k]))
      last = &d->tokens[k];
  for (size_t c = 0; c <= FS_CF_SUFFIX_NOUN - FS_CF_SUFFIX_LY; c++) {
    bool hit = false;
    for (size_t j = 0; last && suffix_class[c][j] && !hit; j++)
      hit = ends_with(d->text + (last->byte_start - d->text_base),
                      last->byte_end - last->byte_start, suffix_class[c][j]);
    x[FS_CF_SUFFIX_LY + c] = hit;
  }
}

void fs_context_features_all(const fs_context_scratch *s, const fs_lexicon *lex,
                             const fs_doc *d, size_t i, double *x) {
  const fs_match *m = &d->matches[i];
  fs_context_features(s, lex, d, i, x);
  /* a sentence list's row (annotated by the sentence), not a window of a
   * longer text: annotators of such rows seldom mark quoted words */
  bool single = s->nsent == 1 && s->paragraphs <= 1;
  x[FS_CF_SINGLE] = single;
  x[FS_CF_SINGLE_QUOTE] = single && m->voice == FS_VOICE_QUOTE;
  suffixes(d, m, x);
}

/* ---- the model ----------------------------------------------------------- */

typedef struct named_w {
  char *name;
  double w;
} named_w;

struct fs_context_model {
  double intercept, threshold;
  double task_threshold[FS_CONTEXT_TASKS]; /* < 0: the threshold */
  bool all;     /* scope: every match predicts when kept, not only the
                   evaluated dimensions' */
  bool content; /* words content: at word level a kept match predicts its
                   words that are not function words */
  double dense[FS_CF_ALL];
  named_w *cats, *fams; /* as read or trained, by name */
  size_t ncats, nfams;
  double *catw; /* [lexicon categories]: category + family weight */
  uint8_t *peer; /* [lexicon categories]: a non-zero category weight */
  size_t nlexcats;
  bool second;                  /* a sentence stage (`second` lines) */
  double second_w[FS_C2_N + 1]; /* its intercept and weights */
};

void fs_context_model_free(fs_context_model *cm) {
  if (!cm)
    return;
  for (size_t i = 0; i < cm->ncats; i++)
    free(cm->cats[i].name);
  for (size_t i = 0; i < cm->nfams; i++)
    free(cm->fams[i].name);
  free(cm->cats), free(cm->fams), free(cm->catw), free(cm->peer);
  free(cm);
}

static double named(const named_w *a, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(a[i].name, name))
      return a[i].w;
  return 0;
}

/* Sums each lexicon category's weight and its family's. */
static int bind(fs_context_model *cm, const fs_lexicon *lex) {
  free(cm->catw), free(cm->peer);
  cm->nlexcats = lex->ncats;
  cm->catw = calloc(lex->ncats + 1, sizeof *cm->catw);
  cm->peer = calloc(lex->ncats + 1, 1);
  if (!cm->catw || !cm->peer)
    return FS_ERR_NOMEM;
  for (size_t c = 0; c < lex->ncats; c++) {
    double cw = named(cm->cats, cm->ncats, lex->cats[c].name);
    cm->catw[c] = cw + named(cm->fams, cm->nfams, family_of(lex, (uint32_t)c));
    cm->peer[c] = cw != 0;
  }
  return FS_OK;
}

static bool lex_has_family(const fs_lexicon *lex, const char *name) {
  for (size_t f = 0; f < lex->nfamilies; f++)
    if (!strcmp(lex->families[f], name))
      return true;
  return false;
}

const char *fs_context_model_unknown_name(const fs_context_model *cm,
                                          const fs_lexicon *lex, bool *family,
                                          size_t *n) {
  const char *first = NULL;
  size_t count = 0;
  for (size_t c = 0; c < cm->ncats; c++)
    if (cm->cats[c].w != 0 &&
        fs_lexicon_category_find(lex, cm->cats[c].name) < 0 && !count++) {
      first = cm->cats[c].name;
      if (family)
        *family = false;
    }
  for (size_t f = 0; f < cm->nfams; f++)
    if (cm->fams[f].w != 0 && !lex_has_family(lex, cm->fams[f].name) &&
        !count++) {
      first = cm->fams[f].name;
      if (family)
        *family = true;
    }
  if (n)
    *n = count;
  return first;
}

static int add_named(named_w **a, size_t *n, const char *name, double w) {
  named_w *q = realloc(*a, (*n + 1) * sizeof **a);
  if (!q)
    return FS_ERR_NOMEM;
  *a = q;
  if (!(q[*n].name = strdup(name)))
    return FS_ERR_NOMEM;
  q[(*n)++].w = w;
  return FS_OK;
}

fs_context_model *fs_context_model_new(const fs_lexicon *lex) {
  fs_context_model *cm = calloc(1, sizeof *cm);
  if (!cm)
    return NULL;
  cm->threshold = 0.5;
  for (int k = 0; k < FS_CONTEXT_TASKS; k++)
    cm->task_threshold[k] = -1;
  int rc = FS_OK;
  for (size_t c = 0; c < lex->ncats && !rc; c++)
    rc = add_named(&cm->cats, &cm->ncats, lex->cats[c].name, 0);
  for (size_t f = 0; f < lex->nfamilies && !rc; f++)
    rc = add_named(&cm->fams, &cm->nfams, lex->families[f], 0);
  if (rc || bind(cm, lex)) {
    fs_context_model_free(cm);
    return NULL;
  }
  return cm;
}

size_t fs_context_model_columns(const fs_lexicon *lex) {
  return 1 + FS_CF_ALL + lex->ncats + lex->nfamilies;
}

int fs_context_model_set(fs_context_model *cm, const fs_lexicon *lex,
                         const double *w, double threshold, bool all) {
  cm->all = all;
  cm->intercept = w[0];
  memcpy(cm->dense, w + 1, sizeof cm->dense);
  for (size_t c = 0; c < cm->ncats; c++)
    cm->cats[c].w = w[1 + FS_CF_ALL + c];
  for (size_t f = 0; f < cm->nfams; f++)
    cm->fams[f].w = w[1 + FS_CF_ALL + cm->ncats + f];
  cm->threshold = threshold;
  /* as the written file reads: category plus family weights */
  return bind(cm, lex);
}

void fs_context_model_set_content_words(fs_context_model *cm, bool content) {
  cm->content = content;
}

bool fs_context_model_content_words(const fs_context_model *cm) {
  return cm->content;
}

double fs_context_model_threshold(const fs_context_model *cm) {
  return cm->threshold;
}

static const char *const task_names[FS_CONTEXT_TASKS] = {"spans", "words"};

void fs_context_model_set_task_threshold(fs_context_model *cm, int task,
                                         double t) {
  if (task >= 0 && task < FS_CONTEXT_TASKS)
    cm->task_threshold[task] = t;
}

double fs_context_model_task_threshold(const fs_context_model *cm, int task) {
  if (task >= 0 && task < FS_CONTEXT_TASKS && cm->task_threshold[task] >= 0)
    return cm->task_threshold[task];
  return cm->threshold;
}

int fs_context_model_write(FILE *out, const fs_context_model *cm,
                           const char *comment) {
  for (const char *p = comment; p && *p;) {
    size_t n = strcspn(p, "\n");
    fprintf(out, "# %.*s\n", (int)n, p);
    p += n + (p[n] == '\n');
  }
  fprintf(out, "%s 1\nscope %s\n", CONTEXT_MAGIC,
          cm->all ? "all" : "dimensions");
  if (cm->content)
    fputs("words content\n", out);
  fprintf(out, "threshold %.6g\n", cm->threshold);
  for (int k = 0; k < FS_CONTEXT_TASKS; k++)
    if (cm->task_threshold[k] >= 0)
      fprintf(out, "threshold %s %.6g\n", task_names[k], cm->task_threshold[k]);
  fprintf(out, "intercept %.6g\n", cm->intercept);
  for (size_t i = 0; i < FS_CF_ALL; i++)
    fprintf(out, "feature %s %.6g\n", feature_names[i], cm->dense[i]);
  for (size_t f = 0; f < cm->nfams; f++)
    if (cm->fams[f].w != 0)
      fprintf(out, "family %s %.6g\n", cm->fams[f].name, cm->fams[f].w);
  for (size_t c = 0; c < cm->ncats; c++)
    if (cm->cats[c].w != 0)
      fprintf(out, "category %s %.6g\n", cm->cats[c].name, cm->cats[c].w);
  if (cm->second) {
    fprintf(out, "second intercept %.6g\n", cm->second_w[0]);
    for (size_t k = 0; k < FS_C2_N; k++)
      fprintf(out, "second %s %.6g\n", second_names[k], cm->second_w[k + 1]);
  }
  return ferror(out) ? FS_ERR_IO : FS_OK;
}

/* One line: "KEY [NAME] VALUE". Returns FS_OK or an error status. */
static int parse_line(fs_context_model *cm, const char *name, long line,
                      char *s, bool *magic, fs_error *err) {
  char *f[4];
  size_t nf = 0;
  for (char *tok = strtok(s, " \t\r"); tok && nf < 4;
       tok = strtok(NULL, " \t\r"))
    f[nf++] = tok;
  if (nf == 0)
    return FS_OK;
  if (!*magic) {
    if (nf != 2 || strcmp(f[0], CONTEXT_MAGIC) || strcmp(f[1], "1"))
      return fs_error_set(err, FS_ERR_INPUT, name, line, 1,
                          "expected '%s 1' (a context model file)",
                          CONTEXT_MAGIC);
    *magic = true;
    return FS_OK;
  }
  if (!strcmp(f[0], "scope")) {
    if (nf != 2 || (strcmp(f[1], "all") && strcmp(f[1], "dimensions")))
      return fs_error_set(err, FS_ERR_INPUT, name, line, 1,
                          "expected 'scope all' or 'scope dimensions'");
    cm->all = !strcmp(f[1], "all");
    return FS_OK;
  }
  if (!strcmp(f[0], "words")) {
    if (nf != 2 || (strcmp(f[1], "content") && strcmp(f[1], "all")))
      return fs_error_set(err, FS_ERR_INPUT, name, line, 1,
                          "expected 'words content' or 'words all'");
    cm->content = !strcmp(f[1], "content");
    return FS_OK;
  }
  bool named_key = !strcmp(f[0], "feature") || !strcmp(f[0], "category") ||
                   !strcmp(f[0], "family") || !strcmp(f[0], "second");
  int task = -1;
  if (!strcmp(f[0], "threshold") && nf == 3) {
    for (int k = 0; k < FS_CONTEXT_TASKS; k++)
      if (!strcmp(f[1], task_names[k]))
        task = k;
    if (task < 0)
      return fs_error_set(err, FS_ERR_INPUT, name, line, fs_utf8_col(s, (size_t)(f[1] - s)),
                          "unknown task '%s' (spans or words)", f[1]);
    named_key = true;
  }
  if (nf != (named_key ? 3u : 2u))
    return fs_error_set(err, FS_ERR_INPUT, name, line, 1,
                        "expected KEY [NAME] VALUE");
  char *end;
  errno = 0;
  double v = strtod(f[nf - 1], &end);
  if (errno || *end || !isfinite(v))
    return fs_error_set(err, FS_ERR_INPUT, name, line,
                        fs_utf8_col(s, (size_t)(f[nf - 1] - s)), "expected a number");
  if (task >= 0 && v >= 0 && v <= 1)
    cm->task_threshold[task] = v;
  else if (task < 0 && !strcmp(f[0], "threshold") && v >= 0 && v <= 1)
    cm->threshold = v;
  else if (!strcmp(f[0], "intercept"))
    cm->intercept = v;
  else if (!strcmp(f[0], "feature")) {
    size_t i = 0;
    while (i < FS_CF_ALL && strcmp(feature_names[i], f[1]))
      i++;
    if (i == FS_CF_ALL)
      return fs_error_set(err, FS_ERR_INPUT, name, line, fs_utf8_col(s, (size_t)(f[1] - s)),
                          "unknown feature '%s'", f[1]);
    cm->dense[i] = v;
  } else if (!strcmp(f[0], "second")) {
    size_t i = 0;
    while (i < FS_C2_N && strcmp(second_names[i], f[1]))
      i++;
    if (i == FS_C2_N && strcmp(f[1], "intercept"))
      return fs_error_set(err, FS_ERR_INPUT, name, line, fs_utf8_col(s, (size_t)(f[1] - s)),
                          "unknown sentence-stage feature '%s'", f[1]);
    cm->second = true;
    cm->second_w[i == FS_C2_N ? 0 : i + 1] = v;
  } else if (!strcmp(f[0], "category") || !strcmp(f[0], "family")) {
    bool cat = f[0][0] == 'c'; /* "family" has an 'a' second too */
    if (add_named(cat ? &cm->cats : &cm->fams, cat ? &cm->ncats : &cm->nfams,
                  f[1], v))
      return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  } else {
    return fs_error_set(err, FS_ERR_INPUT, name, line, 1,
                        "unknown key '%s' (or threshold outside 0..1)", f[0]);
  }
  return FS_OK;
}

fs_context_model *fs_context_model_parse(const char *name, const char *data,
                                         size_t len, const fs_lexicon *lex,
                                         fs_error *err) {
  fs_context_model *cm = calloc(1, sizeof *cm);
  char *copy = malloc(len + 1);
  int rc = FS_OK;
  bool magic = false;
  if (!cm || !copy) {
    rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    goto done;
  }
  memcpy(copy, data, len);
  copy[len] = '\0';
  cm->threshold = 0.5;
  for (int k = 0; k < FS_CONTEXT_TASKS; k++)
    cm->task_threshold[k] = -1;
  long line = 0;
  for (char *s = copy; s && !rc;) {
    char *nl = strchr(s, '\n');
    if (nl)
      *nl = '\0';
    line++;
    if (*s != '#')
      rc = parse_line(cm, name, line, s, &magic, err);
    s = nl ? nl + 1 : NULL;
  }
  if (!rc && !magic)
    rc = fs_error_set(err, FS_ERR_INPUT, name, 1, 1, "empty: expected '%s 1'",
                      CONTEXT_MAGIC);
  if (!rc && bind(cm, lex))
    rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
done:
  free(copy);
  if (rc) {
    fs_context_model_free(cm);
    return NULL;
  }
  return cm;
}

fs_context_model *fs_context_model_load(const char *path, const fs_lexicon *lex,
                                        fs_error *err) {
  char *data;
  size_t len;
  /* the shared opener: a regular file, within the model file limit */
  if (fs_read_file(path, FS_MODEL_FILE_MAX, "the model file limit", &data, &len,
                   err))
    return NULL;
  fs_context_model *cm = fs_context_model_parse(path, data, len, lex, err);
  free(data);
  return cm;
}

double fs_context_prob(const fs_context_model *cm, const fs_lexicon *lex,
                       const fs_context_scratch *s, const fs_doc *d, size_t i) {
  double x[FS_CF_ALL], z = cm->intercept;
  const fs_match *m = &d->matches[i];
  fs_context_features_all(s, lex, d, i, x);
  for (size_t k = 0; k < FS_CF_ALL; k++)
    z += cm->dense[k] * x[k];
  if (m->category < cm->nlexcats)
    z += cm->catw[m->category];
  return 1.0 / (1.0 + exp(-z));
}

/* ---- the sentence stage ------------------------------------------------ */

const char *fs_context_second_name(size_t i) {
  return i < FS_C2_N ? second_names[i] : NULL;
}

bool fs_context_model_peer(const fs_context_model *cm, size_t c) {
  return c < cm->nlexcats && cm->peer[c];
}

void fs_context_model_set_second(fs_context_model *cm, const double *v) {
  cm->second = v != NULL;
  if (v)
    memcpy(cm->second_w, v, sizeof cm->second_w);
}

bool fs_context_model_has_second(const fs_context_model *cm) {
  return cm->second;
}

/* One sentence's peers: the two largest first-stage probabilities (and
 * the match holding the largest), their sum and how many reach 0.5. */
typedef struct sent_agg {
  double max1, max2, sum;
  size_t n, top, above;
} sent_agg;

/* One sentence and one paragraph: a sentence list's row. */
static bool doc_single(const fs_doc *d) {
  bool single = d->stats.paragraphs <= 1;
  for (size_t t = 0; t < d->ntokens && single; t++)
    single = d->tokens[t].sentence == d->tokens[0].sentence;
  return single;
}

int fs_context_second_features(const fs_context_model *cm, const fs_doc *d,
                               int single, double *x) {
  uint32_t sb = d->sent_base;
  size_t ns = 1;
  for (size_t i = 0; i < d->nmatches; i++) {
    uint32_t s = d->tokens[d->matches[i].tok_start].sentence - sb;
    if (s + 1u > ns)
      ns = s + 1u;
  }
  sent_agg *g = calloc(ns, sizeof *g);
  if (!g)
    return FS_ERR_NOMEM;
  memset(x, 0, d->nmatches * FS_C2_N * sizeof *x);
  if (single < 0)
    single = doc_single(d);
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    if (!fs_context_model_peer(cm, m->category))
      continue;
    sent_agg *a = &g[d->tokens[m->tok_start].sentence - sb];
    double p = d->ctx_prob[i];
    if (a->n++ == 0)
      a->max1 = p, a->top = i;
    else if (p > a->max1)
      a->max2 = a->max1, a->max1 = p, a->top = i;
    else if (p > a->max2)
      a->max2 = p;
    a->sum += p;
    a->above += p >= 0.5;
  }
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    if (!fs_context_model_peer(cm, m->category))
      continue;
    const sent_agg *a = &g[d->tokens[m->tok_start].sentence - sb];
    double p = d->ctx_prob[i], *xi = x + i * FS_C2_N;
    double l = log(p > 0 ? p : 1e-300) - log(p < 1 ? 1 - p : 1e-300);
    xi[FS_C2_LOGIT] = l < -10 ? -10 : l > 10 ? 10 : l;
    xi[FS_C2_TOP] = a->top == i;
    xi[FS_C2_MAX] = a->top == i ? a->max2 : a->max1;
    double others = a->sum - p;
    xi[FS_C2_SUM] = log1p(others > 0 ? others : 0);
    xi[FS_C2_ABOVE] = log1p((double)(a->above - (p >= 0.5)));
    xi[FS_C2_SINGLE] = single > 0;
  }
  free(g);
  return FS_OK;
}

int fs_context_second_apply(const fs_context_model *cm, fs_doc *d, int single) {
  if (!cm->second || !d->nmatches)
    return FS_OK;
  double *x = malloc(d->nmatches * FS_C2_N * sizeof *x);
  if (!x || fs_context_second_features(cm, d, single, x)) {
    free(x);
    return FS_ERR_NOMEM;
  }
  for (size_t i = 0; i < d->nmatches; i++) {
    if (!fs_context_model_peer(cm, d->matches[i].category))
      continue;
    double z = cm->second_w[0];
    for (size_t k = 0; k < FS_C2_N; k++)
      z += cm->second_w[k + 1] * x[i * FS_C2_N + k];
    d->ctx_prob[i] = (float)(1.0 / (1.0 + exp(-z)));
  }
  free(x);
  return FS_OK;
}

/* ---- applying it --------------------------------------------------------- */

/* Recounts summed weights and the loaded score with each match's weight
 * times its probability, as fs_count_doc() counts them. */
static void reweigh(const fs_lexicon *lex, fs_doc *d) {
  size_t n = lex->ncats * FS_VOICES;
  memset(d->weights, 0, n * sizeof *d->weights);
  double score[FS_VOICES] = {0, 0};
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *m = &d->matches[i];
    if (m->event)
      continue;
    double w = m->weight * d->ctx_prob[i];
    d->matches[i].weight = w;
    d->weights[m->category * FS_VOICES + m->voice] += w;
    if (fs_category_in_score(lex, m->category))
      score[m->voice] += w;
  }
  d->stats.loaded_score = fs_loaded_score(lex, score[FS_VOICE_AUTHOR],
                                          score[FS_VOICE_QUOTE],
                                          d->stats.words);
}

/* The probabilities with scratch s filled (and adjusted) for d. */
static int apply_scratch(const fs_context_model *cm, const fs_lexicon *lex,
                         fs_doc *d, bool reweight,
                         const fs_context_scratch *s) {
  float *p = malloc((d->nmatches + 1) * sizeof *p);
  if (!p)
    return FS_ERR_NOMEM;
  for (size_t i = 0; i < d->nmatches; i++)
    p[i] = (float)fs_context_prob(cm, lex, s, d, i);
  free(d->ctx_prob);
  d->ctx_prob = p;
  d->ctx_threshold = cm->threshold;
  d->ctx_all = cm->all;
  /* one sentence as the first stage reads it (a window: the whole
   * document's paragraphs) */
  if (cm->second &&
      fs_context_second_apply(cm, d, s->nsent == 1 && s->paragraphs <= 1))
    return FS_ERR_NOMEM;
  if (reweight && d->weights)
    reweigh(lex, d);
  return FS_OK;
}

int fs_context_apply(const fs_context_model *cm, const fs_lexicon *lex,
                     fs_doc *d, bool reweight) {
  fs_context_scratch s = {0};
  int rc = fs_context_scratch_fill(&s, lex, d);
  if (rc == FS_OK)
    rc = apply_scratch(cm, lex, d, reweight, &s);
  fs_context_scratch_free(&s);
  return rc;
}

/* ---- a long document read in windows ------------------------------------ */

/* Words (is_word tokens) in tokens [a, b) of d, counted up to NEAR + 1. */
static uint8_t words_in(const fs_doc *d, size_t a, size_t b) {
  uint8_t n = 0;
  for (size_t k = a; k < b && n <= NEAR; k++)
    n += is_word(&d->tokens[k]);
  return n;
}

int fs_context_whole_add(fs_context_whole *w, const fs_lexicon *lex,
                         const fs_doc *win) {
  if (!w->entry_count &&
      !(w->entry_count = calloc(lex->nentries + 1, sizeof *w->entry_count)))
    return FS_ERR_NOMEM;
  if (fs_grow(&w->win, &w->cap, w->nwin + 1, sizeof *w->win))
    return FS_ERR_NOMEM;
  fs_context_window *cw = &w->win[w->nwin++];
  memset(cw, 0, sizeof *cw);
  cw->nmatches = win->nmatches;
  for (size_t k = 0; k < win->ntokens; k++)
    w->doc_words += is_word(&win->tokens[k]);
  w->paragraphs += win->stats.paragraphs;
  for (size_t i = 0; i < win->nmatches; i++) {
    const fs_match *m = &win->matches[i];
    w->doc_scoring += scoring(lex, m);
    w->entry_count[m->entry == FS_NONE ? lex->nentries : m->entry]++;
  }
  /* the matches near its edges, which neighbours() would pair with the
   * window's beside it: at most 16 matches and NEAR words apart */
  size_t n = win->nmatches;
  for (size_t i = 0; i < n && i < FS_CONTEXT_EDGE; i++) {
    uint8_t words = words_in(win, 0, win->matches[i].tok_start);
    if (words <= NEAR)
      cw->head[cw->nhead++] = (fs_context_edge){
          (uint8_t)i, words, (uint8_t)neighbour_bit(lex, &win->matches[i])};
  }
  for (size_t e = 1; e <= n && e <= FS_CONTEXT_EDGE; e++) {
    const fs_match *m = &win->matches[n - e];
    uint8_t words = words_in(win, m->tok_end, win->ntokens);
    if (words <= NEAR)
      cw->tail[cw->ntail++] =
          (fs_context_edge){(uint8_t)e, words, (uint8_t)neighbour_bit(lex, m)};
  }
  return FS_OK;
}

/* ORs into near[] the bits of the matches at the edge between a (before)
 * and b (after) that neighbours() would pair across it; near is the window
 * of a (tail side, n its matches) when tail, else of b. */
static void edge_pairs(const fs_context_window *a, const fs_context_window *b,
                       bool tail, uint8_t *near, size_t n) {
  for (size_t x = 0; x < a->ntail; x++)
    for (size_t y = 0; y < b->nhead; y++) {
      const fs_context_edge *t = &a->tail[x], *h = &b->head[y];
      if (t->idx + h->idx > 16 || t->words + h->words > NEAR)
        continue;
      if (tail)
        near[n - t->idx] |= h->bits;
      else
        near[h->idx] |= t->bits;
    }
}

int fs_context_scratch_whole(fs_context_scratch *s, const fs_lexicon *lex,
                             const fs_context_whole *w, size_t k,
                             const fs_doc *win, uint8_t *near) {
  if (k >= w->nwin || w->win[k].nmatches != win->nmatches)
    return FS_ERR_USAGE; /* not the window of the first reading */
  memcpy(s->entry_count, w->entry_count,
         (lex->nentries + 1) * sizeof *s->entry_count);
  s->doc_words = w->doc_words;
  s->doc_scoring = w->doc_scoring;
  s->paragraphs = w->paragraphs;
  memset(near, 0, win->nmatches + 1);
  if (k > 0)
    edge_pairs(&w->win[k - 1], &w->win[k], false, near, win->nmatches);
  if (k + 1 < w->nwin)
    edge_pairs(&w->win[k], &w->win[k + 1], true, near, win->nmatches);
  s->near = near;
  return FS_OK;
}

int fs_context_apply_window(const fs_context_model *cm, const fs_lexicon *lex,
                            const fs_context_whole *w, size_t k, fs_doc *win,
                            bool reweight) {
  fs_context_scratch s = {0};
  uint8_t *near = calloc(win->nmatches + 1, 1);
  int rc = near ? fs_context_scratch_fill(&s, lex, win) : FS_ERR_NOMEM;
  if (rc == FS_OK)
    rc = fs_context_scratch_whole(&s, lex, w, k, win, near);
  if (rc == FS_OK)
    rc = apply_scratch(cm, lex, win, reweight, &s);
  fs_context_scratch_free(&s);
  free(near);
  return rc;
}

void fs_context_whole_free(fs_context_whole *w) {
  if (!w)
    return;
  free(w->entry_count);
  free(w->win);
  memset(w, 0, sizeof *w);
}

double fs_doc_context_prob(const fs_doc *d, size_t i) {
  return d->ctx_prob ? d->ctx_prob[i] : 1.0;
}

bool fs_doc_context_keeps(const fs_doc *d, size_t i) {
  return !d->ctx_prob || d->ctx_prob[i] >= d->ctx_threshold;
}
