/*
 * Helpers shared by the fuzzing harnesses. Each harness is one file
 * tests/fuzz/fuzz_NAME.c defining LLVMFuzzerTestOneInput (and, when it
 * needs a database, LLVMFuzzerInitialize); it is linked either with
 * libFuzzer (configure --enable-fuzzers, clang) or with replay.c, a plain
 * main that runs each file named on its command line once, which is how
 * `make check` replays the seed corpus and every past finding.
 *
 * Everything a harness writes goes to one scratch directory made under
 * $TMPDIR at start-up and removed at exit, and the lab clock is pinned
 * before any lab is made, so that every run starts from the same state.
 */
#ifndef CERTCON_TESTS_FUZZ_H
#define CERTCON_TESTS_FUZZ_H

#include <errno.h>
#include <stdarg.h>
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "context.h"
#include "../testctx.h"
#include "status.h"

/* The lab clock every harness runs at, as the screen tests. */
#define FUZZ_NOW_TEXT "2026-11-25T09:00:00Z"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Ends the process: a harness that cannot set up must not report passes. */
__attribute__((noreturn, format(printf, 1, 2))) static inline void
fuzz_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fuzz: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

static char fuzz_scratch_dir[4096];

static inline void
fuzz_scratch_remove(void)
{
    if (fuzz_scratch_dir[0] != '\0')
        test_rm_rf(fuzz_scratch_dir);
}

/*
 * Makes the scratch directory, pins the lab clock and returns the data
 * directory ($CERTCON_DATADIR). The directory is removed at exit.
 */
static inline const char *
fuzz_setup(const char *name)
{
    if (test_temp_dir(fuzz_scratch_dir, sizeof fuzz_scratch_dir, name) == NULL)
        fuzz_die("scratch directory %s: %s", fuzz_scratch_dir, strerror(errno));
    atexit(fuzz_scratch_remove);
    time_t now;
    char *cause = NULL;
    if (cc_time_parse(FUZZ_NOW_TEXT, &now, &cause) != CC_OK)
        fuzz_die("clock: %s", cause);
    test_clock_set(now);
    const char *datadir = getenv("CERTCON_DATADIR");
    if (datadir == NULL || *datadir == '\0')
        fuzz_die("CERTCON_DATADIR is not set (the tree's data/ directory)");
    return datadir;
}

/* A path inside the scratch directory; allocated. */
static inline char *
fuzz_scratch_path(const char *leaf)
{
    size_t n = strlen(fuzz_scratch_dir) + strlen(leaf) + 2;
    char *p = malloc(n);
    if (p == NULL)
        fuzz_die("out of memory");
    snprintf(p, n, "%s/%s", fuzz_scratch_dir, leaf);
    return p;
}

#endif
