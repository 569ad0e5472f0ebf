/*
 * Labs: a libconfig file describes a test network (domain, computers,
 * users, groups, the CA to create); lab_init turns it into a fresh
 * database. Keeping labs as data lets a trainer add a network without code.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "audit.h"
#include "context.h"
#include "directory.h"
#include "lab.h"
#include "status.h"
#include "template.h"
#include "util.h"

void
lab_def_free(struct lab_def *def)
{
    free(def->name);
    free(def->title);
    free(def->local_computer);
    free(def->ca.name);
    free(def->ca.host);
    free(def->ca.edition);
    free(def->ca.key);
    memset(def, 0, sizeof *def);
}

char *
lab_path(const char *datadir, const char *name)
{
    return cc_asprintf("%s/labs/%s.conf", datadir, name);
}

static int
fail_at(char **cause, const char *path, const config_setting_t *s, const char *what)
{
    return cc_fail(cause, CC_EPARSE, "%s:%u: %s", path, s ? config_setting_source_line(s) : 0u,
                   what);
}

static const char *
get_str(const config_setting_t *g, const char *key)
{
    const char *v = NULL;
    return config_setting_lookup_string(g, key, &v) ? v : NULL;
}

static int
add_members(const struct cc_ctx *cx, const char *path, config_setting_t *e, const char *member,
            char **cause)
{
    config_setting_t *groups = config_setting_get_member(e, "groups");
    for (int k = 0; groups != NULL && k < config_setting_length(groups); k++) {
        const char *g = config_setting_get_string_elem(groups, k);
        char *why = NULL;
        int rc = g ? dir_add_member(cx, g, member, &why) : CC_EPARSE;
        if (rc != CC_OK && rc != CC_EEXIST) {
            rc = cc_fail(cause, rc, "%s:%u: %s", path, config_setting_source_line(groups),
                         why ? why : "groups: expected names");
            free(why);
            return rc;
        }
        free(why);
    }
    return CC_OK;
}

static int
populate(const struct cc_ctx *cx, const char *path, config_setting_t *lab, char **cause)
{
    struct store *st = cx->st;
    config_setting_t *dom = config_setting_get_member(lab, "domain");
    if (dom == NULL || get_str(dom, "dns") == NULL || get_str(dom, "netbios") == NULL)
        return fail_at(cause, path, lab, "the lab needs domain = { dns = ...; netbios = ...; }");
    int rc = dir_domain_create(cx, get_str(dom, "dns"), get_str(dom, "netbios"),
                               get_str(dom, "sid"), get_str(dom, "forest_oid"), cause);
    if (rc != CC_OK)
        return rc;

    config_setting_t *list = config_setting_get_member(lab, "ous");
    for (int i = 0; rc == CC_OK && list != NULL && i < config_setting_length(list); i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        const char *name = get_str(e, "name");
        if (name == NULL)
            return fail_at(cause, path, e, "an organizational unit needs a name");
        rc = dir_add_ou(cx, name, get_str(e, "description"), cause);
    }
    list = config_setting_get_member(lab, "groups");
    for (int i = 0; rc == CC_OK && list != NULL && i < config_setting_length(list); i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        const char *name = get_str(e, "name");
        if (name == NULL)
            return fail_at(cause, path, e, "a group needs a name");
        rc = dir_add_group(cx, name, get_str(e, "description"), NULL, cause);
    }
    list = config_setting_get_member(lab, "computers");
    for (int i = 0; rc == CC_OK && list != NULL && i < config_setting_length(list); i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        const char *name = get_str(e, "name");
        if (name == NULL)
            return fail_at(cause, path, e, "a computer needs a name");
        struct strlist extra = {0};
        config_setting_t *x = config_setting_get_member(e, "extra_dns");
        for (int k = 0; x != NULL && k < config_setting_length(x); k++) {
            const char *d = config_setting_get_string_elem(x, k);
            if (d != NULL)
                strlist_add(&extra, d);
        }
        int dc = 0;
        config_setting_lookup_bool(e, "dc", &dc);
        rc = dir_add_computer(cx, name, get_str(e, "dns"), &extra, dc, NULL, cause);
        strlist_free(&extra);
        if (rc == CC_OK && get_str(e, "ou") != NULL)
            rc = dir_set_attribute(cx, name, "ou", get_str(e, "ou"), cause);
        if (rc == CC_OK)
            rc = add_members(cx, path, e, name, cause);
    }
    list = config_setting_get_member(lab, "users");
    for (int i = 0; rc == CC_OK && list != NULL && i < config_setting_length(list); i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        const char *name = get_str(e, "name");
        if (name == NULL)
            return fail_at(cause, path, e, "a user needs a name");
        struct dir_principal p = {0};
        if (dir_lookup(st, name, &p, NULL) == CC_OK) {
            /* a built-in account: set what the lab says about it */
            static const char *const attrs[] = {"upn", "mail", "display"};
            for (size_t k = 0; rc == CC_OK && k < 3; k++)
                if (get_str(e, attrs[k]) != NULL)
                    rc = dir_set_attribute(cx, name, attrs[k], get_str(e, attrs[k]), cause);
        } else {
            rc = dir_add_user(cx, name, get_str(e, "upn"), get_str(e, "mail"),
                              get_str(e, "display"), NULL, cause);
        }
        dir_principal_free(&p);
        if (rc == CC_OK && get_str(e, "ou") != NULL)
            rc = dir_set_attribute(cx, name, "ou", get_str(e, "ou"), cause);
        if (rc == CC_OK)
            rc = add_members(cx, path, e, name, cause);
    }
    /* group nesting: groups = ( { name = "A"; groups = [ "B" ]; } ) */
    list = config_setting_get_member(lab, "groups");
    for (int i = 0; rc == CC_OK && list != NULL && i < config_setting_length(list); i++) {
        config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        rc = add_members(cx, path, e, get_str(e, "name"), cause);
    }
    return rc;
}

static char *
dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

int
lab_init(const struct cc_ctx *cx, const char *datadir, const char *name, struct lab_def *def,
         char **cause)
{
    struct store *st = cx->st;
    char *path = lab_path(datadir, name);
    if (path == NULL)
        return CC_ENOMEM;
    config_t conf;
    config_init(&conf);
    int rc;
    memset(def, 0, sizeof *def);
    if (!config_read_file(&conf, path)) {
        rc = config_error_type(&conf) == CONFIG_ERR_FILE_IO
                 ? cc_fail(cause, CC_ENOTFOUND, "no lab named '%s' (%s is missing)", name, path)
                 : cc_fail(cause, CC_EPARSE, "%s:%d: %s", path, config_error_line(&conf),
                           config_error_text(&conf));
        goto out;
    }
    config_setting_t *lab = config_lookup(&conf, "lab");
    if (lab == NULL) {
        rc = cc_fail(cause, CC_EPARSE, "%s:1: no 'lab' group", path);
        goto out;
    }
    if ((rc = store_begin(st, cause)) != CC_OK)
        goto out;
    rc = populate(cx, path, lab, cause);
    if (rc == CC_OK)
        rc = template_load_builtins(cx, datadir, cause);
    if (rc == CC_OK)
        rc = store_meta_set(st, "lab", name, cause);
    const char *local = get_str(lab, "local_computer");
    if (rc == CC_OK && local != NULL)
        rc = store_meta_set(st, "local_computer", local, cause);
    const char *acct = get_str(lab, "default_account");
    if (rc == CC_OK && acct != NULL)
        rc = store_meta_set(st, "default_account", acct, cause);
    if (rc == CC_OK)
        rc = audit_record(cx, "lab", name, "create", NULL, path, cause);
    if (rc != CC_OK) {
        store_rollback(st);
        goto out;
    }
    if ((rc = store_commit(st, cause)) != CC_OK)
        goto out;
    def->name = strdup(name);
    def->title = dup_or_null(get_str(lab, "title"));
    def->local_computer = dup_or_null(local);
    config_setting_t *ca = config_setting_get_member(lab, "ca");
    if (ca != NULL) {
        def->ca.name = dup_or_null(get_str(ca, "name"));
        def->ca.host = dup_or_null(get_str(ca, "host"));
        def->ca.edition = dup_or_null(get_str(ca, "edition"));
        def->ca.key = dup_or_null(get_str(ca, "key"));
    }
out:
    config_destroy(&conf);
    free(path);
    return rc;
}
