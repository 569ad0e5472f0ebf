/*
 * The audit log: an append-only record of every change, with who (the
 * store's acting account), when (the lab clock), what, and the old and new
 * values. Written inside the caller's transaction, so a change and its
 * record commit together or not at all.
 */
#ifndef CERTCON_AUDIT_H
#define CERTCON_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "store.h"

struct audit_entry {
    int64_t id;
    time_t at;
    char *actor, *kind, *object, *field, *old_value, *new_value;
};

int audit_record(struct store *st, const char *kind, const char *object, const char *field,
                 const char *old_value, const char *new_value, char **cause);
/* The newest entries first, at most limit (0: all); object may be NULL for any. */
int audit_list(struct store *st, const char *object, size_t limit, struct audit_entry **out,
               size_t *n, char **cause);
void audit_list_free(struct audit_entry *list, size_t n);

#endif
