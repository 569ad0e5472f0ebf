/*
 * The HTTP side of the CA service (libmicrohttpd). One process, forked by
 * `certcon serve` before it has any thread: each listener gets a daemon
 * whose single polling thread answers requests with a store connection of
 * its own, reading only what the CA has published; the main thread runs
 * the CA's publication schedule (the crl.publish-due operation) and sleeps in
 * sigtimedwait until SIGTERM. A big CRL being built therefore never holds
 * up a request: SQLite's WAL lets the daemons read the last published one.
 *
 * Paths are one table (routes[]): /crl/, /aia/, /ocsp and, over HTTPS only,
 * /.well-known/est/ (ca/est.c, given the HTTP Basic account and the TLS
 * client certificate taken here); a prefix, the methods it answers and a
 * function from the request to a reply; anything else is 404, a known path
 * with another method 405. The paths sit at the root and, when the CA's
 * base URL has a path, under it as well.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <microhttpd.h>

#include "acme.h"
#include "acme_va.h"
#include "authority.h"
#include "clock.h"
#include "context.h"
#include "crl.h"
#include "est.h"
#include "http.h"
#include "http_tls.h"
#include "ocsp.h"
#include "ops.h"
#include "pkix.h"
#include "status.h"
#include "store.h"
#include "util.h"

/* The most a request body may hold (an OCSP request is a few hundred bytes). */
#define HTTP_BODY_MAX 65536

/* ---------------- addresses ---------------- */

int
http_parse_listen(const char *spec, int tls, struct http_listen *l, char **cause)
{
    memset(l, 0, sizeof *l);
    l->spec = spec;
    l->tls = tls;
    l->fd = -1;
    const char *colon = strrchr(spec, ':');
    char host[64];
    size_t hlen = colon ? (size_t)(colon - spec) : 0;
    if (colon == NULL || hlen == 0 || hlen >= sizeof host)
        return cc_fail(cause, CC_EINVAL,
                       "'%s' is not ADDR:PORT (e.g. 127.0.0.1:8080 or [::1]:8080)", spec);
    memcpy(host, spec, hlen);
    host[hlen] = '\0';
    char *end;
    errno = 0;
    long port = strtol(colon + 1, &end, 10);
    if (colon[1] == '\0' || *end != '\0' || errno != 0 || port < 1 || port > 65535)
        return cc_fail(cause, CC_EINVAL, "'%s': the port must be a number from 1 to 65535", spec);
    struct sockaddr_in *v4 = (struct sockaddr_in *)&l->addr;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&l->addr;
    if (host[0] == '[' && host[hlen - 1] == ']') {
        host[hlen - 1] = '\0';
        if (inet_pton(AF_INET6, host + 1, &v6->sin6_addr) != 1)
            return cc_fail(cause, CC_EINVAL, "'%s': %s is not an IPv6 address", spec, host + 1);
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((unsigned short)port);
        l->addrlen = sizeof *v6;
    } else if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((unsigned short)port);
        l->addrlen = sizeof *v4;
    } else {
        return cc_fail(cause, CC_EINVAL,
                       "'%s': give an IP address to listen at (127.0.0.1, 0.0.0.0, [::1]), "
                       "not a host name",
                       spec);
    }
    return CC_OK;
}

int
http_bind(struct http_listen *l, char **cause)
{
    int fd = socket(l->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return cc_fail(cause, CC_EIO, "socket: %s", strerror(errno));
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (l->addr.ss_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&l->addr, l->addrlen) != 0 || listen(fd, 64) != 0) {
        int err = errno;
        close(fd);
        return cc_fail(cause, CC_EIO, "cannot listen at %s%s: %s", l->spec,
                       l->tls ? " (https)" : "", strerror(err));
    }
    l->fd = fd;
    return CC_OK;
}

/* ---------------- replies ---------------- */

/* One daemon: its listener and the store connection its polling thread uses. */
struct http_site {
    const char *db;
    int tls; /* an https listener */
    struct store *st;
    struct cc_clock clock; /* the service's (a lab's pinned one, or the system's) */
    struct cc_ctx cx;      /* the system context on st: the HTTP side answers for no one */
    struct MHD_Daemon *daemon;
};

struct http_reply {
    unsigned status;
    const char *type;
    struct pkix_buf body;
    const char *allow; /* 405: the methods the path answers */
    time_t expires;    /* 0: no Expires */
    time_t modified;   /* 0: no Last-Modified */
    long max_age;      /* < 0: no-store */
    int authenticate;  /* 401: WWW-Authenticate: Basic */
    unsigned retry_after; /* 0: no Retry-After */
    int base64;           /* Content-Transfer-Encoding: base64 */
    struct acme_response acme; /* ACME's headers (Replay-Nonce, Location, Link, Retry-After) */
};

/* "Tue, 01 Dec 2026 09:00:00 GMT" (RFC 9110 5.6.7), whatever the locale. */
static void
http_date(time_t t, char *buf, size_t size)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(buf, size, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday,
             months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void
reply_text(struct http_reply *r, unsigned status, const char *text)
{
    r->status = status;
    r->type = "text/plain; charset=utf-8";
    r->max_age = -1;
    pkix_buf_free(&r->body);
    if (pkix_buf_set(&r->body, text, strlen(text)) != CC_OK)
        r->body.n = 0;
    pkix_buf_append(&r->body, "\n", 1);
}

/* ---------------- routes ---------------- */

/* What a route is given: the path after its prefix, the body, the CA as stored. */
struct http_request {
    struct http_site *site;
    struct MHD_Connection *conn;
    const char *method;
    const char *rest;
    const struct pkix_buf *body;
    const struct authority_info *ca;
    const char *host;         /* the Host header, or NULL */
    const char *content_type; /* or NULL */
    const char *prefix;       /* the base URL's path the request came under, or "" */
};

typedef void (*http_route_fn)(const struct http_request *q, struct http_reply *r);

/* /crl/NAME.crl and /crl/NAME+.crl: the newest base and delta CRLs, DER. */
static void
route_crl(const struct http_request *q, struct http_reply *r)
{
    size_t n = strlen(q->ca->name);
    enum crl_kind kind;
    if (strncmp(q->rest, q->ca->name, n) == 0 && strcmp(q->rest + n, ".crl") == 0)
        kind = CRL_BASE;
    else if (strncmp(q->rest, q->ca->name, n) == 0 && strcmp(q->rest + n, "+.crl") == 0)
        kind = CRL_DELTA;
    else {
        reply_text(r, MHD_HTTP_NOT_FOUND, "no such CRL: this service publishes its CA's");
        return;
    }
    struct ops_crl_kind which = {kind};
    struct ops_crl latest;
    char *cause = NULL;
    int rc = ops_call(&q->site->cx, OP_CRL_LATEST, &which, &latest, &cause);
    struct crl_info info = latest.info;
    if (rc == CC_OK) { /* the reply owns the bytes now */
        pkix_buf_free(&r->body);
        r->body = latest.der;
    }
    if (rc == CC_ENOTFOUND) {
        reply_text(r, MHD_HTTP_NOT_FOUND, cause ? cause : "not published yet");
    } else if (rc != CC_OK) {
        reply_text(r, MHD_HTTP_SERVICE_UNAVAILABLE, "the CA's database cannot be read now");
        fprintf(stderr, "certcon: http: %s\n", cause ? cause : cc_strerror(rc));
    } else {
        r->status = MHD_HTTP_OK;
        r->type = "application/pkix-crl";
        r->expires = info.next_update;
        r->modified = info.this_update;
        time_t now = ctx_now(&q->site->cx);
        r->max_age = info.next_update > now ? (long)(info.next_update - now) : 0;
    }
    free(cause);
}

/* /aia/NAME.crt: the CA certificate, DER. */
static void
route_aia(const struct http_request *q, struct http_reply *r)
{
    size_t n = strlen(q->ca->name);
    if (strncmp(q->rest, q->ca->name, n) != 0 || strcmp(q->rest + n, ".crt") != 0) {
        reply_text(r, MHD_HTTP_NOT_FOUND, "no such certificate: this service publishes its CA's");
        return;
    }
    if (pkix_buf_set(&r->body, q->ca->cert.p, q->ca->cert.n) != CC_OK) {
        reply_text(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        return;
    }
    r->status = MHD_HTTP_OK;
    r->type = "application/pkix-cert";
    r->max_age = 86400;
}

/*
 * /ocsp: the OCSP responder (RFC 6960 appendix A). POST carries a DER
 * OCSPRequest (application/ocsp-request); GET carries it base64-encoded in
 * the path, /ocsp/BASE64 (libmicrohttpd has already undone the URL
 * encoding). The answer is always an OCSP response, malformedRequest for
 * anything that is not a request; a good answer may be cached until its
 * nextUpdate, an error answer never.
 */
static void
route_ocsp(const struct http_request *q, struct http_reply *r)
{
    const void *req = NULL;
    size_t len = 0;
    gnutls_datum_t decoded = {NULL, 0};
    if (strcmp(q->method, "POST") == 0) {
        if (q->rest[0] != '\0') {
            reply_text(r, MHD_HTTP_NOT_FOUND, "not found: POST an OCSP request to /ocsp");
            return;
        }
        req = q->body->p;
        len = q->body->n;
    } else {
        const char *b64 = q->rest[0] == '/' ? q->rest + 1 : q->rest;
        if (q->rest[0] != '/' && q->rest[0] != '\0') {
            reply_text(r, MHD_HTTP_NOT_FOUND, "not found");
            return;
        }
        gnutls_datum_t in = {(unsigned char *)b64, (unsigned)strlen(b64)};
        /* not base64: handed on as it is, so the answer is malformedRequest */
        if (in.size > 0 && gnutls_base64_decode2(&in, &decoded) == 0) {
            req = decoded.data;
            len = decoded.size;
        } else {
            req = b64;
            len = strlen(b64);
        }
    }
    struct ocsp_answer a = {0};
    char *cause = NULL;
    int rc = ocsp_respond(&q->site->cx, req, len, &a, &cause);
    gnutls_free(decoded.data);
    if (rc != CC_OK) {
        reply_text(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "the responder cannot answer now");
        fprintf(stderr, "certcon: http: ocsp: %s\n", cause ? cause : cc_strerror(rc));
        free(cause);
        return;
    }
    free(cause);
    if (pkix_buf_set(&r->body, a.der, a.len) != CC_OK) {
        ocsp_answer_free(&a);
        reply_text(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        return;
    }
    r->status = MHD_HTTP_OK;
    r->type = "application/ocsp-response";
    time_t now = ctx_now(&q->site->cx);
    if (a.next_update > now) {
        r->expires = a.next_update;
        r->modified = now;
        r->max_age = (long)(a.next_update - now);
    } else {
        r->max_age = -1;
    }
    ocsp_answer_free(&a);
}

/*
 * /.well-known/est/: EST (RFC 7030), over TLS only, since its passwords and
 * keys must not cross the network in the clear. The account and secret of
 * HTTP Basic and the client certificate of the TLS session (requested by
 * the https listener, never required) go to ca/est.c with the request.
 */
static void
route_est(const struct http_request *q, struct http_reply *r)
{
    if (!q->site->tls) {
        reply_text(r, MHD_HTTP_FORBIDDEN,
                   "EST is served over HTTPS only: use the address of certcon serve --https");
        return;
    }
    char *password = NULL;
    char *user = MHD_basic_auth_get_username_password(q->conn, &password);
    const void *cert = NULL;
    size_t cert_len = 0;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(q->conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
    if (ci != NULL && ci->tls_session != NULL) {
        unsigned n = 0;
        const gnutls_datum_t *peers = gnutls_certificate_get_peers(ci->tls_session, &n);
        if (peers != NULL && n > 0) {
            cert = peers[0].data;
            cert_len = peers[0].size;
        }
    }
    struct est_request eq = {q->method, q->rest,  user,       password,
                             cert,      cert_len, q->body->p, q->body->n};
    struct est_response er;
    char *cause = NULL;
    /* the site's context is nobody's: est_handle makes the account's once the request proves it */
    int rc = est_handle(&q->site->cx, &eq, &er, &cause);
    if (password) {
        memset(password, 0, strlen(password));
        MHD_free(password);
    }
    if (user)
        MHD_free(user);
    if (rc != CC_OK) {
        est_response_free(&er);
        reply_text(r, MHD_HTTP_SERVICE_UNAVAILABLE, "the CA cannot answer EST requests now");
        fprintf(stderr, "certcon: http: est: %s\n", cause ? cause : cc_strerror(rc));
        free(cause);
        return;
    }
    free(cause);
    r->status = er.status;
    r->type = er.type;
    r->max_age = -1;
    r->authenticate = er.authenticate;
    r->retry_after = er.retry_after;
    r->base64 = er.base64;
    r->body = er.body; /* taken over */
}

/*
 * /acme/...: ACME (ca/acme.c). The URLs it writes into its answers are
 * built from the Host the client asked for, so a client reaches the
 * service at the name it used.
 */
static void
route_acme(const struct http_request *q, struct http_reply *r)
{
    if (q->rest[0] != '/' || q->host == NULL || strpbrk(q->host, "/\\\"<> ") != NULL) {
        reply_text(r, MHD_HTTP_NOT_FOUND, "not found: the ACME directory is /acme/directory");
        return;
    }
    char *base = cc_asprintf("%s://%s%s", q->site->tls ? "https" : "http", q->host, q->prefix);
    struct acme_request aq = {q->method,  q->rest,     base,        q->content_type,
                              q->body->p, q->body->n, q->site->tls};
    struct acme_va_config cfg;
    struct acme_va va;
    acme_va_setup(&q->site->cx, &cfg, &va);
    if (base == NULL || acme_handle(&q->site->cx, &va, &aq, &r->acme) != CC_OK) {
        free(base);
        reply_text(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        return;
    }
    free(base);
    r->status = r->acme.status;
    r->type = r->acme.type;
    r->retry_after = r->acme.retry_after > 0 ? (unsigned)r->acme.retry_after : 0;
    r->max_age = -1;
    if (r->acme.body_len && pkix_buf_set(&r->body, r->acme.body, r->acme.body_len) != CC_OK)
        reply_text(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory");
}

static const struct http_route {
    const char *prefix;
    const char *methods; /* the Allow header of a 405 */
    http_route_fn fn;
} routes[] = {
    {"/crl/", "GET, HEAD", route_crl},        {"/aia/", "GET, HEAD", route_aia},
    {"/ocsp", "GET, POST", route_ocsp},       {"/.well-known/est/", "GET, POST", route_est},
    {"/acme", "GET, HEAD, POST", route_acme},
};

static int
method_allowed(const char *methods, const char *method)
{
    size_t n = strlen(method);
    for (const char *p = methods; (p = strstr(p, method)) != NULL; p += n)
        if ((p == methods || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

/* The path of the base URL ("/pki" of http://host/pki/), or "" . */
static size_t
base_path(const char *base_url, const char **path)
{
    const char *p = strstr(base_url, "://");
    p = p ? strchr(p + 3, '/') : NULL;
    *path = p ? p : "";
    size_t n = strlen(*path);
    while (n > 0 && (*path)[n - 1] == '/')
        n--;
    return n;
}

static void
dispatch(struct http_site *site, struct MHD_Connection *conn, const char *url, const char *method,
         const struct pkix_buf *body, struct http_reply *r)
{
    char *cause = NULL;
    int rc = CC_OK;
    if (site->st == NULL && (rc = store_open(site->db, 0, &site->st, &cause)) == CC_OK)
        rc = ctx_init_system(&site->cx, site->st, site->clock);
    struct authority_info ca;
    if (rc == CC_OK)
        rc = ops_call(&site->cx, OP_CA_INFO, NULL, &ca, &cause);
    if (rc != CC_OK) {
        fprintf(stderr, "certcon: http: %s\n", cause ? cause : cc_strerror(rc));
        free(cause);
        reply_text(r, MHD_HTTP_SERVICE_UNAVAILABLE, "the CA's database cannot be read now");
        return;
    }
    const char *prefix;
    size_t plen = base_path(ca.base_url, &prefix);
    char under[256] = "";
    if (plen > 0 && strncmp(url, prefix, plen) == 0 && url[plen] == '/') {
        snprintf(under, sizeof under, "%.*s", (int)plen, prefix);
        url += plen;
    }
    const struct http_route *route = NULL;
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
        if (strncmp(url, routes[i].prefix, strlen(routes[i].prefix)) == 0)
            route = &routes[i];
    if (route == NULL) {
        reply_text(r, MHD_HTTP_NOT_FOUND, "not found");
    } else if (!method_allowed(route->methods, method)) {
        reply_text(r, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed");
        r->allow = route->methods;
    } else {
        struct http_request q = {site,
                                 conn,
                                 method,
                                 url + strlen(route->prefix),
                                 body,
                                 &ca,
                                 MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host"),
                                 MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type"),
                                 under};
        route->fn(&q, r);
    }
    authority_info_free(&ca);
}

/* ---------------- libmicrohttpd ---------------- */

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload, size_t *upload_size, void **state)
{
    (void)version;
    struct pkix_buf *body = *state;
    if (body == NULL) { /* the headers: the body, if any, comes next */
        body = calloc(1, sizeof *body);
        if (body == NULL)
            return MHD_NO;
        *state = body;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (body->n + *upload_size > HTTP_BODY_MAX || pkix_buf_append(body, upload, *upload_size))
            return MHD_NO;
        *upload_size = 0;
        return MHD_YES;
    }
    struct http_reply r = {0};
    dispatch(cls, conn, url, method, body, &r);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r.body.n, r.body.p, MHD_RESPMEM_MUST_COPY);
    pkix_buf_free(&r.body);
    if (resp == NULL)
        return MHD_NO;
    char buf[64];
    if (r.type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r.type);
    if (r.acme.nonce)
        MHD_add_response_header(resp, "Replay-Nonce", r.acme.nonce);
    if (r.acme.location)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, r.acme.location);
    if (r.acme.link_up) {
        char *v = cc_asprintf("<%s>;rel=\"up\"", r.acme.link_up);
        if (v)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_LINK, v);
        free(v);
    }
    if (r.acme.link_index) {
        char *v = cc_asprintf("<%s>;rel=\"index\"", r.acme.link_index);
        if (v)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_LINK, v);
        free(v);
    }
    if (r.allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r.allow);
    if (r.authenticate)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Basic realm=\"certcon EST\", charset=\"UTF-8\"");
    if (r.retry_after) {
        snprintf(buf, sizeof buf, "%u", r.retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, buf);
    }
    if (r.base64)
        MHD_add_response_header(resp, "Content-Transfer-Encoding", "base64");
    if (r.max_age < 0) {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    } else {
        snprintf(buf, sizeof buf, "public, max-age=%ld, no-transform", r.max_age);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, buf);
    }
    if (r.expires) {
        http_date(r.expires, buf, sizeof buf);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_EXPIRES, buf);
    }
    if (r.modified) {
        http_date(r.modified, buf, sizeof buf);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED, buf);
    }
    acme_response_free(&r.acme);
    enum MHD_Result ret = MHD_queue_response(conn, r.status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **state,
             enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)conn;
    (void)why;
    struct pkix_buf *body = *state;
    if (body != NULL) {
        pkix_buf_free(body);
        free(body);
        *state = NULL;
    }
}

/* ---------------- the process ---------------- */

static void
log_once(char **last, const char *msg)
{
    if (*last != NULL && strcmp(*last, msg) == 0)
        return;
    fprintf(stderr, "certcon: http: %s\n", msg);
    free(*last);
    *last = cc_strdup(msg);
}

/*
 * The schedule, until SIGTERM or SIGINT: both are blocked, and taken here.
 * CRLs when due, and the HTTPS certificate (tls, or NULL) before it expires.
 */
static void
run_schedule(const struct cc_ctx *cx, struct http_tls *tls)
{
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    char *cause = NULL, *last = NULL, *last_tls = NULL;
    for (;;) {
        time_t next = ctx_now(cx) + 60;
        int renewed = 0, rc = tls ? http_tls_ensure(tls, cx, &renewed, &cause) : CC_OK;
        if (rc != CC_OK) {
            char *msg = cc_asprintf("the HTTPS certificate is not renewed: %s",
                                    cause ? cause : cc_strerror(rc));
            log_once(&last_tls, msg ? msg : "out of memory");
            free(msg);
        } else if (renewed) {
            fprintf(stderr, "certcon: http: the HTTPS certificate was renewed\n");
        }
        free(cause);
        cause = NULL;
        struct ops_crl_due due;
        rc = ops_call(cx, OP_CRL_PUBLISH_DUE, NULL, &due, &cause);
        if (rc != CC_OK) {
            char *msg =
                cc_asprintf("no CRL is published on schedule: %s", cause ? cause : cc_strerror(rc));
            log_once(&last, msg ? msg : "out of memory");
            free(msg);
        } else {
            next = due.next;
        }
        if (rc == CC_OK && due.published) {
            if (due.base.number > 0)
                fprintf(stderr, "certcon: http: published %d CRL%s on schedule (base %lld)\n",
                        due.published, due.published == 1 ? "" : "s", (long long)due.base.number);
            free(last);
            last = NULL;
        }
        free(cause);
        cause = NULL;
        /* at most a minute: a lab clock moved by hand, or a setting changed, is seen soon */
        time_t wait = next - ctx_now(cx);
        struct timespec ts = {wait < 1 ? 1 : wait > 60 ? 60 : wait, 0};
        int sig = sigtimedwait(&stop, NULL, &ts);
        if (sig == SIGTERM || sig == SIGINT || getppid() == 1)
            break;
    }
    free(last);
    free(last_tls);
}

static struct MHD_Daemon *
start_daemon(struct http_site *site, const struct http_listen *l, const char *trust)
{
    if (l->tls)
        return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_TLS,
                                0, NULL, NULL, on_request, site, MHD_OPTION_LISTEN_SOCKET, l->fd,
                                MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                                MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                                MHD_OPTION_HTTPS_CERT_CALLBACK, http_tls_retrieve,
                                MHD_OPTION_HTTPS_MEM_TRUST, trust, MHD_OPTION_END);
    return MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                            on_request, site, MHD_OPTION_LISTEN_SOCKET, l->fd,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
}

static int
http_child(const char *db, struct cc_clock clock, struct http_listen *l, size_t n)
{
    prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlive the service */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGCHLD, &dfl, NULL);
    /* every thread inherits this mask: SIGTERM and SIGINT reach only sigtimedwait */
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGCHLD);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct http_site *sites = calloc(n, sizeof *sites);
    struct store *st = NULL;
    struct cc_ctx cx = {0}; /* the service's own work (schedules, its certificate): SYSTEM */
    struct http_tls *tls = NULL;
    char *cause = NULL, *trust = NULL;
    int rc = sites ? 0 : 1;
    if (rc == 0 && (store_open(db, STORE_SERIALIZE, &st, &cause) != CC_OK ||
                    ctx_init_system(&cx, st, clock) != CC_OK)) {
        fprintf(stderr, "certcon: http: %s\n", cause ? cause : "the database cannot be opened");
        rc = 1;
    }
    int any_tls = 0;
    for (size_t i = 0; i < n; i++)
        any_tls |= l[i].tls;
    if (rc == 0 && any_tls) {
        /* the certificate first: a TLS listener without one would fail every handshake */
        int renewed = 0;
        if ((tls = http_tls_new()) == NULL ||
            http_tls_ensure(tls, &cx, &renewed, &cause) != CC_OK) {
            fprintf(stderr, "certcon: https: %s\n", cause ? cause : "out of memory");
            rc = 1;
        } else if (http_tls_client_trust(&cx, &trust, &cause) != CC_OK) {
            fprintf(stderr, "certcon: https: %s\n", cause ? cause : "out of memory");
            rc = 1;
        } else {
            http_tls_current(tls);
        }
    }
    free(cause);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        sites[i].db = db;
        sites[i].clock = clock;
        sites[i].tls = l[i].tls;
        if ((sites[i].daemon = start_daemon(&sites[i], &l[i], trust)) == NULL) {
            fprintf(stderr, "certcon: http: cannot serve at %s\n", l[i].spec);
            rc = 1;
        }
    }
    if (rc == 0) {
        for (size_t i = 0; i < n; i++)
            fprintf(stderr, "certcon: the CA service answers %s at %s\n",
                    l[i].tls ? "https" : "http", l[i].spec);
        run_schedule(&cx, tls);
    }
    for (size_t i = 0; sites && i < n; i++) {
        if (sites[i].daemon)
            MHD_stop_daemon(sites[i].daemon);
        if (sites[i].st)
            store_close(sites[i].st);
        ctx_free(&sites[i].cx);
    }
    free(sites);
    http_tls_free(tls); /* after the daemons: no handshake is left to use it */
    ctx_free(&cx);
    free(trust);
    if (st)
        store_close(st);
    return rc;
}

int
http_start(const char *db, struct cc_clock clock, struct http_listen *l, size_t n, pid_t *pid,
           char **cause)
{
    fflush(NULL);
    pid_t child = fork();
    if (child < 0)
        return cc_fail(cause, CC_EIO, "cannot start the HTTP side: %s", strerror(errno));
    if (child == 0)
        _exit(http_child(db, clock, l, n));
    for (size_t i = 0; i < n; i++) {
        close(l[i].fd);
        l[i].fd = -1;
    }
    *pid = child;
    return CC_OK;
}
