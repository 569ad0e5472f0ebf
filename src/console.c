/*
 * The console's stand-in until the curses console is built: it prints what
 * the database holds, so `certcon` without a command is still useful.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "clock.h"
#include "console.h"
#include "directory.h"
#include "status.h"
#include "template.h"

int
console_main(struct cli *c)
{
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct dir_domain d = {0};
    char *cause = NULL, *lab = NULL, date[16];
    if (dir_domain_get(c->st, &d, &cause) != CC_OK) {
        cli_fail(c, CC_ENOTFOUND, cause);
        free(cause);
        return CLI_FAILED;
    }
    store_meta_get(c->st, "lab", &lab);
    printf("certcon — %s on %s, lab clock %s\n", store_actor_name(c->st), d.dns,
           cc_date_format(cc_now(), date, sizeof date));
    if (lab != NULL)
        printf("Lab: %s\n", lab);
    struct dir_principal *v = NULL;
    size_t n = 0;
    if (dir_list(c->st, 1u << DIR_COMPUTER, &v, &n, NULL) == CC_OK) {
        printf("Computers:");
        for (size_t i = 0; i < n; i++)
            printf(" %s", v[i].name);
        printf("\n");
        dir_list_free(v, n);
    }
    struct template *t = NULL;
    if (template_list(c->st, &t, &n, NULL) == CC_OK) {
        printf("Certificate templates: %zu\n", n);
        template_list_free(t, n);
    }
    printf("Run 'certcon --help' for the commands.\n");
    free(lab);
    dir_domain_free(&d);
    return CLI_OK;
}
