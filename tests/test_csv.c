/* test_csv.c - RFC 4180 writing and reading, JSON strings, snippets, and the
 * manifest reader's errors with line numbers. */
#include "framescore.h"
#include "harness.h"

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
  fs_corpus_free(&c);

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

int main(void) {
  test_write();
  test_read();
  test_manifest();
  DONE();
}
