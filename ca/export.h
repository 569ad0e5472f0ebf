/*
 * The Certificate Export Wizard: DER and Base-64 (PEM) certificates,
 * PKCS #7 (.p7b) with the chain, and PKCS #12 (.pfx) with the private key,
 * allowed only when the key was stored exportable (the template allowed it
 * at enrollment); otherwise refused with the wizard's explanation. PFX is
 * PBES2 AES-256-CBC with PBKDF2-SHA256 and an HMAC-SHA256 MAC, or with
 * legacy set, 3DES with a SHA-1 MAC for old importers.
 */
#ifndef CERTCON_EXPORT_H
#define CERTCON_EXPORT_H

#include "certstore.h"
#include "pkix.h"
#include "store.h"

struct cc_ctx;

enum export_format { EXPORT_DER, EXPORT_PEM, EXPORT_P7B, EXPORT_PFX };

struct export_params {
    enum export_format format;
    const char *password;  /* PFX only; must not be empty */
    int legacy;            /* PFX: TripleDES-SHA1 */
    int chain;             /* P7B, PFX: include the certification path */
    const char *friendly;  /* PFX: friendlyName (default: the entry's, else the template's) */
};

int export_certificate(const struct cc_ctx *cx, const struct certstore_entry *e,
                       const struct export_params *p, struct pkix_buf *out, char **cause);
/* The file extension the wizard adds (".cer", ".p7b", ".pfx"). */
const char *export_extension(enum export_format f);

#endif
