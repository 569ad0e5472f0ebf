/*
 * The Lab: the exercises of the lab this database was made from. The
 * Exercises node lists them with their progress (steps done / steps); each
 * exercise is a node of its own listing its steps, done or not with the
 * reason of the first failing check. Progress is computed on every load,
 * and the console reloads its views whenever the database changes, so a
 * trainee working in another terminal sees it move. Enter on a step opens
 * its menu, whose first item shows the whole step: what to do and why it
 * is not done. Take Snapshot saves the lab under a name made of the lab
 * clock; Restore Snapshot and Reset Lab bring a snapshot back (after a
 * confirm box) through the host, which reopens the store. The Coaching
 * node lists the coaching notes that apply (ca/coach.h); after each change
 * the console commits, the app calls coach_after_change, which puts a note
 * not shown before on the status line.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "coach.h"
#include "dialog.h"
#include "exercise.h"
#include "mem.h"
#include "ops.h"
#include "snap.h"
#include "status.h"

enum {
    CMD_SNAPSHOT = 100,
    CMD_RESTORE = 101,
    CMD_RESET = 102,
    CMD_RECORD = 103, /* Record Session to File... / Stop Recording */
    CMD_PICK = 1000,  /* + the index of the snapshot chosen */
};

/* The exercises, loaded once when the tree is built; owned by the Lab folder's nodes. */
struct lab_data {
    struct exercise_set set;
    struct strlist snaps;           /* the snapshots the Restore menu offers */
    struct ui_menu_item *snap_menu; /* its items (they must outlive the menu) */
    char *chosen;                   /* the snapshot a confirm box asks about; NULL: reset */
    struct ui_app *app;
    struct strlist coached;   /* keys of the coaching notes shown (coach_note_key) */
    struct coach_notes notes; /* the notes the Coaching node lists */
};

struct lab_node {
    struct lab_data *data;
    const struct exercise *ex; /* NULL for the Exercises list */
    int owner;                 /* this node frees data */
};

static const struct ui_column list_cols[] = {{"Exercise", 18}, {"Done", 5}, {"Title", 40}};
static const struct ui_column step_cols[] = {{"#", 2}, {"Step", 20}, {"Status", 40}};
static const struct ui_column coach_cols[] = {{"Note", 44}, {"The guide's reason", 60}};

static int
step_state(struct ui_app *app, const struct exercise_step *s, char **reason)
{
    char *cause = NULL;
    struct ops_lab_step a = {s};
    struct ops_lab_step_state state;
    *reason = NULL;
    if (ops_call(app->cx, OP_LAB_STEP, &a, &state, &cause) != CC_OK) {
        *reason = cause ? cause : ui_xstrdup("the lab could not be read");
        return 0;
    }
    free(cause);
    *reason = state.reason;
    return state.done;
}

static void
list_load(struct ui_node *n)
{
    struct lab_node *ln = n->data;
    ui_memsource_clear(n->rows);
    for (size_t i = 0; i < ln->data->set.n; i++) {
        const struct exercise *e = &ln->data->set.v[i];
        size_t done = 0;
        for (size_t k = 0; k < e->nsteps; k++) {
            char *reason;
            done += (size_t)step_state(n->app, &e->steps[k], &reason);
            free(reason);
        }
        char frac[32];
        snprintf(frac, sizeof frac, "%zu/%zu", done, e->nsteps);
        const char *row[] = {e->id, frac, e->title};
        ui_memsource_add(n->rows, (int64_t)i + 1, row);
    }
}

static void
steps_load(struct ui_node *n)
{
    struct lab_node *ln = n->data;
    int ascii = n->app->host != NULL && n->app->host->ascii;
    ui_memsource_clear(n->rows);
    for (size_t k = 0; k < ln->ex->nsteps; k++) {
        char *reason;
        int done = step_state(n->app, &ln->ex->steps[k], &reason);
        char num[24];
        snprintf(num, sizeof num, "%zu", k + 1);
        char *status =
            done ? ui_xstrdup(ascii ? "OK" : "\xe2\x9c\x93 done")
                 : ui_xasprintf("%s %s", ascii ? "FAIL" : "\xe2\x9c\x97", reason ? reason : "");
        const char *row[] = {num, ln->ex->steps[k].title, status};
        ui_memsource_add(n->rows, (int64_t)k + 1, row);
        free(status);
        free(reason);
    }
}

static void
lab_destroy(struct ui_node *n)
{
    struct lab_node *ln = n->data;
    if (ln->owner) {
        exercise_set_free(&ln->data->set);
        strlist_free(&ln->data->coached);
        coach_notes_free(&ln->data->notes);
        strlist_free(&ln->data->snaps);
        free(ln->data->snap_menu);
        free(ln->data->chosen);
        free(ln->data);
    }
    free(ln);
}

static char *
steps_title(struct ui_node *n)
{
    struct lab_node *ln = n->data;
    return ui_xstrdup(ln->ex->title);
}

static const struct ui_menu_item step_menu[] = {
    {"Step Details", UI_CMD_PROPERTIES, NULL, 0},       {"Take Snapshot", CMD_SNAPSHOT, NULL, 0},
    {"Restore Snapshot...", CMD_RESTORE, NULL, 0},      {"Reset Lab...", CMD_RESET, NULL, 0},
    {"Record Session to File...", CMD_RECORD, NULL, 0}, {"Refresh", UI_CMD_REFRESH, NULL, 0},
};
#define STEP_MENU_N (sizeof step_menu / sizeof step_menu[0])
/* the same while the session is being recorded: the action stops it */
static const struct ui_menu_item step_menu_recording[] = {
    {"Step Details", UI_CMD_PROPERTIES, NULL, 0},  {"Take Snapshot", CMD_SNAPSHOT, NULL, 0},
    {"Restore Snapshot...", CMD_RESTORE, NULL, 0}, {"Reset Lab...", CMD_RESET, NULL, 0},
    {"Stop Recording", CMD_RECORD, NULL, 0},       {"Refresh", UI_CMD_REFRESH, NULL, 0},
};

static size_t
lab_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    (void)row;
    struct lab_node *ln = n->data;
    *items = n->app->record_path != NULL ? step_menu_recording : step_menu;
    if (has_row && ln->ex != NULL)
        return STEP_MENU_N;
    (*items)++;
    return STEP_MENU_N - 1;
}

/* Step Details: the whole step, what to do and where it stands. */
static void
step_details(struct ui_app *app, const struct exercise *e, int64_t row)
{
    if (row < 1 || (size_t)row > e->nsteps)
        return;
    const struct exercise_step *s = &e->steps[row - 1];
    char *reason;
    int done = step_state(app, s, &reason);
    char *title = ui_xasprintf("%s: step %lld", e->id, (long long)row);
    char *text = ui_xasprintf("%s\n\n%s\n\n%s%s", s->title, s->instructions,
                              done ? "Done." : "Not done yet: ", done ? "" : reason);
    ui_message(app, title, text);
    free(text);
    free(title);
    free(reason);
}

/* Take Snapshot: named by the lab clock, beside the database. */
static void
take_snapshot(struct ui_app *app)
{
    char when[32], name[48];
    time_t now = ctx_now(app->cx);
    struct tm tm;
    if (gmtime_r(&now, &tm) == NULL)
        return;
    strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
    snprintf(name, sizeof name, "console-%s", when);
    char *cause = NULL;
    struct ops_lab_snapshot a = {.name = name};
    struct ops_lab_files written;
    int rc = ops_call(app->cx, OP_LAB_SNAPSHOT, &a, &written, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Take Snapshot", rc, cause);
        free(cause);
        return;
    }
    free(written.files);
    char *text = ui_xasprintf("The whole lab (database, CA key, key-store secret) was saved as "
                              "snapshot '%s'.\n\nBring it back with:\n  certcon lab restore %s",
                              name, name);
    ui_message(app, "Take Snapshot", text);
    free(text);
}

/*
 * After the confirm box: lab.restore replaces the lab under the console's
 * own store, which stays open; then the host decides the caller again in
 * the restored lab.
 */
static void
restore_confirmed(void *ctx, int yes)
{
    struct lab_data *d = ctx;
    struct ui_app *app = d->app;
    char *name = d->chosen;
    d->chosen = NULL;
    if (!yes) {
        free(name);
        return;
    }
    const char *title = name ? "Restore Snapshot" : "Reset Lab";
    char *cause = NULL;
    struct ops_lab_restore a = {.name = name};
    struct ops_lab_restored done = {0};
    int rc = ops_call(app->cx, OP_LAB_RESTORE, &a, &done, &cause);
    ops_lab_restored_free(&done);
    if (done.replaced && app->host->lab_restored(app->host->ctx, &cause) != CC_OK) {
        /* the lab is gone from under the console: nothing more to show */
        ui_show_error(app, title, rc != CC_OK ? rc : CC_EIO, cause);
        app->quit = 1;
    } else {
        if (rc != CC_OK) {
            ui_show_error(app, title, rc, cause);
        } else {
            char *text = name ? ui_xasprintf("The lab is back as snapshot '%s' holds it.", name)
                              : ui_xstrdup("The lab is back as init made it.");
            ui_message(app, title, text);
            free(text);
        }
        ui_console_refresh(app);
    }
    free(cause);
    free(name);
}

static void
ask_restore(struct lab_data *d, const char *name)
{
    free(d->chosen);
    d->chosen = name ? ui_xstrdup(name) : NULL;
    char *text = name ? ui_xasprintf("Bring the whole lab back as snapshot '%s' holds it? "
                                     "Every change since it was taken is lost.",
                                     name)
                      : ui_xstrdup("Bring the whole lab back as init made it? Every exercise "
                                   "done since is lost (snapshots are kept).");
    ui_confirm(d->app, name ? "Restore Snapshot" : "Reset Lab", text, "Restore", "Cancel",
               restore_confirmed, d);
    free(text);
}

static void
snapshot_chosen(void *ctx, int id)
{
    struct lab_data *d = ctx;
    size_t i = (size_t)(id - CMD_PICK);
    if (id >= CMD_PICK && i < d->snaps.n)
        ask_restore(d, d->snaps.v[i]);
}

/* Restore Snapshot: a menu of the snapshots kept beside the database. */
static void
pick_snapshot(struct lab_data *d)
{
    struct ui_app *app = d->app;
    if (app->host->lab_restored == NULL) {
        ui_message(app, "Restore Snapshot",
                   "A lab is restored on its own machine, not through the CA service.");
        return;
    }
    strlist_free(&d->snaps);
    free(d->snap_menu);
    d->snap_menu = NULL;
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_LAB_SNAPSHOTS, NULL, &d->snaps, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Restore Snapshot", rc, cause);
        free(cause);
        return;
    }
    if (d->snaps.n == 0) {
        ui_message(app, "Restore Snapshot",
                   "This lab has no snapshots yet: Take Snapshot, or certcon lab snapshot NAME.");
        return;
    }
    d->snap_menu = ui_xcalloc(d->snaps.n, sizeof *d->snap_menu);
    for (size_t i = 0; i < d->snaps.n; i++)
        d->snap_menu[i] = (struct ui_menu_item){d->snaps.v[i], CMD_PICK + (int)i, NULL, 0};
    ui_menu_open(app, "Restore Snapshot", -1, 4, d->snap_menu, d->snaps.n, snapshot_chosen, d);
}

/* ---- Record Session to File: the console's --record, started or stopped from here ---- */

enum { F_RECORD_FILE = 1 };

static int
record_validate(struct ui_dialog *d, char **why)
{
    if (*ui_dialog_field(d, F_RECORD_FILE)->text != '\0')
        return 1;
    if (why != NULL)
        *why = ui_xstrdup("Type the name of the file to record the session in");
    return 0;
}

static void
record_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct ui_app *app = d->layer.app;
    if (role != UI_BUTTON_OK) {
        ui_dialog_close(d);
        return;
    }
    char *cause = NULL;
    if (ui_record_start(app, ui_dialog_field(d, F_RECORD_FILE)->text, &cause) != 0) {
        ui_dialog_set_error(d, CC_EINVAL, cause);
        return;
    }
    ui_dialog_close(d);
    free(app->status_note);
    app->status_note = ui_xasprintf("Recording the session to %s", app->record_path);
}

static const struct ui_dialog_ops record_ops = {
    .validate = record_validate,
    .button = record_button,
};

static void
record_toggle(struct ui_app *app)
{
    if (app->record_path != NULL) {
        char *text = ui_xasprintf("The session is no longer recorded. %s holds it so far; "
                                  "replay it on another lab with\n  CERTCON_DB=LAB.db sh %s",
                                  app->record_path, app->record_path);
        ui_record_stop(app);
        ui_message(app, "Stop Recording", text);
        free(text);
        return;
    }
    struct ui_dialog *d =
        ui_dialog_new(app, "Record Session to File", 64, 12, UI_DIALOG_PLAIN, &record_ops, NULL);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    ui_page_label(p, 0, 0, 0, "What each dialog does from now on, as the commands its F2");
    ui_page_label(p, 0, 1, 0, "shows, goes to a shell script that replays it on another lab.");
    ui_page_text(p, 0, 3, "File name:", 11, 0, "")->id = F_RECORD_FILE;
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

static void
lab_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    struct lab_node *ln = n->data;
    ln->data->app = n->app;
    if (id == UI_CMD_PROPERTIES && has_row && ln->ex != NULL) {
        step_details(n->app, ln->ex, row);
    } else if (id == CMD_SNAPSHOT) {
        take_snapshot(n->app);
    } else if (id == CMD_RESTORE) {
        pick_snapshot(ln->data);
    } else if (id == CMD_RESET) {
        if (n->app->host->lab_restored == NULL)
            ui_message(n->app, "Reset Lab",
                       "A lab is reset on its own machine, not through the CA service.");
        else
            ask_restore(ln->data, NULL);
    } else if (id == CMD_RECORD) {
        record_toggle(n->app);
    } else if (id == UI_CMD_REFRESH) {
        ui_console_refresh(n->app);
    }
}

static const struct ui_node_type list_type = {
    .name = "lab-exercises",
    .cols = list_cols,
    .ncols = sizeof list_cols / sizeof list_cols[0],
    .noun = "exercise",
    .nouns = "exercises",
    .load = list_load,
    .destroy = lab_destroy,
    .menu = lab_menu,
    .act = lab_act,
    .keep_order = 1,
};

static const struct ui_node_type steps_type = {
    .name = "lab-steps",
    .cols = step_cols,
    .ncols = sizeof step_cols / sizeof step_cols[0],
    .noun = "step",
    .nouns = "steps",
    .load = steps_load,
    .destroy = lab_destroy,
    .menu = lab_menu,
    .act = lab_act,
    .title = steps_title,
    .keep_order = 1,
};

/* ---- coaching ---------------------------------------------------------- */

/* The notes that apply now into d->notes; 0 when the lab could not be read. */
static int
coach_load(struct ui_app *app, struct lab_data *d)
{
    coach_notes_free(&d->notes);
    char *cause = NULL;
    struct ops_lab_set a = {&d->set};
    int ok = ops_call(app->cx, OP_LAB_COACH, &a, &d->notes, &cause) == CC_OK;
    free(cause);
    return ok;
}

static void
coach_list_load(struct ui_node *n)
{
    struct lab_node *ln = n->data;
    ui_memsource_clear(n->rows);
    coach_load(n->app, ln->data);
    for (size_t i = 0; i < ln->data->notes.n; i++) {
        const char *row[] = {ln->data->notes.v[i].text, ln->data->notes.v[i].reason};
        ui_memsource_add(n->rows, (int64_t)i + 1, row);
    }
}

static const struct ui_menu_item coach_menu_items[] = {
    {"Note Details", UI_CMD_PROPERTIES, NULL, 0},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};

static size_t
coach_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    (void)n;
    (void)row;
    *items = has_row ? coach_menu_items : coach_menu_items + 1;
    return has_row ? 2 : 1;
}

static void
coach_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    struct lab_node *ln = n->data;
    if (id == UI_CMD_PROPERTIES && has_row && row >= 1 && (size_t)row <= ln->data->notes.n) {
        const struct coach_note *note = &ln->data->notes.v[row - 1];
        char *text = ui_xasprintf("%s.\n\n%s", note->text, note->reason);
        ui_message(n->app, "Coaching", text);
        free(text);
    } else if (id == UI_CMD_REFRESH) {
        ui_console_refresh(n->app);
    }
}

/*
 * After a change the console committed: the notes that apply now and were
 * not shown before go to the status line (the first, and how many more).
 * A note that stops applying is forgotten, so making the same mistake
 * again is news again.
 */
static void
coach_after_change(struct ui_app *app, void *ctx)
{
    struct lab_data *d = ctx;
    if (!coach_load(app, d))
        return;
    struct strlist now = {0};
    const struct coach_note *first = NULL;
    size_t fresh = 0;
    for (size_t i = 0; i < d->notes.n; i++) {
        char *key = coach_note_key(&d->notes.v[i]);
        if (key == NULL)
            ui_die("out of memory");
        if (strlist_find(&d->coached, key, 0) < 0 && fresh++ == 0)
            first = &d->notes.v[i];
        if (strlist_add(&now, key) != CC_OK)
            ui_die("out of memory");
        free(key);
    }
    strlist_free(&d->coached);
    d->coached = now;
    if (first == NULL)
        return;
    free(app->status_note);
    /* the count first: a long note is cut at the screen's edge */
    app->status_note = fresh > 1
                           ? ui_xasprintf("Coach, %zu new (Lab > Coaching): %s", fresh, first->text)
                           : ui_xasprintf("Coach: %s", first->text);
}

static const struct ui_node_type coach_type = {
    .name = "lab-coaching",
    .cols = coach_cols,
    .ncols = sizeof coach_cols / sizeof coach_cols[0],
    .noun = "note",
    .nouns = "notes",
    .load = coach_list_load,
    .destroy = lab_destroy,
    .menu = coach_menu,
    .act = coach_act,
    .keep_order = 1,
};

static void
lab_build(struct ui_app *app, struct ui_node *root)
{
    struct ui_node *n = ui_node_add(root, "Lab", &ui_node_folder, NULL);
    struct lab_data *d = ui_xcalloc(1, sizeof *d);
    const char *datadir = app->host != NULL ? app->host->datadir : NULL;
    struct ops_lab_dir dir = {datadir};
    if (datadir == NULL || ops_call(app->cx, OP_LAB_EXERCISES, &dir, &d->set, NULL) != CC_OK) {
        /* not a lab (or its exercises cannot be read): the node says it has none */
        free(d);
        ui_node_add(n, "Exercises", &ui_node_later, NULL);
        return;
    }
    struct lab_node *top = ui_xcalloc(1, sizeof *top);
    top->data = d;
    top->owner = 1;
    struct ui_node *list = ui_node_add(n, "Exercises", &list_type, top);
    for (size_t i = 0; i < d->set.n; i++) {
        struct lab_node *ln = ui_xcalloc(1, sizeof *ln);
        ln->data = d;
        ln->ex = &d->set.v[i];
        ui_node_add(list, d->set.v[i].id, &steps_type, ln);
    }
    struct lab_node *cn = ui_xcalloc(1, sizeof *cn);
    cn->data = d;
    ui_node_add(n, "Coaching", &coach_type, cn);
    /* the notes that apply when the console opens are listed, not news */
    if (coach_load(app, d))
        for (size_t i = 0; i < d->notes.n; i++) {
            char *key = coach_note_key(&d->notes.v[i]);
            if (key == NULL || strlist_add(&d->coached, key) != CC_OK)
                ui_die("out of memory");
            free(key);
        }
    ui_app_changes(app, &app->after_change_seen);
    app->after_change = coach_after_change;
    app->after_change_ctx = d;
}

const struct ui_snapin ui_snapin_lab = {"Lab", lab_build};
