/*
 * OCSP benchmark (not a test), run by tests/bench/ocsp: for each CA key
 * type given, a contoso lab in a scratch directory with a CA of that type
 * and one issued certificate, then, alternating for RUNS rounds of about a
 * second each, ocsp_respond on a one-CertID request with a nonce (the
 * whole in-process path: parse, status lookup, encode, sign) and the raw
 * signing rate of the key that signs responses (ocsp_sign_raw) in the same
 * process. Prints the medians and their ratio; asserts nothing.
 *
 * Usage: bench_ocsp [--signer ca|responder] [--algorithm ALG] KEYTYPE...
 * (CERTCON_DATADIR: the data/ directory). --algorithm sets the OCSP
 * Response Signing template's algorithm (ECDSA_P256, ...), which decides
 * the responder's key; without it the key is the template's RSA 2048.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>
#include <gnutls/x509.h>

#include "context.h"
#include "../testctx.h"
#include "authority.h"
#include "cadb.h"
#include "clock.h"
#include "directory.h"
#include "lab.h"
#include "ocsp.h"
#include "request.h"
#include "status.h"
#include "store.h"
#include "template.h"
#include "util.h"

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

__attribute__((noreturn)) static void
die(const char *what, char *cause)
{
    fprintf(stderr, "bench_ocsp: %s: %s\n", what, cause ? cause : "?");
    exit(1);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* A lab with a CA of key type and the DER request for one certificate it issued. */
static struct store *
make_lab(const char *dir, const char *key_type, gnutls_datum_t *req)
{
    char *cause = NULL, *db = cc_asprintf("%s/%s.db", dir, key_type);
    if (db == NULL)
        die("memory", NULL);
    for (char *c = db + strlen(dir); *c; c++)
        if (*c == ':')
            *c = '-';
    struct store *st;
    struct lab_def def = {0};
    const char *datadir = getenv("CERTCON_DATADIR");
    if (store_open(db, STORE_CREATE, &st, &cause) != CC_OK ||
        lab_init(test_cx(st), datadir ? datadir : "data", "contoso", &def, &cause) != CC_OK)
        die("lab", cause);
    free(db);
    struct authority_params p = {
        .name = def.ca.name, .host = def.ca.host, .edition = def.ca.edition, .key_type = key_type};
    if (authority_create(test_cx(st), &p, &cause) != CC_OK)
        die("CA", cause);
    lab_def_free(&def);
    struct dir_principal admin = {0};
    if (dir_lookup(st, "Administrator", &admin, &cause) != CC_OK)
        die("Administrator", cause);
    char *q = dir_qualified_name(st, &admin);
    test_act_id(st, admin.id, q);
    free(q);
    struct cadb_session *s;
    gnutls_x509_privkey_t key;
    struct request_params rp = {.cn = "www.contoso.com"};
    struct pkix_buf csr = {0};
    struct cadb_outcome o;
    if (cadb_session_open(test_cx(st), NULL, &s, &cause) != CC_OK ||
        request_key_generate("rsa:2048", &key, &cause) != CC_OK ||
        request_build(key, &rp, &csr, &cause) != CC_OK ||
        cadb_submit(s, &admin, "WebServer", csr.p, csr.n, &o, &cause) != CC_OK ||
        o.disposition != DISP_ISSUED)
        die("issue", cause ? cause : o.message);
    gnutls_x509_crt_t crt, ca;
    const struct authority_info *info = &cadb_session_authority(s)->info;
    gnutls_datum_t cd = {o.cert.p, (unsigned)o.cert.n}, ad = {info->cert.p, (unsigned)info->cert.n};
    gnutls_ocsp_req_t r;
    unsigned char nonce[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    gnutls_datum_t nd = {nonce, sizeof nonce};
    if (gnutls_x509_crt_init(&crt) < 0 ||
        gnutls_x509_crt_import(crt, &cd, GNUTLS_X509_FMT_DER) < 0 ||
        gnutls_x509_crt_init(&ca) < 0 || gnutls_x509_crt_import(ca, &ad, GNUTLS_X509_FMT_DER) < 0 ||
        gnutls_ocsp_req_init(&r) < 0 || gnutls_ocsp_req_add_cert(r, GNUTLS_DIG_SHA1, ca, crt) < 0 ||
        gnutls_ocsp_req_set_nonce(r, 0, &nd) < 0 || gnutls_ocsp_req_export(r, req) < 0)
        die("request", NULL);
    gnutls_ocsp_req_deinit(r);
    gnutls_x509_crt_deinit(crt);
    gnutls_x509_crt_deinit(ca);
    cadb_outcome_free(&o);
    pkix_buf_free(&csr);
    gnutls_x509_privkey_deinit(key);
    cadb_session_close(s);
    dir_principal_free(&admin);
    return st;
}

/* Responses per second over about a second; *size gets a response's size. */
static double
respond_rate(struct store *st, const gnutls_datum_t *req, size_t *size)
{
    long n = 0;
    double start = now_seconds(), t;
    do {
        struct ocsp_answer a;
        char *cause = NULL;
        if (ocsp_respond(test_cx(st), req->data, req->size, &a, &cause) != CC_OK ||
            ocsp_answer_status(&a) != OCSP_SUCCESSFUL)
            die("ocsp_respond", cause);
        *size = a.len;
        ocsp_answer_free(&a);
        n++;
        t = now_seconds() - start;
    } while (t < 1.0);
    return (double)n / t;
}

/* Raw signatures per second of the responses' key, on a ResponseData-sized buffer. */
static double
sign_rate(struct store *st, size_t size)
{
    unsigned char tbs[512];
    memset(tbs, 0x5a, sizeof tbs);
    size = size < sizeof tbs ? size : sizeof tbs;
    long n = 0;
    double start = now_seconds(), t;
    do {
        char *cause = NULL;
        tbs[n % size]++;
        if (ocsp_sign_raw(test_cx(st), tbs, size, 20, &cause) != CC_OK)
            die("signing", cause);
        n += 20;
        t = now_seconds() - start;
    } while (t < 1.0);
    return (double)n / t;
}

int
main(int argc, char **argv)
{
    int first = 1, ca_signs = 0;
    const char *algorithm = NULL;
    while (first + 1 < argc && strncmp(argv[first], "--", 2) == 0) {
        if (strcmp(argv[first], "--signer") == 0)
            ca_signs = strcmp(argv[first + 1], "ca") == 0;
        else if (strcmp(argv[first], "--algorithm") == 0)
            algorithm = argv[first + 1];
        else
            break;
        first += 2;
    }
    if (first >= argc || strncmp(argv[first], "--", 2) == 0) {
        fprintf(stderr, "usage: bench_ocsp [--signer ca|responder] [--algorithm ALG] KEYTYPE...\n");
        return 2;
    }
    const char *env = getenv("RUNS");
    int runs = env && atoi(env) > 0 ? atoi(env) : 5;
    if (runs > 99)
        runs = 99;
    time_t now;
    if (cc_time_parse("2026-11-25T09:00:00Z", &now, NULL) != CC_OK)
        return 1;
    test_clock_set(now);
    char path[4096];
    if (test_temp_dir(path, sizeof path, "bench-ocsp") == NULL) {
        perror("bench_ocsp: scratch directory");
        return 1;
    }
    printf("%-11s %-9s %-11s %11s %12s %6s %6s\n", "CA key", "signer", "signing key", "raw sign/s",
           "responses/s", "ratio", "bytes");
    for (int i = first; i < argc; i++) {
        gnutls_datum_t req = {NULL, 0};
        struct store *st = make_lab(path, argv[i], &req);
        char *cause = NULL;
        if (ca_signs && ocsp_signer_set(test_cx(st), "ca", &cause) != CC_OK)
            die("ocsp-signer ca", cause);
        struct template t = {0};
        if (algorithm != NULL && (template_load(st, "OCSP Response Signing", &t, &cause) != CC_OK ||
                                  template_set(st, &t, "algorithm", algorithm, &cause) != CC_OK ||
                                  template_save(test_cx(st), &t, &cause) != CC_OK))
            die("the template's algorithm", cause);
        template_free(&t);
        const char *signing = ca_signs ? argv[i] : algorithm ? algorithm : "RSA 2048";
        size_t size = 0;
        double resp[99], raw[99];
        (void)respond_rate(st, &req, &size); /* issues the responder, warms the caches */
        for (int r = 0; r < runs; r++) {
            resp[r] = respond_rate(st, &req, &size);
            raw[r] = sign_rate(st, 250);
        }
        qsort(resp, (size_t)runs, sizeof resp[0], cmp_double);
        qsort(raw, (size_t)runs, sizeof raw[0], cmp_double);
        double mr = resp[runs / 2], ms = raw[runs / 2];
        printf("%-11s %-9s %-11s %11.0f %12.0f %5.2fx %6zu\n", argv[i],
               ca_signs ? "CA" : "responder", signing, ms, mr, mr / ms, size);
        fflush(stdout);
        gnutls_free(req.data);
        ocsp_forget();
        store_close(st);
    }
    if (test_rm_rf(path) != 0)
        fprintf(stderr, "bench_ocsp: %s is left behind\n", path);
    return 0;
}
