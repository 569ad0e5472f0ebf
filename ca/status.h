/*
 * Status codes of the core: one table maps each code to a short name, the
 * AD CS HRESULT it stands for (0 where none applies) and a message a person
 * can act on. Every fallible core function returns one of these; callers
 * print cc_strerror() and, where present, the allocated "cause" detail.
 */
#ifndef CERTCON_STATUS_H
#define CERTCON_STATUS_H

#include <stdint.h>

enum cc_status {
    CC_OK = 0,
    CC_ENOMEM,      /* out of memory */
    CC_EIO,         /* a file could not be read or written */
    CC_EDB,         /* the database refused an operation */
    CC_EINVAL,      /* a value is not allowed (bad field, period, OID, ...) */
    CC_ENOTFOUND,   /* no such principal, template, request, ... */
    CC_EEXIST,      /* the name is already taken */
    CC_EACCES,      /* the acting account lacks a right */
    CC_ECONFLICT,   /* someone else changed the object since the edit began */
    CC_EREADONLY,   /* the object cannot be changed (schema-1 built-in, ...) */
    CC_ECRYPTO,     /* a cryptographic operation failed */
    CC_ESCHEMA,     /* the database was made by a newer certcon */
    CC_EPARSE,      /* a configuration or input file is malformed */
    CC_EBUSY,       /* the database is locked by another process */
    CC_ESTATE,      /* the operation does not fit the object's state */
    /* AD CS conditions: each carries its HRESULT (ADCS-SPEC Appendix B) */
    CC_E_BAD_REQUESTSUBJECT,
    CC_E_NO_REQUEST,
    CC_E_BAD_REQUESTSTATUS,
    CC_E_ENROLL_DENIED,
    CC_E_TEMPLATE_DENIED,
    CC_E_ADMIN_DENIED_REQUEST,
    CC_E_UNSUPPORTED_CERT_TYPE,
    CC_E_NO_CERT_TYPE,
    CC_E_TEMPLATE_CONFLICT,
    CC_E_SUBJECT_ALT_NAME_REQUIRED,
    CC_E_ARCHIVED_KEY_REQUIRED,
    CC_E_BAD_TEMPLATE_VERSION,
    CC_E_SIGNATURE_POLICY_REQUIRED,
    CC_E_SIGNATURE_COUNT,
    CC_E_SIGNATURE_REJECTED,
    CC_E_SUBJECT_UPN_REQUIRED,
    CC_E_SUBJECT_DIRECTORY_GUID_REQUIRED,
    CC_E_SUBJECT_DNS_REQUIRED,
    CC_E_ARCHIVED_KEY_UNEXPECTED,
    CC_E_KEY_LENGTH,
    CC_E_SUBJECT_EMAIL_REQUIRED,
    CC_E_UNKNOWN_CERT_TYPE,
    CC_E_RENEWAL_BAD_PUBLIC_KEY,
    CC_E_BAD_REQUEST,           /* NTE_BAD_DATA-like: malformed PKCS#10 */
    CC_E_BAD_SIGNATURE,         /* request signature does not verify */
    CC_E_WEAK_SIGNATURE,        /* request signed with a refused hash */
    CC_E_CA_VERSION,            /* template needs a newer CA than this one */
    CC_E_STANDARD_EDITION,      /* Standard-edition CA, v2+ template */
    CC_E_KEY_NOT_EXPORTABLE,    /* export of a private key marked not exportable */
    CC_E_BAD_PASSWORD,          /* wrong password for a PFX or an encrypted key */
    CC_E_NO_PRIVATE_KEY,        /* the certificate has no associated private key */
    CC_E_CA_NOT_READY,          /* the CA key or certificate is missing or does not match */
    CC_E_CA_CERT_TIME,          /* the CA certificate is not valid at the lab clock's now */
    CC_E_CERT_LINT,             /* what would be signed breaks an RFC 5280 rule (ca/certlint) */
    CC_ECONSTRAINT,             /* a change breaks a rule of the database (unique, foreign key) */
    CC_STATUS_COUNT
};

/* The message for a status, never NULL. */
const char *cc_strerror(int status);
/* The short name ("CERTSRV_E_TEMPLATE_DENIED", "EINVAL", ...). */
const char *cc_status_name(int status);
/* The AD CS HRESULT for a status, or 0 where none applies. */
uint32_t cc_hresult(int status);
/* The status whose HRESULT is hr, or -1. */
int cc_status_from_hresult(uint32_t hr);

#endif
