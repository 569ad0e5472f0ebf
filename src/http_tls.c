/*
 * The service's HTTPS certificate (see http_tls.h): what to present is the
 * ca.service-certificate operation's to decide, enroll and keep beside the
 * database; this file hands it to libmicrohttpd. Every credential handed
 * over stays alive until the process ends: a handshake that began before
 * a renewal may still use the old one. Clients are asked for a
 * certificate of the CA (optional: see http_tls_client_trust).
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "authority.h"
#include "context.h"
#include "http_tls.h"
#include "ops.h"
#include "pkix.h"
#include "request.h"
#include "status.h"
#include "svccert.h"
#include "util.h"

struct http_creds {
    gnutls_pcert_st pcert[2]; /* the service's certificate, then the CA's */
    unsigned n;
    gnutls_privkey_t key;
    struct http_creds *older;
};

struct http_tls {
    pthread_mutex_t mu;
    struct http_creds *cur;
    time_t not_before, not_after;
    char *names; /* the names it was issued for: "fqdn base-host" */
};

static struct http_tls *current;

struct http_tls *
http_tls_new(void)
{
    struct http_tls *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    pthread_mutex_init(&t->mu, NULL);
    return t;
}

void
http_tls_free(struct http_tls *t)
{
    if (t == NULL)
        return;
    if (current == t)
        current = NULL;
    for (struct http_creds *c = t->cur, *next; c != NULL; c = next) {
        next = c->older;
        for (unsigned i = 0; i < c->n; i++)
            gnutls_pcert_deinit(&c->pcert[i]);
        if (c->key)
            gnutls_privkey_deinit(c->key);
        free(c);
    }
    pthread_mutex_destroy(&t->mu);
    free(t->names);
    free(t);
}

void
http_tls_current(struct http_tls *t)
{
    current = t;
}

int
http_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
                  const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                  gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *pkey)
{
    (void)session;
    (void)req_ca_dn;
    (void)nreqs;
    (void)pk_algos;
    (void)pk_algos_length;
    struct http_tls *t = current;
    if (t == NULL)
        return -1;
    pthread_mutex_lock(&t->mu);
    struct http_creds *c = t->cur;
    if (c != NULL) {
        *pcert = c->pcert;
        *pcert_length = c->n;
        *pkey = c->key;
    }
    pthread_mutex_unlock(&t->mu);
    return c != NULL ? 0 : -1;
}

/* Takes what ca.service-certificate gave into t as its current credentials. */
static int
install(struct http_tls *t, const struct svccert *sc, char **cause)
{
    struct http_creds *c = calloc(1, sizeof *c);
    if (c == NULL)
        return CC_ENOMEM;
    gnutls_datum_t d = {sc->cert.p, (unsigned)sc->cert.n}, a = {sc->ca.p, (unsigned)sc->ca.n},
                   key = {sc->key.p, (unsigned)sc->key.n};
    int err;
    if ((err = gnutls_pcert_import_x509_raw(&c->pcert[0], &d, GNUTLS_X509_FMT_DER, 0)) < 0 ||
        (c->n = 1, err = gnutls_pcert_import_x509_raw(&c->pcert[1], &a, GNUTLS_X509_FMT_DER, 0)) <
            0 ||
        (c->n = 2, err = gnutls_privkey_init(&c->key)) < 0 ||
        (err = gnutls_privkey_import_x509_raw(c->key, &key, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0) {
        for (unsigned i = 0; i < c->n; i++)
            gnutls_pcert_deinit(&c->pcert[i]);
        if (c->key)
            gnutls_privkey_deinit(c->key);
        free(c);
        return cc_fail(cause, CC_ECRYPTO, "the service's HTTPS certificate is not usable: %s",
                       gnutls_strerror(err));
    }
    char *copy = cc_strdup(sc->names);
    pthread_mutex_lock(&t->mu);
    c->older = t->cur;
    t->cur = c;
    t->not_before = sc->not_before;
    t->not_after = sc->not_after;
    free(t->names);
    t->names = copy;
    pthread_mutex_unlock(&t->mu);
    return CC_OK;
}

int
http_tls_client_trust(const struct cc_ctx *cx, char **pem, char **cause)
{
    struct authority_info ca;
    *pem = NULL;
    int rc = ops_call(cx, OP_CA_INFO, NULL, &ca, cause);
    if (rc != CC_OK)
        return rc;
    rc = request_pem_encode("CERTIFICATE", ca.cert.p, ca.cert.n, pem, cause);
    authority_info_free(&ca);
    return rc;
}

int
http_tls_ensure(struct http_tls *t, const struct cc_ctx *cx, int *renewed, char **cause)
{
    *renewed = 0;
    /* only this thread installs: what is in use cannot change under it */
    struct svccert_in_use in_use = {t->cur ? t->names : NULL, t->not_before, t->not_after};
    struct svccert sc;
    int rc = ops_call(cx, OP_CA_SERVICE_CERT, &in_use, &sc, cause);
    if (rc != CC_OK)
        return rc;
    if (sc.fresh && (rc = install(t, &sc, cause)) == CC_OK)
        *renewed = sc.renewed;
    svccert_free(&sc);
    return rc;
}
