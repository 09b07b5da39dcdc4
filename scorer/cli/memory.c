/* SPDX-License-Identifier: GPL-3.0-or-later */
/* memory.c - glibc's heap and the threads' arenas on transparent huge
 * pages, set up from inside the program: what GLIBC_TUNABLES=
 * glibc.malloc.hugetlb=1 does for the heap (which a program cannot ask for
 * once it has started), and for the thread arenas, which glibc leaves on
 * small pages.
 *
 * Why: on a virtual machine each fresh 4 KiB page costs 12-13 us of CPU
 * (bench/RESULTS.md, sessions 32-33), and a second thread's context touches
 * ~1,750 of them learning the vocabulary, in a thread arena that glibc grows
 * 4 KiB at a time. With the heap advised MADV_HUGEPAGE (THP in "madvise"
 * mode) the kernel backs each aligned 2 MiB of it with one page and one
 * fault; cli_memory_thread() advises a thread's arena the same way. Each
 * thread keeps an arena of its own: with one arena for every thread
 * (session 33's first version), two threads analysing 5 KB documents
 * waited for its lock thousands of times a run (a futex call each way,
 * and a wake-up: bench/RESULTS.md, session 35).
 *
 * How (the idea of glibc's hugetlb=1, not its code): glibc advises each
 * range it takes from sbrk; a program cannot hook sbrk, so the heap grows in
 * steps of HEAP_STEP (M_TOP_PAD), grows once now, before anything is in it,
 * and is advised from here to the break; cli_memory_advise() advises again
 * whenever the break has moved. Pages touched between a growth and that
 * check stay small: with steps of HEAP_STEP there are few such growths.
 *
 * Off with FRAMESCORE_HUGEPAGES=0, under a sanitizer (its allocator is not
 * glibc's), when the kernel has THP off ("never") and when GLIBC_TUNABLES
 * sets glibc.malloc.hugetlb (glibc then does it itself). */
#include "cli.h"

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||     \
    __has_feature(memory_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif

#define HUGE_PAGE ((uintptr_t)2 << 20)
#define HEAP_STEP (32 << 20) /* glibc's M_TOP_PAD: the heap grows by this */
#define HEAP_TRIM (64 << 20) /* M_TRIM_THRESHOLD: above HEAP_STEP */

/* Process-wide by nature (the heap is the process's), set by
 * cli_memory_init before any thread exists and then read and written by
 * the thread that delivers results only. */
static struct {
  uintptr_t start; /* advised from here (0: off) */
  uintptr_t brk;   /* the break when last advised */
} heap;

static uintptr_t align_up(uintptr_t p) {
  return (p + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

/* Grows the heap now, before anything is in the new part, to a break on a
 * 2 MiB boundary (glibc's hugetlb=1 aligns every growth; a partial 2 MiB
 * at the break fills up in small pages). A block larger than the heap's
 * free top (which glibc reports as keepcost; mallopt has just merged the
 * small free blocks) comes from sbrk: the break moves by the block's size
 * plus M_TOP_PAD plus MINSIZE less that top, rounded to 4 KiB, so a
 * M_TOP_PAD of HEAP_STEP plus the distance to the next boundary lands it
 * there. Later growths (by HEAP_STEP or more) are not aligned. Returns the
 * break before. */
static uintptr_t grow_aligned(void) {
  uintptr_t brk0 = (uintptr_t)sbrk(0);
  size_t top = mallinfo2().keepcost;
  size_t want = top + 64;               /* the request */
  size_t chunk = (want + 8 + 15) & ~15; /* glibc's chunk for it */
  if (brk0 == (uintptr_t)-1 || (brk0 & 4095) || chunk >= (1 << 20) - 4096)
    return brk0; /* an odd heap, or above the mmap threshold: not now */
  uintptr_t end = align_up(brk0 + chunk + 32 - top + HEAP_STEP);
  mallopt(M_TOP_PAD, (int)(end - brk0 - chunk - 32 + top));
  void *volatile grow = malloc(want); /* a compiler drops free(malloc()) */
  free(grow);
  mallopt(M_TOP_PAD, HEAP_STEP);
  return brk0;
}

/* Whether the kernel gives huge pages to advised memory. */
static bool thp_available(void) {
  FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
  if (!f)
    return false;
  char line[128] = "";
  bool ok = fgets(line, sizeof line, f) && !strstr(line, "[never]");
  fclose(f);
  return ok;
}

void cli_memory_init(void) {
#ifdef UNDER_SANITIZER
  return;
#else
  const char *env = getenv("FRAMESCORE_HUGEPAGES");
  const char *glibc = getenv("GLIBC_TUNABLES");
  if ((env && (!strcmp(env, "0") || !strcmp(env, "off"))) ||
      (glibc && strstr(glibc, "glibc.malloc.hugetlb")) || !thp_available())
    return; /* off, or glibc told to do it, or no THP */
  mallopt(M_TRIM_THRESHOLD, HEAP_TRIM);
  heap.start = align_up(grow_aligned());
  cli_memory_advise();
#endif
}

/* A thread arena's heap: glibc's HEAP_MAX_SIZE on 64-bit, a mapping of
 * this size aligned to it, its first M_TOP_PAD readable and writable from
 * the start */
#define ARENA_HEAP ((uintptr_t)64 << 20)
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25 /* Linux 6.1 */
#endif

void cli_memory_thread(void) {
#if defined(__GLIBC__) && UINTPTR_MAX > 0xffffffffu
  if (!heap.start)
    return;
  /* the first allocation makes the thread's arena (or finds the one it
   * reuses). A thread arena's heap is the whole aligned block around it,
   * mapped; around a block of the main heap (a thread that shares it) or
   * of another allocator (valgrind's) part of the block is not mapped:
   * the advice then fails (ENOMEM) and nothing more is done */
  void *volatile p = malloc(64);
  void *base = (void *)((uintptr_t)p & ~(ARENA_HEAP - 1));
  /* the arena's header already sits on a small page, which keeps the
   * first 2 MiB on small pages unless collapsed into one now (a hint:
   * an older kernel refuses it) */
  if (p && madvise(base, ARENA_HEAP, MADV_HUGEPAGE) == 0)
    madvise(base, HUGE_PAGE, MADV_COLLAPSE);
  free(p);
#endif
}

void cli_memory_huge(void *p, size_t n) {
  if (heap.start) /* a hint, as for the heap */
    madvise(p, n, MADV_HUGEPAGE);
}

void cli_memory_advise(void) {
  if (!heap.start)
    return;
  uintptr_t end = (uintptr_t)sbrk(0); /* glibc's cached break: no call */
  if (end == heap.brk || end == (uintptr_t)-1)
    return;
  heap.brk = end;
  /* a hint: a failure (an old kernel, a break that moved since) changes
   * nothing but the page size */
  if (end > heap.start)
    madvise((void *)heap.start, end - heap.start, MADV_HUGEPAGE);
}
