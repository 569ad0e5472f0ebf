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

/*
 * The families' parts of the table, in the order `certcon ops` lists them,
 * which is the order of their bases: family f numbers its ids from
 * (f + 1) * OPS_FAMILY_STEP, so an id names its family.
 */
#define OPS_FAMILY_STEP 100
static const struct ops_def *const families[] = {
    ops_queue_defs,  ops_template_defs, ops_directory_defs,
    ops_enroll_defs, ops_ca_defs,       ops_net_defs,
};
#define NFAMILIES (sizeof families / sizeof families[0])
_Static_assert(OPS_QUEUE_BASE == 1 * OPS_FAMILY_STEP && OPS_TEMPLATE_BASE == 2 * OPS_FAMILY_STEP &&
                   OPS_DIRECTORY_BASE == 3 * OPS_FAMILY_STEP &&
                   OPS_ENROLL_BASE == 4 * OPS_FAMILY_STEP && OPS_CA_BASE == 5 * OPS_FAMILY_STEP &&
                   OPS_NET_BASE == 6 * OPS_FAMILY_STEP,
               "families[] is in the order of the families' bases");

const struct ops_def *
ops_at(size_t i)
{
    for (size_t f = 0; f < NFAMILIES; f++)
        for (const struct ops_def *d = families[f]; d->id != 0; d++)
            if (i-- == 0)
                return d;
    return NULL;
}

/* Every ops_call looks its operation up: in its own family's part only. */
const struct ops_def *
ops_get(int id)
{
    if (id < OPS_FAMILY_STEP || (size_t)(id / OPS_FAMILY_STEP) > NFAMILIES)
        return NULL;
    for (const struct ops_def *d = families[id / OPS_FAMILY_STEP - 1]; d->id != 0; d++)
        if (d->id == id)
            return d;
    return NULL;
}

const struct ops_def *
ops_find(const char *name)
{
    for (size_t f = 0; f < NFAMILIES; f++)
        for (const struct ops_def *d = families[f]; d->id != 0; d++)
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
