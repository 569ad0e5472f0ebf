/*
 * The CA's OCSP responder (RFC 6960, with the RFC 5019 profile) as a
 * function from bytes to bytes: a DER OCSPRequest in, a DER OCSPResponse
 * out, no socket. The HTTP side of the service and `certcon ocsp respond`
 * both call ocsp_respond().
 *
 * Each CertID is matched against this CA by issuer name hash and issuer
 * key hash (SHA-1, SHA-256, SHA-384 or SHA-512); its serial is looked up in
 * the CA database: good, revoked (time and reason; a certificate on hold
 * is revoked until released) or unknown (a serial the CA never issued).
 * thisUpdate is now and nextUpdate one CRL period later. A nonce is echoed.
 *
 * Responses are signed by a delegated responder certificate that the CA
 * issues itself from the "OCSP Response Signing" template (OCSP Signing,
 * id-pkix-ocsp-nocheck, two weeks as AD CS) and renews when it enters the
 * template's renewal period; its key is the one the template asks for
 * (RSA 2048 unless its algorithm names another) and is sealed with the
 * key-store secret like every stored private key. `ca set ocsp-signer ca` makes the CA key
 * sign instead (a PKCS #11 key too). The responder ID is byKey.
 *
 * What signs is opened once per database and kept (keys, hashes of the CA)
 * until the database's change counter moves (ocsp_respond looks at it at
 * most once a second; a status is always read afresh) or the responder
 * certificate is due for renewal, so that a response costs about one
 * signature. The
 * calls below may come from several threads, each with its own store
 * handle: they take one lock, so they run one at a time.
 */
#ifndef CERTCON_OCSP_H
#define CERTCON_OCSP_H

#include <stddef.h>
#include <time.h>

struct cc_ctx;

#include "pkix.h"
#include "store.h"

struct ocsp_answer {
    unsigned char *der;
    size_t len;
    time_t next_update; /* 0: none */
};

/*
 * Answers one DER OCSPRequest with a DER OCSPResponse, always:
 * malformedRequest for garbage, unauthorized for another CA's certificate,
 * internalError when it cannot sign. Returns CC_OK with out filled in
 * every such case; another status only when not even an error response
 * could be built. When the response is not successful, *cause (if cause
 * is not NULL) says why, for a log; the caller frees it.
 */
int ocsp_respond(const struct cc_ctx *cx, const void *req, size_t len, struct ocsp_answer *out,
                 char **cause);
void ocsp_answer_free(struct ocsp_answer *a);

/* OCSPResponseStatus values (RFC 6960 4.2.1). */
enum ocsp_response_status {
    OCSP_SUCCESSFUL = 0,
    OCSP_MALFORMED_REQUEST = 1,
    OCSP_INTERNAL_ERROR = 2,
    OCSP_TRY_LATER = 3,
    OCSP_SIG_REQUIRED = 5,
    OCSP_UNAUTHORIZED = 6,
};
/* The responseStatus of an answer ocsp_respond built, or -1 if it holds none. */
int ocsp_answer_status(const struct ocsp_answer *a);
/* "successful", "malformedRequest", ...; "unknown" for other values. */
const char *ocsp_status_name(int status);

/* The most requests one OCSPRequest may carry, and its largest size. */
#define OCSP_MAX_CERTIDS      16
#define OCSP_MAX_REQUEST_SIZE 65536

/* One CertID of a request, with the DER it came as (echoed in the response). */
struct ocsp_certid {
    int hash;            /* gnutls_digest_algorithm_t; 0 (unknown) for an unsupported one */
    struct pkix_buf raw; /* the CertID TLV */
    struct pkix_buf name_hash, key_hash;
    struct pkix_buf serial; /* the INTEGER's content octets */
};

struct ocsp_request {
    struct ocsp_certid ids[OCSP_MAX_CERTIDS];
    size_t n;
    struct pkix_buf nonce; /* the nonce extension's extnValue, as sent */
    int has_nonce;
};

/*
 * Parses a DER OCSPRequest (strict DER, nothing after it, at most
 * OCSP_MAX_REQUEST_SIZE bytes and OCSP_MAX_CERTIDS requests). A request's
 * own signature is not needed and not checked. CC_EPARSE with a cause for
 * anything else. Free with ocsp_request_free (also after a failure).
 */
int ocsp_request_parse(const void *der, size_t len, struct ocsp_request *out, char **cause);
void ocsp_request_free(struct ocsp_request *r);

/* Who signs responses: "responder" (the default) or "ca". */
enum ocsp_signer { OCSP_SIGNER_RESPONDER = 0, OCSP_SIGNER_CA = 1 };
/* `ca set ocsp-signer responder|ca`: needs Manage CA; audited. */
int ocsp_signer_set(const struct cc_ctx *cx, const char *value, char **cause);
int ocsp_signer_get(struct store *st, enum ocsp_signer *out);

/*
 * The responder certificate responses are signed with now (DER, into
 * cert), issuing or renewing it first when it is missing, revoked, no
 * longer valid or within its template's renewal period.
 */
int ocsp_responder_current(const struct cc_ctx *cx, struct pkix_buf *cert, char **cause);

/*
 * Signs data count times with the key that signs responses (the
 * responder's or the CA's), as a response's signature is made, and nothing
 * else: the benchmark's raw signing rate.
 */
int ocsp_sign_raw(const struct cc_ctx *cx, const void *data, size_t n, unsigned count,
                  char **cause);

/* Drops everything kept for every database (keys included). */
void ocsp_forget(void);

#endif
