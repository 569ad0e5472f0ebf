/*
 * Small helpers the core modules share: owned string lists, the "cause"
 * message convention, case-insensitive comparison and the edit distance
 * used to suggest the nearest names. None of these print or exit; allocation
 * failures are reported to the caller.
 */
#ifndef CERTCON_UTIL_H
#define CERTCON_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* An owned, ordered list of owned strings. */
struct strlist {
    char **v;
    size_t n;
};

void strlist_free(struct strlist *l);
/* Appends a copy of s; returns CC_OK or CC_ENOMEM. */
int strlist_add(struct strlist *l, const char *s);
/* Index of s (case-insensitive when icase), or -1. */
long strlist_find(const struct strlist *l, const char *s, int icase);
int strlist_remove_at(struct strlist *l, size_t i);
int strlist_copy(struct strlist *dst, const struct strlist *src);
int strlist_equal(const struct strlist *a, const struct strlist *b);
/* The same members in any order (case-insensitive when icase); no duplicates assumed. */
int strlist_same_set(const struct strlist *a, const struct strlist *b, int icase);
/* Joins with sep; returns an allocated string (empty list: ""), NULL on ENOMEM. */
char *strlist_join(const struct strlist *l, const char *sep);
/* Splits s on any character of seps, trimming blanks and dropping empty items. */
int strlist_split(struct strlist *l, const char *s, const char *seps);

/*
 * Sets *cause (when cause is not NULL) to an allocated formatted message,
 * freeing a previous one. Returns status, so callers can write
 *     return cc_fail(cause, CC_EINVAL, "validity: %s", why);
 */
int cc_fail(char **cause, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
char *cc_vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
char *cc_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *cc_strdup(const char *s); /* NULL for NULL */

int cc_strcaseeq(const char *a, const char *b);
/* Levenshtein distance, case-insensitive, capped at 64. */
int cc_edit_distance(const char *a, const char *b);
/*
 * Formats up to three of the candidates nearest to want, as
 * "Did you mean: A, B, C?", or NULL when none is close. Allocated.
 */
char *cc_nearest(const char *want, const struct strlist *candidates);

/*
 * Text that came from outside (a request, a file, the database) as it may
 * reach a terminal. One unit of text is either a code point that is safe to
 * show or the visible escape that stands for it: C0 controls and DEL in caret
 * notation (^[ for ESC), C1 controls, zero-width characters and direction
 * overrides as <U+202E>, and each byte of invalid UTF-8 as \xNN. The
 * console draws through this decoder; the command line prints through
 * cc_text_escape.
 */
struct cc_glyph {
    uint32_t cp;  /* the code point, when not escaped */
    char esc[12]; /* the escape shown instead, when escaped */
    int escaped;
};
/* Decodes the unit at p (*p != '\0'); returns the bytes it took (at least 1). */
size_t cc_text_next(const char *p, struct cc_glyph *g);

enum {
    /*
     * Tab-separated output: also backslash-escapes tab, newline, carriage
     * return and backslash (\t \n \r \\) so one record stays one row.
     */
    CC_ESCAPE_TSV = 1,
};
/* s with every unit escaped as cc_text_next says; allocated, NULL on ENOMEM. */
char *cc_text_escape(const char *s, int flags);

/*
 * The one function that writes a file a person named: whole or not at all.
 * The data goes to a temporary file beside path (.NAME.XXXXXX, then the given
 * mode), is fsynced and renamed into place, and the directory is fsynced.
 * Without force an existing path is refused (CC_EEXIST); with it, only a
 * regular file is replaced: a directory, device, FIFO, socket or symbolic
 * link at path is refused either way (CC_EINVAL), so a link is never followed.
 */
int cc_write_file(const char *path, const void *data, size_t n, int mode, int force, char **cause);
/*
 * force = CC_WRITE_INTO: written into path as it is, created with mode if
 * missing and truncated otherwise, a device or FIFO too. Only for a
 * console script's :dump, whose target is the person's own choice.
 */
#define CC_WRITE_INTO 2
/* "a directory", "a FIFO", ... for a st_mode that is not a regular file's. */
const char *cc_file_kind(unsigned st_mode);

/* Fills buf with len bytes from the system's random source; CC_OK or CC_EIO. */
int cc_random(void *buf, size_t len);

#endif
