/*
 * Export formats with GnuTLS: PKCS #7 certificate bundles and PKCS #12
 * files whose bags carry a friendly name and a local key ID linking the key
 * to its certificate. The chain comes from the enterprise's CA
 * certificates (the stores every member sees).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gnutls/pkcs12.h>
#include <gnutls/pkcs7.h>

#include "audit.h"
#include "authority.h"
#include "context.h"
#include "directory.h"
#include "export.h"
#include "request.h"
#include "status.h"

const char *
export_extension(enum export_format f)
{
    return f == EXPORT_P7B ? ".p7b" : f == EXPORT_PFX ? ".pfx" : ".cer";
}

static int
crypto_fail(char **cause, const char *what, int err)
{
    return cc_fail(cause, err == GNUTLS_E_MEMORY_ERROR ? CC_ENOMEM : CC_ECRYPTO, "%s: %s", what,
                   gnutls_strerror(err));
}

/* The issuers of der up to a self-signed root, from the CA's certificate. */
static int
chain_of(struct store *st, const struct pkix_buf *der, struct pkix_buf *ca_out, char **cause)
{
    struct authority_info info;
    int rc = authority_info_load(st, &info, cause);
    if (rc != CC_OK)
        return rc;
    gnutls_x509_crt_t crt = NULL, ca = NULL;
    gnutls_datum_t d = {der->p, (unsigned)der->n}, c = {info.cert.p, (unsigned)info.cert.n};
    rc = CC_ENOTFOUND;
    if (gnutls_x509_crt_init(&crt) >= 0 && gnutls_x509_crt_init(&ca) >= 0 &&
        gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) >= 0 &&
        gnutls_x509_crt_import(ca, &c, GNUTLS_X509_FMT_DER) >= 0 &&
        gnutls_x509_crt_check_issuer(crt, ca) && !gnutls_x509_crt_equals(crt, ca))
        rc = pkix_buf_set(ca_out, info.cert.p, info.cert.n);
    if (crt)
        gnutls_x509_crt_deinit(crt);
    if (ca)
        gnutls_x509_crt_deinit(ca);
    authority_info_free(&info);
    return rc == CC_ENOTFOUND ? CC_OK : rc; /* a root itself, or foreign: no chain */
}

static int
export_p7b(struct store *st, const struct certstore_entry *e, int chain, struct pkix_buf *out,
           char **cause)
{
    gnutls_pkcs7_t p7;
    struct pkix_buf ca = {0};
    int err, rc = CC_OK;
    if ((err = gnutls_pkcs7_init(&p7)) < 0)
        return crypto_fail(cause, "PKCS #7", err);
    gnutls_datum_t d = {e->der.p, (unsigned)e->der.n};
    err = gnutls_pkcs7_set_crt_raw(p7, &d);
    if (err >= 0 && chain) {
        rc = chain_of(st, &e->der, &ca, cause);
        if (rc == CC_OK && ca.n) {
            gnutls_datum_t c = {ca.p, (unsigned)ca.n};
            err = gnutls_pkcs7_set_crt_raw(p7, &c);
        }
    }
    gnutls_datum_t o = {NULL, 0};
    if (rc == CC_OK && err >= 0)
        err = gnutls_pkcs7_export2(p7, GNUTLS_X509_FMT_DER, &o);
    if (rc == CC_OK && err < 0)
        rc = crypto_fail(cause, "PKCS #7", err);
    if (rc == CC_OK)
        rc = pkix_buf_set(out, o.data, o.size);
    gnutls_free(o.data);
    pkix_buf_free(&ca);
    gnutls_pkcs7_deinit(p7);
    return rc;
}

static int
add_cert_bag(gnutls_pkcs12_bag_t bag, const struct pkix_buf *der, const gnutls_datum_t *key_id,
             const char *friendly)
{
    gnutls_x509_crt_t crt;
    gnutls_datum_t d = {der->p, (unsigned)der->n};
    int err = gnutls_x509_crt_init(&crt);
    if (err < 0)
        return err;
    err = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER);
    int idx = err < 0 ? err : gnutls_pkcs12_bag_set_crt(bag, crt);
    gnutls_x509_crt_deinit(crt);
    if (idx < 0)
        return idx;
    if (key_id && (err = gnutls_pkcs12_bag_set_key_id(bag, (unsigned)idx, key_id)) < 0)
        return err;
    if (friendly && *friendly &&
        (err = gnutls_pkcs12_bag_set_friendly_name(bag, (unsigned)idx, friendly)) < 0)
        return err;
    return 0;
}

static int
export_pfx(const struct cc_ctx *cx, const struct certstore_entry *e, const struct export_params *p,
           struct pkix_buf *out, char **cause)
{
    struct store *st = cx->st;
    if (e->key_id <= 0)
        return cc_fail(cause, CC_E_NO_PRIVATE_KEY,
                       "there is no private key for this certificate in the store, so it "
                       "cannot be exported as a PFX; export it as DER, Base-64 or PKCS #7");
    if (!e->exportable)
        return cc_fail(cause, CC_E_KEY_NOT_EXPORTABLE,
                       "The private key was not marked exportable when the certificate was "
                       "requested (template %s does not allow private key export). Only the "
                       "certificate can be exported (--der, --pem or --p7b); to get a PFX, "
                       "allow export in the template and request the certificate again.",
                       *e->template_cn ? e->template_cn : "unknown");
    if (p->password == NULL || *p->password == '\0')
        return cc_fail(cause, CC_EINVAL, "a PFX needs a password");
    gnutls_x509_privkey_t key = NULL;
    gnutls_pkcs12_t p12 = NULL;
    gnutls_pkcs12_bag_t certs = NULL, keys = NULL;
    struct pkix_buf ca = {0};
    unsigned char id[64];
    size_t idlen = sizeof id;
    int err = 0;
    unsigned flags = p->legacy ? GNUTLS_PKCS_PKCS12_3DES : GNUTLS_PKCS_PBES2_AES_256;
    const char *friendly = p->friendly && *p->friendly ? p->friendly
                           : *e->friendly_name          ? e->friendly_name
                                                        : e->template_cn;
    int rc = certstore_key(cx, e, &key, cause);
    if (rc != CC_OK)
        return rc;
    if (p->chain && (rc = chain_of(st, &e->der, &ca, cause)) != CC_OK)
        goto out;
    if ((err = gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA1, id, &idlen)) < 0)
        goto fail;
    gnutls_datum_t key_id = {id, (unsigned)idlen};
    if ((err = gnutls_pkcs12_init(&p12)) < 0 || (err = gnutls_pkcs12_bag_init(&certs)) < 0 ||
        (err = gnutls_pkcs12_bag_init(&keys)) < 0)
        goto fail;
    if ((err = add_cert_bag(certs, &e->der, &key_id, friendly)) < 0)
        goto fail;
    if (ca.n && (err = add_cert_bag(certs, &ca, NULL, NULL)) < 0)
        goto fail;
    if ((err = gnutls_pkcs12_bag_encrypt(certs, p->password, flags)) < 0)
        goto fail;
    gnutls_datum_t p8 = {NULL, 0};
    if ((err = gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_DER, p->password, flags,
                                                 &p8)) < 0)
        goto fail;
    int idx = gnutls_pkcs12_bag_set_data(keys, GNUTLS_BAG_PKCS8_ENCRYPTED_KEY, &p8);
    gnutls_free(p8.data);
    if ((err = idx) < 0 || (err = gnutls_pkcs12_bag_set_key_id(keys, (unsigned)idx, &key_id)) < 0)
        goto fail;
    if (friendly && *friendly &&
        (err = gnutls_pkcs12_bag_set_friendly_name(keys, (unsigned)idx, friendly)) < 0)
        goto fail;
    if ((err = gnutls_pkcs12_set_bag(p12, certs)) < 0 ||
        (err = gnutls_pkcs12_set_bag(p12, keys)) < 0 ||
        (err = gnutls_pkcs12_generate_mac2(p12, p->legacy ? GNUTLS_MAC_SHA1 : GNUTLS_MAC_SHA256,
                                           p->password)) < 0)
        goto fail;
    gnutls_datum_t o = {NULL, 0};
    if ((err = gnutls_pkcs12_export2(p12, GNUTLS_X509_FMT_DER, &o)) < 0)
        goto fail;
    rc = pkix_buf_set(out, o.data, o.size);
    gnutls_free(o.data);
    goto out;
fail:
    rc = crypto_fail(cause, "building the PFX", err);
out:
    pkix_buf_free(&ca);
    if (certs)
        gnutls_pkcs12_bag_deinit(certs);
    if (keys)
        gnutls_pkcs12_bag_deinit(keys);
    if (p12)
        gnutls_pkcs12_deinit(p12);
    gnutls_x509_privkey_deinit(key);
    return rc;
}

/*
 * Every export of a private key is in the audit log, whoever's key it is;
 * when the record cannot be written the key is not handed out.
 */
static int
audit_key_export(const struct cc_ctx *cx, const struct certstore_entry *e, char **cause)
{
    struct store *st = cx->st;
    struct dir_principal p = {0};
    char *owner = NULL;
    if (e->principal > 0 && dir_get(st, e->principal, &p, NULL) == CC_OK)
        owner = dir_qualified_name(st, &p);
    dir_principal_free(&p);
    char *what = cc_asprintf("PFX with the private key of %s (template %s)",
                             owner ? owner : "?", *e->template_cn ? e->template_cn : "none");
    int rc = what ? audit_record(cx, "key", e->serial, "export", NULL, what, cause) : CC_ENOMEM;
    free(what);
    free(owner);
    return rc;
}

int
export_certificate(const struct cc_ctx *cx, const struct certstore_entry *e,
                   const struct export_params *p, struct pkix_buf *out, char **cause)
{
    struct store *st = cx->st;
    switch (p->format) {
    case EXPORT_DER:
        return pkix_buf_set(out, e->der.p, e->der.n);
    case EXPORT_PEM: {
        char *pem = NULL;
        int rc = request_pem_encode("CERTIFICATE", e->der.p, e->der.n, &pem, cause);
        if (rc == CC_OK) {
            free(out->p);
            out->p = (unsigned char *)pem;
            out->n = strlen(pem);
        }
        return rc;
    }
    case EXPORT_P7B:
        return export_p7b(st, e, p->chain, out, cause);
    case EXPORT_PFX: {
        int rc = export_pfx(cx, e, p, out, cause);
        if (rc == CC_OK && (rc = audit_key_export(cx, e, cause)) != CC_OK)
            pkix_buf_free(out);
        return rc;
    }
    }
    return cc_fail(cause, CC_EINVAL, "unknown export format");
}
