/*
 * OCSP requests: any bytes through ocsp_request_parse, and through
 * ocsp_respond on a contoso lab with its CA made once per process, the
 * way the service's /ocsp route takes a request body. Whatever comes in,
 * an OCSPResponse must come out: malformedRequest exactly when the parser
 * refused the bytes, another status (successful, unauthorized) otherwise.
 *
 * The CA is new in every process, so the seeds cannot name it: they carry
 * placeholders that are replaced before each run, so that fuzzed requests
 * reach the status lookup and the signature too. A run of 0xAA (20 or 32
 * octets) becomes the CA's SHA-1 or SHA-256 name hash, 0xBB its key hash,
 * sixteen 0xCC the serial of a good certificate and sixteen 0xDD that of a
 * revoked one.
 */
#include "config.h"

#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>
#include <gnutls/x509.h>

#include "authority.h"
#include "cadb.h"
#include "directory.h"
#include "fuzz.h"
#include "lab.h"
#include "ocsp.h"
#include "request.h"
#include "store.h"

static struct store *st;

/* What the placeholders stand for: 0 SHA-1, 1 SHA-256. */
static unsigned char name_hash[2][32], key_hash[2][32], good_serial[16], revoked_serial[16];

/* Issues a Web Server certificate: *crt (deinit it) and its serial. */
static void
issue(struct cadb_session *s, const struct dir_principal *admin, gnutls_x509_privkey_t key,
      const char *cn, gnutls_x509_crt_t *crt, unsigned char serial[16])
{
    struct request_params rp = {.cn = cn};
    struct pkix_buf csr = {0}, sn = {0};
    struct cadb_outcome o;
    char *cause = NULL;
    if (request_build(key, &rp, &csr, &cause) != CC_OK ||
        cadb_submit(s, admin, "WebServer", csr.p, csr.n, &o, &cause) != CC_OK ||
        o.disposition != DISP_ISSUED)
        fuzz_die("issuing %s: %s", cn, cause ? cause : "?");
    if (pkix_unhex(o.serial, &sn) != CC_OK || sn.n != 16)
        fuzz_die("serial %s is not 16 octets", o.serial);
    memcpy(serial, sn.p, 16);
    gnutls_datum_t d = {o.cert.p, (unsigned)o.cert.n};
    if (gnutls_x509_crt_init(crt) < 0 || gnutls_x509_crt_import(*crt, &d, GNUTLS_X509_FMT_DER) < 0)
        fuzz_die("the certificate of %s", cn);
    pkix_buf_free(&sn);
    pkix_buf_free(&csr);
    cadb_outcome_free(&o);
}

/* The CA's CertID hashes under a digest, as GnuTLS computes them. */
static void
certid_hashes(gnutls_x509_crt_t ca, gnutls_x509_crt_t crt, gnutls_digest_algorithm_t dig,
              unsigned char *nh, unsigned char *kh, unsigned len)
{
    gnutls_ocsp_req_t r;
    gnutls_datum_t n, k;
    if (gnutls_ocsp_req_init(&r) < 0 || gnutls_ocsp_req_add_cert(r, dig, ca, crt) < 0 ||
        gnutls_ocsp_req_get_cert_id(r, 0, NULL, &n, &k, NULL) < 0 || n.size != len || k.size != len)
        fuzz_die("CertID hashes");
    memcpy(nh, n.data, len);
    memcpy(kh, k.data, len);
    gnutls_free(n.data);
    gnutls_free(k.data);
    gnutls_ocsp_req_deinit(r);
}

/* Replaces each run of len octets b in p with what (len octets). */
static void
replace_runs(unsigned char *p, size_t n, unsigned char b, size_t len, const unsigned char *what)
{
    for (size_t i = 0; i + len <= n; i++) {
        size_t k = 0;
        while (k < len && p[i + k] == b)
            k++;
        if (k == len) {
            memcpy(p + i, what, len);
            i += len - 1;
        }
    }
}

static void
close_store(void)
{
    ocsp_forget();
    store_close(st);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *datadir = fuzz_setup("ocsp");
    char *db = fuzz_scratch_path("lab.db"), *cause = NULL;
    struct lab_def def = {0};
    if (store_open(db, STORE_CREATE, &st, &cause) != CC_OK ||
        lab_init(test_cx(st), datadir, "contoso", &def, &cause) != CC_OK)
        fuzz_die("the contoso lab: %s", cause ? cause : "?");
    /* an EC CA: the responder key is of its type, and fast to make */
    struct authority_params p = {.name = def.ca.name,
                                 .host = def.ca.host,
                                 .edition = def.ca.edition,
                                 .key_type = "ecdsa:p256"};
    if (authority_create(test_cx(st), &p, &cause) != CC_OK)
        fuzz_die("the lab's CA: %s", cause ? cause : "?");
    lab_def_free(&def);
    free(db);
    atexit(close_store);
    struct dir_principal admin = {0};
    if (dir_lookup(st, "Administrator", &admin, &cause) != CC_OK)
        fuzz_die("Administrator: %s", cause ? cause : "?");
    char *q = dir_qualified_name(st, &admin);
    test_act_id(st, admin.id, q ? q : admin.name);
    free(q);
    struct cadb_session *s;
    gnutls_x509_privkey_t key;
    gnutls_x509_crt_t good, revoked, ca;
    if (cadb_session_open(test_cx(st), NULL, &s, &cause) != CC_OK ||
        request_key_generate("rsa:2048", &key, &cause) != CC_OK)
        fuzz_die("CA session: %s", cause ? cause : "?");
    issue(s, &admin, key, "good.contoso.com", &good, good_serial);
    issue(s, &admin, key, "revoked.contoso.com", &revoked, revoked_serial);
    char *hex = pkix_hex(revoked_serial, 16);
    if (hex == NULL || cadb_revoke(test_cx(st), hex, 1, CADB_NOW, &cause) != CC_OK)
        fuzz_die("revoke: %s", cause ? cause : "?");
    free(hex);
    const struct authority_info *info = &cadb_session_authority(s)->info;
    gnutls_datum_t d = {info->cert.p, (unsigned)info->cert.n};
    if (gnutls_x509_crt_init(&ca) < 0 || gnutls_x509_crt_import(ca, &d, GNUTLS_X509_FMT_DER) < 0)
        fuzz_die("the CA certificate");
    certid_hashes(ca, good, GNUTLS_DIG_SHA1, name_hash[0], key_hash[0], 20);
    certid_hashes(ca, good, GNUTLS_DIG_SHA256, name_hash[1], key_hash[1], 32);
    gnutls_x509_crt_deinit(ca);
    gnutls_x509_crt_deinit(good);
    gnutls_x509_crt_deinit(revoked);
    gnutls_x509_privkey_deinit(key);
    cadb_session_close(s);
    dir_principal_free(&admin);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *input, size_t size)
{
    unsigned char *data = malloc(size ? size : 1);
    if (data == NULL)
        fuzz_die("out of memory");
    if (size)
        memcpy(data, input, size);
    replace_runs(data, size, 0xaa, 32, name_hash[1]);
    replace_runs(data, size, 0xbb, 32, key_hash[1]);
    replace_runs(data, size, 0xaa, 20, name_hash[0]);
    replace_runs(data, size, 0xbb, 20, key_hash[0]);
    replace_runs(data, size, 0xcc, 16, good_serial);
    replace_runs(data, size, 0xdd, 16, revoked_serial);
    struct ocsp_request q;
    char *cause = NULL;
    int parsed = ocsp_request_parse(data, size, &q, &cause) == CC_OK;
    if (parsed && (q.n < 1 || q.n > OCSP_MAX_CERTIDS))
        fuzz_die("a parsed request with %zu CertIDs", q.n);
    for (size_t i = 0; parsed && i < q.n; i++)
        if (q.ids[i].raw.n < 2 || q.ids[i].raw.p[0] != 0x30)
            fuzz_die("CertID %zu was kept without its DER", i);
    ocsp_request_free(&q);
    free(cause);
    cause = NULL;
    struct ocsp_answer a;
    if (ocsp_respond(test_cx(st), data, size, &a, &cause) != CC_OK)
        fuzz_die("no response at all: %s", cause ? cause : "?");
    int status = ocsp_answer_status(&a);
    if (status < 0)
        fuzz_die("the response has no status");
    if ((status == OCSP_MALFORMED_REQUEST) != !parsed)
        fuzz_die("the request %s but the response is %s", parsed ? "parsed" : "did not parse",
                 ocsp_status_name(status));
    if (status == OCSP_INTERNAL_ERROR)
        fuzz_die("internalError: %s", cause ? cause : "?");
    ocsp_answer_free(&a);
    free(cause);
    free(data);
    return 0;
}
