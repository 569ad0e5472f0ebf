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
 * SHA-1 requests parse but are flagged by request_weak_hash. The parser's
 * own DER walk and GnuTLS's (which PEM input takes) agree on RSA, EC and
 * Ed25519 requests with every SAN kind, on every truncation and on every
 * single-byte change of a request.
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
    } kinds[] = {
        {"rsa:2048", GNUTLS_PK_RSA, 2048, GNUTLS_SIGN_RSA_SHA256},
        {"rsa:3072", GNUTLS_PK_RSA, 3072, GNUTLS_SIGN_RSA_SHA256},
        {"ecdsa:p256", GNUTLS_PK_ECDSA, 256, GNUTLS_SIGN_ECDSA_SHA256},
        {"ecdsa:p384", GNUTLS_PK_ECDSA, 384, GNUTLS_SIGN_ECDSA_SHA256},
        {"ed25519", GNUTLS_PK_EDDSA_ED25519, 256, GNUTLS_SIGN_EDDSA_ED25519},
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
    if (rc == CC_OK)
        request_info_free(&r);
    UNIT_FAILS(rc, CC_E_BAD_SIGNATURE, cause, "signature");
}

/*
 * The parser's two paths. DER goes through request.c's own walk of the
 * request; PEM always goes through GnuTLS. Parsing the same bytes both ways
 * must give the same status and, when accepted, the same request_info.
 */
static void
expect_str(const char *a, const char *b, const char *what)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
        fail_msg("%s: '%s' (DER) vs '%s' (PEM)", what, a ? a : "(null)", b ? b : "(null)");
}

static void
expect_same_info(const struct request_info *a, const struct request_info *b)
{
    assert_int_equal(a->der.n, b->der.n);
    assert_memory_equal(a->der.p, b->der.p, a->der.n);
    assert_int_equal(a->subject.n, b->subject.n);
    assert_memory_equal(a->subject.p, b->subject.p, a->subject.n);
    assert_int_equal(a->spki.n, b->spki.n);
    assert_memory_equal(a->spki.p, b->spki.p, a->spki.n);
    expect_str(a->subject_text, b->subject_text, "subject text");
    expect_str(a->cn, b->cn, "cn");
    expect_str(a->subject_email, b->subject_email, "subject e-mail");
    assert_int_equal(a->pk, b->pk);
    assert_int_equal(a->bits, b->bits);
    assert_int_equal(a->sign, b->sign);
    expect_list(&a->dns, &b->dns);
    expect_list(&a->ip, &b->ip);
    expect_list(&a->email, &b->email);
    expect_list(&a->upn, &b->upn);
    expect_list(&a->uri, &b->uri);
    assert_int_equal(a->has_san, b->has_san);
    expect_str(a->template_name, b->template_name, "template name");
    expect_str(a->template_oid, b->template_oid, "template OID");
    assert_int_equal(a->template_major, b->template_major);
    assert_int_equal(a->template_minor, b->template_minor);
    expect_str(a->nv_template, b->nv_template, "name-value template");
    assert_int_equal(a->key_id_len, b->key_id_len);
    assert_memory_equal(a->key_id, b->key_id, sizeof a->key_id);
    assert_int_equal(request_weak_hash(a), request_weak_hash(b));
}

/* Parses der as DER and as PEM; returns the (common) status. */
static int
parse_both(const unsigned char *der, size_t n, const char *what)
{
    struct request_info a, b;
    char *ca = NULL, *cb = NULL, *pem = NULL;
    UNIT_OK(request_pem_encode("CERTIFICATE REQUEST", der, n, &pem, &ca), ca);
    int ra = request_parse(der, n, &a, &ca);
    int rb = request_parse(pem, strlen(pem), &b, &cb);
    if (ra != rb)
        fail_msg("%s: DER gives %s (%s), PEM gives %s (%s)", what, cc_status_name(ra),
                 ca ? ca : "", cc_status_name(rb), cb ? cb : "");
    if (ra == CC_OK) {
        expect_same_info(&a, &b);
        request_info_free(&a);
        request_info_free(&b);
    } else {
        assert_non_null(ca);
        assert_null(a.der.p);
    }
    free(ca);
    free(cb);
    free(pem);
    return ra;
}

/*
 * A request with the subject attributes, SAN kinds and attributes the fast
 * path reads: CN, OU, O, L, ST, C, DC, emailAddress; DNS, e-mail, URI, IPv4,
 * IPv6 and UPN names; a 21.7 template extension, a key usage marked
 * critical, and the CertificateTemplate name-value pair.
 */
static void
build_rich(gnutls_x509_privkey_t key, gnutls_digest_algorithm_t hash, const char *cn,
           struct pkix_buf *der)
{
    static const struct {
        const char *oid, *value;
    } dn[] = {
        {"0.9.2342.19200300.100.1.25", "com"}, {"0.9.2342.19200300.100.1.25", "contoso"},
        {GNUTLS_OID_X520_COUNTRY_NAME, "US"}, {GNUTLS_OID_X520_STATE_OR_PROVINCE_NAME, "WA"},
        {GNUTLS_OID_X520_LOCALITY_NAME, "Redmond"}, {GNUTLS_OID_X520_ORGANIZATION_NAME, "Contoso"},
        {GNUTLS_OID_X520_ORGANIZATIONAL_UNIT_NAME, "Web Farm"},
        {GNUTLS_OID_PKCS9_EMAIL, "webmaster@contoso.com"},
    };
    static const unsigned char v4[] = {192, 0, 2, 10};
    static const unsigned char v6[] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    gnutls_x509_crq_t crq;
    gnutls_privkey_t pk;
    struct pkix_buf ext = {0}, nv = {0}, upn = {0};
    char *cause = NULL;
    assert_int_equal(gnutls_x509_crq_init(&crq), 0);
    assert_int_equal(gnutls_x509_crq_set_version(crq, 1), 0);
    assert_int_equal(gnutls_x509_crq_set_key(crq, key), 0);
    for (size_t i = 0; i < sizeof dn / sizeof dn[0]; i++)
        assert_int_equal(gnutls_x509_crq_set_dn_by_oid(crq, dn[i].oid, 0, dn[i].value,
                                                       (unsigned)strlen(dn[i].value)),
                         0);
    assert_int_equal(gnutls_x509_crq_set_dn_by_oid(crq, GNUTLS_OID_X520_COMMON_NAME, 0, cn,
                                                   (unsigned)strlen(cn)),
                     0);
    assert_int_equal(gnutls_x509_crq_set_subject_alt_name(crq, GNUTLS_SAN_DNSNAME, "www.contoso.com",
                                                          15, GNUTLS_FSAN_APPEND),
                     0);
    assert_int_equal(gnutls_x509_crq_set_subject_alt_name(crq, GNUTLS_SAN_RFC822NAME,
                                                          "web@contoso.com", 15, GNUTLS_FSAN_APPEND),
                     0);
    assert_int_equal(gnutls_x509_crq_set_subject_alt_name(crq, GNUTLS_SAN_URI,
                                                          "https://www.contoso.com/", 24,
                                                          GNUTLS_FSAN_APPEND),
                     0);
    assert_int_equal(gnutls_x509_crq_set_subject_alt_name(crq, GNUTLS_SAN_IPADDRESS, v4, 4,
                                                          GNUTLS_FSAN_APPEND),
                     0);
    assert_int_equal(gnutls_x509_crq_set_subject_alt_name(crq, GNUTLS_SAN_IPADDRESS, v6, 16,
                                                          GNUTLS_FSAN_APPEND),
                     0);
    assert_int_equal(pkix_wrap(&upn, 0x0C, "web.service@contoso.com", 23), CC_OK);
    assert_int_equal(gnutls_x509_crq_set_subject_alt_othername(crq, "1.3.6.1.4.1.311.20.2.3",
                                                               upn.p, (unsigned)upn.n,
                                                               GNUTLS_FSAN_APPEND),
                     0);
    UNIT_OK(pkix_template_info_encode("1.3.6.1.4.1.311.21.8.1.2.3", 100, 5, &ext, &cause), cause);
    assert_int_equal(
        gnutls_x509_crq_set_extension_by_oid(crq, "1.3.6.1.4.1.311.21.7", ext.p, ext.n, 0), 0);
    assert_int_equal(gnutls_x509_crq_set_key_usage(crq, GNUTLS_KEY_DIGITAL_SIGNATURE), 0);
    UNIT_OK(pkix_name_value_encode("CertificateTemplate", "WebServer", &nv, &cause), cause);
    assert_int_equal(
        gnutls_x509_crq_set_attribute_by_oid(crq, "1.3.6.1.4.1.311.13.2.1", nv.p, nv.n), 0);
    assert_int_equal(gnutls_privkey_init(&pk), 0);
    assert_int_equal(gnutls_privkey_import_x509(pk, key, 0), 0);
    if (gnutls_privkey_get_pk_algorithm(pk, NULL) == GNUTLS_PK_EDDSA_ED25519)
        hash = GNUTLS_DIG_SHA512;
    assert_int_equal(gnutls_x509_crq_privkey_sign(crq, pk, hash, 0), 0);
    gnutls_datum_t d;
    assert_int_equal(gnutls_x509_crq_export2(crq, GNUTLS_X509_FMT_DER, &d), 0);
    assert_int_equal(pkix_buf_set(der, d.data, d.size), CC_OK);
    gnutls_free(d.data);
    pkix_buf_free(&ext);
    pkix_buf_free(&nv);
    pkix_buf_free(&upn);
    gnutls_privkey_deinit(pk);
    gnutls_x509_crq_deinit(crq);
}

/*
 * RSA, EC and Ed25519 requests with every SAN kind parse the same on both
 * paths, and the fields are the ones put in; SHA-1 stays flagged; a subject
 * or UPN the fast path leaves to GnuTLS (escapes, non-ASCII) too.
 */
static void
test_fast_path_matches_gnutls(void **state)
{
    struct fx *f = *state;
    static const char *const kinds[] = {"rsa:2048", "ecdsa:p256", "ecdsa:p384", "ed25519"};
    char *cause = NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        gnutls_x509_privkey_t key;
        struct pkix_buf der = {0};
        struct request_info r;
        UNIT_OK(request_key_generate(kinds[i], &key, &cause), cause);
        build_rich(key, GNUTLS_DIG_SHA256, "www.contoso.com", &der);
        assert_int_equal(parse_both(der.p, der.n, kinds[i]), CC_OK);
        UNIT_OK(request_parse(der.p, der.n, &r, &cause), cause);
        assert_null(r.crq); /* taken by the fast path: no GnuTLS request object */
        assert_string_equal(r.subject_text, "CN=www.contoso.com,EMAIL=webmaster@contoso.com,"
                                            "OU=Web Farm,O=Contoso,L=Redmond,ST=WA,C=US,"
                                            "DC=contoso,DC=com");
        assert_string_equal(r.cn, "www.contoso.com");
        assert_string_equal(r.subject_email, "webmaster@contoso.com");
        assert_true(r.has_san);
        assert_int_equal(r.dns.n, 1);
        assert_string_equal(r.dns.v[0], "www.contoso.com");
        assert_int_equal(r.email.n, 1);
        assert_string_equal(r.email.v[0], "web@contoso.com");
        assert_int_equal(r.uri.n, 1);
        assert_string_equal(r.uri.v[0], "https://www.contoso.com/");
        assert_int_equal(r.ip.n, 2);
        assert_string_equal(r.ip.v[0], "192.0.2.10");
        assert_string_equal(r.ip.v[1], "2001:db8::1");
        assert_int_equal(r.upn.n, 1);
        assert_string_equal(r.upn.v[0], "web.service@contoso.com");
        assert_string_equal(r.template_oid, "1.3.6.1.4.1.311.21.8.1.2.3");
        assert_int_equal(r.template_major, 100);
        assert_int_equal(r.template_minor, 5);
        assert_string_equal(r.nv_template, "WebServer");
        assert_false(request_weak_hash(&r));
        request_info_free(&r);
        pkix_buf_free(&der);

        /* SHA-1 (not for Ed25519): parsed, and flagged */
        if (i < 3) {
            build_rich(key, GNUTLS_DIG_SHA1, "legacy.contoso.com", &der);
            assert_int_equal(parse_both(der.p, der.n, kinds[i]), CC_OK);
            UNIT_OK(request_parse(der.p, der.n, &r, &cause), cause);
            assert_true(request_weak_hash(&r));
            request_info_free(&r);
            pkix_buf_free(&der);
        }
        /* subjects that need RFC 4514 escapes, or are not ASCII */
        static const char *const cns[] = {"Contoso, Ltd", " lead", "#hash", "a+b", "d\xc3\xa9p\xc3\xb4t"};
        for (size_t k = 0; k < sizeof cns / sizeof cns[0]; k++) {
            build_rich(key, GNUTLS_DIG_SHA256, cns[k], &der);
            assert_int_equal(parse_both(der.p, der.n, cns[k]), CC_OK);
            pkix_buf_free(&der);
        }
        gnutls_x509_privkey_deinit(key);
    }
    /* the round-trip request (escaped subject, non-ASCII UPN) and an empty subject */
    struct request_params p;
    struct pkix_buf der = {0};
    full_params(&p);
    build(f->rsa, &p, &der);
    assert_int_equal(parse_both(der.p, der.n, "full"), CC_OK);
    pkix_buf_free(&der);
    free_params(&p);
    memset(&p, 0, sizeof p);
    p.template_cn = "Machine";
    build(f->rsa, &p, &der);
    assert_int_equal(parse_both(der.p, der.n, "empty subject"), CC_OK);
    pkix_buf_free(&der);
}

/*
 * Damage: every truncation of a small request is refused as malformed;
 * trailing bytes are refused; a changed signature is refused as mis-signed
 * for every key type; and every single-byte change of a request gives the
 * same status and fields on both paths, so the fast path accepts nothing
 * GnuTLS would refuse.
 */
static void
test_fast_path_damage(void **state)
{
    struct fx *f = *state;
    char *cause = NULL;
    gnutls_x509_privkey_t ed;
    struct pkix_buf der = {0}, copy = {0};
    struct request_params p = {.cn = "a.contoso.com"};
    UNIT_OK(request_key_generate("ed25519", &ed, &cause), cause);
    build(ed, &p, &der);
    for (size_t n = 1; n < der.n; n++) {
        char what[48];
        snprintf(what, sizeof what, "cut to %zu bytes", n);
        expect_bad_request(der.p, n, what);
    }
    /* trailing garbage, also a second request */
    static const char *const tails[] = {"\0", "x", "\x30\x00", "\x05\x00"};
    for (size_t i = 0; i < sizeof tails / sizeof tails[0]; i++) {
        assert_int_equal(pkix_buf_set(&copy, der.p, der.n), CC_OK);
        assert_int_equal(pkix_buf_append(&copy, tails[i], i == 1 ? 1 : i == 0 ? 1 : 2), CC_OK);
        expect_bad_request(copy.p, copy.n, "trailing bytes");
        assert_int_equal(parse_both(copy.p, copy.n, "trailing bytes"), CC_E_BAD_REQUEST);
        pkix_buf_free(&copy);
    }
    assert_int_equal(pkix_buf_set(&copy, der.p, der.n), CC_OK);
    assert_int_equal(pkix_buf_append(&copy, der.p, der.n), CC_OK);
    expect_bad_request(copy.p, copy.n, "two requests");
    pkix_buf_free(&copy);

    /* every byte changed in turn (small Ed25519 request, then rich EC and RSA ones) */
    for (int round = 0; round < 3; round++) {
        if (round == 1) {
            gnutls_x509_privkey_t ec;
            pkix_buf_free(&der);
            UNIT_OK(request_key_generate("ecdsa:p256", &ec, &cause), cause);
            build_rich(ec, GNUTLS_DIG_SHA256, "www.contoso.com", &der);
            gnutls_x509_privkey_deinit(ec);
        } else if (round == 2) {
            pkix_buf_free(&der);
            build_rich(f->rsa, GNUTLS_DIG_SHA256, "www.contoso.com", &der);
        }
        for (size_t i = 0; i < der.n; i++) {
            static const unsigned char flips[] = {0x01, 0x80, 0xFF};
            for (size_t k = 0; k < sizeof flips; k++) {
                char what[64];
                snprintf(what, sizeof what, "byte %zu ^ 0x%02x", i, flips[k]);
                der.p[i] ^= flips[k];
                parse_both(der.p, der.n, what);
                der.p[i] ^= flips[k];
            }
        }
        assert_int_equal(parse_both(der.p, der.n, "restored"), CC_OK);
    }
    pkix_buf_free(&der);

    /* a tampered signature, each key type */
    static const char *const kinds[] = {"rsa:2048", "ecdsa:p256", "ed25519"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        gnutls_x509_privkey_t key = f->rsa;
        if (i > 0)
            UNIT_OK(request_key_generate(kinds[i], &key, &cause), cause);
        build_rich(key, GNUTLS_DIG_SHA256, "www.contoso.com", &der);
        expect_bad_signature(&der, der.n - 1, kinds[i]);
        expect_bad_signature(&der, der.n - 8, kinds[i]);
        pkix_buf_free(&der);
        if (i > 0)
            gnutls_x509_privkey_deinit(key);
    }
    /* an RSA request claiming SHA-384 while signed with SHA-256 */
    build(f->rsa, &p, &der);
    static const unsigned char sha256rsa[] = {0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B};
    unsigned char *alg = memmem(der.p, der.n, sha256rsa, sizeof sha256rsa);
    assert_non_null(alg);
    alg[8] = 0x0C;
    struct request_info r;
    UNIT_FAILS(request_parse(der.p, der.n, &r, &cause), CC_E_BAD_SIGNATURE, cause, "signature");
    pkix_buf_free(&der);
    gnutls_x509_privkey_deinit(ed);
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
        cmocka_unit_test(test_fast_path_matches_gnutls),
        cmocka_unit_test(test_fast_path_damage),
    };
    return cmocka_run_group_tests_name("request", tests, group_setup, group_teardown);
}
