/*
 * certcon's entry point: global options, then either the console (no
 * command) or one command of the table in commands.c.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "cli.h"
#include "config_file.h"
#include "console.h"
#include "status.h"

static void
print_overview(FILE *out)
{
    fprintf(out,
            "Usage: certcon [GLOBAL OPTIONS] [COMMAND [ARGS]]\n"
            "\n"
            "A text-mode Certificate Services console. Without a command it opens the\n"
            "console; every action of the console is also a command:\n\n");
    const char *last = "";
    for (size_t i = 0; i < cli_command_count; i++) {
        const struct cli_command *cmd = &cli_commands[i];
        if (i > 0 && strcmp(cmd->group, last) != 0)
            fputc('\n', out);
        /* usage and summary on lines of their own, so the list reads in 80 columns */
        fprintf(out, "  %s\n      %s\n", cmd->usage, cmd->summary);
        last = cmd->group;
    }
    fprintf(out,
            "\nGlobal options:\n"
            "  --db PATH       the database (default $CERTCON_DB, else\n"
            "                  $XDG_DATA_HOME/certcon/certcon.db)\n"
            "  --as PRINCIPAL  act as this account (any account in a lab database)\n"
            "  --now TIME      the lab clock: 2027-10-26 or 2027-10-26T09:00:00Z\n"
            "  --tsv           tab-separated output for scripts\n"
            "  --config FILE   certcon.conf to read\n"
            "  --ascii         console: ASCII line drawing\n"
            "  --script FILE   console: read keys from FILE, draw off-screen\n"
            "  --version       print the version\n"
            "\n"
            "'certcon COMMAND --help' describes one command. Exit status: 0 done,\n"
            "1 refused or failed, 2 bad usage. See certcon(1).\n");
}

static char *
default_db_path(void)
{
    const char *env = getenv("CERTCON_DB");
    if (env != NULL && *env != '\0')
        return xstrdup(env);
    const char *xdg = getenv("XDG_DATA_HOME");
    if (xdg != NULL && *xdg != '\0')
        return xasprintf("%s/certcon/certcon.db", xdg);
    const char *home = getenv("HOME");
    return xasprintf("%s/.local/share/certcon/certcon.db", home ? home : ".");
}

/* Takes the value of a global option given as "--opt VALUE" or "--opt=VALUE". */
static int
take_value(int *argc, char **argv, int i, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncmp(argv[i], name, n) != 0)
        return 0;
    int used;
    if (argv[i][n] == '=') {
        *value = argv[i] + n + 1;
        used = 1;
    } else if (argv[i][n] == '\0') {
        if (i + 1 >= *argc) {
            cli_error("%s needs a value", name);
            exit(CLI_USAGE);
        }
        *value = argv[i + 1];
        used = 2;
    } else {
        return 0;
    }
    memmove(&argv[i], &argv[i + used], (size_t)(*argc - i - used + 1) * sizeof *argv);
    *argc -= used;
    return 1;
}

static int
take_flag(int *argc, char **argv, int i, const char *name)
{
    if (strcmp(argv[i], name) != 0)
        return 0;
    memmove(&argv[i], &argv[i + 1], (size_t)(*argc - i) * sizeof *argv);
    (*argc)--;
    return 1;
}

int
main(int argc, char **argv)
{
    struct cli c = {.prog = "certcon", .tokens_at_restart = 1};
    const char *now = getenv("CERTCON_NOW");
    const char *db = NULL;

    /* Global options may stand anywhere before "--". */
    for (int i = 1; i < argc;) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (take_value(&argc, argv, i, "--db", &db) ||
            take_value(&argc, argv, i, "--as", &c.as) ||
            take_value(&argc, argv, i, "--now", &now) ||
            take_value(&argc, argv, i, "--config", &c.config_path) ||
            take_value(&argc, argv, i, "--script", &c.script))
            continue;
        if (take_flag(&argc, argv, i, "--tsv")) {
            c.tsv = 1;
            continue;
        }
        if (take_flag(&argc, argv, i, "--ascii")) {
            c.ascii = 1;
            continue;
        }
        i++;
    }
    if (now != NULL && *now != '\0') {
        time_t t;
        char *cause = NULL;
        if (cc_time_parse(now, &t, &cause) != CC_OK) {
            cli_error("--now: %s", cause);
            free(cause);
            return CLI_USAGE;
        }
        cc_clock_set(t);
    }
    char *dbfree = db ? NULL : default_db_path();
    c.db_path = db ? db : dbfree;
    const char *datadir = getenv("CERTCON_DATADIR");
    c.datadir = (datadir && *datadir) ? datadir : CERTCON_DATADIR;

    int rc;
    char *cause = NULL;
    if (config_file_load(&c, &cause) != CC_OK) {
        cli_error("%s", cause);
        free(cause);
        free(dbfree);
        return CLI_FAILED;
    }

    if (argc < 2) {
        rc = console_main(&c);
    } else if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
               strcmp(argv[1], "help") == 0) {
        print_overview(stdout);
        rc = CLI_OK;
    } else if (strcmp(argv[1], "--version") == 0) {
        printf("certcon %s\n", PACKAGE_VERSION);
        rc = CLI_OK;
    } else {
        const char *verb = argc > 2 ? argv[2] : NULL;
        const struct cli_command *cmd = cli_find(argv[1], verb);
        if (cmd != NULL && cmd->verb != NULL) {
            rc = cli_wants_help(argc - 2, argv + 2) ? cli_help(&c, cmd)
                                                    : cmd->run(&c, argc - 2, argv + 2);
        } else if (cmd != NULL) {
            rc = cli_wants_help(argc - 1, argv + 1) ? cli_help(&c, cmd)
                                                    : cmd->run(&c, argc - 1, argv + 1);
        } else {
            /* a known group with a missing or unknown verb: list its verbs */
            int known = 0;
            for (size_t i = 0; i < cli_command_count; i++)
                if (strcmp(cli_commands[i].group, argv[1]) == 0)
                    known = 1;
            if (!known) {
                cli_error("'%s' is not a command; see 'certcon --help'", argv[1]);
            } else {
                if (verb != NULL && strcmp(verb, "--help") != 0 && strcmp(verb, "-h") != 0)
                    cli_error("'%s %s' is not a command", argv[1], verb);
                FILE *out = (verb != NULL && (strcmp(verb, "--help") == 0 ||
                                              strcmp(verb, "-h") == 0))
                                ? stdout
                                : stderr;
                fprintf(out, "Usage:\n");
                for (size_t i = 0; i < cli_command_count; i++)
                    if (strcmp(cli_commands[i].group, argv[1]) == 0)
                        fprintf(out, "  certcon %-40s %s\n", cli_commands[i].usage,
                                cli_commands[i].summary);
                if (out == stdout) {
                    rc = CLI_OK;
                    goto done;
                }
            }
            rc = CLI_USAGE;
        }
    }
done:
    if (c.st != NULL)
        store_close(c.st);
    config_file_free(&c);
    free(c.config_account);
    free(dbfree);
    return rc;
}
