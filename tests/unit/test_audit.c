/*
 * Unit tests of ca/audit: a record carries the acting account (SYSTEM when
 * nobody is acting), the lab clock, kind, object, field and the old and new
 * values (NULLs kept as NULL); listing gives the newest first, honours the
 * limit and the object filter; records are written inside the caller's
 * transaction, so a rolled-back change leaves no record; the lab set-up
 * itself is in the log.
 *
 * The chain: each record's prev is the hash before it and its hash is the
 * SHA-256 of the length-prefixed encoding of its fields; audit_verify()
 * passes on an intact log and names the right record after an edit, a
 * deletion, a swap or an unlinking done behind certcon's back with SQL; a
 * database from before the chain is linked when it is opened. Refusals:
 * recorded with who, what and the missing right, and kept when the refused
 * transaction rolls back; the query filters by refusal, actor, time and
 * object.
 */
#include "config.h"

#include <gnutls/crypto.h>
#include <stdio.h>
#include <unistd.h>

#include "audit.h"
#include "cadb.h"
#include "unit.h"

static int
group_setup(void **state)
{
    return unit_group_setup_lab(state, "audit");
}

static int
test_setup(void **state)
{
    struct unit_fx *fx = *state;
    test_act_id(fx->st, 0, NULL);
    test_clock_set(fx->now);
    return 0;
}

static void
test_record_fields(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    UNIT_OK(
        audit_record(test_cx(st), "template", "Fields", "validity", "2 years", "1 year", &cause),
        cause);
    unit_act_as(st, "Administrator");
    test_clock_set(fx->now + 60);
    UNIT_OK(audit_record(test_cx(st), "group", "Fields", "add member", NULL, "SERVER1", &cause),
            cause);

    struct audit_entry *log = NULL;
    size_t n = 0;
    UNIT_OK(audit_list(st, "Fields", 0, &log, &n, &cause), cause);
    assert_int_equal(n, 2);
    /* newest first */
    assert_true(log[0].id > log[1].id);
    assert_string_equal(log[0].actor, "CONTOSO\\Administrator");
    assert_string_equal(log[0].kind, "group");
    assert_string_equal(log[0].object, "Fields");
    assert_string_equal(log[0].field, "add member");
    assert_null(log[0].old_value);
    assert_string_equal(log[0].new_value, "SERVER1");
    assert_int_equal(log[0].at, fx->now + 60);
    assert_string_equal(log[1].actor, "SYSTEM"); /* nobody acting: the system */
    assert_string_equal(log[1].kind, "template");
    assert_string_equal(log[1].field, "validity");
    assert_string_equal(log[1].old_value, "2 years");
    assert_string_equal(log[1].new_value, "1 year");
    assert_int_equal(log[1].at, fx->now);
    audit_list_free(log, n);

    /* a NULL field stays NULL too */
    UNIT_OK(audit_record(test_cx(st), "note", "Fields-null", NULL, NULL, NULL, &cause), cause);
    UNIT_OK(audit_list(st, "Fields-null", 0, &log, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_null(log[0].field);
    assert_null(log[0].old_value);
    assert_null(log[0].new_value);
    audit_list_free(log, n);
}

static void
test_order_and_limit(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    /* the same second for all: the order still follows insertion */
    for (int i = 0; i < 5; i++) {
        char v[8];
        snprintf(v, sizeof v, "%d", i);
        UNIT_OK(audit_record(test_cx(st), "seq", "Ordered", "step", NULL, v, &cause), cause);
    }
    UNIT_OK(audit_record(test_cx(st), "seq", "Other", "step", NULL, "x", &cause), cause);

    struct audit_entry *log = NULL;
    size_t n = 0;
    UNIT_OK(audit_list(st, "Ordered", 0, &log, &n, &cause), cause);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        char v[8];
        snprintf(v, sizeof v, "%zu", 4 - i);
        assert_string_equal(log[i].new_value, v);
        assert_string_equal(log[i].object, "Ordered");
    }
    audit_list_free(log, n);

    UNIT_OK(audit_list(st, "Ordered", 2, &log, &n, &cause), cause);
    assert_int_equal(n, 2);
    assert_string_equal(log[0].new_value, "4");
    assert_string_equal(log[1].new_value, "3");
    audit_list_free(log, n);

    /* any object: the newest overall comes first */
    UNIT_OK(audit_list(st, NULL, 3, &log, &n, &cause), cause);
    assert_int_equal(n, 3);
    assert_string_equal(log[0].object, "Other");
    assert_string_equal(log[1].new_value, "4");
    audit_list_free(log, n);
    UNIT_OK(audit_list(st, NULL, 0, &log, &n, &cause), cause);
    assert_int_equal((int64_t)n, unit_count(st, "SELECT count(*) FROM audit"));
    audit_list_free(log, n);

    /* a limit above the count gives them all; no match gives none */
    UNIT_OK(audit_list(st, "Ordered", 100, &log, &n, &cause), cause);
    assert_int_equal(n, 5);
    audit_list_free(log, n);
    UNIT_OK(audit_list(st, "No Such Object", 0, &log, &n, &cause), cause);
    assert_int_equal(n, 0);
    audit_list_free(log, n);
}

static void
test_inside_transaction(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    int64_t before = unit_count(st, "SELECT count(*) FROM audit");
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(audit_record(test_cx(st), "tx", "Rolled", "f", NULL, "v", &cause), cause);
    store_rollback(st);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit"), before);

    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(audit_record(test_cx(st), "tx", "Kept", "f", NULL, "v", &cause), cause);
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(audit_record(test_cx(st), "tx", "Inner", "f", NULL, "v", &cause), cause);
    store_rollback(st);
    UNIT_OK(store_commit(st, &cause), cause);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit"), before + 1);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE object = 'Kept'"), 1);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE object = 'Inner'"), 0);
}

static void
test_lab_setup_logged(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    struct audit_entry *log = NULL;
    size_t n = 0;
    UNIT_OK(audit_list(st, "contoso", 0, &log, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_string_equal(log[0].kind, "lab");
    assert_string_equal(log[0].field, "create");
    assert_string_equal(log[0].actor, "SYSTEM");
    assert_non_null(strstr(log[0].new_value, "contoso.conf"));
    audit_list_free(log, n);
    UNIT_OK(audit_list(st, "SERVER1", 0, &log, &n, &cause), cause);
    assert_true(n >= 1);
    assert_string_equal(log[n - 1].kind, "computer");
    assert_string_equal(log[n - 1].field, "create");
    assert_string_equal(log[n - 1].new_value, "server1.internal.contoso.com");
    audit_list_free(log, n);
}

/* ---- the chain ---- */

/* Appends one field of the documented encoding: presence, 8-byte length, bytes. */
static void
put_field(unsigned char *buf, size_t *n, const char *s)
{
    uint64_t len = s ? strlen(s) : 0;
    buf[(*n)++] = s != NULL;
    for (int i = 7; i >= 0; i--)
        buf[(*n)++] = (unsigned char)(len >> (8 * i));
    memcpy(buf + *n, s ? s : "", (size_t)len);
    *n += (size_t)len;
}

/* The hash a record should carry, computed here from the documented encoding. */
static void
expected_hash(const struct audit_entry *e, char out[AUDIT_HASH_LEN + 1])
{
    unsigned char buf[4096];
    size_t n = 0;
    static const char domain[] = "certcon audit record 1";
    memcpy(buf, domain, sizeof domain);
    n += sizeof domain;
    char id[24], at[24];
    snprintf(id, sizeof id, "%lld", (long long)e->id);
    snprintf(at, sizeof at, "%lld", (long long)e->at);
    const char *fields[] = {id,           at,           e->actor, e->kind,   e->object, e->field,
                            e->old_value, e->new_value, e->right, e->result, e->prev};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        put_field(buf, &n, fields[i]);
    unsigned char md[32];
    assert_int_equal(gnutls_hash_fast(GNUTLS_DIG_SHA256, buf, n, md), 0);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void
test_chain_links(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    UNIT_OK(audit_record(test_cx(st), "chain", "Linked", "a", NULL, "1", &cause), cause);
    unit_act_as(st, "Administrator");
    UNIT_OK(audit_record(test_cx(st), "chain", "Linked", "b", "1", "", &cause), cause);
    UNIT_OK(audit_record(test_cx(st), "chain", "Linked", NULL, "x", NULL, &cause), cause);

    struct audit_entry *all = NULL;
    size_t n = 0;
    UNIT_OK(audit_list(st, NULL, 0, &all, &n, &cause), cause);
    assert_true(n >= 3);
    /* newest first: each record's prev is the hash of the one listed after it */
    for (size_t i = 0; i < n; i++) {
        char want[AUDIT_HASH_LEN + 1];
        assert_int_equal(strlen(all[i].hash), AUDIT_HASH_LEN);
        expected_hash(&all[i], want);
        assert_string_equal(all[i].hash, want);
        assert_string_equal(all[i].result, "ok");
        assert_null(all[i].right);
        if (i + 1 < n) {
            assert_string_equal(all[i].prev, all[i + 1].hash);
            assert_int_equal(all[i].id, all[i + 1].id + 1);
        } else {
            assert_string_equal(all[i].prev, "0000000000000000000000000000000000000000000000000000"
                                             "000000000000");
        }
    }
    /* "" and NULL encode differently: the second and third records differ only so */
    assert_string_equal(all[1].new_value, "");
    assert_null(all[0].new_value);

    struct audit_verdict v;
    UNIT_OK(audit_verify(st, &v, &cause), cause);
    assert_false(v.broken);
    assert_int_equal(v.records, n);
    assert_string_equal(v.head, all[0].hash);
    audit_verdict_free(&v);
    audit_list_free(all, n);
}

/* The newest record's id. */
static int64_t
last_id(struct store *st)
{
    return unit_count(st, "SELECT max(id) FROM audit");
}

/*
 * Runs sql (tampering) inside a transaction, verifies, rolls back: the log
 * must break at record `at` with a reason holding `why`.
 */
static void
tampered_breaks_at(struct store *st, const char *sql, int64_t at, const char *why)
{
    char *cause = NULL;
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(store_exec(st, sql, &cause), cause);
    struct audit_verdict v;
    int rc = audit_verify(st, &v, &cause);
    char count_sql[64];
    snprintf(count_sql, sizeof count_sql, "SELECT count(*) FROM audit WHERE id < %lld",
             (long long)at);
    int64_t before = unit_count(st, count_sql);
    store_rollback(st);
    UNIT_OK(rc, cause);
    if (!v.broken)
        fail_msg("%s: the log still verifies (%zu records)", sql, v.records);
    assert_int_equal(v.bad.id, at);
    assert_int_equal((int64_t)v.records, before); /* every record before it verified */
    if (strstr(v.why, why) == NULL)
        fail_msg("%s: reason '%s' lacks '%s'", sql, v.why, why);
    audit_verdict_free(&v);
    /* and after the rollback the log is whole again */
    UNIT_OK(audit_verify(st, &v, &cause), cause);
    assert_false(v.broken);
    audit_verdict_free(&v);
}

static void
test_tamper_detected(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    for (int i = 0; i < 4; i++)
        UNIT_OK(audit_record(test_cx(st), "tamper", "Target", "step", NULL, "v", &cause), cause);
    int64_t k = last_id(st) - 2; /* a record in the middle, with two after it */
    char sql[256];

    snprintf(sql, sizeof sql, "UPDATE audit SET new_value = 'forged' WHERE id = %lld",
             (long long)k);
    tampered_breaks_at(st, sql, k, "altered");
    snprintf(sql, sizeof sql, "UPDATE audit SET at = at + 1 WHERE id = %lld", (long long)k);
    tampered_breaks_at(st, sql, k, "altered");
    snprintf(sql, sizeof sql, "UPDATE audit SET result = 'refused' WHERE id = %lld", (long long)k);
    tampered_breaks_at(st, sql, k, "altered");

    /* a deletion shows at the record after the gap, naming the missing one */
    snprintf(sql, sizeof sql, "DELETE FROM audit WHERE id = %lld", (long long)k);
    char why[64];
    snprintf(why, sizeof why, "record %lld before it is missing", (long long)k);
    tampered_breaks_at(st, sql, k + 1, why);

    /* two records swapped (ids exchanged): the first position breaks */
    snprintf(sql, sizeof sql,
             "UPDATE audit SET id = -1 WHERE id = %lld;"
             "UPDATE audit SET id = %lld WHERE id = %lld;"
             "UPDATE audit SET id = %lld WHERE id = -1;",
             (long long)k, (long long)k, (long long)k + 1, (long long)k + 1);
    tampered_breaks_at(st, sql, k, "reordered");

    /* a record taken out of the chain (its hash cleared) */
    snprintf(sql, sizeof sql, "UPDATE audit SET hash = NULL WHERE id = %lld", (long long)k);
    tampered_breaks_at(st, sql, k, "not linked");
}

/* ---- refusals ---- */

static void
test_refusal_survives_rollback(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_add_user(st, "auditplain");
    unit_act_as(st, "auditplain");
    int64_t before = last_id(st);

    /* a refusal inside a transaction that then rolls back, with a change before it */
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(audit_record(test_cx(st), "tx", "Undone", "f", NULL, "v", &cause), cause);
    int64_t id = 0;
    UNIT_FAILS(dir_add_user(test_cx(st), "sneaky", NULL, NULL, NULL, &id, &cause), CC_EACCES, cause,
               "Domain Admins");
    /* nothing is written while the transaction is open */
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE result = 'refused' "
                                    "AND actor = 'CONTOSO\\auditplain'"),
                     0);
    store_rollback(st);

    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE object = 'Undone'"), 0);
    assert_int_equal(last_id(st), before + 1);
    struct audit_filter f = {.refused = 1, .by = "auditplain"};
    struct audit_entry *log = NULL;
    size_t n = 0;
    UNIT_OK(audit_query(st, &f, &log, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_string_equal(log[0].actor, "CONTOSO\\auditplain");
    assert_string_equal(log[0].result, "refused");
    assert_string_equal(log[0].kind, "directory");
    assert_string_equal(log[0].field, "add a user");
    assert_string_equal(log[0].right, "Domain Admins or Enterprise Admins membership");
    assert_int_equal(log[0].at, fx->now);
    audit_list_free(log, n);

    /* a refusal with no transaction open is written at once; a CA right this time */
    UNIT_FAILS(cadb_revoke(test_cx(st), "0123", 0, CADB_NOW, &cause), CC_EACCES, cause,
               "Issue and Manage");
    assert_int_equal(last_id(st), before + 2);
    UNIT_OK(audit_query(st, &f, &log, &n, &cause), cause);
    assert_int_equal(n, 2);
    assert_string_equal(log[0].kind, "ca");
    assert_string_equal(log[0].field, "revoke a certificate");
    assert_string_equal(log[0].right, "Issue and Manage Certificates");
    audit_list_free(log, n);

    /* in a savepoint whose outer transaction commits: written after the commit, chained */
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(audit_record(test_cx(st), "tx", "Kept-with-refusal", "f", NULL, "v", &cause), cause);
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_FAILS(dir_add_group(test_cx(st), "sneakers", NULL, &id, &cause), CC_EACCES, cause, "");
    store_rollback(st);
    UNIT_OK(store_commit(st, &cause), cause);
    assert_int_equal(last_id(st), before + 4);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE object = "
                                    "'Kept-with-refusal'"),
                     1);
    assert_int_equal(
        unit_count(st, "SELECT max(id) FROM audit WHERE field = 'add a group' AND result = "
                       "'refused'"),
        before + 4);

    struct audit_verdict v;
    UNIT_OK(audit_verify(st, &v, &cause), cause);
    assert_false(v.broken);
    audit_verdict_free(&v);
}

static void
test_query_filters(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    unit_add_user(st, "auditfilter");
    unit_act_as(st, "auditfilter");
    test_clock_set(fx->now + 86400);
    UNIT_OK(audit_record(test_cx(st), "q", "Filtered", "later", NULL, "1", &cause), cause);
    assert_int_equal(audit_refused(test_cx(st), "q", "Filtered", "try", "Write", "no"), CC_OK);
    unit_act_as(st, "Administrator");
    test_clock_set(fx->now + 2 * 86400);
    UNIT_OK(audit_record(test_cx(st), "q", "Filtered", "latest", NULL, "2", &cause), cause);

    struct audit_entry *log = NULL;
    size_t n = 0;
    struct audit_filter by = {.by = "auditfilter"};
    UNIT_OK(audit_query(st, &by, &log, &n, &cause), cause);
    assert_int_equal(n, 2);
    assert_string_equal(log[0].field, "try");
    assert_string_equal(log[0].new_value, "no");
    assert_string_equal(log[1].field, "later");
    audit_list_free(log, n);
    /* the qualified name, in any case, finds the same */
    by.by = "contoso\\AUDITFILTER";
    UNIT_OK(audit_query(st, &by, &log, &n, &cause), cause);
    assert_int_equal(n, 2);
    audit_list_free(log, n);

    struct audit_filter since = {.since = fx->now + 2 * 86400};
    UNIT_OK(audit_query(st, &since, &log, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_string_equal(log[0].field, "latest");
    audit_list_free(log, n);

    struct audit_filter refused = {.refused = 1, .object = "Filtered"};
    UNIT_OK(audit_query(st, &refused, &log, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_string_equal(log[0].right, "Write");
    assert_string_equal(log[0].actor, "CONTOSO\\auditfilter");
    audit_list_free(log, n);

    struct audit_filter nobody = {.by = "Nobody At All"};
    UNIT_OK(audit_query(st, &nobody, &log, &n, &cause), cause);
    assert_int_equal(n, 0);
    audit_list_free(log, n);
}

/* ---- a database from before the chain ---- */

static void
test_upgrade_links_old_records(void **state)
{
    (void)state;
    struct unit_fx *fx = unit_fx_new("audit-upgrade", 0);
    assert_non_null(fx);
    char *cause = NULL;
    /* a database as certcon left it at schema 6, before the chain, with its records */
    store_close(fx->st);
    fx->st = NULL;
    const char *suffix[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s%s", fx->db, suffix[i]);
        unlink(path);
    }
    UNIT_OK(store_open(fx->db, STORE_CREATE | STORE_AT_SCHEMA(6), &fx->st, &cause), cause);
    assert_int_equal(unit_count(fx->st, "PRAGMA user_version"), 6);
    UNIT_OK(store_exec(fx->st,
                       "INSERT INTO audit (at, actor, kind, object, field, old_value, new_value) "
                       "VALUES (1, 'SYSTEM', 'old', 'One', 'f', NULL, 'a'),"
                       "       (2, 'CONTOSO\\x', 'old', 'Two', NULL, 'a', 'b'),"
                       "       (3, 'SYSTEM', 'old', 'Three', 'f', '', NULL);",
                       &cause),
            cause);
    store_close(fx->st);
    fx->st = NULL;
    UNIT_OK(store_open(fx->db, 0, &fx->st, &cause), cause);
    assert_int_equal(unit_count(fx->st, "PRAGMA user_version"), store_schema_version());
    assert_int_equal(unit_count(fx->st, "SELECT count(*) FROM audit WHERE hash IS NULL"), 0);
    struct audit_verdict v;
    UNIT_OK(audit_verify(fx->st, &v, &cause), cause);
    assert_false(v.broken);
    assert_int_equal(v.records, 3);
    audit_verdict_free(&v);
    /* new records continue the chain */
    UNIT_OK(audit_record(test_cx(fx->st), "new", "Four", "f", NULL, "c", &cause), cause);
    UNIT_OK(audit_verify(fx->st, &v, &cause), cause);
    assert_false(v.broken);
    assert_int_equal(v.records, 4);
    audit_verdict_free(&v);
    /* an old record edited afterwards is caught like any other */
    UNIT_OK(store_exec(fx->st, "UPDATE audit SET new_value = 'z' WHERE object = 'Two'", &cause),
            cause);
    UNIT_OK(audit_verify(fx->st, &v, &cause), cause);
    assert_true(v.broken);
    assert_int_equal(v.bad.id, 2);
    audit_verdict_free(&v);
    unit_fx_free(fx);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_record_fields, test_setup),
        cmocka_unit_test_setup(test_order_and_limit, test_setup),
        cmocka_unit_test_setup(test_inside_transaction, test_setup),
        cmocka_unit_test_setup(test_lab_setup_logged, test_setup),
        cmocka_unit_test_setup(test_chain_links, test_setup),
        cmocka_unit_test_setup(test_tamper_detected, test_setup),
        cmocka_unit_test_setup(test_refusal_survives_rollback, test_setup),
        cmocka_unit_test_setup(test_query_filters, test_setup),
        cmocka_unit_test_setup(test_upgrade_links_old_records, test_setup),
    };
    return cmocka_run_group_tests_name("audit", tests, group_setup, unit_group_teardown);
}
