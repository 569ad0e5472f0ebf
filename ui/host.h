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
     * After the lab.restore operation replaced the lab under the console's
     * store (its result said `replaced`): decides again who the caller is
     * in the restored lab, as opening the database did, in the same
     * context (cx). CC_OK, or why the console cannot go on. NULL where the
     * console may not restore a lab (a client of the CA service).
     */
    int (*lab_restored)(void *ctx, char **cause);
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
