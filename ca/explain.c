/*
 * The ACL entries and group memberships behind a template permission
 * decision (see explain.h). Reads only.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "authority.h"
#include "context.h"
#include "directory.h"
#include "explain.h"
#include "policy.h"
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

void
explain_report_free(struct explain_report *r)
{
    strlist_free(&r->result);
    strlist_free(&r->check);
    strlist_free(&r->detail);
    strlist_free(&r->access);
    free(r->verdict);
    memset(r, 0, sizeof *r);
}

static int add_line(struct strlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
add_line(struct strlist *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = cc_vasprintf(fmt, ap);
    va_end(ap);
    int rc = s ? strlist_add(l, s) : CC_ENOMEM;
    free(s);
    return rc;
}

/* The lines behind the template permission check (see explain_print_access before). */
static int
access_lines(struct store *st, const struct dir_principal *p, const struct template *t,
             struct strlist *out)
{
    struct explain_access x;
    if (explain_access(st, p->sam ? p->sam : p->name, t->cn, &x, NULL) != CC_OK)
        return CC_OK; /* nothing more to show than the checks */
    char *tok = strlist_join(&x.token, ", ");
    int rc = add_line(out, "Behind the template permission check:");
    if (rc == CC_OK)
        rc = add_line(out, "  %s acts with: %s%s", p->name, tok ? tok : "",
                      p->kind == DIR_COMPUTER ? " (its token at its last restart)" : "");
    free(tok);
    if (rc == CC_OK)
        rc = add_line(out, "  Entries of %s that apply to it:%s", t->display_name,
                      x.applying.n ? "" : " none");
    for (size_t i = 0; rc == CC_OK && i < x.applying.n; i++)
        rc = add_line(out, "    %s", x.applying.v[i]);
    if (rc == CC_OK && x.not_applying.n)
        rc = add_line(out, "  Entries that do not (their principals are not in its token):");
    for (size_t i = 0; rc == CC_OK && i < x.not_applying.n; i++)
        rc = add_line(out, "    %s", x.not_applying.v[i]);
    if (rc == CC_OK && x.joined.n) {
        char *j = strlist_join(&x.joined, ", ");
        rc = add_line(out, "  Groups it joined but does not act with until it restarts: %s",
                      j ? j : "");
        free(j);
    }
    explain_access_free(&x);
    return rc;
}

int
explain_enroll(const struct cc_ctx *cx, const struct dir_principal *p, const char *template,
               struct explain_report *r, char **cause)
{
    struct store *st = cx->st;
    memset(r, 0, sizeof *r);
    struct authority_info info;
    struct policy_decision d;
    int rc = authority_info_load(st, &info, cause);
    if (rc != CC_OK)
        return rc;
    rc = policy_evaluate(cx, &info, NULL, p, template, NULL, 0, &d, cause);
    authority_info_free(&info);
    if (rc != CC_OK)
        return rc;
    for (size_t i = 0; rc == CC_OK && i < d.nchecks; i++) {
        rc = d.checks[i].status == CC_OK
                 ? add_line(&r->result, "ok")
                 : add_line(&r->result, "FAIL 0x%08x", cc_hresult(d.checks[i].status));
        if (rc == CC_OK)
            rc = strlist_add(&r->check, d.checks[i].name);
        if (rc == CC_OK)
            rc = strlist_add(&r->detail, d.checks[i].detail ? d.checks[i].detail : "");
    }
    if (rc == CC_OK && d.have_template)
        rc = access_lines(st, p, &d.tmpl, &r->access);
    char *q = dir_qualified_name(st, p);
    const char *who = q ? q : p->name;
    r->can = d.status == CC_OK;
    if (rc == CC_OK) {
        r->verdict =
            r->can ? cc_asprintf("%s can enroll for %s%s.", who,
                                 d.have_template ? d.tmpl.display_name : template,
                                 d.pending ? " (the request will wait for CA manager "
                                             "approval)"
                                           : "")
                   : cc_asprintf("%s cannot enroll: %s (0x%08X %s)", who, cc_strerror(d.status),
                                 cc_hresult(d.status), cc_status_name(d.status));
        if (r->verdict == NULL)
            rc = CC_ENOMEM;
    }
    free(q);
    policy_decision_free(&d);
    if (rc != CC_OK)
        explain_report_free(r);
    return rc;
}
