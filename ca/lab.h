/*
 * Lab definitions: a lab (data/labs/NAME.conf) describes the test network
 * of the deployment guide as data — the domain, its computers, users and
 * groups, and the enterprise CA to create. lab_init builds a fresh database
 * from one; the CA itself is created by the authority module.
 */
#ifndef CERTCON_LAB_H
#define CERTCON_LAB_H

#include "store.h"

struct cc_ctx;

struct lab_ca {
    char *name;    /* contoso-CA1-CA */
    char *host;    /* CA1 */
    char *edition; /* Enterprise | Standard */
    char *key;     /* rsa:2048 */
};

struct lab_def {
    char *name;           /* contoso */
    char *title;
    char *local_computer; /* the computer "Local computer" means */
    struct lab_ca ca;
};

void lab_def_free(struct lab_def *def);
/* Path of data/labs/NAME.conf under datadir; allocated. */
char *lab_path(const char *datadir, const char *name);
/*
 * Populates an empty store from the lab file: domain, principals, groups and
 * memberships, built-in templates (from datadir) and meta keys. The CA part
 * is returned in def for the caller to create.
 */
int lab_init(const struct cc_ctx *cx, const char *datadir, const char *name, struct lab_def *def,
             char **cause);

#endif
