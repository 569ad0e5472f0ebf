/*
 * The certification authority itself: its key (a PKCS#8 file beside the
 * database, optionally passphrase-protected, or a pkcs11: URL) and its
 * self-signed certificate, its configuration (edition, CDP/AIA URLs,
 * validity cap, CRL period), the Certificate Templates to Issue, and the CA
 * permissions (Manage CA, Issue and Manage Certificates, Request
 * Certificates). Opening the CA checks the key against the certificate
 * with a sign/verify, and precomputes what every issued certificate shares.
 */
#ifndef CERTCON_AUTHORITY_H
#define CERTCON_AUTHORITY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct cc_ctx;

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "pkix.h"
#include "store.h"
#include "util.h"

/* CA rights, with the values of the CA security descriptor (ADCS-SPEC 5.1). */
enum {
    CA_RIGHT_MANAGE = 0x1,   /* Manage CA */
    CA_RIGHT_OFFICER = 0x2,  /* Issue and Manage Certificates */
    /*
     * Auditor and Backup Operator are local rights on Windows (Manage auditing
     * and security log, Back up files and directories); certcon keeps them
     * beside the CA permissions so that `ca roles` shows all four roles.
     */
    CA_RIGHT_AUDIT = 0x4,
    CA_RIGHT_BACKUP = 0x8,
    CA_RIGHT_READ = 0x100,
    CA_RIGHT_ENROLL = 0x200, /* Request Certificates */
};

/* The server version nibble this CA reports (Windows Server 2016 and later). */
#define AUTHORITY_VERSION 6

struct authority_params {
    const char *name;       /* contoso-CA1-CA */
    const char *host;       /* CA1 */
    const char *edition;    /* "Enterprise" (default) or "Standard" */
    const char *key_type;   /* rsa:2048 (default), ... ignored with key_url */
    const char *key_url;    /* pkcs11:... of an existing token key, or NULL */
    const char *passphrase; /* encrypts the key file; NULL for none */
    int years;              /* validity of the CA certificate; 0: 5 */
    const char *base_url;   /* the service's public URL; NULL: the lab's loopback
                               AUTHORITY_LAB_BASE_URL in a lab, else http://<CA host> */
};

/* Where a lab's service answers unless told otherwise (certcon serve --http). */
#define AUTHORITY_LAB_BASE_URL "http://127.0.0.1:8080"
/* A cdp_url or aia_url of this value derives the URL from the base URL. */
#define AUTHORITY_URL_AUTO "auto"

/* The CA's configuration as stored (no key needed). */
struct authority_info {
    char *name, *host, *edition, *key_ref, *key_type;
    int key_encrypted;
    int version;
    int64_t validity_cap, crl_period, crl_number;
    int64_t delta_period; /* 0: no delta CRLs */
    int publish_on_revoke;
    char *cdp_url, *aia_url; /* a URL, "" (left out) or AUTHORITY_URL_AUTO */
    char *base_url;          /* "" when none is set */
    struct pkix_buf cert; /* DER */
    time_t not_before, not_after; /* the CA certificate's validity */
    time_t created;
};

/*
 * The permission bits of the CA key file (CC_ENOTFOUND for a key in a
 * PKCS #11 token). Opening the CA refuses a key file group or others may
 * read or write.
 */
int authority_key_mode(struct store *st, const struct authority_info *info, unsigned *mode,
                       char **cause);

/* The CA key's algorithm and size from its certificate: "ECDSA P-384 (384 bits)"; allocated. */
char *authority_key_description(const struct authority_info *info);

/* An open CA, ready to sign. */
struct authority {
    struct authority_info info;
    gnutls_privkey_t key;
    gnutls_pubkey_t pub;
    gnutls_x509_crt_t crt;
    gnutls_sign_algorithm_t sign;   /* SHA-256 (SHA-384 for P-384, EdDSA for Ed25519) */
    struct pkix_buf sigalg;         /* AlgorithmIdentifier of sign, DER */
    struct pkix_buf issuer;         /* the CA's subject Name, raw DER */
    unsigned char ski[20];
    size_t ski_len;
    /*
     * Extension TLVs shared by every certificate: ext_cdp holds the CRL
     * distribution points followed by Freshest CRL when deltas are on;
     * ext_freshest alone is what a base CRL carries.
     */
    struct pkix_buf ext_aki, ext_cdp, ext_aia, ext_freshest;
};

/* The URLs the CA writes into what it issues, each allocated, NULL when left out. */
struct authority_urls {
    char *cdp;        /* CRL distribution point: the base CRL */
    char *delta;      /* Freshest CRL: the delta CRL (deltas on only) */
    char *ca_issuers; /* AIA caIssuers: the CA certificate */
    char *ocsp;       /* AIA OCSP: <base>/ocsp */
};
/* The URLs in effect for info: explicit settings win, 'auto' derives from the base URL. */
int authority_urls_get(const struct authority_info *info, struct authority_urls *out);
void authority_urls_free(struct authority_urls *u);
/*
 * The CA name as it appears in the service's paths (/crl/NAME.crl,
 * /aia/NAME.crt): percent-encoded but for RFC 3986's unreserved characters.
 */
char *authority_url_name(const char *name);
/* "ca1.contoso.com": the CA host's dNSHostName, else host.domain; allocated. */
char *authority_host_fqdn(struct store *st, const struct authority_info *info);
/* The host of the base URL ("127.0.0.1", "pki.contoso.com", "::1"); allocated, NULL if none. */
char *authority_base_host(const struct authority_info *info);
/* CC_OK when url may be a base URL: http or https, a host, no query or fragment. */
int authority_base_url_check(const char *url, char **cause);

/*
 * Creates the CA in a database whose directory exists (init): key, self-signed
 * certificate, configuration, default Templates to Issue (ADCS-SPEC 3) and
 * default CA permissions (5.1). Fails with EEXIST when there already is one.
 */
int authority_create(const struct cc_ctx *cx, const struct authority_params *p, char **cause);
int authority_exists(struct store *st);
int authority_info_load(struct store *st, struct authority_info *out, char **cause);
void authority_info_free(struct authority_info *info);

/* How far before "now" a certificate or CRL starts, for clients whose clocks lag. */
#define AUTHORITY_CLOCK_SKEW 600

/*
 * CC_OK when the CA certificate is valid at now; otherwise CC_E_CA_CERT_TIME
 * with one sentence saying when it is valid. Nothing is signed outside it.
 */
int authority_check_time(const struct authority_info *ca, time_t now, char **cause);

/* What ended a certificate's validity (authority_validity's *end). */
enum authority_end {
    AUTHORITY_END_PERIOD, /* the template's validity period, as asked */
    AUTHORITY_END_CAP,    /* the CA's maximum validity (ca set validity-cap) */
    AUTHORITY_END_CA,     /* the CA certificate's own end (AD CS truncates there too) */
};

/*
 * The validity of a certificate issued at now for a period of `period`
 * seconds: from now less AUTHORITY_CLOCK_SKEW, never before the CA
 * certificate starts, to the earliest of the period, the CA's validity cap
 * and the CA certificate's end. Fails as authority_check_time when the CA
 * certificate is not valid at now.
 */
int authority_validity(const struct authority_info *ca, int64_t period, time_t now,
                       time_t *not_before, time_t *not_after, enum authority_end *end,
                       char **cause);

/*
 * Opens the CA with its key. passphrase: for an encrypted key file, or the
 * PIN of a token; NULL takes $CERTCON_CA_PASSPHRASE_FILE or
 * $CERTCON_CA_PASSPHRASE. *out owned by the caller.
 */
int authority_open(struct store *st, const char *passphrase, struct authority **out,
                   char **cause);
void authority_close(struct authority *ca);
/* Path of the key file beside the database; allocated. */
char *authority_key_path(struct store *st);

/* Signs data with the CA key (the algorithm of ca->sign). sig is malloc'ed. */
int authority_sign(struct authority *ca, const void *data, size_t n, struct pkix_buf *sig,
                   char **cause);

/* Certificate Templates to Issue. Enable/disable need Manage CA. */
int authority_template_enable(const struct cc_ctx *cx, const char *template, char **cause);
int authority_template_disable(const struct cc_ctx *cx, const char *template, char **cause);
int authority_template_enabled(struct store *st, const char *cn);
int authority_templates(struct store *st, struct strlist *cns, char **cause);

/* CA permissions. */
unsigned authority_rights(struct store *st, const int64_t *token, size_t ntoken);
/* CC_OK when the acting account holds right; EACCES naming what otherwise. */
int authority_require(const struct cc_ctx *cx, unsigned right, const char *what, char **cause);
int authority_permission_set(const struct cc_ctx *cx, int64_t principal, unsigned allow,
                             unsigned deny, char **cause);
/* The CA's security entries, with principal names (qualified). */
struct authority_ace {
    int64_t principal;
    char *name;
    unsigned allow, deny;
};
int authority_permissions(struct store *st, struct authority_ace **out, size_t *n, char **cause);
void authority_permissions_free(struct authority_ace *v, size_t n);
/*
 * "CA Administrator" (or admin, Manage CA), "Certificate Manager" (manager,
 * Issue and Manage Certificates), Auditor, "Backup Operator" (backup),
 * Enrollee (enroll, Request Certificates), Read; a comma-separated list.
 */
int authority_roles_parse(const char *s, unsigned *rights, char **cause);
/* "Manage CA, Issue and Manage Certificates"; allocated. */
char *authority_rights_format(unsigned rights);

/*
 * Settings changed with `ca set` style calls (Manage CA): base-url, cdp-url,
 * aia-url, crl-period, delta-period, publish-on-revoke, validity.
 */
int authority_config_set(const struct cc_ctx *cx, const char *setting, const char *value,
                         char **cause);

#endif
