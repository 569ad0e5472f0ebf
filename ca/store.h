/*
 * The database: one SQLite file holding every piece of mutable state. This
 * module opens it (WAL, busy timeout, foreign keys), migrates its schema by
 * PRAGMA user_version, and wraps transactions so that modules can nest them.
 * It also carries the session's acting account, which audit and permission
 * checks read.
 *
 * Concurrency: readers never wait for a writer (WAL). A writer that finds
 * another one waits with growing sleeps, up to 30 s (store_set_busy_timeout,
 * or CERTCON_BUSY_TIMEOUT_MS in the environment), then fails with CC_EBUSY
 * and a sentence naming the process, Unix user and command that holds the
 * database; SQLite's own "database is locked" never reaches a caller. Every
 * outermost transaction that wrote bumps a change counter that
 * store_changes() reads, so that a console notices others' work.
 *
 * Only this module touches SQLite: the others run ordinary SQL through the
 * statement calls below (prepare, bind, step, columns, ids of inserted rows,
 * constraint errors), so that another engine could stand beside this one
 * without changing them.
 */
#ifndef CERTCON_STORE_H
#define CERTCON_STORE_H

#include <stddef.h>
#include <stdint.h>

struct store;

enum {
    STORE_CREATE = 1, /* create the file (0600, in a 0700 directory) if missing */
    /*
     * Serialize writers through "<db>.lock" (created 0600): the outermost
     * store_begin first takes an exclusive flock on it, waiting as long as
     * it takes, and the outermost commit or rollback releases it. Each
     * handle has its own open file, so handles of one process (the CA
     * service's per-client stores) serialize among themselves as well as
     * with other processes that use the flag. Writers then queue in order
     * instead of polling SQLite's lock, and never time out.
     */
    STORE_SERIALIZE = 2,
};
/*
 * For tests of upgrades only: with STORE_CREATE, a new database is made at
 * schema version v (1 up to store_schema_version()), as an older certcon
 * left it; the next plain store_open() migrates it.
 */
#define STORE_AT_SCHEMA(v) ((v) << 8)

/*
 * Opens (and migrates) the database at path. On success *out owns the
 * handle; close it with store_close().
 */
int store_open(const char *path, int flags, struct store **out, char **cause);
void store_close(struct store *st);
const char *store_path(struct store *st);
/*
 * Replaces the database under an open handle, which stays the caller's
 * (a lab restored from a snapshot): the waiting store_after() work runs,
 * the handle's connection closes (its log folded and removed), then
 * replace(path, arg) writes the new files and the connection opens again
 * on whatever is there, migrated as store_open() would. No transaction may
 * be open (CC_ESTATE). Returns replace's status, else the reopening's; a
 * handle that could not be opened again fails every call (CC_EIO) until
 * store_close().
 */
int store_replace(struct store *st, int (*replace)(const char *path, void *arg), void *arg,
                  char **cause);
/* The schema version this build writes. */
int store_schema_version(void);

/*
 * Transactions nest: the outermost begin is BEGIN IMMEDIATE, inner ones are
 * savepoints. Every begin must be matched by one commit or one rollback.
 */
int store_begin(struct store *st, char **cause);
int store_commit(struct store *st, char **cause);
void store_rollback(struct store *st);
/*
 * Ends a transaction by its outcome: commits when rc is CC_OK (returning the
 * commit's status), rolls back otherwise and returns rc.
 */
int store_finish(struct store *st, int rc, char **cause);
/* How long a writer waits for another before failing with CC_EBUSY (milliseconds). */
void store_set_busy_timeout(struct store *st, long ms);
/*
 * What this handle's process is doing, named to writers that wait for it
 * ("certcon serve for alice"); default: the process's command line.
 */
void store_set_label(struct store *st, const char *label);
/*
 * The change counter: how many write transactions have committed on this
 * database, by anyone. It moves only when something changed.
 */
int store_changes(struct store *st, int64_t *out, char **cause);
/* How many transactions are open (0: none); a caller that began one checks its own is the last. */
int store_depth(const struct store *st);

/*
 * Work that must outlive the transaction it was asked for in, such as the
 * audit record of a refusal whose change rolls back: fn(st, arg) runs once
 * the outermost transaction has ended, committed or rolled back, in a short
 * transaction of its own (at once when none is open). Should that
 * transaction fail, the work waits for the next end of a transaction or for
 * store_close(). free_arg (may be NULL) frees arg after the run. Returns
 * CC_OK or CC_ENOMEM (then free_arg has already freed arg).
 */
int store_after(struct store *st, int (*fn)(struct store *st, void *arg), void *arg,
                void (*free_arg)(void *arg));

/*
 * Statements. The modules write ordinary SQL with ? parameters (numbered
 * from 1) and read columns (numbered from 0) through these calls; which
 * database engine runs them is this module's business alone.
 */
struct store_stmt; /* a prepared statement */

/* What store_step() returns besides a CC_* error (never a CC_* value). */
enum { STORE_ROW = 100, STORE_DONE = 101 };

/* Prepares sql; on failure sets a cause naming the database error. */
int store_prepare(struct store *st, const char *sql, struct store_stmt **out, char **cause);
/*
 * The same for a statement kept for the life of a session and run many
 * times (reset between runs): the engine may keep it apart from others.
 */
int store_prepare_kept(struct store *st, const char *sql, struct store_stmt **out, char **cause);
/* Frees a statement (NULL is allowed). */
void store_finalize(struct store_stmt *q);
/* Makes a statement ready to run again; its parameters keep their values. */
void store_reset(struct store_stmt *q);
/* Sets every parameter back to NULL. */
void store_clear_bindings(struct store_stmt *q);

/*
 * Parameters. Text and blobs are copied, so the caller may free them at
 * once; a NULL text or blob binds SQL NULL. A failure to bind (memory) is
 * reported by the next store_step().
 */
void store_bind_int64(struct store_stmt *q, int i, int64_t v);
void store_bind_int(struct store_stmt *q, int i, int v);
void store_bind_text(struct store_stmt *q, int i, const char *s);
/* n bytes of s (which need not end in a NUL). */
void store_bind_text_n(struct store_stmt *q, int i, const char *s, size_t n);
void store_bind_blob(struct store_stmt *q, int i, const void *p, size_t n);
void store_bind_null(struct store_stmt *q, int i);

/*
 * Runs a statement to its next row: STORE_ROW (read the columns), STORE_DONE,
 * or a CC_* status with a cause (cause may be NULL): CC_ECONSTRAINT when the
 * change breaks a UNIQUE, NOT NULL, CHECK or foreign key rule, CC_EBUSY when
 * another writer holds the database, else CC_EDB or CC_ENOMEM.
 */
int store_step(struct store_stmt *q, char **cause);
/* Runs a statement that returns no rows: CC_OK when done, else as store_step(). */
int store_run(struct store_stmt *q, char **cause);

/*
 * Columns of the current row. A NULL reads as 0, as NULL text or as an
 * empty blob (NULL, *n = 0); text and blobs stay valid until the next
 * step, reset or finalize.
 */
int64_t store_col_int64(struct store_stmt *q, int i);
int store_col_int(struct store_stmt *q, int i);
const char *store_col_text(struct store_stmt *q, int i);
/* The column's bytes; n (may be NULL) gets their number. */
const void *store_col_blob(struct store_stmt *q, int i, size_t *n);
/* Whether the column is NULL. */
int store_col_null(struct store_stmt *q, int i);
/* Whether the column holds a blob (not NULL, a number or text). */
int store_col_is_blob(struct store_stmt *q, int i);

/* The id of the row the last INSERT on this handle made. */
int64_t store_last_id(struct store *st);
/* How many rows the last INSERT, UPDATE or DELETE on this handle changed. */
int store_rows_changed(struct store *st);

/* Runs one or more statements without parameters or rows. */
int store_exec(struct store *st, const char *sql, char **cause);
/*
 * Folds what the engine holds beside the database file (SQLite's
 * write-ahead log) into the file, so that the file alone is the database:
 * a lab snapshot copies it. Outside a transaction.
 */
int store_checkpoint(struct store *st, char **cause);
/*
 * The status (with a cause) of the last failed call on this handle, as
 * store_step() returned it.
 */
int store_error(struct store *st, char **cause);

/* Key/value settings of the database ("lab", "local_computer", ...). */
int store_meta_get(struct store *st, const char *key, char **value);
int store_meta_set(struct store *st, const char *key, const char *value, char **cause);

/*
 * Whether a computer's group token is taken only when it restarts, as on
 * Windows (default on; certcon.conf can turn it off).
 */
void store_set_tokens_at_restart(struct store *st, int on);
int store_tokens_at_restart(struct store *st);

#endif
