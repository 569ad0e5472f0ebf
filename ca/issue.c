/*
 * Certificate building. The profile of a template is encoded once with
 * GnuTLS's extension encoders and libtasn1 (ca/pkix.asn); each certificate
 * then costs one small TBSCertificate encoding, the SAN and SKI extensions,
 * the outer SEQUENCE and the signature. Output is checked by the tests with
 * GnuTLS, certtool and OpenSSL.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/x509-ext.h>

#include "issue.h"
#include "status.h"

#define OID_TEMPLATE_NAME "1.3.6.1.4.1.311.20.2"
#define OID_TEMPLATE_INFO "1.3.6.1.4.1.311.21.7"
#define OID_APP_POLICIES "1.3.6.1.4.1.311.21.10"
#define OID_SID_EXT "1.3.6.1.4.1.311.25.2"
#define OID_UPN "1.3.6.1.4.1.311.20.2.3"
#define OID_DS_GUID "1.3.6.1.4.1.311.25.1"
#define OID_OCSP_NOCHECK "1.3.6.1.5.5.7.48.1.5"
#define OID_SKI "2.5.29.14"

/* Back-dating of notBefore for clients whose clocks lag (Windows: ~10 min). */
#define CLOCK_SKEW 600

static int
crypto_fail(char **cause, const char *what, int err)
{
    return cc_fail(cause, err == GNUTLS_E_MEMORY_ERROR ? CC_ENOMEM : CC_ECRYPTO, "%s: %s", what,
                   gnutls_strerror(err));
}

static int
is_critical(const struct template *t, const char *oid)
{
    return strlist_find(&t->critical_extensions, oid, 0) >= 0;
}

/* Appends one Extension TLV made from a GnuTLS-exported value (freed here). */
static int
add_gnutls_ext(struct pkix_buf *out, const char *oid, int critical, int err,
               gnutls_datum_t *value, char **cause)
{
    if (err < 0) {
        gnutls_free(value->data);
        return crypto_fail(cause, oid, err);
    }
    struct pkix_buf ext = {0};
    int rc = pkix_extension(oid, critical, value->data, value->size, &ext, cause);
    gnutls_free(value->data);
    value->data = NULL;
    if (rc == CC_OK)
        rc = pkix_buf_append(out, ext.p, ext.n);
    pkix_buf_free(&ext);
    return rc;
}

static int
add_ext(struct pkix_buf *out, const char *oid, int critical, const struct pkix_buf *value,
        char **cause)
{
    struct pkix_buf ext = {0};
    int rc = pkix_extension(oid, critical, value->p, value->n, &ext, cause);
    if (rc == CC_OK)
        rc = pkix_buf_append(out, ext.p, ext.n);
    pkix_buf_free(&ext);
    return rc;
}

static int
add_key_usage(struct pkix_buf *out, const struct template *t, int ec, char **cause)
{
    unsigned ku = t->key_usage;
    if (ku == 0)
        return CC_OK;
    if (ec) {
        /* MS-WCCE: the CA fits key usage to the key; EC keys do not encipher */
        ku &= ~(unsigned)(CT_KU_KEY_ENCIPHERMENT | CT_KU_DATA_ENCIPHERMENT);
        if ((ku & (CT_KU_DIGITAL_SIGNATURE | CT_KU_KEY_CERT_SIGN | CT_KU_CRL_SIGN |
                   CT_KU_NON_REPUDIATION | CT_KU_KEY_AGREEMENT)) == 0)
            ku |= CT_KU_DIGITAL_SIGNATURE;
    }
    gnutls_datum_t v = {NULL, 0};
    int err = gnutls_x509_ext_export_key_usage(ku, &v);
    return add_gnutls_ext(out, OID_EXT_KEY_USAGE, is_critical(t, OID_EXT_KEY_USAGE), err, &v,
                          cause);
}

static int
is_ca_template(const struct template *t)
{
    return (t->flags & (CT_FLAG_IS_CA | CT_FLAG_IS_CROSS_CA)) || cc_strcaseeq(t->cn, "SubCA") ||
           cc_strcaseeq(t->cn, "CA") || cc_strcaseeq(t->cn, "CrossCA");
}

/* The extensions that come from the template; the KU depends on the key type. */
static int
template_extensions(const struct template *t, int ec, struct pkix_buf *out, char **cause)
{
    struct pkix_buf v = {0};
    int rc = CC_OK;
    if (t->schema_version <= 1) {
        rc = pkix_template_name_encode(t->cn, &v, cause);
        if (rc == CC_OK)
            rc = add_ext(out, OID_TEMPLATE_NAME, 0, &v, cause);
    } else {
        rc = pkix_template_info_encode(t->oid, t->revision, t->minor_revision, &v, cause);
        if (rc == CC_OK)
            rc = add_ext(out, OID_TEMPLATE_INFO, 0, &v, cause);
    }
    pkix_buf_free(&v);
    if (rc != CC_OK)
        return rc;
    if (t->eku.n > 0) {
        gnutls_x509_key_purposes_t kp;
        if (gnutls_x509_key_purpose_init(&kp) < 0)
            return CC_ENOMEM;
        int err = 0;
        for (size_t i = 0; i < t->eku.n && err >= 0; i++) {
            err = gnutls_x509_key_purpose_set(kp, t->eku.v[i]);
        }
        gnutls_datum_t d = {NULL, 0};
        if (err >= 0)
            err = gnutls_x509_ext_export_key_purposes(kp, &d);
        gnutls_x509_key_purpose_deinit(kp);
        if ((rc = add_gnutls_ext(out, OID_EXT_EKU, is_critical(t, OID_EXT_EKU), err, &d,
                                 cause)) != CC_OK)
            return rc;
    }
    if ((rc = add_key_usage(out, t, ec, cause)) != CC_OK)
        return rc;
    if (t->schema_version >= 2 && t->app_policies.n > 0) {
        rc = pkix_policies_encode(&t->app_policies, &v, cause);
        if (rc == CC_OK)
            rc = add_ext(out, OID_APP_POLICIES, is_critical(t, OID_APP_POLICIES), &v, cause);
        pkix_buf_free(&v);
        if (rc != CC_OK)
            return rc;
    }
    if (t->cert_policies.n > 0) {
        rc = pkix_policies_encode(&t->cert_policies, &v, cause);
        if (rc == CC_OK)
            rc = add_ext(out, OID_EXT_CERT_POLICIES, is_critical(t, OID_EXT_CERT_POLICIES), &v,
                         cause);
        pkix_buf_free(&v);
        if (rc != CC_OK)
            return rc;
    }
    int ca = is_ca_template(t);
    if (ca || (t->enrollment_flag & CT_ENROLL_INCLUDE_BASIC_CONSTRAINTS_FOR_EE_CERTS)) {
        gnutls_datum_t d = {NULL, 0};
        int err = gnutls_x509_ext_export_basic_constraints(
            (unsigned)ca, ca ? t->max_issuing_depth : -1, &d);
        rc = add_gnutls_ext(out, OID_EXT_BASIC_CONSTRAINTS,
                            ca || is_critical(t, OID_EXT_BASIC_CONSTRAINTS), err, &d, cause);
        if (rc != CC_OK)
            return rc;
    }
    if (t->enrollment_flag & CT_ENROLL_ADD_OCSP_NOCHECK) {
        static const unsigned char null_der[] = {0x05, 0x00};
        struct pkix_buf n = {(unsigned char *)null_der, sizeof null_der};
        rc = add_ext(out, OID_OCSP_NOCHECK, 0, &n, cause);
    }
    return rc;
}

int
issue_profile_build(struct store *st, const struct authority *ca, const struct template *t,
                    struct issue_profile **out, char **cause)
{
    (void)st;
    struct issue_profile *p = calloc(1, sizeof *p);
    if (p == NULL)
        return CC_ENOMEM;
    p->template_id = t->id;
    p->change_count = t->change_count;
    p->template_cn = cc_strdup(t->cn);
    p->validity = t->validity;
    p->san_critical = is_critical(t, OID_EXT_SAN);
    int rc = p->template_cn ? CC_OK : CC_ENOMEM;
    if (rc == CC_OK)
        rc = template_extensions(t, 0, &p->prefix_rsa, cause);
    if (rc == CC_OK)
        rc = template_extensions(t, 1, &p->prefix_ec, cause);
    if (rc == CC_OK)
        rc = pkix_buf_append(&p->suffix, ca->ext_aki.p, ca->ext_aki.n);
    int revinfo = !(t->enrollment_flag &
                    (CT_ENROLL_NOREVOCATIONINFOINISSUEDCERTS | CT_ENROLL_ADD_OCSP_NOCHECK));
    if (rc == CC_OK && revinfo && ca->ext_cdp.n)
        rc = pkix_buf_append(&p->suffix, ca->ext_cdp.p, ca->ext_cdp.n);
    if (rc == CC_OK && revinfo && ca->ext_aia.n)
        rc = pkix_buf_append(&p->suffix, ca->ext_aia.p, ca->ext_aia.n);
    if (rc != CC_OK) {
        issue_profile_free(p);
        return rc;
    }
    *out = p;
    return CC_OK;
}

void
issue_profile_free(struct issue_profile *p)
{
    if (p == NULL)
        return;
    free(p->template_cn);
    pkix_buf_free(&p->prefix_rsa);
    pkix_buf_free(&p->prefix_ec);
    pkix_buf_free(&p->suffix);
    free(p);
}

void
issue_names_free(struct issue_names *n)
{
    if (n == NULL)
        return;
    pkix_buf_free(&n->subject);
    strlist_free(&n->dns);
    strlist_free(&n->ip);
    strlist_free(&n->email);
    strlist_free(&n->upn);
    strlist_free(&n->uri);
    free(n->guid);
    free(n->sid);
    memset(n, 0, sizeof *n);
}

void
issue_result_free(struct issue_result *r)
{
    if (r == NULL)
        return;
    pkix_buf_free(&r->der);
    memset(r, 0, sizeof *r);
}

static int
san_add_text(gnutls_subject_alt_names_t sans, unsigned type, const char *s)
{
    gnutls_datum_t d = {(unsigned char *)s, (unsigned)strlen(s)};
    return gnutls_subject_alt_names_set(sans, type, &d, NULL);
}

static int
guid_bytes(const char *guid, unsigned char out[16])
{
    /* objectGUID in its string form; the binary form is little-endian in the first three fields */
    struct pkix_buf b = {0};
    char hex[40];
    size_t k = 0;
    for (const char *c = guid; *c && k < sizeof hex - 1; c++)
        if (*c != '-' && *c != '{' && *c != '}')
            hex[k++] = *c;
    hex[k] = '\0';
    if (pkix_unhex(hex, &b) != CC_OK || b.n != 16) {
        pkix_buf_free(&b);
        return CC_EINVAL;
    }
    static const int order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    for (int i = 0; i < 16; i++)
        out[i] = b.p[order[i]];
    pkix_buf_free(&b);
    return CC_OK;
}

static int
san_extension(const struct issue_names *names, int critical, struct pkix_buf *out, char **cause)
{
    gnutls_subject_alt_names_t sans;
    int err = 0, rc = CC_OK;
    if (gnutls_subject_alt_names_init(&sans) < 0)
        return CC_ENOMEM;
    for (size_t i = 0; i < names->dns.n && err >= 0; i++)
        err = san_add_text(sans, GNUTLS_SAN_DNSNAME, names->dns.v[i]);
    for (size_t i = 0; i < names->email.n && err >= 0; i++)
        err = san_add_text(sans, GNUTLS_SAN_RFC822NAME, names->email.v[i]);
    for (size_t i = 0; i < names->uri.n && err >= 0; i++)
        err = san_add_text(sans, GNUTLS_SAN_URI, names->uri.v[i]);
    for (size_t i = 0; i < names->ip.n && err >= 0; i++) {
        unsigned char addr[16];
        gnutls_datum_t d = {addr, 0};
        if (inet_pton(AF_INET, names->ip.v[i], addr) == 1)
            d.size = 4;
        else if (inet_pton(AF_INET6, names->ip.v[i], addr) == 1)
            d.size = 16;
        else {
            gnutls_subject_alt_names_deinit(sans);
            return cc_fail(cause, CC_EINVAL, "'%s' is not an IP address", names->ip.v[i]);
        }
        err = gnutls_subject_alt_names_set(sans, GNUTLS_SAN_IPADDRESS, &d, NULL);
    }
    for (size_t i = 0; i < names->upn.n && err >= 0; i++) {
        struct pkix_buf v = {0};
        if (pkix_wrap(&v, 0x0C, names->upn.v[i], strlen(names->upn.v[i])) != CC_OK) {
            rc = CC_ENOMEM;
            break;
        }
        gnutls_datum_t d = {v.p, (unsigned)v.n};
        err = gnutls_subject_alt_names_set(sans, GNUTLS_SAN_OTHERNAME, &d, OID_UPN);
        pkix_buf_free(&v);
    }
    if (names->guid && err >= 0 && rc == CC_OK) {
        unsigned char g[16];
        struct pkix_buf v = {0};
        if (guid_bytes(names->guid, g) != CC_OK || pkix_wrap(&v, 0x04, g, 16) != CC_OK) {
            rc = cc_fail(cause, CC_EINVAL, "objectGUID '%s' is malformed", names->guid);
        } else {
            gnutls_datum_t d = {v.p, (unsigned)v.n};
            err = gnutls_subject_alt_names_set(sans, GNUTLS_SAN_OTHERNAME, &d, OID_DS_GUID);
        }
        pkix_buf_free(&v);
    }
    gnutls_datum_t value = {NULL, 0};
    if (rc == CC_OK && err >= 0)
        err = gnutls_x509_ext_export_subject_alt_names(sans, &value);
    gnutls_subject_alt_names_deinit(sans);
    if (rc != CC_OK) {
        gnutls_free(value.data);
        return rc;
    }
    return add_gnutls_ext(out, OID_EXT_SAN, critical, err, &value, cause);
}

static int
random_serial(unsigned char serial[16])
{
    do {
        if (cc_random(serial, 16) != CC_OK)
            return CC_EIO;
        serial[0] &= 0x7F;
    } while (serial[0] == 0);
    return CC_OK;
}

int
issue_certificate(struct authority *ca, const struct issue_profile *prof,
                  const struct issue_names *names, const struct pkix_buf *spki,
                  gnutls_pk_algorithm_t pk, const unsigned char *key_id, size_t key_id_len,
                  time_t now, struct issue_result *out, char **cause)
{
    struct pkix_buf exts = {0}, wrapped = {0}, tbs = {0}, sig = {0}, v = {0};
    asn1_node el = NULL;
    unsigned char serial[16];
    int rc;
    memset(out, 0, sizeof *out);

    time_t nb = now - CLOCK_SKEW, na = now + (time_t)prof->validity;
    if (nb < ca->not_before)
        nb = ca->not_before;
    if (ca->info.validity_cap > 0 && na > now + (time_t)ca->info.validity_cap)
        na = now + (time_t)ca->info.validity_cap;
    if (na > ca->not_after)
        na = ca->not_after;
    if (na <= now)
        return cc_fail(cause, CC_E_CA_NOT_READY, "the CA certificate has expired");
    if (random_serial(serial) != CC_OK)
        return cc_fail(cause, CC_EIO, "no random bytes for the serial number");

    /* extensions: template prefix, per-certificate names and key id, CA suffix */
    int ec = pk != GNUTLS_PK_RSA && pk != GNUTLS_PK_RSA_PSS;
    const struct pkix_buf *prefix = ec ? &prof->prefix_ec : &prof->prefix_rsa;
    rc = pkix_buf_append(&exts, prefix->p, prefix->n);
    int empty_subject = names->subject.n <= 2;
    if (rc == CC_OK && (names->dns.n || names->ip.n || names->email.n || names->upn.n ||
                        names->uri.n || names->guid))
        rc = san_extension(names, prof->san_critical || empty_subject, &exts, cause);
    if (rc == CC_OK && (rc = pkix_wrap(&v, 0x04, key_id, key_id_len)) == CC_OK)
        rc = add_ext(&exts, OID_SKI, 0, &v, cause);
    pkix_buf_free(&v);
    if (rc == CC_OK && names->sid) {
        if ((rc = pkix_sid_encode(names->sid, &v, cause)) == CC_OK)
            rc = add_ext(&exts, OID_SID_EXT, 0, &v, cause);
        pkix_buf_free(&v);
    }
    if (rc == CC_OK)
        rc = pkix_buf_append(&exts, prof->suffix.p, prof->suffix.n);
    if (rc == CC_OK)
        rc = pkix_wrap(&wrapped, 0x30, exts.p, exts.n);
    if (rc != CC_OK)
        goto out;

    if ((rc = pkix_element("CertconPKIX.TBSCertificate", &el, cause)) != CC_OK)
        goto out;
    static const unsigned char v3[] = {0x02};
    static const unsigned char empty_name[] = {0x30, 0x00};
    const void *subj = names->subject.n ? names->subject.p : empty_name;
    int subj_len = names->subject.n ? (int)names->subject.n : 2;
    if (asn1_write_value(el, "version", v3, 1) != ASN1_SUCCESS ||
        asn1_write_value(el, "serialNumber", serial, sizeof serial) != ASN1_SUCCESS ||
        asn1_write_value(el, "signature", ca->sigalg.p, (int)ca->sigalg.n) != ASN1_SUCCESS ||
        asn1_write_value(el, "issuer", ca->issuer.p, (int)ca->issuer.n) != ASN1_SUCCESS ||
        pkix_write_time(el, "validity.notBefore", nb) != CC_OK ||
        pkix_write_time(el, "validity.notAfter", na) != CC_OK ||
        asn1_write_value(el, "subject", subj, subj_len) != ASN1_SUCCESS ||
        asn1_write_value(el, "subjectPublicKeyInfo", spki->p, (int)spki->n) != ASN1_SUCCESS ||
        asn1_write_value(el, "extensions", wrapped.p, (int)wrapped.n) != ASN1_SUCCESS) {
        rc = cc_fail(cause, CC_ECRYPTO, "the certificate cannot be encoded");
        goto out;
    }
    if ((rc = pkix_der(el, NULL, &tbs, cause)) != CC_OK)
        goto out;
    asn1_delete_structure(&el);
    if ((rc = authority_sign(ca, tbs.p, tbs.n, &sig, cause)) != CC_OK)
        goto out;
    if ((rc = pkix_element("CertconPKIX.SignedData", &el, cause)) != CC_OK)
        goto out;
    if (asn1_write_value(el, "toBeSigned", tbs.p, (int)tbs.n) != ASN1_SUCCESS ||
        asn1_write_value(el, "signatureAlgorithm", ca->sigalg.p, (int)ca->sigalg.n) !=
            ASN1_SUCCESS ||
        asn1_write_value(el, "signature", sig.p, (int)sig.n * 8) != ASN1_SUCCESS) {
        rc = cc_fail(cause, CC_ECRYPTO, "the certificate cannot be encoded");
        goto out;
    }
    if ((rc = pkix_der(el, NULL, &out->der, cause)) != CC_OK)
        goto out;
    unsigned char sha1[20];
    gnutls_hash_fast(GNUTLS_DIG_SHA1, out->der.p, out->der.n, sha1);
    for (int i = 0; i < 20; i++)
        snprintf(out->thumbprint + 2 * i, 3, "%02x", sha1[i]);
    for (int i = 0; i < 16; i++)
        snprintf(out->serial + 2 * i, 3, "%02x", serial[i]);
    out->not_before = nb;
    out->not_after = na;
out:
    if (el)
        asn1_delete_structure(&el);
    if (rc != CC_OK)
        pkix_buf_free(&out->der);
    pkix_buf_free(&exts);
    pkix_buf_free(&wrapped);
    pkix_buf_free(&tbs);
    pkix_buf_free(&sig);
    return rc;
}
