/*
 * The principals list of a dialog (see principals.h): one copy of what the
 * group Members tab, a user's or computer's Member Of tab, a GPO's
 * Security Filtering and the Security tabs of the CA's and a template's
 * Properties each used to draw and edit on their own.
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

/* A draft name with its principal (0: known by name only) and second column. */
static void
draft_push(struct ui_principals *w, int64_t id, const char *name, const char *label)
{
    ui_xgrow(&w->ids, &w->capids, w->names.n + 1, sizeof *w->ids);
    w->ids[w->names.n] = id;
    push(&w->names, name);
    push(&w->labels, label);
}

void
ui_principals_load_id(struct ui_principals *w, int64_t id, const char *name, enum dir_kind kind)
{
    push(&w->orig, name);
    draft_push(w, id, name, w->label ? w->label(kind) : "");
}

void
ui_principals_load(struct ui_principals *w, const char *name, enum dir_kind kind)
{
    ui_principals_load_id(w, 0, name, kind);
}

void
ui_principals_clear(struct ui_principals *w)
{
    strlist_free(&w->names);
    strlist_free(&w->labels);
    strlist_free(&w->orig);
    free(w->ids);
    w->ids = NULL;
    w->capids = 0;
}

/*
 * The key of draft name i in the list. A list with `selected` is keyed by
 * principal (one known by name only gets a negative number of its own:
 * principals are numbered from 1); the others by position, so that their
 * cursor moves after Remove as it always has.
 */
static int64_t
key_of(const struct ui_principals *w, size_t i)
{
    if (w->selected == NULL)
        return (int64_t)i;
    return w->ids[i] != 0 ? w->ids[i] : -(int64_t)i - 1;
}

/* The draft name whose row has that key, or -1. */
static long
index_of(const struct ui_principals *w, int64_t key)
{
    for (size_t i = 0; i < w->names.n; i++)
        if (key_of(w, i) == key)
            return (long)i;
    return -1;
}

/* The draft name of the selected row, or -1. */
static long
selected_index(const struct ui_principals *w)
{
    if (w->list == NULL)
        return -1;
    const struct ui_list *l = &w->list->list;
    size_t pos = ui_list_selected(l);
    return pos == UI_LIST_NONE ? -1 : index_of(w, l->src->row_id(l->ctx, pos));
}

/* Fills the list; notify: call `selected` (a list that has it). */
static void
refill(struct ui_principals *w, int notify)
{
    struct ui_list *l = &w->list->list;
    ui_memsource_clear(w->list->rows);
    for (size_t i = 0; i < w->names.n; i++) {
        const char *row[] = {w->names.v[i], w->labels.v[i]};
        ui_memsource_add(w->list->rows, key_of(w, i), row);
    }
    ui_list_refresh(l);
    if (w->selected == NULL) {
        w->remove->disabled = w->names.n == 0;
        return;
    }
    /* the principal stays selected wherever sorting puts it; the first row when it is gone */
    size_t pos = l->src->find_id(l->ctx, w->sel);
    if (pos == UI_LIST_NONE && l->count > 0) {
        pos = 0;
        w->sel = l->src->row_id(l->ctx, 0);
    }
    if (pos != UI_LIST_NONE)
        ui_list_select(l, pos);
    w->remove->disabled = l->count == 0;
    if (notify)
        w->selected(w->d);
}

void
ui_principals_fill(struct ui_principals *w)
{
    refill(w, 1);
}

int64_t
ui_principals_selected(const struct ui_principals *w, const char **name)
{
    long i = selected_index(w);
    if (name != NULL)
        *name = i < 0 ? NULL : w->names.v[i];
    return i < 0 ? 0 : w->ids[i];
}

/* The selection moved: a list with `selected` follows its principal. */
static void
moved(struct ui_dialog *d, struct ui_field *f)
{
    (void)d;
    struct ui_principals *w = f->data;
    size_t pos = ui_list_selected(&f->list);
    if (pos != UI_LIST_NONE)
        w->sel = f->list.src->row_id(f->list.ctx, pos);
    refill(w, 1);
}

/*
 * The draft name that is p, or -1: the same principal in a list keyed by
 * principal (one with `selected`), the same name (case-insensitively) in
 * the others, whose names are what the sheet saves.
 */
static long
find_principal(const struct ui_principals *w, const struct dir_principal *p)
{
    if (w->selected == NULL)
        return strlist_find(&w->names, p->name, 1);
    for (size_t i = 0; i < w->names.n; i++)
        if (w->ids[i] == p->id)
            return (long)i;
    return -1;
}

/* The picker's answer: a principal new to the list is added; either way it is selected. */
static void
picked(void *ctx, const struct dir_principal *p, const char *qualified)
{
    struct ui_principals *w = ctx;
    long at = find_principal(w, p);
    const char *name = w->picked ? w->picked(w->d, p, qualified) : NULL;
    if (at < 0) {
        draft_push(w, p->id, name ? name : p->name, w->label ? w->label(p->kind) : "");
        at = (long)w->names.n - 1;
    }
    if (w->selected != NULL) {
        w->sel = key_of(w, (size_t)at);
        refill(w, 1);
    } else {
        refill(w, 0);
        ui_list_select(&w->list->list,
                       w->list->list.src->find_id(w->list->list.ctx, key_of(w, (size_t)at)));
    }
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
    long i = selected_index(w);
    if (i < 0)
        return;
    if (w->removed)
        w->removed(d, w->ids[i]);
    strlist_remove_at(&w->names, (size_t)i);
    strlist_remove_at(&w->labels, (size_t)i);
    memmove(&w->ids[i], &w->ids[i + 1], (w->names.n - (size_t)i) * sizeof *w->ids);
    w->sel = 0; /* a list with `selected` goes to its first row */
    refill(w, 1);
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
    if (w->sorted)
        w->list->list.q.sort_col = 0; /* principals by name, as Windows lists them */
    if (w->selected != NULL)
        w->list->changed = moved;
    w->add = ui_page_button(p, 0, y + h, "Add...", add_pressed);
    w->add->id = add_id;
    w->add->data = w;
    w->remove = ui_page_button(p, 12, y + h, "Remove", remove_pressed);
    w->remove->id = remove_id;
    w->remove->data = w;
    refill(w, 0);
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
    free(w->ids);
    w->ids = NULL;
    w->capids = 0;
}
