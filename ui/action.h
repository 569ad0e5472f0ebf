/*
 * Every user action is one entry of one table: its name (as certcon.conf
 * writes it), the context it works in, its default keys in the notation of
 * keys.h, a short hint for the status line and the help text. The F1 help
 * screen, the status-line hints and key lookup all read this table, so they
 * cannot drift apart (the tig pattern). certcon.conf may rebind any action:
 *     keys = { quit = "<F10> <C-q>"; filter = "/ <C-f>"; };
 */
#ifndef CERTCON_UI_ACTION_H
#define CERTCON_UI_ACTION_H

#include <stddef.h>

#include <libconfig.h>

/* Contexts, most specific first when looked up. */
enum ui_context {
    UI_CTX_GLOBAL = 0, /* anywhere */
    UI_CTX_CONSOLE,    /* the console tree and results pane */
    UI_CTX_NAV,        /* anything with a selection: tree, lists, menus */
    UI_CTX_DIALOG,     /* dialogs, property sheets and wizards */
    UI_CTX_TEXT,       /* a text field being edited */
    UI_CTX_COUNT
};

enum ui_action {
    UI_A_NONE = 0,
    UI_A_QUIT,
    UI_A_HELP,
    UI_A_CLOSE,
    UI_A_MENU,
    UI_A_PANE,
    UI_A_FILTER,
    UI_A_REFRESH,
    UI_A_SORT,
    UI_A_SORT_REVERSE,
    UI_A_DELETE,
    UI_A_PROPERTIES,
    UI_A_VIEW,
    UI_A_UP,
    UI_A_DOWN,
    UI_A_PGUP,
    UI_A_PGDN,
    UI_A_HOME,
    UI_A_END,
    UI_A_COLLAPSE,
    UI_A_EXPAND,
    UI_A_NEXT_FIELD,
    UI_A_PREV_FIELD,
    UI_A_NEXT_TAB,
    UI_A_PREV_TAB,
    UI_A_ACTIVATE,
    UI_A_TOGGLE,
    UI_A_COMMAND, /* show the certcon command for what the dialog is about to do */
    UI_A_TEXT_LEFT,
    UI_A_TEXT_RIGHT,
    UI_A_TEXT_START,
    UI_A_TEXT_END,
    UI_A_TEXT_BACKSPACE,
    UI_A_TEXT_DELETE,
    UI_A_TEXT_KILL_END,
    UI_A_TEXT_KILL_ALL,
    UI_A_TEXT_KILL_WORD,
    UI_A_COUNT
};

#define UI_ACTION_MAX_KEYS 6

struct ui_action_def {
    enum ui_action id;
    const char *name;
    enum ui_context ctx;
    const char *keys; /* default keys, notation of keys.h */
    const char *hint; /* status-line word, or NULL */
    const char *help;
};

/* The table, in help order. */
const struct ui_action_def *ui_actions(size_t *n);
const struct ui_action_def *ui_action_def(enum ui_action a);
const char *ui_context_title(enum ui_context ctx);

/* Loads the defaults, then the `keys` group of conf (may be NULL). 0, or -1 with *cause. */
int ui_action_configure(const config_t *conf, char **cause);
/* The keys bound to an action now; returns their number. */
size_t ui_action_keys(enum ui_action a, const int **keys);
/* The action a key means in ctx; falls back to the global context. */
enum ui_action ui_action_lookup(int key, enum ui_context ctx);
/* "F10" or "F10, Ctrl-C": the bound keys as people read them, into buf. */
const char *ui_action_key_labels(enum ui_action a, char *buf, size_t size, int first_only);

#endif
