/*
 * Operations on network enrollment: ACME accounts and orders, EST secrets (`acme`, `est`). See
 * ops_net.h.
 */
#include "config.h"

#include "ops.h"
#include "ops_family.h"

const struct ops_def ops_net_defs[] = {
    {.id = 0},
};
