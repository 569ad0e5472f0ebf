/*
 * Operations on templates: list and read, duplicate, edit, reenroll,
 * delete, import and export, policy OIDs, enable on the CA. See
 * ops_template.h.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "authority.h"
#include "context.h"
#include "directory.h"
#include "lint.h"
#include "oids.h"
#include "ops.h"
#include "ops_family.h"
#include "status.h"
#include "template.h"
#include "util.h"

static void
free_strings(char **v, size_t n)
{
    if (v == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void
ops_template_list_free(struct ops_template_list *r)
{
    if (r == NULL)
        return;
    free_strings(r->purposes, r->n);
    free(r->enabled);
    template_list_free(r->v, r->n);
    strlist_free(&r->ca_cns);
    memset(r, 0, sizeof *r);
}

void
ops_template_view_free(struct ops_template_view *r)
{
    if (r == NULL)
        return;
    free_strings(r->acl_names, r->t.acl.n);
    free_strings(r->values, r->nvalues);
    free(r->purposes);
    template_free(&r->t);
    memset(r, 0, sizeof *r);
}

void
ops_template_draft_result_free(struct ops_template_draft_result *r)
{
    if (r == NULL)
        return;
    template_free(&r->draft);
    free(r->src_cn);
    memset(r, 0, sizeof *r);
}

void
ops_template_set_result_free(struct ops_template_set_result *r)
{
    if (r == NULL)
        return;
    template_free(&r->t);
    free(r->value);
    memset(r, 0, sizeof *r);
}

void
ops_oid_list_free(struct ops_oid_list *r)
{
    if (r == NULL)
        return;
    strlist_free(&r->names);
    strlist_free(&r->oids);
    free(r->fresh);
    r->fresh = NULL;
}

void
ops_template_lint_result_free(struct ops_template_lint_result *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; r->findings != NULL && r->nfindings != NULL && i < r->n; i++)
        lint_findings_free(r->findings[i], r->nfindings[i]);
    free(r->findings);
    free(r->nfindings);
    template_list_free(r->v, r->n);
    memset(r, 0, sizeof *r);
}

/* An allocated copy of s, "" for NULL; CC_ENOMEM when memory runs out. */
static int
dup_or_empty(char **out, const char *s)
{
    *out = cc_strdup(s ? s : "");
    return *out ? CC_OK : CC_ENOMEM;
}

/* ---- reading ---- */

static int
run_list(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)args;
    struct ops_template_list *r = result;
    memset(r, 0, sizeof *r);
    int rc = template_list(cx->st, &r->v, &r->n, cause);
    if (rc == CC_OK)
        rc = authority_templates(cx->st, &r->ca_cns, cause);
    if (rc == CC_OK) {
        r->purposes = calloc(r->n ? r->n : 1, sizeof *r->purposes);
        r->enabled = calloc(r->n ? r->n : 1, sizeof *r->enabled);
        if (r->purposes == NULL || r->enabled == NULL)
            rc = CC_ENOMEM;
    }
    for (size_t i = 0; rc == CC_OK && i < r->n; i++) {
        char *p = template_purposes(cx->st, &r->v[i]);
        rc = dup_or_empty(&r->purposes[i], p);
        free(p);
        r->enabled[i] = strlist_find(&r->ca_cns, r->v[i].cn, 0) >= 0;
    }
    if (rc != CC_OK)
        ops_template_list_free(r);
    return rc;
}

/* Fills what a view shows beside the template: purposes, ACL names, settings' values. */
static int
view_fill(const struct cc_ctx *cx, struct ops_template_view *r, int settings)
{
    struct store *st = cx->st;
    char *p = template_purposes(st, &r->t);
    int rc = dup_or_empty(&r->purposes, p);
    free(p);
    if (rc == CC_OK &&
        (r->acl_names = calloc(r->t.acl.n ? r->t.acl.n : 1, sizeof *r->acl_names)) == NULL)
        rc = CC_ENOMEM;
    for (size_t i = 0; rc == CC_OK && i < r->t.acl.n; i++) {
        struct dir_principal dp = {0};
        if (dir_get(st, r->t.acl.v[i].principal, &dp, NULL) == CC_OK)
            r->acl_names[i] = dir_qualified_name(st, &dp);
        dir_principal_free(&dp);
    }
    if (rc == CC_OK && settings) {
        size_t n;
        const struct template_setting *s = template_settings(&n);
        if ((r->values = calloc(n ? n : 1, sizeof *r->values)) == NULL)
            rc = CC_ENOMEM;
        else
            r->nvalues = n;
        for (size_t i = 0; rc == CC_OK && i < n; i++) {
            char *v = template_get(st, &r->t, s[i].name);
            rc = dup_or_empty(&r->values[i], v);
            free(v);
        }
    }
    return rc;
}

static int
run_get(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_template_ref *a = args;
    struct ops_template_view *r = result;
    memset(r, 0, sizeof *r);
    int rc = a->name != NULL ? template_load(cx->st, a->name, &r->t, cause)
                             : template_load_id(cx->st, a->id, &r->t, cause);
    if (rc == CC_OK)
        rc = view_fill(cx, r, a->settings);
    if (rc != CC_OK)
        ops_template_view_free(r);
    return rc;
}

static int
run_export(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_template_name *a = args;
    struct ops_template_text *r = result;
    r->text = NULL;
    struct template t = {0};
    int rc = template_load(cx->st, a->name, &t, cause);
    if (rc == CC_OK)
        rc = template_export(cx->st, &t, &r->text, cause);
    template_free(&t);
    if (rc != CC_OK) {
        free(r->text);
        r->text = NULL;
    }
    return rc;
}

static int
run_oid_list(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_oid_kind *a = args;
    struct ops_oid_list *r = result;
    memset(r, 0, sizeof *r);
    int rc = oid_list(cx->st, a->kind, &r->names, &r->oids, cause);
    if (rc == CC_OK && a->fresh && oid_new_under_forest(cx->st, &r->fresh, NULL) != CC_OK)
        r->fresh = NULL; /* the caller offers an empty field instead */
    if (rc != CC_OK)
        ops_oid_list_free(r);
    return rc;
}

static int
run_lint(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_template_lint *a = args;
    struct ops_template_lint_result *r = result;
    memset(r, 0, sizeof *r);
    int rc = CC_OK;
    if (a->name != NULL || a->draft != NULL) {
        if ((r->v = calloc(1, sizeof *r->v)) == NULL)
            return CC_ENOMEM;
        rc = a->draft != NULL ? template_copy(r->v, a->draft)
                              : template_load(cx->st, a->name, r->v, cause);
        r->n = rc == CC_OK ? 1 : 0;
    } else {
        rc = template_list(cx->st, &r->v, &r->n, cause);
    }
    if (rc == CC_OK) {
        r->findings = calloc(r->n ? r->n : 1, sizeof *r->findings);
        r->nfindings = calloc(r->n ? r->n : 1, sizeof *r->nfindings);
        if (r->findings == NULL || r->nfindings == NULL)
            rc = CC_ENOMEM;
    }
    for (size_t i = 0; rc == CC_OK && i < r->n; i++)
        rc = template_lint(cx->st, &r->v[i], &r->findings[i], &r->nfindings[i], cause);
    if (rc != CC_OK)
        ops_template_lint_result_free(r);
    return rc;
}

/* ---- new templates ---- */

static int
run_duplicate(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_template_duplicate *a = args;
    struct template *out = result;
    memset(out, 0, sizeof *out);
    return template_duplicate(cx, a->src, a->display_name, a->compat, out, cause);
}

static int
run_draft(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_template_draft *a = args;
    struct ops_template_draft_result *r = result;
    memset(r, 0, sizeof *r);
    struct template source = {0};
    char *name = NULL;
    /* refused at once rather than on OK, as Windows does */
    int rc = dir_require_admin(cx, "create a template", cause);
    if (rc == CC_OK)
        rc = template_load(cx->st, a->src, &source, cause);
    /* the first free "Copy of" name */
    for (int attempt = 1; rc == CC_OK && attempt <= 20; attempt++) {
        free(name);
        name = attempt == 1 ? cc_asprintf("Copy of %s", source.display_name)
                            : cc_asprintf("Copy of %s (%d)", source.display_name, attempt);
        if (name == NULL) {
            rc = CC_ENOMEM;
            break;
        }
        struct template other = {0};
        int taken = template_load(cx->st, name, &other, NULL) == CC_OK;
        template_free(&other);
        if (!taken)
            break;
    }
    if (rc == CC_OK)
        rc = template_duplicate_draft(cx, a->src, name, a->compat, &r->draft, cause);
    if (rc == CC_OK && (r->src_cn = cc_strdup(source.cn)) == NULL)
        rc = CC_ENOMEM;
    free(name);
    template_free(&source);
    if (rc != CC_OK)
        ops_template_draft_result_free(r);
    return rc;
}

static int
run_create(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_template_create *a = args;
    struct template *out = result;
    memset(out, 0, sizeof *out);
    int rc = template_copy(out, a->draft);
    char *note = NULL;
    if (rc == CC_OK) {
        /* the template name follows the display name until the template is created */
        free(out->cn);
        out->cn = template_name_for(out->display_name ? out->display_name : "");
        note =
            cc_asprintf("duplicate of %s, %s compatibility", a->duplicate_of ? a->duplicate_of : "",
                        template_compat_name(template_compat_of(out)));
        if (out->cn == NULL || note == NULL)
            rc = CC_ENOMEM;
    }
    if (rc == CC_OK)
        rc = template_create(cx, out, note, cause);
    free(note);
    if (rc != CC_OK)
        template_free(out);
    return rc;
}

static int
run_import(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_template_import *a = args;
    struct template *out = result;
    memset(out, 0, sizeof *out);
    return template_import(cx, a->path, out, cause);
}

/* ---- editing ---- */

static int
run_save(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_template_save *a = args;
    struct template *out = result;
    memset(out, 0, sizeof *out);
    int rc = template_copy(out, a->draft);
    if (rc == CC_OK)
        rc = template_save_edit(cx, a->base, out, cause);
    if (rc != CC_OK)
        template_free(out);
    return rc;
}

static int
run_set(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_template_set *a = args;
    struct ops_template_set_result *r = result;
    memset(r, 0, sizeof *r);
    /* what was loaded: others' saves since then of other settings are kept */
    struct template base = {0};
    int rc = template_load(cx->st, a->name, &r->t, cause);
    if (rc == CC_OK)
        rc = template_copy(&base, &r->t);
    if (rc == CC_OK)
        rc = template_set(cx->st, &r->t, a->setting, a->value, cause);
    if (rc == CC_OK)
        rc = template_save_edit(cx, &base, &r->t, cause);
    template_free(&base);
    if (rc == CC_OK) {
        char *v = template_get(cx->st, &r->t, a->setting);
        rc = dup_or_empty(&r->value, v);
        free(v);
    }
    if (rc != CC_OK)
        ops_template_set_result_free(r);
    return rc;
}

/* "P:RIGHTS" or "P" (rights optional when allowed); the last ':' splits. */
static int
split_spec(const char *spec, char **who, unsigned *mask, int rights_required, char **cause)
{
    const char *colon = strrchr(spec, ':');
    if (colon == NULL) {
        if (rights_required)
            return cc_fail(cause, CC_EINVAL,
                           "'%s': write PRINCIPAL:RIGHTS, e.g. \"ConfigMgr IIS Servers:Read,"
                           "Enroll\"",
                           spec);
        *who = cc_strdup(spec);
        *mask = ACL_ALL;
        return *who ? CC_OK : CC_ENOMEM;
    }
    *who = cc_asprintf("%.*s", (int)(colon - spec), spec);
    if (*who == NULL)
        return CC_ENOMEM;
    int rc = acl_rights_parse(colon + 1, mask, cause);
    if (rc != CC_OK) {
        free(*who);
        *who = NULL;
    }
    return rc;
}

static int
run_acl(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_template_acl *a = args;
    struct ops_template_view *r = result;
    memset(r, 0, sizeof *r);
    struct template base = {0};
    int rc = template_load(cx->st, a->name, &r->t, cause);
    if (rc == CC_OK)
        rc = template_copy(&base, &r->t);
    for (size_t i = 0; i < a->n && rc == CC_OK; i++) {
        const struct ops_acl_change *c = &a->v[i];
        char *who = NULL;
        unsigned mask = 0;
        if (split_spec(c->spec, &who, &mask, c->kind != OPS_ACL_REMOVE, cause) != CC_OK) {
            rc = CC_EINVAL;
            break;
        }
        struct dir_principal p = {0};
        if ((rc = dir_lookup(cx->st, who, &p, cause)) == CC_OK) {
            if (c->kind == OPS_ACL_ALLOW)
                rc = acl_grant(&r->t.acl, p.id, p.name, mask, 0);
            else if (c->kind == OPS_ACL_DENY)
                rc = acl_grant(&r->t.acl, p.id, p.name, 0, mask);
            else if ((rc = acl_revoke(&r->t.acl, p.id, mask)) == CC_ENOTFOUND)
                rc = cc_fail(cause, CC_ENOTFOUND, "%s is not in the permissions of '%s'", p.name,
                             r->t.display_name);
        }
        dir_principal_free(&p);
        free(who);
    }
    if (rc == CC_OK && a->n > 0)
        rc = template_save_edit(cx, &base, &r->t, cause);
    template_free(&base);
    if (rc == CC_OK)
        rc = view_fill(cx, r, 0);
    if (rc != CC_OK)
        ops_template_view_free(r);
    return rc;
}

static int
run_reenroll(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_template_name *a = args;
    struct template *out = result;
    memset(out, 0, sizeof *out);
    int rc = template_reenroll_all(cx, a->name, cause);
    if (rc == CC_OK)
        rc = template_load(cx->st, a->name, out, cause);
    return rc;
}

static int
run_delete(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_template_name *a = args;
    return template_delete(cx, a->name, cause);
}

static int
run_oid_add(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_oid_add *a = args;
    return oid_add(cx, a->name, a->oid, a->kind, cause);
}

/* ---- the CA's templates to issue ---- */

static int
run_enable(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_template_names *a = args;
    int rc = CC_OK;
    for (size_t i = 0; rc == CC_OK && i < a->n; i++)
        rc = authority_template_enable(cx, a->names[i], cause);
    return rc;
}

static int
run_disable(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_template_names *a = args;
    int rc = CC_OK;
    for (size_t i = 0; rc == CC_OK && i < a->n; i++)
        rc = authority_template_disable(cx, a->names[i], cause);
    return rc;
}

/* ---- an editor's draft, in memory ---- */

static int
run_draft_set(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_draft_set *a = args;
    return template_set(cx->st, a->draft, a->setting, a->value, cause);
}

static int
run_draft_get(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_draft_ref *a = args;
    struct ops_template_text *r = result;
    if ((r->text = template_get(cx->st, a->draft, a->setting)) != NULL)
        return CC_OK;
    size_t n;
    const struct template_setting *set = template_settings(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(set[i].name, a->setting) == 0)
            return cc_fail(cause, CC_ENOMEM, "%s", cc_strerror(CC_ENOMEM));
    return cc_fail(cause, CC_EINVAL, "'%s' is not a template setting", a->setting);
}

static int
run_draft_validate(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)result;
    const struct ops_draft_ref *a = args;
    return template_validate(cx->st, a->draft, cause);
}

static int
run_draft_acl(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    (void)cx;
    (void)result;
    const struct ops_draft_acl *a = args;
    int rc = acl_set(&a->draft->acl, a->principal, a->name, a->allow, a->deny);
    return rc == CC_OK ? CC_OK : cc_fail(cause, rc, "%s", cc_strerror(rc));
}

static int
run_oid_names(const struct cc_ctx *cx, const void *args, void *result, char **cause)
{
    const struct ops_oid_names *a = args;
    struct strlist *r = result;
    memset(r, 0, sizeof *r);
    int rc = CC_OK;
    for (size_t i = 0; rc == CC_OK && i < a->oids->n; i++) {
        char *n = oid_display_name(cx->st, a->oids->v[i]);
        rc = n != NULL ? strlist_add(r, n) : CC_ENOMEM;
        free(n);
    }
    if (rc != CC_OK) {
        strlist_free(r);
        return cc_fail(cause, rc, "%s", cc_strerror(rc));
    }
    return CC_OK;
}

/*
 * Every changing operation here runs in one write transaction: none signs
 * or makes keys. The core functions keep deciding the template ACL and
 * the Domain Admins rule (ca_right 0); the CA's templates to issue are the
 * CA Administrator's.
 */
const struct ops_def ops_template_defs[] = {
    {OP_TEMPLATE_LIST, "template.list", "", "templates", 0, "list the templates", 0, run_list},
    {OP_TEMPLATE_GET, "template.get", "name:text", "template", 0, "read a template", 0, run_get},
    {OP_TEMPLATE_DUPLICATE, "template.duplicate", "source:text name:text compat:compat", "template",
     0, "duplicate a template", 1, run_duplicate},
    {OP_TEMPLATE_DRAFT, "template.draft", "source:text compat:compat", "template", 0,
     "start a duplicate of a template", 0, run_draft},
    {OP_TEMPLATE_CREATE, "template.create", "draft:template duplicate-of:text", "template", 0,
     "create a template", 1, run_create},
    {OP_TEMPLATE_SAVE, "template.save", "base:template draft:template", "template", 0,
     "save a template", 1, run_save},
    {OP_TEMPLATE_SET, "template.set", "name:text setting:text value:text", "template", 0,
     "change a template setting", 1, run_set},
    {OP_TEMPLATE_ACL, "template.acl", "name:text changes:acl-changes", "template", 0,
     "change a template's permissions", 1, run_acl},
    {OP_TEMPLATE_REENROLL, "template.reenroll", "name:text", "template", 0,
     "reenroll all certificate holders", 1, run_reenroll},
    {OP_TEMPLATE_DELETE, "template.delete", "name:text", "", 0, "delete a template", 1, run_delete},
    {OP_TEMPLATE_EXPORT, "template.export", "name:text", "text", 0, "export a template", 0,
     run_export},
    {OP_TEMPLATE_IMPORT, "template.import", "path:file", "template", 0, "import a template", 1,
     run_import},
    {OP_OID_ADD, "oid.add", "name:text oid:oid kind:oid-kind", "", 0, "add an object identifier", 1,
     run_oid_add},
    {OP_OID_LIST, "oid.list", "kind:oid-kind", "oids", 0, "list the object identifiers", 0,
     run_oid_list},
    {OP_TEMPLATE_ENABLE, "template.enable", "names:list", "", CA_RIGHT_MANAGE,
     "enable a certificate template on the CA", 1, run_enable},
    {OP_TEMPLATE_DISABLE, "template.disable", "names:list", "", CA_RIGHT_MANAGE,
     "disable a certificate template on the CA", 1, run_disable},
    {OP_TEMPLATE_LINT, "template.lint", "name:text draft:template", "findings", 0,
     "check a template for risky settings", 0, run_lint},
    /* a draft in memory: nothing saved, nothing decided */
    {OP_TEMPLATE_DRAFT_SET, "template.draft-set", "draft:template setting:text value:text", "", 0,
     "change a template draft", 0, run_draft_set},
    {OP_TEMPLATE_DRAFT_GET, "template.draft-get", "draft:template setting:text", "text", 0,
     "read a template draft's setting", 0, run_draft_get},
    {OP_TEMPLATE_DRAFT_VALIDATE, "template.draft-validate", "draft:template", "", 0,
     "check a template draft", 0, run_draft_validate},
    {OP_TEMPLATE_DRAFT_ACL, "template.draft-acl",
     "draft:template principal:id name:text allow:rights deny:rights", "", 0,
     "change a template draft's permissions", 0, run_draft_acl},
    {OP_OID_NAMES, "oid.names", "oids:list", "names", 0, "name object identifiers", 0,
     run_oid_names},
    {.id = 0},
};
