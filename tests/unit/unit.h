/*
 * Helpers shared by the core unit tests: a scratch directory per test binary
 * under $TESTS_BUILDDIR/tmp, a scratch database (empty or populated from the
 * contoso lab) with the lab clock pinned, acting as a directory account,
 * counting rows, a digest of the whole database (to check that a refused
 * or failed change changed nothing), small file helpers, and the marker for
 * known core bugs.
 * Each test file includes config.h first, then this header.
 */
#ifndef CERTCON_TESTS_UNIT_H
#define CERTCON_TESTS_UNIT_H

#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <gnutls/crypto.h>

#include "authority.h"
#include "clock.h"
#include "context.h"
#include "../testctx.h"
#include "directory.h"
#include "lab.h"
#include "status.h"
#include "store.h"
#include "util.h"

/* The lab clock every test runs at (a Tuesday morning in the lab). */
#define UNIT_NOW_TEXT "2027-10-26T09:00:00Z"

/* One scratch database for a test group. */
struct unit_fx {
    char *dir;           /* $TESTS_BUILDDIR/tmp/unit-NAME, owned */
    char *db;            /* dir/certcon.db, owned */
    const char *datadir; /* $CERTCON_DATADIR */
    struct store *st;
    struct lab_def def; /* what lab_init returned (empty without a lab) */
    time_t now;         /* the pinned lab clock */
    struct cc_clock outer; /* the clock before this fixture pinned its own: put back at free */
};

/*
 * Fails the test, naming the call, the status and the cause, when rc is not
 * CC_OK; frees and clears the cause either way.
 */
#define UNIT_OK(rc, cause) unit_ok_((rc), &(cause), #rc)

static inline void
unit_ok_(int rc, char **cause, const char *what)
{
    if (rc != CC_OK)
        fail_msg("%s: %s: %s", what, cc_status_name(rc), *cause ? *cause : "(no cause)");
    free(*cause);
    *cause = NULL;
}

/*
 * Checks that rc is the expected status and that the cause holds every
 * fragment given (NULL-terminated); frees and clears the cause.
 */
static inline void
unit_fails_(int rc, int want, char **cause, const char *what, ...)
{
    if (rc != want)
        fail_msg("%s: got %s, want %s (cause: %s)", what, cc_status_name(rc), cc_status_name(want),
                 *cause ? *cause : "(none)");
    va_list ap;
    va_start(ap, what);
    const char *frag;
    while ((frag = va_arg(ap, const char *)) != NULL) {
        if (*cause == NULL || strstr(*cause, frag) == NULL) {
            va_end(ap);
            fail_msg("%s: cause '%s' lacks '%s'", what, *cause ? *cause : "(none)", frag);
        }
    }
    va_end(ap);
    free(*cause);
    *cause = NULL;
}
/* UNIT_FAILS(rc, CC_EINVAL, cause, "fragment", ...): at least one fragment ("" for any cause). */
#define UNIT_FAILS(rc, want, cause, ...)                                                           \
    unit_fails_((rc), (want), &(cause), #rc, __VA_ARGS__, (const char *)NULL)

/* A fresh, empty scratch directory for this binary; allocated. */
static inline char *
unit_scratch_dir(const char *name)
{
    const char *base = getenv("TESTS_BUILDDIR");
    if (base == NULL || *base == '\0')
        base = ".";
    char *tmp = cc_asprintf("%s/tmp", base);
    char *dir = cc_asprintf("%s/tmp/unit-%s", base, name);
    if (tmp == NULL || dir == NULL) {
        free(tmp);
        free(dir);
        return NULL;
    }
    test_rm_rf(dir);
    if ((mkdir(tmp, 0755) != 0 && errno != EEXIST) || mkdir(dir, 0755) != 0) {
        print_error("cannot create %s: %s\n", dir, strerror(errno));
        free(tmp);
        free(dir);
        return NULL;
    }
    free(tmp);
    return dir;
}

static inline void
unit_fx_free(struct unit_fx *fx)
{
    if (fx == NULL)
        return;
    store_close(fx->st);
    lab_def_free(&fx->def);
    free(fx->dir);
    free(fx->db);
    test_cx_.clock = fx->outer;
    free(fx);
}

/*
 * Makes the scratch database of test group NAME: created empty, or populated
 * with lab_init(contoso) when with_lab; the clock is pinned to UNIT_NOW_TEXT.
 * Returns NULL (after printing why) on failure.
 */
static inline struct unit_fx *
unit_fx_new(const char *name, int with_lab)
{
    struct unit_fx *fx = calloc(1, sizeof *fx);
    char *cause = NULL;
    if (fx == NULL)
        return NULL;
    fx->outer = test_cx_.clock;
    fx->datadir = getenv("CERTCON_DATADIR");
    if (fx->datadir == NULL || *fx->datadir == '\0') {
        print_error("CERTCON_DATADIR must name the data/ directory\n");
        goto fail;
    }
    if (cc_time_parse(UNIT_NOW_TEXT, &fx->now, NULL) != CC_OK)
        goto fail;
    test_clock_set(fx->now);
    test_act_id(NULL, 0, NULL);
    if ((fx->dir = unit_scratch_dir(name)) == NULL ||
        (fx->db = cc_asprintf("%s/certcon.db", fx->dir)) == NULL)
        goto fail;
    if (store_open(fx->db, STORE_CREATE, &fx->st, &cause) != CC_OK) {
        print_error("store_open %s: %s\n", fx->db, cause ? cause : "?");
        goto fail;
    }
    if (with_lab && lab_init(test_cx(fx->st), fx->datadir, "contoso", &fx->def, &cause) != CC_OK) {
        print_error("lab_init contoso: %s\n", cause ? cause : "?");
        goto fail;
    }
    return fx;
fail:
    free(cause);
    unit_fx_free(fx);
    return NULL;
}

/* Group setup/teardown for a database with the contoso lab. */
static inline int
unit_group_setup_lab(void **state, const char *name)
{
    struct unit_fx *fx = unit_fx_new(name, 1);
    *state = fx;
    return fx ? 0 : -1;
}

static inline int
unit_group_teardown(void **state)
{
    unit_fx_free(*state);
    *state = NULL;
    return 0;
}

/*
 * Acts as the named directory account (NULL: the system itself). Returns its
 * id; fails the test when the name is unknown.
 */
static inline int64_t
unit_act_as(struct store *st, const char *name)
{
    if (name == NULL) {
        test_act_id(st, 0, NULL);
        return 0;
    }
    struct dir_principal p = {0};
    char *cause = NULL;
    if (dir_lookup(st, name, &p, &cause) != CC_OK) {
        print_error("no account %s: %s\n", name, cause ? cause : "?");
        free(cause);
        fail();
    }
    char *q = dir_qualified_name(st, &p);
    test_act_id(st, p.id, q ? q : p.name);
    int64_t id = p.id;
    free(q);
    dir_principal_free(&p);
    return id;
}

/* The id of a principal; fails the test when it is unknown. */
static inline int64_t
unit_principal_id(struct store *st, const char *name)
{
    struct dir_principal p = {0};
    if (dir_lookup(st, name, &p, NULL) != CC_OK)
        fail_msg("no principal %s", name);
    int64_t id = p.id;
    dir_principal_free(&p);
    return id;
}

/* Adds a user as the system (Domain Users only) and returns its id. */
static inline int64_t
unit_add_user(struct store *st, const char *name)
{
    int64_t id = 0;
    struct cc_ctx sys;
    char *cause = NULL;
    int rc = ctx_init_system(&sys, st, test_cx_.clock);
    if (rc == CC_OK)
        rc = dir_add_user(&sys, name, NULL, NULL, NULL, &id, &cause);
    ctx_free(&sys);
    if (rc != CC_OK) {
        print_error("dir_add_user %s: %s\n", name, cause ? cause : "?");
        free(cause);
        fail();
    }
    return id;
}

/* The first column of the first row of sql as an integer (-1 on error). */
static inline int64_t
unit_count(struct store *st, const char *sql)
{
    struct store_stmt *q = NULL;
    int64_t n = -1;
    if (store_prepare(st, sql, &q, NULL) != CC_OK)
        return -1;
    if (store_step(q, NULL) == STORE_ROW)
        n = store_col_int64(q, 0);
    store_finalize(q);
    return n;
}

/* A growing byte buffer for unit_db_dump(). */
struct unit_buf {
    char *p;
    size_t n, cap;
};

static inline void
unit_buf_add(struct unit_buf *b, const void *p, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->n + n + 1 > cap)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (np == NULL)
            fail_msg("out of memory dumping the database");
        b->p = np;
        b->cap = cap;
    }
    if (n > 0)
        memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static inline void __attribute__((format(printf, 2, 3)))
unit_buf_printf(struct unit_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = cc_vasprintf(fmt, ap);
    va_end(ap);
    if (s == NULL)
        fail_msg("out of memory dumping the database");
    unit_buf_add(b, s, strlen(s));
    free(s);
}

/* The first column of every row of sql as a list of strings (NULL-terminated); allocated. */
static inline char **
unit_db_names(struct store *st, const char *sql)
{
    struct store_stmt *q = NULL;
    char *cause = NULL;
    char **v = calloc(1, sizeof *v);
    size_t n = 0;
    int rc;
    if (v == NULL || store_prepare(st, sql, &q, &cause) != CC_OK)
        fail_msg("%s: %s", sql, cause ? cause : "out of memory");
    while ((rc = store_step(q, &cause)) == STORE_ROW) {
        char **nv = realloc(v, (n + 2) * sizeof *v);
        if (nv == NULL || (nv[n] = strdup(store_col_text(q, 0))) == NULL)
            fail_msg("out of memory dumping the database");
        v = nv;
        v[++n] = NULL;
    }
    if (rc != STORE_DONE)
        fail_msg("%s: %s", sql, cause ? cause : cc_status_name(rc));
    store_finalize(q);
    return v;
}

static inline void
unit_db_names_free(char **v)
{
    for (size_t i = 0; v != NULL && v[i] != NULL; i++)
        free(v[i]);
    free(v);
}

/*
 * Appends one table to the dump: its name, its columns, then every row
 * (where the SQL condition where holds; NULL: every row) ordered by all
 * its columns (byte order, whatever a column's collation), one line each,
 * every value written with its type so that no two different rows read
 * alike: "n" NULL, "i<int>" integer, "r<%.17g>" real, "t<bytes>:<text>"
 * text and "b<bytes>:<hex>" blob, separated by blanks.
 */
static inline void
unit_db_dump_table(struct store *st, const char *table, const char *where, struct unit_buf *b)
{
    char *sql = cc_asprintf("SELECT name FROM pragma_table_info('%s') ORDER BY cid", table);
    if (sql == NULL)
        fail_msg("out of memory dumping the database");
    char **cols = unit_db_names(st, sql);
    free(sql);
    struct unit_buf sel = {0}, order = {0};
    size_t ncols = 0;
    unit_buf_printf(b, "table %s%s%s (", table, where ? " where " : "", where ? where : "");
    for (; cols[ncols] != NULL; ncols++) {
        const char *c = cols[ncols];
        unit_buf_printf(b, "%s%s", ncols ? ", " : "", c);
        unit_buf_printf(&sel,
                        "%stypeof(\"%s\"), CASE typeof(\"%s\") WHEN 'real' THEN "
                        "printf('%%!.17g', \"%s\") ELSE \"%s\" END",
                        ncols ? ", " : "", c, c, c, c);
        unit_buf_printf(&order, "%s\"%s\" COLLATE BINARY", ncols ? ", " : "", c);
    }
    unit_buf_add(b, ")\n", 2);
    if (ncols == 0)
        fail_msg("table %s has no columns", table);
    unit_db_names_free(cols);
    sql = cc_asprintf("SELECT %s FROM \"%s\" WHERE %s ORDER BY %s", sel.p, table,
                      where ? where : "1", order.p);
    free(sel.p);
    free(order.p);
    if (sql == NULL)
        fail_msg("out of memory dumping the database");
    struct store_stmt *q = NULL;
    char *cause = NULL;
    int rc;
    if (store_prepare(st, sql, &q, &cause) != CC_OK)
        fail_msg("%s: %s", sql, cause ? cause : "?");
    while ((rc = store_step(q, &cause)) == STORE_ROW) {
        for (size_t i = 0; i < ncols; i++) {
            const char *type = store_col_text(q, (int)(2 * i));
            int v = (int)(2 * i + 1);
            size_t n = 0;
            const unsigned char *p;
            if (i > 0)
                unit_buf_add(b, " ", 1);
            if (strcmp(type, "null") == 0) {
                unit_buf_add(b, "n", 1);
            } else if (strcmp(type, "integer") == 0) {
                unit_buf_printf(b, "i%lld", (long long)store_col_int64(q, v));
            } else if (strcmp(type, "real") == 0) {
                unit_buf_printf(b, "r%s", store_col_text(q, v));
            } else if (strcmp(type, "text") == 0) {
                p = store_col_blob(q, v, &n);
                unit_buf_printf(b, "t%zu:", n);
                unit_buf_add(b, p, n);
            } else {
                p = store_col_blob(q, v, &n);
                unit_buf_printf(b, "b%zu:", n);
                for (size_t k = 0; k < n; k++)
                    unit_buf_printf(b, "%02x", p[k]);
            }
        }
        unit_buf_add(b, "\n", 1);
    }
    if (rc != STORE_DONE)
        fail_msg("%s: %s", sql, cause ? cause : cc_status_name(rc));
    store_finalize(q);
    free(sql);
}

/*
 * A canonical dump of the whole database (allocated; len, which may be
 * NULL, gets its length, as text values may hold NULs): its schema version,
 * the schema itself, then every table by name (unit_db_dump_table), so
 * that equal dumps mean equal databases whatever order rows were written
 * in. Read through the store's statements, in SQLite's dialect, as a test
 * may. Left out by name, as they change when an operation is refused:
 *   audit             every refusal is audited (tests count the refusals and
 *                     the 'ok' records themselves);
 *   acme_nonce        every ACME answer, a refusal too, hands out a fresh nonce;
 *   meta 'changes'    the change counter (store_changes): the refusal's audit
 *                     record is a committed write (every other key counts);
 * and SQLite's statistics tables (sqlite_stat*), which describe, not hold, data.
 */
static inline char *
unit_db_dump(struct store *st, size_t *len)
{
    struct unit_buf b = {0};
    unit_buf_printf(&b, "user_version %lld\n", (long long)unit_count(st, "PRAGMA user_version"));
    struct store_stmt *q = NULL;
    char *cause = NULL;
    int rc;
    const char *schema = "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master "
                         "ORDER BY type, name";
    if (store_prepare(st, schema, &q, &cause) != CC_OK)
        fail_msg("%s: %s", schema, cause ? cause : "?");
    while ((rc = store_step(q, &cause)) == STORE_ROW)
        unit_buf_printf(&b, "schema %s %s %s %s\n", store_col_text(q, 0), store_col_text(q, 1),
                        store_col_text(q, 2), store_col_text(q, 3));
    if (rc != STORE_DONE)
        fail_msg("%s: %s", schema, cause ? cause : cc_status_name(rc));
    store_finalize(q);
    char **tables = unit_db_names(st, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                      "AND name NOT IN ('audit', 'acme_nonce') "
                                      "AND name NOT LIKE 'sqlite\\_stat%' ESCAPE '\\' "
                                      "ORDER BY name COLLATE BINARY");
    for (size_t i = 0; tables[i] != NULL; i++)
        unit_db_dump_table(st, tables[i],
                           strcmp(tables[i], "meta") == 0 ? "key <> 'changes'" : NULL, &b);
    unit_db_names_free(tables);
    if (len != NULL)
        *len = b.n;
    return b.p;
}

/*
 * The SHA-256 (lower-case hex, allocated) of unit_db_dump(): equal digests
 * before and after a refused or failed operation mean it changed nothing,
 * a value changed in place (UPDATE) included, as row counts cannot tell.
 */
static inline char *
unit_db_digest(struct store *st)
{
    size_t len = 0;
    char *dump = unit_db_dump(st, &len);
    unsigned char md[32];
    if (gnutls_hash_fast(GNUTLS_DIG_SHA256, dump, len, md) != 0)
        fail_msg("SHA-256 failed");
    free(dump);
    char *hex = malloc(2 * sizeof md + 1);
    if (hex == NULL)
        fail_msg("out of memory");
    for (size_t i = 0; i < sizeof md; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    return hex;
}

/*
 * Fails the test unless the database's digest is still before (from
 * unit_db_digest()); frees before.
 */
#define UNIT_DB_UNCHANGED(st, before) unit_db_unchanged_((st), &(before), #st)

static inline void
unit_db_unchanged_(struct store *st, char **before, const char *what)
{
    char *now = unit_db_digest(st);
    int same = strcmp(now, *before) == 0;
    free(now);
    free(*before);
    *before = NULL;
    if (!same)
        fail_msg("the database %s changed (unit_db_dump tells what)", what);
}

/* Whether the token holds id. */
static inline int
unit_token_has(const int64_t *ids, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

/* Writes text to path; fails the test on error. */
static inline void
unit_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        fail_msg("cannot write %s: %s", path, strerror(errno));
    fputs(text, f);
    if (fclose(f) != 0)
        fail_msg("cannot write %s: %s", path, strerror(errno));
}

/* The whole file as a string (NULL when it cannot be read); allocated. */
static inline char *
unit_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, 4096, f);
        n += got;
        if (got < 4096)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

/* text with every occurrence of from replaced by to; allocated. */
static inline char *
unit_replace(const char *text, const char *from, const char *to)
{
    size_t lf = strlen(from), lt = strlen(to), count = 0;
    for (const char *p = strstr(text, from); p != NULL; p = strstr(p + lf, from))
        count++;
    char *out = malloc(strlen(text) + count * lt + 1), *o = out;
    if (out == NULL)
        return NULL;
    const char *p = text, *hit;
    while ((hit = strstr(p, from)) != NULL) {
        memcpy(o, p, (size_t)(hit - p));
        o += hit - p;
        memcpy(o, to, lt);
        o += lt;
        p = hit + lf;
    }
    strcpy(o, p);
    return out;
}

/* The lab's enterprise CA as init creates it; key_type NULL: the lab's own. */
static inline int
unit_create_ca(struct unit_fx *u, const char *key_type, char **cause)
{
    struct authority_params p = {.name = u->def.ca.name,
                                 .host = u->def.ca.host,
                                 .edition = u->def.ca.edition,
                                 .key_type = key_type ? key_type : u->def.ca.key};
    return authority_create(test_cx(u->st), &p, cause);
}

/*
 * Group setup for a contoso lab with its CA created, and plain_user (when
 * not NULL) added as a member of Domain Users only: what the tests of the
 * operations refuse and allow.
 */
static inline int
unit_group_setup_ca(void **state, const char *name, const char *plain_user)
{
    char *cause = NULL;
    struct unit_fx *fx = unit_fx_new(name, 1);
    if (fx == NULL)
        return -1;
    if (unit_create_ca(fx, NULL, &cause) != CC_OK) {
        print_error("CA setup: %s\n", cause ? cause : "?");
        free(cause);
        unit_fx_free(fx);
        return -1;
    }
    if (plain_user != NULL)
        unit_add_user(fx->st, plain_user);
    *state = fx;
    return 0;
}

#endif
