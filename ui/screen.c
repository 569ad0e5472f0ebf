/*
 * The in-memory screen and the one escaping text function (see screen.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "mem.h"
#include "screen.h"
#include "theme.h"
#include "util.h"

void
ui_screen_resize(struct ui_screen *s, int cols, int rows)
{
    if (cols < 1)
        cols = 1;
    if (rows < 1)
        rows = 1;
    free(s->cells);
    s->cols = cols;
    s->rows = rows;
    s->cells = ui_xcalloc((size_t)cols * (size_t)rows, sizeof *s->cells);
    ui_screen_clear(s);
}

void
ui_screen_free(struct ui_screen *s)
{
    free(s->cells);
    s->cells = NULL;
    s->cols = s->rows = 0;
}

void
ui_screen_clear(struct ui_screen *s)
{
    for (int i = 0; i < s->cols * s->rows; i++)
        s->cells[i] = (struct ui_cell){' ', UI_EL_NORMAL, 0};
    s->cursor_on = 0;
}

struct ui_win
ui_screen_win(struct ui_screen *s)
{
    return (struct ui_win){s, 0, 0, s->cols, s->rows};
}

struct ui_win
ui_win_sub(const struct ui_win *p, int x, int y, int w, int h)
{
    struct ui_win r = {p->s, p->x + x, p->y + y, w, h};
    /* clip to the parent */
    if (r.x < p->x) {
        r.w -= p->x - r.x;
        r.x = p->x;
    }
    if (r.y < p->y) {
        r.h -= p->y - r.y;
        r.y = p->y;
    }
    if (r.x + r.w > p->x + p->w)
        r.w = p->x + p->w - r.x;
    if (r.y + r.h > p->y + p->h)
        r.h = p->y + p->h - r.y;
    if (r.w < 0)
        r.w = 0;
    if (r.h < 0)
        r.h = 0;
    return r;
}

static struct ui_cell *
cell_at(const struct ui_win *w, int x, int y)
{
    if (x < 0 || y < 0 || x >= w->w || y >= w->h)
        return NULL;
    int sx = w->x + x, sy = w->y + y;
    if (sx < 0 || sy < 0 || sx >= w->s->cols || sy >= w->s->rows)
        return NULL;
    return &w->s->cells[sy * w->s->cols + sx];
}

/*
 * One unit of input text turned into what is drawn for it: up to 10 code
 * points, each one column wide except a single double-width character.
 */
struct glyphs {
    uint32_t ch[12];
    int n;
    int width;   /* columns the whole unit takes */
    int escaped; /* drawn as an escape */
};

static void
glyphs_escape_str(struct glyphs *g, const char *s)
{
    g->n = 0;
    for (; *s && g->n < 12; s++)
        g->ch[g->n++] = (unsigned char)*s;
    g->width = g->n;
    g->escaped = 1;
}

/*
 * Decodes the next unit of p; returns the bytes it took (at least 1). The
 * escaping is the core's (cc_text_next), shared with the command line; the
 * screen adds only what the terminal's width table cannot draw.
 */
static size_t
glyphs_next(const char *p, struct glyphs *g)
{
    struct cc_glyph cg;
    char buf[16];
    size_t n = cc_text_next(p, &cg);
    if (cg.escaped) {
        glyphs_escape_str(g, cg.esc);
        return n;
    }
    uint32_t c = cg.cp;
    int wd = c < 0x80 ? 1 : wcwidth((wchar_t)c);
    /*
     * The console's own punctuation (the title's dash, quotes) has an ASCII
     * stand-in that the terminal draws where the locale cannot show it, so
     * a non-UTF-8 locale reads "certcon - ..." rather than an escape.
     */
    if (wd < 1 && c >= 0xa0 && ui_char_ascii(c) != '?')
        wd = 1;
    if (wd < 1 || wd > 2) {
        /* combining marks and characters this terminal cannot show */
        snprintf(buf, sizeof buf, "<U+%04X>", (unsigned)c);
        glyphs_escape_str(g, buf);
        return n;
    }
    g->ch[0] = c;
    g->n = 1;
    g->width = wd;
    g->escaped = 0;
    return n;
}

int
ui_draw_text(const struct ui_win *w, int x, int y, int maxw, int el, const char *text)
{
    if (text == NULL)
        return 0;
    if (maxw < 0 || x + maxw > w->w)
        maxw = w->w - x;
    int col = 0;
    struct glyphs g;
    for (const char *p = text; *p && col < maxw;) {
        p += glyphs_next(p, &g);
        if (col + g.width > maxw)
            break; /* never split an escape or a wide character */
        int e = g.escaped ? UI_EL_ESCAPED : el;
        if (!g.escaped && g.width == 2) {
            struct ui_cell *c = cell_at(w, x + col, y);
            struct ui_cell *c2 = cell_at(w, x + col + 1, y);
            if (c != NULL && c2 != NULL) {
                *c = (struct ui_cell){g.ch[0], (uint8_t)e, 0};
                *c2 = (struct ui_cell){' ', (uint8_t)e, UI_CELL_CONT};
            }
            col += 2;
            continue;
        }
        for (int i = 0; i < g.n; i++) {
            struct ui_cell *c = cell_at(w, x + col, y);
            if (c != NULL)
                *c = (struct ui_cell){g.ch[i], (uint8_t)e, 0};
            col++;
        }
    }
    return col;
}

void
ui_draw_text_pad(const struct ui_win *w, int x, int y, int width, int el, const char *text)
{
    int used = ui_draw_text(w, x, y, width, el, text);
    ui_draw_fill(w, x + used, y, width - used, 1, el);
}

int
ui_text_width(const char *text)
{
    int col = 0;
    struct glyphs g;
    if (text == NULL)
        return 0;
    for (const char *p = text; *p;) {
        p += glyphs_next(p, &g);
        col += g.width;
    }
    return col;
}

size_t
ui_text_offset(const char *text, int cols)
{
    int col = 0;
    struct glyphs g;
    const char *p = text;
    while (*p) {
        size_t n = glyphs_next(p, &g);
        if (col + g.width > cols)
            break;
        col += g.width;
        p += n;
    }
    return (size_t)(p - text);
}

size_t
ui_utf8_encode(uint32_t c, char *b)
{
    if (c < 0x80) {
        b[0] = (char)c;
        return 1;
    } else if (c < 0x800) {
        b[0] = (char)(0xc0 | (c >> 6));
        b[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    } else if (c < 0x10000) {
        b[0] = (char)(0xe0 | (c >> 12));
        b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        b[2] = (char)(0x80 | (c & 0x3f));
        return 3;
    }
    b[0] = (char)(0xf0 | (c >> 18));
    b[1] = (char)(0x80 | ((c >> 12) & 0x3f));
    b[2] = (char)(0x80 | ((c >> 6) & 0x3f));
    b[3] = (char)(0x80 | (c & 0x3f));
    return 4;
}

char *
ui_text_escape(const char *text)
{
    size_t cap = strlen(text) * 8 + 1, len = 0;
    char *out = ui_xmalloc(cap);
    struct glyphs g;
    for (const char *p = text; *p;) {
        p += glyphs_next(p, &g);
        for (int i = 0; i < g.n; i++)
            len += ui_utf8_encode(g.ch[i], out + len);
    }
    out[len] = '\0';
    return out;
}

void
ui_draw_fill(const struct ui_win *w, int x, int y, int width, int height, int el)
{
    for (int r = 0; r < height; r++)
        for (int c = 0; c < width; c++) {
            struct ui_cell *cell = cell_at(w, x + c, y + r);
            if (cell != NULL)
                *cell = (struct ui_cell){' ', (uint8_t)el, 0};
        }
}

void
ui_draw_line_cell(const struct ui_win *w, int x, int y, uint32_t ch, int el)
{
    struct ui_cell *c = cell_at(w, x, y);
    if (c != NULL)
        *c = (struct ui_cell){ch, (uint8_t)el, UI_CELL_LINE};
}

void
ui_draw_hline(const struct ui_win *w, int x, int y, int len, int el)
{
    for (int i = 0; i < len; i++)
        ui_draw_line_cell(w, x + i, y, UI_LINE_H, el);
}

void
ui_draw_vline(const struct ui_win *w, int x, int y, int len, int el)
{
    for (int i = 0; i < len; i++)
        ui_draw_line_cell(w, x, y + i, UI_LINE_V, el);
}

void
ui_draw_box(const struct ui_win *w, int x, int y, int width, int height, int el, const char *title)
{
    if (width < 2 || height < 2)
        return;
    ui_draw_hline(w, x + 1, y, width - 2, el);
    ui_draw_hline(w, x + 1, y + height - 1, width - 2, el);
    ui_draw_vline(w, x, y + 1, height - 2, el);
    ui_draw_vline(w, x + width - 1, y + 1, height - 2, el);
    ui_draw_line_cell(w, x, y, UI_LINE_TL, el);
    ui_draw_line_cell(w, x + width - 1, y, UI_LINE_TR, el);
    ui_draw_line_cell(w, x, y + height - 1, UI_LINE_BL, el);
    ui_draw_line_cell(w, x + width - 1, y + height - 1, UI_LINE_BR, el);
    if (title != NULL && *title && width > 6) {
        /* " Title " after the corner, as the layout picture shows */
        struct ui_win top = ui_win_sub(w, x + 1, y, width - 3, 1);
        int used = ui_draw_text(&top, 0, 0, 1, el, " ");
        used += ui_draw_text(&top, used, 0, top.w - 2, el, title);
        ui_draw_text(&top, used, 0, 1, el, " ");
    }
}

void
ui_draw_recolour(const struct ui_win *w, int x, int y, int width, int el)
{
    for (int i = 0; i < width; i++) {
        struct ui_cell *c = cell_at(w, x + i, y);
        if (c != NULL && c->el != UI_EL_ESCAPED)
            c->el = (uint8_t)el;
    }
}

void
ui_draw_cursor(const struct ui_win *w, int x, int y)
{
    if (x < 0 || y < 0 || x >= w->w || y >= w->h)
        return;
    w->s->cursor_x = w->x + x;
    w->s->cursor_y = w->y + y;
    w->s->cursor_on = 1;
}

char
ui_line_ascii(uint32_t ch)
{
    if (ch == UI_LINE_H)
        return '-';
    if (ch == UI_LINE_V)
        return '|';
    return '+';
}

/* Stand-ins for the typographic characters certcon's own texts use. */
static const struct {
    uint32_t ch;
    char ascii;
} ascii_table[] = {
    {0x2014, '-'}, {0x2013, '-'}, {0x2018, '\''}, {0x2019, '\''}, {0x201c, '"'}, {0x201d, '"'},
    {0x00d7, 'x'}, {0x2022, '*'}, {0x25b2, '^'},  {0x25bc, 'v'},  {0x25b6, '>'}, {0x00a0, ' '},
};

char
ui_char_ascii(uint32_t ch)
{
    if (ch < 0x80)
        return (char)ch;
    for (size_t i = 0; i < sizeof ascii_table / sizeof ascii_table[0]; i++)
        if (ascii_table[i].ch == ch)
            return ascii_table[i].ascii;
    return '?';
}

char *
ui_screen_row_text(const struct ui_screen *s, int row)
{
    char *line = ui_xmalloc((size_t)s->cols * 4 + 1);
    size_t len = 0, keep = 0;
    for (int x = 0; x < s->cols; x++) {
        const struct ui_cell *c = &s->cells[row * s->cols + x];
        if (c->flags & UI_CELL_CONT)
            continue;
        if (c->flags & UI_CELL_LINE)
            line[len++] = ui_line_ascii(c->ch);
        else
            len += ui_utf8_encode(c->ch, line + len);
        if (c->ch != ' ' || (c->flags & UI_CELL_LINE))
            keep = len;
    }
    line[keep] = '\0';
    return line;
}

int
ui_screen_dump(const struct ui_screen *s, FILE *out)
{
    for (int y = 0; y < s->rows; y++) {
        char *line = ui_screen_row_text(s, y);
        int rc = fprintf(out, "%s\n", line);
        free(line);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* ---------------- text wrapping ---------------- */

static void
lines_push(char ***lines, size_t *n, size_t *cap, const char *s, size_t len)
{
    ui_xgrow(lines, cap, *n + 1, sizeof **lines);
    (*lines)[(*n)++] = ui_xstrndup(s, len);
}

size_t
ui_text_wrap(const char *text, int width, char ***lines)
{
    size_t n = 0, cap = 0;
    *lines = NULL;
    if (width < 1)
        width = 1;
    const char *p = text ? text : "";
    do {
        const char *nl = strchr(p, '\n');
        size_t plen = nl ? (size_t)(nl - p) : strlen(p);
        char *para = ui_xstrndup(p, plen);
        const char *q = para;
        if (*q == '\0')
            lines_push(lines, &n, &cap, "", 0);
        while (*q) {
            if (ui_text_width(q) <= width) {
                lines_push(lines, &n, &cap, q, strlen(q));
                break;
            }
            size_t fit = ui_text_offset(q, width);
            size_t cut = fit;
            /* break at the last blank that fits, else cut the word */
            while (cut > 0 && q[cut] != ' ')
                cut--;
            if (cut == 0)
                cut = fit ? fit : 1;
            lines_push(lines, &n, &cap, q, cut);
            q += cut;
            while (*q == ' ')
                q++;
        }
        free(para);
        p = nl ? nl + 1 : NULL;
    } while (p != NULL);
    return n;
}

void
ui_text_lines_free(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

const char *
ui_time_text(time_t t, const char *fmt, char *buf, size_t size)
{
    struct tm tm;
    if (size == 0)
        return "";
    buf[0] = '\0';
    if (t != 0 && gmtime_r(&t, &tm) != NULL && strftime(buf, size, fmt, &tm) == 0)
        buf[0] = '\0';
    return buf;
}
