/*
 * Operations on templates: duplicate, edit, import and export, enable on the CA (Certificate
 * Templates snap-in, `template`). Included by ops.h.
 */
#ifndef CERTCON_OPS_TEMPLATE_H
#define CERTCON_OPS_TEMPLATE_H

/* Ids are numbered from OPS_TEMPLATE_BASE: enum { OP_..._FIRST = OPS_TEMPLATE_BASE, ... }. */

#endif
