/*
 * Requests, certificates and revocation in the CA database. Each
 * submission is one transaction (a savepoint when the caller batches):
 * the request row, the signature, the certificate row and the serial
 * commit together or not at all.
 */
#include "config.h"
#include "authz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/x509.h>

#include "audit.h"
#include "cadb.h"
#include "certstore.h"
#include "clock.h"
#include "context.h"
#include "issue.h"
#include "status.h"
#include "template.h"

/* The statements every submission runs, prepared once per session. */
enum { Q_REQUEST, Q_SERIAL, Q_CERTIFICATE, Q_COUNT };

static const char *const session_sql[Q_COUNT] = {
    [Q_REQUEST] = "INSERT INTO request (requester, requester_id, caller, template, disposition, "
                  "status, message, submitted, resolved, raw_request, request_dn, request_cn, "
                  "request_email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    [Q_SERIAL] = "INSERT INTO serial_used (serial) VALUES (?)",
    [Q_CERTIFICATE] = "INSERT INTO certificate (request_id, serial, thumbprint, template, "
                      "subject, common_name, email, upn, not_before, not_after, raw) VALUES "
                      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
};

struct cadb_session {
    const struct cc_ctx *cx; /* the caller's, borrowed for the session */
    struct store *st;
    struct authority *ca;
    struct policy_cache *cache;
    struct issue_profile **profiles;
    size_t nprofiles;
    int64_t requester_id; /* requester_name's principal */
    char *requester_name;
    struct store_stmt *q[Q_COUNT];
    int64_t changes; /* the store's change counter the cache was filled at; -1: empty */
};

static const char *const reason_names[] = {
    "unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
    "superseded",  "cessationOfOperation", "certificateHold", NULL, "removeFromCRL",
};

int
cadb_session_open(const struct cc_ctx *cx, const char *passphrase, struct cadb_session **out,
                  char **cause)
{
    struct store *st = cx->st;
    struct cadb_session *s = calloc(1, sizeof *s);
    if (s == NULL)
        return CC_ENOMEM;
    s->cx = cx;
    s->st = st;
    s->changes = -1;
    int rc = authority_open(st, passphrase, &s->ca, cause);
    if (rc == CC_OK)
        rc = policy_cache_new(&s->cache);
    if (rc == CC_OK)
        policy_cache_set_brief(s->cache, 1);
    if (rc != CC_OK) {
        cadb_session_close(s);
        return rc;
    }
    *out = s;
    return CC_OK;
}

void
cadb_session_close(struct cadb_session *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < Q_COUNT; i++)
        store_finalize(s->q[i]);
    authority_close(s->ca);
    policy_cache_free(s->cache);
    for (size_t i = 0; i < s->nprofiles; i++)
        issue_profile_free(s->profiles[i]);
    free(s->profiles);
    free(s->requester_name);
    free(s);
}

struct authority *
cadb_session_authority(struct cadb_session *s)
{
    return s->ca;
}

void
cadb_outcome_free(struct cadb_outcome *o)
{
    if (o == NULL)
        return;
    free(o->message);
    free(o->template_cn);
    pkix_buf_free(&o->cert);
    memset(o, 0, sizeof *o);
}

/* The session's statement which, reset and unbound (see stmt_done). */
static int
session_stmt(struct cadb_session *s, int which, struct store_stmt **out, char **cause)
{
    if (s->q[which] == NULL) {
        int rc = store_prepare_kept(s->st, session_sql[which], &s->q[which], cause);
        if (rc != CC_OK)
            return rc;
    }
    *out = s->q[which];
    return CC_OK;
}

static void
stmt_done(struct store_stmt *q)
{
    store_reset(q);
    store_clear_bindings(q);
}

/*
 * The policy cache holds while nothing writes the database: the store's
 * change counter says when something did (anyone's commit, ours included),
 * and then the cache is filled afresh. *changes gets the counter.
 */
static int
session_refresh(struct cadb_session *s, int64_t *changes, char **cause)
{
    int64_t v;
    int rc = store_changes(s->st, &v, cause);
    if (rc != CC_OK)
        return rc;
    if (v != s->changes) {
        policy_cache_reset(s->cache);
        s->changes = v;
    }
    if (changes != NULL)
        *changes = v;
    return CC_OK;
}

static const char *
requester_name(struct cadb_session *s, const struct dir_principal *p)
{
    if (s->requester_name == NULL || s->requester_id != p->id) {
        free(s->requester_name);
        s->requester_name = dir_qualified_name(s->st, p);
        s->requester_id = p->id;
    }
    return s->requester_name ? s->requester_name : p->sam;
}

static int
profile_for(struct cadb_session *s, const struct template *t, const struct issue_profile **out,
            char **cause)
{
    for (size_t i = 0; i < s->nprofiles; i++)
        if (s->profiles[i]->template_id == t->id &&
            s->profiles[i]->change_count == t->change_count) {
            *out = s->profiles[i];
            return CC_OK;
        }
    struct issue_profile *p;
    int rc = issue_profile_build(s->st, s->ca, t, &p, cause);
    if (rc != CC_OK)
        return rc;
    struct issue_profile **v = realloc(s->profiles, (s->nprofiles + 1) * sizeof *v);
    if (v == NULL) {
        issue_profile_free(p);
        return CC_ENOMEM;
    }
    s->profiles = v;
    s->profiles[s->nprofiles++] = p;
    *out = p;
    return CC_OK;
}

struct row_fields {
    const char *requester;
    int64_t requester_id;
    const char *template_cn;
    int disposition;
    uint32_t status;
    const char *message;
    time_t submitted, resolved;
    const struct pkix_buf *raw;
    const char *dn, *cn, *email;
};

static int
insert_request(struct cadb_session *s, const struct row_fields *f, int64_t *id, char **cause)
{
    struct store *st = s->st;
    struct store_stmt *q;
    int rc = session_stmt(s, Q_REQUEST, &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_text(q, 1, f->requester);
    if (f->requester_id > 0)
        store_bind_int64(q, 2, f->requester_id);
    store_bind_text(q, 3, s->cx->who_name);
    store_bind_text(q, 4, f->template_cn ? f->template_cn : "");
    store_bind_int(q, 5, f->disposition);
    store_bind_int64(q, 6, f->status);
    store_bind_text(q, 7, f->message ? f->message : "");
    store_bind_int64(q, 8, (int64_t)f->submitted);
    if (f->resolved)
        store_bind_int64(q, 9, (int64_t)f->resolved);
    if (f->raw && f->raw->n)
        store_bind_blob(q, 10, f->raw->p, f->raw->n);
    store_bind_text(q, 11, f->dn ? f->dn : "");
    store_bind_text(q, 12, f->cn ? f->cn : "");
    store_bind_text(q, 13, f->email ? f->email : "");
    rc = store_run(q, cause);
    stmt_done(q);
    if (rc == CC_OK)
        *id = store_last_id(st);
    return rc;
}

int
cadb_record_refusal(const struct cc_ctx *cx, const char *requester, int64_t requester_id,
                    const char *template_cn, int status, const char *message, const void *raw,
                    size_t n, int64_t *id, char **cause)
{
    struct store *st = cx->st;
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "INSERT INTO request (requester, requester_id, caller, template, "
                           "disposition, status, message, submitted, resolved, raw_request) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    time_t now = ctx_now(cx);
    store_bind_text(q, 1, requester);
    if (requester_id > 0)
        store_bind_int64(q, 2, requester_id);
    store_bind_text(q, 3, cx->who_name);
    store_bind_text(q, 4, template_cn ? template_cn : "");
    store_bind_int(q, 5, DISP_DENIED);
    store_bind_int64(q, 6, cc_hresult(status));
    store_bind_text(q, 7, message ? message : "");
    store_bind_int64(q, 8, (int64_t)now);
    store_bind_int64(q, 9, (int64_t)now);
    if (raw != NULL && n > 0 && n <= (1 << 20))
        store_bind_blob(q, 10, raw, n);
    rc = store_run(q, cause);
    store_finalize(q);
    if (rc == CC_OK && id != NULL)
        *id = store_last_id(st);
    return rc;
}

/*
 * Text columns of the certificate from its subject DER and names. A subject
 * taken from the request was already rendered by the same GnuTLS calls
 * when the request was parsed (req, may be NULL): reuse that text.
 */
static void
subject_columns(const struct issue_names *n, const struct request_info *req, char **subject,
                char **cn)
{
    gnutls_datum_t idn = {n->subject.p, (unsigned)n->subject.n}, str = {NULL, 0};
    *subject = NULL;
    *cn = NULL;
    if (req != NULL && n->subject.n > 2 && req->subject.n == n->subject.n &&
        memcmp(req->subject.p, n->subject.p, n->subject.n) == 0 && req->subject_text &&
        *req->subject_text) {
        *subject = strdup(req->subject_text);
        /* the same 256-byte limit as below */
        if (req->cn != NULL && strlen(req->cn) < 256)
            *cn = strdup(req->cn);
        return;
    }
    if (n->subject.n > 2 && gnutls_x509_rdn_get2(&idn, &str, 0) >= 0) {
        *subject = strndup((const char *)str.data, str.size);
        gnutls_free(str.data);
    }
    char buf[256];
    size_t size = sizeof buf;
    if (n->subject.n > 2 &&
        gnutls_x509_rdn_get_by_oid(&idn, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &size) >= 0)
        *cn = strdup(buf);
}

static int set_request(const struct cc_ctx *cx, int64_t id, int disposition, uint32_t status,
                       const char *message, char **cause);

/* Whether an issuance failure is the linter's refusal (a failed request, not an error). */
static int
lint_refusal(int rc)
{
    return rc == CC_E_CERT_LINT || rc == CC_E_BAD_REQUESTSUBJECT;
}

/*
 * Records that the linter refused what the CA built: the request becomes a
 * failed one whose message names each broken rule; nothing was signed.
 */
static int
record_lint_failure(struct cadb_session *s, struct row_fields *f, int status, const char *why,
                    struct cadb_outcome *out, char **cause)
{
    free(out->message);
    out->message = cc_asprintf("Error Constructing Certificate  0x%08x, %s %s", cc_hresult(status),
                               cc_strerror(status), why ? why : "");
    if (out->message == NULL)
        return CC_ENOMEM;
    out->status = status;
    out->disposition = DISP_ERROR;
    pkix_buf_free(&out->cert);
    out->serial[0] = '\0';
    if (out->request_id > 0)
        return set_request(s->cx, out->request_id, DISP_ERROR, cc_hresult(status), out->message,
                           cause);
    f->disposition = DISP_ERROR;
    f->status = cc_hresult(status);
    f->message = out->message;
    return insert_request(s, f, &out->request_id, cause);
}

static int pem_request_der(const void *text, size_t n, struct pkix_buf *out);

/*
 * Signs a certificate for request id and stores it; retries on a (never seen)
 * serial clash. request_id 0: a "do not store" template (CT_FLAG_DONOTPERSISTINDB),
 * whose certificates keep only their serial in serial_used, so that it is
 * still never reused.
 */
static int
issue_and_store(struct cadb_session *s, int64_t request_id, const struct template *t,
                const struct issue_names *names, const struct request_info *req, time_t now,
                struct cadb_outcome *out, char **cause)
{
    const struct issue_profile *prof;
    int rc = profile_for(s, t, &prof, cause);
    if (rc != CC_OK)
        return rc;
    char *subject = NULL, *cn = NULL;
    subject_columns(names, req, &subject, &cn);
    for (int attempt = 0; attempt < 3; attempt++) {
        struct issue_result r;
        rc = issue_certificate(s->ca, prof, names, &req->spki, req->pk, req->key_id,
                               req->key_id_len, now, &r, cause);
        if (rc != CC_OK)
            break;
        struct store_stmt *q;
        rc = session_stmt(s, Q_SERIAL, &q, cause);
        if (rc != CC_OK) {
            issue_result_free(&r);
            break;
        }
        store_bind_text(q, 1, r.serial);
        int step = store_step(q, NULL);
        if (step != STORE_DONE && step != CC_ECONSTRAINT)
            rc = store_error(s->st, cause);
        stmt_done(q);
        if (step == CC_ECONSTRAINT) { /* a serial used before: draw another */
            issue_result_free(&r);
            continue;
        }
        if (step != STORE_DONE) {
            issue_result_free(&r);
            break;
        }
        rc = request_id > 0 ? session_stmt(s, Q_CERTIFICATE, &q, cause) : CC_OK;
        if (rc == CC_OK && request_id > 0) {
            store_bind_int64(q, 1, request_id);
            store_bind_text(q, 2, r.serial);
            store_bind_text(q, 3, r.thumbprint);
            store_bind_text(q, 4, t->cn);
            store_bind_text(q, 5, subject ? subject : "");
            store_bind_text(q, 6, cn ? cn : "");
            store_bind_text(q, 7, names->email.n ? names->email.v[0] : "");
            store_bind_text(q, 8, names->upn.n ? names->upn.v[0] : "");
            store_bind_int64(q, 9, (int64_t)r.not_before);
            store_bind_int64(q, 10, (int64_t)r.not_after);
            store_bind_blob(q, 11, r.der.p, r.der.n);
            rc = store_run(q, cause);
            stmt_done(q);
        }
        if (rc == CC_OK) {
            memcpy(out->serial, r.serial, sizeof out->serial);
            pkix_buf_free(&out->cert);
            out->cert = r.der;
            r.der.p = NULL;
            r.der.n = 0;
        }
        issue_result_free(&r);
        break;
    }
    free(subject);
    free(cn);
    return rc;
}

/* The audit record of a certificate just signed: serial, template, requester and request. */
static int
audit_issue(const struct cc_ctx *cx, const struct cadb_outcome *out, const char *template_cn,
            const char *requester, char **cause)
{
    char *what = out->request_id > 0
                     ? cc_asprintf("%s for %s (request %lld)", template_cn, requester,
                                   (long long)out->request_id)
                     : cc_asprintf("%s for %s (not stored)", template_cn, requester);
    int rc =
        what ? audit_record(cx, "certificate", out->serial, "issue", NULL, what, cause) : CC_ENOMEM;
    free(what);
    return rc;
}

/* Requesting for another principal needs a right to (authz_check). */
static int
require_request_for(const struct cc_ctx *cx, const struct dir_principal *requester,
                    const char *template_name, char **cause)
{
    struct store *st = cx->st;
    if (requester->id == cx->who)
        return CC_OK;
    struct template t = {0};
    int have = template_name != NULL && template_load(st, template_name, &t, NULL) == CC_OK;
    struct authz_target a = {.principal = requester->id, .template = have ? &t : NULL};
    int rc = authz_check(cx, AUTHZ_REQUEST_FOR, &a, cause);
    if (have)
        template_free(&t);
    return rc;
}

/* POLICY_AGENT when the acting account requests for another as an enrollment agent. */
static int
agent_flag(const struct cc_ctx *cx, const char *template_name)
{
    struct store *st = cx->st;
    struct template t = {0};
    if (template_name == NULL || template_load(st, template_name, &t, NULL) != CC_OK)
        return 0;
    int agent = authz_agent_for(cx, &t);
    template_free(&t);
    return agent ? POLICY_AGENT : 0;
}

/* The policy module's flags for a submission by the acting account for requester. */
static int
submit_flags(const struct cc_ctx *cx, const struct dir_principal *requester,
             const char *template_name)
{
    return requester->id != cx->who ? agent_flag(cx, template_name) : 0;
}

/*
 * A submission made ready outside any write transaction: the request
 * parsed, the policy module's decision and, when it issues, the signed
 * certificate. Recording it is then a few inserts. It owns copies of
 * everything it needs, so that the policy cache may be refilled while it
 * waits (a decision borrows the cache's template).
 */
struct cadb_prepared {
    char *template_name; /* as asked */
    struct pkix_buf csr; /* the request as submitted, kept to prepare it again */
    time_t now;
    int64_t changes;  /* the store's change counter the decision was made at */
    int parse_status; /* CC_OK, or why the request is malformed */
    char *message;    /* the disposition message */
    int have_req;
    struct request_info req;
    int status, pending; /* the decision */
    int have_template;
    int64_t template_id, template_change_count;
    uint32_t template_flags;
    char *template_cn;
    char *email, *upn; /* the certificate's first e-mail and UPN names */
    int issue;         /* a certificate was built: signed below, or refused by lint */
    int lint_status;   /* CC_OK, or the linter's refusal of what would be signed */
    char *lint_why;
    struct issue_result cert;
    char *subject, *cn; /* the certificate's subject columns */
};

static void
prepared_clear(struct cadb_prepared *p)
{
    free(p->message);
    if (p->have_req)
        request_info_free(&p->req);
    free(p->template_cn);
    free(p->email);
    free(p->upn);
    free(p->lint_why);
    issue_result_free(&p->cert);
    free(p->subject);
    free(p->cn);
    char *name = p->template_name;
    struct pkix_buf csr = p->csr;
    memset(p, 0, sizeof *p);
    p->template_name = name;
    p->csr = csr;
}

void
cadb_prepared_free(struct cadb_prepared *p)
{
    if (p == NULL)
        return;
    prepared_clear(p);
    free(p->template_name);
    pkix_buf_free(&p->csr);
    free(p);
}

/* Signs the certificate the decision d asks for (no database writes). */
static int
prepare_certificate(struct cadb_session *s, struct cadb_prepared *p,
                    const struct policy_decision *d, char **cause)
{
    const struct issue_profile *prof;
    int rc = profile_for(s, &d->tmpl, &prof, cause);
    if (rc != CC_OK)
        return rc;
    subject_columns(&d->names, &p->req, &p->subject, &p->cn);
    if (d->names.email.n && (p->email = strdup(d->names.email.v[0])) == NULL)
        return CC_ENOMEM;
    if (d->names.upn.n && (p->upn = strdup(d->names.upn.v[0])) == NULL)
        return CC_ENOMEM;
    p->issue = 1;
    char *why = NULL;
    rc = issue_certificate(s->ca, prof, &d->names, &p->req.spki, p->req.pk, p->req.key_id,
                           p->req.key_id_len, p->now, &p->cert, &why);
    if (lint_refusal(rc)) {
        p->lint_status = rc;
        p->lint_why = why;
        return CC_OK;
    }
    if (rc != CC_OK && cause != NULL) {
        free(*cause);
        *cause = why;
        why = NULL;
    }
    free(why);
    return rc;
}

/*
 * Fills p for its request: parse, policy, signature. Reads the database
 * but writes nothing, so it runs outside write transactions. Errors are
 * only those that leave nothing to record (out of memory, a CA that
 * cannot sign).
 */
static int
prepare_fill(struct cadb_session *s, const struct dir_principal *requester, struct cadb_prepared *p,
             char **cause)
{
    char *why = NULL;
    p->now = ctx_now(s->cx);
    int rc = session_refresh(s, &p->changes, cause);
    if (rc != CC_OK)
        return rc;
    /*
     * PEM is unwrapped here so that parsing takes the DER as it is instead of
     * re-encoding the parsed request; anything this does not unwrap goes to
     * request_parse unchanged, which reports it as before.
     */
    struct pkix_buf der = {0};
    const void *csr = p->csr.p;
    size_t n = p->csr.n;
    int prc;
    if (n <= (1 << 20) && pem_request_der(csr, n, &der) == CC_OK) {
        prc = request_parse(der.p, der.n, &p->req, &why);
        if (prc != CC_OK) { /* let the original text give the original message */
            free(why);
            why = NULL;
            prc = request_parse(csr, n, &p->req, &why);
        }
    } else {
        prc = request_parse(csr, n, &p->req, &why);
    }
    pkix_buf_free(&der);
    if (prc == CC_ENOMEM || prc == CC_ECRYPTO) {
        rc = cc_fail(cause, prc, "%s", why ? why : cc_strerror(prc));
        free(why);
        return rc;
    }
    if (prc != CC_OK) {
        /* a malformed or mis-signed request is still a failed request */
        p->parse_status = prc;
        p->message = cc_asprintf("Error Parsing Request  0x%08x, %s %s", cc_hresult(prc),
                                 cc_strerror(prc), why ? why : "");
        free(why);
        return p->message ? CC_OK : CC_ENOMEM;
    }
    free(why);
    p->have_req = 1;
    struct policy_decision d;
    rc = policy_evaluate(s->cx, &s->ca->info, s->cache, requester, p->template_name, &p->req,
                         submit_flags(s->cx, requester, p->template_name), &d, cause);
    if (rc != CC_OK)
        return rc;
    p->status = d.status;
    p->pending = d.pending;
    p->message = cc_strdup(d.message);
    p->have_template = d.have_template != 0;
    const char *cn = d.have_template ? d.tmpl.cn : p->template_name;
    p->template_cn = cn ? cc_strdup(cn) : NULL;
    if (d.have_template) {
        p->template_id = d.tmpl.id;
        p->template_change_count = d.tmpl.change_count;
        p->template_flags = d.tmpl.flags;
    }
    if ((cn && p->template_cn == NULL) || (d.message && p->message == NULL))
        rc = CC_ENOMEM;
    if (rc == CC_OK && d.status == CC_OK && !d.pending)
        rc = prepare_certificate(s, p, &d, cause);
    policy_decision_free(&d);
    return rc;
}

int
cadb_prepare(struct cadb_session *s, const struct dir_principal *requester,
             const char *template_name, const void *csr, size_t n, struct cadb_prepared **out,
             char **cause)
{
    *out = NULL;
    struct cadb_prepared *p = calloc(1, sizeof *p);
    if (p == NULL)
        return CC_ENOMEM;
    p->template_name = template_name ? strdup(template_name) : NULL;
    int rc = (template_name && !p->template_name) ? CC_ENOMEM : CC_OK;
    /* before anything is parsed or signed for a principal the caller may not act for */
    if (rc == CC_OK)
        rc = require_request_for(s->cx, requester, template_name, cause);
    if (rc == CC_OK && n > 0)
        rc = pkix_buf_append(&p->csr, csr, n);
    if (rc == CC_OK)
        rc = prepare_fill(s, requester, p, cause);
    if (rc != CC_OK) {
        cadb_prepared_free(p);
        return rc;
    }
    *out = p;
    return CC_OK;
}

/*
 * Whether the decision p was prepared with still holds inside the write
 * transaction. Nothing committed since (the change counter did not move):
 * it does. Otherwise the policy module decides again on what is committed
 * now; the same outcome from the same template revision keeps the
 * signature, anything else means preparing again.
 */
static int
prepared_current(struct cadb_session *s, const struct dir_principal *requester,
                 const struct cadb_prepared *p, int *current, char **cause)
{
    int64_t now;
    *current = 1;
    int rc = session_refresh(s, &now, cause);
    if (rc != CC_OK || now == p->changes || !p->have_req)
        return rc;
    struct policy_decision d;
    rc = policy_evaluate(s->cx, &s->ca->info, s->cache, requester, p->template_name, &p->req,
                         submit_flags(s->cx, requester, p->template_name), &d, cause);
    if (rc != CC_OK)
        return rc;
    *current = d.status == p->status && d.pending == p->pending &&
               (d.have_template != 0) == p->have_template &&
               (!p->have_template ||
                (d.tmpl.id == p->template_id && d.tmpl.change_count == p->template_change_count));
    policy_decision_free(&d);
    return CC_OK;
}

/*
 * The inserts of a prepared submission, inside the caller's transaction.
 * *again is set when the serial was taken meanwhile (the database's UNIQUE
 * constraint said so): the caller prepares again and retries.
 */
static int
record_prepared(struct cadb_session *s, const struct dir_principal *requester,
                struct cadb_prepared *p, struct cadb_outcome *out, int *again, char **cause)
{
    struct row_fields f = {.requester = requester_name(s, requester),
                           .requester_id = requester->id,
                           .submitted = p->now,
                           .resolved = p->now,
                           .message = p->message};
    *again = 0;
    out->message = cc_strdup(p->message);
    if (p->parse_status != CC_OK) {
        struct pkix_buf raw = p->csr;
        out->status = p->parse_status;
        out->disposition = DISP_ERROR;
        f.template_cn = p->template_name;
        f.disposition = DISP_ERROR;
        f.status = cc_hresult(p->parse_status);
        f.raw = p->csr.n <= (1 << 20) ? &raw : NULL;
        return insert_request(s, &f, &out->request_id, cause);
    }
    f.template_cn = p->template_cn;
    f.raw = &p->req.der;
    f.dn = p->req.subject_text;
    f.cn = p->req.cn;
    f.email =
        p->req.subject_email ? p->req.subject_email : (p->req.email.n ? p->req.email.v[0] : NULL);
    out->template_cn = p->template_cn ? cc_strdup(p->template_cn) : NULL;
    out->status = p->status;
    if (p->status == CC_E_ENROLL_DENIED || p->status == CC_E_TEMPLATE_DENIED)
        audit_refused(s->cx, p->status == CC_E_ENROLL_DENIED ? "ca" : "template", f.template_cn,
                      "enroll", p->status == CC_E_ENROLL_DENIED ? "Request Certificates" : "Enroll",
                      p->message);
    if (p->status != CC_OK) {
        out->disposition = DISP_DENIED;
        f.disposition = DISP_DENIED;
        f.status = cc_hresult(p->status);
        return insert_request(s, &f, &out->request_id, cause);
    }
    if (p->pending) {
        out->disposition = DISP_PENDING;
        f.disposition = DISP_PENDING;
        f.resolved = 0;
        return insert_request(s, &f, &out->request_id, cause);
    }
    out->disposition = DISP_ISSUED;
    f.disposition = DISP_ISSUED;
    int rc = CC_OK;
    /* MS-CRTD: an issued request of a do-not-store template need not be kept */
    if (!(p->template_flags & CT_FLAG_DONOTPERSISTINDB))
        rc = insert_request(s, &f, &out->request_id, cause);
    if (rc != CC_OK)
        return rc;
    if (p->lint_status != CC_OK)
        return record_lint_failure(s, &f, p->lint_status, p->lint_why, out, cause);
    /* the serial first: UNIQUE in serial_used, so a serial is never used twice */
    struct store_stmt *q;
    if ((rc = session_stmt(s, Q_SERIAL, &q, cause)) != CC_OK)
        return rc;
    store_bind_text(q, 1, p->cert.serial);
    int step = store_step(q, NULL);
    if (step != STORE_DONE && step != CC_ECONSTRAINT)
        rc = store_error(s->st, cause);
    stmt_done(q);
    if (step == CC_ECONSTRAINT) {
        *again = 1;
        return CC_OK;
    }
    if (rc != CC_OK)
        return rc;
    if (out->request_id > 0) {
        if ((rc = session_stmt(s, Q_CERTIFICATE, &q, cause)) != CC_OK)
            return rc;
        store_bind_int64(q, 1, out->request_id);
        store_bind_text(q, 2, p->cert.serial);
        store_bind_text(q, 3, p->cert.thumbprint);
        store_bind_text(q, 4, p->template_cn);
        store_bind_text(q, 5, p->subject ? p->subject : "");
        store_bind_text(q, 6, p->cn ? p->cn : "");
        store_bind_text(q, 7, p->email ? p->email : "");
        store_bind_text(q, 8, p->upn ? p->upn : "");
        store_bind_int64(q, 9, (int64_t)p->cert.not_before);
        store_bind_int64(q, 10, (int64_t)p->cert.not_after);
        store_bind_blob(q, 11, p->cert.der.p, p->cert.der.n);
        rc = store_run(q, cause);
        stmt_done(q);
        if (rc != CC_OK)
            return rc;
    }
    memcpy(out->serial, p->cert.serial, sizeof out->serial);
    if (pkix_buf_append(&out->cert, p->cert.der.p, p->cert.der.n) != CC_OK)
        return CC_ENOMEM;
    return audit_issue(s->cx, out, p->template_cn, f.requester, cause);
}

int
cadb_record(struct cadb_session *s, const struct dir_principal *requester, struct cadb_prepared *p,
            struct cadb_outcome *out, char **cause)
{
    struct store *st = s->st;
    memset(out, 0, sizeof *out);
    int rc = CC_OK;
    for (int attempt = 0;; attempt++) {
        if ((rc = store_begin(st, cause)) != CC_OK)
            return rc;
        int current = 1, again = 0;
        /* the right to act for requester is checked again on what is committed now */
        rc = require_request_for(s->cx, requester, p->template_name, cause);
        if (rc == CC_OK)
            rc = prepared_current(s, requester, p, &current, cause);
        if (rc == CC_OK && current)
            rc = record_prepared(s, requester, p, out, &again, cause);
        if (rc == CC_OK && current && !again) {
            if ((rc = store_commit(st, cause)) != CC_OK)
                cadb_outcome_free(out);
            return rc;
        }
        store_rollback(st);
        cadb_outcome_free(out);
        if (rc != CC_OK)
            return rc;
        if (attempt == 4)
            return cc_fail(cause, CC_ECONFLICT,
                           "the template, permissions or directory kept changing while the "
                           "request was being issued; submit it again");
        /*
         * Something the decision rests on changed, or the serial was taken:
         * decide and sign again. Inside a caller's transaction this signs
         * under the write lock, but only in this rare case.
         */
        prepared_clear(p);
        if ((rc = prepare_fill(s, requester, p, cause)) != CC_OK)
            return rc;
    }
}

/* base64 alphabet values, -1 for any other byte */
static const signed char b64_value[256] = {
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 62, -1, -1, -1, 63,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, -1, -1, -1, -1, -1, -1,
    -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, -1, -1, -1, -1, -1,
    -1, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
    -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
};

/*
 * The DER of a text holding exactly one plain "CERTIFICATE REQUEST" PEM
 * block (base64 in lines, nothing else but line ends). Anything else,
 * including the older "NEW CERTIFICATE REQUEST" label, is CC_EINVAL and
 * left to GnuTLS's parser with the original text.
 */
static int
pem_request_der(const void *text, size_t n, struct pkix_buf *out)
{
    static const char begin[] = "-----BEGIN CERTIFICATE REQUEST-----";
    static const char end[] = "-----END CERTIFICATE REQUEST-----";
    const char *s = text, *lim = s + n;
    const char *b = n > sizeof begin ? memmem(s, n, begin, sizeof begin - 1) : NULL;
    if (b == NULL || memmem(s, n, "-----BEGIN", 10) != b ||
        memmem(b + 1, (size_t)(lim - b - 1), "-----BEGIN", 10) != NULL)
        return CC_EINVAL;
    const char *p = b + sizeof begin - 1;
    if ((out->p = malloc((size_t)(lim - p) * 3 / 4 + 4)) == NULL)
        return CC_ENOMEM;
    out->n = 0;
    unsigned acc = 0;
    size_t chars = 0, pad = 0;
    for (; p < lim && *p != '-'; p++) {
        /*
         * Whole groups of four alphabet characters, the bulk of every line,
         * are decoded by table; the loop below sees line ends, padding and
         * whatever ends the block, as before.
         */
        while (chars % 4 == 0 && pad == 0 && lim - p >= 4) {
            const unsigned char *q = (const unsigned char *)p;
            int v0 = b64_value[q[0]], v1 = b64_value[q[1]], v2 = b64_value[q[2]],
                v3 = b64_value[q[3]];
            if ((v0 | v1 | v2 | v3) < 0)
                break;
            unsigned g = (unsigned)v0 << 18 | (unsigned)v1 << 12 | (unsigned)v2 << 6 | (unsigned)v3;
            out->p[out->n++] = (unsigned char)(g >> 16);
            out->p[out->n++] = (unsigned char)(g >> 8);
            out->p[out->n++] = (unsigned char)g;
            chars += 4;
            p += 4;
        }
        if (p >= lim || *p == '-')
            break;
        unsigned char c = (unsigned char)*p, v;
        if (c == '\n' || c == '\r')
            continue;
        if (c == '=' && chars % 4 + pad >= 2 && chars % 4 + pad < 4) { /* the last group only */
            pad++;
            continue;
        }
        if (pad)
            break;
        if (c >= 'A' && c <= 'Z')
            v = (unsigned char)(c - 'A');
        else if (c >= 'a' && c <= 'z')
            v = (unsigned char)(c - 'a' + 26);
        else if (c >= '0' && c <= '9')
            v = (unsigned char)(c - '0' + 52);
        else if (c == '+')
            v = 62;
        else if (c == '/')
            v = 63;
        else
            break;
        acc = (acc << 6) | v;
        if (++chars % 4 == 0) {
            out->p[out->n++] = (unsigned char)(acc >> 16);
            out->p[out->n++] = (unsigned char)(acc >> 8);
            out->p[out->n++] = (unsigned char)acc;
            acc = 0;
        }
    }
    /* a padded last group: 2 chars give 1 byte, 3 give 2; the spare bits must be zero */
    size_t rest = chars % 4;
    int ok = (rest + pad) % 4 == 0 && rest != 1 &&
             (rest == 0 || (rest == 2 && (acc & 0xF) == 0) || (rest == 3 && (acc & 0x3) == 0));
    if (ok && rest == 2)
        out->p[out->n++] = (unsigned char)(acc >> 4);
    if (ok && rest == 3) {
        out->p[out->n++] = (unsigned char)(acc >> 10);
        out->p[out->n++] = (unsigned char)(acc >> 2);
    }
    ok = ok && p < lim && (size_t)(lim - p) >= sizeof end - 1 &&
         memcmp(p, end, sizeof end - 1) == 0 && out->n > 0;
    for (const char *q = p + sizeof end - 1; ok && q < lim; q++)
        if (*q != '\n' && *q != '\r')
            ok = 0;
    if (!ok) {
        pkix_buf_free(out);
        return CC_EINVAL;
    }
    return CC_OK;
}

int
cadb_submit(struct cadb_session *s, const struct dir_principal *requester,
            const char *template_name, const void *csr, size_t n, struct cadb_outcome *out,
            char **cause)
{
    struct cadb_prepared *p;
    memset(out, 0, sizeof *out);
    int rc = cadb_prepare(s, requester, template_name, csr, n, &p, cause);
    if (rc != CC_OK)
        return rc;
    rc = cadb_record(s, requester, p, out, cause);
    cadb_prepared_free(p);
    return rc;
}

/* An enrollment made ready outside write transactions (see cadb_enroll_prepare). */
struct cadb_enrollment {
    char *template_cn;
    char *friendly_name;
    int exportable;
    struct pkix_buf sealed;        /* the new key, encrypted as the store keeps it */
    struct cadb_prepared *request; /* its request, decided and signed */
};

void
cadb_enrollment_free(struct cadb_enrollment *e)
{
    if (e == NULL)
        return;
    free(e->template_cn);
    free(e->friendly_name);
    if (e->sealed.p != NULL)
        gnutls_memset(e->sealed.p, 0, e->sealed.n);
    pkix_buf_free(&e->sealed);
    cadb_prepared_free(e->request);
    free(e);
}

const char *
cadb_enrollment_template(const struct cadb_enrollment *e)
{
    return e->template_cn;
}

int
cadb_enroll_prepare(struct cadb_session *s, const struct dir_principal *requester,
                    const struct cadb_enroll_params *p, struct cadb_enrollment **out, char **cause)
{
    struct store *st = s->st;
    struct template t = {0};
    char *why = NULL;
    *out = NULL;
    /* before the key is generated: nothing is made for a principal the caller may not act for */
    int rc = require_request_for(s->cx, requester, p->template_name, cause);
    if (rc != CC_OK)
        return rc;
    rc = template_load(st, p->template_name, &t, &why);
    if (rc != CC_OK) {
        rc = cc_fail(cause, rc == CC_ENOTFOUND ? CC_E_UNSUPPORTED_CERT_TYPE : rc,
                     "no certificate template '%s'.%s%s", p->template_name, why ? " " : "",
                     why ? why : "");
        free(why);
        return rc;
    }
    const char *key_type = p->key_type;
    if (key_type == NULL) /* the key the template's Cryptography tab asks for */
        key_type = template_default_key(&t);
    gnutls_x509_privkey_t key = NULL;
    struct pkix_buf der = {0};
    struct request_params rp = {0};
    int supply = (t.name_flag & CT_NAME_ENROLLEE_SUPPLIES_SUBJECT) != 0;
    if (supply) {
        rp.cn = p->cn;
        rp.dn = p->dn;
        rp.dns = p->dns;
        rp.ip = p->ip;
        rp.email = p->email;
        rp.upn = p->upn;
    }
    if (t.schema_version >= 2) {
        rp.template_oid = t.oid;
        rp.major = t.revision;
        rp.minor = t.minor_revision;
    } else {
        rp.template_cn = t.cn;
    }
    struct cadb_enrollment *e = calloc(1, sizeof *e);
    if (e == NULL) {
        template_free(&t);
        return CC_ENOMEM;
    }
    e->exportable = (t.private_key_flag & CT_PK_EXPORTABLE_KEY) && !p->not_exportable;
    e->template_cn = strdup(t.cn);
    e->friendly_name = p->friendly_name ? strdup(p->friendly_name) : NULL;
    rc = e->template_cn == NULL || (p->friendly_name && e->friendly_name == NULL) ? CC_ENOMEM
                                                                                  : CC_OK;
    /* the slow part: a key, its request, its signature, its encryption */
    if (rc == CC_OK)
        rc = request_key_generate(key_type, &key, cause);
    if (rc == CC_OK)
        rc = request_build(key, &rp, &der, cause);
    if (rc == CC_OK)
        rc = certstore_key_seal(st, key, &e->sealed, cause);
    if (rc == CC_OK)
        rc = cadb_prepare(s, requester, t.cn, der.p, der.n, &e->request, cause);
    if (key)
        gnutls_x509_privkey_deinit(key);
    pkix_buf_free(&der);
    template_free(&t);
    if (rc != CC_OK) {
        cadb_enrollment_free(e);
        return rc;
    }
    *out = e;
    return CC_OK;
}

int
cadb_enroll_record(struct cadb_session *s, const struct dir_principal *requester,
                   struct cadb_enrollment *e, struct cadb_outcome *out, char **cause)
{
    struct store *st = s->st;
    memset(out, 0, sizeof *out);
    int rc = store_begin(st, cause);
    if (rc != CC_OK)
        return rc;
    rc = cadb_record(s, requester, e->request, out, cause);
    if (rc == CC_OK && out->disposition == DISP_ISSUED)
        rc = certstore_add_sealed(s->cx, requester->id, CERTSTORE_MY, out->cert.p, out->cert.n,
                                  &e->sealed, e->exportable, e->template_cn, e->friendly_name,
                                  out->request_id, NULL, cause);
    else if (rc == CC_OK && out->disposition == DISP_PENDING)
        rc = certstore_key_park_sealed(s->cx, requester->id, &e->sealed, e->exportable,
                                       out->request_id, cause);
    if (rc == CC_OK)
        rc = store_commit(st, cause);
    else
        store_rollback(st);
    if (rc != CC_OK)
        cadb_outcome_free(out);
    return rc;
}

int
cadb_enroll(struct cadb_session *s, const struct dir_principal *requester,
            const struct cadb_enroll_params *p, struct cadb_outcome *out, char **cause)
{
    struct cadb_enrollment *e;
    memset(out, 0, sizeof *out);
    int rc = cadb_enroll_prepare(s, requester, p, &e, cause);
    if (rc != CC_OK)
        return rc;
    rc = cadb_enroll_record(s, requester, e, out, cause);
    cadb_enrollment_free(e);
    return rc;
}

/* --- the views --- */

#define ROW_SELECT                                                                                 \
    "SELECT r.id, r.requester, r.template, r.message, r.request_cn, r.request_dn, "                \
    "r.request_email, r.disposition, r.status, r.submitted, r.resolved, c.serial, "                \
    "c.thumbprint, c.subject, c.common_name, c.email, c.upn, c.not_before, c.not_after, "          \
    "c.revoked_when, c.revoked_effective, c.revoked_reason "
#define ROW_COLUMNS ROW_SELECT "FROM request r LEFT JOIN certificate c ON c.request_id = r.id "

static char *
text(struct store_stmt *q, int i)
{
    const char *s = store_col_text(q, i);
    return strdup(s ? (const char *)s : "");
}

static int
read_row(struct store_stmt *q, struct cadb_row *r)
{
    memset(r, 0, sizeof *r);
    r->id = store_col_int64(q, 0);
    r->requester = text(q, 1);
    r->template_cn = text(q, 2);
    r->message = text(q, 3);
    r->request_cn = text(q, 4);
    r->request_dn = text(q, 5);
    r->request_email = text(q, 6);
    r->disposition = store_col_int(q, 7);
    r->status = (uint32_t)store_col_int64(q, 8);
    r->submitted = (time_t)store_col_int64(q, 9);
    r->resolved = (time_t)store_col_int64(q, 10);
    r->serial = text(q, 11);
    r->thumbprint = text(q, 12);
    r->subject = text(q, 13);
    r->common_name = text(q, 14);
    r->email = text(q, 15);
    r->upn = text(q, 16);
    r->not_before = (time_t)store_col_int64(q, 17);
    r->not_after = (time_t)store_col_int64(q, 18);
    r->revoked_when = (time_t)store_col_int64(q, 19);
    r->revoked_effective = (time_t)store_col_int64(q, 20);
    r->revoked_reason = store_col_null(q, 21) ? -1 : store_col_int(q, 21);
    if (!r->requester || !r->template_cn || !r->message || !r->request_cn || !r->request_dn ||
        !r->request_email || !r->serial || !r->thumbprint || !r->subject || !r->common_name ||
        !r->email || !r->upn)
        return CC_ENOMEM;
    return CC_OK;
}

static void
row_free(struct cadb_row *r)
{
    free(r->requester);
    free(r->template_cn);
    free(r->message);
    free(r->request_cn);
    free(r->request_dn);
    free(r->request_email);
    free(r->serial);
    free(r->thumbprint);
    free(r->subject);
    free(r->common_name);
    free(r->email);
    free(r->upn);
}

void
cadb_rows_free(struct cadb_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        row_free(&rows[i]);
    free(rows);
}

int
cadb_view_parse(const char *s, enum cadb_view *out, char **cause)
{
    static const char *const names[] = {"issued", "revoked", "pending", "failed", "all"};
    for (int i = 0; i < 5; i++)
        if (cc_strcaseeq(s, names[i])) {
            *out = (enum cadb_view)i;
            return CC_OK;
        }
    return cc_fail(cause, CC_EINVAL, "'%s' is not a view (issued, revoked, pending, failed, all)",
                   s);
}

const char *
cadb_disposition_name(int disposition)
{
    switch (disposition) {
    case DISP_PENDING: return "pending";
    case DISP_ISSUED: return "issued";
    case DISP_REVOKED: return "revoked";
    case DISP_ERROR: return "failed";
    case DISP_DENIED: return "denied";
    default: return "unknown";
    }
}

/*
 * The SQL of a view: its rows, the filter and the order. The filter
 * matches the requester, template, message, request CN, serial and subject
 * with LIKE (its own % and _ taken literally), or the request id exactly.
 * Every order ends with the request id, so that pages of a sort with ties
 * neither repeat nor skip rows.
 */
static const char *const view_where[] = {
    [CADB_ISSUED] = "r.disposition = 20",
    [CADB_REVOKED] = "r.disposition = 21",
    [CADB_PENDING] = "r.disposition = 9",
    [CADB_FAILED] = "r.disposition IN (30, 31)",
    [CADB_ALL] = "1 = 1",
};

#define FILTER_SQL                                                                                 \
    " AND (lower(r.requester) LIKE ?1 ESCAPE '\\' OR lower(r.template) LIKE ?1 ESCAPE "            \
    "'\\' OR lower(r.message) LIKE ?1 ESCAPE '\\' OR lower(r.request_cn) LIKE ?1 "                 \
    "ESCAPE '\\' OR lower(coalesce(c.serial, '')) LIKE ?1 ESCAPE '\\' OR "                         \
    "lower(coalesce(c.subject, '')) LIKE ?1 ESCAPE '\\' OR CAST(r.id AS TEXT) = ?2)"

/* Text columns sort case-insensitively, as the console compares names. */
static const char *const sort_expr[CADB_COL_COUNT] = {
    [CADB_COL_ID] = "r.id",
    [CADB_COL_REQUESTER] = "r.requester COLLATE NOCASE",
    [CADB_COL_TEMPLATE] = "r.template COLLATE NOCASE",
    [CADB_COL_SERIAL] = "c.serial", /* upper-case hex */
    [CADB_COL_NOT_BEFORE] = "c.not_before",
    [CADB_COL_NOT_AFTER] = "c.not_after",
    [CADB_COL_COMMON_NAME] = "c.common_name COLLATE NOCASE",
    [CADB_COL_REVOKED_WHEN] = "c.revoked_when",
    [CADB_COL_REVOKED_EFFECTIVE] = "c.revoked_effective",
    [CADB_COL_REVOKED_REASON] = "c.revoked_reason",
    [CADB_COL_STATUS] = "r.status",
    [CADB_COL_MESSAGE] = "r.message COLLATE NOCASE",
    [CADB_COL_SUBMITTED] = "r.submitted",
    [CADB_COL_REQUEST_CN] = "r.request_cn COLLATE NOCASE",
};

static int
view_valid(enum cadb_view view, char **cause)
{
    if ((int)view < 0 || (int)view > CADB_ALL)
        return cc_fail(cause, CC_EINVAL, "there is no CA view %d", (int)view);
    return CC_OK;
}

/*
 * Binds the filter of FILTER_SQL to q; *pattern (allocated, the caller
 * frees it after the statement) is the LIKE pattern the statement reads.
 */
static int
bind_filter(struct store_stmt *q, const char *filter, char **pattern)
{
    *pattern = NULL;
    if (filter == NULL || *filter == '\0')
        return CC_OK;
    struct pkix_buf b = {0};
    int rc = pkix_buf_append(&b, "%", 1);
    for (const char *c = filter; *c && rc == CC_OK; c++) {
        char ch = (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a') : *c;
        if (ch == '%' || ch == '_' || ch == '\\')
            rc = pkix_buf_append(&b, "\\", 1);
        if (rc == CC_OK)
            rc = pkix_buf_append(&b, &ch, 1);
    }
    if (rc == CC_OK)
        rc = pkix_buf_append(&b, "%", 2);
    if (rc != CC_OK) {
        pkix_buf_free(&b);
        return CC_ENOMEM;
    }
    *pattern = (char *)b.p;
    store_bind_text(q, 1, *pattern);
    store_bind_text(q, 2, filter);
    return CC_OK;
}

int
cadb_count(struct store *st, enum cadb_view view, const char *filter, size_t *n, char **cause)
{
    *n = 0;
    int rc = view_valid(view, cause);
    if (rc != CC_OK)
        return rc;
    int filtered = filter != NULL && *filter != '\0';
    /* without a filter the count reads only the request table's disposition index */
    char *sql = cc_asprintf("SELECT count(*) FROM request r %sWHERE %s%s",
                            filtered ? "LEFT JOIN certificate c ON c.request_id = r.id " : "",
                            view_where[view], filtered ? FILTER_SQL : "");
    struct store_stmt *q;
    rc = sql ? store_prepare(st, sql, &q, cause) : CC_ENOMEM;
    free(sql);
    if (rc != CC_OK)
        return rc;
    char *pattern = NULL;
    rc = bind_filter(q, filter, &pattern);
    if (rc == CC_OK) {
        if (store_step(q, NULL) == STORE_ROW)
            *n = (size_t)store_col_int64(q, 0);
        else
            rc = store_error(st, cause);
    }
    store_finalize(q);
    free(pattern);
    return rc;
}

int
cadb_page(struct store *st, enum cadb_view view, const char *filter, int sort_column,
          int descending, size_t offset, size_t limit, struct cadb_row **out, size_t *n,
          char **cause)
{
    *out = NULL;
    *n = 0;
    int rc = view_valid(view, cause);
    if (rc != CC_OK)
        return rc;
    if (sort_column < 0)
        sort_column = CADB_COL_ID;
    if (sort_column >= CADB_COL_COUNT)
        return cc_fail(cause, CC_EINVAL, "there is no CA view column %d", sort_column);
    if (limit == 0)
        return CC_OK;
    /*
     * OFFSET walks the rows it skips. The inner query skips over the
     * request table's indexes alone (joining the certificate only when the
     * filter or the order reads it); only the page's rows are then read
     * whole. A caller that knows the count reads a page near the end from
     * the end, in the other direction.
     */
    const char *dir = descending ? "DESC" : "ASC";
    int cert = (filter && *filter) || strncmp(sort_expr[sort_column], "c.", 2) == 0;
    char *sql = cc_asprintf(ROW_SELECT "FROM (SELECT r.id AS page_id FROM request r %sWHERE %s%s "
                                       "ORDER BY %s %s, r.id %s LIMIT ?3 OFFSET ?4) p JOIN request "
                                       "r ON r.id = p.page_id LEFT JOIN certificate c ON "
                                       "c.request_id = r.id ORDER BY %s %s, r.id %s",
                            cert ? "LEFT JOIN certificate c ON c.request_id = r.id " : "",
                            view_where[view], filter && *filter ? FILTER_SQL : "",
                            sort_expr[sort_column], dir, dir, sort_expr[sort_column], dir, dir);
    struct store_stmt *q;
    rc = sql ? store_prepare(st, sql, &q, cause) : CC_ENOMEM;
    free(sql);
    if (rc != CC_OK)
        return rc;
    char *pattern = NULL;
    rc = bind_filter(q, filter, &pattern);
    store_bind_int64(q, 3, limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit);
    store_bind_int64(q, 4, offset > (size_t)INT64_MAX ? INT64_MAX : (int64_t)offset);
    size_t cap = 0;
    int step = STORE_DONE;
    while (rc == CC_OK && (step = store_step(q, NULL)) == STORE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : (limit < 64 ? limit : 64);
            struct cadb_row *p = realloc(*out, cap * sizeof *p);
            if (p == NULL) {
                rc = CC_ENOMEM;
                break;
            }
            *out = p;
        }
        rc = read_row(q, &(*out)[*n]);
        (*n)++;
    }
    if (rc == CC_OK && step != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    free(pattern);
    if (rc != CC_OK) {
        cadb_rows_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int
cadb_list(struct store *st, enum cadb_view view, const char *filter, struct cadb_row **out,
          size_t *n, char **cause)
{
    return cadb_page(st, view, filter, CADB_COL_ID, 0, 0, SIZE_MAX, out, n, cause);
}

int
cadb_get(struct store *st, int64_t id, struct cadb_row *out, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st, ROW_COLUMNS "WHERE r.id = ?", &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, id);
    if (store_step(q, NULL) == STORE_ROW) {
        rc = read_row(q, out);
        if (rc != CC_OK)
            row_free(out);
    } else {
        rc = cc_fail(cause, CC_E_NO_REQUEST, "there is no request %lld", (long long)id);
    }
    store_finalize(q);
    return rc;
}

/* --- the certificate manager's actions --- */

static int
set_request(const struct cc_ctx *cx, int64_t id, int disposition, uint32_t status,
            const char *message, char **cause)
{
    struct store *st = cx->st;
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "UPDATE request SET disposition = ?, status = ?, message = ?, "
                           "resolved = ?, officer = ? WHERE id = ?",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int(q, 1, disposition);
    store_bind_int64(q, 2, status);
    store_bind_text(q, 3, message);
    store_bind_int64(q, 4, (int64_t)ctx_now(cx));
    store_bind_text(q, 5, cx->who_name);
    store_bind_int64(q, 6, id);
    rc = store_run(q, cause);
    store_finalize(q);
    return rc;
}

int
cadb_approve(struct cadb_session *s, int64_t request_id, struct cadb_outcome *out, char **cause)
{
    struct store *st = s->st;
    const struct cc_ctx *cx = s->cx;
    struct cadb_row row;
    struct request_info req;
    struct policy_decision d;
    struct dir_principal who = {0};
    int64_t requester_id = 0;
    struct pkix_buf raw = {0};
    memset(out, 0, sizeof *out);
    int rc = authority_require(cx, CA_RIGHT_OFFICER, "issue a pending request", cause);
    if (rc != CC_OK)
        return rc;
    if ((rc = cadb_get(st, request_id, &row, cause)) != CC_OK)
        return rc;
    if (row.disposition != DISP_PENDING && row.disposition != DISP_DENIED) {
        rc = cc_fail(cause, CC_E_BAD_REQUESTSTATUS,
                     "request %lld is %s; only pending (or denied) requests can be issued",
                     (long long)request_id, cadb_disposition_name(row.disposition));
        row_free(&row);
        return rc;
    }
    struct store_stmt *q;
    if ((rc = store_prepare(st, "SELECT requester_id, raw_request FROM request WHERE id = ?", &q,
                            cause)) != CC_OK) {
        row_free(&row);
        return rc;
    }
    store_bind_int64(q, 1, request_id);
    if (store_step(q, NULL) == STORE_ROW) {
        requester_id = store_col_int64(q, 0);
        size_t raw_n;
        const void *raw_p = store_col_blob(q, 1, &raw_n);
        rc = pkix_buf_set(&raw, raw_p, raw_n);
    }
    store_finalize(q);
    if (rc == CC_OK)
        rc = dir_get(st, requester_id, &who, cause);
    if (rc == CC_OK)
        rc = request_parse(raw.p, raw.n, &req, cause);
    pkix_buf_free(&raw);
    if (rc != CC_OK) {
        row_free(&row);
        dir_principal_free(&who);
        return rc;
    }
    rc = policy_evaluate(cx, &s->ca->info, NULL, &who, row.template_cn, &req, POLICY_RESUBMIT, &d,
                         cause);
    if (rc == CC_OK && (rc = store_begin(st, cause)) == CC_OK) {
        out->request_id = request_id;
        out->template_cn = cc_strdup(row.template_cn);
        out->status = d.status;
        if (d.status != CC_OK) {
            out->disposition = DISP_DENIED;
            out->message = cc_strdup(d.message);
            rc = set_request(cx, request_id, DISP_DENIED, cc_hresult(d.status), d.message, cause);
            if (rc == CC_OK)
                rc = certstore_key_drop(st, request_id, cause);
        } else {
            out->disposition = DISP_ISSUED;
            /* keep what policy had to add ("... The certificate ends on ...") */
            const char *note = d.message ? strstr(d.message, ". ") : NULL;
            out->message = cc_asprintf("Resubmitted by %s%s", cx->who_name, note ? note : "");
            rc = set_request(cx, request_id, DISP_ISSUED, 0, out->message, cause);
            char *lint_why = NULL;
            int lint_failed = 0;
            if (rc == CC_OK) {
                rc = issue_and_store(s, request_id, &d.tmpl, &d.names, &req, ctx_now(cx), out,
                                     &lint_why);
                if (lint_refusal(rc)) {
                    struct row_fields f = {0};
                    rc = record_lint_failure(s, &f, rc, lint_why, out, cause);
                    lint_failed = 1;
                    if (rc == CC_OK)
                        rc = certstore_key_drop(st, request_id, cause);
                } else if (rc != CC_OK && cause) {
                    *cause = lint_why;
                    lint_why = NULL;
                }
            }
            free(lint_why);
            if (rc == CC_OK && !lint_failed) {
                int c =
                    certstore_key_claim(cx, request_id, out->cert.p, out->cert.n, d.tmpl.cn, cause);
                rc = c == CC_ENOTFOUND ? CC_OK : c;
            }
            if (rc == CC_OK && !lint_failed)
                rc = audit_issue(cx, out, d.tmpl.cn, row.requester, cause);
        }
        char idtext[32];
        snprintf(idtext, sizeof idtext, "%lld", (long long)request_id);
        if (rc == CC_OK)
            rc = audit_record(cx, "request", idtext, "disposition",
                              cadb_disposition_name(row.disposition),
                              cadb_disposition_name(out->disposition), cause);
        if (rc == CC_OK)
            rc = store_commit(st, cause);
        else
            store_rollback(st);
    }
    if (rc != CC_OK)
        cadb_outcome_free(out);
    policy_decision_free(&d);
    request_info_free(&req);
    dir_principal_free(&who);
    row_free(&row);
    return rc;
}

int
cadb_deny(const struct cc_ctx *cx, int64_t request_id, char **cause)
{
    struct store *st = cx->st;
    struct cadb_row row;
    int rc = authority_require(cx, CA_RIGHT_OFFICER, "deny a pending request", cause);
    if (rc != CC_OK)
        return rc;
    if ((rc = cadb_get(st, request_id, &row, cause)) != CC_OK)
        return rc;
    int disp = row.disposition;
    row_free(&row);
    if (disp != DISP_PENDING)
        return cc_fail(cause, CC_E_BAD_REQUESTSTATUS,
                       "request %lld is %s; only pending requests can be denied",
                       (long long)request_id, cadb_disposition_name(disp));
    char *msg = cc_asprintf("Denied by %s", cx->who_name);
    char idtext[32];
    snprintf(idtext, sizeof idtext, "%lld", (long long)request_id);
    if (msg == NULL)
        return CC_ENOMEM;
    if ((rc = store_begin(st, cause)) == CC_OK) {
        rc = set_request(cx, request_id, DISP_DENIED, cc_hresult(CC_E_ADMIN_DENIED_REQUEST), msg,
                         cause);
        if (rc == CC_OK)
            rc = certstore_key_drop(st, request_id, cause);
        if (rc == CC_OK)
            rc = audit_record(cx, "request", idtext, "disposition", "pending", "denied", cause);
        if (rc == CC_OK)
            rc = store_commit(st, cause);
        else
            store_rollback(st);
    }
    free(msg);
    return rc;
}

/* Whether s is a request ID: 1 to 18 decimal digits (a serial is 32 hex digits). */
static int
is_request_id(const char *s, int64_t *id)
{
    size_t n = strlen(s);
    if (n == 0 || n > 18 || strspn(s, "0123456789") != n)
        return 0;
    *id = strtoll(s, NULL, 10);
    return *id > 0;
}

int
cadb_retrieve(const struct cc_ctx *cx, const char *key, struct pkix_buf *der, int64_t *request_id,
              char **cause)
{
    struct store *st = cx->st;
    int64_t id = 0, requester = 0;
    int disp = 0, have_cert = 0, rc;
    char *norm = NULL;
    memset(der, 0, sizeof *der);
    struct store_stmt *q;
    if (is_request_id(key, &id)) {
        rc = store_prepare(st,
                           "SELECT r.id, r.requester_id, r.disposition, c.raw FROM request r "
                           "LEFT JOIN certificate c ON c.request_id = r.id WHERE r.id = ?",
                           &q, cause);
        if (rc != CC_OK)
            return rc;
        store_bind_int64(q, 1, id);
    } else {
        struct pkix_buf b = {0};
        if (pkix_unhex(key, &b) != CC_OK || b.n == 0) {
            pkix_buf_free(&b);
            return cc_fail(cause, CC_EINVAL, "'%s' is neither a serial number (hex) nor a request ID",
                           key);
        }
        size_t skip = (b.n > 1 && b.p[0] == 0 && (b.p[1] & 0x80) == 0) ? 1 : 0;
        norm = pkix_hex(b.p + skip, b.n - skip);
        pkix_buf_free(&b);
        if (norm == NULL)
            return CC_ENOMEM;
        rc = store_prepare(st,
                           "SELECT r.id, r.requester_id, r.disposition, c.raw FROM certificate c "
                           "JOIN request r ON r.id = c.request_id WHERE c.serial = ?",
                           &q, cause);
        if (rc != CC_OK) {
            free(norm);
            return rc;
        }
        store_bind_text(q, 1, norm);
    }
    int step = store_step(q, NULL);
    if (step == STORE_ROW) {
        id = store_col_int64(q, 0);
        requester = store_col_int64(q, 1);
        disp = store_col_int(q, 2);
        if (store_col_is_blob(q, 3)) {
            have_cert = 1;
            size_t der_n;
            const void *der_p = store_col_blob(q, 3, &der_n);
            rc = pkix_buf_set(der, der_p, der_n);
        }
    } else if (step == STORE_DONE) {
        rc = norm ? cc_fail(cause, CC_ENOTFOUND, "this CA has issued no certificate with serial %s",
                            key)
                  : cc_fail(cause, CC_ENOTFOUND, "there is no request %s", key);
    } else {
        rc = store_error(st, cause);
    }
    store_finalize(q);
    free(norm);
    if (rc == CC_OK && !have_cert)
        rc = cc_fail(cause, CC_E_BAD_REQUESTSTATUS, "request %lld has no certificate: it is %s",
                     (long long)id, cadb_disposition_name(disp));
    /* AD CS: the requester retrieves their own; a certificate manager any */
    if (rc == CC_OK && requester != cx->who)
        rc = authority_require(cx, CA_RIGHT_OFFICER, "retrieve another requester's certificate",
                               cause);
    if (rc != CC_OK) {
        pkix_buf_free(der);
        return rc;
    }
    if (request_id != NULL)
        *request_id = id;
    return CC_OK;
}

int
cadb_reason_parse(const char *s, int *reason, char **cause)
{
    static const struct {
        const char *alias;
        int reason;
    } aliases[] = {
        {"key-compromise", 1}, {"ca-compromise", 2}, {"affiliation-changed", 3},
        {"change-of-affiliation", 3}, {"cease-of-operation", 5},
        {"cessation-of-operation", 5}, {"hold", 6}, {"certificate-hold", 6},
    };
    for (int i = 0; i < 7; i++)
        if (cc_strcaseeq(s, reason_names[i])) {
            *reason = i;
            return CC_OK;
        }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (cc_strcaseeq(s, aliases[i].alias)) {
            *reason = aliases[i].reason;
            return CC_OK;
        }
    char *end;
    long v = strtol(s, &end, 10);
    if (*s && *end == '\0' && v >= 0 && v <= 6) {
        *reason = (int)v;
        return CC_OK;
    }
    return cc_fail(cause, CC_EINVAL,
                   "'%s' is not a revocation reason (unspecified, keyCompromise, cACompromise, "
                   "affiliationChanged, superseded, cessationOfOperation, certificateHold)",
                   s);
}

const char *
cadb_reason_name(int reason)
{
    if (reason < 0 || reason > 8 || reason_names[reason] == NULL)
        return "unknown";
    return reason_names[reason];
}

/* The request id and disposition of a certificate by serial (any hex spelling). */
static int
find_serial(struct store *st, const char *serial, char **norm, int64_t *id, int *disp,
            int *reason, char **cause)
{
    struct pkix_buf b = {0};
    if (pkix_unhex(serial, &b) != CC_OK)
        return cc_fail(cause, CC_EINVAL, "'%s' is not a serial number (hex)", serial);
    /* drop a leading zero byte some tools print */
    size_t skip = (b.n > 1 && b.p[0] == 0 && (b.p[1] & 0x80) == 0) ? 1 : 0;
    *norm = pkix_hex(b.p + skip, b.n - skip);
    pkix_buf_free(&b);
    if (*norm == NULL)
        return CC_ENOMEM;
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT r.id, r.disposition, c.revoked_reason FROM certificate c JOIN "
                           "request r ON r.id = c.request_id WHERE c.serial = ?",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_text(q, 1, *norm);
    if (store_step(q, NULL) == STORE_ROW) {
        *id = store_col_int64(q, 0);
        *disp = store_col_int(q, 1);
        *reason = store_col_null(q, 2) ? -1 : store_col_int(q, 2);
    } else {
        rc = cc_fail(cause, CC_ENOTFOUND, "this CA has issued no certificate with serial %s",
                     serial);
    }
    store_finalize(q);
    return rc;
}

static int revoke(const struct cc_ctx *cx, const char *serial, int reason, time_t effective,
                  const struct cadb_holder *holder, char **cause);

int
cadb_revoke(const struct cc_ctx *cx, const char *serial, int reason, time_t effective, char **cause)
{
    return revoke(cx, serial, reason, effective, NULL, cause);
}

int
cadb_revoke_by_holder(const struct cc_ctx *cx, const char *serial, int reason,
                      const struct cadb_holder *holder, char **cause)
{
    if (holder == NULL || holder->how == NULL)
        return cc_fail(cause, CC_EINVAL, "a holder's revocation needs its proof");
    if (reason != 0 && reason != 1 && reason != 3 && reason != 4 && reason != 5)
        return cc_fail(cause, CC_EINVAL,
                       "a certificate's holder revokes it as unspecified, keyCompromise, "
                       "affiliationChanged, superseded or cessationOfOperation, not %s",
                       cadb_reason_name(reason));
    return revoke(cx, serial, reason, CADB_NOW, holder, cause);
}

/* The DER SubjectPublicKeyInfo of the certificate issued for request id, into *spki. */
static int
issued_spki(struct store *st, int64_t id, gnutls_datum_t *spki, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st, "SELECT raw FROM certificate WHERE request_id = ?", &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, id);
    rc = CC_EINVAL;
    if (store_step(q, NULL) == STORE_ROW) {
        size_t n = 0;
        const void *raw = store_col_blob(q, 0, &n);
        gnutls_datum_t d = {(unsigned char *)raw, (unsigned)n};
        gnutls_x509_crt_t crt;
        gnutls_pubkey_t pub;
        if (raw != NULL && gnutls_x509_crt_init(&crt) == 0) {
            if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) == 0 &&
                gnutls_pubkey_init(&pub) == 0) {
                if (gnutls_pubkey_import_x509(pub, crt, 0) == 0 &&
                    gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, spki) == 0)
                    rc = CC_OK;
                gnutls_pubkey_deinit(pub);
            }
            gnutls_x509_crt_deinit(crt);
        }
    }
    store_finalize(q);
    return rc == CC_OK ? rc : cc_fail(cause, rc, "the certificate's public key cannot be read");
}

/*
 * Whether holder proves it may revoke the certificate of request id: it
 * signed with the certificate's own key (spki), or it is the account the
 * certificate was issued to (cx's caller is the request's requester).
 * Anything else is refused, and the refusal audited.
 */
static int
holder_may_revoke(const struct cc_ctx *cx, const char *norm, int64_t id,
                  const struct cadb_holder *holder, char **cause)
{
    struct store *st = cx->st;
    int ok = 0, rc = CC_OK;
    if (holder->spki != NULL) {
        gnutls_datum_t mine = {NULL, 0};
        if ((rc = issued_spki(st, id, &mine, cause)) != CC_OK)
            return rc;
        ok = holder->spki_len > 0 && mine.size == holder->spki_len &&
             memcmp(mine.data, holder->spki, mine.size) == 0;
        gnutls_free(mine.data);
    } else if (!ctx_is_system(cx) && cx->who > 0) {
        struct store_stmt *q;
        if ((rc = store_prepare(st, "SELECT requester_id FROM request WHERE id = ?", &q, cause)) !=
            CC_OK)
            return rc;
        store_bind_int64(q, 1, id);
        ok = store_step(q, NULL) == STORE_ROW && !store_col_null(q, 0) &&
             store_col_int64(q, 0) == cx->who;
        store_finalize(q);
    }
    if (ok)
        return CC_OK;
    const char *why = holder->spki != NULL ? "the request is not signed with the certificate's key"
                                           : "the certificate was not issued to this account";
    audit_refused(cx, "certificate", norm, "revocation", "certificate holder", why);
    return cc_fail(cause, CC_EACCES, "certificate %s: %s", norm, why);
}

static int
revoke(const struct cc_ctx *cx, const char *serial, int reason, time_t effective,
       const struct cadb_holder *holder, char **cause)
{
    struct store *st = cx->st;
    char *norm = NULL;
    int64_t id = 0;
    int disp = 0, old = -1;
    /* a certificate manager revokes any certificate; its holder only its own, proven */
    int rc =
        holder ? CC_OK : authority_require(cx, CA_RIGHT_OFFICER, "revoke a certificate", cause);
    if (rc == CC_OK)
        rc = find_serial(st, serial, &norm, &id, &disp, &old, cause);
    if (rc == CC_OK && holder != NULL)
        rc = holder_may_revoke(cx, norm, id, holder, cause);
    if (rc == CC_OK && (reason < 0 || reason > 6))
        rc = cc_fail(cause, CC_EINVAL, "revocation reason %d is not allowed", reason);
    if (rc == CC_OK && disp == DISP_REVOKED && old != 6)
        rc = cc_fail(cause, CC_E_BAD_REQUESTSTATUS,
                     "certificate %s is already revoked (%s)", norm, cadb_reason_name(old));
    else if (rc == CC_OK && disp != DISP_ISSUED && disp != DISP_REVOKED)
        rc = cc_fail(cause, CC_E_BAD_REQUESTSTATUS, "request %lld is %s, not issued",
                     (long long)id, cadb_disposition_name(disp));
    if (rc != CC_OK) {
        free(norm);
        return rc;
    }
    time_t now = ctx_now(cx);
    struct store_stmt *q;
    if ((rc = store_begin(st, cause)) != CC_OK) {
        free(norm);
        return rc;
    }
    /* a revocation cannot take effect before the certificate does */
    if (effective == CADB_NOW)
        effective = now;
    else if ((rc = store_prepare(st, "SELECT not_before FROM certificate WHERE request_id = ?", &q,
                            cause)) == CC_OK) {
        store_bind_int64(q, 1, id);
        time_t nb = store_step(q, NULL) == STORE_ROW ? (time_t)store_col_int64(q, 0) : 0;
        store_finalize(q);
        if (effective < nb) {
            char when[32], from[32];
            rc = cc_fail(cause, CC_EINVAL,
                         "the revocation cannot take effect on %s: certificate %s is valid only "
                         "from %s",
                         cc_time_format(effective, when, sizeof when), norm,
                         cc_time_format(nb, from, sizeof from));
        }
    }
    if (rc == CC_OK)
        rc = store_prepare(st,
                       "UPDATE certificate SET revoked_when = ?, revoked_effective = ?, "
                       "revoked_reason = ? WHERE request_id = ?",
                       &q, cause);
    if (rc == CC_OK) {
        store_bind_int64(q, 1, (int64_t)now);
        store_bind_int64(q, 2, (int64_t)effective);
        store_bind_int(q, 3, reason);
        store_bind_int64(q, 4, id);
        rc = store_run(q, cause);
        store_finalize(q);
    }
    if (rc == CC_OK && (rc = store_prepare(st,
                                           "UPDATE request SET disposition = 21 WHERE id = ?",
                                           &q, cause)) == CC_OK) {
        store_bind_int64(q, 1, id);
        rc = store_run(q, cause);
        store_finalize(q);
    }
    if (rc == CC_OK)
        rc = audit_record(cx, "certificate", norm, "revocation",
                          old >= 0 ? cadb_reason_name(old) : NULL, cadb_reason_name(reason), cause);
    if (rc == CC_OK && holder != NULL)
        rc = audit_record(cx, "certificate", norm, "revoked by", NULL, holder->how, cause);
    if (rc == CC_OK)
        rc = store_commit(st, cause);
    else
        store_rollback(st);
    free(norm);
    return rc;
}

int
cadb_unrevoke(const struct cc_ctx *cx, const char *serial, char **cause)
{
    struct store *st = cx->st;
    char *norm = NULL;
    int64_t id = 0;
    int disp = 0, old = -1;
    int rc = authority_require(cx, CA_RIGHT_OFFICER, "unrevoke a certificate", cause);
    if (rc == CC_OK)
        rc = find_serial(st, serial, &norm, &id, &disp, &old, cause);
    if (rc == CC_OK && (disp != DISP_REVOKED || old != 6))
        rc = cc_fail(cause, CC_E_BAD_REQUESTSTATUS,
                     "only a certificate on hold (certificateHold) can be unrevoked; %s is %s%s%s",
                     norm, disp == DISP_REVOKED ? "revoked (" : cadb_disposition_name(disp),
                     disp == DISP_REVOKED ? cadb_reason_name(old) : "",
                     disp == DISP_REVOKED ? ")" : "");
    if (rc != CC_OK) {
        free(norm);
        return rc;
    }
    struct store_stmt *q;
    if ((rc = store_begin(st, cause)) == CC_OK) {
        rc = store_prepare(st,
                           "UPDATE certificate SET revoked_when = NULL, revoked_effective = NULL, "
                           "revoked_reason = NULL WHERE request_id = ?",
                           &q, cause);
        if (rc == CC_OK) {
            store_bind_int64(q, 1, id);
            rc = store_run(q, cause);
            store_finalize(q);
        }
        if (rc == CC_OK &&
            (rc = store_prepare(st, "UPDATE request SET disposition = 20 WHERE id = ?", &q,
                                cause)) == CC_OK) {
            store_bind_int64(q, 1, id);
            rc = store_run(q, cause);
            store_finalize(q);
        }
        if (rc == CC_OK)
            rc =
                audit_record(cx, "certificate", norm, "revocation", "certificateHold", NULL, cause);
        if (rc == CC_OK)
            rc = store_commit(st, cause);
        else
            store_rollback(st);
    }
    free(norm);
    return rc;
}
