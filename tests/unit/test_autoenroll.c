/*
 * Unit tests for the autoenrollment pulse's decisions: the renewal window
 * (the later of notAfter minus the renewal period and 80% of the lifetime),
 * re-enrollment after Reenroll All Certificate Holders, expiry, and the
 * template that asks never to be renewed automatically; and the group
 * policy calls the console shares with the command line: create-and-link
 * in one transaction, a scope's links in link order, security filtering
 * replaced whole, and the one text of a setting.
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
#include "unit.h"

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

static void
test_settings_text(void **state)
{
    (void)state;
    char buf[GPO_SETTINGS_TEXT_MAX];
    struct gpo_settings s = {AE_ENABLED, 1, 1};
    assert_string_equal(gpo_settings_text(&s, buf, sizeof buf), "Enabled, renew, update");
    s.renew = 0;
    assert_string_equal(gpo_settings_text(&s, buf, sizeof buf), "Enabled, update");
    /* the boxes mean nothing unless the model is Enabled */
    s = (struct gpo_settings){AE_DISABLED, 1, 1};
    assert_string_equal(gpo_settings_text(&s, buf, sizeof buf), "Disabled");
    s = (struct gpo_settings){AE_NOT_CONFIGURED, 0, 1};
    assert_string_equal(gpo_settings_text(&s, buf, sizeof buf), "Not configured");
}

/* The names of a scope's linked GPOs, in link order, joined with commas. */
static char *
linked_names(struct store *st, const char *scope)
{
    struct gpo *v = NULL;
    size_t n = 0;
    char *cause = NULL;
    UNIT_OK(gpo_list_linked(st, scope, &v, &n, &cause), cause);
    struct strlist names = {0};
    for (size_t i = 0; i < n; i++)
        strlist_add(&names, v[i].name);
    gpo_list_free(v, n);
    char *joined = strlist_join(&names, ",");
    strlist_free(&names);
    return joined;
}

static void
test_create_linked(void **state)
{
    (void)state;
    struct unit_fx *fx = unit_fx_new("gpo-create-linked", 1);
    assert_non_null(fx);
    unit_act_as(fx->st, "Administrator");
    char *cause = NULL;
    struct gpo g = {0};
    /* a link that cannot be made leaves no GPO behind */
    assert_int_equal(gpo_create_linked(test_cx(fx->st), "Stray", "Nowhere", &cause), CC_ENOTFOUND);
    assert_non_null(strstr(cause, "'Nowhere' is neither the domain"));
    free(cause);
    cause = NULL;
    assert_int_equal(gpo_get(fx->st, "Stray", &g, NULL), CC_ENOTFOUND);
    /* nor does a name that is taken or blank-edged */
    UNIT_OK(gpo_create_linked(test_cx(fx->st), "Beta", "contoso.com", &cause), cause);
    assert_int_equal(gpo_create_linked(test_cx(fx->st), "BETA", "Servers", &cause), CC_EEXIST);
    free(cause);
    cause = NULL;
    assert_int_equal(gpo_create_linked(test_cx(fx->st), " Gamma", "Servers", &cause), CC_EINVAL);
    free(cause);
    cause = NULL;
    char *s = linked_names(fx->st, "Servers");
    assert_string_equal(s, "");
    free(s);
    /* links are listed in the order they were made, not by name */
    UNIT_OK(gpo_create_linked(test_cx(fx->st), "Alpha", "contoso.com", &cause), cause);
    UNIT_OK(gpo_create_linked(test_cx(fx->st), "Delta", "OU=Servers", &cause), cause);
    s = linked_names(fx->st, "contoso.com");
    assert_string_equal(s, "Beta,Alpha");
    free(s);
    s = linked_names(fx->st, "Servers");
    assert_string_equal(s, "Delta");
    free(s);
    UNIT_OK(gpo_get(fx->st, "Alpha", &g, &cause), cause);
    assert_int_equal(g.created, fx->now);
    assert_int_equal(g.modified, fx->now);
    gpo_free(&g);
    unit_fx_free(fx);
}

static void
test_filter_set(void **state)
{
    (void)state;
    struct unit_fx *fx = unit_fx_new("gpo-filter-set", 1);
    assert_non_null(fx);
    unit_act_as(fx->st, "Administrator");
    char *cause = NULL;
    UNIT_OK(gpo_create(test_cx(fx->st), "Filtered", &cause), cause);
    struct strlist want = {0};
    strlist_add(&want, "domain computers"); /* spelt otherwise than the directory */
    strlist_add(&want, "CLIENT1");
    test_clock_set(fx->now + 3600);
    UNIT_OK(gpo_filter_set(test_cx(fx->st), "Filtered", &want, &cause), cause);
    struct gpo g = {0};
    UNIT_OK(gpo_get(fx->st, "Filtered", &g, &cause), cause);
    char *joined = strlist_join(&g.filter, ",");
    assert_string_equal(joined, "CLIENT1,Domain Computers");
    free(joined);
    assert_int_equal(g.modified, fx->now + 3600);
    gpo_free(&g);
    /* one unknown name refuses the whole list and changes nothing */
    strlist_free(&want);
    strlist_add(&want, "Domain Computers");
    strlist_add(&want, "Nobody Here");
    assert_int_not_equal(gpo_filter_set(test_cx(fx->st), "Filtered", &want, &cause), CC_OK);
    assert_non_null(cause);
    free(cause);
    cause = NULL;
    UNIT_OK(gpo_get(fx->st, "Filtered", &g, &cause), cause);
    joined = strlist_join(&g.filter, ",");
    assert_string_equal(joined, "CLIENT1,Domain Computers");
    free(joined);
    gpo_free(&g);
    /* an empty list is back to Authenticated Users */
    strlist_free(&want);
    UNIT_OK(gpo_filter_set(test_cx(fx->st), "Filtered", &want, &cause), cause);
    UNIT_OK(gpo_get(fx->st, "Filtered", &g, &cause), cause);
    assert_int_equal(g.filter.n, 0);
    gpo_free(&g);
    test_clock_set(fx->now);
    unit_fx_free(fx);
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
        cmocka_unit_test(test_settings_text),
        cmocka_unit_test(test_create_linked),
        cmocka_unit_test(test_filter_set),
    };
    return cmocka_run_group_tests_name("autoenroll", tests, NULL, NULL);
}
