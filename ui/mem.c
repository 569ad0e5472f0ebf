/*
 * The console's allocation wrappers (see mem.h): fail cleanly, terminal
 * first.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"

static void (*teardown)(void);

void
ui_mem_set_teardown(void (*fn)(void))
{
    teardown = fn;
}

void
ui_die(const char *msg)
{
    /* the terminal must be sane before anything reaches stderr */
    if (teardown != NULL)
        teardown();
    fprintf(stderr, "certcon: %s\n", msg);
    exit(1);
}

void *
ui_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL)
        ui_die("out of memory");
    return p;
}

void *
ui_xcalloc(size_t n, size_t m)
{
    void *p = calloc(n ? n : 1, m ? m : 1);
    if (p == NULL)
        ui_die("out of memory");
    return p;
}

void *
ui_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL)
        ui_die("out of memory");
    return q;
}

char *
ui_xstrdup(const char *s)
{
    if (s == NULL)
        return NULL;
    return ui_xstrndup(s, strlen(s));
}

char *
ui_xstrndup(const char *s, size_t n)
{
    char *d = ui_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *
ui_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        ui_die("cannot format a message");
    char *s = ui_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

void
ui_xgrow(void *v, size_t *cap, size_t need, size_t size)
{
    void **pv = v;
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap : 8;
    while (c < need)
        c *= 2;
    *pv = ui_xrealloc(*pv, c * size);
    *cap = c;
}
