/*
 * Operations on the directory, group policy and account mapping (Active Directory Users and
 * Computers, Group Policy Management, `dir`, `gpo`, `account`). See ops_directory.h.
 */
#include "config.h"

#include "ops.h"
#include "ops_family.h"

const struct ops_def ops_directory_defs[] = {
    {.id = 0},
};
