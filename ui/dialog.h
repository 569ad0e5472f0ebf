/*
 * Dialogs, property sheets and wizards: one layer type holding pages of
 * form fields (text entry, check box, radio group, drop-down, list, button,
 * label) and a row of dialog buttons. A property sheet shows its pages as
 * tabs; a wizard shows one page at a time with Back / Next / Finish. The
 * caller's validate hook decides whether OK, Apply, Next and Finish are
 * enabled (the nmtui pattern: the button follows the form's validity), and a
 * field in error carries the reason, which the dialog shows above its
 * buttons. Dialog code edits the caller's draft through the fields' changed
 * hooks; nothing is committed until a button's hook says so.
 *
 * Also here: message and confirm boxes and menus (the right-click menu, drop-
 * down lists).
 */
#ifndef CERTCON_UI_DIALOG_H
#define CERTCON_UI_DIALOG_H

#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "list.h"

enum ui_field_kind {
    UI_FIELD_LABEL,
    UI_FIELD_TEXT,
    UI_FIELD_CHECK,
    UI_FIELD_RADIO,
    UI_FIELD_DROP,
    UI_FIELD_LIST,
    UI_FIELD_BUTTON,
};

struct ui_dialog;
struct ui_field;

typedef void (*ui_field_fn)(struct ui_dialog *d, struct ui_field *f);

struct ui_field {
    enum ui_field_kind kind;
    int id;         /* the caller's */
    int x, y, w, h; /* in the page; w <= 0: to the right edge */
    char *label;
    int label_w;  /* text and drop-down: columns before the value */
    int disabled; /* greyed: cannot take focus */
    int hidden;   /* buttons: not drawn and cannot take focus, while set */
    int value;    /* check: 0/1; radio, drop-down: the option */
    /*
     * Radio: options from skip_at on are drawn skip rows lower, leaving
     * room for a control that belongs to the option above (Windows puts
     * the renewal check box under "Supply in the request").
     */
    int skip_at, skip;
    char **options;
    size_t noptions;
    char *text;                /* text field; label text */
    size_t cursor;             /* byte offset in text */
    int scroll;                /* first visible column of a text field */
    int secret;                /* draw text fields as '*' */
    struct ui_list list;       /* list fields */
    struct ui_memsource *rows; /* list fields: their rows */
    struct ui_column cols[4];
    char *error;         /* why the value is refused; shown by the dialog */
    ui_field_fn changed; /* after the user changed the value */
    ui_field_fn pressed; /* buttons; Enter on a list */
    ui_field_fn toggled; /* Space on a list (marks a row), or NULL */
    void *data;          /* the caller's */
    int64_t tag;         /* the caller's */
    void *priv;          /* the dialog's (drop-down menu items) */
};

struct ui_page {
    char *title;
    struct ui_field **f;
    size_t n, cap;
    int scroll;
};

enum ui_dialog_style {
    UI_DIALOG_PLAIN,
    UI_DIALOG_TABS,
    UI_DIALOG_WIZARD,
};

enum ui_button_role {
    UI_BUTTON_OTHER,
    UI_BUTTON_OK,     /* default; needs a valid dialog */
    UI_BUTTON_APPLY,  /* needs a valid dialog and unsaved changes */
    UI_BUTTON_CANCEL, /* Esc */
    UI_BUTTON_BACK,   /* wizard */
    UI_BUTTON_NEXT,   /* wizard; default; needs a valid page */
    UI_BUTTON_FINISH, /* wizard, last page; default; needs a valid dialog */
};

struct ui_dialog_ops {
    /* Whether the dialog (wizard: the page) is valid; *why (allocated) says what is wrong. */
    int (*validate)(struct ui_dialog *d, char **why);
    /* Whether Cancel would lose changes. */
    int (*unsaved)(struct ui_dialog *d);
    /* A button was pressed (role OK/APPLY/CANCEL/FINISH/OTHER). */
    void (*button)(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role);
    /* The shown page changed. May be NULL. */
    void (*page)(struct ui_dialog *d);
    /* Frees ctx. May be NULL. */
    void (*destroy)(struct ui_dialog *d);
    /*
     * The certcon command line(s) for what OK would do with the dialog as it
     * is now, one a line; allocated. NULL (or no function): none yet, and
     * F2 says so. *why (allocated) may say what is missing.
     */
    char *(*command)(struct ui_dialog *d, char **why);
};

struct ui_dialog {
    struct ui_layer layer;
    char *title;
    enum ui_dialog_style style;
    int want_w, want_h;
    int x, y, w, h; /* laid out */
    struct ui_page **pages;
    size_t npages, cap;
    size_t cur;
    struct ui_field **buttons;
    size_t nbuttons, bcap;
    int focus;     /* -1: the tab row; 0..n-1 page fields; n.. buttons */
    char *message; /* shown above the buttons when no field is in error */
    /*
     * A destructive dialog (Revoke): it opens with the focus on Cancel and
     * Enter on a field moves on instead of pressing OK, so only Enter on
     * the OK button itself goes ahead.
     */
    int default_no;
    const struct ui_dialog_ops *ops;
    void *ctx;
};

struct ui_dialog *ui_dialog_new(struct ui_app *app, const char *title, int w, int h,
                                enum ui_dialog_style style, const struct ui_dialog_ops *ops,
                                void *ctx);
struct ui_page *ui_dialog_add_page(struct ui_dialog *d, const char *title);
struct ui_field *ui_dialog_add_button(struct ui_dialog *d, const char *label,
                                      enum ui_button_role role, int id);
/* Pushes the dialog; focus goes to its first field. */
void ui_dialog_show(struct ui_dialog *d);
void ui_dialog_close(struct ui_dialog *d);
void ui_dialog_set_message(struct ui_dialog *d, const char *msg);
/* Shows a core refusal as the dialog's error line ("! cause"); frees cause. */
void ui_dialog_set_error(struct ui_dialog *d, int rc, char *cause);
void ui_dialog_set_page(struct ui_dialog *d, size_t page);
/* Moves focus to a field of the current page. */
void ui_dialog_focus(struct ui_dialog *d, struct ui_field *f);
struct ui_field *ui_dialog_focused(struct ui_dialog *d);
/* The field with id on any page, or NULL. */
struct ui_field *ui_dialog_field(struct ui_dialog *d, int id);
/* Whether the dialog is valid now (runs the validate hook and looks for field errors). */
int ui_dialog_valid(struct ui_dialog *d, char **why);

/* Field builders: positions are page coordinates. The field belongs to the page. */
struct ui_field *ui_page_label(struct ui_page *p, int x, int y, int w, const char *text);
struct ui_field *ui_page_text(struct ui_page *p, int x, int y, const char *label, int label_w,
                              int w, const char *value);
struct ui_field *ui_page_check(struct ui_page *p, int x, int y, const char *label, int value);
struct ui_field *ui_page_radio(struct ui_page *p, int x, int y, const char *const *options,
                               size_t n, int value);
/* Leaves rows free below option at-1 of a radio group (see skip_at). */
void ui_radio_gap(struct ui_field *f, int at, int rows);
struct ui_field *ui_page_drop(struct ui_page *p, int x, int y, const char *label, int label_w,
                              int w, const char *const *options, size_t n, int value);
/* A list of ncols columns (at most 4) and h rows (header included). */
struct ui_field *ui_page_list(struct ui_page *p, int x, int y, int w, int h,
                              const struct ui_column *cols, size_t ncols);
struct ui_field *ui_page_button(struct ui_page *p, int x, int y, const char *label,
                                ui_field_fn pressed);

void ui_field_set_text(struct ui_field *f, const char *text);
/* Sets (or with NULL clears) the field's error. */
void ui_field_set_error(struct ui_field *f, const char *error);

/* ---- message and confirm boxes ---- */

void ui_message(struct ui_app *app, const char *title, const char *text);
/* s quoted for a POSIX shell when it needs it ('it'\''s'); allocated. */
char *ui_shell_quote(const char *s);
/*
 * Appends one command line to *text (lines joined by newlines): "certcon"
 * and the arguments up to NULL, each quoted for a shell. The F2 preview
 * and session recording build their commands with it. *text is allocated.
 */
void ui_command_add(char **text, const char *arg, ...);
/*
 * A question whose answer may destroy something: it opens with the focus
 * on the second button (no), so a stray Enter keeps things as they are.
 * Calls done(ctx, 1) for the first button, done(ctx, 0) for the second, Esc,
 * or the box going away unanswered (the console closing): exactly once, so
 * done may free ctx.
 */
void ui_confirm(struct ui_app *app, const char *title, const char *text, const char *yes,
                const char *no, void (*done)(void *ctx, int yes), void *ctx);

/* ---- menus ---- */

struct ui_menu_item {
    const char *label;
    int id;
    const struct ui_menu_item *sub; /* submenu items (All Tasks), or NULL */
    size_t nsub;
};

/*
 * Pushes a menu at (x, y) (clamped to the screen; x < 0 centres it). The
 * items must outlive the menu. chosen(ctx, id) runs after the menu (and
 * its parents) closed; Esc calls nothing.
 */
void ui_menu_open(struct ui_app *app, const char *title, int x, int y,
                  const struct ui_menu_item *items, size_t n, void (*chosen)(void *ctx, int id),
                  void *ctx);

#endif
