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
 */
#ifndef CERTCON_STORE_H
#define CERTCON_STORE_H

#include <sqlite3.h>
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
 * Opens (and migrates) the database at path. On success *out owns the
 * handle; close it with store_close().
 */
int store_open(const char *path, int flags, struct store **out, char **cause);
void store_close(struct store *st);
sqlite3 *store_db(struct store *st);
const char *store_path(struct store *st);
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

/* Prepares sql; on failure sets a cause naming the database error. */
int store_prepare(struct store *st, const char *sql, sqlite3_stmt **out, char **cause);
int store_exec(struct store *st, const char *sql, char **cause);
/* Maps the last SQLite error to a status with a cause. */
int store_error(struct store *st, char **cause);

/* Key/value settings of the database ("lab", "local_computer", ...). */
int store_meta_get(struct store *st, const char *key, char **value);
int store_meta_set(struct store *st, const char *key, const char *value, char **cause);

/* The acting account (directory principal id and display form). */
void store_set_actor(struct store *st, int64_t principal_id, const char *name);
int64_t store_actor_id(struct store *st);
const char *store_actor_name(struct store *st);

/*
 * Whether a computer's group token is taken only when it restarts, as on
 * Windows (default on; certcon.conf can turn it off).
 */
void store_set_tokens_at_restart(struct store *st, int on);
int store_tokens_at_restart(struct store *st);

#endif
