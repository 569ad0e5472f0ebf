/*
 * The theme table (see theme.h): one row per element, a column for the
 * colour scheme and one for monochrome.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mem.h"
#include "theme.h"

static struct ui_theme_entry theme[UI_EL_COUNT] = {
    [UI_EL_NORMAL] = {"normal", UI_C_DEFAULT, UI_C_DEFAULT, 0, 0},
    [UI_EL_TITLE] = {"title", UI_C_WHITE, UI_C_BLUE, UI_ATTR_BOLD, UI_ATTR_REVERSE},
    [UI_EL_STATUS] = {"status", UI_C_BLACK, UI_C_WHITE, 0, UI_ATTR_REVERSE},
    [UI_EL_BORDER] = {"border", UI_C_BLUE, UI_C_DEFAULT, 0, 0},
    [UI_EL_BORDER_FOCUS] = {"border-focus", UI_C_CYAN, UI_C_DEFAULT, UI_ATTR_BOLD, UI_ATTR_BOLD},
    [UI_EL_HEADER] = {"header", UI_C_YELLOW, UI_C_DEFAULT, UI_ATTR_BOLD, UI_ATTR_UNDERLINE},
    [UI_EL_SELECTED] = {"selected", UI_C_BLACK, UI_C_CYAN, 0, UI_ATTR_REVERSE},
    [UI_EL_SELECTED_DIM] = {"selected-dim", UI_C_BLACK, UI_C_WHITE, 0, UI_ATTR_UNDERLINE},
    [UI_EL_DIALOG] = {"dialog", UI_C_BLACK, UI_C_WHITE, 0, 0},
    [UI_EL_DIALOG_BORDER] = {"dialog-border", UI_C_BLUE, UI_C_WHITE, UI_ATTR_BOLD, UI_ATTR_BOLD},
    [UI_EL_FIELD] = {"field", UI_C_WHITE, UI_C_BLUE, 0, UI_ATTR_UNDERLINE},
    [UI_EL_FIELD_FOCUS] = {"field-focus", UI_C_YELLOW, UI_C_BLUE, UI_ATTR_BOLD, UI_ATTR_REVERSE},
    [UI_EL_BUTTON] = {"button", UI_C_BLACK, UI_C_WHITE, 0, 0},
    [UI_EL_BUTTON_FOCUS] = {"button-focus", UI_C_WHITE, UI_C_RED, UI_ATTR_BOLD, UI_ATTR_REVERSE},
    [UI_EL_DISABLED] = {"disabled", UI_C_BLACK, UI_C_WHITE, UI_ATTR_DIM, UI_ATTR_DIM},
    [UI_EL_ERROR] = {"error", UI_C_RED, UI_C_WHITE, UI_ATTR_BOLD, UI_ATTR_BOLD},
    [UI_EL_MENU] = {"menu", UI_C_BLACK, UI_C_CYAN, 0, UI_ATTR_REVERSE},
    [UI_EL_MENU_SELECTED] = {"menu-selected", UI_C_WHITE, UI_C_BLACK, UI_ATTR_BOLD, 0},
    [UI_EL_ESCAPED] = {"escaped", UI_C_MAGENTA, UI_C_DEFAULT, UI_ATTR_BOLD, UI_ATTR_BOLD},
};

const struct ui_theme_entry *
ui_theme(void)
{
    return theme;
}

static const char *const colour_names[] = {"black", "red",     "green", "yellow",
                                           "blue",  "magenta", "cyan",  "white"};
static const struct {
    const char *name;
    unsigned attr;
} attr_names[] = {
    {"bold", UI_ATTR_BOLD},
    {"reverse", UI_ATTR_REVERSE},
    {"underline", UI_ATTR_UNDERLINE},
    {"dim", UI_ATTR_DIM},
};

static int
colour_parse(const char *w, short *out)
{
    if (strcasecmp(w, "default") == 0) {
        *out = UI_C_DEFAULT;
        return 0;
    }
    for (short i = 0; i < 8; i++)
        if (strcasecmp(w, colour_names[i]) == 0) {
            *out = i;
            return 0;
        }
    return -1;
}

int
ui_theme_parse(const char *s, struct ui_theme_entry *out)
{
    char *copy = ui_xstrdup(s), *save = NULL;
    short fg = UI_C_DEFAULT, bg = UI_C_DEFAULT;
    unsigned attr = 0;
    int expect_bg = 0, have_fg = 0, rc = 0;
    for (char *w = strtok_r(copy, " \t", &save); w != NULL; w = strtok_r(NULL, " \t", &save)) {
        short c;
        int matched = 0;
        if (strcasecmp(w, "on") == 0) {
            expect_bg = 1;
            continue;
        }
        for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++)
            if (strcasecmp(w, attr_names[i].name) == 0) {
                attr |= attr_names[i].attr;
                matched = 1;
            }
        if (matched)
            continue;
        if (colour_parse(w, &c) != 0) {
            rc = -1;
            break;
        }
        if (expect_bg) {
            bg = c;
            expect_bg = 0;
        } else if (!have_fg) {
            fg = c;
            have_fg = 1;
        } else {
            rc = -1;
            break;
        }
    }
    free(copy);
    if (rc == 0 && expect_bg)
        rc = -1;
    if (rc == 0) {
        out->fg = fg;
        out->bg = bg;
        out->attr = attr;
        out->mono = attr;
    }
    return rc;
}

int
ui_theme_configure(const config_t *conf, char **cause)
{
    if (conf == NULL)
        return 0;
    config_setting_t *group = config_lookup(conf, "colors");
    if (group == NULL)
        return 0;
    int rc = 0;
    for (int i = 0; i < config_setting_length(group); i++) {
        config_setting_t *s = config_setting_get_elem(group, (unsigned)i);
        const char *name = config_setting_name(s);
        const char *value = config_setting_get_string(s);
        int el = -1;
        for (int e = 0; e < UI_EL_COUNT; e++)
            if (name != NULL && strcmp(theme[e].name, name) == 0)
                el = e;
        struct ui_theme_entry parsed;
        if (el < 0 || value == NULL || ui_theme_parse(value, &parsed) != 0) {
            if (rc == 0 && cause != NULL)
                *cause =
                    el < 0 ? ui_xasprintf("colors: '%s' is not a screen element", name ? name : "?")
                           : ui_xasprintf("colors: %s: write it as \"white on blue\" or "
                                          "\"bold yellow\"",
                                          name);
            rc = -1;
            continue;
        }
        theme[el].fg = parsed.fg;
        theme[el].bg = parsed.bg;
        theme[el].attr = parsed.attr;
        theme[el].mono = parsed.attr ? parsed.attr : theme[el].mono;
    }
    return rc;
}
