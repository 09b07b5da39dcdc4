/* SPDX-License-Identifier: GPL-3.0-or-later */
/* actors.c - actors files -> actor mentions (matched as the lexicon family
 * "actor"), the speaker of each attribution verb, and per-outlet tallies of
 * how each actor's speech is attributed and which labels share a sentence
 * with the actor. */
#include "actors.h"
#include "intern.h"
#include "internal.h"
#include "utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RIGHT_WINDOW 8   /* words after the verb searched for "said Kirby" */
#define HEAD_GAP 6       /* words between mentions of one noun phrase */
#define SKIPPED_BEFORE 2 /* adverbs/auxiliaries between pronoun and verb */
#define UNRESOLVED "(unresolved)"

struct fs_actors {
  fs_actor *actors;
  size_t n, cap;
  char *name;
  uint32_t *cat_actor; /* [ncats] actor of a lexicon category, or FS_NONE */
  size_t ncats;
  fs_intern ids; /* actor ids, in actor order: id i is actor i */
};

/* ---- the actors file ----------------------------------------------------- */

void fs_actors_free(fs_actors *a) {
  if (!a)
    return;
  for (size_t i = 0; i < a->n; i++) {
    free(a->actors[i].id);
    free(a->actors[i].side);
  }
  free(a->actors);
  free(a->cat_actor);
  free(a->name);
  fs_intern_free(&a->ids);
  free(a);
}

size_t fs_actors_count(const fs_actors *a) { return a->n; }
const fs_actor *fs_actors_get(const fs_actors *a, size_t i) {
  return &a->actors[i];
}

static bool valid_id(const char *s, size_t n) {
  if (!n || n > 100)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
          s[i] == '_'))
      return false;
  return true;
}

/* Constant time: an actors file may list tens of thousands. */
static long find_actor(const fs_actors *a, const char *id, size_t n) {
  uint32_t i = fs_intern_find(&a->ids, id, n);
  return i == FS_NONE ? -1 : (long)i;
}

/* Checks one line's actor, side and kind; adds or checks the actor.
 * Fields: f[0..nf) with byte offsets off[] in the line. */
static int actor_line(fs_actors *a, const char *name, long ln, const char *line,
                      const char **f, const size_t *flen, const size_t *off,
                      size_t nf, fs_error *err) {
  if (nf < 3)
    return fs_error_set(err, FS_ERR_INPUT, name, ln,
                        fs_utf8_col(line, off[nf - 1] + flen[nf - 1]),
                        "expected TAB and %s (pattern<TAB>actor<TAB>side"
                        "[<TAB>person|group])",
                        nf == 1 ? "an actor id" : "a side");
  if (nf > 4)
    return fs_error_set(err, FS_ERR_INPUT, name, ln, fs_utf8_col(line, off[4]),
                        "too many columns (pattern, actor, side, kind)");
  if (!valid_id(f[1], flen[1]))
    return fs_error_set(err, FS_ERR_INPUT, name, ln, fs_utf8_col(line, off[1]),
                        "actor ids are lowercase letters, digits and '_'");
  if (!flen[2])
    return fs_error_set(err, FS_ERR_INPUT, name, ln, fs_utf8_col(line, off[2]),
                        "empty side");
  int kind = FS_ACTOR_PERSON;
  char pron = 0;
  if (nf == 4) {
    static const char *const kinds[] = {"person", "he", "she", "group"};
    int k = 0;
    while (k < 4 &&
           !(strlen(kinds[k]) == flen[3] && !memcmp(f[3], kinds[k], flen[3])))
      k++;
    if (k == 4)
      return fs_error_set(err, FS_ERR_INPUT, name, ln,
                          fs_utf8_col(line, off[3]),
                          "kind must be person, he, she or group");
    kind = k == 3 ? FS_ACTOR_GROUP : FS_ACTOR_PERSON;
    pron = k == 1 ? 'h' : k == 2 ? 's' : 0;
  }
  long i = find_actor(a, f[1], flen[1]);
  if (i >= 0) {
    const fs_actor *ac = &a->actors[i];
    if (strlen(ac->side) != flen[2] || memcmp(ac->side, f[2], flen[2]))
      return fs_error_set(
          err, FS_ERR_INPUT, name, ln, fs_utf8_col(line, off[2]),
          "actor '%s' is on side '%s' (line %ld)", ac->id, ac->side, ac->line);
    if (nf == 4 && (ac->kind != kind || ac->pronoun != pron))
      return fs_error_set(
          err, FS_ERR_INPUT, name, ln, fs_utf8_col(line, off[3]),
          "actor '%s' has another kind (line %ld)", ac->id, ac->line);
    return FS_OK;
  }
  if (fs_grow(&a->actors, &a->cap, a->n + 1, sizeof *a->actors) ||
      fs_intern_add(&a->ids, f[1], flen[1]) != a->n)
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  fs_actor *ac = &a->actors[a->n];
  ac->id = strndup(f[1], flen[1]);
  ac->side = strndup(f[2], flen[2]);
  ac->kind = kind;
  ac->pronoun = pron;
  ac->line = ln;
  if (!ac->id || !ac->side) {
    free(ac->id), free(ac->side);
    return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  a->n++;
  return FS_OK;
}

/* Appends s (n bytes) to the buffer. */
static int put(char **buf, size_t *len, size_t *cap, const char *s, size_t n) {
  if (fs_grow(buf, cap, *len + n + 1, 1))
    return -1;
  memcpy(*buf + *len, s, n);
  *len += n;
  (*buf)[*len] = '\0';
  return 0;
}

/* Whether lexicon entry e names an actor of kind person (he, she). */
static bool is_person_entry(const fs_actors *a, const fs_lexicon *lex,
                            size_t e) {
  const char *cat = lex->cats[lex->entries[e].category].name;
  if (strncmp(cat, "actor.", 6))
    return false;
  long i = find_actor(a, cat + 6, strlen(cat + 6));
  return i >= 0 && a->actors[i].kind == FS_ACTOR_PERSON;
}

fs_actors *fs_actors_load(fs_lexicon *lex, const char *name, const char *data,
                          size_t len, fs_error *err) {
  fs_actors *a = calloc(1, sizeof *a);
  char *buf = NULL;
  size_t blen = 0, bcap = 0;
  if (a)
    fs_intern_init(&a->ids);
  if (!a || !(a->name = strdup(name))) {
    free(a);
    fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  /* each line becomes a lexicon line "pattern<TAB>actor.ID<TAB>0", so the
   * lexicon's own messages name the right line and column */
  long ln = 0;
  int rc = FS_OK;
  size_t i = 0;
  if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
    i = 3;
  while (i < len && rc == FS_OK) {
    const char *nl = memchr(data + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - data) : len, e = end;
    if (e > i && data[e - 1] == '\r')
      e--;
    const char *line = data + i;
    size_t n = e - i, k = 0;
    ln++;
    while (k < n && (line[k] == ' ' || line[k] == '\t'))
      k++;
    if (k == n || line[k] == '#') {
      rc = put(&buf, &blen, &bcap, "\n", 1) ? FS_ERR_NOMEM : FS_OK;
      i = end + 1;
      continue;
    }
    const char *f[5];
    size_t flen[5], off[5], nf = 0, start = 0;
    for (size_t j = 0; j <= n && nf < 5; j++)
      if (j == n || line[j] == '\t') {
        f[nf] = line + start;
        flen[nf] = j - start;
        off[nf++] = start;
        start = j + 1;
      }
    rc = actor_line(a, name, ln, line, f, flen, off, nf, err);
    if (rc == FS_OK && (put(&buf, &blen, &bcap, f[0], flen[0]) ||
                        put(&buf, &blen, &bcap, "\tactor.", 7) ||
                        put(&buf, &blen, &bcap, f[1], flen[1]) ||
                        put(&buf, &blen, &bcap, "\t0\n", 3)))
      rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
    i = end + 1;
  }
  if (rc == FS_OK && a->n == 0)
    rc = fs_error_set(err, FS_ERR_INPUT, name, 0, 0, "no actors defined");
  size_t first = fs_lexicon_entry_count(lex);
  if (rc == FS_OK)
    rc = fs_lexicon_load_buffer(lex, name, buf ? buf : "", blen, err);
  free(buf);
  /* a person's names are person nouns for entries flagged "person": "the
   * corrupt Kirby" is name-calling as "the corrupt senator" is */
  for (size_t e = first; rc == FS_OK && e < fs_lexicon_entry_count(lex); e++)
    if (is_person_entry(a, lex, e) && fs_lexicon_add_person_head(lex, e))
      rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  if (rc != FS_OK) {
    fs_actors_free(a);
    return NULL;
  }
  return a;
}

int fs_actors_bind(fs_actors *a, const fs_lexicon *lex) {
  free(a->cat_actor);
  a->ncats = lex->ncats;
  a->cat_actor = malloc((lex->ncats ? lex->ncats : 1) * sizeof *a->cat_actor);
  if (!a->cat_actor)
    return FS_ERR_NOMEM;
  for (size_t c = 0; c < lex->ncats; c++) {
    const char *nm = lex->cats[c].name;
    long i =
        strncmp(nm, "actor.", 6) ? -1 : find_actor(a, nm + 6, strlen(nm + 6));
    a->cat_actor[c] = i < 0 ? FS_NONE : (uint32_t)i;
  }
  return FS_OK;
}

/* ---- resolving speakers -------------------------------------------------- */

static bool is_word(const fs_tok *t) {
  return t->kind == FS_TOK_WORD || t->kind == FS_TOK_NUMBER;
}

static bool in_list(const char *const *list, const char *s) {
  for (; *list; list++)
    if (!strcmp(*list, s))
      return true;
  return false;
}

/* A subject pronoun: 'h' (he), 's' (she), 'g' (they), or 0. */
static int pronoun(const char *form) {
  return !strcmp(form, "he")     ? 'h'
         : !strcmp(form, "she")  ? 's'
         : !strcmp(form, "they") ? 'g'
                                 : 0;
}

/* Can the pronoun refer to the actor? */
static bool pronoun_fits(int p, const fs_actor *ac) {
  if (p == 'g')
    return ac->kind == FS_ACTOR_GROUP;
  return ac->kind == FS_ACTOR_PERSON && (!ac->pronoun || ac->pronoun == p);
}

/* Words that may stand between a subject and its verb: "he grudgingly
 * admitted", "she has repeatedly said". */
static bool skippable(const char *form) {
  static const char *const aux[] = {
      "also", "then",  "later", "has",   "have", "had",   "was",
      "were", "is",    "are",   "would", "will", "again", "once",
      "even", "still", "just",  "now",   "only", "first", NULL};
  size_t n = strlen(form);
  return (n > 3 && !strcmp(form + n - 2, "ly")) || in_list(aux, form);
}

static bool is_comma(const fs_doc *d, const fs_tok *t) {
  return t->kind == FS_TOK_PUNCT && d->text[t->byte_start] == ',';
}

/* The token's lowercased form, from its bytes: documents may come from
 * another thread's context, so its form table is not at hand. */
static const char *form_of(const fs_doc *d, const fs_tok *t, char *buf,
                           size_t cap) {
  fs_fold(d->text + t->byte_start, t->byte_end - t->byte_start, buf, cap);
  return buf;
}

/* A possessive form: "kirby's", "kirby'". */
static bool possessive(const fs_doc *d, const fs_tok *t) {
  char buf[128];
  const char *f = form_of(d, t, buf, sizeof buf);
  size_t n = strlen(f);
  return (n > 2 && !strcmp(f + n - 2, "'s")) || (n > 1 && f[n - 1] == '\'');
}

/* A pronoun subject right before the verb (over adverbs and auxiliaries) or
 * right after it ("said he"); returns it (see pronoun()) or 0. */
static int pronoun_subject(const fs_doc *d, size_t s, size_t e) {
  uint32_t sent = d->tokens[s].sentence;
  int skipped = 0;
  char buf[128];
  for (size_t k = s; k-- > 0;) {
    const fs_tok *t = &d->tokens[k];
    if (t->sentence != sent || !is_word(t))
      break;
    const char *form = form_of(d, t, buf, sizeof buf);
    int p = pronoun(form);
    if (p)
      return p;
    if (!skippable(form) || ++skipped > SKIPPED_BEFORE)
      break;
  }
  if (e < d->ntokens && d->tokens[e].sentence == sent &&
      is_word(&d->tokens[e])) {
    int p = pronoun(form_of(d, &d->tokens[e], buf, sizeof buf));
    return p == 'g' ? 0 : p; /* "said he", not "said they would" */
  }
  return 0;
}

/* Is the verb coordinated with an earlier one: "He claimed ... and whined"?
 * (a conjunction right before it, over adverbs) */
static bool coordinated(const fs_doc *d, size_t s) {
  static const char *const conj[] = {"and", "but", "or", "then", NULL};
  uint32_t sent = d->tokens[s].sentence;
  char buf[128];
  int skipped = 0;
  for (size_t k = s; k-- > 0;) {
    const fs_tok *t = &d->tokens[k];
    if (t->sentence != sent || !is_word(t))
      return false;
    const char *form = form_of(d, t, buf, sizeof buf);
    if (in_list(conj, form))
      return true;
    if (!skippable(form) || ++skipped > SKIPPED_BEFORE)
      return false;
  }
  return false;
}

/* Does a closing quotation mark stand right before the verb (over commas):
 * "“...,” said Kirby"? */
static bool after_quote(const fs_doc *d, size_t s) {
  uint32_t sent = d->tokens[s].sentence;
  for (size_t k = s; k-- > 0;) {
    const fs_tok *t = &d->tokens[k];
    if (t->sentence != sent)
      return false;
    if (t->kind == FS_TOK_QUOTE)
      return !(t->flags & FS_TOKF_OPEN);
    if (!is_comma(d, t))
      return false;
  }
  return false;
}

/* Is the mention the object of a preposition ("the ambassador to the United
 * States", "a report by the commission")? Such a mention is rarely the
 * subject of the verb that follows. */
static bool prepositional(const fs_doc *d, const fs_mention *m) {
  static const char *const det[] = {"the", "a", "an", "its", "their", NULL};
  static const char *const prep[] = {
      "to", "of",      "for",   "from",   "in",      "with", "at", "by",
      "on", "against", "about", "toward", "towards", "into", NULL};
  uint32_t sent = d->tokens[m->tok_start].sentence;
  char buf[128];
  for (size_t k = m->tok_start; k-- > 0;) {
    const fs_tok *t = &d->tokens[k];
    if (t->sentence != sent || !is_word(t))
      return false;
    const char *form = form_of(d, t, buf, sizeof buf);
    if (in_list(prep, form))
      return true;
    if (!in_list(det, form))
      return false;
  }
  return false;
}

/* Words between two token positions, or SIZE_MAX if punctuation or a
 * quotation mark stands between. */
static size_t words_between(const fs_doc *d, size_t a, size_t b) {
  size_t n = 0;
  for (size_t k = a; k < b; k++) {
    if (!is_word(&d->tokens[k]))
      return SIZE_MAX;
    n++;
  }
  return n;
}

typedef struct resolver {
  const fs_actors *a;
  const fs_doc *d;
  const fs_mention *m;
  size_t nm;
} resolver;

static bool usable(const resolver *r, size_t i, uint32_t sent, int voice) {
  const fs_tok *t = &r->d->tokens[r->m[i].tok_start];
  return t->sentence == sent && t->voice == voice && !r->m[i].possessive;
}

/* first: the sentence's first attribution when it came earlier (a main
 * verb that a coordinated one shares its subject with), or NULL */
static void resolve_one(const resolver *r, fs_attribution *at,
                        const fs_attribution *first) {
  const fs_doc *d = r->d;
  const fs_match *mt = &d->matches[at->match];
  size_t s = mt->tok_start, e = mt->tok_end;
  uint32_t sent = d->tokens[s].sentence;
  int voice = mt->voice;
  at->actor = at->mention = FS_NONE;
  at->how = FS_RESOLVE_NONE;
  if (first && first->actor != FS_NONE &&
      d->matches[first->match].voice == voice && coordinated(d, s)) {
    at->actor = first->actor, at->mention = first->mention,
    at->how = first->how;
    return;
  }
  int pk = pronoun_subject(d, s, e);
  long left = -1, right = -1, left_obj = -1;
  for (size_t i = 0; i < r->nm; i++) {
    if (!usable(r, i, sent, voice))
      continue;
    /* mentions are in text order: the last before the verb is nearest;
     * objects of prepositions only when nothing else precedes */
    if (r->m[i].tok_end <= s && prepositional(d, &r->m[i]))
      left_obj = (long)i;
    else if (r->m[i].tok_end <= s)
      left = (long)i;
    else if (r->m[i].tok_start >= e && right < 0 &&
             words_between(d, e, r->m[i].tok_start) != SIZE_MAX)
      right = (long)i;
  }
  if (left < 0)
    left = left_obj;
  if (right >= 0 && r->m[right].tok_start - e > RIGHT_WINDOW)
    right = -1;
  /* "said White House spokesman John Kirby": the head is the last mention
   * of the noun phrase */
  while (right >= 0 && (size_t)right + 1 < r->nm &&
         usable(r, (size_t)right + 1, sent, voice) &&
         words_between(d, r->m[right].tok_end, r->m[right + 1].tok_start) <=
             HEAD_GAP)
    right++;
  long pick = -1;
  if (!pk && after_quote(d, s) && right >= 0) {
    pick = right, at->how = FS_RESOLVE_RIGHT;
  } else if (!pk && left >= 0) {
    pick = left, at->how = FS_RESOLVE_LEFT;
  } else if (!pk && right >= 0) {
    pick = right, at->how = FS_RESOLVE_RIGHT;
  } else if (pk) {
    /* the most recently mentioned actor the pronoun fits, before the verb */
    for (size_t i = 0; i < r->nm && r->m[i].tok_end <= s; i++)
      if (d->tokens[r->m[i].tok_start].voice == voice &&
          pronoun_fits(pk, &r->a->actors[r->m[i].actor]))
        pick = (long)i;
    if (pick >= 0)
      at->how = FS_RESOLVE_PRONOUN;
  }
  if (pick >= 0) {
    at->mention = (uint32_t)pick;
    at->actor = r->m[pick].actor;
  }
}

int fs_actors_resolve(const fs_actors *a, const fs_lexicon *lex,
                      const fs_doc *d, int voice, fs_mention **mentions,
                      size_t *nmentions, fs_attribution **attrs,
                      size_t *nattrs) {
  size_t nm = 0, na = 0;
  fs_mention *m = malloc((d->nmatches ? d->nmatches : 1) * sizeof *m);
  fs_attribution *at = malloc((d->nmatches ? d->nmatches : 1) * sizeof *at);
  *mentions = NULL, *attrs = NULL, *nmentions = *nattrs = 0;
  if (!m || !at) {
    free(m), free(at);
    return FS_ERR_NOMEM;
  }
  for (size_t i = 0; i < d->nmatches; i++) {
    const fs_match *mt = &d->matches[i];
    uint32_t ac =
        mt->category < a->ncats ? a->cat_actor[mt->category] : FS_NONE;
    if (ac != FS_NONE)
      m[nm++] = (fs_mention){mt->tok_start, mt->tok_end, ac,
                             possessive(d, &d->tokens[mt->tok_end - 1])};
    else if (lex->attribution_fam != FS_NONE &&
             lex->cats[mt->category].family == lex->attribution_fam &&
             (voice == FS_VOICES || voice == mt->voice))
      at[na++].match = (uint32_t)i;
  }
  resolver r = {a, d, m, nm};
  for (size_t i = 0, first = 0; i < na; i++) {
    uint32_t sent = d->tokens[d->matches[at[i].match].tok_start].sentence;
    if (d->tokens[d->matches[at[first].match].tok_start].sentence != sent)
      first = i;
    resolve_one(&r, &at[i], first < i ? &at[first] : NULL);
  }
  *mentions = m, *nmentions = nm;
  *attrs = at, *nattrs = na;
  return FS_OK;
}

/* ---- tallies ------------------------------------------------------------- */

/* The words behind one tally cell, for readers: "raved 2". */
typedef struct surface_row {
  uint32_t outlet, actor, rel, cat;
  size_t count;
} surface_row;

/* An outlet's counts per (actor, relation, category): sparse (open
 * addressing on cell_key + 1, 0 = empty), since most actors meet few
 * categories and a dense table is actors x categories, and every actor is
 * a category too. */
typedef struct outlet_tally {
  char *name;
  size_t docs;
  double words;
  uint64_t *keys;
  double *vals;
  size_t cap, used; /* cap: a power of 2, or 0 */
  double *base;     /* [actor * FS_RELATIONS + rel] */
} outlet_tally;

struct fs_actors_tally {
  const fs_actors *a;
  const fs_lexicon *lex;
  int voice;
  size_t nact;                 /* actors + 1 (the last: unresolved) */
  bool *rel_cat[FS_RELATIONS]; /* [ncats] categories shown per relation */
  uint32_t *shown[FS_RELATIONS]; /* the same as lists, in category order */
  size_t nshown[FS_RELATIONS];
  outlet_tally *outlets;
  size_t noutlets, outlets_cap;
  fs_intern keys; /* "outlet actor rel cat surface" -> surface row */
  surface_row *rows;
  size_t rows_cap;
};

fs_actors_tally *fs_actors_tally_new(const fs_actors *a, const fs_lexicon *lex,
                                     int voice) {
  fs_actors_tally *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  t->a = a, t->lex = lex, t->voice = voice;
  t->nact = a->n + 1;
  fs_intern_init(&t->keys);
  for (int r = 0; r < FS_RELATIONS; r++)
    if (!(t->rel_cat[r] = calloc(lex->ncats + 1, sizeof(bool)))) {
      fs_actors_tally_free(t);
      return NULL;
    }
  for (size_t c = 0; c < lex->ncats; c++) {
    const char *fam = lex->families[lex->cats[c].family];
    t->rel_cat[FS_REL_ATTRIBUTION][c] =
        lex->cats[c].family == lex->attribution_fam;
    t->rel_cat[FS_REL_COOCCURRENCE][c] =
        !strcmp(fam, "loaded") || !strcmp(fam, "label") || c == lex->scare_cat;
  }
  for (int r = 0; r < FS_RELATIONS; r++) {
    if (!(t->shown[r] = malloc((lex->ncats + 1) * sizeof *t->shown[r]))) {
      fs_actors_tally_free(t);
      return NULL;
    }
    for (size_t c = 0; c < lex->ncats; c++)
      if (t->rel_cat[r][c])
        t->shown[r][t->nshown[r]++] = (uint32_t)c;
  }
  return t;
}

void fs_actors_tally_free(fs_actors_tally *t) {
  if (!t)
    return;
  for (size_t i = 0; i < t->noutlets; i++) {
    free(t->outlets[i].name);
    free(t->outlets[i].keys);
    free(t->outlets[i].vals);
    free(t->outlets[i].base);
  }
  free(t->outlets);
  for (int r = 0; r < FS_RELATIONS; r++)
    free(t->rel_cat[r]), free(t->shown[r]);
  fs_intern_free(&t->keys);
  free(t->rows);
  free(t);
}

static long outlet_index(fs_actors_tally *t, const char *name) {
  for (size_t i = 0; i < t->noutlets; i++)
    if (!strcmp(t->outlets[i].name, name))
      return (long)i;
  if (fs_grow(&t->outlets, &t->outlets_cap, t->noutlets + 1,
              sizeof *t->outlets))
    return -1;
  outlet_tally *o = &t->outlets[t->noutlets];
  memset(o, 0, sizeof *o);
  o->name = strdup(name);
  o->base = calloc(t->nact * FS_RELATIONS, sizeof *o->base);
  if (!o->name || !o->base) {
    free(o->name), free(o->base);
    return -1;
  }
  return (long)t->noutlets++;
}

static uint64_t cell_key(const fs_actors_tally *t, size_t actor, int rel,
                         size_t cat) {
  return ((uint64_t)actor * FS_RELATIONS + (uint64_t)rel) * t->lex->ncats +
         cat + 1;
}

static size_t cell_slot(const outlet_tally *o, uint64_t key) {
  size_t i = (size_t)((key * 0x9E3779B97F4A7C15u) >> 17) & (o->cap - 1);
  while (o->keys[i] && o->keys[i] != key)
    i = (i + 1) & (o->cap - 1);
  return i;
}

/* The count of a cell (0 when never counted). */
static double cell(const outlet_tally *o, uint64_t key) {
  if (!o->cap)
    return 0;
  size_t i = cell_slot(o, key);
  return o->keys[i] ? o->vals[i] : 0;
}

static int cell_add(outlet_tally *o, uint64_t key) {
  if (2 * (o->used + 1) > o->cap) { /* at most half full */
    size_t cap = o->cap ? 2 * o->cap : 64;
    outlet_tally g = *o;
    g.cap = cap;
    g.keys = calloc(cap, sizeof *g.keys);
    g.vals = malloc(cap * sizeof *g.vals);
    if (!g.keys || !g.vals) {
      free(g.keys), free(g.vals);
      return FS_ERR_NOMEM;
    }
    for (size_t i = 0; i < o->cap; i++)
      if (o->keys[i]) {
        size_t j = cell_slot(&g, o->keys[i]);
        g.keys[j] = o->keys[i];
        g.vals[j] = o->vals[i];
      }
    free(o->keys), free(o->vals);
    *o = g;
  }
  size_t i = cell_slot(o, key);
  if (!o->keys[i]) {
    o->keys[i] = key;
    o->vals[i] = 0;
    o->used++;
  }
  o->vals[i] += 1;
  return FS_OK;
}

/* Counts one (actor, relation, category) event and the words behind it. */
static int count(fs_actors_tally *t, uint32_t o, uint32_t actor, int rel,
                 const fs_match *mt, const fs_doc *d) {
  if (cell_add(&t->outlets[o], cell_key(t, actor, rel, mt->category)))
    return FS_ERR_NOMEM;
  char key[600], text[400];
  const fs_tok *a = &d->tokens[mt->tok_start],
                 *b = &d->tokens[mt->tok_end - 1];
  fs_text_clean(text, sizeof text, d->text + a->byte_start,
                b->byte_end - a->byte_start);
  for (char *p = text; *p; p++) /* ASCII lowercase is enough for a listing */
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p - 'A' + 'a');
  int n = snprintf(key, sizeof key, "%u\x1f%u\x1f%d\x1f%u\x1f%s", o, actor, rel,
                   mt->category, text);
  size_t before = t->keys.count;
  uint32_t id = fs_intern_add(
      &t->keys, key, (size_t)n < sizeof key ? (size_t)n : sizeof key - 1);
  if (id == FS_NONE ||
      fs_grow(&t->rows, &t->rows_cap, t->keys.count, sizeof *t->rows))
    return FS_ERR_NOMEM;
  if (t->keys.count != before)
    t->rows[id] = (surface_row){o, actor, (uint32_t)rel, mt->category, 0};
  t->rows[id].count++;
  return FS_OK;
}

void fs_render_actor_matches_header(FILE *out) {
  fputs("file,outlet,line,col,char_start,char_end,sentence,voice,category,"
        "verb,actor,side,resolution,actor_line,actor_col,actor_text\n",
        out);
}

static const char *how_name(int how) {
  static const char *const names[] = {"none", "left", "right", "pronoun"};
  return names[how];
}

static void csv_s(FILE *out, const char *s) { fs_csv_field(out, s, strlen(s)); }

static void match_row(FILE *out, const fs_actors_tally *t, const char *path,
                      const char *outlet, const fs_doc *d, const fs_mention *m,
                      const fs_attribution *at) {
  const fs_match *mt = &d->matches[at->match];
  const fs_tok *a = &d->tokens[mt->tok_start],
                 *b = &d->tokens[mt->tok_end - 1];
  csv_s(out, path);
  fputc(',', out);
  csv_s(out, outlet);
  fprintf(out, ",%u,%u,%u,%zu,%u,%s,", fs_tok_line(d, mt->tok_start),
          fs_tok_col(d, mt->tok_start), a->char_start, fs_tok_char_end(d, b),
          a->sentence + 1, fs_voice_name(mt->voice));
  csv_s(out, t->lex->cats[mt->category].name);
  fputc(',', out);
  fs_csv_field(out, d->text + a->byte_start, b->byte_end - a->byte_start);
  fputc(',', out);
  if (at->actor == FS_NONE) {
    fprintf(out, ",,%s,,,\n", how_name(at->how));
    return;
  }
  const fs_actor *ac = &t->a->actors[at->actor];
  csv_s(out, ac->id);
  fputc(',', out);
  csv_s(out, ac->side);
  const fs_mention *mn = &m[at->mention];
  const fs_tok *x = &d->tokens[mn->tok_start],
                 *y = &d->tokens[mn->tok_end - 1];
  fprintf(out, ",%s,%u,%u,", how_name(at->how), fs_tok_line(d, mn->tok_start),
          fs_tok_col(d, mn->tok_start));
  fs_csv_field(out, d->text + x->byte_start, y->byte_end - x->byte_start);
  fputc('\n', out);
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

/* Labels and loaded words in sentences that mention an actor. seen (all
 * false, [nact]) and list ([nm]) are scratch space: a sentence costs its
 * mentions, not the number of actors. */
static int cooccurrences(fs_actors_tally *t, uint32_t o, const fs_doc *d,
                         const fs_mention *m, size_t nm, bool *seen,
                         uint32_t *list) {
  size_t mi = 0, k = 0, nc = t->lex->ncats;
  outlet_tally *ot = &t->outlets[o];
  while (mi < nm) {
    uint32_t sent = d->tokens[m[mi].tok_start].sentence;
    size_t nl = 0;
    for (; mi < nm && d->tokens[m[mi].tok_start].sentence == sent; mi++)
      if (!seen[m[mi].actor]) {
        seen[m[mi].actor] = true;
        list[nl++] = m[mi].actor;
      }
    /* in actor order, as the dense scan counted them */
    qsort(list, nl, sizeof *list, cmp_u32);
    for (size_t i = 0; i < nl; i++) {
      seen[list[i]] = false;
      ot->base[(size_t)list[i] * FS_RELATIONS + FS_REL_COOCCURRENCE] += 1;
    }
    while (k < d->nmatches &&
           d->tokens[d->matches[k].tok_start].sentence < sent)
      k++;
    for (;
         k < d->nmatches && d->tokens[d->matches[k].tok_start].sentence == sent;
         k++) {
      const fs_match *mt = &d->matches[k];
      if (mt->category >= nc ||
          !t->rel_cat[FS_REL_COOCCURRENCE][mt->category] ||
          (t->voice != FS_VOICES && t->voice != mt->voice))
        continue;
      for (size_t i = 0; i < nl; i++)
        if (count(t, o, list[i], FS_REL_COOCCURRENCE, mt, d))
          return FS_ERR_NOMEM;
    }
  }
  return FS_OK;
}

int fs_actors_tally_add(fs_actors_tally *t, const char *path,
                        const char *outlet, const fs_doc *d, FILE *matches) {
  long o = outlet_index(t, outlet && *outlet ? outlet : "(none)");
  if (o < 0)
    return FS_ERR_NOMEM;
  fs_mention *m;
  fs_attribution *at;
  size_t nm, na;
  if (fs_actors_resolve(t->a, t->lex, d, t->voice, &m, &nm, &at, &na))
    return FS_ERR_NOMEM;
  outlet_tally *ot = &t->outlets[o];
  ot->docs++;
  const fs_doc_stats *st = fs_doc_stats_get(d);
  for (int v = 0; v < FS_VOICES; v++)
    if (t->voice == FS_VOICES || t->voice == v)
      ot->words += (double)st->words[v];
  int rc = FS_OK;
  for (size_t i = 0; i < na && rc == FS_OK; i++) {
    uint32_t ac = at[i].actor == FS_NONE ? (uint32_t)t->a->n : at[i].actor;
    ot->base[ac * FS_RELATIONS + FS_REL_ATTRIBUTION] += 1;
    rc = count(t, (uint32_t)o, ac, FS_REL_ATTRIBUTION, &d->matches[at[i].match],
               d);
    if (matches)
      match_row(matches, t, path, t->outlets[o].name, d, m, &at[i]);
  }
  bool *seen = calloc(t->nact, sizeof *seen);
  uint32_t *list = malloc((nm + 1) * sizeof *list);
  if (rc == FS_OK)
    rc = seen && list ? cooccurrences(t, (uint32_t)o, d, m, nm, seen, list)
                      : FS_ERR_NOMEM;
  free(seen), free(list);
  free(m);
  free(at);
  return rc;
}

/* ---- rendering ----------------------------------------------------------- */

static const char *actor_id(const fs_actors_tally *t, size_t ac) {
  return ac == t->a->n ? UNRESOLVED : t->a->actors[ac].id;
}

static const char *actor_side(const fs_actors_tally *t, size_t ac) {
  return ac == t->a->n ? "" : t->a->actors[ac].side;
}

/* Distinct sides, in order of first appearance in the actors file. */
static size_t sides(const fs_actors_tally *t, const char **out) {
  size_t n = 0;
  for (size_t i = 0; i < t->a->n; i++) {
    size_t j = 0;
    while (j < n && strcmp(out[j], t->a->actors[i].side))
      j++;
    if (j == n)
      out[n++] = t->a->actors[i].side;
  }
  return n;
}

static const char *const rel_names[FS_RELATIONS] = {"attribution",
                                                    "cooccurrence"};

static void num4(FILE *out, double x) {
  if (isfinite(x))
    fprintf(out, "%.4f", x);
  else
    fputs("NA", out);
}

/* One tidy row (csv or jsonl). */
static void tidy_row(FILE *out, bool json, const char *outlet,
                     const char *level, const char *actor, const char *side,
                     int rel, const char *cat, double count, double base,
                     double words) {
  double share = base > 0 ? count / base : NAN;
  double per_1k = words > 0 ? 1000.0 * count / words : NAN;
  if (json) {
    fputs("{\"outlet\":", out);
    fs_json_string(out, outlet, strlen(outlet));
    fprintf(out, ",\"level\":\"%s\",\"actor\":", level);
    fs_json_string(out, actor, strlen(actor));
    fputs(",\"side\":", out);
    fs_json_string(out, side, strlen(side));
    fprintf(out, ",\"relation\":\"%s\",\"category\":", rel_names[rel]);
    fs_json_string(out, cat, strlen(cat));
    fprintf(out, ",\"count\":%.0f,\"base\":%.0f,\"share\":", count, base);
    if (isfinite(share))
      num4(out, share);
    else
      fputs("null", out);
    fputs(",\"per_1k\":", out);
    if (isfinite(per_1k))
      num4(out, per_1k);
    else
      fputs("null", out);
    fputs("}\n", out);
    return;
  }
  csv_s(out, outlet);
  fprintf(out, ",%s,", level);
  csv_s(out, actor);
  fputc(',', out);
  csv_s(out, side);
  fprintf(out, ",%s,", rel_names[rel]);
  csv_s(out, cat);
  fprintf(out, ",%.0f,%.0f,", count, base);
  num4(out, share);
  fputc(',', out);
  num4(out, per_1k);
  fputc('\n', out);
}

static void render_tidy(FILE *out, const fs_actors_tally *t, bool json) {
  const fs_lexicon *lex = t->lex;
  const char **side = malloc((t->a->n ? t->a->n : 1) * sizeof *side);
  size_t ns = side ? sides(t, side) : 0;
  if (!json)
    fputs("outlet,level,actor,side,relation,category,count,base,share,"
          "per_1k\n",
          out);
  for (size_t o = 0; o < t->noutlets; o++) {
    const outlet_tally *ot = &t->outlets[o];
    for (int rel = 0; rel < FS_RELATIONS; rel++) {
      for (size_t ac = 0; ac < t->nact; ac++) {
        double base = ot->base[ac * FS_RELATIONS + (size_t)rel];
        if (base <= 0)
          continue;
        for (size_t i = 0; i < t->nshown[rel]; i++) {
          uint32_t c = t->shown[rel][i];
          tidy_row(out, json, ot->name, "actor", actor_id(t, ac),
                   actor_side(t, ac), rel, lex->cats[c].name,
                   cell(ot, cell_key(t, ac, rel, c)), base, ot->words);
        }
      }
      for (size_t s = 0; s < ns; s++) {
        double base = 0;
        for (size_t ac = 0; ac < t->a->n; ac++)
          if (!strcmp(t->a->actors[ac].side, side[s]))
            base += ot->base[ac * FS_RELATIONS + (size_t)rel];
        if (base <= 0)
          continue;
        for (size_t i = 0; i < t->nshown[rel]; i++) {
          uint32_t c = t->shown[rel][i];
          double n = 0;
          for (size_t ac = 0; ac < t->a->n; ac++)
            if (!strcmp(t->a->actors[ac].side, side[s]))
              n += cell(ot, cell_key(t, ac, rel, c));
          tidy_row(out, json, ot->name, "side", "", side[s], rel,
                   lex->cats[c].name, n, base, ot->words);
        }
      }
    }
  }
  free(side);
}

/* "raved 2, claimed 1" for one cell, most frequent first. */
static void surfaces(FILE *out, const fs_actors_tally *t, uint32_t o,
                     uint32_t ac, int rel, uint32_t cat) {
  size_t n = t->keys.count, shown = 0;
  bool *done = calloc(n ? n : 1, sizeof *done);
  if (!done)
    return;
  for (;;) {
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
      const surface_row *r = &t->rows[i];
      if (done[i] || r->outlet != o || r->actor != ac ||
          r->rel != (uint32_t)rel || r->cat != cat)
        continue;
      if (best == SIZE_MAX || r->count > t->rows[best].count)
        best = i;
    }
    if (best == SIZE_MAX)
      break;
    done[best] = true;
    const char *key = fs_intern_str(&t->keys, (uint32_t)best);
    const char *text = strrchr(key, '\x1f') + 1;
    fprintf(out, "%s%s %zu", shown++ ? ", " : "", text, t->rows[best].count);
  }
  free(done);
}

static const char *short_cat(const char *name) {
  const char *dot = strchr(name, '.');
  return dot ? dot + 1 : name;
}

static void render_text(FILE *out, const fs_actors_tally *t) {
  const fs_lexicon *lex = t->lex;
  size_t docs = 0;
  for (size_t o = 0; o < t->noutlets; o++)
    docs += t->outlets[o].docs;
  const char *vname = t->voice == FS_VOICES ? "all" : fs_voice_name(t->voice);
  fprintf(out,
          "framescore actors: %zu documents from %zu outlets; %zu actors "
          "(%s); voice: %s\n",
          docs, t->noutlets, t->a->n, t->a->name, vname);
  for (size_t o = 0; o < t->noutlets; o++) {
    const outlet_tally *ot = &t->outlets[o];
    fprintf(out, "\n== %s: %zu document%s, %.0f %s words\n", ot->name, ot->docs,
            ot->docs == 1 ? "" : "s", ot->words,
            t->voice == FS_VOICES ? "" : vname);
    for (int rel = 0; rel < FS_RELATIONS; rel++) {
      fputs(rel == FS_REL_ATTRIBUTION
                ? "  Who is said to have spoken, and how (attribution verbs):\n"
                : "  Labels and loaded words in sentences that mention the "
                  "actor:\n",
            out);
      bool any = false;
      for (size_t ac = 0; ac < t->nact; ac++) {
        double base = ot->base[ac * FS_RELATIONS + (size_t)rel];
        if (base <= 0)
          continue;
        const uint32_t *sc = t->shown[rel];
        size_t ns = t->nshown[rel];
        double total = 0;
        for (size_t i = 0; i < ns; i++)
          total += cell(ot, cell_key(t, ac, rel, sc[i]));
        if (rel == FS_REL_COOCCURRENCE && total == 0)
          continue;
        any = true;
        char who[160];
        snprintf(who, sizeof who, "%s%s%s%s", actor_id(t, ac),
                 ac < t->a->n ? " [" : "", actor_side(t, ac),
                 ac < t->a->n ? "]" : "");
        if (rel == FS_REL_ATTRIBUTION)
          fprintf(out, "    %-28s %3.0f:", who, base);
        else
          fprintf(out, "    %-28s %3.0f sentence%s:", who, base,
                  base == 1 ? "" : "s");
        bool first = true;
        for (size_t i = 0; i < ns; i++) {
          uint32_t c = sc[i];
          double n = cell(ot, cell_key(t, ac, rel, c));
          if (n == 0)
            continue;
          fprintf(out, "%s %s %.0f", first ? "" : ",",
                  rel == FS_REL_ATTRIBUTION ? short_cat(lex->cats[c].name)
                                            : lex->cats[c].name,
                  n);
          if (rel == FS_REL_ATTRIBUTION)
            fprintf(out, " (%.0f%%)", 100.0 * n / base);
          first = false;
        }
        fputc('\n', out);
        for (size_t i = 0; i < ns; i++) {
          uint32_t c = sc[i];
          if (cell(ot, cell_key(t, ac, rel, c)) == 0)
            continue;
          fprintf(out, "        %-22s ", short_cat(lex->cats[c].name));
          surfaces(out, t, (uint32_t)o, (uint32_t)ac, rel, (uint32_t)c);
          fputc('\n', out);
        }
      }
      if (!any)
        fputs("    (none)\n", out);
    }
  }
  fputs(
      "\nSpeakers: the nearest actor before the verb in its sentence (\"Kirby "
      "claimed\"), after it\nwhen a quotation ends right before the verb "
      "(\"...,\" said Kirby), or for he/she/they\nthe last person (group) "
      "mentioned. Per-side totals and rates: --format csv or jsonl.\n",
      out);
}

int fs_render_actors(FILE *out, const fs_actors_tally *t, const char *format) {
  if (!strcmp(format, "csv"))
    render_tidy(out, t, false);
  else if (!strcmp(format, "jsonl"))
    render_tidy(out, t, true);
  else
    render_text(out, t);
  return FS_OK;
}
