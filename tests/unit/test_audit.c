/*
 * Unit tests of ca/audit: a record carries the acting account (SYSTEM when
 * nobody is acting), the lab clock, kind, object, field and the old and new
 * values (NULLs kept as NULL); listing gives the newest first, honours the
 * limit and the object filter; records are written inside the caller's
 * transaction, so a rolled-back change leaves no record; the lab set-up
 * itself is in the log.
 */
#include "config.h"

#include "audit.h"
#include "unit.h"

static int
group_setup(void **state)
{
    return unit_group_setup_lab(state, "audit");
}

static int
test_setup(void **state)
{
    struct unit_fx *fx = *state;
    store_set_actor(fx->st, 0, NULL);
    cc_clock_set(fx->now);
    return 0;
}

static void
test_record_fields(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    UNIT_OK(audit_record(st, "template", "Fields", "validity", "2 years", "1 year", &cause), cause);
    unit_act_as(st, "Administrator");
    cc_clock_set(fx->now + 60);
    UNIT_OK(audit_record(st, "group", "Fields", "add member", NULL, "SERVER1", &cause), cause);

    struct audit_entry *log = NULL;
    size_t n = 0;
    UNIT_OK(audit_list(st, "Fields", 0, &log, &n, &cause), cause);
    assert_int_equal(n, 2);
    /* newest first */
    assert_true(log[0].id > log[1].id);
    assert_string_equal(log[0].actor, "CONTOSO\\Administrator");
    assert_string_equal(log[0].kind, "group");
    assert_string_equal(log[0].object, "Fields");
    assert_string_equal(log[0].field, "add member");
    assert_null(log[0].old_value);
    assert_string_equal(log[0].new_value, "SERVER1");
    assert_int_equal(log[0].at, fx->now + 60);
    assert_string_equal(log[1].actor, "SYSTEM"); /* nobody acting: the system */
    assert_string_equal(log[1].kind, "template");
    assert_string_equal(log[1].field, "validity");
    assert_string_equal(log[1].old_value, "2 years");
    assert_string_equal(log[1].new_value, "1 year");
    assert_int_equal(log[1].at, fx->now);
    audit_list_free(log, n);

    /* a NULL field stays NULL too */
    UNIT_OK(audit_record(st, "note", "Fields-null", NULL, NULL, NULL, &cause), cause);
    UNIT_OK(audit_list(st, "Fields-null", 0, &log, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_null(log[0].field);
    assert_null(log[0].old_value);
    assert_null(log[0].new_value);
    audit_list_free(log, n);
}

static void
test_order_and_limit(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    /* the same second for all: the order still follows insertion */
    for (int i = 0; i < 5; i++) {
        char v[8];
        snprintf(v, sizeof v, "%d", i);
        UNIT_OK(audit_record(st, "seq", "Ordered", "step", NULL, v, &cause), cause);
    }
    UNIT_OK(audit_record(st, "seq", "Other", "step", NULL, "x", &cause), cause);

    struct audit_entry *log = NULL;
    size_t n = 0;
    UNIT_OK(audit_list(st, "Ordered", 0, &log, &n, &cause), cause);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        char v[8];
        snprintf(v, sizeof v, "%zu", 4 - i);
        assert_string_equal(log[i].new_value, v);
        assert_string_equal(log[i].object, "Ordered");
    }
    audit_list_free(log, n);

    UNIT_OK(audit_list(st, "Ordered", 2, &log, &n, &cause), cause);
    assert_int_equal(n, 2);
    assert_string_equal(log[0].new_value, "4");
    assert_string_equal(log[1].new_value, "3");
    audit_list_free(log, n);

    /* any object: the newest overall comes first */
    UNIT_OK(audit_list(st, NULL, 3, &log, &n, &cause), cause);
    assert_int_equal(n, 3);
    assert_string_equal(log[0].object, "Other");
    assert_string_equal(log[1].new_value, "4");
    audit_list_free(log, n);
    UNIT_OK(audit_list(st, NULL, 0, &log, &n, &cause), cause);
    assert_int_equal((int64_t)n, unit_count(st, "SELECT count(*) FROM audit"));
    audit_list_free(log, n);

    /* a limit above the count gives them all; no match gives none */
    UNIT_OK(audit_list(st, "Ordered", 100, &log, &n, &cause), cause);
    assert_int_equal(n, 5);
    audit_list_free(log, n);
    UNIT_OK(audit_list(st, "No Such Object", 0, &log, &n, &cause), cause);
    assert_int_equal(n, 0);
    audit_list_free(log, n);
}

static void
test_inside_transaction(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    int64_t before = unit_count(st, "SELECT count(*) FROM audit");
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(audit_record(st, "tx", "Rolled", "f", NULL, "v", &cause), cause);
    store_rollback(st);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit"), before);

    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(audit_record(st, "tx", "Kept", "f", NULL, "v", &cause), cause);
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(audit_record(st, "tx", "Inner", "f", NULL, "v", &cause), cause);
    store_rollback(st);
    UNIT_OK(store_commit(st, &cause), cause);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit"), before + 1);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE object = 'Kept'"), 1);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE object = 'Inner'"), 0);
}

static void
test_lab_setup_logged(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct audit_entry *log = NULL;
    size_t n = 0;
    UNIT_OK(audit_list(st, "contoso", 0, &log, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_string_equal(log[0].kind, "lab");
    assert_string_equal(log[0].field, "create");
    assert_string_equal(log[0].actor, "SYSTEM");
    assert_non_null(strstr(log[0].new_value, "contoso.conf"));
    audit_list_free(log, n);
    UNIT_OK(audit_list(st, "SERVER1", 0, &log, &n, &cause), cause);
    assert_true(n >= 1);
    assert_string_equal(log[n - 1].kind, "computer");
    assert_string_equal(log[n - 1].field, "create");
    assert_string_equal(log[n - 1].new_value, "server1.internal.contoso.com");
    audit_list_free(log, n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_record_fields, test_setup),
        cmocka_unit_test_setup(test_order_and_limit, test_setup),
        cmocka_unit_test_setup(test_inside_transaction, test_setup),
        cmocka_unit_test_setup(test_lab_setup_logged, test_setup),
    };
    return cmocka_run_group_tests_name("audit", tests, group_setup, unit_group_teardown);
}
