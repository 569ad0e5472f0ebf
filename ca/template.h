/*
 * Certificate templates: the whole record of ADCS-SPEC §0.2 with the numeric
 * flags of §2, the built-ins loaded from data/templates, Duplicate Template,
 * every setting of every property-sheet tab (one table that the command line,
 * the console and the help read), validation, save with a revision check,
 * and libconfig import/export.
 *
 * Editing works on a draft: load a template, change it with template_set()
 * (which validates each setting), then template_save(), which succeeds only
 * if nobody changed the template since it was loaded, bumps the minor
 * revision and records every changed field in the audit log.
 */
#ifndef CERTCON_TEMPLATE_H
#define CERTCON_TEMPLATE_H

#include <stddef.h>
#include <stdint.h>

struct cc_ctx;

#include "acl.h"
#include "store.h"
#include "util.h"

/* flags (general), ADCS-SPEC §2.1 */
#define CT_FLAG_AUTO_ENROLLMENT        0x00000020u
#define CT_FLAG_MACHINE_TYPE           0x00000040u
#define CT_FLAG_IS_CA                  0x00000080u
#define CT_FLAG_ADD_TEMPLATE_NAME      0x00000200u
#define CT_FLAG_IS_CROSS_CA            0x00000800u
#define CT_FLAG_DONOTPERSISTINDB       0x00001000u
#define CT_FLAG_IS_DEFAULT             0x00010000u
#define CT_FLAG_IS_MODIFIED            0x00020000u

/* msPKI-Enrollment-Flag, §2.2 */
#define CT_ENROLL_INCLUDE_SYMMETRIC_ALGORITHMS 0x00000001u
#define CT_ENROLL_PEND_ALL_REQUESTS            0x00000002u
#define CT_ENROLL_PUBLISH_TO_KRA_CONTAINER     0x00000004u
#define CT_ENROLL_PUBLISH_TO_DS                0x00000008u
#define CT_ENROLL_AUTO_ENROLLMENT_CHECK_USER_DS_CERTIFICATE 0x00000010u
#define CT_ENROLL_AUTO_ENROLLMENT              0x00000020u
#define CT_ENROLL_PREVIOUS_APPROVAL_VALIDATE_REENROLLMENT 0x00000040u
#define CT_ENROLL_USER_INTERACTION_REQUIRED    0x00000100u
#define CT_ENROLL_REMOVE_INVALID_CERTIFICATE_FROM_PERSONAL_STORE 0x00000400u
#define CT_ENROLL_ALLOW_ENROLL_ON_BEHALF_OF    0x00000800u
#define CT_ENROLL_ADD_OCSP_NOCHECK             0x00001000u
#define CT_ENROLL_ENABLE_KEY_REUSE_ON_NT_TOKEN_KEYSET_STORAGE_FULL 0x00002000u
#define CT_ENROLL_NOREVOCATIONINFOINISSUEDCERTS 0x00004000u
#define CT_ENROLL_INCLUDE_BASIC_CONSTRAINTS_FOR_EE_CERTS 0x00008000u
#define CT_ENROLL_ALLOW_PREVIOUS_APPROVAL_KEYBASEDRENEWAL 0x00010000u
#define CT_ENROLL_ISSUANCE_POLICIES_FROM_REQUEST 0x00020000u
#define CT_ENROLL_SKIP_AUTO_RENEWAL            0x00040000u
#define CT_ENROLL_NO_SECURITY_EXTENSION        0x00080000u

/* msPKI-Private-Key-Flag, §2.3 */
#define CT_PK_REQUIRE_PRIVATE_KEY_ARCHIVAL     0x00000001u
#define CT_PK_EXPORTABLE_KEY                   0x00000010u
#define CT_PK_STRONG_KEY_PROTECTION_REQUIRED   0x00000020u
#define CT_PK_REQUIRE_ALTERNATE_SIGNATURE_ALGORITHM 0x00000040u
#define CT_PK_REQUIRE_SAME_KEY_RENEWAL         0x00000080u
#define CT_PK_USE_LEGACY_PROVIDER              0x00000100u
#define CT_PK_SERVER_VERSION_MASK              0x000F0000u
#define CT_PK_SERVER_VERSION_SHIFT             16
#define CT_PK_CLIENT_VERSION_MASK              0x0F000000u
#define CT_PK_CLIENT_VERSION_SHIFT             24

/* msPKI-Certificate-Name-Flag, §2.4 */
#define CT_NAME_ENROLLEE_SUPPLIES_SUBJECT      0x00000001u
#define CT_NAME_OLD_CERT_SUPPLIES_SUBJECT_AND_ALT_NAME 0x00000008u
#define CT_NAME_ENROLLEE_SUPPLIES_SUBJECT_ALT_NAME 0x00010000u
#define CT_NAME_SUBJECT_ALT_REQUIRE_DOMAIN_DNS 0x00400000u
#define CT_NAME_SUBJECT_ALT_REQUIRE_SPN        0x00800000u
#define CT_NAME_SUBJECT_ALT_REQUIRE_DIRECTORY_GUID 0x01000000u
#define CT_NAME_SUBJECT_ALT_REQUIRE_UPN        0x02000000u
#define CT_NAME_SUBJECT_ALT_REQUIRE_EMAIL      0x04000000u
#define CT_NAME_SUBJECT_ALT_REQUIRE_DNS        0x08000000u
#define CT_NAME_SUBJECT_REQUIRE_DNS_AS_CN      0x10000000u
#define CT_NAME_SUBJECT_REQUIRE_EMAIL          0x20000000u
#define CT_NAME_SUBJECT_REQUIRE_COMMON_NAME    0x40000000u
#define CT_NAME_SUBJECT_REQUIRE_DIRECTORY_PATH 0x80000000u

/* Key usage bits, identical to GnuTLS's GNUTLS_KEY_* values (§2.5.3). */
#define CT_KU_DIGITAL_SIGNATURE 0x80u
#define CT_KU_NON_REPUDIATION   0x40u
#define CT_KU_KEY_ENCIPHERMENT  0x20u
#define CT_KU_DATA_ENCIPHERMENT 0x10u
#define CT_KU_KEY_AGREEMENT     0x08u
#define CT_KU_KEY_CERT_SIGN     0x04u
#define CT_KU_CRL_SIGN          0x02u
#define CT_KU_ENCIPHER_ONLY     0x01u
#define CT_KU_DECIPHER_ONLY     0x8000u

#define OID_EXT_KEY_USAGE        "2.5.29.15"
#define OID_EXT_SAN              "2.5.29.17"
#define OID_EXT_BASIC_CONSTRAINTS "2.5.29.19"
#define OID_EXT_CERT_POLICIES    "2.5.29.32"
#define OID_EXT_EKU              "2.5.29.37"

/* Seconds in the display units (a year is 365 days, a month 30, as AD does). */
#define PERIOD_HOUR  3600LL
#define PERIOD_DAY   86400LL
#define PERIOD_WEEK  (7 * PERIOD_DAY)
#define PERIOD_MONTH (30 * PERIOD_DAY)
#define PERIOD_YEAR  (365 * PERIOD_DAY)

/* The Compatibility levels ("Certification Authority" drop-down). */
enum template_compat {
    COMPAT_NONE = 0, /* schema-1 built-ins */
    COMPAT_2003 = 1,
    COMPAT_2008 = 2,
    COMPAT_2008R2 = 3,
    COMPAT_2012 = 4,
    COMPAT_2012R2 = 5,
    COMPAT_2016 = 6,
};

struct template {
    int64_t id;                 /* 0 for a template not yet stored */
    char *cn;                   /* template name */
    char *display_name;
    char *oid;                  /* msPKI-Cert-Template-OID */
    int schema_version;         /* 1..4 */
    uint32_t revision;          /* major version */
    uint32_t minor_revision;
    uint32_t flags;
    uint32_t enrollment_flag;
    uint32_t private_key_flag;
    uint32_t name_flag;
    int key_spec;               /* 1 key exchange, 2 signature */
    unsigned key_usage;         /* GNUTLS_KEY_* bits */
    int max_issuing_depth;      /* -1: no pathLenConstraint */
    unsigned min_key_size;
    unsigned ra_signature;
    int64_t validity;           /* seconds */
    int64_t renewal;            /* seconds */
    struct strlist critical_extensions;
    struct strlist eku;         /* pKIExtendedKeyUsage */
    struct strlist csps;        /* "1,Microsoft RSA SChannel Cryptographic Provider" */
    struct strlist ra_policies;
    struct strlist ra_app_policies;
    struct strlist cert_policies;  /* issuance policies */
    struct strlist app_policies;   /* msPKI-Certificate-Application-Policy */
    struct strlist supersede;      /* cns this template supersedes */
    char *algorithm;               /* msPKI-Asymmetric-Algorithm (schema 3+); NULL or "": any */
    struct acl acl;
    int64_t change_count;       /* bumped by every save: the edit-conflict check */
    int64_t modified;           /* time of the last save */
};

void template_free(struct template *t);
int template_copy(struct template *dst, const struct template *src);

/* Loads by display name or template name (case-insensitive). */
int template_load(struct store *st, const char *name, struct template *out, char **cause);
int template_load_id(struct store *st, int64_t id, struct template *out, char **cause);
/* Every template, ordered by display name. */
int template_list(struct store *st, struct template **out, size_t *n, char **cause);
void template_list_free(struct template *list, size_t n);

/*
 * Duplicate Template: copies src as display_name (template name derived by
 * dropping blanks), schema and compatibility from compat, a new OID under the
 * forest OID, revision 100.0, IS_MODIFIED, and the new-duplicate ACL with the
 * acting account as creator. Needs Domain Admins or Enterprise Admins.
 */
int template_duplicate(const struct cc_ctx *cx, const char *src, const char *display_name,
                       enum template_compat compat, struct template *out, char **cause);
/*
 * The same duplicate as a draft that is not stored yet (id 0), for the
 * Properties of New Template dialog; template_create() stores it, and a
 * cancelled dialog leaves no trace.
 */
int template_duplicate_draft(const struct cc_ctx *cx, const char *src, const char *display_name,
                             enum template_compat compat, struct template *out, char **cause);
/* The template name Duplicate Template derives from a display name (blanks dropped); allocated. */
char *template_name_for(const char *display_name);
/* Stores a new template (id 0) after validating it; note goes to the audit log. */
int template_create(const struct cc_ctx *cx, struct template *t, const char *note, char **cause);

/* The setting table: every control of every tab. */
struct template_setting {
    const char *name;   /* "validity", "san-dns", ... */
    const char *tab;    /* "General", "Subject Name", ... */
    const char *values; /* "PERIOD (2y, 6w, 90d)", "yes|no", ... */
    const char *help;
};
const struct template_setting *template_settings(size_t *n);
/*
 * Changes one setting of a draft after checking the value; needs the store
 * only to resolve names (policies, superseded templates). Nothing is saved.
 */
int template_set(struct store *st, struct template *t, const char *setting, const char *value,
                 char **cause);
/* The current value of a setting as the command line shows it; allocated. */
char *template_get(struct store *st, const struct template *t, const char *setting);

/* Checks the whole draft: the rules a setting cannot check alone. */
int template_validate(struct store *st, const struct template *t, char **cause);

/*
 * Saves a draft loaded from the store: needs Write on the template (or only
 * Security changes on a schema-1 template), fails with ECONFLICT when the
 * stored change count differs from the draft's, bumps the minor revision,
 * audits each changed field. On success the draft is updated to the new
 * revision and change count.
 */
int template_save(const struct cc_ctx *cx, struct template *t, char **cause);
/*
 * Saves an editor's draft t, made from base (the template as the editor
 * loaded it), beside whatever others saved since: each setting the editor
 * changed is applied to the template as it is now (flag words bit by bit,
 * the ACL entry by entry), so edits of different settings both land. Only
 * when someone else changed the same setting to something else does it
 * fail, with ECONFLICT naming the setting. On success t is the template as
 * saved (others' changes included).
 */
int template_save_edit(const struct cc_ctx *cx, const struct template *base, struct template *t,
                       char **cause);
/* Reenroll All Certificate Holders: major revision + 1, minor 0. Needs Write. */
int template_reenroll_all(const struct cc_ctx *cx, const char *name, char **cause);
/* Deletes a non-built-in template. Needs Write and Domain/Enterprise Admins. */
int template_delete(const struct cc_ctx *cx, const char *name, char **cause);

/* Loads every .conf file of datadir/templates (init only). */
int template_load_builtins(const struct cc_ctx *cx, const char *datadir, char **cause);
/* libconfig text of a template (exact round trip with template_import). */
int template_export(struct store *st, const struct template *t, char **text, char **cause);
/* Imports a template file as a new template; the name must be free. */
int template_import(const struct cc_ctx *cx, const char *path, struct template *out, char **cause);

/* Periods: "2y", "6w", "90d", "12h", "1 year", "6 weeks"; seconds out. */
int template_period_parse(const char *s, int64_t *secs, char **cause);
/* "2 years", "6 weeks", "90 days" (largest unit dividing evenly); allocated. */
char *template_period_format(int64_t secs);
/* Compatibility names "2003", "2008", "2008r2", "2012", "2012r2", "2016". */
int template_compat_parse(const char *s, enum template_compat *out, char **cause);
const char *template_compat_name(enum template_compat c);
enum template_compat template_compat_of(const struct template *t);

/* Typed accessors for the rest of the core and the console. */
int template_is_machine(const struct template *t);
int template_is_builtin(const struct template *t);
int template_exportable(const struct template *t);
int template_subject_supplied(const struct template *t);
int template_needs_approval(const struct template *t);
/* "Encryption", "Signature", "Signature and encryption", "Signature and smartcard logon" */
const char *template_purpose_name(const struct template *t);
/* Intended purposes as display names joined by ", "; allocated. */
char *template_purposes(struct store *st, const struct template *t);
/* "4.1" */
char *template_version_string(const struct template *t);

/*
 * The Cryptography tab's key rule. The algorithm a schema 3+ template
 * names (RSA, ECDSA_P256, ECDH_P384, ..., Ed25519), or NULL when any
 * algorithm whose own size reaches the minimum key size will do.
 */
const char *template_algorithm(const struct template *t);
/* The key family (TEMPLATE_KEY_*) and curve size an algorithm name means. */
enum { TEMPLATE_KEY_ANY, TEMPLATE_KEY_RSA, TEMPLATE_KEY_EC, TEMPLATE_KEY_ED25519 };
int template_algorithm_key(const char *name, int *family, unsigned *bits);
/* What the template wants, for messages: "an RSA key of at least 2048 bits"; allocated. */
char *template_key_wanted(const struct template *t);
/*
 * Whether the template accepts a key of family (TEMPLATE_KEY_RSA, _EC,
 * _ED25519; _ANY for another kind) and size bits (the curve's for EC): its
 * algorithm, if it names one, and its minimum key size. The policy module refuses what this refuses.
 */
int template_key_accepts(const struct template *t, int family, unsigned bits);
/* The key type enrollment generates by default ("rsa:2048", "ecdsa:p256", ...). */
const char *template_default_key(const struct template *t);

#endif
