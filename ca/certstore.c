/*
 * Logical certificate stores in the database. Keys are stored as encrypted
 * PKCS#8 whose passphrase is the hex of a random per-database secret kept
 * in <db>.secret (0600), created on first use.
 */
#include "config.h"
#include "authz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/crypto.h>

#include "certstore.h"
#include "clock.h"
#include "context.h"
#include "status.h"
#include "template.h"
#include "util.h"

static const struct {
    const char *name, *display, *alias1, *alias2;
} kinds[] = {
    [CERTSTORE_MY] = {"My", "Personal", "personal", "my"},
    [CERTSTORE_ROOT] = {"Root", "Trusted Root Certification Authorities", "root", "trusted"},
    [CERTSTORE_CA] = {"CA", "Intermediate Certification Authorities", "ca", "intermediate"},
};

const char *
certstore_name(enum certstore_kind kind)
{
    return kinds[kind].name;
}

const char *
certstore_display_name(enum certstore_kind kind)
{
    return kinds[kind].display;
}

int
certstore_parse(const char *s, enum certstore_kind *out, char **cause)
{
    for (int i = 0; i < 3; i++)
        if (cc_strcaseeq(s, kinds[i].alias1) || cc_strcaseeq(s, kinds[i].alias2) ||
            cc_strcaseeq(s, kinds[i].name)) {
            *out = (enum certstore_kind)i;
            return CC_OK;
        }
    return cc_fail(cause, CC_EINVAL, "'%s' is not a store (personal, root, ca)", s);
}

void
certstore_entry_free(struct certstore_entry *e)
{
    if (e == NULL)
        return;
    free(e->thumbprint);
    free(e->serial);
    free(e->subject);
    free(e->issuer);
    free(e->template_cn);
    free(e->friendly_name);
    pkix_buf_free(&e->der);
    memset(e, 0, sizeof *e);
}

void
certstore_list_free(struct certstore_entry *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        certstore_entry_free(&list[i]);
    free(list);
}

/* The per-database secret as a hex passphrase; allocated. */
static int
secret_passphrase(struct store *st, char **out, char **cause)
{
    char *path = cc_asprintf("%s.secret", store_path(st));
    unsigned char secret[32];
    int rc = CC_OK;
    if (path == NULL)
        return CC_ENOMEM;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        /* first use: create it, or read the one a concurrent process just made */
        if (cc_random(secret, sizeof secret) != CC_OK) {
            free(path);
            return CC_EIO;
        }
        char *why = NULL;
        rc = cc_write_file(path, secret, sizeof secret, 0600, 0, &why);
        gnutls_memset(secret, 0, sizeof secret);
        if (rc != CC_OK && rc != CC_EEXIST) {
            rc = cc_fail(cause, rc, "cannot create the key-store secret: %s", why);
            free(why);
            free(path);
            return rc;
        }
        free(why);
        rc = CC_OK;
        fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        rc = cc_fail(cause, CC_EIO, "cannot read the key-store secret %s: %s", path,
                     strerror(errno));
        free(path);
        return rc;
    }
    struct stat sb;
    if (fstat(fd, &sb) == 0 && (sb.st_mode & 077) != 0) {
        /* the secret unlocks every stored private key: as ssh does, refuse it */
        close(fd);
        rc = cc_fail(cause, CC_EACCES,
                     "the key-store secret %s is readable by group or others (mode %04o): "
                     "run chmod 600 %s",
                     path, (unsigned)(sb.st_mode & 07777), path);
        free(path);
        return rc;
    }
    ssize_t r = read(fd, secret, sizeof secret);
    close(fd);
    if (r != (ssize_t)sizeof secret) {
        rc = cc_fail(cause, CC_EIO, "the key-store secret %s is damaged", path);
        free(path);
        return rc;
    }
    free(path);
    *out = pkix_hex(secret, sizeof secret);
    gnutls_memset(secret, 0, sizeof secret);
    return *out ? CC_OK : CC_ENOMEM;
}

static int
insert_cert(const struct cc_ctx *cx, int64_t principal, enum certstore_kind kind, const void *der,
            size_t n, int64_t key_id, const char *template_cn, const char *friendly,
            int64_t request_id, int64_t *id, char **cause)
{
    struct store *st = cx->st;
    gnutls_x509_crt_t crt;
    gnutls_datum_t d = {(unsigned char *)der, (unsigned)n}, subj = {NULL, 0}, iss = {NULL, 0};
    unsigned char serial[64], sha1[20];
    size_t slen = sizeof serial;
    int err;
    if (gnutls_x509_crt_init(&crt) < 0)
        return CC_ENOMEM;
    if ((err = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER)) < 0 ||
        (err = gnutls_x509_crt_get_serial(crt, serial, &slen)) < 0 ||
        ((err = gnutls_x509_crt_get_dn3(crt, &subj, 0)) < 0 &&
         err != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE) ||
        ((err = gnutls_x509_crt_get_issuer_dn3(crt, &iss, 0)) < 0 &&
         err != GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)) {
        gnutls_free(subj.data);
        gnutls_x509_crt_deinit(crt);
        return cc_fail(cause, CC_EPARSE, "not a certificate: %s", gnutls_strerror(err));
    }
    time_t nb = gnutls_x509_crt_get_activation_time(crt);
    time_t na = gnutls_x509_crt_get_expiration_time(crt);
    gnutls_x509_crt_deinit(crt);
    gnutls_hash_fast(GNUTLS_DIG_SHA1, der, n, sha1);
    char *thumb = pkix_hex(sha1, sizeof sha1), *ser = pkix_hex(serial, slen);
    struct store_stmt *q;
    int rc = thumb && ser ? CC_OK : CC_ENOMEM;
    if (rc == CC_OK)
        rc = store_prepare(st,
                           "INSERT INTO store_cert (principal_id, store, thumbprint, serial, "
                           "subject, issuer, template, friendly_name, not_before, not_after, "
                           "raw, key_id, request_id, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                           "?, ?, ?, ?, ?)",
                           &q, cause);
    if (rc == CC_OK) {
        if (principal > 0)
            store_bind_int64(q, 1, principal);
        store_bind_text(q, 2, certstore_name(kind));
        store_bind_text(q, 3, thumb);
        store_bind_text(q, 4, ser);
        store_bind_text_n(q, 5, subj.data ? (const char *)subj.data : "", subj.size);
        store_bind_text_n(q, 6, iss.data ? (const char *)iss.data : "", iss.size);
        store_bind_text(q, 7, template_cn ? template_cn : "");
        store_bind_text(q, 8, friendly ? friendly : "");
        store_bind_int64(q, 9, (int64_t)nb);
        store_bind_int64(q, 10, (int64_t)na);
        store_bind_blob(q, 11, der, n);
        if (key_id > 0)
            store_bind_int64(q, 12, key_id);
        if (request_id > 0)
            store_bind_int64(q, 13, request_id);
        store_bind_int64(q, 14, (int64_t)ctx_now(cx));
        int s = store_step(q, NULL);
        rc = s == STORE_DONE ? CC_OK
             : s == CC_ECONSTRAINT
                 ? cc_fail(cause, CC_EEXIST, "the certificate is already in that store")
                 : store_error(st, cause);
        store_finalize(q);
        if (rc == CC_OK && id)
            *id = store_last_id(st);
    }
    gnutls_free(subj.data);
    gnutls_free(iss.data);
    free(thumb);
    free(ser);
    return rc;
}

int
certstore_add_enterprise(const struct cc_ctx *cx, enum certstore_kind kind, const void *der,
                         size_t n, char **cause)
{
    struct store *st = cx->st;
    unsigned char sha1[20];
    gnutls_hash_fast(GNUTLS_DIG_SHA1, der, n, sha1);
    char *thumb = pkix_hex(sha1, sizeof sha1);
    struct store_stmt *q;
    int rc = thumb ? store_prepare(st,
                                   "SELECT 1 FROM store_cert WHERE principal_id IS NULL AND "
                                   "store = ? AND thumbprint = ?",
                                   &q, cause)
                   : CC_ENOMEM;
    if (rc != CC_OK) {
        free(thumb);
        return rc;
    }
    store_bind_text(q, 1, certstore_name(kind));
    store_bind_text(q, 2, thumb);
    int exists = store_step(q, NULL) == STORE_ROW;
    store_finalize(q);
    free(thumb);
    if (exists)
        return CC_OK;
    return insert_cert(cx, 0, kind, der, n, 0, NULL, NULL, 0, NULL, cause);
}

int
certstore_key_seal(struct store *st, gnutls_x509_privkey_t key, struct pkix_buf *out, char **cause)
{
    char *pass = NULL;
    gnutls_datum_t p8 = {NULL, 0};
    memset(out, 0, sizeof *out);
    int rc = secret_passphrase(st, &pass, cause);
    if (rc == CC_OK) {
        int err = gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_DER, pass,
                                                    GNUTLS_PKCS_PBES2_AES_256, &p8);
        if (err < 0)
            rc = cc_fail(cause, CC_ECRYPTO, "protecting the private key: %s",
                         gnutls_strerror(err));
    }
    if (pass) {
        gnutls_memset(pass, 0, strlen(pass));
        free(pass);
    }
    if (rc == CC_OK)
        rc = pkix_buf_append(out, p8.data, p8.size);
    gnutls_free(p8.data);
    return rc;
}

int
certstore_key_unseal(struct store *st, const void *sealed, size_t n, gnutls_x509_privkey_t *out,
                     char **cause)
{
    char *pass = NULL;
    gnutls_datum_t d = {(unsigned char *)sealed, (unsigned)n};
    gnutls_x509_privkey_t key = NULL;
    int rc = secret_passphrase(st, &pass, cause);
    if (rc == CC_OK && gnutls_x509_privkey_init(&key) < 0)
        rc = CC_ENOMEM;
    if (rc == CC_OK) {
        int err = gnutls_x509_privkey_import_pkcs8(key, &d, GNUTLS_X509_FMT_DER, pass, 0);
        if (err < 0) {
            gnutls_x509_privkey_deinit(key);
            rc = cc_fail(cause, CC_E_BAD_PASSWORD,
                         "a private key cannot be decrypted: the key-store secret beside the "
                         "database is not the one it was stored with (%s)",
                         gnutls_strerror(err));
        } else {
            *out = key;
        }
    }
    if (pass) {
        gnutls_memset(pass, 0, strlen(pass));
        free(pass);
    }
    return rc;
}

static int
insert_sealed(const struct cc_ctx *cx, int64_t principal, const struct pkix_buf *p8, int exportable,
              int64_t request_id, int64_t *key_id, char **cause)
{
    struct store *st = cx->st;
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "INSERT INTO store_key (principal_id, exportable, request_id, pkcs8, "
                           "created) VALUES (?, ?, ?, ?, ?)",
                           &q, cause);
    if (rc == CC_OK) {
        store_bind_int64(q, 1, principal);
        store_bind_int(q, 2, exportable != 0);
        if (request_id > 0)
            store_bind_int64(q, 3, request_id);
        store_bind_blob(q, 4, p8->p, p8->n);
        store_bind_int64(q, 5, (int64_t)ctx_now(cx));
        rc = store_run(q, cause);
        store_finalize(q);
        *key_id = store_last_id(st);
    }
    return rc;
}

static int
insert_key(const struct cc_ctx *cx, int64_t principal, gnutls_x509_privkey_t key, int exportable,
           int64_t request_id, int64_t *key_id, char **cause)
{
    struct store *st = cx->st;
    struct pkix_buf p8;
    int rc = certstore_key_seal(st, key, &p8, cause);
    if (rc == CC_OK)
        rc = insert_sealed(cx, principal, &p8, exportable, request_id, key_id, cause);
    pkix_buf_free(&p8);
    return rc;
}

int
certstore_key_park_sealed(const struct cc_ctx *cx, int64_t principal, const struct pkix_buf *sealed,
                          int exportable, int64_t request_id, char **cause)
{
    int64_t id;
    return insert_sealed(cx, principal, sealed, exportable, request_id, &id, cause);
}

int
certstore_add_sealed(const struct cc_ctx *cx, int64_t principal, enum certstore_kind kind,
                     const void *der, size_t n, const struct pkix_buf *sealed, int exportable,
                     const char *template_cn, const char *friendly, int64_t request_id, int64_t *id,
                     char **cause)
{
    struct store *st = cx->st;
    int64_t key_id = 0;
    int rc = store_begin(st, cause);
    if (rc != CC_OK)
        return rc;
    rc = insert_sealed(cx, principal, sealed, exportable, 0, &key_id, cause);
    if (rc == CC_OK)
        rc = insert_cert(cx, principal, kind, der, n, key_id, template_cn, friendly, request_id, id,
                         cause);
    return store_finish(st, rc, cause);
}

int
certstore_key_park(const struct cc_ctx *cx, int64_t principal, gnutls_x509_privkey_t key,
                   int exportable, int64_t request_id, char **cause)
{
    int64_t id;
    return insert_key(cx, principal, key, exportable, request_id, &id, cause);
}

int
certstore_key_claim(const struct cc_ctx *cx, int64_t request_id, const void *der, size_t n,
                    const char *template_cn, char **cause)
{
    struct store *st = cx->st;
    struct store_stmt *q;
    int64_t key_id = 0, principal = 0;
    int rc = store_prepare(st, "SELECT id, principal_id FROM store_key WHERE request_id = ?", &q,
                           cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, request_id);
    if (store_step(q, NULL) == STORE_ROW) {
        key_id = store_col_int64(q, 0);
        principal = store_col_int64(q, 1);
    }
    store_finalize(q);
    if (key_id == 0)
        return CC_ENOTFOUND;
    if ((rc = store_begin(st, cause)) != CC_OK)
        return rc;
    rc = insert_cert(cx, principal, CERTSTORE_MY, der, n, key_id, template_cn, NULL, request_id,
                     NULL, cause);
    if (rc == CC_OK &&
        (rc = store_prepare(st, "UPDATE store_key SET request_id = NULL WHERE id = ?", &q,
                            cause)) == CC_OK) {
        store_bind_int64(q, 1, key_id);
        rc = store_run(q, cause);
        store_finalize(q);
    }
    if (rc == CC_OK)
        rc = store_commit(st, cause);
    else
        store_rollback(st);
    return rc;
}

int
certstore_key_drop(struct store *st, int64_t request_id, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st, "DELETE FROM store_key WHERE request_id = ?", &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, request_id);
    rc = store_run(q, cause);
    store_finalize(q);
    return rc;
}

int
certstore_add(const struct cc_ctx *cx, int64_t principal, enum certstore_kind kind, const void *der,
              size_t n, gnutls_x509_privkey_t key, int exportable, const char *template_cn,
              const char *friendly, int64_t request_id, int64_t *id, char **cause)
{
    struct store *st = cx->st;
    int64_t key_id = 0;
    int rc = store_begin(st, cause);
    if (rc != CC_OK)
        return rc;
    if (key != NULL)
        rc = insert_key(cx, principal, key, exportable, 0, &key_id, cause);
    if (rc == CC_OK)
        rc = insert_cert(cx, principal, kind, der, n, key_id, template_cn, friendly, request_id, id,
                         cause);
    if (rc == CC_OK)
        rc = store_commit(st, cause);
    else
        store_rollback(st);
    return rc;
}

#define ENTRY_COLUMNS                                                                          \
    "SELECT c.id, c.principal_id, c.store, c.thumbprint, c.serial, c.subject, c.issuer, "      \
    "c.template, c.friendly_name, c.not_before, c.not_after, c.added, c.raw, c.key_id, "       \
    "k.exportable, c.request_id FROM store_cert c LEFT JOIN store_key k ON k.id = c.key_id "

static int
read_entry(struct store_stmt *q, struct certstore_entry *e)
{
    memset(e, 0, sizeof *e);
    e->id = store_col_int64(q, 0);
    e->principal = store_col_int64(q, 1);
    const char *kind = store_col_text(q, 2);
    for (int i = 0; i < 3; i++)
        if (kind && strcmp(kind, kinds[i].name) == 0)
            e->kind = (enum certstore_kind)i;
    e->thumbprint = cc_strdup(store_col_text(q, 3));
    e->serial = cc_strdup(store_col_text(q, 4));
    e->subject = cc_strdup(store_col_text(q, 5));
    e->issuer = cc_strdup(store_col_text(q, 6));
    e->template_cn = cc_strdup(store_col_text(q, 7));
    e->friendly_name = cc_strdup(store_col_text(q, 8));
    e->not_before = (time_t)store_col_int64(q, 9);
    e->not_after = (time_t)store_col_int64(q, 10);
    e->added = (time_t)store_col_int64(q, 11);
    size_t der_n;
    const void *der = store_col_blob(q, 12, &der_n);
    int rc = pkix_buf_set(&e->der, der, der_n);
    e->key_id = store_col_int64(q, 13);
    e->exportable = store_col_int(q, 14);
    e->request_id = store_col_int64(q, 15);
    if (rc != CC_OK || !e->thumbprint || !e->serial || !e->subject || !e->issuer ||
        !e->template_cn || !e->friendly_name) {
        certstore_entry_free(e);
        return CC_ENOMEM;
    }
    return CC_OK;
}

int
certstore_list(const struct cc_ctx *cx, int64_t principal, enum certstore_kind kind,
               struct certstore_entry **out, size_t *n, char **cause)
{
    struct store *st = cx->st;
    struct store_stmt *q;
    *out = NULL;
    *n = 0;
    struct authz_target who = {.principal = principal};
    int arc = authz_check(cx, AUTHZ_READ_STORE, &who, cause);
    if (arc != CC_OK)
        return arc;
    int rc = store_prepare(st,
                           ENTRY_COLUMNS "WHERE (c.principal_id = ? OR c.principal_id IS NULL) "
                                         "AND c.store = ? AND c.archived = 0 ORDER BY c.added DESC, c.id DESC",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, principal);
    store_bind_text(q, 2, certstore_name(kind));
    size_t cap = 0;
    while (rc == CC_OK && store_step(q, NULL) == STORE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            struct certstore_entry *p = realloc(*out, cap * sizeof **out);
            if (p == NULL) {
                rc = CC_ENOMEM;
                break;
            }
            *out = p;
        }
        if ((rc = read_entry(q, &(*out)[*n])) == CC_OK)
            (*n)++;
    }
    store_finalize(q);
    if (rc != CC_OK) {
        certstore_list_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int
certstore_requests(const struct cc_ctx *cx, int64_t principal, struct certstore_request **out,
                   size_t *n, char **cause)
{
    struct store *st = cx->st;
    *out = NULL;
    *n = 0;
    struct authz_target who = {.principal = principal};
    int rc = authz_check(cx, AUTHZ_READ_STORE, &who, cause);
    if (rc != CC_OK)
        return rc;
    struct store_stmt *q;
    rc = store_prepare(st,
                       "SELECT id, request_id, exportable, created FROM store_key "
                       "WHERE principal_id = ? AND request_id IS NOT NULL "
                       "ORDER BY created DESC, id DESC",
                       &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, principal);
    size_t cap = 0;
    int step;
    while ((step = store_step(q, NULL)) == STORE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 4;
            struct certstore_request *v = realloc(*out, cap * sizeof **out);
            if (v == NULL) {
                rc = CC_ENOMEM;
                break;
            }
            *out = v;
        }
        struct certstore_request *r = &(*out)[(*n)++];
        r->key_id = store_col_int64(q, 0);
        r->request_id = store_col_int64(q, 1);
        r->exportable = store_col_int(q, 2);
        r->created = (time_t)store_col_int64(q, 3);
    }
    if (rc == CC_OK && step != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    if (rc != CC_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

int
certstore_find(const struct cc_ctx *cx, int64_t principal, const char *spec,
               struct certstore_entry *out, char **cause)
{
    struct store *st = cx->st;
    struct pkix_buf hex = {0};
    char *h = NULL, *cn = NULL;
    struct store_stmt *q;
    struct authz_target who = {.principal = principal};
    int rc = authz_check(cx, AUTHZ_READ_STORE, &who, cause);
    if (rc != CC_OK)
        return rc;
    memset(out, 0, sizeof *out);
    if (pkix_unhex(spec, &hex) == CC_OK)
        h = pkix_hex(hex.p, hex.n);
    pkix_buf_free(&hex);
    struct template t = {0};
    if (template_load(st, spec, &t, NULL) == CC_OK)
        cn = cc_strdup(t.cn);
    template_free(&t);
    rc = store_prepare(st,
                       ENTRY_COLUMNS
                       "WHERE c.principal_id = ?1 AND c.store = 'My' AND c.archived = 0 AND (c.serial = ?2 OR "
                       "c.thumbprint = ?2 OR (c.template = ?3 AND c.not_after > ?4)) "
                       "ORDER BY (c.serial = ?2 OR c.thumbprint = ?2) DESC, c.not_before DESC, "
                       "c.id DESC LIMIT 1",
                       &q, cause);
    if (rc == CC_OK) {
        store_bind_int64(q, 1, principal);
        store_bind_text(q, 2, h ? h : "");
        store_bind_text(q, 3, cn ? cn : "\x01");
        store_bind_int64(q, 4, (int64_t)ctx_now(cx));
        if (store_step(q, NULL) == STORE_ROW)
            rc = read_entry(q, out);
        else
            rc = cc_fail(cause, CC_ENOTFOUND,
                         "no certificate '%s' in the Personal store (give a serial number, a "
                         "thumbprint or a template name)",
                         spec);
        store_finalize(q);
    }
    free(h);
    free(cn);
    return rc;
}

int
certstore_key(const struct cc_ctx *cx, const struct certstore_entry *e, gnutls_x509_privkey_t *out,
              char **cause)
{
    struct store *st = cx->st;
    if (e->key_id <= 0)
        return cc_fail(cause, CC_E_NO_PRIVATE_KEY, "certificate %s has no private key",
                       e->thumbprint);
    struct authz_target who = {.principal = e->principal};
    int arc = e->principal ? authz_check(cx, AUTHZ_EXPORT_KEY, &who, cause) : CC_OK;
    if (arc != CC_OK)
        return arc;
    struct store_stmt *q;
    int rc = store_prepare(st, "SELECT pkcs8 FROM store_key WHERE id = ?", &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, e->key_id);
    if (store_step(q, NULL) != STORE_ROW) {
        store_finalize(q);
        return cc_fail(cause, CC_E_NO_PRIVATE_KEY, "the private key of %s is missing",
                       e->thumbprint);
    }
    size_t d_n;
    const void *d_p = store_col_blob(q, 0, &d_n);
    gnutls_datum_t d = {(unsigned char *)d_p, (unsigned)d_n};
    char *pass = NULL;
    rc = secret_passphrase(st, &pass, cause);
    gnutls_x509_privkey_t key = NULL;
    if (rc == CC_OK && gnutls_x509_privkey_init(&key) < 0)
        rc = CC_ENOMEM;
    if (rc == CC_OK) {
        int err = gnutls_x509_privkey_import_pkcs8(key, &d, GNUTLS_X509_FMT_DER, pass, 0);
        if (err < 0) {
            gnutls_x509_privkey_deinit(key);
            rc = cc_fail(cause, CC_E_BAD_PASSWORD,
                         "the private key of %s cannot be decrypted: the key-store secret "
                         "beside the database is not the one it was stored with (%s)",
                         e->thumbprint, gnutls_strerror(err));
        } else {
            *out = key;
        }
    }
    store_finalize(q);
    if (pass) {
        gnutls_memset(pass, 0, strlen(pass));
        free(pass);
    }
    return rc;
}

int
certstore_remove(struct store *st, int64_t id, char **cause)
{
    int rc = store_begin(st, cause);
    if (rc != CC_OK)
        return rc;
    struct store_stmt *q;
    int64_t key_id = 0;
    rc = store_prepare(st, "SELECT key_id FROM store_cert WHERE id = ?", &q, cause);
    if (rc == CC_OK) {
        store_bind_int64(q, 1, id);
        if (store_step(q, NULL) == STORE_ROW)
            key_id = store_col_int64(q, 0);
        else
            rc = cc_fail(cause, CC_ENOTFOUND, "no store entry %lld", (long long)id);
        store_finalize(q);
    }
    if (rc == CC_OK && (rc = store_prepare(st, "DELETE FROM store_cert WHERE id = ?", &q,
                                           cause)) == CC_OK) {
        store_bind_int64(q, 1, id);
        rc = store_run(q, cause);
        store_finalize(q);
    }
    if (rc == CC_OK && key_id > 0 &&
        (rc = store_prepare(st,
                            "DELETE FROM store_key WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM "
                            "store_cert WHERE key_id = ?1)",
                            &q, cause)) == CC_OK) {
        store_bind_int64(q, 1, key_id);
        rc = store_run(q, cause);
        store_finalize(q);
    }
    if (rc == CC_OK)
        rc = store_commit(st, cause);
    else
        store_rollback(st);
    return rc;
}
