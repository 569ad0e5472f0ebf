/*
 * The certificate linter's rules, each on a TBSCertificate, TBSCertList or
 * request built here byte by byte: a clean object has no finding, and each
 * broken rule is found by name (and nothing it should not be).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gnutls/gnutls.h>

#include "certlint.h"
#include "pkix.h"
#include "status.h"

/* --- DER builders: each returns a fresh buffer the caller frees --- */

static struct pkix_buf
wrap(unsigned char tag, const void *p, size_t n)
{
    struct pkix_buf b = {0};
    assert_int_equal(pkix_wrap(&b, tag, p, n), CC_OK);
    return b;
}

static void
cat(struct pkix_buf *b, struct pkix_buf piece)
{
    assert_int_equal(pkix_buf_append(b, piece.p, piece.n), CC_OK);
    pkix_buf_free(&piece);
}

static struct pkix_buf
wrapb(unsigned char tag, struct pkix_buf in)
{
    struct pkix_buf b = wrap(tag, in.p, in.n);
    pkix_buf_free(&in);
    return b;
}

static const unsigned char OID_CN[] = {0x06, 0x03, 0x55, 0x04, 0x03};
static const unsigned char OID_C[] = {0x06, 0x03, 0x55, 0x04, 0x06};
static const unsigned char RSA_SPKI_ALG[] = {0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86,
                                             0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00};
static const unsigned char EC_SPKI_ALG[] = {0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48,
                                            0xCE, 0x3D, 0x02, 0x01, 0x06, 0x08, 0x2A,
                                            0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
static const unsigned char SIGALG[] = {0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86,
                                       0xF7, 0x0D, 0x01, 0x01, 0x0B, 0x05, 0x00};

/* Name { RDN { oid, value (tag) } } with one attribute, or empty for oid NULL. */
static struct pkix_buf
name1(const unsigned char *oid, size_t oid_n, unsigned char tag, const void *v, size_t n)
{
    struct pkix_buf atv = {0};
    if (oid == NULL)
        return wrap(0x30, NULL, 0);
    assert_int_equal(pkix_buf_append(&atv, oid, oid_n), CC_OK);
    cat(&atv, wrap(tag, v, n));
    return wrapb(0x30, wrapb(0x31, wrapb(0x30, atv)));
}

static struct pkix_buf
cn(const char *s)
{
    return name1(OID_CN, sizeof OID_CN, 0x0C, s, strlen(s));
}

/* Extension { oid (content bytes), critical?, OCTET STRING value }. */
static struct pkix_buf
ext(const char *oid, size_t oid_n, int critical, struct pkix_buf value)
{
    struct pkix_buf e = wrap(0x06, oid, oid_n);
    if (critical)
        cat(&e, wrap(0x01, "\xFF", 1));
    cat(&e, wrapb(0x04, value));
    return wrapb(0x30, e);
}
#define EXT(lit, crit, value) ext((lit), sizeof(lit) - 1, (crit), (value))
#define SAN                   "\x55\x1D\x11"
#define KU                    "\x55\x1D\x0F"
#define BC                    "\x55\x1D\x13"
#define AKI                   "\x55\x1D\x23"
#define CRLNUM                "\x55\x1D\x14"
#define REASON                "\x55\x1D\x15"

/* GeneralNames holding one entry */
static struct pkix_buf
san1(unsigned char tag, const void *v, size_t n)
{
    return wrapb(0x30, wrap(tag, v, n));
}
#define SAN_DNS(s) san1(0x82, (s), strlen(s))

static struct pkix_buf
key_usage(unsigned bits) /* bits as in the first octet: 0x80 digitalSignature ... */
{
    unsigned char v[2] = {0, (unsigned char)bits};
    return wrap(0x03, v, 2);
}

static struct pkix_buf
basic_constraints(int ca, int pathlen)
{
    struct pkix_buf s = {0};
    if (ca)
        cat(&s, wrap(0x01, "\xFF", 1));
    if (pathlen >= 0) {
        unsigned char p = (unsigned char)pathlen;
        cat(&s, wrap(0x02, &p, 1));
    }
    return wrapb(0x30, s);
}

struct tbs_spec {
    const unsigned char *serial;
    size_t serial_n;
    const char *not_before, *not_after; /* UTCTime text, or GeneralizedTime when 15 long */
    struct pkix_buf subject;            /* consumed */
    struct pkix_buf exts;               /* the Extension TLVs, consumed; empty: none */
    int ec;
};

static struct pkix_buf
time_tlv(const char *t)
{
    return wrap(strlen(t) == 15 ? 0x18 : 0x17, t, strlen(t));
}

static struct pkix_buf
tbs(struct tbs_spec s)
{
    static const unsigned char one[] = {0x01};
    struct pkix_buf b = wrap(0xA0, "\x02\x01\x02", 3);
    cat(&b, s.serial ? wrap(0x02, s.serial, s.serial_n) : wrap(0x02, one, 1));
    assert_int_equal(pkix_buf_append(&b, SIGALG, sizeof SIGALG), CC_OK);
    cat(&b, cn("Test CA"));
    struct pkix_buf v = time_tlv(s.not_before ? s.not_before : "261125090000Z");
    cat(&v, time_tlv(s.not_after ? s.not_after : "271125090000Z"));
    cat(&b, wrapb(0x30, v));
    cat(&b, s.subject.p ? s.subject : cn("host.contoso.com"));
    struct pkix_buf spki = {0};
    if (s.ec)
        assert_int_equal(pkix_buf_append(&spki, EC_SPKI_ALG, sizeof EC_SPKI_ALG), CC_OK);
    else
        assert_int_equal(pkix_buf_append(&spki, RSA_SPKI_ALG, sizeof RSA_SPKI_ALG), CC_OK);
    cat(&spki, wrap(0x03, "\x00\x01", 2));
    cat(&b, wrapb(0x30, spki));
    if (s.exts.n)
        cat(&b, wrapb(0xA3, wrapb(0x30, s.exts)));
    else
        pkix_buf_free(&s.exts);
    return wrapb(0x30, b);
}

static struct pkix_buf
exts1(struct pkix_buf e)
{
    return e;
}

static struct pkix_buf
exts2(struct pkix_buf a, struct pkix_buf b)
{
    cat(&a, b);
    return a;
}

/* Lints a TBS and returns the result; asserts the walk itself succeeded. */
static struct certlint_result
lint_tbs(struct pkix_buf t, const struct certlint_context *ctx)
{
    struct certlint_result r;
    assert_int_equal(certlint_certificate(t.p, t.n, 1, ctx, &r), CC_OK);
    pkix_buf_free(&t);
    return r;
}

static int
has(const struct certlint_result *r, const char *rule)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(certlint_rule(r->v[i].rule)->name, rule) == 0)
            return 1;
    return 0;
}

/* Exactly the one rule (an error) is broken. */
static void
expect_only(struct pkix_buf t, const char *rule)
{
    struct certlint_result r = lint_tbs(t, NULL);
    if (!has(&r, rule) || r.n != 1) {
        char *names = certlint_error_names(&r);
        print_message("# expected only %s, got: %s\n", rule, names ? names : "none");
        free(names);
        fail();
    }
    assert_int_equal(r.errors, 1);
    certlint_result_free(&r);
}

static void
expect_clean(struct pkix_buf t)
{
    struct certlint_result r = lint_tbs(t, NULL);
    if (r.n != 0) {
        char *names = certlint_error_names(&r);
        print_message("# expected no finding, got: %s\n", names ? names : "a warning");
        free(names);
        fail();
    }
    certlint_result_free(&r);
}

static struct pkix_buf
dns_cert(const char *name)
{
    return tbs((struct tbs_spec){.exts = exts1(EXT(SAN, 0, SAN_DNS(name)))});
}

static void
test_clean(void **state)
{
    (void)state;
    expect_clean(tbs((struct tbs_spec){0}));
    expect_clean(tbs((struct tbs_spec){
        .exts = exts2(EXT(SAN, 0, SAN_DNS("*.contoso.com")), EXT(KU, 1, key_usage(0xA0)))}));
    /* a CA: critical cA, keyCertSign, path length */
    expect_clean(tbs((struct tbs_spec){
        .exts = exts2(EXT(BC, 1, basic_constraints(1, 0)), EXT(KU, 1, key_usage(0x86)))}));
}

static void
test_serial(void **state)
{
    (void)state;
    unsigned char s[21];
    memset(s, 0x11, sizeof s);
    expect_only(tbs((struct tbs_spec){.serial = (const unsigned char *)"\x00", .serial_n = 1}),
                "e_serial_number_not_positive");
    expect_only(tbs((struct tbs_spec){.serial = (const unsigned char *)"\xFF", .serial_n = 1}),
                "e_serial_number_not_positive");
    expect_only(tbs((struct tbs_spec){.serial = s, .serial_n = 21}), "e_serial_number_too_long");
    expect_clean(tbs((struct tbs_spec){.serial = s, .serial_n = 20}));
}

static void
test_validity(void **state)
{
    (void)state;
    expect_only(tbs((struct tbs_spec){.not_before = "271125090000Z", .not_after = "261125090000Z"}),
                "e_validity_negative");
    expect_only(tbs((struct tbs_spec){.not_after = "20271125090000Z"}), "e_time_format");
    expect_only(tbs((struct tbs_spec){.not_after = "2711250900Z"}), "e_time_format");
    expect_clean(tbs((struct tbs_spec){.not_after = "20500101000000Z"}));
    /* inside and outside the CA's validity: 2026-01-01 .. 2028-01-01 */
    struct certlint_context ctx = {1767225600, 1830297600};
    struct certlint_result r = lint_tbs(tbs((struct tbs_spec){0}), &ctx);
    assert_int_equal(r.n, 0);
    certlint_result_free(&r);
    r = lint_tbs(tbs((struct tbs_spec){.not_after = "290101000000Z"}), &ctx);
    assert_true(has(&r, "e_validity_outside_issuer"));
    certlint_result_free(&r);
}

static void
test_names(void **state)
{
    (void)state;
    char e64[129] = "", e65[131] = "";
    for (int i = 0; i < 64; i++)
        strcat(e64, "\xC3\xA9");
    strcpy(e65, e64);
    strcat(e65, "\xC3\xA9");
    expect_clean(tbs((struct tbs_spec){.subject = cn(e64)})); /* 64 characters, 128 bytes */
    expect_only(tbs((struct tbs_spec){.subject = cn(e65)}), "e_subject_common_name_max_length");
    char big[10001];
    memset(big, 'a', 10000);
    big[10000] = '\0';
    expect_only(tbs((struct tbs_spec){.subject = cn(big)}), "e_subject_common_name_max_length");
    expect_only(tbs((struct tbs_spec){.subject = cn("a\xC3(")}), "e_name_utf8_invalid");
    expect_only(tbs((struct tbs_spec){.subject = cn("\xC0\x80")}), "e_name_utf8_invalid");
    expect_only(tbs((struct tbs_spec){.subject = cn("\xED\xA0\x80")}), "e_name_utf8_invalid");
    expect_only(tbs((struct tbs_spec){.subject = cn("a\x1b[2Jb")}), "e_name_control_character");
    expect_only(tbs((struct tbs_spec){.subject = cn("a\xC2\x85")}), "e_name_control_character");
    expect_only(tbs((struct tbs_spec){.subject = cn("a\x7F")}), "e_name_control_character");
    expect_only(tbs((struct tbs_spec){.subject = name1(OID_CN, sizeof OID_CN, 0x13, "a@b", 3)}),
                "e_name_printable_string_bad_character");
    expect_only(tbs((struct tbs_spec){.subject = name1(OID_CN, sizeof OID_CN, 0x1E, "\0a\0", 3)}),
                "e_name_bmp_string_odd_length");
    expect_clean(tbs((struct tbs_spec){.subject = name1(OID_CN, sizeof OID_CN, 0x1E, "\0a", 2)}));
    expect_only(tbs((struct tbs_spec){.subject = name1(OID_C, sizeof OID_C, 0x13, "USA", 3)}),
                "e_subject_country_not_two_letters");
    expect_only(tbs((struct tbs_spec){.subject = cn("")}), "e_name_empty_value");
}

static void
test_empty_subject(void **state)
{
    (void)state;
    struct pkix_buf none = {0};
    expect_only(tbs((struct tbs_spec){.subject = name1(NULL, 0, 0, NULL, 0), .exts = none}),
                "e_subject_empty_without_san");
    expect_only(tbs((struct tbs_spec){.subject = name1(NULL, 0, 0, NULL, 0),
                                      .exts = exts1(EXT(SAN, 0, SAN_DNS("a.contoso.com")))}),
                "e_subject_empty_san_not_critical");
    expect_clean(tbs((struct tbs_spec){.subject = name1(NULL, 0, 0, NULL, 0),
                                       .exts = exts1(EXT(SAN, 1, SAN_DNS("a.contoso.com")))}));
}

static void
test_san(void **state)
{
    (void)state;
    char label63[80], label64[80], total[300];
    memset(label63, 'a', 63);
    strcpy(label63 + 63, ".com");
    memset(label64, 'a', 64);
    strcpy(label64 + 64, ".com");
    expect_clean(dns_cert(label63));
    expect_only(dns_cert(label64), "e_san_dns_name_label_too_long");
    /* 5 labels of 50: 254 characters */
    total[0] = '\0';
    for (int i = 0; i < 5; i++) {
        size_t k = strlen(total);
        memset(total + k, 'a' + i, 50);
        total[k + 50] = i < 4 ? '.' : '\0';
        total[k + 51] = '\0';
    }
    assert_int_equal(strlen(total), 254);
    expect_only(dns_cert(total), "e_san_dns_name_too_long");
    total[253] = '\0';
    expect_clean(dns_cert(total));
    expect_only(dns_cert("not a host!!"), "e_san_dns_name_bad_label");
    expect_only(dns_cert("-bad-"), "e_san_dns_name_bad_label");
    expect_only(dns_cert("../../etc"), "e_san_dns_name_bad_label");
    expect_only(dns_cert("a..b"), "e_san_dns_name_bad_label");
    expect_only(dns_cert("host.contoso.com."), "e_san_dns_name_bad_label");
    expect_only(dns_cert("under_score.com"), "e_san_dns_name_bad_label");
    expect_only(dns_cert("a.*.com"), "e_san_dns_name_bad_wildcard");
    expect_only(dns_cert("w*.com"), "e_san_dns_name_bad_wildcard");
    expect_only(dns_cert("*"), "e_san_dns_name_bad_wildcard");
    expect_only(tbs((struct tbs_spec){.exts = exts1(EXT(SAN, 0, san1(0x87, "\1\2\3\4\5", 5)))}),
                "e_san_ip_address_bad_length");
    expect_clean(tbs((struct tbs_spec){.exts = exts1(EXT(SAN, 0, san1(0x87, "\1\2\3\4", 4)))}));
    expect_only(tbs((struct tbs_spec){.exts = exts1(EXT(SAN, 0, san1(0x81, "ab", 2)))}),
                "e_san_rfc822_name_bad_syntax");
    expect_clean(tbs((struct tbs_spec){.exts = exts1(EXT(SAN, 0, san1(0x81, "a@b.com", 7)))}));
    expect_only(tbs((struct tbs_spec){.exts = exts1(EXT(SAN, 0, san1(0x86, "no scheme", 9)))}),
                "e_san_uri_bad_syntax");
    expect_only(tbs((struct tbs_spec){.exts = exts1(EXT(SAN, 0, wrap(0x30, NULL, 0)))}),
                "e_san_empty");
    /* UPN otherName: a UTF8String user@domain; an IA5String is refused */
    static const unsigned char upn_oid[] = {0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04,
                                            0x01, 0x82, 0x37, 0x14, 0x02, 0x03};
    struct pkix_buf on = {0};
    assert_int_equal(pkix_buf_append(&on, upn_oid, sizeof upn_oid), CC_OK);
    cat(&on, wrapb(0xA0, wrap(0x16, "u@contoso.com", 13)));
    expect_only(tbs((struct tbs_spec){.exts = exts1(EXT(SAN, 0, wrapb(0x30, wrapb(0xA0, on))))}),
                "e_san_upn_bad_syntax");
    /* a certificate may carry a directoryName; only a request may not */
    expect_clean(
        tbs((struct tbs_spec){.exts = exts1(EXT(SAN, 0, wrapb(0x30, wrapb(0xA4, cn("x")))))}));
}

static void
test_extensions(void **state)
{
    (void)state;
    expect_only(tbs((struct tbs_spec){.exts = exts2(EXT(SAN, 0, SAN_DNS("a.contoso.com")),
                                                    EXT(SAN, 0, SAN_DNS("b.contoso.com")))}),
                "e_ext_duplicate");
    expect_only(tbs((struct tbs_spec){.exts = exts1(EXT(KU, 1, key_usage(0x04)))}),
                "e_key_usage_cert_sign_without_ca");
    expect_only(tbs((struct tbs_spec){.exts = exts2(EXT(BC, 1, basic_constraints(0, -1)),
                                                    EXT(KU, 1, key_usage(0x84)))}),
                "e_key_usage_cert_sign_without_ca");
    expect_only(tbs((struct tbs_spec){.exts = exts2(EXT(BC, 1, basic_constraints(1, -1)),
                                                    EXT(KU, 1, key_usage(0x80)))}),
                "e_ca_key_cert_sign_not_set");
    expect_only(tbs((struct tbs_spec){.exts = exts1(EXT(BC, 0, basic_constraints(1, -1)))}),
                "e_basic_constraints_not_critical");
    expect_only(tbs((struct tbs_spec){.exts = exts1(EXT(BC, 1, basic_constraints(0, 2)))}),
                "e_path_len_without_ca");
    expect_only(tbs((struct tbs_spec){.exts = exts1(EXT(KU, 1, key_usage(0x00)))}),
                "e_key_usage_empty");
    /* key usage fitted to the key: EC keys do not encipher, RSA keys do not agree */
    expect_only(tbs((struct tbs_spec){.ec = 1, .exts = exts1(EXT(KU, 1, key_usage(0xA0)))}),
                "e_key_usage_bad_for_key_type");
    expect_clean(tbs((struct tbs_spec){.ec = 1, .exts = exts1(EXT(KU, 1, key_usage(0x88)))}));
    expect_only(tbs((struct tbs_spec){.exts = exts1(EXT(KU, 1, key_usage(0x08)))}),
                "e_key_usage_bad_for_key_type");
}

static void
test_malformed(void **state)
{
    (void)state;
    struct pkix_buf t = tbs((struct tbs_spec){0});
    struct certlint_result r;
    assert_int_equal(certlint_certificate(t.p, t.n - 3, 1, NULL, &r), CC_OK);
    assert_true(has(&r, "e_der_malformed"));
    assert_true(r.errors >= 1);
    certlint_result_free(&r);
    assert_int_equal(certlint_certificate((const unsigned char *)"", 0, 0, NULL, &r), CC_OK);
    assert_true(has(&r, "e_der_malformed"));
    certlint_result_free(&r);
    pkix_buf_free(&t);
}

/* A whole Certificate (a fake signature: the linter does not verify) in PEM. */
static void
test_whole_and_pem(void **state)
{
    (void)state;
    struct pkix_buf cert =
        tbs((struct tbs_spec){.serial = (const unsigned char *)"\x00", .serial_n = 1});
    assert_int_equal(pkix_buf_append(&cert, SIGALG, sizeof SIGALG), CC_OK);
    cat(&cert, wrap(0x03, "\x00\x01\x02", 3));
    struct pkix_buf whole = wrapb(0x30, cert);
    gnutls_datum_t in = {whole.p, (unsigned)whole.n}, pem;
    assert_int_equal(gnutls_pem_base64_encode2("CERTIFICATE", &in, &pem), 0);
    struct pkix_buf two = {0};
    assert_int_equal(pkix_buf_append(&two, pem.data, pem.size), CC_OK);
    assert_int_equal(pkix_buf_append(&two, pem.data, pem.size), CC_OK);
    gnutls_free(pem.data);
    struct certlint_object *v;
    size_t n;
    assert_int_equal(certlint_data(two.p, two.n, &v, &n, NULL), CC_OK);
    assert_int_equal(n, 2);
    assert_int_equal(v[1].crl, 0);
    assert_true(has(&v[1].result, "e_serial_number_not_positive"));
    certlint_objects_free(v, n);
    assert_int_equal(certlint_data(whole.p, whole.n, &v, &n, NULL), CC_OK);
    assert_int_equal(n, 1);
    assert_true(has(&v[0].result, "e_serial_number_not_positive"));
    char *names = certlint_error_names(&v[0].result);
    assert_string_equal(names, "e_serial_number_not_positive");
    free(names);
    certlint_objects_free(v, n);
    char *cause = NULL;
    assert_int_equal(certlint_data("hello", 5, &v, &n, &cause), CC_EPARSE);
    assert_non_null(cause);
    free(cause);
    pkix_buf_free(&two);
    pkix_buf_free(&whole);
}

/* --- CRLs --- */

static struct pkix_buf
crl(int next, int revoked, const char *reason, int aki, int number)
{
    struct pkix_buf b = wrap(0x02, "\x01", 1);
    assert_int_equal(pkix_buf_append(&b, SIGALG, sizeof SIGALG), CC_OK);
    cat(&b, cn("Test CA"));
    cat(&b, time_tlv("261125090000Z"));
    if (next)
        cat(&b, time_tlv(next > 0 ? "261202090000Z" : "261101090000Z"));
    if (revoked >= 0) {
        struct pkix_buf list = {0};
        for (int i = 0; i < revoked; i++) {
            struct pkix_buf e = wrap(0x02, "\x05", 1);
            cat(&e, time_tlv("261120090000Z"));
            if (reason)
                cat(&e, wrapb(0x30, EXT(REASON, 0, wrap(0x0A, reason, 1))));
            cat(&list, wrapb(0x30, e));
        }
        cat(&b, wrapb(0x30, list));
    }
    struct pkix_buf exts = {0};
    if (aki)
        cat(&exts, EXT(AKI, 0, wrapb(0x30, wrap(0x80, "\x01\x02", 2))));
    if (number)
        cat(&exts, EXT(CRLNUM, 0, wrap(0x02, number > 0 ? "\x01" : "\x80", 1)));
    if (exts.n)
        cat(&b, wrapb(0xA0, wrapb(0x30, exts)));
    return wrapb(0x30, b);
}

static void
expect_crl(struct pkix_buf t, const char *rule, size_t errors)
{
    struct certlint_result r;
    assert_int_equal(certlint_crl(t.p, t.n, 1, &r), CC_OK);
    pkix_buf_free(&t);
    if (rule ? !has(&r, rule) || r.n != 1 : r.n != 0) {
        char *names = certlint_error_names(&r);
        print_message("# expected %s, got: %s\n", rule ? rule : "nothing", names ? names : "none");
        free(names);
        fail();
    }
    assert_int_equal(r.errors, errors);
    certlint_result_free(&r);
}

static void
test_crl(void **state)
{
    (void)state;
    expect_crl(crl(1, -1, NULL, 1, 1), NULL, 0);
    expect_crl(crl(1, 2, "\x01", 1, 1), NULL, 0);
    expect_crl(crl(0, -1, NULL, 1, 1), "e_crl_next_update_missing", 1);
    expect_crl(crl(-1, -1, NULL, 1, 1), "e_crl_next_update_before_this_update", 1);
    expect_crl(crl(1, 0, NULL, 1, 1), "e_crl_empty_revoked_certificates", 1);
    expect_crl(crl(1, -1, NULL, 0, 1), "e_crl_aki_missing", 1);
    expect_crl(crl(1, -1, NULL, 1, 0), "e_crl_number_missing", 1);
    expect_crl(crl(1, -1, NULL, 1, -1), "e_crl_number_bad", 1);
    expect_crl(crl(1, 1, "\x00", 1, 1), "w_crl_reason_unspecified", 0); /* a warning only */
    struct pkix_buf c = crl(1, -1, NULL, 1, 1);
    struct pkix_buf whole = c;
    c = (struct pkix_buf){0};
    assert_int_equal(pkix_buf_append(&whole, SIGALG, sizeof SIGALG), CC_OK);
    cat(&whole, wrap(0x03, "\x00\x01", 2));
    struct pkix_buf signed_crl = wrapb(0x30, whole);
    assert_true(certlint_is_crl(signed_crl.p, signed_crl.n));
    pkix_buf_free(&signed_crl);
}

/* --- requests --- */

/* CertificationRequest with the given attributes' content (fake key and signature). */
static struct pkix_buf
request(struct pkix_buf subject, struct pkix_buf attrs)
{
    struct pkix_buf cri = wrap(0x02, "\x00", 1);
    cat(&cri, subject);
    struct pkix_buf spki = {0};
    assert_int_equal(pkix_buf_append(&spki, RSA_SPKI_ALG, sizeof RSA_SPKI_ALG), CC_OK);
    cat(&spki, wrap(0x03, "\x00\x01", 2));
    cat(&cri, wrapb(0x30, spki));
    cat(&cri, wrapb(0xA0, attrs));
    struct pkix_buf req = wrapb(0x30, cri);
    assert_int_equal(pkix_buf_append(&req, SIGALG, sizeof SIGALG), CC_OK);
    cat(&req, wrap(0x03, "\x00\x01", 2));
    return wrapb(0x30, req);
}

/* Attribute extensionRequest { Extensions { exts } } */
static struct pkix_buf
ext_request(struct pkix_buf exts)
{
    static const unsigned char oid[] = {0x06, 0x09, 0x2A, 0x86, 0x48, 0x86,
                                        0xF7, 0x0D, 0x01, 0x09, 0x0E};
    struct pkix_buf a = {0};
    assert_int_equal(pkix_buf_append(&a, oid, sizeof oid), CC_OK);
    cat(&a, wrapb(0x31, wrapb(0x30, exts)));
    return wrapb(0x30, a);
}

static struct certlint_result
lint_req(struct pkix_buf r, int names)
{
    struct certlint_result out;
    assert_int_equal(certlint_request(r.p, r.n, names, &out), CC_OK);
    pkix_buf_free(&r);
    return out;
}

static void
test_request(void **state)
{
    (void)state;
    /* the same extension in two extensionRequest attributes */
    struct pkix_buf attrs = ext_request(EXT(SAN, 0, SAN_DNS("a.contoso.com")));
    cat(&attrs, ext_request(EXT(SAN, 0, SAN_DNS("b.contoso.com"))));
    struct certlint_result r = lint_req(request(cn("x"), attrs), 0);
    assert_true(has(&r, "e_ext_duplicate"));
    assert_int_equal(r.errors, 1);
    assert_int_equal(certlint_names_only(&r), 0);
    certlint_result_free(&r);
    /* within one */
    r = lint_req(request(cn("x"), ext_request(exts2(EXT(KU, 0, key_usage(0x80)),
                                                    EXT(KU, 0, key_usage(0x80))))),
                 0);
    assert_true(has(&r, "e_ext_duplicate"));
    certlint_result_free(&r);
    /* a directoryName: refused in a request, and only when names are judged */
    r = lint_req(request(cn("x"), ext_request(EXT(SAN, 0, wrapb(0x30, wrapb(0xA4, cn("y")))))), 1);
    assert_true(has(&r, "e_san_type_not_allowed"));
    assert_int_equal(certlint_names_only(&r), 1);
    certlint_result_free(&r);
    r = lint_req(request(cn("x"), ext_request(EXT(SAN, 0, wrapb(0x30, wrapb(0xA4, cn("y")))))), 0);
    assert_int_equal(r.n, 0);
    certlint_result_free(&r);
    r = lint_req(request(cn("x"), ext_request(EXT(SAN, 0, san1(0x88, "\x2A\x03", 2)))), 1);
    assert_true(has(&r, "e_san_type_not_allowed"));
    certlint_result_free(&r);
    /* the subject's names, in characters */
    char big[2001];
    memset(big, 'a', 2000);
    big[2000] = '\0';
    r = lint_req(request(cn(big), (struct pkix_buf){0}), 1);
    assert_true(has(&r, "e_subject_common_name_max_length"));
    certlint_result_free(&r);
    r = lint_req(request(cn("ok.contoso.com"), ext_request(EXT(SAN, 0, SAN_DNS("ok.contoso.com")))),
                 1);
    assert_int_equal(r.n, 0);
    certlint_result_free(&r);
}

static void
test_rule_table(void **state)
{
    (void)state;
    for (int i = 0; i < CERTLINT_RULE_COUNT; i++) {
        const struct certlint_rule_info *ri = certlint_rule(i);
        assert_non_null(ri->name);
        assert_true(ri->name[0] == (ri->error ? 'e' : 'w') && ri->name[1] == '_');
        assert_non_null(ri->section);
        assert_true(strlen(ri->description) > 10);
        for (int k = 0; k < i; k++)
            assert_string_not_equal(certlint_rule(k)->name, ri->name);
    }
    assert_null(certlint_rule(CERTLINT_RULE_COUNT));
    assert_null(certlint_rule(-1));
}

/* The field check the console runs as a DNS name is typed: the lint's own rules. */
static void
test_dns_name_field(void **state)
{
    (void)state;
    static const char *const good[] = {"server1.internal.contoso.com", "server.contoso.com",
                                       "localhost", "a-b.c0", "*.contoso.com"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char *cause = NULL;
        assert_int_equal(certlint_dns_name(good[i], 1, &cause), CC_OK);
        assert_null(cause);
    }
    static const struct {
        const char *name, *why;
    } bad[] = {
        {"not a host!!", "\"not a host!!\": ' ' is not a letter, digit, '-' or '.'."},
        {"-bad-", "\"-bad-\": a label starts or ends with '-'."},
        {"../../etc", "\"../../etc\": '/' is not a letter, digit, '-' or '.'."},
        {"", "\"\": an empty label"},
        {"host.", "an empty label"},
        {"a.*.com", "'*' is allowed only as the whole first label"},
        {"tab\there.com", "holds a control character"},
        {"under_score.com", "'_' is not a letter"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *cause = NULL;
        assert_int_equal(certlint_dns_name(bad[i].name, 1, &cause), CC_E_BAD_REQUESTSUBJECT);
        assert_non_null(cause);
        assert_non_null(strstr(cause, bad[i].why));
        free(cause);
    }
    char *cause = NULL;
    assert_int_equal(certlint_dns_name("*.contoso.com", 0, &cause), CC_E_BAD_REQUESTSUBJECT);
    free(cause);
    cause = NULL;
    char label[70], total[300];
    memset(label, 'a', 64);
    strcpy(label + 64, ".com");
    assert_int_equal(certlint_dns_name(label, 1, &cause), CC_E_BAD_REQUESTSUBJECT);
    assert_non_null(strstr(cause, "a label of 64 characters; at most 63"));
    free(cause);
    cause = NULL;
    total[0] = '\0';
    for (int k = 0; k < 5; k++)
        strcat(strcat(total, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), k < 4 ? "." : "");
    assert_int_equal(strlen(total), 254);
    assert_int_equal(certlint_dns_name(total, 1, &cause), CC_E_BAD_REQUESTSUBJECT);
    assert_non_null(strstr(cause, "at most 253"));
    free(cause);
    cause = NULL;
    total[253] = '\0';
    assert_int_equal(certlint_dns_name(total, 1, &cause), CC_OK);
}


int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clean),         cmocka_unit_test(test_serial),
        cmocka_unit_test(test_validity),      cmocka_unit_test(test_names),
        cmocka_unit_test(test_empty_subject), cmocka_unit_test(test_san),
        cmocka_unit_test(test_extensions),    cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_whole_and_pem), cmocka_unit_test(test_crl),
        cmocka_unit_test(test_request),       cmocka_unit_test(test_rule_table), cmocka_unit_test(test_dns_name_field),
    };
    return cmocka_run_group_tests_name("certlint", tests, NULL, NULL);
}
