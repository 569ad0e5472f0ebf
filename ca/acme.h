/*
 * ACME (RFC 8555) as a function from a request to a response: the HTTP
 * side of the service (src/http.c) hands it the method, the path after
 * /acme, the few headers it needs and the body, and sends back what it
 * returns. No sockets here: the network parts of validation (an HTTP
 * fetch, a TLS-ALPN handshake, a DNS lookup) are callbacks the caller
 * supplies (src/acme_va.c).
 *
 * Every account is bound to a directory principal, by External Account
 * Binding (`certcon acme eab --for P`), and orders are issued through the
 * enterprise policy module as that principal (cadb_submit): the template's
 * ACL, the CA's Templates to Issue, the subject rules, approval and lint
 * apply exactly as in the console, and refusals are Failed Requests with
 * their AD CS code, mapped to RFC 8555 problem types.
 */
#ifndef CERTCON_ACME_H
#define CERTCON_ACME_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store.h"
#include "util.h"

struct cc_ctx;

struct acme_request {
    const char *method;       /* GET, HEAD or POST */
    const char *path;         /* after "/acme": "/directory", "/WebServer/new-order", ... */
    const char *base;         /* scheme, host and base path: "https://127.0.0.1:8443" */
    const char *content_type; /* may be NULL */
    const void *body;
    size_t body_len;
    int tls; /* came over HTTPS; plain HTTP is served only by a lab database */
};

struct acme_response {
    unsigned status;
    const char *type; /* static */
    char *body;       /* allocated, body_len bytes */
    size_t body_len;
    char *nonce;      /* Replay-Nonce; every response has one unless the store failed */
    char *location;   /* Location, or NULL */
    char *link_up;    /* Link: <...>;rel="up", or NULL */
    char *link_index; /* Link: <...>;rel="index", or NULL */
    int retry_after;  /* seconds; 0: no Retry-After */
};
void acme_response_free(struct acme_response *r);

/*
 * Validation of challenges over the network (src/acme_va.c). Each returns
 * CC_OK when the proof was found, else a status with a cause saying what
 * was found instead. NULL: that challenge type is not offered.
 */
struct acme_va {
    void *arg;
    /* http-01: GET http://name/.well-known/acme-challenge/TOKEN must be key_auth */
    int (*http01)(void *arg, const char *name, const char *token, const char *key_auth,
                  char **cause);
    /* dns-01: a TXT of _acme-challenge.name must be digest (base64url SHA-256 of key_auth) */
    int (*dns01)(void *arg, const char *name, const char *digest, char **cause);
    /* tls-alpn-01: name's certificate for ALPN acme-tls/1 carries the acmeIdentifier of sha256 */
    int (*tlsalpn01)(void *arg, const char *name, const unsigned char sha256[32], char **cause);
};

/*
 * Answers one request in cx (the HTTP side's context, which speaks for no
 * one): once a request proves an account (its key, its External Account
 * Binding), what it does runs in a context of the account's principal,
 * made here and gone with the answer; cx is never changed. Fills r in
 * every case (a problem document when the request is refused); returns
 * CC_OK, or an error only when not even a response could be made (memory).
 */
int acme_handle(const struct cc_ctx *cx, const struct acme_va *va, const struct acme_request *q,
                struct acme_response *r);

/* ---- administration: `template set T acme`, `ca set acme-*`, `acme eab` ---- */

/* Whether template (cn or display name) is served over ACME; on or off (CA Administrator). */
int acme_template_set(const struct cc_ctx *cx, const char *template_name, const char *value,
                      char **cause);
/* "on" or "off" (allocated), NULL when the template does not exist. */
char *acme_template_get(struct store *st, const char *template_name);
/* The templates served over ACME (their cn), by name. */
int acme_template_list(struct store *st, struct strlist *cns, char **cause);
/* Whether this CA uses ACME: a template is served over it, or an account was made. */
int acme_in_use(struct store *st);

/*
 * acme-default T, acme-eab required|optional, acme-anonymous P|'',
 * acme-resolver ADDR:PORT|'', acme-http-port N|'', acme-tls-port N|''
 */
int acme_config_set(const struct cc_ctx *cx, const char *setting, const char *value, char **cause);
/* Whether setting is one acme_config_set knows. */
int acme_config_is_setting(const char *setting);
/* The stored value of a setting (allocated; "" when unset). */
int acme_config_get(struct store *st, const char *setting, char **value, char **cause);

struct acme_eab_key {
    char kid[32];  /* key identifier (base64url) */
    char hmac[48]; /* base64url of the 32-byte HMAC key: shown once */
    time_t expires;
    char *principal;   /* qualified name */
    char *template_cn; /* NULL: any ACME template */
};
/*
 * A new External Account Binding key for principal, usable for one
 * account until now + valid seconds, optionally only for one template.
 * CA Administrator.
 */
int acme_eab_create(const struct cc_ctx *cx, const char *principal, const char *template_name,
                    int64_t valid, struct acme_eab_key *out, char **cause);
void acme_eab_key_free(struct acme_eab_key *k);
/* How long an External Account Binding key may be used by default: 7 days. */
#define ACME_EAB_VALIDITY (7 * 86400)

/* An ACME account as the CA's administrator sees it. */
struct acme_account_info {
    int64_t id;
    char *principal;   /* the directory account it requests as, qualified (CONTOSO\SERVER1$) */
    char *thumbprint;  /* RFC 7638 thumbprint of its key, base64url */
    char *template_cn; /* the template it is bound to, or NULL: any ACME template */
    char *status;      /* valid, deactivated */
    time_t created;
    int64_t orders;
};
void acme_account_infos_free(struct acme_account_info *v, size_t n);
/* The ACME accounts, oldest first. */
int acme_accounts_list(const struct cc_ctx *cx, struct acme_account_info **v, size_t *n,
                       char **cause);

/* An order of an account. */
struct acme_order_info {
    int64_t id;
    char *status;       /* pending, ready, processing, valid, invalid */
    char *names;        /* its identifiers, comma-separated */
    char *template_cn;  /* the template it orders from */
    char *serial;       /* the certificate's, or NULL */
    int64_t request_id; /* the CA database's request, or 0 before finalize */
    time_t created;
};
void acme_order_infos_free(struct acme_order_info *v, size_t n);
/* Account id's orders, oldest first; CC_ENOTFOUND when there is no such account. */
int acme_orders_list(const struct cc_ctx *cx, int64_t account, struct acme_order_info **v,
                     size_t *n, char **cause);

/*
 * Deactivates account id (RFC 8555 7.3.6) for the CA's administrator: from
 * then on its key is refused, so it orders, revokes and changes nothing
 * more; audited. CC_ENOTFOUND, or CC_E_BAD_REQUESTSTATUS when it is not
 * valid any more.
 */
int acme_account_deactivate(const struct cc_ctx *cx, int64_t id, char **cause);

/* base64url without padding (RFC 7515 2); allocated. */
char *acme_b64url_encode(const void *p, size_t n);
/* Decodes base64url (no padding); CC_EINVAL when it is not. *out allocated. */
int acme_b64url_decode(const char *s, size_t len, unsigned char **out, size_t *n);

#endif
