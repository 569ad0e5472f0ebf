/*
 * certcon's entry point: global options, then either the console (no
 * command) or one command of the table in commands.c; or, with --connect,
 * the same command line handed to the CA service (src/client.c), which runs
 * it through the same dispatch (served_run).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "cli.h"
#include "client.h"
#include "config_file.h"
#include "console.h"
#include "ops.h"
#include "serve.h"
#include "status.h"
#include "store.h"

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
            "  --record FILE   console: record what each dialog does as a shell script\n"
            "                  of certcon commands (the ones F2 shows) to replay later\n"
            "  --connect SOCKET  run as a client of the CA service listening at SOCKET\n"
            "                  (default $CERTCON_CONNECT, else 'connect' in certcon.conf)\n"
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

/*
 * Takes the value of a global option given as "--opt VALUE" or "--opt=VALUE".
 * 1 when taken, 0 when argv[i] is another option, -1 (with a message) when
 * the value is missing.
 */
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
            return -1;
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

/* The global options a command line gave (NULL: not given). */
struct globals {
    const char *db, *now, *config;
};

/*
 * Takes the global options out of argv; they may stand anywhere before
 * "--". CLI_OK, or CLI_USAGE with a message.
 */
static int
parse_globals(struct cli *c, int *argc, char **argv, struct globals *g)
{
    for (int i = 1; i < *argc;) {
        if (strcmp(argv[i], "--") == 0)
            break;
        int t;
        if ((t = take_value(argc, argv, i, "--db", &g->db)) ||
            (t = take_value(argc, argv, i, "--as", &c->as)) ||
            (t = take_value(argc, argv, i, "--now", &g->now)) ||
            (t = take_value(argc, argv, i, "--config", &g->config)) ||
            (t = take_value(argc, argv, i, "--script", &c->script)) ||
            (t = take_value(argc, argv, i, "--record", &c->record))) {
            if (t < 0)
                return CLI_USAGE;
            continue;
        }
        if (take_flag(argc, argv, i, "--tsv")) {
            c->tsv = 1;
            continue;
        }
        if (take_flag(argc, argv, i, "--ascii")) {
            c->ascii = 1;
            continue;
        }
        i++;
    }
    return CLI_OK;
}

static int
set_clock(struct cli *c, const char *now)
{
    time_t t;
    char *cause = NULL;
    if (cc_time_parse(now, &t, &cause) != CC_OK) {
        cli_error("--now: %s", cause);
        free(cause);
        return CLI_USAGE;
    }
    c->clock = cc_clock_pinned(t);
    return CLI_OK;
}

/* The console, or one command of the table: what every front door leads to. */
static int
dispatch(struct cli *c, int argc, char **argv)
{
    if (argc < 2)
        return console_main(c);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_overview(stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("certcon %s\n", PACKAGE_VERSION);
        return CLI_OK;
    }
    const char *verb = argc > 2 ? argv[2] : NULL;
    const struct cli_command *cmd = cli_find(argv[1], verb);
    if (cmd != NULL && cmd->verb != NULL)
        return cli_wants_help(argc - 2, argv + 2) ? cli_help(c, cmd)
                                                  : cmd->run(c, argc - 2, argv + 2);
    if (cmd != NULL)
        return cli_wants_help(argc - 1, argv + 1) ? cli_help(c, cmd)
                                                  : cmd->run(c, argc - 1, argv + 1);
    /* a known group with a missing or unknown verb: list its verbs */
    int known = 0;
    for (size_t i = 0; i < cli_command_count; i++)
        if (strcmp(cli_commands[i].group, argv[1]) == 0)
            known = 1;
    if (!known) {
        cli_error("'%s' is not a command; see 'certcon --help'", argv[1]);
        return CLI_USAGE;
    }
    int help = verb != NULL && (strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0);
    if (verb != NULL && !help)
        cli_error("'%s %s' is not a command", argv[1], verb);
    FILE *out = help ? stdout : stderr;
    fprintf(out, "Usage:\n");
    for (size_t i = 0; i < cli_command_count; i++)
        if (strcmp(cli_commands[i].group, argv[1]) == 0)
            fprintf(out, "  certcon %-40s %s\n", cli_commands[i].usage, cli_commands[i].summary);
    return help ? CLI_OK : CLI_USAGE;
}

/* Whether the database the service owns is a lab (the only kind whose clock moves). */
static int
served_db_is_lab(struct cli *c)
{
    struct store *st = NULL;
    char *cause = NULL;
    if (store_open(c->db_path, c->store_flags, &st, &cause) != CC_OK) {
        free(cause);
        return 0;
    }
    struct cc_ctx cx;
    struct ops_lab_name lab = {NULL};
    int is_lab = ctx_init_system(&cx, st, cc_clock_system()) == CC_OK &&
                 ops_call(&cx, OP_LAB_NAME, NULL, &lab, NULL) == CC_OK && lab.lab != NULL;
    ops_lab_name_free(&lab);
    ctx_free(&cx);
    store_close(st);
    return is_lab;
}

/*
 * A command line a client sent, in the service's child. What a client may
 * not choose is refused here: the database (the service has its own) and,
 * outside a lab, the clock. Its certcon.conf (--config, which the client
 * adds for its default file) sets its console's keys and colours only: who
 * the client is never comes from the client's files.
 */
static int
served_run(struct cli *c, int argc, char **argv)
{
    struct globals g = {0};
    if (parse_globals(c, &argc, argv, &g) != CLI_OK)
        return CLI_USAGE;
    if (g.db != NULL) {
        cli_error("--db cannot be given to the CA service: it serves its own database");
        return CLI_USAGE;
    }
    if (g.config != NULL) {
        char *cause = NULL;
        if (config_file_load_served(c, g.config, &cause) != CC_OK) {
            cli_error("%s", cause);
            free(cause);
            return CLI_FAILED;
        }
    }
    if (argc >= 2 && strcmp(argv[1], "serve") == 0)
        return cmd_serve(c, argc - 1, argv + 1);
    const char *now = g.now;
    int from_env = 0;
    if (now == NULL && (now = getenv("CERTCON_NOW")) != NULL && *now != '\0')
        from_env = 1;
    if (now != NULL && *now != '\0') {
        if (!served_db_is_lab(c)) {
            cli_error("%s: the clock of a production CA does not move; only a lab database "
                      "takes another time",
                      from_env ? "CERTCON_NOW" : "--now");
            return CLI_USAGE;
        }
        if (set_clock(c, now) != CLI_OK)
            return CLI_USAGE;
    }
    return dispatch(c, argc, argv);
}

/*
 * A client's console keeps its own keys and colours: without --config, the
 * client's default certcon.conf is named to the service, which reads it
 * through the client. Returns the new argument count.
 */
static int
with_own_config(const struct globals *g, int *argc, char ***argv, char **own)
{
    if (g->config != NULL)
        return *argc;
    char *path = config_file_default_path();
    struct stat sb;
    if (stat(path, &sb) != 0) {
        free(path);
        return *argc;
    }
    char **v = xcalloc((size_t)*argc + 3, sizeof *v);
    v[0] = (*argv)[0];
    v[1] = "--config";
    v[2] = *own = path;
    memcpy(v + 3, *argv + 1, (size_t)(*argc - 1) * sizeof *v);
    free(*argv);
    *argv = v;
    *argc += 2;
    return *argc;
}

int
main(int argc, char **argv)
{
    struct cli c = {.prog = "certcon", .tokens_at_restart = 1, .tty_fd = -1, .script_fd = -1};
    const char *connect = NULL;
    char *own_config = NULL;
    int rc;

    /* --connect first, so that what a client forwards is the rest, untouched */
    for (int i = 1; i < argc;) {
        if (strcmp(argv[i], "--") == 0)
            break;
        int t = take_value(&argc, argv, i, "--connect", &connect);
        if (t < 0)
            return CLI_USAGE;
        if (t == 0)
            i++;
    }
    char **forward = xcalloc((size_t)argc + 1, sizeof *forward);
    memcpy(forward, argv, (size_t)argc * sizeof *argv);
    int nforward = argc;

    struct globals g = {0};
    if (parse_globals(&c, &argc, argv, &g) != CLI_OK) {
        free(forward);
        return CLI_USAGE;
    }
    c.config_path = g.config;
    const char *now = g.now ? g.now : getenv("CERTCON_NOW");
    if (now != NULL && *now != '\0' && set_clock(&c, now) != CLI_OK) {
        free(forward);
        return CLI_USAGE;
    }
    char *dbfree = g.db ? NULL : default_db_path();
    c.db_path = g.db ? g.db : dbfree;
    const char *datadir = getenv("CERTCON_DATADIR");
    c.datadir = (datadir && *datadir) ? datadir : CERTCON_DATADIR;

    char *cause = NULL;
    if (config_file_load(&c, &cause) != CC_OK) {
        cli_error("%s", cause);
        free(cause);
        free(dbfree);
        free(forward);
        return CLI_FAILED;
    }
    if (connect == NULL || *connect == '\0')
        connect = getenv("CERTCON_CONNECT");
    if (connect == NULL || *connect == '\0')
        connect = c.config_connect;
    int serving = argc >= 2 && strcmp(argv[1], "serve") == 0;
    if (serving && cli_wants_help(argc - 1, argv + 1))
        rc = cli_help(&c, cli_find("serve", NULL));
    else if (serving)
        rc = serve_main(&c, argc - 1, argv + 1, served_run); /* never forwarded */
    else if (connect != NULL && *connect != '\0') {
        nforward = with_own_config(&g, &nforward, &forward, &own_config);
        rc = client_main(connect, nforward, forward, c.script);
    }
    else
        rc = dispatch(&c, argc, argv);
    if (c.st != NULL)
        store_close(c.st);
    ctx_free(&c.cx);
    config_file_free(&c);
    free(c.config_account);
    free(dbfree);
    free(forward);
    free(own_config);
    return rc;
}
