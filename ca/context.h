/*
 * The context every operation runs in: the store it works on, who is
 * asking, and what time it is.
 *
 * Nothing about the caller lives on the store handle and no clock is
 * process-wide: a function that records who did something, decides whether
 * they may, or asks the time takes a context and reads it there. A front end
 * makes one context for its caller once it has resolved who that is
 * (authz_resolve); the autoenrollment pulse makes one for each principal it
 * runs as. The store's own set-up (init, a new lab, before any account
 * exists) and the service's schedules run in the system context, the only
 * one authz_check does not question, and the audit names it SYSTEM.
 */
#ifndef CERTCON_CONTEXT_H
#define CERTCON_CONTEXT_H

#include <stdint.h>
#include <time.h>

struct store;

/* The clock: the system's, or a pinned "now" for labs and tests (--now, CERTCON_NOW). */
struct cc_clock {
    time_t at;
    int pinned; /* a flag beside the time: the epoch is a time like any other */
};

struct cc_ctx {
    struct store *st;
    int64_t who;    /* the caller's directory account; 0 in the system context */
    char *who_name; /* CONTOSO\alice, or SYSTEM */
    int system;     /* made by ctx_init_system only */
    struct cc_clock clock;
};

/*
 * A context for the caller `who` (a user or computer account id, never 0)
 * named `name`; CC_EINVAL for no account.
 */
int ctx_init(struct cc_ctx *cx, struct store *st, int64_t who, const char *name,
             struct cc_clock clock);
/* The system context: the database's own set-up and the service's schedules. */
int ctx_init_system(struct cc_ctx *cx, struct store *st, struct cc_clock clock);
/* Another principal's context on the same store and clock (the pulse, a lab's "another user"). */
int ctx_init_as(struct cc_ctx *cx, const struct cc_ctx *from, int64_t who, const char *name);
/* The same caller, store and clock. */
int ctx_copy(struct cc_ctx *cx, const struct cc_ctx *from);
void ctx_free(struct cc_ctx *cx);
/* Changes whom a context speaks for: the front end resolved the caller afresh. */
int ctx_set_caller(struct cc_ctx *cx, int64_t who, const char *name);

int ctx_is_system(const struct cc_ctx *cx);
/* "now" as this context's clock says. */
time_t ctx_now(const struct cc_ctx *cx);
/* The system clock. */
struct cc_clock cc_clock_system(void);
/* A clock pinned at t. */
struct cc_clock cc_clock_pinned(time_t t);

#endif
