/*
 * certcon acme: the CA administrator's side of ACME. `acme eab` makes an
 * External Account Binding key that binds the ACME account a client
 * registers with it to a directory principal (RFC 8555 7.3.4); its HMAC
 * key is printed once and never shown again. `acme accounts` lists the
 * accounts, `acme orders` an account's orders, `acme deactivate` ends an
 * account. Each goes through the operations table.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "acme.h"
#include "cli.h"
#include "cmd_ca.h"
#include "commands.h"
#include "ops.h"
#include "status.h"
#include "template.h"

int
cmd_acme_eab(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("acme", "eab");
    static const struct option opts[] = {{"for", required_argument, NULL, 'f'},
                                         {"template", required_argument, NULL, 't'},
                                         {"valid", required_argument, NULL, 'v'},
                                         {NULL, 0, NULL, 0}};
    const char *who = NULL, *tmpl = NULL, *valid = NULL;
    int o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'f':
            who = optarg;
            break;
        case 't':
            tmpl = optarg;
            break;
        case 'v':
            valid = optarg;
            break;
        default:
            return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (who == NULL)
        return cli_usage_error(c, cmd, "--for names the user or computer the account acts as");
    int64_t secs = ACME_EAB_VALIDITY;
    char *cause = NULL;
    if (valid && template_period_parse(valid, &secs, &cause) != CC_OK) {
        cli_error("--valid: %s", cause ? cause : "not a period (e.g. 7d, 12h)");
        free(cause);
        return CLI_USAGE;
    }
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_acme_eab a = {who, tmpl, secs};
    struct acme_eab_key k;
    int rc = ops_call(&c->cx, OP_ACME_EAB_ISSUE, &a, &k, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    char until[32];
    struct tm tm;
    gmtime_r(&k.expires, &tm);
    strftime(until, sizeof until, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (c->tsv) {
        cli_printf(c, "%s\t%s\t%s\t%s\t%s\n", k.kid, k.hmac, k.principal ? k.principal : "",
                   k.template_cn ? k.template_cn : "", until);
    } else {
        cli_printf(c, "Key ID:    %s\n", k.kid);
        cli_printf(c, "HMAC key:  %s\n", k.hmac);
        cli_printf(c, "Acts as:   %s\n", k.principal ? k.principal : "?");
        cli_printf(c, "Template:  %s\n", k.template_cn ? k.template_cn : "any ACME template");
        cli_printf(c, "Use until: %s (for one account; the HMAC key is not shown again)\n", until);
    }
    acme_eab_key_free(&k);
    return CLI_OK;
}

static void
utc(time_t t, char *buf, size_t size)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%d %H:%M", &tm);
}

int
cmd_acme_accounts(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("acme", "accounts");
    if (cli_args(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_acme_accounts l = {0};
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_ACME_ACCOUNT_LIST, NULL, &l, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    static const char *headers[] = {"ID",     "Principal", "Key thumbprint", "Created",
                                    "Orders", "Status",    "Template"};
    struct cli_table t;
    cli_table_init(&t, 7, headers);
    for (size_t i = 0; i < l.n; i++) {
        const struct acme_account_info *a = &l.v[i];
        char id[24], when[32], orders[24];
        snprintf(id, sizeof id, "%lld", (long long)a->id);
        snprintf(orders, sizeof orders, "%lld", (long long)a->orders);
        utc(a->created, when, sizeof when);
        cli_table_add(&t, id, a->principal, a->thumbprint, when, orders, a->status,
                      a->template_cn ? a->template_cn : "any");
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    ops_acme_accounts_free(&l);
    return CLI_OK;
}

/* An account id argument: a positive number; 0 (with a usage error said) when it is not. */
static int64_t
account_arg(struct cli *c, const struct cli_command *cmd, const char *s)
{
    char *end = NULL;
    long long id = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || id <= 0) {
        cli_usage_error(c, cmd, "'%s' is not an ACME account id (see certcon acme accounts)", s);
        return 0;
    }
    return (int64_t)id;
}

int
cmd_acme_orders(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("acme", "orders");
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    struct ops_acme_account a = {account_arg(c, cmd, argv[optind])};
    if (a.id == 0)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_acme_orders l = {0};
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_ACME_ORDER_LIST, &a, &l, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    static const char *headers[] = {"Order",    "Created", "Status", "Names",
                                    "Template", "Request", "Serial"};
    struct cli_table t;
    cli_table_init(&t, 7, headers);
    for (size_t i = 0; i < l.n; i++) {
        const struct acme_order_info *o = &l.v[i];
        char id[24], when[32], req[24] = "";
        snprintf(id, sizeof id, "%lld", (long long)o->id);
        if (o->request_id)
            snprintf(req, sizeof req, "%lld", (long long)o->request_id);
        utc(o->created, when, sizeof when);
        cli_table_add(&t, id, when, o->status, o->names, o->template_cn, req,
                      o->serial ? o->serial : "");
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    ops_acme_orders_free(&l);
    return CLI_OK;
}

int
cmd_acme_deactivate(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("acme", "deactivate");
    if (cli_args(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    struct ops_acme_account a = {account_arg(c, cmd, argv[optind])};
    if (a.id == 0)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_ACME_ACCOUNT_DEACTIVATE, &a, NULL, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    if (!c->tsv)
        cli_printf(c, "ACME account %lld is deactivated: it can order nothing more.\n",
                   (long long)a.id);
    return CLI_OK;
}
