/*
 * The audit log: an append-only, hash-chained record of every change,
 * refusal, issuance and private-key export, with who (the acting account),
 * when (the lab clock), what, the old and new values, the right an action
 * needed and whether it was done or refused.
 *
 * A change's record is written inside the caller's transaction, so a change
 * and its record commit together or not at all. A refusal's record must
 * outlive the rollback of the refused change: it waits on the store handle
 * and is written once the transaction has ended (store_after).
 *
 * Each record carries prev, the hash of the record before it (64 zeros for
 * the first), and hash, the SHA-256 of its own fields and prev in an
 * unambiguous encoding; audit_verify() walks the chain and names the first
 * record whose contents or link do not match.
 */
#ifndef CERTCON_AUDIT_H
#define CERTCON_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct cc_ctx;

#include "store.h"

/* SHA-256 in lower-case hex, and its terminating NUL. */
#define AUDIT_HASH_LEN 64

struct audit_entry {
    int64_t id;
    time_t at;
    char *actor, *kind, *object, *field, *old_value, *new_value;
    char *right;  /* the right the action needed (for a refusal: the one missing); may be NULL */
    char *result; /* "ok" or "refused" */
    char prev[AUDIT_HASH_LEN + 1], hash[AUDIT_HASH_LEN + 1]; /* "" when the column is NULL */
};

/* Records a change made in the caller's transaction (or in its own when none is open). */
int audit_record(const struct cc_ctx *cx, const char *kind, const char *object, const char *field,
                 const char *old_value, const char *new_value, char **cause);
/*
 * Records that the acting account was refused operation on object for want
 * of right; why (may be NULL) is the sentence the caller was given. The
 * record is written once the current transaction ends, whichever way, in a
 * transaction of its own: a rolled-back change keeps its refusal.
 */
int audit_refused(const struct cc_ctx *cx, const char *kind, const char *object,
                  const char *operation, const char *right, const char *why);

/* What audit_query() selects; zero fields select everything. */
struct audit_filter {
    int refused;        /* refusals only */
    const char *by;     /* this actor only (as recorded, e.g. CONTOSO\jane, or jane; any case) */
    time_t since;       /* at or after this time; 0: any */
    const char *object; /* this object only (exact) */
    size_t limit;       /* the newest this many; 0: all */
};

/* The newest entries first. On success *out (audit_list_free) holds *n entries. */
int audit_query(struct store *st, const struct audit_filter *f, struct audit_entry **out,
                size_t *n, char **cause);
/* The newest entries first, at most limit (0: all); object may be NULL for any. */
int audit_list(struct store *st, const char *object, size_t limit, struct audit_entry **out,
               size_t *n, char **cause);
void audit_list_free(struct audit_entry *list, size_t n);

/* What audit_verify() found. */
struct audit_verdict {
    size_t records;              /* records that verified, from the first */
    char head[AUDIT_HASH_LEN + 1]; /* the last good record's hash (64 zeros: none) */
    int broken;                  /* 0: the whole log verified */
    struct audit_entry bad;      /* broken: the first broken record (owned) */
    char *why;                   /* broken: what does not match (owned) */
};

/*
 * Walks the whole chain from the first record. Returns CC_OK when the walk
 * ran (verdict->broken says whether it found a broken record) or an error
 * when it could not read the log. Free the verdict with audit_verdict_free.
 */
int audit_verify(struct store *st, struct audit_verdict *verdict, char **cause);
void audit_verdict_free(struct audit_verdict *verdict);

/*
 * Links the records that predate the chain, in id order, inside the
 * caller's transaction. The store's migration runs it once, when it adds
 * the chain; a record found unlinked later is a broken record.
 */
int audit_chain_existing(struct store *st, char **cause);

/*
 * What front ends call: audit_query() and audit_verify() for a caller that
 * holds the Auditor or CA Administrator role (authz_check); the two above
 * are the core's own reads and check nobody.
 */
int audit_read(const struct cc_ctx *cx, const struct audit_filter *f, struct audit_entry **out,
               size_t *n, char **cause);
int audit_check(const struct cc_ctx *cx, struct audit_verdict *verdict, char **cause);

#endif
