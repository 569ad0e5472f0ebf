/*
 * Creating a database (init) and named policies (oid): the commands that
 * are about the whole database rather than one kind of object.
 */
#include "config.h"

#include <ctype.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "authz.h"
#include "cli.h"
#include "clock.h"
#include "commands.h"
#include "cmd_ca.h"
#include "directory.h"
#include "lab.h"
#include "labsnap.h"
#include "oids.h"
#include "ops.h"
#include "status.h"
#include "template.h"
#include "util.h"

/* Removes a database that init created and could not finish. */
static void
remove_database(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char *p = xasprintf("%s%s", path, suffixes[i]);
        unlink(p);
        free(p);
    }
}

int
cmd_init(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("init", NULL);
    static const struct option opts[] = {
        {"lab", required_argument, NULL, 'l'},   {"domain", required_argument, NULL, 'd'},
        {"netbios", required_argument, NULL, 'n'}, {"ca-name", required_argument, NULL, 'c'},
        {"key", required_argument, NULL, 'k'},   {"ca-host", required_argument, NULL, 'H'},
        {"edition", required_argument, NULL, 'e'},
        {"ca-passphrase-file", required_argument, NULL, 'p'},
        {"ca-key-url", required_argument, NULL, 'u'}, {NULL, 0, NULL, 0},
    };
    const char *lab = NULL, *domain = NULL, *netbios = NULL, *ca_name = NULL, *key = NULL;
    const char *host = NULL, *edition = NULL, *passfile = NULL, *key_url = NULL;
    int o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'l': lab = optarg; break;
        case 'd': domain = optarg; break;
        case 'n': netbios = optarg; break;
        case 'c': ca_name = optarg; break;
        case 'k': key = optarg; break;
        case 'H': host = optarg; break;
        case 'e': edition = optarg; break;
        case 'p': passfile = optarg; break;
        case 'u': key_url = optarg; break;
        default: return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if ((lab == NULL) == (domain == NULL))
        return cli_usage_error(c, cmd, "give either --lab NAME or --domain DNS");
    if (domain != NULL && ca_name == NULL)
        return cli_usage_error(c, cmd, "--domain needs --ca-name");
    if (lab != NULL && (netbios || ca_name))
        return cli_usage_error(c, cmd, "--lab takes its names from the lab file");

    struct stat sb;
    if (stat(c->db_path, &sb) == 0) {
        cli_error("a database already exists at %s: remove it first or choose another with --db",
                  c->db_path);
        return CLI_FAILED;
    }
    if (cli_open(c, 1) != CLI_OK)
        return CLI_FAILED;

    char *cause = NULL, *pass = NULL;
    struct passwd *pw = getpwuid(geteuid());
    const char *url = key_url ? key_url : getenv("CERTCON_CA_KEY_URL");
    struct ops_ca_init a = {
        .datadir = c->datadir,
        .lab = lab,
        .domain = domain,
        .netbios = netbios,
        .ca_name = ca_name,
        .key = key,
        .host = host,
        .edition = edition,
        .key_url = url && *url ? url : NULL,
        .unix_user = pw ? pw->pw_name : NULL,
    };
    struct ops_ca_init_result made;
    int rc = cmd_ca_passphrase(c, passfile, &pass, &cause);
    a.passphrase = pass;
    if (rc == CC_OK)
        rc = ops_call(&c->cx, OP_CA_INIT, &a, &made, &cause);
    if (pass) {
        memset(pass, 0, strlen(pass));
        free(pass);
    }
    if (rc != CC_OK) {
        store_close(c->st);
        c->st = NULL;
        ctx_free(&c->cx);
        remove_database(c->db_path);
        cli_fail(c, rc, cause);
        free(cause);
        return CLI_FAILED;
    }
    if (made.dns != NULL) {
        cli_printf(c, "Created %s: domain %s (%s)", c->db_path, made.dns, made.netbios);
        if (made.lab != NULL)
            cli_printf(c, ", lab %s", made.lab);
        cli_printf(c, ".\n");
    }
    ops_ca_init_result_free(&made);
    return CLI_OK;
}

int
cmd_oid_add(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("oid", "add");
    static const struct option opts[] = {{"issuance", no_argument, NULL, 'i'},
                                         {NULL, 0, NULL, 0}};
    int issuance = 0, o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'i')
            issuance = 1;
        else
            return cli_bad_option(c, cmd, argc, argv);
    }
    if (cli_positional(c, cmd, argc, argv, 2, 2) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    struct ops_oid_add a = {argv[optind], argv[optind + 1],
                            issuance ? OID_KIND_ISSUANCE : OID_KIND_APPLICATION};
    int rc = ops_call(&c->cx, OP_OID_ADD, &a, NULL, &cause);
    if (rc != CC_OK) {
        cli_fail(c, rc, cause);
        free(cause);
        return CLI_FAILED;
    }
    if (!c->tsv)
        cli_printf(c, "Added %s policy '%s' (%s).\n", issuance ? "issuance" : "application",
                   argv[optind], argv[optind + 1]);
    return CLI_OK;
}

int
cmd_oid_list(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("oid", "list");
    if (cli_args(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    static const char *headers[] = {"Name", "Object identifier", "Kind"};
    static const struct {
        enum oid_kind kind;
        const char *label;
    } kinds[] = {{OID_KIND_APPLICATION, "application"}, {OID_KIND_ISSUANCE, "issuance"}};
    struct cli_table t;
    cli_table_init(&t, 3, headers);
    int rc = CC_OK;
    char *cause = NULL;
    for (size_t k = 0; rc == CC_OK && k < sizeof kinds / sizeof kinds[0]; k++) {
        struct ops_oid_kind a = {kinds[k].kind, 0};
        struct ops_oid_list r;
        rc = ops_call(&c->cx, OP_OID_LIST, &a, &r, &cause);
        for (size_t i = 0; rc == CC_OK && i < r.names.n; i++)
            cli_table_add(&t, r.names.v[i], r.oids.v[i], kinds[k].label);
        if (rc == CC_OK)
            ops_oid_list_free(&r);
    }
    if (rc == CC_OK)
        cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    return cli_report(c, rc, cause);
}
