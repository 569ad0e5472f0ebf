/*
 * PKCS#10 on the client and on the CA's intake. Building follows what the
 * Windows enrollment client puts in a request: the subject only when the
 * template takes it from the request, SAN entries, and the template
 * extension (20.2 for schema 1, 21.7 for schema 2+) in the extension
 * request. Parsing keeps the raw subject and public key DER so the CA can
 * copy them into the certificate without re-encoding.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509-ext.h>

#include "request.h"
#include "status.h"

#define OID_TEMPLATE_NAME "1.3.6.1.4.1.311.20.2"
#define OID_TEMPLATE_INFO "1.3.6.1.4.1.311.21.7"
#define OID_NAME_VALUE "1.3.6.1.4.1.311.13.2.1"
#define OID_UPN "1.3.6.1.4.1.311.20.2.3"

static const struct request_keyspec keyspecs[] = {
    {"rsa:2048", GNUTLS_PK_RSA, 2048},
    {"rsa:3072", GNUTLS_PK_RSA, 3072},
    {"rsa:4096", GNUTLS_PK_RSA, 4096},
    {"ecdsa:p256", GNUTLS_PK_ECDSA, 256},
    {"ecdsa:p384", GNUTLS_PK_ECDSA, 384},
    {"ed25519", GNUTLS_PK_EDDSA_ED25519, 256},
};

const char *
request_key_types(void)
{
    return "rsa:2048|rsa:3072|rsa:4096|ecdsa:p256|ecdsa:p384|ed25519";
}

int
request_keyspec_parse(const char *s, struct request_keyspec *out, char **cause)
{
    if (s == NULL)
        s = "rsa:2048";
    for (size_t i = 0; i < sizeof keyspecs / sizeof keyspecs[0]; i++)
        if (cc_strcaseeq(s, keyspecs[i].name)) {
            *out = keyspecs[i];
            return CC_OK;
        }
    return cc_fail(cause, CC_EINVAL, "key type '%s' is not one of %s", s, request_key_types());
}

int
request_key_generate(const char *s, gnutls_x509_privkey_t *out, char **cause)
{
    struct request_keyspec ks;
    int rc = request_keyspec_parse(s, &ks, cause);
    if (rc != CC_OK)
        return rc;
    unsigned bits = ks.bits;
    if (ks.pk == GNUTLS_PK_ECDSA)
        bits = GNUTLS_CURVE_TO_BITS(ks.bits == 256 ? GNUTLS_ECC_CURVE_SECP256R1
                                                   : GNUTLS_ECC_CURVE_SECP384R1);
    else if (ks.pk == GNUTLS_PK_EDDSA_ED25519)
        bits = GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_ED25519);
    gnutls_x509_privkey_t key;
    if (gnutls_x509_privkey_init(&key) < 0)
        return CC_ENOMEM;
    int err = gnutls_x509_privkey_generate2(key, ks.pk, bits, 0, NULL, 0);
    if (err < 0) {
        gnutls_x509_privkey_deinit(key);
        return cc_fail(cause, CC_ECRYPTO, "generating a %s key: %s", ks.name,
                       gnutls_strerror(err));
    }
    *out = key;
    return CC_OK;
}

static int
crypto_fail(char **cause, const char *what, int err)
{
    return cc_fail(cause, err == GNUTLS_E_MEMORY_ERROR ? CC_ENOMEM : CC_ECRYPTO, "%s: %s", what,
                   gnutls_strerror(err));
}

/* DER UTF8String of s (the value of a UPN otherName). */
static int
utf8_string(const char *s, struct pkix_buf *out)
{
    return pkix_wrap(out, 0x0C, s, strlen(s));
}

int
request_build(gnutls_x509_privkey_t key, const struct request_params *p, struct pkix_buf *der,
              char **cause)
{
    gnutls_x509_crq_t crq;
    gnutls_privkey_t pk = NULL;
    struct pkix_buf ext = {0};
    int err, rc = CC_OK;
    const char *e = NULL;

    if ((err = gnutls_x509_crq_init(&crq)) < 0)
        return crypto_fail(cause, "request", err);
    if ((err = gnutls_x509_crq_set_version(crq, 1)) < 0 ||
        (err = gnutls_x509_crq_set_key(crq, key)) < 0) {
        rc = crypto_fail(cause, "request key", err);
        goto out;
    }
    if (p->dn != NULL && *p->dn != '\0') {
        if ((err = gnutls_x509_crq_set_dn(crq, p->dn, &e)) < 0) {
            rc = cc_fail(cause, CC_EINVAL, "subject '%s' is not a distinguished name (at '%s')",
                         p->dn, e ? e : "?");
            goto out;
        }
    } else if (p->cn != NULL && *p->cn != '\0') {
        if ((err = gnutls_x509_crq_set_dn_by_oid(crq, GNUTLS_OID_X520_COMMON_NAME, 0, p->cn,
                                                 (unsigned)strlen(p->cn))) < 0) {
            rc = crypto_fail(cause, "subject common name", err);
            goto out;
        }
    }
    for (size_t i = 0; i < p->dns.n && rc == CC_OK; i++)
        if ((err = gnutls_x509_crq_set_subject_alt_name(crq, GNUTLS_SAN_DNSNAME, p->dns.v[i],
                                                        (unsigned)strlen(p->dns.v[i]),
                                                        GNUTLS_FSAN_APPEND)) < 0)
            rc = cc_fail(cause, CC_EINVAL, "DNS name '%s': %s", p->dns.v[i],
                         gnutls_strerror(err));
    for (size_t i = 0; i < p->email.n && rc == CC_OK; i++)
        if ((err = gnutls_x509_crq_set_subject_alt_name(crq, GNUTLS_SAN_RFC822NAME,
                                                        p->email.v[i],
                                                        (unsigned)strlen(p->email.v[i]),
                                                        GNUTLS_FSAN_APPEND)) < 0)
            rc = cc_fail(cause, CC_EINVAL, "e-mail name '%s': %s", p->email.v[i],
                         gnutls_strerror(err));
    for (size_t i = 0; i < p->ip.n && rc == CC_OK; i++) {
        unsigned char addr[16];
        unsigned len = 0;
        if (inet_pton(AF_INET, p->ip.v[i], addr) == 1)
            len = 4;
        else if (inet_pton(AF_INET6, p->ip.v[i], addr) == 1)
            len = 16;
        if (len == 0)
            rc = cc_fail(cause, CC_EINVAL, "'%s' is not an IP address", p->ip.v[i]);
        else if ((err = gnutls_x509_crq_set_subject_alt_name(crq, GNUTLS_SAN_IPADDRESS, addr, len,
                                                             GNUTLS_FSAN_APPEND)) < 0)
            rc = crypto_fail(cause, "IP address", err);
    }
    for (size_t i = 0; i < p->upn.n && rc == CC_OK; i++) {
        struct pkix_buf v = {0};
        if ((rc = utf8_string(p->upn.v[i], &v)) == CC_OK &&
            (err = gnutls_x509_crq_set_subject_alt_othername(crq, OID_UPN, v.p, (unsigned)v.n,
                                                             GNUTLS_FSAN_APPEND)) < 0)
            rc = crypto_fail(cause, "user principal name", err);
        pkix_buf_free(&v);
    }
    if (rc != CC_OK)
        goto out;
    if (p->template_oid != NULL) {
        rc = pkix_template_info_encode(p->template_oid, p->major, p->minor, &ext, cause);
        if (rc == CC_OK &&
            (err = gnutls_x509_crq_set_extension_by_oid(crq, OID_TEMPLATE_INFO, ext.p, ext.n,
                                                        0)) < 0)
            rc = crypto_fail(cause, "template extension", err);
    } else if (p->template_cn != NULL) {
        rc = pkix_template_name_encode(p->template_cn, &ext, cause);
        if (rc == CC_OK &&
            (err = gnutls_x509_crq_set_extension_by_oid(crq, OID_TEMPLATE_NAME, ext.p, ext.n,
                                                        0)) < 0)
            rc = crypto_fail(cause, "template extension", err);
    }
    if (rc != CC_OK)
        goto out;
    if ((err = gnutls_privkey_init(&pk)) < 0 ||
        (err = gnutls_privkey_import_x509(pk, key, 0)) < 0) {
        rc = crypto_fail(cause, "request key", err);
        goto out;
    }
    gnutls_digest_algorithm_t dig = p->hash ? p->hash : GNUTLS_DIG_SHA256;
    if (gnutls_privkey_get_pk_algorithm(pk, NULL) == GNUTLS_PK_EDDSA_ED25519)
        dig = GNUTLS_DIG_SHA512;
    if ((err = gnutls_x509_crq_privkey_sign(crq, pk, dig, 0)) < 0) {
        rc = crypto_fail(cause, "signing the request", err);
        goto out;
    }
    gnutls_datum_t d;
    if ((err = gnutls_x509_crq_export2(crq, GNUTLS_X509_FMT_DER, &d)) < 0) {
        rc = crypto_fail(cause, "exporting the request", err);
        goto out;
    }
    rc = pkix_buf_set(der, d.data, d.size);
    gnutls_free(d.data);
out:
    pkix_buf_free(&ext);
    if (pk)
        gnutls_privkey_deinit(pk);
    gnutls_x509_crq_deinit(crq);
    return rc;
}

void
request_info_free(struct request_info *r)
{
    if (r == NULL)
        return;
    if (r->crq)
        gnutls_x509_crq_deinit(r->crq);
    pkix_buf_free(&r->der);
    pkix_buf_free(&r->subject);
    pkix_buf_free(&r->spki);
    free(r->subject_text);
    free(r->cn);
    free(r->subject_email);
    strlist_free(&r->dns);
    strlist_free(&r->ip);
    strlist_free(&r->email);
    strlist_free(&r->upn);
    strlist_free(&r->uri);
    free(r->template_name);
    free(r->template_oid);
    free(r->nv_template);
    memset(r, 0, sizeof *r);
}

/* Finds the raw subject and public key inside the CertificationRequestInfo. */
static int
split_request(struct request_info *r)
{
    const unsigned char *p = r->der.p;
    size_t n = r->der.n, len;
    unsigned char tag;
    long off = pkix_tlv(p, n, &tag, &len); /* CertificationRequest */
    if (off < 0 || tag != 0x30)
        return CC_E_BAD_REQUEST;
    p += off;
    n = len;
    off = pkix_tlv(p, n, &tag, &len); /* CertificationRequestInfo */
    if (off < 0 || tag != 0x30)
        return CC_E_BAD_REQUEST;
    p += off;
    n = len;
    off = pkix_tlv(p, n, &tag, &len); /* version */
    if (off < 0 || tag != 0x02)
        return CC_E_BAD_REQUEST;
    p += (size_t)off + len;
    n -= (size_t)off + len;
    off = pkix_tlv(p, n, &tag, &len); /* subject */
    if (off < 0 || tag != 0x30)
        return CC_E_BAD_REQUEST;
    if (pkix_buf_set(&r->subject, p, (size_t)off + len) != CC_OK)
        return CC_ENOMEM;
    p += (size_t)off + len;
    n -= (size_t)off + len;
    off = pkix_tlv(p, n, &tag, &len); /* subjectPKInfo */
    if (off < 0 || tag != 0x30)
        return CC_E_BAD_REQUEST;
    return pkix_buf_set(&r->spki, p, (size_t)off + len);
}

static char *
dn_part(gnutls_x509_crq_t crq, const char *oid)
{
    char buf[1024];
    size_t size = sizeof buf;
    if (gnutls_x509_crq_get_dn_by_oid(crq, oid, 0, 0, buf, &size) < 0)
        return NULL;
    return strdup(buf);
}

static int
read_sans(struct request_info *r)
{
    gnutls_datum_t ext = {NULL, 0};
    unsigned critical;
    int rc = CC_OK;
    int err = gnutls_x509_crq_get_extension_by_oid2(r->crq, "2.5.29.17", 0, &ext, &critical);
    if (err == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
        return CC_OK;
    if (err < 0)
        return CC_E_BAD_REQUEST;
    gnutls_subject_alt_names_t sans;
    if (gnutls_subject_alt_names_init(&sans) < 0) {
        gnutls_free(ext.data);
        return CC_ENOMEM;
    }
    if (gnutls_x509_ext_import_subject_alt_names(&ext, sans, 0) < 0) {
        rc = CC_E_BAD_REQUEST;
        goto out;
    }
    r->has_san = 1;
    for (unsigned i = 0; rc == CC_OK; i++) {
        unsigned type;
        gnutls_datum_t san, oid;
        err = gnutls_subject_alt_names_get(sans, i, &type, &san, &oid);
        if (err == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
            break;
        if (err < 0) {
            rc = CC_E_BAD_REQUEST;
            break;
        }
        char *text = NULL;
        if (type == GNUTLS_SAN_DNSNAME || type == GNUTLS_SAN_RFC822NAME ||
            type == GNUTLS_SAN_URI) {
            text = malloc(san.size + 1);
            if (text == NULL) {
                rc = CC_ENOMEM;
                break;
            }
            memcpy(text, san.data, san.size);
            text[san.size] = '\0';
            if (strlen(text) != san.size) { /* embedded NUL: refuse, never truncate */
                free(text);
                rc = CC_E_BAD_REQUEST;
                break;
            }
            rc = strlist_add(type == GNUTLS_SAN_DNSNAME      ? &r->dns
                             : type == GNUTLS_SAN_RFC822NAME ? &r->email
                                                             : &r->uri,
                             text);
        } else if (type == GNUTLS_SAN_IPADDRESS && (san.size == 4 || san.size == 16)) {
            char buf[64];
            inet_ntop(san.size == 4 ? AF_INET : AF_INET6, san.data, buf, sizeof buf);
            rc = strlist_add(&r->ip, buf);
        } else if (type == GNUTLS_SAN_OTHERNAME && oid.data &&
                   strcmp((const char *)oid.data, OID_UPN) == 0) {
            unsigned char tag;
            size_t len;
            long off = pkix_tlv(san.data, san.size, &tag, &len);
            if (off < 0 || tag != 0x0C) {
                rc = CC_E_BAD_REQUEST;
                break;
            }
            text = malloc(len + 1);
            if (text == NULL) {
                rc = CC_ENOMEM;
                break;
            }
            memcpy(text, san.data + off, len);
            text[len] = '\0';
            rc = strlen(text) == len ? strlist_add(&r->upn, text) : CC_E_BAD_REQUEST;
        }
        free(text);
    }
out:
    gnutls_subject_alt_names_deinit(sans);
    gnutls_free(ext.data);
    return rc;
}

static void
read_template(struct request_info *r)
{
    gnutls_datum_t ext = {NULL, 0};
    unsigned critical;
    r->template_major = r->template_minor = -1;
    if (gnutls_x509_crq_get_extension_by_oid2(r->crq, OID_TEMPLATE_NAME, 0, &ext, &critical) >=
        0) {
        pkix_template_name_decode(ext.data, ext.size, &r->template_name);
        gnutls_free(ext.data);
    }
    if (gnutls_x509_crq_get_extension_by_oid2(r->crq, OID_TEMPLATE_INFO, 0, &ext, &critical) >=
        0) {
        pkix_template_info_decode(ext.data, ext.size, &r->template_oid, &r->template_major,
                                  &r->template_minor);
        gnutls_free(ext.data);
    }
    unsigned char buf[1024];
    size_t size = sizeof buf;
    for (unsigned i = 0; i < 8; i++) {
        size = sizeof buf;
        if (gnutls_x509_crq_get_attribute_by_oid(r->crq, OID_NAME_VALUE, i, buf, &size) < 0)
            break;
        char *name, *value;
        if (pkix_name_value_decode(buf, size, &name, &value) == CC_OK) {
            if (cc_strcaseeq(name, "CertificateTemplate") && r->nv_template == NULL)
                r->nv_template = value;
            else
                free(value);
            free(name);
        }
    }
}

int
request_parse(const void *data, size_t n, struct request_info *out, char **cause)
{
    struct request_info *r = out;
    gnutls_datum_t in = {(unsigned char *)data, (unsigned)n};
    int err, rc;
    memset(r, 0, sizeof *r);
    r->template_major = r->template_minor = -1;
    if (n == 0 || n > 1 << 20)
        return cc_fail(cause, CC_E_BAD_REQUEST, "the request is %s",
                       n == 0 ? "empty" : "larger than 1 MiB");
    if ((err = gnutls_x509_crq_init(&r->crq)) < 0)
        return crypto_fail(cause, "request", err);
    int pem = n > 10 && memmem(data, n, "-----BEGIN", 10) != NULL;
    err = gnutls_x509_crq_import(r->crq, &in, pem ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER);
    if (err < 0) {
        request_info_free(r);
        return cc_fail(cause, CC_E_BAD_REQUEST, "the file is not a PKCS #10 request (%s)",
                       gnutls_strerror(err));
    }
    if (pem) {
        gnutls_datum_t d;
        if ((err = gnutls_x509_crq_export2(r->crq, GNUTLS_X509_FMT_DER, &d)) < 0) {
            request_info_free(r);
            return crypto_fail(cause, "request", err);
        }
        rc = pkix_buf_set(&r->der, d.data, d.size);
        gnutls_free(d.data);
    } else {
        rc = pkix_buf_set(&r->der, data, n);
    }
    if (rc == CC_OK)
        rc = split_request(r);
    if (rc != CC_OK) {
        request_info_free(r);
        return cc_fail(cause, rc, "the request's structure is malformed");
    }
    int alg = gnutls_x509_crq_get_signature_algorithm(r->crq);
    r->sign = alg < 0 ? GNUTLS_SIGN_UNKNOWN : (gnutls_sign_algorithm_t)alg;
    int pk = gnutls_x509_crq_get_pk_algorithm(r->crq, &r->bits);
    if (pk < 0) {
        request_info_free(r);
        return cc_fail(cause, CC_E_BAD_REQUEST, "the request's public key is not understood");
    }
    r->pk = (gnutls_pk_algorithm_t)pk;
    /*
     * Every signature is checked, SHA-1 ones too: a forged request must fail
     * as forged. Whether SHA-1 is acceptable is the policy's decision.
     */
    err = gnutls_x509_crq_verify(r->crq, GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1);
    if (err < 0) {
        request_info_free(r);
        return cc_fail(cause, CC_E_BAD_SIGNATURE,
                       "the request's signature does not match its public key (%s)",
                       gnutls_strerror(err));
    }
    /*
     * GnuTLS's SHA-1 key ID is the hash of the SubjectPublicKeyInfo DER we
     * already hold: hashing it here saves re-encoding the key per request.
     */
    if (r->spki.n == 0 ||
        gnutls_hash_fast(GNUTLS_DIG_SHA1, r->spki.p, r->spki.n, r->key_id) < 0) {
        request_info_free(r);
        return cc_fail(cause, CC_E_BAD_REQUEST, "the request's public key is not understood");
    }
    r->key_id_len = 20;
    gnutls_datum_t dn;
    if (gnutls_x509_crq_get_dn3(r->crq, &dn, 0) >= 0) {
        r->subject_text = strndup((const char *)dn.data, dn.size);
        gnutls_free(dn.data);
    } else {
        r->subject_text = strdup("");
    }
    r->cn = dn_part(r->crq, GNUTLS_OID_X520_COMMON_NAME);
    r->subject_email = dn_part(r->crq, GNUTLS_OID_PKCS9_EMAIL);
    if (r->subject_text == NULL) {
        request_info_free(r);
        return CC_ENOMEM;
    }
    rc = read_sans(r);
    if (rc != CC_OK) {
        request_info_free(r);
        return cc_fail(cause, rc, "the request's subject alternative names are malformed");
    }
    read_template(r);
    return CC_OK;
}

int
request_weak_hash(const struct request_info *r)
{
    if (r->pk == GNUTLS_PK_EDDSA_ED25519 || r->pk == GNUTLS_PK_EDDSA_ED448)
        return 0;
    gnutls_digest_algorithm_t h = gnutls_sign_get_hash_algorithm(r->sign);
    return h == GNUTLS_DIG_SHA1 || h == GNUTLS_DIG_MD5 || h == GNUTLS_DIG_MD2 ||
           h == GNUTLS_DIG_UNKNOWN || h == GNUTLS_DIG_RMD160;
}

unsigned
request_key_strength(gnutls_pk_algorithm_t pk, unsigned bits)
{
    switch (pk) {
    case GNUTLS_PK_RSA:
    case GNUTLS_PK_RSA_PSS:
    case GNUTLS_PK_DSA:
        return bits;
    case GNUTLS_PK_ECDSA:
    case GNUTLS_PK_EDDSA_ED25519:
    case GNUTLS_PK_EDDSA_ED448:
        /* NIST SP 800-57: 256-bit curves ~ RSA-3072, 384 ~ 7680, 521 ~ 15360 */
        return bits >= 512 ? 15360 : bits >= 384 ? 7680 : bits >= 256 ? 3072 : bits * 8;
    default:
        return 0;
    }
}

int
request_pem_encode(const char *label, const void *der, size_t n, char **pem, char **cause)
{
    gnutls_datum_t in = {(unsigned char *)der, (unsigned)n}, out;
    int err = gnutls_pem_base64_encode2(label, &in, &out);
    if (err < 0)
        return crypto_fail(cause, "PEM encoding", err);
    *pem = malloc(out.size + 1);
    if (*pem == NULL) {
        gnutls_free(out.data);
        return CC_ENOMEM;
    }
    memcpy(*pem, out.data, out.size);
    (*pem)[out.size] = '\0';
    gnutls_free(out.data);
    return CC_OK;
}
