/*
 * The virtual list and the in-memory source (see list.h). Every operation
 * on the list costs the same whatever the number of rows: moving is
 * arithmetic on the selection and the first visible row, and drawing asks
 * the source only for the rows in the window.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "list.h"
#include "mem.h"
#include "theme.h"

void
ui_list_layout_columns(const struct ui_column *cols, size_t ncols, int total, int *widths)
{
    /*
     * Preferred widths, the last column taking the rest; when that leaves
     * the last column fewer than LAST_MIN, the first (the name, usually the
     * widest) gives up columns down to FIRST_MIN, as MMC narrows it.
     */
    enum { LAST_MIN = 12, FIRST_MIN = 12 };
    int fixed = 0;
    for (size_t i = 0; i + 1 < ncols; i++)
        fixed += cols[i].width;
    int shrink = 0;
    if (ncols > 1 && total - fixed < LAST_MIN) {
        shrink = fixed + LAST_MIN - total;
        if (cols[0].width - shrink < FIRST_MIN)
            shrink = cols[0].width > FIRST_MIN ? cols[0].width - FIRST_MIN : 0;
    }
    int used = 0;
    for (size_t i = 0; i < ncols; i++) {
        int w = cols[i].width - (i == 0 ? shrink : 0);
        if (i + 1 == ncols)
            w = total - used;
        else if (used + w > total)
            w = total - used;
        if (w < 0)
            w = 0;
        widths[i] = w;
        used += w;
    }
}

void
ui_list_init(struct ui_list *l, const struct ui_column *cols, size_t ncols,
             const struct ui_list_source *src, void *ctx)
{
    memset(l, 0, sizeof *l);
    l->cols = cols;
    l->ncols = ncols;
    l->src = src;
    l->ctx = ctx;
    l->show_header = 1;
    l->height = 1;
    ui_list_refresh(l);
}

void
ui_list_free(struct ui_list *l)
{
    free(l->filter);
    l->filter = NULL;
}

static void
scroll_to_selection(struct ui_list *l)
{
    size_t h = l->height > 0 ? (size_t)l->height : 1;
    if (l->count == 0) {
        l->sel = l->top = 0;
        return;
    }
    if (l->sel >= l->count)
        l->sel = l->count - 1;
    if (l->sel < l->top)
        l->top = l->sel;
    if (l->sel >= l->top + h)
        l->top = l->sel - h + 1;
    /* no empty rows at the bottom while there are rows above */
    if (l->top + h > l->count)
        l->top = l->count > h ? l->count - h : 0;
}

void
ui_list_refresh(struct ui_list *l)
{
    int64_t keep = 0;
    int have = 0;
    if (l->count > 0 && l->src->row_id != NULL) {
        keep = l->src->row_id(l->ctx, l->sel);
        have = 1;
    }
    l->q.filter = l->filter;
    if (l->src->requery != NULL)
        l->src->requery(l->ctx, &l->q);
    l->count = l->src->count(l->ctx);
    if (have && l->src->find_id != NULL) {
        size_t pos = l->src->find_id(l->ctx, keep);
        if (pos != UI_LIST_NONE)
            l->sel = pos;
    }
    scroll_to_selection(l);
}

void
ui_list_set_height(struct ui_list *l, int height)
{
    l->height = height > 0 ? height : 1;
    scroll_to_selection(l);
}

void
ui_list_move(struct ui_list *l, long delta)
{
    if (l->count == 0)
        return;
    if (delta < 0 && (size_t)-delta > l->sel)
        l->sel = 0;
    else if (delta > 0 && l->sel + (size_t)delta >= l->count)
        l->sel = l->count - 1;
    else
        l->sel = (size_t)((long long)l->sel + delta);
    scroll_to_selection(l);
}

void
ui_list_select(struct ui_list *l, size_t pos)
{
    l->sel = pos;
    scroll_to_selection(l);
}

void
ui_list_sort(struct ui_list *l, int col, int descending)
{
    if (col >= (int)l->ncols)
        col = 0;
    if (col < 0)
        col = -1;
    l->q.sort_col = col;
    l->q.descending = descending;
    ui_list_refresh(l);
}

void
ui_list_set_filter(struct ui_list *l, const char *filter)
{
    free(l->filter);
    l->filter = (filter != NULL && *filter) ? ui_xstrdup(filter) : NULL;
    l->sel = 0;
    l->top = 0;
    ui_list_refresh(l);
}

void
ui_list_typeahead_reset(struct ui_list *l)
{
    l->typeahead[0] = '\0';
}

long
ui_typeahead_add(char *buf, size_t size, long long *at, int ch, long long now_ms)
{
    if (now_ms != 0 && *at != 0 && now_ms - *at > 1000)
        buf[0] = '\0';
    size_t len = strlen(buf);
    if (ch == ' ' && len == 0)
        return -1;
    *at = now_ms;
    char enc[5];
    size_t n = ui_utf8_encode((uint32_t)ch, enc);
    if (len + n < size) {
        memcpy(buf + len, enc, n);
        buf[len + n] = '\0';
    }
    return (long)len;
}

int
ui_list_typeahead(struct ui_list *l, int ch, long long now_ms)
{
    long len = ui_typeahead_add(l->typeahead, sizeof l->typeahead, &l->typeahead_at, ch, now_ms);
    if (len < 0)
        return 0;
    if (l->src->find == NULL || l->count == 0)
        return 1;
    /* a longer prefix may still match the current row; a new one moves on */
    size_t from = len == 0 ? l->sel + 1 : l->sel;
    if (from >= l->count)
        from = 0;
    size_t pos = l->src->find(l->ctx, l->typeahead, from);
    if (pos != UI_LIST_NONE)
        ui_list_select(l, pos);
    return 1;
}

int
ui_list_action(struct ui_list *l, enum ui_action a)
{
    long page = l->height > 1 ? l->height - 1 : 1;
    switch (a) {
    case UI_A_UP:
        ui_list_move(l, -1);
        break;
    case UI_A_DOWN:
        ui_list_move(l, 1);
        break;
    case UI_A_PGUP:
        ui_list_move(l, -page);
        break;
    case UI_A_PGDN:
        ui_list_move(l, page);
        break;
    case UI_A_HOME:
        ui_list_select(l, 0);
        break;
    case UI_A_END:
        if (l->count > 0)
            ui_list_select(l, l->count - 1);
        break;
    case UI_A_COLLAPSE:
        if (l->hscroll > 0)
            l->hscroll--;
        break;
    case UI_A_EXPAND:
        /* the next draw brings it back to hmax: a key may come before any draw */
        if ((size_t)l->hscroll + 1 < l->ncols)
            l->hscroll++;
        break;
    default:
        return 0;
    }
    ui_list_typeahead_reset(l);
    return 1;
}

size_t
ui_list_selected(const struct ui_list *l)
{
    return l->count == 0 ? UI_LIST_NONE : l->sel;
}

void
ui_list_show_column(struct ui_list *l, size_t col, int show)
{
    if (col >= l->ncols || col >= 32)
        return;
    unsigned bit = 1u << col;
    if (show) {
        l->hidden &= ~bit;
        return;
    }
    for (size_t c = 0; c < l->ncols && c < 32; c++)
        if (c != col && !(l->hidden & (1u << c))) {
            l->hidden |= bit;
            if (l->hscroll > 0)
                l->hscroll--;
            return;
        }
}

int
ui_list_column_shown(const struct ui_list *l, size_t col)
{
    return col < l->ncols && (col >= 32 || !(l->hidden & (1u << col)));
}

/*
 * The columns to draw for a width of total: the shown ones from hscroll
 * on, their indices into idx[] and their widths into widths[]; returns how
 * many. Sets hmax.
 */
static size_t
visible_columns(struct ui_list *l, int total, size_t *idx, int *widths)
{
    struct ui_column cols[16] = {{NULL, 0}};
    size_t shown[16], n = 0;
    for (size_t c = 0; c < l->ncols && c < 16; c++)
        if (ui_list_column_shown(l, c))
            shown[n++] = c;
    /* the furthest start that still needs scrolling to: from there on, all fit */
    int hmax = 0, rest = 0;
    for (size_t k = n; k-- > 0;) {
        rest += l->cols[shown[k]].width;
        if (rest > total) {
            hmax = (int)k + 1;
            break;
        }
    }
    if (hmax > (int)n - 1)
        hmax = n > 0 ? (int)n - 1 : 0;
    l->hmax = hmax;
    if (l->hscroll > hmax)
        l->hscroll = hmax;
    if (l->hscroll < 0)
        l->hscroll = 0;
    size_t m = 0;
    for (size_t k = (size_t)l->hscroll; k < n; k++) {
        idx[m] = shown[k];
        cols[m] = l->cols[shown[k]];
        m++;
    }
    ui_list_layout_columns(cols, m, total, widths);
    return m;
}

void
ui_list_draw(struct ui_list *l, const struct ui_win *w, int focused, int marker)
{
    int widths[16];
    size_t idx[16];
    int mw = marker ? 1 : 0;
    int row = 0;
    size_t ncols = visible_columns(l, w->w - mw, idx, widths);
    if (l->show_header) {
        int x = mw;
        ui_draw_fill(w, 0, 0, w->w, 1, UI_EL_HEADER);
        for (size_t k = 0; k < ncols; k++) {
            size_t c = idx[k];
            /* the sort mark replaces the end of a title too long to keep it */
            int sorted = (int)c == l->q.sort_col && (l->q.sort_col != 0 || l->q.descending);
            int avail = widths[k] - 1;
            int used = ui_draw_text(w, x + 1, 0, sorted ? avail - 2 : avail, UI_EL_HEADER,
                                    l->cols[c].title);
            if (sorted && avail >= 2)
                ui_draw_text(w, x + 1 + used + 1, 0, 1, UI_EL_HEADER, l->q.descending ? "v" : "^");
            x += widths[k];
        }
        /* columns scrolled off to the left: Left brings them back */
        if (l->hscroll > 0)
            ui_draw_text(w, 0, 0, 1, UI_EL_HEADER, "<");
        row = 1;
    }
    int rows = w->h - row;
    if (rows != l->height)
        ui_list_set_height(l, rows);
    for (int r = 0; r < rows; r++) {
        size_t pos = l->top + (size_t)r;
        if (pos >= l->count)
            break;
        int selected = pos == l->sel;
        int el = selected ? (focused ? UI_EL_SELECTED : UI_EL_SELECTED_DIM) : UI_EL_NORMAL;
        if (selected)
            ui_draw_fill(w, 0, row + r, w->w, 1, el);
        if (marker && selected)
            ui_draw_text(w, 0, row + r, 1, el, focused ? ">" : "*");
        int x = mw;
        for (size_t k = 0; k < ncols; k++) {
            char buf[256];
            const char *text = l->src->cell(l->ctx, pos, (int)idx[k], buf, sizeof buf);
            ui_draw_text(w, x + 1, row + r, widths[k] - 1, el, text);
            x += widths[k];
        }
    }
    if (l->count == 0 && rows > 0)
        ui_draw_text(w, mw + 1, row, w->w - mw - 1, UI_EL_DISABLED,
                     l->filter ? "(no items match the filter)" : "(no items)");
}

/* ---------------- in-memory source ---------------- */

struct memrow {
    int64_t id;
    char **cells;
};

struct ui_memsource {
    size_t ncols;
    struct memrow *rows;
    size_t nrows, cap;
    size_t *index; /* positions in query order -> rows */
    size_t nindex;
    struct ui_list_query q;
};

struct ui_memsource *
ui_memsource_new(size_t ncols)
{
    struct ui_memsource *m = ui_xcalloc(1, sizeof *m);
    m->ncols = ncols;
    return m;
}

void
ui_memsource_clear(struct ui_memsource *m)
{
    for (size_t i = 0; i < m->nrows; i++) {
        for (size_t c = 0; c < m->ncols; c++)
            free(m->rows[i].cells[c]);
        free(m->rows[i].cells);
    }
    m->nrows = 0;
    free(m->index);
    m->index = NULL;
    m->nindex = 0;
}

void
ui_memsource_free(struct ui_memsource *m)
{
    if (m == NULL)
        return;
    ui_memsource_clear(m);
    free(m->rows);
    free(m);
}

void
ui_memsource_add(struct ui_memsource *m, int64_t id, const char *const *cells)
{
    ui_xgrow(&m->rows, &m->cap, m->nrows + 1, sizeof *m->rows);
    struct memrow *r = &m->rows[m->nrows++];
    r->id = id;
    r->cells = ui_xcalloc(m->ncols, sizeof *r->cells);
    for (size_t c = 0; c < m->ncols; c++)
        r->cells[c] = ui_xstrdup(cells[c] ? cells[c] : "");
}

size_t
ui_memsource_rows(const struct ui_memsource *m)
{
    return m->nrows;
}

int
ui_natural_compare(const char *a, const char *b)
{
    while (*a && *b) {
        if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            while (*a == '0')
                a++;
            while (*b == '0')
                b++;
            size_t na = 0, nb = 0;
            while (isdigit((unsigned char)a[na]))
                na++;
            while (isdigit((unsigned char)b[nb]))
                nb++;
            if (na != nb)
                return na < nb ? -1 : 1;
            int c = strncmp(a, b, na);
            if (c != 0)
                return c;
            a += na;
            b += nb;
            continue;
        }
        int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
        if (ca != cb)
            return ca < cb ? -1 : 1;
        a++;
        b++;
    }
    return (*a != '\0') - (*b != '\0');
}

/* qsort has no context argument; the comparison reads these. */
static const struct ui_memsource *sorting;

static int
compare_rows(const void *pa, const void *pb)
{
    size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
    int col = sorting->q.sort_col;
    int c = ui_natural_compare(sorting->rows[ia].cells[col], sorting->rows[ib].cells[col]);
    if (c == 0)
        c = ia < ib ? -1 : ia > ib; /* stable */
    else if (sorting->q.descending)
        c = -c;
    return c;
}

static int
row_matches(const struct ui_memsource *m, const struct memrow *r, const char *filter)
{
    if (filter == NULL || *filter == '\0')
        return 1;
    size_t fl = strlen(filter);
    for (size_t c = 0; c < m->ncols; c++)
        for (const char *p = r->cells[c]; *p; p++)
            if (strncasecmp(p, filter, fl) == 0)
                return 1;
    return 0;
}

static void
mem_requery(void *ctx, const struct ui_list_query *q)
{
    struct ui_memsource *m = ctx;
    m->q = *q;
    if (m->q.sort_col >= (int)m->ncols)
        m->q.sort_col = 0;
    free(m->index);
    m->index = ui_xcalloc(m->nrows ? m->nrows : 1, sizeof *m->index);
    m->nindex = 0;
    for (size_t i = 0; i < m->nrows; i++)
        if (row_matches(m, &m->rows[i], q->filter))
            m->index[m->nindex++] = i;
    if (m->q.sort_col >= 0) { /* a negative column keeps the order rows were added in */
        sorting = m;
        qsort(m->index, m->nindex, sizeof *m->index, compare_rows);
        sorting = NULL;
    }
}

static size_t
mem_count(void *ctx)
{
    struct ui_memsource *m = ctx;
    return m->index ? m->nindex : m->nrows;
}

static size_t
mem_row(const struct ui_memsource *m, size_t pos)
{
    return m->index ? m->index[pos] : pos;
}

static const char *
mem_cell(void *ctx, size_t pos, int col, char *buf, size_t size)
{
    (void)buf;
    (void)size;
    struct ui_memsource *m = ctx;
    if (pos >= mem_count(m) || col < 0 || (size_t)col >= m->ncols)
        return "";
    return m->rows[mem_row(m, pos)].cells[col];
}

static size_t
mem_find(void *ctx, const char *prefix, size_t from)
{
    struct ui_memsource *m = ctx;
    size_t n = mem_count(m), pl = strlen(prefix);
    int col = m->index && m->q.sort_col > 0 ? m->q.sort_col : 0;
    for (size_t k = 0; k < n; k++) {
        size_t pos = (from + k) % n;
        if (strncasecmp(m->rows[mem_row(m, pos)].cells[col], prefix, pl) == 0)
            return pos;
    }
    return UI_LIST_NONE;
}

static int64_t
mem_row_id(void *ctx, size_t pos)
{
    struct ui_memsource *m = ctx;
    return pos < mem_count(m) ? m->rows[mem_row(m, pos)].id : 0;
}

static size_t
mem_find_id(void *ctx, int64_t id)
{
    struct ui_memsource *m = ctx;
    for (size_t pos = 0; pos < mem_count(m); pos++)
        if (m->rows[mem_row(m, pos)].id == id)
            return pos;
    return UI_LIST_NONE;
}

const struct ui_list_source ui_memsource_ops = {
    .requery = mem_requery,
    .count = mem_count,
    .cell = mem_cell,
    .find = mem_find,
    .row_id = mem_row_id,
    .find_id = mem_find_id,
};
