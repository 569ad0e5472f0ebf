/*
 * Decoding a certificate for people (see certinfo.h). Values are decoded
 * with GnuTLS, the Microsoft template extensions and policy lists with
 * pkix; an extension nobody here knows is shown as hex, as Windows does.
 * Names of extensions come from one table; names of purposes from
 * oid_display_name(), so a policy defined in the forest shows by its name.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "authority.h"
#include "cadb.h"
#include "certinfo.h"
#include "certstore.h"
#include "context.h"
#include "oids.h"
#include "pkix.h"
#include "status.h"
#include "template.h"

#define OID_TEMPLATE_NAME "1.3.6.1.4.1.311.20.2"
#define OID_TEMPLATE_INFO "1.3.6.1.4.1.311.21.7"
#define OID_APP_POLICIES  "1.3.6.1.4.1.311.21.10"
#define OID_EKU           "2.5.29.37"

static const struct {
    const char *oid, *name;
} ext_names[] = {
    {"2.5.29.14", "Subject Key Identifier"},
    {"2.5.29.15", "Key Usage"},
    {"2.5.29.17", "Subject Alternative Name"},
    {"2.5.29.19", "Basic Constraints"},
    {"2.5.29.31", "CRL Distribution Points"},
    {"2.5.29.32", "Certificate Policies"},
    {"2.5.29.35", "Authority Key Identifier"},
    {OID_EKU, "Enhanced Key Usage"},
    {"1.3.6.1.5.5.7.1.1", "Authority Information Access"},
    {OID_TEMPLATE_NAME, "Certificate Template Name"},
    {OID_TEMPLATE_INFO, "Certificate Template Information"},
    {OID_APP_POLICIES, "Application Policies"},
    {"1.3.6.1.4.1.311.21.1", "CA Version"},
    {"1.3.6.1.4.1.311.25.2", "Security Identifier"},
    {"1.2.840.113549.1.9.15", "SMIME Capabilities"},
};

static const struct {
    unsigned bit;
    const char *name;
} key_usages[] = {
    {GNUTLS_KEY_DIGITAL_SIGNATURE, "Digital Signature"},
    {GNUTLS_KEY_NON_REPUDIATION, "Non-Repudiation"},
    {GNUTLS_KEY_KEY_ENCIPHERMENT, "Key Encipherment"},
    {GNUTLS_KEY_DATA_ENCIPHERMENT, "Data Encipherment"},
    {GNUTLS_KEY_KEY_AGREEMENT, "Key Agreement"},
    {GNUTLS_KEY_KEY_CERT_SIGN, "Certificate Signing"},
    {GNUTLS_KEY_CRL_SIGN, "CRL Signing"},
    {GNUTLS_KEY_ENCIPHER_ONLY, "Encipher Only"},
    {GNUTLS_KEY_DECIPHER_ONLY, "Decipher Only"},
};

/* One decoding: the store for names, and whether an allocation failed. */
struct dec {
    struct store *st;
    struct certinfo *ci;
    int oom;
};

static char *
checked(struct dec *x, char *s)
{
    if (s == NULL)
        x->oom = 1;
    return s;
}

static char *
hex(struct dec *x, const void *p, size_t n)
{
    return checked(x, pkix_hex(p, n));
}

/* Joins parts with ", " and frees them. Allocated (NULL: out of memory). */
static char *
joined(struct dec *x, struct strlist *parts)
{
    char *s = strlist_join(parts, ", ");
    strlist_free(parts);
    return checked(x, s);
}

static void
add(struct dec *x, struct strlist *l, const char *s)
{
    if (s == NULL || strlist_add(l, s) != CC_OK)
        x->oom = 1;
}

/* "Server Authentication (1.3.6.1.5.5.7.3.1)"; the bare OID when it has no name. */
static char *
oid_named(struct dec *x, const char *oid)
{
    char *name = x->st ? oid_display_name(x->st, oid) : NULL;
    char *s = name && strcmp(name, oid) != 0 ? cc_asprintf("%s (%s)", name, oid) : cc_strdup(oid);
    free(name);
    return checked(x, s);
}

static char *
oids_named(struct dec *x, const struct strlist *oids)
{
    struct strlist parts = {0};
    for (size_t i = 0; i < oids->n; i++) {
        char *s = oid_named(x, oids->v[i]);
        add(x, &parts, s);
        free(s);
    }
    return joined(x, &parts);
}

/* The purposes of the General tab: names only, as Windows lists them. */
static void
purposes_add(struct dec *x, const struct strlist *oids)
{
    for (size_t i = 0; i < oids->n; i++) {
        char *name = x->st ? oid_display_name(x->st, oids->v[i]) : NULL;
        const char *shown = name ? name : oids->v[i];
        if (strlist_find(&x->ci->purposes, shown, 1) < 0)
            add(x, &x->ci->purposes, shown);
        free(name);
    }
}

/* The template's display name for its cn or OID; NULL when the forest has none. */
static char *
template_display(struct dec *x, const char *cn, const char *oid)
{
    struct template *v = NULL;
    size_t n = 0;
    char *out = NULL;
    if (x->st == NULL || template_list(x->st, &v, &n, NULL) != CC_OK)
        return NULL;
    for (size_t i = 0; i < n && out == NULL; i++)
        if ((cn && v[i].cn && strcmp(v[i].cn, cn) == 0) ||
            (oid && v[i].oid && strcmp(v[i].oid, oid) == 0))
            out = checked(x, cc_strdup(v[i].display_name ? v[i].display_name : v[i].cn));
    template_list_free(v, n);
    return out;
}

static void
template_found(struct dec *x, char *name)
{
    if (x->ci->template_name == NULL)
        x->ci->template_name = name;
    else
        free(name);
}

static char *
ext_value(struct dec *x, gnutls_x509_crt_t crt, const char *oid, const gnutls_datum_t *d)
{
    struct strlist parts = {0};
    if (strcmp(oid, "2.5.29.15") == 0) {
        unsigned ku = 0;
        if (gnutls_x509_crt_get_key_usage(crt, &ku, NULL) < 0)
            return hex(x, d->data, d->size);
        for (size_t i = 0; i < sizeof key_usages / sizeof key_usages[0]; i++)
            if (ku & key_usages[i].bit)
                add(x, &parts, key_usages[i].name);
        return joined(x, &parts);
    }
    if (strcmp(oid, OID_EKU) == 0) {
        struct strlist oids = {0};
        for (unsigned i = 0;; i++) {
            char buf[128];
            size_t size = sizeof buf;
            if (gnutls_x509_crt_get_key_purpose_oid(crt, i, buf, &size, NULL) < 0)
                break;
            add(x, &oids, buf);
        }
        purposes_add(x, &oids);
        char *s = oids_named(x, &oids);
        strlist_free(&oids);
        return s;
    }
    if (strcmp(oid, OID_APP_POLICIES) == 0 || strcmp(oid, "2.5.29.32") == 0) {
        struct strlist oids = {0};
        if (pkix_policies_decode(d->data, d->size, &oids) != CC_OK) {
            strlist_free(&oids);
            return hex(x, d->data, d->size);
        }
        if (strcmp(oid, OID_APP_POLICIES) == 0)
            purposes_add(x, &oids);
        char *s = oids_named(x, &oids);
        strlist_free(&oids);
        return s;
    }
    if (strcmp(oid, "2.5.29.17") == 0) {
        for (unsigned i = 0;; i++) {
            char buf[512];
            size_t size = sizeof buf;
            unsigned type = 0;
            int rc = gnutls_x509_crt_get_subject_alt_name2(crt, i, buf, &size, &type, NULL);
            if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
                break;
            char *s = NULL;
            if (rc < 0)
                s = cc_strdup("(a name too long to show)");
            else if (type == GNUTLS_SAN_DNSNAME)
                s = cc_asprintf("DNS Name=%s", buf);
            else if (type == GNUTLS_SAN_RFC822NAME)
                s = cc_asprintf("RFC822 Name=%s", buf);
            else if (type == GNUTLS_SAN_URI)
                s = cc_asprintf("URL=%s", buf);
            else if (type == GNUTLS_SAN_IPADDRESS && size == 4)
                s = cc_asprintf("IP Address=%u.%u.%u.%u", (unsigned char)buf[0],
                                (unsigned char)buf[1], (unsigned char)buf[2],
                                (unsigned char)buf[3]);
            else if (type == GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL)
                s = cc_asprintf("Other Name:Principal Name=%s", buf);
            else
                s = cc_strdup("Other Name");
            add(x, &parts, s);
            free(s);
        }
        return joined(x, &parts);
    }
    if (strcmp(oid, "2.5.29.19") == 0) {
        unsigned ca = 0;
        int path = -1;
        if (gnutls_x509_crt_get_basic_constraints(crt, NULL, &ca, &path) < 0)
            return hex(x, d->data, d->size);
        char len[24] = "None";
        if (ca && path >= 0)
            snprintf(len, sizeof len, "%d", path);
        return checked(x, cc_asprintf("Subject Type=%s, Path Length Constraint=%s",
                                      ca ? "CA" : "End Entity", len));
    }
    if (strcmp(oid, "2.5.29.14") == 0) {
        unsigned char id[64];
        size_t size = sizeof id;
        if (gnutls_x509_crt_get_subject_key_id(crt, id, &size, NULL) < 0)
            return hex(x, d->data, d->size);
        return hex(x, id, size);
    }
    if (strcmp(oid, "2.5.29.35") == 0) {
        unsigned char id[64];
        size_t size = sizeof id;
        if (gnutls_x509_crt_get_authority_key_id(crt, id, &size, NULL) < 0)
            return hex(x, d->data, d->size);
        char *h = hex(x, id, size);
        char *s = h ? checked(x, cc_asprintf("KeyID=%s", h)) : NULL;
        free(h);
        return s;
    }
    if (strcmp(oid, "2.5.29.31") == 0) {
        for (unsigned i = 0;; i++) {
            char buf[512];
            size_t size = sizeof buf;
            if (gnutls_x509_crt_get_crl_dist_points(crt, i, buf, &size, NULL, NULL) < 0)
                break;
            char *s = cc_asprintf("URL=%s", buf);
            add(x, &parts, s);
            free(s);
        }
        return joined(x, &parts);
    }
    if (strcmp(oid, "1.3.6.1.5.5.7.1.1") == 0) {
        for (unsigned i = 0;; i++) {
            gnutls_datum_t method = {NULL, 0}, loc = {NULL, 0};
            if (gnutls_x509_crt_get_authority_info_access(crt, i, GNUTLS_IA_ACCESSMETHOD_OID,
                                                          &method, NULL) < 0)
                break;
            int rc = gnutls_x509_crt_get_authority_info_access(crt, i, GNUTLS_IA_URI, &loc, NULL);
            const char *m = (const char *)method.data;
            const char *what = m && strcmp(m, GNUTLS_OID_AD_OCSP) == 0        ? "OCSP"
                               : m && strcmp(m, GNUTLS_OID_AD_CAISSUERS) == 0 ? "CA Issuers"
                                                                              : m;
            char *s = cc_asprintf("%s: URL=%.*s", what ? what : "?", rc >= 0 ? (int)loc.size : 0,
                                  rc >= 0 && loc.data ? (const char *)loc.data : "");
            add(x, &parts, s);
            free(s);
            gnutls_free(method.data);
            gnutls_free(loc.data);
        }
        return joined(x, &parts);
    }
    if (strcmp(oid, OID_TEMPLATE_NAME) == 0) {
        char *cn = NULL;
        if (pkix_template_name_decode(d->data, d->size, &cn) != CC_OK || cn == NULL) {
            free(cn);
            return hex(x, d->data, d->size);
        }
        char *disp = template_display(x, cn, NULL);
        template_found(x, disp ? disp : checked(x, cc_strdup(cn)));
        return cn;
    }
    if (strcmp(oid, OID_TEMPLATE_INFO) == 0) {
        char *toid = NULL;
        int64_t major = 0, minor = 0;
        if (pkix_template_info_decode(d->data, d->size, &toid, &major, &minor) != CC_OK ||
            toid == NULL) {
            free(toid);
            return hex(x, d->data, d->size);
        }
        char *disp = template_display(x, NULL, toid);
        char *s = disp ? cc_asprintf("Template=%s(%s), Major Version Number=%lld, Minor "
                                     "Version Number=%lld",
                                     disp, toid, (long long)major, (long long)minor)
                       : cc_asprintf("Template=%s, Major Version Number=%lld, Minor Version "
                                     "Number=%lld",
                                     toid, (long long)major, (long long)minor);
        template_found(x, disp ? disp : checked(x, cc_strdup(toid)));
        free(toid);
        return checked(x, s);
    }
    return hex(x, d->data, d->size);
}

/*
 * The DN's CN, or the whole DN. Allocated. Of several CNs the most specific
 * (the last in the DER), as Windows shows "Issued to": a subject built as a
 * directory path, CN=Administrator,CN=Users,DC=..., is Administrator's.
 */
static char *
dn_text(struct dec *x, gnutls_x509_crt_t crt, int issuer, int cn_only)
{
    if (cn_only) {
        char buf[512], last[512];
        int found = 0;
        for (unsigned i = 0; i < 64; i++) {
            size_t size = sizeof buf;
            int rc = issuer ? gnutls_x509_crt_get_issuer_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME,
                                                                   i, 0, buf, &size)
                            : gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, i, 0,
                                                            buf, &size);
            if (rc < 0)
                break;
            memcpy(last, buf, sizeof last);
            found = 1;
        }
        if (found)
            return checked(x, cc_strdup(last));
    }
    gnutls_datum_t dn = {NULL, 0};
    int rc =
        issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &dn, 0) : gnutls_x509_crt_get_dn3(crt, &dn, 0);
    char *s = cc_strdup(rc >= 0 && dn.data ? (const char *)dn.data : "");
    gnutls_free(dn.data);
    if (s != NULL && *s == '\0' && cn_only && !issuer) {
        /* an empty subject (names in the SAN only): Windows shows the first name */
        char buf[512];
        size_t size = sizeof buf;
        unsigned type = 0;
        if (gnutls_x509_crt_get_subject_alt_name2(crt, 0, buf, &size, &type, NULL) >= 0 &&
            (type == GNUTLS_SAN_DNSNAME || type == GNUTLS_SAN_RFC822NAME ||
             type == GNUTLS_SAN_OTHERNAME_MSUSERPRINCIPAL)) {
            free(s);
            s = cc_strdup(buf);
        }
    }
    return checked(x, s);
}

static char *
when(struct dec *x, time_t t)
{
    char buf[40] = "";
    struct tm tm;
    if (t != (time_t)-1 && gmtime_r(&t, &tm) != NULL)
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return checked(x, cc_strdup(buf));
}

static void
field(struct dec *x, const char *name, char *value)
{
    struct certinfo *ci = x->ci;
    if (value == NULL) {
        x->oom = 1;
        return;
    }
    struct certinfo_field *v = realloc(ci->fields, (ci->nfields + 1) * sizeof *v);
    char *n = cc_strdup(name);
    if (v == NULL || n == NULL) {
        if (v != NULL)
            ci->fields = v;
        free(n);
        free(value);
        x->oom = 1;
        return;
    }
    ci->fields = v;
    v[ci->nfields].name = n;
    v[ci->nfields].value = value;
    ci->nfields++;
}

static int
crt_import(const void *der, size_t n, gnutls_x509_crt_t *crt)
{
    gnutls_datum_t dd = {(unsigned char *)der, (unsigned)n};
    if (gnutls_x509_crt_init(crt) < 0)
        return CC_ENOMEM;
    if (n == 0 || gnutls_x509_crt_import(*crt, &dd, GNUTLS_X509_FMT_DER) < 0) {
        gnutls_x509_crt_deinit(*crt);
        return CC_EPARSE;
    }
    return CC_OK;
}

int
certinfo_decode(struct store *st, const void *der, size_t n, struct certinfo *out, char **cause)
{
    memset(out, 0, sizeof *out);
    gnutls_x509_crt_t crt;
    int rc = crt_import(der, n, &crt);
    if (rc == CC_EPARSE)
        return cc_fail(cause, rc, "the data is not a DER X.509 certificate");
    if (rc != CC_OK)
        return cc_fail(cause, rc, "out of memory");
    struct dec x = {st, out, 0};
    unsigned char serial[64];
    size_t ssize = sizeof serial;
    out->serial = gnutls_x509_crt_get_serial(crt, serial, &ssize) >= 0 ? hex(&x, serial, ssize)
                                                                       : checked(&x, cc_strdup(""));
    out->issued_to = dn_text(&x, crt, 0, 1);
    out->issued_by = dn_text(&x, crt, 1, 1);
    out->subject = dn_text(&x, crt, 0, 0);
    out->issuer = dn_text(&x, crt, 1, 0);
    out->not_before = gnutls_x509_crt_get_activation_time(crt);
    out->not_after = gnutls_x509_crt_get_expiration_time(crt);

    field(&x, "Version", cc_asprintf("V%d", gnutls_x509_crt_get_version(crt)));
    field(&x, "Serial number", cc_strdup(out->serial ? out->serial : ""));
    int sig = gnutls_x509_crt_get_signature_algorithm(crt);
    const char *sign = sig >= 0 ? gnutls_sign_get_name((gnutls_sign_algorithm_t)sig) : NULL;
    field(&x, "Signature algorithm", cc_strdup(sign ? sign : "unknown"));
    field(&x, "Issuer", cc_strdup(out->issuer ? out->issuer : ""));
    field(&x, "Valid from", when(&x, out->not_before));
    field(&x, "Valid to", when(&x, out->not_after));
    field(&x, "Subject", cc_strdup(out->subject ? out->subject : ""));
    unsigned bits = 0;
    int pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
    const char *pkname = pk >= 0 ? gnutls_pk_get_name((gnutls_pk_algorithm_t)pk) : NULL;
    field(&x, "Public key", cc_asprintf("%s (%u Bits)", pkname ? pkname : "unknown", bits));
    for (unsigned i = 0;; i++) {
        char oid[128];
        size_t size = sizeof oid;
        unsigned critical = 0;
        if (gnutls_x509_crt_get_extension_info(crt, i, oid, &size, &critical) < 0)
            break;
        gnutls_datum_t data = {NULL, 0};
        if (gnutls_x509_crt_get_extension_data2(crt, i, &data) < 0)
            continue;
        const char *name = oid;
        for (size_t k = 0; k < sizeof ext_names / sizeof ext_names[0]; k++)
            if (strcmp(ext_names[k].oid, oid) == 0)
                name = ext_names[k].name;
        char *value = ext_value(&x, crt, oid, &data);
        gnutls_free(data.data);
        if (value != NULL && critical) {
            char *v = cc_asprintf("(critical) %s", value);
            free(value);
            value = v;
        }
        field(&x, name, value);
    }
    unsigned char sha1[20];
    size_t tsize = sizeof sha1;
    if (gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA1, sha1, &tsize) >= 0) {
        out->thumbprint = hex(&x, sha1, tsize);
        field(&x, "Thumbprint", cc_strdup(out->thumbprint ? out->thumbprint : ""));
    }
    gnutls_x509_crt_deinit(crt);
    if (x.oom) {
        certinfo_free(out);
        return cc_fail(cause, CC_ENOMEM, "out of memory");
    }
    return CC_OK;
}

int
certinfo_summarize(struct store *st, const void *der, size_t n, struct certinfo_summary *out,
                   char **cause)
{
    memset(out, 0, sizeof *out);
    struct certinfo scratch;
    memset(&scratch, 0, sizeof scratch);
    struct dec x = {st, &scratch, 0};
    gnutls_x509_crt_t crt;
    int rc = crt_import(der, n, &crt);
    if (rc != CC_OK) {
        out->subject = checked(&x, cc_strdup(""));
        out->serial = checked(&x, cc_strdup(""));
        out->thumbprint = checked(&x, cc_strdup(""));
        out->purposes = checked(&x, cc_strdup("<All>"));
        if (x.oom || rc == CC_ENOMEM) {
            certinfo_summary_free(out);
            return cc_fail(cause, CC_ENOMEM, "out of memory");
        }
        return cc_fail(cause, rc, "the data is not a DER X.509 certificate");
    }
    out->subject = dn_text(&x, crt, 0, 0);
    unsigned char serial[64], sha1[20];
    size_t ssize = sizeof serial, tsize = sizeof sha1;
    out->serial = gnutls_x509_crt_get_serial(crt, serial, &ssize) >= 0 ? hex(&x, serial, ssize)
                                                                       : checked(&x, cc_strdup(""));
    out->thumbprint = gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA1, sha1, &tsize) >= 0
                          ? hex(&x, sha1, tsize)
                          : checked(&x, cc_strdup(""));
    out->not_before = gnutls_x509_crt_get_activation_time(crt);
    out->not_after = gnutls_x509_crt_get_expiration_time(crt);
    /* the Enhanced Key Usage alone, each purpose as often as it is listed */
    struct strlist names = {0};
    for (unsigned i = 0;; i++) {
        char oid[128];
        size_t size = sizeof oid;
        if (gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &size, NULL) < 0)
            break;
        char *name = st ? oid_display_name(st, oid) : NULL;
        add(&x, &names, name ? name : oid);
        free(name);
    }
    gnutls_x509_crt_deinit(crt);
    out->purposes = names.n ? joined(&x, &names) : checked(&x, cc_strdup("<All>"));
    strlist_free(&names);
    if (x.oom) {
        certinfo_summary_free(out);
        return cc_fail(cause, CC_ENOMEM, "out of memory");
    }
    return CC_OK;
}

void
certinfo_summary_free(struct certinfo_summary *s)
{
    if (s == NULL)
        return;
    free(s->subject);
    free(s->serial);
    free(s->thumbprint);
    free(s->purposes);
    memset(s, 0, sizeof *s);
}

void
certinfo_free(struct certinfo *ci)
{
    if (ci == NULL)
        return;
    free(ci->issued_to);
    free(ci->issued_by);
    free(ci->subject);
    free(ci->issuer);
    free(ci->serial);
    free(ci->thumbprint);
    free(ci->template_name);
    strlist_free(&ci->purposes);
    for (size_t i = 0; i < ci->nfields; i++) {
        free(ci->fields[i].name);
        free(ci->fields[i].value);
    }
    free(ci->fields);
    memset(ci, 0, sizeof *ci);
}

/* ---------------- the certification path ---------------- */

/* The issuers the path may use: the CA's certificate and the enterprise stores. */
struct pool {
    gnutls_x509_crt_t *crt;
    int *trusted; /* a root a member trusts (the CA's own, the Root store) */
    size_t n;
};

static void
pool_add(struct pool *p, const void *der, size_t n, int trusted)
{
    gnutls_x509_crt_t crt;
    if (crt_import(der, n, &crt) != CC_OK)
        return;
    gnutls_x509_crt_t *v = realloc(p->crt, (p->n + 1) * sizeof *v);
    int *t = v ? realloc(p->trusted, (p->n + 1) * sizeof *t) : NULL;
    if (v != NULL)
        p->crt = v;
    if (t == NULL) {
        gnutls_x509_crt_deinit(crt);
        return;
    }
    p->trusted = t;
    p->crt[p->n] = crt;
    p->trusted[p->n] = trusted;
    p->n++;
}

static void
pool_free(struct pool *p)
{
    for (size_t i = 0; i < p->n; i++)
        gnutls_x509_crt_deinit(p->crt[i]);
    free(p->crt);
    free(p->trusted);
}

static void
pool_load(const struct cc_ctx *cx, struct pool *p)
{
    struct store *st = cx->st;
    struct authority_info info;
    memset(&info, 0, sizeof info);
    if (authority_exists(st) && authority_info_load(st, &info, NULL) == CC_OK)
        pool_add(p, info.cert.p, info.cert.n, 1);
    authority_info_free(&info);
    static const enum certstore_kind kinds[] = {CERTSTORE_ROOT, CERTSTORE_CA};
    for (size_t k = 0; k < 2; k++) {
        struct certstore_entry *v = NULL;
        size_t n = 0;
        if (certstore_list(cx, 0, kinds[k], &v, &n, NULL) != CC_OK)
            continue;
        for (size_t i = 0; i < n; i++)
            pool_add(p, v[i].der.p, v[i].der.n, kinds[k] == CERTSTORE_ROOT);
        certstore_list_free(v, n);
    }
}

/* Whether issuer's key signed crt (times are checked separately, on the lab clock). */
static int
signed_by(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer)
{
    unsigned status = 0;
    unsigned flags = GNUTLS_VERIFY_DISABLE_TIME_CHECKS | GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS |
                     GNUTLS_VERIFY_ALLOW_ANY_X509_V1_CA_CRT;
    return gnutls_x509_crt_verify(crt, &issuer, 1, flags, &status) >= 0 && status == 0;
}

static int
same_cert(gnutls_x509_crt_t a, gnutls_x509_crt_t b)
{
    return gnutls_x509_crt_equals(a, b) != 0;
}

/* The revocation reason when this CA revoked the serial; -1 when it did not. */
static int
revoked_reason(struct store *st, const char *serial)
{
    struct cadb_row *rows = NULL;
    size_t n = 0;
    int reason = -1;
    if (cadb_list(st, CADB_REVOKED, serial, &rows, &n, NULL) != CC_OK)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (rows[i].serial && strcasecmp(rows[i].serial, serial) == 0)
            reason = rows[i].revoked_reason;
    cadb_rows_free(rows, n);
    return reason;
}

static int
link_add(struct certinfo_link **v, size_t *n, gnutls_x509_crt_t crt, struct store *st, time_t now,
         enum certinfo_status status, const char *why)
{
    struct dec x = {st, NULL, 0};
    char *name = dn_text(&x, crt, 0, 1);
    char *text = NULL;
    if (status == CERTINFO_OK) {
        time_t nb = gnutls_x509_crt_get_activation_time(crt);
        time_t na = gnutls_x509_crt_get_expiration_time(crt);
        unsigned char serial[64];
        size_t ssize = sizeof serial;
        char *sh =
            gnutls_x509_crt_get_serial(crt, serial, &ssize) >= 0 ? pkix_hex(serial, ssize) : NULL;
        int reason = st != NULL && sh != NULL ? revoked_reason(st, sh) : -1;
        free(sh);
        char date[40];
        struct tm tm;
        if (now > na) {
            status = CERTINFO_EXPIRED;
            gmtime_r(&na, &tm);
            strftime(date, sizeof date, "%Y-%m-%d", &tm);
            text = cc_asprintf("This certificate expired on %s.", date);
        } else if (now < nb) {
            status = CERTINFO_NOT_YET_VALID;
            gmtime_r(&nb, &tm);
            strftime(date, sizeof date, "%Y-%m-%d", &tm);
            text = cc_asprintf("This certificate is not valid before %s.", date);
        } else if (reason >= 0) {
            status = CERTINFO_REVOKED;
            const char *rn = cadb_reason_name(reason);
            text = cc_asprintf("This certificate has been revoked by its certification "
                               "authority (%s).",
                               rn ? rn : "no reason given");
        } else {
            text = cc_strdup("This certificate is OK.");
        }
    } else {
        text = cc_strdup(why);
    }
    struct certinfo_link *nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (nv == NULL || name == NULL || text == NULL) {
        if (nv != NULL)
            *v = nv;
        free(name);
        free(text);
        return CC_ENOMEM;
    }
    *v = nv;
    nv[*n].name = name;
    nv[*n].status = status;
    nv[*n].text = text;
    (*n)++;
    return CC_OK;
}

int
certinfo_path(const struct cc_ctx *cx, const void *der, size_t n, time_t now,
              struct certinfo_link **out, size_t *count, char **cause)
{
    struct store *st = cx->st;
    *out = NULL;
    *count = 0;
    gnutls_x509_crt_t leaf;
    int rc = crt_import(der, n, &leaf);
    if (rc == CC_EPARSE)
        return cc_fail(cause, rc, "the data is not a DER X.509 certificate");
    if (rc != CC_OK)
        return cc_fail(cause, rc, "out of memory");
    struct pool pool = {NULL, NULL, 0};
    if (st != NULL)
        pool_load(cx, &pool);
    /* leaf first; reversed at the end */
    struct certinfo_link *v = NULL;
    size_t nv = 0;
    gnutls_x509_crt_t cur = leaf;
    enum { MAX_DEPTH = 8 };
    for (int depth = 0; depth < MAX_DEPTH && rc == CC_OK; depth++) {
        int self = gnutls_x509_crt_check_issuer(cur, cur) != 0;
        if (self) {
            int trusted = 0;
            for (size_t i = 0; i < pool.n; i++)
                if (pool.trusted[i] && same_cert(cur, pool.crt[i]))
                    trusted = 1;
            if (!signed_by(cur, cur))
                rc = link_add(&v, &nv, cur, st, now, CERTINFO_BAD_SIGNATURE,
                              "The signature of this root certificate does not verify.");
            else if (!trusted)
                rc = link_add(&v, &nv, cur, st, now, CERTINFO_UNTRUSTED_ROOT,
                              "This root certificate is not in the Trusted Root Certification "
                              "Authorities store.");
            else
                rc = link_add(&v, &nv, cur, st, now, CERTINFO_OK, NULL);
            break;
        }
        gnutls_x509_crt_t issuer = NULL;
        for (size_t i = 0; i < pool.n && issuer == NULL; i++)
            if (gnutls_x509_crt_check_issuer(cur, pool.crt[i]) && !same_cert(cur, pool.crt[i]))
                issuer = pool.crt[i];
        if (issuer == NULL) {
            rc = link_add(&v, &nv, cur, st, now, CERTINFO_NO_ISSUER,
                          "The issuer of this certificate could not be found.");
            break;
        }
        if (!signed_by(cur, issuer))
            rc = link_add(&v, &nv, cur, st, now, CERTINFO_BAD_SIGNATURE,
                          "The signature of this certificate does not verify with its "
                          "issuer's key.");
        else
            rc = link_add(&v, &nv, cur, st, now, CERTINFO_OK, NULL);
        cur = issuer;
    }
    gnutls_x509_crt_deinit(leaf);
    pool_free(&pool);
    if (rc != CC_OK) {
        certinfo_path_free(v, nv);
        return cc_fail(cause, rc, "out of memory");
    }
    for (size_t i = 0; i < nv / 2; i++) {
        struct certinfo_link t = v[i];
        v[i] = v[nv - 1 - i];
        v[nv - 1 - i] = t;
    }
    *out = v;
    *count = nv;
    return CC_OK;
}

void
certinfo_path_free(struct certinfo_link *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].text);
    }
    free(v);
}
