/*
 * The console window: title line, console tree, results pane and status
 * line, as DESIGN.md's picture shows. It is the bottom layer of the app's
 * stack. The tree holds the nodes the snap-ins add; the results pane is a
 * virtual list over the selected node's source. Nothing here knows what a
 * template or a group is: node types do (snap.h).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action.h"
#include "clock.h"
#include "keys.h"
#include "mem.h"
#include "snap.h"
#include "status.h"
#include "theme.h"

/* The snap-ins, in tree order: adding one is one line here. */
static const struct ui_snapin *const snapins[] = {
    &ui_snapin_aduc,  &ui_snapin_templates, &ui_snapin_ca,
    &ui_snapin_certs, &ui_snapin_gpo,       &ui_snapin_lab,
};

struct ui_console {
    struct ui_layer layer;
    struct ui_node *root;
    struct ui_node *sel;   /* selected tree node */
    struct ui_node *shown; /* node whose results are listed */
    size_t tree_top;
    int focus; /* 0 tree, 1 results */
    struct ui_list list;
    char tree_typed[64]; /* the tree's type-ahead prefix */
    long long tree_typed_at;
    int filtering; /* the status line is the filter prompt */
    char filter[128];
    /* layout */
    int cols, rows, tree_w;
    const struct ui_menu_item *menu_items;
    int64_t menu_row;
    int menu_has_row;
    struct ui_menu_item menu_buf[16]; /* a node's menu with View added */
};

/* ---------------- nodes ---------------- */

struct ui_node *
ui_node_add(struct ui_node *parent, const char *label, const struct ui_node_type *type, void *data)
{
    struct ui_node *n = ui_xcalloc(1, sizeof *n);
    n->label = ui_xstrdup(label);
    n->type = type;
    n->data = data;
    n->parent = parent;
    n->rows = ui_memsource_new(type && type->ncols ? type->ncols : 1);
    if (parent != NULL) {
        n->app = parent->app;
        ui_xgrow(&parent->kids, &parent->cap, parent->nkids + 1, sizeof *parent->kids);
        parent->kids[parent->nkids++] = n;
    }
    return n;
}

void
ui_node_free(struct ui_node *n)
{
    if (n == NULL)
        return;
    for (size_t i = 0; i < n->nkids; i++)
        ui_node_free(n->kids[i]);
    if (n->type != NULL && n->type->destroy != NULL)
        n->type->destroy(n);
    ui_memsource_free(n->rows);
    free(n->kids);
    free(n->label);
    free(n);
}

static const struct ui_column later_cols[] = {{"Name", 30}};

static void
later_load(struct ui_node *n)
{
    const char *row[] = {"(this view is available in a later version)"};
    ui_memsource_clear(n->rows);
    ui_memsource_add(n->rows, 0, row);
}

const struct ui_node_type ui_node_later = {
    .name = "later",
    .cols = later_cols,
    .ncols = 1,
    .noun = "item",
    .nouns = "items",
    .load = later_load,
    .keep_order = 1,
};

static void
folder_load(struct ui_node *n)
{
    ui_memsource_clear(n->rows);
    for (size_t i = 0; i < n->nkids; i++) {
        const char *row[] = {n->kids[i]->label};
        ui_memsource_add(n->rows, (int64_t)i, row);
    }
}

const struct ui_node_type ui_node_folder = {
    .name = "folder",
    .cols = later_cols,
    .ncols = 1,
    .noun = "item",
    .nouns = "items",
    .load = folder_load,
    .keep_order = 1,
};

void
ui_show_error(struct ui_app *app, const char *title, int status, const char *cause)
{
    char *text = cause != NULL && *cause ? ui_xasprintf("%s", cause)
                                         : ui_xasprintf("%s", cc_strerror(status));
    ui_message(app, title, text);
    free(text);
}

/* ---------------- the tree ---------------- */

/* Visits the visible nodes in order; returns the count, fills out[] up to max. */
static size_t
tree_flatten(struct ui_node *n, int depth, struct ui_node **out, int *depths, size_t at, size_t max)
{
    for (size_t i = 0; i < n->nkids; i++) {
        if (at < max) {
            out[at] = n->kids[i];
            depths[at] = depth;
        }
        at++;
        if (n->kids[i]->expanded)
            at = tree_flatten(n->kids[i], depth + 1, out, depths, at, max);
    }
    return at;
}

#define TREE_MAX 512

static size_t
tree_index(struct ui_console *c, struct ui_node **rows, int *depths)
{
    size_t n = tree_flatten(c->root, 0, rows, depths, 0, TREE_MAX);
    return n < TREE_MAX ? n : TREE_MAX;
}

static void
show_node(struct ui_console *c, struct ui_node *n)
{
    if (c->shown == n && n != NULL)
        return;
    ui_list_free(&c->list);
    c->shown = n;
    if (n == NULL)
        return;
    if (n->type && n->type->load)
        n->type->load(n);
    const struct ui_list_source *src = n->source ? n->source : &ui_memsource_ops;
    void *ctx = n->source ? n->source_ctx : n->rows;
    ui_list_init(&c->list, n->type->cols, n->type->ncols, src, ctx);
    c->list.hidden = n->hidden_cols;
    if (n->type->keep_order) {
        ui_list_sort(&c->list, -1, 0);
        ui_list_select(&c->list, 0);
    }
    c->filter[0] = '\0';
}

static void
tree_select(struct ui_console *c, struct ui_node *n)
{
    c->sel = n;
    show_node(c, n);
}

static void
tree_move(struct ui_console *c, long delta)
{
    struct ui_node *rows[TREE_MAX];
    int depths[TREE_MAX];
    size_t n = tree_index(c, rows, depths);
    size_t cur = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i] == c->sel)
            cur = i;
    long pos = (long)cur + delta;
    if (pos < 0)
        pos = 0;
    if (pos >= (long)n)
        pos = (long)n - 1;
    if (n > 0)
        tree_select(c, rows[pos]);
}

static int
tree_action(struct ui_console *c, enum ui_action a, int page)
{
    switch (a) {
    case UI_A_UP:
        tree_move(c, -1);
        return 1;
    case UI_A_DOWN:
        tree_move(c, 1);
        return 1;
    case UI_A_PGUP:
        tree_move(c, -page);
        return 1;
    case UI_A_PGDN:
        tree_move(c, page);
        return 1;
    case UI_A_HOME:
        tree_move(c, -TREE_MAX);
        return 1;
    case UI_A_END:
        tree_move(c, TREE_MAX);
        return 1;
    case UI_A_EXPAND:
        if (c->sel && c->sel->nkids) {
            if (c->sel->expanded)
                tree_select(c, c->sel->kids[0]);
            else
                c->sel->expanded = 1;
        }
        return 1;
    case UI_A_COLLAPSE:
        if (c->sel && c->sel->expanded)
            c->sel->expanded = 0;
        else if (c->sel && c->sel->parent && c->sel->parent != c->root)
            tree_select(c, c->sel->parent);
        return 1;
    default:
        return 0;
    }
}

/* Whether label starts with prefix, ignoring ASCII case. */
static int
starts_with(const char *label, const char *prefix)
{
    return strncasecmp(label, prefix, strlen(prefix)) == 0;
}

/*
 * The whole typed prefix, as in the results list: "Certificates" lands on
 * Certificates (Local Computer), not on the next node starting with C.
 */
static void
tree_typeahead(struct ui_console *c, int key, long long now_ms)
{
    long len =
        ui_typeahead_add(c->tree_typed, sizeof c->tree_typed, &c->tree_typed_at, key, now_ms);
    if (len < 0)
        return;
    struct ui_node *rows[TREE_MAX];
    int depths[TREE_MAX];
    size_t n = tree_index(c, rows, depths);
    size_t cur = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i] == c->sel)
            cur = i;
    /* a new prefix moves on from the selection; a longer one may keep it */
    for (size_t k = len == 0 ? 1 : 0; k <= n; k++) {
        struct ui_node *r = rows[(cur + k) % n];
        if (starts_with(r->label, c->tree_typed)) {
            tree_select(c, r);
            return;
        }
    }
}

/* ---------------- layout and drawing ---------------- */

static void
console_layout(struct ui_layer *l, int cols, int rows)
{
    struct ui_console *c = (struct ui_console *)l;
    c->cols = cols;
    c->rows = rows;
    int tw = cols >= 80 ? 31 + (cols - 80) / 4 : cols * 31 / 80;
    if (tw > 40)
        tw = 40;
    c->tree_w = tw;
}

static void
draw_title(struct ui_console *c, struct ui_win *sw)
{
    struct ui_app *app = c->layer.app;
    char date[32], right[64];
    time_t now = ctx_now(app->cx);
    if (app->cx->clock.pinned) {
        snprintf(right, sizeof right, "lab clock %s", cc_date_format(now, date, sizeof date));
    } else {
        char full[32];
        cc_time_format(now, full, sizeof full);
        snprintf(right, sizeof right, "%.10s %.5s UTC", full, full + 11);
    }
    ui_draw_fill(sw, 0, 0, c->cols, 1, UI_EL_TITLE);
    char *left = ui_xasprintf("certcon \xe2\x80\x94 %s on %s", app->actor, app->computer);
    int rw = ui_text_width(right);
    ui_draw_text(sw, 1, 0, c->cols - rw - 3, UI_EL_TITLE, left);
    ui_draw_text(sw, c->cols - rw - 1, 0, rw, UI_EL_TITLE, right);
    free(left);
}

static void
draw_tree(struct ui_console *c, struct ui_win *sw)
{
    int h = c->rows - 2;
    int el = c->focus == 0 ? UI_EL_BORDER_FOCUS : UI_EL_BORDER;
    ui_draw_box(sw, 0, 1, c->tree_w, h, el, c->root->label);
    struct ui_win tw = ui_win_sub(sw, 1, 2, c->tree_w - 2, h - 2);
    struct ui_node *rows[TREE_MAX];
    int depths[TREE_MAX];
    size_t n = tree_index(c, rows, depths);
    size_t cur = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i] == c->sel)
            cur = i;
    size_t vis = tw.h > 0 ? (size_t)tw.h : 1;
    if (cur < c->tree_top)
        c->tree_top = cur;
    if (cur >= c->tree_top + vis)
        c->tree_top = cur - vis + 1;
    if (c->tree_top + vis > n)
        c->tree_top = n > vis ? n - vis : 0;
    for (int r = 0; r < tw.h && c->tree_top + (size_t)r < n; r++) {
        size_t i = c->tree_top + (size_t)r;
        struct ui_node *node = rows[i];
        int selected = node == c->sel;
        int rel = selected ? (c->focus == 0 ? UI_EL_SELECTED : UI_EL_SELECTED_DIM) : UI_EL_NORMAL;
        if (selected) {
            ui_draw_fill(&tw, 0, r, tw.w, 1, rel);
            ui_draw_text(&tw, 0, r, 1, rel, c->focus == 0 ? ">" : "*");
        }
        int x = 1 + 2 * depths[i];
        if (node->nkids)
            ui_draw_text(&tw, x, r, 1, rel, node->expanded ? "v" : ">");
        ui_draw_text(&tw, x + 2, r, tw.w - x - 2, rel, node->label);
    }
}

static void
draw_results(struct ui_console *c, struct ui_win *sw)
{
    int x = c->tree_w - 1, w = c->cols - x, h = c->rows - 2;
    int el = c->focus == 1 ? UI_EL_BORDER_FOCUS : UI_EL_BORDER;
    char *title = NULL;
    if (c->shown != NULL)
        title =
            c->shown->type->title ? c->shown->type->title(c->shown) : ui_xstrdup(c->shown->label);
    ui_draw_box(sw, x, 1, w, h, el, title);
    free(title);
    /* the shared border */
    ui_draw_line_cell(sw, x, 1, UI_LINE_TT, el);
    ui_draw_line_cell(sw, x, h, UI_LINE_BT, el);
    if (c->shown == NULL)
        return;
    struct ui_win lw = ui_win_sub(sw, x + 1, 2, w - 2, h - 2);
    ui_list_draw(&c->list, &lw, c->focus == 1, 1);
}

static void
draw_status(struct ui_console *c, struct ui_win *sw)
{
    int y = c->rows - 1;
    ui_draw_fill(sw, 0, y, c->cols, 1, UI_EL_STATUS);
    if (c->filtering) {
        char *t = ui_xasprintf("Filter: %s", c->filter);
        int used = ui_draw_text(sw, 1, y, c->cols - 2, UI_EL_STATUS, t);
        ui_draw_cursor(sw, 1 + used, y);
        free(t);
        const char *hint = "Enter keep  Esc clear";
        ui_draw_text(sw, c->cols - 1 - ui_text_width(hint), y, -1, UI_EL_STATUS, hint);
        return;
    }
    if (c->layer.app->status_note != NULL) { /* one key's news replaces the hints */
        const char *note = c->layer.app->status_note;
        int room = c->cols - 2;
        if (ui_text_width(note) <= room) {
            ui_draw_text(sw, 1, y, room, UI_EL_STATUS, note);
        } else if (room > 3) {
            ui_draw_text(sw, 1, y, room - 3, UI_EL_STATUS, note);
            ui_draw_text(sw, c->cols - 4, y, 3, UI_EL_STATUS, "...");
        }
        return;
    }
    static const enum ui_action hints[] = {UI_A_MENU, UI_A_PANE, UI_A_FILTER, UI_A_HELP, UI_A_QUIT};
    char left[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
        char keys[64];
        ui_action_key_labels(hints[i], keys, sizeof keys, 1);
        int n = snprintf(left + len, sizeof left - len, "%s%s %s", i ? "  " : "", keys,
                         ui_action_def(hints[i])->hint);
        if (n > 0 && (size_t)n < sizeof left - len)
            len += (size_t)n;
        /* a node's own view key comes next to its actions, before the general keys */
        if (i == 0 && c->shown != NULL && c->shown->type->view_hint != NULL) {
            ui_action_key_labels(UI_A_VIEW, keys, sizeof keys, 1);
            n = snprintf(left + len, sizeof left - len, "  %s %s", keys,
                         c->shown->type->view_hint);
            if (n > 0 && (size_t)n < sizeof left - len)
                len += (size_t)n;
        }
    }
    char right[128] = "", shorter[128] = "";
    if (c->shown != NULL) {
        size_t n = c->list.count;
        const char *noun = n == 1 ? c->shown->type->noun : c->shown->type->nouns;
        if (c->shown->type == &ui_node_later)
            right[0] = '\0';
        else if (c->list.filter != NULL)
            snprintf(right, sizeof right, "%zu %s match \"%.40s\"", n, noun, c->list.filter);
        else if (c->focus == 1 && n > 0)
            snprintf(right, sizeof right, "%zu %s, 1 selected", n, noun);
        else
            snprintf(right, sizeof right, "%zu %s", n, noun);
        snprintf(shorter, sizeof shorter, "%zu %s", n, noun);
    }
    /* the key hints come first: a long count or filter is cut, never the hints */
    int lw = ui_draw_text(sw, 1, y, c->cols - 2, UI_EL_STATUS, left);
    int room = c->cols - 1 - (1 + lw + 2);
    int rw = ui_text_width(right);
    if (rw > room && *shorter && ui_text_width(shorter) <= room) {
        /* "1 selected" is the first to go */
        ui_draw_text(sw, c->cols - ui_text_width(shorter) - 1, y, -1, UI_EL_STATUS, shorter);
        return;
    }
    if (rw > room) {
        rw = room > 0 ? room : 0;
        if (rw > 3) {
            ui_draw_text(sw, c->cols - 1 - rw, y, rw - 3, UI_EL_STATUS, right);
            ui_draw_text(sw, c->cols - 4, y, 3, UI_EL_STATUS, "...");
        }
        return;
    }
    ui_draw_text(sw, c->cols - rw - 1, y, rw, UI_EL_STATUS, right);
}

static void
console_draw(struct ui_layer *l, struct ui_screen *s)
{
    struct ui_console *c = (struct ui_console *)l;
    struct ui_win sw = ui_screen_win(s);
    draw_title(c, &sw);
    draw_tree(c, &sw);
    draw_results(c, &sw);
    draw_status(c, &sw);
}

/* ---------------- View -> Add/Remove Columns ---------------- */

/*
 * The column chooser: the node's columns with a mark each; Space shows or
 * hides one, OK applies, and the node keeps the choice while the console
 * runs. At least one column stays.
 */
enum { F_COLUMNS = 1 };

static const struct ui_column chooser_cols[] = {{"", 4}, {"Column", 40}};

struct chooser {
    struct ui_console *c;
    struct ui_node *node;
    unsigned hidden;
};

static void
chooser_fill(struct ui_dialog *d)
{
    struct chooser *ch = d->ctx;
    struct ui_field *l = ui_dialog_field(d, F_COLUMNS);
    size_t pos = ui_list_selected(&l->list);
    ui_memsource_clear(l->rows);
    for (size_t i = 0; i < ch->node->type->ncols; i++) {
        const char *row[] = {ch->hidden & (1u << i) ? "[ ]" : "[x]", ch->node->type->cols[i].title};
        ui_memsource_add(l->rows, (int64_t)i, row);
    }
    ui_list_refresh(&l->list);
    if (pos != UI_LIST_NONE)
        ui_list_select(&l->list, pos);
}

static void
chooser_toggled(struct ui_dialog *d, struct ui_field *l)
{
    struct chooser *ch = d->ctx;
    size_t pos = ui_list_selected(&l->list);
    if (pos == UI_LIST_NONE)
        return;
    int64_t i = l->list.src->row_id(l->list.ctx, pos);
    ch->hidden ^= 1u << i;
    chooser_fill(d);
}

static int
chooser_validate(struct ui_dialog *d, char **why)
{
    struct chooser *ch = d->ctx;
    size_t n = ch->node->type->ncols;
    for (size_t i = 0; i < n; i++)
        if (!(ch->hidden & (1u << i)))
            return 1;
    if (why != NULL)
        *why = ui_xstrdup("Show at least one column");
    return 0;
}

static void
chooser_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct chooser *ch = d->ctx;
    if (role == UI_BUTTON_OK && ch->c->shown == ch->node) {
        ch->node->hidden_cols = ch->hidden;
        ch->c->list.hidden = ch->hidden;
        ch->c->list.hscroll = 0;
    }
    ui_dialog_close(d);
}

static void
chooser_destroy(struct ui_dialog *d)
{
    free(d->ctx);
}

static const struct ui_dialog_ops chooser_ops = {
    .validate = chooser_validate,
    .button = chooser_button,
    .destroy = chooser_destroy,
};

static void
columns_open(struct ui_console *c)
{
    if (c->shown == NULL)
        return;
    struct chooser *ch = ui_xcalloc(1, sizeof *ch);
    ch->c = c;
    ch->node = c->shown;
    ch->hidden = c->shown->hidden_cols;
    struct ui_dialog *d = ui_dialog_new(c->layer.app, "Add/Remove Columns", 56, 18, UI_DIALOG_PLAIN,
                                        &chooser_ops, ch);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    ui_page_label(p, 0, 0, 0, "Space shows or hides the selected column:");
    struct ui_field *l = ui_page_list(p, 0, 1, 0, 11, chooser_cols, 2);
    l->id = F_COLUMNS;
    l->toggled = chooser_toggled;
    l->list.q.sort_col = -1; /* the columns' own order */
    chooser_fill(d);
    ui_list_select(&l->list, 0);
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

/* ---------------- actions ---------------- */

static void
menu_chosen(void *ctx, int id)
{
    struct ui_console *c = ctx;
    if (id == UI_CMD_COLUMNS) {
        columns_open(c);
        return;
    }
    if (c->shown == NULL || c->shown->type->act == NULL)
        return;
    c->shown->type->act(c->shown, c->menu_has_row, c->menu_row, id);
}

static const struct ui_menu_item view_items[] = {
    {"Add/Remove Columns...", UI_CMD_COLUMNS, NULL, 0},
};

static int
selected_row(struct ui_console *c, int64_t *id)
{
    if (c->focus != 1 || c->shown == NULL)
        return 0;
    size_t pos = ui_list_selected(&c->list);
    if (pos == UI_LIST_NONE || c->list.src->row_id == NULL)
        return 0;
    *id = c->list.src->row_id(c->list.ctx, pos);
    return 1;
}

static void
open_menu(struct ui_console *c)
{
    struct ui_node *n = c->shown;
    if (n == NULL || n->type->menu == NULL)
        return;
    int64_t row = 0;
    int has_row = selected_row(c, &row);
    if (n->type == &ui_node_later)
        has_row = 0;
    const struct ui_menu_item *items = NULL;
    size_t count = n->type->menu(n, has_row, row, &items);
    /* a node's own menu has View, as MMC's does, where there are columns to choose */
    if (!has_row && n->type->ncols > 1 && count + 1 <= sizeof c->menu_buf / sizeof c->menu_buf[0]) {
        size_t at = 0;
        for (size_t i = 0; i < count; i++) {
            if (strcmp(items[i].label, "Refresh") == 0)
                c->menu_buf[at++] = (struct ui_menu_item){"View", 0, view_items, 1};
            c->menu_buf[at++] = items[i];
        }
        if (at == count)
            c->menu_buf[at++] = (struct ui_menu_item){"View", 0, view_items, 1};
        items = c->menu_buf;
        count = at;
    }
    if (count == 0)
        return;
    c->menu_items = items;
    c->menu_row = row;
    c->menu_has_row = has_row;
    /* open beside the selection, as a right-click menu does */
    int x, y;
    if (c->focus == 1) {
        x = c->tree_w + 4;
        y = 3 + (int)(c->list.sel - c->list.top) + 1;
    } else {
        x = 4;
        y = 3;
        struct ui_node *rows[TREE_MAX];
        int depths[TREE_MAX];
        size_t nr = tree_index(c, rows, depths);
        for (size_t i = 0; i < nr; i++)
            if (rows[i] == c->sel)
                y = 2 + (int)(i - c->tree_top) + 1, x = 4 + 2 * depths[i];
    }
    ui_menu_open(c->layer.app, NULL, x, y, items, count, menu_chosen, c);
}

static void
run_command(struct ui_console *c, int cmd)
{
    struct ui_node *n = c->shown;
    if (n == NULL || n->type->act == NULL)
        return;
    int64_t row = 0;
    int has_row = selected_row(c, &row);
    if (!has_row && cmd != UI_CMD_REFRESH)
        return;
    n->type->act(n, has_row, row, cmd);
}

static void
filter_key(struct ui_console *c, int key)
{
    size_t len = strlen(c->filter);
    if (key == UI_KEY_ENTER) {
        c->filtering = 0;
        return;
    }
    if (ui_action_lookup(key, UI_CTX_GLOBAL) == UI_A_CLOSE) {
        c->filtering = 0;
        c->filter[0] = '\0';
        ui_list_set_filter(&c->list, NULL);
        return;
    }
    if (key == UI_KEY_BS) {
        while (len > 0 && ((unsigned char)c->filter[--len] & 0xc0) == 0x80)
            ;
        c->filter[len] = '\0';
    } else if (ui_key_is_text(key)) {
        char enc[5];
        size_t n = ui_utf8_encode((uint32_t)key, enc);
        if (len + n >= sizeof c->filter)
            return;
        memcpy(c->filter + len, enc, n);
        c->filter[len + n] = '\0';
    } else {
        return;
    }
    ui_list_set_filter(&c->list, c->filter);
}

static void
console_key(struct ui_layer *l, int key)
{
    struct ui_console *c = (struct ui_console *)l;
    if (c->filtering) {
        filter_key(c, key);
        return;
    }
    enum ui_action a = ui_action_lookup(key, UI_CTX_CONSOLE);
    enum ui_action nav = ui_action_lookup(key, UI_CTX_NAV);
    int page = c->rows > 6 ? c->rows - 6 : 1;
    if (!ui_key_is_text(key)) {
        ui_list_typeahead_reset(&c->list); /* any other key starts a new prefix */
        c->tree_typed[0] = '\0';
    }
    switch (a) {
    case UI_A_PANE:
        c->focus = !c->focus;
        ui_list_typeahead_reset(&c->list);
        c->tree_typed[0] = '\0';
        return;
    case UI_A_MENU:
        open_menu(c);
        return;
    case UI_A_FILTER:
        c->focus = 1;
        c->filtering = 1;
        snprintf(c->filter, sizeof c->filter, "%s", c->list.filter ? c->list.filter : "");
        return;
    case UI_A_REFRESH:
        ui_console_refresh(l->app);
        return;
    case UI_A_SORT:
        if (c->shown)
            ui_list_sort(&c->list, (c->list.q.sort_col + 1) % (int)c->list.ncols, 0);
        return;
    case UI_A_SORT_REVERSE:
        ui_list_sort(&c->list, c->list.q.sort_col, !c->list.q.descending);
        return;
    case UI_A_DELETE:
        run_command(c, UI_CMD_DELETE);
        return;
    case UI_A_PROPERTIES:
        run_command(c, UI_CMD_PROPERTIES);
        return;
    case UI_A_VIEW:
        if (c->shown != NULL && c->shown->type->view_hint != NULL && c->shown->type->act) {
            int64_t row = 0;
            int has_row = selected_row(c, &row);
            c->shown->type->act(c->shown, has_row, row, UI_CMD_VIEW);
        }
        return;
    case UI_A_CLOSE:
        if (c->list.filter != NULL) {
            c->filter[0] = '\0';
            ui_list_set_filter(&c->list, NULL);
        }
        return;
    default:
        break;
    }
    if (c->focus == 0) {
        if (tree_action(c, nav, page))
            return;
        if (ui_key_is_text(key))
            tree_typeahead(c, key, l->app->now_ms);
        return;
    }
    if (ui_list_action(&c->list, nav))
        return;
    if (ui_key_is_text(key))
        ui_list_typeahead(&c->list, key, l->app->now_ms);
}

static void
console_destroy(struct ui_layer *l)
{
    struct ui_console *c = (struct ui_console *)l;
    ui_list_free(&c->list);
    ui_node_free(c->root);
    free(c);
}

static const struct ui_layer_ops console_ops = {
    .name = "console",
    .layout = console_layout,
    .draw = console_draw,
    .key = console_key,
    .destroy = console_destroy,
};

struct ui_layer *
ui_console_new(struct ui_app *app)
{
    struct ui_console *c = ui_xcalloc(1, sizeof *c);
    c->layer.ops = &console_ops;
    c->layer.app = app;
    app->console = c;
    c->root = ui_node_add(NULL, "Console Root", &ui_node_folder, NULL);
    c->root->app = app;
    for (size_t i = 0; i < sizeof snapins / sizeof snapins[0]; i++)
        snapins[i]->build(app, c->root);
    if (c->root->nkids > 0)
        tree_select(c, c->root->kids[0]);
    return &c->layer;
}

void
ui_console_refresh(struct ui_app *app)
{
    struct ui_console *c = app->console;
    if (c == NULL || c->shown == NULL)
        return;
    /* the load below replaces the rows: remember the selection by id */
    int64_t id = 0;
    size_t pos = ui_list_selected(&c->list);
    int have = pos != UI_LIST_NONE && c->list.src->row_id != NULL;
    if (have)
        id = c->list.src->row_id(c->list.ctx, pos);
    if (c->shown->type->load)
        c->shown->type->load(c->shown);
    ui_list_refresh(&c->list);
    if (have && c->list.src->find_id != NULL) {
        pos = c->list.src->find_id(c->list.ctx, id);
        if (pos != UI_LIST_NONE)
            ui_list_select(&c->list, pos);
    }
}

struct ui_node *
ui_console_node(struct ui_app *app)
{
    return app->console ? app->console->shown : NULL;
}

struct ui_node *
ui_console_goto(struct ui_app *app, const char *label)
{
    struct ui_console *c = app->console;
    if (c == NULL)
        return NULL;
    for (size_t i = 0; i < c->root->nkids; i++) {
        struct ui_node *n = c->root->kids[i];
        if (strcmp(n->label, label) == 0) {
            tree_select(c, n);
            c->focus = 1;
            ui_list_typeahead_reset(&c->list);
            return n;
        }
    }
    return NULL;
}

void
ui_console_select_row(struct ui_app *app, int64_t id)
{
    struct ui_console *c = app->console;
    if (c == NULL || c->list.src == NULL || c->list.src->find_id == NULL)
        return;
    size_t pos = c->list.src->find_id(c->list.ctx, id);
    if (pos != UI_LIST_NONE) {
        ui_list_select(&c->list, pos);
        c->focus = 1;
    }
}
