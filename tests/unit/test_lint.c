/*
 * Unit tests of ca/lint: a duplicate of Web Server whose subject is supplied
 * in the request, with Client Authentication and Enroll for Domain Users,
 * gets the high "supplied-subject-client-auth" finding naming the group,
 * and each of the things that defuse it (approval, subject built from AD,
 * Enroll only for administrators, a Deny) makes it go; the other rules
 * (any purpose, broad Write, exportable keys, small keys, long validity)
 * fire on their own conditions; no built-in template has a high finding.
 */
#include "config.h"

#include "lint.h"
#include "template.h"
#include "unit.h"

static int
group_setup(void **state)
{
    return unit_group_setup_lab(state, "lint");
}

static int
test_setup(void **state)
{
    struct unit_fx *fx = *state;
    unit_act_as(fx->st, "Administrator");
    return 0;
}

/* The finding with that code, or NULL. */
static const struct lint_finding *
find(const struct lint_finding *v, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].code, code) == 0)
            return &v[i];
    return NULL;
}

/* Whether linting t gives the finding code (and, when not NULL, its message holds who). */
static int
has_finding(struct store *st, const struct template *t, const char *code, const char *who)
{
    struct lint_finding *v = NULL;
    size_t n = 0;
    char *cause = NULL;
    UNIT_OK(template_lint(st, t, &v, &n, &cause), cause);
    const struct lint_finding *f = find(v, n, code);
    int found = f != NULL;
    if (f != NULL && who != NULL && strstr(f->message, who) == NULL)
        fail_msg("%s: message '%s' does not name %s", code, f->message, who);
    lint_findings_free(v, n);
    return found;
}

/* The risky template: subject supplied, client auth, Domain Users may enroll. */
static void
make_risky(struct store *st, const char *name, struct template *t)
{
    char *cause = NULL;
    UNIT_OK(template_duplicate(st, "Web Server", name, COMPAT_2003, t, &cause), cause);
    UNIT_OK(template_set(st, t, "subject", "supply", &cause), cause);
    UNIT_OK(template_set(st, t, "app-policies", "Client Authentication", &cause), cause);
    assert_int_equal(acl_grant(&t->acl, unit_principal_id(st, "Domain Users"), "Domain Users",
                               ACL_READ | ACL_ENROLL, 0),
                     CC_OK);
}

static void
test_supplied_subject_client_auth(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    make_risky(st, "Risky Web", &t);
    struct lint_finding *v = NULL;
    size_t n = 0;
    UNIT_OK(template_lint(st, &t, &v, &n, &cause), cause);
    const struct lint_finding *f = find(v, n, "supplied-subject-client-auth");
    assert_non_null(f);
    assert_int_equal(f->severity, LINT_HIGH);
    assert_non_null(strstr(f->message, "Domain Users"));
    assert_non_null(strstr(f->message, "anyone"));
    lint_findings_free(v, n);

    /* saved, then loaded back: the same finding from the stored template */
    UNIT_OK(template_save(st, &t, &cause), cause);
    struct template back = {0};
    UNIT_OK(template_load(st, "Risky Web", &back, &cause), cause);
    assert_true(has_finding(st, &back, "supplied-subject-client-auth", "Domain Users"));
    template_free(&back);

    /* Authenticated Users too, and both are named */
    assert_int_equal(acl_grant(&t.acl, unit_principal_id(st, "Authenticated Users"),
                               "Authenticated Users", ACL_ENROLL, 0),
                     CC_OK);
    assert_true(has_finding(st, &t, "supplied-subject-client-auth", "Authenticated Users"));
    assert_true(has_finding(st, &t, "supplied-subject-client-auth", "Domain Users"));
    template_free(&t);
}

static void
test_defused(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0}, u = {0};
    char *cause = NULL;
    make_risky(st, "Defused Web", &t);
    assert_true(has_finding(st, &t, "supplied-subject-client-auth", NULL));

    /* approval */
    UNIT_OK(template_copy(&u, &t), cause);
    UNIT_OK(template_set(st, &u, "approval", "yes", &cause), cause);
    assert_false(has_finding(st, &u, "supplied-subject-client-auth", NULL));
    /* an authorized signature */
    UNIT_OK(template_copy(&u, &t), cause);
    UNIT_OK(template_set(st, &u, "signatures", "1", &cause), cause);
    assert_false(has_finding(st, &u, "supplied-subject-client-auth", NULL));
    /* the subject built from AD */
    UNIT_OK(template_copy(&u, &t), cause);
    UNIT_OK(template_set(st, &u, "subject", "build", &cause), cause);
    assert_false(has_finding(st, &u, "supplied-subject-client-auth", NULL));
    /* server authentication only */
    UNIT_OK(template_copy(&u, &t), cause);
    UNIT_OK(template_set(st, &u, "app-policies", "Server Authentication", &cause), cause);
    assert_false(has_finding(st, &u, "supplied-subject-client-auth", NULL));
    /* Enroll only for administrators */
    UNIT_OK(template_copy(&u, &t), cause);
    assert_int_equal(acl_revoke(&u.acl, unit_principal_id(st, "Domain Users"), ACL_ENROLL), CC_OK);
    assert_false(has_finding(st, &u, "supplied-subject-client-auth", NULL));
    /* a Deny of Enroll on the same entry */
    UNIT_OK(template_copy(&u, &t), cause);
    assert_int_equal(acl_grant(&u.acl, unit_principal_id(st, "Domain Users"), NULL, 0, ACL_ENROLL),
                     CC_OK);
    assert_false(has_finding(st, &u, "supplied-subject-client-auth", NULL));
    /* other client-authentication policies count the same */
    static const char *const client[] = {"Smart Card Logon", "Any Purpose",
                                         "Client Authentication (PKINIT)"};
    for (size_t i = 0; i < sizeof client / sizeof client[0]; i++) {
        UNIT_OK(template_copy(&u, &t), cause);
        UNIT_OK(template_set(st, &u, "app-policies", client[i], &cause), cause);
        if (!has_finding(st, &u, "supplied-subject-client-auth", NULL))
            fail_msg("%s is not treated as client authentication", client[i]);
    }
    template_free(&u);
    template_free(&t);
}

static void
test_other_rules(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0}, u = {0};
    char *cause = NULL;
    UNIT_OK(template_duplicate(st, "Web Server", "Rules Web", COMPAT_2003, &t, &cause), cause);
    int64_t users = unit_principal_id(st, "Domain Users");
    int64_t au = unit_principal_id(st, "Authenticated Users");
    /* as duplicated: nothing to say */
    struct lint_finding *v = NULL;
    size_t n = 0;
    UNIT_OK(template_lint(st, &t, &v, &n, &cause), cause);
    for (size_t i = 0; i < n; i++)
        fail_msg("unexpected finding %s: %s", v[i].code, v[i].message);
    lint_findings_free(v, n);
    v = NULL;
    n = 0;

    /* any purpose (no application policies) with a broad Enroll */
    UNIT_OK(template_copy(&u, &t), cause);
    UNIT_OK(template_set(st, &u, "app-policies", "none", &cause), cause);
    assert_int_equal(acl_grant(&u.acl, users, "Domain Users", ACL_ENROLL, 0), CC_OK);
    assert_true(has_finding(st, &u, "any-purpose", "Domain Users"));
    assert_false(has_finding(st, &t, "any-purpose", NULL));

    /* an enrollment agent for everyone */
    UNIT_OK(template_copy(&u, &t), cause);
    UNIT_OK(template_set(st, &u, "app-policies", "Certificate Request Agent", &cause), cause);
    assert_int_equal(acl_grant(&u.acl, au, "Authenticated Users", ACL_ENROLL, 0), CC_OK);
    assert_true(has_finding(st, &u, "enrollment-agent", "Authenticated Users"));

    /* Write for a broad group */
    UNIT_OK(template_copy(&u, &t), cause);
    assert_int_equal(acl_grant(&u.acl, au, "Authenticated Users", ACL_WRITE, 0), CC_OK);
    assert_true(has_finding(st, &u, "broad-write", "Authenticated Users"));
    UNIT_OK(template_copy(&u, &t), cause);
    assert_int_equal(acl_grant(&u.acl, users, "Domain Users", ACL_FULL, 0), CC_OK);
    assert_true(has_finding(st, &u, "broad-write", "Domain Users"));

    /* exportable keys for a broad group: medium */
    UNIT_OK(template_copy(&u, &t), cause);
    UNIT_OK(template_set(st, &u, "exportable", "yes", &cause), cause);
    assert_false(has_finding(st, &u, "broad-exportable", NULL)); /* only admins enroll */
    assert_int_equal(acl_grant(&u.acl, users, "Domain Users", ACL_ENROLL, 0), CC_OK);
    UNIT_OK(template_lint(st, &u, &v, &n, &cause), cause);
    const struct lint_finding *f = find(v, n, "broad-exportable");
    assert_non_null(f);
    assert_int_equal(f->severity, LINT_MEDIUM);
    lint_findings_free(v, n);
    v = NULL;
    n = 0;

    /* small keys and long validity: low */
    UNIT_OK(template_copy(&u, &t), cause);
    UNIT_OK(template_set(st, &u, "min-key-size", "1024", &cause), cause);
    UNIT_OK(template_set(st, &u, "validity", "6y", &cause), cause);
    UNIT_OK(template_lint(st, &u, &v, &n, &cause), cause);
    f = find(v, n, "small-key");
    assert_non_null(f);
    assert_int_equal(f->severity, LINT_LOW);
    f = find(v, n, "long-validity");
    assert_non_null(f);
    assert_int_equal(f->severity, LINT_LOW);
    assert_int_equal(n, 2);
    lint_findings_free(v, n);
    template_free(&u);
    template_free(&t);
}

static void
test_findings_append(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    make_risky(st, "Appended Web", &t);
    struct lint_finding *v = NULL;
    size_t n = 0;
    UNIT_OK(template_lint(st, &t, &v, &n, &cause), cause);
    size_t first = n;
    assert_true(first >= 1);
    UNIT_OK(template_lint(st, &t, &v, &n, &cause), cause);
    assert_int_equal(n, 2 * first);
    for (size_t i = 0; i < first; i++)
        assert_string_equal(v[i].code, v[first + i].code);
    lint_findings_free(v, n);
    template_free(&t);
    assert_string_equal(lint_severity_name(LINT_HIGH), "high");
    assert_string_equal(lint_severity_name(LINT_MEDIUM), "medium");
    assert_string_equal(lint_severity_name(LINT_LOW), "low");
}

static void
test_builtins_no_high(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct template web = {0};
    UNIT_OK(template_load(st, "Web Server", &web, &cause), cause);
    assert_false(has_finding(st, &web, "supplied-subject-client-auth", NULL));
    template_free(&web);

    struct template *all = NULL;
    size_t n = 0;
    UNIT_OK(template_list(st, &all, &n, &cause), cause);
    for (size_t i = 0; i < n; i++) {
        if (!template_is_builtin(&all[i]))
            continue;
        struct lint_finding *v = NULL;
        size_t k = 0;
        UNIT_OK(template_lint(st, &all[i], &v, &k, &cause), cause);
        for (size_t j = 0; j < k; j++) {
            assert_non_null(v[j].message);
            assert_true(strlen(v[j].message) > 20);
            if (v[j].severity == LINT_HIGH)
                fail_msg("built-in %s: high finding %s", all[i].cn, v[j].code);
        }
        lint_findings_free(v, k);
    }
    template_list_free(all, n);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_supplied_subject_client_auth, test_setup),
        cmocka_unit_test_setup(test_defused, test_setup),
        cmocka_unit_test_setup(test_other_rules, test_setup),
        cmocka_unit_test_setup(test_findings_append, test_setup),
        cmocka_unit_test_setup(test_builtins_no_high, test_setup),
    };
    return cmocka_run_group_tests_name("lint", tests, group_setup, unit_group_teardown);
}
