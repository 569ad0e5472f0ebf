/*
 * ACME (RFC 8555): directory, nonces, accounts bound to directory
 * principals by External Account Binding, orders, authorizations,
 * challenges, finalization through the enterprise policy module, and the
 * certificate chain. One function, acme_handle(), turns a request into a
 * response; the tables are those of the store's ACME migration.
 *
 * Identity is the account's bound principal and nothing else: once a
 * request proves its account, the call runs in a context of that
 * principal (call_as), so cadb_submit decides, records and audits exactly
 * as `certcon submit --for P` does.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <jansson.h>

#include "acme.h"
#include "authz.h"
#include "audit.h"
#include "authority.h"
#include "cadb.h"
#include "clock.h"
#include "context.h"
#include "directory.h"
#include "request.h"
#include "status.h"
#include "template.h"
#include "util.h"

#define ACME_ERR   "urn:ietf:params:acme:error:"
#define NONCE_LIFE 3600
#define ORDER_LIFE (7 * 86400)

/* ---------------- base64url ---------------- */

char *
acme_b64url_encode(const void *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const unsigned char *s = p;
    char *out = malloc(n / 3 * 4 + 5);
    if (out == NULL)
        return NULL;
    size_t o = 0, i = 0;
    for (; i + 2 < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 | s[i + 2];
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = tab[v >> 6 & 63];
        out[o++] = tab[v & 63];
    }
    if (n - i == 1) {
        unsigned v = (unsigned)s[i] << 16;
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
    } else if (n - i == 2) {
        unsigned v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8;
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = tab[v >> 6 & 63];
    }
    out[o] = '\0';
    return out;
}

static int
b64url_value(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

int
acme_b64url_decode(const char *s, size_t len, unsigned char **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (len % 4 == 1)
        return CC_EINVAL;
    unsigned char *b = malloc(len / 4 * 3 + 3);
    if (b == NULL)
        return CC_ENOMEM;
    size_t o = 0;
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < len; i++) {
        int v = b64url_value((unsigned char)s[i]);
        if (v < 0) {
            free(b);
            return CC_EINVAL;
        }
        acc = acc << 6 | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            b[o++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0) { /* non-canonical trailing bits */
        free(b);
        return CC_EINVAL;
    }
    *out = b;
    *n = o;
    return CC_OK;
}

static int
b64url_decode_str(const char *s, unsigned char **out, size_t *n)
{
    return acme_b64url_decode(s, strlen(s), out, n);
}

/* ---------------- responses ---------------- */

void
acme_response_free(struct acme_response *r)
{
    free(r->body);
    free(r->nonce);
    free(r->location);
    free(r->link_up);
    free(r->link_index);
    memset(r, 0, sizeof *r);
}

/* Sets r's body to j (stolen), as type. */
static void
reply_json(struct acme_response *r, unsigned status, const char *type, json_t *j)
{
    free(r->body);
    r->body = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    r->body_len = r->body ? strlen(r->body) : 0;
    r->status = r->body ? status : 500;
    r->type = type;
    json_decref(j);
}

static void
reply_obj(struct acme_response *r, unsigned status, json_t *j)
{
    reply_json(r, status, "application/json", j);
}

/* A problem document (RFC 7807) of an RFC 8555 type ("badNonce" ...). */
static void problem(struct acme_response *r, unsigned status, const char *type, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));
static void
problem(struct acme_response *r, unsigned status, const char *type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *detail = NULL;
    if (vasprintf(&detail, fmt, ap) < 0)
        detail = NULL;
    va_end(ap);
    char *t = cc_asprintf(ACME_ERR "%s", type);
    json_t *j = json_pack("{s:s?, s:s?, s:i}", "type", t, "detail", detail, "status", (int)status);
    free(t);
    free(detail);
    reply_json(r, status, "application/problem+json", j);
    free(r->location);
    r->location = NULL;
}

static void
rfc3339(time_t t, char *buf, size_t size)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---------------- the request's context ---------------- */

struct account {
    int64_t id;
    char *thumbprint;
    char *jwk;
    int64_t principal;
    char *template_cn; /* NULL: any */
    char *status;
    char *contact;
    time_t created;
};

static void
account_free(struct account *a)
{
    free(a->thumbprint);
    free(a->jwk);
    free(a->template_cn);
    free(a->status);
    free(a->contact);
    memset(a, 0, sizeof *a);
}

struct call {
    struct store *st;
    const struct cc_ctx *cx; /* the HTTP side's: nobody in particular */
    struct cc_ctx as;        /* the bound account's principal, once the request proves it (as.st) */
    const struct acme_va *va;
    const struct acme_request *q;
    struct acme_response *r;
    char *tcn;    /* the template of the path (cn) */
    char *prefix; /* base + "/acme/" + tcn */
    /* a verified POST */
    json_t *protected;
    json_t *payload; /* NULL: POST-as-GET */
    json_t *jwk;     /* the key that signed (borrowed from protected, or parsed from the account) */
    char *thumbprint;
    struct account acct; /* id 0 when signed by jwk */
};

static void
call_free(struct call *c)
{
    ctx_free(&c->as);
    free(c->tcn);
    free(c->prefix);
    json_decref(c->protected);
    json_decref(c->payload);
    json_decref(c->jwk);
    free(c->thumbprint);
    account_free(&c->acct);
}

static char *url_of(const struct call *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static char *
url_of(const struct call *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *tail = NULL;
    if (vasprintf(&tail, fmt, ap) < 0)
        tail = NULL;
    va_end(ap);
    char *u = tail ? cc_asprintf("%s/%s", c->prefix, tail) : NULL;
    free(tail);
    return u;
}

/* The context the call acts in: the bound account's principal once proven, else the HTTP side's. */
static const struct cc_ctx *
call_cx(const struct call *c)
{
    return c->as.st != NULL ? &c->as : c->cx;
}

/* From here on the call acts, is refused and is audited as principal id (its name looked up). */
static int
call_as(struct call *c, int64_t id)
{
    struct dir_principal p = {0};
    int rc = dir_get(c->st, id, &p, NULL);
    char *who = rc == CC_OK ? dir_qualified_name(c->st, &p) : NULL;
    if (rc == CC_OK && who == NULL)
        rc = CC_ENOMEM;
    if (rc == CC_OK) {
        ctx_free(&c->as);
        rc = ctx_init_as(&c->as, c->cx, p.id, who);
    }
    free(who);
    dir_principal_free(&p);
    return rc;
}

/* ---------------- nonces ---------------- */

static char *
nonce_new(const struct cc_ctx *cx)
{
    struct store *st = cx->st;
    unsigned char raw[16];
    if (cc_random(raw, sizeof raw) != CC_OK)
        return NULL;
    char *n = acme_b64url_encode(raw, sizeof raw);
    struct store_stmt *q;
    if (n == NULL || store_prepare(st, "INSERT INTO acme_nonce (nonce, created) VALUES (?, ?)", &q,
                                   NULL) != CC_OK) {
        free(n);
        return NULL;
    }
    store_bind_text(q, 1, n);
    store_bind_int64(q, 2, (int64_t)ctx_now(cx));
    int rc = store_run(q, NULL);
    store_finalize(q);
    if (rc != CC_OK) {
        free(n);
        return NULL;
    }
    return n;
}

/* Whether nonce was issued here and not used yet; uses it. */
static int
nonce_use(const struct cc_ctx *cx, const char *nonce)
{
    struct store *st = cx->st;
    struct store_stmt *q;
    if (store_prepare(st, "DELETE FROM acme_nonce WHERE nonce = ? AND created > ?", &q, NULL) !=
        CC_OK)
        return 0;
    store_bind_text(q, 1, nonce);
    store_bind_int64(q, 2, (int64_t)ctx_now(cx) - NONCE_LIFE);
    int ok = store_run(q, NULL) == CC_OK && store_rows_changed(st) == 1;
    store_finalize(q);
    /* and the stale ones: nonces a client fetched and never used */
    if (store_prepare(st, "DELETE FROM acme_nonce WHERE created <= ?", &q, NULL) == CC_OK) {
        store_bind_int64(q, 1, (int64_t)ctx_now(cx) - NONCE_LIFE);
        store_run(q, NULL);
        store_finalize(q);
    }
    return ok;
}

/* ---------------- keys and signatures ---------------- */

static const char *
jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/*
 * The RFC 7638 thumbprint of a public JWK (base64url SHA-256), or NULL with
 * *why set when the key is not one this server takes.
 */
static char *
jwk_thumbprint(json_t *jwk, const char **why)
{
    const char *kty = jstr(jwk, "kty");
    char *canon = NULL;
    *why = "the JWK must be an RSA, EC (P-256, P-384) or OKP (Ed25519) public key";
    if (kty && strcmp(kty, "RSA") == 0 && jstr(jwk, "n") && jstr(jwk, "e"))
        canon = cc_asprintf("{\"e\":\"%s\",\"kty\":\"RSA\",\"n\":\"%s\"}", jstr(jwk, "e"),
                            jstr(jwk, "n"));
    else if (kty && strcmp(kty, "EC") == 0 && jstr(jwk, "crv") && jstr(jwk, "x") && jstr(jwk, "y"))
        canon = cc_asprintf("{\"crv\":\"%s\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}",
                            jstr(jwk, "crv"), jstr(jwk, "x"), jstr(jwk, "y"));
    else if (kty && strcmp(kty, "OKP") == 0 && jstr(jwk, "crv") && jstr(jwk, "x"))
        canon = cc_asprintf("{\"crv\":\"%s\",\"kty\":\"OKP\",\"x\":\"%s\"}", jstr(jwk, "crv"),
                            jstr(jwk, "x"));
    if (canon == NULL)
        return NULL;
    /* the members are base64url or names: nothing in them needs escaping, or they are refused */
    for (const char *p = canon; *p; p++)
        if (*p == '\\' || (unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e) {
            free(canon);
            return NULL;
        }
    unsigned char d[32];
    if (gnutls_hash_fast(GNUTLS_DIG_SHA256, canon, strlen(canon), d) != 0) {
        free(canon);
        return NULL;
    }
    free(canon);
    *why = NULL;
    return acme_b64url_encode(d, sizeof d);
}

static int
member_datum(json_t *jwk, const char *key, gnutls_datum_t *d)
{
    const char *s = jstr(jwk, key);
    unsigned char *b;
    size_t n;
    if (s == NULL || b64url_decode_str(s, &b, &n) != CC_OK || n == 0)
        return -1;
    d->data = b;
    d->size = (unsigned)n;
    return 0;
}

/*
 * Verifies sig over data with jwk for alg (RS256, ES256, ES384, EdDSA).
 * NULL when it verifies, else what is wrong.
 */
static const char *
jws_verify(json_t *jwk, const char *alg, const void *data, size_t len, const unsigned char *sig,
           size_t siglen)
{
    const char *kty = jstr(jwk, "kty"), *crv = jstr(jwk, "crv");
    if (alg == NULL || kty == NULL)
        return "the JWS has no alg, or its key no kty";
    gnutls_pubkey_t pub;
    if (gnutls_pubkey_init(&pub) != 0)
        return "out of memory";
    gnutls_datum_t a = {NULL, 0}, b = {NULL, 0}, der = {NULL, 0};
    gnutls_sign_algorithm_t sa = GNUTLS_SIGN_UNKNOWN;
    const char *why = NULL;
    size_t half = 0;
    if (strcmp(alg, "RS256") == 0) {
        if (strcmp(kty, "RSA") != 0 || member_datum(jwk, "n", &a) || member_datum(jwk, "e", &b) ||
            gnutls_pubkey_import_rsa_raw(pub, &a, &b) != 0)
            why = "RS256 needs an RSA key (n, e)";
        sa = GNUTLS_SIGN_RSA_SHA256;
    } else if (strcmp(alg, "ES256") == 0 || strcmp(alg, "ES384") == 0) {
        int p384 = strcmp(alg, "ES384") == 0;
        half = p384 ? 48 : 32;
        if (strcmp(kty, "EC") != 0 || crv == NULL || strcmp(crv, p384 ? "P-384" : "P-256") != 0 ||
            member_datum(jwk, "x", &a) || member_datum(jwk, "y", &b) ||
            gnutls_pubkey_import_ecc_raw(
                pub, p384 ? GNUTLS_ECC_CURVE_SECP384R1 : GNUTLS_ECC_CURVE_SECP256R1, &a, &b) != 0)
            why =
                p384 ? "ES384 needs an EC P-384 key (x, y)" : "ES256 needs an EC P-256 key (x, y)";
        sa = p384 ? GNUTLS_SIGN_ECDSA_SHA384 : GNUTLS_SIGN_ECDSA_SHA256;
        if (why == NULL) {
            if (siglen != 2 * half) {
                why = "the ECDSA signature is not r and s of the curve's size";
            } else {
                gnutls_datum_t r = {(unsigned char *)sig, (unsigned)half};
                gnutls_datum_t s = {(unsigned char *)sig + half, (unsigned)half};
                if (gnutls_encode_rs_value(&der, &r, &s) != 0)
                    why = "the ECDSA signature cannot be read";
            }
        }
    } else if (strcmp(alg, "EdDSA") == 0) {
        if (strcmp(kty, "OKP") != 0 || crv == NULL || strcmp(crv, "Ed25519") != 0 ||
            member_datum(jwk, "x", &a) ||
            gnutls_pubkey_import_ecc_raw(pub, GNUTLS_ECC_CURVE_ED25519, &a, NULL) != 0)
            why = "EdDSA needs an OKP Ed25519 key (x)";
        sa = GNUTLS_SIGN_EDDSA_ED25519;
    } else {
        why = "the algorithm is not one of RS256, ES256, ES384, EdDSA";
    }
    if (why == NULL) {
        gnutls_datum_t d = {(unsigned char *)data, (unsigned)len};
        gnutls_datum_t s =
            der.data ? der : (gnutls_datum_t){(unsigned char *)sig, (unsigned)siglen};
        if (gnutls_pubkey_verify_data2(pub, sa, 0, &d, &s) < 0)
            why = "the JWS signature does not verify with the key";
    }
    free(a.data);
    free(b.data);
    gnutls_free(der.data);
    gnutls_pubkey_deinit(pub);
    return why;
}

/* A JWS in flattened JSON: its three parts, decoded where needed. */
struct jws {
    const char *protected_b64, *payload_b64;
    json_t *protected;
    unsigned char *payload;
    size_t payload_len;
    unsigned char *sig;
    size_t siglen;
    json_t *root;
};

static void
jws_free(struct jws *j)
{
    json_decref(j->protected);
    json_decref(j->root);
    free(j->payload);
    free(j->sig);
    memset(j, 0, sizeof *j);
}

/* Parses root (a JSON object, borrowed: referenced) as a flattened JWS. */
static const char *
jws_parse(json_t *root, struct jws *j)
{
    memset(j, 0, sizeof *j);
    if (!json_is_object(root))
        return "the body is not a JWS in flattened JSON (protected, payload, signature)";
    j->root = json_incref(root);
    j->protected_b64 = jstr(root, "protected");
    j->payload_b64 = jstr(root, "payload");
    const char *sig = jstr(root, "signature");
    if (j->protected_b64 == NULL || j->payload_b64 == NULL || sig == NULL)
        return "the JWS must have protected, payload and signature members";
    if (json_object_get(root, "header") != NULL)
        return "the JWS may have no unprotected header";
    unsigned char *p;
    size_t n;
    if (b64url_decode_str(j->protected_b64, &p, &n) != CC_OK)
        return "the protected header is not base64url";
    j->protected = json_loadb((const char *)p, n, JSON_REJECT_DUPLICATES, NULL);
    free(p);
    if (!json_is_object(j->protected))
        return "the protected header is not a JSON object";
    if (b64url_decode_str(j->payload_b64, &j->payload, &j->payload_len) != CC_OK)
        return "the payload is not base64url";
    if (b64url_decode_str(sig, &j->sig, &j->siglen) != CC_OK)
        return "the signature is not base64url";
    return NULL;
}

/* The signing input: ASCII(protected "." payload). */
static char *
jws_input(const struct jws *j)
{
    return cc_asprintf("%s.%s", j->protected_b64, j->payload_b64);
}

/* ---------------- store rows ---------------- */

static int
account_read(struct store_stmt *q, struct account *a)
{
    a->id = store_col_int64(q, 0);
    a->thumbprint = cc_strdup(store_col_text(q, 1));
    a->jwk = cc_strdup(store_col_text(q, 2));
    a->principal = store_col_int64(q, 3);
    a->template_cn = store_col_null(q, 4) ? NULL : cc_strdup(store_col_text(q, 4));
    a->status = cc_strdup(store_col_text(q, 5));
    a->contact = store_col_null(q, 6) ? NULL : cc_strdup(store_col_text(q, 6));
    a->created = (time_t)store_col_int64(q, 7);
    return a->thumbprint && a->jwk && a->status ? CC_OK : CC_ENOMEM;
}

#define ACCOUNT_COLS "id, thumbprint, jwk, principal, template, status, contact, created"

/* CC_OK, CC_ENOTFOUND or an error. by: "id" or "thumbprint". */
static int
account_find(struct store *st, int64_t id, const char *thumbprint, struct account *a)
{
    struct store_stmt *q;
    int rc =
        store_prepare(st,
                      thumbprint ? "SELECT " ACCOUNT_COLS " FROM acme_account WHERE thumbprint = ?"
                                 : "SELECT " ACCOUNT_COLS " FROM acme_account WHERE id = ?",
                      &q, NULL);
    if (rc != CC_OK)
        return rc;
    if (thumbprint)
        store_bind_text(q, 1, thumbprint);
    else
        store_bind_int64(q, 1, id);
    rc = store_step(q, NULL);
    if (rc == STORE_ROW)
        rc = account_read(q, a);
    else if (rc == STORE_DONE)
        rc = CC_ENOTFOUND;
    store_finalize(q);
    return rc;
}

static json_t *
account_json(struct call *c, const struct account *a)
{
    char when[32];
    rfc3339(a->created, when, sizeof when);
    json_t *contact = a->contact ? json_loads(a->contact, 0, NULL) : NULL;
    char *orders = url_of(c, "acct/%lld/orders", (long long)a->id);
    json_t *j = json_pack("{s:s, s:o, s:s?, s:s}", "status", a->status, "contact",
                          contact ? contact : json_array(), "orders", orders, "createdAt", when);
    free(orders);
    return j;
}

/* ---------------- the path and the template ---------------- */

static int
template_acme_on(struct store *st, const char *cn)
{
    struct store_stmt *q;
    if (store_prepare(st, "SELECT 1 FROM acme_template WHERE cn = ?", &q, NULL) != CC_OK)
        return 0;
    store_bind_text(q, 1, cn);
    int on = store_step(q, NULL) == STORE_ROW;
    store_finalize(q);
    return on;
}

static char *
meta(struct store *st, const char *key)
{
    char *v = NULL;
    if (store_meta_get(st, key, &v) != CC_OK) {
        free(v);
        return NULL;
    }
    return v;
}

/* ---------------- the handlers ---------------- */

static void
h_directory(struct call *c)
{
    char *nn = url_of(c, "new-nonce"), *na = url_of(c, "new-account"), *no = url_of(c, "new-order"),
         *rc = url_of(c, "revoke-cert"), *kc = url_of(c, "key-change");
    char *eab = meta(c->st, "acme-eab");
    int required = eab == NULL || strcmp(eab, "optional") != 0;
    free(eab);
    json_t *j = json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:{s:b}}", "newNonce", nn, "newAccount",
                          na, "newOrder", no, "revokeCert", rc, "keyChange", kc, "meta",
                          "externalAccountRequired", required);
    free(nn);
    free(na);
    free(no);
    free(rc);
    free(kc);
    reply_obj(c->r, 200, j);
}

/* Verifies the EAB JWS of a new account; *principal and *tcn get its binding. */
static int
eab_check(struct call *c, json_t *eab, int64_t *principal, char **tcn, char **kid_out)
{
    struct acme_response *r = c->r;
    struct jws j;
    const char *why = jws_parse(eab, &j);
    if (why) {
        problem(r, 400, "malformed", "externalAccountBinding: %s", why);
        jws_free(&j);
        return -1;
    }
    const char *alg = jstr(j.protected, "alg"), *kid = jstr(j.protected, "kid"),
               *url = jstr(j.protected, "url");
    char *want = url_of(c, "new-account");
    int bad_url = url == NULL || want == NULL || strcmp(url, want) != 0;
    free(want);
    if (alg == NULL || strcmp(alg, "HS256") != 0 || kid == NULL || bad_url ||
        json_object_get(j.protected, "nonce") != NULL) {
        problem(r, 400, "malformed",
                "externalAccountBinding: its protected header must have alg HS256, the key id "
                "(kid) and the newAccount URL, and no nonce");
        jws_free(&j);
        return -1;
    }
    struct store_stmt *q;
    int rc = store_prepare(c->st,
                           "SELECT hmac, principal, template, expires, account FROM acme_eab "
                           "WHERE kid = ?",
                           &q, NULL);
    if (rc != CC_OK) {
        jws_free(&j);
        problem(r, 500, "serverInternal", "the CA's database cannot be read now");
        return -1;
    }
    store_bind_text(q, 1, kid);
    int step = store_step(q, NULL);
    int ok = 0;
    if (step != STORE_ROW) {
        problem(r, 401, "unauthorized",
                "externalAccountBinding: no key %s: ask the CA administrator for one "
                "(certcon acme eab --for PRINCIPAL)",
                kid);
    } else if (!store_col_null(q, 4)) {
        problem(r, 401, "unauthorized",
                "externalAccountBinding: key %s is already bound to an account: ask for a new one",
                kid);
    } else if ((time_t)store_col_int64(q, 3) <= ctx_now(c->cx)) {
        problem(r, 401, "unauthorized",
                "externalAccountBinding: key %s has expired: ask for a new one", kid);
    } else {
        size_t klen;
        const void *key = store_col_blob(q, 0, &klen);
        char *input = jws_input(&j);
        unsigned char mac[32];
        if (input == NULL ||
            gnutls_hmac_fast(GNUTLS_MAC_SHA256, key, klen, input, strlen(input), mac) != 0 ||
            j.siglen != sizeof mac || gnutls_memcmp(mac, j.sig, sizeof mac) != 0) {
            problem(r, 401, "unauthorized",
                    "externalAccountBinding: the MAC does not verify with key %s", kid);
        } else {
            /* its payload must be the account's own key */
            json_t *inner = json_loadb((const char *)j.payload, j.payload_len, 0, NULL);
            const char *w;
            char *tp = inner ? jwk_thumbprint(inner, &w) : NULL;
            if (tp == NULL || strcmp(tp, c->thumbprint) != 0) {
                problem(r, 400, "malformed",
                        "externalAccountBinding: its payload is not the account's key");
            } else {
                *principal = store_col_int64(q, 1);
                *tcn = store_col_null(q, 2) ? NULL : cc_strdup(store_col_text(q, 2));
                *kid_out = cc_strdup(kid);
                ok = 1;
            }
            free(tp);
            json_decref(inner);
        }
        free(input);
    }
    store_finalize(q);
    jws_free(&j);
    return ok ? 0 : -1;
}

static void
h_new_account(struct call *c)
{
    struct acme_response *r = c->r;
    if (c->acct.id != 0 || c->jwk == NULL) {
        problem(r, 400, "malformed", "newAccount is signed with the account's key (jwk), not kid");
        return;
    }
    if (!json_is_object(c->payload)) {
        problem(r, 400, "malformed", "newAccount needs a JSON object as payload");
        return;
    }
    struct account a = {0};
    int rc = account_find(c->st, 0, c->thumbprint, &a);
    if (rc == CC_OK && strcmp(a.status, "valid") != 0) {
        /* RFC 8555 7.3.6: nothing more is accepted with a deactivated account's key */
        problem(r, 401, "unauthorized", "the account with this key is %s", a.status);
        account_free(&a);
        return;
    }
    if (rc == CC_OK) {
        r->location = url_of(c, "acct/%lld", (long long)a.id);
        reply_obj(r, 200, account_json(c, &a));
        account_free(&a);
        return;
    }
    if (rc != CC_ENOTFOUND) {
        problem(r, 500, "serverInternal", "the CA's database cannot be read now");
        return;
    }
    if (json_is_true(json_object_get(c->payload, "onlyReturnExisting"))) {
        problem(r, 400, "accountDoesNotExist", "no account has this key");
        return;
    }
    json_t *contact = json_object_get(c->payload, "contact");
    if (contact && !json_is_array(contact)) {
        problem(r, 400, "malformed", "contact must be an array of URLs");
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(contact, i, v)
    {
        const char *s = json_string_value(v);
        if (s == NULL || strncmp(s, "mailto:", 7) != 0 || strchr(s, ',') != NULL) {
            problem(r, 400, "unsupportedContact", "only one mailto: address a contact, not %s",
                    s ? s : "a non-string");
            return;
        }
    }
    int64_t principal = 0;
    char *tcn = NULL, *kid = NULL;
    json_t *eab = json_object_get(c->payload, "externalAccountBinding");
    if (eab != NULL) {
        if (eab_check(c, eab, &principal, &tcn, &kid) != 0)
            return;
    } else {
        char *mode = meta(c->st, "acme-eab");
        char *anon = meta(c->st, "acme-anonymous");
        int optional = mode && strcmp(mode, "optional") == 0;
        if (optional && anon && *anon) {
            struct dir_principal p = {0};
            if (dir_lookup(c->st, anon, &p, NULL) == CC_OK)
                principal = p.id;
            dir_principal_free(&p);
        }
        free(mode);
        free(anon);
        if (principal == 0) {
            problem(r, 401, "externalAccountRequired",
                    "this CA binds every ACME account to a directory account: ask the CA "
                    "administrator for an External Account Binding key (certcon acme eab "
                    "--for PRINCIPAL) and give it to the client");
            return;
        }
    }
    /* the binding is proven: the account is made, and audited, as its principal */
    if (call_as(c, principal) != CC_OK) {
        free(tcn);
        free(kid);
        problem(r, 401, "unauthorized", "the directory account the binding names cannot be found");
        return;
    }
    char *jwk = json_dumps(c->jwk, JSON_COMPACT | JSON_SORT_KEYS);
    char *ctext = contact ? json_dumps(contact, JSON_COMPACT) : NULL;
    struct store_stmt *q = NULL;
    char *cause = NULL;
    rc = jwk ? store_begin(c->st, &cause) : CC_ENOMEM;
    if (rc == CC_OK)
        rc = store_prepare(c->st,
                           "INSERT INTO acme_account (thumbprint, jwk, principal, template, "
                           "status, contact, created, eab) VALUES (?, ?, ?, ?, 'valid', ?, ?, ?)",
                           &q, &cause);
    int64_t id = 0;
    if (rc == CC_OK) {
        store_bind_text(q, 1, c->thumbprint);
        store_bind_text(q, 2, jwk);
        store_bind_int64(q, 3, principal);
        store_bind_text(q, 4, tcn);
        store_bind_text(q, 5, ctext);
        store_bind_int64(q, 6, (int64_t)ctx_now(c->cx));
        store_bind_text(q, 7, kid);
        rc = store_run(q, &cause);
        id = store_last_id(c->st);
        store_finalize(q);
    }
    if (rc == CC_OK && kid) {
        rc = store_prepare(
            c->st, "UPDATE acme_eab SET account = ? WHERE kid = ? AND account IS NULL", &q, &cause);
        if (rc == CC_OK) {
            store_bind_int64(q, 1, id);
            store_bind_text(q, 2, kid);
            rc = store_run(q, &cause);
            if (rc == CC_OK && store_rows_changed(c->st) != 1)
                rc = CC_ECONFLICT;
            store_finalize(q);
        }
    }
    if (rc == CC_OK) {
        struct dir_principal p = {0};
        char *who =
            dir_get(c->st, principal, &p, NULL) == CC_OK ? dir_qualified_name(c->st, &p) : NULL;
        dir_principal_free(&p);
        char *obj = cc_asprintf("account %lld", (long long)id);
        rc = audit_record(call_cx(c), "acme", obj ? obj : "account", "bound to", NULL,
                          who ? who : "?", &cause);
        free(obj);
        free(who);
    }
    rc = store_finish(c->st, rc, &cause);
    free(jwk);
    free(ctext);
    free(cause);
    free(tcn);
    free(kid);
    if (rc == CC_ECONFLICT) {
        problem(r, 401, "unauthorized", "externalAccountBinding: the key was used meanwhile");
        return;
    }
    if (rc != CC_OK) {
        problem(r, 500, "serverInternal", "the account could not be recorded");
        return;
    }
    if (account_find(c->st, id, NULL, &a) != CC_OK) {
        problem(r, 500, "serverInternal", "the account could not be read back");
        return;
    }
    r->location = url_of(c, "acct/%lld", (long long)id);
    reply_obj(r, 201, account_json(c, &a));
    account_free(&a);
}

static void
h_account(struct call *c, int64_t id)
{
    struct acme_response *r = c->r;
    if (c->acct.id != id) {
        problem(r, 403, "unauthorized", "this is not the signing key's account");
        return;
    }
    json_t *status = c->payload ? json_object_get(c->payload, "status") : NULL;
    if (status) {
        if (!json_is_string(status) || strcmp(json_string_value(status), "deactivated") != 0) {
            problem(r, 400, "malformed", "an account's status can only be set to deactivated");
            return;
        }
        struct store_stmt *q;
        char *cause = NULL;
        int rc = store_begin(c->st, &cause);
        if (rc == CC_OK)
            rc = store_prepare(c->st, "UPDATE acme_account SET status = 'deactivated' WHERE id = ?",
                               &q, &cause);
        if (rc == CC_OK) {
            store_bind_int64(q, 1, id);
            rc = store_run(q, &cause);
            store_finalize(q);
        }
        char *obj = cc_asprintf("account %lld", (long long)id);
        if (rc == CC_OK)
            rc = audit_record(call_cx(c), "acme", obj ? obj : "account", "status", "valid",
                              "deactivated", &cause);
        free(obj);
        rc = store_finish(c->st, rc, &cause);
        free(cause);
        if (rc != CC_OK) {
            problem(r, 500, "serverInternal", "the account could not be deactivated");
            return;
        }
        free(c->acct.status);
        c->acct.status = cc_strdup("deactivated");
    }
    reply_obj(r, 200, account_json(c, &c->acct));
}

/* Lower-cases a DNS identifier in place; 0 when it is a name this CA can certify. */
static int
dns_name_ok(char *s)
{
    size_t n = strlen(s), label = 0;
    if (n == 0 || n > 253 || s[0] == '.' || s[n - 1] == '.')
        return 0;
    for (char *p = s; *p; p++) {
        *p = (char)tolower((unsigned char)*p);
        if (*p == '.') {
            if (label == 0)
                return 0;
            label = 0;
        } else if (isalnum((unsigned char)*p) || *p == '-') {
            if (++label > 63)
                return 0;
        } else {
            return 0;
        }
    }
    return 1;
}

/* Whether principal's directory record holds name (dNSHostName or an extra DNS name). */
static int
principal_owns(struct store *st, int64_t principal, const char *name)
{
    struct dir_principal p = {0};
    if (dir_get(st, principal, &p, NULL) != CC_OK)
        return 0;
    int own = (p.dns && strcasecmp(p.dns, name) == 0) || strlist_find(&p.extra_dns, name, 1) >= 0;
    dir_principal_free(&p);
    return own;
}

static const char *const chall_types[] = {"http-01", "dns-01", "tls-alpn-01"};

static int
chall_offered(const struct acme_va *va, const char *type)
{
    if (va == NULL)
        return 0;
    if (strcmp(type, "http-01") == 0)
        return va->http01 != NULL;
    if (strcmp(type, "dns-01") == 0)
        return va->dns01 != NULL;
    if (strcmp(type, "tls-alpn-01") == 0)
        return va->tlsalpn01 != NULL;
    return 0;
}

struct order {
    int64_t id, account, request_id;
    char *template_cn, *status, *identifiers, *error, *serial;
    time_t created, expires;
    struct pkix_buf cert;
};

static void
order_free(struct order *o)
{
    free(o->template_cn);
    free(o->status);
    free(o->identifiers);
    free(o->error);
    free(o->serial);
    pkix_buf_free(&o->cert);
    memset(o, 0, sizeof *o);
}

static int
order_find(struct store *st, int64_t id, struct order *o)
{
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT id, account, template, status, identifiers, created, expires, "
                           "request_id, serial, error, cert FROM acme_order WHERE id = ?",
                           &q, NULL);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, id);
    rc = store_step(q, NULL);
    if (rc == STORE_ROW) {
        o->id = store_col_int64(q, 0);
        o->account = store_col_int64(q, 1);
        o->template_cn = cc_strdup(store_col_text(q, 2));
        o->status = cc_strdup(store_col_text(q, 3));
        o->identifiers = cc_strdup(store_col_text(q, 4));
        o->created = (time_t)store_col_int64(q, 5);
        o->expires = (time_t)store_col_int64(q, 6);
        o->request_id = store_col_int64(q, 7);
        o->serial = store_col_null(q, 8) ? NULL : cc_strdup(store_col_text(q, 8));
        o->error = store_col_null(q, 9) ? NULL : cc_strdup(store_col_text(q, 9));
        size_t n;
        const void *p = store_col_blob(q, 10, &n);
        rc = n ? pkix_buf_set(&o->cert, p, n) : CC_OK;
    } else if (rc == STORE_DONE) {
        rc = CC_ENOTFOUND;
    }
    store_finalize(q);
    return rc;
}

/* The status of a pending order follows its authorizations: ready, invalid or pending. */
static const char *
order_status(struct store *st, const struct order *o)
{
    if (strcmp(o->status, "pending") != 0)
        return o->status;
    struct store_stmt *q;
    if (store_prepare(st,
                      "SELECT SUM(status = 'valid'), SUM(status = 'invalid'), COUNT(*) "
                      "FROM acme_authz WHERE order_id = ?",
                      &q, NULL) != CC_OK)
        return "pending";
    store_bind_int64(q, 1, o->id);
    const char *s = "pending";
    if (store_step(q, NULL) == STORE_ROW) {
        if (store_col_int64(q, 1) > 0)
            s = "invalid";
        else if (store_col_int64(q, 0) == store_col_int64(q, 2))
            s = "ready";
    }
    store_finalize(q);
    return s;
}

static json_t *
order_json(struct call *c, const struct order *o)
{
    char exp[32];
    rfc3339(o->expires, exp, sizeof exp);
    json_t *ids = json_loads(o->identifiers, 0, NULL);
    json_t *authz = json_array();
    struct store_stmt *q;
    if (store_prepare(c->st, "SELECT id FROM acme_authz WHERE order_id = ? ORDER BY id", &q,
                      NULL) == CC_OK) {
        store_bind_int64(q, 1, o->id);
        while (store_step(q, NULL) == STORE_ROW) {
            char *u = url_of(c, "authz/%lld", (long long)store_col_int64(q, 0));
            json_array_append_new(authz, json_string(u ? u : ""));
            free(u);
        }
        store_finalize(q);
    }
    const char *status = order_status(c->st, o);
    char *fin = url_of(c, "finalize/%lld", (long long)o->id);
    json_t *j =
        json_pack("{s:s, s:s, s:o, s:o, s:s?}", "status", status, "expires", exp, "identifiers",
                  ids ? ids : json_array(), "authorizations", authz, "finalize", fin);
    free(fin);
    if (j && strcmp(status, "valid") == 0) {
        char *cu = url_of(c, "cert/%lld", (long long)o->id);
        json_object_set_new(j, "certificate", json_string(cu ? cu : ""));
        free(cu);
    }
    if (j && o->error) {
        json_t *e = json_loads(o->error, 0, NULL);
        if (e)
            json_object_set_new(j, "error", e);
    }
    return j;
}

/*
 * A template that builds the subject from the directory puts the
 * principal's own names in the certificate, whatever the order asks: an
 * order for another name is refused as the policy module's subject rule,
 * and recorded as a Failed Request. 0, or -1 with the problem set.
 */
static int
refuse_unowned(struct call *c, const struct strlist *names)
{
    struct template t = {0};
    if (template_load(c->st, c->tcn, &t, NULL) != CC_OK) {
        problem(c->r, 500, "serverInternal", "the template cannot be read now");
        return -1;
    }
    int builds = !(t.name_flag & CT_NAME_ENROLLEE_SUPPLIES_SUBJECT);
    const char *foreign = NULL;
    for (size_t i = 0; builds && foreign == NULL && i < names->n; i++)
        if (!principal_owns(c->st, c->acct.principal, names->v[i]))
            foreign = names->v[i];
    if (foreign == NULL) {
        template_free(&t);
        return 0;
    }
    struct dir_principal p = {0};
    char *cause = NULL, *who = NULL, *msg = NULL;
    int64_t request_id = 0;
    int rc = dir_get(c->st, c->acct.principal, &p, &cause);
    if (rc == CC_OK) {
        who = dir_qualified_name(c->st, &p);
        msg = cc_asprintf("Denied by Policy Module  0x%08x, %s Template %s builds the subject "
                          "from the directory, and the record of %s does not hold %s.",
                          cc_hresult(CC_E_BAD_REQUESTSUBJECT), cc_strerror(CC_E_BAD_REQUESTSUBJECT),
                          t.display_name, who ? who : p.name, foreign);
        rc = msg ? CC_OK : CC_ENOMEM;
    }
    /* recorded as the bound account's request: the call acts as it */
    if (rc == CC_OK)
        rc = cadb_record_refusal(call_cx(c), who ? who : p.name, p.id, t.cn,
                                 CC_E_BAD_REQUESTSUBJECT, msg, NULL, 0, &request_id, &cause);
    if (rc == CC_OK)
        problem(c->r, 400, "rejectedIdentifier", "%s (request %lld)", msg, (long long)request_id);
    else
        problem(c->r, 500, "serverInternal", "the refusal could not be recorded: %s",
                cause ? cause : cc_strerror(rc));
    free(cause);
    free(who);
    free(msg);
    dir_principal_free(&p);
    template_free(&t);
    return -1;
}

static void
h_new_order(struct call *c)
{
    struct acme_response *r = c->r;
    json_t *ids = c->payload ? json_object_get(c->payload, "identifiers") : NULL;
    if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > 100) {
        problem(r, 400, "malformed", "newOrder needs identifiers: an array of 1 to 100");
        return;
    }
    if (json_object_get(c->payload, "notBefore") || json_object_get(c->payload, "notAfter")) {
        problem(r, 400, "malformed",
                "notBefore and notAfter are the template's to decide: leave them out");
        return;
    }
    if (c->acct.template_cn && strcasecmp(c->acct.template_cn, c->tcn) != 0) {
        problem(r, 403, "unauthorized",
                "this account was bound for template %s only: use its directory",
                c->acct.template_cn);
        return;
    }
    struct strlist names = {0};
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        const char *type = jstr(v, "type"), *value = jstr(v, "value");
        char *name = cc_strdup(value);
        if (type == NULL || strcmp(type, "dns") != 0 || name == NULL) {
            free(name);
            strlist_free(&names);
            problem(r, 400, "unsupportedIdentifier", "only dns identifiers are supported");
            return;
        }
        if (strncmp(name, "*.", 2) == 0 || !dns_name_ok(name)) {
            problem(r, 400, "rejectedIdentifier",
                    "%s is not a DNS name this CA certifies (no wildcards; letters, digits, "
                    "hyphens and dots)",
                    value);
            free(name);
            strlist_free(&names);
            return;
        }
        if (strlist_find(&names, name, 1) < 0)
            strlist_add(&names, name);
        free(name);
    }
    if (refuse_unowned(c, &names) != 0) {
        strlist_free(&names);
        return;
    }
    json_t *canon = json_array();
    for (i = 0; i < names.n; i++)
        json_array_append_new(canon, json_pack("{s:s, s:s}", "type", "dns", "value", names.v[i]));
    char *idtext = json_dumps(canon, JSON_COMPACT);
    json_decref(canon);
    time_t now = ctx_now(c->cx);
    char *cause = NULL;
    struct store_stmt *q = NULL;
    int rc = idtext ? store_begin(c->st, &cause) : CC_ENOMEM;
    if (rc == CC_OK)
        rc = store_prepare(c->st,
                           "INSERT INTO acme_order (account, template, status, identifiers, "
                           "created, expires) VALUES (?, ?, 'pending', ?, ?, ?)",
                           &q, &cause);
    int64_t oid = 0;
    if (rc == CC_OK) {
        store_bind_int64(q, 1, c->acct.id);
        store_bind_text(q, 2, c->tcn);
        store_bind_text(q, 3, idtext);
        store_bind_int64(q, 4, (int64_t)now);
        store_bind_int64(q, 5, (int64_t)(now + ORDER_LIFE));
        rc = store_run(q, &cause);
        oid = store_last_id(c->st);
        store_finalize(q);
    }
    if (rc == CC_OK)
        rc = store_prepare(c->st,
                           "INSERT INTO acme_authz (order_id, name, status, token, expires, "
                           "validated) VALUES (?, ?, ?, ?, ?, ?)",
                           &q, &cause);
    for (i = 0; rc == CC_OK && i < names.n; i++) {
        /* AD CS's "build from directory" trust: the record already holds the name */
        int own = principal_owns(c->st, c->acct.principal, names.v[i]);
        unsigned char raw[32];
        char *token =
            cc_random(raw, sizeof raw) == CC_OK ? acme_b64url_encode(raw, sizeof raw) : NULL;
        store_reset(q);
        store_bind_int64(q, 1, oid);
        store_bind_text(q, 2, names.v[i]);
        store_bind_text(q, 3, own ? "valid" : "pending");
        store_bind_text(q, 4, token);
        store_bind_int64(q, 5, (int64_t)(now + ORDER_LIFE));
        if (own)
            store_bind_int64(q, 6, (int64_t)now);
        else
            store_bind_null(q, 6);
        rc = token ? store_run(q, &cause) : CC_ENOMEM;
        free(token);
    }
    if (q)
        store_finalize(q);
    rc = store_finish(c->st, rc, &cause);
    free(cause);
    free(idtext);
    strlist_free(&names);
    struct order o = {0};
    if (rc != CC_OK || order_find(c->st, oid, &o) != CC_OK) {
        problem(r, 500, "serverInternal", "the order could not be recorded");
        return;
    }
    r->location = url_of(c, "order/%lld", (long long)oid);
    reply_obj(r, 201, order_json(c, &o));
    order_free(&o);
}

/* Reads order id for the signing account: 0, or -1 with the problem set. */
static int
own_order(struct call *c, int64_t id, struct order *o)
{
    int rc = order_find(c->st, id, o);
    if (rc == CC_ENOTFOUND || (rc == CC_OK && o->account != c->acct.id)) {
        order_free(o);
        problem(c->r, 404, "malformed", "no such order of this account");
        return -1;
    }
    if (rc != CC_OK) {
        problem(c->r, 500, "serverInternal", "the CA's database cannot be read now");
        return -1;
    }
    return 0;
}

/*
 * A pending request of an order (CA certificate manager approval) that the
 * manager has since issued or denied.
 */
static void
order_catch_up(struct call *c, struct order *o)
{
    if (strcmp(o->status, "processing") != 0 || o->request_id == 0)
        return;
    struct cadb_row *rowp = calloc(1, sizeof *rowp);
    if (rowp == NULL)
        return;
    if (cadb_get(c->st, o->request_id, rowp, NULL) != CC_OK) {
        cadb_rows_free(rowp, 1);
        return;
    }
    const struct cadb_row row = *rowp;
    const char *status = NULL;
    char *err = NULL;
    struct pkix_buf der = {0};
    if (row.disposition == DISP_ISSUED || row.disposition == DISP_REVOKED) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)o->request_id);
        /* retrieved as the bound account, as `certcon retrieve` would */
        if (cadb_retrieve(call_cx(c), id, &der, NULL, NULL) == CC_OK)
            status = "valid";
    } else if (row.disposition == DISP_DENIED || row.disposition == DISP_ERROR) {
        status = "invalid";
        json_t *e = json_pack("{s:s, s:s, s:i}", "type", ACME_ERR "unauthorized", "detail",
                              row.message ? row.message : "denied by the CA certificate manager",
                              "status", 403);
        err = e ? json_dumps(e, JSON_COMPACT) : NULL;
        json_decref(e);
    }
    if (status) {
        struct store_stmt *q;
        if (store_prepare(c->st,
                          "UPDATE acme_order SET status = ?, cert = ?, serial = ?, error = ? "
                          "WHERE id = ?",
                          &q, NULL) == CC_OK) {
            store_bind_text(q, 1, status);
            if (der.n)
                store_bind_blob(q, 2, der.p, der.n);
            store_bind_text(q, 3, row.serial);
            store_bind_text(q, 4, err);
            store_bind_int64(q, 5, o->id);
            if (store_run(q, NULL) == CC_OK) {
                free(o->status);
                o->status = cc_strdup(status);
                free(o->error);
                o->error = cc_strdup(err);
                pkix_buf_free(&o->cert);
                pkix_buf_set(&o->cert, der.p, der.n);
            }
            store_finalize(q);
        }
    }
    free(err);
    pkix_buf_free(&der);
    cadb_rows_free(rowp, 1);
}

static void
h_order(struct call *c, int64_t id)
{
    struct order o = {0};
    if (own_order(c, id, &o) != 0)
        return;
    order_catch_up(c, &o);
    if (strcmp(o.status, "processing") == 0)
        c->r->retry_after = 1;
    reply_obj(c->r, 200, order_json(c, &o));
    order_free(&o);
}

/* The problem type an AD CS refusal is to a client (RFC 8555 6.7). */
static const char *
refusal_type(int status)
{
    switch (status) {
    case CC_E_BAD_REQUEST:
    case CC_E_BAD_SIGNATURE:
    case CC_E_WEAK_SIGNATURE:
    case CC_E_KEY_LENGTH:
        return "badCSR";
    case CC_E_BAD_REQUESTSUBJECT:
    case CC_E_SUBJECT_DNS_REQUIRED:
    case CC_E_SUBJECT_ALT_NAME_REQUIRED:
        return "rejectedIdentifier";
    default:
        return "unauthorized";
    }
}

static void
h_finalize(struct call *c, int64_t id)
{
    struct acme_response *r = c->r;
    struct order o = {0};
    if (own_order(c, id, &o) != 0)
        return;
    const char *status = order_status(c->st, &o);
    if (strcmp(status, "ready") != 0) {
        problem(r, 403, "orderNotReady", "the order is %s, not ready: %s", status,
                strcmp(status, "pending") == 0 ? "its authorizations are not all valid yet"
                                               : "it was finalized already");
        order_free(&o);
        return;
    }
    const char *csr64 = c->payload ? jstr(c->payload, "csr") : NULL;
    unsigned char *der = NULL;
    size_t dlen = 0;
    if (csr64 == NULL || b64url_decode_str(csr64, &der, &dlen) != CC_OK) {
        problem(r, 400, "badCSR", "finalize needs csr: a base64url DER PKCS#10 request");
        order_free(&o);
        return;
    }
    /* the request must ask for exactly the order's names (RFC 8555 7.4) */
    struct request_info ri = {0};
    char *cause = NULL;
    int rc = request_parse(der, dlen, &ri, &cause);
    if (rc != CC_OK) {
        problem(r, 400, "badCSR", "the CSR cannot be used: %s", cause ? cause : cc_strerror(rc));
        free(cause);
        free(der);
        order_free(&o);
        return;
    }
    struct strlist want = {0}, got = {0};
    json_t *ids = json_loads(o.identifiers, 0, NULL);
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v) strlist_add(&want, jstr(v, "value"));
    json_decref(ids);
    strlist_copy(&got, &ri.dns);
    if (ri.cn && strlist_find(&got, ri.cn, 1) < 0)
        strlist_add(&got, ri.cn);
    int same = strlist_same_set(&want, &got, 1) && ri.ip.n == 0 && ri.email.n == 0 &&
               ri.upn.n == 0 && ri.uri.n == 0;
    request_info_free(&ri);
    strlist_free(&got);
    if (!same) {
        char *w = strlist_join(&want, ", ");
        problem(r, 400, "badCSR", "the CSR must name exactly the order's identifiers (%s)",
                w ? w : "");
        free(w);
        strlist_free(&want);
        free(der);
        order_free(&o);
        return;
    }
    strlist_free(&want);
    /* the policy module, as the bound principal */
    struct dir_principal p = {0};
    struct cadb_session *s = NULL;
    struct cadb_outcome out = {0};
    rc = dir_get(c->st, c->acct.principal, &p, &cause);
    if (rc == CC_OK)
        rc = cadb_session_open(call_cx(c), NULL, &s, &cause);
    if (rc == CC_OK)
        rc = cadb_submit(s, &p, o.template_cn, der, dlen, &out, &cause);
    cadb_session_close(s);
    dir_principal_free(&p);
    free(der);
    if (rc != CC_OK) {
        problem(r, 500, "serverInternal", "the CA cannot issue now: %s",
                cause ? cause : cc_strerror(rc));
        free(cause);
        order_free(&o);
        return;
    }
    free(cause);
    cause = NULL;
    const char *nstatus;
    char *err = NULL;
    unsigned pstatus = 0;
    const char *ptype = NULL;
    char *detail = NULL;
    if (out.status == CC_OK && out.disposition == DISP_ISSUED) {
        nstatus = "valid";
    } else if (out.status == CC_OK && out.disposition == DISP_PENDING) {
        nstatus = "processing";
    } else {
        nstatus = "invalid";
        ptype = refusal_type(out.status);
        pstatus = strcmp(ptype, "unauthorized") == 0 ? 403 : 400;
        /* the disposition message names the AD CS code, as Failed Requests shows it */
        if (out.message && strstr(out.message, "0x") != NULL)
            detail = cc_asprintf("%s (request %lld)", out.message, (long long)out.request_id);
        else
            detail = cc_asprintf(
                "Denied by Policy Module 0x%08x, %s (request %lld)", cc_hresult(out.status),
                out.message ? out.message : cc_strerror(out.status), (long long)out.request_id);
        char *t = cc_asprintf(ACME_ERR "%s", ptype);
        json_t *e =
            json_pack("{s:s?, s:s?, s:i}", "type", t, "detail", detail, "status", (int)pstatus);
        free(t);
        err = e ? json_dumps(e, JSON_COMPACT) : NULL;
        json_decref(e);
    }
    struct store_stmt *q;
    rc = store_prepare(c->st,
                       "UPDATE acme_order SET status = ?, request_id = ?, serial = ?, cert = ?, "
                       "error = ? WHERE id = ?",
                       &q, NULL);
    if (rc == CC_OK) {
        store_bind_text(q, 1, nstatus);
        store_bind_int64(q, 2, out.request_id);
        store_bind_text(q, 3, out.serial[0] ? out.serial : NULL);
        if (out.cert.n)
            store_bind_blob(q, 4, out.cert.p, out.cert.n);
        store_bind_text(q, 5, err);
        store_bind_int64(q, 6, o.id);
        rc = store_run(q, NULL);
        store_finalize(q);
    }
    cadb_outcome_free(&out);
    free(err);
    if (rc != CC_OK) {
        problem(r, 500, "serverInternal", "the order could not be updated");
    } else if (ptype) {
        problem(r, pstatus, ptype, "%s", detail);
    } else {
        order_free(&o);
        if (order_find(c->st, id, &o) == CC_OK) {
            r->location = url_of(c, "order/%lld", (long long)id);
            if (strcmp(o.status, "processing") == 0)
                r->retry_after = 1;
            reply_obj(r, 200, order_json(c, &o));
        } else {
            problem(r, 500, "serverInternal", "the order could not be read back");
        }
    }
    free(detail);
    order_free(&o);
}

static int
pem_append(struct pkix_buf *b, const void *der, size_t n)
{
    gnutls_datum_t in = {(unsigned char *)der, (unsigned)n}, out = {NULL, 0};
    if (gnutls_pem_base64_encode2("CERTIFICATE", &in, &out) != 0)
        return CC_ENOMEM;
    int rc = pkix_buf_append(b, out.data, out.size);
    gnutls_free(out.data);
    return rc;
}

static void
h_cert(struct call *c, int64_t id)
{
    struct order o = {0};
    if (own_order(c, id, &o) != 0)
        return;
    if (o.cert.n == 0) {
        problem(c->r, 404, "malformed", "the order has no certificate (it is %s)", o.status);
        order_free(&o);
        return;
    }
    struct authority_info ca;
    struct pkix_buf chain = {0};
    int rc = authority_info_load(c->st, &ca, NULL);
    if (rc == CC_OK) {
        rc = pem_append(&chain, o.cert.p, o.cert.n);
        if (rc == CC_OK)
            rc = pem_append(&chain, ca.cert.p, ca.cert.n);
        authority_info_free(&ca);
    }
    order_free(&o);
    if (rc != CC_OK) {
        pkix_buf_free(&chain);
        problem(c->r, 500, "serverInternal", "the certificate chain cannot be built");
        return;
    }
    c->r->status = 200;
    c->r->type = "application/pem-certificate-chain";
    c->r->body = malloc(chain.n + 1);
    if (c->r->body) {
        memcpy(c->r->body, chain.p, chain.n);
        c->r->body_len = chain.n;
    } else {
        c->r->status = 500;
    }
    pkix_buf_free(&chain);
}

struct authz {
    int64_t id, order_id;
    char *name, *status, *token, *vtype, *error;
    time_t expires, validated;
};

static void
authz_free(struct authz *a)
{
    free(a->name);
    free(a->status);
    free(a->token);
    free(a->vtype);
    free(a->error);
    memset(a, 0, sizeof *a);
}

/* Reads authorization id of the signing account: 0, or -1 with the problem set. */
static int
own_authz(struct call *c, int64_t id, struct authz *a)
{
    struct store_stmt *q;
    int rc = store_prepare(c->st,
                           "SELECT z.id, z.order_id, z.name, z.status, z.token, z.validated_type, "
                           "z.error, z.expires, z.validated, o.account FROM acme_authz z "
                           "JOIN acme_order o ON o.id = z.order_id WHERE z.id = ?",
                           &q, NULL);
    if (rc != CC_OK) {
        problem(c->r, 500, "serverInternal", "the CA's database cannot be read now");
        return -1;
    }
    store_bind_int64(q, 1, id);
    rc = store_step(q, NULL);
    if (rc != STORE_ROW || store_col_int64(q, 9) != c->acct.id) {
        store_finalize(q);
        problem(c->r, 404, "malformed", "no such authorization of this account");
        return -1;
    }
    a->id = store_col_int64(q, 0);
    a->order_id = store_col_int64(q, 1);
    a->name = cc_strdup(store_col_text(q, 2));
    a->status = cc_strdup(store_col_text(q, 3));
    a->token = cc_strdup(store_col_text(q, 4));
    a->vtype = store_col_null(q, 5) ? NULL : cc_strdup(store_col_text(q, 5));
    a->error = store_col_null(q, 6) ? NULL : cc_strdup(store_col_text(q, 6));
    a->expires = (time_t)store_col_int64(q, 7);
    a->validated = (time_t)store_col_int64(q, 8);
    store_finalize(q);
    return 0;
}

static json_t *
chall_json(struct call *c, const struct authz *a, const char *type)
{
    char *u = url_of(c, "chall/%lld/%s", (long long)a->id, type);
    const char *status = "pending";
    if (a->vtype && strcmp(a->vtype, type) == 0)
        status = a->status;
    json_t *j = json_pack("{s:s, s:s?, s:s, s:s}", "type", type, "url", u, "token", a->token,
                          "status", status);
    free(u);
    if (j && strcmp(status, "valid") == 0) {
        char when[32];
        rfc3339(a->validated, when, sizeof when);
        json_object_set_new(j, "validated", json_string(when));
    }
    if (j && strcmp(status, "invalid") == 0 && a->error) {
        json_t *e = json_loads(a->error, 0, NULL);
        if (e)
            json_object_set_new(j, "error", e);
    }
    return j;
}

static json_t *
authz_json(struct call *c, const struct authz *a)
{
    char exp[32];
    rfc3339(a->expires, exp, sizeof exp);
    json_t *ch = json_array();
    for (size_t i = 0; i < sizeof chall_types / sizeof chall_types[0]; i++) {
        /* a valid authorization lists the challenge that made it so, if one did */
        if (strcmp(a->status, "pending") != 0 &&
            (a->vtype == NULL || strcmp(a->vtype, chall_types[i]) != 0))
            continue;
        if (strcmp(a->status, "pending") == 0 && !chall_offered(c->va, chall_types[i]))
            continue;
        json_array_append_new(ch, chall_json(c, a, chall_types[i]));
    }
    return json_pack("{s:{s:s, s:s}, s:s, s:s, s:o}", "identifier", "type", "dns", "value", a->name,
                     "status", a->status, "expires", exp, "challenges", ch);
}

static void
h_authz(struct call *c, int64_t id)
{
    struct authz a = {0};
    if (own_authz(c, id, &a) != 0)
        return;
    reply_obj(c->r, 200, authz_json(c, &a));
    authz_free(&a);
}

/* Runs the validation of type for a; records the outcome. */
static void
validate(struct call *c, struct authz *a, const char *type)
{
    char *key_auth = cc_asprintf("%s.%s", a->token, c->acct.thumbprint);
    char *cause = NULL;
    int rc = CC_ENOMEM;
    if (key_auth) {
        unsigned char d[32];
        if (strcmp(type, "http-01") == 0) {
            rc = c->va->http01(c->va->arg, a->name, a->token, key_auth, &cause);
        } else if (gnutls_hash_fast(GNUTLS_DIG_SHA256, key_auth, strlen(key_auth), d) != 0) {
            rc = CC_ECRYPTO;
        } else if (strcmp(type, "dns-01") == 0) {
            char *digest = acme_b64url_encode(d, sizeof d);
            rc = digest ? c->va->dns01(c->va->arg, a->name, digest, &cause) : CC_ENOMEM;
            free(digest);
        } else {
            rc = c->va->tlsalpn01(c->va->arg, a->name, d, &cause);
        }
    }
    free(key_auth);
    const char *status = rc == CC_OK ? "valid" : "invalid";
    char *err = NULL;
    if (rc != CC_OK) {
        const char *ptype = strcmp(type, "dns-01") == 0 ? "dns" : "incorrectResponse";
        if (rc == CC_EIO)
            ptype = "connection";
        char *t = cc_asprintf(ACME_ERR "%s", ptype);
        json_t *e = json_pack("{s:s?, s:s, s:i}", "type", t, "detail",
                              cause ? cause : cc_strerror(rc), "status", 403);
        free(t);
        err = e ? json_dumps(e, JSON_COMPACT) : NULL;
        json_decref(e);
    }
    free(cause);
    struct store_stmt *q;
    if (store_prepare(c->st,
                      "UPDATE acme_authz SET status = ?, validated_type = ?, error = ?, "
                      "validated = ? WHERE id = ? AND status = 'pending'",
                      &q, NULL) == CC_OK) {
        store_bind_text(q, 1, status);
        store_bind_text(q, 2, type);
        store_bind_text(q, 3, err);
        store_bind_int64(q, 4, (int64_t)ctx_now(c->cx));
        store_bind_int64(q, 5, a->id);
        if (store_run(q, NULL) == CC_OK) {
            free(a->status);
            a->status = cc_strdup(status);
            free(a->vtype);
            a->vtype = cc_strdup(type);
            free(a->error);
            a->error = err;
            err = NULL;
            a->validated = ctx_now(c->cx);
        }
        store_finalize(q);
    }
    free(err);
}

static void
h_chall(struct call *c, int64_t id, const char *type)
{
    struct authz a = {0};
    if (own_authz(c, id, &a) != 0)
        return;
    if (!chall_offered(c->va, type)) {
        problem(c->r, 404, "malformed", "no %s challenge here", type);
        authz_free(&a);
        return;
    }
    /* a payload of {} asks for validation; POST-as-GET only reads */
    if (c->payload && strcmp(a.status, "pending") == 0)
        validate(c, &a, type);
    c->r->link_up = url_of(c, "authz/%lld", (long long)a.id);
    c->r->retry_after = 1;
    reply_obj(c->r, 200, chall_json(c, &a, type));
    authz_free(&a);
}

/* The SubjectPublicKeyInfo (DER) of a JWK; CC_OK or CC_EINVAL. */
static int
jwk_spki(json_t *jwk, gnutls_datum_t *out)
{
    const char *kty = jstr(jwk, "kty"), *crv = jstr(jwk, "crv");
    gnutls_pubkey_t pub;
    if (kty == NULL || gnutls_pubkey_init(&pub) != 0)
        return CC_EINVAL;
    gnutls_datum_t a = {NULL, 0}, b = {NULL, 0};
    int ok = 0;
    if (strcmp(kty, "RSA") == 0)
        ok = !member_datum(jwk, "n", &a) && !member_datum(jwk, "e", &b) &&
             gnutls_pubkey_import_rsa_raw(pub, &a, &b) == 0;
    else if (strcmp(kty, "EC") == 0 && crv && (!strcmp(crv, "P-256") || !strcmp(crv, "P-384")))
        ok = !member_datum(jwk, "x", &a) && !member_datum(jwk, "y", &b) &&
             gnutls_pubkey_import_ecc_raw(pub,
                                          strcmp(crv, "P-256") == 0 ? GNUTLS_ECC_CURVE_SECP256R1
                                                                    : GNUTLS_ECC_CURVE_SECP384R1,
                                          &a, &b) == 0;
    else if (strcmp(kty, "OKP") == 0 && crv && strcmp(crv, "Ed25519") == 0)
        ok = !member_datum(jwk, "x", &a) &&
             gnutls_pubkey_import_ecc_raw(pub, GNUTLS_ECC_CURVE_ED25519, &a, NULL) == 0;
    if (ok)
        ok = gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, out) == 0;
    free(a.data);
    free(b.data);
    gnutls_pubkey_deinit(pub);
    return ok ? CC_OK : CC_EINVAL;
}

/* The serial (as the CA database writes it) of a certificate this CA issued as der, or NULL. */
static char *
issued_serial(struct store *st, const unsigned char *der, size_t n, int *revoked)
{
    gnutls_x509_crt_t crt;
    gnutls_datum_t d = {(unsigned char *)der, (unsigned)n};
    unsigned char sn[64];
    size_t snlen = sizeof sn;
    if (gnutls_x509_crt_init(&crt) != 0)
        return NULL;
    int ok = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) == 0 &&
             gnutls_x509_crt_get_serial(crt, sn, &snlen) == 0;
    gnutls_x509_crt_deinit(crt);
    if (!ok)
        return NULL;
    char *found = NULL;
    /* with and without the sign byte DER may carry */
    for (size_t skip = 0; found == NULL && skip < 2 && skip < snlen; skip++) {
        if (skip == 1 && sn[0] != 0)
            break;
        char hex[130];
        for (size_t i = skip; i < snlen; i++)
            snprintf(hex + 2 * (i - skip), 3, "%02x", sn[i]);
        struct store_stmt *q;
        if (store_prepare(st, "SELECT raw, revoked_reason FROM certificate WHERE serial = ?", &q,
                          NULL) != CC_OK)
            return NULL;
        store_bind_text(q, 1, hex);
        if (store_step(q, NULL) == STORE_ROW) {
            size_t rn;
            const void *raw = store_col_blob(q, 0, &rn);
            /* the very certificate, not another with its serial */
            if (rn == n && memcmp(raw, der, n) == 0) {
                found = cc_strdup(hex);
                *revoked = !store_col_null(q, 1) && store_col_int(q, 1) != 6;
            }
        }
        store_finalize(q);
    }
    return found;
}

/*
 * revokeCert (RFC 8555 7.6): signed by the account that ordered the
 * certificate (kid), or by the certificate's own key (jwk).
 */
static void
h_revoke(struct call *c)
{
    struct acme_response *r = c->r;
    const char *cert64 = c->payload ? jstr(c->payload, "certificate") : NULL;
    json_t *jr = c->payload ? json_object_get(c->payload, "reason") : NULL;
    int reason = jr ? (int)json_integer_value(jr) : 0;
    unsigned char *der = NULL;
    size_t n = 0;
    if (cert64 == NULL || b64url_decode_str(cert64, &der, &n) != CC_OK || n == 0) {
        problem(r, 400, "malformed", "revokeCert needs certificate: base64url DER");
        return;
    }
    if (jr && (!json_is_integer(jr) || reason < 0 || reason > 10)) {
        free(der);
        problem(r, 400, "badRevocationReason", "reason must be an RFC 5280 reason code");
        return;
    }
    int revoked = 0;
    char *serial = issued_serial(c->st, der, n, &revoked);
    if (serial == NULL) {
        free(der);
        problem(r, 404, "malformed", "this CA did not issue that certificate");
        return;
    }
    int allowed = 0;
    gnutls_datum_t mine = {NULL, 0}; /* the JWS key, when it is not an account's */
    if (c->acct.id != 0) {
        struct store_stmt *q;
        if (store_prepare(c->st, "SELECT 1 FROM acme_order WHERE serial = ? AND account = ?", &q,
                          NULL) == CC_OK) {
            store_bind_text(q, 1, serial);
            store_bind_int64(q, 2, c->acct.id);
            allowed = store_step(q, NULL) == STORE_ROW;
            store_finalize(q);
        }
    } else {
        gnutls_x509_crt_t crt;
        gnutls_datum_t d = {der, (unsigned)n}, spki = {NULL, 0};
        gnutls_pubkey_t pub;
        if (gnutls_x509_crt_init(&crt) == 0) {
            if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) == 0 &&
                gnutls_pubkey_init(&pub) == 0) {
                if (gnutls_pubkey_import_x509(pub, crt, 0) == 0 &&
                    gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &spki) == 0 &&
                    jwk_spki(c->jwk, &mine) == CC_OK)
                    allowed =
                        spki.size == mine.size && memcmp(spki.data, mine.data, spki.size) == 0;
                gnutls_pubkey_deinit(pub);
            }
            gnutls_x509_crt_deinit(crt);
        }
        gnutls_free(spki.data);
    }
    free(der);
    if (!allowed) {
        const char *why = c->acct.id ? "this account did not order that certificate"
                                     : "the JWS key is not the certificate's key";
        audit_refused(call_cx(c), "certificate", serial, "revocation", "certificate holder", why);
        problem(r, 403, "unauthorized", "%s", why);
    } else if (revoked) {
        problem(r, 400, "alreadyRevoked", "certificate %s is already revoked", serial);
    } else {
        /*
         * The CA database checks the proof again: the certificate's own key,
         * or (the call acting as the account's principal) its requester.
         */
        char *cause = NULL, *how = NULL;
        if (c->acct.id != 0)
            how = cc_asprintf("ACME account %lld, which ordered it", (long long)c->acct.id);
        else
            how = cc_strdup("ACME revokeCert signed with the certificate's key");
        struct cadb_holder h = {c->acct.id != 0 ? NULL : mine.data, c->acct.id != 0 ? 0 : mine.size,
                                how};
        int rc = how ? cadb_revoke_by_holder(call_cx(c), serial, reason, &h, &cause) : CC_ENOMEM;
        free(how);
        if (rc == CC_EINVAL)
            problem(r, 400, "badRevocationReason", "%s", cause ? cause : "reason not allowed");
        else if (rc == CC_EACCES)
            problem(r, 403, "unauthorized", "%s", cause ? cause : "not the certificate's holder");
        else if (rc != CC_OK)
            problem(r, 500, "serverInternal", "the revocation could not be recorded: %s",
                    cause ? cause : cc_strerror(rc));
        else
            r->status = 200, r->type = NULL;
        free(cause);
    }
    gnutls_free(mine.data);
    free(serial);
}

/* keyChange (RFC 8555 7.3.5): the account's key is replaced by the inner JWS's. */
static void
h_key_change(struct call *c)
{
    struct acme_response *r = c->r;
    struct jws j;
    const char *why = c->payload ? jws_parse(c->payload, &j) : "keyChange needs a payload";
    if (c->payload == NULL)
        memset(&j, 0, sizeof j);
    if (why) {
        problem(r, 400, "malformed", "keyChange: the inner JWS: %s", why);
        jws_free(&j);
        return;
    }
    const char *alg = jstr(j.protected, "alg"), *url = jstr(j.protected, "url");
    json_t *njwk = json_object_get(j.protected, "jwk");
    char *want = url_of(c, "key-change");
    char *acct_url = url_of(c, "acct/%lld", (long long)c->acct.id);
    json_t *inner = json_loadb((const char *)j.payload, j.payload_len, 0, NULL);
    const char *w = NULL;
    char *ntp = njwk ? jwk_thumbprint(njwk, &w) : NULL;
    char *otp = inner && json_object_get(inner, "oldKey")
                    ? jwk_thumbprint(json_object_get(inner, "oldKey"), &w)
                    : NULL;
    const char *kid = inner ? jstr(inner, "account") : NULL;
    /* the account URL may name another template's directory: compare the ids */
    const char *at = kid ? strstr(kid, "/acct/") : NULL;
    char *input = jws_input(&j);
    struct account other = {0};
    if (url == NULL || want == NULL || strcmp(url, want) != 0 ||
        json_object_get(j.protected, "nonce") || njwk == NULL || ntp == NULL) {
        problem(r, 400, "malformed",
                "keyChange: the inner JWS must be signed with the new key (jwk), carry this "
                "URL and no nonce");
    } else if ((why = jws_verify(njwk, alg, input, input ? strlen(input) : 0, j.sig, j.siglen))) {
        problem(r, 400, "malformed", "keyChange: the inner JWS: %s", why);
    } else if (at == NULL || strtoll(at + 6, NULL, 10) != c->acct.id || otp == NULL ||
               strcmp(otp, c->acct.thumbprint) != 0) {
        problem(r, 400, "malformed",
                "keyChange: the inner payload must name this account and its current key");
    } else if (account_find(c->st, 0, ntp, &other) == CC_OK) {
        r->location = url_of(c, "acct/%lld", (long long)other.id);
        problem(r, 409, "conflict", "another account has that key");
        free(r->location);
        r->location = url_of(c, "acct/%lld", (long long)other.id);
    } else {
        char *jwk = json_dumps(njwk, JSON_COMPACT | JSON_SORT_KEYS);
        char *cause = NULL;
        struct store_stmt *q;
        int rc = jwk ? store_begin(c->st, &cause) : CC_ENOMEM;
        if (rc == CC_OK)
            rc = store_prepare(c->st,
                               "UPDATE acme_account SET jwk = ?, thumbprint = ? WHERE id = ? "
                               "AND thumbprint = ?",
                               &q, &cause);
        if (rc == CC_OK) {
            store_bind_text(q, 1, jwk);
            store_bind_text(q, 2, ntp);
            store_bind_int64(q, 3, c->acct.id);
            store_bind_text(q, 4, c->acct.thumbprint);
            rc = store_run(q, &cause);
            if (rc == CC_OK && store_rows_changed(c->st) != 1)
                rc = CC_ECONFLICT;
            store_finalize(q);
        }
        char *obj = cc_asprintf("account %lld", (long long)c->acct.id);
        if (rc == CC_OK)
            rc = audit_record(call_cx(c), "acme", obj ? obj : "account", "key", c->acct.thumbprint,
                              ntp, &cause);
        free(obj);
        rc = store_finish(c->st, rc, &cause);
        free(cause);
        free(jwk);
        if (rc != CC_OK) {
            problem(r, rc == CC_ECONSTRAINT ? 409 : 500,
                    rc == CC_ECONSTRAINT ? "conflict" : "serverInternal",
                    "the account's key could not be changed");
        } else {
            free(c->acct.thumbprint);
            c->acct.thumbprint = cc_strdup(ntp);
            reply_obj(r, 200, account_json(c, &c->acct));
        }
    }
    account_free(&other);
    free(input);
    free(ntp);
    free(otp);
    json_decref(inner);
    free(want);
    free(acct_url);
    jws_free(&j);
}

/* ---------------- dispatch ---------------- */

/*
 * Verifies the JWS of a POST: the nonce, the URL, the key (jwk for
 * newAccount, kid otherwise) and the signature. 0, or -1 with the problem.
 */
static int
post_verify(struct call *c, int jwk_ok)
{
    struct acme_response *r = c->r;
    const struct acme_request *q = c->q;
    if (q->content_type && strncmp(q->content_type, "application/jose+json", 21) != 0) {
        problem(r, 415, "malformed", "the body must be application/jose+json");
        return -1;
    }
    json_t *root = json_loadb(q->body, q->body_len, JSON_REJECT_DUPLICATES, NULL);
    struct jws j;
    const char *why = jws_parse(root, &j);
    json_decref(root);
    if (why) {
        problem(r, 400, "malformed", "%s", why);
        jws_free(&j);
        return -1;
    }
    const char *alg = jstr(j.protected, "alg"), *nonce = jstr(j.protected, "nonce"),
               *url = jstr(j.protected, "url"), *kid = jstr(j.protected, "kid");
    json_t *jwk = json_object_get(j.protected, "jwk");
    char *want = cc_asprintf("%s/acme%s", q->base, q->path);
    int rc = -1;
    if (alg == NULL || (strcmp(alg, "RS256") && strcmp(alg, "ES256") && strcmp(alg, "ES384") &&
                        strcmp(alg, "EdDSA"))) {
        problem(r, 400, "badSignatureAlgorithm",
                "the JWS algorithm must be RS256, ES256, ES384 or EdDSA");
        json_t *algs = json_pack("[s,s,s,s]", "RS256", "ES256", "ES384", "EdDSA");
        json_t *doc = r->body ? json_loads(r->body, 0, NULL) : NULL;
        if (doc && algs) {
            json_object_set(doc, "algorithms", algs);
            reply_json(r, 400, "application/problem+json", doc);
            doc = NULL;
        }
        json_decref(doc);
        json_decref(algs);
    } else if (url == NULL || want == NULL || strcmp(url, want) != 0) {
        problem(r, 401, "unauthorized", "the JWS url is not this request's URL (%s)",
                want ? want : "");
    } else if (nonce == NULL || !nonce_use(c->cx, nonce)) {
        problem(r, 400, "badNonce",
                "the nonce was not issued here, or has been used: get a new one");
    } else if ((jwk != NULL) == (kid != NULL)) {
        problem(r, 400, "malformed", "the protected header must have jwk or kid, not both");
    } else if (jwk && !jwk_ok) {
        problem(r, 400, "malformed", "this request is signed with the account's kid, not a jwk");
    } else if (kid && jwk_ok == 2) {
        problem(r, 400, "malformed", "newAccount is signed with jwk, not kid");
    } else {
        rc = 0;
    }
    free(want);
    if (rc == 0 && kid) {
        /* the account URL: BASE/acme/TEMPLATE/acct/ID, whichever template */
        char *pfx = cc_asprintf("%s/acme/", q->base);
        const char *at = strstr(kid, "/acct/");
        char *end = NULL;
        long long id = at ? strtoll(at + 6, &end, 10) : 0;
        int found = pfx && strncmp(kid, pfx, strlen(pfx)) == 0 && at && end && *end == '\0' &&
                    id > 0 && account_find(c->st, id, NULL, &c->acct) == CC_OK;
        free(pfx);
        if (!found) {
            problem(r, 400, "accountDoesNotExist", "no account %s", kid);
            rc = -1;
        } else if (strcmp(c->acct.status, "valid") != 0) {
            problem(r, 401, "unauthorized", "the account is %s", c->acct.status);
            rc = -1;
        } else if (call_as(c, c->acct.principal) != CC_OK) {
            problem(r, 401, "unauthorized",
                    "the directory account this ACME account requests as cannot be found");
            rc = -1;
        } else {
            c->jwk = json_loads(c->acct.jwk, 0, NULL);
            c->thumbprint = cc_strdup(c->acct.thumbprint);
        }
    } else if (rc == 0) {
        const char *w = NULL;
        c->jwk = json_incref(jwk);
        c->thumbprint = jwk_thumbprint(jwk, &w);
        if (c->thumbprint == NULL) {
            problem(r, 400, "badPublicKey", "%s", w ? w : "the key cannot be read");
            rc = -1;
        }
    }
    if (rc == 0) {
        char *input = jws_input(&j);
        why = input ? jws_verify(c->jwk, alg, input, strlen(input), j.sig, j.siglen)
                    : "out of memory";
        free(input);
        if (why) {
            problem(r, 400, "malformed", "%s", why);
            rc = -1;
        }
    }
    if (rc == 0 && j.payload_len > 0) {
        c->payload =
            json_loadb((const char *)j.payload, j.payload_len, JSON_REJECT_DUPLICATES, NULL);
        if (!json_is_object(c->payload)) {
            problem(r, 400, "malformed", "the payload is not a JSON object");
            rc = -1;
        }
    }
    if (rc == 0)
        c->protected = json_incref(j.protected);
    jws_free(&j);
    return rc;
}

/* Parses "NAME/N" or "NAME/N/TYPE" of rest; the id, or 0. */
static int64_t
path_id(const char *rest, const char *name, const char **tail)
{
    size_t n = strlen(name);
    if (strncmp(rest, name, n) != 0 || rest[n] != '/')
        return 0;
    char *end;
    long long id = strtoll(rest + n + 1, &end, 10);
    if (end == rest + n + 1 || id <= 0)
        return 0;
    if (tail) {
        if (*end != '/')
            return 0;
        *tail = end + 1;
    } else if (*end != '\0') {
        return 0;
    }
    return id;
}

int
acme_handle(const struct cc_ctx *cx, const struct acme_va *va, const struct acme_request *q,
            struct acme_response *r)
{
    struct store *st = cx->st;
    memset(r, 0, sizeof *r);
    /* cx is nobody's: the call acts as an account's principal once the request proves it */
    struct call c = {.st = st, .cx = cx, .va = va, .q = q, .r = r};
    const char *path = q->path;
    const char *rest;
    if (strcmp(path, "/directory") == 0 || strcmp(path, "/directory/") == 0) {
        c.tcn = meta(st, "acme-default");
        if (c.tcn && *c.tcn == '\0') {
            free(c.tcn);
            c.tcn = NULL;
        }
        rest = "directory";
    } else if (path[0] == '/' && (rest = strchr(path + 1, '/')) != NULL) {
        c.tcn = cc_asprintf("%.*s", (int)(rest - path - 1), path + 1);
        rest++;
    } else {
        rest = NULL;
    }
    struct template t = {0};
    if (!q->tls && !authz_is_lab(st)) {
        /* RFC 8555 6.1; a lab's clients on loopback may use plain HTTP */
        problem(r, 403, "unauthorized",
                "ACME is served over HTTPS only: use the address of certcon serve --https");
    } else if (rest == NULL) {
        problem(r, 404, "malformed", "not an ACME URL: the directory is at /acme/directory");
    } else if (c.tcn == NULL) {
        problem(r, 404, "malformed",
                "this CA has no default ACME template: use /acme/TEMPLATE/directory, or ask "
                "the CA administrator to set one (certcon ca set acme-default TEMPLATE)");
    } else if (template_load(st, c.tcn, &t, NULL) != CC_OK || !template_acme_on(st, t.cn)) {
        problem(r, 404, "malformed", "no ACME service for template %s", c.tcn);
    } else {
        free(c.tcn);
        c.tcn = cc_strdup(t.cn);
        c.prefix = cc_asprintf("%s/acme/%s", q->base, t.cn);
        int64_t id;
        const char *tail = NULL;
        int is_post = strcmp(q->method, "POST") == 0;
        if (strcmp(rest, "directory") == 0) {
            if (is_post)
                problem(r, 405, "malformed", "GET the directory");
            else
                h_directory(&c);
        } else if (strcmp(rest, "new-nonce") == 0) {
            r->status = strcmp(q->method, "GET") == 0 ? 204 : 200;
            r->type = NULL;
            r->link_index = url_of(&c, "directory");
        } else if (!is_post) {
            problem(r, 405, "malformed", "ACME resources are read with POST-as-GET");
        } else if (strcmp(rest, "new-account") == 0) {
            if (post_verify(&c, 2) == 0)
                h_new_account(&c);
        } else if (strcmp(rest, "revoke-cert") == 0) {
            if (post_verify(&c, 1) == 0)
                h_revoke(&c);
        } else if (post_verify(&c, 0) != 0) {
            /* the problem is set */
        } else if (strcmp(rest, "new-order") == 0) {
            h_new_order(&c);
        } else if (strcmp(rest, "key-change") == 0) {
            h_key_change(&c);
        } else if ((id = path_id(rest, "acct", NULL)) > 0) {
            h_account(&c, id);
        } else if ((id = path_id(rest, "order", NULL)) > 0) {
            h_order(&c, id);
        } else if ((id = path_id(rest, "authz", NULL)) > 0) {
            h_authz(&c, id);
        } else if ((id = path_id(rest, "chall", &tail)) > 0) {
            h_chall(&c, id, tail);
        } else if ((id = path_id(rest, "finalize", NULL)) > 0) {
            h_finalize(&c, id);
        } else if ((id = path_id(rest, "cert", NULL)) > 0) {
            h_cert(&c, id);
        } else {
            problem(r, 404, "malformed", "no such ACME resource");
        }
        if (r->link_index == NULL && strcmp(rest, "directory") != 0)
            r->link_index = url_of(&c, "directory");
    }
    template_free(&t);
    call_free(&c);
    r->nonce = nonce_new(cx);
    return r->status ? CC_OK : CC_ENOMEM;
}

/* ---------------- administration ---------------- */

int
acme_template_set(const struct cc_ctx *cx, const char *template_name, const char *value,
                  char **cause)
{
    struct store *st = cx->st;
    int on;
    if (strcmp(value, "on") == 0)
        on = 1;
    else if (strcmp(value, "off") == 0)
        on = 0;
    else
        return cc_fail(cause, CC_EINVAL, "acme is on or off, not '%s'", value);
    struct template t = {0};
    int rc = template_load(st, template_name, &t, cause);
    if (rc != CC_OK)
        return rc;
    if ((rc = authority_require(cx, CA_RIGHT_MANAGE, "serve a template over ACME", cause)) !=
        CC_OK) {
        template_free(&t);
        return rc;
    }
    struct store_stmt *q = NULL;
    rc = store_begin(st, cause);
    if (rc == CC_OK)
        rc = store_prepare(st,
                           on ? "INSERT INTO acme_template (cn) VALUES (?) ON CONFLICT DO NOTHING"
                              : "DELETE FROM acme_template WHERE cn = ?",
                           &q, cause);
    if (rc == CC_OK) {
        store_bind_text(q, 1, t.cn);
        rc = store_run(q, cause);
        store_finalize(q);
    }
    if (rc == CC_OK)
        rc = audit_record(cx, "template", t.cn, "acme", NULL, value, cause);
    template_free(&t);
    return store_finish(st, rc, cause);
}

char *
acme_template_get(struct store *st, const char *template_name)
{
    struct template t = {0};
    if (template_load(st, template_name, &t, NULL) != CC_OK)
        return NULL;
    char *v = cc_strdup(template_acme_on(st, t.cn) ? "on" : "off");
    template_free(&t);
    return v;
}

int
acme_template_list(struct store *st, struct strlist *cns, char **cause)
{
    struct store_stmt *q;
    int rc =
        store_prepare(st, "SELECT cn FROM acme_template ORDER BY cn COLLATE NOCASE", &q, cause);
    if (rc != CC_OK)
        return rc;
    int step;
    while ((step = store_step(q, cause)) == STORE_ROW)
        if ((rc = strlist_add(cns, store_col_text(q, 0))) != CC_OK)
            break;
    if (rc == CC_OK && step != STORE_DONE)
        rc = step;
    store_finalize(q);
    return rc;
}

int
acme_in_use(struct store *st)
{
    struct store_stmt *q;
    if (store_prepare(st,
                      "SELECT EXISTS (SELECT 1 FROM acme_template) OR "
                      "EXISTS (SELECT 1 FROM acme_account)",
                      &q, NULL) != CC_OK)
        return 0;
    int used = store_step(q, NULL) == STORE_ROW && store_col_int(q, 0) != 0;
    store_finalize(q);
    return used;
}

static const char *const acme_settings[] = {"acme-default",  "acme-eab",       "acme-anonymous",
                                            "acme-resolver", "acme-http-port", "acme-tls-port"};

int
acme_config_is_setting(const char *setting)
{
    for (size_t i = 0; i < sizeof acme_settings / sizeof acme_settings[0]; i++)
        if (strcmp(setting, acme_settings[i]) == 0)
            return 1;
    return 0;
}

/* ADDR:PORT of a DNS server: an IPv4 address or [IPv6], and a port. */
static int
resolver_ok(const char *v)
{
    const char *colon = strrchr(v, ':');
    if (colon == NULL || colon == v || colon[1] == '\0')
        return 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end != '\0' || port < 1 || port > 65535)
        return 0;
    char host[64];
    size_t n = (size_t)(colon - v);
    if (n >= sizeof host)
        return 0;
    memcpy(host, v, n);
    host[n] = '\0';
    unsigned char buf[16];
    return inet_pton(AF_INET, host, buf) == 1;
}

int
acme_config_set(const struct cc_ctx *cx, const char *setting, const char *value, char **cause)
{
    struct store *st = cx->st;
    if (!acme_config_is_setting(setting))
        return cc_fail(cause, CC_EINVAL, "'%s' is not an ACME setting", setting);
    int rc = authority_require(cx, CA_RIGHT_MANAGE, "change the CA's settings", cause);
    if (rc != CC_OK)
        return rc;
    char *stored = NULL;
    if (strcmp(setting, "acme-default") == 0 && *value) {
        struct template t = {0};
        if ((rc = template_load(st, value, &t, cause)) != CC_OK)
            return rc;
        if (!template_acme_on(st, t.cn)) {
            rc = cc_fail(cause, CC_EINVAL,
                         "template %s is not served over ACME: first 'certcon template set "
                         "\"%s\" acme on'",
                         t.display_name, t.display_name);
            template_free(&t);
            return rc;
        }
        stored = cc_strdup(t.cn);
        template_free(&t);
    } else if (strcmp(setting, "acme-eab") == 0) {
        if (strcmp(value, "required") != 0 && strcmp(value, "optional") != 0)
            return cc_fail(cause, CC_EINVAL, "acme-eab is required or optional, not '%s'", value);
        stored = cc_strdup(value);
    } else if (strcmp(setting, "acme-anonymous") == 0 && *value) {
        struct dir_principal p = {0};
        if ((rc = dir_lookup(st, value, &p, cause)) != CC_OK)
            return rc;
        if (p.kind == DIR_GROUP) {
            dir_principal_free(&p);
            return cc_fail(cause, CC_EINVAL,
                           "acme-anonymous names a user or computer to request as, not a group");
        }
        stored = dir_qualified_name(st, &p);
        dir_principal_free(&p);
    } else if (strncmp(setting, "acme-", 5) == 0 && strstr(setting, "-port") && *value) {
        char *end;
        long port = strtol(value, &end, 10);
        if (*end != '\0' || port < 1 || port > 65535)
            return cc_fail(cause, CC_EINVAL, "%s is a port from 1 to 65535 (or empty for %s)",
                           setting, strcmp(setting, "acme-http-port") == 0 ? "80" : "443");
        stored = cc_strdup(value);
    } else if (strcmp(setting, "acme-resolver") == 0 && *value) {
        if (!resolver_ok(value))
            return cc_fail(cause, CC_EINVAL,
                           "acme-resolver is ADDR:PORT of a DNS server, an IPv4 address and a "
                           "port (e.g. 127.0.0.1:8053), or empty for the system's resolver");
        stored = cc_strdup(value);
    } else {
        stored = cc_strdup(value);
    }
    if (stored == NULL)
        return CC_ENOMEM;
    char *old = meta(st, setting);
    rc = store_begin(st, cause);
    if (rc == CC_OK)
        rc = store_meta_set(st, setting, stored, cause);
    if (rc == CC_OK)
        rc = audit_record(cx, "ca", "configuration", setting, old, stored, cause);
    free(old);
    free(stored);
    return store_finish(st, rc, cause);
}

int
acme_config_get(struct store *st, const char *setting, char **value, char **cause)
{
    if (!acme_config_is_setting(setting))
        return cc_fail(cause, CC_EINVAL, "'%s' is not an ACME setting", setting);
    *value = meta(st, setting);
    if (*value == NULL)
        *value = cc_strdup("");
    return *value ? CC_OK : CC_ENOMEM;
}

void
acme_eab_key_free(struct acme_eab_key *k)
{
    free(k->principal);
    free(k->template_cn);
    k->principal = k->template_cn = NULL;
}

/*
 * n random bytes in buf and their base64url text in *text (allocated),
 * drawn again while the text starts with '-': the key ID and HMAC key are
 * given on command lines (certbot --eab-kid KID --eab-hmac-key KEY), where
 * a value that starts with '-' is taken for an option. It costs under 6 of
 * the 144 or 256 random bits.
 */
static int
random_b64url(unsigned char *buf, size_t n, char **text)
{
    *text = NULL;
    for (;;) {
        if (cc_random(buf, n) != CC_OK)
            return CC_ECRYPTO;
        if ((*text = acme_b64url_encode(buf, n)) == NULL)
            return CC_ENOMEM;
        if ((*text)[0] != '-')
            return CC_OK;
        free(*text);
    }
}

int
acme_eab_create(const struct cc_ctx *cx, const char *principal, const char *template_name,
                int64_t valid, struct acme_eab_key *out, char **cause)
{
    struct store *st = cx->st;
    memset(out, 0, sizeof *out);
    if (valid <= 0)
        return cc_fail(cause, CC_EINVAL, "the key must be valid for some time (e.g. 7d)");
    int rc = authority_require(cx, CA_RIGHT_MANAGE, "issue External Account Binding keys", cause);
    if (rc != CC_OK)
        return rc;
    struct dir_principal p = {0};
    if ((rc = dir_lookup(st, principal, &p, cause)) != CC_OK)
        return rc;
    if (p.kind == DIR_GROUP) {
        dir_principal_free(&p);
        return cc_fail(cause, CC_EINVAL,
                       "%s is a group: an ACME account requests as one user or computer",
                       principal);
    }
    struct template t = {0};
    if (template_name) {
        if ((rc = template_load(st, template_name, &t, cause)) != CC_OK) {
            dir_principal_free(&p);
            return rc;
        }
        if (!template_acme_on(st, t.cn)) {
            rc = cc_fail(cause, CC_EINVAL,
                         "template %s is not served over ACME: first 'certcon template set "
                         "\"%s\" acme on'",
                         t.display_name, t.display_name);
            template_free(&t);
            dir_principal_free(&p);
            return rc;
        }
    }
    unsigned char kid[18], key[32];
    char *k64 = NULL, *h64 = NULL;
    rc = random_b64url(kid, sizeof kid, &k64);
    if (rc == CC_OK)
        rc = random_b64url(key, sizeof key, &h64);
    time_t expires = ctx_now(cx) + (time_t)valid;
    out->principal = dir_qualified_name(st, &p);
    struct store_stmt *q = NULL;
    if (rc == CC_OK)
        rc = store_begin(st, cause);
    if (rc == CC_OK)
        rc =
            store_prepare(st,
                          "INSERT INTO acme_eab (kid, hmac, principal, template, expires, created) "
                          "VALUES (?, ?, ?, ?, ?, ?)",
                          &q, cause);
    if (rc == CC_OK) {
        store_bind_text(q, 1, k64);
        store_bind_blob(q, 2, key, sizeof key);
        store_bind_int64(q, 3, p.id);
        store_bind_text(q, 4, template_name ? t.cn : NULL);
        store_bind_int64(q, 5, (int64_t)expires);
        store_bind_int64(q, 6, (int64_t)ctx_now(cx));
        rc = store_run(q, cause);
        store_finalize(q);
    }
    if (rc == CC_OK) {
        char *v = cc_asprintf("for %s%s%s", out->principal ? out->principal : "?",
                              template_name ? ", template " : "", template_name ? t.cn : "");
        rc = v ? audit_record(cx, "acme", k64, "eab key", NULL, v, cause) : CC_ENOMEM;
        free(v);
    }
    rc = store_finish(st, rc, cause);
    if (rc == CC_OK) {
        snprintf(out->kid, sizeof out->kid, "%s", k64);
        snprintf(out->hmac, sizeof out->hmac, "%s", h64);
        out->expires = expires;
        out->template_cn = template_name ? cc_strdup(t.cn) : NULL;
    } else {
        acme_eab_key_free(out);
    }
    gnutls_memset(key, 0, sizeof key);
    free(k64);
    free(h64);
    template_free(&t);
    dir_principal_free(&p);
    return rc;
}

/* ---------------- the administrator's view of accounts and orders ---------------- */

void
acme_account_infos_free(struct acme_account_info *v, size_t n)
{
    for (size_t i = 0; v != NULL && i < n; i++) {
        free(v[i].principal);
        free(v[i].thumbprint);
        free(v[i].template_cn);
        free(v[i].status);
    }
    free(v);
}

int
acme_accounts_list(const struct cc_ctx *cx, struct acme_account_info **v, size_t *n, char **cause)
{
    struct store *st = cx->st;
    *v = NULL;
    *n = 0;
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT a.id, a.principal, a.thumbprint, a.template, a.status, "
                           "a.created, (SELECT COUNT(*) FROM acme_order o WHERE o.account = a.id) "
                           "FROM acme_account a ORDER BY a.created, a.id",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    size_t cap = 0;
    int step = STORE_DONE;
    while (rc == CC_OK && (step = store_step(q, cause)) == STORE_ROW) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            struct acme_account_info *nv = realloc(*v, ncap * sizeof **v);
            if (nv == NULL) {
                rc = CC_ENOMEM;
                break;
            }
            *v = nv;
            cap = ncap;
        }
        struct acme_account_info *a = &(*v)[*n];
        memset(a, 0, sizeof *a);
        (*n)++;
        a->id = store_col_int64(q, 0);
        struct dir_principal p = {0};
        if (dir_get(st, store_col_int64(q, 1), &p, NULL) == CC_OK)
            a->principal = dir_qualified_name(st, &p);
        else
            a->principal = cc_asprintf("(account %lld, deleted)", (long long)store_col_int64(q, 1));
        dir_principal_free(&p);
        a->thumbprint = cc_strdup(store_col_text(q, 2));
        a->template_cn = store_col_null(q, 3) ? NULL : cc_strdup(store_col_text(q, 3));
        a->status = cc_strdup(store_col_text(q, 4));
        a->created = (time_t)store_col_int64(q, 5);
        a->orders = store_col_int64(q, 6);
        if (a->principal == NULL || a->thumbprint == NULL || a->status == NULL ||
            (!store_col_null(q, 3) && a->template_cn == NULL))
            rc = CC_ENOMEM;
    }
    if (rc == CC_OK && step != STORE_DONE)
        rc = step; /* the error store_step said */
    store_finalize(q);
    if (rc != CC_OK) {
        acme_account_infos_free(*v, *n);
        *v = NULL;
        *n = 0;
    }
    return rc;
}

void
acme_order_infos_free(struct acme_order_info *v, size_t n)
{
    for (size_t i = 0; v != NULL && i < n; i++) {
        free(v[i].status);
        free(v[i].names);
        free(v[i].template_cn);
        free(v[i].serial);
    }
    free(v);
}

/* The values of an order's identifiers, comma-separated; allocated. */
static char *
order_names(const char *identifiers)
{
    json_t *ids = json_loads(identifiers, 0, NULL);
    struct strlist names = {0};
    size_t i;
    json_t *v;
    json_array_foreach(ids, i, v)
    {
        const char *value = jstr(v, "value");
        if (value)
            strlist_add(&names, value);
    }
    json_decref(ids);
    char *s = strlist_join(&names, ", ");
    strlist_free(&names);
    return s;
}

int
acme_orders_list(const struct cc_ctx *cx, int64_t account, struct acme_order_info **v, size_t *n,
                 char **cause)
{
    struct store *st = cx->st;
    *v = NULL;
    *n = 0;
    struct account a = {0};
    int rc = account_find(st, account, NULL, &a);
    account_free(&a);
    if (rc == CC_ENOTFOUND)
        return cc_fail(cause, CC_ENOTFOUND, "there is no ACME account %lld", (long long)account);
    if (rc != CC_OK)
        return cc_fail(cause, rc, "the ACME accounts cannot be read");
    struct store_stmt *q;
    if ((rc = store_prepare(st, "SELECT id FROM acme_order WHERE account = ? ORDER BY created, id",
                            &q, cause)) != CC_OK)
        return rc;
    store_bind_int64(q, 1, account);
    size_t cap = 0;
    int step = STORE_DONE;
    while (rc == CC_OK && (step = store_step(q, cause)) == STORE_ROW) {
        struct order o = {0};
        if ((rc = order_find(st, store_col_int64(q, 0), &o)) != CC_OK)
            break;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            struct acme_order_info *nv = realloc(*v, ncap * sizeof **v);
            if (nv == NULL) {
                order_free(&o);
                rc = CC_ENOMEM;
                break;
            }
            *v = nv;
            cap = ncap;
        }
        struct acme_order_info *i = &(*v)[(*n)++];
        memset(i, 0, sizeof *i);
        i->id = o.id;
        /* a pending order is as its authorizations say: ready, invalid or still pending */
        i->status = cc_strdup(order_status(st, &o));
        i->names = order_names(o.identifiers);
        i->template_cn = cc_strdup(o.template_cn);
        i->serial = o.serial ? cc_strdup(o.serial) : NULL;
        i->request_id = o.request_id;
        i->created = o.created;
        if (i->status == NULL || i->names == NULL || i->template_cn == NULL ||
            (o.serial && i->serial == NULL))
            rc = CC_ENOMEM;
        order_free(&o);
    }
    if (rc == CC_OK && step != STORE_DONE)
        rc = step; /* the error store_step said */
    store_finalize(q);
    if (rc != CC_OK) {
        acme_order_infos_free(*v, *n);
        *v = NULL;
        *n = 0;
    }
    return rc;
}

int
acme_account_deactivate(const struct cc_ctx *cx, int64_t id, char **cause)
{
    struct store *st = cx->st;
    int rc = authority_require(cx, CA_RIGHT_MANAGE, "deactivate an ACME account", cause);
    if (rc != CC_OK)
        return rc;
    struct account a = {0};
    rc = account_find(st, id, NULL, &a);
    if (rc == CC_ENOTFOUND)
        return cc_fail(cause, CC_ENOTFOUND, "there is no ACME account %lld", (long long)id);
    if (rc != CC_OK) {
        account_free(&a);
        return cc_fail(cause, rc, "the ACME accounts cannot be read");
    }
    if (strcmp(a.status, "valid") != 0) {
        rc = cc_fail(cause, CC_E_BAD_REQUESTSTATUS, "ACME account %lld is %s already",
                     (long long)id, a.status);
        account_free(&a);
        return rc;
    }
    account_free(&a);
    struct store_stmt *q = NULL;
    if ((rc = store_begin(st, cause)) != CC_OK)
        return rc;
    rc = store_prepare(st,
                       "UPDATE acme_account SET status = 'deactivated' WHERE id = ? AND "
                       "status = 'valid'",
                       &q, cause);
    if (rc == CC_OK) {
        store_bind_int64(q, 1, id);
        rc = store_run(q, cause);
        if (rc == CC_OK && store_rows_changed(st) != 1)
            rc = cc_fail(cause, CC_ECONFLICT, "ACME account %lld changed meanwhile", (long long)id);
        store_finalize(q);
    }
    char *obj = cc_asprintf("account %lld", (long long)id);
    if (rc == CC_OK)
        rc = obj ? audit_record(cx, "acme", obj, "status", "valid", "deactivated", cause)
                 : CC_ENOMEM;
    free(obj);
    return store_finish(st, rc, cause);
}
