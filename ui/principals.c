/*
 * The principals list of a dialog (see principals.h): one copy of what the
 * group Members tab, a user's or computer's Member Of tab and a GPO's
 * Security Filtering each used to draw and edit on their own.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dialog.h"
#include "list.h"
#include "mem.h"
#include "picker.h"
#include "principals.h"
#include "status.h"

static void
push(struct strlist *l, const char *s)
{
    if (strlist_add(l, s) != CC_OK)
        ui_die("out of memory");
}

void
ui_principals_load(struct ui_principals *w, const char *name, enum dir_kind kind)
{
    push(&w->orig, name);
    push(&w->names, name);
    push(&w->labels, w->label ? w->label(kind) : "");
}

void
ui_principals_fill(struct ui_principals *w)
{
    ui_memsource_clear(w->list->rows);
    for (size_t i = 0; i < w->names.n; i++) {
        const char *row[] = {w->names.v[i], w->labels.v[i]};
        ui_memsource_add(w->list->rows, (int64_t)i, row);
    }
    ui_list_refresh(&w->list->list);
    w->remove->disabled = w->names.n == 0;
}

/* The picker's answer: a principal new to the list is added; either way it is selected. */
static void
picked(void *ctx, const struct dir_principal *p, const char *qualified)
{
    (void)qualified;
    struct ui_principals *w = ctx;
    long at = strlist_find(&w->names, p->name, 1);
    if (at < 0) {
        push(&w->names, p->name);
        push(&w->labels, w->label ? w->label(p->kind) : "");
        at = (long)w->names.n - 1;
    }
    ui_principals_fill(w);
    ui_list_select(&w->list->list, w->list->list.src->find_id(w->list->list.ctx, at));
    if (w->changed)
        w->changed(w->d);
}

static void
add_pressed(struct ui_dialog *d, struct ui_field *f)
{
    struct ui_principals *w = f->data;
    ui_picker_open(d->layer.app, w->pick_title, w->pick_kinds, picked, w);
}

static void
remove_pressed(struct ui_dialog *d, struct ui_field *f)
{
    struct ui_principals *w = f->data;
    size_t pos = ui_list_selected(&w->list->list);
    if (pos == UI_LIST_NONE)
        return;
    size_t i = (size_t)w->list->list.src->row_id(w->list->list.ctx, pos);
    strlist_remove_at(&w->names, i);
    strlist_remove_at(&w->labels, i);
    ui_principals_fill(w);
    if (w->names.n == 0)
        ui_dialog_focus(d, w->add);
    if (w->changed)
        w->changed(d);
}

void
ui_principals_place(struct ui_principals *w, struct ui_dialog *d, struct ui_page *p, int y, int h,
                    const struct ui_column *cols, int list_id, int add_id, int remove_id)
{
    w->d = d;
    w->list = ui_page_list(p, 0, y, 0, h, cols, w->label ? 2 : 1);
    w->list->id = list_id;
    w->list->data = w;
    w->add = ui_page_button(p, 0, y + h, "Add...", add_pressed);
    w->add->id = add_id;
    w->add->data = w;
    w->remove = ui_page_button(p, 12, y + h, "Remove", remove_pressed);
    w->remove->id = remove_id;
    w->remove->data = w;
    ui_principals_fill(w);
}

int
ui_principals_unsaved(const struct ui_principals *w)
{
    return !strlist_same_set(&w->orig, &w->names, 1);
}

static void
missing(const struct strlist *from, const struct strlist *to, struct strlist *out)
{
    for (size_t i = 0; i < from->n; i++)
        if (strlist_find(to, from->v[i], 1) < 0)
            push(out, from->v[i]);
}

void
ui_principals_removed(const struct ui_principals *w, struct strlist *out)
{
    missing(&w->orig, &w->names, out);
}

void
ui_principals_added(const struct ui_principals *w, struct strlist *out)
{
    missing(&w->names, &w->orig, out);
}

void
ui_principals_saved(struct ui_principals *w)
{
    strlist_free(&w->orig);
    if (strlist_copy(&w->orig, &w->names) != CC_OK)
        ui_die("out of memory");
}

void
ui_principals_free(struct ui_principals *w)
{
    strlist_free(&w->names);
    strlist_free(&w->labels);
    strlist_free(&w->orig);
}
