/*
 * Lab exercises as data, and the checks that judge a trainee's work. The
 * check language is a table (kinds × keys) so that a new kind of check is
 * one row plus one function, and the man page can follow the table. Every
 * check reads the lab through the core modules and never writes.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/pkcs12.h>
#include <gnutls/x509.h>
#include <libconfig.h>

#include "acl.h"
#include "authority.h"
#include "autoenroll.h"
#include "certinfo.h"
#include "certstore.h"
#include "clock.h"
#include "context.h"
#include "directory.h"
#include "exercise.h"
#include "oids.h"
#include "status.h"
#include "template.h"
#include "util.h"

/* ---- the check language -------------------------------------------------- */

/* The keys a check may carry; a kind allows some and requires some. */
enum ck_key {
    K_KIND,
    K_TEMPLATE,
    K_PRINCIPAL,
    K_ALLOW,
    K_ABSENT,
    K_GROUP,
    K_MEMBER,
    K_EMPTY,
    K_COMPUTER,
    K_CERT,
    K_KEY,
    K_CHAIN,
    K_HOST,
    K_FILE,
    K_PASSWORD,
    K_DNS,
    K_CN,
    K_UPN,
    K_PURPOSES,
    K_EXPORTABLE,
    K_SETTINGS,
    K_GPO,
    K_LINKED,
    K_RENEW,
    K_UPDATE,
    K_NAME,
    K_OID,
    K_COUNT
};

enum ck_type { T_STR, T_LIST, T_BOOL, T_GROUP };

static const struct {
    const char *name;
    enum ck_type type;
} ck_keys[K_COUNT] = {
    [K_KIND] = {"kind", T_STR},
    [K_TEMPLATE] = {"template", T_STR},
    [K_PRINCIPAL] = {"principal", T_STR},
    [K_ALLOW] = {"allow", T_STR},
    [K_ABSENT] = {"absent", T_STR},
    [K_GROUP] = {"group", T_STR},
    [K_MEMBER] = {"member", T_STR},
    [K_EMPTY] = {"empty", T_BOOL},
    [K_COMPUTER] = {"computer", T_STR},
    [K_CERT] = {"cert", T_STR},
    [K_KEY] = {"key", T_STR},
    [K_CHAIN] = {"chain", T_STR},
    [K_HOST] = {"host", T_STR},
    [K_FILE] = {"file", T_STR},
    [K_PASSWORD] = {"password", T_STR},
    [K_DNS] = {"dns", T_LIST},
    [K_CN] = {"cn", T_STR},
    [K_UPN] = {"upn", T_BOOL},
    [K_PURPOSES] = {"purposes", T_LIST},
    [K_EXPORTABLE] = {"exportable", T_BOOL},
    [K_SETTINGS] = {"settings", T_GROUP},
    [K_GPO] = {"gpo", T_STR},
    [K_LINKED] = {"linked", T_STR},
    [K_RENEW] = {"renew", T_BOOL},
    [K_UPDATE] = {"update", T_BOOL},
    [K_NAME] = {"name", T_STR},
    [K_OID] = {"oid", T_STR},
};

#define B(k) (1u << (k))

struct exercise_check {
    int kind; /* index into ck_kinds */
    unsigned line;
    char *str[K_COUNT];
    struct strlist list[K_COUNT];
    int flag[K_COUNT]; /* -1: not given */
    struct strlist set_names, set_values;
};

typedef int (*ck_fn)(const struct cc_ctx *cx, const struct exercise_check *c, char **reason,
                     char **cause);

static int ck_template(const struct cc_ctx *, const struct exercise_check *, char **, char **);
static int ck_acl(const struct cc_ctx *, const struct exercise_check *, char **, char **);
static int ck_ca_issues(const struct cc_ctx *, const struct exercise_check *, char **, char **);
static int ck_group(const struct cc_ctx *, const struct exercise_check *, char **, char **);
static int ck_restarted(const struct cc_ctx *, const struct exercise_check *, char **, char **);
static int ck_certificate(const struct cc_ctx *, const struct exercise_check *, char **, char **);
static int ck_pfx(const struct cc_ctx *, const struct exercise_check *, char **, char **);
static int ck_gpo(const struct cc_ctx *, const struct exercise_check *, char **, char **);
static int ck_policy(const struct cc_ctx *, const struct exercise_check *, char **, char **);
static int ck_tls(const struct cc_ctx *, const struct exercise_check *, char **, char **);

static const struct {
    const char *name;
    unsigned required, optional;
    ck_fn fn;
} ck_kinds[] = {
    {"template", B(K_TEMPLATE), B(K_SETTINGS), ck_template},
    {"acl", B(K_TEMPLATE) | B(K_PRINCIPAL), B(K_ALLOW) | B(K_ABSENT), ck_acl},
    {"ca-issues", B(K_TEMPLATE), 0, ck_ca_issues},
    {"group", B(K_GROUP), B(K_MEMBER) | B(K_EMPTY), ck_group},
    {"restarted", B(K_COMPUTER) | B(K_GROUP), 0, ck_restarted},
    {"certificate", B(K_PRINCIPAL) | B(K_TEMPLATE),
     B(K_DNS) | B(K_CN) | B(K_UPN) | B(K_PURPOSES) | B(K_EXPORTABLE), ck_certificate},
    {"pfx", B(K_FILE) | B(K_PASSWORD), B(K_CN) | B(K_DNS) | B(K_PURPOSES), ck_pfx},
    {"gpo", B(K_GPO), B(K_LINKED) | B(K_RENEW) | B(K_UPDATE), ck_gpo},
    {"policy", B(K_NAME) | B(K_OID), 0, ck_policy},
    {"tls", B(K_CERT) | B(K_KEY) | B(K_CHAIN) | B(K_HOST), 0, ck_tls},
};
#define NKINDS (sizeof ck_kinds / sizeof ck_kinds[0])

/* ---- parsing ----------------------------------------------------------- */

static void
check_free(struct exercise_check *c)
{
    for (int k = 0; k < K_COUNT; k++) {
        free(c->str[k]);
        strlist_free(&c->list[k]);
    }
    strlist_free(&c->set_names);
    strlist_free(&c->set_values);
}

static void
step_free(struct exercise_step *s)
{
    free(s->title);
    free(s->instructions);
    for (size_t i = 0; i < s->nchecks; i++)
        check_free(&s->checks[i]);
    free(s->checks);
}

void
exercise_free(struct exercise *e)
{
    free(e->id);
    free(e->title);
    free(e->summary);
    free(e->path);
    for (size_t i = 0; i < e->nsteps; i++)
        step_free(&e->steps[i]);
    free(e->steps);
    memset(e, 0, sizeof *e);
}

void
exercise_set_free(struct exercise_set *set)
{
    for (size_t i = 0; i < set->n; i++)
        exercise_free(&set->v[i]);
    free(set->v);
    set->v = NULL;
    set->n = 0;
}

const struct exercise *
exercise_find(const struct exercise_set *set, const char *id)
{
    for (size_t i = 0; i < set->n; i++)
        if (cc_strcaseeq(set->v[i].id, id))
            return &set->v[i];
    return NULL;
}

static int
bad(char **cause, const char *path, const config_setting_t *s, const char *fmt, const char *arg)
{
    char *what = cc_asprintf(fmt, arg ? arg : "");
    int rc = cc_fail(cause, CC_EPARSE, "%s:%u: %s", path, s ? config_setting_source_line(s) : 1u,
                     what ? what : "malformed");
    free(what);
    return rc;
}

static int
parse_check(const char *path, config_setting_t *g, struct exercise_check *c, char **cause)
{
    memset(c, 0, sizeof *c);
    c->line = config_setting_source_line(g);
    for (int k = 0; k < K_COUNT; k++)
        c->flag[k] = -1;
    c->kind = -1;
    if (!config_setting_is_group(g))
        return bad(cause, path, g, "a check is a group: { kind = \"...\"; ... }", NULL);
    unsigned given = 0;
    for (int i = 0; i < config_setting_length(g); i++) {
        config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(m);
        int k = 0;
        while (k < K_COUNT && strcmp(ck_keys[k].name, name) != 0)
            k++;
        if (k == K_COUNT)
            return bad(cause, path, m, "unknown key '%s' in a check", name);
        given |= B(k);
        switch (ck_keys[k].type) {
        case T_STR: {
            const char *v = config_setting_get_string(m);
            if (v == NULL || *v == '\0')
                return bad(cause, path, m, "'%s' must be a non-empty string", name);
            if ((c->str[k] = cc_strdup(v)) == NULL)
                return CC_ENOMEM;
            break;
        }
        case T_LIST:
            if (!config_setting_is_array(m) && !config_setting_is_list(m))
                return bad(cause, path, m, "'%s' must be a list of strings: [ \"...\" ]", name);
            for (int j = 0; j < config_setting_length(m); j++) {
                const char *v = config_setting_get_string_elem(m, (unsigned)j);
                if (v == NULL)
                    return bad(cause, path, m, "'%s' must be a list of strings", name);
                if (strlist_add(&c->list[k], v) != CC_OK)
                    return CC_ENOMEM;
            }
            break;
        case T_BOOL:
            if (config_setting_type(m) != CONFIG_TYPE_BOOL)
                return bad(cause, path, m, "'%s' must be true or false", name);
            c->flag[k] = config_setting_get_bool(m);
            break;
        case T_GROUP:
            if (!config_setting_is_group(m))
                return bad(cause, path, m, "'%s' must be a group: { setting = \"value\"; }", name);
            for (int j = 0; j < config_setting_length(m); j++) {
                config_setting_t *s = config_setting_get_elem(m, (unsigned)j);
                const char *v = config_setting_get_string(s);
                if (v == NULL)
                    return bad(cause, path, s, "setting '%s' needs a string value",
                               config_setting_name(s));
                /* libconfig names cannot hold '-': write san_dns for san-dns */
                char *n = cc_strdup(config_setting_name(s));
                if (n == NULL)
                    return CC_ENOMEM;
                for (char *p = n; *p; p++)
                    if (*p == '_')
                        *p = '-';
                int rc = strlist_add(&c->set_names, n);
                free(n);
                if (rc != CC_OK || strlist_add(&c->set_values, v) != CC_OK)
                    return CC_ENOMEM;
            }
            break;
        }
    }
    if (c->str[K_KIND] == NULL)
        return bad(cause, path, g, "a check needs kind = \"...\"", NULL);
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(ck_kinds[i].name, c->str[K_KIND]) == 0)
            c->kind = (int)i;
    if (c->kind < 0)
        return bad(cause, path, g,
                   "unknown check kind '%s' (template, acl, ca-issues, group, restarted, "
                   "certificate, pfx, gpo, policy, tls)",
                   c->str[K_KIND]);
    unsigned req = ck_kinds[c->kind].required, opt = ck_kinds[c->kind].optional;
    for (int k = 1; k < K_COUNT; k++) {
        if ((req & B(k)) && !(given & B(k)))
            return bad(cause, path, g, "this check needs '%s'", ck_keys[k].name);
        if ((given & B(k)) && !((req | opt) & B(k))) {
            char *why = cc_asprintf("a %s check takes no '%s'", c->str[K_KIND], ck_keys[k].name);
            int rc = bad(cause, path, g, "%s", why);
            free(why);
            return rc;
        }
    }
    if (c->kind == 1) { /* acl: rights must parse, and one of allow/absent */
        if (c->str[K_ALLOW] == NULL && c->str[K_ABSENT] == NULL)
            return bad(cause, path, g, "an acl check needs allow or absent", NULL);
        for (int k = K_ALLOW; k <= K_ABSENT; k++) {
            unsigned mask;
            char *why = NULL;
            if (c->str[k] != NULL && acl_rights_parse(c->str[k], &mask, &why) != CC_OK) {
                int rc = bad(cause, path, g, "%s", why);
                free(why);
                return rc;
            }
        }
    }
    return CC_OK;
}

static char *
dup_str(config_setting_t *g, const char *key)
{
    const char *v = NULL;
    return config_setting_lookup_string(g, key, &v) ? cc_strdup(v) : NULL;
}

static int
parse_step(const char *path, config_setting_t *g, struct exercise_step *s, char **cause)
{
    memset(s, 0, sizeof *s);
    s->line = config_setting_source_line(g);
    if (!config_setting_is_group(g))
        return bad(cause, path, g, "a step is a group: { title = ...; do = ...; checks = (...); }",
                   NULL);
    for (int i = 0; i < config_setting_length(g); i++) {
        const char *n = config_setting_name(config_setting_get_elem(g, (unsigned)i));
        if (strcmp(n, "title") && strcmp(n, "do") && strcmp(n, "checks"))
            return bad(cause, path, config_setting_get_elem(g, (unsigned)i),
                       "unknown key '%s' in a step (title, do, checks)", n);
    }
    s->title = dup_str(g, "title");
    s->instructions = dup_str(g, "do");
    if (s->title == NULL)
        return bad(cause, path, g, "a step needs title = \"...\"", NULL);
    if (s->instructions == NULL)
        return bad(cause, path, g, "a step needs do = \"...\"", NULL);
    config_setting_t *checks = config_setting_get_member(g, "checks");
    if (checks == NULL || !config_setting_is_list(checks) || config_setting_length(checks) == 0)
        return bad(cause, path, checks ? checks : g, "a step needs checks = ( { ... } )", NULL);
    size_t n = (size_t)config_setting_length(checks);
    if ((s->checks = calloc(n, sizeof *s->checks)) == NULL)
        return CC_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        s->nchecks = i + 1;
        int rc =
            parse_check(path, config_setting_get_elem(checks, (unsigned)i), &s->checks[i], cause);
        if (rc != CC_OK)
            return rc;
    }
    return CC_OK;
}

int
exercise_load_file(const char *path, struct exercise *out, char **cause)
{
    memset(out, 0, sizeof *out);
    config_t conf;
    config_init(&conf);
    int rc = CC_OK;
    if (!config_read_file(&conf, path)) {
        rc = config_error_type(&conf) == CONFIG_ERR_FILE_IO
                 ? cc_fail(cause, CC_EIO, "%s: cannot be read", path)
                 : cc_fail(cause, CC_EPARSE, "%s:%d: %s", path, config_error_line(&conf),
                           config_error_text(&conf));
        goto out;
    }
    config_setting_t *ex = config_lookup(&conf, "exercise");
    if (ex == NULL || !config_setting_is_group(ex)) {
        rc = cc_fail(cause, CC_EPARSE, "%s:1: no 'exercise' group", path);
        goto out;
    }
    out->path = cc_strdup(path);
    out->id = dup_str(ex, "id");
    out->title = dup_str(ex, "title");
    out->summary = dup_str(ex, "summary");
    if (out->id == NULL || out->title == NULL) {
        rc = bad(cause, path, ex, "an exercise needs id and title", NULL);
        goto out;
    }
    config_setting_lookup_int(ex, "order", &out->order);
    config_setting_t *steps = config_setting_get_member(ex, "steps");
    if (steps == NULL || !config_setting_is_list(steps) || config_setting_length(steps) == 0) {
        rc = bad(cause, path, steps ? steps : ex, "an exercise needs steps = ( { ... } )", NULL);
        goto out;
    }
    size_t n = (size_t)config_setting_length(steps);
    if ((out->steps = calloc(n, sizeof *out->steps)) == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    for (size_t i = 0; rc == CC_OK && i < n; i++) {
        out->nsteps = i + 1;
        rc = parse_step(path, config_setting_get_elem(steps, (unsigned)i), &out->steps[i], cause);
    }
out:
    config_destroy(&conf);
    if (rc != CC_OK)
        exercise_free(out);
    return rc;
}

static int
by_order(const void *a, const void *b)
{
    const struct exercise *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->id, y->id);
}

int
exercise_load_dir(const char *dir, struct exercise_set *out, char **cause)
{
    memset(out, 0, sizeof *out);
    DIR *d = opendir(dir);
    if (d == NULL)
        return cc_fail(cause, CC_ENOTFOUND, "this lab has no exercises (%s: %s)", dir,
                       strerror(errno));
    struct strlist names = {0};
    struct dirent *de;
    int rc = CC_OK;
    while (rc == CC_OK && (de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l > 5 && de->d_name[0] != '.' && strcmp(de->d_name + l - 5, ".conf") == 0)
            rc = strlist_add(&names, de->d_name);
    }
    closedir(d);
    if (rc == CC_OK && names.n > 0 && (out->v = calloc(names.n, sizeof *out->v)) == NULL)
        rc = CC_ENOMEM;
    for (size_t i = 0; rc == CC_OK && i < names.n; i++) {
        char *p = cc_asprintf("%s/%s", dir, names.v[i]);
        rc = p ? exercise_load_file(p, &out->v[out->n], cause) : CC_ENOMEM;
        free(p);
        if (rc == CC_OK && exercise_find(out, out->v[out->n].id) != NULL) {
            rc = cc_fail(cause, CC_EPARSE, "%s: a second exercise with id '%s'",
                         out->v[out->n].path, out->v[out->n].id);
            exercise_free(&out->v[out->n]);
        } else if (rc == CC_OK) {
            out->n++;
        }
    }
    strlist_free(&names);
    if (rc != CC_OK) {
        exercise_set_free(out);
        return rc;
    }
    qsort(out->v, out->n, sizeof *out->v, by_order);
    return CC_OK;
}

int
exercise_load_lab(struct store *st, const char *datadir, struct exercise_set *out, char **cause)
{
    char *lab = NULL;
    memset(out, 0, sizeof *out);
    if (store_meta_get(st, "lab", &lab) != CC_OK)
        return cc_fail(cause, CC_ESTATE,
                       "this database is not a lab (make one with 'certcon init --lab contoso')");
    char *dir = cc_asprintf("%s/labs/%s/exercises", datadir, lab);
    free(lab);
    if (dir == NULL)
        return CC_ENOMEM;
    int rc = exercise_load_dir(dir, out, cause);
    free(dir);
    return rc;
}

/* ---- what the exercises want, for coaching ------------------------------ */

/* Walks every check of every step of every exercise; NULL after the last. */
struct check_cursor {
    size_t e, s, c;
};

static const struct exercise_check *
next_check(const struct exercise_set *set, struct check_cursor *at)
{
    for (; at->e < set->n; at->e++, at->s = 0, at->c = 0)
        for (; at->s < set->v[at->e].nsteps; at->s++, at->c = 0)
            if (at->c < set->v[at->e].steps[at->s].nchecks)
                return &set->v[at->e].steps[at->s].checks[at->c++];
    return NULL;
}

int
exercise_templates(const struct exercise_set *set, struct strlist *names)
{
    struct check_cursor at = {0};
    for (const struct exercise_check *c; (c = next_check(set, &at)) != NULL;) {
        if (strcmp(ck_kinds[c->kind].name, "template") != 0 ||
            strlist_find(names, c->str[K_TEMPLATE], 1) >= 0)
            continue;
        if (strlist_add(names, c->str[K_TEMPLATE]) != CC_OK)
            return CC_ENOMEM;
    }
    return CC_OK;
}

const char *
exercise_wanted_setting(const struct exercise_set *set, const char *template, const char *setting)
{
    struct check_cursor at = {0};
    for (const struct exercise_check *c; (c = next_check(set, &at)) != NULL;) {
        if (strcmp(ck_kinds[c->kind].name, "template") != 0 ||
            !cc_strcaseeq(c->str[K_TEMPLATE], template))
            continue;
        long i = strlist_find(&c->set_names, setting, 1);
        if (i >= 0)
            return c->set_values.v[i];
    }
    return NULL;
}

int
exercise_wants_absent(const struct exercise_set *set, const char *template, const char *principal,
                      unsigned mask)
{
    struct check_cursor at = {0};
    for (const struct exercise_check *c; (c = next_check(set, &at)) != NULL;) {
        unsigned absent = 0;
        if (strcmp(ck_kinds[c->kind].name, "acl") == 0 && c->str[K_ABSENT] != NULL &&
            cc_strcaseeq(c->str[K_TEMPLATE], template) &&
            cc_strcaseeq(c->str[K_PRINCIPAL], principal) &&
            acl_rights_parse(c->str[K_ABSENT], &absent, NULL) == CC_OK && (absent & mask) != 0)
            return 1;
    }
    return 0;
}

/* ---- checks ------------------------------------------------------------- */

char *
exercise_lab_dir(struct store *st)
{
    char *copy = cc_strdup(store_path(st));
    if (copy == NULL)
        return NULL;
    char *d = cc_strdup(dirname(copy));
    free(copy);
    return d;
}

/* A file a check names: relative to the lab folder. */
static char *
lab_file(struct store *st, const char *name)
{
    if (name[0] == '/')
        return cc_strdup(name);
    char *dir = exercise_lab_dir(st);
    char *p = dir ? cc_asprintf("%s/%s", dir, name) : NULL;
    free(dir);
    return p;
}

static int says(char **reason, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
says(char **reason, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    free(*reason);
    *reason = cc_vasprintf(fmt, ap);
    va_end(ap);
    return *reason ? CC_OK : CC_ENOMEM;
}

/* Loads a template or says it is missing; 1 when loaded. */
static int
need_template(struct store *st, const char *name, struct template *t, char **reason)
{
    if (template_load(st, name, t, NULL) == CC_OK)
        return 1;
    says(reason, "there is no template named '%s' yet", name);
    return 0;
}

static int
need_principal(struct store *st, const char *name, struct dir_principal *p, char **reason)
{
    if (dir_lookup(st, name, p, NULL) == CC_OK)
        return 1;
    says(reason, "there is no account or group named '%s' yet", name);
    return 0;
}

/* A list-valued setting shows "Name (OID), Name (OID)": every wanted name, no more. */
static int
setting_matches(const char *setting, const char *got, const char *want)
{
    if (cc_strcaseeq(got, want))
        return 1;
    if (strcmp(setting, "app-policies") != 0 && strcmp(setting, "issuance-policies") != 0)
        return 0;
    struct strlist w = {0};
    if (strlist_split(&w, want, ",") != CC_OK)
        return 0;
    size_t have = 1;
    for (const char *p = got; *p; p++)
        have += *p == ',' && p[1] == ' ' && strchr(p, '(') != NULL;
    int ok = w.n == have;
    for (size_t i = 0; ok && i < w.n; i++) {
        const char *item = w.v[i];
        while (*item == ' ')
            item++;
        ok = strcasestr(got, item) != NULL;
    }
    strlist_free(&w);
    return ok;
}

static int
ck_template(const struct cc_ctx *cx, const struct exercise_check *c, char **reason, char **cause)
{
    struct store *st = cx->st;
    (void)cause;
    struct template t = {0};
    if (!need_template(st, c->str[K_TEMPLATE], &t, reason))
        return CC_OK;
    for (size_t i = 0; *reason == NULL && i < c->set_names.n; i++) {
        char *got = template_get(st, &t, c->set_names.v[i]);
        if (got == NULL)
            says(reason, "'%s' is not a template setting", c->set_names.v[i]);
        else if (!setting_matches(c->set_names.v[i], got, c->set_values.v[i]))
            says(reason, "%s: %s is %s; the guide wants %s", t.display_name, c->set_names.v[i], got,
                 c->set_values.v[i]);
        free(got);
    }
    template_free(&t);
    return CC_OK;
}

static int
ck_acl(const struct cc_ctx *cx, const struct exercise_check *c, char **reason, char **cause)
{
    struct store *st = cx->st;
    (void)cause;
    struct template t = {0};
    struct dir_principal p = {0};
    if (!need_template(st, c->str[K_TEMPLATE], &t, reason))
        return CC_OK;
    if (!need_principal(st, c->str[K_PRINCIPAL], &p, reason)) {
        template_free(&t);
        return CC_OK;
    }
    const struct acl_entry *e = acl_find(&t.acl, p.id);
    unsigned has = e ? e->allow & ~e->deny : 0;
    unsigned want = 0, absent = 0;
    if (c->str[K_ALLOW])
        acl_rights_parse(c->str[K_ALLOW], &want, NULL);
    if (c->str[K_ABSENT])
        acl_rights_parse(c->str[K_ABSENT], &absent, NULL);
    if (has & ACL_FULL)
        has |= ACL_ALL;
    char *s = NULL;
    if ((want & ~has) != 0) {
        s = acl_rights_format(want & ~has);
        says(reason, "%s does not have %s on %s", p.name, s ? s : "", t.display_name);
    } else if ((absent & has) != 0) {
        s = acl_rights_format(absent & has);
        says(reason, "%s still has %s on %s", p.name, s ? s : "", t.display_name);
    }
    free(s);
    dir_principal_free(&p);
    template_free(&t);
    return CC_OK;
}

static int
ck_ca_issues(const struct cc_ctx *cx, const struct exercise_check *c, char **reason, char **cause)
{
    struct store *st = cx->st;
    (void)cause;
    struct template t = {0};
    if (!need_template(st, c->str[K_TEMPLATE], &t, reason))
        return CC_OK;
    if (!authority_template_enabled(st, t.cn))
        says(reason, "the CA does not issue %s yet (Certificate Templates to Issue)",
             t.display_name);
    template_free(&t);
    return CC_OK;
}

static int
ck_group(const struct cc_ctx *cx, const struct exercise_check *c, char **reason, char **cause)
{
    struct store *st = cx->st;
    struct dir_principal g = {0}, m = {0};
    if (dir_lookup(st, c->str[K_GROUP], &g, NULL) != CC_OK || g.kind != DIR_GROUP) {
        dir_principal_free(&g);
        return says(reason, "there is no group named '%s' yet", c->str[K_GROUP]);
    }
    struct dir_principal *v = NULL;
    size_t n = 0;
    int rc = dir_members(st, g.id, &v, &n, cause);
    if (rc == CC_OK && c->str[K_MEMBER] != NULL) {
        if (!need_principal(st, c->str[K_MEMBER], &m, reason))
            goto out;
        size_t i = 0;
        while (i < n && v[i].id != m.id)
            i++;
        if (i == n)
            says(reason, "%s is not a member of %s", m.name, g.name);
    }
    if (rc == CC_OK && c->flag[K_EMPTY] == 1 && n > 0 && *reason == NULL)
        says(reason, "%s should start empty, but %s is a member", g.name, v[0].name);
out:
    dir_list_free(v, n);
    dir_principal_free(&m);
    dir_principal_free(&g);
    return rc;
}

static int
token_holds(struct store *st, int64_t who, int64_t group, int live, int *holds, char **cause)
{
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = live ? dir_token_live(st, who, &ids, &n, cause) : dir_token(st, who, &ids, &n, cause);
    *holds = 0;
    for (size_t i = 0; rc == CC_OK && i < n; i++)
        if (ids[i] == group)
            *holds = 1;
    free(ids);
    return rc;
}

static int
ck_restarted(const struct cc_ctx *cx, const struct exercise_check *c, char **reason, char **cause)
{
    struct store *st = cx->st;
    struct dir_principal comp = {0}, g = {0};
    int rc = CC_OK, live = 0, held = 0;
    if (!need_principal(st, c->str[K_COMPUTER], &comp, reason) ||
        !need_principal(st, c->str[K_GROUP], &g, reason))
        goto out;
    rc = token_holds(st, comp.id, g.id, 1, &live, cause);
    if (rc == CC_OK && !live) {
        says(reason, "%s is not a member of %s", comp.name, g.name);
        goto out;
    }
    if (rc == CC_OK)
        rc = token_holds(st, comp.id, g.id, 0, &held, cause);
    if (rc == CC_OK && !held)
        says(reason,
             "%s has not restarted since it joined %s: it still acts without the group "
             "(certcon dir restart %s)",
             comp.name, g.name, comp.name);
out:
    dir_principal_free(&comp);
    dir_principal_free(&g);
    return rc;
}

/* What a certificate must carry: names and purposes. NULL when it does; else why not. */
static char *
cert_mismatch(struct store *st, const struct exercise_check *c, const void *der, size_t n)
{
    gnutls_x509_crt_t crt;
    gnutls_datum_t d = {(unsigned char *)der, (unsigned)n};
    if (gnutls_x509_crt_init(&crt) < 0)
        return cc_strdup("out of memory");
    if (gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) < 0) {
        gnutls_x509_crt_deinit(crt);
        return cc_strdup("it is not a certificate");
    }
    char *why = NULL;
    struct strlist dns = {0};
    int has_upn = 0; /* an otherName of type 1.3.6.1.4.1.311.20.2.3 */
    for (unsigned i = 0; i < 256; i++) {
        char buf[512];
        size_t sz = sizeof buf;
        int type = gnutls_x509_crt_get_subject_alt_name(crt, i, buf, &sz, NULL);
        if (type < 0 && type != GNUTLS_E_SHORT_MEMORY_BUFFER)
            break; /* the end, or a name that cannot be read */
        if (type == GNUTLS_SAN_DNSNAME)
            strlist_add(&dns, buf);
        if (type == GNUTLS_SAN_OTHERNAME || type >= GNUTLS_SAN_OTHERNAME_XMPP) {
            char oid[128];
            size_t osz = sizeof oid;
            if (gnutls_x509_crt_get_subject_alt_othername_oid(crt, i, oid, &osz) >= 0 &&
                strcmp(oid, "1.3.6.1.4.1.311.20.2.3") == 0)
                has_upn = 1;
        }
    }
    for (size_t i = 0; why == NULL && i < c->list[K_DNS].n; i++) {
        size_t k = 0;
        while (k < dns.n && !cc_strcaseeq(dns.v[k], c->list[K_DNS].v[i]))
            k++;
        if (k == dns.n)
            why = cc_asprintf("does not name DNS %s", c->list[K_DNS].v[i]);
    }
    if (why == NULL && c->flag[K_UPN] >= 0 && has_upn != c->flag[K_UPN])
        why = cc_strdup(has_upn ? "names a UPN the guide leaves out" : "names no UPN");
    if (why == NULL && c->str[K_CN] != NULL) {
        char cn[256];
        size_t sz = sizeof cn;
        if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn, &sz) < 0)
            why = cc_asprintf("has no common name (the guide wants %s)", c->str[K_CN]);
        else if (!cc_strcaseeq(cn, c->str[K_CN]))
            why = cc_asprintf("has common name %s, not %s", cn, c->str[K_CN]);
    }
    if (why == NULL && c->list[K_PURPOSES].n > 0) {
        struct certinfo ci = {0};
        if (certinfo_decode(st, der, n, &ci, NULL) != CC_OK) {
            why = cc_strdup("cannot be decoded");
        } else {
            for (size_t i = 0; why == NULL && i < c->list[K_PURPOSES].n; i++) {
                size_t k = 0;
                while (k < ci.purposes.n &&
                       !cc_strcaseeq(ci.purposes.v[k], c->list[K_PURPOSES].v[i]))
                    k++;
                if (k == ci.purposes.n)
                    why = cc_asprintf("is not for %s", c->list[K_PURPOSES].v[i]);
            }
        }
        certinfo_free(&ci);
    }
    strlist_free(&dns);
    gnutls_x509_crt_deinit(crt);
    return why;
}

/* NULL when the certification path is good at the lab clock; else the first bad link's text. */
static char *
path_problem(const struct cc_ctx *cx, const void *der, size_t n)
{
    struct certinfo_link *v = NULL;
    size_t count = 0;
    if (certinfo_path(cx, der, n, ctx_now(cx), &v, &count, NULL) != CC_OK)
        return cc_strdup("its certification path cannot be built");
    char *why = NULL;
    for (size_t i = 0; why == NULL && i < count; i++)
        if (v[i].status != CERTINFO_OK)
            why = cc_asprintf("%s", v[i].text ? v[i].text : "a link of its path is not valid");
    certinfo_path_free(v, count);
    return why;
}

static int
ck_certificate(const struct cc_ctx *cx, const struct exercise_check *c, char **reason, char **cause)
{
    struct store *st = cx->st;
    struct dir_principal p = {0};
    struct template t = {0};
    if (!need_principal(st, c->str[K_PRINCIPAL], &p, reason))
        return CC_OK;
    if (!need_template(st, c->str[K_TEMPLATE], &t, reason)) {
        dir_principal_free(&p);
        return CC_OK;
    }
    struct certstore_entry *v = NULL;
    size_t n = 0;
    int rc = certstore_list(cx, p.id, CERTSTORE_MY, &v, &n, cause);
    char *first = NULL; /* why the newest candidate fails */
    int found = 0, good = 0;
    for (size_t i = 0; rc == CC_OK && !good && i < n; i++) {
        if (v[i].principal != p.id || v[i].template_cn == NULL ||
            (!cc_strcaseeq(v[i].template_cn, t.cn) &&
             !cc_strcaseeq(v[i].template_cn, t.display_name)))
            continue;
        found = 1;
        char *why = cert_mismatch(st, c, v[i].der.p, v[i].der.n);
        if (why == NULL) {
            char *pp = path_problem(cx, v[i].der.p, v[i].der.n);
            if (pp != NULL)
                why = cc_asprintf("is not valid: %s", pp);
            free(pp);
        }
        if (why == NULL && c->flag[K_EXPORTABLE] >= 0 &&
            (v[i].key_id != 0 && v[i].exportable) != c->flag[K_EXPORTABLE])
            why = cc_strdup(c->flag[K_EXPORTABLE] ? "has a key that cannot be exported"
                                                  : "has an exportable key");
        if (why == NULL && v[i].key_id == 0)
            why = cc_strdup("has no private key in the store");
        if (why == NULL)
            good = 1;
        if (first == NULL)
            first = why;
        else
            free(why);
    }
    if (rc == CC_OK && !found)
        says(reason, "%s's Personal store holds no certificate from %s", p.name, t.display_name);
    else if (rc == CC_OK && !good)
        says(reason, "%s's certificate from %s %s", p.name, t.display_name, first);
    free(first);
    certstore_list_free(v, n);
    template_free(&t);
    dir_principal_free(&p);
    return rc;
}

static int
read_file(const char *path, gnutls_datum_t *out)
{
    out->data = NULL;
    out->size = 0;
    return gnutls_load_file(path, out) < 0 ? -1 : 0;
}

static int
ck_pfx(const struct cc_ctx *cx, const struct exercise_check *c, char **reason, char **cause)
{
    struct store *st = cx->st;
    (void)cause;
    char *path = lab_file(st, c->str[K_FILE]);
    if (path == NULL)
        return CC_ENOMEM;
    gnutls_datum_t data;
    gnutls_pkcs12_t p12 = NULL;
    gnutls_x509_privkey_t key = NULL;
    gnutls_x509_crt_t *chain = NULL;
    unsigned chain_n = 0;
    struct stat sb;
    if (stat(path, &sb) != 0 || read_file(path, &data) != 0) {
        free(path);
        return says(reason, "there is no file %s in the lab folder yet", c->str[K_FILE]);
    }
    int err = gnutls_pkcs12_init(&p12);
    if (err >= 0)
        err = gnutls_pkcs12_import(p12, &data, GNUTLS_X509_FMT_DER, 0);
    if (err < 0) {
        says(reason, "%s is not a PFX (PKCS #12) file", c->str[K_FILE]);
        goto out;
    }
    if (gnutls_pkcs12_verify_mac(p12, c->str[K_PASSWORD]) < 0 ||
        gnutls_pkcs12_simple_parse(p12, c->str[K_PASSWORD], &key, &chain, &chain_n, NULL, NULL,
                                   NULL, 0) < 0) {
        says(reason, "%s does not open with the password the step gives", c->str[K_FILE]);
        goto out;
    }
    if (key == NULL || chain_n == 0) {
        says(reason, "%s holds no private key with its certificate", c->str[K_FILE]);
        goto out;
    }
    gnutls_datum_t der = {NULL, 0};
    if (gnutls_x509_crt_export2(chain[0], GNUTLS_X509_FMT_DER, &der) >= 0) {
        char *why = cert_mismatch(st, c, der.data, der.size);
        if (why != NULL)
            says(reason, "the certificate in %s %s", c->str[K_FILE], why);
        free(why);
        gnutls_free(der.data);
    }
out:
    for (unsigned i = 0; i < chain_n; i++)
        gnutls_x509_crt_deinit(chain[i]);
    gnutls_free(chain);
    if (key)
        gnutls_x509_privkey_deinit(key);
    if (p12)
        gnutls_pkcs12_deinit(p12);
    gnutls_free(data.data);
    free(path);
    return CC_OK;
}

static int
ck_gpo(const struct cc_ctx *cx, const struct exercise_check *c, char **reason, char **cause)
{
    struct store *st = cx->st;
    (void)cause;
    struct gpo g = {0};
    if (gpo_get(st, c->str[K_GPO], &g, NULL) != CC_OK)
        return says(reason, "there is no group policy object named '%s' yet", c->str[K_GPO]);
    if (c->str[K_LINKED] != NULL) {
        size_t i = 0;
        while (i < g.links.n && !cc_strcaseeq(g.links.v[i], c->str[K_LINKED]))
            i++;
        if (i == g.links.n)
            says(reason, "%s is not linked to %s", g.name, c->str[K_LINKED]);
    }
    if (*reason == NULL && g.computer.model != AE_ENABLED)
        says(reason, "%s does not enable autoenrollment for computers (Configuration Model)",
             g.name);
    if (*reason == NULL && c->flag[K_RENEW] == 1 && !g.computer.renew)
        says(reason,
             "%s does not renew expired certificates, update pending certificates and "
             "remove revoked certificates",
             g.name);
    if (*reason == NULL && c->flag[K_UPDATE] == 1 && !g.computer.update)
        says(reason, "%s does not update certificates that use certificate templates", g.name);
    gpo_free(&g);
    return CC_OK;
}

static int
ck_policy(const struct cc_ctx *cx, const struct exercise_check *c, char **reason, char **cause)
{
    struct store *st = cx->st;
    (void)cause;
    struct strlist names = {0}, oids = {0};
    int rc = oid_list(st, OID_KIND_APPLICATION, &names, &oids, cause);
    size_t i = 0;
    while (rc == CC_OK && i < names.n && !cc_strcaseeq(names.v[i], c->str[K_NAME]))
        i++;
    if (rc == CC_OK && i == names.n)
        says(reason, "there is no application policy named '%s' yet", c->str[K_NAME]);
    else if (rc == CC_OK && strcmp(oids.v[i], c->str[K_OID]) != 0)
        says(reason, "application policy '%s' is %s; the guide's is %s", names.v[i], oids.v[i],
             c->str[K_OID]);
    strlist_free(&names);
    strlist_free(&oids);
    return rc;
}

static int
ck_tls(const struct cc_ctx *cx, const struct exercise_check *c, char **reason, char **cause)
{
    struct store *st = cx->st;
    char *cert = lab_file(st, c->str[K_CERT]), *key = lab_file(st, c->str[K_KEY]),
         *chain = lab_file(st, c->str[K_CHAIN]);
    struct authority_info ca = {0};
    int rc = cert && key && chain ? CC_OK : CC_ENOMEM;
    const char *names[] = {c->str[K_CERT], c->str[K_KEY], c->str[K_CHAIN]};
    const char *paths[] = {cert, key, chain};
    for (int i = 0; rc == CC_OK && *reason == NULL && i < 3; i++)
        if (access(paths[i], R_OK) != 0)
            says(reason, "there is no file %s in the lab folder yet", names[i]);
    if (rc == CC_OK && *reason == NULL)
        rc = authority_info_load(st, &ca, cause);
    if (rc == CC_OK && *reason == NULL) {
        char *why = NULL;
        if (exercise_tls_handshake(cert, chain, key, ca.cert.p, ca.cert.n, c->str[K_HOST],
                                   ctx_now(cx), &why) != CC_OK)
            says(reason, "the TLS handshake with %s failed: %s", c->str[K_HOST],
                 why ? why : "unknown error");
        free(why);
    }
    authority_info_free(&ca);
    free(cert);
    free(key);
    free(chain);
    return rc;
}

int
exercise_check_step(const struct cc_ctx *cx, const struct exercise_step *step, int *done,
                    char **reason, char **cause)
{
    *done = 0;
    *reason = NULL;
    for (size_t i = 0; i < step->nchecks; i++) {
        const struct exercise_check *c = &step->checks[i];
        int rc = ck_kinds[c->kind].fn(cx, c, reason, cause);
        if (rc != CC_OK) {
            free(*reason);
            *reason = NULL;
            return rc;
        }
        if (*reason != NULL)
            return CC_OK;
    }
    *done = 1;
    return CC_OK;
}

/* ---- the web server: binding and handshake -------------------------------- */

int
exercise_bind_web(const struct cc_ctx *cx, const char *principal, const char *cert_spec,
                  char **files, char **cause)
{
    struct store *st = cx->st;
    struct dir_principal p = {0};
    struct certstore_entry e = {0};
    struct authority_info ca = {0};
    gnutls_x509_privkey_t key = NULL;
    gnutls_datum_t kpem = {NULL, 0}, cpem = {NULL, 0}, rpem = {NULL, 0};
    char *dir = NULL, *base = NULL, *fc = NULL, *fk = NULL, *fch = NULL, *chain = NULL;
    if (files)
        *files = NULL;
    int rc = dir_lookup(st, principal, &p, cause);
    if (rc == CC_OK && p.kind != DIR_COMPUTER)
        rc = cc_fail(cause, CC_EINVAL, "%s is not a computer: only a computer runs a web server",
                     p.name);
    if (rc == CC_OK)
        rc = certstore_find(cx, p.id, cert_spec, &e, cause);
    if (rc == CC_OK && e.key_id == 0)
        rc = cc_fail(cause, CC_E_NO_PRIVATE_KEY,
                     "%s's certificate %s has no private key in the store", p.name, e.serial);
    if (rc == CC_OK)
        rc = certstore_key(cx, &e, &key, cause);
    if (rc == CC_OK)
        rc = authority_info_load(st, &ca, cause);
    if (rc == CC_OK) {
        gnutls_datum_t cd = {e.der.p, (unsigned)e.der.n}, rd = {ca.cert.p, (unsigned)ca.cert.n};
        if (gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &kpem) < 0 ||
            gnutls_pem_base64_encode2("CERTIFICATE", &cd, &cpem) < 0 ||
            gnutls_pem_base64_encode2("CERTIFICATE", &rd, &rpem) < 0)
            rc = cc_fail(cause, CC_ECRYPTO, "the certificate or its key cannot be written as PEM");
    }
    if (rc == CC_OK) {
        dir = exercise_lab_dir(st);
        base = cc_strdup(p.name);
        for (char *s = base; s && *s; s++)
            *s = (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s);
        fc = dir && base ? cc_asprintf("%s/%s-cert.pem", dir, base) : NULL;
        fk = dir && base ? cc_asprintf("%s/%s-key.pem", dir, base) : NULL;
        fch = dir && base ? cc_asprintf("%s/%s-chain.pem", dir, base) : NULL;
        chain = cc_asprintf("%.*s", (int)rpem.size, (const char *)rpem.data);
        if (!fc || !fk || !fch || !chain)
            rc = CC_ENOMEM;
    }
    /* rebinding replaces the files the lab wrote before */
    if (rc == CC_OK)
        rc = cc_write_file(fk, kpem.data, kpem.size, 0600, 1, cause);
    if (rc == CC_OK)
        rc = cc_write_file(fc, cpem.data, cpem.size, 0600, 1, cause);
    if (rc == CC_OK)
        rc = cc_write_file(fch, chain, strlen(chain), 0600, 1, cause);
    if (rc == CC_OK && files)
        *files = cc_asprintf("%s\n%s\n%s", fc, fch, fk);
    if (kpem.data) {
        gnutls_memset(kpem.data, 0, kpem.size);
        gnutls_free(kpem.data);
    }
    gnutls_free(cpem.data);
    gnutls_free(rpem.data);
    if (key)
        gnutls_x509_privkey_deinit(key);
    authority_info_free(&ca);
    certstore_entry_free(&e);
    dir_principal_free(&p);
    free(dir);
    free(base);
    free(fc);
    free(fk);
    free(fch);
    free(chain);
    return rc;
}

/* Drives both ends of a non-blocking handshake until each is done or one fails. */
static int
pump(gnutls_session_t cli, gnutls_session_t srv, int *cli_err, int *srv_err)
{
    int cdone = 0, sdone = 0;
    *cli_err = *srv_err = 0;
    for (int round = 0; round < 1000 && !(cdone && sdone); round++) {
        if (!cdone) {
            int r = gnutls_handshake(cli);
            if (r == 0)
                cdone = 1;
            else if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED && gnutls_error_is_fatal(r)) {
                *cli_err = r;
                return -1;
            }
        }
        if (!sdone) {
            int r = gnutls_handshake(srv);
            if (r == 0)
                sdone = 1;
            else if (r != GNUTLS_E_AGAIN && r != GNUTLS_E_INTERRUPTED && gnutls_error_is_fatal(r)) {
                *srv_err = r;
                return -1;
            }
        }
    }
    return cdone && sdone ? 0 : -1;
}

int
exercise_tls_handshake(const char *cert_file, const char *chain_file, const char *key_file,
                       const void *root_der, size_t root_n, const char *host, time_t now,
                       char **cause)
{
    gnutls_certificate_credentials_t scred = NULL, ccred = NULL;
    gnutls_session_t srv = NULL, cli = NULL;
    gnutls_datum_t cert = {NULL, 0}, chain = {NULL, 0}, key = {NULL, 0}, both = {NULL, 0};
    int sv[2] = {-1, -1};
    int rc = CC_OK, err;
    if (read_file(cert_file, &cert) || read_file(chain_file, &chain) || read_file(key_file, &key)) {
        rc = cc_fail(cause, CC_EIO, "the server's certificate, chain or key file cannot be read");
        goto out;
    }
    /* the server sends its certificate followed by the chain */
    both.size = cert.size + 1 + chain.size;
    if ((both.data = gnutls_malloc(both.size)) == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    memcpy(both.data, cert.data, cert.size);
    both.data[cert.size] = '\n';
    memcpy(both.data + cert.size + 1, chain.data, chain.size);
    gnutls_datum_t root = {(unsigned char *)root_der, (unsigned)root_n};
    if ((err = gnutls_certificate_allocate_credentials(&scred)) < 0 ||
        (err = gnutls_certificate_set_x509_key_mem(scred, &both, &key, GNUTLS_X509_FMT_PEM)) < 0) {
        rc = cc_fail(cause, CC_ECRYPTO, "the web server cannot load its certificate and key: %s",
                     gnutls_strerror(err));
        goto out;
    }
    if ((err = gnutls_certificate_allocate_credentials(&ccred)) < 0 ||
        (err = gnutls_certificate_set_x509_trust_mem(ccred, &root, GNUTLS_X509_FMT_DER)) < 0) {
        rc = cc_fail(cause, CC_ECRYPTO, "the lab root cannot be trusted: %s", gnutls_strerror(err));
        goto out;
    }
    /* validity is judged at the lab clock below, not at the machine's */
    gnutls_certificate_set_verify_flags(ccred, GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                                                   GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS);
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv) != 0) {
        rc = cc_fail(cause, CC_EIO, "no socket pair for the handshake: %s", strerror(errno));
        goto out;
    }
    if ((err = gnutls_init(&srv, GNUTLS_SERVER | GNUTLS_NONBLOCK)) < 0 ||
        (err = gnutls_init(&cli, GNUTLS_CLIENT | GNUTLS_NONBLOCK)) < 0 ||
        (err = gnutls_set_default_priority(srv)) < 0 ||
        (err = gnutls_set_default_priority(cli)) < 0 ||
        (err = gnutls_credentials_set(srv, GNUTLS_CRD_CERTIFICATE, scred)) < 0 ||
        (err = gnutls_credentials_set(cli, GNUTLS_CRD_CERTIFICATE, ccred)) < 0 ||
        (err = gnutls_server_name_set(cli, GNUTLS_NAME_DNS, host, strlen(host))) < 0) {
        rc = cc_fail(cause, CC_ECRYPTO, "TLS sessions cannot be set up: %s", gnutls_strerror(err));
        goto out;
    }
    gnutls_session_set_verify_cert(cli, host, 0);
    gnutls_transport_set_int(srv, sv[0]);
    gnutls_transport_set_int(cli, sv[1]);
    int cerr, serr;
    if (pump(cli, srv, &cerr, &serr) != 0) {
        unsigned status = gnutls_session_get_verify_cert_status(cli);
        gnutls_datum_t text = {NULL, 0};
        if (cerr == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR && status != 0 &&
            gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0) >= 0)
            rc = cc_fail(cause, CC_ECRYPTO, "the client rejects the server's certificate: %s",
                         (const char *)text.data);
        else
            rc = cc_fail(cause, CC_ECRYPTO, "%s", gnutls_strerror(cerr ? cerr : serr));
        gnutls_free(text.data);
        goto out;
    }
    /* the certificate the client was given must be valid at the lab clock */
    unsigned n = 0;
    const gnutls_datum_t *peer = gnutls_certificate_get_peers(cli, &n);
    for (unsigned i = 0; rc == CC_OK && i < n; i++) {
        gnutls_x509_crt_t crt;
        if (gnutls_x509_crt_init(&crt) < 0) {
            rc = CC_ENOMEM;
            break;
        }
        if (gnutls_x509_crt_import(crt, &peer[i], GNUTLS_X509_FMT_DER) >= 0 &&
            (gnutls_x509_crt_get_activation_time(crt) > now ||
             gnutls_x509_crt_get_expiration_time(crt) <= now))
            rc = cc_fail(cause, CC_ECRYPTO,
                         "the server's certificate is not valid at the lab clock's time");
        gnutls_x509_crt_deinit(crt);
    }
    /* and data must flow: one request, one answer */
    if (rc == CC_OK) {
        static const char ping[] = "GET / HTTP/1.0\r\n\r\n";
        char buf[64];
        ssize_t r = -1;
        gnutls_record_send(cli, ping, sizeof ping - 1);
        for (int i = 0; i < 100 && r < 0; i++)
            r = gnutls_record_recv(srv, buf, sizeof buf);
        if (r != (ssize_t)(sizeof ping - 1) || memcmp(buf, ping, sizeof ping - 1) != 0)
            rc = cc_fail(cause, CC_ECRYPTO, "the handshake completed but no data arrived");
    }
out:
    if (cli)
        gnutls_deinit(cli);
    if (srv)
        gnutls_deinit(srv);
    if (sv[0] >= 0)
        close(sv[0]);
    if (sv[1] >= 0)
        close(sv[1]);
    if (scred)
        gnutls_certificate_free_credentials(scred);
    if (ccred)
        gnutls_certificate_free_credentials(ccred);
    if (key.data) {
        gnutls_memset(key.data, 0, key.size);
        gnutls_free(key.data);
    }
    gnutls_free(both.data);
    gnutls_free(cert.data);
    gnutls_free(chain.data);
    return rc;
}
