/*
 * Group policy objects and the autoenrollment pulse. The pulse is one
 * transaction per principal: it takes the database's write lock first, so a
 * second pulse of the same principal waits and then finds the certificates
 * the first one enrolled instead of enrolling again. Every decision goes
 * into the pulse's record, which `certcon pulse --explain` prints.
 */
#include "config.h"
#include "authz.h"

#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "acl.h"
#include "audit.h"
#include "authority.h"
#include "autoenroll.h"
#include "cadb.h"
#include "certstore.h"
#include "clock.h"
#include "context.h"
#include "directory.h"
#include "pkix.h"
#include "status.h"
#include "template.h"
#include "util.h"

static const char *const model_names[] = {"Not configured", "Enabled", "Disabled"};

const char *
gpo_model_name(enum ae_model m)
{
    return m <= AE_DISABLED ? model_names[m] : "?";
}

const char *
gpo_settings_text(const struct gpo_settings *s, char *buf, size_t size)
{
    int on = s->model == AE_ENABLED;
    snprintf(buf, size, "%s%s%s", gpo_model_name(s->model), on && s->renew ? ", renew" : "",
             on && s->update ? ", update" : "");
    return buf;
}

unsigned
gpo_policy_bits(const struct gpo_settings *s)
{
    if (s->model == AE_DISABLED)
        return AE_POLICY_DISABLE_ALL;
    if (s->model != AE_ENABLED)
        return 0;
    return (s->update ? AE_POLICY_TEMPLATE_CHECK : 0) |
           (s->renew ? AE_POLICY_STORE_MANAGEMENT | AE_POLICY_PENDING_FETCH : 0);
}

void
gpo_free(struct gpo *g)
{
    free(g->name);
    free(g->guid);
    strlist_free(&g->links);
    strlist_free(&g->filter);
    memset(g, 0, sizeof *g);
}

void
gpo_list_free(struct gpo *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        gpo_free(&v[i]);
    free(v);
}

/* ---- group policy objects -------------------------------------------------- */

static int
gpo_id(struct store *st, const char *name, int64_t *id, char **canonical, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st, "SELECT id, name FROM gpo WHERE name = ?", &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_text(q, 1, name);
    if (store_step(q, NULL) == STORE_ROW) {
        *id = store_col_int64(q, 0);
        if (canonical != NULL)
            *canonical = strdup(store_col_text(q, 1));
        store_finalize(q);
        return CC_OK;
    }
    store_finalize(q);
    struct strlist names = {0};
    if (store_prepare(st, "SELECT name FROM gpo", &q, NULL) == CC_OK) {
        while (store_step(q, NULL) == STORE_ROW)
            strlist_add(&names, store_col_text(q, 0));
        store_finalize(q);
    }
    char *hint = cc_nearest(name, &names);
    strlist_free(&names);
    rc = cc_fail(cause, CC_ENOTFOUND, "no group policy object named '%s'%s%s", name,
                 hint ? ". " : "", hint ? hint : "");
    free(hint);
    return rc;
}

/* Runs one statement with a GPO id and up to two more bound values. */
static int
exec_gpo(struct store *st, const char *sql, int64_t id, const char *a, int64_t b, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st, sql, &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, id);
    if (a != NULL)
        store_bind_text(q, 2, a);
    else
        store_bind_int64(q, 2, b);
    if (store_step(q, NULL) != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    return rc;
}

int
gpo_create(const struct cc_ctx *cx, const char *name, char **cause)
{
    struct store *st = cx->st;
    size_t len = strlen(name);
    if (len == 0 || len > 128)
        return cc_fail(cause, CC_EINVAL, "GPO name: must be 1 to 128 characters");
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return cc_fail(cause, CC_EINVAL, "GPO name: control characters are not allowed");
    if (name[0] == ' ' || name[len - 1] == ' ')
        return cc_fail(cause, CC_EINVAL,
                       "GPO name: remove the spaces at its start or end");
    int rc = dir_require_admin(cx, "create a group policy object", cause);
    if (rc != CC_OK || (rc = store_begin(st, cause)) != CC_OK)
        return rc;
    int64_t id;
    if (gpo_id(st, name, &id, NULL, NULL) == CC_OK) {
        rc = cc_fail(cause, CC_EEXIST, "a group policy object named '%s' already exists", name);
        return store_finish(st, rc, cause);
    }
    unsigned char b[16];
    char guid[40];
    if (cc_random(b, sizeof b) != CC_OK)
        return store_finish(st, cc_fail(cause, CC_EIO, "no random source"), cause);
    snprintf(guid, sizeof guid,
             "{%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X}", b[0],
             b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
             b[14], b[15]);
    struct store_stmt *q;
    if ((rc = store_prepare(st,
                            "INSERT INTO gpo (name, guid, created, modified) VALUES (?, ?, ?3, ?3)",
                            &q, cause)) == CC_OK) {
        store_bind_text(q, 1, name);
        store_bind_text(q, 2, guid);
        store_bind_int64(q, 3, ctx_now(cx));
        if (store_step(q, NULL) != STORE_DONE)
            rc = store_error(st, cause);
        store_finalize(q);
    }
    if (rc == CC_OK)
        rc = audit_record(cx, "gpo", name, "create", NULL, guid, cause);
    return store_finish(st, rc, cause);
}

int
gpo_create_linked(const struct cc_ctx *cx, const char *name, const char *scope, char **cause)
{
    struct store *st = cx->st;
    int rc = store_begin(st, cause);
    if (rc != CC_OK)
        return rc;
    if ((rc = gpo_create(cx, name, cause)) == CC_OK)
        rc = gpo_link(cx, name, scope, cause);
    return store_finish(st, rc, cause);
}

/* Records that a GPO's settings changed now (the Modified column). */
static int
touch_gpo(const struct cc_ctx *cx, int64_t id, char **cause)
{
    struct store *st = cx->st;
    return exec_gpo(st, "UPDATE gpo SET modified = ?2 WHERE id = ?1", id, NULL, ctx_now(cx), cause);
}

int
gpo_delete(const struct cc_ctx *cx, const char *name, char **cause)
{
    struct store *st = cx->st;
    int64_t id;
    char *canon = NULL;
    int rc = dir_require_admin(cx, "delete a group policy object", cause);
    if (rc != CC_OK || (rc = store_begin(st, cause)) != CC_OK)
        return rc;
    if ((rc = gpo_id(st, name, &id, &canon, cause)) == CC_OK)
        rc = exec_gpo(st, "DELETE FROM gpo WHERE id = ?1 AND ?2 IS NOT NULL", id, "x", 0, cause);
    if (rc == CC_OK)
        rc = audit_record(cx, "gpo", canon, "delete", canon, NULL, cause);
    free(canon);
    return store_finish(st, rc, cause);
}

/* "" for the domain, else the OU's stored name. */
static int
parse_scope(struct store *st, const char *scope, char **out, char **cause)
{
    char *dns = NULL;
    if (store_meta_get(st, "domain_dns", &dns) == CC_OK &&
        (strcasecmp(scope, dns) == 0 || strcasecmp(scope, "domain") == 0)) {
        free(dns);
        *out = strdup("");
        return *out ? CC_OK : CC_ENOMEM;
    }
    int rc = dir_ou_exists(st, scope, out);
    if (rc == CC_ENOTFOUND) {
        struct strlist ous = {0};
        dir_list_ous(st, &ous, NULL);
        char *list = strlist_join(&ous, ", ");
        rc = cc_fail(cause, CC_ENOTFOUND,
                     "'%s' is neither the domain (%s) nor one of its organizational units (%s)",
                     scope, dns ? dns : "?", list ? list : "");
        free(list);
        strlist_free(&ous);
    }
    free(dns);
    return rc;
}

static int
change_link(const struct cc_ctx *cx, const char *name, const char *scope, int add, char **cause)
{
    struct store *st = cx->st;
    int64_t id;
    char *canon = NULL, *where = NULL;
    int rc = dir_require_admin(cx, add ? "link a group policy object" : "unlink a GPO", cause);
    if (rc != CC_OK || (rc = store_begin(st, cause)) != CC_OK)
        return rc;
    if ((rc = gpo_id(st, name, &id, &canon, cause)) == CC_OK &&
        (rc = parse_scope(st, scope, &where, cause)) == CC_OK) {
        rc = exec_gpo(st,
                      add ? "INSERT INTO gpo_link (gpo_id, scope) VALUES (?1, ?2) "
                            "ON CONFLICT DO NOTHING"
                          : "DELETE FROM gpo_link WHERE gpo_id = ?1 AND scope = ?2",
                      id, where, 0, cause);
        if (rc == CC_OK && store_rows_changed(st) == 0)
            rc = cc_fail(cause, add ? CC_EEXIST : CC_ENOTFOUND,
                         add ? "'%s' is already linked to %s" : "'%s' is not linked to %s",
                         canon, scope);
        if (rc == CC_OK)
            rc = audit_record(cx, "gpo", canon, add ? "link" : "unlink", NULL,
                              *where ? where : "(domain)", cause);
    }
    free(canon);
    free(where);
    return store_finish(st, rc, cause);
}

int
gpo_link(const struct cc_ctx *cx, const char *name, const char *scope, char **cause)
{
    return change_link(cx, name, scope, 1, cause);
}

int
gpo_unlink(const struct cc_ctx *cx, const char *name, const char *scope, char **cause)
{
    return change_link(cx, name, scope, 0, cause);
}

int
gpo_set_autoenroll(const struct cc_ctx *cx, const char *name, int user,
                   const struct gpo_settings *s, char **cause)
{
    struct store *st = cx->st;
    if (s->model > AE_DISABLED)
        return cc_fail(cause, CC_EINVAL, "configuration model: not configured, enabled or "
                                         "disabled");
    int64_t id;
    char *canon = NULL;
    int rc = dir_require_admin(cx, "change a group policy object", cause);
    if (rc != CC_OK || (rc = store_begin(st, cause)) != CC_OK)
        return rc;
    if ((rc = gpo_id(st, name, &id, &canon, cause)) == CC_OK) {
        struct store_stmt *q;
        rc = store_prepare(st,
                           user ? "UPDATE gpo SET user_model = ?2, user_renew = ?3, "
                                  "user_update = ?4 WHERE id = ?1"
                                : "UPDATE gpo SET computer_model = ?2, computer_renew = ?3, "
                                  "computer_update = ?4 WHERE id = ?1",
                           &q, cause);
        if (rc == CC_OK) {
            store_bind_int64(q, 1, id);
            store_bind_int(q, 2, s->model);
            store_bind_int(q, 3, s->model == AE_ENABLED && s->renew);
            store_bind_int(q, 4, s->model == AE_ENABLED && s->update);
            if (store_step(q, NULL) != STORE_DONE)
                rc = store_error(st, cause);
            store_finalize(q);
        }
        if (rc == CC_OK) {
            char v[GPO_SETTINGS_TEXT_MAX];
            rc = audit_record(cx, "gpo", canon,
                              user ? "user autoenrollment" : "computer autoenrollment", NULL,
                              gpo_settings_text(s, v, sizeof v), cause);
        }
        if (rc == CC_OK)
            rc = touch_gpo(cx, id, cause);
    }
    free(canon);
    return store_finish(st, rc, cause);
}

static int
change_filter(const struct cc_ctx *cx, const char *name, const char *principal, int add,
              char **cause)
{
    struct store *st = cx->st;
    int64_t id;
    char *canon = NULL;
    struct dir_principal p = {0};
    int rc = dir_require_admin(cx, "change security filtering", cause);
    if (rc != CC_OK || (rc = store_begin(st, cause)) != CC_OK)
        return rc;
    if ((rc = gpo_id(st, name, &id, &canon, cause)) == CC_OK &&
        (rc = dir_lookup(st, principal, &p, cause)) == CC_OK) {
        rc = exec_gpo(st,
                      add ? "INSERT INTO gpo_filter (gpo_id, principal_id) VALUES (?1, ?2) "
                            "ON CONFLICT DO NOTHING"
                          : "DELETE FROM gpo_filter WHERE gpo_id = ?1 AND principal_id = ?2",
                      id, NULL, p.id, cause);
        if (rc == CC_OK && store_rows_changed(st) == 0)
            rc = cc_fail(cause, add ? CC_EEXIST : CC_ENOTFOUND,
                         add ? "%s is already in the security filtering of '%s'"
                             : "%s is not in the security filtering of '%s'",
                         p.name, canon);
        if (rc == CC_OK)
            rc = audit_record(cx, "gpo", canon, "security filtering", add ? NULL : p.name,
                              add ? p.name : NULL, cause);
        if (rc == CC_OK)
            rc = touch_gpo(cx, id, cause);
    }
    dir_principal_free(&p);
    free(canon);
    return store_finish(st, rc, cause);
}

int
gpo_filter_add(const struct cc_ctx *cx, const char *name, const char *principal, char **cause)
{
    return change_filter(cx, name, principal, 1, cause);
}

int
gpo_filter_remove(const struct cc_ctx *cx, const char *name, const char *principal, char **cause)
{
    return change_filter(cx, name, principal, 0, cause);
}

int
gpo_filter_set(const struct cc_ctx *cx, const char *name, const struct strlist *principals,
               char **cause)
{
    struct store *st = cx->st;
    struct gpo g = {0};
    int rc = dir_require_admin(cx, "change security filtering", cause);
    if (rc != CC_OK || (rc = store_begin(st, cause)) != CC_OK)
        return rc;
    if ((rc = gpo_get(st, name, &g, cause)) == CC_OK) {
        /* the principals named may be spelt otherwise than the directory spells them */
        struct strlist want = {0};
        for (size_t i = 0; rc == CC_OK && i < principals->n; i++) {
            struct dir_principal p = {0};
            if ((rc = dir_lookup(st, principals->v[i], &p, cause)) == CC_OK &&
                strlist_find(&want, p.name, 1) < 0)
                rc = strlist_add(&want, p.name);
            dir_principal_free(&p);
        }
        for (size_t i = 0; rc == CC_OK && i < g.filter.n; i++)
            if (strlist_find(&want, g.filter.v[i], 1) < 0)
                rc = change_filter(cx, g.name, g.filter.v[i], 0, cause);
        for (size_t i = 0; rc == CC_OK && i < want.n; i++)
            if (strlist_find(&g.filter, want.v[i], 1) < 0)
                rc = change_filter(cx, g.name, want.v[i], 1, cause);
        strlist_free(&want);
    }
    gpo_free(&g);
    return store_finish(st, rc, cause);
}

#define GPO_COLUMNS                                                                            \
    "id, name, guid, computer_model, computer_renew, computer_update, user_model, "           \
    "user_renew, user_update, created, modified"

static int
row_to_gpo(struct store *st, struct store_stmt *q, struct gpo *g)
{
    memset(g, 0, sizeof *g);
    g->id = store_col_int64(q, 0);
    g->name = strdup(store_col_text(q, 1));
    g->guid = strdup(store_col_text(q, 2));
    g->computer.model = (enum ae_model)store_col_int(q, 3);
    g->computer.renew = store_col_int(q, 4);
    g->computer.update = store_col_int(q, 5);
    g->user.model = (enum ae_model)store_col_int(q, 6);
    g->user.renew = store_col_int(q, 7);
    g->user.update = store_col_int(q, 8);
    g->created = (time_t)store_col_int64(q, 9);
    g->modified = (time_t)store_col_int64(q, 10);
    if (g->name == NULL || g->guid == NULL)
        return CC_ENOMEM;
    struct store_stmt *l;
    int rc = store_prepare(st, "SELECT scope FROM gpo_link WHERE gpo_id = ? ORDER BY id", &l,
                           NULL);
    char *dns = NULL;
    store_meta_get(st, "domain_dns", &dns);
    if (rc == CC_OK) {
        store_bind_int64(l, 1, g->id);
        while (rc == CC_OK && store_step(l, NULL) == STORE_ROW) {
            const char *s = store_col_text(l, 0);
            char *v = *s ? cc_asprintf("OU=%s", s) : strdup(dns ? dns : "domain");
            rc = v ? strlist_add(&g->links, v) : CC_ENOMEM;
            free(v);
        }
        store_finalize(l);
    }
    free(dns);
    if (rc == CC_OK && (rc = store_prepare(st,
                                           "SELECT p.name FROM gpo_filter f JOIN principal p "
                                           "ON p.id = f.principal_id WHERE f.gpo_id = ? "
                                           "ORDER BY p.name",
                                           &l, NULL)) == CC_OK) {
        store_bind_int64(l, 1, g->id);
        while (rc == CC_OK && store_step(l, NULL) == STORE_ROW)
            rc = strlist_add(&g->filter, store_col_text(l, 0));
        store_finalize(l);
    }
    return rc;
}

int
gpo_get(struct store *st, const char *name, struct gpo *out, char **cause)
{
    int64_t id;
    int rc = gpo_id(st, name, &id, NULL, cause);
    if (rc != CC_OK)
        return rc;
    struct store_stmt *q;
    if ((rc = store_prepare(st, "SELECT " GPO_COLUMNS " FROM gpo WHERE id = ?", &q, cause)) !=
        CC_OK)
        return rc;
    store_bind_int64(q, 1, id);
    rc = store_step(q, NULL) == STORE_ROW ? row_to_gpo(st, q, out) : CC_ENOTFOUND;
    store_finalize(q);
    if (rc != CC_OK)
        gpo_free(out);
    return rc;
}

int
gpo_list(struct store *st, struct gpo **out, size_t *n, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st, "SELECT " GPO_COLUMNS " FROM gpo ORDER BY name", &q, cause);
    if (rc != CC_OK)
        return rc;
    struct gpo *v = NULL;
    size_t count = 0;
    while (rc == CC_OK && store_step(q, NULL) == STORE_ROW) {
        struct gpo *nv = realloc(v, (count + 1) * sizeof *nv);
        if (nv == NULL) {
            rc = CC_ENOMEM;
            break;
        }
        v = nv;
        rc = row_to_gpo(st, q, &v[count]);
        count++;
    }
    store_finalize(q);
    if (rc != CC_OK) {
        gpo_list_free(v, count);
        return rc;
    }
    *out = v;
    *n = count;
    return CC_OK;
}

int
gpo_list_linked(struct store *st, const char *scope, struct gpo **out, size_t *n, char **cause)
{
    char *where = NULL;
    int rc = parse_scope(st, scope, &where, cause);
    if (rc != CC_OK)
        return rc;
    struct store_stmt *q = NULL, *l = NULL;
    rc = store_prepare(st, "SELECT " GPO_COLUMNS " FROM gpo WHERE id = ?", &q, cause);
    if (rc == CC_OK)
        rc = store_prepare(st, "SELECT gpo_id FROM gpo_link WHERE scope = ? ORDER BY id", &l,
                           cause);
    struct gpo *v = NULL;
    size_t count = 0;
    if (rc == CC_OK) {
        store_bind_text(l, 1, where);
        while (rc == CC_OK && store_step(l, NULL) == STORE_ROW) {
            struct gpo *nv = realloc(v, (count + 1) * sizeof *nv);
            if (nv == NULL) {
                rc = CC_ENOMEM;
                break;
            }
            v = nv;
            store_reset(q);
            store_bind_int64(q, 1, store_col_int64(l, 0));
            if (store_step(q, NULL) != STORE_ROW)
                continue;
            rc = row_to_gpo(st, q, &v[count]);
            count++;
        }
    }
    store_finalize(l);
    store_finalize(q);
    free(where);
    if (rc != CC_OK) {
        gpo_list_free(v, count);
        return rc;
    }
    *out = v;
    *n = count;
    return CC_OK;
}

int
gpo_effective(struct store *st, int64_t principal, struct gpo_settings *out, char **source,
              char **cause)
{
    struct dir_principal p = {0};
    int rc = dir_get(st, principal, &p, cause);
    if (rc != CC_OK)
        return rc;
    int user = p.kind != DIR_COMPUTER;
    int64_t *tok = NULL;
    size_t ntok = 0;
    if ((rc = dir_token(st, principal, &tok, &ntok, cause)) != CC_OK) {
        dir_principal_free(&p);
        return rc;
    }
    memset(out, 0, sizeof *out);
    if (source != NULL)
        *source = NULL;
    /* OU links first (they win), then the domain's; link order within a scope */
    struct store_stmt *q;
    rc = store_prepare(st,
                       user ? "SELECT g.id, g.name, g.user_model, g.user_renew, g.user_update "
                              "FROM gpo_link l JOIN gpo g ON g.id = l.gpo_id "
                              "WHERE l.enabled = 1 AND (l.scope = ?1 OR l.scope = '') "
                              "ORDER BY (l.scope = '') ASC, l.id ASC"
                            : "SELECT g.id, g.name, g.computer_model, g.computer_renew, "
                              "g.computer_update FROM gpo_link l JOIN gpo g ON g.id = l.gpo_id "
                              "WHERE l.enabled = 1 AND (l.scope = ?1 OR l.scope = '') "
                              "ORDER BY (l.scope = '') ASC, l.id ASC",
                       &q, cause);
    if (rc == CC_OK) {
        store_bind_text(q, 1, p.ou ? p.ou : "");
        while (store_step(q, NULL) == STORE_ROW) {
            int64_t gid = store_col_int64(q, 0);
            enum ae_model m = (enum ae_model)store_col_int(q, 2);
            if (m == AE_NOT_CONFIGURED)
                continue;
            /* security filtering: an empty filter means Authenticated Users */
            struct store_stmt *f;
            int applies = 1;
            if (store_prepare(st, "SELECT principal_id FROM gpo_filter WHERE gpo_id = ?", &f,
                              NULL) == CC_OK) {
                store_bind_int64(f, 1, gid);
                int any = 0, match = 0;
                while (store_step(f, NULL) == STORE_ROW) {
                    any = 1;
                    int64_t who = store_col_int64(f, 0);
                    for (size_t i = 0; i < ntok; i++)
                        match |= tok[i] == who;
                }
                store_finalize(f);
                applies = !any || match;
            }
            if (!applies)
                continue;
            out->model = m;
            out->renew = store_col_int(q, 3);
            out->update = store_col_int(q, 4);
            if (source != NULL)
                *source = strdup(store_col_text(q, 1));
            break;
        }
        store_finalize(q);
    }
    free(tok);
    dir_principal_free(&p);
    return rc;
}

/* ---- decisions ------------------------------------------------------------- */

time_t
autoenroll_renewal_start(time_t not_before, time_t not_after, int64_t renewal)
{
    time_t by_period = not_after - (time_t)renewal;
    time_t by_lifetime = not_before + (time_t)((not_after - not_before) * 8 / 10);
    return by_period > by_lifetime ? by_period : by_lifetime;
}

enum ae_action
autoenroll_decide(const struct template *t, const struct ae_held *held, time_t now,
                  const char **why)
{
    if (!held->have || now >= held->not_after) {
        *why = held->have ? "the certificate expired: a new one is enrolled"
                          : "no valid certificate from this template: enroll";
        return AE_ACT_ENROLL;
    }
    if (t->schema_version >= 2 && held->major >= 0 && held->major < (int64_t)t->revision) {
        *why = "the template's major version was raised (Reenroll All Certificate Holders)";
        return AE_ACT_REENROLL;
    }
    if (now >= autoenroll_renewal_start(held->not_before, held->not_after, t->renewal)) {
        if (t->enrollment_flag & CT_ENROLL_SKIP_AUTO_RENEWAL) {
            *why = "in the renewal window, but the template says not to renew automatically";
            return AE_ACT_NONE;
        }
        *why = "in the renewal window: renew";
        return AE_ACT_RENEW;
    }
    *why = "a valid certificate is held and not due for renewal";
    return AE_ACT_NONE;
}

/* ---- the pulse ----------------------------------------------------------------- */

void
pulse_report_free(struct pulse_report *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].template);
        free(r->v[i].action);
        free(r->v[i].reason);
    }
    free(r->v);
    free(r->principal_name);
    free(r->source);
    memset(r, 0, sizeof *r);
}

static int
note(struct pulse_report *r, const char *template, const char *action, int64_t request_id,
     const char *serial, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int
note(struct pulse_report *r, const char *template, const char *action, int64_t request_id,
     const char *serial, const char *fmt, ...)
{
    struct pulse_item *v = realloc(r->v, (r->n + 1) * sizeof *v);
    if (v == NULL)
        return CC_ENOMEM;
    r->v = v;
    struct pulse_item *it = &v[r->n];
    memset(it, 0, sizeof *it);
    va_list ap;
    va_start(ap, fmt);
    it->reason = cc_vasprintf(fmt, ap);
    va_end(ap);
    it->template = strdup(template ? template : "");
    it->action = strdup(action);
    it->request_id = request_id;
    if (serial != NULL)
        snprintf(it->serial, sizeof it->serial, "%s", serial);
    r->n++;
    return it->reason && it->template && it->action ? CC_OK : CC_ENOMEM;
}

/* A certificate of the Personal store as the pulse sees it. */
struct held_cert {
    int64_t id;
    char *template_cn;
    char serial[41];
    time_t not_before, not_after;
    int64_t major;
    int revoked;
    int usable; /* not archived, not revoked, not expired */
};

static void
held_free(struct held_cert *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].template_cn);
    free(v);
}

static int64_t
cert_major(const struct pkix_buf *der)
{
    gnutls_x509_crt_t crt;
    int64_t major = -1;
    if (gnutls_x509_crt_init(&crt) < 0)
        return -1;
    gnutls_datum_t d = {(unsigned char *)der->p, (unsigned)der->n};
    if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) >= 0) {
        gnutls_datum_t ext = {NULL, 0};
        unsigned critical = 0;
        if (gnutls_x509_crt_get_extension_by_oid2(crt, "1.3.6.1.4.1.311.21.7", 0, &ext,
                                                  &critical) >= 0) {
            char *oid = NULL;
            int64_t minor = 0;
            if (pkix_template_info_decode(ext.data, ext.size, &oid, &major, &minor) != CC_OK)
                major = -1;
            free(oid);
            gnutls_free(ext.data);
        }
    }
    gnutls_x509_crt_deinit(crt);
    return major;
}

static int
load_held(const struct cc_ctx *cx, int64_t principal, time_t now, struct held_cert **out, size_t *n,
          char **cause)
{
    struct store *st = cx->st;
    struct certstore_entry *e = NULL;
    size_t ne = 0;
    int rc = certstore_list(cx, principal, CERTSTORE_MY, &e, &ne, cause);
    if (rc != CC_OK)
        return rc;
    struct held_cert *v = calloc(ne ? ne : 1, sizeof *v);
    size_t k = 0;
    struct store_stmt *arch = NULL;
    if (v == NULL)
        rc = CC_ENOMEM;
    else
        rc = store_prepare(st, "SELECT archived FROM store_cert WHERE id = ?", &arch, cause);
    for (size_t i = 0; rc == CC_OK && i < ne; i++) {
        if (e[i].principal != principal || e[i].template_cn == NULL || !*e[i].template_cn)
            continue; /* only certificates with a template extension are managed */
        store_reset(arch);
        store_bind_int64(arch, 1, e[i].id);
        int archived = store_step(arch, NULL) == STORE_ROW && store_col_int(arch, 0);
        if (archived)
            continue;
        struct held_cert *h = &v[k];
        h->id = e[i].id;
        h->template_cn = strdup(e[i].template_cn);
        snprintf(h->serial, sizeof h->serial, "%s", e[i].serial ? e[i].serial : "");
        h->not_before = e[i].not_before;
        h->not_after = e[i].not_after;
        h->major = cert_major(&e[i].der);
        if (e[i].request_id > 0) {
            struct cadb_row *row = calloc(1, sizeof *row);
            if (row != NULL && cadb_get(st, e[i].request_id, row, NULL) == CC_OK)
                h->revoked = row->disposition == DISP_REVOKED;
            if (row != NULL)
                cadb_rows_free(row, 1);
        }
        h->usable = !h->revoked && now < h->not_after && now >= h->not_before;
        if (h->template_cn == NULL)
            rc = CC_ENOMEM;
        k++;
    }
    store_finalize(arch);
    certstore_list_free(e, ne);
    if (rc != CC_OK) {
        held_free(v, k);
        return rc;
    }
    *out = v;
    *n = k;
    return CC_OK;
}

/*
 * One pulse runs twice: first with no transaction open ("dry"), where it
 * decides what to enroll and prepares each enrollment (key, request,
 * signature: the slow part) without writing; then inside one short write
 * transaction, where it decides again on what is committed now and
 * records, taking the prepared enrollments. A decision that changed in
 * between (another pulse of the same principal enrolled first) leaves its
 * preparation unused; one that was not foreseen is prepared on the spot.
 */
struct pulse_run {
    struct cadb_session *session;
    const char *passphrase;
    int dry;
    struct cadb_enrollment **plan;
    size_t nplan;
};

static void
pulse_run_free(struct pulse_run *run)
{
    for (size_t i = 0; i < run->nplan; i++)
        cadb_enrollment_free(run->plan[i]);
    free(run->plan);
    if (run->session != NULL)
        cadb_session_close(run->session);
}

/* Takes the prepared enrollment for template cn out of the plan, or NULL. */
static struct cadb_enrollment *
plan_take(struct pulse_run *run, const char *cn)
{
    for (size_t i = 0; i < run->nplan; i++) {
        if (strcasecmp(cadb_enrollment_template(run->plan[i]), cn) != 0)
            continue;
        struct cadb_enrollment *e = run->plan[i];
        run->plan[i] = run->plan[--run->nplan];
        return e;
    }
    return NULL;
}

static int
archive_cert(struct store *st, struct pulse_run *run, int64_t id, char **cause)
{
    if (run->dry)
        return CC_OK;
    struct store_stmt *q;
    int rc = store_prepare(st, "UPDATE store_cert SET archived = 1 WHERE id = ?", &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, id);
    if (store_step(q, NULL) != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    return rc;
}

/* The newest usable certificate held from the template cn, or NULL. */
static struct held_cert *
held_from(struct held_cert *v, size_t n, const char *cn)
{
    struct held_cert *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (v[i].usable && strcasecmp(v[i].template_cn, cn) == 0 &&
            (best == NULL || v[i].not_after > best->not_after))
            best = &v[i];
    return best;
}

/* Pending requests of the requester for a template: the newest ID, or 0. */
static int64_t
pending_request(struct store *st, const char *requester, const char *cn)
{
    struct cadb_row *rows = NULL;
    size_t n = 0;
    int64_t id = 0;
    if (cadb_list(st, CADB_PENDING, NULL, &rows, &n, NULL) != CC_OK)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].requester && cc_strcaseeq(rows[i].requester, requester) &&
            rows[i].template_cn && cc_strcaseeq(rows[i].template_cn, cn))
            id = rows[i].id;
    cadb_rows_free(rows, n);
    return id;
}

static int
enroll_one(const struct cc_ctx *cx, struct pulse_run *run, const struct dir_principal *p,
           const struct template *t, const char *verb, struct held_cert *old, struct strlist *fresh,
           struct pulse_report *r, const char *why, char **cause)
{
    struct store *st = cx->st;
    int rc = CC_OK;
    if (run->session == NULL &&
        (rc = cadb_session_open(cx, run->passphrase, &run->session, cause)) != CC_OK)
        return rc;
    struct cadb_enroll_params params = {.template_name = t->cn};
    struct cadb_outcome o = {0};
    char *err = NULL;
    struct cadb_enrollment *e = run->dry ? NULL : plan_take(run, t->cn);
    if (e == NULL)
        rc = cadb_enroll_prepare(run->session, p, &params, &e, &err);
    if (rc == CC_OK && run->dry) {
        struct cadb_enrollment **v = realloc(run->plan, (run->nplan + 1) * sizeof *v);
        if (v == NULL) {
            cadb_enrollment_free(e);
            return CC_ENOMEM;
        }
        run->plan = v;
        run->plan[run->nplan++] = e;
        /* as if issued, so that the templates after it decide as they will */
        rc = strlist_add(fresh, t->cn);
        if (old != NULL)
            old->usable = 0;
        return rc;
    }
    if (rc == CC_OK) {
        rc = cadb_enroll_record(run->session, p, e, &o, &err);
        cadb_enrollment_free(e);
    }
    if (rc != CC_OK && o.request_id == 0) {
        rc = note(r, t->display_name, "failed", 0, NULL, "%s: %s", why,
                  err ? err : cc_strerror(rc));
        free(err);
        return rc;
    }
    free(err);
    if (o.disposition == DISP_ISSUED) {
        rc = note(r, t->display_name, verb, o.request_id, o.serial, "%s", why);
        /* what this pulse enrolled counts as held for the templates after it */
        if (rc == CC_OK)
            rc = strlist_add(fresh, t->cn);
        if (rc == CC_OK && old != NULL) {
            rc = archive_cert(st, run, old->id, cause);
            old->usable = 0;
        }
    } else if (o.disposition == DISP_PENDING) {
        rc = note(r, t->display_name, "pending", o.request_id, NULL,
                  "%s; request %lld waits for a certificate manager's approval", why,
                  (long long)o.request_id);
    } else {
        rc = note(r, t->display_name, "failed", o.request_id, NULL, "%s: %s (0x%08X)", why,
                  o.message ? o.message : cc_strerror(o.status), cc_hresult(o.status));
    }
    cadb_outcome_free(&o);
    return rc;
}

/* Step 4 of the pulse for one template (§5.7). */
static int
pulse_template(const struct cc_ctx *cx, struct pulse_run *run, const struct dir_principal *p,
               const char *qualified, const int64_t *tok, size_t ntok, const struct template *t,
               const struct template *all, size_t nall, const struct strlist *enabled,
               struct held_cert *held, size_t nheld, struct strlist *fresh, struct pulse_report *r,
               char **cause)
{
    struct store *st = cx->st;
    time_t now = ctx_now(cx);
    if (strlist_find(enabled, t->cn, 1) < 0)
        return note(r, t->display_name, "skipped", 0, NULL,
                    "not enabled on the CA (Certificate Templates to Issue)");
    unsigned eff = acl_effective(&t->acl, tok, ntok, NULL);
    unsigned need = ACL_READ | ACL_ENROLL | ACL_AUTOENROLL;
    if ((eff & need) != need) {
        char *missing = acl_rights_format(need & ~eff);
        int rc = note(r, t->display_name, "skipped", 0, NULL,
                      "no %s permission for %s", missing ? missing : "?", qualified);
        free(missing);
        return rc;
    }
    if (t->ra_signature > 0)
        return note(r, t->display_name, "skipped", 0, NULL,
                    "needs %u authorized signature%s, which autoenrollment cannot supply",
                    t->ra_signature, t->ra_signature == 1 ? "" : "s");
    if (t->enrollment_flag & CT_ENROLL_USER_INTERACTION_REQUIRED)
        return note(r, t->display_name, "skipped", 0, NULL,
                    "the template prompts the user during enrollment");
    /* a certificate from a template that supersedes this one counts as this one */
    for (size_t i = 0; i < nall; i++) {
        if (strlist_find(&all[i].supersede, t->cn, 1) >= 0 &&
            (held_from(held, nheld, all[i].cn) || strlist_find(fresh, all[i].cn, 1) >= 0))
            return note(r, t->display_name, "none", 0, NULL,
                        "a certificate from '%s', which supersedes it, is held",
                        all[i].display_name);
    }
    int64_t pend = pending_request(st, qualified, t->cn);
    if (pend != 0)
        return note(r, t->display_name, "pending", pend, NULL,
                    "request %lld is still pending", (long long)pend);
    struct held_cert *h = held_from(held, nheld, t->cn);
    struct ae_held state = {0};
    if (h != NULL) {
        state.have = 1;
        state.not_before = h->not_before;
        state.not_after = h->not_after;
        state.major = h->major;
    }
    /* certificates of templates this one supersedes are replaced */
    struct held_cert *superseded = NULL;
    for (size_t i = 0; h == NULL && i < t->supersede.n && superseded == NULL; i++)
        superseded = held_from(held, nheld, t->supersede.v[i]);
    const char *why;
    enum ae_action act = autoenroll_decide(t, &state, now, &why);
    if (act == AE_ACT_NONE) {
        char until[16], from[16];
        cc_date_format(state.not_after, until, sizeof until);
        cc_date_format(autoenroll_renewal_start(state.not_before, state.not_after, t->renewal),
                       from, sizeof from);
        return note(r, t->display_name, "none", 0, h ? h->serial : NULL,
                    "%s (valid until %s, renewal from %s)", why, until, from);
    }
    if (template_subject_supplied(t) &&
        !(act != AE_ACT_ENROLL && (t->name_flag & CT_NAME_OLD_CERT_SUPPLIES_SUBJECT_AND_ALT_NAME)))
        return note(r, t->display_name, "skipped", 0, NULL,
                    "the subject is supplied in the request: enroll by hand with the names "
                    "it needs");
    if (superseded != NULL) {
        char *w = cc_asprintf("supersedes '%s': enroll and archive the old certificate",
                              superseded->template_cn);
        int rc = enroll_one(cx, run, p, t, "enrolled", superseded, fresh, r, w ? w : why, cause);
        free(w);
        return rc;
    }
    return enroll_one(cx, run, p, t,
                      act == AE_ACT_ENROLL  ? "enrolled"
                      : act == AE_ACT_RENEW ? "renewed"
                                            : "reenrolled",
                      h, fresh, r, why, cause);
}

/*
 * Pending fetch (0x4): the requests the previous pulse left pending. An
 * approved one was installed with its parked key when the certificate
 * manager issued it; a denied one is dropped. Either way the pulse says so.
 */
static int
fetch_pending(struct store *st, int64_t principal, struct pulse_report *r, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT i.template, i.request_id FROM pulse_item i "
                           "WHERE i.action = 'pending' AND i.request_id IS NOT NULL AND "
                           "i.pulse_id = (SELECT max(id) FROM pulse WHERE principal_id = ?)",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, principal);
    while (rc == CC_OK && store_step(q, NULL) == STORE_ROW) {
        const char *tmpl = store_col_text(q, 0);
        int64_t id = store_col_int64(q, 1);
        struct cadb_row *row = calloc(1, sizeof *row);
        if (row == NULL) {
            rc = CC_ENOMEM;
            break;
        }
        if (cadb_get(st, id, row, NULL) == CC_OK) {
            if (row->disposition == DISP_ISSUED || row->disposition == DISP_REVOKED)
                rc = note(r, tmpl, "installed", id, row->serial,
                          "request %lld was issued by a certificate manager: its certificate "
                          "is in the Personal store",
                          (long long)id);
            else if (row->disposition == DISP_DENIED || row->disposition == DISP_ERROR)
                rc = note(r, tmpl, "failed", id, NULL, "request %lld was denied: %s",
                          (long long)id, row->message ? row->message : "");
        }
        cadb_rows_free(row, 1);
    }
    store_finalize(q);
    return rc;
}

static int
record_pulse(struct store *st, struct pulse_report *r, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "INSERT INTO pulse (principal_id, at, policy, source) "
                           "VALUES (?, ?, ?, ?)",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, r->principal);
    store_bind_int64(q, 2, r->at);
    store_bind_int64(q, 3, r->policy);
    store_bind_text(q, 4, r->source ? r->source : "");
    if (store_step(q, NULL) != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    if (rc != CC_OK)
        return rc;
    r->id = store_last_id(st);
    if ((rc = store_prepare(st,
                            "INSERT INTO pulse_item (pulse_id, pos, template, action, reason, "
                            "request_id, serial) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            &q, cause)) != CC_OK)
        return rc;
    for (size_t i = 0; rc == CC_OK && i < r->n; i++) {
        store_reset(q);
        store_bind_int64(q, 1, r->id);
        store_bind_int64(q, 2, (int64_t)i);
        store_bind_text(q, 3, r->v[i].template);
        store_bind_text(q, 4, r->v[i].action);
        store_bind_text(q, 5, r->v[i].reason);
        if (r->v[i].request_id)
            store_bind_int64(q, 6, r->v[i].request_id);
        else
            store_bind_null(q, 6);
        store_bind_text(q, 7, r->v[i].serial);
        if (store_step(q, NULL) != STORE_DONE)
            rc = store_error(st, cause);
    }
    store_finalize(q);
    return rc;
}

/* Store management (0x2): revoked or expired certificates leave the store. */
static int
tidy_store(const struct cc_ctx *cx, struct pulse_run *run, struct held_cert *held, size_t nheld,
           const struct template *all, size_t nall, struct pulse_report *r, char **cause)
{
    struct store *st = cx->st;
    time_t now = ctx_now(cx);
    int rc = CC_OK;
    for (size_t i = 0; rc == CC_OK && i < nheld; i++) {
        struct held_cert *h = &held[i];
        if (!h->revoked && now < h->not_after)
            continue;
        const struct template *t = NULL;
        for (size_t k = 0; k < nall; k++)
            if (strcasecmp(all[k].cn, h->template_cn) == 0)
                t = &all[k];
        /* encryption certificates are never deleted, only archived */
        int encryption_only = t && !(t->key_usage & CT_KU_DIGITAL_SIGNATURE);
        int delete = t && (t->enrollment_flag &
                           CT_ENROLL_REMOVE_INVALID_CERTIFICATE_FROM_PERSONAL_STORE) &&
                     !encryption_only;
        const char *what = h->revoked ? "revoked" : "expired";
        if (delete) {
            rc = run->dry ? CC_OK : certstore_remove(st, h->id, cause);
            if (rc == CC_OK)
                rc = note(r, t ? t->display_name : h->template_cn, "removed", 0, h->serial,
                          "the certificate was %s; the template says to delete it", what);
        } else {
            rc = archive_cert(st, run, h->id, cause);
            if (rc == CC_OK)
                rc = note(r, t ? t->display_name : h->template_cn, "archived", 0, h->serial,
                          "the certificate was %s: archived in the Personal store", what);
        }
        h->usable = 0;
    }
    return rc;
}

/*
 * Steps 1-4 of one pass of the pulse for principal p into out (see struct
 * pulse_run): what the policy in force says, pending fetch, store
 * management, then each template.
 */
static int
pulse_pass(const struct cc_ctx *cx, struct pulse_run *run, const struct dir_principal *p,
           const char *qualified, struct pulse_report *out, char **cause)
{
    struct store *st = cx->st;
    struct template *all = NULL;
    size_t nall = 0, nheld = 0;
    struct held_cert *held = NULL;
    struct strlist enabled = {0}, fresh = {0};
    int64_t *tok = NULL;
    size_t ntok = 0;
    struct gpo_settings eff = {0};
    int rc;

    out->principal = p->id;
    out->principal_name = cc_strdup(qualified);
    out->at = ctx_now(cx);
    if ((rc = gpo_effective(st, p->id, &eff, &out->source, cause)) != CC_OK)
        goto out;
    out->policy = gpo_policy_bits(&eff);
    const char *context = p->kind == DIR_COMPUTER ? "computer" : "user";
    if (eff.model == AE_DISABLED) {
        rc = note(out, "", "none", 0, NULL,
                  "autoenrollment is disabled for the %s by group policy '%s'", context,
                  out->source ? out->source : "?");
        goto out;
    }
    if (eff.model != AE_ENABLED || !(eff.renew || eff.update)) {
        rc = note(out, "", "none", 0, NULL,
                  "no group policy enables autoenrollment for this %s (link a GPO with "
                  "'certcon gpo autoenroll NAME --enable --update' to %s or its OU)",
                  context, "the domain");
        goto out;
    }
    if (!authority_exists(st)) {
        rc = note(out, "", "none", 0, NULL, "there is no enterprise CA to enroll with");
        goto out;
    }
    if ((rc = dir_token(st, p->id, &tok, &ntok, cause)) != CC_OK ||
        (rc = template_list(st, &all, &nall, cause)) != CC_OK ||
        (rc = authority_templates(st, &enabled, cause)) != CC_OK ||
        (rc = load_held(cx, p->id, out->at, &held, &nheld, cause)) != CC_OK)
        goto out;
    if (eff.renew && ((rc = fetch_pending(st, p->id, out, cause)) != CC_OK ||
                      (rc = tidy_store(cx, run, held, nheld, all, nall, out, cause)) != CC_OK))
        goto out;
    if (eff.update) {
        for (size_t i = 0; rc == CC_OK && i < nall; i++) {
            /* machine templates for computers, the others for users */
            if (template_is_machine(&all[i]) != (p->kind == DIR_COMPUTER))
                continue;
            rc = pulse_template(cx, run, p, qualified, tok, ntok, &all[i], all, nall, &enabled,
                                held, nheld, &fresh, out, cause);
        }
    } else if (eff.renew) {
        /* without the template check only certificates already held are renewed */
        for (size_t i = 0; rc == CC_OK && i < nheld; i++) {
            if (!held[i].usable)
                continue;
            for (size_t k = 0; k < nall; k++) {
                if (strcasecmp(all[k].cn, held[i].template_cn) != 0)
                    continue;
                struct ae_held state = {1, held[i].not_before, held[i].not_after, held[i].major};
                const char *why;
                enum ae_action act = autoenroll_decide(&all[k], &state, out->at, &why);
                if (act == AE_ACT_RENEW || act == AE_ACT_REENROLL)
                    rc = enroll_one(cx, run, p, &all[k], "renewed", &held[i], &fresh, out, why,
                                    cause);
                else
                    rc = note(out, all[k].display_name, "none", 0, held[i].serial, "%s", why);
            }
        }
    }
out:
    free(tok);
    held_free(held, nheld);
    template_list_free(all, nall);
    strlist_free(&enabled);
    strlist_free(&fresh);
    return rc;
}

int
autoenroll_pulse(const struct cc_ctx *cx, const char *principal, const char *ca_passphrase,
                 struct pulse_report *out, char **cause)
{
    struct store *st = cx->st;
    struct dir_principal p = {0};
    memset(out, 0, sizeof *out);
    int rc = dir_lookup(st, principal, &p, cause);
    if (rc != CC_OK)
        return rc;
    if (p.kind != DIR_USER && p.kind != DIR_COMPUTER) {
        rc =
            cc_fail(cause, CC_EINVAL, "%s is a group: only computers and users autoenroll", p.name);
        dir_principal_free(&p);
        return rc;
    }
    struct authz_target who = {.principal = p.id};
    if ((rc = authz_check(cx, AUTHZ_RUN_AS, &who, cause)) != CC_OK) {
        dir_principal_free(&p);
        return rc;
    }
    char *qualified = dir_qualified_name(st, &p);
    /* the pulse runs as the computer or user itself, in a context of its own */
    struct cc_ctx as;
    rc = ctx_init_as(&as, cx, p.id, qualified ? qualified : p.name);
    struct pulse_run run = {.passphrase = ca_passphrase, .dry = 1};
    /* the first pass prepares, writing nothing; its report is not kept */
    if (rc == CC_OK && store_depth(st) == 0) {
        struct pulse_report plan = {0};
        rc = pulse_pass(&as, &run, &p, qualified, &plan, cause);
        pulse_report_free(&plan);
    }
    run.dry = 0;
    if (rc == CC_OK && (rc = store_begin(st, cause)) == CC_OK) {
        rc = pulse_pass(&as, &run, &p, qualified, out, cause);
        if (rc == CC_OK)
            rc = record_pulse(st, out, cause);
        rc = store_finish(st, rc, cause);
    }
    pulse_run_free(&run);
    ctx_free(&as);
    if (rc != CC_OK)
        pulse_report_free(out);
    free(qualified);
    dir_principal_free(&p);
    return rc;
}

int
autoenroll_restart(const struct cc_ctx *cx, enum ae_start how, const char *principal,
                   const char *ca_passphrase, struct pulse_report *out, char **cause)
{
    struct store *st = cx->st;
    memset(out, 0, sizeof *out);
    int rc;
    if (how == AE_START_RESTART) {
        rc = dir_restart(cx, principal, cause);
    } else {
        struct dir_principal p = {0};
        rc = dir_lookup(st, principal, &p, cause);
        if (rc == CC_OK && p.kind != DIR_USER)
            rc = cc_fail(cause, CC_EINVAL, "%s is a %s; only users log on", p.name,
                         dir_kind_name(p.kind));
        dir_principal_free(&p);
    }
    if (rc != CC_OK)
        return rc;
    /* a computer runs an autoenrollment pulse when it starts, a user at logon */
    return autoenroll_pulse(cx, principal, ca_passphrase, out, cause);
}

int
pulse_report_failed(const struct pulse_report *r)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->v[i].action, "failed") == 0)
            return 1;
    return 0;
}

int
autoenroll_last_pulse(struct store *st, const char *principal, struct pulse_report *out,
                      char **cause)
{
    struct dir_principal p = {0};
    memset(out, 0, sizeof *out);
    int rc = dir_lookup(st, principal, &p, cause);
    if (rc != CC_OK)
        return rc;
    struct store_stmt *q;
    if ((rc = store_prepare(st,
                            "SELECT id, at, policy, source FROM pulse WHERE principal_id = ? "
                            "ORDER BY id DESC LIMIT 1",
                            &q, cause)) != CC_OK)
        goto out;
    store_bind_int64(q, 1, p.id);
    if (store_step(q, NULL) != STORE_ROW) {
        store_finalize(q);
        rc = cc_fail(cause, CC_ENOTFOUND, "%s has not run an autoenrollment pulse yet", p.name);
        goto out;
    }
    out->id = store_col_int64(q, 0);
    out->at = (time_t)store_col_int64(q, 1);
    out->policy = (unsigned)store_col_int64(q, 2);
    out->source = strdup(store_col_text(q, 3));
    out->principal = p.id;
    out->principal_name = dir_qualified_name(st, &p);
    store_finalize(q);
    if ((rc = store_prepare(st,
                            "SELECT template, action, reason, request_id, serial FROM pulse_item "
                            "WHERE pulse_id = ? ORDER BY pos",
                            &q, cause)) != CC_OK)
        goto out;
    store_bind_int64(q, 1, out->id);
    while (rc == CC_OK && store_step(q, NULL) == STORE_ROW)
        rc = note(out, store_col_text(q, 0), store_col_text(q, 1), store_col_int64(q, 3),
                  store_col_text(q, 4), "%s", store_col_text(q, 2));
    store_finalize(q);
out:
    if (rc != CC_OK)
        pulse_report_free(out);
    dir_principal_free(&p);
    return rc;
}
