/*
 * Operations on the CA itself: settings, roles, CRLs, OCSP, audit and the lab (Certification
 * Authority snap-in, `ca`, `ocsp`, `audit`, `lab`). See ops_ca.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acme.h"
#include "audit.h"
#include "authority.h"
#include "authz.h"
#include "cadb.h"
#include "certinfo.h"
#include "certlint.h"
#include "coach.h"
#include "context.h"
#include "crl.h"
#include "directory.h"
#include "est.h"
#include "exercise.h"
#include "lab.h"
#include "labsnap.h"
#include "ocsp.h"
#include "ops.h"
#include "ops_family.h"
#include "pkix.h"
#include "status.h"
#include "store.h"
#include "svccert.h"
#include "template.h"
#include "util.h"

void
ops_ca_info_free(struct ops_ca_info *r)
{
    if (r == NULL)
        return;
    authority_info_free(&r->info);
    authority_urls_free(&r->urls);
    free(r->key_description);
    free(r->subject);
    free(r->serial);
    free(r->thumbprint);
    free(r->database);
    free(r->key_file);
    memset(r, 0, sizeof *r);
}

void
ops_ca_roles_free(struct ops_ca_roles *r)
{
    if (r == NULL)
        return;
    authority_permissions_free(r->aces, r->n);
    memset(r, 0, sizeof *r);
}

void
ops_crl_free(struct ops_crl *r)
{
    if (r == NULL)
        return;
    pkix_buf_free(&r->der);
    memset(r, 0, sizeof *r);
}

void
ops_request_rows_free(struct ops_request_rows *r)
{
    if (r == NULL)
        return;
    cadb_rows_free(r->rows, r->n);
    memset(r, 0, sizeof *r);
}

void
ops_cert_free(struct ops_cert *r)
{
    if (r == NULL)
        return;
    pkix_buf_free(&r->der);
    memset(r, 0, sizeof *r);
}

/* ---- the CA's configuration ---- */

/* The CA certificate's subject, serial number and SHA-1 thumbprint (hex), as certinfo reads any. */
static int
cert_names(struct store *st, struct ops_ca_info *r)
{
    struct certinfo_summary sum;
    int rc = certinfo_summarize(st, r->info.cert.p, r->info.cert.n, &sum, NULL);
    if (rc == CC_ENOMEM)
        return rc;
    /* a certificate that does not decode leaves the names empty, as it always did */
    r->subject = sum.subject;
    r->serial = sum.serial;
    r->thumbprint = sum.thumbprint;
    sum.subject = sum.serial = sum.thumbprint = NULL;
    certinfo_summary_free(&sum);
    return r->subject && r->serial && r->thumbprint ? CC_OK : CC_ENOMEM;
}

static int
run_ca_show(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    struct ops_ca_info *r = result;
    memset(r, 0, sizeof *r);
    int rc = authority_info_load(cx->st, &r->info, cause);
    if (rc != CC_OK)
        return rc;
    struct strlist templates = {0};
    authority_templates(cx->st, &templates, NULL);
    r->templates = templates.n;
    strlist_free(&templates);
    r->key_description = authority_key_description(&r->info);
    r->key_mode_rc = strncmp(r->info.key_ref, "pkcs11:", 7) == 0
                         ? CC_ENOTFOUND
                         : authority_key_mode(cx->st, &r->info, &r->key_mode, NULL);
    if ((rc = authority_urls_get(&r->info, &r->urls)) == CC_OK)
        rc = cert_names(cx->st, r);
    if (rc == CC_OK) {
        r->database = cc_strdup(store_path(cx->st));
        r->key_file = strncmp(r->info.key_ref, "pkcs11:", 7) == 0 ? cc_strdup(r->info.key_ref)
                                                                  : authority_key_path(cx->st);
        if (r->database == NULL || r->key_file == NULL)
            rc = CC_ENOMEM;
    }
    if (rc != CC_OK) {
        ops_ca_info_free(r);
        return cc_fail(cause, rc, "%s", cc_strerror(rc));
    }
    return CC_OK;
}

/* One `ca set` setting: the CA's own columns, or the OCSP, EST and ACME modules' settings. */
static int
set_one(const struct cc_ctx *cx, const char *name, const char *value, char **cause)
{
    if (strcmp(name, "ocsp-signer") == 0)
        return ocsp_signer_set(cx, value, cause);
    if (strcmp(name, "est-default") == 0)
        return est_default_set(cx, value, cause);
    if (acme_config_is_setting(name))
        return acme_config_set(cx, name, value, cause);
    return authority_config_set(cx, name, value, cause);
}

static int
run_ca_configure(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_ca_configure *a = args;
    int rc = CC_OK;
    for (size_t i = 0; rc == CC_OK && i < a->nsettings; i++)
        rc = set_one(cx, a->settings[i].name, a->settings[i].value, cause);
    for (size_t i = 0; rc == CC_OK && i < a->naces; i++)
        rc = authority_permission_set(cx, a->aces[i].principal, a->aces[i].allow, a->aces[i].deny,
                                      cause);
    return rc;
}

static int
run_ca_permissions(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_ca_configure *a = args;
    struct ops_ca_configure only = {.aces = a->aces, .naces = a->naces};
    return run_ca_configure(cx, &only, result, cause);
}

static int
run_ca_info(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    return authority_info_load(cx->st, result, cause);
}

static int
run_ca_roles(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    struct ops_ca_roles *r = result;
    memset(r, 0, sizeof *r);
    int rc = authority_permissions(cx->st, &r->aces, &r->n, cause);
    if (rc == CC_OK)
        r->role_separation = authz_role_separation(cx->st);
    return rc;
}

/* "P:ROLES" -> principal id and role bits. */
static int
parse_grant(const struct cc_ctx *cx, const char *arg, int64_t *principal, unsigned *rights,
            char **cause)
{
    const char *colon = strrchr(arg, ':');
    if (colon == NULL || colon == arg || colon[1] == '\0')
        return cc_fail(cause, CC_EINVAL, "'%s': expected PRINCIPAL:ROLES", arg);
    char *name = cc_strdup(arg);
    if (name == NULL)
        return CC_ENOMEM;
    name[colon - arg] = '\0';
    struct dir_principal p = {0};
    int rc = authority_roles_parse(colon + 1, rights, cause);
    if (rc == CC_OK && (rc = dir_lookup(cx->st, name, &p, cause)) == CC_OK)
        *principal = p.id;
    dir_principal_free(&p);
    free(name);
    return rc;
}

/* Each edit against the entry as the ones before it left it: ops_call's transaction holds them. */
static int
run_ca_roles_change(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_ca_roles_change *a = args;
    const struct strlist *lists[] = {a->grant, a->deny, a->revoke};
    int rc = CC_OK;
    for (size_t l = 0; l < 3 && rc == CC_OK; l++) {
        for (size_t i = 0; lists[l] != NULL && i < lists[l]->n && rc == CC_OK; i++) {
            int64_t who = 0;
            unsigned rights = 0;
            if ((rc = parse_grant(cx, lists[l]->v[i], &who, &rights, cause)) != CC_OK)
                break;
            struct authority_ace *v = NULL;
            size_t n = 0;
            unsigned allow = 0, deny = 0;
            if ((rc = authority_permissions(cx->st, &v, &n, cause)) != CC_OK)
                break;
            for (size_t k = 0; k < n; k++)
                if (v[k].principal == who) {
                    allow = v[k].allow;
                    deny = v[k].deny;
                }
            authority_permissions_free(v, n);
            if (l == 0) {
                allow |= rights;
                deny &= ~rights;
            } else if (l == 1) {
                deny |= rights;
                allow &= ~rights;
            } else {
                allow &= ~rights;
                deny &= ~rights;
            }
            rc = authority_permission_set(cx, who, allow, deny, cause);
        }
    }
    return rc;
}

/*
 * Role separation is the CA host's setting, not the CA's (AD CS keeps it in
 * the registry, out of reach of the roles it constrains): only the owner of
 * the database, or root, turns it on or off. No CA role decides it, so the
 * operation asks for none and checks who owns the file.
 */
static int
run_ca_role_separation(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_ca_role_separation *a = args;
    const char *path = store_path(cx->st);
    struct stat sb;
    if (stat(path, &sb) != 0)
        return cc_fail(cause, CC_EIO, "%s: %s", path, strerror(errno));
    if (geteuid() != 0 && geteuid() != sb.st_uid)
        return cc_fail(cause, CC_EACCES, "role separation is set by the owner of %s (or root)",
                       path);
    int was = authz_role_separation(cx->st), on = a->on != 0;
    int rc = authz_set_role_separation(cx->st, on, cause);
    if (rc == CC_OK && was != on)
        rc = audit_record(cx, "ca", "CA", "role separation", was ? "on" : "off", on ? "on" : "off",
                          cause);
    return rc;
}

/* ---- CRLs ---- */

static int
run_crl_publish(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_crl_kind *a = args;
    struct ops_crl *r = result;
    memset(r, 0, sizeof *r);
    struct authority *ca = NULL;
    int rc = authority_open(cx->st, NULL, &ca, cause);
    if (rc == CC_OK)
        rc = crl_publish_kind(cx, ca, a->kind, &r->der, &r->info, cause);
    authority_close(ca);
    if (rc != CC_OK)
        ops_crl_free(r);
    return rc;
}

static int
run_crl_latest(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_crl_kind *a = args;
    struct ops_crl *r = result;
    memset(r, 0, sizeof *r);
    int rc = crl_latest_kind(cx->st, a->kind, &r->der, &r->info, cause);
    if (rc != CC_OK)
        ops_crl_free(r);
    return rc;
}

/*
 * The service publishes as itself, as AD CS's service does: no caller, so
 * no rights to check, and nobody else may run the schedule in its name.
 */
static int
run_crl_publish_due(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    struct ops_crl_due *r = result;
    memset(r, 0, sizeof *r);
    if (!ctx_is_system(cx))
        return cc_fail(cause, CC_EACCES,
                       "the CRL schedule is the CA service's own: publish with crl.publish");
    struct authority *ca = NULL;
    int rc = authority_open(cx->st, NULL, &ca, cause);
    if (rc == CC_OK)
        rc = crl_publish_due(cx, ca, &r->published, &r->next, cause);
    authority_close(ca);
    if (rc == CC_OK && r->published > 0 &&
        crl_latest_kind(cx->st, CRL_BASE, NULL, &r->base, NULL) != CC_OK)
        memset(&r->base, 0, sizeof r->base);
    return rc;
}

/* ---- the CA database's views ---- */

static int
run_request_list(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_request_view *a = args;
    struct ops_request_rows *r = result;
    memset(r, 0, sizeof *r);
    int rc = cadb_list(cx->st, a->view, a->filter, &r->rows, &r->n, cause);
    r->count = r->n;
    return rc;
}

static int
run_request_count(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_request_view *a = args;
    struct ops_request_rows *r = result;
    memset(r, 0, sizeof *r);
    return cadb_count(cx->st, a->view, a->filter, &r->count, cause);
}

static int
run_request_page(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_request_view *a = args;
    struct ops_request_rows *r = result;
    memset(r, 0, sizeof *r);
    int rc = cadb_page(cx->st, a->view, a->filter, a->sort_column, a->descending, a->offset,
                       a->limit, &r->rows, &r->n, cause);
    r->count = r->n;
    return rc;
}

static int
run_request_get(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_request_get *a = args;
    return cadb_get(cx->st, a->request_id, result, cause);
}

static int
run_cert_retrieve(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_cert_retrieve *a = args;
    struct ops_cert *r = result;
    memset(r, 0, sizeof *r);
    return cadb_retrieve(cx, a->serial_or_id, &r->der, &r->request_id, cause);
}

/* ---- the audit log ---- */

static int
run_audit_read(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    struct ops_audit_entries *r = result;
    memset(r, 0, sizeof *r);
    return audit_read(cx, args, &r->v, &r->n, cause);
}

static int
run_audit_verify(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    return audit_check(cx, result, cause);
}

/* ---- OCSP and the lint ---- */

static int
run_ocsp_respond(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_ocsp_request *a = args;
    return ocsp_respond(cx, a->der, a->len, result, cause);
}

/* Bytes in, findings out: the context's store is never touched (it may have none). */
static int
run_lint_check(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)cx;
    const struct ops_lint_data *a = args;
    struct ops_lint_result *r = result;
    memset(r, 0, sizeof *r);
    return certlint_data(a->data, a->n, &r->v, &r->n, cause);
}

static int
run_lint_rules(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)cx;
    (void)args;
    (void)cause;
    struct ops_lint_rules *r = result;
    for (int i = 0; i < CERTLINT_RULE_COUNT; i++)
        r->v[i] = certlint_rule(i);
    r->n = CERTLINT_RULE_COUNT;
    return CC_OK;
}

/* ---- the lab ---- */

static int
run_lab_exercises(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_lab_dir *a = args;
    memset(result, 0, sizeof(struct exercise_set));
    return exercise_load_lab(cx->st, a->datadir, result, cause);
}

static int
run_lab_step(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_lab_step *a = args;
    struct ops_lab_step_state *r = result;
    memset(r, 0, sizeof *r);
    int rc = exercise_check_step(cx, a->step, &r->done, &r->reason, cause);
    if (rc != CC_OK) {
        free(r->reason);
        r->reason = NULL;
    }
    return rc;
}

static int
run_lab_coach(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_lab_set *a = args;
    return coach_evaluate(cx->st, a->set, result, cause);
}

static int
run_lab_bind(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_lab_bind *a = args;
    struct ops_lab_files *r = result;
    memset(r, 0, sizeof *r);
    char *lab = NULL;
    if (store_meta_get(cx->st, "lab", &lab) != CC_OK)
        return cc_fail(cause, CC_EINVAL, "lab bind works in a lab database only");
    free(lab);
    return exercise_bind_web(cx, a->computer, a->cert, &r->files, cause);
}

static int
run_lab_snapshot(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_lab_snapshot *a = args;
    struct ops_lab_files *r = result;
    memset(r, 0, sizeof *r);
    int rc = a->path ? labsnap_save(cx, a->path, a->force, cause)
                     : labsnap_save_named(cx, a->name, cause);
    if (rc == CC_OK) {
        r->files = a->path ? cc_strdup(a->path) : labsnap_path(cx->st, a->name);
        if (r->files == NULL)
            rc = CC_ENOMEM;
    }
    return rc;
}

void
ops_lab_restored_free(struct ops_lab_restored *r)
{
    if (r == NULL)
        return;
    labsnap_info_free(&r->info);
}

static int
run_lab_restore(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_lab_restore *a = args;
    struct ops_lab_restored *r = result;
    memset(r, 0, sizeof *r);
    if (a->data != NULL)
        return labsnap_restore(cx->st, a->data, a->n, &r->info, &r->replaced, cause);
    return labsnap_restore_named(cx->st, a->name, &r->info, &r->replaced, cause);
}

static int
run_lab_snapshots(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    memset(result, 0, sizeof(struct strlist));
    return labsnap_list(cx->st, result, cause);
}

void
ops_lab_name_free(struct ops_lab_name *r)
{
    if (r == NULL)
        return;
    free(r->lab);
    r->lab = NULL;
}

static int
run_lab_name(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    (void)cause;
    struct ops_lab_name *r = result;
    r->lab = NULL;
    int rc = store_meta_get(cx->st, "lab", &r->lab);
    if (rc == CC_ENOTFOUND)
        rc = CC_OK;
    return rc == CC_OK ? CC_OK : cc_fail(cause, rc, "%s", cc_strerror(rc));
}

/* ---- the service's own certificate ---- */

static int
run_service_cert(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    memset(result, 0, sizeof(struct svccert));
    if (!ctx_is_system(cx))
        return cc_fail(cause, CC_EACCES,
                       "the HTTPS certificate is the CA service's own: it makes and renews it");
    return svccert_ensure(cx, args, result, cause);
}

/*
 * The service stops as SIGTERM tells it: it takes no new clients, lets
 * those it serves finish and exits. The record lands in ops_call's
 * transaction, so it commits only if the signal was delivered.
 */
static int
run_service_stop(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_service_stop *a = args;
    int rc = audit_record(cx, "ca", "service", "state", "running", "stopped", cause);
    if (rc == CC_OK && (a->pid <= 1 || kill(a->pid, SIGTERM) != 0))
        rc = cc_fail(cause, CC_EIO, "the CA service could not be reached to stop it");
    return rc;
}

/* ---- a new database ---- */

void
ops_ca_init_result_free(struct ops_ca_init_result *r)
{
    if (r == NULL)
        return;
    free(r->lab);
    free(r->dns);
    free(r->netbios);
    memset(r, 0, sizeof *r);
}

/*
 * The domain's Administrator is the account of root and of the Unix user
 * who creates the database (the CA's owner, e.g. the service's user); a CA
 * Administrator maps everyone else (certcon account map).
 */
static int
map_owners(struct store *st, const char *unix_user, char **cause)
{
    struct dir_principal admin = {0};
    int rc = dir_lookup(st, "Administrator", &admin, cause);
    if (rc == CC_OK)
        rc = authz_map_initial(st, "root", admin.id, cause);
    if (rc == CC_OK && unix_user != NULL && strcmp(unix_user, "root") != 0)
        rc = authz_map_initial(st, unix_user, admin.id, cause);
    dir_principal_free(&admin);
    return rc;
}

/*
 * A new domain: its directory, the computer that hosts the CA (a member of
 * the domain, as an enterprise CA's host is: the service's own HTTPS
 * certificate is issued to it), the built-in templates and the owners'
 * mapping, in one go.
 */
static int
init_domain(const struct cc_ctx *cx, const struct ops_ca_init *a, char **cause)
{
    char *nb = NULL;
    const char *netbios = a->netbios;
    if (netbios == NULL) {
        size_t n = strcspn(a->domain, ".");
        if ((nb = malloc(n + 1)) == NULL)
            return CC_ENOMEM;
        for (size_t i = 0; i < n; i++)
            nb[i] = (char)toupper((unsigned char)a->domain[i]);
        nb[n] = '\0';
        netbios = nb;
    }
    int rc = store_begin(cx->st, cause);
    if (rc == CC_OK)
        rc = dir_domain_create(cx, a->domain, netbios, NULL, NULL, cause);
    if (rc == CC_OK)
        rc = dir_add_computer(cx, a->host ? a->host : "CA", NULL, NULL, 0, NULL, cause);
    if (rc == CC_OK)
        rc = template_load_builtins(cx, a->datadir, cause);
    if (rc == CC_OK)
        rc = map_owners(cx->st, a->unix_user, cause);
    if (rc == CC_OK)
        rc = store_commit(cx->st, cause);
    else
        store_rollback(cx->st);
    free(nb);
    return rc;
}

/*
 * Generates the CA key, so no transaction is held around it (changes 0):
 * the domain's set-up and the CA's creation commit their own.
 */
static int
run_ca_init(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_ca_init *a = args;
    struct ops_ca_init_result *r = result;
    memset(r, 0, sizeof *r);
    if (!ctx_is_system(cx))
        return cc_fail(cause, CC_EACCES, "a database is set up by its creator alone (init)");
    struct lab_def def = {0};
    int rc;
    if (a->lab != NULL) {
        rc = lab_init(cx, a->datadir, a->lab, &def, cause);
        if (rc == CC_OK)
            rc = map_owners(cx->st, a->unix_user, cause);
    } else {
        rc = init_domain(cx, a, cause);
    }
    struct authority_params p = {
        .name = a->lab ? def.ca.name : a->ca_name,
        .host = a->host  ? a->host
                : a->lab ? def.ca.host
                         : "CA",
        .edition = a->edition ? a->edition
                   : a->lab   ? def.ca.edition
                              : "Enterprise",
        .key_type = a->key ? a->key : def.ca.key,
        .key_url = a->key_url,
        .passphrase = a->passphrase,
    };
    if (rc == CC_OK)
        rc = authority_create(cx, &p, cause);
    /*
     * lab reset brings the lab back to this moment: keep it (a snapshot
     * holds the CA key file; a key in a token stays out of reach, and such
     * a lab has no reset)
     */
    if (rc == CC_OK && a->lab != NULL && a->key_url == NULL)
        rc = labsnap_save_named(cx, NULL, cause);
    struct dir_domain d = {0};
    if (rc == CC_OK && dir_domain_get(cx->st, &d, NULL) == CC_OK) {
        r->dns = cc_strdup(d.dns);
        r->netbios = cc_strdup(d.netbios);
        r->lab = def.name ? cc_strdup(def.name) : NULL;
        if (r->dns == NULL || r->netbios == NULL || (def.name != NULL && r->lab == NULL))
            rc = CC_ENOMEM;
    }
    dir_domain_free(&d);
    lab_def_free(&def);
    if (rc != CC_OK)
        ops_ca_init_result_free(r);
    return rc;
}

static int
run_ca_changes(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    return store_changes(cx->st, result, cause);
}

/*
 * ca_right 0 here means one of three things, each said beside its entry:
 * anyone who can open the database may read it (as `ca show` and the views
 * always could); the core function decides a right that no one CA right
 * expresses (a CRL: Manage CA or Issue and Manage Certificates; a
 * certificate: its requester or a certificate manager); or no CA role
 * decides it at all (role separation). Publishing signs with the CA key,
 * so it runs outside a write transaction (changes 0) and commits its own.
 */
const struct ops_def ops_ca_defs[] = {
    /* read by anyone */
    {OP_CA_SHOW, "ca.show", "", "ca-info", 0, "read the CA's configuration", 0, run_ca_show},
    {OP_CA_CONFIGURE, "ca.configure", "setting:text value:text ... [principal allow deny ...]", "",
     CA_RIGHT_MANAGE, "change the CA's settings", 1, run_ca_configure},
    {OP_CA_PERMISSIONS, "ca.permissions", "principal:id allow:rights deny:rights ...", "",
     CA_RIGHT_MANAGE, "change the CA's permissions", 1, run_ca_permissions},
    /* read by anyone */
    {OP_CA_ROLES, "ca.roles", "", "ca-roles", 0, "read the CA's roles", 0, run_ca_roles},
    {OP_CA_ROLES_CHANGE, "ca.roles.change", "grant:principal-roles deny:... revoke:...", "",
     CA_RIGHT_MANAGE, "change the CA's permissions", 1, run_ca_roles_change},
    /* the database's owner on the CA host: checked by the operation */
    {OP_CA_ROLE_SEPARATION, "ca.role-separation", "on:bool", "", 0, "set role separation", 1,
     run_ca_role_separation},
    /* Manage CA or Issue and Manage Certificates: crl_publish_kind decides */
    {OP_CRL_PUBLISH, "crl.publish", "kind:crl-kind", "crl", 0, "publish a CRL", 0, run_crl_publish},
    /* read by anyone, as the service's CDP serves it */
    {OP_CRL_LATEST, "crl.latest", "kind:crl-kind", "crl-info", 0, "read the newest CRL", 0,
     run_crl_latest},
    /* the CA database's views: read by anyone who can open the database */
    {OP_REQUEST_LIST, "request.list", "view:cadb-view filter:text", "rows", 0,
     "list the CA database", 0, run_request_list},
    {OP_REQUEST_COUNT, "request.count", "view:cadb-view filter:text", "count", 0,
     "count the CA database's rows", 0, run_request_count},
    {OP_REQUEST_PAGE, "request.page",
     "view:cadb-view filter:text sort:column descending:bool offset:n limit:n", "rows", 0,
     "list the CA database", 0, run_request_page},
    {OP_REQUEST_GET, "request.get", "request:id", "row", 0, "read a request", 0, run_request_get},
    /* its requester, or Issue and Manage Certificates: cadb_retrieve decides */
    {OP_CERT_RETRIEVE, "certificate.retrieve", "serial-or-request:text", "certificate", 0,
     "retrieve a certificate", 0, run_cert_retrieve},
    /* Auditor or CA Administrator: audit_read and audit_check decide */
    {OP_AUDIT_READ, "audit.read", "refused:bool by:principal since:time object:text limit:n",
     "audit-entries", 0, "read the audit log", 0, run_audit_read},
    {OP_AUDIT_VERIFY, "audit.verify", "", "audit-verdict", 0, "verify the audit log", 0,
     run_audit_verify},
    /* anyone, as the service's /ocsp answers anyone; signs, so no write transaction */
    {OP_OCSP_RESPOND, "ocsp.respond", "request:der", "ocsp-response", 0, "answer an OCSP request",
     0, run_ocsp_respond},
    /* no database at all */
    {OP_LINT_CHECK, "lint.check", "data:pem-or-der", "lint-findings", 0,
     "lint certificates and CRLs", 0, run_lint_check},
    {OP_LINT_RULES, "lint.rules", "", "lint-rules", 0, "list the lint's rules", 0, run_lint_rules},
    /* the lab: whoever plays in it (a lab database lets --as play any account) */
    {OP_LAB_EXERCISES, "lab.exercises", "datadir:path", "exercises", 0, "read the lab's exercises",
     0, run_lab_exercises},
    {OP_LAB_STEP, "lab.step", "step:exercise-step", "step-state", 0, "check an exercise step", 0,
     run_lab_step},
    {OP_LAB_COACH, "lab.coach", "exercises:set", "coach-notes", 0, "coach the lab", 0,
     run_lab_coach},
    /* writes files beside the lab, never in a transaction */
    {OP_LAB_BIND, "lab.bind", "computer:principal cert:text", "files", 0,
     "bind a web server certificate", 0, run_lab_bind},
    /* reads the database file whole: writers wait, no transaction of its own */
    {OP_LAB_SNAPSHOT, "lab.snapshot", "name:text path:path force:bool", "path", 0,
     "take a lab snapshot", 0, run_lab_snapshot},
    {OP_LAB_SNAPSHOTS, "lab.snapshots", "", "names", 0, "list the lab's snapshots", 0,
     run_lab_snapshots},
    /* the system context only, which the operation checks: nobody holds a CA role yet */
    {OP_CA_INIT, "ca.init", "lab:name | domain:dns netbios:name ca-name:text ...", "domain", 0,
     "set up a database", 0, run_ca_init},
    /* read by anyone who can open the database */
    {OP_CA_CHANGES, "ca.changes", "", "count", 0, "read the database's change counter", 0,
     run_ca_changes},
    /* read by anyone: what the service publishes of its CA (its name, URLs and certificate) */
    {OP_CA_INFO, "ca.info", "", "ca-settings", 0, "read the CA's settings", 0, run_ca_info},
    {OP_LAB_NAME, "lab.name", "", "name", 0, "tell whether the database is a lab", 0, run_lab_name},
    /* the system context only (the service's schedule), which the operation checks */
    {OP_CRL_PUBLISH_DUE, "crl.publish-due", "", "crl-schedule", 0, "publish the CRLs that are due",
     0, run_crl_publish_due},
    /* the system context only (the service's own work); generates a key and signs */
    {OP_CA_SERVICE_CERT, "ca.service-certificate", "in-use:names-and-validity",
     "certificate-and-key", 0, "make or renew the service's HTTPS certificate", 0,
     run_service_cert},
    {OP_CA_SERVICE_STOP, "ca.service-stop", "pid:process", "", CA_RIGHT_MANAGE,
     "stop the CA service", 1, run_service_stop},
    /* the lab: whoever plays in it; replaces the database file, never in a transaction */
    {OP_LAB_RESTORE, "lab.restore", "name:text | data:snapshot", "snapshot-info", 0,
     "restore the lab from a snapshot", 0, run_lab_restore},
    {.id = 0},
};
