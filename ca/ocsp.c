/*
 * OCSP: requests decoded with libtasn1 from ca/pkix.asn, responses encoded
 * the same way from pre-encoded parts and signed through GnuTLS (GnuTLS
 * parses OCSP but cannot build a response). What signs is kept per
 * database between calls (see "The responder" below), because opening a
 * key costs far more than the signature it makes.
 */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "audit.h"
#include "authority.h"
#include "certstore.h"
#include "clock.h"
#include "context.h"
#include "directory.h"
#include "issue.h"
#include "ocsp.h"
#include "request.h"
#include "status.h"
#include "template.h"

#define OID_OCSP_BASIC     "1.3.6.1.5.5.7.48.1.1"
#define OID_OCSP_NONCE     "1.3.6.1.5.5.7.48.1.2"
#define RESPONDER_TEMPLATE "OCSPResponseSigning"
/* RFC 8954: a nonce of 1 to 32 octets is echoed; others are left out. */
#define NONCE_MAX 32

/* The digests a CertID may be hashed with, and the CA's hashes under each. */
static const gnutls_digest_algorithm_t certid_digests[] = {GNUTLS_DIG_SHA1, GNUTLS_DIG_SHA256,
                                                           GNUTLS_DIG_SHA384, GNUTLS_DIG_SHA512};
#define NDIGESTS (sizeof certid_digests / sizeof certid_digests[0])

const char *
ocsp_status_name(int status)
{
    switch (status) {
    case OCSP_SUCCESSFUL:
        return "successful";
    case OCSP_MALFORMED_REQUEST:
        return "malformedRequest";
    case OCSP_INTERNAL_ERROR:
        return "internalError";
    case OCSP_TRY_LATER:
        return "tryLater";
    case OCSP_SIG_REQUIRED:
        return "sigRequired";
    case OCSP_UNAUTHORIZED:
        return "unauthorized";
    default:
        return "unknown";
    }
}

/* --- requests ---------------------------------------------------------- */

void
ocsp_request_free(struct ocsp_request *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < OCSP_MAX_CERTIDS; i++) {
        pkix_buf_free(&r->ids[i].raw);
        pkix_buf_free(&r->ids[i].name_hash);
        pkix_buf_free(&r->ids[i].key_hash);
        pkix_buf_free(&r->ids[i].serial);
    }
    pkix_buf_free(&r->nonce);
    memset(r, 0, sizeof *r);
}

/*
 * Reads a value of at most max bytes at name into out. ASN1_ELEMENT_NOT_FOUND
 * passes through (absent OPTIONAL); a longer value is ASN1_MEM_ERROR.
 */
static int
read_bytes(asn1_node el, const char *name, size_t max, struct pkix_buf *out)
{
    int len = 0;
    int r = asn1_read_value(el, name, NULL, &len);
    if (r != ASN1_MEM_ERROR && r != ASN1_SUCCESS)
        return r;
    if (len < 0 || (size_t)len > max)
        return ASN1_MEM_ERROR;
    unsigned char *p = malloc(len > 0 ? (size_t)len : 1);
    if (p == NULL)
        return ASN1_MEM_ALLOC_ERROR;
    if ((r = asn1_read_value(el, name, p, &len)) != ASN1_SUCCESS) {
        free(p);
        return r;
    }
    pkix_buf_free(out);
    out->p = p;
    out->n = (size_t)len;
    return ASN1_SUCCESS;
}

static int
parse_certid(asn1_node el, const unsigned char *der, size_t len, int i, struct ocsp_certid *id,
             char **cause)
{
    char name[96], oid[128];
    snprintf(name, sizeof name, "tbsRequest.requestList.?%d.reqCert", i);
    int start = 0, end = -1;
    if (asn1_der_decoding_startEnd(el, der, (int)len, name, &start, &end) != ASN1_SUCCESS ||
        start < 0 || end < start || (size_t)end >= len)
        return cc_fail(cause, CC_EPARSE, "request %d: its CertID cannot be located", i);
    int rc = pkix_buf_set(&id->raw, der + start, (size_t)(end - start + 1));
    if (rc != CC_OK)
        return rc;
    char field[128];
    int olen = sizeof oid;
    snprintf(field, sizeof field, "%s.hashAlgorithm.algorithm", name);
    if (asn1_read_value(el, field, oid, &olen) != ASN1_SUCCESS)
        return cc_fail(cause, CC_EPARSE, "request %d: its CertID has no hash algorithm", i);
    gnutls_digest_algorithm_t dig = gnutls_oid_to_digest(oid);
    id->hash = 0;
    for (size_t k = 0; k < NDIGESTS; k++)
        if (certid_digests[k] == dig)
            id->hash = (int)dig;
    /*
     * Hashes and serials that cannot be this CA's are kept empty rather
     * than refused: such a CertID is answered (unauthorized, unknown), it
     * is not malformed.
     */
    static const char *const parts[] = {"issuerNameHash", "issuerKeyHash", "serialNumber"};
    struct pkix_buf *dst[] = {&id->name_hash, &id->key_hash, &id->serial};
    for (int k = 0; k < 3; k++) {
        snprintf(field, sizeof field, "%s.%s", name, parts[k]);
        int r = read_bytes(el, field, 64, dst[k]);
        if (r == ASN1_MEM_ERROR)
            pkix_buf_free(dst[k]);
        else if (r == ASN1_MEM_ALLOC_ERROR)
            return CC_ENOMEM;
        else if (r != ASN1_SUCCESS)
            return cc_fail(cause, CC_EPARSE, "request %d: its CertID has no %s", i, parts[k]);
    }
    return CC_OK;
}

/* The nonce extension's value, when it is an OCTET STRING of 1 to 32 octets. */
static int
parse_nonce(asn1_node el, struct ocsp_request *out, char **cause)
{
    int count = 0;
    if (asn1_number_of_elements(el, "tbsRequest.requestExtensions", &count) != ASN1_SUCCESS)
        return CC_OK; /* no extensions */
    if (count > 64)
        return cc_fail(cause, CC_EPARSE, "the request carries %d extensions", count);
    for (int i = 1; i <= count; i++) {
        char field[96], oid[128];
        int olen = sizeof oid;
        snprintf(field, sizeof field, "tbsRequest.requestExtensions.?%d.extnID", i);
        if (asn1_read_value(el, field, oid, &olen) != ASN1_SUCCESS)
            return cc_fail(cause, CC_EPARSE, "request extension %d has no identifier", i);
        if (strcmp(oid, OID_OCSP_NONCE) != 0)
            continue;
        if (out->has_nonce)
            return cc_fail(cause, CC_EPARSE, "the request carries two nonces");
        snprintf(field, sizeof field, "tbsRequest.requestExtensions.?%d.extnValue", i);
        struct pkix_buf v = {0};
        int r = read_bytes(el, field, 2 + NONCE_MAX, &v);
        if (r == ASN1_MEM_ALLOC_ERROR)
            return CC_ENOMEM;
        unsigned char tag;
        size_t n;
        long h = r == ASN1_SUCCESS ? pkix_tlv(v.p, v.n, &tag, &n) : -1;
        if (h > 0 && tag == 0x04 && (size_t)h + n == v.n && n >= 1 && n <= NONCE_MAX) {
            out->nonce = v;
            out->has_nonce = 1;
        } else {
            pkix_buf_free(&v);
        }
    }
    return CC_OK;
}

int
ocsp_request_parse(const void *der, size_t len, struct ocsp_request *out, char **cause)
{
    memset(out, 0, sizeof *out);
    if (der == NULL || len == 0)
        return cc_fail(cause, CC_EPARSE, "the OCSP request is empty");
    if (len > OCSP_MAX_REQUEST_SIZE)
        return cc_fail(cause, CC_EPARSE, "the OCSP request is %zu bytes; at most %d are taken", len,
                       OCSP_MAX_REQUEST_SIZE);
    unsigned char tag;
    size_t clen;
    long h = pkix_tlv(der, len, &tag, &clen);
    if (h < 0 || tag != 0x30 || (size_t)h + clen != len)
        return cc_fail(cause, CC_EPARSE, "the OCSP request is not one DER SEQUENCE");
    asn1_node el = NULL;
    int rc = pkix_element("CertconPKIX.OCSPRequest", &el, cause);
    if (rc != CC_OK)
        return rc;
    char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE] = "";
    int used = (int)len;
    int r = asn1_der_decoding2(&el, der, &used, ASN1_DECODE_FLAG_STRICT_DER, err);
    if (r != ASN1_SUCCESS || used != (int)len) {
        rc = cc_fail(cause, CC_EPARSE, "the OCSP request is not valid DER: %s",
                     *err ? err : asn1_strerror(r));
        goto out;
    }
    unsigned char v[8];
    int vlen = sizeof v;
    r = asn1_read_value(el, "tbsRequest.version", v, &vlen);
    if (r != ASN1_ELEMENT_NOT_FOUND && !(r == ASN1_SUCCESS && vlen == 1 && v[0] == 0)) {
        rc = cc_fail(cause, CC_EPARSE, "the OCSP request is not version 1");
        goto out;
    }
    int count = 0;
    if (asn1_number_of_elements(el, "tbsRequest.requestList", &count) != ASN1_SUCCESS ||
        count < 1) {
        rc = cc_fail(cause, CC_EPARSE, "the OCSP request asks about no certificate");
        goto out;
    }
    if (count > OCSP_MAX_CERTIDS) {
        rc = cc_fail(cause, CC_EPARSE,
                     "the OCSP request asks about %d certificates; at most %d are answered", count,
                     OCSP_MAX_CERTIDS);
        goto out;
    }
    for (int i = 1; i <= count && rc == CC_OK; i++)
        rc = parse_certid(el, der, len, i, &out->ids[i - 1], cause);
    out->n = (size_t)count;
    if (rc == CC_OK)
        rc = parse_nonce(el, out, cause);
out:
    asn1_delete_structure(&el);
    return rc;
}

/* --- DER helpers -------------------------------------------------------- */

static void
generalized_time(time_t t, char buf[16])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 16, "%Y%m%d%H%M%SZ", &tm);
}

/* The subjectPublicKey bits (without the unused-bits octet) of an SPKI. */
static int
spki_key_bits(const struct pkix_buf *spki, const unsigned char **p, size_t *n)
{
    unsigned char tag;
    size_t len, alen, blen;
    long h = pkix_tlv(spki->p, spki->n, &tag, &len);
    if (h < 0 || tag != 0x30)
        return CC_ECRYPTO;
    const unsigned char *c = spki->p + h;
    long ah = pkix_tlv(c, len, &tag, &alen);
    if (ah < 0 || tag != 0x30)
        return CC_ECRYPTO;
    c += (size_t)ah + alen;
    long bh = pkix_tlv(c, len - (size_t)ah - alen, &tag, &blen);
    if (bh < 0 || tag != 0x03 || blen < 1)
        return CC_ECRYPTO;
    *p = c + bh + 1;
    *n = blen - 1;
    return CC_OK;
}

/* The DER SubjectPublicKeyInfo of a certificate. */
static int
crt_spki(gnutls_x509_crt_t crt, struct pkix_buf *out, char **cause)
{
    gnutls_pubkey_t pub;
    gnutls_datum_t d = {NULL, 0};
    int err = gnutls_pubkey_init(&pub);
    if (err >= 0)
        err = gnutls_pubkey_import_x509(pub, crt, 0);
    if (err >= 0)
        err = gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &d);
    gnutls_pubkey_deinit(pub);
    if (err < 0)
        return cc_fail(cause, CC_ECRYPTO, "a public key cannot be read: %s", gnutls_strerror(err));
    int rc = pkix_buf_set(out, d.data, d.size);
    gnutls_free(d.data);
    return rc;
}

/* The signature algorithm for a key, as the CA picks its own. */
static gnutls_sign_algorithm_t
sign_for(gnutls_pk_algorithm_t pk, unsigned bits)
{
    switch (pk) {
    case GNUTLS_PK_RSA:
        return GNUTLS_SIGN_RSA_SHA256;
    case GNUTLS_PK_ECDSA:
        return bits > 384   ? GNUTLS_SIGN_ECDSA_SHA512
               : bits > 256 ? GNUTLS_SIGN_ECDSA_SHA384
                            : GNUTLS_SIGN_ECDSA_SHA256;
    case GNUTLS_PK_EDDSA_ED25519:
        return GNUTLS_SIGN_EDDSA_ED25519;
    default:
        return GNUTLS_SIGN_UNKNOWN;
    }
}

/* AlgorithmIdentifier DER of a signature algorithm (NULL parameters for RSA). */
static int
encode_sigalg(gnutls_sign_algorithm_t sign, struct pkix_buf *out, char **cause)
{
    const char *oid = gnutls_sign_get_oid(sign);
    if (oid == NULL)
        return cc_fail(cause, CC_ECRYPTO, "no OID for signature algorithm %d", (int)sign);
    asn1_node el;
    int rc = pkix_element("CertconPKIX.AlgorithmIdentifier", &el, cause);
    if (rc != CC_OK)
        return rc;
    static const unsigned char null_der[] = {0x05, 0x00};
    int rsa = gnutls_sign_get_pk_algorithm(sign) == GNUTLS_PK_RSA;
    if (asn1_write_value(el, "algorithm", oid, 1) != ASN1_SUCCESS ||
        asn1_write_value(el, "parameters", rsa ? null_der : NULL, rsa ? 2 : 0) != ASN1_SUCCESS)
        rc = cc_fail(cause, CC_ECRYPTO, "signature algorithm %s cannot be encoded", oid);
    else
        rc = pkix_der(el, NULL, out, cause);
    asn1_delete_structure(&el);
    return rc;
}

/* --- the responder ------------------------------------------------------ */

/*
 * What answers for one database (by path): the CA's hashes and periods and
 * the key that signs, with the change counter they were read at. They are
 * read again when the counter moves (a revocation is read per request and
 * needs no reload, but a new responder, signer or CA setting does) or when
 * the clock reaches the responder certificate's renewal time.
 */
struct responder {
    char *path;
    int ready;
    int64_t changes;
    double checked;              /* when the counter was last read (monotonic seconds) */
    time_t valid_from, renew_at; /* the signer may sign in [valid_from, renew_at) */
    /* the CA */
    struct pkix_buf ca_cert;
    unsigned char name_hash[NDIGESTS][64], key_hash[NDIGESTS][64];
    size_t hash_len[NDIGESTS];
    int64_t crl_period;
    time_t ca_not_after;
    /* the signer */
    enum ocsp_signer signer;
    struct authority *ca; /* OCSP_SIGNER_CA, or NULL */
    gnutls_privkey_t key; /* the responder's (owned) or the CA's (borrowed) */
    gnutls_sign_algorithm_t sign;
    struct pkix_buf sigalg;
    unsigned char key_id[20]; /* byKey: SHA-1 of the signer's public key bits */
    struct pkix_buf cert;     /* the responder certificate, sent in certs; empty for the CA */
    char serial[41];          /* the responder certificate's */
    struct responder *next;
};

static pthread_mutex_t responders_lock = PTHREAD_MUTEX_INITIALIZER;
static struct responder *responders;

static void
signer_drop(struct responder *r)
{
    if (r->ca == NULL && r->key != NULL)
        gnutls_privkey_deinit(r->key);
    r->key = NULL;
    authority_close(r->ca);
    r->ca = NULL;
    pkix_buf_free(&r->sigalg);
    pkix_buf_free(&r->cert);
    r->serial[0] = '\0';
    r->ready = 0;
}

static void
responder_free(struct responder *r)
{
    signer_drop(r);
    pkix_buf_free(&r->ca_cert);
    free(r->path);
    free(r);
}

void
ocsp_forget(void)
{
    pthread_mutex_lock(&responders_lock);
    while (responders != NULL) {
        struct responder *r = responders;
        responders = r->next;
        responder_free(r);
    }
    pthread_mutex_unlock(&responders_lock);
}

/* The responder of st's database (created empty); called with the lock held. */
static struct responder *
responder_for(struct store *st)
{
    const char *path = store_path(st);
    for (struct responder *r = responders; r; r = r->next)
        if (strcmp(r->path, path) == 0)
            return r;
    struct responder *r = calloc(1, sizeof *r);
    if (r == NULL || (r->path = strdup(path)) == NULL) {
        free(r);
        return NULL;
    }
    r->next = responders;
    responders = r;
    return r;
}

/* This process changed what signs: its next response reads the database again. */
static void
responders_stale(struct store *st)
{
    pthread_mutex_lock(&responders_lock);
    for (struct responder *r = responders; r; r = r->next)
        if (strcmp(r->path, store_path(st)) == 0)
            r->ready = 0;
    pthread_mutex_unlock(&responders_lock);
}

int
ocsp_signer_get(struct store *st, enum ocsp_signer *out)
{
    char *v = NULL;
    *out = OCSP_SIGNER_RESPONDER;
    int rc = store_meta_get(st, "ocsp_signer", &v);
    if (rc == CC_OK && strcmp(v, "ca") == 0)
        *out = OCSP_SIGNER_CA;
    free(v);
    return rc == CC_ENOTFOUND ? CC_OK : rc;
}

int
ocsp_signer_set(const struct cc_ctx *cx, const char *value, char **cause)
{
    struct store *st = cx->st;
    if (value == NULL || (strcmp(value, "ca") != 0 && strcmp(value, "responder") != 0))
        return cc_fail(cause, CC_EINVAL,
                       "ocsp-signer is 'responder' (a delegated OCSP Response Signing "
                       "certificate) or 'ca' (the CA key), not '%s'",
                       value ? value : "");
    struct authority_info info;
    int rc = authority_info_load(st, &info, cause);
    if (rc != CC_OK)
        return rc;
    authority_info_free(&info);
    if ((rc = authority_require(cx, CA_RIGHT_MANAGE, "change the CA's settings", cause)) != CC_OK)
        return rc;
    enum ocsp_signer old;
    if ((rc = ocsp_signer_get(st, &old)) != CC_OK)
        return cc_fail(cause, rc, "the OCSP signer setting cannot be read");
    if ((rc = store_begin(st, cause)) != CC_OK)
        return rc;
    rc = store_meta_set(st, "ocsp_signer", value, cause);
    if (rc == CC_OK)
        rc = audit_record(cx, "ca", "configuration", "ocsp-signer",
                          old == OCSP_SIGNER_CA ? "ca" : "responder", value, cause);
    if ((rc = store_finish(st, rc, cause)) == CC_OK)
        responders_stale(st);
    return rc;
}

/* "ca1.contoso.com": the CA host's dNSHostName, else host.domain, lower case. */
static char *
host_fqdn(struct store *st, const char *host, struct dir_principal *p)
{
    char *s = NULL;
    if (p->dns != NULL && *p->dns)
        s = cc_strdup(p->dns);
    if (s == NULL) {
        struct dir_domain dom = {0};
        s = dir_domain_get(st, &dom, NULL) == CC_OK ? cc_asprintf("%s.%s", host, dom.dns)
                                                    : cc_strdup(host);
        dir_domain_free(&dom);
    }
    for (char *c = s; c && *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    return s;
}

/* "CN=fqdn" as Name DER. */
static int
cn_name(const char *fqdn, struct pkix_buf *out, char **cause)
{
    gnutls_x509_dn_t dn;
    gnutls_datum_t d;
    const char *err = NULL;
    if (gnutls_x509_dn_init(&dn) < 0)
        return CC_ENOMEM;
    char *text = cc_asprintf("CN=%s", fqdn);
    int rc = CC_ENOMEM;
    if (text != NULL) {
        rc = cc_fail(cause, CC_EINVAL, "'%s' cannot be the responder's name", fqdn);
        if (gnutls_x509_dn_set_str(dn, text, &err) >= 0 &&
            gnutls_x509_dn_export2(dn, GNUTLS_X509_FMT_DER, &d) >= 0) {
            rc = pkix_buf_set(out, d.data, d.size);
            gnutls_free(d.data);
        }
    }
    free(text);
    gnutls_x509_dn_deinit(dn);
    return rc;
}

/* Records the responder certificate as an issued request of the CA host; in st's transaction. */
static int
record_responder(const struct cc_ctx *cx, const char *requester, int64_t requester_id,
                 const char *template_cn, const char *fqdn, const struct issue_result *res,
                 const struct pkix_buf *sealed, time_t now, char **cause)
{
    struct store *st = cx->st;
    struct store_stmt *q;
    char *dn = cc_asprintf("CN=%s", fqdn);
    int rc = dn ? store_prepare(st,
                                "INSERT INTO request (requester, requester_id, caller, template, "
                                "disposition, status, message, submitted, resolved, request_dn, "
                                "request_cn) VALUES (?, ?, ?, ?, 20, 0, 'Issued', ?, ?, ?, ?)",
                                &q, cause)
                : CC_ENOMEM;
    if (rc == CC_OK) {
        store_bind_text(q, 1, requester);
        if (requester_id > 0)
            store_bind_int64(q, 2, requester_id);
        store_bind_text(q, 3, cx->who_name);
        store_bind_text(q, 4, template_cn);
        store_bind_int64(q, 5, (int64_t)now);
        store_bind_int64(q, 6, (int64_t)now);
        store_bind_text(q, 7, dn);
        store_bind_text(q, 8, fqdn);
        rc = store_run(q, cause);
        store_finalize(q);
    }
    int64_t id = store_last_id(st);
    if (rc == CC_OK && (rc = store_prepare(st, "INSERT INTO serial_used (serial) VALUES (?)", &q,
                                           cause)) == CC_OK) {
        store_bind_text(q, 1, res->serial);
        rc = store_run(q, cause);
        store_finalize(q);
    }
    if (rc == CC_OK &&
        (rc = store_prepare(st,
                            "INSERT INTO certificate (request_id, serial, thumbprint, template, "
                            "subject, common_name, not_before, not_after, raw) VALUES "
                            "(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            &q, cause)) == CC_OK) {
        store_bind_int64(q, 1, id);
        store_bind_text(q, 2, res->serial);
        store_bind_text(q, 3, res->thumbprint);
        store_bind_text(q, 4, template_cn);
        store_bind_text(q, 5, dn);
        store_bind_text(q, 6, fqdn);
        store_bind_int64(q, 7, (int64_t)res->not_before);
        store_bind_int64(q, 8, (int64_t)res->not_after);
        store_bind_blob(q, 9, res->der.p, res->der.n);
        rc = store_run(q, cause);
        store_finalize(q);
    }
    if (rc == CC_OK &&
        (rc = store_prepare(st,
                            "INSERT INTO ocsp_responder (serial, pkcs8, created) VALUES (?, ?, ?)",
                            &q, cause)) == CC_OK) {
        store_bind_text(q, 1, res->serial);
        store_bind_blob(q, 2, sealed->p, sealed->n);
        store_bind_int64(q, 3, (int64_t)now);
        rc = store_run(q, cause);
        store_finalize(q);
    }
    /* a superseded responder's key signs nothing more: it is not kept */
    if (rc == CC_OK && (rc = store_prepare(st, "DELETE FROM ocsp_responder WHERE serial <> ?", &q,
                                           cause)) == CC_OK) {
        store_bind_text(q, 1, res->serial);
        rc = store_run(q, cause);
        store_finalize(q);
    }
    if (rc == CC_OK)
        rc = store_meta_set(st, "ocsp_responder", res->serial, cause);
    if (rc == CC_OK) {
        char *what = cc_asprintf("%s for %s (request %lld): the OCSP responder's signing "
                                 "certificate",
                                 template_cn, requester, (long long)id);
        rc = what ? audit_record(cx, "certificate", res->serial, "issue", NULL, what, cause)
                  : CC_ENOMEM;
        free(what);
    }
    free(dn);
    return rc;
}

static int responder_due(struct store *st, time_t now, int *due, char **cause);

/*
 * Issues a new responder certificate from the OCSP Response Signing
 * template for the CA host, with a new key sealed beside it, and makes it
 * the current one. The key and signature are made before the transaction.
 */
static int
responder_issue(const struct cc_ctx *cx, time_t now, char **cause)
{
    struct store *st = cx->st;
    struct template t = {0};
    struct authority *ca = NULL;
    struct issue_profile *prof = NULL;
    struct issue_names names = {0};
    struct issue_result res = {0};
    struct dir_principal host = {0};
    struct pkix_buf spki = {0}, sealed = {0};
    gnutls_x509_privkey_t xkey = NULL;
    gnutls_privkey_t pkey = NULL;
    gnutls_pubkey_t pub = NULL;
    gnutls_datum_t d = {NULL, 0};
    char *fqdn = NULL, *requester = NULL;
    unsigned char key_id[20];
    size_t key_id_len = sizeof key_id;
    int rc = template_load(st, RESPONDER_TEMPLATE, &t, cause);
    if (rc == CC_OK)
        rc = authority_open(st, NULL, &ca, cause);
    if (rc != CC_OK)
        goto out;
    int have_host = dir_lookup(st, ca->info.host, &host, NULL) == CC_OK;
    fqdn = host_fqdn(st, ca->info.host, &host);
    requester = have_host ? dir_qualified_name(st, &host) : cc_strdup(ca->info.host);
    if (fqdn == NULL || requester == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    /* the template decides the key, as for any enrollment: RSA 2048 unless it names another */
    rc = request_key_generate(template_default_key(&t), &xkey, cause);
    if (rc != CC_OK)
        goto out;
    int err = gnutls_privkey_init(&pkey);
    if (err >= 0)
        err = gnutls_privkey_import_x509(pkey, xkey, 0);
    if (err >= 0)
        err = gnutls_pubkey_init(&pub);
    if (err >= 0)
        err = gnutls_pubkey_import_privkey(pub, pkey, 0, 0);
    if (err >= 0)
        err = gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &d);
    if (err >= 0)
        err = gnutls_x509_privkey_get_key_id(xkey, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_len);
    if (err < 0) {
        rc = cc_fail(cause, CC_ECRYPTO, "the responder key: %s", gnutls_strerror(err));
        goto out;
    }
    if ((rc = pkix_buf_set(&spki, d.data, d.size)) != CC_OK ||
        (rc = cn_name(fqdn, &names.subject, cause)) != CC_OK ||
        (rc = strlist_add(&names.dns, fqdn)) != CC_OK ||
        (rc = issue_profile_build(st, ca, &t, &prof, cause)) != CC_OK ||
        (rc = issue_certificate(ca, prof, &names, &spki, gnutls_x509_privkey_get_pk_algorithm(xkey),
                                key_id, key_id_len, now, &res, cause)) != CC_OK ||
        (rc = certstore_key_seal(st, xkey, &sealed, cause)) != CC_OK)
        goto out;
    if ((rc = store_begin(st, cause)) != CC_OK)
        goto out;
    /* another process may have issued one since this one looked: then that one serves */
    int due = 1;
    rc = responder_due(st, now, &due, cause);
    if (rc == CC_OK && due)
        rc = record_responder(cx, requester, have_host ? host.id : 0, t.cn, fqdn, &res, &sealed,
                              now, cause);
    rc = store_finish(st, rc, cause);
out:
    if (rc != CC_OK && cause && *cause) {
        char *why = cc_asprintf("the OCSP responder certificate cannot be issued: %s", *cause);
        if (why) {
            free(*cause);
            *cause = why;
        }
    }
    gnutls_free(d.data);
    if (pub)
        gnutls_pubkey_deinit(pub);
    if (pkey)
        gnutls_privkey_deinit(pkey);
    if (xkey)
        gnutls_x509_privkey_deinit(xkey);
    if (sealed.p)
        gnutls_memset(sealed.p, 0, sealed.n);
    pkix_buf_free(&sealed);
    pkix_buf_free(&spki);
    issue_result_free(&res);
    issue_names_free(&names);
    issue_profile_free(prof);
    dir_principal_free(&host);
    authority_close(ca);
    template_free(&t);
    free(fqdn);
    free(requester);
    return rc;
}

/* The current responder certificate as the database has it. */
struct current {
    int found;
    char serial[41];
    struct pkix_buf cert, sealed;
    time_t not_before, not_after;
    int revoked;
};

static void
current_free(struct current *c)
{
    pkix_buf_free(&c->cert);
    if (c->sealed.p)
        gnutls_memset(c->sealed.p, 0, c->sealed.n);
    pkix_buf_free(&c->sealed);
}

static int
current_load(struct store *st, time_t now, struct current *c, char **cause)
{
    memset(c, 0, sizeof *c);
    char *serial = NULL;
    int rc = store_meta_get(st, "ocsp_responder", &serial);
    if (rc == CC_ENOTFOUND)
        return CC_OK;
    if (rc != CC_OK)
        return cc_fail(cause, rc, "the OCSP responder setting cannot be read");
    struct store_stmt *q;
    rc = store_prepare(st,
                       "SELECT c.raw, c.not_before, c.not_after, c.revoked_reason IS NOT NULL "
                       "AND c.revoked_effective <= ?, k.pkcs8 FROM certificate c "
                       "JOIN ocsp_responder k ON k.serial = c.serial WHERE c.serial = ?",
                       &q, cause);
    if (rc == CC_OK) {
        store_bind_int64(q, 1, (int64_t)now);
        store_bind_text(q, 2, serial);
        int step = store_step(q, cause);
        if (step == STORE_ROW) {
            size_t n, m;
            const void *p = store_col_blob(q, 0, &n), *k = store_col_blob(q, 4, &m);
            c->not_before = (time_t)store_col_int64(q, 1);
            c->not_after = (time_t)store_col_int64(q, 2);
            c->revoked = store_col_int(q, 3);
            snprintf(c->serial, sizeof c->serial, "%s", serial);
            if ((rc = pkix_buf_set(&c->cert, p, n)) == CC_OK)
                rc = pkix_buf_set(&c->sealed, k, m);
            c->found = rc == CC_OK;
        } else if (step != STORE_DONE) {
            rc = step;
        }
        store_finalize(q);
    }
    free(serial);
    return rc;
}

/* When a responder certificate is renewed: the template's renewal period before its end. */
static time_t
renewal_time(struct store *st, const struct current *c)
{
    struct template t = {0};
    int64_t renewal = 2 * PERIOD_DAY;
    if (template_load(st, RESPONDER_TEMPLATE, &t, NULL) == CC_OK)
        renewal = t.renewal;
    template_free(&t);
    /* a certificate cut short by the CA's end must not be renewed on every request */
    int64_t life = (int64_t)(c->not_after - c->not_before);
    if (renewal > life / 4)
        renewal = life / 4;
    return c->not_after - (time_t)renewal;
}

/* Whether the current responder certificate must be replaced at now. */
static int
responder_due(struct store *st, time_t now, int *due, char **cause)
{
    struct current c;
    int rc = current_load(st, now, &c, cause);
    if (rc == CC_OK)
        *due = !c.found || c.revoked || now < c.not_before || now >= renewal_time(st, &c);
    current_free(&c);
    return rc;
}

static int
signer_from_current(struct responder *r, const struct current *c, gnutls_x509_crt_t ca_crt,
                    struct store *st, char **cause)
{
    gnutls_x509_crt_t crt = NULL;
    gnutls_x509_privkey_t xkey = NULL;
    struct pkix_buf spki = {0};
    gnutls_datum_t d = {c->cert.p, (unsigned)c->cert.n};
    int rc = CC_OK, err;
    if ((err = gnutls_x509_crt_init(&crt)) < 0 ||
        (err = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER)) < 0) {
        rc = cc_fail(cause, CC_ECRYPTO, "the OCSP responder certificate %s cannot be read: %s",
                     c->serial, gnutls_strerror(err));
        goto out;
    }
    /* the signature only: dates are the lab clock's business, not the system's */
    unsigned verify = 0;
    if (gnutls_x509_crt_verify(crt, &ca_crt, 1,
                               GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                                   GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
                               &verify) < 0 ||
        verify != 0) {
        rc =
            cc_fail(cause, CC_ECRYPTO,
                    "the OCSP responder certificate %s was not signed by this CA's key", c->serial);
        goto out;
    }
    if ((rc = certstore_key_unseal(st, c->sealed.p, c->sealed.n, &xkey, cause)) != CC_OK ||
        (rc = crt_spki(crt, &spki, cause)) != CC_OK)
        goto out;
    unsigned bits = 0;
    gnutls_pk_algorithm_t pk =
        (gnutls_pk_algorithm_t)gnutls_x509_privkey_get_pk_algorithm2(xkey, &bits);
    gnutls_sign_algorithm_t sign = sign_for(pk, bits);
    const unsigned char *kp;
    size_t kn;
    if (sign == GNUTLS_SIGN_UNKNOWN || spki_key_bits(&spki, &kp, &kn) != CC_OK) {
        rc = cc_fail(cause, CC_ECRYPTO, "the OCSP responder key type is not supported");
        goto out;
    }
    signer_drop(r);
    if ((err = gnutls_privkey_init(&r->key)) < 0 ||
        (err = gnutls_privkey_import_x509(r->key, xkey, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE)) < 0) {
        rc = cc_fail(cause, CC_ECRYPTO, "the OCSP responder key: %s", gnutls_strerror(err));
        goto out;
    }
    xkey = NULL; /* r->key owns it */
    r->sign = sign;
    gnutls_hash_fast(GNUTLS_DIG_SHA1, kp, kn, r->key_id);
    snprintf(r->serial, sizeof r->serial, "%s", c->serial);
    if ((rc = encode_sigalg(sign, &r->sigalg, cause)) == CC_OK)
        rc = pkix_buf_set(&r->cert, c->cert.p, c->cert.n);
out:
    if (xkey)
        gnutls_x509_privkey_deinit(xkey);
    if (crt)
        gnutls_x509_crt_deinit(crt);
    pkix_buf_free(&spki);
    if (rc != CC_OK)
        signer_drop(r);
    return rc;
}

/* The CA's hashes for CertID matching, from its certificate. */
static int
ca_hashes(struct responder *r, gnutls_x509_crt_t crt, char **cause)
{
    gnutls_datum_t dn = {NULL, 0};
    struct pkix_buf spki = {0};
    const unsigned char *kp;
    size_t kn;
    int err = gnutls_x509_crt_get_raw_dn(crt, &dn);
    if (err < 0)
        return cc_fail(cause, CC_E_CA_NOT_READY, "the CA name: %s", gnutls_strerror(err));
    int rc = crt_spki(crt, &spki, cause);
    if (rc == CC_OK && spki_key_bits(&spki, &kp, &kn) != CC_OK)
        rc = cc_fail(cause, CC_E_CA_NOT_READY, "the CA public key cannot be read");
    for (size_t i = 0; rc == CC_OK && i < NDIGESTS; i++) {
        r->hash_len[i] = gnutls_hash_get_len(certid_digests[i]);
        if (gnutls_hash_fast(certid_digests[i], dn.data, dn.size, r->name_hash[i]) < 0 ||
            gnutls_hash_fast(certid_digests[i], kp, kn, r->key_hash[i]) < 0)
            rc = cc_fail(cause, CC_ECRYPTO, "hashing the CA name and key failed");
    }
    gnutls_free(dn.data);
    pkix_buf_free(&spki);
    return rc;
}

static double
monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Makes r ready to sign for st's database at now: reads the CA and the
 * signer setting again when the database changed, and issues a responder
 * certificate when none is current. With lazy, the change counter is read
 * at most once a second: reading it costs a fifth of a response with an
 * EC key, and what it guards (the signer setting, a responder another
 * process renewed) may take a second to be seen. Statuses are always read
 * afresh.
 */
static int
responder_sync(const struct cc_ctx *cx, struct responder *r, time_t now, int lazy, char **cause)
{
    struct store *st = cx->st;
    int in_time = now >= r->valid_from && now < r->renew_at;
    double mono = monotonic_seconds();
    if (lazy && r->ready && in_time && mono - r->checked < 1.0)
        return CC_OK;
    int64_t changes = 0;
    int rc = store_changes(st, &changes, cause);
    if (rc != CC_OK)
        return rc;
    if (r->ready && changes == r->changes && in_time) {
        r->checked = mono;
        return CC_OK;
    }
    r->ready = 0;
    struct authority_info info;
    if ((rc = authority_info_load(st, &info, cause)) != CC_OK)
        return rc;
    gnutls_x509_crt_t crt = NULL;
    gnutls_datum_t d = {info.cert.p, (unsigned)info.cert.n};
    int err;
    if ((err = gnutls_x509_crt_init(&crt)) < 0 ||
        (err = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER)) < 0) {
        rc = cc_fail(cause, CC_E_CA_NOT_READY, "the CA certificate is not usable: %s",
                     gnutls_strerror(err));
        goto out;
    }
    if (r->ca_cert.n != info.cert.n || memcmp(r->ca_cert.p, info.cert.p, info.cert.n) != 0) {
        signer_drop(r);
        if ((rc = ca_hashes(r, crt, cause)) != CC_OK ||
            (rc = pkix_buf_set(&r->ca_cert, info.cert.p, info.cert.n)) != CC_OK)
            goto out;
    }
    r->crl_period = info.crl_period > 0 ? info.crl_period : 7 * PERIOD_DAY;
    r->ca_not_after = info.not_after;
    /* an expired (or not yet valid) CA vouches for nothing, as it signs no CRL */
    if ((rc = authority_check_time(&info, now, cause)) != CC_OK)
        goto out;
    enum ocsp_signer signer;
    if ((rc = ocsp_signer_get(st, &signer)) != CC_OK) {
        rc = cc_fail(cause, rc, "the OCSP signer setting cannot be read");
        goto out;
    }
    if (signer != r->signer)
        signer_drop(r);
    r->signer = signer;
    if (signer == OCSP_SIGNER_CA) {
        if (r->ca == NULL) {
            signer_drop(r);
            if ((rc = authority_open(st, NULL, &r->ca, cause)) != CC_OK)
                goto out;
            const unsigned char *kp;
            size_t kn;
            struct pkix_buf spki = {0};
            rc = crt_spki(crt, &spki, cause);
            if (rc == CC_OK && spki_key_bits(&spki, &kp, &kn) == CC_OK)
                gnutls_hash_fast(GNUTLS_DIG_SHA1, kp, kn, r->key_id);
            pkix_buf_free(&spki);
            r->key = r->ca->key;
            r->sign = r->ca->sign;
            if (rc == CC_OK)
                rc = pkix_buf_set(&r->sigalg, r->ca->sigalg.p, r->ca->sigalg.n);
            if (rc != CC_OK)
                goto out;
        }
        r->valid_from = info.not_before;
        r->renew_at = info.not_after;
    } else {
        struct current c;
        if ((rc = current_load(st, now, &c, cause)) != CC_OK)
            goto out;
        time_t renew = c.found ? renewal_time(st, &c) : 0;
        if (!c.found || c.revoked || now < c.not_before || now >= renew) {
            char *why = NULL;
            int irc = responder_issue(cx, now, &why);
            if (irc == CC_OK) {
                current_free(&c);
                if ((rc = current_load(st, now, &c, cause)) == CC_OK && !c.found)
                    rc = cc_fail(cause, CC_EDB, "the new OCSP responder certificate is missing");
                renew = c.found ? renewal_time(st, &c) : 0;
            } else if (c.found && !c.revoked && now >= c.not_before && now < c.not_after) {
                /* the old certificate still serves; try again in an hour */
                renew = now + 3600 < c.not_after ? now + 3600 : c.not_after;
            } else {
                rc = irc;
                if (cause) {
                    free(*cause);
                    *cause = why;
                    why = NULL;
                }
            }
            free(why);
        }
        if (rc == CC_OK && (r->key == NULL || strcmp(r->serial, c.serial) != 0))
            rc = signer_from_current(r, &c, crt, st, cause);
        r->valid_from = c.not_before;
        r->renew_at = renew;
        current_free(&c);
        if (rc != CC_OK)
            goto out;
    }
    /* a renewal above moved the counter: read it after */
    if ((rc = store_changes(st, &r->changes, cause)) == CC_OK) {
        r->ready = 1;
        r->checked = monotonic_seconds();
    }
out:
    if (crt)
        gnutls_x509_crt_deinit(crt);
    authority_info_free(&info);
    return rc;
}

int
ocsp_responder_current(const struct cc_ctx *cx, struct pkix_buf *cert, char **cause)
{
    struct store *st = cx->st;
    pthread_mutex_lock(&responders_lock);
    struct responder *r = responder_for(st);
    int rc = r ? responder_sync(cx, r, ctx_now(cx), 0, cause) : CC_ENOMEM;
    if (rc == CC_OK && r->signer != OCSP_SIGNER_RESPONDER)
        rc = cc_fail(cause, CC_ESTATE, "responses are signed by the CA key (ocsp-signer ca)");
    if (rc == CC_OK)
        rc = pkix_buf_set(cert, r->cert.p, r->cert.n);
    pthread_mutex_unlock(&responders_lock);
    return rc;
}

int
ocsp_sign_raw(const struct cc_ctx *cx, const void *data, size_t n, unsigned count, char **cause)
{
    struct store *st = cx->st;
    pthread_mutex_lock(&responders_lock);
    struct responder *r = responder_for(st);
    int rc = r ? responder_sync(cx, r, ctx_now(cx), 0, cause) : CC_ENOMEM;
    for (unsigned i = 0; rc == CC_OK && i < count; i++) {
        gnutls_datum_t d = {(unsigned char *)data, (unsigned)n}, s = {NULL, 0};
        int err = gnutls_privkey_sign_data2(r->key, r->sign, 0, &d, &s);
        if (err < 0)
            rc = cc_fail(cause, CC_ECRYPTO, "signing: %s", gnutls_strerror(err));
        gnutls_free(s.data);
    }
    pthread_mutex_unlock(&responders_lock);
    return rc;
}

/* --- responses ---------------------------------------------------------- */

void
ocsp_answer_free(struct ocsp_answer *a)
{
    if (a == NULL)
        return;
    free(a->der);
    memset(a, 0, sizeof *a);
}

int
ocsp_answer_status(const struct ocsp_answer *a)
{
    /* SEQUENCE { ENUMERATED status, ... }: the status is the first value */
    unsigned char tag;
    size_t len, elen;
    long h = a && a->der ? pkix_tlv(a->der, a->len, &tag, &len) : -1;
    if (h < 0 || tag != 0x30)
        return -1;
    long eh = pkix_tlv(a->der + h, len, &tag, &elen);
    if (eh < 0 || tag != 0x0a || elen != 1)
        return -1;
    return a->der[h + eh];
}

/* An OCSPResponse without responseBytes. */
static int
error_response(int status, struct ocsp_answer *out)
{
    asn1_node el = NULL;
    struct pkix_buf der = {0};
    char num[4];
    snprintf(num, sizeof num, "%d", status);
    int rc = pkix_element("CertconPKIX.OCSPResponse", &el, NULL);
    if (rc == CC_OK) {
        if (asn1_write_value(el, "responseStatus", num, 0) != ASN1_SUCCESS ||
            asn1_write_value(el, "responseBytes", NULL, 0) != ASN1_SUCCESS)
            rc = CC_ECRYPTO;
        else
            rc = pkix_der(el, NULL, &der, NULL);
        asn1_delete_structure(&el);
    }
    if (rc != CC_OK)
        return rc;
    out->der = der.p;
    out->len = der.n;
    out->next_update = 0;
    return CC_OK;
}

/* What the database says about one serial. */
struct cert_status {
    int kind; /* 0 good, 1 revoked, 2 unknown */
    time_t when;
    int reason;
};

static int
lookup_status(struct store *st, const struct pkix_buf *serial, time_t now, struct cert_status *s,
              char **cause)
{
    memset(s, 0, sizeof *s);
    s->kind = 2;
    if (serial->n == 0)
        return CC_OK;
    char *hex = pkix_hex(serial->p, serial->n);
    if (hex == NULL)
        return CC_ENOMEM;
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT revoked_reason, revoked_effective FROM certificate "
                           "WHERE serial = ?",
                           &q, cause);
    if (rc == CC_OK) {
        store_bind_text(q, 1, hex);
        int step = store_step(q, cause);
        if (step == STORE_ROW) {
            s->kind = 0;
            if (!store_col_null(q, 0) && store_col_int64(q, 1) <= (int64_t)now) {
                s->kind = 1;
                s->reason = store_col_int(q, 0);
                s->when = (time_t)store_col_int64(q, 1);
            }
        } else if (step != STORE_DONE) {
            rc = step;
        }
        store_finalize(q);
    }
    /* a certificate of a do-not-store template keeps only its serial: never revoked */
    if (rc == CC_OK && s->kind == 2 &&
        (rc = store_prepare(st, "SELECT 1 FROM serial_used WHERE serial = ?", &q, cause)) ==
            CC_OK) {
        store_bind_text(q, 1, hex);
        int step = store_step(q, cause);
        if (step == STORE_ROW)
            s->kind = 0;
        else if (step != STORE_DONE)
            rc = step;
        store_finalize(q);
    }
    free(hex);
    return rc;
}

/* Whether a CertID names this CA as issuer. */
static int
certid_ours(const struct responder *r, const struct ocsp_certid *id)
{
    for (size_t i = 0; i < NDIGESTS; i++)
        if ((int)certid_digests[i] == id->hash && id->name_hash.n == r->hash_len[i] &&
            id->key_hash.n == r->hash_len[i] &&
            memcmp(id->name_hash.p, r->name_hash[i], r->hash_len[i]) == 0 &&
            memcmp(id->key_hash.p, r->key_hash[i], r->hash_len[i]) == 0)
            return 1;
    return 0;
}

/* Writes one SingleResponse at responses.?LAST. */
static int
write_single(asn1_node el, const struct ocsp_certid *id, const struct cert_status *s,
             const char *this_update, const char *next_update)
{
    static const char *const kinds[] = {"good", "revoked", "unknown"};
    char when[16], num[4];
    int ok =
        asn1_write_value(el, "responses", "NEW", 1) == ASN1_SUCCESS &&
        asn1_write_value(el, "responses.?LAST.certID", id->raw.p, (int)id->raw.n) == ASN1_SUCCESS &&
        asn1_write_value(el, "responses.?LAST.certStatus", kinds[s->kind], 1) == ASN1_SUCCESS &&
        asn1_write_value(el, "responses.?LAST.thisUpdate", this_update, 1) == ASN1_SUCCESS &&
        asn1_write_value(el, "responses.?LAST.nextUpdate", next_update, 1) == ASN1_SUCCESS &&
        asn1_write_value(el, "responses.?LAST.singleExtensions", NULL, 0) == ASN1_SUCCESS;
    if (ok && s->kind == 1) {
        generalized_time(s->when, when);
        /* unspecified (0) is left out, as on the CRL (RFC 5280 5.3.1) */
        snprintf(num, sizeof num, "%d", s->reason);
        int reason = s->reason > 0 && s->reason <= 10 && s->reason != 7;
        ok = asn1_write_value(el, "responses.?LAST.certStatus.revoked.revocationTime", when, 1) ==
                 ASN1_SUCCESS &&
             asn1_write_value(el, "responses.?LAST.certStatus.revoked.revocationReason",
                              reason ? num : NULL, 0) == ASN1_SUCCESS;
    }
    return ok ? CC_OK : CC_ECRYPTO;
}

/* The signed BasicOCSPResponse, wrapped in a successful OCSPResponse. */
static int
build_response(struct responder *r, const struct ocsp_request *q, const struct cert_status *status,
               time_t now, struct ocsp_answer *out, char **cause)
{
    char produced[16], next[16];
    time_t next_update = now + (time_t)r->crl_period;
    if (next_update > r->ca_not_after)
        next_update = r->ca_not_after;
    generalized_time(now, produced);
    generalized_time(next_update, next);
    struct pkix_buf tbs = {0}, exts = {0}, sig = {0}, basic = {0}, der = {0};
    asn1_node el = NULL;
    int rc = pkix_element("CertconPKIX.OCSPResponseData", &el, cause);
    if (rc == CC_OK && q->has_nonce) {
        struct pkix_buf ext = {0};
        rc = pkix_extension(OID_OCSP_NONCE, 0, q->nonce.p, q->nonce.n, &ext, cause);
        if (rc == CC_OK)
            rc = pkix_wrap(&exts, 0x30, ext.p, ext.n);
        pkix_buf_free(&ext);
    }
    if (rc == CC_OK &&
        (asn1_write_value(el, "version", NULL, 0) != ASN1_SUCCESS ||
         asn1_write_value(el, "responderID", "byKey", 1) != ASN1_SUCCESS ||
         asn1_write_value(el, "responderID.byKey", r->key_id, sizeof r->key_id) != ASN1_SUCCESS ||
         asn1_write_value(el, "producedAt", produced, 1) != ASN1_SUCCESS ||
         asn1_write_value(el, "responseExtensions", exts.n ? exts.p : NULL, (int)exts.n) !=
             ASN1_SUCCESS))
        rc = cc_fail(cause, CC_ECRYPTO, "the OCSP response cannot be encoded");
    for (size_t i = 0; rc == CC_OK && i < q->n; i++)
        if (write_single(el, &q->ids[i], &status[i], produced, next) != CC_OK)
            rc = cc_fail(cause, CC_ECRYPTO, "the OCSP response cannot be encoded");
    if (rc == CC_OK)
        rc = pkix_der(el, NULL, &tbs, cause);
    asn1_delete_structure(&el);
    if (rc == CC_OK && r->ca != NULL) {
        /* the CA's own signing path, a key in a token included */
        rc = authority_sign(r->ca, tbs.p, tbs.n, &sig, cause);
    } else if (rc == CC_OK) {
        gnutls_datum_t d = {tbs.p, (unsigned)tbs.n}, s = {NULL, 0};
        int err = gnutls_privkey_sign_data2(r->key, r->sign, 0, &d, &s);
        rc = err < 0
                 ? cc_fail(cause, CC_ECRYPTO, "signing the OCSP response: %s", gnutls_strerror(err))
                 : pkix_buf_set(&sig, s.data, s.size);
        gnutls_free(s.data);
    }
    if (rc == CC_OK && (rc = pkix_element("CertconPKIX.BasicOCSPResponse", &el, cause)) == CC_OK) {
        int ok = asn1_write_value(el, "tbsResponseData", tbs.p, (int)tbs.n) == ASN1_SUCCESS &&
                 asn1_write_value(el, "signatureAlgorithm", r->sigalg.p, (int)r->sigalg.n) ==
                     ASN1_SUCCESS &&
                 asn1_write_value(el, "signature", sig.p, (int)sig.n * 8) == ASN1_SUCCESS;
        if (ok && r->cert.n)
            ok = asn1_write_value(el, "certs", "NEW", 1) == ASN1_SUCCESS &&
                 asn1_write_value(el, "certs.?LAST", r->cert.p, (int)r->cert.n) == ASN1_SUCCESS;
        else if (ok)
            ok = asn1_write_value(el, "certs", NULL, 0) == ASN1_SUCCESS;
        rc = ok ? pkix_der(el, NULL, &basic, cause)
                : cc_fail(cause, CC_ECRYPTO, "the OCSP response cannot be encoded");
        asn1_delete_structure(&el);
    }
    if (rc == CC_OK && (rc = pkix_element("CertconPKIX.OCSPResponse", &el, cause)) == CC_OK) {
        int ok =
            asn1_write_value(el, "responseStatus", "0", 0) == ASN1_SUCCESS &&
            asn1_write_value(el, "responseBytes.responseType", OID_OCSP_BASIC, 1) == ASN1_SUCCESS &&
            asn1_write_value(el, "responseBytes.response", basic.p, (int)basic.n) == ASN1_SUCCESS;
        rc = ok ? pkix_der(el, NULL, &der, cause)
                : cc_fail(cause, CC_ECRYPTO, "the OCSP response cannot be encoded");
        asn1_delete_structure(&el);
    }
    if (rc == CC_OK) {
        out->der = der.p;
        out->len = der.n;
        out->next_update = next_update;
    } else {
        pkix_buf_free(&der);
    }
    pkix_buf_free(&tbs);
    pkix_buf_free(&exts);
    pkix_buf_free(&sig);
    pkix_buf_free(&basic);
    return rc;
}

int
ocsp_respond(const struct cc_ctx *cx, const void *req, size_t len, struct ocsp_answer *out,
             char **cause)
{
    struct store *st = cx->st;
    memset(out, 0, sizeof *out);
    struct ocsp_request q;
    char *why = NULL;
    int status = OCSP_SUCCESSFUL;
    if (ocsp_request_parse(req, len, &q, &why) != CC_OK) {
        ocsp_request_free(&q);
        status = OCSP_MALFORMED_REQUEST;
        goto error;
    }
    time_t now = ctx_now(cx);
    pthread_mutex_lock(&responders_lock);
    struct responder *r = responder_for(st);
    int rc = r ? responder_sync(cx, r, now, 1, &why) : CC_ENOMEM;
    struct cert_status s[OCSP_MAX_CERTIDS];
    for (size_t i = 0; rc == CC_OK && i < q.n; i++) {
        if (!certid_ours(r, &q.ids[i])) {
            char *hex = pkix_hex(q.ids[i].serial.p, q.ids[i].serial.n);
            free(why);
            why = cc_asprintf("certificate %s was not issued by this CA (its CertID names "
                              "another issuer name or key, or a hash other than SHA-1 or SHA-2)",
                              hex ? hex : "?");
            free(hex);
            status = OCSP_UNAUTHORIZED;
            break;
        }
        rc = lookup_status(st, &q.ids[i].serial, now, &s[i], &why);
    }
    if (rc == CC_OK && status == OCSP_SUCCESSFUL)
        rc = build_response(r, &q, s, now, out, &why);
    pthread_mutex_unlock(&responders_lock);
    ocsp_request_free(&q);
    if (rc == CC_OK && status == OCSP_SUCCESSFUL) {
        free(why);
        return CC_OK;
    }
    if (rc != CC_OK)
        status = OCSP_INTERNAL_ERROR;
error:
    rc = error_response(status, out);
    if (cause) {
        free(*cause);
        *cause = why;
    } else {
        free(why);
    }
    return rc;
}
