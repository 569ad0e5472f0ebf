/*
 * `certcon template …`: the Certificate Templates console on the command
 * line. Each command loads a draft, changes it through the core's setting
 * table and saves it once, so the rules are the console's rules.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl.h"
#include "acme.h"
#include "cli.h"
#include "commands.h"
#include "directory.h"
#include "lint.h"
#include "oids.h"
#include "status.h"
#include "template.h"

int
cmd_template_list(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("template", "list");
    if (cli_args(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct template *v = NULL;
    size_t n = 0;
    char *cause = NULL;
    int rc = template_list(c->st, &v, &n, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    static const char *headers[] = {"Template Display Name", "Schema Version", "Version",
                                    "Intended Purposes", "Template Name"};
    struct cli_table t;
    cli_table_init(&t, 5, headers);
    for (size_t i = 0; i < n; i++) {
        char schema[8];
        snprintf(schema, sizeof schema, "%d", v[i].schema_version);
        char *ver = template_version_string(&v[i]), *purposes = template_purposes(c->st, &v[i]);
        cli_table_add(&t, v[i].display_name, schema, ver, purposes, v[i].cn);
        free(ver);
        free(purposes);
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    template_list_free(v, n);
    return CLI_OK;
}

static int
load(struct cli *c, const char *name, struct template *t)
{
    char *cause = NULL;
    int rc = template_load(c->st, name, t, &cause);
    if (rc != CC_OK) {
        cli_fail(c, rc, cause);
        free(cause);
        return CLI_FAILED;
    }
    return CLI_OK;
}

static void
add_acl_rows(struct cli *c, struct cli_table *t, const struct template *tp, int with_tab)
{
    for (size_t i = 0; i < tp->acl.n; i++) {
        const struct acl_entry *e = &tp->acl.v[i];
        struct dir_principal p = {0};
        char *who = NULL;
        if (dir_get(c->st, e->principal, &p, NULL) == CC_OK)
            who = dir_qualified_name(c->st, &p);
        dir_principal_free(&p);
        char *a = acl_rights_format(e->allow), *d = acl_rights_format(e->deny);
        char *v = xasprintf("allow %s%s%s", *a ? a : "-", *d ? "; deny " : "", d);
        if (with_tab)
            cli_table_add(t, "Security", who ? who : e->name, v);
        else
            cli_table_add(t, who ? who : e->name, *a ? a : "-", *d ? d : "-");
        free(a);
        free(d);
        free(v);
        free(who);
    }
}

int
cmd_template_show(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("template", "show");
    static const struct option opts[] = {{"conf", no_argument, NULL, 'c'}, {NULL, 0, NULL, 0}};
    int conf = 0, o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'c')
            conf = 1;
        else
            return cli_bad_option(c, cmd, argc, argv);
    }
    if (cli_positional(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct template tp = {0};
    if (load(c, argv[optind], &tp) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    if (conf) {
        char *text = NULL;
        int rc = template_export(c->st, &tp, &text, &cause);
        if (rc == CC_OK)
            cli_print_lines(c, text, 0);
        free(text);
        template_free(&tp);
        return cli_report(c, rc, cause);
    }
    static const char *headers[] = {"Tab", "Setting", "Value"};
    struct cli_table t;
    cli_table_init(&t, 3, headers);
    char schema[8], *ver = template_version_string(&tp);
    snprintf(schema, sizeof schema, "%d", tp.schema_version);
    cli_table_add(&t, "General", "template-name", tp.cn);
    cli_table_add(&t, "General", "oid", tp.oid);
    cli_table_add(&t, "General", "schema", schema);
    cli_table_add(&t, "General", "version", ver);
    cli_table_add(&t, "General", "built-in", template_is_builtin(&tp) ? "yes" : "no");
    cli_table_add(&t, "General", "type", template_is_machine(&tp) ? "computer" : "user");
    free(ver);
    size_t n;
    const struct template_setting *s = template_settings(&n);
    for (size_t i = 0; i < n; i++) {
        char *v = template_get(c->st, &tp, s[i].name);
        cli_table_add(&t, s[i].tab, s[i].name, v);
        free(v);
    }
    add_acl_rows(c, &t, &tp, 1);
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    template_free(&tp);
    return CLI_OK;
}

int
cmd_template_duplicate(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("template", "duplicate");
    static const struct option opts[] = {{"compat", required_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    enum template_compat compat = COMPAT_2003;
    char *cause = NULL;
    int o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o != 'c')
            return cli_bad_option(c, cmd, argc, argv);
        if (template_compat_parse(optarg, &compat, &cause) != CC_OK) {
            cli_usage_error(c, cmd, "%s", cause);
            free(cause);
            return CLI_USAGE;
        }
    }
    if (cli_positional(c, cmd, argc, argv, 2, 2) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct template t = {0};
    int rc = template_duplicate(&c->cx, argv[optind], argv[optind + 1], compat, &t, &cause);
    if (rc == CC_OK) {
        if (c->tsv)
            cli_printf(c, "%s\t%s\t%s\t%d\n", t.display_name, t.cn, t.oid, t.schema_version);
        else
            cli_printf(c, "Created '%s' (template name %s, version %d template, OID %s).\n",
                       t.display_name, t.cn, t.schema_version, t.oid);
    }
    template_free(&t);
    return cli_report(c, rc, cause);
}

static void
print_settings_help(void)
{
    size_t n;
    const struct template_setting *s = template_settings(&n);
    cli_printf(NULL, "Settings, by property-sheet tab:\n");
    const char *tab = "";
    for (size_t i = 0; i < n; i++) {
        if (strcmp(tab, s[i].tab) != 0) {
            tab = s[i].tab;
            cli_printf(NULL, "\n  %s\n", tab);
        }
        cli_printf(NULL, "    %-27s %s\n", s[i].name, s[i].values);
        cli_printf(NULL, "    %-27s %s\n", "", s[i].help);
    }
    cli_printf(NULL, "\n  ACME\n    %-27s %s\n    %-27s %s\n", "acme", "on or off", "",
               "served at /acme/TEMPLATE/directory by certcon serve (CA Administrator)");
    cli_printf(
        NULL, "\nPolicies are names ('Server Authentication', a name made with 'certcon oid add')\n"
              "or object identifiers; lists are comma-separated. Version 1 built-ins cannot be\n"
              "changed: duplicate them first.\n");
}

int
cmd_template_set(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("template", "set");
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        print_settings_help();
        return CLI_OK;
    }
    /* values may start with '-' (none do today, but a display name could) */
    optind = 1;
    if (argc > 1 && strcmp(argv[1], "--") == 0)
        optind = 2;
    if (cli_positional(c, cmd, argc, argv, 3, 3) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    if (strcmp(argv[optind + 1], "acme") == 0) {
        /* served over ACME or not: the CA's setting, not an attribute of the template */
        int rc = acme_template_set(&c->cx, argv[optind], argv[optind + 2], &cause);
        if (rc != CC_OK)
            return cli_report(c, rc, cause);
        if (!c->tsv)
            cli_printf(c, "%s: acme = %s\n", argv[optind], argv[optind + 2]);
        return CLI_OK;
    }
    struct template t = {0};
    if (load(c, argv[optind], &t) != CLI_OK)
        return CLI_FAILED;
    /* what was loaded: others' saves since then of other settings are kept */
    struct template base = {0};
    int rc = template_copy(&base, &t);
    if (rc == CC_OK)
        rc = template_set(c->st, &t, argv[optind + 1], argv[optind + 2], &cause);
    if (rc == CC_OK)
        rc = template_save_edit(&c->cx, &base, &t, &cause);
    template_free(&base);
    if (rc == CC_OK && !c->tsv) {
        char *v = template_get(c->st, &t, argv[optind + 1]);
        cli_printf(c, "%s: %s = %s (version %u.%u)\n", t.display_name, argv[optind + 1], v ? v : "",
                   t.revision, t.minor_revision);
        free(v);
    }
    template_free(&t);
    if (rc == CC_EINVAL) {
        cli_error("%s", cause);
        free(cause);
        return CLI_FAILED;
    }
    return cli_report(c, rc, cause);
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
        *who = xstrdup(spec);
        *mask = ACL_ALL;
        return CC_OK;
    }
    *who = xasprintf("%.*s", (int)(colon - spec), spec);
    int rc = acl_rights_parse(colon + 1, mask, cause);
    if (rc != CC_OK) {
        free(*who);
        *who = NULL;
    }
    return rc;
}

int
cmd_template_acl(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("template", "acl");
    static const struct option opts[] = {{"allow", required_argument, NULL, 'a'},
                                         {"deny", required_argument, NULL, 'd'},
                                         {"remove", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    struct change {
        int op;
        const char *spec;
    } *changes = NULL;
    size_t nchanges = 0;
    int o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == '?' || o == ':') {
            free(changes);
            return cli_bad_option(c, cmd, argc, argv);
        }
        changes = xrealloc(changes, (nchanges + 1) * sizeof *changes);
        changes[nchanges++] = (struct change){o, optarg};
    }
    if (cli_positional(c, cmd, argc, argv, 1, 1) != CLI_OK || cli_open(c, 0) != CLI_OK) {
        free(changes);
        return c->st ? CLI_FAILED : CLI_USAGE;
    }
    struct template t = {0};
    if (load(c, argv[optind], &t) != CLI_OK) {
        free(changes);
        return CLI_FAILED;
    }
    struct template base = {0};
    if (template_copy(&base, &t) != CC_OK) {
        free(changes);
        template_free(&t);
        cli_error("out of memory");
        return CLI_FAILED;
    }
    char *cause = NULL;
    int rc = CC_OK;
    for (size_t i = 0; i < nchanges && rc == CC_OK; i++) {
        char *who = NULL;
        unsigned mask = 0;
        rc = split_spec(changes[i].spec, &who, &mask, changes[i].op != 'r', &cause);
        if (rc != CC_OK) {
            rc = CC_EINVAL;
            break;
        }
        struct dir_principal p = {0};
        if ((rc = dir_lookup(c->st, who, &p, &cause)) == CC_OK) {
            if (changes[i].op == 'a')
                rc = acl_grant(&t.acl, p.id, p.name, mask, 0);
            else if (changes[i].op == 'd')
                rc = acl_grant(&t.acl, p.id, p.name, 0, mask);
            else if ((rc = acl_revoke(&t.acl, p.id, mask)) == CC_ENOTFOUND)
                rc = cc_fail(&cause, CC_ENOTFOUND, "%s is not in the permissions of '%s'",
                             p.name, t.display_name);
        }
        dir_principal_free(&p);
        free(who);
    }
    free(changes);
    if (rc == CC_OK && nchanges > 0)
        rc = template_save_edit(&c->cx, &base, &t, &cause);
    template_free(&base);
    if (rc == CC_OK) {
        static const char *headers[] = {"Principal", "Allow", "Deny"};
        struct cli_table tab;
        cli_table_init(&tab, 3, headers);
        add_acl_rows(c, &tab, &t, 0);
        cli_table_print(c, &tab, stdout);
        cli_table_free(&tab);
    }
    template_free(&t);
    return cli_report(c, rc, cause);
}

int
cmd_template_export(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("template", "export");
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct template t = {0};
    if (load(c, argv[optind], &t) != CLI_OK)
        return CLI_FAILED;
    char *text = NULL, *cause = NULL;
    int rc = template_export(c->st, &t, &text, &cause);
    if (rc == CC_OK)
        cli_print_lines(c, text, 1); /* raw into a file, escaped on a terminal */
    if (rc == CC_OK && (ferror(stdout) || fflush(stdout) != 0))
        rc = cc_fail(&cause, CC_EIO, "cannot write the template to standard output");
    free(text);
    template_free(&t);
    return cli_report(c, rc, cause);
}

int
cmd_template_import(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("template", "import");
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct template t = {0};
    char *cause = NULL;
    int rc = template_import(&c->cx, argv[optind], &t, &cause);
    if (rc == CC_OK && !c->tsv)
        cli_printf(c, "Imported '%s' (template name %s, OID %s).\n", t.display_name, t.cn, t.oid);
    template_free(&t);
    return cli_report(c, rc, cause);
}

int
cmd_template_delete(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("template", "delete");
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    int rc = template_delete(&c->cx, argv[optind], &cause);
    return cli_report(c, rc, cause);
}

int
cmd_template_reenroll(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("template", "reenroll");
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    int rc = template_reenroll_all(&c->cx, argv[optind], &cause);
    if (rc == CC_OK && !c->tsv) {
        struct template t = {0};
        if (template_load(c->st, argv[optind], &t, NULL) == CC_OK)
            cli_printf(c,
                       "%s is now version %u.%u: holders reenroll at their next "
                       "autoenrollment.\n",
                       t.display_name, t.revision, t.minor_revision);
        template_free(&t);
    }
    return cli_report(c, rc, cause);
}

int
cmd_template_lint(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("template", "lint");
    if (cli_args(c, cmd, argc, argv, 0, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct template *v = NULL;
    size_t n = 0;
    char *cause = NULL;
    int rc;
    if (optind < argc) {
        v = xcalloc(1, sizeof *v);
        rc = template_load(c->st, argv[optind], v, &cause);
        n = rc == CC_OK ? 1 : 0;
    } else {
        rc = template_list(c->st, &v, &n, &cause);
    }
    if (rc != CC_OK) {
        free(v);
        return cli_report(c, rc, cause);
    }
    static const char *headers[] = {"Template", "Id", "Severity", "Why", "Fix"};
    struct cli_table t;
    cli_table_init(&t, 5, headers);
    int warn = 0, shown = 0;
    for (size_t i = 0; i < n && rc == CC_OK; i++) {
        struct lint_finding *f = NULL;
        size_t nf = 0;
        rc = template_lint(c->st, &v[i], &f, &nf, &cause);
        for (size_t k = 0; k < nf; k++) {
            /* the sentences are long: a block each for people, a row each for scripts */
            if (c->tsv)
                cli_table_add(&t, v[i].display_name, f[k].id, lint_severity_name(f[k].severity),
                              f[k].why, f[k].fix);
            else {
                if (shown++)
                    cli_printf(c, "\n");
                cli_printf(c, "%s: %s (%s)\n  Why: %s\n  Fix: %s\n", v[i].display_name, f[k].id,
                           lint_severity_name(f[k].severity), f[k].why, f[k].fix);
            }
            warn |= f[k].severity >= LINT_MEDIUM;
        }
        lint_findings_free(f, nf);
    }
    if (rc == CC_OK && shown == 0 && !c->tsv)
        cli_printf(c, "No risky settings found in %zu template%s.\n", n, n == 1 ? "" : "s");
    else if (rc == CC_OK && c->tsv)
        cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    template_list_free(v, n);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    return warn ? CLI_FAILED : CLI_OK;
}
