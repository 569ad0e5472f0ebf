/*
 * Who may do what: the account map (which directory account each Unix user
 * acts as), the CA's roles, and role separation.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "authority.h"
#include "cli.h"
#include "commands.h"
#include "ops.h"
#include "status.h"
#include "util.h"

int
cmd_account_map(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("account", "map");
    if (cli_args(c, cmd, argc, argv, 2, 2) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_account_map a = {argv[optind], argv[optind + 1]};
    int rc = ops_call(&c->cx, OP_ACCOUNT_MAP, &a, NULL, &cause);
    return cli_report(c, rc, cause);
}

int
cmd_account_unmap(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("account", "unmap");
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_account_map a = {argv[optind], NULL};
    int rc = ops_call(&c->cx, OP_ACCOUNT_UNMAP, &a, NULL, &cause);
    return cli_report(c, rc, cause);
}

int
cmd_account_list(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("account", "list");
    if (cli_args(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_account_list l;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_ACCOUNT_LIST, NULL, &l, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    const struct authz_mapping *v = l.v;
    size_t n = l.n;
    static const char *headers[] = {"Unix user", "Account"};
    struct cli_table t;
    cli_table_init(&t, 2, headers);
    for (size_t i = 0; i < n; i++)
        cli_table_add(&t, v[i].unix_user, v[i].account ? v[i].account : "?");
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    ops_account_list_free(&l);
    return CLI_OK;
}

static int
print_roles(struct cli *c)
{
    struct ops_ca_roles r;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_CA_ROLES, NULL, &r, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    static const char *headers[] = {"Principal", "Allowed", "Denied"};
    struct cli_table t;
    cli_table_init(&t, 3, headers);
    for (size_t i = 0; i < r.n; i++) {
        const struct authority_ace *v = &r.aces[i];
        char *a = authority_rights_format(v->allow), *d = authority_rights_format(v->deny);
        cli_table_add(&t, v->name ? v->name : "?", a ? a : "", d ? d : "");
        free(a);
        free(d);
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    if (!c->tsv)
        cli_printf(c, "\nRole separation: %s\n", r.role_separation ? "on" : "off");
    ops_ca_roles_free(&r);
    return CLI_OK;
}

int
cmd_ca_roles(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("ca", "roles");
    static const struct option opts[] = {
        {"grant", required_argument, NULL, 'g'},
        {"deny", required_argument, NULL, 'd'},
        {"revoke", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    struct strlist grant = {0}, deny = {0}, revoke = {0};
    int o, usage = CLI_OK;
    optind = 0;
    opterr = 0;
    while (usage == CLI_OK && (o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'g': strlist_add(&grant, optarg); break;
        case 'd': strlist_add(&deny, optarg); break;
        case 'r': strlist_add(&revoke, optarg); break;
        default: usage = cli_bad_option(c, cmd, argc, argv); break;
        }
    }
    if (usage == CLI_OK && cli_positional(c, cmd, argc, argv, 0, 0) != CLI_OK)
        usage = CLI_USAGE;
    int result = usage;
    if (result != CLI_OK || cli_open(c, 0) != CLI_OK) {
        result = result != CLI_OK ? result : CLI_FAILED;
        goto out;
    }
    if (grant.n + deny.n + revoke.n == 0) {
        result = print_roles(c);
        goto out;
    }
    /* every change is checked before any is written: all land or none */
    char *cause = NULL;
    struct ops_ca_roles_change a = {&grant, &deny, &revoke};
    int rc = ops_call(&c->cx, OP_CA_ROLES_CHANGE, &a, NULL, &cause);
    result = rc == CC_OK ? print_roles(c) : cli_report(c, rc, cause);
out:
    strlist_free(&grant);
    strlist_free(&deny);
    strlist_free(&revoke);
    return result;
}

/*
 * Role separation is the CA host's setting, not the CA's (AD CS keeps it in
 * the registry, out of reach of the roles it constrains): only the owner of
 * the database, or root, turns it on or off, on the CA host itself.
 */
int
cmd_ca_role_separation(struct cli *c, const char *value)
{
    int on;
    if (strcmp(value, "on") == 0)
        on = 1;
    else if (strcmp(value, "off") == 0)
        on = 0;
    else {
        cli_error("role-separation: '%s' must be on or off", value);
        return CLI_USAGE;
    }
    if (c->served) {
        cli_error("role separation is set on the CA host by the owner of the database, not "
                  "through the CA service");
        return CLI_FAILED;
    }
    /*
     * The operation decides; this only says it before opening a database
     * that someone other than its owner could not open to ask.
     */
    struct stat sb;
    if (stat(c->db_path, &sb) != 0) {
        cli_error("%s: %s", c->db_path, strerror(errno));
        return CLI_FAILED;
    }
    if (geteuid() != 0 && geteuid() != sb.st_uid) {
        cli_error("role separation is set by the owner of %s (or root)", c->db_path);
        return CLI_FAILED;
    }
    c->no_role_check = 1;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_ca_role_separation a = {on};
    int rc = ops_call(&c->cx, OP_CA_ROLE_SEPARATION, &a, NULL, &cause);
    return cli_report(c, rc, cause);
}
