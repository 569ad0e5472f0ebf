/*
 * Certificate revocation lists: `certcon ca crl` publishes a base CRL of
 * every revoked, unexpired certificate whose revocation is in effect, with
 * a CRL number, next update, the authority key identifier and a reason code
 * per entry. GnuTLS has no per-entry reason codes and grows super-linearly
 * with entries (GNUTLS-NOTES), so the TBSCertList is encoded with libtasn1
 * from ca/pkix.asn, entry by entry, and signed with the CA key.
 */
#ifndef CERTCON_CRL_H
#define CERTCON_CRL_H

#include <stdint.h>
#include <time.h>

#include "authority.h"
#include "pkix.h"
#include "store.h"

struct crl_info {
    int64_t number;
    time_t this_update, next_update;
    int64_t count;
};

/* Publishes a new CRL (needs Manage CA or Issue and Manage Certificates). */
int crl_publish(struct store *st, struct authority *ca, struct pkix_buf *der,
                struct crl_info *info, char **cause);
/* The newest published CRL; ENOTFOUND when none was published. */
int crl_latest(struct store *st, struct pkix_buf *der, struct crl_info *info, char **cause);

#endif
