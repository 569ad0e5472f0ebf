/*
 * The command-line front end: one table of commands (src/commands.c), the
 * global options every command shares, and helpers to open the database as
 * the acting account, report a core status and print tables either aligned
 * for people or tab-separated for scripts (--tsv).
 */
#ifndef CERTCON_CLI_H
#define CERTCON_CLI_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include <libconfig.h>

#include "context.h"
#include "store.h"

struct cli {
    const char *prog;     /* "certcon" */
    const char *db_path;  /* --db, $CERTCON_DB or the XDG default */
    const char *as;       /* --as, or NULL for the configured account */
    const char *datadir;  /* $CERTCON_DATADIR or the installed data */
    const char *config_path; /* --config or the default certcon.conf */
    int tsv;              /* --tsv */
    int no_role_check;    /* the command may run under role separation (set before cli_open) */
    int ascii;            /* --ascii (console) */
    const char *script;   /* --script FILE (console) */
    const char *record;   /* --record FILE (console) */
    struct store *st;     /* opened by cli_open() */
    struct cc_clock clock; /* --now / CERTCON_NOW in a lab, else the system clock */
    struct cc_ctx cx;      /* cli_open(): the caller's context (system while creating) */
    /* certcon.conf */
    int tokens_at_restart;
    char *config_account; /* identity mapping for this Unix user */
    char *config_connect; /* connect = "SOCKET": be a client of the CA service */
    config_t *conf;       /* the parsed certcon.conf, or NULL when there is none */
    /* served mode: the command runs in `certcon serve` for a connected client */
    int served;
    uid_t peer_uid;       /* the client's Unix user, as the kernel names it */
    pid_t peer_pid;
    pid_t service_pid;    /* served: the service's main process (Stop Service ends it) */
    int store_flags;      /* passed to store_open() besides STORE_CREATE */
    int tty_fd;           /* served: the client's terminal, or -1 */
    int script_fd;        /* served: --script as the client opened it, or -1 */
    const struct cli_files *files; /* NULL: this process does its own file I/O */
};

/*
 * Where the files a person names on the command line or in the console are
 * read and written. In served mode the service must never open them itself:
 * the client does, with its own permissions and relative to its own working
 * directory. Each function has the meaning of the cli_* function below.
 */
/* What cli_probe_files() learns of one path. */
struct cli_probe {
    int stat_err;    /* lstat(2): 0 or the errno value */
    unsigned mode;   /* st_mode when stat_err is 0 */
    int access_err;  /* access(2) with the amode asked, 0 or the errno value; 0 when none asked */
};

struct cli_files {
    int (*read)(void *ctx, const char *path, size_t max, void **data, size_t *n, char **cause);
    int (*write)(void *ctx, const char *path, const void *data, size_t n, int mode, int force,
                 char **cause);
    int (*stat)(void *ctx, const char *path, int follow, unsigned *mode);
    int (*access)(void *ctx, const char *path, int amode);
    /* cli_probe_files() in one round trip; CC_OK or why the batch failed */
    int (*probe)(void *ctx, const char *const *paths, size_t n, int amode,
                 struct cli_probe *out, char **cause);
    void *ctx;
};

enum {
    CLI_OK = 0,
    CLI_FAILED = 1, /* refused or failed: the message says why */
    CLI_USAGE = 2,
};

struct cli_command {
    const char *group;   /* "template"; or the command itself ("enroll") */
    const char *verb;    /* "list"; NULL for one-word commands */
    int (*run)(struct cli *c, int argc, char **argv); /* argv[0] is the verb */
    const char *usage;   /* "template list" */
    const char *summary; /* one line for `certcon --help` */
    const char *help;    /* the rest of `certcon CMD --help` */
};

/* The command table (src/commands.c). */
extern const struct cli_command cli_commands[];
extern const size_t cli_command_count;

/*
 * Opens the database and sets the acting account. create: make the file.
 * Prints a message and returns CLI_FAILED on error.
 */
int cli_open(struct cli *c, int create);
/*
 * Decides the acting account on the open store and makes the caller's
 * context (c->cx) for it: cli_open does so once the database is open; a
 * front end does so again when the database was replaced under its store
 * (lab.restore's `replaced`), where the account may be another. Prints a
 * message and returns CLI_FAILED (the context then has no caller) on error.
 */
int cli_resolve(struct cli *c);
/* Prints "certcon: <message>: <cause> (0x…)" to stderr; returns CLI_FAILED (CLI_USAGE for EINVAL when usage). */
int cli_fail(struct cli *c, int status, const char *cause);
/* Prints "certcon: <fmt>" to stderr; returns CLI_USAGE. */
int cli_usage_error(struct cli *c, const struct cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prints the command's usage and help to stdout; returns CLI_OK. */
int cli_help(struct cli *c, const struct cli_command *cmd);
/* The table entry for group/verb (verb may be NULL). */
const struct cli_command *cli_find(const char *group, const char *verb);
/* Whether argv holds --help or -h. */
int cli_wants_help(int argc, char **argv);

/*
 * After a getopt_long loop (optind as it left it): checks the count of
 * positional arguments; prints usage and returns CLI_USAGE when off.
 * max < 0: no upper bound.
 */
int cli_positional(struct cli *c, const struct cli_command *cmd, int argc, char **argv, int min,
                   int max);
/* A command taking no options: checks min..max positional arguments (usage on error). */
int cli_args(struct cli *c, const struct cli_command *cmd, int argc, char **argv, int min,
             int max);
/* Reports a core status: CLI_OK for CC_OK, else prints the cause; frees cause. */
int cli_report(struct cli *c, int rc, char *cause);
/* Reports getopt's '?' as a usage error. */
int cli_bad_option(struct cli *c, const struct cli_command *cmd, int argc, char **argv);

/*
 * The one output sink of the command line. The format is the program's own
 * text; every %s (and %c) argument is taken to come from outside and is
 * escaped as the console escapes it (cc_text_escape): control characters,
 * direction overrides and invalid UTF-8 never reach the terminal raw. With
 * --tsv, stdout values also have tab, newline, CR and backslash escaped, so
 * a record stays one row. Numbers print as printf prints them.
 */
void cli_printf(struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like cli_printf, to any stream (escaped for people: stderr is never TSV). */
void cli_fprintf(struct cli *c, FILE *out, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* "certcon: <fmt>\n" on stderr, arguments escaped. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* s escaped for stdout (TSV rules with --tsv); allocated. */
char *cli_escape(struct cli *c, const char *s);
/*
 * Text of many lines (a libconfig file) for people: each line escaped, the
 * newlines kept. raw: print unchanged unless stdout is a terminal (data a
 * script redirects to a file).
 */
void cli_print_lines(struct cli *c, const char *text, int raw);

/* A table printed aligned with a header, or as TSV without one. */
struct cli_table {
    size_t ncols, nrows;
    char **cells; /* nrows * ncols, owned */
    const char **headers;
};
void cli_table_init(struct cli_table *t, size_t ncols, const char **headers);
/* Adds a row of ncols strings (NULL prints as empty); copies them. */
void cli_table_add(struct cli_table *t, ...);
void cli_table_print(struct cli *c, struct cli_table *t, FILE *out);
void cli_table_free(struct cli_table *t);

/*
 * Reads the file path names: all of it when it holds at most max bytes,
 * else its first max+1 bytes (so *n > max tells the caller it is too long).
 * *data (allocated, one NUL byte after the data) is the caller's. Returns a
 * status; the cause names the file.
 */
int cli_read_file(struct cli *c, const char *path, size_t max, void **data, size_t *n,
                  char **cause);
/* Writes a file whole or not at all, as cc_write_file() does. */
int cli_write_file(struct cli *c, const char *path, const void *data, size_t n, int mode,
                   int force, char **cause);
/*
 * stat(2) (follow) or lstat(2): 0 with *mode the file's st_mode, or the
 * errno value that stopped it.
 */
int cli_stat_file(struct cli *c, const char *path, int follow, unsigned *mode);
/* access(2): 0 or the errno value. */
int cli_access_file(struct cli *c, const char *path, int amode);
/*
 * lstat(2) and, when amode is not 0, access(2) of n paths at once: through
 * the CA service a batch of many files costs one round trip, not two per
 * file. CC_OK with out[i] for each path, or a status and cause.
 */
int cli_probe_files(struct cli *c, const char *const *paths, size_t n, int amode,
                    struct cli_probe *out, char **cause);
/* The user's terminal, opened for reading and writing (the caller closes it), or -1. */
int cli_open_tty(struct cli *c);

/* Allocation that ends the program cleanly when memory runs out. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
