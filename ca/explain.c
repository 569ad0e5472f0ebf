/*
 * The ACL entries and group memberships behind a template permission
 * decision (see explain.h). Reads only.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "directory.h"
#include "explain.h"
#include "status.h"
#include "template.h"

void
explain_access_free(struct explain_access *x)
{
    strlist_free(&x->token);
    strlist_free(&x->applying);
    strlist_free(&x->not_applying);
    strlist_free(&x->joined);
    memset(x, 0, sizeof *x);
}

static int
has(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

static char *
entry_text(const struct acl_entry *e)
{
    char *allow = acl_rights_format(e->allow), *deny = acl_rights_format(e->deny);
    char *s = NULL;
    if (allow && deny)
        s = e->allow && e->deny ? cc_asprintf("%s: allow %s, deny %s", e->name, allow, deny)
            : e->deny           ? cc_asprintf("%s: deny %s", e->name, deny)
                                : cc_asprintf("%s: allow %s", e->name, allow);
    free(allow);
    free(deny);
    return s;
}

int
explain_access(struct store *st, const char *principal, const char *template,
               struct explain_access *x, char **cause)
{
    memset(x, 0, sizeof *x);
    struct dir_principal p = {0};
    struct template t = {0};
    int64_t *tok = NULL, *live = NULL;
    size_t ntok = 0, nlive = 0;
    int rc = dir_lookup(st, principal, &p, cause);
    if (rc == CC_OK)
        rc = template_load(st, template, &t, cause);
    if (rc == CC_OK)
        rc = dir_token(st, p.id, &tok, &ntok, cause);
    if (rc == CC_OK)
        rc = dir_token_live(st, p.id, &live, &nlive, cause);
    for (size_t i = 0; rc == CC_OK && i < ntok; i++) {
        struct dir_principal g = {0};
        if (dir_get(st, tok[i], &g, NULL) == CC_OK)
            rc = strlist_add(&x->token, g.name);
        dir_principal_free(&g);
    }
    for (size_t i = 0; rc == CC_OK && i < nlive; i++) {
        if (has(tok, ntok, live[i]))
            continue;
        struct dir_principal g = {0};
        if (dir_get(st, live[i], &g, NULL) == CC_OK)
            rc = strlist_add(&x->joined, g.name);
        dir_principal_free(&g);
    }
    for (size_t i = 0; rc == CC_OK && i < t.acl.n; i++) {
        char *s = entry_text(&t.acl.v[i]);
        if (s == NULL)
            rc = CC_ENOMEM;
        else
            rc = strlist_add(has(tok, ntok, t.acl.v[i].principal) ? &x->applying : &x->not_applying,
                             s);
        free(s);
    }
    if (rc == CC_OK)
        x->rights = acl_effective(&t.acl, tok, ntok, NULL);
    free(tok);
    free(live);
    template_free(&t);
    dir_principal_free(&p);
    if (rc != CC_OK)
        explain_access_free(x);
    return rc;
}
