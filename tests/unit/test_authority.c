/*
 * Unit tests of ca/authority: authority_create on the contoso lab makes a
 * self-signed CA certificate (basicConstraints cA critical, keyCertSign and
 * cRLSign, a subject key identifier, SHA-256, five years from the lab
 * clock) published in the enterprise Root store, and a key file of mode
 * 0600; a second create is refused; authority_open signs with the key and
 * refuses a wrong or missing passphrase (CC_E_BAD_PASSWORD), a key file that
 * does not match the certificate and a missing or damaged key file
 * (CC_E_CA_NOT_READY); the Certificate Templates to Issue start with the
 * eleven defaults and are enabled and disabled only with Manage CA (v2
 * templates never on a Standard CA); the CA permissions give
 * administrators every right and others Read and Request, a deny wins,
 * and only Manage CA may change the CA's settings or its permissions.
 */
#include "config.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "authority.h"
#include "certstore.h"
#include "request.h"
#include "template.h"
#include "unit.h"

/* Creates the lab's CA in st; passphrase and key type may override the lab's. */
static int
create_ca(struct unit_fx *fx, struct store *st, const char *key_type, const char *edition,
          const char *passphrase, char **cause)
{
    struct authority_params p = {
        .name = fx->def.ca.name,
        .host = fx->def.ca.host,
        .edition = edition ? edition : fx->def.ca.edition,
        .key_type = key_type ? key_type : fx->def.ca.key,
        .passphrase = passphrase,
    };
    return authority_create(test_cx(st), &p, cause);
}

static int
group_setup(void **state)
{
    struct unit_fx *fx = unit_fx_new("authority", 1);
    char *cause = NULL;
    if (fx == NULL)
        return -1;
    if (create_ca(fx, fx->st, NULL, NULL, NULL, &cause) != CC_OK) {
        print_error("authority_create: %s\n", cause ? cause : "?");
        free(cause);
        unit_fx_free(fx);
        return -1;
    }
    unsetenv("CERTCON_CA_PASSPHRASE");
    unsetenv("CERTCON_CA_PASSPHRASE_FILE");
    *state = fx;
    return 0;
}

static int
test_setup(void **state)
{
    struct unit_fx *fx = *state;
    unit_act_as(fx->st, "Administrator");
    return 0;
}

/* A second lab database NAME.db in the scratch directory with its own CA. */
static struct store *
other_ca(struct unit_fx *fx, const char *name, const char *key_type, const char *edition,
         const char *passphrase)
{
    struct store *st = NULL;
    struct lab_def def = {0};
    char *cause = NULL;
    char *path = cc_asprintf("%s/%s.db", fx->dir, name);
    UNIT_OK(store_open(path, STORE_CREATE, &st, &cause), cause);
    UNIT_OK(lab_init(test_cx(st), fx->datadir, "contoso", &def, &cause), cause);
    UNIT_OK(create_ca(fx, st, key_type, edition, passphrase, &cause), cause);
    lab_def_free(&def);
    free(path);
    return st;
}

static gnutls_x509_crt_t
ca_cert(struct store *st, struct authority_info *info)
{
    gnutls_x509_crt_t crt;
    char *cause = NULL;
    UNIT_OK(authority_info_load(st, info, &cause), cause);
    gnutls_datum_t d = {info->cert.p, (unsigned)info->cert.n};
    assert_int_equal(gnutls_x509_crt_init(&crt), 0);
    assert_int_equal(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER), 0);
    return crt;
}

static void
test_ca_certificate(void **state)
{
    struct unit_fx *fx = *state;
    struct authority_info info;
    gnutls_x509_crt_t crt = ca_cert(fx->st, &info);

    assert_true(authority_exists(fx->st));
    assert_string_equal(info.name, "contoso-CA1-CA");
    assert_string_equal(info.host, "CA1");
    assert_string_equal(info.edition, "Enterprise");
    assert_string_equal(info.key_type, "rsa:2048");
    assert_false(info.key_encrypted);
    assert_int_equal(info.version, AUTHORITY_VERSION);
    assert_int_equal(info.validity_cap, 2 * PERIOD_YEAR);
    assert_int_equal(info.crl_period, PERIOD_WEEK);
    assert_int_equal(info.crl_number, 0);
    assert_int_equal(info.created, fx->now);
    /* a lab's URLs derive from its loopback base URL, where its service answers */
    assert_string_equal(info.cdp_url, AUTHORITY_URL_AUTO);
    assert_string_equal(info.aia_url, AUTHORITY_URL_AUTO);
    assert_string_equal(info.base_url, AUTHORITY_LAB_BASE_URL);
    assert_int_equal(info.delta_period, PERIOD_DAY);
    assert_int_equal(info.publish_on_revoke, 0);
    struct authority_urls urls;
    assert_int_equal(authority_urls_get(&info, &urls), CC_OK);
    assert_string_equal(urls.cdp, "http://127.0.0.1:8080/crl/contoso-CA1-CA.crl");
    assert_string_equal(urls.delta, "http://127.0.0.1:8080/crl/contoso-CA1-CA+.crl");
    assert_string_equal(urls.ca_issuers, "http://127.0.0.1:8080/aia/contoso-CA1-CA.crt");
    assert_string_equal(urls.ocsp, "http://127.0.0.1:8080/ocsp");
    authority_urls_free(&urls);

    /* self-signed, and the signature verifies with its own key */
    gnutls_datum_t dn = {NULL, 0}, idn = {NULL, 0};
    assert_int_equal(gnutls_x509_crt_get_dn3(crt, &dn, 0), 0);
    assert_int_equal(gnutls_x509_crt_get_issuer_dn3(crt, &idn, 0), 0);
    assert_string_equal((const char *)dn.data, "CN=contoso-CA1-CA,DC=contoso,DC=com");
    assert_string_equal((const char *)idn.data, (const char *)dn.data);
    gnutls_free(dn.data);
    gnutls_free(idn.data);
    unsigned status = 99; /* the lab clock is not the real one: times are checked below */
    assert_int_equal(gnutls_x509_crt_verify(crt, &crt, 1, GNUTLS_VERIFY_DISABLE_TIME_CHECKS,
                                            &status),
                     0);
    assert_int_equal(status, 0);
    assert_int_equal(gnutls_x509_crt_get_version(crt), 3);

    /* basicConstraints cA, critical, no path length */
    unsigned critical = 0, ca = 0;
    int pathlen = 0;
    assert_int_equal(gnutls_x509_crt_get_basic_constraints(crt, &critical, &ca, &pathlen), 1);
    assert_true(critical);
    assert_true(ca);
    assert_int_equal(pathlen, -1);

    /* keyCertSign and cRLSign */
    unsigned ku = 0;
    critical = 0;
    assert_true(gnutls_x509_crt_get_key_usage(crt, &ku, &critical) >= 0);
    assert_true(ku & GNUTLS_KEY_KEY_CERT_SIGN);
    assert_true(ku & GNUTLS_KEY_CRL_SIGN);
    assert_false(ku & GNUTLS_KEY_KEY_ENCIPHERMENT);

    /* the SKI is the SHA-1 key identifier of its key */
    unsigned char ski[64], kid[64];
    size_t skilen = sizeof ski, kidlen = sizeof kid;
    assert_int_equal(gnutls_x509_crt_get_subject_key_id(crt, ski, &skilen, &critical), 0);
    assert_false(critical);
    assert_int_equal(gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA1, kid, &kidlen), 0);
    assert_int_equal(skilen, 20);
    assert_memory_equal(ski, kid, 20);

    /* SHA-256 with RSA, RSA 2048 */
    assert_int_equal(gnutls_x509_crt_get_signature_algorithm(crt), GNUTLS_SIGN_RSA_SHA256);
    unsigned bits = 0;
    assert_int_equal(gnutls_x509_crt_get_pk_algorithm(crt, &bits), GNUTLS_PK_RSA);
    assert_int_equal(bits, 2048);

    /* five years from the lab clock */
    time_t nb = gnutls_x509_crt_get_activation_time(crt);
    time_t na = gnutls_x509_crt_get_expiration_time(crt);
    assert_true(nb <= fx->now && nb >= fx->now - 86400);
    assert_true(na - fx->now >= 5 * 365 * (time_t)86400);
    assert_true(na - fx->now <= 5 * 366 * (time_t)86400);

    /* a positive serial of at most 20 octets */
    unsigned char serial[32];
    size_t slen = sizeof serial;
    assert_int_equal(gnutls_x509_crt_get_serial(crt, serial, &slen), 0);
    assert_true(slen >= 8 && slen <= 20);
    assert_int_equal(serial[0] & 0x80, 0);

    /* published in the enterprise's Trusted Root store */
    struct certstore_entry *list = NULL;
    size_t n = 0, found = 0;
    char *cause = NULL;
    UNIT_OK(certstore_list(test_cx(fx->st), unit_principal_id(fx->st, "Administrator"),
                           CERTSTORE_ROOT, &list, &n, &cause),
            cause);
    for (size_t i = 0; i < n; i++)
        if (list[i].der.n == info.cert.n && memcmp(list[i].der.p, info.cert.p, info.cert.n) == 0 &&
            list[i].principal == 0)
            found++;
    assert_int_equal(found, 1);
    certstore_list_free(list, n);

    gnutls_x509_crt_deinit(crt);
    authority_info_free(&info);
}

static void
test_key_file(void **state)
{
    struct unit_fx *fx = *state;
    char *path = authority_key_path(fx->st);
    char *want = cc_asprintf("%s.ca-key.pem", fx->db);
    assert_string_equal(path, want);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_int_equal(sb.st_mode & 07777, 0600);
    char *text = unit_read_file(path, NULL);
    assert_non_null(text);
    assert_true(strncmp(text, "-----BEGIN PRIVATE KEY-----", 27) == 0);
    free(text);
    /* no temporary file left beside it */
    char *tmp = cc_asprintf("%s.tmp.%ld", path, (long)getpid());
    assert_int_not_equal(access(tmp, F_OK), 0);
    free(tmp);
    free(want);
    free(path);
}

static void
test_create_twice(void **state)
{
    struct unit_fx *fx = *state;
    char *cause = NULL;
    struct authority_info before, after;
    UNIT_OK(authority_info_load(fx->st, &before, &cause), cause);
    UNIT_FAILS(create_ca(fx, fx->st, "ecdsa:p256", NULL, NULL, &cause), CC_EEXIST, cause,
               "already");
    UNIT_OK(authority_info_load(fx->st, &after, &cause), cause);
    assert_int_equal(before.cert.n, after.cert.n);
    assert_memory_equal(before.cert.p, after.cert.p, before.cert.n);
    authority_info_free(&before);
    authority_info_free(&after);
}

static void
test_bad_params(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = NULL;
    char *cause = NULL;
    char *path = cc_asprintf("%s/params.db", fx->dir);
    UNIT_OK(store_open(path, STORE_CREATE, &st, &cause), cause);
    struct authority_params p = {.name = "", .key_type = "ecdsa:p256"};
    UNIT_FAILS(authority_create(test_cx(st), &p, &cause), CC_EINVAL, cause, "name");
    p.name = "x-CA";
    p.edition = "Datacenter";
    UNIT_FAILS(authority_create(test_cx(st), &p, &cause), CC_EINVAL, cause, "Datacenter");
    p.edition = NULL;
    p.key_type = "rsa:1024";
    UNIT_FAILS(authority_create(test_cx(st), &p, &cause), CC_EINVAL, cause, "rsa:1024");
    p.key_type = NULL;
    p.key_url = "file:/etc/passwd";
    UNIT_FAILS(authority_create(test_cx(st), &p, &cause), CC_EINVAL, cause, "pkcs11");
    assert_false(authority_exists(st));
    /* nothing written beside the database */
    char *key = authority_key_path(st);
    assert_int_not_equal(access(key, F_OK), 0);
    free(key);
    store_close(st);
    free(path);
}

static void
test_open_and_sign(void **state)
{
    struct unit_fx *fx = *state;
    struct authority *ca = NULL;
    char *cause = NULL;
    UNIT_OK(authority_open(fx->st, NULL, &ca, &cause), cause);
    assert_int_equal(ca->sign, GNUTLS_SIGN_RSA_SHA256);
    assert_int_equal(ca->ski_len, 20);
    assert_true(ca->ext_aki.n > 20);
    assert_true(ca->ext_cdp.n > 20);
    assert_true(ca->ext_aia.n > 20);
    assert_true(ca->issuer.n > 10);
    assert_true(ca->info.not_after > ca->info.not_before);

    static const char data[] = "to be signed";
    struct pkix_buf sig = {0};
    UNIT_OK(authority_sign(ca, data, sizeof data - 1, &sig, &cause), cause);
    gnutls_datum_t d = {(unsigned char *)data, sizeof data - 1}, s = {sig.p, (unsigned)sig.n};
    assert_true(gnutls_pubkey_verify_data2(ca->pub, ca->sign, 0, &d, &s) >= 0);
    sig.p[0] ^= 0xff;
    assert_true(gnutls_pubkey_verify_data2(ca->pub, ca->sign, 0, &d, &s) < 0);
    pkix_buf_free(&sig);
    authority_close(ca);
}

static void
test_passphrase(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = other_ca(fx, "encrypted", "ecdsa:p256", NULL, "correct horse");
    struct authority *ca = NULL;
    struct authority_info info;
    char *cause = NULL;
    UNIT_OK(authority_info_load(st, &info, &cause), cause);
    assert_true(info.key_encrypted);
    assert_string_equal(info.key_type, "ecdsa:p256");
    authority_info_free(&info);

    char *path = authority_key_path(st);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    char *text = unit_read_file(path, NULL);
    assert_true(strncmp(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----", 37) == 0);
    free(text);

    UNIT_FAILS(authority_open(st, "wrong horse", &ca, &cause), CC_E_BAD_PASSWORD, cause, "");
    assert_null(ca);
    UNIT_FAILS(authority_open(st, "", &ca, &cause), CC_E_BAD_PASSWORD, cause, "encrypted");
    UNIT_FAILS(authority_open(st, NULL, &ca, &cause), CC_E_BAD_PASSWORD, cause,
               "CERTCON_CA_PASSPHRASE");
    UNIT_OK(authority_open(st, "correct horse", &ca, &cause), cause);
    assert_int_equal(ca->sign, GNUTLS_SIGN_ECDSA_SHA256);
    authority_close(ca);
    ca = NULL;

    /* from the environment: the value, then a file (which wins) */
    setenv("CERTCON_CA_PASSPHRASE", "correct horse", 1);
    UNIT_OK(authority_open(st, NULL, &ca, &cause), cause);
    authority_close(ca);
    ca = NULL;
    char *file = cc_asprintf("%s/pass.txt", fx->dir);
    unit_write_file(file, "wrong horse\n");
    setenv("CERTCON_CA_PASSPHRASE_FILE", file, 1);
    UNIT_FAILS(authority_open(st, NULL, &ca, &cause), CC_E_BAD_PASSWORD, cause, "");
    unit_write_file(file, "correct horse\n");
    UNIT_OK(authority_open(st, NULL, &ca, &cause), cause);
    authority_close(ca);
    unsetenv("CERTCON_CA_PASSPHRASE");
    unsetenv("CERTCON_CA_PASSPHRASE_FILE");
    free(file);
    free(path);
    store_close(st);
}

/* Writes a fresh key of key_type (plain PKCS#8 PEM) over the CA's key file. */
static void
replace_key(struct store *st, const char *key_type)
{
    gnutls_x509_privkey_t key;
    gnutls_datum_t pem;
    char *cause = NULL;
    UNIT_OK(request_key_generate(key_type, &key, &cause), cause);
    assert_int_equal(
        gnutls_x509_privkey_export2_pkcs8(key, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &pem),
        0);
    char *path = authority_key_path(st);
    char *text = strndup((const char *)pem.data, pem.size);
    unit_write_file(path, text);
    free(text);
    free(path);
    gnutls_free(pem.data);
    gnutls_x509_privkey_deinit(key);
}

static void
test_key_mismatch(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = other_ca(fx, "mismatch", "ecdsa:p256", NULL, NULL);
    struct authority *ca = NULL;
    char *cause = NULL;
    UNIT_OK(authority_open(st, NULL, &ca, &cause), cause);
    authority_close(ca);
    ca = NULL;

    /* another key of the same type: the self-test fails */
    replace_key(st, "ecdsa:p256");
    UNIT_FAILS(authority_open(st, NULL, &ca, &cause), CC_E_CA_NOT_READY, cause,
               "does not match");
    assert_null(ca);
    /* a key of another type */
    replace_key(st, "ed25519");
    UNIT_FAILS(authority_open(st, NULL, &ca, &cause), CC_E_CA_NOT_READY, cause, "");
    /* not a key at all */
    char *path = authority_key_path(st);
    unit_write_file(path, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    UNIT_FAILS(authority_open(st, NULL, &ca, &cause), CC_E_CA_NOT_READY, cause, "");
    /* gone */
    assert_int_equal(unlink(path), 0);
    UNIT_FAILS(authority_open(st, NULL, &ca, &cause), CC_E_CA_NOT_READY, cause, path);
    free(path);
    store_close(st);

    /* a store without a CA */
    struct store *empty = NULL;
    char *epath = cc_asprintf("%s/empty.db", fx->dir);
    UNIT_OK(store_open(epath, STORE_CREATE, &empty, &cause), cause);
    assert_false(authority_exists(empty));
    UNIT_FAILS(authority_open(empty, NULL, &ca, &cause), CC_E_CA_NOT_READY, cause, "init");
    store_close(empty);
    free(epath);
}

static void
test_templates_to_issue(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct strlist cns = {0};
    char *cause = NULL;
    UNIT_OK(authority_templates(st, &cns, &cause), cause);
    char *joined = strlist_join(&cns, ",");
    assert_string_equal(joined, "Administrator,DirectoryEmailReplication,DomainController,"
                                "DomainControllerAuthentication,EFS,EFSRecovery,"
                                "KerberosAuthentication,Machine,SubCA,User,WebServer");
    free(joined);
    strlist_free(&cns);

    /* by display name or template name */
    assert_false(authority_template_enabled(st, "Workstation"));
    UNIT_OK(authority_template_enable(test_cx(st), "Workstation Authentication", &cause), cause);
    assert_true(authority_template_enabled(st, "Workstation"));
    UNIT_OK(authority_template_enable(test_cx(st), "workstation", &cause), cause); /* no change */
    assert_int_equal(unit_count(st, "SELECT count(*) FROM ca_template WHERE cn = 'Workstation'"),
                     1);
    UNIT_OK(authority_template_disable(test_cx(st), "Web Server", &cause), cause);
    assert_false(authority_template_enabled(st, "WebServer"));
    UNIT_OK(authority_template_disable(test_cx(st), "WebServer", &cause), cause); /* no change */
    UNIT_OK(authority_template_enable(test_cx(st), "WebServer", &cause), cause);
    assert_true(authority_template_enabled(st, "WebServer"));
    UNIT_FAILS(authority_template_enable(test_cx(st), "No Such Template", &cause),
               CC_E_UNKNOWN_CERT_TYPE, cause, "No Such Template");
    int64_t n = unit_count(st, "SELECT count(*) FROM ca_template");

    /* without Manage CA: refused, nothing changes */
    unit_add_user(st, "tmplop");
    unit_act_as(st, "tmplop");
    UNIT_FAILS(authority_template_enable(test_cx(st), "Code Signing", &cause), CC_EACCES, cause,
               "Manage CA");
    UNIT_FAILS(authority_template_disable(test_cx(st), "Workstation", &cause), CC_EACCES, cause,
               "Manage CA");
    assert_int_equal(unit_count(st, "SELECT count(*) FROM ca_template"), n);
    assert_true(authority_template_enabled(st, "Workstation"));
    assert_false(authority_template_enabled(st, "CodeSigning"));
    unit_act_as(st, "Administrator");
    UNIT_OK(authority_template_disable(test_cx(st), "Workstation", &cause), cause);
}

static void
test_standard_edition(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = other_ca(fx, "standard", "ecdsa:p256", "standard", NULL);
    struct authority_info info;
    char *cause = NULL;
    UNIT_OK(authority_info_load(st, &info, &cause), cause);
    assert_string_equal(info.edition, "Standard");
    authority_info_free(&info);
    unit_act_as(st, "Administrator");
    /* a version 2 template cannot be enabled; version 1 can */
    UNIT_FAILS(authority_template_enable(test_cx(st), "Workstation", &cause), CC_E_STANDARD_EDITION,
               cause, "Standard");
    assert_false(authority_template_enabled(st, "Workstation"));
    UNIT_OK(authority_template_enable(test_cx(st), "CodeSigning", &cause), cause);
    assert_true(authority_template_enabled(st, "CodeSigning"));

    /* and none of its defaults is a version 2 template */
    struct strlist cns = {0};
    UNIT_OK(authority_templates(st, &cns, &cause), cause);
    char *v2 = NULL;
    for (size_t i = 0; i < cns.n && v2 == NULL; i++) {
        struct template t = {0};
        UNIT_OK(template_load(st, cns.v[i], &t, &cause), cause);
        if (t.schema_version >= 2)
            v2 = cc_strdup(t.cn);
        template_free(&t);
    }
    strlist_free(&cns);
    store_close(st);
    if (v2 != NULL)
        print_message("# %s is a Template to Issue of a Standard CA\n", v2);
    assert_null(v2);
}

static void
test_rights(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    int64_t *token = NULL;
    size_t n = 0;
    char *cause = NULL;
    unsigned all = CA_RIGHT_MANAGE | CA_RIGHT_OFFICER | CA_RIGHT_READ | CA_RIGHT_ENROLL;

    UNIT_OK(dir_token(st, unit_principal_id(st, "Administrator"), &token, &n, &cause), cause);
    assert_int_equal(authority_rights(st, token, n), all);
    free(token);
    int64_t user = unit_add_user(st, "carights");
    UNIT_OK(dir_token(st, user, &token, &n, &cause), cause);
    assert_int_equal(authority_rights(st, token, n), CA_RIGHT_READ | CA_RIGHT_ENROLL);
    assert_int_equal(authority_rights(st, NULL, 0), 0);

    UNIT_OK(
        authority_require(test_cx(st), CA_RIGHT_MANAGE | CA_RIGHT_OFFICER, "administer", &cause),
        cause);
    unit_act_as(st, "carights");
    UNIT_OK(authority_require(test_cx(st), CA_RIGHT_ENROLL, "request", &cause), cause);
    UNIT_FAILS(authority_require(test_cx(st), CA_RIGHT_OFFICER, "revoke a certificate", &cause),
               CC_EACCES, cause, "carights", "Issue and Manage Certificates",
               "revoke a certificate");

    /* an allow entry for the user, then a deny that beats Authenticated Users' allow */
    unit_act_as(st, "Administrator");
    UNIT_OK(authority_permission_set(test_cx(st), user, CA_RIGHT_OFFICER, 0, &cause), cause);
    assert_int_equal(authority_rights(st, token, n),
                     CA_RIGHT_READ | CA_RIGHT_ENROLL | CA_RIGHT_OFFICER);
    UNIT_OK(authority_permission_set(test_cx(st), user, 0, CA_RIGHT_ENROLL, &cause), cause);
    assert_int_equal(authority_rights(st, token, n), CA_RIGHT_READ);
    UNIT_OK(authority_permission_set(test_cx(st), user, 0, 0, &cause), cause);
    assert_int_equal(authority_rights(st, token, n), CA_RIGHT_READ | CA_RIGHT_ENROLL);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM ca_ace WHERE principal_id = "
                                    "(SELECT id FROM principal WHERE name = 'carights')"),
                     0);

    char *s = authority_rights_format(all);
    assert_string_equal(s, "Read, Issue and Manage Certificates, Manage CA, Request Certificates");
    free(s);
    s = authority_rights_format(0);
    assert_string_equal(s, "");
    free(s);

    /* only Manage CA may grant CA rights */
    unit_act_as(st, "carights");
    int rc = authority_permission_set(test_cx(st), user, all, 0, &cause);
    unsigned got = authority_rights(st, token, n);
    free(cause);
    cause = NULL;
    unit_act_as(st, "Administrator");
    UNIT_OK(authority_permission_set(test_cx(st), user, 0, 0, &cause), cause);
    free(token);
    assert_int_equal(rc, CC_EACCES);
    assert_false(got & CA_RIGHT_MANAGE);
}

static void
test_config_set(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct authority_info info;
    char *cause = NULL;
    UNIT_OK(authority_config_set(test_cx(st), "crl-period", "1d", &cause), cause);
    UNIT_OK(authority_config_set(test_cx(st), "validity", "1y", &cause), cause);
    UNIT_OK(authority_config_set(test_cx(st), "cdp-url", "http://pki.contoso.com/ca.crl", &cause),
            cause);
    UNIT_OK(authority_config_set(test_cx(st), "aia-url", "", &cause), cause);
    UNIT_OK(authority_info_load(st, &info, &cause), cause);
    assert_int_equal(info.crl_period, PERIOD_DAY);
    assert_int_equal(info.validity_cap, PERIOD_YEAR);
    assert_string_equal(info.cdp_url, "http://pki.contoso.com/ca.crl");
    assert_string_equal(info.aia_url, "");
    authority_info_free(&info);

    /* an empty AIA URL: no AIA extension in what every certificate shares */
    struct authority *ca = NULL;
    UNIT_OK(authority_open(st, NULL, &ca, &cause), cause);
    assert_int_equal(ca->ext_aia.n, 0);
    assert_non_null(memmem(ca->ext_cdp.p, ca->ext_cdp.n, "pki.contoso.com", 15));
    authority_close(ca);

    UNIT_FAILS(authority_config_set(test_cx(st), "crl-period", "0h", &cause), CC_EINVAL, cause,
               "period");
    UNIT_FAILS(authority_config_set(test_cx(st), "cdp-url", "ftp://x/y.crl", &cause), CC_EINVAL,
               cause, "URL");
    UNIT_FAILS(authority_config_set(test_cx(st), "colour", "red", &cause), CC_EINVAL, cause,
               "colour");
    unit_add_user(st, "cfgop");
    unit_act_as(st, "cfgop");
    UNIT_FAILS(authority_config_set(test_cx(st), "crl-period", "2d", &cause), CC_EACCES, cause,
               "Manage CA");
    unit_act_as(st, "Administrator");
    UNIT_OK(authority_info_load(st, &info, &cause), cause);
    assert_int_equal(info.crl_period, PERIOD_DAY);
    authority_info_free(&info);
    /* back to the defaults for the tests after this one */
    UNIT_OK(authority_config_set(test_cx(st), "crl-period", "1w", &cause), cause);
    UNIT_OK(authority_config_set(test_cx(st), "validity", "2y", &cause), cause);
    UNIT_OK(authority_config_set(test_cx(st), "cdp-url", "auto", &cause), cause);
    UNIT_OK(authority_config_set(test_cx(st), "aia-url", "auto", &cause), cause);
}

/* The base URL: what it accepts, and the URLs every certificate gets from it. */
static void
test_base_url(void **state)
{
    struct unit_fx *fx = *state;
    struct store *st = fx->st;
    struct authority_info info;
    struct authority_urls u;
    char *cause = NULL;
    static const char *const bad[] = {
        "ftp://pki.contoso.com", "pki.contoso.com", "http://", "http:///x",
        "http://pki.contoso.com/?x=1", "http://pki.contoso.com/#f", "http://a b/",
        "http://user@pki.contoso.com", "http://pki.contoso.com:0", "http://pki.contoso.com:99999",
        "http://pki.contoso.com:8x", "http://[::1",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        UNIT_FAILS(authority_config_set(test_cx(st), "base-url", bad[i], &cause), CC_EINVAL, cause,
                   "base URL");
    UNIT_OK(authority_config_set(test_cx(st), "base-url", "https://[::1]:8443/pki/", &cause),
            cause);
    UNIT_OK(authority_config_set(test_cx(st), "delta-period", "0", &cause), cause);
    UNIT_OK(authority_info_load(st, &info, &cause), cause);
    assert_int_equal(authority_urls_get(&info, &u), CC_OK);
    assert_string_equal(u.cdp, "https://[::1]:8443/pki/crl/contoso-CA1-CA.crl");
    assert_null(u.delta); /* deltas off: no Freshest CRL */
    assert_string_equal(u.ocsp, "https://[::1]:8443/pki/ocsp");
    authority_urls_free(&u);
    authority_info_free(&info);

    /* an explicit CDP wins, and names its delta with a '+' as AD CS does */
    UNIT_OK(authority_config_set(test_cx(st), "base-url", "http://pki.contoso.com", &cause), cause);
    UNIT_OK(authority_config_set(test_cx(st), "delta-period", "12h", &cause), cause);
    UNIT_OK(authority_config_set(test_cx(st), "cdp-url", "http://crl.contoso.com/x.crl", &cause),
            cause);
    UNIT_OK(authority_info_load(st, &info, &cause), cause);
    assert_int_equal(info.delta_period, 12 * PERIOD_HOUR);
    assert_int_equal(authority_urls_get(&info, &u), CC_OK);
    assert_string_equal(u.cdp, "http://crl.contoso.com/x.crl");
    assert_string_equal(u.delta, "http://crl.contoso.com/x+.crl");
    assert_string_equal(u.ca_issuers, "http://pki.contoso.com/aia/contoso-CA1-CA.crt");
    authority_urls_free(&u);
    authority_info_free(&info);

    /* what every certificate shares: CDP then Freshest CRL, AIA with OCSP and CA issuers */
    struct authority *ca = NULL;
    UNIT_OK(authority_open(st, NULL, &ca, &cause), cause);
    assert_non_null(memmem(ca->ext_cdp.p, ca->ext_cdp.n, "crl.contoso.com/x.crl", 21));
    assert_non_null(memmem(ca->ext_cdp.p, ca->ext_cdp.n, "crl.contoso.com/x+.crl", 22));
    assert_non_null(memmem(ca->ext_cdp.p, ca->ext_cdp.n, "\x06\x03\x55\x1d\x2e", 5));
    assert_non_null(memmem(ca->ext_freshest.p, ca->ext_freshest.n, "x+.crl", 6));
    assert_non_null(memmem(ca->ext_aia.p, ca->ext_aia.n, "pki.contoso.com/ocsp", 20));
    authority_close(ca);

    UNIT_FAILS(authority_config_set(test_cx(st), "delta-period", "0h", &cause), CC_EINVAL, cause,
               "period");
    UNIT_FAILS(authority_config_set(test_cx(st), "publish-on-revoke", "yes", &cause), CC_EINVAL,
               cause, "on or off");
    UNIT_OK(authority_config_set(test_cx(st), "publish-on-revoke", "on", &cause), cause);
    UNIT_OK(authority_info_load(st, &info, &cause), cause);
    assert_int_equal(info.publish_on_revoke, 1);
    authority_info_free(&info);
    /* back to the defaults */
    UNIT_OK(authority_config_set(test_cx(st), "publish-on-revoke", "off", &cause), cause);
    UNIT_OK(authority_config_set(test_cx(st), "cdp-url", "auto", &cause), cause);
    UNIT_OK(authority_config_set(test_cx(st), "delta-period", "1d", &cause), cause);
    UNIT_OK(authority_config_set(test_cx(st), "base-url", AUTHORITY_LAB_BASE_URL, &cause), cause);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_ca_certificate, test_setup),
        cmocka_unit_test_setup(test_key_file, test_setup),
        cmocka_unit_test_setup(test_create_twice, test_setup),
        cmocka_unit_test_setup(test_bad_params, test_setup),
        cmocka_unit_test_setup(test_open_and_sign, test_setup),
        cmocka_unit_test_setup(test_passphrase, test_setup),
        cmocka_unit_test_setup(test_key_mismatch, test_setup),
        cmocka_unit_test_setup(test_templates_to_issue, test_setup),
        cmocka_unit_test_setup(test_standard_edition, test_setup),
        cmocka_unit_test_setup(test_rights, test_setup),
        cmocka_unit_test_setup(test_config_set, test_setup),
        cmocka_unit_test_setup(test_base_url, test_setup),
    };
    return cmocka_run_group_tests_name("authority", tests, group_setup, unit_group_teardown);
}
