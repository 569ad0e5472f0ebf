/*
 * The SQLite store. The schema is a list of migrations applied in order;
 * user_version records how many have run, so an older database is brought
 * forward in one transaction and a newer one is refused rather than damaged.
 * SQLite-specific statements (PRAGMAs, savepoint names) stay in this file so
 * the rest of the core speaks plain SQL.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "audit.h"
#include "status.h"
#include "store.h"
#include "util.h"

/* One piece of store_after() work. */
struct store_after_item {
    int (*fn)(struct store *st, void *arg);
    void *arg;
    void (*free_arg)(void *arg);
    struct store_after_item *next;
};

struct store {
    sqlite3 *db;
    char *path;
    int depth;
    int tokens_at_restart;
    struct store_after_item *after, **after_tail; /* store_after() work, in order */
    /* concurrency (see "Waiting for writers" below) */
    long busy_limit_ms;     /* how long a writer waits for another one */
    int serialize;          /* STORE_SERIALIZE: flock <db>.lock around write transactions */
    int lock_fd;            /* <db>.lock while serializing, else -1 */
    int holder_fd;          /* <db>.holder, opened at the first write transaction */
    char *label;            /* what this process is doing, for the holder record */
    int64_t total_at_begin; /* sqlite3_total_changes at the outermost begin */
    long long busy_started; /* when the current wait began (monotonic microseconds) */
};

static int lock_acquire(struct store *st, char **cause);
static void lock_release(struct store *st);
static void holder_record(struct store *st);
static int busy_cause(struct store *st, char **cause);
static int changes_bump(struct store *st, char **cause);
static void busy_setup(struct store *st);
static int busy_wait(void *arg, int count);
static char *side_path(struct store *st, const char *suffix);

/*
 * Migration 1: the directory, templates, OIDs and the audit log. Later
 * migrations append to this array; never edit one that has shipped.
 */
static const char *const migrations[] = {
    /* 1 */
    "CREATE TABLE meta ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL);"
    "CREATE TABLE principal ("
    "  id INTEGER PRIMARY KEY,"
    "  kind INTEGER NOT NULL," /* 1 user, 2 computer, 3 group, 4 well-known */
    "  name TEXT NOT NULL COLLATE NOCASE UNIQUE,"
    "  sam TEXT NOT NULL COLLATE NOCASE UNIQUE,"
    "  display TEXT, upn TEXT COLLATE NOCASE, mail TEXT, dns TEXT COLLATE NOCASE,"
    "  extra_dns TEXT NOT NULL DEFAULT '',"
    "  description TEXT,"
    "  sid TEXT NOT NULL UNIQUE,"
    "  guid TEXT NOT NULL UNIQUE,"
    "  is_dc INTEGER NOT NULL DEFAULT 0,"
    "  builtin INTEGER NOT NULL DEFAULT 0,"
    "  created INTEGER NOT NULL);"
    "CREATE TABLE membership ("
    "  group_id INTEGER NOT NULL REFERENCES principal(id) ON DELETE CASCADE,"
    "  member_id INTEGER NOT NULL REFERENCES principal(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (group_id, member_id));"
    "CREATE INDEX membership_member ON membership(member_id);"
    "CREATE TABLE token ("
    "  principal_id INTEGER NOT NULL REFERENCES principal(id) ON DELETE CASCADE,"
    "  group_id INTEGER NOT NULL REFERENCES principal(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (principal_id, group_id));"
    "CREATE TABLE token_taken ("
    "  principal_id INTEGER PRIMARY KEY REFERENCES principal(id) ON DELETE CASCADE,"
    "  at INTEGER NOT NULL);"
    "CREATE TABLE oid ("
    "  id INTEGER PRIMARY KEY,"
    "  oid TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL COLLATE NOCASE,"
    "  kind INTEGER NOT NULL);" /* 1 template, 2 issuance policy, 3 application policy */
    "CREATE TABLE template ("
    "  id INTEGER PRIMARY KEY,"
    "  cn TEXT NOT NULL COLLATE NOCASE UNIQUE,"
    "  display_name TEXT NOT NULL COLLATE NOCASE UNIQUE,"
    "  oid TEXT NOT NULL UNIQUE,"
    "  schema_version INTEGER NOT NULL,"
    "  revision INTEGER NOT NULL,"
    "  minor_revision INTEGER NOT NULL,"
    "  flags INTEGER NOT NULL,"
    "  enrollment_flag INTEGER NOT NULL,"
    "  private_key_flag INTEGER NOT NULL,"
    "  name_flag INTEGER NOT NULL,"
    "  key_spec INTEGER NOT NULL,"
    "  key_usage INTEGER NOT NULL,"
    "  max_issuing_depth INTEGER NOT NULL,"
    "  min_key_size INTEGER NOT NULL,"
    "  ra_signature INTEGER NOT NULL,"
    "  validity INTEGER NOT NULL,"
    "  renewal INTEGER NOT NULL,"
    "  critical_extensions TEXT NOT NULL,"
    "  eku TEXT NOT NULL,"
    "  csps TEXT NOT NULL,"
    "  ra_policies TEXT NOT NULL,"
    "  ra_app_policies TEXT NOT NULL,"
    "  cert_policies TEXT NOT NULL,"
    "  app_policies TEXT NOT NULL,"
    "  supersede TEXT NOT NULL,"
    "  change_count INTEGER NOT NULL DEFAULT 0,"
    "  modified INTEGER NOT NULL);"
    "CREATE TABLE template_ace ("
    "  template_id INTEGER NOT NULL REFERENCES template(id) ON DELETE CASCADE,"
    "  principal_id INTEGER NOT NULL REFERENCES principal(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  allow INTEGER NOT NULL,"
    "  deny INTEGER NOT NULL,"
    "  PRIMARY KEY (template_id, principal_id));"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  object TEXT NOT NULL,"
    "  field TEXT,"
    "  old_value TEXT,"
    "  new_value TEXT);",
    /* 2: the certification authority (ca/authority, cadb, crl, certstore) */
    "CREATE TABLE ca ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  name TEXT NOT NULL,"
    "  host TEXT NOT NULL,"
    "  edition TEXT NOT NULL,"    /* Enterprise | Standard */
    "  version INTEGER NOT NULL," /* server version nibble (6: 2016 and later) */
    "  key_ref TEXT NOT NULL,"    /* PKCS#8 file beside the database, or a pkcs11: URL */
    "  key_type TEXT NOT NULL,"
    "  key_encrypted INTEGER NOT NULL,"
    "  cert BLOB NOT NULL,"            /* DER */
    "  validity_cap INTEGER NOT NULL," /* ValidityPeriod: longest certificate it issues */
    "  cdp_url TEXT NOT NULL,"
    "  aia_url TEXT NOT NULL,"
    "  crl_period INTEGER NOT NULL,"
    "  crl_number INTEGER NOT NULL DEFAULT 0,"
    "  created INTEGER NOT NULL);"
    "CREATE TABLE ca_template (" /* Certificate Templates to Issue */
    "  cn TEXT PRIMARY KEY COLLATE NOCASE,"
    "  added INTEGER NOT NULL);"
    "CREATE TABLE ca_ace (" /* CA security: Manage CA, Issue and Manage, Request */
    "  principal_id INTEGER PRIMARY KEY REFERENCES principal(id) ON DELETE CASCADE,"
    "  allow INTEGER NOT NULL,"
    "  deny INTEGER NOT NULL);"
    "CREATE TABLE request ("
    "  id INTEGER PRIMARY KEY,"
    "  requester TEXT NOT NULL,"
    "  requester_id INTEGER,"
    "  caller TEXT NOT NULL,"
    "  template TEXT NOT NULL DEFAULT '',"
    "  disposition INTEGER NOT NULL," /* DB_DISP_*: 9 pending, 20 issued, 21 revoked, 30 error, 31
                                         denied */
    "  status INTEGER NOT NULL,"      /* HRESULT, 0 when issued */
    "  message TEXT NOT NULL,"
    "  submitted INTEGER NOT NULL,"
    "  resolved INTEGER,"
    "  officer TEXT,"
    "  raw_request BLOB,"
    "  request_dn TEXT NOT NULL DEFAULT '',"
    "  request_cn TEXT NOT NULL DEFAULT '',"
    "  request_email TEXT NOT NULL DEFAULT '',"
    "  exportable INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX request_disposition ON request(disposition);"
    "CREATE TABLE certificate ("
    "  request_id INTEGER PRIMARY KEY REFERENCES request(id),"
    "  serial TEXT NOT NULL UNIQUE,"
    "  thumbprint TEXT NOT NULL,"
    "  template TEXT NOT NULL,"
    "  subject TEXT NOT NULL,"
    "  common_name TEXT NOT NULL DEFAULT '',"
    "  email TEXT NOT NULL DEFAULT '',"
    "  upn TEXT NOT NULL DEFAULT '',"
    "  not_before INTEGER NOT NULL,"
    "  not_after INTEGER NOT NULL,"
    "  raw BLOB NOT NULL,"
    "  revoked_when INTEGER,"
    "  revoked_effective INTEGER,"
    "  revoked_reason INTEGER);"
    "CREATE TABLE serial_used (" /* every serial ever signed, even if its row goes */
    "  serial TEXT PRIMARY KEY);"
    "CREATE TABLE crl ("
    "  id INTEGER PRIMARY KEY,"
    "  number INTEGER NOT NULL UNIQUE,"
    "  this_update INTEGER NOT NULL,"
    "  next_update INTEGER NOT NULL,"
    "  count INTEGER NOT NULL,"
    "  raw BLOB NOT NULL);"
    "CREATE TABLE store_key ("
    "  id INTEGER PRIMARY KEY,"
    "  principal_id INTEGER NOT NULL REFERENCES principal(id) ON DELETE CASCADE,"
    "  exportable INTEGER NOT NULL,"
    "  request_id INTEGER,"  /* a pending request waiting for its certificate */
    "  pkcs8 BLOB NOT NULL," /* encrypted PKCS#8 */
    "  created INTEGER NOT NULL);"
    "CREATE TABLE store_cert ("
    "  id INTEGER PRIMARY KEY,"
    "  principal_id INTEGER REFERENCES principal(id) ON DELETE CASCADE," /* NULL: every member */
    "  store TEXT NOT NULL,"                                             /* My, Root, CA */
    "  thumbprint TEXT NOT NULL,"
    "  serial TEXT NOT NULL,"
    "  subject TEXT NOT NULL,"
    "  issuer TEXT NOT NULL,"
    "  template TEXT NOT NULL DEFAULT '',"
    "  friendly_name TEXT NOT NULL DEFAULT '',"
    "  not_before INTEGER NOT NULL,"
    "  not_after INTEGER NOT NULL,"
    "  raw BLOB NOT NULL,"
    "  key_id INTEGER REFERENCES store_key(id),"
    "  request_id INTEGER,"
    "  added INTEGER NOT NULL,"
    "  UNIQUE (principal_id, store, thumbprint));",
    /* 3: organizational units, group policy autoenrollment and its pulses */
    "CREATE TABLE ou ("
    "  name TEXT PRIMARY KEY COLLATE NOCASE,"
    "  description TEXT);"
    "ALTER TABLE principal ADD COLUMN ou TEXT NOT NULL DEFAULT '' COLLATE NOCASE;"
    "ALTER TABLE store_cert ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;"
    "CREATE UNIQUE INDEX principal_upn ON principal(upn);" /* NULLs may repeat */
    "CREATE UNIQUE INDEX principal_dns ON principal(dns);"
    "CREATE TABLE gpo ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL COLLATE NOCASE UNIQUE,"
    "  guid TEXT NOT NULL UNIQUE,"
    "  computer_model INTEGER NOT NULL DEFAULT 0," /* 0 not configured, 1 enabled, 2 disabled */
    "  computer_renew INTEGER NOT NULL DEFAULT 0,"
    "  computer_update INTEGER NOT NULL DEFAULT 0,"
    "  user_model INTEGER NOT NULL DEFAULT 0,"
    "  user_renew INTEGER NOT NULL DEFAULT 0,"
    "  user_update INTEGER NOT NULL DEFAULT 0,"
    "  expiry_percent INTEGER NOT NULL DEFAULT 10,"
    "  created INTEGER NOT NULL);"
    "CREATE TABLE gpo_link ("
    "  id INTEGER PRIMARY KEY,"
    "  gpo_id INTEGER NOT NULL REFERENCES gpo(id) ON DELETE CASCADE,"
    "  scope TEXT NOT NULL COLLATE NOCASE," /* '' for the domain, else an OU name */
    "  enabled INTEGER NOT NULL DEFAULT 1,"
    "  UNIQUE (gpo_id, scope));"
    "CREATE TABLE gpo_filter ("
    "  gpo_id INTEGER NOT NULL REFERENCES gpo(id) ON DELETE CASCADE,"
    "  principal_id INTEGER NOT NULL REFERENCES principal(id) ON DELETE CASCADE,"
    "  PRIMARY KEY (gpo_id, principal_id));"
    "CREATE TABLE pulse ("
    "  id INTEGER PRIMARY KEY,"
    "  principal_id INTEGER NOT NULL REFERENCES principal(id) ON DELETE CASCADE,"
    "  at INTEGER NOT NULL,"
    "  policy INTEGER NOT NULL,"          /* AEPolicy bits in force */
    "  source TEXT NOT NULL DEFAULT '');" /* the GPO that decided */
    "CREATE TABLE pulse_item ("
    "  pulse_id INTEGER NOT NULL REFERENCES pulse(id) ON DELETE CASCADE,"
    "  pos INTEGER NOT NULL,"
    "  template TEXT NOT NULL DEFAULT '',"
    "  action TEXT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  request_id INTEGER,"
    "  serial TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (pulse_id, pos));",
    /*
     * 4: the console's CA views sort a million issued certificates by
     * requester, template or submission date a page at a time (ORDER BY
     * ... LIMIT); the disposition comes first as every view selects on it.
     */
    "CREATE INDEX request_disposition_requester ON request(disposition, requester COLLATE NOCASE);"
    "CREATE INDEX request_disposition_template ON request(disposition, template COLLATE NOCASE);"
    "CREATE INDEX request_disposition_submitted ON request(disposition, submitted);",
    /*
     * 5: the Cryptography tab's Algorithm name (msPKI-Asymmetric-Algorithm of
     * schema 3+ templates); empty: any algorithm that reaches the minimum size.
     */
    "ALTER TABLE template ADD COLUMN algorithm TEXT NOT NULL DEFAULT '';",
    /*
     * 6: who a Unix user is. The caller of a production database is the
     * Unix user the kernel names, mapped here to a directory account; only a
     * CA Administrator edits the map. A database made before the map keeps
     * working for root, which the old default account served.
     */
    "CREATE TABLE account_map ("
    "  unix_user TEXT PRIMARY KEY,"
    "  principal_id INTEGER NOT NULL REFERENCES principal(id) ON DELETE CASCADE);"
    "INSERT INTO account_map (unix_user, principal_id)"
    "  SELECT 'root', p.id FROM principal p, meta m"
    "  WHERE m.key = 'default_account' AND p.name = m.value"
    "  AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'lab');"
    "DELETE FROM meta WHERE key = 'default_account'"
    "  AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'lab');",
    /*
     * 7: the audit log becomes a hash chain (ca/audit.c): each record keeps
     * the right an action needed, whether it was done or refused, and the
     * SHA-256 of the previous record and of itself. migrate() links the
     * records written before this migration (AUDIT_CHAIN_MIGRATION).
     */
    "ALTER TABLE audit ADD COLUMN right_name TEXT;"
    "ALTER TABLE audit ADD COLUMN result TEXT NOT NULL DEFAULT 'ok';"
    "ALTER TABLE audit ADD COLUMN prev TEXT;"
    "ALTER TABLE audit ADD COLUMN hash TEXT;"
    "CREATE INDEX audit_actor ON audit(actor COLLATE NOCASE);"
    "CREATE INDEX audit_at ON audit(at);",
    /*
     * 8: when a group policy object's settings last changed, as Group
     * Policy Management lists it beside each GPO ("Modified").
     */
    "ALTER TABLE gpo ADD COLUMN modified INTEGER NOT NULL DEFAULT 0;"
    "UPDATE gpo SET modified = created;",
    /*
     * 9: the default container a group lives in when it is in no OU: ''
     * the Groups container, 'Users' the Users container (New -> Group from
     * Users in Active Directory Users and Computers puts it there, as AD does).
     */
    "ALTER TABLE principal ADD COLUMN container TEXT NOT NULL DEFAULT '' COLLATE NOCASE;",
    /*
     * 10: revocation that clients can reach (src/http.c, ca/crl.c). The
     * public base URL the CDP, Freshest CRL and AIA URLs derive from (a
     * cdp_url or aia_url of 'auto' derives; a URL wins; '' leaves it out),
     * the delta CRL period (0: no deltas), publication after a revocation;
     * a CRL row names the base a delta refers to (NULL for a base) and when
     * it was built, and the serials a base listed on hold, so that a delta
     * can say removeFromCRL when one is released.
     */
    "ALTER TABLE ca ADD COLUMN base_url TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE ca ADD COLUMN delta_period INTEGER NOT NULL DEFAULT 86400;"
    "ALTER TABLE ca ADD COLUMN publish_on_revoke INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE crl ADD COLUMN base INTEGER;"
    "ALTER TABLE crl ADD COLUMN built INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX crl_base ON crl(base, number);"
    "CREATE TABLE crl_hold ("
    "  crl_number INTEGER NOT NULL,"
    "  serial TEXT NOT NULL,"
    "  PRIMARY KEY (crl_number, serial));",
    /*
     * 11: the OCSP responder's signing keys (ca/ocsp.c): the private key of
     * each delegated responder certificate the CA issued itself, sealed
     * with the key-store secret as the stores' keys are. The certificate
     * is an ordinary row of certificate, found by its serial.
     */
    "CREATE TABLE ocsp_responder ("
    "  serial TEXT PRIMARY KEY,"
    "  pkcs8 BLOB NOT NULL,"
    "  created INTEGER NOT NULL);",
    /*
     * 12: EST (ca/est.c). Each account's enrollment secret, kept only as a
     * salted PBKDF2-SHA256 hash with its rounds and expiry; the CA's default
     * EST template (ca set est-default); and the requests EST answered 202
     * for, so that the client posting the same request again gets the
     * certificate once a manager issued it (RFC 7030 4.2.3).
     */
    "CREATE TABLE est_secret ("
    "  principal_id INTEGER PRIMARY KEY REFERENCES principal(id) ON DELETE CASCADE,"
    "  salt BLOB NOT NULL,"
    "  hash BLOB NOT NULL,"
    "  rounds INTEGER NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  expires INTEGER NOT NULL);"
    "CREATE TABLE est_waiting ("
    "  request_id INTEGER PRIMARY KEY REFERENCES request(id) ON DELETE CASCADE);"
    "ALTER TABLE ca ADD COLUMN est_default TEXT NOT NULL DEFAULT '';",
    /*
     * 13: ACME (ca/acme.c). The templates served over ACME; External
     * Account Binding keys (one account each, until they expire); accounts
     * by key thumbprint, bound to a directory principal (and optionally one
     * template); nonces not used yet; orders with the request they became
     * and its certificate; one authorization per name of an order.
     */
    "CREATE TABLE acme_template (cn TEXT PRIMARY KEY COLLATE NOCASE);"
    "CREATE TABLE acme_eab ("
    "  kid TEXT PRIMARY KEY,"
    "  hmac BLOB NOT NULL,"
    "  principal INTEGER NOT NULL,"
    "  template TEXT,"
    "  expires INTEGER NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  account INTEGER);"
    "CREATE TABLE acme_account ("
    "  id INTEGER PRIMARY KEY,"
    "  thumbprint TEXT NOT NULL UNIQUE,"
    "  jwk TEXT NOT NULL,"
    "  principal INTEGER NOT NULL,"
    "  template TEXT,"
    "  status TEXT NOT NULL,"
    "  contact TEXT,"
    "  created INTEGER NOT NULL,"
    "  eab TEXT);"
    "CREATE TABLE acme_nonce (nonce TEXT PRIMARY KEY, created INTEGER NOT NULL);"
    "CREATE TABLE acme_order ("
    "  id INTEGER PRIMARY KEY,"
    "  account INTEGER NOT NULL,"
    "  template TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  identifiers TEXT NOT NULL,"
    "  created INTEGER NOT NULL,"
    "  expires INTEGER NOT NULL,"
    "  request_id INTEGER,"
    "  serial TEXT,"
    "  cert BLOB,"
    "  error TEXT);"
    "CREATE INDEX acme_order_account ON acme_order(account);"
    "CREATE TABLE acme_authz ("
    "  id INTEGER PRIMARY KEY,"
    "  order_id INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  token TEXT NOT NULL,"
    "  expires INTEGER NOT NULL,"
    "  validated INTEGER,"
    "  validated_type TEXT,"
    "  error TEXT);"
    "CREATE INDEX acme_authz_order ON acme_authz(order_id);",
};

/* The migration that added the audit chain: an older database's records are linked after it. */
#define AUDIT_CHAIN_MIGRATION 7

#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof migrations[0]))

int
store_schema_version(void)
{
    return MIGRATION_COUNT;
}

/* SQLite's result code as a status. */
static int
status_of(int code)
{
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return CC_EBUSY;
    case SQLITE_NOMEM:
        return CC_ENOMEM;
    case SQLITE_CONSTRAINT:
        return CC_ECONSTRAINT;
    default:
        return CC_EDB;
    }
}

/* A handle whose database could not be opened again after store_replace(). */
static int
closed(struct store *st, char **cause)
{
    return cc_fail(cause, CC_EIO,
                   "the database %s is closed: it could not be opened again after it was replaced",
                   st->path);
}

int
store_error(struct store *st, char **cause)
{
    if (st->db == NULL)
        return closed(st, cause);
    int code = sqlite3_errcode(st->db);
    if (code == SQLITE_BUSY)
        return busy_cause(st, cause); /* never SQLite's bare "database is locked" */
    return cc_fail(cause, status_of(code), "database %s: %s", st->path, sqlite3_errmsg(st->db));
}

int
store_exec(struct store *st, const char *sql, char **cause)
{
    if (st->db == NULL)
        return closed(st, cause);
    if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return store_error(st, cause);
    return CC_OK;
}

int
store_checkpoint(struct store *st, char **cause)
{
    return store_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)", cause);
}

struct store_stmt {
    sqlite3_stmt *q;
    struct store *st;
    int bind_rc; /* the first failed bind since the last step (SQLITE_OK: none) */
};

static int
prepare(struct store *st, const char *sql, unsigned flags, struct store_stmt **out, char **cause)
{
    *out = NULL;
    if (st->db == NULL)
        return closed(st, cause);
    struct store_stmt *s = malloc(sizeof *s);
    if (s == NULL)
        return cc_fail(cause, CC_ENOMEM, "out of memory preparing a statement");
    s->st = st;
    s->bind_rc = SQLITE_OK;
    if (sqlite3_prepare_v3(st->db, sql, -1, flags, &s->q, NULL) != SQLITE_OK) {
        free(s);
        return store_error(st, cause);
    }
    *out = s;
    return CC_OK;
}

int
store_prepare(struct store *st, const char *sql, struct store_stmt **out, char **cause)
{
    return prepare(st, sql, 0, out, cause);
}

int
store_prepare_kept(struct store *st, const char *sql, struct store_stmt **out, char **cause)
{
    return prepare(st, sql, SQLITE_PREPARE_PERSISTENT, out, cause);
}

void
store_finalize(struct store_stmt *q)
{
    if (q == NULL)
        return;
    sqlite3_finalize(q->q);
    free(q);
}

void
store_reset(struct store_stmt *q)
{
    sqlite3_reset(q->q);
}

void
store_clear_bindings(struct store_stmt *q)
{
    sqlite3_clear_bindings(q->q);
}

static void
bound(struct store_stmt *q, int rc)
{
    if (rc != SQLITE_OK && q->bind_rc == SQLITE_OK)
        q->bind_rc = rc;
}

void
store_bind_int64(struct store_stmt *q, int i, int64_t v)
{
    bound(q, sqlite3_bind_int64(q->q, i, v));
}

void
store_bind_int(struct store_stmt *q, int i, int v)
{
    bound(q, sqlite3_bind_int(q->q, i, v));
}

void
store_bind_text(struct store_stmt *q, int i, const char *s)
{
    bound(q, sqlite3_bind_text(q->q, i, s, -1, SQLITE_TRANSIENT));
}

void
store_bind_text_n(struct store_stmt *q, int i, const char *s, size_t n)
{
    bound(q, sqlite3_bind_text64(q->q, i, s, n, SQLITE_TRANSIENT, SQLITE_UTF8));
}

void
store_bind_blob(struct store_stmt *q, int i, const void *p, size_t n)
{
    if (p == NULL)
        bound(q, sqlite3_bind_null(q->q, i));
    else
        bound(q, sqlite3_bind_blob64(q->q, i, p, n, SQLITE_TRANSIENT));
}

void
store_bind_null(struct store_stmt *q, int i)
{
    bound(q, sqlite3_bind_null(q->q, i));
}

int
store_step(struct store_stmt *q, char **cause)
{
    if (q->bind_rc != SQLITE_OK) {
        int code = q->bind_rc;
        q->bind_rc = SQLITE_OK;
        return cc_fail(cause, status_of(code), "database %s: %s", q->st->path,
                       sqlite3_errstr(code));
    }
    switch (sqlite3_step(q->q)) {
    case SQLITE_ROW:
        return STORE_ROW;
    case SQLITE_DONE:
        return STORE_DONE;
    default:
        return store_error(q->st, cause);
    }
}

int
store_run(struct store_stmt *q, char **cause)
{
    int rc = store_step(q, cause);
    if (rc == STORE_DONE)
        return CC_OK;
    if (rc == STORE_ROW)
        return cc_fail(cause, CC_EDB, "database %s: a statement that changes rows returned one",
                       q->st->path);
    return rc;
}

int64_t
store_col_int64(struct store_stmt *q, int i)
{
    return sqlite3_column_int64(q->q, i);
}

int
store_col_int(struct store_stmt *q, int i)
{
    return sqlite3_column_int(q->q, i);
}

const char *
store_col_text(struct store_stmt *q, int i)
{
    return (const char *)sqlite3_column_text(q->q, i);
}

const void *
store_col_blob(struct store_stmt *q, int i, size_t *n)
{
    const void *p = sqlite3_column_blob(q->q, i);
    if (n != NULL)
        *n = (size_t)sqlite3_column_bytes(q->q, i);
    return p;
}

int
store_col_null(struct store_stmt *q, int i)
{
    return sqlite3_column_type(q->q, i) == SQLITE_NULL;
}

int
store_col_is_blob(struct store_stmt *q, int i)
{
    return sqlite3_column_type(q->q, i) == SQLITE_BLOB;
}

int64_t
store_last_id(struct store *st)
{
    return st->db ? sqlite3_last_insert_rowid(st->db) : 0;
}

int
store_rows_changed(struct store *st)
{
    return st->db ? sqlite3_changes(st->db) : 0;
}

int
store_begin(struct store *st, char **cause)
{
    char sql[48];
    if (st->db == NULL)
        return closed(st, cause);
    if (st->depth == 0) {
        int rc = lock_acquire(st, cause);
        if (rc != CC_OK)
            return rc;
        if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
            int code = sqlite3_errcode(st->db);
            rc = (code == SQLITE_BUSY || code == SQLITE_LOCKED) ? busy_cause(st, cause)
                                                                : store_error(st, cause);
            lock_release(st);
            return rc;
        }
        holder_record(st);
        st->total_at_begin = sqlite3_total_changes64(st->db);
        st->depth++;
        return CC_OK;
    }
    snprintf(sql, sizeof sql, "SAVEPOINT sp%d", st->depth);
    int rc = store_exec(st, sql, cause);
    if (rc == CC_OK)
        st->depth++;
    return rc;
}

static void run_after(struct store *st);

int
store_commit(struct store *st, char **cause)
{
    char sql[48];
    if (st->depth <= 0)
        return cc_fail(cause, CC_ESTATE, "commit without a transaction");
    int rc = CC_OK;
    if (st->depth == 1) {
        strcpy(sql, "COMMIT");
        rc = changes_bump(st, cause);
    } else {
        snprintf(sql, sizeof sql, "RELEASE sp%d", st->depth - 1);
    }
    if (rc == CC_OK)
        rc = store_exec(st, sql, cause);
    if (rc != CC_OK) {
        store_rollback(st);
        return rc;
    }
    st->depth--;
    if (st->depth == 0) {
        lock_release(st); /* before the queue: its transaction takes the lock again */
        run_after(st);
    }
    return CC_OK;
}

void
store_rollback(struct store *st)
{
    char sql[64];
    if (st->depth <= 0)
        return;
    if (st->depth == 1) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        lock_release(st);
    } else {
        snprintf(sql, sizeof sql, "ROLLBACK TO sp%d; RELEASE sp%d", st->depth - 1,
                 st->depth - 1);
        sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    }
    st->depth--;
    if (st->depth == 0)
        run_after(st);
}

int
store_after(struct store *st, int (*fn)(struct store *st, void *arg), void *arg,
            void (*free_arg)(void *arg))
{
    struct store_after_item *it = calloc(1, sizeof *it);
    if (it == NULL) {
        if (free_arg)
            free_arg(arg);
        return CC_ENOMEM;
    }
    it->fn = fn;
    it->arg = arg;
    it->free_arg = free_arg;
    if (st->after == NULL)
        st->after_tail = &st->after;
    *st->after_tail = it;
    st->after_tail = &it->next;
    if (st->depth == 0)
        run_after(st);
    return CC_OK;
}

static void
after_free(struct store_after_item *it)
{
    while (it != NULL) {
        struct store_after_item *next = it->next;
        if (it->free_arg)
            it->free_arg(it->arg);
        free(it);
        it = next;
    }
}

/*
 * Runs the waiting work in one transaction of its own. The list is taken
 * off the handle first, so the commit below (which comes back here) finds
 * only work queued meanwhile; on failure the work goes back in front.
 */
static void
run_after(struct store *st)
{
    struct store_after_item *list = st->after;
    if (list == NULL || st->depth != 0)
        return;
    st->after = NULL;
    int rc = store_begin(st, NULL);
    for (struct store_after_item *it = list; rc == CC_OK && it != NULL; it = it->next)
        rc = it->fn(st, it->arg);
    if (rc == CC_OK) {
        rc = store_commit(st, NULL);
    } else if (st->depth > 0) {
        st->depth--; /* rolled back here, not through store_rollback: no recursion */
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        lock_release(st);
    }
    if (rc == CC_OK) {
        after_free(list);
        return;
    }
    struct store_after_item **end = &list;
    while (*end != NULL)
        end = &(*end)->next;
    *end = st->after;
    if (st->after == NULL)
        st->after_tail = end;
    st->after = list;
}

int
store_depth(const struct store *st)
{
    return st->depth;
}

int
store_finish(struct store *st, int rc, char **cause)
{
    if (rc == CC_OK)
        return store_commit(st, cause);
    store_rollback(st);
    return rc;
}

static int
mkdir_parent(const char *path, char **cause)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return CC_ENOMEM;
    char *dir = dirname(copy);
    struct stat sb;
    int rc = CC_OK;
    if (stat(dir, &sb) != 0) {
        /* create missing parents; the last one (the database's own) is 0700 */
        for (char *p = dir + 1; *p != '\0'; p++) {
            if (*p != '/')
                continue;
            *p = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST)
                rc = cc_fail(cause, CC_EIO, "cannot create %s: %s", dir, strerror(errno));
            *p = '/';
            if (rc != CC_OK)
                break;
        }
        if (rc == CC_OK && mkdir(dir, 0700) != 0 && errno != EEXIST)
            rc = cc_fail(cause, CC_EIO, "cannot create %s: %s", dir, strerror(errno));
    } else if (!S_ISDIR(sb.st_mode)) {
        rc = cc_fail(cause, CC_EIO, "%s is not a directory", dir);
    }
    free(copy);
    return rc;
}

static int
migrate(struct store *st, int target, char **cause)
{
    struct store_stmt *q;
    int version = 0;
    int rc = store_prepare(st, "PRAGMA user_version", &q, cause);
    if (rc != CC_OK)
        return rc;
    if (store_step(q, NULL) == STORE_ROW)
        version = store_col_int(q, 0);
    store_finalize(q);
    if (version > MIGRATION_COUNT)
        return cc_fail(cause, CC_ESCHEMA,
                       "%s has schema version %d; this certcon understands up to %d", st->path,
                       version, MIGRATION_COUNT);
    if (version >= target)
        return CC_OK;
    if ((rc = store_begin(st, cause)) != CC_OK)
        return rc;
    for (int v = version; v < target; v++) {
        if ((rc = store_exec(st, migrations[v], cause)) != CC_OK) {
            store_rollback(st);
            return rc;
        }
    }
    /* records written before the audit chain are linked once, here, not later on demand */
    if (version > 0 && version < AUDIT_CHAIN_MIGRATION && target >= AUDIT_CHAIN_MIGRATION &&
        (rc = audit_chain_existing(st, cause)) != CC_OK) {
        store_rollback(st);
        return rc;
    }
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", target);
    if ((rc = store_exec(st, sql, cause)) != CC_OK) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st, cause);
}

/*
 * Opens st's connection to the file at st->path and brings its schema to
 * target (refusing a newer one); on failure the connection is closed again
 * (st->db NULL) and the cause names the file.
 */
static int
connect_db(struct store *st, int target, char **cause)
{
    const char *path = st->path;
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        int rc = cc_fail(cause, CC_EDB, "cannot open %s: %s", path,
                         st->db ? sqlite3_errmsg(st->db) : "out of memory");
        sqlite3_close_v2(st->db);
        st->db = NULL;
        return rc;
    }
    sqlite3_busy_handler(st->db, busy_wait, st);
    sqlite3_extended_result_codes(st->db, 0);
    /* refuse a newer database before anything (even the journal mode) touches it */
    int rc = store_exec(st, "PRAGMA foreign_keys = ON", cause);
    struct store_stmt *q;
    if (rc == CC_OK && (rc = store_prepare(st, "PRAGMA user_version", &q, cause)) == CC_OK) {
        int version = store_step(q, NULL) == STORE_ROW ? store_col_int(q, 0) : 0;
        store_finalize(q);
        if (version > MIGRATION_COUNT)
            rc = cc_fail(cause, CC_ESCHEMA,
                         "%s has schema version %d; this certcon understands up to %d", path,
                         version, MIGRATION_COUNT);
    }
    if (rc == CC_OK)
        rc = store_exec(st, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", cause);
    if (rc == CC_OK)
        rc = migrate(st, target > 0 && target < MIGRATION_COUNT ? target : MIGRATION_COUNT, cause);
    if (rc != CC_OK) {
        if (rc == CC_EDB)
            cc_fail(cause, CC_EDB, "%s is not a certcon database (%s)", path,
                    sqlite3_errmsg(st->db));
        sqlite3_close_v2(st->db);
        st->db = NULL;
    }
    return rc;
}

int
store_open(const char *path, int flags, struct store **out, char **cause)
{
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!exists && !(flags & STORE_CREATE))
        return cc_fail(cause, CC_ENOTFOUND,
                       "no database at %s: create one with 'certcon init --lab contoso' or "
                       "'certcon init --domain D --ca-name N'",
                       path);
    if (exists && (sb.st_mode & 077) != 0)
        /* it holds the CA's records and the store's encrypted keys: the owner's alone */
        return cc_fail(cause, CC_EACCES,
                       "the database %s is %s by group or others (mode %04o): run chmod 600 %s",
                       path, (sb.st_mode & 044) ? "readable" : "writable",
                       (unsigned)(sb.st_mode & 07777), path);
    if (!exists) {
        int rc = mkdir_parent(path, cause);
        if (rc != CC_OK)
            return rc;
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0)
            return cc_fail(cause, CC_EIO, "cannot create %s: %s", path, strerror(errno));
        close(fd);
    }
    struct store *st = calloc(1, sizeof *st);
    if (st == NULL)
        return CC_ENOMEM;
    st->tokens_at_restart = 1;
    st->serialize = (flags & STORE_SERIALIZE) != 0;
    st->lock_fd = -1;
    st->holder_fd = -1;
    st->path = strdup(path);
    if (st->path == NULL) {
        free(st);
        return CC_ENOMEM;
    }
    busy_setup(st);
    int rc = connect_db(st, flags >> 8, cause);
    if (rc != CC_OK) {
        store_close(st);
        return rc;
    }
    *out = st;
    return CC_OK;
}

int
store_replace(struct store *st, int (*replace)(const char *path, void *arg), void *arg,
              char **cause)
{
    if (st->depth > 0)
        return cc_fail(cause, CC_ESTATE, "the database cannot be replaced inside a transaction");
    if (st->db == NULL)
        return closed(st, cause);
    run_after(st); /* work waiting for the old database lands in it, or not at all */
    /* fold the log so that no frame of the old database outlives it */
    store_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)", NULL);
    sqlite3_close_v2(st->db);
    st->db = NULL;
    char *wal = side_path(st, "-wal"), *shm = side_path(st, "-shm");
    if (wal != NULL)
        unlink(wal);
    if (shm != NULL)
        unlink(shm);
    free(wal);
    free(shm);
    int rc = replace(st->path, arg);
    int again = connect_db(st, MIGRATION_COUNT, rc == CC_OK ? cause : NULL);
    return rc != CC_OK ? rc : again;
}

void
store_close(struct store *st)
{
    if (st == NULL)
        return;
    while (st->depth > 0)
        store_rollback(st);
    run_after(st);
    after_free(st->after); /* what could not be written even now is lost */
    sqlite3_close_v2(st->db);
    if (st->lock_fd >= 0)
        close(st->lock_fd);
    if (st->holder_fd >= 0)
        close(st->holder_fd);
    free(st->path);
    free(st->label);
    free(st);
}

const char *
store_path(struct store *st)
{
    return st->path;
}

int
store_meta_get(struct store *st, const char *key, char **value)
{
    struct store_stmt *q;
    *value = NULL;
    int rc = store_prepare(st, "SELECT value FROM meta WHERE key = ?", &q, NULL);
    if (rc != CC_OK)
        return rc;
    store_bind_text(q, 1, key);
    rc = CC_ENOTFOUND;
    if (store_step(q, NULL) == STORE_ROW) {
        *value = strdup(store_col_text(q, 0));
        rc = *value ? CC_OK : CC_ENOMEM;
    }
    store_finalize(q);
    return rc;
}

int
store_meta_set(struct store *st, const char *key, const char *value, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "INSERT INTO meta (key, value) VALUES (?, ?) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_text(q, 1, key);
    store_bind_text(q, 2, value);
    rc = store_run(q, cause);
    store_finalize(q);
    return rc;
}

void
store_set_tokens_at_restart(struct store *st, int on)
{
    st->tokens_at_restart = on;
}

int
store_tokens_at_restart(struct store *st)
{
    return st->tokens_at_restart;
}

/* ---- Waiting for writers ------------------------------------------------
 *
 * SQLite lets one writer in at a time. A writer that finds another one
 * waits with growing sleeps up to a bound (30 s unless told otherwise),
 * then fails with a sentence naming the holder: each outermost write
 * transaction records its process, Unix user and command line in
 * "<db>.holder" right after BEGIN IMMEDIATE succeeds, so the file names
 * whoever holds the lock now. Times here are the real clock, not the lab
 * clock: they describe processes, not certificates.
 */

#define BUSY_DEFAULT_MS 30000L
#define HOLDER_SIZE     256

static long long
monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The busy handler: sleeps of 1, 2, 5, ... 50 ms until the bound has passed. */
static int
busy_wait(void *arg, int count)
{
    static const int sleeps[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50};
    struct store *st = arg;
    long long now = monotonic_us(), limit = (long long)st->busy_limit_ms * 1000;
    if (count == 0)
        st->busy_started = now;
    long long waited = now - st->busy_started;
    if (waited >= limit)
        return 0;
    long long us = (long long)sleeps[count < 10 ? count : 9] * 1000;
    if (waited + us > limit)
        us = limit - waited;
    struct timespec ts = {(time_t)(us / 1000000), (long)(us % 1000000) * 1000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    return 1;
}

/* The process's command line, printable, for the holder record; allocated or NULL. */
static char *
own_command_line(void)
{
    char buf[160];
    int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    /* argv[0] by its base name, arguments separated by spaces */
    char *start = buf;
    for (char *p = buf; p < buf + n && *p; p++)
        if (*p == '/')
            start = p + 1;
    for (char *p = buf; p < buf + n - 1; p++)
        if (*p == '\0')
            *p = ' ';
    return strdup(start);
}

static void
busy_setup(struct store *st)
{
    st->busy_limit_ms = BUSY_DEFAULT_MS;
    const char *v = getenv("CERTCON_BUSY_TIMEOUT_MS");
    if (v != NULL && *v != '\0') {
        char *end;
        long ms = strtol(v, &end, 10);
        if (*end == '\0' && ms >= 0 && ms <= 3600000L)
            st->busy_limit_ms = ms;
    }
}

void
store_set_busy_timeout(struct store *st, long ms)
{
    st->busy_limit_ms = ms < 0 ? 0 : ms;
}

void
store_set_label(struct store *st, const char *label)
{
    free(st->label);
    st->label = label ? strdup(label) : NULL;
}

/* "<db><suffix>", allocated or NULL. */
static char *
side_path(struct store *st, const char *suffix)
{
    return cc_asprintf("%s%s", st->path, suffix);
}

/* Control characters and the record's separator become '?': the record is shown to people. */
static void
printable(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f || *s == '\t')
            *s = '?';
}

static void
holder_record(struct store *st)
{
    if (st->holder_fd < 0) {
        char *path = side_path(st, ".holder");
        if (path == NULL)
            return;
        st->holder_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        free(path);
        if (st->holder_fd < 0)
            return; /* a read-only directory: the message will just name no one */
    }
    if (st->label == NULL)
        st->label = own_command_line();
    struct passwd *pw = getpwuid(geteuid());
    char user[64], what[128];
    if (pw != NULL)
        snprintf(user, sizeof user, "%s", pw->pw_name);
    else
        snprintf(user, sizeof user, "uid %u", (unsigned)geteuid());
    snprintf(what, sizeof what, "%s", st->label ? st->label : "certcon");
    printable(user);
    printable(what);
    /* one fixed-size write: a reader sees the old record or the new one */
    char rec[HOLDER_SIZE];
    memset(rec, 0, sizeof rec);
    snprintf(rec, sizeof rec, "%ld\t%s\t%lld\t%s\n", (long)getpid(), user, (long long)time(NULL),
             what);
    if (pwrite(st->holder_fd, rec, sizeof rec, 0) != (ssize_t)sizeof rec)
        return;
}

/* Fails with CC_EBUSY and a sentence naming the writer that holds the database. */
static int
busy_cause(struct store *st, char **cause)
{
    char rec[HOLDER_SIZE + 1] = {0};
    char *path = side_path(st, ".holder");
    int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    free(path);
    ssize_t n = fd >= 0 ? pread(fd, rec, HOLDER_SIZE, 0) : -1;
    if (fd >= 0)
        close(fd);
    long pid = 0;
    long long since = 0;
    char user[64] = "", what[128] = "";
    if (n > 0 && sscanf(rec, "%ld\t%63[^\t]\t%lld\t%127[^\n]", &pid, user, &since, what) == 4 &&
        pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM)) {
        printable(user);
        printable(what);
        char at[32];
        time_t t = (time_t)since;
        struct tm tm;
        strftime(at, sizeof at, "%Y-%m-%d %H:%M:%S UTC", gmtime_r(&t, &tm));
        return cc_fail(cause, CC_EBUSY,
                       "the database %s is being changed by process %ld (user %s, '%s') since "
                       "%s, and it did not finish within %ld s; try again when it has ended",
                       st->path, pid, user, what, at, (st->busy_limit_ms + 999) / 1000);
    }
    return cc_fail(cause, CC_EBUSY,
                   "the database %s is being changed by another process, which did not finish "
                   "within %ld s; try again when it has ended",
                   st->path, (st->busy_limit_ms + 999) / 1000);
}

/* ---- Serializing writers (STORE_SERIALIZE) ---------------------------- */

static int
lock_acquire(struct store *st, char **cause)
{
    if (!st->serialize)
        return CC_OK;
    if (st->lock_fd < 0) {
        char *path = side_path(st, ".lock");
        if (path == NULL)
            return CC_ENOMEM;
        st->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (st->lock_fd < 0) {
            int rc =
                cc_fail(cause, CC_EIO, "cannot open the lock file %s: %s", path, strerror(errno));
            free(path);
            return rc;
        }
        free(path);
    }
    while (flock(st->lock_fd, LOCK_EX) != 0) {
        if (errno != EINTR)
            return cc_fail(cause, CC_EIO, "cannot lock %s.lock: %s", st->path, strerror(errno));
    }
    return CC_OK;
}

static void
lock_release(struct store *st)
{
    if (st->serialize && st->lock_fd >= 0)
        flock(st->lock_fd, LOCK_UN);
}

/* ---- The change counter ------------------------------------------------ */

static int
changes_bump(struct store *st, char **cause)
{
    if (sqlite3_total_changes64(st->db) == st->total_at_begin)
        return CC_OK; /* a transaction that only read */
    return store_exec(st,
                      "INSERT INTO meta (key, value) VALUES ('changes', 1) "
                      "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
                      cause);
}

int
store_changes(struct store *st, int64_t *out, char **cause)
{
    struct store_stmt *q;
    *out = 0;
    int rc = store_prepare(st, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'changes'", &q,
                           cause);
    if (rc != CC_OK)
        return rc;
    int step = store_step(q, cause); /* a busy database is named by store_error() */
    if (step == STORE_ROW)
        *out = store_col_int64(q, 0);
    else if (step != STORE_DONE)
        rc = step;
    store_finalize(q);
    return rc;
}
