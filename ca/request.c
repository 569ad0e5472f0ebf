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

/*
 * The general path: GnuTLS parses and verifies the whole request. It takes
 * PEM, and whatever parse_fast declines, so its messages are the ones
 * callers see for every refused request.
 */
static int
parse_gnutls(const void *data, size_t n, struct request_info *out, char **cause)
{
    struct request_info *r = out;
    gnutls_datum_t in = {(unsigned char *)data, (unsigned)n};
    int err, rc;
    memset(r, 0, sizeof *r);
    r->template_major = r->template_minor = -1;
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

/*
 * The fast path for the common request: a request the CA's intake sees by
 * the thousand (openssl req, certreq, certcon enroll) is walked here in
 * place instead of being built into a libtasn1 tree by GnuTLS, which cost
 * more than signing the certificate with an EC CA key. It only accepts what
 * it fully understands and what GnuTLS accepts alike: strict DER with
 * minimal lengths, the usual signature algorithms, subject attributes in
 * plain ASCII, SAN entries of the kinds the CA uses. Anything else, and
 * every failure (a bad signature too), is left to parse_gnutls, so statuses
 * and messages stay GnuTLS's and no request is accepted here that GnuTLS
 * would refuse.
 */

/* A window on DER bytes. */
struct der {
    const unsigned char *p;
    size_t n;
};

/*
 * Takes the next TLV off c when its tag is want: sets *val to its content
 * and *all (if not NULL) to the whole TLV. Only single-byte tags and
 * definite, minimally encoded lengths: other encodings go to GnuTLS.
 */
static int
der_take(struct der *c, unsigned char want, struct der *val, struct der *all)
{
    const unsigned char *p = c->p;
    size_t n = c->n, len, hdr;
    if (n < 2 || p[0] != want)
        return 0;
    if (p[1] < 0x80) {
        len = p[1];
        hdr = 2;
    } else if (p[1] == 0x81 && n >= 3 && p[2] >= 0x80) {
        len = p[2];
        hdr = 3;
    } else if (p[1] == 0x82 && n >= 4 && p[2] != 0) {
        len = (size_t)p[2] << 8 | p[3];
        hdr = 4;
    } else if (p[1] == 0x83 && n >= 5 && p[2] != 0) {
        len = (size_t)p[2] << 16 | (size_t)p[3] << 8 | p[4];
        hdr = 5;
    } else {
        return 0;
    }
    if (len > n - hdr)
        return 0;
    val->p = p + hdr;
    val->n = len;
    if (all) {
        all->p = p;
        all->n = hdr + len;
    }
    c->p += hdr + len;
    c->n -= hdr + len;
    return 1;
}

/* Takes any primitive or constructed TLV with a single-byte tag. */
static int
der_take_any(struct der *c, struct der *val, struct der *all)
{
    return c->n > 0 && (c->p[0] & 0x1F) != 0x1F && der_take(c, c->p[0], val, all);
}

/*
 * An OBJECT IDENTIFIER's content as libtasn1 accepts it: no padded
 * sub-identifier, none cut short, none beyond 63 bits, and short enough
 * for GnuTLS's OID buffers.
 */
static int
der_oid_ok(const struct der *oid)
{
    if (oid->n == 0 || oid->n > 40 || oid->p[oid->n - 1] & 0x80)
        return 0;
    for (size_t i = 0, start = 1; i < oid->n; i++) {
        if (start && oid->p[i] == 0x80)
            return 0;
        start = !(oid->p[i] & 0x80);
    }
    for (size_t i = 0, run = 0; i < oid->n; i++) {
        run = oid->p[i] & 0x80 ? run + 1 : 0;
        if (run >= 9)
            return 0;
    }
    return 1;
}

/* Takes an OBJECT IDENTIFIER that der_oid_ok accepts. */
static int
der_take_oid(struct der *c, struct der *oid)
{
    return der_take(c, 0x06, oid, NULL) && der_oid_ok(oid);
}

static int
oid_is(const struct der *oid, const char *der, size_t n)
{
    return oid->n == n && memcmp(oid->p, der, n) == 0;
}
#define OID_IS(o, lit) oid_is((o), (lit), sizeof(lit) - 1)

#define DER_EXT_REQUEST "\x2A\x86\x48\x86\xF7\x0D\x01\x09\x0E"          /* 1.2.840.113549.1.9.14 */
#define DER_MS_EXT_REQUEST "\x2B\x06\x01\x04\x01\x82\x37\x02\x01\x0E"   /* 1.3.6.1.4.1.311.2.1.14 */
#define DER_NAME_VALUE "\x2B\x06\x01\x04\x01\x82\x37\x0D\x02\x01"       /* OID_NAME_VALUE */
#define DER_SAN "\x55\x1D\x11"                                            /* 2.5.29.17 */
#define DER_TEMPLATE_NAME "\x2B\x06\x01\x04\x01\x82\x37\x14\x02"         /* OID_TEMPLATE_NAME */
#define DER_TEMPLATE_INFO "\x2B\x06\x01\x04\x01\x82\x37\x15\x07"         /* OID_TEMPLATE_INFO */
#define DER_UPN "\x2B\x06\x01\x04\x01\x82\x37\x14\x02\x03"              /* OID_UPN */
#define DER_RSA "\x2A\x86\x48\x86\xF7\x0D\x01\x01\x01"              /* rsaEncryption */

/* The signature algorithms taken here; they carry no parameters but RSA's NULL. */
static const struct {
    const char *oid;
    size_t n;
    gnutls_sign_algorithm_t sign;
    gnutls_pk_algorithm_t pk;
} fast_signs[] = {
    {"\x2A\x86\x48\x86\xF7\x0D\x01\x01\x0B", 9, GNUTLS_SIGN_RSA_SHA256, GNUTLS_PK_RSA},
    {"\x2A\x86\x48\x86\xF7\x0D\x01\x01\x0C", 9, GNUTLS_SIGN_RSA_SHA384, GNUTLS_PK_RSA},
    {"\x2A\x86\x48\x86\xF7\x0D\x01\x01\x0D", 9, GNUTLS_SIGN_RSA_SHA512, GNUTLS_PK_RSA},
    {"\x2A\x86\x48\x86\xF7\x0D\x01\x01\x05", 9, GNUTLS_SIGN_RSA_SHA1, GNUTLS_PK_RSA},
    {"\x2A\x86\x48\xCE\x3D\x04\x03\x02", 8, GNUTLS_SIGN_ECDSA_SHA256, GNUTLS_PK_ECDSA},
    {"\x2A\x86\x48\xCE\x3D\x04\x03\x03", 8, GNUTLS_SIGN_ECDSA_SHA384, GNUTLS_PK_ECDSA},
    {"\x2A\x86\x48\xCE\x3D\x04\x03\x04", 8, GNUTLS_SIGN_ECDSA_SHA512, GNUTLS_PK_ECDSA},
    {"\x2A\x86\x48\xCE\x3D\x04\x01", 7, GNUTLS_SIGN_ECDSA_SHA1, GNUTLS_PK_ECDSA},
    {"\x2B\x65\x70", 3, GNUTLS_SIGN_EDDSA_ED25519, GNUTLS_PK_EDDSA_ED25519},
};

/*
 * Subject attributes taken here, with the string types GnuTLS prints as
 * text for them (DirectoryString's PrintableString and UTF8String, or the
 * one type the attribute has); their names come from GnuTLS.
 */
static const struct {
    const char *der, *oid;
    size_t n;
    int directory_string; /* else IA5String (0x16) or PrintableString (0x13) only */
    unsigned char tag;
} fast_attrs[] = {
    {"\x55\x04\x03", "2.5.4.3", 3, 1, 0},
    {"\x55\x04\x0A", "2.5.4.10", 3, 1, 0},
    {"\x55\x04\x0B", "2.5.4.11", 3, 1, 0},
    {"\x55\x04\x07", "2.5.4.7", 3, 1, 0},
    {"\x55\x04\x08", "2.5.4.8", 3, 1, 0},
    {"\x55\x04\x06", "2.5.4.6", 3, 0, 0x13},
    {"\x09\x92\x26\x89\x93\xF2\x2C\x64\x01\x19", "0.9.2342.19200300.100.1.25", 10, 0, 0x16},
    {"\x2A\x86\x48\x86\xF7\x0D\x01\x09\x01", "1.2.840.113549.1.9.1", 9, 0, 0x16},
};

/*
 * Printable ASCII that RFC 4514 output leaves as it is: no character GnuTLS
 * escapes, no space at either end, and no '#' at all. Values needing
 * escapes, or not ASCII, go to GnuTLS so the subject text is its own.
 */
static int
plain_value(const struct der *v)
{
    if (v->n == 0 || v->n > 256 || v->p[0] == ' ' || v->p[v->n - 1] == ' ')
        return 0;
    for (size_t i = 0; i < v->n; i++)
        if (v->p[i] < 0x20 || v->p[i] > 0x7E || strchr(",+\"\\<>;#", v->p[i]))
            return 0;
    return 1;
}

static char *
der_strdup(const struct der *v)
{
    return strndup((const char *)v->p, v->n);
}

/* Subject text (RFC 4514 order: last RDN first), first CN and emailAddress. */
static int
fast_subject(struct request_info *r)
{
    struct der c = {r->subject.p, r->subject.n}, seq, atv, set, oid, val, all;
    if (!der_take(&c, 0x30, &seq, NULL) || c.n != 0)
        return CC_E_BAD_REQUEST;
    /* text is at most twice the DER: each RDN's framing outweighs "name=" and "," */
    char *text = malloc(2 * r->subject.n + 1);
    if (text == NULL)
        return CC_ENOMEM;
    size_t end = 2 * r->subject.n;
    text[end] = '\0';
    while (seq.n > 0) {
        if (!der_take(&seq, 0x31, &set, NULL) || !der_take(&set, 0x30, &atv, NULL) ||
            set.n != 0 || !der_take_oid(&atv, &oid) || !der_take_any(&atv, &val, &all) ||
            atv.n != 0 || !plain_value(&val))
            goto decline;
        size_t k = 0;
        while (k < sizeof fast_attrs / sizeof fast_attrs[0] &&
               !oid_is(&oid, fast_attrs[k].der, fast_attrs[k].n))
            k++;
        if (k == sizeof fast_attrs / sizeof fast_attrs[0])
            goto decline;
        unsigned char tag = all.p[0];
        if (fast_attrs[k].directory_string ? tag != 0x13 && tag != 0x0C
                                           : tag != fast_attrs[k].tag)
            goto decline;
        const char *name = gnutls_x509_dn_oid_name(fast_attrs[k].oid, 0);
        if (name == NULL)
            goto decline;
        /* RDNs are written from the end of the buffer backwards */
        size_t nl = strlen(name), need = nl + 1 + val.n + (end < 2 * r->subject.n);
        if (need > end)
            goto decline;
        if (end < 2 * r->subject.n)
            text[--end] = ',';
        end -= val.n;
        memcpy(text + end, val.p, val.n);
        text[--end] = '=';
        end -= nl;
        memcpy(text + end, name, nl);
        char **first = k == 0 ? &r->cn : k == 7 ? &r->subject_email : NULL;
        if (first && *first == NULL && (*first = der_strdup(&val)) == NULL) {
            free(text);
            return CC_ENOMEM;
        }
    }
    memmove(text, text + end, 2 * r->subject.n - end + 1);
    r->subject_text = text;
    return CC_OK;
decline:
    free(text);
    return CC_E_BAD_REQUEST;
}

/* printable ASCII, as SAN text entries are taken here */
static int
ascii_value(const struct der *v)
{
    if (v->n == 0)
        return 0;
    for (size_t i = 0; i < v->n; i++)
        if (v->p[i] < 0x20 || v->p[i] > 0x7E)
            return 0;
    return 1;
}

/* GeneralNames: DNS, e-mail, URI, IPv4/IPv6 and UPN entries; others decline. */
static int
fast_sans(struct request_info *r, const struct der *value)
{
    struct der c = *value, names, gn, all;
    int rc = CC_OK;
    if (!der_take(&c, 0x30, &names, NULL) || c.n != 0 || names.n == 0)
        return CC_E_BAD_REQUEST;
    r->has_san = 1;
    while (names.n > 0 && rc == CC_OK) {
        if (!der_take_any(&names, &gn, &all))
            return CC_E_BAD_REQUEST;
        unsigned char tag = all.p[0];
        if (tag == 0x82 || tag == 0x81 || tag == 0x86) {
            if (!ascii_value(&gn))
                return CC_E_BAD_REQUEST;
            char *text = der_strdup(&gn);
            if (text == NULL)
                return CC_ENOMEM;
            rc = strlist_add(tag == 0x82 ? &r->dns : tag == 0x81 ? &r->email : &r->uri, text);
            free(text);
        } else if (tag == 0x87 && (gn.n == 4 || gn.n == 16)) {
            char buf[64];
            inet_ntop(gn.n == 4 ? AF_INET : AF_INET6, gn.p, buf, sizeof buf);
            rc = strlist_add(&r->ip, buf);
        } else if (tag == 0xA0) { /* otherName: UPN only */
            struct der oid, wrap, utf8, uall;
            if (!der_take_oid(&gn, &oid) || !OID_IS(&oid, DER_UPN) ||
                !der_take(&gn, 0xA0, &wrap, NULL) || gn.n != 0 ||
                !der_take(&wrap, 0x0C, &utf8, &uall) || wrap.n != 0 || !ascii_value(&utf8))
                return CC_E_BAD_REQUEST;
            char *text = der_strdup(&utf8);
            if (text == NULL)
                return CC_ENOMEM;
            rc = strlist_add(&r->upn, text);
            free(text);
        } else {
            return CC_E_BAD_REQUEST;
        }
    }
    return rc;
}

/*
 * The extensionRequest value: Extensions whose SAN and template extensions
 * are read as read_sans and read_template read them; any other extension
 * only has to be well formed. A repeated SAN or template extension declines
 * (GnuTLS would read the first one only, silently).
 */
static int
fast_extensions(struct request_info *r, const struct der *value)
{
    struct der c = *value, exts, ext, oid, crit, oct, san = {NULL, 0}, tname = {NULL, 0},
                                                      tinfo = {NULL, 0};
    if (!der_take(&c, 0x30, &exts, NULL) || c.n != 0 || exts.n == 0)
        return CC_E_BAD_REQUEST;
    while (exts.n > 0) {
        if (!der_take(&exts, 0x30, &ext, NULL) || !der_take_oid(&ext, &oid))
            return CC_E_BAD_REQUEST;
        if (der_take(&ext, 0x01, &crit, NULL) && (crit.n != 1 || crit.p[0] != 0xFF))
            return CC_E_BAD_REQUEST; /* DER writes only TRUE; FALSE is the default */
        if (!der_take(&ext, 0x04, &oct, NULL) || ext.n != 0)
            return CC_E_BAD_REQUEST;
        struct der *slot = OID_IS(&oid, DER_SAN)             ? &san
                           : OID_IS(&oid, DER_TEMPLATE_NAME) ? &tname
                           : OID_IS(&oid, DER_TEMPLATE_INFO) ? &tinfo
                                                             : NULL;
        if (slot) {
            if (slot->p)
                return CC_E_BAD_REQUEST;
            *slot = oct;
        }
    }
    int rc = san.p ? fast_sans(r, &san) : CC_OK;
    /* as in read_template, a template extension that does not decode is ignored */
    if (rc == CC_OK && tname.p)
        pkix_template_name_decode(tname.p, tname.n, &r->template_name);
    if (rc == CC_OK && tinfo.p)
        pkix_template_info_decode(tinfo.p, tinfo.n, &r->template_oid, &r->template_major,
                                  &r->template_minor);
    return rc;
}

/* The values of the first name-value attribute, as read_template reads them. */
static void
fast_name_values(struct request_info *r, struct der values)
{
    struct der v, all;
    for (unsigned i = 0; i < 8 && der_take_any(&values, &v, &all); i++) {
        char *name, *value;
        if (pkix_name_value_decode(all.p, all.n, &name, &value) == CC_OK) {
            if (cc_strcaseeq(name, "CertificateTemplate") && r->nv_template == NULL)
                r->nv_template = value;
            else
                free(value);
            free(name);
        }
    }
}

/* A positive INTEGER, minimally encoded, not zero. */
static int
der_positive(const struct der *v)
{
    return v->n > 0 && v->p[0] < 0x80 && !(v->p[0] == 0 && (v->n == 1 || v->p[1] < 0x80));
}

/*
 * An RSA key (rsaEncryption, NULL parameters) is imported from its modulus
 * and exponent: the DER import would build a libtasn1 tree to read the same
 * two numbers. Returns 0 when the SPKI is not such a key.
 */
static int
rsa_numbers(const struct pkix_buf *spki_der, gnutls_datum_t *m, gnutls_datum_t *e)
{
    struct der c = {spki_der->p, spki_der->n}, spki, alg, oid, v, bits, key, dm, de;
    if (!der_take(&c, 0x30, &spki, NULL) || !der_take(&spki, 0x30, &alg, NULL) ||
        !der_take(&alg, 0x06, &oid, NULL) || !OID_IS(&oid, DER_RSA) ||
        !der_take(&alg, 0x05, &v, NULL) || v.n != 0 || alg.n != 0 ||
        !der_take(&spki, 0x03, &bits, NULL) || spki.n != 0 || bits.n < 2 || bits.p[0] != 0)
        return 0;
    bits.p++;
    bits.n--;
    if (!der_take(&bits, 0x30, &key, NULL) || bits.n != 0 || !der_take(&key, 0x02, &dm, NULL) ||
        !der_take(&key, 0x02, &de, NULL) || key.n != 0 || !der_positive(&dm) ||
        !der_positive(&de))
        return 0;
    *m = (gnutls_datum_t){(unsigned char *)dm.p, (unsigned)dm.n};
    *e = (gnutls_datum_t){(unsigned char *)de.p, (unsigned)de.n};
    return 1;
}

/*
 * Parses and verifies a DER request without a libtasn1 tree. CC_OK: *r is
 * complete. Anything else: the caller frees *r and asks parse_gnutls.
 */
static int
parse_fast(const unsigned char *data, size_t n, struct request_info *r)
{
    struct der in = {data, n}, req, cri, cri_all, alg, sig, v, subj, spki, attrs, oid;
    struct der ext_request = {NULL, 0}, name_values = {NULL, 0};
    if (!der_take(&in, 0x30, &req, NULL) || in.n != 0 ||
        !der_take(&req, 0x30, &cri, &cri_all) || !der_take(&req, 0x30, &alg, NULL) ||
        !der_take(&req, 0x03, &sig, NULL) || req.n != 0)
        return CC_E_BAD_REQUEST;
    /* CertificationRequestInfo: version 0, subject, key, attributes */
    if (!der_take(&cri, 0x02, &v, NULL) || v.n != 1 || v.p[0] != 0 ||
        !der_take(&cri, 0x30, &v, &subj) || !der_take(&cri, 0x30, &v, &spki) ||
        !der_take(&cri, 0xA0, &attrs, NULL) || cri.n != 0)
        return CC_E_BAD_REQUEST;
    while (attrs.n > 0) {
        struct der attr, values, one, all;
        if (!der_take(&attrs, 0x30, &attr, NULL) || !der_take_oid(&attr, &oid) ||
            !der_take(&attr, 0x31, &values, NULL) || attr.n != 0 || values.n == 0)
            return CC_E_BAD_REQUEST;
        for (struct der w = values; w.n > 0;)
            if (!der_take_any(&w, &one, &all))
                return CC_E_BAD_REQUEST;
        if (OID_IS(&oid, DER_MS_EXT_REQUEST))
            return CC_E_BAD_REQUEST; /* GnuTLS's reading of it decides */
        if (OID_IS(&oid, DER_EXT_REQUEST)) {
            if (ext_request.p)
                return CC_E_BAD_REQUEST;
            der_take_any(&values, &one, &ext_request); /* the first value is read */
        } else if (OID_IS(&oid, DER_NAME_VALUE) && name_values.p == NULL) {
            name_values = values;
        }
    }
    /* signatureAlgorithm: a known OID, NULL parameters for RSA, none otherwise */
    size_t k = 0;
    if (!der_take_oid(&alg, &oid))
        return CC_E_BAD_REQUEST;
    while (k < sizeof fast_signs / sizeof fast_signs[0] &&
           !oid_is(&oid, fast_signs[k].oid, fast_signs[k].n))
        k++;
    if (k == sizeof fast_signs / sizeof fast_signs[0])
        return CC_E_BAD_REQUEST;
    if (fast_signs[k].pk == GNUTLS_PK_RSA &&
        (!der_take(&alg, 0x05, &v, NULL) || v.n != 0))
        return CC_E_BAD_REQUEST;
    if (alg.n != 0 || sig.n < 2 || sig.p[0] != 0) /* BIT STRING, no unused bits */
        return CC_E_BAD_REQUEST;
    r->sign = fast_signs[k].sign;

    int rc;
    if ((rc = pkix_buf_set(&r->der, data, n)) != CC_OK ||
        (rc = pkix_buf_set(&r->subject, subj.p, subj.n)) != CC_OK ||
        (rc = pkix_buf_set(&r->spki, spki.p, spki.n)) != CC_OK)
        return rc;
    if ((rc = fast_subject(r)) != CC_OK)
        return rc;

    /* the key once, from its own DER; the signature as GnuTLS checks a request's */
    gnutls_pubkey_t pub;
    if (gnutls_pubkey_init(&pub) < 0)
        return CC_ENOMEM;
    gnutls_datum_t key = {r->spki.p, (unsigned)r->spki.n}, m, e;
    gnutls_datum_t tbs = {(unsigned char *)cri_all.p, (unsigned)cri_all.n};
    gnutls_datum_t signature = {(unsigned char *)sig.p + 1, (unsigned)sig.n - 1};
    int pk = -1;
    if (rsa_numbers(&r->spki, &m, &e) ? gnutls_pubkey_import_rsa_raw(pub, &m, &e) >= 0
                                      : gnutls_pubkey_import(pub, &key, GNUTLS_X509_FMT_DER) >= 0)
        pk = gnutls_pubkey_get_pk_algorithm(pub, &r->bits);
    if (pk != (int)fast_signs[k].pk ||
        gnutls_pubkey_verify_data2(pub, r->sign, GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, &tbs,
                                   &signature) < 0) {
        gnutls_pubkey_deinit(pub);
        return CC_E_BAD_REQUEST;
    }
    gnutls_pubkey_deinit(pub);
    r->pk = (gnutls_pk_algorithm_t)pk;
    if (gnutls_hash_fast(GNUTLS_DIG_SHA1, r->spki.p, r->spki.n, r->key_id) < 0)
        return CC_E_BAD_REQUEST;
    r->key_id_len = 20;

    if (ext_request.p && (rc = fast_extensions(r, &ext_request)) != CC_OK)
        return rc;
    if (name_values.p)
        fast_name_values(r, name_values);
    return CC_OK;
}

int
request_parse(const void *data, size_t n, struct request_info *out, char **cause)
{
    memset(out, 0, sizeof *out);
    out->template_major = out->template_minor = -1;
    if (n == 0 || n > 1 << 20)
        return cc_fail(cause, CC_E_BAD_REQUEST, "the request is %s",
                       n == 0 ? "empty" : "larger than 1 MiB");
    if (((const unsigned char *)data)[0] == 0x30 && parse_fast(data, n, out) == CC_OK)
        return CC_OK;
    request_info_free(out);
    return parse_gnutls(data, n, out, cause);
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
