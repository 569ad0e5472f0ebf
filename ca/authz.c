/*
 * Authorization: one function decides every request that needs a right,
 * and one resolves who is asking. See authz.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gnutls/x509.h>

#include "acl.h"
#include "audit.h"
#include "authority.h"
#include "authz.h"
#include "certinfo.h"
#include "certstore.h"
#include "clock.h"
#include "context.h"
#include "status.h"
#include "template.h"
#include "util.h"

#define OID_REQUEST_AGENT "1.3.6.1.4.1.311.20.2.1"

/* The CA roles role separation counts (ADCS-SPEC 5.1 and its local rights). */
static const struct {
    unsigned bit;
    const char *name;
} roles[] = {
    {CA_RIGHT_MANAGE, "CA Administrator"},
    {CA_RIGHT_OFFICER, "Certificate Manager"},
    {CA_RIGHT_AUDIT, "Auditor"},
    {CA_RIGHT_BACKUP, "Backup Operator"},
};

int
authz_is_lab(struct store *st)
{
    char *lab = NULL;
    int is = store_meta_get(st, "lab", &lab) == CC_OK;
    free(lab);
    return is;
}

int
authz_role_separation(struct store *st)
{
    char *v = NULL;
    int on = store_meta_get(st, "role_separation", &v) == CC_OK && strcmp(v, "1") == 0;
    free(v);
    return on;
}

int
authz_set_role_separation(struct store *st, int on, char **cause)
{
    return store_meta_set(st, "role_separation", on ? "1" : "0", cause);
}

/* The names of the CA roles in rights ("CA Administrator, Auditor"); allocated. */
static char *
role_names(unsigned rights, size_t *count)
{
    struct strlist l = {0};
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (rights & roles[i].bit)
            strlist_add(&l, roles[i].name);
    *count = l.n;
    char *s = strlist_join(&l, ", ");
    strlist_free(&l);
    return s;
}

/* The acting account's token and CA rights. */
struct caller {
    int64_t id;
    const char *name;
    int64_t *token;
    size_t ntoken;
    unsigned ca_rights;
};

static int
caller_load(const struct cc_ctx *cx, struct caller *c, char **cause)
{
    struct store *st = cx->st;
    memset(c, 0, sizeof *c);
    c->id = cx->who;
    c->name = cx->who_name;
    int rc = dir_token(st, c->id, &c->token, &c->ntoken, cause);
    if (rc == CC_OK)
        c->ca_rights = authority_rights(st, c->token, c->ntoken);
    return rc;
}

static int
role_conflict(struct store *st, const char *name, unsigned rights, char **cause)
{
    if (!authz_role_separation(st))
        return CC_OK;
    size_t n = 0;
    char *held = role_names(rights, &n);
    int rc = CC_OK;
    if (n > 1)
        rc = cc_fail(cause, CC_EACCES,
                     "role separation is on and %s holds more than one CA role (%s): "
                     "every action is refused until it holds one",
                     name, held ? held : "?");
    free(held);
    return rc;
}

static const char *
principal_name(struct store *st, int64_t id, char **owned)
{
    struct dir_principal p = {0};
    *owned = NULL;
    if (dir_get(st, id, &p, NULL) == CC_OK)
        *owned = dir_qualified_name(st, &p);
    dir_principal_free(&p);
    return *owned ? *owned : "another principal";
}

/* Whether der names the Certificate Request Agent purpose. */
static int
names_request_agent(const struct pkix_buf *der)
{
    gnutls_x509_crt_t crt;
    int found = 0;
    if (gnutls_x509_crt_init(&crt) < 0)
        return 0;
    gnutls_datum_t d = {der->p, (unsigned)der->n};
    if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) >= 0) {
        char oid[128];
        size_t len = sizeof oid;
        for (unsigned k = 0; !found && gnutls_x509_crt_get_key_purpose_oid(crt, k, oid, &len,
                                                                            NULL) >= 0;
             k++, len = sizeof oid)
            found = strcmp(oid, OID_REQUEST_AGENT) == 0;
    }
    gnutls_x509_crt_deinit(crt);
    return found;
}

/*
 * Whether the caller's Personal store holds a Certificate Request Agent
 * certificate whose whole path is good now: in its validity, signed by a
 * trusted issuer and not revoked by this CA (certinfo_path, the viewer's
 * Certification Path).
 */
static int
holds_agent_certificate(const struct cc_ctx *cx, int64_t caller)
{
    struct certstore_entry *v = NULL;
    size_t n = 0;
    if (certstore_list(cx, caller, CERTSTORE_MY, &v, &n, NULL) != CC_OK)
        return 0;
    int found = 0;
    for (size_t i = 0; i < n && !found; i++) {
        if (v[i].principal != caller || !names_request_agent(&v[i].der))
            continue;
        struct certinfo_link *path = NULL;
        size_t links = 0;
        if (certinfo_path(cx, v[i].der.p, v[i].der.n, ctx_now(cx), &path, &links, NULL) != CC_OK)
            continue;
        found = links > 0;
        for (size_t k = 0; k < links; k++)
            found = found && path[k].status == CERTINFO_OK;
        certinfo_path_free(path, links);
    }
    certstore_list_free(v, n);
    return found;
}

/* Whether the template requires an enrollment agent's signature. */
static int
template_takes_agent(const struct template *t)
{
    if (t == NULL || t->ra_signature < 1)
        return 0;
    for (size_t i = 0; i < t->ra_app_policies.n; i++)
        if (strcmp(t->ra_app_policies.v[i], OID_REQUEST_AGENT) == 0)
            return 1;
    return 0;
}

int
authz_agent_for(const struct cc_ctx *cx, const struct template *t)
{
    return template_takes_agent(t) && holds_agent_certificate(cx, cx->who);
}

static int
decide(const struct cc_ctx *cx, struct caller *c, enum authz_what what,
       const struct authz_target *t, char **cause)
{
    struct store *st = cx->st;
    const char *doing = t && t->what ? t->what : "do this";
    char *other = NULL;
    int rc = CC_OK;
    switch (what) {
    case AUTHZ_CA:
        if ((c->ca_rights & t->rights) != t->rights) {
            char *need = authority_rights_format(t->rights);
            rc = cc_fail(cause, CC_EACCES, "%s needs the CA permission '%s' to %s", c->name,
                         need ? need : "?", doing);
            free(need);
        }
        break;
    case AUTHZ_TEMPLATE:
        if (!(acl_effective(&t->template->acl, c->token, c->ntoken, NULL) & t->rights))
            rc = cc_fail(cause, CC_EACCES, "%s '%s': access denied: %s does not have %s permission",
                         doing, t->template->display_name, c->name, acl_right_name(t->rights));
        break;
    case AUTHZ_DIRECTORY:
        if (!dir_token_has_rid(st, c->id, RID_DOMAIN_ADMINS) &&
            !dir_token_has_rid(st, c->id, RID_ENTERPRISE_ADMINS))
            rc = cc_fail(cause, CC_EACCES,
                         "%s: access denied: %s is not a member of Domain Admins or Enterprise "
                         "Admins",
                         doing, c->name);
        break;
    case AUTHZ_REQUEST_FOR:
        if (t->principal == c->id || (c->ca_rights & CA_RIGHT_MANAGE))
            break;
        if (template_takes_agent(t->template) && holds_agent_certificate(cx, c->id))
            break;
        rc = cc_fail(cause, CC_EACCES,
                     "%s may not request certificates for %s: that needs the CA Administrator "
                     "role, or an enrollment agent certificate (Certificate Request Agent) and a "
                     "template that requires its signature",
                     c->name, principal_name(st, t->principal, &other));
        break;
    case AUTHZ_READ_STORE:
    case AUTHZ_EXPORT_KEY:
    case AUTHZ_RUN_AS:
        if (t->principal == c->id || (c->ca_rights & CA_RIGHT_MANAGE))
            break;
        rc = cc_fail(cause, CC_EACCES, "%s may not %s %s: that needs the CA Administrator role",
                     c->name,
                     what == AUTHZ_READ_STORE   ? "read the certificate stores of"
                     : what == AUTHZ_EXPORT_KEY ? "export the private key of"
                                                : "act as",
                     principal_name(st, t->principal, &other));
        break;
    case AUTHZ_READ_AUDIT:
        if (!(c->ca_rights & (CA_RIGHT_AUDIT | CA_RIGHT_MANAGE)))
            rc = cc_fail(cause, CC_EACCES,
                         "%s needs the Auditor or CA Administrator role to read the audit log",
                         c->name);
        break;
    }
    free(other);
    return rc;
}

/*
 * Records a refusal in the audit log: what was asked, of which object, and
 * the right that was missing (the caller's sentence is not repeated). A caller that passes no cause only asks (a
 * command trying two rights in turn); nothing is recorded for it.
 */
static void
record_refusal(const struct cc_ctx *cx, enum authz_what what, const struct authz_target *t,
               int role_conflict_refused)
{
    struct store *st = cx->st;
    char *object = NULL, *right = NULL;
    const char *kind = "ca", *obj = "CA", *need = NULL;
    if (role_conflict_refused) {
        need = "a single CA role (role separation)";
    } else {
        switch (what) {
        case AUTHZ_CA:
            need = right = authority_rights_format(t->rights);
            break;
        case AUTHZ_TEMPLATE:
            kind = "template";
            obj = t->template->cn;
            need = acl_right_name(t->rights);
            break;
        case AUTHZ_DIRECTORY:
            kind = "directory";
            obj = "";
            need = "Domain Admins or Enterprise Admins membership";
            break;
        case AUTHZ_REQUEST_FOR:
            kind = "request";
            need = "CA Administrator, or an enrollment agent on a template asking for one";
            break;
        case AUTHZ_READ_STORE:
        case AUTHZ_EXPORT_KEY:
        case AUTHZ_RUN_AS:
            kind = what == AUTHZ_READ_STORE ? "store" : what == AUTHZ_EXPORT_KEY ? "key" : "principal";
            need = "CA Administrator";
            break;
        case AUTHZ_READ_AUDIT:
            kind = "audit";
            obj = "";
            need = "Auditor or CA Administrator";
            break;
        }
        if (what == AUTHZ_REQUEST_FOR || what == AUTHZ_READ_STORE || what == AUTHZ_EXPORT_KEY ||
            what == AUTHZ_RUN_AS)
            obj = principal_name(st, t->principal, &object);
    }
    audit_refused(cx, kind, obj, t && t->what ? t->what : kind, need, NULL);
    free(object);
    free(right);
}

int
authz_check(const struct cc_ctx *cx, enum authz_what what, const struct authz_target *t,
            char **cause)
{
    struct store *st = cx->st;
    if (ctx_is_system(cx)) /* the database's own set-up, the service's schedules */
        return CC_OK;
    struct caller c;
    int rc = caller_load(cx, &c, cause);
    int conflict = 0;
    if (rc == CC_OK)
        conflict = (rc = role_conflict(st, c.name, c.ca_rights, cause)) != CC_OK;
    if (rc == CC_OK)
        rc = decide(cx, &c, what, t, cause);
    if (rc == CC_EACCES && cause != NULL)
        record_refusal(cx, what, t, conflict);
    free(c.token);
    return rc;
}

/* ---- who is asking ------------------------------------------------------------------- */

static int
mapped_account(struct store *st, const char *unix_user, char **account)
{
    *account = NULL;
    if (unix_user == NULL)
        return CC_ENOTFOUND;
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT p.name FROM account_map m JOIN principal p ON p.id = "
                           "m.principal_id WHERE m.unix_user = ?1",
                           &q, NULL);
    if (rc != CC_OK)
        return rc;
    store_bind_text(q, 1, unix_user);
    rc = CC_ENOTFOUND;
    if (store_step(q, NULL) == STORE_ROW) {
        *account = cc_strdup(store_col_text(q, 0));
        rc = *account ? CC_OK : CC_ENOMEM;
    }
    store_finalize(q);
    return rc;
}

int
authz_resolve(struct store *st, const struct authz_caller *c, struct dir_principal *out,
              int *ignored_config, char **cause)
{
    char *mapped = NULL, *fallback = NULL;
    const char *who = NULL;
    int rc = CC_OK;
    *ignored_config = 0;
    int mrc = mapped_account(st, c->unix_user, &mapped);
    if (mrc != CC_OK && mrc != CC_ENOTFOUND)
        return cc_fail(cause, mrc, "cannot read the account map");
    if (authz_is_lab(st)) {
        who = c->as ? c->as : c->config_account ? c->config_account : mapped;
        if (who == NULL && store_meta_get(st, "default_account", &fallback) == CC_OK)
            who = fallback;
        if (who == NULL)
            rc = cc_fail(cause, CC_EACCES,
                         "no acting account: use --as, or set 'account' in certcon.conf");
    } else if (c->as != NULL) {
        rc = cc_fail(cause, CC_EACCES,
                     "--as chooses the acting account only in a lab database; in this one "
                     "you act as the account your Unix user is mapped to (certcon account "
                     "list)");
    } else {
        *ignored_config = c->config_account != NULL;
        who = mapped;
        if (who == NULL)
            rc = cc_fail(cause, CC_EACCES,
                         "the Unix user '%s' is not mapped to an account of this CA's "
                         "directory; a CA Administrator maps it with 'certcon account map "
                         "%s ACCOUNT'",
                         c->unix_user ? c->unix_user : "?", c->unix_user ? c->unix_user : "USER");
    }
    if (rc == CC_OK && (rc = dir_lookup(st, who, out, cause)) == CC_OK &&
        (out->kind == DIR_GROUP || out->kind == DIR_WELLKNOWN)) {
        rc = cc_fail(cause, CC_EINVAL, "acting account: %s is a group, not an account",
                     out->name);
        dir_principal_free(out);
    }
    free(mapped);
    free(fallback);
    if (rc != CC_OK || !c->role_check)
        return rc;
    int64_t *token = NULL;
    size_t n = 0;
    if ((rc = dir_token(st, out->id, &token, &n, cause)) == CC_OK) {
        char *q = dir_qualified_name(st, out);
        rc = role_conflict(st, q ? q : out->name, authority_rights(st, token, n), cause);
        free(q);
    }
    free(token);
    if (rc != CC_OK)
        dir_principal_free(out);
    return rc;
}

/* ---- acting for another account's stores ---- */

int
authz_act_for(const struct cc_ctx *cx, int64_t principal, struct cc_ctx *out, char **cause)
{
    struct store *st = cx->st;
    memset(out, 0, sizeof *out);
    int64_t me = cx->who;
    if (principal == me || ctx_is_system(cx))
        return ctx_copy(out, cx);
    struct dir_principal p = {0};
    int rc = dir_get(st, principal, &p, cause);
    if (rc != CC_OK)
        return rc;
    if (p.kind != DIR_USER && p.kind != DIR_COMPUTER) {
        rc = cc_fail(cause, CC_EINVAL, "%s is a group: only users and computers hold certificates",
                     p.name);
    } else if (authz_is_lab(st)) {
        char *q = dir_qualified_name(st, &p);
        rc = q ? ctx_init_as(out, cx, p.id, q) : CC_ENOMEM;
        free(q);
    } else {
        struct authz_target t = {.principal = p.id,
                                 .what = "manage another account's certificates"};
        char *why = NULL; /* asked with a cause, so that the refusal is recorded */
        if ((rc = authz_check(cx, AUTHZ_READ_STORE, &t, &why)) != CC_OK) {
            char *me_name = NULL;
            free(why);
            rc = cc_fail(cause, CC_EACCES,
                         "%s may not manage the certificates of %s: in a production database "
                         "that needs the CA Administrator role (in a lab database any account "
                         "may be played)",
                         principal_name(st, me, &me_name), p.name);
            free(me_name);
        } else {
            rc = ctx_copy(out, cx);
        }
    }
    dir_principal_free(&p);
    return rc;
}

/* ---- the account map ----------------------------------------------------------------- */

static int
valid_unix_user(const char *u, char **cause)
{
    size_t n = strlen(u);
    if (n == 0 || n > 32 || u[0] == '-')
        return cc_fail(cause, CC_EINVAL, "'%s' is not a Unix user name", u);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)u[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-' || ch == '.' || (ch == '$' && i == n - 1)))
            return cc_fail(cause, CC_EINVAL, "'%s' is not a Unix user name", u);
    }
    return CC_OK;
}

int
authz_map_initial(struct store *st, const char *unix_user, int64_t principal, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "INSERT INTO account_map (unix_user, principal_id) VALUES (?1, ?2) "
                           "ON CONFLICT (unix_user) DO UPDATE SET principal_id = ?2",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_text(q, 1, unix_user);
    store_bind_int64(q, 2, principal);
    if (store_step(q, NULL) != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    return rc;
}

int
authz_map(const struct cc_ctx *cx, const char *unix_user, const char *principal, char **cause)
{
    struct store *st = cx->st;
    struct authz_target t = {.rights = CA_RIGHT_MANAGE, .what = "map Unix users to accounts"};
    int rc = valid_unix_user(unix_user, cause);
    if (rc == CC_OK)
        rc = authz_check(cx, AUTHZ_CA, &t, cause);
    if (rc != CC_OK)
        return rc;
    struct dir_principal p = {0};
    if ((rc = dir_lookup(st, principal, &p, cause)) != CC_OK)
        return rc;
    if (p.kind == DIR_GROUP || p.kind == DIR_WELLKNOWN) {
        rc = cc_fail(cause, CC_EINVAL, "%s is a group; a Unix user maps to a user or a computer",
                     p.name);
        dir_principal_free(&p);
        return rc;
    }
    char *old = NULL;
    mapped_account(st, unix_user, &old);
    char *q = dir_qualified_name(st, &p);
    if ((rc = store_begin(st, cause)) == CC_OK) {
        rc = authz_map_initial(st, unix_user, p.id, cause);
        if (rc == CC_OK)
            rc = audit_record(cx, "account", unix_user, "maps to", old, q ? q : p.name, cause);
        rc = store_finish(st, rc, cause);
    }
    free(old);
    free(q);
    dir_principal_free(&p);
    return rc;
}

int
authz_unmap(const struct cc_ctx *cx, const char *unix_user, char **cause)
{
    struct store *st = cx->st;
    struct authz_target t = {.rights = CA_RIGHT_MANAGE, .what = "map Unix users to accounts"};
    int rc = authz_check(cx, AUTHZ_CA, &t, cause);
    if (rc != CC_OK)
        return rc;
    char *old = NULL;
    if (mapped_account(st, unix_user, &old) != CC_OK)
        return cc_fail(cause, CC_ENOTFOUND, "the Unix user '%s' is not mapped", unix_user);
    struct store_stmt *q;
    if ((rc = store_begin(st, cause)) == CC_OK) {
        if ((rc = store_prepare(st, "DELETE FROM account_map WHERE unix_user = ?1", &q, cause)) ==
            CC_OK) {
            store_bind_text(q, 1, unix_user);
            if (store_step(q, NULL) != STORE_DONE)
                rc = store_error(st, cause);
            store_finalize(q);
        }
        if (rc == CC_OK)
            rc = audit_record(cx, "account", unix_user, "maps to", old, NULL, cause);
        rc = store_finish(st, rc, cause);
    }
    free(old);
    return rc;
}

int
authz_mappings(struct store *st, struct authz_mapping **out, size_t *n, char **cause)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT m.unix_user, m.principal_id FROM account_map m "
                           "ORDER BY m.unix_user",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    while (rc == CC_OK && store_step(q, NULL) == STORE_ROW) {
        struct authz_mapping *v = realloc(*out, (*n + 1) * sizeof *v);
        if (v == NULL) {
            rc = CC_ENOMEM;
            break;
        }
        *out = v;
        struct authz_mapping *m = &v[(*n)++];
        m->unix_user = cc_strdup(store_col_text(q, 0));
        struct dir_principal p = {0};
        m->account = dir_get(st, store_col_int64(q, 1), &p, NULL) == CC_OK
                         ? dir_qualified_name(st, &p)
                         : NULL;
        dir_principal_free(&p);
    }
    store_finalize(q);
    if (rc != CC_OK) {
        authz_mappings_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

void
authz_mappings_free(struct authz_mapping *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].unix_user);
        free(v[i].account);
    }
    free(v);
}
