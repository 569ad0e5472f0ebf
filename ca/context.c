/*
 * The operation context: see context.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "status.h"
#include "util.h"

int
ctx_init(struct cc_ctx *cx, struct store *st, int64_t who, const char *name, struct cc_clock clock)
{
    memset(cx, 0, sizeof *cx);
    cx->st = st;
    cx->clock = clock;
    return ctx_set_caller(cx, who, name);
}

int
ctx_init_system(struct cc_ctx *cx, struct store *st, struct cc_clock clock)
{
    memset(cx, 0, sizeof *cx);
    cx->st = st;
    cx->clock = clock;
    cx->system = 1;
    cx->who_name = cc_strdup("SYSTEM");
    return cx->who_name ? CC_OK : CC_ENOMEM;
}

int
ctx_init_as(struct cc_ctx *cx, const struct cc_ctx *from, int64_t who, const char *name)
{
    return ctx_init(cx, from->st, who, name, from->clock);
}

int
ctx_set_caller(struct cc_ctx *cx, int64_t who, const char *name)
{
    if (who == 0)
        return CC_EINVAL;
    char *copy = cc_strdup(name != NULL ? name : "?");
    if (copy == NULL)
        return CC_ENOMEM;
    free(cx->who_name);
    cx->who_name = copy;
    cx->who = who;
    cx->system = 0;
    return CC_OK;
}

int
ctx_copy(struct cc_ctx *cx, const struct cc_ctx *from)
{
    if (from->system)
        return ctx_init_system(cx, from->st, from->clock);
    return ctx_init(cx, from->st, from->who, from->who_name, from->clock);
}

void
ctx_free(struct cc_ctx *cx)
{
    if (cx == NULL)
        return;
    free(cx->who_name);
    cx->who_name = NULL;
    cx->who = 0;
}

int
ctx_is_system(const struct cc_ctx *cx)
{
    return cx->system;
}

time_t
ctx_now(const struct cc_ctx *cx)
{
    return cx->clock.pinned ? cx->clock.at : time(NULL);
}

struct cc_clock
cc_clock_system(void)
{
    struct cc_clock c = {0, 0};
    return c;
}

struct cc_clock
cc_clock_pinned(time_t t)
{
    struct cc_clock c = {t, 1};
    return c;
}
