/*
 * libtasn1 helpers over ca/pkix.asn. The tree of definitions is built once
 * per process from the table asn1Parser generated; elements are created
 * from it per use. Pre-encoded pieces are joined with pkix_wrap, whose
 * lengths come from libtasn1 so that no length rule is written twice.
 */
#include "config.h"

#include <ctype.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkix.h"
#include "status.h"

extern const asn1_static_node ca_pkix_asn1_tab[];

static asn1_node definitions;

void
pkix_buf_free(struct pkix_buf *b)
{
    if (b == NULL)
        return;
    free(b->p);
    b->p = NULL;
    b->n = 0;
}

int
pkix_buf_set(struct pkix_buf *b, const void *p, size_t n)
{
    unsigned char *q = malloc(n ? n : 1);
    if (q == NULL)
        return CC_ENOMEM;
    if (n)
        memcpy(q, p, n);
    free(b->p);
    b->p = q;
    b->n = n;
    return CC_OK;
}

/*
 * Grows geometrically, so appending entry by entry (a CRL of 100 000) is
 * linear: what the buffer can hold is what malloc gave it, since a
 * pkix_buf always owns heap memory, whoever filled it.
 */
int
pkix_buf_append(struct pkix_buf *b, const void *p, size_t n)
{
    size_t need = b->n + n + 1;
    unsigned char *q = b->p;
    if (q == NULL || malloc_usable_size(q) < need) {
        size_t want = b->p ? malloc_usable_size(b->p) * 2 : 0;
        q = realloc(b->p, want > need ? want : need);
    }
    if (q == NULL)
        return CC_ENOMEM;
    if (n)
        memcpy(q + b->n, p, n);
    b->p = q;
    b->n += n;
    return CC_OK;
}

asn1_node
pkix_definitions(void)
{
    if (definitions == NULL) {
        char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
        if (asn1_array2tree(ca_pkix_asn1_tab, &definitions, err) != ASN1_SUCCESS)
            definitions = NULL;
    }
    return definitions;
}

int
pkix_element(const char *type, asn1_node *out, char **cause)
{
    asn1_node defs = pkix_definitions();
    *out = NULL;
    if (defs == NULL)
        return cc_fail(cause, CC_ECRYPTO, "the ASN.1 definitions of ca/pkix.asn do not load");
    int rc = asn1_create_element(defs, type, out);
    if (rc != ASN1_SUCCESS)
        return cc_fail(cause, rc == ASN1_MEM_ERROR ? CC_ENOMEM : CC_ECRYPTO,
                       "ASN.1 type %s: %s", type, asn1_strerror(rc));
    return CC_OK;
}

int
pkix_der(asn1_node el, const char *name, struct pkix_buf *out, char **cause)
{
    char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
    int len = 1024;
    for (int attempt = 0; attempt < 2; attempt++) {
        unsigned char *p = malloc((size_t)len);
        if (p == NULL)
            return CC_ENOMEM;
        int have = len;
        int rc = asn1_der_coding(el, name ? name : "", p, &have, err);
        if (rc == ASN1_SUCCESS) {
            free(out->p);
            out->p = p;
            out->n = (size_t)have;
            return CC_OK;
        }
        free(p);
        if (rc != ASN1_MEM_ERROR)
            return cc_fail(cause, CC_ECRYPTO, "DER encoding failed: %s (%s)", asn1_strerror(rc),
                           err);
        len = have;
    }
    return cc_fail(cause, CC_ECRYPTO, "DER encoding failed: size keeps changing");
}

int
pkix_wrap(struct pkix_buf *out, unsigned char tag, const void *content, size_t n)
{
    unsigned char hdr[1 + ASN1_MAX_LENGTH_SIZE];
    int hlen = 0;
    hdr[0] = tag;
    asn1_length_der((unsigned long)n, hdr + 1, &hlen);
    size_t need = out->n + 1 + (size_t)hlen + n;
    unsigned char *q = realloc(out->p, need ? need : 1);
    if (q == NULL)
        return CC_ENOMEM;
    memcpy(q + out->n, hdr, 1 + (size_t)hlen);
    if (n)
        memcpy(q + out->n + 1 + (size_t)hlen, content, n);
    out->p = q;
    out->n = need;
    return CC_OK;
}

void
pkix_time_string(time_t t, char *buf, size_t size, int *generalized)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    int year = tm.tm_year + 1900;
    *generalized = year >= 2050 || year < 1950;
    if (*generalized)
        snprintf(buf, size, "%04d%02d%02d%02d%02d%02dZ", year, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec);
    else
        snprintf(buf, size, "%02d%02d%02d%02d%02d%02dZ", year % 100, tm.tm_mon + 1, tm.tm_mday,
                 tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int
pkix_write_time(asn1_node el, const char *name, time_t t)
{
    char s[32], path[128];
    int gen;
    pkix_time_string(t, s, sizeof s, &gen);
    const char *which = gen ? "generalTime" : "utcTime";
    if (asn1_write_value(el, name, which, 1) != ASN1_SUCCESS)
        return CC_ECRYPTO;
    snprintf(path, sizeof path, "%s.%s", name, which);
    if (asn1_write_value(el, path, s, (int)strlen(s)) != ASN1_SUCCESS)
        return CC_ECRYPTO;
    return CC_OK;
}

int
pkix_extension(const char *oid, int critical, const void *value, size_t n, struct pkix_buf *out,
               char **cause)
{
    asn1_node el;
    int rc = pkix_element("CertconPKIX.Extension", &el, cause);
    if (rc != CC_OK)
        return rc;
    if (asn1_write_value(el, "extnID", oid, 1) != ASN1_SUCCESS ||
        asn1_write_value(el, "critical", critical ? "TRUE" : "FALSE", 1) != ASN1_SUCCESS ||
        asn1_write_value(el, "extnValue", value, (int)n) != ASN1_SUCCESS)
        rc = cc_fail(cause, CC_EINVAL, "extension %s cannot be encoded", oid);
    if (rc == CC_OK)
        rc = pkix_der(el, NULL, out, cause);
    asn1_delete_structure(&el);
    return rc;
}

int
pkix_utf8_to_bmp(const char *s, struct pkix_buf *out)
{
    size_t len = strlen(s);
    unsigned char *p = malloc(len * 2 + 2);
    size_t n = 0;
    if (p == NULL)
        return CC_ENOMEM;
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        unsigned cp;
        int extra;
        if (*u < 0x80) {
            cp = *u;
            extra = 0;
        } else if ((*u & 0xE0) == 0xC0) {
            cp = *u & 0x1F;
            extra = 1;
        } else if ((*u & 0xF0) == 0xE0) {
            cp = *u & 0x0F;
            extra = 2;
        } else {
            free(p); /* outside the BMP or not UTF-8 */
            return CC_EINVAL;
        }
        u++;
        for (int i = 0; i < extra; i++, u++) {
            if ((*u & 0xC0) != 0x80) {
                free(p);
                return CC_EINVAL;
            }
            cp = (cp << 6) | (*u & 0x3F);
        }
        p[n++] = (unsigned char)(cp >> 8);
        p[n++] = (unsigned char)cp;
    }
    free(out->p);
    out->p = p;
    out->n = n;
    return CC_OK;
}

char *
pkix_bmp_to_utf8(const unsigned char *p, size_t n)
{
    char *s = malloc(n / 2 * 3 + 1);
    size_t k = 0;
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i + 1 < n; i += 2) {
        unsigned cp = (unsigned)p[i] << 8 | p[i + 1];
        if (cp < 0x80) {
            s[k++] = (char)cp;
        } else if (cp < 0x800) {
            s[k++] = (char)(0xC0 | cp >> 6);
            s[k++] = (char)(0x80 | (cp & 0x3F));
        } else {
            s[k++] = (char)(0xE0 | cp >> 12);
            s[k++] = (char)(0x80 | ((cp >> 6) & 0x3F));
            s[k++] = (char)(0x80 | (cp & 0x3F));
        }
    }
    s[k] = '\0';
    return s;
}

int
pkix_template_name_encode(const char *cn, struct pkix_buf *out, char **cause)
{
    struct pkix_buf bmp = {0};
    asn1_node el;
    if (pkix_utf8_to_bmp(cn, &bmp) != CC_OK)
        return cc_fail(cause, CC_EINVAL, "template name %s cannot be a BMPString", cn);
    int rc = pkix_element("CertconPKIX.TemplateName", &el, cause);
    if (rc == CC_OK) {
        if (asn1_write_value(el, "", bmp.p, (int)bmp.n) != ASN1_SUCCESS)
            rc = cc_fail(cause, CC_ECRYPTO, "template name %s cannot be encoded", cn);
        else
            rc = pkix_der(el, NULL, out, cause);
        asn1_delete_structure(&el);
    }
    pkix_buf_free(&bmp);
    return rc;
}

long
pkix_tlv(const unsigned char *p, size_t n, unsigned char *tag, size_t *len)
{
    if (n < 2)
        return -1;
    *tag = p[0];
    int llen = 0;
    long l = asn1_get_length_der(p + 1, (int)(n - 1), &llen);
    if (l < 0 || (size_t)(1 + llen) + (size_t)l > n)
        return -1;
    *len = (size_t)l;
    return 1 + llen;
}

int
pkix_template_name_decode(const void *der, size_t n, char **cn)
{
    const unsigned char *p = der;
    unsigned char tag;
    size_t len;
    long off = pkix_tlv(p, n, &tag, &len);
    *cn = NULL;
    if (off < 0)
        return CC_EPARSE;
    if (tag == 0x30) { /* SEQUENCE { UTF8String } as MS-WCCE writes it */
        p += off;
        n = len;
        off = pkix_tlv(p, n, &tag, &len);
        if (off < 0)
            return CC_EPARSE;
    }
    if (tag == 0x1E)
        *cn = pkix_bmp_to_utf8(p + off, len);
    else if (tag == 0x0C || tag == 0x13 || tag == 0x16) {
        *cn = malloc(len + 1);
        if (*cn) {
            memcpy(*cn, p + off, len);
            (*cn)[len] = '\0';
        }
    } else
        return CC_EPARSE;
    return *cn ? CC_OK : CC_ENOMEM;
}

int
pkix_template_info_encode(const char *oid, uint32_t major, uint32_t minor, struct pkix_buf *out,
                          char **cause)
{
    asn1_node el;
    char a[16], b[16];
    int rc = pkix_element("CertconPKIX.CertificateTemplateOID", &el, cause);
    if (rc != CC_OK)
        return rc;
    snprintf(a, sizeof a, "%u", major);
    snprintf(b, sizeof b, "%u", minor);
    if (asn1_write_value(el, "templateID", oid, 1) != ASN1_SUCCESS ||
        asn1_write_value(el, "templateMajorVersion", a, 0) != ASN1_SUCCESS ||
        asn1_write_value(el, "templateMinorVersion", b, 0) != ASN1_SUCCESS)
        rc = cc_fail(cause, CC_EINVAL, "template OID %s cannot be encoded", oid);
    else
        rc = pkix_der(el, NULL, out, cause);
    asn1_delete_structure(&el);
    return rc;
}

static int
read_uint(asn1_node el, const char *name, int64_t *v)
{
    unsigned char buf[16];
    int len = sizeof buf;
    *v = -1;
    if (asn1_read_value(el, name, buf, &len) != ASN1_SUCCESS)
        return 0;
    if (len > 5 || (buf[0] & 0x80))
        return 0;
    int64_t x = 0;
    for (int i = 0; i < len; i++)
        x = x << 8 | buf[i];
    *v = x;
    return 1;
}

int
pkix_template_info_decode(const void *der, size_t n, char **oid, int64_t *major, int64_t *minor)
{
    asn1_node el;
    char buf[256];
    int len = sizeof buf;
    *oid = NULL;
    if (pkix_element("CertconPKIX.CertificateTemplateOID", &el, NULL) != CC_OK)
        return CC_ECRYPTO;
    int rc = CC_EPARSE;
    if (asn1_der_decoding(&el, der, (int)n, NULL) == ASN1_SUCCESS &&
        asn1_read_value(el, "templateID", buf, &len) == ASN1_SUCCESS) {
        *oid = strdup(buf);
        rc = *oid ? CC_OK : CC_ENOMEM;
        read_uint(el, "templateMajorVersion", major);
        read_uint(el, "templateMinorVersion", minor);
    }
    asn1_delete_structure(&el);
    return rc;
}

int
pkix_policies_encode(const struct strlist *oids, struct pkix_buf *out, char **cause)
{
    asn1_node el;
    int rc = pkix_element("CertconPKIX.ApplicationPolicies", &el, cause);
    if (rc != CC_OK)
        return rc;
    for (size_t i = 0; i < oids->n && rc == CC_OK; i++) {
        if (asn1_write_value(el, "", "NEW", 1) != ASN1_SUCCESS ||
            asn1_write_value(el, "?LAST.policyIdentifier", oids->v[i], 1) != ASN1_SUCCESS ||
            asn1_write_value(el, "?LAST.policyQualifiers", NULL, 0) != ASN1_SUCCESS)
            rc = cc_fail(cause, CC_EINVAL, "policy %s cannot be encoded", oids->v[i]);
    }
    if (rc == CC_OK)
        rc = pkix_der(el, NULL, out, cause);
    asn1_delete_structure(&el);
    return rc;
}

int
pkix_smime_capabilities_encode(const struct strlist *oids, struct pkix_buf *out, char **cause)
{
    asn1_node el;
    int rc = pkix_element("CertconPKIX.SMIMECapabilities", &el, cause);
    if (rc != CC_OK)
        return rc;
    for (size_t i = 0; i < oids->n && rc == CC_OK; i++) {
        if (asn1_write_value(el, "", "NEW", 1) != ASN1_SUCCESS ||
            asn1_write_value(el, "?LAST.capabilityID", oids->v[i], 1) != ASN1_SUCCESS ||
            asn1_write_value(el, "?LAST.parameters", NULL, 0) != ASN1_SUCCESS)
            rc = cc_fail(cause, CC_EINVAL, "S/MIME capability %s cannot be encoded", oids->v[i]);
    }
    if (rc == CC_OK)
        rc = pkix_der(el, NULL, out, cause);
    asn1_delete_structure(&el);
    return rc;
}

int
pkix_policies_decode(const void *der, size_t n, struct strlist *oids)
{
    asn1_node el;
    if (pkix_element("CertconPKIX.ApplicationPolicies", &el, NULL) != CC_OK)
        return CC_ECRYPTO;
    int rc = CC_EPARSE;
    if (asn1_der_decoding(&el, der, (int)n, NULL) == ASN1_SUCCESS) {
        rc = CC_OK;
        for (int i = 1; rc == CC_OK; i++) {
            char name[64], buf[256];
            int len = sizeof buf;
            snprintf(name, sizeof name, "?%d.policyIdentifier", i);
            if (asn1_read_value(el, name, buf, &len) != ASN1_SUCCESS)
                break;
            rc = strlist_add(oids, buf);
        }
    }
    asn1_delete_structure(&el);
    return rc;
}

int
pkix_sid_encode(const char *sid, struct pkix_buf *out, char **cause)
{
    asn1_node el;
    int rc = pkix_element("CertconPKIX.SidExtension", &el, cause);
    if (rc != CC_OK)
        return rc;
    if (asn1_write_value(el, "", "NEW", 1) != ASN1_SUCCESS ||
        asn1_write_value(el, "?LAST", "otherName", 1) != ASN1_SUCCESS ||
        asn1_write_value(el, "?LAST.otherName.typeId", "1.3.6.1.4.1.311.25.2.1", 1) !=
            ASN1_SUCCESS ||
        asn1_write_value(el, "?LAST.otherName.value", sid, (int)strlen(sid)) != ASN1_SUCCESS)
        rc = cc_fail(cause, CC_EINVAL, "SID %s cannot be encoded", sid);
    else
        rc = pkix_der(el, NULL, out, cause);
    asn1_delete_structure(&el);
    return rc;
}

int
pkix_name_value_decode(const void *der, size_t n, char **name, char **value)
{
    asn1_node el;
    *name = *value = NULL;
    if (pkix_element("CertconPKIX.EnrollmentNameValuePair", &el, NULL) != CC_OK)
        return CC_ECRYPTO;
    int rc = CC_EPARSE;
    if (asn1_der_decoding(&el, der, (int)n, NULL) == ASN1_SUCCESS) {
        unsigned char a[512], b[512];
        int la = sizeof a, lb = sizeof b;
        if (asn1_read_value(el, "name", a, &la) == ASN1_SUCCESS &&
            asn1_read_value(el, "value", b, &lb) == ASN1_SUCCESS) {
            *name = pkix_bmp_to_utf8(a, (size_t)la);
            *value = pkix_bmp_to_utf8(b, (size_t)lb);
            rc = *name && *value ? CC_OK : CC_ENOMEM;
            if (rc != CC_OK) {
                free(*name);
                free(*value);
                *name = *value = NULL;
            }
        }
    }
    asn1_delete_structure(&el);
    return rc;
}

int
pkix_name_value_encode(const char *name, const char *value, struct pkix_buf *out, char **cause)
{
    struct pkix_buf a = {0}, b = {0};
    asn1_node el;
    if (pkix_utf8_to_bmp(name, &a) != CC_OK || pkix_utf8_to_bmp(value, &b) != CC_OK) {
        pkix_buf_free(&a);
        pkix_buf_free(&b);
        return cc_fail(cause, CC_EINVAL, "name-value pair cannot be a BMPString");
    }
    int rc = pkix_element("CertconPKIX.EnrollmentNameValuePair", &el, cause);
    if (rc == CC_OK) {
        if (asn1_write_value(el, "name", a.p, (int)a.n) != ASN1_SUCCESS ||
            asn1_write_value(el, "value", b.p, (int)b.n) != ASN1_SUCCESS)
            rc = cc_fail(cause, CC_EINVAL, "name-value pair cannot be encoded");
        else
            rc = pkix_der(el, NULL, out, cause);
        asn1_delete_structure(&el);
    }
    pkix_buf_free(&a);
    pkix_buf_free(&b);
    return rc;
}

char *
pkix_hex(const unsigned char *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char *s = malloc(n * 2 + 1);
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        s[2 * i] = digits[p[i] >> 4];
        s[2 * i + 1] = digits[p[i] & 15];
    }
    s[2 * n] = '\0';
    return s;
}

int
pkix_unhex(const char *s, struct pkix_buf *out)
{
    size_t len = strlen(s);
    unsigned char *p = malloc(len / 2 + 1);
    size_t n = 0;
    int half = -1;
    if (p == NULL)
        return CC_ENOMEM;
    for (; *s; s++) {
        int v;
        if (*s == ':' || *s == ' ')
            continue;
        if (*s >= '0' && *s <= '9')
            v = *s - '0';
        else if (tolower((unsigned char)*s) >= 'a' && tolower((unsigned char)*s) <= 'f')
            v = tolower((unsigned char)*s) - 'a' + 10;
        else {
            free(p);
            return CC_EINVAL;
        }
        if (half < 0)
            half = v;
        else {
            p[n++] = (unsigned char)(half << 4 | v);
            half = -1;
        }
    }
    if (half >= 0 || n == 0) {
        free(p);
        return CC_EINVAL;
    }
    free(out->p);
    out->p = p;
    out->n = n;
    return CC_OK;
}
