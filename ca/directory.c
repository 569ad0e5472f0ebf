/*
 * The directory: principals (users, computers, groups and the implicit
 * well-known groups), nested group membership and the tokens that access
 * checks use. Membership is stored as direct edges; a token is their
 * transitive closure, computed with a recursive query, so nesting depth and
 * cycles cost nothing special. Computers keep the token taken at their last
 * restart, because on Windows a new group membership reaches a server's
 * Kerberos ticket only after it restarts.
 */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit.h"
#include "authz.h"
#include "clock.h"
#include "context.h"
#include "directory.h"
#include "oids.h"
#include "status.h"
#include "util.h"

#define SID_AUTHENTICATED_USERS "S-1-5-11"
#define SID_ENTERPRISE_DCS      "S-1-5-9"

static const char *const kind_names[] = {"", "user", "computer", "group", "group"};

const char *
dir_kind_name(enum dir_kind kind)
{
    return kind >= DIR_USER && kind <= DIR_WELLKNOWN ? kind_names[kind] : "?";
}

void
dir_principal_free(struct dir_principal *p)
{
    free(p->name);
    free(p->sam);
    free(p->display);
    free(p->upn);
    free(p->mail);
    free(p->dns);
    strlist_free(&p->extra_dns);
    free(p->description);
    free(p->sid);
    free(p->guid);
    free(p->ou);
    free(p->container);
    memset(p, 0, sizeof *p);
}

void
dir_domain_free(struct dir_domain *d)
{
    free(d->dns);
    free(d->netbios);
    free(d->sid);
    free(d->forest_oid);
    memset(d, 0, sizeof *d);
}

/* ---- reading rows ------------------------------------------------------ */

#define PRINCIPAL_COLUMNS                                                                          \
    "id, kind, name, sam, display, upn, mail, dns, extra_dns, description, sid, guid, "            \
    "is_dc, builtin, ou, container"

static char *
col_text(struct store_stmt *q, int i)
{
    const char *s = store_col_text(q, i);
    return s ? strdup(s) : NULL;
}

static int
row_to_principal(struct store_stmt *q, struct dir_principal *p)
{
    memset(p, 0, sizeof *p);
    p->id = store_col_int64(q, 0);
    p->kind = (enum dir_kind)store_col_int(q, 1);
    p->name = col_text(q, 2);
    p->sam = col_text(q, 3);
    p->display = col_text(q, 4);
    p->upn = col_text(q, 5);
    p->mail = col_text(q, 6);
    p->dns = col_text(q, 7);
    const char *extra = store_col_text(q, 8);
    p->description = col_text(q, 9);
    p->sid = col_text(q, 10);
    p->guid = col_text(q, 11);
    p->is_dc = store_col_int(q, 12);
    p->builtin = store_col_int(q, 13);
    p->ou = col_text(q, 14);
    if (p->ou == NULL)
        p->ou = strdup("");
    p->container = col_text(q, 15);
    if (p->container == NULL)
        p->container = strdup("");
    if (p->ou == NULL || p->container == NULL || p->name == NULL || p->sam == NULL ||
        p->sid == NULL || p->guid == NULL ||
        strlist_split(&p->extra_dns, extra ? extra : "", "\n") != CC_OK) {
        dir_principal_free(p);
        return CC_ENOMEM;
    }
    return CC_OK;
}

/* Runs a prepared query and collects every row as a principal. */
static int
collect(struct store *st, struct store_stmt *q, struct dir_principal **out, size_t *n, char **cause)
{
    struct dir_principal *v = NULL;
    size_t count = 0;
    int rc = CC_OK, step;
    while ((step = store_step(q, NULL)) == STORE_ROW) {
        struct dir_principal *nv = realloc(v, (count + 1) * sizeof *nv);
        if (nv == NULL) {
            rc = CC_ENOMEM;
            break;
        }
        v = nv;
        if ((rc = row_to_principal(q, &v[count])) != CC_OK)
            break;
        count++;
    }
    if (rc == CC_OK && step != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    if (rc != CC_OK) {
        dir_list_free(v, count);
        return rc;
    }
    *out = v;
    *n = count;
    return CC_OK;
}

void
dir_list_free(struct dir_principal *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dir_principal_free(&list[i]);
    free(list);
}

/* ---- domain -------------------------------------------------------------- */

int
dir_domain_get(struct store *st, struct dir_domain *out, char **cause)
{
    memset(out, 0, sizeof *out);
    if (store_meta_get(st, "domain_dns", &out->dns) != CC_OK ||
        store_meta_get(st, "domain_netbios", &out->netbios) != CC_OK ||
        store_meta_get(st, "domain_sid", &out->sid) != CC_OK ||
        store_meta_get(st, "forest_oid", &out->forest_oid) != CC_OK) {
        dir_domain_free(out);
        return cc_fail(cause, CC_ENOTFOUND, "the database has no domain: run 'certcon init'");
    }
    return CC_OK;
}

static int
random_guid(char *buf, size_t size)
{
    unsigned char b[16];
    if (cc_random(b, sizeof b) != CC_OK)
        return CC_EIO;
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(buf, size,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
    return CC_OK;
}

struct new_principal {
    enum dir_kind kind;
    const char *name, *sam, *display, *upn, *mail, *dns, *extra_dns, *description, *sid, *ou;
    int is_dc, builtin;
};

/* Names which unique attribute a new principal collides on, and with whom. */
static int
explain_taken(struct store *st, const struct new_principal *np, char **cause)
{
    static const struct {
        const char *column, *what;
    } keys[] = {{"name", "name"}, {"sam", "logon name"}, {"upn", "user principal name"},
                {"dns", "DNS name"}};
    const char *values[] = {np->name, np->sam, np->upn, np->dns};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (values[i] == NULL)
            continue;
        char *sql = cc_asprintf("SELECT name FROM principal WHERE %s = ?", keys[i].column);
        struct store_stmt *q;
        if (sql == NULL || store_prepare(st, sql, &q, NULL) != CC_OK) {
            free(sql);
            continue;
        }
        free(sql);
        store_bind_text(q, 1, values[i]);
        int rc = CC_OK;
        if (store_step(q, NULL) == STORE_ROW)
            rc = cc_fail(cause, CC_EEXIST, "the %s '%s' is already used by %s", keys[i].what,
                         values[i], store_col_text(q, 0));
        store_finalize(q);
        if (rc != CC_OK)
            return rc;
    }
    return cc_fail(cause, CC_EEXIST, "the name '%s' is already in use in the directory",
                   np->name);
}

static int
insert_principal(const struct cc_ctx *cx, const struct new_principal *np, int64_t *id, char **cause)
{
    struct store *st = cx->st;
    char guid[40];
    if (random_guid(guid, sizeof guid) != CC_OK)
        return cc_fail(cause, CC_EIO, "no random source for the object GUID");
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "INSERT INTO principal (kind, name, sam, display, upn, mail, dns, "
                           "extra_dns, description, sid, guid, is_dc, builtin, created, ou) "
                           "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int(q, 1, np->kind);
    store_bind_text(q, 2, np->name);
    store_bind_text(q, 3, np->sam);
    store_bind_text(q, 4, np->display);
    store_bind_text(q, 5, np->upn);
    store_bind_text(q, 6, np->mail);
    store_bind_text(q, 7, np->dns);
    store_bind_text(q, 8, np->extra_dns ? np->extra_dns : "");
    store_bind_text(q, 9, np->description);
    store_bind_text(q, 10, np->sid);
    store_bind_text(q, 11, guid);
    store_bind_int(q, 12, np->is_dc);
    store_bind_int(q, 13, np->builtin);
    store_bind_int64(q, 14, (int64_t)ctx_now(cx));
    store_bind_text(q, 15, np->ou ? np->ou : "");
    int step = store_step(q, NULL);
    if (step == CC_ECONSTRAINT)
        rc = explain_taken(st, np, cause);
    else if (step != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    if (rc == CC_OK && id != NULL)
        *id = store_last_id(st);
    return rc;
}

static int
add_edge(struct store *st, int64_t group, int64_t member, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st, "INSERT INTO membership (group_id, member_id) VALUES (?, ?)",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, group);
    store_bind_int64(q, 2, member);
    if (store_step(q, NULL) != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    return rc;
}

static int
id_by_sid(struct store *st, const char *sid, int64_t *id)
{
    struct store_stmt *q;
    int rc = store_prepare(st, "SELECT id FROM principal WHERE sid = ?", &q, NULL);
    if (rc != CC_OK)
        return rc;
    store_bind_text(q, 1, sid);
    rc = CC_ENOTFOUND;
    if (store_step(q, NULL) == STORE_ROW) {
        *id = store_col_int64(q, 0);
        rc = CC_OK;
    }
    store_finalize(q);
    return rc;
}

static int
id_by_rid(struct store *st, int rid, int64_t *id)
{
    char *dsid = NULL;
    if (store_meta_get(st, "domain_sid", &dsid) != CC_OK)
        return CC_ENOTFOUND;
    char *sid = cc_asprintf("%s-%d", dsid, rid);
    free(dsid);
    if (sid == NULL)
        return CC_ENOMEM;
    int rc = id_by_sid(st, sid, id);
    free(sid);
    return rc;
}

/* The built-in groups AD creates and that default template ACLs name. */
static const struct {
    int rid; /* 0: a well-known SID outside the domain */
    const char *sid;
    const char *name;
    const char *description;
} builtin_groups[] = {
    {RID_DOMAIN_ADMINS, NULL, "Domain Admins", "Designated administrators of the domain"},
    {RID_DOMAIN_USERS, NULL, "Domain Users", "All domain users"},
    {514, NULL, "Domain Guests", "All domain guests"},
    {RID_DOMAIN_COMPUTERS, NULL, "Domain Computers",
     "All workstations and servers joined to the domain"},
    {RID_DOMAIN_CONTROLLERS, NULL, "Domain Controllers", "All domain controllers in the domain"},
    {517, NULL, "Cert Publishers",
     "Members of this group are permitted to publish certificates to the directory"},
    {518, NULL, "Schema Admins", "Designated administrators of the schema"},
    {RID_ENTERPRISE_ADMINS, NULL, "Enterprise Admins",
     "Designated administrators of the enterprise"},
    {498, NULL, "Enterprise Read-only Domain Controllers",
     "Members of this group are Read-Only Domain Controllers in the enterprise"},
    {553, NULL, "RAS and IAS Servers",
     "Servers in this group can access remote access properties of users"},
    {0, SID_AUTHENTICATED_USERS, "Authenticated Users",
     "Every account that has signed in (implicit)"},
    {0, SID_ENTERPRISE_DCS, "Enterprise Domain Controllers",
     "Every domain controller in the forest (implicit)"},
};

static int
random_domain_sid(char *buf, size_t size)
{
    uint32_t r[3];
    if (cc_random(r, sizeof r) != CC_OK)
        return CC_EIO;
    snprintf(buf, size, "S-1-5-21-%u-%u-%u", r[0] % 4000000000u, r[1] % 4000000000u,
             r[2] % 4000000000u);
    return CC_OK;
}

static int
random_forest_oid(char *buf, size_t size)
{
    uint32_t r[6];
    if (cc_random(r, sizeof r) != CC_OK)
        return CC_EIO;
    snprintf(buf, size, "1.3.6.1.4.1.311.21.8.%u.%u.%u.%u.%u.%u", r[0] & 0xFFFFFF,
             r[1] & 0xFFFFFF, r[2] & 0xFFFFFF, r[3] & 0xFFFFFF, r[4] & 0xFFFFFF, r[5] & 0xFF);
    return CC_OK;
}

static int
valid_dns_name(const char *s)
{
    size_t len = strlen(s), label = 0;
    if (len == 0 || len > 253 || s[0] == '.' || s[len - 1] == '.')
        return 0;
    for (const char *p = s; *p; p++) {
        if (*p == '.') {
            if (label == 0 || p[-1] == '-')
                return 0;
            label = 0;
            continue;
        }
        if (!(isalnum((unsigned char)*p) || *p == '-') || (label == 0 && *p == '-'))
            return 0;
        if (++label > 63)
            return 0;
    }
    return 1;
}

static int
valid_netbios(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > 15)
        return 0;
    for (const char *p = s; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-'))
            return 0;
    return 1;
}

int
dir_domain_create(const struct cc_ctx *cx, const char *dns, const char *netbios,
                  const char *domain_sid, const char *forest_oid, char **cause)
{
    struct store *st = cx->st;
    char sidbuf[64], oidbuf[128];
    if (!valid_dns_name(dns) || strchr(dns, '.') == NULL)
        return cc_fail(cause, CC_EINVAL,
                       "domain: '%s' is not a DNS domain name (e.g. contoso.com)", dns);
    if (!valid_netbios(netbios))
        return cc_fail(cause, CC_EINVAL,
                       "NetBIOS name: '%s' must be 1 to 15 letters, digits or hyphens", netbios);
    if (domain_sid == NULL) {
        if (random_domain_sid(sidbuf, sizeof sidbuf) != CC_OK)
            return cc_fail(cause, CC_EIO, "no random source");
        domain_sid = sidbuf;
    } else if (strncmp(domain_sid, "S-1-5-21-", 9) != 0) {
        return cc_fail(cause, CC_EINVAL, "domain SID: '%s' must start with S-1-5-21-",
                       domain_sid);
    }
    if (forest_oid == NULL) {
        if (random_forest_oid(oidbuf, sizeof oidbuf) != CC_OK)
            return cc_fail(cause, CC_EIO, "no random source");
        forest_oid = oidbuf;
    } else if (!oid_is_valid(forest_oid)) {
        return cc_fail(cause, CC_EINVAL, "forest OID: '%s' is not an object identifier",
                       forest_oid);
    }
    char *upper = strdup(netbios);
    if (upper == NULL)
        return CC_ENOMEM;
    for (char *p = upper; *p; p++)
        *p = (char)toupper((unsigned char)*p);

    int rc = store_begin(st, cause);
    if (rc != CC_OK) {
        free(upper);
        return rc;
    }
    char *existing = NULL;
    if (store_meta_get(st, "domain_dns", &existing) == CC_OK) {
        rc = cc_fail(cause, CC_EEXIST, "the database already holds the domain %s", existing);
        free(existing);
        goto out;
    }
    if ((rc = store_exec(st, "INSERT INTO ou (name, description) VALUES ('Domain Controllers', "
                             "'Default container for domain controllers')",
                         cause)) != CC_OK ||
        (rc = store_meta_set(st, "domain_dns", dns, cause)) != CC_OK ||
        (rc = store_meta_set(st, "domain_netbios", upper, cause)) != CC_OK ||
        (rc = store_meta_set(st, "domain_sid", domain_sid, cause)) != CC_OK ||
        (rc = store_meta_set(st, "forest_oid", forest_oid, cause)) != CC_OK ||
        (rc = store_meta_set(st, "next_rid", "1100", cause)) != CC_OK)
        goto out;
    for (size_t i = 0; i < sizeof builtin_groups / sizeof builtin_groups[0]; i++) {
        char sid[96];
        if (builtin_groups[i].rid != 0)
            snprintf(sid, sizeof sid, "%s-%d", domain_sid, builtin_groups[i].rid);
        else
            snprintf(sid, sizeof sid, "%s", builtin_groups[i].sid);
        struct new_principal np = {
            .kind = builtin_groups[i].rid ? DIR_GROUP : DIR_WELLKNOWN,
            .name = builtin_groups[i].name,
            .sam = builtin_groups[i].name,
            .description = builtin_groups[i].description,
            .sid = sid,
            .builtin = 1,
        };
        if ((rc = insert_principal(cx, &np, NULL, cause)) != CC_OK)
            goto out;
    }
    /* Administrator: the root domain administrator */
    {
        char sid[96], upn[300];
        snprintf(sid, sizeof sid, "%s-%d", domain_sid, RID_ADMINISTRATOR);
        snprintf(upn, sizeof upn, "Administrator@%s", dns);
        struct new_principal np = {
            .kind = DIR_USER,
            .name = "Administrator",
            .sam = "Administrator",
            .display = "Administrator",
            .upn = upn,
            .description = "Built-in account for administering the computer/domain",
            .sid = sid,
            .builtin = 1,
        };
        int64_t admin, g;
        if ((rc = insert_principal(cx, &np, &admin, cause)) != CC_OK)
            goto out;
        static const int admin_groups[] = {RID_DOMAIN_ADMINS, RID_ENTERPRISE_ADMINS, 518,
                                           RID_DOMAIN_USERS};
        for (size_t i = 0; i < sizeof admin_groups / sizeof admin_groups[0]; i++) {
            if ((rc = id_by_rid(st, admin_groups[i], &g)) != CC_OK ||
                (rc = add_edge(st, g, admin, cause)) != CC_OK)
                goto out;
        }
    }
    rc = audit_record(cx, "domain", dns, "create", NULL, upper, cause);
out:
    free(upper);
    return store_finish(st, rc, cause);
}

/* ---- lookup -------------------------------------------------------------- */

static int
all_names(struct store *st, struct strlist *names)
{
    struct store_stmt *q;
    int rc = store_prepare(st, "SELECT name FROM principal ORDER BY name", &q, NULL);
    if (rc != CC_OK)
        return rc;
    while (rc == CC_OK && store_step(q, NULL) == STORE_ROW)
        rc = strlist_add(names, store_col_text(q, 0));
    store_finalize(q);
    return rc;
}

static int
not_found(struct store *st, const char *name, const char *bare, char **cause)
{
    struct strlist names = {0};
    char *hint = NULL;
    /* suggest from the account part: "CONTOSO\SERVR1$" is near SERVER1 */
    char *want = strdup(bare);
    size_t len = want ? strlen(want) : 0;
    if (len > 1 && want[len - 1] == '$')
        want[len - 1] = '\0';
    if (want != NULL && all_names(st, &names) == CC_OK)
        hint = cc_nearest(want, &names);
    free(want);
    strlist_free(&names);
    int rc = cc_fail(cause, CC_ENOTFOUND, "no principal named '%s' in the directory%s%s", name,
                     hint ? ". " : "", hint ? hint : "");
    free(hint);
    return rc;
}

int
dir_lookup(struct store *st, const char *name, struct dir_principal *out, char **cause)
{
    const char *bare = name;
    const char *slash = strchr(name, '\\');
    int nt_authority = 0;
    memset(out, 0, sizeof *out);
    if (slash != NULL) {
        struct dir_domain d;
        if (dir_domain_get(st, &d, cause) != CC_OK)
            return CC_ENOTFOUND;
        size_t n = (size_t)(slash - name);
        nt_authority = n == 12 && strncasecmp(name, "NT AUTHORITY", 12) == 0;
        int ours = (strlen(d.netbios) == n && strncasecmp(d.netbios, name, n) == 0) ||
                   (strlen(d.dns) == n && strncasecmp(d.dns, name, n) == 0) || nt_authority;
        dir_domain_free(&d);
        if (!ours)
            return cc_fail(cause, CC_ENOTFOUND, "'%s' names a domain this directory does not "
                                                "hold",
                           name);
        bare = slash + 1;
    }
    if (*bare == '\0')
        return cc_fail(cause, CC_EINVAL, "an empty principal name");
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT " PRINCIPAL_COLUMNS " FROM principal "
                           "WHERE name = ?1 OR sam = ?1 OR sam = ?1 || '$' OR sid = ?1 "
                           "OR upn = ?1 OR dns = ?1 "
                           "ORDER BY (name = ?1) DESC LIMIT 1",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_text(q, 1, bare);
    int step = store_step(q, NULL);
    /* NT AUTHORITY\ names only the well-known groups, never a domain account */
    if (step == STORE_ROW && nt_authority && store_col_int(q, 1) != DIR_WELLKNOWN)
        step = STORE_DONE;
    if (step == STORE_ROW)
        rc = row_to_principal(q, out);
    else if (step == STORE_DONE)
        rc = not_found(st, name, bare, cause);
    else
        rc = store_error(st, cause);
    store_finalize(q);
    return rc;
}

int
dir_get(struct store *st, int64_t id, struct dir_principal *out, char **cause)
{
    struct store_stmt *q;
    memset(out, 0, sizeof *out);
    int rc = store_prepare(st, "SELECT " PRINCIPAL_COLUMNS " FROM principal WHERE id = ?", &q,
                           cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, id);
    if (store_step(q, NULL) == STORE_ROW)
        rc = row_to_principal(q, out);
    else
        rc = cc_fail(cause, CC_ENOTFOUND, "no principal with id %lld", (long long)id);
    store_finalize(q);
    return rc;
}

char *
dir_qualified_name(struct store *st, const struct dir_principal *p)
{
    if (p->kind == DIR_WELLKNOWN)
        return cc_asprintf("NT AUTHORITY\\%s", p->name);
    char *nb = NULL;
    if (store_meta_get(st, "domain_netbios", &nb) != CC_OK)
        return cc_strdup(p->sam);
    char *out = cc_asprintf("%s\\%s", nb, p->sam);
    free(nb);
    return out;
}

/* ---- changing the directory ---------------------------------------------- */

int
dir_require_admin(const struct cc_ctx *cx, const char *what, char **cause)
{
    struct authz_target t = {.what = what};
    return authz_check(cx, AUTHZ_DIRECTORY, &t, cause);
}

static int
valid_account_name(const char *s, size_t max, char **cause, const char *what)
{
    size_t len = strlen(s);
    if (len == 0 || len > max)
        return cc_fail(cause, CC_EINVAL, "%s name: '%s' must be 1 to %zu characters", what, s,
                       max);
    if (s[0] == ' ' || s[len - 1] == ' ' || s[len - 1] == '.')
        return cc_fail(cause, CC_EINVAL,
                       "%s name: '%s' must not start or end with a blank or end with a dot",
                       what, s);
    for (const char *p = s; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f || strchr("\"/\\[]:;|=,+*?<>@", *p))
            return cc_fail(cause, CC_EINVAL,
                           "%s name: '%s' holds a character AD does not allow in names "
                           "(\" / \\ [ ] : ; | = , + * ? < > @ or a control character)",
                           what, s);
    }
    return CC_OK;
}

static int
valid_mail(const char *s)
{
    const char *at = strchr(s, '@');
    if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
        return 0;
    for (const char *p = s; p < at; p++)
        if ((unsigned char)*p <= 0x20 || *p == 0x7f)
            return 0;
    return valid_dns_name(at + 1);
}

static int
next_sid(struct store *st, char **sid, char **cause)
{
    char *dsid = NULL, *rid = NULL;
    int rc;
    if ((rc = store_meta_get(st, "domain_sid", &dsid)) != CC_OK ||
        (rc = store_meta_get(st, "next_rid", &rid)) != CC_OK) {
        free(dsid);
        return cc_fail(cause, rc, "the database has no domain: run 'certcon init'");
    }
    long n = strtol(rid, NULL, 10);
    char next[32];
    snprintf(next, sizeof next, "%ld", n + 1);
    *sid = cc_asprintf("%s-%ld", dsid, n);
    free(dsid);
    free(rid);
    if (*sid == NULL)
        return CC_ENOMEM;
    return store_meta_set(st, "next_rid", next, cause);
}

/* Adds to the group with that RID (primary group) */
static int
add_to_rid(struct store *st, int rid, int64_t member, char **cause)
{
    int64_t g;
    if (id_by_rid(st, rid, &g) != CC_OK)
        return cc_fail(cause, CC_ENOTFOUND, "the built-in group with RID %d is missing", rid);
    return add_edge(st, g, member, cause);
}

int
dir_add_user(const struct cc_ctx *cx, const char *name, const char *upn, const char *mail,
             const char *display, int64_t *id, char **cause)
{
    return dir_add_user_cn(cx, name, name, upn, mail, display, id, cause);
}

int
dir_add_user_cn(const struct cc_ctx *cx, const char *cn, const char *name, const char *upn,
                const char *mail, const char *display, int64_t *id, char **cause)
{
    struct store *st = cx->st;
    int rc = valid_account_name(name, 20, cause, "user");
    if (rc != CC_OK)
        return rc;
    if (cn == NULL || *cn == '\0')
        cn = name;
    if ((rc = valid_account_name(cn, 64, cause, "user full")) != CC_OK)
        return rc;
    if (upn != NULL && !valid_mail(upn))
        return cc_fail(cause, CC_EINVAL, "UPN: '%s' must look like name@contoso.com", upn);
    if (mail != NULL && !valid_mail(mail))
        return cc_fail(cause, CC_EINVAL, "e-mail: '%s' must look like name@contoso.com", mail);
    if ((rc = dir_require_admin(cx, "add a user", cause)) != CC_OK)
        return rc;
    if ((rc = store_begin(st, cause)) != CC_OK)
        return rc;
    char *sid = NULL, *defupn = NULL;
    if (upn == NULL) {
        char *dns = NULL;
        if (store_meta_get(st, "domain_dns", &dns) == CC_OK)
            defupn = cc_asprintf("%s@%s", name, dns);
        free(dns);
        upn = defupn;
    }
    int64_t uid = 0;
    if ((rc = next_sid(st, &sid, cause)) == CC_OK) {
        struct new_principal np = {.kind = DIR_USER,
                                   .name = cn,
                                   .sam = name,
                                   .display = display ? display : cn,
                                   .upn = upn,
                                   .mail = mail,
                                   .sid = sid};
        rc = insert_principal(cx, &np, &uid, cause);
    }
    if (rc == CC_OK)
        rc = add_to_rid(st, RID_DOMAIN_USERS, uid, cause);
    if (rc == CC_OK)
        rc = audit_record(cx, "user", cn, "create", NULL, upn, cause);
    free(sid);
    free(defupn);
    if (rc != CC_OK) {
        store_rollback(st);
        return rc;
    }
    if (id != NULL)
        *id = uid;
    return store_commit(st, cause);
}

static int take_token(const struct cc_ctx *cx, int64_t principal, char **cause);

int
dir_add_computer(const struct cc_ctx *cx, const char *name, const char *dns,
                 const struct strlist *extra_dns, int is_dc, int64_t *id, char **cause)
{
    struct store *st = cx->st;
    int rc;
    const char *bare = name;
    char *trimmed = NULL;
    size_t len = strlen(name);
    if (len > 0 && name[len - 1] == '$') {
        trimmed = strndup(name, len - 1);
        if (trimmed == NULL)
            return CC_ENOMEM;
        bare = trimmed;
    }
    if (!valid_netbios(bare)) {
        rc = cc_fail(cause, CC_EINVAL,
                     "computer name: '%s' must be 1 to 15 letters, digits or hyphens", name);
        free(trimmed);
        return rc;
    }
    char *defdns = NULL;
    if (dns == NULL) {
        char *domain = NULL;
        if (store_meta_get(st, "domain_dns", &domain) == CC_OK)
            defdns = cc_asprintf("%s.%s", bare, domain);
        free(domain);
        if (defdns != NULL)
            for (char *p = defdns; *p; p++)
                *p = (char)tolower((unsigned char)*p);
        dns = defdns;
    }
    if (dns != NULL && !valid_dns_name(dns)) {
        rc = cc_fail(cause, CC_EINVAL, "DNS name: '%s' is not a fully qualified domain name",
                     dns);
        goto early;
    }
    for (size_t i = 0; extra_dns != NULL && i < extra_dns->n; i++) {
        if (!valid_dns_name(extra_dns->v[i])) {
            rc = cc_fail(cause, CC_EINVAL,
                         "DNS name: '%s' is not a fully qualified domain name",
                         extra_dns->v[i]);
            goto early;
        }
    }
    if ((rc = dir_require_admin(cx, "add a computer", cause)) != CC_OK)
        goto early;
    if ((rc = store_begin(st, cause)) != CC_OK)
        goto early;
    char *upper = strdup(bare), *sam = NULL, *sid = NULL, *extra = NULL;
    if (upper == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    for (char *p = upper; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    sam = cc_asprintf("%s$", upper);
    struct strlist none = {0};
    extra = strlist_join(extra_dns ? extra_dns : &none, "\n");
    if (sam == NULL || extra == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    int64_t cid = 0;
    if ((rc = next_sid(st, &sid, cause)) != CC_OK)
        goto out;
    struct new_principal np = {.kind = DIR_COMPUTER, .name = upper, .sam = sam, .dns = dns,
                               .extra_dns = extra, .sid = sid, .is_dc = is_dc,
                               .ou = is_dc ? "Domain Controllers" : ""};
    if ((rc = insert_principal(cx, &np, &cid, cause)) != CC_OK)
        goto out;
    rc = add_to_rid(st, is_dc ? RID_DOMAIN_CONTROLLERS : RID_DOMAIN_COMPUTERS, cid, cause);
    /* a computer joins and boots: its first token is taken now */
    if (rc == CC_OK)
        rc = take_token(cx, cid, cause);
    if (rc == CC_OK)
        rc = audit_record(cx, "computer", upper, "create", NULL, dns, cause);
    if (rc == CC_OK && id != NULL)
        *id = cid;
out:
    free(upper);
    free(sam);
    free(sid);
    free(extra);
    rc = store_finish(st, rc, cause);
early:
    free(trimmed);
    free(defdns);
    return rc;
}

int
dir_add_group(const struct cc_ctx *cx, const char *name, const char *description, int64_t *id,
              char **cause)
{
    struct store *st = cx->st;
    int rc = valid_account_name(name, 64, cause, "group");
    if (rc != CC_OK)
        return rc;
    if ((rc = dir_require_admin(cx, "add a group", cause)) != CC_OK)
        return rc;
    if ((rc = store_begin(st, cause)) != CC_OK)
        return rc;
    char *sid = NULL;
    int64_t gid = 0;
    if ((rc = next_sid(st, &sid, cause)) == CC_OK) {
        struct new_principal np = {.kind = DIR_GROUP, .name = name, .sam = name,
                                   .description = description, .sid = sid};
        rc = insert_principal(cx, &np, &gid, cause);
    }
    if (rc == CC_OK)
        rc = audit_record(cx, "group", name, "create", NULL, "Security group - Global", cause);
    free(sid);
    if (rc != CC_OK) {
        store_rollback(st);
        return rc;
    }
    if (id != NULL)
        *id = gid;
    return store_commit(st, cause);
}

/* Whether group is reachable from start by membership edges (start included). */
static int
reaches(struct store *st, int64_t start, int64_t group)
{
    struct store_stmt *q;
    if (store_prepare(st,
                      "WITH RECURSIVE g(id) AS (SELECT ?1 UNION "
                      "SELECT m.group_id FROM membership m JOIN g ON m.member_id = g.id) "
                      "SELECT 1 FROM g WHERE id = ?2",
                      &q, NULL) != CC_OK)
        return 0;
    store_bind_int64(q, 1, start);
    store_bind_int64(q, 2, group);
    int found = store_step(q, NULL) == STORE_ROW;
    store_finalize(q);
    return found;
}

static int
change_member(const struct cc_ctx *cx, const char *group, const char *member, int add, char **cause)
{
    struct store *st = cx->st;
    struct dir_principal g = {0}, m = {0};
    int rc = dir_lookup(st, group, &g, cause);
    if (rc != CC_OK)
        return rc;
    if ((rc = dir_lookup(st, member, &m, cause)) != CC_OK)
        goto out;
    if (g.kind != DIR_GROUP) {
        rc = cc_fail(cause, CC_EINVAL,
                     g.kind == DIR_WELLKNOWN
                         ? "%s is an implicit group: its membership cannot be changed"
                         : "%s is not a group",
                     g.name);
        goto out;
    }
    if (m.kind == DIR_WELLKNOWN) {
        rc = cc_fail(cause, CC_EINVAL, "%s is an implicit group and cannot be a member",
                     m.name);
        goto out;
    }
    if ((rc = dir_require_admin(cx, add ? "add a group member" : "remove a group member", cause)) !=
        CC_OK)
        goto out;
    if (add && reaches(st, g.id, m.id)) {
        rc = cc_fail(cause, CC_EINVAL,
                     g.id == m.id ? "%s cannot be a member of itself"
                                  : "adding %s to %s would make a membership loop",
                     m.name, g.name);
        goto out;
    }
    if ((rc = store_begin(st, cause)) != CC_OK)
        goto out;
    struct store_stmt *q;
    rc = store_prepare(st,
                       add ? "INSERT INTO membership (group_id, member_id) VALUES (?, ?) "
                             "ON CONFLICT DO NOTHING"
                           : "DELETE FROM membership WHERE group_id = ? AND member_id = ?",
                       &q, cause);
    if (rc == CC_OK) {
        store_bind_int64(q, 1, g.id);
        store_bind_int64(q, 2, m.id);
        if (store_step(q, NULL) != STORE_DONE)
            rc = store_error(st, cause);
        else if (store_rows_changed(st) == 0)
            rc = cc_fail(cause, add ? CC_EEXIST : CC_ENOTFOUND,
                         add ? "%s is already a member of %s" : "%s is not a member of %s",
                         m.name, g.name);
        store_finalize(q);
    }
    if (rc == CC_OK)
        rc = audit_record(cx, "group", g.name, add ? "add member" : "remove member",
                          add ? NULL : m.name, add ? m.name : NULL, cause);
    rc = store_finish(st, rc, cause);
out:
    dir_principal_free(&g);
    dir_principal_free(&m);
    return rc;
}

int
dir_add_member(const struct cc_ctx *cx, const char *group, const char *member, char **cause)
{
    return change_member(cx, group, member, 1, cause);
}

int
dir_remove_member(const struct cc_ctx *cx, const char *group, const char *member, char **cause)
{
    return change_member(cx, group, member, 0, cause);
}

int
dir_check_attribute(const char *attribute, const char *value, char **cause)
{
    if (value == NULL || *value == '\0')
        return CC_OK;
    if (strcmp(attribute, "upn") == 0 || strcmp(attribute, "mail") == 0) {
        if (!valid_mail(value))
            return cc_fail(cause, CC_EINVAL, "%s '%s' must look like name@contoso.com",
                           strcmp(attribute, "upn") == 0 ? "The user principal name"
                                                         : "The e-mail address",
                           value);
    } else if (strcmp(attribute, "dns") == 0) {
        if (!valid_dns_name(value))
            return cc_fail(cause, CC_EINVAL,
                           "The DNS name '%s' must be labels of letters, digits and hyphens "
                           "separated by dots, such as server1.contoso.com",
                           value);
    } else if (strcmp(attribute, "extra-dns") == 0) {
        struct strlist l = {0};
        int rc = strlist_split(&l, value, ", ");
        for (size_t k = 0; k < l.n && rc == CC_OK; k++)
            if (!valid_dns_name(l.v[k]))
                rc = cc_fail(cause, CC_EINVAL,
                             "The DNS name '%s' must be labels of letters, digits and hyphens "
                             "separated by dots, such as server1.contoso.com",
                             l.v[k]);
        strlist_free(&l);
        return rc;
    } else if (strcmp(attribute, "container") == 0) {
        if (strcasecmp(value, "Users") != 0 && strcasecmp(value, "Groups") != 0)
            return cc_fail(cause, CC_EINVAL,
                           "container: '%s' is not a container; a group is in Users or Groups",
                           value);
    }
    return CC_OK;
}

int
dir_set_attribute(const struct cc_ctx *cx, const char *principal, const char *attribute,
                  const char *value, char **cause)
{
    struct store *st = cx->st;
    static const struct {
        const char *name, *column;
        unsigned kinds; /* 1 << kind */
    } attrs[] = {
        {"upn", "upn", (1 << DIR_USER) | (1 << DIR_COMPUTER)},
        {"mail", "mail", 1 << DIR_USER},
        {"display", "display", 1 << DIR_USER},
        {"dns", "dns", 1 << DIR_COMPUTER},
        {"extra-dns", "extra_dns", 1 << DIR_COMPUTER},
        {"description", "description", (1 << DIR_USER) | (1 << DIR_COMPUTER) | (1 << DIR_GROUP)},
        {"ou", "ou", (1 << DIR_USER) | (1 << DIR_COMPUTER) | (1 << DIR_GROUP)},
        {"container", "container", 1 << DIR_GROUP},
    };
    size_t i;
    for (i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
        if (strcmp(attrs[i].name, attribute) == 0)
            break;
    if (i == sizeof attrs / sizeof attrs[0])
        return cc_fail(cause, CC_EINVAL,
                       "'%s' is not an attribute: use upn, mail, display, dns, extra-dns, "
                       "description, ou or container",
                       attribute);
    struct dir_principal p = {0};
    int rc = dir_lookup(st, principal, &p, cause);
    if (rc != CC_OK)
        return rc;
    char *stored = NULL;
    if (!(attrs[i].kinds & (1u << p.kind))) {
        rc = cc_fail(cause, CC_EINVAL, "%s is a %s: it has no %s attribute", p.name,
                     dir_kind_name(p.kind), attribute);
        goto out;
    }
    if (value != NULL && *value == '\0')
        value = NULL;
    if ((rc = dir_check_attribute(attribute, value, cause)) != CC_OK)
        goto out;
    if (strcmp(attribute, "container") == 0)
        value = value != NULL && strcasecmp(value, "Users") == 0 ? "Users" : "";
    if (strcmp(attribute, "ou") == 0) {
        if (value == NULL) {
            value = "";
        } else if (dir_ou_exists(st, value, &stored) != CC_OK) {
            rc = cc_fail(cause, CC_ENOTFOUND,
                         "ou: there is no organizational unit '%s' (create it with 'certcon dir "
                         "add-ou')",
                         value);
            goto out;
        } else {
            value = stored;
        }
    }
    if (value != NULL && strcmp(attribute, "extra-dns") == 0) {
        struct strlist l = {0};
        if ((rc = strlist_split(&l, value, ", ")) != CC_OK)
            goto out;
        for (size_t k = 0; k < l.n && rc == CC_OK; k++)
            if (!valid_dns_name(l.v[k]))
                rc = cc_fail(cause, CC_EINVAL, "extra-dns: '%s' is not a DNS name", l.v[k]);
        stored = rc == CC_OK ? strlist_join(&l, "\n") : NULL;
        strlist_free(&l);
        if (rc != CC_OK)
            goto out;
        if (stored == NULL) {
            rc = CC_ENOMEM;
            goto out;
        }
        value = stored;
    }
    if ((rc = dir_require_admin(cx, "change an attribute", cause)) != CC_OK)
        goto out;
    if ((rc = store_begin(st, cause)) != CC_OK)
        goto out;
    char *sql = cc_asprintf("UPDATE principal SET %s = ? WHERE id = ?", attrs[i].column);
    struct store_stmt *q;
    if (sql == NULL) {
        rc = CC_ENOMEM;
    } else if ((rc = store_prepare(st, sql, &q, cause)) == CC_OK) {
        if (value == NULL && strcmp(attrs[i].column, "extra_dns") == 0)
            store_bind_text(q, 1, "");
        else
            store_bind_text(q, 1, value);
        store_bind_int64(q, 2, p.id);
        int step = store_step(q, NULL);
        if (step == CC_ECONSTRAINT)
            rc = cc_fail(cause, CC_EEXIST, "%s: '%s' is already in use", attribute, value);
        else if (step != STORE_DONE)
            rc = store_error(st, cause);
        store_finalize(q);
    }
    free(sql);
    if (rc == CC_OK) {
        const char *old = strcmp(attribute, "upn") == 0         ? p.upn
                          : strcmp(attribute, "mail") == 0      ? p.mail
                          : strcmp(attribute, "dns") == 0       ? p.dns
                          : strcmp(attribute, "ou") == 0        ? p.ou
                          : strcmp(attribute, "container") == 0 ? p.container
                                                                : NULL;
        rc = audit_record(cx, dir_kind_name(p.kind), p.name, attribute, old, value, cause);
    }
    rc = store_finish(st, rc, cause);
out:
    free(stored);
    dir_principal_free(&p);
    return rc;
}

int
dir_list(struct store *st, unsigned kinds, struct dir_principal **out, size_t *n, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT " PRINCIPAL_COLUMNS " FROM principal "
                           "WHERE ((1 << kind) & ?) != 0 ORDER BY name",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int(q, 1, (int)kinds);
    return collect(st, q, out, n, cause);
}

int
dir_members(struct store *st, int64_t group, struct dir_principal **out, size_t *n,
            char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT " PRINCIPAL_COLUMNS " FROM principal "
                           "WHERE id IN (SELECT member_id FROM membership WHERE group_id = ?) "
                           "ORDER BY name",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, group);
    return collect(st, q, out, n, cause);
}

int
dir_member_of(struct store *st, int64_t principal, struct dir_principal **out, size_t *n,
              char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st,
                           "SELECT " PRINCIPAL_COLUMNS " FROM principal "
                           "WHERE id IN (SELECT group_id FROM membership WHERE member_id = ?) "
                           "ORDER BY name",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, principal);
    return collect(st, q, out, n, cause);
}

/* ---- tokens -------------------------------------------------------------- */

static int
push_id(int64_t **ids, size_t *n, int64_t id)
{
    for (size_t i = 0; i < *n; i++)
        if ((*ids)[i] == id)
            return CC_OK;
    int64_t *v = realloc(*ids, (*n + 1) * sizeof *v);
    if (v == NULL)
        return CC_ENOMEM;
    v[(*n)++] = id;
    *ids = v;
    return CC_OK;
}

/* Adds the principal itself and the implicit groups its kind belongs to. */
static int
add_implicit(struct store *st, int64_t principal, int64_t **ids, size_t *n)
{
    int rc = push_id(ids, n, principal);
    int64_t wk;
    if (rc == CC_OK && id_by_sid(st, SID_AUTHENTICATED_USERS, &wk) == CC_OK)
        rc = push_id(ids, n, wk);
    struct store_stmt *q;
    if (rc == CC_OK &&
        store_prepare(st, "SELECT is_dc FROM principal WHERE id = ?", &q, NULL) == CC_OK) {
        store_bind_int64(q, 1, principal);
        int dc = store_step(q, NULL) == STORE_ROW && store_col_int(q, 0);
        store_finalize(q);
        if (dc && id_by_sid(st, SID_ENTERPRISE_DCS, &wk) == CC_OK)
            rc = push_id(ids, n, wk);
    }
    return rc;
}

static int
query_ids(struct store *st, const char *sql, int64_t principal, int64_t **ids, size_t *n,
          char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st, sql, &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, principal);
    int step;
    while (rc == CC_OK && (step = store_step(q, NULL)) == STORE_ROW)
        rc = push_id(ids, n, store_col_int64(q, 0));
    if (rc == CC_OK && step != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    return rc;
}

static const char closure_sql[] =
    "WITH RECURSIVE g(id) AS ("
    "  SELECT group_id FROM membership WHERE member_id = ?1"
    "  UNION SELECT m.group_id FROM membership m JOIN g ON m.member_id = g.id) "
    "SELECT id FROM g";

int
dir_token_live(struct store *st, int64_t principal, int64_t **ids, size_t *n, char **cause)
{
    *ids = NULL;
    *n = 0;
    int rc = add_implicit(st, principal, ids, n);
    if (rc == CC_OK)
        rc = query_ids(st, closure_sql, principal, ids, n, cause);
    if (rc != CC_OK) {
        free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return rc;
}

int
dir_token(struct store *st, int64_t principal, int64_t **ids, size_t *n, char **cause)
{
    struct store_stmt *q;
    int snapshot = 0;
    if (store_tokens_at_restart(st) &&
        store_prepare(st,
                      "SELECT 1 FROM token_taken t JOIN principal p ON p.id = t.principal_id "
                      "WHERE t.principal_id = ? AND p.kind = 2",
                      &q, NULL) == CC_OK) {
        store_bind_int64(q, 1, principal);
        snapshot = store_step(q, NULL) == STORE_ROW;
        store_finalize(q);
    }
    if (!snapshot)
        return dir_token_live(st, principal, ids, n, cause);
    *ids = NULL;
    *n = 0;
    int rc = add_implicit(st, principal, ids, n);
    if (rc == CC_OK)
        rc = query_ids(st, "SELECT group_id FROM token WHERE principal_id = ?1", principal, ids,
                       n, cause);
    if (rc != CC_OK) {
        free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return rc;
}

static int
take_token(const struct cc_ctx *cx, int64_t principal, char **cause)
{
    struct store *st = cx->st;
    struct store_stmt *q;
    int rc = store_prepare(st, "DELETE FROM token WHERE principal_id = ?", &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, principal);
    if (store_step(q, NULL) != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    if (rc != CC_OK)
        return rc;
    rc = store_prepare(st,
                       "INSERT INTO token (principal_id, group_id) "
                       "WITH RECURSIVE g(id) AS ("
                       "  SELECT group_id FROM membership WHERE member_id = ?1"
                       "  UNION SELECT m.group_id FROM membership m JOIN g ON m.member_id = g.id)"
                       " SELECT ?1, id FROM g",
                       &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, principal);
    if (store_step(q, NULL) != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    if (rc != CC_OK)
        return rc;
    rc = store_prepare(st,
                       "INSERT INTO token_taken (principal_id, at) VALUES (?, ?) "
                       "ON CONFLICT (principal_id) DO UPDATE SET at = excluded.at",
                       &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, principal);
    store_bind_int64(q, 2, (int64_t)ctx_now(cx));
    if (store_step(q, NULL) != STORE_DONE)
        rc = store_error(st, cause);
    store_finalize(q);
    return rc;
}

int
dir_restart(const struct cc_ctx *cx, const char *computer, char **cause)
{
    struct store *st = cx->st;
    struct dir_principal p = {0};
    int rc = dir_lookup(st, computer, &p, cause);
    if (rc != CC_OK)
        return rc;
    if (p.kind != DIR_COMPUTER) {
        rc = cc_fail(cause, CC_EINVAL, "%s is a %s; only computers restart", p.name,
                     dir_kind_name(p.kind));
        dir_principal_free(&p);
        return rc;
    }
    if ((rc = dir_require_admin(cx, "restart a computer", cause)) == CC_OK &&
        (rc = store_begin(st, cause)) == CC_OK) {
        rc = take_token(cx, p.id, cause);
        if (rc == CC_OK)
            rc = audit_record(cx, "computer", p.name, "restart", NULL, NULL, cause);
        rc = store_finish(st, rc, cause);
    }
    dir_principal_free(&p);
    return rc;
}

int
dir_token_has_rid(struct store *st, int64_t principal, int rid)
{
    int64_t g, *ids = NULL;
    size_t n = 0;
    if (id_by_rid(st, rid, &g) != CC_OK)
        return 0;
    if (dir_token(st, principal, &ids, &n, NULL) != CC_OK)
        return 0;
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found |= ids[i] == g;
    free(ids);
    return found;
}

/* ---- organizational units ----------------------------------------------- */

int
dir_ou_exists(struct store *st, const char *name, char **canonical)
{
    struct store_stmt *q;
    if (strncasecmp(name, "OU=", 3) == 0)
        name += 3;
    if (store_prepare(st, "SELECT name FROM ou WHERE name = ?", &q, NULL) != CC_OK)
        return CC_EDB;
    store_bind_text(q, 1, name);
    int rc = CC_ENOTFOUND;
    if (store_step(q, NULL) == STORE_ROW) {
        rc = CC_OK;
        if (canonical != NULL) {
            *canonical = strdup(store_col_text(q, 0));
            if (*canonical == NULL)
                rc = CC_ENOMEM;
        }
    }
    store_finalize(q);
    return rc;
}

int
dir_add_ou(const struct cc_ctx *cx, const char *name, const char *description, char **cause)
{
    struct store *st = cx->st;
    int rc = valid_account_name(name, 64, cause, "organizational unit");
    if (rc != CC_OK)
        return rc;
    if (strncasecmp(name, "OU=", 3) == 0)
        return cc_fail(cause, CC_EINVAL, "organizational unit: give the name without 'OU='");
    if ((rc = dir_require_admin(cx, "add an organizational unit", cause)) != CC_OK)
        return rc;
    if (dir_ou_exists(st, name, NULL) == CC_OK)
        return cc_fail(cause, CC_EEXIST, "the organizational unit '%s' already exists", name);
    if ((rc = store_begin(st, cause)) != CC_OK)
        return rc;
    struct store_stmt *q;
    if ((rc = store_prepare(st, "INSERT INTO ou (name, description) VALUES (?, ?)", &q,
                            cause)) == CC_OK) {
        store_bind_text(q, 1, name);
        store_bind_text(q, 2, description);
        if (store_step(q, NULL) != STORE_DONE)
            rc = store_error(st, cause);
        store_finalize(q);
    }
    if (rc == CC_OK)
        rc = audit_record(cx, "ou", name, "create", NULL, description, cause);
    return store_finish(st, rc, cause);
}

int
dir_list_ous(struct store *st, struct strlist *names, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st, "SELECT name FROM ou ORDER BY name", &q, cause);
    if (rc != CC_OK)
        return rc;
    while (rc == CC_OK && store_step(q, NULL) == STORE_ROW)
        rc = strlist_add(names, store_col_text(q, 0));
    store_finalize(q);
    return rc;
}
