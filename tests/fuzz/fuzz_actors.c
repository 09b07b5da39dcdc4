/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_actors.c - libFuzzer target: the actors file. A rejected file says
 * file:line; an accepted one adds its categories to a lexicon that still
 * builds a context, resolves the speakers of a sample's attributions and
 * renders its tallies in every format. */
#include "actors.h"
#include "fuzz_common.h"

static const char sample[] =
    "Kirby claimed the regime's nonsense was catastrophic, Putin said. "
    "\"It is clearly not true,\" he said. The Kremlin's spokesman insisted.";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fs_error err = {0};
  fs_lexicon *lex = fs_lexicon_new("english", &err);
  FUZZ_CHECK(lex);
  FUZZ_CHECK(fs_lexicon_load_buffer(lex, "fuzz.tsv", fuzz_lexicon_tsv,
                                    sizeof fuzz_lexicon_tsv - 1,
                                    &err) == FS_OK);
  size_t before = fs_lexicon_category_count(lex);
  fs_actors *a = fs_actors_load(lex, "a.tsv", (const char *)data, size, &err);
  if (!a) {
    FUZZ_CHECK(!strcmp(err.file, "a.tsv") && err.msg[0]);
    fs_lexicon_free(lex);
    return 0;
  }
  FUZZ_CHECK(fs_lexicon_category_count(lex) >= before);
  for (size_t i = 0; i < fs_actors_count(a); i++) {
    const fs_actor *ac = fs_actors_get(a, i);
    FUZZ_CHECK(ac && ac->id && ac->id[0] && ac->side && ac->line >= 1);
  }
  fs_ctx *ctx = fs_ctx_new(lex, &err);
  FUZZ_CHECK(ctx);
  FUZZ_CHECK(fs_actors_bind(a, lex) == FS_OK);
  fs_doc *doc = fs_doc_analyze(ctx, sample, sizeof sample - 1, &err);
  FUZZ_CHECK(doc);
  fuzz_check_doc(ctx, doc, sizeof sample - 1);
  fs_mention *m = NULL;
  fs_attribution *at = NULL;
  size_t nm = 0, na = 0;
  FUZZ_CHECK(fs_actors_resolve(a, lex, doc, FS_VOICES, &m, &nm, &at, &na) ==
             FS_OK);
  for (size_t i = 0; i < nm; i++)
    FUZZ_CHECK(m[i].actor < fs_actors_count(a) &&
               m[i].tok_start < m[i].tok_end);
  for (size_t i = 0; i < na; i++)
    FUZZ_CHECK(at[i].actor == FS_NONE || at[i].actor < fs_actors_count(a));
  free(m), free(at);
  fs_actors_tally *t = fs_actors_tally_new(a, lex, FS_VOICES);
  FUZZ_CHECK(t);
  char *buf = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&buf, &n);
  FUZZ_CHECK(f);
  FUZZ_CHECK(fs_actors_tally_add(t, "a.txt", "outlet", doc, f) == FS_OK);
  FUZZ_CHECK(fs_actors_tally_add(t, "b.txt", "other", doc, f) == FS_OK);
  const char *formats[3] = {"text", "csv", "jsonl"};
  for (int i = 0; i < 3; i++)
    FUZZ_CHECK(fs_render_actors(f, t, formats[i]) == FS_OK);
  fclose(f);
  free(buf);
  fs_actors_tally_free(t);
  fs_doc_free(doc);
  fs_ctx_free(ctx);
  fs_actors_free(a);
  fs_lexicon_free(lex);
  return 0;
}
