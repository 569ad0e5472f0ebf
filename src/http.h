/*
 * The HTTP side of the CA service: `certcon serve --http ADDR:PORT` (and
 * --https) answers relying parties with what the CA has published: its
 * base and delta CRLs and its certificate, at the URLs its certificates
 * name, and publishes CRLs on the CA's schedule. It runs in a process of
 * its own, started before the service creates any thread, so that the
 * service may go on forking a child per Unix-socket client while this one
 * runs libmicrohttpd's threads. It has no client identity: it only reads
 * what is published (and publishes on the CA's own schedule).
 */
#ifndef CERTCON_HTTP_H
#define CERTCON_HTTP_H

#include <sys/socket.h>
#include <sys/types.h>

#include "context.h"

/* One address to listen at, as given on the command line. */
struct http_listen {
    const char *spec; /* "127.0.0.1:8080", "[::1]:8443" */
    int tls;          /* --https */
    struct sockaddr_storage addr;
    socklen_t addrlen;
    int fd; /* bound and listening; -1 before http_bind */
};

/*
 * Parses "ADDR:PORT" (an IPv4 address, or an IPv6 address in brackets, and
 * a port from 1 to 65535) into l. Host names are refused: the service binds
 * only where it is told.
 */
int http_parse_listen(const char *spec, int tls, struct http_listen *l, char **cause);

/* Binds and listens at l (in the service, so that a port in use is said at once). */
int http_bind(struct http_listen *l, char **cause);

/*
 * Forks the HTTP process for the database at db, serving on the n bound
 * listeners (their descriptors are closed in the caller). The caller must
 * have no thread yet. *pid is the process to stop with SIGTERM. Its work
 * for no one (CRLs on schedule, its own certificate, OCSP) runs in the
 * system context at clock: a lab's pinned time, or the system's.
 */
int http_start(const char *db, struct cc_clock clock, struct http_listen *l, size_t n, pid_t *pid,
               char **cause);

#endif
