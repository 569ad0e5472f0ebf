/*
 * The audit log. Records are only ever inserted; nothing in certcon updates
 * or deletes them. Each one is linked to the one before by a SHA-256 hash,
 * so that an edit, a deletion or a reordering made behind certcon's back
 * (with sqlite3, say) shows as the first record whose link does not hold.
 *
 * A record's id is chosen here, one past the last, in the same write
 * transaction that reads the last record's hash: under BEGIN IMMEDIATE no
 * other writer can append between the read and the insert, so the chain
 * never forks.
 *
 * What the chain cannot show alone is the loss of its newest records: keep
 * the head hash that `certcon audit verify` prints somewhere else to check
 * that too.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "audit.h"
#include "authz.h"
#include "clock.h"
#include "context.h"
#include "directory.h"
#include "status.h"
#include "util.h"

static const char zero_hash[AUDIT_HASH_LEN + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/*
 * Who is acting, as the log records it. Every record takes its actor from
 * here and nowhere else, so a different source of identity changes this
 * function only.
 */
static const char *
audit_actor(const struct cc_ctx *cx)
{
    return cx->who ? cx->who_name : "SYSTEM";
}

/* ---- the canonical encoding and the hash ---- */

/* A growable byte buffer for the encoding; reused across records. */
struct enc {
    unsigned char *p;
    size_t n, cap;
    int failed;
};

static void
enc_bytes(struct enc *e, const void *data, size_t n)
{
    if (e->failed)
        return;
    if (e->n + n > e->cap) {
        size_t cap = e->cap ? e->cap : 256;
        while (cap < e->n + n)
            cap *= 2;
        unsigned char *p = realloc(e->p, cap);
        if (p == NULL) {
            e->failed = 1;
            return;
        }
        e->p = p;
        e->cap = cap;
    }
    memcpy(e->p + e->n, data, n);
    e->n += n;
}

/*
 * One field: a presence byte (0 NULL, 1 text), the length as 8 bytes big
 * endian, then the bytes. Every field is length-prefixed and NULL differs
 * from "", so no two records encode alike.
 */
static void
enc_field(struct enc *e, const char *s)
{
    unsigned char head[9] = {s != NULL};
    uint64_t len = s ? strlen(s) : 0;
    for (int i = 0; i < 8; i++)
        head[1 + i] = (unsigned char)(len >> (56 - 8 * i));
    enc_bytes(e, head, sizeof head);
    if (s != NULL)
        enc_bytes(e, s, (size_t)len);
}

static void
enc_int(struct enc *e, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    enc_field(e, buf);
}

/* The hash of a record (prev included) as hex into out; CC_OK, CC_ENOMEM or CC_ECRYPTO. */
static int
record_hash(struct enc *e, int64_t id, time_t at, const char *actor, const char *kind,
            const char *object, const char *field, const char *old_value, const char *new_value,
            const char *right, const char *result, const char *prev, char out[AUDIT_HASH_LEN + 1])
{
    static const char domain[] = "certcon audit record 1";
    e->n = 0;
    e->failed = 0;
    enc_bytes(e, domain, sizeof domain); /* with its NUL */
    enc_int(e, id);
    enc_int(e, (int64_t)at);
    enc_field(e, actor);
    enc_field(e, kind);
    enc_field(e, object);
    enc_field(e, field);
    enc_field(e, old_value);
    enc_field(e, new_value);
    enc_field(e, right);
    enc_field(e, result);
    enc_field(e, prev);
    if (e->failed)
        return CC_ENOMEM;
    unsigned char md[32];
    if (gnutls_hash_fast(GNUTLS_DIG_SHA256, e->p, e->n, md) < 0)
        return CC_ECRYPTO;
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[AUDIT_HASH_LEN] = '\0';
    return CC_OK;
}

/* ---- appending ---- */

struct pending {
    time_t at;
    char *actor, *kind, *object, *field, *old_value, *new_value, *right, *result;
};

static void
pending_free(void *arg)
{
    struct pending *p = arg;
    if (p == NULL)
        return;
    free(p->actor);
    free(p->kind);
    free(p->object);
    free(p->field);
    free(p->old_value);
    free(p->new_value);
    free(p->right);
    free(p->result);
    free(p);
}

/* Appends one record; the caller holds the write transaction. */
static int
append_locked(struct store *st, const struct pending *r, char **cause)
{
    struct store_stmt *q;
    int64_t id = 1;
    char prev[AUDIT_HASH_LEN + 1];
    memcpy(prev, zero_hash, sizeof prev);
    int rc = store_prepare(st, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", &q, cause);
    if (rc != CC_OK)
        return rc;
    int step = store_step(q, NULL);
    if (step == STORE_ROW) {
        id = store_col_int64(q, 0) + 1;
        const char *h = store_col_text(q, 1);
        /* an unlinked last record is itself the break verify reports; link past it anyway */
        if (h != NULL && strlen(h) == AUDIT_HASH_LEN)
            memcpy(prev, h, AUDIT_HASH_LEN);
    } else if (step != STORE_DONE) {
        rc = store_error(st, cause);
    }
    store_finalize(q);
    if (rc != CC_OK)
        return rc;
    char hash[AUDIT_HASH_LEN + 1];
    struct enc e = {0};
    rc = record_hash(&e, id, r->at, r->actor, r->kind, r->object, r->field, r->old_value,
                     r->new_value, r->right, r->result, prev, hash);
    free(e.p);
    if (rc != CC_OK)
        return cc_fail(cause, rc, "the audit record cannot be hashed: %s", cc_strerror(rc));
    rc = store_prepare(st,
                       "INSERT INTO audit (id, at, actor, kind, object, field, old_value, "
                       "new_value, right_name, result, prev, hash) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, id);
    store_bind_int64(q, 2, (int64_t)r->at);
    store_bind_text(q, 3, r->actor);
    store_bind_text(q, 4, r->kind);
    store_bind_text(q, 5, r->object);
    store_bind_text(q, 6, r->field);
    store_bind_text(q, 7, r->old_value);
    store_bind_text(q, 8, r->new_value);
    store_bind_text(q, 9, r->right);
    store_bind_text(q, 10, r->result);
    store_bind_text(q, 11, prev);
    store_bind_text(q, 12, hash);
    if (store_step(q, NULL) != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    return rc;
}

/* Appends in the caller's transaction, or in one of its own when none is open. */
static int
append(struct store *st, const struct pending *r, char **cause)
{
    if (store_depth(st) > 0)
        return append_locked(st, r, cause);
    int rc = store_begin(st, cause);
    if (rc != CC_OK)
        return rc;
    return store_finish(st, append_locked(st, r, cause), cause);
}

int
audit_record(const struct cc_ctx *cx, const char *kind, const char *object, const char *field,
             const char *old_value, const char *new_value, char **cause)
{
    struct store *st = cx->st;
    struct pending r = {
        .at = ctx_now(cx),
        .actor = (char *)audit_actor(cx),
        .kind = (char *)kind,
        .object = (char *)object,
        .field = (char *)field,
        .old_value = (char *)old_value,
        .new_value = (char *)new_value,
        .result = "ok",
    };
    return append(st, &r, cause);
}

static int
flush_refusal(struct store *st, void *arg)
{
    return append_locked(st, arg, NULL);
}

int
audit_refused(const struct cc_ctx *cx, const char *kind, const char *object, const char *operation,
              const char *right, const char *why)
{
    struct store *st = cx->st;
    struct pending *p = calloc(1, sizeof *p);
    if (p == NULL)
        return CC_ENOMEM;
    /* who and when as at the refusal, not as at the end of the transaction */
    p->at = ctx_now(cx);
    p->actor = cc_strdup(audit_actor(cx));
    p->kind = cc_strdup(kind);
    p->object = cc_strdup(object ? object : "");
    p->field = cc_strdup(operation);
    p->new_value = cc_strdup(why);
    p->right = cc_strdup(right);
    p->result = cc_strdup("refused");
    if (p->actor == NULL || p->kind == NULL || p->object == NULL || p->result == NULL ||
        (operation && !p->field) || (why && !p->new_value) || (right && !p->right)) {
        pending_free(p);
        return CC_ENOMEM;
    }
    return store_after(st, flush_refusal, p, pending_free);
}

/* ---- reading ---- */

#define ENTRY_COLUMNS                                                                              \
    "id, at, actor, kind, object, field, old_value, new_value, right_name, result, prev, hash"

static char *
dup_col(struct store_stmt *q, int i)
{
    const char *s = store_col_text(q, i);
    return s ? strdup(s) : NULL;
}

static void
hash_col(struct store_stmt *q, int i, char out[AUDIT_HASH_LEN + 1])
{
    const char *s = store_col_text(q, i);
    snprintf(out, AUDIT_HASH_LEN + 1, "%s", s ? s : "");
}

static void
entry_clear(struct audit_entry *e)
{
    free(e->actor);
    free(e->kind);
    free(e->object);
    free(e->field);
    free(e->old_value);
    free(e->new_value);
    free(e->right);
    free(e->result);
    memset(e, 0, sizeof *e);
}

/* Reads a row of ENTRY_COLUMNS; CC_ENOMEM leaves e cleared. */
static int
entry_read(struct store_stmt *q, struct audit_entry *e)
{
    memset(e, 0, sizeof *e);
    e->id = store_col_int64(q, 0);
    e->at = (time_t)store_col_int64(q, 1);
    static const int text_cols[] = {2, 3, 4, 5, 6, 7, 8, 9};
    char **dst[] = {&e->actor,     &e->kind,      &e->object, &e->field,
                    &e->old_value, &e->new_value, &e->right,  &e->result};
    for (size_t i = 0; i < sizeof text_cols / sizeof text_cols[0]; i++) {
        if (store_col_null(q, text_cols[i]))
            continue;
        if ((*dst[i] = dup_col(q, text_cols[i])) == NULL) {
            entry_clear(e);
            return CC_ENOMEM;
        }
    }
    hash_col(q, 10, e->prev);
    hash_col(q, 11, e->hash);
    return CC_OK;
}

int
audit_query(struct store *st, const struct audit_filter *f, struct audit_entry **out,
            size_t *n, char **cause)
{
    static const struct audit_filter none = {0};
    if (f == NULL)
        f = &none;
    /* --by names a principal as everywhere else; the log holds its qualified name */
    char *qualified = NULL;
    if (f->by != NULL) {
        struct dir_principal p = {0};
        if (dir_lookup(st, f->by, &p, NULL) == CC_OK)
            qualified = dir_qualified_name(st, &p);
        dir_principal_free(&p);
    }
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT " ENTRY_COLUMNS " FROM audit "
                           "WHERE (?1 IS NULL OR object = ?1) "
                           "AND (?2 = 0 OR result = 'refused') "
                           "AND (?3 IS NULL OR actor = ?3 COLLATE NOCASE "
                           "     OR actor = ?4 COLLATE NOCASE) "
                           "AND at >= ?5 "
                           "ORDER BY id DESC LIMIT ?6",
                           &q, cause);
    if (rc != CC_OK) {
        free(qualified);
        return rc;
    }
    store_bind_text(q, 1, f->object);
    store_bind_int(q, 2, f->refused != 0);
    store_bind_text(q, 3, f->by);
    store_bind_text(q, 4, qualified);
    store_bind_int64(q, 5, (int64_t)f->since);
    store_bind_int64(q, 6, f->limit ? (int64_t)f->limit : -1);
    struct audit_entry *v = NULL;
    size_t count = 0, cap = 0;
    int step;
    while (rc == CC_OK && (step = store_step(q, NULL)) == STORE_ROW) {
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct audit_entry *nv = realloc(v, ncap * sizeof *nv);
            if (nv == NULL) {
                rc = CC_ENOMEM;
                break;
            }
            v = nv;
            cap = ncap;
        }
        if ((rc = entry_read(q, &v[count])) == CC_OK)
            count++;
    }
    if (rc == CC_OK && step != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    free(qualified);
    if (rc != CC_OK) {
        audit_list_free(v, count);
        return rc;
    }
    *out = v;
    *n = count;
    return CC_OK;
}

int
audit_list(struct store *st, const char *object, size_t limit, struct audit_entry **out,
           size_t *n, char **cause)
{
    struct audit_filter f = {.object = object, .limit = limit};
    return audit_query(st, &f, out, n, cause);
}

void
audit_list_free(struct audit_entry *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        entry_clear(&list[i]);
    free(list);
}

/* ---- the chain ---- */

static int
chain_hash(struct enc *e, const struct audit_entry *r, const char *prev, char out[AUDIT_HASH_LEN + 1])
{
    return record_hash(e, r->id, r->at, r->actor, r->kind, r->object, r->field, r->old_value,
                       r->new_value, r->right, r->result, prev, out);
}

int
audit_verify(struct store *st, struct audit_verdict *v, char **cause)
{
    memset(v, 0, sizeof *v);
    memcpy(v->head, zero_hash, sizeof v->head);
    struct store_stmt *q;
    /* one statement: the walk sees one state of the log even while others append */
    int rc = store_prepare(st, "SELECT " ENTRY_COLUMNS " FROM audit ORDER BY id", &q, cause);
    if (rc != CC_OK)
        return rc;
    struct enc e = {0};
    struct audit_entry r;
    int64_t last_id = 0;
    int step;
    char expect[AUDIT_HASH_LEN + 1], hash[AUDIT_HASH_LEN + 1];
    memcpy(expect, zero_hash, sizeof expect);
    while ((step = store_step(q, NULL)) == STORE_ROW) {
        if ((rc = entry_read(q, &r)) != CC_OK)
            break;
        char *why = NULL;
        int bad = 1;
        if (r.hash[0] == '\0' || r.prev[0] == '\0')
            why = cc_strdup("it is not linked into the chain (its prev or hash is missing)");
        else if (strcmp(r.prev, expect) != 0 && r.id == last_id + 2)
            why = cc_asprintf("record %lld before it is missing", (long long)last_id + 1);
        else if (strcmp(r.prev, expect) != 0 && r.id > last_id + 2)
            why = cc_asprintf("records %lld to %lld before it are missing",
                              (long long)last_id + 1, (long long)r.id - 1);
        else if (strcmp(r.prev, expect) != 0)
            why = cc_strdup(v->records == 0 ? "it does not start the chain: it was altered"
                                            : "it does not link to the record before it: "
                                              "records were reordered or altered");
        else if ((rc = chain_hash(&e, &r, r.prev, hash)) != CC_OK)
            why = NULL;
        else if (strcmp(hash, r.hash) != 0)
            why = cc_strdup("its contents do not match its hash: it was altered");
        else
            bad = 0;
        if (rc != CC_OK || (bad && why == NULL)) {
            entry_clear(&r);
            rc = rc != CC_OK ? rc : CC_ENOMEM;
            break;
        }
        if (bad) {
            v->broken = 1;
            v->bad = r;
            v->why = why;
            break;
        }
        memcpy(expect, hash, sizeof expect);
        memcpy(v->head, hash, sizeof v->head);
        last_id = r.id;
        v->records++;
        entry_clear(&r);
    }
    if (rc == CC_OK && !v->broken && step != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    free(e.p);
    if (rc != CC_OK) {
        audit_verdict_free(v);
        if (rc == CC_ENOMEM || rc == CC_ECRYPTO)
            cc_fail(cause, rc, "the audit log cannot be verified: %s", cc_strerror(rc));
    }
    return rc;
}

void
audit_verdict_free(struct audit_verdict *v)
{
    entry_clear(&v->bad);
    free(v->why);
    v->why = NULL;
    v->broken = 0;
}

int
audit_chain_existing(struct store *st, char **cause)
{
    struct store_stmt *q, *u;
    int rc = store_prepare(st, "SELECT " ENTRY_COLUMNS " FROM audit ORDER BY id", &q, cause);
    if (rc != CC_OK)
        return rc;
    if ((rc = store_prepare(st, "UPDATE audit SET prev = ?, hash = ? WHERE id = ?", &u, cause)) !=
        CC_OK) {
        store_finalize(q);
        return rc;
    }
    struct enc e = {0};
    char prev[AUDIT_HASH_LEN + 1], hash[AUDIT_HASH_LEN + 1];
    memcpy(prev, zero_hash, sizeof prev);
    int step;
    while (rc == CC_OK && (step = store_step(q, NULL)) == STORE_ROW) {
        struct audit_entry r;
        if ((rc = entry_read(q, &r)) != CC_OK)
            break;
        rc = chain_hash(&e, &r, prev, hash);
        int64_t id = r.id;
        entry_clear(&r);
        if (rc != CC_OK) {
            rc = cc_fail(cause, rc, "the audit log cannot be linked: %s", cc_strerror(rc));
            break;
        }
        store_bind_text(u, 1, prev);
        store_bind_text(u, 2, hash);
        store_bind_int64(u, 3, id);
        if (store_step(u, NULL) != STORE_DONE)
            rc = store_error(st, cause);
        store_reset(u);
        memcpy(prev, hash, sizeof prev);
    }
    if (rc == CC_OK && step != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    store_finalize(u);
    free(e.p);
    return rc;
}

/* ---- reading as a person ---- */

static int
require_reader(const struct cc_ctx *cx, const char *what, char **cause)
{
    struct authz_target reader = {.what = what};
    return authz_check(cx, AUTHZ_READ_AUDIT, &reader, cause);
}

int
audit_read(const struct cc_ctx *cx, const struct audit_filter *f, struct audit_entry **out,
           size_t *n, char **cause)
{
    struct store *st = cx->st;
    *out = NULL;
    *n = 0;
    int rc = require_reader(cx, "read the audit log", cause);
    return rc == CC_OK ? audit_query(st, f, out, n, cause) : rc;
}

int
audit_check(const struct cc_ctx *cx, struct audit_verdict *verdict, char **cause)
{
    struct store *st = cx->st;
    memset(verdict, 0, sizeof *verdict);
    int rc = require_reader(cx, "verify the audit log", cause);
    return rc == CC_OK ? audit_verify(st, verdict, cause) : rc;
}
