/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_actors.c - actors files (errors with file:line:col) and who an
 * attribution verb is about, on sentences written for the test: "Kirby
 * claimed", "..., said Kirby", "he raved", possessives, coordinated verbs,
 * noun-phrase heads; and the per-outlet tally. */
#include "actors.h"
#include "harness.h"

#include <gsl/gsl_errno.h>
#include <stdlib.h>

static const char *const lexicon =
    "=said\tattribution.neutral\t0\n"
    "=told\tattribution.neutral\t0\n"
    "=claimed\tattribution.doubt\t1\n"
    "=raved\tattribution.pejorative\t2\n"
    "=whined\tattribution.pejorative\t2\n"
    "=warned\tattribution.neutral\t0\n"
    "grudgingly admitted\tattribution.concession\t1\n"
    "regime\tlabel.pejorative\t1\n";

static const char *const actors_tsv =
    "# test actors\n"
    "Kirby\tkirby\tus\the\n"
    "John Kirby\tkirby\tus\n"
    "Miller\tmiller\tus\the\n"
    "Zakharova\tzakharova\tru\tshe\n"
    "Petrov\tpetrov\tru\tperson\n"
    "White House\twhite_house\tus\tgroup\n"
    "==Kremlin\tkremlin\tru\tgroup\n"
    "commission\tcommission\tneutral\tgroup\n";

typedef struct fixture {
  fs_lexicon *lex;
  fs_actors *a;
  fs_ctx *ctx;
} fixture;

static fixture setup(void) {
  fixture f = {0};
  fs_error err = {0};
  f.lex = fs_lexicon_new("english", &err);
  fs_lexicon_load_buffer(f.lex, "t.tsv", lexicon, strlen(lexicon), &err);
  f.a = fs_actors_load(f.lex, "t.actors", actors_tsv, strlen(actors_tsv), &err);
  OK(f.a != NULL, "%s", err.msg);
  f.ctx = fs_ctx_new(f.lex, &err);
  INT_EQ(fs_actors_bind(f.a, f.lex), FS_OK);
  return f;
}

static void teardown(fixture *f) {
  fs_ctx_free(f->ctx);
  fs_actors_free(f->a);
  fs_lexicon_free(f->lex);
}

/* The speakers of the attributions in text, as "verb=actor/how" joined by
 * spaces (actor "-" when unresolved). */
static void speakers(fixture *f, const char *text, char *out, size_t cap) {
  static const char *const how[] = {"none", "left", "right", "pronoun"};
  fs_error err = {0};
  fs_doc *d = fs_doc_analyze(f->ctx, text, strlen(text), &err);
  fs_mention *m;
  fs_attribution *at;
  size_t nm, na;
  INT_EQ(fs_actors_resolve(f->a, f->lex, d, FS_VOICE_AUTHOR, &m, &nm, &at, &na),
         FS_OK);
  size_t len;
  const char *s = fs_doc_text(d, &len);
  size_t ntok;
  const fs_token *tok = fs_doc_tokens(d, &ntok);
  size_t nmatch;
  const fs_match *mt = fs_doc_matches(d, &nmatch);
  out[0] = '\0';
  for (size_t i = 0; i < na; i++) {
    const fs_match *x = &mt[at[i].match];
    const fs_token *t = &tok[x->tok_end - 1];
    snprintf(out + strlen(out), cap - strlen(out), "%s%.*s=%s/%s", i ? " " : "",
             (int)(t->byte_end - tok[x->tok_start].byte_start),
             s + tok[x->tok_start].byte_start,
             at[i].actor == FS_NONE ? "-"
                                    : fs_actors_get(f->a, at[i].actor)->id,
             how[at[i].how]);
  }
  free(m);
  free(at);
  fs_doc_free(d);
}

#define SPEAKERS(text, want)                                                   \
  do {                                                                         \
    char got_[512];                                                            \
    speakers(&f, text, got_, sizeof got_);                                     \
    STR_EQ(got_, want);                                                        \
  } while (0)

static void test_resolution(void) {
  fixture f = setup();
  /* the nearest actor before the verb */
  SPEAKERS("Kirby claimed that the warning was clear.", "claimed=kirby/left");
  SPEAKERS("National Security Council spokesman John Kirby told reporters "
           "on Monday.",
           "told=kirby/left");
  /* after the verb when a quotation ends right before it */
  SPEAKERS("\"We warned them,\" said Kirby.", "said=kirby/right");
  /* the head of the noun phrase after the verb */
  SPEAKERS("\"We warned them,\" said White House spokesman John Kirby.",
           "said=kirby/right");
  /* a possessive is not a speaker: the verb's subject is the commission */
  SPEAKERS("The commission warned about Kirby's plan.",
           "warned=commission/left");
  SPEAKERS("Kirby's aides claimed victory.", "claimed=-/none");
  /* pronouns: he is the last person mentioned, she skips "he" actors */
  SPEAKERS("Petrov met Kirby. \"Everyone knows it,\" he raved.",
           "raved=kirby/pronoun");
  SPEAKERS("Zakharova met Kirby. Later she said it was over.",
           "said=zakharova/pronoun");
  SPEAKERS("Kirby met Zakharova. He grudgingly admitted the error.",
           "grudgingly admitted=kirby/pronoun");
  /* they: the last group */
  SPEAKERS("The White House met Kirby. They said nothing.",
           "said=white_house/pronoun");
  /* "said he" */
  SPEAKERS("Miller arrived. \"It is over,\" said he.", "said=miller/pronoun");
  /* a coordinated verb shares the subject of the sentence's first verb */
  SPEAKERS("He met Petrov. He claimed the commission had warned Kirby, and "
           "whined about it.",
           "claimed=petrov/pronoun warned=commission/left "
           "whined=petrov/pronoun");
  /* an object of a preposition is not the subject when another actor is */
  SPEAKERS("Petrov, the envoy to the White House, said no.",
           "said=petrov/left");
  SPEAKERS("The envoy to the White House said no.", "said=white_house/left");
  /* nothing to find */
  SPEAKERS("A spokesman said the talks failed.", "said=-/none");
  /* case-sensitive patterns: "kremlin" in lowercase is not the actor */
  SPEAKERS("The Kremlin said no.", "said=kremlin/left");
  SPEAKERS("A kremlin watcher said no.", "said=-/none");
  /* verbs inside quotations are not the outlet's attributions */
  SPEAKERS("\"Kirby said so,\" Petrov told us.", "told=petrov/left");
  teardown(&f);
}

static void bad(const char *text, long line, long col, const char *msg) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  fs_actors *a = fs_actors_load(lex, "bad.actors", text, strlen(text), &err);
  OK(a == NULL, "accepted: %s", text);
  fs_actors_free(a);
  STR_EQ(err.file, "bad.actors");
  INT_EQ(err.line, line);
  INT_EQ(err.col, col);
  OK(strstr(err.msg, msg) != NULL, "'%s' lacks '%s'", err.msg, msg);
  fs_lexicon_free(lex);
}

static void test_errors(void) {
  bad("Kirby\n", 1, 6, "expected TAB and an actor id");
  bad("Kirby\tkirby\n", 1, 12, "expected TAB and a side");
  bad("# c\nKirby\tKirby\tus\n", 2, 7, "actor ids are lowercase");
  bad("Kirby\tkirby\t\n", 1, 13, "empty side");
  bad("Kirby\tkirby\tus\tman\n", 1, 16,
      "kind must be person, he, she or group");
  bad("Kirby\tkirby\tus\tperson\tx\n", 1, 23, "too many columns");
  bad("Kirby\tkirby\tus\nJohn Kirby\tkirby\tru\n", 2, 18,
      "actor 'kirby' is on side 'us' (line 1)");
  bad("Kirby\tkirby\tus\tgroup\nJ. Kirby\tkirby\tus\the\n", 2, 19,
      "actor 'kirby' has another kind");
  bad("# only comments\n\n", 0, 0, "no actors defined");
  /* a bad pattern is the lexicon's error, at the same place */
  bad("Kir*by\tkirby\tus\n", 1, 4, "");
}

static void test_tally(void) {
  fixture f = setup();
  fs_actors_tally *t = fs_actors_tally_new(f.a, f.lex, FS_VOICE_AUTHOR);
  const char *docs[][2] = {
      {"a", "Kirby claimed the regime lied. Kirby said so again."},
      {"a", "\"No,\" said Kirby. The regime of Petrov raved on."},
      {"b", "Petrov said the Kremlin was calm."}};
  fs_error err = {0};
  char *buf = NULL;
  size_t len = 0;
  FILE *mf = open_memstream(&buf, &len);
  for (int i = 0; i < 3; i++) {
    fs_doc *d = fs_doc_analyze(f.ctx, docs[i][1], strlen(docs[i][1]), &err);
    INT_EQ(fs_actors_tally_add(t, "x.txt", docs[i][0], d, mf), FS_OK);
    fs_doc_free(d);
  }
  fclose(mf);
  /* one row per attribution */
  int rows = 0;
  for (char *p = buf; (p = strchr(p, '\n')); p++)
    rows++;
  INT_EQ(rows, 5);
  OK(strstr(buf, ",a,1,7,6,13,1,author,attribution.doubt,claimed,kirby,us,"
                 "left,1,1,Kirby\n") != NULL,
     "%s", buf);
  free(buf);
  buf = NULL;
  mf = open_memstream(&buf, &len);
  fs_render_actors(mf, t, "csv");
  fclose(mf);
  /* kirby in a: 3 attributions (claimed, said, said): doubt 1 of 3 */
  OK(strstr(buf, "a,actor,kirby,us,attribution,attribution.doubt,1,3,"
                 "0.3333,") != NULL,
     "%s", buf);
  OK(strstr(buf, "a,actor,kirby,us,attribution,attribution.neutral,2,3,"
                 "0.6667,") != NULL,
     "kirby neutral");
  /* petrov raved (pejorative) in a; a regime label shares a sentence with
   * petrov in a and with kirby in a */
  OK(strstr(buf, "a,actor,petrov,ru,attribution,attribution.pejorative,1,1,"
                 "1.0000,") != NULL,
     "petrov raved");
  OK(strstr(buf, "a,actor,petrov,ru,cooccurrence,label.pejorative,1,1,") !=
         NULL,
     "petrov label");
  OK(strstr(buf, "a,actor,kirby,us,cooccurrence,label.pejorative,1,") != NULL,
     "kirby label");
  /* side totals: us in a = kirby's */
  OK(strstr(buf, "a,side,,us,attribution,attribution.doubt,1,3,") != NULL,
     "side row");
  OK(strstr(buf, "b,actor,petrov,ru,attribution,attribution.neutral,1,1,") !=
         NULL,
     "outlet b");
  free(buf);
  buf = NULL;
  mf = open_memstream(&buf, &len);
  fs_render_actors(mf, t, "text");
  fclose(mf);
  OK(strstr(buf, "== a: 2 documents") != NULL, "%s", buf);
  OK(strstr(buf, "raved 1") != NULL, "verbs listed");
  free(buf);
  fs_actors_tally_free(t);
  teardown(&f);
}

int main(void) {
  gsl_set_error_handler_off();
  test_resolution();
  test_errors();
  test_tally();
  DONE();
}
