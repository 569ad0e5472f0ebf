/*
 * Operations on enrollment, the certificate stores and export (Certificates snap-in, `enroll`,
 * `submit`, `store`, `export`, `pulse`). Included by ops.h.
 */
#ifndef CERTCON_OPS_ENROLL_H
#define CERTCON_OPS_ENROLL_H

/* Ids are numbered from OPS_ENROLL_BASE: enum { OP_..._FIRST = OPS_ENROLL_BASE, ... }. */

#endif
