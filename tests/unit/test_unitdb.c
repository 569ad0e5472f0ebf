/*
 * Unit tests of unit_db_digest() (unit.h), the check the operation tests
 * make that a refused or failed change left the database alone: the same
 * database gives the same digest, a copy of it too, and so do rows written
 * again in another order; one value changed in place (an UPDATE, which no
 * row count sees) changes it, as do NULL, empty text and an empty blob
 * standing for one another; the audit log, ACME nonces and the change
 * counter, which a refusal writes, are left out (every other meta key counts).
 */
#include "config.h"

#include "unit.h"

static int
group_setup(void **state)
{
    return unit_group_setup_lab(state, "unitdb");
}

static void
exec_ok(struct store *st, const char *sql)
{
    char *cause = NULL;
    UNIT_OK(store_exec(st, sql, &cause), cause);
}

/* Fails unless the digest is now (1) or is no longer (0) before. */
static void
expect_digest(struct store *st, const char *before, int same)
{
    char *now = unit_db_digest(st);
    if (same && strcmp(now, before) != 0)
        fail_msg("digest changed: %s, was %s", now, before);
    if (!same && strcmp(now, before) == 0)
        fail_msg("digest did not change: %s", now);
    free(now);
}

static void
test_stable(void **state)
{
    struct unit_fx *fx = *state;
    char *a = unit_db_digest(fx->st), *b = unit_db_digest(fx->st);
    assert_int_equal(strlen(a), 64);
    assert_int_equal(strspn(a, "0123456789abcdef"), 64);
    assert_string_equal(a, b);
    /* the lab's rows are in it */
    char *dump = unit_db_dump(fx->st, NULL);
    assert_non_null(strstr(dump, "table principal ("));
    assert_non_null(strstr(dump, "t13:Administrator"));
    assert_null(strstr(dump, "table audit ("));
    free(dump);
    free(a);
    free(b);
}

/* An UPDATE in place keeps every row count but changes the digest; undone, it is back. */
static void
test_update_in_place(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *before = unit_db_digest(st);
    int64_t principals = unit_count(st, "SELECT count(*) FROM principal");
    char *mail = NULL;
    struct store_stmt *q = NULL;
    char *cause = NULL;
    UNIT_OK(
        store_prepare(st, "SELECT mail FROM principal WHERE name = 'Administrator'", &q, &cause),
        cause);
    assert_int_equal(store_step(q, NULL), STORE_ROW);
    int was_null = store_col_null(q, 0);
    mail = was_null ? NULL : strdup(store_col_text(q, 0));
    store_finalize(q);

    exec_ok(st,
            "UPDATE principal SET mail = 'someone.else@contoso.com' WHERE name = 'Administrator'");
    assert_int_equal(unit_count(st, "SELECT count(*) FROM principal"), principals);
    expect_digest(st, before, 0);

    UNIT_OK(
        store_prepare(st, "UPDATE principal SET mail = ? WHERE name = 'Administrator'", &q, &cause),
        cause);
    store_bind_text(q, 1, mail);
    UNIT_OK(store_run(q, &cause), cause);
    store_finalize(q);
    expect_digest(st, before, 1);

    /* one template's flag bit: a number in place */
    exec_ok(st, "UPDATE template SET flags = flags + 1 WHERE cn = 'User'");
    expect_digest(st, before, 0);
    exec_ok(st, "UPDATE template SET flags = flags - 1 WHERE cn = 'User'");
    expect_digest(st, before, 1);
    free(mail);
    free(before);
}

/* Rows deleted and written again (so stored in another order) give the same digest. */
static void
test_row_order(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *before = unit_db_digest(st);
    assert_true(unit_count(st, "SELECT count(*) FROM membership") > 1);
    exec_ok(st, "CREATE TEMP TABLE m AS SELECT * FROM membership ORDER BY group_id DESC, "
                "member_id DESC;"
                "DELETE FROM membership;"
                "INSERT INTO membership SELECT * FROM m;"
                "DROP TABLE m");
    expect_digest(st, before, 1);
    free(before);
}

/* NULL, empty text and an empty blob are three values; so are text and a blob of its bytes. */
static void
test_types(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    assert_int_equal(unit_count(st, "SELECT count(*) FROM principal WHERE name = 'Administrator' "
                                    "AND description IS NULL"),
                     0);
    char *orig = unit_db_digest(st);
    exec_ok(st, "CREATE TEMP TABLE d AS SELECT description FROM principal "
                "WHERE name = 'Administrator'");
    const char *values[] = {"NULL", "''", "X''", "'A'", "X'41'"};
    char *seen[5] = {0};
    for (size_t i = 0; i < 5; i++) {
        char *sql = cc_asprintf(
            "UPDATE principal SET description = %s WHERE name = 'Administrator'", values[i]);
        exec_ok(st, sql);
        free(sql);
        seen[i] = unit_db_digest(st);
        assert_string_not_equal(seen[i], orig);
        for (size_t j = 0; j < i; j++)
            if (strcmp(seen[i], seen[j]) == 0)
                fail_msg("description %s and %s give the same digest", values[i], values[j]);
    }
    exec_ok(st, "UPDATE principal SET description = (SELECT description FROM d) "
                "WHERE name = 'Administrator'; DROP TABLE d");
    expect_digest(st, orig, 1);
    for (size_t i = 0; i < 5; i++)
        free(seen[i]);
    free(orig);
}

/* A copy of the database file is the same database: the same digest. */
static void
test_identical_copy(void **state)
{
    struct unit_fx *fx = *state;
    char *cause = NULL;
    UNIT_OK(store_checkpoint(fx->st, &cause), cause);
    char *copy = cc_asprintf("%s/copy.db", fx->dir);
    FILE *in = fopen(fx->db, "rb"), *out = fopen(copy, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
    assert_int_equal(chmod(copy, 0600), 0);

    struct store *st2 = NULL;
    UNIT_OK(store_open(copy, 0, &st2, &cause), cause);
    char *a = unit_db_digest(fx->st), *b = unit_db_digest(st2);
    assert_string_equal(a, b);
    /* and the copy's own change shows in its digest only */
    exec_ok(st2, "UPDATE ou SET description = 'moved' WHERE rowid = (SELECT min(rowid) FROM ou)");
    assert_true(unit_count(st2, "SELECT count(*) FROM ou") > 0);
    expect_digest(st2, a, 0);
    expect_digest(fx->st, a, 1);
    store_close(st2);
    free(a);
    free(b);
    free(copy);
}

/* What a refusal writes is left out: the audit log, nonces, the change counter; nothing else. */
static void
test_left_out(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *before = unit_db_digest(st);
    exec_ok(st, "INSERT INTO audit (at, actor, kind, object, result) "
                "VALUES (1, 'plain', 'test', 'x', 'refused')");
    exec_ok(st, "INSERT INTO acme_nonce (nonce, created) VALUES ('n0nce', 1)");
    exec_ok(st, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'changes'");
    expect_digest(st, before, 1);
    exec_ok(st, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'next_rid'");
    expect_digest(st, before, 0);
    exec_ok(st, "UPDATE meta SET value = CAST(value AS INTEGER) - 1 WHERE key = 'next_rid'");
    expect_digest(st, before, 1);
    exec_ok(st, "INSERT INTO acme_template (cn) VALUES ('User')");
    expect_digest(st, before, 0);
    exec_ok(st, "DELETE FROM acme_template WHERE cn = 'User'");
    expect_digest(st, before, 1);
    exec_ok(st, "INSERT INTO meta (key, value) VALUES ('unit_db_probe', '1')");
    expect_digest(st, before, 0);
    exec_ok(st, "DELETE FROM meta WHERE key = 'unit_db_probe'");
    expect_digest(st, before, 1);
    UNIT_DB_UNCHANGED(st, before);
    assert_null(before);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stable),         cmocka_unit_test(test_update_in_place),
        cmocka_unit_test(test_row_order),      cmocka_unit_test(test_types),
        cmocka_unit_test(test_identical_copy), cmocka_unit_test(test_left_out),
    };
    return cmocka_run_group_tests_name("unitdb", tests, group_setup, unit_group_teardown);
}
