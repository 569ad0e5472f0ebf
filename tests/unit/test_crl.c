/*
 * Unit tests of ca/crl: before any publication crl_latest is ENOTFOUND; a
 * published CRL imports with gnutls_x509_crl_import, verifies against the
 * CA certificate, names the CA as issuer with its key identifier, runs
 * from ten minutes ago to the period plus its overlap, and lists exactly
 * the revoked certificates whose revocation is in effect, each with its
 * revocation date and its reason code (none for unspecified); a hold that
 * was released and a revocation effective in the future are left out until
 * their time, and expired certificates drop off; the CRL number increments
 * with every publication and crl_latest returns the newest; publishing
 * needs Issue and Manage Certificates or Manage CA.
 */
#include "config.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "authority.h"
#include "cadb.h"
#include "crl.h"
#include "pkix.h"
#include "request.h"
#include "unit.h"

struct fx {
    struct unit_fx *u;
    struct cadb_session *s;
    struct dir_principal admin;
    gnutls_x509_privkey_t key;
    gnutls_x509_crt_t ca;
    char *serial[6];
};

static char *
issue(struct fx *f, const char *cn)
{
    struct request_params p = {.cn = cn};
    struct pkix_buf csr = {0};
    struct cadb_outcome o;
    char *cause = NULL;
    UNIT_OK(request_build(f->key, &p, &csr, &cause), cause);
    UNIT_OK(cadb_submit(f->s, &f->admin, "WebServer", csr.p, csr.n, &o, &cause), cause);
    assert_int_equal(o.disposition, DISP_ISSUED);
    char *serial = cc_strdup(o.serial);
    cadb_outcome_free(&o);
    pkix_buf_free(&csr);
    return serial;
}

static int
group_setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    char *cause = NULL;
    if (f == NULL || (f->u = unit_fx_new("crl", 1)) == NULL) {
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
    const struct authority_info *info = &cadb_session_authority(f->s)->info;
    gnutls_datum_t d = {info->cert.p, (unsigned)info->cert.n};
    gnutls_x509_crt_init(&f->ca);
    gnutls_x509_crt_import(f->ca, &d, GNUTLS_X509_FMT_DER);
    *state = f;
    return 0;
}

static int
group_teardown(void **state)
{
    struct fx *f = *state;
    if (f == NULL)
        return 0;
    for (int i = 0; i < 6; i++)
        free(f->serial[i]);
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
    struct fx *f = *state;
    unit_act_as(f->u->st, "Administrator");
    return 0;
}

/* One entry of a CRL as read from its DER by hand (GnuTLS has no reason API). */
struct entry {
    char *serial;
    time_t when;
    int reason; /* -1 when the entry has no reasonCode */
};

static long
tlv(const unsigned char *p, size_t n, unsigned char want, size_t *len)
{
    unsigned char tag;
    long off = pkix_tlv(p, n, &tag, len);
    assert_true(off > 0);
    assert_int_equal(tag, want);
    return off;
}

/* Reads the revokedCertificates of a CRL; returns the number of entries. */
static size_t
read_entries(const struct pkix_buf *der, struct entry *out, size_t max)
{
    const unsigned char *p = der->p;
    size_t n = der->n, len;
    long off = tlv(p, n, 0x30, &len); /* CertificateList */
    p += off;
    n = len;
    off = tlv(p, n, 0x30, &len); /* TBSCertList */
    p += off;
    n = len;
    static const unsigned char skip[] = {0x02, 0x30, 0x30}; /* version, signature, issuer */
    for (size_t i = 0; i < 3; i++) {
        off = tlv(p, n, skip[i], &len);
        p += (size_t)off + len;
        n -= (size_t)off + len;
    }
    for (int i = 0; i < 2; i++) { /* thisUpdate, nextUpdate */
        unsigned char tag;
        off = pkix_tlv(p, n, &tag, &len);
        assert_true(tag == 0x17 || tag == 0x18);
        p += (size_t)off + len;
        n -= (size_t)off + len;
    }
    unsigned char tag;
    off = pkix_tlv(p, n, &tag, &len);
    if (off < 0 || tag != 0x30)
        return 0; /* no revokedCertificates: straight to [0] crlExtensions */
    const unsigned char *q = p + off, *end = p + off + len;
    size_t count = 0;
    while (q < end) {
        size_t elen, slen, tlen;
        long eoff = tlv(q, (size_t)(end - q), 0x30, &elen);
        const unsigned char *e = q + eoff, *eend = q + eoff + elen;
        long soff = tlv(e, elen, 0x02, &slen);
        assert_true(count < max);
        out[count].serial = pkix_hex(e + soff, slen);
        e += (size_t)soff + slen;
        long toff = pkix_tlv(e, (size_t)(eend - e), &tag, &tlen);
        char text[32];
        assert_true(tlen < sizeof text);
        memcpy(text, e + toff, tlen);
        text[tlen] = '\0';
        struct tm tm = {0};
        assert_non_null(strptime(text, tag == 0x17 ? "%y%m%d%H%M%SZ" : "%Y%m%d%H%M%SZ", &tm));
        out[count].when = timegm(&tm);
        e += (size_t)toff + tlen;
        out[count].reason = -1;
        if (e < eend) {
            static const unsigned char oid[] = {0x06, 0x03, 0x55, 0x1d, 0x15};
            const unsigned char *hit = memmem(e, (size_t)(eend - e), oid, sizeof oid);
            assert_non_null(hit);
            /* OCTET STRING { ENUMERATED reason } */
            const unsigned char *v = hit + sizeof oid;
            if (*v == 0x01) /* an explicit critical = FALSE */
                v += 3;
            assert_int_equal(v[0], 0x04);
            assert_int_equal(v[2], 0x0a);
            assert_int_equal(v[3], 0x01);
            out[count].reason = v[4];
        }
        count++;
        q = eend;
    }
    return count;
}

static void
entries_free(struct entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(e[i].serial);
}

static const struct entry *
find_entry(const struct entry *e, size_t n, const char *serial)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].serial, serial) == 0)
            return &e[i];
    return NULL;
}

/* Imports and verifies the CRL against the CA; returns it. */
static gnutls_x509_crl_t
import_crl(struct fx *f, const struct pkix_buf *der)
{
    gnutls_x509_crl_t crl;
    gnutls_datum_t d = {der->p, (unsigned)der->n};
    assert_int_equal(gnutls_x509_crl_init(&crl), 0);
    assert_int_equal(gnutls_x509_crl_import(crl, &d, GNUTLS_X509_FMT_DER), 0);
    /* the lab clock is ahead of the real one: a CRL "issued in the future" is expected */
    unsigned status = 99;
    assert_int_equal(gnutls_x509_crl_verify(crl, &f->ca, 1, GNUTLS_VERIFY_DISABLE_TIME_CHECKS,
                                            &status),
                     0);
    if (status != 0 &&
        status != (GNUTLS_CERT_INVALID | GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE))
        fail_msg("CRL verification status 0x%x", status);

    /* so check the signature over the TBSCertList with the CA's key as well */
    const unsigned char *p = der->p;
    size_t len, tbslen, siglen;
    long off = tlv(p, der->n, 0x30, &len);
    const unsigned char *tbs = p + off;
    long toff = tlv(tbs, len, 0x30, &tbslen);
    size_t tbs_total = (size_t)toff + tbslen;
    const unsigned char *alg = tbs + tbs_total;
    size_t alglen;
    long aoff = tlv(alg, len - tbs_total, 0x30, &alglen);
    const unsigned char *bits = alg + aoff + alglen;
    long boff = tlv(bits, len - tbs_total - (size_t)aoff - alglen, 0x03, &siglen);
    gnutls_datum_t data = {(unsigned char *)tbs, (unsigned)tbs_total};
    gnutls_datum_t sig = {(unsigned char *)bits + boff + 1, (unsigned)siglen - 1};
    gnutls_pubkey_t pub;
    assert_int_equal(gnutls_pubkey_init(&pub), 0);
    assert_int_equal(gnutls_pubkey_import_x509(pub, f->ca, 0), 0);
    int algo = gnutls_x509_crl_get_signature_algorithm(crl);
    assert_int_equal(algo, GNUTLS_SIGN_RSA_SHA256);
    assert_true(gnutls_pubkey_verify_data2(pub, (gnutls_sign_algorithm_t)algo, 0, &data, &sig) >=
                0);
    unsigned char *copy = malloc(tbs_total);
    assert_non_null(copy);
    memcpy(copy, tbs, tbs_total);
    copy[tbs_total - 1] ^= 1;
    data.data = copy;
    assert_true(gnutls_pubkey_verify_data2(pub, (gnutls_sign_algorithm_t)algo, 0, &data, &sig) <
                0);
    free(copy);
    gnutls_pubkey_deinit(pub);
    return crl;
}

static void
test_none_yet(void **state)
{
    struct fx *f = *state;
    struct pkix_buf der = {0};
    struct crl_info info;
    char *cause = NULL;
    UNIT_FAILS(crl_latest(f->u->st, &der, &info, &cause), CC_ENOTFOUND, cause, "");
    assert_null(der.p);
}

static void
test_crl_with_reasons(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    static const char *const names[6] = {"k.contoso.com", "h.contoso.com", "u.contoso.com",
                                         "c.contoso.com", "r.contoso.com", "future.contoso.com"};
    for (int i = 0; i < 6; i++)
        f->serial[i] = issue(f, names[i]);
    char *valid = issue(f, "valid.contoso.com");
    UNIT_OK(cadb_revoke(test_cx(st), f->serial[0], 1, CADB_NOW, &cause), cause); /* keyCompromise */
    UNIT_OK(cadb_revoke(test_cx(st), f->serial[1], 6, CADB_NOW, &cause),
            cause); /* certificateHold */
    /* back-dated: revoked an hour later, in effect from the certificate's start */
    test_clock_set(f->u->now + 3600);
    UNIT_OK(cadb_revoke(test_cx(st), f->serial[2], 0, f->u->now, &cause), cause);
    test_clock_set(f->u->now);
    UNIT_OK(cadb_revoke(test_cx(st), f->serial[3], 5, CADB_NOW, &cause), cause); /* cessation */
    UNIT_OK(cadb_revoke(test_cx(st), f->serial[4], 6, CADB_NOW, &cause),
            cause); /* released below */
    UNIT_OK(cadb_unrevoke(test_cx(st), f->serial[4], &cause), cause);
    UNIT_OK(cadb_revoke(test_cx(st), f->serial[5], 4, f->u->now + 86400, &cause),
            cause); /* tomorrow */

    struct pkix_buf der = {0};
    struct crl_info info;
    UNIT_OK(crl_publish(test_cx(st), cadb_session_authority(f->s), &der, &info, &cause), cause);
    assert_int_equal(info.number, 1);
    assert_int_equal(info.count, 4);
    /* ten minutes back for slow clocks, but never before the CA certificate */
    time_t ca_start = gnutls_x509_crt_get_activation_time(f->ca);
    assert_int_equal(info.this_update, f->u->now - 600 < ca_start ? ca_start : f->u->now - 600);
    assert_int_equal(info.next_update, f->u->now + PERIOD_WEEK + 12 * PERIOD_HOUR);

    gnutls_x509_crl_t crl = import_crl(f, &der);
    assert_int_equal(gnutls_x509_crl_get_version(crl), 2);
    assert_int_equal(gnutls_x509_crl_get_this_update(crl), info.this_update);
    assert_int_equal(gnutls_x509_crl_get_next_update(crl), info.next_update);
    assert_int_equal(gnutls_x509_crl_get_crt_count(crl), 4);
    unsigned char num[16];
    size_t numlen = sizeof num;
    unsigned crit = 1;
    assert_int_equal(gnutls_x509_crl_get_number(crl, num, &numlen, &crit), 0);
    assert_int_equal(numlen, 1);
    assert_int_equal(num[0], 1);
    assert_false(crit);
    unsigned char aki[64], ski[64];
    size_t akilen = sizeof aki, skilen = sizeof ski;
    assert_int_equal(gnutls_x509_crl_get_authority_key_id(crl, aki, &akilen, &crit), 0);
    assert_int_equal(gnutls_x509_crt_get_subject_key_id(f->ca, ski, &skilen, &crit), 0);
    assert_int_equal(akilen, skilen);
    assert_memory_equal(aki, ski, akilen);
    gnutls_datum_t issuer, subject;
    assert_int_equal(gnutls_x509_crl_get_raw_issuer_dn(crl, &issuer), 0);
    assert_int_equal(gnutls_x509_crt_get_raw_dn(f->ca, &subject), 0);
    assert_int_equal(issuer.size, subject.size);
    assert_memory_equal(issuer.data, subject.data, issuer.size);
    gnutls_free(issuer.data);
    gnutls_free(subject.data);
    /* GnuTLS sees the same serials */
    for (unsigned i = 0; i < 4; i++) {
        unsigned char serial[32];
        size_t slen = sizeof serial;
        time_t t;
        assert_int_equal(gnutls_x509_crl_get_crt_serial(crl, i, serial, &slen, &t), 0);
        char *hex = pkix_hex(serial, slen);
        int known = 0;
        for (int j = 0; j < 4; j++)
            known |= strcmp(hex, f->serial[j]) == 0;
        assert_true(known);
        free(hex);
    }
    gnutls_x509_crl_deinit(crl);

    /* the reasons and dates */
    struct entry e[8];
    size_t n = read_entries(&der, e, 8);
    assert_int_equal(n, 4);
    const struct entry *k = find_entry(e, n, f->serial[0]);
    const struct entry *h = find_entry(e, n, f->serial[1]);
    const struct entry *u = find_entry(e, n, f->serial[2]);
    const struct entry *c = find_entry(e, n, f->serial[3]);
    assert_non_null(k);
    assert_non_null(h);
    assert_non_null(u);
    assert_non_null(c);
    assert_int_equal(k->reason, 1);
    assert_int_equal(h->reason, 6);
    assert_int_equal(u->reason, -1);
    assert_int_equal(c->reason, 5);
    assert_int_equal(k->when, f->u->now);
    assert_int_equal(u->when, f->u->now);
    assert_null(find_entry(e, n, f->serial[4]));
    assert_null(find_entry(e, n, f->serial[5]));
    assert_null(find_entry(e, n, valid));
    entries_free(e, n);

    /* crl_latest gives it back */
    struct pkix_buf back = {0};
    struct crl_info bi;
    UNIT_OK(crl_latest(st, &back, &bi, &cause), cause);
    assert_int_equal(bi.number, 1);
    assert_int_equal(bi.count, 4);
    assert_int_equal(back.n, der.n);
    assert_memory_equal(back.p, der.p, der.n);
    pkix_buf_free(&back);
    pkix_buf_free(&der);
    free(valid);
}

static void
test_number_increments(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    struct pkix_buf der = {0};
    struct crl_info info;
    struct authority_info ai;
    UNIT_OK(authority_info_load(st, &ai, &cause), cause);
    int64_t start = ai.crl_number;
    authority_info_free(&ai);
    for (int i = 1; i <= 3; i++) {
        UNIT_OK(crl_publish(test_cx(st), cadb_session_authority(f->s), &der, &info, &cause), cause);
        assert_int_equal(info.number, start + i);
        gnutls_x509_crl_t crl = import_crl(f, &der);
        unsigned char num[16];
        size_t numlen = sizeof num;
        unsigned crit;
        assert_int_equal(gnutls_x509_crl_get_number(crl, num, &numlen, &crit), 0);
        assert_int_equal(num[numlen - 1], (unsigned char)(start + i));
        gnutls_x509_crl_deinit(crl);
        pkix_buf_free(&der);
    }
    UNIT_OK(authority_info_load(st, &ai, &cause), cause);
    assert_int_equal(ai.crl_number, start + 3);
    authority_info_free(&ai);
    UNIT_OK(crl_latest(st, &der, &info, &cause), cause);
    assert_int_equal(info.number, start + 3);
    pkix_buf_free(&der);
    assert_int_equal(unit_count(st, "SELECT count(*) FROM crl"), start + 3);

    /* without the rights: refused, the number stays */
    unit_add_user(st, "nocrl");
    unit_act_as(st, "nocrl");
    UNIT_FAILS(crl_publish(test_cx(st), cadb_session_authority(f->s), &der, &info, &cause),
               CC_EACCES, cause, "publish a CRL");
    assert_null(der.p);
    unit_act_as(st, "Administrator");
    UNIT_OK(crl_latest(st, &der, &info, &cause), cause);
    assert_int_equal(info.number, start + 3);
    pkix_buf_free(&der);
}

static void
test_time_passes(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    char *cause = NULL;
    struct pkix_buf der = {0};
    struct crl_info info;
    struct entry e[8];
    /* two days on: the revocation dated tomorrow is in effect */
    test_clock_set(f->u->now + 2 * PERIOD_DAY);
    UNIT_OK(crl_publish(test_cx(st), cadb_session_authority(f->s), &der, &info, &cause), cause);
    assert_int_equal(info.count, 5);
    gnutls_x509_crl_deinit(import_crl(f, &der));
    size_t n = read_entries(&der, e, 8);
    assert_int_equal(n, 5);
    const struct entry *x = find_entry(e, n, f->serial[5]);
    assert_non_null(x);
    assert_int_equal(x->reason, 4);
    assert_int_equal(x->when, f->u->now + 86400);
    entries_free(e, n);
    pkix_buf_free(&der);

    /* three years on every certificate has expired: an empty CRL */
    test_clock_set(f->u->now + 3 * PERIOD_YEAR);
    UNIT_OK(crl_publish(test_cx(st), cadb_session_authority(f->s), &der, &info, &cause), cause);
    test_clock_set(f->u->now);
    assert_int_equal(info.count, 0);
    gnutls_x509_crl_t crl = import_crl(f, &der);
    assert_int_equal(gnutls_x509_crl_get_crt_count(crl), 0);
    gnutls_x509_crl_deinit(crl);
    assert_int_equal(read_entries(&der, e, 8), 0);
    pkix_buf_free(&der);
}

/* The value of a CRL extension, with its criticality; asserts it is there. */
static void
crl_extension(gnutls_x509_crl_t crl, const char *oid, gnutls_datum_t *value, unsigned *critical)
{
    for (unsigned i = 0;; i++) {
        char name[64];
        size_t len = sizeof name;
        unsigned crit;
        int err = gnutls_x509_crl_get_extension_info(crl, i, name, &len, &crit);
        if (err == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
            fail_msg("the CRL has no extension %s", oid);
        assert_true(err >= 0);
        if (strcmp(name, oid) == 0) {
            *critical = crit;
            assert_int_equal(gnutls_x509_crl_get_extension_data2(crl, i, value), 0);
            return;
        }
    }
}

/*
 * A delta CRL lists only what changed since its base: a revocation that
 * came after the base, a hold released since the base as removeFromCRL,
 * nothing the base already listed; it carries the critical Delta CRL
 * Indicator naming the base, and shares the CRL number sequence. A base
 * carries Freshest CRL. The service's schedule publishes what is due and
 * nothing else. Deltas off, or no base yet, refuse a delta.
 */
static void
test_delta(void **state)
{
    struct fx *f = *state;
    struct store *st = f->u->st;
    struct authority *ca = cadb_session_authority(f->s);
    char *cause = NULL;
    struct pkix_buf der = {0};
    struct crl_info base, delta;
    struct entry e[8];
    time_t t0 = f->u->now + PERIOD_HOUR;
    test_clock_set(t0);
    char *held = issue(f, "held.contoso.com"), *later = issue(f, "later.contoso.com");
    UNIT_OK(cadb_revoke(test_cx(st), held, 6, CADB_NOW, &cause), cause);
    test_clock_set(t0 + 60);
    UNIT_OK(crl_publish(test_cx(st), ca, &der, &base, &cause), cause);
    gnutls_x509_crl_t crl = import_crl(f, &der);
    gnutls_datum_t v;
    unsigned crit = 9;
    crl_extension(crl, "2.5.29.46", &v, &crit);
    assert_false(crit);
    assert_non_null(memmem(v.data, v.size, "contoso-CA1-CA+.crl", 19));
    gnutls_free(v.data);
    gnutls_x509_crl_deinit(crl);
    pkix_buf_free(&der);

    /* an hour later: a new revocation, and the hold released */
    test_clock_set(t0 + PERIOD_HOUR);
    UNIT_OK(cadb_revoke(test_cx(st), later, 1, CADB_NOW, &cause), cause);
    UNIT_OK(cadb_unrevoke(test_cx(st), held, &cause), cause);
    UNIT_OK(crl_publish_kind(test_cx(st), ca, CRL_DELTA, &der, &delta, &cause), cause);
    assert_int_equal(delta.number, base.number + 1);
    assert_int_equal(delta.base, base.number);
    assert_int_equal(delta.count, 2);
    assert_int_equal(delta.next_update, t0 + PERIOD_HOUR + PERIOD_DAY + PERIOD_DAY / 10);
    crl = import_crl(f, &der);
    crl_extension(crl, "2.5.29.27", &v, &crit);
    assert_true(crit);
    /* INTEGER base.number */
    assert_int_equal(v.size, 3);
    assert_int_equal(v.data[0], 0x02);
    assert_int_equal(v.data[2], (unsigned char)base.number);
    gnutls_free(v.data);
    gnutls_x509_crl_deinit(crl);
    size_t n = read_entries(&der, e, 8);
    assert_int_equal(n, 2);
    const struct entry *x = find_entry(e, n, later);
    assert_non_null(x);
    assert_int_equal(x->reason, 1);
    x = find_entry(e, n, held);
    assert_non_null(x);
    assert_int_equal(x->reason, 8); /* removeFromCRL */
    entries_free(e, n);
    pkix_buf_free(&der);
    /* the newest of each kind */
    struct crl_info got;
    UNIT_OK(crl_latest(st, &der, &got, &cause), cause);
    assert_int_equal(got.number, base.number);
    pkix_buf_free(&der);
    UNIT_OK(crl_latest_kind(st, CRL_DELTA, NULL, &got, &cause), cause);
    assert_int_equal(got.number, delta.number);

    /* the schedule: nothing due yet; a day later a delta; a week later a base and a delta */
    int published = -1;
    time_t next = 0;
    UNIT_OK(crl_publish_due(test_cx(st), ca, &published, &next, &cause), cause);
    assert_int_equal(published, 0);
    assert_int_equal(next, t0 + PERIOD_HOUR + PERIOD_DAY);
    test_clock_set(next);
    UNIT_OK(crl_publish_due(test_cx(st), ca, &published, &next, &cause), cause);
    assert_int_equal(published, 1);
    UNIT_OK(crl_latest_kind(st, CRL_DELTA, NULL, &got, &cause), cause);
    assert_int_equal(got.number, delta.number + 1);
    test_clock_set(t0 + 60 + PERIOD_WEEK);
    UNIT_OK(crl_publish_due(test_cx(st), ca, &published, &next, &cause), cause);
    assert_int_equal(published, 2);
    UNIT_OK(crl_latest_kind(st, CRL_DELTA, NULL, &got, &cause), cause);
    assert_int_equal(got.base, delta.number + 2);

    /* publish on revoke: off by default, then a delta */
    UNIT_OK(crl_publish_on_revoke(test_cx(st), ca, &got, &published, &cause), cause);
    assert_int_equal(published, 0);
    UNIT_OK(authority_config_set(test_cx(st), "publish-on-revoke", "on", &cause), cause);
    UNIT_OK(crl_publish_on_revoke(test_cx(st), ca, &got, &published, &cause), cause);
    assert_int_equal(published, 1);
    assert_int_equal(got.base, delta.number + 2);

    /* deltas off: refused, and nothing is published */
    UNIT_OK(authority_config_set(test_cx(st), "delta-period", "0", &cause), cause);
    int64_t count = unit_count(st, "SELECT count(*) FROM crl");
    UNIT_FAILS(crl_publish_kind(test_cx(st), ca, CRL_DELTA, &der, &delta, &cause), CC_EINVAL, cause,
               "delta-period");
    assert_int_equal(unit_count(st, "SELECT count(*) FROM crl"), count);
    UNIT_OK(crl_publish_on_revoke(test_cx(st), ca, &got, &published, &cause), cause);
    assert_int_equal(got.base, 0); /* a base instead */
    UNIT_OK(authority_config_set(test_cx(st), "delta-period", "1d", &cause), cause);
    UNIT_OK(authority_config_set(test_cx(st), "publish-on-revoke", "off", &cause), cause);
    test_clock_set(f->u->now);
    free(held);
    free(later);
}

/* No base CRL yet: a delta is refused and names what to do. */
static void
test_delta_needs_base(void **state)
{
    struct fx *f = *state;
    struct pkix_buf der = {0};
    struct crl_info info;
    char *cause = NULL;
    UNIT_FAILS(crl_publish_kind(test_cx(f->u->st), cadb_session_authority(f->s), CRL_DELTA, &der,
                                &info, &cause),
               CC_ENOTFOUND, cause, "ca crl");
    assert_null(der.p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_none_yet, test_setup),
        cmocka_unit_test_setup(test_delta_needs_base, test_setup),
        cmocka_unit_test_setup(test_crl_with_reasons, test_setup),
        cmocka_unit_test_setup(test_number_increments, test_setup),
        cmocka_unit_test_setup(test_time_passes, test_setup),
        cmocka_unit_test_setup(test_delta, test_setup),
    };
    return cmocka_run_group_tests_name("crl", tests, group_setup, group_teardown);
}
