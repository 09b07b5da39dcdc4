/* SPDX-License-Identifier: GPL-3.0-or-later */
/* corpus.c - which documents belong to which outlet: a manifest CSV
 * (path,outlet[,date,title,...]), outlet folders (one folder per outlet), or
 * an outlet taken from the file name by a regular expression. */
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HASH_NONFATAL_OOM 1
#define uthash_nonfatal_oom(obj) (oom = 1)
#include <uthash.h>

/* The corpus's indexes, kept small because a manifest may list millions
 * of documents: paths already added (open addressing on document indexes,
 * so duplicates are found in constant time without a second copy of each
 * path) and the distinct outlet names the documents share. The documents'
 * strings (paths, manifest values and their arrays) live in blocks freed
 * together: no allocation of their own each, and a manifest's name is the
 * tail of the path joined from it, not a copy. */
typedef struct outlet_name {
  char *name;
  UT_hash_handle hh;
} outlet_name;

typedef struct str_block {
  struct str_block *prev;
  size_t used, size;
  unsigned char data[]; /* at offset 3 words: aligned for a pointer */
} str_block;

struct fs_path_seen {
  uint32_t *slots; /* document index + 1; 0 = empty */
  size_t nslots;
  outlet_name *outlets;
  str_block *strings; /* the block being filled; the others through prev */
};

#define STR_BLOCK ((size_t)64 << 10)

/* n bytes aligned for a pointer from the corpus's blocks, or NULL. */
static void *str_alloc(struct fs_path_seen *x, size_t n) {
  str_block *b = x->strings;
  size_t at = b ? (b->used + sizeof(void *) - 1) & ~(sizeof(void *) - 1) : 0;
  if (b && at <= b->size && n <= b->size - at) {
    b->used = at + n;
    return b->data + at;
  }
  /* a long string gets a block of its own, behind the one being filled */
  bool own = n > STR_BLOCK / 4;
  size_t size = own ? n : STR_BLOCK - sizeof *b;
  str_block *nb = malloc(sizeof *nb + size);
  if (!nb)
    return NULL;
  nb->size = size, nb->used = n;
  if (own && b)
    nb->prev = b->prev, b->prev = nb;
  else
    nb->prev = b, x->strings = nb;
  return nb->data;
}

static char *str_copy(struct fs_path_seen *x, const char *s) {
  size_t n = strlen(s) + 1;
  char *p = str_alloc(x, n);
  return p ? memcpy(p, s, n) : NULL;
}

void fs_corpus_init(fs_corpus *c) { memset(c, 0, sizeof *c); }

void fs_corpus_free(fs_corpus *c) {
  if (!c)
    return;
  free(c->docs);
  for (size_t k = 0; k < c->nextra; k++)
    free(c->extra_names[k]);
  free(c->extra_names);
  for (size_t k = 0; k < c->nskipped; k++)
    free(c->skipped[k]);
  free(c->skipped);
  if (c->seen) {
    outlet_name *o, *ot;
    HASH_ITER(hh, c->seen->outlets, o, ot) {
      HASH_DEL(c->seen->outlets, o);
      free(o->name);
      free(o);
    }
    for (str_block *b = c->seen->strings, *p; b; b = p) {
      p = b->prev;
      free(b);
    }
    free(c->seen->slots);
    free(c->seen);
  }
  memset(c, 0, sizeof *c);
}

/* The shared copy of an outlet name, or NULL when out of memory. */
static char *outlet_copy(fs_corpus *c, const char *name, size_t len) {
  int oom = 0;
  outlet_name *o = NULL;
  HASH_FIND(hh, c->seen->outlets, name, len, o);
  if (o)
    return o->name;
  o = malloc(sizeof *o);
  if (!o || !(o->name = strndup(name, len))) {
    free(o);
    return NULL;
  }
  HASH_ADD_KEYPTR(hh, c->seen->outlets, o->name, len, o);
  if (oom) {
    free(o->name);
    free(o);
    return NULL;
  }
  return o->name;
}

/* The slot of `path` in the path index: its document's, or an empty one. */
static uint32_t *path_slot(const fs_corpus *c, uint32_t *slots, size_t nslots,
                           const char *path) {
  size_t mask = nslots - 1;
  for (size_t i = fs_hash(path, strlen(path)) & mask;; i = (i + 1) & mask) {
    uint32_t *s = &slots[i];
    if (*s == 0 || !strcmp(c->docs[*s - 1].path, path))
      return s;
  }
}

/* Makes room in the path index for one more document (at most 3/4 full:
 * linear probing stays short, and the index costs 5 to 11 bytes a
 * document). */
static int path_room(fs_corpus *c) {
  struct fs_path_seen *x = c->seen;
  if ((c->ndocs + 1) * 4 <= x->nslots * 3)
    return 0;
  size_t n = x->nslots ? 2 * x->nslots : 1024;
  uint32_t *slots = calloc(n, sizeof *slots);
  if (!slots)
    return -1;
  for (size_t i = 0; i < c->ndocs; i++)
    *path_slot(c, slots, n, c->docs[i].path) = (uint32_t)i + 1;
  free(x->slots);
  x->slots = slots;
  x->nslots = n;
  return 0;
}

/* ---- RFC 4180 reading ----------------------------------------------------- */

/* Column (1-based, in code points) of byte offset `at`: counted only when an
 * error is reported, so long lines cost nothing while they parse. */
static long csv_col(const char *data, size_t at) {
  long col = 1;
  for (size_t k = at; k > 0 && data[k - 1] != '\n' && data[k - 1] != '\r';
       k--)
    if (((unsigned char)data[k - 1] & 0xC0) != 0x80)
      col++;
  return col;
}

int fs_csv_read_record(const char *data, size_t len, size_t *pos, long *line,
                       fs_csv_record *rec, const char *file, fs_error *err) {
  size_t i = *pos;
  rec->nfields = 0;
  rec->line = *line;
  char *buf = rec->buf;
  size_t o = 0;
  if (i >= len)
    return 0;
  for (;;) {
    if (rec->nfields == FS_CSV_MAX_FIELDS)
      return -fs_error_set(err, FS_ERR_INPUT, file, *line, csv_col(data, i),
                           "more than %d columns", FS_CSV_MAX_FIELDS);
    rec->fields[rec->nfields++] = buf + o;
    size_t fstart = i;
    long fline = *line;
    if (i < len && data[i] == '"') {
      i++;
      for (;;) {
        if (i >= len)
          return -fs_error_set(err, FS_ERR_INPUT, file, fline,
                               csv_col(data, fstart),
                               "unterminated quoted field");
        if (o >= FS_CSV_MAX_RECORD - 1)
          return -fs_error_set(err, FS_ERR_INPUT, file, fline,
                               csv_col(data, fstart),
                               "record longer than %d bytes",
                               FS_CSV_MAX_RECORD);
        if (data[i] == '"') {
          if (i + 1 < len && data[i + 1] == '"') {
            buf[o++] = '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (data[i] == '\n')
          (*line)++;
        buf[o++] = data[i++];
      }
      if (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r')
        return -fs_error_set(err, FS_ERR_INPUT, file, *line, csv_col(data, i),
                             "unexpected text after a closing quote");
    } else {
      while (i < len && data[i] != ',' && data[i] != '\n' && data[i] != '\r') {
        if (data[i] == '"')
          return -fs_error_set(err, FS_ERR_INPUT, file, *line,
                               csv_col(data, i),
                               "quote inside an unquoted field");
        if (o >= FS_CSV_MAX_RECORD - 1)
          return -fs_error_set(err, FS_ERR_INPUT, file, *line,
                               csv_col(data, fstart),
                               "record longer than %d bytes",
                               FS_CSV_MAX_RECORD);
        buf[o++] = data[i++];
      }
    }
    /* room for the terminator is always left by the checks above, but a
     * record of many empty fields can still reach the end of buf */
    if (o >= FS_CSV_MAX_RECORD)
      return -fs_error_set(err, FS_ERR_INPUT, file, *line, csv_col(data, i),
                           "record longer than %d bytes", FS_CSV_MAX_RECORD);
    buf[o++] = '\0';
    if (i < len && data[i] == ',') {
      i++;
      continue;
    }
    if (i < len && data[i] == '\r')
      i++;
    if (i < len && data[i] == '\n')
      i++;
    (*line)++;
    break;
  }
  *pos = i;
  return 1;
}

/* ---- adding documents ----------------------------------------------------- */

static int add_doc(fs_corpus *c, const char *path, const char *outlet,
                   long line, const char *source, fs_error *err) {
  if (!c->seen && !(c->seen = calloc(1, sizeof *c->seen)))
    return fs_error_set(err, FS_ERR_NOMEM, source, line, 0, "out of memory");
  if (c->ndocs >= UINT32_MAX - 1)
    return fs_error_set(err, FS_ERR_INPUT, source, line, 0,
                        "more than %u documents", UINT32_MAX - 2);
  if (path_room(c) ||
      fs_grow(&c->docs, &c->docs_cap, c->ndocs + 1, sizeof *c->docs))
    return fs_error_set(err, FS_ERR_NOMEM, source, line, 0, "out of memory");
  uint32_t *slot = path_slot(c, c->seen->slots, c->seen->nslots, path);
  if (*slot)
    return fs_error_set(err, FS_ERR_INPUT, source, line, 0,
                        "duplicate path '%s' (first listed at line %ld)",
                        path, c->docs[*slot - 1].line);
  fs_corpus_doc *d = &c->docs[c->ndocs];
  memset(d, 0, sizeof *d);
  outlet = outlet ? outlet : "";
  d->path = str_copy(c->seen, path);
  d->outlet = outlet_copy(c, outlet, strlen(outlet));
  d->line = line;
  if (!d->path || !d->outlet)
    return fs_error_set(err, FS_ERR_NOMEM, source, line, 0, "out of memory");
  *slot = (uint32_t)c->ndocs + 1;
  c->ndocs++;
  return FS_OK;
}

static char *join_path(const char *dir, const char *name) {
  /* not sprintf: ~1,000 instructions a row of a 4,119-row manifest */
  size_t n = strlen(dir), m = strlen(name);
  bool slash = n && dir[n - 1] != '/';
  char *p = malloc(n + m + 2);
  if (p) {
    memcpy(p, dir, n);
    p[n] = '/';
    memcpy(p + n + slash, name, m + 1);
  }
  return p;
}

static char *dir_of(const char *path) {
  const char *s = strrchr(path, '/');
  if (!s)
    return strdup(".");
  return strndup(path, s == path ? 1 : (size_t)(s - path));
}

static int find_col(const fs_csv_record *h, const char *name) {
  for (size_t i = 0; i < h->nfields; i++)
    if (!strcmp(h->fields[i], name))
      return (int)i;
  return -1;
}

int fs_corpus_add_manifest(fs_corpus *c, const char *manifest, const char *data,
                           size_t len, fs_error *err) {
  fs_csv_record *rec = malloc(sizeof *rec);
  char *base = dir_of(manifest);
  int rc = FS_OK;
  if (!rec || !base) {
    free(rec), free(base);
    return fs_error_set(err, FS_ERR_NOMEM, manifest, 0, 0, "out of memory");
  }
  size_t pos = 0;
  long line = 1;
  if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
    pos = 3;
  int r = fs_csv_read_record(data, len, &pos, &line, rec, manifest, err);
  int pcol = -1, ocol = -1;
  size_t nhead = 0;
  if (r < 0) {
    rc = -r;
    goto done;
  }
  if (r == 0 || (pcol = find_col(rec, "path")) < 0 ||
      (ocol = find_col(rec, "outlet")) < 0) {
    rc = fs_error_set(err, FS_ERR_INPUT, manifest, 1, 0,
                      "the header must name the columns 'path' and 'outlet'");
    goto done;
  }
  nhead = rec->nfields;
  if (c->ndocs == 0 && c->nextra == 0) {
    c->extra_names = calloc(nhead, sizeof *c->extra_names);
    if (!c->extra_names) {
      rc = fs_error_set(err, FS_ERR_NOMEM, manifest, 0, 0, "out of memory");
      goto done;
    }
    for (size_t k = 0; k < nhead; k++)
      if ((int)k != pcol && (int)k != ocol &&
          !(c->extra_names[c->nextra++] = strdup(rec->fields[k]))) {
        rc = fs_error_set(err, FS_ERR_NOMEM, manifest, 0, 0, "out of memory");
        goto done;
      }
  }
  while ((r = fs_csv_read_record(data, len, &pos, &line, rec, manifest,
                                 err)) > 0) {
    if (rec->nfields == 1 && rec->fields[0][0] == '\0')
      continue; /* blank line */
    if (rec->nfields != nhead) {
      rc = fs_error_set(err, FS_ERR_INPUT, manifest, rec->line, 0,
                        "expected %zu columns as in the header, found %zu",
                        nhead, rec->nfields);
      goto done;
    }
    const char *p = rec->fields[pcol], *o = rec->fields[ocol];
    if (!*p || !*o) {
      rc = fs_error_set(err, FS_ERR_INPUT, manifest, rec->line, 0,
                        "empty %s", *p ? "outlet" : "path");
      goto done;
    }
    char *full = p[0] == '/' ? strdup(p) : join_path(base, p);
    if (!full) {
      rc = fs_error_set(err, FS_ERR_NOMEM, manifest, 0, 0, "out of memory");
      goto done;
    }
    rc = add_doc(c, full, o, rec->line, manifest, err);
    free(full);
    if (rc)
      goto done;
    fs_corpus_doc *d = &c->docs[c->ndocs - 1];
    /* the path ends with the name it was joined from */
    if (strcmp(d->path, p))
      d->name = d->path + strlen(d->path) - strlen(p);
    size_t xn = (c->nextra ? c->nextra : 1) * sizeof *d->extra;
    if ((d->extra = str_alloc(c->seen, xn)))
      memset(d->extra, 0, xn);
    else {
      rc = fs_error_set(err, FS_ERR_NOMEM, manifest, 0, 0, "out of memory");
      goto done;
    }
    size_t e = 0;
    for (size_t k = 0; k < nhead && e < c->nextra; k++)
      if ((int)k != pcol && (int)k != ocol &&
          !(d->extra[e++] = str_copy(c->seen, rec->fields[k]))) {
        rc = fs_error_set(err, FS_ERR_NOMEM, manifest, 0, 0, "out of memory");
        goto done;
      }
  }
  if (r < 0)
    rc = -r;
  else if (c->ndocs == 0)
    rc = fs_error_set(err, FS_ERR_INPUT, manifest, 0, 0,
                      "the manifest lists no documents");
done:
  free(rec);
  free(base);
  return rc;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists the regular files (not hidden) of a directory, sorted. */
static int list_dir(const char *dir, char ***out, size_t *n, bool dirs,
                    fs_error *err) {
  DIR *d = opendir(dir);
  if (!d)
    return fs_error_set(err, FS_ERR_INPUT, dir, 0, 0, "%s", strerror(errno));
  size_t cap = 0;
  *out = NULL;
  *n = 0;
  struct dirent *de;
  int rc = FS_OK;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.')
      continue;
    char *full = join_path(dir, de->d_name);
    struct stat st;
    if (!full) {
      rc = fs_error_set(err, FS_ERR_NOMEM, dir, 0, 0, "out of memory");
      break;
    }
    bool is_dir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
    if (is_dir != dirs || fs_grow(out, &cap, *n + 1, sizeof **out)) {
      free(full);
      continue;
    }
    (*out)[(*n)++] = full;
  }
  closedir(d);
  if (*n)
    qsort(*out, *n, sizeof **out, cmp_str);
  return rc;
}

static void free_list(char **l, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(l[i]);
  free(l);
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

/* Is a file in a corpus folder a document: *.txt or *.text? */
static bool text_name(const char *b) {
  size_t l = strlen(b);
  return (l > 4 && !strcmp(b + l - 4, ".txt")) ||
         (l > 5 && !strcmp(b + l - 5, ".text"));
}

/* Adds a folder file as a document, or to the skipped list (taking it). */
static int add_folder_file(fs_corpus *c, char **file, const char *outlet,
                           const char *folder, fs_error *err) {
  if (text_name(base_name(*file)))
    return add_doc(c, *file, outlet, 0, folder, err);
  char **s = realloc(c->skipped, (c->nskipped + 1) * sizeof *s);
  if (!s)
    return fs_error_set(err, FS_ERR_NOMEM, folder, 0, 0, "out of memory");
  c->skipped = s;
  s[c->nskipped++] = *file;
  *file = NULL;
  return FS_OK;
}

int fs_corpus_add_path(fs_corpus *c, const char *path, const char *outlet,
                       fs_error *err) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
    return add_doc(c, path, outlet, 0, path, err);
  /* a corpus folder: each subdirectory is an outlet; loose files have the
   * folder's outlet (or none) */
  char **subs, **files;
  size_t nsubs, nfiles;
  int rc = list_dir(path, &subs, &nsubs, true, err);
  if (rc)
    return rc;
  for (size_t i = 0; i < nsubs && rc == FS_OK; i++) {
    rc = list_dir(subs[i], &files, &nfiles, false, err);
    size_t before = c->ndocs;
    for (size_t k = 0; k < nfiles && rc == FS_OK; k++)
      rc = add_folder_file(c, &files[k], base_name(subs[i]), path, err);
    if (rc == FS_OK && c->ndocs == before)
      rc = fs_error_set(err, FS_ERR_INPUT, subs[i], 0, 0,
                        "outlet folder holds no documents");
    free_list(files, nfiles);
  }
  free_list(subs, nsubs);
  if (rc)
    return rc;
  size_t before = c->ndocs;
  rc = list_dir(path, &files, &nfiles, false, err);
  for (size_t k = 0; k < nfiles && rc == FS_OK; k++) {
    const char *b = base_name(files[k]);
    size_t bl = strlen(b);
    /* a manifest or notes beside outlet folders are not documents, and
     * not worth a warning */
    if (bl > 4 && (!strcmp(b + bl - 4, ".csv") || !strcmp(b + bl - 3, ".md")))
      continue;
    rc = add_folder_file(c, &files[k], outlet, path, err);
  }
  free_list(files, nfiles);
  if (rc == FS_OK && nsubs == 0 && c->ndocs == before)
    rc = fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                      "folder holds no documents");
  return rc;
}

int fs_corpus_outlet_from(fs_corpus *c, const char *pattern, fs_error *err) {
  /* glibc matches a backreference (a GNU extension to EREs) by trying
   * every way to split the name: exponential time on a crafted pattern */
  for (const char *p = pattern; *p; p++)
    if (p[0] == '\\' && p[1]) {
      if (p[1] >= '1' && p[1] <= '9')
        return fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                            "--outlet-from: backreferences (\\%c) are not "
                            "supported",
                            p[1]);
      p++;
    }
  /* POSIX extended expressions have no Perl classes: \d would match a
   * literal d, and every file name would then fail */
  static const char *const perl[][2] = {
      {"\\d", "[0-9]"}, {"\\D", "[^0-9]"}, {"\\w", "[[:alnum:]_]"},
      {"\\W", "[^[:alnum:]_]"}, {"\\s", "[[:space:]]"},
      {"\\S", "[^[:space:]]"}};
  for (size_t i = 0; i < sizeof perl / sizeof *perl; i++)
    if (strstr(pattern, perl[i][0]))
      return fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                          "--outlet-from '%s': %s is Perl syntax; the "
                          "expression is POSIX extended (ERE): write %s",
                          pattern, perl[i][0], perl[i][1]);
  regex_t re;
  int r = regcomp(&re, pattern, REG_EXTENDED);
  if (r) {
    char msg[256];
    regerror(r, &re, msg, sizeof msg);
    return fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                        "--outlet-from: bad regular expression: %s", msg);
  }
  int rc = FS_OK;
  for (size_t i = 0; i < c->ndocs && rc == FS_OK; i++) {
    regmatch_t m[2];
    const char *name = base_name(c->docs[i].path);
    if (regexec(&re, name, 2, m, 0) != 0 || m[1].rm_so < 0) {
      rc = fs_error_set(err, FS_ERR_INPUT, c->docs[i].path, 0, 0,
                        "--outlet-from '%s' does not match this file name "
                        "(it needs one capture group)",
                        pattern);
      break;
    }
    char *o = outlet_copy(c, name + m[1].rm_so,
                          (size_t)(m[1].rm_eo - m[1].rm_so));
    if (!o) {
      rc = fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
      break;
    }
    c->docs[i].outlet = o;
  }
  regfree(&re);
  return rc;
}

int fs_group_spec(const char *spec, char *const *names, size_t n, long *col,
                  long *chars, fs_error *err) {
  const char *colon = strrchr(spec, ':');
  size_t nlen = colon ? (size_t)(colon - spec) : strlen(spec);
  *chars = -1;
  *col = -1;
  if (colon) {
    char *end;
    *chars = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || *chars < 1 || *chars > 4096)
      return fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                          "--group-by %s: after ':' comes a number of "
                          "characters (e.g. date:7 for the month)",
                          spec);
  }
  for (size_t k = 0; k < n; k++)
    if (strlen(names[k]) == nlen && !strncmp(names[k], spec, nlen))
      *col = (long)k;
  bool outlet = nlen == 6 && !strncmp(spec, "outlet", 6);
  if (*col < 0 && !outlet) {
    char list[512];
    size_t o = (size_t)snprintf(list, sizeof list, "outlet");
    for (size_t k = 0; k < n && o < sizeof list; k++)
      o += (size_t)snprintf(list + o, sizeof list - o, ", %s", names[k]);
    return fs_error_set(err, FS_ERR_USAGE, NULL, 0, 0,
                        "--group-by %.*s: no such manifest column (there "
                        "are: %s)",
                        (int)nlen, spec, list);
  }
  return FS_OK;
}

size_t fs_group_len(const char *v, long chars) {
  size_t len = v ? strlen(v) : 0;
  /* cut at a character boundary after `chars` code points */
  if (chars >= 0) {
    size_t at = 0;
    for (long n = 0; at < len && n < chars; n++)
      for (at++; at < len && ((unsigned char)v[at] & 0xC0) == 0x80; at++)
        ;
    len = at;
  }
  return len;
}

int fs_corpus_group_by(fs_corpus *c, const char *spec, fs_error *err) {
  long col, chars;
  int rc = fs_group_spec(spec, c->extra_names, c->nextra, &col, &chars, err);
  if (rc || (col < 0 && chars < 0)) /* outlet: the outlets as they are */
    return rc;
  for (size_t i = 0; i < c->ndocs; i++) {
    fs_corpus_doc *d = &c->docs[i];
    const char *v = col < 0 ? d->outlet : d->extra ? d->extra[col] : NULL;
    size_t len = fs_group_len(v, chars);
    if (!len)
      v = "(none)", len = 6;
    if (!(d->outlet = outlet_copy(c, v, len)))
      return fs_error_set(err, FS_ERR_NOMEM, NULL, 0, 0, "out of memory");
  }
  return FS_OK;
}
