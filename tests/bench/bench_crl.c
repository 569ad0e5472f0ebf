/*
 * CRL publication benchmark, for tests/bench/crl (not a test: it prints
 * figures and asserts nothing). On a lab database made by `certcon init`,
 * it revokes N certificates through the store (rows written as the CA
 * database holds them, in one transaction: a CLI call each would take
 * hours), then publishes a base CRL of all of them and a delta CRL of 1%
 * more, RUNS times each, and prints the median seconds of each with the
 * size of the CRL. Usage: bench_crl DB [N [RUNS]] (N default 100000).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "context.h"
#include "../testctx.h"
#include "authority.h"
#include "clock.h"
#include "crl.h"
#include "directory.h"
#include "status.h"
#include "store.h"

static double
now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int
die(const char *what, int rc, char *cause)
{
    fprintf(stderr, "bench_crl: %s: %s\n", what, cause ? cause : cc_strerror(rc));
    free(cause);
    return 1;
}

/* Revokes n certificates numbered from first, revoked at `when`, in one transaction. */
static int
revoke_many(struct store *st, long first, long n, time_t when, char **cause)
{
    struct store_stmt *rq = NULL, *cq = NULL;
    int rc = store_begin(st, cause);
    if (rc == CC_OK)
        rc = store_prepare(st,
                           "INSERT INTO request (id, requester, caller, disposition, status, "
                           "message, submitted) VALUES (?, 'bench', 'bench', 21, 0, '', ?)",
                           &rq, cause);
    if (rc == CC_OK)
        rc = store_prepare(st,
                           "INSERT INTO certificate (request_id, serial, thumbprint, template, "
                           "subject, not_before, not_after, raw, revoked_when, "
                           "revoked_effective, revoked_reason) VALUES (?, ?, '', 'WebServer', "
                           "'CN=bench', ?, ?, x'', ?, ?, ?)",
                           &cq, cause);
    for (long i = first; rc == CC_OK && i < first + n; i++) {
        char serial[40];
        snprintf(serial, sizeof serial, "7e%030lx", (unsigned long)i);
        store_reset(rq);
        store_bind_int64(rq, 1, 1000000 + i);
        store_bind_int64(rq, 2, (int64_t)when);
        if ((rc = store_run(rq, cause)) != CC_OK)
            break;
        store_reset(cq);
        store_bind_int64(cq, 1, 1000000 + i);
        store_bind_text(cq, 2, serial);
        store_bind_int64(cq, 3, (int64_t)when - 86400);
        store_bind_int64(cq, 4, (int64_t)when + 365 * 86400);
        store_bind_int64(cq, 5, (int64_t)when);
        store_bind_int64(cq, 6, (int64_t)when);
        store_bind_int(cq, 7, (int)(i % 6) + 1);
        rc = store_run(cq, cause);
    }
    if (rq)
        store_finalize(rq);
    if (cq)
        store_finalize(cq);
    return store_finish(st, rc, cause);
}

/* Publishes runs CRLs of a kind; prints the median time and the last one's size. */
static int
measure(struct store *st, struct authority *ca, enum crl_kind kind, int runs, long n)
{
    double t[32];
    struct crl_info info = {0};
    size_t size = 0;
    for (int i = 0; i < runs; i++) {
        struct pkix_buf der = {0};
        char *cause = NULL;
        double start = now_seconds();
        int rc = crl_publish_kind(test_cx(st), ca, kind, &der, &info, &cause);
        t[i] = now_seconds() - start;
        if (rc != CC_OK)
            return die("publishing", rc, cause);
        size = der.n;
        pkix_buf_free(&der);
    }
    qsort(t, (size_t)runs, sizeof t[0], cmp_double);
    printf("%-6s CRL of %7lld entries (%ld revoked): %.3f s median of %d, %.0f entries/s, "
           "%zu bytes\n",
           kind == CRL_BASE ? "base" : "delta", (long long)info.count, n, t[runs / 2], runs,
           (double)info.count / t[runs / 2], size);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: bench_crl DB [N [RUNS]]\n");
        return 2;
    }
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 100000;
    int runs = argc > 3 ? atoi(argv[3]) : 3;
    if (n < 1 || runs < 1 || runs > 32) {
        fprintf(stderr, "bench_crl: N must be positive and RUNS 1 to 32\n");
        return 2;
    }
    struct store *st = NULL;
    char *cause = NULL;
    int rc = store_open(argv[1], 0, &st, &cause);
    if (rc != CC_OK)
        return die(argv[1], rc, cause);
    struct dir_principal admin = {0};
    if ((rc = dir_lookup(st, "Administrator", &admin, &cause)) != CC_OK)
        return die("Administrator", rc, cause);
    test_act_id(st, admin.id, admin.name);
    time_t t0 = test_now();
    double start = now_seconds();
    if ((rc = revoke_many(st, 0, n, t0 - 3600, &cause)) != CC_OK)
        return die("revoking", rc, cause);
    printf("revoked %ld certificates through the store in %.3f s\n", n, now_seconds() - start);
    struct authority *ca = NULL;
    if ((rc = authority_open(st, NULL, &ca, &cause)) != CC_OK)
        return die("opening the CA", rc, cause);
    int bad = measure(st, ca, CRL_BASE, runs, n);
    /* 1% more, an hour after the base, for the delta */
    test_clock_set(t0 + 3600);
    long more = n / 100 > 0 ? n / 100 : 1;
    if (!bad && (rc = revoke_many(st, n, more, t0 + 1800, &cause)) != CC_OK)
        return die("revoking more", rc, cause);
    if (!bad)
        bad = measure(st, ca, CRL_DELTA, runs, n + more);
    authority_close(ca);
    dir_principal_free(&admin);
    store_close(st);
    return bad;
}
