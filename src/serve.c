/*
 * The CA service, tmux's way: the same binary as the client. The parent only
 * checks that the files it owns are private, listens, accepts and reaps; each
 * connection gets a child (as sshd and postgres do) that takes the client's
 * standard streams and terminal, opens its own store connection and runs the
 * command with the same dispatch as main's. Files the command names are read
 * and written by the client (cli_files below): the service never opens a
 * path a client chose.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "authority.h"
#include "context.h"
#include "http.h"
#include "ops.h"
#include "proto.h"
#include "serve.h"
#include "status.h"
#include "store.h"
#include "util.h"

/* ---------------- the files the service owns ---------------- */

/*
 * Refuses a file (or directory) that someone else could read or write, or
 * that another user owns. A missing file passes unless it must exist.
 */
static int
check_private(const char *path, int must_exist, char **cause)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT && !must_exist)
            return CC_OK;
        return cc_fail(cause, CC_EIO, "%s: %s", path, strerror(errno));
    }
    int dir = S_ISDIR(sb.st_mode);
    if (sb.st_uid != geteuid()) {
        struct passwd *pw = getpwuid(geteuid());
        return cc_fail(cause, CC_EACCES,
                       "%s is owned by uid %u, not by the service's user %s: the service "
                       "runs as the user that owns the CA's files (chown them to it)",
                       path, (unsigned)sb.st_uid, pw ? pw->pw_name : "?");
    }
    if (sb.st_mode & 077)
        return cc_fail(cause, CC_EACCES,
                       "%s is open to group or others (mode %04o): the CA's files must be "
                       "private to the service (chmod %s %s)",
                       path, (unsigned)(sb.st_mode & 07777), dir ? "700" : "600", path);
    return CC_OK;
}

/* The database, its directory and the files beside it; then the CA key it names. */
static int
check_files(const char *db, char **cause)
{
    int rc = check_private(db, 1, cause);
    char *copy = cc_strdup(db);
    if (rc == CC_OK && copy != NULL)
        rc = check_private(dirname(copy), 1, cause);
    free(copy);
    static const char *const beside[] = {"-wal",   "-shm",    ".ca-key.pem", ".secret",
                                         ".lock",  ".holder", ".https.pem",  ".https-key.pem"};
    for (size_t i = 0; rc == CC_OK && i < sizeof beside / sizeof beside[0]; i++) {
        char *p = cc_asprintf("%s%s", db, beside[i]);
        rc = p ? check_private(p, 0, cause) : CC_ENOMEM;
        free(p);
    }
    if (rc != CC_OK)
        return rc;
    /* the store opens (and migrates) here, once, before any child does */
    struct store *st = NULL;
    rc = store_open(db, 0, &st, cause);
    if (rc != CC_OK)
        return rc;
    struct cc_ctx cx;
    if (ctx_init_system(&cx, st, cc_clock_system()) != CC_OK) {
        store_close(st);
        return CC_ENOMEM;
    }
    struct authority_info info;
    memset(&info, 0, sizeof info);
    if (ops_call(&cx, OP_CA_INFO, NULL, &info, NULL) == CC_OK && info.key_ref != NULL &&
        strncmp(info.key_ref, "pkcs11:", 7) != 0) {
        char *dcopy = cc_strdup(db);
        char *key = info.key_ref[0] == '/' ? cc_strdup(info.key_ref)
                                           : cc_asprintf("%s/%s", dirname(dcopy), info.key_ref);
        rc = key ? check_private(key, 1, cause) : CC_ENOMEM;
        free(key);
        free(dcopy);
    }
    authority_info_free(&info);
    ctx_free(&cx);
    store_close(st);
    return rc;
}

/* ---------------- the socket ---------------- */

char *
serve_default_socket(void)
{
    if (geteuid() == 0)
        return xstrdup("/run/certcon/certcon.sock");
    const char *xdg = getenv("XDG_RUNTIME_DIR");
    if (xdg != NULL && *xdg != '\0')
        return xasprintf("%s/certcon.sock", xdg);
    return xasprintf("/run/user/%u/certcon.sock", (unsigned)geteuid());
}

static int
socket_address(const char *path, struct sockaddr_un *sa, char **cause)
{
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa->sun_path)
        return cc_fail(cause, CC_EINVAL, "the socket path %s is longer than %zu bytes", path,
                       sizeof sa->sun_path - 1);
    memcpy(sa->sun_path, path, strlen(path) + 1);
    return CC_OK;
}

/*
 * Binds and listens at path. A socket left by a service that is gone is
 * replaced; one that answers, or anything that is not a socket, is refused.
 */
static int
listen_at(const char *path, int *out, char **cause)
{
    struct sockaddr_un sa;
    int rc = socket_address(path, &sa, cause);
    if (rc != CC_OK)
        return rc;
    char *copy = xstrdup(path);
    const char *dir = dirname(copy);
    struct stat sb;
    if (stat(dir, &sb) != 0 && errno == ENOENT && mkdir(dir, 0755) == 0)
        chmod(dir, 0755); /* any local user connects: the kernel names who */
    free(copy);
    if (lstat(path, &sb) == 0) {
        if (!S_ISSOCK(sb.st_mode))
            return cc_fail(cause, CC_EEXIST, "%s exists and is %s, not a socket: remove it or "
                           "give another --socket", path, cc_file_kind(sb.st_mode));
        int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int answers = probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof sa) == 0;
        if (probe >= 0)
            close(probe);
        if (answers)
            return cc_fail(cause, CC_EEXIST, "another CA service answers at %s: stop it first",
                           path);
        unlink(path); /* a stale socket from a service that is gone */
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return cc_fail(cause, CC_EIO, "socket: %s", strerror(errno));
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || chmod(path, 0666) != 0 ||
        listen(fd, 64) != 0) {
        rc = cc_fail(cause, CC_EIO, "cannot listen at %s: %s", path, strerror(errno));
        close(fd);
        return rc;
    }
    *out = fd;
    return CC_OK;
}

/* ---------------- one client, in its child ---------------- */

/* The connection as the served command's cli_files see it. */
struct conn {
    int fd;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    json_t *reply; /* the client's answer, waiting to be taken */
    int gone;      /* the client closed the connection or sent nonsense */
    int done;      /* the command has ended: the reader stops without a signal */
};

/*
 * Reads everything the client sends while the command runs: replies for
 * the command's file requests, and terminal resizes, which become the
 * SIGWINCH ncurses would have had from the kernel. When the client goes,
 * the command ends (SIGHUP, as when a terminal hangs up).
 */
static void *
conn_reader(void *arg)
{
    struct conn *k = arg;
    for (;;) {
        json_t *m = NULL;
        int rc = proto_recv(k->fd, &m, NULL, 0, NULL, NULL);
        if (rc != CC_OK) {
            pthread_mutex_lock(&k->mu);
            k->gone = 1;
            int done = k->done;
            pthread_cond_broadcast(&k->cv);
            pthread_mutex_unlock(&k->mu);
            if (!done)
                kill(getpid(), SIGHUP);
            return NULL;
        }
        enum proto_type t = proto_type_of(m);
        if (t == PROTO_RESIZE) {
            kill(getpid(), SIGWINCH);
            json_decref(m);
        } else if (t == PROTO_REPLY) {
            pthread_mutex_lock(&k->mu);
            json_decref(k->reply);
            k->reply = m;
            pthread_cond_broadcast(&k->cv);
            pthread_mutex_unlock(&k->mu);
        } else {
            json_decref(m);
        }
    }
}

/* Sends req (consumed) and waits for the client's reply (a new reference). */
static int
conn_call(struct conn *k, json_t *req, json_t **reply, char **cause)
{
    *reply = NULL;
    if (req == NULL)
        return CC_ENOMEM;
    pthread_mutex_lock(&k->mu);
    json_decref(k->reply);
    k->reply = NULL;
    int gone = k->gone;
    pthread_mutex_unlock(&k->mu);
    int rc = gone ? CC_EIO : proto_send(k->fd, req, NULL, 0, cause);
    json_decref(req);
    if (rc != CC_OK)
        return cc_fail(cause, CC_EIO, "the client is gone");
    pthread_mutex_lock(&k->mu);
    while (k->reply == NULL && !k->gone)
        pthread_cond_wait(&k->cv, &k->mu);
    *reply = k->reply;
    k->reply = NULL;
    pthread_mutex_unlock(&k->mu);
    return *reply != NULL ? CC_OK : cc_fail(cause, CC_EIO, "the client is gone");
}

/* The status of a reply, with its message as the cause. */
static int
reply_status(const json_t *reply, char **cause)
{
    json_int_t st = json_integer_value(json_object_get(reply, "status"));
    if (st < 0 || st >= CC_STATUS_COUNT)
        return cc_fail(cause, CC_EIO, "the client sent a bad reply");
    const char *m = json_string_value(json_object_get(reply, "message"));
    if (st != CC_OK && m != NULL)
        cc_fail(cause, (int)st, "%s", m);
    return (int)st;
}

static int
remote_read(void *ctx, const char *path, size_t max, void **data, size_t *n, char **cause)
{
    *data = NULL;
    *n = 0;
    json_t *reply = NULL;
    int rc = conn_call(ctx,
                       json_pack("{s:s,s:s,s:I}", "type", proto_type_name(PROTO_READ), "path",
                                 path ? path : "", "max", (json_int_t)max),
                       &reply, cause);
    if (rc == CC_OK)
        rc = reply_status(reply, cause);
    if (rc == CC_OK && proto_get_data(reply, "data", data, n) != CC_OK)
        rc = cc_fail(cause, CC_EIO, "the client sent a bad reply");
    if (rc == CC_OK && *n > max + 1) {
        free(*data);
        *data = NULL;
        *n = 0;
        rc = cc_fail(cause, CC_EIO, "the client sent more than was asked");
    }
    json_decref(reply);
    return rc;
}

static int
remote_write(void *ctx, const char *path, const void *data, size_t n, int mode, int force,
             char **cause)
{
    if (n > PROTO_DATA_MAX)
        return cc_fail(cause, CC_EINVAL,
                       "%s: %zu bytes is more than a file written through the CA service may "
                       "hold (%d)",
                       path, n, PROTO_DATA_MAX);
    json_t *req = json_pack("{s:s,s:s,s:i,s:i}", "type", proto_type_name(PROTO_WRITE), "path",
                            path ? path : "", "mode", mode, "force", force);
    if (req != NULL && proto_set_data(req, "data", data, n) != CC_OK) {
        json_decref(req);
        req = NULL;
    }
    json_t *reply = NULL;
    int rc = conn_call(ctx, req, &reply, cause);
    if (rc == CC_OK)
        rc = reply_status(reply, cause);
    json_decref(reply);
    return rc;
}

static int
remote_errno(struct conn *k, json_t *req, unsigned *mode)
{
    json_t *reply = NULL;
    if (conn_call(k, req, &reply, NULL) != CC_OK)
        return EIO;
    int err = (int)json_integer_value(json_object_get(reply, "errno"));
    if (mode != NULL)
        *mode = (unsigned)json_integer_value(json_object_get(reply, "mode"));
    json_decref(reply);
    return err;
}

static int
remote_stat(void *ctx, const char *path, int follow, unsigned *mode)
{
    return remote_errno(ctx,
                        json_pack("{s:s,s:s,s:b}", "type", proto_type_name(PROTO_STAT), "path",
                                  path ? path : "", "follow", follow),
                        mode);
}

static int
remote_access(void *ctx, const char *path, int amode)
{
    return remote_errno(ctx,
                        json_pack("{s:s,s:s,s:i}", "type", proto_type_name(PROTO_ACCESS), "path",
                                  path ? path : "", "mode", amode),
                        NULL);
}

static int
remote_probe(void *ctx, const char *const *paths, size_t n, int amode, struct cli_probe *out,
             char **cause)
{
    json_t *list = json_array();
    for (size_t i = 0; list != NULL && i < n; i++)
        if (json_array_append_new(list, json_string(paths[i] ? paths[i] : "")) != 0) {
            json_decref(list);
            list = NULL;
        }
    json_t *req = list ? json_pack("{s:s,s:o,s:i}", "type", proto_type_name(PROTO_PROBE), "paths",
                                   list, "mode", amode)
                       : NULL;
    json_t *reply = NULL;
    int rc = conn_call(ctx, req, &reply, cause);
    if (rc == CC_OK)
        rc = reply_status(reply, cause);
    const json_t *results = json_object_get(reply, "results");
    if (rc == CC_OK && json_array_size(results) != n)
        rc = cc_fail(cause, CC_EPARSE, "the client answered a file check with %zu results for %zu files",
                     json_array_size(results), n);
    for (size_t i = 0; rc == CC_OK && i < n; i++) {
        const json_t *e = json_array_get(results, i);
        out[i].stat_err = (int)json_integer_value(json_array_get(e, 0));
        out[i].mode = (unsigned)json_integer_value(json_array_get(e, 1));
        out[i].access_err = (int)json_integer_value(json_array_get(e, 2));
    }
    json_decref(reply);
    return rc;
}

static int
send_exit(int fd, int status, const char *message)
{
    json_t *m = json_pack("{s:s,s:i}", "type", proto_type_name(PROTO_EXIT), "status", status);
    if (m != NULL && message != NULL)
        json_object_set_new(m, "message", json_string(message));
    int rc = m ? proto_send(fd, m, NULL, 0, NULL) : CC_ENOMEM;
    json_decref(m);
    return rc;
}

/* The command's argv from a "command" message (NULL-terminated, allocated), or NULL. */
static char **
command_argv(const json_t *msg, int *argc)
{
    const json_t *a = json_object_get(msg, "argv");
    size_t n = json_array_size(a);
    if (!json_is_array(a) || n == 0 || n > 4096)
        return NULL;
    char **v = xcalloc(n + 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(a, i));
        if (s == NULL || strlen(s) != json_string_length(json_array_get(a, i))) {
            for (size_t k = 0; k < i; k++)
                free(v[k]);
            free(v);
            return NULL;
        }
        v[i] = xstrdup(s);
    }
    *argc = (int)n;
    return v;
}

static int
serve_child(struct cli *c, int fd, uid_t uid, pid_t pid, serve_run_fn run)
{
    /* its own session: the client's terminal is never this process's controlling one */
    setsid();
    json_t *msg = NULL;
    int fds[PROTO_FDS_MAX];
    size_t nfds = 0;
    char *cause = NULL;
    int rc = proto_recv(fd, &msg, fds, PROTO_FDS_MAX, &nfds, &cause);
    if (rc != CC_OK) {
        free(cause);
        return CLI_FAILED;
    }
    int argc = 0;
    char **argv = NULL;
    if (proto_type_of(msg) != PROTO_COMMAND || nfds < 3 ||
        (argv = command_argv(msg, &argc)) == NULL) {
        send_exit(fd, CLI_USAGE, "the CA service expected a command with its standard streams");
        for (size_t i = 0; i < nfds; i++)
            close(fds[i]);
        json_decref(msg);
        return CLI_USAGE;
    }
    /*
     * run() takes its global options out of argv and getopt permutes the
     * rest: free what command_argv allocated from a copy of the pointers.
     */
    char **owned = xcalloc((size_t)argc + 1, sizeof *owned);
    memcpy(owned, argv, (size_t)argc * sizeof *owned);
    const json_t *env = json_object_get(msg, "env");
    for (size_t i = 0; proto_env_names[i] != NULL; i++) {
        const char *v = json_string_value(json_object_get(env, proto_env_names[i]));
        if (v != NULL)
            setenv(proto_env_names[i], v, 1);
        else
            unsetenv(proto_env_names[i]);
    }
    /* after the standard streams: the terminal, then the script, each if sent */
    json_t *sfd = json_object_get(msg, "script_fd");
    json_int_t script_at = json_is_integer(sfd) ? json_integer_value(sfd) : -1;
    if (script_at < 3 || (size_t)script_at >= nfds)
        script_at = -1;
    json_decref(msg);
    for (int i = 0; i < 3; i++) {
        dup2(fds[i], i); /* dup2 clears close-on-exec on the copy */
        close(fds[i]);
    }
    c->tty_fd = nfds > 3 && script_at != 3 ? fds[3] : -1;
    c->script_fd = script_at >= 0 ? fds[script_at] : -1;
    for (size_t i = 4; i < nfds; i++)
        if ((json_int_t)i != script_at)
            close(fds[i]);

    struct conn k = {.fd = fd};
    pthread_mutex_init(&k.mu, NULL);
    pthread_cond_init(&k.cv, NULL);
    struct cli_files files = {remote_read,   remote_write, remote_stat,
                              remote_access, remote_probe, &k};
    c->served = 1;
    c->service_pid = getppid();
    c->peer_uid = uid;
    c->peer_pid = pid;
    c->files = &files;
    /*
     * Writers of every child queue on "<db>.lock" instead of meeting
     * "database is locked": a client waits its turn, never times out.
     */
    c->store_flags = STORE_SERIALIZE;
    /* the options were the service's; the client's come with its command */
    c->as = NULL;
    c->script = NULL;
    c->record = NULL;
    c->tsv = 0;
    c->ascii = 0;
    /* the service's own certcon.conf never names who a client is */
    free(c->config_account);
    c->config_account = NULL;

    /* the reader thread takes no signal meant for the command */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGWINCH);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    pthread_t reader;
    int threaded = pthread_create(&reader, NULL, conn_reader, &k) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    rc = threaded ? run(c, argc, argv) : CLI_FAILED;
    fflush(stdout);
    fflush(stderr);
    send_exit(fd, rc, threaded ? NULL : "the CA service cannot start a reader");
    /*
     * The reader uses k, which lives in this frame: end it before leaving,
     * by closing our reading side, so it never runs beside the exit.
     */
    if (threaded) {
        pthread_mutex_lock(&k.mu);
        k.done = 1;
        pthread_mutex_unlock(&k.mu);
        shutdown(fd, SHUT_RD);
        pthread_join(reader, NULL);
    }
    json_decref(k.reply);
    c->files = NULL;
    pthread_cond_destroy(&k.cv);
    pthread_mutex_destroy(&k.mu);
    if (c->st != NULL) {
        store_close(c->st);
        c->st = NULL;
        ctx_free(&c->cx);
    }
    for (int i = 0; i < argc; i++)
        free(owned[i]);
    free(owned);
    free(argv);
    return rc;
}

/* ---------------- the service ---------------- */

static volatile sig_atomic_t stopping, children_ended;

static void
on_stop(int sig)
{
    (void)sig;
    stopping = 1;
}

static void
on_child(int sig)
{
    (void)sig;
    children_ended = 1;
}

int
cmd_serve(struct cli *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    (void)c;
    cli_error("serve starts the CA service on its host ('certcon serve'); it does not run "
              "through one");
    return CLI_USAGE;
}

int
serve_main(struct cli *c, int argc, char **argv, serve_run_fn run)
{
    const struct cli_command *cmd = cli_find("serve", NULL);
    static const struct option opts[] = {
        {"socket", required_argument, NULL, 's'},
        {"http", required_argument, NULL, 'h'},
        {"https", required_argument, NULL, 'H'},
        {NULL, 0, NULL, 0},
    };
    const char *sock = NULL;
    struct http_listen web[8];
    size_t nweb = 0;
    char *cause = NULL;
    int o;
    optind = 0;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (o == 's') {
            sock = optarg;
        } else if (o == 'h' || o == 'H') {
            if (nweb == sizeof web / sizeof web[0])
                return cli_usage_error(c, cmd, "at most %zu --http and --https addresses",
                                       sizeof web / sizeof web[0]);
            if (http_parse_listen(optarg, o == 'H', &web[nweb], &cause) != CC_OK) {
                int r = cli_usage_error(c, cmd, "--%s %s", o == 'H' ? "https" : "http", cause);
                free(cause);
                return r;
            }
            nweb++;
        } else {
            return cli_bad_option(c, cmd, argc, argv);
        }
    }
    if (cli_positional(c, cmd, argc, argv, 0, 0) != CLI_OK)
        return CLI_USAGE;
    if (sock != NULL && *sock == '\0')
        return cli_usage_error(c, cmd, "--socket needs a path");
    int rc = check_files(c->db_path, &cause);
    if (rc != CC_OK) {
        cli_error("the CA service does not start: %s", cause ? cause : cc_strerror(rc));
        free(cause);
        return CLI_FAILED;
    }
    char *defsock = sock ? NULL : serve_default_socket();
    const char *path = sock ? sock : defsock;

    /* signals arrive only inside ppoll, so none is lost between a check and the wait */
    sigset_t block, waitmask;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGCHLD);
    sigprocmask(SIG_BLOCK, &block, &waitmask);
    sigdelset(&waitmask, SIGTERM);
    sigdelset(&waitmask, SIGINT);
    sigdelset(&waitmask, SIGCHLD);
    struct sigaction sa, old_term, old_int, old_chld;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGINT, &sa, &old_int);
    sa.sa_handler = on_child;
    sigaction(SIGCHLD, &sa, &old_chld);
    signal(SIGPIPE, SIG_IGN);

    /*
     * The HTTP side runs libmicrohttpd's threads in a process of its own,
     * forked now, while this one has no thread: the children forked below
     * for Unix-socket clients must never inherit another thread's locks.
     */
    pid_t web_pid = 0;
    int web_failed = 0;
    for (size_t i = 0; rc == CC_OK && i < nweb; i++)
        rc = http_bind(&web[i], &cause);
    if (rc == CC_OK && nweb > 0)
        rc = http_start(c->db_path, c->clock, web, nweb, &web_pid, &cause);
    int lfd = -1;
    if (rc == CC_OK)
        rc = listen_at(path, &lfd, &cause);
    if (rc != CC_OK) {
        cli_error("the CA service does not start: %s", cause ? cause : cc_strerror(rc));
        free(cause);
        free(defsock);
        for (size_t i = 0; i < nweb; i++)
            if (web[i].fd >= 0)
                close(web[i].fd);
        if (web_pid > 0) {
            kill(web_pid, SIGTERM);
            waitpid(web_pid, NULL, 0);
        }
        return CLI_FAILED;
    }
    fprintf(stderr, "certcon: the CA service for %s listens on %s\n", c->db_path, path);
    while (!stopping) {
        struct pollfd p = {.fd = lfd, .events = POLLIN};
        int n = ppoll(&p, 1, NULL, &waitmask);
        if (children_ended) {
            children_ended = 0;
            pid_t ended;
            while ((ended = waitpid(-1, NULL, WNOHANG)) > 0)
                if (ended == web_pid) {
                    /* a service whose URLs no longer answer must not look healthy */
                    fprintf(stderr, "certcon: the HTTP side ended: the CA service stops\n");
                    web_pid = 0;
                    web_failed = 1;
                    stopping = 1;
                }
        }
        if (n <= 0 || stopping)
            continue;
        int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0)
            continue;
        struct ucred cred;
        socklen_t len = sizeof cred;
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
            close(fd);
            continue;
        }
        fflush(NULL);
        pid_t child = fork();
        if (child == 0) {
            close(lfd);
            sigaction(SIGTERM, &old_term, NULL);
            sigaction(SIGINT, &old_int, NULL);
            sigaction(SIGCHLD, &old_chld, NULL);
            signal(SIGPIPE, SIG_DFL);
            sigprocmask(SIG_SETMASK, &waitmask, NULL);
            free(defsock);
            exit(serve_child(c, fd, cred.uid, cred.pid, run));
        }
        if (child < 0)
            send_exit(fd, CLI_FAILED, "the CA service cannot start a process for you");
        close(fd);
    }
    /* stop taking clients, let those served finish, leave no socket behind */
    close(lfd);
    unlink(path);
    if (web_pid > 0)
        kill(web_pid, SIGTERM);
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
        ;
    fprintf(stderr, "certcon: the CA service stopped\n");
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGCHLD, &old_chld, NULL);
    free(defsock);
    return web_failed ? CLI_FAILED : CLI_OK;
}
