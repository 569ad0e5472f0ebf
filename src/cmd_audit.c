/*
 * certcon audit and certcon audit verify: reading the audit log, filtered
 * by refusals, actor, time and object, and checking its hash chain.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli.h"
#include "clock.h"
#include "commands.h"
#include "ops.h"
#include "status.h"

int
cmd_audit(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("audit", NULL);
    static const struct option opts[] = {{"object", required_argument, NULL, 'o'},
                                         {"limit", required_argument, NULL, 'n'},
                                         {"refused", no_argument, NULL, 'r'},
                                         {"by", required_argument, NULL, 'b'},
                                         {"since", required_argument, NULL, 's'},
                                         {NULL, 0, NULL, 0}};
    struct audit_filter f = {.limit = 50};
    char *cause = NULL;
    int o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'o') {
            f.object = optarg;
        } else if (o == 'n') {
            char *end;
            long limit = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || limit < 0)
                return cli_usage_error(c, cmd, "--limit: '%s' is not a number", optarg);
            f.limit = (size_t)limit;
        } else if (o == 'r') {
            f.refused = 1;
        } else if (o == 'b') {
            if (*optarg == '\0')
                return cli_usage_error(c, cmd, "--by: name a principal");
            f.by = optarg;
        } else if (o == 's') {
            if (cc_time_parse(optarg, &f.since, &cause) != CC_OK) {
                int rc = cli_usage_error(c, cmd, "--since: %s", cause);
                free(cause);
                return rc;
            }
        } else {
            return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_audit_entries r;
    int rc = ops_call(&c->cx, OP_AUDIT_READ, &f, &r, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    const struct audit_entry *v = r.v;
    size_t n = r.n;
    static const char *headers[] = {"When", "Who", "Kind", "Object", "What",
                                    "Old",  "New", "Right", "Result"};
    struct cli_table t;
    cli_table_init(&t, 9, headers);
    /* oldest first, as a log reads; the filter chose the newest */
    for (size_t i = n; i-- > 0;) {
        char when[32];
        cc_time_format(v[i].at, when, sizeof when);
        cli_table_add(&t, when, v[i].actor, v[i].kind, v[i].object, v[i].field, v[i].old_value,
                      v[i].new_value, v[i].right, v[i].result);
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    audit_list_free(r.v, r.n);
    return CLI_OK;
}

int
cmd_audit_verify(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("audit", "verify");
    if (cli_args(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct audit_verdict v;
    char *cause = NULL;
    int rc = ops_call(&c->cx, OP_AUDIT_VERIFY, NULL, &v, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    if (!v.broken) {
        cli_printf(c, "audit log verified: %zu records\n", v.records);
        cli_printf(c, "newest hash: %s\n", v.head);
        audit_verdict_free(&v);
        return CLI_OK;
    }
    char when[32];
    cc_time_format(v.bad.at, when, sizeof when);
    const struct audit_entry *b = &v.bad;
    /* what the record says it is: "template WebServer validity", "..., refused" */
    const char *parts[] = {b->kind, b->object, b->field};
    char what[512] = "";
    size_t len = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (parts[i] != NULL && *parts[i] != '\0' && len < sizeof what)
            len += (size_t)snprintf(what + len, sizeof what - len, "%s%s", len ? " " : "",
                                    parts[i]);
    int refused = b->result != NULL && strcmp(b->result, "refused") == 0;
    cli_error("audit log broken at record %lld (%s, %s: %s%s): %s", (long long)b->id, when,
              b->actor ? b->actor : "?", what, refused ? ", refused" : "", v.why);
    cli_error("%zu records before it verified", v.records);
    audit_verdict_free(&v);
    return CLI_FAILED;
}
