/*
 * The operations table and the one door every operation goes through. See
 * ops.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "authority.h"
#include "cadb.h"
#include "context.h"
#include "crl.h"
#include "ops.h"
#include "ops_family.h"
#include "status.h"
#include "store.h"
#include "util.h"

/* The families' parts of the table, in the order `certcon ops` lists them. */
static const struct ops_def *const families[] = {
    ops_queue_defs,  ops_template_defs, ops_directory_defs,
    ops_enroll_defs, ops_ca_defs,       ops_net_defs,
};

const struct ops_def *
ops_at(size_t i)
{
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (const struct ops_def *d = families[f]; d->id != 0; d++)
            if (i-- == 0)
                return d;
    return NULL;
}

const struct ops_def *
ops_get(int id)
{
    const struct ops_def *d;
    for (size_t i = 0; (d = ops_at(i)) != NULL; i++)
        if (d->id == id)
            return d;
    return NULL;
}

const struct ops_def *
ops_find(const char *name)
{
    const struct ops_def *d;
    for (size_t i = 0; (d = ops_at(i)) != NULL; i++)
        if (strcmp(d->name, name) == 0)
            return d;
    return NULL;
}

/*
 * The CA right ops_call decided for the operation running on this thread,
 * and for which context. The core functions an operation runs keep their
 * own checks for callers that reach them directly (tests, the service's
 * schedules, other core functions); authority_require asks ops_decided()
 * first, so that a check ops_call has just made is not made again, loading
 * the caller's token a second time.
 *
 * Nothing outside this file can write it, and it names the very context
 * ops_call was given for as long as the operation runs and no longer: a
 * front end that calls a core function directly is checked in full, with
 * the same context or any other, before, during or after an operation.
 */
static _Thread_local struct {
    const struct cc_ctx *cx;
    unsigned rights;
} decided;

int
ops_decided(const struct cc_ctx *cx, unsigned right)
{
    return cx != NULL && right != 0 && decided.cx == cx && (decided.rights & right) == right;
}

int
ops_call(const struct cc_ctx *cx, int id, const void *args, void *result, char **cause)
{
    const struct ops_def *op = ops_get(id);
    if (op == NULL)
        return cc_fail(cause, CC_EINVAL, "no such operation (%d)", id);
    int rc = CC_OK;
    if (op->ca_right != 0 && (rc = authority_require(cx, op->ca_right, op->what, cause)) != CC_OK)
        return rc;
    /* an operation run from within another keeps what the outer one decided once it returns */
    const struct cc_ctx *outer_cx = decided.cx;
    unsigned outer_rights = decided.rights;
    decided.cx = cx;
    decided.rights = op->ca_right;
    if (!op->changes) {
        rc = op->run(cx, args, result, cause);
    } else if ((rc = store_begin(cx->st, cause)) == CC_OK) {
        rc = op->run(cx, args, result, cause);
        rc = store_finish(cx->st, rc, cause);
    }
    decided.cx = outer_cx;
    decided.rights = outer_rights;
    return rc;
}
