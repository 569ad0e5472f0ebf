/*
 * Operations on the CA itself: settings, roles, CRLs, OCSP, audit and the lab (Certification
 * Authority snap-in, `ca`, `ocsp`, `audit`, `lab`). See ops_ca.h.
 */
#include "config.h"

#include "ops.h"
#include "ops_family.h"

const struct ops_def ops_ca_defs[] = {
    {.id = 0},
};
