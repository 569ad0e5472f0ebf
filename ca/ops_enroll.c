/*
 * Operations on enrollment, the certificate stores and export (Certificates snap-in, `enroll`,
 * `submit`, `store`, `export`, `pulse`). See ops_enroll.h.
 *
 * The core modules decide the finer rights themselves (reading another's
 * stores, requesting for another, exporting another's key, acting as
 * another: authz_check, refusals audited), so every operation here has
 * ca_right 0. Enrolling, submitting and the pulse generate keys and sign:
 * ops_call opens no transaction for them and the core commits its own,
 * signing before it; export encrypts a PFX and records its audit entry
 * itself.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "authority.h"
#include "autoenroll.h"
#include "authz.h"
#include "cadb.h"
#include "certinfo.h"
#include "certstore.h"
#include "context.h"
#include "directory.h"
#include "explain.h"
#include "export.h"
#include "ops.h"
#include "ops_family.h"
#include "status.h"
#include "store.h"
#include "template.h"
#include "util.h"

void
ops_store_rows_free(struct ops_store_rows *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++) {
        certstore_entry_free(&r->v[i].e);
        free(r->v[i].purposes);
        free(r->v[i].template);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

void
ops_store_requests_free(struct ops_store_requests *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].template);
        free(r->v[i].status);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

void
ops_enroll_result_free(struct ops_enroll_result *r)
{
    if (r == NULL)
        return;
    free(r->template_display);
    cadb_outcome_free(&r->outcome);
    memset(r, 0, sizeof *r);
}

void
ops_submit_result_free(struct ops_submit_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].cause);
        cadb_outcome_free(&r->v[i].outcome);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

void
ops_pulse_result_free(struct ops_pulse_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].principal);
        free(r->v[i].cause);
        pulse_report_free(&r->v[i].report);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

void
ops_cert_decoded_free(struct ops_cert_decoded *r)
{
    if (r == NULL)
        return;
    certinfo_free(&r->info);
    certinfo_path_free(r->path, r->npath);
    memset(r, 0, sizeof *r);
}

/* ---- whose stores ---- */

/*
 * The target's principal into *pr (dir_principal_free it): the named
 * account, or the caller's own; a group holds no certificates.
 */
static int
target_principal(const struct cc_ctx *cx, const struct ops_target *t, struct dir_principal *pr,
                 char **cause)
{
    memset(pr, 0, sizeof *pr);
    int rc = t->principal == NULL ? dir_get(cx->st, cx->who, pr, cause)
                                  : dir_lookup(cx->st, t->principal, pr, cause);
    if (rc != CC_OK)
        return rc;
    if (pr->kind == DIR_GROUP || pr->kind == DIR_WELLKNOWN) {
        rc = cc_fail(cause, CC_EINVAL,
                     "%s is a group; certificates are requested by users and computers", pr->name);
        dir_principal_free(pr);
    }
    return rc;
}

/*
 * The context the target's stores are read (and enrolled for) in: the
 * Certificates snap-in's rule for act_for, the caller's own otherwise.
 * ctx_free *as after use, also on failure.
 */
static int
target_context(const struct cc_ctx *cx, const struct ops_target *t, const struct dir_principal *pr,
               struct cc_ctx *as, char **cause)
{
    memset(as, 0, sizeof *as);
    return t->act_for ? authz_act_for(cx, pr->id, as, cause) : ctx_copy(as, cx);
}

/* The template's display name, else its cn; "" for none. Allocated (NULL: out of memory). */
static char *
template_shown(struct store *st, const char *cn)
{
    if (cn == NULL || *cn == '\0')
        return cc_strdup("");
    struct template t;
    memset(&t, 0, sizeof t);
    char *s =
        cc_strdup(template_load(st, cn, &t, NULL) == CC_OK && t.display_name ? t.display_name : cn);
    template_free(&t);
    return s;
}

static int
run_store_list(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_store_list *a = args;
    struct ops_store_rows *r = result;
    memset(r, 0, sizeof *r);
    struct dir_principal pr;
    struct cc_ctx as;
    struct certstore_entry *list = NULL;
    size_t n = 0;
    int rc = target_principal(cx, &a->who, &pr, cause);
    if (rc != CC_OK)
        return rc;
    rc = target_context(cx, &a->who, &pr, &as, cause);
    if (rc == CC_OK)
        rc = certstore_list(&as, pr.id, a->kind, &list, &n, cause);
    ctx_free(&as);
    dir_principal_free(&pr);
    if (rc != CC_OK)
        return rc;
    r->v = calloc(n ? n : 1, sizeof *r->v);
    if (r->v == NULL) {
        certstore_list_free(list, n);
        return CC_ENOMEM;
    }
    for (size_t i = 0; i < n && rc == CC_OK; i++) {
        struct ops_store_row *row = &r->v[r->n++];
        row->e = list[i];
        memset(&list[i], 0, sizeof list[i]);
        struct certinfo_summary s;
        if (certinfo_summarize(cx->st, row->e.der.p, row->e.der.n, &s, NULL) == CC_ENOMEM)
            rc = CC_ENOMEM;
        row->purposes = s.purposes;
        s.purposes = NULL;
        certinfo_summary_free(&s);
        row->template = template_shown(cx->st, row->e.template_cn);
        if (row->purposes == NULL || row->template == NULL)
            rc = CC_ENOMEM;
    }
    certstore_list_free(list, n);
    if (rc != CC_OK)
        ops_store_rows_free(r);
    return rc;
}

static int
run_store_requests(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_store_list *a = args;
    struct ops_store_requests *r = result;
    memset(r, 0, sizeof *r);
    struct dir_principal pr;
    struct cc_ctx as;
    struct certstore_request *v = NULL;
    size_t n = 0;
    int rc = target_principal(cx, &a->who, &pr, cause);
    if (rc != CC_OK)
        return rc;
    rc = target_context(cx, &a->who, &pr, &as, cause);
    if (rc == CC_OK)
        rc = certstore_requests(&as, pr.id, &v, &n, cause);
    ctx_free(&as);
    dir_principal_free(&pr);
    if (rc != CC_OK)
        return rc;
    r->v = calloc(n ? n : 1, sizeof *r->v);
    if (r->v == NULL) {
        free(v);
        return CC_ENOMEM;
    }
    for (size_t i = 0; i < n && rc == CC_OK; i++) {
        struct ops_store_request *q = &r->v[r->n++];
        q->key_id = v[i].key_id;
        q->request_id = v[i].request_id;
        q->created = v[i].created;
        /* the request as the CA records it: its template and where it stands */
        struct cadb_row *row = calloc(1, sizeof *row); /* cadb_rows_free frees the array */
        if (row != NULL && cadb_get(cx->st, v[i].request_id, row, NULL) == CC_OK) {
            q->template = template_shown(cx->st, row->template_cn);
            q->status = cc_strdup(row->disposition == DISP_PENDING
                                      ? "Pending"
                                      : cadb_disposition_name(row->disposition));
        } else {
            q->template = cc_strdup("");
            q->status = cc_strdup("?");
        }
        if (row != NULL)
            cadb_rows_free(row, 1);
        if (q->template == NULL || q->status == NULL)
            rc = CC_ENOMEM;
    }
    free(v);
    if (rc != CC_OK)
        ops_store_requests_free(r);
    return rc;
}

/* The picked certificate into *out, read in the target's context. */
static int
store_pick(const struct cc_ctx *cx, const struct ops_store_pick *a, struct certstore_entry *out,
           char **cause)
{
    memset(out, 0, sizeof *out);
    struct dir_principal pr;
    struct cc_ctx as;
    int rc = target_principal(cx, &a->who, &pr, cause);
    if (rc != CC_OK)
        return rc;
    rc = target_context(cx, &a->who, &pr, &as, cause);
    if (rc == CC_OK && a->spec != NULL) {
        rc = certstore_find(&as, pr.id, a->spec, out, cause);
    } else if (rc == CC_OK) {
        struct certstore_entry *list = NULL;
        size_t n = 0;
        rc = certstore_list(&as, pr.id, a->kind, &list, &n, cause);
        if (rc == CC_OK) {
            rc = CC_ENOTFOUND;
            for (size_t i = 0; i < n; i++)
                if (list[i].id == a->entry_id) {
                    *out = list[i];
                    memset(&list[i], 0, sizeof list[i]);
                    rc = CC_OK;
                    break;
                }
            certstore_list_free(list, n);
        }
    }
    ctx_free(&as);
    dir_principal_free(&pr);
    return rc;
}

static int
run_store_certificate(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    return store_pick(cx, args, result, cause);
}

static int
run_cert_export(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_export *a = args;
    struct pkix_buf *out = result;
    memset(out, 0, sizeof *out);
    struct certstore_entry e;
    int rc = store_pick(cx, &a->pick, &e, cause);
    if (rc == CC_OK)
        rc = export_certificate(cx, &e, &a->params, out, cause);
    if (rc != CC_OK)
        pkix_buf_free(out);
    certstore_entry_free(&e);
    return rc;
}

/* ---- enrollment ---- */

static int
run_cert_enroll(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_enroll *a = args;
    struct ops_enroll_result *r = result;
    memset(r, 0, sizeof *r);
    struct dir_principal pr;
    int rc = target_principal(cx, &a->who, &pr, cause);
    if (rc != CC_OK)
        return rc;
    struct template t;
    memset(&t, 0, sizeof t);
    if (a->params.template_name != NULL &&
        template_load(cx->st, a->params.template_name, &t, NULL) == CC_OK) {
        r->template_known = 1;
        r->subject_supplied = (t.name_flag & CT_NAME_ENROLLEE_SUPPLIES_SUBJECT) != 0;
        r->key_exportable = (t.private_key_flag & CT_PK_EXPORTABLE_KEY) != 0;
        r->template_display = cc_strdup(t.display_name ? t.display_name : t.cn);
        if (r->template_display == NULL)
            rc = CC_ENOMEM;
    }
    template_free(&t);
    struct cc_ctx as;
    memset(&as, 0, sizeof as);
    struct cadb_session *s = NULL;
    if (rc == CC_OK)
        rc = target_context(cx, &a->who, &pr, &as, cause);
    if (rc == CC_OK)
        rc = cadb_session_open(&as, NULL, &s, cause);
    if (rc == CC_OK) {
        r->attempted = 1;
        rc = cadb_enroll(s, &pr, &a->params, &r->outcome, cause);
    }
    cadb_session_close(s);
    ctx_free(&as);
    dir_principal_free(&pr);
    return rc;
}

static int
run_request_submit(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_submit *a = args;
    struct ops_submit_result *r = result;
    memset(r, 0, sizeof *r);
    struct dir_principal pr;
    int rc = target_principal(cx, &a->who, &pr, cause);
    if (rc != CC_OK)
        return rc;
    struct cadb_session *s = NULL;
    struct cadb_prepared **ready = NULL;
    rc = cadb_session_open(cx, NULL, &s, cause);
    if (rc == CC_OK) {
        r->v = calloc(a->n ? a->n : 1, sizeof *r->v);
        ready = calloc(a->n ? a->n : 1, sizeof *ready);
        if (r->v == NULL || ready == NULL)
            rc = CC_ENOMEM;
    }
    if (rc != CC_OK)
        goto out;
    r->n = a->n;
    r->looked = 1;
    /* parse, decide and sign with no lock held... */
    for (size_t i = 0; i < a->n; i++) {
        struct ops_submit_item *it = &r->v[i];
        it->rc = cadb_prepare(s, &pr, a->template, a->requests[i].p, a->requests[i].n, &ready[i],
                              &it->cause);
        if (it->rc != CC_OK)
            it->failed = OPS_SUBMIT_PREPARE;
    }
    /* ...then record them in one short transaction: other writers wait only for the inserts */
    if ((rc = store_begin(cx->st, cause)) != CC_OK)
        goto out;
    for (size_t i = 0; i < a->n; i++) {
        struct ops_submit_item *it = &r->v[i];
        if (ready[i] == NULL)
            continue;
        /* a request the CA cannot record is rolled back alone (its own savepoint) */
        it->rc = cadb_record(s, &pr, ready[i], &it->outcome, &it->cause);
        if (it->rc != CC_OK)
            it->failed = OPS_SUBMIT_RECORD;
    }
    if ((rc = store_commit(cx->st, cause)) != CC_OK)
        for (size_t i = 0; i < r->n; i++)
            cadb_outcome_free(&r->v[i].outcome);
out:
    for (size_t i = 0; ready != NULL && i < a->n; i++)
        cadb_prepared_free(ready[i]);
    free(ready);
    cadb_session_close(s);
    dir_principal_free(&pr);
    return rc;
}

/* ---- autoenrollment ---- */

static int
pulse_item_add(struct ops_pulse_result *r, const char *principal, size_t cap)
{
    if (r->v == NULL && (r->v = calloc(cap ? cap : 1, sizeof *r->v)) == NULL)
        return CC_ENOMEM;
    struct ops_pulse_item *it = &r->v[r->n];
    memset(it, 0, sizeof *it);
    if ((it->principal = cc_strdup(principal ? principal : "")) == NULL)
        return CC_ENOMEM;
    r->n++;
    return CC_OK;
}

/* One principal's pulse into a new item, told to a->each: its failure stays in the item. */
static int
pulse_one(const struct cc_ctx *cx, const struct ops_pulse *a, struct ops_pulse_result *r,
          const char *principal, size_t cap)
{
    int rc = pulse_item_add(r, principal, cap);
    if (rc != CC_OK)
        return rc;
    struct ops_pulse_item *it = &r->v[r->n - 1];
    it->rc = autoenroll_pulse(cx, principal, NULL, &it->report, &it->cause);
    if (a->each != NULL)
        a->each(a->arg, it);
    return CC_OK;
}

static int
run_autoenroll_pulse(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_pulse *a = args;
    struct ops_pulse_result *r = result;
    memset(r, 0, sizeof *r);
    int rc = CC_OK;
    if (!a->all) {
        /* one principal: its failure is the operation's */
        if ((rc = pulse_item_add(r, a->principal, 1)) == CC_OK)
            rc = autoenroll_pulse(cx, a->principal, NULL, &r->v[0].report, cause);
        if (rc != CC_OK)
            ops_pulse_result_free(r);
        return rc;
    }
    /* every computer, then every user, each pulse committing on its own */
    struct dir_principal *v = NULL;
    size_t n = 0;
    rc = dir_list(cx->st, (1u << DIR_COMPUTER) | (1u << DIR_USER), &v, &n, cause);
    for (size_t i = 0; rc == CC_OK && i < n; i++)
        rc = pulse_one(cx, a, r, v[i].sam, n);
    dir_list_free(v, n);
    if (rc != CC_OK)
        ops_pulse_result_free(r);
    return rc;
}

static int
run_autoenroll_last_pulse(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_pulse *a = args;
    struct ops_pulse_result *r = result;
    memset(r, 0, sizeof *r);
    int rc = pulse_item_add(r, a->principal, 1);
    if (rc == CC_OK)
        rc = autoenroll_last_pulse(cx->st, a->principal, &r->v[0].report, cause);
    if (rc != CC_OK)
        ops_pulse_result_free(r);
    return rc;
}

static int
run_autoenroll_restart(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_pulse *a = args;
    struct ops_pulse_result *r = result;
    memset(r, 0, sizeof *r);
    int rc = pulse_item_add(r, a->principal, 1);
    if (rc == CC_OK)
        rc = autoenroll_restart(cx, a->how, a->principal, NULL, &r->v[0].report, cause);
    if (rc != CC_OK)
        ops_pulse_result_free(r);
    return rc;
}

/* ---- what the wizard offers ---- */

void
ops_enroll_offers_free(struct ops_enroll_offers *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->noffers; i++) {
        free(r->offers[i].cn);
        free(r->offers[i].display);
    }
    for (size_t i = 0; i < r->nunavailable; i++) {
        free(r->unavailable[i].cn);
        free(r->unavailable[i].display);
    }
    free(r->offers);
    free(r->unavailable);
    memset(r, 0, sizeof *r);
}

/* Why the principal (a user when user) cannot enroll for t, or NULL when it can. */
static const char *
unavailable_reason(struct store *st, const struct template *t, int user, const int64_t *token,
                   size_t ntoken)
{
    if (!authority_template_enabled(st, t->cn))
        return "The CA does not issue this template";
    if (!user && !template_is_machine(t))
        return "For users: a computer cannot enroll";
    if (user && template_is_machine(t))
        return "For computers: a user cannot enroll";
    if (!(acl_effective(&t->acl, token, ntoken, NULL) & ACL_ENROLL))
        return user ? "No Enroll permission for this user"
                    : "No Enroll permission for this computer";
    return NULL;
}

static int
offer_set(struct ops_enroll_offer *o, const struct template *t, const char *why)
{
    o->cn = cc_strdup(t->cn);
    o->display = cc_strdup(t->display_name ? t->display_name : t->cn);
    o->supplied = template_subject_supplied(t);
    o->why = why;
    return o->cn && o->display ? CC_OK : CC_ENOMEM;
}

static int
run_enroll_templates(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_enroll_templates *a = args;
    struct ops_enroll_offers *r = result;
    memset(r, 0, sizeof *r);
    struct store *st = cx->st;
    struct dir_principal pr;
    int rc = target_principal(cx, &a->who, &pr, cause);
    if (rc != CC_OK)
        return rc;
    int64_t *token = NULL;
    size_t ntoken = 0;
    struct strlist cns = {0};
    struct template *v = NULL;
    size_t n = 0;
    if (dir_token(st, pr.id, &token, &ntoken, NULL) != CC_OK)
        goto out;
    /* the offers: the CA's templates for the principal's kind that its token may enroll for */
    if (authority_templates(st, &cns, NULL) == CC_OK) {
        if ((r->offers = calloc(cns.n + 1, sizeof *r->offers)) == NULL)
            rc = CC_ENOMEM;
        for (size_t i = 0; rc == CC_OK && i < cns.n; i++) {
            struct template t;
            memset(&t, 0, sizeof t);
            if (template_load(st, cns.v[i], &t, NULL) == CC_OK &&
                template_is_machine(&t) == !a->user &&
                (acl_effective(&t.acl, token, ntoken, NULL) & ACL_ENROLL))
                rc = offer_set(&r->offers[r->noffers++], &t, NULL);
            template_free(&t);
        }
    }
    /* the others, each with why */
    if (rc == CC_OK && template_list(st, &v, &n, NULL) == CC_OK) {
        if ((r->unavailable = calloc(n + 1, sizeof *r->unavailable)) == NULL)
            rc = CC_ENOMEM;
        for (size_t i = 0; rc == CC_OK && i < n; i++) {
            const char *why = unavailable_reason(st, &v[i], a->user, token, ntoken);
            if (why != NULL)
                rc = offer_set(&r->unavailable[r->nunavailable++], &v[i], why);
        }
    }
out:
    template_list_free(v, n);
    strlist_free(&cns);
    free(token);
    dir_principal_free(&pr);
    if (rc != CC_OK)
        ops_enroll_offers_free(r);
    return rc;
}

static int
run_store_open(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_target *a = args;
    struct dir_principal pr;
    struct cc_ctx as;
    int rc = target_principal(cx, a, &pr, cause);
    if (rc != CC_OK)
        return rc;
    rc = authz_act_for(cx, pr.id, &as, cause);
    ctx_free(&as);
    dir_principal_free(&pr);
    return rc;
}

/* ---- the Certificate dialog ---- */

static int
run_cert_decode(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_cert_decode *a = args;
    struct ops_cert_decoded *r = result;
    memset(r, 0, sizeof *r);
    int rc = certinfo_decode(cx->st, a->der, a->n, &r->info, cause);
    if (rc == CC_OK)
        rc = certinfo_path(cx, a->der, a->n, ctx_now(cx), &r->path, &r->npath, cause);
    if (rc != CC_OK)
        ops_cert_decoded_free(r);
    return rc;
}

/* ---- why a principal can or cannot enroll ---- */

static int
run_enroll_explain(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_enroll_explain *a = args;
    struct explain_report *r = result;
    memset(r, 0, sizeof *r);
    struct dir_principal pr;
    int rc = target_principal(cx, &a->who, &pr, cause);
    if (rc != CC_OK)
        return rc;
    rc = explain_enroll(cx, &pr, a->template, r, cause);
    dir_principal_free(&pr);
    return rc;
}

const struct ops_def ops_enroll_defs[] = {
    {OP_STORE_LIST, "store.list", "principal:name act-for:bool store:store-kind", "store-rows", 0,
     "read a certificate store", 0, run_store_list},
    {OP_STORE_REQUESTS, "store.requests", "principal:name act-for:bool", "store-requests", 0,
     "read the certificate enrollment requests", 0, run_store_requests},
    {OP_STORE_CERTIFICATE, "store.certificate",
     "principal:name act-for:bool store:store-kind entry:id spec:text", "store-entry", 0,
     "read a certificate of a store", 0, run_store_certificate},
    {OP_CERT_EXPORT, "certificate.export",
     "principal:name act-for:bool store:store-kind entry:id spec:text format:export-format "
     "password:secret legacy:bool chain:bool friendly-name:text",
     "bytes", 0, "export a certificate", 0, run_cert_export},
    {OP_CERT_ENROLL, "certificate.enroll",
     "principal:name act-for:bool template:name key:key-spec cn:text dn:text dns:list ip:list "
     "email:list upn:list not-exportable:bool friendly-name:text",
     "enrollment", 0, "request a certificate", 0, run_cert_enroll},
    {OP_REQUEST_SUBMIT, "request.submit", "principal:name template:name requests:list-of-bytes",
     "submissions", 0, "submit certificate requests", 0, run_request_submit},
    {OP_AUTOENROLL_PULSE, "autoenroll.pulse", "principal:name all:bool", "pulse-reports", 0,
     "run the autoenrollment pulse", 0, run_autoenroll_pulse},
    {OP_AUTOENROLL_LAST_PULSE, "autoenroll.last-pulse", "principal:name", "pulse-reports", 0,
     "read the last autoenrollment pulse", 0, run_autoenroll_last_pulse},
    {OP_AUTOENROLL_RESTART, "autoenroll.restart", "principal:name how:restart|logon",
     "pulse-reports", 0, "restart a computer or log a user on", 0, run_autoenroll_restart},
    {OP_CERT_DECODE, "certificate.decode", "certificate:bytes", "certificate-info", 0,
     "decode a certificate", 0, run_cert_decode},
    {OP_ENROLL_TEMPLATES, "enroll.templates", "principal:name user:bool", "enrollment-offers", 0,
     "list the templates offered for enrollment", 0, run_enroll_templates},
    {OP_STORE_OPEN, "store.open", "principal:name", "", 0, "manage another account's certificates",
     0, run_store_open},
    /* reads only: the CA's checks run as for a request, nothing is recorded */
    {OP_ENROLL_EXPLAIN, "enroll.explain", "principal:name template:name", "explanation", 0,
     "explain an enrollment decision", 0, run_enroll_explain},
    {.id = 0},
};
