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
 *
 * A Security tab uses the same list beside its Allow/Deny grid: its rows
 * carry the principal's id, the list is sorted by name and keeps the
 * selected principal through every change, and the sheet is told when
 * the selection moves (selected), when Add... chose someone (picked) and
 * when Remove took someone out (removed), so that it keeps the rights in
 * its own draft, keyed by principal id.
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
    int sorted;                            /* rows by name (else in the order added) */
    /*
     * Set for a list that keeps its selection by principal id: called
     * whenever the list is filled again or the selection moves (the list
     * then always selects a row while it has any).
     */
    void (*selected)(struct ui_dialog *d);
    /*
     * Add... chose p (qualified: the name as the picker qualified it, or
     * NULL), before the list shows it or, when it is there already,
     * selects it: the sheet adds its own entry. Returns the name a new row
     * shows, or NULL for p's own name. May be NULL.
     */
    const char *(*picked)(struct ui_dialog *d, const struct dir_principal *p,
                          const char *qualified);
    /* Remove is taking the principal out (id 0: one loaded by name only), or NULL. */
    void (*removed)(struct ui_dialog *d, int64_t id);

    /* the widget's own */
    struct ui_dialog *d;
    struct ui_field *list, *add, *remove;
    struct strlist names;  /* the draft, in the order shown */
    struct strlist labels; /* the second column of each draft name */
    struct strlist orig;   /* as the sheet opened, or as last saved */
    int64_t *ids;          /* the principal of each draft name; 0: known by name only */
    size_t capids;
    int64_t sel; /* the principal selected, for a list with `selected` */
};

/* A principal the list holds when the sheet opens (in the draft and as saved). */
void ui_principals_load(struct ui_principals *w, const char *name, enum dir_kind kind);
/* The same, for a principal whose id is known: the row is keyed by it. */
void ui_principals_load_id(struct ui_principals *w, int64_t id, const char *name,
                           enum dir_kind kind);
/* Empties the list, draft and saved, for a sheet that loads it again (then fill it). */
void ui_principals_clear(struct ui_principals *w);

/*
 * Lays the list out on page p of d at row y, h rows high and as wide as
 * the page, with Add... and Remove on the row below, and fills it
 * (without calling `selected`: the sheet lays out what that drives
 * after). The fields get the ids given (0: none).
 */
void ui_principals_place(struct ui_principals *w, struct ui_dialog *d, struct ui_page *p, int y,
                         int h, const struct ui_column *cols, int list_id, int add_id,
                         int remove_id);

/*
 * Shows the draft again (after a sheet changed it) and greys Remove when it
 * is empty; a list with `selected` selects its principal again (the first
 * row when it is gone) and calls `selected`.
 */
void ui_principals_fill(struct ui_principals *w);
/*
 * The principal selected (0: none; also for a row loaded by name only),
 * and when name is not NULL the name its row shows (NULL when none).
 */
int64_t ui_principals_selected(const struct ui_principals *w, const char **name);

/* Whether the draft differs from what was saved (as sets, case-insensitively). */
int ui_principals_unsaved(const struct ui_principals *w);
/* The saved names the draft lacks, and the draft names not saved, appended to out. */
void ui_principals_removed(const struct ui_principals *w, struct strlist *out);
void ui_principals_added(const struct ui_principals *w, struct strlist *out);
/* The draft was saved: it is now what the sheet compares with. */
void ui_principals_saved(struct ui_principals *w);

void ui_principals_free(struct ui_principals *w);

#endif
