/*
 * Unit tests of ca/util and ca/status: owned string lists (add, find,
 * remove, copy, equality), split and join, the case-insensitive edit
 * distance and the "Did you mean" suggestions built on it, the cause
 * convention of cc_fail (replacing and freeing an earlier cause), the small
 * string helpers, random bytes, the status table every message comes
 * from, and the escaping every value the command line prints goes through.
 * The group's scratch database holds the directory whose names feed
 * the suggestion test.
 */
#include "config.h"

#include "unit.h"

static int
group_setup(void **state)
{
    return unit_group_setup_lab(state, "util");
}

/* A list built from a NULL-terminated argument list. */
static void
make_list(struct strlist *l, ...)
{
    va_list ap;
    va_start(ap, l);
    const char *s;
    while ((s = va_arg(ap, const char *)) != NULL)
        assert_int_equal(strlist_add(l, s), CC_OK);
    va_end(ap);
}

static void
test_strlist_add_find(void **state)
{
    (void)state;
    struct strlist l = {0};
    char buf[] = "Web Server";
    assert_int_equal(strlist_add(&l, buf), CC_OK);
    make_list(&l, "User", "web server", (const char *)NULL);
    assert_int_equal(l.n, 3);
    /* the list holds copies, not the caller's buffer */
    assert_ptr_not_equal(l.v[0], buf);
    buf[0] = 'X';
    assert_string_equal(l.v[0], "Web Server");

    assert_int_equal(strlist_find(&l, "Web Server", 0), 0);
    assert_int_equal(strlist_find(&l, "web server", 0), 2);
    assert_int_equal(strlist_find(&l, "WEB SERVER", 0), -1);
    assert_int_equal(strlist_find(&l, "WEB SERVER", 1), 0);
    assert_int_equal(strlist_find(&l, "user", 1), 1);
    assert_int_equal(strlist_find(&l, "Nobody", 1), -1);

    strlist_free(&l);
    assert_null(l.v);
    assert_int_equal(l.n, 0);
    strlist_free(&l); /* twice is harmless */
    strlist_free(NULL);
}

static void
test_strlist_remove(void **state)
{
    (void)state;
    struct strlist l = {0};
    make_list(&l, "a", "b", "c", "d", (const char *)NULL);
    assert_int_equal(strlist_remove_at(&l, 1), CC_OK); /* middle */
    assert_int_equal(l.n, 3);
    assert_string_equal(l.v[0], "a");
    assert_string_equal(l.v[1], "c");
    assert_string_equal(l.v[2], "d");
    assert_int_equal(strlist_remove_at(&l, 2), CC_OK); /* last */
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[1], "c");
    assert_int_equal(strlist_remove_at(&l, 0), CC_OK); /* first */
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0], "c");
    assert_int_equal(strlist_remove_at(&l, 1), CC_EINVAL); /* past the end */
    assert_int_equal(strlist_remove_at(&l, 99), CC_EINVAL);
    assert_int_equal(l.n, 1);
    strlist_free(&l);
}

static void
test_strlist_copy_equal(void **state)
{
    (void)state;
    struct strlist a = {0}, b = {0}, c = {0};
    make_list(&a, "one", "two", "three", (const char *)NULL);
    make_list(&b, "stale", (const char *)NULL);
    assert_int_equal(strlist_copy(&b, &a), CC_OK); /* replaces b's content */
    assert_int_equal(b.n, 3);
    assert_true(strlist_equal(&a, &b));
    for (size_t i = 0; i < a.n; i++)
        assert_ptr_not_equal(a.v[i], b.v[i]); /* a deep copy */
    b.v[1][0] = 'T';
    assert_string_equal(a.v[1], "two");
    assert_false(strlist_equal(&a, &b)); /* case matters */

    make_list(&c, "one", "three", "two", (const char *)NULL);
    assert_false(strlist_equal(&a, &c)); /* order matters */
    assert_int_equal(strlist_remove_at(&c, 2), CC_OK);
    assert_false(strlist_equal(&a, &c)); /* length matters */

    struct strlist empty1 = {0}, empty2 = {0};
    assert_true(strlist_equal(&empty1, &empty2));
    assert_int_equal(strlist_copy(&c, &empty1), CC_OK);
    assert_int_equal(c.n, 0);
    strlist_free(&a);
    strlist_free(&b);
    strlist_free(&c);
}

static void
test_strlist_split(void **state)
{
    (void)state;
    struct strlist l = {0};
    make_list(&l, "left over", (const char *)NULL);
    assert_int_equal(strlist_split(&l, "  Read, Write ,,Enroll;  ;Autoenroll ", ",;"), CC_OK);
    assert_int_equal(l.n, 4); /* the earlier content is replaced */
    assert_string_equal(l.v[0], "Read");
    assert_string_equal(l.v[1], "Write");
    assert_string_equal(l.v[2], "Enroll");
    assert_string_equal(l.v[3], "Autoenroll");

    /* inner blanks stay: only the ends of each item are trimmed */
    assert_int_equal(strlist_split(&l, "Server Authentication\nClient Authentication", "\n"),
                     CC_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0], "Server Authentication");
    assert_string_equal(l.v[1], "Client Authentication");

    assert_int_equal(strlist_split(&l, "", ","), CC_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(strlist_split(&l, " , ,\t, ", ","), CC_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(strlist_split(&l, "single", ","), CC_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.v[0], "single");
    strlist_free(&l);
}

static void
test_strlist_same_set(void **state)
{
    (void)state;
    struct strlist a = {0}, b = {0};
    assert_true(strlist_same_set(&a, &b, 0));
    assert_int_equal(strlist_add(&a, "Domain Users"), CC_OK);
    assert_int_equal(strlist_add(&a, "SERVER1$"), CC_OK);
    assert_int_equal(strlist_add(&b, "server1$"), CC_OK);
    assert_false(strlist_same_set(&a, &b, 1)); /* one short */
    assert_int_equal(strlist_add(&b, "domain users"), CC_OK);
    assert_true(strlist_same_set(&a, &b, 1)); /* any order, any case */
    assert_false(strlist_same_set(&a, &b, 0)); /* but not when case counts */
    free(b.v[1]);
    b.v[1] = strdup("Domain Admins");
    assert_false(strlist_same_set(&a, &b, 1));
    strlist_free(&a);
    strlist_free(&b);
}

static void
test_strlist_join(void **state)
{
    (void)state;
    struct strlist l = {0};
    char *s = strlist_join(&l, ", ");
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);

    make_list(&l, "a", (const char *)NULL);
    s = strlist_join(&l, ", ");
    assert_string_equal(s, "a");
    free(s);

    make_list(&l, "bb", "", "ccc", (const char *)NULL);
    s = strlist_join(&l, ", ");
    assert_string_equal(s, "a, bb, , ccc");
    free(s);
    s = strlist_join(&l, "");
    assert_string_equal(s, "abbccc");
    free(s);

    /* split undoes join when no item is blank or holds the separator */
    struct strlist back = {0}, src = {0};
    make_list(&src, "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2", "2.5.29.37.0", (const char *)NULL);
    s = strlist_join(&src, "\n");
    assert_int_equal(strlist_split(&back, s, "\n"), CC_OK);
    assert_true(strlist_equal(&src, &back));
    free(s);
    strlist_free(&back);
    strlist_free(&src);
    strlist_free(&l);
}

static void
test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(cc_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(cc_edit_distance("sitting", "kitten"), 3);
    assert_int_equal(cc_edit_distance("", ""), 0);
    assert_int_equal(cc_edit_distance("", "abc"), 3);
    assert_int_equal(cc_edit_distance("abc", ""), 3);
    assert_int_equal(cc_edit_distance("Administrator", "administrator"), 0);
    assert_int_equal(cc_edit_distance("Administrator", "Adminstrator"), 1);
    assert_int_equal(cc_edit_distance("Web Server", "WebServer"), 1);
    assert_int_equal(cc_edit_distance("flaw", "lawn"), 2);

    /* capped at 64 */
    char a[101], b[101];
    memset(a, 'a', 100);
    memset(b, 'b', 100);
    a[100] = b[100] = '\0';
    assert_int_equal(cc_edit_distance(a, b), 64);
    assert_int_equal(cc_edit_distance(a, ""), 64);
    /* only the first 64 characters count */
    b[0] = 'a';
    memset(b, 'a', 64);
    assert_int_equal(cc_edit_distance(a, b), 0);
}

static void
test_nearest(void **state)
{
    struct unit_fx *fx = *state;
    struct dir_principal *all = NULL;
    size_t n = 0;
    char *cause = NULL;
    struct strlist names = {0};
    UNIT_OK(dir_list(fx->st, ~0u, &all, &n, &cause), cause);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(strlist_add(&names, all[i].name), CC_OK);
    dir_list_free(all, n);

    /* one letter missing */
    char *hint = cc_nearest("Adminstrator", &names);
    assert_non_null(hint);
    assert_string_equal(hint, "Did you mean: Administrator?");
    free(hint);

    /* case does not matter */
    hint = cc_nearest("server2", &names);
    assert_non_null(hint);
    assert_non_null(strstr(hint, "SERVER1"));
    free(hint);

    /* a prefix matches many: at most three are offered */
    hint = cc_nearest("Domain", &names);
    assert_non_null(hint);
    assert_true(strncmp(hint, "Did you mean: Domain ", 21) == 0);
    size_t commas = 0;
    for (const char *p = hint; *p; p++)
        commas += *p == ',';
    assert_int_equal(commas, 2);
    assert_int_equal(hint[strlen(hint) - 1], '?');
    free(hint);

    /* the nearest comes first */
    struct strlist small = {0};
    make_list(&small, "Domain Admins", "Domain Users", "Domain Guests", (const char *)NULL);
    hint = cc_nearest("Domain Usrs", &small);
    assert_non_null(hint);
    assert_true(strncmp(hint, "Did you mean: Domain Users", 26) == 0);
    free(hint);
    strlist_free(&small);

    /* nothing close: no suggestion at all */
    assert_null(cc_nearest("qqqqqqqqqqqq", &names));
    struct strlist none = {0};
    assert_null(cc_nearest("Administrator", &none));
    strlist_free(&names);
}

static void
test_fail_cause(void **state)
{
    (void)state;
    /* no cause wanted: only the status comes back */
    assert_int_equal(cc_fail(NULL, CC_EINVAL, "ignored %d", 1), CC_EINVAL);

    char *cause = NULL;
    assert_int_equal(cc_fail(&cause, CC_ENOTFOUND, "no template named '%s' (%d)", "Web", 7),
                     CC_ENOTFOUND);
    assert_non_null(cause);
    assert_string_equal(cause, "no template named 'Web' (7)");
    /* a second failure replaces (and frees) the first cause: ASan checks the leak */
    char *first = cause;
    assert_int_equal(cc_fail(&cause, CC_EACCES, "%s", "access denied"), CC_EACCES);
    assert_ptr_not_equal(cause, NULL);
    assert_string_equal(cause, "access denied");
    (void)first;
    /* cc_fail may report success too (the status passes through unchanged) */
    assert_int_equal(cc_fail(&cause, CC_OK, "fine"), CC_OK);
    assert_string_equal(cause, "fine");
    free(cause);
}

static void
test_string_helpers(void **state)
{
    (void)state;
    assert_null(cc_strdup(NULL));
    char *s = cc_strdup("CONTOSO\\Administrator");
    assert_string_equal(s, "CONTOSO\\Administrator");
    free(s);
    s = cc_asprintf("%s-%03d", "S-1-5-21", 7);
    assert_string_equal(s, "S-1-5-21-007");
    free(s);
    assert_true(cc_strcaseeq("Web Server", "WEB SERVER"));
    assert_false(cc_strcaseeq("Web Server", "WebServer"));
    assert_false(cc_strcaseeq(NULL, "x"));
    assert_false(cc_strcaseeq("x", NULL));
    assert_false(cc_strcaseeq(NULL, NULL));
}

static void
test_random(void **state)
{
    (void)state;
    unsigned char a[32], b[32], zero[32] = {0};
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    assert_int_equal(cc_random(a, sizeof a), CC_OK);
    assert_int_equal(cc_random(b, sizeof b), CC_OK);
    assert_memory_not_equal(a, b, sizeof a);
    assert_memory_not_equal(a, zero, sizeof a);
    assert_int_equal(cc_random(a, 0), CC_OK);
}

static void
test_status_table(void **state)
{
    (void)state;
    for (int s = 0; s < CC_STATUS_COUNT; s++) {
        /* every code has its own row: no gap falls back to the defaults */
        assert_string_not_equal(cc_strerror(s), "Unknown error.");
        assert_string_not_equal(cc_status_name(s), "UNKNOWN");
        for (int k = 0; k < s; k++) {
            /* messages are distinct; codes share an AD CS name only with its HRESULT */
            assert_string_not_equal(cc_strerror(s), cc_strerror(k));
            if (strcmp(cc_status_name(s), cc_status_name(k)) == 0)
                assert_int_equal(cc_hresult(s), cc_hresult(k));
        }
        /* an HRESULT maps back to a status with the same HRESULT */
        uint32_t hr = cc_hresult(s);
        if (hr != 0) {
            int back = cc_status_from_hresult(hr);
            assert_true(back >= 0);
            assert_int_equal(cc_hresult(back), hr);
        }
    }
    assert_string_equal(cc_status_name(CC_OK), "OK");
    assert_string_equal(cc_status_name(CC_E_TEMPLATE_DENIED), "CERTSRV_E_TEMPLATE_DENIED");
    assert_int_equal(cc_hresult(CC_E_TEMPLATE_DENIED), 0x80094012u);
    assert_int_equal(cc_status_from_hresult(0x80094012u), CC_E_TEMPLATE_DENIED);
    assert_int_equal(cc_hresult(CC_E_KEY_LENGTH), 0x80094811u);
    assert_int_equal(cc_status_from_hresult(0x12345678u), -1);
    /* out-of-range codes still give a message */
    assert_string_equal(cc_strerror(-1), "Unknown error.");
    assert_string_equal(cc_strerror(CC_STATUS_COUNT + 10), "Unknown error.");
    assert_string_equal(cc_status_name(CC_STATUS_COUNT), "UNKNOWN");
    assert_int_equal(cc_hresult(-5), 0);
}

/* cc_text_escape: the command line's escaping, the console's rules. */
static void
check_text(const char *in, int flags, const char *want)
{
    char *got = cc_text_escape(in, flags);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void
test_text_escape(void **state)
{
    (void)state;
    check_text("Web Server", 0, "Web Server");
    check_text(NULL, 0, "");
    check_text("caf\xc3\xa9", 0, "caf\xc3\xa9"); /* printable UTF-8 is kept */
    check_text("CN=\x1b[2J\x07x\x7f", 0, "CN=^[[2J^Gx^?");
    check_text("a\tb\nc\\d", 0, "a^Ib^Jc\\d");
    check_text("a\xc2\x9b"
               "2J",
               0, "a<U+009B>2J");                                        /* C1 CSI */
    check_text("x\xe2\x80\xaey\xe2\x81\xa6z", 0, "x<U+202E>y<U+2066>z"); /* bidi */
    check_text("\xff\xc3(", 0, "\\xFF\\xC3(");                           /* not UTF-8 */
    check_text("\xed\xa0\x80", 0, "\\xED\\xA0\\x80");                    /* a surrogate */
    check_text("\xc0\xaf", 0, "\\xC0\\xAF");                             /* overlong */
    /* TSV: one field stays one field */
    check_text("a\tb\nc\rd\\e\x1b", CC_ESCAPE_TSV, "a\\tb\\nc\\rd\\\\e^[");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strlist_add_find),
        cmocka_unit_test(test_strlist_remove),
        cmocka_unit_test(test_strlist_copy_equal),
        cmocka_unit_test(test_strlist_split),
        cmocka_unit_test(test_strlist_join),
        cmocka_unit_test(test_strlist_same_set),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_nearest),
        cmocka_unit_test(test_fail_cause),
        cmocka_unit_test(test_string_helpers),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_status_table),
        cmocka_unit_test(test_text_escape),
    };
    return cmocka_run_group_tests_name("util", tests, group_setup, unit_group_teardown);
}
