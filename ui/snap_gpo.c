/*
 * Group Policy Management, as the guide's client procedure uses it:
 * Forest -> Domains -> the domain, whose results are the GPOs linked to it
 * (Linked Group Policy Objects, in link order), a node per organizational
 * unit listing the GPOs linked there, and Group Policy Objects listing
 * every GPO. On the domain or an OU: "Create a GPO in this domain, and Link
 * it here..." and "Link an Existing GPO..."; on a link: Edit..., Scope...,
 * Delete (the link only); on a GPO: Edit..., Scope..., Delete. Edit opens
 * the Group Policy Management Editor (gpo_editor.c); Scope... holds the
 * GPO's links and its Security Filtering, edited as a draft and saved by
 * one core call. Every change is one core call (ca/autoenroll.h).
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "autoenroll.h"
#include "clock.h"
#include "dialog.h"
#include "directory.h"
#include "gpo_editor.h"
#include "mem.h"
#include "ops.h"
#include "picker.h"
#include "principals.h"
#include "snap.h"
#include "status.h"

enum {
    CMD_CREATE_LINK = 100,
    CMD_LINK_EXISTING,
    CMD_EDIT,
    CMD_SCOPE,
    CMD_NEW_GPO,
};

/* A place GPOs link to: the domain (ou NULL) or an OU. Rows are its links. */
struct scope {
    char *ou;
    struct gpo *v; /* the GPOs listed now; row ids are their ids */
    size_t n;
};

/* ---------------- shared ---------------- */

static const char *
gpo_status(const struct gpo *g)
{
    (void)g; /* certcon's GPOs have no half that can be switched off on its own */
    return "Enabled";
}

static const char *
modified_text(const struct gpo *g, char *buf, unsigned size)
{
    return cc_date_format(g->modified, buf, size);
}

/* The scope as the core names it: the domain's DNS name or the OU's name. */
static const char *
scope_name(struct ui_node *n)
{
    struct scope *s = n->data;
    return s->ou ? s->ou : n->app->domain;
}

static const struct gpo *
scope_find(struct ui_node *n, int64_t id)
{
    struct scope *s = n->data;
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].id == id)
            return &s->v[i];
    return NULL;
}

static void
scope_forget(struct scope *s)
{
    gpo_list_free(s->v, s->n);
    s->v = NULL;
    s->n = 0;
}

static int
text_blank(const char *t)
{
    while (t && isspace((unsigned char)*t))
        t++;
    return t == NULL || *t == '\0';
}

/* ---------------- New GPO ---------------- */

enum { F_NAME = 1, F_PICK, F_LINKS, F_FILTER, F_ADD, F_REMOVE };

struct new_gpo {
    char *scope;          /* link it here, or NULL: create only */
    struct strlist names; /* the GPOs that exist: a duplicate is refused as it is typed */
};

static int
new_validate(struct ui_dialog *d, char **why)
{
    struct new_gpo *ng = d->ctx;
    const char *name = ui_dialog_field(d, F_NAME)->text;
    if (text_blank(name)) {
        if (why)
            *why = ui_xstrdup("Type a name for the new GPO.");
        return 0;
    }
    if (strlist_find(&ng->names, name, 1) >= 0) {
        if (why)
            *why = ui_xasprintf("A GPO named '%s' already exists in %s: type another name.", name,
                                d->layer.app->domain);
        return 0;
    }
    return 1;
}

static void
new_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct new_gpo *ng = d->ctx;
    struct ui_app *app = d->layer.app;
    if (role != UI_BUTTON_OK) {
        ui_dialog_close(d);
        return;
    }
    const char *name = ui_dialog_field(d, F_NAME)->text;
    char *cause = NULL;
    struct ops_gpo_name a = {name, ng->scope};
    int rc = ops_call(app->cx, OP_GPO_CREATE, &a, NULL, &cause);
    if (rc != CC_OK) {
        ui_dialog_set_error(d, rc, cause); /* the dialog stays open with what was typed */
        return;
    }
    struct gpo g = {0};
    int64_t id = ops_call(app->cx, OP_GPO_GET, &a, &g, NULL) == CC_OK ? g.id : 0;
    gpo_free(&g);
    ui_dialog_close(d);
    ui_console_refresh(app);
    if (id)
        ui_console_select_row(app, id);
}

static void
new_destroy(struct ui_dialog *d)
{
    struct new_gpo *ng = d->ctx;
    free(ng->scope);
    strlist_free(&ng->names);
    free(ng);
}

/* F2: gpo create NAME, with --link SCOPE when the GPO is made where it is linked. */
static char *
new_command(struct ui_dialog *d, char **why)
{
    struct new_gpo *ng = d->ctx;
    if (!new_validate(d, why))
        return NULL;
    const char *name = ui_dialog_field(d, F_NAME)->text;
    char *text = NULL;
    ui_command_add(&text, "gpo", "create", name, ng->scope ? "--link" : (char *)NULL, ng->scope,
                   (char *)NULL);
    return text;
}

static const struct ui_dialog_ops new_ops = {
    .command = new_command,
    .validate = new_validate,
    .button = new_button,
    .destroy = new_destroy,
};

/* New GPO: a name; linked to scope when one is given. */
static void
new_gpo_open(struct ui_app *app, const char *scope)
{
    struct new_gpo *ng = ui_xcalloc(1, sizeof *ng);
    ng->scope = scope ? ui_xstrdup(scope) : NULL;
    struct ops_gpo_list l;
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_GPO_LIST, NULL, &l, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "New GPO", rc, cause);
        free(cause);
        new_destroy(&(struct ui_dialog){.ctx = ng});
        return;
    }
    for (size_t i = 0; i < l.n; i++)
        if (strlist_add(&ng->names, l.v[i].name) != CC_OK)
            ui_die("out of memory");
    ops_gpo_list_free(&l);
    struct ui_dialog *d = ui_dialog_new(app, "New GPO", 64, 14, UI_DIALOG_PLAIN, &new_ops, ng);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    ui_page_text(p, 0, 0, "Name:", 22, 0, "")->id = F_NAME;
    ui_page_label(p, 0, 2, 0, "Source Starter GPO:   (none)");
    if (scope) {
        char *where = ui_xasprintf("Linked to:            %s", scope);
        ui_page_label(p, 0, 3, 0, where);
        free(where);
    }
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

/* ---------------- Link an Existing GPO ---------------- */

static void
pick_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct ui_app *app = d->layer.app;
    if (role != UI_BUTTON_OK) {
        ui_dialog_close(d);
        return;
    }
    struct ui_field *l = ui_dialog_field(d, F_PICK);
    size_t pos = ui_list_selected(&l->list);
    if (pos == UI_LIST_NONE)
        return;
    char buf[256];
    char *name = ui_xstrdup(l->list.src->cell(l->list.ctx, pos, 0, buf, sizeof buf));
    int64_t id = l->list.src->row_id(l->list.ctx, pos);
    char *cause = NULL;
    struct ops_gpo_name a = {name, d->ctx};
    int rc = ops_call(app->cx, OP_GPO_LINK, &a, NULL, &cause);
    free(name);
    if (rc != CC_OK) {
        ui_dialog_set_error(d, rc, cause);
        return;
    }
    ui_dialog_close(d);
    ui_console_refresh(app);
    ui_console_select_row(app, id);
}

static void
pick_pressed(struct ui_dialog *d, struct ui_field *f)
{
    pick_button(d, f, UI_BUTTON_OK);
}

static void
pick_destroy(struct ui_dialog *d)
{
    free(d->ctx);
}

/* F2: gpo link NAME SCOPE for the GPO chosen. */
static char *
pick_command(struct ui_dialog *d, char **why)
{
    struct ui_field *l = ui_dialog_field(d, F_PICK);
    size_t pos = ui_list_selected(&l->list);
    if (pos == UI_LIST_NONE) {
        *why = ui_xstrdup("choose a GPO");
        return NULL;
    }
    char buf[256], *text = NULL;
    ui_command_add(&text, "gpo", "link", l->list.src->cell(l->list.ctx, pos, 0, buf, sizeof buf),
                   (const char *)d->ctx, (char *)NULL);
    return text;
}

static const struct ui_dialog_ops pick_ops = {
    .command = pick_command,
    .button = pick_button,
    .destroy = pick_destroy,
};

/* Select GPO: the GPOs of the domain not linked here yet. */
static void
link_existing_open(struct ui_app *app, const char *scope)
{
    struct ops_gpo_list al = {0}, hl = {0};
    struct ops_gpo_name a = {NULL, scope};
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_GPO_LIST, NULL, &al, &cause);
    if (rc == CC_OK)
        rc = ops_call(app->cx, OP_GPO_LINKED, &a, &hl, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Link an Existing GPO", rc, cause);
        free(cause);
        ops_gpo_list_free(&al);
        return;
    }
    const struct gpo *all = al.v, *here = hl.v;
    size_t nall = al.n, nhere = hl.n;
    static const struct ui_column cols[] = {{"Name", 40}};
    struct ui_dialog *d =
        ui_dialog_new(app, "Select GPO", 64, 16, UI_DIALOG_PLAIN, &pick_ops, ui_xstrdup(scope));
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    char *line = ui_xasprintf("Look in this domain: %s", app->domain);
    ui_page_label(p, 0, 0, 0, line);
    free(line);
    ui_page_label(p, 0, 1, 0, "Group Policy objects:");
    struct ui_field *l = ui_page_list(p, 0, 2, 0, 8, cols, 1);
    l->id = F_PICK;
    l->pressed = pick_pressed;
    size_t shown = 0;
    for (size_t i = 0; i < nall; i++) {
        int linked = 0;
        for (size_t k = 0; k < nhere && !linked; k++)
            linked = here[k].id == all[i].id;
        if (linked)
            continue;
        const char *row[] = {all[i].name};
        ui_memsource_add(l->rows, all[i].id, row);
        shown++;
    }
    ui_list_refresh(&l->list);
    ui_page_label(p, 0, 10, 0,
                  shown ? "Enter links the selected GPO here."
                        : "Every GPO of the domain is linked here already.");
    ops_gpo_list_free(&al);
    ops_gpo_list_free(&hl);
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1)->disabled = shown == 0;
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_show(d);
}

/* ---------------- Scope: links and Security Filtering ---------------- */

struct scope_sheet {
    char *name;
    /* the Security Filtering list, as it opened (or was last applied) and as drafted */
    struct ui_principals filter;
};

#define EVERYONE "Authenticated Users"

static int
scope_unsaved(struct ui_dialog *d)
{
    struct scope_sheet *ss = d->ctx;
    return ui_principals_unsaved(&ss->filter);
}

static int
scope_validate(struct ui_dialog *d, char **why)
{
    struct scope_sheet *ss = d->ctx;
    if (ss->filter.names.n == 0) {
        if (why)
            *why = ui_xstrdup("Security Filtering needs at least one entry; "
                              "Authenticated Users applies the GPO to everyone.");
        return 0;
    }
    return 1;
}

static void
scope_button(struct ui_dialog *d, struct ui_field *b, enum ui_button_role role)
{
    (void)b;
    struct scope_sheet *ss = d->ctx;
    struct ui_app *app = d->layer.app;
    if (role == UI_BUTTON_CANCEL) {
        ui_dialog_close(d);
        return;
    }
    /* Authenticated Users alone is the GPO's default: stored as no filtering */
    const struct strlist *draft = &ss->filter.names;
    struct strlist save = {0};
    if (!(draft->n == 1 && strcasecmp(draft->v[0], EVERYONE) == 0) &&
        strlist_copy(&save, draft) != CC_OK)
        ui_die("out of memory");
    char *cause = NULL;
    struct ops_gpo_filter a = {.name = ss->name, .principals = &save};
    int rc = ops_call(app->cx, OP_GPO_FILTER_SET, &a, NULL, &cause);
    strlist_free(&save);
    if (rc != CC_OK) {
        ui_dialog_set_error(d, rc, cause);
        return;
    }
    ui_principals_saved(&ss->filter);
    ui_dialog_set_message(d, NULL);
    ui_console_refresh(app);
    if (role == UI_BUTTON_OK)
        ui_dialog_close(d);
}

static void
scope_destroy(struct ui_dialog *d)
{
    struct scope_sheet *ss = d->ctx;
    free(ss->name);
    ui_principals_free(&ss->filter);
    free(ss);
}

/* What a filtering list is stored as: Authenticated Users alone is no filtering. */
static int
filter_is_default(const struct strlist *l)
{
    return l->n == 0 || (l->n == 1 && strcasecmp(l->v[0], EVERYONE) == 0);
}

/*
 * F2: one gpo filter per principal added or removed (the verb takes one),
 * adds first so that the GPO never passes through "everyone" on the way.
 */
static char *
scope_command(struct ui_dialog *d, char **why)
{
    struct scope_sheet *ss = d->ctx;
    static const struct strlist none = {0};
    const struct strlist *was = filter_is_default(&ss->filter.orig) ? &none : &ss->filter.orig;
    const struct strlist *now = filter_is_default(&ss->filter.names) ? &none : &ss->filter.names;
    char *text = NULL;
    for (size_t i = 0; i < now->n; i++)
        if (strlist_find(was, now->v[i], 1) < 0)
            ui_command_add(&text, "gpo", "filter", ss->name, "--add", now->v[i], (char *)NULL);
    for (size_t i = 0; i < was->n; i++)
        if (strlist_find(now, was->v[i], 1) < 0)
            ui_command_add(&text, "gpo", "filter", ss->name, "--remove", was->v[i], (char *)NULL);
    if (text == NULL)
        *why = ui_xstrdup("the security filtering is as it was");
    return text;
}

static const struct ui_dialog_ops scope_ops = {
    .command = scope_command,
    .validate = scope_validate,
    .unsaved = scope_unsaved,
    .button = scope_button,
    .destroy = scope_destroy,
};

static void
scope_open(struct ui_app *app, const char *name)
{
    struct ops_gpo_name a = {name, NULL};
    struct gpo g;
    char *cause = NULL;
    int rc = ops_call(app->cx, OP_GPO_GET, &a, &g, &cause);
    if (rc != CC_OK) {
        ui_show_error(app, "Scope", rc, cause);
        free(cause);
        return;
    }
    struct scope_sheet *ss = ui_xcalloc(1, sizeof *ss);
    ss->name = ui_xstrdup(g.name);
    ss->filter.pick_title = "Select User, Computer, or Group";
    ss->filter.pick_kinds = UI_PICK_ACCOUNTS;
    if (g.filter.n == 0)
        ui_principals_load(&ss->filter, EVERYONE, DIR_WELLKNOWN);
    for (size_t i = 0; i < g.filter.n; i++)
        ui_principals_load(&ss->filter, g.filter.v[i], DIR_GROUP); /* one column: no kind shown */
    char *title = ui_xasprintf("%s - Scope", g.name);
    struct ui_dialog *d = ui_dialog_new(app, title, 70, 20, UI_DIALOG_PLAIN, &scope_ops, ss);
    free(title);
    struct ui_page *p = ui_dialog_add_page(d, NULL);
    char *links = strlist_join(&g.links, ", ");
    char *line = ui_xasprintf("Links: %s", links && *links ? links : "(none)");
    ui_page_label(p, 0, 0, 0, line);
    free(line);
    free(links);
    ui_page_label(p, 0, 2, 0, "Security Filtering");
    ui_page_label(p, 0, 3, 0,
                  "The settings in this GPO can only apply to the following groups, users, "
                  "and computers:")
        ->h = 2;
    static const struct ui_column cols[] = {{"Name", 40}};
    ui_principals_place(&ss->filter, d, p, 5, 7, cols, F_FILTER, F_ADD, F_REMOVE);
    ui_dialog_add_button(d, "OK", UI_BUTTON_OK, 1);
    ui_dialog_add_button(d, "Cancel", UI_BUTTON_CANCEL, 0);
    ui_dialog_add_button(d, "Apply", UI_BUTTON_APPLY, 2);
    gpo_free(&g);
    ui_dialog_show(d);
}

/* ---------------- Delete: a link, or a GPO ---------------- */

struct doomed {
    struct ui_app *app;
    char *name;
    char *scope; /* NULL: the GPO itself */
};

static void
delete_answer(void *ctx, int yes)
{
    struct doomed *dm = ctx;
    if (yes) {
        char *cause = NULL;
        struct ops_gpo_name a = {dm->name, dm->scope};
        int rc = ops_call(dm->app->cx, dm->scope ? OP_GPO_UNLINK : OP_GPO_DELETE, &a, NULL, &cause);
        if (rc != CC_OK) {
            ui_show_error(dm->app, "Group Policy Management", rc, cause);
        } else {
            char *cmd = NULL;
            if (dm->scope)
                ui_command_add(&cmd, "gpo", "unlink", dm->name, dm->scope, (char *)NULL);
            else
                ui_command_add(&cmd, "gpo", "delete", dm->name, (char *)NULL);
            ui_record(dm->app, "Group Policy Management", cmd);
            free(cmd);
        }
        free(cause);
        ui_console_refresh(dm->app);
    }
    free(dm->name);
    free(dm->scope);
    free(dm);
}

static void
delete_ask(struct ui_app *app, const char *name, const char *scope)
{
    struct doomed *dm = ui_xcalloc(1, sizeof *dm);
    dm->app = app;
    dm->name = ui_xstrdup(name);
    dm->scope = scope ? ui_xstrdup(scope) : NULL;
    char *text = scope ? ui_xasprintf("Do you want to delete the link of '%s' to %s? This does "
                                      "not delete the GPO itself.",
                                      name, scope)
                       : ui_xasprintf("Do you want to delete the GPO '%s' and all links to it "
                                      "in %s?",
                                      name, app->domain);
    ui_confirm(app, "Group Policy Management", text, "Yes", "No", delete_answer, dm);
    free(text);
}

/* ---------------- the domain and its OUs: linked GPOs ---------------- */

/* 80 columns leave the results pane 45 wide: GPO Status is on Group Policy Objects */
static const struct ui_column link_cols[] = {{"Order", 6}, {"GPO", 26}, {"Modified", 10}};

static void
scope_load(struct ui_node *n)
{
    struct scope *s = n->data;
    scope_forget(s);
    ui_memsource_clear(n->rows);
    struct ops_gpo_name a = {NULL, scope_name(n)};
    struct ops_gpo_list l;
    if (ops_call(n->app->cx, OP_GPO_LINKED, &a, &l, NULL) != CC_OK)
        return;
    s->v = l.v;
    s->n = l.n;
    for (size_t i = 0; i < s->n; i++) {
        char order[24], when[32];
        snprintf(order, sizeof order, "%zu", i + 1);
        const char *row[] = {order, s->v[i].name, modified_text(&s->v[i], when, sizeof when)};
        ui_memsource_add(n->rows, s->v[i].id, row);
    }
}

static const struct ui_menu_item scope_menu_items[] = {
    {"Create a GPO in this domain, and Link it here...", CMD_CREATE_LINK, NULL, 0},
    {"Link an Existing GPO...", CMD_LINK_EXISTING, NULL, 0},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};
static const struct ui_menu_item link_menu_items[] = {
    {"Edit...", CMD_EDIT, NULL, 0},
    {"Scope...", CMD_SCOPE, NULL, 0},
    {"Delete", UI_CMD_DELETE, NULL, 0},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};

static size_t
scope_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    if (has_row && scope_find(n, row) != NULL) {
        *items = link_menu_items;
        return sizeof link_menu_items / sizeof link_menu_items[0];
    }
    *items = scope_menu_items;
    return sizeof scope_menu_items / sizeof scope_menu_items[0];
}

/* Acts on a GPO named by a row: Edit, Scope, Delete (unlink when scope is given). */
static void
gpo_row_act(struct ui_app *app, const struct gpo *g, const char *scope, int id)
{
    char *name = ui_xstrdup(g->name); /* the row may be reloaded under us */
    if (id == CMD_EDIT)
        ui_gpo_editor_open(app, name);
    else if (id == CMD_SCOPE || id == UI_CMD_PROPERTIES)
        scope_open(app, name);
    else if (id == UI_CMD_DELETE)
        delete_ask(app, name, scope);
    free(name);
}

static void
scope_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    struct ui_app *app = n->app;
    if (id == CMD_CREATE_LINK) {
        new_gpo_open(app, scope_name(n));
    } else if (id == CMD_LINK_EXISTING) {
        link_existing_open(app, scope_name(n));
    } else if (id == UI_CMD_REFRESH) {
        ui_console_refresh(app);
    } else if (has_row) {
        const struct gpo *g = scope_find(n, row);
        if (g != NULL)
            gpo_row_act(app, g, scope_name(n), id);
    }
}

static void
scope_destroy_node(struct ui_node *n)
{
    struct scope *s = n->data;
    scope_forget(s);
    free(s->ou);
    free(s);
}

static char *
scope_title(struct ui_node *n)
{
    return ui_xasprintf("%s - Linked Group Policy Objects", n->label);
}

static void domain_load(struct ui_node *n);

static const struct ui_node_type domain_type = {
    .name = "gpo-domain",
    .cols = link_cols,
    .ncols = 3,
    .noun = "linked GPO",
    .nouns = "linked GPOs",
    .load = domain_load,
    .destroy = scope_destroy_node,
    .menu = scope_menu,
    .act = scope_act,
    .title = scope_title,
    .keep_order = 1,
};

static const struct ui_node_type ou_type = {
    .name = "gpo-ou",
    .cols = link_cols,
    .ncols = 3,
    .noun = "linked GPO",
    .nouns = "linked GPOs",
    .load = scope_load,
    .destroy = scope_destroy_node,
    .menu = scope_menu,
    .act = scope_act,
    .title = scope_title,
    .keep_order = 1,
};

/*
 * Adds a node for each OU the tree does not show yet, before Group Policy
 * Objects (OUs are never deleted, so nodes are only added and a node the
 * console shows stays valid).
 */
static void
domain_sync_ous(struct ui_node *dom)
{
    struct strlist ous;
    if (ops_call(dom->app->cx, OP_DIR_OUS, NULL, &ous, NULL) != CC_OK)
        return;
    for (size_t i = 0; i < ous.n; i++) {
        int shown = 0;
        for (size_t k = 0; k < dom->nkids && !shown; k++)
            shown = dom->kids[k]->type == &ou_type &&
                    strcasecmp(((struct scope *)dom->kids[k]->data)->ou, ous.v[i]) == 0;
        if (shown)
            continue;
        struct scope *s = ui_xcalloc(1, sizeof *s);
        s->ou = ui_xstrdup(ous.v[i]);
        ui_node_add(dom, ous.v[i], &ou_type, s);
        /* OUs by name, before the Group Policy Objects node */
        for (size_t k = dom->nkids - 1;
             k > 0 && (dom->kids[k - 1]->type != &ou_type ||
                       strcasecmp(dom->kids[k - 1]->label, ous.v[i]) > 0);
             k--) {
            struct ui_node *t = dom->kids[k];
            dom->kids[k] = dom->kids[k - 1];
            dom->kids[k - 1] = t;
        }
    }
    strlist_free(&ous);
}

static void
domain_load(struct ui_node *n)
{
    domain_sync_ous(n);
    scope_load(n);
}

/* ---------------- Group Policy Objects ---------------- */

static const struct ui_column gpo_cols[] = {{"Name", 24}, {"GPO Status", 11}, {"Modified", 10}};

static void
gpos_load(struct ui_node *n)
{
    struct scope *s = n->data;
    scope_forget(s);
    ui_memsource_clear(n->rows);
    struct ops_gpo_list l;
    if (ops_call(n->app->cx, OP_GPO_LIST, NULL, &l, NULL) != CC_OK)
        return;
    s->v = l.v;
    s->n = l.n;
    for (size_t i = 0; i < s->n; i++) {
        char when[32];
        const char *row[] = {s->v[i].name, gpo_status(&s->v[i]),
                             modified_text(&s->v[i], when, sizeof when)};
        ui_memsource_add(n->rows, s->v[i].id, row);
    }
}

static const struct ui_menu_item gpos_menu_items[] = {
    {"New...", CMD_NEW_GPO, NULL, 0},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};
static const struct ui_menu_item gpo_menu_items[] = {
    {"Edit...", CMD_EDIT, NULL, 0},
    {"Scope...", CMD_SCOPE, NULL, 0},
    {"Delete", UI_CMD_DELETE, NULL, 0},
    {"Refresh", UI_CMD_REFRESH, NULL, 0},
};

static size_t
gpos_menu(struct ui_node *n, int has_row, int64_t row, const struct ui_menu_item **items)
{
    if (has_row && scope_find(n, row) != NULL) {
        *items = gpo_menu_items;
        return sizeof gpo_menu_items / sizeof gpo_menu_items[0];
    }
    *items = gpos_menu_items;
    return sizeof gpos_menu_items / sizeof gpos_menu_items[0];
}

static void
gpos_act(struct ui_node *n, int has_row, int64_t row, int id)
{
    if (id == CMD_NEW_GPO) {
        new_gpo_open(n->app, NULL);
    } else if (id == UI_CMD_REFRESH) {
        ui_console_refresh(n->app);
    } else if (has_row) {
        const struct gpo *g = scope_find(n, row);
        if (g != NULL)
            gpo_row_act(n->app, g, NULL, id);
    }
}

static char *
gpos_title(struct ui_node *n)
{
    return ui_xasprintf("Group Policy Objects in %s", n->app->domain);
}

static const struct ui_node_type gpos_type = {
    .name = "gpos",
    .cols = gpo_cols,
    .ncols = 3,
    .noun = "GPO",
    .nouns = "GPOs",
    .load = gpos_load,
    .destroy = scope_destroy_node,
    .menu = gpos_menu,
    .act = gpos_act,
    .title = gpos_title,
};

static void
gpo_build(struct ui_app *app, struct ui_node *root)
{
    struct ui_node *top = ui_node_add(root, "Group Policy Management", &ui_node_folder, NULL);
    char *forest = ui_xasprintf("Forest: %s", app->domain);
    struct ui_node *f = ui_node_add(top, forest, &ui_node_folder, NULL);
    free(forest);
    struct ui_node *doms = ui_node_add(f, "Domains", &ui_node_folder, NULL);
    struct ui_node *dom =
        ui_node_add(doms, app->domain, &domain_type, ui_xcalloc(1, sizeof(struct scope)));
    ui_node_add(dom, "Group Policy Objects", &gpos_type, ui_xcalloc(1, sizeof(struct scope)));
    domain_sync_ous(dom);
}

const struct ui_snapin ui_snapin_gpo = {"Group Policy Management", gpo_build};
