/*
 * Benchmark of the console's Issued Certificates view over SQL: a contoso
 * lab whose CA has issued 1,000,000 certificates (synthetic rows written
 * straight into the database in one transaction, for this benchmark only)
 * beside one that has issued 10. The real console runs in script mode at
 * 80x24, redrawing after every key (:dump /dev/null); each figure is the
 * difference between two runs, so that starting the program cancels out:
 * the time to open the view (select it in the tree and draw it) and the
 * time per Down, PgDn and End keypress in its results. Prints figures;
 * asserts nothing (speed is measured, never tested).
 *
 *   tests/bench/bench_ca_view [KEYPRESSES]
 *
 * Run from the build directory. Environment: CERTCON (default ./certcon),
 * CERTCON_DATADIR (default the source tree's data/), TMPDIR. Build without
 * sanitizers for real figures.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../testctx.h"

#include <sqlite3.h>

#ifndef BENCH_DATADIR
#define BENCH_DATADIR "data"
#endif

/* Runs of each measurement; the median is printed. */
enum { RUNS = 3 };

static const char *certcon;
static char dir[2048]; /* the scratch directory */

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what)
{
    fprintf(stderr, "bench_ca_view: %s\n", what);
    exit(1);
}

/* Runs certcon with args (NULL-terminated) on db, output to dir/log; returns the wall time. */
static double
run_certcon(const char *db, const char *const *args)
{
    char log[4096];
    snprintf(log, sizeof log, "%s/certcon.log", dir);
    const char *argv[16] = {certcon, "--db", db};
    size_t n = 3;
    for (; *args && n + 1 < sizeof argv / sizeof argv[0]; args++)
        argv[n++] = *args;
    argv[n] = NULL;
    fflush(stdout); /* the child must not write the parent's buffer again */
    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0)
        die("fork failed");
    if (pid == 0) {
        if (freopen(log, "w", stdout) == NULL || dup2(fileno(stdout), 2) < 0)
            _exit(127);
        execv(certcon, (char *const *)argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            die("waitpid failed");
    double t = now_s() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_ca_view: %s failed; see %s\n", certcon, log);
        exit(1);
    }
    return t;
}

static void
exec_sql(sqlite3 *db, const char *sql)
{
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fprintf(stderr, "bench_ca_view: %s: %s\n", sql, err ? err : "?");
        exit(1);
    }
}

/* A contoso lab at dir/NAME.db whose CA has issued rows synthetic certificates. */
static char *
make_lab(const char *name, long rows)
{
    char *db = malloc(strlen(dir) + strlen(name) + 8);
    if (db == NULL)
        die("out of memory");
    sprintf(db, "%s/%s.db", dir, name);
    const char *init[] = {"init", "--lab", "contoso", NULL};
    run_certcon(db, init);
    sqlite3 *h;
    if (sqlite3_open(db, &h) != SQLITE_OK)
        die("cannot open the lab database");
    double t0 = now_s();
    exec_sql(h, "BEGIN");
    sqlite3_stmt *req, *cert;
    if (sqlite3_prepare_v2(h,
                           "INSERT INTO request (id, requester, caller, template, disposition, "
                           "status, message, submitted, resolved, request_cn) VALUES (?1, ?2, "
                           "?2, ?3, 20, 0, 'Issued', ?4, ?4, ?5)",
                           -1, &req, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(h,
                           "INSERT INTO certificate (request_id, serial, thumbprint, template, "
                           "subject, common_name, not_before, not_after, raw) VALUES (?1, ?2, "
                           "?2, ?3, 'CN=' || ?4, ?4, ?5, ?5 + 31536000, x'00')",
                           -1, &cert, NULL) != SQLITE_OK)
        die(sqlite3_errmsg(h));
    static const char *const requesters[] = {"CONTOSO\\Administrator", "CONTOSO\\SERVER1$",
                                             "CONTOSO\\CM01$", "CONTOSO\\alice"};
    static const char *const templates[] = {"WebServer", "Workstation", "User"};
    for (long i = 1; i <= rows; i++) {
        char serial[40], cn[64];
        int64_t id = 1000000 + i; /* above whatever the lab holds */
        int64_t t = 1700000000 + i * 7;
        snprintf(serial, sizeof serial, "%016llX%016llX", (unsigned long long)i * 2654435761u,
                 (unsigned long long)i);
        snprintf(cn, sizeof cn, "host%ld.contoso.com", i);
        sqlite3_bind_int64(req, 1, id);
        sqlite3_bind_text(req, 2, requesters[i % 4], -1, SQLITE_STATIC);
        sqlite3_bind_text(req, 3, templates[i % 3], -1, SQLITE_STATIC);
        sqlite3_bind_int64(req, 4, t);
        sqlite3_bind_text(req, 5, cn, -1, SQLITE_STATIC);
        sqlite3_bind_int64(cert, 1, id);
        sqlite3_bind_text(cert, 2, serial, -1, SQLITE_STATIC);
        sqlite3_bind_text(cert, 3, templates[i % 3], -1, SQLITE_STATIC);
        sqlite3_bind_text(cert, 4, cn, -1, SQLITE_STATIC);
        sqlite3_bind_int64(cert, 5, t);
        if (sqlite3_step(req) != SQLITE_DONE || sqlite3_step(cert) != SQLITE_DONE)
            die(sqlite3_errmsg(h));
        sqlite3_reset(req);
        sqlite3_reset(cert);
    }
    sqlite3_finalize(req);
    sqlite3_finalize(cert);
    exec_sql(h, "COMMIT");
    exec_sql(h, "ANALYZE");
    sqlite3_close(h);
    printf("  %s: %ld issued certificates written in %.1f s\n", name, rows, now_s() - t0);
    return db;
}

/*
 * Writes a script: downs tree moves from the console's first node, then
 * (tab) the results pane and presses of key, each followed by a redraw.
 */
static char *
write_script(const char *name, int downs, int tab, const char *key, long presses)
{
    char *path = malloc(strlen(dir) + strlen(name) + 8);
    if (path == NULL)
        die("out of memory");
    sprintf(path, "%s/%s.keys", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        die("cannot write a script");
    for (int i = 0; i < downs; i++)
        fputs("<Down>\n", f);
    fputs(":dump /dev/null\n", f);
    if (tab)
        fputs("<Tab>\n", f);
    for (long i = 0; i < presses; i++) {
        /* End stays at the end: go back home between presses so each one moves */
        if (strcmp(key, "<End>") == 0 && i % 2 == 1)
            fputs("<Home>\n", f);
        else
            fprintf(f, "%s\n", key);
        fputs(":dump /dev/null\n", f);
    }
    if (fclose(f) != 0)
        die("cannot write a script");
    return path;
}

static int
compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median wall time of RUNS runs of script on db. */
static double
time_script(const char *db, const char *script)
{
    const char *args[] = {"--script", script, NULL};
    double t[RUNS];
    for (int i = 0; i < RUNS; i++)
        t[i] = run_certcon(db, args);
    qsort(t, RUNS, sizeof t[0], compare_double);
    return t[RUNS / 2];
}

/* The tree rows from the first node to Revoked Certificates and Issued Certificates. */
enum { TO_REVOKED = 4, TO_ISSUED = 5 };

struct figures {
    double open_ms;
    double key_us[3];
};

static const char *const keys[] = {"<Down>", "<PgDn>", "<End>"};
static const char *const labels[] = {"Down", "PgDn", "End (then Home)"};

static void
measure(const char *db, long presses, struct figures *out)
{
    char *before = write_script("before", TO_REVOKED, 0, "", 0);
    char *open = write_script("open", TO_ISSUED, 0, "", 0);
    out->open_ms = (time_script(db, open) - time_script(db, before)) * 1e3;
    char *base = write_script("base", TO_ISSUED, 1, "", 0);
    double t0 = time_script(db, base);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        char *s = write_script("keys", TO_ISSUED, 1, keys[k], presses);
        out->key_us[k] = (time_script(db, s) - t0) * 1e6 / (double)presses;
        free(s);
    }
    free(before);
    free(open);
    free(base);
}

int
main(int argc, char **argv)
{
    long presses = argc > 1 ? atol(argv[1]) : 2000;
    if (presses < 1)
        presses = 1;
    certcon = getenv("CERTCON") ? getenv("CERTCON") : "./certcon";
    setenv("CERTCON_DATADIR", getenv("CERTCON_DATADIR") ? getenv("CERTCON_DATADIR") : BENCH_DATADIR,
           1);
    setenv("TZ", "UTC", 1);
    setenv("COLUMNS", "80", 1);
    setenv("LINES", "24", 1);
    unsetenv("CERTCON_DB");
    if (test_temp_dir(dir, sizeof dir, "bench-ca-view") == NULL)
        die("cannot create a scratch directory");
    setenv("HOME", dir, 1);
    setenv("XDG_DATA_HOME", dir, 1);

    printf("Issued Certificates view: the console in script mode at 80x24, a redraw after "
           "every key,\nmedian of %d runs, %ld presses a key\n",
           RUNS, presses);
    static const struct {
        const char *name;
        long rows;
    } sizes[] = {{"small", 10}, {"large", 1000000}};
    struct figures f[2];
    for (size_t i = 0; i < 2; i++) {
        char *db = make_lab(sizes[i].name, sizes[i].rows);
        measure(db, presses, &f[i]);
        free(db);
    }
    printf("%-22s %14s %14s\n", "", "10 rows", "1000000 rows");
    printf("%-22s %11.2f ms %11.2f ms\n", "open the view", f[0].open_ms, f[1].open_ms);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
        printf("%-22s %11.2f us %11.2f us\n", labels[k], f[0].key_us[k], f[1].key_us[k]);
    if (test_rm_rf(dir) != 0)
        fprintf(stderr, "bench_ca_view: could not remove %s\n", dir);
    return 0;
}
