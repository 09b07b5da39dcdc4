/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tokenize.c - bytes -> tokens: words, numbers and punctuation with byte and
 * code-point offsets, lines, paragraphs, sentences and quotation depth. */
#include "internal.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define MAX_DEPTH 32        /* nested quotation levels tracked */
#define SINGLE_LOOKAHEAD FS_SINGLE_LOOKAHEAD /* bytes searched for a closing ' */

/* Byte classes for the fast paths: 1 ASCII letter, 2 ASCII digit, 0 any
 * other byte (bytes from 0x80 start or continue UTF-8 sequences). */
static const unsigned char ascii_class[256] = {
    ['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2, ['5'] = 2,
    ['6'] = 2, ['7'] = 2, ['8'] = 2, ['9'] = 2,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
    ['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
    ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
    ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
    ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
    ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1};

/* Reading position in the text. */
typedef struct cursor {
  const unsigned char *s;
  size_t n;
  size_t i;      /* byte offset */
  size_t ci;      /* code-point offset */
  uint32_t line;  /* 1-based */
  size_t line_ci; /* code-point offset of column 1 of the line */
} cursor;

typedef struct qframe {
  uint32_t mark; /* the opening character */
  uint32_t span; /* index into doc->quotes */
} qframe;

/* Which bytes of one 64-byte block of the text (from offset base) are ASCII
 * letters or digits, and which are letters: bit j is byte base + j. */
typedef struct runmask {
  size_t base; /* SIZE_MAX: none yet */
  uint64_t alnum, letter;
} runmask;

typedef struct tstate {
  fs_ctx *ctx;
  fs_doc *doc;
  cursor c;
  runmask rm;
  size_t span_stop; /* plain_span() is not tried again before this offset */
  uint32_t mark_line; /* the line of doc->lines' last mark; 0: none yet */
  uint32_t para;
  size_t para_first; /* the first token of paragraph para */
  bool joined;  /* the next word follows a joining hyphen */
  bool wrapped; /* hard-wrapped text: single newlines are spaces */
  size_t cont_at; /* byte offset of a quote mark that continues a quote
                     across a paragraph break, or SIZE_MAX */
  qframe stack[MAX_DEPTH];
  int depth;
  /* Dialogue dashes (languages with dash_speech): the paragraph opened with
   * a dash (or a colon and a dash started speech in it), and the words are
   * now speech, span `speech_span` of doc->quotes */
  bool dialogue, speaking;
  uint32_t speech_span;
  /* An attribution set off by dashes inside a quotation («Это ложь, —
   * сказал он. — Все»): the author's words from token aside_from, until a
   * dash resumes the speech; FS_NONE outside one */
  uint32_t aside_from;
  /* What the last look-ahead for a closing single quote saw, so a run of
   * opening candidates does not rescan the same bytes: a scan that started
   * at sq_lo found no event before sq_pos (prev code point sq_prev); when
   * sq_ev is 1 (a closer) or 2 (a blank line), one starts at sq_pos and ends
   * at sq_evend. */
  bool sq_valid;
  size_t sq_lo, sq_pos, sq_evend;
  uint32_t sq_prev;
  int sq_ev;
  /* FS_ERR_NOMEM when a fast path (plain_span, plain_word) failed; the
   * driver returns it (a failed surface lookup has already taken the
   * pending words, so the slow path would not meet the failure again) */
  int err;
} tstate;

static inline uint32_t peek(const cursor *c, size_t at) {
  if (at >= c->n)
    return 0;
  if (c->s[at] < 0x80)
    return c->s[at];
  size_t i = at;
  int bad = 0;
  return fs_utf8_next(c->s, c->n, &i, &bad);
}

static size_t next_at(const cursor *c, size_t at) {
  int bad = 0;
  fs_utf8_next(c->s, c->n, &at, &bad);
  return at;
}

/* Advances one code point, keeping line and column. */
static uint32_t advance(tstate *t) {
  cursor *c = &t->c;
  unsigned char b = c->i < c->n ? c->s[c->i] : 0;
  if (b < 0x80 && b != '\n' && b != '\r' && b != 0) { /* the usual byte */
    c->i++;
    c->ci++;
    return b;
  }
  if (b == '\n') { /* a line break, without decoding (a line a paragraph) */
    c->i++;
    c->ci++;
    c->line++;
    c->line_ci = c->ci;
    return b;
  }
  int bad = 0;
  size_t at = c->i;
  uint32_t cp = fs_utf8_next(c->s, c->n, &c->i, &bad);
  if (bad)
    t->doc->stats.invalid_utf8++;
  if (cp == 0)
    t->doc->stats.nul_bytes++;
  c->ci++;
  /* a column counts the code points since the line's start, except a BOM
   * (a CR before LF ends the line: no token comes between them) */
  if (cp == '\n' || (cp == '\r' && (c->i >= c->n || c->s[c->i] != '\n'))) {
    c->line++;
    c->line_ci = c->ci;
  } else if (at == 0 && cp == 0xFEFF) {
    c->line_ci = c->ci;
  }
  return cp;
}

static bool is_newline(uint32_t cp) { return cp == '\n' || cp == '\r'; }

static bool is_terminal(uint32_t cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026;
}

static bool is_quote_char(uint32_t cp) {
  return cp == '"' || cp == '\'' || cp == 0x201C || cp == 0x201D ||
         cp == 0x201E || cp == 0x2018 || cp == 0x2019 || cp == 0x201A ||
         cp == 0xAB || cp == 0xBB;
}

static bool is_double(uint32_t cp) {
  return cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0x201E ||
         cp == 0xAB || cp == 0xBB;
}

void fs_wrap_count(const unsigned char *s, size_t n, size_t *inner_out,
                   size_t *open_out) {
  size_t inner = 0, open_ended = 0;
  size_t i = 0;
  while (i < n) {
    const unsigned char *nl = memchr(s + i, '\n', n - i);
    size_t end = nl ? (size_t)(nl - s) : n;
    size_t e = end;
    while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\r' || s[e - 1] == '\t'))
      e--;
    size_t next = end + 1;
    bool next_blank = true;
    for (size_t k = next; k < n && s[k] != '\n'; k++)
      if (s[k] != ' ' && s[k] != '\r' && s[k] != '\t') {
        next_blank = false;
        break;
      }
    if (e > i && nl && !next_blank) {
      inner++;
      uint32_t last = s[e - 1] < 0x80 ? s[e - 1] : fs_utf8_prev(s, e);
      if (!is_terminal(last) && last != ':' && !is_quote_char(last) &&
          last != ')')
        open_ended++;
    }
    i = next;
  }
  *inner_out += inner;
  *open_out += open_ended;
}

bool fs_wrap_decide(size_t inner, size_t open_ended) {
  return inner >= 3 && open_ended * 2 >= inner;
}

/* Decides whether single newlines are paragraph breaks (one paragraph per
 * line, as in most scraped news) or spaces (hard-wrapped text). */
static bool detect_wrapped(const unsigned char *s, size_t n) {
  size_t inner = 0, open_ended = 0;
  fs_wrap_count(s, n, &inner, &open_ended);
  return fs_wrap_decide(inner, open_ended);
}

/* ---- runs of letters and digits ------------------------------------------ */

/* Bit masks of 64 bytes: ASCII letters or digits, letters, spaces (' '
 * only) and sentence commas and periods. */
typedef struct classes {
  uint64_t alnum, letter, space, stop;
} classes;

static inline void classify64(const unsigned char *p, classes *c) {
  uint64_t alnum = 0, letter = 0, space = 0, stop = 0;
#ifdef __SSE2__
  /* (b | 0x20) - 'a' <= 25 for letters, b - '0' <= 9 for digits, unsigned */
  const __m128i lower = _mm_set1_epi8(0x20), a = _mm_set1_epi8('a');
  const __m128i z = _mm_set1_epi8(25), zero = _mm_set1_epi8('0');
  const __m128i nine = _mm_set1_epi8(9), sp = _mm_set1_epi8(' ');
  const __m128i dot = _mm_set1_epi8('.'), comma = _mm_set1_epi8(',');
  for (int j = 0; j < 64; j += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + j));
    __m128i l = _mm_sub_epi8(_mm_or_si128(v, lower), a);
    __m128i isl = _mm_cmpeq_epi8(_mm_min_epu8(l, z), l);
    __m128i d = _mm_sub_epi8(v, zero);
    __m128i isd = _mm_cmpeq_epi8(_mm_min_epu8(d, nine), d);
    __m128i iss = _mm_cmpeq_epi8(v, sp);
    __m128i isp =
        _mm_or_si128(_mm_cmpeq_epi8(v, dot), _mm_cmpeq_epi8(v, comma));
    letter |= (uint64_t)(uint16_t)_mm_movemask_epi8(isl) << j;
    alnum |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_or_si128(isl, isd))
             << j;
    space |= (uint64_t)(uint16_t)_mm_movemask_epi8(iss) << j;
    stop |= (uint64_t)(uint16_t)_mm_movemask_epi8(isp) << j;
  }
#else
  for (int j = 0; j < 64; j++) {
    unsigned k = ascii_class[p[j]];
    alnum |= (uint64_t)(k != 0) << j;
    letter |= (uint64_t)(k == 1) << j;
    space |= (uint64_t)(p[j] == ' ') << j;
    stop |= (uint64_t)(p[j] == '.' || p[j] == ',') << j;
  }
#endif
  c->alnum = alnum;
  c->letter = letter;
  c->space = space;
  c->stop = stop;
}

/* Classifies the 64 bytes from base (bytes past the end count as spaces). */
static void block_masks(const unsigned char *s, size_t n, size_t base,
                        runmask *m) {
  unsigned char tail[64];
  const unsigned char *p = s + base;
  if (n - base < 64) {
    memset(tail, ' ', sizeof tail);
    memcpy(tail, p, n - base);
    p = tail;
  }
  classes c;
  classify64(p, &c);
  m->base = base;
  m->alnum = c.alnum;
  m->letter = c.letter;
}

/* End of the run of ASCII letters and digits that starts at i (< n); sets
 * *has_letter. Found 64 bytes at a time from bit masks: a loop over the
 * bytes mispredicts its exit at nearly every word end, and that was a
 * fifth of the tokenizer's time. Bytes past the end classify as spaces, so
 * a run never goes past it. */
static inline size_t alnum_run(tstate *t, size_t i, bool *has_letter) {
  runmask *m = &t->rm;
  bool seen = false;
  for (;;) {
    size_t base = i & ~(size_t)63;
    if (base != m->base)
      block_masks(t->c.s, t->c.n, base, m);
    unsigned off = (unsigned)(i - base);
    uint64_t stop = ~(m->alnum >> off); /* bit 0 is byte i */
    unsigned len = stop ? (unsigned)__builtin_ctzll(stop) : 64;
    uint64_t run = len >= 64 ? ~0ull : (1ull << len) - 1;
    seen |= ((m->letter >> off) & run) != 0;
    i += len;
    if (off + len < 64) {
      *has_letter = seen;
      return i;
    }
  }
}

static int lookup_batch(fs_ctx *ctx, fs_doc *d);

static inline int push_token(tstate *t, const cursor *start, uint8_t kind,
                             uint8_t flags) {
  fs_doc *d = t->doc;
  fs_ctx *ctx = t->ctx;
  if (d->ntokens == d->tokens_cap &&
      (d->ntokens >= UINT32_MAX - 1 ||
       fs_grow(&d->tokens, &d->tokens_cap, d->ntokens + 1,
               sizeof *d->tokens)))
    return FS_ERR_NOMEM;
  if (ctx->surf_nkeys >= ctx->surf_batch && lookup_batch(ctx, d))
    return FS_ERR_NOMEM;
  {
    /* the surface lookup's key, while the bytes are in cache; written for
     * every token and kept for words and numbers, with no branch on the
     * kind or the length (both too irregular to predict) */
    fs_pending *p = &ctx->surf_keys[ctx->surf_nkeys];
    size_t len = t->c.i - start->i;
    size_t klen = len < FS_SURF_INLINE ? len : FS_SURF_INLINE;
    p->tok = (uint32_t)d->ntokens;
    p->len = (uint32_t)len;
    fs_surface_key(t->c.s + start->i, klen, t->c.n - start->i, &p->a, &p->b);
    uint64_t h = fs_surface_hash(p->a, p->b, len);
    p->h = len > FS_SURF_INLINE ? 0 : h;
    ctx->surf_nkeys += kind == FS_TOK_WORD || kind == FS_TOK_NUMBER;
  }
  if (start->line != t->mark_line) { /* lines count from 1 */
    if (fs_grow(&d->lines, &d->lines_cap, d->nlines + 1, sizeof *d->lines))
      return FS_ERR_NOMEM;
    t->mark_line = start->line;
    d->lines[d->nlines++] = (fs_line_mark){(uint32_t)d->ntokens, start->line,
                                           (uint32_t)start->line_ci};
  }
  fs_tok *k = &d->tokens[d->ntokens++];
  size_t nchars = t->c.ci - start->ci;
  k->sentence = t->para; /* until mark_sentences() numbers it */
  k->byte_start = (uint32_t)start->i;
  k->byte_end = (uint32_t)t->c.i;
  k->char_start = (uint32_t)start->ci;
  k->nchars = nchars < FS_TOK_LONG ? (uint8_t)nchars : FS_TOK_LONG;
  k->kind = kind;
  k->flags = flags;
  k->voice = (t->depth > 0 && t->aside_from == FS_NONE) || t->speaking
                 ? FS_VOICE_QUOTE
                 : FS_VOICE_AUTHOR;
  k->form = k->stem = FS_NONE;
  return FS_OK;
}

/* ---- quotation marks ---------------------------------------------------- */

static int open_quote(tstate *t, uint32_t mark) {
  fs_doc *d = t->doc;
  if (t->depth == MAX_DEPTH)
    return FS_OK;
  if (fs_grow(&d->quotes, &d->quotes_cap, d->nquotes + 1, sizeof *d->quotes))
    return FS_ERR_NOMEM;
  fs_quote_span *q = &d->quotes[d->nquotes];
  memset(q, 0, sizeof *q);
  q->open = (uint32_t)d->ntokens - 1;
  q->close = FS_NONE;
  /* a quotation inside dash-set speech is the speaker's, never outermost */
  q->depth = (uint16_t)(t->depth + 1 + t->speaking);
  t->stack[t->depth].mark = mark;
  t->stack[t->depth].span = (uint32_t)d->nquotes++;
  t->depth++;
  return FS_OK;
}

/* An attribution inside a quotation that no dash closed before the quote
 * or the paragraph ended was the speaker's words after all ("«Мы готовы, —
 * но не к капитуляции»"): they go back to the quote's voice. */
static void aside_revert(tstate *t) {
  fs_doc *d = t->doc;
  for (size_t k = t->aside_from; k < d->ntokens; k++)
    d->tokens[k].voice = FS_VOICE_QUOTE;
  t->aside_from = FS_NONE;
}

static void close_quote(tstate *t, uint32_t tok) {
  t->depth--;
  if (t->depth == 0 && t->aside_from != FS_NONE)
    aside_revert(t);
  t->doc->quotes[t->stack[t->depth].span].close = tok;
}

/* Is there a plausible closing straight/curly single quote ahead in this
 * paragraph? Keeps "'90s" from opening a quotation. */
static bool single_closes_ahead(tstate *t, size_t from) {
  const cursor *c = &t->c;
  size_t end = c->n < from + SINGLE_LOOKAHEAD ? c->n : from + SINGLE_LOOKAHEAD;
  /* The code point at `from` is a letter (no event, whatever precedes it),
   * so a scan begun earlier that got past `from` saw what a fresh one
   * would. */
  if (!t->sq_valid || from < t->sq_lo || from > t->sq_pos) {
    t->sq_valid = true;
    t->sq_lo = t->sq_pos = from;
    t->sq_prev = 'x';
    t->sq_ev = 0;
  }
  if (t->sq_ev)
    return t->sq_ev == 1 && t->sq_evend <= end;
  while (t->sq_pos < end) {
    size_t i = t->sq_pos;
    int bad = 0;
    uint32_t cp = fs_utf8_next(c->s, c->n, &i, &bad);
    if (i > end)
      break; /* cut by the window: never an event */
    uint32_t prev = t->sq_prev;
    if (cp == '\n' && prev == '\n')
      t->sq_ev = 2;
    else if ((cp == '\'' || cp == 0x2019) && !fs_is_space(prev) &&
             !fs_is_alpha(peek(c, i)))
      t->sq_ev = 1;
    if (t->sq_ev) {
      t->sq_evend = i;
      return t->sq_ev == 1;
    }
    if (cp != '\r')
      t->sq_prev = cp;
    t->sq_pos = i;
  }
  return false;
}

/* Classifies quotation mark `cp` (already consumed; its token starts at
 * `start`) as opening, closing or neither, and updates the stack. */
static int quote_mark(tstate *t, const cursor *start, uint32_t cp,
                      uint32_t prev, uint32_t next) {
  bool left_open = prev == 0 || fs_is_space(prev) || prev == '(' ||
                   prev == '[' || prev == 0x2014 || prev == 0x2013 ||
                   prev == '-' || is_quote_char(prev) || prev == '/';
  bool right_open = next == 0 || fs_is_space(next) || next == '.' ||
                    next == ',' || next == ';' || next == ':' ||
                    next == '!' || next == '?' || next == ')' ||
                    next == 0x2014 || next == 0x2013 || is_quote_char(next);
  uint32_t top = t->depth ? t->stack[t->depth - 1].mark : 0;
  enum { NONE, OPEN, CLOSE } act = NONE;

  if (start->i == t->cont_at) {
    /* a quote continued across a paragraph break: the mark reopens it */
    t->cont_at = SIZE_MAX;
    return push_token(t, start, FS_TOK_QUOTE, FS_TOKF_OPEN);
  }
  switch (cp) {
  case 0x201C: /* “ opens, or closes „ */
    if (top == 0x201E || (top == 0x201C && !left_open && right_open))
      act = CLOSE;
    else
      act = OPEN;
    break;
  case 0x201D: /* ” */
    if (top && is_double(top) && top != 0xAB)
      act = CLOSE;
    else if (left_open && !right_open)
      act = OPEN;
    break;
  case '"':
    if (top == '"' || ((top == 0x201C || top == 0x201E) && !left_open))
      act = CLOSE;
    else if (left_open || !right_open)
      act = OPEN;
    break;
  case 0x201E: /* „ */
    act = OPEN;
    break;
  case 0xAB: /* « */
    act = top == 0xBB ? CLOSE : OPEN;
    break;
  case 0xBB: /* » */
    if (top == 0xAB)
      act = CLOSE;
    else if (left_open && !right_open)
      act = OPEN;
    break;
  case 0x2018: /* ‘ */
  case 0x201A: /* ‚ */
    if (top == 0x201A && cp == 0x2018)
      act = CLOSE;
    else if (left_open && !right_open)
      act = OPEN;
    break;
  case 0x2019: /* ’ */
  case '\'':
    if ((top == 0x2018 || top == '\'' || top == 0x201A) && !left_open)
      act = CLOSE;
    else if (cp == '\'' && left_open && fs_is_alpha(next) &&
             single_closes_ahead(t, t->c.i))
      act = OPEN;
    break;
  }
  if (act == NONE || (act == OPEN && t->depth == MAX_DEPTH))
    return push_token(t, start, FS_TOK_PUNCT, 0);
  if (act == CLOSE) {
    int rc = push_token(t, start, FS_TOK_QUOTE, 0);
    close_quote(t, (uint32_t)t->doc->ntokens - 1);
    t->doc->tokens[t->doc->ntokens - 1].voice = FS_VOICE_QUOTE;
    return rc;
  }
  t->depth++; /* so the opening mark itself counts as quoted */
  int rc = push_token(t, start, FS_TOK_QUOTE, FS_TOKF_OPEN);
  t->depth--;
  return rc ? rc : open_quote(t, cp);
}

/* ---- dialogue dashes ---------------------------------------------------- */

static bool is_dash(uint32_t cp) {
  return cp == 0x2014 || cp == 0x2013 || cp == '-';
}

/* Is token k a punctuation mark that may stand before a dash that switches
 * between speech and its attribution (", — сказал он. — Мы...")? A word
 * before a dash makes it a parenthetical or copula dash ("Это — ложь"). */
static bool before_switch(const tstate *t, const fs_tok *k) {
  if (k->kind != FS_TOK_PUNCT)
    return false;
  const unsigned char *s = t->c.s + k->byte_start;
  if (k->byte_end - k->byte_start == 3 && s[0] == 0xE2 && s[1] == 0x80 &&
      s[2] == 0xA6)
    return true; /* … */
  return s[0] == ',' || s[0] == '.' || s[0] == '!' || s[0] == '?';
}

/* Does a sentence start after the dash just consumed (a capital, a digit or
 * a quotation mark after the spaces)? Speech opens with one; a list item
 * ("— усиление охраны;") does not. */
static bool opens_sentence(const tstate *t) {
  size_t i = t->c.i;
  uint32_t cp = 0;
  while (i < t->c.n) {
    int bad = 0;
    cp = fs_utf8_next(t->c.s, t->c.n, &i, &bad);
    if (!fs_is_space(cp) || is_newline(cp))
      break;
  }
  return fs_is_upper(cp) || fs_is_digit(cp) || is_quote_char(cp) ||
         cp == 0x2026 || cp == '.';
}

/* A spaced dash (just pushed) inside an outermost quotation, after , . ! ?
 * or …: before a lowercase word it opens an attribution («Это ложь, —
 * сказал он»), and the next such dash (or one after a colon: "и добавил:
 * — ...") closes it and resumes the speech («... — Все»), which makes the
 * quotation speech. */
static void quote_dash(tstate *t, size_t before) {
  fs_doc *d = t->doc;
  if (t->depth != 1 || t->speaking || !before)
    return;
  const fs_tok *prev = &d->tokens[before - 1];
  bool colon = prev->kind == FS_TOK_PUNCT && t->c.s[prev->byte_start] == ':';
  if (!before_switch(t, prev) && !(colon && t->aside_from != FS_NONE))
    return;
  uint32_t dash = (uint32_t)d->ntokens - 1;
  if (t->aside_from == FS_NONE) {
    if (!opens_sentence(t)) {
      t->aside_from = dash;
      d->tokens[dash].voice = FS_VOICE_AUTHOR;
    }
    return;
  }
  d->quotes[t->stack[0].span].speech = true;
  t->aside_from = FS_NONE;
}

/* Starts a speech span at the dash just pushed. */
static int speech_open(tstate *t) {
  fs_doc *d = t->doc;
  if (fs_grow(&d->quotes, &d->quotes_cap, d->nquotes + 1, sizeof *d->quotes))
    return FS_ERR_NOMEM;
  fs_quote_span *q = &d->quotes[d->nquotes];
  memset(q, 0, sizeof *q);
  q->open = (uint32_t)d->ntokens - 1;
  q->close = FS_NONE;
  q->depth = 1;
  q->speech = true;
  t->speech_span = (uint32_t)d->nquotes++;
  t->speaking = true;
  t->dialogue = true;
  d->tokens[q->open].voice = FS_VOICE_QUOTE;
  return FS_OK;
}

/* A dash (consumed; its token starts at `start`, `next` follows it) in a
 * language that sets speech off with dashes. A spaced dash that opens a
 * paragraph, or follows a colon, starts speech ("— Это провокация"); in
 * such a paragraph, a spaced dash after , . ! ? or … switches between the
 * speech and its attribution (", — сказал он. — Мы ответим"). Any other
 * dash is punctuation. Outside quotation marks only. */
static int dialogue_dash(tstate *t, const cursor *start, uint32_t next) {
  fs_doc *d = t->doc;
  /* the token before the dash, by number: pushing the dash may move the
   * token array (a pointer taken before would dangle; found by
   * fuzz_analyze) */
  size_t before = d->ntokens > t->para_first ? d->ntokens : 0;
  bool spaced = next == 0 || fs_is_space(next);
  int rc = push_token(t, start, FS_TOK_PUNCT, 0);
  if (!rc && spaced && t->depth > 0)
    quote_dash(t, before);
  if (rc || !spaced || t->depth > 0)
    return rc;
  const fs_tok *prev = before ? &d->tokens[before - 1] : NULL;
  bool colon =
      prev && prev->kind == FS_TOK_PUNCT && t->c.s[prev->byte_start] == ':';
  if (!t->speaking && (!prev || colon) && opens_sentence(t))
    return speech_open(t);
  if (!t->speaking && prev && !colon && t->dialogue && before_switch(t, prev))
    return speech_open(t);
  if (t->speaking && prev && before_switch(t, prev)) {
    d->quotes[t->speech_span].close = (uint32_t)d->ntokens - 1;
    d->tokens[d->ntokens - 1].voice = FS_VOICE_QUOTE;
    t->speaking = false;
  }
  return FS_OK;
}

/* At a paragraph break: a quotation continues when the next paragraph opens
 * with a quotation mark (journalism's convention); otherwise it ends. */
static void paragraph_break(tstate *t) {
  t->para++;
  t->para_first = t->doc->ntokens;
  t->joined = false;
  t->dialogue = t->speaking = false; /* an open speech span ends here */
  if (t->aside_from != FS_NONE)
    aside_revert(t);
  if (t->depth == 0)
    return;
  size_t i = t->c.i;
  uint32_t cp = 0;
  while (i < t->c.n) {
    size_t at = i;
    int bad = 0;
    cp = fs_utf8_next(t->c.s, t->c.n, &i, &bad);
    if (!fs_is_space(cp)) {
      i = at;
      break;
    }
  }
  uint32_t outer = t->stack[0].mark;
  bool same = (is_double(cp) && is_double(outer)) ||
              ((cp == 0x2018 || cp == '\'') &&
               (outer == 0x2018 || outer == '\''));
  if (same) {
    t->cont_at = i;
    return;
  }
  while (t->depth > 0)
    t->depth--; /* the spans keep close == FS_NONE: ended by the paragraph */
}

/* ---- words -------------------------------------------------------------- */

static bool is_alnum(uint32_t cp) {
  if (cp < 0x80)
    return ascii_class[cp] != 0;
  return fs_is_alpha(cp) || fs_is_digit(cp);
}

/* Length in bytes of an acronym with periods (U.S., e.g.) at c->i, or 0. */
static size_t acronym_len(const cursor *c) {
  size_t i = c->i;
  int letters = 0;
  for (;;) {
    uint32_t cp = peek(c, i);
    if (!fs_is_alpha(cp))
      break;
    size_t j = next_at(c, i);
    if (peek(c, j) != '.')
      break;
    letters++;
    i = j + 1;
    if (!fs_is_alpha(peek(c, i)))
      break;
  }
  if (letters < 2)
    return 0;
  return i - c->i;
}

static int word(tstate *t) {
  cursor start = t->c;
  bool alpha = false;
  uint8_t flags = t->joined ? FS_TOKF_JOINED : 0;
  size_t before_bad = t->doc->stats.invalid_utf8;
  t->joined = false;
  unsigned char b0 = t->c.s[t->c.i];
  if (b0 < 0x80 ? (b0 >= 'A' && b0 <= 'Z') : fs_is_upper(peek(&t->c, t->c.i)))
    flags |= FS_TOKF_UPPER;
  /* an acronym needs a period after its first letter */
  size_t alen = 0;
  if (t->c.i + 1 < t->c.n &&
      (t->c.s[t->c.i + 1] == '.' || t->c.s[t->c.i] >= 0x80))
    alen = acronym_len(&t->c);
  if (alen) {
    size_t end = t->c.i + alen;
    while (t->c.i < end)
      advance(t);
    alpha = true;
  } else {
    for (;;) {
      /* ASCII letters and digits: no decoding, no line breaks */
      const unsigned char *u = t->c.s;
      size_t i = t->c.i;
      if (i < t->c.n && ascii_class[u[i]]) {
        bool letter;
        i = alnum_run(t, i, &letter);
        alpha |= letter;
      }
      if (i > t->c.i) {
        t->c.ci += i - t->c.i;
        t->c.i = i;
      }
      if (i >= t->c.n)
        break;
      /* an ASCII byte that is not a letter, digit, apostrophe or separator
       * ends the word: the common case, decided without decoding */
      if (u[i] < 0x80 && u[i] != '\'' && u[i] != '.' && u[i] != ',')
        break;
      uint32_t cp = peek(&t->c, t->c.i);
      if (is_alnum(cp)) {
        alpha |= fs_is_alpha(cp);
        advance(t);
        continue;
      }
      size_t after = next_at(&t->c, t->c.i);
      uint32_t nx = peek(&t->c, after);
      /* internal apostrophe: Putin's, didn't */
      if (fs_is_apostrophe(cp) && fs_is_alpha(nx) && alpha) {
        advance(t);
        continue;
      }
      /* decimal or thousands separator: 3.5, 1,000 */
      if ((cp == '.' || cp == ',') && fs_is_digit(nx) && !alpha &&
          fs_is_digit(fs_utf8_prev(t->c.s, t->c.i))) {
        advance(t);
        continue;
      }
      break;
    }
  }
  /* a hyphen between two word characters joins the next word */
  if (t->c.i < t->c.n && (t->c.s[t->c.i] == '-' || t->c.s[t->c.i] >= 0x80)) {
    uint32_t cp = peek(&t->c, t->c.i);
    if (fs_is_hyphen(cp) && is_alnum(peek(&t->c, next_at(&t->c, t->c.i))))
      t->joined = true;
  }
  if (t->doc->stats.invalid_utf8 != before_bad)
    flags |= FS_TOKF_REPLACED;
  /* form and stem are looked up for the whole document afterwards */
  int rc = push_token(t, &start, alpha ? FS_TOK_WORD : FS_TOK_NUMBER, flags);
  if (rc)
    return rc;
  if (t->joined)
    advance(t); /* the hyphen itself makes no token */
  return FS_OK;
}

/* The common word: ASCII letters and digits ended by an ASCII byte that
 * cannot continue it (not ' . , or -, which may make an apostrophe word, a
 * number, an acronym or a hyphen join). Adds it and returns true; returns
 * false, having changed nothing, for word() to handle. */
static bool plain_word(tstate *t) {
  const unsigned char *u = t->c.s;
  size_t at = t->c.i, n = t->c.n;
  bool letter;
  size_t i = alnum_run(t, at, &letter);
  if (i < n && (u[i] >= 0x80 || u[i] == '\'' || u[i] == '.' || u[i] == ',' ||
                u[i] == '-'))
    return false;
  cursor start = t->c;
  uint8_t flags = (t->joined ? FS_TOKF_JOINED : 0) |
                  (u[at] >= 'A' && u[at] <= 'Z' ? FS_TOKF_UPPER : 0);
  t->c.ci += i - at;
  t->c.i = i;
  int rc = push_token(t, &start, letter ? FS_TOK_WORD : FS_TOK_NUMBER, flags);
  if (rc) {
    t->c = start;
    t->err = rc;
    return false;
  }
  t->joined = false;
  return true;
}

/* What plain_span() may do at an ASCII byte that its masks stop at (any
 * byte but a letter, digit, space, or a comma or period before a space),
 * which is what the byte-by-byte paths would do there:
 * SPAN_PUNCT  punctuation that ends a word and makes a one-byte token of
 *             its own, whatever comes next: ! # $ % & ( ) * + / : ; < = >
 *             ? @ [ \ ] ^ _ ` { | } ~
 * SPAN_SEP    a comma or period: the same unless what follows may make a
 *             number (1,000 3.5), an acronym (U.S.) or an ellipsis
 * SPAN_HYPHEN a hyphen: between two words it joins them (no token)
 * SPAN_SPACE  a tab, vertical tab or form feed: a space
 * SPAN_END    ends the word before it, and the span: a line break or a
 *             double quotation mark, which the byte-by-byte paths take
 * 0           anything else (' and -, which may continue a word or open a
 *             quotation or a dialogue dash, and bytes from 0x80) */
enum { SPAN_PUNCT = 1, SPAN_SEP, SPAN_HYPHEN, SPAN_SPACE, SPAN_END };
static const unsigned char span_byte[128] = {
    ['!'] = SPAN_PUNCT,  ['#'] = SPAN_PUNCT,  ['$'] = SPAN_PUNCT,
    ['%'] = SPAN_PUNCT,  ['&'] = SPAN_PUNCT,  ['('] = SPAN_PUNCT,
    [')'] = SPAN_PUNCT,  ['*'] = SPAN_PUNCT,  ['+'] = SPAN_PUNCT,
    ['/'] = SPAN_PUNCT,  [':'] = SPAN_PUNCT,  [';'] = SPAN_PUNCT,
    ['<'] = SPAN_PUNCT,  ['='] = SPAN_PUNCT,  ['>'] = SPAN_PUNCT,
    ['?'] = SPAN_PUNCT,  ['@'] = SPAN_PUNCT,  ['['] = SPAN_PUNCT,
    ['\\'] = SPAN_PUNCT, [']'] = SPAN_PUNCT,  ['^'] = SPAN_PUNCT,
    ['_'] = SPAN_PUNCT,  ['`'] = SPAN_PUNCT,  ['{'] = SPAN_PUNCT,
    ['|'] = SPAN_PUNCT,  ['}'] = SPAN_PUNCT,  ['~'] = SPAN_PUNCT,
    [','] = SPAN_SEP,    ['.'] = SPAN_SEP,    ['-'] = SPAN_HYPHEN,
    ['\t'] = SPAN_SPACE, ['\v'] = SPAN_SPACE, ['\f'] = SPAN_SPACE,
    ['\n'] = SPAN_END,   ['\r'] = SPAN_END,   ['"'] = SPAN_END};

/* Does the text at s (avail bytes, s[0] >= 0x80) end an ASCII word before
 * it, as word() would end it: “ ” ‘ ‚ „ – — …, none a letter, digit,
 * apostrophe or hyphen? (The commonest non-ASCII bytes of English news.) */
static inline bool ends_word_utf8(const unsigned char *s, size_t avail) {
  if (avail < 3 || s[0] != 0xE2 || s[1] != 0x80)
    return false;
  unsigned char c = s[2];
  return c == 0x93 || c == 0x94 || c == 0x98 || c == 0x9A || c == 0x9C ||
         c == 0x9D || c == 0x9E || c == 0xA6;
}

/* Plain prose 64 bytes at a time: from a word start, the ASCII words,
 * spaces and the punctuation span_byte[] lets through (a comma or period
 * before a space tested from the masks, the rest as the masks stop at it),
 * up to the first byte that is anything else (a word that reaches it is
 * added when that byte ends it: a line break, a double quotation mark),
 * are added from bit masks, with no branch per byte and one loop over the
 * tokens; they are the tokens plain_word() and the punctuation path would
 * add one by one. Where a word runs past the 64 bytes, the next 64 from
 * its start go on in the same call. What push_token() checks per token
 * is the same for all of them and checked once a block: room for 64 more
 * tokens and pending words, the line (a span holds no line break) and the
 * voice (nor a quotation mark). Returns whether it added any; where it
 * stops, the byte-by-byte paths go on. Off in tests that compare the two
 * (ctx->bytewise). */
static bool plain_span(tstate *t) {
  size_t at = t->c.i;
  fs_ctx *ctx = t->ctx;
  fs_doc *d = t->doc;
  if (ctx->bytewise || t->c.n - at < 64 || at < t->span_stop)
    return false;
  if (d->ntokens + 64 > d->tokens_cap &&
      (d->ntokens >= UINT32_MAX - 64 ||
       fs_grow(&d->tokens, &d->tokens_cap, d->ntokens + 64,
               sizeof *d->tokens)))
    return false; /* (push_token() meets it again and says which) */
  if (ctx->surf_nkeys >= ctx->surf_batch && lookup_batch(ctx, d)) {
    t->err = FS_ERR_NOMEM;
    return false;
  }
  const cursor base = t->c;
  uint8_t voice = (t->depth > 0 && t->aside_from == FS_NONE) || t->speaking
                      ? FS_VOICE_QUOTE
                      : FS_VOICE_AUTHOR;
  /* bit j: the word at byte j of the block follows a joining hyphen */
  uint64_t joined = t->joined ? 1 : 0;
  size_t nt = d->ntokens;
  fs_pending *p = &ctx->surf_keys[ctx->surf_nkeys];
  size_t off = 0; /* the block's first byte, from at */
  for (;;) {
    const unsigned char *u = t->c.s + at + off;
    size_t avail = t->c.n - at - off; /* bytes a surface key may read */
    classes c;
    classify64(u, &c);
    /* any other byte, or a comma or period not followed by a space, stops
     * the masks (bit 63's follower is not in them) */
    uint64_t bad = ~(c.alnum | c.space | c.stop) | (c.stop & ~(c.space >> 1)) |
                   (c.stop & 1ull << 63);
    uint64_t punct = c.stop & ~bad, hyph = 0;
    unsigned len;
    bool wend = false; /* the byte at len ends a word touching it */
    for (;;) {
      len = bad ? (unsigned)__builtin_ctzll(bad) : 64;
      if (len >= 64)
        break;
      unsigned char b = u[len];
      unsigned char nx = len + 1 < avail ? u[len + 1] : 0;
      unsigned k = b < 0x80 ? span_byte[b] : 0;
      uint64_t bit = 1ull << len;
      if (k == SPAN_PUNCT ||
          (k == SPAN_SEP && nx < 0x80 && !ascii_class[nx] && nx != '.'))
        punct |= bit;
      else if (k == SPAN_SPACE)
        ; /* nothing: as a space */
      else if (k == SPAN_HYPHEN && (c.alnum & bit >> 1) && len > 0 &&
               nx < 0x80 && ascii_class[nx])
        hyph |= bit;
      else {
        wend = k == SPAN_END ||
               (b >= 0x80 && ends_word_utf8(u + len, avail - len));
        break;
      }
      bad &= bad - 1;
    }
    uint64_t valid = len >= 64 ? ~0ull : (1ull << len) - 1;
    uint64_t starts = c.alnum & ~(c.alnum << 1); /* byte 0 starts a word */
    uint64_t events = (starts | punct) & valid;
    uint64_t carry = hyph >> 63; /* the word at byte 64 is joined */
    joined |= hyph << 1;
    /* the last byte of each run (bit 63 when it may go on): the n-th run's
     * start is the n-th bit of `starts`, its end the n-th of `ends` */
    uint64_t ends = c.alnum & ~(c.alnum >> 1);
    /* the bit after each run of digits only (a number): a carry from the
     * run's start through its digits lands outside the run only when no
     * letter stops it (a test per token of the run's letters took 6 more
     * instructions a token) */
    uint64_t digits = c.alnum & ~c.letter;
    uint64_t after_num = (digits + (starts & digits)) & ~c.alnum;
    /* the word touching what stops the span (byte len - 1 is a letter or
     * digit, and the stop does not end it; at len 64, a word that may go
     * on into the next block) is left to the next block or the
     * byte-by-byte paths: it is the last word of the block, the highest
     * start below len. Found here, the token loop tests nothing per
     * token for it. */
    unsigned next = 64; /* where the next block starts, from this one */
    if (!wend && len > 0 && (c.alnum >> (len - 1) & 1)) {
      next = 63u - (unsigned)__builtin_clzll(starts & valid);
      events &= ~(1ull << next);
    }
    /* what every token of the block shares, in locals: the loop below
     * runs once a token, and values it reloaded from the stack cost more
     * instructions than the work itself */
    const uint32_t bstart = (uint32_t)(base.i + off);
    const uint32_t cdelta = (uint32_t)(base.ci - base.i);
    const uint32_t para = t->para;
    fs_tok *tk = d->tokens;
    while (events) {
      unsigned pos = (unsigned)__builtin_ctzll(events);
      events &= events - 1;
      fs_tok *k = &tk[nt++];
      k->sentence = para; /* until mark_sentences() numbers it */
      k->byte_start = bstart + pos;
      k->char_start = bstart + pos + cdelta;
      k->form = k->stem = FS_NONE;
      k->voice = voice;
      if (punct >> pos & 1) { /* a one-byte punctuation mark */
        k->byte_end = bstart + pos + 1;
        k->nchars = 1;
        k->kind = FS_TOK_PUNCT;
        k->flags = 0;
        continue;
      }
      /* e < 64 here: a word ends before what ends the span, and a comma or
       * period in bit 63 ends it */
      unsigned e = (unsigned)__builtin_ctzll(ends) + 1;
      ends &= ends - 1;
      unsigned tlen = e - pos; /* at most 64: the key reads whole */
      k->byte_end = bstart + e;
      k->nchars = (uint8_t)tlen;
      k->kind = after_num >> e & 1 ? FS_TOK_NUMBER : FS_TOK_WORD;
      k->flags = (u[pos] >= 'A' && u[pos] <= 'Z' ? FS_TOKF_UPPER : 0) |
                 (uint8_t)(joined >> pos & 1);
      /* the surface lookup's key, as push_token() writes it */
      unsigned klen = tlen < FS_SURF_INLINE ? tlen : FS_SURF_INLINE;
      p->tok = (uint32_t)nt - 1;
      p->len = tlen;
      fs_surface_key(u + pos, klen, avail - pos, &p->a, &p->b);
      uint64_t h = fs_surface_hash(p->a, p->b, tlen);
      p->h = tlen > FS_SURF_INLINE ? 0 : h;
      p++;
    }
    if (len < 64) {
      t->span_stop = at + off + len; /* no second try before this byte */
      break;
    }
    /* the block had nothing that stops a span: go on from the word that
     * runs past it (its start is a word start), or from the next byte; a
     * word of 64 bytes or more goes the byte-by-byte way */
    joined = next < 64 ? joined >> next & 1 : carry;
    off += next;
    if (!next || t->c.n - at - off < 64 || nt + 64 > d->tokens_cap ||
        (size_t)(p - ctx->surf_keys) >= ctx->surf_batch)
      break;
  }
  if (nt == d->ntokens)
    return false;
  size_t end = d->tokens[nt - 1].byte_end - base.i; /* from at */
  bool end_word = d->tokens[nt - 1].kind != FS_TOK_PUNCT;
  if (base.line != t->mark_line) { /* lines count from 1 */
    if (fs_grow(&d->lines, &d->lines_cap, d->nlines + 1, sizeof *d->lines)) {
      t->err = FS_ERR_NOMEM; /* nothing added */
      return false;
    }
    t->mark_line = base.line;
    d->lines[d->nlines++] = (fs_line_mark){(uint32_t)d->ntokens, base.line,
                                           (uint32_t)base.line_ci};
  }
  d->ntokens = nt;
  ctx->surf_nkeys = (size_t)(p - ctx->surf_keys);
  /* a joining hyphen after the last word: word() would have stepped over
   * it and joined the next word */
  size_t stop = base.i + end;
  bool join = end_word && stop + 1 < t->c.n && t->c.s[stop] == '-' &&
              ascii_class[t->c.s[stop + 1]];
  t->joined = join;
  t->c.i = stop + join, t->c.ci = base.ci + end + join;
  return true;
}

/* ---- sentences ---------------------------------------------------------- */

static inline uint32_t first_cp(const fs_doc *d, const fs_tok *k) {
  size_t i = k->byte_start;
  unsigned char b = (unsigned char)d->text[i];
  if (b < 0x80)
    return b;
  int bad = 0;
  return fs_utf8_next((const unsigned char *)d->text, d->len, &i, &bad);
}

static bool is_closer(const fs_doc *d, const fs_tok *k) {
  if (k->kind == FS_TOK_QUOTE)
    return !(k->flags & FS_TOKF_OPEN);
  if (k->kind != FS_TOK_PUNCT)
    return false;
  uint32_t cp = first_cp(d, k);
  return cp == ')' || cp == ']' || cp == '}' || cp == 0x2019 || cp == '\'';
}

static bool starts_sentence(const fs_doc *d, const fs_tok *k) {
  if (k->kind == FS_TOK_NUMBER || (k->flags & FS_TOKF_UPPER))
    return true;
  if (k->kind == FS_TOK_QUOTE)
    return k->flags & FS_TOKF_OPEN;
  if (k->kind == FS_TOK_PUNCT) {
    uint32_t cp = first_cp(d, k);
    return cp == '(' || cp == '[' || cp == 0x2014 || cp == '-';
  }
  return false;
}

/* Does a sentence end between tokens k-1 and k of one paragraph? Token k
 * (not numbered yet) holds its paragraph in its sentence field. */
static bool sentence_break(const fs_ctx *ctx, const fs_doc *d, size_t k) {
  const fs_tok *tok = d->tokens;
  /* test the cheap condition first: scanning back over closers for every
   * token would make a run of closing marks quadratic */
  if (!starts_sentence(d, &tok[k]))
    return false;
  size_t j = k - 1;
  while (j > 0 && is_closer(d, &tok[j]))
    j--;
  const fs_tok *e = &tok[j];
  if (e->kind == FS_TOK_WORD) {
    /* an acronym with its final period: U.S. The ... */
    if (d->text[e->byte_end - 1] != '.')
      return false;
    return tok[k].kind == FS_TOK_WORD &&
           (ctx->form_bits[tok[k].form] & FS_FORM_STARTER);
  }
  if (e->kind != FS_TOK_PUNCT)
    return false;
  uint32_t cp = first_cp(d, e);
  if (!is_terminal(cp))
    return false;
  if (cp == '.' && e->byte_end - e->byte_start == 1 && j > 0) {
    const fs_tok *w = &tok[j - 1];
    if (w->kind == FS_TOK_WORD && w->byte_end == e->byte_start) {
      /* an initial (J. R. Osk) or a known abbreviation (Mr., Gen.) */
      if ((w->flags & FS_TOKF_UPPER) && w->nchars == 1)
        return false;
      if (ctx->form_bits[w->form] & FS_FORM_ABBREV)
        return false;
    }
  }
  return true;
}

/* Numbers the sentences of tokens [from, to): a break before token k looks
 * only at tokens up to k and at their forms, so a batch is numbered as soon
 * as its words are looked up, while its tokens are still in cache (a pass
 * over a long document's tokens afterwards went to memory). A new
 * paragraph always starts a sentence; within one, a lowercase word (most
 * tokens) never does, and is let through before the call. */
static int mark_sentences(const fs_ctx *ctx, fs_doc *d, size_t from,
                          size_t to) {
  fs_tok *tok = d->tokens;
  uint32_t s = from ? tok[from - 1].sentence : 0;
  uint32_t para = from ? d->sent_para[s] : 0;
  for (size_t k = from; k < to; k++) {
    uint32_t p = tok[k].sentence;
    bool plain = tok[k].kind == FS_TOK_WORD && !(tok[k].flags & FS_TOKF_UPPER);
    if (k == 0 || p != para || (!plain && sentence_break(ctx, d, k))) {
      s += k > 0;
      if (fs_grow(&d->sent_para, &d->sent_para_cap, (size_t)s + 1,
                  sizeof *d->sent_para))
        return FS_ERR_NOMEM;
      d->sent_para[s] = p;
      para = p;
    }
    tok[k].sentence = s;
  }
  return FS_OK;
}

/* Looks up the pending words (fs_surface_lookup) and numbers the sentences
 * of the tokens looked up. */
static int lookup_batch(fs_ctx *ctx, fs_doc *d) {
  size_t from = ctx->surf_done;
  if (fs_surface_lookup(ctx, d))
    return FS_ERR_NOMEM;
  return mark_sentences(ctx, d, from, ctx->surf_done);
}

/* ---- driver ------------------------------------------------------------- */

int fs_tokenize(fs_ctx *ctx, fs_doc *doc) {
  tstate t = {0};
  t.ctx = ctx;
  t.doc = doc;
  t.c.s = (const unsigned char *)doc->text;
  t.c.n = doc->len;
  t.c.line = 1;
  t.cont_at = SIZE_MAX;
  t.aside_from = FS_NONE;
  t.rm.base = SIZE_MAX;
  /* a window of a longer document reads its lines as the whole does */
  t.wrapped = doc->wrap ? doc->wrap == FS_WRAP_YES
                        : detect_wrapped(t.c.s, t.c.n);
  /* about one token per 5 bytes of news text: reserve once (plus the 64
   * that plain_span() wants room for, so it does not grow the array where
   * the guess would have done) */
  size_t guess = t.c.n / 5 + 16 + 64;
  if (guess > (1u << 20))
    guess = 1u << 20;
  bool fresh = doc->tokens_cap < guess;
  if (fs_grow(&doc->tokens, &doc->tokens_cap, guess, sizeof *doc->tokens) ||
      fs_surface_reserve(ctx, ctx->surf_batch + 65))
    return FS_ERR_NOMEM;
  if (fresh) /* about to be written, front to back (fs_prefault) */
    fs_prefault(doc->tokens, guess * sizeof *doc->tokens);
  ctx->surf_nkeys = ctx->surf_done = 0;
  doc->ncand_toks = 0;
  doc->nlines = 0;
  if (t.c.n >= 3 && !memcmp(t.c.s, "\xEF\xBB\xBF", 3))
    doc->stats.bom = 1;
  uint32_t prev = 0;
  int newlines = 0;   /* consecutive newlines seen in the current gap */
  bool started = false; /* a token was emitted in this paragraph */
  while (t.c.i < t.c.n) {
    size_t at = t.c.i;
    unsigned char b = t.c.s[at];
    if (b == ' ' || b == '\t') { /* the commonest byte, inline */
      t.c.i++, t.c.ci++;
      prev = b;
      continue;
    }
    uint32_t cp = b < 0x80 ? b : peek(&t.c, at);
    bool space = b < 0x80 ? b == ' ' || (b >= 9 && b <= 13) || b == 0
                          : fs_is_space(cp) || (at == 0 && cp == 0xFEFF);
    if (space) {
      advance(&t);
      if (cp == '\n' || (cp == '\r' && peek(&t.c, t.c.i) != '\n'))
        newlines++;
      if (!is_newline(cp))
        prev = cp;
      else
        prev = ' ';
      continue;
    }
    if (newlines && started && (newlines >= 2 || !t.wrapped)) {
      paragraph_break(&t);
      started = false;
    }
    newlines = 0;
    if (ascii_class[b] && (plain_span(&t) || (!t.err && plain_word(&t)))) {
      started = true;
      prev = t.c.s[t.c.i - 1];
      continue;
    }
    if (t.err)
      return t.err;
    int rc;
    cursor start = t.c; /* (word() keeps its own) */
    if (b < 0x80 ? ascii_class[b] != 0 : is_alnum(cp)) {
      rc = word(&t);
    } else if (cp == '.' && peek(&t.c, at + 1) == '.' &&
               peek(&t.c, at + 2) == '.') {
      while (peek(&t.c, t.c.i) == '.')
        advance(&t);
      rc = push_token(&t, &start, FS_TOK_PUNCT, 0);
    } else if (is_quote_char(cp)) {
      advance(&t);
      rc = quote_mark(&t, &start, cp, prev, peek(&t.c, t.c.i));
    } else if (ctx->dash_speech && is_dash(cp)) {
      advance(&t);
      rc = dialogue_dash(&t, &start, peek(&t.c, t.c.i));
    } else {
      advance(&t);
      rc = push_token(&t, &start, FS_TOK_PUNCT, 0);
    }
    if (rc)
      return rc;
    started = true;
    prev = t.c.s[t.c.i - 1] < 0x80 ? t.c.s[t.c.i - 1]
                                   : fs_utf8_prev(t.c.s, t.c.i);
  }
  int rc = lookup_batch(ctx, doc);
  if (rc)
    return rc;
  uint32_t last = doc->ntokens ? doc->tokens[doc->ntokens - 1].sentence : 0;
  doc->stats.sentences = doc->ntokens ? last + 1 : 0;
  doc->stats.paragraphs = doc->ntokens ? (size_t)t.para + 1 : 0;
  return FS_OK;
}

/* The mark of the line that holds token k: the last that starts at or
 * before it. */
static const fs_line_mark *line_of(const fs_doc *d, size_t k) {
  size_t lo = 0, hi = d->nlines; /* lines[lo].tok <= k < lines[hi].tok */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (d->lines[mid].tok <= k)
      lo = mid;
    else
      hi = mid;
  }
  return &d->lines[lo];
}

const fs_line_mark *fs_tok_line_at(const fs_doc *d, size_t k, size_t *at) {
  size_t i = *at;
  /* a few lines on from the last, else a search */
  for (int n = 0; n < 4 && i < d->nlines && d->lines[i].tok <= k; n++, i++)
    if (i + 1 == d->nlines || d->lines[i + 1].tok > k) {
      *at = i;
      return &d->lines[i];
    }
  const fs_line_mark *m = line_of(d, k);
  *at = (size_t)(m - d->lines);
  return m;
}

uint32_t fs_tok_line(const fs_doc *d, size_t k) { return line_of(d, k)->line; }

uint32_t fs_tok_col(const fs_doc *d, size_t k) {
  return d->tokens[k].char_start - line_of(d, k)->char_start + 1;
}

size_t fs_tok_count_chars(const fs_doc *d, const fs_tok *t) {
  const unsigned char *s = (const unsigned char *)d->text;
  size_t n = t->char_start; /* a window's offsets start at d->text_base */
  for (size_t i = t->byte_start - d->text_base;
       i < t->byte_end - d->text_base; n++) {
    int bad = 0;
    fs_utf8_next(s, d->len, &i, &bad);
  }
  return n;
}
