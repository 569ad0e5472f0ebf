/*
 * The Certificate dialog (see cert_view.h). Values are decoded with GnuTLS
 * and the Microsoft template extensions with ca/pkix; an extension nobody
 * here knows is shown as hex, as Windows does. Names of extensions come
 * from one table; names of purposes from oid_display_name(), so a policy
 * defined in the forest shows by its name.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "cert_view.h"
#include "dialog.h"
#include "mem.h"
#include "oids.h"
#include "pkix.h"
#include "status.h"
#include "template.h"
#include "util.h"

#define OID_TEMPLATE_NAME "1.3.6.1.4.1.311.20.2"
#define OID_TEMPLATE_INFO "1.3.6.1.4.1.311.21.7"
#define OID_APP_POLICIES  "1.3.6.1.4.1.311.21.10"

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
    {"2.5.29.37", "Enhanced Key Usage"},
    {"1.3.6.1.5.5.7.1.1", "Authority Information Access"},
    {OID_TEMPLATE_NAME, "Certificate Template Name"},
    {OID_TEMPLATE_INFO, "Certificate Template Information"},
    {OID_APP_POLICIES, "Application Policies"},
    {"1.3.6.1.4.1.311.25.2", "Security Identifier"},
    {"1.2.840.113549.1.9.15", "SMIME Capabilities"},
};

static const char *const key_usages[] = {
    "Digital Signature", "Non-Repudiation",     "Key Encipherment", "Data Encipherment",
    "Key Agreement",     "Certificate Signing", "CRL Signing",      "Encipher Only",
};
static const unsigned key_usage_bits[] = {
    GNUTLS_KEY_DIGITAL_SIGNATURE, GNUTLS_KEY_NON_REPUDIATION, GNUTLS_KEY_KEY_ENCIPHERMENT,
    GNUTLS_KEY_DATA_ENCIPHERMENT, GNUTLS_KEY_KEY_AGREEMENT,   GNUTLS_KEY_KEY_CERT_SIGN,
    GNUTLS_KEY_CRL_SIGN,          GNUTLS_KEY_ENCIPHER_ONLY,
};

enum { F_DETAILS = 1, F_VALUE };

static const struct ui_column detail_cols[] = {{"Field", 26}, {"Value", 40}};

/* The dialog's: each Details row's whole value, by row id. */
struct cert_view {
    struct strlist values;
};

static char *
hex(const void *p, size_t n)
{
    char *s = pkix_hex(p, n);
    return s ? s : ui_xstrdup("");
}

static char *
when(time_t t)
{
    struct tm tm;
    char buf[32] = "";
    if (t != (time_t)-1 && gmtime_r(&t, &tm) != NULL)
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return ui_xstrdup(buf);
}

/* Joins parts with ", "; frees them. Allocated. */
static char *
joined(struct strlist *parts)
{
    char *s = parts->n ? strlist_join(parts, ", ") : NULL;
    strlist_free(parts);
    return s ? s : ui_xstrdup("");
}

static void
add(struct strlist *l, const char *s)
{
    if (strlist_add(l, s) != CC_OK)
        ui_die("out of memory");
}

/* "Server Authentication (1.3.6.1.5.5.7.3.1), ..." for a list of OIDs. */
static char *
named_oids(struct store *st, const struct strlist *oids)
{
    struct strlist parts = {0};
    for (size_t i = 0; i < oids->n; i++) {
        char *name = oid_display_name(st, oids->v[i]);
        char *s = name && strcmp(name, oids->v[i]) != 0 ? ui_xasprintf("%s (%s)", name, oids->v[i])
                                                        : ui_xstrdup(oids->v[i]);
        add(&parts, s);
        free(s);
        free(name);
    }
    return joined(&parts);
}

/* The template's display name for its cn or OID; NULL when the forest has no such template. */
static char *
template_display(struct store *st, const char *cn, const char *oid)
{
    struct template *v = NULL;
    size_t n = 0;
    char *out = NULL;
    if (template_list(st, &v, &n, NULL) != CC_OK)
        return NULL;
    for (size_t i = 0; i < n && out == NULL; i++)
        if ((cn && v[i].cn && strcmp(v[i].cn, cn) == 0) ||
            (oid && v[i].oid && strcmp(v[i].oid, oid) == 0))
            out = ui_xstrdup(v[i].display_name ? v[i].display_name : v[i].cn);
    template_list_free(v, n);
    return out;
}

static char *
ext_value(struct store *st, gnutls_x509_crt_t crt, unsigned idx, const char *oid,
          const gnutls_datum_t *d, char **tmpl)
{
    struct strlist parts = {0};
    if (strcmp(oid, "2.5.29.15") == 0) {
        unsigned ku = 0;
        if (gnutls_x509_crt_get_key_usage(crt, &ku, NULL) >= 0)
            for (size_t i = 0; i < sizeof key_usage_bits / sizeof key_usage_bits[0]; i++)
                if (ku & key_usage_bits[i])
                    add(&parts, key_usages[i]);
        return joined(&parts);
    }
    if (strcmp(oid, "2.5.29.37") == 0) {
        struct strlist oids = {0};
        for (unsigned i = 0;; i++) {
            char buf[128];
            size_t size = sizeof buf;
            if (gnutls_x509_crt_get_key_purpose_oid(crt, i, buf, &size, NULL) < 0)
                break;
            add(&oids, buf);
        }
        char *s = named_oids(st, &oids);
        strlist_free(&oids);
        return s;
    }
    if (strcmp(oid, OID_APP_POLICIES) == 0 || strcmp(oid, "2.5.29.32") == 0) {
        struct strlist oids = {0};
        if (pkix_policies_decode(d->data, d->size, &oids) != CC_OK) {
            strlist_free(&oids);
            return hex(d->data, d->size);
        }
        char *s = named_oids(st, &oids);
        strlist_free(&oids);
        return s;
    }
    if (strcmp(oid, "2.5.29.17") == 0) {
        for (unsigned i = 0;; i++) {
            char buf[512];
            size_t size = sizeof buf;
            int type = gnutls_x509_crt_get_subject_alt_name(crt, i, buf, &size, NULL);
            if (type < 0)
                break;
            char *s = type == GNUTLS_SAN_DNSNAME      ? ui_xasprintf("DNS Name=%s", buf)
                      : type == GNUTLS_SAN_RFC822NAME ? ui_xasprintf("RFC822 Name=%s", buf)
                      : type == GNUTLS_SAN_URI        ? ui_xasprintf("URL=%s", buf)
                                                      : ui_xstrdup("Other Name");
            add(&parts, s);
            free(s);
        }
        return joined(&parts);
    }
    if (strcmp(oid, "2.5.29.19") == 0) {
        unsigned ca = 0;
        int path = -1;
        if (gnutls_x509_crt_get_basic_constraints(crt, NULL, &ca, &path) < 0)
            return hex(d->data, d->size);
        char len[24] = "None";
        if (ca && path >= 0)
            snprintf(len, sizeof len, "%d", path);
        return ui_xasprintf("Subject Type=%s, Path Length Constraint=%s", ca ? "CA" : "End Entity",
                            len);
    }
    if (strcmp(oid, "2.5.29.14") == 0) {
        unsigned char id[64];
        size_t size = sizeof id;
        if (gnutls_x509_crt_get_subject_key_id(crt, id, &size, NULL) < 0)
            return hex(d->data, d->size);
        return hex(id, size);
    }
    if (strcmp(oid, "2.5.29.35") == 0) {
        unsigned char id[64];
        size_t size = sizeof id;
        if (gnutls_x509_crt_get_authority_key_id(crt, id, &size, NULL) < 0)
            return hex(d->data, d->size);
        char *h = hex(id, size);
        char *s = ui_xasprintf("KeyID=%s", h);
        free(h);
        return s;
    }
    if (strcmp(oid, "2.5.29.31") == 0) {
        for (unsigned i = 0;; i++) {
            char buf[512];
            size_t size = sizeof buf;
            if (gnutls_x509_crt_get_crl_dist_points(crt, i, buf, &size, NULL, NULL) < 0)
                break;
            char *s = ui_xasprintf("URL=%s", buf);
            add(&parts, s);
            free(s);
        }
        return joined(&parts);
    }
    if (strcmp(oid, OID_TEMPLATE_NAME) == 0) {
        char *cn = NULL;
        if (pkix_template_name_decode(d->data, d->size, &cn) != CC_OK || cn == NULL) {
            free(cn);
            return hex(d->data, d->size);
        }
        if (*tmpl == NULL) {
            char *disp = template_display(st, cn, NULL);
            *tmpl = disp ? disp : ui_xstrdup(cn);
        }
        char *s = ui_xstrdup(cn);
        free(cn);
        return s;
    }
    if (strcmp(oid, OID_TEMPLATE_INFO) == 0) {
        char *toid = NULL;
        int64_t major = 0, minor = 0;
        if (pkix_template_info_decode(d->data, d->size, &toid, &major, &minor) != CC_OK ||
            toid == NULL) {
            free(toid);
            return hex(d->data, d->size);
        }
        char *disp = template_display(st, NULL, toid);
        char *s = disp ? ui_xasprintf("Template=%s(%s), Major Version Number=%lld, Minor "
                                      "Version Number=%lld",
                                      disp, toid, (long long)major, (long long)minor)
                       : ui_xasprintf("Template=%s, Major Version Number=%lld, Minor Version "
                                      "Number=%lld",
                                      toid, (long long)major, (long long)minor);
        if (*tmpl == NULL)
            *tmpl = disp ? disp : ui_xstrdup(toid);
        else
            free(disp);
        free(toid);
        return s;
    }
    (void)idx;
    return hex(d->data, d->size);
}

/* The DN's CN, or the whole DN. Allocated. */
static char *
dn_cn(gnutls_x509_crt_t crt, int issuer)
{
    char buf[512];
    size_t size = sizeof buf;
    int rc =
        issuer ? gnutls_x509_crt_get_issuer_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf,
                                                      &size)
               : gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &size);
    if (rc >= 0)
        return ui_xstrdup(buf);
    gnutls_datum_t dn = {NULL, 0};
    rc =
        issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &dn, 0) : gnutls_x509_crt_get_dn3(crt, &dn, 0);
    char *s = ui_xstrdup(rc >= 0 && dn.data ? (const char *)dn.data : "");
    gnutls_free(dn.data);
    return s;
}

static char *
dn_full(gnutls_x509_crt_t crt, int issuer)
{
    gnutls_datum_t dn = {NULL, 0};
    int rc =
        issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &dn, 0) : gnutls_x509_crt_get_dn3(crt, &dn, 0);
    char *s = ui_xstrdup(rc >= 0 && dn.data ? (const char *)dn.data : "");
    gnutls_free(dn.data);
    return s;
}

static void
detail(struct ui_field *list, struct cert_view *cv, const char *field, char *value)
{
    const char *row[] = {field, value};
    ui_memsource_add(list->rows, (int64_t)cv->values.n, row);
    add(&cv->values, value);
    free(value);
}

static void
details_changed(struct ui_dialog *d, struct ui_field *f)
{
    struct cert_view *cv = d->ctx;
    size_t pos = ui_list_selected(&f->list);
    if (pos == UI_LIST_NONE)
        return;
    int64_t id = f->list.src->row_id(f->list.ctx, pos);
    if (id >= 0 && (size_t)id < cv->values.n)
        ui_field_set_text(ui_dialog_field(d, F_VALUE), cv->values.v[id]);
}

static void
cert_view_destroy(struct ui_dialog *d)
{
    struct cert_view *cv = d->ctx;
    strlist_free(&cv->values);
    free(cv);
}

static const struct ui_dialog_ops cert_view_ops = {
    .destroy = cert_view_destroy,
};

void
ui_cert_view_open(struct ui_app *app, const void *der, size_t n)
{
    gnutls_x509_crt_t crt;
    gnutls_datum_t dd = {(unsigned char *)der, (unsigned)n};
    if (gnutls_x509_crt_init(&crt) < 0)
        ui_die("out of memory");
    if (gnutls_x509_crt_import(crt, &dd, GNUTLS_X509_FMT_DER) < 0) {
        gnutls_x509_crt_deinit(crt);
        ui_message(app, "Certificate", "The certificate cannot be decoded.");
        return;
    }
    struct cert_view *cv = ui_xcalloc(1, sizeof *cv);
    struct ui_dialog *d =
        ui_dialog_new(app, "Certificate", 76, 20, UI_DIALOG_TABS, &cert_view_ops, cv);
    struct ui_page *gen = ui_dialog_add_page(d, "General");
    struct ui_page *det = ui_dialog_add_page(d, "Details");
    struct ui_field *list = ui_page_list(det, 0, 0, 0, 10, detail_cols, 2);
    list->id = F_DETAILS;
    list->changed = details_changed;
    ui_page_label(det, 0, 11, 0, "")->id = F_VALUE;
    ui_dialog_field(d, F_VALUE)->h = 3;

    unsigned char serial[64];
    size_t ssize = sizeof serial;
    char *serial_hex =
        gnutls_x509_crt_get_serial(crt, serial, &ssize) >= 0 ? hex(serial, ssize) : ui_xstrdup("");
    char *tmpl = NULL;

    detail(list, cv, "Version", ui_xasprintf("V%d", gnutls_x509_crt_get_version(crt)));
    detail(list, cv, "Serial number", ui_xstrdup(serial_hex));
    int sig = gnutls_x509_crt_get_signature_algorithm(crt);
    const char *sign = sig >= 0 ? gnutls_sign_get_name((gnutls_sign_algorithm_t)sig) : NULL;
    detail(list, cv, "Signature algorithm", ui_xstrdup(sign ? sign : "unknown"));
    detail(list, cv, "Issuer", dn_full(crt, 1));
    detail(list, cv, "Valid from", when(gnutls_x509_crt_get_activation_time(crt)));
    detail(list, cv, "Valid to", when(gnutls_x509_crt_get_expiration_time(crt)));
    detail(list, cv, "Subject", dn_full(crt, 0));
    unsigned bits = 0;
    int pk = gnutls_x509_crt_get_pk_algorithm(crt, &bits);
    const char *pkname = pk >= 0 ? gnutls_pk_get_name((gnutls_pk_algorithm_t)pk) : NULL;
    detail(list, cv, "Public key", ui_xasprintf("%s (%u Bits)", pkname ? pkname : "unknown", bits));
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
        char *value = ext_value(app->st, crt, i, oid, &data, &tmpl);
        gnutls_free(data.data);
        if (critical) {
            char *v = ui_xasprintf("(critical) %s", value);
            free(value);
            value = v;
        }
        detail(list, cv, name, value);
    }
    unsigned char sha1[20];
    size_t tsize = sizeof sha1;
    if (gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA1, sha1, &tsize) >= 0)
        detail(list, cv, "Thumbprint", hex(sha1, tsize));
    ui_list_refresh(&list->list);
    ui_field_set_text(ui_dialog_field(d, F_VALUE), cv->values.n ? cv->values.v[0] : "");

    ui_page_label(gen, 0, 0, 0, "Certificate Information");
    char *to = dn_cn(crt, 0), *by = dn_cn(crt, 1);
    char *from = when(gnutls_x509_crt_get_activation_time(crt));
    char *until = when(gnutls_x509_crt_get_expiration_time(crt));
    char *line = ui_xasprintf("Issued to:      %s", to);
    ui_page_label(gen, 2, 2, 0, line);
    free(line);
    line = ui_xasprintf("Issued by:      %s", by);
    ui_page_label(gen, 2, 4, 0, line);
    free(line);
    line = ui_xasprintf("Valid from      %s", from);
    ui_page_label(gen, 2, 6, 0, line);
    free(line);
    line = ui_xasprintf("Valid to        %s", until);
    ui_page_label(gen, 2, 7, 0, line);
    free(line);
    line = ui_xasprintf("Template:       %s", tmpl ? tmpl : "(none)");
    ui_page_label(gen, 2, 9, 0, line);
    free(line);
    line = ui_xasprintf("Serial number:  %s", serial_hex);
    ui_page_label(gen, 2, 10, 0, line);
    free(line);
    free(to);
    free(by);
    free(from);
    free(until);
    free(tmpl);
    free(serial_hex);
    gnutls_x509_crt_deinit(crt);
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_show(d);
}
