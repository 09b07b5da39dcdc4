/* test_match.c - lexicon matching: stems, exact forms, globs, case-sensitive
 * acronyms, multiword and longest match, one count per family, negation,
 * intensifiers, voice of matches, Russian stems on Cyrillic text, and
 * spelling variants (Киев/Київ, Kiev/Kyiv, ё/е). */
#include "framescore.h"
#include "harness.h"

#include <stdbool.h>
#include <stdlib.h>

static const char *lexicon_text =
    "claimed\tattribution.doubt\t1\n"
    "said\tattribution.neutral\t0\n"
    "=alleged\tattribution.doubt\t1\n"
    "raved\tattribution.pejorative\t2\n"
    "raved\tloaded.emotive\t1\n"
    "regime\tlabel.pejorative\t1\n"
    "Kiev regime\tlabel.naming\t2\n"
    "so-called\tlabel.distancing\t1\n"
    "shred of evidence\tevidence.lacking\t1\n"
    "not a shred of evidence\tevidence.lacking\t2\n"
    "propagand*\tloaded.dismissive\t1.5\n"
    "nonsense\tloaded.dismissive\t1.5\n"
    "==IS\tactor.group\t0\n"
    "not\tnegator\t0\n"
    "=didn't\tnegator\t0\n"
    "never\tnegator\t0\n"
    "very\tintensifier\t0\n"
    "utterly\tintensifier\t0\n";

static fs_lexicon *lex;
static fs_ctx *ctx;

typedef struct found {
  const char *category;
  char surface[128];
  int voice, negated;
  long intensifier;
} found;

/* Analyses text and lists its matches (at most 32). */
static size_t run(const char *text, found *out) {
  fs_error err;
  fs_doc *d = fs_doc_analyze(ctx, text, strlen(text), &err);
  size_t n, nt, len;
  const fs_match *m = fs_doc_matches(d, &n);
  const fs_token *t = fs_doc_tokens(d, &nt);
  const char *s = fs_doc_text(d, &len);
  if (n > 32)
    n = 32;
  for (size_t i = 0; i < n; i++) {
    out[i].category = fs_lexicon_category_name(lex, m[i].category);
    size_t a = t[m[i].tok_start].byte_start, b = t[m[i].tok_end - 1].byte_end;
    snprintf(out[i].surface, sizeof out[i].surface, "%.*s", (int)(b - a),
             s + a);
    out[i].voice = m[i].voice;
    out[i].negated = m[i].negated;
    out[i].intensifier =
        m[i].intensifier == FS_NONE ? -1 : (long)m[i].intensifier;
  }
  fs_doc_free(d);
  return n;
}

static int count_cat(const found *f, size_t n, const char *cat) {
  int c = 0;
  for (size_t i = 0; i < n; i++)
    c += !strcmp(f[i].category, cat);
  return c;
}

static const found *get(const found *f, size_t n, const char *cat) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(f[i].category, cat))
      return &f[i];
  static found none = {"", "", -1, -1, -1};
  OK(0, "no match in %s", cat);
  return &none;
}

static void test_stems_and_forms(void) {
  found f[32];
  size_t n = run("Officials claimed, claims and claiming; the alleged plot "
                 "was allegedly real.",
                 f);
  INT_EQ(count_cat(f, n, "attribution.doubt"), 4); /* 3 stems + =alleged */
  /* =alleged is exact: "allegedly" has the same stem but does not match */
  for (size_t i = 0; i < n; i++)
    OK(strcmp(f[i].surface, "allegedly"), "allegedly must not match");
}

static void test_multiword_longest(void) {
  found f[32];
  size_t n = run("The Kiev regime and the regime in Kiev-regime style.", f);
  INT_EQ(count_cat(f, n, "label.naming"), 2);
  STR_EQ(get(f, n, "label.naming")->surface, "Kiev regime");
  /* label.naming and label.pejorative are one family: the tokens of "Kiev
   * regime" count once in it, so only the lone "regime" is pejorative */
  INT_EQ(count_cat(f, n, "label.pejorative"), 1);
  /* longest match wins within a family */
  n = run("There is not a shred of evidence, not even a shred of evidence.",
          f);
  INT_EQ(count_cat(f, n, "evidence.lacking"), 2);
  STR_EQ(get(f, n, "evidence.lacking")->surface, "not a shred of evidence");
  /* phrases do not cross punctuation */
  n = run("Kiev. Regime change.", f);
  INT_EQ(count_cat(f, n, "label.naming"), 0);
  /* hyphen and space forms of a pattern are the same */
  n = run("a so-called expert and a so called expert", f);
  INT_EQ(count_cat(f, n, "label.distancing"), 2);
}

static void test_glob_and_case(void) {
  found f[32];
  size_t n = run("Propaganda, propagandists and PROPAGANDIZING.", f);
  INT_EQ(count_cat(f, n, "loaded.dismissive"), 3);
  n = run("IS claimed the attack. It is what it is. Is it?", f);
  INT_EQ(count_cat(f, n, "actor.group"), 1);
  STR_EQ(get(f, n, "actor.group")->surface, "IS");
}

static void test_families(void) {
  found f[32];
  /* one token, two families: both count */
  size_t n = run("He raved.", f);
  INT_EQ(count_cat(f, n, "attribution.pejorative"), 1);
  INT_EQ(count_cat(f, n, "loaded.emotive"), 1);
}

static void test_negation_intensifier(void) {
  found f[32];
  size_t n = run("It was not utterly nonsense. It was nonsense. It didn't "
                 "seem like propaganda to him at all, nonsense.",
                 f);
  INT_EQ(count_cat(f, n, "loaded.dismissive"), 4);
  const found *first = get(f, n, "loaded.dismissive");
  INT_EQ(first->negated, 1);
  OK(first->intensifier >= 0, "utterly recorded as intensifier");
  int neg = 0;
  for (size_t i = 0; i < n; i++)
    if (!strcmp(f[i].category, "loaded.dismissive"))
      neg += f[i].negated;
  /* not (3 left) and didn't (3 left: seem like propaganda) negate; the
   * second sentence and the last "nonsense" (after a comma) do not */
  INT_EQ(neg, 2);
  /* a negator more than three words away does not count */
  n = run("We never said that this was nonsense.", f);
  INT_EQ(get(f, n, "loaded.dismissive")->negated, 0);
}

static void test_voice(void) {
  found f[32];
  size_t n = run("“This is nonsense,” he said. It is nonsense.", f);
  INT_EQ(count_cat(f, n, "loaded.dismissive"), 2);
  INT_EQ(get(f, n, "loaded.dismissive")->voice, FS_VOICE_QUOTE);
  INT_EQ(f[n - 1].voice, FS_VOICE_AUTHOR);
  STR_EQ(f[n - 1].category, "loaded.dismissive");
}

static void test_russian(void) {
  fs_error err;
  fs_lexicon *ru = fs_lexicon_new("russian", &err);
  const char *text = "киевская хунта\tlabel.naming\t2\n"
                     "заявил\tattribution.neutral\t0\n"
                     "не\tnegator\t0\n"
                     "чушь\tloaded.dismissive\t1.5\n";
  INT_EQ(fs_lexicon_load_buffer(ru, "ru.tsv", text, strlen(text), &err),
         FS_OK);
  fs_ctx *c = fs_ctx_new(ru, &err);
  const char *doc = "Киевской хунты там не было, заявила она. Это ЧУШЬ.";
  fs_doc *d = fs_doc_analyze(c, doc, strlen(doc), &err);
  size_t n;
  const fs_match *m = fs_doc_matches(d, &n);
  int naming = 0, attr = 0, dismissive = 0;
  for (size_t i = 0; i < n; i++) {
    const char *cat = fs_lexicon_category_name(ru, m[i].category);
    naming += !strcmp(cat, "label.naming");
    attr += !strcmp(cat, "attribution.neutral");
    dismissive += !strcmp(cat, "loaded.dismissive");
  }
  INT_EQ(naming, 1);     /* inflected: киевской хунты */
  INT_EQ(attr, 1);       /* заявила ~ заявил */
  INT_EQ(dismissive, 1); /* uppercase Cyrillic folded */
  fs_doc_free(d);
  fs_ctx_free(c);
  fs_lexicon_free(ru);
}

/* Matches of one category in text, with lexicon `tsv` in language lang. */
static int count_in(const char *lang, const char *tsv, const char *text,
                    const char *cat) {
  fs_error err;
  fs_lexicon *l = fs_lexicon_new(lang, &err);
  INT_EQ(fs_lexicon_load_buffer(l, "s.tsv", tsv, strlen(tsv), &err), FS_OK);
  fs_ctx *c = fs_ctx_new(l, &err);
  fs_doc *d = fs_doc_analyze(c, text, strlen(text), &err);
  size_t n;
  const fs_match *m = fs_doc_matches(d, &n);
  int k = 0;
  for (size_t i = 0; i < n; i++)
    k += !strcmp(fs_lexicon_category_name(l, m[i].category), cat);
  fs_doc_free(d);
  fs_ctx_free(c);
  fs_lexicon_free(l);
  return k;
}

/* Spelling variants are one word for matching: Киев/Київ (and its cases),
 * Kiev/Kyiv, ё/е, in stems, exact forms and either side. */
static void test_spelling(void) {
  const char *ru = "киев\tplace\t0\n"
                   "киевский режим*\tlabel.naming\t3\n"
                   "=ещё\thedge\t0.5\n"
                   "кремлёвск*\tlabel.naming\t1\n";
  INT_EQ(count_in("russian", ru, "Киев, Києва, Київ, Киеве, Києві, Киевом.",
                  "place"),
         6);
  INT_EQ(count_in("russian", ru,
                  "Киевский режим. Київський режим. Киевского режима.",
                  "label.naming"),
         3);
  INT_EQ(count_in("russian", ru, "Еще раз и ЕЩЁ раз.", "hedge"), 2);
  INT_EQ(count_in("russian", ru, "Кремлевский и кремлёвский.", "label.naming"),
         2);
  const char *en = "kiev regime\tlabel.naming\t3\n"
                   "=kyiv\tplace\t0\n";
  INT_EQ(count_in("english", en, "The Kiev regime, the Kyiv regime.",
                  "label.naming"),
         2);
  INT_EQ(count_in("english", en, "Kiev, Kyiv, KYIV.", "place"), 3);
  INT_EQ(count_in("english", en, "Kievan Rus, Kyivan Rus.", "place"), 0);
}

static void test_counts(void) {
  fs_error err;
  const char *text = "“Utter nonsense,” he raved. This is nonsense and "
                     "propaganda.";
  fs_doc *d = fs_doc_analyze(ctx, text, strlen(text), &err);
  const fs_doc_stats *st = fs_doc_stats_get(d);
  long c = fs_lexicon_category_find(lex, "loaded.dismissive");
  INT_EQ(st->matches[c * FS_VOICES + FS_VOICE_AUTHOR], 2);
  INT_EQ(st->matches[c * FS_VOICES + FS_VOICE_QUOTE], 1);
  INT_EQ(st->words[FS_VOICE_QUOTE], 2);
  INT_EQ(st->words[FS_VOICE_AUTHOR], 7);
  /* score: author-voice weights in score families per 1,000 author words:
   * raved 2 (attribution) + 1 (loaded.emotive) + 1.5 + 1.5 = 6 */
  NEAR(st->loaded_score, 1000.0 * 6 / 7, 1e-12);
  fs_doc_free(d);
}

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

static void trie_round(unsigned seed) {
  rnd_state = seed;
  static const char *const fams[] = {"loaded", "label", "hedge", "evidence"};
  static const char *const weights[] = {"0.5", "1", "1.5", "-1", "1"};
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

int main(void) {
  fs_error err;
  lex = fs_lexicon_new("english", &err);
  OK(fs_lexicon_load_buffer(lex, "t.tsv", lexicon_text, strlen(lexicon_text),
                            &err) == FS_OK,
     "load: %s", err.msg);
  ctx = fs_ctx_new(lex, &err);
  test_stems_and_forms();
  test_multiword_longest();
  test_glob_and_case();
  test_families();
  test_negation_intensifier();
  test_voice();
  test_russian();
  test_spelling();
  test_counts();
  test_trie_against_scan();
  fs_ctx_free(ctx);
  fs_lexicon_free(lex);
  DONE();
}
