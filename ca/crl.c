/*
 * CRL encoding. Each revoked entry is encoded on its own (one reusable
 * libtasn1 element) and the entries are joined under one SEQUENCE, which
 * keeps publishing linear in the number of entries.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/x509-ext.h>

#include "audit.h"
#include "certlint.h"
#include "clock.h"
#include "context.h"
#include "crl.h"
#include "status.h"

#define OID_CRL_NUMBER "2.5.29.20"
#define OID_CRL_REASON "2.5.29.21"
#define OID_DELTA_CRL_INDICATOR "2.5.29.27"

/* SEQUENCE { Extension reasonCode } for each reason that is written (not unspecified). */
static int
reason_extensions(struct pkix_buf ext[9], char **cause)
{
    for (int r = 1; r <= 8; r++) {
        if (r == 7)
            continue;
        asn1_node el;
        struct pkix_buf value = {0}, one = {0};
        char num[4];
        snprintf(num, sizeof num, "%d", r);
        int rc = pkix_element("CertconPKIX.CRLReason", &el, cause);
        if (rc != CC_OK)
            return rc;
        if (asn1_write_value(el, "", num, 0) != ASN1_SUCCESS)
            rc = cc_fail(cause, CC_ECRYPTO, "CRL reason %d cannot be encoded", r);
        else
            rc = pkix_der(el, NULL, &value, cause);
        asn1_delete_structure(&el);
        if (rc == CC_OK)
            rc = pkix_extension(OID_CRL_REASON, 0, value.p, value.n, &one, cause);
        if (rc == CC_OK)
            rc = pkix_wrap(&ext[r], 0x30, one.p, one.n);
        pkix_buf_free(&value);
        pkix_buf_free(&one);
        if (rc != CC_OK)
            return rc;
    }
    return CC_OK;
}

/*
 * Appends one RevokedCertificate to joined. els[0] encodes entries without
 * extensions, els[1] entries with a reason code; each is created once and
 * reused, which libtasn1 allows as long as an OPTIONAL deleted once is never
 * wanted back (it cannot be): that is why there are two.
 */
static int
append_entry(asn1_node els[2], const char *hex, time_t when, int reason,
             const struct pkix_buf reasons[9], struct pkix_buf *joined, struct pkix_buf *serial,
             struct pkix_buf *entry, char **cause)
{
    int has = reason > 0 && reason <= 8 && reasons[reason].n;
    int rc = CC_OK;
    if (els[has] == NULL) {
        if ((rc = pkix_element("CertconPKIX.RevokedCertificate", &els[has], cause)) != CC_OK)
            return rc;
        if (!has && asn1_write_value(els[0], "crlEntryExtensions", NULL, 0) != ASN1_SUCCESS)
            return cc_fail(cause, CC_ECRYPTO, "CRL entry %s cannot be encoded", hex);
    }
    asn1_node el = els[has];
    if (pkix_unhex(hex ? hex : "", serial) != CC_OK)
        return cc_fail(cause, CC_EDB, "serial '%s' in the database is not hex", hex);
    if (asn1_write_value(el, "userCertificate", serial->p, (int)serial->n) != ASN1_SUCCESS ||
        pkix_write_time(el, "revocationDate", when) != CC_OK ||
        (has && asn1_write_value(el, "crlEntryExtensions", reasons[reason].p,
                                 (int)reasons[reason].n) != ASN1_SUCCESS))
        rc = cc_fail(cause, CC_ECRYPTO, "CRL entry %s cannot be encoded", hex);
    if (rc == CC_OK && (rc = pkix_der(el, NULL, entry, cause)) == CC_OK)
        rc = pkix_buf_append(joined, entry->p, entry->n);
    return rc;
}

/*
 * The revokedCertificates of a base CRL (delta NULL), or of a delta
 * against the base CRL delta describes: what came into effect since the
 * base was built, and removeFromCRL for the holds it listed that were
 * released. A revocation in the very second the base was built may be in
 * both: listed twice is harmless, missed would not be. A base's holds are
 * recorded in crl_hold under number.
 */
static int
encode_entries(struct store *st, time_t now, int64_t number, const struct crl_info *delta,
               struct pkix_buf *out, int64_t *count, char **cause)
{
    struct pkix_buf reasons[9] = {{0}}, joined = {0}, entry = {0}, serial = {0};
    struct store_stmt *q = NULL, *hold = NULL;
    asn1_node els[2] = {NULL, NULL};
    *count = 0;
    int rc = reason_extensions(reasons, cause);
    if (rc == CC_OK)
        rc = store_prepare(st,
                           delta == NULL
                               ? "SELECT serial, revoked_effective, revoked_reason FROM certificate "
                                 "WHERE revoked_reason IS NOT NULL AND revoked_effective <= ?1 AND "
                                 "not_after > ?1 ORDER BY revoked_effective, serial"
                               : "SELECT serial, revoked_effective, revoked_reason FROM certificate "
                                 "WHERE revoked_reason IS NOT NULL AND revoked_effective <= ?1 AND "
                                 "not_after > ?1 AND (revoked_when >= ?2 OR "
                                 "revoked_effective > ?2) ORDER BY revoked_effective, serial",
                           &q, cause);
    if (rc == CC_OK && delta == NULL)
        rc = store_prepare(st,
                           "INSERT INTO crl_hold (crl_number, serial) SELECT ?1, ?2 WHERE NOT "
                           "EXISTS (SELECT 1 FROM crl_hold WHERE crl_number = ?1 AND serial = ?2)",
                           &hold, cause);
    if (rc != CC_OK)
        goto out;
    store_bind_int64(q, 1, (int64_t)now);
    if (delta != NULL)
        store_bind_int64(q, 2, (int64_t)delta->built);
    while (rc == CC_OK && store_step(q, NULL) == STORE_ROW) {
        const char *hex = store_col_text(q, 0);
        int reason = store_col_int(q, 2);
        rc = append_entry(els, hex, (time_t)store_col_int64(q, 1), reason, reasons, &joined,
                          &serial, &entry, cause);
        if (rc == CC_OK && hold != NULL && reason == 6) {
            store_reset(hold);
            store_bind_int64(hold, 1, number);
            store_bind_text(hold, 2, hex);
            rc = store_run(hold, cause);
        }
        (*count)++;
    }
    if (rc == CC_OK && delta != NULL) {
        /* RFC 5280 5.2.4: a hold released since the base leaves with removeFromCRL */
        store_finalize(q);
        rc = store_prepare(st,
                           "SELECT h.serial FROM crl_hold h WHERE h.crl_number = ? AND NOT "
                           "EXISTS (SELECT 1 FROM certificate c WHERE c.serial = h.serial AND "
                           "c.revoked_reason IS NOT NULL) ORDER BY h.serial",
                           &q, cause);
        if (rc == CC_OK) {
            store_bind_int64(q, 1, delta->number);
            while (rc == CC_OK && store_step(q, NULL) == STORE_ROW) {
                rc = append_entry(els, store_col_text(q, 0), now, 8, reasons, &joined, &serial,
                                  &entry, cause);
                (*count)++;
            }
        } else {
            q = NULL;
        }
    }
    if (rc == CC_OK && *count > 0)
        rc = pkix_wrap(out, 0x30, joined.p, joined.n);
out:
    if (q)
        store_finalize(q);
    if (hold)
        store_finalize(hold);
    for (int i = 0; i < 2; i++)
        if (els[i])
            asn1_delete_structure(&els[i]);
    for (int i = 0; i < 9; i++)
        pkix_buf_free(&reasons[i]);
    pkix_buf_free(&joined);
    pkix_buf_free(&entry);
    pkix_buf_free(&serial);
    return rc;
}

/* An INTEGER extension value (CRL number, base CRL number) as an Extension TLV. */
static int
integer_extension(const char *type, const char *oid, int critical, int64_t number,
                  struct pkix_buf *ext, char **cause)
{
    asn1_node el;
    struct pkix_buf value = {0};
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)number);
    int rc = pkix_element(type, &el, cause);
    if (rc != CC_OK)
        return rc;
    if (asn1_write_value(el, "", num, 0) != ASN1_SUCCESS)
        rc = cc_fail(cause, CC_ECRYPTO, "%s cannot be encoded", type);
    else
        rc = pkix_der(el, NULL, &value, cause);
    asn1_delete_structure(&el);
    if (rc == CC_OK)
        rc = pkix_extension(oid, critical, value.p, value.n, ext, cause);
    pkix_buf_free(&value);
    return rc;
}

/*
 * AKI and CRL number; a delta adds the Delta CRL Indicator (critical, RFC
 * 5280 5.2.4), a base Freshest CRL while deltas are on (5.2.6).
 */
static int
crl_extensions(struct authority *ca, int64_t number, int64_t base, int freshest,
               struct pkix_buf *out, char **cause)
{
    struct pkix_buf ext = {0}, ind = {0}, all = {0};
    int rc = integer_extension("CertconPKIX.CRLNumber", OID_CRL_NUMBER, 0, number, &ext, cause);
    if (rc == CC_OK && base > 0)
        rc = integer_extension("CertconPKIX.BaseCRLNumber", OID_DELTA_CRL_INDICATOR, 1, base,
                               &ind, cause);
    if (rc == CC_OK)
        rc = pkix_buf_append(&all, ca->ext_aki.p, ca->ext_aki.n);
    if (rc == CC_OK)
        rc = pkix_buf_append(&all, ext.p, ext.n);
    if (rc == CC_OK && ind.n)
        rc = pkix_buf_append(&all, ind.p, ind.n);
    if (rc == CC_OK && base == 0 && freshest && ca->ext_freshest.n)
        rc = pkix_buf_append(&all, ca->ext_freshest.p, ca->ext_freshest.n);
    if (rc == CC_OK)
        rc = pkix_wrap(out, 0x30, all.p, all.n);
    pkix_buf_free(&ext);
    pkix_buf_free(&ind);
    pkix_buf_free(&all);
    return rc;
}

/* The newest CRL of a kind, by number; ENOTFOUND (with cause) when there is none. */
int
crl_latest_kind(struct store *st, enum crl_kind kind, struct pkix_buf *der,
                struct crl_info *info, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st,
                           kind == CRL_BASE
                               ? "SELECT number, this_update, next_update, count, base, built, "
                                 "raw FROM crl WHERE base IS NULL ORDER BY number DESC LIMIT 1"
                               : "SELECT number, this_update, next_update, count, base, built, "
                                 "raw FROM crl WHERE base IS NOT NULL ORDER BY number DESC "
                                 "LIMIT 1",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    if (store_step(q, NULL) == STORE_ROW) {
        if (info) {
            info->number = store_col_int64(q, 0);
            info->this_update = (time_t)store_col_int64(q, 1);
            info->next_update = (time_t)store_col_int64(q, 2);
            info->count = store_col_int64(q, 3);
            info->base = store_col_null(q, 4) ? 0 : store_col_int64(q, 4);
            info->built = (time_t)store_col_int64(q, 5);
        }
        if (der != NULL) {
            size_t n;
            const void *p = store_col_blob(q, 6, &n);
            rc = pkix_buf_set(der, p, n);
        }
    } else {
        rc = cc_fail(cause, CC_ENOTFOUND,
                     kind == CRL_BASE ? "no CRL has been published yet"
                                      : "no delta CRL has been published yet");
    }
    store_finalize(q);
    return rc;
}

int
crl_latest(struct store *st, struct pkix_buf *der, struct crl_info *info, char **cause)
{
    return crl_latest_kind(st, CRL_BASE, der, info, cause);
}

/* Builds, lints, signs and records one CRL, with no rights check (see the callers). */
static int
publish(const struct cc_ctx *cx, struct authority *ca, enum crl_kind kind, struct pkix_buf *der,
        struct crl_info *info, char **cause)
{
    struct store *st = cx->st;
    time_t now = ctx_now(cx);
    /* an expired (or not yet valid) CA signs nothing, CRLs included */
    int rc = authority_check_time(&ca->info, now, cause);
    if (rc != CC_OK)
        return rc;
    struct pkix_buf entries = {0}, exts = {0}, tbs = {0}, sig = {0};
    struct crl_info base = {0};
    asn1_node el = NULL;
    if ((rc = store_begin(st, cause)) != CC_OK)
        return rc;
    /* the periods as they are now: a long-running service opened the CA long ago */
    struct crl_info ci = {.built = now};
    int64_t crl_period = 0, delta_period = 0;
    struct store_stmt *q;
    rc = store_prepare(st, "SELECT crl_number, crl_period, delta_period FROM ca WHERE id = 1", &q,
                       cause);
    if (rc == CC_OK) {
        if (store_step(q, NULL) == STORE_ROW) {
            ci.number = store_col_int64(q, 0) + 1;
            crl_period = store_col_int64(q, 1);
            delta_period = store_col_int64(q, 2);
        }
        store_finalize(q);
    }
    if (rc == CC_OK && kind == CRL_DELTA) {
        if (delta_period <= 0)
            rc = cc_fail(cause, CC_EINVAL,
                         "delta CRLs are off for this CA: turn them on with 'certcon ca set "
                         "delta-period 1d'");
        else if ((rc = crl_latest_kind(st, CRL_BASE, NULL, &base, NULL)) != CC_OK)
            rc = cc_fail(cause, CC_ENOTFOUND,
                         "a delta CRL needs a base CRL to refer to: publish one first "
                         "('certcon ca crl')");
        ci.base = base.number;
    }
    int64_t period = kind == CRL_DELTA ? delta_period : crl_period > 0 ? crl_period : 7 * 86400;
    int64_t overlap = period / 10 < 12 * 3600 ? period / 10 : 12 * 3600;
    /* RFC 5280 5.1.2.4-5: inside the issuer's validity at both ends */
    ci.this_update = now - AUTHORITY_CLOCK_SKEW;
    ci.next_update = now + (time_t)(period + overlap);
    if (ci.this_update < ca->info.not_before)
        ci.this_update = ca->info.not_before;
    if (ci.next_update > ca->info.not_after)
        ci.next_update = ca->info.not_after;
    if (rc == CC_OK)
        rc = encode_entries(st, now, ci.number, kind == CRL_DELTA ? &base : NULL, &entries,
                            &ci.count, cause);
    if (rc == CC_OK)
        rc = crl_extensions(ca, ci.number, ci.base, delta_period > 0, &exts, cause);
    if (rc == CC_OK)
        rc = pkix_element("CertconPKIX.TBSCertList", &el, cause);
    if (rc == CC_OK) {
        if (asn1_write_value(el, "version", "1", 0) != ASN1_SUCCESS ||
            asn1_write_value(el, "signature", ca->sigalg.p, (int)ca->sigalg.n) !=
                ASN1_SUCCESS ||
            asn1_write_value(el, "issuer", ca->issuer.p, (int)ca->issuer.n) != ASN1_SUCCESS ||
            pkix_write_time(el, "thisUpdate", ci.this_update) != CC_OK ||
            pkix_write_time(el, "nextUpdate", ci.next_update) != CC_OK ||
            asn1_write_value(el, "revokedCertificates", entries.n ? entries.p : NULL,
                             (int)entries.n) != ASN1_SUCCESS ||
            asn1_write_value(el, "crlExtensions", exts.p, (int)exts.n) != ASN1_SUCCESS)
            rc = cc_fail(cause, CC_ECRYPTO, "the CRL cannot be encoded");
        else
            rc = pkix_der(el, NULL, &tbs, cause);
        asn1_delete_structure(&el);
    }
    /* build, lint, sign, as for certificates */
    if (rc == CC_OK)
        rc = certlint_refuse(tbs.p, tbs.n, 1, NULL, cause);
    if (rc == CC_OK)
        rc = authority_sign(ca, tbs.p, tbs.n, &sig, cause);
    if (rc == CC_OK && (rc = pkix_element("CertconPKIX.SignedData", &el, cause)) == CC_OK) {
        if (asn1_write_value(el, "toBeSigned", tbs.p, (int)tbs.n) != ASN1_SUCCESS ||
            asn1_write_value(el, "signatureAlgorithm", ca->sigalg.p, (int)ca->sigalg.n) !=
                ASN1_SUCCESS ||
            asn1_write_value(el, "signature", sig.p, (int)sig.n * 8) != ASN1_SUCCESS)
            rc = cc_fail(cause, CC_ECRYPTO, "the CRL cannot be encoded");
        else
            rc = pkix_der(el, NULL, der, cause);
        asn1_delete_structure(&el);
    }
    if (rc == CC_OK &&
        (rc = store_prepare(st,
                            "INSERT INTO crl (number, this_update, next_update, count, raw, base, "
                            "built) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            &q, cause)) == CC_OK) {
        store_bind_int64(q, 1, ci.number);
        store_bind_int64(q, 2, (int64_t)ci.this_update);
        store_bind_int64(q, 3, (int64_t)ci.next_update);
        store_bind_int64(q, 4, ci.count);
        store_bind_blob(q, 5, der->p, der->n);
        if (ci.base > 0)
            store_bind_int64(q, 6, ci.base);
        else
            store_bind_null(q, 6);
        store_bind_int64(q, 7, (int64_t)ci.built);
        rc = store_run(q, cause);
        store_finalize(q);
    }
    if (rc == CC_OK &&
        (rc = store_prepare(st, "UPDATE ca SET crl_number = ? WHERE id = 1", &q, cause)) ==
            CC_OK) {
        store_bind_int64(q, 1, ci.number);
        rc = store_run(q, cause);
        store_finalize(q);
    }
    if (rc == CC_OK) {
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long)ci.number);
        rc = audit_record(cx, "crl", ca->info.name,
                          kind == CRL_DELTA ? "delta published" : "published", NULL, num, cause);
    }
    if (rc == CC_OK)
        rc = store_commit(st, cause);
    else
        store_rollback(st);
    if (rc == CC_OK && info)
        *info = ci;
    if (rc != CC_OK)
        pkix_buf_free(der);
    pkix_buf_free(&entries);
    pkix_buf_free(&exts);
    pkix_buf_free(&tbs);
    pkix_buf_free(&sig);
    return rc;
}

static int
require_publisher(const struct cc_ctx *cx, char **cause)
{
    int rc = authority_require(cx, CA_RIGHT_OFFICER, "publish a CRL", NULL);
    if (rc != CC_OK)
        rc = authority_require(cx, CA_RIGHT_MANAGE, "publish a CRL", cause);
    return rc;
}

int
crl_publish_kind(const struct cc_ctx *cx, struct authority *ca, enum crl_kind kind,
                 struct pkix_buf *der, struct crl_info *info, char **cause)
{
    int rc = require_publisher(cx, cause);
    if (rc != CC_OK)
        return rc;
    return publish(cx, ca, kind, der, info, cause);
}

int
crl_publish(const struct cc_ctx *cx, struct authority *ca, struct pkix_buf *der,
            struct crl_info *info, char **cause)
{
    return crl_publish_kind(cx, ca, CRL_BASE, der, info, cause);
}

int
crl_after_revoke(const struct cc_ctx *cx, struct crl_info *info, int *published, char **cause)
{
    struct store *st = cx->st;
    *published = 0;
    struct authority_info ai;
    int rc = authority_info_load(st, &ai, cause);
    if (rc != CC_OK)
        return rc;
    int on = ai.publish_on_revoke;
    authority_info_free(&ai);
    if (!on)
        return CC_OK;
    struct authority *ca = NULL;
    rc = authority_open(st, NULL, &ca, cause);
    if (rc == CC_OK)
        rc = crl_publish_on_revoke(cx, ca, info, published, cause);
    authority_close(ca);
    return rc;
}

int
crl_publish_on_revoke(const struct cc_ctx *cx, struct authority *ca, struct crl_info *info,
                      int *published, char **cause)
{
    struct store *st = cx->st;
    *published = 0;
    struct store_stmt *q;
    int on = 0, deltas = 0;
    int rc = store_prepare(st, "SELECT publish_on_revoke, delta_period FROM ca WHERE id = 1", &q,
                           cause);
    if (rc != CC_OK)
        return rc;
    if (store_step(q, NULL) == STORE_ROW) {
        on = store_col_int(q, 0);
        deltas = store_col_int64(q, 1) > 0;
    }
    store_finalize(q);
    if (!on)
        return CC_OK;
    int have_base = crl_latest_kind(st, CRL_BASE, NULL, NULL, NULL) == CC_OK;
    struct pkix_buf der = {0};
    rc = crl_publish_kind(cx, ca, deltas && have_base ? CRL_DELTA : CRL_BASE, &der, info, cause);
    pkix_buf_free(&der);
    if (rc == CC_OK)
        *published = 1;
    return rc;
}

int
crl_publish_due(const struct cc_ctx *cx, struct authority *ca, int *published, time_t *next,
                char **cause)
{
    struct store *st = cx->st;
    *published = 0;
    time_t now = ctx_now(cx);
    struct store_stmt *q;
    int64_t crl_period = 7 * 86400, delta_period = 0;
    int rc = store_prepare(st, "SELECT crl_period, delta_period FROM ca WHERE id = 1", &q, cause);
    if (rc != CC_OK)
        return rc;
    if (store_step(q, NULL) == STORE_ROW) {
        crl_period = store_col_int64(q, 0) > 0 ? store_col_int64(q, 0) : crl_period;
        delta_period = store_col_int64(q, 1);
    }
    store_finalize(q);
    struct crl_info base = {0}, delta = {0};
    struct pkix_buf der = {0};
    int new_base = 0;
    if (crl_latest_kind(st, CRL_BASE, NULL, &base, NULL) != CC_OK ||
        now >= base.built + (time_t)crl_period) {
        if ((rc = publish(cx, ca, CRL_BASE, &der, &base, cause)) != CC_OK)
            return rc;
        pkix_buf_free(&der);
        (*published)++;
        new_base = 1;
    }
    *next = base.built + (time_t)crl_period;
    if (delta_period > 0) {
        int have = crl_latest_kind(st, CRL_DELTA, NULL, &delta, NULL) == CC_OK &&
                   delta.base == base.number;
        time_t from = have ? delta.built : base.built;
        if (new_base || !have || now >= from + (time_t)delta_period) {
            if ((rc = publish(cx, ca, CRL_DELTA, &der, &delta, cause)) != CC_OK)
                return rc;
            pkix_buf_free(&der);
            (*published)++;
        }
        if (delta.built + (time_t)delta_period < *next)
            *next = delta.built + (time_t)delta_period;
    }
    return CC_OK;
}
