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
#include "ops.h"
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
    struct ops_template_list l;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_TEMPLATE_LIST, NULL, &l, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    static const char *headers[] = {"Template Display Name", "Schema Version", "Version",
                                    "Intended Purposes", "Template Name"};
    struct cli_table t;
    cli_table_init(&t, 5, headers);
    for (size_t i = 0; i < l.n; i++) {
        char schema[8];
        snprintf(schema, sizeof schema, "%d", l.v[i].schema_version);
        char *ver = template_version_string(&l.v[i]);
        cli_table_add(&t, l.v[i].display_name, schema, ver, l.purposes[i], l.v[i].cn);
        free(ver);
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    ops_template_list_free(&l);
    return CLI_OK;
}

/* One template as the show and acl verbs print it; settings: with every setting's value. */
static int
load(struct cli *c, const char *name, int settings, struct ops_template_view *v)
{
    char *cause = NULL;
    struct ops_template_ref ref = {.name = name, .settings = settings};
    int rc = ops_call(&c->cx, OP_TEMPLATE_GET, &ref, v, &cause);
    if (rc != CC_OK) {
        cli_fail(c, rc, cause);
        free(cause);
        return CLI_FAILED;
    }
    return CLI_OK;
}

static void
add_acl_rows(struct cli_table *t, const struct ops_template_view *v, int with_tab)
{
    for (size_t i = 0; i < v->t.acl.n; i++) {
        const struct acl_entry *e = &v->t.acl.v[i];
        const char *who = v->acl_names[i] ? v->acl_names[i] : e->name;
        char *a = acl_rights_format(e->allow), *d = acl_rights_format(e->deny);
        char *text = xasprintf("allow %s%s%s", *a ? a : "-", *d ? "; deny " : "", d);
        if (with_tab)
            cli_table_add(t, "Security", who, text);
        else
            cli_table_add(t, who, *a ? a : "-", *d ? d : "-");
        free(a);
        free(d);
        free(text);
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
    char *cause = NULL;
    if (conf) {
        struct ops_template_name a = {argv[optind]};
        struct ops_template_text text = {0};
        int rc = ops_call(&c->cx, OP_TEMPLATE_EXPORT, &a, &text, &cause);
        if (rc == CC_OK)
            cli_print_lines(c, text.text, 0);
        free(text.text);
        return cli_report(c, rc, cause);
    }
    struct ops_template_view v;
    if (load(c, argv[optind], 1, &v) != CLI_OK)
        return CLI_FAILED;
    const struct template *tp = &v.t;
    static const char *headers[] = {"Tab", "Setting", "Value"};
    struct cli_table t;
    cli_table_init(&t, 3, headers);
    char schema[8], *ver = template_version_string(tp);
    snprintf(schema, sizeof schema, "%d", tp->schema_version);
    cli_table_add(&t, "General", "template-name", tp->cn);
    cli_table_add(&t, "General", "oid", tp->oid);
    cli_table_add(&t, "General", "schema", schema);
    cli_table_add(&t, "General", "version", ver);
    cli_table_add(&t, "General", "built-in", template_is_builtin(tp) ? "yes" : "no");
    cli_table_add(&t, "General", "type", template_is_machine(tp) ? "computer" : "user");
    free(ver);
    size_t n;
    const struct template_setting *s = template_settings(&n);
    for (size_t i = 0; i < n && i < v.nvalues; i++)
        cli_table_add(&t, s[i].tab, s[i].name, v.values[i]);
    add_acl_rows(&t, &v, 1);
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    ops_template_view_free(&v);
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
    struct ops_template_duplicate a = {argv[optind], argv[optind + 1], compat};
    struct template t = {0};
    int rc = ops_call(&c->cx, OP_TEMPLATE_DUPLICATE, &a, &t, &cause);
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
        struct ops_acme_template a = {argv[optind], argv[optind + 2]};
        int rc = ops_call(&c->cx, OP_ACME_TEMPLATE_SERVE, &a, NULL, &cause);
        if (rc != CC_OK)
            return cli_report(c, rc, cause);
        if (!c->tsv)
            cli_printf(c, "%s: acme = %s\n", argv[optind], argv[optind + 2]);
        return CLI_OK;
    }
    struct ops_template_set a = {argv[optind], argv[optind + 1], argv[optind + 2]};
    struct ops_template_set_result r;
    int rc = ops_call(&c->cx, OP_TEMPLATE_SET, &a, &r, &cause);
    if (rc == CC_OK && !c->tsv)
        cli_printf(c, "%s: %s = %s (version %u.%u)\n", r.t.display_name, argv[optind + 1], r.value,
                   r.t.revision, r.t.minor_revision);
    if (rc == CC_OK)
        ops_template_set_result_free(&r);
    if (rc == CC_EINVAL) {
        cli_error("%s", cause);
        free(cause);
        return CLI_FAILED;
    }
    return cli_report(c, rc, cause);
}

int
cmd_template_acl(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("template", "acl");
    static const struct option opts[] = {{"allow", required_argument, NULL, 'a'},
                                         {"deny", required_argument, NULL, 'd'},
                                         {"remove", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    struct ops_acl_change *changes = NULL;
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
        changes[nchanges++] = (struct ops_acl_change){o == 'a'   ? OPS_ACL_ALLOW
                                                      : o == 'd' ? OPS_ACL_DENY
                                                                 : OPS_ACL_REMOVE,
                                                      optarg};
    }
    if (cli_positional(c, cmd, argc, argv, 1, 1) != CLI_OK || cli_open(c, 0) != CLI_OK) {
        free(changes);
        return c->st ? CLI_FAILED : CLI_USAGE;
    }
    char *cause = NULL;
    struct ops_template_acl a = {argv[optind], changes, nchanges};
    struct ops_template_view v;
    int rc = ops_call(&c->cx, OP_TEMPLATE_ACL, &a, &v, &cause);
    free(changes);
    if (rc == CC_OK) {
        static const char *headers[] = {"Principal", "Allow", "Deny"};
        struct cli_table tab;
        cli_table_init(&tab, 3, headers);
        add_acl_rows(&tab, &v, 0);
        cli_table_print(c, &tab, stdout);
        cli_table_free(&tab);
        ops_template_view_free(&v);
    }
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
    char *cause = NULL;
    struct ops_template_name a = {argv[optind]};
    struct ops_template_text text = {0};
    int rc = ops_call(&c->cx, OP_TEMPLATE_EXPORT, &a, &text, &cause);
    if (rc == CC_OK)
        cli_print_lines(c, text.text, 1); /* raw into a file, escaped on a terminal */
    if (rc == CC_OK && (ferror(stdout) || fflush(stdout) != 0))
        rc = cc_fail(&cause, CC_EIO, "cannot write the template to standard output");
    free(text.text);
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
    struct ops_template_import a = {argv[optind]};
    struct template t = {0};
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_TEMPLATE_IMPORT, &a, &t, &cause);
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
    struct ops_template_name a = {argv[optind]};
    int rc = ops_call(&c->cx, OP_TEMPLATE_DELETE, &a, NULL, &cause);
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
    struct ops_template_name a = {argv[optind]};
    struct template t = {0};
    int rc = ops_call(&c->cx, OP_TEMPLATE_REENROLL, &a, &t, &cause);
    if (rc == CC_OK && !c->tsv)
        cli_printf(c,
                   "%s is now version %u.%u: holders reenroll at their next "
                   "autoenrollment.\n",
                   t.display_name, t.revision, t.minor_revision);
    template_free(&t);
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
    char *cause = NULL;
    struct ops_template_lint a = {optind < argc ? argv[optind] : NULL, NULL};
    struct ops_template_lint_result r;
    int rc = ops_call(&c->cx, OP_TEMPLATE_LINT, &a, &r, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    size_t n = r.n;
    const struct template *v = r.v;
    static const char *headers[] = {"Template", "Id", "Severity", "Why", "Fix"};
    struct cli_table t;
    cli_table_init(&t, 5, headers);
    int warn = 0, shown = 0;
    for (size_t i = 0; i < n; i++) {
        const struct lint_finding *f = r.findings[i];
        size_t nf = r.nfindings[i];
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
    }
    if (shown == 0 && !c->tsv)
        cli_printf(c, "No risky settings found in %zu template%s.\n", n, n == 1 ? "" : "s");
    else if (c->tsv)
        cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    ops_template_lint_result_free(&r);
    return warn ? CLI_FAILED : CLI_OK;
}
