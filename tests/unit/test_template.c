/*
 * Unit tests of ca/template against the contoso lab: every built-in loads
 * with the values of ADCS-SPEC §3; Duplicate Template follows Appendix A.2
 * (schema from the compatibility level as in §1.2, revision 100.0, a cn
 * without blanks, an OID under the forest arc as in §5.3, IS_MODIFIED set
 * and IS_DEFAULT clear, application policies copied from the EKU, and the
 * new-duplicate ACL of §1.12); every setting can be read, and template_set
 * validates each value; template_save needs Write, detects edit conflicts,
 * bumps the minor revision and audits each changed field; schema-1
 * built-ins change only their Security; Reenroll All and delete behave;
 * export and import round-trip, and a bad file is reported as path:line
 * and changes nothing.
 */
#include "config.h"

#include <glob.h>

#include "audit.h"
#include "oids.h"
#include "template.h"
#include "unit.h"

#define FOREST          "1.3.6.1.4.1.311.21.8.11034890.834619.12601478.16236816.7255827.176"
#define OID_SERVER_AUTH "1.3.6.1.5.5.7.3.1"
#define OID_CLIENT_AUTH "1.3.6.1.5.5.7.3.2"

static int
group_setup(void **state)
{
    return unit_group_setup_lab(state, "template");
}

static int
test_setup(void **state)
{
    struct unit_fx *fx = *state;
    test_act_id(fx->st, 0, NULL);
    test_clock_set(fx->now);
    return 0;
}

/* Duplicates src as name at compat, acting as Administrator; the result in *out. */
static void
duplicate_as_admin(struct store *st, const char *src, const char *name, enum template_compat compat,
                   struct template *out)
{
    char *cause = NULL;
    int64_t keep = test_cx(st)->who;
    char *keep_name = keep ? cc_strdup(test_cx(st)->who_name) : NULL;
    unit_act_as(st, "Administrator");
    UNIT_OK(template_duplicate(test_cx(st), src, name, compat, out, &cause), cause);
    test_act_id(st, keep, keep_name);
    free(keep_name);
}

/* The stored template as export text: equal texts mean nothing changed; allocated. */
static char *
stored_text(struct store *st, const char *name)
{
    struct template t = {0};
    char *cause = NULL, *text = NULL;
    UNIT_OK(template_load(st, name, &t, &cause), cause);
    UNIT_OK(template_export(st, &t, &text, &cause), cause);
    template_free(&t);
    return text;
}

static int64_t
count_templates(struct store *st)
{
    return unit_count(st, "SELECT count(*) FROM template");
}

static int64_t
count_audit(struct store *st, const char *object)
{
    char *sql = cc_asprintf("SELECT count(*) FROM audit WHERE object = '%s'", object);
    int64_t n = unit_count(st, sql);
    free(sql);
    return n;
}

static void
expect_list(const struct strlist *l, const char *only)
{
    assert_int_equal(l->n, 1);
    assert_string_equal(l->v[0], only);
}

static void
expect_ace(const struct template *t, struct store *st, const char *who, unsigned allow,
           unsigned deny)
{
    const struct acl_entry *e = acl_find(&t->acl, unit_principal_id(st, who));
    if (e == NULL)
        fail_msg("%s has no entry for %s", t->display_name, who);
    if (e->allow != allow || e->deny != deny)
        fail_msg("%s: %s allow 0x%x deny 0x%x, want 0x%x 0x%x", t->display_name, who, e->allow,
                 e->deny, allow, deny);
}

static void
test_builtins_load(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    char *pattern = cc_asprintf("%s/templates/*.conf", fx->datadir);
    glob_t g;
    assert_int_equal(glob(pattern, 0, NULL, &g), 0);
    free(pattern);
    assert_int_equal(g.gl_pathc, 33);

    struct template *all = NULL;
    size_t n = 0;
    UNIT_OK(template_list(st, &all, &n, &cause), cause);
    assert_int_equal(n, g.gl_pathc);
    globfree(&g);
    for (size_t i = 0; i < n; i++) {
        const struct template *t = &all[i];
        if (i > 0) /* ordered by display name */
            assert_true(strcasecmp(all[i - 1].display_name, t->display_name) < 0);
        assert_true(template_is_builtin(t));
        assert_false(t->flags & CT_FLAG_IS_MODIFIED);
        assert_true(t->schema_version >= 1 && t->schema_version <= 4);
        /* built-in OIDs hang below the forest arc as forest.1.N */
        assert_int_equal(strncmp(t->oid, FOREST ".1.", strlen(FOREST) + 3), 0);
        assert_true(oid_is_valid(t->oid));
        assert_true(t->acl.n >= 3);
        assert_int_equal(t->change_count, 0);
        UNIT_OK(template_validate(st, t, &cause), cause);
        /* loadable by cn, display name and OID, each giving the same id */
        struct template a = {0}, b = {0}, c = {0};
        UNIT_OK(template_load(st, t->cn, &a, &cause), cause);
        UNIT_OK(template_load(st, t->display_name, &b, &cause), cause);
        UNIT_OK(template_load(st, t->oid, &c, &cause), cause);
        assert_int_equal(a.id, t->id);
        assert_int_equal(b.id, t->id);
        assert_int_equal(c.id, t->id);
        template_free(&a);
        template_free(&b);
        template_free(&c);
        for (size_t k = 0; k < i; k++) {
            assert_string_not_equal(all[k].oid, t->oid);
            assert_string_not_equal(all[k].cn, t->cn);
        }
    }
    template_list_free(all, n);
}

static void
test_builtin_webserver(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    UNIT_OK(template_load(st, "WebServer", &t, &cause), cause);
    assert_string_equal(t.cn, "WebServer");
    assert_string_equal(t.display_name, "Web Server");
    assert_string_equal(t.oid, FOREST ".1.16");
    assert_int_equal(t.schema_version, 1);
    assert_int_equal(t.revision, 4);
    assert_int_equal(t.minor_revision, 1);
    assert_int_equal(t.flags, 0x10241);
    assert_int_equal(t.enrollment_flag, 0);
    assert_int_equal(t.private_key_flag, 0);
    assert_int_equal(t.name_flag, 1);
    assert_int_equal(t.key_spec, 1);
    assert_int_equal(t.key_usage, CT_KU_DIGITAL_SIGNATURE | CT_KU_KEY_ENCIPHERMENT);
    assert_int_equal(t.max_issuing_depth, -1);
    assert_int_equal(t.min_key_size, 2048);
    assert_int_equal(t.validity, 2 * PERIOD_YEAR);
    assert_int_equal(t.renewal, 6 * PERIOD_WEEK);
    expect_list(&t.eku, OID_SERVER_AUTH);
    assert_int_equal(t.app_policies.n, 0);
    expect_list(&t.critical_extensions, OID_EXT_KEY_USAGE);
    assert_int_equal(t.csps.n, 2);
    assert_string_equal(t.csps.v[0], "1,Microsoft RSA SChannel Cryptographic Provider");
    assert_int_equal(t.acl.n, 3);
    expect_ace(&t, st, "Domain Admins", ACL_READ | ACL_WRITE | ACL_ENROLL, 0);
    expect_ace(&t, st, "Enterprise Admins", ACL_READ | ACL_WRITE | ACL_ENROLL, 0);
    expect_ace(&t, st, "Authenticated Users", ACL_READ, 0);
    assert_true(template_is_machine(&t));
    assert_true(template_subject_supplied(&t));
    assert_false(template_exportable(&t));
    assert_false(template_needs_approval(&t));
    assert_int_equal(template_compat_of(&t), COMPAT_NONE);
    char *v = template_version_string(&t);
    assert_string_equal(v, "4.1");
    free(v);
    assert_string_equal(template_purpose_name(&t), "Signature and encryption");
    v = template_purposes(st, &t);
    assert_string_equal(v, "Server Authentication");
    free(v);
    template_free(&t);
}

static void
test_builtin_workstation(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    UNIT_OK(template_load(st, "Workstation Authentication", &t, &cause), cause);
    assert_string_equal(t.cn, "Workstation");
    assert_string_equal(t.oid, FOREST ".1.30");
    assert_int_equal(t.schema_version, 2);
    assert_int_equal(t.revision, 101);
    assert_int_equal(t.minor_revision, 0);
    assert_int_equal(t.flags, 0x10260);
    assert_int_equal(t.enrollment_flag, CT_ENROLL_AUTO_ENROLLMENT);
    assert_int_equal(t.name_flag, CT_NAME_SUBJECT_ALT_REQUIRE_DNS);
    assert_int_equal(t.validity, PERIOD_YEAR);
    expect_list(&t.eku, OID_CLIENT_AUTH);
    expect_list(&t.app_policies, OID_CLIENT_AUTH);
    assert_int_equal(t.acl.n, 4);
    expect_ace(&t, st, "Domain Computers", ACL_ENROLL, 0);
    expect_ace(&t, st, "Authenticated Users", ACL_READ, 0);
    assert_int_equal(template_compat_of(&t), COMPAT_2003);
    char *v = template_version_string(&t);
    assert_string_equal(v, "101.0");
    free(v);
    v = template_purposes(st, &t);
    assert_string_equal(v, "Client Authentication");
    free(v);
    template_free(&t);
}

static void
test_load_names(void **state)
{
    struct unit_fx *fx = *state;
    struct template t = {0};
    char *cause = NULL;
    UNIT_OK(template_load(fx->st, "web server", &t, &cause), cause);
    int64_t id = t.id;
    template_free(&t);
    UNIT_OK(template_load(fx->st, "WEBSERVER", &t, &cause), cause);
    assert_int_equal(t.id, id);
    template_free(&t);
    UNIT_OK(template_load_id(fx->st, id, &t, &cause), cause);
    assert_string_equal(t.cn, "WebServer");
    template_free(&t);
    UNIT_FAILS(template_load(fx->st, "Web Servr", &t, &cause), CC_ENOTFOUND, cause, "'Web Servr'",
               "Did you mean", "Web Server");
    UNIT_FAILS(template_load_id(fx->st, 99999, &t, &cause), CC_ENOTFOUND, cause, "99999");
}

static void
test_duplicate_2003(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct template src = {0}, t = {0}, back = {0};
    UNIT_OK(template_load(st, "Web Server", &src, &cause), cause);
    int64_t before = count_templates(st);
    duplicate_as_admin(st, "Web Server", "Contoso Web Server", COMPAT_2003, &t);
    assert_int_equal(count_templates(st), before + 1);

    assert_true(t.id > 0);
    assert_string_equal(t.display_name, "Contoso Web Server");
    assert_string_equal(t.cn, "ContosoWebServer");
    assert_int_equal(t.schema_version, 2);
    assert_int_equal(t.revision, 100);
    assert_int_equal(t.minor_revision, 0);
    /* OID: forest.<r1>.<r2>, new */
    assert_int_equal(strncmp(t.oid, FOREST ".", strlen(FOREST) + 1), 0);
    const char *rest = t.oid + strlen(FOREST) + 1;
    assert_non_null(strchr(rest, '.'));
    assert_null(strchr(strchr(rest, '.') + 1, '.'));
    assert_string_not_equal(t.oid, src.oid);
    assert_true(oid_is_valid(t.oid));
    /* flags: IS_MODIFIED on, IS_DEFAULT off, the rest as the source */
    assert_true(t.flags & CT_FLAG_IS_MODIFIED);
    assert_false(t.flags & CT_FLAG_IS_DEFAULT);
    assert_false(template_is_builtin(&t));
    assert_int_equal(t.flags & ~(CT_FLAG_IS_MODIFIED | CT_FLAG_IS_DEFAULT),
                     src.flags & ~(CT_FLAG_IS_MODIFIED | CT_FLAG_IS_DEFAULT));
    /* compatibility nibbles: CA 2003, recipient XP */
    assert_int_equal(t.private_key_flag & CT_PK_SERVER_VERSION_MASK, 0x00010000);
    assert_int_equal(t.private_key_flag & CT_PK_CLIENT_VERSION_MASK, 0x01000000);
    assert_int_equal(template_compat_of(&t), COMPAT_2003);
    /* v1 -> v2: application policies from the EKU */
    expect_list(&t.app_policies, OID_SERVER_AUTH);
    assert_true(strlist_equal(&t.eku, &src.eku));
    /* every other attribute copied */
    assert_int_equal(t.name_flag, src.name_flag);
    assert_int_equal(t.enrollment_flag, src.enrollment_flag);
    assert_int_equal(t.key_usage, src.key_usage);
    assert_int_equal(t.validity, src.validity);
    assert_int_equal(t.renewal, src.renewal);
    assert_int_equal(t.min_key_size, src.min_key_size);
    assert_true(strlist_equal(&t.csps, &src.csps));
    assert_true(strlist_equal(&t.critical_extensions, &src.critical_extensions));

    /* the new-duplicate ACL (§1.12), with the creator */
    assert_int_equal(t.acl.n, 4);
    expect_ace(&t, st, "Authenticated Users", ACL_READ, 0);
    expect_ace(&t, st, "Domain Admins", ACL_READ | ACL_WRITE | ACL_ENROLL, 0);
    expect_ace(&t, st, "Enterprise Admins", ACL_READ | ACL_WRITE | ACL_ENROLL, 0);
    expect_ace(&t, st, "Administrator", ACL_READ | ACL_WRITE, 0);

    /* what was stored is what came back */
    UNIT_OK(template_load(st, "ContosoWebServer", &back, &cause), cause);
    assert_int_equal(back.id, t.id);
    assert_string_equal(back.oid, t.oid);
    assert_int_equal(back.flags, t.flags);
    assert_int_equal(back.private_key_flag, t.private_key_flag);
    assert_true(strlist_equal(&back.app_policies, &t.app_policies));
    assert_true(acl_equal(&back.acl, &t.acl));
    assert_int_equal(back.modified, fx->now);

    /* the source is untouched, and the creation is audited */
    struct template src2 = {0};
    UNIT_OK(template_load(st, "Web Server", &src2, &cause), cause);
    assert_int_equal(src2.flags, src.flags);
    assert_int_equal(src2.change_count, src.change_count);
    struct audit_entry *log = NULL;
    size_t n = 0;
    UNIT_OK(audit_list(st, "ContosoWebServer", 0, &log, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_string_equal(log[0].kind, "template");
    assert_string_equal(log[0].field, "create");
    assert_string_equal(log[0].actor, "CONTOSO\\Administrator");
    assert_non_null(strstr(log[0].new_value, "Web Server"));
    assert_non_null(strstr(log[0].new_value, t.oid));
    audit_list_free(log, n);
    template_free(&src);
    template_free(&src2);
    template_free(&back);
    template_free(&t);
}

static void
test_duplicate_levels(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    static const struct {
        enum template_compat compat;
        const char *name;
        int schema;
        uint32_t server, client;
    } cases[] = {
        {COMPAT_2008, "Web 2008", 3, 0x00020000, 0x02000000},
        {COMPAT_2008R2, "Web 2008 R2", 3, 0x00030000, 0x03000000},
        {COMPAT_2012, "Web 2012", 4, 0x00040000, 0x04000000},
        {COMPAT_2012R2, "Web 2012 R2", 4, 0x00050000, 0x05000000},
        {COMPAT_2016, "Web 2016", 4, 0x00060000, 0x06000000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct template t = {0};
        duplicate_as_admin(st, "Web Server", cases[i].name, cases[i].compat, &t);
        if (t.schema_version != cases[i].schema)
            fail_msg("%s: schema %d, want %d", cases[i].name, t.schema_version, cases[i].schema);
        assert_int_equal(template_compat_of(&t), cases[i].compat);
        assert_int_equal(t.private_key_flag & CT_PK_SERVER_VERSION_MASK, cases[i].server);
        assert_int_equal(t.private_key_flag & CT_PK_CLIENT_VERSION_MASK, cases[i].client);
        assert_int_equal(t.revision, 100);
        assert_int_equal(t.minor_revision, 0);
        template_free(&t);
    }
    /* a schema-2 source: its application policies come along */
    struct template w = {0};
    duplicate_as_admin(st, "Workstation Authentication", "Contoso Workstation", COMPAT_2008, &w);
    assert_int_equal(w.schema_version, 3);
    expect_list(&w.app_policies, OID_CLIENT_AUTH);
    expect_ace(&w, st, "Administrator", ACL_READ | ACL_WRITE, 0);
    template_free(&w);
}

/*
 * §1.12: a new duplicate gets the default ACL only; the source's extra
 * principals (Domain Computers on Workstation, Domain Users on User) are not
 * carried over. The system itself (no acting account) gets no creator entry.
 */
/*
 * The duplicate keeps the source's own principals (Domain Computers: Enroll
 * on Workstation Authentication, Domain Users: Enroll on User) beside the
 * new-duplicate base ACL: the deployment guide's client procedure relies on
 * it ("select Domain Computers ... do not clear Enroll").
 */
static void
test_duplicate_acl_carries_source_principals(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct template w = {0}, sys = {0};
    duplicate_as_admin(st, "Workstation Authentication", "Carry Workstation", COMPAT_2003, &w);
    UNIT_OK(template_duplicate(test_cx(st), "User", "System Copy", COMPAT_2003, &sys, &cause),
            cause);
    int64_t computers = unit_principal_id(st, "Domain Computers");
    int64_t users = unit_principal_id(st, "Domain Users");
    struct template back = {0};
    UNIT_OK(template_load(st, "Carry Workstation", &back, &cause), cause);
    const struct acl_entry *e = acl_find(&back.acl, computers);
    assert_non_null(e);
    assert_int_equal(e->allow, ACL_ENROLL);
    e = acl_find(&sys.acl, users);
    assert_non_null(e);
    assert_int_equal(e->allow, ACL_ENROLL);
    /* base ACL + creator + Domain Computers; the system has no creator entry */
    assert_int_equal(back.acl.n, 5);
    assert_int_equal(sys.acl.n, 4);
    template_free(&back);
    template_free(&w);
    template_free(&sys);
}

/* A draft duplicate is stored only by template_create; dropping it leaves no trace. */
static void
test_duplicate_draft(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_act_as(st, "Administrator");
    int64_t templates = unit_count(st, "SELECT count(*) FROM template");
    int64_t audits = unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'");
    struct template d = {0};
    UNIT_OK(
        template_duplicate_draft(test_cx(st), "Web Server", "Draft Web", COMPAT_2003, &d, &cause),
        cause);
    assert_int_equal(d.id, 0);
    assert_int_equal(d.schema_version, 2);
    assert_int_equal(d.revision, 100);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM template"), templates);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'"), audits);
    UNIT_OK(template_set(st, &d, "exportable", "yes", &cause), cause);
    UNIT_OK(template_create(test_cx(st), &d, "test", &cause), cause);
    assert_true(d.id > 0);
    struct template back = {0};
    UNIT_OK(template_load(st, "Draft Web", &back, &cause), cause);
    assert_true(template_exportable(&back));
    assert_int_equal(unit_count(st, "SELECT count(*) FROM template"), templates + 1);
    /* a second create of the same draft is refused */
    assert_int_equal(template_create(test_cx(st), &d, "again", &cause), CC_ESTATE);
    free(cause);
    template_free(&back);
    template_free(&d);
}

static void
test_duplicate_refused(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct template t = {0};
    duplicate_as_admin(st, "Web Server", "Refusal Base", COMPAT_2012, &t);
    template_free(&t);
    int64_t before = count_templates(st);
    int64_t audits = unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'");

    unit_act_as(st, "Administrator");
    UNIT_FAILS(
        template_duplicate(test_cx(st), "Web Server", "Refusal Base", COMPAT_2003, &t, &cause),
        CC_EEXIST, cause, "Refusal Base");
    UNIT_FAILS(
        template_duplicate(test_cx(st), "Web Server", "refusal base", COMPAT_2003, &t, &cause),
        CC_EEXIST, cause, "");
    /* a different display name whose cn is taken */
    UNIT_FAILS(
        template_duplicate(test_cx(st), "Web Server", "Refusal  Base", COMPAT_2003, &t, &cause),
        CC_EEXIST, cause, "RefusalBase");
    /* a built-in's display name */
    UNIT_FAILS(template_duplicate(test_cx(st), "Web Server", "User", COMPAT_2003, &t, &cause),
               CC_EEXIST, cause, "");
    /* lower than the source */
    UNIT_FAILS(
        template_duplicate(test_cx(st), "Refusal Base", "Refusal Lower", COMPAT_2008, &t, &cause),
        CC_EINVAL, cause, "compat");
    UNIT_FAILS(template_duplicate(test_cx(st), "OCSP Response Signing", "OCSP 2003", COMPAT_2003,
                                  &t, &cause),
               CC_EINVAL, cause, "2008");
    UNIT_FAILS(template_duplicate(test_cx(st), "Web Server", "Bad Compat", COMPAT_NONE, &t, &cause),
               CC_EINVAL, cause, "compat");
    UNIT_FAILS(
        template_duplicate(test_cx(st), "Web Server", " Leading Blank", COMPAT_2003, &t, &cause),
        CC_EINVAL, cause, "display-name");
    UNIT_FAILS(template_duplicate(test_cx(st), "Web Server", "", COMPAT_2003, &t, &cause),
               CC_EINVAL, cause, "display-name");
    UNIT_FAILS(template_duplicate(test_cx(st), "Web Server", "Tab\tName", COMPAT_2003, &t, &cause),
               CC_EINVAL, cause, "control");
    UNIT_FAILS(template_duplicate(test_cx(st), "Web Server", ",;#", COMPAT_2003, &t, &cause),
               CC_EINVAL, cause, "template name");
    UNIT_FAILS(
        template_duplicate(test_cx(st), "No Such Template", "Orphan", COMPAT_2003, &t, &cause),
        CC_ENOTFOUND, cause, "No Such Template");
    /* only administrators duplicate */
    unit_add_user(st, "dupuser");
    audits++; /* the account itself */
    unit_act_as(st, "dupuser");
    UNIT_FAILS(
        template_duplicate(test_cx(st), "Web Server", "Dupuser Copy", COMPAT_2003, &t, &cause),
        CC_EACCES, cause, "dupuser");
    assert_int_equal(count_templates(st), before);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'"), audits);
    assert_int_equal(t.id, 0);
}

static void
test_settings_readable(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    size_t n = 0;
    const struct template_setting *s = template_settings(&n);
    assert_non_null(s);
    assert_true(n >= 40);
    struct template v1 = {0}, v2 = {0}, v4 = {0};
    char *cause = NULL;
    UNIT_OK(template_load(st, "Web Server", &v1, &cause), cause);
    UNIT_OK(template_load(st, "Workstation Authentication", &v2, &cause), cause);
    duplicate_as_admin(st, "Subordinate Certification Authority", "Settings CA", COMPAT_2016, &v4);
    const struct template *each[] = {&v1, &v2, &v4};
    for (size_t i = 0; i < n; i++) {
        assert_non_null(s[i].name);
        assert_true(*s[i].tab && *s[i].values && *s[i].help);
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(s[i].name, s[k].name);
        for (size_t k = 0; k < 3; k++) {
            char *v = template_get(st, each[k], s[i].name);
            if (v == NULL || *v == '\0')
                fail_msg("%s of %s reads as nothing", s[i].name, each[k]->display_name);
            free(v);
        }
    }
    assert_null(template_get(st, &v1, "no-such-setting"));

    /* a few values as the command line shows them */
    const struct {
        const struct template *t;
        const char *setting, *want;
    } shown[] = {
        {&v1, "validity", "2 years"},
        {&v1, "renewal", "6 weeks"},
        {&v1, "subject", "supply"},
        {&v1, "exportable", "no"},
        {&v1, "min-key-size", "2048"},
        {&v1, "app-policies", "Server Authentication (1.3.6.1.5.5.7.3.1)"},
        {&v1, "key-usage", "digitalSignature,keyEncipherment"},
        {&v1, "key-usage-critical", "yes"},
        {&v1, "compat", "none"},
        {&v2, "compat", "2003"},
        {&v2, "validity", "1 year"},
        {&v2, "subject", "build"},
        {&v2, "san-dns", "yes"},
        {&v2, "csps", "Microsoft RSA SChannel Cryptographic Provider"},
        {&v4, "compat", "2016"},
        {&v4, "compat-recipient", "win10"},
        {&v4, "basic-constraints", "yes"},
        {&v4, "display-name", "Settings CA"},
        {&v4, "superseded", "none"},
        {&v4, "issuance-policies", "none"},
    };
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
        char *v = template_get(st, shown[i].t, shown[i].setting);
        if (v == NULL || strcmp(v, shown[i].want) != 0)
            fail_msg("%s of %s: '%s', want '%s'", shown[i].setting, shown[i].t->display_name,
                     v ? v : "(null)", shown[i].want);
        free(v);
    }
    template_free(&v1);
    template_free(&v2);
    template_free(&v4);
}

/*
 * set(get()) of one setting on a copy of t: CC_OK and the copy unchanged
 * gives 1; refused or changed gives 0 (and the reason in *why).
 */
static int
set_back_keeps(struct store *st, const struct template *t, const char *setting, const char **why)
{
    struct template copy = {0};
    char *cause = NULL, *why_set = NULL, *before = NULL, *after = NULL;
    UNIT_OK(template_copy(&copy, t), cause);
    UNIT_OK(template_export(st, &copy, &before, &cause), cause);
    char *v = template_get(st, &copy, setting);
    assert_non_null(v);
    int rc = template_set(st, &copy, setting, v, &why_set);
    UNIT_OK(template_export(st, &copy, &after, &cause), cause);
    int same = strcmp(before, after) == 0;
    *why = rc != CC_OK ? "refused" : same ? NULL : "changed";
    if (!same || rc != CC_OK)
        print_message("# %s = '%s': %s%s%s\n", setting, v, *why, why_set ? ": " : "",
                      why_set ? why_set : "");
    free(why_set);
    free(v);
    free(before);
    free(after);
    template_free(&copy);
    return rc == CC_OK && same;
}

/* Settings whose get/set asymmetry has its own test below. */
static int
known_asymmetric(const char *setting)
{
    static const char *const names[] = {"purpose", "app-policies", "issuance-policies",
                                        "signature-app-policy", "signature-issuance-policies"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], setting) == 0)
            return 1;
    return 0;
}

/*
 * What get shows, set takes back, leaving the template as it was: on a
 * version 4 CA template every setting applies.
 */
static void
test_settings_get_set_roundtrip(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    size_t n = 0;
    const struct template_setting *s = template_settings(&n);
    struct template t = {0};
    duplicate_as_admin(st, "Subordinate Certification Authority", "Roundtrip CA", COMPAT_2016, &t);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        const char *why = NULL;
        if (!known_asymmetric(s[i].name) && !set_back_keeps(st, &t, s[i].name, &why))
            bad++;
    }
    template_free(&t);
    assert_int_equal(bad, 0);
}

/* The policy settings show "Name (OID)"; set should read that back. */
static void
test_policy_get_set_roundtrip(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    duplicate_as_admin(st, "Web Server", "Policy Roundtrip", COMPAT_2016, &t);
    UNIT_OK(template_set(st, &t, "issuance-policies", "All issuance policies", &cause), cause);
    UNIT_OK(template_set(st, &t, "signatures", "1", &cause), cause);
    UNIT_OK(template_set(st, &t, "signature-app-policy", "Certificate Request Agent", &cause),
            cause);
    static const char *const names[] = {"app-policies", "issuance-policies",
                                        "signature-app-policy"};
    size_t bad = 0;
    const char *why = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        bad += !set_back_keeps(st, &t, names[i], &why);
    template_free(&t);
    assert_int_equal(bad, 0);
}

/* Choosing the purpose a template already has must not reset its key usage. */
static void
test_purpose_same_keeps_key_usage(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    duplicate_as_admin(st, "Subordinate Certification Authority", "Purpose CA", COMPAT_2016, &t);
    unsigned ku = t.key_usage;
    assert_true(ku & CT_KU_KEY_CERT_SIGN);
    const char *why = NULL;
    int kept = set_back_keeps(st, &t, "purpose", &why);
    template_free(&t);
    assert_true(kept);
}

static void
test_set_validation(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    duplicate_as_admin(st, "Web Server", "Validation Web", COMPAT_2003, &t);
    char *before = NULL;
    UNIT_OK(template_export(st, &t, &before, &cause), cause);

    static const struct {
        const char *setting, *value, *fragment;
        int status;
    } bad[] = {
        {"validity", "bogus", "validity", CC_EINVAL},
        {"validity", "0y", "validity", CC_EINVAL},
        {"validity", "-1y", "validity", CC_EINVAL},
        {"validity", "101y", "100 years", CC_EINVAL},
        {"validity", "2 fortnights", "2y", CC_EINVAL},
        {"renewal", "", "renewal", CC_EINVAL},
        {"min-key-size", "100", "256", CC_EINVAL},
        {"min-key-size", "20000", "min-key-size", CC_EINVAL},
        {"min-key-size", "abc", "min-key-size", CC_EINVAL},
        {"min-key-size", "-2048", "min-key-size", CC_EINVAL},
        {"min-key-size", "2048bits", "min-key-size", CC_EINVAL},
        {"app-policies", "Server Authentcation", "Did you mean: Server Authentication",
         CC_ENOTFOUND},
        {"app-policies", "Server Authentication, Nonsense Policy", "Nonsense Policy", CC_ENOTFOUND},
        {"issuance-policies", "Server Authentication", "issuance", CC_ENOTFOUND},
        {"exportable", "maybe", "yes or no", CC_EINVAL},
        {"purpose", "everything", "purpose", CC_EINVAL},
        {"prompt", "always", "prompt", CC_EINVAL},
        {"subject", "invent", "supply or build", CC_EINVAL},
        {"subject-format", "upn", "subject-format", CC_EINVAL},
        {"signatures", "17", "signatures", CC_EINVAL},
        {"key-usage", "keyEncipherment,keyAgreement", "not both", CC_EINVAL},
        {"key-usage", "sign", "key usage", CC_EINVAL},
        {"path-length", "2", "CA templates", CC_EINVAL},
        {"compat", "2019", "compat", CC_EINVAL},
        {"compat-recipient", "win11", "compat-recipient", CC_EINVAL},
        {"superseded", "Validation Web", "itself", CC_EINVAL},
        {"superseded", "No Such Template", "No Such Template", CC_ENOTFOUND},
        {"display-name", " padded", "blank", CC_EINVAL},
        {"renew-same-key", "yes", "version 4", CC_EINVAL},
        {"do-not-store", "yes", "version 3", CC_EINVAL},
        {"validty", "1y", "Did you mean: validity", CC_EINVAL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = template_set(st, &t, bad[i].setting, bad[i].value, &cause);
        if (rc != bad[i].status || cause == NULL || strstr(cause, bad[i].fragment) == NULL)
            fail_msg("%s = '%s': %s '%s'", bad[i].setting, bad[i].value, cc_status_name(rc),
                     cause ? cause : "(no cause)");
        /* every message names the setting */
        if (bad[i].status == CC_EINVAL && strcmp(bad[i].setting, "validty") != 0 &&
            strncmp(cause, bad[i].setting, strlen(bad[i].setting)) != 0)
            fail_msg("cause '%s' does not start with %s", cause, bad[i].setting);
        free(cause);
        cause = NULL;
    }
    /* the draft is exactly as before every refused change */
    char *after = NULL;
    UNIT_OK(template_export(st, &t, &after, &cause), cause);
    assert_string_equal(before, after);
    free(after);

    /* and good values take */
    UNIT_OK(template_set(st, &t, "validity", "18 months", &cause), cause);
    assert_int_equal(t.validity, 18 * PERIOD_MONTH);
    UNIT_OK(template_set(st, &t, "min-key-size", "4096", &cause), cause);
    assert_int_equal(t.min_key_size, 4096);
    UNIT_OK(template_set(st, &t, "app-policies", "Server Authentication, client authentication",
                         &cause),
            cause);
    assert_int_equal(t.app_policies.n, 2);
    assert_string_equal(t.app_policies.v[1], OID_CLIENT_AUTH);
    assert_true(strlist_equal(&t.app_policies, &t.eku)); /* kept identical */
    UNIT_OK(template_set(st, &t, "exportable", "yes", &cause), cause);
    assert_true(template_exportable(&t));
    UNIT_OK(template_validate(st, &t, &cause), cause);
    free(before);
    template_free(&t);
}

static void
test_renewal_vs_validity(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    duplicate_as_admin(st, "Web Server", "Renewal Web", COMPAT_2003, &t);
    char *stored = stored_text(st, "Renewal Web");
    /* each setting alone is fine: the pair is what is wrong */
    UNIT_OK(template_set(st, &t, "validity", "1y", &cause), cause);
    UNIT_OK(template_set(st, &t, "renewal", "2y", &cause), cause);
    UNIT_FAILS(template_validate(st, &t, &cause), CC_EINVAL, cause, "renewal", "2 years", "1 year");
    unit_act_as(st, "Administrator");
    UNIT_FAILS(template_save(test_cx(st), &t, &cause), CC_EINVAL, cause, "renewal");
    UNIT_OK(template_set(st, &t, "renewal", "1y", &cause), cause); /* equal is still wrong */
    UNIT_FAILS(template_save(test_cx(st), &t, &cause), CC_EINVAL, cause, "shorter");
    char *now = stored_text(st, "Renewal Web");
    assert_string_equal(stored, now);
    free(now);
    UNIT_OK(template_set(st, &t, "renewal", "6w", &cause), cause);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    free(stored);
    template_free(&t);
}

static void
test_subject_rules(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    duplicate_as_admin(st, "Web Server", "Subject Web", COMPAT_2003, &t);
    assert_true(template_subject_supplied(&t));
    UNIT_FAILS(template_set(st, &t, "san-dns", "yes", &cause), CC_EINVAL, cause, "san-dns",
               "subject build");
    UNIT_FAILS(template_set(st, &t, "subject-format", "cn", &cause), CC_EINVAL, cause, "");
    UNIT_FAILS(template_set(st, &t, "email-in-subject", "yes", &cause), CC_EINVAL, cause, "");
    UNIT_OK(template_set(st, &t, "san-dns", "no", &cause), cause); /* "no" is always fine */
    /* the bits set behind the settings' back are caught by validate */
    t.name_flag |= CT_NAME_SUBJECT_ALT_REQUIRE_DNS;
    UNIT_FAILS(template_validate(st, &t, &cause), CC_EINVAL, cause, "subject");
    t.name_flag &= ~CT_NAME_SUBJECT_ALT_REQUIRE_DNS;

    /* switching to build picks the computer defaults, then san-dns works */
    UNIT_OK(template_set(st, &t, "subject", "build", &cause), cause);
    assert_false(template_subject_supplied(&t));
    assert_true(t.name_flag & CT_NAME_SUBJECT_REQUIRE_DNS_AS_CN);
    UNIT_OK(template_set(st, &t, "san-dns", "yes", &cause), cause);
    UNIT_FAILS(template_set(st, &t, "renewal-reuse-subject", "yes", &cause), CC_EINVAL, cause,
               "supplied");
    UNIT_OK(template_validate(st, &t, &cause), cause);
    /* and back to supply clears what was built */
    UNIT_OK(template_set(st, &t, "subject", "supply", &cause), cause);
    assert_int_equal(t.name_flag, CT_NAME_ENROLLEE_SUPPLIES_SUBJECT);
    UNIT_OK(template_validate(st, &t, &cause), cause);
    template_free(&t);
}

static void
test_compat_never_lowered(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    duplicate_as_admin(st, "Web Server", "Compat Web", COMPAT_2008, &t);
    assert_int_equal(t.schema_version, 3);
    UNIT_FAILS(template_set(st, &t, "compat", "2003", &cause), CC_EINVAL, cause, "lowered", "2008");
    UNIT_FAILS(template_set(st, &t, "compat-recipient", "xp", &cause), CC_EINVAL, cause, "lowered");
    assert_int_equal(template_compat_of(&t), COMPAT_2008);
    assert_int_equal(t.schema_version, 3);
    UNIT_OK(template_set(st, &t, "compat", "2012", &cause), cause);
    assert_int_equal(template_compat_of(&t), COMPAT_2012);
    assert_int_equal(t.schema_version, 4);
    assert_int_equal(t.private_key_flag & CT_PK_CLIENT_VERSION_MASK, 0x04000000);
    UNIT_OK(template_set(st, &t, "renew-same-key", "yes", &cause), cause); /* now allowed */
    unit_act_as(st, "Administrator");
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);

    /* lowering behind the settings' back is refused at save, and nothing is stored */
    struct template low = {0};
    UNIT_OK(template_load(st, "Compat Web", &low, &cause), cause);
    char *stored = stored_text(st, "Compat Web");
    low.private_key_flag &= ~(CT_PK_SERVER_VERSION_MASK | CT_PK_REQUIRE_SAME_KEY_RENEWAL);
    low.private_key_flag |= 0x00020000;
    UNIT_FAILS(template_save(test_cx(st), &low, &cause), CC_EINVAL, cause, "lowered");
    low.private_key_flag |= 0x00040000;
    low.schema_version = 3;
    UNIT_FAILS(template_save(test_cx(st), &low, &cause), CC_EINVAL, cause, "lowered");
    char *now = stored_text(st, "Compat Web");
    assert_string_equal(stored, now);
    free(stored);
    free(now);
    template_free(&low);
    template_free(&t);
}

static void
test_schema1_readonly(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    unit_act_as(st, "Administrator");
    UNIT_OK(template_load(st, "Web Server", &t, &cause), cause);
    char *stored = stored_text(st, "Web Server");
    UNIT_FAILS(template_set(st, &t, "validity", "1y", &cause), CC_EREADONLY, cause, "version 1",
               "duplicate");
    UNIT_FAILS(template_set(st, &t, "display-name", "Renamed", &cause), CC_EREADONLY, cause, "");
    /* attributes changed directly are refused at save */
    t.min_key_size = 4096;
    UNIT_FAILS(template_save(test_cx(st), &t, &cause), CC_EREADONLY, cause, "Security");
    char *now = stored_text(st, "Web Server");
    assert_string_equal(stored, now);
    free(now);
    t.min_key_size = 2048;

    /* Security may change */
    int64_t users = unit_principal_id(st, "Domain Users");
    int64_t audits = count_audit(st, "WebServer");
    assert_int_equal(acl_grant(&t.acl, users, "Domain Users", ACL_READ | ACL_ENROLL, 0), CC_OK);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    struct template back = {0};
    UNIT_OK(template_load(st, "Web Server", &back, &cause), cause);
    assert_int_equal(back.acl.n, 4);
    expect_ace(&back, st, "Domain Users", ACL_READ | ACL_ENROLL, 0);
    assert_int_equal(back.flags, 0x10241); /* still a built-in, not marked modified */
    assert_int_equal(back.schema_version, 1);
    assert_int_equal(back.min_key_size, 2048);
    assert_int_equal(count_audit(st, "WebServer"), audits + 1);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE object = 'WebServer' "
                                    "AND field = 'security:Domain Users' "
                                    "AND old_value IS NULL AND new_value = 'allow Read,Enroll'"),
                     1);
    template_free(&back);

    /* and back as it was, so the lab stays the lab */
    assert_int_equal(acl_revoke(&t.acl, users, ACL_ALL), CC_OK);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    UNIT_OK(template_load(st, "Web Server", &back, &cause), cause);
    assert_int_equal(back.acl.n, 3);
    assert_null(acl_find(&back.acl, users));
    template_free(&back);
    free(stored);
    template_free(&t);
}

static void
test_save_bumps_minor_and_audits(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    duplicate_as_admin(st, "Web Server", "Audited Web", COMPAT_2003, &t);
    unit_act_as(st, "Administrator");
    int64_t audits = count_audit(st, "AuditedWeb");

    /* nothing changed: nothing saved, nothing audited */
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    assert_int_equal(t.minor_revision, 0);
    assert_int_equal(t.change_count, 0);
    assert_int_equal(count_audit(st, "AuditedWeb"), audits);

    test_clock_set(fx->now + 600);
    UNIT_OK(template_set(st, &t, "validity", "1y", &cause), cause);
    UNIT_OK(template_set(st, &t, "min-key-size", "4096", &cause), cause);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    assert_int_equal(t.revision, 100);
    assert_int_equal(t.minor_revision, 1);
    assert_int_equal(t.change_count, 1);
    assert_int_equal(t.modified, fx->now + 600);
    /* exactly one row per changed field; the minor revision is not one of them */
    assert_int_equal(count_audit(st, "AuditedWeb"), audits + 2);
    struct audit_entry *log = NULL;
    size_t n = 0;
    UNIT_OK(audit_list(st, "AuditedWeb", 2, &log, &n, &cause), cause);
    assert_int_equal(n, 2);
    int saw_validity = 0, saw_key = 0;
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(log[i].actor, "CONTOSO\\Administrator");
        assert_string_equal(log[i].kind, "template");
        assert_int_equal(log[i].at, fx->now + 600);
        if (strcmp(log[i].field, "validity") == 0) {
            assert_string_equal(log[i].old_value, "2 years");
            assert_string_equal(log[i].new_value, "1 year");
            saw_validity = 1;
        } else if (strcmp(log[i].field, "min_key_size") == 0) {
            assert_string_equal(log[i].old_value, "2048");
            assert_string_equal(log[i].new_value, "4096");
            saw_key = 1;
        }
    }
    assert_true(saw_validity && saw_key);
    audit_list_free(log, n);

    /* stored as saved */
    struct template back = {0};
    UNIT_OK(template_load(st, "Audited Web", &back, &cause), cause);
    assert_int_equal(back.minor_revision, 1);
    assert_int_equal(back.validity, PERIOD_YEAR);
    assert_int_equal(back.min_key_size, 4096);
    assert_int_equal(back.change_count, 1);
    template_free(&back);

    /* a second save: minor 2; an ACL change is audited as security:NAME */
    int64_t users = unit_principal_id(st, "Domain Users");
    assert_int_equal(acl_grant(&t.acl, users, "Domain Users", ACL_ENROLL, 0), CC_OK);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    assert_int_equal(t.minor_revision, 2);
    assert_int_equal(count_audit(st, "AuditedWeb"), audits + 3);
    UNIT_OK(audit_list(st, "AuditedWeb", 1, &log, &n, &cause), cause);
    assert_string_equal(log[0].field, "security:Domain Users");
    assert_null(log[0].old_value);
    assert_string_equal(log[0].new_value, "allow Enroll");
    audit_list_free(log, n);
    /* and removing the entry is audited with its old value */
    assert_int_equal(acl_revoke(&t.acl, users, ACL_ALL), CC_OK);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    UNIT_OK(audit_list(st, "AuditedWeb", 1, &log, &n, &cause), cause);
    assert_string_equal(log[0].field, "security:Domain Users");
    assert_string_equal(log[0].old_value, "allow Enroll");
    assert_null(log[0].new_value);
    audit_list_free(log, n);
    assert_int_equal(t.minor_revision, 3);
    template_free(&t);
}

static void
test_save_needs_write(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    duplicate_as_admin(st, "Web Server", "Guarded Web", COMPAT_2003, &t);
    template_free(&t);
    unit_add_user(st, "reader"); /* Domain Users only */
    char *stored = stored_text(st, "Guarded Web");
    int64_t audits = unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'");

    unit_act_as(st, "reader");
    UNIT_OK(template_load(st, "Guarded Web", &t, &cause), cause);
    UNIT_OK(template_set(st, &t, "validity", "5y", &cause), cause);
    UNIT_FAILS(template_save(test_cx(st), &t, &cause), CC_EACCES, cause, "CONTOSO\\reader",
               "Write");
    /* nor may he give himself the right */
    template_free(&t);
    UNIT_OK(template_load(st, "Guarded Web", &t, &cause), cause);
    assert_int_equal(acl_grant(&t.acl, unit_principal_id(st, "reader"), "reader", ACL_ALL, 0),
                     CC_OK);
    UNIT_FAILS(template_save(test_cx(st), &t, &cause), CC_EACCES, cause, "Write");
    UNIT_FAILS(template_reenroll_all(test_cx(st), "Guarded Web", &cause), CC_EACCES, cause,
               "Write");
    UNIT_FAILS(template_delete(test_cx(st), "Guarded Web", &cause), CC_EACCES, cause, "");
    template_free(&t);
    char *now = stored_text(st, "Guarded Web");
    assert_string_equal(stored, now);
    free(now);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'"), audits);

    /* once an administrator grants Domain Users Write, he may */
    unit_act_as(st, "Administrator");
    UNIT_OK(template_load(st, "Guarded Web", &t, &cause), cause);
    assert_int_equal(
        acl_grant(&t.acl, unit_principal_id(st, "Domain Users"), "Domain Users", ACL_WRITE, 0),
        CC_OK);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    template_free(&t);
    unit_act_as(st, "reader");
    UNIT_OK(template_load(st, "Guarded Web", &t, &cause), cause);
    UNIT_OK(template_set(st, &t, "validity", "3y", &cause), cause);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    template_free(&t);
    UNIT_OK(template_load(st, "Guarded Web", &t, &cause), cause);
    assert_int_equal(t.validity, 3 * PERIOD_YEAR);
    template_free(&t);
    free(stored);
}

static void
test_save_conflict(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0}, a = {0}, b = {0};
    char *cause = NULL;
    duplicate_as_admin(st, "Web Server", "Contested Web", COMPAT_2003, &t);
    template_free(&t);
    unit_act_as(st, "Administrator");
    UNIT_OK(template_load(st, "Contested Web", &a, &cause), cause);
    UNIT_OK(template_load(st, "Contested Web", &b, &cause), cause);
    UNIT_OK(template_set(st, &a, "validity", "1y", &cause), cause);
    UNIT_OK(template_save(test_cx(st), &a, &cause), cause);
    char *stored = stored_text(st, "Contested Web");
    int64_t audits = count_audit(st, "ContestedWeb");
    UNIT_OK(template_set(st, &b, "validity", "3y", &cause), cause);
    UNIT_OK(template_set(st, &b, "min-key-size", "4096", &cause), cause);
    UNIT_FAILS(template_save(test_cx(st), &b, &cause), CC_ECONFLICT, cause, "Contested Web",
               "100.1", "not saved");
    char *now = stored_text(st, "Contested Web");
    assert_string_equal(stored, now);
    free(now);
    assert_int_equal(count_audit(st, "ContestedWeb"), audits);
    UNIT_OK(template_load(st, "Contested Web", &t, &cause), cause);
    assert_int_equal(t.validity, PERIOD_YEAR); /* the first save's value */
    assert_int_equal(t.min_key_size, 2048);
    template_free(&t);
    /* reloading gives a draft that saves */
    template_free(&b);
    UNIT_OK(template_load(st, "Contested Web", &b, &cause), cause);
    UNIT_OK(template_set(st, &b, "validity", "3y", &cause), cause);
    UNIT_OK(template_save(test_cx(st), &b, &cause), cause);
    assert_int_equal(b.minor_revision, 2);
    /* Reenroll All counts as a change too */
    UNIT_OK(template_reenroll_all(test_cx(st), "Contested Web", &cause), cause);
    UNIT_OK(template_set(st, &b, "validity", "4y", &cause), cause);
    UNIT_FAILS(template_save(test_cx(st), &b, &cause), CC_ECONFLICT, cause, "");
    free(stored);
    template_free(&a);
    template_free(&b);
}

/*
 * template_save_edit: two editors open a template; edits of different
 * settings (and of different permission entries) both land, the same
 * setting changed to the same value is no conflict, and the same setting
 * changed differently is refused with a message naming it, saving nothing.
 */
static void
test_save_edit_merge(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0}, base_a = {0}, a = {0}, base_b = {0}, b = {0};
    char *cause = NULL;
    duplicate_as_admin(st, "Web Server", "Shared Web", COMPAT_2003, &t);
    template_free(&t);
    unit_act_as(st, "Administrator");
    UNIT_OK(template_load(st, "Shared Web", &base_a, &cause), cause);
    UNIT_OK(template_load(st, "Shared Web", &base_b, &cause), cause);
    UNIT_OK(template_copy(&a, &base_a), cause);
    UNIT_OK(template_copy(&b, &base_b), cause);
    UNIT_OK(template_set(st, &a, "validity", "1y", &cause), cause);
    UNIT_OK(template_set(st, &a, "exportable", "yes", &cause), cause);
    UNIT_OK(template_save_edit(test_cx(st), &base_a, &a, &cause), cause);
    UNIT_OK(template_set(st, &b, "min-key-size", "4096", &cause), cause);
    UNIT_OK(template_set(st, &b, "approval", "yes", &cause), cause);
    struct dir_principal p = {0};
    UNIT_OK(dir_lookup(st, "Domain Computers", &p, &cause), cause);
    UNIT_OK(acl_grant(&b.acl, p.id, p.name, ACL_READ | ACL_ENROLL, 0), cause);
    UNIT_OK(template_save_edit(test_cx(st), &base_b, &b, &cause), cause);
    /* both editors' settings are stored, and b now holds the merged template */
    UNIT_OK(template_load(st, "Shared Web", &t, &cause), cause);
    assert_int_equal(t.validity, PERIOD_YEAR);
    assert_true(t.private_key_flag & CT_PK_EXPORTABLE_KEY);
    assert_int_equal(t.min_key_size, 4096);
    assert_true(t.enrollment_flag & CT_ENROLL_PEND_ALL_REQUESTS);
    assert_non_null(acl_find(&t.acl, p.id));
    assert_int_equal(t.minor_revision, 2);
    assert_int_equal(b.change_count, t.change_count);
    assert_int_equal(b.validity, PERIOD_YEAR);
    template_free(&t);

    /* the same setting to the same value: no conflict */
    template_free(&base_a);
    template_free(&a);
    template_free(&base_b);
    template_free(&b);
    UNIT_OK(template_load(st, "Shared Web", &base_a, &cause), cause);
    UNIT_OK(template_copy(&base_b, &base_a), cause);
    UNIT_OK(template_copy(&a, &base_a), cause);
    UNIT_OK(template_copy(&b, &base_a), cause);
    UNIT_OK(template_set(st, &a, "validity", "2y", &cause), cause);
    UNIT_OK(template_save_edit(test_cx(st), &base_a, &a, &cause), cause);
    UNIT_OK(template_set(st, &b, "validity", "2y", &cause), cause);
    UNIT_OK(template_save_edit(test_cx(st), &base_b, &b, &cause), cause);

    /* the same setting to different values: refused, naming it, nothing saved */
    template_free(&base_a);
    template_free(&a);
    template_free(&base_b);
    template_free(&b);
    UNIT_OK(template_load(st, "Shared Web", &base_a, &cause), cause);
    UNIT_OK(template_copy(&base_b, &base_a), cause);
    UNIT_OK(template_copy(&a, &base_a), cause);
    UNIT_OK(template_copy(&b, &base_a), cause);
    UNIT_OK(template_set(st, &a, "min-key-size", "3072", &cause), cause);
    UNIT_OK(template_save_edit(test_cx(st), &base_a, &a, &cause), cause);
    char *stored = stored_text(st, "Shared Web");
    UNIT_OK(template_set(st, &b, "min-key-size", "2048", &cause), cause);
    UNIT_OK(template_set(st, &b, "validity", "3y", &cause), cause);
    UNIT_FAILS(template_save_edit(test_cx(st), &base_b, &b, &cause), CC_ECONFLICT, cause,
               "Shared Web", "'min-key-size'", "not saved");
    char *now = stored_text(st, "Shared Web");
    assert_string_equal(stored, now);
    free(now);
    free(stored);
    /* one permission entry changed differently by both: named as security:NAME */
    template_free(&base_a);
    template_free(&a);
    template_free(&base_b);
    template_free(&b);
    UNIT_OK(template_load(st, "Shared Web", &base_a, &cause), cause);
    UNIT_OK(template_copy(&base_b, &base_a), cause);
    UNIT_OK(template_copy(&a, &base_a), cause);
    UNIT_OK(template_copy(&b, &base_a), cause);
    UNIT_OK(acl_set(&a.acl, p.id, p.name, ACL_READ, 0), cause);
    UNIT_OK(template_save_edit(test_cx(st), &base_a, &a, &cause), cause);
    UNIT_OK(acl_set(&b.acl, p.id, p.name, ACL_READ | ACL_ENROLL | ACL_AUTOENROLL, 0), cause);
    UNIT_FAILS(template_save_edit(test_cx(st), &base_b, &b, &cause), CC_ECONFLICT, cause,
               "security:");
    dir_principal_free(&p);
    template_free(&base_a);
    template_free(&a);
    template_free(&base_b);
    template_free(&b);
}

static void
test_save_name_rules(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    duplicate_as_admin(st, "Web Server", "Renamable Web", COMPAT_2003, &t);
    unit_act_as(st, "Administrator");
    char *stored = stored_text(st, "Renamable Web");
    UNIT_OK(template_set(st, &t, "display-name", "Workstation Authentication", &cause), cause);
    UNIT_FAILS(template_save(test_cx(st), &t, &cause), CC_EEXIST, cause,
               "Workstation Authentication");
    template_free(&t);
    UNIT_OK(template_load(st, "Renamable Web", &t, &cause), cause);
    free(t.cn);
    t.cn = cc_strdup("NewCn");
    UNIT_FAILS(template_save(test_cx(st), &t, &cause), CC_EREADONLY, cause, "name and OID");
    template_free(&t);
    UNIT_OK(template_load(st, "Renamable Web", &t, &cause), cause);
    free(t.oid);
    t.oid = cc_strdup(FOREST ".77.77");
    UNIT_FAILS(template_save(test_cx(st), &t, &cause), CC_EREADONLY, cause, "name and OID");
    char *now = stored_text(st, "Renamable Web");
    assert_string_equal(stored, now);
    free(now);
    template_free(&t);
    /* a free display name is fine; the template name stays */
    UNIT_OK(template_load(st, "Renamable Web", &t, &cause), cause);
    UNIT_OK(template_set(st, &t, "display-name", "Renamed Web", &cause), cause);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    template_free(&t);
    UNIT_OK(template_load(st, "Renamed Web", &t, &cause), cause);
    assert_string_equal(t.cn, "RenamableWeb");
    template_free(&t);
    UNIT_FAILS(template_load(st, "Renamable Web", &t, &cause), CC_ENOTFOUND, cause, "");
    /* a template never loaded from the store cannot be saved */
    struct template fresh = {0};
    UNIT_FAILS(template_save(test_cx(st), &fresh, &cause), CC_ESTATE, cause, "");
    free(stored);
}

static void
test_reenroll_all(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    duplicate_as_admin(st, "Workstation Authentication", "Reenroll Workstation", COMPAT_2003, &t);
    unit_act_as(st, "Administrator");
    UNIT_OK(template_set(st, &t, "validity", "2y", &cause), cause);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    assert_int_equal(t.minor_revision, 1);
    UNIT_OK(template_reenroll_all(test_cx(st), "Reenroll Workstation", &cause), cause);
    template_free(&t);
    UNIT_OK(template_load(st, "Reenroll Workstation", &t, &cause), cause);
    assert_int_equal(t.revision, 101);
    assert_int_equal(t.minor_revision, 0);
    assert_int_equal(t.validity, 2 * PERIOD_YEAR); /* nothing else moves */
    struct audit_entry *log = NULL;
    size_t n = 0;
    UNIT_OK(audit_list(st, "ReenrollWorkstation", 1, &log, &n, &cause), cause);
    assert_string_equal(log[0].field, "revision");
    assert_string_equal(log[0].old_value, "100.1");
    assert_string_equal(log[0].new_value, "101.0");
    audit_list_free(log, n);
    UNIT_OK(template_reenroll_all(test_cx(st), "ReenrollWorkstation", &cause), cause);
    template_free(&t);
    UNIT_OK(template_load(st, "Reenroll Workstation", &t, &cause), cause);
    assert_int_equal(t.revision, 102);
    template_free(&t);

    /* schema 1 has no version to raise */
    char *stored = stored_text(st, "Web Server");
    UNIT_FAILS(template_reenroll_all(test_cx(st), "Web Server", &cause), CC_EREADONLY, cause,
               "version 1");
    char *now = stored_text(st, "Web Server");
    assert_string_equal(stored, now);
    free(stored);
    free(now);
    UNIT_FAILS(template_reenroll_all(test_cx(st), "Nothing Here", &cause), CC_ENOTFOUND, cause, "");
}

static void
test_delete(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0};
    char *cause = NULL;
    unit_act_as(st, "Administrator");
    int64_t before = count_templates(st);
    UNIT_FAILS(template_delete(test_cx(st), "Web Server", &cause), CC_EREADONLY, cause, "built-in");
    UNIT_FAILS(template_delete(test_cx(st), "Workstation", &cause), CC_EREADONLY, cause,
               "built-in");
    assert_int_equal(count_templates(st), before);

    duplicate_as_admin(st, "Web Server", "Doomed Web", COMPAT_2003, &t);
    int64_t id = t.id;
    template_free(&t);
    char *sql =
        cc_asprintf("SELECT count(*) FROM template_ace WHERE template_id = %lld", (long long)id);
    assert_true(unit_count(st, sql) > 0);
    UNIT_OK(template_delete(test_cx(st), "doomed web", &cause), cause);
    assert_int_equal(count_templates(st), before);
    assert_int_equal(unit_count(st, sql), 0); /* its ACL went with it */
    free(sql);
    UNIT_FAILS(template_load(st, "Doomed Web", &t, &cause), CC_ENOTFOUND, cause, "");
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE object = 'DoomedWeb' AND "
                                    "field = 'delete' AND old_value = 'Doomed Web'"),
                     1);
    UNIT_FAILS(template_delete(test_cx(st), "Doomed Web", &cause), CC_ENOTFOUND, cause, "");

    /* Write on the template is not enough without Domain/Enterprise Admins */
    duplicate_as_admin(st, "Web Server", "Kept Web", COMPAT_2003, &t);
    assert_int_equal(acl_grant(&t.acl, unit_principal_id(st, "Domain Users"), "Domain Users",
                               ACL_READ | ACL_WRITE, 0),
                     CC_OK);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    template_free(&t);
    unit_add_user(st, "writer");
    unit_act_as(st, "writer");
    UNIT_FAILS(template_delete(test_cx(st), "Kept Web", &cause), CC_EACCES, cause, "writer");
    UNIT_OK(template_load(st, "Kept Web", &t, &cause), cause);
    template_free(&t);
}

/* Writes text to a file in the scratch directory; returns the allocated path. */
static char *
scratch_file(struct unit_fx *fx, const char *name, const char *text)
{
    char *path = cc_asprintf("%s/%s", fx->dir, name);
    assert_non_null(path);
    unit_write_file(path, text);
    return path;
}

static void
test_export_import_renamed(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0}, in = {0};
    char *cause = NULL;
    duplicate_as_admin(st, "Workstation Authentication", "Export Source", COMPAT_2008, &t);
    unit_act_as(st, "Administrator");
    UNIT_OK(template_set(st, &t, "validity", "18m", &cause), cause);
    UNIT_OK(template_set(st, &t, "app-policies", "Client Authentication, Server Authentication",
                         &cause),
            cause);
    UNIT_OK(template_set(st, &t, "approval", "yes", &cause), cause);
    UNIT_OK(template_set(st, &t, "issuance-policies", "All issuance policies", &cause), cause);
    assert_int_equal(acl_grant(&t.acl, unit_principal_id(st, "Domain Computers"),
                               "Domain Computers", ACL_ENROLL | ACL_AUTOENROLL, ACL_WRITE),
                     CC_OK);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    char *text1 = NULL;
    UNIT_OK(template_export(st, &t, &text1, &cause), cause);
    assert_non_null(strstr(text1, "display_name = \"Export Source\""));

    /* a copy under new names and a new OID */
    char *new_oid = NULL;
    UNIT_OK(oid_new_under_forest(st, &new_oid, &cause), cause);
    char *s1 = unit_replace(text1, "\"Export Source\"", "\"Export Copy\"");
    char *s2 = unit_replace(s1, "\"ExportSource\"", "\"ExportCopy\"");
    char *s3 = unit_replace(s2, t.oid, new_oid);
    char *expected = unit_replace(s3, "Export Source (ExportSource)", "Export Copy (ExportCopy)");
    assert_string_not_equal(expected, text1);
    char *path = scratch_file(fx, "export-copy.conf", expected);
    int64_t before = count_templates(st);
    UNIT_OK(template_import(test_cx(st), path, &in, &cause), cause);
    assert_int_equal(count_templates(st), before + 1);
    assert_string_equal(in.cn, "ExportCopy");
    assert_string_equal(in.oid, new_oid);
    assert_int_equal(in.change_count, 0);
    char *text2 = NULL;
    UNIT_OK(template_export(st, &in, &text2, &cause), cause);
    assert_string_equal(text2, expected);
    /* and from the store, not only the returned copy */
    char *text3 = stored_text(st, "Export Copy");
    assert_string_equal(text3, expected);
    /* the original is untouched */
    char *orig = stored_text(st, "Export Source");
    assert_string_equal(orig, text1);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE object = 'ExportCopy' "
                                    "AND field = 'import'"),
                     1);
    free(orig);
    free(text3);
    free(text2);
    free(path);
    free(expected);
    free(s3);
    free(s2);
    free(s1);
    free(new_oid);
    free(text1);
    template_free(&in);
    template_free(&t);
}

static void
test_export_import_after_delete(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0}, in = {0};
    char *cause = NULL;
    duplicate_as_admin(st, "Subordinate Certification Authority", "Moving CA", COMPAT_2012, &t);
    unit_act_as(st, "Administrator");
    UNIT_OK(template_set(st, &t, "path-length", "1", &cause), cause);
    UNIT_OK(template_set(st, &t, "key-usage", "digitalSignature,keyCertSign,cRLSign", &cause),
            cause);
    UNIT_OK(template_set(st, &t, "superseded", "Web Server", &cause), cause);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    UNIT_OK(template_reenroll_all(test_cx(st), "Moving CA", &cause), cause);
    template_free(&t);
    UNIT_OK(template_load(st, "Moving CA", &t, &cause), cause);
    char *text1 = NULL;
    UNIT_OK(template_export(st, &t, &text1, &cause), cause);
    char *path = scratch_file(fx, "moving-ca.conf", text1);

    UNIT_OK(template_delete(test_cx(st), "Moving CA", &cause), cause);
    UNIT_OK(template_import(test_cx(st), path, &in, &cause), cause);
    char *text2 = NULL;
    UNIT_OK(template_export(st, &in, &text2, &cause), cause);
    assert_string_equal(text2, text1);
    /* the values themselves, not only their text */
    assert_int_equal(in.revision, 101);
    assert_int_equal(in.minor_revision, 0);
    assert_int_equal(in.max_issuing_depth, 1);
    assert_int_equal(in.schema_version, 4);
    assert_string_equal(in.oid, t.oid);
    assert_true(acl_equal(&in.acl, &t.acl));
    expect_list(&in.supersede, "WebServer");
    free(text2);
    free(text1);
    free(path);
    template_free(&in);
    template_free(&t);
}

static void
test_export_import_builtin(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template t = {0}, in = {0};
    char *cause = NULL;
    unit_act_as(st, "Administrator");
    UNIT_OK(template_load(st, "Web Server", &t, &cause), cause);
    char *text1 = NULL;
    UNIT_OK(template_export(st, &t, &text1, &cause), cause);
    assert_non_null(strstr(text1, "flags = 0x10241L"));
    char *s1 = unit_replace(text1, "Web Server", "Imported Web");
    char *s2 = unit_replace(s1, "\"WebServer\"", "\"ImportedWeb\"");
    char *s3 = unit_replace(s2, "(WebServer)", "(ImportedWeb)");
    char *s4 = unit_replace(s3, FOREST ".1.16\"", FOREST ".99.16\"");
    char *path = scratch_file(fx, "imported-web.conf", s4);
    UNIT_OK(template_import(test_cx(st), path, &in, &cause), cause);
    /* an import is never a built-in: IS_DEFAULT is the one expected difference */
    assert_false(template_is_builtin(&in));
    assert_int_equal(in.flags, 0x241);
    char *expected = unit_replace(s4, "flags = 0x10241L", "flags = 0x241L");
    char *text2 = NULL;
    UNIT_OK(template_export(st, &in, &text2, &cause), cause);
    assert_string_equal(text2, expected);
    /* still schema 1: only Security may change; but it may be deleted */
    UNIT_FAILS(template_set(st, &in, "validity", "1y", &cause), CC_EREADONLY, cause, "");
    UNIT_OK(template_delete(test_cx(st), "Imported Web", &cause), cause);
    free(text2);
    free(expected);
    free(path);
    free(s4);
    free(s3);
    free(s2);
    free(s1);
    free(text1);
    template_free(&in);
    template_free(&t);
}

static const char good_file[] =
    "# a small valid template\n"
    "template:\n"
    "{\n"
    "  name = \"Handmade\";\n"
    "  display_name = \"Handmade Template\";\n"
    "  oid = \"" FOREST ".4242.1\";\n"
    "  schema = 2;\n"
    "  revision = 100;\n"
    "  validity = \"1y\";\n"
    "  renewal = \"6w\";\n"
    "  eku = [ \"1.3.6.1.5.5.7.3.2\" ];\n"
    "  app_policies = [ \"1.3.6.1.5.5.7.3.2\" ];\n"
    "  security = (\n"
    "    { principal = \"CONTOSO\\\\Domain Admins\"; allow = \"Read,Write,Enroll\"; },\n"
    "    { principal = \"NT AUTHORITY\\\\Authenticated Users\"; allow = \"Read\"; },\n"
    "    { principal = \"%s\"; allow = \"Read,Enroll\"; }\n"
    "  );\n"
    "};\n";

static void
test_import_errors(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct template in = {0};
    char *cause = NULL;
    unit_act_as(st, "Administrator");
    int64_t templates = count_templates(st);
    int64_t audits = unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'");
    int64_t aces = unit_count(st, "SELECT count(*) FROM template_ace");

    /* a syntax error: the file and the line */
    char *path = scratch_file(fx, "syntax.conf",
                              "template:\n{\n  name = \"Broken\";\n  display_name = ;\n};\n");
    char *want = cc_asprintf("%s:4:", path);
    UNIT_FAILS(template_import(test_cx(st), path, &in, &cause), CC_EPARSE, cause, want);
    free(want);
    free(path);

    /* a bad value: its line */
    path = scratch_file(fx, "period.conf",
                        "template:\n{\n  name = \"BadPeriod\";\n  display_name = \"Bad "
                        "Period\";\n  oid = \"1.2.3.4\";\n  schema = 2;\n"
                        "  validity = \"2 fortnights\";\n  renewal = \"6w\";\n};\n");
    want = cc_asprintf("%s:7:", path);
    UNIT_FAILS(template_import(test_cx(st), path, &in, &cause), CC_EPARSE, cause, want, "validity");
    free(want);
    free(path);

    /* a required key missing */
    path = scratch_file(fx, "nooid.conf",
                        "template:\n{\n  name = \"NoOid\";\n  display_name = \"No Oid\";\n"
                        "  schema = 2;\n  validity = \"1y\";\n  renewal = \"6w\";\n};\n");
    UNIT_FAILS(template_import(test_cx(st), path, &in, &cause), CC_EPARSE, cause, path, "'oid'");
    free(path);

    /* no template group at all; no file at all */
    path = scratch_file(fx, "empty.conf", "# nothing here\n");
    UNIT_FAILS(template_import(test_cx(st), path, &in, &cause), CC_EPARSE, cause, "no 'template'");
    free(path);
    path = cc_asprintf("%s/missing.conf", fx->dir);
    UNIT_FAILS(template_import(test_cx(st), path, &in, &cause), CC_EIO, cause, path);
    free(path);

    /* an unknown principal: found, reported at its line, nothing imported */
    char *text = cc_asprintf(good_file, "CONTOSO\\\\nobody");
    path = scratch_file(fx, "unknown-principal.conf", text);
    free(text);
    want = cc_asprintf("%s:16:", path);
    UNIT_FAILS(template_import(test_cx(st), path, &in, &cause), CC_ENOTFOUND, cause, want,
               "nobody");
    free(want);
    free(path);
    UNIT_FAILS(template_load(st, "Handmade Template", &in, &cause), CC_ENOTFOUND, cause, "");

    assert_int_equal(count_templates(st), templates);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'"), audits);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM template_ace"), aces);
    assert_int_equal(in.id, 0);

    /* the same file with a known principal imports */
    text = cc_asprintf(good_file, "Domain Computers");
    path = scratch_file(fx, "handmade.conf", text);
    free(text);
    UNIT_OK(template_import(test_cx(st), path, &in, &cause), cause);
    assert_string_equal(in.cn, "Handmade");
    assert_int_equal(in.min_key_size, 2048); /* defaults for what the file leaves out */
    assert_int_equal(in.key_spec, 1);
    assert_int_equal(in.max_issuing_depth, -1);
    expect_ace(&in, st, "Domain Computers", ACL_READ | ACL_ENROLL, 0);
    template_free(&in);
    /* twice: the name is taken */
    UNIT_FAILS(template_import(test_cx(st), path, &in, &cause), CC_EEXIST, cause, "Handmade");
    /* and only administrators import */
    unit_add_user(st, "importer");
    unit_act_as(st, "importer");
    UNIT_FAILS(template_import(test_cx(st), path, &in, &cause), CC_EACCES, cause, "importer");
    free(path);
    assert_int_equal(count_templates(st), templates + 1);
}

static void
test_periods(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int64_t secs;
    } good[] = {
        {"2y", 2 * PERIOD_YEAR},     {"1 year", PERIOD_YEAR},        {"6 weeks", 6 * PERIOD_WEEK},
        {"6w", 6 * PERIOD_WEEK},     {"90d", 90 * PERIOD_DAY},       {"12h", 12 * PERIOD_HOUR},
        {"6m", 6 * PERIOD_MONTH},    {"3 Months", 3 * PERIOD_MONTH}, {" 5 days ", 5 * PERIOD_DAY},
        {"100y", 100 * PERIOD_YEAR},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        int64_t secs = 0;
        char *cause = NULL;
        UNIT_OK(template_period_parse(good[i].text, &secs, &cause), cause);
        if (secs != good[i].secs)
            fail_msg("'%s' is %lld s", good[i].text, (long long)secs);
    }
    static const char *const bad[] = {"",     "y",    "2",   "2 eons",    "0d",          "-1y",
                                      "1.5y", "101y", "2yy", "two years", "99999999999d"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t secs = 77;
        char *cause = NULL;
        if (template_period_parse(bad[i], &secs, &cause) != CC_EINVAL)
            fail_msg("'%s' was accepted", bad[i]);
        assert_int_equal(secs, 77);
        assert_non_null(cause);
        free(cause);
    }
    static const struct {
        int64_t secs;
        const char *text;
    } shown[] = {
        {2 * PERIOD_YEAR, "2 years"}, {PERIOD_YEAR, "1 year"},       {6 * PERIOD_WEEK, "6 weeks"},
        {PERIOD_WEEK, "1 week"},      {90 * PERIOD_DAY, "3 months"}, {5 * PERIOD_DAY, "5 days"},
        {PERIOD_HOUR, "1 hour"},      {14 * PERIOD_DAY, "2 weeks"},  {61, "61 seconds"},
    };
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
        char *s = template_period_format(shown[i].secs);
        assert_string_equal(s, shown[i].text);
        free(s);
    }
}

static void
test_compat_names(void **state)
{
    (void)state;
    static const char *const names[] = {"2003", "2008", "2008r2", "2012", "2012r2", "2016"};
    for (int i = 0; i < 6; i++) {
        enum template_compat c = COMPAT_NONE;
        char *cause = NULL;
        UNIT_OK(template_compat_parse(names[i], &c, &cause), cause);
        assert_int_equal(c, COMPAT_2003 + i);
        assert_string_equal(template_compat_name(c), names[i]);
    }
    enum template_compat c = COMPAT_2003;
    char *cause = NULL;
    UNIT_OK(template_compat_parse("2012R2", &c, &cause), cause);
    assert_int_equal(c, COMPAT_2012R2);
    UNIT_FAILS(template_compat_parse("none", &c, &cause), CC_EINVAL, cause, "'none'");
    UNIT_FAILS(template_compat_parse("2000", &c, &cause), CC_EINVAL, cause, "2016");
    assert_int_equal(c, COMPAT_2012R2);
    assert_string_equal(template_compat_name(COMPAT_NONE), "none");
    assert_string_equal(template_compat_name((enum template_compat)42), "?");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_builtins_load, test_setup),
        cmocka_unit_test_setup(test_builtin_webserver, test_setup),
        cmocka_unit_test_setup(test_builtin_workstation, test_setup),
        cmocka_unit_test_setup(test_load_names, test_setup),
        cmocka_unit_test_setup(test_duplicate_2003, test_setup),
        cmocka_unit_test_setup(test_duplicate_levels, test_setup),
        cmocka_unit_test_setup(test_duplicate_acl_carries_source_principals, test_setup),
        cmocka_unit_test_setup(test_duplicate_draft, test_setup),
        cmocka_unit_test_setup(test_duplicate_refused, test_setup),
        cmocka_unit_test_setup(test_settings_readable, test_setup),
        cmocka_unit_test_setup(test_settings_get_set_roundtrip, test_setup),
        cmocka_unit_test_setup(test_policy_get_set_roundtrip, test_setup),
        cmocka_unit_test_setup(test_purpose_same_keeps_key_usage, test_setup),
        cmocka_unit_test_setup(test_set_validation, test_setup),
        cmocka_unit_test_setup(test_renewal_vs_validity, test_setup),
        cmocka_unit_test_setup(test_subject_rules, test_setup),
        cmocka_unit_test_setup(test_compat_never_lowered, test_setup),
        cmocka_unit_test_setup(test_schema1_readonly, test_setup),
        cmocka_unit_test_setup(test_save_bumps_minor_and_audits, test_setup),
        cmocka_unit_test_setup(test_save_needs_write, test_setup),
        cmocka_unit_test_setup(test_save_conflict, test_setup),
        cmocka_unit_test_setup(test_save_edit_merge, test_setup),
        cmocka_unit_test_setup(test_save_name_rules, test_setup),
        cmocka_unit_test_setup(test_reenroll_all, test_setup),
        cmocka_unit_test_setup(test_delete, test_setup),
        cmocka_unit_test_setup(test_export_import_renamed, test_setup),
        cmocka_unit_test_setup(test_export_import_after_delete, test_setup),
        cmocka_unit_test_setup(test_export_import_builtin, test_setup),
        cmocka_unit_test_setup(test_import_errors, test_setup),
        cmocka_unit_test_setup(test_periods, test_setup),
        cmocka_unit_test_setup(test_compat_names, test_setup),
    };
    return cmocka_run_group_tests_name("template", tests, group_setup, unit_group_teardown);
}
