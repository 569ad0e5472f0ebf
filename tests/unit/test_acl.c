/*
 * Unit tests of ca/acl: grant adds rights (and an Allow clears the same
 * Deny, and the other way round), revoke clears them and drops an empty
 * entry, set replaces an entry wholesale; effective rights over a token
 * honour Deny over Allow wherever in the token the entries sit, Full Control
 * carries every right, and acl_decision names the entries that granted or
 * denied each right; rights parse and format round-trip and bad names are
 * refused. The last tests take real tokens from the lab directory and the
 * built-in Web Server ACL.
 */
#include "config.h"

#include "acl.h"
#include "template.h"
#include "unit.h"

#define RWE  (ACL_READ | ACL_WRITE | ACL_ENROLL)
#define FOUR (ACL_READ | ACL_WRITE | ACL_ENROLL | ACL_AUTOENROLL)

static int
group_setup(void **state)
{
    return unit_group_setup_lab(state, "acl");
}

static int
bit_index(unsigned bit)
{
    for (int i = 0; i < ACL_RIGHT_COUNT; i++)
        if ((1u << i) == bit)
            return i;
    fail_msg("not a right bit: %u", bit);
    return -1;
}

static void
test_grant(void **state)
{
    (void)state;
    struct acl acl = {0};
    char name[] = "Domain Users";
    assert_int_equal(acl_grant(&acl, 513, name, ACL_READ, 0), CC_OK);
    name[0] = 'X'; /* the entry keeps its own copy of the name */
    assert_int_equal(acl.n, 1);
    struct acl_entry *e = acl_find(&acl, 513);
    assert_non_null(e);
    assert_string_equal(e->name, "Domain Users");
    assert_int_equal(e->allow, ACL_READ);
    assert_int_equal(e->deny, 0);

    /* grants add up on the one entry */
    assert_int_equal(acl_grant(&acl, 513, "Domain Users", ACL_ENROLL, 0), CC_OK);
    assert_int_equal(acl.n, 1);
    e = acl_find(&acl, 513);
    assert_int_equal(e->allow, ACL_READ | ACL_ENROLL);

    /* a Deny of a right clears its Allow, and an Allow clears its Deny */
    assert_int_equal(acl_grant(&acl, 513, NULL, 0, ACL_ENROLL), CC_OK);
    e = acl_find(&acl, 513);
    assert_int_equal(e->allow, ACL_READ);
    assert_int_equal(e->deny, ACL_ENROLL);
    assert_int_equal(acl_grant(&acl, 513, NULL, ACL_ENROLL, 0), CC_OK);
    e = acl_find(&acl, 513);
    assert_int_equal(e->allow, ACL_READ | ACL_ENROLL);
    assert_int_equal(e->deny, 0);
    assert_string_equal(e->name, "Domain Users"); /* kept */

    /* a second principal is a second entry, in order */
    assert_int_equal(acl_grant(&acl, 512, "Domain Admins", RWE, ACL_AUTOENROLL), CC_OK);
    assert_int_equal(acl.n, 2);
    assert_int_equal(acl.v[0].principal, 513);
    assert_int_equal(acl.v[1].principal, 512);
    assert_int_equal(acl.v[1].allow, RWE);
    assert_int_equal(acl.v[1].deny, ACL_AUTOENROLL);
    assert_null(acl_find(&acl, 999));
    acl_free(&acl);
    assert_int_equal(acl.n, 0);
    assert_null(acl.v);
}

static void
test_revoke(void **state)
{
    (void)state;
    struct acl acl = {0};
    assert_int_equal(acl_grant(&acl, 1, "one", RWE, ACL_AUTOENROLL), CC_OK);
    assert_int_equal(acl_grant(&acl, 2, "two", ACL_READ, 0), CC_OK);
    assert_int_equal(acl_grant(&acl, 3, "three", ACL_FULL, 0), CC_OK);

    assert_int_equal(acl_revoke(&acl, 1, ACL_WRITE), CC_OK);
    assert_int_equal(acl_find(&acl, 1)->allow, ACL_READ | ACL_ENROLL);
    assert_int_equal(acl_find(&acl, 1)->deny, ACL_AUTOENROLL);
    assert_int_equal(acl_revoke(&acl, 1, ACL_AUTOENROLL), CC_OK); /* a Deny goes the same way */
    assert_int_equal(acl_find(&acl, 1)->deny, 0);

    /* the last right out takes the entry with it */
    assert_int_equal(acl_revoke(&acl, 2, ACL_READ), CC_OK);
    assert_null(acl_find(&acl, 2));
    assert_int_equal(acl.n, 2);

    /* clearing one right from Full Control leaves the others */
    assert_int_equal(acl_revoke(&acl, 3, ACL_WRITE), CC_OK);
    assert_int_equal(acl_find(&acl, 3)->allow, ACL_READ | ACL_ENROLL | ACL_AUTOENROLL);

    /* ACL_ALL removes the entry whatever it holds */
    assert_int_equal(acl_revoke(&acl, 1, ACL_ALL), CC_OK);
    assert_null(acl_find(&acl, 1));
    assert_int_equal(acl.n, 1);
    assert_int_equal(acl.v[0].principal, 3);

    assert_int_equal(acl_revoke(&acl, 42, ACL_READ), CC_ENOTFOUND);
    assert_int_equal(acl.n, 1);
    acl_free(&acl);
}

static void
test_set(void **state)
{
    (void)state;
    struct acl acl = {0};
    assert_int_equal(acl_set(&acl, 7, "seven", RWE, 0), CC_OK);
    assert_int_equal(acl_set(&acl, 8, "eight", ACL_READ, 0), CC_OK);
    /* wholesale: nothing of the old entry survives */
    assert_int_equal(acl_set(&acl, 7, "ignored", 0, ACL_ENROLL), CC_OK);
    assert_int_equal(acl.n, 2);
    assert_int_equal(acl_find(&acl, 7)->allow, 0);
    assert_int_equal(acl_find(&acl, 7)->deny, ACL_ENROLL);
    assert_string_equal(acl_find(&acl, 7)->name, "seven");
    /* bits outside the five rights are dropped */
    assert_int_equal(acl_set(&acl, 8, "eight", ACL_READ | 0x100 | 0x8000, 0x40), CC_OK);
    assert_int_equal(acl_find(&acl, 8)->allow, ACL_READ);
    assert_int_equal(acl_find(&acl, 8)->deny, 0);
    /* 0/0 removes; removing an absent entry is fine */
    assert_int_equal(acl_set(&acl, 7, NULL, 0, 0), CC_OK);
    assert_null(acl_find(&acl, 7));
    assert_int_equal(acl_set(&acl, 99, NULL, 0, 0), CC_OK);
    assert_int_equal(acl.n, 1);
    assert_int_equal(acl.v[0].principal, 8);
    acl_free(&acl);
}

static void
test_copy_equal(void **state)
{
    (void)state;
    struct acl a = {0}, b = {0}, c = {0};
    assert_int_equal(acl_set(&a, 1, "one", ACL_READ, 0), CC_OK);
    assert_int_equal(acl_set(&a, 2, "two", RWE, ACL_AUTOENROLL), CC_OK);
    assert_int_equal(acl_set(&b, 5, "stale", ACL_READ, 0), CC_OK);
    assert_int_equal(acl_copy(&b, &a), CC_OK);
    assert_int_equal(b.n, 2);
    assert_true(acl_equal(&a, &b));
    assert_ptr_not_equal(a.v[0].name, b.v[0].name);
    assert_string_equal(b.v[1].name, "two");

    /* order does not matter, rights do */
    assert_int_equal(acl_set(&c, 2, "two", RWE, ACL_AUTOENROLL), CC_OK);
    assert_int_equal(acl_set(&c, 1, "one", ACL_READ, 0), CC_OK);
    assert_true(acl_equal(&a, &c));
    assert_int_equal(acl_set(&c, 1, "one", ACL_READ, ACL_WRITE), CC_OK);
    assert_false(acl_equal(&a, &c));
    assert_int_equal(acl_set(&c, 1, "one", ACL_READ | ACL_ENROLL, 0), CC_OK);
    assert_false(acl_equal(&a, &c));
    assert_int_equal(acl_set(&c, 1, "one", ACL_READ, 0), CC_OK);
    assert_true(acl_equal(&a, &c));
    assert_int_equal(acl_set(&c, 3, "three", ACL_READ, 0), CC_OK);
    assert_false(acl_equal(&a, &c));
    assert_false(acl_equal(&c, &a));

    struct acl empty = {0};
    assert_int_equal(acl_copy(&c, &empty), CC_OK);
    assert_int_equal(c.n, 0);
    assert_true(acl_equal(&c, &empty));
    acl_free(&a);
    acl_free(&b);
    acl_free(&c);
}

static void
test_deny_wins(void **state)
{
    (void)state;
    /* token: user 10 in groups 20 and 30 */
    const int64_t token[] = {10, 20, 30};
    struct acl acl = {0};
    assert_int_equal(acl_set(&acl, 20, "Web Admins", ACL_READ | ACL_ENROLL, 0), CC_OK);
    assert_int_equal(acl_set(&acl, 30, "Blocked", 0, ACL_ENROLL), CC_OK);
    struct acl_decision why;
    unsigned eff = acl_effective(&acl, token, 3, &why);
    assert_int_equal(eff, ACL_READ);
    assert_int_equal(why.rights, ACL_READ);
    assert_ptr_equal(why.granted_by[bit_index(ACL_READ)], &acl.v[0]);
    assert_ptr_equal(why.granted_by[bit_index(ACL_ENROLL)], &acl.v[0]);
    assert_ptr_equal(why.denied_by[bit_index(ACL_ENROLL)], &acl.v[1]);
    assert_string_equal(why.denied_by[bit_index(ACL_ENROLL)]->name, "Blocked");
    assert_null(why.denied_by[bit_index(ACL_READ)]);
    assert_null(why.granted_by[bit_index(ACL_WRITE)]);

    /* the Deny wins in either order, and also on the user's own entry */
    struct acl rev = {0};
    assert_int_equal(acl_set(&rev, 10, "pkiuser", 0, ACL_ENROLL), CC_OK);
    assert_int_equal(acl_set(&rev, 20, "Web Admins", ACL_READ | ACL_ENROLL, 0), CC_OK);
    assert_int_equal(acl_effective(&rev, token, 3, NULL), ACL_READ);
    /* a Deny outside the token does nothing */
    const int64_t other[] = {11, 20};
    assert_int_equal(acl_effective(&rev, other, 2, NULL), ACL_READ | ACL_ENROLL);
    /* the order of the token does not matter either */
    const int64_t shuffled[] = {30, 10, 20};
    assert_int_equal(acl_effective(&acl, shuffled, 3, NULL), ACL_READ);

    /* a Deny of Full Control removes everything */
    assert_int_equal(acl_set(&acl, 30, "Blocked", 0, ACL_FULL), CC_OK);
    assert_int_equal(acl_effective(&acl, token, 3, &why), 0);
    assert_ptr_equal(why.denied_by[bit_index(ACL_READ)], &acl.v[1]);

    /* no entry for anyone in the token: no rights */
    const int64_t stranger[] = {77};
    assert_int_equal(acl_effective(&acl, stranger, 1, &why), 0);
    for (int i = 0; i < ACL_RIGHT_COUNT; i++) {
        assert_null(why.granted_by[i]);
        assert_null(why.denied_by[i]);
    }
    assert_int_equal(acl_effective(&acl, NULL, 0, NULL), 0);
    acl_free(&acl);
    acl_free(&rev);
}

static void
test_full_control(void **state)
{
    (void)state;
    const int64_t token[] = {1, 2};
    struct acl acl = {0};
    assert_int_equal(acl_set(&acl, 2, "PKI Admins", ACL_FULL, 0), CC_OK);
    struct acl_decision why;
    assert_int_equal(acl_effective(&acl, token, 2, &why), FOUR | ACL_FULL);
    for (unsigned bit = ACL_READ; bit <= ACL_FULL; bit <<= 1)
        assert_ptr_equal(why.granted_by[bit_index(bit)], &acl.v[0]);

    /* one Deny and Full Control is no longer full; the rest stays */
    assert_int_equal(acl_set(&acl, 1, "pkiuser", 0, ACL_AUTOENROLL), CC_OK);
    assert_int_equal(acl_effective(&acl, token, 2, &why), RWE);
    assert_ptr_equal(why.denied_by[bit_index(ACL_AUTOENROLL)], &acl.v[1]);
    assert_false(why.rights & ACL_FULL);

    /* the four rights one by one are not Full Control */
    struct acl four = {0};
    assert_int_equal(acl_set(&four, 1, "pkiuser", FOUR, 0), CC_OK);
    assert_int_equal(acl_effective(&four, token, 2, NULL), FOUR);
    acl_free(&acl);
    acl_free(&four);
}

/* The first entry in ACL order that granted a right is the one named. */
static void
test_decision_first_entry(void **state)
{
    (void)state;
    const int64_t token[] = {1, 2, 3};
    struct acl acl = {0};
    assert_int_equal(acl_set(&acl, 9, "outsider", FOUR, 0), CC_OK);
    assert_int_equal(acl_set(&acl, 2, "Readers", ACL_READ, 0), CC_OK);
    assert_int_equal(acl_set(&acl, 3, "Enrollers", ACL_READ | ACL_ENROLL, 0), CC_OK);
    struct acl_decision why;
    assert_int_equal(acl_effective(&acl, token, 3, &why), ACL_READ | ACL_ENROLL);
    assert_string_equal(why.granted_by[bit_index(ACL_READ)]->name, "Readers");
    assert_string_equal(why.granted_by[bit_index(ACL_ENROLL)]->name, "Enrollers");
    assert_null(why.granted_by[bit_index(ACL_WRITE)]); /* the outsider is not in the token */
    acl_free(&acl);
}

static void
test_rights_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned mask;
    } good[] = {
        {"Read", ACL_READ},
        {"Read,Enroll", ACL_READ | ACL_ENROLL},
        {"read + write", ACL_READ | ACL_WRITE},
        {" ENROLL , autoenroll ", ACL_ENROLL | ACL_AUTOENROLL},
        {"FullControl", ACL_FULL},
        {"Full Control", ACL_FULL},
        {"full control,Read", ACL_FULL | ACL_READ},
        {"Read,Read", ACL_READ},
        {"Read,Write,Enroll,Autoenroll,FullControl", ACL_ALL},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        unsigned mask = 0;
        char *cause = NULL;
        UNIT_OK(acl_rights_parse(good[i].text, &mask, &cause), cause);
        if (mask != good[i].mask)
            fail_msg("'%s' parsed as 0x%x", good[i].text, mask);
    }
    static const char *const bad[] = {"Reed",  "Read,Bogus", "Full", "Control", "Read;Write",
                                      "Allow", "",           " , ",  "Delete"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        unsigned mask = 0xdead;
        char *cause = NULL;
        int rc = acl_rights_parse(bad[i], &mask, &cause);
        if (rc != CC_EINVAL)
            fail_msg("'%s' gave %s", bad[i], cc_status_name(rc));
        assert_int_equal(mask, 0xdead); /* untouched */
        assert_non_null(cause);
        assert_non_null(strstr(cause, "FullControl")); /* the cause lists the valid names */
        free(cause);
    }
    char *cause = NULL;
    unsigned mask = 0;
    UNIT_FAILS(acl_rights_parse("Read,Bogus", &mask, &cause), CC_EINVAL, cause, "'Bogus'");
}

static void
test_rights_format(void **state)
{
    (void)state;
    char *s = acl_rights_format(0);
    assert_string_equal(s, "");
    free(s);
    s = acl_rights_format(RWE);
    assert_string_equal(s, "Read,Write,Enroll");
    free(s);
    s = acl_rights_format(ACL_FULL | ACL_READ);
    assert_string_equal(s, "Read,FullControl");
    free(s);
    s = acl_rights_format(ACL_AUTOENROLL | ACL_ENROLL);
    assert_string_equal(s, "Enroll,Autoenroll");
    free(s);

    /* every mask survives format then parse */
    for (unsigned m = 1; m <= ACL_ALL; m++) {
        s = acl_rights_format(m);
        assert_non_null(s);
        unsigned back = 0;
        char *cause = NULL;
        UNIT_OK(acl_rights_parse(s, &back, &cause), cause);
        assert_int_equal(back, m);
        free(s);
    }
    assert_string_equal(acl_right_name(ACL_FULL), "Full Control");
    assert_string_equal(acl_right_name(ACL_READ), "Read");
    assert_string_equal(acl_right_name(ACL_WRITE), "Write");
    assert_string_equal(acl_right_name(ACL_ENROLL), "Enroll");
    assert_string_equal(acl_right_name(ACL_AUTOENROLL), "Autoenroll");
    assert_string_equal(acl_right_name(ACL_READ | ACL_WRITE), "?");
    assert_string_equal(acl_right_name(0), "?");
}

/* Real tokens against the built-in Web Server and Workstation ACLs. */
static void
test_builtin_acl_with_tokens(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct template web = {0}, ws = {0};
    UNIT_OK(template_load(st, "Web Server", &web, &cause), cause);
    UNIT_OK(template_load(st, "Workstation Authentication", &ws, &cause), cause);

    int64_t *tok = NULL;
    size_t n = 0;
    int64_t admin = unit_principal_id(st, "Administrator");
    UNIT_OK(dir_token(st, admin, &tok, &n, &cause), cause);
    struct acl_decision why;
    assert_int_equal(acl_effective(&web.acl, tok, n, &why), RWE);
    assert_string_equal(why.granted_by[bit_index(ACL_ENROLL)]->name, "Domain Admins");
    free(tok);

    int64_t plainuser = unit_add_user(st, "plainuser");
    UNIT_OK(dir_token(st, plainuser, &tok, &n, &cause), cause);
    assert_int_equal(acl_effective(&web.acl, tok, n, &why), ACL_READ);
    assert_string_equal(why.granted_by[bit_index(ACL_READ)]->name, "Authenticated Users");
    assert_int_equal(acl_effective(&ws.acl, tok, n, NULL), ACL_READ);
    free(tok);

    /* a computer enrolls for Workstation Authentication through Domain Computers */
    UNIT_OK(dir_token(st, unit_principal_id(st, "CLIENT1"), &tok, &n, &cause), cause);
    assert_int_equal(acl_effective(&ws.acl, tok, n, &why), ACL_READ | ACL_ENROLL);
    assert_string_equal(why.granted_by[bit_index(ACL_ENROLL)]->name, "Domain Computers");
    assert_int_equal(acl_effective(&web.acl, tok, n, NULL), ACL_READ);

    /* Deny Enroll for Domain Computers beats the Allow */
    assert_int_equal(acl_grant(&ws.acl, unit_principal_id(st, "Domain Computers"),
                               "Domain Computers", 0, ACL_ENROLL),
                     CC_OK);
    assert_int_equal(acl_effective(&ws.acl, tok, n, &why), ACL_READ);
    assert_string_equal(why.denied_by[bit_index(ACL_ENROLL)]->name, "Domain Computers");
    free(tok);
    template_free(&web);
    template_free(&ws);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grant),
        cmocka_unit_test(test_revoke),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_copy_equal),
        cmocka_unit_test(test_deny_wins),
        cmocka_unit_test(test_full_control),
        cmocka_unit_test(test_decision_first_entry),
        cmocka_unit_test(test_rights_parse),
        cmocka_unit_test(test_rights_format),
        cmocka_unit_test(test_builtin_acl_with_tokens),
    };
    return cmocka_run_group_tests_name("acl", tests, group_setup, unit_group_teardown);
}
