/*
 * certcon ops: the CA's operations table, as ca/ops holds it. Every verb and
 * console action is one or more of these operations; the list says which
 * right each needs and whether it changes the CA, so an administrator can
 * see what a role allows before granting it.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authority.h"
#include "cli.h"
#include "commands.h"
#include "ops.h"
#include "status.h"

/* The right an operation needs, in the CA's words. */
static char *
right_text(const struct ops_def *d)
{
    if (d->ca_right == 0)
        return xstrdup("(decided per object)");
    return authority_rights_format(d->ca_right);
}

static void
show_one(const struct ops_def *d)
{
    char *right = right_text(d);
    printf("Operation:  %s\n", d->name);
    printf("Does:       %s\n", d->what);
    printf("Arguments:  %s\n", d->args[0] ? d->args : "(none)");
    printf("Result:     %s\n", d->result[0] ? d->result : "(none)");
    printf("Right:      %s\n", right);
    printf("Changes:    %s\n", d->changes ? "yes, in one transaction"
                                          : "reads, or commits its own steps around signing");
    free(right);
}

int
cmd_ops(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("ops", NULL);
    if (cli_args(c, cmd, argc, argv, 0, 1) != CLI_OK)
        return CLI_USAGE;
    if (optind < argc) {
        const struct ops_def *d = ops_find(argv[optind]);
        if (d == NULL) {
            cli_error("no operation is called '%s' (certcon ops lists them)", argv[optind]);
            return CLI_FAILED;
        }
        show_one(d);
        return CLI_OK;
    }
    static const char *headers[] = {"Operation", "Right", "What"};
    struct cli_table t;
    cli_table_init(&t, 3, headers);
    const struct ops_def *d;
    for (size_t i = 0; (d = ops_at(i)) != NULL; i++) {
        char *right = right_text(d);
        cli_table_add(&t, d->name, right, d->what);
        free(right);
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    return CLI_OK;
}
