/*
 * The action table and the current key bindings (see action.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "keys.h"
#include "mem.h"

static const struct ui_action_def actions[] = {
    {UI_A_QUIT, "quit", UI_CTX_GLOBAL, "<F10> <C-c>", "quit",
     "Quit certcon (asks first when a dialog holds unsaved changes)"},
    {UI_A_HELP, "help", UI_CTX_GLOBAL, "<F1>", "help", "Show this help"},
    {UI_A_CLOSE, "close", UI_CTX_GLOBAL, "<Esc>", NULL,
     "Close the menu or dialog (Cancel), clear the filter"},
    {UI_A_MENU, "menu", UI_CTX_CONSOLE, "<Enter> <S-F10>", "actions",
     "Open the action menu of the selected item (the right-click menu)"},
    {UI_A_PANE, "pane", UI_CTX_CONSOLE, "<Tab> <S-Tab>", "pane",
     "Switch between the console tree and the results pane"},
    {UI_A_FILTER, "filter", UI_CTX_CONSOLE, "/", "filter",
     "Filter the results list (Enter keeps the filter, Esc clears it)"},
    {UI_A_REFRESH, "refresh", UI_CTX_CONSOLE, "<F5>", NULL, "Refresh the results list"},
    {UI_A_SORT, "sort", UI_CTX_CONSOLE, "<F6>", NULL, "Sort the results by the next column"},
    {UI_A_SORT_REVERSE, "sort-reverse", UI_CTX_CONSOLE, "<F7>", NULL,
     "Reverse the sort order of the results"},
    {UI_A_DELETE, "delete", UI_CTX_CONSOLE, "<Del>", NULL, "Delete the selected item"},
    {UI_A_PROPERTIES, "properties", UI_CTX_CONSOLE, "<F4>", NULL,
     "Open the properties of the selected item"},
    {UI_A_VIEW, "view", UI_CTX_CONSOLE, "<F3>", NULL,
     "Switch to the other view (Audit: refusals only)"},
    {UI_A_UP, "up", UI_CTX_NAV, "<Up> <C-p>", NULL, "Move up"},
    {UI_A_DOWN, "down", UI_CTX_NAV, "<Down> <C-n>", NULL, "Move down"},
    {UI_A_PGUP, "page-up", UI_CTX_NAV, "<PgUp>", NULL, "Move up one page"},
    {UI_A_PGDN, "page-down", UI_CTX_NAV, "<PgDn>", NULL, "Move down one page"},
    {UI_A_HOME, "first", UI_CTX_NAV, "<Home>", NULL, "Go to the first item"},
    {UI_A_END, "last", UI_CTX_NAV, "<End>", NULL, "Go to the last item"},
    {UI_A_COLLAPSE, "collapse", UI_CTX_NAV, "<Left>", NULL,
     "Collapse the tree node, or go to its parent; scroll a list's columns left"},
    {UI_A_EXPAND, "expand", UI_CTX_NAV, "<Right>", NULL,
     "Expand the tree node; scroll a list's columns right when they do not fit"},
    {UI_A_NEXT_FIELD, "next-field", UI_CTX_DIALOG, "<Tab>", NULL, "Go to the next control"},
    {UI_A_PREV_FIELD, "previous-field", UI_CTX_DIALOG, "<S-Tab>", NULL,
     "Go to the previous control"},
    {UI_A_NEXT_TAB, "next-tab", UI_CTX_DIALOG, "<F8>", NULL,
     "Show the next tab of a property sheet (Left/Right on the tab row too)"},
    {UI_A_PREV_TAB, "previous-tab", UI_CTX_DIALOG, "<S-F8>", NULL,
     "Show the previous tab of a property sheet"},
    {UI_A_ACTIVATE, "activate", UI_CTX_DIALOG, "<Enter>", NULL,
     "Press the focused button; elsewhere press OK (or Next in a wizard)"},
    {UI_A_TOGGLE, "toggle", UI_CTX_DIALOG, "<Space>", NULL,
     "Tick or clear a check box, choose a radio button, open a drop-down"},
    {UI_A_COMMAND, "show-command", UI_CTX_DIALOG, "<F2>", NULL,
     "Show the certcon command for what the dialog is about to do"},
    {UI_A_TEXT_LEFT, "text-left", UI_CTX_TEXT, "<Left>", NULL, "Move the cursor left"},
    {UI_A_TEXT_RIGHT, "text-right", UI_CTX_TEXT, "<Right>", NULL, "Move the cursor right"},
    {UI_A_TEXT_START, "text-start", UI_CTX_TEXT, "<Home> <C-a>", NULL,
     "Move the cursor to the start"},
    {UI_A_TEXT_END, "text-end", UI_CTX_TEXT, "<End> <C-e>", NULL, "Move the cursor to the end"},
    {UI_A_TEXT_BACKSPACE, "text-backspace", UI_CTX_TEXT, "<BS> <C-h>", NULL,
     "Delete the character before the cursor"},
    {UI_A_TEXT_DELETE, "text-delete", UI_CTX_TEXT, "<Del> <C-d>", NULL,
     "Delete the character under the cursor"},
    {UI_A_TEXT_KILL_END, "text-kill-end", UI_CTX_TEXT, "<C-k>", NULL,
     "Delete to the end of the text"},
    {UI_A_TEXT_KILL_ALL, "text-kill-all", UI_CTX_TEXT, "<C-u>", NULL, "Delete the whole text"},
    {UI_A_TEXT_KILL_WORD, "text-kill-word", UI_CTX_TEXT, "<C-w>", NULL,
     "Delete the word before the cursor"},
};

#define NACTIONS (sizeof actions / sizeof actions[0])

static const char *const context_titles[UI_CTX_COUNT] = {
    [UI_CTX_GLOBAL] = "Everywhere",
    [UI_CTX_CONSOLE] = "Console tree and results",
    [UI_CTX_NAV] = "Lists, trees and menus",
    [UI_CTX_DIALOG] = "Dialogs, property sheets and wizards",
    [UI_CTX_TEXT] = "Text fields",
};

static struct {
    int keys[UI_ACTION_MAX_KEYS];
    size_t n;
} bindings[UI_A_COUNT];
static int bindings_loaded;

const struct ui_action_def *
ui_actions(size_t *n)
{
    *n = NACTIONS;
    return actions;
}

const struct ui_action_def *
ui_action_def(enum ui_action a)
{
    for (size_t i = 0; i < NACTIONS; i++)
        if (actions[i].id == a)
            return &actions[i];
    return NULL;
}

const char *
ui_context_title(enum ui_context ctx)
{
    return ctx < UI_CTX_COUNT ? context_titles[ctx] : "";
}

static void
load_defaults(void)
{
    for (size_t i = 0; i < NACTIONS; i++) {
        int n = ui_keys_parse_list(actions[i].keys, bindings[actions[i].id].keys,
                                   UI_ACTION_MAX_KEYS, NULL);
        bindings[actions[i].id].n = n > 0 ? (size_t)n : 0;
    }
    bindings_loaded = 1;
}

int
ui_action_configure(const config_t *conf, char **cause)
{
    load_defaults();
    if (conf == NULL)
        return 0;
    config_setting_t *group = config_lookup(conf, "keys");
    if (group == NULL)
        return 0;
    int rc = 0;
    for (int i = 0; i < config_setting_length(group); i++) {
        config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        const char *name = config_setting_name(s);
        const char *value = config_setting_get_string(s);
        const struct ui_action_def *def = NULL;
        for (size_t a = 0; a < NACTIONS; a++)
            if (name != NULL && strcmp(actions[a].name, name) == 0)
                def = &actions[a];
        char *why = NULL;
        int keys[UI_ACTION_MAX_KEYS];
        int n = -1;
        if (def != NULL && value != NULL)
            n = ui_keys_parse_list(value, keys, UI_ACTION_MAX_KEYS, &why);
        if (n < 0) {
            if (rc == 0 && cause != NULL) {
                if (def == NULL)
                    *cause = ui_xasprintf("keys: '%s' is not an action (F1 lists them)",
                                          name ? name : "?");
                else if (value == NULL)
                    *cause = ui_xasprintf("keys: %s: write the keys as a string", name);
                else
                    *cause = ui_xasprintf("keys: %s: %s", name, why);
            }
            free(why);
            rc = -1;
            continue;
        }
        memcpy(bindings[def->id].keys, keys, sizeof keys);
        bindings[def->id].n = (size_t)n;
    }
    return rc;
}

size_t
ui_action_keys(enum ui_action a, const int **keys)
{
    if (!bindings_loaded)
        load_defaults();
    *keys = bindings[a].keys;
    return bindings[a].n;
}

static enum ui_action
lookup_in(int key, enum ui_context ctx)
{
    for (size_t i = 0; i < NACTIONS; i++) {
        if (actions[i].ctx != ctx)
            continue;
        for (size_t k = 0; k < bindings[actions[i].id].n; k++)
            if (bindings[actions[i].id].keys[k] == key)
                return actions[i].id;
    }
    return UI_A_NONE;
}

enum ui_action
ui_action_lookup(int key, enum ui_context ctx)
{
    if (!bindings_loaded)
        load_defaults();
    enum ui_action a = lookup_in(key, ctx);
    return a != UI_A_NONE ? a : lookup_in(key, UI_CTX_GLOBAL);
}

const char *
ui_action_key_labels(enum ui_action a, char *buf, size_t size, int first_only)
{
    const int *keys;
    size_t n = ui_action_keys(a, &keys);
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && (!first_only || i == 0); i++) {
        char one[32];
        ui_key_label(keys[i], one, sizeof one);
        int w = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", one);
        if (w < 0 || (size_t)w >= size - len)
            break;
        len += (size_t)w;
    }
    return buf;
}
