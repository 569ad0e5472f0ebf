/*
 * The request queue and revocation: issue or deny a pending request,
 * revoke or release a certificate. See ops_queue.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cadb.h"
#include "context.h"
#include "crl.h"
#include "ops.h"
#include "ops_family.h"
#include "status.h"
#include "util.h"

void
ops_revoke_result_free(struct ops_revoke_result *r)
{
    if (r == NULL)
        return;
    free(r->publish_cause);
    memset(r, 0, sizeof *r);
}

/* ---- the CA's request queue ---- */

static int
run_request_issue(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_request_issue *a = args;
    struct cadb_outcome *out = result;
    struct cadb_session *s = NULL;
    int rc = cadb_session_open(cx, NULL, &s, cause);
    if (rc == CC_OK)
        rc = cadb_approve(s, a->request_id, out, cause);
    cadb_session_close(s);
    return rc;
}

static int
run_request_deny(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_request_deny *a = args;
    return cadb_deny(cx, a->request_id, cause);
}

/*
 * The revocation, then what the CA's publish-on-revoke asks: both faces
 * used to compose the two by hand. A publication that fails leaves the
 * revocation standing and says why in the result.
 */
static int
run_cert_revoke(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_revoke *a = args;
    struct ops_revoke_result *r = result;
    memset(r, 0, sizeof *r);
    int rc = cadb_revoke(cx, a->serial, a->reason, a->effective, cause);
    if (rc != CC_OK)
        return rc;
    int prc = crl_after_revoke(cx, &r->crl, &r->published, &r->publish_cause);
    if (prc != CC_OK) {
        r->published = 0;
        r->publish_error = prc;
        if (r->publish_cause == NULL)
            r->publish_cause = cc_strdup(cc_strerror(prc));
    }
    return CC_OK;
}

static int
run_cert_unrevoke(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_revoke *a = args;
    return cadb_unrevoke(cx, a->serial, cause);
}

/*
 * Issuing signs and revoking may publish a CRL, both with the CA key and
 * both kept out of write transactions: for those ops_call opens none and
 * the core functions they call commit their own, signing in between
 * (changes 0 means "ops_call opens no transaction", not "changes nothing").
 */
const struct ops_def ops_queue_defs[] = {
    {OP_REQUEST_ISSUE, "request.issue", "request:id", "outcome", CA_RIGHT_OFFICER,
     "issue a pending request", 0, run_request_issue},
    {OP_REQUEST_DENY, "request.deny", "request:id", "", CA_RIGHT_OFFICER, "deny a pending request",
     1, run_request_deny},
    {OP_CERT_REVOKE, "certificate.revoke", "serial:text reason:crl-reason effective:time",
     "crl-publication", CA_RIGHT_OFFICER, "revoke a certificate", 0, run_cert_revoke},
    {OP_CERT_UNREVOKE, "certificate.unrevoke", "serial:text", "", CA_RIGHT_OFFICER,
     "unrevoke a certificate", 1, run_cert_unrevoke},
    {.id = 0},
};
