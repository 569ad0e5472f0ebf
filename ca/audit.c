/*
 * The audit log. Entries are only ever inserted; nothing in certcon updates
 * or deletes them.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "clock.h"
#include "status.h"
#include "util.h"

int
audit_record(struct store *st, const char *kind, const char *object, const char *field,
             const char *old_value, const char *new_value, char **cause)
{
    sqlite3_stmt *q;
    int rc = store_prepare(st,
                           "INSERT INTO audit (at, actor, kind, object, field, old_value, "
                           "new_value) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    sqlite3_bind_int64(q, 1, (sqlite3_int64)cc_now());
    sqlite3_bind_text(q, 2, store_actor_id(st) ? store_actor_name(st) : "SYSTEM", -1,
                      SQLITE_STATIC);
    sqlite3_bind_text(q, 3, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, object, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, field, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, old_value, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 7, new_value, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        rc = store_error(st, cause);
    sqlite3_finalize(q);
    return rc;
}

static char *
dup_col(sqlite3_stmt *q, int i)
{
    const unsigned char *s = sqlite3_column_text(q, i);
    return s ? strdup((const char *)s) : NULL;
}

int
audit_list(struct store *st, const char *object, size_t limit, struct audit_entry **out,
           size_t *n, char **cause)
{
    sqlite3_stmt *q;
    int rc = store_prepare(st,
                           "SELECT id, at, actor, kind, object, field, old_value, new_value "
                           "FROM audit WHERE (?1 IS NULL OR object = ?1) "
                           "ORDER BY id DESC LIMIT ?2",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    sqlite3_bind_text(q, 1, object, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, limit ? (sqlite3_int64)limit : -1);
    struct audit_entry *v = NULL;
    size_t count = 0;
    while (rc == CC_OK && sqlite3_step(q) == SQLITE_ROW) {
        struct audit_entry *nv = realloc(v, (count + 1) * sizeof *nv);
        if (nv == NULL) {
            rc = CC_ENOMEM;
            break;
        }
        v = nv;
        struct audit_entry *e = &v[count++];
        e->id = sqlite3_column_int64(q, 0);
        e->at = (time_t)sqlite3_column_int64(q, 1);
        e->actor = dup_col(q, 2);
        e->kind = dup_col(q, 3);
        e->object = dup_col(q, 4);
        e->field = dup_col(q, 5);
        e->old_value = dup_col(q, 6);
        e->new_value = dup_col(q, 7);
    }
    sqlite3_finalize(q);
    if (rc != CC_OK) {
        audit_list_free(v, count);
        return rc;
    }
    *out = v;
    *n = count;
    return CC_OK;
}

void
audit_list_free(struct audit_entry *list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(list[i].actor);
        free(list[i].kind);
        free(list[i].object);
        free(list[i].field);
        free(list[i].old_value);
        free(list[i].new_value);
    }
    free(list);
}
