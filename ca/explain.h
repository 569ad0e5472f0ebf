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

#include "directory.h"
#include "store.h"
#include "util.h"

struct cc_ctx;

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

/*
 * What `certcon explain` and the console's "Why can't ... enroll?" show:
 * the CA's checks in order (each with its result, "ok" or "FAIL 0x...",
 * its name and what was found), the lines behind the template permission
 * check (the principal's token, the entries that apply and those that do
 * not, the groups it joined since its restart; empty when the template is
 * unknown), and the verdict. Front ends lay it out; they add nothing.
 */
struct explain_report {
    struct strlist result, check, detail; /* one entry per check, in the CA's order */
    struct strlist access;                /* "Behind the template permission check:", ... */
    char *verdict;                        /* "CONTOSO\\SERVER1 cannot enroll: ..." */
    int can;                              /* 1: the request would be issued or pend */
};

void explain_report_free(struct explain_report *r);
/* Fills r for principal p requesting template (as the command line names it). */
int explain_enroll(const struct cc_ctx *cx, const struct dir_principal *p, const char *template,
                   struct explain_report *r, char **cause);

#endif
