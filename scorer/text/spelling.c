/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spelling.c - spelling variants that are one word for matching: the names
 * of Kyiv (Киев, Київ, Kiev, Kyiv) in either script. */
#include "internal.h"

#include <string.h>

/* A variant at the start of a folded word and the spelling it stands for;
 * `root` is the canonical stem of the bare name, which Snowball would cut
 * (russian stems "киев" to "ки", though "киева" to "киев"). */
typedef struct variant {
  const char *from, *to, *root;
} variant;

static const variant variants[] = {
    {"\xD0\xBA\xD0\xB8\xD1\x97\xD0\xB2", "\xD0\xBA\xD0\xB8\xD0\xB5\xD0\xB2",
     "\xD0\xBA\xD0\xB8\xD0\xB5\xD0\xB2"}, /* київ -> киев */
    {"\xD0\xBA\xD0\xB8\xD1\x94\xD0\xB2", "\xD0\xBA\xD0\xB8\xD0\xB5\xD0\xB2",
     "\xD0\xBA\xD0\xB8\xD0\xB5\xD0\xB2"}, /* києв -> киев */
    {"\xD0\xBA\xD0\xB8\xD0\xB5\xD0\xB2", "\xD0\xBA\xD0\xB8\xD0\xB5\xD0\xB2",
     "\xD0\xBA\xD0\xB8\xD0\xB5\xD0\xB2"}, /* киев itself: for its root */
    {"kiev", "kyiv", "kyiv"},
    {"kyiv", "kyiv", "kyiv"},
};

#define UKR_SK "\xD1\x81\xD1\x8C\xD0\xBA" /* Ukrainian adjective -ськ- */
#define RUS_SK "\xD1\x81\xD0\xBA"         /* Russian -ск- */
#define UKR_I "\xD1\x96"                  /* і */
#define RUS_I "\xD0\xB8"                  /* и */
#define RUS_E "\xD0\xB5"                  /* е */

static const variant *find(const char *form, size_t len) {
  for (size_t i = 0; i < sizeof variants / sizeof *variants; i++) {
    size_t n = strlen(variants[i].from);
    if (len >= n && !memcmp(form, variants[i].from, n))
      return &variants[i];
  }
  return NULL;
}

size_t fs_spelling_key(const char *form, size_t len, char *out, size_t cap) {
  const variant *v = find(form, len);
  size_t from = v ? strlen(v->from) : 0, to = v ? strlen(v->to) : 0;
  const char *rest = form + from;
  size_t rlen = len - from;
  const char *sk = NULL;
  if (v && rlen >= strlen(UKR_SK) && !memcmp(rest, UKR_SK, strlen(UKR_SK))) {
    sk = RUS_SK; /* київський -> киевский */
    rest += strlen(UKR_SK);
    rlen -= strlen(UKR_SK);
  }
  size_t sklen = sk ? strlen(sk) : 0;
  if (to + sklen + rlen + 1 > cap)
    return 0;
  memcpy(out, v ? v->to : "", to);
  memcpy(out + to, sk ? sk : "", sklen);
  size_t o = to + sklen;
  if (v && rlen == 2 && !memcmp(rest, UKR_I, 2)) {
    memcpy(out + o, RUS_E, 2); /* Києві -> Киеве */
    o += 2;
  } else {
    for (size_t i = 0; i < rlen; i++) {
      if (v && i + 1 < rlen && !memcmp(rest + i, UKR_I, 2)) {
        memcpy(out + o, RUS_I, 2); /* київські -> киевские */
        o += 2;
        i++;
      } else {
        out[o++] = rest[i];
      }
    }
  }
  out[o] = '\0';
  return o;
}

const char *fs_spelling_root(const char *key, size_t klen, const char *stem,
                             size_t slen) {
  const variant *v = find(key, klen);
  if (!v)
    return NULL;
  size_t n = strlen(v->root);
  return slen < n && !memcmp(stem, v->root, slen) ? v->root : NULL;
}
