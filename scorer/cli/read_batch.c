/* SPDX-License-Identifier: GPL-3.0-or-later */
/* read_batch.c - short documents opened, read whole and closed a batch at a
 * time through one io_uring submission (liburing), instead of three system
 * calls each; without liburing, or where io_uring is off (a kernel, seccomp
 * filter or container that refuses it, FRAMESCORE_IO_URING=off), there is
 * no reader and documents are opened one by one as before. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#ifdef FS_HAVE_URING
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <sys/uio.h>
/* memcheck does not see what the kernel writes through the ring: the
 * bytes read are marked defined for it (nothing outside valgrind) */
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#endif
#endif
#ifndef VALGRIND_MAKE_MEM_DEFINED
#define VALGRIND_MAKE_MEM_DEFINED(p, n) ((void)(p), (void)(n))
#endif

struct cli_reader {
  struct io_uring ring;
  bool broken; /* a submission or wait failed: not used again */
};

/* Per document: open (into a registered slot, no descriptor of the
 * process), read known + 1 bytes, close. */
#define OPS 3

cli_reader *cli_reader_new(void) {
  const char *env = getenv("FRAMESCORE_IO_URING");
  if (env && (!strcmp(env, "off") || !strcmp(env, "0")))
    return NULL;
  cli_reader *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  if (io_uring_queue_init(OPS * CLI_READER_MAX, &r->ring, 0) < 0) {
    free(r);
    return NULL;
  }
  /* direct descriptors (5.15) and sparse registration (5.19): an older
   * kernel has no reader */
  struct io_uring_probe *pr = io_uring_get_probe_ring(&r->ring);
  bool ok = pr && io_uring_opcode_supported(pr, IORING_OP_OPENAT) &&
            io_uring_opcode_supported(pr, IORING_OP_READ) &&
            io_uring_opcode_supported(pr, IORING_OP_CLOSE);
  io_uring_free_probe(pr);
  if (!ok || io_uring_register_files_sparse(&r->ring, CLI_READER_MAX) < 0) {
    io_uring_queue_exit(&r->ring);
    free(r);
    return NULL;
  }
  return r;
}

void cli_reader_free(cli_reader *r) {
  if (!r)
    return;
  io_uring_queue_exit(&r->ring);
  free(r);
}

void cli_reader_read(cli_reader *r, size_t n, const char *const *paths,
                     const size_t *known, cli_input *in, bool *done) {
  char *buf[CLI_READER_MAX];
  unsigned char left[CLI_READER_MAX]; /* completions still to come */
  size_t want = 0;
  for (size_t k = 0; k < n; k++) {
    done[k] = false;
    buf[k] = NULL;
    left[k] = 0;
    if (r->broken || k >= CLI_READER_MAX || known[k] == CLI_SIZE_UNKNOWN ||
        known[k] >= UINT32_MAX || !(buf[k] = malloc(known[k] + 2)))
      continue;
    struct io_uring_sqe *q = io_uring_get_sqe(&r->ring);
    /* the ring has room for OPS per document of a batch */
    io_uring_prep_openat_direct(q, AT_FDCWD, paths[k],
                                O_RDONLY | O_NOCTTY | O_NONBLOCK, 0,
                                (unsigned)k);
    q->flags |= IOSQE_IO_LINK; /* a failed open cancels the rest */
    io_uring_sqe_set_data64(q, (uint64_t)k * OPS);
    q = io_uring_get_sqe(&r->ring);
    io_uring_prep_read(q, (int)k, buf[k], (unsigned)(known[k] + 1), 0);
    /* RWF_NOWAIT: a file not in the page cache is left to the caller
     * (read in the background, as before), not waited for here; the hard
     * link closes the file after any read, short or failed */
    q->rw_flags = RWF_NOWAIT;
    q->flags |= IOSQE_FIXED_FILE | IOSQE_IO_HARDLINK;
    io_uring_sqe_set_data64(q, (uint64_t)k * OPS + 1);
    q = io_uring_get_sqe(&r->ring);
    io_uring_prep_close_direct(q, (unsigned)k);
    io_uring_sqe_set_data64(q, (uint64_t)k * OPS + 2);
    left[k] = OPS;
    want += OPS;
  }
  int sub = want ? io_uring_submit(&r->ring) : 0;
  if (sub >= 0 && (size_t)sub < want)
    r->broken = true; /* some stay queued: never submitted now */
  /* every request submitted posts a completion, cancelled ones too */
  for (size_t seen = 0; sub > 0 && seen < (size_t)sub;) {
    struct io_uring_cqe *c;
    int e = io_uring_wait_cqe(&r->ring, &c);
    if (e == -EINTR)
      continue;
    if (e < 0) {
      r->broken = true;
      break;
    }
    uint64_t d = io_uring_cqe_get_data64(c);
    size_t k = (size_t)(d / OPS);
    if (k < n && left[k]) {
      left[k]--;
      if (d % OPS == 1 && c->res >= 0 && (size_t)c->res == known[k])
        done[k] = true;
    }
    io_uring_cqe_seen(&r->ring, c);
    seen++;
  }
  if (sub < 0)
    r->broken = true;
  for (size_t k = 0; k < n; k++) {
    if (left[k] && sub > 0 && r->broken) {
      /* the kernel may still write to it: kept, never freed */
      done[k] = false;
      continue;
    }
    if (left[k] || !done[k]) { /* its completions are all in, or none */
      done[k] = false;
      free(buf[k]);
      continue;
    }
    VALGRIND_MAKE_MEM_DEFINED(buf[k], known[k]);
    buf[k][known[k]] = '\0';
    in[k].fd = -1;
    in[k].size = known[k];
    in[k].buf = buf[k];
    in[k].have = known[k];
  }
}

#else /* no liburing */

cli_reader *cli_reader_new(void) { return NULL; }

void cli_reader_free(cli_reader *r) { (void)r; }

void cli_reader_read(cli_reader *r, size_t n, const char *const *paths,
                     const size_t *known, cli_input *in, bool *done) {
  (void)r, (void)paths, (void)known, (void)in;
  memset(done, 0, n * sizeof *done);
}

#endif
