/*
 * The operations table: every action a front end (a verb, a console
 * action, the service) may ask of the CA, named, with its arguments and
 * result, the CA right it needs and whether it changes anything. A front
 * end fills an operation's argument structure, calls ops_call() with its
 * caller's context and shows the result; it never composes core modules,
 * opens transactions or decides rights itself.
 *
 * ops_call() is where every operation meets the same rules: the right is
 * decided (and a refusal audited) by authz before the operation runs, a
 * changing operation runs in one write transaction that commits or rolls
 * back whole, and its own audit records land in that transaction.
 *
 * The table grows family by family as front ends move onto it; ops_table()
 * lists what is there (certcon ops prints it).
 */
#ifndef CERTCON_OPS_H
#define CERTCON_OPS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cadb.h"
#include "context.h"
#include "crl.h"

/* ---- the CA's request queue and revocation (Certification Authority snap-in, `ca`) ---- */

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

enum ops_id {
    OP_REQUEST_ISSUE,     /* args ops_request_issue, result cadb_outcome */
    OP_REQUEST_DENY,      /* args ops_request_deny, no result */
    OP_CERT_REVOKE,       /* args ops_revoke, result ops_revoke_result */
    OP_CERT_UNREVOKE,     /* args ops_revoke (serial), no result */
    OP_COUNT
};

struct ops_def {
    enum ops_id id;
    const char *name;    /* "certificate.revoke": what the audit and `certcon ops` say */
    const char *args;    /* "serial:text reason:crl-reason effective:time" */
    const char *result;  /* "outcome", "crl-publication", or "" */
    unsigned ca_right;   /* CA_RIGHT_* the caller must hold; 0: the operation decides finer */
    const char *what;    /* "revoke a certificate": ends a refusal */
    int changes;         /* runs in one write transaction */
    int (*run)(const struct cc_ctx *cx, const void *args, void *result, char **cause);
};

/* The table, in enum order; *n entries. */
const struct ops_def *ops_table(size_t *n);
/* An operation by name, or NULL. */
const struct ops_def *ops_find(const char *name);

/*
 * Runs operation id for cx's caller: decides its right (CC_EACCES naming
 * the missing right, audited), then runs it, in one transaction when it
 * changes state. result may be NULL for operations without one; the
 * caller frees a result with its own _free function.
 */
int ops_call(const struct cc_ctx *cx, enum ops_id id, const void *args, void *result,
             char **cause);

#endif
