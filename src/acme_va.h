/*
 * The network side of ACME validation: fills a struct acme_va (ca/acme.h)
 * with the HTTP, TLS-ALPN and DNS checks, configured from the CA's ACME
 * settings (acme-resolver, acme-http-port, acme-tls-port).
 */
#ifndef CERTCON_ACME_VA_H
#define CERTCON_ACME_VA_H

#include "acme.h"
#include "context.h"
#include "store.h"

struct acme_va_config {
    char resolver[64]; /* "ADDR:PORT", or "" for the system's resolver */
    int http_port;     /* http-01 (80) */
    int tls_port;      /* tls-alpn-01 (443) */
};

/*
 * Reads the settings (the acme.validation.settings operation, as cx's
 * caller) into cfg and points va at the checks (va->arg = cfg); settings
 * that cannot be read leave the defaults.
 */
void acme_va_setup(const struct cc_ctx *cx, struct acme_va_config *cfg, struct acme_va *va);

#endif
