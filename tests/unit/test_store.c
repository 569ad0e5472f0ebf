/*
 * Unit tests of ca/store: creating a database makes the file 0600 in a 0700
 * directory and stamps user_version with store_schema_version(); a missing
 * file is not created without STORE_CREATE; reopening keeps the data; a
 * database from a newer certcon (higher user_version) and a file that is not
 * a database are both refused cleanly and left byte-for-byte untouched;
 * transactions nest (an inner rollback keeps the outer work, an outer
 * rollback drops committed inner work, closing rolls back); a locked
 * database gives CC_EBUSY after a bounded wait, with a message naming the
 * holder; STORE_SERIALIZE queues writers on a lock file; the change counter
 * moves once per committed write; meta keys and the acting account round-trip.
 */
#include "config.h"

#include <pwd.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "unit.h"

static int
group_setup(void **state)
{
    struct unit_fx *fx = unit_fx_new("store", 0);
    *state = fx;
    return fx ? 0 : -1;
}

/* A path inside the group's scratch directory; allocated. */
static char *
scratch_path(struct unit_fx *fx, const char *rel)
{
    char *p = cc_asprintf("%s/%s", fx->dir, rel);
    assert_non_null(p);
    return p;
}

static int
user_version(sqlite3 *db)
{
    sqlite3_stmt *q = NULL;
    int v = -1;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, NULL), SQLITE_OK);
    if (sqlite3_step(q) == SQLITE_ROW)
        v = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    return v;
}

static void
test_create_modes(void **state)
{
    struct unit_fx *fx = *state;
    char *dir = scratch_path(fx, "private");
    char *path = scratch_path(fx, "private/nested/certcon.db");
    char *parent = scratch_path(fx, "private/nested");
    char *cause = NULL;
    struct store *st = NULL;
    mode_t old = umask(022); /* a usual umask must not widen anything */
    UNIT_OK(store_open(path, STORE_CREATE, &st, &cause), cause);
    umask(old);
    assert_non_null(st);
    assert_string_equal(store_path(st), path);

    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_int_equal(sb.st_mode & 07777, 0600);
    assert_int_equal(stat(parent, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    assert_int_equal(sb.st_mode & 07777, 0700);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0700);

    assert_true(store_schema_version() >= 1);
    assert_int_equal(unit_count(st, "PRAGMA user_version"), store_schema_version());
    /* WAL and foreign keys are on */
    assert_int_equal(unit_count(st, "PRAGMA foreign_keys"), 1);
    struct store_stmt *q = NULL;
    UNIT_OK(store_prepare(st, "PRAGMA journal_mode", &q, &cause), cause);
    assert_int_equal(store_step(q, NULL), STORE_ROW);
    assert_string_equal(store_col_text(q, 0), "wal");
    store_finalize(q);
    /* the first migration's tables are there */
    assert_int_equal(unit_count(st, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                    "AND name IN ('meta', 'principal', 'membership', "
                                    "'template', 'template_ace', 'oid', 'audit')"),
                     7);
    store_close(st);
    free(dir);
    free(path);
    free(parent);
}

static void
test_missing_not_created(void **state)
{
    struct unit_fx *fx = *state;
    char *path = scratch_path(fx, "absent/certcon.db");
    char *dir = scratch_path(fx, "absent");
    struct store *st = NULL;
    char *cause = NULL;
    UNIT_FAILS(store_open(path, 0, &st, &cause), CC_ENOTFOUND, cause, path, "certcon init");
    assert_null(st);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0);
    assert_int_not_equal(stat(dir, &sb), 0);
    free(path);
    free(dir);
}

static void
test_reopen(void **state)
{
    struct unit_fx *fx = *state;
    char *path = scratch_path(fx, "reopen.db");
    struct store *st = NULL;
    char *cause = NULL, *value = NULL;
    UNIT_OK(store_open(path, STORE_CREATE, &st, &cause), cause);
    UNIT_OK(store_meta_set(st, "lab", "contoso", &cause), cause);
    store_close(st);
    st = NULL;

    /* without STORE_CREATE, and again with it: the same database either way */
    UNIT_OK(store_open(path, 0, &st, &cause), cause);
    assert_int_equal(store_meta_get(st, "lab", &value), CC_OK);
    assert_string_equal(value, "contoso");
    free(value);
    assert_int_equal(unit_count(st, "PRAGMA user_version"), store_schema_version());
    store_close(st);
    UNIT_OK(store_open(path, STORE_CREATE, &st, &cause), cause);
    assert_int_equal(store_meta_get(st, "lab", &value), CC_OK);
    assert_string_equal(value, "contoso");
    free(value);
    store_close(st);
    free(path);
}

static void
test_newer_schema_refused(void **state)
{
    struct unit_fx *fx = *state;
    char *path = scratch_path(fx, "newer.db");
    struct store *st = NULL;
    char *cause = NULL;
    UNIT_OK(store_open(path, STORE_CREATE, &st, &cause), cause);
    UNIT_OK(store_meta_set(st, "marker", "kept", &cause), cause);
    store_close(st);
    st = NULL;

    /* a newer certcon wrote this one */
    int newer = store_schema_version() + 1;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", newer);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);

    size_t before_len = 0, after_len = 0;
    char *before = unit_read_file(path, &before_len);
    assert_non_null(before);
    char want[64];
    snprintf(want, sizeof want, "schema version %d", newer);
    UNIT_FAILS(store_open(path, 0, &st, &cause), CC_ESCHEMA, cause, want, path);
    assert_null(st);
    UNIT_FAILS(store_open(path, STORE_CREATE, &st, &cause), CC_ESCHEMA, cause, want);
    assert_null(st);

    char *after = unit_read_file(path, &after_len);
    assert_non_null(after);
    assert_int_equal(before_len, after_len);
    assert_memory_equal(before, after, before_len);
    free(before);
    free(after);

    /* still the newer version, data intact */
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(user_version(db), newer);
    sqlite3_stmt *q = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'marker'", -1, &q, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "kept");
    sqlite3_finalize(q);
    sqlite3_close(db);
    free(path);
}

/*
 * The same refusal for a newer database kept in rollback-journal mode: the
 * check must come before anything that writes, such as switching to WAL.
 */
static void
test_newer_schema_untouched_journal(void **state)
{
    struct unit_fx *fx = *state;
    char *path = scratch_path(fx, "newer-journal.db");
    struct store *st = NULL;
    char *cause = NULL;
    UNIT_OK(store_open(path, STORE_CREATE, &st, &cause), cause);
    store_close(st);
    st = NULL;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char sql[96];
    snprintf(sql, sizeof sql, "PRAGMA journal_mode = DELETE; PRAGMA user_version = %d",
             store_schema_version() + 1);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);

    size_t before_len = 0, after_len = 0;
    char *before = unit_read_file(path, &before_len);
    assert_non_null(before);
    assert_true(before_len > 100);
    assert_int_equal(before[18], 1); /* legacy (rollback journal) file format */
    UNIT_FAILS(store_open(path, 0, &st, &cause), CC_ESCHEMA, cause, "schema version");
    assert_null(st);
    char *after = unit_read_file(path, &after_len);
    assert_non_null(after);
    /* byte for byte: not even switched to WAL before the refusal */
    int same = before_len == after_len && memcmp(before, after, before_len) == 0;
    free(before);
    free(after);
    free(path);
    assert_true(same);
}

static void
test_not_a_database(void **state)
{
    struct unit_fx *fx = *state;
    char *path = scratch_path(fx, "notes.txt");
    /* longer than a database header, so SQLite reads it rather than treating it as empty */
    char text[8192];
    size_t off = 0;
    while (off + 40 < sizeof text)
        off +=
            (size_t)snprintf(text + off, sizeof text - off, "these are notes, not a db %zu\n", off);
    unit_write_file(path, text);

    struct store *st = NULL;
    char *cause = NULL;
    /* a file others may read is refused first, with the fix */
    assert_int_equal(chmod(path, 0644), 0);
    UNIT_FAILS(store_open(path, 0, &st, &cause), CC_EACCES, cause, "mode 0644", "chmod 600");
    assert_null(st);
    assert_int_equal(chmod(path, 0600), 0);
    UNIT_FAILS(store_open(path, 0, &st, &cause), CC_EDB, cause, path, "is not a certcon database");
    assert_null(st);
    UNIT_FAILS(store_open(path, STORE_CREATE, &st, &cause), CC_EDB, cause, "not a certcon");
    assert_null(st);
    char *after = unit_read_file(path, NULL);
    assert_non_null(after);
    assert_string_equal(after, text);
    free(after);
    free(path);
}

static void
test_nested_inner_rollback(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL, *v = NULL;

    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(store_meta_set(st, "outer", "1", &cause), cause);
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(store_meta_set(st, "inner", "2", &cause), cause);
    UNIT_OK(store_meta_set(st, "outer", "changed", &cause), cause);
    store_rollback(st); /* only the inner work goes */
    assert_int_equal(store_meta_get(st, "inner", &v), CC_ENOTFOUND);
    assert_null(v);
    assert_int_equal(store_meta_get(st, "outer", &v), CC_OK);
    assert_string_equal(v, "1");
    free(v);
    UNIT_OK(store_commit(st, &cause), cause);

    /* a second connection sees the committed outer work only */
    struct store *other = NULL;
    UNIT_OK(store_open(fx->db, 0, &other, &cause), cause);
    assert_int_equal(store_meta_get(other, "outer", &v), CC_OK);
    assert_string_equal(v, "1");
    free(v);
    assert_int_equal(store_meta_get(other, "inner", &v), CC_ENOTFOUND);
    store_close(other);
}

static void
test_nested_outer_rollback(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL, *v = NULL;

    /* inner commit, outer rollback: nothing stays */
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(store_meta_set(st, "dropped", "x", &cause), cause);
    UNIT_OK(store_commit(st, &cause), cause);
    assert_int_equal(store_meta_get(st, "dropped", &v), CC_OK);
    free(v);
    store_rollback(st);
    assert_int_equal(store_meta_get(st, "dropped", &v), CC_ENOTFOUND);

    /* three levels: the middle rollback takes the committed innermost work with it */
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(store_meta_set(st, "level1", "a", &cause), cause);
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(store_meta_set(st, "level2", "b", &cause), cause);
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(store_meta_set(st, "level3", "c", &cause), cause);
    UNIT_OK(store_commit(st, &cause), cause);
    store_rollback(st);
    UNIT_OK(store_meta_set(st, "level1b", "d", &cause), cause);
    UNIT_OK(store_commit(st, &cause), cause);
    assert_int_equal(store_meta_get(st, "level1", &v), CC_OK);
    free(v);
    assert_int_equal(store_meta_get(st, "level1b", &v), CC_OK);
    free(v);
    assert_int_equal(store_meta_get(st, "level2", &v), CC_ENOTFOUND);
    assert_int_equal(store_meta_get(st, "level3", &v), CC_ENOTFOUND);

    /* a savepoint can be reused after a rollback */
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(store_meta_set(st, "again", "e", &cause), cause);
    UNIT_OK(store_commit(st, &cause), cause);
    UNIT_OK(store_commit(st, &cause), cause);
    assert_int_equal(store_meta_get(st, "again", &v), CC_OK);
    free(v);
}

static void
test_unbalanced(void **state)
{
    struct unit_fx *fx = *state;
    char *cause = NULL, *v = NULL;
    UNIT_FAILS(store_commit(fx->st, &cause), CC_ESTATE, cause, "without a transaction");
    store_rollback(fx->st); /* harmless */
    /* and the store still works */
    UNIT_OK(store_begin(fx->st, &cause), cause);
    UNIT_OK(store_meta_set(fx->st, "after-unbalanced", "ok", &cause), cause);
    UNIT_OK(store_commit(fx->st, &cause), cause);
    assert_int_equal(store_meta_get(fx->st, "after-unbalanced", &v), CC_OK);
    free(v);
}

static void
test_close_rolls_back(void **state)
{
    struct unit_fx *fx = *state;
    char *path = scratch_path(fx, "close.db");
    struct store *st = NULL;
    char *cause = NULL, *v = NULL;
    UNIT_OK(store_open(path, STORE_CREATE, &st, &cause), cause);
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_OK(store_meta_set(st, "uncommitted", "x", &cause), cause);
    store_close(st);
    UNIT_OK(store_open(path, 0, &st, &cause), cause);
    assert_int_equal(store_meta_get(st, "uncommitted", &v), CC_ENOTFOUND);
    store_close(st);
    free(path);
}

static void
test_busy(void **state)
{
    struct unit_fx *fx = *state;
    struct store *other = NULL;
    char *cause = NULL;
    UNIT_OK(store_open(fx->db, 0, &other, &cause), cause);
    store_set_busy_timeout(other, 0); /* fail at once instead of after 30 s */
    UNIT_OK(store_begin(fx->st, &cause), cause);
    UNIT_FAILS(store_begin(other, &cause), CC_EBUSY, cause, fx->db);
    UNIT_OK(store_commit(fx->st, &cause), cause);
    /* the failed begin left no transaction behind */
    UNIT_FAILS(store_commit(other, &cause), CC_ESTATE, cause, "");
    UNIT_OK(store_begin(other, &cause), cause);
    UNIT_OK(store_commit(other, &cause), cause);
    store_close(other);
}

/*
 * A writer that waits for another one waits (with back-off) for the bound
 * it was given, then says who holds the database: the holder's process,
 * Unix user and what it is doing, never SQLite's "database is locked".
 */
static void
test_busy_names_holder(void **state)
{
    struct unit_fx *fx = *state;
    struct store *holder = NULL, *waiter = NULL;
    char *cause = NULL;
    UNIT_OK(store_open(fx->db, 0, &holder, &cause), cause);
    UNIT_OK(store_open(fx->db, 0, &waiter, &cause), cause);
    store_set_label(holder, "certcon pulse --all");
    store_set_busy_timeout(waiter, 300);
    UNIT_OK(store_begin(holder, &cause), cause);
    UNIT_OK(store_meta_set(holder, "held", "1", &cause), cause);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = store_begin(waiter, &cause);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long waited = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    assert_int_equal(rc, CC_EBUSY);
    assert_non_null(cause);
    char pid[32];
    snprintf(pid, sizeof pid, "process %ld ", (long)getpid());
    struct passwd *pw = getpwuid(geteuid());
    assert_non_null(pw);
    if (strstr(cause, pid) == NULL || strstr(cause, pw->pw_name) == NULL ||
        strstr(cause, "'certcon pulse --all'") == NULL || strstr(cause, "locked") != NULL)
        fail_msg("the message does not name the holder: %s", cause);
    free(cause);
    cause = NULL;
    /* it waited for its bound (not a fixed sleep: the holder is still there) */
    if (waited < 300)
        fail_msg("waited only %ld ms", waited);
    /* a statement outside a transaction says the same */
    UNIT_FAILS(store_meta_set(waiter, "x", "1", &cause), CC_EBUSY, cause, pid);

    /* with the bound long enough, the waiter gets in once the holder commits */
    UNIT_OK(store_commit(holder, &cause), cause);
    UNIT_OK(store_begin(waiter, &cause), cause);
    UNIT_OK(store_commit(waiter, &cause), cause);
    /* the holder record is the owner's alone */
    char *rec = cc_asprintf("%s.holder", fx->db);
    struct stat sb;
    assert_int_equal(stat(rec, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    free(rec);
    store_close(waiter);
    store_close(holder);
}

/*
 * STORE_SERIALIZE: a writer queues on <db>.lock for as long as it takes,
 * so even with no busy wait at all it gets in after the holder, and sees
 * its work. The holder runs in a child process that commits after a while.
 */
static void
test_serialize(void **state)
{
    struct unit_fx *fx = *state;
    char *cause = NULL;
    int ready[2];
    assert_int_equal(pipe(ready), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        struct store *st = NULL;
        int ok = store_open(fx->db, STORE_SERIALIZE, &st, NULL) == CC_OK &&
                 store_begin(st, NULL) == CC_OK;
        if (write(ready[1], "x", 1) != 1)
            _exit(2);
        struct timespec ts = {0, 400 * 1000000L};
        nanosleep(&ts, NULL);
        ok = ok && store_meta_set(st, "serialized", "child", NULL) == CC_OK &&
             store_commit(st, NULL) == CC_OK;
        store_close(st);
        _exit(ok ? 0 : 1);
    }
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    struct store *st = NULL;
    UNIT_OK(store_open(fx->db, STORE_SERIALIZE, &st, &cause), cause);
    store_set_busy_timeout(st, 0);
    UNIT_OK(store_begin(st, &cause), cause);
    char *v = NULL;
    assert_int_equal(store_meta_get(st, "serialized", &v), CC_OK);
    assert_string_equal(v, "child");
    free(v);
    UNIT_OK(store_commit(st, &cause), cause);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char *lock = cc_asprintf("%s.lock", fx->db);
    struct stat sb;
    assert_int_equal(stat(lock, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    free(lock);
    store_close(st);
    close(ready[0]);
    close(ready[1]);
}

/* The change counter moves once per committed transaction that wrote, and only then. */
static void
test_changes(void **state)
{
    struct unit_fx *fx = *state;
    char *cause = NULL;
    int64_t a, b;
    struct store *other = NULL;
    UNIT_OK(store_open(fx->db, 0, &other, &cause), cause);
    UNIT_OK(store_changes(other, &a, &cause), cause);
    /* a transaction that only reads */
    UNIT_OK(store_begin(fx->st, &cause), cause);
    char *v = NULL;
    store_meta_get(fx->st, "local_computer", &v);
    free(v);
    UNIT_OK(store_commit(fx->st, &cause), cause);
    UNIT_OK(store_changes(other, &b, &cause), cause);
    assert_int_equal(b, a);
    /* nested writes: one move, seen by another handle */
    UNIT_OK(store_begin(fx->st, &cause), cause);
    UNIT_OK(store_begin(fx->st, &cause), cause);
    UNIT_OK(store_meta_set(fx->st, "counted", "1", &cause), cause);
    UNIT_OK(store_commit(fx->st, &cause), cause);
    UNIT_OK(store_meta_set(fx->st, "counted", "2", &cause), cause);
    UNIT_OK(store_commit(fx->st, &cause), cause);
    UNIT_OK(store_changes(other, &b, &cause), cause);
    assert_int_equal(b, a + 1);
    /* a rolled-back write does not count */
    UNIT_OK(store_begin(fx->st, &cause), cause);
    UNIT_OK(store_meta_set(fx->st, "counted", "3", &cause), cause);
    store_rollback(fx->st);
    UNIT_OK(store_changes(other, &b, &cause), cause);
    assert_int_equal(b, a + 1);
    store_close(other);
}

static void
test_prepare_error(void **state)
{
    struct unit_fx *fx = *state;
    struct store_stmt *q = NULL;
    char *cause = NULL;
    UNIT_FAILS(store_prepare(fx->st, "SELEKT nothing", &q, &cause), CC_EDB, cause, fx->db,
               "syntax error");
    UNIT_FAILS(store_exec(fx->st, "INSERT INTO no_such_table VALUES (1)", &cause), CC_EDB, cause,
               "no_such_table");
}

static void
test_meta(void **state)
{
    struct unit_fx *fx = *state;
    char *cause = NULL, *v = (char *)"stale";
    assert_int_equal(store_meta_get(fx->st, "never-set", &v), CC_ENOTFOUND);
    assert_null(v); /* cleared even when missing */
    UNIT_OK(store_meta_set(fx->st, "local_computer", "CA1", &cause), cause);
    assert_int_equal(store_meta_get(fx->st, "local_computer", &v), CC_OK);
    assert_string_equal(v, "CA1");
    free(v);
    UNIT_OK(store_meta_set(fx->st, "local_computer", "SERVER1", &cause), cause);
    assert_int_equal(store_meta_get(fx->st, "local_computer", &v), CC_OK);
    assert_string_equal(v, "SERVER1");
    free(v);
    assert_int_equal(unit_count(fx->st, "SELECT count(*) FROM meta WHERE key = 'local_computer'"),
                     1);
    /* values are text, kept as given */
    UNIT_OK(store_meta_set(fx->st, "odd", " spaced\tvalue\n", &cause), cause);
    assert_int_equal(store_meta_get(fx->st, "odd", &v), CC_OK);
    assert_string_equal(v, " spaced\tvalue\n");
    free(v);
}

static void
test_context_and_tokens_setting(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    /* who is asking lives in a context, never on the store */
    struct cc_ctx cx;
    char name[] = "CONTOSO\\Administrator";
    assert_int_equal(ctx_init(&cx, st, 42, name, cc_clock_system()), CC_OK);
    name[0] = 'X'; /* the context keeps its own copy */
    assert_int_equal(cx.who, 42);
    assert_string_equal(cx.who_name, "CONTOSO\\Administrator");
    assert_false(ctx_is_system(&cx));
    ctx_free(&cx);
    assert_int_equal(ctx_init(&cx, st, 0, name, cc_clock_system()), CC_EINVAL);
    ctx_free(&cx);
    assert_int_equal(ctx_init_system(&cx, st, cc_clock_system()), CC_OK);
    assert_int_equal(cx.who, 0);
    assert_string_equal(cx.who_name, "SYSTEM");
    assert_true(ctx_is_system(&cx));
    ctx_free(&cx);

    assert_int_equal(store_tokens_at_restart(st), 1); /* Windows behaviour by default */
    store_set_tokens_at_restart(st, 0);
    assert_int_equal(store_tokens_at_restart(st), 0);
    store_set_tokens_at_restart(st, 1);
    assert_int_equal(store_tokens_at_restart(st), 1);
}

/* A scratch table of this connection for the statement tests. */
static void
scratch_table(struct store *st)
{
    char *cause = NULL;
    UNIT_OK(store_exec(st,
                       "DROP TABLE IF EXISTS temp.t;"
                       "CREATE TEMP TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, "
                       "n INTEGER, data BLOB, parent INTEGER REFERENCES t(id))",
                       &cause),
            cause);
}

static void
test_statements(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    scratch_table(st);

    struct store_stmt *ins = NULL;
    UNIT_OK(store_prepare(st, "INSERT INTO t (name, n, data) VALUES (?, ?, ?)", &ins, &cause),
            cause);
    /* text and blobs are copied: the caller's buffers may change before the step */
    char name[] = "first";
    unsigned char data[] = {1, 0, 2, 0, 3};
    store_bind_text(ins, 1, name);
    store_bind_int64(ins, 2, INT64_C(-9000000000000000000));
    store_bind_blob(ins, 3, data, sizeof data);
    memset(name, 'X', sizeof name - 1);
    memset(data, 0xff, sizeof data);
    assert_int_equal(store_step(ins, &cause), STORE_DONE);
    int64_t first = store_last_id(st);
    assert_true(first > 0);
    assert_int_equal(store_rows_changed(st), 1);

    /* run again with other values; NULLs in three ways */
    store_reset(ins);
    store_bind_text_n(ins, 1, "secondXYZ", 6);
    store_bind_null(ins, 2);
    store_bind_blob(ins, 3, NULL, 0);
    UNIT_OK(store_run(ins, &cause), cause);
    int64_t second = store_last_id(st);
    assert_int_equal(second, first + 1);
    store_reset(ins);
    store_clear_bindings(ins);
    store_bind_int(ins, 2, 7);
    UNIT_OK(store_run(ins, &cause), cause);
    store_finalize(ins);
    store_finalize(NULL); /* allowed */

    struct store_stmt *q = NULL;
    UNIT_OK(store_prepare(st, "SELECT id, name, n, data FROM t ORDER BY id", &q, &cause), cause);
    assert_int_equal(store_step(q, &cause), STORE_ROW);
    assert_int_equal(store_col_int64(q, 0), first);
    assert_string_equal(store_col_text(q, 1), "first");
    assert_true(store_col_int64(q, 2) == INT64_C(-9000000000000000000));
    assert_false(store_col_null(q, 3));
    assert_true(store_col_is_blob(q, 3));
    size_t n = 0;
    const unsigned char *blob = store_col_blob(q, 3, &n);
    assert_int_equal(n, 5);
    assert_memory_equal(blob, ((unsigned char[]){1, 0, 2, 0, 3}), 5);

    assert_int_equal(store_step(q, &cause), STORE_ROW);
    assert_string_equal(store_col_text(q, 1), "second");
    assert_true(store_col_null(q, 2));
    assert_int_equal(store_col_int(q, 2), 0);
    assert_true(store_col_null(q, 3));
    assert_false(store_col_is_blob(q, 3));
    n = 99;
    assert_null(store_col_blob(q, 3, &n));
    assert_int_equal(n, 0);

    assert_int_equal(store_step(q, &cause), STORE_ROW);
    assert_true(store_col_null(q, 1));
    assert_null(store_col_text(q, 1));
    assert_int_equal(store_col_int(q, 2), 7);
    assert_int_equal(store_step(q, &cause), STORE_DONE);
    store_finalize(q);

    /* an UPDATE says how many rows it changed */
    UNIT_OK(store_prepare(st, "UPDATE t SET n = 1 WHERE id >= ?", &q, &cause), cause);
    store_bind_int64(q, 1, second);
    UNIT_OK(store_run(q, &cause), cause);
    assert_int_equal(store_rows_changed(st), 2);
    store_finalize(q);
    /* a statement that changes nothing but returns a row is not "run" */
    UNIT_OK(store_prepare(st, "SELECT 1", &q, &cause), cause);
    UNIT_FAILS(store_run(q, &cause), CC_EDB, cause, fx->db, "returned");
    store_finalize(q);
    assert_null(cause);
}

static void
test_constraints(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    char *cause = NULL;
    scratch_table(st);
    UNIT_OK(store_exec(st, "INSERT INTO t (id, name) VALUES (1, 'taken')", &cause), cause);

    /* UNIQUE: one distinct status, with the database's words in the cause */
    struct store_stmt *q = NULL;
    UNIT_OK(store_prepare(st, "INSERT INTO t (name) VALUES (?)", &q, &cause), cause);
    store_bind_text(q, 1, "taken");
    UNIT_FAILS(store_step(q, &cause), CC_ECONSTRAINT, cause, fx->db, "UNIQUE");
    UNIT_FAILS(store_error(st, &cause), CC_ECONSTRAINT, cause, "UNIQUE");
    store_reset(q);
    UNIT_FAILS(store_run(q, &cause), CC_ECONSTRAINT, cause, "UNIQUE");
    store_finalize(q);
    /* a foreign key */
    UNIT_OK(store_prepare(st, "INSERT INTO t (name, parent) VALUES ('child', 42)", &q, &cause),
            cause);
    UNIT_FAILS(store_run(q, &cause), CC_ECONSTRAINT, cause, "FOREIGN KEY");
    store_finalize(q);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM t"), 1);
    /* other failures of a step stay CC_EDB */
    UNIT_OK(store_prepare(st, "SELECT abs(-9223372036854775807 - 1)", &q, &cause), cause);
    UNIT_FAILS(store_step(q, &cause), CC_EDB, cause, "overflow");
    store_finalize(q);
    /* a cause is optional */
    UNIT_OK(store_prepare(st, "INSERT INTO t (id) VALUES (1)", &q, &cause), cause);
    assert_int_equal(store_step(q, NULL), CC_ECONSTRAINT);
    store_finalize(q);
    /* a parameter that does not exist fails at the step, not silently */
    UNIT_OK(store_prepare(st, "SELECT ?", &q, &cause), cause);
    store_bind_int(q, 2, 1);
    UNIT_FAILS(store_step(q, &cause), CC_EDB, cause, fx->db, "range");
    assert_int_equal(store_step(q, &cause), STORE_ROW); /* reported once */
    store_finalize(q);
    UNIT_OK(store_exec(st, "DROP TABLE temp.t", &cause), cause);
}

/* store_replace()'s replace step: copies the file named by arg over the database, or fails. */
static int
copy_over(const char *path, void *arg)
{
    if (arg == NULL)
        return CC_EIO;
    size_t n = 0;
    char *data = unit_read_file(arg, &n);
    if (data == NULL)
        return CC_EIO;
    int rc = cc_write_file(path, data, n, 0600, 1, NULL);
    free(data);
    return rc;
}

/*
 * store_replace: refused inside a transaction; a failed replacement leaves
 * the old database open under the handle; a done one leaves the handle
 * open on the new database, which later writes go to.
 */
static void
test_replace(void **state)
{
    struct unit_fx *fx = *state;
    char *path = scratch_path(fx, "replaced.db"), *other = scratch_path(fx, "other.db");
    char *cause = NULL, *v = NULL;
    struct store *st = NULL, *o = NULL;
    UNIT_OK(store_open(other, STORE_CREATE, &o, &cause), cause);
    UNIT_OK(store_meta_set(o, "which", "other", &cause), cause);
    store_close(o);
    UNIT_OK(store_open(path, STORE_CREATE, &st, &cause), cause);
    UNIT_OK(store_meta_set(st, "which", "first", &cause), cause);

    UNIT_OK(store_begin(st, &cause), cause);
    UNIT_FAILS(store_replace(st, copy_over, other, &cause), CC_ESTATE, cause, "transaction");
    store_rollback(st);

    assert_int_equal(store_replace(st, copy_over, NULL, &cause), CC_EIO);
    free(cause); /* the replace step's own: none here */
    cause = NULL;
    assert_int_equal(store_meta_get(st, "which", &v), CC_OK);
    assert_string_equal(v, "first");
    free(v);

    UNIT_OK(store_replace(st, copy_over, other, &cause), cause);
    assert_int_equal(store_meta_get(st, "which", &v), CC_OK);
    assert_string_equal(v, "other");
    free(v);
    UNIT_OK(store_meta_set(st, "which", "written after", &cause), cause);
    assert_string_equal(store_path(st), path);
    store_close(st);

    /* the handle kept the new database: it is what the file holds now */
    UNIT_OK(store_open(path, 0, &st, &cause), cause);
    assert_int_equal(store_meta_get(st, "which", &v), CC_OK);
    assert_string_equal(v, "written after");
    free(v);
    store_close(st);
    free(path);
    free(other);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_modes),
        cmocka_unit_test(test_missing_not_created),
        cmocka_unit_test(test_reopen),
        cmocka_unit_test(test_newer_schema_refused),
        cmocka_unit_test(test_newer_schema_untouched_journal),
        cmocka_unit_test(test_not_a_database),
        cmocka_unit_test(test_nested_inner_rollback),
        cmocka_unit_test(test_nested_outer_rollback),
        cmocka_unit_test(test_unbalanced),
        cmocka_unit_test(test_close_rolls_back),
        cmocka_unit_test(test_busy),
        cmocka_unit_test(test_busy_names_holder),
        cmocka_unit_test(test_serialize),
        cmocka_unit_test(test_changes),
        cmocka_unit_test(test_prepare_error),
        cmocka_unit_test(test_replace),
        cmocka_unit_test(test_statements),
        cmocka_unit_test(test_constraints),
        cmocka_unit_test(test_meta),
        cmocka_unit_test(test_context_and_tokens_setting),
    };
    return cmocka_run_group_tests_name("store", tests, group_setup, unit_group_teardown);
}
