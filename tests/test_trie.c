/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_trie.c - the matcher's phrase trie against a scan of every entry:
 * random lexicons and texts -> the same matches as the matching rule
 * computed here entry by entry (the hand-written matching cases are in
 * tests/cases/match.txt). */
#include "framescore.h"
#include "harness.h"

#include <stdbool.h>
#include <stdlib.h>

/* ---- the trie against a scan of every entry --------------------------------
 * Random lexicons over a small vocabulary (stems, exact forms, cased words,
 * prefixes; one to four words; ties of length and weight within a family)
 * and random text over the same words: the matches must be those of the
 * rule the matcher promises, computed here by trying every entry at every
 * token: per family, the longest entry that matches consecutive words of
 * one sentence, then the stronger weight, then the earlier entry; a token
 * counts once per family. */

static uint32_t rnd_state;
static uint32_t rnd(uint32_t n) {
  rnd_state = rnd_state * 1103515245u + 12345u;
  return (rnd_state >> 8) % n;
}

static const char *const vocab[] = {"the",  "junta",  "Junta", "JUNTA",
                                    "ruled", "rules", "ruling", "army",
                                    "armies", "a",    "b",     "said"};
#define NVOCAB (sizeof vocab / sizeof *vocab)

typedef struct ref_match {
  uint32_t start, end, entry;
} ref_match;

static int cmp_ref(const void *a, const void *b) {
  const ref_match *x = a, *y = b;
  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return (x->entry > y->entry) - (x->entry < y->entry);
}

/* Does the key word w (as in fs_entry_info.key) match token t? */
static bool key_word_matches(const fs_ctx *c, const char *text,
                             const fs_token *t, const char *w, size_t n) {
  const char *form = fs_ctx_form(c, t->form);
  if (n >= 2 && w[0] == '=' && w[1] == '=')
    return t->byte_end - t->byte_start == n - 2 &&
           !memcmp(text + t->byte_start, w + 2, n - 2);
  if (w[0] == '=')
    return strlen(form) == n - 1 && !memcmp(form, w + 1, n - 1);
  if (w[n - 1] == '*')
    return strlen(form) >= n - 1 && !memcmp(form, w, n - 1);
  const char *stem = fs_ctx_stem(c, t->stem);
  return strlen(stem) == n && !memcmp(stem, w, n);
}

/* Words of entry e that match from token k, or 0. */
static uint32_t ref_len(const fs_ctx *c, const char *text, const fs_token *t,
                        size_t nt, const char *key, size_t k) {
  uint32_t len = 0;
  for (const char *w = key; *w; len++) {
    size_t n = strcspn(w, " ");
    size_t i = k + len;
    if (i >= nt ||
        (t[i].kind != FS_TOK_WORD && t[i].kind != FS_TOK_NUMBER) ||
        t[i].sentence != t[k].sentence ||
        !key_word_matches(c, text, &t[i], w, n))
      return 0;
    w += n + (w[n] == ' ');
  }
  return len;
}

static const char *const fams[] = {"loaded", "label", "hedge", "evidence"};
static const char *const weights[] = {"0.5", "1", "1.5", "-1", "1"};

static void check_round(unsigned seed, char *ltext, char *text);

static void trie_round(unsigned seed) {
  rnd_state = seed;
  char *ltext = malloc(200 * 160), *p = ltext;
  for (int i = 0; i < 200; i++) {
    int nw = 1 + (int)rnd(4);
    for (int j = 0; j < nw; j++) {
      const char *w = vocab[rnd(NVOCAB)];
      uint32_t kind = rnd(10);
      char low[16];
      size_t n = strlen(w);
      for (size_t q = 0; q <= n; q++)
        low[q] = (char)(w[q] >= 'A' && w[q] <= 'Z' ? w[q] + 32 : w[q]);
      if (kind < 4)
        p += sprintf(p, "%s%s", j ? " " : "", low);
      else if (kind < 6)
        p += sprintf(p, "%s=%s", j ? " " : "", low);
      else if (kind < 8)
        p += sprintf(p, "%s==%s", j ? " " : "", w);
      else
        p += sprintf(p, "%s%.*s*", j ? " " : "", (int)(1 + rnd((uint32_t)n)),
                     low);
    }
    p += sprintf(p, "\t%s.c%u\t%s\n", fams[rnd(4)], rnd(3), weights[rnd(5)]);
  }
  char *text = malloc(4000 * 10), *q = text;
  for (int i = 0; i < 4000; i++) {
    uint32_t r = rnd(40);
    q += sprintf(q, "%s%s", vocab[rnd(NVOCAB)],
                 r == 0 ? ". " : r == 1 ? ", " : r == 2 ? "-" : " ");
  }
  check_round(seed, ltext, text);
}

/* Lexicon ltext against text (both freed here): the matches the trie
 * finds are those of the scan. */
static void check_round(unsigned seed, char *ltext, char *text) {
  fs_error err;
  fs_lexicon *l = fs_lexicon_new("english", &err);
  OK(fs_lexicon_load_buffer(l, "r.tsv", ltext, strlen(ltext), &err) == FS_OK,
     "load: %s", err.msg);
  fs_ctx *c = fs_ctx_new(l, &err);
  fs_doc *d = fs_doc_analyze(c, text, strlen(text), &err);
  size_t nm, nt, ne = fs_lexicon_entry_count(l);
  const fs_match *m = fs_doc_matches(d, &nm);
  const fs_token *t = fs_doc_tokens(d, &nt);
  /* an entry repeated later (same key and category) is overridden */
  bool *over = calloc(ne, sizeof *over);
  fs_entry_info *info = calloc(ne, sizeof *info);
  for (size_t e = 0; e < ne; e++) {
    fs_lexicon_entry(l, e, &info[e]);
    if (info[e].duplicate_of >= 0)
      over[info[e].duplicate_of] = true;
  }
  ref_match *want = malloc((nt * 4 + 1) * sizeof *want);
  size_t nwant = 0, cover[4] = {0, 0, 0, 0};
  for (size_t k = 0; k < nt; k++) {
    uint32_t best[4], blen[4] = {0, 0, 0, 0};
    for (size_t e = 0; e < ne; e++) {
      if (over[e])
        continue;
      const char *fam = fs_lexicon_category_family(l, info[e].category);
      size_t f = 0;
      while (strcmp(fams[f], fam))
        f++;
      if (k < cover[f])
        continue;
      uint32_t len = ref_len(c, text, t, nt, info[e].key, k);
      if (!len)
        continue;
      if (len > blen[f] ||
          (len == blen[f] &&
           (fabs(info[e].weight) > fabs(info[best[f]].weight) ||
            (fabs(info[e].weight) == fabs(info[best[f]].weight) &&
             e < best[f])))) {
        blen[f] = len;
        best[f] = (uint32_t)e;
      }
    }
    for (size_t f = 0; f < 4; f++)
      if (blen[f]) {
        want[nwant++] = (ref_match){(uint32_t)k, (uint32_t)k + blen[f], best[f]};
        cover[f] = k + blen[f];
      }
  }
  ref_match *got = malloc((nm + 1) * sizeof *got);
  size_t ngot = 0;
  for (size_t i = 0; i < nm; i++)
    if (m[i].entry != FS_NONE)
      got[ngot++] = (ref_match){m[i].tok_start, m[i].tok_end, m[i].entry};
  qsort(want, nwant, sizeof *want, cmp_ref);
  qsort(got, ngot, sizeof *got, cmp_ref);
  OK(nwant > 100, "seed %u: only %zu matches", seed, nwant);
  INT_EQ(ngot, nwant);
  size_t bad = 0;
  for (size_t i = 0; i < ngot && i < nwant; i++)
    if (got[i].start != want[i].start || got[i].end != want[i].end ||
        got[i].entry != want[i].entry) {
      if (!bad++)
        OK(0, "seed %u: match %zu is tokens %u-%u entry %u ('%s'), want %u-%u "
              "entry %u ('%s')",
           seed, i, got[i].start, got[i].end, got[i].entry,
           info[got[i].entry].pattern, want[i].start, want[i].end,
           want[i].entry, info[want[i].entry].pattern);
    }
  free(got), free(want), free(info), free(over), free(ltext), free(text);
  fs_doc_free(d);
  fs_ctx_free(c);
  fs_lexicon_free(l);
}

static void test_trie_against_scan(void) {
  for (unsigned seed = 1; seed <= 20; seed++)
    trie_round(seed);
}

/* ---- phrases only, over a wider vocabulary ---------------------------------
 * The matcher turns a first word away by a 64-bit filter of the second
 * words its phrases go on with, when none of its phrases is one word long
 * and none goes on with a prefix or a cased word. Here no entry is one word
 * long, 81 words share the filter's 64 bits (so bits collide), and the text
 * follows a chain (each word has three possible successors, which the
 * entries' words follow too) so that phrases match often and as often
 * nearly match; "the" goes on with any word, as its phrases do, and its
 * filter is full. */
static const char *chain_word(uint32_t i, char buf[4]) {
  if (i == 0)
    return "the";
  i--;
  buf[0] = "qzx"[i / 27], buf[1] = "aou"[i / 9 % 3];
  buf[2] = "bdgkmnprt"[i % 9], buf[3] = 0;
  return buf;
}
#define NCHAIN 82u

static uint32_t chain_next(uint32_t w) {
  return w == 0 ? rnd(NCHAIN) : (w * 7 + rnd(3)) % NCHAIN;
}

static void phrase_round(unsigned seed) {
  rnd_state = seed;
  char *ltext = malloc(300 * 80), *p = ltext, buf[4];
  for (int i = 0; i < 300; i++) {
    int nw = 2 + (int)rnd(3);
    uint32_t w = rnd(10) < 3 ? 0 : rnd(NCHAIN);
    for (int j = 0; j < nw; j++, w = chain_next(w)) {
      const char *s = chain_word(w, buf);
      uint32_t kind = rnd(20);
      if (kind < 12 || j == 0)
        p += sprintf(p, "%s%s", j ? " " : "", s);
      else if (kind < 17)
        p += sprintf(p, " =%s", s);
      else if (kind < 19)
        p += sprintf(p, " ==%s", s);
      else
        p += sprintf(p, " %.2s*", s);
    }
    p += sprintf(p, "\t%s.c%u\t%s\n", fams[rnd(4)], rnd(3), weights[rnd(5)]);
  }
  char *text = malloc(6000 * 6), *q = text;
  for (uint32_t i = 0, w = rnd(NCHAIN); i < 6000; i++, w = chain_next(w)) {
    uint32_t r = rnd(40);
    q += sprintf(q, "%s%s", chain_word(w, buf),
                 r == 0 ? ". " : r == 1 ? ", " : " ");
  }
  check_round(seed, ltext, text);
}

static void test_trie_phrases_only(void) {
  for (unsigned seed = 1; seed <= 10; seed++)
    phrase_round(seed);
}


int main(void) {
  test_trie_against_scan();
  test_trie_phrases_only();
  DONE();
}
