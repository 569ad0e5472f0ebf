/*
 * Unit tests of ca/clock: cc_time_parse accepts the two ISO 8601 forms the
 * command line documents (a date at midnight UTC and a UTC date-time with Z)
 * and refuses impossible dates, other layouts and junk with a cause naming
 * the input; formatting round-trips; a context's "now" follows its own pinned
 * clock or the system's, and no context shares another's; audit stamps
 * written through the group's scratch database carry the pinned time.
 */
#include "config.h"

#include <time.h>

#include "audit.h"
#include "unit.h"

static int
group_setup(void **state)
{
    return unit_group_setup_lab(state, "clock");
}

static int
test_setup(void **state)
{
    struct unit_fx *fx = *state;
    test_clock_set(fx->now);
    return 0;
}

static void
test_parse_date(void **state)
{
    (void)state;
    time_t t = 0;
    char *cause = NULL;
    UNIT_OK(cc_time_parse("2027-10-26", &t, &cause), cause);
    assert_int_equal(t, 1824508800);                         /* midnight UTC */
    UNIT_OK(cc_time_parse("2028-02-29", &t, &cause), cause); /* leap year */
    assert_int_equal(t, 1835395200);
    UNIT_OK(cc_time_parse("2000-02-29", &t, &cause), cause); /* divisible by 400 */
    assert_int_equal(t, 951782400);
    UNIT_OK(cc_time_parse("9999-12-31", &t, &cause), cause);
    assert_int_equal(t, 253402300799 - 86399);
}

static void
test_parse_datetime(void **state)
{
    (void)state;
    time_t t = 0;
    char *cause = NULL;
    UNIT_OK(cc_time_parse("2027-10-26T09:00:00Z", &t, &cause), cause);
    assert_int_equal(t, 1824541200);
    UNIT_OK(cc_time_parse("2027-10-26T23:59:59Z", &t, &cause), cause);
    assert_int_equal(t, 1824508800 + 86399);
    UNIT_OK(cc_time_parse("2027-10-26T00:00:00Z", &t, &cause), cause);
    assert_int_equal(t, 1824508800);
}

static void
test_parse_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2027-02-30",           /* no such day */
        "2027-02-29",           /* not a leap year */
        "2100-02-29",           /* century, not divisible by 400 */
        "2027-04-31",           /* April has 30 days */
        "2027-13-01",           /* no such month */
        "2027-00-10",           /* month zero */
        "2027-10-00",           /* day zero */
        "2027-10-32",           /* day 32 */
        "junk",                 /* not a date */
        "",                     /* empty */
        "2027/10/26",           /* other separators */
        "26-10-2027",           /* other order */
        "2027-10-26T24:00:00Z", /* hour 24 */
        "2027-10-26T09:60:00Z", /* minute 60 */
        "2027-10-26T09:00:60Z", /* second 60 */
        "2027-10-26T09:00:00",  /* no zone */
        "2027-10-26 09:00:00Z", /* blank instead of T */
        "2027-10-26T09:00Z",    /* no seconds */
        "2027-10-26T09:00:00+01:00",
        "2027-10-26Z",
        "2027-10-266",
        "1969-12-31", /* before the epoch */
        "2027-10-2a",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        time_t t = 12345;
        char *cause = NULL;
        int rc = cc_time_parse(bad[i], &t, &cause);
        if (rc != CC_EINVAL)
            fail_msg("'%s' was accepted (status %s)", bad[i], cc_status_name(rc));
        assert_int_equal(t, 12345); /* untouched */
        assert_non_null(cause);
        /* the cause names the input and shows both accepted forms */
        char *quoted = cc_asprintf("'%s'", bad[i]);
        assert_non_null(strstr(cause, quoted));
        assert_non_null(strstr(cause, "2027-10-26T09:00:00Z"));
        free(quoted);
        free(cause);
    }
    /* no cause wanted */
    time_t t;
    assert_int_equal(cc_time_parse("2027-13-01", &t, NULL), CC_EINVAL);
}

/*
 * sscanf's %2d skips blanks and takes a sign, so a field of a blank and a
 * digit or of a sign and a digit passes as a number.
 */
static void
test_parse_strict_digits(void **state)
{
    (void)state;
    static const char *const loose[] = {
        "2027-10- 6", "2027- 1-26",           "2027-+1-26",
        "2027-10-+6", "2027-10-26T 9:00:00Z", "2027-10-26T+9:00:00Z",
    };
    size_t accepted = 0;
    const char *first = NULL;
    for (size_t i = 0; i < sizeof loose / sizeof loose[0]; i++) {
        time_t t = 0;
        if (cc_time_parse(loose[i], &t, NULL) != CC_EINVAL) {
            accepted++;
            if (first == NULL)
                first = loose[i];
        }
    }
    if (accepted > 0)
        print_message("# cc_time_parse accepted %zu malformed dates, e.g. '%s'\n", accepted, first);
    assert_int_equal(accepted, 0);
}

static void
test_format_roundtrip(void **state)
{
    (void)state;
    char buf[32], day[16];
    assert_string_equal(cc_time_format(1824541200, buf, sizeof buf), "2027-10-26T09:00:00Z");
    assert_ptr_equal(cc_time_format(1824541200, buf, sizeof buf), buf);
    assert_string_equal(cc_date_format(1824541200, day, sizeof day), "2027-10-26");
    assert_string_equal(cc_time_format(0, buf, sizeof buf), "1970-01-01T00:00:00Z");

    /* parse(format(t)) == t across a few years, at odd seconds */
    for (time_t t = 1700000000; t < 1900000000; t += 9876543) {
        time_t back = 0;
        cc_time_format(t, buf, sizeof buf);
        assert_int_equal(strlen(buf), 20);
        assert_int_equal(cc_time_parse(buf, &back, NULL), CC_OK);
        assert_int_equal(back, t);
        cc_date_format(t, day, sizeof day);
        assert_int_equal(cc_time_parse(day, &back, NULL), CC_OK);
        assert_int_equal(back, t - t % 86400);
    }
}

static void
test_now_follows_clock(void **state)
{
    struct unit_fx *fx = *state;
    struct cc_ctx cx;
    assert_int_equal(ctx_init_system(&cx, fx->st, cc_clock_pinned(fx->now)), CC_OK);
    assert_true(cx.clock.pinned);
    assert_int_equal(ctx_now(&cx), fx->now);
    assert_int_equal(ctx_now(&cx), 1824541200);

    cx.clock = cc_clock_pinned(1824541200 + 3600);
    assert_int_equal(ctx_now(&cx), 1824541200 + 3600);
    assert_int_equal(ctx_now(&cx), 1824541200 + 3600); /* it does not run on */

    /* the epoch is a time like any other, not "unset" */
    cx.clock = cc_clock_pinned(0);
    assert_true(cx.clock.pinned);
    assert_int_equal(ctx_now(&cx), 0);

    /* a context on the system clock */
    cx.clock = cc_clock_system();
    assert_false(cx.clock.pinned);
    time_t before = time(NULL);
    time_t now = ctx_now(&cx);
    time_t after = time(NULL);
    assert_true(now >= before && now <= after);

    /* each context has its own clock: another principal's inherits it, nothing is shared */
    struct cc_ctx other;
    cx.clock = cc_clock_pinned(fx->now);
    assert_int_equal(ctx_init_as(&other, &cx, 1, "CONTOSO\\x"), CC_OK);
    assert_int_equal(ctx_now(&other), fx->now);
    other.clock = cc_clock_pinned(fx->now + 60);
    assert_int_equal(ctx_now(&cx), fx->now);
    assert_int_equal(ctx_now(&other), fx->now + 60);
    assert_string_equal(other.who_name, "CONTOSO\\x");
    assert_false(ctx_is_system(&other));
    assert_true(ctx_is_system(&cx));
    /* no context names account 0: that is the system's alone */
    assert_int_equal(ctx_set_caller(&other, 0, "nobody"), CC_EINVAL);
    ctx_free(&other);
    ctx_free(&cx);
}

static void
test_audit_uses_clock(void **state)
{
    struct unit_fx *fx = *state;
    char *cause = NULL;
    test_clock_set(1824541200 + 42);
    UNIT_OK(audit_record(test_cx(fx->st), "test", "clock-object", "field", NULL, "v", &cause),
            cause);
    struct audit_entry *list = NULL;
    size_t n = 0;
    UNIT_OK(audit_list(fx->st, "clock-object", 1, &list, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].at, 1824541200 + 42);
    audit_list_free(list, n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_parse_date, test_setup),
        cmocka_unit_test_setup(test_parse_datetime, test_setup),
        cmocka_unit_test_setup(test_parse_refused, test_setup),
        cmocka_unit_test_setup(test_parse_strict_digits, test_setup),
        cmocka_unit_test_setup(test_format_roundtrip, test_setup),
        cmocka_unit_test_setup(test_now_follows_clock, test_setup),
        cmocka_unit_test_setup(test_audit_uses_clock, test_setup),
    };
    return cmocka_run_group_tests_name("clock", tests, group_setup, unit_group_teardown);
}
