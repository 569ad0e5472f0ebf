/*
 * The template operations through ops_call, against the contoso lab and its
 * enterprise CA: the family's part of the table is whole and well named; a
 * plain user is refused every changing operation (CC_EACCES, the refusal
 * audited) and nothing changes; an administrator duplicates, sets, edits
 * the ACL, saves a draft beside another's save, reenrolls, exports and
 * imports, adds a policy OID, enables and disables on the CA and deletes;
 * an operation that fails after it changed something (the second of two
 * templates to enable, an ACL change naming nobody) leaves nothing behind.
 */
#include "config.h"

#include "ops.h"
#include "template.h"
#include "unit.h"

static int
group_setup(void **state)
{
    return unit_group_setup_ca(state, "ops_template", "opsplain");
}

static int
test_setup(void **state)
{
    struct unit_fx *fx = *state;
    test_act_id(fx->st, 0, NULL);
    test_clock_set(fx->now);
    return 0;
}

/* The stored template as export text (through template.export): equal texts, nothing changed. */
static char *
stored_text(struct store *st, const char *name)
{
    char *cause = NULL;
    struct ops_template_name a = {name};
    struct ops_template_text r = {0};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_EXPORT, &a, &r, &cause), cause);
    return r.text;
}

static int64_t
refusals(struct store *st)
{
    return unit_count(st, "SELECT count(*) FROM audit WHERE result = 'refused'");
}

static int
ca_issues(struct store *st, const char *cn)
{
    char *sql = cc_asprintf("SELECT count(*) FROM ca_template WHERE cn = '%s'", cn);
    int64_t n = unit_count(st, sql);
    free(sql);
    return n > 0;
}

/* Administrator duplicates src as name (2008 compatibility) through template.duplicate. */
static void
duplicate(struct store *st, const char *src, const char *name)
{
    char *cause = NULL;
    unit_act_as(st, "Administrator");
    struct ops_template_duplicate a = {src, name, COMPAT_2008};
    struct template t = {0};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_DUPLICATE, &a, &t, &cause), cause);
    assert_true(t.id > 0);
    assert_string_equal(t.display_name, name);
    template_free(&t);
}

static void
test_table(void **state)
{
    (void)state;
    static const char *const names[] = {
        "template.list",
        "template.get",
        "template.duplicate",
        "template.draft",
        "template.create",
        "template.save",
        "template.set",
        "template.acl",
        "template.reenroll",
        "template.delete",
        "template.export",
        "template.import",
        "oid.add",
        "oid.list",
        "template.enable",
        "template.disable",
        "template.lint",
        "template.draft-set",
        "template.draft-get",
        "template.draft-validate",
        "template.draft-acl",
        "oid.names",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct ops_def *d = ops_find(names[i]);
        assert_non_null(d);
        assert_int_equal(d->id, OPS_TEMPLATE_BASE + (int)i);
        assert_ptr_equal(ops_get(d->id), d);
    }
    assert_null(ops_get(OPS_TEMPLATE_BASE + (int)(sizeof names / sizeof names[0])));
    /* reads change nothing; the CA's templates to issue are the CA Administrator's */
    assert_int_equal(ops_get(OP_TEMPLATE_LIST)->changes, 0);
    assert_int_equal(ops_get(OP_TEMPLATE_GET)->changes, 0);
    assert_int_equal(ops_get(OP_TEMPLATE_EXPORT)->changes, 0);
    assert_int_equal(ops_get(OP_TEMPLATE_SET)->changes, 1);
    assert_int_equal(ops_get(OP_TEMPLATE_SET)->ca_right, 0);
    assert_int_equal(ops_get(OP_TEMPLATE_ENABLE)->ca_right, CA_RIGHT_MANAGE);
    assert_int_equal(ops_get(OP_TEMPLATE_DISABLE)->ca_right, CA_RIGHT_MANAGE);
    /* a draft in memory: no transaction, no right */
    for (int id = OP_TEMPLATE_DRAFT_SET; id <= OP_OID_NAMES; id++) {
        assert_int_equal(ops_get(id)->changes, 0);
        assert_int_equal(ops_get(id)->ca_right, 0);
    }
}

/* A plain user: every changing template operation refused, audited, nothing changed. */
static void
test_plain_user_refused(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    duplicate(st, "Web Server", "Ops Plain Web");
    char *before = stored_text(st, "Ops Plain Web");
    char *exported = stored_text(st, "Ops Plain Web");
    char *path = cc_asprintf("%s/plain.conf", fx->dir);
    unit_write_file(path, exported);
    int64_t templates = unit_count(st, "SELECT count(*) FROM template");
    char *db = unit_db_digest(st);
    int64_t changes = unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'");

    unit_act_as(st, "opsplain");
    int64_t refused = refusals(st);
    struct template out = {0};

    struct ops_template_duplicate dup = {"Web Server", "Plain Copy", COMPAT_2008};
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_DUPLICATE, &dup, &out, &cause), CC_EACCES, cause,
               "create a template");
    struct ops_template_draft dr = {"Web Server", COMPAT_2008};
    struct ops_template_draft_result drr;
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_DRAFT, &dr, &drr, &cause), CC_EACCES, cause,
               "create a template");
    struct ops_template_set set = {"Ops Plain Web", "validity", "5y"};
    struct ops_template_set_result sr;
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_SET, &set, &sr, &cause), CC_EACCES, cause, NULL);
    struct ops_acl_change ch = {OPS_ACL_ALLOW, "opsplain:Read,Write,Enroll"};
    struct ops_template_acl acl = {"Ops Plain Web", &ch, 1};
    struct ops_template_view v;
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_ACL, &acl, &v, &cause), CC_EACCES, cause, NULL);
    struct ops_template_name nm = {"Ops Plain Web"};
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_REENROLL, &nm, &out, &cause), CC_EACCES, cause,
               NULL);
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_DELETE, &nm, NULL, &cause), CC_EACCES, cause,
               NULL);
    struct ops_template_import im = {path};
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_IMPORT, &im, &out, &cause), CC_EACCES, cause,
               "import a template");
    struct ops_oid_add oa = {"Plain Policy", "1.2.3.4.5.6.7", OID_KIND_APPLICATION};
    UNIT_FAILS(ops_call(test_cx(st), OP_OID_ADD, &oa, NULL, &cause), CC_EACCES, cause, NULL);
    const char *web = "Ops Plain Web";
    struct ops_template_names en = {&web, 1};
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_ENABLE, &en, NULL, &cause), CC_EACCES, cause,
               "enable a certificate template on the CA");
    const char *user = "User";
    struct ops_template_names dis = {&user, 1};
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_DISABLE, &dis, NULL, &cause), CC_EACCES, cause,
               "disable a certificate template on the CA");
    /* the draft a plain user cannot start, made by an administrator, is refused on create too */
    unit_act_as(st, "Administrator");
    dr.src = "Workstation Authentication";
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_DRAFT, &dr, &drr, &cause), cause);
    unit_act_as(st, "opsplain");
    struct ops_template_create cr = {&drr.draft, drr.src_cn};
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_CREATE, &cr, &out, &cause), CC_EACCES, cause,
               "create a template");
    ops_template_draft_result_free(&drr);

    /* every refusal audited; nothing else changed */
    assert_int_equal(refusals(st), refused + 11);
    UNIT_DB_UNCHANGED(st, db);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'"), changes);
    char *after = stored_text(st, "Ops Plain Web");
    assert_string_equal(after, before);
    assert_true(ca_issues(st, "User"));
    free(after);
    free(before);
    free(exported);
    free(path);

    /* reading is everyone's */
    struct ops_template_list l;
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_LIST, NULL, &l, &cause), cause);
    assert_int_equal((int64_t)l.n, templates);
    ops_template_list_free(&l);
    struct ops_template_ref ref = {.name = "Ops Plain Web", .settings = 1};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_GET, &ref, &v, &cause), cause);
    assert_string_equal(v.t.cn, "OpsPlainWeb");
    assert_true(v.nvalues > 0);
    ops_template_view_free(&v);
}

/* An administrator: each operation does what its verb or dialog did. */
static void
test_admin_succeeds(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    duplicate(st, "Web Server", "Ops Admin Web");

    /* one setting, saved: the minor version moves and the value reads back */
    struct ops_template_set set = {"Ops Admin Web", "validity", "3y"};
    struct ops_template_set_result sr;
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_SET, &set, &sr, &cause), cause);
    assert_string_equal(sr.value, "3 years");
    assert_int_equal(sr.t.revision, 100);
    assert_int_equal(sr.t.minor_revision, 1);
    ops_template_set_result_free(&sr);
    /* a bad value: the setting table's reason, nothing saved */
    set.value = "3 fortnights";
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_SET, &set, &sr, &cause), CC_EINVAL, cause,
               "validity");

    /* the ACL: allow, deny, remove in one save; names come back qualified */
    struct ops_acl_change ch[] = {
        {OPS_ACL_ALLOW, "opsplain:Read,Enroll"},
        {OPS_ACL_DENY, "opsplain:Autoenroll"},
        {OPS_ACL_REMOVE, "opsplain:Autoenroll"},
    };
    struct ops_template_acl acl = {"Ops Admin Web", ch, 3};
    struct ops_template_view v;
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_ACL, &acl, &v, &cause), cause);
    int found = 0;
    for (size_t i = 0; i < v.t.acl.n; i++)
        if (v.acl_names[i] != NULL && strcmp(v.acl_names[i], "CONTOSO\\opsplain") == 0) {
            found = 1;
            assert_int_equal(v.t.acl.v[i].allow, ACL_READ | ACL_ENROLL);
            assert_int_equal(v.t.acl.v[i].deny, 0);
        }
    assert_true(found);
    assert_int_equal(v.t.minor_revision, 2);
    ops_template_view_free(&v);

    /* a draft saved beside another's save of a different setting keeps both */
    struct ops_template_ref ref = {.name = "Ops Admin Web"};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_GET, &ref, &v, &cause), cause);
    struct template draft = {0};
    UNIT_OK(template_copy(&draft, &v.t), cause);
    UNIT_OK(template_set(st, &draft, "min-key-size", "4096", &cause), cause);
    struct ops_template_set other = {"Ops Admin Web", "renewal", "8w"};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_SET, &other, &sr, &cause), cause);
    ops_template_set_result_free(&sr);
    struct ops_template_save sv = {&v.t, &draft};
    struct template saved = {0};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_SAVE, &sv, &saved, &cause), cause);
    assert_int_equal(saved.min_key_size, 4096);
    assert_int_equal(saved.renewal, 8 * 7 * 86400);
    template_free(&saved);
    /* the same setting changed by both: a conflict, and the other's value stays */
    template_free(&draft);
    ops_template_view_free(&v);
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_GET, &ref, &v, &cause), cause);
    UNIT_OK(template_copy(&draft, &v.t), cause);
    UNIT_OK(template_set(st, &draft, "min-key-size", "3072", &cause), cause);
    other = (struct ops_template_set){"Ops Admin Web", "min-key-size", "2048"};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_SET, &other, &sr, &cause), cause);
    ops_template_set_result_free(&sr);
    char *before = stored_text(st, "Ops Admin Web");
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_SAVE, &sv, &saved, &cause), CC_ECONFLICT, cause,
               "min-key-size");
    char *after = stored_text(st, "Ops Admin Web");
    assert_string_equal(after, before);
    free(before);
    free(after);
    template_free(&draft);
    ops_template_view_free(&v);

    /* reenroll: the major version moves */
    struct ops_template_name nm = {"Ops Admin Web"};
    struct template t = {0};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_REENROLL, &nm, &t, &cause), cause);
    assert_int_equal(t.revision, 101);
    assert_int_equal(t.minor_revision, 0);
    template_free(&t);

    /* lint: a template by name, a draft, every template */
    struct ops_template_lint li = {"Ops Admin Web", NULL};
    struct ops_template_lint_result lr;
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_LINT, &li, &lr, &cause), cause);
    assert_int_equal(lr.n, 1);
    assert_string_equal(lr.v[0].cn, "OpsAdminWeb");
    /* what the lint module finds for it */
    struct lint_finding *direct = NULL;
    size_t ndirect = 0;
    UNIT_OK(template_lint(st, &lr.v[0], &direct, &ndirect, &cause), cause);
    assert_int_equal(lr.nfindings[0], ndirect);
    for (size_t i = 0; i < ndirect; i++)
        assert_string_equal(lr.findings[0][i].id, direct[i].id);
    lint_findings_free(direct, ndirect);
    ops_template_lint_result_free(&lr);
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_GET, &ref, &v, &cause), cause);
    li = (struct ops_template_lint){NULL, &v.t};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_LINT, &li, &lr, &cause), cause);
    assert_int_equal(lr.n, 1);
    ops_template_lint_result_free(&lr);
    ops_template_view_free(&v);
    li = (struct ops_template_lint){NULL, NULL};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_LINT, &li, &lr, &cause), cause);
    assert_int_equal((int64_t)lr.n, unit_count(st, "SELECT count(*) FROM template"));
    ops_template_lint_result_free(&lr);
    li.name = "No Such Template";
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_LINT, &li, &lr, &cause), CC_ENOTFOUND, cause,
               NULL);

    /* enable and disable on the CA */
    const char *names[] = {"Ops Admin Web"};
    struct ops_template_names en = {names, 1};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_ENABLE, &en, NULL, &cause), cause);
    assert_true(ca_issues(st, "OpsAdminWeb"));
    struct ops_template_list l;
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_LIST, NULL, &l, &cause), cause);
    assert_true(strlist_find(&l.ca_cns, "OpsAdminWeb", 0) >= 0);
    for (size_t i = 0; i < l.n; i++)
        assert_int_equal(l.enabled[i], strlist_find(&l.ca_cns, l.v[i].cn, 0) >= 0);
    ops_template_list_free(&l);
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_DISABLE, &en, NULL, &cause), cause);
    assert_false(ca_issues(st, "OpsAdminWeb"));

    /* export, delete, import the same text back */
    char *text = stored_text(st, "Ops Admin Web");
    char *path = cc_asprintf("%s/admin.conf", fx->dir);
    unit_write_file(path, text);
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_DELETE, &nm, NULL, &cause), cause);
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_GET, &ref, &v, &cause), CC_ENOTFOUND, cause, NULL);
    struct ops_template_import im = {path};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_IMPORT, &im, &t, &cause), cause);
    assert_string_equal(t.display_name, "Ops Admin Web");
    template_free(&t);
    char *again = stored_text(st, "Ops Admin Web");
    assert_string_equal(again, text);
    free(again);
    free(text);
    free(path);

    /* a policy OID, listed by name afterwards, with a fresh one offered */
    struct ops_oid_add oa = {"Ops Policy", "1.3.6.1.4.1.99999.1", OID_KIND_ISSUANCE};
    UNIT_OK(ops_call(test_cx(st), OP_OID_ADD, &oa, NULL, &cause), cause);
    struct ops_oid_kind k = {OID_KIND_ISSUANCE, 1};
    struct ops_oid_list ol;
    UNIT_OK(ops_call(test_cx(st), OP_OID_LIST, &k, &ol, &cause), cause);
    long at = strlist_find(&ol.names, "Ops Policy", 0);
    assert_true(at >= 0);
    assert_string_equal(ol.oids.v[at], "1.3.6.1.4.1.99999.1");
    assert_non_null(ol.fresh);
    assert_true(oid_is_valid(ol.fresh));
    ops_oid_list_free(&ol);
    UNIT_FAILS(ops_call(test_cx(st), OP_OID_ADD, &oa, NULL, &cause), CC_EEXIST, cause, NULL);
}

/* The Properties of New Template dialog: a draft stores nothing until template.create. */
static void
test_draft_create(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_act_as(st, "Administrator");
    int64_t templates = unit_count(st, "SELECT count(*) FROM template");
    struct ops_template_draft dr = {"Computer", COMPAT_2003};
    struct ops_template_draft_result r;
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_DRAFT, &dr, &r, &cause), cause);
    assert_string_equal(r.draft.display_name, "Copy of Computer");
    assert_string_equal(r.src_cn, "Machine");
    assert_int_equal(r.draft.id, 0);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM template"), templates);

    /* renamed in the dialog: the template name follows the display name */
    free(r.draft.display_name);
    r.draft.display_name = cc_strdup("Ops New Computer");
    struct ops_template_create cr = {&r.draft, r.src_cn};
    struct template t = {0};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_CREATE, &cr, &t, &cause), cause);
    assert_true(t.id > 0);
    assert_string_equal(t.cn, "OpsNewComputer");
    assert_int_equal(unit_count(st, "SELECT count(*) FROM template"), templates + 1);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE object = 'OpsNewComputer' "
                                    "AND field = 'create' AND new_value LIKE 'duplicate of "
                                    "Machine, 2003 compatibility%'"),
                     1);
    template_free(&t);

    /* the same draft again: its name is taken, and nothing more is stored */
    int64_t changes = unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'");
    char *db = unit_db_digest(st);
    assert_int_not_equal(ops_call(test_cx(st), OP_TEMPLATE_CREATE, &cr, &t, &cause), CC_OK);
    free(cause);
    cause = NULL;
    UNIT_DB_UNCHANGED(st, db);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'"), changes);
    ops_template_draft_result_free(&r);
}

/* A draft setting through template.draft-get; fails the test when it cannot be read. */
static char *
draft_value(struct store *st, const struct template *t, const char *setting)
{
    char *cause = NULL;
    struct ops_draft_ref a = {t, setting};
    struct ops_template_text r = {NULL};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_DRAFT_GET, &a, &r, &cause), cause);
    assert_non_null(r.text);
    return r.text;
}

/*
 * The property sheet's draft operations: anyone may run them, as they
 * change only the draft in memory; a value is taken as template.set takes
 * it or refused with why and the draft left as it was; nothing is stored,
 * audited or refused in the log.
 */
static void
test_draft_edits(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_act_as(st, "Administrator");
    struct ops_template_draft dr = {"Computer", COMPAT_2008};
    struct ops_template_draft_result r;
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_DRAFT, &dr, &r, &cause), cause);
    int64_t plain = unit_act_as(st, "opsplain");
    char *db = unit_db_digest(st);
    int64_t audits = unit_count(st, "SELECT count(*) FROM audit");

    struct ops_draft_set set = {&r.draft, "min-key-size", "4096"};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_DRAFT_SET, &set, NULL, &cause), cause);
    assert_int_equal(r.draft.min_key_size, 4096);
    char *v = draft_value(st, &r.draft, "min-key-size");
    assert_string_equal(v, "4096");
    free(v);
    struct ops_draft_set bad = {&r.draft, "min-key-size", "lots"};
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_DRAFT_SET, &bad, NULL, &cause), CC_EINVAL, cause,
               "min-key-size");
    assert_int_equal(r.draft.min_key_size, 4096);
    struct ops_draft_set unknown = {&r.draft, "colour", "blue"};
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_DRAFT_SET, &unknown, NULL, &cause), CC_EINVAL,
               cause, "not a template setting");
    struct ops_draft_ref get_unknown = {&r.draft, "colour"};
    struct ops_template_text text = {NULL};
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_DRAFT_GET, &get_unknown, &text, &cause), CC_EINVAL,
               cause, "'colour' is not a template setting");
    assert_null(text.text);

    struct ops_draft_ref whole = {&r.draft, NULL};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_DRAFT_VALIDATE, &whole, NULL, &cause), cause);
    free(r.draft.display_name);
    r.draft.display_name = cc_strdup("");
    assert_int_not_equal(ops_call(test_cx(st), OP_TEMPLATE_DRAFT_VALIDATE, &whole, NULL, &cause),
                         CC_OK);
    assert_non_null(cause);
    free(cause);
    cause = NULL;

    size_t entries = r.draft.acl.n;
    struct ops_draft_acl add = {&r.draft, plain, "CONTOSO\\opsplain", ACL_READ | ACL_ENROLL, 0};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_DRAFT_ACL, &add, NULL, &cause), cause);
    assert_int_equal(r.draft.acl.n, entries + 1);
    const struct acl_entry *e = acl_find(&r.draft.acl, plain);
    assert_non_null(e);
    assert_int_equal(e->allow, ACL_READ | ACL_ENROLL);
    struct ops_draft_acl drop = {&r.draft, plain, NULL, 0, 0};
    UNIT_OK(ops_call(test_cx(st), OP_TEMPLATE_DRAFT_ACL, &drop, NULL, &cause), cause);
    assert_int_equal(r.draft.acl.n, entries);
    assert_null(acl_find(&r.draft.acl, plain));

    struct strlist oids = {0}, names;
    assert_int_equal(strlist_add(&oids, "1.3.6.1.5.5.7.3.1"), CC_OK);
    assert_int_equal(strlist_add(&oids, "1.2.3.4.5"), CC_OK);
    struct ops_oid_names on = {&oids};
    UNIT_OK(ops_call(test_cx(st), OP_OID_NAMES, &on, &names, &cause), cause);
    assert_int_equal(names.n, 2);
    assert_string_equal(names.v[0], "Server Authentication");
    assert_string_equal(names.v[1], "1.2.3.4.5"); /* unnamed: the OID itself */
    strlist_free(&names);
    strlist_free(&oids);

    UNIT_DB_UNCHANGED(st, db);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit"), audits);
    ops_template_draft_result_free(&r);
}

/* A changing operation that fails after a first change leaves nothing behind. */
static void
test_failure_midway(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    duplicate(st, "Web Server", "Ops Midway Web");
    unit_act_as(st, "Administrator");
    char *db = unit_db_digest(st);
    int64_t changes = unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'");

    /* the first template enabled, the second unknown: neither stays, nor its audit record */
    const char *names[] = {"Ops Midway Web", "No Such Template"};
    struct ops_template_names en = {names, 2};
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_ENABLE, &en, NULL, &cause), CC_E_UNKNOWN_CERT_TYPE,
               cause, "No Such Template");
    assert_false(ca_issues(st, "OpsMidwayWeb"));
    UNIT_DB_UNCHANGED(st, db);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'"), changes);

    /* the same for disabling: the first disabled, the second unknown */
    const char *off[] = {"User", "No Such Template"};
    struct ops_template_names dis = {off, 2};
    assert_true(ca_issues(st, "User"));
    db = unit_db_digest(st);
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_DISABLE, &dis, NULL, &cause), CC_ENOTFOUND, cause,
               NULL);
    assert_true(ca_issues(st, "User"));
    UNIT_DB_UNCHANGED(st, db);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'"), changes);

    /* ACL changes: the first good, the second names nobody; nothing saved */
    char *before = stored_text(st, "Ops Midway Web");
    db = unit_db_digest(st);
    struct ops_acl_change ch[] = {
        {OPS_ACL_ALLOW, "opsplain:Read,Enroll"},
        {OPS_ACL_ALLOW, "Nobody At All:Read"},
    };
    struct ops_template_acl acl = {"Ops Midway Web", ch, 2};
    struct ops_template_view v;
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_ACL, &acl, &v, &cause), CC_ENOTFOUND, cause,
               "Nobody At All");
    /* a malformed change: the principal and the form asked for */
    ch[1].spec = "opsplain";
    UNIT_FAILS(ops_call(test_cx(st), OP_TEMPLATE_ACL, &acl, &v, &cause), CC_EINVAL, cause,
               "PRINCIPAL:RIGHTS");
    char *after = stored_text(st, "Ops Midway Web");
    assert_string_equal(after, before);
    free(after);
    free(before);
    UNIT_DB_UNCHANGED(st, db);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'"), changes);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_table, test_setup),
        cmocka_unit_test_setup(test_plain_user_refused, test_setup),
        cmocka_unit_test_setup(test_admin_succeeds, test_setup),
        cmocka_unit_test_setup(test_draft_create, test_setup),
        cmocka_unit_test_setup(test_draft_edits, test_setup),
        cmocka_unit_test_setup(test_failure_midway, test_setup),
    };
    return cmocka_run_group_tests_name("ops_template", tests, group_setup, unit_group_teardown);
}
