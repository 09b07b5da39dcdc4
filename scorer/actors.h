/* SPDX-License-Identifier: GPL-3.0-or-later */
/* actors.h - framing toward actors: an actors file (pattern -> actor -> side)
 * defined by a study; who each attribution verb is about ("Kirby claimed",
 * "he raved"), and which labels and loaded words share a sentence with an
 * actor, tallied per outlet. */
#ifndef FS_ACTORS_H
#define FS_ACTORS_H

#include "framescore.h"

#include <stdbool.h>

enum { FS_ACTOR_PERSON, FS_ACTOR_GROUP };

/* How the speaker of an attribution was found. */
enum {
  FS_RESOLVE_NONE,   /* no actor in the sentence, no pronoun antecedent */
  FS_RESOLVE_LEFT,   /* nearest actor before the verb: "Kirby claimed" */
  FS_RESOLVE_RIGHT,  /* after the verb: "..., said Kirby" */
  FS_RESOLVE_PRONOUN /* "he raved": the last person (or group) mentioned */
};

enum { FS_REL_ATTRIBUTION, FS_REL_COOCCURRENCE, FS_RELATIONS };

typedef struct fs_actor {
  char *id;     /* [a-z0-9_]+ */
  char *side;   /* the study's group: "us", "russia", ... */
  int kind;     /* FS_ACTOR_* */
  char pronoun; /* person: 'h' (he), 's' (she) or 0 (either) */
  long line;    /* first line that named it */
} fs_actor;

/* One actor mention found in a document. */
typedef struct fs_mention {
  uint32_t tok_start, tok_end;
  uint32_t actor;
  bool possessive; /* "Kirby's": a modifier, not a speaker */
} fs_mention;

/* One attribution verb with its resolved speaker. */
typedef struct fs_attribution {
  uint32_t match;   /* index into the document's matches */
  uint32_t actor;   /* actor index, or FS_NONE */
  uint32_t mention; /* index into the mentions, or FS_NONE */
  int how;          /* FS_RESOLVE_* */
} fs_attribution;

typedef struct fs_actors fs_actors;

/** Parses an actors file (TAB-separated: pattern, actor, side[, kind] with
 * kind person, he, she or group; see models/README.md) and adds its patterns to
 * `lex` as the categories actor.<id> (family "actor"), before the lexicon is
 * used by a context. Returns the actors, or NULL with err = name:line:col:
 * message. Free with fs_actors_free(). */
fs_actors *fs_actors_load(fs_lexicon *lex, const char *name, const char *data,
                          size_t len, fs_error *err);
void fs_actors_free(fs_actors *a);

/** Maps the (frozen) lexicon's actor categories to actors; call after
 * fs_ctx_new(). Returns FS_OK or FS_ERR_NOMEM. */
int fs_actors_bind(fs_actors *a, const fs_lexicon *lex);

size_t fs_actors_count(const fs_actors *a);
const fs_actor *fs_actors_get(const fs_actors *a, size_t i);

/** Finds actor mentions and resolves the speaker of every attribution match
 * of the voices `voice` (FS_VOICE_AUTHOR, FS_VOICE_QUOTE or FS_VOICES) in a
 * document analysed with `lex` (by any context). Fills *mentions / *attrs
 * (arrays the caller frees with free()). Returns FS_OK or FS_ERR_NOMEM.
 * Thread-safe. */
int fs_actors_resolve(const fs_actors *a, const fs_lexicon *lex,
                      const fs_doc *d, int voice, fs_mention **mentions,
                      size_t *nmentions, fs_attribution **attrs,
                      size_t *nattrs);

/* ---- per-outlet tallies -------------------------------------------------- */

typedef struct fs_actors_tally fs_actors_tally;

/** A tally of attributions and co-occurrences per outlet and actor for the
 * voices `voice`. NULL when out of memory. */
fs_actors_tally *fs_actors_tally_new(const fs_actors *a, const fs_lexicon *lex,
                                     int voice);
void fs_actors_tally_free(fs_actors_tally *t);
/** Adds one document of `outlet`; when `matches` is not NULL, writes one CSV
 * row per attribution to it (see fs_render_actor_matches_header()). */
int fs_actors_tally_add(fs_actors_tally *t, const char *path,
                        const char *outlet, const fs_doc *d, FILE *matches);

void fs_render_actor_matches_header(FILE *out);
/** Writes the tally: text (per outlet: who is said to say, claim, rave...),
 * csv (one row per outlet x actor-or-side x relation x category) or jsonl. */
int fs_render_actors(FILE *out, const fs_actors_tally *t, const char *format);

#endif
