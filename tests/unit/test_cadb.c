/*
 * Unit tests of ca/cadb: cadb_submit issues a certificate that verifies
 * against the CA and records one request row and one certificate row with
 * its serial (16 bytes, top bit clear, never repeated), thumbprint and
 * validity; malformed and refused requests are recorded as failed with
 * their AD CS code; cadb_enroll installs the certificate and its key in
 * the requester's Personal store; revocation takes the RFC 5280 reasons,
 * refuses a second revocation, and only a certificate on hold can be
 * unrevoked; a pending request is issued or denied (0x80094014) by a
 * certificate manager only; the issued, revoked, pending and failed views
 * list exactly the rows of their dispositions and the filter matches text
 * columns case-insensitively; cadb_count and cadb_page count and page the
 * views in every sort order, both ways, at their boundaries, with the
 * filter's % and _ taken literally.
 */
#include "config.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <strings.h>

#include "authority.h"
#include "cadb.h"
#include "certstore.h"
#include "request.h"
#include "ops.h"
#include "template.h"
#include "unit.h"

struct fx {
    struct unit_fx *u;
    struct cadb_session *s;
    gnutls_x509_privkey_t key;
    gnutls_x509_crt_t ca;
    struct dir_principal admin;
};

static int
group_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char *cause = NULL;
    if (f == NULL || (f->u = unit_fx_new("cadb", 1)) == NULL) {
        free(f);
        return -1;
    }
    if (unit_create_ca(f->u, NULL, &cause) != CC_OK ||
        cadb_session_open(test_cx(f->u->st), NULL, &f->s, &cause) != CC_OK ||
        request_key_generate("rsa:2048", &f->key, &cause) != CC_OK ||
        dir_lookup(f->u->st, "Administrator", &f->admin, &cause) != CC_OK) {
        print_error("CA setup: %s\n", cause ? cause : "?");
        free(cause);
        return -1;
    }
    gnutls_x509_crt_init(&f->ca);
    gnutls_x509_crt_import(f->ca, &(gnutls_datum_t){cadb_session_authority(f->s)->info.cert.p,
                                                     (unsigned)cadb_session_authority(f->s)->info.cert.n},
                           GNUTLS_X509_FMT_DER);
    *state = f;
    return 0;
}

static int
group_teardown(void **state)
{
    struct fx *f = *state;
    if (f == NULL)
        return 0;
    cadb_session_close(f->s);
    if (f->key)
        gnutls_x509_privkey_deinit(f->key);
    if (f->ca)
        gnutls_x509_crt_deinit(f->ca);
    dir_principal_free(&f->admin);
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

/* A Web Server request for cn (DER); allocated in der. */
static void
csr(struct fx *f, const char *cn, const char *template_cn, struct pkix_buf *der)
{
    struct request_params p = {.cn = cn, .template_cn = template_cn};
    char *cause = NULL;
    assert_int_equal(strlist_add(&p.dns, cn), CC_OK);
    UNIT_OK(request_build(f->key, &p, der, &cause), cause);
    strlist_free(&p.dns);
}

/* Submits a request for cn as the Administrator with template; fills o. */
static void
submit(struct fx *f, const char *cn, const char *template_name, struct cadb_outcome *o)
{
    struct pkix_buf der = {0};
    char *cause = NULL;
    csr(f, cn, NULL, &der);
    UNIT_OK(cadb_submit(f->s, &f->admin, template_name, der.p, der.n, o, &cause), cause);
    pkix_buf_free(&der);
}

/* Issues a Web Server certificate for cn; returns its serial (allocated). */
static char *
issue(struct fx *f, const char *cn)
{
    struct cadb_outcome o;
    submit(f, cn, "WebServer", &o);
    if (o.disposition != DISP_ISSUED)
        fail_msg("%s not issued: %s", cn, o.message ? o.message : "?");
    char *serial = cc_strdup(o.serial);
    cadb_outcome_free(&o);
    return serial;
}

/* Request id's row; free with cadb_rows_free(row, 1). */
static struct cadb_row *
get_row(struct fx *f, int64_t id)
{
    struct cadb_row *row = calloc(1, sizeof *row);
    char *cause = NULL;
    assert_non_null(row);
    UNIT_OK(cadb_get(f->u->st, id, row, &cause), cause);
    return row;
}

static void
test_submit_issues(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    int64_t requests = unit_count(st, "SELECT count(*) FROM request");
    int64_t certs = unit_count(st, "SELECT count(*) FROM certificate");
    struct cadb_outcome o;
    submit(f, "www.contoso.com", "Web Server", &o);
    assert_int_equal(o.disposition, DISP_ISSUED);
    assert_int_equal(o.status, CC_OK);
    assert_string_equal(o.template_cn, "WebServer");
    assert_true(o.request_id > 0);
    assert_int_equal(strlen(o.serial), 32);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM request"), requests + 1);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM certificate"), certs + 1);

    /* the certificate: verifies against the CA, 16-byte positive serial */
    gnutls_x509_crt_t crt;
    gnutls_datum_t d = {o.cert.p, (unsigned)o.cert.n};
    assert_int_equal(gnutls_x509_crt_init(&crt), 0);
    assert_int_equal(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER), 0);
    unsigned status = 99;
    assert_int_equal(gnutls_x509_crt_verify(crt, &f->ca, 1, GNUTLS_VERIFY_DISABLE_TIME_CHECKS,
                                            &status),
                     0);
    assert_int_equal(status, 0);
    unsigned char serial[32];
    size_t slen = sizeof serial;
    assert_int_equal(gnutls_x509_crt_get_serial(crt, serial, &slen), 0);
    assert_int_equal(slen, 16);
    assert_int_equal(serial[0] & 0x80, 0);
    char *hex = pkix_hex(serial, slen);
    assert_string_equal(hex, o.serial);
    free(hex);
    /*
     * ten minutes of clock skew, but never before the CA's own start (the CA
     * was made at the same lab time); two years of Web Server
     */
    assert_int_equal(gnutls_x509_crt_get_activation_time(crt), f->u->now);
    assert_int_equal(gnutls_x509_crt_get_expiration_time(crt), f->u->now + 2 * PERIOD_YEAR);
    char cn[128];
    size_t cnlen = sizeof cn;
    assert_int_equal(gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn,
                                                   &cnlen),
                     0);
    assert_string_equal(cn, "www.contoso.com");
    /* the authority key identifier is the CA's subject key identifier */
    unsigned char aki[64], ski[64];
    size_t akilen = sizeof aki, skilen = sizeof ski;
    unsigned crit;
    assert_int_equal(gnutls_x509_crt_get_authority_key_id(crt, aki, &akilen, &crit), 0);
    assert_int_equal(gnutls_x509_crt_get_subject_key_id(f->ca, ski, &skilen, &crit), 0);
    assert_int_equal(akilen, skilen);
    assert_memory_equal(aki, ski, akilen);
    unsigned char sha1[20];
    size_t sha1len = sizeof sha1;
    assert_int_equal(gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA1, sha1, &sha1len), 0);
    char *thumb = pkix_hex(sha1, sha1len);
    gnutls_x509_crt_deinit(crt);

    /* the row */
    struct cadb_row *row = get_row(f, o.request_id);
    assert_int_equal(row->disposition, DISP_ISSUED);
    assert_int_equal(row->status, 0);
    assert_string_equal(row->requester, "CONTOSO\\Administrator");
    assert_string_equal(row->template_cn, "WebServer");
    assert_string_equal(row->request_cn, "www.contoso.com");
    assert_string_equal(row->serial, o.serial);
    assert_string_equal(row->thumbprint, thumb);
    assert_string_equal(row->common_name, "www.contoso.com");
    assert_int_equal(row->submitted, f->u->now);
    assert_int_equal(row->resolved, f->u->now);
    assert_int_equal(row->not_before, f->u->now);
    assert_int_equal(row->revoked_reason, -1);
    cadb_rows_free(row, 1);
    free(thumb);
    cadb_outcome_free(&o);

    /* a day later the ten minutes of skew show */
    test_clock_set(f->u->now + 86400);
    submit(f, "later.contoso.com", "WebServer", &o);
    test_clock_set(f->u->now);
    assert_int_equal(o.disposition, DISP_ISSUED);
    d.data = o.cert.p;
    d.size = (unsigned)o.cert.n;
    assert_int_equal(gnutls_x509_crt_init(&crt), 0);
    assert_int_equal(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER), 0);
    assert_int_equal(gnutls_x509_crt_get_activation_time(crt), f->u->now + 86400 - 600);
    assert_int_equal(gnutls_x509_crt_get_expiration_time(crt),
                     f->u->now + 86400 + 2 * PERIOD_YEAR);
    gnutls_x509_crt_deinit(crt);
    cadb_outcome_free(&o);

    char *cause = NULL;
    struct cadb_row none;
    UNIT_FAILS(cadb_get(st, 999999, &none, &cause), CC_E_NO_REQUEST, cause, "999999");
}

static void
test_serials_unique(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    struct pkix_buf der = {0};
    struct strlist seen = {0};
    char *cause = NULL;
    csr(f, "same.contoso.com", "WebServer", &der);
    for (int i = 0; i < 40; i++) {
        struct cadb_outcome o;
        UNIT_OK(cadb_submit(f->s, &f->admin, NULL, der.p, der.n, &o, &cause), cause);
        assert_int_equal(o.disposition, DISP_ISSUED);
        assert_int_equal(strlen(o.serial), 32);
        assert_true(strchr("01234567", o.serial[0]) != NULL);
        for (size_t j = 0; j < seen.n; j++)
            assert_string_not_equal(seen.v[j], o.serial);
        assert_int_equal(strlist_add(&seen, o.serial), CC_OK);
        cadb_outcome_free(&o);
    }
    assert_int_equal(unit_count(st, "SELECT count(DISTINCT serial) FROM certificate"),
                     unit_count(st, "SELECT count(*) FROM certificate"));
    assert_int_equal(unit_count(st, "SELECT count(*) FROM serial_used"),
                     unit_count(st, "SELECT count(*) FROM certificate"));
    strlist_free(&seen);
    pkix_buf_free(&der);
}

static void
test_failed_requests_recorded(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    struct cadb_outcome o;
    static const char junk[] = "this is not a request";
    UNIT_OK(cadb_submit(f->s, &f->admin, "WebServer", junk, sizeof junk - 1, &o, &cause), cause);
    assert_int_equal(o.disposition, DISP_ERROR);
    assert_int_equal(o.status, CC_E_BAD_REQUEST);
    assert_int_equal(o.cert.n, 0);
    struct cadb_row *rows = NULL;
    size_t n = 0;
    UNIT_OK(cadb_list(st, CADB_FAILED, NULL, &rows, &n, &cause), cause);
    assert_true(n >= 1);
    assert_int_equal(rows[n - 1].id, o.request_id);
    assert_int_equal(rows[n - 1].disposition, DISP_ERROR);
    assert_int_equal(rows[n - 1].status, 0x80090005u);
    assert_string_equal(rows[n - 1].serial, "");
    cadb_rows_free(rows, n);
    cadb_outcome_free(&o);

    /* refused by policy: denied, with the policy module's code and message */
    struct dir_principal user = {0};
    unit_add_user(st, "nowebenroll");
    UNIT_OK(dir_lookup(st, "nowebenroll", &user, &cause), cause);
    struct pkix_buf der = {0};
    csr(f, "denied.contoso.com", NULL, &der);
    int64_t certs = unit_count(st, "SELECT count(*) FROM certificate");
    UNIT_OK(cadb_submit(f->s, &user, "WebServer", der.p, der.n, &o, &cause), cause);
    assert_int_equal(o.disposition, DISP_DENIED);
    assert_int_equal(o.status, CC_E_TEMPLATE_DENIED);
    assert_non_null(strstr(o.message, "0x80094012"));
    assert_int_equal(unit_count(st, "SELECT count(*) FROM certificate"), certs);
    struct cadb_row *row = get_row(f, o.request_id);
    assert_int_equal(row->disposition, DISP_DENIED);
    assert_int_equal(row->status, 0x80094012u);
    assert_string_equal(row->requester, "CONTOSO\\nowebenroll");
    assert_string_equal(row->request_cn, "denied.contoso.com");
    cadb_rows_free(row, 1);
    cadb_outcome_free(&o);
    pkix_buf_free(&der);
    dir_principal_free(&user);
}

static void
test_enroll_installs(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    struct cadb_enroll_params p = {.template_name = "Web Server",
                                   .cn = "enroll.contoso.com",
                                   .key_type = "rsa:2048",
                                   .friendly_name = "intranet"};
    assert_int_equal(strlist_add(&p.dns, "enroll.contoso.com"), CC_OK);
    struct cadb_outcome o;
    UNIT_OK(cadb_enroll(f->s, &f->admin, &p, &o, &cause), cause);
    assert_int_equal(o.disposition, DISP_ISSUED);
    struct certstore_entry e;
    UNIT_OK(certstore_find(test_cx(st), f->admin.id, o.serial, &e, &cause), cause);
    assert_string_equal(e.serial, o.serial);
    assert_string_equal(e.template_cn, "WebServer");
    assert_string_equal(e.friendly_name, "intranet");
    assert_true(e.key_id > 0);
    assert_false(e.exportable); /* Web Server keys are not exportable */
    assert_int_equal(e.request_id, o.request_id);
    assert_int_equal(e.der.n, o.cert.n);
    assert_memory_equal(e.der.p, o.cert.p, o.cert.n);
    /* the stored key is the certificate's key */
    gnutls_x509_privkey_t key;
    UNIT_OK(certstore_key(test_cx(st), &e, &key, &cause), cause);
    gnutls_x509_crt_t crt;
    gnutls_datum_t d = {e.der.p, (unsigned)e.der.n};
    unsigned char a[64], b[64];
    size_t al = sizeof a, bl = sizeof b;
    assert_int_equal(gnutls_x509_crt_init(&crt), 0);
    assert_int_equal(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER), 0);
    assert_int_equal(gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA1, a, &al), 0);
    assert_int_equal(gnutls_x509_privkey_get_key_id(key, GNUTLS_KEYID_USE_SHA1, b, &bl), 0);
    assert_memory_equal(a, b, 20);
    gnutls_x509_crt_deinit(crt);
    gnutls_x509_privkey_deinit(key);
    certstore_entry_free(&e);
    cadb_outcome_free(&o);

    /* a computer enrolling for Computer: names from the directory */
    struct dir_principal server = {0};
    UNIT_OK(dir_lookup(st, "SERVER1$", &server, &cause), cause);
    struct cadb_enroll_params m = {.template_name = "Machine", .key_type = "rsa:2048"};
    UNIT_OK(cadb_enroll(f->s, &server, &m, &o, &cause), cause);
    assert_int_equal(o.disposition, DISP_ISSUED);
    UNIT_OK(certstore_find(test_cx(st), server.id, "Machine", &e, &cause), cause);
    assert_string_equal(e.subject, "CN=server1.internal.contoso.com");
    certstore_entry_free(&e);
    cadb_outcome_free(&o);

    /* an unknown template */
    m.template_name = "Nonesuch";
    UNIT_FAILS(cadb_enroll(f->s, &server, &m, &o, &cause), CC_E_UNSUPPORTED_CERT_TYPE, cause,
               "Nonesuch");
    dir_principal_free(&server);
    strlist_free(&p.dns);
}

/*
 * Requesting for another principal: refused before anything is parsed,
 * signed or generated (no request row, no key), with the refusal audited;
 * and the right is checked again by whoever records a prepared request.
 */
static void
test_on_behalf_refused_first(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    struct dir_principal mallory = {0};
    unit_add_user(st, "mallory");
    unit_add_user(st, "eve");
    UNIT_OK(dir_lookup(st, "mallory", &mallory, &cause), cause);
    struct pkix_buf der = {0};
    csr(f, "onbehalf.contoso.com", NULL, &der);
    int64_t requests = unit_count(st, "SELECT count(*) FROM request");
    int64_t keys = unit_count(st, "SELECT count(*) FROM store_key");
    int64_t refused = unit_count(st, "SELECT count(*) FROM audit WHERE result = 'refused'");

    unit_act_as(st, "mallory");
    struct cadb_prepared *p = (struct cadb_prepared *)&p; /* must be reset to NULL */
    UNIT_FAILS(cadb_prepare(f->s, &f->admin, "WebServer", der.p, der.n, &p, &cause), CC_EACCES,
               cause, "may not request certificates for CONTOSO\\Administrator");
    assert_null(p);
    struct cadb_outcome o;
    UNIT_FAILS(cadb_submit(f->s, &f->admin, "WebServer", der.p, der.n, &o, &cause), CC_EACCES,
               cause, "may not request");
    struct cadb_enroll_params ep = {.template_name = "User", .key_type = "rsa:2048"};
    struct cadb_enrollment *e = (struct cadb_enrollment *)&e;
    UNIT_FAILS(cadb_enroll_prepare(f->s, &f->admin, &ep, &e, &cause), CC_EACCES, cause,
               "may not request");
    assert_null(e);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM request"), requests);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM store_key"), keys);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE result = 'refused'"),
                     refused + 3);

    /* prepared by the Administrator for mallory, recorded by eve: refused, nothing written */
    unit_act_as(st, "Administrator");
    UNIT_OK(cadb_prepare(f->s, &mallory, "WebServer", der.p, der.n, &p, &cause), cause);
    assert_non_null(p);
    unit_act_as(st, "eve");
    UNIT_FAILS(cadb_record(f->s, &mallory, p, &o, &cause), CC_EACCES, cause,
               "may not request certificates for CONTOSO\\mallory");
    assert_int_equal(unit_count(st, "SELECT count(*) FROM request"), requests);
    /* recorded by the Administrator it stands: mallory has no Enroll on Web Server */
    unit_act_as(st, "Administrator");
    UNIT_OK(cadb_record(f->s, &mallory, p, &o, &cause), cause);
    assert_int_equal(o.disposition, DISP_DENIED);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM request"), requests + 1);
    cadb_outcome_free(&o);
    cadb_prepared_free(p);
    pkix_buf_free(&der);
    dir_principal_free(&mallory);
}

static void
test_revoke(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    char *s1 = issue(f, "revoke1.contoso.com");
    char *s2 = issue(f, "revoke2.contoso.com");
    char *s3 = issue(f, "revoke3.contoso.com");

    UNIT_OK(cadb_revoke(test_cx(st), s1, 1, CADB_NOW, &cause), cause);
    struct cadb_row *rows = NULL;
    size_t n = 0;
    UNIT_OK(cadb_list(st, CADB_REVOKED, s1, &rows, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].disposition, DISP_REVOKED);
    assert_int_equal(rows[0].revoked_reason, 1);
    assert_int_equal(rows[0].revoked_when, f->u->now);
    assert_int_equal(rows[0].revoked_effective, f->u->now);
    cadb_rows_free(rows, n);
    UNIT_OK(cadb_list(st, CADB_ISSUED, s1, &rows, &n, &cause), cause);
    assert_int_equal(n, 0);
    cadb_rows_free(rows, n);

    /* twice: refused; unrevoking a key compromise: refused */
    UNIT_FAILS(cadb_revoke(test_cx(st), s1, 4, CADB_NOW, &cause), CC_E_BAD_REQUESTSTATUS, cause,
               "already");
    UNIT_FAILS(cadb_unrevoke(test_cx(st), s1, &cause), CC_E_BAD_REQUESTSTATUS, cause,
               "certificateHold");
    /* an issued certificate cannot be unrevoked */
    UNIT_FAILS(cadb_unrevoke(test_cx(st), s3, &cause), CC_E_BAD_REQUESTSTATUS, cause, "");

    /* on hold, with an effective date in the future, written in upper case with colons */
    struct pkix_buf raw = {0};
    assert_int_equal(pkix_unhex(s2, &raw), CC_OK);
    char spelled[80] = "";
    for (size_t i = 0; i < raw.n; i++)
        snprintf(spelled + strlen(spelled), sizeof spelled - strlen(spelled), "%s%02X",
                 i ? ":" : "", raw.p[i]);
    pkix_buf_free(&raw);
    /* never in effect before the certificate itself (nor at the epoch, which is no "now") */
    UNIT_FAILS(cadb_revoke(test_cx(st), s2, 1, f->u->now - 86400, &cause), CC_EINVAL, cause,
               "valid only from");
    UNIT_FAILS(cadb_revoke(test_cx(st), s2, 1, 0, &cause), CC_EINVAL, cause, "1970-01-01");
    UNIT_OK(cadb_list(st, CADB_ISSUED, s2, &rows, &n, &cause), cause);
    assert_int_equal(n, 1);
    cadb_rows_free(rows, n);
    UNIT_OK(cadb_revoke(test_cx(st), spelled, 6, f->u->now + 86400, &cause), cause);
    UNIT_OK(cadb_list(st, CADB_REVOKED, s2, &rows, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].revoked_reason, 6);
    assert_int_equal(rows[0].revoked_effective, f->u->now + 86400);
    cadb_rows_free(rows, n);
    /* released from hold: issued again */
    UNIT_OK(cadb_unrevoke(test_cx(st), s2, &cause), cause);
    UNIT_OK(cadb_list(st, CADB_ISSUED, s2, &rows, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].revoked_reason, -1);
    assert_int_equal(rows[0].revoked_when, 0);
    cadb_rows_free(rows, n);
    /* on hold, then revoked for good */
    UNIT_OK(cadb_revoke(test_cx(st), s2, 6, CADB_NOW, &cause), cause);
    UNIT_OK(cadb_revoke(test_cx(st), s2, 1, CADB_NOW, &cause), cause);
    UNIT_FAILS(cadb_unrevoke(test_cx(st), s2, &cause), CC_E_BAD_REQUESTSTATUS, cause, "");

    /* reasons outside 0..6, unknown serials, not hex */
    UNIT_FAILS(cadb_revoke(test_cx(st), s3, 7, CADB_NOW, &cause), CC_EINVAL, cause, "7");
    UNIT_FAILS(cadb_revoke(test_cx(st), s3, 8, CADB_NOW, &cause), CC_EINVAL, cause, "8");
    UNIT_FAILS(cadb_revoke(test_cx(st), s3, -1, CADB_NOW, &cause), CC_EINVAL, cause, "");
    UNIT_FAILS(cadb_revoke(test_cx(st), "0123456789abcdef0123456789abcdef", 0, CADB_NOW, &cause),
               CC_ENOTFOUND, cause, "0123456789abcdef");
    UNIT_FAILS(cadb_revoke(test_cx(st), "xyz", 0, CADB_NOW, &cause), CC_EINVAL, cause, "xyz");
    /* a leading zero byte as some tools print it */
    char *padded = cc_asprintf("00%s", s3);
    UNIT_OK(cadb_revoke(test_cx(st), padded, 0, CADB_NOW, &cause), cause);
    free(padded);

    /* only Issue and Manage Certificates */
    char *s4 = issue(f, "revoke4.contoso.com");
    unit_add_user(st, "norevoke");
    unit_act_as(st, "norevoke");
    UNIT_FAILS(cadb_revoke(test_cx(st), s4, 1, CADB_NOW, &cause), CC_EACCES, cause,
               "Issue and Manage Certificates");
    unit_act_as(st, "Administrator");
    UNIT_OK(cadb_list(st, CADB_ISSUED, s4, &rows, &n, &cause), cause);
    assert_int_equal(n, 1);
    cadb_rows_free(rows, n);
    free(s1);
    free(s2);
    free(s3);
    free(s4);
}

/* The DER SubjectPublicKeyInfo of key, into d (gnutls_free it). */
static void
spki_of(gnutls_x509_privkey_t key, gnutls_datum_t *d)
{
    gnutls_privkey_t pk;
    gnutls_pubkey_t pub;
    assert_int_equal(gnutls_privkey_init(&pk), 0);
    assert_int_equal(gnutls_privkey_import_x509(pk, key, 0), 0);
    assert_int_equal(gnutls_pubkey_init(&pub), 0);
    assert_int_equal(gnutls_pubkey_import_privkey(pub, pk, 0, 0), 0);
    assert_int_equal(gnutls_pubkey_export2(pub, GNUTLS_X509_FMT_DER, d), 0);
    gnutls_pubkey_deinit(pub);
    gnutls_privkey_deinit(pk);
}

/* How many audit records of serial's certificate say field (result ok or refused). */
static int64_t
audit_count(struct store *st, const char *serial, const char *field, const char *result)
{
    char *sql = cc_asprintf("SELECT COUNT(*) FROM audit WHERE kind = 'certificate' AND object = "
                            "'%s' AND field = '%s' AND result = '%s'",
                            serial, field, result);
    assert_non_null(sql);
    int64_t n = unit_count(st, sql);
    free(sql);
    return n;
}

/*
 * A holder's revocation (ACME revokeCert) needs no CA role, but only two
 * proofs count: the certificate's own key, or being the account it was
 * issued to. Anyone else is refused, and the refusal audited; a revocation
 * is audited with how the holder proved it.
 */
static void
test_revoke_by_holder(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    char *s1 = issue(f, "holder1.contoso.com"); /* requested by the Administrator */
    char *s2 = issue(f, "holder2.contoso.com");
    gnutls_datum_t mine = {NULL, 0}, other = {NULL, 0};
    gnutls_x509_privkey_t okey;
    spki_of(f->key, &mine);
    UNIT_OK(request_key_generate("ecdsa:p256", &okey, &cause), cause);
    spki_of(okey, &other);
    gnutls_x509_privkey_deinit(okey);
    struct cadb_holder by_account = {NULL, 0, "ACME account 1, which ordered it"};
    struct cadb_holder by_key = {mine.data, mine.size, "ACME revokeCert signed with its key"};
    struct cadb_holder by_other = {other.data, other.size, "ACME revokeCert signed with its key"};
    struct cadb_holder no_proof = {NULL, 0, NULL};

    /* another account, with no role: not its certificate, and not its key */
    unit_add_user(st, "holder");
    unit_act_as(st, "holder");
    UNIT_FAILS(cadb_revoke_by_holder(test_cx(st), s1, 1, &by_account, &cause), CC_EACCES, cause,
               "not issued to this account");
    UNIT_FAILS(cadb_revoke_by_holder(test_cx(st), s1, 1, &by_other, &cause), CC_EACCES, cause,
               "certificate's key");
    UNIT_FAILS(cadb_revoke_by_holder(test_cx(st), s1, 1, NULL, &cause), CC_EINVAL, cause, "proof");
    UNIT_FAILS(cadb_revoke_by_holder(test_cx(st), s1, 1, &no_proof, &cause), CC_EINVAL, cause,
               "proof");
    /* the system context is no one's account either */
    unit_act_as(st, NULL);
    UNIT_FAILS(cadb_revoke_by_holder(test_cx(st), s1, 1, &by_account, &cause), CC_EACCES, cause,
               "not issued to this account");
    assert_int_equal(audit_count(st, s1, "revocation", "refused"), 3);
    struct cadb_row *rows = NULL;
    size_t n = 0;
    UNIT_OK(cadb_list(st, CADB_ISSUED, s1, &rows, &n, &cause), cause);
    assert_int_equal(n, 1);
    cadb_rows_free(rows, n);

    /* a holder's reasons only: not cACompromise, not a hold */
    unit_act_as(st, "holder");
    UNIT_FAILS(cadb_revoke_by_holder(test_cx(st), s1, 2, &by_key, &cause), CC_EINVAL, cause,
               "cACompromise");
    UNIT_FAILS(cadb_revoke_by_holder(test_cx(st), s1, 6, &by_key, &cause), CC_EINVAL, cause,
               "certificateHold");

    /* the certificate's key: anyone holding it */
    UNIT_OK(cadb_revoke_by_holder(test_cx(st), s1, 1, &by_key, &cause), cause);
    UNIT_OK(cadb_list(st, CADB_REVOKED, s1, &rows, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].revoked_reason, 1);
    cadb_rows_free(rows, n);
    assert_int_equal(audit_count(st, s1, "revocation", "ok"), 1);
    assert_int_equal(audit_count(st, s1, "revoked by", "ok"), 1);
    UNIT_FAILS(cadb_revoke_by_holder(test_cx(st), s1, 1, &by_key, &cause), CC_E_BAD_REQUESTSTATUS,
               cause, "already");

    /* the account it was issued to, without the key */
    unit_act_as(st, "Administrator");
    UNIT_OK(cadb_revoke_by_holder(test_cx(st), s2, 4, &by_account, &cause), cause);
    UNIT_OK(cadb_list(st, CADB_REVOKED, s2, &rows, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].revoked_reason, 4);
    cadb_rows_free(rows, n);
    assert_int_equal(audit_count(st, s2, "revoked by", "ok"), 1);
    gnutls_free(mine.data);
    gnutls_free(other.data);
    free(s1);
    free(s2);
}

static void
test_reason_names(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int reason;
    } ok[] = {
        {"unspecified", 0}, {"keyCompromise", 1}, {"KEY-COMPROMISE", 1},
        {"cACompromise", 2}, {"affiliationChanged", 3}, {"superseded", 4},
        {"cessationOfOperation", 5}, {"cease-of-operation", 5}, {"certificateHold", 6},
        {"hold", 6}, {"6", 6}, {"0", 0},
    };
    char *cause = NULL;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int r = -1;
        UNIT_OK(cadb_reason_parse(ok[i].text, &r, &cause), cause);
        assert_int_equal(r, ok[i].reason);
    }
    int r;
    UNIT_FAILS(cadb_reason_parse("7", &r, &cause), CC_EINVAL, cause, "7");
    UNIT_FAILS(cadb_reason_parse("removeFromCRL", &r, &cause), CC_EINVAL, cause, "");
    UNIT_FAILS(cadb_reason_parse("", &r, &cause), CC_EINVAL, cause, "");
    assert_string_equal(cadb_reason_name(1), "keyCompromise");
    assert_string_equal(cadb_reason_name(6), "certificateHold");
    assert_string_equal(cadb_reason_name(8), "removeFromCRL");
    assert_string_equal(cadb_reason_name(7), "unknown");
    assert_string_equal(cadb_reason_name(-1), "unknown");
}

static void
make_approval_template(struct fx *f)
{
    struct store *st = f->u->st;
    struct template t = {0};
    char *cause = NULL;
    if (authority_template_enabled(st, "ApprovedWeb"))
        return;
    UNIT_OK(template_duplicate(test_cx(st), "Web Server", "Approved Web", COMPAT_2008, &t, &cause),
            cause);
    UNIT_OK(template_set(st, &t, "approval", "yes", &cause), cause);
    UNIT_OK(template_save(test_cx(st), &t, &cause), cause);
    UNIT_OK(authority_template_enable(test_cx(st), "Approved Web", &cause), cause);
    template_free(&t);
}

static void
test_pending(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    make_approval_template(f);
    struct cadb_outcome o1, o2, o3;
    submit(f, "pending1.contoso.com", "Approved Web", &o1);
    submit(f, "pending2.contoso.com", "Approved Web", &o2);
    assert_int_equal(o1.disposition, DISP_PENDING);
    assert_int_equal(o1.status, CC_OK);
    assert_string_equal(o1.message, "Taken Under Submission");
    assert_int_equal(o1.cert.n, 0);
    assert_string_equal(o1.serial, "");
    struct cadb_row *row = get_row(f, o1.request_id);
    assert_int_equal(row->disposition, DISP_PENDING);
    assert_int_equal(row->resolved, 0);
    cadb_rows_free(row, 1);

    /* a plain user may neither deny nor approve */
    unit_add_user(st, "notofficer");
    unit_act_as(st, "notofficer");
    UNIT_FAILS(cadb_deny(test_cx(st), o1.request_id, &cause), CC_EACCES, cause, "Issue and Manage");
    UNIT_FAILS(cadb_approve(f->s, o1.request_id, &o3, &cause), CC_EACCES, cause,
               "Issue and Manage");
    unit_act_as(st, "Administrator");

    /* deny: 0x80094014, Denied by the officer, in Failed Requests */
    UNIT_OK(cadb_deny(test_cx(st), o1.request_id, &cause), cause);
    row = get_row(f, o1.request_id);
    assert_int_equal(row->disposition, DISP_DENIED);
    assert_int_equal(row->status, 0x80094014u);
    assert_string_equal(row->message, "Denied by CONTOSO\\Administrator");
    cadb_rows_free(row, 1);
    UNIT_FAILS(cadb_deny(test_cx(st), o1.request_id, &cause), CC_E_BAD_REQUESTSTATUS, cause,
               "denied");
    UNIT_FAILS(cadb_deny(test_cx(st), 999999, &cause), CC_E_NO_REQUEST, cause, "");

    /* approve: issued, with a serial, no longer pending */
    UNIT_OK(cadb_approve(f->s, o2.request_id, &o3, &cause), cause);
    assert_int_equal(o3.disposition, DISP_ISSUED);
    assert_int_equal(o3.status, CC_OK);
    assert_true(o3.cert.n > 0);
    assert_int_equal(strlen(o3.serial), 32);
    assert_string_equal(o3.message, "Resubmitted by CONTOSO\\Administrator");
    UNIT_FAILS(cadb_deny(test_cx(st), o2.request_id, &cause), CC_E_BAD_REQUESTSTATUS, cause,
               "issued");
    cadb_outcome_free(&o3);
    UNIT_FAILS(cadb_approve(f->s, o2.request_id, &o3, &cause), CC_E_BAD_REQUESTSTATUS, cause,
               "issued");
    /* a denied request can be resubmitted by an officer */
    UNIT_OK(cadb_approve(f->s, o1.request_id, &o3, &cause), cause);
    assert_int_equal(o3.disposition, DISP_ISSUED);
    cadb_outcome_free(&o3);
    cadb_outcome_free(&o1);
    cadb_outcome_free(&o2);

    /* enrolling: the key waits for approval, then comes with the certificate */
    struct cadb_enroll_params p = {.template_name = "Approved Web", .cn = "wait.contoso.com",
                                   .key_type = "rsa:2048"};
    UNIT_OK(cadb_enroll(f->s, &f->admin, &p, &o1, &cause), cause);
    assert_int_equal(o1.disposition, DISP_PENDING);
    char *sql = cc_asprintf("SELECT count(*) FROM store_key WHERE request_id = %lld",
                            (long long)o1.request_id);
    assert_int_equal(unit_count(st, sql), 1);
    UNIT_OK(cadb_approve(f->s, o1.request_id, &o3, &cause), cause);
    assert_int_equal(unit_count(st, sql), 0);
    struct certstore_entry e;
    UNIT_OK(certstore_find(test_cx(st), f->admin.id, o3.serial, &e, &cause), cause);
    assert_true(e.key_id > 0);
    assert_int_equal(e.request_id, o1.request_id);
    certstore_entry_free(&e);
    cadb_outcome_free(&o3);
    cadb_outcome_free(&o1);
    /* denied: the waiting key goes */
    UNIT_OK(cadb_enroll(f->s, &f->admin, &p, &o1, &cause), cause);
    free(sql);
    sql = cc_asprintf("SELECT count(*) FROM store_key WHERE request_id = %lld",
                      (long long)o1.request_id);
    assert_int_equal(unit_count(st, sql), 1);
    UNIT_OK(cadb_deny(test_cx(st), o1.request_id, &cause), cause);
    assert_int_equal(unit_count(st, sql), 0);
    free(sql);
    cadb_outcome_free(&o1);
}

/* Every row of view has one of the dispositions; their number is the SQL count. */
static void
expect_view(struct store *st, enum cadb_view view, const char *where, int d1, int d2)
{
    struct cadb_row *rows = NULL;
    size_t n = 0;
    char *cause = NULL;
    UNIT_OK(cadb_list(st, view, NULL, &rows, &n, &cause), cause);
    char *sql = cc_asprintf("SELECT count(*) FROM request WHERE %s", where);
    assert_int_equal((int64_t)n, unit_count(st, sql));
    free(sql);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        assert_true(rows[i].disposition == d1 || rows[i].disposition == d2);
        if (i > 0)
            assert_true(rows[i].id > rows[i - 1].id);
        if (view == CADB_ISSUED || view == CADB_REVOKED)
            assert_int_equal(strlen(rows[i].serial), 32);
    }
    cadb_rows_free(rows, n);
}

static void
test_views_and_filter(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    /* one row of each kind, whatever ran before */
    char *s = issue(f, "view-issued.contoso.com");
    char *r = issue(f, "view-revoked.contoso.com");
    UNIT_OK(cadb_revoke(test_cx(st), r, 5, CADB_NOW, &cause), cause);
    make_approval_template(f);
    struct cadb_outcome o;
    submit(f, "view-pending.contoso.com", "Approved Web", &o);
    int64_t pending = o.request_id;
    cadb_outcome_free(&o);
    static const char junk[] = "junk";
    UNIT_OK(cadb_submit(f->s, &f->admin, NULL, junk, 4, &o, &cause), cause);
    cadb_outcome_free(&o);

    expect_view(st, CADB_ISSUED, "disposition = 20", DISP_ISSUED, DISP_ISSUED);
    expect_view(st, CADB_REVOKED, "disposition = 21", DISP_REVOKED, DISP_REVOKED);
    expect_view(st, CADB_PENDING, "disposition = 9", DISP_PENDING, DISP_PENDING);
    expect_view(st, CADB_FAILED, "disposition IN (30, 31)", DISP_ERROR, DISP_DENIED);

    struct cadb_row *rows = NULL;
    size_t n = 0;
    UNIT_OK(cadb_list(st, CADB_ALL, NULL, &rows, &n, &cause), cause);
    assert_int_equal((int64_t)n, unit_count(st, "SELECT count(*) FROM request"));
    cadb_rows_free(rows, n);

    /* the filter: any case, request CN, serial, request id */
    UNIT_OK(cadb_list(st, CADB_ALL, "VIEW-ISSUED.contoso", &rows, &n, &cause), cause);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].serial, s);
    cadb_rows_free(rows, n);
    UNIT_OK(cadb_list(st, CADB_ISSUED, s, &rows, &n, &cause), cause);
    assert_int_equal(n, 1);
    cadb_rows_free(rows, n);
    UNIT_OK(cadb_list(st, CADB_ISSUED, "view-pending", &rows, &n, &cause), cause);
    assert_int_equal(n, 0);
    cadb_rows_free(rows, n);
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)pending);
    UNIT_OK(cadb_list(st, CADB_PENDING, id, &rows, &n, &cause), cause);
    assert_true(n >= 1);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found |= rows[i].id == pending;
    assert_true(found);
    cadb_rows_free(rows, n);
    /* LIKE wildcards are taken literally */
    UNIT_OK(cadb_list(st, CADB_ALL, "view%contoso", &rows, &n, &cause), cause);
    assert_int_equal(n, 0);
    cadb_rows_free(rows, n);
    UNIT_OK(cadb_list(st, CADB_ALL, "view_issued", &rows, &n, &cause), cause);
    assert_int_equal(n, 0);
    cadb_rows_free(rows, n);

    enum cadb_view v;
    UNIT_OK(cadb_view_parse("Revoked", &v, &cause), cause);
    assert_int_equal(v, CADB_REVOKED);
    UNIT_FAILS(cadb_view_parse("expired", &v, &cause), CC_EINVAL, cause, "expired");
    assert_string_equal(cadb_disposition_name(DISP_DENIED), "denied");
    assert_string_equal(cadb_disposition_name(DISP_ERROR), "failed");
    free(s);
    free(r);
}

/* ---- cadb_count and cadb_page over a scratch database of synthetic rows ---- */

/* Adds request id (and, for issued and revoked ones, its certificate) with SQL. */
static void
add_synthetic(struct store *st, int64_t id, int disposition, const char *requester,
              const char *template_cn, const char *cn, int64_t t, int reason)
{
    char *sql = cc_asprintf(
        "INSERT INTO request (id, requester, caller, template, disposition, status, message, "
        "submitted, request_cn) VALUES (%lld, '%s', 'test', '%s', %d, %lld, 'message %lld', "
        "%lld, '%s')",
        (long long)id, requester, template_cn, disposition,
        disposition == DISP_ISSUED ? 0LL : 0x80094000LL + id % 7, (long long)(id % 13),
        (long long)(t + id % 5), cn);
    char *cause = NULL;
    assert_non_null(sql);
    UNIT_OK(store_exec(st, sql, &cause), cause);
    free(sql);
    if (disposition != DISP_ISSUED && disposition != DISP_REVOKED)
        return;
    char *revoked = disposition == DISP_REVOKED
                        ? cc_asprintf("%lld, %lld, %d", (long long)(t + id % 3),
                                      (long long)(t + id % 4), reason)
                        : cc_strdup("NULL, NULL, NULL");
    sql =
        cc_asprintf("INSERT INTO certificate (request_id, serial, thumbprint, template, subject, "
                    "common_name, not_before, not_after, raw, revoked_when, revoked_effective, "
                    "revoked_reason) VALUES (%lld, '%032llX', 'thumb', '%s', 'CN=%s', '%s', "
                    "%lld, %lld, x'00', %s)",
                    (long long)id, (unsigned long long)((id * 2654435761u) % 1000003), template_cn,
                    cn, cn, (long long)(t - id % 11), (long long)(t + id % 17), revoked);
    assert_non_null(sql);
    UNIT_OK(store_exec(st, sql, &cause), cause);
    free(sql);
    free(revoked);
}

/* Compares two rows by column col, then by request id, as cadb_page orders them. */
static int
compare_by(const struct cadb_row *a, const struct cadb_row *b, int col)
{
    const char *sa = NULL, *sb = NULL;
    int64_t na = 0, nb = 0;
    switch (col) {
    case CADB_COL_ID:
        break;
    case CADB_COL_REQUESTER:
        sa = a->requester, sb = b->requester;
        break;
    case CADB_COL_TEMPLATE:
        sa = a->template_cn, sb = b->template_cn;
        break;
    case CADB_COL_SERIAL:
        sa = a->serial, sb = b->serial;
        break;
    case CADB_COL_NOT_BEFORE:
        na = a->not_before, nb = b->not_before;
        break;
    case CADB_COL_NOT_AFTER:
        na = a->not_after, nb = b->not_after;
        break;
    case CADB_COL_COMMON_NAME:
        sa = a->common_name, sb = b->common_name;
        break;
    case CADB_COL_REVOKED_WHEN:
        na = a->revoked_when, nb = b->revoked_when;
        break;
    case CADB_COL_REVOKED_EFFECTIVE:
        na = a->revoked_effective, nb = b->revoked_effective;
        break;
    case CADB_COL_REVOKED_REASON:
        na = a->revoked_reason, nb = b->revoked_reason;
        break;
    case CADB_COL_STATUS:
        na = a->status, nb = b->status;
        break;
    case CADB_COL_MESSAGE:
        sa = a->message, sb = b->message;
        break;
    case CADB_COL_SUBMITTED:
        na = a->submitted, nb = b->submitted;
        break;
    case CADB_COL_REQUEST_CN:
        sa = a->request_cn, sb = b->request_cn;
        break;
    default:
        fail_msg("column %d", col);
    }
    int c = sa ? strcasecmp(sa, sb) : (na > nb) - (na < nb);
    return c != 0 ? c : (a->id > b->id) - (a->id < b->id);
}

/* The whole view in one page; checks it against cadb_count and the order. */
static void
expect_sorted(struct store *st, enum cadb_view view, const char *filter, int col, int desc,
              struct cadb_row **rows, size_t *n)
{
    char *cause = NULL;
    size_t count = 0;
    UNIT_OK(cadb_count(st, view, filter, &count, &cause), cause);
    UNIT_OK(cadb_page(st, view, filter, col, desc, 0, count + 10, rows, n, &cause), cause);
    assert_int_equal(*n, count);
    for (size_t i = 1; i < *n; i++) {
        int c = compare_by(&(*rows)[i - 1], &(*rows)[i], col);
        if (desc ? c <= 0 : c >= 0)
            fail_msg("view %d column %d %s: rows %zu and %zu out of order (ids %lld, %lld)",
                     (int)view, col, desc ? "desc" : "asc", i - 1, i, (long long)(*rows)[i - 1].id,
                     (long long)(*rows)[i].id);
    }
}

/* Page [offset, offset + limit) holds the same rows as that slice of all. */
static void
expect_page(struct store *st, enum cadb_view view, int col, int desc, size_t offset, size_t limit,
            const struct cadb_row *all, size_t nall)
{
    struct cadb_row *rows = NULL;
    size_t n = 0;
    char *cause = NULL;
    UNIT_OK(cadb_page(st, view, NULL, col, desc, offset, limit, &rows, &n, &cause), cause);
    size_t want = offset >= nall ? 0 : (nall - offset < limit ? nall - offset : limit);
    assert_int_equal(n, want);
    for (size_t i = 0; i < n; i++)
        if (rows[i].id != all[offset + i].id)
            fail_msg("view %d column %d %s offset %zu: row %zu is %lld, not %lld", (int)view, col,
                     desc ? "desc" : "asc", offset, i, (long long)rows[i].id,
                     (long long)all[offset + i].id);
    cadb_rows_free(rows, n);
}

static void
test_page_empty(void **state)
{
    (void)state;
    struct unit_fx *u = unit_fx_new("cadb-empty", 0);
    assert_non_null(u);
    char *cause = NULL;
    for (int v = CADB_ISSUED; v <= CADB_ALL; v++) {
        size_t n = 99;
        struct cadb_row *rows = NULL;
        UNIT_OK(cadb_count(u->st, (enum cadb_view)v, NULL, &n, &cause), cause);
        assert_int_equal(n, 0);
        UNIT_OK(cadb_count(u->st, (enum cadb_view)v, "x", &n, &cause), cause);
        assert_int_equal(n, 0);
        UNIT_OK(cadb_page(u->st, (enum cadb_view)v, NULL, CADB_COL_REQUESTER, 1, 0, 50, &rows, &n,
                          &cause),
                cause);
        assert_int_equal(n, 0);
        assert_null(rows);
        UNIT_OK(cadb_page(u->st, (enum cadb_view)v, NULL, -1, 0, 5000, 50, &rows, &n, &cause),
                cause);
        assert_int_equal(n, 0);
    }
    struct cadb_row *rows = NULL;
    size_t n = 0;
    UNIT_FAILS(cadb_page(u->st, CADB_ISSUED, NULL, CADB_COL_COUNT, 0, 0, 10, &rows, &n, &cause),
               CC_EINVAL, cause, "column");
    unit_fx_free(u);
}

/*
 * 1,500 issued rows, a few revoked, pending, denied and failed ones;
 * names repeat in different case so that every sort has ties to break by
 * request id, and one direction is exactly the other turned round (the
 * console reads windows near the end that way).
 */
static void
test_page_sort_and_bounds(void **state)
{
    (void)state;
    static const char *const requesters[] = {"CONTOSO\\Administrator", "contoso\\alice",
                                             "CONTOSO\\Bob", "contoso\\administrator"};
    static const char *const templates[] = {"WebServer", "webserver", "Workstation", "User"};
    struct unit_fx *u = unit_fx_new("cadb-page", 0);
    assert_non_null(u);
    struct store *st = u->st;
    char *cause = NULL;
    UNIT_OK(store_begin(st, &cause), cause);
    for (int64_t id = 1; id <= 1520; id++) {
        int disp = id <= 1500   ? DISP_ISSUED
                   : id <= 1505 ? DISP_REVOKED
                   : id <= 1510 ? DISP_PENDING
                   : id <= 1515 ? DISP_DENIED
                                : DISP_ERROR;
        char cn[64];
        snprintf(cn, sizeof cn, "%s%lld.contoso.com", id % 2 ? "Host" : "host",
                 (long long)(id % 37));
        add_synthetic(st, id, disp, requesters[id % 4], templates[id % 3 + (id % 7 == 0)], cn,
                      1800000000, (int)(id % 7));
    }
    UNIT_OK(store_commit(st, &cause), cause);

    static const struct {
        enum cadb_view view;
        size_t n;
    } views[] = {{CADB_ISSUED, 1500},
                 {CADB_REVOKED, 5},
                 {CADB_PENDING, 5},
                 {CADB_FAILED, 10},
                 {CADB_ALL, 1520}};
    for (size_t v = 0; v < sizeof views / sizeof views[0]; v++) {
        size_t count = 0;
        UNIT_OK(cadb_count(st, views[v].view, NULL, &count, &cause), cause);
        assert_int_equal(count, views[v].n);
        for (int col = 0; col < CADB_COL_COUNT; col++)
            for (int desc = 0; desc <= 1; desc++) {
                struct cadb_row *all = NULL;
                size_t n = 0;
                expect_sorted(st, views[v].view, NULL, col, desc, &all, &n);
                if (desc) {
                    struct cadb_row *asc = NULL;
                    size_t nasc = 0;
                    expect_sorted(st, views[v].view, NULL, col, 0, &asc, &nasc);
                    assert_int_equal(nasc, n);
                    for (size_t i = 0; i < n; i++)
                        assert_int_equal(asc[i].id, all[n - 1 - i].id);
                    cadb_rows_free(asc, nasc);
                }
                /* the boundaries: first, a middle page, past the end, the last row */
                expect_page(st, views[v].view, col, desc, 0, 7, all, n);
                expect_page(st, views[v].view, col, desc, 3, 4, all, n);
                expect_page(st, views[v].view, col, desc, n > 2 ? n - 2 : 0, 7, all, n);
                expect_page(st, views[v].view, col, desc, n - 1, 1, all, n);
                expect_page(st, views[v].view, col, desc, n, 5, all, n);
                expect_page(st, views[v].view, col, desc, n + 3000, 5, all, n);
                expect_page(st, views[v].view, col, desc, 0, 0, all, n);
                if (n > 1000) { /* far pages, and across the middle */
                    expect_page(st, views[v].view, col, desc, 1001, 64, all, n);
                    expect_page(st, views[v].view, col, desc, n / 2 - 32, 64, all, n);
                    expect_page(st, views[v].view, col, desc, n - 192, 192, all, n);
                    expect_page(st, views[v].view, col, desc, n - 100, 192, all, n);
                }
                /* pages of 7 put end to end give the whole view */
                for (size_t at = 0; at < n && n < 100; at += 7)
                    expect_page(st, views[v].view, col, desc, at, 7, all, n);
                cadb_rows_free(all, n);
            }
    }
    /* -1: the request id */
    struct cadb_row *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    UNIT_OK(cadb_page(st, CADB_ALL, NULL, -1, 0, 0, 5, &a, &na, &cause), cause);
    UNIT_OK(cadb_page(st, CADB_ALL, NULL, CADB_COL_ID, 0, 0, 5, &b, &nb, &cause), cause);
    assert_int_equal(na, 5);
    for (size_t i = 0; i < na; i++)
        assert_int_equal(a[i].id, b[i].id);
    cadb_rows_free(a, na);
    cadb_rows_free(b, nb);
    /* cadb_list still lists the view oldest first */
    UNIT_OK(cadb_list(st, CADB_FAILED, NULL, &a, &na, &cause), cause);
    assert_int_equal(na, 10);
    assert_int_equal(a[0].id, 1511);
    assert_int_equal(a[9].id, 1520);
    cadb_rows_free(a, na);
    unit_fx_free(u);
}

/* The filter: the columns of cadb_list, any case, with % and _ taken literally. */
static void
test_page_filter(void **state)
{
    (void)state;
    struct unit_fx *u = unit_fx_new("cadb-filter", 0);
    assert_non_null(u);
    struct store *st = u->st;
    char *cause = NULL;
    add_synthetic(st, 1, DISP_ISSUED, "CONTOSO\\a%b", "WebServer", "one.contoso.com", 1800000000,
                  0);
    add_synthetic(st, 2, DISP_ISSUED, "CONTOSO\\a_b", "WebServer", "two.contoso.com", 1800000000,
                  0);
    add_synthetic(st, 3, DISP_ISSUED, "CONTOSO\\axb", "Web_Server", "three.contoso.com", 1800000000,
                  0);
    add_synthetic(st, 4, DISP_PENDING, "CONTOSO\\a%b", "WebServer", "four.contoso.com", 1800000000,
                  0);
    add_synthetic(st, 12, DISP_ISSUED, "CONTOSO\\zed", "User", "a\\b.contoso.com", 1800000000, 0);
    static const struct {
        const char *filter;
        enum cadb_view view;
        size_t n;
        int64_t first;
    } cases[] = {
        {"a%b", CADB_ISSUED, 1, 1},        {"A_B", CADB_ISSUED, 1, 2},
        {"a%b", CADB_ALL, 2, 1},           {"%", CADB_ISSUED, 1, 1},
        {"_", CADB_ISSUED, 2, 2},          {"axb", CADB_ISSUED, 1, 3},
        {"THREE.", CADB_ISSUED, 1, 3},     {"a\\b", CADB_ISSUED, 1, 12},
        {"12", CADB_ISSUED, 1, 12},        {"CN=two", CADB_ISSUED, 1, 2},
        {"message 4", CADB_PENDING, 1, 4}, {"nomatch", CADB_ALL, 0, 0},
        {"", CADB_ISSUED, 4, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t count = 0, n = 0;
        struct cadb_row *rows = NULL;
        UNIT_OK(cadb_count(st, cases[i].view, cases[i].filter, &count, &cause), cause);
        if (count != cases[i].n)
            fail_msg("filter '%s': %zu rows, not %zu", cases[i].filter, count, cases[i].n);
        UNIT_OK(cadb_page(st, cases[i].view, cases[i].filter, CADB_COL_ID, 0, 0, 100, &rows, &n,
                          &cause),
                cause);
        assert_int_equal(n, count);
        if (n > 0)
            assert_int_equal(rows[0].id, cases[i].first);
        cadb_rows_free(rows, n);
        /* descending: the same rows, the other way round */
        UNIT_OK(cadb_page(st, cases[i].view, cases[i].filter, CADB_COL_REQUESTER, 1, 0, 100, &rows,
                          &n, &cause),
                cause);
        assert_int_equal(n, count);
        cadb_rows_free(rows, n);
        /* cadb_list agrees */
        UNIT_OK(cadb_list(st, cases[i].view, cases[i].filter, &rows, &n, &cause), cause);
        assert_int_equal(n, count);
        cadb_rows_free(rows, n);
    }
    unit_fx_free(u);
}

/*
 * The operations table: one entry per id, in order, with unique names; the
 * request queue and revocation through ops_call: a plain user is refused
 * before anything runs (0x80070005, audited) and nothing changes; a
 * certificate manager denies, issues, revokes (publishing at once when the
 * CA publishes on revoke, in the same operation) and releases a hold.
 */
static void
test_ops_queue(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    const struct ops_def *d;
    size_t n = 0;
    for (; (d = ops_at(n)) != NULL; n++) {
        assert_true(d->id > 0);
        assert_ptr_equal(ops_get(d->id), d);
        assert_ptr_equal(ops_find(d->name), d);
        assert_non_null(d->run);
        assert_non_null(d->what);
        assert_non_null(d->args);
        assert_non_null(d->result);
    }
    assert_true(n >= 4);
    assert_null(ops_find("certificate.delete"));
    assert_null(ops_get(0));
    assert_null(ops_get(OPS_QUEUE_BASE - 1));
    assert_int_equal(ops_call(test_cx(st), 0, NULL, NULL, &cause), CC_EINVAL);
    free(cause);
    cause = NULL;

    unit_act_as(st, "Administrator");
    struct template tm = {0};
    UNIT_OK(template_duplicate(test_cx(st), "Web Server", "Ops Web", COMPAT_2008, &tm, &cause),
            cause);
    UNIT_OK(template_set(st, &tm, "approval", "yes", &cause), cause);
    UNIT_OK(template_save(test_cx(st), &tm, &cause), cause);
    UNIT_OK(authority_template_enable(test_cx(st), "Ops Web", &cause), cause);
    template_free(&tm);
    struct cadb_outcome o1, o2, o3;
    submit(f, "ops1.contoso.com", "Ops Web", &o1);
    submit(f, "ops2.contoso.com", "Ops Web", &o2);
    assert_int_equal(o1.disposition, DISP_PENDING);

    /* refused before it runs, audited, nothing changed */
    unit_add_user(st, "opsuser");
    unit_act_as(st, "opsuser");
    int64_t refusals = unit_count(st, "SELECT count(*) FROM audit WHERE result = 'refused'");
    struct ops_request_deny deny = {o1.request_id};
    UNIT_FAILS(ops_call(test_cx(st), OP_REQUEST_DENY, &deny, NULL, &cause), CC_EACCES, cause,
               "Issue and Manage");
    struct ops_request_issue issue = {o1.request_id};
    UNIT_FAILS(ops_call(test_cx(st), OP_REQUEST_ISSUE, &issue, &o3, &cause), CC_EACCES, cause,
               "issue a pending request");
    assert_int_equal(unit_count(st, "SELECT count(*) FROM audit WHERE result = 'refused'"),
                     refusals + 2);
    struct cadb_row *row = get_row(f, o1.request_id);
    assert_int_equal(row->disposition, DISP_PENDING);
    cadb_rows_free(row, 1);

    /* a certificate manager: deny one, issue the other */
    unit_act_as(st, "Administrator");
    UNIT_OK(ops_call(test_cx(st), OP_REQUEST_DENY, &deny, NULL, &cause), cause);
    row = get_row(f, o1.request_id);
    assert_int_equal(row->disposition, DISP_DENIED);
    cadb_rows_free(row, 1);
    issue.request_id = o2.request_id;
    UNIT_OK(ops_call(test_cx(st), OP_REQUEST_ISSUE, &issue, &o3, &cause), cause);
    assert_int_equal(o3.disposition, DISP_ISSUED);
    assert_true(o3.cert.n > 0);

    /* revoke on hold, publishing in the same operation; then release the hold */
    UNIT_OK(authority_config_set(test_cx(st), "publish-on-revoke", "on", &cause), cause);
    struct ops_revoke rv = {o3.serial, 6, CADB_NOW};
    struct ops_revoke_result res;
    UNIT_OK(ops_call(test_cx(st), OP_CERT_REVOKE, &rv, &res, &cause), cause);
    assert_int_equal(res.publish_error, CC_OK);
    assert_int_equal(res.published, 1);
    assert_true(res.crl.number > 0);
    ops_revoke_result_free(&res);
    char *sql = cc_asprintf("SELECT count(*) FROM certificate WHERE serial = '%s' AND "
                            "revoked_reason = 6",
                            o3.serial);
    assert_int_equal(unit_count(st, sql), 1);
    UNIT_OK(ops_call(test_cx(st), OP_CERT_UNREVOKE, &rv, NULL, &cause), cause);
    free(sql);
    sql = cc_asprintf("SELECT count(*) FROM certificate WHERE serial = '%s' AND "
                      "revoked_when IS NULL",
                      o3.serial);
    assert_int_equal(unit_count(st, sql), 1);
    free(sql);
    UNIT_OK(authority_config_set(test_cx(st), "publish-on-revoke", "off", &cause), cause);
    cadb_outcome_free(&o1);
    cadb_outcome_free(&o2);
    cadb_outcome_free(&o3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_submit_issues, test_setup),
        cmocka_unit_test_setup(test_serials_unique, test_setup),
        cmocka_unit_test_setup(test_failed_requests_recorded, test_setup),
        cmocka_unit_test_setup(test_enroll_installs, test_setup),
        cmocka_unit_test_setup(test_on_behalf_refused_first, test_setup),
        cmocka_unit_test_setup(test_revoke, test_setup),
        cmocka_unit_test_setup(test_revoke_by_holder, test_setup),
        cmocka_unit_test_setup(test_reason_names, test_setup),
        cmocka_unit_test_setup(test_pending, test_setup),
        cmocka_unit_test_setup(test_views_and_filter, test_setup),
        cmocka_unit_test(test_page_empty),
        cmocka_unit_test(test_page_sort_and_bounds),
        cmocka_unit_test(test_page_filter),
        cmocka_unit_test(test_ops_queue),
    };
    return cmocka_run_group_tests_name("cadb", tests, group_setup, group_teardown);
}
