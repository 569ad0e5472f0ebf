/*
 * certcon acme eab: an External Account Binding key that binds the ACME
 * account a client registers with it to a directory principal (RFC 8555
 * 7.3.4). The HMAC key is printed once and never shown again.
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
    const char *who = NULL, *tmpl = NULL, *valid = "7d";
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
    int64_t secs;
    char *cause = NULL;
    if (template_period_parse(valid, &secs, &cause) != CC_OK) {
        cli_error("--valid: %s", cause ? cause : "not a period (e.g. 7d, 12h)");
        free(cause);
        return CLI_USAGE;
    }
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct acme_eab_key k;
    int rc = acme_eab_create(&c->cx, who, tmpl, secs, &k, &cause);
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
