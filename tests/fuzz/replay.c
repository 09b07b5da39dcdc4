/* SPDX-License-Identifier: GPL-3.0-or-later */
/* replay.c - runs a fuzz target over files and folders without libFuzzer,
 * so the seed corpora and every input that once crashed are regression
 * tests in each build (plain, ASan+UBSan, valgrind). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? 2 * cap : 65536;
      char *nb = realloc(buf, cap);
      if (!nb) {
        fclose(f);
        free(buf);
        return 1;
      }
      buf = nb;
    }
    size_t r = fread(buf + n, 1, cap - n, f);
    if (r == 0)
      break;
    n += r;
  }
  fclose(f);
  LLVMFuzzerTestOneInput((const uint8_t *)buf, n);
  free(buf);
  return 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every file of a folder, in name order. Returns the count, -1 on
 * error. */
static int run_dir(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    perror(dir);
    return -1;
  }
  char **names = NULL;
  size_t n = 0;
  struct dirent *de;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.')
      continue;
    char **nn = realloc(names, (n + 1) * sizeof *names);
    char *full = malloc(strlen(dir) + strlen(de->d_name) + 2);
    if (!nn || !full) {
      free(full);
      closedir(d);
      return -1;
    }
    names = nn;
    sprintf(full, "%s/%s", dir, de->d_name);
    names[n++] = full;
  }
  closedir(d);
  if (n)
    qsort(names, n, sizeof *names, cmp_str);
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    bad |= run_file(names[i]);
    free(names[i]);
  }
  free(names);
  return bad ? -1 : (int)n;
}

int main(int argc, char **argv) {
  int total = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      int n = run_dir(argv[i]);
      if (n < 0)
        return 1;
      total += n;
    } else if (run_file(argv[i]) == 0) {
      total++;
    } else {
      return 1;
    }
  }
  printf("%d inputs replayed\n", total);
  return total > 0 ? 0 : 1;
}
