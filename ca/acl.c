/*
 * Template access control. An ACL is a short list of per-principal entries
 * with Allow and Deny masks; effective rights are computed over a token the
 * way Windows does for these five rows: any Deny for a right in the token
 * removes it, whatever Allow says, and Full Control stands for every right.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "acl.h"
#include "status.h"
#include "util.h"

static const struct {
    unsigned bit;
    const char *name;    /* display */
    const char *keyword; /* command line */
} rights[ACL_RIGHT_COUNT] = {
    {ACL_FULL, "Full Control", "FullControl"},
    {ACL_READ, "Read", "Read"},
    {ACL_WRITE, "Write", "Write"},
    {ACL_ENROLL, "Enroll", "Enroll"},
    {ACL_AUTOENROLL, "Autoenroll", "Autoenroll"},
};

/* Full Control carries every right. */
static unsigned
expand(unsigned mask)
{
    if (mask & ACL_FULL)
        mask |= ACL_READ | ACL_WRITE | ACL_ENROLL | ACL_AUTOENROLL;
    return mask;
}

static int
bit_index(unsigned bit)
{
    for (int i = 0; i < ACL_RIGHT_COUNT; i++)
        if ((1u << i) == bit)
            return i;
    return -1;
}

void
acl_free(struct acl *acl)
{
    for (size_t i = 0; i < acl->n; i++)
        free(acl->v[i].name);
    free(acl->v);
    acl->v = NULL;
    acl->n = 0;
}

int
acl_copy(struct acl *dst, const struct acl *src)
{
    struct acl out = {0};
    if (src->n > 0) {
        out.v = calloc(src->n, sizeof *out.v);
        if (out.v == NULL)
            return CC_ENOMEM;
    }
    for (size_t i = 0; i < src->n; i++) {
        out.v[i] = src->v[i];
        out.v[i].name = cc_strdup(src->v[i].name);
        out.n++;
        if (src->v[i].name != NULL && out.v[i].name == NULL) {
            acl_free(&out);
            return CC_ENOMEM;
        }
    }
    acl_free(dst);
    *dst = out;
    return CC_OK;
}

int
acl_equal(const struct acl *a, const struct acl *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const struct acl_entry *e = acl_find(b, a->v[i].principal);
        if (e == NULL || e->allow != a->v[i].allow || e->deny != a->v[i].deny)
            return 0;
    }
    return 1;
}

struct acl_entry *
acl_find(const struct acl *acl, int64_t principal)
{
    for (size_t i = 0; i < acl->n; i++)
        if (acl->v[i].principal == principal)
            return &acl->v[i];
    return NULL;
}

int
acl_set(struct acl *acl, int64_t principal, const char *name, unsigned allow, unsigned deny)
{
    struct acl_entry *e = acl_find(acl, principal);
    if (allow == 0 && deny == 0) {
        if (e != NULL) {
            size_t i = (size_t)(e - acl->v);
            free(e->name);
            memmove(&acl->v[i], &acl->v[i + 1], (acl->n - i - 1) * sizeof *acl->v);
            acl->n--;
        }
        return CC_OK;
    }
    if (e == NULL) {
        struct acl_entry *v = realloc(acl->v, (acl->n + 1) * sizeof *v);
        if (v == NULL)
            return CC_ENOMEM;
        acl->v = v;
        e = &acl->v[acl->n];
        memset(e, 0, sizeof *e);
        e->principal = principal;
        e->name = cc_strdup(name);
        if (name != NULL && e->name == NULL)
            return CC_ENOMEM;
        acl->n++;
    }
    e->allow = allow & ACL_ALL;
    e->deny = deny & ACL_ALL;
    return CC_OK;
}

int
acl_grant(struct acl *acl, int64_t principal, const char *name, unsigned allow, unsigned deny)
{
    struct acl_entry *e = acl_find(acl, principal);
    unsigned a = allow, d = deny;
    if (e != NULL) {
        /* a new Allow of a right clears its Deny and the other way round */
        a |= e->allow & ~deny;
        d |= e->deny & ~allow;
    }
    return acl_set(acl, principal, name, a, d);
}

int
acl_revoke(struct acl *acl, int64_t principal, unsigned mask)
{
    struct acl_entry *e = acl_find(acl, principal);
    if (e == NULL)
        return CC_ENOTFOUND;
    if ((mask & ACL_ALL) == ACL_ALL)
        return acl_set(acl, principal, NULL, 0, 0);
    unsigned allow = e->allow & ~mask, deny = e->deny & ~mask;
    /* clearing one right from Full Control leaves the others */
    if ((e->allow & ACL_FULL) && (mask & ~ACL_FULL))
        allow = (expand(e->allow) & ~mask) & ~ACL_FULL;
    if (allow == 0 && deny == 0) /* no entry left: the principal leaves the list */
        return acl_set(acl, principal, NULL, 0, 0);
    e->allow = allow;
    e->deny = deny;
    return CC_OK;
}

unsigned
acl_effective(const struct acl *acl, const int64_t *token, size_t ntoken,
              struct acl_decision *why)
{
    unsigned allow = 0, deny = 0;
    if (why != NULL)
        memset(why, 0, sizeof *why);
    for (size_t i = 0; i < acl->n; i++) {
        const struct acl_entry *e = &acl->v[i];
        int in = 0;
        for (size_t k = 0; k < ntoken && !in; k++)
            in = token[k] == e->principal;
        if (!in)
            continue;
        unsigned a = expand(e->allow), d = expand(e->deny);
        for (int b = 0; b < ACL_RIGHT_COUNT; b++) {
            unsigned bit = 1u << b;
            if ((a & bit) && !(allow & bit) && why != NULL)
                why->granted_by[b] = e;
            if ((d & bit) && !(deny & bit) && why != NULL)
                why->denied_by[b] = e;
        }
        allow |= a;
        deny |= d;
    }
    unsigned eff = allow & ~deny & (ACL_READ | ACL_WRITE | ACL_ENROLL | ACL_AUTOENROLL);
    if ((allow & ACL_FULL) && !(deny & ACL_ALL))
        eff |= ACL_FULL;
    if (why != NULL)
        why->rights = eff;
    return eff;
}

int
acl_rights_parse(const char *s, unsigned *mask, char **cause)
{
    struct strlist words = {0};
    if (strlist_split(&words, s, ",+") != CC_OK)
        return CC_ENOMEM;
    unsigned m = 0;
    int rc = CC_OK;
    for (size_t i = 0; i < words.n && rc == CC_OK; i++) {
        const char *w = words.v[i];
        int found = 0;
        for (int r = 0; r < ACL_RIGHT_COUNT; r++) {
            if (strcasecmp(w, rights[r].keyword) == 0 || strcasecmp(w, rights[r].name) == 0) {
                m |= rights[r].bit;
                found = 1;
            }
        }
        if (!found)
            rc = cc_fail(cause, CC_EINVAL,
                         "'%s' is not a right: use Read, Write, Enroll, Autoenroll or "
                         "FullControl",
                         w);
    }
    if (rc == CC_OK && words.n == 0)
        rc = cc_fail(cause, CC_EINVAL,
                     "no rights given: use Read, Write, Enroll, Autoenroll or FullControl");
    strlist_free(&words);
    if (rc == CC_OK)
        *mask = m;
    return rc;
}

char *
acl_rights_format(unsigned mask)
{
    struct strlist l = {0};
    /* Read, Write, Enroll, Autoenroll, then Full Control: the Security tab's order */
    static const int order[] = {1, 2, 3, 4, 0};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (mask & rights[order[i]].bit)
            if (strlist_add(&l, rights[order[i]].keyword) != CC_OK) {
                strlist_free(&l);
                return NULL;
            }
    char *out = strlist_join(&l, ",");
    strlist_free(&l);
    return out;
}

const char *
acl_right_name(unsigned bit)
{
    int i = bit_index(bit);
    if (i < 0)
        return "?";
    for (int r = 0; r < ACL_RIGHT_COUNT; r++)
        if (rights[r].bit == bit)
            return rights[r].name;
    return "?";
}
