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

int
ops_call(const struct cc_ctx *cx, int id, const void *args, void *result, char **cause)
{
    const struct ops_def *op = ops_get(id);
    if (op == NULL)
        return cc_fail(cause, CC_EINVAL, "no such operation (%d)", id);
    int rc = CC_OK;
    if (op->ca_right != 0 && (rc = authority_require(cx, op->ca_right, op->what, cause)) != CC_OK)
        return rc;
    if (!op->changes)
        return op->run(cx, args, result, cause);
    if ((rc = store_begin(cx->st, cause)) != CC_OK)
        return rc;
    rc = op->run(cx, args, result, cause);
    return store_finish(cx->st, rc, cause);
}
