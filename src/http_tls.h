/*
 * The certificate `certcon serve --https` presents (ca/svccert.h tells
 * which: issued by the CA to its own host, kept beside the database and
 * renewed before it is due). libmicrohttpd asks for it on every handshake,
 * so a renewal needs no restart.
 */
#ifndef CERTCON_HTTP_TLS_H
#define CERTCON_HTTP_TLS_H

#include <time.h>

#include <gnutls/gnutls.h>

struct cc_ctx;
struct http_tls;

/* A holder with no certificate yet; NULL when out of memory. */
struct http_tls *http_tls_new(void);
void http_tls_free(struct http_tls *t);

/*
 * Makes sure t holds a certificate that is not due for renewal
 * (ca.service-certificate, in cx: the service's system context): the one
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
int http_tls_client_trust(const struct cc_ctx *cx, char **pem, char **cause);

/* The holder http_tls_retrieve hands out (one per process). */
void http_tls_current(struct http_tls *t);

#endif
