/*
 * Unit tests of the enrollment family of operations (ca/ops_enroll.c)
 * through ops_call, against the contoso lab and its CA: the family's part
 * of the table is whole, and enroll.explain, which `certcon explain` and
 * the console's "Why Can't ... Enroll?" both run, needs no right, explains
 * for the caller or the account named, refuses a group and an unknown
 * account with what went wrong, and records nothing.
 */
#include "config.h"

#include "ops.h"
#include "unit.h"

static int
group_setup(void **state)
{
    return unit_group_setup_ca(state, "ops_enroll", "plain");
}

static int
test_setup(void **state)
{
    struct unit_fx *fx = *state;
    unit_act_as(fx->st, "plain");
    return 0;
}

/* The family's part of the table: ids from its base, names unique, each runnable. */
static void
test_table(void **state)
{
    (void)state;
    const struct ops_def *d;
    size_t mine = 0;
    for (size_t i = 0; (d = ops_at(i)) != NULL; i++) {
        if (d->id < OPS_ENROLL_BASE || d->id >= OPS_CA_BASE)
            continue;
        assert_int_equal(d->id, OPS_ENROLL_BASE + (int)mine);
        assert_ptr_equal(ops_find(d->name), d);
        assert_non_null(d->run);
        mine++;
    }
    assert_int_equal(mine, OP_ENROLL_EXPLAIN - OPS_ENROLL_BASE + 1);
    assert_int_equal(ops_get(OP_ENROLL_EXPLAIN)->ca_right, 0);
    assert_int_equal(ops_get(OP_ENROLL_EXPLAIN)->changes, 0);
}

/* What a report holds: one result, name and detail per check, and a verdict. */
static void
report_whole(const struct explain_report *r)
{
    assert_true(r->check.n > 0);
    assert_int_equal(r->result.n, r->check.n);
    assert_int_equal(r->detail.n, r->check.n);
    assert_non_null(r->verdict);
}

static void
test_explain(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    int64_t records = unit_count(st, "SELECT count(*) FROM audit");
    char *db = unit_db_digest(st);

    /* a plain user asks about another account: no right is needed to ask */
    struct ops_enroll_explain a = {.who = {.principal = "SERVER1"}, .template = "Computer"};
    struct explain_report r;
    UNIT_OK(ops_call(test_cx(st), OP_ENROLL_EXPLAIN, &a, &r, &cause), cause);
    report_whole(&r);
    assert_true(r.can);
    assert_non_null(strstr(r.verdict, "CONTOSO\\SERVER1$ can enroll for Computer"));
    assert_true(r.access.n > 0); /* the lines behind the permission check */
    explain_report_free(&r);

    /* no principal: the caller; a template for computers is refused in the verdict */
    struct ops_enroll_explain mine = {.template = "Computer"};
    UNIT_OK(ops_call(test_cx(st), OP_ENROLL_EXPLAIN, &mine, &r, &cause), cause);
    report_whole(&r);
    assert_false(r.can);
    assert_non_null(strstr(r.verdict, "CONTOSO\\plain cannot enroll"));
    explain_report_free(&r);

    struct ops_enroll_explain group = {.who = {.principal = "Domain Admins"}, .template = "User"};
    UNIT_FAILS(ops_call(test_cx(st), OP_ENROLL_EXPLAIN, &group, &r, &cause), CC_EINVAL, cause,
               "Domain Admins is a group");
    struct ops_enroll_explain nobody = {.who = {.principal = "nobody"}, .template = "User"};
    UNIT_FAILS(ops_call(test_cx(st), OP_ENROLL_EXPLAIN, &nobody, &r, &cause), CC_ENOTFOUND, cause,
               "nobody");

    /* asking changes nothing */
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit"), records);
    UNIT_DB_UNCHANGED(st, db);
}

/* What each call of autoenroll.pulse's callback saw. */
struct told {
    size_t n;
    const struct ops_pulse_item *seen[64];
};

static void
tell(void *arg, const struct ops_pulse_item *it)
{
    struct told *t = arg;
    if (t->n < sizeof t->seen / sizeof t->seen[0])
        t->seen[t->n] = it;
    t->n++;
}

/*
 * autoenroll.pulse for every principal tells each pulse as it has run (a
 * front end prints it at once): one call per item, in the result's order,
 * each with the item the result keeps.
 */
static void
test_pulse_all_tells_each(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_act_as(st, "Administrator");
    struct told t = {0};
    struct ops_pulse a = {.all = 1, .each = tell, .arg = &t};
    struct ops_pulse_result r = {0};
    UNIT_OK(ops_call(test_cx(st), OP_AUTOENROLL_PULSE, &a, &r, &cause), cause);
    assert_true(r.n > 2); /* the lab's computers and users */
    assert_int_equal(t.n, r.n);
    for (size_t i = 0; i < r.n && i < sizeof t.seen / sizeof t.seen[0]; i++)
        assert_ptr_equal(t.seen[i], &r.v[i]);
    ops_pulse_result_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test_setup(test_explain, test_setup),
        cmocka_unit_test(test_pulse_all_tells_each),
    };
    return cmocka_run_group_tests_name("ops_enroll", tests, group_setup, unit_group_teardown);
}
