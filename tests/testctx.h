/*
 * The context a test program acts in (unit tests, fuzz harnesses,
 * benchmarks): the system's until test_act_id() names an account, on
 * whichever store a call names, at the clock the program pins. The core
 * keeps neither caller nor clock on the store; a test program keeps this one.
 */
#ifndef CERTCON_TESTS_TESTCTX_H
#define CERTCON_TESTS_TESTCTX_H

#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "context.h"
#include "status.h"

static struct cc_ctx test_cx_ = {.system = 1, .clock = {0, 1}};

static inline const struct cc_ctx *
test_cx(struct store *st)
{
    if (st != NULL)
        test_cx_.st = st;
    return &test_cx_;
}

/* Pins the program's clock at t. */
static inline void
test_clock_set(time_t t)
{
    test_cx_.clock = cc_clock_pinned(t);
}

static inline time_t
test_now(void)
{
    return ctx_now(&test_cx_);
}

/* Acts as account id named name (0: the system itself), at the same clock. */
static inline void
test_act_id(struct store *st, int64_t id, const char *name)
{
    struct cc_clock clock = test_cx_.clock;
    ctx_free(&test_cx_);
    if (id == 0 || ctx_init(&test_cx_, st, id, name, clock) != CC_OK)
        ctx_init_system(&test_cx_, st, clock);
}

static inline int
test_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* rm -rf path (a missing path is fine); 0, or -1 when something stays. */
static inline int
test_rm_rf(const char *path)
{
    if (nftw(path, test_rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && errno != ENOENT)
        return -1;
    return 0;
}

/*
 * Makes a fresh private directory, $TMPDIR/certcon-NAME-<six random
 * characters> (/tmp without TMPDIR), in buf: mkdtemp's template is the
 * only way to ask for the random part. Returns buf, or NULL (errno says
 * why: ENAMETOOLONG when buf is too small).
 */
static inline char *
test_temp_dir(char *buf, size_t size, const char *name)
{
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(buf, size, "%s/certcon-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
    if (n < 0 || (size_t)n >= size) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    return mkdtemp(buf);
}

#endif
