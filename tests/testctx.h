/*
 * The context a test program acts in (unit tests, fuzz harnesses,
 * benchmarks): the system's until test_act_id() names an account, on
 * whichever store a call names, at the clock the program pins. The core
 * keeps neither caller nor clock on the store; a test program keeps this one.
 */
#ifndef CERTCON_TESTS_TESTCTX_H
#define CERTCON_TESTS_TESTCTX_H

#include <stdint.h>
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

#endif
