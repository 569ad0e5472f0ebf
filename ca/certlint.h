/*
 * RFC 5280 lint of certificates, CRLs and requests: one table of rules
 * (zlint-style names, a severity, the RFC section and a description) and
 * one walk over the DER that returns what each rule found. Issuance builds
 * a TBSCertificate, lints it, and signs only when no error was found
 * (Boulder's build, lint, sign); CRL publishing does the same with the
 * TBSCertList; request intake lints the request's names and extensions;
 * `certcon lint` runs the same rules on any certificate or CRL. The core
 * never prints: front ends show the findings.
 */
#ifndef CERTCON_CERTLINT_H
#define CERTCON_CERTLINT_H

#include <stddef.h>
#include <time.h>

/* One line per rule: the id, the name, error (1) or warning (0), RFC section, description. */
#define CERTLINT_RULES(R)                                                                          \
    R(DER_MALFORMED, "e_der_malformed", 1, "RFC 5280 4.1",                                         \
      "the structure is not DER the certificate or CRL syntax allows")                             \
    R(SIGNATURE_ALGORITHM_MISMATCH, "e_signature_algorithm_mismatch", 1, "RFC 5280 4.1.1.2",       \
      "signatureAlgorithm differs from the signature field of the signed part")                    \
    R(SERIAL_NOT_POSITIVE, "e_serial_number_not_positive", 1, "RFC 5280 4.1.2.2",                  \
      "the serial number is zero or negative")                                                     \
    R(SERIAL_TOO_LONG, "e_serial_number_too_long", 1, "RFC 5280 4.1.2.2",                          \
      "the serial number is longer than 20 octets")                                                \
    R(VALIDITY_NEGATIVE, "e_validity_negative", 1, "RFC 5280 4.1.2.5",                             \
      "notAfter is before notBefore")                                                              \
    R(TIME_FORMAT, "e_time_format", 1, "RFC 5280 4.1.2.5",                                         \
      "a time is not YYMMDDHHMMSSZ (UTCTime, before 2050) or YYYYMMDDHHMMSSZ (GeneralizedTime, "   \
      "from 2050)")                                                                                \
    R(VALIDITY_OUTSIDE_ISSUER, "e_validity_outside_issuer", 1, "ADCS-SPEC 4.1",                    \
      "the validity period reaches outside the issuing CA's")                                      \
    R(NAME_UTF8_INVALID, "e_name_utf8_invalid", 1, "RFC 5280 4.1.2.4",                             \
      "a UTF8String is not valid UTF-8")                                                           \
    R(NAME_PRINTABLE_BAD_CHAR, "e_name_printable_string_bad_character", 1, "RFC 5280 4.1.2.4",     \
      "a PrintableString holds a character outside its set (A-Z a-z 0-9 space '()+,-./:=?)")       \
    R(NAME_BMP_ODD_LENGTH, "e_name_bmp_string_odd_length", 1, "RFC 5280 4.1.2.4",                  \
      "a BMPString has an odd number of octets")                                                   \
    R(NAME_CONTROL_CHAR, "e_name_control_character", 1, "RFC 5280 4.1.2.4",                        \
      "a name holds NUL or a control character (C0, DEL or C1)")                                   \
    R(NAME_EMPTY_VALUE, "e_name_empty_value", 1, "RFC 5280 4.1.2.4",                               \
      "a name attribute has an empty value")                                                       \
    R(SUBJECT_CN_MAX_LENGTH, "e_subject_common_name_max_length", 1, "RFC 5280 A.1",                \
      "commonName is longer than 64 characters (ub-common-name)")                                  \
    R(SUBJECT_O_MAX_LENGTH, "e_subject_organization_name_max_length", 1, "RFC 5280 A.1",           \
      "organizationName is longer than 64 characters")                                             \
    R(SUBJECT_OU_MAX_LENGTH, "e_subject_organizational_unit_name_max_length", 1, "RFC 5280 A.1",   \
      "organizationalUnitName is longer than 64 characters")                                       \
    R(SUBJECT_L_MAX_LENGTH, "e_subject_locality_name_max_length", 1, "RFC 5280 A.1",               \
      "localityName is longer than 128 characters")                                                \
    R(SUBJECT_ST_MAX_LENGTH, "e_subject_state_name_max_length", 1, "RFC 5280 A.1",                 \
      "stateOrProvinceName is longer than 128 characters")                                         \
    R(SUBJECT_EMAIL_MAX_LENGTH, "e_subject_email_max_length", 1, "RFC 5280 A.1",                   \
      "emailAddress is longer than 255 characters")                                                \
    R(SUBJECT_COUNTRY_NOT_TWO_LETTERS, "e_subject_country_not_two_letters", 1, "RFC 5280 A.1",     \
      "countryName is not two letters")                                                            \
    R(SUBJECT_EMPTY_WITHOUT_SAN, "e_subject_empty_without_san", 1, "RFC 5280 4.1.2.6",             \
      "the subject is empty and there is no subjectAltName")                                       \
    R(SUBJECT_EMPTY_SAN_NOT_CRITICAL, "e_subject_empty_san_not_critical", 1, "RFC 5280 4.2.1.6",   \
      "the subject is empty and subjectAltName is not critical")                                   \
    R(SAN_EMPTY, "e_san_empty", 1, "RFC 5280 4.2.1.6", "subjectAltName holds no names")            \
    R(SAN_DNS_BAD_LABEL, "e_san_dns_name_bad_label", 1, "RFC 5280 4.2.1.6",                        \
      "a dNSName label is empty, holds characters other than letters, digits and '-', "            \
      "or starts or ends with '-'")                                                                \
    R(SAN_DNS_LABEL_TOO_LONG, "e_san_dns_name_label_too_long", 1, "RFC 1034 3.1",                  \
      "a dNSName label is longer than 63 characters")                                              \
    R(SAN_DNS_TOO_LONG, "e_san_dns_name_too_long", 1, "RFC 1034 3.1",                              \
      "a dNSName is longer than 253 characters")                                                   \
    R(SAN_DNS_BAD_WILDCARD, "e_san_dns_name_bad_wildcard", 1, "RFC 6125 6.4.3",                    \
      "a '*' in a dNSName is not the whole leftmost label")                                        \
    R(SAN_IP_BAD_LENGTH, "e_san_ip_address_bad_length", 1, "RFC 5280 4.2.1.6",                     \
      "an iPAddress is not 4 or 16 octets")                                                        \
    R(SAN_RFC822_BAD_SYNTAX, "e_san_rfc822_name_bad_syntax", 1, "RFC 5280 4.2.1.6",                \
      "an rfc822Name is not local-part@domain")                                                    \
    R(SAN_UPN_BAD_SYNTAX, "e_san_upn_bad_syntax", 1, "MS-WCCE 2.2.2.7.7.4",                        \
      "a user principal name is not a UTF8String user@domain")                                     \
    R(SAN_URI_BAD_SYNTAX, "e_san_uri_bad_syntax", 1, "RFC 5280 4.2.1.6",                           \
      "a uniformResourceIdentifier has no scheme or holds spaces or control characters")           \
    R(SAN_TYPE_NOT_ALLOWED, "e_san_type_not_allowed", 1, "ADCS-SPEC 4.1",                          \
      "a request names a kind of subject alternative name the CA does not issue")                  \
    R(EXT_DUPLICATE, "e_ext_duplicate", 1, "RFC 5280 4.2", "an extension appears more than once")  \
    R(KEY_USAGE_EMPTY, "e_key_usage_empty", 1, "RFC 5280 4.2.1.3", "keyUsage has no bit set")      \
    R(KEY_USAGE_CERT_SIGN_WITHOUT_CA, "e_key_usage_cert_sign_without_ca", 1, "RFC 5280 4.2.1.3",   \
      "keyCertSign is set but basicConstraints does not say cA")                                   \
    R(KEY_USAGE_BAD_FOR_KEY, "e_key_usage_bad_for_key_type", 1, "RFC 3279 2.3, RFC 8813 3",        \
      "keyUsage asks for what the public key cannot do (encipherment with an EC or EdDSA "         \
      "key, key agreement with RSA)")                                                              \
    R(CA_KEY_CERT_SIGN_NOT_SET, "e_ca_key_cert_sign_not_set", 1, "RFC 5280 4.2.1.9",               \
      "basicConstraints says cA and keyUsage lacks keyCertSign")                                   \
    R(CA_BASIC_CONSTRAINTS_NOT_CRITICAL, "e_basic_constraints_not_critical", 1,                    \
      "RFC 5280 4.2.1.9", "basicConstraints with cA is not critical")                              \
    R(PATH_LEN_WITHOUT_CA, "e_path_len_without_ca", 1, "RFC 5280 4.2.1.9",                         \
      "pathLenConstraint is present without cA")                                                   \
    R(CRL_NEXT_UPDATE_MISSING, "e_crl_next_update_missing", 1, "RFC 5280 5.1.2.5",                 \
      "the CRL has no nextUpdate")                                                                 \
    R(CRL_NEXT_UPDATE_BEFORE_THIS, "e_crl_next_update_before_this_update", 1, "RFC 5280 5.1.2.5",  \
      "nextUpdate is before thisUpdate")                                                           \
    R(CRL_EMPTY_REVOKED_LIST, "e_crl_empty_revoked_certificates", 1, "RFC 5280 5.1.2.6",           \
      "revokedCertificates is present but empty")                                                  \
    R(CRL_AKI_MISSING, "e_crl_aki_missing", 1, "RFC 5280 5.2.1",                                   \
      "the CRL has no authorityKeyIdentifier")                                                     \
    R(CRL_NUMBER_MISSING, "e_crl_number_missing", 1, "RFC 5280 5.2.3", "the CRL has no cRLNumber") \
    R(CRL_NUMBER_BAD, "e_crl_number_bad", 1, "RFC 5280 5.2.3",                                     \
      "cRLNumber is negative or longer than 20 octets")                                            \
    R(CRL_REASON_UNSPECIFIED, "w_crl_reason_unspecified", 0, "RFC 5280 5.3.1",                     \
      "an entry's reason code is unspecified; the extension should be absent")

enum certlint_rule {
#define CERTLINT_ENUM(id, name, error, section, text) CERTLINT_##id,
    CERTLINT_RULES(CERTLINT_ENUM)
#undef CERTLINT_ENUM
        CERTLINT_RULE_COUNT
};

struct certlint_rule_info {
    const char *name;
    int error; /* 1: an error (refuses); 0: a warning */
    const char *section;
    const char *description;
};

/* The table entry of a rule, never NULL for a valid rule. */
const struct certlint_rule_info *certlint_rule(int rule);

struct certlint_finding {
    int rule;     /* enum certlint_rule */
    char *detail; /* what was found, allocated; may be NULL */
};

/* What a lint found; owned by the caller, freed with certlint_result_free. */
struct certlint_result {
    struct certlint_finding *v;
    size_t n;
    size_t errors; /* findings whose rule is an error */
    int oom;       /* a finding was lost for want of memory */
};
void certlint_result_free(struct certlint_result *r);

/* The context a CA knows when it builds a certificate; zero when linting a file. */
struct certlint_context {
    time_t issuer_not_before, issuer_not_after; /* both 0: not checked */
};

/* A whole Certificate, or a TBSCertificate about to be signed (is_tbs). */
int certlint_certificate(const unsigned char *der, size_t n, int is_tbs,
                         const struct certlint_context *ctx, struct certlint_result *out);
/* A whole CertificateList, or a TBSCertList about to be signed (is_tbs). */
int certlint_crl(const unsigned char *der, size_t n, int is_tbs, struct certlint_result *out);
/*
 * A PKCS#10 request's CertificationRequestInfo, as the CA's intake reads it:
 * extensions repeated within or across extensionRequest attributes; with
 * names set, also the subject and the subjectAltName (empty, kinds the CA
 * does not issue, and every syntax rule of a certificate's names).
 */
int certlint_request(const unsigned char *der, size_t n, int names, struct certlint_result *out);
/* Whether der is a CRL (CertificateList) rather than a certificate: peeks at the structure. */
int certlint_is_crl(const unsigned char *der, size_t n);

/*
 * The lint of a TBSCertificate (crl 0) or TBSCertList (crl 1) about to be
 * signed: CC_OK when no error was found; otherwise CERTSRV_E_BAD_REQUESTSUBJECT
 * when every broken rule is about names, else CC_E_CERT_LINT, with a cause
 * naming each broken rule ("Broken rules: e_a, e_b.").
 */
int certlint_refuse(const unsigned char *tbs, size_t n, int crl, const struct certlint_context *ctx,
                    char **cause);

/*
 * Whether name is a host name the CA would put in a dNSName: RFC 1123
 * labels of letters, digits and '-' (none starting or ending with '-', at
 * most 63 characters), at most 253 characters in all, and with wildcard_ok
 * a leftmost "*" label. The same rules as the e_san_dns_name_* lint, so a
 * field that checks with this refuses exactly what the CA would.
 * CC_OK, or CERTSRV_E_BAD_REQUESTSUBJECT with a cause naming the name and
 * what is wrong with it.
 */
int certlint_dns_name(const char *name, int wildcard_ok, char **cause);

/* One certificate or CRL found in a file, with what the lint found. */
struct certlint_object {
    int crl; /* 1: a CRL; 0: a certificate */
    struct certlint_result result;
};
/*
 * Lints every certificate and CRL in data: DER (one object) or PEM (each
 * CERTIFICATE and X509 CRL block). CC_EPARSE when it holds neither.
 * *out is allocated; free with certlint_objects_free.
 */
int certlint_data(const void *data, size_t n, struct certlint_object **out, size_t *nout,
                  char **cause);
void certlint_objects_free(struct certlint_object *v, size_t n);

/* "rule-a, rule-b" of the errors found, allocated (NULL when none or out of memory). */
char *certlint_error_names(const struct certlint_result *r);
/*
 * "Broken rules: e_a, e_b. detail of e_a; detail of e_b." for a refusal's
 * message: the rules and what broke them (a bad dNSName is named). Allocated;
 * NULL when out of memory or nothing is an error.
 */
char *certlint_error_summary(const struct certlint_result *r);
/* Whether any error finding is about names (subject or SAN): CERTSRV_E_BAD_REQUESTSUBJECT. */
int certlint_names_only(const struct certlint_result *r);

#endif
