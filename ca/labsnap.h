/*
 * Lab snapshots: the whole lab — the database, the CA key file and the
 * key-store secret — in one file, so that a trainer can save a class's
 * lab, hand it out, and bring it back byte for byte. A snapshot names the
 * lab and domain it came from; one that is damaged or from another lab is
 * refused before anything is written. Only lab databases take snapshots.
 *
 * Named snapshots live in <db>.snapshots/NAME.snap (folder 0700, files
 * 0600). init --lab keeps one of the fresh lab there (.init.snap, a name
 * no person can give) for lab reset.
 */
#ifndef CERTCON_LABSNAP_H
#define CERTCON_LABSNAP_H

#include <stddef.h>
#include <time.h>

struct cc_ctx;

#include "store.h"
#include "util.h"

/* Whether NAME may name a snapshot: letters, digits, '.', '_' and '-', not first '.'. */
int labsnap_name_ok(const char *name, char **cause);
/* <db>.snapshots/NAME.snap, or the reset snapshot for name NULL; allocated. */
char *labsnap_path(struct store *st, const char *name);

/*
 * Takes a snapshot of the lab: *out (allocated) holds the file's bytes.
 * Needs a lab database whose CA key is a file beside it. Writers wait
 * while the database file is read, so the copy is consistent.
 */
int labsnap_take(const struct cc_ctx *cx, void **out, size_t *n, char **cause);
/* Takes a snapshot and writes it to path (0600, whole or not at all; force replaces). */
int labsnap_save(const struct cc_ctx *cx, const char *path, int force, char **cause);
/*
 * Takes a named snapshot (NULL: the reset snapshot) into the folder beside
 * the database, made 0700 when missing; an existing one is replaced.
 */
int labsnap_save_named(const struct cc_ctx *cx, const char *name, char **cause);

/* What a snapshot file says of itself. */
struct labsnap_info {
    char *lab, *domain, *sid;
    time_t taken; /* the lab clock when it was taken */
};
void labsnap_info_free(struct labsnap_info *info);

/*
 * Checks a snapshot's bytes (format, every part's SHA-256) and that it is
 * of the same lab as st (lab name, domain and SID); then replaces the
 * lab's database, CA key file and key-store secret with the snapshot's
 * under st (store_replace): st stays open and holds the restored lab.
 * Nothing is written when the check fails. *replaced (may be NULL) tells
 * whether the files were touched, so that a caller knows to decide its
 * caller again; on CC_OK they were.
 */
int labsnap_restore(struct store *st, const void *data, size_t n, struct labsnap_info *info,
                    int *replaced, char **cause);

/*
 * Restores the named snapshot (NULL: the lab as init made it) kept beside
 * the database, as labsnap_restore does. A missing one is CC_ENOTFOUND.
 */
int labsnap_restore_named(struct store *st, const char *name, struct labsnap_info *info,
                          int *replaced, char **cause);
/* The names of the snapshots kept beside the database, sorted; the reset one is not listed. */
int labsnap_list(struct store *st, struct strlist *names, char **cause);

#endif
