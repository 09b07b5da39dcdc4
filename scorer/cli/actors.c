/* SPDX-License-Identifier: GPL-3.0-or-later */
/* actors.c - `framescore actors`: per outlet, who is described as saying,
 * claiming or raving, and which labels share a sentence with each actor. */
#include "actors.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const help =
    "Usage: framescore actors --actors FILE [OPTIONS] (--manifest FILE.csv | "
    "DIR | FILE...)\n"
    "\n"
    "Framing toward actors. The actors file (TAB-separated: pattern, actor,\n"
    "side[, person|group]; see models/README.md) names the people and groups\n"
    "of a study. For every attribution verb (lexicon family attribution) the\n"
    "speaker is the nearest actor mention before it in its sentence (\"Kirby\n"
    "claimed\"), or after it when a quotation ends right before the verb\n"
    "(\"...,\" said Kirby); he/she resolves to the last person mentioned, "
    "they\n"
    "to the last group. Per outlet: attributions per actor and side and\n"
    "stance (neutral, doubt, pejorative, ...), and the labels and loaded\n"
    "words in sentences that mention each actor.\n"
    "\n"
    "Options:\n"
    "  --actors FILE            the study's actors (required)\n"
    "  --format text|csv|jsonl  csv/jsonl: one row per outlet x actor (or "
    "side)\n"
    "                           x relation x category: count, base, share, "
    "per_1k\n"
    "  -o, --output FILE        write there (atomically)\n"
    "  --matches FILE.csv       also write one row per attribution and "
    "speaker\n"
    "  --voice author|quote|all whose verbs count (default author: the\n"
    "                           outlet's own voice)\n"
    "  --manifest FILE.csv, --outlet-from REGEX\n"
    "  --threads N              analyse on N threads (default: all cores)\n"
    "  --lexicon PATH, --no-default-lexicons, --lang LANG, --max-file-size N\n"
    "  --exclude PATTERN        switch off the lexicon entries written\n"
    "                           PATTERN (repeatable)\n"
    "  --quiet\n"
    "  --progress               the progress line on stderr even when it\n"
    "                           is not a terminal\n"
    "  --excel-safe             csv: a text cell starting with = + - @ gets a\n"
    "                           ' first, so spreadsheets do not run it\n"
    "  -h, --help\n";

typedef struct actors_run {
  fs_actors_tally *tally;
  FILE *matches;
} actors_run;

static int add_doc(void *user, const fs_corpus_doc *cd, char *text,
                   fs_doc *doc) {
  actors_run *r = user;
  int rc = fs_actors_tally_add(r->tally, cd->path, cd->outlet, doc, r->matches);
  fs_doc_free(doc);
  free(text);
  if (rc)
    cli_error("out of memory");
  return rc;
}

int cli_actors(int argc, char **argv) {
  cli_opts o;
  int rc = cli_parse(&o, CLI_ACTORS, "actors", help, argc, argv);
  if (rc)
    return rc < 0 ? 0 : rc;
  if (!o.actors) {
    cli_error("actors needs --actors FILE (pattern<TAB>actor<TAB>side)\n"
              "Try 'framescore actors --help'.");
    return FS_ERR_USAGE;
  }
  cli_session ss;
  int setup = cli_begin(&o, true, &ss);
  fs_lexicon *lex = ss.lex;
  fs_actors *actors = ss.actors;
  fs_actors_tally *tally = NULL;
  cli_out out = {0}, mout = {0};
  rc = setup ? setup : FS_ERR_INPUT;
  if (setup)
    goto done;
  if (fs_actors_bind(actors, lex) ||
      !(tally = fs_actors_tally_new(actors, lex, cli_voice(o.voice)))) {
    cli_error("out of memory");
    goto done;
  }
  if (o.matches && (cli_out_open(&mout, o.matches) ||
                    cli_out_filter(&mout, &o, CLI_OUT_CSV)))
    goto done;
  if (o.matches)
    fs_render_actor_matches_header(mout.f);
  actors_run run = {tally, o.matches ? mout.f : NULL};
  if ((rc = cli_each_doc(&o, &ss.corpus, ss.ctx, add_doc, &run, &ss.failed))) {
    rc = FS_ERR_INPUT;
    goto done;
  }
  if (cli_out_open(&out, o.output) ||
      cli_out_filter(&out, &o, CLI_OUT_KIND(&o))) {
    rc = FS_ERR_INPUT;
    goto done;
  }
  fs_render_actors(out.f, tally, o.format);
  rc = ss.failed ? FS_ERR_INPUT : FS_OK;
  if (o.matches && cli_out_commit(&mout))
    rc = FS_ERR_INPUT;
  if (cli_out_commit(&out))
    rc = FS_ERR_INPUT;
done:
  cli_out_abort(&out);
  cli_out_abort(&mout);
  fs_actors_tally_free(tally);
  cli_end(&ss);
  return rc;
}
