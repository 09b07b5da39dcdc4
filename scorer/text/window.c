/* SPDX-License-Identifier: GPL-3.0-or-later */
/* window.c - one long document, file descriptor -> windows cut at clean
 * paragraph breaks -> per-window analyses summed into the document's
 * totals, so that a document of any size is read in bounded memory and
 * scored exactly as when it is read whole. */
#include "window.h"
#include "internal.h"
#include "utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define READ_CHUNK ((size_t)1 << 20)
/* One read() reads at most this much: a window is cut soon after its
 * target is reached, and what was read past the cut is moved to the front
 * of the buffer (consume), so reads of a megabyte or more moved about a
 * window's bytes a window (6% of the CPU time of 4 MB documents). */
#define READ_PIECE ((size_t)64 << 10)
/* The first pass (the hard-wrap counts) looks at windows of at most this
 * much, which are still in the cache when they are counted. */
#define SNIFF_TARGET ((size_t)256 << 10)

/* ---- cuts ------------------------------------------------------------------
 * A cut is clean where the tokenizer carries nothing across it but numbers.
 * It is right after a newline that breaks a paragraph: a blank line ("\n\n"
 * or "\n\r\n", a break whether or not the text is hard-wrapped), or, in
 * text that is not hard-wrapped (each line a paragraph), any newline. The
 * paragraph after it does not open with a quotation mark (which would
 * continue a quotation open before the break; any other quotation ends
 * there), a byte-order mark or a NUL. And no look-ahead for a closing single
 * quote crosses it: such a scan stops at a blank line, or after
 * FS_SINGLE_LOOKAHEAD bytes from a ' that may open a quotation (one after a
 * space or punctuation). Sentences, negation and phrases never cross a
 * paragraph break. */

typedef enum { CUT_NO, CUT_YES, CUT_MORE } cut_answer;

static bool ascii_space(unsigned char b) {
  return b == ' ' || (b >= 9 && b <= 13);
}

static bool ascii_alnum(unsigned char b) {
  return (b >= '0' && b <= '9') || ((b | 0x20) >= 'a' && (b | 0x20) <= 'z');
}

/* Would the tokenizer's look-ahead for a closing single quote (tokenize.c:
 * single_closes_ahead) run from before p to past it? It starts after a '
 * that may open a quotation (after a space or punctuation, before a
 * letter) and stops at the first closing ' or ’ (after a non-space, before
 * a non-letter) or blank line, or FS_SINGLE_LOOKAHEAD bytes on. Scans that
 * start earlier stop no later than one from the last such '. */
static bool lookahead_crosses(const unsigned char *s, size_t p) {
  size_t lo = p > FS_SINGLE_LOOKAHEAD + 8 ? p - FS_SINGLE_LOOKAHEAD - 8 : 0;
  size_t x = p;
  while (x > lo) {
    x--;
    if (s[x] == '\'' && (x == 0 || !ascii_alnum(s[x - 1])) &&
        x + 1 < p && (ascii_alnum(s[x + 1]) || s[x + 1] >= 0x80))
      break;
    if (x == lo)
      return false; /* no opener near */
  }
  if (x == p)
    return false;
  uint32_t prev = 'x';
  for (size_t i = x + 1; i < p;) {
    int bad = 0;
    uint32_t cp = fs_utf8_next(s, p, &i, &bad);
    if (cp == '\n' && prev == '\n')
      return false;
    if ((cp == '\'' || cp == 0x2019) && !fs_is_space(prev)) {
      size_t j = i;
      uint32_t next = j < p ? fs_utf8_next(s, p, &j, &bad) : 0;
      if (!fs_is_alpha(next))
        return false; /* a closer: the scan stops before the cut */
    }
    if (cp != '\r')
      prev = cp;
  }
  return true;
}

/* Is p (with s[p - 1] == '\n') a clean cut of s[0..n)? eof: s ends the
 * document; wrap: FS_WRAP_YES or FS_WRAP_NO. */
static cut_answer clean_at(const unsigned char *s, size_t n, size_t p,
                           bool eof, int wrap) {
  bool blank = (p >= 2 && s[p - 2] == '\n') ||
               (p >= 3 && s[p - 2] == '\r' && s[p - 3] == '\n');
  if (!blank && (wrap == FS_WRAP_YES || lookahead_crosses(s, p)))
    return CUT_NO;
  size_t i = p;
  while (i < n && ascii_space(s[i]))
    i++;
  if (i == n)
    return eof ? CUT_YES : CUT_MORE; /* blank to the end: the end cuts */
  unsigned char b = s[i];
  if (b < 0x80) /* a NUL is a space to the tokenizer: not a clean start */
    return b && b != '"' && b != '\'' ? CUT_YES : CUT_NO;
  if (n - i < 4 && !eof)
    return CUT_MORE;
  int bad = 0;
  uint32_t cp = fs_utf8_next(s, n, &i, &bad);
  /* letters are neither spaces, quotation marks nor a byte-order mark */
  return !bad && fs_is_alpha(cp) ? CUT_YES : CUT_NO;
}

/* ---- reading ------------------------------------------------------------- */

/* Reads more of the file into the buffer (growing it when full). */
static int fill(fs_window_reader *r, fs_error *err) {
  if (r->len == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : r->target + READ_CHUNK;
    char *nb = realloc(r->buf, cap + 1);
    if (!nb)
      return fs_error_set(err, FS_ERR_NOMEM, r->path, 0, 0, "out of memory");
    r->buf = nb;
    r->cap = cap;
  }
  size_t want = r->cap - r->len;
  if (want > READ_PIECE)
    want = READ_PIECE;
  for (;;) {
    ssize_t got = read(r->fd, r->buf + r->len, want);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0)
      return fs_error_set(err, FS_ERR_INPUT, r->path, 0, 0, "read error: %s",
                          strerror(errno));
    if (got == 0)
      r->eof = true;
    r->len += (size_t)got;
    r->read += (size_t)got;
    if (r->read > r->max)
      return fs_error_set(err, FS_ERR_INPUT, r->path, 0, 0,
                          "larger than %s (%zu bytes)", r->limit, r->max);
    return FS_OK;
  }
}

/* Sets r->wlen to the length of the next window at the start of the
 * buffer: up to the first clean cut (any: the first newline) at or past the
 * target, or the rest. */
static int next_window(fs_window_reader *r, bool any, fs_error *err) {
  size_t from = r->target ? r->target : 1; /* cuts p >= from are looked at */
  for (;;) {
    while (!r->eof && r->len < from + 4) {
      int rc = fill(r, err);
      if (rc)
        return rc;
    }
    const unsigned char *s = (const unsigned char *)r->buf;
    size_t q = from - 1; /* where a newline ending a blank line may be */
    cut_answer a = CUT_NO;
    while (q < r->len) {
      const unsigned char *nl = memchr(s + q, '\n', r->len - q);
      if (!nl)
        break;
      size_t p = (size_t)(nl - s) + 1;
      a = any ? CUT_YES : clean_at(s, r->len, p, r->eof, r->next.wrap);
      if (a == CUT_YES) {
        /* the next window starts at its text: blank lines stay in this one
         * (what follows p up to the text is spaces: still a clean cut) */
        for (size_t i = p; !any && i < r->len && ascii_space(s[i]); i++)
          if (s[i] == '\n')
            p = i + 1;
        r->wlen = p;
        return FS_OK;
      }
      if (a == CUT_MORE) {
        from = p; /* ask again with more text after it */
        break;
      }
      q = p;
    }
    if (r->eof) {
      r->wlen = r->len;
      return FS_OK;
    }
    if (a != CUT_MORE)
      from = r->len + 1; /* no newline in the rest: the next one is new */
    int rc = fill(r, err);
    if (rc)
      return rc;
  }
}

/* Drops the window handed out last from the buffer. */
static void consume(fs_window_reader *r) {
  memmove(r->buf, r->buf + r->wlen, r->len - r->wlen);
  r->len -= r->wlen;
  r->wlen = 0;
}

/* What a window moves the document's offsets on by, counted as the
 * tokenizer's cursor counts: a code point per decoding step, a line per
 * "\n" or lone "\r"; and its valid multi-byte sequences (the Latin-1 test). */
static void count_window(fs_window_reader *r, const unsigned char *s,
                         size_t n) {
  size_t chr = 0, lines = 0, valid = 0;
  for (size_t i = 0; i < n;) {
#ifdef __SSE2__
    /* 64 ASCII bytes with no CR: a code point each, a line per LF (the
     * LFs counted only in a block that has one, and without a call: with
     * no POPCNT instruction __builtin_popcount is a call into libgcc, and
     * per 16 bytes it was 3% of the instructions on 4 MB documents) */
    if (n - i >= 64) {
      const __m128i cr = _mm_set1_epi8('\r'), lf = _mm_set1_epi8('\n');
      const unsigned char *p = s + i;
      __m128i v0 = _mm_loadu_si128((const __m128i *)(const void *)p);
      __m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
      __m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 32));
      __m128i v3 = _mm_loadu_si128((const __m128i *)(const void *)(p + 48));
      __m128i any = _mm_or_si128(_mm_or_si128(v0, v1), _mm_or_si128(v2, v3));
      __m128i crs = _mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi8(v0, cr), _mm_cmpeq_epi8(v1, cr)),
          _mm_or_si128(_mm_cmpeq_epi8(v2, cr), _mm_cmpeq_epi8(v3, cr)));
      if (!_mm_movemask_epi8(_mm_or_si128(any, crs))) {
        /* each LF byte of the compares is -1: their sum, negated, per lane
         * (at most 4), then the lanes added by _mm_sad_epu8 */
        __m128i nl = _mm_add_epi8(
            _mm_add_epi8(_mm_cmpeq_epi8(v0, lf), _mm_cmpeq_epi8(v1, lf)),
            _mm_add_epi8(_mm_cmpeq_epi8(v2, lf), _mm_cmpeq_epi8(v3, lf)));
        if (_mm_movemask_epi8(nl)) {
          __m128i sad = _mm_sad_epu8(_mm_sub_epi8(_mm_setzero_si128(), nl),
                                     _mm_setzero_si128());
          lines += (size_t)_mm_cvtsi128_si32(sad) +
                   (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sad, 8));
        }
        chr += 64;
        i += 64;
        continue;
      }
    }
    /* the ASCII bytes without CR before the next byte that is not one, up
     * to 16: a code point each, a line per LF; the byte that stops them
     * goes the slow way below (when each byte before it went that way too,
     * after both vector tests failed, a curly quote or a dash cost up to 16
     * bytes' worth of them) */
    if (n - i >= 16) {
      __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
      unsigned stop = (unsigned)_mm_movemask_epi8(
          _mm_or_si128(v, _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
      unsigned k = stop ? (unsigned)__builtin_ctz(stop) : 16;
      unsigned lfs = (unsigned)_mm_movemask_epi8(
                         _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))) &
                     ((1u << k) - 1);
      if (lfs)
        lines += (size_t)__builtin_popcount(lfs);
      chr += k;
      i += k;
      if (k == 16)
        continue;
    }
#endif
    unsigned char b = s[i];
    if (b < 0x80) {
      lines += b == '\n' || (b == '\r' && (i + 1 >= n || s[i + 1] != '\n'));
      i++;
      chr++;
      continue;
    }
    int bad = 0;
    fs_utf8_next(s, n, &i, &bad);
    valid += !bad;
    chr++;
  }
  r->next.byte += n;
  r->next.chr += chr;
  r->next.line += (uint32_t)lines;
  r->valid += valid;
}

int fs_window_open(fs_window_reader *r, const char *path, int fd,
                   size_t target, size_t max, const char *limit,
                   fs_error *err) {
  memset(r, 0, sizeof *r);
  r->path = path;
  r->fd = fd;
  r->target = target;
  r->max = max;
  r->limit = limit;
  /* the buffer for the windows: a fresh mapping (blocks over 1 MiB are
   * mapped, see main.c) of which a window and the read past its cut will
   * be written, front to back: mapped now in one call (fs_prefault) */
  r->cap = target + READ_CHUNK;
  if (!(r->buf = malloc(r->cap + 1)))
    return fs_error_set(err, FS_ERR_NOMEM, path, 0, 0, "out of memory");
  fs_prefault(r->buf, target + 2 * READ_PIECE);
  r->target = target < SNIFF_TARGET ? target : SNIFF_TARGET;
  /* first pass: the hard-wrap decision is the whole document's. Its
   * counts look at each line and the next: a window's are counted with the
   * next window's first line after it (which counts nothing itself). */
  size_t inner = 0, open_ended = 0;
  int rc;
  do {
    if ((rc = next_window(r, true, err)))
      return rc;
    const char *nl;
    while (!(nl = memchr(r->buf + r->wlen, '\n', r->len - r->wlen)) &&
           !r->eof)
      if ((rc = fill(r, err)))
        return rc;
    size_t upto = nl ? (size_t)(nl - r->buf) + 1 : r->len;
    fs_wrap_count((const unsigned char *)r->buf, upto, &inner, &open_ended);
    consume(r);
  } while (r->len || !r->eof);
  if (lseek(fd, 0, SEEK_SET) != 0)
    return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                        "cannot read the file twice: %s", strerror(errno));
  r->eof = false;
  r->read = 0;
  r->target = target;
  r->next = (fs_window_base){0, 0, 1, 0, 0,
                             fs_wrap_decide(inner, open_ended) ? FS_WRAP_YES
                                                               : FS_WRAP_NO};
  return FS_OK;
}

int fs_window_next(fs_window_reader *r, const char **text, size_t *len,
                   fs_window_base *base, fs_error *err) {
  if (r->wlen)
    consume(r);
  *text = NULL;
  *len = 0;
  if (!r->len && r->eof && r->started)
    return FS_OK; /* the end: no window */
  r->started = true;
  int rc = next_window(r, false, err);
  if (rc)
    return rc;
  *base = r->next;
  count_window(r, (const unsigned char *)r->buf, r->wlen);
  *text = r->buf;
  *len = r->wlen;
  return FS_OK;
}

void fs_window_done(fs_window_reader *r, const fs_doc *d) {
  r->next.paragraph += (uint32_t)d->stats.paragraphs;
  r->next.sentence += (uint32_t)d->stats.sentences;
}

void fs_window_rebase(fs_doc *w, uint32_t sentences, uint32_t paragraphs) {
  if (sentences)
    for (size_t k = 0; k < w->ntokens; k++)
      w->tokens[k].sentence += sentences;
  w->sent_base += sentences;
  w->para_base += paragraphs;
}

void fs_window_close(fs_window_reader *r) {
  free(r->buf);
  r->buf = NULL;
  r->len = r->cap = r->wlen = 0;
}

/* ---- analyses kept between readings ------------------------------------ */

/* Cuts array *p of cap elements of size elt to n (n > 0; a failed realloc
 * leaves it as it was). */
static void trim(void *p, size_t *cap, size_t n, size_t elt) {
  void **a = p;
  if (!n || n >= *cap)
    return;
  void *q = realloc(*a, n * elt);
  if (q) {
    *a = q;
    *cap = n;
  }
}

/* The bytes of d's arrays once trimmed; the per-category counts (a few
 * kilobytes, not by the text) are left out. */
static size_t kept_size(const fs_doc *d) {
  return sizeof *d + d->len + 1 + d->ntokens * sizeof *d->tokens +
         d->nmatches * sizeof *d->matches + d->nquotes * sizeof *d->quotes +
         d->nlines * sizeof *d->lines +
         d->sent_para_cap * sizeof *d->sent_para;
}

size_t fs_window_keep(fs_doc *d, size_t room) {
  size_t size = kept_size(d);
  if (size > room)
    return 0;
  char *text = malloc(d->len + 1);
  if (!text)
    return 0;
  memcpy(text, d->text, d->len);
  text[d->len] = '\0';
  d->text = text;
  trim(&d->tokens, &d->tokens_cap, d->ntokens, sizeof *d->tokens);
  trim(&d->matches, &d->matches_cap, d->nmatches, sizeof *d->matches);
  trim(&d->quotes, &d->quotes_cap, d->nquotes, sizeof *d->quotes);
  trim(&d->lines, &d->lines_cap, d->nlines, sizeof *d->lines);
  free(d->cand_toks);
  free(d->tok_lex);
  d->cand_toks = NULL;
  d->tok_lex = NULL;
  d->ncand_toks = d->cand_toks_cap = d->tok_lex_cap = 0;
  return size;
}

void fs_window_unkeep(fs_doc *d) {
  free((char *)d->text);
  d->text = "";
  d->len = 0;
}

/* ---- totals ------------------------------------------------------------- */

int fs_window_sum_init(fs_window_sum *s, const fs_ctx *ctx) {
  memset(s, 0, sizeof *s);
  s->lex = ctx->lex;
  s->doc = calloc(1, sizeof *s->doc);
  s->entry_n = calloc(ctx->lex->nentries + 1, sizeof *s->entry_n);
  s->once_seen = calloc(ctx->lex->nentries * FS_VOICES + 1, 1);
  s->entry_mass = calloc(ctx->lex->nentries + 1, sizeof *s->entry_mass);
  s->mass_seen = calloc(ctx->lex->nentries + 1, 1);
  if (!s->doc || !s->entry_n || !s->once_seen || !s->entry_mass ||
      !s->mass_seen)
    return FS_ERR_NOMEM;
  if (fs_doc_counts_new(s->doc, ctx->lex))
    return FS_ERR_NOMEM;
  s->doc->lang = fs_ctx_lang(ctx);
  s->doc->text = "";
  return FS_OK;
}

int fs_window_sum_add(fs_window_sum *s, const fs_ctx *ctx, fs_doc *w) {
  const fs_lexicon *lex = ctx->lex;
  fs_doc *d = s->doc;
  fs_doc_stats *st = &d->stats;
  for (int v = 0; v < FS_VOICES; v++)
    st->words[v] += w->stats.words[v];
  st->sentences += w->stats.sentences;
  st->paragraphs += w->stats.paragraphs;
  st->quotes += w->stats.quotes;
  st->scare_quotes += w->stats.scare_quotes;
  st->invalid_utf8 += w->stats.invalid_utf8;
  st->nul_bytes += w->stats.nul_bytes;
  st->bom |= w->stats.bom;
  /* the sums go on match by match, in the order of the whole document's
   * (fs_count_doc): the same additions give the same doubles */
  for (size_t i = 0; i < w->nmatches; i++) {
    fs_match *m = &w->matches[i];
    /* the window weighed its own repeats 0 (fs_count_doc); a name first
     * used in an earlier window is a repeat here too */
    if (fs_once_repeat(lex, m, s->once_seen))
      m->weight = 0;
    if (m->voice == FS_VOICE_AUTHOR) { /* as fs_distinct_add reads them */
      size_t e = m->entry == FS_NONE ? lex->nentries : m->entry;
      s->entry_n[e]++;
      if (!fs_entry_once(lex, m->entry) || !s->mass_seen[e])
        s->entry_mass[e] +=
            w->ctx_prob ? w->ctx_prob[i] : 1.0; /* as fs_doc_context_prob */
      s->mass_seen[e] = 1;
    }
    fs_count_match(lex, d, m, s->score);
  }
  return FS_OK;
}

fs_doc *fs_window_sum_finish(fs_window_sum *s, const fs_window_reader *r) {
  fs_doc *d = s->doc;
  s->doc = NULL;
  d->stats.loaded_score =
      fs_loaded_score(s->lex, s->score[FS_VOICE_AUTHOR],
                      s->score[FS_VOICE_QUOTE], d->stats.words);
  d->stats.legacy_8bit =
      d->stats.invalid_utf8 && r->valid * 10 < d->stats.invalid_utf8;
  return d;
}

void fs_window_sum_free(fs_window_sum *s) {
  fs_doc_free(s->doc);
  free(s->entry_n);
  free(s->once_seen);
  free(s->entry_mass);
  free(s->mass_seen);
  s->doc = NULL;
  s->entry_n = NULL;
  s->once_seen = NULL;
  s->entry_mass = NULL;
  s->mass_seen = NULL;
}
