/*
 * The CA: creation at init, opening with a key self-test, Templates to
 * Issue, CA permissions and configuration. Everything that every issued
 * certificate shares (issuer name, signature algorithm, AKI, CDP, AIA) is
 * encoded once here, when the CA is opened, so issuing costs little more
 * than the signature.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/pkcs11.h>
#include <gnutls/x509-ext.h>

#include "audit.h"
#include "authority.h"
#include "authz.h"
#include "certstore.h"
#include "clock.h"
#include "context.h"
#include "directory.h"
#include "ops.h"
#include "request.h"
#include "status.h"
#include "template.h"

/* ADCS-SPEC 3: published on a freshly installed Enterprise CA. */
static const char *const default_templates[] = {
    "Administrator", "EFS", "EFSRecovery", "User", "Machine", "DomainController",
    "DomainControllerAuthentication", "DirectoryEmailReplication", "KerberosAuthentication",
    "WebServer", "SubCA",
};

/* ADCS-SPEC 5.1: the default CA security. */
static const struct {
    const char *principal;
    unsigned allow;
} default_acl[] = {
    {"Authenticated Users", CA_RIGHT_READ | CA_RIGHT_ENROLL},
    {"Administrators", CA_RIGHT_MANAGE | CA_RIGHT_OFFICER | CA_RIGHT_READ | CA_RIGHT_ENROLL},
    {"Domain Admins", CA_RIGHT_MANAGE | CA_RIGHT_OFFICER | CA_RIGHT_READ | CA_RIGHT_ENROLL},
    {"Enterprise Admins", CA_RIGHT_MANAGE | CA_RIGHT_OFFICER | CA_RIGHT_READ | CA_RIGHT_ENROLL},
};

static const struct {
    unsigned bit;
    const char *name;
} right_names[] = {
    {CA_RIGHT_READ, "Read"},
    {CA_RIGHT_OFFICER, "Issue and Manage Certificates"},
    {CA_RIGHT_MANAGE, "Manage CA"},
    {CA_RIGHT_ENROLL, "Request Certificates"},
    {CA_RIGHT_AUDIT, "Auditor"},
    {CA_RIGHT_BACKUP, "Backup Operator"},
};

static int
crypto_fail(char **cause, const char *what, int err)
{
    return cc_fail(cause, err == GNUTLS_E_MEMORY_ERROR ? CC_ENOMEM : CC_ECRYPTO, "%s: %s", what,
                   gnutls_strerror(err));
}

char *
authority_rights_format(unsigned rights)
{
    struct strlist l = {0};
    for (size_t i = 0; i < sizeof right_names / sizeof right_names[0]; i++)
        if (rights & right_names[i].bit)
            strlist_add(&l, right_names[i].name);
    char *s = strlist_join(&l, ", ");
    strlist_free(&l);
    return s;
}

char *
authority_key_path(struct store *st)
{
    return cc_asprintf("%s.ca-key.pem", store_path(st));
}

/* The key file named by key_ref, relative to the database's directory. */
static char *
key_file(struct store *st, const char *key_ref)
{
    if (key_ref[0] == '/')
        return cc_strdup(key_ref);
    char *copy = cc_strdup(store_path(st));
    if (copy == NULL)
        return NULL;
    char *p = cc_asprintf("%s/%s", dirname(copy), key_ref);
    free(copy);
    return p;
}

int
authority_key_mode(struct store *st, const struct authority_info *info, unsigned *mode,
                   char **cause)
{
    if (strncmp(info->key_ref, "pkcs11:", 7) == 0)
        return cc_fail(cause, CC_ENOTFOUND, "the CA key is in a PKCS #11 token");
    char *path = key_file(st, info->key_ref);
    if (path == NULL)
        return CC_ENOMEM;
    struct stat sb;
    int rc = CC_OK;
    if (stat(path, &sb) != 0)
        rc = cc_fail(cause, CC_EIO, "the CA key %s: %s", path, strerror(errno));
    else
        *mode = (unsigned)(sb.st_mode & 07777);
    free(path);
    return rc;
}

static int
read_file(const char *path, struct pkix_buf *out, char **cause)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return cc_fail(cause, CC_EIO, "cannot read %s: %s", path, strerror(errno));
    unsigned char buf[8192];
    size_t r;
    int rc = CC_OK;
    while (rc == CC_OK && (r = fread(buf, 1, sizeof buf, f)) > 0)
        rc = pkix_buf_append(out, buf, r);
    if (ferror(f))
        rc = cc_fail(cause, CC_EIO, "cannot read %s: %s", path, strerror(errno));
    fclose(f);
    return rc;
}

static int
random_serial(unsigned char serial[16])
{
    do {
        if (cc_random(serial, 16) != CC_OK)
            return CC_EIO;
        serial[0] &= 0x7F; /* positive, and 16 bytes long */
    } while (serial[0] == 0);
    return CC_OK;
}

/*
 * A public key's algorithm and size. An EC key's size is read from its
 * curve: a key that came from a PKCS #11 token may report no bit count,
 * and the hash must still be the one its curve calls for.
 */
static int
pub_algorithm(gnutls_pubkey_t pub, unsigned *bits)
{
    *bits = 0;
    int pk = gnutls_pubkey_get_pk_algorithm(pub, bits);
    if (pk == GNUTLS_PK_ECDSA) {
        gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
        if (gnutls_pubkey_export_ecc_raw2(pub, &curve, NULL, NULL, 0) >= 0)
            *bits = curve == GNUTLS_ECC_CURVE_SECP521R1   ? 521
                    : curve == GNUTLS_ECC_CURVE_SECP384R1 ? 384
                    : curve == GNUTLS_ECC_CURVE_SECP256R1 ? 256
                                                          : *bits;
    }
    return pk;
}

/* The hash a CA key signs with: SHA-256, SHA-384 for P-384, SHA-512 for P-521. */
static gnutls_digest_algorithm_t
sign_digest(int pk, unsigned bits)
{
    if (pk == GNUTLS_PK_ECDSA)
        return bits > 384 ? GNUTLS_DIG_SHA512 : bits > 256 ? GNUTLS_DIG_SHA384 : GNUTLS_DIG_SHA256;
    if (pk == GNUTLS_PK_EDDSA_ED25519)
        return GNUTLS_DIG_SHA512;
    return GNUTLS_DIG_SHA256;
}

/* The signature algorithm the CA uses with its public key. */
static gnutls_sign_algorithm_t
sign_algorithm(gnutls_pubkey_t pub)
{
    unsigned bits = 0;
    int pk = pub_algorithm(pub, &bits);
    switch (pk) {
    case GNUTLS_PK_RSA:
        return GNUTLS_SIGN_RSA_SHA256;
    case GNUTLS_PK_ECDSA:
        return bits > 384   ? GNUTLS_SIGN_ECDSA_SHA512
               : bits > 256 ? GNUTLS_SIGN_ECDSA_SHA384
                            : GNUTLS_SIGN_ECDSA_SHA256;
    case GNUTLS_PK_EDDSA_ED25519:
        return GNUTLS_SIGN_EDDSA_ED25519;
    default:
        return GNUTLS_SIGN_UNKNOWN;
    }
}

char *
authority_key_description(const struct authority_info *info)
{
    gnutls_x509_crt_t crt = NULL;
    gnutls_pubkey_t pub = NULL;
    gnutls_datum_t d = {info->cert.p, (unsigned)info->cert.n};
    char *out = NULL;
    if (gnutls_x509_crt_init(&crt) >= 0 && gnutls_pubkey_init(&pub) >= 0 &&
        gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER) >= 0 &&
        gnutls_pubkey_import_x509(pub, crt, 0) >= 0) {
        unsigned bits = 0;
        int pk = pub_algorithm(pub, &bits);
        if (pk == GNUTLS_PK_ECDSA)
            out = cc_asprintf("ECDSA P-%u (%u bits)", bits, bits);
        else if (pk == GNUTLS_PK_EDDSA_ED25519)
            out = cc_asprintf("Ed25519 (%u bits)", bits);
        else
            out = cc_asprintf("%s (%u bits)",
                              gnutls_pk_get_name((gnutls_pk_algorithm_t)pk)
                                  ? gnutls_pk_get_name((gnutls_pk_algorithm_t)pk)
                                  : "unknown",
                              bits);
    }
    if (pub)
        gnutls_pubkey_deinit(pub);
    if (crt)
        gnutls_x509_crt_deinit(crt);
    return out;
}

static int
pin_callback(void *userdata, int attempt, const char *token_url, const char *token_label,
             unsigned int flags, char *pin, size_t pin_max)
{
    (void)token_url;
    (void)token_label;
    (void)flags;
    const char *p = userdata;
    if (p == NULL || attempt > 0 || strlen(p) >= pin_max)
        return GNUTLS_E_PKCS11_PIN_ERROR;
    strcpy(pin, p);
    return 0;
}

static int
pkcs11_setup(char **cause)
{
    static int done;
    const char *module = getenv("CERTCON_PKCS11_MODULE");
    if (done || module == NULL || *module == '\0')
        return CC_OK;
    int err = gnutls_pkcs11_init(GNUTLS_PKCS11_FLAG_MANUAL, NULL);
    if (err >= 0)
        err = gnutls_pkcs11_add_provider(module, NULL);
    if (err < 0)
        return cc_fail(cause, CC_ECRYPTO, "PKCS #11 module %s: %s", module,
                       gnutls_strerror(err));
    done = 1;
    return CC_OK;
}

static int
import_url_key(const char *url, const char *pin, gnutls_privkey_t *out, char **cause)
{
    if (pin == NULL || *pin == '\0')
        pin = getenv("CERTCON_PKCS11_PIN"); /* never stored: the URL may carry pin-source */
    int rc = pkcs11_setup(cause);
    if (rc != CC_OK)
        return rc;
    gnutls_privkey_t key;
    if (gnutls_privkey_init(&key) < 0)
        return CC_ENOMEM;
    gnutls_privkey_set_pin_function(key, pin_callback, (void *)pin);
    int err = gnutls_privkey_import_url(key, url, 0);
    if (err < 0) {
        gnutls_privkey_deinit(key);
        return cc_fail(cause, err == GNUTLS_E_PKCS11_PIN_ERROR ? CC_E_BAD_PASSWORD : CC_ECRYPTO,
                       "CA key %s: %s", url, gnutls_strerror(err));
    }
    *out = key;
    return CC_OK;
}

/* Passphrase from the environment: a file named by one variable, or another's value. */
static char *
env_passphrase(void)
{
    const char *file = getenv("CERTCON_CA_PASSPHRASE_FILE");
    if (file != NULL && *file != '\0') {
        struct pkix_buf b = {0};
        if (read_file(file, &b, NULL) != CC_OK)
            return NULL;
        while (b.n > 0 && (b.p[b.n - 1] == '\n' || b.p[b.n - 1] == '\r'))
            b.n--;
        char *s = malloc(b.n + 1);
        if (s) {
            memcpy(s, b.p, b.n);
            s[b.n] = '\0';
        }
        gnutls_memset(b.p, 0, b.n);
        pkix_buf_free(&b);
        return s;
    }
    return cc_strdup(getenv("CERTCON_CA_PASSPHRASE"));
}

static int
encode_algorithm(gnutls_sign_algorithm_t sign, struct pkix_buf *out, char **cause)
{
    asn1_node el;
    const char *oid = gnutls_sign_get_oid(sign);
    if (oid == NULL)
        return cc_fail(cause, CC_ECRYPTO, "no OID for signature algorithm %d", (int)sign);
    int rc = pkix_element("CertconPKIX.AlgorithmIdentifier", &el, cause);
    if (rc != CC_OK)
        return rc;
    static const unsigned char null_der[] = {0x05, 0x00};
    int is_rsa = gnutls_sign_get_pk_algorithm(sign) == GNUTLS_PK_RSA;
    if (asn1_write_value(el, "algorithm", oid, 1) != ASN1_SUCCESS ||
        asn1_write_value(el, "parameters", is_rsa ? null_der : NULL, is_rsa ? 2 : 0) !=
            ASN1_SUCCESS)
        rc = cc_fail(cause, CC_ECRYPTO, "signature algorithm %s cannot be encoded", oid);
    else
        rc = pkix_der(el, NULL, out, cause);
    asn1_delete_structure(&el);
    return rc;
}

static int
self_test(gnutls_privkey_t key, gnutls_pubkey_t pub, gnutls_sign_algorithm_t sign, char **cause)
{
    unsigned char challenge[32];
    if (cc_random(challenge, sizeof challenge) != CC_OK)
        return CC_EIO;
    gnutls_datum_t data = {challenge, sizeof challenge}, sig = {NULL, 0};
    int err = gnutls_privkey_sign_data2(key, sign, 0, &data, &sig);
    if (err >= 0)
        err = gnutls_pubkey_verify_data2(pub, sign, 0, &data, &sig);
    gnutls_free(sig.data);
    if (err < 0)
        return cc_fail(cause, CC_E_CA_NOT_READY,
                       "the CA key does not match the CA certificate (self-test: %s)",
                       gnutls_strerror(err));
    return CC_OK;
}

int
authority_exists(struct store *st)
{
    struct store_stmt *q;
    if (store_prepare(st, "SELECT 1 FROM ca WHERE id = 1", &q, NULL) != CC_OK)
        return 0;
    int found = store_step(q, NULL) == STORE_ROW;
    store_finalize(q);
    return found;
}

/* "ca1.contoso.com": the host's dNSHostName, else host.domain. */
static char *
host_fqdn(struct store *st, const char *host, const char *domain)
{
    struct dir_principal p = {0};
    char *s = NULL;
    if (dir_lookup(st, host, &p, NULL) == CC_OK && p.dns != NULL)
        s = cc_strdup(p.dns);
    dir_principal_free(&p);
    if (s == NULL)
        s = domain ? cc_asprintf("%s.%s", host, domain) : cc_strdup(host);
    for (char *c = s; c && *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    return s;
}

/* "CN=name,DC=contoso,DC=com" with RFC 4514 escaping of the CA name. */
static char *
ca_dn(const char *name, const char *domain)
{
    struct pkix_buf b = {0};
    pkix_buf_append(&b, "CN=", 3);
    for (const char *c = name; *c; c++) {
        if (strchr(",+\"\\<>;=", *c) || (c == name && (*c == '#' || *c == ' ')))
            pkix_buf_append(&b, "\\", 1);
        pkix_buf_append(&b, c, 1);
    }
    if (domain != NULL) {
        char *copy = cc_strdup(domain);
        for (char *tok = strtok(copy, "."); tok; tok = strtok(NULL, ".")) {
            pkix_buf_append(&b, ",DC=", 4);
            pkix_buf_append(&b, tok, strlen(tok));
        }
        free(copy);
    }
    pkix_buf_append(&b, "", 1);
    return (char *)b.p;
}

static int
make_ca_cert(gnutls_privkey_t key, gnutls_pubkey_t pub, const char *dn, int years, time_t now,
             struct pkix_buf *der, char **cause)
{
    gnutls_x509_crt_t crt;
    unsigned char serial[16], id[64];
    size_t idlen = sizeof id;
    const char *e = NULL;
    int err, rc = CC_OK;
    if ((err = gnutls_x509_crt_init(&crt)) < 0)
        return crypto_fail(cause, "CA certificate", err);
    if (random_serial(serial) != CC_OK) {
        rc = cc_fail(cause, CC_EIO, "no random bytes for the serial number");
        goto out;
    }
    if ((err = gnutls_x509_crt_set_version(crt, 3)) < 0 ||
        (err = gnutls_x509_crt_set_serial(crt, serial, sizeof serial)) < 0 ||
        (err = gnutls_x509_crt_set_pubkey(crt, pub)) < 0 ||
        (err = gnutls_x509_crt_set_activation_time(crt, now)) < 0 ||
        (err = gnutls_x509_crt_set_expiration_time(crt, now + (time_t)years * 365 * 86400)) <
            0 ||
        (err = gnutls_x509_crt_set_basic_constraints(crt, 1, -1)) < 0 ||
        (err = gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE |
                                                      GNUTLS_KEY_KEY_CERT_SIGN |
                                                      GNUTLS_KEY_CRL_SIGN)) < 0 ||
        (err = gnutls_pubkey_get_key_id(pub, GNUTLS_KEYID_USE_SHA1, id, &idlen)) < 0 ||
        (err = gnutls_x509_crt_set_subject_key_id(crt, id, idlen)) < 0) {
        rc = crypto_fail(cause, "CA certificate", err);
        goto out;
    }
    if ((err = gnutls_x509_crt_set_dn(crt, dn, &e)) < 0 ||
        (err = gnutls_x509_crt_set_issuer_dn(crt, dn, &e)) < 0) {
        rc = cc_fail(cause, CC_EINVAL, "CA name '%s' is not usable in a certificate", dn);
        goto out;
    }
    /* CA Version (1.3.6.1.4.1.311.21.1) = 0, as a new Windows CA writes it */
    static const unsigned char ca_version[] = {0x02, 0x01, 0x00};
    if ((err = gnutls_x509_crt_set_extension_by_oid(crt, "1.3.6.1.4.1.311.21.1", ca_version,
                                                    sizeof ca_version, 0)) < 0) {
        rc = crypto_fail(cause, "CA certificate", err);
        goto out;
    }
    /* the self-signature uses the hash of every later signature (a token key too) */
    unsigned bits = 0;
    int pk = pub_algorithm(pub, &bits);
    gnutls_digest_algorithm_t dig = sign_digest(pk, bits);
    if ((err = gnutls_x509_crt_privkey_sign(crt, crt, key, dig, 0)) < 0) {
        rc = crypto_fail(cause, "signing the CA certificate", err);
        goto out;
    }
    gnutls_datum_t d;
    if ((err = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &d)) < 0) {
        rc = crypto_fail(cause, "CA certificate", err);
        goto out;
    }
    rc = pkix_buf_set(der, d.data, d.size);
    gnutls_free(d.data);
out:
    gnutls_x509_crt_deinit(crt);
    return rc;
}

static int permission_write(struct store *st, int64_t principal, unsigned allow, unsigned deny,
                            char **cause);

static int
insert_defaults(const struct cc_ctx *cx, const char *edition, char **cause)
{
    struct store *st = cx->st;
    struct store_stmt *q;
    /* a Standard Edition CA cannot issue version 2 or later templates: not by default either */
    /* standard SQL: a template already to issue is left as it is (checked in the transaction) */
    int rc = store_prepare(st,
                           "INSERT INTO ca_template (cn, added) "
                           "SELECT t.cn, ? FROM template t WHERE t.cn = ? AND "
                           "(t.schema_version = 1 OR ? = 0) AND "
                           "NOT EXISTS (SELECT 1 FROM ca_template c WHERE c.cn = t.cn)",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    for (size_t i = 0; i < sizeof default_templates / sizeof default_templates[0]; i++) {
        store_reset(q);
        store_bind_int64(q, 1, (int64_t)ctx_now(cx));
        store_bind_text(q, 2, default_templates[i]);
        store_bind_int(q, 3, cc_strcaseeq(edition, "Standard"));
        if (store_step(q, NULL) != STORE_DONE) {
            rc = store_error(st, cause);
            break;
        }
    }
    store_finalize(q);
    for (size_t i = 0; rc == CC_OK && i < sizeof default_acl / sizeof default_acl[0]; i++) {
        struct dir_principal p = {0};
        if (dir_lookup(st, default_acl[i].principal, &p, NULL) == CC_OK)
            rc = permission_write(st, p.id, default_acl[i].allow, 0, cause);
        dir_principal_free(&p);
    }
    return rc;
}

int
authority_create(const struct cc_ctx *cx, const struct authority_params *p, char **cause)
{
    struct store *st = cx->st;
    gnutls_x509_privkey_t xkey = NULL;
    gnutls_privkey_t key = NULL;
    gnutls_pubkey_t pub = NULL;
    struct pkix_buf cert = {0};
    struct dir_domain dom = {0};
    char *dn = NULL, *fqdn = NULL, *base = NULL, *keypath = NULL, *keyref = NULL;
    const char *edition = p->edition ? p->edition : "Enterprise";
    const char *key_type = p->key_type ? p->key_type : "rsa:2048";
    int err, rc, key_written = 0;

    if (authority_exists(st))
        return cc_fail(cause, CC_EEXIST, "this database already has a CA");
    if (p->name == NULL || *p->name == '\0' || strlen(p->name) > 64)
        return cc_fail(cause, CC_EINVAL, "a CA name of 1 to 64 characters is needed");
    if (!cc_strcaseeq(edition, "Enterprise") && !cc_strcaseeq(edition, "Standard"))
        return cc_fail(cause, CC_EINVAL, "CA edition '%s' is neither Enterprise nor Standard",
                       edition);
    edition = cc_strcaseeq(edition, "Standard") ? "Standard" : "Enterprise";
    if (p->key_url != NULL && strncmp(p->key_url, "pkcs11:", 7) != 0)
        return cc_fail(cause, CC_EINVAL, "CA key URL '%s' is not a pkcs11: URL", p->key_url);
    if (p->key_url != NULL && strcasestr(p->key_url, "pin-value") != NULL)
        /* the URL is stored in the database: a PIN in it would be readable by every reader */
        return cc_fail(cause, CC_EINVAL,
                       "the CA key URL holds pin-value: the PIN would be stored in the "
                       "database. Put pin-source=FILE in the URL, or the PIN in the "
                       "environment variable CERTCON_PKCS11_PIN");
    int have_domain = dir_domain_get(st, &dom, NULL) == CC_OK;
    const char *host = p->host ? p->host : "CA1";

    if (p->key_url != NULL) {
        if ((rc = import_url_key(p->key_url, p->passphrase, &key, cause)) != CC_OK)
            goto out;
        if ((err = gnutls_pubkey_init(&pub)) < 0 ||
            (err = gnutls_pubkey_import_privkey(pub, key, 0, 0)) < 0) {
            rc = crypto_fail(cause, "public key of the token key", err);
            goto out;
        }
        key_type = "pkcs11";
        keyref = cc_strdup(p->key_url);
    } else {
        if ((rc = request_key_generate(key_type, &xkey, cause)) != CC_OK)
            goto out;
        gnutls_datum_t pem;
        err = gnutls_x509_privkey_export2_pkcs8(
            xkey, GNUTLS_X509_FMT_PEM, p->passphrase,
            p->passphrase ? GNUTLS_PKCS_PBES2_AES_256 : GNUTLS_PKCS_PLAIN, &pem);
        if (err < 0) {
            rc = crypto_fail(cause, "exporting the CA key", err);
            goto out;
        }
        keypath = authority_key_path(st);
        rc = keypath ? cc_write_file(keypath, pem.data, pem.size, 0600, 0, cause) : CC_ENOMEM;
        gnutls_memset(pem.data, 0, pem.size);
        gnutls_free(pem.data);
        if (rc != CC_OK)
            goto out;
        key_written = 1;
        char *copy = cc_strdup(keypath);
        keyref = cc_strdup(basename(copy));
        free(copy);
        if ((err = gnutls_privkey_init(&key)) < 0 ||
            (err = gnutls_privkey_import_x509(key, xkey, GNUTLS_PRIVKEY_IMPORT_COPY)) < 0 ||
            (err = gnutls_pubkey_init(&pub)) < 0 ||
            (err = gnutls_pubkey_import_privkey(pub, key, 0, 0)) < 0) {
            rc = crypto_fail(cause, "CA key", err);
            goto out;
        }
    }
    dn = ca_dn(p->name, have_domain ? dom.dns : NULL);
    rc = make_ca_cert(key, pub, dn, p->years > 0 ? p->years : 5, ctx_now(cx), &cert, cause);
    if (rc != CC_OK)
        goto out;
    gnutls_sign_algorithm_t sign = sign_algorithm(pub);
    if ((rc = self_test(key, pub, sign, cause)) != CC_OK)
        goto out;

    fqdn = host_fqdn(st, host, have_domain ? dom.dns : NULL);
    if (fqdn == NULL || keyref == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    /* the CDP and AIA URLs follow the base URL the service answers at (src/http.c) */
    char *lab = NULL;
    int is_lab = store_meta_get(st, "lab", &lab) == CC_OK && lab != NULL;
    free(lab);
    if (p->base_url != NULL && (rc = authority_base_url_check(p->base_url, cause)) != CC_OK)
        goto out;
    base = p->base_url ? cc_strdup(p->base_url)
           : is_lab    ? cc_strdup(AUTHORITY_LAB_BASE_URL)
                       : cc_asprintf("http://%s", fqdn);
    if (base == NULL) {
        rc = CC_ENOMEM;
        goto out;
    }
    if ((rc = store_begin(st, cause)) != CC_OK)
        goto out;
    struct store_stmt *q;
    rc = store_prepare(st,
                       "INSERT INTO ca (id, name, host, edition, version, key_ref, key_type, "
                       "key_encrypted, cert, validity_cap, cdp_url, aia_url, crl_period, "
                       "created, base_url, delta_period) "
                       "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       &q, cause);
    if (rc == CC_OK) {
        store_bind_text(q, 1, p->name);
        store_bind_text(q, 2, host);
        store_bind_text(q, 3, edition);
        store_bind_int(q, 4, AUTHORITY_VERSION);
        store_bind_text(q, 5, keyref);
        store_bind_text(q, 6, key_type);
        store_bind_int(q, 7, p->passphrase != NULL && p->key_url == NULL);
        store_bind_blob(q, 8, cert.p, cert.n);
        store_bind_int64(q, 9, 2 * PERIOD_YEAR);
        store_bind_text(q, 10, AUTHORITY_URL_AUTO);
        store_bind_text(q, 11, AUTHORITY_URL_AUTO);
        store_bind_int64(q, 12, PERIOD_WEEK);
        store_bind_int64(q, 13, (int64_t)ctx_now(cx));
        store_bind_text(q, 14, base);
        store_bind_int64(q, 15, PERIOD_DAY);
        rc = store_run(q, cause);
        store_finalize(q);
    }
    if (rc == CC_OK)
        rc = insert_defaults(cx, edition, cause);
    if (rc == CC_OK)
        rc = certstore_add_enterprise(cx, CERTSTORE_ROOT, cert.p, cert.n, cause);
    if (rc == CC_OK)
        rc = audit_record(cx, "ca", p->name, "create", NULL, dn, cause);
    if (rc == CC_OK)
        rc = store_commit(st, cause);
    else
        store_rollback(st);
out:
    if (rc != CC_OK && key_written)
        unlink(keypath);
    if (xkey)
        gnutls_x509_privkey_deinit(xkey);
    if (key)
        gnutls_privkey_deinit(key);
    if (pub)
        gnutls_pubkey_deinit(pub);
    pkix_buf_free(&cert);
    if (have_domain)
        dir_domain_free(&dom);
    free(dn);
    free(fqdn);
    free(base);
    free(keypath);
    free(keyref);
    return rc;
}

void
authority_info_free(struct authority_info *info)
{
    if (info == NULL)
        return;
    free(info->name);
    free(info->host);
    free(info->edition);
    free(info->key_ref);
    free(info->key_type);
    free(info->cdp_url);
    free(info->aia_url);
    free(info->base_url);
    pkix_buf_free(&info->cert);
    memset(info, 0, sizeof *info);
}

static char *
col_text(struct store_stmt *q, int i)
{
    const char *s = store_col_text(q, i);
    return strdup(s ? s : "");
}

int
authority_info_load(struct store *st, struct authority_info *out, char **cause)
{
    struct store_stmt *q;
    memset(out, 0, sizeof *out);
    int rc = store_prepare(st,
                           "SELECT name, host, edition, version, key_ref, key_type, "
                           "key_encrypted, cert, validity_cap, cdp_url, aia_url, crl_period, "
                           "crl_number, created, base_url, delta_period, publish_on_revoke "
                           "FROM ca WHERE id = 1",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    if (store_step(q, NULL) != STORE_ROW) {
        store_finalize(q);
        return cc_fail(cause, CC_E_CA_NOT_READY,
                       "this database has no certification authority; create one with "
                       "'certcon init'");
    }
    out->name = col_text(q, 0);
    out->host = col_text(q, 1);
    out->edition = col_text(q, 2);
    out->version = store_col_int(q, 3);
    out->key_ref = col_text(q, 4);
    out->key_type = col_text(q, 5);
    out->key_encrypted = store_col_int(q, 6);
    size_t cert_n;
    const void *cert = store_col_blob(q, 7, &cert_n);
    rc = pkix_buf_set(&out->cert, cert, cert_n);
    out->validity_cap = store_col_int64(q, 8);
    out->cdp_url = col_text(q, 9);
    out->aia_url = col_text(q, 10);
    out->crl_period = store_col_int64(q, 11);
    out->crl_number = store_col_int64(q, 12);
    out->created = (time_t)store_col_int64(q, 13);
    out->base_url = col_text(q, 14);
    out->delta_period = store_col_int64(q, 15);
    out->publish_on_revoke = store_col_int(q, 16);
    store_finalize(q);
    if (rc != CC_OK || !out->name || !out->host || !out->edition || !out->key_ref ||
        !out->key_type || !out->cdp_url || !out->aia_url || !out->base_url) {
        authority_info_free(out);
        return CC_ENOMEM;
    }
    gnutls_x509_crt_t crt;
    gnutls_datum_t d = {out->cert.p, (unsigned)out->cert.n};
    int err = gnutls_x509_crt_init(&crt);
    if (err >= 0) {
        if ((err = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER)) >= 0) {
            out->not_before = gnutls_x509_crt_get_activation_time(crt);
            out->not_after = gnutls_x509_crt_get_expiration_time(crt);
        }
        gnutls_x509_crt_deinit(crt);
    }
    if (err < 0 || out->not_before == (time_t)-1 || out->not_after == (time_t)-1) {
        authority_info_free(out);
        return cc_fail(cause, CC_E_CA_NOT_READY, "the CA certificate is not usable: %s",
                       err < 0 ? gnutls_strerror(err) : "no validity period");
    }
    return CC_OK;
}

int
authority_check_time(const struct authority_info *ca, time_t now, char **cause)
{
    if (now >= ca->not_before && now < ca->not_after)
        return CC_OK;
    char at[32], from[32], to[32];
    cc_time_format(now, at, sizeof at);
    cc_time_format(ca->not_before, from, sizeof from);
    cc_time_format(ca->not_after, to, sizeof to);
    return cc_fail(cause, CC_E_CA_CERT_TIME,
                   "The CA certificate of %s is %s at %s: it is valid from %s to %s.", ca->name,
                   now < ca->not_before ? "not yet valid" : "expired", at, from, to);
}

int
authority_validity(const struct authority_info *ca, int64_t period, time_t now,
                   time_t *not_before, time_t *not_after, enum authority_end *end, char **cause)
{
    int rc = authority_check_time(ca, now, cause);
    if (rc != CC_OK)
        return rc;
    time_t nb = now - AUTHORITY_CLOCK_SKEW, na = now + (time_t)period;
    enum authority_end why = AUTHORITY_END_PERIOD;
    if (nb < ca->not_before)
        nb = ca->not_before;
    if (ca->validity_cap > 0 && na > now + (time_t)ca->validity_cap) {
        na = now + (time_t)ca->validity_cap;
        why = AUTHORITY_END_CAP;
    }
    if (na > ca->not_after) {
        na = ca->not_after;
        why = AUTHORITY_END_CA;
    }
    *not_before = nb;
    *not_after = na;
    if (end != NULL)
        *end = why;
    return CC_OK;
}

static int
load_key(struct store *st, struct authority *ca, const char *passphrase, char **cause)
{
    const struct authority_info *info = &ca->info;
    char *pass = passphrase ? cc_strdup(passphrase) : env_passphrase();
    int rc, err;
    if (strncmp(info->key_ref, "pkcs11:", 7) == 0) {
        rc = import_url_key(info->key_ref, pass, &ca->key, cause);
        free(pass);
        return rc;
    }
    char *path = key_file(st, info->key_ref);
    struct pkix_buf pem = {0};
    unsigned mode = 0;
    if (path != NULL && authority_key_mode(st, info, &mode, NULL) == CC_OK && (mode & 077) != 0) {
        /* as ssh does with private keys: a key others can read is no longer the CA's alone */
        rc = cc_fail(cause, CC_EACCES,
                     "CA key %s is %s by group or others (mode %04o): run chmod 600 %s", path,
                     (mode & 044) ? "readable" : "writable", mode, path);
        goto out;
    }
    rc = path ? read_file(path, &pem, cause) : CC_ENOMEM;
    if (rc != CC_OK) {
        rc = cc_fail(cause, CC_E_CA_NOT_READY, "the CA key %s cannot be read: %s",
                     path ? path : "?", strerror(errno));
        goto out;
    }
    if (info->key_encrypted && (pass == NULL || *pass == '\0')) {
        rc = cc_fail(cause, CC_E_BAD_PASSWORD,
                     "the CA key %s is encrypted: give its passphrase in the file named by "
                     "CERTCON_CA_PASSPHRASE_FILE (or in CERTCON_CA_PASSPHRASE)",
                     path);
        goto out;
    }
    gnutls_x509_privkey_t xkey;
    gnutls_datum_t d = {pem.p, (unsigned)pem.n};
    if (gnutls_x509_privkey_init(&xkey) < 0) {
        rc = CC_ENOMEM;
        goto out;
    }
    err = gnutls_x509_privkey_import2(xkey, &d, GNUTLS_X509_FMT_PEM,
                                      info->key_encrypted ? pass : NULL,
                                      info->key_encrypted ? 0 : GNUTLS_PKCS_PLAIN);
    if (err < 0) {
        gnutls_x509_privkey_deinit(xkey);
        rc = err == GNUTLS_E_DECRYPTION_FAILED
                 ? cc_fail(cause, CC_E_BAD_PASSWORD, "the CA key passphrase is wrong")
                 : cc_fail(cause, CC_E_CA_NOT_READY, "the CA key %s is not usable: %s", path,
                           gnutls_strerror(err));
        goto out;
    }
    if ((err = gnutls_privkey_init(&ca->key)) < 0 ||
        (err = gnutls_privkey_import_x509(ca->key, xkey, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE)) <
            0) {
        gnutls_x509_privkey_deinit(xkey);
        rc = crypto_fail(cause, "CA key", err);
    }
out:
    if (pem.p)
        gnutls_memset(pem.p, 0, pem.n);
    pkix_buf_free(&pem);
    if (pass) {
        gnutls_memset(pass, 0, strlen(pass));
        free(pass);
    }
    free(path);
    return rc;
}

char *
authority_host_fqdn(struct store *st, const struct authority_info *info)
{
    struct dir_domain dom = {0};
    int have = dir_domain_get(st, &dom, NULL) == CC_OK;
    char *s = host_fqdn(st, info->host, have ? dom.dns : NULL);
    if (have)
        dir_domain_free(&dom);
    return s;
}

char *
authority_base_host(const struct authority_info *info)
{
    const char *p = strstr(info->base_url, "://");
    if (p == NULL)
        return NULL;
    p += 3;
    size_t n = strcspn(p, "/");
    if (*p == '[') { /* [::1]:8443 */
        const char *end = memchr(p, ']', n);
        return end ? cc_asprintf("%.*s", (int)(end - p - 1), p + 1) : NULL;
    }
    const char *colon = memchr(p, ':', n);
    if (colon)
        n = (size_t)(colon - p);
    return n ? cc_asprintf("%.*s", (int)n, p) : NULL;
}

char *
authority_url_name(const char *name)
{
    struct pkix_buf b = {0};
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        char esc[4];
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
            strchr("-._~", *c) != NULL)
            snprintf(esc, sizeof esc, "%c", *c);
        else
            snprintf(esc, sizeof esc, "%%%02X", *c);
        if (pkix_buf_append(&b, esc, strlen(esc)) != CC_OK) {
            pkix_buf_free(&b);
            return NULL;
        }
    }
    if (pkix_buf_append(&b, "", 1) != CC_OK) {
        pkix_buf_free(&b);
        return NULL;
    }
    return (char *)b.p;
}

int
authority_base_url_check(const char *url, char **cause)
{
    size_t scheme = strncmp(url, "http://", 7) == 0 ? 7 : strncmp(url, "https://", 8) == 0 ? 8 : 0;
    if (scheme == 0)
        return cc_fail(cause, CC_EINVAL,
                       "base URL '%s' must start with http:// or https:// (e.g. "
                       "http://pki.contoso.com)", url);
    for (const unsigned char *c = (const unsigned char *)url; *c; c++)
        if (*c <= ' ' || *c >= 0x7f)
            return cc_fail(cause, CC_EINVAL,
                           "base URL '%s' holds a space or a character that is not ASCII: "
                           "percent-encode it", url);
    if (strpbrk(url, "?#") != NULL)
        return cc_fail(cause, CC_EINVAL,
                       "base URL '%s' has a query or fragment: the CRL and certificate paths "
                       "are appended to it, so give only scheme, host, port and path", url);
    const char *host = url + scheme;
    size_t hlen = strcspn(host, "/");
    if (memchr(host, '@', hlen) != NULL)
        return cc_fail(cause, CC_EINVAL, "base URL '%s' names a user: leave it out", url);
    const char *port = host[0] == '[' ? memchr(host, ']', hlen) : host;
    if (hlen == 0 || port == NULL || (host[0] == '[' && port == host + 1) ||
        (host[0] != '[' && (host[0] == ':')))
        return cc_fail(cause, CC_EINVAL, "base URL '%s' names no host", url);
    const char *colon = memchr(port, ':', hlen - (size_t)(port - host));
    if (colon != NULL) {
        size_t n = hlen - (size_t)(colon + 1 - host);
        long v = 0;
        for (size_t i = 0; i < n; i++) {
            if (colon[1 + i] < '0' || colon[1 + i] > '9' || (v = v * 10 + colon[1 + i] - '0') > 65535)
                return cc_fail(cause, CC_EINVAL, "base URL '%s' has a bad port", url);
        }
        if (n == 0 || v == 0)
            return cc_fail(cause, CC_EINVAL, "base URL '%s' has a bad port", url);
    }
    return CC_OK;
}

void
authority_urls_free(struct authority_urls *u)
{
    free(u->cdp);
    free(u->delta);
    free(u->ca_issuers);
    free(u->ocsp);
    memset(u, 0, sizeof *u);
}

int
authority_urls_get(const struct authority_info *info, struct authority_urls *out)
{
    memset(out, 0, sizeof *out);
    size_t blen = strlen(info->base_url);
    while (blen > 0 && info->base_url[blen - 1] == '/')
        blen--;
    int has_base = blen > 0;
    char *name = authority_url_name(info->name);
    if (name == NULL)
        return CC_ENOMEM;
    int oom = 0;
    if (strcmp(info->cdp_url, AUTHORITY_URL_AUTO) == 0) {
        if (has_base) {
            out->cdp = cc_asprintf("%.*s/crl/%s.crl", (int)blen, info->base_url, name);
            if (info->delta_period > 0)
                out->delta = cc_asprintf("%.*s/crl/%s+.crl", (int)blen, info->base_url, name);
            oom |= out->cdp == NULL || (info->delta_period > 0 && out->delta == NULL);
        }
    } else if (*info->cdp_url) {
        out->cdp = cc_strdup(info->cdp_url);
        /* AD CS names a delta CRL after its base with a '+' before .crl */
        size_t n = strlen(info->cdp_url);
        if (info->delta_period > 0 && n > 4 && strcasecmp(info->cdp_url + n - 4, ".crl") == 0 &&
            strncmp(info->cdp_url, "ldap:", 5) != 0) {
            out->delta = cc_asprintf("%.*s+.crl", (int)(n - 4), info->cdp_url);
            oom |= out->delta == NULL;
        }
        oom |= out->cdp == NULL;
    }
    if (strcmp(info->aia_url, AUTHORITY_URL_AUTO) == 0) {
        if (has_base) {
            out->ca_issuers = cc_asprintf("%.*s/aia/%s.crt", (int)blen, info->base_url, name);
            oom |= out->ca_issuers == NULL;
        }
    } else if (*info->aia_url) {
        out->ca_issuers = cc_strdup(info->aia_url);
        oom |= out->ca_issuers == NULL;
    }
    /* the OCSP responder lives at the base URL; an AIA left out leaves it out too */
    if (has_base && *info->aia_url) {
        out->ocsp = cc_asprintf("%.*s/ocsp", (int)blen, info->base_url);
        oom |= out->ocsp == NULL;
    }
    free(name);
    if (oom) {
        authority_urls_free(out);
        return CC_ENOMEM;
    }
    return CC_OK;
}

/* A CRLDistributionPoints value naming url, as an Extension TLV with oid. */
static int
dist_point_extension(const char *oid, const char *url, struct pkix_buf *out, char **cause)
{
    gnutls_x509_crl_dist_points_t cdp;
    gnutls_datum_t der = {NULL, 0}, u = {(unsigned char *)url, (unsigned)strlen(url)};
    int err = gnutls_x509_crl_dist_points_init(&cdp);
    if (err < 0)
        return CC_ENOMEM;
    err = gnutls_x509_crl_dist_points_set(cdp, GNUTLS_SAN_URI, &u, 0);
    if (err >= 0)
        err = gnutls_x509_ext_export_crl_dist_points(cdp, &der);
    gnutls_x509_crl_dist_points_deinit(cdp);
    if (err < 0)
        return crypto_fail(cause, "CRL distribution point", err);
    int rc = pkix_extension(oid, 0, der.data, der.size, out, cause);
    gnutls_free(der.data);
    return rc;
}

static int
url_extensions(struct authority *ca, char **cause)
{
    struct authority_urls u;
    int err, rc = authority_urls_get(&ca->info, &u);
    if (rc != CC_OK)
        return rc;
    if (u.cdp != NULL)
        rc = dist_point_extension("2.5.29.31", u.cdp, &ca->ext_cdp, cause);
    /* Freshest CRL (RFC 5280 4.2.1.15, 5.2.6): where the delta CRL is */
    if (rc == CC_OK && u.delta != NULL)
        rc = dist_point_extension("2.5.29.46", u.delta, &ca->ext_freshest, cause);
    if (rc == CC_OK && ca->ext_freshest.n)
        rc = pkix_buf_append(&ca->ext_cdp, ca->ext_freshest.p, ca->ext_freshest.n);
    if (rc == CC_OK && (u.ca_issuers != NULL || u.ocsp != NULL)) {
        gnutls_x509_aia_t aia;
        gnutls_datum_t out = {NULL, 0};
        if ((err = gnutls_x509_aia_init(&aia)) < 0) {
            authority_urls_free(&u);
            return CC_ENOMEM;
        }
        err = 0;
        if (u.ocsp != NULL) {
            gnutls_datum_t url = {(unsigned char *)u.ocsp, (unsigned)strlen(u.ocsp)};
            err = gnutls_x509_aia_set(aia, GNUTLS_OID_AD_OCSP, GNUTLS_SAN_URI, &url);
        }
        if (err >= 0 && u.ca_issuers != NULL) {
            gnutls_datum_t url = {(unsigned char *)u.ca_issuers, (unsigned)strlen(u.ca_issuers)};
            err = gnutls_x509_aia_set(aia, GNUTLS_OID_AD_CAISSUERS, GNUTLS_SAN_URI, &url);
        }
        if (err >= 0)
            err = gnutls_x509_ext_export_aia(aia, &out);
        gnutls_x509_aia_deinit(aia);
        if (err < 0)
            rc = crypto_fail(cause, "authority information access", err);
        else
            rc = pkix_extension("1.3.6.1.5.5.7.1.1", 0, out.data, out.size, &ca->ext_aia, cause);
        gnutls_free(out.data);
    }
    authority_urls_free(&u);
    return rc;
}

static int
prepare(struct authority *ca, char **cause)
{
    int err, rc;
    gnutls_datum_t d = {ca->info.cert.p, (unsigned)ca->info.cert.n};
    if ((err = gnutls_x509_crt_init(&ca->crt)) < 0 ||
        (err = gnutls_x509_crt_import(ca->crt, &d, GNUTLS_X509_FMT_DER)) < 0 ||
        (err = gnutls_pubkey_init(&ca->pub)) < 0 ||
        (err = gnutls_pubkey_import_x509(ca->pub, ca->crt, 0)) < 0)
        return cc_fail(cause, CC_E_CA_NOT_READY, "the CA certificate is not usable: %s",
                       gnutls_strerror(err));
    ca->sign = sign_algorithm(ca->pub);
    if (ca->sign == GNUTLS_SIGN_UNKNOWN)
        return cc_fail(cause, CC_E_CA_NOT_READY, "the CA key type is not supported");
    gnutls_datum_t dn;
    if ((err = gnutls_x509_crt_get_raw_dn(ca->crt, &dn)) < 0)
        return crypto_fail(cause, "CA name", err);
    rc = pkix_buf_set(&ca->issuer, dn.data, dn.size);
    gnutls_free(dn.data);
    if (rc != CC_OK)
        return rc;
    unsigned critical;
    ca->ski_len = sizeof ca->ski;
    if (gnutls_x509_crt_get_subject_key_id(ca->crt, ca->ski, &ca->ski_len, &critical) < 0) {
        ca->ski_len = sizeof ca->ski;
        if ((err = gnutls_pubkey_get_key_id(ca->pub, GNUTLS_KEYID_USE_SHA1, ca->ski,
                                            &ca->ski_len)) < 0)
            return crypto_fail(cause, "CA key identifier", err);
    }
    if ((rc = encode_algorithm(ca->sign, &ca->sigalg, cause)) != CC_OK)
        return rc;
    gnutls_x509_aki_t aki;
    gnutls_datum_t id = {ca->ski, (unsigned)ca->ski_len}, out;
    if (gnutls_x509_aki_init(&aki) < 0)
        return CC_ENOMEM;
    err = gnutls_x509_aki_set_id(aki, &id);
    if (err >= 0)
        err = gnutls_x509_ext_export_authority_key_id(aki, &out);
    gnutls_x509_aki_deinit(aki);
    if (err < 0)
        return crypto_fail(cause, "authority key identifier", err);
    rc = pkix_extension("2.5.29.35", 0, out.data, out.size, &ca->ext_aki, cause);
    gnutls_free(out.data);
    if (rc != CC_OK)
        return rc;
    return url_extensions(ca, cause);
}

int
authority_open(struct store *st, const char *passphrase, struct authority **out, char **cause)
{
    struct authority *ca = calloc(1, sizeof *ca);
    if (ca == NULL)
        return CC_ENOMEM;
    int rc = authority_info_load(st, &ca->info, cause);
    if (rc == CC_OK)
        rc = prepare(ca, cause);
    if (rc == CC_OK)
        rc = load_key(st, ca, passphrase, cause);
    if (rc == CC_OK)
        rc = self_test(ca->key, ca->pub, ca->sign, cause);
    if (rc != CC_OK) {
        authority_close(ca);
        return rc;
    }
    *out = ca;
    return CC_OK;
}

void
authority_close(struct authority *ca)
{
    if (ca == NULL)
        return;
    authority_info_free(&ca->info);
    if (ca->key)
        gnutls_privkey_deinit(ca->key);
    if (ca->pub)
        gnutls_pubkey_deinit(ca->pub);
    if (ca->crt)
        gnutls_x509_crt_deinit(ca->crt);
    pkix_buf_free(&ca->sigalg);
    pkix_buf_free(&ca->issuer);
    pkix_buf_free(&ca->ext_aki);
    pkix_buf_free(&ca->ext_cdp);
    pkix_buf_free(&ca->ext_aia);
    pkix_buf_free(&ca->ext_freshest);
    free(ca);
}

int
authority_sign(struct authority *ca, const void *data, size_t n, struct pkix_buf *sig,
               char **cause)
{
    gnutls_datum_t d = {(unsigned char *)data, (unsigned)n}, s;
    int err = gnutls_privkey_sign_data2(ca->key, ca->sign, 0, &d, &s);
    if (err < 0)
        return crypto_fail(cause, "signing with the CA key", err);
    int rc = pkix_buf_set(sig, s.data, s.size);
    gnutls_free(s.data);
    return rc;
}

/* --- Certificate Templates to Issue --- */

int
authority_template_enabled(struct store *st, const char *cn)
{
    struct store_stmt *q;
    if (store_prepare(st, "SELECT 1 FROM ca_template WHERE cn = ?", &q, NULL) != CC_OK)
        return 0;
    store_bind_text(q, 1, cn);
    int found = store_step(q, NULL) == STORE_ROW;
    store_finalize(q);
    return found;
}

int
authority_templates(struct store *st, struct strlist *cns, char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st, "SELECT cn FROM ca_template ORDER BY cn", &q, cause);
    if (rc != CC_OK)
        return rc;
    while (rc == CC_OK && store_step(q, NULL) == STORE_ROW)
        rc = strlist_add(cns, store_col_text(q, 0));
    store_finalize(q);
    return rc;
}

static int
edit_templates(const struct cc_ctx *cx, const char *name, int enable, char **cause)
{
    struct store *st = cx->st;
    struct authority_info info;
    struct template t = {0};
    char *why = NULL;
    int rc = authority_info_load(st, &info, cause);
    if (rc != CC_OK)
        return rc;
    rc = authority_require(cx, CA_RIGHT_MANAGE,
                           enable ? "enable a certificate template on the CA"
                                  : "disable a certificate template on the CA",
                           cause);
    if (rc != CC_OK)
        goto out;
    rc = template_load(st, name, &t, &why);
    if (rc == CC_ENOTFOUND && enable) {
        rc = cc_fail(cause, CC_E_UNKNOWN_CERT_TYPE, "no certificate template '%s'.%s%s", name,
                     why ? " " : "", why ? why : "");
        goto out;
    } else if (rc != CC_OK) {
        cc_fail(cause, rc, "%s", why ? why : cc_strerror(rc));
        goto out;
    }
    if (enable) {
        unsigned server = (t.private_key_flag & CT_PK_SERVER_VERSION_MASK) >>
                          CT_PK_SERVER_VERSION_SHIFT;
        if (cc_strcaseeq(info.edition, "Standard") && t.schema_version >= 2) {
            rc = cc_fail(cause, CC_E_STANDARD_EDITION,
                         "%s is a version %d template and %s is a Standard Edition CA.",
                         t.display_name, t.schema_version, info.name);
            goto out;
        }
        if (server > (unsigned)info.version) {
            rc = cc_fail(cause, CC_E_CA_VERSION,
                         "%s needs a CA of compatibility level %u; %s is level %d.",
                         t.display_name, server, info.name, info.version);
            goto out;
        }
    }
    int was = authority_template_enabled(st, t.cn);
    if (was == enable)
        goto out; /* nothing to change */
    if ((rc = store_begin(st, cause)) != CC_OK)
        goto out;
    struct store_stmt *q;
    rc = store_prepare(st,
                       enable ? "INSERT INTO ca_template (cn, added) VALUES (?, ?)"
                              : "DELETE FROM ca_template WHERE cn = ? AND ? IS NOT NULL",
                       &q, cause);
    if (rc == CC_OK) {
        store_bind_text(q, 1, t.cn);
        store_bind_int64(q, 2, (int64_t)ctx_now(cx));
        rc = store_run(q, cause);
        store_finalize(q);
    }
    if (rc == CC_OK)
        rc = audit_record(cx, "ca", info.name, "template to issue", enable ? NULL : t.cn,
                          enable ? t.cn : NULL, cause);
    if (rc == CC_OK)
        rc = store_commit(st, cause);
    else
        store_rollback(st);
out:
    free(why);
    template_free(&t);
    authority_info_free(&info);
    return rc;
}

int
authority_template_enable(const struct cc_ctx *cx, const char *name, char **cause)
{
    return edit_templates(cx, name, 1, cause);
}

int
authority_template_disable(const struct cc_ctx *cx, const char *name, char **cause)
{
    return edit_templates(cx, name, 0, cause);
}

/* --- CA permissions --- */

unsigned
authority_rights(struct store *st, const int64_t *token, size_t ntoken)
{
    struct store_stmt *q;
    unsigned allow = 0, deny = 0;
    if (store_prepare(st, "SELECT principal_id, allow, deny FROM ca_ace", &q, NULL) != CC_OK)
        return 0;
    while (store_step(q, NULL) == STORE_ROW) {
        int64_t id = store_col_int64(q, 0);
        for (size_t i = 0; i < ntoken; i++)
            if (token[i] == id) {
                allow |= (unsigned)store_col_int(q, 1);
                deny |= (unsigned)store_col_int(q, 2);
                break;
            }
    }
    store_finalize(q);
    return allow & ~deny;
}

/*
 * Core functions check their CA right here whoever calls them. Through
 * ops_call the right has just been decided for this context (and a refusal
 * recorded): ops_decided says so, and the caller's token is not loaded a
 * second time. A direct caller (a test, a schedule, or a front end that
 * went around the operations) is always checked in full: ops_decided holds
 * only for the context of an operation in flight, which only ops.c sets.
 */
int
authority_require(const struct cc_ctx *cx, unsigned right, const char *what, char **cause)
{
    if (ops_decided(cx, right))
        return CC_OK;
    struct authz_target t = {.rights = right, .what = what};
    return authz_check(cx, AUTHZ_CA, &t, cause);
}

int
authority_permissions(struct store *st, struct authority_ace **out, size_t *n, char **cause)
{
    *out = NULL;
    *n = 0;
    struct store_stmt *q;
    int rc = store_prepare(st, "SELECT principal_id, allow, deny FROM ca_ace ORDER BY principal_id",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    while (rc == CC_OK && store_step(q, NULL) == STORE_ROW) {
        struct authority_ace *v = realloc(*out, (*n + 1) * sizeof *v);
        if (v == NULL) {
            rc = CC_ENOMEM;
            break;
        }
        *out = v;
        struct authority_ace *e = &v[(*n)++];
        e->principal = store_col_int64(q, 0);
        e->allow = (unsigned)store_col_int(q, 1);
        e->deny = (unsigned)store_col_int(q, 2);
        struct dir_principal p = {0};
        e->name = dir_get(st, e->principal, &p, NULL) == CC_OK ? dir_qualified_name(st, &p) : NULL;
        dir_principal_free(&p);
    }
    store_finalize(q);
    if (rc != CC_OK) {
        authority_permissions_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

void
authority_permissions_free(struct authority_ace *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].name);
    free(v);
}

int
authority_roles_parse(const char *s, unsigned *rights, char **cause)
{
    static const struct {
        const char *name;
        unsigned bit;
    } names[] = {
        {"CA Administrator", CA_RIGHT_MANAGE},  {"admin", CA_RIGHT_MANAGE},
        {"Manage CA", CA_RIGHT_MANAGE},         {"Certificate Manager", CA_RIGHT_OFFICER},
        {"manager", CA_RIGHT_OFFICER},          {"Issue and Manage Certificates", CA_RIGHT_OFFICER},
        {"Auditor", CA_RIGHT_AUDIT},            {"Backup Operator", CA_RIGHT_BACKUP},
        {"backup", CA_RIGHT_BACKUP},            {"Enrollee", CA_RIGHT_ENROLL},
        {"enroll", CA_RIGHT_ENROLL},            {"Request Certificates", CA_RIGHT_ENROLL},
        {"Read", CA_RIGHT_READ},
    };
    *rights = 0;
    struct strlist parts = {0};
    int rc = strlist_split(&parts, s, ",");
    for (size_t i = 0; rc == CC_OK && i < parts.n; i++) {
        const char *w = parts.v[i];
        size_t k = 0;
        while (k < sizeof names / sizeof names[0] && strcasecmp(w, names[k].name) != 0)
            k++;
        if (k == sizeof names / sizeof names[0])
            rc = cc_fail(cause, CC_EINVAL,
                         "'%s' is not a CA role (CA Administrator, Certificate Manager, "
                         "Auditor, Backup Operator, Enrollee, Read)",
                         w);
        else
            *rights |= names[k].bit;
    }
    if (rc == CC_OK && parts.n == 0)
        rc = cc_fail(cause, CC_EINVAL, "no role given");
    strlist_free(&parts);
    return rc;
}

/* Writes a CA permission entry without checking who asks (set-up and the public call). */
static int
permission_write(struct store *st, int64_t principal, unsigned allow, unsigned deny,
                 char **cause)
{
    struct store_stmt *q;
    int rc = store_prepare(st,
                           allow == 0 && deny == 0
                               ? "DELETE FROM ca_ace WHERE principal_id = ?1"
                               : "INSERT INTO ca_ace (principal_id, allow, deny) VALUES (?1, ?2, "
                                 "?3) ON CONFLICT (principal_id) DO UPDATE SET allow = ?2, "
                                 "deny = ?3",
                           &q, cause);
    if (rc != CC_OK)
        return rc;
    store_bind_int64(q, 1, principal);
    if (allow || deny) {
        store_bind_int(q, 2, (int)allow);
        store_bind_int(q, 3, (int)deny);
    }
    rc = store_run(q, cause);
    store_finalize(q);
    return rc;
}

int
authority_permission_set(const struct cc_ctx *cx, int64_t principal, unsigned allow, unsigned deny,
                         char **cause)
{
    struct store *st = cx->st;
    int rc = authority_require(cx, CA_RIGHT_MANAGE, "change the CA's permissions", cause);
    if (rc != CC_OK || (rc = store_begin(st, cause)) != CC_OK)
        return rc;
    rc = permission_write(st, principal, allow, deny, cause);
    if (rc == CC_OK) {
        char *who = NULL, *a = authority_rights_format(allow), *d = authority_rights_format(deny);
        struct dir_principal p = {0};
        if (dir_get(st, principal, &p, NULL) == CC_OK)
            who = dir_qualified_name(st, &p);
        char *v = cc_asprintf("allow %s; deny %s", a ? a : "?", d ? d : "?");
        rc = v ? audit_record(cx, "ca", who ? who : "?", "permission", NULL, v, cause) : CC_ENOMEM;
        free(v);
        free(a);
        free(d);
        free(who);
        dir_principal_free(&p);
    }
    return store_finish(st, rc, cause);
}

/* What a `ca set` value is and how it is checked and stored. */
enum setting_kind { SET_URL, SET_BASE_URL, SET_PERIOD, SET_PERIOD_OR_0, SET_ON_OFF };

int
authority_config_set(const struct cc_ctx *cx, const char *setting, const char *value, char **cause)
{
    struct store *st = cx->st;
    static const struct {
        const char *name, *column;
        enum setting_kind kind;
    } settings[] = {
        {"base-url", "base_url", SET_BASE_URL},
        {"cdp-url", "cdp_url", SET_URL},
        {"aia-url", "aia_url", SET_URL},
        {"crl-period", "crl_period", SET_PERIOD},
        {"delta-period", "delta_period", SET_PERIOD_OR_0},
        {"publish-on-revoke", "publish_on_revoke", SET_ON_OFF},
        {"validity", "validity_cap", SET_PERIOD},
    };
    struct authority_info info;
    int rc = authority_info_load(st, &info, cause);
    if (rc != CC_OK)
        return rc;
    authority_info_free(&info);
    if ((rc = authority_require(cx, CA_RIGHT_MANAGE, "change the CA's settings", cause)) != CC_OK)
        return rc;
    for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++) {
        if (strcmp(setting, settings[i].name) != 0)
            continue;
        int64_t num = 0;
        int is_num = 1;
        switch (settings[i].kind) {
        case SET_PERIOD_OR_0:
            if (strcmp(value, "0") == 0)
                break;
            /* fall through */
        case SET_PERIOD:
            if ((rc = template_period_parse(value, &num, cause)) != CC_OK)
                return rc;
            if (num < PERIOD_HOUR)
                return cc_fail(cause, CC_EINVAL, "%s must be at least one hour%s", setting,
                               settings[i].kind == SET_PERIOD_OR_0 ? " (or 0 for none)" : "");
            break;
        case SET_ON_OFF:
            if (strcmp(value, "on") != 0 && strcmp(value, "off") != 0)
                return cc_fail(cause, CC_EINVAL, "%s is on or off, not '%s'", setting, value);
            num = strcmp(value, "on") == 0;
            break;
        case SET_BASE_URL:
            is_num = 0;
            if (*value != '\0' && (rc = authority_base_url_check(value, cause)) != CC_OK)
                return rc;
            break;
        case SET_URL:
            is_num = 0;
            if (*value != '\0' && strcmp(value, AUTHORITY_URL_AUTO) != 0 &&
                strncmp(value, "http://", 7) != 0 && strncmp(value, "ldap://", 7) != 0 &&
                strncmp(value, "https://", 8) != 0)
                return cc_fail(cause, CC_EINVAL,
                               "%s must be an http, https or ldap URL, 'auto' (from the base "
                               "URL) or empty",
                               setting);
            break;
        }
        char *sql = cc_asprintf("UPDATE ca SET %s = ? WHERE id = 1", settings[i].column);
        struct store_stmt *q;
        rc = sql ? store_prepare(st, sql, &q, cause) : CC_ENOMEM;
        free(sql);
        if (rc != CC_OK)
            return rc;
        if (is_num)
            store_bind_int64(q, 1, num);
        else
            store_bind_text(q, 1, value);
        /* the change and its audit record commit together or not at all */
        if ((rc = store_begin(st, cause)) != CC_OK) {
            store_finalize(q);
            return rc;
        }
        rc = store_run(q, cause);
        store_finalize(q);
        if (rc == CC_OK)
            rc = audit_record(cx, "ca", "configuration", setting, NULL, value, cause);
        if (rc == CC_OK)
            rc = store_commit(st, cause);
        else
            store_rollback(st);
        return rc;
    }
    return cc_fail(cause, CC_EINVAL,
                   "'%s' is not a CA setting (base-url, cdp-url, aia-url, crl-period, "
                   "delta-period, publish-on-revoke, validity)",
                   setting);
}
