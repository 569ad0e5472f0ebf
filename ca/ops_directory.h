/*
 * Operations on the directory, group policy and account mapping (Active Directory Users and
 * Computers, Group Policy Management, `dir`, `gpo`, `account`). Included by ops.h.
 */
#ifndef CERTCON_OPS_DIRECTORY_H
#define CERTCON_OPS_DIRECTORY_H

/* Ids are numbered from OPS_DIRECTORY_BASE: enum { OP_..._FIRST = OPS_DIRECTORY_BASE, ... }. */

#endif
