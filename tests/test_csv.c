/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_csv.c - RFC 4180 writing and reading, JSON strings, snippets, and the
 * manifest reader's errors with line numbers. */
#include "framescore.h"
#include "harness.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* Runs fn into a memory buffer and returns the text (static storage). */
static const char *csv_of(const char *s, size_t len) {
  static char buf[512];
  FILE *f = fmemopen(buf, sizeof buf, "w");
  fs_csv_field(f, s, len);
  fclose(f);
  return buf;
}

static const char *json_of(const char *s, size_t len) {
  static char buf[512];
  FILE *f = fmemopen(buf, sizeof buf, "w");
  fs_json_string(f, s, len);
  fclose(f);
  return buf;
}

static void test_write(void) {
  STR_EQ(csv_of("plain", 5), "plain");
  STR_EQ(csv_of("a,b", 3), "\"a,b\"");
  STR_EQ(csv_of("say \"no\"", 8), "\"say \"\"no\"\"\"");
  STR_EQ(csv_of("two\nlines", 9), "\"two\nlines\"");
  STR_EQ(csv_of("cr\r", 3), "\"cr\r\"");
  STR_EQ(csv_of("bad\xff", 4), "bad\xEF\xBF\xBD");
  STR_EQ(csv_of("“curly”", strlen("“curly”")), "“curly”");
  STR_EQ(json_of("a\"b\\c\n\t\x01", 8), "\"a\\\"b\\\\c\\n\\t\\u0001\"");
  STR_EQ(json_of("x\xc3", 2), "\"x\\ufffd\"");
  char out[64];
  fs_text_clean(out, sizeof out, "  a\n\n b\xff  ", 11);
  STR_EQ(out, " a b\xEF\xBF\xBD ");
}

static void test_read(void) {
  const char *data = "path,outlet,title\r\n"
                     "a.txt,x,\"Comma, and \"\"quote\"\"\"\n"
                     "b.txt,y,\"two\nlines\"\n"
                     "c.txt,z,plain";
  fs_csv_record *r = malloc(sizeof *r);
  fs_error err;
  size_t pos = 0;
  long line = 1;
  INT_EQ(fs_csv_read_record(data, strlen(data), &pos, &line, r, "m", &err), 1);
  INT_EQ(r->nfields, 3);
  STR_EQ(r->fields[2], "title");
  INT_EQ(fs_csv_read_record(data, strlen(data), &pos, &line, r, "m", &err), 1);
  STR_EQ(r->fields[2], "Comma, and \"quote\"");
  INT_EQ(fs_csv_read_record(data, strlen(data), &pos, &line, r, "m", &err), 1);
  STR_EQ(r->fields[2], "two\nlines");
  INT_EQ(r->line, 3);
  INT_EQ(fs_csv_read_record(data, strlen(data), &pos, &line, r, "m", &err), 1);
  INT_EQ(r->line, 5);
  STR_EQ(r->fields[0], "c.txt");
  INT_EQ(fs_csv_read_record(data, strlen(data), &pos, &line, r, "m", &err), 0);
  /* unterminated quote: the error names the line it started on */
  const char *bad = "path,outlet\na.txt,\"never closed\nmore\n";
  pos = 0, line = 1;
  fs_csv_read_record(bad, strlen(bad), &pos, &line, r, "m.csv", &err);
  INT_EQ(fs_csv_read_record(bad, strlen(bad), &pos, &line, r, "m.csv", &err),
         -FS_ERR_INPUT);
  INT_EQ(err.line, 2);
  OK(strstr(err.msg, "unterminated") != NULL, "%s", err.msg);
  free(r);
}

static void test_manifest(void) {
  fs_corpus c;
  fs_error err;
  const char *ok = "path,outlet,date\nx/a.txt,one,2024-01-01\nb.txt,two,\n";
  fs_corpus_init(&c);
  INT_EQ(fs_corpus_add_manifest(&c, "dir/m.csv", ok, strlen(ok), &err), FS_OK);
  INT_EQ(c.ndocs, 2);
  STR_EQ(c.docs[0].path, "dir/x/a.txt");
  STR_EQ(c.docs[1].outlet, "two");
  INT_EQ(c.nextra, 1);
  STR_EQ(c.extra_names[0], "date");
  STR_EQ(c.docs[0].extra[0], "2024-01-01");
  STR_EQ(fs_corpus_name(&c.docs[0]), "x/a.txt");
  fs_corpus_free(&c);

  /* many documents, some with values longer than the corpus's string
   * blocks keep together: every path, name and value intact */
  size_t nd = 3000, cap = nd * 64 + 40 * 20000;
  char *m = malloc(cap), *big = malloc(20001);
  OK(m && big, "out of memory");
  memset(big, 'x', 20000);
  big[20000] = '\0';
  size_t o = (size_t)snprintf(m, cap, "path,outlet,title\n");
  for (size_t i = 0; i < nd; i++)
    o += (size_t)snprintf(m + o, cap - o, "%sd%zu.txt,o%zu,%s%zu\n",
                          i == 7 ? "/abs/" : "", i, i % 5,
                          i % 80 == 3 ? big : "t", i);
  fs_corpus_init(&c);
  INT_EQ(fs_corpus_add_manifest(&c, "dir/m.csv", m, o, &err), FS_OK);
  INT_EQ(c.ndocs, nd);
  bool same = true;
  for (size_t i = 0; i < nd && same; i++) {
    char want[64];
    snprintf(want, sizeof want, "%sd%zu.txt", i == 7 ? "/abs/" : "", i);
    const char *v = c.docs[i].extra[0];
    size_t vl = strlen(v);
    same = !strcmp(fs_corpus_name(&c.docs[i]), want) &&
           (i == 7) == (c.docs[i].name == NULL) &&
           !strncmp(c.docs[i].path, i == 7 ? "" : "dir/", i == 7 ? 0 : 4) &&
           !strcmp(c.docs[i].path + (i == 7 ? 0 : 4), want) &&
           (i % 80 == 3 ? vl > 20000 && !strncmp(v, big, 20000)
                        : v[0] == 't') &&
           (size_t)atol(v + (i % 80 == 3 ? 20000 : 1)) == i;
    OK(same, "document %zu: %s %s", i, c.docs[i].path, fs_corpus_name(&c.docs[i]));
  }
  fs_corpus_free(&c);
  free(m), free(big);

  struct {
    const char *text, *what;
    long line;
  } bad[] = {
      {"file,source\na,b\n", "'path' and 'outlet'", 1},
      {"path,outlet\na.txt,x\na.txt,y\n", "duplicate path", 3},
      {"path,outlet\na.txt,\n", "empty outlet", 2},
      {"path,outlet\na.txt,x,extra\n", "expected 2 columns", 2},
      {"path,outlet\na.txt,x\nb\"c,y\n", "quote inside", 3},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    fs_corpus_init(&c);
    memset(&err, 0, sizeof err);
    INT_EQ(fs_corpus_add_manifest(&c, "m.csv", bad[i].text,
                                  strlen(bad[i].text), &err),
           FS_ERR_INPUT);
    OK(strstr(err.msg, bad[i].what) != NULL, "case %zu: %s", i, err.msg);
    INT_EQ(err.line, bad[i].line);
    fs_corpus_free(&c);
  }
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rng(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}
static double unit(void) { return (double)(rng() >> 11) / 9007199254740992.0; }

/* fs_format_g10 must give the very bytes of printf's %.10g (CSV and JSON
 * output promise %.10g): fixed cases at the edges of its fast path, then
 * random values of the kinds the statistics print. */
static void test_numbers(void) {
  static const double fixed[] = {
      0, -0.0, 1, -1, 0.5, 1e-5, 1e-4, 0.0001234, 0.00001234, 123456789012.0,
      9999999999.0, 9999999999.5, 99999999995.0, 99999999994.9, 1e10, 1e9,
      999999999.95, 0.99999999995, 1e-300, 5e-324, 1.7976931348623157e308,
      1.0 / 3, 2.0 / 3, 1e-45, 1e-46, 1e36, 1e37, 123.456, -0.000123456789,
      12345678905.0, 0.1, 0.2, 0.3, 1e15, 1e16, 1e17, 1e18, 1e19, 4.35e-7};
  char got[FS_G10_MAX], want[FS_G10_MAX];
  size_t bad = 0, n = 0;
  for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++, n++) {
    fs_format_g10(got, fixed[i]);
    snprintf(want, sizeof want, "%.10g", fixed[i]);
    if (strcmp(got, want) && bad++ < 10)
      OK(0, "%.17g: got %s, want %s", fixed[i], got, want);
  }
  for (size_t i = 0; i < 3000000; i++, n++) {
    double x;
    switch (i % 6) {
    case 0: { /* any finite bit pattern */
      uint64_t b = rng();
      memcpy(&x, &b, sizeof x);
      if (!isfinite(x))
        x = 1.5;
      break;
    }
    case 1: /* log-uniform over the range statistics reach */
      x = pow(10, -60 + 100 * unit());
      break;
    case 2: /* counts */
      x = (double)(rng() % 2000000000000u);
      break;
    case 3: /* rates and ratios of counts */
      x = 1000.0 * (double)(rng() % 100000) / (double)(1 + rng() % 10000000);
      break;
    case 4: /* at and beside the rounding tie of the 10th digit */
      x = ((double)(rng() % 10000000000u) + 0.5 +
           ((double)(rng() % 3) - 1) * 1e-7) *
          pow(10, (double)(rng() % 40) - 25);
      break;
    default: /* p-values and their logs */
      x = exp(-700 * unit()) * (rng() & 1 ? 1 : -1);
      break;
    }
    fs_format_g10(got, x);
    snprintf(want, sizeof want, "%.10g", x);
    if (strcmp(got, want) && bad++ < 10)
      OK(0, "%.17g: got %s, want %s", x, got, want);
  }
  OK(bad == 0, "%zu of %zu numbers differ from %%.10g", bad, n);
  char buf[64];
  FILE *f = fmemopen(buf, sizeof buf, "w");
  fs_csv_number(f, 0.25);
  fs_csv_number(f, NAN);
  fs_csv_number(f, -INFINITY);
  fs_json_number(f, "z", 1e-7);
  fs_json_number(f, "q", NAN);
  fclose(f);
  STR_EQ(buf, ",0.25,,-Inf,\"z\":1e-07,\"q\":null");
}

int main(void) {
  test_numbers();
  test_write();
  test_read();
  test_manifest();
  DONE();
}
