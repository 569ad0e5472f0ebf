/*
 * The one table of status codes, their HRESULTs and messages. Messages for
 * AD CS codes follow the wording certsrv shows, so a trainer comparing with
 * Windows recognises them.
 */
#include "config.h"

#include <stddef.h>

#include "status.h"

struct status_info {
    const char *name;
    uint32_t hresult;
    const char *message;
};

static const struct status_info status_table[CC_STATUS_COUNT] = {
    [CC_OK] = {"OK", 0, "The operation completed successfully."},
    [CC_ENOMEM] = {"ENOMEM", 0x8007000E, "Not enough memory."},
    [CC_EIO] = {"EIO", 0, "A file could not be read or written."},
    [CC_EDB] = {"EDB", 0, "The database refused the operation."},
    [CC_EINVAL] = {"EINVAL", 0x80070057, "The value is not allowed."},
    [CC_ENOTFOUND] = {"ENOTFOUND", 0x80070002, "Not found."},
    [CC_EEXIST] = {"EEXIST", 0x800700B7, "The name is already in use."},
    [CC_EACCES] = {"EACCES", 0x80070005, "Access is denied."},
    [CC_ECONFLICT] = {"ECONFLICT", 0,
                      "Another administrator changed this object since you opened it."},
    [CC_EREADONLY] = {"EREADONLY", 0, "This object cannot be changed."},
    [CC_ECRYPTO] = {"ECRYPTO", 0x80090020, "A cryptographic operation failed."},
    [CC_ESCHEMA] = {"ESCHEMA", 0, "The database was created by a newer version of certcon."},
    [CC_EPARSE] = {"EPARSE", 0, "The file is not valid."},
    [CC_EBUSY] = {"EBUSY", 0, "The database is busy; try again."},
    [CC_ESTATE] = {"ESTATE", 0, "The operation is not possible in the object's current state."},
    [CC_E_BAD_REQUESTSUBJECT] = {"CERTSRV_E_BAD_REQUESTSUBJECT", 0x80094001,
                                 "The request subject name is invalid or too long."},
    [CC_E_NO_REQUEST] = {"CERTSRV_E_NO_REQUEST", 0x80094002, "The request does not exist."},
    [CC_E_BAD_REQUESTSTATUS] = {"CERTSRV_E_BAD_REQUESTSTATUS", 0x80094003,
                                "The request's current status does not allow this operation."},
    [CC_E_ENROLL_DENIED] = {"CERTSRV_E_ENROLL_DENIED", 0x80094011,
                            "The permissions on this certification authority do not allow the "
                            "current user to enroll for certificates."},
    [CC_E_TEMPLATE_DENIED] = {"CERTSRV_E_TEMPLATE_DENIED", 0x80094012,
                              "The permissions on the certificate template do not allow the "
                              "current user to enroll for this type of certificate."},
    [CC_E_ADMIN_DENIED_REQUEST] = {"CERTSRV_E_ADMIN_DENIED_REQUEST", 0x80094014,
                                   "The request was denied by a certificate manager or CA "
                                   "administrator."},
    [CC_E_UNSUPPORTED_CERT_TYPE] = {"CERTSRV_E_UNSUPPORTED_CERT_TYPE", 0x80094800,
                                    "The requested certificate template is not supported by "
                                    "this CA."},
    [CC_E_NO_CERT_TYPE] = {"CERTSRV_E_NO_CERT_TYPE", 0x80094801,
                           "The request contains no certificate template information."},
    [CC_E_TEMPLATE_CONFLICT] = {"CERTSRV_E_TEMPLATE_CONFLICT", 0x80094802,
                                "The request contains conflicting template information."},
    [CC_E_SUBJECT_ALT_NAME_REQUIRED] = {"CERTSRV_E_SUBJECT_ALT_NAME_REQUIRED", 0x80094803,
                                        "The request is missing a required Subject Alternate "
                                        "name extension."},
    [CC_E_ARCHIVED_KEY_REQUIRED] = {"CERTSRV_E_ARCHIVED_KEY_REQUIRED", 0x80094804,
                                    "The request is missing a required private key for "
                                    "archival by the server."},
    [CC_E_BAD_TEMPLATE_VERSION] = {"CERTSRV_E_BAD_TEMPLATE_VERSION", 0x80094807,
                                   "The request template version is newer than the supported "
                                   "template version."},
    [CC_E_SIGNATURE_POLICY_REQUIRED] = {"CERTSRV_E_SIGNATURE_POLICY_REQUIRED", 0x80094809,
                                        "The certificate template requires too many RA "
                                        "signatures. Only one RA signature is allowed."},
    [CC_E_SIGNATURE_COUNT] = {"CERTSRV_E_SIGNATURE_COUNT", 0x8009480A,
                              "The request is missing one or more required signatures."},
    [CC_E_SIGNATURE_REJECTED] = {"CERTSRV_E_SIGNATURE_REJECTED", 0x8009480B,
                                 "One or more signatures did not include the required "
                                 "application or issuance policies."},
    [CC_E_SUBJECT_UPN_REQUIRED] = {"CERTSRV_E_SUBJECT_UPN_REQUIRED", 0x8009480D,
                                   "The UPN is unavailable and cannot be added to the Subject "
                                   "Alternate name."},
    [CC_E_SUBJECT_DIRECTORY_GUID_REQUIRED] = {"CERTSRV_E_SUBJECT_DIRECTORY_GUID_REQUIRED",
                                              0x8009480E,
                                              "The Active Directory GUID is unavailable and "
                                              "cannot be added to the Subject Alternate name."},
    [CC_E_SUBJECT_DNS_REQUIRED] = {"CERTSRV_E_SUBJECT_DNS_REQUIRED", 0x8009480F,
                                   "The DNS name is unavailable and cannot be added to the "
                                   "Subject Alternate name."},
    [CC_E_ARCHIVED_KEY_UNEXPECTED] = {"CERTSRV_E_ARCHIVED_KEY_UNEXPECTED", 0x80094810,
                                      "The request includes a private key for archival by the "
                                      "server, but key archival is not enabled."},
    [CC_E_KEY_LENGTH] = {"CERTSRV_E_KEY_LENGTH", 0x80094811,
                         "The public key does not meet the minimum size required by the "
                         "specified certificate template."},
    [CC_E_SUBJECT_EMAIL_REQUIRED] = {"CERTSRV_E_SUBJECT_EMAIL_REQUIRED", 0x80094812,
                                     "The email name is unavailable and cannot be added to "
                                     "the Subject or Subject Alternate name."},
    [CC_E_UNKNOWN_CERT_TYPE] = {"CERTSRV_E_UNKNOWN_CERT_TYPE", 0x80094813,
                                "One or more certificate templates to be enabled on this "
                                "certification authority could not be found."},
    [CC_E_RENEWAL_BAD_PUBLIC_KEY] = {"CERTSRV_E_RENEWAL_BAD_PUBLIC_KEY", 0x80094816,
                                     "The certificate template requires renewal with the same "
                                     "public key, but the request uses a different public "
                                     "key."},
    [CC_E_BAD_REQUEST] = {"NTE_BAD_DATA", 0x80090005, "The request is not a valid PKCS #10 "
                                                      "certificate request."},
    [CC_E_BAD_SIGNATURE] = {"NTE_BAD_SIGNATURE", 0x80090006,
                            "The request's signature does not verify."},
    [CC_E_WEAK_SIGNATURE] = {"CERT_E_WEAK_SIGNATURE", 0x80096004,
                             "The request is signed with a hash algorithm this CA refuses "
                             "(SHA-1 or weaker)."},
    [CC_E_CA_VERSION] = {"CERTSRV_E_UNSUPPORTED_CERT_TYPE", 0x80094800,
                         "The certificate template requires a newer certification authority "
                         "than this one."},
    [CC_E_STANDARD_EDITION] = {"CERTSRV_E_UNSUPPORTED_CERT_TYPE", 0x80094800,
                               "A Standard Edition CA cannot issue certificates from version 2 "
                               "or later templates; use an Enterprise Edition CA."},
    [CC_E_KEY_NOT_EXPORTABLE] = {"NTE_BAD_KEY_STATE", 0x8009000B,
                                 "The associated private key is marked as not exportable. "
                                 "Only the certificate can be exported."},
    [CC_E_BAD_PASSWORD] = {"ERROR_INVALID_PASSWORD", 0x80070056,
                           "The password is not correct."},
    [CC_E_NO_PRIVATE_KEY] = {"NTE_NO_KEY", 0x8009000D,
                             "The certificate has no associated private key."},
    [CC_E_CA_NOT_READY] = {"CERTSRV_E_SERVER_SUSPENDED", 0x80094015,
                           "The certification authority is not available: its key or "
                           "certificate is missing or does not match."},
    [CC_E_CA_CERT_TIME] = {"CERT_E_EXPIRED", 0x800B0101,
                           "The CA certificate is not within its validity period."},
    /* [U] AD CS has no code for a certificate its CA refuses to sign; CERT_E_MALFORMED is nearest */
    [CC_E_CERT_LINT] = {"CERT_E_MALFORMED", 0x800B0108,
                        "The certificate or CRL would break RFC 5280, so it was not signed."},
    [CC_ECONSTRAINT] = {"ECONSTRAINT", 0,
                        "The change conflicts with a record the database already holds."},
};

const char *
cc_strerror(int status)
{
    if (status < 0 || status >= CC_STATUS_COUNT || status_table[status].message == NULL)
        return "Unknown error.";
    return status_table[status].message;
}

const char *
cc_status_name(int status)
{
    if (status < 0 || status >= CC_STATUS_COUNT || status_table[status].name == NULL)
        return "UNKNOWN";
    return status_table[status].name;
}

uint32_t
cc_hresult(int status)
{
    if (status < 0 || status >= CC_STATUS_COUNT)
        return 0;
    return status_table[status].hresult;
}

int
cc_status_from_hresult(uint32_t hr)
{
    for (int i = 0; i < CC_STATUS_COUNT; i++)
        if (hr != 0 && status_table[i].hresult == hr)
            return i;
    return -1;
}
