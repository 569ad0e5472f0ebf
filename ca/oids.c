/*
 * Names of object identifiers. The well-known application and issuance
 * policies are one table (ADCS-SPEC §4.4); the forest's own, made with the
 * New Application Policy dialog or `certcon oid add`, live in the database
 * and take part in every lookup.
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "context.h"
#include "directory.h"
#include "oids.h"
#include "status.h"
#include "util.h"

static const struct {
    const char *oid;
    const char *name;
    enum oid_kind kind;
} known_oids[] = {
    {"1.3.6.1.5.5.7.3.1", "Server Authentication", OID_KIND_APPLICATION},
    {"1.3.6.1.5.5.7.3.2", "Client Authentication", OID_KIND_APPLICATION},
    {"1.3.6.1.5.5.7.3.3", "Code Signing", OID_KIND_APPLICATION},
    {"1.3.6.1.5.5.7.3.4", "Secure Email", OID_KIND_APPLICATION},
    {"1.3.6.1.5.5.7.3.5", "IP security end system", OID_KIND_APPLICATION},
    {"1.3.6.1.5.5.7.3.6", "IP security tunnel termination", OID_KIND_APPLICATION},
    {"1.3.6.1.5.5.7.3.7", "IP security user", OID_KIND_APPLICATION},
    {"1.3.6.1.5.5.7.3.8", "Time Stamping", OID_KIND_APPLICATION},
    {"1.3.6.1.5.5.7.3.9", "OCSP Signing", OID_KIND_APPLICATION},
    {"1.3.6.1.5.5.8.2.2", "IP security IKE intermediate", OID_KIND_APPLICATION},
    {"1.3.6.1.5.2.3.5", "KDC Authentication", OID_KIND_APPLICATION},
    {"1.3.6.1.5.2.3.4", "Client Authentication (PKINIT)", OID_KIND_APPLICATION},
    {"2.5.29.37.0", "Any Purpose", OID_KIND_APPLICATION},
    {"1.3.6.1.4.1.311.20.2.2", "Smart Card Logon", OID_KIND_APPLICATION},
    {"1.3.6.1.4.1.311.20.2.1", "Certificate Request Agent", OID_KIND_APPLICATION},
    {"1.3.6.1.4.1.311.10.3.4", "Encrypting File System", OID_KIND_APPLICATION},
    {"1.3.6.1.4.1.311.10.3.4.1", "File Recovery", OID_KIND_APPLICATION},
    {"1.3.6.1.4.1.311.10.3.1", "Microsoft Trust List Signing", OID_KIND_APPLICATION},
    {"1.3.6.1.4.1.311.10.3.10", "Qualified Subordination", OID_KIND_APPLICATION},
    {"1.3.6.1.4.1.311.10.3.11", "Key Recovery", OID_KIND_APPLICATION},
    {"1.3.6.1.4.1.311.10.3.12", "Document Signing", OID_KIND_APPLICATION},
    {"1.3.6.1.4.1.311.21.5", "Private Key Archival", OID_KIND_APPLICATION},
    {"1.3.6.1.4.1.311.21.6", "Key Recovery Agent", OID_KIND_APPLICATION},
    {"1.3.6.1.4.1.311.21.19", "Directory Service Email Replication", OID_KIND_APPLICATION},
    {"2.5.29.32.0", "All issuance policies", OID_KIND_ISSUANCE},
};

#define KNOWN_COUNT (sizeof known_oids / sizeof known_oids[0])

int
oid_is_valid(const char *s)
{
    int arcs = 0;
    unsigned long first = 0;
    const char *p = s;
    if (s == NULL || *s == '\0' || strlen(s) > 200)
        return 0;
    while (*p) {
        if (!isdigit((unsigned char)*p))
            return 0;
        if (*p == '0' && isdigit((unsigned char)p[1]))
            return 0; /* no leading zeros */
        char *end;
        unsigned long long v = strtoull(p, &end, 10);
        if (v > UINT32_MAX)
            return 0;
        if (arcs == 0) {
            if (v > 2)
                return 0;
            first = (unsigned long)v;
        } else if (arcs == 1 && first < 2 && v > 39) {
            return 0;
        }
        arcs++;
        p = end;
        if (*p == '.') {
            p++;
            if (*p == '\0')
                return 0;
        } else if (*p != '\0') {
            return 0;
        }
    }
    return arcs >= 2;
}

static int
kind_matches(enum oid_kind want, enum oid_kind have)
{
    return want == 0 || want == have;
}

int
oid_resolve(struct store *st, const char *name_or_oid, enum oid_kind kind, char **oid,
            char **cause)
{
    if (oid_is_valid(name_or_oid)) {
        *oid = strdup(name_or_oid);
        return *oid ? CC_OK : CC_ENOMEM;
    }
    for (size_t i = 0; i < KNOWN_COUNT; i++) {
        if (kind_matches(kind, known_oids[i].kind) &&
            strcasecmp(known_oids[i].name, name_or_oid) == 0) {
            *oid = strdup(known_oids[i].oid);
            return *oid ? CC_OK : CC_ENOMEM;
        }
    }
    struct store_stmt *q;
    int rc = store_prepare(st, "SELECT oid FROM oid WHERE name = ? AND (? = 0 OR kind = ?)", &q,
                           cause);
    if (rc != CC_OK)
        return rc;
    store_bind_text(q, 1, name_or_oid);
    store_bind_int(q, 2, kind);
    store_bind_int(q, 3, kind);
    rc = CC_ENOTFOUND;
    if (store_step(q, NULL) == STORE_ROW) {
        *oid = strdup(store_col_text(q, 0));
        rc = *oid ? CC_OK : CC_ENOMEM;
    }
    store_finalize(q);
    if (rc != CC_ENOTFOUND)
        return rc;

    struct strlist names = {0};
    for (size_t i = 0; i < KNOWN_COUNT; i++)
        if (kind_matches(kind, known_oids[i].kind))
            strlist_add(&names, known_oids[i].name);
    if (store_prepare(st, "SELECT name FROM oid WHERE (? = 0 OR kind = ?)", &q, NULL) ==
        CC_OK) {
        store_bind_int(q, 1, kind);
        store_bind_int(q, 2, kind);
        while (store_step(q, NULL) == STORE_ROW)
            strlist_add(&names, store_col_text(q, 0));
        store_finalize(q);
    }
    char *hint = cc_nearest(name_or_oid, &names);
    strlist_free(&names);
    rc = cc_fail(cause, CC_ENOTFOUND,
                 "'%s' is neither a known %s policy nor an object identifier%s%s%s", name_or_oid,
                 kind == OID_KIND_ISSUANCE ? "issuance" : "application", hint ? ". " : "",
                 hint ? hint : "",
                 hint ? "" : ". Define a new one with 'certcon oid add NAME OID'");
    free(hint);
    return rc;
}

char *
oid_display_name(struct store *st, const char *oid)
{
    for (size_t i = 0; i < KNOWN_COUNT; i++)
        if (strcmp(known_oids[i].oid, oid) == 0)
            return strdup(known_oids[i].name);
    struct store_stmt *q;
    char *out = NULL;
    if (st != NULL && store_prepare(st, "SELECT name FROM oid WHERE oid = ?", &q, NULL) == CC_OK) {
        store_bind_text(q, 1, oid);
        if (store_step(q, NULL) == STORE_ROW)
            out = strdup(store_col_text(q, 0));
        store_finalize(q);
    }
    return out ? out : strdup(oid);
}

int
oid_add(const struct cc_ctx *cx, const char *name, const char *oid, enum oid_kind kind,
        char **cause)
{
    struct store *st = cx->st;
    size_t len = strlen(name);
    if (len == 0 || len > 64)
        return cc_fail(cause, CC_EINVAL, "policy name: must be 1 to 64 characters");
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return cc_fail(cause, CC_EINVAL, "policy name: control characters are not allowed");
    if (!oid_is_valid(oid))
        return cc_fail(cause, CC_EINVAL,
                       "object identifier: '%s' is not a dotted OID such as "
                       "2.16.840.1.113741.1.2.3 (first arc 0, 1 or 2; numbers only)",
                       oid);
    for (size_t i = 0; i < KNOWN_COUNT; i++) {
        if (strcmp(known_oids[i].oid, oid) == 0)
            return cc_fail(cause, CC_EEXIST, "%s is already defined as '%s'", oid,
                           known_oids[i].name);
        if (strcasecmp(known_oids[i].name, name) == 0)
            return cc_fail(cause, CC_EEXIST, "the name '%s' is already used for %s", name,
                           known_oids[i].oid);
    }
    int rc = dir_require_admin(cx, "add an object identifier", cause);
    if (rc != CC_OK)
        return rc;
    if ((rc = store_begin(st, cause)) != CC_OK)
        return rc;
    struct store_stmt *q;
    if ((rc = store_prepare(st,
                            "SELECT oid, name FROM oid WHERE oid = ?1 OR name = ?2 "
                            "UNION ALL SELECT oid, 'the template ' || display_name FROM template "
                            "WHERE oid = ?1",
                            &q, cause)) == CC_OK) {
        store_bind_text(q, 1, oid);
        store_bind_text(q, 2, name);
        if (store_step(q, NULL) == STORE_ROW)
            rc = cc_fail(cause, CC_EEXIST, "already defined: '%s' is %s", store_col_text(q, 1),
                         store_col_text(q, 0));
        store_finalize(q);
    }
    if (rc == CC_OK && (rc = store_prepare(st, "INSERT INTO oid (oid, name, kind) VALUES (?,?,?)",
                                           &q, cause)) == CC_OK) {
        store_bind_text(q, 1, oid);
        store_bind_text(q, 2, name);
        store_bind_int(q, 3, kind);
        if (store_step(q, NULL) != STORE_DONE)
            rc = store_error(st, cause);
        store_finalize(q);
    }
    if (rc == CC_OK)
        rc = audit_record(cx, "oid", oid, "create", NULL, name, cause);
    return store_finish(st, rc, cause);
}

int
oid_new_under_forest(struct store *st, char **oid, char **cause)
{
    char *forest = NULL;
    if (store_meta_get(st, "forest_oid", &forest) != CC_OK)
        return cc_fail(cause, CC_ENOTFOUND, "the database has no forest OID: run 'certcon init'");
    int rc = CC_EEXIST;
    for (int attempt = 0; attempt < 32 && rc == CC_EEXIST; attempt++) {
        uint32_t r[2];
        if (cc_random(r, sizeof r) != CC_OK) {
            rc = cc_fail(cause, CC_EIO, "no random source");
            break;
        }
        char *cand = cc_asprintf("%s.%u.%u", forest, (r[0] & 0xFFFFFF) | 1, (r[1] & 0xFFFFFF) | 1);
        if (cand == NULL) {
            rc = CC_ENOMEM;
            break;
        }
        struct store_stmt *q;
        int used = 0;
        if (store_prepare(st,
                          "SELECT 1 FROM template WHERE oid = ?1 UNION SELECT 1 FROM oid WHERE "
                          "oid = ?1",
                          &q, NULL) == CC_OK) {
            store_bind_text(q, 1, cand);
            used = store_step(q, NULL) == STORE_ROW;
            store_finalize(q);
        }
        if (used) {
            free(cand);
            continue;
        }
        *oid = cand;
        rc = CC_OK;
    }
    free(forest);
    return rc;
}

int
oid_list(struct store *st, enum oid_kind kind, struct strlist *names, struct strlist *oids,
         char **cause)
{
    struct strlist n = {0}, o = {0};
    int rc = CC_OK;
    for (size_t i = 0; rc == CC_OK && i < KNOWN_COUNT; i++)
        if (kind_matches(kind, known_oids[i].kind) &&
            (rc = strlist_add(&n, known_oids[i].name)) == CC_OK)
            rc = strlist_add(&o, known_oids[i].oid);
    struct store_stmt *q;
    if (rc == CC_OK &&
        (rc = store_prepare(st, "SELECT name, oid FROM oid WHERE (?1 = 0 OR kind = ?1)", &q,
                            cause)) == CC_OK) {
        store_bind_int(q, 1, kind);
        while (rc == CC_OK && store_step(q, NULL) == STORE_ROW)
            if ((rc = strlist_add(&n, store_col_text(q, 0))) == CC_OK)
                rc = strlist_add(&o, store_col_text(q, 1));
        store_finalize(q);
    }
    /* sorted by name, the two lists kept in step (a few dozen entries) */
    for (size_t i = 1; rc == CC_OK && i < n.n; i++)
        for (size_t j = i; j > 0 && strcasecmp(n.v[j - 1], n.v[j]) > 0; j--) {
            char *t = n.v[j];
            n.v[j] = n.v[j - 1];
            n.v[j - 1] = t;
            t = o.v[j];
            o.v[j] = o.v[j - 1];
            o.v[j - 1] = t;
        }
    if (rc != CC_OK) {
        strlist_free(&n);
        strlist_free(&o);
        return rc;
    }
    strlist_free(names);
    strlist_free(oids);
    *names = n;
    *oids = o;
    return CC_OK;
}
