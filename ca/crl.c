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
#include "crl.h"
#include "status.h"

#define OID_CRL_NUMBER "2.5.29.20"
#define OID_CRL_REASON "2.5.29.21"

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

static int
encode_entries(struct store *st, time_t now, struct pkix_buf *out, int64_t *count, char **cause)
{
    struct pkix_buf reasons[9] = {{0}}, joined = {0};
    asn1_node el = NULL;
    struct store_stmt *q = NULL;
    *count = 0;
    int rc = reason_extensions(reasons, cause);
    if (rc == CC_OK)
        rc = store_prepare(st,
                           "SELECT serial, revoked_effective, revoked_reason FROM certificate "
                           "WHERE revoked_reason IS NOT NULL AND revoked_effective <= ? AND "
                           "not_after > ? ORDER BY revoked_effective, serial",
                           &q, cause);
    if (rc != CC_OK)
        goto out;
    store_bind_int64(q, 1, (int64_t)now);
    store_bind_int64(q, 2, (int64_t)now);
    struct pkix_buf entry = {0}, serial = {0};
    while (rc == CC_OK && store_step(q, NULL) == STORE_ROW) {
        const char *hex = store_col_text(q, 0);
        int reason = store_col_int(q, 2);
        /* a fresh element per entry: libtasn1 cannot bring back a deleted OPTIONAL */
        if ((rc = pkix_element("CertconPKIX.RevokedCertificate", &el, cause)) != CC_OK)
            break;
        if (pkix_unhex(hex ? hex : "", &serial) != CC_OK) {
            rc = cc_fail(cause, CC_EDB, "serial '%s' in the database is not hex", hex);
            break;
        }
        if (asn1_write_value(el, "userCertificate", serial.p, (int)serial.n) != ASN1_SUCCESS ||
            pkix_write_time(el, "revocationDate", (time_t)store_col_int64(q, 1)) != CC_OK ||
            asn1_write_value(el, "crlEntryExtensions",
                             reason > 0 && reason <= 8 && reasons[reason].n ? reasons[reason].p
                                                                            : NULL,
                             reason > 0 && reason <= 8 ? (int)reasons[reason].n : 0) !=
                ASN1_SUCCESS) {
            rc = cc_fail(cause, CC_ECRYPTO, "CRL entry %s cannot be encoded", hex);
            break;
        }
        if ((rc = pkix_der(el, NULL, &entry, cause)) == CC_OK)
            rc = pkix_buf_append(&joined, entry.p, entry.n);
        asn1_delete_structure(&el);
        (*count)++;
    }
    pkix_buf_free(&entry);
    pkix_buf_free(&serial);
    if (rc == CC_OK && *count > 0)
        rc = pkix_wrap(out, 0x30, joined.p, joined.n);
out:
    if (q)
        store_finalize(q);
    if (el)
        asn1_delete_structure(&el);
    for (int i = 0; i < 9; i++)
        pkix_buf_free(&reasons[i]);
    pkix_buf_free(&joined);
    return rc;
}

static int
crl_extensions(struct authority *ca, int64_t number, struct pkix_buf *out, char **cause)
{
    asn1_node el;
    struct pkix_buf value = {0}, ext = {0}, all = {0};
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)number);
    int rc = pkix_element("CertconPKIX.CRLNumber", &el, cause);
    if (rc != CC_OK)
        return rc;
    if (asn1_write_value(el, "", num, 0) != ASN1_SUCCESS)
        rc = cc_fail(cause, CC_ECRYPTO, "CRL number cannot be encoded");
    else
        rc = pkix_der(el, NULL, &value, cause);
    asn1_delete_structure(&el);
    if (rc == CC_OK)
        rc = pkix_extension(OID_CRL_NUMBER, 0, value.p, value.n, &ext, cause);
    if (rc == CC_OK)
        rc = pkix_buf_append(&all, ca->ext_aki.p, ca->ext_aki.n);
    if (rc == CC_OK)
        rc = pkix_buf_append(&all, ext.p, ext.n);
    if (rc == CC_OK)
        rc = pkix_wrap(out, 0x30, all.p, all.n);
    pkix_buf_free(&value);
    pkix_buf_free(&ext);
    pkix_buf_free(&all);
    return rc;
}

int
crl_publish(struct store *st, struct authority *ca, struct pkix_buf *der, struct crl_info *info,
            char **cause)
{
    int rc = authority_require(st, CA_RIGHT_OFFICER, "publish a CRL", NULL);
    if (rc != CC_OK)
        rc = authority_require(st, CA_RIGHT_MANAGE, "publish a CRL", cause);
    if (rc != CC_OK)
        return rc;
    time_t now = cc_now();
    /* an expired (or not yet valid) CA signs nothing, CRLs included */
    if ((rc = authority_check_time(&ca->info, now, cause)) != CC_OK)
        return rc;
    int64_t period = ca->info.crl_period > 0 ? ca->info.crl_period : 7 * 86400;
    int64_t overlap = period / 10 < 12 * 3600 ? period / 10 : 12 * 3600;
    /* RFC 5280 5.1.2.4-5: inside the issuer's validity at both ends */
    struct crl_info ci = {.this_update = now - AUTHORITY_CLOCK_SKEW,
                          .next_update = now + (time_t)(period + overlap)};
    if (ci.this_update < ca->info.not_before)
        ci.this_update = ca->info.not_before;
    if (ci.next_update > ca->info.not_after)
        ci.next_update = ca->info.not_after;
    struct pkix_buf entries = {0}, exts = {0}, tbs = {0}, sig = {0};
    asn1_node el = NULL;
    if ((rc = store_begin(st, cause)) != CC_OK)
        return rc;
    struct store_stmt *q;
    rc = store_prepare(st, "SELECT crl_number FROM ca WHERE id = 1", &q, cause);
    if (rc == CC_OK) {
        if (store_step(q, NULL) == STORE_ROW)
            ci.number = store_col_int64(q, 0) + 1;
        store_finalize(q);
    }
    if (rc == CC_OK)
        rc = encode_entries(st, now, &entries, &ci.count, cause);
    if (rc == CC_OK)
        rc = crl_extensions(ca, ci.number, &exts, cause);
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
                            "INSERT INTO crl (number, this_update, next_update, count, raw) "
                            "VALUES (?, ?, ?, ?, ?)",
                            &q, cause)) == CC_OK) {
        store_bind_int64(q, 1, ci.number);
        store_bind_int64(q, 2, (int64_t)ci.this_update);
        store_bind_int64(q, 3, (int64_t)ci.next_update);
        store_bind_int64(q, 4, ci.count);
        store_bind_blob(q, 5, der->p, der->n);
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
        rc = audit_record(st, "crl", ca->info.name, "published", NULL, num, cause);
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

int
crl_latest(struct store *st, struct pkix_buf *der, struct crl_info *info, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT number, this_update, next_update, count, raw FROM crl "
                           "ORDER BY number DESC LIMIT 1",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    if (store_step(q, NULL) == STORE_ROW) {
        if (info) {
            info->number = store_col_int64(q, 0);
            info->this_update = (time_t)store_col_int64(q, 1);
            info->next_update = (time_t)store_col_int64(q, 2);
            info->count = store_col_int64(q, 3);
        }
        size_t n;
        const void *p = store_col_blob(q, 4, &n);
        rc = pkix_buf_set(der, p, n);
    } else {
        rc = cc_fail(cause, CC_ENOTFOUND, "no CRL has been published yet");
    }
    store_finalize(q);
    return rc;
}
