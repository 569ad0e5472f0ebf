/*
 * The client side of the CA service (src/proto.h). It never runs a command
 * itself: it forwards one, then serves the service's requests for files
 * until the "exit" message comes. Whatever becomes of the service, the
 * terminal is left as the client found it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "client.h"
#include "proto.h"
#include "status.h"
#include "util.h"

static int saved_fd = -1; /* the terminal whose settings are kept in saved */
static struct termios saved;
static int winch_pipe[2] = {-1, -1};

static void
restore_terminal(void)
{
    if (saved_fd >= 0)
        tcsetattr(saved_fd, TCSADRAIN, &saved);
}

static void
on_winch(int sig)
{
    (void)sig;
    int e = errno;
    if (write(winch_pipe[1], "w", 1) < 0) {
        /* a resize already waits in the pipe */
    }
    errno = e;
}

/* Interrupted or killed: the terminal first, then die of the same signal. */
static void
on_fatal(int sig)
{
    restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

static json_t *
reply_new(int status, const char *message)
{
    json_t *r = proto_new(PROTO_REPLY);
    if (r != NULL) {
        json_object_set_new(r, "status", json_integer(status));
        if (message != NULL)
            json_object_set_new(r, "message", json_string(message));
    }
    return r;
}

/* One request of the service, done here with this user's rights; the reply. */
static json_t *
answer_probe(const json_t *req)
{
    const json_t *paths = json_object_get(req, "paths");
    int amode = (int)json_integer_value(json_object_get(req, "mode")) & (R_OK | W_OK | X_OK);
    size_t n = json_array_size(paths);
    json_t *results = json_array();
    for (size_t i = 0; results != NULL && i < n; i++) {
        const char *p = json_string_value(json_array_get(paths, i));
        struct cli_probe pr = {EINVAL, 0, EINVAL};
        if (p != NULL)
            cli_probe_files(NULL, &p, 1, amode, &pr, NULL);
        json_array_append_new(results, json_pack("[i,i,i]", pr.stat_err, (json_int_t)pr.mode,
                                                 pr.access_err));
    }
    json_t *r = results ? reply_new(CC_OK, NULL) : NULL;
    if (r != NULL)
        json_object_set_new(r, "results", results);
    else
        json_decref(results);
    return r;
}

static json_t *
answer(const json_t *req)
{
    if (proto_type_of(req) == PROTO_PROBE)
        return answer_probe(req);
    const char *path = json_string_value(json_object_get(req, "path"));
    if (path == NULL)
        return reply_new(CC_EINVAL, "a file request without a path");
    char *cause = NULL;
    json_t *r = NULL;
    switch (proto_type_of(req)) {
    case PROTO_READ: {
        json_int_t want = json_integer_value(json_object_get(req, "max"));
        size_t max = want < 0 ? 0 : (size_t)want;
        size_t eff = max > PROTO_DATA_MAX ? PROTO_DATA_MAX : max;
        void *data = NULL;
        size_t n = 0;
        int rc = cli_read_file(NULL, path, eff, &data, &n, &cause);
        if (rc == CC_OK && n > eff && eff < max)
            rc = cc_fail(&cause, CC_EINVAL,
                         "%s is larger than a file read through the CA service may be (%d bytes)",
                         path, PROTO_DATA_MAX);
        r = reply_new(rc, cause);
        if (r != NULL && rc == CC_OK && proto_set_data(r, "data", data, n) != CC_OK) {
            json_decref(r);
            r = reply_new(CC_ENOMEM, NULL);
        }
        free(data);
        break;
    }
    case PROTO_WRITE: {
        void *data = NULL;
        size_t n = 0;
        int mode = (int)json_integer_value(json_object_get(req, "mode")) & 0777;
        json_int_t f = json_integer_value(json_object_get(req, "force"));
        int force = f == CC_WRITE_INTO ? CC_WRITE_INTO : f != 0;
        int rc = proto_get_data(req, "data", &data, &n);
        if (rc == CC_OK)
            rc = cli_write_file(NULL, path, data, n, mode, force, &cause);
        else
            rc = cc_fail(&cause, CC_EPARSE, "the CA service sent a bad write request");
        free(data);
        r = reply_new(rc, cause);
        break;
    }
    case PROTO_STAT: {
        unsigned mode = 0;
        int err = cli_stat_file(NULL, path, json_is_true(json_object_get(req, "follow")), &mode);
        r = reply_new(CC_OK, NULL);
        if (r != NULL) {
            json_object_set_new(r, "errno", json_integer(err));
            json_object_set_new(r, "mode", json_integer(mode));
        }
        break;
    }
    case PROTO_ACCESS: {
        int amode = (int)json_integer_value(json_object_get(req, "mode")) & (R_OK | W_OK | X_OK);
        int err = cli_access_file(NULL, path, amode);
        r = reply_new(CC_OK, NULL);
        if (r != NULL)
            json_object_set_new(r, "errno", json_integer(err));
        break;
    }
    default:
        break;
    }
    free(cause);
    return r;
}

/* The "command" message: argv, cwd, the environment the command needs, tty. */
static json_t *
command_message(int argc, char **argv)
{
    json_t *m = proto_new(PROTO_COMMAND);
    json_t *a = json_array(), *env = json_object();
    if (m == NULL || a == NULL || env == NULL) {
        json_decref(m);
        json_decref(a);
        json_decref(env);
        return NULL;
    }
    for (int i = 0; i < argc; i++)
        json_array_append_new(a, json_string(argv[i]));
    for (size_t i = 0; proto_env_names[i] != NULL; i++) {
        const char *v = getenv(proto_env_names[i]);
        if (v != NULL)
            json_object_set_new(env, proto_env_names[i], json_string(v));
    }
    char *cwd = getcwd(NULL, 0);
    json_object_set_new(m, "argv", a);
    json_object_set_new(m, "env", env);
    json_object_set_new(m, "cwd", json_string(cwd ? cwd : ""));
    json_object_set_new(m, "tty", json_boolean(isatty(STDIN_FILENO)));
    free(cwd);
    return m;
}

int
client_main(const char *path, int argc, char **argv, const char *script)
{
    /*
     * The console's --script is opened here, with the person's rights, and
     * passed open: the service reads it as it comes (a FIFO may wait for
     * another process), never by its name.
     */
    int script_fd = -1;
    if (script != NULL && (script_fd = open(script, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
        cli_error("--script %s: %s", script, strerror(errno));
        return CLI_FAILED;
    }
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa.sun_path) {
        cli_error("cannot reach the CA service at %s: the path is too long", path);
        if (script_fd >= 0)
            close(script_fd);
        return CLI_FAILED;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0 || connect(sock, (struct sockaddr *)&sa, sizeof sa) != 0) {
        cli_error("cannot reach the CA service at %s: %s", path, strerror(errno));
        if (sock >= 0)
            close(sock);
        if (script_fd >= 0)
            close(script_fd);
        return CLI_FAILED;
    }
    signal(SIGPIPE, SIG_IGN);

    /* argv, for argv in a message, must be UTF-8: jansson refuses anything else */
    for (int i = 0; i < argc; i++) {
        json_t *s = json_string(argv[i]);
        if (s == NULL) {
            char *e = cli_escape(NULL, argv[i]);
            cli_error("'%s' is not UTF-8: it cannot be sent to the CA service", e);
            free(e);
            close(sock);
            if (script_fd >= 0)
                close(script_fd);
            return CLI_USAGE;
        }
        json_decref(s);
    }
    json_t *cmd = command_message(argc, argv);
    int fds[5] = {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO, -1, -1};
    size_t nfds = 3;
    int tty = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (tty >= 0)
        fds[nfds++] = tty;
    if (script_fd >= 0) {
        if (cmd != NULL)
            json_object_set_new(cmd, "script_fd", json_integer((json_int_t)nfds));
        fds[nfds++] = script_fd;
    }
    int keep = tty >= 0 ? tty : (isatty(STDIN_FILENO) ? STDIN_FILENO : -1);
    if (keep >= 0 && tcgetattr(keep, &saved) == 0)
        saved_fd = keep == tty ? dup(tty) : keep;

    char *cause = NULL;
    int rc = cmd ? proto_send(sock, cmd, fds, nfds, &cause) : CC_ENOMEM;
    json_decref(cmd);
    if (tty >= 0)
        close(tty);
    if (script_fd >= 0)
        close(script_fd);
    if (rc != CC_OK) {
        cli_error("cannot reach the CA service at %s: %s", path, cause ? cause : cc_strerror(rc));
        free(cause);
        close(sock);
        return CLI_FAILED;
    }

    struct sigaction act;
    memset(&act, 0, sizeof act);
    if (pipe2(winch_pipe, O_CLOEXEC | O_NONBLOCK) == 0) {
        act.sa_handler = on_winch;
        act.sa_flags = SA_RESTART;
        sigaction(SIGWINCH, &act, NULL);
    }
    act.sa_handler = on_fatal;
    act.sa_flags = 0;
    sigaction(SIGINT, &act, NULL);
    sigaction(SIGTERM, &act, NULL);
    sigaction(SIGHUP, &act, NULL);

    int status = -1;
    while (status < 0) {
        struct pollfd p[2] = {{.fd = sock, .events = POLLIN}, {.fd = winch_pipe[0], .events = POLLIN}};
        int n = poll(p, winch_pipe[0] >= 0 ? 2 : 1, -1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        if (winch_pipe[0] >= 0 && (p[1].revents & POLLIN)) {
            char buf[64];
            while (read(winch_pipe[0], buf, sizeof buf) > 0)
                ;
            json_t *m = proto_new(PROTO_RESIZE);
            if (m != NULL)
                proto_send(sock, m, NULL, 0, NULL);
            json_decref(m);
        }
        if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        json_t *m = NULL;
        if (proto_recv(sock, &m, NULL, 0, NULL, NULL) != CC_OK)
            break;
        if (proto_type_of(m) == PROTO_EXIT) {
            json_t *st = json_object_get(m, "status");
            const char *msg = json_string_value(json_object_get(m, "message"));
            if (msg != NULL)
                cli_error("%s", msg);
            status = json_is_integer(st) && json_integer_value(st) >= 0 &&
                             json_integer_value(st) < 256
                         ? (int)json_integer_value(st)
                         : CLI_FAILED;
        } else {
            json_t *r = answer(m);
            if (r != NULL)
                proto_send(sock, r, NULL, 0, NULL);
            json_decref(r);
        }
        json_decref(m);
    }
    close(sock);
    restore_terminal();
    if (status < 0) {
        cli_error("the CA service at %s ended the connection before the command finished",
                  path);
        status = CLI_FAILED;
    }
    return status;
}
