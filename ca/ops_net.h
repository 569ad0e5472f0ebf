/*
 * Operations on network enrollment: ACME accounts and orders, EST secrets (`acme`, `est`). Included
 * by ops.h.
 */
#ifndef CERTCON_OPS_NET_H
#define CERTCON_OPS_NET_H

/* Ids are numbered from OPS_NET_BASE: enum { OP_..._FIRST = OPS_NET_BASE, ... }. */

#endif
