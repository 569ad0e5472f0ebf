/*
 * Certificate revocation lists: `certcon ca crl` publishes a base CRL of
 * every revoked, unexpired certificate whose revocation is in effect, with
 * a CRL number, next update, the authority key identifier and a reason code
 * per entry; `ca crl --delta` and the service's schedule publish delta CRLs
 * of the changes since the newest base. GnuTLS has no per-entry reason codes and grows super-linearly
 * with entries (GNUTLS-NOTES), so the TBSCertList is encoded with libtasn1
 * from ca/pkix.asn, entry by entry, and signed with the CA key.
 */
#ifndef CERTCON_CRL_H
#define CERTCON_CRL_H

#include <stdint.h>
#include <time.h>

struct cc_ctx;

#include "authority.h"
#include "pkix.h"
#include "store.h"

/* A complete (base) CRL, or a delta CRL (RFC 5280 5.2.4) against the newest base. */
enum crl_kind { CRL_BASE, CRL_DELTA };

struct crl_info {
    int64_t number;
    time_t this_update, next_update;
    int64_t count;
    int64_t base; /* a delta's base CRL number; 0 for a base CRL */
    time_t built; /* the clock's time when it was built */
};

/*
 * Publishes a new base CRL (needs Manage CA or Issue and Manage
 * Certificates). While delta CRLs are on it carries Freshest CRL.
 */
int crl_publish(const struct cc_ctx *cx, struct authority *ca, struct pkix_buf *der,
                struct crl_info *info, char **cause);
/*
 * Publishes a CRL of the given kind (same rights). A delta lists what
 * changed since the newest base was built: revocations that came into
 * effect, and removeFromCRL for holds released since; it carries the Delta
 * CRL Indicator. Deltas share the CRL number sequence with bases. Refused
 * when delta CRLs are off or no base was published yet.
 */
int crl_publish_kind(const struct cc_ctx *cx, struct authority *ca, enum crl_kind kind,
                     struct pkix_buf *der, struct crl_info *info, char **cause);
/* The newest published base CRL; ENOTFOUND when none was published. */
int crl_latest(struct store *st, struct pkix_buf *der, struct crl_info *info, char **cause);
/* The newest CRL of a kind; ENOTFOUND when none was published. der may be NULL. */
int crl_latest_kind(struct store *st, enum crl_kind kind, struct pkix_buf *der,
                    struct crl_info *info, char **cause);

/*
 * The CA service's own schedule (as AD CS's service publishes as itself,
 * with no caller, so no rights are checked): publishes a base CRL when
 * none exists or the newest was built a CRL period ago, then a delta when
 * deltas are on and the newest delta (or the base) was built a delta
 * period ago, or a new base was just published. *published counts what it
 * published; *next is when something will next be due.
 */
int crl_publish_due(const struct cc_ctx *cx, struct authority *ca, int *published, time_t *next,
                    char **cause);

/*
 * After a revocation, when the CA is set to publish on revoke: a delta CRL
 * while deltas are on and a base exists, else a base CRL. *published is 0
 * when the setting is off. Needs the rights crl_publish needs.
 */
int crl_publish_on_revoke(const struct cc_ctx *cx, struct authority *ca, struct crl_info *info,
                          int *published, char **cause);
/*
 * What every face calls after a revocation it made: when the CA publishes
 * on revoke, opens the CA key and publishes as crl_publish_on_revoke does;
 * otherwise does nothing (*published 0, the key never opened).
 */
int crl_after_revoke(const struct cc_ctx *cx, struct crl_info *info, int *published, char **cause);

#endif
