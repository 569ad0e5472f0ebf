/*
 * The ACME node under a certification authority: the ACME accounts clients
 * registered (the directory account each requests as, its key thumbprint,
 * when it was made, its orders, its status). Enter on an account: Orders
 * (its orders and their states, in a dialog) and Revoke Account (after a
 * confirmation the account is deactivated and orders nothing more). On the
 * node, Issue EAB Key...: a user or computer and, optionally, one ACME
 * template; the key ID and HMAC key are shown once, with a warning that
 * the HMAC key will not be shown again. F2 in that dialog shows the
 * `certcon acme eab` command, which never holds the HMAC key.
 *
 * The node is there when the CA uses ACME (a template is served over it,
 * or an account exists), so a CA without it keeps the tree it had. Every
 * action is an operation (ops_call).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "acme.h"
#include "dialog.h"
#include "mem.h"
#include "screen.h"
#include "ops.h"
#include "picker.h"
#include "snap.h"
#include "status.h"
#include "util.h"

enum {
    CMD_EAB = 100,
    CMD_ORDERS,
    CMD_DEACTIVATE,
};

struct acme_node {
    struct ops_acme_accounts list; /* the accounts listed; row id: the account's id */
};

/*
 * At 80 columns: the principal, the day it was made, its orders and the
 * start of its key's thumbprint (the last column takes the rest); Status
 * is one View -> Add/Remove Columns away (a revoked account says so when
 * it is revoked, and in its Orders). Widths count the gap after a column.
 */
enum { COL_STATUS = 4 };
static const struct ui_column acme_cols[] = {
    {"Principal", 17}, {"Created", 11}, {"Orders", 7}, {"Key thumbprint", 12}, {"Status", 12},
};

static void
acme_load(struct ui_node *n)
{
    struct acme_node *an = n->data;
    ui_memsource_clear(n->rows);
    ops_acme_accounts_free(&an->list);
    char *cause = NULL;
    if (ops_call(n->app->cx, OP_ACME_ACCOUNT_LIST, NULL, &an->list, &cause) != CC_OK) {
        free(cause);
        return;
    }
    for (size_t i = 0; i < an->list.n; i++) {
        const struct acme_account_info *a = &an->list.v[i];
        char when[24], orders[24];
        ui_time_text(a->created, "%Y-%m-%d", when, sizeof when);
        snprintf(orders, sizeof orders, "%lld", (long long)a->orders);
        const char *row[] = {a->principal, when, orders, a->thumbprint, a->status};
        ui_memsource_add(n->rows, a->id, row);
    }
}

static void
acme_destroy(struct ui_node *n)
{
    struct acme_node *an = n->data;
    ops_acme_accounts_free(&an->list);
    free(an);
}

static const struct acme_account_info *
account_of(const struct acme_node *an, int64_t id)
{
    for (size_t i = 0; i < an->list.n; i++)
        if (an->list.v[i].id == id)
            return &an->list.v[i];
    return NULL;
}

static const struct ui_menu_item account_menu[] = {
    {"Orders", CMD_ORDERS, NULL, 0},
    {"Revoke Account", CMD_DEACTIVATE, NULL, 0},
    {"Issue EAB Key...", CMD_EAB, NULL, 0},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};

static size_t
acme_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    (void)n;
    (void)row;
    *items = account_menu;
    if (!has_row) {
        *items += 2; /* the node's own: Issue EAB Key... and Refresh */
        return 2;
    }
    return 4;
}

/* ---- Orders: the account's orders and their states ---- */

static const struct ui_column order_cols[] = {
    {"Order", 6},
    {"Status", 10},
    {"Names", 30},
    {"Serial", 32},
};

static void
orders_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    (void)role;
    ui_dialog_close(d);
}

static const struct ui_dialog_ops orders_ops = {
    .button = orders_button,
};

static void
orders_open(struct ui_app *app, const struct acme_account_info *a)
{
    struct ops_acme_account arg = {a->id};
    struct ops_acme_orders l = {0};
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_ACME_ORDER_LIST, &arg, &l, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Orders", rc, cause);
        free(cause);
        return;
    }
    char *title = ui_xasprintf("Orders of ACME account %lld", (long long)a->id);
    struct ui_dialog *d = ui_dialog_new(app, title, 78, 18, UI_DIALOG_PLAIN, &orders_ops, NULL);
    free(title);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    char *line = ui_xasprintf("Requests as %s; %s; %zu order%s.", a->principal, a->status, l.n,
                              l.n == 1 ? "" : "s");
    ui_page_label(p, 0, 0, 0, line);
    free(line);
    struct ui_field *f = ui_page_list(p, 0, 2, 0, 10, order_cols, 4);
    for (size_t i = 0; i < l.n; i++) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)l.v[i].id);
        const char *row[] = {id, l.v[i].status, l.v[i].names, l.v[i].serial ? l.v[i].serial : ""};
        ui_memsource_add(f->rows, l.v[i].id, row);
    }
    ui_list_refresh(&f->list);
    if (l.n > 0)
        ui_list_select(&f->list, 0);
    ops_acme_orders_free(&l);
    ui_dialog_add_button(d, "Close", UI_BUTTON_OK, 1);
    ui_dialog_show(d);
}

/* ---- Revoke Account ---- */

struct deactivate {
    struct ui_app *app;
    int64_t id;
};

static void
deactivate_answer(void *ctx, int yes)
{
    struct deactivate *da = ctx;
    if (yes) {
        char *cause = NULL;
        struct ops_acme_account a = {da->id};
        int rc = ops_call(da->app->cx, OP_ACME_ACCOUNT_DEACTIVATE, &a, NULL, &cause);
        if (rc != CC_OK) {
            ui_show_error(da->app, "Revoke Account", rc, cause);
        } else {
            char key[24], *cmd = NULL;
            snprintf(key, sizeof key, "%lld", (long long)da->id);
            ui_command_add(&cmd, "acme", "deactivate", key, (char *)NULL);
            ui_record(da->app, "Revoke Account", cmd);
            free(cmd);
            char *text = ui_xasprintf("ACME account %lld is deactivated: it can order nothing "
                                      "more.",
                                      (long long)da->id);
            ui_message(da->app, "Revoke Account", text);
            free(text);
        }
        free(cause);
        ui_console_refresh(da->app);
    }
    free(da);
}

static void
deactivate_ask(struct ui_app *app, const struct acme_account_info *a)
{
    struct deactivate *da = ui_xcalloc(1, sizeof *da);
    da->app = app;
    da->id = a->id;
    char *msg = ui_xasprintf("Revoke ACME account %lld, which requests as %s? It is deactivated: "
                             "its key can order nothing more. Certificates it got stay valid.",
                             (long long)a->id, a->principal);
    ui_confirm(app, "Revoke Account", msg, "Revoke", "Cancel", deactivate_answer, da);
    free(msg);
}

/* ---- Issue EAB Key... ---- */

enum { F_PRINCIPAL = 1, F_BROWSE, F_TEMPLATE };

struct eab {
    struct strlist names; /* the drop-down's templates, display names; option i+1 */
};

/* The template chosen, by display name, or NULL for any ACME template. */
static const char *
eab_template(struct ui_dialog *d)
{
    struct eab *e = d->ctx;
    int v = ui_dialog_field(d, F_TEMPLATE)->value;
    return v > 0 && (size_t)v <= e->names.n ? e->names.v[v - 1] : NULL;
}

static const char *
eab_principal(struct ui_dialog *d)
{
    const char *s = ui_dialog_field(d, F_PRINCIPAL)->text;
    return s != NULL && *s ? s : NULL;
}

static int
eab_validate(struct ui_dialog *d, char **why)
{
    if (eab_principal(d) == NULL) {
        if (why != NULL)
            *why = ui_xstrdup("Name the user or computer the ACME account will request as.");
        return 0;
    }
    return 1;
}

/* F2: the command OK runs; the HMAC key is made by it, never part of it. */
static char *
eab_command(struct ui_dialog *d, char **why)
{
    const char *who = eab_principal(d), *tmpl = eab_template(d);
    if (who == NULL) {
        if (why != NULL)
            *why = ui_xstrdup("no user or computer named yet");
        return NULL;
    }
    char *text = NULL;
    if (tmpl)
        ui_command_add(&text, "acme", "eab", "--for", who, "--template", tmpl, (char *)NULL);
    else
        ui_command_add(&text, "acme", "eab", "--for", who, (char *)NULL);
    return text;
}

/* The key, once: the HMAC key is in no file, record or later screen. */
static void
eab_show(struct ui_app *app, const struct acme_eab_key *k)
{
    char until[32];
    ui_time_text(k->expires, "%Y-%m-%d %H:%M", until, sizeof until);
    char *text = ui_xasprintf("Key ID:    %s\nHMAC key:  %s\nActs as:   %s\nTemplate:  %s\n"
                              "Use until: %s UTC, for one account.\n\n"
                              "Warning: copy the HMAC key now. It will not be shown again; the "
                              "CA keeps it only to check the binding.",
                              k->kid, k->hmac, k->principal ? k->principal : "?",
                              k->template_cn ? k->template_cn : "any ACME template", until);
    ui_message(app, "External Account Binding Key", text);
    memset(text, 0, strlen(text));
    free(text);
}

static void
eab_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct ui_app *app = d->layer.app;
    if (role != UI_BUTTON_OK) {
        ui_dialog_close(d);
        return;
    }
    struct ops_acme_eab a = {eab_principal(d), eab_template(d), 0};
    struct acme_eab_key k;
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_ACME_EAB_ISSUE, &a, &k, &cause);
    if (rc != CC_OK) {
        ui_dialog_set_error(d, rc, cause);
        return;
    }
    free(cause);
    ui_dialog_close(d); /* a recorded session keeps the command, as F2 shows it */
    eab_show(app, &k);
    acme_eab_key_free(&k);
    memset(&k, 0, sizeof k);
    ui_console_refresh(app);
}

static void
eab_picked(void *ctx, const struct dir_principal *p, const char *qualified)
{
    (void)qualified;
    struct ui_dialog *d = ctx;
    ui_field_set_text(ui_dialog_field(d, F_PRINCIPAL), p->sam ? p->sam : p->name);
}

static void
eab_browse(struct ui_dialog *d, struct ui_field *f)
{
    (void)f;
    ui_picker_open(d->layer.app, "Select a User or Computer",
                   (1u << DIR_USER) | (1u << DIR_COMPUTER), eab_picked, d);
}

static void
eab_destroy(struct ui_dialog *d)
{
    struct eab *e = d->ctx;
    strlist_free(&e->names);
    free(e);
}

static const struct ui_dialog_ops eab_ops = {
    .validate = eab_validate,
    .button = eab_button,
    .destroy = eab_destroy,
    .command = eab_command,
};

static void
eab_open(struct ui_app *app)
{
    struct eab *e = ui_xcalloc(1, sizeof *e);
    struct ops_acme_templates l = {0};
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_ACME_TEMPLATE_LIST, NULL, &l, &cause);
    free(cause);
    if (rc == CC_OK) {
        e->names = l.names; /* taken over */
        memset(&l.names, 0, sizeof l.names);
    }
    ops_acme_templates_free(&l);
    const char **options = ui_xcalloc(e->names.n + 1, sizeof *options);
    options[0] = "Any ACME template";
    for (size_t i = 0; i < e->names.n; i++)
        options[i + 1] = e->names.v[i];
    struct ui_dialog *d = ui_dialog_new(app, "Issue EAB Key", 70, 15, UI_DIALOG_PLAIN, &eab_ops, e);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    ui_page_label(p, 0, 0, 0,
                  "An External Account Binding key binds the ACME account a client makes "
                  "with it to a user or computer: its orders request as that account.")
        ->h = 3;
    ui_page_text(p, 0, 4, "Requests as:", 14, 14 + 34, "")->id = F_PRINCIPAL;
    ui_page_button(p, 50, 4, "Browse...", eab_browse)->id = F_BROWSE;
    ui_page_drop(p, 0, 6, "Template:", 14, 14 + 30, options, e->names.n + 1, 0)->id = F_TEMPLATE;
    free(options);
    ui_page_label(p, 0, 8, 0, "The key may be used once, within 7 days.");
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

/* ---- the node ---- */

static void
acme_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    struct acme_node *an = n->data;
    const struct acme_account_info *a = has_row ? account_of(an, row) : NULL;
    if (id == UI_CMD_REFRESH)
        ui_console_refresh(n->app);
    else if (id == CMD_EAB)
        eab_open(n->app);
    else if (id == CMD_ORDERS && a != NULL)
        orders_open(n->app, a);
    else if ((id == CMD_DEACTIVATE || id == UI_CMD_DELETE) && a != NULL)
        deactivate_ask(n->app, a);
}

static const struct ui_node_type acme_type = {
    .name = "acme",
    .cols = acme_cols,
    .ncols = sizeof acme_cols / sizeof acme_cols[0],
    .noun = "account",
    .nouns = "accounts",
    .load = acme_load,
    .destroy = acme_destroy,
    .menu = acme_menu,
    .act = acme_act,
    .keep_order = 1,
};

void
ui_acme_node_add(struct ui_node *ca)
{
    int used = 0;
    if (ops_call(ca->app->cx, OP_ACME_IN_USE, NULL, &used, NULL) != CC_OK || !used)
        return;
    struct ui_node *n =
        ui_node_add(ca, "ACME", &acme_type, ui_xcalloc(1, sizeof(struct acme_node)));
    n->hidden_cols = 1u << COL_STATUS;
}
