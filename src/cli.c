/*
 * Shared machinery of the command line: opening the database as the acting
 * account, reporting core statuses, help text, tables, and allocation that
 * ends cleanly.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "authz.h"
#include "cli.h"
#include "directory.h"
#include "status.h"
#include "util.h"

void *
xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fputs("certcon: out of memory\n", stderr);
        exit(CLI_FAILED);
    }
    return p;
}

void *
xcalloc(size_t n, size_t m)
{
    void *p = calloc(n ? n : 1, m ? m : 1);
    if (p == NULL) {
        fputs("certcon: out of memory\n", stderr);
        exit(CLI_FAILED);
    }
    return p;
}

void *
xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (p == NULL) {
        fputs("certcon: out of memory\n", stderr);
        exit(CLI_FAILED);
    }
    return p;
}

char *
xstrdup(const char *s)
{
    char *p = strdup(s);
    if (p == NULL) {
        fputs("certcon: out of memory\n", stderr);
        exit(CLI_FAILED);
    }
    return p;
}

char *
xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = cc_vasprintf(fmt, ap);
    va_end(ap);
    if (p == NULL) {
        fputs("certcon: out of memory\n", stderr);
        exit(CLI_FAILED);
    }
    return p;
}

static char *
escape(const char *s, int flags)
{
    char *e = cc_text_escape(s, flags);
    if (e == NULL) {
        fputs("certcon: out of memory\n", stderr);
        exit(CLI_FAILED);
    }
    return e;
}

char *
cli_escape(struct cli *c, const char *s)
{
    return escape(s, c != NULL && c->tsv ? CC_ESCAPE_TSV : 0);
}

/*
 * printf with every string argument escaped. Each conversion is re-formatted
 * on its own with the same flags, width and precision; a string's precision
 * cuts the raw value and its width pads the escaped one.
 */
static void
sink_vprintf(FILE *out, int flags, const char *fmt, va_list ap)
{
    const char *p = fmt;
    while (*p) {
        const char *pct = strchr(p, '%');
        if (pct == NULL) {
            fputs(p, out);
            break;
        }
        fwrite(p, 1, (size_t)(pct - p), out);
        p = pct + 1;
        if (*p == '%') {
            fputc('%', out);
            p++;
            continue;
        }
        char spec[32];
        size_t k = 0;
        int width = 0, prec = -1, has_width = 0;
        spec[k++] = '%';
        while (*p && strchr("-+ #0", *p) && k < 8)
            spec[k++] = *p++;
        if (*p == '*') {
            width = va_arg(ap, int);
            has_width = 1;
            p++;
        } else {
            while (*p >= '0' && *p <= '9') {
                width = width * 10 + (*p++ - '0');
                has_width = 1;
            }
        }
        if (*p == '.') {
            p++;
            prec = 0;
            if (*p == '*') {
                prec = va_arg(ap, int);
                p++;
            } else {
                while (*p >= '0' && *p <= '9')
                    prec = prec * 10 + (*p++ - '0');
            }
        }
        int lng = 0; /* 1 l, 2 ll, 3 z, 4 j, 5 t, -1 h/hh, 6 L */
        while (*p && strchr("hlzjtL", *p)) {
            switch (*p) {
            case 'l':
                lng = lng == 1 ? 2 : 1;
                break;
            case 'z':
                lng = 3;
                break;
            case 'j':
                lng = 4;
                break;
            case 't':
                lng = 5;
                break;
            case 'L':
                lng = 6;
                break;
            default:
                lng = -1;
                break;
            }
            p++;
        }
        char conv = *p ? *p++ : '\0';
        if (conv == 's' || conv == 'c') {
            char one[2] = {0, 0};
            const char *raw;
            if (conv == 'c') {
                one[0] = (char)va_arg(ap, int);
                raw = one;
            } else {
                raw = va_arg(ap, const char *);
                if (raw == NULL)
                    raw = "(null)";
            }
            char *cut = prec >= 0 ? strndup(raw, (size_t)prec) : NULL;
            char *e = escape(cut ? cut : raw, flags);
            free(cut);
            spec[k++] = '*';
            spec[k++] = 's';
            spec[k] = '\0';
            fprintf(out, spec, has_width ? width : 0, e);
            free(e);
            continue;
        }
        /* a number: the same conversion, its width and precision passed as arguments */
        spec[k++] = '*';
        spec[k++] = '.';
        spec[k++] = '*';
        static const char *mods[] = {"", "l", "ll", "z", "j", "t", "L"};
        const char *m = lng < 0 ? "" : mods[lng];
        while (*m)
            spec[k++] = *m++;
        spec[k++] = conv;
        spec[k] = '\0';
        int w = has_width ? width : 0;
        switch (conv) {
        case 'd':
        case 'i':
            if (lng == 2)
                fprintf(out, spec, w, prec, va_arg(ap, long long));
            else if (lng == 1)
                fprintf(out, spec, w, prec, va_arg(ap, long));
            else if (lng == 3 || lng == 5)
                fprintf(out, spec, w, prec, va_arg(ap, ptrdiff_t));
            else if (lng == 4)
                fprintf(out, spec, w, prec, va_arg(ap, intmax_t));
            else
                fprintf(out, spec, w, prec, va_arg(ap, int));
            break;
        case 'u':
        case 'o':
        case 'x':
        case 'X':
            if (lng == 2)
                fprintf(out, spec, w, prec, va_arg(ap, unsigned long long));
            else if (lng == 1)
                fprintf(out, spec, w, prec, va_arg(ap, unsigned long));
            else if (lng == 3 || lng == 5)
                fprintf(out, spec, w, prec, va_arg(ap, size_t));
            else if (lng == 4)
                fprintf(out, spec, w, prec, va_arg(ap, uintmax_t));
            else
                fprintf(out, spec, w, prec, va_arg(ap, unsigned));
            break;
        case 'f':
        case 'e':
        case 'g':
            if (lng == 6)
                fprintf(out, spec, w, prec < 0 ? 6 : prec, va_arg(ap, long double));
            else
                fprintf(out, spec, w, prec < 0 ? 6 : prec, va_arg(ap, double));
            break;
        default:
            /* a conversion this sink does not know is a bug in the caller's format */
            fputs("(bad format)", out);
            return;
        }
    }
}

void
cli_printf(struct cli *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sink_vprintf(stdout, c != NULL && c->tsv ? CC_ESCAPE_TSV : 0, fmt, ap);
    va_end(ap);
}

void
cli_fprintf(struct cli *c, FILE *out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sink_vprintf(out, out == stdout && c != NULL && c->tsv ? CC_ESCAPE_TSV : 0, fmt, ap);
    va_end(ap);
}

void
cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("certcon: ", stderr);
    sink_vprintf(stderr, 0, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void
cli_print_lines(struct cli *c, const char *text, int raw)
{
    (void)c;
    if (raw && !isatty(STDOUT_FILENO)) {
        fputs(text, stdout);
        return;
    }
    while (*text) {
        size_t n = strcspn(text, "\n");
        char *line = strndup(text, n);
        if (line == NULL) {
            fputs("certcon: out of memory\n", stderr);
            exit(CLI_FAILED);
        }
        char *e = escape(line, 0);
        fputs(e, stdout);
        free(e);
        free(line);
        text += n;
        if (*text == '\n') {
            fputc('\n', stdout);
            text++;
        }
    }
}

int
cli_fail(struct cli *c, int status, const char *cause)
{
    (void)c;
    uint32_t hr = cc_hresult(status);
    const char *msg = cc_strerror(status);
    int adcs = status >= CC_E_BAD_REQUESTSUBJECT;
    if (cause != NULL && *cause != '\0' && !adcs)
        cli_error("%s", cause);
    else if (cause != NULL && *cause != '\0')
        cli_error("%s %s (0x%08X %s)", cause, msg, hr, cc_status_name(status));
    else if (adcs)
        cli_error("%s (0x%08X %s)", msg, hr, cc_status_name(status));
    else
        cli_error("%s", msg);
    return CLI_FAILED;
}

int
cli_usage_error(struct cli *c, const struct cli_command *cmd, const char *fmt, ...)
{
    (void)c;
    va_list ap;
    va_start(ap, fmt);
    fputs("certcon: ", stderr);
    sink_vprintf(stderr, 0, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (cmd != NULL)
        fprintf(stderr, "Usage: certcon %s\n", cmd->usage);
    return CLI_USAGE;
}

int
cli_help(struct cli *c, const struct cli_command *cmd)
{
    printf("Usage: certcon %s\n\n%s\n", cmd->usage, cmd->summary);
    if (cmd->help == NULL) {
        /* a command whose help is made at run time answers --help itself */
        char *argv[] = {(char *)(cmd->verb ? cmd->verb : cmd->group), (char *)"--help", NULL};
        putchar('\n');
        cmd->run(c, 2, argv);
    } else if (*cmd->help != '\0') {
        printf("\n%s", cmd->help);
    }
    printf("\nGlobal options --db, --as, --now and --tsv apply; see 'certcon --help'.\n");
    return CLI_OK;
}

const struct cli_command *
cli_find(const char *group, const char *verb)
{
    for (size_t i = 0; i < cli_command_count; i++) {
        const struct cli_command *cmd = &cli_commands[i];
        if (strcmp(cmd->group, group) != 0)
            continue;
        if (cmd->verb == NULL)
            return cmd;
        if (verb != NULL && strcmp(cmd->verb, verb) == 0)
            return cmd;
    }
    return NULL;
}

int
cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

int
cli_open(struct cli *c, int create)
{
    char *cause = NULL;
    if (c->st != NULL)
        return CLI_OK;
    int rc = store_open(c->db_path, (create ? STORE_CREATE : 0) | c->store_flags, &c->st, &cause);
    if (rc != CC_OK) {
        cli_fail(c, rc, cause);
        free(cause);
        return CLI_FAILED;
    }
    /*
     * Part of opening the database, not an operation: how this process's
     * handle behaves (certcon.conf's tokens_at_restart) and what a writer
     * waiting for it is told.
     */
    store_set_tokens_at_restart(c->st, c->tokens_at_restart);
    if (c->served) {
        struct passwd *peer = getpwuid(c->peer_uid);
        char *label = peer ? cc_asprintf("certcon serve for %s", peer->pw_name)
                           : cc_asprintf("certcon serve for uid %u", (unsigned)c->peer_uid);
        store_set_label(c->st, label);
        free(label);
    }
    if (create)
        return ctx_init_system(&c->cx, c->st, c->clock) == CC_OK ? CLI_OK : CLI_FAILED;
    return cli_resolve(c);
}

int
cli_resolve(struct cli *c)
{
    char *cause = NULL;
    ctx_free(&c->cx);
    /*
     * The acting account (authz_resolve): in a lab anyone may be played with
     * --as; in a production database it is the account the Unix user is
     * mapped to, whatever the command line or certcon.conf say.
     */
    struct passwd *pw = getpwuid(c->served ? c->peer_uid : geteuid());
    struct authz_caller who = {
        .unix_user = pw ? pw->pw_name : NULL,
        .as = c->as,
        .config_account = c->config_account,
        .role_check = !c->no_role_check,
    };
    struct dir_principal p = {0};
    int ignored = 0;
    int rc = authz_resolve(c->st, &who, &p, &ignored, &cause);
    if (rc != CC_OK) {
        cli_error("acting account: %s", cause ? cause : cc_strerror(rc));
        free(cause);
        return CLI_FAILED;
    }
    char *q = dir_qualified_name(c->st, &p);
    if (ignored)
        cli_error("note: certcon.conf's account is ignored for a production database; you "
                  "act as %s, the account your Unix user is mapped to",
                  q ? q : p.name);
    rc = ctx_init(&c->cx, c->st, p.id, q ? q : p.name, c->clock);
    free(q);
    dir_principal_free(&p);
    return rc == CC_OK ? CLI_OK : CLI_FAILED;
}

void
cli_table_init(struct cli_table *t, size_t ncols, const char **headers)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    t->headers = headers;
}

void
cli_table_add(struct cli_table *t, ...)
{
    va_list ap;
    va_start(ap, t);
    t->cells = xrealloc(t->cells, (t->nrows + 1) * t->ncols * sizeof *t->cells);
    for (size_t i = 0; i < t->ncols; i++) {
        const char *s = va_arg(ap, const char *);
        t->cells[t->nrows * t->ncols + i] = xstrdup(s ? s : "");
    }
    t->nrows++;
    va_end(ap);
}

/* Display width of a UTF-8 string, counting code points. */
static size_t
text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

void
cli_table_print(struct cli *c, struct cli_table *t, FILE *out)
{
    /* every cell came from outside: escape it once, before widths are measured */
    for (size_t i = 0; i < t->nrows * t->ncols; i++) {
        char *e = escape(t->cells[i], c->tsv ? CC_ESCAPE_TSV : 0);
        free(t->cells[i]);
        t->cells[i] = e;
    }
    if (c->tsv) {
        for (size_t r = 0; r < t->nrows; r++) {
            for (size_t i = 0; i < t->ncols; i++) {
                if (i > 0)
                    fputc('\t', out);
                fputs(t->cells[r * t->ncols + i], out);
            }
            fputc('\n', out);
        }
        return;
    }
    size_t *w = xcalloc(t->ncols, sizeof *w);
    for (size_t i = 0; i < t->ncols; i++)
        w[i] = t->headers ? text_width(t->headers[i]) : 0;
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t i = 0; i < t->ncols; i++) {
            size_t n = text_width(t->cells[r * t->ncols + i]);
            if (n > w[i])
                w[i] = n;
        }
    for (size_t r = 0; r <= t->nrows; r++) {
        if (r == 0 && t->headers == NULL)
            continue;
        for (size_t i = 0; i < t->ncols; i++) {
            const char *s = r == 0 ? t->headers[i] : t->cells[(r - 1) * t->ncols + i];
            if (i + 1 == t->ncols) {
                fputs(s, out);
            } else {
                fputs(s, out);
                for (size_t k = text_width(s); k < w[i] + 2; k++)
                    fputc(' ', out);
            }
        }
        fputc('\n', out);
    }
    free(w);
}

void
cli_table_free(struct cli_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    t->cells = NULL;
    t->nrows = 0;
}

int
cli_positional(struct cli *c, const struct cli_command *cmd, int argc, char **argv, int min,
               int max)
{
    int n = argc - optind;
    (void)argv;
    if (n < min)
        return cli_usage_error(c, cmd, "missing arguments");
    if (max >= 0 && n > max)
        return cli_usage_error(c, cmd, "too many arguments: '%s'", argv[optind + max]);
    return CLI_OK;
}

int
cli_bad_option(struct cli *c, const struct cli_command *cmd, int argc, char **argv)
{
    const char *opt = optind - 1 < argc && optind > 0 ? argv[optind - 1] : "?";
    if (optopt != 0 && opt[0] == '-' && opt[1] != '-')
        return cli_usage_error(c, cmd, "unknown option -%c", optopt);
    return cli_usage_error(c, cmd, "unknown option or missing value: %s", opt);
}

int
cli_args(struct cli *c, const struct cli_command *cmd, int argc, char **argv, int min, int max)
{
    static const struct option none[] = {{NULL, 0, NULL, 0}};
    optind = 0;
    opterr = 0;
    if (getopt_long(argc, argv, "", none, NULL) != -1)
        return cli_bad_option(c, cmd, argc, argv);
    return cli_positional(c, cmd, argc, argv, min, max);
}

int
cli_report(struct cli *c, int rc, char *cause)
{
    if (rc != CC_OK)
        cli_fail(c, rc, cause);
    free(cause);
    return rc == CC_OK ? CLI_OK : CLI_FAILED;
}

/* ---------------- files a person names ---------------- */

static int
local_read(const char *path, size_t max, void **data, size_t *n, char **cause)
{
    *data = NULL;
    *n = 0;
    if (path == NULL || *path == '\0')
        return cc_fail(cause, CC_EINVAL, "no file name given");
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return cc_fail(cause, CC_EIO, "cannot read %s: %s", path, strerror(errno));
    size_t cap = 0, len = 0;
    char *buf = NULL;
    int rc = CC_OK;
    for (;;) {
        if (len + 1 >= cap) {
            size_t want = cap ? cap * 2 : 16384;
            if (want > max + 2)
                want = max + 2; /* max+1 bytes and the NUL */
            if (want <= cap) {
                break; /* max+1 bytes read: the caller knows it is too long */
            }
            char *p = realloc(buf, want);
            if (p == NULL) {
                rc = CC_ENOMEM;
                break;
            }
            buf = p;
            cap = want;
        }
        ssize_t r = read(fd, buf + len, cap - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = cc_fail(cause, CC_EIO, "cannot read %s: %s", path, strerror(errno));
            break;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (rc != CC_OK) {
        free(buf);
        return rc;
    }
    if (buf == NULL && (buf = malloc(1)) == NULL)
        return CC_ENOMEM;
    buf[len] = '\0';
    *data = buf;
    *n = len;
    return CC_OK;
}

int
cli_read_file(struct cli *c, const char *path, size_t max, void **data, size_t *n, char **cause)
{
    if (c != NULL && c->files != NULL)
        return c->files->read(c->files->ctx, path, max, data, n, cause);
    return local_read(path, max, data, n, cause);
}

int
cli_write_file(struct cli *c, const char *path, const void *data, size_t n, int mode, int force,
               char **cause)
{
    if (c != NULL && c->files != NULL)
        return c->files->write(c->files->ctx, path, data, n, mode, force, cause);
    return cc_write_file(path, data, n, mode, force, cause);
}

int
cli_stat_file(struct cli *c, const char *path, int follow, unsigned *mode)
{
    if (c != NULL && c->files != NULL)
        return c->files->stat(c->files->ctx, path, follow, mode);
    struct stat sb;
    if ((follow ? stat(path, &sb) : lstat(path, &sb)) != 0)
        return errno ? errno : EIO;
    *mode = (unsigned)sb.st_mode;
    return 0;
}

int
cli_access_file(struct cli *c, const char *path, int amode)
{
    if (c != NULL && c->files != NULL)
        return c->files->access(c->files->ctx, path, amode);
    return access(path, amode) == 0 ? 0 : (errno ? errno : EIO);
}

int
cli_probe_files(struct cli *c, const char *const *paths, size_t n, int amode,
                struct cli_probe *out, char **cause)
{
    if (c != NULL && c->files != NULL)
        return c->files->probe(c->files->ctx, paths, n, amode, out, cause);
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        out[i].stat_err = lstat(paths[i], &sb) == 0 ? 0 : (errno ? errno : EIO);
        out[i].mode = out[i].stat_err == 0 ? (unsigned)sb.st_mode : 0;
        out[i].access_err =
            amode == 0 ? 0 : access(paths[i], amode) == 0 ? 0 : (errno ? errno : EIO);
    }
    return CC_OK;
}

int
cli_open_tty(struct cli *c)
{
    if (c != NULL && c->served)
        return c->tty_fd >= 0 ? fcntl(c->tty_fd, F_DUPFD_CLOEXEC, 3) : -1;
    return open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
}
