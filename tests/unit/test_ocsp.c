/*
 * Unit tests of ca/ocsp. Requests are built and responses read back with
 * GnuTLS's own OCSP code, so the encoder is checked by a parser it does
 * not share: a good certificate is good under SHA-1 and SHA-256 CertIDs,
 * with thisUpdate now, nextUpdate one CRL period later and the nonce
 * echoed; the response verifies against the CA through the delegated
 * responder certificate it carries (with the P-256 key its template is set
 * to ask for), which has OCSP Signing and
 * id-pkix-ocsp-nocheck, is recorded among the issued certificates with its
 * issuance audited, and is named by key hash. Revoked certificates carry
 * their time and reason (a hold until released, a future revocation not
 * before its time); a serial never issued is unknown; another CA's
 * certificate is unauthorized; garbage, truncated or padded DER, too many
 * CertIDs are malformedRequest; an expired CA gives internalError. The
 * responder is reused until its renewal period and renewed in it; `ca set
 * ocsp-signer ca` signs with the CA key (Manage CA only, bad values
 * refused and nothing changed).
 */
#include "config.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>
#include <gnutls/x509.h>

#include "audit.h"
#include "authority.h"
#include "cadb.h"
#include "ocsp.h"
#include "pkix.h"
#include "request.h"
#include "template.h"
#include "unit.h"

struct fx {
    struct unit_fx *u;
    struct cadb_session *s;
    struct dir_principal admin;
    gnutls_x509_privkey_t key;
    gnutls_x509_crt_t ca;
    int64_t period;
};

static struct fx *F;

/* Issues a Web Server certificate; returns it (caller deinits) and its serial. */
static gnutls_x509_crt_t
issue(const char *cn, char serial[41])
{
    struct request_params p = {.cn = cn};
    struct pkix_buf csr = {0};
    struct cadb_outcome o;
    char *cause = NULL;
    UNIT_OK(request_build(F->key, &p, &csr, &cause), cause);
    UNIT_OK(cadb_submit(F->s, &F->admin, "WebServer", csr.p, csr.n, &o, &cause), cause);
    assert_int_equal(o.disposition, DISP_ISSUED);
    gnutls_x509_crt_t crt;
    gnutls_datum_t d = {o.cert.p, (unsigned)o.cert.n};
    assert_int_equal(gnutls_x509_crt_init(&crt), 0);
    assert_int_equal(gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER), 0);
    memcpy(serial, o.serial, 41);
    cadb_outcome_free(&o);
    pkix_buf_free(&csr);
    return crt;
}

/* A DER request for one certificate of issuer (nonce of nonce_len octets, 0: none). */
static gnutls_datum_t
make_request(gnutls_x509_crt_t issuer, gnutls_x509_crt_t cert, gnutls_digest_algorithm_t dig,
             size_t nonce_len)
{
    gnutls_ocsp_req_t req;
    gnutls_datum_t der = {NULL, 0};
    assert_int_equal(gnutls_ocsp_req_init(&req), 0);
    assert_int_equal(gnutls_ocsp_req_add_cert(req, dig, issuer, cert), 0);
    if (nonce_len > 0) {
        unsigned char n[64];
        for (size_t i = 0; i < nonce_len; i++)
            n[i] = (unsigned char)(0xa0 + i);
        gnutls_datum_t nd = {n, (unsigned)nonce_len};
        assert_int_equal(gnutls_ocsp_req_set_nonce(req, 0, &nd), 0);
    }
    assert_int_equal(gnutls_ocsp_req_export(req, &der), 0);
    gnutls_ocsp_req_deinit(req);
    return der;
}

/* Answers der and imports the response; *status gets its responseStatus. */
static gnutls_ocsp_resp_t
respond(const gnutls_datum_t *der, int *status, char **why)
{
    struct ocsp_answer a;
    char *cause = NULL;
    assert_int_equal(ocsp_respond(test_cx(F->u->st), der->data, der->size, &a, &cause), CC_OK);
    assert_non_null(a.der);
    gnutls_ocsp_resp_t resp;
    gnutls_datum_t d = {a.der, (unsigned)a.len};
    assert_int_equal(gnutls_ocsp_resp_init(&resp), 0);
    assert_int_equal(gnutls_ocsp_resp_import(resp, &d), 0);
    *status = gnutls_ocsp_resp_get_status(resp);
    assert_int_equal(*status, ocsp_answer_status(&a));
    if (*status == GNUTLS_OCSP_RESP_SUCCESSFUL) {
        assert_null(cause);
        assert_true(a.next_update > 0);
    } else {
        assert_non_null(cause); /* why it was refused, for a log */
        assert_int_equal(a.next_update, 0);
    }
    if (why)
        *why = cause;
    else
        free(cause);
    ocsp_answer_free(&a);
    return resp;
}

static gnutls_ocsp_resp_t
respond_ok(const gnutls_datum_t *der)
{
    int status;
    gnutls_ocsp_resp_t resp = respond(der, &status, NULL);
    assert_int_equal(status, GNUTLS_OCSP_RESP_SUCCESSFUL);
    return resp;
}

/* The status of the only single response; times and reason filled when asked. */
static int
single(gnutls_ocsp_resp_t resp, time_t *this_update, time_t *next_update, time_t *rev_time,
       int *reason)
{
    unsigned status = 0;
    time_t tu, nu, rt;
    unsigned r;
    assert_int_equal(
        gnutls_ocsp_resp_get_single(resp, 0, NULL, NULL, NULL, NULL, &status, &tu, &nu, &rt, &r),
        0);
    unsigned more;
    assert_int_equal(
        gnutls_ocsp_resp_get_single(resp, 1, NULL, NULL, NULL, NULL, &more, NULL, NULL, NULL, NULL),
        GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
    if (this_update)
        *this_update = tu;
    if (next_update)
        *next_update = nu;
    if (rev_time)
        *rev_time = rt;
    if (reason)
        *reason = (int)r;
    return (int)status;
}

/* Verification against the CA alone (as a trust anchor); 0 when it verifies. */
static unsigned
verify_with_ca(gnutls_ocsp_resp_t resp)
{
    gnutls_x509_trust_list_t tl;
    gnutls_x509_crt_t copy;
    gnutls_datum_t d;
    unsigned verify = 99;
    assert_int_equal(gnutls_x509_crt_export2(F->ca, GNUTLS_X509_FMT_DER, &d), 0);
    assert_int_equal(gnutls_x509_crt_init(&copy), 0);
    assert_int_equal(gnutls_x509_crt_import(copy, &d, GNUTLS_X509_FMT_DER), 0);
    gnutls_free(d.data);
    assert_int_equal(gnutls_x509_trust_list_init(&tl, 0), 0);
    assert_int_equal(gnutls_x509_trust_list_add_cas(tl, &copy, 1, 0), 1);
    /* GnuTLS would check the responder's dates against the system clock */
    assert_int_equal(gnutls_ocsp_resp_verify(resp, tl, &verify,
                                             GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                                                 GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS),
                     0);
    gnutls_x509_trust_list_deinit(tl, 1);
    return verify;
}

static int
group_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char *cause = NULL;
    if (f == NULL || (f->u = unit_fx_new("ocsp", 1)) == NULL) {
        free(f);
        return -1;
    }
    if (unit_create_ca(f->u, "ecdsa:p256", &cause) != CC_OK ||
        cadb_session_open(test_cx(f->u->st), NULL, &f->s, &cause) != CC_OK ||
        request_key_generate("rsa:2048", &f->key, &cause) != CC_OK ||
        dir_lookup(f->u->st, "Administrator", &f->admin, &cause) != CC_OK) {
        print_error("CA setup: %s\n", cause ? cause : "?");
        free(cause);
        return -1;
    }
    /* the template decides the responder's key: P-256 here (RSA by default) */
    struct template t = {0};
    unit_act_as(f->u->st, "Administrator");
    if (template_load(f->u->st, "OCSP Response Signing", &t, &cause) != CC_OK ||
        template_set(f->u->st, &t, "algorithm", "ECDSA_P256", &cause) != CC_OK ||
        template_save(test_cx(f->u->st), &t, &cause) != CC_OK) {
        print_error("template: %s\n", cause ? cause : "?");
        free(cause);
        return -1;
    }
    template_free(&t);
    const struct authority_info *info = &cadb_session_authority(f->s)->info;
    f->period = info->crl_period;
    gnutls_datum_t d = {info->cert.p, (unsigned)info->cert.n};
    gnutls_x509_crt_init(&f->ca);
    gnutls_x509_crt_import(f->ca, &d, GNUTLS_X509_FMT_DER);
    *state = F = f;
    return 0;
}

static int
group_teardown(void **state)
{
    struct fx *f = *state;
    if (f == NULL)
        return 0;
    ocsp_forget();
    cadb_session_close(f->s);
    gnutls_x509_privkey_deinit(f->key);
    gnutls_x509_crt_deinit(f->ca);
    dir_principal_free(&f->admin);
    unit_fx_free(f->u);
    free(f);
    return 0;
}

static int
test_setup(void **state)
{
    (void)state;
    test_clock_set(F->u->now);
    unit_act_as(F->u->st, "Administrator");
    return 0;
}

static void
test_good_with_responder(void **state)
{
    (void)state;
    char serial[41];
    gnutls_x509_crt_t crt = issue("good.contoso.com", serial);
    gnutls_datum_t req = make_request(F->ca, crt, GNUTLS_DIG_SHA1, 16);
    int64_t before = unit_count(F->u->st, "SELECT count(*) FROM certificate "
                                          "WHERE template = 'OCSPResponseSigning'");
    gnutls_ocsp_resp_t resp = respond_ok(&req);
    time_t tu, nu;
    assert_int_equal(single(resp, &tu, &nu, NULL, NULL), GNUTLS_OCSP_CERT_GOOD);
    assert_int_equal(tu, F->u->now);
    assert_int_equal(nu, F->u->now + F->period);
    /* the nonce comes back as sent */
    gnutls_datum_t nonce = {NULL, 0};
    assert_int_equal(gnutls_ocsp_resp_get_nonce(resp, NULL, &nonce), 0);
    assert_int_equal(nonce.size, 16);
    assert_int_equal(nonce.data[0], 0xa0);
    assert_int_equal(nonce.data[15], 0xaf);
    gnutls_free(nonce.data);
    /* signed by a delegated responder the response carries, under the CA */
    assert_int_equal(verify_with_ca(resp), 0);
    gnutls_x509_crt_t *certs = NULL;
    size_t ncerts = 0;
    assert_int_equal(gnutls_ocsp_resp_get_certs(resp, &certs, &ncerts), 0);
    assert_int_equal(ncerts, 1);
    char oid[64];
    size_t size = sizeof oid;
    assert_int_equal(gnutls_x509_crt_get_key_purpose_oid(certs[0], 0, oid, &size, NULL), 0);
    assert_string_equal(oid, GNUTLS_KP_OCSP_SIGNING);
    unsigned char ext[64];
    size = sizeof ext;
    unsigned critical = 1;
    assert_int_equal(gnutls_x509_crt_get_extension_by_oid(certs[0], "1.3.6.1.5.5.7.48.1.5", 0, ext,
                                                          &size, &critical),
                     0);
    assert_int_equal(critical, 0);
    unsigned verify = 99;
    assert_int_equal(gnutls_x509_crt_verify(certs[0], &F->ca, 1,
                                            GNUTLS_VERIFY_DISABLE_TIME_CHECKS |
                                                GNUTLS_VERIFY_DISABLE_TRUSTED_TIME_CHECKS,
                                            &verify),
                     0);
    assert_int_equal(verify, 0);
    /* two weeks, as the template says */
    assert_int_equal(gnutls_x509_crt_get_expiration_time(certs[0]) -
                         gnutls_x509_crt_get_activation_time(certs[0]),
                     14 * 86400);
    /* responderID byKey: the SHA-1 of the responder's public key */
    gnutls_datum_t rid = {NULL, 0};
    assert_int_equal(gnutls_ocsp_resp_get_responder_raw_id(resp, GNUTLS_OCSP_RESP_ID_KEY, &rid), 0);
    /*
     * RFC 6960 4.2.1: SHA-1 of the subjectPublicKey bits, here the P-256
     * point 04 || x || y (GnuTLS's own key ID hashes more than that for EC)
     */
    gnutls_pubkey_t pub;
    gnutls_ecc_curve_t curve;
    gnutls_datum_t x, y;
    assert_int_equal(gnutls_pubkey_init(&pub), 0);
    assert_int_equal(gnutls_pubkey_import_x509(pub, certs[0], 0), 0);
    assert_int_equal(gnutls_pubkey_export_ecc_raw2(pub, &curve, &x, &y, GNUTLS_EXPORT_FLAG_NO_LZ),
                     0);
    assert_int_equal(curve, GNUTLS_ECC_CURVE_SECP256R1);
    unsigned char point[65] = {0x04}, kid[20];
    assert_true(x.size <= 32 && y.size <= 32);
    memcpy(point + 1 + 32 - x.size, x.data, x.size);
    memcpy(point + 33 + 32 - y.size, y.data, y.size);
    assert_int_equal(gnutls_hash_fast(GNUTLS_DIG_SHA1, point, sizeof point, kid), 0);
    gnutls_free(x.data);
    gnutls_free(y.data);
    gnutls_pubkey_deinit(pub);
    assert_int_equal(rid.size, 20);
    assert_memory_equal(rid.data, kid, 20);
    gnutls_free(rid.data);
    /* one responder certificate, recorded as issued and audited */
    assert_int_equal(unit_count(F->u->st, "SELECT count(*) FROM certificate "
                                          "WHERE template = 'OCSPResponseSigning'"),
                     before + 1);
    unsigned char rs[32];
    size = sizeof rs;
    assert_int_equal(gnutls_x509_crt_get_serial(certs[0], rs, &size), 0);
    char *rhex = pkix_hex(rs, size);
    struct audit_entry *log = NULL;
    size_t nlog = 0;
    char *cause = NULL;
    UNIT_OK(audit_list(F->u->st, rhex, 0, &log, &nlog, &cause), cause);
    assert_int_equal(nlog, 1);
    assert_string_equal(log[0].field, "issue");
    assert_non_null(strstr(log[0].new_value, "OCSPResponseSigning"));
    audit_list_free(log, nlog);
    /* a second answer reuses the responder: no new certificate */
    gnutls_ocsp_resp_t again = respond_ok(&req);
    assert_int_equal(unit_count(F->u->st, "SELECT count(*) FROM certificate "
                                          "WHERE template = 'OCSPResponseSigning'"),
                     before + 1);
    gnutls_ocsp_resp_deinit(again);
    free(rhex);
    for (size_t i = 0; i < ncerts; i++)
        gnutls_x509_crt_deinit(certs[i]);
    gnutls_free(certs);
    gnutls_ocsp_resp_deinit(resp);
    gnutls_free(req.data);
    gnutls_x509_crt_deinit(crt);
}

static void
test_sha256_and_nonce_bounds(void **state)
{
    (void)state;
    char serial[41];
    gnutls_x509_crt_t crt = issue("sha256.contoso.com", serial);
    static const gnutls_digest_algorithm_t digs[] = {GNUTLS_DIG_SHA256, GNUTLS_DIG_SHA384,
                                                     GNUTLS_DIG_SHA512};
    for (size_t i = 0; i < 3; i++) {
        gnutls_datum_t req = make_request(F->ca, crt, digs[i], 0);
        gnutls_ocsp_resp_t resp = respond_ok(&req);
        assert_int_equal(single(resp, NULL, NULL, NULL, NULL), GNUTLS_OCSP_CERT_GOOD);
        gnutls_datum_t nonce = {NULL, 0};
        assert_int_equal(gnutls_ocsp_resp_get_nonce(resp, NULL, &nonce),
                         GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
        gnutls_ocsp_resp_deinit(resp);
        gnutls_free(req.data);
    }
    /* RFC 8954: 32 octets come back; 33 are left out, the answer stands */
    size_t lens[] = {32, 33};
    for (size_t i = 0; i < 2; i++) {
        gnutls_datum_t req = make_request(F->ca, crt, GNUTLS_DIG_SHA1, lens[i]);
        gnutls_ocsp_resp_t resp = respond_ok(&req);
        assert_int_equal(single(resp, NULL, NULL, NULL, NULL), GNUTLS_OCSP_CERT_GOOD);
        gnutls_datum_t nonce = {NULL, 0};
        int r = gnutls_ocsp_resp_get_nonce(resp, NULL, &nonce);
        if (lens[i] == 32) {
            assert_int_equal(r, 0);
            assert_int_equal(nonce.size, 32);
        } else {
            assert_int_equal(r, GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE);
        }
        gnutls_free(nonce.data);
        gnutls_ocsp_resp_deinit(resp);
        gnutls_free(req.data);
    }
    gnutls_x509_crt_deinit(crt);
}

static void
test_revoked_hold_and_future(void **state)
{
    (void)state;
    char s1[41], s2[41], s3[41];
    char *cause = NULL;
    gnutls_x509_crt_t c1 = issue("kc.contoso.com", s1), c2 = issue("hold.contoso.com", s2),
                      c3 = issue("later.contoso.com", s3);
    time_t when = F->u->now + 600;
    UNIT_OK(cadb_revoke(test_cx(F->u->st), s1, 1, when, &cause), cause);
    UNIT_OK(cadb_revoke(test_cx(F->u->st), s2, 6, CADB_NOW, &cause), cause);
    UNIT_OK(cadb_revoke(test_cx(F->u->st), s3, 4, F->u->now + 86400, &cause), cause);
    test_clock_set(F->u->now + 1200);
    gnutls_datum_t r1 = make_request(F->ca, c1, GNUTLS_DIG_SHA1, 0),
                   r2 = make_request(F->ca, c2, GNUTLS_DIG_SHA256, 0),
                   r3 = make_request(F->ca, c3, GNUTLS_DIG_SHA1, 0);
    time_t rt;
    int reason;
    gnutls_ocsp_resp_t resp = respond_ok(&r1);
    assert_int_equal(single(resp, NULL, NULL, &rt, &reason), GNUTLS_OCSP_CERT_REVOKED);
    assert_int_equal(rt, when);
    assert_int_equal(reason, GNUTLS_X509_CRLREASON_KEYCOMPROMISE);
    assert_int_equal(verify_with_ca(resp), 0);
    gnutls_ocsp_resp_deinit(resp);
    /* on hold: revoked, certificateHold, until released */
    resp = respond_ok(&r2);
    assert_int_equal(single(resp, NULL, NULL, &rt, &reason), GNUTLS_OCSP_CERT_REVOKED);
    assert_int_equal(rt, F->u->now);
    assert_int_equal(reason, GNUTLS_X509_CRLREASON_CERTIFICATEHOLD);
    assert_int_equal(verify_with_ca(resp), 0);
    gnutls_ocsp_resp_deinit(resp);
    UNIT_OK(cadb_unrevoke(test_cx(F->u->st), s2, &cause), cause);
    resp = respond_ok(&r2);
    assert_int_equal(single(resp, NULL, NULL, NULL, NULL), GNUTLS_OCSP_CERT_GOOD);
    gnutls_ocsp_resp_deinit(resp);
    /* a revocation effective tomorrow: good today, revoked tomorrow */
    resp = respond_ok(&r3);
    assert_int_equal(single(resp, NULL, NULL, NULL, NULL), GNUTLS_OCSP_CERT_GOOD);
    gnutls_ocsp_resp_deinit(resp);
    test_clock_set(F->u->now + 2 * 86400);
    resp = respond_ok(&r3);
    assert_int_equal(single(resp, NULL, NULL, &rt, &reason), GNUTLS_OCSP_CERT_REVOKED);
    assert_int_equal(rt, F->u->now + 86400);
    assert_int_equal(reason, GNUTLS_X509_CRLREASON_SUPERSEDED);
    gnutls_ocsp_resp_deinit(resp);
    gnutls_free(r1.data);
    gnutls_free(r2.data);
    gnutls_free(r3.data);
    gnutls_x509_crt_deinit(c1);
    gnutls_x509_crt_deinit(c2);
    gnutls_x509_crt_deinit(c3);
}

static void
test_unknown_serial(void **state)
{
    (void)state;
    char serial[41];
    gnutls_x509_crt_t crt = issue("known.contoso.com", serial);
    gnutls_ocsp_req_t req;
    gnutls_datum_t der = {NULL, 0};
    /* this CA's name and key hashes, a serial it never issued */
    gnutls_datum_t nh, kh, sn;
    assert_int_equal(gnutls_ocsp_req_init(&req), 0);
    assert_int_equal(gnutls_ocsp_req_add_cert(req, GNUTLS_DIG_SHA1, F->ca, crt), 0);
    gnutls_digest_algorithm_t dig;
    assert_int_equal(gnutls_ocsp_req_get_cert_id(req, 0, &dig, &nh, &kh, &sn), 0);
    gnutls_ocsp_req_deinit(req);
    static unsigned char other[] = {0x12, 0x34, 0x56, 0x78, 0x9a};
    gnutls_datum_t osn = {other, sizeof other};
    assert_int_equal(gnutls_ocsp_req_init(&req), 0);
    assert_int_equal(gnutls_ocsp_req_add_cert_id(req, GNUTLS_DIG_SHA1, &nh, &kh, &osn), 0);
    assert_int_equal(gnutls_ocsp_req_export(req, &der), 0);
    gnutls_ocsp_resp_t resp = respond_ok(&der);
    assert_int_equal(single(resp, NULL, NULL, NULL, NULL), GNUTLS_OCSP_CERT_UNKNOWN);
    gnutls_ocsp_resp_deinit(resp);
    gnutls_free(der.data);
    gnutls_ocsp_req_deinit(req);
    /* two CertIDs in one request: each answered, in order */
    assert_int_equal(gnutls_ocsp_req_init(&req), 0);
    assert_int_equal(gnutls_ocsp_req_add_cert_id(req, GNUTLS_DIG_SHA1, &nh, &kh, &osn), 0);
    assert_int_equal(gnutls_ocsp_req_add_cert_id(req, GNUTLS_DIG_SHA1, &nh, &kh, &sn), 0);
    assert_int_equal(gnutls_ocsp_req_export(req, &der), 0);
    resp = respond_ok(&der);
    unsigned st0 = 9, st1 = 9;
    gnutls_datum_t got = {NULL, 0};
    assert_int_equal(
        gnutls_ocsp_resp_get_single(resp, 0, NULL, NULL, NULL, NULL, &st0, NULL, NULL, NULL, NULL),
        0);
    assert_int_equal(
        gnutls_ocsp_resp_get_single(resp, 1, NULL, NULL, NULL, &got, &st1, NULL, NULL, NULL, NULL),
        0);
    assert_int_equal(st0, GNUTLS_OCSP_CERT_UNKNOWN);
    assert_int_equal(st1, GNUTLS_OCSP_CERT_GOOD);
    assert_int_equal(got.size, sn.size);
    assert_memory_equal(got.data, sn.data, sn.size);
    gnutls_free(got.data);
    gnutls_ocsp_resp_deinit(resp);
    gnutls_free(der.data);
    gnutls_ocsp_req_deinit(req);
    gnutls_free(nh.data);
    gnutls_free(kh.data);
    gnutls_free(sn.data);
    gnutls_x509_crt_deinit(crt);
}

/* A self-signed CA of another name and key, and a certificate it issued. */
static void
other_ca(gnutls_x509_crt_t *ca, gnutls_x509_crt_t *leaf)
{
    gnutls_x509_privkey_t k;
    assert_int_equal(gnutls_x509_privkey_init(&k), 0);
    assert_int_equal(gnutls_x509_privkey_generate(
                         k, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0),
                     0);
    gnutls_x509_crt_t c[2];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(gnutls_x509_crt_init(&c[i]), 0);
        assert_int_equal(gnutls_x509_crt_set_version(c[i], 3), 0);
        unsigned char sn[] = {0x01, (unsigned char)(i + 1)};
        assert_int_equal(gnutls_x509_crt_set_serial(c[i], sn, sizeof sn), 0);
        gnutls_x509_crt_set_activation_time(c[i], F->u->now - 86400);
        gnutls_x509_crt_set_expiration_time(c[i], F->u->now + 86400 * 30);
        assert_int_equal(gnutls_x509_crt_set_key(c[i], k), 0);
        const char *dn = i == 0 ? "CN=Other Root" : "CN=www.other.example";
        assert_int_equal(gnutls_x509_crt_set_dn(c[i], dn, NULL), 0);
    }
    gnutls_x509_crt_set_basic_constraints(c[0], 1, -1);
    assert_int_equal(gnutls_x509_crt_sign2(c[0], c[0], k, GNUTLS_DIG_SHA256, 0), 0);
    assert_int_equal(gnutls_x509_crt_sign2(c[1], c[0], k, GNUTLS_DIG_SHA256, 0), 0);
    gnutls_x509_privkey_deinit(k);
    *ca = c[0];
    *leaf = c[1];
}

static void
test_another_ca_unauthorized(void **state)
{
    (void)state;
    gnutls_x509_crt_t oca, leaf;
    other_ca(&oca, &leaf);
    gnutls_datum_t req = make_request(oca, leaf, GNUTLS_DIG_SHA1, 16);
    int status;
    char *why = NULL;
    gnutls_ocsp_resp_t resp = respond(&req, &status, &why);
    assert_int_equal(status, GNUTLS_OCSP_RESP_UNAUTHORIZED);
    assert_non_null(strstr(why, "not issued by this CA"));
    free(why);
    gnutls_ocsp_resp_deinit(resp);
    gnutls_free(req.data);
    /* the same serial under this CA's name but another key: still not ours */
    char serial[41];
    gnutls_x509_crt_t crt = issue("mixed.contoso.com", serial);
    gnutls_ocsp_req_t r;
    gnutls_datum_t nh, kh, sn, okh, der;
    gnutls_digest_algorithm_t dig;
    assert_int_equal(gnutls_ocsp_req_init(&r), 0);
    assert_int_equal(gnutls_ocsp_req_add_cert(r, GNUTLS_DIG_SHA1, F->ca, crt), 0);
    assert_int_equal(gnutls_ocsp_req_add_cert(r, GNUTLS_DIG_SHA1, oca, leaf), 0);
    assert_int_equal(gnutls_ocsp_req_get_cert_id(r, 0, &dig, &nh, &kh, &sn), 0);
    gnutls_datum_t x1, x2;
    assert_int_equal(gnutls_ocsp_req_get_cert_id(r, 1, &dig, &x1, &okh, &x2), 0);
    gnutls_free(x1.data);
    gnutls_free(x2.data);
    gnutls_ocsp_req_deinit(r);
    assert_int_equal(gnutls_ocsp_req_init(&r), 0);
    assert_int_equal(gnutls_ocsp_req_add_cert_id(r, GNUTLS_DIG_SHA1, &nh, &okh, &sn), 0);
    assert_int_equal(gnutls_ocsp_req_export(r, &der), 0);
    resp = respond(&der, &status, NULL);
    assert_int_equal(status, GNUTLS_OCSP_RESP_UNAUTHORIZED);
    gnutls_ocsp_resp_deinit(resp);
    gnutls_free(der.data);
    gnutls_ocsp_req_deinit(r);
    gnutls_free(nh.data);
    gnutls_free(kh.data);
    gnutls_free(okh.data);
    gnutls_free(sn.data);
    gnutls_x509_crt_deinit(crt);
    gnutls_x509_crt_deinit(oca);
    gnutls_x509_crt_deinit(leaf);
}

static void
expect_malformed(const void *p, size_t n, const char *fragment)
{
    gnutls_datum_t d = {(unsigned char *)p, (unsigned)n};
    int status;
    char *why = NULL;
    gnutls_ocsp_resp_t resp = respond(&d, &status, &why);
    assert_int_equal(status, GNUTLS_OCSP_RESP_MALFORMEDREQUEST);
    if (strstr(why, fragment) == NULL)
        fail_msg("cause '%s' lacks '%s'", why, fragment);
    free(why);
    gnutls_ocsp_resp_deinit(resp);
}

static void
test_malformed(void **state)
{
    (void)state;
    char serial[41];
    gnutls_x509_crt_t crt = issue("malformed.contoso.com", serial);
    gnutls_datum_t req = make_request(F->ca, crt, GNUTLS_DIG_SHA1, 16);
    int64_t before = unit_count(F->u->st, "SELECT count(*) FROM certificate");
    expect_malformed(NULL, 0, "empty");
    expect_malformed("garbage that is not DER at all", 30, "not one DER SEQUENCE");
    for (size_t cut = 1; cut < req.size; cut += 7)
        expect_malformed(req.data, req.size - cut, "");
    unsigned char *padded = malloc(req.size + 1);
    memcpy(padded, req.data, req.size);
    padded[req.size] = 0;
    expect_malformed(padded, req.size + 1, "not one DER SEQUENCE");
    /* a well-formed SEQUENCE of the wrong shape: the CA's certificate */
    const struct authority_info *info = &cadb_session_authority(F->s)->info;
    expect_malformed(info->cert.p, info->cert.n, "not valid DER");
    /* an empty request list */
    static const unsigned char empty_list[] = {0x30, 0x04, 0x30, 0x02, 0x30, 0x00};
    expect_malformed(empty_list, sizeof empty_list, "no certificate");
    /* BER, not DER: an indefinite length */
    padded[1] = 0x80;
    expect_malformed(padded, req.size, "");
    free(padded);
    /* seventeen CertIDs are more than one request answers */
    gnutls_ocsp_req_t r;
    gnutls_datum_t der;
    assert_int_equal(gnutls_ocsp_req_init(&r), 0);
    for (int i = 0; i <= OCSP_MAX_CERTIDS; i++)
        assert_int_equal(gnutls_ocsp_req_add_cert(r, GNUTLS_DIG_SHA1, F->ca, crt), 0);
    assert_int_equal(gnutls_ocsp_req_export(r, &der), 0);
    expect_malformed(der.data, der.size, "at most 16");
    gnutls_free(der.data);
    gnutls_ocsp_req_deinit(r);
    /* garbage changes nothing */
    assert_int_equal(unit_count(F->u->st, "SELECT count(*) FROM certificate"), before);
    gnutls_free(req.data);
    gnutls_x509_crt_deinit(crt);
}

static void
test_parse_keeps_certid(void **state)
{
    (void)state;
    char serial[41];
    gnutls_x509_crt_t crt = issue("parse.contoso.com", serial);
    gnutls_datum_t req = make_request(F->ca, crt, GNUTLS_DIG_SHA256, 20);
    struct ocsp_request q;
    char *cause = NULL;
    UNIT_OK(ocsp_request_parse(req.data, req.size, &q, &cause), cause);
    assert_int_equal(q.n, 1);
    assert_int_equal(q.ids[0].hash, GNUTLS_DIG_SHA256);
    assert_int_equal(q.ids[0].name_hash.n, 32);
    assert_int_equal(q.ids[0].key_hash.n, 32);
    char *hex = pkix_hex(q.ids[0].serial.p, q.ids[0].serial.n);
    assert_string_equal(hex, serial);
    free(hex);
    /* the CertID's DER lies inside the request, byte for byte */
    assert_non_null(memmem(req.data, req.size, q.ids[0].raw.p, q.ids[0].raw.n));
    assert_int_equal(q.ids[0].raw.p[0], 0x30);
    assert_true(q.has_nonce);
    assert_int_equal(q.nonce.n, 22); /* OCTET STRING of 20 */
    ocsp_request_free(&q);
    gnutls_free(req.data);
    gnutls_x509_crt_deinit(crt);
}

static void
test_renewal(void **state)
{
    (void)state;
    char serial[41];
    char *cause = NULL;
    gnutls_x509_crt_t crt = issue("renew.contoso.com", serial);
    struct pkix_buf first = {0}, second = {0}, third = {0};
    UNIT_OK(ocsp_responder_current(test_cx(F->u->st), &first, &cause), cause);
    gnutls_x509_crt_t r;
    gnutls_datum_t d = {first.p, (unsigned)first.n};
    assert_int_equal(gnutls_x509_crt_init(&r), 0);
    assert_int_equal(gnutls_x509_crt_import(r, &d, GNUTLS_X509_FMT_DER), 0);
    time_t end = gnutls_x509_crt_get_expiration_time(r);
    gnutls_x509_crt_deinit(r);
    /* before the two-day renewal period: the same responder */
    test_clock_set(end - 3 * 86400);
    UNIT_OK(ocsp_responder_current(test_cx(F->u->st), &second, &cause), cause);
    assert_int_equal(second.n, first.n);
    assert_memory_equal(second.p, first.p, first.n);
    /* inside it: a new one, and responses carry and verify with it */
    test_clock_set(end - 86400);
    gnutls_datum_t req = make_request(F->ca, crt, GNUTLS_DIG_SHA1, 0);
    gnutls_ocsp_resp_t resp = respond_ok(&req);
    assert_int_equal(verify_with_ca(resp), 0);
    UNIT_OK(ocsp_responder_current(test_cx(F->u->st), &third, &cause), cause);
    assert_false(third.n == first.n && memcmp(third.p, first.p, first.n) == 0);
    /* only the current responder's key is kept */
    assert_int_equal(unit_count(F->u->st, "SELECT count(*) FROM ocsp_responder"), 1);
    gnutls_x509_crt_t *certs = NULL;
    size_t ncerts = 0;
    assert_int_equal(gnutls_ocsp_resp_get_certs(resp, &certs, &ncerts), 0);
    assert_int_equal(ncerts, 1);
    gnutls_datum_t got;
    assert_int_equal(gnutls_x509_crt_export2(certs[0], GNUTLS_X509_FMT_DER, &got), 0);
    assert_int_equal(got.size, third.n);
    assert_memory_equal(got.data, third.p, third.n);
    gnutls_free(got.data);
    gnutls_x509_crt_deinit(certs[0]);
    gnutls_free(certs);
    gnutls_ocsp_resp_deinit(resp);
    /* a revoked responder is replaced at once */
    d.data = third.p;
    d.size = (unsigned)third.n;
    assert_int_equal(gnutls_x509_crt_init(&r), 0);
    assert_int_equal(gnutls_x509_crt_import(r, &d, GNUTLS_X509_FMT_DER), 0);
    unsigned char sn[32];
    size_t sl = sizeof sn;
    assert_int_equal(gnutls_x509_crt_get_serial(r, sn, &sl), 0);
    gnutls_x509_crt_deinit(r);
    char *hex = pkix_hex(sn, sl);
    UNIT_OK(cadb_revoke(test_cx(F->u->st), hex, 1, CADB_NOW, &cause), cause);
    free(hex);
    pkix_buf_free(&second);
    UNIT_OK(ocsp_responder_current(test_cx(F->u->st), &second, &cause), cause);
    assert_false(second.n == third.n && memcmp(second.p, third.p, third.n) == 0);
    pkix_buf_free(&first);
    pkix_buf_free(&second);
    pkix_buf_free(&third);
    gnutls_free(req.data);
    gnutls_x509_crt_deinit(crt);
}

static void
test_ca_signer(void **state)
{
    (void)state;
    char serial[41];
    char *cause = NULL;
    gnutls_x509_crt_t crt = issue("casigned.contoso.com", serial);
    gnutls_datum_t req = make_request(F->ca, crt, GNUTLS_DIG_SHA1, 8);
    /* only Manage CA changes the signer; bad values change nothing */
    unit_act_as(F->u->st, "CLIENT1");
    UNIT_FAILS(ocsp_signer_set(test_cx(F->u->st), "ca", &cause), CC_EACCES, cause, "");
    unit_act_as(F->u->st, "Administrator");
    UNIT_FAILS(ocsp_signer_set(test_cx(F->u->st), "the CA", &cause), CC_EINVAL, cause, "responder");
    enum ocsp_signer s;
    assert_int_equal(ocsp_signer_get(F->u->st, &s), CC_OK);
    assert_int_equal(s, OCSP_SIGNER_RESPONDER);
    UNIT_OK(ocsp_signer_set(test_cx(F->u->st), "ca", &cause), cause);
    assert_int_equal(ocsp_signer_get(F->u->st, &s), CC_OK);
    assert_int_equal(s, OCSP_SIGNER_CA);
    gnutls_ocsp_resp_t resp = respond_ok(&req);
    assert_int_equal(single(resp, NULL, NULL, NULL, NULL), GNUTLS_OCSP_CERT_GOOD);
    unsigned verify = 99;
    assert_int_equal(gnutls_ocsp_resp_verify_direct(resp, F->ca, &verify, 0), 0);
    assert_int_equal(verify, 0);
    gnutls_x509_crt_t *certs = NULL;
    size_t ncerts = 9;
    assert_int_equal(gnutls_ocsp_resp_get_certs(resp, &certs, &ncerts), 0);
    assert_int_equal(ncerts, 0);
    gnutls_free(certs);
    gnutls_ocsp_resp_deinit(resp);
    UNIT_OK(ocsp_signer_set(test_cx(F->u->st), "responder", &cause), cause);
    resp = respond_ok(&req);
    verify = 0;
    /* the CA key no longer signs: direct verification fails, the chain verifies */
    assert_int_equal(gnutls_ocsp_resp_verify_direct(resp, F->ca, &verify, 0), 0);
    assert_int_not_equal(verify, 0);
    assert_int_equal(verify_with_ca(resp), 0);
    gnutls_ocsp_resp_deinit(resp);
    gnutls_free(req.data);
    gnutls_x509_crt_deinit(crt);
}

static void
test_expired_ca_internal_error(void **state)
{
    (void)state;
    char serial[41];
    gnutls_x509_crt_t crt = issue("late.contoso.com", serial);
    gnutls_datum_t req = make_request(F->ca, crt, GNUTLS_DIG_SHA1, 0);
    test_clock_set(gnutls_x509_crt_get_expiration_time(F->ca) + 86400);
    int status;
    char *why = NULL;
    gnutls_ocsp_resp_t resp = respond(&req, &status, &why);
    assert_int_equal(status, GNUTLS_OCSP_RESP_INTERNALERROR);
    assert_non_null(why);
    free(why);
    gnutls_ocsp_resp_deinit(resp);
    gnutls_free(req.data);
    gnutls_x509_crt_deinit(crt);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_good_with_responder, test_setup),
        cmocka_unit_test_setup(test_sha256_and_nonce_bounds, test_setup),
        cmocka_unit_test_setup(test_revoked_hold_and_future, test_setup),
        cmocka_unit_test_setup(test_unknown_serial, test_setup),
        cmocka_unit_test_setup(test_another_ca_unauthorized, test_setup),
        cmocka_unit_test_setup(test_malformed, test_setup),
        cmocka_unit_test_setup(test_parse_keeps_certid, test_setup),
        cmocka_unit_test_setup(test_renewal, test_setup),
        cmocka_unit_test_setup(test_ca_signer, test_setup),
        cmocka_unit_test_setup(test_expired_ca_internal_error, test_setup),
    };
    return cmocka_run_group_tests_name("ocsp", tests, group_setup, group_teardown);
}
