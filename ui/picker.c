/*
 * The principal picker (see picker.h). The directory is read once when the
 * picker opens; typing filters that copy, so a keypress never waits for
 * the database.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dialog.h"
#include "mem.h"
#include "ops.h"
#include "picker.h"
#include "status.h"

enum { F_NAME = 1, F_LIST };

struct picker {
    struct ops_dir_list all; /* with each principal's qualified name */
    void (*done)(void *ctx, const struct dir_principal *p, const char *qualified);
    void *ctx;
};

static const struct ui_column picker_cols[] = {{"Name", 30}, {"Type", 10}, {"Description", 20}};

static const char *
kind_label(enum dir_kind k)
{
    static const char *const names[] = {"", "User", "Computer", "Group", "Group"};
    return (unsigned)k < 5 ? names[k] : "";
}

static int
contains(const char *hay, const char *needle)
{
    size_t nl = strlen(needle);
    for (; hay && *hay; hay++)
        if (strncasecmp(hay, needle, nl) == 0)
            return 1;
    return nl == 0;
}

static void
picker_fill(struct ui_dialog *d)
{
    struct picker *pk = d->ctx;
    struct ui_field *name = ui_dialog_field(d, F_NAME);
    struct ui_field *list = ui_dialog_field(d, F_LIST);
    ui_memsource_clear(list->rows);
    size_t exact = UI_LIST_NONE, count = 0;
    for (size_t i = 0; i < pk->all.n; i++) {
        const struct dir_principal *p = &pk->all.v[i];
        if (!contains(p->name, name->text) && !contains(p->sam, name->text))
            continue;
        const char *row[] = {p->name, kind_label(p->kind), p->description ? p->description : ""};
        ui_memsource_add(list->rows, (int64_t)i, row);
        if (strcasecmp(p->name, name->text) == 0 || (p->sam && strcasecmp(p->sam, name->text) == 0))
            exact = count;
        count++;
    }
    list->list.sel = 0;
    ui_list_refresh(&list->list);
    if (exact != UI_LIST_NONE)
        ui_list_select(&list->list, exact);
}

static void
name_changed(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    picker_fill(d);
}

static int
picker_validate(struct ui_dialog *d, char **why)
{
    struct ui_field *name = ui_dialog_field(d, F_NAME);
    struct ui_field *list = ui_dialog_field(d, F_LIST);
    if (list->list.count > 0)
        return 1;
    if (why != NULL)
        *why = ui_xasprintf("No object named '%s' was found", name->text);
    return 0;
}

static void
picker_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct picker *pk = d->ctx;
    ui_dialog_close(d);
    if (role != UI_BUTTON_OK)
        return;
    struct ui_field *list = ui_dialog_field(d, F_LIST);
    size_t pos = ui_list_selected(&list->list);
    if (pos == UI_LIST_NONE)
        return;
    int64_t i = list->list.src->row_id(list->list.ctx, pos);
    if (pk->done != NULL && i >= 0 && (size_t)i < pk->all.n)
        pk->done(pk->ctx, &pk->all.v[i], pk->all.qualified[i]);
}

static void
picker_destroy(struct ui_dialog *d)
{
    struct picker *pk = d->ctx;
    ops_dir_list_free(&pk->all);
    free(pk);
}

static const struct ui_dialog_ops picker_ops = {
    .validate = picker_validate,
    .button = picker_button,
    .destroy = picker_destroy,
};

void
ui_picker_open(struct ui_app *app, const char *title, unsigned kinds,
               void (*done)(void *ctx, const struct dir_principal *p, const char *qualified),
               void *ctx)
{
    struct picker *pk = ui_xcalloc(1, sizeof *pk);
    char *cause = NULL;
    struct ops_dir_list_args a = {.kinds = kinds, .qualified = 1};
    int rc = ops_call(app->cx, OP_DIR_LIST, &a, &pk->all, &cause);
    if (rc != CC_OK) {
        free(pk);
        char *msg = ui_xasprintf("Cannot read the directory: %s", cause ? cause : cc_strerror(rc));
        ui_message(app, title, msg);
        free(msg);
        free(cause);
        return;
    }
    pk->done = done;
    pk->ctx = ctx;
    struct ui_dialog *d = ui_dialog_new(app, title, 64, 18, UI_DIALOG_PLAIN, &picker_ops, pk);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    ui_page_label(p, 0, 0, 0, "Enter the object name to select (typing searches by name):");
    struct ui_field *name = ui_page_text(p, 0, 1, "", 0, 0, "");
    name->id = F_NAME;
    name->changed = name_changed;
    struct ui_field *list = ui_page_list(p, 0, 3, 0, 9, picker_cols, 3);
    list->id = F_LIST;
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    picker_fill(d);
    ui_dialog_show(d);
}
