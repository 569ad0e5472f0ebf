/*
 * Shared helpers for the core: string lists, cause messages, nearest-name
 * suggestions and random bytes.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "status.h"
#include "util.h"

void
strlist_free(struct strlist *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

int
strlist_add(struct strlist *l, const char *s)
{
    char *copy = strdup(s);
    if (copy == NULL)
        return CC_ENOMEM;
    char **v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (v == NULL) {
        free(copy);
        return CC_ENOMEM;
    }
    l->v = v;
    l->v[l->n++] = copy;
    return CC_OK;
}

long
strlist_find(const struct strlist *l, const char *s, int icase)
{
    for (size_t i = 0; i < l->n; i++)
        if (icase ? strcasecmp(l->v[i], s) == 0 : strcmp(l->v[i], s) == 0)
            return (long)i;
    return -1;
}

int
strlist_remove_at(struct strlist *l, size_t i)
{
    if (i >= l->n)
        return CC_EINVAL;
    free(l->v[i]);
    memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof *l->v);
    l->n--;
    return CC_OK;
}

int
strlist_copy(struct strlist *dst, const struct strlist *src)
{
    struct strlist out = {0};
    for (size_t i = 0; i < src->n; i++) {
        if (strlist_add(&out, src->v[i]) != CC_OK) {
            strlist_free(&out);
            return CC_ENOMEM;
        }
    }
    strlist_free(dst);
    *dst = out;
    return CC_OK;
}

int
strlist_equal(const struct strlist *a, const struct strlist *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return 0;
    return 1;
}

int
strlist_same_set(const struct strlist *a, const struct strlist *b, int icase)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (strlist_find(b, a->v[i], icase) < 0)
            return 0;
    return 1;
}

char *
strlist_join(const struct strlist *l, const char *sep)
{
    size_t len = 1, seplen = strlen(sep);
    for (size_t i = 0; i < l->n; i++)
        len += strlen(l->v[i]) + seplen;
    char *out = malloc(len);
    if (out == NULL)
        return NULL;
    char *p = out;
    for (size_t i = 0; i < l->n; i++) {
        if (i > 0) {
            memcpy(p, sep, seplen);
            p += seplen;
        }
        size_t n = strlen(l->v[i]);
        memcpy(p, l->v[i], n);
        p += n;
    }
    *p = '\0';
    return out;
}

int
strlist_split(struct strlist *l, const char *s, const char *seps)
{
    struct strlist out = {0};
    const char *p = s;
    while (*p != '\0') {
        size_t n = strcspn(p, seps);
        const char *b = p, *e = p + n;
        while (b < e && isspace((unsigned char)*b))
            b++;
        while (e > b && isspace((unsigned char)e[-1]))
            e--;
        if (e > b) {
            char *item = strndup(b, (size_t)(e - b));
            if (item == NULL || strlist_add(&out, item) != CC_OK) {
                free(item);
                strlist_free(&out);
                return CC_ENOMEM;
            }
            free(item);
        }
        p += n;
        if (*p != '\0')
            p++;
    }
    strlist_free(l);
    *l = out;
    return CC_OK;
}

char *
cc_vasprintf(const char *fmt, va_list ap)
{
    char *out = NULL;
    if (vasprintf(&out, fmt, ap) < 0)
        return NULL;
    return out;
}

char *
cc_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *out = cc_vasprintf(fmt, ap);
    va_end(ap);
    return out;
}

int
cc_fail(char **cause, int status, const char *fmt, ...)
{
    if (cause != NULL) {
        va_list ap;
        va_start(ap, fmt);
        char *msg = cc_vasprintf(fmt, ap);
        va_end(ap);
        free(*cause);
        *cause = msg;
    }
    return status;
}

char *
cc_strdup(const char *s)
{
    return s == NULL ? NULL : strdup(s);
}

int
cc_strcaseeq(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

int
cc_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64)
        la = 64;
    if (lb > 64)
        lb = 64;
    int prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            int best = prev[j - 1] + cost;
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            cur[j] = best;
        }
        memcpy(prev, cur, sizeof prev);
    }
    return prev[lb];
}

/* A candidate is near when it shares a prefix or is within a third of its length. */
static int
near_score(const char *want, const char *cand)
{
    size_t lw = strlen(want);
    if (lw >= 3 && strncasecmp(want, cand, lw) == 0)
        return 0;
    if (lw >= 3 && strcasestr(cand, want) != NULL)
        return 1;
    int d = cc_edit_distance(want, cand);
    int limit = (int)(lw > strlen(cand) ? lw : strlen(cand)) / 3 + 1;
    return d <= limit ? d + 1 : -1;
}

char *
cc_nearest(const char *want, const struct strlist *candidates)
{
    const char *best[3] = {NULL, NULL, NULL};
    int score[3] = {0, 0, 0};
    for (size_t i = 0; i < candidates->n; i++) {
        int s = near_score(want, candidates->v[i]);
        if (s < 0)
            continue;
        for (int k = 0; k < 3; k++) {
            if (best[k] == NULL || s < score[k]) {
                for (int m = 2; m > k; m--) {
                    best[m] = best[m - 1];
                    score[m] = score[m - 1];
                }
                best[k] = candidates->v[i];
                score[k] = s;
                break;
            }
        }
    }
    if (best[0] == NULL)
        return NULL;
    return cc_asprintf("Did you mean: %s%s%s%s%s?", best[0], best[1] ? ", " : "",
                       best[1] ? best[1] : "", best[2] ? ", " : "", best[2] ? best[2] : "");
}

int
cc_random(void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len > 0) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return CC_EIO;
        }
        p += n;
        len -= (size_t)n;
    }
    return CC_OK;
}

/* Characters that change how text around them is shown, whatever the locale. */
static int
invisible_format(uint32_t c)
{
    return (c >= 0x80 && c < 0xa0) || c == 0xad || c == 0x061c || (c >= 0x200b && c <= 0x200f) ||
           (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) || c == 0xfeff ||
           (c >= 0xfff9 && c <= 0xfffb) || (c >= 0xe0000 && c <= 0xe007f);
}

size_t
cc_text_next(const char *p, struct cc_glyph *g)
{
    const unsigned char *u = (const unsigned char *)p;
    uint32_t c;
    size_t n;
    g->escaped = 0;
    if (u[0] < 0x80) {
        c = u[0];
        n = 1;
    } else {
        int len;
        if ((u[0] & 0xe0) == 0xc0)
            len = 2, c = u[0] & 0x1f;
        else if ((u[0] & 0xf0) == 0xe0)
            len = 3, c = u[0] & 0x0f;
        else if ((u[0] & 0xf8) == 0xf0)
            len = 4, c = u[0] & 0x07;
        else
            len = 0, c = 0;
        int ok = len > 0;
        for (int i = 1; ok && i < len; i++) {
            if ((u[i] & 0xc0) != 0x80)
                ok = 0;
            else
                c = (c << 6) | (u[i] & 0x3f);
        }
        static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
        if (ok && (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)))
            ok = 0;
        if (!ok) {
            /* a malformed byte is shown, never passed on */
            snprintf(g->esc, sizeof g->esc, "\\x%02X", u[0]);
            g->escaped = 1;
            return 1;
        }
        n = (size_t)len;
    }
    g->cp = c;
    if (c < 0x20 || c == 0x7f) {
        /* caret notation, as less and cat -v show C0 controls */
        g->esc[0] = '^';
        g->esc[1] = (char)(c == 0x7f ? '?' : c + 0x40);
        g->esc[2] = '\0';
        g->escaped = 1;
    } else if (invisible_format(c)) {
        /* C1 controls (CSI is one), zero-width characters and direction overrides */
        snprintf(g->esc, sizeof g->esc, "<U+%04X>", (unsigned)c);
        g->escaped = 1;
    }
    return n;
}

char *
cc_text_escape(const char *s, int flags)
{
    if (s == NULL)
        s = "";
    size_t cap = strlen(s) * 8 + 1, len = 0;
    char *out = malloc(cap);
    if (out == NULL)
        return NULL;
    struct cc_glyph g;
    for (const char *p = s; *p;) {
        if ((flags & CC_ESCAPE_TSV) && strchr("\t\n\r\\", *p) != NULL) {
            out[len++] = '\\';
            out[len++] = *p == '\t' ? 't' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : '\\';
            p++;
            continue;
        }
        size_t n = cc_text_next(p, &g);
        if (g.escaped) {
            size_t e = strlen(g.esc);
            memcpy(out + len, g.esc, e);
            len += e;
        } else {
            memcpy(out + len, p, n);
            len += n;
        }
        p += n;
    }
    out[len] = '\0';
    return out;
}

const char *
cc_file_kind(unsigned m)
{
    return S_ISDIR(m)    ? "a directory"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISFIFO(m) ? "a FIFO"
           : S_ISSOCK(m) ? "a socket"
           : S_ISLNK(m)  ? "a symbolic link"
                         : "not a regular file";
}

static int
write_all(int fd, const void *data, size_t n)
{
    const unsigned char *p = data;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int
cc_write_file(const char *path, const void *data, size_t n, int mode, int force, char **cause)
{
    struct stat sb;
    if (path == NULL || *path == '\0')
        return cc_fail(cause, CC_EINVAL, "no file name given");
    if (force == CC_WRITE_INTO) {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, (mode_t)mode);
        if (fd < 0)
            return cc_fail(cause, CC_EIO, "cannot write %s: %s", path, strerror(errno));
        int ok = write_all(fd, data, n) == 0;
        int err = errno;
        if (close(fd) != 0 && ok) {
            ok = 0;
            err = errno;
        }
        return ok ? CC_OK : cc_fail(cause, CC_EIO, "cannot write %s: %s", path, strerror(err));
    }
    if (lstat(path, &sb) == 0) {
        if (!S_ISREG(sb.st_mode))
            return cc_fail(cause, CC_EINVAL, "%s is %s: only a regular file is ever replaced", path,
                           cc_file_kind(sb.st_mode));
        if (!force)
            return cc_fail(cause, CC_EEXIST, "%s already exists", path);
    } else if (errno != ENOENT) {
        return cc_fail(cause, CC_EIO, "cannot write %s: %s", path, strerror(errno));
    }
    char *dcopy = strdup(path), *bcopy = strdup(path);
    char *tmp = NULL, *dir = NULL;
    if (dcopy != NULL && bcopy != NULL) {
        dir = dirname(dcopy);
        tmp = cc_asprintf("%s/.%s.XXXXXX", dir, basename(bcopy));
    }
    if (tmp == NULL) {
        free(dcopy);
        free(bcopy);
        return CC_ENOMEM;
    }
    int rc = CC_OK;
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        rc = cc_fail(cause, CC_EIO, "cannot write %s: %s", path, strerror(errno));
        goto out;
    }
    int ok = fchmod(fd, (mode_t)mode) == 0 && write_all(fd, data, n) == 0 && fsync(fd) == 0;
    int saved = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        saved = errno;
    }
    if (ok && force) {
        if (rename(tmp, path) != 0) {
            ok = 0;
            saved = errno;
        }
    } else if (ok) {
        /*
         * Never replace: a file made since the check above is not lost.
         * RENAME_NOREPLACE where the filesystem has it, else link(2).
         */
        if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) != 0) {
            if (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP) {
                if (link(tmp, path) != 0) {
                    ok = 0;
                    saved = errno;
                }
            } else {
                ok = 0;
                saved = errno;
            }
            unlink(tmp);
        }
    }
    if (!ok) {
        unlink(tmp);
        if (saved == EEXIST)
            rc = cc_fail(cause, CC_EEXIST, "%s already exists", path);
        else
            rc = cc_fail(cause, CC_EIO, "cannot write %s: %s", path, strerror(saved));
        goto out;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd); /* the rename itself survives a crash */
        close(dfd);
    }
out:
    free(tmp);
    free(dcopy);
    free(bcopy);
    return rc;
}
