/*
 * Keys as the console sees them, and their written notation. A key is an
 * int: a Unicode code point for typed characters (control keys are their
 * C0 codes, so Ctrl-C is 3), or one of the named special keys above the
 * Unicode range. The notation is the one of DESIGN.md, shared by test
 * scripts and by the key bindings in certcon.conf: plain text is typed as
 * keys, <Enter>, <Tab>, <S-Tab>, <Esc>, <BS>, <Del>, <Space>, <Up>, <Down>,
 * <Left>, <Right>, <PgUp>, <PgDn>, <Home>, <End>, <F1>..<F12>, <S-F1>..<S-F12>,
 * <C-x> are single keys.
 */
#ifndef CERTCON_UI_KEYS_H
#define CERTCON_UI_KEYS_H

#include <stddef.h>

enum {
    UI_KEY_NONE = 0,
    UI_KEY_TAB = 9,
    UI_KEY_ENTER = 13,
    UI_KEY_ESC = 27,
    UI_KEY_BS = 127,
    UI_KEY_SPECIAL = 0x110000,
    UI_KEY_UP = UI_KEY_SPECIAL,
    UI_KEY_DOWN,
    UI_KEY_LEFT,
    UI_KEY_RIGHT,
    UI_KEY_PGUP,
    UI_KEY_PGDN,
    UI_KEY_HOME,
    UI_KEY_END,
    UI_KEY_DEL,
    UI_KEY_INS,
    UI_KEY_BTAB,
    UI_KEY_RESIZE,                       /* the terminal changed size */
    UI_KEY_F0 = UI_KEY_SPECIAL + 0x100,  /* F1 is UI_KEY_F0 + 1 */
    UI_KEY_SF0 = UI_KEY_SPECIAL + 0x120, /* Shift-F1 is UI_KEY_SF0 + 1 */
    UI_KEY_MAX = UI_KEY_SPECIAL + 0x140,
};

#define UI_KEY_F(n)    (UI_KEY_F0 + (n))
#define UI_KEY_SF(n)   (UI_KEY_SF0 + (n))
#define UI_KEY_CTRL(c) ((c)&0x1f)

/* Whether k is a character a text field can take (printable, not a control). */
int ui_key_is_text(int k);

/*
 * Parses one line of notation into keys: plain text (UTF-8) as its
 * characters, <Name> as one key. A '<' that does not open a known name is
 * typed as itself. keys (of size max) receives the keys; *n their number.
 * Returns 0, or -1 with *cause (allocated) for bad UTF-8 or too many keys.
 */
int ui_keys_parse(const char *line, int *keys, size_t max, size_t *n, char **cause);
/*
 * Parses a blank-separated list of single keys as certcon.conf writes them
 * ("<F10> <C-c> q"). Returns the number of keys, or -1 with *cause when an
 * item is not exactly one key.
 */
int ui_keys_parse_list(const char *s, int *keys, size_t max, char **cause);
/* The notation of a key ("<F10>", "<C-c>", "a", "<lt>"), into buf. */
const char *ui_key_notation(int key, char *buf, size_t size);
/* A key as people read it in help and the status line ("F10", "Ctrl-C", "Enter", "/"). */
const char *ui_key_label(int key, char *buf, size_t size);

#endif
