/*
 * What the console needs from the program that runs it, and nothing more:
 * an open store whose acting account is already decided, where the files a
 * person names are read and written (the console's own process, or the
 * client of the CA service), and the terminal choices. The command line
 * (src/console.c) fills one in; the console never sees a verb or an option.
 */
#ifndef CERTCON_UI_HOST_H
#define CERTCON_UI_HOST_H

#include <stddef.h>

#include <libconfig.h>

struct cc_ctx;
struct store;

struct ui_host {
    struct cc_ctx *cx;  /* the caller's context: an open store, the account decided, the clock */
    int ascii;          /* --ascii: no line-drawing or wide characters */
    const config_t *conf; /* certcon.conf (keys, theme), or NULL */
    const char *script; /* --script FILE, or NULL for the terminal */
    int script_fd;      /* that file opened by the service's client, or -1 */
    const char *record; /* --record FILE: the session as a replayable script, or NULL */
    const char *datadir; /* built-in data: templates, labs and their exercises */
    /*
     * 1: the files are this process's own, so a script may be a FIFO read
     * as it comes and :dump may name a device; 0: every file goes through
     * the functions below (the service's client opens them).
     */
    int own_files;
    /* As cc_write_file and friends, relative to the person's directory; ctx is theirs. */
    int (*read)(void *ctx, const char *path, size_t max, void **data, size_t *n, char **cause);
    int (*write)(void *ctx, const char *path, const void *data, size_t n, int mode, int force,
                 char **cause);
    int (*stat)(void *ctx, const char *path, int follow, unsigned *mode);
    int (*access)(void *ctx, const char *path, int amode);
    /*
     * Replaces the lab with a snapshot kept beside the database (name NULL:
     * the lab as init made it) and opens it again: *st is the store to use
     * from then on (the old one is closed). NULL where the console cannot
     * (a client of the CA service).
     */
    int (*lab_restore)(void *ctx, const char *name, struct store **st, char **cause);
    /*
     * Stops the CA service this console is a client of, as a CA
     * Administrator may (the core refuses, and audits, anyone else): the
     * service takes no new clients, lets those it serves finish (this
     * console among them) and exits. NULL where there is no service (the
     * console opened the database itself).
     */
    int (*service_stop)(void *ctx, char **cause);
    void *ctx;
};

#endif
