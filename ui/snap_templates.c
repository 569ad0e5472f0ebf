/*
 * Certificate Templates (certtmpl.msc): the list of templates with their
 * display name, schema version, version and intended purposes, and the
 * action menu — Duplicate Template (asking for the compatibility, as the
 * guide's Windows Server 2003 / 2008 choice), Reenroll All Certificate
 * Holders, Properties and Delete (refused for built-ins, with the reason).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "dialog.h"
#include "mem.h"
#include "ops.h"
#include "snap.h"
#include "status.h"
#include "template.h"
#include "template_sheet.h"
#include "why_enroll.h"

enum {
    CMD_DUPLICATE = 100,
    CMD_REENROLL,
    CMD_WHY, /* Why Can't ... Enroll? (why_enroll.c) */
};

static const struct ui_column template_cols[] = {{"Template Display Name", 30},
                                                 {"Schema Version", 8},
                                                 {"Version", 9},
                                                 {"Intended Purposes", 30}};

static void
templates_load(struct ui_node *n)
{
    struct ops_template_list l;
    ui_memsource_clear(n->rows);
    if (ops_call(n->app->cx, OP_TEMPLATE_LIST, NULL, &l, NULL) != CC_OK)
        return;
    for (size_t i = 0; i < l.n; i++) {
        char schema[16];
        snprintf(schema, sizeof schema, "%d", l.v[i].schema_version);
        char *ver = template_version_string(&l.v[i]);
        const char *row[] = {l.v[i].display_name, schema, ver ? ver : "", l.purposes[i]};
        ui_memsource_add(n->rows, l.v[i].id, row);
        free(ver);
    }
    ops_template_list_free(&l);
}

/* The template of a row; CC_OK with v filled, to free with ops_template_view_free. */
static int
template_of_row(struct ui_app *app, int64_t row, struct ops_template_view *v, char **cause)
{
    struct ops_template_ref ref = {.id = row};
    return ops_call(app->cx, OP_TEMPLATE_GET, &ref, v, cause);
}

static const struct ui_menu_item row_menu[] = {
    {"Duplicate Template", CMD_DUPLICATE, NULL, 0},
    {"Reenroll All Certificate Holders", CMD_REENROLL, NULL, 0},
    {"Properties", UI_CMD_PROPERTIES, NULL, 0},
    {"Delete", UI_CMD_DELETE, NULL, 0},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
    {"Why Can't ... Enroll?", CMD_WHY, NULL, 0},
};
static const struct ui_menu_item node_menu[] = {
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};

/* A version 1 template cannot change, so it has no Reenroll All Certificate Holders. */
static const struct ui_menu_item row_menu_v1[] = {
    {"Duplicate Template", CMD_DUPLICATE, NULL, 0},
    {"Properties", UI_CMD_PROPERTIES, NULL, 0},
    {"Delete", UI_CMD_DELETE, NULL, 0},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
    {"Why Can't ... Enroll?", CMD_WHY, NULL, 0},
};

static size_t
templates_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    if (!has_row) {
        *items = node_menu;
        return 1;
    }
    struct ops_template_view v;
    int v1 = 0;
    if (template_of_row(n->app, row, &v, NULL) == CC_OK) {
        v1 = v.t.schema_version == 1;
        ops_template_view_free(&v);
    }
    *items = v1 ? row_menu_v1 : row_menu;
    return v1 ? sizeof row_menu_v1 / sizeof row_menu_v1[0] : sizeof row_menu / sizeof row_menu[0];
}

/* ---------------- Duplicate Template ---------------- */

struct duplicate {
    char *src; /* template name */
};

static const char *const compat_choices[] = {"Windows Server 2003, Enterprise Edition",
                                             "Windows Server 2008, Enterprise Edition"};

static void
duplicate_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct duplicate *dup = d->ctx;
    ui_dialog_close(d);
    if (role != UI_BUTTON_OK)
        return;
    struct ui_field *r = ui_dialog_field(d, 1);
    ui_template_sheet_new(d->layer.app, dup->src, r->value == 0 ? COMPAT_2003 : COMPAT_2008);
}

static void
duplicate_destroy(struct ui_dialog *d)
{
    struct duplicate *dup = d->ctx;
    free(dup->src);
    free(dup);
}

/*
 * F2: the duplicate the command line makes in one step. The console names
 * the new template in the Properties of New Template that follows; the
 * command takes the name now (here a placeholder to replace).
 */
static char *
duplicate_command(struct ui_dialog *d, char **why)
{
    (void)why;
    struct duplicate *dup = d->ctx;
    struct ui_field *r = ui_dialog_field(d, 1);
    char *q = ui_shell_quote(dup->src);
    char *text = ui_xasprintf("certcon template duplicate %s 'NEW NAME' --compat %s", q,
                              r->value == 0 ? "2003" : "2008");
    free(q);
    return text;
}

static const struct ui_dialog_ops duplicate_ops = {
    .button = duplicate_button,
    .destroy = duplicate_destroy,
    .command = duplicate_command,
};

static void
duplicate_open(struct ui_app *app, const struct template *t)
{
    struct duplicate *dup = ui_xcalloc(1, sizeof *dup);
    dup->src = ui_xstrdup(t->cn);
    struct ui_dialog *d =
        ui_dialog_new(app, "Duplicate Template", 66, 13, UI_DIALOG_PLAIN, &duplicate_ops, dup);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    char *line = ui_xasprintf("Duplicating: %s", t->display_name);
    ui_page_label(p, 0, 0, 0, line);
    free(line);
    ui_page_label(p, 0, 2, 0, "Minimum Certification Authority for the new template:");
    ui_page_radio(p, 2, 3, compat_choices, 2, 0)->id = 1;
    ui_page_label(p, 0, 6, 0, "2003 makes a version 2 template; 2008 a version 3 template.");
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

/* ---------------- Delete and Reenroll ---------------- */

struct pending {
    struct ui_app *app;
    char *name;
    int cmd;
};

static void
pending_answer(void *ctx, int yes)
{
    struct pending *p = ctx;
    if (yes) {
        char *cause = NULL;
        struct ops_template_name a = {p->name};
        struct template now;
        memset(&now, 0, sizeof now);
        int rc = ops_call(p->app->cx,
                          p->cmd == UI_CMD_DELETE ? OP_TEMPLATE_DELETE : OP_TEMPLATE_REENROLL, &a,
                          p->cmd == UI_CMD_DELETE ? NULL : &now, &cause);
        template_free(&now);
        if (rc != CC_OK) {
            ui_show_error(p->app, p->cmd == UI_CMD_DELETE ? "Delete" : "Reenroll", rc, cause);
        } else {
            char *cmd = NULL;
            ui_command_add(&cmd, "template", p->cmd == UI_CMD_DELETE ? "delete" : "reenroll",
                           p->name, (char *)NULL);
            ui_record(p->app, p->cmd == UI_CMD_DELETE ? "Delete Template" : "Reenroll All", cmd);
            free(cmd);
        }
        free(cause);
        ui_console_refresh(p->app);
    }
    free(p->name);
    free(p);
}

static void
templates_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    struct ui_app *app = n->app;
    if (id == UI_CMD_REFRESH) {
        ui_console_refresh(app);
        return;
    }
    if (!has_row)
        return;
    struct ops_template_view v;
    char *cause = NULL;
    int rc = template_of_row(app, row, &v, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Certificate Templates", rc, cause);
        free(cause);
        return;
    }
    const struct template *t = &v.t;
    switch (id) {
    case CMD_DUPLICATE:
        duplicate_open(app, t);
        break;
    case UI_CMD_PROPERTIES:
        ui_template_sheet_open(app, t);
        break;
    case CMD_WHY:
        ui_why_enroll_for_template(app, t->display_name);
        break;
    case UI_CMD_DELETE:
    case CMD_REENROLL: {
        if (id == UI_CMD_DELETE && template_is_builtin(t)) {
            char *msg = ui_xasprintf("%s is a built-in template and cannot be deleted. "
                                     "Duplicate it to make a template you can change or delete.",
                                     t->display_name);
            ui_message(app, "Delete", msg);
            free(msg);
            break;
        }
        struct pending *p = ui_xcalloc(1, sizeof *p);
        p->app = app;
        p->name = ui_xstrdup(t->cn);
        p->cmd = id;
        char *msg =
            id == UI_CMD_DELETE
                ? ui_xasprintf("Delete the template %s? Certificates already issued from it "
                               "stay valid.",
                               t->display_name)
                : ui_xasprintf("Reenroll all certificate holders of %s? Its major version goes "
                               "from %u to %u, and autoenrollment clients enroll again.",
                               t->display_name, t->revision, t->revision + 1);
        ui_confirm(app,
                   id == UI_CMD_DELETE ? "Delete Template" : "Reenroll All Certificate Holders",
                   msg, id == UI_CMD_DELETE ? "Delete" : "Reenroll", "Cancel", pending_answer, p);
        free(msg);
        break;
    }
    default:
        break;
    }
    ops_template_view_free(&v);
}

static char *
templates_title(struct ui_node *n)
{
    return ui_xasprintf("Certificate Templates (%s)", n->app->domain);
}

static const struct ui_node_type templates_type = {
    .name = "templates",
    .cols = template_cols,
    .ncols = 4,
    .noun = "template",
    .nouns = "templates",
    .load = templates_load,
    .menu = templates_menu,
    .act = templates_act,
    .title = templates_title,
};

static void
templates_build(struct ui_app *app, struct ui_node *root)
{
    (void)app;
    ui_node_add(root, "Certificate Templates", &templates_type, NULL);
}

const struct ui_snapin ui_snapin_templates = {"Certificate Templates", templates_build};
