/*
 * Unit tests of the directory family of operations (ca/ops_directory.c)
 * through ops_call, against the contoso lab: the family's part of the
 * table is whole; reading the directory, group policy and the account map
 * needs no right; a plain user is refused every change (CC_EACCES, the
 * refusal audited) and nothing changes; an administrator's changes land;
 * and a change that fails midway (an object created, then placed in an OU
 * that does not exist; attributes written, then a group that does not
 * exist joined; one role granted, then a bad one) leaves nothing behind.
 */
#include "config.h"

#include "autoenroll.h"
#include "ops.h"
#include "unit.h"

static int
group_setup(void **state)
{
    return unit_group_setup_lab(state, "ops_directory");
}

static int
test_setup(void **state)
{
    struct unit_fx *fx = *state;
    test_act_id(fx->st, 0, NULL);
    test_clock_set(fx->now);
    return 0;
}

/*
 * What a refused or failed change must leave alone: the whole database
 * (unit_db_digest: every table but the audit log, which records refusals)
 * and the audit log's record of changes done.
 */
struct snapshot {
    char *digest;
    int64_t audits;
};

static void
snap_take(struct store *st, struct snapshot *s)
{
    s->digest = unit_db_digest(st);
    s->audits = unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'");
}

/* Fails unless nothing changed since s was taken; frees it. */
static void
snap_same(struct store *st, struct snapshot *s)
{
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'"), s->audits);
    UNIT_DB_UNCHANGED(st, s->digest);
}

static int64_t
refusals(struct store *st)
{
    return unit_count(st, "SELECT count(*) FROM audit WHERE result = 'refused'");
}

/*
 * The lab has no CA, so nobody holds a CA role yet: the system grants
 * Administrator the CA Administrator role (through the operation, which
 * the system context may run), then the test acts as Administrator.
 */
static void
act_as_ca_admin(struct store *st)
{
    char *cause = NULL;
    test_act_id(st, 0, NULL);
    struct strlist grant = {0};
    assert_int_equal(strlist_add(&grant, "Administrator:admin"), CC_OK);
    struct ops_ca_roles_change roles = {.grant = &grant};
    UNIT_OK(ops_call(test_cx(st), OP_CA_ROLES_CHANGE, &roles, NULL, &cause), cause);
    strlist_free(&grant);
    unit_act_as(st, "Administrator");
}

static int
list_has(const struct ops_dir_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return 1;
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
        if (d->id < OPS_DIRECTORY_BASE || d->id >= OPS_ENROLL_BASE)
            continue;
        assert_int_equal(d->id, OPS_DIRECTORY_BASE + (int)mine);
        assert_ptr_equal(ops_get(d->id), d);
        assert_ptr_equal(ops_find(d->name), d);
        assert_non_null(d->run);
        assert_non_null(d->what);
        mine++;
    }
    assert_int_equal(mine, OP_DIR_WHOAMI - OPS_DIRECTORY_BASE + 1);
}

/* Reading needs no right: a plain user lists, shows and reads GPOs and the account map. */
static void
test_reads(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_add_user(st, "reader");
    unit_act_as(st, "reader");

    struct ops_dir_list_args kinds = {.kinds = 1u << DIR_COMPUTER};
    struct ops_dir_list l;
    UNIT_OK(ops_call(test_cx(st), OP_DIR_LIST, &kinds, &l, &cause), cause);
    assert_true(list_has(&l, "SERVER1"));
    assert_false(list_has(&l, "Administrator"));
    ops_dir_list_free(&l);

    struct ops_dir_ref server = {.name = "server1$"};
    struct ops_dir_show sh;
    UNIT_OK(ops_call(test_cx(st), OP_DIR_SHOW, &server, &sh, &cause), cause);
    assert_string_equal(sh.p.name, "SERVER1");
    assert_string_equal(sh.qualified, "CONTOSO\\SERVER1$");
    assert_true(sh.has_member_of && sh.has_token);
    assert_true(list_has(&sh.member_of, "Domain Computers"));
    assert_true(list_has(&sh.token, "Domain Computers"));
    assert_false(list_has(&sh.token, "SERVER1")); /* itself is left out */
    for (size_t i = 1; i < sh.token.n; i++)
        assert_true(strcasecmp(sh.token.v[i - 1].name, sh.token.v[i].name) <= 0);
    assert_false(sh.has_members);
    struct ops_dir_ref by_id = {.id = sh.p.id};
    ops_dir_show_free(&sh);

    struct dir_principal p;
    UNIT_OK(ops_call(test_cx(st), OP_DIR_GET, &by_id, &p, &cause), cause);
    assert_string_equal(p.sam, "SERVER1$");
    dir_principal_free(&p);
    struct ops_dir_ref nobody = {.name = "NOBODY"};
    UNIT_FAILS(ops_call(test_cx(st), OP_DIR_GET, &nobody, &p, &cause), CC_ENOTFOUND, cause,
               "NOBODY");

    struct ops_dir_ref admins = {.name = "Domain Admins"};
    UNIT_OK(ops_call(test_cx(st), OP_DIR_MEMBERS, &admins, &l, &cause), cause);
    assert_true(list_has(&l, "Administrator"));
    ops_dir_list_free(&l);
    struct ops_dir_ref admin = {.name = "Administrator"};
    UNIT_OK(ops_call(test_cx(st), OP_DIR_MEMBER_OF, &admin, &l, &cause), cause);
    assert_true(list_has(&l, "Domain Admins"));
    ops_dir_list_free(&l);

    struct strlist ous;
    UNIT_OK(ops_call(test_cx(st), OP_DIR_OUS, NULL, &ous, &cause), cause);
    strlist_free(&ous);
    struct ops_gpo_list gl;
    UNIT_OK(ops_call(test_cx(st), OP_GPO_LIST, NULL, &gl, &cause), cause);
    ops_gpo_list_free(&gl);
    struct ops_account_list al;
    UNIT_OK(ops_call(test_cx(st), OP_ACCOUNT_LIST, NULL, &al, &cause), cause);
    ops_account_list_free(&al);
    struct ops_ca_roles rl;
    UNIT_OK(ops_call(test_cx(st), OP_CA_ROLES, NULL, &rl, &cause), cause);
    ops_ca_roles_free(&rl);
}

/*
 * Who the caller is, as the console's title says it, needs no right; a
 * caller the directory does not know (the system) has no name there. The
 * picker's list carries each principal as permissions name it, and only
 * when asked.
 */
static void
test_whoami(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_add_user(st, "whoami");
    unit_act_as(st, "whoami");
    struct ops_dir_whoami w;
    UNIT_OK(ops_call(test_cx(st), OP_DIR_WHOAMI, NULL, &w, &cause), cause);
    assert_string_equal(w.qualified, "CONTOSO\\whoami");
    assert_string_equal(w.domain, "contoso.com");
    assert_non_null(w.computer);
    assert_string_equal(w.computer, fx->def.local_computer);
    ops_dir_whoami_free(&w);
    assert_null(w.qualified);

    unit_act_as(st, NULL);
    UNIT_OK(ops_call(test_cx(st), OP_DIR_WHOAMI, NULL, &w, &cause), cause);
    assert_null(w.qualified);
    assert_string_equal(w.domain, "contoso.com");
    ops_dir_whoami_free(&w);

    unit_act_as(st, "whoami");
    struct ops_dir_list_args plain = {.kinds = (1u << DIR_USER) | (1u << DIR_WELLKNOWN)};
    struct ops_dir_list l;
    UNIT_OK(ops_call(test_cx(st), OP_DIR_LIST, &plain, &l, &cause), cause);
    assert_null(l.qualified);
    ops_dir_list_free(&l);
    struct ops_dir_list_args qualified = {.kinds = plain.kinds, .qualified = 1};
    UNIT_OK(ops_call(test_cx(st), OP_DIR_LIST, &qualified, &l, &cause), cause);
    assert_non_null(l.qualified);
    int admin = 0, users = 0;
    for (size_t i = 0; i < l.n; i++) {
        if (strcmp(l.v[i].name, "Administrator") == 0) {
            assert_string_equal(l.qualified[i], "CONTOSO\\Administrator");
            admin = 1;
        } else if (strcmp(l.v[i].name, "Authenticated Users") == 0) {
            assert_string_equal(l.qualified[i], "NT AUTHORITY\\Authenticated Users");
            users = 1;
        }
    }
    assert_true(admin && users);
    ops_dir_list_free(&l);
    assert_null(l.qualified);
}

/* A plain user is refused every change, each refusal audited, and nothing changes. */
static void
test_plain_user_refused(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_add_user(st, "plain");
    unit_act_as(st, "plain");
    int64_t refused = refusals(st);
    struct snapshot s;
    snap_take(st, &s);

    struct ops_dir_add user = {.name = "intruder"};
    UNIT_FAILS(ops_call(test_cx(st), OP_DIR_ADD_USER, &user, NULL, &cause), CC_EACCES, cause,
               "add a user", "Domain Admins");
    struct ops_dir_add computer = {.name = "EVIL1", .ou = "Servers"};
    UNIT_FAILS(ops_call(test_cx(st), OP_DIR_ADD_COMPUTER, &computer, NULL, &cause), CC_EACCES,
               cause, "add a computer");
    struct ops_dir_add group = {.name = "Evil Group"};
    UNIT_FAILS(ops_call(test_cx(st), OP_DIR_ADD_GROUP, &group, NULL, &cause), CC_EACCES, cause,
               "add a group");
    struct ops_dir_add ou = {.name = "Evil OU"};
    UNIT_FAILS(ops_call(test_cx(st), OP_DIR_ADD_OU, &ou, NULL, &cause), CC_EACCES, cause, "");
    struct ops_dir_member join = {"Domain Admins", "plain"};
    UNIT_FAILS(ops_call(test_cx(st), OP_DIR_ADD_MEMBER, &join, NULL, &cause), CC_EACCES, cause,
               "add a group member");
    struct ops_dir_set set = {"Administrator", "mail", "evil@contoso.com"};
    UNIT_FAILS(ops_call(test_cx(st), OP_DIR_SET, &set, NULL, &cause), CC_EACCES, cause,
               "change an attribute");
    struct strlist groups = {0};
    assert_int_equal(strlist_add(&groups, "Domain Admins"), CC_OK);
    struct ops_dir_update upd = {.principal = "plain", .join = &groups};
    UNIT_FAILS(ops_call(test_cx(st), OP_DIR_UPDATE, &upd, NULL, &cause), CC_EACCES, cause, "");
    struct ops_gpo_name gpo = {"Evil GPO", "contoso.com"};
    UNIT_FAILS(ops_call(test_cx(st), OP_GPO_CREATE, &gpo, NULL, &cause), CC_EACCES, cause,
               "create a group policy object");
    struct ops_account_map map = {"mallory", "Administrator"};
    UNIT_FAILS(ops_call(test_cx(st), OP_ACCOUNT_MAP, &map, NULL, &cause), CC_EACCES, cause,
               "map Unix users to accounts");
    UNIT_FAILS(ops_call(test_cx(st), OP_ACCOUNT_UNMAP, &map, NULL, &cause), CC_EACCES, cause,
               "map Unix users to accounts");
    struct strlist grant = {0};
    assert_int_equal(strlist_add(&grant, "plain:admin"), CC_OK);
    struct ops_ca_roles_change roles = {.grant = &grant};
    UNIT_FAILS(ops_call(test_cx(st), OP_CA_ROLES_CHANGE, &roles, NULL, &cause), CC_EACCES, cause,
               "change the CA's permissions");
    struct ops_pulse restart = {.principal = "SERVER1", .how = AE_START_RESTART};
    struct ops_pulse_result r = {0};
    UNIT_FAILS(ops_call(test_cx(st), OP_AUTOENROLL_RESTART, &restart, &r, &cause), CC_EACCES,
               cause, "restart a computer", "Domain Admins");
    ops_pulse_result_free(&r);

    snap_same(st, &s);
    assert_int_equal(refusals(st), refused + 12);
    strlist_free(&groups);
    strlist_free(&grant);
}

/* An administrator's changes land: created and placed, updated, linked, mapped, granted. */
static void
test_admin_succeeds(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    act_as_ca_admin(st);

    struct ops_dir_add ou = {.name = "Branch", .description = "the branch office"};
    UNIT_OK(ops_call(test_cx(st), OP_DIR_ADD_OU, &ou, NULL, &cause), cause);
    struct ops_dir_add user = {
        .name = "erin", .cn = "Erin Example", .mail = "erin@contoso.com", .ou = "branch"};
    int64_t erin = 0;
    UNIT_OK(ops_call(test_cx(st), OP_DIR_ADD_USER, &user, &erin, &cause), cause);
    assert_true(erin > 0);
    struct ops_dir_add group = {.name = "Branch Staff", .container = "Users"};
    int64_t staff = 0;
    UNIT_OK(ops_call(test_cx(st), OP_DIR_ADD_GROUP, &group, &staff, &cause), cause);
    struct ops_dir_add computer = {.name = "br1", .ou = "Branch"};
    UNIT_OK(ops_call(test_cx(st), OP_DIR_ADD_COMPUTER, &computer, NULL, &cause), cause);

    struct dir_principal p;
    struct ops_dir_ref ref = {.id = erin};
    UNIT_OK(ops_call(test_cx(st), OP_DIR_GET, &ref, &p, &cause), cause);
    assert_string_equal(p.name, "Erin Example");
    assert_string_equal(p.ou, "Branch"); /* the OU's stored spelling */
    dir_principal_free(&p);
    ref.id = staff;
    UNIT_OK(ops_call(test_cx(st), OP_DIR_GET, &ref, &p, &cause), cause);
    assert_string_equal(p.container, "Users");
    dir_principal_free(&p);
    struct ops_dir_ref br1 = {.name = "BR1$"};
    UNIT_OK(ops_call(test_cx(st), OP_DIR_GET, &br1, &p, &cause), cause);
    assert_string_equal(p.ou, "Branch");
    assert_string_equal(p.dns, "br1.contoso.com");
    dir_principal_free(&p);

    /* a Properties sheet's OK: attributes and Member Of in one operation */
    struct ops_dir_attr attrs[] = {{"display", "Erin E."}, {"mail", "ee@contoso.com"}};
    struct strlist join = {0};
    assert_int_equal(strlist_add(&join, "Branch Staff"), CC_OK);
    struct ops_dir_update upd = {.principal = "erin", .attrs = attrs, .nattrs = 2, .join = &join};
    UNIT_OK(ops_call(test_cx(st), OP_DIR_UPDATE, &upd, NULL, &cause), cause);
    ref.id = erin;
    UNIT_OK(ops_call(test_cx(st), OP_DIR_GET, &ref, &p, &cause), cause);
    assert_string_equal(p.display, "Erin E.");
    assert_string_equal(p.mail, "ee@contoso.com");
    dir_principal_free(&p);
    struct ops_dir_ref staff_ref = {.id = staff};
    struct ops_dir_list l;
    UNIT_OK(ops_call(test_cx(st), OP_DIR_MEMBERS, &staff_ref, &l, &cause), cause);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].name, "Erin Example");
    ops_dir_list_free(&l);
    /* a group's Members tab: erin out, BR1 in */
    struct strlist gone = {0}, added = {0};
    assert_int_equal(strlist_add(&gone, "erin"), CC_OK);
    assert_int_equal(strlist_add(&added, "BR1$"), CC_OK);
    struct ops_dir_update members = {.principal = "Branch Staff", .remove = &gone, .add = &added};
    UNIT_OK(ops_call(test_cx(st), OP_DIR_UPDATE, &members, NULL, &cause), cause);
    UNIT_OK(ops_call(test_cx(st), OP_DIR_MEMBERS, &staff_ref, &l, &cause), cause);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0].name, "BR1");
    ops_dir_list_free(&l);

    /* group policy: created where it is linked, filtered, switched on */
    struct ops_gpo_name gpo = {"Branch Policy", "Branch"};
    UNIT_OK(ops_call(test_cx(st), OP_GPO_CREATE, &gpo, NULL, &cause), cause);
    struct ops_gpo_filter filter = {.name = "Branch Policy", .principals = &join};
    UNIT_OK(ops_call(test_cx(st), OP_GPO_FILTER_SET, &filter, NULL, &cause), cause);
    struct ops_gpo_autoenroll ae = {"Branch Policy", 0, {AE_ENABLED, 1, 1}};
    UNIT_OK(ops_call(test_cx(st), OP_GPO_AUTOENROLL, &ae, NULL, &cause), cause);
    struct gpo g;
    UNIT_OK(ops_call(test_cx(st), OP_GPO_GET, &gpo, &g, &cause), cause);
    assert_int_equal(g.links.n, 1);
    assert_int_equal(g.filter.n, 1);
    assert_string_equal(g.filter.v[0], "Branch Staff");
    assert_int_equal(g.computer.model, AE_ENABLED);
    gpo_free(&g);
    struct ops_gpo_list gl;
    UNIT_OK(ops_call(test_cx(st), OP_GPO_LINKED, &gpo, &gl, &cause), cause);
    assert_int_equal(gl.n, 1);
    assert_string_equal(gl.v[0].name, "Branch Policy");
    ops_gpo_list_free(&gl);
    UNIT_OK(ops_call(test_cx(st), OP_GPO_UNLINK, &gpo, NULL, &cause), cause);
    UNIT_OK(ops_call(test_cx(st), OP_GPO_DELETE, &gpo, NULL, &cause), cause);
    UNIT_FAILS(ops_call(test_cx(st), OP_GPO_GET, &gpo, &g, &cause), CC_ENOTFOUND, cause, "");

    /* the account map and the CA's roles */
    struct ops_account_map map = {"erin", "erin"};
    UNIT_OK(ops_call(test_cx(st), OP_ACCOUNT_MAP, &map, NULL, &cause), cause);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM account_map WHERE unix_user = 'erin'"),
                     1);
    UNIT_OK(ops_call(test_cx(st), OP_ACCOUNT_UNMAP, &map, NULL, &cause), cause);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM account_map WHERE unix_user = 'erin'"),
                     0);
    struct strlist grant = {0};
    assert_int_equal(strlist_add(&grant, "erin:Auditor"), CC_OK);
    struct ops_ca_roles_change roles = {.grant = &grant};
    UNIT_OK(ops_call(test_cx(st), OP_CA_ROLES_CHANGE, &roles, NULL, &cause), cause);
    struct ops_ca_roles rl;
    UNIT_OK(ops_call(test_cx(st), OP_CA_ROLES, NULL, &rl, &cause), cause);
    int found = 0;
    for (size_t i = 0; i < rl.n; i++)
        found |= rl.aces[i].principal == erin && (rl.aces[i].allow & CA_RIGHT_AUDIT);
    assert_true(found);
    ops_ca_roles_free(&rl);
    struct ops_ca_roles_change back = {.revoke = &grant};
    UNIT_OK(ops_call(test_cx(st), OP_CA_ROLES_CHANGE, &back, NULL, &cause), cause);

    strlist_free(&join);
    strlist_free(&gone);
    strlist_free(&added);
    strlist_free(&grant);
}

/* A change that fails after a first step leaves nothing of it behind. */
static void
test_failure_midway(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    act_as_ca_admin(st);
    struct snapshot s;

    /* created, then placed in an OU that does not exist: no computer, no RID used */
    snap_take(st, &s);
    struct ops_dir_add computer = {.name = "LOST1", .ou = "Atlantis"};
    UNIT_FAILS(ops_call(test_cx(st), OP_DIR_ADD_COMPUTER, &computer, NULL, &cause), CC_ENOTFOUND,
               cause, "Atlantis");
    snap_same(st, &s);
    struct ops_dir_ref lost = {.name = "LOST1"};
    struct dir_principal p;
    UNIT_FAILS(ops_call(test_cx(st), OP_DIR_GET, &lost, &p, &cause), CC_ENOTFOUND, cause, "");

    /* an attribute written, then a group that does not exist joined: the attribute is back */
    unit_add_user(st, "frank");
    snap_take(st, &s);
    struct ops_dir_attr attrs[] = {{"mail", "frank@contoso.com"}};
    struct strlist join = {0};
    assert_int_equal(strlist_add(&join, "Domain Users"), CC_OK);
    assert_int_equal(strlist_add(&join, "No Such Group"), CC_OK);
    struct ops_dir_update upd = {.principal = "frank", .attrs = attrs, .nattrs = 1, .join = &join};
    UNIT_FAILS(ops_call(test_cx(st), OP_DIR_UPDATE, &upd, NULL, &cause), CC_EEXIST, cause,
               "already a member");
    strlist_remove_at(&join, 0);
    UNIT_FAILS(ops_call(test_cx(st), OP_DIR_UPDATE, &upd, NULL, &cause), CC_ENOTFOUND, cause,
               "No Such Group");
    snap_same(st, &s);
    struct ops_dir_ref frank = {.name = "frank"};
    UNIT_OK(ops_call(test_cx(st), OP_DIR_GET, &frank, &p, &cause), cause);
    assert_null(p.mail);
    dir_principal_free(&p);

    /* one role granted, then a bad entry: neither lands */
    snap_take(st, &s);
    int64_t perms = unit_count(st, "SELECT count(*) FROM ca_ace");
    struct strlist grant = {0};
    assert_int_equal(strlist_add(&grant, "frank:Auditor"), CC_OK);
    assert_int_equal(strlist_add(&grant, "frank:Wizard"), CC_OK);
    struct ops_ca_roles_change roles = {.grant = &grant};
    UNIT_FAILS(ops_call(test_cx(st), OP_CA_ROLES_CHANGE, &roles, NULL, &cause), CC_EINVAL, cause,
               "Wizard");
    assert_int_equal(unit_count(st, "SELECT count(*) FROM ca_ace"), perms);
    snap_same(st, &s);

    /* a GPO created, then linked to a scope that does not exist: no GPO */
    snap_take(st, &s);
    struct ops_gpo_name gpo = {"Nowhere Policy", "OU=Atlantis"};
    UNIT_FAILS(ops_call(test_cx(st), OP_GPO_CREATE, &gpo, NULL, &cause), CC_ENOTFOUND, cause, "");
    snap_same(st, &s);

    strlist_free(&join);
    strlist_free(&grant);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test_setup(test_reads, test_setup),
        cmocka_unit_test_setup(test_whoami, test_setup),
        cmocka_unit_test_setup(test_plain_user_refused, test_setup),
        cmocka_unit_test_setup(test_admin_succeeds, test_setup),
        cmocka_unit_test_setup(test_failure_midway, test_setup),
    };
    return cmocka_run_group_tests_name("ops_directory", tests, group_setup, unit_group_teardown);
}
