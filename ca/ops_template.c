/*
 * Operations on templates: duplicate, edit, import and export, enable on the CA (Certificate
 * Templates snap-in, `template`). See ops_template.h.
 */
#include "config.h"

#include "ops.h"
#include "ops_family.h"

const struct ops_def ops_template_defs[] = {
    {.id = 0},
};
