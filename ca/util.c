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
#include <sys/random.h>

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
