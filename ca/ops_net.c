/*
 * Operations on network enrollment: ACME accounts and orders, EST secrets (`acme`, `est`). See
 * ops_net.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "acme.h"
#include "context.h"
#include "est.h"
#include "ops.h"
#include "ops_family.h"
#include "status.h"
#include "template.h"
#include "util.h"

void
ops_acme_accounts_free(struct ops_acme_accounts *l)
{
    if (l == NULL)
        return;
    acme_account_infos_free(l->v, l->n);
    memset(l, 0, sizeof *l);
}

void
ops_acme_orders_free(struct ops_acme_orders *l)
{
    if (l == NULL)
        return;
    acme_order_infos_free(l->v, l->n);
    memset(l, 0, sizeof *l);
}

void
ops_acme_templates_free(struct ops_acme_templates *l)
{
    if (l == NULL)
        return;
    strlist_free(&l->cns);
    strlist_free(&l->names);
}

void
ops_est_secret_result_free(struct ops_est_secret_result *r)
{
    if (r == NULL)
        return;
    if (r->secret) {
        gnutls_memset(r->secret, 0, strlen(r->secret));
        free(r->secret);
    }
    memset(r, 0, sizeof *r);
}

/* ---- ACME ---- */

static int
run_acme_eab_issue(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_acme_eab *a = args;
    return acme_eab_create(cx, a->principal, a->template_name,
                           a->valid ? a->valid : ACME_EAB_VALIDITY, result, cause);
}

static int
run_acme_account_list(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    struct ops_acme_accounts *l = result;
    return acme_accounts_list(cx, &l->v, &l->n, cause);
}

static int
run_acme_order_list(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_acme_account *a = args;
    struct ops_acme_orders *l = result;
    return acme_orders_list(cx, a->id, &l->v, &l->n, cause);
}

static int
run_acme_account_deactivate(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_acme_account *a = args;
    return acme_account_deactivate(cx, a->id, cause);
}

static int
run_acme_template_serve(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_acme_template *a = args;
    return acme_template_set(cx, a->template_name, a->value, cause);
}

static int
run_acme_template_list(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    struct ops_acme_templates *l = result;
    memset(l, 0, sizeof *l);
    struct strlist cns = {0};
    int rc = acme_template_list(cx->st, &cns, cause);
    for (size_t i = 0; rc == CC_OK && i < cns.n; i++) {
        struct template t = {0};
        if (template_load(cx->st, cns.v[i], &t, NULL) != CC_OK)
            continue; /* deleted meanwhile */
        rc = strlist_add(&l->cns, t.cn);
        if (rc == CC_OK)
            rc = strlist_add(&l->names, t.display_name);
        template_free(&t);
    }
    strlist_free(&cns);
    if (rc != CC_OK)
        ops_acme_templates_free(l);
    return rc;
}

/* ---- EST ---- */

static int
run_est_secret_issue(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_est_secret *a = args;
    struct ops_est_secret_result *r = result;
    memset(r, 0, sizeof *r);
    return est_secret_issue(cx, a->principal, a->valid ? a->valid : EST_SECRET_VALIDITY, &r->secret,
                            &r->expires, cause);
}

static int
run_est_secret_revoke(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_est_secret *a = args;
    return est_secret_revoke(cx, a->principal, cause);
}

/*
 * Reading accounts and orders needs Read; the rest Manage CA. An EST
 * secret's hash is many rounds of PBKDF2: est_secret_issue computes it
 * before its own short transaction, so ops_call opens none for it.
 */
void
ops_acme_va_settings_free(struct ops_acme_va_settings *r)
{
    if (r == NULL)
        return;
    free(r->resolver);
    memset(r, 0, sizeof *r);
}

/* Whether the CA uses ACME: the console shows its ACME node only then. */
static int
run_acme_in_use(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    (void)cause;
    *(int *)result = acme_in_use(cx->st);
    return CC_OK;
}

static int
run_acme_va_settings(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    struct ops_acme_va_settings *r = result;
    memset(r, 0, sizeof *r);
    r->http_port = 80;
    r->tls_port = 443;
    char *v = NULL;
    int rc = acme_config_get(cx->st, "acme-resolver", &v, cause);
    if (rc == CC_OK && v != NULL && *v != '\0') {
        r->resolver = v;
        v = NULL;
    }
    free(v);
    v = NULL;
    if (rc == CC_OK && (rc = acme_config_get(cx->st, "acme-http-port", &v, cause)) == CC_OK &&
        v != NULL && *v != '\0')
        r->http_port = atoi(v);
    free(v);
    v = NULL;
    if (rc == CC_OK && (rc = acme_config_get(cx->st, "acme-tls-port", &v, cause)) == CC_OK &&
        v != NULL && *v != '\0')
        r->tls_port = atoi(v);
    free(v);
    if (rc != CC_OK)
        ops_acme_va_settings_free(r);
    return rc;
}

const struct ops_def ops_net_defs[] = {
    {OP_ACME_EAB_ISSUE, "acme.eab.issue", "principal:name template:name valid:period", "eab-key",
     CA_RIGHT_MANAGE, "issue External Account Binding keys", 1, run_acme_eab_issue},
    {OP_ACME_ACCOUNT_LIST, "acme.account.list", "", "acme-accounts", CA_RIGHT_READ,
     "list the ACME accounts", 0, run_acme_account_list},
    {OP_ACME_ORDER_LIST, "acme.order.list", "account:id", "acme-orders", CA_RIGHT_READ,
     "list an ACME account's orders", 0, run_acme_order_list},
    {OP_ACME_ACCOUNT_DEACTIVATE, "acme.account.deactivate", "account:id", "", CA_RIGHT_MANAGE,
     "deactivate an ACME account", 1, run_acme_account_deactivate},
    {OP_EST_SECRET_ISSUE, "est.secret.issue", "principal:name valid:period", "est-secret",
     CA_RIGHT_MANAGE, "issue an EST enrollment secret", 0, run_est_secret_issue},
    {OP_EST_SECRET_REVOKE, "est.secret.revoke", "principal:name", "", CA_RIGHT_MANAGE,
     "revoke an EST enrollment secret", 1, run_est_secret_revoke},
    {OP_ACME_TEMPLATE_SERVE, "acme.template.serve", "template:name value:on-off", "",
     CA_RIGHT_MANAGE, "serve a template over ACME", 1, run_acme_template_serve},
    {OP_ACME_TEMPLATE_LIST, "acme.template.list", "", "templates", CA_RIGHT_READ,
     "list the templates served over ACME", 0, run_acme_template_list},
    {OP_ACME_IN_USE, "acme.in-use", "", "flag", 0, "tell whether the CA uses ACME", 0,
     run_acme_in_use},
    {OP_ACME_VA_SETTINGS, "acme.validation.settings", "", "acme-validation", CA_RIGHT_READ,
     "read how ACME validation reaches names", 0, run_acme_va_settings},
    {.id = 0},
};
