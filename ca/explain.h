/*
 * What lies behind a template permission decision: the principal's token
 * (the groups it acts with, for a computer those of its last restart), the
 * entries of the template's Security tab that apply to it and those that
 * do not, and the groups it joined since it last restarted. certcon explain
 * prints it under the CA's checks, so a trainee sees which entry or which
 * missing restart decides.
 */
#ifndef CERTCON_EXPLAIN_H
#define CERTCON_EXPLAIN_H

#include "store.h"
#include "util.h"

struct explain_access {
    struct strlist token;        /* names of the principal and its groups, as it acts */
    struct strlist applying;     /* "Authenticated Users: allow Read" */
    struct strlist not_applying; /* entries of principals outside the token */
    struct strlist joined;       /* groups it is in but does not act with yet */
    unsigned rights;             /* its effective rights (ACL_*) */
};

void explain_access_free(struct explain_access *x);
/* Fills x for principal and template (either may be named as the command line names them). */
int explain_access(struct store *st, const char *principal, const char *template,
                   struct explain_access *x, char **cause);

#endif
