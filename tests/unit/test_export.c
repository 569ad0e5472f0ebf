/*
 * Unit tests of ca/export: a PFX of an exportable key is AES-256 (PBES2)
 * with a SHA-256 MAC by default and 3DES with a SHA-1 MAC when legacy is
 * asked for; both open with gnutls_pkcs12_import and the right password
 * (the key matches the certificate, the chain holds the CA) and refuse a
 * wrong one; a key not marked exportable is refused with
 * CC_E_KEY_NOT_EXPORTABLE, a certificate without a key with
 * CC_E_NO_PRIVATE_KEY, an empty password with CC_EINVAL; DER is the
 * certificate, PEM its armour, and a P7B holds it with, when asked, the
 * CA certificate.
 */
#include "config.h"

#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/pkcs7.h>
#include <gnutls/x509.h>

#include "authority.h"
#include "cadb.h"
#include "certstore.h"
#include "export.h"
#include "ops.h"
#include "unit.h"

struct fx {
    struct unit_fx *u;
    struct cadb_session *s;
    struct certstore_entry exportable, fixed, root;
    struct pkix_buf ca;
};

static int
enroll(struct fx *f, const char *who, const char *tmpl, int not_exportable,
       struct certstore_entry *e, char **cause)
{
    struct dir_principal p = {0};
    struct cadb_outcome o = {0};
    struct cadb_enroll_params ep = {.template_name = tmpl, .cn = "export.contoso.com",
                                    .key_type = "rsa:2048",
                                    .not_exportable = not_exportable};
    int rc = dir_lookup(f->u->st, who, &p, cause);
    if (rc == CC_OK)
        rc = cadb_enroll(f->s, &p, &ep, &o, cause);
    if (rc == CC_OK && o.disposition != DISP_ISSUED)
        rc = cc_fail(cause, o.status, "%s", o.message);
    if (rc == CC_OK)
        rc = certstore_find(test_cx(f->u->st), p.id, o.serial, e, cause);
    cadb_outcome_free(&o);
    dir_principal_free(&p);
    return rc;
}

static int
group_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char *cause = NULL;
    if (f == NULL || (f->u = unit_fx_new("export", 1)) == NULL) {
        free(f);
        return -1;
    }
    struct store *st = f->u->st;
    struct certstore_entry *list = NULL;
    size_t n = 0;
    test_act_id(st, 0, NULL);
    /* User needs an e-mail address; its keys are exportable, Web Server's are not */
    if (unit_create_ca(f->u, "ecdsa:p256", &cause) != CC_OK ||
        dir_set_attribute(test_cx(st), "Administrator", "mail", "administrator@contoso.com",
                          &cause) != CC_OK ||
        cadb_session_open(test_cx(st), NULL, &f->s, &cause) != CC_OK ||
        enroll(f, "Administrator", "User", 0, &f->exportable, &cause) != CC_OK ||
        enroll(f, "Administrator", "Web Server", 0, &f->fixed, &cause) != CC_OK ||
        certstore_list(test_cx(st), unit_principal_id(st, "Administrator"), CERTSTORE_ROOT, &list,
                       &n, &cause) != CC_OK ||
        n != 1) {
        print_error("setup: %s\n", cause ? cause : "?");
        free(cause);
        return -1;
    }
    f->root = list[0];
    free(list);
    pkix_buf_set(&f->ca, f->root.der.p, f->root.der.n);
    *state = f;
    return 0;
}

static int
group_teardown(void **state)
{
    struct fx *f = *state;
    if (f == NULL)
        return 0;
    certstore_entry_free(&f->exportable);
    certstore_entry_free(&f->fixed);
    certstore_entry_free(&f->root);
    pkix_buf_free(&f->ca);
    cadb_session_close(f->s);
    unit_fx_free(f->u);
    free(f);
    return 0;
}

/* Opens a PFX: the MAC and encryption, the key against the certificate, the chain. */
static void
check_pfx(struct fx *f, const struct pkix_buf *pfx, const char *password, int legacy)
{
    gnutls_pkcs12_t p12;
    gnutls_datum_t d = {pfx->p, (unsigned)pfx->n};
    assert_int_equal(gnutls_pkcs12_init(&p12), 0);
    assert_int_equal(gnutls_pkcs12_import(p12, &d, GNUTLS_X509_FMT_DER, 0), 0);
    assert_int_equal(gnutls_pkcs12_verify_mac(p12, password), 0);
    assert_true(gnutls_pkcs12_verify_mac(p12, "not the password") < 0);
    unsigned mac = 0, iter = 0;
    char *oid = NULL;
    unsigned char salt[64];
    unsigned salt_size = sizeof salt;
    assert_int_equal(gnutls_pkcs12_mac_info(p12, &mac, salt, &salt_size, &iter, &oid), 0);
    gnutls_free(oid);
    assert_int_equal(mac, legacy ? GNUTLS_MAC_SHA1 : GNUTLS_MAC_SHA256);

    /* every bag is encrypted with the scheme asked for */
    int encrypted = 0;
    for (int i = 0;; i++) {
        gnutls_pkcs12_bag_t bag;
        assert_int_equal(gnutls_pkcs12_bag_init(&bag), 0);
        if (gnutls_pkcs12_get_bag(p12, i, bag) < 0) {
            gnutls_pkcs12_bag_deinit(bag);
            break;
        }
        if (gnutls_pkcs12_bag_get_type(bag, 0) == GNUTLS_BAG_ENCRYPTED) {
            unsigned schema = 0, cipher = 0, iters = 0;
            unsigned char s2[64];
            unsigned s2len = sizeof s2;
            char *o2 = NULL;
            assert_int_equal(gnutls_pkcs12_bag_enc_info(bag, &schema, &cipher, s2, &s2len, &iters,
                                                        &o2),
                             0);
            gnutls_free(o2);
            assert_int_equal(schema,
                             legacy ? GNUTLS_PKCS_PKCS12_3DES : GNUTLS_PKCS_PBES2_AES_256);
            encrypted++;
        }
        gnutls_pkcs12_bag_deinit(bag);
    }
    assert_true(encrypted >= 1);

    gnutls_x509_privkey_t key = NULL;
    gnutls_x509_crt_t *chain = NULL, *extra = NULL;
    unsigned chain_len = 0, extra_len = 0;
    assert_true(gnutls_pkcs12_simple_parse(p12, "not the password", &key, &chain, &chain_len,
                                           &extra, &extra_len, NULL, 0) < 0);
    key = NULL;
    chain = extra = NULL;
    chain_len = extra_len = 0;
    assert_int_equal(gnutls_pkcs12_simple_parse(p12, password, &key, &chain, &chain_len, &extra,
                                                &extra_len, NULL, 0),
                     0);
    assert_non_null(key);
    assert_true(chain_len >= 1);
    gnutls_datum_t leaf;
    assert_int_equal(gnutls_x509_crt_export2(chain[0], GNUTLS_X509_FMT_DER, &leaf), 0);
    assert_int_equal(leaf.size, f->exportable.der.n);
    assert_memory_equal(leaf.data, f->exportable.der.p, leaf.size);
    gnutls_free(leaf.data);
    unsigned char a[64], b[64];
    size_t al = sizeof a, bl = sizeof b;
    assert_int_equal(gnutls_x509_crt_get_key_id(chain[0], GNUTLS_KEYID_USE_SHA1, a, &al), 0);
    assert_int_equal(gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA1, b, &bl), 0);
    assert_memory_equal(a, b, 20);
    /* the CA, in the chain or among the extra certificates */
    int have_ca = 0;
    for (unsigned i = 0; i < chain_len + extra_len; i++) {
        gnutls_x509_crt_t c = i < chain_len ? chain[i] : extra[i - chain_len];
        gnutls_datum_t cd;
        assert_int_equal(gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_DER, &cd), 0);
        have_ca |= cd.size == f->ca.n && memcmp(cd.data, f->ca.p, cd.size) == 0;
        gnutls_free(cd.data);
    }
    assert_true(have_ca);
    for (unsigned i = 0; i < chain_len; i++)
        gnutls_x509_crt_deinit(chain[i]);
    for (unsigned i = 0; i < extra_len; i++)
        gnutls_x509_crt_deinit(extra[i]);
    gnutls_free(chain);
    gnutls_free(extra);
    gnutls_x509_privkey_deinit(key);
    gnutls_pkcs12_deinit(p12);
}

static void
test_pfx_aes(void **state)
{
    struct fx *f = *state;
    struct export_params p = {.format = EXPORT_PFX, .password = "Pa55-word", .chain = 1};
    struct pkix_buf out = {0};
    char *cause = NULL;
    assert_true(f->exportable.exportable);
    UNIT_OK(export_certificate(test_cx(f->u->st), &f->exportable, &p, &out, &cause), cause);
    check_pfx(f, &out, "Pa55-word", 0);
    pkix_buf_free(&out);
    assert_string_equal(export_extension(EXPORT_PFX), ".pfx");
}

static void
test_pfx_legacy(void **state)
{
    struct fx *f = *state;
    struct export_params p = {.format = EXPORT_PFX, .password = "legacy", .legacy = 1,
                              .chain = 1};
    struct pkix_buf out = {0};
    char *cause = NULL;
    UNIT_OK(export_certificate(test_cx(f->u->st), &f->exportable, &p, &out, &cause), cause);
    check_pfx(f, &out, "legacy", 1);
    pkix_buf_free(&out);
}

static void
test_pfx_refused(void **state)
{
    struct fx *f = *state;
    struct export_params p = {.format = EXPORT_PFX, .password = "x"};
    struct pkix_buf out = {0};
    char *cause = NULL;
    assert_false(f->fixed.exportable);
    assert_true(f->fixed.key_id > 0);
    UNIT_FAILS(export_certificate(test_cx(f->u->st), &f->fixed, &p, &out, &cause),
               CC_E_KEY_NOT_EXPORTABLE, cause, "not marked exportable", "WebServer");
    assert_null(out.p);
    assert_int_equal(cc_hresult(CC_E_KEY_NOT_EXPORTABLE), 0x8009000B);
    /* no key at all */
    UNIT_FAILS(export_certificate(test_cx(f->u->st), &f->root, &p, &out, &cause),
               CC_E_NO_PRIVATE_KEY, cause, "");
    /* a password is needed */
    p.password = "";
    UNIT_FAILS(export_certificate(test_cx(f->u->st), &f->exportable, &p, &out, &cause), CC_EINVAL,
               cause, "password");
    p.password = NULL;
    UNIT_FAILS(export_certificate(test_cx(f->u->st), &f->exportable, &p, &out, &cause), CC_EINVAL,
               cause, "password");
    assert_null(out.p);

    /* a template that allows export, but the requester opted out */
    struct certstore_entry e;
    UNIT_OK(enroll(f, "Administrator", "User", 1, &e, &cause), cause);
    assert_false(e.exportable);
    p.password = "x";
    UNIT_FAILS(export_certificate(test_cx(f->u->st), &e, &p, &out, &cause), CC_E_KEY_NOT_EXPORTABLE,
               cause, "");
    certstore_entry_free(&e);
}

static void
test_der_pem(void **state)
{
    struct fx *f = *state;
    struct export_params p = {.format = EXPORT_DER};
    struct pkix_buf out = {0};
    char *cause = NULL;
    /* no key needed, also for a key that is not exportable */
    UNIT_OK(export_certificate(test_cx(f->u->st), &f->fixed, &p, &out, &cause), cause);
    assert_int_equal(out.n, f->fixed.der.n);
    assert_memory_equal(out.p, f->fixed.der.p, out.n);
    pkix_buf_free(&out);
    assert_string_equal(export_extension(EXPORT_DER), ".cer");

    p.format = EXPORT_PEM;
    UNIT_OK(export_certificate(test_cx(f->u->st), &f->fixed, &p, &out, &cause), cause);
    assert_int_equal(strlen((const char *)out.p), out.n);
    assert_true(strncmp((const char *)out.p, "-----BEGIN CERTIFICATE-----\n", 28) == 0);
    assert_non_null(strstr((const char *)out.p, "-----END CERTIFICATE-----"));
    gnutls_x509_crt_t crt;
    gnutls_datum_t d = {out.p, (unsigned)out.n}, der;
    assert_int_equal(gnutls_x509_crt_init(&crt), 0);
    assert_int_equal(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_PEM), 0);
    assert_int_equal(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &der), 0);
    assert_int_equal(der.size, f->fixed.der.n);
    assert_memory_equal(der.data, f->fixed.der.p, der.size);
    gnutls_free(der.data);
    gnutls_x509_crt_deinit(crt);
    pkix_buf_free(&out);
    assert_string_equal(export_extension(EXPORT_PEM), ".cer");
}

/* The certificates of a DER PKCS#7; checks that want (and want2 if not NULL) are in it. */
static unsigned
p7b_count(const struct pkix_buf *p7b, const struct pkix_buf *want, const struct pkix_buf *want2)
{
    gnutls_pkcs7_t p7;
    gnutls_datum_t d = {p7b->p, (unsigned)p7b->n};
    assert_int_equal(gnutls_pkcs7_init(&p7), 0);
    assert_int_equal(gnutls_pkcs7_import(p7, &d, GNUTLS_X509_FMT_DER), 0);
    int n = gnutls_pkcs7_get_crt_count(p7);
    assert_true(n >= 0);
    int found = 0, found2 = 0;
    for (int i = 0; i < n; i++) {
        gnutls_datum_t c;
        assert_int_equal(gnutls_pkcs7_get_crt_raw2(p7, (unsigned)i, &c), 0);
        found |= c.size == want->n && memcmp(c.data, want->p, c.size) == 0;
        found2 |= want2 && c.size == want2->n && memcmp(c.data, want2->p, c.size) == 0;
        gnutls_free(c.data);
    }
    assert_true(found);
    if (want2)
        assert_true(found2);
    gnutls_pkcs7_deinit(p7);
    return (unsigned)n;
}

static void
test_p7b(void **state)
{
    struct fx *f = *state;
    struct export_params p = {.format = EXPORT_P7B, .chain = 1};
    struct pkix_buf out = {0};
    char *cause = NULL;
    UNIT_OK(export_certificate(test_cx(f->u->st), &f->fixed, &p, &out, &cause), cause);
    assert_int_equal(p7b_count(&out, &f->fixed.der, &f->ca), 2);
    pkix_buf_free(&out);
    p.chain = 0;
    UNIT_OK(export_certificate(test_cx(f->u->st), &f->fixed, &p, &out, &cause), cause);
    assert_int_equal(p7b_count(&out, &f->fixed.der, NULL), 1);
    pkix_buf_free(&out);
    /* the root itself: no chain above it */
    p.chain = 1;
    UNIT_OK(export_certificate(test_cx(f->u->st), &f->root, &p, &out, &cause), cause);
    assert_int_equal(p7b_count(&out, &f->ca, NULL), 1);
    pkix_buf_free(&out);
    assert_string_equal(export_extension(EXPORT_P7B), ".p7b");
}

/*
 * Enrollment and export through ops_call keep the core's rights: a plain
 * user is refused enrolling for another principal and exporting another's
 * key (0x80070005, audited, nothing recorded, installed or handed out, no
 * key export in the audit log), also when it manages the other account's
 * store as the Certificates snap-in does in a lab (act_for): the export
 * is still its own. The owner enrolls, lists and exports (audited).
 */
static void
test_ops_rights(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    static const char refused[] = "SELECT count(*) FROM audit WHERE result = 'refused'";
    static const char requests[] = "SELECT count(*) FROM request";
    static const char entries[] = "SELECT count(*) FROM store_cert";
    static const char exports[] = "SELECT count(*) FROM audit WHERE kind = 'key' AND "
                                  "field = 'export' AND result = 'ok'";
    unit_add_user(st, "opsuser");
    unit_act_as(st, "opsuser");
    int64_t nrefused = unit_count(st, refused), nrequests = unit_count(st, requests),
            nentries = unit_count(st, entries), nexports = unit_count(st, exports);
    char *db = unit_db_digest(st);

    struct ops_enroll en = {.who = {.principal = "Administrator"},
                            .params = {.template_name = "User", .key_type = "rsa:2048"}};
    struct ops_enroll_result er = {0};
    UNIT_FAILS(ops_call(test_cx(st), OP_CERT_ENROLL, &en, &er, &cause), CC_EACCES, cause,
               "may not request certificates for");
    ops_enroll_result_free(&er);
    assert_int_equal(unit_count(st, refused), nrefused + 1);

    struct ops_export ex = {
        .pick = {.who = {.principal = "Administrator"}, .spec = f->exportable.serial},
        .params = {.format = EXPORT_PFX, .password = "pw"}};
    struct pkix_buf pfx = {0};
    UNIT_FAILS(ops_call(test_cx(st), OP_CERT_EXPORT, &ex, &pfx, &cause), CC_EACCES, cause,
               "may not read the certificate stores of");
    assert_null(pfx.p);
    assert_int_equal(unit_count(st, refused), nrefused + 2);
    /* the store read as the snap-in manages the account in a lab; the key still not its */
    ex.pick = (struct ops_store_pick){.who = {.principal = "Administrator", .act_for = 1},
                                      .kind = CERTSTORE_MY,
                                      .entry_id = f->exportable.id};
    UNIT_FAILS(ops_call(test_cx(st), OP_CERT_EXPORT, &ex, &pfx, &cause), CC_EACCES, cause,
               "may not export the private key of");
    assert_null(pfx.p);
    assert_int_equal(unit_count(st, refused), nrefused + 3);
    UNIT_DB_UNCHANGED(st, db);
    assert_int_equal(unit_count(st, exports), nexports);

    /* the owner */
    unit_act_as(st, "Administrator");
    en.params.cn = "ops.contoso.com";
    UNIT_OK(ops_call(test_cx(st), OP_CERT_ENROLL, &en, &er, &cause), cause);
    assert_int_equal(er.outcome.disposition, DISP_ISSUED);
    assert_true(er.template_known);
    assert_string_equal(er.template_display, "User");
    ops_enroll_result_free(&er);
    assert_int_equal(unit_count(st, requests), nrequests + 1);
    assert_int_equal(unit_count(st, entries), nentries + 1);

    struct ops_store_list sl = {.who = {.principal = NULL}, .kind = CERTSTORE_MY};
    struct ops_store_rows rows = {0};
    UNIT_OK(ops_call(test_cx(st), OP_STORE_LIST, &sl, &rows, &cause), cause);
    int seen = 0;
    for (size_t i = 0; i < rows.n; i++)
        if (strcmp(rows.v[i].e.serial, f->exportable.serial) == 0) {
            seen = 1;
            assert_string_equal(rows.v[i].template, "User");
            assert_non_null(strstr(rows.v[i].purposes, "Client Authentication"));
        }
    assert_true(seen);
    ops_store_rows_free(&rows);

    ex.pick = (struct ops_store_pick){.who = {.principal = "Administrator"},
                                      .spec = f->exportable.serial};
    ex.params.chain = 1;
    UNIT_OK(ops_call(test_cx(st), OP_CERT_EXPORT, &ex, &pfx, &cause), cause);
    check_pfx(f, &pfx, "pw", 0);
    pkix_buf_free(&pfx);
    assert_int_equal(unit_count(st, exports), nexports + 1);
    assert_int_equal(unit_count(st, refused), nrefused + 3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pfx_aes),     cmocka_unit_test(test_pfx_legacy),
        cmocka_unit_test(test_pfx_refused), cmocka_unit_test(test_der_pem),
        cmocka_unit_test(test_p7b),         cmocka_unit_test(test_ops_rights),
    };
    return cmocka_run_group_tests_name("export", tests, group_setup, group_teardown);
}
