/*
 * `certcon serve`: the CA service. It owns the database, the CA key and the
 * store secret, listens on a Unix socket and runs each client's command in a
 * child process of its own, with the client's standard streams and terminal,
 * the client's Unix user (SO_PEERCRED) recorded in struct cli, and every file
 * the command names read and written by the client (src/proto.h).
 */
#ifndef CERTCON_SERVE_H
#define CERTCON_SERVE_H

#include "cli.h"

/*
 * Runs one command line (argv[0] is the program) in the served child: global
 * options as a client may give them, then the same dispatch as main's.
 */
typedef int (*serve_run_fn)(struct cli *c, int argc, char **argv);

/*
 * certcon serve [--socket PATH]: argv[0] is "serve". Runs in the foreground
 * until SIGTERM or SIGINT; returns the exit status.
 */
int serve_main(struct cli *c, int argc, char **argv, serve_run_fn run);
/* The table's entry: `serve` is never run through the service itself. */
int cmd_serve(struct cli *c, int argc, char **argv);
/* The socket the service listens on by default (allocated). */
char *serve_default_socket(void);

#endif
