/*
 * The in-memory screen every part of the console draws into, as tmux does:
 * a grid of cells (code point, theme element, flags). Only the terminal
 * module copies it to a real terminal; script mode dumps it as text. Windows
 * are clipped rectangles of a screen.
 *
 * ui_draw_text() is the one function that puts text into cells, and it
 * escapes whatever could act on a terminal: C0 and C1 control characters,
 * DEL, malformed UTF-8, and characters with no width of their own. Text from
 * a request, a file or the directory therefore cannot move the cursor or
 * retitle the terminal, whatever it holds.
 */
#ifndef CERTCON_UI_SCREEN_H
#define CERTCON_UI_SCREEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

enum {
    UI_CELL_LINE = 1, /* a line-drawing cell: ch is a box-drawing code point */
    UI_CELL_CONT = 2, /* right half of a double-width character */
};

/* Box-drawing code points (U+2500 block); dumps print them as + - |. */
enum {
    UI_LINE_H = 0x2500,
    UI_LINE_V = 0x2502,
    UI_LINE_TL = 0x250c,
    UI_LINE_TR = 0x2510,
    UI_LINE_BL = 0x2514,
    UI_LINE_BR = 0x2518,
    UI_LINE_LT = 0x251c, /* ├ */
    UI_LINE_RT = 0x2524, /* ┤ */
    UI_LINE_TT = 0x252c, /* ┬ */
    UI_LINE_BT = 0x2534, /* ┴ */
    UI_LINE_X = 0x253c,
};

struct ui_cell {
    uint32_t ch;
    uint8_t el;    /* enum ui_element */
    uint8_t flags; /* UI_CELL_* */
};

struct ui_screen {
    int cols, rows;
    struct ui_cell *cells; /* rows * cols */
    int cursor_x, cursor_y, cursor_on;
};

/* A clipped rectangle of a screen; coordinates inside it start at 0. */
struct ui_win {
    struct ui_screen *s;
    int x, y, w, h;
};

/* Allocates cells for cols x rows, all blank (owned by s). */
void ui_screen_resize(struct ui_screen *s, int cols, int rows);
void ui_screen_free(struct ui_screen *s);
void ui_screen_clear(struct ui_screen *s);
/* The whole screen as a window. */
struct ui_win ui_screen_win(struct ui_screen *s);
/* A window inside parent, clipped to it. */
struct ui_win ui_win_sub(const struct ui_win *parent, int x, int y, int w, int h);

/*
 * Draws UTF-8 text at (x, y) of w in element el, at most maxw columns
 * (maxw < 0: to the window's edge), escaping as described above; escaped
 * characters are drawn in UI_EL_ESCAPED. Returns the columns used.
 */
int ui_draw_text(const struct ui_win *w, int x, int y, int maxw, int el, const char *text);
/* Like ui_draw_text, padding with blanks to exactly width columns. */
void ui_draw_text_pad(const struct ui_win *w, int x, int y, int width, int el, const char *text);
/* t as UTC in strftime's fmt, into buf; "" for 0 (no time). Returns buf. */
const char *ui_time_text(time_t t, const char *fmt, char *buf, size_t size);
/* Columns text takes when drawn (escapes included). */
int ui_text_width(const char *text);
/* The escaped form of text, as drawn; allocated (for tests and logs). */
char *ui_text_escape(const char *text);
/* Byte offset in text where the first `cols` columns end (for clipping input). */
size_t ui_text_offset(const char *text, int cols);

void ui_draw_fill(const struct ui_win *w, int x, int y, int width, int height, int el);
/* A box of line-drawing cells; an optional title is drawn into the top edge. */
void ui_draw_box(const struct ui_win *w, int x, int y, int width, int height, int el,
                 const char *title);
void ui_draw_hline(const struct ui_win *w, int x, int y, int len, int el);
void ui_draw_vline(const struct ui_win *w, int x, int y, int len, int el);
/* One line-drawing cell (a UI_LINE_* code point). */
void ui_draw_line_cell(const struct ui_win *w, int x, int y, uint32_t ch, int el);
/* Changes the element of cells already drawn (selection highlight). */
void ui_draw_recolour(const struct ui_win *w, int x, int y, int width, int el);
/* Places the terminal cursor (shown while a text field has focus). */
void ui_draw_cursor(const struct ui_win *w, int x, int y);

/* Writes the screen as plain text, one line per row, blanks trimmed on the right,
 * line drawing as + - |. Returns 0 or -1 (errno set). */
int ui_screen_dump(const struct ui_screen *s, FILE *out);
/* The text of one row (allocated), as ui_screen_dump writes it. */
char *ui_screen_row_text(const struct ui_screen *s, int row);

/*
 * Wraps text at blanks to lines of at most width columns ('\n' forces a
 * break); returns the number of lines and sets *lines (allocated, each
 * allocated).
 */
size_t ui_text_wrap(const char *text, int width, char ***lines);
void ui_text_lines_free(char **lines, size_t n);

/* The ASCII character a line cell becomes: + - or |. */
char ui_line_ascii(uint32_t ch);
/* An ASCII stand-in for a code point a non-UTF-8 terminal cannot show ('?' if none). */
char ui_char_ascii(uint32_t ch);
/* Encodes a code point as UTF-8 into buf (5 bytes); returns its length. */
size_t ui_utf8_encode(uint32_t ch, char *buf);

#endif
