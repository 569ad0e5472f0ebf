/*
 * Certificate templates. One table of raw attributes (fields[]) drives the
 * database row, libconfig import/export and the audit diff, so the three
 * cannot drift apart; one table of settings (settings[]) drives every
 * control of the property sheet for both the console and the command line.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <libconfig.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "authz.h"
#include "clock.h"
#include "context.h"
#include "directory.h"
#include "oids.h"
#include "status.h"
#include "template.h"
#include "util.h"

/* ---- raw attributes --------------------------------------------------------- */

enum ftype { F_STR, F_INT, F_U32, F_HEX, F_PERIOD, F_LIST, F_KU };

struct field {
    const char *key;    /* libconfig key and audit field name */
    const char *column; /* database column */
    enum ftype type;
    size_t off;
    int required;       /* must be present in a template file */
};

#define FLD(k, c, t, m, r) {k, c, t, offsetof(struct template, m), r}
static const struct field fields[] = {
    FLD("name", "cn", F_STR, cn, 1),
    FLD("display_name", "display_name", F_STR, display_name, 1),
    FLD("oid", "oid", F_STR, oid, 1),
    FLD("schema", "schema_version", F_INT, schema_version, 1),
    FLD("revision", "revision", F_U32, revision, 0),
    FLD("minor_revision", "minor_revision", F_U32, minor_revision, 0),
    FLD("flags", "flags", F_HEX, flags, 0),
    FLD("enrollment_flag", "enrollment_flag", F_HEX, enrollment_flag, 0),
    FLD("private_key_flag", "private_key_flag", F_HEX, private_key_flag, 0),
    FLD("name_flag", "name_flag", F_HEX, name_flag, 0),
    FLD("key_spec", "key_spec", F_INT, key_spec, 0),
    FLD("key_usage", "key_usage", F_KU, key_usage, 0),
    FLD("max_issuing_depth", "max_issuing_depth", F_INT, max_issuing_depth, 0),
    FLD("min_key_size", "min_key_size", F_U32, min_key_size, 0),
    FLD("ra_signature", "ra_signature", F_U32, ra_signature, 0),
    FLD("validity", "validity", F_PERIOD, validity, 1),
    FLD("renewal", "renewal", F_PERIOD, renewal, 1),
    FLD("critical_extensions", "critical_extensions", F_LIST, critical_extensions, 0),
    FLD("eku", "eku", F_LIST, eku, 0),
    FLD("app_policies", "app_policies", F_LIST, app_policies, 0),
    FLD("cert_policies", "cert_policies", F_LIST, cert_policies, 0),
    FLD("ra_policies", "ra_policies", F_LIST, ra_policies, 0),
    FLD("ra_app_policies", "ra_app_policies", F_LIST, ra_app_policies, 0),
    FLD("csps", "csps", F_LIST, csps, 0),
    FLD("supersede", "supersede", F_LIST, supersede, 0),
    FLD("algorithm", "algorithm", F_STR, algorithm, 0),
};
#define FIELD_COUNT (sizeof fields / sizeof fields[0])

#define FPTR(t, f, type) ((type *)((char *)(t) + (f)->off))
#define CFPTR(t, f, type) ((const type *)((const char *)(t) + (f)->off))

static const struct {
    const char *name;
    unsigned bit;
} ku_names[] = {
    {"digitalSignature", CT_KU_DIGITAL_SIGNATURE}, {"nonRepudiation", CT_KU_NON_REPUDIATION},
    {"keyEncipherment", CT_KU_KEY_ENCIPHERMENT},   {"dataEncipherment", CT_KU_DATA_ENCIPHERMENT},
    {"keyAgreement", CT_KU_KEY_AGREEMENT},         {"keyCertSign", CT_KU_KEY_CERT_SIGN},
    {"cRLSign", CT_KU_CRL_SIGN},                   {"encipherOnly", CT_KU_ENCIPHER_ONLY},
    {"decipherOnly", CT_KU_DECIPHER_ONLY},
};
#define KU_COUNT (sizeof ku_names / sizeof ku_names[0])

static int
ku_parse_list(const struct strlist *l, unsigned *out, char **cause)
{
    unsigned ku = 0;
    for (size_t i = 0; i < l->n; i++) {
        size_t k;
        for (k = 0; k < KU_COUNT; k++)
            if (strcasecmp(ku_names[k].name, l->v[i]) == 0)
                break;
        if (k == KU_COUNT)
            return cc_fail(cause, CC_EINVAL,
                           "key usage: '%s' is not one of digitalSignature, nonRepudiation, "
                           "keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, "
                           "cRLSign, encipherOnly, decipherOnly",
                           l->v[i]);
        ku |= ku_names[k].bit;
    }
    *out = ku;
    return CC_OK;
}

static char *
ku_format(unsigned ku)
{
    struct strlist l = {0};
    for (size_t k = 0; k < KU_COUNT; k++)
        if (ku & ku_names[k].bit)
            strlist_add(&l, ku_names[k].name);
    char *s = strlist_join(&l, ",");
    strlist_free(&l);
    return s;
}

/* A field's value as text, for the audit log and `template show`. */
static char *
field_format(const struct template *t, const struct field *f)
{
    switch (f->type) {
    case F_STR:
        return cc_strdup(*CFPTR(t, f, char *) ? *CFPTR(t, f, char *) : "");
    case F_INT:
        return cc_asprintf("%d", *CFPTR(t, f, int));
    case F_U32:
        return cc_asprintf("%u", *CFPTR(t, f, uint32_t));
    case F_HEX:
        return cc_asprintf("0x%08X", *CFPTR(t, f, uint32_t));
    case F_PERIOD:
        return template_period_format(*CFPTR(t, f, int64_t));
    case F_LIST:
        return strlist_join(CFPTR(t, f, struct strlist), ",");
    case F_KU:
        return ku_format(*CFPTR(t, f, unsigned));
    }
    return NULL;
}

void
template_free(struct template *t)
{
    for (size_t i = 0; i < FIELD_COUNT; i++) {
        if (fields[i].type == F_STR)
            free(*FPTR(t, &fields[i], char *));
        else if (fields[i].type == F_LIST)
            strlist_free(FPTR(t, &fields[i], struct strlist));
    }
    acl_free(&t->acl);
    memset(t, 0, sizeof *t);
}

int
template_copy(struct template *dst, const struct template *src)
{
    struct template out = *src;
    int rc = CC_OK;
    for (size_t i = 0; i < FIELD_COUNT; i++) {
        const struct field *f = &fields[i];
        if (f->type == F_STR) {
            *FPTR(&out, f, char *) = NULL;
            const char *s = *CFPTR(src, f, char *);
            if (s != NULL && (*FPTR(&out, f, char *) = strdup(s)) == NULL)
                rc = CC_ENOMEM;
        } else if (f->type == F_LIST) {
            struct strlist *l = FPTR(&out, f, struct strlist);
            memset(l, 0, sizeof *l);
            if (rc == CC_OK)
                rc = strlist_copy(l, CFPTR(src, f, struct strlist));
        }
    }
    memset(&out.acl, 0, sizeof out.acl);
    if (rc == CC_OK)
        rc = acl_copy(&out.acl, &src->acl);
    if (rc != CC_OK) {
        template_free(&out);
        return CC_ENOMEM;
    }
    template_free(dst);
    *dst = out;
    return CC_OK;
}

/* ---- the key a template takes ------------------------------------------------ */

/*
 * Algorithm names of the Cryptography tab (msPKI-Asymmetric-Algorithm).
 * Ed25519 is this CA's own addition: AD CS names no EdDSA algorithm.
 */
static const struct {
    const char *name;
    int family;
    unsigned bits;      /* curve size; 0 for RSA */
    const char *key;    /* the key enrollment generates */
} algorithms[] = {
    {"RSA", TEMPLATE_KEY_RSA, 0, NULL},
    {"ECDSA_P256", TEMPLATE_KEY_EC, 256, "ecdsa:p256"},
    {"ECDSA_P384", TEMPLATE_KEY_EC, 384, "ecdsa:p384"},
    {"ECDSA_P521", TEMPLATE_KEY_EC, 521, "ecdsa:p521"},
    {"ECDH_P256", TEMPLATE_KEY_EC, 256, "ecdsa:p256"},
    {"ECDH_P384", TEMPLATE_KEY_EC, 384, "ecdsa:p384"},
    {"ECDH_P521", TEMPLATE_KEY_EC, 521, "ecdsa:p521"},
    {"Ed25519", TEMPLATE_KEY_ED25519, 256, "ed25519"},
};
#define ALGORITHM_COUNT (sizeof algorithms / sizeof algorithms[0])
#define ALGORITHM_NAMES \
    "RSA, ECDSA_P256, ECDSA_P384, ECDSA_P521, ECDH_P256, ECDH_P384, ECDH_P521, Ed25519"

int
template_algorithm_key(const char *name, int *family, unsigned *bits)
{
    for (size_t i = 0; name != NULL && i < ALGORITHM_COUNT; i++)
        if (cc_strcaseeq(name, algorithms[i].name)) {
            *family = algorithms[i].family;
            *bits = algorithms[i].bits;
            return CC_OK;
        }
    return CC_EINVAL;
}

const char *
template_algorithm(const struct template *t)
{
    if (t->schema_version < 3 || t->algorithm == NULL || *t->algorithm == '\0')
        return NULL;
    return t->algorithm;
}

char *
template_key_wanted(const struct template *t)
{
    const char *a = template_algorithm(t);
    int family = TEMPLATE_KEY_ANY;
    unsigned bits = 0;
    if (a != NULL && template_algorithm_key(a, &family, &bits) == CC_OK &&
        family != TEMPLATE_KEY_RSA)
        return cc_asprintf("an %s key (%u bits)", a, bits);
    if (family == TEMPLATE_KEY_RSA)
        return cc_asprintf("an RSA key of at least %u bits", t->min_key_size);
    return cc_asprintf("a key of at least %u bits", t->min_key_size);
}

int
template_key_accepts(const struct template *t, int family, unsigned bits)
{
    const char *alg = template_algorithm(t);
    int want = TEMPLATE_KEY_ANY;
    unsigned curve = 0;
    if (alg != NULL && template_algorithm_key(alg, &want, &curve) == CC_OK) {
        if (want != TEMPLATE_KEY_ANY && want != family)
            return 0;
        if (want == TEMPLATE_KEY_EC && bits != curve)
            return 0;
    }
    return bits >= t->min_key_size;
}

const char *
template_default_key(const struct template *t)
{
    const char *a = template_algorithm(t);
    for (size_t i = 0; a != NULL && i < ALGORITHM_COUNT; i++)
        if (cc_strcaseeq(a, algorithms[i].name) && algorithms[i].key != NULL)
            return algorithms[i].key;
    return t->min_key_size > 3072 ? "rsa:4096" : t->min_key_size > 2048 ? "rsa:3072" : "rsa:2048";
}

/* ---- periods and compatibility -------------------------------------------- */

int
template_period_parse(const char *s, int64_t *secs, char **cause)
{
    static const struct {
        const char *unit;
        int64_t secs;
    } units[] = {
        {"y", PERIOD_YEAR},    {"year", PERIOD_YEAR},    {"years", PERIOD_YEAR},
        {"m", PERIOD_MONTH},   {"month", PERIOD_MONTH},  {"months", PERIOD_MONTH},
        {"w", PERIOD_WEEK},    {"week", PERIOD_WEEK},    {"weeks", PERIOD_WEEK},
        {"d", PERIOD_DAY},     {"day", PERIOD_DAY},      {"days", PERIOD_DAY},
        {"h", PERIOD_HOUR},    {"hour", PERIOD_HOUR},    {"hours", PERIOD_HOUR},
    };
    const char *p = s;
    while (isspace((unsigned char)*p))
        p++;
    if (!isdigit((unsigned char)*p))
        goto bad;
    errno = 0;
    char *end;
    long long n = strtoll(p, &end, 10);
    if (errno != 0 || n <= 0 || n > 1000000)
        goto bad;
    while (isspace((unsigned char)*end))
        end++;
    size_t len = strlen(end);
    while (len > 0 && isspace((unsigned char)end[len - 1]))
        len--;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strlen(units[i].unit) == len && strncasecmp(units[i].unit, end, len) == 0) {
            int64_t v = n * units[i].secs;
            if (v > 100 * PERIOD_YEAR)
                return cc_fail(cause, CC_EINVAL, "'%s' is longer than 100 years", s);
            *secs = v;
            return CC_OK;
        }
    }
bad:
    return cc_fail(cause, CC_EINVAL,
                   "'%s' is not a period: use a positive number and a unit, such as 2y, 6m, "
                   "6w, 90d or 12h (a year is 365 days, a month 30)",
                   s);
}

char *
template_period_format(int64_t secs)
{
    static const struct {
        int64_t secs;
        const char *one, *many;
    } units[] = {
        {PERIOD_YEAR, "year", "years"}, {PERIOD_MONTH, "month", "months"},
        {PERIOD_WEEK, "week", "weeks"}, {PERIOD_DAY, "day", "days"},
        {PERIOD_HOUR, "hour", "hours"},
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (secs > 0 && secs % units[i].secs == 0) {
            long long n = secs / units[i].secs;
            return cc_asprintf("%lld %s", n, n == 1 ? units[i].one : units[i].many);
        }
    }
    return cc_asprintf("%lld seconds", (long long)secs);
}

/* Short form for files: "2y", "6w". */
static char *
period_short(int64_t secs)
{
    static const struct {
        int64_t secs;
        char unit;
    } units[] = {{PERIOD_YEAR, 'y'}, {PERIOD_MONTH, 'm'}, {PERIOD_WEEK, 'w'},
                 {PERIOD_DAY, 'd'},  {PERIOD_HOUR, 'h'}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (secs > 0 && secs % units[i].secs == 0)
            return cc_asprintf("%lld%c", (long long)(secs / units[i].secs), units[i].unit);
    return cc_asprintf("%lldh", (long long)(secs / PERIOD_HOUR));
}

static const char *const compat_names[] = {"none", "2003", "2008", "2008r2",
                                           "2012", "2012r2", "2016"};
static const char *const recipient_names[] = {"none", "xp", "vista", "win7",
                                              "win8", "win81", "win10"};

int
template_compat_parse(const char *s, enum template_compat *out, char **cause)
{
    for (int i = COMPAT_2003; i <= COMPAT_2016; i++) {
        if (strcasecmp(s, compat_names[i]) == 0) {
            *out = (enum template_compat)i;
            return CC_OK;
        }
    }
    return cc_fail(cause, CC_EINVAL,
                   "compatibility: '%s' is not one of 2003, 2008, 2008r2, 2012, 2012r2, 2016", s);
}

const char *
template_compat_name(enum template_compat c)
{
    return c >= COMPAT_NONE && c <= COMPAT_2016 ? compat_names[c] : "?";
}

enum template_compat
template_compat_of(const struct template *t)
{
    unsigned v = (t->private_key_flag & CT_PK_SERVER_VERSION_MASK) >> CT_PK_SERVER_VERSION_SHIFT;
    /* the default version 2 templates carry no level: they date from Windows Server 2003 */
    if (v == 0 && t->schema_version >= 2)
        return t->schema_version == 2 ? COMPAT_2003 : COMPAT_2008;
    return v > COMPAT_2016 ? COMPAT_2016 : (enum template_compat)v;
}

static unsigned
recipient_of(const struct template *t)
{
    return (t->private_key_flag & CT_PK_CLIENT_VERSION_MASK) >> CT_PK_CLIENT_VERSION_SHIFT;
}

/* The schema version the console writes for a CA level and recipient level (§1.2). */
static int
schema_for(unsigned ca, unsigned recipient)
{
    if (ca >= COMPAT_2012 && recipient >= 4)
        return 4;
    if (ca >= COMPAT_2008 && recipient >= 2)
        return 3;
    return 2;
}

static void
set_compat_levels(struct template *t, unsigned ca, unsigned recipient)
{
    t->private_key_flag &= ~(CT_PK_SERVER_VERSION_MASK | CT_PK_CLIENT_VERSION_MASK);
    t->private_key_flag |= (ca << CT_PK_SERVER_VERSION_SHIFT) |
                           (recipient << CT_PK_CLIENT_VERSION_SHIFT);
}

/* ---- accessors ------------------------------------------------------------- */

int
template_is_machine(const struct template *t)
{
    return (t->flags & CT_FLAG_MACHINE_TYPE) != 0;
}

int
template_is_builtin(const struct template *t)
{
    return (t->flags & CT_FLAG_IS_DEFAULT) != 0;
}

int
template_exportable(const struct template *t)
{
    return (t->private_key_flag & CT_PK_EXPORTABLE_KEY) != 0;
}

int
template_subject_supplied(const struct template *t)
{
    return (t->name_flag & CT_NAME_ENROLLEE_SUPPLIES_SUBJECT) != 0;
}

int
template_needs_approval(const struct template *t)
{
    return (t->enrollment_flag & CT_ENROLL_PEND_ALL_REQUESTS) != 0;
}

const char *
template_purpose_name(const struct template *t)
{
    if (t->key_spec == 2)
        return "Signature";
    if (!(t->key_usage & CT_KU_DIGITAL_SIGNATURE))
        return "Encryption";
    if (strlist_find(&t->eku, "1.3.6.1.4.1.311.20.2.2", 0) >= 0)
        return "Signature and smartcard logon";
    return "Signature and encryption";
}

char *
template_purposes(struct store *st, const struct template *t)
{
    const struct strlist *l = t->schema_version >= 2 && t->app_policies.n > 0 ? &t->app_policies
                                                                              : &t->eku;
    struct strlist names = {0};
    for (size_t i = 0; i < l->n; i++) {
        char *n = oid_display_name(st, l->v[i]);
        if (n == NULL || strlist_add(&names, n) != CC_OK) {
            free(n);
            strlist_free(&names);
            return NULL;
        }
        free(n);
    }
    char *out = strlist_join(&names, ", ");
    strlist_free(&names);
    return out;
}

char *
template_version_string(const struct template *t)
{
    return cc_asprintf("%u.%u", t->revision, t->minor_revision);
}

/* ---- database rows ---------------------------------------------------------- */

static char *
select_sql(const char *where)
{
    size_t len = 64 + strlen(where);
    for (size_t i = 0; i < FIELD_COUNT; i++)
        len += strlen(fields[i].column) + 2;
    char *sql = malloc(len);
    if (sql == NULL)
        return NULL;
    strcpy(sql, "SELECT id, change_count, modified");
    for (size_t i = 0; i < FIELD_COUNT; i++) {
        strcat(sql, ", ");
        strcat(sql, fields[i].column);
    }
    strcat(sql, " FROM template ");
    strcat(sql, where);
    return sql;
}

static int
row_to_template(struct store_stmt *q, struct template *t)
{
    memset(t, 0, sizeof *t);
    t->id = store_col_int64(q, 0);
    t->change_count = store_col_int64(q, 1);
    t->modified = store_col_int64(q, 2);
    for (size_t i = 0; i < FIELD_COUNT; i++) {
        const struct field *f = &fields[i];
        int c = (int)i + 3;
        switch (f->type) {
        case F_STR:
            *FPTR(t, f, char *) = cc_strdup(store_col_text(q, c));
            if (*FPTR(t, f, char *) == NULL)
                goto nomem;
            break;
        case F_INT:
            *FPTR(t, f, int) = store_col_int(q, c);
            break;
        case F_U32:
        case F_HEX:
            *FPTR(t, f, uint32_t) = (uint32_t)store_col_int64(q, c);
            break;
        case F_KU:
            *FPTR(t, f, unsigned) = (unsigned)store_col_int64(q, c);
            break;
        case F_PERIOD:
            *FPTR(t, f, int64_t) = store_col_int64(q, c);
            break;
        case F_LIST: {
            const char *s = store_col_text(q, c);
            if (strlist_split(FPTR(t, f, struct strlist), s ? s : "", "\n") != CC_OK)
                goto nomem;
            break;
        }
        }
    }
    return CC_OK;
nomem:
    template_free(t);
    return CC_ENOMEM;
}

static int
load_acl(struct store *st, struct template *t, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT a.principal_id, p.name, a.allow, a.deny FROM template_ace a "
                           "JOIN principal p ON p.id = a.principal_id "
                           "WHERE a.template_id = ? ORDER BY a.pos",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, t->id);
    while (rc == CC_OK && store_step(q, NULL) == STORE_ROW)
        rc = acl_set(&t->acl, store_col_int64(q, 0), store_col_text(q, 1),
                     (unsigned)store_col_int(q, 2), (unsigned)store_col_int(q, 3));
    store_finalize(q);
    return rc;
}

static int
all_template_names(struct store *st, struct strlist *names)
{
    struct store_stmt *q;
    if (store_prepare(st, "SELECT display_name, cn FROM template ORDER BY display_name", &q,
                      NULL) != CC_OK)
        return CC_EDB;
    while (store_step(q, NULL) == STORE_ROW) {
        strlist_add(names, store_col_text(q, 0));
        strlist_add(names, store_col_text(q, 1));
    }
    store_finalize(q);
    return CC_OK;
}

static int
template_not_found(struct store *st, const char *name, char **cause)
{
    struct strlist names = {0};
    all_template_names(st, &names);
    char *hint = cc_nearest(name, &names);
    strlist_free(&names);
    int rc = cc_fail(cause, CC_ENOTFOUND, "no certificate template named '%s'%s%s", name,
                     hint ? ". " : "", hint ? hint : "");
    free(hint);
    return rc;
}

static int
load_where(struct store *st, const char *where, const char *text, int64_t id,
           struct template *out, char **cause)
{
    char *sql = select_sql(where);
    if (sql == NULL)
        return CC_ENOMEM;
    struct store_stmt *q;
    int rc = store_prepare(st, sql, &q, cause);
    free(sql);
    if (rc != CC_OK)
        return rc;
    if (text != NULL)
        store_bind_text(q, 1, text);
    else
        store_bind_int64(q, 1, id);
    int step = store_step(q, NULL);
    if (step == STORE_ROW)
        rc = row_to_template(q, out);
    else if (step == STORE_DONE)
        rc = text ? template_not_found(st, text, cause)
                  : cc_fail(cause, CC_ENOTFOUND, "no template with id %lld", (long long)id);
    else
        rc = store_error(st, cause);
    store_finalize(q);
    if (rc == CC_OK && (rc = load_acl(st, out, cause)) != CC_OK)
        template_free(out);
    return rc;
}

int
template_load(struct store *st, const char *name, struct template *out, char **cause)
{
    return load_where(st,
                      "WHERE display_name = ?1 OR cn = ?1 OR oid = ?1 "
                      "ORDER BY (display_name = ?1) DESC LIMIT 1",
                      name, 0, out, cause);
}

int
template_load_id(struct store *st, int64_t id, struct template *out, char **cause)
{
    return load_where(st, "WHERE id = ?1", NULL, id, out, cause);
}

void
template_list_free(struct template *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        template_free(&list[i]);
    free(list);
}

int
template_list(struct store *st, struct template **out, size_t *n, char **cause)
{
    char *sql = select_sql("ORDER BY display_name");
    if (sql == NULL)
        return CC_ENOMEM;
    struct store_stmt *q;
    int rc = store_prepare(st, sql, &q, cause);
    free(sql);
    if (rc != CC_OK)
        return rc;
    struct template *v = NULL;
    size_t count = 0;
    int step;
    while (rc == CC_OK && (step = store_step(q, NULL)) == STORE_ROW) {
        struct template *nv = realloc(v, (count + 1) * sizeof *nv);
        if (nv == NULL) {
            rc = CC_ENOMEM;
            break;
        }
        v = nv;
        if ((rc = row_to_template(q, &v[count])) == CC_OK)
            count++;
    }
    store_finalize(q);
    for (size_t i = 0; rc == CC_OK && i < count; i++)
        rc = load_acl(st, &v[i], cause);
    if (rc != CC_OK) {
        template_list_free(v, count);
        return rc;
    }
    *out = v;
    *n = count;
    return CC_OK;
}

static int
bind_fields(struct store *st, struct store_stmt *q, const struct template *t)
{
    (void)st;
    for (size_t i = 0; i < FIELD_COUNT; i++) {
        const struct field *f = &fields[i];
        int c = (int)i + 1;
        switch (f->type) {
        case F_STR: /* an optional string left out is stored empty */
            store_bind_text(q, c, *CFPTR(t, f, char *) ? *CFPTR(t, f, char *) : "");
            break;
        case F_INT:
            store_bind_int(q, c, *CFPTR(t, f, int));
            break;
        case F_U32:
        case F_HEX:
            store_bind_int64(q, c, *CFPTR(t, f, uint32_t));
            break;
        case F_KU:
            store_bind_int64(q, c, *CFPTR(t, f, unsigned));
            break;
        case F_PERIOD:
            store_bind_int64(q, c, *CFPTR(t, f, int64_t));
            break;
        case F_LIST: {
            char *s = strlist_join(CFPTR(t, f, struct strlist), "\n");
            if (s == NULL)
                return CC_ENOMEM;
            store_bind_text(q, c, s);
            free(s);
            break;
        }
        }
    }
    return CC_OK;
}

static int
write_acl(struct store *st, const struct template *t, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st, "DELETE FROM template_ace WHERE template_id = ?", &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, t->id);
    if (store_step(q, NULL) != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    if (rc != CC_OK)
        return rc;
    rc = store_prepare(st,
                       "INSERT INTO template_ace (template_id, principal_id, pos, allow, deny) "
                       "VALUES (?, ?, ?, ?, ?)",
                       &q, cause);
    if (rc != CC_OK)
        return rc;
    for (size_t i = 0; i < t->acl.n && rc == CC_OK; i++) {
        store_reset(q);
        store_bind_int64(q, 1, t->id);
        store_bind_int64(q, 2, t->acl.v[i].principal);
        store_bind_int64(q, 3, (int64_t)i);
        store_bind_int(q, 4, (int)t->acl.v[i].allow);
        store_bind_int(q, 5, (int)t->acl.v[i].deny);
        if (store_step(q, NULL) != STORE_DONE)
            rc = store_error(st, cause);
    }
    store_finalize(q);
    return rc;
}

/* Explains a uniqueness failure in terms of the three unique names. */
static int
name_taken(struct store *st, const struct template *t, int64_t self, char **cause)
{
    struct store_stmt *q;
    if (store_prepare(st,
                      "SELECT display_name, cn, oid FROM template WHERE id != ?4 AND "
                      "(display_name = ?1 OR cn = ?2 OR oid = ?3)",
                      &q, NULL) != CC_OK)
        return CC_OK;
    store_bind_text(q, 1, t->display_name);
    store_bind_text(q, 2, t->cn);
    store_bind_text(q, 3, t->oid);
    store_bind_int64(q, 4, self);
    int rc = CC_OK;
    if (store_step(q, NULL) == STORE_ROW) {
        const char *dn = store_col_text(q, 0);
        const char *cn = store_col_text(q, 1);
        const char *oid = store_col_text(q, 2);
        if (strcasecmp(dn, t->display_name) == 0)
            rc = cc_fail(cause, CC_EEXIST, "a template named '%s' already exists", dn);
        else if (strcasecmp(cn, t->cn) == 0)
            rc = cc_fail(cause, CC_EEXIST,
                         "the template name '%s' is already used by '%s'", t->cn, dn);
        else
            rc = cc_fail(cause, CC_EEXIST, "the OID %s is already used by '%s'", oid, dn);
    }
    store_finalize(q);
    return rc;
}

static int
insert_template(const struct cc_ctx *cx, struct template *t, char **cause)
{
    struct store *st = cx->st;
    int rc = name_taken(st, t, 0, cause);
    if (rc != CC_OK)
        return rc;
    size_t len = 128;
    for (size_t i = 0; i < FIELD_COUNT; i++)
        len += strlen(fields[i].column) + 4;
    char *sql = malloc(len);
    if (sql == NULL)
        return CC_ENOMEM;
    strcpy(sql, "INSERT INTO template (");
    for (size_t i = 0; i < FIELD_COUNT; i++) {
        strcat(sql, fields[i].column);
        strcat(sql, ", ");
    }
    strcat(sql, "modified) VALUES (");
    for (size_t i = 0; i < FIELD_COUNT; i++)
        strcat(sql, "?, ");
    strcat(sql, "?)");
    struct store_stmt *q;
    rc = store_prepare(st, sql, &q, cause);
    free(sql);
    if (rc != CC_OK)
        return rc;
    t->modified = ctx_now(cx);
    rc = bind_fields(st, q, t);
    store_bind_int64(q, (int)FIELD_COUNT + 1, t->modified);
    if (rc == CC_OK && store_step(q, NULL) != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    if (rc != CC_OK)
        return rc;
    t->id = store_last_id(st);
    t->change_count = 0;
    return write_acl(st, t, cause);
}

/* ---- validation ---------------------------------------------------------------- */

static int
valid_display_name(const char *s, char **cause)
{
    size_t len = s ? strlen(s) : 0;
    if (len == 0 || len > 64)
        return cc_fail(cause, CC_EINVAL, "display-name: must be 1 to 64 characters");
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return cc_fail(cause, CC_EINVAL, "display-name: control characters are not allowed");
    if (s[0] == ' ' || s[len - 1] == ' ')
        return cc_fail(cause, CC_EINVAL, "display-name: must not start or end with a blank");
    return CC_OK;
}

static int
valid_cn(const char *s, char **cause)
{
    size_t len = s ? strlen(s) : 0;
    if (len == 0 || len > 64)
        return cc_fail(cause, CC_EINVAL, "template name: must be 1 to 64 characters");
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f || strchr(",=+<>#;\"\\/", *p))
            return cc_fail(cause, CC_EINVAL,
                           "template name: '%s' may hold no blanks, control characters or any "
                           "of , = + < > # ; \" \\ /",
                           s);
    return CC_OK;
}

static int
valid_oid_list(const struct strlist *l, const char *what, char **cause)
{
    for (size_t i = 0; i < l->n; i++)
        if (!oid_is_valid(l->v[i]))
            return cc_fail(cause, CC_EINVAL, "%s: '%s' is not an object identifier", what,
                           l->v[i]);
    return CC_OK;
}

#define SUBJECT_BUILD_BITS                                                                     \
    (CT_NAME_SUBJECT_ALT_REQUIRE_DOMAIN_DNS | CT_NAME_SUBJECT_ALT_REQUIRE_SPN |               \
     CT_NAME_SUBJECT_ALT_REQUIRE_DIRECTORY_GUID | CT_NAME_SUBJECT_ALT_REQUIRE_UPN |           \
     CT_NAME_SUBJECT_ALT_REQUIRE_EMAIL | CT_NAME_SUBJECT_ALT_REQUIRE_DNS |                    \
     CT_NAME_SUBJECT_REQUIRE_DNS_AS_CN | CT_NAME_SUBJECT_REQUIRE_EMAIL |                      \
     CT_NAME_SUBJECT_REQUIRE_COMMON_NAME | CT_NAME_SUBJECT_REQUIRE_DIRECTORY_PATH)

int
template_validate(struct store *st, const struct template *t, char **cause)
{
    int rc;
    if ((rc = valid_display_name(t->display_name, cause)) != CC_OK ||
        (rc = valid_cn(t->cn, cause)) != CC_OK)
        return rc;
    if (!oid_is_valid(t->oid))
        return cc_fail(cause, CC_EINVAL, "oid: '%s' is not an object identifier",
                       t->oid ? t->oid : "");
    if (t->schema_version < 1 || t->schema_version > 4)
        return cc_fail(cause, CC_EINVAL, "schema: %d is not 1, 2, 3 or 4", t->schema_version);
    if (t->validity <= 0)
        return cc_fail(cause, CC_EINVAL, "validity: must be a positive period");
    if (t->renewal < 0 || t->renewal >= t->validity) {
        char *v = template_period_format(t->validity), *r = template_period_format(t->renewal);
        rc = cc_fail(cause, CC_EINVAL,
                     "renewal: the renewal period (%s) must be shorter than the validity "
                     "period (%s)",
                     r ? r : "?", v ? v : "?");
        free(v);
        free(r);
        return rc;
    }
    if (t->key_spec != 1 && t->key_spec != 2)
        return cc_fail(cause, CC_EINVAL, "key_spec: must be 1 (key exchange) or 2 (signature)");
    if (t->min_key_size < 256 || t->min_key_size > 16384)
        return cc_fail(cause, CC_EINVAL,
                       "min-key-size: %u is outside 256..16384 bits", t->min_key_size);
    if (t->algorithm != NULL && *t->algorithm != '\0') {
        int family;
        unsigned curve;
        if (template_algorithm_key(t->algorithm, &family, &curve) != CC_OK)
            return cc_fail(cause, CC_EINVAL, "algorithm: '%s' is not one of %s", t->algorithm,
                           ALGORITHM_NAMES);
        if (t->schema_version < 3)
            return cc_fail(cause, CC_EINVAL,
                           "algorithm: a version %d template cannot name an algorithm (needs "
                           "compatibility 2008 or later)",
                           t->schema_version);
        if (family != TEMPLATE_KEY_RSA && t->min_key_size > curve)
            return cc_fail(cause, CC_EINVAL,
                           "min-key-size: %u bits is more than a %s key has (%u)",
                           t->min_key_size, t->algorithm, curve);
    }
    if (t->max_issuing_depth < -1 || t->max_issuing_depth > 64)
        return cc_fail(cause, CC_EINVAL, "path-length: must be none or 0..64");
    if (t->ra_signature > 16)
        return cc_fail(cause, CC_EINVAL, "signatures: %u is more than 16", t->ra_signature);
    if (t->key_usage & ~(0xFFu | CT_KU_DECIPHER_ONLY))
        return cc_fail(cause, CC_EINVAL, "key usage: unknown bits 0x%X", t->key_usage);
    if ((rc = valid_oid_list(&t->critical_extensions, "critical extensions", cause)) != CC_OK ||
        (rc = valid_oid_list(&t->eku, "application policies", cause)) != CC_OK ||
        (rc = valid_oid_list(&t->app_policies, "application policies", cause)) != CC_OK ||
        (rc = valid_oid_list(&t->cert_policies, "issuance policies", cause)) != CC_OK ||
        (rc = valid_oid_list(&t->ra_policies, "signature issuance policies", cause)) != CC_OK)
        return rc;
    if (t->schema_version <= 2 &&
        (rc = valid_oid_list(&t->ra_app_policies, "signature application policy", cause)) !=
            CC_OK)
        return rc;

    /* Request Handling */
    if (t->key_spec == 2 &&
        (t->key_usage & (CT_KU_KEY_ENCIPHERMENT | CT_KU_DATA_ENCIPHERMENT | CT_KU_KEY_AGREEMENT)))
        return cc_fail(cause, CC_EINVAL,
                       "key-usage: a Signature-purpose template cannot allow key encipherment, "
                       "data encipherment or key agreement; change purpose first");
    if ((t->private_key_flag & CT_PK_REQUIRE_PRIVATE_KEY_ARCHIVAL) && t->key_spec != 1)
        return cc_fail(cause, CC_EINVAL,
                       "archive-key: key archival needs the purpose Encryption or Signature and "
                       "encryption");
    if ((t->private_key_flag & CT_PK_REQUIRE_SAME_KEY_RENEWAL) && t->schema_version < 4)
        return cc_fail(cause, CC_EINVAL,
                       "renew-same-key: needs compatibility 2012 or later (a version 4 template)");
    /* Subject Name */
    if (template_subject_supplied(t) && (t->name_flag & SUBJECT_BUILD_BITS))
        return cc_fail(cause, CC_EINVAL,
                       "subject: with 'supply in the request' the subject-format, "
                       "email-in-subject and san-* settings do not apply; set them to none/no "
                       "or choose 'subject build'");
    if (!template_subject_supplied(t) &&
        (t->name_flag & CT_NAME_OLD_CERT_SUPPLIES_SUBJECT_AND_ALT_NAME))
        return cc_fail(cause, CC_EINVAL,
                       "renewal-reuse-subject: applies only to 'supply in the request'");
    if ((t->name_flag & CT_NAME_SUBJECT_REQUIRE_DNS_AS_CN) && !template_is_machine(t))
        return cc_fail(cause, CC_EINVAL,
                       "subject-format dns: only computer templates have a DNS name");
    if ((t->enrollment_flag & CT_ENROLL_AUTO_ENROLLMENT_CHECK_USER_DS_CERTIFICATE) &&
        !(t->enrollment_flag & CT_ENROLL_PUBLISH_TO_DS))
        return cc_fail(cause, CC_EINVAL,
                       "no-reenroll-if-in-ad: needs publish-in-ad");
    /* Issuance Requirements */
    if (t->ra_signature > 0 && t->ra_app_policies.n == 0 && t->ra_policies.n == 0)
        return cc_fail(cause, CC_EINVAL,
                       "signatures: authorized signatures need a signature-app-policy or "
                       "signature-issuance-policies");
    if ((t->enrollment_flag & CT_ENROLL_ALLOW_PREVIOUS_APPROVAL_KEYBASEDRENEWAL) &&
        (t->schema_version < 4 ||
         !(t->enrollment_flag & CT_ENROLL_PREVIOUS_APPROVAL_VALIDATE_REENROLLMENT) ||
         !template_subject_supplied(t)))
        return cc_fail(cause, CC_EINVAL,
                       "key-based-renewal: needs a version 4 template, reenroll-requires valid "
                       "and subject supply");
    /* Server */
    if (t->schema_version < 3 && ((t->flags & CT_FLAG_DONOTPERSISTINDB) ||
                                  (t->enrollment_flag & CT_ENROLL_NOREVOCATIONINFOINISSUEDCERTS)))
        return cc_fail(cause, CC_EINVAL,
                       "do-not-store and no-revocation-info need compatibility 2008 or later");
    /* Superseded Templates */
    for (size_t i = 0; i < t->supersede.n; i++) {
        if (strcasecmp(t->supersede.v[i], t->cn) == 0)
            return cc_fail(cause, CC_EINVAL, "superseded: a template cannot supersede itself");
        if (st != NULL) {
            struct template o = {0};
            char *c2 = NULL;
            rc = template_load(st, t->supersede.v[i], &o, &c2);
            template_free(&o);
            if (rc != CC_OK) {
                rc = cc_fail(cause, rc, "superseded: %s", c2 ? c2 : "unknown template");
                free(c2);
                return rc;
            }
        }
    }
    /* ACL: every entry names a known principal */
    for (size_t i = 0; i < t->acl.n; i++)
        if (t->acl.v[i].principal <= 0)
            return cc_fail(cause, CC_EINVAL, "security: an entry names no principal");
    return CC_OK;
}

/* ---- settings ------------------------------------------------------------------------ */

typedef int (*setter_fn)(struct store *, struct template *, const char *, const void *,
                         char **);
typedef char *(*getter_fn)(struct store *, const struct template *, const void *);

/* Boolean settings that are one flag bit in one flag word. */
struct bit_arg {
    size_t off;
    uint32_t bit;
};

struct setting_impl {
    struct template_setting pub;
    setter_fn set;
    getter_fn get;
    const void *arg;
    int min_schema; /* settings that need a newer template */
};

static int
parse_bool(const char *name, const char *v, int *out, char **cause)
{
    if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcasecmp(v, "on") ||
        !strcmp(v, "1")) {
        *out = 1;
        return CC_OK;
    }
    if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcasecmp(v, "off") ||
        !strcmp(v, "0")) {
        *out = 0;
        return CC_OK;
    }
    return cc_fail(cause, CC_EINVAL, "%s: '%s' is not yes or no", name, v);
}

static int
set_bit(struct store *st, struct template *t, const char *v, const void *arg, char **cause)
{
    (void)st;
    const struct bit_arg *b = arg;
    int on;
    int rc = parse_bool("value", v, &on, cause);
    if (rc != CC_OK)
        return rc;
    uint32_t *word = (uint32_t *)((char *)t + b->off);
    if (on)
        *word |= b->bit;
    else
        *word &= ~b->bit;
    return CC_OK;
}

static char *
get_bit(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    const struct bit_arg *b = arg;
    const uint32_t *word = (const uint32_t *)((const char *)t + b->off);
    return strdup((*word & b->bit) ? "yes" : "no");
}

static int
set_critical(struct store *st, struct template *t, const char *v, const void *arg, char **cause)
{
    (void)st;
    int on;
    int rc = parse_bool("critical", v, &on, cause);
    if (rc != CC_OK)
        return rc;
    long i = strlist_find(&t->critical_extensions, arg, 0);
    if (on && i < 0)
        return strlist_add(&t->critical_extensions, arg);
    if (!on && i >= 0)
        return strlist_remove_at(&t->critical_extensions, (size_t)i);
    return CC_OK;
}

static char *
get_critical(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    return strdup(strlist_find(&t->critical_extensions, arg, 0) >= 0 ? "yes" : "no");
}

static int
set_display_name(struct store *st, struct template *t, const char *v, const void *arg,
                 char **cause)
{
    (void)st;
    (void)arg;
    int rc = valid_display_name(v, cause);
    if (rc != CC_OK)
        return rc;
    char *s = strdup(v);
    if (s == NULL)
        return CC_ENOMEM;
    free(t->display_name);
    t->display_name = s;
    return CC_OK;
}

static char *
get_display_name(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    return strdup(t->display_name);
}

static int
set_period(struct store *st, struct template *t, const char *v, const void *arg, char **cause)
{
    (void)st;
    int64_t secs;
    int rc = template_period_parse(v, &secs, cause);
    if (rc != CC_OK)
        return rc;
    *(int64_t *)((char *)t + (size_t)(uintptr_t)arg) = secs;
    return CC_OK;
}

static char *
get_period(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    return template_period_format(*(const int64_t *)((const char *)t + (size_t)(uintptr_t)arg));
}

static int
parse_uint(const char *name, const char *v, unsigned max, unsigned *out, char **cause)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (!isdigit((unsigned char)*v) || *end != '\0' || errno != 0 || n > max)
        return cc_fail(cause, CC_EINVAL, "%s: '%s' is not a whole number from 0 to %u", name, v,
                       max);
    *out = (unsigned)n;
    return CC_OK;
}

static int
set_min_key_size(struct store *st, struct template *t, const char *v, const void *arg,
                 char **cause)
{
    (void)st;
    (void)arg;
    unsigned n;
    int rc = parse_uint("min-key-size", v, 16384, &n, cause);
    if (rc != CC_OK)
        return rc;
    if (n < 256)
        return cc_fail(cause, CC_EINVAL,
                       "min-key-size: %u is below 256 bits (use 2048 or more for RSA)", n);
    t->min_key_size = n;
    return CC_OK;
}

static char *
get_min_key_size(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    return cc_asprintf("%u", t->min_key_size);
}

static int
set_signatures(struct store *st, struct template *t, const char *v, const void *arg,
               char **cause)
{
    (void)st;
    (void)arg;
    unsigned n;
    int rc = parse_uint("signatures", v, 16, &n, cause);
    if (rc == CC_OK)
        t->ra_signature = n;
    return rc;
}

static char *
get_signatures(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    return cc_asprintf("%u", t->ra_signature);
}

static const struct {
    const char *name;
    int key_spec;
    unsigned ku;
} purposes[] = {
    {"encryption", 1, CT_KU_KEY_ENCIPHERMENT},
    {"signature", 2, CT_KU_DIGITAL_SIGNATURE},
    {"signature-and-encryption", 1, CT_KU_DIGITAL_SIGNATURE | CT_KU_KEY_ENCIPHERMENT},
    {"signature-and-smartcard", 1, CT_KU_DIGITAL_SIGNATURE | CT_KU_KEY_ENCIPHERMENT},
};

static char *get_purpose(struct store *st, const struct template *t, const void *arg);

static int
set_purpose(struct store *st, struct template *t, const char *v, const void *arg, char **cause)
{
    (void)st;
    (void)arg;
    char *current = get_purpose(st, t, NULL);
    int same = current != NULL && strcasecmp(current, v) == 0;
    free(current);
    if (same) /* choosing the purpose it has changes nothing, key usage included */
        return CC_OK;
    for (size_t i = 0; i < sizeof purposes / sizeof purposes[0]; i++) {
        if (strcasecmp(v, purposes[i].name) == 0) {
            t->key_spec = purposes[i].key_spec;
            /* the console resets key usage to the purpose's default */
            t->key_usage = purposes[i].ku;
            if (purposes[i].key_spec == 2)
                t->private_key_flag &= ~CT_PK_REQUIRE_PRIVATE_KEY_ARCHIVAL;
            return CC_OK;
        }
    }
    return cc_fail(cause, CC_EINVAL,
                   "purpose: '%s' is not one of encryption, signature, signature-and-encryption, "
                   "signature-and-smartcard",
                   v);
}

static char *
get_purpose(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    const char *p = template_purpose_name(t);
    if (!strcmp(p, "Signature"))
        return strdup("signature");
    if (!strcmp(p, "Encryption"))
        return strdup("encryption");
    if (!strcmp(p, "Signature and smartcard logon"))
        return strdup("signature-and-smartcard");
    return strdup("signature-and-encryption");
}

static int
set_prompt(struct store *st, struct template *t, const char *v, const void *arg, char **cause)
{
    (void)st;
    (void)arg;
    uint32_t e = t->enrollment_flag & ~CT_ENROLL_USER_INTERACTION_REQUIRED;
    uint32_t p = t->private_key_flag & ~CT_PK_STRONG_KEY_PROTECTION_REQUIRED;
    if (!strcasecmp(v, "none")) {
    } else if (!strcasecmp(v, "prompt")) {
        e |= CT_ENROLL_USER_INTERACTION_REQUIRED;
    } else if (!strcasecmp(v, "prompt-key")) {
        e |= CT_ENROLL_USER_INTERACTION_REQUIRED;
        p |= CT_PK_STRONG_KEY_PROTECTION_REQUIRED;
    } else {
        return cc_fail(cause, CC_EINVAL, "prompt: '%s' is not none, prompt or prompt-key", v);
    }
    t->enrollment_flag = e;
    t->private_key_flag = p;
    return CC_OK;
}

static char *
get_prompt(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    if (!(t->enrollment_flag & CT_ENROLL_USER_INTERACTION_REQUIRED))
        return strdup("none");
    return strdup((t->private_key_flag & CT_PK_STRONG_KEY_PROTECTION_REQUIRED) ? "prompt-key"
                                                                                : "prompt");
}

static int
set_subject(struct store *st, struct template *t, const char *v, const void *arg, char **cause)
{
    (void)st;
    (void)arg;
    if (!strcasecmp(v, "supply")) {
        /* the other radio button: the AD-built name bits go */
        t->name_flag &= ~SUBJECT_BUILD_BITS;
        t->name_flag |= CT_NAME_ENROLLEE_SUPPLIES_SUBJECT;
        return CC_OK;
    }
    if (!strcasecmp(v, "build")) {
        if (template_subject_supplied(t)) {
            t->name_flag &= ~(CT_NAME_ENROLLEE_SUPPLIES_SUBJECT |
                              CT_NAME_OLD_CERT_SUPPLIES_SUBJECT_AND_ALT_NAME);
            t->flags &= ~0x1u; /* the legacy mirror of "supply" */
            /* what the console selects when you switch: CN for computers, DN + UPN else */
            if (template_is_machine(t))
                t->name_flag |= CT_NAME_SUBJECT_REQUIRE_DNS_AS_CN | CT_NAME_SUBJECT_ALT_REQUIRE_DNS;
            else
                t->name_flag |= CT_NAME_SUBJECT_REQUIRE_DIRECTORY_PATH |
                                CT_NAME_SUBJECT_ALT_REQUIRE_UPN;
        }
        return CC_OK;
    }
    return cc_fail(cause, CC_EINVAL, "subject: '%s' is not supply or build", v);
}

static char *
get_subject(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    return strdup(template_subject_supplied(t) ? "supply" : "build");
}

#define SUBJECT_FORMAT_BITS                                                                    \
    (CT_NAME_SUBJECT_REQUIRE_COMMON_NAME | CT_NAME_SUBJECT_REQUIRE_DIRECTORY_PATH |           \
     CT_NAME_SUBJECT_REQUIRE_DNS_AS_CN)

static int
set_subject_format(struct store *st, struct template *t, const char *v, const void *arg,
                   char **cause)
{
    (void)st;
    (void)arg;
    uint32_t bit;
    if (!strcasecmp(v, "none"))
        bit = 0;
    else if (!strcasecmp(v, "cn"))
        bit = CT_NAME_SUBJECT_REQUIRE_COMMON_NAME;
    else if (!strcasecmp(v, "dn"))
        bit = CT_NAME_SUBJECT_REQUIRE_DIRECTORY_PATH;
    else if (!strcasecmp(v, "dns"))
        bit = CT_NAME_SUBJECT_REQUIRE_DNS_AS_CN;
    else
        return cc_fail(cause, CC_EINVAL,
                       "subject-format: '%s' is not none, cn (common name), dn (fully "
                       "distinguished name) or dns (DNS name)",
                       v);
    if (bit != 0 && template_subject_supplied(t))
        return cc_fail(cause, CC_EINVAL,
                       "subject-format: the subject is supplied in the request; set 'subject "
                       "build' first");
    t->name_flag = (t->name_flag & ~SUBJECT_FORMAT_BITS) | bit;
    return CC_OK;
}

static char *
get_subject_format(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    if (t->name_flag & CT_NAME_SUBJECT_REQUIRE_DIRECTORY_PATH)
        return strdup("dn");
    if (t->name_flag & CT_NAME_SUBJECT_REQUIRE_COMMON_NAME)
        return strdup("cn");
    if (t->name_flag & CT_NAME_SUBJECT_REQUIRE_DNS_AS_CN)
        return strdup("dns");
    return strdup("none");
}

/* A name-flag bit that only makes sense when the subject is built from AD. */
static int
set_name_bit(struct store *st, struct template *t, const char *v, const void *arg, char **cause)
{
    int on;
    int rc = parse_bool("value", v, &on, cause);
    if (rc != CC_OK)
        return rc;
    if (on && template_subject_supplied(t))
        return cc_fail(cause, CC_EINVAL,
                       "the subject is supplied in the request; set 'subject build' first");
    return set_bit(st, t, v, arg, cause);
}

static int
set_renewal_reuse(struct store *st, struct template *t, const char *v, const void *arg,
                  char **cause)
{
    int on;
    int rc = parse_bool("renewal-reuse-subject", v, &on, cause);
    if (rc != CC_OK)
        return rc;
    if (on && !template_subject_supplied(t))
        return cc_fail(cause, CC_EINVAL,
                       "renewal-reuse-subject: applies only when the subject is supplied in "
                       "the request");
    return set_bit(st, t, v, arg, cause);
}

/* Resolves a comma-separated list of policy names or OIDs. */
static int
resolve_policies(struct store *st, const char *v, enum oid_kind kind, struct strlist *out,
                 char **cause)
{
    struct strlist names = {0}, oids = {0};
    int rc = strlist_split(&names, v, ",;");
    for (size_t i = 0; rc == CC_OK && i < names.n; i++) {
        if (!strcasecmp(names.v[i], "none"))
            continue;
        char *oid = NULL;
        /* what template_get shows, "Name (1.2.3)", reads back as its OID */
        const char *item = names.v[i];
        size_t len = strlen(item);
        const char *open = strrchr(item, '(');
        char *inner = NULL;
        if (open != NULL && len > 0 && item[len - 1] == ')') {
            inner = strndup(open + 1, (size_t)(item + len - 1 - (open + 1)));
            if (inner != NULL && oid_is_valid(inner))
                item = inner;
        }
        rc = oid_resolve(st, item, kind, &oid, cause);
        free(inner);
        if (rc == CC_OK && strlist_find(&oids, oid, 0) < 0)
            rc = strlist_add(&oids, oid);
        free(oid);
    }
    strlist_free(&names);
    if (rc == CC_OK)
        rc = strlist_copy(out, &oids);
    strlist_free(&oids);
    return rc;
}

static char *
format_policies(struct store *st, const struct strlist *l)
{
    struct strlist names = {0};
    for (size_t i = 0; i < l->n; i++) {
        char *n = oid_display_name(st, l->v[i]);
        if (n != NULL && strcmp(n, l->v[i]) != 0) {
            char *both = cc_asprintf("%s (%s)", n, l->v[i]);
            free(n);
            n = both;
        }
        if (n == NULL || strlist_add(&names, n) != CC_OK) {
            free(n);
            strlist_free(&names);
            return NULL;
        }
        free(n);
    }
    char *out = names.n ? strlist_join(&names, ", ") : strdup("none");
    strlist_free(&names);
    return out;
}

static int
set_app_policies(struct store *st, struct template *t, const char *v, const void *arg,
                 char **cause)
{
    (void)arg;
    struct strlist l = {0};
    int rc = resolve_policies(st, v, OID_KIND_APPLICATION, &l, cause);
    if (rc == CC_OK) {
        /* the console keeps EKU and application policies identical */
        rc = strlist_copy(&t->eku, &l);
        if (rc == CC_OK)
            rc = strlist_copy(&t->app_policies, t->schema_version >= 2 ? &l
                                                                       : &(struct strlist){0});
    }
    strlist_free(&l);
    return rc;
}

static char *
get_app_policies(struct store *st, const struct template *t, const void *arg)
{
    (void)arg;
    return format_policies(st, t->schema_version >= 2 && t->app_policies.n ? &t->app_policies
                                                                          : &t->eku);
}

static int
set_oid_list(struct store *st, struct template *t, const char *v, const void *arg, char **cause)
{
    struct strlist *l = (struct strlist *)((char *)t + (size_t)(uintptr_t)arg);
    enum oid_kind kind = (size_t)(uintptr_t)arg == offsetof(struct template, ra_app_policies)
                             ? OID_KIND_APPLICATION
                             : OID_KIND_ISSUANCE;
    return resolve_policies(st, v, kind, l, cause);
}

static char *
get_oid_list(struct store *st, const struct template *t, const void *arg)
{
    return format_policies(st, (const struct strlist *)((const char *)t + (size_t)(uintptr_t)arg));
}

static int
set_key_usage(struct store *st, struct template *t, const char *v, const void *arg, char **cause)
{
    (void)st;
    (void)arg;
    struct strlist l = {0};
    int rc = strlist_split(&l, v, ",+ ");
    unsigned ku = 0;
    if (rc == CC_OK && !(l.n == 1 && !strcasecmp(l.v[0], "none")))
        rc = ku_parse_list(&l, &ku, cause);
    strlist_free(&l);
    if (rc != CC_OK)
        return rc;
    if (t->key_spec == 2 &&
        (ku & (CT_KU_KEY_ENCIPHERMENT | CT_KU_DATA_ENCIPHERMENT | CT_KU_KEY_AGREEMENT)))
        return cc_fail(cause, CC_EINVAL,
                       "key-usage: the purpose is Signature, so keyEncipherment, "
                       "dataEncipherment and keyAgreement are not available; change purpose "
                       "first");
    if ((ku & CT_KU_KEY_ENCIPHERMENT) && (ku & CT_KU_KEY_AGREEMENT))
        return cc_fail(cause, CC_EINVAL,
                       "key-usage: choose key exchange with key encipherment or with key "
                       "agreement, not both");
    t->key_usage = ku;
    return CC_OK;
}

static char *
get_key_usage(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    return t->key_usage ? ku_format(t->key_usage) : strdup("none");
}

static int
set_basic_constraints(struct store *st, struct template *t, const char *v, const void *arg,
                      char **cause)
{
    (void)st;
    (void)arg;
    int on;
    int rc = parse_bool("basic-constraints", v, &on, cause);
    if (rc != CC_OK)
        return rc;
    if (t->flags & (CT_FLAG_IS_CA | CT_FLAG_IS_CROSS_CA)) {
        if (!on)
            return cc_fail(cause, CC_EINVAL,
                           "basic-constraints: a CA template always carries basic constraints");
        return CC_OK;
    }
    if (on)
        t->enrollment_flag |= CT_ENROLL_INCLUDE_BASIC_CONSTRAINTS_FOR_EE_CERTS;
    else
        t->enrollment_flag &= ~CT_ENROLL_INCLUDE_BASIC_CONSTRAINTS_FOR_EE_CERTS;
    return CC_OK;
}

static char *
get_basic_constraints(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    return strdup((t->flags & (CT_FLAG_IS_CA | CT_FLAG_IS_CROSS_CA)) ||
                          (t->enrollment_flag & CT_ENROLL_INCLUDE_BASIC_CONSTRAINTS_FOR_EE_CERTS)
                      ? "yes"
                      : "no");
}

static int
set_path_length(struct store *st, struct template *t, const char *v, const void *arg,
                char **cause)
{
    (void)st;
    (void)arg;
    if (!(t->flags & (CT_FLAG_IS_CA | CT_FLAG_IS_CROSS_CA)))
        return cc_fail(cause, CC_EINVAL, "path-length: only CA templates have a path length");
    if (!strcasecmp(v, "none")) {
        t->max_issuing_depth = -1;
        return CC_OK;
    }
    unsigned n;
    int rc = parse_uint("path-length", v, 64, &n, cause);
    if (rc == CC_OK)
        t->max_issuing_depth = (int)n;
    return rc;
}

static char *
get_path_length(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    return t->max_issuing_depth < 0 ? strdup("none") : cc_asprintf("%d", t->max_issuing_depth);
}

static int
set_superseded(struct store *st, struct template *t, const char *v, const void *arg,
               char **cause)
{
    (void)arg;
    struct strlist names = {0}, cns = {0};
    int rc = strlist_split(&names, v, ",;");
    for (size_t i = 0; rc == CC_OK && i < names.n; i++) {
        if (!strcasecmp(names.v[i], "none"))
            continue;
        struct template o = {0};
        if ((rc = template_load(st, names.v[i], &o, cause)) != CC_OK)
            break;
        if (strcasecmp(o.cn, t->cn) == 0)
            rc = cc_fail(cause, CC_EINVAL, "superseded: a template cannot supersede itself");
        else if (strlist_find(&cns, o.cn, 1) < 0)
            rc = strlist_add(&cns, o.cn);
        template_free(&o);
    }
    if (rc == CC_OK)
        rc = strlist_copy(&t->supersede, &cns);
    strlist_free(&names);
    strlist_free(&cns);
    return rc;
}

static char *
get_superseded(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    return t->supersede.n ? strlist_join(&t->supersede, ", ") : strdup("none");
}

static int
set_algorithm(struct store *st, struct template *t, const char *v, const void *arg, char **cause)
{
    (void)st;
    (void)arg;
    if (cc_strcaseeq(v, "any") || *v == '\0') {
        free(t->algorithm);
        t->algorithm = NULL;
        return CC_OK;
    }
    int family;
    unsigned bits;
    if (template_algorithm_key(v, &family, &bits) != CC_OK)
        return cc_fail(cause, CC_EINVAL, "algorithm: '%s' is not one of any, %s", v,
                       ALGORITHM_NAMES);
    char *name = NULL;
    for (size_t i = 0; i < ALGORITHM_COUNT; i++)
        if (cc_strcaseeq(v, algorithms[i].name))
            name = cc_strdup(algorithms[i].name);
    if (name == NULL)
        return CC_ENOMEM;
    free(t->algorithm);
    t->algorithm = name;
    /* as the console does: a curve fixes the key size */
    if (family != TEMPLATE_KEY_RSA)
        t->min_key_size = bits;
    else if (t->min_key_size < 2048)
        t->min_key_size = 2048;
    return CC_OK;
}

static char *
get_algorithm(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    const char *a = template_algorithm(t);
    return cc_strdup(a ? a : "any");
}

static int
set_csps(struct store *st, struct template *t, const char *v, const void *arg, char **cause)
{
    (void)st;
    (void)arg;
    struct strlist names = {0}, out = {0};
    int rc = strlist_split(&names, v, ";");
    for (size_t i = 0; rc == CC_OK && i < names.n; i++) {
        if (!strcasecmp(names.v[i], "any"))
            continue;
        char *e = cc_asprintf("%zu,%s", i + 1, names.v[i]);
        rc = e ? strlist_add(&out, e) : CC_ENOMEM;
        free(e);
    }
    if (rc == CC_OK)
        rc = strlist_copy(&t->csps, &out);
    strlist_free(&names);
    strlist_free(&out);
    (void)cause;
    return rc;
}

static char *
get_csps(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    if (t->csps.n == 0)
        return strdup("any");
    struct strlist names = {0};
    for (size_t i = 0; i < t->csps.n; i++) {
        const char *comma = strchr(t->csps.v[i], ',');
        strlist_add(&names, comma ? comma + 1 : t->csps.v[i]);
    }
    char *s = strlist_join(&names, "; ");
    strlist_free(&names);
    return s;
}

static int
set_compat(struct store *st, struct template *t, const char *v, const void *arg, char **cause)
{
    (void)st;
    (void)arg;
    enum template_compat c = COMPAT_2003;
    int rc = template_compat_parse(v, &c, cause);
    if (rc != CC_OK)
        return rc;
    enum template_compat cur = template_compat_of(t);
    if (c < cur)
        return cc_fail(cause, CC_EINVAL,
                       "compat: the compatibility level cannot be lowered (now %s)",
                       template_compat_name(cur));
    unsigned recipient = recipient_of(t);
    /* the recipient follows the CA level where it lags behind */
    unsigned want = c == COMPAT_2003 ? 1 : (unsigned)c;
    if (recipient < want)
        recipient = want;
    int schema = schema_for(c, recipient);
    if (schema < t->schema_version)
        schema = t->schema_version;
    set_compat_levels(t, c, recipient);
    t->schema_version = schema;
    return CC_OK;
}

static char *
get_compat(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    return strdup(template_compat_name(template_compat_of(t)));
}

static int
set_recipient(struct store *st, struct template *t, const char *v, const void *arg,
              char **cause)
{
    (void)st;
    (void)arg;
    unsigned r;
    for (r = 1; r <= 6; r++)
        if (!strcasecmp(v, recipient_names[r]))
            break;
    if (r > 6)
        return cc_fail(cause, CC_EINVAL,
                       "compat-recipient: '%s' is not xp, vista, win7, win8, win81 or win10", v);
    if (r < recipient_of(t))
        return cc_fail(cause, CC_EINVAL,
                       "compat-recipient: the recipient level cannot be lowered (now %s)",
                       recipient_names[recipient_of(t)]);
    unsigned ca = template_compat_of(t);
    if (ca == COMPAT_NONE)
        return cc_fail(cause, CC_EINVAL, "compat-recipient: set compat first");
    int schema = schema_for(ca, r);
    if (schema < t->schema_version)
        schema = t->schema_version;
    set_compat_levels(t, ca, r);
    t->schema_version = schema;
    return CC_OK;
}

static char *
get_recipient(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    unsigned r = recipient_of(t);
    return strdup(r <= 6 ? recipient_names[r] : "?");
}

static int
set_reenroll_requires(struct store *st, struct template *t, const char *v, const void *arg,
                      char **cause)
{
    (void)st;
    (void)arg;
    if (!strcasecmp(v, "same"))
        t->enrollment_flag &= ~CT_ENROLL_PREVIOUS_APPROVAL_VALIDATE_REENROLLMENT;
    else if (!strcasecmp(v, "valid"))
        t->enrollment_flag |= CT_ENROLL_PREVIOUS_APPROVAL_VALIDATE_REENROLLMENT;
    else
        return cc_fail(cause, CC_EINVAL,
                       "reenroll-requires: '%s' is not same (same criteria as for enrollment) "
                       "or valid (valid existing certificate)",
                       v);
    return CC_OK;
}

static char *
get_reenroll_requires(struct store *st, const struct template *t, const void *arg)
{
    (void)st;
    (void)arg;
    return strdup(t->enrollment_flag & CT_ENROLL_PREVIOUS_APPROVAL_VALIDATE_REENROLLMENT
                      ? "valid"
                      : "same");
}

#define BIT(word, b) (&(const struct bit_arg){offsetof(struct template, word), b})
#define OFF(m) ((const void *)(uintptr_t)offsetof(struct template, m))

static const struct setting_impl settings[] = {
    /* General */
    {{"display-name", "General", "TEXT", "Template display name."},
     set_display_name, get_display_name, NULL, 1},
    {{"validity", "General", "PERIOD (2y, 6m, 6w, 90d, 12h)",
      "Validity period: the CA never issues for longer."},
     set_period, get_period, OFF(validity), 1},
    {{"renewal", "General", "PERIOD", "Renewal period before expiry; shorter than validity."},
     set_period, get_period, OFF(renewal), 1},
    {{"publish-in-ad", "General", "yes|no", "Publish certificate in Active Directory."},
     set_bit, get_bit, BIT(enrollment_flag, CT_ENROLL_PUBLISH_TO_DS), 1},
    {{"no-reenroll-if-in-ad", "General", "yes|no",
      "Do not automatically reenroll if a duplicate certificate exists in AD."},
     set_bit, get_bit, BIT(enrollment_flag, CT_ENROLL_AUTO_ENROLLMENT_CHECK_USER_DS_CERTIFICATE),
     1},
    /* Compatibility */
    {{"compat", "Compatibility", "2003|2008|2008r2|2012|2012r2|2016",
      "Certification Authority level; sets the schema version; never lowered."},
     set_compat, get_compat, NULL, 2},
    {{"compat-recipient", "Compatibility", "xp|vista|win7|win8|win81|win10",
      "Certificate recipient level; never lowered."},
     set_recipient, get_recipient, NULL, 2},
    /* Request Handling */
    {{"purpose", "Request Handling",
      "encryption|signature|signature-and-encryption|signature-and-smartcard",
      "Purpose; resets key usage to the purpose's default."},
     set_purpose, get_purpose, NULL, 1},
    {{"exportable", "Request Handling", "yes|no", "Allow private key to be exported."},
     set_bit, get_bit, BIT(private_key_flag, CT_PK_EXPORTABLE_KEY), 1},
    {{"archive-key", "Request Handling", "yes|no",
      "Archive subject's encryption private key (encryption purposes only)."},
     set_bit, get_bit, BIT(private_key_flag, CT_PK_REQUIRE_PRIVATE_KEY_ARCHIVAL), 2},
    {{"include-symmetric", "Request Handling", "yes|no",
      "Include symmetric algorithms allowed by the subject."},
     set_bit, get_bit, BIT(enrollment_flag, CT_ENROLL_INCLUDE_SYMMETRIC_ALGORITHMS), 1},
    {{"delete-revoked", "Request Handling", "yes|no",
      "Delete revoked or expired certificates (do not archive)."},
     set_bit, get_bit,
     BIT(enrollment_flag, CT_ENROLL_REMOVE_INVALID_CERTIFICATE_FROM_PERSONAL_STORE), 1},
    {{"prompt", "Request Handling", "none|prompt|prompt-key",
      "Enroll without user input, prompt during enrollment, or prompt and require input "
      "when the private key is used."},
     set_prompt, get_prompt, NULL, 1},
    {{"renew-same-key", "Request Handling", "yes|no", "Renew with the same key (version 4)."},
     set_bit, get_bit, BIT(private_key_flag, CT_PK_REQUIRE_SAME_KEY_RENEWAL), 4},
    /* Cryptography */
    {{"min-key-size", "Cryptography", "BITS", "Minimum key size."},
     set_min_key_size, get_min_key_size, NULL, 1},
    {{"algorithm", "Cryptography",
      "any|RSA|ECDSA_P256|ECDSA_P384|ECDSA_P521|ECDH_P256|ECDH_P384|ECDH_P521|Ed25519",
      "Algorithm name (KSP): requests must carry a key of this algorithm (a curve sets the "
      "minimum key size to its own)."},
     set_algorithm, get_algorithm, NULL, 3},
    {{"csps", "Cryptography", "any|NAME;NAME…",
      "Cryptographic providers requests must use, in order (any: any provider)."},
     set_csps, get_csps, NULL, 2},
    {{"alternate-signature", "Cryptography", "yes|no", "Use alternate signature format."},
     set_bit, get_bit, BIT(private_key_flag, CT_PK_REQUIRE_ALTERNATE_SIGNATURE_ALGORITHM), 3},
    /* Subject Name */
    {{"subject", "Subject Name", "supply|build",
      "Supply in the request, or build from this Active Directory information."},
     set_subject, get_subject, NULL, 1},
    {{"renewal-reuse-subject", "Subject Name", "yes|no",
      "Use subject information from existing certificates for autoenrollment renewal."},
     set_renewal_reuse, get_bit,
     BIT(name_flag, CT_NAME_OLD_CERT_SUPPLIES_SUBJECT_AND_ALT_NAME), 2},
    {{"subject-format", "Subject Name", "none|cn|dn|dns",
      "Subject name format when built from AD."},
     set_subject_format, get_subject_format, NULL, 1},
    {{"email-in-subject", "Subject Name", "yes|no", "Include e-mail name in subject name."},
     set_name_bit, get_bit, BIT(name_flag, CT_NAME_SUBJECT_REQUIRE_EMAIL), 1},
    {{"san-email", "Subject Name", "yes|no", "Alternate subject name: E-mail name."},
     set_name_bit, get_bit, BIT(name_flag, CT_NAME_SUBJECT_ALT_REQUIRE_EMAIL), 1},
    {{"san-dns", "Subject Name", "yes|no", "Alternate subject name: DNS name."},
     set_name_bit, get_bit, BIT(name_flag, CT_NAME_SUBJECT_ALT_REQUIRE_DNS), 1},
    {{"san-upn", "Subject Name", "yes|no", "Alternate subject name: User principal name (UPN)."},
     set_name_bit, get_bit, BIT(name_flag, CT_NAME_SUBJECT_ALT_REQUIRE_UPN), 1},
    {{"san-spn", "Subject Name", "yes|no",
      "Alternate subject name: Service principal name (SPN)."},
     set_name_bit, get_bit, BIT(name_flag, CT_NAME_SUBJECT_ALT_REQUIRE_SPN), 1},
    /* Issuance Requirements */
    {{"approval", "Issuance Requirements", "yes|no", "CA certificate manager approval."},
     set_bit, get_bit, BIT(enrollment_flag, CT_ENROLL_PEND_ALL_REQUESTS), 2},
    {{"signatures", "Issuance Requirements", "N", "This number of authorized signatures."},
     set_signatures, get_signatures, NULL, 2},
    {{"signature-app-policy", "Issuance Requirements", "POLICY|none",
      "Application policy required in the authorized signatures."},
     set_oid_list, get_oid_list, OFF(ra_app_policies), 2},
    {{"signature-issuance-policies", "Issuance Requirements", "POLICY,…|none",
      "Issuance policies required in the authorized signatures."},
     set_oid_list, get_oid_list, OFF(ra_policies), 2},
    {{"reenroll-requires", "Issuance Requirements", "same|valid",
      "For reenrollment: same criteria as for enrollment, or a valid existing certificate."},
     set_reenroll_requires, get_reenroll_requires, NULL, 2},
    {{"key-based-renewal", "Issuance Requirements", "yes|no",
      "Allow key based renewal (version 4)."},
     set_bit, get_bit, BIT(enrollment_flag, CT_ENROLL_ALLOW_PREVIOUS_APPROVAL_KEYBASEDRENEWAL), 4},
    /* Superseded Templates */
    {{"superseded", "Superseded Templates", "TEMPLATE,…|none",
      "Templates this template supersedes."},
     set_superseded, get_superseded, NULL, 2},
    /* Extensions */
    {{"app-policies", "Extensions", "POLICY,…|none",
      "Application policies (names such as 'Server Authentication' or OIDs)."},
     set_app_policies, get_app_policies, NULL, 2},
    {{"app-policies-critical", "Extensions", "yes|no", "Make the application policies critical."},
     set_critical, get_critical, OID_EXT_EKU, 2},
    {{"issuance-policies", "Extensions", "POLICY,…|none", "Issuance policies."},
     set_oid_list, get_oid_list, OFF(cert_policies), 2},
    {{"issuance-policies-critical", "Extensions", "yes|no",
      "Make the issuance policies critical."},
     set_critical, get_critical, OID_EXT_CERT_POLICIES, 2},
    {{"key-usage", "Extensions",
      "USAGE,…|none (digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, "
      "keyAgreement, keyCertSign, cRLSign, encipherOnly, decipherOnly)",
      "Key usage."},
     set_key_usage, get_key_usage, NULL, 2},
    {{"key-usage-critical", "Extensions", "yes|no", "Make the key usage critical."},
     set_critical, get_critical, OID_EXT_KEY_USAGE, 2},
    {{"basic-constraints", "Extensions", "yes|no", "Enable the basic constraints extension."},
     set_basic_constraints, get_basic_constraints, NULL, 2},
    {{"basic-constraints-critical", "Extensions", "yes|no",
      "Make the basic constraints critical."},
     set_critical, get_critical, OID_EXT_BASIC_CONSTRAINTS, 2},
    {{"path-length", "Extensions", "N|none", "CA templates: the path length constraint."},
     set_path_length, get_path_length, NULL, 2},
    /* Server */
    {{"do-not-store", "Server", "yes|no",
      "Do not store certificates and requests in the CA database."},
     set_bit, get_bit, BIT(flags, CT_FLAG_DONOTPERSISTINDB), 3},
    {{"no-revocation-info", "Server", "yes|no",
      "Do not include revocation information in issued certificates."},
     set_bit, get_bit, BIT(enrollment_flag, CT_ENROLL_NOREVOCATIONINFOINISSUEDCERTS), 3},
};
#define SETTING_COUNT (sizeof settings / sizeof settings[0])

const struct template_setting *
template_settings(size_t *n)
{
    static struct template_setting pub[SETTING_COUNT];
    if (pub[0].name == NULL)
        for (size_t i = 0; i < SETTING_COUNT; i++)
            pub[i] = settings[i].pub;
    *n = SETTING_COUNT;
    return pub;
}

static const struct setting_impl *
find_setting(const char *name)
{
    for (size_t i = 0; i < SETTING_COUNT; i++)
        if (strcmp(settings[i].pub.name, name) == 0)
            return &settings[i];
    return NULL;
}

int
template_set(struct store *st, struct template *t, const char *setting, const char *value,
             char **cause)
{
    const struct setting_impl *s = find_setting(setting);
    if (s == NULL) {
        struct strlist names = {0};
        for (size_t i = 0; i < SETTING_COUNT; i++)
            strlist_add(&names, settings[i].pub.name);
        char *hint = cc_nearest(setting, &names);
        strlist_free(&names);
        int rc = cc_fail(cause, CC_EINVAL,
                         "'%s' is not a template setting%s%s (see 'certcon template set --help')",
                         setting, hint ? ". " : "", hint ? hint : "");
        free(hint);
        return rc;
    }
    if (t->schema_version == 1)
        return cc_fail(cause, CC_EREADONLY,
                       "%s is a version 1 template: only its Security can change; duplicate it "
                       "to customise it",
                       t->display_name);
    if (t->schema_version < s->min_schema)
        return cc_fail(cause, CC_EINVAL,
                       "%s: needs a version %d template (raise 'compat'); '%s' is version %d",
                       setting, s->min_schema, t->display_name, t->schema_version);
    struct template draft = {0};
    int rc = template_copy(&draft, t);
    if (rc != CC_OK)
        return rc;
    char *why = NULL;
    rc = s->set(st, &draft, value, s->arg, &why);
    if (rc != CC_OK) {
        /* every message names the setting */
        if (why != NULL && strncmp(why, setting, strlen(setting)) != 0)
            cc_fail(cause, rc, "%s: %s", setting, why);
        else
            cc_fail(cause, rc, "%s", why ? why : cc_strerror(rc));
        free(why);
        template_free(&draft);
        return rc;
    }
    free(why);
    template_free(t);
    *t = draft;
    return CC_OK;
}

char *
template_get(struct store *st, const struct template *t, const char *setting)
{
    const struct setting_impl *s = find_setting(setting);
    return s ? s->get(st, t, s->arg) : NULL;
}

/* ---- saving ---------------------------------------------------------------------------- */

/* Write permission of the acting account (the system itself may do anything). */
static int
require_right(const struct cc_ctx *cx, const struct template *t, unsigned right, const char *what,
              char **cause)
{
    struct authz_target a = {.rights = right, .template = t, .what = what};
    return authz_check(cx, AUTHZ_TEMPLATE, &a, cause);
}

/* "allow Read,Enroll" or "allow Read; deny Enroll" for the audit log; allocated. */
static char *
ace_text(const struct acl_entry *e)
{
    char *a = acl_rights_format(e->allow), *d = acl_rights_format(e->deny);
    char *s = NULL;
    if (a != NULL && d != NULL)
        s = *d ? cc_asprintf("allow %s; deny %s", *a ? a : "-", d)
               : cc_asprintf("allow %s", *a ? a : "-");
    free(a);
    free(d);
    return s;
}

static int
audit_diff(const struct cc_ctx *cx, const struct template *old, const struct template *t,
           char **cause)
{
    int rc = CC_OK;
    for (size_t i = 0; i < FIELD_COUNT && rc == CC_OK; i++) {
        if (!strcmp(fields[i].key, "minor_revision"))
            continue;
        char *a = field_format(old, &fields[i]), *b = field_format(t, &fields[i]);
        if (a == NULL || b == NULL)
            rc = CC_ENOMEM;
        else if (strcmp(a, b) != 0)
            rc = audit_record(cx, "template", t->cn, fields[i].key, a, b, cause);
        free(a);
        free(b);
    }
    for (size_t i = 0; i < old->acl.n && rc == CC_OK; i++) {
        const struct acl_entry *e = &old->acl.v[i], *n = acl_find(&t->acl, e->principal);
        if (n != NULL && n->allow == e->allow && n->deny == e->deny)
            continue;
        char *a = ace_text(e);
        char *b = n ? ace_text(n) : NULL;
        char *field = cc_asprintf("security:%s", e->name ? e->name : "?");
        rc = audit_record(cx, "template", t->cn, field, a, b, cause);
        free(a);
        free(b);
        free(field);
    }
    for (size_t i = 0; i < t->acl.n && rc == CC_OK; i++) {
        const struct acl_entry *n = &t->acl.v[i];
        if (acl_find(&old->acl, n->principal) != NULL)
            continue;
        char *b = ace_text(n);
        char *field = cc_asprintf("security:%s", n->name ? n->name : "?");
        rc = audit_record(cx, "template", t->cn, field, NULL, b, cause);
        free(b);
        free(field);
    }
    return rc;
}

/* Whether two templates differ in anything but their ACL. */
static int
attributes_differ(const struct template *a, const struct template *b)
{
    for (size_t i = 0; i < FIELD_COUNT; i++) {
        char *x = field_format(a, &fields[i]), *y = field_format(b, &fields[i]);
        int differ = x == NULL || y == NULL || strcmp(x, y) != 0;
        free(x);
        free(y);
        if (differ)
            return 1;
    }
    return 0;
}

int
template_save(const struct cc_ctx *cx, struct template *t, char **cause)
{
    struct store *st = cx->st;
    if (t->id == 0)
        return cc_fail(cause, CC_ESTATE, "the template has not been created yet");
    int rc = store_begin(st, cause);
    if (rc != CC_OK)
        return rc;
    struct template old = {0};
    if ((rc = template_load_id(st, t->id, &old, cause)) != CC_OK)
        goto out;
    if (old.change_count != t->change_count) {
        rc = cc_fail(cause, CC_ECONFLICT,
                     "'%s' was changed by someone else since you opened it (now version %u.%u); "
                     "your changes were not saved",
                     old.display_name, old.revision, old.minor_revision);
        goto out;
    }
    int attrs = attributes_differ(&old, t);
    int acl = !acl_equal(&old.acl, &t->acl);
    if (!attrs && !acl)
        goto out; /* nothing to save */
    if (attrs && old.schema_version == 1) {
        rc = cc_fail(cause, CC_EREADONLY,
                     "%s is a version 1 template: only its Security can change; duplicate it "
                     "to customise it",
                     old.display_name);
        goto out;
    }
    if (attrs && (strcmp(old.cn, t->cn) != 0 || strcmp(old.oid, t->oid) != 0)) {
        rc = cc_fail(cause, CC_EREADONLY, "the template name and OID cannot change");
        goto out;
    }
    if (t->schema_version < old.schema_version ||
        template_compat_of(t) < template_compat_of(&old)) {
        rc = cc_fail(cause, CC_EINVAL, "compat: the compatibility level cannot be lowered");
        goto out;
    }
    if ((rc = require_right(cx, &old, ACL_WRITE, "change", cause)) != CC_OK)
        goto out;
    if ((rc = template_validate(st, t, cause)) != CC_OK)
        goto out;
    if ((rc = name_taken(st, t, t->id, cause)) != CC_OK)
        goto out;
    t->minor_revision = old.minor_revision + 1;
    t->flags |= CT_FLAG_IS_MODIFIED;
    if (old.schema_version == 1) /* security-only change of a built-in */
        t->flags = old.flags;
    if ((rc = audit_diff(cx, &old, t, cause)) != CC_OK)
        goto out;
    {
        size_t len = 128;
        for (size_t i = 0; i < FIELD_COUNT; i++)
            len += strlen(fields[i].column) + 8;
        char *sql = malloc(len);
        if (sql == NULL) {
            rc = CC_ENOMEM;
            goto out;
        }
        strcpy(sql, "UPDATE template SET ");
        for (size_t i = 0; i < FIELD_COUNT; i++) {
            strcat(sql, fields[i].column);
            strcat(sql, " = ?, ");
        }
        strcat(sql, "modified = ?, change_count = change_count + 1 WHERE id = ? AND "
                    "change_count = ?");
        struct store_stmt *q;
        rc = store_prepare(st, sql, &q, cause);
        free(sql);
        if (rc != CC_OK)
            goto out;
        int64_t now = ctx_now(cx);
        rc = bind_fields(st, q, t);
        store_bind_int64(q, (int)FIELD_COUNT + 1, now);
        store_bind_int64(q, (int)FIELD_COUNT + 2, t->id);
        store_bind_int64(q, (int)FIELD_COUNT + 3, t->change_count);
        if (rc == CC_OK && store_step(q, NULL) != STORE_DONE)
            rc = store_error(st, cause);
        else if (rc == CC_OK && store_rows_changed(st) != 1)
            rc = cc_fail(cause, CC_ECONFLICT, "'%s' was changed by someone else",
                         t->display_name);
        store_finalize(q);
        if (rc == CC_OK)
            rc = write_acl(st, t, cause);
        if (rc == CC_OK) {
            t->change_count++;
            t->modified = now;
        }
    }
out:
    template_free(&old);
    return store_finish(st, rc, cause);
}

/* ---- saving an edit beside others' edits ------------------------------------------ */

static int
field_same(const struct template *a, const struct template *b, const struct field *f)
{
    char *x = field_format(a, f), *y = field_format(b, f);
    int same = x != NULL && y != NULL && strcmp(x, y) == 0;
    free(x);
    free(y);
    return same;
}

/* Copies one field's value from src into dst. */
static int
field_assign(struct template *dst, const struct template *src, const struct field *f)
{
    switch (f->type) {
    case F_STR: {
        const char *v = *CFPTR(src, f, char *);
        char *copy = v ? strdup(v) : NULL;
        if (v && copy == NULL)
            return CC_ENOMEM;
        free(*FPTR(dst, f, char *));
        *FPTR(dst, f, char *) = copy;
        return CC_OK;
    }
    case F_LIST: {
        struct strlist l = {0};
        if (strlist_copy(&l, CFPTR(src, f, struct strlist)) != CC_OK)
            return CC_ENOMEM;
        strlist_free(FPTR(dst, f, struct strlist));
        *FPTR(dst, f, struct strlist) = l;
        return CC_OK;
    }
    case F_INT:
        *FPTR(dst, f, int) = *CFPTR(src, f, int);
        return CC_OK;
    case F_U32:
    case F_HEX:
        *FPTR(dst, f, uint32_t) = *CFPTR(src, f, uint32_t);
        return CC_OK;
    case F_KU:
        *FPTR(dst, f, unsigned) = *CFPTR(src, f, unsigned);
        return CC_OK;
    case F_PERIOD:
        *FPTR(dst, f, int64_t) = *CFPTR(src, f, int64_t);
        return CC_OK;
    }
    return CC_EINVAL;
}

/* The setting both edits changed to different values, or NULL. */
static const char *
setting_conflict(struct store *st, const struct template *base, const struct template *mine,
                 const struct template *theirs)
{
    for (size_t i = 0; i < SETTING_COUNT; i++) {
        const struct setting_impl *si = &settings[i];
        char *b = si->get(st, base, si->arg), *m = si->get(st, mine, si->arg),
             *t = si->get(st, theirs, si->arg);
        int clash = b && m && t && strcmp(b, m) != 0 && strcmp(b, t) != 0 && strcmp(m, t) != 0;
        free(b);
        free(m);
        free(t);
        if (clash)
            return si->pub.name;
    }
    return NULL;
}

/*
 * Applies the edit (base -> mine) to theirs, the template as committed
 * now: each field the edit changed takes the edit's value (flag words bit
 * by bit), each ACL entry it changed takes its entry. *clash names what
 * both changed differently (static or the field's key; the ACL entry's
 * "security:NAME" is written to clash_buf).
 */
static int
merge_edit(const struct template *base, const struct template *mine, struct template *theirs,
           const char **clash, char *clash_buf, size_t clash_len)
{
    *clash = NULL;
    for (size_t i = 0; i < FIELD_COUNT; i++) {
        const struct field *f = &fields[i];
        if (field_same(base, mine, f))
            continue;
        if (f->type == F_HEX || f->type == F_KU) {
            uint32_t b = *CFPTR(base, f, uint32_t), m = *CFPTR(mine, f, uint32_t),
                     t = *CFPTR(theirs, f, uint32_t);
            if ((b ^ m) & (b ^ t) & (m ^ t)) {
                *clash = f->key;
                return CC_ECONFLICT;
            }
            *FPTR(theirs, f, uint32_t) = (t & ~(b ^ m)) | (m & (b ^ m));
            continue;
        }
        if (!field_same(base, theirs, f) && !field_same(mine, theirs, f)) {
            *clash = f->key;
            return CC_ECONFLICT;
        }
        if (field_assign(theirs, mine, f) != CC_OK)
            return CC_ENOMEM;
    }
    /* the entries the edit added, changed or removed */
    struct acl_entry none = {0};
    for (int pass = 0; pass < 2; pass++) {
        const struct acl *from = pass == 0 ? &mine->acl : &base->acl;
        for (size_t i = 0; i < from->n; i++) {
            int64_t who = from->v[i].principal;
            const struct acl_entry *b = acl_find(&base->acl, who), *m = acl_find(&mine->acl, who),
                                   *t = acl_find(&theirs->acl, who);
            if (pass == 1 && m != NULL)
                continue; /* seen in the first pass */
            b = b ? b : &none;
            m = m ? m : &none;
            const struct acl_entry *tt = t ? t : &none;
            if (b->allow == m->allow && b->deny == m->deny)
                continue;
            if ((tt->allow != b->allow || tt->deny != b->deny) &&
                (tt->allow != m->allow || tt->deny != m->deny)) {
                snprintf(clash_buf, clash_len, "security:%s",
                         from->v[i].name ? from->v[i].name : "?");
                *clash = clash_buf;
                return CC_ECONFLICT;
            }
            if (acl_set(&theirs->acl, who, from->v[i].name, m->allow, m->deny) != CC_OK)
                return CC_ENOMEM;
        }
    }
    return CC_OK;
}

int
template_save_edit(const struct cc_ctx *cx, const struct template *base, struct template *t,
                   char **cause)
{
    struct store *st = cx->st;
    if (t->id == 0)
        return cc_fail(cause, CC_ESTATE, "the template has not been created yet");
    if (base->id != t->id)
        return cc_fail(cause, CC_ESTATE, "the draft was not made from this template");
    int rc = store_begin(st, cause);
    if (rc != CC_OK)
        return rc;
    struct template now = {0};
    if ((rc = template_load_id(st, t->id, &now, cause)) != CC_OK)
        goto out;
    if (now.change_count == base->change_count) {
        /* nobody else saved since the editor loaded it */
        t->change_count = base->change_count;
        rc = template_save(cx, t, cause);
        goto out;
    }
    const char *clash = setting_conflict(st, base, t, &now);
    char buf[160];
    if (clash == NULL && (rc = merge_edit(base, t, &now, &clash, buf, sizeof buf)) != CC_OK &&
        rc != CC_ECONFLICT)
        goto out;
    if (clash != NULL) {
        rc = cc_fail(cause, CC_ECONFLICT,
                     "'%s' was changed by someone else since you opened it (now version %u.%u), "
                     "who also changed '%s'; your changes were not saved",
                     now.display_name, now.revision, now.minor_revision, clash);
        goto out;
    }
    /* the others' template with this edit's changes on top */
    if ((rc = template_save(cx, &now, cause)) == CC_OK)
        rc = template_copy(t, &now);
out:
    template_free(&now);
    return store_finish(st, rc, cause);
}

int
template_reenroll_all(const struct cc_ctx *cx, const char *name, char **cause)
{
    struct store *st = cx->st;
    struct template t = {0};
    int rc = store_begin(st, cause);
    if (rc != CC_OK)
        return rc;
    if ((rc = template_load(st, name, &t, cause)) != CC_OK)
        goto out;
    if (t.schema_version < 2) {
        rc = cc_fail(cause, CC_EREADONLY,
                     "%s is a version 1 template: its certificates carry no version, so holders "
                     "cannot be asked to reenroll",
                     t.display_name);
        goto out;
    }
    if ((rc = require_right(cx, &t, ACL_WRITE, "reenroll holders of", cause)) != CC_OK)
        goto out;
    char old[32], new[32];
    snprintf(old, sizeof old, "%u.%u", t.revision, t.minor_revision);
    snprintf(new, sizeof new, "%u.0", t.revision + 1);
    struct store_stmt *q;
    if ((rc = store_prepare(st,
                            "UPDATE template SET revision = revision + 1, minor_revision = 0, "
                            "change_count = change_count + 1, modified = ? WHERE id = ?",
                            &q, cause)) != CC_OK)
        goto out;
    store_bind_int64(q, 1, ctx_now(cx));
    store_bind_int64(q, 2, t.id);
    if (store_step(q, NULL) != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    if (rc == CC_OK)
        rc = audit_record(cx, "template", t.cn, "revision", old, new, cause);
out:
    template_free(&t);
    return store_finish(st, rc, cause);
}

int
template_delete(const struct cc_ctx *cx, const char *name, char **cause)
{
    struct store *st = cx->st;
    struct template t = {0};
    int rc = store_begin(st, cause);
    if (rc != CC_OK)
        return rc;
    if ((rc = template_load(st, name, &t, cause)) != CC_OK)
        goto out;
    if (template_is_builtin(&t)) {
        rc = cc_fail(cause, CC_EREADONLY, "%s is a built-in template and cannot be deleted",
                     t.display_name);
        goto out;
    }
    if ((rc = dir_require_admin(cx, "delete a template", cause)) != CC_OK ||
        (rc = require_right(cx, &t, ACL_WRITE, "delete", cause)) != CC_OK)
        goto out;
    struct store_stmt *q;
    if ((rc = store_prepare(st, "DELETE FROM template WHERE id = ?", &q, cause)) != CC_OK)
        goto out;
    store_bind_int64(q, 1, t.id);
    int step = store_step(q, NULL);
    if (step != STORE_DONE)
        rc = step == CC_ECONSTRAINT
                 ? cc_fail(cause, CC_ESTATE,
                           "%s is still in use (issued on a CA or named by certificates)",
                           t.display_name)
                 : store_error(st, cause);
    store_finalize(q);
    if (rc == CC_OK)
        rc = audit_record(cx, "template", t.cn, "delete", t.display_name, NULL, cause);
out:
    template_free(&t);
    return store_finish(st, rc, cause);
}

/* ---- duplicate --------------------------------------------------------------------------- */

char *
template_name_for(const char *display)
{
    char *cn = malloc(strlen(display) + 1), *p = cn;
    if (cn == NULL)
        return NULL;
    for (const char *s = display; *s; s++)
        if (!isspace((unsigned char)*s) && !strchr(",=+<>#;\"\\/", *s))
            *p++ = *s;
    *p = '\0';
    return cn;
}

/*
 * The ACL a new duplicate gets (§1.12): Authenticated Users Read; Domain
 * Admins and Enterprise Admins Read/Write/Enroll; the creator Read/Write.
 * The source's other principals (Domain Computers: Enroll on Workstation
 * Authentication, ...) stay: the deployment guide relies on them ("select
 * Domain Computers ... do not clear Enroll"), which settles the spec's
 * uncertain note the other way.
 */
static int
duplicate_acl(const struct cc_ctx *cx, struct acl *acl, char **cause)
{
    struct store *st = cx->st;
    struct acl source = {0};
    int rc0 = acl_copy(&source, acl);
    if (rc0 != CC_OK)
        return rc0;
    static const struct {
        const char *name;
        unsigned allow;
    } base[] = {
        {"Authenticated Users", ACL_READ},
        {"Domain Admins", ACL_READ | ACL_WRITE | ACL_ENROLL},
        {"Enterprise Admins", ACL_READ | ACL_WRITE | ACL_ENROLL},
    };
    acl_free(acl);
    int rc = CC_OK;
    for (size_t i = 0; i < sizeof base / sizeof base[0] && rc == CC_OK; i++) {
        struct dir_principal p = {0};
        if ((rc = dir_lookup(st, base[i].name, &p, cause)) == CC_OK)
            rc = acl_set(acl, p.id, p.name, base[i].allow, 0);
        dir_principal_free(&p);
    }
    int64_t actor = cx->who;
    if (rc == CC_OK && actor != 0 && acl_find(acl, actor) == NULL) {
        struct dir_principal p = {0};
        if ((rc = dir_get(st, actor, &p, cause)) == CC_OK)
            rc = acl_set(acl, p.id, p.name, ACL_READ | ACL_WRITE, 0);
        dir_principal_free(&p);
    }
    for (size_t i = 0; rc == CC_OK && i < source.n; i++)
        if (acl_find(acl, source.v[i].principal) == NULL)
            rc = acl_set(acl, source.v[i].principal, source.v[i].name, source.v[i].allow,
                         source.v[i].deny);
    acl_free(&source);
    return rc;
}

int
template_duplicate_draft(const struct cc_ctx *cx, const char *src, const char *display_name,
                         enum template_compat compat, struct template *out, char **cause)
{
    struct store *st = cx->st;
    int rc = valid_display_name(display_name, cause);
    if (rc != CC_OK)
        return rc;
    if (compat < COMPAT_2003 || compat > COMPAT_2016)
        return cc_fail(cause, CC_EINVAL, "compat: choose 2003, 2008, 2008r2, 2012, 2012r2 or 2016");
    struct template t = {0};
    char *cn = NULL, *oid = NULL;
    if ((rc = template_load(st, src, &t, cause)) != CC_OK)
        return rc;
    if (compat < template_compat_of(&t)) {
        rc = cc_fail(cause, CC_EINVAL,
                     "compat: '%s' is already at %s compatibility; a duplicate cannot be lower",
                     t.display_name, template_compat_name(template_compat_of(&t)));
        goto out;
    }
    if ((cn = template_name_for(display_name)) == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    if ((rc = valid_cn(cn, cause)) != CC_OK ||
        (rc = oid_new_under_forest(st, &oid, cause)) != CC_OK)
        goto out;
    free(t.cn);
    free(t.display_name);
    free(t.oid);
    t.cn = cn;
    t.display_name = strdup(display_name);
    t.oid = oid;
    cn = oid = NULL;
    if (t.display_name == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    unsigned recipient = compat == COMPAT_2003 ? 1 : (unsigned)compat;
    if (recipient < recipient_of(&t))
        recipient = recipient_of(&t);
    int schema = schema_for(compat, recipient);
    if (schema < t.schema_version)
        schema = t.schema_version;
    if (t.schema_version == 1 && t.app_policies.n == 0)
        rc = strlist_copy(&t.app_policies, &t.eku);
    set_compat_levels(&t, compat, recipient);
    t.schema_version = schema;
    t.flags = (t.flags | CT_FLAG_IS_MODIFIED) & ~CT_FLAG_IS_DEFAULT;
    t.revision = 100;
    t.minor_revision = 0;
    t.id = 0;
    t.change_count = 0;
    if (rc == CC_OK)
        rc = duplicate_acl(cx, &t.acl, cause);
out:
    free(cn);
    free(oid);
    if (rc != CC_OK) {
        template_free(&t);
        return rc;
    }
    template_free(out);
    *out = t;
    return CC_OK;
}

int
template_create(const struct cc_ctx *cx, struct template *t, const char *note, char **cause)
{
    struct store *st = cx->st;
    if (t->id != 0)
        return cc_fail(cause, CC_ESTATE, "'%s' is already stored", t->display_name);
    int rc = dir_require_admin(cx, "create a template", cause);
    if (rc != CC_OK || (rc = store_begin(st, cause)) != CC_OK)
        return rc;
    if ((rc = template_validate(st, t, cause)) == CC_OK &&
        (rc = insert_template(cx, t, cause)) == CC_OK) {
        char *text = cc_asprintf("%s, OID %s", note ? note : "new template", t->oid);
        rc = text ? audit_record(cx, "template", t->cn, "create", NULL, text, cause) : CC_ENOMEM;
        free(text);
    }
    if (rc != CC_OK)
        t->id = 0;
    return store_finish(st, rc, cause);
}

int
template_duplicate(const struct cc_ctx *cx, const char *src, const char *display_name,
                   enum template_compat compat, struct template *out, char **cause)
{
    int rc = dir_require_admin(cx, "create a template", cause);
    if (rc != CC_OK)
        return rc;
    struct template t = {0};
    if ((rc = template_duplicate_draft(cx, src, display_name, compat, &t, cause)) != CC_OK)
        return rc;
    char *note = cc_asprintf("duplicate of %s, %s compatibility", src,
                             template_compat_name(compat));
    rc = note ? template_create(cx, &t, note, cause) : CC_ENOMEM;
    free(note);
    if (rc == CC_OK && out != NULL) {
        template_free(out);
        *out = t;
    } else {
        template_free(&t);
    }
    return rc;
}

/* ---- libconfig files ----------------------------------------------------------------------- */

static int
conf_fail(char **cause, const char *path, const config_setting_t *s, int status,
          const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
conf_fail(char **cause, const char *path, const config_setting_t *s, int status,
          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = cc_vasprintf(fmt, ap);
    va_end(ap);
    int rc = cc_fail(cause, status, "%s:%u: %s", path,
                     s ? config_setting_source_line(s) : 0u, msg ? msg : "error");
    free(msg);
    return rc;
}

static int
read_list(const char *path, config_setting_t *s, struct strlist *out, char **cause)
{
    if (!config_setting_is_array(s) && !config_setting_is_list(s))
        return conf_fail(cause, path, s, CC_EPARSE, "%s: expected a list of strings",
                         config_setting_name(s));
    for (int i = 0; i < config_setting_length(s); i++) {
        config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *v = config_setting_get_string(e);
        if (v == NULL)
            return conf_fail(cause, path, e, CC_EPARSE, "%s: expected a string",
                             config_setting_name(s));
        if (strchr(v, '\n'))
            return conf_fail(cause, path, e, CC_EPARSE, "%s: line breaks are not allowed",
                             config_setting_name(s));
        if (strlist_add(out, v) != CC_OK)
            return CC_ENOMEM;
    }
    return CC_OK;
}

/* Reads a template group into t; the ACL is resolved against the directory. */
static int
read_template(struct store *st, const char *path, config_setting_t *g, struct template *t,
              char **cause)
{
    memset(t, 0, sizeof *t);
    t->key_spec = 1;
    t->max_issuing_depth = -1;
    t->min_key_size = 2048;
    int rc = CC_OK;
    for (size_t i = 0; i < FIELD_COUNT && rc == CC_OK; i++) {
        const struct field *f = &fields[i];
        config_setting_t *s = config_setting_get_member(g, f->key);
        if (s == NULL) {
            if (f->required)
                rc = conf_fail(cause, path, g, CC_EPARSE, "the template has no '%s'", f->key);
            continue;
        }
        int type = config_setting_type(s);
        int is_int = type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64;
        switch (f->type) {
        case F_STR: {
            const char *v = config_setting_get_string(s);
            if (v == NULL)
                rc = conf_fail(cause, path, s, CC_EPARSE, "%s: expected a string", f->key);
            else if ((*FPTR(t, f, char *) = strdup(v)) == NULL)
                rc = CC_ENOMEM;
            break;
        }
        case F_INT:
        case F_U32:
        case F_HEX: {
            if (!is_int) {
                rc = conf_fail(cause, path, s, CC_EPARSE, "%s: expected a number", f->key);
                break;
            }
            long long v = config_setting_get_int64(s);
            if (f->type == F_INT) {
                if (v < INT32_MIN || v > INT32_MAX)
                    rc = conf_fail(cause, path, s, CC_EPARSE, "%s: out of range", f->key);
                else
                    *FPTR(t, f, int) = (int)v;
            } else {
                /* 0xA6000000 reads back as a negative 32-bit int: keep its bits */
                if (v < INT32_MIN || v > (long long)UINT32_MAX ||
                    (f->type == F_U32 && v < 0))
                    rc = conf_fail(cause, path, s, CC_EPARSE, "%s: out of range", f->key);
                else
                    *FPTR(t, f, uint32_t) = (uint32_t)v;
            }
            break;
        }
        case F_PERIOD: {
            const char *v = config_setting_get_string(s);
            char *why = NULL;
            if (v == NULL)
                rc = conf_fail(cause, path, s, CC_EPARSE, "%s: expected a period such as \"2y\"",
                               f->key);
            else if (template_period_parse(v, FPTR(t, f, int64_t), &why) != CC_OK)
                rc = conf_fail(cause, path, s, CC_EPARSE, "%s: %s", f->key, why);
            free(why);
            break;
        }
        case F_LIST:
            rc = read_list(path, s, FPTR(t, f, struct strlist), cause);
            break;
        case F_KU: {
            struct strlist l = {0};
            char *why = NULL;
            rc = read_list(path, s, &l, cause);
            if (rc == CC_OK && ku_parse_list(&l, FPTR(t, f, unsigned), &why) != CC_OK)
                rc = conf_fail(cause, path, s, CC_EPARSE, "%s", why);
            free(why);
            strlist_free(&l);
            break;
        }
        }
    }
    /* "@forest.1.16": the built-ins' OIDs hang below this forest's arc */
    if (rc == CC_OK && strncmp(t->oid, "@forest", 7) == 0) {
        char *forest = NULL;
        if (store_meta_get(st, "forest_oid", &forest) != CC_OK) {
            rc = cc_fail(cause, CC_ENOTFOUND, "the database has no forest OID");
        } else {
            char *full = cc_asprintf("%s%s", forest, t->oid + 7);
            free(t->oid);
            t->oid = full;
            if (full == NULL)
                rc = CC_ENOMEM;
        }
        free(forest);
    }
    config_setting_t *sec = config_setting_get_member(g, "security");
    for (int i = 0; rc == CC_OK && sec != NULL && i < config_setting_length(sec); i++) {
        config_setting_t *e = config_setting_get_elem(sec, (unsigned)i);
        const char *who = NULL, *allow = NULL, *deny = NULL;
        if (!config_setting_lookup_string(e, "principal", &who)) {
            rc = conf_fail(cause, path, e, CC_EPARSE, "security: an entry has no principal");
            break;
        }
        config_setting_lookup_string(e, "allow", &allow);
        config_setting_lookup_string(e, "deny", &deny);
        unsigned a = 0, d = 0;
        char *why = NULL;
        struct dir_principal p = {0};
        if ((allow && acl_rights_parse(allow, &a, &why) != CC_OK) ||
            (deny && acl_rights_parse(deny, &d, &why) != CC_OK))
            rc = conf_fail(cause, path, e, CC_EPARSE, "security: %s", why);
        else if (dir_lookup(st, who, &p, &why) != CC_OK)
            rc = conf_fail(cause, path, e, CC_ENOTFOUND, "security: %s", why);
        else
            rc = acl_set(&t->acl, p.id, p.name, a, d);
        free(why);
        dir_principal_free(&p);
    }
    if (rc == CC_OK) {
        char *why = NULL;
        /* superseded names are checked once all built-ins are in */
        struct strlist keep = {0};
        strlist_copy(&keep, &t->supersede);
        strlist_free(&t->supersede);
        if (template_validate(NULL, t, &why) != CC_OK)
            rc = conf_fail(cause, path, g, CC_EPARSE, "%s", why);
        free(why);
        t->supersede = keep;
    }
    if (rc != CC_OK)
        template_free(t);
    return rc;
}

static int
read_template_file(struct store *st, const char *path, struct template *t, char **cause)
{
    config_t conf;
    config_init(&conf);
    int rc;
    if (!config_read_file(&conf, path)) {
        rc = config_error_type(&conf) == CONFIG_ERR_FILE_IO
                 ? cc_fail(cause, CC_EIO, "%s: cannot read the file", path)
                 : cc_fail(cause, CC_EPARSE, "%s:%d: %s", path, config_error_line(&conf),
                           config_error_text(&conf));
    } else {
        config_setting_t *g = config_lookup(&conf, "template");
        if (g == NULL || !config_setting_is_group(g))
            rc = cc_fail(cause, CC_EPARSE, "%s:1: no 'template' group", path);
        else
            rc = read_template(st, path, g, t, cause);
    }
    config_destroy(&conf);
    return rc;
}

int
template_load_builtins(const struct cc_ctx *cx, const char *datadir, char **cause)
{
    struct store *st = cx->st;
    char *pattern = cc_asprintf("%s/templates/*.conf", datadir);
    if (pattern == NULL)
        return CC_ENOMEM;
    glob_t g;
    int grc = glob(pattern, 0, NULL, &g);
    free(pattern);
    if (grc != 0)
        return cc_fail(cause, CC_ENOTFOUND, "no built-in templates under %s/templates", datadir);
    int rc = store_begin(st, cause);
    for (size_t i = 0; rc == CC_OK && i < g.gl_pathc; i++) {
        struct template t = {0};
        if ((rc = read_template_file(st, g.gl_pathv[i], &t, cause)) != CC_OK)
            break;
        t.flags |= CT_FLAG_IS_DEFAULT;
        rc = insert_template(cx, &t, cause);
        template_free(&t);
    }
    /* every superseded name must now resolve */
    struct template *all = NULL;
    size_t n = 0;
    if (rc == CC_OK && (rc = template_list(st, &all, &n, cause)) == CC_OK) {
        for (size_t i = 0; rc == CC_OK && i < n; i++)
            rc = template_validate(st, &all[i], cause);
        template_list_free(all, n);
    }
    globfree(&g);
    return store_finish(st, rc, cause);
}

static void
add_list(config_setting_t *g, const char *key, const struct strlist *l)
{
    config_setting_t *a = config_setting_add(g, key, CONFIG_TYPE_ARRAY);
    for (size_t i = 0; i < l->n; i++)
        config_setting_set_string_elem(a, -1, l->v[i]);
}

int
template_export(struct store *st, const struct template *t, char **text, char **cause)
{
    config_t conf;
    config_init(&conf);
    config_set_options(&conf, CONFIG_OPTION_COLON_ASSIGNMENT_FOR_GROUPS |
                                  CONFIG_OPTION_OPEN_BRACE_ON_SEPARATE_LINE);
    config_setting_t *g = config_setting_add(config_root_setting(&conf), "template",
                                             CONFIG_TYPE_GROUP);
    int rc = CC_OK;
    for (size_t i = 0; i < FIELD_COUNT && rc == CC_OK; i++) {
        const struct field *f = &fields[i];
        config_setting_t *s;
        switch (f->type) {
        case F_STR:
            /* an optional string that is empty is left out: older files stay valid */
            if (!f->required && (*CFPTR(t, f, char *) == NULL || **CFPTR(t, f, char *) == '\0'))
                break;
            s = config_setting_add(g, f->key, CONFIG_TYPE_STRING);
            config_setting_set_string(s, *CFPTR(t, f, char *));
            break;
        case F_INT:
            s = config_setting_add(g, f->key, CONFIG_TYPE_INT);
            config_setting_set_int(s, *CFPTR(t, f, int));
            break;
        case F_U32:
            s = config_setting_add(g, f->key, CONFIG_TYPE_INT64);
            config_setting_set_int64(s, *CFPTR(t, f, uint32_t));
            break;
        case F_HEX:
            s = config_setting_add(g, f->key, CONFIG_TYPE_INT64);
            config_setting_set_int64(s, *CFPTR(t, f, uint32_t));
            config_setting_set_format(s, CONFIG_FORMAT_HEX);
            break;
        case F_PERIOD: {
            char *p = period_short(*CFPTR(t, f, int64_t));
            s = config_setting_add(g, f->key, CONFIG_TYPE_STRING);
            config_setting_set_string(s, p ? p : "");
            free(p);
            break;
        }
        case F_LIST:
            add_list(g, f->key, CFPTR(t, f, struct strlist));
            break;
        case F_KU: {
            config_setting_t *a = config_setting_add(g, f->key, CONFIG_TYPE_ARRAY);
            for (size_t k = 0; k < KU_COUNT; k++)
                if (*CFPTR(t, f, unsigned) & ku_names[k].bit)
                    config_setting_set_string_elem(a, -1, ku_names[k].name);
            break;
        }
        }
    }
    config_setting_t *sec = config_setting_add(g, "security", CONFIG_TYPE_LIST);
    for (size_t i = 0; i < t->acl.n && rc == CC_OK; i++) {
        const struct acl_entry *e = &t->acl.v[i];
        config_setting_t *eg = config_setting_add(sec, NULL, CONFIG_TYPE_GROUP);
        struct dir_principal p = {0};
        char *name = NULL;
        if (dir_get(st, e->principal, &p, NULL) == CC_OK)
            name = dir_qualified_name(st, &p);
        dir_principal_free(&p);
        config_setting_set_string(config_setting_add(eg, "principal", CONFIG_TYPE_STRING),
                                  name ? name : e->name);
        free(name);
        char *a = acl_rights_format(e->allow), *d = acl_rights_format(e->deny);
        if (e->allow)
            config_setting_set_string(config_setting_add(eg, "allow", CONFIG_TYPE_STRING), a);
        if (e->deny)
            config_setting_set_string(config_setting_add(eg, "deny", CONFIG_TYPE_STRING), d);
        free(a);
        free(d);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (mem == NULL) {
        rc = CC_ENOMEM;
    } else {
        fprintf(mem, "# certcon template export: %s (%s), version %u.%u\n", t->display_name,
                t->cn, t->revision, t->minor_revision);
        config_write(&conf, mem);
        if (fclose(mem) != 0)
            rc = CC_ENOMEM;
    }
    config_destroy(&conf);
    if (rc != CC_OK) {
        free(buf);
        return cc_fail(cause, rc, "cannot format the template");
    }
    *text = buf;
    return CC_OK;
}

int
template_import(const struct cc_ctx *cx, const char *path, struct template *out, char **cause)
{
    struct store *st = cx->st;
    int rc = dir_require_admin(cx, "import a template", cause);
    if (rc != CC_OK)
        return rc;
    struct template t = {0};
    if ((rc = store_begin(st, cause)) != CC_OK)
        return rc;
    if ((rc = read_template_file(st, path, &t, cause)) != CC_OK)
        goto out;
    /* an import is never a built-in: the flag belongs to the forest's own defaults */
    t.flags &= ~CT_FLAG_IS_DEFAULT;
    if ((rc = template_validate(st, &t, cause)) != CC_OK)
        goto out;
    if ((rc = insert_template(cx, &t, cause)) != CC_OK)
        goto out;
    rc = audit_record(cx, "template", t.cn, "import", NULL, path, cause);
out:
    if (rc == CC_OK && (rc = store_commit(st, cause)) == CC_OK) {
        if (out != NULL) {
            template_free(out);
            *out = t;
        } else {
            template_free(&t);
        }
        return CC_OK;
    }
    if (rc != CC_OK)
        store_rollback(st);
    template_free(&t);
    return rc;
}
