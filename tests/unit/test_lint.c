/*
 * Unit tests of ca/lint: a duplicate of Web Server whose subject is supplied
 * in the request, with Client Authentication and Enroll for Domain Users,
 * gets the high "supplied-subject-client-auth" finding naming the group,
 * and each of the things that defuse it (approval, subject built from AD,
 * Enroll only for administrators, a Deny) makes it go; a broad group that
 * holds Enroll through a group it is nested in counts the same. Each other
 * risky combination has its own test: CA and enrollment agent templates
 * for broad groups (ESC2, ESC3), any purpose or no EKU (ESC2), exportable
 * keys on authentication templates, Enroll kept by Domain Users or Domain
 * Computers on the guide's one-group templates, approval off for a subject
 * from the request, Write for a broad group (ESC4); every finding has an id,
 * a why and a fix; no built-in template as shipped has any finding.
 */
#include "config.h"

#include "directory.h"
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
    UNIT_OK(template_duplicate(test_cx(st), "Web Server", name, COMPAT_2003, t, &cause), cause);
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
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
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
    UNIT_OK(template_duplicate(test_cx(st), "Web Server", "Rules Web", COMPAT_2003, &t, &cause),
            cause);
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

    /* exportable keys of an authentication certificate for a broad group: warning */
    UNIT_OK(template_copy(&u, &t), cause);
    UNIT_OK(template_set(st, &u, "exportable", "yes", &cause), cause);
    UNIT_OK(template_set(st, &u, "app-policies", "Client Authentication", &cause), cause);
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
    assert_string_equal(lint_severity_name(LINT_MEDIUM), "warning");
    assert_string_equal(lint_severity_name(LINT_LOW), "note");
}

/* The finding of code on t: its id and severity, and that why and fix are sentences. */
static void
assert_finding(struct store *st, const struct template *t, const char *code, const char *id,
               enum lint_severity severity, const char *who)
{
    struct lint_finding *v = NULL;
    size_t n = 0;
    char *cause = NULL;
    UNIT_OK(template_lint(st, t, &v, &n, &cause), cause);
    const struct lint_finding *f = find(v, n, code);
    if (f == NULL)
        fail_msg("%s: no %s finding", t->display_name, code);
    assert_string_equal(f->id, id);
    assert_int_equal(f->severity, severity);
    if (who != NULL && strstr(f->why, who) == NULL)
        fail_msg("%s: why '%s' does not name %s", code, f->why, who);
    assert_true(strlen(f->why) > 30 && f->why[strlen(f->why) - 1] == '.');
    assert_true(strlen(f->fix) > 20 && f->fix[strlen(f->fix) - 1] == '.');
    assert_non_null(strstr(f->message, f->fix));
    lint_findings_free(v, n);
}

static void
test_nested_group(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    int64_t id = 0;
    UNIT_OK(dir_add_group(test_cx(st), "Web Requesters", NULL, &id, &cause), cause);
    UNIT_OK(template_duplicate(test_cx(st), "Web Server", "Nested Web", COMPAT_2003, &t, &cause),
            cause);
    UNIT_OK(template_set(st, &t, "subject", "supply", &cause), cause);
    UNIT_OK(template_set(st, &t, "app-policies", "Client Authentication", &cause), cause);
    assert_int_equal(acl_grant(&t.acl, id, "Web Requesters", ACL_READ | ACL_ENROLL, 0), CC_OK);
    /* a group of a few: nothing to say */
    assert_false(has_finding(st, &t, "supplied-subject-client-auth", NULL));
    /* once the group contains Domain Users, every user holds Enroll */
    UNIT_OK(dir_add_member(test_cx(st), "Web Requesters", "Domain Users", &cause), cause);
    assert_finding(st, &t, "supplied-subject-client-auth", "ESC1", LINT_HIGH,
                   "Domain Users (through Web Requesters)");
    /* two levels deep too */
    struct template u = {0};
    UNIT_OK(dir_add_group(test_cx(st), "Outer Requesters", NULL, &id, &cause), cause);
    UNIT_OK(dir_add_member(test_cx(st), "Outer Requesters", "Web Requesters", &cause), cause);
    UNIT_OK(template_copy(&u, &t), cause);
    assert_int_equal(acl_revoke(&u.acl, unit_principal_id(st, "Web Requesters"), ACL_ALL), CC_OK);
    assert_false(has_finding(st, &u, "supplied-subject-client-auth", NULL));
    assert_int_equal(acl_grant(&u.acl, id, "Outer Requesters", ACL_ENROLL, 0), CC_OK);
    assert_finding(st, &u, "supplied-subject-client-auth", "ESC1", LINT_HIGH,
                   "Domain Users (through Outer Requesters)");
    /* a Deny for Domain Users itself wins over the nested Allow */
    assert_int_equal(
        acl_grant(&u.acl, unit_principal_id(st, "Domain Users"), "Domain Users", 0, ACL_ENROLL),
        CC_OK);
    assert_false(has_finding(st, &u, "supplied-subject-client-auth", NULL));
    /* Write through the nested group: ESC4 */
    UNIT_OK(template_copy(&u, &t), cause);
    assert_int_equal(acl_grant(&u.acl, unit_principal_id(st, "Web Requesters"), NULL, ACL_WRITE, 0),
                     CC_OK);
    assert_finding(st, &u, "broad-write", "ESC4", LINT_HIGH,
                   "Domain Users (through Web Requesters)");
    UNIT_OK(dir_remove_member(test_cx(st), "Web Requesters", "Domain Users", &cause), cause);
    template_free(&u);
    template_free(&t);
}

/* A copy of a built-in whose ACL the test changes (built-ins' ACLs can change). */
static void
load_with_enroll(struct store *st, const char *name, const char *group, struct template *t)
{
    char *cause = NULL;
    UNIT_OK(template_load(st, name, t, &cause), cause);
    assert_false(has_finding(st, t, "broad-ca", NULL));
    assert_false(has_finding(st, t, "enrollment-agent", NULL));
    assert_int_equal(acl_grant(&t->acl, unit_principal_id(st, group), group, ACL_ENROLL, 0), CC_OK);
}

static void
test_ca_and_agent(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    load_with_enroll(st, "Subordinate Certification Authority", "Domain Users", &t);
    assert_finding(st, &t, "broad-ca", "ESC2", LINT_HIGH, "Domain Users");
    template_free(&t);
    load_with_enroll(st, "Cross Certification Authority", "Authenticated Users", &t);
    assert_finding(st, &t, "broad-ca", "ESC2", LINT_HIGH, "Authenticated Users");
    template_free(&t);
    load_with_enroll(st, "Enrollment Agent", "Domain Users", &t);
    assert_finding(st, &t, "enrollment-agent", "ESC3", LINT_HIGH, "Domain Users");
    template_free(&t);
    load_with_enroll(st, "Enrollment Agent (Computer)", "Domain Computers", &t);
    assert_finding(st, &t, "enrollment-agent", "ESC3", LINT_HIGH, "Domain Computers");
    template_free(&t);
}

static void
test_any_purpose(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    UNIT_OK(template_duplicate(test_cx(st), "Web Server", "Any Web", COMPAT_2003, &t, &cause),
            cause);
    /* no EKU at all, only administrators: a note that it is one step from ESC2 */
    UNIT_OK(template_set(st, &t, "app-policies", "none", &cause), cause);
    assert_finding(st, &t, "any-purpose-eku", "any-purpose-eku", LINT_LOW, NULL);
    assert_false(has_finding(st, &t, "any-purpose", NULL));
    /* Any Purpose for Domain Computers: ESC2, and the note gives way */
    UNIT_OK(template_set(st, &t, "app-policies", "Any Purpose", &cause), cause);
    assert_int_equal(acl_grant(&t.acl, unit_principal_id(st, "Domain Computers"),
                               "Domain Computers", ACL_ENROLL, 0),
                     CC_OK);
    assert_finding(st, &t, "any-purpose", "ESC2", LINT_HIGH, "Domain Computers");
    assert_false(has_finding(st, &t, "any-purpose-eku", NULL));
    template_free(&t);
}

static void
test_exportable_auth(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    UNIT_OK(template_duplicate(test_cx(st), "Workstation Authentication", "Export Workstation",
                               COMPAT_2003, &t, &cause),
            cause);
    assert_int_equal(acl_grant(&t.acl, unit_principal_id(st, "Domain Computers"),
                               "Domain Computers", ACL_ENROLL, 0),
                     CC_OK);
    assert_false(has_finding(st, &t, "broad-exportable", NULL));
    UNIT_OK(template_set(st, &t, "exportable", "yes", &cause), cause);
    assert_finding(st, &t, "broad-exportable", "exportable-auth-key", LINT_MEDIUM,
                   "Domain Computers");
    /* a server certificate's key may move with its site: no finding */
    UNIT_OK(template_set(st, &t, "app-policies", "Server Authentication", &cause), cause);
    assert_false(has_finding(st, &t, "broad-exportable", NULL));
    template_free(&t);
}

static void
test_one_group(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    static const struct {
        const char *src, *name, *group, *kept;
    } cases[] = {
        {"Authenticated Session", "ConfigMgr Mac Client Certificate", "ConfigMgr Mac Client Users",
         "Domain Users"},
        {"Authenticated Session", "ConfigMgr Mobile Device Enrollment Certificate",
         "ConfigMgr Mobile Device Users", "Domain Users"},
        {"Workstation Authentication", "ConfigMgr Client Distribution Point Certificate",
         "ConfigMgr IIS Servers", "Domain Computers"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct template t = {0};
        char *cause = NULL;
        UNIT_OK(template_duplicate_draft(test_cx(st), cases[i].src, cases[i].name, COMPAT_2003, &t,
                                         &cause),
                cause);
        int64_t kept = unit_principal_id(st, cases[i].kept);
        /* the duplicate keeps its source's broad Enroll */
        assert_true(acl_effective(&t.acl, &kept, 1, NULL) & ACL_ENROLL);
        assert_finding(st, &t, "one-group-enroll", "one-group-enroll", LINT_MEDIUM, cases[i].kept);
        assert_finding(st, &t, "one-group-enroll", "one-group-enroll", LINT_MEDIUM, cases[i].group);
        /* Read alone is fine, and another name of the same kind says nothing */
        assert_int_equal(acl_revoke(&t.acl, kept, ACL_ENROLL), CC_OK);
        assert_false(has_finding(st, &t, "one-group-enroll", NULL));
        struct template other = {0};
        UNIT_OK(template_duplicate_draft(test_cx(st), cases[i].src, "Some Other Copy", COMPAT_2003,
                                         &other, &cause),
                cause);
        assert_false(has_finding(st, &other, "one-group-enroll", NULL));
        template_free(&other);
        template_free(&t);
    }
}

static void
test_approval_off(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    UNIT_OK(template_duplicate(test_cx(st), "Web Server", "Open Web", COMPAT_2003, &t, &cause),
            cause);
    int64_t users = unit_principal_id(st, "Domain Users");
    assert_int_equal(acl_grant(&t.acl, users, "Domain Users", ACL_ENROLL, 0), CC_OK);
    assert_finding(st, &t, "approval-off", "approval-off", LINT_MEDIUM, "Domain Users");
    UNIT_OK(template_set(st, &t, "approval", "yes", &cause), cause);
    assert_false(has_finding(st, &t, "approval-off", NULL));
    UNIT_OK(template_set(st, &t, "approval", "no", &cause), cause);
    UNIT_OK(template_set(st, &t, "subject", "build", &cause), cause);
    assert_false(has_finding(st, &t, "approval-off", NULL));
    template_free(&t);
}

static void
test_builtins_none(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct template *all = NULL;
    size_t n = 0;
    UNIT_OK(template_list(st, &all, &n, &cause), cause);
    size_t builtins = 0;
    for (size_t i = 0; i < n; i++) {
        if (!template_is_builtin(&all[i]))
            continue;
        builtins++;
        struct lint_finding *v = NULL;
        size_t k = 0;
        UNIT_OK(template_lint(st, &all[i], &v, &k, &cause), cause);
        for (size_t j = 0; j < k; j++)
            fail_msg("built-in %s as shipped: %s %s", all[i].cn, v[j].id, v[j].why);
        lint_findings_free(v, k);
    }
    assert_true(builtins >= 30);
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
        cmocka_unit_test_setup(test_nested_group, test_setup),
        cmocka_unit_test_setup(test_ca_and_agent, test_setup),
        cmocka_unit_test_setup(test_any_purpose, test_setup),
        cmocka_unit_test_setup(test_exportable_auth, test_setup),
        cmocka_unit_test_setup(test_one_group, test_setup),
        cmocka_unit_test_setup(test_approval_off, test_setup),
        cmocka_unit_test_setup(test_builtins_none, test_setup),
    };
    return cmocka_run_group_tests_name("lint", tests, group_setup, unit_group_teardown);
}
