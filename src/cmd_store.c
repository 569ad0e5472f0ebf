/*
 * certcon store list and certcon export: the Certificates snap-in's
 * logical stores of a user or computer, and the Certificate Export Wizard.
 * PFX passwords come from a file, an environment variable or the terminal
 * (asked twice, without echo), never from the command line.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "certstore.h"
#include "cli.h"
#include "cmd_ca.h"
#include "export.h"
#include "ops.h"
#include "status.h"

int
cmd_store_list(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("store", "list");
    static const struct option opts[] = {{"for", required_argument, NULL, 'f'},
                                         {"store", required_argument, NULL, 's'},
                                         {NULL, 0, NULL, 0}};
    const char *who = NULL, *which = "personal";
    int o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'f': who = optarg; break;
        case 's': which = optarg; break;
        default: return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    enum certstore_kind kind;
    char *cause = NULL;
    if (certstore_parse(which, &kind, &cause) != CC_OK) {
        int u = cli_usage_error(c, cmd, "%s", cause);
        free(cause);
        return u;
    }
    if (cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_store_list a = {.who = {.principal = who}, .kind = kind};
    struct ops_store_rows r = {0};
    int rc = ops_call(&c->cx, OP_STORE_LIST, &a, &r, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    static const char *headers[] = {"Issued To", "Issued By", "Expiration Date",
                                    "Intended Purposes", "Certificate Template", "Private Key",
                                    "Serial Number", "Thumbprint"};
    struct cli_table t;
    cli_table_init(&t, 8, headers);
    for (size_t i = 0; i < r.n; i++) {
        const struct certstore_entry *e = &r.v[i].e;
        char date[32];
        const char *key = e->key_id <= 0  ? "no"
                          : e->exportable ? "yes, exportable"
                                          : "yes, not exportable";
        cli_table_add(&t, *e->subject ? e->subject : "(empty subject)", e->issuer,
                      cmd_ca_time(e->not_after, date, sizeof date), r.v[i].purposes,
                      r.v[i].template, key, e->serial, e->thumbprint);
    }
    cli_table_print(c, &t, stdout);
    cli_table_free(&t);
    ops_store_rows_free(&r);
    return CLI_OK;
}

/* First line of a file, without its newline; allocated, or NULL with a message. */
static char *
password_from_file(struct cli *c, const char *path)
{
    void *data = NULL;
    size_t n = 0;
    char *cause = NULL;
    int rc = cli_read_file(c, path, 64u << 10, &data, &n, &cause);
    if (rc != CC_OK) {
        cli_error("the password file: %s", cause ? cause : path);
        free(cause);
        return NULL;
    }
    char *line = data;
    size_t len = strcspn(line, "\n");
    line[len] = '\0';
    while (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
    return line;
}

static char *
read_tty_line(int fd, const char *prompt)
{
    struct termios old, quiet;
    if (tcgetattr(fd, &old) != 0)
        return NULL;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    if (write(fd, prompt, strlen(prompt)) < 0)
        return NULL;
    tcsetattr(fd, TCSAFLUSH, &quiet);
    char buf[1024];
    size_t n = 0;
    char ch;
    while (n + 1 < sizeof buf && read(fd, &ch, 1) == 1 && ch != '\n')
        buf[n++] = ch;
    buf[n] = '\0';
    tcsetattr(fd, TCSAFLUSH, &old);
    if (write(fd, "\n", 1) < 0)
        return NULL;
    char *s = xstrdup(buf);
    memset(buf, 0, sizeof buf);
    return s;
}

static char *
password_from_terminal(struct cli *c)
{
    int fd = cli_open_tty(c);
    if (fd < 0) {
        cli_error("a PFX needs a password: give --password-file FILE or "
                  "--password-env NAME (there is no terminal to ask)");
        return NULL;
    }
    char *a = read_tty_line(fd, "Password: ");
    char *b = a ? read_tty_line(fd, "Confirm password: ") : NULL;
    close(fd);
    if (a == NULL || b == NULL || strcmp(a, b) != 0) {
        cli_error("the passwords do not match");
        free(a);
        a = NULL;
    }
    free(b);
    return a;
}

int
cmd_export(struct cli *c, int argc, char **argv)
{
    const struct cli_command *cmd = cli_find("export", NULL);
    static const struct option opts[] = {
        {"for", required_argument, NULL, 'f'},
        {"pfx", required_argument, NULL, 'P'},
        {"der", required_argument, NULL, 'D'},
        {"pem", required_argument, NULL, 'B'},
        {"p7b", required_argument, NULL, '7'},
        {"password-file", required_argument, NULL, 'w'},
        {"password-env", required_argument, NULL, 'e'},
        {"legacy-pfx", no_argument, NULL, 'l'},
        {"chain", no_argument, NULL, 'c'},
        {"friendly-name", required_argument, NULL, 'n'},
        {"force", no_argument, NULL, 'F'},
        {NULL, 0, NULL, 0},
    };
    const char *who = NULL, *file = NULL, *pwfile = NULL, *pwenv = NULL;
    struct export_params p = {0};
    int formats = 0, force = 0, o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (o) {
        case 'f': who = optarg; break;
        case 'P': p.format = EXPORT_PFX; file = optarg; formats++; break;
        case 'D': p.format = EXPORT_DER; file = optarg; formats++; break;
        case 'B': p.format = EXPORT_PEM; file = optarg; formats++; break;
        case '7': p.format = EXPORT_P7B; file = optarg; formats++; break;
        case 'w': pwfile = optarg; break;
        case 'e': pwenv = optarg; break;
        case 'l': p.legacy = 1; break;
        case 'c': p.chain = 1; break;
        case 'n': p.friendly = optarg; break;
        case 'F':
            force = 1;
            break;
        default: return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 1, 1) != CLI_OK)
        return CLI_USAGE;
    if (formats != 1)
        return cli_usage_error(c, cmd, "give exactly one of --pfx, --der, --pem, --p7b FILE");
    if (p.format != EXPORT_PFX && (pwfile || pwenv || p.legacy))
        return cli_usage_error(c, cmd, "passwords and --legacy-pfx apply to --pfx only");
    if (pwfile && pwenv)
        return cli_usage_error(c, cmd, "give --password-file or --password-env, not both");
    if (cmd_ca_check_writable(c, file, force) != CLI_OK || cli_open(c, 0) != CLI_OK)
        return CLI_FAILED;
    struct ops_store_pick pick = {.who = {.principal = who}, .spec = argv[optind]};
    struct certstore_entry e = {0};
    char *cause = NULL, *password = NULL;
    int rc = ops_call(&c->cx, OP_STORE_CERTIFICATE, &pick, &e, &cause);
    if (rc != CC_OK)
        return cli_report(c, rc, cause);
    /* the same certificate again, whatever else the spec may come to name meanwhile */
    struct ops_export x = {.pick = {.who = pick.who, .kind = e.kind, .entry_id = e.id},
                           .params = p};
    struct pkix_buf data = {0};
    int result = CLI_FAILED;
    if (p.format == EXPORT_PFX) {
        /* the wizard's first question: can the key go at all? The refusal says why not. */
        if (e.key_id <= 0 || !e.exportable) {
            rc = ops_call(&c->cx, OP_CERT_EXPORT, &x, &data, &cause);
            pkix_buf_free(&data);
            result = cli_report(c, rc, cause);
            goto out;
        }
        if (pwfile)
            password = password_from_file(c, pwfile);
        else if (pwenv && c->served) {
            /* the service's environment is not the client's: never read it */
            cli_error("--password-env does not reach the CA service; give --password-file "
                      "FILE");
        } else if (pwenv) {
            const char *v = getenv(pwenv);
            if (v == NULL)
                cli_error("the environment variable %s is not set", pwenv);
            password = v ? xstrdup(v) : NULL;
        } else
            password = password_from_terminal(c);
        if (password == NULL)
            goto out;
        if (*password == '\0') {
            cli_error("the PFX password must not be empty");
            goto out;
        }
        x.params.password = password;
    }
    rc = ops_call(&c->cx, OP_CERT_EXPORT, &x, &data, &cause);
    if (rc != CC_OK) {
        result = cli_report(c, rc, cause);
        goto out;
    }
    result = cmd_ca_write_file(c, file, data.p, data.n, p.format == EXPORT_PFX ? 0600 : 0644, force);
    if (result == CLI_OK && !c->tsv)
        cli_printf(c, "The export was successful: %s\n", file);
    pkix_buf_free(&data);
out:
    if (password) {
        memset(password, 0, strlen(password));
        free(password);
    }
    certstore_entry_free(&e);
    return result;
}
