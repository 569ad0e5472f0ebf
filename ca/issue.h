/*
 * Building and signing certificates. A profile holds everything a template
 * puts in each certificate (ADCS-SPEC 4.1/4.2: key usage, EKU, application
 * policies, issuance policies, basic constraints, the template extension,
 * and the CA's AKI, CDP and AIA), encoded once; issuing then encodes only
 * what differs per certificate (serial, validity, subject, public key, SAN,
 * SKI, SID) into a TBSCertificate with libtasn1 and signs it with the CA key.
 */
#ifndef CERTCON_ISSUE_H
#define CERTCON_ISSUE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "authority.h"
#include "pkix.h"
#include "store.h"
#include "template.h"
#include "util.h"

struct issue_profile {
    int64_t template_id;
    int64_t change_count;     /* the template revision the profile was built from */
    char *template_cn;
    struct pkix_buf prefix_rsa; /* template extensions, KU for RSA keys */
    struct pkix_buf prefix_ec;  /* the same with KU adjusted for EC/EdDSA keys */
    struct pkix_buf suffix;     /* AKI, CDP, AIA */
    int san_critical;
    int64_t validity;           /* seconds */
};

/* What policy decided the certificate names. */
struct issue_names {
    struct pkix_buf subject;  /* raw Name DER; an empty SEQUENCE for no subject */
    struct strlist dns, ip, email, upn, uri;
    char *guid;               /* objectGUID (8-4-4-4-12) for the DS GUID otherName */
    char *sid;                /* adds the SID extension 1.3.6.1.4.1.311.25.2 */
};

struct issue_result {
    struct pkix_buf der;
    char serial[41];          /* lower-case hex of the encoded serial */
    char thumbprint[41];      /* SHA-1 of the DER, lower-case hex */
    time_t not_before, not_after;
};

int issue_profile_build(struct store *st, const struct authority *ca, const struct template *t,
                        struct issue_profile **out, char **cause);
void issue_profile_free(struct issue_profile *p);
void issue_names_free(struct issue_names *n);
void issue_result_free(struct issue_result *r);

/*
 * Issues one certificate for the public key spki (raw SubjectPublicKeyInfo
 * DER, algorithm pk, key identifier key_id) at time now. Validity runs from
 * now less ten minutes (clock skew, as Windows does) to the earliest of the
 * template's period, the CA's validity cap and the CA certificate's end.
 */
int issue_certificate(struct authority *ca, const struct issue_profile *prof,
                      const struct issue_names *names, const struct pkix_buf *spki,
                      gnutls_pk_algorithm_t pk, const unsigned char *key_id, size_t key_id_len,
                      time_t now, struct issue_result *out, char **cause);

#endif
