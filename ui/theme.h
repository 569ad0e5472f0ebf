/*
 * Colours. Everything draws with a theme element (what a cell is: a title,
 * a selected row, a disabled button); the theme table gives each element a
 * colour pair and a monochrome attribute, so the look lives in one table and
 * a monochrome terminal, NO_COLOR or a colour-blind user's certcon.conf all
 * read the same elements. Only the terminal module turns elements into
 * curses attributes.
 */
#ifndef CERTCON_UI_THEME_H
#define CERTCON_UI_THEME_H

#include <libconfig.h>

enum ui_element {
    UI_EL_NORMAL = 0,
    UI_EL_TITLE,
    UI_EL_STATUS,
    UI_EL_BORDER,
    UI_EL_BORDER_FOCUS,
    UI_EL_HEADER,
    UI_EL_SELECTED,     /* selected row of the focused pane */
    UI_EL_SELECTED_DIM, /* selected row of an unfocused pane */
    UI_EL_DIALOG,
    UI_EL_DIALOG_BORDER,
    UI_EL_FIELD,
    UI_EL_FIELD_FOCUS,
    UI_EL_BUTTON,
    UI_EL_BUTTON_FOCUS,
    UI_EL_DISABLED,
    UI_EL_ERROR,
    UI_EL_MENU,
    UI_EL_MENU_SELECTED,
    UI_EL_ESCAPED, /* an escaped control character in outside text */
    UI_EL_COUNT
};

enum ui_colour {
    UI_C_DEFAULT = -1,
    UI_C_BLACK = 0,
    UI_C_RED,
    UI_C_GREEN,
    UI_C_YELLOW,
    UI_C_BLUE,
    UI_C_MAGENTA,
    UI_C_CYAN,
    UI_C_WHITE,
};

enum {
    UI_ATTR_BOLD = 1,
    UI_ATTR_REVERSE = 2,
    UI_ATTR_UNDERLINE = 4,
    UI_ATTR_DIM = 8,
};

struct ui_theme_entry {
    const char *name; /* certcon.conf: colors = { selected = "black on cyan"; } */
    short fg, bg;
    unsigned attr; /* added to the colours */
    unsigned mono; /* used instead when there is no colour */
};

/* The current theme (indexed by enum ui_element). */
const struct ui_theme_entry *ui_theme(void);
/*
 * Applies the `colors` group of certcon.conf over the defaults. Returns 0, or
 * -1 with *cause naming the first bad entry (the defaults stay for it).
 */
int ui_theme_configure(const config_t *conf, char **cause);
/* Parses "white on blue", "bold yellow", "reverse" into an entry; 0 or -1. */
int ui_theme_parse(const char *s, struct ui_theme_entry *out);

#endif
