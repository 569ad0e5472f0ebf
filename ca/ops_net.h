/*
 * Operations on network enrollment: ACME accounts and orders, EST secrets (`acme`, `est`). Included
 * by ops.h.
 *
 * The protocols themselves (ca/acme.c, ca/est.c) answer clients of the CA
 * service and act as the account a request proves; these are the CA
 * administrator's side of them: the keys and secrets that bind a client to
 * a directory account, and the ACME accounts made with them.
 */
#ifndef CERTCON_OPS_NET_H
#define CERTCON_OPS_NET_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "acme.h"
#include "util.h"

/* acme.eab.issue: an External Account Binding key for principal */
struct ops_acme_eab {
    const char *principal;     /* the user or computer the account will request as */
    const char *template_name; /* bind the account to this ACME template; NULL: any */
    int64_t valid;             /* seconds the key may be used; 0: ACME_EAB_VALIDITY */
};
/* result: struct acme_eab_key (acme_eab_key_free); its HMAC key is nowhere else */

/* acme.account.list: result ops_acme_accounts */
struct ops_acme_accounts {
    struct acme_account_info *v;
    size_t n;
};
void ops_acme_accounts_free(struct ops_acme_accounts *l);

/* acme.order.list and acme.account.deactivate: an account by id */
struct ops_acme_account {
    int64_t id;
};
/* acme.order.list's result */
struct ops_acme_orders {
    struct acme_order_info *v;
    size_t n;
};
void ops_acme_orders_free(struct ops_acme_orders *l);

/* acme.template.serve (`template set T acme on|off`): whether template is served over ACME */
struct ops_acme_template {
    const char *template_name;
    const char *value; /* "on" or "off" */
};

/* acme.template.list: the templates served over ACME, by name */
struct ops_acme_templates {
    struct strlist cns;   /* their cn */
    struct strlist names; /* their display names, in the same order */
};
void ops_acme_templates_free(struct ops_acme_templates *l);

/* est.secret.issue and est.secret.revoke (which reads only principal) */
struct ops_est_secret {
    const char *principal;
    int64_t valid; /* seconds; 0: EST_SECRET_VALIDITY */
};
/* est.secret.issue's result: the secret, shown once (the database keeps a hash) */
struct ops_est_secret_result {
    char *secret;
    time_t expires;
};
/* Wipes and frees the secret. */
void ops_est_secret_result_free(struct ops_est_secret_result *r);
/* acme.validation.settings: how the service's validation reaches a name */
struct ops_acme_va_settings {
    char *resolver; /* ADDR:PORT of the DNS server to ask, or NULL: the system's */
    int http_port;  /* http-01 (80) */
    int tls_port;   /* tls-alpn-01 (443) */
};
void ops_acme_va_settings_free(struct ops_acme_va_settings *r);

enum {
    OP_ACME_EAB_ISSUE = OPS_NET_BASE, /* args ops_acme_eab, result acme_eab_key */
    OP_ACME_ACCOUNT_LIST,             /* no args, result ops_acme_accounts */
    OP_ACME_ORDER_LIST,               /* args ops_acme_account, result ops_acme_orders */
    OP_ACME_ACCOUNT_DEACTIVATE,       /* args ops_acme_account, no result */
    OP_EST_SECRET_ISSUE,              /* args ops_est_secret, result ops_est_secret_result */
    OP_EST_SECRET_REVOKE,             /* args ops_est_secret (principal), no result */
    OP_ACME_TEMPLATE_SERVE,           /* args ops_acme_template, no result */
    OP_ACME_TEMPLATE_LIST,            /* no args, result ops_acme_templates */
    OP_ACME_IN_USE,                   /* no args, result int: a template served or an account */
    OP_ACME_VA_SETTINGS,              /* no args, result ops_acme_va_settings */
};

#endif
