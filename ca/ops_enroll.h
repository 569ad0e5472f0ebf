/*
 * Operations on enrollment, the certificate stores and export (Certificates snap-in, `enroll`,
 * `submit`, `store`, `export`, `pulse`). Included by ops.h.
 *
 * Whose stores an operation reads or enrolls for is named by a target:
 * the principal's name (NULL: the caller's own account), and whether the
 * caller manages that account as the Certificates snap-in's "another
 * user" does (authz_act_for: in a lab the account's own context, else the
 * caller's, which then needs the CA Administrator role). Without act_for
 * the caller's context reads and enrolls, and the core decides whether it
 * may (reading another's stores, requesting for another, exporting
 * another's key: authz_check, refusals audited).
 */
#ifndef CERTCON_OPS_ENROLL_H
#define CERTCON_OPS_ENROLL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "autoenroll.h"
#include "cadb.h"
#include "certinfo.h"
#include "certstore.h"
#include "explain.h"
#include "export.h"
#include "pkix.h"

struct ops_target {
    const char *principal; /* a user or computer by name; NULL: the caller */
    int act_for;           /* manage it as the Certificates snap-in does (authz_act_for) */
};

/* store.list: one of the target's logical stores */
struct ops_store_list {
    struct ops_target who;
    enum certstore_kind kind;
};
struct ops_store_row {
    struct certstore_entry e;
    char *purposes; /* "Server Authentication, Client Authentication", or "<All>" */
    char *template; /* the template's display name, else its cn; "" for none */
};
struct ops_store_rows {
    struct ops_store_row *v;
    size_t n;
};
void ops_store_rows_free(struct ops_store_rows *r);

/* store.requests: the target's Certificate Enrollment Requests (args ops_store_list, kind unused)
 */
struct ops_store_request {
    int64_t key_id, request_id;
    time_t created;
    char *template; /* display name, else cn; "" when the CA has no such request */
    char *status;   /* "Pending", "Issued", ... or "?" */
};
struct ops_store_requests {
    struct ops_store_request *v;
    size_t n;
};
void ops_store_requests_free(struct ops_store_requests *r);

/*
 * store.certificate: one certificate of the target's stores, by entry id
 * in the store kind (a row of store.list), or when spec is set by serial,
 * thumbprint or template name in Personal (certstore_find). Result: a
 * certstore_entry (certstore_entry_free).
 */
struct ops_store_pick {
    struct ops_target who;
    enum certstore_kind kind;
    int64_t entry_id;
    const char *spec;
};

/*
 * certificate.export: the picked certificate in a format. The entry is
 * read as the target says; the export itself is always the caller's: a
 * PFX of another's key needs what authz says and is audited. Result: the
 * encoded bytes (pkix_buf_free).
 */
struct ops_export {
    struct ops_store_pick pick;
    struct export_params params;
};

/*
 * certificate.enroll: the Request New Certificate wizard for the target.
 * The result says what the template is (filled before enrolling, so also
 * when the enrollment fails), then the outcome.
 */
struct ops_enroll {
    struct ops_target who;
    struct cadb_enroll_params params;
};
struct ops_enroll_result {
    int attempted;        /* the request was made: a failure is the enrollment's own */
    int template_known;   /* the template could be read: the flags below apply */
    int subject_supplied; /* the template takes the subject from the request */
    int key_exportable;   /* the template allows an exportable key */
    char *template_display;
    struct cadb_outcome outcome; /* when ops_call returned CC_OK */
};
void ops_enroll_result_free(struct ops_enroll_result *r);

/*
 * request.submit: PKCS #10 requests made elsewhere, for the target (never
 * act_for), decided and signed with no lock held, then recorded in one
 * short transaction. ops_call fails only when none could be looked at
 * (the requester, the CA) or the transaction failed; each request's own
 * failure is in its item.
 */
struct ops_submit {
    struct ops_target who;
    const char *template; /* NULL: from the requests' template extension */
    const struct pkix_buf *requests;
    size_t n;
};
enum { OPS_SUBMIT_PREPARE = 1, OPS_SUBMIT_RECORD = 2 };
struct ops_submit_item {
    int rc;      /* CC_OK: outcome holds the result (if the batch committed) */
    int failed;  /* OPS_SUBMIT_PREPARE or OPS_SUBMIT_RECORD when rc is not CC_OK */
    char *cause; /* allocated, or NULL */
    struct cadb_outcome outcome;
};
struct ops_submit_result {
    int looked; /* the requests were looked at (items filled) */
    struct ops_submit_item *v;
    size_t n;
};
void ops_submit_result_free(struct ops_submit_result *r);

/*
 * autoenroll.pulse: the target's autoenrollment pulse (certutil -pulse),
 * run as the principal; with all set, every computer then every user, each
 * in its own item. autoenroll.last-pulse: the newest recorded pulse of the
 * principal (one item). autoenroll.restart: a computer's restart or a
 * user's logon (how: AE_START_*), then its pulse; `certcon dir restart`
 * and the console's Restart both run it.
 */
struct ops_pulse_item;
struct ops_pulse {
    const char *principal;
    int all;
    enum ae_start how; /* autoenroll.restart */
    /*
     * With all: called with each item as soon as its pulse has run, so a
     * front end can tell it while the others run (a directory of
     * thousands takes minutes); may be NULL. The item stays in the result.
     */
    void (*each)(void *arg, const struct ops_pulse_item *it);
    void *arg;
};
struct ops_pulse_item {
    char *principal; /* as asked, or the account's name for --all */
    int rc;
    char *cause;
    struct pulse_report report; /* when rc is CC_OK */
};
struct ops_pulse_result {
    struct ops_pulse_item *v;
    size_t n;
};
void ops_pulse_result_free(struct ops_pulse_result *r);

/*
 * enroll.templates: what the Request New Certificate wizard offers the
 * target. offers: the CA's templates (in the CA's order) for the target's
 * kind (user: user templates, else machine ones) that its group token may
 * enroll for; unavailable: every other template of the forest with why
 * (a constant sentence). Either list is empty when it cannot be read.
 */
struct ops_enroll_templates {
    struct ops_target who;
    int user;
};
struct ops_enroll_offer {
    char *cn, *display;
    int supplied;    /* the subject comes from the request */
    const char *why; /* unavailable: why not */
};
struct ops_enroll_offers {
    struct ops_enroll_offer *offers, *unavailable;
    size_t noffers, nunavailable;
};
void ops_enroll_offers_free(struct ops_enroll_offers *r);

/*
 * store.open: whether the caller may manage the target's certificates as
 * the Certificates snap-in's "another user" (authz_act_for; a refusal is
 * audited). No result.
 */

/* certificate.decode: what the Certificate dialog shows of a DER certificate */
struct ops_cert_decode {
    const void *der;
    size_t n;
};
struct ops_cert_decoded {
    struct certinfo info;
    struct certinfo_link *path; /* root first */
    size_t npath;
};
void ops_cert_decoded_free(struct ops_cert_decoded *r);

/*
 * enroll.explain: why the target (a user or computer; act_for unused) can
 * or cannot enroll for a template, the CA's checks in order and what lies
 * behind the permission check (`certcon explain`, the console's "Why
 * Can't ... Enroll?"). Result: struct explain_report
 * (explain_report_free); a refusal is the report's verdict, not a failure.
 */
struct ops_enroll_explain {
    struct ops_target who;
    const char *template; /* by display or template name */
};

enum {
    OP_STORE_LIST = OPS_ENROLL_BASE, /* args ops_store_list, result ops_store_rows */
    OP_STORE_REQUESTS,               /* args ops_store_list, result ops_store_requests */
    OP_STORE_CERTIFICATE,            /* args ops_store_pick, result certstore_entry */
    OP_CERT_EXPORT,                  /* args ops_export, result pkix_buf */
    OP_CERT_ENROLL,                  /* args ops_enroll, result ops_enroll_result */
    OP_REQUEST_SUBMIT,               /* args ops_submit, result ops_submit_result */
    OP_AUTOENROLL_PULSE,             /* args ops_pulse, result ops_pulse_result */
    OP_AUTOENROLL_LAST_PULSE,        /* args ops_pulse, result ops_pulse_result */
    OP_AUTOENROLL_RESTART,           /* args ops_pulse, result ops_pulse_result */
    OP_CERT_DECODE,                  /* args ops_cert_decode, result ops_cert_decoded */
    OP_ENROLL_TEMPLATES,             /* args ops_enroll_templates, result ops_enroll_offers */
    OP_STORE_OPEN,                   /* args ops_target, no result */
    OP_ENROLL_EXPLAIN,               /* args ops_enroll_explain, result explain_report */
};

#endif
