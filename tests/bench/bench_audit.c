/*
 * Benchmark of the audit log's hash chain: appends RECORDS records (default
 * 100,000) to a scratch database through audit_record(test_cx()), a batch of them
 * per transaction as a busy CA would, then walks the chain with
 * audit_verify() three times. Prints the time per append and the time of a
 * whole verify (the median); asserts nothing (speed is measured, never
 * tested).
 *
 *   tests/bench/bench_audit [RECORDS]
 *
 * Environment: TMPDIR. Build without sanitizers for real figures.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "context.h"
#include "../testctx.h"
#include "audit.h"
#include "clock.h"
#include "status.h"
#include "store.h"

enum { RUNS = 3, BATCH = 1000 };

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
check(int rc, char *cause, const char *what)
{
    if (rc == CC_OK)
        return;
    fprintf(stderr, "bench_audit: %s: %s\n", what, cause ? cause : cc_strerror(rc));
    exit(1);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
    long records = argc > 1 ? strtol(argv[1], NULL, 10) : 100000;
    if (records <= 0) {
        fprintf(stderr, "usage: bench_audit [RECORDS]\n");
        return 2;
    }
    char dir[4096], db[4200];
    if (test_temp_dir(dir, sizeof dir, "bench-audit") == NULL) {
        perror("bench_audit: scratch directory");
        return 1;
    }
    snprintf(db, sizeof db, "%s/audit.db", dir);
    test_cx_.clock =
        cc_clock_pinned(1824800000); /* a fixed lab clock: the figures do not depend on the day */
    struct store *st = NULL;
    char *cause = NULL;
    check(store_open(db, STORE_CREATE, &st, &cause), cause, "store_open");

    double t0 = now_s();
    for (long i = 0; i < records;) {
        check(store_begin(st, &cause), cause, "begin");
        for (long j = 0; j < BATCH && i < records; j++, i++) {
            char object[32], value[32];
            snprintf(object, sizeof object, "Template %ld", i % 97);
            snprintf(value, sizeof value, "%ld days", i);
            check(audit_record(test_cx(st), "template", object, "validity", "2 years", value,
                               &cause),
                  cause, "audit_record");
        }
        check(store_commit(st, &cause), cause, "commit");
    }
    double append = now_s() - t0;

    double times[RUNS];
    size_t verified = 0;
    for (int r = 0; r < RUNS; r++) {
        struct audit_verdict v;
        t0 = now_s();
        check(audit_verify(st, &v, &cause), cause, "audit_verify");
        times[r] = now_s() - t0;
        if (v.broken) {
            fprintf(stderr, "bench_audit: the chain broke at record %lld: %s\n",
                    (long long)v.bad.id, v.why);
            return 1;
        }
        verified = v.records;
        audit_verdict_free(&v);
    }
    qsort(times, RUNS, sizeof times[0], cmp_double);
    printf("audit append: %ld records in %.2f s, %.1f us each (batches of %d per transaction)\n",
           records, append, append * 1e6 / (double)records, BATCH);
    printf("audit verify: %zu records in %.3f s (median of %d), %.2f us per record\n", verified,
           times[RUNS / 2], RUNS, times[RUNS / 2] * 1e6 / (double)verified);
    store_close(st);
    if (test_rm_rf(dir) != 0)
        fprintf(stderr, "bench_audit: %s is left behind\n", dir);
    return 0;
}
