/*
 * The certificate the CA service presents over HTTPS (`certcon serve
 * --https`): issued by the CA for its own host, as any other enrollment
 * is (the CA host's computer account requests it from the Web Server
 * template, so that account needs Enroll there), naming the CA host's DNS
 * name and the host of the base URL (a DNS name or an IP address). Kept
 * beside the database (DB.https.pem and DB.https-key.pem, 0600) and
 * renewed once four fifths of its validity have passed, or when the names
 * it should carry changed.
 *
 * This module decides and enrolls; presenting the certificate (the TLS
 * library's credentials, handed to every handshake) is the service's.
 */
#ifndef CERTCON_SVCCERT_H
#define CERTCON_SVCCERT_H

#include <time.h>

#include "pkix.h"

struct cc_ctx;

/* The template the service's certificate comes from. */
#define SVCCERT_TEMPLATE "WebServer"

/* What the service presents now: names NULL when it presents nothing yet. */
struct svccert_in_use {
    const char *names; /* "fqdn base-host", as svccert_ensure gave them */
    time_t not_before, not_after;
};

/* What to present from now on, when svccert_ensure found it must change. */
struct svccert {
    int fresh;                /* 1: the fields below hold what to present; 0: keep the one in use */
    int renewed;              /* the CA issued it now (else it was read from the files) */
    struct pkix_buf cert, ca; /* DER: the service's certificate, then the CA's */
    struct pkix_buf key;      /* the private key, PEM (PKCS #8); wiped when freed */
    char *names;              /* the names it was issued for, to give back as in_use.names */
    time_t not_before, not_after;
};
void svccert_free(struct svccert *c);

/*
 * Makes sure the service has a certificate that is not due for renewal:
 * the one in use if it still is good, else the one on disk if that is
 * (a service that starts again), else a new one the CA issues now to its
 * host's account and that is written beside the database. Run in the
 * system context (the service's own work); the request itself is the CA
 * host's, under its rights and in the audit log under its name. Signs, so
 * no write transaction may be open.
 */
int svccert_ensure(const struct cc_ctx *cx, const struct svccert_in_use *in_use,
                   struct svccert *out, char **cause);

#endif
