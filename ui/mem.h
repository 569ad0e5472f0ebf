/*
 * Allocation for the console. Every ui/ allocation goes through these
 * wrappers: when memory runs out they restore the terminal first (through
 * the hook the terminal module registers) and then end the program, so an
 * out-of-memory never leaves an SSH session in raw mode on the alternate
 * screen.
 */
#ifndef CERTCON_UI_MEM_H
#define CERTCON_UI_MEM_H

#include <stddef.h>

void *ui_xmalloc(size_t n);
void *ui_xcalloc(size_t n, size_t m);
void *ui_xrealloc(void *p, size_t n);
/* NULL stays NULL. */
char *ui_xstrdup(const char *s);
char *ui_xstrndup(const char *s, size_t n);
char *ui_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Grows *v (of *cap elements of size each) to hold at least need elements. */
void ui_xgrow(void *v, size_t *cap, size_t need, size_t size);

/* Called before the program ends on a fatal error; set by the terminal module. */
void ui_mem_set_teardown(void (*fn)(void));
/* Restores the terminal, prints "certcon: <msg>" and exits with status 1. */
void ui_die(const char *msg) __attribute__((noreturn));

#endif
