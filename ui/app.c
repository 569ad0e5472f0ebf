/*
 * The event loop and the layer stack (see app.h), the help screen built
 * from the action table, and script mode (from a file, or from memory for
 * the fuzzing harness).
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "action.h"
#include "app.h"
#include "clock.h"
#include "util.h"
#include "dialog.h"
#include "directory.h"
#include "keys.h"
#include "mem.h"
#include "ops.h"
#include "snap.h"
#include "status.h"
#include "store.h"
#include "term.h"
#include "theme.h"

/* ---------------- the stack ---------------- */

void
ui_app_push(struct ui_app *app, struct ui_layer *l)
{
    l->app = app;
    l->below = app->top;
    app->top = l;
    if (l->ops->layout != NULL)
        l->ops->layout(l, app->cols, app->rows);
}

void
ui_app_close(struct ui_app *app, struct ui_layer *l)
{
    (void)app;
    l->closed = 1;
}

/* Removes and destroys closed layers wherever they are in the stack. */
static void
reap(struct ui_app *app)
{
    struct ui_layer **pp = &app->top;
    while (*pp != NULL) {
        struct ui_layer *l = *pp;
        if (l->closed) {
            *pp = l->below;
            l->ops->destroy(l);
        } else {
            pp = &l->below;
        }
    }
}

int
ui_app_size_ok(const struct ui_app *app)
{
    return app->cols >= UI_MIN_COLS && app->rows >= UI_MIN_ROWS;
}

static void
layout_all(struct ui_layer *l, int cols, int rows)
{
    if (l == NULL)
        return;
    layout_all(l->below, cols, rows);
    if (l->ops->layout != NULL && !l->closed)
        l->ops->layout(l, cols, rows);
}

void
ui_app_resize(struct ui_app *app, int cols, int rows)
{
    app->cols = cols;
    app->rows = rows;
    ui_screen_resize(&app->screen, cols, rows);
    layout_all(app->top, cols, rows);
}

static void
draw_all(struct ui_layer *l, struct ui_screen *s)
{
    if (l == NULL)
        return;
    draw_all(l->below, s);
    if (!l->closed) {
        s->cursor_on = 0; /* only the top layer's text field shows the cursor */
        l->ops->draw(l, s);
    }
}

static void
draw_too_small(struct ui_app *app)
{
    struct ui_win w = ui_screen_win(&app->screen);
    char need[64], have[64];
    snprintf(need, sizeof need, "at least %dx%d", UI_MIN_COLS, UI_MIN_ROWS);
    snprintf(have, sizeof have, "(now %dx%d)", app->cols, app->rows);
    const char *lines[] = {"Please enlarge", "the terminal to", need, have};
    int n = 4;
    int y = app->rows > n ? (app->rows - n) / 2 : 0;
    for (int i = 0; i < n; i++) {
        int tw = ui_text_width(lines[i]);
        int x = app->cols > tw ? (app->cols - tw) / 2 : 0;
        ui_draw_text(&w, x, y + i, -1, UI_EL_NORMAL, lines[i]);
    }
}

void
ui_app_compose(struct ui_app *app)
{
    ui_screen_clear(&app->screen);
    if (!ui_app_size_ok(app)) {
        draw_too_small(app);
        return;
    }
    draw_all(app->top, &app->screen);
}

int
ui_app_unsaved(const struct ui_app *app)
{
    for (struct ui_layer *l = app->top; l != NULL; l = l->below)
        if (!l->closed && l->ops->unsaved != NULL && l->ops->unsaved(l))
            return 1;
    return 0;
}

/* ---------------- quit and help ---------------- */

static void
quit_answer(void *ctx, int yes)
{
    struct ui_app *app = ctx;
    app->quit_asking = 0;
    if (yes)
        app->quit = 1;
}

static void
ask_quit(struct ui_app *app)
{
    if (app->quit_asking) {
        /* the quit key again, in the question itself: that is a yes */
        app->quit = 1;
        return;
    }
    if (!ui_app_unsaved(app)) {
        app->quit = 1;
        return;
    }
    app->quit_asking = 1;
    ui_confirm(app, "Quit certcon",
               "A dialog or wizard holds changes that are not saved. Quit and discard them?",
               "Quit", "Cancel", quit_answer, app);
}

static void
help_destroy(struct ui_dialog *d)
{
    d->layer.app->help_open = 0;
}

static const struct ui_dialog_ops help_ops = {
    .destroy = help_destroy,
};

/* Enter on a help row: its whole text, which the list cuts at 80 columns. */
static void
help_row(struct ui_dialog *d, struct ui_field *f)
{
    size_t pos = ui_list_selected(&f->list);
    if (pos == UI_LIST_NONE)
        return;
    char kb[128], ab[256];
    const char *keys = f->list.src->cell(f->list.ctx, pos, 0, kb, sizeof kb);
    const char *what = f->list.src->cell(f->list.ctx, pos, 1, ab, sizeof ab);
    if (*keys == '\0')
        return; /* a heading */
    ui_message(d->layer.app, keys, what);
}

static void
show_help(struct ui_app *app)
{
    if (app->help_open)
        return;
    app->help_open = 1;
    static const struct ui_column cols[] = {{"Keys", 20}, {"Action", 40}};
    struct ui_dialog *d =
        ui_dialog_new(app, "Help: keys", 76, app->rows - 2, UI_DIALOG_PLAIN, &help_ops, NULL);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    int h = app->rows - 2 - 5;
    if (h < 4)
        h = 4;
    struct ui_field *f = ui_page_list(p, 0, 0, 0, h, cols, 2);
    f->pressed = help_row;
    size_t n;
    const struct ui_action_def *defs = ui_actions(&n);
    int64_t id = 0;
    for (int ctx = 0; ctx < UI_CTX_COUNT; ctx++) {
        const char *head[] = {"", ui_context_title((enum ui_context)ctx)};
        char *title = ui_xasprintf("-- %s --", head[1]);
        const char *row0[] = {"", title};
        ui_memsource_add(f->rows, id++, row0);
        free(title);
        for (size_t i = 0; i < n; i++) {
            if ((int)defs[i].ctx != ctx)
                continue;
            char keys[128];
            ui_action_key_labels(defs[i].id, keys, sizeof keys, 0);
            const char *row[] = {keys, defs[i].help};
            ui_memsource_add(f->rows, id++, row);
        }
    }
    const char *tail[] = {"letters", "Jump to the first item starting with them (as in MMC)"};
    ui_memsource_add(f->rows, id++, tail);
    ui_list_refresh(&f->list);
    ui_dialog_add_button(d, "Close", UI_BUTTON_OK, 0);
    ui_dialog_set_message(d, "Enter shows a line whole. Bindings can be changed in certcon.conf: "
                             "keys = { quit = \"<F10>\"; };");
    ui_dialog_show(d);
}

void
ui_app_key(struct ui_app *app, int key)
{
    if (key == UI_KEY_NONE)
        return;
    if (key == UI_KEY_RESIZE)
        return; /* the caller has resized */
    free(app->status_note); /* a status note lasts until the next key */
    app->status_note = NULL;
    enum ui_action g = ui_action_lookup(key, UI_CTX_GLOBAL);
    if (g == UI_A_QUIT) {
        ask_quit(app);
    } else if (!ui_app_size_ok(app)) {
        /* typing blind into a screen nobody can see would be a trap */
    } else if (g == UI_A_HELP) {
        show_help(app);
    } else if (app->top != NULL) {
        app->top->ops->key(app->top, key);
    }
    reap(app);
    int64_t now;
    if (app->after_change != NULL && ui_app_changes(app, &now) == CC_OK &&
        now != app->after_change_seen) {
        app->after_change_seen = now;
        app->after_change(app, app->after_change_ctx);
    }
}

int
ui_app_changes(struct ui_app *app, int64_t *out)
{
    *out = 0;
    return ops_call(app->cx, OP_CA_CHANGES, NULL, out, NULL);
}

int
ui_app_poll(struct ui_app *app)
{
    int64_t now;
    if (ui_app_changes(app, &now) != CC_OK || now == app->changes)
        return 0;
    app->changes = now;
    ui_console_refresh(app);
    return 1;
}

/* ---------------- set-up ---------------- */

static int
app_open(struct ui_app *app, const struct ui_host *h, char **cause)
{
    app->host = h;
    app->cx = h->cx;
    app->st = h->cx->st;
    struct ops_dir_whoami me;
    memset(&me, 0, sizeof me);
    char *why = NULL;
    if (ops_call(app->cx, OP_DIR_WHOAMI, NULL, &me, &why) != CC_OK)
        memset(&me, 0, sizeof me);
    free(why);
    const char *actor = app->cx->who_name;
    app->actor = ui_xstrdup(me.qualified ? me.qualified : actor ? actor : "?");
    /* the views about to be loaded are as of this count of changes */
    ui_app_changes(app, &app->changes);
    app->computer = ui_xstrdup(me.computer ? me.computer : "this computer");
    app->domain = ui_xstrdup(me.domain ? me.domain : "domain");
    ops_dir_whoami_free(&me);
    char *kc = NULL;
    if (ui_action_configure(h->conf, &kc) != 0 || ui_theme_configure(h->conf, &kc) != 0) {
        *cause = kc;
        return -1;
    }
    if (h->record != NULL && ui_record_start(app, h->record, cause) != 0)
        return -1;
    return 0;
}

/* ---------------- session recording ---------------- */

static const char record_head[] = "#!/bin/sh\n";

static int
record_write(struct ui_app *app, char **cause)
{
    return app->host->write(app->host->ctx, app->record_path, app->record_text,
                            strlen(app->record_text), 0755, 1, cause);
}

int
ui_record_start(struct ui_app *app, const char *path, char **cause)
{
    void *data = NULL;
    size_t n = 0;
    char *text = NULL;
    if (*path == '\0') {
        *cause = ui_xstrdup("--record: name the file the session is to be recorded in");
        return -1;
    }
    if (app->host->access(app->host->ctx, path, F_OK) == 0) {
        char *why = NULL;
        int rc = app->host->read(app->host->ctx, path, 16 << 20, &data, &n, &why);
        if (rc != CC_OK) {
            *cause = ui_xasprintf("%s: %s", path, why ? why : cc_strerror(rc));
            free(why);
            return -1;
        }
        free(why);
        /* only a recording goes on: any other file stays as it is */
        if (n < sizeof record_head - 1 || memcmp(data, record_head, sizeof record_head - 1) != 0 ||
            memchr(data, '\0', n) != NULL || ((char *)data)[n - 1] != '\n') {
            free(data);
            *cause = ui_xasprintf("%s exists and is not a certcon session recording; name a new "
                                  "file, or one an earlier recording made",
                                  path);
            return -1;
        }
        text = ui_xmalloc(n + 1);
        memcpy(text, data, n);
        text[n] = '\0';
        free(data);
    } else {
        char *as = ui_shell_quote(app->actor);
        text = ui_xasprintf(
            "%s"
            "# A certcon console session, recorded: what each dialog did, as the commands\n"
            "# its F2 shows. Replay it on another lab with\n"
            "#   CERTCON_DB=LAB.db sh THIS-FILE\n"
            "# (CERTCON names another certcon binary; CERTCON_NOW sets the lab clock).\n"
            "set -e\n"
            "certcon() { \"${CERTCON:-certcon}\" --as %s \"$@\"; }\n",
            record_head, as);
        free(as);
    }
    free(app->record_path);
    free(app->record_text);
    app->record_path = ui_xstrdup(path);
    app->record_text = text;
    char *why = NULL;
    if (record_write(app, &why) != CC_OK) {
        *cause = ui_xasprintf("%s", why ? why : "cannot write the recording");
        free(why);
        ui_record_stop(app);
        return -1;
    }
    return 0;
}

void
ui_record_stop(struct ui_app *app)
{
    free(app->record_path);
    free(app->record_text);
    app->record_path = NULL;
    app->record_text = NULL;
}

void
ui_record(struct ui_app *app, const char *title, const char *commands)
{
    if (app->record_path == NULL || commands == NULL || *commands == '\0')
        return;
    app->record_seq++;
    char hhmm[8];
    time_t now = ctx_now(app->cx);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(hhmm, sizeof hhmm, "%H:%M", &tm);
    /* a title is one comment line: nothing in it can end the comment */
    char *t = ui_xstrdup(title ? title : "");
    for (char *p = t; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    size_t len = strlen(commands);
    char *text = ui_xasprintf("%s\n# %s %s\n%s%s", app->record_text, hhmm, t, commands,
                              commands[len - 1] == '\n' ? "" : "\n");
    free(t);
    free(app->record_text);
    app->record_text = text;
    char *why = NULL;
    if (record_write(app, &why) != CC_OK) {
        free(app->status_note);
        app->status_note = ui_xasprintf("Recording to %s failed: %s", app->record_path,
                                        why ? why : "cannot write");
    }
    free(why);
}

static void
app_close(struct ui_app *app)
{
    while (app->top != NULL) {
        struct ui_layer *l = app->top;
        app->top = l->below;
        l->ops->destroy(l);
    }
    ui_screen_free(&app->screen);
    free(app->actor);
    free(app->status_note);
    ui_record_stop(app);
    free(app->computer);
    free(app->domain);
}

static int
env_int(const char *name, int def)
{
    const char *v = getenv(name);
    if (v == NULL || *v == '\0')
        return def;
    char *end;
    long n = strtol(v, &end, 10);
    return (*end == '\0' && n > 0 && n < 10000) ? (int)n : def;
}

/* ---------------- script mode ---------------- */

static int
script_dump(struct ui_app *app, const char *path, char **cause)
{
    ui_app_compose(app);
    if (app->dump_sink != NULL) {
        if (ui_screen_dump(&app->screen, app->dump_sink) != 0) {
            *cause = ui_xasprintf(":dump %s: cannot write the screen", path);
            return -1;
        }
        return 0;
    }
    /*
     * Composed in memory, then written where the person's files are: this
     * process's, or the service's client's. Into the file as it is, so a
     * script may dump to a device or FIFO.
     */
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    if (f == NULL) {
        *cause = ui_xasprintf(":dump %s: %s", path, strerror(errno));
        return -1;
    }
    int rc = ui_screen_dump(&app->screen, f);
    if (fclose(f) != 0 || rc != 0) {
        free(text);
        *cause = ui_xasprintf(":dump %s: cannot write the screen", path);
        return -1;
    }
    char *why = NULL;
    rc = app->host->write(app->host->ctx, path, text, n, 0644, CC_WRITE_INTO, &why);
    free(text);
    if (rc != CC_OK) {
        *cause = ui_xasprintf(":dump %s", why ? why : cc_strerror(rc));
        free(why);
        return -1;
    }
    return 0;
}

static int
script_command(struct ui_app *app, const char *line, char **cause)
{
    while (*line == ' ')
        line++;
    if (strncmp(line, "dump ", 5) == 0) {
        const char *path = line + 5;
        while (*path == ' ')
            path++;
        return script_dump(app, path, cause);
    }
    if (strncmp(line, "resize ", 7) == 0) {
        int cols, rows;
        char x;
        if (sscanf(line + 7, "%d%c%d", &cols, &x, &rows) != 3 || (x != 'x' && x != 'X') ||
            cols < 1 || rows < 1 || cols > 1000 || rows > 1000) {
            *cause = ui_xasprintf(":resize takes COLSxROWS, such as 132x43");
            return -1;
        }
        ui_app_resize(app, cols, rows);
        return 0;
    }
    *cause =
        ui_xasprintf("unknown script command ':%s' (known: :dump PATH, :resize COLSxROWS)", line);
    return -1;
}

/* Runs the keys of f (named path in messages) until they or the console end. */
static int
run_script(struct ui_app *app, FILE *f, const char *path)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0, rc = UI_EXIT_OK;
    while (!app->quit && (len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *cause = NULL;
        if (line[0] == ':') {
            if (script_command(app, line + 1, &cause) != 0) {
                fprintf(stderr, "certcon: %s:%d: %s\n", path, lineno, cause);
                free(cause);
                rc = UI_EXIT_FAILED;
                break;
            }
            continue;
        }
        int keys[1024];
        size_t n;
        if (ui_keys_parse(line, keys, sizeof keys / sizeof keys[0], &n, &cause) != 0) {
            fprintf(stderr, "certcon: %s:%d: %s\n", path, lineno, cause);
            free(cause);
            rc = UI_EXIT_FAILED;
            break;
        }
        for (size_t i = 0; i < n && !app->quit; i++)
            ui_app_key(app, keys[i]);
    }
    free(line);
    return rc;
}

/* ---------------- terminal mode ---------------- */

static long long
monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int
run_terminal(struct ui_app *app)
{
    char *cause = NULL;
    if (ui_term_open(app->host->ascii, &cause) != 0) {
        fprintf(stderr, "certcon: %s\n", cause);
        free(cause);
        return UI_EXIT_FAILED;
    }
    int cols, rows;
    ui_term_size(&cols, &rows);
    ui_app_resize(app, cols, rows);
    long long drawn = 0;
    int draw = 1;
    while (!app->quit && !ui_term_hangup()) {
        if (draw) {
            ui_app_compose(app);
            ui_term_flush(&app->screen);
            drawn = monotonic_ms();
        }
        /*
         * Wake up every second to see whether anyone changed the database,
         * and redraw only then (or every 30 s, for the clock in the title):
         * an idle console sends nothing down a slow link.
         */
        int key = ui_term_key(1000);
        app->now_ms = monotonic_ms();
        if (key == UI_KEY_NONE) {
            draw = ui_app_poll(app) || app->now_ms - drawn >= 30000;
            continue;
        }
        draw = 1;
        if (key == UI_KEY_RESIZE) {
            ui_term_size(&cols, &rows);
            ui_app_resize(app, cols, rows);
            continue;
        }
        ui_app_key(app, key);
    }
    ui_term_close();
    return UI_EXIT_OK;
}

/* Opens the app with the console at the bottom of the stack. */
static int
app_start(struct ui_app *app, const struct ui_host *h)
{
    memset(app, 0, sizeof *app);
    setlocale(LC_ALL, "");
    char *cause = NULL;
    if (app_open(app, h, &cause) != 0) {
        if (cause != NULL)
            fprintf(stderr, "certcon: %s\n", cause);
        free(cause);
        app_close(app);
        return -1;
    }
    ui_app_push(app, ui_console_new(app));
    return 0;
}

int
ui_app_run(const struct ui_host *h)
{
    struct ui_app app;
    FILE *f = NULL;
    /*
     * Read as it comes (a FIFO script may wait for what another process
     * does): opened here when the files are this process's own, else as the
     * service's client opened it; the service never opens a person's path.
     */
    if (h->script != NULL) {
        int fd = h->script_fd >= 0 ? dup(h->script_fd) : -1;
        if (h->script_fd >= 0)
            f = fd >= 0 ? fdopen(fd, "r") : NULL;
        else if (h->own_files)
            f = fopen(h->script, "r");
        else
            errno = EBADF;
        if (f == NULL) {
            fprintf(stderr, "certcon: --script %s: %s\n", h->script, strerror(errno));
            if (fd >= 0)
                close(fd);
            return UI_EXIT_FAILED;
        }
    }
    if (app_start(&app, h) != 0) {
        if (f != NULL)
            fclose(f);
        return UI_EXIT_FAILED;
    }
    int rc;
    if (f != NULL) {
        app.script = 1;
        ui_app_resize(&app, env_int("COLUMNS", 80), env_int("LINES", 24));
        rc = run_script(&app, f, h->script);
        fclose(f);
    } else {
        rc = run_terminal(&app);
    }
    app_close(&app);
    return rc;
}

int
ui_app_run_script(const struct ui_host *h, const char *name, const char *buf, size_t n, int cols, int rows,
                  FILE *dump_sink)
{
    /* fmemopen refuses an empty buffer; an empty script is a valid one */
    static const char empty[] = "\n";
    FILE *f = n > 0 ? fmemopen((void *)buf, n, "r") : fmemopen((void *)empty, 1, "r");
    if (f == NULL) {
        fprintf(stderr, "certcon: %s: %s\n", name, strerror(errno));
        return UI_EXIT_FAILED;
    }
    struct ui_app app;
    if (app_start(&app, h) != 0) {
        fclose(f);
        return UI_EXIT_FAILED;
    }
    app.script = 1;
    app.dump_sink = dump_sink;
    ui_app_resize(&app, cols, rows);
    int rc = run_script(&app, f, name);
    fclose(f);
    app_close(&app);
    return rc;
}
