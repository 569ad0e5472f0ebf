/*
 * Unit tests of ca/policy: policy_evaluate walks the checks of ADCS-SPEC
 * 5.2 in order and the first that fails decides, with its AD CS code: a
 * SHA-1 signature (0x80096004), no template named (0x80094801), an
 * unknown template (0x80094800), two templates named (0x80094802), a
 * template not in Certificate Templates to Issue (0x80094800), a request
 * for a newer template version (0x80094807), no Request Certificates on
 * the CA (0x80094011), no Enroll on the template (0x80094012), authorized
 * signatures or key archival required (0x80094809, 0x80094804), a key too
 * small (0x80094811), and a subject built from the directory that lacks
 * dNSHostName (0x8009480F), mail (0x80094812) or a UPN (0x8009480D), or a
 * supplied request without any name (0x80094001); every check before the
 * failing one is recorded as passed. A request that passes gets the names
 * the template says (from the request or from the directory, never the
 * request's own subject then), and a template needing approval pends it
 * unless an officer resubmits it.
 */
#include "config.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "authority.h"
#include "policy.h"
#include "request.h"
#include "template.h"
#include "unit.h"

struct fx {
    struct unit_fx *u;
    struct authority_info info;
    gnutls_x509_privkey_t rsa;
};

static int
group_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char *cause = NULL;
    if (f == NULL || (f->u = unit_fx_new("policy", 1)) == NULL) {
        free(f);
        return -1;
    }
    if (unit_create_ca(f->u, "ecdsa:p256", &cause) != CC_OK ||
        authority_info_load(f->u->st, &f->info, &cause) != CC_OK ||
        request_key_generate("rsa:2048", &f->rsa, &cause) != CC_OK) {
        print_error("CA setup: %s\n", cause ? cause : "?");
        free(cause);
        unit_fx_free(f->u);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int
group_teardown(void **state)
{
    struct fx *f = *state;
    authority_info_free(&f->info);
    gnutls_x509_privkey_deinit(f->rsa);
    unit_fx_free(f->u);
    free(f);
    return 0;
}

static int
test_setup(void **state)
{
    struct fx *f = *state;
    unit_act_as(f->u->st, "Administrator");
    return 0;
}

/* A parsed request for key with p; fails the test on error. */
static void
make_request(gnutls_x509_privkey_t key, const struct request_params *p, struct request_info *r)
{
    struct pkix_buf der = {0};
    char *cause = NULL;
    UNIT_OK(request_build(key, p, &der, &cause), cause);
    UNIT_OK(request_parse(der.p, der.n, r, &cause), cause);
    pkix_buf_free(&der);
}

static void
principal(struct store *st, const char *name, struct dir_principal *p)
{
    char *cause = NULL;
    memset(p, 0, sizeof *p);
    UNIT_OK(dir_lookup(st, name, p, &cause), cause);
}

/* Runs policy_evaluate for who (by name) on req (may be NULL). */
static void
evaluate(struct fx *f, const char *who, const char *template_name,
         const struct request_info *req, int flags, struct policy_decision *d)
{
    struct dir_principal p;
    char *cause = NULL;
    principal(f->u->st, who, &p);
    UNIT_OK(policy_evaluate(test_cx(f->u->st), &f->info, NULL, &p, template_name, req, flags, d,
                            &cause),
            cause);
    dir_principal_free(&p);
}

/*
 * The decision refused with status want at the check named check; every
 * check before it passed.
 */
static void
expect_refused(const struct policy_decision *d, int want, uint32_t hresult, const char *check)
{
    if (d->status != want)
        fail_msg("got %s, want %s at \"%s\" (message: %s)", cc_status_name(d->status),
                 cc_status_name(want), check, d->message ? d->message : "");
    assert_int_equal(cc_hresult(want), hresult);
    assert_false(d->pending);
    assert_true(d->nchecks >= 1);
    const struct policy_check *last = &d->checks[d->nchecks - 1];
    assert_string_equal(last->name, check);
    assert_int_equal(last->status, want);
    for (size_t i = 0; i + 1 < d->nchecks; i++)
        if (d->checks[i].status != CC_OK)
            fail_msg("check %zu \"%s\" before \"%s\" failed", i, d->checks[i].name, check);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "Denied by Policy Module  0x%08x, ", hresult);
    assert_non_null(d->message);
    if (strncmp(d->message, prefix, strlen(prefix)) != 0)
        fail_msg("message '%s' does not start with '%s'", d->message, prefix);
}

static void
expect_issued(const struct policy_decision *d)
{
    if (d->status != CC_OK)
        fail_msg("refused: %s", d->message ? d->message : cc_status_name(d->status));
    for (size_t i = 0; i < d->nchecks; i++)
        assert_int_equal(d->checks[i].status, CC_OK);
    assert_true(d->have_template);
}

/*
 * A duplicate of Web Server (schema 2) named name with one setting changed
 * (setting may be NULL), saved and enabled on the CA.
 */
static void
make_template2(struct fx *f, const char *name, const char *setting, const char *value,
               const char *setting2, const char *value2)
{
    struct store *st = f->u->st;
    struct template t = {0};
    char *cause = NULL;
    UNIT_OK(template_duplicate(test_cx(st), "Web Server", name, COMPAT_2008, &t, &cause), cause);
    if (setting != NULL)
        UNIT_OK(template_set(st, &t, setting, value, &cause), cause);
    if (setting2 != NULL)
        UNIT_OK(template_set(st, &t, setting2, value2, &cause), cause);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    UNIT_OK(authority_template_enable(test_cx(st), name, &cause), cause);
    template_free(&t);
}

static void
make_template(struct fx *f, const char *name, const char *setting, const char *value)
{
    make_template2(f, name, setting, value, NULL, NULL);
}

static void
test_issue_web_server(void **state)
{
    struct fx *f = *state;
    struct request_params p = {.dn = "CN=www.contoso.com,O=Contoso", .template_cn = "WebServer"};
    struct request_info r;
    struct policy_decision d;
    assert_int_equal(strlist_add(&p.dns, "www.contoso.com"), CC_OK);
    make_request(f->rsa, &p, &r);
    evaluate(f, "Administrator", NULL, &r, 0, &d);
    expect_issued(&d);
    assert_false(d.pending);
    assert_string_equal(d.message, "Issued");
    assert_string_equal(d.tmpl.cn, "WebServer");
    /* supplied in the request: the request's own subject and names */
    assert_int_equal(d.names.subject.n, r.subject.n);
    assert_memory_equal(d.names.subject.p, r.subject.p, r.subject.n);
    assert_int_equal(d.names.dns.n, 1);
    assert_string_equal(d.names.dns.v[0], "www.contoso.com");
    assert_null(d.names.sid);
    /* every step in order */
    static const char *const order[] = {
        "CA certificate validity",
        "Request signature",          "Template identification",
        "Certificate Templates to Issue",
        "Template version",           "CA permission (Request Certificates)",
        "Template permission (Enroll)", "CA compatibility level",
        "Issuance requirements",      "Key size",
        "Subject name (supplied in the request)", "Issuance",
    };
    assert_int_equal(d.nchecks, sizeof order / sizeof order[0]);
    for (size_t i = 0; i < d.nchecks; i++)
        assert_string_equal(d.checks[i].name, order[i]);
    policy_decision_free(&d);

    /* the template named outside the request by display name: the same template */
    evaluate(f, "Administrator", "Web Server", &r, 0, &d);
    expect_issued(&d);
    policy_decision_free(&d);
    /* explain: no request */
    evaluate(f, "Administrator", "Web Server", NULL, 0, &d);
    expect_issued(&d);
    policy_decision_free(&d);
    request_info_free(&r);
    strlist_free(&p.dns);
}

static void
test_weak_signature_first(void **state)
{
    struct fx *f = *state;
    /* SHA-1, and also no template: the signature is judged first */
    struct request_params p = {.cn = "old.contoso.com", .hash = GNUTLS_DIG_SHA1};
    struct request_info r;
    struct policy_decision d;
    make_request(f->rsa, &p, &r);
    evaluate(f, "Administrator", NULL, &r, 0, &d);
    expect_refused(&d, CC_E_WEAK_SIGNATURE, 0x80096004, "Request signature");
    assert_int_equal(d.nchecks, 2); /* after the CA's own validity */
    assert_non_null(strstr(d.message, "SHA1"));
    policy_decision_free(&d);
    request_info_free(&r);
}

/*
 * The CA's clock: nothing is issued before the CA certificate starts or
 * after it ends, and a certificate that would outlive the CA ends with it,
 * which the disposition message says.
 */
static void
test_ca_validity(void **state)
{
    struct fx *f = *state;
    struct request_params p = {.dn = "CN=www.contoso.com", .template_cn = "WebServer"};
    struct request_info r;
    struct policy_decision d;
    assert_int_equal(strlist_add(&p.dns, "www.contoso.com"), CC_OK);
    make_request(f->rsa, &p, &r);

    test_clock_set(f->info.not_before - 1);
    evaluate(f, "Administrator", NULL, &r, 0, &d);
    expect_refused(&d, CC_E_CA_CERT_TIME, 0x800B0101, "CA certificate validity");
    assert_int_equal(d.nchecks, 1);
    assert_non_null(strstr(d.message, "not yet valid"));
    policy_decision_free(&d);

    test_clock_set(f->info.not_after);
    evaluate(f, "Administrator", NULL, &r, 0, &d);
    expect_refused(&d, CC_E_CA_CERT_TIME, 0x800B0101, "CA certificate validity");
    assert_non_null(strstr(d.message, "expired"));
    policy_decision_free(&d);

    /* 100 days before the CA's end a two-year Web Server certificate ends with it */
    test_clock_set(f->info.not_after - 100 * 86400);
    evaluate(f, "Administrator", NULL, &r, 0, &d);
    expect_issued(&d);
    char until[32];
    cc_time_format(f->info.not_after, until, sizeof until);
    assert_non_null(strstr(d.message, until));
    assert_non_null(strstr(d.message, "with the CA certificate"));
    assert_non_null(strstr(d.message, "2 years"));
    policy_decision_free(&d);

    test_clock_set(f->u->now);
    evaluate(f, "Administrator", NULL, &r, 0, &d);
    expect_issued(&d);
    assert_string_equal(d.message, "Issued");
    policy_decision_free(&d);
    request_info_free(&r);
    strlist_free(&p.dns);
}

static void
test_template_identification(void **state)
{
    struct fx *f = *state;
    struct request_params p = {.cn = "www.contoso.com"};
    struct request_info r;
    struct policy_decision d;
    make_request(f->rsa, &p, &r);
    evaluate(f, "Administrator", NULL, &r, 0, &d);
    expect_refused(&d, CC_E_NO_CERT_TYPE, 0x80094801, "Template identification");
    policy_decision_free(&d);
    evaluate(f, "Administrator", "No Such Template", &r, 0, &d);
    expect_refused(&d, CC_E_UNSUPPORTED_CERT_TYPE, 0x80094800, "Template identification");
    assert_non_null(strstr(d.message, "No Such Template"));
    policy_decision_free(&d);
    request_info_free(&r);

    /* the request says User, the caller says Web Server */
    p.template_cn = "User";
    make_request(f->rsa, &p, &r);
    evaluate(f, "Administrator", "WebServer", &r, 0, &d);
    expect_refused(&d, CC_E_TEMPLATE_CONFLICT, 0x80094802, "Template identification");
    policy_decision_free(&d);
    request_info_free(&r);
}

static void
test_not_enabled(void **state)
{
    struct fx *f = *state;
    struct request_params p = {.cn = "www.contoso.com"};
    struct request_info r;
    struct policy_decision d;
    make_request(f->rsa, &p, &r);
    assert_false(authority_template_enabled(f->u->st, "CodeSigning"));
    evaluate(f, "Administrator", "Code Signing", &r, 0, &d);
    expect_refused(&d, CC_E_UNSUPPORTED_CERT_TYPE, 0x80094800, "Certificate Templates to Issue");
    assert_non_null(strstr(d.message, "contoso-CA1-CA"));
    policy_decision_free(&d);
    request_info_free(&r);
}

static void
test_template_version(void **state)
{
    struct fx *f = *state;
    struct template t = {0};
    char *cause = NULL;
    make_template(f, "Versioned Web", NULL, NULL);
    UNIT_OK(template_load(f->u->st, "Versioned Web", &t, &cause), cause);
    struct request_params p = {.cn = "www.contoso.com", .template_oid = t.oid};
    struct request_info r;
    struct policy_decision d;

    p.major = t.revision + 1;
    make_request(f->rsa, &p, &r);
    evaluate(f, "Administrator", NULL, &r, 0, &d);
    expect_refused(&d, CC_E_BAD_TEMPLATE_VERSION, 0x80094807, "Template version");
    policy_decision_free(&d);
    request_info_free(&r);

    p.major = t.revision;
    p.minor = t.minor_revision + 1;
    make_request(f->rsa, &p, &r);
    evaluate(f, "Administrator", NULL, &r, 0, &d);
    expect_refused(&d, CC_E_BAD_TEMPLATE_VERSION, 0x80094807, "Template version");
    policy_decision_free(&d);
    request_info_free(&r);

    /* the same version, or an older one, is fine */
    p.minor = t.minor_revision;
    make_request(f->rsa, &p, &r);
    evaluate(f, "Administrator", NULL, &r, 0, &d);
    expect_issued(&d);
    assert_string_equal(d.tmpl.cn, t.cn);
    policy_decision_free(&d);
    request_info_free(&r);
    p.major = t.revision - 1;
    p.minor = t.minor_revision + 5;
    make_request(f->rsa, &p, &r);
    evaluate(f, "Administrator", NULL, &r, 0, &d);
    expect_issued(&d);
    policy_decision_free(&d);
    request_info_free(&r);
    template_free(&t);
}

static void
test_permissions(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    struct request_params p = {.cn = "www.contoso.com"};
    struct request_info r;
    struct policy_decision d;
    make_request(f->rsa, &p, &r);

    /* a Domain User has Request Certificates but no Enroll on Web Server */
    int64_t id = unit_add_user(st, "webrequester");
    evaluate(f, "webrequester", "WebServer", &r, 0, &d);
    expect_refused(&d, CC_E_TEMPLATE_DENIED, 0x80094012, "Template permission (Enroll)");
    assert_non_null(strstr(d.message, "webrequester"));
    policy_decision_free(&d);

    /* without Request Certificates on the CA: refused before the template's Enroll */
    UNIT_OK(authority_permission_set(test_cx(st), id, 0, CA_RIGHT_ENROLL, &cause), cause);
    evaluate(f, "webrequester", "WebServer", &r, 0, &d);
    expect_refused(&d, CC_E_ENROLL_DENIED, 0x80094011, "CA permission (Request Certificates)");
    policy_decision_free(&d);
    /* an administrator denied Request Certificates too */
    UNIT_OK(authority_permission_set(test_cx(st), unit_principal_id(st, "Administrator"), 0,
                                     CA_RIGHT_ENROLL, &cause),
            cause);
    evaluate(f, "Administrator", "WebServer", &r, 0, &d);
    expect_refused(&d, CC_E_ENROLL_DENIED, 0x80094011, "CA permission (Request Certificates)");
    policy_decision_free(&d);
    UNIT_OK(
        authority_permission_set(test_cx(st), unit_principal_id(st, "Administrator"), 0, 0, &cause),
        cause);
    UNIT_OK(authority_permission_set(test_cx(st), id, 0, 0, &cause), cause);

    /* a Deny of Enroll on the template for Domain Admins beats their allow */
    struct template t = {0};
    make_template(f, "Denied Web", NULL, NULL);
    UNIT_OK(template_load(st, "Denied Web", &t, &cause), cause);
    assert_int_equal(acl_grant(&t.acl, unit_principal_id(st, "Domain Admins"), "Domain Admins", 0,
                               ACL_ENROLL),
                     CC_OK);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    template_free(&t);
    evaluate(f, "Administrator", "Denied Web", &r, 0, &d);
    expect_refused(&d, CC_E_TEMPLATE_DENIED, 0x80094012, "Template permission (Enroll)");
    assert_non_null(strstr(d.message, "denied"));
    policy_decision_free(&d);
    request_info_free(&r);
}

static void
test_issuance_requirements(void **state)
{
    struct fx *f = *state;
    struct request_params p = {.cn = "www.contoso.com"};
    struct request_info r;
    struct policy_decision d;
    make_request(f->rsa, &p, &r);
    make_template2(f, "Signed Web", "signatures", "1", "signature-app-policy",
                   "Certificate Request Agent");
    evaluate(f, "Administrator", "Signed Web", &r, 0, &d);
    expect_refused(&d, CC_E_SIGNATURE_POLICY_REQUIRED, 0x80094809, "Issuance requirements");
    policy_decision_free(&d);
    make_template(f, "Archived Web", "archive-key", "yes");
    evaluate(f, "Administrator", "Archived Web", &r, 0, &d);
    expect_refused(&d, CC_E_ARCHIVED_KEY_REQUIRED, 0x80094804, "Issuance requirements");
    policy_decision_free(&d);
    request_info_free(&r);
}

static void
test_key_size(void **state)
{
    struct fx *f = *state;
    struct request_params p = {.cn = "www.contoso.com"};
    struct request_info r;
    struct policy_decision d;
    char *cause = NULL;

    /* RSA 1024 against Web Server's 2048 */
    gnutls_x509_privkey_t small;
    assert_int_equal(gnutls_x509_privkey_init(&small), 0);
    assert_int_equal(gnutls_x509_privkey_generate2(small, GNUTLS_PK_RSA, 1024, 0, NULL, 0), 0);
    make_request(small, &p, &r);
    assert_int_equal(r.bits, 1024);
    evaluate(f, "Administrator", "WebServer", &r, 0, &d);
    expect_refused(&d, CC_E_KEY_LENGTH, 0x80094811, "Key size");
    assert_non_null(strstr(d.message, "1024"));
    assert_non_null(strstr(d.message, "2048"));
    policy_decision_free(&d);
    request_info_free(&r);
    gnutls_x509_privkey_deinit(small);

    /* a 3072 minimum: RSA 2048 is refused */
    make_template(f, "Big Key Web", "min-key-size", "3072");
    make_request(f->rsa, &p, &r);
    evaluate(f, "Administrator", "Big Key Web", &r, 0, &d);
    expect_refused(&d, CC_E_KEY_LENGTH, 0x80094811, "Key size");
    policy_decision_free(&d);
    request_info_free(&r);

    /*
     * The key's own size, not an "RSA-equivalent" strength: P-256 (256
     * bits) and Ed25519 (256 bits) are below Web Server's 2048, and the
     * message says what the template wants.
     */
    gnutls_x509_privkey_t ec, ed;
    UNIT_OK(request_key_generate("ecdsa:p256", &ec, &cause), cause);
    UNIT_OK(request_key_generate("ed25519", &ed, &cause), cause);
    make_request(ec, &p, &r);
    evaluate(f, "Administrator", "WebServer", &r, 0, &d);
    expect_refused(&d, CC_E_KEY_LENGTH, 0x80094811, "Key size");
    assert_non_null(strstr(d.message, "Web Server wants a key of at least 2048 bits"));
    assert_non_null(strstr(d.message, "ECDSA P-256 (256 bits)"));
    policy_decision_free(&d);
    evaluate(f, "Administrator", "Big Key Web", &r, 0, &d);
    expect_refused(&d, CC_E_KEY_LENGTH, 0x80094811, "Key size");
    policy_decision_free(&d);
    request_info_free(&r);
    make_request(ed, &p, &r);
    evaluate(f, "Administrator", "WebServer", &r, 0, &d);
    expect_refused(&d, CC_E_KEY_LENGTH, 0x80094811, "Key size");
    assert_non_null(strstr(d.message, "Ed25519 (256 bits)"));
    policy_decision_free(&d);
    request_info_free(&r);

    /* a template naming ECDSA_P256 takes P-256 and nothing else */
    make_template(f, "EC Web", "algorithm", "ecdsa_p256");
    make_request(ec, &p, &r);
    evaluate(f, "Administrator", "EC Web", &r, 0, &d);
    expect_issued(&d);
    policy_decision_free(&d);
    request_info_free(&r);
    make_request(f->rsa, &p, &r);
    evaluate(f, "Administrator", "EC Web", &r, 0, &d);
    expect_refused(&d, CC_E_KEY_LENGTH, 0x80094811, "Key size");
    assert_non_null(strstr(d.message, "EC Web wants an ECDSA_P256 key (256 bits)"));
    assert_non_null(strstr(d.message, "RSA (2048 bits)"));
    policy_decision_free(&d);
    request_info_free(&r);
    make_request(ed, &p, &r);
    evaluate(f, "Administrator", "EC Web", &r, 0, &d);
    expect_refused(&d, CC_E_KEY_LENGTH, 0x80094811, "Key size");
    policy_decision_free(&d);
    request_info_free(&r);

    /* any algorithm with a 256-bit minimum: Ed25519 passes on its own size */
    make_template(f, "Small Key Web", "min-key-size", "256");
    make_request(ed, &p, &r);
    evaluate(f, "Administrator", "Small Key Web", &r, 0, &d);
    expect_issued(&d);
    policy_decision_free(&d);
    request_info_free(&r);

    /* explain (no request) says what the template wants */
    evaluate(f, "Administrator", "EC Web", NULL, 0, &d);
    int found = 0;
    for (size_t i = 0; i < d.nchecks; i++)
        if (strcmp(d.checks[i].name, "Key size") == 0)
            found = strstr(d.checks[i].detail, "wants an ECDSA_P256 key") != NULL;
    assert_true(found);
    policy_decision_free(&d);
    gnutls_x509_privkey_deinit(ec);
    gnutls_x509_privkey_deinit(ed);
}

static void
test_subject_from_directory(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    /* the request's own subject is ignored when the subject is built from AD */
    struct request_params p = {.cn = "Someone Else", .template_cn = "Machine"};
    struct request_info r;
    struct policy_decision d;
    make_request(f->rsa, &p, &r);

    /* a computer without dNSHostName */
    UNIT_OK(dir_add_computer(test_cx(st), "NODNS1", NULL, NULL, 0, NULL, &cause), cause);
    UNIT_OK(dir_set_attribute(test_cx(st), "NODNS1", "dns", "", &cause), cause);
    evaluate(f, "NODNS1$", NULL, &r, 0, &d);
    expect_refused(&d, CC_E_SUBJECT_DNS_REQUIRED, 0x8009480F,
                   "Subject name (built from the directory)");
    policy_decision_free(&d);
    /* with one: CN and DNS name from the directory */
    evaluate(f, "CLIENT1$", NULL, &r, 0, &d);
    expect_issued(&d);
    gnutls_datum_t dn = {d.names.subject.p, (unsigned)d.names.subject.n}, s = {NULL, 0};
    assert_int_equal(gnutls_x509_rdn_get2(&dn, &s, 0), 0);
    assert_string_equal((const char *)s.data, "CN=client1.contoso.com");
    gnutls_free(s.data);
    assert_int_equal(d.names.dns.n, 1);
    assert_string_equal(d.names.dns.v[0], "client1.contoso.com");
    assert_non_null(d.names.sid);
    policy_decision_free(&d);
    request_info_free(&r);

    /* User: e-mail is checked before the UPN */
    p.template_cn = "User";
    make_request(f->rsa, &p, &r);
    unit_add_user(st, "nomail");
    UNIT_OK(dir_set_attribute(test_cx(st), "nomail", "upn", "", &cause), cause);
    evaluate(f, "nomail", NULL, &r, 0, &d);
    expect_refused(&d, CC_E_SUBJECT_EMAIL_REQUIRED, 0x80094812,
                   "Subject name (built from the directory)");
    policy_decision_free(&d);
    evaluate(f, "Administrator", NULL, &r, 0, &d);
    expect_refused(&d, CC_E_SUBJECT_EMAIL_REQUIRED, 0x80094812,
                   "Subject name (built from the directory)");
    policy_decision_free(&d);
    UNIT_OK(dir_set_attribute(test_cx(st), "nomail", "mail", "nomail@contoso.com", &cause), cause);
    evaluate(f, "nomail", NULL, &r, 0, &d);
    expect_refused(&d, CC_E_SUBJECT_UPN_REQUIRED, 0x8009480D,
                   "Subject name (built from the directory)");
    policy_decision_free(&d);

    /* with both: the directory path and E=, UPN and e-mail names */
    UNIT_OK(dir_set_attribute(test_cx(st), "nomail", "upn", "nomail@contoso.com", &cause), cause);
    evaluate(f, "nomail", NULL, &r, 0, &d);
    expect_issued(&d);
    dn.data = d.names.subject.p;
    dn.size = (unsigned)d.names.subject.n;
    assert_int_equal(gnutls_x509_rdn_get2(&dn, &s, 0), 0);
    assert_non_null(strstr((const char *)s.data, "CN=nomail,CN=Users,DC=contoso,DC=com"));
    assert_non_null(strstr((const char *)s.data, "nomail@contoso.com"));
    assert_null(strstr((const char *)s.data, "Someone Else"));
    gnutls_free(s.data);
    assert_int_equal(d.names.upn.n, 1);
    assert_string_equal(d.names.upn.v[0], "nomail@contoso.com");
    assert_int_equal(d.names.email.n, 1);
    assert_string_equal(d.names.email.v[0], "nomail@contoso.com");
    assert_int_equal(d.names.dns.n, 0);
    policy_decision_free(&d);
    request_info_free(&r);

    /* Authenticated Session: no e-mail needed, only the UPN */
    UNIT_OK(authority_template_enable(test_cx(st), "ClientAuth", &cause), cause);
    unit_add_user(st, "noupn");
    UNIT_OK(dir_set_attribute(test_cx(st), "noupn", "upn", "", &cause), cause);
    p.template_cn = "ClientAuth";
    make_request(f->rsa, &p, &r);
    evaluate(f, "noupn", NULL, &r, 0, &d);
    expect_refused(&d, CC_E_SUBJECT_UPN_REQUIRED, 0x8009480D,
                   "Subject name (built from the directory)");
    policy_decision_free(&d);
    request_info_free(&r);
}

static void
test_subject_from_request(void **state)
{
    struct fx *f = *state;
    struct request_params p = {0};
    struct request_info r;
    struct policy_decision d;
    /* neither subject nor alternative names */
    make_request(f->rsa, &p, &r);
    evaluate(f, "Administrator", "WebServer", &r, 0, &d);
    expect_refused(&d, CC_E_BAD_REQUESTSUBJECT, 0x80094001,
                   "Subject name (supplied in the request)");
    policy_decision_free(&d);
    request_info_free(&r);
    /* a common name over 64 characters */
    p.cn = "a-very-long-host-name-that-goes-on-and-on-and-on.intranet.contoso.com";
    assert_true(strlen(p.cn) > 64);
    make_request(f->rsa, &p, &r);
    evaluate(f, "Administrator", "WebServer", &r, 0, &d);
    expect_refused(&d, CC_E_BAD_REQUESTSUBJECT, 0x80094001,
                   "Subject name (supplied in the request)");
    policy_decision_free(&d);
    request_info_free(&r);
    /* only an alternative name is enough */
    p.cn = NULL;
    assert_int_equal(strlist_add(&p.dns, "san-only.contoso.com"), CC_OK);
    make_request(f->rsa, &p, &r);
    evaluate(f, "Administrator", "WebServer", &r, 0, &d);
    expect_issued(&d);
    assert_string_equal(d.names.dns.v[0], "san-only.contoso.com");
    policy_decision_free(&d);
    request_info_free(&r);
    strlist_free(&p.dns);
}

static void
test_approval_pends(void **state)
{
    struct fx *f = *state;
    struct request_params p = {.cn = "approve.contoso.com"};
    struct request_info r;
    struct policy_decision d;
    make_template(f, "Approved Web", "approval", "yes");
    make_request(f->rsa, &p, &r);
    evaluate(f, "Administrator", "Approved Web", &r, 0, &d);
    expect_issued(&d);
    assert_true(d.pending);
    assert_string_equal(d.message, "Taken Under Submission");
    assert_string_equal(d.checks[d.nchecks - 1].name, "Issuance");
    policy_decision_free(&d);
    /* an officer resubmitting it: issued */
    evaluate(f, "Administrator", "Approved Web", &r, POLICY_RESUBMIT, &d);
    expect_issued(&d);
    assert_false(d.pending);
    assert_string_equal(d.message, "Resubmitted by officer");
    policy_decision_free(&d);
    /* but a resubmission still runs every check: the requester's Enroll too */
    unit_add_user(f->u->st, "pendrequester");
    evaluate(f, "pendrequester", "Approved Web", &r, POLICY_RESUBMIT, &d);
    expect_refused(&d, CC_E_TEMPLATE_DENIED, 0x80094012, "Template permission (Enroll)");
    policy_decision_free(&d);
    request_info_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_issue_web_server, test_setup),
        cmocka_unit_test_setup(test_weak_signature_first, test_setup),
        cmocka_unit_test_setup(test_ca_validity, test_setup),
        cmocka_unit_test_setup(test_template_identification, test_setup),
        cmocka_unit_test_setup(test_not_enabled, test_setup),
        cmocka_unit_test_setup(test_template_version, test_setup),
        cmocka_unit_test_setup(test_permissions, test_setup),
        cmocka_unit_test_setup(test_issuance_requirements, test_setup),
        cmocka_unit_test_setup(test_key_size, test_setup),
        cmocka_unit_test_setup(test_subject_from_directory, test_setup),
        cmocka_unit_test_setup(test_subject_from_request, test_setup),
        cmocka_unit_test_setup(test_approval_pends, test_setup),
    };
    return cmocka_run_group_tests_name("policy", tests, group_setup, group_teardown);
}
