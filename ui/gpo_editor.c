/*
 * The Group Policy Management Editor (see gpo_editor.h). It is a layer of
 * its own over the console, drawn as the console is (tree, results,
 * status line), because Windows opens it as a window of its own: Esc
 * closes it and the console is where it was. The tree is fixed; only the
 * Auto-Enrollment object under Public Key Policies has settings, which it
 * reads from the core when it opens and after its Properties are saved.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action.h"
#include "autoenroll.h"
#include "dialog.h"
#include "gpo_editor.h"
#include "keys.h"
#include "list.h"
#include "mem.h"
#include "ops.h"
#include "snap.h"
#include "status.h"
#include "theme.h"

#define AUTOENROLL     "Certificate Services Client \xe2\x80\x93 Auto-Enrollment"
#define ROW_AUTOENROLL 1000

/* The editor's tree, in the order it is drawn; parent -1 is the root. */
static const struct ed_item {
    const char *label; /* NULL: the GPO's own line */
    int parent;
    int pkp;  /* Public Key Policies: lists the Auto-Enrollment object */
    int user; /* under User Configuration */
} items[] = {
    {NULL, -1, 0, 0}, /* the GPO: the tree's title, not a row */
    {"Computer Configuration", 0, 0, 0},
    {"Policies", 1, 0, 0},
    {"Software Settings", 2, 0, 0},
    {"Windows Settings", 2, 0, 0},
    {"Security Settings", 4, 0, 0},
    {"Public Key Policies", 5, 1, 0},
    {"Preferences", 1, 0, 0},
    {"User Configuration", 0, 0, 1},
    {"Policies", 8, 0, 1},
    {"Software Settings", 9, 0, 1},
    {"Windows Settings", 9, 0, 1},
    {"Security Settings", 11, 0, 1},
    {"Public Key Policies", 12, 1, 1},
    {"Preferences", 8, 0, 1},
};
#define NITEMS ((int)(sizeof items / sizeof items[0]))

struct editor {
    struct ui_layer layer;
    char *root;     /* "Autoenroll Certificates [contoso.com] Policy" */
    struct gpo gpo; /* as the core had it when last read */
    int expanded[NITEMS];
    int sel, shown;
    int focus; /* 0 tree, 1 results */
    int tree_top;
    struct ui_list list;
    struct ui_memsource *rows;
    char typed[64];
    long long typed_at;
    int cols, nrows, tree_w;
};

static const char *
item_label(const struct editor *e, int i)
{
    return items[i].label ? items[i].label : e->root;
}

static int
has_kids(int i)
{
    for (int j = i + 1; j < NITEMS; j++)
        if (items[j].parent == i)
            return 1;
    return 0;
}

static int
depth_of(int i)
{
    int d = 0;
    for (int p = items[i].parent; p > 0; p = items[p].parent)
        d++;
    return d;
}

static int
visible(const struct editor *e, int i)
{
    for (int p = items[i].parent; p >= 0; p = items[p].parent)
        if (!e->expanded[p])
            return 0;
    return 1;
}

/* The visible items in order; returns their number. */
static int
flatten(const struct editor *e, int *out)
{
    int n = 0;
    for (int i = 1; i < NITEMS; i++)
        if (visible(e, i))
            out[n++] = i;
    return n;
}

static const struct ui_column result_cols[] = {{"Name", 50}};

/* Fills the results with the shown item's children, or the Auto-Enrollment object. */
static void
show_item(struct editor *e, int i)
{
    e->shown = i;
    ui_memsource_clear(e->rows);
    if (items[i].pkp) {
        const char *row[] = {AUTOENROLL};
        ui_memsource_add(e->rows, ROW_AUTOENROLL, row);
    } else {
        for (int j = i + 1; j < NITEMS; j++)
            if (items[j].parent == i) {
                const char *row[] = {items[j].label};
                ui_memsource_add(e->rows, j, row);
            }
    }
    ui_list_refresh(&e->list);
    ui_list_sort(&e->list, -1, 0);
    ui_list_select(&e->list, 0);
}

static void
select_item(struct editor *e, int i)
{
    for (int p = items[i].parent; p >= 0; p = items[p].parent)
        e->expanded[p] = 1;
    e->sel = i;
    show_item(e, i);
}

/* Reads the GPO again; 0, or -1 when it is gone (the message says so). */
static int
reload(struct editor *e)
{
    struct ops_gpo_name a = {e->gpo.name, NULL};
    struct gpo g;
    char *cause = NULL;
    int rc = ops_call(e->layer.app->cx, OP_GPO_GET, &a, &g, &cause);
    if (rc != CC_OK) {
        ui_show_error(e->layer.app, "Group Policy Management Editor", rc, cause);
        free(cause);
        return -1;
    }
    gpo_free(&e->gpo);
    e->gpo = g;
    return 0;
}

/* ---------------- Auto-Enrollment Properties ---------------- */

enum { F_MODEL = 1, F_RENEW, F_UPDATE };

struct ae_sheet {
    struct editor *ed; /* below the dialog for as long as it is open */
    int user;
    struct gpo_settings orig, draft;
};

static const char *const model_options[] = {"Not Configured", "Enabled", "Disabled"};

static int
same_setting(const struct gpo_settings *a, const struct gpo_settings *b)
{
    if (a->model != b->model)
        return 0;
    return a->model != AE_ENABLED || (!a->renew == !b->renew && !a->update == !b->update);
}

static void
checks_follow(struct ui_dialog *d)
{
    struct ae_sheet *as = d->ctx;
    int off = as->draft.model != AE_ENABLED;
    ui_dialog_field(d, F_RENEW)->disabled = off;
    ui_dialog_field(d, F_UPDATE)->disabled = off;
}

static void
ae_changed(struct ui_dialog *d, struct ui_field *f)
{
    struct ae_sheet *as = d->ctx;
    if (f->id == F_MODEL)
        as->draft.model = (enum ae_model)f->value;
    else if (f->id == F_RENEW)
        as->draft.renew = f->value;
    else if (f->id == F_UPDATE)
        as->draft.update = f->value;
    checks_follow(d);
}

static int
ae_unsaved(struct ui_dialog *d)
{
    struct ae_sheet *as = d->ctx;
    return !same_setting(&as->orig, &as->draft);
}

static void
ae_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct ae_sheet *as = d->ctx;
    if (role == UI_BUTTON_CANCEL) {
        ui_dialog_close(d);
        return;
    }
    char *cause = NULL;
    struct ops_gpo_autoenroll a = {as->ed->gpo.name, as->user, as->draft};
    int rc = ops_call(d->layer.app->cx, OP_GPO_AUTOENROLL, &a, NULL, &cause);
    if (rc != CC_OK) {
        ui_dialog_set_error(d, rc, cause);
        return;
    }
    as->orig = as->draft;
    ui_dialog_set_message(d, NULL);
    reload(as->ed);
    ui_console_refresh(d->layer.app); /* Modified changed */
    if (role == UI_BUTTON_OK)
        ui_dialog_close(d);
}

static void
ae_destroy(struct ui_dialog *d)
{
    free(d->ctx);
}

/* F2: gpo autoenroll NAME with the model's option (and --user for User Configuration). */
static char *
ae_command(struct ui_dialog *d, char **why)
{
    (void)why;
    struct ae_sheet *as = d->ctx;
    const char *a[5] = {NULL};
    size_t n = 0;
    if (as->draft.model == AE_ENABLED) {
        a[n++] = "--enable";
        if (as->draft.renew)
            a[n++] = "--renew";
        if (as->draft.update)
            a[n++] = "--update";
    } else {
        a[n++] = as->draft.model == AE_DISABLED ? "--disable" : "--not-configured";
    }
    if (as->user)
        a[n++] = "--user";
    char *text = NULL;
    ui_command_add(&text, "gpo", "autoenroll", as->ed->gpo.name, a[0], a[1], a[2], a[3], a[4],
                   (char *)NULL);
    return text;
}

static const struct ui_dialog_ops ae_ops = {
    .unsaved = ae_unsaved,
    .button = ae_button,
    .destroy = ae_destroy,
    .command = ae_command,
};

static void
properties_open(struct editor *e)
{
    struct ae_sheet *as = ui_xcalloc(1, sizeof *as);
    as->ed = e;
    as->user = items[e->shown].user;
    as->orig = as->user ? e->gpo.user : e->gpo.computer;
    as->draft = as->orig;
    struct ui_dialog *d =
        ui_dialog_new(e->layer.app, AUTOENROLL " Properties", 76, 15, UI_DIALOG_TABS, &ae_ops, as);
    struct ui_page *p = ui_dialog_add_page(d, "Enrollment Policy Configuration");
    ui_page_label(p, 0, 0, 0,
                  as->user ? "Enroll user certificates automatically"
                           : "Enroll computer certificates automatically");
    struct ui_field *f = ui_page_drop(p, 0, 2, "Configuration Model:", 22, 42, model_options, 3,
                                      (int)as->draft.model);
    f->id = F_MODEL;
    f->changed = ae_changed;
    f = ui_page_check(p, 0, 4, "Renew expired certificates, update pending certificates, and",
                      as->draft.renew);
    f->id = F_RENEW;
    f->changed = ae_changed;
    ui_page_label(p, 4, 5, 0, "remove revoked certificates");
    f = ui_page_check(p, 0, 6, "Update certificates that use certificate templates",
                      as->draft.update);
    f->id = F_UPDATE;
    f->changed = ae_changed;
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_add_button(d, "Apply", UI_BUTTON_APPLY, 2);
    checks_follow(d);
    ui_dialog_show(d);
}

/* ---------------- the window ---------------- */

static const struct ui_menu_item object_menu[] = {
    {"Properties", UI_CMD_PROPERTIES, NULL, 0},
};

static void
menu_chosen(void *ctx, int id)
{
    struct editor *e = ctx;
    if (id == UI_CMD_PROPERTIES)
        properties_open(e);
}

static int64_t
selected_row(struct editor *e)
{
    size_t pos = ui_list_selected(&e->list);
    return pos == UI_LIST_NONE ? -1 : e->list.src->row_id(e->list.ctx, pos);
}

/* Enter: a tree node opens or closes; a result opens (a folder) or shows its menu. */
static void
activate(struct editor *e)
{
    if (e->focus == 0) {
        if (has_kids(e->sel))
            e->expanded[e->sel] = !e->expanded[e->sel];
        else
            e->focus = 1;
        return;
    }
    int64_t row = selected_row(e);
    if (row == ROW_AUTOENROLL) {
        int y = 3 + (int)(e->list.sel - e->list.top) + 1;
        ui_menu_open(e->layer.app, NULL, e->tree_w + 4, y, object_menu, 1, menu_chosen, e);
    } else if (row >= 0 && row < NITEMS) {
        select_item(e, (int)row);
    }
}

static void
tree_move(struct editor *e, int delta)
{
    int vis[NITEMS];
    int n = flatten(e, vis), cur = 0;
    for (int i = 0; i < n; i++)
        if (vis[i] == e->sel)
            cur = i;
    cur += delta;
    if (cur < 0)
        cur = 0;
    if (cur >= n)
        cur = n - 1;
    select_item(e, vis[cur]);
}

static void
tree_typeahead(struct editor *e, int key, long long now_ms)
{
    long len = ui_typeahead_add(e->typed, sizeof e->typed, &e->typed_at, key, now_ms);
    if (len < 0)
        return;
    int vis[NITEMS];
    int n = flatten(e, vis), cur = 0;
    for (int i = 0; i < n; i++)
        if (vis[i] == e->sel)
            cur = i;
    for (int k = len == 0 ? 1 : 0; k <= n; k++) {
        int i = vis[(cur + k) % n];
        if (strncasecmp(item_label(e, i), e->typed, strlen(e->typed)) == 0) {
            select_item(e, i);
            return;
        }
    }
}

static void
editor_key(struct ui_layer *l, int key)
{
    struct editor *e = (struct editor *)l;
    enum ui_action a = ui_action_lookup(key, UI_CTX_CONSOLE);
    enum ui_action nav = ui_action_lookup(key, UI_CTX_NAV);
    int page = e->nrows > 6 ? e->nrows - 6 : 1;
    if (!ui_key_is_text(key)) {
        e->typed[0] = '\0';
        ui_list_typeahead_reset(&e->list);
    }
    switch (a) {
    case UI_A_CLOSE:
        ui_app_close(l->app, l);
        return;
    case UI_A_PANE:
        e->focus = !e->focus;
        return;
    case UI_A_MENU:
        activate(e);
        return;
    case UI_A_PROPERTIES:
        if (e->focus == 1 && selected_row(e) == ROW_AUTOENROLL)
            properties_open(e);
        return;
    case UI_A_REFRESH:
        if (reload(e) != 0)
            ui_app_close(l->app, l);
        return;
    default:
        break;
    }
    if (e->focus == 1) {
        if (!ui_list_action(&e->list, nav) && ui_key_is_text(key))
            ui_list_typeahead(&e->list, key, l->app->now_ms);
        return;
    }
    switch (nav) {
    case UI_A_UP:
        tree_move(e, -1);
        return;
    case UI_A_DOWN:
        tree_move(e, 1);
        return;
    case UI_A_PGUP:
        tree_move(e, -page);
        return;
    case UI_A_PGDN:
        tree_move(e, page);
        return;
    case UI_A_HOME:
        tree_move(e, -NITEMS);
        return;
    case UI_A_END:
        tree_move(e, NITEMS);
        return;
    case UI_A_EXPAND:
        if (has_kids(e->sel)) {
            if (e->expanded[e->sel])
                tree_move(e, 1);
            else
                e->expanded[e->sel] = 1;
        }
        return;
    case UI_A_COLLAPSE:
        if (e->expanded[e->sel])
            e->expanded[e->sel] = 0;
        else if (items[e->sel].parent > 0)
            select_item(e, items[e->sel].parent);
        return;
    default:
        break;
    }
    if (ui_key_is_text(key))
        tree_typeahead(e, key, l->app->now_ms);
}

static void
editor_layout(struct ui_layer *l, int cols, int rows)
{
    struct editor *e = (struct editor *)l;
    e->cols = cols;
    e->nrows = rows;
    /*
     * As wide as the console's tree: at 80 columns the results pane then
     * shows the Auto-Enrollment object's whole name.
     */
    int tw = cols >= 80 ? 31 + (cols - 80) / 4 : cols * 31 / 80;
    e->tree_w = tw > 40 ? 40 : tw;
}

static void
editor_draw(struct ui_layer *l, struct ui_screen *s)
{
    struct editor *e = (struct editor *)l;
    struct ui_win sw = ui_screen_win(s);
    int h = e->nrows - 2;
    ui_draw_fill(&sw, 0, 0, e->cols, e->nrows, UI_EL_NORMAL);
    ui_draw_fill(&sw, 0, 0, e->cols, 1, UI_EL_TITLE);
    char *title = ui_xasprintf("Group Policy Management Editor \xe2\x80\x94 %s", e->gpo.name);
    ui_draw_text(&sw, 1, 0, e->cols - 2, UI_EL_TITLE, title);
    free(title);

    /* the tree */
    ui_draw_box(&sw, 0, 1, e->tree_w, h, e->focus == 0 ? UI_EL_BORDER_FOCUS : UI_EL_BORDER,
                e->root);
    struct ui_win tw = ui_win_sub(&sw, 1, 2, e->tree_w - 2, h - 2);
    int vis[NITEMS];
    int n = flatten(e, vis), cur = 0;
    for (int i = 0; i < n; i++)
        if (vis[i] == e->sel)
            cur = i;
    if (cur < e->tree_top)
        e->tree_top = cur;
    if (tw.h > 0 && cur >= e->tree_top + tw.h)
        e->tree_top = cur - tw.h + 1;
    for (int r = 0; r < tw.h && e->tree_top + r < n; r++) {
        int i = vis[e->tree_top + r];
        int selected = i == e->sel;
        int el = selected ? (e->focus == 0 ? UI_EL_SELECTED : UI_EL_SELECTED_DIM) : UI_EL_NORMAL;
        if (selected) {
            ui_draw_fill(&tw, 0, r, tw.w, 1, el);
            ui_draw_text(&tw, 0, r, 1, el, e->focus == 0 ? ">" : "*");
        }
        int x = 1 + 2 * depth_of(i);
        if (has_kids(i))
            ui_draw_text(&tw, x, r, 1, el, e->expanded[i] ? "v" : ">");
        ui_draw_text(&tw, x + 2, r, tw.w - x - 2, el, item_label(e, i));
    }

    /* the results */
    int x = e->tree_w - 1, w = e->cols - x;
    int bel = e->focus == 1 ? UI_EL_BORDER_FOCUS : UI_EL_BORDER;
    ui_draw_box(&sw, x, 1, w, h, bel, item_label(e, e->shown));
    ui_draw_line_cell(&sw, x, 1, UI_LINE_TT, bel);
    ui_draw_line_cell(&sw, x, h, UI_LINE_BT, bel);
    struct ui_win lw = ui_win_sub(&sw, x + 1, 2, w - 2, h - 2);
    ui_list_draw(&e->list, &lw, e->focus == 1, 1);

    /* the status line: keys, and the setting of the configuration shown */
    int y = e->nrows - 1;
    ui_draw_fill(&sw, 0, y, e->cols, 1, UI_EL_STATUS);
    static const enum ui_action hints[] = {UI_A_MENU, UI_A_PANE, UI_A_CLOSE, UI_A_HELP};
    static const char *const words[] = {"open", "pane", "close", "help"};
    char left[160] = "";
    size_t len = 0;
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++) {
        char keys[64];
        ui_action_key_labels(hints[i], keys, sizeof keys, 1);
        int k = snprintf(left + len, sizeof left - len, "%s%s %s", i ? "  " : "", keys, words[i]);
        if (k > 0 && (size_t)k < sizeof left - len)
            len += (size_t)k;
    }
    char *right = NULL;
    if (items[e->shown].pkp) {
        char v[GPO_SETTINGS_TEXT_MAX];
        right = ui_xstrdup(
            gpo_settings_text(items[e->shown].user ? &e->gpo.user : &e->gpo.computer, v, sizeof v));
    } else {
        right = ui_xstrdup("");
    }
    int rw = ui_text_width(right);
    ui_draw_text(&sw, 1, y, e->cols - rw - 4, UI_EL_STATUS, left);
    ui_draw_text(&sw, e->cols - rw - 1, y, rw, UI_EL_STATUS, right);
    free(right);
}

static void
editor_destroy(struct ui_layer *l)
{
    struct editor *e = (struct editor *)l;
    ui_list_free(&e->list);
    ui_memsource_free(e->rows);
    gpo_free(&e->gpo);
    free(e->root);
    free(e);
}

static const struct ui_layer_ops editor_ops = {
    .name = "gpo-editor",
    .layout = editor_layout,
    .draw = editor_draw,
    .key = editor_key,
    .destroy = editor_destroy,
};

void
ui_gpo_editor_open(struct ui_app *app, const char *gpo)
{
    struct ops_gpo_name a = {gpo, NULL};
    struct gpo g;
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_GPO_GET, &a, &g, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Group Policy Management Editor", rc, cause);
        free(cause);
        return;
    }
    struct editor *e = ui_xcalloc(1, sizeof *e);
    e->layer.ops = &editor_ops;
    e->layer.app = app;
    e->gpo = g;
    e->root = ui_xasprintf("%s [%s] Policy", g.name, app->domain);
    e->rows = ui_memsource_new(1);
    ui_list_init(&e->list, result_cols, 1, &ui_memsource_ops, e->rows);
    e->expanded[0] = 1;
    select_item(e, 1);
    ui_app_push(app, &e->layer);
}
