/*
 * Certificate building. The profile of a template is encoded once with
 * GnuTLS's extension encoders and libtasn1 (ca/pkix.asn); each certificate
 * then splices the profile's DER with what differs per certificate (serial,
 * validity, subject, public key, SAN, SKI, SID) by hand, without creating
 * libtasn1 elements: with an EC CA key the element trees cost more than
 * the signature. DER is canonical, so the bytes are the same libtasn1 would
 * write. Output is checked by the tests with GnuTLS, certtool and OpenSSL.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/x509-ext.h>

#include "certlint.h"
#include "issue.h"
#include "status.h"

#define OID_TEMPLATE_NAME "1.3.6.1.4.1.311.20.2"
#define OID_TEMPLATE_INFO "1.3.6.1.4.1.311.21.7"
#define OID_APP_POLICIES "1.3.6.1.4.1.311.21.10"
#define OID_UPN "1.3.6.1.4.1.311.20.2.3"
#define OID_DS_GUID "1.3.6.1.4.1.311.25.1"
#define OID_OCSP_NOCHECK "1.3.6.1.5.5.7.48.1.5"
#define OID_SMIME_CAPABILITIES "1.2.840.113549.1.9.15"

/* Back-dating of notBefore for clients whose clocks lag (Windows: ~10 min). */

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
    if (t->enrollment_flag & CT_ENROLL_INCLUDE_SYMMETRIC_ALGORITHMS) {
        /* what a Windows CA lists for S/MIME: AES-256, AES-128, then 3DES (RFC 4262) */
        static const char *const caps[] = {
            "2.16.840.1.101.3.4.1.42", /* aes256-CBC */
            "2.16.840.1.101.3.4.1.2",  /* aes128-CBC */
            "1.2.840.113549.3.7",      /* des-ede3-cbc */
        };
        struct strlist l = {(char **)caps, sizeof caps / sizeof caps[0]};
        rc = pkix_smime_capabilities_encode(&l, &v, cause);
        if (rc == CC_OK)
            rc = add_ext(out, OID_SMIME_CAPABILITIES, 0, &v, cause);
        pkix_buf_free(&v);
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
san_extension_gnutls(const struct issue_names *names, int critical, struct pkix_buf *out,
                     char **cause)
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

/* --- hand-written DER for the per-certificate parts --- */

/* Octets of a DER length field for a content of n bytes. */
static size_t
der_len_size(size_t n)
{
    size_t k = 1;
    if (n >= 0x80)
        for (size_t m = n; m > 0; m >>= 8)
            k++;
    return k;
}

static size_t
der_tlv_size(size_t n)
{
    return 1 + der_len_size(n) + n;
}

/* Writes tag and length at p; returns the position of the content. */
static unsigned char *
der_put_head(unsigned char *p, unsigned char tag, size_t n)
{
    *p++ = tag;
    size_t k = der_len_size(n);
    if (k == 1) {
        *p++ = (unsigned char)n;
        return p;
    }
    *p++ = (unsigned char)(0x80 | (k - 1));
    for (size_t i = k - 1; i > 0; i--)
        *p++ = (unsigned char)(n >> (8 * (i - 1)));
    return p;
}

static unsigned char *
der_put(unsigned char *p, const void *data, size_t n)
{
    if (n)
        memcpy(p, data, n);
    return p + n;
}

/* Appends a tag, length and content to b (b->p grows with the usual realloc). */
static int
der_append_tlv(struct pkix_buf *b, unsigned char tag, const void *content, size_t n)
{
    unsigned char hdr[16];
    unsigned char *c = der_put_head(hdr, tag, n);
    int rc = pkix_buf_append(b, hdr, (size_t)(c - hdr));
    if (rc == CC_OK)
        rc = pkix_buf_append(b, content, n);
    return rc;
}

/* The extnID TLVs of the per-certificate extensions. */
static const unsigned char oid_der_san[] = {0x06, 0x03, 0x55, 0x1D, 0x11};
static const unsigned char oid_der_ski[] = {0x06, 0x03, 0x55, 0x1D, 0x0E};
static const unsigned char oid_der_sid[] = {0x06, 0x09, 0x2B, 0x06, 0x01, 0x04,
                                            0x01, 0x82, 0x37, 0x19, 0x02};
static const unsigned char oid_der_upn[] = {0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04,
                                            0x01, 0x82, 0x37, 0x14, 0x02, 0x03};
static const unsigned char oid_der_guid[] = {0x06, 0x09, 0x2B, 0x06, 0x01, 0x04,
                                             0x01, 0x82, 0x37, 0x19, 0x01};

/* Appends Extension { extnID, critical (only when TRUE: DER omits the default), extnValue }. */
static int
ext_append(struct pkix_buf *out, const unsigned char *oid_tlv, size_t oid_n, int critical,
           const void *value, size_t n)
{
    static const unsigned char crit[] = {0x01, 0x01, 0xFF};
    size_t body = oid_n + (critical ? sizeof crit : 0) + der_tlv_size(n);
    size_t total = der_tlv_size(body);
    unsigned char *q = realloc(out->p, out->n + total + 1);
    if (q == NULL)
        return CC_ENOMEM;
    out->p = q;
    unsigned char *p = der_put_head(q + out->n, 0x30, body);
    p = der_put(p, oid_tlv, oid_n);
    if (critical)
        p = der_put(p, crit, sizeof crit);
    p = der_put_head(p, 0x04, n);
    der_put(p, value, n);
    out->n += total;
    return CC_OK;
}

/* Whether s is what GnuTLS copies unchanged into a SAN (printable ASCII, not empty). */
static int
san_plain(const char *s)
{
    if (*s == '\0')
        return 0;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        if (*c < 0x20 || *c > 0x7E)
            return 0;
    return 1;
}

static int
san_all_plain(const struct strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        if (!san_plain(l->v[i]))
            return 0;
    return 1;
}

/* otherName [0] { type-id, [0] EXPLICIT value } of GeneralName. */
static int
san_append_othername(struct pkix_buf *g, const unsigned char *oid_tlv, size_t oid_n,
                     const struct pkix_buf *value)
{
    struct pkix_buf body = {0};
    int rc = pkix_buf_append(&body, oid_tlv, oid_n);
    if (rc == CC_OK)
        rc = der_append_tlv(&body, 0xA0, value->p, value->n);
    if (rc == CC_OK)
        rc = der_append_tlv(g, 0xA0, body.p, body.n);
    pkix_buf_free(&body);
    return rc;
}

/*
 * The SAN extension in the order and form GnuTLS writes it (DNS, e-mail, URI,
 * IP, UPN, GUID). Names GnuTLS would transform (IDNA for non-ASCII, and
 * empty strings) go through GnuTLS instead, so the output never differs.
 */
static int
san_extension(const struct issue_names *names, int critical, struct pkix_buf *out, char **cause)
{
    if (!san_all_plain(&names->dns) || !san_all_plain(&names->email) || !san_all_plain(&names->uri))
        return san_extension_gnutls(names, critical, out, cause);
    struct pkix_buf g = {0}, v = {0};
    int rc = CC_OK;
    for (size_t i = 0; i < names->dns.n && rc == CC_OK; i++)
        rc = der_append_tlv(&g, 0x82, names->dns.v[i], strlen(names->dns.v[i]));
    for (size_t i = 0; i < names->email.n && rc == CC_OK; i++)
        rc = der_append_tlv(&g, 0x81, names->email.v[i], strlen(names->email.v[i]));
    for (size_t i = 0; i < names->uri.n && rc == CC_OK; i++)
        rc = der_append_tlv(&g, 0x86, names->uri.v[i], strlen(names->uri.v[i]));
    for (size_t i = 0; i < names->ip.n && rc == CC_OK; i++) {
        unsigned char addr[16];
        size_t len;
        if (inet_pton(AF_INET, names->ip.v[i], addr) == 1)
            len = 4;
        else if (inet_pton(AF_INET6, names->ip.v[i], addr) == 1)
            len = 16;
        else {
            pkix_buf_free(&g);
            return cc_fail(cause, CC_EINVAL, "'%s' is not an IP address", names->ip.v[i]);
        }
        rc = der_append_tlv(&g, 0x87, addr, len);
    }
    for (size_t i = 0; i < names->upn.n && rc == CC_OK; i++) {
        rc = pkix_wrap(&v, 0x0C, names->upn.v[i], strlen(names->upn.v[i]));
        if (rc == CC_OK)
            rc = san_append_othername(&g, oid_der_upn, sizeof oid_der_upn, &v);
        pkix_buf_free(&v);
    }
    if (names->guid && rc == CC_OK) {
        unsigned char b[16];
        if (guid_bytes(names->guid, b) != CC_OK || pkix_wrap(&v, 0x04, b, 16) != CC_OK) {
            pkix_buf_free(&g);
            pkix_buf_free(&v);
            return cc_fail(cause, CC_EINVAL, "objectGUID '%s' is malformed", names->guid);
        }
        rc = san_append_othername(&g, oid_der_guid, sizeof oid_der_guid, &v);
        pkix_buf_free(&v);
    }
    if (rc == CC_OK)
        rc = pkix_wrap(&v, 0x30, g.p, g.n);
    if (rc == CC_OK)
        rc = ext_append(out, oid_der_san, sizeof oid_der_san, critical, v.p, v.n);
    pkix_buf_free(&g);
    pkix_buf_free(&v);
    return rc;
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
    struct pkix_buf exts = {0}, sig = {0}, v = {0};
    unsigned char *tbs = NULL;
    unsigned char serial[16];
    int rc;
    memset(out, 0, sizeof *out);

    time_t nb, na;
    if ((rc = authority_validity(&ca->info, prof->validity, now, &nb, &na, NULL, cause)) != CC_OK)
        return rc;
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
        rc = ext_append(&exts, oid_der_ski, sizeof oid_der_ski, 0, v.p, v.n);
    pkix_buf_free(&v);
    if (rc == CC_OK && names->sid) {
        if ((rc = pkix_sid_encode(names->sid, &v, cause)) == CC_OK)
            rc = ext_append(&exts, oid_der_sid, sizeof oid_der_sid, 0, v.p, v.n);
        pkix_buf_free(&v);
    }
    if (rc == CC_OK)
        rc = pkix_buf_append(&exts, prof->suffix.p, prof->suffix.n);
    if (rc != CC_OK)
        goto out;

    /* TBSCertificate (RFC 5280 4.1), every length known before writing */
    static const unsigned char version[] = {0xA0, 0x03, 0x02, 0x01, 0x02};
    static const unsigned char empty_name[] = {0x30, 0x00};
    const unsigned char *subj = names->subject.n ? names->subject.p : empty_name;
    size_t subj_len = names->subject.n ? names->subject.n : sizeof empty_name;
    char t1[32], t2[32];
    int g1, g2;
    pkix_time_string(nb, t1, sizeof t1, &g1);
    pkix_time_string(na, t2, sizeof t2, &g2);
    size_t validity = der_tlv_size(strlen(t1)) + der_tlv_size(strlen(t2));
    size_t ext_seq = der_tlv_size(exts.n);
    size_t body = sizeof version + der_tlv_size(sizeof serial) + ca->sigalg.n + ca->issuer.n +
                  der_tlv_size(validity) + subj_len + spki->n + der_tlv_size(ext_seq);
    size_t tbs_n = der_tlv_size(body);
    if ((tbs = malloc(tbs_n)) == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    unsigned char *p = der_put_head(tbs, 0x30, body);
    p = der_put(p, version, sizeof version);
    p = der_put(der_put_head(p, 0x02, sizeof serial), serial, sizeof serial);
    p = der_put(p, ca->sigalg.p, ca->sigalg.n);
    p = der_put(p, ca->issuer.p, ca->issuer.n);
    p = der_put_head(p, 0x30, validity);
    p = der_put(der_put_head(p, g1 ? 0x18 : 0x17, strlen(t1)), t1, strlen(t1));
    p = der_put(der_put_head(p, g2 ? 0x18 : 0x17, strlen(t2)), t2, strlen(t2));
    p = der_put(p, subj, subj_len);
    p = der_put(p, spki->p, spki->n);
    p = der_put_head(der_put_head(p, 0xA3, ext_seq), 0x30, exts.n);
    der_put(p, exts.p, exts.n);

    /* build, lint, sign: nothing is signed that `certcon lint` would reject */
    struct certlint_context lc = {ca->info.not_before, ca->info.not_after};
    if ((rc = certlint_refuse(tbs, tbs_n, 0, &lc, cause)) != CC_OK)
        goto out;
    if ((rc = authority_sign(ca, tbs, tbs_n, &sig, cause)) != CC_OK)
        goto out;
    /* Certificate ::= SEQUENCE { tbs, signatureAlgorithm, BIT STRING (no unused bits) } */
    size_t cert_body = tbs_n + ca->sigalg.n + der_tlv_size(sig.n + 1);
    out->der.n = der_tlv_size(cert_body);
    if ((out->der.p = malloc(out->der.n + 1)) == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    p = der_put_head(out->der.p, 0x30, cert_body);
    p = der_put(p, tbs, tbs_n);
    p = der_put(p, ca->sigalg.p, ca->sigalg.n);
    p = der_put_head(p, 0x03, sig.n + 1);
    *p++ = 0x00;
    der_put(p, sig.p, sig.n);

    static const char hexd[] = "0123456789abcdef";
    unsigned char sha1[20];
    gnutls_hash_fast(GNUTLS_DIG_SHA1, out->der.p, out->der.n, sha1);
    for (int i = 0; i < 20; i++) {
        out->thumbprint[2 * i] = hexd[sha1[i] >> 4];
        out->thumbprint[2 * i + 1] = hexd[sha1[i] & 15];
    }
    out->thumbprint[40] = '\0';
    for (int i = 0; i < 16; i++) {
        out->serial[2 * i] = hexd[serial[i] >> 4];
        out->serial[2 * i + 1] = hexd[serial[i] & 15];
    }
    out->serial[32] = '\0';
    out->not_before = nb;
    out->not_after = na;
out:
    if (rc != CC_OK)
        pkix_buf_free(&out->der);
    free(tbs);
    pkix_buf_free(&exts);
    pkix_buf_free(&sig);
    return rc;
}
