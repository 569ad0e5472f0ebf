/*
 * EST enrollment secrets (`certcon est secret`): the password an account
 * gives over HTTP Basic to enroll at /.well-known/est/ (ca/est.c).
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>

#include "cli.h"
#include "clock.h"
#include "commands.h"
#include "est.h"
#include "ops.h"
#include "pkix.h"
#include "status.h"
#include "template.h"
#include "util.h"

int
cmd_est_secret(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("est", "secret");
    static const struct option opts[] = {
        {"for", required_argument, NULL, 'f'},
        {"valid", required_argument, NULL, 'v'},
        {"revoke", no_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    const char *who = NULL, *valid = NULL;
    int revoke = 0, o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'f':
            who = optarg;
            break;
        case 'v':
            valid = optarg;
            break;
        case 'r':
            revoke = 1;
            break;
        default:
            return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (who == NULL)
        return cli_usage_error(c, cmd, "name the account: --for ACCOUNT");
    if (revoke && valid)
        return cli_usage_error(c, cmd, "--valid and --revoke do not go together");
    int64_t secs = EST_SECRET_VALIDITY;
    char *cause = NULL;
    if (valid && template_period_parse(valid, &secs, &cause) != CC_OK) {
        int r = cli_usage_error(c, cmd, "--valid: %s", cause);
        free(cause);
        return r;
    }
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_est_secret a = {who, secs};
    if (revoke) {
        int rc = ops_call(&c->cx, OP_EST_SECRET_REVOKE, &a, NULL, &cause);
        if (rc != CC_OK)
            return cli_report(c, rc, cause);
        cli_printf(c, "The EST enrollment secret of %s is revoked.\n", who);
        return CLI_OK;
    }
    struct ops_est_secret_result r = {0};
    int rc = ops_call(&c->cx, OP_EST_SECRET_ISSUE, &a, &r, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    const char *secret = r.secret;
    time_t expires = r.expires;
    char when[32];
    cc_time_format(expires, when, sizeof when);
    if (c->tsv)
        cli_printf(c, "%s\t%s\n", secret, when);
    else
        cli_printf(c,
                   "EST enrollment secret for %s (shown only now; it replaces any earlier one):\n"
                   "%s\nValid until %s. The client gives it with HTTP Basic as %s:SECRET.\n",
                   who, secret, when, who);
    ops_est_secret_result_free(&r);
    return CLI_OK;
}
