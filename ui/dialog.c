/*
 * Dialogs, property sheets, wizards, message boxes and menus (see
 * dialog.h). Every one of them is a layer of the app's stack; none runs a
 * loop of its own.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action.h"
#include "dialog.h"
#include "keys.h"
#include "mem.h"
#include "status.h"
#include "store.h"
#include "theme.h"

/* ---------------- fields ---------------- */

static void menu_select_top(struct ui_app *app, int item);

static struct ui_field *
page_add(struct ui_page *p, enum ui_field_kind kind, int x, int y, int w, int h)
{
    struct ui_field *f = ui_xcalloc(1, sizeof *f);
    f->kind = kind;
    f->x = x;
    f->y = y;
    f->w = w;
    f->h = h;
    ui_xgrow(&p->f, &p->cap, p->n + 1, sizeof *p->f);
    p->f[p->n++] = f;
    return f;
}

static void
field_free(struct ui_field *f)
{
    free(f->label);
    free(f->text);
    free(f->error);
    for (size_t i = 0; i < f->noptions; i++)
        free(f->options[i]);
    free(f->options);
    free(f->priv);
    if (f->kind == UI_FIELD_LIST) {
        ui_list_free(&f->list);
        ui_memsource_free(f->rows);
    }
    free(f);
}

static void
field_set_options(struct ui_field *f, const char *const *options, size_t n)
{
    f->options = ui_xcalloc(n ? n : 1, sizeof *f->options);
    for (size_t i = 0; i < n; i++)
        f->options[i] = ui_xstrdup(options[i]);
    f->noptions = n;
}

struct ui_field *
ui_page_label(struct ui_page *p, int x, int y, int w, const char *text)
{
    struct ui_field *f = page_add(p, UI_FIELD_LABEL, x, y, w, 1);
    f->text = ui_xstrdup(text ? text : "");
    return f;
}

struct ui_field *
ui_page_text(struct ui_page *p, int x, int y, const char *label, int label_w, int w,
             const char *value)
{
    struct ui_field *f = page_add(p, UI_FIELD_TEXT, x, y, w, 1);
    f->label = ui_xstrdup(label ? label : "");
    f->label_w = label_w;
    ui_field_set_text(f, value);
    return f;
}

struct ui_field *
ui_page_check(struct ui_page *p, int x, int y, const char *label, int value)
{
    struct ui_field *f = page_add(p, UI_FIELD_CHECK, x, y, 4 + ui_text_width(label), 1);
    f->label = ui_xstrdup(label);
    f->value = value != 0;
    return f;
}

struct ui_field *
ui_page_radio(struct ui_page *p, int x, int y, const char *const *options, size_t n, int value)
{
    struct ui_field *f = page_add(p, UI_FIELD_RADIO, x, y, 0, (int)n);
    field_set_options(f, options, n);
    f->value = value;
    return f;
}

void
ui_radio_gap(struct ui_field *f, int at, int rows)
{
    f->skip_at = at;
    f->skip = rows;
    f->h = (int)f->noptions + rows;
}

/* The row of a radio group's option i, from the group's first row. */
static int
radio_row(const struct ui_field *f, int i)
{
    return i + (f->skip > 0 && i >= f->skip_at ? f->skip : 0);
}

struct ui_field *
ui_page_drop(struct ui_page *p, int x, int y, const char *label, int label_w, int w,
             const char *const *options, size_t n, int value)
{
    struct ui_field *f = page_add(p, UI_FIELD_DROP, x, y, w, 1);
    f->label = ui_xstrdup(label ? label : "");
    f->label_w = label_w;
    field_set_options(f, options, n);
    f->value = value;
    return f;
}

struct ui_field *
ui_page_list(struct ui_page *p, int x, int y, int w, int h, const struct ui_column *cols,
             size_t ncols)
{
    struct ui_field *f = page_add(p, UI_FIELD_LIST, x, y, w, h);
    if (ncols > 4)
        ncols = 4;
    memcpy(f->cols, cols, ncols * sizeof *cols);
    f->rows = ui_memsource_new(ncols);
    ui_list_init(&f->list, f->cols, ncols, &ui_memsource_ops, f->rows);
    f->list.q.sort_col = -1; /* rows stay in the order the dialog adds them */
    f->list.show_header = ncols > 1 || (cols[0].title != NULL && *cols[0].title);
    return f;
}

struct ui_field *
ui_page_button(struct ui_page *p, int x, int y, const char *label, ui_field_fn pressed)
{
    struct ui_field *f = page_add(p, UI_FIELD_BUTTON, x, y, ui_text_width(label) + 4, 1);
    f->label = ui_xstrdup(label);
    f->pressed = pressed;
    return f;
}

void
ui_field_set_text(struct ui_field *f, const char *text)
{
    free(f->text);
    f->text = ui_xstrdup(text ? text : "");
    f->cursor = strlen(f->text);
    f->scroll = 0;
}

void
ui_field_set_error(struct ui_field *f, const char *error)
{
    free(f->error);
    f->error = error ? ui_xstrdup(error) : NULL;
}

/* ---------------- dialog geometry ---------------- */

static int
is_tabs(const struct ui_dialog *d)
{
    return d->style == UI_DIALOG_TABS && d->npages > 1;
}

/* Lays the tab titles out in rows of width; returns the number of rows. */
static int
tab_rows(const struct ui_dialog *d, int width, int *row_of, int *col_of)
{
    int row = 0, col = 0;
    for (size_t i = 0; i < d->npages; i++) {
        int tw = ui_text_width(d->pages[i]->title) + 2;
        if (col > 0 && col + tw > width) {
            row++;
            col = 0;
        }
        if (row_of)
            row_of[i] = row;
        if (col_of)
            col_of[i] = col;
        col += tw; /* " Title " already has its blanks */
    }
    return row + 1;
}

struct geometry {
    int ix, iy, iw, ih; /* interior */
    int tabs_y, ntabrows;
    int px, py, pw, ph; /* page area */
    int msg_y, msg_rows, buttons_y;
};

static void
geometry(const struct ui_dialog *d, struct geometry *g)
{
    g->ix = d->x + 1;
    g->iy = d->y + 1;
    g->iw = d->w - 2;
    g->ih = d->h - 2;
    g->tabs_y = g->iy;
    g->ntabrows = is_tabs(d) ? tab_rows(d, g->iw - 2, NULL, NULL) : 0;
    int top = g->iy + (g->ntabrows ? g->ntabrows + 1 : 0);
    if (d->style == UI_DIALOG_WIZARD)
        top += 2; /* the page title */
    g->px = g->ix + 2;
    g->py = top;
    g->pw = g->iw - 3;
    g->buttons_y = d->y + d->h - 2;
    /* reasons from the core can be long: two rows where there is room */
    g->msg_rows = d->h >= 14 ? 2 : 1;
    g->msg_y = g->buttons_y - g->msg_rows;
    g->ph = g->msg_y - g->py;
    if (g->ph < 1)
        g->ph = 1;
}

static int
field_width(const struct geometry *g, const struct ui_field *f)
{
    return f->w > 0 ? f->w : g->pw - f->x + f->w;
}

static struct ui_page *
cur_page(const struct ui_dialog *d)
{
    return d->npages ? d->pages[d->cur] : NULL;
}

static int
focusable(const struct ui_dialog *d, const struct ui_field *f)
{
    (void)d;
    return f->kind != UI_FIELD_LABEL && !f->disabled;
}

/* Which buttons show: a wizard's depend on the page. */
static int
button_visible(const struct ui_dialog *d, const struct ui_field *b)
{
    if (b->hidden)
        return 0;
    if (d->style != UI_DIALOG_WIZARD)
        return 1;
    switch ((enum ui_button_role)b->value) {
    case UI_BUTTON_NEXT:
        return d->cur + 1 < d->npages;
    case UI_BUTTON_FINISH:
        return d->cur + 1 == d->npages;
    default:
        return 1;
    }
}

static int
button_enabled(struct ui_dialog *d, const struct ui_field *b)
{
    if (!button_visible(d, b) || b->disabled)
        return 0;
    switch ((enum ui_button_role)b->value) {
    case UI_BUTTON_OK:
    case UI_BUTTON_FINISH:
        return ui_dialog_valid(d, NULL);
    case UI_BUTTON_APPLY:
        return ui_dialog_valid(d, NULL) && d->ops && d->ops->unsaved && d->ops->unsaved(d);
    case UI_BUTTON_NEXT: {
        /* a wizard's validate hook answers for the page shown */
        return ui_dialog_valid(d, NULL);
    }
    case UI_BUTTON_BACK:
        return d->cur > 0;
    default:
        return 1;
    }
}

/* Number of focus positions: page fields, then buttons. */
static int
focus_count(const struct ui_dialog *d)
{
    struct ui_page *p = cur_page(d);
    return (int)((p ? p->n : 0) + d->nbuttons);
}

static struct ui_field *
focus_field(const struct ui_dialog *d, int idx)
{
    struct ui_page *p = cur_page(d);
    size_t np = p ? p->n : 0;
    if (idx < 0)
        return NULL;
    if ((size_t)idx < np)
        return p->f[idx];
    if ((size_t)idx - np < d->nbuttons)
        return d->buttons[(size_t)idx - np];
    return NULL;
}

static int
can_focus(struct ui_dialog *d, int idx)
{
    if (idx == -1)
        return is_tabs(d);
    struct ui_field *f = focus_field(d, idx);
    if (f == NULL)
        return 0;
    struct ui_page *p = cur_page(d);
    if ((size_t)idx >= (p ? p->n : 0))
        return button_enabled(d, f);
    return focusable(d, f);
}

/* Type-ahead starts afresh whenever the focus moves. */
static void
typeahead_reset(struct ui_dialog *d)
{
    struct ui_page *p = cur_page(d);
    for (size_t i = 0; p && i < p->n; i++)
        if (p->f[i]->kind == UI_FIELD_LIST)
            ui_list_typeahead_reset(&p->f[i]->list);
}

static void
focus_step(struct ui_dialog *d, int dir)
{
    typeahead_reset(d);
    int n = focus_count(d);
    int lo = is_tabs(d) ? -1 : 0;
    int span = n - lo;
    if (span <= 0)
        return;
    int idx = d->focus;
    for (int i = 0; i < span; i++) {
        idx += dir;
        if (idx >= n)
            idx = lo;
        if (idx < lo)
            idx = n - 1;
        if (can_focus(d, idx)) {
            d->focus = idx;
            return;
        }
    }
}

/*
 * Grids of check boxes (the Security tab's Allow and Deny): when a check
 * box shares its row with another control, Up and Down go to the control
 * in the same column of the row above or below, and Left and Right move
 * along the row. Returns 1 when the focus moved.
 */
static int
focus_grid(struct ui_dialog *d, struct ui_field *f, int dx, int dy)
{
    struct ui_page *p = cur_page(d);
    if (p == NULL || d->focus < 0 || (size_t)d->focus >= p->n)
        return 0;
    int in_row = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->f[i] != f && p->f[i]->y == f->y && focusable(d, p->f[i]))
            in_row = 1;
    if (!in_row)
        return 0;
    int best = -1, best_dist = 0;
    for (size_t i = 0; i < p->n; i++) {
        struct ui_field *o = p->f[i];
        if (o == f || !focusable(d, o))
            continue;
        int dist;
        if (dy != 0 && o->x == f->x && (o->y - f->y) * dy > 0)
            dist = (o->y - f->y) * dy;
        else if (dx != 0 && o->y == f->y && (o->x - f->x) * dx > 0)
            dist = (o->x - f->x) * dx;
        else
            continue;
        if (best < 0 || dist < best_dist)
            best = (int)i, best_dist = dist;
    }
    if (best < 0)
        return dy != 0 ? 0 : 1; /* along a row: stop at its end */
    typeahead_reset(d);
    d->focus = best;
    return 1;
}

static void
focus_first(struct ui_dialog *d)
{
    d->focus = is_tabs(d) ? -1 : 0;
    struct ui_page *p = cur_page(d);
    for (size_t i = 0; p && i < p->n; i++)
        if (focusable(d, p->f[i])) {
            d->focus = (int)i;
            return;
        }
    if (!is_tabs(d)) {
        /* nothing focusable on the page: find a button */
        d->focus = 0;
        if (!can_focus(d, 0))
            focus_step(d, 1);
    }
}

struct ui_field *
ui_dialog_focused(struct ui_dialog *d)
{
    return focus_field(d, d->focus);
}

void
ui_dialog_focus(struct ui_dialog *d, struct ui_field *f)
{
    struct ui_page *p = cur_page(d);
    typeahead_reset(d);
    for (size_t i = 0; p && i < p->n; i++)
        if (p->f[i] == f)
            d->focus = (int)i;
    for (size_t i = 0; i < d->nbuttons; i++)
        if (d->buttons[i] == f)
            d->focus = (int)((p ? p->n : 0) + i);
}

struct ui_field *
ui_dialog_field(struct ui_dialog *d, int id)
{
    for (size_t pg = 0; pg < d->npages; pg++)
        for (size_t i = 0; i < d->pages[pg]->n; i++)
            if (d->pages[pg]->f[i]->id == id)
                return d->pages[pg]->f[i];
    return NULL;
}

int
ui_dialog_valid(struct ui_dialog *d, char **why)
{
    size_t first = d->style == UI_DIALOG_WIZARD ? d->cur : 0;
    size_t last = d->style == UI_DIALOG_WIZARD ? d->cur + 1 : d->npages;
    for (size_t pg = first; pg < last; pg++)
        for (size_t i = 0; i < d->pages[pg]->n; i++)
            if (d->pages[pg]->f[i]->error != NULL) {
                if (why)
                    *why = ui_xstrdup(d->pages[pg]->f[i]->error);
                return 0;
            }
    if (d->ops != NULL && d->ops->validate != NULL)
        return d->ops->validate(d, why);
    return 1;
}

void
ui_dialog_set_page(struct ui_dialog *d, size_t page)
{
    if (page >= d->npages)
        return;
    int on_tabs = d->focus == -1;
    d->cur = page;
    if (on_tabs)
        d->focus = -1;
    else
        focus_first(d);
    if (d->ops != NULL && d->ops->page != NULL)
        d->ops->page(d);
}

void
ui_dialog_set_message(struct ui_dialog *d, const char *msg)
{
    free(d->message);
    d->message = msg ? ui_xstrdup(msg) : NULL;
}

void
ui_dialog_set_error(struct ui_dialog *d, int rc, char *cause)
{
    free(d->message);
    d->message = ui_xasprintf("! %s", cause ? cause : cc_strerror(rc));
    free(cause);
}

/* ---------------- dialog layer ---------------- */

static void
dialog_layout(struct ui_layer *l, int cols, int rows)
{
    struct ui_dialog *d = (struct ui_dialog *)l;
    d->w = d->want_w < cols - 2 ? d->want_w : cols - 2;
    d->h = d->want_h < rows - 2 ? d->want_h : rows - 2;
    if (d->w < 10)
        d->w = 10;
    if (d->h < 5)
        d->h = 5;
    d->x = (cols - d->w) / 2;
    d->y = (rows - d->h) / 2;
    if (d->y < 1 && rows > d->h)
        d->y = 1; /* keep the title line visible */
}

static void
draw_field(struct ui_dialog *d, const struct geometry *g, struct ui_win *pw, struct ui_field *f,
           int focused)
{
    int fw = field_width(g, f);
    int y = f->y - cur_page(d)->scroll;
    int x = f->x + 1; /* the window starts at the marker column */
    int dis = f->disabled;
    int el = dis ? UI_EL_DISABLED : UI_EL_DIALOG;
    if (focused && f->kind != UI_FIELD_LIST && f->kind != UI_FIELD_RADIO)
        ui_draw_text(pw, x - 1, y, 1, UI_EL_DIALOG, ">");
    switch (f->kind) {
    case UI_FIELD_LABEL: {
        if (f->h <= 1) {
            ui_draw_text(pw, x, y, fw, el, f->text);
            break;
        }
        char **lines;
        size_t n = ui_text_wrap(f->text, fw, &lines);
        for (size_t i = 0; i < n && (int)i < (f->h > 0 ? f->h : 1); i++)
            ui_draw_text(pw, x, y + (int)i, fw, el, lines[i]);
        ui_text_lines_free(lines, n);
        break;
    }
    case UI_FIELD_TEXT: {
        ui_draw_text(pw, x, y, f->label_w - 1, el, f->label);
        int vx = x + f->label_w;
        int vw = fw - f->label_w - 3; /* [ ] and the error mark */
        if (vw < 1)
            vw = 1;
        int fel = dis ? UI_EL_DISABLED : focused ? UI_EL_FIELD_FOCUS : UI_EL_FIELD;
        ui_draw_text(pw, vx, y, 1, el, "[");
        /* keep the cursor visible */
        char *before = ui_xstrndup(f->text, f->cursor);
        int ccol = ui_text_width(before);
        free(before);
        if (!focused)
            f->scroll = 0; /* show where the text starts, not where the cursor was */
        if (ccol < f->scroll)
            f->scroll = ccol;
        if (focused && ccol >= f->scroll + vw)
            f->scroll = ccol - vw + 1;
        const char *shown = f->text + ui_text_offset(f->text, f->scroll);
        if (f->secret) {
            char stars[256];
            int n = ui_text_width(shown);
            if (n > (int)sizeof stars - 1)
                n = (int)sizeof stars - 1;
            memset(stars, '*', (size_t)n);
            stars[n] = '\0';
            ui_draw_text_pad(pw, vx + 1, y, vw, fel, stars);
        } else {
            ui_draw_text_pad(pw, vx + 1, y, vw, fel, shown);
        }
        ui_draw_text(pw, vx + 1 + vw, y, 1, el, "]");
        if (f->error)
            ui_draw_text(pw, vx + 2 + vw, y, 1, UI_EL_ERROR, "!");
        if (focused)
            ui_draw_cursor(pw, vx + 1 + ccol - f->scroll, y);
        break;
    }
    case UI_FIELD_CHECK: {
        ui_draw_text(pw, x, y, 4, focused ? UI_EL_FIELD_FOCUS : el, f->value ? "[x]" : "[ ]");
        ui_draw_text(pw, x + 4, y, fw - 4, el, f->label);
        if (f->error)
            ui_draw_text(pw, x + 4 + ui_text_width(f->label) + 1, y, 1, UI_EL_ERROR, "!");
        break;
    }
    case UI_FIELD_RADIO:
        for (size_t i = 0; i < f->noptions; i++) {
            int sel = (int)i == f->value;
            int oy = y + radio_row(f, (int)i);
            if (focused && sel)
                ui_draw_text(pw, x - 1, oy, 1, UI_EL_DIALOG, ">");
            ui_draw_text(pw, x, oy, 4, focused && sel ? UI_EL_FIELD_FOCUS : el,
                         sel ? "(*)" : "( )");
            ui_draw_text(pw, x + 4, oy, fw - 4, el, f->options[i]);
        }
        break;
    case UI_FIELD_DROP: {
        ui_draw_text(pw, x, y, f->label_w - 1, el, f->label);
        int vx = x + f->label_w;
        int vw = fw - f->label_w - 4;
        int fel = dis ? UI_EL_DISABLED : focused ? UI_EL_FIELD_FOCUS : UI_EL_FIELD;
        ui_draw_text(pw, vx, y, 1, el, "[");
        const char *v = f->value >= 0 && (size_t)f->value < f->noptions ? f->options[f->value] : "";
        ui_draw_text_pad(pw, vx + 1, y, vw, fel, v);
        ui_draw_text(pw, vx + 1 + vw, y, 2, el, "v]");
        break;
    }
    case UI_FIELD_LIST: {
        ui_draw_box(pw, x, y, fw, f->h, focused ? UI_EL_BORDER_FOCUS : UI_EL_DIALOG, NULL);
        struct ui_win lw = ui_win_sub(pw, x + 1, y + 1, fw - 2, f->h - 2);
        ui_list_draw(&f->list, &lw, focused, 1);
        break;
    }
    case UI_FIELD_BUTTON: {
        char buf[128];
        snprintf(buf, sizeof buf, dis ? "( %s )" : "[ %s ]", f->label);
        ui_draw_text(pw, x, y, fw,
                     focused ? UI_EL_BUTTON_FOCUS
                     : dis   ? UI_EL_DISABLED
                             : UI_EL_BUTTON,
                     buf);
        break;
    }
    }
}

/* Scrolls the page so the focused field shows. */
static void
scroll_page(struct ui_dialog *d, const struct geometry *g)
{
    struct ui_page *p = cur_page(d);
    struct ui_field *f = ui_dialog_focused(d);
    if (p == NULL)
        return;
    int bottom = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->f[i]->y + p->f[i]->h > bottom)
            bottom = p->f[i]->y + p->f[i]->h;
    if (bottom <= g->ph) {
        p->scroll = 0;
        return;
    }
    if (f == NULL || d->focus >= (int)p->n)
        return;
    int fy = f->y, fh = f->h < g->ph ? f->h : g->ph;
    if (f->kind == UI_FIELD_RADIO)
        fy += radio_row(f, f->value), fh = 1;
    if (fy < p->scroll)
        p->scroll = fy;
    if (fy + fh > p->scroll + g->ph)
        p->scroll = fy + fh - g->ph;
}

static void
dialog_draw(struct ui_layer *l, struct ui_screen *s)
{
    struct ui_dialog *d = (struct ui_dialog *)l;
    struct ui_win sw = ui_screen_win(s);
    struct geometry g;
    geometry(d, &g);
    ui_draw_fill(&sw, d->x, d->y, d->w, d->h, UI_EL_DIALOG);
    ui_draw_box(&sw, d->x, d->y, d->w, d->h, UI_EL_DIALOG_BORDER, d->title);

    if (is_tabs(d)) {
        int row_of[32], col_of[32];
        size_t nt = d->npages < 32 ? d->npages : 32;
        tab_rows(d, g.iw - 2, row_of, col_of);
        if (d->focus == -1)
            ui_draw_text(&sw, g.ix, g.tabs_y + row_of[d->cur], 1, UI_EL_DIALOG, ">");
        for (size_t i = 0; i < nt; i++) {
            char buf[128];
            int cur = i == d->cur;
            snprintf(buf, sizeof buf, cur ? "[%s]" : " %s ", d->pages[i]->title);
            ui_draw_text(&sw, g.ix + 1 + col_of[i], g.tabs_y + row_of[i], -1,
                         cur ? (d->focus == -1 ? UI_EL_BUTTON_FOCUS : UI_EL_MENU) : UI_EL_DIALOG,
                         buf);
        }
        int sep = g.tabs_y + g.ntabrows;
        ui_draw_line_cell(&sw, d->x, sep, UI_LINE_LT, UI_EL_DIALOG_BORDER);
        ui_draw_hline(&sw, d->x + 1, sep, d->w - 2, UI_EL_DIALOG_BORDER);
        ui_draw_line_cell(&sw, d->x + d->w - 1, sep, UI_LINE_RT, UI_EL_DIALOG_BORDER);
    }
    if (d->style == UI_DIALOG_WIZARD && cur_page(d)) {
        ui_draw_text(&sw, g.ix + 1, g.iy, g.iw - 2, UI_EL_HEADER, cur_page(d)->title);
        char step[32];
        snprintf(step, sizeof step, "Step %zu of %zu", d->cur + 1, d->npages);
        int stepw = ui_text_width(step);
        ui_draw_text(&sw, g.ix + g.iw - 1 - stepw, g.iy, stepw, UI_EL_DIALOG, step);
    }

    scroll_page(d, &g);
    struct ui_page *p = cur_page(d);
    /* one column left of the page area holds the focus marker */
    struct ui_win pw = ui_win_sub(&sw, g.px - 1, g.py, g.pw + 1, g.ph);
    for (size_t i = 0; p && i < p->n; i++)
        draw_field(d, &g, &pw, p->f[i], d->focus == (int)i);
    if (p != NULL && p->scroll > 0)
        ui_draw_text(&sw, d->x + d->w - 2, g.py, 1, UI_EL_DIALOG, "^");

    /* the message row: the focused field's error, else the first problem */
    char *why = NULL;
    struct ui_field *ff = ui_dialog_focused(d);
    const char *msg = NULL;
    int el = UI_EL_ERROR;
    if (ff != NULL && ff->error != NULL)
        msg = ff->error;
    else if (!ui_dialog_valid(d, &why) && why != NULL)
        msg = why;
    else if (d->message != NULL)
        msg = d->message, el = UI_EL_DIALOG;
    if (msg != NULL) {
        char *line = el == UI_EL_ERROR ? ui_xasprintf("! %s", msg) : ui_xstrdup(msg);
        char **lines;
        size_t n = ui_text_wrap(line, g.iw - 2, &lines);
        for (size_t i = 0; i < n && (int)i < g.msg_rows; i++)
            ui_draw_text(&sw, g.ix + 1, g.msg_y + (int)i, g.iw - 2, el, lines[i]);
        ui_text_lines_free(lines, n);
        free(line);
    }
    free(why);

    /* buttons, right-aligned */
    int total = 0;
    for (size_t i = 0; i < d->nbuttons; i++)
        if (button_visible(d, d->buttons[i]))
            total += ui_text_width(d->buttons[i]->label) + 5;
    int bx = d->x + d->w - 1 - total - 1;
    if (bx < g.ix)
        bx = g.ix;
    size_t np = p ? p->n : 0;
    for (size_t i = 0; i < d->nbuttons; i++) {
        struct ui_field *b = d->buttons[i];
        if (!button_visible(d, b))
            continue;
        int focused = d->focus == (int)(np + i);
        int en = button_enabled(d, b);
        char buf[128];
        snprintf(buf, sizeof buf, en ? "[ %s ]" : "( %s )", b->label);
        if (focused)
            ui_draw_text(&sw, bx, g.buttons_y, 1, UI_EL_DIALOG, ">");
        bx += 1;
        bx += ui_draw_text(&sw, bx, g.buttons_y, -1,
                           focused ? UI_EL_BUTTON_FOCUS
                           : en    ? UI_EL_BUTTON
                                   : UI_EL_DISABLED,
                           buf);
    }
}

static int
dialog_unsaved(struct ui_layer *l)
{
    struct ui_dialog *d = (struct ui_dialog *)l;
    if (d->ops != NULL && d->ops->unsaved != NULL)
        return d->ops->unsaved(d);
    /* a wizard's answers so far are lost if it goes: quitting asks first */
    return d->style == UI_DIALOG_WIZARD;
}

static void
dialog_destroy(struct ui_layer *l)
{
    struct ui_dialog *d = (struct ui_dialog *)l;
    if (d->ops != NULL && d->ops->destroy != NULL)
        d->ops->destroy(d);
    for (size_t pg = 0; pg < d->npages; pg++) {
        for (size_t i = 0; i < d->pages[pg]->n; i++)
            field_free(d->pages[pg]->f[i]);
        free(d->pages[pg]->f);
        free(d->pages[pg]->title);
        free(d->pages[pg]);
    }
    free(d->pages);
    for (size_t i = 0; i < d->nbuttons; i++)
        field_free(d->buttons[i]);
    free(d->buttons);
    free(d->title);
    free(d->message);
    free(d);
}

/* What the message row shows (a field's error or why the dialog is invalid), allocated; or NULL. */
static char *
dialog_problem(struct ui_dialog *d)
{
    struct ui_field *ff = ui_dialog_focused(d);
    if (ff != NULL && ff->error != NULL)
        return ui_xstrdup(ff->error);
    char *why = NULL;
    if (!ui_dialog_valid(d, &why) && why != NULL)
        return why;
    free(why);
    return NULL;
}

static void
press_button(struct ui_dialog *d, struct ui_field *b)
{
    if (!button_enabled(d, b)) {
        /*
         * The message row holds two lines at most: pressing the button
         * that a cut problem holds back shows the whole of it.
         */
        enum ui_button_role role = (enum ui_button_role)b->value;
        int held = role == UI_BUTTON_OK || role == UI_BUTTON_NEXT || role == UI_BUTTON_FINISH;
        char *why = held ? dialog_problem(d) : NULL;
        if (why != NULL) {
            struct geometry g;
            geometry(d, &g);
            char *line = ui_xasprintf("! %s", why);
            char **lines;
            size_t n = ui_text_wrap(line, g.iw - 2, &lines);
            ui_text_lines_free(lines, n);
            free(line);
            if ((int)n > g.msg_rows) /* cut: only the box shows it whole */
                ui_message(d->layer.app, d->title ? d->title : "", why);
        }
        free(why);
        return;
    }
    enum ui_button_role role = (enum ui_button_role)b->value;
    switch (role) {
    case UI_BUTTON_BACK:
        ui_dialog_set_page(d, d->cur - 1);
        return;
    case UI_BUTTON_NEXT:
        ui_dialog_set_page(d, d->cur + 1);
        return;
    default:
        break;
    }
    /*
     * A recorded session keeps what OK, Apply or Finish did, as the commands
     * F2 would show now: taken before the hook (which may close, and free,
     * the dialog), kept only if the hook committed something.
     */
    struct ui_app *app = d->layer.app;
    char *record = NULL, *title = NULL;
    int64_t before = 0;
    unsigned seq = app->record_seq; /* a hook that records itself (a file written) is not twice */
    if (app->record_path != NULL && d->ops != NULL && d->ops->command != NULL &&
        (role == UI_BUTTON_OK || role == UI_BUTTON_APPLY || role == UI_BUTTON_FINISH) &&
        ui_app_changes(app, &before) == CC_OK) {
        char *why = NULL;
        record = d->ops->command(d, &why);
        free(why);
        title = ui_xstrdup(d->title ? d->title : "");
    }
    if (d->ops != NULL && d->ops->button != NULL)
        d->ops->button(d, b, role);
    else if (role == UI_BUTTON_CANCEL || role == UI_BUTTON_OK || role == UI_BUTTON_FINISH)
        ui_dialog_close(d);
    int64_t after = before;
    if (record != NULL && app->record_seq == seq && ui_app_changes(app, &after) == CC_OK &&
        after != before)
        ui_record(app, title, record);
    free(record);
    free(title);
}

static struct ui_field *
button_with_role(struct ui_dialog *d, enum ui_button_role role)
{
    for (size_t i = 0; i < d->nbuttons; i++)
        if (d->buttons[i]->value == (int)role && button_visible(d, d->buttons[i]))
            return d->buttons[i];
    return NULL;
}

static void
press_default(struct ui_dialog *d)
{
    if (d->default_no) {
        focus_step(d, 1);
        return;
    }
    static const enum ui_button_role order[] = {UI_BUTTON_OK, UI_BUTTON_NEXT, UI_BUTTON_FINISH};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        struct ui_field *b = button_with_role(d, order[i]);
        if (b != NULL) {
            press_button(d, b);
            return;
        }
    }
}

static void
field_changed(struct ui_dialog *d, struct ui_field *f)
{
    /*
     * A refusal of the last OK ("! ...") was about the values then: once
     * one changes it may no longer hold, and a stale reason misleads. The
     * next OK says again if it still does.
     */
    if (d->message != NULL && strncmp(d->message, "! ", 2) == 0) {
        free(d->message);
        d->message = NULL;
    }
    if (f->changed != NULL)
        f->changed(d, f);
}

static void
drop_chosen(void *ctx, int id)
{
    struct ui_dialog *d = ctx;
    struct ui_field *f = ui_dialog_focused(d);
    if (f == NULL || f->kind != UI_FIELD_DROP || d->layer.closed)
        return;
    f->value = id;
    field_changed(d, f);
}

static void
drop_open(struct ui_dialog *d, struct ui_field *f)
{
    struct geometry g;
    geometry(d, &g);
    struct ui_menu_item *items = ui_xcalloc(f->noptions ? f->noptions : 1, sizeof *items);
    for (size_t i = 0; i < f->noptions; i++) {
        items[i].label = f->options[i];
        items[i].id = (int)i;
    }
    /* the menu copies nothing: keep the items with the field until it closes */
    ui_menu_open(d->layer.app, NULL, g.px + f->x + f->label_w,
                 g.py + f->y - cur_page(d)->scroll + 1, items, f->noptions, drop_chosen, d);
    /* it opens on the current value, as a Windows drop-down does */
    menu_select_top(d->layer.app, f->value);
    free(f->priv);
    f->priv = items;
}

/* Text editing; returns 1 when the key was used. */
static int
text_key(struct ui_dialog *d, struct ui_field *f, int key)
{
    size_t len = strlen(f->text);
    if (ui_key_is_text(key)) {
        char enc[5];
        size_t n = ui_utf8_encode((uint32_t)key, enc);
        char *t = ui_xmalloc(len + n + 1);
        memcpy(t, f->text, f->cursor);
        memcpy(t + f->cursor, enc, n);
        memcpy(t + f->cursor + n, f->text + f->cursor, len - f->cursor + 1);
        free(f->text);
        f->text = t;
        f->cursor += n;
        field_changed(d, f);
        return 1;
    }
    enum ui_action a = ui_action_lookup(key, UI_CTX_TEXT);
    size_t c = f->cursor;
    int edited = 0;
    switch (a) {
    case UI_A_TEXT_LEFT:
        while (c > 0 && ((unsigned char)f->text[--c] & 0xc0) == 0x80)
            ;
        break;
    case UI_A_TEXT_RIGHT:
        if (c < len)
            while (++c < len && ((unsigned char)f->text[c] & 0xc0) == 0x80)
                ;
        break;
    case UI_A_TEXT_START:
        c = 0;
        break;
    case UI_A_TEXT_END:
        c = len;
        break;
    case UI_A_TEXT_BACKSPACE:
        if (c > 0) {
            size_t e = c;
            while (c > 0 && ((unsigned char)f->text[--c] & 0xc0) == 0x80)
                ;
            memmove(f->text + c, f->text + e, len - e + 1);
            edited = 1;
        }
        break;
    case UI_A_TEXT_DELETE:
        if (c < len) {
            size_t e = c;
            while (++e < len && ((unsigned char)f->text[e] & 0xc0) == 0x80)
                ;
            memmove(f->text + c, f->text + e, len - e + 1);
            edited = 1;
        }
        break;
    case UI_A_TEXT_KILL_END:
        f->text[c] = '\0';
        edited = 1;
        break;
    case UI_A_TEXT_KILL_ALL:
        f->text[0] = '\0';
        c = 0;
        edited = 1;
        break;
    case UI_A_TEXT_KILL_WORD: {
        size_t e = c;
        while (c > 0 && f->text[c - 1] == ' ')
            c--;
        while (c > 0 && f->text[c - 1] != ' ')
            c--;
        memmove(f->text + c, f->text + e, len - e + 1);
        edited = 1;
        break;
    }
    default:
        return 0;
    }
    f->cursor = c;
    if (edited)
        field_changed(d, f);
    return 1;
}

char *
ui_shell_quote(const char *s)
{
    int plain = *s != '\0';
    for (const char *p = s; plain && *p; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                strchr("-_./:=@,+%", *p) != NULL;
    if (plain)
        return ui_xstrdup(s);
    size_t n = 3;
    for (const char *p = s; *p; p++)
        n += *p == '\'' ? 4 : 1;
    char *q = ui_xmalloc(n), *o = q;
    *o++ = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    *o++ = '\'';
    *o = '\0';
    return q;
}

void
ui_command_add(char **text, const char *arg, ...)
{
    size_t len = *text ? strlen(*text) + 1 : 0;
    size_t cap = len + 64;
    char *out = ui_xmalloc(cap);
    if (*text) {
        memcpy(out, *text, len - 1);
        out[len - 1] = '\n';
    }
    memcpy(out + len, "certcon", 8);
    len += 7;
    va_list ap;
    va_start(ap, arg);
    for (const char *a = arg; a != NULL; a = va_arg(ap, const char *)) {
        char *q = ui_shell_quote(a);
        size_t n = strlen(q);
        if (len + n + 2 > cap) {
            cap = (len + n + 2) * 2;
            out = ui_xrealloc(out, cap);
        }
        out[len++] = ' ';
        memcpy(out + len, q, n + 1);
        len += n;
        free(q);
    }
    va_end(ap);
    free(*text);
    *text = out;
}

/* F2: the command line for what the dialog is about to do, so a class learns it too. */
static void
show_command(struct ui_dialog *d)
{
    struct ui_app *app = d->layer.app;
    char *why = NULL;
    char *cmd = d->ops && d->ops->command ? d->ops->command(d, &why) : NULL;
    char *text = cmd   ? ui_xasprintf("What this dialog is about to do, as a command:\n\n%s", cmd)
                 : why ? ui_xasprintf("No command yet: %s", why)
                 : d->ops && d->ops->command
                     ? ui_xstrdup("No command yet: the dialog is not ready to do anything.")
                     : ui_xstrdup("This dialog has no certcon command of its own.");
    ui_message(app, "Command line", text);
    free(text);
    free(cmd);
    free(why);
}

static void
dialog_key(struct ui_layer *l, int key)
{
    struct ui_dialog *d = (struct ui_dialog *)l;
    struct ui_field *f = ui_dialog_focused(d);
    struct ui_page *p = cur_page(d);
    int on_button = f != NULL && d->focus >= (int)(p ? p->n : 0);
    enum ui_action nav = ui_action_lookup(key, UI_CTX_NAV);
    enum ui_action dlg = ui_action_lookup(key, UI_CTX_DIALOG);

    if (dlg == UI_A_COMMAND) {
        show_command(d);
        return;
    }
    /* the field first */
    if (d->focus == -1) {
        if (nav == UI_A_COLLAPSE && d->cur > 0) {
            ui_dialog_set_page(d, d->cur - 1);
            return;
        }
        if (nav == UI_A_EXPAND && d->cur + 1 < d->npages) {
            ui_dialog_set_page(d, d->cur + 1);
            return;
        }
    } else if (on_button) {
        if (dlg == UI_A_ACTIVATE || dlg == UI_A_TOGGLE) {
            press_button(d, f);
            return;
        }
        if (nav == UI_A_COLLAPSE || nav == UI_A_EXPAND) {
            focus_step(d, nav == UI_A_EXPAND ? 1 : -1);
            return;
        }
    } else if (f != NULL) {
        switch (f->kind) {
        case UI_FIELD_TEXT:
            if (key != UI_KEY_TAB && key != UI_KEY_BTAB && key != UI_KEY_ENTER &&
                key != UI_KEY_ESC && text_key(d, f, key))
                return;
            break;
        case UI_FIELD_CHECK:
            if (dlg == UI_A_TOGGLE) {
                f->value = !f->value;
                field_changed(d, f);
                return;
            }
            if ((nav == UI_A_UP || nav == UI_A_DOWN) &&
                focus_grid(d, f, 0, nav == UI_A_DOWN ? 1 : -1))
                return;
            if ((nav == UI_A_COLLAPSE || nav == UI_A_EXPAND) &&
                focus_grid(d, f, nav == UI_A_EXPAND ? 1 : -1, 0))
                return;
            break;
        case UI_FIELD_RADIO:
            /*
             * Arrows stay inside the group, wrapping as Windows' do: an
             * arrow that left it would land on a control the user did not
             * mean to change. Tab leaves.
             */
            if ((nav == UI_A_UP || nav == UI_A_DOWN) && f->noptions > 0) {
                int n = (int)f->noptions;
                f->value = (f->value + (nav == UI_A_DOWN ? 1 : n - 1)) % n;
                field_changed(d, f);
                return;
            }
            break;
        case UI_FIELD_DROP:
            if (dlg == UI_A_TOGGLE) {
                drop_open(d, f);
                return;
            }
            if ((nav == UI_A_COLLAPSE && f->value > 0) ||
                (nav == UI_A_EXPAND && (size_t)f->value + 1 < f->noptions)) {
                f->value += nav == UI_A_EXPAND ? 1 : -1;
                field_changed(d, f);
                return;
            }
            break;
        case UI_FIELD_LIST: {
            size_t before = ui_list_selected(&f->list);
            if (ui_list_action(&f->list, nav)) {
                if (ui_list_selected(&f->list) != before)
                    field_changed(d, f);
                return;
            }
            /* a space inside a typed prefix is part of it ("Domain C") */
            if (ui_key_is_text(key) && ui_list_typeahead(&f->list, key, l->app->now_ms)) {
                if (ui_list_selected(&f->list) != before)
                    field_changed(d, f);
                return;
            }
            if (dlg == UI_A_ACTIVATE && f->pressed != NULL) {
                f->pressed(d, f);
                return;
            }
            if (dlg == UI_A_TOGGLE && f->toggled != NULL) {
                f->toggled(d, f);
                return;
            }
            break;
        }
        case UI_FIELD_BUTTON:
            if (dlg == UI_A_ACTIVATE || dlg == UI_A_TOGGLE) {
                if (f->pressed != NULL)
                    f->pressed(d, f);
                return;
            }
            break;
        case UI_FIELD_LABEL:
            break;
        }
    }

    /* then the dialog */
    if (f == NULL || f->kind != UI_FIELD_LIST) {
        if (nav == UI_A_UP || nav == UI_A_DOWN) {
            focus_step(d, nav == UI_A_DOWN ? 1 : -1);
            return;
        }
    }
    switch (dlg) {
    case UI_A_NEXT_FIELD:
        focus_step(d, 1);
        return;
    case UI_A_PREV_FIELD:
        focus_step(d, -1);
        return;
    case UI_A_NEXT_TAB:
        if (d->style == UI_DIALOG_TABS && d->cur + 1 < d->npages)
            ui_dialog_set_page(d, d->cur + 1);
        return;
    case UI_A_PREV_TAB:
        if (d->style == UI_DIALOG_TABS && d->cur > 0)
            ui_dialog_set_page(d, d->cur - 1);
        return;
    case UI_A_ACTIVATE:
        press_default(d);
        return;
    default:
        break;
    }
    if (ui_action_lookup(key, UI_CTX_GLOBAL) == UI_A_CLOSE) {
        struct ui_field *cancel = button_with_role(d, UI_BUTTON_CANCEL);
        if (cancel != NULL)
            press_button(d, cancel);
        else if (d->nbuttons <= 1)
            press_default(d); /* a message box: Esc is its OK */
    }
}

static const struct ui_layer_ops dialog_layer_ops = {
    .name = "dialog",
    .layout = dialog_layout,
    .draw = dialog_draw,
    .key = dialog_key,
    .unsaved = dialog_unsaved,
    .destroy = dialog_destroy,
};

struct ui_dialog *
ui_dialog_new(struct ui_app *app, const char *title, int w, int h, enum ui_dialog_style style,
              const struct ui_dialog_ops *ops, void *ctx)
{
    struct ui_dialog *d = ui_xcalloc(1, sizeof *d);
    d->layer.ops = &dialog_layer_ops;
    d->layer.app = app;
    d->title = ui_xstrdup(title);
    d->want_w = w;
    d->want_h = h;
    d->style = style;
    d->ops = ops;
    d->ctx = ctx;
    return d;
}

struct ui_page *
ui_dialog_add_page(struct ui_dialog *d, const char *title)
{
    struct ui_page *p = ui_xcalloc(1, sizeof *p);
    p->title = ui_xstrdup(title ? title : "");
    ui_xgrow(&d->pages, &d->cap, d->npages + 1, sizeof *d->pages);
    d->pages[d->npages++] = p;
    return p;
}

struct ui_field *
ui_dialog_add_button(struct ui_dialog *d, const char *label, enum ui_button_role role, int id)
{
    struct ui_field *b = ui_xcalloc(1, sizeof *b);
    b->kind = UI_FIELD_BUTTON;
    b->label = ui_xstrdup(label);
    b->value = (int)role;
    b->id = id;
    ui_xgrow(&d->buttons, &d->bcap, d->nbuttons + 1, sizeof *d->buttons);
    d->buttons[d->nbuttons++] = b;
    return b;
}

void
ui_dialog_show(struct ui_dialog *d)
{
    if (d->npages == 0)
        ui_dialog_add_page(d, "");
    focus_first(d);
    struct ui_field *cancel = d->default_no ? button_with_role(d, UI_BUTTON_CANCEL) : NULL;
    if (cancel != NULL)
        ui_dialog_focus(d, cancel);
    ui_app_push(d->layer.app, &d->layer);
}

void
ui_dialog_close(struct ui_dialog *d)
{
    ui_app_close(d->layer.app, &d->layer);
}

/* ---------------- message and confirm boxes ---------------- */

struct confirm {
    void (*done)(void *ctx, int yes);
    void *ctx;
};

/* Answers once: done owns ctx and frees it, so it must run exactly once. */
static void
confirm_answer(struct confirm *c, int yes)
{
    void (*done)(void *, int) = c->done;
    c->done = NULL;
    if (done != NULL)
        done(c->ctx, yes);
}

static void
confirm_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    struct confirm *c = d->ctx;
    (void)b;
    ui_dialog_close(d);
    if (c != NULL)
        confirm_answer(c, role == UI_BUTTON_OK);
}

/* A box that goes without an answer (the console closing over it) is a no. */
static void
confirm_destroy(struct ui_dialog *d)
{
    struct confirm *c = d->ctx;
    if (c != NULL)
        confirm_answer(c, 0);
    free(c);
}

static const struct ui_dialog_ops confirm_ops = {
    .button = confirm_button,
    .destroy = confirm_destroy,
};

static struct ui_dialog *
text_box(struct ui_app *app, const char *title, const char *text, const char *yes, const char *no,
         struct confirm *c)
{
    int maxw = app->cols - 6 < 68 ? app->cols - 6 : 68;
    if (maxw < 20)
        maxw = 20;
    char **lines;
    size_t n = ui_text_wrap(text, maxw - 4, &lines);
    int w = ui_text_width(title) + 8;
    for (size_t i = 0; i < n; i++)
        if (ui_text_width(lines[i]) + 5 > w)
            w = ui_text_width(lines[i]) + 5;
    int bw = ui_text_width(yes) + (no ? ui_text_width(no) + 5 : 0) + 10;
    if (bw > w)
        w = bw;
    struct ui_dialog *d =
        ui_dialog_new(app, title, w, (int)n + 5, UI_DIALOG_PLAIN, &confirm_ops, c);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    for (size_t i = 0; i < n; i++)
        ui_page_label(p, 0, (int)i, 0, lines[i]);
    ui_text_lines_free(lines, n);
    ui_dialog_add_button(d, yes, UI_BUTTON_OK, 1);
    if (no != NULL)
        ui_dialog_add_button(d, no, UI_BUTTON_CANCEL, 0);
    return d;
}

void
ui_message(struct ui_app *app, const char *title, const char *text)
{
    struct confirm *c = ui_xcalloc(1, sizeof *c);
    ui_dialog_show(text_box(app, title, text, "OK", NULL, c));
}

void
ui_confirm(struct ui_app *app, const char *title, const char *text, const char *yes, const char *no,
           void (*done)(void *ctx, int yes), void *ctx)
{
    struct confirm *c = ui_xcalloc(1, sizeof *c);
    c->done = done;
    c->ctx = ctx;
    struct ui_dialog *d = text_box(app, title, text, yes, no, c);
    d->default_no = 1;
    ui_dialog_show(d);
}

/* ---------------- menus ---------------- */

struct menu {
    struct ui_layer layer;
    char *title;
    const struct ui_menu_item *items;
    size_t n, sel;
    int ax, ay; /* anchor */
    int x, y, w, h;
    void (*chosen)(void *ctx, int id);
    void *ctx;
    struct menu *parent;
    char typed[32]; /* type-ahead prefix */
};

static void
menu_layout(struct ui_layer *l, int cols, int rows)
{
    struct menu *m = (struct menu *)l;
    int w = m->title ? ui_text_width(m->title) + 4 : 0;
    for (size_t i = 0; i < m->n; i++) {
        int iw = ui_text_width(m->items[i].label) + (m->items[i].sub ? 6 : 4);
        if (iw > w)
            w = iw;
    }
    m->w = w + 2 < cols ? w + 2 : cols;
    m->h = (int)m->n + 2 < rows ? (int)m->n + 2 : rows;
    m->x = m->ax < 0 ? (cols - m->w) / 2 : m->ax;
    m->y = m->ay < 0 ? (rows - m->h) / 2 : m->ay;
    if (m->x + m->w > cols)
        m->x = cols - m->w;
    if (m->y + m->h > rows - 1)
        m->y = rows - 1 - m->h;
    if (m->x < 0)
        m->x = 0;
    if (m->y < 0)
        m->y = 0;
}

static void
menu_draw(struct ui_layer *l, struct ui_screen *s)
{
    struct menu *m = (struct menu *)l;
    struct ui_win sw = ui_screen_win(s);
    ui_draw_fill(&sw, m->x, m->y, m->w, m->h, UI_EL_MENU);
    ui_draw_box(&sw, m->x, m->y, m->w, m->h, UI_EL_MENU, m->title);
    struct ui_win iw = ui_win_sub(&sw, m->x + 1, m->y + 1, m->w - 2, m->h - 2);
    size_t top = m->sel >= (size_t)iw.h && iw.h > 0 ? m->sel - (size_t)iw.h + 1 : 0;
    for (int r = 0; r < iw.h && top + (size_t)r < m->n; r++) {
        size_t i = top + (size_t)r;
        int sel = i == m->sel;
        int el = sel ? UI_EL_MENU_SELECTED : UI_EL_MENU;
        if (sel)
            ui_draw_fill(&iw, 0, r, iw.w, 1, el);
        ui_draw_text(&iw, 0, r, 1, el, sel ? ">" : " ");
        ui_draw_text(&iw, 2, r, iw.w - 4, el, m->items[i].label);
        if (m->items[i].sub)
            ui_draw_text(&iw, iw.w - 2, r, 1, el, ">");
    }
}

static void
menu_close_chain(struct menu *m)
{
    for (; m != NULL; m = m->parent)
        ui_app_close(m->layer.app, &m->layer);
}

static void menu_push(struct ui_app *app, const char *title, int x, int y,
                      const struct ui_menu_item *items, size_t n, void (*chosen)(void *ctx, int id),
                      void *ctx, struct menu *parent);

static void
menu_choose(struct menu *m)
{
    if (m->n == 0)
        return;
    const struct ui_menu_item *it = &m->items[m->sel];
    if (it->sub != NULL) {
        menu_push(m->layer.app, NULL, m->x + m->w - 1, m->y + 1 + (int)m->sel, it->sub, it->nsub,
                  m->chosen, m->ctx, m);
        return;
    }
    void (*chosen)(void *, int) = m->chosen;
    void *ctx = m->ctx;
    int id = it->id;
    menu_close_chain(m);
    if (chosen != NULL)
        chosen(ctx, id);
}

static void
menu_key(struct ui_layer *l, int key)
{
    struct menu *m = (struct menu *)l;
    enum ui_action nav = ui_action_lookup(key, UI_CTX_NAV);
    if (!ui_key_is_text(key))
        m->typed[0] = '\0';
    switch (nav) {
    case UI_A_UP:
        m->sel = m->sel > 0 ? m->sel - 1 : (m->n ? m->n - 1 : 0);
        return;
    case UI_A_DOWN:
        m->sel = m->sel + 1 < m->n ? m->sel + 1 : 0;
        return;
    case UI_A_HOME:
    case UI_A_PGUP:
        m->sel = 0;
        return;
    case UI_A_END:
    case UI_A_PGDN:
        m->sel = m->n ? m->n - 1 : 0;
        return;
    case UI_A_EXPAND:
        if (m->n && m->items[m->sel].sub)
            menu_choose(m);
        return;
    case UI_A_COLLAPSE:
        if (m->parent != NULL)
            ui_app_close(l->app, l);
        return;
    default:
        break;
    }
    if (key == UI_KEY_ENTER || (key == ' ' && m->typed[0] == '\0')) {
        menu_choose(m);
        return;
    }
    if (ui_action_lookup(key, UI_CTX_GLOBAL) == UI_A_CLOSE) {
        ui_app_close(l->app, l);
        return;
    }
    if (ui_key_is_text(key) && key < 0x80 && m->n > 0) {
        /*
         * Type-ahead as in lists: letters add up to a prefix; a prefix no
         * item has starts again from the letter just typed.
         */
        size_t len = strlen(m->typed);
        for (int pass = 0; pass < 2; pass++) {
            if (len + 1 < sizeof m->typed) {
                m->typed[len] = (char)key;
                m->typed[len + 1] = '\0';
            }
            size_t from = len == 0 ? m->sel + 1 : m->sel;
            for (size_t k = 0; k < m->n; k++) {
                size_t i = (from + k) % m->n;
                if (strncasecmp(m->items[i].label, m->typed, strlen(m->typed)) == 0) {
                    m->sel = i;
                    return;
                }
            }
            m->typed[0] = '\0';
            len = 0;
        }
        return;
    }
    m->typed[0] = '\0';
}

static void
menu_destroy(struct ui_layer *l)
{
    struct menu *m = (struct menu *)l;
    free(m->title);
    free(m);
}

static const struct ui_layer_ops menu_layer_ops = {
    .name = "menu",
    .layout = menu_layout,
    .draw = menu_draw,
    .key = menu_key,
    .destroy = menu_destroy,
};

static void
menu_push(struct ui_app *app, const char *title, int x, int y, const struct ui_menu_item *items,
          size_t n, void (*chosen)(void *ctx, int id), void *ctx, struct menu *parent)
{
    struct menu *m = ui_xcalloc(1, sizeof *m);
    m->layer.ops = &menu_layer_ops;
    m->layer.app = app;
    m->title = title ? ui_xstrdup(title) : NULL;
    m->items = items;
    m->n = n;
    m->ax = x;
    m->ay = y;
    m->chosen = chosen;
    m->ctx = ctx;
    m->parent = parent;
    ui_app_push(app, &m->layer);
}

void
ui_menu_open(struct ui_app *app, const char *title, int x, int y, const struct ui_menu_item *items,
             size_t n, void (*chosen)(void *ctx, int id), void *ctx)
{
    menu_push(app, title, x, y, items, n, chosen, ctx, NULL);
}

static void
menu_select_top(struct ui_app *app, int item)
{
    struct ui_layer *l = app->top;
    if (l == NULL || l->ops != &menu_layer_ops || item < 0)
        return;
    struct menu *m = (struct menu *)l;
    if ((size_t)item < m->n)
        m->sel = (size_t)item;
}
