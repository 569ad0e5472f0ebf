/*
 * A certificate as the Certificate dialog shows it (ADCS-SPEC 7): the
 * General facts (issued to and by, validity, purposes, template), every
 * field and extension decoded by name — Microsoft's template name and
 * information and application policies included — and the certification
 * path with the status of each link. The console only lays these out; the
 * command line can print the same.
 */
#ifndef CERTCON_CERTINFO_H
#define CERTCON_CERTINFO_H

#include <stddef.h>
#include <time.h>

struct cc_ctx;

#include "store.h"
#include "util.h"

struct certinfo_field {
    char *name;  /* "Serial number", "Enhanced Key Usage", an OID when unknown */
    char *value; /* the whole value, decoded; hex when nothing here knows it */
};

struct certinfo {
    char *issued_to, *issued_by; /* the CN, else the whole DN */
    char *subject, *issuer;      /* the whole DNs */
    time_t not_before, not_after;
    char *serial;            /* hex */
    char *thumbprint;        /* SHA-1, hex */
    char *template_name;     /* the template's display name (or cn, or OID); NULL: none */
    struct strlist purposes; /* what the certificate is for, by name */
    struct certinfo_field *fields;
    size_t nfields;
};

/*
 * Decodes a DER certificate. st (may be NULL) names OIDs and templates the
 * forest defines. Returns CC_OK, CC_EPARSE when it is not a certificate, or
 * CC_ENOMEM. Free with certinfo_free().
 */
int certinfo_decode(struct store *st, const void *der, size_t n, struct certinfo *out,
                    char **cause);
void certinfo_free(struct certinfo *ci);

/*
 * The few facts a list shows of a certificate (a store's rows, `ca show`),
 * without decoding every extension: the subject's whole DN, serial and
 * SHA-1 thumbprint in hex, validity, and the Intended Purposes column:
 * the Enhanced Key Usage names (st names forest OIDs; may be NULL) joined
 * with ", ", or "<All>" when the certificate has none. Returns CC_OK,
 * CC_EPARSE (purposes is then "<All>", the rest empty) or CC_ENOMEM.
 * Free with certinfo_summary_free().
 */
struct certinfo_summary {
    char *subject;
    char *serial, *thumbprint;
    time_t not_before, not_after;
    char *purposes;
};
int certinfo_summarize(struct store *st, const void *der, size_t n, struct certinfo_summary *out,
                       char **cause);
void certinfo_summary_free(struct certinfo_summary *s);

enum certinfo_status {
    CERTINFO_OK = 0,
    CERTINFO_EXPIRED,
    CERTINFO_NOT_YET_VALID,
    CERTINFO_REVOKED,
    CERTINFO_BAD_SIGNATURE,
    CERTINFO_NO_ISSUER,
    CERTINFO_UNTRUSTED_ROOT,
};

struct certinfo_link {
    char *name; /* issued to */
    enum certinfo_status status;
    char *text; /* "This certificate is OK.", or why not */
};

/*
 * The certification path of a certificate, root first, as far as the
 * issuers are known (the CA's own certificate and the enterprise Root and
 * Intermediate stores), each link checked at time now: validity, the
 * issuer's signature, revocation by this CA, and whether the root is
 * trusted. Free with certinfo_path_free().
 */
int certinfo_path(const struct cc_ctx *cx, const void *der, size_t n, time_t now,
                  struct certinfo_link **out, size_t *count, char **cause);
void certinfo_path_free(struct certinfo_link *v, size_t n);

#endif
