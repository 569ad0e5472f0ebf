/*
 * Object identifiers by name: the well-known application and issuance
 * policies (ADCS-SPEC §4.4) in one table, plus the forest's own policies
 * created with "New…" (certcon oid add), stored in the database.
 */
#ifndef CERTCON_OIDS_H
#define CERTCON_OIDS_H

#include "store.h"
#include "util.h"

struct cc_ctx;

enum oid_kind {
    OID_KIND_TEMPLATE = 1,
    OID_KIND_ISSUANCE = 2,
    OID_KIND_APPLICATION = 3,
};

/* Whether s is a dotted OID RFC 5280 accepts (first arc 0..2, ...). */
int oid_is_valid(const char *s);
/*
 * Resolves a display name or an OID to an OID of the given kind (an OID that
 * is valid is accepted as it is). ENOTFOUND's cause lists the nearest names.
 */
int oid_resolve(struct store *st, const char *name_or_oid, enum oid_kind kind, char **oid,
                char **cause);
/*
 * Every named policy of a kind (0: all), the well-known ones and the
 * forest's, sorted by name: names[i] is the name of oids[i].
 */
int oid_list(struct store *st, enum oid_kind kind, struct strlist *names, struct strlist *oids,
             char **cause);
/* The display name of an OID ("Server Authentication"), or the OID itself; allocated. */
char *oid_display_name(struct store *st, const char *oid);
/* Registers a named policy; name and OID must be free. Needs Enterprise or Domain Admins. */
int oid_add(const struct cc_ctx *cx, const char *name, const char *oid, enum oid_kind kind,
            char **cause);
/* A fresh OID under the forest arc: forest.<r1>.<r2> with 24-bit random arcs, unused. */
int oid_new_under_forest(struct store *st, char **oid, char **cause);

#endif
