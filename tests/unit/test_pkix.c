/*
 * Unit tests of ca/pkix: the Microsoft extensions encode to the bytes
 * ADCS-SPEC 4.2 gives, decode back, and the helpers join and parse DER.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pkix.h"
#include "status.h"

static void
expect_hex(const struct pkix_buf *b, const char *hex)
{
    char *got = pkix_hex(b->p, b->n);
    assert_string_equal(got, hex);
    free(got);
}

static void
test_template_name(void **state)
{
    (void)state;
    struct pkix_buf b = {0};
    assert_int_equal(pkix_template_name_encode("WebServer", &b, NULL), CC_OK);
    expect_hex(&b, "1e12005700650062005300650072007600650072");
    char *cn = NULL;
    assert_int_equal(pkix_template_name_decode(b.p, b.n, &cn), CC_OK);
    assert_string_equal(cn, "WebServer");
    free(cn);
    /* SEQUENCE { UTF8String } as MS-WCCE writes it is accepted too */
    static const unsigned char seq[] = {0x30, 0x06, 0x0c, 0x04, 'U', 's', 'e', 'r'};
    assert_int_equal(pkix_template_name_decode(seq, sizeof seq, &cn), CC_OK);
    assert_string_equal(cn, "User");
    free(cn);
    static const unsigned char bad[] = {0x02, 0x01};
    assert_int_equal(pkix_template_name_decode(bad, sizeof bad, &cn), CC_EPARSE);
    pkix_buf_free(&b);
}

static void
test_template_info(void **state)
{
    (void)state;
    struct pkix_buf b = {0};
    const char *oid = "1.3.6.1.4.1.311.21.8.11034890.834619.12601478.16236816.7255827.176.1.30";
    assert_int_equal(pkix_template_info_encode(oid, 101, 0, &b, NULL), CC_OK);
    /* ADCS-SPEC 4.2, Workstation Authentication */
    expect_hex(&b, "302806202b060104018237150885a1c20ab2f83b8681910687df821083baee13"
                   "8130011e020165020100");
    char *got = NULL;
    int64_t major, minor;
    assert_int_equal(pkix_template_info_decode(b.p, b.n, &got, &major, &minor), CC_OK);
    assert_string_equal(got, oid);
    assert_int_equal(major, 101);
    assert_int_equal(minor, 0);
    free(got);
    pkix_buf_free(&b);
}

static void
test_policies(void **state)
{
    (void)state;
    struct strlist l = {0}, back = {0};
    struct pkix_buf b = {0};
    strlist_add(&l, "1.3.6.1.5.5.7.3.1");
    strlist_add(&l, "1.3.6.1.5.5.7.3.2");
    assert_int_equal(pkix_policies_encode(&l, &b, NULL), CC_OK);
    /* ADCS-SPEC 4.2: Server + Client Authentication */
    expect_hex(&b, "3018300a06082b06010505070301300a06082b06010505070302");
    assert_int_equal(pkix_policies_decode(b.p, b.n, &back), CC_OK);
    assert_true(strlist_equal(&l, &back));
    strlist_free(&l);
    strlist_free(&back);
    pkix_buf_free(&b);
}

static void
test_sid(void **state)
{
    (void)state;
    struct pkix_buf b = {0};
    assert_int_equal(pkix_sid_encode("S-1-5-21-1-2-3-1105", &b, NULL), CC_OK);
    /* ADCS-SPEC 4.2 example */
    expect_hex(&b, "3025a023060a2b060104018237190201a0150413532d312d352d32312d312d322d332d31313035");
    pkix_buf_free(&b);
}

static void
test_name_value(void **state)
{
    (void)state;
    struct pkix_buf b = {0};
    char *n = NULL, *v = NULL;
    assert_int_equal(pkix_name_value_encode("CertificateTemplate", "WebServer", &b, NULL), CC_OK);
    assert_int_equal(pkix_name_value_decode(b.p, b.n, &n, &v), CC_OK);
    assert_string_equal(n, "CertificateTemplate");
    assert_string_equal(v, "WebServer");
    free(n);
    free(v);
    assert_int_equal(pkix_name_value_decode(b.p, b.n - 1, &n, &v), CC_EPARSE);
    pkix_buf_free(&b);
}

static void
test_wrap_and_tlv(void **state)
{
    (void)state;
    struct pkix_buf b = {0};
    unsigned char big[300];
    memset(big, 7, sizeof big);
    assert_int_equal(pkix_wrap(&b, 0x04, big, sizeof big), CC_OK);
    assert_int_equal(b.n, 4 + sizeof big);
    assert_int_equal(b.p[0], 0x04);
    assert_int_equal(b.p[1], 0x82);
    unsigned char tag;
    size_t len;
    assert_int_equal(pkix_tlv(b.p, b.n, &tag, &len), 4);
    assert_int_equal(len, sizeof big);
    assert_int_equal(pkix_tlv(b.p, b.n - 1, &tag, &len), -1); /* truncated */
    pkix_buf_free(&b);
    struct pkix_buf h = {0};
    assert_int_equal(pkix_unhex("0A:b1 c2", &h), CC_OK);
    expect_hex(&h, "0ab1c2");
    assert_int_equal(pkix_unhex("abc", &h), CC_EINVAL);
    assert_int_equal(pkix_unhex("zz", &h), CC_EINVAL);
    pkix_buf_free(&h);
}

static void
test_time(void **state)
{
    (void)state;
    char buf[32];
    int gen;
    pkix_time_string(1795578108, buf, sizeof buf, &gen); /* 2026-11-25 */
    assert_false(gen);
    assert_string_equal(buf, "261125034148Z");
    pkix_time_string(253402300799, buf, sizeof buf, &gen); /* 9999-12-31 */
    assert_true(gen);
    assert_string_equal(buf, "99991231235959Z");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_name), cmocka_unit_test(test_template_info),
        cmocka_unit_test(test_policies),      cmocka_unit_test(test_sid),
        cmocka_unit_test(test_name_value),    cmocka_unit_test(test_wrap_and_tlv),
        cmocka_unit_test(test_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
