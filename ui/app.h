/*
 * The console application: one event loop and a stack of layers. The
 * console (tree, results, status line) is the bottom layer; menus, dialogs,
 * property sheets, wizards and the help screen are layers pushed on top of
 * it. Keys go to the top layer; drawing composes the whole stack bottom-up
 * into the in-memory screen; a resize lays out every layer again, so a
 * dialog half-way through an edit survives it. Layers close by asking the
 * app, which destroys them after the key that closed them has been handled,
 * so a handler never runs on freed memory.
 *
 * Keys come either from the terminal (term.h) or, in script mode, from a
 * file or a buffer in the notation of keys.h, with :dump and :resize
 * commands.
 */
#ifndef CERTCON_UI_APP_H
#define CERTCON_UI_APP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "context.h"
#include "host.h"
#include "screen.h"

/* Below this size the console asks for a larger terminal instead of drawing. */
#define UI_MIN_COLS 64
#define UI_MIN_ROWS 18

struct ui_app;
struct ui_layer;

struct ui_layer_ops {
    const char *name;
    /* Recomputes positions for a screen of cols x rows. May be NULL. */
    void (*layout)(struct ui_layer *l, int cols, int rows);
    void (*draw)(struct ui_layer *l, struct ui_screen *s);
    void (*key)(struct ui_layer *l, int key);
    /* Whether closing would lose changes. May be NULL. */
    int (*unsaved)(struct ui_layer *l);
    void (*destroy)(struct ui_layer *l);
};

struct ui_layer {
    const struct ui_layer_ops *ops;
    struct ui_app *app;
    struct ui_layer *below;
    int closed;
};

struct ui_console;

struct ui_app {
    const struct ui_host *host; /* the store, the person's files, the terminal */
    struct store *st;           /* cx->st */
    struct cc_ctx *cx; /* the person's context: every action that records or decides takes it */
    struct ui_screen screen;
    struct ui_layer *top;
    struct ui_console *console;
    int cols, rows;
    int quit;
    int script;       /* keys come from a script: no terminal, no timeouts */
    long long now_ms; /* monotonic milliseconds of the current key (0 in scripts) */
    char *actor;      /* CONTOSO\Administrator */
    char *computer;   /* the local computer: CA1 */
    char *domain;     /* contoso.com */
    int quit_asking;  /* the quit question is on the stack */
    int help_open;    /* the help screen is on the stack */
    FILE *dump_sink;  /* when set, every :dump writes here instead of to its path */
    int64_t changes;  /* the store's change counter the views were last loaded at */
    /*
     * Called after a key when the store's change counter moved since the
     * last call (a snap-in's reaction to a committed change: the lab's
     * coaching); may set status_note. NULL: nothing reacts.
     */
    void (*after_change)(struct ui_app *app, void *ctx);
    void *after_change_ctx;
    int64_t after_change_seen; /* the counter after_change last saw */
    char *status_note;         /* shown on the status line until the next key; owned */
    char *record_path;         /* where the session is being recorded, or NULL; owned */
    char *record_text;         /* the recording so far, as the file holds it; owned */
    unsigned record_seq;       /* counts ui_record() calls: a dialog that recorded itself */
};

/* Pushes a layer (laid out at once); the app owns it from now on. */
void ui_app_push(struct ui_app *app, struct ui_layer *l);
/* Marks a layer closed; it is removed and destroyed after the current key. */
void ui_app_close(struct ui_app *app, struct ui_layer *l);
/* Whether the screen is at least the minimum size. */
int ui_app_size_ok(const struct ui_app *app);
/* Lays out every layer again for cols x rows. */
void ui_app_resize(struct ui_app *app, int cols, int rows);
/* Composes the whole stack into app->screen. */
void ui_app_compose(struct ui_app *app);
/* The store's change counter now (ca.changes); 0 in *out when it cannot be read. */
int ui_app_changes(struct ui_app *app, int64_t *out);
/*
 * Reloads the console's views when anyone (another console, a command, the
 * service) committed a change since they were loaded; returns whether it
 * did. The event loop calls it while idle, at least once a second.
 */
int ui_app_poll(struct ui_app *app);
/* Hands one key to the stack (quit and help are handled here). */
void ui_app_key(struct ui_app *app, int key);
/* Whether a layer of the stack holds unsaved changes. */
int ui_app_unsaved(const struct ui_app *app);

/*
 * Session recording: a training lab keeps what a trainee did as a shell
 * script of certcon commands (those F2 shows) that replays on another lab.
 * Start takes a new file, or one an earlier recording made (it goes on at
 * its end); anything else is refused with *cause (allocated) and nothing
 * is written.
 */
int ui_record_start(struct ui_app *app, const char *path, char **cause);
void ui_record_stop(struct ui_app *app);
/*
 * Adds commands (one a line) under "# HH:MM title" (the lab clock) and
 * writes the file again; a write that fails says so on the status line.
 * Nothing while not recording.
 */
void ui_record(struct ui_app *app, const char *title, const char *commands);

/* Exit statuses of the console, as the command line's. */
enum { UI_EXIT_OK = 0, UI_EXIT_FAILED = 1 };

/* Runs the console on the terminal, or on h->script; returns the exit status. */
int ui_app_run(const struct ui_host *h);
/*
 * Script mode from memory: the console on the n bytes at buf (named name in
 * messages), drawn off-screen at cols x rows. A caller that runs scripts it
 * did not write (the fuzzing harness) passes a dump_sink, so that no :dump
 * writes a file where the script says; NULL writes to the paths given.
 * Returns the exit status, as ui_app_run.
 */
int ui_app_run_script(const struct ui_host *h, const char *name, const char *buf, size_t n, int cols,
                      int rows, FILE *dump_sink);

#endif
