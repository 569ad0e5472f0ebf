/*
 * The network side of ACME validation (ca/acme.c's struct acme_va): the
 * HTTP fetch of http-01, the TLS handshake with ALPN acme-tls/1 of
 * tls-alpn-01 (RFC 8737) and the TXT lookup of dns-01. Names resolve
 * through the DNS server the CA names (`ca set acme-resolver`), else the
 * system's resolver. Each step has a short timeout: a client waits for the
 * answer to its challenge POST.
 */
#include "config.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "acme.h"
#include "acme_va.h"
#include "ops.h"
#include "status.h"
#include "util.h"

#define VA_TIMEOUT 5 /* seconds, for each connection, read and lookup */

/* A resolver state that asks the configured server, or the system's. */
static int
va_res_init(const struct acme_va_config *cfg, struct __res_state *rs, char **cause)
{
    memset(rs, 0, sizeof *rs);
    if (res_ninit(rs) != 0)
        return cc_fail(cause, CC_EIO, "the resolver cannot be set up");
    rs->retrans = 2;
    rs->retry = 2;
    if (cfg->resolver[0]) {
        char host[64];
        const char *colon = strrchr(cfg->resolver, ':');
        size_t n = colon ? (size_t)(colon - cfg->resolver) : 0;
        struct sockaddr_in sa = {0};
        sa.sin_family = AF_INET;
        if (colon == NULL || n >= sizeof host)
            return cc_fail(cause, CC_EINVAL, "acme-resolver %s is not ADDR:PORT", cfg->resolver);
        memcpy(host, cfg->resolver, n);
        host[n] = '\0';
        if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
            return cc_fail(cause, CC_EINVAL, "acme-resolver %s is not an IPv4 ADDR:PORT",
                           cfg->resolver);
        sa.sin_port = htons((unsigned short)atoi(colon + 1));
        rs->nsaddr_list[0] = sa;
        rs->nscount = 1;
    }
    return CC_OK;
}

/* The first answers of type for name: IPv4 addresses (A) or TXT strings. */
static int
va_query(const struct acme_va_config *cfg, const char *name, int type, struct strlist *out,
         char **cause)
{
    struct __res_state rs;
    int rc = va_res_init(cfg, &rs, cause);
    if (rc != CC_OK)
        return rc;
    unsigned char buf[4096];
    int n = res_nquery(&rs, name, ns_c_in, type, buf, sizeof buf);
    res_nclose(&rs);
    if (n < 0)
        return cc_fail(cause, CC_ENOTFOUND, "no %s record for %s%s%s", type == ns_t_a ? "A" : "TXT",
                       name, cfg->resolver[0] ? " at " : "", cfg->resolver);
    ns_msg msg;
    if (ns_initparse(buf, n, &msg) != 0)
        return cc_fail(cause, CC_EIO, "the DNS answer for %s cannot be read", name);
    for (int i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
        ns_rr rr;
        if (ns_parserr(&msg, ns_s_an, i, &rr) != 0 || (int)ns_rr_type(rr) != type)
            continue;
        const unsigned char *d = ns_rr_rdata(rr);
        size_t len = ns_rr_rdlen(rr);
        if (type == ns_t_a && len == 4) {
            char a[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, d, a, sizeof a);
            strlist_add(out, a);
        } else if (type == ns_t_txt) {
            /* one or more character-strings, joined (RFC 7208 3.3) */
            char *txt = malloc(len + 1);
            size_t o = 0;
            for (size_t p = 0; txt && p < len;) {
                size_t l = d[p++];
                if (p + l > len)
                    break;
                memcpy(txt + o, d + p, l);
                o += l;
                p += l;
            }
            if (txt) {
                txt[o] = '\0';
                strlist_add(out, txt);
                free(txt);
            }
        }
    }
    if (out->n == 0)
        return cc_fail(cause, CC_ENOTFOUND, "no %s record for %s", type == ns_t_a ? "A" : "TXT",
                       name);
    return CC_OK;
}

/* A TCP connection to name (resolved as configured) at port; -1 with a cause. */
static int
va_connect(const struct acme_va_config *cfg, const char *name, int port, char **cause)
{
    struct strlist addrs = {0};
    if (cfg->resolver[0]) {
        if (va_query(cfg, name, ns_t_a, &addrs, cause) != CC_OK)
            return -1;
    } else {
        struct addrinfo hints = {0}, *res = NULL;
        hints.ai_family = AF_INET;
        hints.ai_socktype = SOCK_STREAM;
        if (getaddrinfo(name, NULL, &hints, &res) != 0 || res == NULL) {
            cc_fail(cause, CC_ENOTFOUND, "%s does not resolve", name);
            return -1;
        }
        char a[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, a, sizeof a);
        strlist_add(&addrs, a);
        freeaddrinfo(res);
    }
    int fd = -1, err = 0;
    for (size_t i = 0; fd < 0 && i < addrs.n; i++) {
        struct sockaddr_in sa = {0};
        sa.sin_family = AF_INET;
        sa.sin_port = htons((unsigned short)port);
        inet_pton(AF_INET, addrs.v[i], &sa.sin_addr);
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            break;
        struct timeval tv = {VA_TIMEOUT, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
            err = errno;
            close(fd);
            fd = -1;
        }
    }
    if (fd < 0)
        cc_fail(cause, CC_EIO, "cannot connect to %s (%s) port %d: %s", name,
                addrs.n ? addrs.v[0] : "?", port, strerror(err ? err : EHOSTUNREACH));
    strlist_free(&addrs);
    return fd;
}

static int
va_http01(void *arg, const char *name, const char *token, const char *key_auth, char **cause)
{
    const struct acme_va_config *cfg = arg;
    int fd = va_connect(cfg, name, cfg->http_port, cause);
    if (fd < 0)
        return CC_EIO;
    char *req = cc_asprintf("GET /.well-known/acme-challenge/%s HTTP/1.1\r\nHost: %s\r\n"
                            "User-Agent: certcon-acme\r\nAccept: */*\r\nConnection: close\r\n\r\n",
                            token, name);
    if (req == NULL || write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
        free(req);
        close(fd);
        return cc_fail(cause, CC_EIO, "cannot send the request to %s", name);
    }
    free(req);
    char buf[8192];
    size_t n = 0;
    ssize_t r;
    while (n < sizeof buf - 1 && (r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
        n += (size_t)r;
    close(fd);
    buf[n] = '\0';
    int status = 0;
    if (sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
        return cc_fail(cause, CC_EIO, "%s did not answer HTTP", name);
    if (status != 200)
        return cc_fail(cause, CC_EINVAL,
                       "http://%s/.well-known/acme-challenge/%s answered %d, not 200", name, token,
                       status);
    char *body = strstr(buf, "\r\n\r\n");
    body = body ? body + 4 : buf + n;
    size_t blen = strlen(body);
    while (blen > 0 && (body[blen - 1] == '\n' || body[blen - 1] == '\r' || body[blen - 1] == ' ' ||
                        body[blen - 1] == '\t'))
        body[--blen] = '\0';
    if (strcmp(body, key_auth) != 0)
        return cc_fail(cause, CC_EINVAL,
                       "http://%s/.well-known/acme-challenge/%s does not hold the key "
                       "authorization",
                       name, token);
    return CC_OK;
}

static int
va_dns01(void *arg, const char *name, const char *digest, char **cause)
{
    const struct acme_va_config *cfg = arg;
    char *q = cc_asprintf("_acme-challenge.%s", name);
    struct strlist txt = {0};
    int rc = q ? va_query(cfg, q, ns_t_txt, &txt, cause) : CC_ENOMEM;
    if (rc == CC_OK && strlist_find(&txt, digest, 0) < 0)
        rc = cc_fail(cause, CC_EINVAL, "no TXT record of %s holds the key authorization's digest",
                     q);
    free(q);
    strlist_free(&txt);
    return rc;
}

/* The acmeIdentifier extension (RFC 8737 3): critical, an OCTET STRING of the digest. */
#define OID_ACME_IDENTIFIER "1.3.6.1.5.5.7.1.31"

static int va_tlsalpn01_with(const struct acme_va_config *cfg, const char *name,
                             const unsigned char sha256[32], const char *priority, char **cause);

static int
va_tlsalpn01(void *arg, const char *name, const unsigned char sha256[32], char **cause)
{
    /*
     * The certificate only carries the proof and is never trusted for
     * anything; clients (lego) make it with keyEncipherment alone, which
     * GnuTLS refuses for a signed key exchange: then RSA key transport.
     */
    int rc = va_tlsalpn01_with(arg, name, sha256, NULL, NULL);
    if (rc == CC_OK)
        return rc;
    return va_tlsalpn01_with(arg, name, sha256, "NORMAL:-VERS-TLS1.3:-KX-ALL:+RSA", cause);
}

static int
va_tlsalpn01_with(const struct acme_va_config *cfg, const char *name,
                  const unsigned char sha256[32], const char *priority, char **cause)
{
    int fd = va_connect(cfg, name, cfg->tls_port, cause);
    if (fd < 0)
        return CC_EIO;
    gnutls_session_t s;
    gnutls_certificate_credentials_t cred;
    int rc = CC_OK;
    if (gnutls_init(&s, GNUTLS_CLIENT) != 0) {
        close(fd);
        return CC_ENOMEM;
    }
    gnutls_certificate_allocate_credentials(&cred);
    if (priority == NULL || gnutls_priority_set_direct(s, priority, NULL) != 0)
        gnutls_set_default_priority(s);
    gnutls_credentials_set(s, GNUTLS_CRD_CERTIFICATE, cred);
    gnutls_server_name_set(s, GNUTLS_NAME_DNS, name, strlen(name));
    gnutls_datum_t proto = {(unsigned char *)"acme-tls/1", 10};
    gnutls_alpn_set_protocols(s, &proto, 1, GNUTLS_ALPN_MANDATORY);
    gnutls_transport_set_int(s, fd);
    gnutls_handshake_set_timeout(s, VA_TIMEOUT * 1000);
    int hr;
    do
        hr = gnutls_handshake(s);
    while (hr < 0 && !gnutls_error_is_fatal(hr));
    gnutls_datum_t got = {NULL, 0};
    unsigned n = 0;
    const gnutls_datum_t *chain = NULL;
    if (hr < 0) {
        rc = cc_fail(cause, CC_EIO, "TLS with %s (ALPN acme-tls/1) failed: %s", name,
                     gnutls_strerror(hr));
    } else if (gnutls_alpn_get_selected_protocol(s, &got) != 0 || got.size != 10 ||
               memcmp(got.data, "acme-tls/1", 10) != 0) {
        rc = cc_fail(cause, CC_EINVAL, "%s did not select ALPN acme-tls/1", name);
    } else if ((chain = gnutls_certificate_get_peers(s, &n)) == NULL || n == 0) {
        rc = cc_fail(cause, CC_EINVAL, "%s sent no certificate", name);
    } else {
        gnutls_x509_crt_t crt;
        gnutls_x509_crt_init(&crt);
        int match = 0;
        if (gnutls_x509_crt_import(crt, &chain[0], GNUTLS_X509_FMT_DER) == 0 &&
            gnutls_x509_crt_check_hostname(crt, name)) {
            unsigned char ext[64];
            size_t elen = sizeof ext;
            unsigned critical = 0;
            /* DER: OCTET STRING (0x04), 32 bytes */
            if (gnutls_x509_crt_get_extension_by_oid(crt, OID_ACME_IDENTIFIER, 0, ext, &elen,
                                                     &critical) == 0 &&
                critical && elen == 34 && ext[0] == 0x04 && ext[1] == 32 &&
                memcmp(ext + 2, sha256, 32) == 0)
                match = 1;
        }
        gnutls_x509_crt_deinit(crt);
        if (!match)
            rc = cc_fail(cause, CC_EINVAL,
                         "the certificate of %s does not carry the acmeIdentifier of the key "
                         "authorization for its name",
                         name);
    }
    gnutls_bye(s, GNUTLS_SHUT_WR);
    gnutls_deinit(s);
    gnutls_certificate_free_credentials(cred);
    close(fd);
    return rc;
}

void
acme_va_setup(const struct cc_ctx *cx, struct acme_va_config *cfg, struct acme_va *va)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->http_port = 80;
    cfg->tls_port = 443;
    struct ops_acme_va_settings v;
    if (ops_call(cx, OP_ACME_VA_SETTINGS, NULL, &v, NULL) == CC_OK) {
        if (v.resolver != NULL)
            snprintf(cfg->resolver, sizeof cfg->resolver, "%s", v.resolver);
        cfg->http_port = v.http_port;
        cfg->tls_port = v.tls_port;
        ops_acme_va_settings_free(&v);
    }
    va->arg = cfg;
    va->http01 = va_http01;
    va->dns01 = va_dns01;
    va->tlsalpn01 = va_tlsalpn01;
}
