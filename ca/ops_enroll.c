/*
 * Operations on enrollment, the certificate stores and export (Certificates snap-in, `enroll`,
 * `submit`, `store`, `export`, `pulse`). See ops_enroll.h.
 */
#include "config.h"

#include "ops.h"
#include "ops_family.h"

const struct ops_def ops_enroll_defs[] = {
    {.id = 0},
};
