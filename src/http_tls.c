/*
 * The service's HTTPS certificate (see http_tls.h). It is enrolled like
 * any other: a key and a PKCS #10 request made here, submitted through the
 * CA database as the CA host's computer account, so the policy module,
 * the template's permissions, lint and the audit log all apply. Every
 * credential handed to libmicrohttpd stays alive until the process ends:
 * a handshake that began before a renewal may still use the old one.
 * Clients are asked for a certificate of the CA (optional: see
 * http_tls_client_trust).
 */
#include "config.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "authority.h"
#include "cadb.h"
#include "clock.h"
#include "context.h"
#include "directory.h"
#include "http_tls.h"
#include "pkix.h"
#include "request.h"
#include "status.h"
#include "util.h"

struct http_creds {
    gnutls_pcert_st pcert[2]; /* the service's certificate, then the CA's */
    unsigned n;
    gnutls_privkey_t key;
    struct http_creds *older;
};

struct http_tls {
    char *db;
    pthread_mutex_t mu;
    struct http_creds *cur;
    time_t not_before, not_after;
    char *names; /* the names it was issued for: "fqdn base-host" */
};

static struct http_tls *current;

struct http_tls *
http_tls_new(const char *db)
{
    struct http_tls *t = calloc(1, sizeof *t);
    if (t == NULL || (t->db = cc_strdup(db)) == NULL) {
        free(t);
        return NULL;
    }
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
    free(t->db);
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

static int
is_ip(const char *host)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

/* Takes cert (DER) and key (PEM) into t as its current credentials. */
static int
install(struct http_tls *t, const struct pkix_buf *cert, const struct pkix_buf *ca,
        const gnutls_datum_t *key_pem, const char *names, char **cause)
{
    struct http_creds *c = calloc(1, sizeof *c);
    if (c == NULL)
        return CC_ENOMEM;
    gnutls_datum_t d = {cert->p, (unsigned)cert->n}, a = {ca->p, (unsigned)ca->n};
    gnutls_x509_crt_t crt = NULL;
    int err;
    if ((err = gnutls_pcert_import_x509_raw(&c->pcert[0], &d, GNUTLS_X509_FMT_DER, 0)) < 0 ||
        (c->n = 1, err = gnutls_pcert_import_x509_raw(&c->pcert[1], &a, GNUTLS_X509_FMT_DER, 0)) <
            0 ||
        (c->n = 2, err = gnutls_privkey_init(&c->key)) < 0 ||
        (err = gnutls_privkey_import_x509_raw(c->key, key_pem, GNUTLS_X509_FMT_PEM, NULL, 0)) < 0 ||
        (err = gnutls_x509_crt_init(&crt)) < 0 ||
        (err = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER)) < 0) {
        for (unsigned i = 0; i < c->n; i++)
            gnutls_pcert_deinit(&c->pcert[i]);
        if (c->key)
            gnutls_privkey_deinit(c->key);
        free(c);
        if (crt)
            gnutls_x509_crt_deinit(crt);
        return cc_fail(cause, CC_ECRYPTO, "the service's HTTPS certificate is not usable: %s",
                       gnutls_strerror(err));
    }
    time_t nb = gnutls_x509_crt_get_activation_time(crt),
           na = gnutls_x509_crt_get_expiration_time(crt);
    gnutls_x509_crt_deinit(crt);
    char *copy = cc_strdup(names);
    pthread_mutex_lock(&t->mu);
    c->older = t->cur;
    t->cur = c;
    t->not_before = nb;
    t->not_after = na;
    free(t->names);
    t->names = copy;
    pthread_mutex_unlock(&t->mu);
    return CC_OK;
}

/* Whether cert (DER) names every host, is the CA's and is not due for renewal at now. */
static int
still_good(const struct pkix_buf *cert, const struct authority_info *ca, const char *fqdn,
           const char *base, time_t now)
{
    gnutls_x509_crt_t crt, issuer;
    gnutls_datum_t d = {cert->p, (unsigned)cert->n}, a = {ca->cert.p, (unsigned)ca->cert.n};
    if (gnutls_x509_crt_init(&crt) < 0)
        return 0;
    if (gnutls_x509_crt_init(&issuer) < 0) {
        gnutls_x509_crt_deinit(crt);
        return 0;
    }
    int good = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) >= 0 &&
               gnutls_x509_crt_import(issuer, &a, GNUTLS_X509_FMT_DER) >= 0 &&
               gnutls_x509_crt_check_issuer(crt, issuer) &&
               gnutls_x509_crt_check_hostname(crt, fqdn);
    /* an address is matched against the IP address entries (GnuTLS 3.7) */
    if (good && base != NULL)
        good = gnutls_x509_crt_check_hostname(crt, base);
    if (good) {
        time_t nb = gnutls_x509_crt_get_activation_time(crt),
               na = gnutls_x509_crt_get_expiration_time(crt);
        good = now >= nb - AUTHORITY_CLOCK_SKEW && now < nb + (na - nb) / 5 * 4;
    }
    gnutls_x509_crt_deinit(crt);
    gnutls_x509_crt_deinit(issuer);
    return good;
}

/* Enrolls the CA host for a new certificate; *cert DER and *key_pem (gnutls) allocated. */
static int
enroll(const char *db, struct cc_clock clock, const struct authority_info *ca, const char *fqdn,
       const char *base, struct pkix_buf *cert, gnutls_datum_t *key_pem, char **cause)
{
    struct store *st = NULL;
    struct cc_ctx cx = {0};
    struct dir_principal host = {0};
    struct request_params p = {.cn = fqdn};
    gnutls_x509_privkey_t key = NULL;
    struct pkix_buf csr = {0};
    struct cadb_session *s = NULL;
    struct cadb_outcome o = {0};
    int rc = store_open(db, STORE_SERIALIZE, &st, cause);
    if (rc == CC_OK)
        rc = dir_lookup(st, ca->host, &host, cause);
    if (rc != CC_OK)
        goto out;
    /* the CA host asks for its own certificate: its rights, in the audit log under its name */
    if ((rc = ctx_init(&cx, st, host.id, host.name, clock)) != CC_OK)
        goto out;
    if (strlist_add(&p.dns, fqdn) != CC_OK ||
        (base != NULL && !cc_strcaseeq(base, fqdn) &&
         strlist_add(is_ip(base) ? &p.ip : &p.dns, base) != CC_OK)) {
        rc = CC_ENOMEM;
        goto out;
    }
    if ((rc = request_key_generate("rsa:2048", &key, cause)) != CC_OK ||
        (rc = request_build(key, &p, &csr, cause)) != CC_OK ||
        (rc = cadb_session_open(&cx, NULL, &s, cause)) != CC_OK ||
        (rc = cadb_submit(s, &host, HTTP_TLS_TEMPLATE, csr.p, csr.n, &o, cause)) != CC_OK)
        goto out;
    if (o.disposition != DISP_ISSUED) {
        rc = cc_fail(cause, o.status != CC_OK ? o.status : CC_EACCES,
                     "the CA did not issue the service's HTTPS certificate to %s$ from the Web "
                     "Server template (request %lld: %s) The CA host's account needs Enroll "
                     "there: certcon template acl \"Web Server\" --allow '%s$:Enroll'",
                     host.name, (long long)o.request_id, o.message ? o.message : "not issued.",
                     host.name);
        goto out;
    }
    int err = gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN,
                                                key_pem);
    if (err < 0)
        rc = cc_fail(cause, CC_ECRYPTO, "exporting the HTTPS key: %s", gnutls_strerror(err));
    else
        rc = pkix_buf_set(cert, o.cert.p, o.cert.n);
out:
    cadb_outcome_free(&o);
    if (s)
        cadb_session_close(s);
    pkix_buf_free(&csr);
    if (key)
        gnutls_x509_privkey_deinit(key);
    strlist_free(&p.dns);
    strlist_free(&p.ip);
    dir_principal_free(&host);
    ctx_free(&cx);
    if (st)
        store_close(st);
    return rc;
}

int
http_tls_client_trust(struct store *st, char **pem, char **cause)
{
    struct authority_info ca;
    *pem = NULL;
    int rc = authority_info_load(st, &ca, cause);
    if (rc != CC_OK)
        return rc;
    rc = request_pem_encode("CERTIFICATE", ca.cert.p, ca.cert.n, pem, cause);
    authority_info_free(&ca);
    return rc;
}

/* Reads DB.https.pem and DB.https-key.pem; CC_ENOTFOUND when they are not there. */
static int
load_files(const char *certpath, const char *keypath, struct pkix_buf *cert,
           gnutls_datum_t *key_pem)
{
    gnutls_datum_t c = {NULL, 0}, der = {NULL, 0};
    if (gnutls_load_file(certpath, &c) < 0)
        return CC_ENOTFOUND;
    int rc = gnutls_pem_base64_decode2("CERTIFICATE", &c, &der) < 0
                 ? CC_EPARSE
                 : pkix_buf_set(cert, der.data, der.size);
    gnutls_free(c.data);
    gnutls_free(der.data);
    if (rc == CC_OK && gnutls_load_file(keypath, key_pem) < 0)
        rc = CC_ENOTFOUND;
    return rc;
}

int
http_tls_ensure(struct http_tls *t, const struct cc_ctx *cx, int *renewed, char **cause)
{
    struct store *st = cx->st;
    *renewed = 0;
    struct authority_info ca;
    int rc = authority_info_load(st, &ca, cause);
    if (rc != CC_OK)
        return rc;
    char *fqdn = authority_host_fqdn(st, &ca), *base = authority_base_host(&ca);
    char *names = fqdn ? cc_asprintf("%s %s", fqdn, base ? base : "") : NULL;
    char *certpath = cc_asprintf("%s.https.pem", t->db);
    char *keypath = cc_asprintf("%s.https-key.pem", t->db);
    struct pkix_buf cert = {0};
    gnutls_datum_t key = {NULL, 0};
    time_t now = ctx_now(cx);
    if (names == NULL || certpath == NULL || keypath == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    pthread_mutex_lock(&t->mu);
    int fine = t->cur != NULL && t->names != NULL && strcmp(t->names, names) == 0 &&
               now < t->not_before + (t->not_after - t->not_before) / 5 * 4;
    pthread_mutex_unlock(&t->mu);
    if (fine)
        goto out;
    if (t->cur == NULL && load_files(certpath, keypath, &cert, &key) == CC_OK &&
        still_good(&cert, &ca, fqdn, base, now)) {
        rc = install(t, &cert, &ca.cert, &key, names, cause);
        goto out;
    }
    pkix_buf_free(&cert);
    gnutls_free(key.data);
    key.data = NULL;
    if ((rc = enroll(t->db, cx->clock, &ca, fqdn, base, &cert, &key, cause)) != CC_OK)
        goto out;
    char *pem = NULL;
    rc = request_pem_encode("CERTIFICATE", cert.p, cert.n, &pem, cause);
    if (rc == CC_OK)
        rc = cc_write_file(keypath, key.data, key.size, 0600, 1, cause);
    if (rc == CC_OK)
        rc = cc_write_file(certpath, pem, strlen(pem), 0600, 1, cause);
    free(pem);
    if (rc == CC_OK)
        rc = install(t, &cert, &ca.cert, &key, names, cause);
    if (rc == CC_OK)
        *renewed = 1;
out:
    if (key.data) {
        gnutls_memset(key.data, 0, key.size);
        gnutls_free(key.data);
    }
    pkix_buf_free(&cert);
    free(certpath);
    free(keypath);
    free(names);
    free(fqdn);
    free(base);
    authority_info_free(&ca);
    return rc;
}
