/*
 * For ops.c and the families' .c files only: each family's part of the
 * operations table, ended by an entry whose id is 0.
 */
#ifndef CERTCON_OPS_FAMILY_H
#define CERTCON_OPS_FAMILY_H

#include "ops.h"

extern const struct ops_def ops_queue_defs[];
extern const struct ops_def ops_template_defs[];
extern const struct ops_def ops_directory_defs[];
extern const struct ops_def ops_enroll_defs[];
extern const struct ops_def ops_ca_defs[];
extern const struct ops_def ops_net_defs[];

#endif
