/*
 * Operations on the directory, group policy and account mapping (Active Directory Users and
 * Computers, Group Policy Management, `dir`, `gpo`, `account`; restart and the pulse are ops_enroll's). See
 * ops_directory.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "authority.h"
#include "authz.h"
#include "autoenroll.h"
#include "context.h"
#include "directory.h"
#include "ops.h"
#include "ops_family.h"
#include "status.h"
#include "store.h"
#include "util.h"

void
ops_dir_list_free(struct ops_dir_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; l->qualified != NULL && i < l->n; i++)
        free(l->qualified[i]);
    free(l->qualified);
    dir_list_free(l->v, l->n);
    l->v = NULL;
    l->n = 0;
    l->qualified = NULL;
}

void
ops_dir_show_free(struct ops_dir_show *s)
{
    if (s == NULL)
        return;
    dir_principal_free(&s->p);
    free(s->qualified);
    ops_dir_list_free(&s->member_of);
    ops_dir_list_free(&s->members);
    ops_dir_list_free(&s->token);
    ops_dir_list_free(&s->live);
    memset(s, 0, sizeof *s);
}

void
ops_gpo_list_free(struct ops_gpo_list *l)
{
    if (l == NULL)
        return;
    gpo_list_free(l->v, l->n);
    l->v = NULL;
    l->n = 0;
}

void
ops_account_list_free(struct ops_account_list *l)
{
    if (l == NULL)
        return;
    authz_mappings_free(l->v, l->n);
    l->v = NULL;
    l->n = 0;
}

/* ---- reading the directory ---- */

static int
ref_get(struct store *st, const struct ops_dir_ref *r, struct dir_principal *out, char **cause)
{
    memset(out, 0, sizeof *out);
    return r->id != 0 ? dir_get(st, r->id, out, cause) : dir_lookup(st, r->name, out, cause);
}

static int
run_dir_list(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_dir_list_args *a = args;
    struct ops_dir_list *l = result;
    memset(l, 0, sizeof *l);
    int rc = dir_list(cx->st, a->kinds, &l->v, &l->n, cause);
    if (rc != CC_OK || !a->qualified)
        return rc;
    if ((l->qualified = calloc(l->n ? l->n : 1, sizeof *l->qualified)) == NULL)
        rc = CC_ENOMEM;
    for (size_t i = 0; rc == CC_OK && i < l->n; i++)
        if ((l->qualified[i] = dir_qualified_name(cx->st, &l->v[i])) == NULL)
            rc = CC_ENOMEM;
    if (rc != CC_OK) {
        ops_dir_list_free(l);
        return cc_fail(cause, rc, "%s", cc_strerror(rc));
    }
    return CC_OK;
}

static int
run_dir_get(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    return ref_get(cx->st, args, result, cause);
}

static int
run_dir_members(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_dir_ref *a = args;
    struct ops_dir_list *l = result;
    memset(l, 0, sizeof *l);
    struct dir_principal p;
    int rc = ref_get(cx->st, a, &p, cause);
    if (rc == CC_OK)
        rc = dir_members(cx->st, p.id, &l->v, &l->n, cause);
    dir_principal_free(&p);
    return rc;
}

static int
run_dir_member_of(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_dir_ref *a = args;
    struct ops_dir_list *l = result;
    memset(l, 0, sizeof *l);
    struct dir_principal p;
    int rc = ref_get(cx->st, a, &p, cause);
    if (rc == CC_OK)
        rc = dir_member_of(cx->st, p.id, &l->v, &l->n, cause);
    dir_principal_free(&p);
    return rc;
}

static int
by_name(const void *a, const void *b)
{
    return strcasecmp(((const struct dir_principal *)a)->name,
                      ((const struct dir_principal *)b)->name);
}

/* The principals of a token but self, by name; ids it cannot read are left out. */
static int
token_list(struct store *st, int64_t self, const int64_t *ids, size_t n, struct ops_dir_list *out)
{
    out->v = calloc(n ? n : 1, sizeof *out->v);
    out->n = 0;
    if (out->v == NULL)
        return CC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (ids[i] != self && dir_get(st, ids[i], &out->v[out->n], NULL) == CC_OK)
            out->n++;
    /* a stable sort: equal names keep the token's order, as the verb always showed them */
    for (size_t i = 1; i < out->n; i++)
        for (size_t j = i; j > 0 && by_name(&out->v[j - 1], &out->v[j]) > 0; j--) {
            struct dir_principal t = out->v[j];
            out->v[j] = out->v[j - 1];
            out->v[j - 1] = t;
        }
    return CC_OK;
}

static int
run_dir_show(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    struct store *st = cx->st;
    struct ops_dir_show *s = result;
    memset(s, 0, sizeof *s);
    int rc = ref_get(st, args, &s->p, cause);
    if (rc != CC_OK)
        return rc;
    if ((s->qualified = dir_qualified_name(st, &s->p)) == NULL)
        rc = CC_ENOMEM;
    s->has_member_of =
        rc == CC_OK && dir_member_of(st, s->p.id, &s->member_of.v, &s->member_of.n, NULL) == CC_OK;
    s->has_members = rc == CC_OK && s->p.kind == DIR_GROUP &&
                     dir_members(st, s->p.id, &s->members.v, &s->members.n, NULL) == CC_OK;
    if (rc == CC_OK && (s->p.kind == DIR_USER || s->p.kind == DIR_COMPUTER)) {
        int64_t *ids = NULL, *live = NULL;
        size_t nids = 0, nlive = 0;
        if (dir_token(st, s->p.id, &ids, &nids, NULL) == CC_OK) {
            s->has_token = 1;
            rc = token_list(st, s->p.id, ids, nids, &s->token);
        }
        if (rc == CC_OK && s->p.kind == DIR_COMPUTER &&
            dir_token_live(st, s->p.id, &live, &nlive, NULL) == CC_OK) {
            s->has_live = 1;
            rc = token_list(st, s->p.id, live, nlive, &s->live);
        }
        free(ids);
        free(live);
    }
    if (rc != CC_OK)
        ops_dir_show_free(s);
    return rc;
}

static int
run_dir_ous(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    struct strlist *l = result;
    memset(l, 0, sizeof *l);
    int rc = dir_list_ous(cx->st, l, cause);
    if (rc != CC_OK)
        strlist_free(l);
    return rc;
}

/* ---- changing the directory ---- */

/* Where a new object goes when it is not its kind's default container. */
static int
place_new(const struct cc_ctx *cx, const struct ops_dir_add *a, int64_t id, char **cause)
{
    if (a->ou == NULL && a->container == NULL)
        return CC_OK;
    struct dir_principal p;
    memset(&p, 0, sizeof p);
    int rc = dir_get(cx->st, id, &p, cause);
    if (rc == CC_OK)
        rc = a->ou != NULL ? dir_set_attribute(cx, p.sam, "ou", a->ou, cause)
                           : dir_set_attribute(cx, p.sam, "container", a->container, cause);
    dir_principal_free(&p);
    return rc;
}

static int
run_dir_add_user(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_dir_add *a = args;
    int64_t id = 0;
    int rc = dir_add_user_cn(cx, a->cn, a->name, a->upn, a->mail, a->display, &id, cause);
    if (rc == CC_OK)
        rc = place_new(cx, a, id, cause);
    if (rc == CC_OK && result != NULL)
        *(int64_t *)result = id;
    return rc;
}

static int
run_dir_add_computer(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_dir_add *a = args;
    int64_t id = 0;
    int rc = dir_add_computer(cx, a->name, a->dns, a->extra_dns, a->is_dc, &id, cause);
    if (rc == CC_OK)
        rc = place_new(cx, a, id, cause);
    if (rc == CC_OK && result != NULL)
        *(int64_t *)result = id;
    return rc;
}

static int
run_dir_add_group(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_dir_add *a = args;
    int64_t id = 0;
    int rc = dir_add_group(cx, a->name, a->description, &id, cause);
    if (rc == CC_OK)
        rc = place_new(cx, a, id, cause);
    if (rc == CC_OK && result != NULL)
        *(int64_t *)result = id;
    return rc;
}

static int
run_dir_add_ou(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_dir_add *a = args;
    return dir_add_ou(cx, a->name, a->description, cause);
}

static int
run_dir_add_member(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_dir_member *a = args;
    return dir_add_member(cx, a->group, a->member, cause);
}

static int
run_dir_remove_member(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_dir_member *a = args;
    return dir_remove_member(cx, a->group, a->member, cause);
}

static int
run_dir_set(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_dir_set *a = args;
    return dir_set_attribute(cx, a->principal, a->attribute, a->value, cause);
}

static int
run_dir_update(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_dir_update *a = args;
    int rc = CC_OK;
    for (size_t i = 0; rc == CC_OK && i < a->nattrs; i++)
        rc = dir_set_attribute(cx, a->principal, a->attrs[i].attribute, a->attrs[i].value, cause);
    for (size_t i = 0; rc == CC_OK && a->leave != NULL && i < a->leave->n; i++)
        rc = dir_remove_member(cx, a->leave->v[i], a->principal, cause);
    for (size_t i = 0; rc == CC_OK && a->join != NULL && i < a->join->n; i++)
        rc = dir_add_member(cx, a->join->v[i], a->principal, cause);
    for (size_t i = 0; rc == CC_OK && a->remove != NULL && i < a->remove->n; i++)
        rc = dir_remove_member(cx, a->principal, a->remove->v[i], cause);
    for (size_t i = 0; rc == CC_OK && a->add != NULL && i < a->add->n; i++)
        rc = dir_add_member(cx, a->principal, a->add->v[i], cause);
    return rc;
}

static int
run_gpo_list(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    struct ops_gpo_list *l = result;
    memset(l, 0, sizeof *l);
    return gpo_list(cx->st, &l->v, &l->n, cause);
}

static int
run_gpo_linked(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_gpo_name *a = args;
    struct ops_gpo_list *l = result;
    memset(l, 0, sizeof *l);
    return gpo_list_linked(cx->st, a->scope, &l->v, &l->n, cause);
}

static int
run_gpo_get(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_gpo_name *a = args;
    memset(result, 0, sizeof(struct gpo));
    return gpo_get(cx->st, a->name, result, cause);
}

static int
run_gpo_create(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_gpo_name *a = args;
    return a->scope ? gpo_create_linked(cx, a->name, a->scope, cause)
                    : gpo_create(cx, a->name, cause);
}

static int
run_gpo_delete(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_gpo_name *a = args;
    return gpo_delete(cx, a->name, cause);
}

static int
run_gpo_link(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_gpo_name *a = args;
    return gpo_link(cx, a->name, a->scope, cause);
}

static int
run_gpo_unlink(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_gpo_name *a = args;
    return gpo_unlink(cx, a->name, a->scope, cause);
}

static int
run_gpo_autoenroll(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_gpo_autoenroll *a = args;
    return gpo_set_autoenroll(cx, a->name, a->user, &a->settings, cause);
}

static int
run_gpo_filter_add(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_gpo_filter *a = args;
    return gpo_filter_add(cx, a->name, a->principal, cause);
}

static int
run_gpo_filter_remove(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_gpo_filter *a = args;
    return gpo_filter_remove(cx, a->name, a->principal, cause);
}

static int
run_gpo_filter_set(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_gpo_filter *a = args;
    static const struct strlist none = {0};
    return gpo_filter_set(cx, a->name, a->principals ? a->principals : &none, cause);
}

/* ---- the account map ---- */

static int
run_account_map(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_account_map *a = args;
    return authz_map(cx, a->unix_user, a->principal, cause);
}

static int
run_account_unmap(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_account_map *a = args;
    return authz_unmap(cx, a->unix_user, cause);
}

static int
run_account_list(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    struct ops_account_list *l = result;
    memset(l, 0, sizeof *l);
    return authz_mappings(cx->st, &l->v, &l->n, cause);
}

void
ops_dir_whoami_free(struct ops_dir_whoami *w)
{
    if (w == NULL)
        return;
    free(w->qualified);
    free(w->domain);
    free(w->computer);
    memset(w, 0, sizeof *w);
}

/* Each part on its own: a part that cannot be read is left NULL, not an error. */
static int
run_dir_whoami(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    (void)cause;
    struct ops_dir_whoami *w = result;
    memset(w, 0, sizeof *w);
    struct dir_principal me;
    memset(&me, 0, sizeof me);
    if (cx->who_name != NULL && dir_lookup(cx->st, cx->who_name, &me, NULL) == CC_OK)
        w->qualified = dir_qualified_name(cx->st, &me);
    dir_principal_free(&me);
    struct dir_domain dom;
    memset(&dom, 0, sizeof dom);
    if (dir_domain_get(cx->st, &dom, NULL) == CC_OK && dom.dns != NULL)
        w->domain = cc_strdup(dom.dns);
    dir_domain_free(&dom);
    store_meta_get(cx->st, "local_computer", &w->computer);
    return CC_OK;
}

/*
 * Every change is one transaction; the core functions' own nest inside
 * it. (Restart, logon and the pulse, which sign, are ops_enroll's.)
 */
const struct ops_def ops_directory_defs[] = {
    {OP_DIR_LIST, "directory.list", "kinds:principal-kinds qualified:bool", "principals", 0,
     "list the directory", 0, run_dir_list},
    {OP_DIR_GET, "directory.get", "principal:id-or-name", "principal", 0, "read a principal", 0,
     run_dir_get},
    {OP_DIR_SHOW, "directory.show", "principal:id-or-name", "principal-details", 0,
     "show a principal", 0, run_dir_show},
    {OP_DIR_MEMBERS, "directory.members", "group:id-or-name", "principals", 0,
     "list a group's members", 0, run_dir_members},
    {OP_DIR_MEMBER_OF, "directory.member-of", "principal:id-or-name", "principals", 0,
     "list the groups a principal is in", 0, run_dir_member_of},
    {OP_DIR_OUS, "directory.ous", "", "names", 0, "list the organizational units", 0, run_dir_ous},
    {OP_DIR_ADD_USER, "directory.add-user",
     "name:text cn:text upn:text mail:text display:text ou:text", "id", 0, "add a user", 1,
     run_dir_add_user},
    {OP_DIR_ADD_COMPUTER, "directory.add-computer",
     "name:text dns:text extra-dns:list dc:flag ou:text", "id", 0, "add a computer", 1,
     run_dir_add_computer},
    {OP_DIR_ADD_GROUP, "directory.add-group", "name:text description:text ou:text container:text",
     "id", 0, "add a group", 1, run_dir_add_group},
    {OP_DIR_ADD_OU, "directory.add-ou", "name:text description:text", "", 0,
     "add an organizational unit", 1, run_dir_add_ou},
    {OP_DIR_ADD_MEMBER, "directory.add-member", "group:name member:name", "", 0,
     "add a group member", 1, run_dir_add_member},
    {OP_DIR_REMOVE_MEMBER, "directory.remove-member", "group:name member:name", "", 0,
     "remove a group member", 1, run_dir_remove_member},
    {OP_DIR_SET, "directory.set", "principal:name attribute:text value:text", "", 0,
     "change an attribute", 1, run_dir_set},
    {OP_DIR_UPDATE, "directory.update",
     "principal:name attributes:list leave:list join:list remove:list add:list", "", 0,
     "change a principal's properties", 1, run_dir_update},
    {OP_GPO_LIST, "gpo.list", "", "gpos", 0, "list group policy objects", 0, run_gpo_list},
    {OP_GPO_LINKED, "gpo.linked", "scope:text", "gpos", 0, "list the GPOs linked to a scope", 0,
     run_gpo_linked},
    {OP_GPO_GET, "gpo.get", "gpo:name", "gpo", 0, "read a group policy object", 0, run_gpo_get},
    {OP_GPO_CREATE, "gpo.create", "gpo:name scope:text", "", 0, "create a group policy object", 1,
     run_gpo_create},
    {OP_GPO_DELETE, "gpo.delete", "gpo:name", "", 0, "delete a group policy object", 1,
     run_gpo_delete},
    {OP_GPO_LINK, "gpo.link", "gpo:name scope:text", "", 0, "link a group policy object", 1,
     run_gpo_link},
    {OP_GPO_UNLINK, "gpo.unlink", "gpo:name scope:text", "", 0, "unlink a GPO", 1, run_gpo_unlink},
    {OP_GPO_AUTOENROLL, "gpo.autoenroll", "gpo:name user:flag settings:autoenrollment", "", 0,
     "change a group policy object", 1, run_gpo_autoenroll},
    {OP_GPO_FILTER_ADD, "gpo.filter-add", "gpo:name principal:name", "", 0,
     "change security filtering", 1, run_gpo_filter_add},
    {OP_GPO_FILTER_REMOVE, "gpo.filter-remove", "gpo:name principal:name", "", 0,
     "change security filtering", 1, run_gpo_filter_remove},
    {OP_GPO_FILTER_SET, "gpo.filter-set", "gpo:name principals:list", "", 0,
     "change security filtering", 1, run_gpo_filter_set},
    /* map checks the Unix user name before the right, as it always has: the core decides */
    {OP_ACCOUNT_MAP, "account.map", "unix-user:text principal:name", "", 0,
     "map Unix users to accounts", 1, run_account_map},
    {OP_ACCOUNT_UNMAP, "account.unmap", "unix-user:text", "", CA_RIGHT_MANAGE,
     "map Unix users to accounts", 1, run_account_unmap},
    {OP_ACCOUNT_LIST, "account.list", "", "account-map", 0, "list the account map", 0,
     run_account_list},
    {OP_DIR_WHOAMI, "directory.whoami", "", "identity", 0, "read who and where the caller is", 0,
     run_dir_whoami},
    {.id = 0},
};
