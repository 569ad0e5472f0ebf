/*
 * Unit tests of ca/coach: each coaching rule fires on the lab state the
 * deployment guide warns against, with the guide's reason, and stays quiet
 * once the trainee does what the guide does (or on templates the guide does
 * not make). Every test starts from a fresh contoso lab with its CA.
 */
#include "config.h"

#include "acl.h"
#include "authority.h"
#include "coach.h"
#include "directory.h"
#include "template.h"
#include "unit.h"

#define WEB   "ConfigMgr Web Server Certificate"
#define CLOUD "ConfigMgr Cloud-Based Distribution Point Certificate"

struct fx {
    struct unit_fx *u;
    struct exercise_set set;
};

static int
setup_edition(void **state, const char *edition)
{
    struct fx *f = calloc(1, sizeof *f);
    char *cause = NULL;
    if (f == NULL || (f->u = unit_fx_new("coach", 1)) == NULL)
        goto fail;
    if (edition != NULL) {
        free(f->u->def.ca.edition);
        f->u->def.ca.edition = cc_strdup(edition);
    }
    if (unit_create_ca(f->u, "ecdsa:p256", &cause) != CC_OK ||
        exercise_load_lab(f->u->st, f->u->datadir, &f->set, &cause) != CC_OK)
        goto fail;
    unit_act_as(f->u->st, "Administrator");
    *state = f;
    return 0;
fail:
    print_error("setup: %s\n", cause ? cause : "?");
    free(cause);
    if (f != NULL)
        unit_fx_free(f->u);
    free(f);
    return -1;
}

static int
setup(void **state)
{
    return setup_edition(state, NULL);
}

static int
setup_standard(void **state)
{
    return setup_edition(state, "Standard");
}

static int
teardown(void **state)
{
    struct fx *f = *state;
    exercise_set_free(&f->set);
    unit_fx_free(f->u);
    free(f);
    return 0;
}

/* The notes now, as "rule: text" lines, for comparing whole. */
static char *
notes_text(struct fx *f)
{
    struct coach_notes notes;
    char *cause = NULL;
    UNIT_OK(coach_evaluate(f->u->st, &f->set, &notes, &cause), cause);
    struct strlist l = {0};
    for (size_t i = 0; i < notes.n; i++) {
        assert_non_null(notes.v[i].reason);
        assert_true(strlen(notes.v[i].reason) > 40);
        char *line = cc_asprintf("%s: %s", notes.v[i].rule, notes.v[i].text);
        assert_int_equal(strlist_add(&l, line), CC_OK);
        free(line);
    }
    coach_notes_free(&notes);
    char *s = l.n ? strlist_join(&l, "\n") : cc_strdup("");
    strlist_free(&l);
    return s;
}

static void
expect_notes(struct fx *f, const char *want)
{
    char *got = notes_text(f);
    assert_string_equal(got, want);
    free(got);
}

/* The reason of the first note of a rule (NULL when none). */
static const char *
reason_of(struct fx *f, const char *rule)
{
    struct coach_notes notes;
    char *cause = NULL;
    const char *r = NULL;
    UNIT_OK(coach_evaluate(f->u->st, &f->set, &notes, &cause), cause);
    for (size_t i = 0; r == NULL && i < notes.n; i++)
        if (strcmp(notes.v[i].rule, rule) == 0)
            r = notes.v[i].reason; /* static text */
    coach_notes_free(&notes);
    return r;
}

static void
duplicate(struct fx *f, const char *src, const char *name, enum template_compat compat)
{
    struct template t = {0};
    char *cause = NULL;
    UNIT_OK(template_duplicate(test_cx(f->u->st), src, name, compat, &t, &cause), cause);
    template_free(&t);
}

static void
set_setting(struct fx *f, const char *name, const char *setting, const char *value)
{
    struct template t = {0};
    char *cause = NULL;
    UNIT_OK(template_load(f->u->st, name, &t, &cause), cause);
    UNIT_OK(template_set(f->u->st, &t, setting, value, &cause), cause);
    UNIT_OK(template_save(test_cx(f->u->st), &t, &cause), cause);
    template_free(&t);
}

static void
take_enroll(struct fx *f, const char *name, const char *principal)
{
    struct template t = {0};
    char *cause = NULL;
    UNIT_OK(template_load(f->u->st, name, &t, &cause), cause);
    UNIT_OK(acl_revoke(&t.acl, unit_principal_id(f->u->st, principal), ACL_ENROLL), cause);
    UNIT_OK(template_save(test_cx(f->u->st), &t, &cause), cause);
    template_free(&t);
}

static void
enable(struct fx *f, const char *name)
{
    char *cause = NULL;
    UNIT_OK(authority_template_enable(test_cx(f->u->st), name, &cause), cause);
}

static void
test_fresh_lab_is_quiet(void **state)
{
    expect_notes(*state, "");
}

static void
test_compat(void **state)
{
    struct fx *f = *state;
    duplicate(f, "Web Server", WEB, COMPAT_2008);
    expect_notes(f, "compat: " WEB " is made for Windows Server 2008; the guide makes it for "
                    "Windows Server 2003");
    assert_non_null(strstr(reason_of(f, "compat"), "2003"));
    /* a template the guide does not make may be anything */
    duplicate(f, "Web Server", "Lab Own Web", COMPAT_2012);
    duplicate(f, "Workstation Authentication", "ConfigMgr Client Certificate", COMPAT_2003);
    expect_notes(f, "compat: " WEB " is made for Windows Server 2008; the guide makes it for "
                    "Windows Server 2003");
    char *cause = NULL;
    UNIT_OK(template_delete(test_cx(f->u->st), WEB, &cause), cause);
    duplicate(f, "Web Server", WEB, COMPAT_2003);
    expect_notes(f, "");
}

static void
test_exportable(void **state)
{
    struct fx *f = *state;
    duplicate(f, "Web Server", WEB, COMPAT_2003);
    duplicate(f, "Web Server", CLOUD, COMPAT_2003);
    expect_notes(f, "");
    /* the cloud distribution point's procedure needs its key as a file */
    set_setting(f, CLOUD, "exportable", "yes");
    expect_notes(f, "");
    set_setting(f, WEB, "exportable", "yes");
    expect_notes(f, "exportable: " WEB " lets the private key be exported, which the guide's "
                    "procedure does not need");
    assert_non_null(strstr(reason_of(f, "exportable"), "copied off the computer"));
    set_setting(f, WEB, "exportable", "no");
    expect_notes(f, "");
}

static void
test_admins_enroll(void **state)
{
    struct fx *f = *state;
    duplicate(f, "Web Server", WEB, COMPAT_2003);
    duplicate(f, "Web Server", CLOUD, COMPAT_2003);
    /* not yet issued: the exercise's own step says what is left to do */
    expect_notes(f, "");
    enable(f, WEB);
    enable(f, CLOUD);
    /* the guide takes Enroll from both groups on the web server copy, from one on the cloud one */
    expect_notes(
        f, "admins-enroll: Domain Admins still has Enroll on " WEB ", which the CA issues\n"
           "admins-enroll: Enterprise Admins still has Enroll on " WEB ", which the CA issues\n"
           "admins-enroll: Enterprise Admins still has Enroll on " CLOUD ", which the CA issues");
    assert_non_null(strstr(reason_of(f, "admins-enroll"), "Enroll"));
    take_enroll(f, WEB, "Domain Admins");
    take_enroll(f, CLOUD, "Enterprise Admins");
    expect_notes(f, "admins-enroll: Enterprise Admins still has Enroll on " WEB
                    ", which the CA issues");
    take_enroll(f, WEB, "Enterprise Admins");
    expect_notes(f, "");
}

static void
test_restart(void **state)
{
    struct fx *f = *state;
    char *cause = NULL;
    UNIT_OK(dir_add_group(test_cx(f->u->st), "ConfigMgr IIS Servers", NULL, NULL, &cause), cause);
    UNIT_OK(dir_restart(test_cx(f->u->st), "SERVER1", &cause), cause);
    expect_notes(f, "");
    UNIT_OK(dir_add_member(test_cx(f->u->st), "ConfigMgr IIS Servers", "SERVER1", &cause), cause);
    expect_notes(f, "restart: SERVER1 acts without ConfigMgr IIS Servers until it restarts");
    assert_non_null(strstr(reason_of(f, "restart"), "Restart the computer"));
    UNIT_OK(dir_restart(test_cx(f->u->st), "SERVER1", &cause), cause);
    expect_notes(f, "");
    UNIT_OK(dir_remove_member(test_cx(f->u->st), "ConfigMgr IIS Servers", "SERVER1", &cause),
            cause);
    expect_notes(f, "restart: SERVER1 acts with ConfigMgr IIS Servers until it restarts");
    /* joined one group and left another: both named */
    UNIT_OK(dir_add_group(test_cx(f->u->st), "Lab Servers", NULL, NULL, &cause), cause);
    UNIT_OK(dir_add_member(test_cx(f->u->st), "Lab Servers", "SERVER1", &cause), cause);
    expect_notes(f,
                 "restart: SERVER1 acts without Lab Servers and still with ConfigMgr IIS Servers "
                 "until it restarts");
}

static void
test_standard_edition(void **state)
{
    struct fx *f = *state;
    expect_notes(f, "");
    duplicate(f, "Web Server", WEB, COMPAT_2003);
    expect_notes(f, "standard-edition: " WEB " is a version 2 template and contoso-CA1-CA is a "
                    "Standard Edition CA, which cannot issue it");
    assert_non_null(strstr(reason_of(f, "standard-edition"), "Enterprise Edition"));
}

/* On an Enterprise CA the same template draws no note (fresh lab, fixture setup). */
static void
test_enterprise_edition(void **state)
{
    struct fx *f = *state;
    duplicate(f, "Web Server", WEB, COMPAT_2003);
    expect_notes(f, "");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fresh_lab_is_quiet, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exportable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_admins_enroll, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_standard_edition, setup_standard, teardown),
        cmocka_unit_test_setup_teardown(test_enterprise_edition, setup, teardown),
    };
    return cmocka_run_group_tests_name("coach", tests, NULL, NULL);
}
