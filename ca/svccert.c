/*
 * The CA service's HTTPS certificate (see svccert.h). It is enrolled like
 * any other: a key and a PKCS #10 request made here, submitted through the
 * CA database as the CA host's computer account, so the policy module,
 * the template's permissions, lint and the audit log all apply.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "authority.h"
#include "cadb.h"
#include "context.h"
#include "directory.h"
#include "pkix.h"
#include "request.h"
#include "status.h"
#include "store.h"
#include "svccert.h"
#include "util.h"

void
svccert_free(struct svccert *c)
{
    if (c == NULL)
        return;
    pkix_buf_free(&c->cert);
    pkix_buf_free(&c->ca);
    if (c->key.p != NULL)
        gnutls_memset(c->key.p, 0, c->key.n);
    pkix_buf_free(&c->key);
    free(c->names);
    memset(c, 0, sizeof *c);
}

static int
is_ip(const char *host)
{
    unsigned char buf[16];
    return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

/* The validity of cert (DER); CC_EPARSE when it does not decode. */
static int
validity(const struct pkix_buf *cert, time_t *nb, time_t *na)
{
    gnutls_x509_crt_t crt;
    gnutls_datum_t d = {cert->p, (unsigned)cert->n};
    if (gnutls_x509_crt_init(&crt) < 0)
        return CC_ENOMEM;
    int ok = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) >= 0;
    if (ok) {
        *nb = gnutls_x509_crt_get_activation_time(crt);
        *na = gnutls_x509_crt_get_expiration_time(crt);
    }
    gnutls_x509_crt_deinit(crt);
    return ok ? CC_OK : CC_EPARSE;
}

/* The validity of the certificate to present, or why it cannot be. */
static int
set_validity(struct svccert *c, char **cause)
{
    int rc = validity(&c->cert, &c->not_before, &c->not_after);
    if (rc == CC_EPARSE)
        return cc_fail(cause, rc, "the service's HTTPS certificate does not decode");
    return rc;
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

/* Enrolls the CA host for a new certificate; *cert DER and *key_pem (PEM) allocated. */
static int
enroll(const struct cc_ctx *cx, const struct authority_info *ca, const char *fqdn, const char *base,
       struct pkix_buf *cert, struct pkix_buf *key_pem, char **cause)
{
    struct cc_ctx host_cx = {0};
    struct dir_principal host = {0};
    struct request_params p = {.cn = fqdn};
    gnutls_x509_privkey_t key = NULL;
    struct pkix_buf csr = {0};
    struct cadb_session *s = NULL;
    struct cadb_outcome o = {0};
    gnutls_datum_t pem = {NULL, 0};
    int rc = dir_lookup(cx->st, ca->host, &host, cause);
    if (rc != CC_OK)
        goto out;
    /* the CA host asks for its own certificate: its rights, in the audit log under its name */
    if ((rc = ctx_init_as(&host_cx, cx, host.id, host.name)) != CC_OK)
        goto out;
    if (strlist_add(&p.dns, fqdn) != CC_OK ||
        (base != NULL && !cc_strcaseeq(base, fqdn) &&
         strlist_add(is_ip(base) ? &p.ip : &p.dns, base) != CC_OK)) {
        rc = CC_ENOMEM;
        goto out;
    }
    if ((rc = request_key_generate("rsa:2048", &key, cause)) != CC_OK ||
        (rc = request_build(key, &p, &csr, cause)) != CC_OK ||
        (rc = cadb_session_open(&host_cx, NULL, &s, cause)) != CC_OK ||
        (rc = cadb_submit(s, &host, SVCCERT_TEMPLATE, csr.p, csr.n, &o, cause)) != CC_OK)
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
    int err =
        gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &pem);
    if (err < 0)
        rc = cc_fail(cause, CC_ECRYPTO, "exporting the HTTPS key: %s", gnutls_strerror(err));
    else if ((rc = pkix_buf_set(key_pem, pem.data, pem.size)) == CC_OK)
        rc = pkix_buf_set(cert, o.cert.p, o.cert.n);
out:
    if (pem.data) {
        gnutls_memset(pem.data, 0, pem.size);
        gnutls_free(pem.data);
    }
    cadb_outcome_free(&o);
    if (s)
        cadb_session_close(s);
    pkix_buf_free(&csr);
    if (key)
        gnutls_x509_privkey_deinit(key);
    strlist_free(&p.dns);
    strlist_free(&p.ip);
    dir_principal_free(&host);
    ctx_free(&host_cx);
    return rc;
}

/* Reads DB.https.pem and DB.https-key.pem; CC_ENOTFOUND when they are not there. */
static int
load_files(const char *certpath, const char *keypath, struct pkix_buf *cert,
           struct pkix_buf *key_pem)
{
    gnutls_datum_t c = {NULL, 0}, der = {NULL, 0}, k = {NULL, 0};
    if (gnutls_load_file(certpath, &c) < 0)
        return CC_ENOTFOUND;
    int rc = gnutls_pem_base64_decode2("CERTIFICATE", &c, &der) < 0
                 ? CC_EPARSE
                 : pkix_buf_set(cert, der.data, der.size);
    gnutls_free(c.data);
    gnutls_free(der.data);
    if (rc == CC_OK && gnutls_load_file(keypath, &k) < 0)
        rc = CC_ENOTFOUND;
    if (rc == CC_OK)
        rc = pkix_buf_set(key_pem, k.data, k.size);
    if (k.data) {
        gnutls_memset(k.data, 0, k.size);
        gnutls_free(k.data);
    }
    return rc;
}

int
svccert_ensure(const struct cc_ctx *cx, const struct svccert_in_use *in_use, struct svccert *out,
               char **cause)
{
    struct store *st = cx->st;
    memset(out, 0, sizeof *out);
    struct authority_info ca;
    int rc = authority_info_load(st, &ca, cause);
    if (rc != CC_OK)
        return rc;
    char *fqdn = authority_host_fqdn(st, &ca), *base = authority_base_host(&ca);
    out->names = fqdn ? cc_asprintf("%s %s", fqdn, base ? base : "") : NULL;
    char *certpath = cc_asprintf("%s.https.pem", store_path(st));
    char *keypath = cc_asprintf("%s.https-key.pem", store_path(st));
    time_t now = ctx_now(cx);
    if (out->names == NULL || certpath == NULL || keypath == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    if (in_use->names != NULL && strcmp(in_use->names, out->names) == 0 &&
        now < in_use->not_before + (in_use->not_after - in_use->not_before) / 5 * 4)
        goto out; /* the one in use is fine */
    if ((rc = pkix_buf_set(&out->ca, ca.cert.p, ca.cert.n)) != CC_OK)
        goto out;
    if (in_use->names == NULL && load_files(certpath, keypath, &out->cert, &out->key) == CC_OK &&
        still_good(&out->cert, &ca, fqdn, base, now)) {
        out->fresh = 1;
        rc = set_validity(out, cause);
        goto out;
    }
    pkix_buf_free(&out->cert);
    if (out->key.p != NULL)
        gnutls_memset(out->key.p, 0, out->key.n);
    pkix_buf_free(&out->key);
    if ((rc = enroll(cx, &ca, fqdn, base, &out->cert, &out->key, cause)) != CC_OK)
        goto out;
    char *pem = NULL;
    rc = request_pem_encode("CERTIFICATE", out->cert.p, out->cert.n, &pem, cause);
    if (rc == CC_OK)
        rc = cc_write_file(keypath, out->key.p, out->key.n, 0600, 1, cause);
    if (rc == CC_OK)
        rc = cc_write_file(certpath, pem, strlen(pem), 0600, 1, cause);
    free(pem);
    if (rc == CC_OK)
        rc = set_validity(out, cause);
    if (rc == CC_OK)
        out->fresh = out->renewed = 1;
out:
    if (rc != CC_OK)
        svccert_free(out);
    free(certpath);
    free(keypath);
    free(fqdn);
    free(base);
    authority_info_free(&ca);
    return rc;
}
