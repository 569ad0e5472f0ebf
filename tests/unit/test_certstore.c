/*
 * Unit tests of ca/certstore: private keys are stored encrypted (the
 * stored pkcs8 blob is not a plain PKCS#8 and holds none of the key's
 * bytes; it decrypts only with the per-database secret, a 0600 file) and
 * come back as the same key; certificates are added to a principal's
 * store, listed newest first with the enterprise entries and without other
 * principals' or archived ones, found by serial, thumbprint (any spelling)
 * or template name, refused when added twice, and removed with their key;
 * a pending request's parked key is claimed by its certificate once.
 */
#include "config.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "authority.h"
#include "authz.h"
#include "cadb.h"
#include "certstore.h"
#include "request.h"
#include "unit.h"

struct fx {
    struct unit_fx *u;
    struct cadb_session *s;
    struct dir_principal admin;
    int64_t other;
};

static int
group_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char *cause = NULL;
    if (f == NULL || (f->u = unit_fx_new("certstore", 1)) == NULL) {
        free(f);
        return -1;
    }
    if (unit_create_ca(f->u, "ecdsa:p256", &cause) != CC_OK ||
        cadb_session_open(test_cx(f->u->st), NULL, &f->s, &cause) != CC_OK ||
        dir_lookup(f->u->st, "Administrator", &f->admin, &cause) != CC_OK) {
        print_error("CA setup: %s\n", cause ? cause : "?");
        free(cause);
        return -1;
    }
    *state = f;
    return 0;
}

static int
group_teardown(void **state)
{
    struct fx *f = *state;
    if (f == NULL)
        return 0;
    cadb_session_close(f->s);
    dir_principal_free(&f->admin);
    unit_fx_free(f->u);
    free(f);
    return 0;
}

static int
test_setup(void **state)
{
    struct fx *f = *state;
    unit_act_as(f->u->st, "Administrator");
    if (f->other == 0)
        f->other = unit_add_user(f->u->st, "storeuser");
    return 0;
}

/* A Web Server certificate for cn and its key (both owned by the caller). */
static void
issue(struct fx *f, const char *cn, struct pkix_buf *der, gnutls_x509_privkey_t *key)
{
    struct request_params p = {.cn = cn};
    struct pkix_buf csr = {0};
    struct cadb_outcome o;
    char *cause = NULL;
    UNIT_OK(request_key_generate("rsa:2048", key, &cause), cause);
    UNIT_OK(request_build(*key, &p, &csr, &cause), cause);
    UNIT_OK(cadb_submit(f->s, &f->admin, "WebServer", csr.p, csr.n, &o, &cause), cause);
    assert_int_equal(o.disposition, DISP_ISSUED);
    *der = o.cert;
    o.cert.p = NULL;
    o.cert.n = 0;
    cadb_outcome_free(&o);
    pkix_buf_free(&csr);
}

static char *
thumbprint(const struct pkix_buf *der)
{
    unsigned char sha1[20];
    gnutls_hash_fast(GNUTLS_DIG_SHA1, der->p, der->n, sha1);
    return pkix_hex(sha1, sizeof sha1);
}

/* The serial of a DER certificate as lower-case hex (static buffer). */
static const char *
der_serial_hex(const struct pkix_buf *der)
{
    static char hex[80];
    gnutls_x509_crt_t crt;
    gnutls_datum_t d = {der->p, (unsigned)der->n};
    unsigned char serial[40];
    size_t n = sizeof serial;
    assert_int_equal(gnutls_x509_crt_init(&crt), 0);
    assert_int_equal(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER), 0);
    assert_int_equal(gnutls_x509_crt_get_serial(crt, serial, &n), 0);
    gnutls_x509_crt_deinit(crt);
    char *h = pkix_hex(serial, n);
    snprintf(hex, sizeof hex, "%s", h);
    free(h);
    return hex;
}

static void
same_key(gnutls_x509_privkey_t a, gnutls_x509_privkey_t b)
{
    gnutls_datum_t da, db;
    assert_int_equal(
        gnutls_x509_privkey_export2_pkcs8(a, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN, &da), 0);
    assert_int_equal(
        gnutls_x509_privkey_export2_pkcs8(b, GNUTLS_X509_FMT_DER, NULL, GNUTLS_PKCS_PLAIN, &db), 0);
    assert_int_equal(da.size, db.size);
    assert_memory_equal(da.data, db.data, da.size);
    gnutls_free(da.data);
    gnutls_free(db.data);
}

static void
test_keys_encrypted(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    struct pkix_buf der = {0};
    gnutls_x509_privkey_t key, back;
    int64_t id = 0;
    char *cause = NULL;
    issue(f, "keyed.contoso.com", &der, &key);
    UNIT_OK(certstore_add(test_cx(st), f->admin.id, CERTSTORE_MY, der.p, der.n, key, 1, "WebServer",
                          "keyed", 0, &id, &cause),
            cause);
    assert_true(id > 0);

    /* the stored blob */
    struct store_stmt *q;
    char *sql = cc_asprintf("SELECT k.pkcs8 FROM store_key k JOIN store_cert c ON c.key_id = k.id "
                            "WHERE c.id = %lld",
                            (long long)id);
    UNIT_OK(store_prepare(st, sql, &q, &cause), cause);
    free(sql);
    assert_int_equal(store_step(q, NULL), STORE_ROW);
    size_t blob_n;
    const void *blob_p = store_col_blob(q, 0, &blob_n);
    gnutls_datum_t blob = {(unsigned char *)blob_p, (unsigned)blob_n};
    assert_true(blob.size > 50);
    gnutls_x509_privkey_t probe;
    assert_int_equal(gnutls_x509_privkey_init(&probe), 0);
    /* not a plain PKCS#8 */
    assert_true(gnutls_x509_privkey_import_pkcs8(probe, &blob, GNUTLS_X509_FMT_DER, NULL,
                                                 GNUTLS_PKCS_PLAIN) < 0);
    /* an encrypted one, which a wrong passphrase does not open */
    assert_true(gnutls_x509_privkey_import_pkcs8(probe, &blob, GNUTLS_X509_FMT_DER, "guess", 0) <
                0);
    gnutls_x509_privkey_deinit(probe);
    /* and none of the key's bytes show */
    gnutls_datum_t plain;
    assert_int_equal(gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_DER, NULL,
                                                       GNUTLS_PKCS_PLAIN, &plain),
                     0);
    assert_null(memmem(blob.data, blob.size, plain.data + plain.size - 32, 16));
    gnutls_free(plain.data);
    store_finalize(q);

    /* the secret beside the database: 32 bytes, mode 0600 */
    char *secret = cc_asprintf("%s.secret", f->u->db);
    struct stat sb;
    assert_int_equal(stat(secret, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    assert_int_equal(sb.st_size, 32);

    /* back through certstore_key: the same key */
    struct certstore_entry e;
    UNIT_OK(certstore_find(test_cx(st), f->admin.id, der_serial_hex(&der), &e, &cause), cause);
    assert_int_equal(e.id, id);
    UNIT_OK(certstore_key(test_cx(st), &e, &back, &cause), cause);
    same_key(key, back);
    gnutls_x509_privkey_deinit(back);

    /* with another secret the key cannot be decrypted */
    size_t len = 0;
    char *saved = unit_read_file(secret, &len);
    assert_int_equal(len, 32);
    char *other = cc_asprintf("%s.other", secret);
    unit_write_file(other, "0123456789abcdef0123456789abcdef");
    assert_int_equal(chmod(other, 0644), 0);
    assert_int_equal(rename(other, secret), 0);
    /* a secret others can read is refused, with the fix, as ssh refuses keys */
    UNIT_FAILS(certstore_key(test_cx(st), &e, &back, &cause), CC_EACCES, cause, "chmod 600");
    assert_int_equal(chmod(secret, 0600), 0);
    UNIT_FAILS(certstore_key(test_cx(st), &e, &back, &cause), CC_E_BAD_PASSWORD, cause, "secret");
    FILE *fp = fopen(secret, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(saved, 1, 32, fp), 32);
    assert_int_equal(fclose(fp), 0);
    UNIT_OK(certstore_key(test_cx(st), &e, &back, &cause), cause);
    gnutls_x509_privkey_deinit(back);
    free(saved);
    free(other);
    free(secret);
    certstore_entry_free(&e);

    /* an entry without a key */
    struct certstore_entry *list = NULL;
    size_t n = 0;
    UNIT_OK(certstore_list(test_cx(st), f->admin.id, CERTSTORE_ROOT, &list, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].key_id, 0);
    UNIT_FAILS(certstore_key(test_cx(st), &list[0], &back, &cause), CC_E_NO_PRIVATE_KEY, cause, "");
    certstore_list_free(list, n);
    pkix_buf_free(&der);
    gnutls_x509_privkey_deinit(key);
}

static void
test_add_list(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    struct pkix_buf d1 = {0}, d2 = {0}, d3 = {0};
    gnutls_x509_privkey_t k1, k2, k3;
    int64_t i1 = 0, i2 = 0, i3 = 0;
    char *cause = NULL;
    issue(f, "list1.contoso.com", &d1, &k1);
    issue(f, "list2.contoso.com", &d2, &k2);
    issue(f, "list3.contoso.com", &d3, &k3);
    struct certstore_entry *list = NULL;
    size_t before = 0, n = 0;
    UNIT_OK(certstore_list(test_cx(st), f->admin.id, CERTSTORE_MY, &list, &before, &cause), cause);
    certstore_list_free(list, before);

    UNIT_OK(certstore_add(test_cx(st), f->admin.id, CERTSTORE_MY, d1.p, d1.n, k1, 0, "WebServer",
                          NULL, 0, &i1, &cause),
            cause);
    test_clock_set(f->u->now + 60);
    UNIT_OK(certstore_add(test_cx(st), f->admin.id, CERTSTORE_MY, d2.p, d2.n, NULL, 0, NULL,
                          "second", 0, &i2, &cause),
            cause);
    test_clock_set(f->u->now);
    UNIT_OK(certstore_add(test_cx(st), f->other, CERTSTORE_MY, d3.p, d3.n, k3, 1, "WebServer", NULL,
                          0, &i3, &cause),
            cause);
    /* twice in the same store: refused */
    UNIT_FAILS(certstore_add(test_cx(st), f->admin.id, CERTSTORE_MY, d1.p, d1.n, NULL, 0, NULL,
                             NULL, 0, NULL, &cause),
               CC_EEXIST, cause, "already");
    /* not a certificate */
    UNIT_FAILS(certstore_add(test_cx(st), f->admin.id, CERTSTORE_MY, "junk", 4, NULL, 0, NULL, NULL,
                             0, NULL, &cause),
               CC_EPARSE, cause, "");

    UNIT_OK(certstore_list(test_cx(st), f->admin.id, CERTSTORE_MY, &list, &n, &cause), cause);
    assert_int_equal(n, before + 2);
    /* newest first */
    assert_int_equal(list[0].id, i2);
    assert_int_equal(list[1].id, i1);
    assert_string_equal(list[0].friendly_name, "second");
    assert_int_equal(list[0].key_id, 0);
    assert_true(list[1].key_id > 0);
    assert_false(list[1].exportable);
    assert_string_equal(list[1].template_cn, "WebServer");
    assert_string_equal(list[1].subject, "CN=list1.contoso.com");
    assert_string_equal(list[1].issuer, "CN=contoso-CA1-CA,DC=contoso,DC=com");
    assert_int_equal(list[1].principal, f->admin.id);
    assert_int_equal(list[1].kind, CERTSTORE_MY);
    assert_int_equal(list[1].added, f->u->now);
    char *t1 = thumbprint(&d1);
    assert_string_equal(list[1].thumbprint, t1);
    free(t1);
    assert_int_equal(list[1].der.n, d1.n);
    assert_memory_equal(list[1].der.p, d1.p, d1.n);
    for (size_t i = 0; i < n; i++)
        assert_int_not_equal(list[i].id, i3);
    certstore_list_free(list, n);

    /* the other user's store has its entry, exportable */
    UNIT_OK(certstore_list(test_cx(st), f->other, CERTSTORE_MY, &list, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, i3);
    assert_true(list[0].exportable);
    certstore_list_free(list, n);

    /* the enterprise root shows in everyone's Root store, nobody's Personal */
    UNIT_OK(certstore_list(test_cx(st), f->other, CERTSTORE_ROOT, &list, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].principal, 0);
    assert_string_equal(list[0].subject, list[0].issuer);
    certstore_list_free(list, n);
    UNIT_OK(certstore_list(test_cx(st), f->other, CERTSTORE_CA, &list, &n, &cause), cause);
    assert_int_equal(n, 0);
    certstore_list_free(list, n);
    /* adding the enterprise root again changes nothing */
    struct authority_info info;
    UNIT_OK(authority_info_load(st, &info, &cause), cause);
    UNIT_OK(certstore_add_enterprise(test_cx(st), CERTSTORE_ROOT, info.cert.p, info.cert.n, &cause),
            cause);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM store_cert WHERE store = 'Root'"), 1);
    authority_info_free(&info);

    pkix_buf_free(&d1);
    pkix_buf_free(&d2);
    pkix_buf_free(&d3);
    gnutls_x509_privkey_deinit(k1);
    gnutls_x509_privkey_deinit(k2);
    gnutls_x509_privkey_deinit(k3);
}

static void
expect_found(struct store *st, int64_t principal, const char *spec, int64_t id)
{
    struct certstore_entry e;
    char *cause = NULL;
    int rc = certstore_find(test_cx(st), principal, spec, &e, &cause);
    if (rc != CC_OK)
        fail_msg("find '%s': %s: %s", spec, cc_status_name(rc), cause ? cause : "");
    if (e.id != id)
        fail_msg("find '%s': entry %lld, want %lld", spec, (long long)e.id, (long long)id);
    certstore_entry_free(&e);
}

static void
test_find(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    struct pkix_buf d1 = {0}, d2 = {0};
    gnutls_x509_privkey_t k1, k2;
    int64_t i1 = 0, i2 = 0;
    char *cause = NULL;
    /* a fresh principal so "the newest of the template" is one of these */
    int64_t who = unit_add_user(st, "finduser");
    issue(f, "find1.contoso.com", &d1, &k1);
    issue(f, "find2.contoso.com", &d2, &k2);
    UNIT_OK(certstore_add(test_cx(st), who, CERTSTORE_MY, d1.p, d1.n, k1, 0, "WebServer", NULL, 0,
                          &i1, &cause),
            cause);
    UNIT_OK(certstore_add(test_cx(st), who, CERTSTORE_MY, d2.p, d2.n, k2, 0, "Machine", NULL, 0,
                          &i2, &cause),
            cause);

    /* serial: lower, upper, with colons */
    struct certstore_entry e;
    UNIT_OK(certstore_find(test_cx(st), who, "WebServer", &e, &cause), cause);
    char *serial = cc_strdup(e.serial);
    certstore_entry_free(&e);
    expect_found(st, who, serial, i1);
    char *upper = cc_strdup(serial);
    for (char *c = upper; *c; c++)
        if (*c >= 'a' && *c <= 'f')
            *c = (char)(*c - 'a' + 'A');
    expect_found(st, who, upper, i1);
    char spaced[80] = "";
    for (size_t i = 0; serial[i]; i += 2)
        snprintf(spaced + strlen(spaced), sizeof spaced - strlen(spaced), "%s%.2s", i ? ":" : "",
                 serial + i);
    expect_found(st, who, spaced, i1);

    /* thumbprint, also with blanks */
    char *thumb = thumbprint(&d2);
    expect_found(st, who, thumb, i2);
    char blanks[80] = "";
    for (size_t i = 0; thumb[i]; i += 2)
        snprintf(blanks + strlen(blanks), sizeof blanks - strlen(blanks), "%s%.2s", i ? " " : "",
                 thumb + i);
    expect_found(st, who, blanks, i2);

    /* template: by name and display name; the newest valid one */
    expect_found(st, who, "Machine", i2);
    expect_found(st, who, "Computer", i2);
    expect_found(st, who, "Web Server", i1);
    struct pkix_buf d3 = {0};
    gnutls_x509_privkey_t k3;
    int64_t i3 = 0;
    test_clock_set(f->u->now + 3600);
    issue(f, "find3.contoso.com", &d3, &k3);
    UNIT_OK(certstore_add(test_cx(st), who, CERTSTORE_MY, d3.p, d3.n, NULL, 0, "WebServer", NULL, 0,
                          &i3, &cause),
            cause);
    expect_found(st, who, "WebServer", i3);
    /* once they have all expired, no template match */
    test_clock_set(f->u->now + 3 * PERIOD_YEAR);
    UNIT_FAILS(certstore_find(test_cx(st), who, "WebServer", &e, &cause), CC_ENOTFOUND, cause, "");
    /* a serial still finds it */
    expect_found(st, who, serial, i1);
    test_clock_set(f->u->now);

    /* someone else's store, unknown specs */
    UNIT_FAILS(certstore_find(test_cx(st), f->admin.id, serial, &e, &cause), CC_ENOTFOUND, cause,
               serial);
    UNIT_FAILS(certstore_find(test_cx(st), who, "0badc0de", &e, &cause), CC_ENOTFOUND, cause, "");
    UNIT_FAILS(certstore_find(test_cx(st), who, "User", &e, &cause), CC_ENOTFOUND, cause, "");
    UNIT_FAILS(certstore_find(test_cx(st), who, "no such thing", &e, &cause), CC_ENOTFOUND, cause,
               "");

    /* archived entries are neither listed nor found */
    char *sql = cc_asprintf("UPDATE store_cert SET archived = 1 WHERE id = %lld", (long long)i1);
    UNIT_OK(store_exec(st, sql, &cause), cause);
    free(sql);
    struct certstore_entry *list = NULL;
    size_t n = 0;
    UNIT_OK(certstore_list(test_cx(st), who, CERTSTORE_MY, &list, &n, &cause), cause);
    assert_int_equal(n, 2);
    for (size_t i = 0; i < n; i++)
        assert_int_not_equal(list[i].id, i1);
    certstore_list_free(list, n);
    UNIT_FAILS(certstore_find(test_cx(st), who, serial, &e, &cause), CC_ENOTFOUND, cause, "");
    expect_found(st, who, "Web Server", i3);

    free(serial);
    free(upper);
    free(thumb);
    pkix_buf_free(&d1);
    pkix_buf_free(&d2);
    pkix_buf_free(&d3);
    gnutls_x509_privkey_deinit(k1);
    gnutls_x509_privkey_deinit(k2);
    gnutls_x509_privkey_deinit(k3);
}

static void
test_remove(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    struct pkix_buf d = {0};
    gnutls_x509_privkey_t k;
    int64_t id = 0;
    char *cause = NULL;
    issue(f, "remove.contoso.com", &d, &k);
    UNIT_OK(certstore_add(test_cx(st), f->other, CERTSTORE_MY, d.p, d.n, k, 1, NULL, NULL, 0, &id,
                          &cause),
            cause);
    struct certstore_entry *list = NULL;
    size_t n = 0, before;
    UNIT_OK(certstore_list(test_cx(st), f->other, CERTSTORE_MY, &list, &before, &cause), cause);
    int64_t key_id = list[0].key_id;
    assert_int_equal(list[0].id, id);
    assert_true(key_id > 0);
    certstore_list_free(list, before);

    UNIT_OK(certstore_remove(st, id, &cause), cause);
    UNIT_OK(certstore_list(test_cx(st), f->other, CERTSTORE_MY, &list, &n, &cause), cause);
    assert_int_equal(n, before - 1);
    for (size_t i = 0; i < n; i++)
        assert_int_not_equal(list[i].id, id);
    certstore_list_free(list, n);
    char *sql = cc_asprintf("SELECT count(*) FROM store_key WHERE id = %lld", (long long)key_id);
    assert_int_equal(unit_count(st, sql), 0);
    free(sql);
    UNIT_FAILS(certstore_remove(st, id, &cause), CC_ENOTFOUND, cause, "");
    /* the same certificate can be added again afterwards */
    UNIT_OK(certstore_add(test_cx(st), f->other, CERTSTORE_MY, d.p, d.n, NULL, 0, NULL, NULL, 0,
                          &id, &cause),
            cause);
    UNIT_OK(certstore_remove(st, id, &cause), cause);
    pkix_buf_free(&d);
    gnutls_x509_privkey_deinit(k);
}

static void
test_park_and_claim(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    struct pkix_buf d = {0};
    gnutls_x509_privkey_t k, back;
    char *cause = NULL;
    int64_t request_id = 424242;
    issue(f, "parked.contoso.com", &d, &k);
    UNIT_OK(certstore_key_park(test_cx(st), f->other, k, 1, request_id, &cause), cause);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM store_key WHERE request_id = 424242"), 1);
    /* the Certificate Enrollment Requests store lists the parked key, only the owner's */
    struct certstore_request *reqs = NULL;
    size_t nreqs = 0;
    UNIT_OK(certstore_requests(test_cx(st), f->other, &reqs, &nreqs, &cause), cause);
    assert_int_equal(nreqs, 1);
    assert_int_equal(reqs[0].request_id, request_id);
    assert_true(reqs[0].exportable);
    free(reqs);
    UNIT_OK(certstore_requests(test_cx(st), f->admin.id, &reqs, &nreqs, &cause), cause);
    assert_int_equal(nreqs, 0);
    free(reqs);
    UNIT_OK(certstore_key_claim(test_cx(st), request_id, d.p, d.n, "WebServer", &cause), cause);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM store_key WHERE request_id = 424242"), 0);
    UNIT_OK(certstore_requests(test_cx(st), f->other, &reqs, &nreqs, &cause), cause);
    assert_int_equal(nreqs, 0); /* issued: it left the requests store */
    free(reqs);
    struct certstore_entry e;
    char *thumb = thumbprint(&d);
    UNIT_OK(certstore_find(test_cx(st), f->other, thumb, &e, &cause), cause);
    assert_true(e.key_id > 0);
    assert_true(e.exportable);
    assert_int_equal(e.request_id, request_id);
    assert_string_equal(e.template_cn, "WebServer");
    UNIT_OK(certstore_key(test_cx(st), &e, &back, &cause), cause);
    same_key(k, back);
    gnutls_x509_privkey_deinit(back);
    UNIT_OK(certstore_remove(st, e.id, &cause), cause);
    certstore_entry_free(&e);
    /* claimed once only */
    assert_int_equal(certstore_key_claim(test_cx(st), request_id, d.p, d.n, NULL, &cause),
                     CC_ENOTFOUND);
    free(cause);
    cause = NULL;
    /* a dropped key is gone */
    UNIT_OK(certstore_key_park(test_cx(st), f->other, k, 0, request_id + 1, &cause), cause);
    UNIT_OK(certstore_key_drop(st, request_id + 1, &cause), cause);
    assert_int_equal(certstore_key_claim(test_cx(st), request_id + 1, d.p, d.n, NULL, &cause),
                     CC_ENOTFOUND);
    free(cause);
    free(thumb);
    pkix_buf_free(&d);
    gnutls_x509_privkey_deinit(k);
}

static void
test_store_names(void **state)
{
    (void)state;
    enum certstore_kind k;
    char *cause = NULL;
    UNIT_OK(certstore_parse("Personal", &k, &cause), cause);
    assert_int_equal(k, CERTSTORE_MY);
    UNIT_OK(certstore_parse("my", &k, &cause), cause);
    assert_int_equal(k, CERTSTORE_MY);
    UNIT_OK(certstore_parse("ROOT", &k, &cause), cause);
    assert_int_equal(k, CERTSTORE_ROOT);
    UNIT_OK(certstore_parse("intermediate", &k, &cause), cause);
    assert_int_equal(k, CERTSTORE_CA);
    UNIT_FAILS(certstore_parse("trust", &k, &cause), CC_EINVAL, cause, "trust");
    assert_string_equal(certstore_name(CERTSTORE_ROOT), "Root");
    assert_string_equal(certstore_display_name(CERTSTORE_CA),
                        "Intermediate Certification Authorities");
}

/*
 * The console's "another user" (authz_act_for): in a lab database any
 * account may manage another's certificates, in a context of that account's
 * own; in a production database only a CA Administrator, whose context keeps
 * its own name; others are refused with the reason. The caller's context
 * never changes.
 */
static void
test_act_for_another(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    struct cc_ctx a;
    unit_act_as(st, "storeuser");
    const struct cc_ctx *me = test_cx(st);
    int64_t my_id = me->who;
    UNIT_OK(authz_act_for(me, f->admin.id, &a, &cause), cause);
    assert_int_equal(a.who, f->admin.id);
    assert_non_null(strstr(a.who_name, "Administrator"));
    assert_ptr_equal(a.st, st);
    assert_int_equal(a.clock.at, me->clock.at);
    ctx_free(&a);
    assert_int_equal(me->who, my_id);
    assert_non_null(strstr(me->who_name, "storeuser"));
    /* one's own stores: one's own context */
    UNIT_OK(authz_act_for(me, my_id, &a, &cause), cause);
    assert_int_equal(a.who, my_id);
    ctx_free(&a);
    /* a group holds no certificates */
    struct dir_principal g = {0};
    UNIT_OK(dir_lookup(st, "Domain Users", &g, &cause), cause);
    UNIT_FAILS(authz_act_for(me, g.id, &a, &cause), CC_EINVAL, cause, "group");
    dir_principal_free(&g);
    assert_int_equal(me->who, my_id);

    /* the same database as a production one */
    UNIT_OK(store_exec(st, "DELETE FROM meta WHERE key = 'lab'", &cause), cause);
    UNIT_FAILS(authz_act_for(me, f->admin.id, &a, &cause), CC_EACCES, cause, "storeuser",
               "CA Administrator");
    assert_int_equal(me->who, my_id);
    unit_act_as(st, "Administrator");
    UNIT_OK(authz_act_for(test_cx(st), f->other, &a, &cause), cause);
    assert_int_equal(a.who, f->admin.id); /* acts for, under its own name */
    ctx_free(&a);
    UNIT_OK(store_meta_set(st, "lab", "contoso", &cause), cause);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_keys_encrypted, test_setup),
        cmocka_unit_test_setup(test_add_list, test_setup),
        cmocka_unit_test_setup(test_find, test_setup),
        cmocka_unit_test_setup(test_remove, test_setup),
        cmocka_unit_test_setup(test_park_and_claim, test_setup),
        cmocka_unit_test_setup(test_store_names, test_setup),
        cmocka_unit_test_setup(test_act_for_another, test_setup),
    };
    return cmocka_run_group_tests_name("certstore", tests, group_setup, group_teardown);
}
