/* SPDX-License-Identifier: GPL-3.0-or-later */
/* internal.h - structures shared by the library's modules (not installed).
 * Data flows tokenize -> stem -> match -> voice -> count. */
#ifndef FS_INTERNAL_H
#define FS_INTERNAL_H

#include "framescore.h"
#include "intern.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

struct sb_stemmer;

/* Grows *ptr (element size elt) so that it holds at least need elements.
 * Returns 0, or -1 on overflow or out of memory (the array is unchanged).
 * The check is inline: the tokenizer and the matcher ask once or more a
 * token, and a call for an array already big enough was 3% of the
 * instructions of `report`. */
int fs_grow_slow(void *ptr, size_t *cap, size_t need, size_t elt);
static inline int fs_grow(void *ptr, size_t *cap, size_t need, size_t elt) {
  return need <= *cap ? 0 : fs_grow_slow(ptr, cap, need, elt);
}

/* LEB128 varints (counts files, compare's entry counts): v into b (10
 * bytes at most), returning how many; and the varint at *p, moving *p past
 * it (the caller knows one is there: no bounds are checked). */
static inline size_t fs_varint_encode(unsigned char b[10], uint64_t v) {
  size_t n = 0;
  do {
    b[n] = (unsigned char)(v & 0x7f);
    v >>= 7;
    b[n++] |= v ? 0x80 : 0;
  } while (v);
  return n;
}
/* The next line of data[0, len) from *at (which moves past its '\n'):
 * *line points at it, and its length without the '\n' and a '\r' before
 * it is returned. Call while *at < len. */
static inline size_t fs_next_line(const char *data, size_t len, size_t *at,
                                  const char **line) {
  const char *s = data + *at, *nl = memchr(s, '\n', len - *at);
  size_t l = nl ? (size_t)(nl - s) : len - *at;
  *at += l + 1;
  *line = s;
  if (l && s[l - 1] == '\r')
    l--;
  return l;
}
static inline uint64_t fs_varint_decode(const unsigned char **p) {
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    unsigned char b = *(*p)++;
    v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80))
      break;
  }
  return v;
}

/* Maps the pages of [p, p+bytes) now, in one call, when bytes >=
 * FS_PREFAULT_MIN (a no-op where madvise(MADV_POPULATE_WRITE) is missing,
 * or fails): a long document's text and token arrays are fresh mapped
 * pages (blocks over 1 MiB are mapped, see main.c), and a fault per 4 KiB
 * page cost a tenth of the CPU time of 4 MB documents. For memory about to
 * be written (a file's size, the tokens a text is guessed to hold). */
#define FS_PREFAULT_MIN ((size_t)1 << 20)
void fs_prefault(void *p, size_t bytes);

/* fs_input_open()'s checks of an open descriptor (input.c): a regular file
 * of at most max bytes (*size); else closes fd and fills err. */
int fs_input_check(const char *path, int fd, size_t max, const char *limit,
                   size_t *size, fs_error *err);

/* Fills err (file may be NULL) and returns status. */
int fs_error_set(fs_error *err, int status, const char *file, long line,
                 long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Finds the outlets named pair[0] and pair[1] among names; with pair[0]
 * NULL sets both to FS_NONE. FS_ERR_USAGE when they are not two different
 * names of the list. */
int fs_find_pair(char *const *names, size_t n, const char *const pair[2],
                 uint32_t *a, uint32_t *b, fs_error *err);

/* ---- lexicon (lexicon.c) ------------------------------------------------ */

enum { FS_PW_STEM, FS_PW_EXACT, FS_PW_GLOB, FS_PW_CASE };

typedef struct fs_pword {
  uint8_t kind;
  uint32_t id;  /* lexicon string id: stem, folded form, prefix or surface */
  uint32_t low; /* FS_PW_CASE: id of the folded form, for indexing */
} fs_pword;

typedef struct fs_entry {
  char *pattern, *note, *key; /* in the lexicon's arena */
  uint32_t source;            /* index into lexicon sources */
  long line;
  uint32_t category;
  double weight;
  int duplicate_of;
  bool active;     /* false when overridden, excluded or its file replaced */
  bool event;      /* event vocabulary: weight 0 in absolute scores */
  bool once;       /* a naming choice: repeats in a document's voice weigh 0 */
  bool person;     /* matches only before a word of the class "person"
                      (directly or after one content word), which the
                      match then covers: "corrupt politician" */
  uint8_t lang;    /* index into the lexicon's languages */
  uint32_t word0;  /* first word in lexicon pwords */
  uint32_t nwords;
} fs_entry;

/* A word of the person class (a lexicon line of category class.person):
 * a stem or an exact folded form (kind FS_PW_STEM or FS_PW_EXACT, id a
 * lexicon string) in language lang. */
typedef struct fs_class_word {
  uint32_t id;
  uint8_t kind, lang;
} fs_class_word;

typedef struct fs_cat {
  char *name;
  uint32_t family; /* index into families */
  bool in_score;   /* adds to the loaded-language score (set by freezing) */
} fs_cat;

/* A node of the phrase trie (built by fs_lexicon_freeze): a sequence of
 * pattern words shared by the entries below it. Its children are found by
 * binary search on their word (kind, id), so the cost of a step does not
 * grow with the number of entries sharing the words before it. */
typedef struct fs_tnode {
  uint32_t kid, nkid;  /* children: lex->tkids[kid .. kid + nkid) */
  uint32_t end, nend;  /* entries ending here, the best per family:
                          lex->tends[end .. end + nend), by family */
  uint32_t glen;       /* byte lengths of its glob children, ascending: */
  uint16_t nglen;      /* lex->tglens[glen .. glen + nglen) */
  uint8_t kinds;       /* 1 << FS_PW_* for each kind among its children */
} fs_tnode;

typedef struct fs_tkid {
  uint64_t key;  /* kind << 32 | word id (fs_trie_key), ascending */
  uint32_t node; /* the child */
} fs_tkid;

/* An entry ending at a trie node: of those of its family, the strongest
 * weight, then the earliest entry (how the matcher breaks a tie of
 * length). */
typedef struct fs_tend {
  uint32_t family, entry;
} fs_tend;

static inline uint64_t fs_trie_key(int kind, uint32_t id) {
  return (uint64_t)kind << 32 | id;
}

typedef struct fs_first_index fs_first_index; /* uthash, lexicon.c */

/* Languages one lexicon can hold (fs_lexicon_set_lang). */
#define FS_MAX_LANGS 8
#define FS_LANG_ALL 0xFF /* loading: each entry for every language */

struct fs_lexicon {
  char lang[256]; /* the languages' names joined by '+' (english+russian) */
  char langs[FS_MAX_LANGS][64];
  struct sb_stemmer *stemmers[FS_MAX_LANGS]; /* used while loading only */
  /* per language, the folded pattern words stemmed so far and their stems'
   * ids in `strings`: a word in several entries is stemmed once (a third
   * of the default lexicons' stem words repeat) */
  fs_intern stemmed[FS_MAX_LANGS];
  uint32_t *stemmed_id[FS_MAX_LANGS];
  size_t stemmed_cap[FS_MAX_LANGS];
  size_t nlangs;
  uint8_t cur_lang; /* entries loaded now are of this language, or
                       FS_LANG_ALL: of each */
  fs_intern strings;          /* pattern word strings */
  fs_entry *entries;
  size_t nentries, entries_cap;
  fs_pword *pwords;
  size_t npwords, pwords_cap;
  fs_cat *cats;
  size_t ncats, cats_cap;
  fs_intern cat_names; /* the cats' names: id i is cats[i] */
  uint32_t last_cat;   /* loading: the category of the last entry, or
                          FS_NONE (lines of a category come together) */
  char **families;
  fs_intern family_names; /* id i is families[i] */
  size_t nfamilies, families_cap;
  char **sources; /* file names, for messages and replacement */
  size_t nsources, sources_cap;
  uint8_t *source_lang; /* [nsources] the language loaded, or FS_LANG_ALL */
  size_t source_lang_cap;
  /* an entry's duplicate key (key TAB category TAB language[ TAB person])
   * -> the last entry with it: dup_entry[id of the key in dups] */
  fs_intern dups;
  uint32_t *dup_entry;
  size_t dup_entry_cap;
  /* the entries' strings, in chunks that never move, freed at once by
   * fs_lexicon_free() (thousands of small blocks each cost a malloc at the
   * start and a free at the end of every run) */
  char **arena;
  size_t narena, arena_cap;
  size_t arena_used, arena_size; /* in arena[narena - 1] */
  double quote_weight; /* of quoted speech in the loaded score */
  char **warnings; /* "file:line:col: message", from loading (liwc.c) */
  size_t nwarnings, warnings_cap;
  /* Built by fs_lexicon_freeze(), under freeze_mu so that contexts may be
   * created from several threads at once: */
  pthread_mutex_t freeze_mu;
  bool frozen;
  fs_first_index *first; /* (CASE, folded id) -> active entries whose first
                            word is that cased word */
  fs_tnode *tnodes;      /* the phrase trie of the active entries; node l
                            (l < nlangs) is the root (no words) of language
                            l's entries */
  size_t ntnodes;
  fs_tkid *tkids;
  fs_tend *tends;
  uint16_t *tglens;
  uint32_t scare_cat;    /* category id of "scare_quote" */
  uint32_t negator_fam, intensifier_fam, attribution_fam; /* or FS_NONE */
  fs_class_word *class_words; /* the class "person" (lines of category
                                 class.person): not entries */
  size_t nclass_words, class_words_cap;
};

/* Does Snowball language `lang` (a name or code: "russian", "ru") quote
 * speech with dialogue dashes ("— Нет, — сказал он.") and introduce quotes
 * with a colon? English does not: its text is read as before. */
bool fs_lang_dash_speech(const char *lang);

/* Does Snowball language `lang` set the names of organisations, venues,
 * ships and papers in quotation marks (Russian: «Полярная звезда»)? */
bool fs_lang_quoted_names(const char *lang);

/* Sorts categories by name, drops unused ones and builds the match indexes.
 * Called by fs_ctx_new(); later loads are refused. Returns FS_OK or
 * FS_ERR_NOMEM. */
int fs_lexicon_freeze(fs_lexicon *lex, fs_error *err);

/* Adds one entry read from another format (liwc.c): `pattern` in the TSV
 * pattern syntax, `shown` as written in the source file (kept as the entry's
 * pattern), `source` from fs_lexicon_add_source(). line/col locate it for
 * errors. Only validates when commit_it is false. Returns FS_OK or a status
 * with err set. */
int fs_lexicon_add_entry(fs_lexicon *lex, uint32_t source, const char *shown,
                         const char *pattern, const char *category,
                         double weight, const char *file, long line,
                         long col, bool commit_it, fs_error *err);

/* Adds a source file name (earlier sources with the same base name are
 * switched off); sets *id. Returns FS_OK or FS_ERR_NOMEM. */
int fs_lexicon_add_source(fs_lexicon *lex, const char *name, uint32_t *id);

/* Records a loading warning, formatted as fs_error_format() does. Returns
 * FS_OK or FS_ERR_NOMEM. */
int fs_lexicon_warn(fs_lexicon *lex, const fs_error *w);

/* The end of the pattern word at s[i] (lexicon.c; liwc.c splits LIWC words
 * alike): the offset of the next space or hyphen in s[0..n), or n. */
size_t fs_pattern_word_end(const char *s, size_t i, size_t n);

/* LIWC dictionaries (liwc.c): is `name` a .dic or .dicx file? */
bool fs_liwc_is_dictionary(const char *name);

/* Reads a LIWC .dic (2001/2007/2015) or LIWC-22 .dicx dictionary held in
 * data into lex, with the contract of the TSV reader: only validates when
 * commit_it is false; warnings are recorded when committing. */
int fs_liwc_load_text(fs_lexicon *lex, const char *name, const char *data,
                      size_t len, bool commit_it, fs_error *err);

/* Active entries of language `lang` (an index) whose first word is the
 * cased word (FS_PW_CASE) whose folded form is `id`; returns the count and
 * sets *list (owned by the lexicon). Other kinds have no entries here: they
 * are in the trie. */
size_t fs_lexicon_first(const fs_lexicon *lex, unsigned lang, int kind,
                        uint32_t id, const uint32_t **list);

/* Whether a word whose stem and form are the lexicon strings lex_stem and
 * lex_form (FS_NONE: not a lexicon string) is in the person class of
 * language `lang` (an index). */
bool fs_lexicon_is_person(const fs_lexicon *lex, unsigned lang,
                          uint32_t lex_stem, uint32_t lex_form);

/* Adds the last word of entry i's pattern (the head of a name: "kirby" of
 * "John Kirby", by stem or exactly as written) to the person class of the
 * entry's language, unless it is written with case (==May), as a prefix or
 * is a function word: actors files name people this way
 * (fs_actors_load). Before the lexicon is frozen; FS_OK, FS_ERR_USAGE
 * (frozen, or no such entry) or FS_ERR_NOMEM. */
int fs_lexicon_add_person_head(fs_lexicon *lex, size_t i);

/* Whether a folded English or Russian word is a function word (the, of,
 * is, he, ...; и, в, для, его, ...): a word a noun phrase does not run
 * over. */
bool fs_function_word(const char *folded, size_t len);

/* fs_function_word()'s lists, NULL-terminated: 0 English, 1 Russian (NULL
 * for any other), so a context can flag its forms once (FS_FORM_FUNCTION). */
const char *const *fs_function_word_list(int which);

/* The child of trie node `node` for pattern word (kind, id), or FS_NONE. */
uint32_t fs_trie_kid(const fs_lexicon *lex, uint32_t node, int kind,
                     uint32_t id);

/* fs_trie_kid() on a node's children k[0 .. len), inline for the matcher's
 * step. The last child whose key is at most `key`, halving without a branch
 * on the comparison: the number of steps depends only on the node, so the
 * loop predicts, where a branch on each comparison (which way the text
 * goes) missed about every second time. */
static inline uint32_t fs_trie_kid_in(const fs_tkid *k, uint32_t len,
                                      uint64_t key) {
  if (!len)
    return FS_NONE;
  while (len > 1) {
    uint32_t half = len / 2;
    k = k[half].key <= key ? k + half : k;
    len -= half;
  }
  return k->key == key ? k->node : FS_NONE;
}

/* The bit of a trie child's key in a 64-bit filter of next words
 * (fs_form.next_bits): a one-hash Bloom filter, so a clear bit rules the
 * child out and a set one may be another key's. */
static inline uint64_t fs_trie_bit(uint64_t key) {
  return 1ull << ((key * 0x9E3779B97F4A7C15ull) >> 58);
}

/* Appends to (*out, *n, *cap) (fs_grow) the children of trie node `node`
 * whose word matches a token of lexicon stem id `stem`, lexicon form id
 * `lform` (either FS_NONE) and folded form `form`: by stem, by exact form
 * and by prefix; cased words are left to fs_trie_case_kid. Returns 0, or -1
 * when out of memory. */
int fs_trie_kids(const fs_lexicon *lex, uint32_t node, uint32_t stem,
                 uint32_t lform, const char *form, size_t flen, uint32_t **out,
                 size_t *n, size_t *cap);

/* The child of trie node `node` for the cased word that the surface s
 * (len bytes of document text) is, apostrophes read as ', or FS_NONE. */
uint32_t fs_trie_case_kid(const fs_lexicon *lex, uint32_t node, const char *s,
                          size_t len);

/* ---- spelling variants (spelling.c) ------------------------------------- */

/* Writes into out (cap bytes, NUL-terminated) the key a folded word is
 * matched by: the word with a spelling variant of a name replaced by its
 * canonical spelling (Київ, Києва -> киев, киева; київський -> киевский;
 * kiev -> kyiv), else the word itself. Returns its length, or 0 when it does
 * not fit. Stems and exact pattern words are taken from keys, on both the
 * lexicon's side and the text's; prefix globs see the folded word. */
size_t fs_spelling_key(const char *form, size_t len, char *out, size_t cap);

/* The canonical stem for a key whose Snowball stem cut into the name
 * ("киев" stems to "ки"): the name's root, or NULL to keep the stem. */
const char *fs_spelling_root(const char *key, size_t klen, const char *stem,
                             size_t slen);

/* ---- context and word forms (stem.c) ------------------------------------ */

/* What the matcher knows of a form the lexicon can use: kept only for
 * forms whose stem or form is a lexicon word or where an entry can start
 * (fs_ctx_lexform), not for the whole vocabulary. */
typedef struct fs_form {
  uint32_t lex_stem; /* lexicon string id of the stem, or FS_NONE */
  uint32_t lex_form; /* lexicon string id of the form, or FS_NONE */
  uint32_t root;     /* offset into ctx->roots: the trie nodes one word */
  uint32_t nroot;    /* deep that this form reaches (by stem, form, prefix) */
  bool cased;        /* a cased first word folds to this form: the token's
                        surface decides (fs_trie_case_kid) */
  bool person;       /* a word of the lexicon's person class */
  bool walk_always;  /* as a first word, a root ends an entry or has a glob
                        or cased child, or the form is cased: the next word
                        alone cannot rule a match out */
  uint64_t next_bits; /* the stem and exact children of its roots, a bit
                         each (fs_trie_bit): the next words a phrase goes
                         on with, or some others sharing their bits */
  uint64_t as_next;   /* the bits of its stem and form as such a child */
} fs_form;

/* Form flags used by sentence splitting, and whether any lexicon entry
 * can start at the form; kept per form in fs_ctx.form_bits, a byte each,
 * and copied into the surface cache's slots. */
enum {
  FS_FORM_ABBREV = 1,
  FS_FORM_STARTER = 2,
  FS_FORM_CAND = 4, /* some entry can start here */
  FS_FORM_FUNCTION = 8 /* a function word (fs_function_word) */
};

/* A slot of the surface cache (surface.c): the surface's bytes as two
 * words (see surface_key), its length (0 = empty) and its ids. */
typedef struct fs_sslot {
  uint64_t a, b;
  uint16_t len;
  uint16_t bits; /* the form's FS_FORM_* */
  uint32_t form, stem;
  uint32_t lex; /* the form's fs_ctx.form_lex */
} fs_sslot;

struct fs_ctx {
  const fs_lexicon *lex;
  uint8_t lang;      /* the lexicon's language the context analyses */
  bool dash_speech;  /* the language quotes speech with dialogue dashes and
                        colons (fs_lang_dash_speech) */
  bool quoted_names; /* the language sets names in quotation marks
                        (fs_lang_quoted_names) */
  struct sb_stemmer *stemmer;
  fs_intern forms; /* folded forms */
  fs_sslot *surf_slots;   /* surfaces of up to 16 bytes -> ids (surface.c) */
  size_t surf_nslots, surf_count;
  struct fs_pending *surf_keys; /* words from the tokenizer, not looked up */
  size_t surf_keys_cap, surf_nkeys;
  size_t surf_done; /* tokens of the document with their tok_lex set */
  size_t surf_batch; /* words per lookup: FS_SURF_BATCH; tests set fewer */
  bool bytewise; /* tests: tokenize byte by byte only (no plain_span()) */
  fs_intern surfaces;     /* longer token bytes as written -> */
  uint32_t *surface_form; /* ... their form id */
  size_t surface_form_cap;
  fs_intern stems;
  /* by form id: */
  uint32_t *form_stem; /* its stem id */
  size_t form_stem_cap;
  uint8_t *form_bits;  /* FS_FORM_* */
  size_t form_bits_cap;
  uint32_t *form_lex;  /* index into lexforms, or FS_NONE */
  size_t form_lex_cap;
  fs_form *lexforms;   /* the forms the lexicon can use */
  size_t nlexforms, lexforms_cap;
  uint32_t *roots; /* trie nodes reached by one word, per form */
  size_t nroots, roots_cap;
  size_t stem_calls;
  fs_intern special; /* abbreviations, sentence openers, function words */
  uint8_t special_flags[512]; /* FS_FORM_* by special id */
  char *fold; /* scratch for folding one token */
  size_t fold_cap;
  fs_doc *spare; /* a recycled document: its arrays serve the next one */
  struct fs_tagger_cache *tagger; /* the span tagger's hashes of this
                                     context's stems (tagger.c), or NULL */
  struct fs_vector_memo *vmemo; /* its forms' rows in word vectors
                                   (word_vectors.c), or NULL */
  struct fs_share_member *share; /* its place in a group of contexts that
                                    share new forms (form_share.c), or
                                    NULL */
};

/* ---- forms shared by the contexts of a run (form_share.c) ---------------
 * A group of contexts of one lexicon and language, each used by one thread
 * at a time: a form one of them stems is published (without a lock) for
 * the others, which take its stem and lexicon side instead of stemming it
 * again, under ids of their own. What a context makes of its documents is
 * the same whether it is in a group or not. */
typedef struct fs_form_share fs_form_share;
typedef struct fs_share_member fs_share_member;
/* NULL when out of memory. */
fs_form_share *fs_form_share_new(void);
/* Frees the group: after every member context has left it or been freed,
 * or at least stopped analysing. NULL is a no-op. */
void fs_form_share_free(fs_form_share *s);
/* Adds ctx (of the group's lexicon and language; not in a group) to s;
 * thread-safe. A full group leaves ctx alone. FS_OK or FS_ERR_NOMEM. */
int fs_form_share_join(fs_form_share *s, fs_ctx *ctx);
/* Takes ctx out of its group (it goes on alone). */
void fs_form_share_leave(fs_ctx *ctx);
/* ctx's group, or NULL. */
fs_form_share *fs_ctx_form_share(const fs_ctx *ctx);
/* Fills form id's stem, bits and lexicon side (form_stem, form_bits and
 * form_lex grown to hold it) from another member's entry for the folded
 * form, if any: 1 done, 0 none (stem it), -1 out of memory. ctx in a
 * group. */
int fs_form_share_adopt(fs_ctx *ctx, uint32_t id, const char *form,
                        size_t len);
/* Publishes form id, which ctx (in a group) has just stemmed and
 * described. Out of memory: not published. */
void fs_form_share_publish(fs_ctx *ctx, uint32_t id);

/* Frees a context's word-vector memos (word_vectors.c); NULL is a no-op. */
void fs_vector_memo_free(struct fs_vector_memo *m);
/* Frees a context's span tagger cache (tagger.c); NULL is a no-op. */
void fs_tagger_cache_free(struct fs_tagger_cache *c);

/* Gives form id the lexicon side f (appended to ctx->lexforms); -1 when
 * out of memory. */
static inline int fs_ctx_set_lexform(fs_ctx *ctx, uint32_t id,
                                     const fs_form *f) {
  if (fs_grow(&ctx->lexforms, &ctx->lexforms_cap, ctx->nlexforms + 1,
              sizeof *ctx->lexforms))
    return -1;
  ctx->form_lex[id] = (uint32_t)ctx->nlexforms;
  ctx->lexforms[ctx->nlexforms++] = *f;
  return 0;
}

/* The lexicon side of a form (a shared empty record for most forms). */
static inline const fs_form *fs_ctx_lexform(const fs_ctx *ctx, uint32_t form) {
  static const fs_form none = {.lex_stem = FS_NONE, .lex_form = FS_NONE};
  uint32_t i = ctx->form_lex[form];
  return i == FS_NONE ? &none : &ctx->lexforms[i];
}

/* Returns the form id for a token's bytes (folding, stemming and finding
 * lexicon candidates the first time a form is seen); FS_NONE when out of
 * memory. Keeps the surface in ctx->surfaces (for long surfaces). */
uint32_t fs_ctx_form_id(fs_ctx *ctx, const char *s, size_t len);

/* The same without remembering the surface: folds it (at most
 * FS_WORD_LOOKUP_MAX bytes) and finds or makes its form (stem.c). */
uint32_t fs_ctx_fold_form(fs_ctx *ctx, const char *s, size_t len);

/* A word or number token waiting for its surface lookup, keyed by the
 * tokenizer while its bytes are at hand: the bytes as two 64-bit words
 * (fs_surface_key), their hash, and the token (len > FS_SURF_INLINE: a long
 * surface, looked up the slow way). */
typedef struct fs_pending {
  uint64_t a, b, h;
  uint32_t tok, len;
} fs_pending;

#define FS_SURF_INLINE 16 /* longest surface kept in a cache slot */

/* A surface of 1 to 16 bytes as two 64-bit words that, with its length,
 * determine its bytes: the bytes in order, zero-padded. `avail` is how many
 * bytes may be read from s (at least len); with 16 of them the words are two
 * loads and two masks, without a branch on the length (word lengths are
 * too irregular to predict). */
static inline void fs_surface_key(const unsigned char *s, size_t len,
                                  size_t avail, uint64_t *a, uint64_t *b) {
  uint64_t x, y;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (avail >= 16) {
    /* the masks of the bytes in x and y by length, from a table (the
     * shifts by a variable count cost about 6 more instructions a token,
     * 1% of `report`) */
    static const uint64_t keep[FS_SURF_INLINE + 1][2] = {
      {0x0000000000000000ull, 0x0000000000000000ull},
      {0x00000000000000ffull, 0x0000000000000000ull},
      {0x000000000000ffffull, 0x0000000000000000ull},
      {0x0000000000ffffffull, 0x0000000000000000ull},
      {0x00000000ffffffffull, 0x0000000000000000ull},
      {0x000000ffffffffffull, 0x0000000000000000ull},
      {0x0000ffffffffffffull, 0x0000000000000000ull},
      {0x00ffffffffffffffull, 0x0000000000000000ull},
      {0xffffffffffffffffull, 0x0000000000000000ull},
      {0xffffffffffffffffull, 0x00000000000000ffull},
      {0xffffffffffffffffull, 0x000000000000ffffull},
      {0xffffffffffffffffull, 0x0000000000ffffffull},
      {0xffffffffffffffffull, 0x00000000ffffffffull},
      {0xffffffffffffffffull, 0x000000ffffffffffull},
      {0xffffffffffffffffull, 0x0000ffffffffffffull},
      {0xffffffffffffffffull, 0x00ffffffffffffffull},
      {0xffffffffffffffffull, 0xffffffffffffffffull},
    };
    memcpy(&x, s, 8);
    memcpy(&y, s + 8, 8);
    size_t l = len < FS_SURF_INLINE ? len : FS_SURF_INLINE;
    *a = x & keep[l][0];
    *b = y & keep[l][1];
    return;
  }
#endif
  (void)avail;
  unsigned char buf[16] = {0};
  memcpy(buf, s, len);
  x = y = 0;
  for (int i = 7; i >= 0; i--) {
    x = x << 8 | buf[i];
    y = y << 8 | buf[8 + i];
  }
  *a = x;
  *b = y;
}

static inline uint64_t fs_surface_hash(uint64_t a, uint64_t b, size_t len) {
  /* two independent multiplies; the high halves of the products, which
   * depend on every bit of the key, folded onto the low bits that index
   * the table */
  uint64_t h = (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^
               (uint64_t)len;
  return h ^ h >> 29;
}

/* Pending words the tokenizer lists before they are looked up: a fixed
 * batch, so the keys stay in cache and take no memory per token (they took
 * 32 bytes per word of a whole document). */
#define FS_SURF_BATCH 4096

/* Room for n pending words in ctx->surf_keys. Returns FS_OK or
 * FS_ERR_NOMEM. */
int fs_surface_reserve(fs_ctx *ctx, size_t n);

/* Sets form and stem of the word and number tokens of d that the tokenizer
 * listed (the ctx->surf_nkeys pending words, in token order) through the
 * surface cache, and clears the list; sets tok_lex of the tokens since the
 * last call and appends those where a lexicon entry may start to
 * d->cand_toks (surface.c). Before a document's first call, ctx->surf_nkeys,
 * ctx->surf_done and d->ncand_toks are 0; the ids come out the same
 * whatever the batches. Returns FS_OK or FS_ERR_NOMEM. */
int fs_surface_lookup(fs_ctx *ctx, fs_doc *d);

/* Frees the surface cache (surface.c). */
void fs_surface_free(fs_ctx *ctx);

/* ---- documents ---------------------------------------------------------- */

typedef struct fs_quote_span {
  uint32_t open, close; /* token indexes of the marks; close may be FS_NONE
                           when the quote ran to a paragraph end */
  uint32_t first, end;  /* word token range inside: [first, end) */
  uint32_t words;
  uint16_t depth;       /* 1 = outermost */
  bool clause;          /* holds sentence punctuation */
  bool scare;
  bool speech; /* set off as speech by a dialogue dash or a colon before or
                  a dash after (languages with dash_speech): never a scare
                  quote */
  bool name;   /* a capitalised short quote in a language that quotes names
                  («Полярная звезда»): the author's words, not a quotation */
} fs_quote_span;

/* A token as the library keeps it: 28 bytes where the public fs_token
 * takes 64 (a 4 MB document has 800,000 tokens, and their array was most of
 * its memory and of its trips to memory). Offsets are the document's, in 32
 * bits (fs_doc_analyze refuses 4 GiB or more); what the analysis seldom
 * reads is derived: the code-point end from nchars (or the bytes), the
 * paragraph from the sentence (fs_doc.sent_para), the line and column from
 * fs_doc.lines. fs_doc_tokens() makes the public records when asked. */
typedef struct fs_tok {
  uint32_t byte_start, byte_end; /* [start, end) in the document's bytes */
  uint32_t char_start;           /* the start in code points */
  uint32_t sentence; /* 0-based sentence; the tokenizer keeps the paragraph
                        here until it numbers the sentences */
  uint32_t form;     /* id of the lowercased form (fs_ctx_form) */
  uint32_t stem;     /* id of the Snowball stem (fs_ctx_stem) */
  uint8_t kind;      /* FS_TOK_* */
  uint8_t voice;     /* FS_VOICE_* */
  uint8_t flags;     /* FS_TOKF_* */
  uint8_t nchars;    /* code points, or FS_TOK_LONG: count them */
} fs_tok;

#define FS_TOK_LONG 255

/* Where a line with tokens starts: its first token, its 1-based number and
 * the code-point offset of its first character (a column is counted from
 * there). One per line that holds a token, in order. */
typedef struct fs_line_mark {
  uint32_t tok, line, char_start;
} fs_line_mark;

struct fs_doc {
  const char *text;
  size_t len;
  const char *lang; /* the analysing context's language (lexicon's) */
  fs_tok *tokens;
  size_t ntokens, tokens_cap;
  uint32_t *sent_para; /* per sentence: its paragraph (a sentence never
                          crosses a paragraph break) */
  size_t sent_para_cap;
  fs_line_mark *lines; /* the lines that hold tokens */
  size_t nlines, lines_cap;
  fs_token *pub_tokens; /* made by fs_doc_tokens(), or NULL */
  fs_match *matches;
  size_t nmatches, matches_cap;
  fs_quote_span *quotes;
  size_t nquotes, quotes_cap;
  uint32_t *cand_toks; /* tokens where a lexicon entry may start, in order */
  size_t ncand_toks, cand_toks_cap;
  uint32_t *tok_lex;   /* per token: index into ctx lexforms, or FS_NONE */
  size_t tok_lex_cap;
  fs_doc_stats stats;
  size_t *counts; /* matches then negated, each [ncat * FS_VOICES] */
  double *weights;
  /* set by fs_context_apply() (context.c): each match's probability and
   * the threshold under which evaluations leave it out; NULL without a
   * context model */
  float *ctx_prob;
  double ctx_threshold;
  bool ctx_all; /* the model's scope is every match, not the dimensions' */
  /* set by fs_tagger_apply() (tagger.c): 1 for tokens the span tagger
   * marks; NULL without a tagger (evaluations then use the matches) */
  uint8_t *tok_tag;
  bool tag_union; /* the tagger's spans are added to the matches' */
  /* a window of a longer document (window.c): how its lines are read
   * (FS_WRAP_*, 0: decided from the text), and the document's byte offset
   * of text[0] (token offsets are the document's: the bytes of token k are
   * text + tokens[k].byte_start - text_base) */
  uint8_t wrap;
  size_t text_base;
  uint32_t sent_base, para_base; /* a window's first sentence and paragraph
                                   (fs_tok_para); 0 for a whole document */
};

enum { FS_WRAP_DETECT, FS_WRAP_NO, FS_WRAP_YES };

/* Bytes the tokenizer looks ahead of a ' for the one that closes it. */
#define FS_SINGLE_LOOKAHEAD 2000

/* Where a window of a longer document starts (window.c): what the tokens of
 * the document before it have counted. */
typedef struct fs_window_base {
  size_t byte, chr;    /* offsets of its first byte */
  uint32_t line;       /* 1-based line of its first byte (column 1) */
  uint32_t paragraph;  /* paragraphs before it */
  uint32_t sentence;   /* sentences before it */
  uint8_t wrap;        /* FS_WRAP_YES or FS_WRAP_NO, of the whole */
} fs_window_base;

/* Analyses text[0..len), a window of a longer document that starts at a
 * clean cut (fs_window_next), as fs_doc_analyze() analyses the whole: the
 * tokens carry the document's offsets, lines, paragraph and sentence
 * numbers (text_base = base->byte), the counts are the window's own, and
 * stats.bom is set only for the window at byte 0. Returns a document the
 * caller frees (fs_doc_free, fs_doc_recycle), or NULL with err filled. */
fs_doc *fs_doc_analyze_window(fs_ctx *ctx, const char *text, size_t len,
                              const fs_window_base *base, fs_error *err);

/* What a context learned since a mark (vocab.c): copies of its new forms
 * (ids form_base ...) and stems (ids stem_base ...), made on the thread that
 * owns the context, so another thread can map the context's ids to ids of
 * its own (terms.c) while the context goes on. One allocation: free(). */
struct fs_vocab_delta {
  size_t form_base, nforms, stem_base, nstems;
  uint32_t *form_stem; /* [nforms] the form's stem id in the context */
  uint8_t *form_lex;   /* [nforms] 1: a lexicon pattern can match the form */
  uint32_t *form_off;  /* [nforms + 1] offsets into chars */
  uint32_t *stem_off;  /* [nstems + 1] */
  char *chars;         /* the strings, each NUL-terminated */
};

/* Splits text into tokens with offsets, sentences, paragraphs and quote voice
 * (tokenize.c). Returns FS_OK or FS_ERR_NOMEM. */
int fs_tokenize(fs_ctx *ctx, fs_doc *doc);

/* Adds to *inner and *open_ended the lines of text[0..n) that the
 * hard-wrap detection counts: lines followed by a non-blank line, and those
 * of them that end without sentence punctuation (tokenize.c). Text cut
 * after a blank line counts the same in pieces as whole. */
void fs_wrap_count(const unsigned char *s, size_t n, size_t *inner,
                   size_t *open_ended);

/* Are those counts hard-wrapped text (single newlines are spaces)? */
bool fs_wrap_decide(size_t inner, size_t open_ended);

/* The derived fields of token k of d (tokenize.c). */
uint32_t fs_tok_line(const fs_doc *d, size_t k);
uint32_t fs_tok_col(const fs_doc *d, size_t k); /* 1-based, code points */
/* The mark of the line that holds token k (fs_tok_line() and fs_tok_col()
 * read it), looked for from line index *at (rows in token order walk
 * forward instead of searching each time); *at is set to its index. */
const fs_line_mark *fs_tok_line_at(const fs_doc *d, size_t k, size_t *at);
size_t fs_tok_count_chars(const fs_doc *d, const fs_tok *t);

static inline size_t fs_tok_char_end(const fs_doc *d, const fs_tok *t) {
  return t->nchars != FS_TOK_LONG ? (size_t)t->char_start + t->nchars
                                  : fs_tok_count_chars(d, t);
}

static inline uint32_t fs_tok_para(const fs_doc *d, const fs_tok *t) {
  return d->sent_para[t->sentence - d->sent_base] + d->para_base;
}

/* Finds lexicon matches: longest per family, negation, intensifiers
 * (match.c). */
int fs_match_doc(const fs_ctx *ctx, fs_doc *doc);

/* Tells scare quotes from quotations and sets the voice of matches
 * (voice.c). */
int fs_voice_resolve(const fs_ctx *ctx, fs_doc *doc);

/* Counts matches per category and voice and the loaded-language score
 * (doc_counts.c). */
int fs_count_doc(const fs_ctx *ctx, fs_doc *doc);

/* Allocates doc's per-category counts and weights (zeroed) and points its
 * stats at them; FS_ERR_NOMEM when it cannot (doc_counts.c). */
int fs_doc_counts_new(fs_doc *doc, const fs_lexicon *lex);

/* Adds match m to doc's counts and weights (fs_doc_counts_new) and its
 * weight to score[voice] when its category is in the loaded-language
 * score; event vocabulary adds nothing (doc_counts.c). */
void fs_count_match(const fs_lexicon *lex, fs_doc *doc, const fs_match *m,
                    double score[FS_VOICES]);

/* Is match m a repeat of an entry flagged "once" in its voice? Marks it
 * seen in `seen` ([nentries * FS_VOICES] bytes, zeroed per document) either
 * way; event entries and scare quotes are never repeats (doc_counts.c). */
bool fs_once_repeat(const fs_lexicon *lex, const fs_match *m, uint8_t *seen);

/* Is a match of entry (FS_NONE for a scare quote) a naming choice weighed
 * once per document and voice: flagged "once", and not event vocabulary?
 * The one test of the absolute score (doc_counts.c), the window sum and
 * the distinctive score. */
static inline bool fs_entry_once(const fs_lexicon *lex, uint32_t entry) {
  return entry < lex->nentries && lex->entries[entry].once &&
         !lex->entries[entry].event;
}

/* Is the category part of the loaded-language score? (doc_counts.c; for a
 * frozen lexicon) */
bool fs_category_in_score(const fs_lexicon *lex, uint32_t cat);
/* The loaded-language score per 1,000 words from the summed weights of
 * scored matches in the author's voice and in quoted speech, and the
 * words by voice: quoted speech at the lexicon's quote weight. */
double fs_loaded_score(const fs_lexicon *lex, double author, double quote,
                       const size_t words[FS_VOICES]);

/* Story-relative framing (distinct.c): the weight entry e (nentries:
 * scare quotes) adds to the distinctive score with, 0 when it adds
 * nothing; and the excess of n matches in an outlet of No words over what
 * the rest of the corpus (total matches in N words) leads one to expect,
 * with a prior of `prior` words at the corpus rate. */
double fs_distinct_weight(const fs_lexicon *lex, uint32_t e);
double fs_distinct_excess(double n, double total, double No, double N,
                          double prior);

/* Does a category of this family add to the loaded-language score?
 * (doc_counts.c) */
bool fs_family_in_score(const char *family);

#endif
