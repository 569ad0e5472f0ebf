/*
 * Unit tests of ca/directory against the contoso lab: the lab's computers,
 * Administrator and the built-in groups exist with the right attributes;
 * lookups accept every name form AD does (cn, sAMAccountName with or without
 * '$', NETBIOS\name, UPN, SID, DNS name) case-insensitively, and unknown
 * names fail with a "Did you mean" hint; tokens are transitive over nested
 * groups and always hold Authenticated Users (and Enterprise Domain
 * Controllers for DCs); computer tokens change only at restart unless the
 * store says otherwise; membership loops, bad names, duplicates and changes
 * by non-administrators are refused and leave the directory as it was.
 */
#include "config.h"

#include "audit.h"
#include "unit.h"

static int
group_setup(void **state)
{
    return unit_group_setup_lab(state, "directory");
}

static int
test_setup(void **state)
{
    struct unit_fx *fx = *state;
    test_act_id(fx->st, 0, NULL);
    store_set_tokens_at_restart(fx->st, 1);
    test_clock_set(fx->now);
    return 0;
}

/* Row counts that a refused change must leave alone. */
struct snapshot {
    int64_t principals, memberships, tokens, audits;
    char *next_rid;
};

static void
snap_take(struct store *st, struct snapshot *s)
{
    s->principals = unit_count(st, "SELECT count(*) FROM principal");
    s->memberships = unit_count(st, "SELECT count(*) FROM membership");
    s->tokens = unit_count(st, "SELECT count(*) FROM token");
    s->audits = unit_count(st, "SELECT count(*) FROM audit WHERE result = 'ok'");
    assert_int_equal(store_meta_get(st, "next_rid", &s->next_rid), CC_OK);
}

/* Fails unless the directory is as it was; frees the snapshot. */
static void
snap_same(struct store *st, struct snapshot *s)
{
    struct snapshot now;
    snap_take(st, &now);
    assert_int_equal(now.principals, s->principals);
    assert_int_equal(now.memberships, s->memberships);
    assert_int_equal(now.tokens, s->tokens);
    assert_int_equal(now.audits, s->audits);
    assert_string_equal(now.next_rid, s->next_rid);
    free(now.next_rid);
    free(s->next_rid);
    s->next_rid = NULL;
}

static int
list_has_name(const struct dir_principal *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return 1;
    return 0;
}

static void
check_computer(struct store *st, const char *name, const char *dns, int is_dc)
{
    struct dir_principal p = {0};
    char *cause = NULL;
    UNIT_OK(dir_lookup(st, name, &p, &cause), cause);
    assert_int_equal(p.kind, DIR_COMPUTER);
    assert_string_equal(p.name, name);
    char *sam = cc_asprintf("%s$", name);
    assert_string_equal(p.sam, sam);
    free(sam);
    assert_non_null(p.dns);
    assert_string_equal(p.dns, dns);
    assert_int_equal(p.is_dc, is_dc);
    assert_int_equal(strncmp(p.sid, "S-1-5-21-1004336348-1177238915-682003330-", 41), 0);
    assert_int_equal(strlen(p.guid), 36);
    dir_principal_free(&p);
}

static void
test_lab_principals(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;

    struct dir_domain d = {0};
    UNIT_OK(dir_domain_get(st, &d, &cause), cause);
    assert_string_equal(d.dns, "contoso.com");
    assert_string_equal(d.netbios, "CONTOSO");
    assert_string_equal(d.sid, "S-1-5-21-1004336348-1177238915-682003330");
    assert_string_equal(d.forest_oid,
                        "1.3.6.1.4.1.311.21.8.11034890.834619.12601478.16236816.7255827.176");
    dir_domain_free(&d);

    check_computer(st, "DC1", "dc1.contoso.com", 1);
    check_computer(st, "CA1", "ca1.contoso.com", 0);
    check_computer(st, "SERVER1", "server1.internal.contoso.com", 0);
    check_computer(st, "CLIENT1", "client1.contoso.com", 0);
    struct dir_principal p = {0};
    UNIT_OK(dir_lookup(st, "SERVER1", &p, &cause), cause);
    assert_int_equal(p.extra_dns.n, 1);
    assert_string_equal(p.extra_dns.v[0], "server.contoso.com");
    dir_principal_free(&p);

    /* exactly the lab's four computers */
    struct dir_principal *list = NULL;
    size_t n = 0;
    UNIT_OK(dir_list(st, 1u << DIR_COMPUTER, &list, &n, &cause), cause);
    assert_int_equal(n, 4);
    assert_string_equal(list[0].name, "CA1"); /* ordered by name */
    assert_string_equal(list[1].name, "CLIENT1");
    assert_string_equal(list[2].name, "DC1");
    assert_string_equal(list[3].name, "SERVER1");
    dir_list_free(list, n);

    UNIT_OK(dir_lookup(st, "Administrator", &p, &cause), cause);
    assert_int_equal(p.kind, DIR_USER);
    assert_string_equal(p.upn, "administrator@contoso.com");
    assert_string_equal(p.sid, "S-1-5-21-1004336348-1177238915-682003330-500");
    assert_true(p.builtin);
    UNIT_OK(dir_member_of(st, p.id, &list, &n, &cause), cause);
    assert_true(list_has_name(list, n, "Domain Admins"));
    assert_true(list_has_name(list, n, "Enterprise Admins"));
    assert_true(list_has_name(list, n, "Domain Users"));
    assert_false(list_has_name(list, n, "Domain Computers"));
    dir_list_free(list, n);
    assert_true(dir_token_has_rid(st, p.id, RID_DOMAIN_ADMINS));
    assert_true(dir_token_has_rid(st, p.id, RID_ENTERPRISE_ADMINS));
    assert_false(dir_token_has_rid(st, p.id, RID_DOMAIN_COMPUTERS));
    dir_principal_free(&p);

    /* the built-in groups, with their well-known SIDs */
    static const struct {
        const char *name, *sid;
        enum dir_kind kind;
    } builtins[] = {
        {"Domain Admins", "S-1-5-21-1004336348-1177238915-682003330-512", DIR_GROUP},
        {"Domain Users", "S-1-5-21-1004336348-1177238915-682003330-513", DIR_GROUP},
        {"Domain Computers", "S-1-5-21-1004336348-1177238915-682003330-515", DIR_GROUP},
        {"Domain Controllers", "S-1-5-21-1004336348-1177238915-682003330-516", DIR_GROUP},
        {"Enterprise Admins", "S-1-5-21-1004336348-1177238915-682003330-519", DIR_GROUP},
        {"Cert Publishers", "S-1-5-21-1004336348-1177238915-682003330-517", DIR_GROUP},
        {"Authenticated Users", "S-1-5-11", DIR_WELLKNOWN},
        {"Enterprise Domain Controllers", "S-1-5-9", DIR_WELLKNOWN},
    };
    for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++) {
        UNIT_OK(dir_lookup(st, builtins[i].name, &p, &cause), cause);
        assert_string_equal(p.sid, builtins[i].sid);
        assert_int_equal(p.kind, builtins[i].kind);
        assert_true(p.builtin);
        dir_principal_free(&p);
    }
    assert_string_equal(dir_kind_name(DIR_USER), "user");
    assert_string_equal(dir_kind_name(DIR_COMPUTER), "computer");
    assert_string_equal(dir_kind_name(DIR_GROUP), "group");
    assert_string_equal(dir_kind_name((enum dir_kind)99), "?");
}

static void
expect_same(struct store *st, const char *name, int64_t id)
{
    struct dir_principal p = {0};
    char *cause = NULL;
    int rc = dir_lookup(st, name, &p, &cause);
    if (rc != CC_OK)
        fail_msg("lookup '%s': %s: %s", name, cc_status_name(rc), cause ? cause : "");
    if (p.id != id)
        fail_msg("lookup '%s' found %s", name, p.name);
    dir_principal_free(&p);
}

static void
test_lookup_forms(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct dir_principal p = {0};
    char *cause = NULL;
    UNIT_OK(dir_lookup(st, "SERVER1", &p, &cause), cause);
    static const char *const server[] = {
        "SERVER1",
        "server1",
        "Server1",
        "SERVER1$",
        "server1$",
        "contoso\\server1$",
        "CONTOSO\\SERVER1$",
        "CONTOSO\\server1",
        "contoso.com\\SERVER1$",
        "server1.internal.contoso.com",
        "SERVER1.INTERNAL.CONTOSO.COM",
    };
    for (size_t i = 0; i < sizeof server / sizeof server[0]; i++)
        expect_same(st, server[i], p.id);
    expect_same(st, p.sid, p.id);
    dir_principal_free(&p);

    UNIT_OK(dir_lookup(st, "Administrator", &p, &cause), cause);
    static const char *const admin[] = {
        "Administrator",
        "administrator",
        "ADMINISTRATOR",
        "CONTOSO\\Administrator",
        "contoso\\administrator",
        "administrator@contoso.com",
        "Administrator@CONTOSO.COM",
        "S-1-5-21-1004336348-1177238915-682003330-500",
    };
    for (size_t i = 0; i < sizeof admin / sizeof admin[0]; i++)
        expect_same(st, admin[i], p.id);
    dir_principal_free(&p);

    UNIT_OK(dir_lookup(st, "Domain Admins", &p, &cause), cause);
    expect_same(st, "domain admins", p.id);
    expect_same(st, "CONTOSO\\Domain Admins", p.id);
    dir_principal_free(&p);
    UNIT_OK(dir_lookup(st, "Authenticated Users", &p, &cause), cause);
    expect_same(st, "NT AUTHORITY\\Authenticated Users", p.id);
    expect_same(st, "S-1-5-11", p.id);
    dir_principal_free(&p);
}

static void
test_lookup_unknown(void **state)
{
    struct unit_fx *fx = *state;
    struct dir_principal p = {0};
    char *cause = NULL;
    UNIT_FAILS(dir_lookup(fx->st, "SERVR1", &p, &cause), CC_ENOTFOUND, cause, "'SERVR1'",
               "Did you mean", "SERVER1");
    UNIT_FAILS(dir_lookup(fx->st, "Adminstrator", &p, &cause), CC_ENOTFOUND, cause,
               "Did you mean: Administrator");
    UNIT_FAILS(dir_lookup(fx->st, "Domain Admns", &p, &cause), CC_ENOTFOUND, cause,
               "Domain Admins");
    UNIT_FAILS(dir_lookup(fx->st, "FABRIKAM\\Administrator", &p, &cause), CC_ENOTFOUND, cause,
               "FABRIKAM\\Administrator", "domain");
    UNIT_FAILS(dir_lookup(fx->st, "", &p, &cause), CC_EINVAL, cause, "empty");
    UNIT_FAILS(dir_lookup(fx->st, "CONTOSO\\", &p, &cause), CC_EINVAL, cause, "empty");
    UNIT_FAILS(dir_get(fx->st, 987654321, &p, &cause), CC_ENOTFOUND, cause, "987654321");
    /* a failed lookup leaves nothing to free */
    assert_null(p.name);
    /* no hint when nothing is close */
    UNIT_FAILS(dir_lookup(fx->st, "zzzzzzzzzzzzzzzz", &p, &cause), CC_ENOTFOUND, cause,
               "zzzzzzzzzzzzzzzz");
}

/* A qualified name with a typo should be compared by its account part. */
static void
test_lookup_unknown_qualified_hint(void **state)
{
    struct unit_fx *fx = *state;
    struct dir_principal p = {0};
    char *cause = NULL;
    int rc = dir_lookup(fx->st, "CONTOSO\\SERVR1$", &p, &cause);
    int hinted = cause != NULL && strstr(cause, "SERVER1") != NULL;
    free(cause);
    assert_int_equal(rc, CC_ENOTFOUND);
    assert_true(hinted);
}

/* NT AUTHORITY holds only the well-known groups, not domain accounts. */
static void
test_lookup_wrong_authority(void **state)
{
    struct unit_fx *fx = *state;
    struct dir_principal p = {0};
    char *cause = NULL;
    int rc = dir_lookup(fx->st, "NT AUTHORITY\\Administrator", &p, &cause);
    dir_principal_free(&p);
    free(cause);
    assert_int_equal(rc, CC_ENOTFOUND);
}

static void
test_nested_groups(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    int64_t pki, web, staff;
    UNIT_OK(dir_add_group(test_cx(st), "PKI Team", "certificate administrators", &pki, &cause),
            cause);
    UNIT_OK(dir_add_group(test_cx(st), "Web Admins", NULL, &web, &cause), cause);
    UNIT_OK(dir_add_group(test_cx(st), "All Staff", NULL, &staff, &cause), cause);
    int64_t pkiuser = unit_add_user(st, "pkiuser");
    UNIT_OK(dir_add_member(test_cx(st), "PKI Team", "pkiuser", &cause), cause);
    UNIT_OK(dir_add_member(test_cx(st), "Web Admins", "PKI Team", &cause), cause);
    UNIT_OK(dir_add_member(test_cx(st), "CONTOSO\\All Staff", "contoso\\web admins", &cause),
            cause);

    int64_t *ids = NULL;
    size_t n = 0;
    UNIT_OK(dir_token(st, pkiuser, &ids, &n, &cause), cause);
    assert_true(unit_token_has(ids, n, pkiuser));
    assert_true(unit_token_has(ids, n, pki));
    assert_true(unit_token_has(ids, n, web));
    assert_true(unit_token_has(ids, n, staff));
    assert_true(unit_token_has(ids, n, unit_principal_id(st, "Domain Users")));
    assert_true(unit_token_has(ids, n, unit_principal_id(st, "Authenticated Users")));
    assert_false(unit_token_has(ids, n, unit_principal_id(st, "Domain Admins")));
    assert_false(unit_token_has(ids, n, unit_principal_id(st, "Enterprise Domain Controllers")));
    /* no id twice */
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            assert_int_not_equal(ids[i], ids[k]);
    assert_int_equal(n, 6);
    free(ids);

    /* direct edges only */
    struct dir_principal *list = NULL;
    size_t ln = 0;
    UNIT_OK(dir_members(st, web, &list, &ln, &cause), cause);
    assert_int_equal(ln, 1);
    assert_string_equal(list[0].name, "PKI Team");
    dir_list_free(list, ln);
    UNIT_OK(dir_member_of(st, pkiuser, &list, &ln, &cause), cause);
    assert_int_equal(ln, 2);
    assert_string_equal(list[0].name, "Domain Users");
    assert_string_equal(list[1].name, "PKI Team");
    dir_list_free(list, ln);

    /* a user's token follows membership at once; cutting a link drops what hung below it */
    UNIT_OK(dir_remove_member(test_cx(st), "Web Admins", "PKI Team", &cause), cause);
    UNIT_OK(dir_token(st, pkiuser, &ids, &n, &cause), cause);
    assert_true(unit_token_has(ids, n, pki));
    assert_false(unit_token_has(ids, n, web));
    assert_false(unit_token_has(ids, n, staff));
    free(ids);
    UNIT_OK(dir_add_member(test_cx(st), "Web Admins", "PKI Team", &cause), cause);
    UNIT_OK(dir_token_live(st, pkiuser, &ids, &n, &cause), cause);
    assert_true(unit_token_has(ids, n, staff));
    free(ids);
}

static void
test_membership_loop(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    UNIT_OK(dir_add_group(test_cx(st), "Loop A", NULL, NULL, &cause), cause);
    UNIT_OK(dir_add_group(test_cx(st), "Loop B", NULL, NULL, &cause), cause);
    UNIT_OK(dir_add_group(test_cx(st), "Loop C", NULL, NULL, &cause), cause);
    UNIT_OK(dir_add_member(test_cx(st), "Loop A", "Loop B", &cause), cause); /* B in A */
    UNIT_OK(dir_add_member(test_cx(st), "Loop B", "Loop C", &cause), cause); /* C in B */

    struct snapshot s;
    snap_take(st, &s);
    UNIT_FAILS(dir_add_member(test_cx(st), "Loop C", "Loop A", &cause), CC_EINVAL, cause, "loop");
    UNIT_FAILS(dir_add_member(test_cx(st), "Loop B", "Loop A", &cause), CC_EINVAL, cause, "loop");
    UNIT_FAILS(dir_add_member(test_cx(st), "Loop A", "Loop A", &cause), CC_EINVAL, cause, "itself");
    snap_same(st, &s);

    /* the tokens still close over the chain */
    int64_t *ids = NULL;
    size_t n = 0;
    int64_t c = unit_principal_id(st, "Loop C");
    UNIT_OK(dir_token(st, c, &ids, &n, &cause), cause);
    assert_true(unit_token_has(ids, n, unit_principal_id(st, "Loop A")));
    assert_true(unit_token_has(ids, n, unit_principal_id(st, "Loop B")));
    free(ids);
}

static void
test_computer_token_at_restart(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    int64_t iis;
    UNIT_OK(dir_add_group(test_cx(st), "IIS Servers", NULL, &iis, &cause), cause);
    int64_t server = unit_principal_id(st, "SERVER1");
    int64_t *ids = NULL;
    size_t n = 0;

    UNIT_OK(dir_add_member(test_cx(st), "IIS Servers", "SERVER1$", &cause), cause);
    UNIT_OK(dir_token(st, server, &ids, &n, &cause), cause);
    assert_false(unit_token_has(ids, n, iis)); /* not until it restarts */
    assert_true(unit_token_has(ids, n, unit_principal_id(st, "Domain Computers")));
    free(ids);
    UNIT_OK(dir_token_live(st, server, &ids, &n, &cause), cause);
    assert_true(unit_token_has(ids, n, iis));
    free(ids);

    int64_t audits = unit_count(st, "SELECT count(*) FROM audit WHERE field = 'restart'");
    UNIT_OK(dir_restart(test_cx(st), "server1", &cause), cause);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE field = 'restart'"),
                     audits + 1);
    UNIT_OK(dir_token(st, server, &ids, &n, &cause), cause);
    assert_true(unit_token_has(ids, n, iis));
    assert_true(unit_token_has(ids, n, server));
    assert_true(unit_token_has(ids, n, unit_principal_id(st, "Authenticated Users")));
    free(ids);

    /* leaving a group also waits for the restart */
    UNIT_OK(dir_remove_member(test_cx(st), "IIS Servers", "SERVER1", &cause), cause);
    UNIT_OK(dir_token(st, server, &ids, &n, &cause), cause);
    assert_true(unit_token_has(ids, n, iis));
    free(ids);
    UNIT_OK(dir_restart(test_cx(st), "SERVER1$", &cause), cause);
    UNIT_OK(dir_token(st, server, &ids, &n, &cause), cause);
    assert_false(unit_token_has(ids, n, iis));
    free(ids);

    /* with tokens_at_restart off, the live token counts at once */
    int64_t client = unit_principal_id(st, "CLIENT1");
    store_set_tokens_at_restart(st, 0);
    UNIT_OK(dir_add_member(test_cx(st), "IIS Servers", "CLIENT1", &cause), cause);
    UNIT_OK(dir_token(st, client, &ids, &n, &cause), cause);
    assert_true(unit_token_has(ids, n, iis));
    free(ids);
    /* and back on, the snapshot taken when CLIENT1 joined the domain applies again */
    store_set_tokens_at_restart(st, 1);
    UNIT_OK(dir_token(st, client, &ids, &n, &cause), cause);
    assert_false(unit_token_has(ids, n, iis));
    free(ids);

    UNIT_FAILS(dir_restart(test_cx(st), "Administrator", &cause), CC_EINVAL, cause,
               "only computers");
    UNIT_FAILS(dir_restart(test_cx(st), "SERVER9", &cause), CC_ENOTFOUND, cause, "SERVER9");
}

static void
test_authenticated_users_everywhere(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    int64_t au = unit_principal_id(st, "Authenticated Users");
    struct dir_principal *list = NULL;
    size_t n = 0;
    UNIT_OK(dir_list(st, (1u << DIR_USER) | (1u << DIR_COMPUTER) | (1u << DIR_GROUP), &list, &n,
                     &cause),
            cause);
    assert_true(n >= 5);
    for (size_t i = 0; i < n; i++) {
        int64_t *ids = NULL;
        size_t k = 0;
        UNIT_OK(dir_token(st, list[i].id, &ids, &k, &cause), cause);
        if (!unit_token_has(ids, k, au))
            fail_msg("%s's token lacks Authenticated Users", list[i].name);
        assert_true(unit_token_has(ids, k, list[i].id));
        free(ids);
        UNIT_OK(dir_token_live(st, list[i].id, &ids, &k, &cause), cause);
        assert_true(unit_token_has(ids, k, au));
        free(ids);
    }
    dir_list_free(list, n);
}

static void
test_domain_controllers(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    int64_t edc = unit_principal_id(st, "Enterprise Domain Controllers");
    int64_t dcs = unit_principal_id(st, "Domain Controllers");
    int64_t computers = unit_principal_id(st, "Domain Computers");
    int64_t *ids = NULL;
    size_t n = 0;
    int64_t dc1 = unit_principal_id(st, "DC1");
    UNIT_OK(dir_token(st, dc1, &ids, &n, &cause), cause);
    assert_true(unit_token_has(ids, n, edc));
    assert_true(unit_token_has(ids, n, dcs));
    assert_false(unit_token_has(ids, n, computers));
    free(ids);
    assert_true(dir_token_has_rid(st, dc1, RID_DOMAIN_CONTROLLERS));

    static const char *const members[] = {"CA1", "SERVER1", "CLIENT1", "Administrator"};
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
        UNIT_OK(dir_token(st, unit_principal_id(st, members[i]), &ids, &n, &cause), cause);
        assert_false(unit_token_has(ids, n, edc));
        assert_false(unit_token_has(ids, n, dcs));
        free(ids);
    }
    assert_true(dir_token_has_rid(st, unit_principal_id(st, "CA1"), RID_DOMAIN_COMPUTERS));
}

static void
test_non_admin_refused(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    int64_t helpdesk = unit_add_user(st, "helpdesk");
    struct snapshot s;
    snap_take(st, &s);
    unit_act_as(st, "helpdesk");
    UNIT_FAILS(dir_add_group(test_cx(st), "Helpdesk Group", NULL, NULL, &cause), CC_EACCES, cause,
               "CONTOSO\\helpdesk", "Domain Admins");
    UNIT_FAILS(dir_add_member(test_cx(st), "Domain Admins", "helpdesk", &cause), CC_EACCES, cause,
               "helpdesk");
    UNIT_FAILS(dir_add_member(test_cx(st), "Enterprise Admins", "CONTOSO\\helpdesk", &cause),
               CC_EACCES, cause, "");
    UNIT_FAILS(dir_remove_member(test_cx(st), "Domain Admins", "Administrator", &cause), CC_EACCES,
               cause, "");
    UNIT_FAILS(dir_add_user(test_cx(st), "intruder", NULL, NULL, NULL, NULL, &cause), CC_EACCES,
               cause, "");
    UNIT_FAILS(dir_add_computer(test_cx(st), "EVIL1", NULL, NULL, 0, NULL, &cause), CC_EACCES,
               cause, "");
    UNIT_FAILS(
        dir_set_attribute(test_cx(st), "Administrator", "upn", "helpdesk@contoso.com", &cause),
        CC_EACCES, cause, "");
    UNIT_FAILS(dir_restart(test_cx(st), "SERVER1", &cause), CC_EACCES, cause, "");
    UNIT_FAILS(dir_require_admin(test_cx(st), "do this", &cause), CC_EACCES, cause, "do this");
    snap_same(st, &s);
    assert_false(dir_token_has_rid(st, helpdesk, RID_DOMAIN_ADMINS));

    /* an administrator through a nested group may */
    test_act_id(st, 0, NULL);
    char *why = NULL;
    UNIT_OK(dir_add_group(test_cx(st), "Tier0", NULL, NULL, &why), why);
    UNIT_OK(dir_add_member(test_cx(st), "Domain Admins", "Tier0", &why), why);
    unit_add_user(st, "tier0op");
    UNIT_OK(dir_add_member(test_cx(st), "Tier0", "tier0op", &why), why);
    unit_act_as(st, "tier0op");
    UNIT_OK(dir_require_admin(test_cx(st), "do this", &why), why);
    UNIT_OK(dir_add_group(test_cx(st), "Tier0 Group", NULL, NULL, &why), why);
    /* and Administrator, directly in Domain Admins */
    unit_act_as(st, "Administrator");
    UNIT_OK(dir_add_member(test_cx(st), "Tier0 Group", "helpdesk", &why), why);
    /* the audit log names the acting account */
    struct audit_entry *log = NULL;
    size_t n = 0;
    UNIT_OK(audit_list(st, "Tier0 Group", 0, &log, &n, &why), why);
    assert_int_equal(n, 2);
    assert_string_equal(log[0].actor, "CONTOSO\\Administrator");
    assert_string_equal(log[0].field, "add member");
    assert_string_equal(log[0].new_value, "helpdesk");
    assert_string_equal(log[1].actor, "CONTOSO\\tier0op");
    assert_string_equal(log[1].field, "create");
    audit_list_free(log, n);
}

static void
test_bad_names(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct snapshot s;
    snap_take(st, &s);
    static const char *const bad_users[] = {
        "bad\tname", "a@b",    "line\nbreak", "x\x7fy",     "twentyonecharacters12",
        " lead",     "trail ", "trail.",      "semi;colon", "back\\slash",
        "q?",        "",       "a,b",         "a=b",
    };
    for (size_t i = 0; i < sizeof bad_users / sizeof bad_users[0]; i++) {
        int rc = dir_add_user(test_cx(st), bad_users[i], NULL, NULL, NULL, NULL, &cause);
        if (rc != CC_EINVAL)
            fail_msg("user name '%s' gave %s", bad_users[i], cc_status_name(rc));
        assert_non_null(strstr(cause, "user name"));
        free(cause);
        cause = NULL;
    }
    char long_group[66];
    memset(long_group, 'g', 65);
    long_group[65] = '\0';
    static const char *const bad_groups[] = {"ctl\x01", "x@y", "a|b", "star*", "<g>", ""};
    UNIT_FAILS(dir_add_group(test_cx(st), long_group, NULL, NULL, &cause), CC_EINVAL, cause,
               "1 to 64");
    for (size_t i = 0; i < sizeof bad_groups / sizeof bad_groups[0]; i++) {
        int rc = dir_add_group(test_cx(st), bad_groups[i], NULL, NULL, &cause);
        if (rc != CC_EINVAL)
            fail_msg("group name '%s' gave %s", bad_groups[i], cc_status_name(rc));
        free(cause);
        cause = NULL;
    }
    static const char *const bad_computers[] = {
        "TOOLONGCOMPUTER1", "web_01", "bad name", "", "$", "a.b"};
    for (size_t i = 0; i < sizeof bad_computers / sizeof bad_computers[0]; i++) {
        int rc = dir_add_computer(test_cx(st), bad_computers[i], NULL, NULL, 0, NULL, &cause);
        if (rc != CC_EINVAL)
            fail_msg("computer name '%s' gave %s", bad_computers[i], cc_status_name(rc));
        free(cause);
        cause = NULL;
    }
    UNIT_FAILS(dir_add_computer(test_cx(st), "WEB2", "not a name", NULL, 0, NULL, &cause),
               CC_EINVAL, cause, "not a name");
    struct strlist extra = {0};
    assert_int_equal(strlist_add(&extra, "-bad.contoso.com"), CC_OK);
    UNIT_FAILS(dir_add_computer(test_cx(st), "WEB2", NULL, &extra, 0, NULL, &cause), CC_EINVAL,
               cause, "-bad.contoso.com");
    strlist_free(&extra);
    UNIT_FAILS(dir_add_user(test_cx(st), "baduser", "baduser", NULL, NULL, NULL, &cause), CC_EINVAL,
               cause, "UPN");
    UNIT_FAILS(dir_add_user(test_cx(st), "baduser", NULL, "baduser@", NULL, NULL, &cause),
               CC_EINVAL, cause, "e-mail");
    snap_same(st, &s);

    /* the limits themselves are fine */
    UNIT_OK(dir_add_user(test_cx(st), "twentycharacters1234", NULL, NULL, NULL, NULL, &cause),
            cause);
    long_group[64] = '\0';
    UNIT_OK(dir_add_group(test_cx(st), long_group, NULL, NULL, &cause), cause);
    UNIT_OK(dir_add_computer(test_cx(st), "FIFTEENCHARS-01", NULL, NULL, 0, NULL, &cause), cause);
    struct dir_principal p = {0};
    UNIT_OK(dir_lookup(st, "fifteenchars-01$", &p, &cause), cause);
    assert_string_equal(p.name, "FIFTEENCHARS-01");            /* computer names are upper case */
    assert_string_equal(p.dns, "fifteenchars-01.contoso.com"); /* default FQDN */
    dir_principal_free(&p);
    UNIT_OK(dir_lookup(st, "twentycharacters1234@contoso.com", &p, &cause), cause);
    dir_principal_free(&p);
}

static void
test_duplicates(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct snapshot s;
    snap_take(st, &s);
    UNIT_FAILS(dir_add_user(test_cx(st), "Administrator", NULL, NULL, NULL, NULL, &cause),
               CC_EEXIST, cause, "Administrator");
    UNIT_FAILS(dir_add_user(test_cx(st), "administrator", NULL, NULL, NULL, NULL, &cause),
               CC_EEXIST, cause, "already used by Administrator");
    UNIT_FAILS(dir_add_group(test_cx(st), "Domain Admins", NULL, NULL, &cause), CC_EEXIST, cause,
               "");
    UNIT_FAILS(dir_add_group(test_cx(st), "DOMAIN ADMINS", NULL, NULL, &cause), CC_EEXIST, cause,
               "");
    UNIT_FAILS(dir_add_group(test_cx(st), "Authenticated Users", NULL, NULL, &cause), CC_EEXIST,
               cause, "");
    UNIT_FAILS(dir_add_computer(test_cx(st), "server1", NULL, NULL, 0, NULL, &cause), CC_EEXIST,
               cause, "");
    UNIT_FAILS(dir_add_computer(test_cx(st), "SERVER1$", NULL, NULL, 0, NULL, &cause), CC_EEXIST,
               cause, "");
    /* one namespace for users, computers and groups */
    UNIT_FAILS(dir_add_user(test_cx(st), "SERVER1", NULL, NULL, NULL, NULL, &cause), CC_EEXIST,
               cause, "");
    UNIT_FAILS(dir_add_group(test_cx(st), "Administrator", NULL, NULL, &cause), CC_EEXIST, cause,
               "");
    /* memberships: twice in, or out when not in */
    UNIT_FAILS(dir_add_member(test_cx(st), "Domain Admins", "Administrator", &cause), CC_EEXIST,
               cause, "already a member");
    UNIT_FAILS(dir_remove_member(test_cx(st), "Domain Admins", "CLIENT1", &cause), CC_ENOTFOUND,
               cause, "not a member");
    snap_same(st, &s);
}

/* A UPN and a DNS host name name one account each in AD. */
static void
test_duplicate_upn_dns(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL, *cause2 = NULL;
    /* in a transaction that is rolled back, so a wrongly accepted account does not linger */
    UNIT_OK(store_begin(st, &cause), cause);
    int rc_upn = dir_add_user(test_cx(st), "impostor", "administrator@contoso.com", NULL, NULL,
                              NULL, &cause);
    int rc_dns = dir_add_computer(test_cx(st), "WEB2", "server1.internal.contoso.com", NULL, 0,
                                  NULL, &cause2);
    store_rollback(st);
    free(cause);
    free(cause2);
    assert_int_equal(rc_upn, CC_EEXIST);
    assert_int_equal(rc_dns, CC_EEXIST);
}

static void
test_implicit_and_kinds(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct snapshot s;
    snap_take(st, &s);
    UNIT_FAILS(dir_add_member(test_cx(st), "Authenticated Users", "CLIENT1", &cause), CC_EINVAL,
               cause, "implicit");
    UNIT_FAILS(dir_add_member(test_cx(st), "Domain Users", "Authenticated Users", &cause),
               CC_EINVAL, cause, "implicit");
    UNIT_FAILS(dir_add_member(test_cx(st), "Administrator", "CLIENT1", &cause), CC_EINVAL, cause,
               "not a group");
    UNIT_FAILS(dir_add_member(test_cx(st), "No Such Group", "CLIENT1", &cause), CC_ENOTFOUND, cause,
               "No Such Group");
    UNIT_FAILS(dir_add_member(test_cx(st), "Domain Users", "nobody-here", &cause), CC_ENOTFOUND,
               cause, "nobody-here");
    snap_same(st, &s);
}

static void
test_qualified_names(void **state)
{
    struct unit_fx *fx = *state;
    static const struct {
        const char *name, *want;
    } cases[] = {
        {"Administrator", "CONTOSO\\Administrator"},
        {"SERVER1", "CONTOSO\\SERVER1$"},
        {"Domain Admins", "CONTOSO\\Domain Admins"},
        {"Authenticated Users", "NT AUTHORITY\\Authenticated Users"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct dir_principal p = {0};
        char *cause = NULL;
        UNIT_OK(dir_lookup(fx->st, cases[i].name, &p, &cause), cause);
        char *q = dir_qualified_name(fx->st, &p);
        assert_non_null(q);
        assert_string_equal(q, cases[i].want);
        /* and the qualified form finds the same principal */
        expect_same(fx->st, q, p.id);
        free(q);
        dir_principal_free(&p);
    }
}

static void
test_set_attribute(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct dir_principal p = {0};
    unit_add_user(st, "mailuser");
    UNIT_OK(dir_set_attribute(test_cx(st), "mailuser", "mail", "mailuser@contoso.com", &cause),
            cause);
    UNIT_OK(dir_set_attribute(test_cx(st), "mailuser", "display", "Mail User", &cause), cause);
    UNIT_OK(dir_lookup(st, "mailuser", &p, &cause), cause);
    assert_string_equal(p.mail, "mailuser@contoso.com");
    assert_string_equal(p.display, "Mail User");
    assert_string_equal(p.upn, "mailuser@contoso.com"); /* the default UPN */
    dir_principal_free(&p);

    UNIT_OK(dir_set_attribute(test_cx(st), "CLIENT1", "extra-dns", "a.contoso.com, b.contoso.com",
                              &cause),
            cause);
    UNIT_OK(dir_lookup(st, "CLIENT1", &p, &cause), cause);
    assert_int_equal(p.extra_dns.n, 2);
    assert_string_equal(p.extra_dns.v[0], "a.contoso.com");
    assert_string_equal(p.extra_dns.v[1], "b.contoso.com");
    dir_principal_free(&p);
    UNIT_OK(dir_set_attribute(test_cx(st), "CLIENT1", "extra-dns", "", &cause), cause);
    UNIT_OK(dir_lookup(st, "CLIENT1", &p, &cause), cause);
    assert_int_equal(p.extra_dns.n, 0);
    dir_principal_free(&p);

    struct snapshot s;
    snap_take(st, &s);
    UNIT_FAILS(dir_set_attribute(test_cx(st), "mailuser", "upn", "no-at-sign", &cause), CC_EINVAL,
               cause, "no-at-sign");
    UNIT_FAILS(dir_set_attribute(test_cx(st), "mailuser", "dns", "mailuser.contoso.com", &cause),
               CC_EINVAL, cause, "no dns attribute");
    UNIT_FAILS(dir_set_attribute(test_cx(st), "CLIENT1", "mail", "c@contoso.com", &cause),
               CC_EINVAL, cause, "");
    UNIT_FAILS(dir_set_attribute(test_cx(st), "CLIENT1", "dns", "bad..name", &cause), CC_EINVAL,
               cause, "");
    UNIT_FAILS(dir_set_attribute(test_cx(st), "CLIENT1", "colour", "blue", &cause), CC_EINVAL,
               cause, "colour");
    UNIT_FAILS(dir_set_attribute(test_cx(st), "CLIENT9", "dns", "c9.contoso.com", &cause),
               CC_ENOTFOUND, cause, "CLIENT9");
    snap_same(st, &s);
}

/*
 * A user made from a full name: the full name is its cn (what lists and a
 * certificate's CN show, as AD's New Object - User makes it), the logon name
 * its sAMAccountName and UPN; both names find it.
 */
static void
test_user_cn_from_full_name(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct dir_principal p = {0};
    UNIT_OK(dir_add_user_cn(test_cx(st), "Mobile Trainee", "mtrainee", NULL, NULL, "Mobile Trainee",
                            NULL, &cause),
            cause);
    UNIT_OK(dir_lookup(st, "mtrainee", &p, &cause), cause);
    assert_string_equal(p.name, "Mobile Trainee");
    assert_string_equal(p.sam, "mtrainee");
    assert_string_equal(p.upn, "mtrainee@contoso.com");
    assert_string_equal(p.display, "Mobile Trainee");
    dir_principal_free(&p);
    UNIT_OK(dir_lookup(st, "Mobile Trainee", &p, &cause), cause);
    assert_string_equal(p.sam, "mtrainee");
    dir_principal_free(&p);
    struct snapshot s;
    snap_take(st, &s);
    UNIT_FAILS(dir_add_user_cn(test_cx(st), "Bad, Name", "badname", NULL, NULL, NULL, NULL, &cause),
               CC_EINVAL, cause, "Bad, Name");
    UNIT_FAILS(dir_add_user_cn(test_cx(st), "Long Logon", "a-logon-name-over-20-chars", NULL, NULL,
                               NULL, NULL, &cause),
               CC_EINVAL, cause, "1 to 20");
    snap_same(st, &s);
}

/*
 * A group's default container: Groups unless set to Users; dir_check_attribute
 * says what is wrong with a value before anything is written.
 */
static void
test_group_container_and_checks(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct dir_principal p = {0};
    UNIT_OK(dir_add_group(test_cx(st), "Mobile Users", NULL, NULL, &cause), cause);
    UNIT_OK(dir_lookup(st, "Mobile Users", &p, &cause), cause);
    assert_string_equal(p.container, "");
    dir_principal_free(&p);
    UNIT_OK(dir_set_attribute(test_cx(st), "Mobile Users", "container", "users", &cause), cause);
    UNIT_OK(dir_lookup(st, "Mobile Users", &p, &cause), cause);
    assert_string_equal(p.container, "Users");
    dir_principal_free(&p);
    struct snapshot s;
    snap_take(st, &s);
    UNIT_FAILS(dir_set_attribute(test_cx(st), "Mobile Users", "container", "Computers", &cause),
               CC_EINVAL, cause, "Users or Groups");
    UNIT_FAILS(dir_set_attribute(test_cx(st), "CLIENT1", "container", "Users", &cause), CC_EINVAL,
               cause, "no container attribute");
    snap_same(st, &s);
    UNIT_OK(dir_set_attribute(test_cx(st), "Mobile Users", "container", "Groups", &cause), cause);
    UNIT_OK(dir_lookup(st, "Mobile Users", &p, &cause), cause);
    assert_string_equal(p.container, "");
    dir_principal_free(&p);

    UNIT_OK(dir_check_attribute("upn", "client1@contoso.com", &cause), cause);
    UNIT_OK(dir_check_attribute("upn", "", &cause), cause);
    UNIT_FAILS(dir_check_attribute("upn", "client1", &cause), CC_EINVAL, cause, "name@contoso.com");
    UNIT_FAILS(dir_check_attribute("mail", "a@b@c", &cause), CC_EINVAL, cause, "e-mail");
    UNIT_FAILS(dir_check_attribute("dns", "not a host!!", &cause), CC_EINVAL, cause,
               "not a host!!");
    UNIT_FAILS(dir_check_attribute("extra-dns", "ok.contoso.com, -bad-", &cause), CC_EINVAL, cause,
               "-bad-");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_lab_principals, test_setup),
        cmocka_unit_test_setup(test_lookup_forms, test_setup),
        cmocka_unit_test_setup(test_lookup_unknown, test_setup),
        cmocka_unit_test_setup(test_lookup_unknown_qualified_hint, test_setup),
        cmocka_unit_test_setup(test_lookup_wrong_authority, test_setup),
        cmocka_unit_test_setup(test_nested_groups, test_setup),
        cmocka_unit_test_setup(test_membership_loop, test_setup),
        cmocka_unit_test_setup(test_computer_token_at_restart, test_setup),
        cmocka_unit_test_setup(test_authenticated_users_everywhere, test_setup),
        cmocka_unit_test_setup(test_domain_controllers, test_setup),
        cmocka_unit_test_setup(test_non_admin_refused, test_setup),
        cmocka_unit_test_setup(test_bad_names, test_setup),
        cmocka_unit_test_setup(test_duplicates, test_setup),
        cmocka_unit_test_setup(test_duplicate_upn_dns, test_setup),
        cmocka_unit_test_setup(test_implicit_and_kinds, test_setup),
        cmocka_unit_test_setup(test_qualified_names, test_setup),
        cmocka_unit_test_setup(test_set_attribute, test_setup),
        cmocka_unit_test_setup(test_user_cn_from_full_name, test_setup),
        cmocka_unit_test_setup(test_group_container_and_checks, test_setup),
    };
    return cmocka_run_group_tests_name("directory", tests, group_setup, unit_group_teardown);
}
