/*
 * Unit tests of ca/exercise: the contoso exercises parse, in the guide's
 * order; exercise files that are wrong are reported as file:line with what
 * is wrong; and the checks judge the lab's state with the reasons a trainee
 * reads (groups, access entries, template settings, restarts, templates the
 * CA issues), changing nothing. Certificates, PFX files and the TLS
 * handshake are exercised end to end by tests/cli/lab.sh.
 */
#include "config.h"

#include "exercise.h"
#include "labsnap.h"
#include "template.h"
#include "unit.h"

static int
group_setup(void **state)
{
    return unit_group_setup_lab(state, "exercise");
}

/* Writes text to DIR/name; returns the path (allocated). */
static char *
write_text(const struct unit_fx *fx, const char *name, const char *text)
{
    char *path = cc_asprintf("%s/%s", fx->dir, name);
    assert_non_null(path);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Parses text as an exercise file; returns the status and leaves the cause in *cause. */
static int
parse_text(const struct unit_fx *fx, const char *text, struct exercise *e, char **cause)
{
    char *path = write_text(fx, "ex.conf", text);
    int rc = exercise_load_file(path, e, cause);
    free(path);
    return rc;
}

static void
test_contoso_exercises(void **state)
{
    struct unit_fx *fx = *state;
    struct exercise_set set;
    char *cause = NULL;
    UNIT_OK(exercise_load_lab(fx->st, fx->datadir, &set, &cause), cause);
    static const char *const ids[] = {"web-server",         "cloud-dp",      "client",
                                      "distribution-point", "mobile-device", "amt",
                                      "mac-client"};
    assert_int_equal(set.n, 7);
    for (size_t i = 0; i < set.n; i++) {
        assert_string_equal(set.v[i].id, ids[i]);
        assert_true(set.v[i].nsteps >= 5);
        for (size_t k = 0; k < set.v[i].nsteps; k++) {
            assert_non_null(set.v[i].steps[k].title);
            assert_true(set.v[i].steps[k].nchecks >= 1);
        }
    }
    assert_non_null(exercise_find(&set, "AMT"));
    assert_null(exercise_find(&set, "nope"));
    exercise_set_free(&set);
}

static void
test_parse_errors(void **state)
{
    struct unit_fx *fx = *state;
    struct exercise e;
    char *cause = NULL;
    UNIT_FAILS(parse_text(fx,
                          "exercise: { id = \"x\"; title = \"t\";\n steps = (\n"
                          "{ title = \"a\"; do = \"b\"; checks = (\n"
                          "{ kind = \"group\"; group = \"G\"; members = [\"A\"]; } ); } ); };\n",
                          &e, &cause),
               CC_EPARSE, cause, "ex.conf:4: unknown key 'members' in a check");
    UNIT_FAILS(parse_text(fx,
                          "exercise: { id = \"x\"; title = \"t\";\n steps = (\n"
                          "{ title = \"a\"; do = \"b\"; checks = (\n"
                          "{ kind = \"certificate\"; principal = \"P\"; template = \"T\";\n"
                          "  dns = \"one\"; } ); } ); };\n",
                          &e, &cause),
               CC_EPARSE, cause, "ex.conf:5: 'dns' must be a list of strings");
    UNIT_FAILS(parse_text(fx,
                          "exercise: { id = \"x\"; title = \"t\";\n steps = (\n"
                          "{ title = \"a\"; checks = ( { kind = \"group\"; group = \"G\"; } ); }"
                          " ); };\n",
                          &e, &cause),
               CC_EPARSE, cause, "ex.conf:3: a step needs do");
    UNIT_FAILS(parse_text(fx,
                          "exercise: { id = \"x\"; title = \"t\";\n steps = (\n"
                          "{ title = \"a\"; do = \"b\"; checks = (\n"
                          "{ kind = \"acl\"; template = \"T\"; principal = \"P\"; } ); } ); };\n",
                          &e, &cause),
               CC_EPARSE, cause, "ex.conf:4: an acl check needs allow or absent");
    UNIT_FAILS(parse_text(fx,
                          "exercise: { id = \"x\"; title = \"t\";\n steps = (\n"
                          "{ title = \"a\"; do = \"b\"; checks = (\n"
                          "{ kind = \"gpo\"; gpo = \"G\"; renew = \"yes\"; } ); } ); };\n",
                          &e, &cause),
               CC_EPARSE, cause, "ex.conf:4: 'renew' must be true or false");
    UNIT_FAILS(parse_text(fx, "exercise: { title = \"t\"; steps = ( ); };\n", &e, &cause),
               CC_EPARSE, cause, "ex.conf:1: an exercise needs id and title");
    free(cause);
}

static void
test_duplicate_ids(void **state)
{
    struct unit_fx *fx = *state;
    char *dir = cc_asprintf("%s/dup", fx->dir);
    assert_int_equal(mkdir(dir, 0700), 0);
    static const char text[] = "exercise: { id = \"same\"; title = \"t\"; steps = ( { title = "
                               "\"a\"; do = \"b\"; checks = ( { kind = \"group\"; group = \"G\"; "
                               "} ); } ); };\n";
    char *a = write_text(fx, "dup/a.conf", text), *b = write_text(fx, "dup/b.conf", text);
    struct exercise_set set;
    char *cause = NULL;
    UNIT_FAILS(exercise_load_dir(dir, &set, &cause), CC_EPARSE, cause,
               "a second exercise with id 'same'");
    free(cause);
    free(a);
    free(b);
    free(dir);
}

/* Loads a one-step exercise and checks it against the fixture's lab. */
static int
check_text(const struct unit_fx *fx, const char *checks, char **reason)
{
    char *text = cc_asprintf("exercise: { id = \"x\"; title = \"t\"; steps = ( { title = \"a\"; "
                             "do = \"b\"; checks = ( %s ); } ); };\n",
                             checks);
    struct exercise e;
    char *cause = NULL;
    UNIT_OK(parse_text(fx, text, &e, &cause), cause);
    int done = -1;
    UNIT_OK(exercise_check_step(test_cx(fx->st), &e.steps[0], &done, reason, &cause), cause);
    exercise_free(&e);
    free(text);
    assert_true(done == (*reason == NULL));
    return done;
}

static void
expect_reason(const struct unit_fx *fx, const char *checks, const char *want)
{
    char *reason = NULL;
    assert_int_equal(check_text(fx, checks, &reason), 0);
    assert_string_equal(reason, want);
    free(reason);
}

static void
expect_done(const struct unit_fx *fx, const char *checks)
{
    char *reason = NULL;
    int done = check_text(fx, checks, &reason);
    if (!done)
        fail_msg("expected done, got: %s", reason);
    free(reason);
}

static void
test_checks(void **state)
{
    struct unit_fx *fx = *state;
    char *cause = NULL;
    unit_act_as(fx->st, "Administrator");
    const char *grp = "{ kind = \"group\"; group = \"Lab Servers\"; member = \"SERVER1\"; }";
    expect_reason(fx, grp, "there is no group named 'Lab Servers' yet");
    UNIT_OK(dir_add_group(test_cx(fx->st), "Lab Servers", NULL, NULL, &cause), cause);
    expect_reason(fx, grp, "SERVER1 is not a member of Lab Servers");
    UNIT_OK(dir_add_member(test_cx(fx->st), "Lab Servers", "SERVER1", &cause), cause);
    expect_done(fx, grp);
    expect_reason(fx, "{ kind = \"group\"; group = \"Lab Servers\"; empty = true; }",
                  "Lab Servers should start empty, but SERVER1 is a member");

    /* restarts count only where tokens are taken at restart */
    store_set_tokens_at_restart(fx->st, 1);
    const char *rst = "{ kind = \"restarted\"; computer = \"SERVER1\"; group = \"Lab Servers\"; }";
    expect_reason(fx, rst,
                  "SERVER1 has not restarted since it joined Lab Servers: it still acts without "
                  "the group (certcon dir restart SERVER1)");
    UNIT_OK(dir_restart(test_cx(fx->st), "SERVER1", &cause), cause);
    expect_done(fx, rst);

    struct template t = {0};
    UNIT_OK(template_duplicate(test_cx(fx->st), "Web Server", "Lab Web", COMPAT_2003, &t, &cause),
            cause);
    template_free(&t);
    expect_reason(fx,
                  "{ kind = \"template\"; template = \"Lab Web\"; settings = { compat = \"2003\"; "
                  "exportable = \"yes\"; }; }",
                  "Lab Web: exportable is no; the guide wants yes");
    expect_done(fx, "{ kind = \"template\"; template = \"Lab Web\"; settings = { compat = "
                    "\"2003\"; app_policies = \"Server Authentication\"; }; }");
    expect_reason(fx,
                  "{ kind = \"template\"; template = \"Lab Web\"; settings = { app_policies = "
                  "\"Server Authentication, Client Authentication\"; }; }",
                  "Lab Web: app-policies is Server Authentication (1.3.6.1.5.5.7.3.1); the guide "
                  "wants Server Authentication, Client Authentication");
    expect_reason(fx,
                  "{ kind = \"acl\"; template = \"Lab Web\"; principal = \"Domain Admins\"; "
                  "absent = \"Enroll\"; }",
                  "Domain Admins still has Enroll on Lab Web");
    expect_reason(fx,
                  "{ kind = \"acl\"; template = \"Lab Web\"; principal = \"Lab Servers\"; "
                  "allow = \"Read,Enroll\"; }",
                  "Lab Servers does not have Read,Enroll on Lab Web");
    expect_reason(fx, "{ kind = \"ca-issues\"; template = \"Lab Web\"; }",
                  "the CA does not issue Lab Web yet (Certificate Templates to Issue)");
    expect_reason(fx, "{ kind = \"policy\"; name = \"AMT Provisioning\"; oid = \"1.2.3\"; }",
                  "there is no application policy named 'AMT Provisioning' yet");
    expect_reason(fx, "{ kind = \"pfx\"; file = \"none.pfx\"; password = \"x\"; }",
                  "there is no file none.pfx in the lab folder yet");
    char *junk = write_text(fx, "junk.pfx", "not a pfx");
    expect_reason(fx, "{ kind = \"pfx\"; file = \"junk.pfx\"; password = \"x\"; }",
                  "junk.pfx is not a PFX (PKCS #12) file");
    free(junk);
    expect_reason(fx, "{ kind = \"gpo\"; gpo = \"Autoenroll\"; }",
                  "there is no group policy object named 'Autoenroll' yet");
    /* the first failing check of a step decides its reason */
    expect_reason(fx,
                  "{ kind = \"group\"; group = \"Lab Servers\"; }, "
                  "{ kind = \"ca-issues\"; template = \"Lab Web\"; }, "
                  "{ kind = \"group\"; group = \"Nope\"; }",
                  "the CA does not issue Lab Web yet (Certificate Templates to Issue)");
}

static void
test_tls_without_files(void **state)
{
    (void)state;
    char *cause = NULL;
    UNIT_FAILS(exercise_tls_handshake("/nonexistent/c.pem", "/nonexistent/ch.pem",
                                      "/nonexistent/k.pem", "x", 1, "h", test_now(), &cause),
               CC_EIO, cause, "cannot be read");
    free(cause);
}

static void
test_snapshot_names(void **state)
{
    (void)state;
    char *cause = NULL;
    UNIT_OK(labsnap_name_ok("day-2_after.amt", &cause), cause);
    static const char *const bad[] = {
        "",
        ".init",
        "../x",
        "a/b",
        "sp ace",
        "x123456789012345678901234567890123456789012345678901234567890"
        "12345"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        UNIT_FAILS(labsnap_name_ok(bad[i], &cause), CC_EINVAL, cause, "cannot name a snapshot");
    free(cause);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contoso_exercises), cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_duplicate_ids),     cmocka_unit_test(test_checks),
        cmocka_unit_test(test_tls_without_files), cmocka_unit_test(test_snapshot_names),
    };
    return cmocka_run_group_tests_name("exercise", tests, group_setup, unit_group_teardown);
}
