/*
 * `certcon dir …`: Active Directory Users and Computers on the command
 * line — principals, groups and their members, attributes, and restarting a
 * computer so that it acts with its new group token.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autoenroll.h"
#include "cli.h"
#include "commands.h"
#include "directory.h"
#include "ops.h"
#include "status.h"

int
cmd_dir_list(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("dir", "list");
    if (cli_args(c, cmd, argc, argv, 0, 1) != CLI_OK)
        return CLI_USAGE;
    unsigned kinds = (1u << DIR_USER) | (1u << DIR_COMPUTER) | (1u << DIR_GROUP) |
                     (1u << DIR_WELLKNOWN);
    if (optind < argc) {
        const char *k = argv[optind];
        if (!strcmp(k, "users"))
            kinds = 1u << DIR_USER;
        else if (!strcmp(k, "computers"))
            kinds = 1u << DIR_COMPUTER;
        else if (!strcmp(k, "groups"))
            kinds = (1u << DIR_GROUP) | (1u << DIR_WELLKNOWN);
        else if (!strcmp(k, "ous"))
            kinds = 0;
        else
            return cli_usage_error(c, cmd, "'%s' is not users, computers, groups or ous", k);
    }
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    if (kinds == 0) {
        struct strlist ous = {0};
        int rc = ops_call(&c->cx, OP_DIR_OUS, NULL, &ous, &cause);
        if (rc != CC_OK)
            return cli_report(c, rc, cause);
        static const char *oh[] = {"Organizational unit"};
        struct cli_table t;
        cli_table_init(&t, 1, oh);
        for (size_t i = 0; i < ous.n; i++)
            cli_table_add(&t, ous.v[i]);
        cli_table_print(c, &t, stdout);
        cli_table_free(&t);
        strlist_free(&ous);
        return CLI_OK;
    }
    struct ops_dir_list_args a = {.kinds = kinds};
    struct ops_dir_list l;
    int rc = ops_call(&c->cx, OP_DIR_LIST, &a, &l, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    const struct dir_principal *v = l.v;
    size_t n = l.n;
    static const char *headers[] = {"Name", "Type", "Logon name", "DNS name / UPN", "OU",
                                    "Description"};
    struct cli_table t;
    cli_table_init(&t, 6, headers);
    for (size_t i = 0; i < n; i++) {
        const char *type = v[i].kind == DIR_COMPUTER ? (v[i].is_dc ? "Domain controller"
                                                                   : "Computer")
                           : v[i].kind == DIR_USER   ? "User"
                           : v[i].kind == DIR_GROUP  ? "Security Group"
                                                     : "Well-known group";
        cli_table_add(&t, v[i].name, type, v[i].sam,
                      v[i].kind == DIR_COMPUTER ? v[i].dns : v[i].upn, v[i].ou, v[i].description);
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    ops_dir_list_free(&l);
    return CLI_OK;
}

static char *
join_names(const struct dir_principal *v, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(v[i].name) + 2;
    char *s = xmalloc(len);
    s[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(s, ", ");
        strcat(s, v[i].name);
    }
    return s;
}

int
cmd_dir_show(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("dir", "show");
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_dir_ref ref = {.name = argv[optind]};
    struct ops_dir_show sh;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_DIR_SHOW, &ref, &sh, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    const struct dir_principal *p = &sh.p;
    static const char *headers[] = {"Attribute", "Value"};
    struct cli_table t;
    cli_table_init(&t, 2, headers);
    cli_table_add(&t, "name", p->name);
    cli_table_add(&t, "type",
                  p->kind == DIR_COMPUTER && p->is_dc ? "domain controller"
                                                      : dir_kind_name(p->kind));
    cli_table_add(&t, "logon name", sh.qualified);
    cli_table_add(&t, "sid", p->sid);
    cli_table_add(&t, "guid", p->guid);
    if (p->kind == DIR_USER) {
        cli_table_add(&t, "display", p->display);
        cli_table_add(&t, "upn", p->upn);
        cli_table_add(&t, "mail", p->mail);
    }
    if (p->kind == DIR_COMPUTER) {
        cli_table_add(&t, "dns", p->dns);
        if (p->upn != NULL)
            cli_table_add(&t, "upn", p->upn);
        char *extra = strlist_join(&p->extra_dns, ", ");
        cli_table_add(&t, "extra-dns", extra);
        free(extra);
    }
    if (p->description)
        cli_table_add(&t, "description", p->description);
    if (p->ou != NULL && *p->ou)
        cli_table_add(&t, "ou", p->ou);
    if (p->kind == DIR_GROUP && p->container != NULL && *p->container)
        cli_table_add(&t, "container", p->container);
    if (sh.has_member_of) {
        char *s = join_names(sh.member_of.v, sh.member_of.n);
        cli_table_add(&t, "member of", s);
        free(s);
    }
    if (sh.has_members) {
        char *s = join_names(sh.members.v, sh.members.n);
        cli_table_add(&t, "members", s);
        free(s);
    }
    if (sh.has_token) {
        char *s = join_names(sh.token.v, sh.token.n);
        cli_table_add(&t, "token", s);
        free(s);
    }
    if (sh.has_live) {
        char *a = join_names(sh.token.v, sh.token.n), *b = join_names(sh.live.v, sh.live.n);
        if (strcmp(a, b) != 0)
            cli_table_add(&t, "after restart", b);
        free(a);
        free(b);
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    ops_dir_show_free(&sh);
    return CLI_OK;
}

int
cmd_dir_add_user(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("dir", "add-user");
    static const struct option opts[] = {{"upn", required_argument, NULL, 'u'},
                                         {"mail", required_argument, NULL, 'm'},
                                         {"display", required_argument, NULL, 'd'},
                                         {"full-name", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const char *upn = NULL, *mail = NULL, *display = NULL, *full = NULL;
    int o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'u': upn = optarg; break;
        case 'm': mail = optarg; break;
        case 'd': display = optarg; break;
        case 'f': full = optarg; break;
        default: return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    /* the full name is the object's cn and, unless --display says otherwise, its display name */
    struct ops_dir_add a = {.name = argv[optind],
                            .cn = full,
                            .upn = upn,
                            .mail = mail,
                            .display = display ? display : full};
    int rc = ops_call(&c->cx, OP_DIR_ADD_USER, &a, NULL, &cause);
    return cli_report(c, rc, cause);
}

int
cmd_dir_add_computer(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("dir", "add-computer");
    static const struct option opts[] = {{"dns", required_argument, NULL, 'd'},
                                         {"extra-dns", required_argument, NULL, 'x'},
                                         {"dc", no_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    const char *dns = NULL;
    struct strlist extra = {0};
    int dc = 0, o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'd': dns = optarg; break;
        case 'x': strlist_add(&extra, optarg); break;
        case 'c': dc = 1; break;
        default: strlist_free(&extra); return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 1, 1) != CLI_OK || cli_open(c, 0) != CLI_OK) {
        strlist_free(&extra);
        return c->st ? CLI_FAILED : CLI_USAGE;
    }
    char *cause = NULL;
    struct ops_dir_add a = {.name = argv[optind], .dns = dns, .extra_dns = &extra, .is_dc = dc};
    int rc = ops_call(&c->cx, OP_DIR_ADD_COMPUTER, &a, NULL, &cause);
    strlist_free(&extra);
    return cli_report(c, rc, cause);
}

/* "NAME [--description TEXT]": parses, opens the database, returns the name or NULL. */
static const char *
name_and_description(struct cli *c, const char *verb, int argc, char **argv,
                     const char **description, int *rc)
{
    const struct cli_command *cmd = cli_find("dir", verb);
    static const struct option opts[] = {{"description", required_argument, NULL, 'd'},
                                         {NULL, 0, NULL, 0}};
    int o;
    *description = NULL;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o != 'd') {
            *rc = cli_bad_option(c, cmd, argc, argv);
            return NULL;
        }
        *description = optarg;
    }
    if ((*rc = cli_positional(c, cmd, argc, argv, 1, 1)) != CLI_OK)
        return NULL;
    if ((*rc = cli_open(c, 0)) != CLI_OK)
        return NULL;
    return argv[optind];
}

int
cmd_dir_add_ou(struct cli *c, int argc, char **argv)
{
    const char *description;
    int rc;
    const char *name = name_and_description(c, "add-ou", argc, argv, &description, &rc);
    if (name == NULL)
        return rc;
    char *cause = NULL;
    struct ops_dir_add a = {.name = name, .description = description};
    rc = ops_call(&c->cx, OP_DIR_ADD_OU, &a, NULL, &cause);
    return cli_report(c, rc, cause);
}

int
cmd_dir_add_group(struct cli *c, int argc, char **argv)
{
    const char *description;
    int rc;
    const char *name = name_and_description(c, "add-group", argc, argv, &description, &rc);
    if (name == NULL)
        return rc;
    char *cause = NULL;
    struct ops_dir_add a = {.name = name, .description = description};
    rc = ops_call(&c->cx, OP_DIR_ADD_GROUP, &a, NULL, &cause);
    return cli_report(c, rc, cause);
}

static int
member_command(struct cli *c, const char *verb, int add, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("dir", verb);
    if (cli_args(c, cmd, argc, argv, 2, 2) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_dir_member a = {argv[optind], argv[optind + 1]};
    int rc = ops_call(&c->cx, add ? OP_DIR_ADD_MEMBER : OP_DIR_REMOVE_MEMBER, &a, NULL, &cause);
    return cli_report(c, rc, cause);
}

int
cmd_dir_add_member(struct cli *c, int argc, char **argv)
{
    return member_command(c, "add-member", 1, argc, argv);
}

int
cmd_dir_remove_member(struct cli *c, int argc, char **argv)
{
    return member_command(c, "remove-member", 0, argc, argv);
}

int
cmd_dir_set(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("dir", "set");
    if (cli_args(c, cmd, argc, argv, 3, 3) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_dir_set a = {argv[optind], argv[optind + 1], argv[optind + 2]};
    int rc = ops_call(&c->cx, OP_DIR_SET, &a, NULL, &cause);
    return cli_report(c, rc, cause);
}

int
cmd_dir_restart(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("dir", "restart");
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_pulse a = {.principal = argv[optind], .how = AE_START_RESTART};
    struct ops_pulse_result r = {0};
    int rc = ops_call(&c->cx, OP_AUTOENROLL_RESTART, &a, &r, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    if (!c->tsv)
        cli_printf(c, "%s restarted; its group memberships now apply.\n", argv[optind]);
    rc = cmd_pulse_print(c, &r.v[0].report, argv[optind], 0);
    ops_pulse_result_free(&r);
    return rc;
}

int
cmd_dir_logon(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("dir", "logon");
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_pulse a = {.principal = argv[optind], .how = AE_START_LOGON};
    struct ops_pulse_result r = {0};
    int rc = ops_call(&c->cx, OP_AUTOENROLL_RESTART, &a, &r, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    rc = cmd_pulse_print(c, &r.v[0].report, argv[optind], 0);
    ops_pulse_result_free(&r);
    return rc;
}
