/*
 * certcon lint: the CA's own certificate linter on any certificate or CRL,
 * PEM or DER, made here or anywhere. Each finding is printed with its rule
 * name and RFC section; --rules prints the table of rules. No database is
 * needed.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certlint.h"
#include "cli.h"
#include "commands.h"
#include "ops.h"
#include "pkix.h"
#include "status.h"

static int
print_rules(struct cli *c, const struct ops_lint_rules *rules)
{
    static const char *headers[] = {"Rule", "Severity", "Section", "Description"};
    struct cli_table t;
    cli_table_init(&t, 4, headers);
    for (size_t i = 0; i < rules->n; i++) {
        const struct certlint_rule_info *r = rules->v[i];
        cli_table_add(&t, r->name, r->error ? "error" : "warning", r->section, r->description);
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    return CLI_OK;
}

static int
read_file(struct cli *c, const char *path, struct pkix_buf *out)
{
    void *data = NULL;
    size_t n = 0;
    char *cause = NULL;
    int rc = cli_read_file(c, path, 64u << 20, &data, &n, &cause);
    if (rc != CC_OK) {
        fprintf(stderr, "certcon: %s\n", cause ? cause : cc_strerror(rc));
        free(cause);
        return CLI_FAILED;
    }
    out->p = data;
    out->n = n;
    if (n > (64u << 20)) {
        fprintf(stderr, "certcon: %s is larger than 64 MiB\n", path);
        return CLI_FAILED;
    }
    return CLI_OK;
}

int
cmd_lint(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("lint", NULL);
    static const struct option opts[] = {{"rules", no_argument, NULL, 'r'}, {NULL, 0, NULL, 0}};
    int o, rules = 0;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 'r')
            rules = 1;
        else
            return cli_bad_option(c, cmd, argc, argv);
    }
    struct ops_lint_rules table;
    char *why = NULL;
    if (ops_call(&c->cx, OP_LINT_RULES, NULL, &table, &why) != CC_OK)
        return cli_report(c, CC_ENOMEM, why);
    if (rules)
        return cli_positional(c, cmd, argc, argv, 0, 0) == CLI_OK ? print_rules(c, &table)
                                                                  : CLI_USAGE;
    if (cli_positional(c, cmd, argc, argv, 1, -1) != CLI_OK)
        return CLI_USAGE;
    static const char *headers[] = {"File", "Object", "Severity", "Rule", "Section", "Finding"};
    struct cli_table t;
    cli_table_init(&t, 6, headers);
    int result = CLI_OK;
    size_t objects = 0;
    for (int a = optind; a < argc; a++) {
        const char *path = argv[a];
        struct pkix_buf data = {0};
        if (read_file(c, path, &data) != CLI_OK) {
            pkix_buf_free(&data);
            result = CLI_FAILED;
            continue;
        }
        struct ops_lint_data in = {data.p, data.n};
        struct ops_lint_result found;
        char *cause = NULL;
        int rc = ops_call(&c->cx, OP_LINT_CHECK, &in, &found, &cause);
        pkix_buf_free(&data);
        struct certlint_object *v = found.v;
        size_t n = found.n;
        if (rc != CC_OK) {
            fprintf(stderr, "certcon: %s: %s\n", path, cause ? cause : cc_strerror(rc));
            free(cause);
            result = CLI_FAILED;
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            char *what = xasprintf("%s %zu", v[i].crl ? "CRL" : "certificate", i + 1);
            const struct certlint_result *r = &v[i].result;
            for (size_t k = 0; k < r->n; k++) {
                const struct certlint_rule_info *ri = table.v[r->v[k].rule];
                cli_table_add(&t, path, what, ri->error ? "error" : "warning", ri->name,
                              ri->section, r->v[k].detail ? r->v[k].detail : ri->description);
            }
            if (r->n == 0)
                cli_table_add(&t, path, what, "ok", "", "", "no rule broken");
            if (r->errors > 0)
                result = CLI_FAILED;
            free(what);
            objects++;
        }
        certlint_objects_free(v, n);
    }
    if (t.nrows > 0)
        cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    return result;
}
