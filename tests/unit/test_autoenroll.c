/*
 * Unit tests for the autoenrollment pulse's decisions: the renewal window
 * (the later of notAfter minus the renewal period and 80% of the lifetime),
 * re-enrollment after Reenroll All Certificate Holders, expiry, and the
 * template that asks never to be renewed automatically.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "autoenroll.h"
#include "template.h"

#define DAY 86400

static struct template
one_year_template(void)
{
    struct template t;
    memset(&t, 0, sizeof t);
    t.schema_version = 2;
    t.revision = 100;
    t.validity = PERIOD_YEAR;
    t.renewal = 6 * PERIOD_WEEK;
    return t;
}

static void
test_renewal_start_80_percent(void **state)
{
    (void)state;
    /* one year with six weeks to renew: six weeks is under 20%, so it decides */
    time_t nb = 1000000000, na = nb + 365 * DAY;
    assert_int_equal(autoenroll_renewal_start(nb, na, 6 * PERIOD_WEEK), na - 42 * DAY);
    /* a renewal period over 20% of the lifetime: the 80% point governs */
    assert_int_equal(autoenroll_renewal_start(nb, na, 100 * DAY), nb + 292 * DAY);
    /* a renewal period longer than the lifetime never starts before 80% */
    assert_int_equal(autoenroll_renewal_start(nb, na, 2 * PERIOD_YEAR), nb + 292 * DAY);
}

static void
test_decide_enroll_when_nothing_held(void **state)
{
    (void)state;
    struct template t = one_year_template();
    struct ae_held h = {0};
    const char *why = NULL;
    assert_int_equal(autoenroll_decide(&t, &h, 1000, &why), AE_ACT_ENROLL);
    assert_non_null(strstr(why, "no valid certificate"));
}

static void
test_decide_nothing_when_valid(void **state)
{
    (void)state;
    struct template t = one_year_template();
    time_t nb = 1000000000;
    struct ae_held h = {1, nb, nb + 365 * DAY, 100};
    const char *why = NULL;
    assert_int_equal(autoenroll_decide(&t, &h, nb + 100 * DAY, &why), AE_ACT_NONE);
    assert_int_equal(autoenroll_decide(&t, &h, nb + 322 * DAY, &why), AE_ACT_NONE);
    assert_int_equal(autoenroll_decide(&t, &h, nb + 323 * DAY, &why), AE_ACT_RENEW);
    /* a long renewal period: never before 80% of the lifetime */
    t.renewal = 100 * DAY;
    assert_int_equal(autoenroll_decide(&t, &h, nb + 291 * DAY, &why), AE_ACT_NONE);
    assert_int_equal(autoenroll_decide(&t, &h, nb + 292 * DAY, &why), AE_ACT_RENEW);
}

static void
test_decide_expired_enrolls_afresh(void **state)
{
    (void)state;
    struct template t = one_year_template();
    time_t nb = 1000000000;
    struct ae_held h = {1, nb, nb + 365 * DAY, 100};
    const char *why = NULL;
    assert_int_equal(autoenroll_decide(&t, &h, nb + 366 * DAY, &why), AE_ACT_ENROLL);
    assert_non_null(strstr(why, "expired"));
}

static void
test_decide_reenroll_on_major_version(void **state)
{
    (void)state;
    struct template t = one_year_template();
    t.revision = 101;
    time_t nb = 1000000000;
    struct ae_held h = {1, nb, nb + 365 * DAY, 100};
    const char *why = NULL;
    assert_int_equal(autoenroll_decide(&t, &h, nb + DAY, &why), AE_ACT_REENROLL);
    /* the same major version: nothing */
    h.major = 101;
    assert_int_equal(autoenroll_decide(&t, &h, nb + DAY, &why), AE_ACT_NONE);
    /* schema 1 certificates carry no version: never re-enrolled that way */
    t.schema_version = 1;
    h.major = -1;
    assert_int_equal(autoenroll_decide(&t, &h, nb + DAY, &why), AE_ACT_NONE);
}

static void
test_decide_skip_auto_renewal(void **state)
{
    (void)state;
    struct template t = one_year_template();
    t.enrollment_flag |= CT_ENROLL_SKIP_AUTO_RENEWAL;
    time_t nb = 1000000000;
    struct ae_held h = {1, nb, nb + 365 * DAY, 100};
    const char *why = NULL;
    assert_int_equal(autoenroll_decide(&t, &h, nb + 330 * DAY, &why), AE_ACT_NONE);
    assert_non_null(strstr(why, "not to renew"));
}

static void
test_policy_bits(void **state)
{
    (void)state;
    struct gpo_settings s = {AE_ENABLED, 1, 1};
    assert_int_equal(gpo_policy_bits(&s), 0x7);
    s.renew = 0;
    assert_int_equal(gpo_policy_bits(&s), 0x1);
    s = (struct gpo_settings){AE_DISABLED, 1, 1};
    assert_int_equal(gpo_policy_bits(&s), 0x8000);
    s = (struct gpo_settings){AE_NOT_CONFIGURED, 1, 1};
    assert_int_equal(gpo_policy_bits(&s), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_renewal_start_80_percent),
        cmocka_unit_test(test_decide_enroll_when_nothing_held),
        cmocka_unit_test(test_decide_nothing_when_valid),
        cmocka_unit_test(test_decide_expired_enrolls_afresh),
        cmocka_unit_test(test_decide_reenroll_on_major_version),
        cmocka_unit_test(test_decide_skip_auto_renewal),
        cmocka_unit_test(test_policy_bits),
    };
    return cmocka_run_group_tests_name("autoenroll", tests, NULL, NULL);
}
