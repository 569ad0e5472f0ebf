/*
 * Unit tests of ca/lab: lab_init builds the contoso network (domain,
 * computers, Administrator, the 33 built-in templates, meta keys) and hands
 * back the CA to create; an unknown lab is CC_ENOTFOUND; a lab file with a
 * syntax or content error, or a broken built-in template, is reported as
 * file:line and, because the whole of lab_init is one transaction, leaves
 * every table of the same store empty, so a correct lab can then be built
 * in it; a second lab_init on a populated store is refused and changes
 * nothing.
 */
#include "config.h"

#include <dirent.h>

#include "template.h"
#include "unit.h"

static int
group_setup(void **state)
{
    return unit_group_setup_lab(state, "lab");
}

/* Every table of the schema, whatever the migrations add; fills *names. */
static void
all_tables(struct store *st, struct strlist *names)
{
    struct store_stmt *q = NULL;
    char *cause = NULL;
    UNIT_OK(store_prepare(st,
                          "SELECT name FROM sqlite_master WHERE type = 'table' "
                          "AND name NOT LIKE 'sqlite%' ORDER BY name",
                          &q, &cause),
            cause);
    while (store_step(q, NULL) == STORE_ROW)
        assert_int_equal(strlist_add(names, store_col_text(q, 0)), CC_OK);
    store_finalize(q);
    assert_true(names->n >= 9);
}

static int64_t
rows_in(struct store *st, const char *table)
{
    char *sql = cc_asprintf("SELECT count(*) FROM \"%s\"", table);
    int64_t n = unit_count(st, sql);
    free(sql);
    return n;
}

/* Fails unless every table of st is empty: a failed lab_init leaves nothing. */
static void
expect_empty(struct store *st)
{
    struct strlist tables = {0};
    all_tables(st, &tables);
    for (size_t i = 0; i < tables.n; i++) {
        int64_t n = rows_in(st, tables.v[i]);
        if (n != 0)
            fail_msg("table %s holds %lld rows after a failed lab_init", tables.v[i], (long long)n);
    }
    strlist_free(&tables);
}

/* A fresh empty store in the scratch directory; *path allocated. */
static struct store *
fresh_store(struct unit_fx *fx, const char *name, char **path)
{
    struct store *st = NULL;
    char *cause = NULL;
    *path = cc_asprintf("%s/%s.db", fx->dir, name);
    UNIT_OK(store_open(*path, STORE_CREATE, &st, &cause), cause);
    return st;
}

/*
 * A data directory under the scratch directory: labs/ holds lab_text as
 * NAME.conf, templates/ links to every real built-in plus, when not NULL,
 * Broken.conf with broken_template. Returns the allocated directory.
 */
static char *
make_datadir(struct unit_fx *fx, const char *dirname, const char *name, const char *lab_text,
             const char *broken_template)
{
    char *dir = cc_asprintf("%s/%s", fx->dir, dirname);
    char *labs = cc_asprintf("%s/labs", dir);
    char *tpl = cc_asprintf("%s/templates", dir);
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(mkdir(labs, 0755), 0);
    assert_int_equal(mkdir(tpl, 0755), 0);
    char *lab = cc_asprintf("%s/%s.conf", labs, name);
    unit_write_file(lab, lab_text);
    free(lab);

    char *real = cc_asprintf("%s/templates", fx->datadir);
    DIR *d = opendir(real);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".conf") != 0)
            continue;
        char *from = cc_asprintf("%s/%s", real, e->d_name);
        char *to = cc_asprintf("%s/%s", tpl, e->d_name);
        /* an absolute target: the link works wherever the scratch directory is */
        char *abs = realpath(from, NULL);
        assert_non_null(abs);
        assert_int_equal(symlink(abs, to), 0);
        free(abs);
        free(from);
        free(to);
    }
    closedir(d);
    free(real);
    if (broken_template != NULL) {
        char *b = cc_asprintf("%s/Broken.conf", tpl);
        unit_write_file(b, broken_template);
        free(b);
    }
    free(labs);
    free(tpl);
    return dir;
}

/* The real contoso lab file's text; allocated. */
static char *
contoso_text(struct unit_fx *fx)
{
    char *path = lab_path(fx->datadir, "contoso");
    char *text = unit_read_file(path, NULL);
    assert_non_null(text);
    free(path);
    return text;
}

static void
test_contoso(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *v = NULL, *cause = NULL;

    assert_string_equal(fx->def.name, "contoso");
    assert_non_null(fx->def.title);
    assert_string_equal(fx->def.local_computer, "CA1");
    assert_string_equal(fx->def.ca.name, "contoso-CA1-CA");
    assert_string_equal(fx->def.ca.host, "CA1");
    assert_string_equal(fx->def.ca.edition, "Enterprise");
    assert_string_equal(fx->def.ca.key, "rsa:2048");

    assert_int_equal(store_meta_get(st, "lab", &v), CC_OK);
    assert_string_equal(v, "contoso");
    free(v);
    assert_int_equal(store_meta_get(st, "local_computer", &v), CC_OK);
    assert_string_equal(v, "CA1");
    free(v);
    assert_int_equal(store_meta_get(st, "default_account", &v), CC_OK);
    assert_string_equal(v, "Administrator");
    free(v);

    struct dir_domain d = {0};
    UNIT_OK(dir_domain_get(st, &d, &cause), cause);
    assert_string_equal(d.dns, "contoso.com");
    assert_string_equal(d.netbios, "CONTOSO");
    dir_domain_free(&d);

    struct dir_principal *list = NULL;
    size_t n = 0;
    UNIT_OK(dir_list(st, 1u << DIR_COMPUTER, &list, &n, &cause), cause);
    assert_int_equal(n, 4);
    dir_list_free(list, n);
    UNIT_OK(dir_list(st, 1u << DIR_USER, &list, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].name, "Administrator");
    dir_list_free(list, n);
    assert_int_equal(rows_in(st, "template"), 33);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM template WHERE (flags & 65536) = 0"),
                     0); /* all built-ins */
    /* every computer took its first token when it joined */
    assert_int_equal(rows_in(st, "token_taken"), 4);
    assert_true(
        dir_token_has_rid(st, unit_principal_id(st, "Administrator"), RID_ENTERPRISE_ADMINS));

    char *p = lab_path("/usr/share/certcon/data", "contoso");
    assert_string_equal(p, "/usr/share/certcon/data/labs/contoso.conf");
    free(p);
}

static void
test_unknown_lab(void **state)
{
    struct unit_fx *fx = *state;
    char *path = NULL, *cause = NULL;
    struct store *st = fresh_store(fx, "unknown", &path);
    struct lab_def def;
    memset(&def, 0x5a, sizeof def); /* lab_init clears it */
    UNIT_FAILS(lab_init(test_cx(st), fx->datadir, "nowhere", &def, &cause), CC_ENOTFOUND, cause,
               "'nowhere'", "nowhere.conf");
    assert_null(def.name);
    assert_null(def.ca.name);
    lab_def_free(&def);
    expect_empty(st);
    store_close(st);
    free(path);
}

static void
test_syntax_error(void **state)
{
    struct unit_fx *fx = *state;
    char *path = NULL, *cause = NULL;
    struct store *st = fresh_store(fx, "syntax", &path);
    static const char text[] = "lab:\n"
                               "{\n"
                               "  name = \"broken\";\n"
                               "  domain = { dns = \"fabrikam.com\"; netbios = \"FABRIKAM\"; };\n"
                               "  computers = (\n"
                               "    { name = \"WEB1\"; dns = \"web1.fabrikam.com\"; },\n"
                               "    { name = \"WEB2\" = \"web2.fabrikam.com\"; }\n"
                               "  );\n"
                               "};\n";
    char *datadir = make_datadir(fx, "data-syntax", "broken", text, NULL);
    char *want = cc_asprintf("%s/labs/broken.conf:7:", datadir);
    struct lab_def def;
    UNIT_FAILS(lab_init(test_cx(st), datadir, "broken", &def, &cause), CC_EPARSE, cause, want);
    lab_def_free(&def);
    expect_empty(st);
    free(want);
    free(datadir);
    store_close(st);
    free(path);
}

static void
test_content_error_rolls_back(void **state)
{
    struct unit_fx *fx = *state;
    char *path = NULL, *cause = NULL;
    struct store *st = fresh_store(fx, "content", &path);
    /* the domain, two computers and a user go in before the bad group name */
    static const char text[] = "lab:\n"
                               "{\n"
                               "  name = \"halfway\";\n"
                               "  domain = { dns = \"fabrikam.com\"; netbios = \"FABRIKAM\"; };\n"
                               "  computers = (\n"
                               "    { name = \"WEB1\"; },\n"
                               "    { name = \"WEB2\"; }\n"
                               "  );\n"
                               "  users = (\n"
                               "    { name = \"labuser1\"; },\n"
                               "    { name = \"labuser2\";\n"
                               "      groups = [ \"No Such Group\" ]; }\n"
                               "  );\n"
                               "};\n";
    char *datadir = make_datadir(fx, "data-content", "halfway", text, NULL);
    char *want = cc_asprintf("%s/labs/halfway.conf:12:", datadir);
    struct lab_def def;
    UNIT_FAILS(lab_init(test_cx(st), datadir, "halfway", &def, &cause), CC_ENOTFOUND, cause, want,
               "No Such Group");
    lab_def_free(&def);
    expect_empty(st);

    /* a missing domain is reported with the lab's line */
    static const char nodomain[] = "lab:\n{\n  name = \"nodomain\";\n};\n";
    char *datadir2 = make_datadir(fx, "data-nodomain", "nodomain", nodomain, NULL);
    char *want2 = cc_asprintf("%s/labs/nodomain.conf:", datadir2);
    UNIT_FAILS(lab_init(test_cx(st), datadir2, "nodomain", &def, &cause), CC_EPARSE, cause, want2,
               "domain");
    lab_def_free(&def);
    expect_empty(st);

    /* the same store takes a correct lab afterwards */
    UNIT_OK(lab_init(test_cx(st), fx->datadir, "contoso", &def, &cause), cause);
    assert_string_equal(def.name, "contoso");
    assert_int_equal(rows_in(st, "template"), 33);
    struct dir_principal p = {0};
    assert_int_equal(dir_lookup(st, "WEB1", &p, NULL), CC_ENOTFOUND);
    lab_def_free(&def);
    free(want);
    free(want2);
    free(datadir);
    free(datadir2);
    store_close(st);
    free(path);
}

static void
test_broken_template_rolls_back(void **state)
{
    struct unit_fx *fx = *state;
    char *path = NULL, *cause = NULL;
    struct store *st = fresh_store(fx, "broken-template", &path);
    static const char broken[] = "template:\n"
                                 "{\n"
                                 "  name = \"Broken\";\n"
                                 "  display_name = \"Broken Template\";\n"
                                 "  oid = \"@forest.1.99\";\n"
                                 "  schema = 2;\n"
                                 "  validity = \"1y\";\n"
                                 "  renewal = \"6w\";\n"
                                 "  security = ( { principal = \"Nobody Group\"; allow = "
                                 "\"Read\"; } );\n"
                                 "};\n";
    char *lab = contoso_text(fx);
    char *datadir = make_datadir(fx, "data-template", "contoso", lab, broken);
    char *want = cc_asprintf("%s/templates/Broken.conf:9:", datadir);
    struct lab_def def;
    int rc = lab_init(test_cx(st), datadir, "contoso", &def, &cause);
    assert_int_not_equal(rc, CC_OK);
    assert_non_null(cause);
    if (strstr(cause, want) == NULL || strstr(cause, "Nobody Group") == NULL)
        fail_msg("cause '%s' lacks '%s'", cause, want);
    free(cause);
    lab_def_free(&def);
    /* the directory was built first: it must be gone as well */
    expect_empty(st);
    free(want);
    free(datadir);
    free(lab);
    store_close(st);
    free(path);
}

static void
test_second_init_refused(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    char *db = unit_db_digest(st);
    int64_t records = rows_in(st, "audit");
    struct lab_def def;
    UNIT_FAILS(lab_init(test_cx(st), fx->datadir, "contoso", &def, &cause), CC_EEXIST, cause,
               "contoso.com");
    lab_def_free(&def);
    UNIT_DB_UNCHANGED(st, db);
    assert_int_equal(rows_in(st, "audit"), records);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contoso),
        cmocka_unit_test(test_unknown_lab),
        cmocka_unit_test(test_syntax_error),
        cmocka_unit_test(test_content_error_rolls_back),
        cmocka_unit_test(test_broken_template_rolls_back),
        cmocka_unit_test(test_second_init_refused),
    };
    return cmocka_run_group_tests_name("lab", tests, group_setup, unit_group_teardown);
}
