/*
 * The certificate `certcon serve --https` presents: issued by the CA for
 * its own host, as any other enrollment is (the CA host's computer account
 * requests it from the Web Server template, so that account needs Enroll
 * there), naming the CA host's DNS name and the host of the base URL (a
 * DNS name or an IP address). Kept beside the database (DB.https.pem and
 * DB.https-key.pem, 0600) and renewed once four fifths of its validity have
 * passed, or when the names it should carry changed. libmicrohttpd asks
 * for it on every handshake, so a renewal needs no restart.
 */
#ifndef CERTCON_HTTP_TLS_H
#define CERTCON_HTTP_TLS_H

#include <time.h>

#include <gnutls/gnutls.h>

#include "store.h"

/* The template the service's certificate comes from. */
#define HTTP_TLS_TEMPLATE "WebServer"

struct cc_ctx;
struct http_tls;

/* A holder with no certificate yet; NULL when out of memory. */
struct http_tls *http_tls_new(const char *db);
void http_tls_free(struct http_tls *t);

/*
 * Makes sure t holds a certificate that is not due for renewal: the one
 * on disk if it is still good, else a new one the CA issues now. *renewed
 * is set when a new one was issued. Needs the CA key.
 */
int http_tls_ensure(struct http_tls *t, const struct cc_ctx *cx, int *renewed, char **cause);

/* libmicrohttpd's MHD_OPTION_HTTPS_CERT_CALLBACK for t (set with http_tls_current). */
int http_tls_retrieve(gnutls_session_t session, const gnutls_datum_t *req_ca_dn, int nreqs,
                      const gnutls_pk_algorithm_t *pk_algos, int pk_algos_length,
                      gnutls_pcert_st **pcert, unsigned int *pcert_length, gnutls_privkey_t *pkey);
/*
 * The CA certificate as PEM (allocated), for MHD_OPTION_HTTPS_MEM_TRUST:
 * with it libmicrohttpd asks every TLS client for a certificate issued by
 * the CA, and takes one that comes, but never requires it (the other routes
 * and clients without one go on as before). EST re-enrollment checks the
 * certificate itself (ca/est.c).
 */
int http_tls_client_trust(struct store *st, char **pem, char **cause);

/* The holder http_tls_retrieve hands out (one per process). */
void http_tls_current(struct http_tls *t);

#endif
