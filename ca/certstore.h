/*
 * The Certificates snap-in's logical stores (ADCS-SPEC 7.2) for each user
 * and computer of the directory: Personal (My), Trusted Root Certification
 * Authorities (Root) and Intermediate Certification Authorities (CA).
 * Entries of the enterprise (the CA certificate that AD publishes) belong to
 * no principal and show in every member's store.
 *
 * Private keys are kept as PKCS#8 encrypted (PBES2, AES-256) under a
 * passphrase derived from a per-database secret held in a 0600 file beside
 * the database (<db>.secret). That keeps keys unreadable in copies of the
 * database alone (backups, a database sent with a bug report, SQL access);
 * it does not protect against anyone who can read both the database and the
 * secret file, i.e. the database owner and root.
 */
#ifndef CERTCON_CERTSTORE_H
#define CERTCON_CERTSTORE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct cc_ctx;

#include <gnutls/x509.h>

#include "pkix.h"
#include "store.h"

enum certstore_kind {
    CERTSTORE_MY = 0,
    CERTSTORE_ROOT = 1,
    CERTSTORE_CA = 2,
};

/* "My", "Root", "CA" (system store names). */
const char *certstore_name(enum certstore_kind kind);
/* "Personal", "Trusted Root Certification Authorities", ... */
const char *certstore_display_name(enum certstore_kind kind);
/* personal|my|root|ca|intermediate (case-insensitive). */
int certstore_parse(const char *s, enum certstore_kind *out, char **cause);

struct certstore_entry {
    int64_t id;
    int64_t principal;        /* 0 for enterprise entries */
    enum certstore_kind kind;
    char *thumbprint, *serial, *subject, *issuer, *template_cn, *friendly_name;
    time_t not_before, not_after, added;
    struct pkix_buf der;
    int64_t key_id;           /* 0 when there is no private key */
    int exportable;
    int64_t request_id;
};

void certstore_entry_free(struct certstore_entry *e);
void certstore_list_free(struct certstore_entry *list, size_t n);

/* Adds a certificate that every domain member's store of that kind shows. */
int certstore_add_enterprise(const struct cc_ctx *cx, enum certstore_kind kind, const void *der,
                             size_t n, char **cause);
/*
 * Installs a certificate (and its private key, if key is not NULL) in a
 * principal's store. template_cn, friendly may be NULL. *id may be NULL.
 */
int certstore_add(const struct cc_ctx *cx, int64_t principal, enum certstore_kind kind,
                  const void *der, size_t n, gnutls_x509_privkey_t key, int exportable,
                  const char *template_cn, const char *friendly, int64_t request_id, int64_t *id,
                  char **cause);
/* The principal's entries of a store (with the enterprise ones), newest first. */
int certstore_list(const struct cc_ctx *cx, int64_t principal, enum certstore_kind kind,
                   struct certstore_entry **out, size_t *n, char **cause);
/*
 * Finds a certificate of the principal's Personal store by serial number
 * (hex), SHA-1 thumbprint (hex, colons and blanks allowed) or template name
 * (the newest valid certificate from that template).
 */
int certstore_find(const struct cc_ctx *cx, int64_t principal, const char *spec,
                   struct certstore_entry *out, char **cause);
/* Decrypts the entry's private key; *out owned by the caller. */
int certstore_key(const struct cc_ctx *cx, const struct certstore_entry *e,
                  gnutls_x509_privkey_t *out, char **cause);
/*
 * A pending request's key waits in the store (the Certificate Enrollment
 * Requests store of Windows) until its certificate is issued; claiming
 * installs the certificate with that key in the principal's Personal store.
 * Claim returns ENOTFOUND when no key waits for the request.
 */
int certstore_key_park(const struct cc_ctx *cx, int64_t principal, gnutls_x509_privkey_t key,
                       int exportable, int64_t request_id, char **cause);
/*
 * The same with a key already sealed by certstore_key_seal (the private
 * key encrypted with the store's secret: slow, so enrollment does it
 * before its write transaction).
 */
int certstore_key_seal(struct store *st, gnutls_x509_privkey_t key, struct pkix_buf *out,
                       char **cause);
/*
 * The reverse of certstore_key_seal, for a key kept outside the stores (the
 * OCSP responder's): decrypts sealed with the store's secret. *out owned
 * by the caller. No permission check: the caller is the CA itself.
 */
int certstore_key_unseal(struct store *st, const void *sealed, size_t n,
                         gnutls_x509_privkey_t *out, char **cause);
int certstore_key_park_sealed(const struct cc_ctx *cx, int64_t principal,
                              const struct pkix_buf *sealed, int exportable, int64_t request_id,
                              char **cause);
int certstore_add_sealed(const struct cc_ctx *cx, int64_t principal, enum certstore_kind kind,
                         const void *der, size_t n, const struct pkix_buf *sealed, int exportable,
                         const char *template_cn, const char *friendly, int64_t request_id,
                         int64_t *id, char **cause);
int certstore_key_claim(const struct cc_ctx *cx, int64_t request_id, const void *der, size_t n,
                        const char *template_cn, char **cause);
int certstore_key_drop(struct store *st, int64_t request_id, char **cause);

/*
 * The Certificate Enrollment Requests store: the principal's keys parked
 * for requests the CA has not issued yet, newest first.
 */
struct certstore_request {
    int64_t key_id;
    int64_t request_id;
    int exportable;
    time_t created;
};
int certstore_requests(const struct cc_ctx *cx, int64_t principal, struct certstore_request **out,
                       size_t *n, char **cause);

/* Removes an entry (and its key when no other entry uses it). */
int certstore_remove(struct store *st, int64_t id, char **cause);

#endif
