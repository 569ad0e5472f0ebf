/*
 * Operations on the CA's request queue and revocation (the Certification
 * Authority snap-in's Pending, Issued and Revoked Certificates; `ca issue`,
 * `ca deny`, `ca revoke`, `ca unrevoke`). Included by ops.h.
 */
#ifndef CERTCON_OPS_QUEUE_H
#define CERTCON_OPS_QUEUE_H

#include <stdint.h>
#include <time.h>

#include "crl.h"

/* request.issue: a pending (or denied) request issued by a certificate manager */
struct ops_request_issue {
    int64_t request_id;
};
/* request.deny: a pending request denied */
struct ops_request_deny {
    int64_t request_id;
};
/* certificate.revoke; certificate.unrevoke takes only the serial */
struct ops_revoke {
    const char *serial;
    int reason;       /* CRLReason; CADB_HOLD releases with unrevoke */
    time_t effective; /* CADB_NOW: now by the context's clock */
};
/*
 * What a revocation did besides revoking: when the CA publishes on revoke,
 * the CRL it published (published 1), or why none could be (publish_error
 * and publish_cause, allocated; the revocation stands).
 */
struct ops_revoke_result {
    int published;
    struct crl_info crl;
    int publish_error;
    char *publish_cause;
};
void ops_revoke_result_free(struct ops_revoke_result *r);

enum {
    OP_REQUEST_ISSUE = OPS_QUEUE_BASE, /* args ops_request_issue, result cadb_outcome */
    OP_REQUEST_DENY,                   /* args ops_request_deny, no result */
    OP_CERT_REVOKE,                    /* args ops_revoke, result ops_revoke_result */
    OP_CERT_UNREVOKE,                  /* args ops_revoke (serial), no result */
};

#endif
