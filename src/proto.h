/*
 * The protocol between `certcon --connect` (the client) and `certcon serve`
 * (the CA service) over a Unix stream socket. Each message is a 4-byte
 * big-endian length followed by that many bytes of one UTF-8 JSON object
 * whose "type" member names it; file descriptors travel with a message as
 * SCM_RIGHTS ancillary data on its first byte. A message longer than
 * PROTO_MESSAGE_MAX is an error that ends the connection.
 *
 * A session: the client sends "command" with its standard input, output and
 * error (and its terminal, when it has one) attached; the service runs the
 * command with those as its own, asks the client for every file the command
 * reads or writes ("read", "write", "stat", "access", each answered by one
 * "reply"), is told of terminal size changes ("resize"), and ends with "exit".
 */
#ifndef CERTCON_PROTO_H
#define CERTCON_PROTO_H

#include <stddef.h>

#include <jansson.h>

/* name, direction and members: the one table of messages */
#define PROTO_MESSAGES(X)                                                                      \
    X(COMMAND, "command",                                                                      \
      "client->service: argv [strings], cwd, env {TERM, LANG, ...}, tty: bool; "               \
      "fds 0, 1, 2 (and the terminal) attached")                                               \
    X(EXIT, "exit", "service->client: status: the command's exit status")                      \
    X(READ, "read", "service->client: path, max: read at most max+1 bytes of the file")        \
    X(WRITE, "write", "service->client: path, data (base64), mode, force: write the file")     \
    X(STAT, "stat", "service->client: path, follow: the file's type and mode")                 \
    X(ACCESS, "access", "service->client: path, mode (R_OK, W_OK, ...): access(2)")            \
    X(PROBE, "probe",                                                                          \
      "service->client: paths [strings], mode: lstat(2) and access(2) of each; the reply's "   \
      "results [[stat errno, st_mode, access errno]...]")                                      \
    X(REPLY, "reply",                                                                          \
      "client->service: status (a certcon status), message, data (read), "                     \
      "errno and mode (stat, access)")                                                         \
    X(RESIZE, "resize", "client->service: the client's terminal changed size")

enum proto_type {
#define PROTO_ENUM(id, name, doc) PROTO_##id,
    PROTO_MESSAGES(PROTO_ENUM)
#undef PROTO_ENUM
        PROTO_TYPE_COUNT,
    PROTO_UNKNOWN = -1,
};

enum {
    PROTO_MESSAGE_MAX = 16 << 20,        /* bytes of JSON in one message */
    PROTO_DATA_MAX = 12 << 20,           /* bytes of file data (base64 fits one message) */
    PROTO_FDS_MAX = 4,                   /* descriptors carried by one message */
};

/* The environment variables a "command" carries (NULL-terminated). */
extern const char *const proto_env_names[];

/* The name of a type ("command"). */
const char *proto_type_name(enum proto_type t);
/* The type of a message, by its "type" member; PROTO_UNKNOWN when none fits. */
enum proto_type proto_type_of(const json_t *msg);
/* A new message object of type t (a new reference). */
json_t *proto_new(enum proto_type t);

/*
 * Sends msg with nfds descriptors attached. CC_OK, or CC_EIO with a cause.
 * Does not take the reference to msg.
 */
int proto_send(int sock, const json_t *msg, const int *fds, size_t nfds, char **cause);
/*
 * Receives one message into *msg (a new reference). Descriptors that came
 * with it are stored in fds (up to maxfds, close-on-exec; extra ones are
 * closed) and counted in *nfds (fds and nfds may be NULL when none are
 * expected: any that come are closed). Returns CC_OK, CC_ENOTFOUND when the
 * peer closed the connection before a message began, CC_EIO or CC_EPARSE
 * (with a cause) otherwise.
 */
int proto_recv(int sock, json_t **msg, int *fds, size_t maxfds, size_t *nfds, char **cause);

/* Bytes as a base64 string member / back; CC_OK, CC_ENOMEM or CC_EPARSE. */
int proto_set_data(json_t *msg, const char *key, const void *data, size_t n);
int proto_get_data(const json_t *msg, const char *key, void **data, size_t *n);

#endif
