/*
 * Operations on the CA itself: settings, roles, CRLs, OCSP, audit and the lab (Certification
 * Authority snap-in, `ca`, `ocsp`, `audit`, `lab`). Included by ops.h.
 */
#ifndef CERTCON_OPS_CA_H
#define CERTCON_OPS_CA_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "audit.h"
#include "authority.h"
#include "cadb.h"
#include "certlint.h"
#include "coach.h"
#include "crl.h"
#include "exercise.h"
#include "labsnap.h"
#include "ocsp.h"
#include "svccert.h"
#include "util.h"

/*
 * ca.show: the CA as `ca show` and the console's CA node and sheets show it.
 * Everything is owned by the result (ops_ca_info_free).
 */
struct ops_ca_info {
    struct authority_info info;
    struct authority_urls urls;          /* the URLs in effect (explicit or from the base URL) */
    size_t templates;                    /* how many Certificate Templates to Issue */
    char *key_description;               /* "RSA (2048 bits)"; NULL when unknown */
    int key_mode_rc;                     /* CC_OK when key_mode holds the key file's bits */
    unsigned key_mode;                   /* permission bits of the key file */
    char *subject, *serial, *thumbprint; /* of the CA certificate; serial and SHA-1 in hex */
    char *database;                      /* the database file */
    char *key_file; /* the CA key's file beside the database, or its pkcs11: URL */
};
void ops_ca_info_free(struct ops_ca_info *r);

/* One `ca set` setting: base-url ... validity, ocsp-signer, est-default. */
struct ops_ca_setting {
    const char *name, *value;
};
/* One CA permission entry as it is to be; allow and deny both 0 remove it. */
struct ops_ca_ace {
    int64_t principal;
    unsigned allow, deny;
};
/*
 * ca.configure: settings, then the permission entries that go with them
 * (the CA's Properties sheet), all written or none.
 */
struct ops_ca_configure {
    const struct ops_ca_setting *settings;
    size_t nsettings;
    const struct ops_ca_ace *aces;
    size_t naces;
};
/* ca.permissions: permission entries only (ops_ca_configure's aces; settings unused). */

/*
 * ca.roles.change (`ca roles --grant/--deny/--revoke`): "PRINCIPAL:ROLES"
 * edits, grants first, then denials, then revocations, each against the
 * entry as the edits before it left it; all land or none.
 */
struct ops_ca_roles_change {
    const struct strlist *grant, *deny, *revoke;
};
/* ca.roles: the CA's permission entries and the host's role separation. */
struct ops_ca_roles {
    struct authority_ace *aces;
    size_t n;
    int role_separation;
};
void ops_ca_roles_free(struct ops_ca_roles *r);

/*
 * ca.role-separation: turned on or off by the owner of the database (or
 * root) on the CA host; the front end refuses it through the service.
 */
struct ops_ca_role_separation {
    int on;
};

/* crl.publish and crl.latest: which kind of CRL. */
struct ops_crl_kind {
    enum crl_kind kind;
};
/* What crl.publish published, or the newest CRL of a kind (crl.latest; the CDP serves der). */
struct ops_crl {
    struct pkix_buf der;
    struct crl_info info;
};
void ops_crl_free(struct ops_crl *r);

/* request.list, request.count, request.page: a view of the CA database. */
struct ops_request_view {
    enum cadb_view view;
    const char *filter; /* may be NULL */
    int sort_column;    /* request.page: an enum cadb_column, -1: the request id */
    int descending;
    size_t offset, limit;
};
/* The rows of request.list and request.page, and request.count's count. */
struct ops_request_rows {
    struct cadb_row *rows;
    size_t n;
    size_t count;
};
void ops_request_rows_free(struct ops_request_rows *r);
/* request.get: one row of the CA database by request id (result: struct cadb_row). */
struct ops_request_get {
    int64_t request_id;
};
/* certificate.retrieve (`ca get`, Open): an issued certificate again. */
struct ops_cert_retrieve {
    const char *serial_or_id;
};
struct ops_cert {
    struct pkix_buf der;
    int64_t request_id;
};
void ops_cert_free(struct ops_cert *r);

/* audit.read: the log, filtered (args: struct audit_filter); newest first. */
struct ops_audit_entries {
    struct audit_entry *v; /* audit_list_free(v, n) */
    size_t n;
};
/* audit.verify: no args, result struct audit_verdict (audit_verdict_free). */

/* ocsp.respond (`ocsp respond`): one DER OCSPRequest; result struct ocsp_answer. */
struct ops_ocsp_request {
    const void *der;
    size_t len;
};

/* lint.check (`lint`): certificates and CRLs, PEM or DER; needs no database. */
struct ops_lint_data {
    const void *data;
    size_t n;
};
struct ops_lint_result {
    struct certlint_object *v; /* certlint_objects_free(v, n) */
    size_t n;
};
/* lint.rules: every rule the lint knows, indexed by enum certlint_rule (static, nothing to free).
 */
struct ops_lint_rules {
    const struct certlint_rule_info *v[CERTLINT_RULE_COUNT];
    size_t n;
};

/* lab.exercises: the lab's exercises (args: ops_lab_dir; result struct exercise_set). */
struct ops_lab_dir {
    const char *datadir; /* where the lab files are installed */
};
/* lab.step: whether one step of an exercise is done, or why not. */
struct ops_lab_step {
    const struct exercise_step *step;
};
struct ops_lab_step_state {
    int done;
    char *reason; /* allocated; NULL when done */
};
/* lab.coach: the coaching notes that apply (args: ops_lab_set; result struct coach_notes). */
struct ops_lab_set {
    const struct exercise_set *set;
};
/* lab.bind: a computer's certificate bound to its web server (a lab database only). */
struct ops_lab_bind {
    const char *computer, *cert; /* cert: serial, thumbprint or template name */
};
struct ops_lab_files {
    char *files; /* allocated: one path a line */
};
/* lab.snapshot: the whole lab saved as NAME beside the database, or to a file (path). */
struct ops_lab_snapshot {
    const char *name;
    const char *path; /* NULL: beside the database */
    int force;        /* replace path */
};
/* lab.snapshot's result: where it was written (allocated). lab.snapshots: result strlist. */

/*
 * ca.init (`init`): a new database's domain (a lab's test network, or a new
 * domain and its built-in templates), the account map of its owners and
 * its enterprise root CA. The database's own set-up: the system context only.
 */
struct ops_ca_init {
    const char *datadir;
    const char *lab;                        /* a lab's name, or NULL for a new domain: */
    const char *domain, *netbios, *ca_name; /* netbios NULL: the first label, upper case */
    const char *key, *host, *edition;       /* NULL: the lab's (or the new domain's defaults) */
    const char *passphrase;                 /* encrypts the CA key file; NULL for none */
    const char *key_url;                    /* a pkcs11: key, or NULL */
    const char *unix_user;                  /* mapped to Administrator beside root; may be NULL */
};
struct ops_ca_init_result {
    char *lab; /* the lab's name (NULL for a new domain); allocated as the two below */
    char *dns, *netbios;
};
void ops_ca_init_result_free(struct ops_ca_init_result *r);

/*
 * ca.changes: the database's change counter, which every committed change
 * moves: a console polls it to notice others' work (result: int64_t).
 */

/*
 * crl.publish-due: the CA service's publication schedule, as the service
 * itself (the system context only, audited as SYSTEM): a base CRL when
 * one is due, then a delta when deltas are on and one is due.
 */
struct ops_crl_due {
    int published;        /* how many CRLs it published */
    time_t next;          /* when something will next be due */
    struct crl_info base; /* the newest base CRL, when it published any */
};

/* lab.name: the lab the database is, or NULL for a production database (allocated). */
struct ops_lab_name {
    char *lab;
};
void ops_lab_name_free(struct ops_lab_name *r);

/*
 * ca.service-certificate: the certificate the service presents over HTTPS
 * made or renewed (svccert.h), as the service itself (the system context
 * only); the request is the CA host's account's. Args struct
 * svccert_in_use, result struct svccert.
 */

/*
 * ca.service-stop (the console's Stop Service): the CA service's main
 * process asked to end as `kill -TERM` would, and the stop audited; the
 * record commits only if the service was told.
 */
struct ops_service_stop {
    pid_t pid; /* the service's main process */
};

/*
 * lab.restore (`lab restore`, `lab reset`, the console's Lab node): the
 * whole lab replaced by a snapshot of it, checked first (a damaged one,
 * or one of another lab, changes nothing). The database is replaced under
 * the caller's own store handle, which stays open and holds the restored
 * lab (store_replace); the caller's account may be another there, so a
 * front end that goes on working decides its caller again when
 * `replaced` says so (the command line's cli_resolve, the console host's
 * lab_restored). Never through the CA service: the front ends refuse it.
 */
struct ops_lab_restore {
    const char *name; /* a snapshot kept beside the database; NULL: see data */
    const void *data; /* a snapshot file's bytes; NULL with name NULL: the lab as init made it */
    size_t n;
};
struct ops_lab_restored {
    struct labsnap_info info; /* what the snapshot says of itself (on CC_OK) */
    int replaced;             /* the lab's files were touched: set whatever ops_call returns */
};
void ops_lab_restored_free(struct ops_lab_restored *r);

enum {
    OP_CA_SHOW = OPS_CA_BASE, /* no args, result ops_ca_info */
    OP_CA_CONFIGURE,          /* args ops_ca_configure, no result */
    OP_CA_PERMISSIONS,        /* args ops_ca_configure (aces), no result */
    OP_CA_ROLES,              /* no args, result ops_ca_roles */
    OP_CA_ROLES_CHANGE,       /* args ops_ca_roles_change, no result */
    OP_CA_ROLE_SEPARATION,    /* args ops_ca_role_separation, no result */
    OP_CRL_PUBLISH,           /* args ops_crl_kind, result ops_crl */
    OP_CRL_LATEST,            /* args ops_crl_kind, result ops_crl */
    OP_REQUEST_LIST,          /* args ops_request_view, result ops_request_rows */
    OP_REQUEST_COUNT,         /* args ops_request_view, result ops_request_rows (count) */
    OP_REQUEST_PAGE,          /* args ops_request_view, result ops_request_rows */
    OP_REQUEST_GET,           /* args ops_request_get, result cadb_row (cadb_rows_free(r, 1)) */
    OP_CERT_RETRIEVE,         /* args ops_cert_retrieve, result ops_cert */
    OP_AUDIT_READ,            /* args audit_filter, result ops_audit_entries */
    OP_AUDIT_VERIFY,          /* no args, result audit_verdict */
    OP_OCSP_RESPOND,          /* args ops_ocsp_request, result ocsp_answer */
    OP_LINT_CHECK,            /* args ops_lint_data, result ops_lint_result */
    OP_LINT_RULES,            /* no args, result ops_lint_rules */
    OP_LAB_EXERCISES,         /* args ops_lab_dir, result exercise_set */
    OP_LAB_STEP,              /* args ops_lab_step, result ops_lab_step_state */
    OP_LAB_COACH,             /* args ops_lab_set, result coach_notes */
    OP_LAB_BIND,              /* args ops_lab_bind, result ops_lab_files */
    OP_LAB_SNAPSHOT,          /* args ops_lab_snapshot, result ops_lab_files (the path) */
    OP_LAB_SNAPSHOTS,         /* no args, result strlist */
    OP_CA_INIT,               /* args ops_ca_init, result ops_ca_init_result */
    OP_CA_CHANGES,            /* no args, result int64_t */
    OP_CA_INFO,               /* no args, result authority_info (authority_info_free) */
    OP_LAB_NAME,              /* no args, result ops_lab_name */
    OP_CRL_PUBLISH_DUE,       /* no args, result ops_crl_due */
    OP_CA_SERVICE_CERT,       /* args svccert_in_use, result svccert (svccert_free) */
    OP_CA_SERVICE_STOP,       /* args ops_service_stop, no result */
    OP_LAB_RESTORE,           /* args ops_lab_restore, result ops_lab_restored */
};

#endif
