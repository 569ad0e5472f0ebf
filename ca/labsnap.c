/*
 * Lab snapshots (see labsnap.h). The file is a short text header — what
 * lab it is of, when it was taken, each part's length and SHA-256, and the
 * header's own SHA-256 — then the parts' bytes. Everything is checked
 * before the first byte of the lab is replaced.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "authority.h"
#include "clock.h"
#include "context.h"
#include "directory.h"
#include "labsnap.h"
#include "pkix.h"
#include "status.h"
#include "util.h"

#define MAGIC      "certcon-lab-snapshot 1\n"
#define MAX_HEADER 4096

enum { P_DB, P_KEY, P_SECRET, P_COUNT };
static const char *const part_names[P_COUNT] = {"database", "ca-key", "secret"};

int
labsnap_name_ok(const char *name, char **cause)
{
    size_t n = strlen(name);
    int ok = n > 0 && n <= 64 && name[0] != '.';
    for (size_t i = 0; ok && i < n; i++) {
        char c = name[i];
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '_' || c == '-';
    }
    if (!ok)
        return cc_fail(cause, CC_EINVAL,
                       "'%s' cannot name a snapshot: use up to 64 letters, digits, '.', '_' or "
                       "'-', not starting with '.'",
                       name);
    return CC_OK;
}

char *
labsnap_path(struct store *st, const char *name)
{
    return name ? cc_asprintf("%s.snapshots/%s.snap", store_path(st), name)
                : cc_asprintf("%s.snapshots/.init.snap", store_path(st));
}

void
labsnap_info_free(struct labsnap_info *info)
{
    free(info->lab);
    free(info->domain);
    free(info->sid);
    memset(info, 0, sizeof *info);
}

static char *
sha256_hex(const void *p, size_t n)
{
    unsigned char md[32];
    if (gnutls_hash_fast(GNUTLS_DIG_SHA256, p, n, md) < 0)
        return NULL;
    return pkix_hex(md, sizeof md);
}

/* Reads a whole file; ENOENT gives CC_ENOTFOUND. */
static int
slurp(const char *path, struct pkix_buf *out, char **cause)
{
    out->p = NULL;
    out->n = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return errno == ENOENT ? CC_ENOTFOUND
                               : cc_fail(cause, CC_EIO, "%s: %s", path, strerror(errno));
    unsigned char buf[65536];
    size_t r;
    int rc = CC_OK;
    while (rc == CC_OK && (r = fread(buf, 1, sizeof buf, f)) > 0)
        rc = pkix_buf_append(out, buf, r);
    if (rc == CC_OK && ferror(f))
        rc = cc_fail(cause, CC_EIO, "%s: %s", path, strerror(errno));
    fclose(f);
    if (rc != CC_OK) {
        free(out->p);
        out->p = NULL;
    }
    return rc;
}

/* The lab's identity: lab name, domain DNS name and SID. */
static int
lab_identity(struct store *st, struct labsnap_info *id, char **cause)
{
    memset(id, 0, sizeof *id);
    if (store_meta_get(st, "lab", &id->lab) != CC_OK)
        return cc_fail(cause, CC_ESTATE,
                       "this database is not a lab: only a lab made by 'certcon init --lab' takes "
                       "snapshots");
    struct dir_domain d = {0};
    int rc = dir_domain_get(st, &d, cause);
    if (rc == CC_OK) {
        id->domain = cc_strdup(d.dns);
        id->sid = cc_strdup(d.sid ? d.sid : "-");
        if (id->domain == NULL || id->sid == NULL)
            rc = CC_ENOMEM;
    }
    dir_domain_free(&d);
    if (rc != CC_OK)
        labsnap_info_free(id);
    return rc;
}

/* The CA key file's name beside the database; refuses keys that are not such a file. */
static int
key_ref(struct store *st, char **out, char **cause)
{
    struct authority_info ca = {0};
    int rc = authority_info_load(st, &ca, cause);
    if (rc == CC_OK) {
        const char *r = ca.key_ref ? ca.key_ref : "";
        if (*r == '\0' || strchr(r, '/') != NULL || strchr(r, ':') != NULL ||
            strchr(r, '\n') != NULL || strchr(r, ' ') != NULL)
            rc = cc_fail(cause, CC_ESTATE,
                         "the CA key is not a file beside the database (%s): a snapshot could "
                         "not hold it",
                         *r ? r : "none");
        else if ((*out = cc_strdup(r)) == NULL)
            rc = CC_ENOMEM;
    }
    authority_info_free(&ca);
    return rc;
}

static char *
in_dir_of(const char *file, const char *name)
{
    char *copy = cc_strdup(file);
    char *p = copy ? cc_asprintf("%s/%s", dirname(copy), name) : NULL;
    free(copy);
    return p;
}

int
labsnap_take(const struct cc_ctx *cx, void **out, size_t *n, char **cause)
{
    struct store *st = cx->st;
    struct labsnap_info id = {0};
    struct pkix_buf part[P_COUNT] = {{0}};
    int have[P_COUNT] = {0};
    char *ref = NULL, *keypath = NULL, *secret = NULL, *wal = NULL, *head = NULL;
    *out = NULL;
    *n = 0;
    int rc = lab_identity(st, &id, cause);
    if (rc == CC_OK)
        rc = key_ref(st, &ref, cause);
    if (rc == CC_OK) {
        keypath = in_dir_of(store_path(st), ref);
        secret = cc_asprintf("%s.secret", store_path(st));
        wal = cc_asprintf("%s-wal", store_path(st));
        if (!keypath || !secret || !wal)
            rc = CC_ENOMEM;
    }
    /*
     * The database file alone is the lab only when the write-ahead log is
     * empty: fold it in, then hold the write lock while reading. A writer
     * that slipped in between makes us fold again.
     */
    int got = 0;
    for (int tries = 0; rc == CC_OK && !got && tries < 20; tries++) {
        store_checkpoint(st, NULL);
        if ((rc = store_begin(st, cause)) != CC_OK)
            break;
        struct stat sb;
        if (stat(wal, &sb) == 0 && sb.st_size > 0) {
            store_rollback(st);
            continue;
        }
        rc = slurp(store_path(st), &part[P_DB], cause);
        if (rc == CC_OK)
            rc = slurp(keypath, &part[P_KEY], cause);
        if (rc == CC_ENOTFOUND)
            rc = cc_fail(cause, CC_ENOTFOUND, "the CA key file %s is missing", keypath);
        if (rc == CC_OK) {
            rc = slurp(secret, &part[P_SECRET], cause);
            if (rc == CC_ENOTFOUND)
                rc = CC_OK; /* no key was stored yet: the secret comes with the first */
            else if (rc == CC_OK)
                have[P_SECRET] = 1;
        }
        have[P_DB] = have[P_KEY] = rc == CC_OK;
        store_rollback(st);
        got = rc == CC_OK;
    }
    if (rc == CC_OK && !got)
        rc = cc_fail(cause, CC_EBUSY,
                     "the lab kept changing while its snapshot was taken; try again");
    if (rc == CC_OK) {
        char when[32];
        cc_time_format(ctx_now(cx), when, sizeof when);
        head = cc_asprintf(MAGIC "lab %s\ndomain %s\nsid %s\ntaken %s\nkeyref %s\n", id.lab,
                           id.domain, id.sid, when, ref);
        for (int i = 0; head && i < P_COUNT; i++) {
            if (!have[i])
                continue;
            char *h = sha256_hex(part[i].p, part[i].n);
            char *next =
                h ? cc_asprintf("%spart %s %zu %s\n", head, part_names[i], part[i].n, h) : NULL;
            free(h);
            free(head);
            head = next;
        }
        char *hh = head ? sha256_hex(head, strlen(head)) : NULL;
        char *next = hh ? cc_asprintf("%sheader %s\n\n", head, hh) : NULL;
        free(hh);
        free(head);
        head = next;
        if (head == NULL)
            rc = CC_ENOMEM;
    }
    if (rc == CC_OK) {
        struct pkix_buf all = {0};
        rc = pkix_buf_append(&all, head, strlen(head));
        for (int i = 0; rc == CC_OK && i < P_COUNT; i++)
            if (have[i])
                rc = pkix_buf_append(&all, part[i].p, part[i].n);
        if (rc == CC_OK) {
            *out = all.p;
            *n = all.n;
        } else {
            free(all.p);
        }
    }
    for (int i = 0; i < P_COUNT; i++) {
        if (part[i].p)
            gnutls_memset(part[i].p, 0, part[i].n);
        free(part[i].p);
    }
    labsnap_info_free(&id);
    free(ref);
    free(keypath);
    free(secret);
    free(wal);
    free(head);
    return rc;
}

int
labsnap_save(const struct cc_ctx *cx, const char *path, int force, char **cause)
{
    void *data = NULL;
    size_t n = 0;
    int rc = labsnap_take(cx, &data, &n, cause);
    if (rc == CC_OK)
        rc = cc_write_file(path, data, n, 0600, force, cause);
    if (data) {
        gnutls_memset(data, 0, n);
        free(data);
    }
    return rc;
}

int
labsnap_save_named(const struct cc_ctx *cx, const char *name, char **cause)
{
    struct store *st = cx->st;
    if (name != NULL && labsnap_name_ok(name, cause) != CC_OK)
        return CC_EINVAL;
    char *path = labsnap_path(st, name);
    char *dir = cc_strdup(path);
    if (path == NULL || dir == NULL) {
        free(path);
        free(dir);
        return CC_ENOMEM;
    }
    *strrchr(dir, '/') = '\0';
    int rc = CC_OK;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        rc = cc_fail(cause, CC_EIO, "%s: %s", dir, strerror(errno));
    if (rc == CC_OK)
        rc = labsnap_save(cx, path, 1, cause);
    free(dir);
    free(path);
    return rc;
}

/* A parsed snapshot: pointers into the caller's bytes. */
struct parsed {
    struct labsnap_info info;
    char *keyref;
    const unsigned char *part[P_COUNT];
    size_t len[P_COUNT];
    int have[P_COUNT];
};

static int
damaged(char **cause, const char *why)
{
    return cc_fail(cause, CC_EPARSE,
                   "this is not a whole certcon lab snapshot (%s); nothing was changed", why);
}

static int
parse(const unsigned char *data, size_t n, struct parsed *p, char **cause)
{
    memset(p, 0, sizeof *p);
    if (n < sizeof MAGIC - 1 || memcmp(data, MAGIC, sizeof MAGIC - 1) != 0)
        return damaged(cause, "it does not start as one");
    size_t end = 0;
    for (size_t i = 0; i + 1 < n && i < MAX_HEADER; i++)
        if (data[i] == '\n' && data[i + 1] == '\n') {
            end = i + 1;
            break;
        }
    if (end == 0)
        return damaged(cause, "its header has no end");
    char *head = malloc(end + 1);
    if (head == NULL)
        return CC_ENOMEM;
    memcpy(head, data, end);
    head[end] = '\0';
    int rc = CC_OK;
    char *hline = strstr(head, "\nheader ");
    if (hline == NULL) {
        rc = damaged(cause, "its header has no checksum");
        goto out;
    }
    char *hsum = sha256_hex(head, (size_t)(hline - head) + 1);
    char want[65] = "";
    sscanf(hline + 8, "%64s", want);
    int same = hsum && strcmp(hsum, want) == 0;
    free(hsum);
    if (!same) {
        rc = damaged(cause, "its header does not match its checksum");
        goto out;
    }
    size_t off = end + 1;
    char *save = NULL;
    for (char *line = strtok_r(head, "\n", &save); rc == CC_OK && line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        char key[16] = "", b[128] = "";
        size_t len = 0;
        if (strncmp(line, "lab ", 4) == 0)
            p->info.lab = cc_strdup(line + 4);
        else if (strncmp(line, "domain ", 7) == 0)
            p->info.domain = cc_strdup(line + 7);
        else if (strncmp(line, "sid ", 4) == 0)
            p->info.sid = cc_strdup(line + 4);
        else if (strncmp(line, "keyref ", 7) == 0)
            p->keyref = cc_strdup(line + 7);
        else if (strncmp(line, "taken ", 6) == 0)
            rc = cc_time_parse(line + 6, &p->info.taken, NULL) == CC_OK
                     ? CC_OK
                     : damaged(cause, "its time is not a time");
        else if (sscanf(line, "part %15s %zu %64s", key, &len, b) == 3) {
            int i = 0;
            while (i < P_COUNT && strcmp(part_names[i], key) != 0)
                i++;
            if (i == P_COUNT || p->have[i] || len > n - off) {
                rc = damaged(cause, "a part is unknown, repeated or cut short");
                break;
            }
            char *h = sha256_hex(data + off, len);
            if (h == NULL || strcmp(h, b) != 0)
                rc = damaged(cause, "a part does not match its checksum");
            free(h);
            p->part[i] = data + off;
            p->len[i] = len;
            p->have[i] = 1;
            off += len;
        }
    }
    if (rc == CC_OK && (!p->have[P_DB] || !p->have[P_KEY] || !p->info.lab || !p->info.domain ||
                        !p->info.sid || !p->keyref))
        rc = damaged(cause, "a part is missing");
    if (rc == CC_OK && off != n)
        rc = damaged(cause, "bytes follow its last part");
    if (rc == CC_OK && (strchr(p->keyref, '/') != NULL || p->keyref[0] == '.'))
        rc = damaged(cause, "its CA key has a name that is not a file beside the database");
out:
    free(head);
    if (rc != CC_OK) {
        labsnap_info_free(&p->info);
        free(p->keyref);
        p->keyref = NULL;
    }
    return rc;
}

/* The files a checked snapshot writes beside the database, once its connection is closed. */
struct restore_parts {
    const struct parsed *p;
    int replaced; /* the lab's files were touched */
    char **cause;
};

/*
 * Each part is written whole beside the file it replaces first, and only
 * once all of them are there do they take the files' places: a restore
 * that fails writing (a full disk) leaves the lab as it was.
 */
static int
write_parts(const char *db, void *arg)
{
    struct restore_parts *w = arg;
    const struct parsed *p = w->p;
    enum { KEY, DB, SECRET, N };
    char *final[N] = {in_dir_of(db, p->keyref), cc_strdup(db), cc_asprintf("%s.secret", db)};
    char *staged[N] = {NULL, NULL, NULL};
    const void *data[N] = {p->part[P_KEY], p->part[P_DB], p->part[P_SECRET]};
    size_t len[N] = {p->len[P_KEY], p->len[P_DB], p->len[P_SECRET]};
    int want[N] = {1, 1, p->have[P_SECRET]};
    int rc = CC_OK;
    for (int i = 0; i < N; i++)
        if (final[i] == NULL || (staged[i] = cc_asprintf("%s.restoring", final[i])) == NULL)
            rc = CC_ENOMEM;
    for (int i = 0; rc == CC_OK && i < N; i++)
        if (want[i])
            rc = cc_write_file(staged[i], data[i], len[i], 0600, 1, w->cause);
    for (int i = 0; rc == CC_OK && i < N; i++) {
        w->replaced = 1;
        if (want[i] && rename(staged[i], final[i]) != 0)
            rc = cc_fail(w->cause, CC_EIO, "%s: %s", final[i], strerror(errno));
        else if (!want[i] && unlink(final[i]) != 0 && errno != ENOENT)
            rc = cc_fail(w->cause, CC_EIO, "%s: %s", final[i], strerror(errno));
    }
    for (int i = 0; i < N; i++) {
        if (staged[i] != NULL)
            unlink(staged[i]); /* what was not moved into place */
        free(staged[i]);
        free(final[i]);
    }
    return rc;
}

int
labsnap_restore(struct store *st, const void *data, size_t n, struct labsnap_info *info,
                int *replaced, char **cause)
{
    struct parsed p;
    struct labsnap_info id = {0};
    memset(info, 0, sizeof *info);
    if (replaced != NULL)
        *replaced = 0;
    int rc = parse(data, n, &p, cause);
    if (rc != CC_OK)
        return rc;
    rc = lab_identity(st, &id, cause);
    if (rc == CC_OK && (strcmp(id.lab, p.info.lab) != 0 ||
                        !cc_strcaseeq(id.domain, p.info.domain) || strcmp(id.sid, p.info.sid) != 0))
        rc = cc_fail(cause, CC_EINVAL,
                     "this snapshot is of another lab (%s, domain %s), not of this one (%s, "
                     "domain %s); nothing was changed",
                     p.info.lab, p.info.domain, id.lab, id.domain);
    if (rc == CC_OK) {
        struct restore_parts w = {&p, 0, cause};
        rc = store_replace(st, write_parts, &w, cause);
        if (replaced != NULL)
            *replaced = w.replaced;
    }
    if (rc == CC_OK) {
        *info = p.info;
        memset(&p.info, 0, sizeof p.info);
    }
    labsnap_info_free(&p.info);
    labsnap_info_free(&id);
    free(p.keyref);
    return rc;
}

int
labsnap_restore_named(struct store *st, const char *name, struct labsnap_info *info, int *replaced,
                      char **cause)
{
    memset(info, 0, sizeof *info);
    if (replaced != NULL)
        *replaced = 0;
    if (name != NULL && labsnap_name_ok(name, cause) != CC_OK)
        return CC_EINVAL;
    char *path = labsnap_path(st, name);
    if (path == NULL)
        return CC_ENOMEM;
    struct pkix_buf data = {0};
    int rc = slurp(path, &data, cause);
    if (rc == CC_ENOTFOUND)
        rc = name ? cc_fail(cause, rc, "there is no snapshot '%s'", name)
                  : cc_fail(cause, rc,
                            "there is no record of the lab as init made it (a lab made by an "
                            "older certcon, or with its CA key in a token)");
    if (rc == CC_OK)
        rc = labsnap_restore(st, data.p, data.n, info, replaced, cause);
    if (data.p)
        gnutls_memset(data.p, 0, data.n);
    free(data.p);
    free(path);
    return rc;
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int
labsnap_list(struct store *st, struct strlist *names, char **cause)
{
    memset(names, 0, sizeof *names);
    char *probe = labsnap_path(st, "x");
    if (probe == NULL)
        return CC_ENOMEM;
    *strrchr(probe, '/') = '\0';
    DIR *d = opendir(probe);
    int rc = CC_OK;
    if (d == NULL) {
        if (errno != ENOENT)
            rc = cc_fail(cause, CC_EIO, "%s: %s", probe, strerror(errno));
        free(probe);
        return rc;
    }
    struct dirent *de;
    while (rc == CC_OK && (de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l <= 5 || strcmp(de->d_name + l - 5, ".snap") != 0)
            continue;
        char *n = cc_asprintf("%.*s", (int)(l - 5), de->d_name);
        rc = n ? strlist_add(names, n) : CC_ENOMEM;
        free(n);
    }
    closedir(d);
    free(probe);
    if (rc == CC_OK && names->n > 1)
        qsort(names->v, names->n, sizeof names->v[0], by_name);
    if (rc != CC_OK)
        strlist_free(names);
    return rc;
}
