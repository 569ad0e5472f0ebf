/*
 * The client side of enrollment: key generation for every key type certcon
 * offers, building a PKCS#10 request the way the Windows enrollment client
 * does (ADCS-SPEC Appendix A.4), and parsing and verifying requests made
 * here or elsewhere (openssl req, certreq) for the CA.
 */
#ifndef CERTCON_REQUEST_H
#define CERTCON_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "pkix.h"
#include "util.h"

/* "rsa:2048", "rsa:3072", "rsa:4096", "ecdsa:p256", "ecdsa:p384", "ed25519" */
struct request_keyspec {
    const char *name;
    gnutls_pk_algorithm_t pk;
    unsigned bits;
};

/* The key types, for help texts: "rsa:2048|rsa:3072|...". */
const char *request_key_types(void);
int request_keyspec_parse(const char *s, struct request_keyspec *out, char **cause);
/* Generates a key of type s (NULL: rsa:2048); *out owned by the caller. */
int request_key_generate(const char *s, gnutls_x509_privkey_t *out, char **cause);

struct request_params {
    const char *cn;            /* subject CN, or NULL */
    const char *dn;            /* a whole subject DN (RFC 4514), or NULL; wins over cn */
    struct strlist dns, ip, email, upn; /* SAN entries */
    const char *template_cn;   /* schema 1: extension 1.3.6.1.4.1.311.20.2 */
    const char *template_oid;  /* schema 2+: extension 1.3.6.1.4.1.311.21.7 */
    uint32_t major, minor;
    gnutls_digest_algorithm_t hash; /* 0: SHA-256 (tests ask for SHA-1) */
};

/* Builds and signs a PKCS#10 request (DER) for key. */
int request_build(gnutls_x509_privkey_t key, const struct request_params *p,
                  struct pkix_buf *der, char **cause);

/* A parsed, signature-checked request. */
struct request_info {
    gnutls_x509_crq_t crq;
    struct pkix_buf der;      /* the whole request, DER */
    struct pkix_buf subject;  /* raw subject Name */
    struct pkix_buf spki;     /* raw SubjectPublicKeyInfo */
    char *subject_text;       /* RFC 4514, for the request views */
    char *cn;                 /* first CN of the subject, or NULL */
    char *subject_email;      /* emailAddress of the subject, or NULL */
    gnutls_pk_algorithm_t pk;
    unsigned bits;
    gnutls_sign_algorithm_t sign;
    struct strlist dns, ip, email, upn, uri; /* SAN entries of the request */
    int has_san;
    char *template_name;      /* from 1.3.6.1.4.1.311.20.2 */
    char *template_oid;       /* from 1.3.6.1.4.1.311.21.7 */
    int64_t template_major, template_minor; /* -1 when absent */
    char *nv_template;        /* CertificateTemplate name-value pair */
    unsigned char key_id[20]; /* SHA-1 key identifier of the public key */
    size_t key_id_len;
};

/*
 * Parses a request (PEM or DER) and checks its signature. Statuses:
 * CC_E_BAD_REQUEST (not a PKCS#10), CC_E_BAD_SIGNATURE (does not verify).
 * The hash is not judged here: that is policy's job (request_weak_hash).
 */
int request_parse(const void *data, size_t n, struct request_info *out, char **cause);
void request_info_free(struct request_info *r);
/* Whether the request was signed with SHA-1, MD5 or another refused hash. */
int request_weak_hash(const struct request_info *r);

/* PEM armour ("CERTIFICATE", "CERTIFICATE REQUEST", ...); allocated text. */
int request_pem_encode(const char *label, const void *der, size_t n, char **pem, char **cause);

#endif
