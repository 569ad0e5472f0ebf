/*
 * Unit tests of the network-enrollment family of operations (ca/ops_net.c)
 * through ops_call: External Account Binding keys are for CA
 * Administrators, and a key ID or HMAC key never starts with '-', which a
 * client's command line (certbot --eab-kid KID --eab-hmac-key KEY) would
 * take for an option.
 */
#include "config.h"

#include "ops.h"
#include "unit.h"

static int
group_setup(void **state)
{
    return unit_group_setup_ca(state, "ops_net", "plain");
}

/* A plain user is refused an EAB key, and none is made. */
static void
test_eab_refused(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_act_as(st, "plain");
    int64_t keys = unit_count(st, "SELECT count(*) FROM acme_eab");
    struct ops_acme_eab a = {.principal = "SERVER1"};
    struct acme_eab_key k = {0};
    UNIT_FAILS(ops_call(test_cx(st), OP_ACME_EAB_ISSUE, &a, &k, &cause), CC_EACCES, cause,
               "Manage CA");
    assert_int_equal(unit_count(st, "SELECT count(*) FROM acme_eab"), keys);
}

/*
 * 256 keys: base64url puts '-' first in one value of 64, so with the old
 * encoding 512 values hold one that starts with '-' all but once in 3 000
 * runs. Each key ID is new.
 */
static void
test_eab_values_are_not_options(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_act_as(st, "Administrator");
    int64_t before = unit_count(st, "SELECT count(*) FROM acme_eab");
    for (int i = 0; i < 256; i++) {
        struct ops_acme_eab a = {.principal = "SERVER1"};
        struct acme_eab_key k = {0};
        UNIT_OK(ops_call(test_cx(st), OP_ACME_EAB_ISSUE, &a, &k, &cause), cause);
        assert_true(k.kid[0] != '\0' && k.kid[0] != '-');
        assert_true(k.hmac[0] != '\0' && k.hmac[0] != '-');
        acme_eab_key_free(&k);
    }
    assert_int_equal(unit_count(st, "SELECT count(DISTINCT kid) FROM acme_eab"), before + 256);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eab_refused),
        cmocka_unit_test(test_eab_values_are_not_options),
    };
    return cmocka_run_group_tests_name("ops_net", tests, group_setup, unit_group_teardown);
}
