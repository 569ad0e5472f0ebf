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

/*
 * The domain's Administrator is the account of root and of the Unix user
 * who creates the database (the CA's owner, e.g. the service's user); a CA
 * Administrator maps everyone else (certcon account map).
 */
static int
map_owners(struct store *st, char **cause)
{
    struct dir_principal admin = {0};
    int rc = dir_lookup(st, "Administrator", &admin, cause);
    if (rc == CC_OK)
        rc = authz_map_initial(st, "root", admin.id, cause);
    struct passwd *pw = getpwuid(geteuid());
    if (rc == CC_OK && pw != NULL && strcmp(pw->pw_name, "root") != 0)
        rc = authz_map_initial(st, pw->pw_name, admin.id, cause);
    dir_principal_free(&admin);
    return rc;
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

    char *cause = NULL;
    int rc;
    struct lab_def def = {0};
    if (lab != NULL) {
        rc = lab_init(&c->cx, c->datadir, lab, &def, &cause);
        if (rc == CC_OK)
            rc = map_owners(c->st, &cause);
    } else {
        char *nb = NULL;
        if (netbios == NULL) {
            size_t n = strcspn(domain, ".");
            nb = xmalloc(n + 1);
            for (size_t i = 0; i < n; i++)
                nb[i] = (char)toupper((unsigned char)domain[i]);
            nb[n] = '\0';
            netbios = nb;
        }
        rc = store_begin(c->st, &cause);
        if (rc == CC_OK)
            rc = dir_domain_create(&c->cx, domain, netbios, NULL, NULL, &cause);
        if (rc == CC_OK)
            rc = template_load_builtins(&c->cx, c->datadir, &cause);
        if (rc == CC_OK)
            rc = map_owners(c->st, &cause);
        if (rc == CC_OK)
            rc = store_commit(c->st, &cause);
        else
            store_rollback(c->st);
        def.ca.name = xstrdup(ca_name);
        def.ca.edition = xstrdup("Enterprise");
        def.ca.host = xstrdup("CA");
        free(nb);
    }
    if (rc == CC_OK && key != NULL) {
        free(def.ca.key);
        def.ca.key = xstrdup(key);
    }
    if (rc == CC_OK && host != NULL) {
        free(def.ca.host);
        def.ca.host = xstrdup(host);
    }
    if (rc == CC_OK && edition != NULL) {
        free(def.ca.edition);
        def.ca.edition = xstrdup(edition);
    }
    /* CA: the enterprise root CA of the lab or the new domain is created here. */
    if (rc == CC_OK)
        rc = cmd_ca_create(c, &def.ca, passfile, key_url, &cause);
    /*
     * lab reset brings the lab back to this moment: keep it (a snapshot
     * holds the CA key file; a key in a token stays out of reach, and such
     * a lab has no reset)
     */
    if (rc == CC_OK && lab != NULL && key_url == NULL)
        rc = labsnap_save_named(&c->cx, NULL, &cause);
    if (rc != CC_OK) {
        store_close(c->st);
        c->st = NULL;
        ctx_free(&c->cx);
        remove_database(c->db_path);
        cli_fail(c, rc, cause);
        free(cause);
        lab_def_free(&def);
        return CLI_FAILED;
    }
    struct dir_domain d = {0};
    if (dir_domain_get(c->st, &d, NULL) == CC_OK) {
        cli_printf(c, "Created %s: domain %s (%s)", c->db_path, d.dns, d.netbios);
        if (def.name != NULL)
            cli_printf(c, ", lab %s", def.name);
        cli_printf(c, ".\n");
    }
    dir_domain_free(&d);
    lab_def_free(&def);
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
        struct strlist names = {0}, oids = {0};
        rc = oid_list(c->st, kinds[k].kind, &names, &oids, &cause);
        for (size_t i = 0; rc == CC_OK && i < names.n; i++)
            cli_table_add(&t, names.v[i], oids.v[i], kinds[k].label);
        strlist_free(&names);
        strlist_free(&oids);
    }
    if (rc == CC_OK)
        cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    return cli_report(c, rc, cause);
}
