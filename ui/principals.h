/*
 * A list of principals that a dialog edits as a draft, with Add... (the
 * principal picker) and Remove under it: a group's Members, the groups a
 * user or computer is a Member Of, a GPO's Security Filtering. The list
 * keeps the names as the sheet opened them (or last saved them) beside the
 * draft, so a sheet asks it what is unsaved and what to remove and add.
 *
 * The widget lives inside the dialog's context and is laid out on one of
 * its pages; its fields point back at it (field->data), so the dialog's
 * own callbacks are not involved. Names come from the directory and are
 * drawn through the list's escaping text function.
 */
#ifndef CERTCON_UI_PRINCIPALS_H
#define CERTCON_UI_PRINCIPALS_H

#include <stddef.h>

#include "dialog.h"
#include "directory.h"
#include "util.h"

struct ui_principals {
    /* set before ui_principals_place() */
    const char *pick_title;                /* the picker's title */
    unsigned pick_kinds;                   /* what Add... offers (UI_PICK_ACCOUNTS, ...) */
    const char *(*label)(enum dir_kind k); /* a second column from the kind, or NULL */
    void (*changed)(struct ui_dialog *d);  /* after Add... or Remove, or NULL */

    /* the widget's own */
    struct ui_dialog *d;
    struct ui_field *list, *add, *remove;
    struct strlist names;  /* the draft, in the order shown */
    struct strlist labels; /* the second column of each draft name */
    struct strlist orig;   /* as the sheet opened, or as last saved */
};

/* A principal the list holds when the sheet opens (in the draft and as saved). */
void ui_principals_load(struct ui_principals *w, const char *name, enum dir_kind kind);

/*
 * Lays the list out on page p of d at row y, h rows high and as wide as
 * the page, with Add... and Remove on the row below, and fills it. The
 * fields get the ids given (0: none).
 */
void ui_principals_place(struct ui_principals *w, struct ui_dialog *d, struct ui_page *p, int y,
                         int h, const struct ui_column *cols, int list_id, int add_id,
                         int remove_id);

/* Shows the draft again (after a sheet changed it) and greys Remove when it is empty. */
void ui_principals_fill(struct ui_principals *w);

/* Whether the draft differs from what was saved (as sets, case-insensitively). */
int ui_principals_unsaved(const struct ui_principals *w);
/* The saved names the draft lacks, and the draft names not saved, appended to out. */
void ui_principals_removed(const struct ui_principals *w, struct strlist *out);
void ui_principals_added(const struct ui_principals *w, struct strlist *out);
/* The draft was saved: it is now what the sheet compares with. */
void ui_principals_saved(struct ui_principals *w);

void ui_principals_free(struct ui_principals *w);

#endif
