/*
 * Operations on the CA itself: settings, roles, CRLs, OCSP, audit and the lab (Certification
 * Authority snap-in, `ca`, `ocsp`, `audit`, `lab`). Included by ops.h.
 */
#ifndef CERTCON_OPS_CA_H
#define CERTCON_OPS_CA_H

/* Ids are numbered from OPS_CA_BASE: enum { OP_..._FIRST = OPS_CA_BASE, ... }. */

#endif
