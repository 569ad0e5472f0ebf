/*
 * The curses side of the console (see term.h). Nothing else in certcon
 * includes curses: everything else draws into a struct ui_screen.
 */
#include "config.h"

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "keys.h"
#include "mem.h"
#include "term.h"
#include "theme.h"

static int term_on;
static int term_utf8;
static int term_colour;
static struct ui_screen shown; /* what the terminal shows now */
static volatile sig_atomic_t hangup;

static void
on_hangup(int sig)
{
    (void)sig;
    hangup = 1;
}

int
ui_term_hangup(void)
{
    return hangup != 0;
}

static void
term_teardown(void)
{
    if (term_on) {
        endwin();
        term_on = 0;
    }
}

/* curses key codes -> console keys; one table instead of a switch */
static const struct {
    int curses, key;
} key_map[] = {
    {KEY_UP, UI_KEY_UP},       {KEY_DOWN, UI_KEY_DOWN},     {KEY_LEFT, UI_KEY_LEFT},
    {KEY_RIGHT, UI_KEY_RIGHT}, {KEY_PPAGE, UI_KEY_PGUP},    {KEY_NPAGE, UI_KEY_PGDN},
    {KEY_HOME, UI_KEY_HOME},   {KEY_END, UI_KEY_END},       {KEY_DC, UI_KEY_DEL},
    {KEY_IC, UI_KEY_INS},      {KEY_BTAB, UI_KEY_BTAB},     {KEY_BACKSPACE, UI_KEY_BS},
    {KEY_ENTER, UI_KEY_ENTER}, {KEY_RESIZE, UI_KEY_RESIZE},
};

/*
 * What xterm (and tmux, PuTTY and most emulators) send, whatever TERM
 * says. A terminfo entry such as vt100 lacks most of these, and curses
 * would then hand the console a lone Esc followed by "[19~": F8 would
 * close a property sheet instead of turning its page. Each sequence the
 * terminfo does not already define is taught to curses at start-up.
 */
static const struct {
    const char *seq;
    int code;
} xterm_keys[] = {
    {"\033OP", KEY_F(1)},      {"\033OQ", KEY_F(2)},      {"\033OR", KEY_F(3)},
    {"\033OS", KEY_F(4)},      {"\033[11~", KEY_F(1)},    {"\033[12~", KEY_F(2)},
    {"\033[13~", KEY_F(3)},    {"\033[14~", KEY_F(4)},    {"\033[15~", KEY_F(5)},
    {"\033[17~", KEY_F(6)},    {"\033[18~", KEY_F(7)},    {"\033[19~", KEY_F(8)},
    {"\033[20~", KEY_F(9)},    {"\033[21~", KEY_F(10)},   {"\033[23~", KEY_F(11)},
    {"\033[24~", KEY_F(12)},   {"\033[1;2P", KEY_F(13)},  {"\033[1;2Q", KEY_F(14)},
    {"\033[1;2R", KEY_F(15)},  {"\033[1;2S", KEY_F(16)},  {"\033[15;2~", KEY_F(17)},
    {"\033[17;2~", KEY_F(18)}, {"\033[18;2~", KEY_F(19)}, {"\033[19;2~", KEY_F(20)},
    {"\033[20;2~", KEY_F(21)}, {"\033[21;2~", KEY_F(22)}, {"\033[23;2~", KEY_F(23)},
    {"\033[24;2~", KEY_F(24)}, {"\033[Z", KEY_BTAB},      {"\033[A", KEY_UP},
    {"\033[B", KEY_DOWN},      {"\033[C", KEY_RIGHT},     {"\033[D", KEY_LEFT},
    {"\033OA", KEY_UP},        {"\033OB", KEY_DOWN},      {"\033OC", KEY_RIGHT},
    {"\033OD", KEY_LEFT},      {"\033[H", KEY_HOME},      {"\033[F", KEY_END},
    {"\033OH", KEY_HOME},      {"\033OF", KEY_END},       {"\033[1~", KEY_HOME},
    {"\033[4~", KEY_END},      {"\033[2~", KEY_IC},       {"\033[3~", KEY_DC},
    {"\033[5~", KEY_PPAGE},    {"\033[6~", KEY_NPAGE},
};

static void
xterm_keys_define(void)
{
    for (size_t i = 0; i < sizeof xterm_keys / sizeof xterm_keys[0]; i++)
        if (key_defined(xterm_keys[i].seq) == 0)
            define_key(xterm_keys[i].seq, xterm_keys[i].code);
}

static short
pair_of(int el)
{
    return (short)(el + 1);
}

static void
colours_init(void)
{
    const char *nc = getenv("NO_COLOR");
    term_colour = (nc == NULL || *nc == '\0') && has_colors();
    if (!term_colour)
        return;
    start_color();
    use_default_colors();
    const struct ui_theme_entry *t = ui_theme();
    for (int el = 0; el < UI_EL_COUNT; el++)
        init_pair(pair_of(el), t[el].fg, t[el].bg);
}

static attr_t
attr_of(int el)
{
    const struct ui_theme_entry *t = &ui_theme()[el];
    unsigned a = term_colour ? t->attr : t->mono;
    attr_t r = A_NORMAL;
    if (a & UI_ATTR_BOLD)
        r |= A_BOLD;
    if (a & UI_ATTR_REVERSE)
        r |= A_REVERSE;
    if (a & UI_ATTR_UNDERLINE)
        r |= A_UNDERLINE;
    if (a & UI_ATTR_DIM)
        r |= A_DIM;
    return r;
}

int
ui_term_open(int ascii, char **cause)
{
    const char *term = getenv("TERM");
    if (term == NULL || *term == '\0') {
        *cause = ui_xstrdup("TERM is not set: the console needs a terminal (or --script FILE)");
        return -1;
    }
    const char *cs = nl_langinfo(CODESET);
    term_utf8 = !ascii && cs != NULL && strcmp(cs, "UTF-8") == 0;
    if (newterm(NULL, stdout, stdin) == NULL) {
        *cause = ui_xasprintf("cannot use the terminal type '%s'", term);
        return -1;
    }
    term_on = 1;
    ui_mem_set_teardown(term_teardown);
    atexit(term_teardown);
    /* SSH going away must not leave half a save behind: the loop ends cleanly */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_hangup;
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    raw(); /* Ctrl-C is a key (quit), not a signal that would skip the question */
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    xterm_keys_define();
    set_escdelay(25);
    curs_set(0);
    colours_init();
    ui_screen_free(&shown);
    return 0;
}

void
ui_term_close(void)
{
    term_teardown();
    ui_screen_free(&shown);
}

void
ui_term_size(int *cols, int *rows)
{
    getmaxyx(stdscr, *rows, *cols);
}

int
ui_term_key(int timeout_ms)
{
    wint_t ch;
    timeout(timeout_ms);
    int rc = get_wch(&ch);
    if (rc == ERR)
        return UI_KEY_NONE;
    if (rc == KEY_CODE_YES) {
        for (size_t i = 0; i < sizeof key_map / sizeof key_map[0]; i++)
            if (key_map[i].curses == (int)ch)
                return key_map[i].key;
        if ((int)ch >= KEY_F(1) && (int)ch <= KEY_F(12))
            return UI_KEY_F((int)ch - KEY_F0);
        if ((int)ch >= KEY_F(13) && (int)ch <= KEY_F(24))
            return UI_KEY_SF((int)ch - KEY_F0 - 12);
        return UI_KEY_NONE;
    }
    if (ch == '\n' || ch == '\r')
        return UI_KEY_ENTER;
    if (ch == 8 || ch == 127)
        return UI_KEY_BS;
    if (ch == 27) {
        /* ESC followed at once by a key is Alt-key; we treat it as Esc */
        return UI_KEY_ESC;
    }
    return (int)ch;
}

static void
put_cell(int y, int x, const struct ui_cell *c)
{
    attr_t a = attr_of(c->el);
    short pair = term_colour ? pair_of(c->el) : 0;
    if (c->flags & UI_CELL_LINE) {
        if (term_utf8) {
            wchar_t w[2] = {(wchar_t)c->ch, 0};
            cchar_t cc;
            setcchar(&cc, w, a, pair, NULL);
            mvadd_wch(y, x, &cc);
        } else {
            mvaddch(y, x, (chtype)(unsigned char)ui_line_ascii(c->ch) | a | COLOR_PAIR(pair));
        }
        return;
    }
    if (!term_utf8 && c->ch >= 0x80) {
        /* a wide character becomes two stand-ins, keeping the columns */
        mvaddch(y, x, (chtype)(unsigned char)ui_char_ascii(c->ch) | a | COLOR_PAIR(pair));
        return;
    }
    wchar_t w[2] = {(wchar_t)c->ch, 0};
    cchar_t cc;
    setcchar(&cc, w, a, pair, NULL);
    mvadd_wch(y, x, &cc);
}

void
ui_term_flush(const struct ui_screen *s)
{
    int full = shown.cols != s->cols || shown.rows != s->rows;
    if (full) {
        ui_screen_resize(&shown, s->cols, s->rows);
        clearok(curscr, TRUE);
    }
    for (int y = 0; y < s->rows; y++)
        for (int x = 0; x < s->cols; x++) {
            const struct ui_cell *c = &s->cells[y * s->cols + x];
            struct ui_cell *o = &shown.cells[y * s->cols + x];
            if (!full && memcmp(c, o, sizeof *c) == 0)
                continue;
            *o = *c;
            if (c->flags & UI_CELL_CONT) {
                if (!term_utf8)
                    mvaddch(y, x, (chtype)'?');
                continue;
            }
            /* never write into the last cell: some terminals scroll */
            if (y == s->rows - 1 && x == s->cols - 1)
                continue;
            put_cell(y, x, c);
        }
    if (s->cursor_on) {
        curs_set(1);
        move(s->cursor_y, s->cursor_x);
    } else {
        curs_set(0);
    }
    refresh();
}
