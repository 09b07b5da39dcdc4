/* SPDX-License-Identifier: GPL-3.0-or-later */
/* input.c - opening and reading input files, path -> checked descriptor ->
 * bytes: regular files only (a FIFO is never waited on, a device never read
 * without end), each within a size cap checked before and while reading. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fs_input_open(const char *path, size_t max, const char *limit, int *fd,
                  size_t *size, fs_error *err) {
  *fd = -1;
  *size = 0;
  if (!strcmp(path, "-")) {
    *fd = STDIN_FILENO;
    return FS_OK;
  }
  /* O_NONBLOCK: opening a FIFO cannot hang; it changes nothing for a
   * regular file's reads */
  int f = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
  if (f < 0)
    return fs_error_set(err, FS_ERR_INPUT, path, 0, 0, "%s", strerror(errno));
  int rc = fs_input_check(path, f, max, limit, size, err);
  if (rc == FS_OK)
    *fd = f;
  return rc;
}

int fs_input_check(const char *path, int fd, size_t max, const char *limit,
                   size_t *size, fs_error *err) {
  struct stat st = {0};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return fs_error_set(err, FS_ERR_INPUT, path, 0, 0, "%s",
                        S_ISDIR(st.st_mode)
                            ? "is a directory"
                            : "not a regular file (FIFO, device or socket)");
  }
  if ((size_t)st.st_size > max) {
    close(fd);
    return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                        "%lld bytes, larger than %s (%zu)",
                        (long long)st.st_size, limit, max);
  }
  *size = (size_t)st.st_size;
  return FS_OK;
}

int fs_input_read(const char *path, int fd, size_t max, const char *limit,
                  size_t hint, char **data, size_t *len, fs_error *err) {
  /* a regular file's size is known: one byte more sees the end in one
   * read (most news articles are a few kB) */
  size_t cap = hint ? hint + 1 : 65536, n = 0;
  char *buf = malloc(cap + 1);
  if (!buf)
    return fs_error_set(err, FS_ERR_INPUT, path, 0, 0, "out of memory");
  if (hint)
    fs_prefault(buf, cap + 1); /* the file's size: read whole */
  for (;;) {
    if (n == cap) {
      if (cap >= max + 1) /* a file that grew, or stdin: never past max */
        break;
      cap = cap > max / 2 ? max + 1 : 2 * cap;
      char *nb = realloc(buf, cap + 1);
      if (!nb) {
        free(buf);
        return fs_error_set(err, FS_ERR_INPUT, path, 0, 0, "out of memory");
      }
      buf = nb;
    }
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      int e = errno;
      free(buf);
      return fs_error_set(err, FS_ERR_INPUT, path, 0, 0, "read error: %s",
                          strerror(e));
    }
    if (r == 0)
      break;
    n += (size_t)r;
  }
  if (n > max) {
    free(buf);
    return fs_error_set(err, FS_ERR_INPUT, path, 0, 0,
                        "larger than %s (%zu bytes)", limit, max);
  }
  buf[n] = '\0';
  *data = buf;
  *len = n;
  return FS_OK;
}

int fs_read_file(const char *path, size_t max, const char *limit, char **data,
                 size_t *len, fs_error *err) {
  int fd;
  size_t size;
  int rc = fs_input_open(path, max, limit, &fd, &size, err);
  if (rc)
    return rc;
  rc = fs_input_read(path, fd, max, limit, size, data, len, err);
  if (fd != STDIN_FILENO)
    close(fd);
  return rc;
}
