/*
 * EST, Enrollment over Secure Transport (RFC 7030): the protocol as a
 * function from a request (method, path, the identity the HTTP layer
 * established, body) to a response. No sockets here: src/http.c parses
 * HTTP Basic and takes the TLS client certificate, and hands both in.
 *
 * Every enrollment goes through the CA database (cadb_submit) as the
 * authenticated principal, exactly as `certcon submit --for P` does: the
 * template's permissions, Templates to Issue, subject rules, approval and
 * lint all apply, and each request is a row of the CA's views.
 *
 * Identity: an account name and a per-account enrollment secret (HTTP
 * Basic over TLS) that a CA Administrator issues with `certcon est secret
 * --for P`; only a salted PBKDF2-SHA256 hash of it is kept. Re-enrollment
 * takes instead the TLS client certificate this CA issued (not revoked,
 * not expired) and issues to the principal it was issued to.
 */
#ifndef CERTCON_EST_H
#define CERTCON_EST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct cc_ctx;

#include "pkix.h"
#include "store.h"

/* The default life of an enrollment secret: 30 days. */
#define EST_SECRET_VALIDITY (30 * 86400)

/*
 * Issues (or replaces) principal's enrollment secret, valid for `valid`
 * seconds from now; CA Administrator. *secret (allocated) is the only copy
 * of it: the database keeps a salted hash. *expires says until when.
 */
int est_secret_issue(const struct cc_ctx *cx, const char *principal, int64_t valid, char **secret,
                     time_t *expires, char **cause);
/* Removes principal's secret; CA Administrator. CC_ENOTFOUND when it has none. */
int est_secret_revoke(const struct cc_ctx *cx, const char *principal, char **cause);

/* `ca set est-default T`: the template of /.well-known/est/ without a label ("" none). */
int est_default_set(const struct cc_ctx *cx, const char *template_name, char **cause);

/* What the HTTP layer hands in. */
struct est_request {
    const char *method;          /* "GET", "POST" */
    const char *path;            /* after /.well-known/est/: "cacerts", "T/simpleenroll" */
    const char *user, *password; /* HTTP Basic, or NULL */
    const void *client_cert;     /* the TLS client certificate (DER), or NULL */
    size_t client_cert_len;
    const void *body;
    size_t body_len;
};

struct est_response {
    unsigned status;      /* HTTP status */
    const char *type;     /* Content-Type (static) */
    int base64;           /* Content-Transfer-Encoding: base64 */
    int authenticate;     /* 401: WWW-Authenticate: Basic */
    unsigned retry_after; /* 202: seconds; 0: none */
    struct pkix_buf body;
};
void est_response_free(struct est_response *r);

/*
 * Answers one EST request in cx (the HTTP side's context, which speaks for
 * no one): what the request does once it proves an account (its secret, its
 * client certificate) runs in a context of that account's own, made here
 * and gone with the answer; cx is never changed. Refusals are answers (4xx with a sentence
 * naming why and the AD CS code where one applies); an error return means
 * the service cannot answer at all (the database, the CA key), with cause.
 */
int est_handle(const struct cc_ctx *cx, const struct est_request *q, struct est_response *r,
               char **cause);

#endif
