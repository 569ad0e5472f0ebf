/*
 * The CA database (certsrv.msc): one row per request with its requester,
 * template, disposition, status code and message, submission and
 * resolution times, and for issued requests the certificate with its
 * serial and revocation state. Submitting runs the policy module and, when
 * it says so, issues in the same transaction as the row: a crash leaves
 * either no certificate or a recorded one, and a serial is never reused.
 * Views (issued, revoked, pending, failed), approve/deny of pending
 * requests, revoke/unrevoke, and enrollment as a client (key, request,
 * submission, installation in the Personal store) live here too.
 */
#ifndef CERTCON_CADB_H
#define CERTCON_CADB_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct cc_ctx;

#include "authority.h"
#include "directory.h"
#include "pkix.h"
#include "policy.h"
#include "request.h"
#include "store.h"

/* Request.Disposition values as the CA database stores them (ADCS-SPEC 6.2). */
enum {
    DISP_PENDING = 9,
    DISP_ISSUED = 20,
    DISP_REVOKED = 21,
    DISP_ERROR = 30,
    DISP_DENIED = 31,
};

enum cadb_view { CADB_ISSUED, CADB_REVOKED, CADB_PENDING, CADB_FAILED, CADB_ALL };

/* A CA opened for a run of requests, with its caches. */
struct cadb_session;
int cadb_session_open(const struct cc_ctx *cx, const char *passphrase, struct cadb_session **out,
                      char **cause);
void cadb_session_close(struct cadb_session *s);
struct authority *cadb_session_authority(struct cadb_session *s);

struct cadb_outcome {
    int64_t request_id;       /* 0: issued from a do-not-store template, no row kept */
    int disposition;          /* DISP_* */
    int status;               /* CC_OK or the refusal */
    char *message;
    char serial[41];
    struct pkix_buf cert;     /* DER when issued */
    char *template_cn;
};
void cadb_outcome_free(struct cadb_outcome *o);

/*
 * Submits a PKCS#10 request (PEM or DER) for requester. Always records a
 * request row, also for malformed requests (as AD CS records failed ones);
 * returns an error only when no row could be recorded. out->status says the
 * outcome.
 */
int cadb_submit(struct cadb_session *s, const struct dir_principal *requester,
                const char *template_name, const void *csr, size_t n, struct cadb_outcome *out,
                char **cause);

/*
 * The same in two steps, so that the slow part runs outside write
 * transactions: cadb_prepare parses the request, asks the policy module
 * and signs the certificate, writing nothing; cadb_record writes the
 * request and certificate rows in one short transaction (a savepoint in
 * the caller's). If what the decision rests on changed in between, or the
 * serial turned out to be taken (serial_used is UNIQUE), cadb_record
 * decides and signs again before recording. Free with cadb_prepared_free.
 */
struct cadb_prepared;
int cadb_prepare(struct cadb_session *s, const struct dir_principal *requester,
                 const char *template_name, const void *csr, size_t n, struct cadb_prepared **out,
                 char **cause);
int cadb_record(struct cadb_session *s, const struct dir_principal *requester,
                struct cadb_prepared *p, struct cadb_outcome *out, char **cause);
void cadb_prepared_free(struct cadb_prepared *p);

struct cadb_enroll_params {
    const char *template_name;
    const char *key_type;     /* NULL: the template's (template_default_key) */
    const char *cn;
    const char *dn;           /* a whole subject DN (RFC 4514), or NULL; wins over cn */
    struct strlist dns, ip, email, upn;
    int not_exportable;       /* opt out of an exportable key the template allows */
    const char *friendly_name;
};

/*
 * The Request New Certificate wizard: generates a key, builds the request
 * (subject and names only when the template takes them from the request),
 * submits it, and installs the certificate with its key in the
 * requester's Personal store. A pending request keeps its key until the
 * certificate manager issues it.
 */
int cadb_enroll(struct cadb_session *s, const struct dir_principal *requester,
                const struct cadb_enroll_params *p, struct cadb_outcome *out, char **cause);
/*
 * cadb_enroll in two steps: the key, its request, the signature and the
 * key's encryption outside write transactions, then one short transaction
 * that records the request and installs (or parks) the key.
 */
struct cadb_enrollment;
int cadb_enroll_prepare(struct cadb_session *s, const struct dir_principal *requester,
                        const struct cadb_enroll_params *p, struct cadb_enrollment **out,
                        char **cause);
int cadb_enroll_record(struct cadb_session *s, const struct dir_principal *requester,
                       struct cadb_enrollment *e, struct cadb_outcome *out, char **cause);
/* The template (its cn) an enrollment was prepared for. */
const char *cadb_enrollment_template(const struct cadb_enrollment *e);
void cadb_enrollment_free(struct cadb_enrollment *e);

/*
 * Records a request a protocol front end refused before the policy module
 * saw it (EST: a wrong enrollment secret), as a Failed Requests row:
 * requester as the caller claimed it (requester_id 0 when no such
 * account), disposition denied, status's HRESULT and message. raw (may be
 * NULL) is the request as it came. *id (may be NULL) gets the row's id.
 */
int cadb_record_refusal(const struct cc_ctx *cx, const char *requester, int64_t requester_id,
                        const char *template_cn, int status, const char *message, const void *raw,
                        size_t n, int64_t *id, char **cause);

/* Issue (resubmit) or deny a pending request; needs Issue and Manage Certificates. */
int cadb_approve(struct cadb_session *s, int64_t request_id, struct cadb_outcome *out,
                 char **cause);
int cadb_deny(const struct cc_ctx *cx, int64_t request_id, char **cause);

/*
 * Retrieve (certreq -retrieve): the DER of an issued (or revoked)
 * certificate by serial number (hex) or by request ID (decimal, up to 18
 * digits). The requester may retrieve their own certificates; anyone else
 * needs Issue and Manage Certificates (CC_EACCES). CC_ENOTFOUND when there
 * is no such certificate; CC_E_BAD_REQUESTSTATUS for a request without
 * one (pending, denied, failed). *request_id (may be NULL) gets its request.
 */
int cadb_retrieve(const struct cc_ctx *cx, const char *serial_or_id, struct pkix_buf *der,
                  int64_t *request_id, char **cause);

/* RFC 5280 reason names: unspecified, keyCompromise, ... certificateHold. */
int cadb_reason_parse(const char *s, int *reason, char **cause);
const char *cadb_reason_name(int reason);
/*
 * Revokes an issued certificate by serial (hex), in effect from `effective`
 * (CADB_NOW: the lab clock's now); never before the certificate's notBefore.
 */
#define CADB_NOW ((time_t)-1)
int cadb_revoke(const struct cc_ctx *cx, const char *serial, int reason, time_t effective,
                char **cause);
/*
 * The same, asked by the certificate's holder rather than a certificate
 * manager (ACME revokeCert): no CA role is needed, but the holder must
 * prove the certificate is its own, and only two proofs count:
 *  - spki (DER SubjectPublicKeyInfo) is the key that signed the request,
 *    and it is the certificate's own public key; or
 *  - spki is NULL and cx's caller is the account the certificate was
 *    issued to (the request's requester; the front end has checked that
 *    the client is the one that asked for it, e.g. the ACME account that
 *    ordered it).
 * Anything else is CC_EACCES, audited as a refusal. In effect now, and only
 * for the reasons a holder may give (unspecified, keyCompromise,
 * affiliationChanged, superseded, cessationOfOperation). The revocation is
 * audited as cx's caller, with a record saying how the holder proved it.
 */
struct cadb_holder {
    const void *spki;
    size_t spki_len;
    const char *how; /* for the audit: "ACME revokeCert signed by the certificate's key" */
};
int cadb_revoke_by_holder(const struct cc_ctx *cx, const char *serial, int reason,
                          const struct cadb_holder *holder, char **cause);
/* Releases a certificate on hold. */
int cadb_unrevoke(const struct cc_ctx *cx, const char *serial, char **cause);

struct cadb_row {
    int64_t id;
    char *requester, *template_cn, *message, *request_cn, *request_dn, *request_email;
    int disposition;
    uint32_t status;
    time_t submitted, resolved;
    /* certificate columns (issued and revoked) */
    char *serial, *thumbprint, *subject, *common_name, *email, *upn;
    time_t not_before, not_after;
    time_t revoked_when, revoked_effective;
    int revoked_reason;       /* -1 when not revoked */
};
void cadb_rows_free(struct cadb_row *rows, size_t n);
/* A view, oldest first; filter (may be NULL) matches any text column, case-insensitively. */
int cadb_list(struct store *st, enum cadb_view view, const char *filter, struct cadb_row **out,
              size_t *n, char **cause);

/* The columns a view can be sorted by (the columns of the certsrv.msc views). */
enum cadb_column {
    CADB_COL_ID,
    CADB_COL_REQUESTER,
    CADB_COL_TEMPLATE,
    CADB_COL_SERIAL,
    CADB_COL_NOT_BEFORE,
    CADB_COL_NOT_AFTER,
    CADB_COL_COMMON_NAME,
    CADB_COL_REVOKED_WHEN,
    CADB_COL_REVOKED_EFFECTIVE,
    CADB_COL_REVOKED_REASON,
    CADB_COL_STATUS,
    CADB_COL_MESSAGE,
    CADB_COL_SUBMITTED,
    CADB_COL_REQUEST_CN,
    CADB_COL_COUNT
};
/* The number of rows of a view that match filter (as cadb_list). */
int cadb_count(struct store *st, enum cadb_view view, const char *filter, size_t *n, char **cause);
/*
 * Rows offset .. offset + limit - 1 of a view sorted by sort_column (an
 * enum cadb_column; -1: the request id), ties by request id, in the
 * direction asked. Fewer rows, or none, past the end. The console's views
 * read one window at a time with it. Free with cadb_rows_free(*out, *n).
 */
int cadb_page(struct store *st, enum cadb_view view, const char *filter, int sort_column,
              int descending, size_t offset, size_t limit, struct cadb_row **out, size_t *n,
              char **cause);
int cadb_get(struct store *st, int64_t id, struct cadb_row *out, char **cause);
int cadb_view_parse(const char *s, enum cadb_view *out, char **cause);
const char *cadb_disposition_name(int disposition);

#endif
