/*
 * Unit tests of ca/oids: oid_is_valid follows RFC 5280 (at least two arcs,
 * first arc 0..2, second arc at most 39 under 0 and 1, no leading zeros,
 * no empty or trailing arcs, 32-bit arcs); oid_resolve finds well-known
 * policies by display name (case-insensitive, per kind), the forest's own
 * policies by stored name, and passes a valid OID through, with a "Did you
 * mean" hint otherwise; oid_add refuses taken names and OIDs (stored or
 * well-known), invalid OIDs and names, and non-administrators, changing
 * nothing; oid_new_under_forest gives unique forest.<a>.<b> OIDs (§5.3).
 */
#include "config.h"

#include "oids.h"
#include "template.h"
#include "unit.h"

#define FOREST "1.3.6.1.4.1.311.21.8.11034890.834619.12601478.16236816.7255827.176"

static int
group_setup(void **state)
{
    return unit_group_setup_lab(state, "oids");
}

static int
test_setup(void **state)
{
    struct unit_fx *fx = *state;
    test_act_id(fx->st, 0, NULL);
    return 0;
}

static void
test_is_valid(void **state)
{
    (void)state;
    static const char *const good[] = {
        "1.2",
        "0.0",
        "0.39",
        "1.39",
        "2.40",
        "2.999.1",
        "1.3.6.1.5.5.7.3.1",
        "2.5.29.37.0",
        "2.16.840.1.113741.1.2.3",
        FOREST,
        "1.2.4294967295",
        "2.4294967295",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!oid_is_valid(good[i]))
            fail_msg("'%s' should be valid", good[i]);
    static const char *const bad[] = {
        "",
        "1",
        "2",
        "01.2",
        "1.02",
        "1.2.03",
        "1.3.6.1.00",
        "3.1",
        "9.1.2",
        "1.40",
        "0.40",
        "1.99.1",
        "1.2.",
        "1.2..3",
        ".1.2",
        "1..2",
        "..",
        ".",
        "1.a",
        "a.1",
        "1.2 ",
        " 1.2",
        "-1.2",
        "1.-2",
        "+1.2",
        "1.+2",
        "1,2",
        "1.2.3x",
        "1.4294967296",
        "1.2.99999999999999999999",
        "Server Authentication",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (oid_is_valid(bad[i]))
            fail_msg("'%s' should be invalid", bad[i]);
    assert_false(oid_is_valid(NULL));
    /* overlong */
    char longoid[260];
    strcpy(longoid, "1.2");
    while (strlen(longoid) < 250)
        strcat(longoid, ".1");
    assert_false(oid_is_valid(longoid));
}

static void
expect_resolves(struct store *st, const char *name, enum oid_kind kind, const char *want)
{
    char *oid = NULL, *cause = NULL;
    int rc = oid_resolve(st, name, kind, &oid, &cause);
    if (rc != CC_OK)
        fail_msg("'%s': %s: %s", name, cc_status_name(rc), cause ? cause : "");
    if (strcmp(oid, want) != 0)
        fail_msg("'%s' resolved to %s, want %s", name, oid, want);
    free(oid);
}

static void
test_resolve_well_known(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    expect_resolves(st, "Server Authentication", OID_KIND_APPLICATION, "1.3.6.1.5.5.7.3.1");
    expect_resolves(st, "server authentication", OID_KIND_APPLICATION, "1.3.6.1.5.5.7.3.1");
    expect_resolves(st, "CLIENT AUTHENTICATION", OID_KIND_APPLICATION, "1.3.6.1.5.5.7.3.2");
    expect_resolves(st, "Smart Card Logon", OID_KIND_APPLICATION, "1.3.6.1.4.1.311.20.2.2");
    expect_resolves(st, "Certificate Request Agent", OID_KIND_APPLICATION,
                    "1.3.6.1.4.1.311.20.2.1");
    expect_resolves(st, "Any Purpose", OID_KIND_APPLICATION, "2.5.29.37.0");
    expect_resolves(st, "All issuance policies", OID_KIND_ISSUANCE, "2.5.29.32.0");
    /* any kind (0) finds both */
    expect_resolves(st, "All issuance policies", 0, "2.5.29.32.0");
    expect_resolves(st, "Code Signing", 0, "1.3.6.1.5.5.7.3.3");
    /* a valid OID passes through as it is, named or not */
    expect_resolves(st, "1.3.6.1.5.5.7.3.1", OID_KIND_APPLICATION, "1.3.6.1.5.5.7.3.1");
    expect_resolves(st, "2.16.840.1.113741.1.2.3", OID_KIND_APPLICATION, "2.16.840.1.113741.1.2.3");

    /* a name of the other kind is not found */
    char *oid = NULL, *cause = NULL;
    UNIT_FAILS(oid_resolve(st, "All issuance policies", OID_KIND_APPLICATION, &oid, &cause),
               CC_ENOTFOUND, cause, "application");
    UNIT_FAILS(oid_resolve(st, "Server Authentication", OID_KIND_ISSUANCE, &oid, &cause),
               CC_ENOTFOUND, cause, "issuance");
    assert_null(oid);
}

static void
test_resolve_unknown(void **state)
{
    struct unit_fx *fx = *state;
    char *oid = NULL, *cause = NULL;
    UNIT_FAILS(oid_resolve(fx->st, "Server Authentcation", OID_KIND_APPLICATION, &oid, &cause),
               CC_ENOTFOUND, cause, "'Server Authentcation'",
               "Did you mean: Server Authentication");
    UNIT_FAILS(oid_resolve(fx->st, "qqqqqqqqqqqqqqqqqqqq", OID_KIND_APPLICATION, &oid, &cause),
               CC_ENOTFOUND, cause, "certcon oid add");
    /* an invalid OID is a name, and no such name exists */
    UNIT_FAILS(oid_resolve(fx->st, "1.02.3", OID_KIND_APPLICATION, &oid, &cause), CC_ENOTFOUND,
               cause, "1.02.3");
    assert_null(oid);
}

/* The Add Application Policy list: well-known and forest policies, by name. */
static void
test_list(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    UNIT_OK(oid_add(test_cx(st), "AMT Provisioning", "2.16.840.1.113741.1.2.3",
                    OID_KIND_APPLICATION, &cause),
            cause);
    UNIT_OK(oid_add(test_cx(st), "Lab Assurance", "1.2.3.4.5", OID_KIND_ISSUANCE, &cause), cause);
    struct strlist names = {0}, oids = {0};
    UNIT_OK(oid_list(st, OID_KIND_APPLICATION, &names, &oids, &cause), cause);
    assert_int_equal(names.n, oids.n);
    long sa = strlist_find(&names, "Server Authentication", 0);
    long amt = strlist_find(&names, "AMT Provisioning", 0);
    assert_true(sa >= 0 && amt >= 0);
    assert_string_equal(oids.v[sa], "1.3.6.1.5.5.7.3.1");
    assert_string_equal(oids.v[amt], "2.16.840.1.113741.1.2.3");
    assert_int_equal(strlist_find(&names, "Lab Assurance", 0), -1);
    for (size_t i = 1; i < names.n; i++)
        assert_true(strcasecmp(names.v[i - 1], names.v[i]) <= 0);
    UNIT_OK(oid_list(st, OID_KIND_ISSUANCE, &names, &oids, &cause), cause);
    assert_true(strlist_find(&names, "Lab Assurance", 0) >= 0);
    assert_int_equal(strlist_find(&names, "AMT Provisioning", 0), -1);
    strlist_free(&names);
    strlist_free(&oids);
}

static void
test_add_and_resolve_stored(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_act_as(st, "Administrator");
    int64_t audits = unit_count(st, "SELECT count(*) FROM audit WHERE kind = 'oid'");
    UNIT_OK(
        oid_add(test_cx(st), "Contoso Device Policy", FOREST ".402.17", OID_KIND_ISSUANCE, &cause),
        cause);
    UNIT_OK(oid_add(test_cx(st), "Contoso Kiosk Logon", "1.3.6.1.4.1.99999.7", OID_KIND_APPLICATION,
                    &cause),
            cause);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE kind = 'oid'"), audits + 2);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE kind = 'oid' AND "
                                    "object = '1.3.6.1.4.1.99999.7' AND "
                                    "new_value = 'Contoso Kiosk Logon' AND "
                                    "actor = 'CONTOSO\\Administrator'"),
                     1);

    expect_resolves(st, "Contoso Device Policy", OID_KIND_ISSUANCE, FOREST ".402.17");
    expect_resolves(st, "contoso device policy", 0, FOREST ".402.17");
    expect_resolves(st, "Contoso Kiosk Logon", OID_KIND_APPLICATION, "1.3.6.1.4.1.99999.7");
    char *oid = NULL;
    UNIT_FAILS(oid_resolve(st, "Contoso Device Policy", OID_KIND_APPLICATION, &oid, &cause),
               CC_ENOTFOUND, cause, "");
    /* stored names take part in the hints */
    UNIT_FAILS(oid_resolve(st, "Contoso Kiosk Logn", OID_KIND_APPLICATION, &oid, &cause),
               CC_ENOTFOUND, cause, "Contoso Kiosk Logon");

    char *name = oid_display_name(st, "1.3.6.1.4.1.99999.7");
    assert_string_equal(name, "Contoso Kiosk Logon");
    free(name);
    name = oid_display_name(st, "1.3.6.1.5.5.7.3.1");
    assert_string_equal(name, "Server Authentication");
    free(name);
    name = oid_display_name(st, "1.2.3.4.5");
    assert_string_equal(name, "1.2.3.4.5"); /* unnamed: the OID itself */
    free(name);
    name = oid_display_name(NULL, "1.3.6.1.5.5.7.3.2"); /* well-known names need no store */
    assert_string_equal(name, "Client Authentication");
    free(name);
}

static void
test_add_refused(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    UNIT_OK(
        oid_add(test_cx(st), "Contoso Badge Policy", FOREST ".403.1", OID_KIND_ISSUANCE, &cause),
        cause);
    unit_add_user(st, "oiduser");
    int64_t rows = unit_count(st, "SELECT count(*) FROM oid");
    int64_t audits = unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'");

    /* taken: stored name (any case), stored OID, well-known name, well-known OID */
    UNIT_FAILS(
        oid_add(test_cx(st), "Contoso Badge Policy", FOREST ".403.2", OID_KIND_ISSUANCE, &cause),
        CC_EEXIST, cause, "Contoso Badge Policy");
    UNIT_FAILS(
        oid_add(test_cx(st), "CONTOSO BADGE POLICY", FOREST ".403.3", OID_KIND_APPLICATION, &cause),
        CC_EEXIST, cause, "");
    UNIT_FAILS(oid_add(test_cx(st), "Another Name", FOREST ".403.1", OID_KIND_ISSUANCE, &cause),
               CC_EEXIST, cause, FOREST ".403.1");
    UNIT_FAILS(oid_add(test_cx(st), "Server Authentication", "1.3.6.1.4.1.99999.8",
                       OID_KIND_APPLICATION, &cause),
               CC_EEXIST, cause, "1.3.6.1.5.5.7.3.1");
    UNIT_FAILS(oid_add(test_cx(st), "server authentication", "1.3.6.1.4.1.99999.8",
                       OID_KIND_APPLICATION, &cause),
               CC_EEXIST, cause, "");
    UNIT_FAILS(
        oid_add(test_cx(st), "My Server Auth", "1.3.6.1.5.5.7.3.1", OID_KIND_APPLICATION, &cause),
        CC_EEXIST, cause, "Server Authentication");
    UNIT_FAILS(oid_add(test_cx(st), "My Issuance", "2.5.29.32.0", OID_KIND_ISSUANCE, &cause),
               CC_EEXIST, cause, "All issuance policies");

    /* invalid OIDs and names */
    static const char *const bad_oids[] = {"1.02.3", "3.1", "1.40", "1.2.", "", "abc", "1"};
    for (size_t i = 0; i < sizeof bad_oids / sizeof bad_oids[0]; i++)
        UNIT_FAILS(oid_add(test_cx(st), "Fresh Name", bad_oids[i], OID_KIND_ISSUANCE, &cause),
                   CC_EINVAL, cause, "object identifier");
    UNIT_FAILS(oid_add(test_cx(st), "", "1.3.6.1.4.1.99999.9", OID_KIND_ISSUANCE, &cause),
               CC_EINVAL, cause, "1 to 64");
    UNIT_FAILS(oid_add(test_cx(st), "tab\there", "1.3.6.1.4.1.99999.9", OID_KIND_ISSUANCE, &cause),
               CC_EINVAL, cause, "control");
    char long_name[70];
    memset(long_name, 'n', 65);
    long_name[65] = '\0';
    UNIT_FAILS(oid_add(test_cx(st), long_name, "1.3.6.1.4.1.99999.9", OID_KIND_ISSUANCE, &cause),
               CC_EINVAL, cause, "1 to 64");

    /* a non-administrator may not add */
    unit_act_as(st, "oiduser");
    UNIT_FAILS(
        oid_add(test_cx(st), "Oiduser Policy", "1.3.6.1.4.1.99999.10", OID_KIND_ISSUANCE, &cause),
        CC_EACCES, cause, "oiduser");
    test_act_id(st, 0, NULL);

    assert_int_equal(unit_count(st, "SELECT count(*) FROM oid"), rows);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'"), audits);
    char *oid = NULL;
    UNIT_FAILS(oid_resolve(st, "Oiduser Policy", 0, &oid, &cause), CC_ENOTFOUND, cause, "");
    UNIT_FAILS(oid_resolve(st, "Fresh Name", 0, &oid, &cause), CC_ENOTFOUND, cause, "");
}

/* A policy OID the forest already uses for a template is taken too. */
static void
test_add_template_oid_taken(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    int rc =
        oid_add(test_cx(st), "Looks Like Web Server", FOREST ".1.16", OID_KIND_ISSUANCE, &cause);
    free(cause);
    assert_int_equal(rc, CC_EEXIST);
}

static void
test_new_under_forest(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct strlist seen = {0};
    for (int i = 0; i < 64; i++) {
        char *oid = NULL;
        UNIT_OK(oid_new_under_forest(st, &oid, &cause), cause);
        assert_true(oid_is_valid(oid));
        assert_int_equal(strncmp(oid, FOREST ".", strlen(FOREST) + 1), 0);
        /* exactly two more arcs, each 1..2^24-1 */
        const char *rest = oid + strlen(FOREST) + 1;
        char *end = NULL;
        unsigned long a = strtoul(rest, &end, 10);
        assert_int_equal(*end, '.');
        unsigned long b = strtoul(end + 1, &end, 10);
        assert_int_equal(*end, '\0');
        assert_true(a >= 1 && a < (1ul << 24));
        assert_true(b >= 1 && b < (1ul << 24));
        /* unused: by no template and no stored policy, and new each time */
        char *sql = cc_asprintf("SELECT (SELECT count(*) FROM template WHERE oid = '%s') + "
                                "(SELECT count(*) FROM oid WHERE oid = '%s')",
                                oid, oid);
        assert_int_equal(unit_count(st, sql), 0);
        free(sql);
        assert_int_equal(strlist_find(&seen, oid, 0), -1);
        assert_int_equal(strlist_add(&seen, oid), CC_OK);
        free(oid);
    }
    strlist_free(&seen);

    /* without a forest there is nothing to hang OIDs from */
    char *path = cc_asprintf("%s/no-forest.db", fx->dir);
    struct store *bare = NULL;
    UNIT_OK(store_open(path, STORE_CREATE, &bare, &cause), cause);
    char *oid = NULL;
    UNIT_FAILS(oid_new_under_forest(bare, &oid, &cause), CC_ENOTFOUND, cause, "forest");
    assert_null(oid);
    store_close(bare);
    free(path);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_is_valid, test_setup),
        cmocka_unit_test_setup(test_resolve_well_known, test_setup),
        cmocka_unit_test_setup(test_resolve_unknown, test_setup),
        cmocka_unit_test_setup(test_add_and_resolve_stored, test_setup),
        cmocka_unit_test_setup(test_add_refused, test_setup),
        cmocka_unit_test_setup(test_add_template_oid_taken, test_setup),
        cmocka_unit_test_setup(test_new_under_forest, test_setup),
        /* last: it adds policies the tests above do not expect */
        cmocka_unit_test_setup(test_list, test_setup),
    };
    return cmocka_run_group_tests_name("oids", tests, group_setup, unit_group_teardown);
}
