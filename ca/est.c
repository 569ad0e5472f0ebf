/*
 * EST (RFC 7030) on the CA database: enrollment secrets, and the four
 * operations (cacerts, simpleenroll, simplereenroll, csrattrs) under
 * /.well-known/est/ and /.well-known/est/<template>/. See est.h.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/pkcs7.h>
#include <gnutls/x509.h>
#include <libtasn1.h>

#include "audit.h"
#include "authority.h"
#include "cadb.h"
#include "clock.h"
#include "context.h"
#include "directory.h"
#include "est.h"
#include "pkix.h"
#include "status.h"
#include "template.h"
#include "util.h"

/* PBKDF2-SHA256 over the secret: enough rounds that a stolen database does not give it away. */
#define EST_ROUNDS       100000
#define EST_SALT_LEN     16
#define EST_HASH_LEN     32
#define EST_SECRET_BYTES 16

/* The Retry-After of a request waiting for a certificate manager. */
#define EST_RETRY_AFTER 60

static const char PKCS7_TYPE[] = "application/pkcs7-mime; smime-type=certs-only";
static const char TEXT_TYPE[] = "text/plain; charset=utf-8";

/* ---------------- enrollment secrets ---------------- */

static int
secret_hash(const char *secret, const void *salt, size_t salt_len, unsigned rounds,
            unsigned char out[EST_HASH_LEN], char **cause)
{
    gnutls_datum_t key = {(unsigned char *)secret, (unsigned)strlen(secret)};
    gnutls_datum_t s = {(unsigned char *)salt, (unsigned)salt_len};
    int err = gnutls_pbkdf2(GNUTLS_MAC_SHA256, &key, &s, rounds, out, EST_HASH_LEN);
    if (err < 0)
        return cc_fail(cause, CC_ECRYPTO, "hashing the enrollment secret: %s",
                       gnutls_strerror(err));
    return CC_OK;
}

/* A user or computer account (groups do not enroll). */
static int
lookup_account(struct store *st, const char *name, struct dir_principal *p, char **cause)
{
    int rc = dir_lookup(st, name, p, cause);
    if (rc != CC_OK)
        return rc;
    if (p->kind != DIR_USER && p->kind != DIR_COMPUTER) {
        rc = cc_fail(cause, CC_EINVAL,
                     "%s is a group: an EST enrollment secret belongs to a user or computer",
                     p->name);
        dir_principal_free(p);
    }
    return rc;
}

int
est_secret_issue(const struct cc_ctx *cx, const char *principal, int64_t valid, char **secret,
                 time_t *expires, char **cause)
{
    struct store *st = cx->st;
    *secret = NULL;
    if (valid < PERIOD_HOUR)
        return cc_fail(cause, CC_EINVAL, "an enrollment secret is valid for at least one hour");
    if (valid > PERIOD_YEAR)
        return cc_fail(cause, CC_EINVAL,
                       "an enrollment secret is valid for at most a year (365d): issue a new "
                       "one when it runs out");
    struct dir_principal p = {0};
    int rc = lookup_account(st, principal, &p, cause);
    if (rc != CC_OK)
        return rc;
    if ((rc = authority_require(cx, CA_RIGHT_MANAGE, "issue an EST enrollment secret", cause)) !=
        CC_OK) {
        dir_principal_free(&p);
        return rc;
    }
    unsigned char raw[EST_SECRET_BYTES], salt[EST_SALT_LEN], hash[EST_HASH_LEN];
    char *text = NULL, *who = dir_qualified_name(st, &p), *what = NULL;
    struct store_stmt *del = NULL, *ins = NULL;
    time_t now = ctx_now(cx), until = now + (time_t)valid;
    if (gnutls_rnd(GNUTLS_RND_KEY, raw, sizeof raw) < 0 ||
        gnutls_rnd(GNUTLS_RND_NONCE, salt, sizeof salt) < 0) {
        rc = cc_fail(cause, CC_ECRYPTO, "the system's random generator failed");
        goto out;
    }
    if ((text = pkix_hex(raw, sizeof raw)) == NULL || who == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    if ((rc = secret_hash(text, salt, sizeof salt, EST_ROUNDS, hash, cause)) != CC_OK)
        goto out;
    char when[32];
    cc_time_format(until, when, sizeof when);
    if ((what = cc_asprintf("issued, valid until %s", when)) == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    if ((rc = store_prepare(st, "DELETE FROM est_secret WHERE principal_id = ?", &del, cause)) !=
            CC_OK ||
        (rc = store_prepare(st,
                            "INSERT INTO est_secret (principal_id, salt, hash, rounds, created, "
                            "expires) VALUES (?, ?, ?, ?, ?, ?)",
                            &ins, cause)) != CC_OK)
        goto out;
    store_bind_int64(del, 1, p.id);
    store_bind_int64(ins, 1, p.id);
    store_bind_blob(ins, 2, salt, sizeof salt);
    store_bind_blob(ins, 3, hash, sizeof hash);
    store_bind_int(ins, 4, EST_ROUNDS);
    store_bind_int64(ins, 5, (int64_t)now);
    store_bind_int64(ins, 6, (int64_t)until);
    if ((rc = store_begin(st, cause)) != CC_OK)
        goto out;
    rc = store_run(del, cause);
    if (rc == CC_OK)
        rc = store_run(ins, cause);
    if (rc == CC_OK)
        rc = audit_record(cx, "est", who, "enrollment secret", NULL, what, cause);
    rc = store_finish(st, rc, cause);
    if (rc == CC_OK) {
        *secret = text;
        text = NULL;
        if (expires)
            *expires = until;
    }
out:
    gnutls_memset(raw, 0, sizeof raw);
    if (text)
        gnutls_memset(text, 0, strlen(text));
    free(text);
    free(who);
    free(what);
    store_finalize(del);
    store_finalize(ins);
    dir_principal_free(&p);
    return rc;
}

int
est_secret_revoke(const struct cc_ctx *cx, const char *principal, char **cause)
{
    struct store *st = cx->st;
    struct dir_principal p = {0};
    int rc = lookup_account(st, principal, &p, cause);
    if (rc != CC_OK)
        return rc;
    char *who = dir_qualified_name(st, &p);
    struct store_stmt *q = NULL;
    if ((rc = authority_require(cx, CA_RIGHT_MANAGE, "revoke an EST enrollment secret", cause)) !=
        CC_OK)
        goto out;
    if (who == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    if ((rc = store_prepare(st, "DELETE FROM est_secret WHERE principal_id = ?", &q, cause)) !=
        CC_OK)
        goto out;
    store_bind_int64(q, 1, p.id);
    if ((rc = store_begin(st, cause)) != CC_OK)
        goto out;
    rc = store_run(q, cause);
    if (rc == CC_OK && store_rows_changed(st) == 0)
        rc = cc_fail(cause, CC_ENOTFOUND, "%s has no EST enrollment secret", who);
    if (rc == CC_OK)
        rc = audit_record(cx, "est", who, "enrollment secret", "issued", "revoked", cause);
    rc = store_finish(st, rc, cause);
out:
    store_finalize(q);
    free(who);
    dir_principal_free(&p);
    return rc;
}

/* CC_OK when secret is p's and still valid; CC_EACCES with the reason otherwise. */
static int
secret_verify(const struct cc_ctx *cx, const struct dir_principal *p, const char *who,
              const char *secret, char **cause)
{
    struct store *st = cx->st;
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT salt, hash, rounds, expires FROM est_secret WHERE "
                           "principal_id = ?",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, p->id);
    int step = store_step(q, cause);
    if (step != STORE_ROW) {
        store_finalize(q);
        if (step != STORE_DONE)
            return step;
        return cc_fail(cause, CC_EACCES,
                       "%s has no EST enrollment secret (a CA Administrator issues one: "
                       "certcon est secret --for %s)",
                       who, p->name);
    }
    size_t salt_len = 0, hash_len = 0;
    const void *salt = store_col_blob(q, 0, &salt_len);
    const unsigned char *hash = store_col_blob(q, 1, &hash_len);
    int rounds = store_col_int(q, 2);
    time_t expires = (time_t)store_col_int64(q, 3);
    unsigned char got[EST_HASH_LEN];
    if (ctx_now(cx) >= expires) {
        char when[32];
        cc_time_format(expires, when, sizeof when);
        rc = cc_fail(cause, CC_EACCES,
                     "the EST enrollment secret of %s expired on %s: a CA Administrator "
                     "issues a new one",
                     who, when);
    } else if (hash_len != EST_HASH_LEN || rounds < 1) {
        rc = cc_fail(cause, CC_EACCES, "the EST enrollment secret of %s is damaged", who);
    } else if ((rc = secret_hash(secret, salt, salt_len, (unsigned)rounds, got, cause)) == CC_OK) {
        unsigned char diff = 0;
        for (size_t i = 0; i < EST_HASH_LEN; i++)
            diff |= (unsigned char)(got[i] ^ hash[i]);
        if (diff != 0)
            rc = cc_fail(cause, CC_EACCES, "the EST enrollment secret given for %s is wrong", who);
    }
    store_finalize(q);
    return rc;
}

/* ---------------- the default template ---------------- */

int
est_default_set(const struct cc_ctx *cx, const char *template_name, char **cause)
{
    struct store *st = cx->st;
    struct template t = {0};
    int have = *template_name != '\0';
    int rc = have ? template_load(st, template_name, &t, cause) : CC_OK;
    if (rc != CC_OK)
        return rc;
    if ((rc = authority_require(cx, CA_RIGHT_MANAGE, "change the CA's settings", cause)) != CC_OK) {
        template_free(&t);
        return rc;
    }
    const char *cn = have ? t.cn : "";
    struct store_stmt *q;
    rc = store_prepare(st, "UPDATE ca SET est_default = ? WHERE id = 1", &q, cause);
    if (rc == CC_OK) {
        store_bind_text(q, 1, cn);
        if ((rc = store_begin(st, cause)) == CC_OK) {
            rc = store_run(q, cause);
            if (rc == CC_OK)
                rc = audit_record(cx, "ca", "configuration", "est-default", NULL, cn, cause);
            rc = store_finish(st, rc, cause);
        }
        store_finalize(q);
    }
    template_free(&t);
    return rc;
}

/* The CA's EST default template (allocated; "" when none). */
static int
default_template(struct store *st, char **out, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st, "SELECT est_default FROM ca WHERE id = 1", &q, cause);
    if (rc != CC_OK)
        return rc;
    int step = store_step(q, cause);
    if (step == STORE_ROW) {
        const char *v = store_col_text(q, 0);
        *out = cc_strdup(v ? v : "");
        rc = *out ? CC_OK : CC_ENOMEM;
    } else {
        rc = step == STORE_DONE ? cc_fail(cause, CC_ENOTFOUND, "this database has no CA") : step;
    }
    store_finalize(q);
    return rc;
}

/* ---------------- responses ---------------- */

void
est_response_free(struct est_response *r)
{
    pkix_buf_free(&r->body);
}

static void reply_text(struct est_response *r, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
reply_text(struct est_response *r, unsigned status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = NULL;
    if (vasprintf(&text, fmt, ap) < 0)
        text = NULL;
    va_end(ap);
    pkix_buf_free(&r->body);
    r->status = status;
    r->type = TEXT_TYPE;
    r->base64 = 0;
    if (text) {
        pkix_buf_set(&r->body, text, strlen(text));
        pkix_buf_append(&r->body, "\n", 1);
    }
    free(text);
}

/*
 * der as base64 (RFC 7030 answers are base64, not PEM), on one line:
 * strongSwan's pki decodes the body whole and takes no line breaks.
 */
static int
reply_base64(struct est_response *r, unsigned status, const char *type, const void *der, size_t n)
{
    gnutls_datum_t in = {(unsigned char *)der, (unsigned)n}, out = {NULL, 0};
    if (gnutls_base64_encode2(&in, &out) < 0)
        return CC_ENOMEM;
    pkix_buf_free(&r->body);
    int rc = CC_OK;
    for (size_t i = 0; i < out.size && rc == CC_OK; i++)
        if (out.data[i] != '\n' && out.data[i] != '\r')
            rc = pkix_buf_append(&r->body, out.data + i, 1);
    gnutls_free(out.data);
    r->status = status;
    r->type = type;
    r->base64 = 1;
    return rc;
}

/* A PKCS #7 certs-only of the n DER certificates, base64. */
static int
reply_certs(struct est_response *r, const struct pkix_buf *certs, size_t n, char **cause)
{
    gnutls_pkcs7_t p7;
    int err = gnutls_pkcs7_init(&p7);
    if (err < 0)
        return cc_fail(cause, CC_ENOMEM, "PKCS #7: %s", gnutls_strerror(err));
    for (size_t i = 0; i < n && err >= 0; i++) {
        gnutls_datum_t d = {certs[i].p, (unsigned)certs[i].n};
        err = gnutls_pkcs7_set_crt_raw(p7, &d);
    }
    gnutls_datum_t der = {NULL, 0};
    if (err >= 0)
        err = gnutls_pkcs7_export2(p7, GNUTLS_X509_FMT_DER, &der);
    gnutls_pkcs7_deinit(p7);
    if (err < 0)
        return cc_fail(cause, CC_ECRYPTO, "PKCS #7: %s", gnutls_strerror(err));
    int rc = reply_base64(r, 200, PKCS7_TYPE, der.data, der.size);
    gnutls_free(der.data);
    return rc;
}

/* ---------------- the operations ---------------- */

/* What one request is about: the operation and its template. */
struct est_call {
    struct store *st;
    const struct cc_ctx *cx; /* the HTTP side's: nobody in particular */
    struct cc_ctx as;        /* the account the request proved, once it has (as.st set) */
    const struct est_request *q;
    struct est_response *r;
    const char *op;
    char *template_cn; /* NULL: none (cacerts needs none) */
};

/* The context the call acts in: the account it proved, or nobody's yet. */
static const struct cc_ctx *
call_cx(const struct est_call *c)
{
    return c->as.st != NULL ? &c->as : c->cx;
}

/* From here on the call acts, is refused and is audited as account id named who. */
static int
call_as(struct est_call *c, int64_t id, const char *who)
{
    ctx_free(&c->as);
    return ctx_init_as(&c->as, c->cx, id, who);
}

static int
op_cacerts(struct est_call *c, char **cause)
{
    struct authority_info ca;
    int rc = authority_info_load(c->st, &ca, cause);
    if (rc != CC_OK)
        return rc;
    rc = reply_certs(c->r, &ca.cert, 1, cause);
    authority_info_free(&ca);
    return rc;
}

/* Appends an OID's DER content to an AttrOrOID list element. */
static int
csrattrs_add_oid(asn1_node el, const char *oid)
{
    if (asn1_write_value(el, "", "NEW", 1) != ASN1_SUCCESS ||
        asn1_write_value(el, "?LAST", "oid", 1) != ASN1_SUCCESS ||
        asn1_write_value(el, "?LAST.oid", oid, 1) != ASN1_SUCCESS)
        return CC_ECRYPTO;
    return CC_OK;
}

/* An attribute type with one value (DER) to an AttrOrOID list. */
static int
csrattrs_add_attr(asn1_node el, const char *type, const void *value, size_t n)
{
    if (asn1_write_value(el, "", "NEW", 1) != ASN1_SUCCESS ||
        asn1_write_value(el, "?LAST", "attribute", 1) != ASN1_SUCCESS ||
        asn1_write_value(el, "?LAST.attribute.type", type, 1) != ASN1_SUCCESS ||
        asn1_write_value(el, "?LAST.attribute.values", "NEW", 1) != ASN1_SUCCESS ||
        asn1_write_value(el, "?LAST.attribute.values.?LAST", value, (int)n) != ASN1_SUCCESS)
        return CC_ECRYPTO;
    return CC_OK;
}

/*
 * /csrattrs: the key the template wants (RFC 7030 4.5.2). An algorithm it
 * names: id-ecPublicKey with the curve, or rsaEncryption with the minimum
 * size as an INTEGER value; otherwise RSA of the minimum key size. 204 when
 * the template asks nothing of the key.
 */
static int
op_csrattrs(struct est_call *c, char **cause)
{
    struct template t = {0};
    int rc = template_load(c->st, c->template_cn, &t, cause);
    if (rc != CC_OK)
        return rc;
    int family = TEMPLATE_KEY_RSA;
    unsigned bits = t.min_key_size;
    const char *alg = template_algorithm(&t);
    if (alg != NULL && *alg != '\0') {
        unsigned curve = 0;
        if (template_algorithm_key(alg, &family, &curve) != CC_OK)
            family = TEMPLATE_KEY_ANY;
        else if (family == TEMPLATE_KEY_EC)
            bits = curve;
    }
    asn1_node el = NULL;
    struct pkix_buf der = {0};
    if (bits == 0 && family != TEMPLATE_KEY_ED25519) {
        template_free(&t);
        c->r->status = 204;
        c->r->type = TEXT_TYPE;
        return CC_OK;
    }
    if ((rc = pkix_element("CertconPKIX.CsrAttrs", &el, cause)) != CC_OK)
        goto out;
    if (family == TEMPLATE_KEY_EC) {
        const char *curve = bits <= 256   ? "1.2.840.10045.3.1.7"
                            : bits <= 384 ? "1.3.132.0.34"
                                          : "1.3.132.0.35";
        /* the value is the curve's OID, DER (06 len content) */
        unsigned char tmp[32];
        int len = sizeof tmp;
        rc = asn1_object_id_der(curve, tmp, &len, 0) == ASN1_SUCCESS ? CC_OK : CC_ECRYPTO;
        if (rc == CC_OK)
            rc = csrattrs_add_attr(el, "1.2.840.10045.2.1", tmp, (size_t)len);
    } else if (family == TEMPLATE_KEY_ED25519) {
        rc = csrattrs_add_oid(el, "1.3.101.112");
    } else {
        unsigned char v[8];
        size_t n = 0;
        /* INTEGER bits: 02 len big-endian, a leading zero when the top bit is set */
        unsigned char b[4] = {(unsigned char)(bits >> 24), (unsigned char)(bits >> 16),
                              (unsigned char)(bits >> 8), (unsigned char)bits};
        size_t skip = 0;
        while (skip < 3 && b[skip] == 0 && !(b[skip + 1] & 0x80))
            skip++;
        v[n++] = 0x02;
        v[n++] = (unsigned char)(4 - skip + ((b[skip] & 0x80) ? 1 : 0));
        if (b[skip] & 0x80)
            v[n++] = 0;
        memcpy(v + n, b + skip, 4 - skip);
        n += 4 - skip;
        rc = csrattrs_add_attr(el, "1.2.840.113549.1.1.1", v, n);
    }
    /* the signature the CA expects on the request */
    if (rc == CC_OK)
        rc = csrattrs_add_oid(el, family == TEMPLATE_KEY_EC && bits > 256 ? "1.2.840.10045.4.3.3"
                                  : family == TEMPLATE_KEY_EC             ? "1.2.840.10045.4.3.2"
                                  : family == TEMPLATE_KEY_ED25519        ? "1.3.101.112"
                                                                   : "1.2.840.113549.1.1.11");
    if (rc != CC_OK) {
        rc = cc_fail(cause, rc, "encoding the CSR attributes of %s", t.cn);
        goto out;
    }
    if ((rc = pkix_der(el, NULL, &der, cause)) == CC_OK)
        rc = reply_base64(c->r, 200, "application/csrattrs", der.p, der.n);
out:
    if (el)
        asn1_delete_structure(&el);
    pkix_buf_free(&der);
    template_free(&t);
    return rc;
}

/* The request in the body: base64 DER (RFC 7030 4.2.1); anything else as it came. */
static int
request_der(const struct est_request *q, struct pkix_buf *out)
{
    const unsigned char *p = q->body;
    struct pkix_buf clean = {0};
    int rc = CC_OK;
    for (size_t i = 0; i < q->body_len && rc == CC_OK; i++)
        if (p[i] != '\r' && p[i] != '\n' && p[i] != ' ' && p[i] != '\t')
            rc = pkix_buf_append(&clean, p + i, 1);
    if (rc != CC_OK)
        return rc;
    gnutls_datum_t in = {clean.p, (unsigned)clean.n}, der = {NULL, 0};
    if (clean.n > 0 && memchr(clean.p, '-', clean.n) == NULL &&
        gnutls_base64_decode2(&in, &der) >= 0) {
        rc = pkix_buf_set(out, der.data, der.size);
        gnutls_free(der.data);
    } else {
        /* PEM or DER: the CA database parses both, and records anything else as failed */
        rc = q->body_len ? pkix_buf_set(out, q->body, q->body_len) : CC_OK;
    }
    pkix_buf_free(&clean);
    return rc;
}

/* The HTTP status of a refusal. */
static unsigned
refusal_status(int status)
{
    switch (status) {
    case CC_EPARSE:
    case CC_EINVAL:
    case CC_E_BAD_REQUESTSUBJECT:
        return 400;
    default:
        return 403;
    }
}

/*
 * A request EST already answered 202 for: the same requester posting the
 * same request again (RFC 7030 4.2.3). *id is its request id, or 0.
 */
static int
find_waiting(struct store *st, int64_t requester, const struct pkix_buf *der, int64_t *id,
             int *disposition, char **cause)
{
    *id = 0;
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT r.id, r.disposition FROM est_waiting w JOIN request r ON "
                           "r.id = w.request_id WHERE r.requester_id = ? AND r.raw_request = ? "
                           "ORDER BY r.id DESC LIMIT 1",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, requester);
    store_bind_blob(q, 2, der->p, der->n);
    int step = store_step(q, cause);
    if (step == STORE_ROW) {
        *id = store_col_int64(q, 0);
        *disposition = store_col_int(q, 1);
    } else if (step != STORE_DONE) {
        rc = step;
    }
    store_finalize(q);
    return rc;
}

static int
waiting_set(struct store *st, int64_t id, int add, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st,
                           add ? "INSERT INTO est_waiting (request_id) VALUES (?)"
                               : "DELETE FROM est_waiting WHERE request_id = ?",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, id);
    if ((rc = store_begin(st, cause)) == CC_OK)
        rc = store_finish(st, store_run(q, cause), cause);
    store_finalize(q);
    return rc;
}

/* Answers a request EST said 202 to before, now that a manager may have decided. */
static int
answer_waiting(struct est_call *c, int64_t id, int disposition, char **cause)
{
    struct est_response *r = c->r;
    if (disposition == DISP_PENDING) {
        reply_text(r, 202, "request %lld is still waiting for a certificate manager's approval",
                   (long long)id);
        r->retry_after = EST_RETRY_AFTER;
        return CC_OK;
    }
    int rc = waiting_set(c->st, id, 0, cause);
    if (rc != CC_OK)
        return rc;
    if (disposition != DISP_ISSUED) {
        struct store_stmt *m;
        if ((rc = store_prepare(c->st, "SELECT message FROM request WHERE id = ?", &m, cause)) !=
            CC_OK)
            return rc;
        store_bind_int64(m, 1, id);
        const char *msg = store_step(m, NULL) == STORE_ROW ? store_col_text(m, 0) : NULL;
        reply_text(r, 403, "request %lld was not issued: %s", (long long)id,
                   msg && *msg ? msg : cadb_disposition_name(disposition));
        store_finalize(m);
        return CC_OK;
    }
    char key[32];
    snprintf(key, sizeof key, "%lld", (long long)id);
    struct pkix_buf der = {0};
    rc = cadb_retrieve(call_cx(c), key, &der, NULL, cause);
    if (rc == CC_OK)
        rc = reply_certs(r, &der, 1, cause);
    pkix_buf_free(&der);
    return rc;
}

/* Submits the body for p through the policy module, and answers with the outcome. */
static int
enroll_as(struct est_call *c, const struct dir_principal *p, char **cause)
{
    struct store *st = c->st;
    struct est_response *r = c->r;
    struct pkix_buf der = {0};
    int rc = request_der(c->q, &der);
    if (rc != CC_OK)
        return rc;
    int64_t waiting = 0;
    int disposition = 0;
    if (der.n > 0 && (rc = find_waiting(st, p->id, &der, &waiting, &disposition, cause)) != CC_OK)
        goto out;
    if (waiting != 0) {
        rc = answer_waiting(c, waiting, disposition, cause);
        goto out;
    }
    struct cadb_session *s = NULL;
    struct cadb_outcome o = {0};
    if ((rc = cadb_session_open(call_cx(c), NULL, &s, cause)) != CC_OK)
        goto out;
    rc = cadb_submit(s, p, c->template_cn, der.p, der.n, &o, cause);
    cadb_session_close(s);
    if (rc != CC_OK)
        goto out;
    if (o.disposition == DISP_ISSUED) {
        rc = reply_certs(r, &o.cert, 1, cause);
    } else if (o.disposition == DISP_PENDING) {
        rc = waiting_set(st, o.request_id, 1, cause);
        reply_text(r, 202,
                   "request %lld is waiting for a certificate manager's approval: post the "
                   "same request again to get its certificate",
                   (long long)o.request_id);
        r->retry_after = EST_RETRY_AFTER;
    } else {
        reply_text(r, refusal_status(o.status), "request %lld: %s", (long long)o.request_id,
                   o.message ? o.message : cc_strerror(o.status));
    }
    cadb_outcome_free(&o);
out:
    pkix_buf_free(&der);
    return rc;
}

/* A 401 for a wrong or missing password, recorded as a Failed request and audited. */
static int
refuse_login(struct est_call *c, const char *who, int64_t who_id, const char *why, char **cause)
{
    struct pkix_buf der = {0};
    int rc = request_der(c->q, &der);
    if (rc != CC_OK)
        return rc;
    char *message = cc_asprintf("EST %s refused: %s. 0x%08x (%s)", c->op, why,
                                cc_hresult(CC_EACCES), cc_strerror(CC_EACCES));
    if (message == NULL) {
        pkix_buf_free(&der);
        return CC_ENOMEM;
    }
    int64_t id = 0;
    if ((rc = store_begin(c->st, cause)) == CC_OK) {
        rc = cadb_record_refusal(call_cx(c), who, who_id, c->template_cn, CC_EACCES, message, der.p,
                                 der.n, &id, cause);
        audit_refused(call_cx(c), "est", who, c->op, "EST enrollment secret", why);
        rc = store_finish(c->st, rc, cause);
    }
    if (rc == CC_OK) {
        reply_text(c->r, 401, "request %lld: %s", (long long)id, message);
        c->r->authenticate = 1;
    }
    free(message);
    pkix_buf_free(&der);
    return rc;
}

static int
op_simpleenroll(struct est_call *c, char **cause)
{
    const struct est_request *q = c->q;
    if (q->user == NULL || q->password == NULL) {
        reply_text(c->r, 401,
                   "EST enrollment needs an account and its enrollment secret (HTTP Basic), "
                   "which a CA Administrator issues with: certcon est secret --for ACCOUNT");
        c->r->authenticate = 1;
        return CC_OK;
    }
    struct dir_principal p = {0};
    char *why = NULL;
    int rc = lookup_account(c->st, q->user, &p, &why);
    if (rc == CC_ENOTFOUND || rc == CC_EINVAL) {
        free(why);
        why = cc_asprintf("there is no user or computer account %s", q->user);
        rc = refuse_login(c, q->user, 0, why ? why : "no such account", cause);
        free(why);
        return rc;
    }
    if (rc != CC_OK) {
        if (cause)
            *cause = why;
        else
            free(why);
        return rc;
    }
    char *who = dir_qualified_name(c->st, &p);
    if (who == NULL) {
        dir_principal_free(&p);
        return CC_ENOMEM;
    }
    /* everything from here on is done, refused and audited as the account */
    rc = call_as(c, p.id, who);
    if (rc == CC_OK)
        rc = secret_verify(call_cx(c), &p, who, q->password, &why);
    if (rc == CC_EACCES)
        rc = refuse_login(c, who, p.id, why, cause);
    else if (rc != CC_OK && cause)
        *cause = why, why = NULL;
    else if (rc == CC_OK)
        rc = enroll_as(c, &p, cause);
    free(why);
    free(who);
    dir_principal_free(&p);
    return rc;
}

/*
 * Whether the TLS client certificate is one this CA issued, in force (not
 * revoked, within its dates at the lab clock's now): *requester is whom it
 * was issued to, *tmpl its template and *subject its subject (RFC 4514), allocated.
 */
static int
client_cert_check(const struct cc_ctx *cx, const struct est_request *q, int64_t *requester,
                  char **tmpl, char **subject, char **cause)
{
    struct store *st = cx->st;
    struct authority_info ca;
    int rc = authority_info_load(st, &ca, cause);
    if (rc != CC_OK)
        return rc;
    gnutls_x509_crt_t crt = NULL, issuer = NULL;
    gnutls_datum_t d = {(unsigned char *)q->client_cert, (unsigned)q->client_cert_len};
    gnutls_datum_t a = {ca.cert.p, (unsigned)ca.cert.n};
    unsigned char serial[64];
    size_t slen = sizeof serial;
    unsigned verify = 0;
    char *hex = NULL;
    struct store_stmt *s = NULL;
    if (gnutls_x509_crt_init(&crt) < 0 || gnutls_x509_crt_init(&issuer) < 0 ||
        gnutls_x509_crt_import(issuer, &a, GNUTLS_X509_FMT_DER) < 0) {
        rc = CC_ENOMEM;
        goto out;
    }
    if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) < 0 ||
        gnutls_x509_crt_verify(crt, &issuer, 1, GNUTLS_VERIFY_DISABLE_TIME_CHECKS, &verify) < 0 ||
        verify != 0) {
        rc = cc_fail(cause, CC_EACCES, "the TLS client certificate was not issued by %s", ca.name);
        goto out;
    }
    time_t now = ctx_now(cx);
    if (now < gnutls_x509_crt_get_activation_time(crt) ||
        now >= gnutls_x509_crt_get_expiration_time(crt)) {
        rc = cc_fail(cause, CC_EACCES,
                     "the TLS client certificate is expired or not yet valid: request a new "
                     "one with /simpleenroll");
        goto out;
    }
    if (gnutls_x509_crt_get_serial(crt, serial, &slen) < 0 ||
        (hex = pkix_hex(serial, slen)) == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    if ((rc =
             store_prepare(st,
                           "SELECT r.requester_id, r.disposition, c.template, c.raw FROM "
                           "certificate c JOIN request r ON r.id = c.request_id WHERE c.serial = ?",
                           &s, cause)) != CC_OK)
        goto out;
    store_bind_text(s, 1, hex);
    int step = store_step(s, cause);
    size_t rawn = 0;
    const void *raw = step == STORE_ROW ? store_col_blob(s, 3, &rawn) : NULL;
    if (step != STORE_ROW && step != STORE_DONE) {
        rc = step;
    } else if (step == STORE_DONE || rawn != q->client_cert_len ||
               memcmp(raw, q->client_cert, rawn) != 0 || store_col_null(s, 0)) {
        rc =
            cc_fail(cause, CC_EACCES,
                    "the TLS client certificate (serial %s) is not in %s's database", hex, ca.name);
    } else if (store_col_int(s, 1) != DISP_ISSUED) {
        rc = cc_fail(cause, CC_EACCES, "the TLS client certificate (serial %s) is revoked", hex);
    } else {
        gnutls_datum_t dn = {NULL, 0};
        *requester = store_col_int64(s, 0);
        const char *t = store_col_text(s, 2);
        *tmpl = cc_strdup(t ? t : "");
        if (*tmpl == NULL || gnutls_x509_crt_get_dn2(crt, &dn) < 0 ||
            (*subject = cc_strdup((const char *)dn.data)) == NULL)
            rc = CC_ENOMEM;
        gnutls_free(dn.data);
    }
out:
    store_finalize(s);
    free(hex);
    if (crt)
        gnutls_x509_crt_deinit(crt);
    if (issuer)
        gnutls_x509_crt_deinit(issuer);
    authority_info_free(&ca);
    return rc;
}

/* Whether the request in the body names subject (RFC 4514): RFC 7030 4.2.2 re-enrollment. */
static int
same_subject(const struct est_request *q, const char *subject)
{
    struct pkix_buf der = {0};
    if (request_der(q, &der) != CC_OK)
        return 0;
    gnutls_x509_crq_t crq;
    int same = 0;
    if (gnutls_x509_crq_init(&crq) >= 0) {
        gnutls_datum_t d = {der.p, (unsigned)der.n}, dn = {NULL, 0};
        if (gnutls_x509_crq_import(crq, &d, GNUTLS_X509_FMT_DER) >= 0 &&
            gnutls_x509_crq_get_dn2(crq, &dn) >= 0)
            same = strcmp((const char *)dn.data, subject) == 0;
        gnutls_free(dn.data);
        gnutls_x509_crq_deinit(crq);
    }
    pkix_buf_free(&der);
    return same;
}

static int
op_simplereenroll(struct est_call *c, char **cause)
{
    if (c->q->client_cert == NULL) {
        reply_text(c->r, 403,
                   "EST re-enrollment needs the TLS client certificate to be renewed, issued "
                   "by this CA: present it with its key (or enroll anew at /simpleenroll)");
        return CC_OK;
    }
    int64_t requester = 0;
    char *tmpl = NULL, *why = NULL, *subject = NULL;
    int rc = client_cert_check(call_cx(c), c->q, &requester, &tmpl, &subject, &why);
    if (rc == CC_EACCES) {
        reply_text(c->r, 403, "EST re-enrollment refused: %s", why);
        free(why);
        return CC_OK;
    }
    if (rc != CC_OK) {
        if (cause)
            *cause = why;
        else
            free(why);
        return rc;
    }
    struct dir_principal p = {0};
    char *who = NULL;
    if ((rc = dir_get(c->st, requester, &p, cause)) != CC_OK)
        goto out;
    if ((who = dir_qualified_name(c->st, &p)) == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    if ((rc = call_as(c, p.id, who)) != CC_OK)
        goto out;
    if (!same_subject(c->q, subject)) {
        reply_text(c->r, 400,
                   "EST re-enrollment refused: the request's subject must be the subject of the "
                   "certificate it renews");
        goto out;
    }
    /* the template the path names, else the one the certificate came from */
    if (c->template_cn == NULL) {
        c->template_cn = tmpl;
        tmpl = NULL;
    }
    rc = enroll_as(c, &p, cause);
out:
    free(who);
    free(tmpl);
    free(subject);
    dir_principal_free(&p);
    return rc;
}

static const struct est_op {
    const char *name;
    const char *method;
    int needs_template; /* 1: the label's or the default; 2: only when there is one */
    int (*fn)(struct est_call *c, char **cause);
} est_ops[] = {
    {"cacerts", "GET", 0, op_cacerts},
    {"simpleenroll", "POST", 1, op_simpleenroll},
    {"simplereenroll", "POST", 2, op_simplereenroll},
    {"csrattrs", "GET", 1, op_csrattrs},
};

int
est_handle(const struct cc_ctx *cx, const struct est_request *q, struct est_response *r,
           char **cause)
{
    struct store *st = cx->st;
    memset(r, 0, sizeof *r);
    /* cx is nobody's: the call acts as an account only once the request proves it is that one */
    /*
     * Clients that add the well-known path to the URL they are given
     * (strongSwan's pki) ask for /.well-known/est//.well-known/est/OP or,
     * given .../est/TEMPLATE, for TEMPLATE/.well-known/est/OP: both mean
     * what they would without the repetition.
     */
    static const char again[] = "/.well-known/est/";
    const char *rep = strstr(q->path, again);
    char *joined = NULL;
    if (rep != NULL) {
        size_t lead = (size_t)(rep - q->path);
        while (lead > 0 && q->path[lead - 1] == '/')
            lead--;
        joined = lead ? cc_asprintf("%.*s/%s", (int)lead, q->path, rep + sizeof again - 1)
                      : cc_strdup(rep + sizeof again - 1);
        if (joined == NULL)
            return CC_ENOMEM;
    }
    const char *path = joined ? joined : q->path, *slash = strchr(path, '/');
    char *label = NULL;
    const char *opname = path;
    if (slash != NULL) {
        label = strndup(path, (size_t)(slash - path));
        if (label == NULL) {
            free(joined);
            return CC_ENOMEM;
        }
        opname = slash + 1;
    }
    const struct est_op *op = NULL;
    for (size_t i = 0; i < sizeof est_ops / sizeof est_ops[0]; i++)
        if (strcmp(opname, est_ops[i].name) == 0)
            op = &est_ops[i];
    struct est_call c = {.st = st, .cx = cx, .q = q, .r = r, .op = opname};
    int rc = CC_OK;
    if (op == NULL || strchr(opname, '/') != NULL || (label != NULL && *label == '\0')) {
        reply_text(r, 404,
                   "not found: EST answers /.well-known/est/[TEMPLATE/]cacerts, simpleenroll, "
                   "simplereenroll and csrattrs");
        goto out;
    }
    if (strcmp(q->method, op->method) != 0) {
        reply_text(r, 405, "/%s takes %s", op->name, op->method);
        goto out;
    }
    if (label != NULL) {
        struct template t = {0};
        if (template_load(st, label, &t, NULL) != CC_OK) {
            reply_text(r, 404, "not found: there is no certificate template %s", label);
            goto out;
        }
        c.template_cn = cc_strdup(t.cn);
        template_free(&t);
        if (c.template_cn == NULL) {
            rc = CC_ENOMEM;
            goto out;
        }
    } else if (op->needs_template) {
        if ((rc = default_template(st, &c.template_cn, cause)) != CC_OK)
            goto out;
        if (*c.template_cn == '\0') {
            free(c.template_cn);
            c.template_cn = NULL;
            if (op->needs_template == 1) {
                reply_text(r, 404,
                           "not found: this CA has no default EST template; name one in the path "
                           "(/.well-known/est/TEMPLATE/%s) or set it: certcon ca set est-default "
                           "TEMPLATE",
                           op->name);
                goto out;
            }
        }
    }
    rc = op->fn(&c, cause);
out:
    ctx_free(&c.as);
    free(c.template_cn);
    free(label);
    free(joined);
    return rc;
}
