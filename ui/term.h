/*
 * The one module that touches the terminal (curses). It copies the
 * in-memory screen to the terminal, reads keys and translates them into
 * the console's key codes, and restores the terminal on every way out:
 * normal exit, out-of-memory, and the signals an SSH session can send.
 */
#ifndef CERTCON_UI_TERM_H
#define CERTCON_UI_TERM_H

#include "screen.h"

/*
 * Starts curses. ascii: line drawing as + - | even in a UTF-8 locale (also
 * chosen automatically when the locale is not UTF-8). Returns 0, or -1 with
 * *cause when there is no usable terminal.
 */
int ui_term_open(int ascii, char **cause);
void ui_term_close(void);
void ui_term_size(int *cols, int *rows);
/* The next key, UI_KEY_RESIZE, or UI_KEY_NONE after timeout_ms (or a signal). */
int ui_term_key(int timeout_ms);
/* Copies the screen to the terminal (only the cells that changed). */
void ui_term_flush(const struct ui_screen *s);
/* Whether SIGHUP or SIGTERM arrived (the session is going away). */
int ui_term_hangup(void);

#endif
